//! The one place that parses YAML (aula.yaml and front matter), so that swapping the YAML
//! crate touches one file, and so that every YAML error lands on the real line and column
//! of the file, with "did you mean" for a misspelt key.

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, closest};
use crate::source::SourceFile;

/// Parses `source.text[start..end]` as `T`. Errors point into `source`; every unknown key
/// of the top-level mapping is reported, not only the first.
pub fn parse<T: DeserializeOwned>(
    source: &SourceFile,
    start: usize,
    end: usize,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    let text = source.text.get(start..end).unwrap_or("");
    // An empty document is an empty mapping, so that missing keys are reported as such.
    let text = if text.trim().is_empty() { "{}" } else { text };
    let err = match serde_yaml::from_str(text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let first = yaml_error(source, start, end, what, &err);
    let raw = err.to_string();
    let (Some((_, expected)), Ok(serde_yaml::Value::Mapping(mut map))) = (
        unknown_field(strip_location(&raw)),
        serde_yaml::from_str::<serde_yaml::Value>(text),
    ) else {
        return Err(vec![first]);
    };
    let mut found = Vec::new();
    map.retain(|key, _| {
        let name = key.as_str().unwrap_or("");
        let known = expected.iter().any(|e| e == name);
        if !known && !name.is_empty() {
            let offset = find_key(source, start, end, name).unwrap_or(start);
            let hint = match closest(name, expected.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys allowed here are: {}", expected.join(", ")),
            };
            found.push(
                Diagnostic::error("unknown-key", format!("{what}: unknown key `{name}`"))
                    .at(source, offset, name.len())
                    .with_help(hint),
            );
        }
        known
    });
    if found.is_empty() {
        return Err(vec![first]);
    }
    // With the unknown keys out, a missing required key is the next thing to say.
    if let Err(e) = serde_yaml::from_value::<T>(serde_yaml::Value::Mapping(map)) {
        let d = yaml_error(source, start, end, what, &e);
        // `titel` for `title` is one mistake, already told with its "did you mean".
        let missing = d.message.split('`').nth(1).unwrap_or("");
        let told = found
            .iter()
            .any(|f| f.help.as_deref() == Some(&format!("did you mean `{missing}`?")));
        if d.code == "missing-key" && !told {
            found.push(d);
        }
    }
    Err(found)
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

/// The message without serde's "at line N column M", which counts from the start of the
/// YAML (not of the file, where the pointer is).
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
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
        let err = &parse::<Meta>(&s, 4, 25, "front matter").unwrap_err()[0];
        assert_eq!(err.code, "unknown-key");
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_message_without_yaml_lines() {
        let s = src("---\ntitel: Hola\ndurasion: 5\nobjetivos: []\n---\n");
        let errs = parse::<Meta>(&s, 4, s.text.len() - 4, "front matter").unwrap_err();
        let found: Vec<(&str, Option<usize>)> = errs.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                ("unknown-key", Some(2)),
                ("unknown-key", Some(3)),
                ("unknown-key", Some(4)),
            ]
        );
        // `titel` was told "did you mean `title`?": `title` is not said to be missing too.
        assert!(errs[0].help.as_deref() == Some("did you mean `title`?"));
        let none = src("---\nfoo: 1\n---\n");
        let errs = parse::<Meta>(&none, 4, 11, "front matter").unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["unknown-key", "missing-key"]);
        let bad = src("---\ntitle: [a\n---\n");
        let err = &parse::<Meta>(&bad, 4, 14, "front matter").unwrap_err()[0];
        assert!(!err.message.contains(" line "), "{}", err.message);
    }

    #[test]
    fn type_errors_are_shifted_by_the_front_matter_offset() {
        let s = src("---\ntitle: Hola\nduration: muchos\n---\n");
        let err = &parse::<Meta>(&s, 4, 33, "front matter").unwrap_err()[0];
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }
}
