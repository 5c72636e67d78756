//! `aula diff`: the source's changes since a translation was stamped, section by section,
//! as unified diffs with the source's own line numbers, each with the section of the
//! translation it corresponds to.

use std::ops::Range;

use similar::{ChangeTag, TextDiff};

use super::sections::{self, Section, SectionState};
use super::status::{Changes, Entry, State};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// One line of a diff as it is shown: its kind and text (without its newline). A removed
/// or added line paired with one on the other side also says which of its words changed
/// (byte ranges of the text): a long paragraph with one new sentence shows that sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `@@ -12,4 +12,5 @@`
    Hunk(String),
    Context(String),
    Removed(String, Vec<Range<usize>>),
    Added(String, Vec<Range<usize>>),
}

/// The lines of a unified diff from `old` to `new`, numbered from `old_line` and
/// `new_line` (where each text starts in its file).
pub fn unified(old: &str, new: &str, old_line: usize, new_line: usize) -> Vec<Line> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push(Line::Hunk(format!(
            "@@ -{},{} +{},{} @@",
            old_line + old_range.start,
            old_range.len(),
            new_line + new_range.start,
            new_range.len()
        )));
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                let mut text = String::new();
                let mut words: Vec<Range<usize>> = Vec::new();
                for (emphasised, part) in change.iter_strings_lossy() {
                    let part = part.trim_end_matches('\n');
                    if emphasised && !part.trim().is_empty() {
                        words.push(text.len()..text.len() + part.len());
                    }
                    text.push_str(part);
                }
                // A line changed throughout is simply removed or added.
                if words.iter().map(ExactSizeIterator::len).sum::<usize>() >= text.trim().len() {
                    words.clear();
                }
                out.push(match change.tag() {
                    ChangeTag::Equal => Line::Context(text),
                    ChangeTag::Delete => Line::Removed(text, words),
                    ChangeTag::Insert => Line::Added(text, words),
                });
            }
        }
    }
    out
}

/// One section of the report: the source's section, its state, the translation's section
/// it corresponds to, and the diff of the source's text.
pub struct Part<'a> {
    pub state: SectionState,
    pub section: &'a Section,
    /// The translation's section that translates it (for an added section: the one it
    /// would follow).
    pub translation: Option<&'a Section>,
    pub lines: Vec<Line>,
}

/// The parts of a report, for every section of the source (unchanged ones without lines).
pub fn parts(changes: &Changes) -> Vec<Part<'_>> {
    let paired = sections::pair(&changes.old, &changes.translation);
    let in_translation = |s: &Section| {
        changes
            .old
            .iter()
            .position(|o| o.id == s.id && o.front == s.front)
            .and_then(|i| paired[i])
    };
    let old_of = |s: &Section| {
        changes
            .old
            .iter()
            .find(|o| o.id == s.id && o.front == s.front)
    };
    let mut out: Vec<Part> = Vec::new();
    for (state, section) in changes.compared() {
        let translation = match state {
            // Where it would go: after the translation of the section before it.
            SectionState::Added => out.iter().rev().find_map(|p| p.translation),
            _ => in_translation(section),
        };
        let lines = match state {
            SectionState::Unchanged => Vec::new(),
            SectionState::Added => unified("", &section.text, 0, section.line),
            SectionState::Removed => unified(&section.text, "", section.line, 0),
            SectionState::Changed => {
                let old = old_of(section).unwrap_or(section);
                unified(&old.text, &section.text, old.line, section.line)
            }
        };
        out.push(Part {
            state,
            section,
            translation,
            lines,
        });
    }
    out
}

/// The whole report on a terminal (`colour`: ANSI colours) or in a file.
pub fn render(entry: &Entry, changes: Option<&Changes>, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let (file, source) = (&entry.file, &entry.source);
    let hash = entry.recorded.as_deref().unwrap_or("");
    // Only a stale translation has changes to show.
    match entry.state {
        State::UpToDate => {
            return format!(
                "{file} is up to date: {source} has not changed since it was stamped ({hash}).\n"
            );
        }
        State::Unstamped => {
            return format!(
                "{file} was never stamped, so aula cannot tell what changed in {source} since it was translated.\n  = help: compare it with the source, then run `aula stamp {file}`\n"
            );
        }
        State::Sample => {
            return format!(
                "{file} is marked `sample: true`: it is sample text, not a translation of {source}.\n"
            );
        }
        State::Missing => return format!("{file} does not exist yet.\n"),
        State::Stale => {}
    }
    let Some(changes) = changes.filter(|c| c.stamped.text().is_some()) else {
        let why = changes.map_or_else(String::new, |c| c.stamped.origin(hash));
        return format!(
            "{file} is stale: {source} changed since it was stamped ({hash}), but no diff is available: {why}.\n  = help: compare the translation with the source, then run `aula stamp {file}`; from then on aula keeps what it was stamped against\n"
        );
    };
    let mut out = format!(
        "{file} is stale: {source} changed since it was stamped ({hash}, from {}).\n",
        changes.stamped.origin(hash)
    );
    let parts = parts(changes);
    let mut unchanged = Vec::new();
    for part in &parts {
        if part.state == SectionState::Unchanged {
            unchanged.push(part.section.label());
            continue;
        }
        let target = match (part.state, part.translation) {
            (SectionState::Added, Some(t)) => format!(
                "new in the source: translate it after {} ({}:{})",
                t.label(),
                file,
                t.line + t.text.lines().count()
            ),
            (SectionState::Added, None) => {
                "new in the source: not in the translation yet".to_string()
            }
            (_, Some(t)) => format!("translation: {} ({}:{})", t.label(), file, t.line),
            (_, None) => "no section of the translation corresponds to it".to_string(),
        };
        out.push('\n');
        out.push_str(&paint(
            "1",
            &format!("== {} — {}", part.section.label(), part.state.word()),
        ));
        out.push_str(&format!("\n   {target}\n"));
        for line in &part.lines {
            // On a terminal the changed words of a line are also underlined.
            let marked = |code: &str, sign: char, t: &str, words: &[Range<usize>]| {
                if !colour {
                    return format!("{sign}{t}");
                }
                let mut out = format!("\x1b[{code}m{sign}");
                let mut at = 0;
                for w in words {
                    out.push_str(&t[at..w.start]);
                    out.push_str(&format!("\x1b[1;4m{}\x1b[22;24m", &t[w.clone()]));
                    at = w.end;
                }
                out.push_str(&t[at..]);
                out.push_str("\x1b[0m");
                out
            };
            let shown = match line {
                Line::Hunk(h) => paint("36", h),
                Line::Context(t) => format!(" {t}"),
                Line::Removed(t, w) => marked("31", '-', t, w),
                Line::Added(t, w) => marked("32", '+', t, w),
            };
            out.push_str(&shown);
            out.push('\n');
        }
    }
    if !unchanged.is_empty() {
        out.push_str(&format!("\nunchanged: {}\n", unchanged.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_carry_the_files_line_numbers() {
        let old = "## Cierre\n\nUno.\nDos.\n";
        let new = "## Cierre\n\nUno.\nTres.\n";
        let lines = unified(old, new, 20, 30);
        assert_eq!(
            lines,
            [
                Line::Hunk("@@ -20,4 +30,4 @@".to_string()),
                Line::Context("## Cierre".to_string()),
                Line::Context(String::new()),
                Line::Context("Uno.".to_string()),
                Line::Removed("Dos.".to_string(), vec![]),
                Line::Added("Tres.".to_string(), vec![]),
            ]
        );
        assert!(unified(old, old, 1, 1).is_empty());
        // In a long line, the words that changed.
        let lines = unified(
            "Una frase larga. Otra frase.\n",
            "Una frase larga. Otra frase. Y una nueva.\n",
            1,
            1,
        );
        let Line::Added(text, words) = &lines[2] else {
            panic!("{lines:?}")
        };
        let changed: Vec<&str> = words.iter().map(|w| &text[w.clone()]).collect();
        assert_eq!(changed.concat().trim(), "Y una nueva.");
    }
}
