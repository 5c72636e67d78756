//! The words after a fence's colons: variants, audiences and callout kinds (with aliases),
//! a quoted title, an activity's minutes, Pandoc's `{.class #id key="value"}` form, and
//! what is wrong with them.

use super::{Block, BlockInfo, MAX_MINUTES};
use crate::blocks::Audience;
use crate::config::{AUDIENCES, Config};
use crate::diag::{Diagnostic, Diagnostics, closest};
use crate::source::SourceFile;

pub(super) fn open_block(
    source: &SourceFile,
    rest: &str,
    rest_offset: usize,
    id: usize,
    open: (usize, usize),
    config: &Config,
    diags: &mut Diagnostics,
) -> Block {
    let mut info = BlockInfo {
        id,
        callout: None,
        audience: None,
        title: None,
        minutes: None,
        html_id: None,
    };
    let mut variants = Vec::new();
    let mut words: Vec<(usize, String)> = Vec::new();
    let braces = rest.starts_with('{') && rest.ends_with('}');
    if braces {
        // Pandoc attributes: {.class #id key="value"}
        let inner = &rest[1..rest.len() - 1];
        for (pos, token) in tokens(inner) {
            let at = rest_offset + 1 + pos;
            if let Some(word) = token.strip_prefix('.') {
                words.push((at + 1, word.to_string()));
            } else if let Some(id) = token.strip_prefix('#') {
                info.html_id = Some(id.to_string());
            } else if let Some((key, value)) = token.split_once('=') {
                let value = value.trim_matches('"').to_string();
                match key {
                    "title" => info.title = Some(value),
                    "minutes" => info.minutes = minutes(&value, source, at + key.len() + 1, diags),
                    _ => {}
                }
            } else {
                words.push((at, token.to_string()));
            }
        }
    } else {
        for (pos, token) in tokens(rest) {
            let at = rest_offset + pos;
            if let Some(title) = token.strip_prefix('"') {
                if title.is_empty() || !title.ends_with('"') {
                    diags.push(
                        Diagnostic::error("block-title", "this title's quote is never closed")
                            .at(source, at, token.len())
                            .with_help("end the title with `\"`, e.g. `::: activity \"Juego de roles\" 20`"),
                    );
                }
                info.title = Some(title.trim_end_matches('"').to_string());
            } else if looks_numeric(token) {
                info.minutes = minutes(token, source, at, diags);
            } else {
                words.push((at, token.to_string()));
            }
        }
    }

    for (at, raw) in words {
        let word = config
            .aliases
            .get(&raw)
            .cloned()
            .unwrap_or_else(|| raw.clone());
        if config.is_variant(&word) {
            variants.push(word);
        } else if AUDIENCES.contains(&word.as_str()) {
            info.audience = Some(if word == "facilitator" {
                Audience::Facilitator
            } else {
                Audience::Participant
            });
        } else if config.callouts.contains(&word) {
            if let Some(first) = &info.callout {
                diags.push(
                    Diagnostic::error(
                        "two-callouts",
                        format!("a block can be one callout kind, not `{first}` and `{word}`"),
                    )
                    .at(source, at, raw.len())
                    .with_help("nest one block inside the other"),
                );
            } else {
                info.callout = Some(word);
            }
        } else {
            let known: Vec<&str> = config
                .variants
                .iter()
                .chain(config.callouts.iter())
                .chain(config.aliases.keys())
                .map(String::as_str)
                .chain(AUDIENCES.iter().copied())
                .collect();
            let help = match closest(&raw, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "a block names variants ({}), an audience (facilitator, participant) or a callout kind ({}); add other words under `callouts:` or `aliases:` in aula.yaml",
                    config.variants.join(", "),
                    config.callouts.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    "block-word",
                    format!("`{raw}` is not a variant, an audience or a callout kind"),
                )
                .at(source, at, raw.len())
                .with_help(help),
            );
        }
    }
    if info.minutes.is_some() && info.callout.is_none() {
        diags.push(
            Diagnostic::error(
                "block-minutes",
                "minutes are given but the block is not a callout",
            )
            .at(source, rest_offset, rest.len())
            .with_help("write the kind first, e.g. `::: activity \"Juego de roles\" 20`"),
        );
    }
    Block {
        info,
        variants,
        open,
        close: None,
        open_prefix: 0,
        close_prefix: 0,
        children: Vec::new(),
    }
}

/// Whether a word was meant as a number (`20`, `-5`, `1.5`, `20min`).
pub(super) fn looks_numeric(token: &str) -> bool {
    let digits = token.trim_start_matches(['-', '+']);
    digits.starts_with(|c: char| c.is_ascii_digit())
}

/// An activity's minutes: a whole number from 0 to [`MAX_MINUTES`], else an error here.
pub(super) fn minutes(
    token: &str,
    source: &SourceFile,
    at: usize,
    diags: &mut Diagnostics,
) -> Option<u32> {
    match token.parse::<u32>() {
        Ok(m) if m <= MAX_MINUTES => Some(m),
        _ => {
            diags.push(
                Diagnostic::error(
                    "block-minutes",
                    format!("`{token}` is not a number of minutes"),
                )
                .at(source, at, token.len().max(1))
                .with_help(format!(
                    "give the activity's minutes as a whole number from 0 to {MAX_MINUTES}, e.g. `20`"
                )),
            );
            None
        }
    }
}

/// Splits on whitespace, keeping `"quoted titles"` together; yields byte positions.
pub(super) fn tokens(s: &str) -> Vec<(usize, &str)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut in_quotes = false;
        while i < bytes.len() && (in_quotes || !bytes[i].is_ascii_whitespace()) {
            if bytes[i] == b'"' {
                in_quotes = !in_quotes;
            }
            i += 1;
        }
        out.push((start, &s[start..i]));
    }
    out
}
