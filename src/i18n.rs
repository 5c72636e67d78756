//! Interface strings: Fluent bundles per language, looked up along the language's fallback
//! chain, then the source language. The default theme's strings are built into aula; a
//! project's `locales/<lang>/<file>.ftl` replaces the built-in file of the same name, and
//! any other file adds or overrides single messages.
//!
//! CLDR has no plural rules for K'iche' (`quc`): a bundle for a language without rules takes
//! those of the first language of its fallback chain that has them (for quc: Spanish, whose
//! one/other split matches how K'iche' marks the plural), never English by accident.

use std::collections::BTreeMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_pluralrules::{PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

/// One `.ftl` file: its language, file name and text.
pub struct LocaleFile {
    pub lang: String,
    pub file: String,
    pub source: SourceFile,
}

pub struct I18n {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
    chains: BTreeMap<String, Vec<String>>,
    /// Message ids per language, as defined in that language's own files.
    ids: BTreeMap<String, Vec<String>>,
    /// Every message that needs no arguments, formatted once per page language: a page
    /// asks for a dozen of them, and a site has thousands of pages.
    plain: BTreeMap<String, std::collections::HashMap<String, String>>,
}

impl I18n {
    /// The name of the language `of`, in the language `lang`.
    pub fn language_name(&self, lang: &str, of: &str) -> String {
        self.text(lang, &format!("language-{of}"))
    }

    /// The name of language `of` as a sentence in `lang` uses it (`español` in "Se
    /// muestra en español"; the name alone is a title: `Español`).
    pub fn language_in_sentence(&self, lang: &str, of: &str) -> String {
        self.get(lang, &format!("in-language-{of}"), &[])
            .unwrap_or_else(|| self.language_name(lang, of))
    }

    /// The name of a variant, in the language `lang`.
    pub fn variant_name(&self, lang: &str, variant: &str) -> String {
        self.text(lang, &format!("variant-{variant}"))
    }

    /// "microMBA · Español · Rural": the `footer-edition` message, which names an edition
    /// under the site's title on every page and PDF.
    pub fn edition_line(&self, edition: &crate::variant::Edition, title: &str) -> String {
        let lang = &edition.lang;
        self.get(
            lang,
            "footer-edition",
            &[
                ("title", title.to_string().into()),
                ("language", self.language_name(lang, lang).into()),
                ("variant", self.variant_name(lang, &edition.variant).into()),
            ],
        )
        .unwrap_or_default()
    }

    /// The words over a block, in `lang`, for `view`: its callout kind (the theme's word,
    /// else the kind capitalised), its audience (none on the participants' own sheet; in
    /// the guide, that the participants' sheet has it), its minutes.
    pub fn block_label(
        &self,
        info: &crate::blocks::BlockInfo,
        lang: &str,
        view: crate::blocks::View,
    ) -> String {
        use crate::blocks::{Audience, View};
        let mut labels = Vec::new();
        if let Some(kind) = &info.callout {
            labels.push(
                self.get(lang, &format!("callout-{kind}"), &[])
                    .unwrap_or_else(|| capitalise(kind)),
            );
        }
        match info.audience {
            Some(Audience::Facilitator) => labels.push(self.text(lang, "facilitator-notes")),
            // On the participants' own sheet, saying so is noise; in the guide it says
            // where the text is.
            Some(Audience::Participant) => match view {
                View::Web => labels.push(self.text(lang, "participant-notes")),
                View::Guide => labels.push(self.text(lang, "in-participant-sheet")),
                View::Handout => {}
            },
            None => {}
        }
        if let Some(m) = info.minutes {
            labels.push(
                self.get(
                    lang,
                    "minutes",
                    &[("n", fluent_bundle::FluentValue::from(m))],
                )
                .unwrap_or_else(|| format!("{m} min")),
            );
        }
        labels.join(" · ")
    }

    /// Builds the bundles. `builtin` are overridden file by file by `project`.
    pub fn new(
        config: &Config,
        builtin: Vec<LocaleFile>,
        project: Vec<LocaleFile>,
        diags: &mut Diagnostics,
    ) -> I18n {
        let mut files: BTreeMap<(String, String), LocaleFile> = BTreeMap::new();
        for f in builtin.into_iter().chain(project) {
            files.insert((f.lang.clone(), f.file.clone()), f);
        }
        let mut bundles = BTreeMap::new();
        let mut chains = BTreeMap::new();
        let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let source_lang = config.source_language().to_string();
        for lang in &config.languages {
            let mut chain: Vec<String> = config
                .chain(&lang.code)
                .into_iter()
                .map(String::from)
                .collect();
            for extra in [source_lang.as_str(), "es"] {
                if !chain.iter().any(|c| c == extra) {
                    chain.push(extra.to_string());
                }
            }
            chains.insert(lang.code.clone(), chain.clone());
        }
        let wanted: Vec<String> = chains.values().flatten().cloned().collect();
        for code in wanted {
            if bundles.contains_key(&code) {
                continue;
            }
            let chain = chains
                .get(&code)
                .cloned()
                .unwrap_or_else(|| vec![code.clone()]);
            let mut bundle = FluentBundle::new_concurrent(locales_for(&chain));
            bundle.set_use_isolating(false);
            let lang_ids = ids.entry(code.clone()).or_default();
            for ((lang, _), file) in files.iter().filter(|((l, _), _)| *l == code) {
                debug_assert_eq!(lang, &code);
                let resource = match FluentResource::try_new(file.source.text.clone()) {
                    Ok(r) => r,
                    Err((r, errors)) => {
                        for e in errors {
                            diags.push(
                                Diagnostic::error("fluent-syntax", format!("invalid Fluent: {}", e.kind))
                                    .at(&file.source, e.pos.start, e.pos.end.saturating_sub(e.pos.start).max(1))
                                    .with_help("a message is `key = text`; continue long text on indented lines"),
                            );
                        }
                        r
                    }
                };
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        lang_ids.push(m.id.name.to_string());
                    }
                }
                bundle.add_resource_overriding(resource);
            }
            lang_ids.sort();
            lang_ids.dedup();
            bundles.insert(code, bundle);
        }
        let mut i18n = I18n {
            bundles,
            chains,
            ids,
            plain: BTreeMap::new(),
        };
        let all_ids: std::collections::BTreeSet<&String> = i18n.ids.values().flatten().collect();
        let mut plain = BTreeMap::new();
        for lang in i18n.chains.keys() {
            let strings: std::collections::HashMap<String, String> = all_ids
                .iter()
                .filter_map(|id| Some(((*id).clone(), i18n.format(lang, id, None)?.ok()?)))
                .collect();
            plain.insert(lang.clone(), strings);
        }
        i18n.plain = plain;
        i18n
    }

    /// Formats `key` for `lang` along its chain: `None` if no language has it, `Err` with
    /// the text if formatting reported errors (a message that needs arguments it lacks).
    fn format(
        &self,
        lang: &str,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Option<Result<String, String>> {
        let own = [lang.to_string()];
        let chain = self.chains.get(lang).map_or(&own[..], Vec::as_slice);
        chain.iter().find_map(|code| {
            let bundle = self.bundles.get(code)?;
            let pattern = bundle.get_message(key)?.value()?;
            let mut errors = Vec::new();
            let text = bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned();
            Some(if errors.is_empty() {
                Ok(text)
            } else {
                Err(text)
            })
        })
    }

    /// The message `key` in `lang`, or along its chain. `None` if no language has it.
    pub fn get(&self, lang: &str, key: &str, args: &[(&str, FluentValue)]) -> Option<String> {
        if args.is_empty()
            && let Some(text) = self.plain.get(lang).and_then(|m| m.get(key))
        {
            return Some(text.clone());
        }
        let mut fluent_args = FluentArgs::new();
        for (k, v) in args {
            fluent_args.set(*k, v.clone());
        }
        self.format(lang, key, Some(&fluent_args))
            .map(|r| r.unwrap_or_else(|text| text))
    }

    /// The language `key` is shown in for a reader of `lang`: its own, or the first of its
    /// fallbacks that has the message (so that a fallback string can be marked as such).
    pub fn lang_of(&self, lang: &str, key: &str) -> String {
        let own = [lang.to_string()];
        let chain = self.chains.get(lang).map_or(&own[..], Vec::as_slice);
        chain
            .iter()
            .find(|code| self.bundles.get(*code).is_some_and(|b| b.has_message(key)))
            .cloned()
            .unwrap_or_else(|| lang.to_string())
    }

    /// Every message that needs no arguments, per page language: `(lang, key, text)`.
    pub fn plain_messages(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.plain.iter().flat_map(|(lang, strings)| {
            strings
                .iter()
                .map(move |(key, text)| (lang.as_str(), key.as_str(), text.as_str()))
        })
    }

    /// Like [`I18n::get`], with the key itself when no language has it (for places that
    /// must not fail, after `check` has reported the missing key).
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.get(lang, key, &[]).unwrap_or_else(|| key.to_string())
    }

    /// Whether `lang` or a language of its chain has the message `key`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        let own = [lang.to_string()];
        let chain = self.chains.get(lang).map_or(&own[..], Vec::as_slice);
        chain
            .iter()
            .any(|code| self.bundles.get(code).is_some_and(|b| b.has_message(key)))
    }

    /// Message ids defined by `lang`'s own files (not its fallbacks).
    pub fn own_ids(&self, lang: &str) -> &[String] {
        self.ids.get(lang).map_or(&[], Vec::as_slice)
    }
}

/// The locale list of a bundle: the language's own first, unless CLDR has no plural rules
/// for it, in which case the first language of its chain that has them goes first.
fn locales_for(chain: &[String]) -> Vec<LanguageIdentifier> {
    let known = PluralRules::get_locales(PluralRuleType::CARDINAL);
    let parsed: Vec<LanguageIdentifier> = chain.iter().filter_map(|c| c.parse().ok()).collect();
    let has_rules = |id: &LanguageIdentifier| known.iter().any(|k| k.language == id.language);
    let mut locales = parsed.clone();
    if let Some(first) = parsed.first()
        && !has_rules(first)
        && let Some(donor) = parsed.iter().find(|id| has_rules(id))
    {
        locales.insert(0, donor.clone());
    }
    locales
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(lang: &str, text: &str) -> LocaleFile {
        LocaleFile {
            lang: lang.into(),
            file: "main.ftl".into(),
            source: SourceFile::new(
                format!("locales/{lang}/main.ftl"),
                PathBuf::new(),
                text.into(),
            ),
        }
    }

    fn config() -> Config {
        let text =
            "title: t\nlanguages:\n  - code: es\n  - code: quc\n    fallback: es\nvariants: [a]\n";
        Config::parse(&SourceFile::new(
            "aula.yaml".into(),
            PathBuf::new(),
            text.into(),
        ))
        .unwrap()
    }

    const MINUTES: &str =
        "minutes = { $n ->\n    [one] { $n } minuto\n   *[other] { $n } minutos\n}\n";

    #[test]
    fn kiche_plurals_use_spanish_rules_and_missing_keys_fall_back() {
        let mut diags = Diagnostics::default();
        // Plural categories, not words: no K'iche' is invented here.
        let quc = "minutes = { $n ->\n    [one] one:{ $n }\n   *[other] other:{ $n }\n}\n";
        let i18n = I18n::new(
            &config(),
            vec![
                file("es", &format!("{MINUTES}home = Inicio\n")),
                file("quc", quc),
            ],
            vec![],
            &mut diags,
        );
        assert!(diags.is_empty());
        let n = |v: i64| [("n", FluentValue::from(v))];
        assert_eq!(i18n.get("quc", "minutes", &n(1)).unwrap(), "one:1");
        assert_eq!(i18n.get("quc", "minutes", &n(20)).unwrap(), "other:20");
        assert_eq!(i18n.get("quc", "home", &[]).unwrap(), "Inicio");
        assert_eq!(i18n.get("es", "minutes", &n(1)).unwrap(), "1 minuto");
        assert!(i18n.get("quc", "nothing", &[]).is_none());
        assert_eq!(i18n.lang_of("quc", "home"), "es");
        assert_eq!(i18n.lang_of("quc", "minutes"), "quc");
    }

    #[test]
    fn project_files_override_builtin_ones_by_name() {
        let mut diags = Diagnostics::default();
        let i18n = I18n::new(
            &config(),
            vec![file("es", "home = Inicio\nback = Volver\n")],
            vec![file("es", "home = Portada\n")],
            &mut diags,
        );
        assert_eq!(i18n.get("es", "home", &[]).unwrap(), "Portada");
        assert!(
            i18n.get("es", "back", &[]).is_none(),
            "the whole file was replaced"
        );
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let mut diags = Diagnostics::default();
        I18n::new(
            &config(),
            vec![file("es", "ok = fine\nbroken\n")],
            vec![],
            &mut diags,
        );
        let d = &diags.sorted()[0];
        assert_eq!(d.file.as_deref(), Some("locales/es/main.ftl"));
        assert_eq!(d.line, Some(2));
    }
}
