//! Markdown as both outputs read it: pulldown-cmark with the options aula uses (never
//! smart punctuation: an apostrophe inside a K'iche' word is a letter), events with source
//! offsets, heading ids (`{#id}` or a slug of the text), Pandoc's bracketed spans and image
//! attributes, and the localised asset that stands for an image path.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Parses Markdown with offsets, merging runs of text (pulldown-cmark splits text at
/// brackets and entities) so that later passes see whole phrases.
pub fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    // Sized for the text at hand (sessions give about one event per 7 bytes), so that
    // the list is not copied each time it outgrows itself.
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(text.len() / 8 + 16);
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, events.last_mut())
        {
            let mut merged = prev.to_string();
            merged.push_str(t);
            *prev = CowStr::from(merged);
            prev_range.end = range.end;
            continue;
        }
        events.push((event, range));
    }
    image_attributes(&mut events);
    events
}

/// Pandoc's image attributes, `![](fig.svg){alt='A diagram'}`: the `alt` becomes the
/// image's description and the attribute text is removed.
fn image_attributes(events: &mut Vec<(Event<'_>, Range<usize>)>) {
    let mut i = 0;
    while i + 1 < events.len() {
        let is_end = matches!(events[i].0, Event::End(TagEnd::Image));
        let attrs = match &events[i + 1].0 {
            Event::Text(t) if is_end && t.starts_with('{') => t
                .find('}')
                .map(|end| (t[1..end].to_string(), t[end + 1..].to_string())),
            _ => None,
        };
        if let Some((attrs, rest)) = attrs {
            let alt = attrs.split_once("alt=").map(|(_, v)| {
                let quote = v.chars().next().filter(|c| *c == '\'' || *c == '"');
                match quote {
                    Some(q) => v[1..].split(q).next().unwrap_or("").to_string(),
                    None => v.split_whitespace().next().unwrap_or("").to_string(),
                }
            });
            let range = events[i + 1].1.clone();
            events[i + 1].0 = Event::Text(CowStr::from(rest));
            let has_text = i > 0 && !matches!(events[i - 1].0, Event::Start(Tag::Image { .. }));
            if let Some(alt) = alt.filter(|a| !a.is_empty())
                && !has_text
            {
                events.insert(i, (Event::Text(CowStr::from(alt)), range));
                i += 1;
            }
        }
        i += 1;
    }
}

/// Whether `text` may hold a bracketed span: most text has no `{`, found at memchr speed.
pub fn has_span(text: &str) -> bool {
    text.contains('{') && text.contains("]{#")
}

/// Pandoc's bracketed spans with an id, `[text]{#id}`: (byte range of the whole span, id,
/// byte range of the text).
pub fn bracketed_spans(text: &str) -> Vec<(Range<usize>, &str, Range<usize>)> {
    let mut out = Vec::new();
    if !has_span(text) {
        return out;
    }
    let mut from = 0;
    while let Some(rel) = text[from..].find("]{#") {
        let close = from + rel;
        let Some(open) = text[from..close].rfind('[').map(|i| from + i) else {
            from = close + 3;
            continue;
        };
        let Some(end) = text[close..].find('}').map(|i| close + i) else {
            break;
        };
        let id = &text[close + 3..end];
        if !id.is_empty() && !id.contains(char::is_whitespace) {
            out.push((open..end + 1, id, open + 1..close));
        }
        from = end + 1;
    }
    out
}

pub fn with_spans(text: CowStr<'_>) -> Vec<Event<'_>> {
    let spans = bracketed_spans(&text);
    let mut events = Vec::new();
    let mut last = 0;
    for (whole, id, inner) in spans {
        if whole.start > last {
            events.push(Event::Text(CowStr::from(
                text[last..whole.start].to_string(),
            )));
        }
        events.push(Event::InlineHtml(CowStr::from(format!(
            "<span id=\"{}\">",
            crate::html::escape(id)
        ))));
        events.push(Event::Text(CowStr::from(text[inner].to_string())));
        events.push(Event::InlineHtml(CowStr::from("</span>")));
        last = whole.end;
    }
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
    events
}

/// The asset standing for `content_path` in a language: `name.LANG.ext` along the chain,
/// else the file itself.
pub fn find_asset(
    content_path: &str,
    chain: &[&str],
    assets: &BTreeMap<String, PathBuf>,
) -> Option<String> {
    let (stem, ext) = match content_path.rsplit_once('.') {
        Some((s, e)) if !s.ends_with('/') && !s.is_empty() => (s, Some(e)),
        _ => (content_path, None),
    };
    let localised = chain
        .iter()
        .filter_map(|lang| ext.map(|e| format!("{stem}.{lang}.{e}")));
    localised
        .chain(std::iter::once(content_path.to_string()))
        .find(|p| assets.contains_key(p))
}

/// A slug of `text` that no heading of the page has yet (`precio`, `precio-1`, …),
/// taken.
pub fn unique_slug(text: &str, used: &mut BTreeSet<String>) -> String {
    let base = slugify(text);
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

pub fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's text as an id: lowercase letters and digits (any script) joined by `-`.
/// Apostrophes (', ’, ʼ) are dropped, so `Ri q'ij` and `Ri qʼij` give the same id.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if matches!(c, '\'' | '’' | 'ʼ') {
            continue;
        }
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_any_script_and_drop_apostrophes() {
        assert_eq!(
            slugify("¿Cuánto cuesta? Mi precio"),
            "cuánto-cuesta-mi-precio"
        );
        assert_eq!(slugify("Ri q'ij"), "ri-qij");
        assert_eq!(slugify("Ri qʼij"), "ri-qij");
    }

    #[test]
    fn bracketed_spans_give_anchors() {
        let spans = bracketed_spans("see [changeset]{#changeset} and [x] {#no}");
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].1, "changeset");
        let events: Vec<_> = parse("[commit]{#commit}\n:   definition\n")
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Text(t) if t.as_ref() == "[commit]{#commit}")),
            "{events:?}"
        );
    }

    #[test]
    fn pandoc_image_attributes_give_the_description() {
        let events: Vec<_> = parse("![](a.svg){alt='The staging area'} after\n")
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        let texts: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            vec!["The staging area".to_string(), " after".to_string()]
        );
    }
}
