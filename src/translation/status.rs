//! Translation status: which translations are up to date, stale, unstamped, missing or
//! sample text, and which sections of a stale one's source changed since its stamp.
//!
//! A translation's `source_hash` is the first 12 hex digits of the SHA-256 of its source
//! file (the same session, module page or home page, in the source language and the same
//! variant), with line endings normalised so that an editor's re-save changes nothing.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::sections::{self, Section, SectionState};
use super::store::{self, Stamped};
use crate::config::Config;
use crate::content::{Corpus, Doc, FileKey};
use crate::i18n::I18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    UpToDate,
    Stale,
    Missing,
    Unstamped,
    /// Marked `sample: true`: sample text in the language, not a translation.
    Sample,
}

impl State {
    pub fn word(self) -> &'static str {
        match self {
            State::UpToDate => "up to date",
            State::Stale => "stale",
            State::Missing => "missing",
            State::Unstamped => "unstamped",
            State::Sample => "sample text",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Empty for the home page.
    pub module: String,
    /// `None` for the module page (and the home page).
    pub session: Option<String>,
    pub language: String,
    /// `None` for the base file, else the variant override's variant.
    pub variant: Option<String>,
    pub state: State,
    /// The translation's path, or where it would be when missing.
    pub file: String,
    /// The source's path.
    pub source: String,
    /// The hash the translation records (`None` when missing or unstamped).
    #[serde(skip)]
    pub recorded: Option<String>,
    /// For an up-to-date or stale translation whose stamped source is known: each section
    /// of the source and whether it changed since the stamp (see [`explain`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<SectionEntry>>,
    /// For a stale translation: where its stamped source was found (`stamps/….md`, a git
    /// commit), or why it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stamped_source: Option<String>,
}

impl Entry {
    /// The row the entry is in: `(home page)`, `module/`, `module/session (variant)`.
    pub fn row(&self) -> String {
        match (&self.session, &self.variant) {
            (None, _) if self.module.is_empty() => "(home page)".to_string(),
            (None, _) => format!("{}/", self.module),
            (Some(s), None) => format!("{}/{s}", self.module),
            (Some(s), Some(v)) => format!("{}/{s} ({v})", self.module),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionEntry {
    pub id: String,
    pub state: SectionState,
    /// The heading's text, for a heading section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub translated: usize,
    pub total: usize,
    /// Names from the configuration that no language of its chain has a string for: its
    /// readers see the bare id (`language-en`).
    pub raw_ids: Vec<String>,
}

/// How much of the curriculum's sessions a language has up to date.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Share {
    pub up_to_date: usize,
    pub sessions: usize,
    pub percent: u32,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub entries: Vec<Entry>,
    pub strings: BTreeMap<String, Coverage>,
    /// Per translation language: its up-to-date share of the sessions (variant overrides
    /// counted as sessions of their own).
    pub share: BTreeMap<String, Share>,
}

/// Why and how a stale translation differs from its source: the source as stamped, its
/// sections then and now, and the translation's sections.
pub struct Changes {
    pub stamped: Stamped,
    pub old: Vec<Section>,
    pub new: Vec<Section>,
    pub translation: Vec<Section>,
}

impl Changes {
    /// Each section of the source now and as stamped, with its state (see
    /// [`sections::compare`]).
    pub fn compared(&self) -> Vec<(SectionState, &Section)> {
        sections::compare(&self.old, &self.new)
    }
}

/// The hash a translation records of its source.
pub fn source_hash(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n");
    short_hash(&Sha256::digest(normalised.as_bytes()))
}

/// The first six bytes of a SHA-256 digest, in hex: what a translation records.
pub fn short_hash(digest: &[u8]) -> String {
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn state<M>(
    source: &Doc<M>,
    translation: Option<&Doc<M>>,
    recorded: impl Fn(&M) -> Option<String>,
    sample: impl Fn(&M) -> bool,
) -> State {
    match translation {
        None => State::Missing,
        Some(t) if sample(&t.meta) => State::Sample,
        Some(t) => match recorded(&t.meta) {
            None => State::Unstamped,
            Some(h) if h == source.source_hash() => State::UpToDate,
            Some(_) => State::Stale,
        },
    }
}

/// The entry of the home page (`module` empty) or a module page in `lang`.
fn page_entry(
    module: &str,
    lang: &str,
    src: &Doc<crate::content::PageMeta>,
    t: Option<&Doc<crate::content::PageMeta>>,
    missing: String,
) -> Entry {
    Entry {
        module: module.to_string(),
        session: None,
        language: lang.to_string(),
        variant: None,
        state: state(src, t, |meta| meta.source_hash.clone(), |_| false),
        file: t.map_or(missing, |t| t.source.name.clone()),
        source: src.source.name.clone(),
        recorded: t.and_then(|t| t.meta.source_hash.clone()),
        sections: None,
        stamped_source: None,
    }
}

/// The translation matrix of the corpus, and the interface strings' coverage.
pub fn status(config: &Config, corpus: &Corpus, i18n: &I18n) -> Status {
    let source_lang = config.source_language();
    let others: Vec<&str> = config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|c| *c != source_lang)
        .collect();
    let mut entries = Vec::new();
    // The home page's text, as module "" without a session.
    if let Some(src) = corpus.home.get(source_lang) {
        for lang in &others {
            let t = corpus.home.get(*lang);
            let missing = format!("content/_index.{lang}.md");
            entries.push(page_entry("", lang, src, t, missing));
        }
    }
    for m in &corpus.modules {
        if let Some(src) = m.pages.get(source_lang) {
            for lang in &others {
                let t = m.pages.get(*lang);
                let missing = format!("content/{}/_module.{lang}.md", m.dir);
                entries.push(page_entry(&m.slug, lang, src, t, missing));
            }
        }
        for s in &m.sessions {
            let variants: Vec<Option<String>> = s
                .files
                .keys()
                .filter(|k| k.lang == source_lang)
                .map(|k| k.variant.clone())
                .collect();
            for variant in variants {
                let key = |lang: &str| FileKey {
                    lang: lang.to_string(),
                    variant: variant.clone(),
                };
                let Some(src) = s.files.get(&key(source_lang)) else {
                    continue;
                };
                for lang in &others {
                    let t = s.files.get(&key(lang)).map(|t| &**t);
                    let suffix = variant.as_ref().map_or(String::new(), |v| format!(".{v}"));
                    entries.push(Entry {
                        module: m.slug.clone(),
                        session: Some(s.slug.clone()),
                        language: lang.to_string(),
                        variant: variant.clone(),
                        state: state(src, t, |meta| meta.source_hash.clone(), |meta| meta.sample),
                        file: t.map_or_else(
                            || format!("content/{}/{}{suffix}.{lang}.md", m.dir, s.stem),
                            |t| t.source.name.clone(),
                        ),
                        source: src.source.name.clone(),
                        recorded: t.and_then(|t| t.meta.source_hash.clone()),
                        sections: None,
                        stamped_source: None,
                    });
                }
            }
        }
    }
    let reference = i18n.own_ids(source_lang);
    let strings = config
        .languages
        .iter()
        .map(|l| {
            let own = i18n.own_ids(&l.code);
            let translated = reference.iter().filter(|id| own.contains(id)).count();
            (
                l.code.clone(),
                Coverage {
                    translated,
                    total: reference.len(),
                    raw_ids: crate::check::raw_ids(config, i18n, &l.code),
                },
            )
        })
        .collect();
    let share = others
        .iter()
        .map(|lang| {
            let mine = entries
                .iter()
                .filter(|e| e.language == *lang && e.session.is_some());
            let (up_to_date, sessions) = mine.fold((0, 0), |(u, n), e| {
                (u + usize::from(e.state == State::UpToDate), n + 1)
            });
            let percent = (up_to_date * 100).checked_div(sessions).unwrap_or(0) as u32;
            (
                lang.to_string(),
                Share {
                    up_to_date,
                    sessions,
                    percent,
                },
            )
        })
        .collect();
    Status {
        entries,
        strings,
        share,
    }
}

/// The text of each file of the corpus, by its project-relative name.
pub type Texts<'a> = BTreeMap<&'a str, &'a str>;

pub fn texts(corpus: &Corpus) -> Texts<'_> {
    (corpus.files())
        .map(|(f, _)| (f.name.as_str(), f.text.as_str()))
        .collect()
}

/// What changed in the source of a stale or up-to-date translation since its stamp (the
/// corpus's [`texts`]). `None` for a missing or unstamped one.
pub fn changes(root: &std::path::Path, texts: &Texts, entry: &Entry) -> Option<Changes> {
    let hash = entry.recorded.as_deref()?;
    let source = *texts.get(entry.source.as_str())?;
    let translation = *texts.get(entry.file.as_str())?;
    let stamped = if entry.state == State::UpToDate {
        Stamped::Record(source.replace("\r\n", "\n"))
    } else {
        store::stamped(root, hash, &entry.source)
    };
    let new = sections::sections(source);
    let old = stamped.text().map_or_else(Vec::new, sections::sections);
    Some(Changes {
        stamped,
        old,
        new,
        translation: sections::sections(translation),
    })
}

/// Fills in each stamped translation's sections (and where a stale one's stamped source
/// was found). Reads the project's record and, where it lacks one, its git history.
pub fn explain(root: &std::path::Path, corpus: &Corpus, status: &mut Status) {
    let texts = texts(corpus);
    for entry in &mut status.entries {
        let Some(changes) = changes(root, &texts, entry) else {
            continue;
        };
        if entry.state == State::Stale {
            entry.stamped_source = Some(
                changes
                    .stamped
                    .origin(entry.recorded.as_deref().unwrap_or("")),
            );
        }
        if changes.stamped.text().is_some() {
            entry.sections = Some(
                changes
                    .compared()
                    .into_iter()
                    .map(|(state, s)| SectionEntry {
                        id: s.id.clone(),
                        state,
                        heading: s.heading.clone(),
                    })
                    .collect(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_line_endings() {
        assert_eq!(source_hash("a\r\nb\n"), source_hash("a\nb\n"));
        assert_eq!(source_hash("x").len(), 12);
    }
}
