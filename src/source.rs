//! Source files as aula read them, and byte offsets turned into `line:column`.
//!
//! Every diagnostic that points into a user's file goes through [`SourceFile::locate`], so
//! that lines are 1-based, columns count characters (not bytes: K'iche' text is full of
//! multi-byte letters) and the offending line can be shown as written.

use std::path::PathBuf;

/// One text file of the project, read once at load time.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root, with `/` separators: what diagnostics print.
    pub name: String,
    /// Absolute path on disk.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column, and the byte length of what is pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// The line and column (both 1-based, column in characters) of a byte offset.
    pub fn locate(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line_index];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        Location {
            line: line_index + 1,
            column,
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("x.md".into(), PathBuf::from("x.md"), text.into())
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = file("a\nKʼakʼ ri abʼ.\n");
        let offset = f.text.find("ri").unwrap();
        assert_eq!(f.locate(offset), Location { line: 2, column: 7 });
        assert_eq!(f.line(2), "Kʼakʼ ri abʼ.");
    }

    #[test]
    fn offsets_past_the_end_land_on_the_last_line() {
        let f = file("one\ntwo");
        assert_eq!(f.locate(100), Location { line: 2, column: 4 });
        assert_eq!(f.line(9), "");
    }
}
