//! Front matter: the YAML between `---` lines at the top of a Markdown file, split off
//! with its byte range so that YAML errors land on the file's own lines.

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::yaml;

/// A session's front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionMeta {
    pub title: String,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub variants: Option<Vec<String>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub source_hash: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Sample text (for tests or a demonstration), not a lesson nor a translation: every
    /// page and PDF of it says so, and `status` never counts it as translated.
    #[serde(default)]
    pub sample: bool,
}

/// The front matter of a module page (`_module.L.md`) or the home page (`_index.L.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub source_hash: Option<String>,
}

/// Where the front matter and the body are in a file.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// Byte range of the YAML, without the `---` lines.
    pub yaml: (usize, usize),
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// Finds the front matter. `Ok(None)` when the file has none.
pub fn split(source: &SourceFile) -> Result<Option<Split>, Box<Diagnostic>> {
    let text = &source.text;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_line_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some(Split {
                yaml: (yaml_start, offset),
                body: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(Box::new(
        Diagnostic::error("front-matter", "the front matter is never closed")
            .at(source, start, 3)
            .with_help("end the front matter with a line `---`"),
    ))
}

/// Parses the front matter of `source` as `T`; a file without one is an error naming
/// what is required.
pub fn parse<T: for<'de> Deserialize<'de> + HasTitle>(
    source: &SourceFile,
) -> Result<(T, usize), Vec<Diagnostic>> {
    match split(source).map_err(|d| vec![*d])? {
        Some(s) => {
            let meta: T = yaml::parse(source, s.yaml.0, s.yaml.1, "front matter")?;
            if meta.title().trim().is_empty() {
                let at = yaml::find_word(source, s.yaml.0, s.yaml.1, "title").unwrap_or(s.yaml.0);
                return Err(vec![
                    Diagnostic::error("empty-title", "the title is empty")
                        .at(source, at, 5)
                        .with_help("give the page a title: it names it in menus, tabs and PDFs"),
                ]);
            }
            Ok((meta, s.body))
        }
        None => Err(vec![
            Diagnostic::error("front-matter", "this file has no front matter")
                .at(source, 0, 1)
                .with_help("start the file with\n---\ntitle: …\n---"),
        ]),
    }
}

/// Front matter with a title (which must not be empty).
pub trait HasTitle {
    fn title(&self) -> &str;
}

impl HasTitle for SessionMeta {
    fn title(&self) -> &str {
        &self.title
    }
}

impl HasTitle for PageMeta {
    fn title(&self) -> &str {
        &self.title
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn src(text: &str) -> SourceFile {
        SourceFile::new("s.es.md".into(), PathBuf::from("s"), text.into())
    }

    #[test]
    fn splits_yaml_and_body() {
        let s = src("---\ntitle: Mi negocio\nduration: 90\n---\n# Hola\n");
        let (meta, body) = parse::<SessionMeta>(&s).unwrap();
        assert_eq!(meta.title, "Mi negocio");
        assert_eq!(meta.duration, Some(90));
        assert_eq!(&s.text[body..], "# Hola\n");
    }

    #[test]
    fn missing_title_and_unclosed_front_matter_are_errors() {
        let err = parse::<SessionMeta>(&src("---\nduration: 5\n---\n")).unwrap_err();
        assert_eq!(err[0].code, "missing-key");
        let err = parse::<SessionMeta>(&src("---\ntitle: x\n")).unwrap_err();
        assert_eq!(err[0].line, Some(1));
        assert!(err[0].message.contains("never closed"));
    }

    #[test]
    fn random_front_matter_is_an_error_or_a_value_never_a_panic() {
        let pieces = [
            "---\n",
            "title: ",
            "Uno",
            "\"",
            "'",
            ": ",
            "\n",
            "  ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a",
            "!!str ",
            "duration: ",
            "-5",
            "4294967296",
            "objectives: ",
            "titel: ",
            "\r",
            "\u{feff}",
            "k'o",
            "#",
            "...\n",
            "|\n",
            "? ",
            "\t",
            "~",
            "null",
        ];
        let mut seed = 0xf00d_u64;
        for _ in 0..3000 {
            let mut text = String::from("---\n");
            for _ in 0..20 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            text.push_str("\n---\nbody\n");
            let file = src(&text);
            if let Err(diags) = parse::<SessionMeta>(&file) {
                assert!(!diags.is_empty());
                for d in diags {
                    assert!(
                        d.line.is_some_and(|l| l <= file.text.lines().count() + 1),
                        "{text:?}: {d:?}"
                    );
                }
            }
        }
    }
}
