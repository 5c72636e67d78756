//! `aula.yaml`: what the user wrote ([`RawConfig`], strict) turned into what aula uses
//! ([`Config`], validated: fallback chains resolved, names checked). How aula was invoked
//! (output folder, editions to build) is not configuration and lives in `BuildOptions`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, closest};
use crate::source::SourceFile;
use crate::yaml;

/// Callout kinds the default theme styles.
pub const THEME_CALLOUTS: &[&str] = &[
    "activity",
    "exercise",
    "tip",
    "warning",
    "example",
    "note",
    "discussion",
    "solution",
];

/// Audiences: who sees a block.
pub const AUDIENCES: &[&str] = &["facilitator", "participant"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: RawTitle,
    languages: Vec<RawLanguage>,
    variants: Vec<String>,
    #[serde(default)]
    paper: Option<Paper>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    pretty_urls: bool,
    #[serde(default)]
    callouts: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawTitle {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: String,
    #[serde(default)]
    fallback: Option<String>,
    #[serde(default)]
    paper: Option<Paper>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    Letter,
    A4,
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    /// The languages to try after this one, in order (not including itself).
    pub fallbacks: Vec<String>,
    pub paper: Paper,
}

#[derive(Debug, Clone)]
pub struct Config {
    title: BTreeMap<String, String>,
    default_title: String,
    pub languages: Vec<Language>,
    pub variants: Vec<String>,
    pub base_url: Option<String>,
    pub theme: String,
    pub pretty_urls: bool,
    /// Every callout kind a block may name: the theme's and the project's.
    pub callouts: Vec<String>,
    /// Other words mapped onto a callout kind, an audience or a variant.
    pub aliases: BTreeMap<String, String>,
}

impl Config {
    /// Parses and validates `aula.yaml`. All problems found are returned together.
    pub fn parse(source: &SourceFile) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        let raw: RawConfig = match yaml::parse(source, 0, source.text.len(), "aula.yaml") {
            Ok(raw) => raw,
            Err(ds) => {
                for d in ds {
                    diags.push(d);
                }
                return Err(diags);
            }
        };
        let mut err = |needle: &str, message: String, help: String| {
            let mut d = Diagnostic::error("config", message).with_help(help);
            d = match yaml::find_word(source, 0, source.text.len(), needle) {
                Some(offset) => d.at(source, offset, needle.len()),
                None => d.in_file(source.name.clone()),
            };
            diags.push(d);
        };

        if raw.languages.is_empty() {
            err(
                "languages",
                "no languages configured".into(),
                "list at least one, e.g. `languages: [{code: es}]`".into(),
            );
        }
        if raw.variants.is_empty() {
            err(
                "variants",
                "no variants configured".into(),
                "list at least one, e.g. `variants: [urban, rural]`".into(),
            );
        }
        let codes: Vec<&str> = raw.languages.iter().map(|l| l.code.as_str()).collect();
        for (i, code) in codes.iter().enumerate() {
            if !is_slug(code) || !is_language_tag(code) {
                err(
                    code,
                    format!("language code `{code}` is not a plain code"),
                    "use a lowercase BCP 47 code such as `es`, `fr`, `quc` or `es-gt` (a language of 2 or 3 letters, then optional subtags)".into(),
                );
            } else if codes[..i].contains(code) {
                err(
                    code,
                    format!("language `{code}` is listed twice"),
                    "remove one of them".into(),
                );
            }
        }
        for (i, v) in raw.variants.iter().enumerate() {
            if !is_slug(v) {
                err(
                    v,
                    format!("variant `{v}` is not a plain name"),
                    "use lowercase letters, digits and `-`".into(),
                );
            } else if raw.variants[..i].contains(v) {
                err(
                    v,
                    format!("variant `{v}` is listed twice"),
                    "remove one of them".into(),
                );
            } else if codes.contains(&v.as_str()) {
                err(
                    v,
                    format!("variant `{v}` has the same name as a language"),
                    "file names like `slug.V.L.md` need variants and languages to differ".into(),
                );
            }
        }

        if let Some(theme) = &raw.theme
            && (theme.is_empty()
                || !theme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            err(
                theme,
                format!("theme `{theme}` is not a folder name"),
                "name a folder of `themes/` (letters, digits, `-` and `_`), or use `theme: default`".into(),
            );
        }

        let default_paper = raw.paper.unwrap_or(Paper::Letter);
        let mut languages = Vec::new();
        for lang in &raw.languages {
            let mut fallbacks = Vec::new();
            let mut next = lang.fallback.clone();
            while let Some(code) = next {
                if code == lang.code || fallbacks.contains(&code) {
                    err(
                        &code,
                        format!("the fallbacks of `{}` go round in a circle", lang.code),
                        "make the chain end in the source language, which has no fallback".into(),
                    );
                    break;
                }
                let Some(target) = raw.languages.iter().find(|l| l.code == code) else {
                    let help = match closest(&code, codes.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("configured languages: {}", codes.join(", ")),
                    };
                    err(
                        &code,
                        format!(
                            "`{}` falls back to `{code}`, which is not configured",
                            lang.code
                        ),
                        help,
                    );
                    break;
                };
                fallbacks.push(code);
                next = target.fallback.clone();
            }
            languages.push(Language {
                code: lang.code.clone(),
                fallbacks,
                paper: lang.paper.unwrap_or(default_paper),
            });
        }

        let mut callouts: Vec<String> = THEME_CALLOUTS.iter().map(|s| s.to_string()).collect();
        for c in &raw.callouts {
            if !is_slug(c) {
                err(
                    c,
                    format!("callout kind `{c}` is not a plain name"),
                    "use lowercase letters, digits and `-`".into(),
                );
            } else if raw.variants.contains(c) || AUDIENCES.contains(&c.as_str()) {
                err(
                    c,
                    format!("callout kind `{c}` is already a variant or an audience"),
                    "choose another name".into(),
                );
            } else if !callouts.contains(c) {
                callouts.push(c.clone());
            }
        }
        for (from, to) in &raw.aliases {
            let known = callouts.contains(to)
                || raw.variants.contains(to)
                || AUDIENCES.contains(&to.as_str());
            if !known {
                let all: Vec<&str> = callouts
                    .iter()
                    .chain(raw.variants.iter())
                    .map(String::as_str)
                    .chain(AUDIENCES.iter().copied())
                    .collect();
                let help = match closest(to, all.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "an alias maps onto a callout kind, an audience or a variant".into(),
                };
                err(
                    to,
                    format!("alias `{from}` maps onto `{to}`, which is not a known block word"),
                    help,
                );
            }
        }

        let (title, default_title) = match raw.title {
            RawTitle::One(t) => (BTreeMap::new(), t),
            RawTitle::PerLanguage(map) => {
                for code in map.keys() {
                    if !codes.contains(&code.as_str()) {
                        err(
                            code,
                            format!("title given for `{code}`, which is not a configured language"),
                            format!("configured languages: {}", codes.join(", ")),
                        );
                    }
                }
                let first = codes
                    .first()
                    .and_then(|c| map.get(*c))
                    .or_else(|| map.values().next())
                    .cloned()
                    .unwrap_or_default();
                (map, first)
            }
        };

        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Config {
            title,
            default_title,
            languages,
            variants: raw.variants,
            base_url: raw
                .base_url
                .map(|u| format!("{}/", u.trim_end_matches('/'))),
            theme: raw.theme.unwrap_or_else(|| "default".into()),
            pretty_urls: raw.pretty_urls,
            callouts,
            aliases: raw.aliases,
        })
    }

    /// The source language: the first one listed.
    pub fn source_language(&self) -> &str {
        self.languages.first().map_or("", |l| l.code.as_str())
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// `code` followed by its fallback chain.
    pub fn chain<'a>(&'a self, code: &'a str) -> Vec<&'a str> {
        let mut chain = vec![code];
        if let Some(l) = self.language(code) {
            chain.extend(l.fallbacks.iter().map(String::as_str));
        }
        chain
    }

    /// The curriculum title in a language, falling back along its chain.
    pub fn title(&self, code: &str) -> &str {
        self.chain(code)
            .iter()
            .find_map(|c| self.title.get(*c))
            .unwrap_or(&self.default_title)
    }

    pub fn is_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    pub fn is_variant(&self, name: &str) -> bool {
        self.variants.iter().any(|v| v == name)
    }
}

/// Lowercase ASCII letters, digits and `-`, not empty: safe in file names and URLs.
/// A BCP 47 tag as aula accepts it: a primary language subtag of 2 or 3 letters, then
/// subtags of 1 to 8 letters or digits (`es`, `quc`, `es-gt`, `es-419`).
fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The primary language subtag of a code (`es` of `es-gt`): what the typesetter knows.
pub fn primary_subtag(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(&SourceFile::new(
            "aula.yaml".into(),
            PathBuf::from("aula.yaml"),
            text.into(),
        ))
    }

    #[test]
    fn resolves_fallback_chains_and_paper_overrides() {
        let c = parse(
            "title: {es: Mi curso, fr: Mon cours}\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\n    paper: a4\n  - code: quc\n    fallback: fr\nvariants: [urban, rural]\n",
        )
        .unwrap();
        assert_eq!(c.chain("quc"), vec!["quc", "fr", "es"]);
        assert_eq!(c.language("fr").unwrap().paper, Paper::A4);
        assert_eq!(c.language("es").unwrap().paper, Paper::Letter);
        assert_eq!(c.title("quc"), "Mon cours");
        assert_eq!(c.source_language(), "es");
    }

    #[test]
    fn a_misspelt_key_is_an_error_with_a_suggestion() {
        let err = parse("title: x\nlanguages: [{code: es}]\nvariants: [a]\npretty_url: true\n")
            .unwrap_err()
            .sorted();
        assert_eq!(err[0].line, Some(4));
        assert_eq!(err[0].help.as_deref(), Some("did you mean `pretty_urls`?"));
    }

    #[test]
    fn unknown_fallbacks_and_cycles_are_reported_together() {
        let err = parse(
            "title: x\nlanguages:\n  - code: es\n    fallback: fr\n  - code: fr\n    fallback: es\n  - code: quc\n    fallback: ess\nvariants: [a]\n",
        )
        .unwrap_err()
        .sorted();
        assert!(err.iter().any(|d| d.message.contains("circle")));
        assert!(
            err.iter()
                .any(|d| d.help.as_deref() == Some("did you mean `es`?"))
        );
    }
}
