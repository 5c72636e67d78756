//! Checks that only `aula check` runs, beyond what every build reports: interface strings
//! the theme uses that a language does not translate (they fall back along its chain).

use std::collections::BTreeSet;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::theme::Theme;

/// The keys the theme's templates ask for with `t(key="…")`.
pub fn template_keys(theme: &Theme) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for source in theme.templates.values() {
        for part in source.text.split("key=\"").skip(1) {
            if let Some(end) = part.find('"') {
                keys.insert(part[..end].to_string());
            }
        }
    }
    keys
}

/// The names a page shows that come from the configuration (languages, variants, callout
/// kinds) and that neither `lang` nor any language of its chain has a string for: readers
/// would see the bare id (`language-en`, `variant-general`).
pub fn raw_ids(config: &Config, i18n: &crate::i18n::I18n, lang: &str) -> Vec<String> {
    let keys = config
        .languages
        .iter()
        .map(|l| format!("language-{}", l.code))
        .chain(config.variants.iter().map(|v| format!("variant-{v}")))
        .chain(config.callouts.iter().map(|k| format!("callout-{k}")));
    keys.filter(|k| !i18n.has(lang, k)).collect()
}

/// One warning per language whose readers would see bare string ids.
pub fn raw_strings(config: &Config, theme: &Theme) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for lang in &config.languages {
        let raw = raw_ids(config, &theme.i18n, &lang.code);
        if raw.is_empty() {
            continue;
        }
        let none = if theme.i18n.own_ids(&lang.code).is_empty() {
            format!("`{}` has no interface strings of its own, and ", lang.code)
        } else {
            String::new()
        };
        diags.push(
            Diagnostic::warning(
                "raw-string-ids",
                format!(
                    "{none}{} would reach `{}` readers as {}: {}",
                    if raw.len() == 1 { "1 name".to_string() } else { format!("{} names", raw.len()) },
                    lang.code,
                    if raw.len() == 1 { "a bare id" } else { "bare ids" },
                    raw.join(", ")
                ),
            )
            .in_file(format!("locales/{}/", lang.code))
            .with_help(format!(
                "no language of its fallback chain names them; add e.g. `{} = …` to locales/{}/aula.ftl (or to the source language's file, for every language)",
                raw[0], lang.code
            )),
        );
    }
    diags
}

/// One warning per language that lacks some of the strings the theme uses.
pub fn interface_strings(config: &Config, theme: &Theme) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut keys = template_keys(theme);
    for v in &config.variants {
        keys.insert(format!("variant-{v}"));
    }
    for kind in &config.callouts {
        keys.insert(format!("callout-{kind}"));
    }
    for lang in &config.languages {
        let own = theme.i18n.own_ids(&lang.code);
        let missing: Vec<&str> = keys
            .iter()
            .map(String::as_str)
            .filter(|k| !own.iter().any(|o| o == k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                "untranslated-strings",
                format!(
                    "{} of {} interface strings are not translated into `{}`",
                    missing.len(),
                    keys.len(),
                    lang.code
                ),
            )
            .in_file(format!("locales/{}/", lang.code))
            .with_help(format!(
                "they fall back along the language's fallback chain, then to the built-in Spanish, then to the bare word; add them to locales/{}/aula.ftl: {}",
                lang.code,
                missing.join(", ")
            )),
        );
    }
    diags
}
