//! The document stage, which neither back end owns. Each source body is parsed once into
//! a [`Document`]: its `:::` blocks, its Markdown events (the body with every block's
//! fences made markers, see [`blocks::mark`]) and the typed [`Target`] of each link and
//! image. Each edition and view is then a [`View`] of it, made without parsing again: the
//! events of the blocks that show there, the wrappers' markers, the headings with their
//! ids. The web page (`site::body`) and the typesetter (`pdf::markup`) are two writers
//! over a view, so a rule about what a link is or which block shows exists once.
//!
//! Where the markers do not come out of the Markdown as their own HTML (a fence in an
//! indented code block, authored text that looks like a marker), the document keeps no
//! events and each view filters the text line by line and parses it: slower, never wrong.

mod checks;
mod events;
pub mod markdown;
pub mod schedule;
mod target;

pub use checks::Analysis;
pub use markdown::{Heading, find_asset, slugify};
pub use schedule::Schedule;
pub use target::Target;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Tag, TagEnd};

use events::Events;

use crate::blocks::{self, BlockDoc, BlockInfo, Placed};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::source::SourceFile;

/// One source body, parsed.
#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    /// The body's `:::` blocks, by id.
    blocks: BTreeMap<usize, Placed>,
    /// The blocks' tree, kept where views filter the text (else the events say it all).
    tree: BlockDoc,
    /// Where the body starts in the source.
    body_start: usize,
    /// The marked body's events, or `None` where views parse their own text.
    parsed: Option<Events>,
    /// Each block's opening and closing marker: ranges of event indices, with the HTML
    /// block tags around them.
    fences: BTreeMap<usize, (Range<usize>, Range<usize>)>,
    /// Markers by the index of their first event (with the HTML block's tags): (block
    /// id, opening).
    markers: Vec<(usize, usize, bool)>,
    /// What is wrong with the blocks (the Markdown's problems depend on the edition).
    pub diagnostics: Diagnostics,
    /// The source's folder under `content/`, which its links are relative to.
    source_dir: String,
}

impl Document {
    /// Parses the body of `source`, which starts at byte `body_start`.
    pub fn new(source: Arc<SourceFile>, body_start: usize, config: &Config) -> Self {
        let mut diagnostics = Diagnostics::default();
        let tree = blocks::parse(&source, body_start, config, &mut diagnostics);
        let placed = blocks::placed(&tree);
        let source_dir = source
            .name
            .strip_prefix("content/")
            .unwrap_or(&source.name)
            .rsplit_once('/')
            .map_or("", |(dir, _)| dir)
            .to_string();
        let mut doc = Document {
            source,
            blocks: placed,
            tree,
            body_start,
            parsed: None,
            fences: BTreeMap::new(),
            markers: Vec::new(),
            diagnostics,
            source_dir,
        };
        // Authored text that holds a marker, or an unclosed block, is shown by filtering.
        let authored_markers = doc.source.text[body_start..].contains(blocks::MARKER_START);
        if authored_markers || doc.blocks.values().any(|b| !b.closed) {
            return doc;
        }
        let marked = blocks::mark(&doc.tree, &doc.source);
        let parsed = doc.parse(&marked.text, config);
        if let Some((fences, markers)) = fences(&parsed, &doc.tree) {
            doc.fences = fences;
            doc.markers = markers;
            doc.parsed = Some(parsed);
            doc.tree = BlockDoc::default();
        }
        doc
    }

    /// The document as `variant` and `audience` (web page, handout, guide) show it.
    pub fn view(&self, variant: &str, audience: blocks::View, config: &Config) -> View<'_> {
        let Some(parsed) = &self.parsed else {
            let filtered = blocks::filter(&self.tree, &self.source, variant, audience);
            let parsed = self.parse(&filtered.text, config);
            let order = (0..parsed.len()).collect();
            return View::new(self, Cow::Owned(parsed), order);
        };
        // What each block is here: shown with its wrapper, shown without, or left out.
        let mut shows: BTreeMap<usize, bool> = BTreeMap::new();
        for (id, block) in &self.blocks {
            let parent = block.parent.is_none_or(|p| shows[&p]);
            shows.insert(*id, parent && block.shows(variant, audience));
        }
        let mut order = Vec::with_capacity(parsed.len());
        let mut markers = self.markers.iter().peekable();
        let mut i = 0;
        while i < parsed.len() {
            let Some(&&(at, id, opening)) = markers.peek().filter(|m| m.0 == i) else {
                order.push(i);
                i += 1;
                continue;
            };
            markers.next();
            let (open, close) = &self.fences[&id];
            let fence = if opening { open } else { close };
            if !shows[&id] {
                if opening {
                    // Left out, with the blocks inside it; container tags that it only opens
                    // or only closes stay, so that what is around it keeps its shape.
                    order.extend(unbalanced(parsed, at..close.end));
                    while markers.peek().is_some_and(|m| m.0 < close.end) {
                        markers.next();
                    }
                    i = close.end;
                    continue;
                }
            } else if self.blocks[&id].is_wrapper() {
                order.extend(fence.clone());
            }
            i = fence.end;
        }
        View::new(self, Cow::Borrowed(parsed), order)
    }

    /// Parses a text that keeps the body's lines.
    fn parse(&self, text: &str, config: &Config) -> Events {
        let first_line = self.source.locate(self.body_start).line;
        Events::parse(text, &self.source, first_line, &self.source_dir, config)
    }

    /// A wrapper block of this body.
    pub fn block(&self, id: usize) -> Option<&BlockInfo> {
        self.blocks.get(&id).map(|b| &b.info)
    }

    /// The folder of the source under `content/`, which its links are relative to.
    pub fn source_dir(&self) -> &str {
        &self.source_dir
    }
}

/// The file standing for `path` (under `content/`, as written in a URL) in a language:
/// `name.LANG.ext` along the chain, else the file itself; its path under `content/`.
pub fn find_file(
    path: &str,
    chain: &[&str],
    assets: &BTreeMap<String, std::path::PathBuf>,
) -> Option<String> {
    find_asset(&crate::urls::decode(path)?, chain, assets)
}

/// The marker events of every block, checked against the blocks: `None` unless each
/// marker came out once, in order, as its own piece of HTML.
#[allow(clippy::type_complexity)]
fn fences(
    events: &Events,
    tree: &BlockDoc,
) -> Option<(
    BTreeMap<usize, (Range<usize>, Range<usize>)>,
    Vec<(usize, usize, bool)>,
)> {
    let found: Vec<(Range<usize>, usize, bool)> = events
        .markers
        .iter()
        .map(|&(i, id, opening)| {
            // With the HTML block's tags around it, where it is a block of its own.
            let i = i as usize;
            let range = if events.is_html_block(i) {
                i - 1..i + 2
            } else {
                i..i + 1
            };
            (range, id, opening)
        })
        .collect();
    let expected = blocks::fence_order(tree);
    let same = found.len() == expected.len()
        && found
            .iter()
            .zip(&expected)
            .all(|((_, id, open), (eid, eopen))| id == eid && open == eopen);
    if !same {
        return None;
    }
    let mut fences: BTreeMap<usize, (Range<usize>, Range<usize>)> = BTreeMap::new();
    for (range, id, opening) in &found {
        let entry = fences.entry(*id).or_insert((0..0, 0..0));
        if *opening {
            entry.0 = range.clone();
        } else {
            entry.1 = range.clone();
        }
    }
    let markers = found
        .into_iter()
        .map(|(r, id, o)| (r.start, id, o))
        .collect();
    Some((fences, markers))
}

/// The indices of `range` whose start or end tag is outside it.
fn unbalanced(events: &Events, range: Range<usize>) -> Vec<usize> {
    let mut open = Vec::new();
    let mut keep = Vec::new();
    for i in range {
        match events.tag(i) {
            Some(true) => open.push(i),
            Some(false) if open.pop().is_none() => keep.push(i),
            _ => {}
        }
    }
    keep.extend(open);
    keep.sort_unstable();
    keep
}

/// One edition's and view's events of a document.
pub struct View<'a> {
    doc: &'a Document,
    parsed: Cow<'a, Events>,
    order: Vec<usize>,
    /// The headings shown, in order, with their ids (`{#id}` or a slug of the text, made
    /// unique on the page).
    pub headings: Vec<Heading>,
}

/// One event of a view, and its index there (to ask the view where it is, what it
/// leads to).
pub struct Ev<'a> {
    pub index: usize,
    pub event: Event<'a>,
}

impl<'a> View<'a> {
    fn new(doc: &'a Document, parsed: Cow<'a, Events>, order: Vec<usize>) -> Self {
        let headings = headings(doc, &parsed, &order);
        View {
            doc,
            parsed,
            order,
            headings,
        }
    }

    pub fn document(&self) -> &'a Document {
        self.doc
    }

    pub fn events(&self) -> impl Iterator<Item = Ev<'_>> {
        let source = self.doc.source.text.as_str();
        self.order.iter().map(move |&index| Ev {
            index,
            event: self.parsed.get(index, source),
        })
    }

    /// How many events the view has.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// What the link or image at `index` leads to.
    pub fn target(&self, index: usize) -> Option<&Target> {
        self.parsed.target(index)
    }

    /// Whether the text at `index` may hold a bracketed span (`[text]{#id}`).
    pub fn may_have_span(&self, index: usize) -> bool {
        self.parsed.may_have_span(index)
    }

    /// Where the event at `index` starts in the source file.
    pub fn offset(&self, index: usize) -> usize {
        self.parsed.offset(index)
    }

    /// The ids set by Pandoc's bracketed spans (`[text]{#id}`) and raw HTML, in order
    /// (the headings' are in [`View::headings`]).
    pub fn anchors(&self) -> Vec<String> {
        let mut ids = Vec::new();
        let source = self.doc.source.text.as_str();
        for &i in &self.parsed.anchors {
            let i = i as usize;
            if self.order.binary_search(&i).is_err() {
                continue;
            }
            match &self.parsed.get(i, source) {
                Event::Text(t) => ids.extend(
                    markdown::bracketed_spans(t)
                        .into_iter()
                        .map(|(_, id, _)| id.to_string()),
                ),
                Event::Html(h) | Event::InlineHtml(h) if blocks::marker(h).is_none() => {
                    ids.extend(checks::html_anchors(h))
                }
                _ => {}
            }
        }
        ids
    }

    /// The wrappers shown, in order.
    pub fn wrappers(&self) -> Vec<&'a BlockInfo> {
        self.parsed
            .markers
            .iter()
            .filter(|(i, _, opening)| *opening && self.order.binary_search(&(*i as usize)).is_ok())
            .filter_map(|(_, id, _)| self.doc.block(*id))
            .collect()
    }
}

/// The headings among `order`, with ids: explicit ones first, so that automatic ones
/// never take them.
fn headings(doc: &Document, parsed: &Events, order: &[usize]) -> Vec<Heading> {
    let source = doc.source.text.as_str();
    let shown: Vec<usize> = parsed
        .headings
        .iter()
        .map(|&i| i as usize)
        .filter(|i| order.binary_search(i).is_ok())
        .collect();
    let mut found: Vec<(u8, Option<String>, String)> = Vec::with_capacity(shown.len());
    for &start in &shown {
        let Event::Start(Tag::Heading { level, id, .. }) = parsed.get(start, source) else {
            continue;
        };
        let mut text = String::new();
        for i in start + 1..parsed.len() {
            match parsed.get(i, source) {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                _ => {}
            }
        }
        found.push((
            markdown::heading_level(level),
            id.map(|s| s.to_string()),
            text,
        ));
    }
    let mut used: BTreeSet<String> = found.iter().filter_map(|h| h.1.clone()).collect();
    found
        .into_iter()
        .map(|(level, explicit, text)| {
            let id = explicit.unwrap_or_else(|| markdown::unique_slug(&text, &mut used));
            Heading { level, id, text }
        })
        .collect()
}

/// A project configuration for tests: two languages, three variants, one extra callout.
#[cfg(test)]
pub fn test_config() -> Config {
    let text = "title: t\nlanguages: [{code: es}, {code: fr}]\nvariants: [urban, rural, altiplano]\ncallouts: [challenge]\n";
    Config::parse(&SourceFile::new(
        "aula.yaml".into(),
        std::path::PathBuf::new(),
        text.into(),
    ))
    .unwrap()
}

#[cfg(test)]
impl Document {
    /// A session of `body` (no front matter) at `content/01-m/01-s.es.md`.
    pub fn for_test(body: &str) -> Document {
        let source = SourceFile::new(
            "content/01-m/01-s.es.md".into(),
            std::path::PathBuf::new(),
            body.into(),
        );
        Document::new(Arc::new(source), 0, &test_config())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letters of each word of `text` (markup may be read differently where a block's
    /// fences stood, a blank line there and a marker here, so that `1.` may be a list's
    /// number or text; the words must be the same).
    fn letters(text: &str) -> Vec<String> {
        text.split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphabetic() || *c == '\'')
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// The words a view shows, in order, and whether it was made from the parsed events.
    fn words(doc: &Document, variant: &str, audience: blocks::View) -> (Vec<String>, bool) {
        let view = doc.view(variant, audience, &test_config());
        let words = view
            .events()
            .filter_map(|ev| match ev.event {
                Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                _ => None,
            })
            .flat_map(|t| letters(&t))
            .collect();
        (words, doc.parsed.is_some())
    }

    /// The same, from the text filtered line by line and parsed again (where a marker
    /// came out as code there, as it does in indented code, it is not counted: the text
    /// filter shows it, a bug that views do not have).
    fn filtered_words(doc: &Document, variant: &str, audience: blocks::View) -> Vec<String> {
        let tree = blocks::parse(&doc.source, 0, &test_config(), &mut Diagnostics::default());
        let filtered = blocks::filter(&tree, &doc.source, variant, audience);
        let mut out = Vec::new();
        for (event, _) in markdown::parse(&filtered.text) {
            if let Event::Text(t) | Event::Code(t) = event {
                out.extend(letters(&events::without_markers(&t)));
            }
        }
        out
    }

    #[test]
    fn a_view_shows_what_filtering_the_text_shows_and_never_a_note_in_a_handout() {
        let mut rng = crate::testing::Rng(0x00d0_c5ee_u64);
        let mut next = move || rng.next();
        let prefixes = ["", "> ", "> > ", "  ", "- ", "1. ", "\t", "| "];
        let opens = [
            "facilitator",
            "tip",
            "rural",
            "urban",
            "participant",
            "{.facilitator}",
            "activity \"A\" 5",
        ];
        let lines = [
            "texto",
            "*énfasis*",
            "# Título",
            "```",
            "| a | b |",
            "|---|---|",
            "k'o",
        ];
        let mut by_events = 0;
        for _ in 0..3000 {
            let mut body = String::new();
            let mut stack: Vec<bool> = Vec::new();
            for _ in 0..(next() % 24) {
                let prefix = prefixes[(next() % prefixes.len() as u64) as usize];
                // (A table row's `|` is not a container: a fence after it is text.)
                let fence = prefix.trim_end_matches("| ");
                match next() % 6 {
                    0 => {
                        let word = opens[(next() % opens.len() as u64) as usize];
                        stack.push(word.contains("facilitator"));
                        body.push_str(&format!("{fence}::: {word}\n"));
                    }
                    1 if !stack.is_empty() => {
                        stack.pop();
                        body.push_str(&format!("{fence}:::\n"));
                    }
                    2 => body.push('\n'),
                    _ if stack.contains(&true) => body.push_str(&format!("{prefix}SECRETO\n")),
                    _ => {
                        let line = lines[(next() % lines.len() as u64) as usize];
                        body.push_str(&format!("{prefix}{line}\n"));
                    }
                }
            }
            let doc = Document::for_test(&body);
            for audience in [
                blocks::View::Web,
                blocks::View::Handout,
                blocks::View::Guide,
            ] {
                for variant in ["urban", "rural"] {
                    let (shown, parsed) = words(&doc, variant, audience);
                    by_events += usize::from(parsed);
                    // (After a code fence, a `::: facilitator` line is code, as it is to
                    // Markdown.)
                    if audience == blocks::View::Handout && !body.contains("```") {
                        assert!(!shown.iter().any(|w| w.contains("SECRETO")), "{body}");
                    }
                    assert_eq!(shown, filtered_words(&doc, variant, audience), "{body}");
                }
            }
        }
        // Most bodies are shown from their events, not by the slower way.
        assert!(by_events > 3000 * 6 / 2, "{by_events}");
    }
}
