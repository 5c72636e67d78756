//! Diagnostics: collected, never thrown, and rendered for people or for machines.
//!
//! Every stage pushes what it finds into [`Diagnostics`] and carries on, so one run reports
//! every problem. Rendering sorts by file, line and column; nothing here decides whether a
//! build stops (the pipeline does, from [`Diagnostics::has_errors`]).

use std::fmt::Write as _;

use serde::Serialize;

use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pinned to a place in a file when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// Relative to the project root.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub language: Option<String>,
    pub variant: Option<String>,
    pub help: Option<String>,
    /// The offending line as written (a window of it, when it is long), how many of its
    /// characters come before the underline, and how many to underline.
    #[serde(skip)]
    pub snippet: Option<(String, usize, usize)>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            language: None,
            variant: None,
            help: None,
            snippet: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points at `len` bytes from byte `offset` of `source`.
    pub fn at(mut self, source: &SourceFile, offset: usize, len: usize) -> Self {
        let loc = source.locate(offset);
        let width = source
            .text
            .get(offset..offset + len.min(SNIPPET))
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
        self.file = Some(source.name.clone());
        self.line = Some(loc.line);
        self.column = Some(loc.column);
        let line = source.line(loc.line);
        let in_line = offset.min(source.text.len()) - source.line_start(loc.line);
        self.snippet = Some(window_at(
            line,
            in_line.min(line.len()),
            loc.column - 1,
            width,
        ));
        self
    }

    /// Points at a 1-based line and column of `source`.
    pub fn at_line(self, source: &SourceFile, line: usize, column: usize) -> Self {
        let start = source.line_start(line);
        let offset = source
            .line(line)
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(start + source.line(line).len(), |(i, _)| start + i);
        self.at(source, offset, 1)
    }

    /// Names a file without a place in it.
    pub fn in_file(mut self, name: impl Into<String>) -> Self {
        self.file = Some(name.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn in_edition(mut self, language: &str, variant: &str) -> Self {
        self.language = Some(language.to_string());
        self.variant = Some(variant.to_string());
        self
    }

    fn same_place_and_text(&self, other: &Diagnostic) -> bool {
        (
            self.severity,
            self.code,
            &self.message,
            &self.file,
            self.line,
            self.column,
            &self.help,
        ) == (
            other.severity,
            other.code,
            &other.message,
            &other.file,
            other.line,
            other.column,
            &other.help,
        )
    }

    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.file.clone(),
            self.line,
            self.column,
            self.severity,
            self.code,
            &self.message,
            self.language.clone(),
            self.variant.clone(),
        )
    }

    /// The human form: `error[code]: message`, ` --> file:line:col`, the line, a caret, help.
    pub fn render(&self) -> String {
        let editions: Vec<String> = match (&self.language, &self.variant) {
            (Some(l), Some(v)) => vec![format!("{l}/{v}")],
            _ => Vec::new(),
        };
        self.render_in(&editions)
    }

    /// The same problem, seen in each of `editions` (`lang/variant`).
    fn render_in(&self, editions: &[String]) -> String {
        let mut out = String::new();
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{severity}[{}]: {}", self.code, self.message);
        let gutter = self.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            match (self.line, self.column) {
                (Some(l), Some(c)) => {
                    let _ = writeln!(out, "{pad}--> {file}:{l}:{c}");
                }
                _ => {
                    let _ = writeln!(out, "{pad}--> {file}");
                }
            }
        }
        if let (Some((text, before, width)), Some(line)) = (&self.snippet, self.line) {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line} | {text}");
            let lead: String = text
                .chars()
                .take(*before)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(*width));
        }
        match editions {
            [] => {}
            [one] => {
                let _ = writeln!(out, "{pad} = in edition: {one}");
            }
            many => {
                let _ = writeln!(
                    out,
                    "{pad} = in {} editions: {}",
                    many.len(),
                    many.join(", ")
                );
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }
}

/// The most characters of a line a diagnostic shows.
const SNIPPET: usize = 160;

/// The part of `line` around the `before`-th character that a terminal can show: all of
/// it when short, else a window marked with `…` (a 10 MB line is not printed whole).
fn window(line: &str, before: usize, width: usize) -> (String, usize, usize) {
    if line.len() <= SNIPPET {
        return (line.to_string(), before, width);
    }
    let start = before.saturating_sub(SNIPPET / 3);
    let mut text: String = line.chars().skip(start).take(SNIPPET).collect();
    let more = line.chars().nth(start + SNIPPET).is_some();
    let mut caret = before - start;
    if start > 0 {
        text.insert(0, '…');
        caret += 1;
    }
    if more {
        text.push('…');
    }
    let shown = text.chars().count().saturating_sub(caret).max(1);
    (text, caret, width.min(shown))
}

/// Like [`window`], for the character at byte `at` of `line` (the `before`-th): the
/// window is found from there, so a diagnostic on a very long line costs the window, not
/// the line.
fn window_at(line: &str, at: usize, before: usize, width: usize) -> (String, usize, usize) {
    if line.len() <= SNIPPET || !line.is_char_boundary(at) {
        return window(line, before, width);
    }
    let start = line[..at]
        .char_indices()
        .rev()
        .nth(SNIPPET / 3 - 1)
        .map_or(0, |(i, _)| i);
    let caret_chars = line[start..at].chars().count();
    let end = line[start..]
        .char_indices()
        .nth(SNIPPET)
        .map_or(line.len(), |(i, _)| start + i);
    let mut text = line[start..end].to_string();
    let mut caret = caret_chars;
    if start > 0 {
        text.insert(0, '…');
        caret += 1;
    }
    if end < line.len() {
        text.push('…');
    }
    let shown = text.chars().count().saturating_sub(caret).max(1);
    (text, caret, width.min(shown))
}

/// All problems found in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether a problem with this code was found.
    pub fn has_code(&self, code: &str) -> bool {
        self.items.iter().any(|d| d.code == code)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file, line and column, with exact repeats removed (the same broken link
    /// seen from nine editions is one problem when it is the same in all of them).
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }

    /// Every problem, sorted; one problem seen in several editions is shown once, naming them.
    pub fn render(&self) -> String {
        let items = self.sorted();
        let mut out = String::new();
        let (mut errors, mut warnings) = (0, 0);
        let mut i = 0;
        while i < items.len() {
            let d = &items[i];
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            let mut editions = Vec::new();
            while i < items.len() && items[i].same_place_and_text(d) {
                if let (Some(l), Some(v)) = (&items[i].language, &items[i].variant) {
                    editions.push(format!("{l}/{v}"));
                }
                i += 1;
            }
            out.push_str(&d.render_in(&editions));
            out.push('\n');
        }
        if !items.is_empty() {
            let _ = writeln!(
                out,
                "{errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Report {
            diagnostics: Vec<Diagnostic>,
        }
        serde_json::to_string_pretty(&Report {
            diagnostics: self.sorted(),
        })
        .unwrap_or_else(|_| String::from("{\"diagnostics\": []}"))
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1) + 1)
        .min()
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_window_found_from_the_offset_is_the_window_of_the_line() {
        let mut rng = crate::testing::Rng(11);
        for _ in 0..200 {
            let n = 150 + (rng.next() % 300) as usize;
            let line: String = (0..n)
                .map(|_| rng.pick(&["a", "ʼ", "ñ", " ", "k", "’"]))
                .collect();
            for (before, (at, _)) in line.char_indices().enumerate().step_by(7) {
                assert_eq!(window_at(&line, at, before, 3), window(&line, before, 3));
            }
        }
    }

    use super::*;
    use std::path::PathBuf;

    #[test]
    fn closest_finds_typos_and_ignores_strangers() {
        let words = ["urban", "rural", "altiplano", "facilitator"];
        assert_eq!(closest("rurla", words), Some("rural"));
        assert_eq!(closest("facilitador", words), Some("facilitator"));
        assert_eq!(closest("Altiplano", words), Some("altiplano"));
        assert_eq!(closest("zzz", words), None);
    }

    #[test]
    fn renders_file_line_column_snippet_and_help() {
        let src = SourceFile::new(
            "content/a.md".into(),
            PathBuf::from("a.md"),
            "hola\n::: rurla\n".into(),
        );
        let d = Diagnostic::error("block-word", "unknown word `rurla`")
            .at(&src, 9, 5)
            .with_help("did you mean `rural`?");
        assert_eq!(
            d.render(),
            "error[block-word]: unknown word `rurla`\n --> content/a.md:2:5\n  |\n2 | ::: rurla\n  |     ^^^^^\n  = help: did you mean `rural`?\n"
        );
    }
}
