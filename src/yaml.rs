//! The one place that parses YAML (aula.yaml and front matter), so that swapping the YAML
//! crate touches one file, and so that every YAML error lands on the real line and column
//! of the file, with "did you mean" for a misspelt key.

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, closest};
use crate::source::SourceFile;

/// Parses `source.text[start..end]` as `T`. Errors point into `source`.
pub fn parse<T: DeserializeOwned>(
    source: &SourceFile,
    start: usize,
    end: usize,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    let text = source.text.get(start..end).unwrap_or("");
    // An empty document is an empty mapping, so that missing keys are reported as such.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| Box::new(yaml_error(source, start, end, what, &err)))
}

fn yaml_error(
    source: &SourceFile,
    start: usize,
    end: usize,
    what: &str,
    err: &serde_yaml::Error,
) -> Diagnostic {
    {
        let offset = err.location().map_or(start, |l| start + l.index());
        let raw = err.to_string();
        let message = strip_location(&raw);
        let mut d = Diagnostic::error("yaml", format!("{what}: {message}"));
        if let Some((word, expected)) = unknown_field(message) {
            let offset = find_key(source, start, end, &word).unwrap_or(offset);
            d = Diagnostic::error("unknown-key", format!("{what}: unknown key `{word}`")).at(
                source,
                offset,
                word.len(),
            );
            let hint = match closest(&word, expected.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys allowed here are: {}", expected.join(", ")),
            };
            return d.with_help(hint);
        }
        if let Some(field) = message.strip_prefix("missing field `") {
            let field = field.trim_end_matches('`');
            return Diagnostic::error("missing-key", format!("{what}: `{field}` is required"))
                .at(source, start, 1)
                .with_help(format!("add a line `{field}: …`"));
        }
        d = d.at(source, offset, 1);
        if message.contains("invalid type") {
            d = d.with_help("check the value's type: text, a number, true/false or a [list]");
        } else if message.contains("mapping values are not allowed") {
            d = d.with_help("a value containing `: ` must be quoted");
        }
        d
    }
}

fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message
        .split(": ")
        .find_map(|part| part.strip_prefix("unknown field `"))
        .or_else(|| message.strip_prefix("unknown field `"))?;
    let (word, expected) = rest.split_once('`')?;
    let expected = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((word.to_string(), expected))
}

/// Byte offset of `key:` at the start of a line (after indentation) within `start..end`.
fn find_key(source: &SourceFile, start: usize, end: usize, key: &str) -> Option<usize> {
    let text = source.text.get(start..end)?;
    let mut offset = start;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '-']);
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Byte offset of the first occurrence of `needle` as a whole word within `start..end`.
pub fn find_word(source: &SourceFile, start: usize, end: usize, needle: &str) -> Option<usize> {
    let text = source.text.get(start..end)?;
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(needle)
        .find(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + needle.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
        .map(|(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::PathBuf;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        duration: Option<u32>,
    }

    fn src(text: &str) -> SourceFile {
        SourceFile::new("s.md".into(), PathBuf::from("s.md"), text.into())
    }

    #[test]
    fn unknown_key_points_at_the_key_in_the_file_and_suggests() {
        let s = src("---\ntitle: Hola\ntitel: x\n---\n");
        let err = parse::<Meta>(&s, 4, 25, "front matter").unwrap_err();
        assert_eq!(err.code, "unknown-key");
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn type_errors_are_shifted_by_the_front_matter_offset() {
        let s = src("---\ntitle: Hola\nduration: muchos\n---\n");
        let err = parse::<Meta>(&s, 4, 33, "front matter").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }
}
