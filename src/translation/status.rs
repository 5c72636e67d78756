//! Translation status: which translations are up to date, stale, unstamped or missing,
//! which sections of a stale one's source changed since its stamp, and `stamp`, which
//! records in a translation the hash of the source it matches (and keeps that source in
//! the project's record, [`super::store`]).
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
    let digest = Sha256::digest(normalised.as_bytes());
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
            Some(h) if h == source_hash(&source.source.text) => State::UpToDate,
            Some(_) => State::Stale,
        },
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
            entries.push(Entry {
                module: String::new(),
                session: None,
                language: lang.to_string(),
                variant: None,
                state: state(src, t, |meta| meta.source_hash.clone(), |_| false),
                file: t.map_or_else(
                    || format!("content/_index.{lang}.md"),
                    |t| t.source.name.clone(),
                ),
                source: src.source.name.clone(),
                recorded: t.and_then(|t| t.meta.source_hash.clone()),
                sections: None,
                stamped_source: None,
            });
        }
    }
    for m in &corpus.modules {
        if let Some(src) = m.pages.get(source_lang) {
            for lang in &others {
                let t = m.pages.get(*lang);
                entries.push(Entry {
                    module: m.slug.clone(),
                    session: None,
                    language: lang.to_string(),
                    variant: None,
                    state: state(src, t, |meta| meta.source_hash.clone(), |_| false),
                    file: t.map_or_else(
                        || format!("content/{}/_module.{lang}.md", m.dir),
                        |t| t.source.name.clone(),
                    ),
                    source: src.source.name.clone(),
                    recorded: t.and_then(|t| t.meta.source_hash.clone()),
                    sections: None,
                    stamped_source: None,
                });
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
                    let t = s.files.get(&key(lang));
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
pub fn texts(corpus: &Corpus) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for d in corpus.home.values() {
        out.insert(d.source.name.as_str(), d.source.text.as_str());
    }
    for m in &corpus.modules {
        for d in m.pages.values() {
            out.insert(d.source.name.as_str(), d.source.text.as_str());
        }
        for s in &m.sessions {
            for d in s.files.values() {
                out.insert(d.source.name.as_str(), d.source.text.as_str());
            }
        }
    }
    out
}

/// What changed in the source of a stale or up-to-date translation since its stamp. `None`
/// for a missing or unstamped one.
pub fn changes(root: &std::path::Path, corpus: &Corpus, entry: &Entry) -> Option<Changes> {
    let hash = entry.recorded.as_deref()?;
    let texts = texts(corpus);
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
    for entry in &mut status.entries {
        let Some(changes) = changes(root, corpus, entry) else {
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

/// The status as an aligned table, one row per module page, session and variant override,
/// one column per translation language. `colour` adds ANSI colours.
pub fn render(status: &Status, colour: bool) -> String {
    let langs: std::collections::BTreeSet<&str> =
        status.entries.iter().map(|e| e.language.as_str()).collect();
    let mut rows: Vec<(String, BTreeMap<&str, State>)> = Vec::new();
    for e in &status.entries {
        let name = match (&e.session, &e.variant) {
            (None, _) if e.module.is_empty() => "(home page)".to_string(),
            (None, _) => format!("{}/", e.module),
            (Some(s), None) => format!("{}/{s}", e.module),
            (Some(s), Some(v)) => format!("{}/{s} ({v})", e.module),
        };
        match rows.last_mut() {
            Some((n, cells)) if *n == name => {
                cells.insert(e.language.as_str(), e.state);
            }
            _ => rows.push((name, BTreeMap::from([(e.language.as_str(), e.state)]))),
        }
    }
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let cell = 11;
    let mut out = format!("{:width$}", "");
    for l in &langs {
        out.push_str(&format!("  {l:cell$}"));
    }
    out.push('\n');
    for (name, cells) in &rows {
        out.push_str(&format!("{name:width$}"));
        for l in &langs {
            let (word, code) = match cells.get(l) {
                Some(s) => (
                    s.word(),
                    match s {
                        State::UpToDate => "32",
                        State::Stale => "33",
                        State::Missing => "31",
                        State::Unstamped => "36",
                        State::Sample => "35",
                    },
                ),
                None => ("", "0"),
            };
            let padded = format!("{word:cell$}");
            if colour && !word.is_empty() {
                out.push_str(&format!("  \x1b[{code}m{padded}\x1b[0m"));
            } else {
                out.push_str(&format!("  {padded}"));
            }
        }
        out.push('\n');
    }
    let trimmed: Vec<String> = out.lines().map(|l| l.trim_end().to_string()).collect();
    let mut out = trimmed.join("\n");
    out.push('\n');
    out.push_str(&render_stale(status));
    out.push_str("\nsessions up to date:\n");
    for (lang, s) in &status.share {
        out.push_str(&format!(
            "  {lang:5} {:>3} % ({} of {})\n",
            s.percent, s.up_to_date, s.sessions
        ));
    }
    out.push_str("\ninterface strings:\n");
    for (lang, c) in &status.strings {
        out.push_str(&format!(
            "  {lang:5} {:>3} of {} translated\n",
            c.translated, c.total
        ));
        if !c.raw_ids.is_empty() {
            out.push_str(&format!(
                "        {} shown as bare ids: {}\n",
                c.raw_ids.len(),
                c.raw_ids.join(", ")
            ));
        }
    }
    out
}

/// For each stale translation, which sections of its source changed since its stamp.
fn render_stale(status: &Status) -> String {
    let stale: Vec<&Entry> = status
        .entries
        .iter()
        .filter(|e| e.state == State::Stale)
        .collect();
    if stale.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\nstale: what changed in the source since the translation was stamped (`aula diff FILE` shows the changes)\n",
    );
    for e in stale {
        out.push_str(&format!("  {}\n", e.file));
        let Some(sections) = &e.sections else {
            let why = e
                .stamped_source
                .as_deref()
                .unwrap_or("no record of the stamped source");
            out.push_str(&format!("    no section-by-section view: {why}\n"));
            continue;
        };
        for state in [
            SectionState::Changed,
            SectionState::Added,
            SectionState::Removed,
        ] {
            let names: Vec<String> = sections
                .iter()
                .filter(|s| s.state == state)
                .map(|s| match &s.heading {
                    Some(h) => format!("#{} \u{201c}{}\u{201d}", s.id, h.trim()),
                    None => s.id.clone(),
                })
                .collect();
            if !names.is_empty() {
                out.push_str(&format!("    {:9} {}\n", state.word(), names.join(", ")));
            }
        }
        let unchanged = sections
            .iter()
            .filter(|s| s.state == SectionState::Unchanged)
            .count();
        if sections.iter().all(|s| s.state == SectionState::Unchanged) {
            out.push_str("    no section's text changed (only other front matter fields)\n");
        } else if unchanged > 0 {
            out.push_str(&format!("    unchanged {unchanged} more\n"));
        }
    }
    out
}

/// Why a file cannot be stamped.
#[derive(Debug, thiserror::Error)]
pub enum StampError {
    #[error("`{0}` is not a Markdown file of this project's content/")]
    NotContent(String),
    #[error("`{0}` is in the source language; only translations are stamped")]
    Source(String),
    #[error("`{0}` has no source file to match (expected `{1}`)")]
    NoSource(String, String),
    #[error("`{0}` has no front matter to write the hash into")]
    NoFrontMatter(String),
    #[error("cannot write `{0}`: {1}")]
    Io(String, std::io::Error),
    #[error("will not write `{0}`: {1}")]
    Refused(String, crate::files::ReadError),
    #[error(
        "`{0}` is marked `sample: true`: sample text, not a translation; remove that line once it is one"
    )]
    Sample(String),
    #[error("cannot keep the stamped source in `{0}/`: {1}")]
    Record(String, std::io::Error),
}

/// The source hashes recorded by every translation but the one at `except`.
fn recorded_hashes(corpus: &Corpus, except: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut add = |name: &str, hash: &Option<String>| {
        if name != except
            && let Some(h) = hash
        {
            out.insert(h.clone());
        }
    };
    for d in corpus.home.values() {
        add(&d.source.name, &d.meta.source_hash);
    }
    for m in &corpus.modules {
        for d in m.pages.values() {
            add(&d.source.name, &d.meta.source_hash);
        }
        for s in &m.sessions {
            for d in s.files.values() {
                add(&d.source.name, &d.meta.source_hash);
            }
        }
    }
    out
}

/// Records in the translation at `path` (relative to the project) the hash of its source.
/// Returns the hash written.
pub fn stamp(
    root: &std::path::Path,
    config: &Config,
    corpus: &Corpus,
    path: &str,
) -> Result<String, StampError> {
    let path = path.trim_start_matches("./");
    let source_lang = config.source_language();
    let mut found = None;
    if let Some(t) = corpus.home.values().find(|d| d.source.name == path) {
        found = Some((
            t.lang.clone(),
            corpus.home.get(source_lang).map(|s| s.source.clone()),
            "content/_index".to_string(),
            t.meta.source_hash.clone(),
        ));
    }
    for m in &corpus.modules {
        if let Some(t) = m.pages.values().find(|d| d.source.name == path) {
            found = Some((
                t.lang.clone(),
                m.pages.get(source_lang).map(|s| s.source.clone()),
                format!("content/{}/_module", m.dir),
                t.meta.source_hash.clone(),
            ));
        }
        for s in &m.sessions {
            if let Some((key, t)) = s.files.iter().find(|(_, d)| d.source.name == path) {
                if t.meta.sample {
                    return Err(StampError::Sample(path.to_string()));
                }
                let source_key = FileKey {
                    lang: source_lang.to_string(),
                    variant: key.variant.clone(),
                };
                let suffix = key
                    .variant
                    .as_ref()
                    .map_or(String::new(), |v| format!(".{v}"));
                found = Some((
                    t.lang.clone(),
                    s.files.get(&source_key).map(|d| d.source.clone()),
                    format!("content/{}/{}{suffix}", m.dir, s.stem),
                    t.meta.source_hash.clone(),
                ));
            }
        }
    }
    let Some((lang, source, stem, previous)) = found else {
        return Err(StampError::NotContent(path.to_string()));
    };
    if lang == source_lang {
        return Err(StampError::Source(path.to_string()));
    }
    let Some(source) = source else {
        return Err(StampError::NoSource(
            path.to_string(),
            format!("{stem}.{source_lang}.md"),
        ));
    };
    let hash = source_hash(&source.text);
    // Only a regular file inside the project is written: never through a link that leads out.
    let full = crate::files::inside(&crate::files::real(root), &root.join(path))
        .map_err(|e| StampError::Refused(path.to_string(), e))?;
    let text = std::fs::read_to_string(&full).map_err(|e| StampError::Io(path.to_string(), e))?;
    let stamped =
        stamp_text(&text, &hash).ok_or_else(|| StampError::NoFrontMatter(path.to_string()))?;
    // The source as it is now is kept first: a stamp without its record could show no diff.
    store::keep(root, &source.text).map_err(|e| StampError::Record(store::DIR.to_string(), e))?;
    // Written beside and renamed over it: a stamp cut short leaves the file as it was.
    let tmp = full.with_extension("md.aula-stamp");
    std::fs::write(&tmp, stamped)
        .and_then(|()| std::fs::rename(&tmp, &full))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            StampError::Io(path.to_string(), e)
        })?;
    // The record this translation used goes when no other translation uses it.
    if let Some(previous) = previous.filter(|p| *p != hash)
        && !recorded_hashes(corpus, path).contains(&previous)
    {
        store::forget(root, &previous);
    }
    Ok(hash)
}

/// Sets `source_hash: <hash>` in the front matter of `text`, changing nothing else: the
/// existing line's value is replaced, or a line is added before the closing `---`.
/// `None` when the text has no front matter.
pub fn stamp_text(text: &str, hash: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return None;
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))?
        + 1;
    let new_line;
    if let Some(i) = (1..close).find(|&i| lines[i].starts_with("source_hash:")) {
        let ending = &lines[i][lines[i].trim_end_matches(['\r', '\n']).len()..];
        let rest = lines[i]["source_hash:".len()..].trim_end_matches(['\r', '\n']);
        // Keep a trailing comment, if any.
        let comment = rest.find(" #").map_or("", |c| &rest[c..]);
        new_line = format!("source_hash: {hash}{comment}{ending}");
        lines[i] = &new_line;
    } else {
        new_line = format!("source_hash: {hash}{newline}");
        lines.insert(close, &new_line);
    }
    Some(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_ignore_line_endings() {
        assert_eq!(source_hash("a\r\nb\n"), source_hash("a\nb\n"));
        assert_eq!(source_hash("x").len(), 12);
    }

    #[test]
    fn stamping_adds_or_replaces_one_line_and_keeps_the_rest() {
        let text = "---\ntitle: Un  # mon titre\nduration: 90\n---\nCorps 'k'o'.\n";
        let stamped = stamp_text(text, "abc123abc123").unwrap();
        assert_eq!(
            stamped,
            "---\ntitle: Un  # mon titre\nduration: 90\nsource_hash: abc123abc123\n---\nCorps 'k'o'.\n"
        );
        let again = stamp_text(&stamped, "ffffff000000").unwrap();
        assert_eq!(again, stamped.replace("abc123abc123", "ffffff000000"));
        let crlf = "---\r\ntitle: Un\r\nsource_hash: 1 # old\r\n---\r\nx\r\n";
        assert_eq!(
            stamp_text(crlf, "22").unwrap(),
            "---\r\ntitle: Un\r\nsource_hash: 22 # old\r\n---\r\nx\r\n"
        );
        assert!(stamp_text("no front matter", "1").is_none());
    }
}
