//! `aula stamp`: records in a translation the hash of the source it matches, and keeps that
//! source in the project's record ([`super::store`]).

use super::status::source_hash;
use super::store;
use crate::config::Config;
use crate::content::{Corpus, FileKey};

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
    (corpus.files())
        .filter(|(f, _)| f.name != except)
        .filter_map(|(_, hash)| hash.map(str::to_string))
        .collect()
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
