//! A translated file's sections: the front matter's translatable fields (`title`,
//! `summary`, `objectives`, `materials`), the text before the first heading, and each
//! heading with what follows it up to the next heading. Sections are named by heading id
//! (`{#id}` or a slug of the text), so that an explicit id keeps a renamed heading paired
//! with its earlier self and with its translation.
//!
//! Two versions of a source compare section by section ([`compare`]); a translation is
//! paired with the source it was made from by id, then by position ([`pair`]).

use std::collections::{BTreeMap, BTreeSet};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::doc::markdown;

/// The front matter fields a translator translates, in the order they are reported.
pub const FRONT_FIELDS: [&str; 4] = ["title", "summary", "objectives", "materials"];

/// The id of the text before a file's first heading.
pub const INTRO: &str = "_intro";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `title`, `objectives` … for front matter fields, [`INTRO`], or a heading id.
    pub id: String,
    pub front: bool,
    /// The heading's text, for a heading section.
    pub heading: Option<String>,
    /// The section's text as authored (line endings normalised to `\n`).
    pub text: String,
    /// The 1-based line of the file the section starts on.
    pub line: usize,
}

impl Section {
    /// How a section is named to a reader: `objectives`, `#cierre "Cierre"`.
    pub fn label(&self) -> String {
        match &self.heading {
            Some(h) => format!("#{} \u{201c}{}\u{201d}", self.id, h.trim()),
            None if self.id == INTRO => "the text before the first heading".to_string(),
            None => self.id.clone(),
        }
    }

    fn key(&self) -> (bool, &str) {
        (self.front, self.id.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionState {
    Changed,
    Added,
    Removed,
    Unchanged,
}

impl SectionState {
    pub fn word(self) -> &'static str {
        match self {
            SectionState::Changed => "changed",
            SectionState::Added => "added",
            SectionState::Removed => "removed",
            SectionState::Unchanged => "unchanged",
        }
    }
}

/// The sections of a Markdown file with front matter, in file order (front matter first).
pub fn sections(text: &str) -> Vec<Section> {
    let text = text.replace("\r\n", "\n");
    let (front, body_start) = front_matter(&text);
    let mut out = front;
    let body = &text[body_start..];
    let line_of = |offset: usize| text[..body_start + offset].matches('\n').count() + 1;
    let mut starts: Vec<(usize, Option<String>, String)> = Vec::new();
    let mut parser = Parser::new_ext(body, markdown::options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        if let Event::Start(Tag::Heading { id, .. }) = event {
            let mut heading = String::new();
            for (e, _) in parser.by_ref() {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => heading.push_str(&t),
                    _ => {}
                }
            }
            // A heading starts at the beginning of its line (setext ones too).
            let start = body[..range.start].rfind('\n').map_or(0, |i| i + 1);
            starts.push((start, id.map(|s| s.to_string()), heading));
        }
    }
    let mut used: BTreeSet<String> = starts.iter().filter_map(|s| s.1.clone()).collect();
    let first = starts.first().map_or(body.len(), |s| s.0);
    if !body[..first].trim().is_empty() {
        out.push(Section {
            id: INTRO.to_string(),
            front: false,
            heading: None,
            text: body[..first].to_string(),
            line: line_of(0),
        });
    }
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|s| s.0)
        .chain([body.len()])
        .collect();
    for ((start, explicit, heading), end) in starts.into_iter().zip(ends) {
        let id = explicit.unwrap_or_else(|| markdown::unique_slug(&heading, &mut used));
        out.push(Section {
            id,
            front: false,
            heading: Some(heading),
            text: body[start..end].to_string(),
            line: line_of(start),
        });
    }
    out
}

/// The translatable front matter fields as sections (each its key's line and the lines
/// that continue it), and where the body starts.
fn front_matter(text: &str) -> (Vec<Section>, usize) {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return (Vec::new(), 0);
    }
    let mut offset = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut fields: Vec<(String, String, usize)> = Vec::new();
    for (n, line) in lines.enumerate() {
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let found = fields
                .into_iter()
                .filter(|(k, _, _)| FRONT_FIELDS.contains(&k.as_str()))
                .map(|(id, text, line)| Section {
                    id,
                    front: true,
                    heading: None,
                    text,
                    line,
                });
            let mut found: Vec<Section> = found.collect();
            found.sort_by_key(|s| FRONT_FIELDS.iter().position(|f| *f == s.id));
            return (found, offset);
        }
        let continues = line.starts_with([' ', '\t', '-', '#']) || trimmed.is_empty();
        match fields.last_mut() {
            Some((_, text, _)) if continues => text.push_str(line),
            _ => {
                let key = line.split(':').next().unwrap_or("").trim().to_string();
                fields.push((key, line.to_string(), n + 2));
            }
        }
    }
    // An unclosed front matter is reported by every build; here it is all body.
    (Vec::new(), 0)
}

/// Each section of `new` and of `old` with its state: `new`'s sections in order, each
/// removed one after the section that preceded it in `old`.
pub fn compare<'a>(old: &'a [Section], new: &'a [Section]) -> Vec<(SectionState, &'a Section)> {
    let old_by: BTreeMap<(bool, &str), &Section> = old.iter().map(|s| (s.key(), s)).collect();
    let new_keys: BTreeSet<(bool, &str)> = new.iter().map(Section::key).collect();
    let mut out: Vec<(SectionState, &Section)> = Vec::new();
    // Removed sections that come before any kept one.
    let mut removed_after: BTreeMap<Option<(bool, &str)>, Vec<&Section>> = BTreeMap::new();
    let mut last_kept = None;
    for s in old {
        if new_keys.contains(&s.key()) {
            last_kept = Some(s.key());
        } else {
            removed_after.entry(last_kept).or_default().push(s);
        }
    }
    let mut push_removed = |after: Option<(bool, &'a str)>, out: &mut Vec<_>| {
        for s in removed_after.remove(&after).unwrap_or_default() {
            out.push((SectionState::Removed, s));
        }
    };
    push_removed(None, &mut out);
    for s in new {
        let state = match old_by.get(&s.key()) {
            None => SectionState::Added,
            Some(o) if o.text == s.text => SectionState::Unchanged,
            Some(_) => SectionState::Changed,
        };
        out.push((state, s));
        if state != SectionState::Added {
            push_removed(Some(s.key()), &mut out);
        }
    }
    out
}

/// For each section of `source` (the version a translation was made from), the section of
/// `translation` that translates it: the one with the same id, else the body section at
/// the same place among those no id paired.
pub fn pair<'a>(source: &[Section], translation: &'a [Section]) -> Vec<Option<&'a Section>> {
    let by_key: BTreeMap<(bool, &str), &Section> =
        translation.iter().map(|s| (s.key(), s)).collect();
    let mut paired: Vec<Option<&Section>> = source
        .iter()
        .map(|s| by_key.get(&s.key()).copied())
        .collect();
    let taken: BTreeSet<(bool, &str)> = paired.iter().flatten().map(|s| s.key()).collect();
    let mut free = translation
        .iter()
        .filter(|s| !s.front && s.id != INTRO && !taken.contains(&s.key()));
    for (s, p) in source.iter().zip(paired.iter_mut()) {
        if p.is_none() && !s.front && s.id != INTRO {
            *p = free.next();
        }
    }
    paired
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "---\ntitle: Mi negocio\nduration: 120\nobjectives:\n  - Presentar\n  - Nombrar\nmaterials: [papel]\n---\n\nIntro.\n\n## Bienvenida {#bienvenida minutes=60}\n\nTexto.\n\n### Detalle\n\nMás.\n\n## Cierre\n\nFin.\n";

    fn ids(sections: &[Section]) -> Vec<&str> {
        sections.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn a_file_splits_into_front_matter_fields_intro_and_headings() {
        let s = sections(SOURCE);
        assert_eq!(
            ids(&s),
            [
                "title",
                "objectives",
                "materials",
                INTRO,
                "bienvenida",
                "detalle",
                "cierre"
            ]
        );
        assert_eq!(s[1].text, "objectives:\n  - Presentar\n  - Nombrar\n");
        assert_eq!(s[1].line, 4);
        assert_eq!(s[4].line, 12);
        assert_eq!(s[4].heading.as_deref(), Some("Bienvenida"));
        assert!(
            s[4].text
                .starts_with("## Bienvenida {#bienvenida minutes=60}\n\nTexto.")
        );
        assert_eq!(s[6].text, "## Cierre\n\nFin.\n");
        // Line endings do not make sections differ.
        assert_eq!(sections(&SOURCE.replace('\n', "\r\n")), s);
    }

    #[test]
    fn comparing_names_changed_added_removed_and_unchanged_sections() {
        let old = sections(SOURCE);
        let edited = SOURCE
            .replace("Texto.", "Texto nuevo.")
            .replace("## Cierre\n\nFin.\n", "## Tarea\n\nHacer.\n")
            .replace("## Bienvenida {#bienvenida", "## Saludo {#bienvenida");
        let new = sections(&edited);
        let states: Vec<(&str, SectionState)> = compare(&old, &new)
            .into_iter()
            .map(|(st, s)| (s.id.as_str(), st))
            .collect();
        use SectionState::*;
        assert_eq!(
            states,
            [
                ("title", Unchanged),
                ("objectives", Unchanged),
                ("materials", Unchanged),
                (INTRO, Unchanged),
                ("bienvenida", Changed),
                ("detalle", Unchanged),
                ("cierre", Removed),
                ("tarea", Added),
            ]
        );
    }

    #[test]
    fn a_translation_pairs_by_id_then_by_place() {
        let source = sections(SOURCE);
        let fr = "---\ntitle: Mon activité\nobjectives: [a]\n---\n\n## Accueil {#bienvenida}\n\nx\n\n### Le détail\n\ny\n\n## Clôture\n\nz\n";
        let t = sections(fr);
        let paired: Vec<Option<&str>> = pair(&source, &t)
            .into_iter()
            .map(|p| p.map(|s| s.id.as_str()))
            .collect();
        assert_eq!(
            paired,
            [
                Some("title"),
                Some("objectives"),
                None,
                None,
                Some("bienvenida"),
                Some("le-détail"),
                Some("clôture"),
            ]
        );
    }
}
