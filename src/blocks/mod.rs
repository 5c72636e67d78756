//! The `:::` pre-pass: Pandoc-style fenced blocks that select by variant, by audience
//! (facilitator, participant) and wrap callouts (activity, tip, …).
//!
//! [`parse`] reads a body once into a tree and reports unknown words and unclosed blocks.
//! [`mark`] then gives the body with the same line numbers as the source and every fence
//! line made a one-line HTML comment (`<!--aula-open 3-->`), which CommonMark keeps as its
//! own block: the document stage (`doc`) parses that once and shows a variant and a view
//! (web, handout, guide) by leaving blocks out of the events. [`filter`] is the slower way
//! it falls back on where markers would not come out as HTML: for one variant and view,
//! hidden lines become blank lines and only visible wrappers' fences become markers.

mod words;
use words::open_block;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Facilitator,
    Participant,
}

/// Which output a text is filtered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The web page: everything, facilitator notes marked.
    Web,
    /// The participant handout: no facilitator blocks.
    Handout,
    /// The facilitator guide: everything, participant blocks marked as what the
    /// participants' sheet holds (the facilitator must know what they were given).
    Guide,
}

impl View {
    fn shows(self, audience: Option<Audience>) -> bool {
        !matches!(
            (self, audience),
            (View::Handout, Some(Audience::Facilitator))
        )
    }
}

/// A body, parsed into lines and blocks.
#[derive(Debug, Default)]
pub struct BlockDoc {
    items: Vec<Item>,
}

#[derive(Debug)]
enum Item {
    /// A line of Markdown, as a byte range of the source including its line ending.
    Line(usize, usize),
    Block(Block),
}

#[derive(Debug)]
struct Block {
    info: BlockInfo,
    variants: Vec<String>,
    /// Byte range of the opening line.
    open: (usize, usize),
    close: Option<(usize, usize)>,
    /// How much of the opening and closing lines is container (quote markers, list
    /// marker, indentation): a wrapper's marker is put after it, inside the same container.
    open_prefix: usize,
    close_prefix: usize,
    children: Vec<Item>,
}

/// What a visible wrapper block is, for the page or the PDF to render it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockInfo {
    pub id: usize,
    pub callout: Option<String>,
    pub audience: Option<Audience>,
    pub title: Option<String>,
    pub minutes: Option<u32>,
    pub html_id: Option<String>,
}

impl BlockInfo {
    /// A block that only selects variants leaves no wrapper in the output.
    fn is_wrapper(&self) -> bool {
        self.callout.is_some() || self.audience.is_some()
    }
}

/// The Markdown of one variant and view, and the wrappers it contains.
#[derive(Debug, Default)]
pub struct Filtered {
    pub text: String,
    pub blocks: BTreeMap<usize, BlockInfo>,
}

/// How every marker starts.
pub const MARKER_START: &str = "<!--aula-";
pub const OPEN_MARKER: &str = "<!--aula-open ";
pub const CLOSE_MARKER: &str = "<!--aula-close ";

/// Blocks nest at most this deep: deeper is surely a mistake, and each level costs stack
/// in the stages after this one.
pub const MAX_DEPTH: usize = 32;
/// An activity lasts at most a day.
pub const MAX_MINUTES: u32 = 24 * 60;

/// The length of a line's blockquote markers (`> > `), which a hidden line keeps so that
/// the quote around it goes on.
fn quote_prefix(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        let mut i = at;
        while i < bytes.len() && i - at < 3 && bytes[i] == b' ' {
            i += 1;
        }
        if bytes.get(i) != Some(&b'>') {
            return at;
        }
        i += 1;
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        at = i;
    }
}

/// The length of a list item's marker and the spaces after it (`- `, `12. `), if the
/// text starts with one.
fn list_marker(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        _ if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) => {
            digits + 1
        }
        _ => return 0,
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    if spaces == 0 { 0 } else { marker + spaces }
}

/// Where a line's own text starts, after blockquote markers, a list item's marker and
/// indentation: fences are recognised there, inside quotes and list items too, as Pandoc
/// does (a facilitator block inside a list item must never reach a handout).
fn container_prefix(line: &str) -> usize {
    let quote = quote_prefix(line);
    let rest = &line[quote..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let marker = list_marker(&rest[indent..]);
    let after = &rest[indent + marker..];
    quote + indent + marker + (after.len() - after.trim_start_matches([' ', '\t']).len())
}

/// Parses the body of `source` starting at byte `start`.
pub fn parse(
    source: &SourceFile,
    start: usize,
    config: &Config,
    diags: &mut Diagnostics,
) -> BlockDoc {
    let text = &source.text;
    let mut stack: Vec<Block> = Vec::new();
    let mut root: Vec<Item> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut next_id = 0;
    let mut offset = start;
    // Blocks opened beyond MAX_DEPTH (reported once): kept as text with their closers.
    let mut too_deep = 0usize;
    for line in text.get(start..).unwrap_or("").split_inclusive('\n') {
        let range = (offset, offset + line.len());
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = container_prefix(content);
        let trimmed = &content[indent..];
        let push = |item: Item, stack: &mut Vec<Block>, root: &mut Vec<Item>| match stack.last_mut()
        {
            Some(b) => b.children.push(item),
            None => root.push(item),
        };

        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|c| *c == ch).count();
            if run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            push(Item::Line(range.0, range.1), &mut stack, &mut root);
            continue;
        }
        for ch in ['`', '~'] {
            let run = trimmed.chars().take_while(|c| *c == ch).count();
            if run >= 3 {
                fence = Some((ch, run));
            }
        }
        let colons = trimmed.chars().take_while(|c| *c == ':').count();
        if colons < 3 || fence.is_some() {
            push(Item::Line(range.0, range.1), &mut stack, &mut root);
            continue;
        }
        let rest = trimmed[colons..].trim();
        if too_deep > 0 {
            too_deep = if rest.is_empty() {
                too_deep - 1
            } else {
                too_deep + 1
            };
            push(Item::Line(range.0, range.1), &mut stack, &mut root);
            continue;
        }
        if rest.is_empty() {
            match stack.pop() {
                Some(mut block) => {
                    block.close = Some(range);
                    block.close_prefix = indent;
                    push(Item::Block(block), &mut stack, &mut root);
                }
                None => diags.push(
                    Diagnostic::error("stray-close", "this `:::` closes no open block")
                        .at(source, range.0 + indent, colons)
                        .with_help("remove it, or open a block above with `::: word`"),
                ),
            }
            continue;
        }
        if stack.len() >= MAX_DEPTH {
            diags.push(
                Diagnostic::error(
                    "too-deep",
                    format!("blocks nest more than {MAX_DEPTH} deep here"),
                )
                .at(source, range.0 + indent, colons)
                .with_help("close some blocks before opening more; a block nested this deep is usually a missing `:::`"),
            );
            too_deep = 1;
            push(Item::Line(range.0, range.1), &mut stack, &mut root);
            continue;
        }
        let rest_offset = range.0
            + indent
            + colons
            + (trimmed[colons..].len() - trimmed[colons..].trim_start().len());
        next_id += 1;
        let mut block = open_block(source, rest, rest_offset, next_id, range, config, diags);
        block.open_prefix = indent;
        stack.push(block);
    }
    while let Some(block) = stack.pop() {
        let (start, end) = block.open;
        let len = source.text[start..end].trim_end().len();
        diags.push(
            Diagnostic::error("unclosed-block", "this block is never closed")
                .at(source, start, len)
                .with_help("close it with a line of three or more colons (`:::`)"),
        );
        // Keep its content, so that one mistake does not hide the rest of the file.
        match stack.last_mut() {
            Some(parent) => parent.children.push(Item::Block(block)),
            None => root.push(Item::Block(block)),
        }
    }
    BlockDoc { items: root }
}

/// The Markdown for `variant` and `view`, line for line with the source body.
pub fn filter(doc: &BlockDoc, source: &SourceFile, variant: &str, view: View) -> Filtered {
    let mut out = Filtered::default();
    emit(&doc.items, source, Some((variant, view)), true, &mut out);
    out
}

/// The whole body, line for line with the source, every block's fence lines made markers
/// (the blocks that only select variants too): what the document stage parses once, to
/// show each edition and view by leaving blocks out of the parsed events.
pub fn mark(doc: &BlockDoc, source: &SourceFile) -> Filtered {
    let mut out = Filtered::default();
    emit(&doc.items, source, None, true, &mut out);
    out
}

/// One block of a body: what it is, the variants it is limited to, and the block it is in.
#[derive(Debug, Clone)]
pub struct Placed {
    pub info: BlockInfo,
    pub variants: Vec<String>,
    pub parent: Option<usize>,
    /// Whether a line closes it (an unclosed block is an error, and ends with the body).
    pub closed: bool,
}

impl Placed {
    /// Whether the block itself, not minding the blocks around it, shows in `variant` and
    /// `view`.
    pub fn shows(&self, variant: &str, view: View) -> bool {
        (self.variants.is_empty() || self.variants.iter().any(|v| v == variant))
            && view.shows(self.info.audience)
    }

    /// Whether it leaves a wrapper (a callout, an audience's box) where it shows.
    pub fn is_wrapper(&self) -> bool {
        self.info.is_wrapper()
    }
}

/// Every block of the body, by id (ids count from 1 in the order blocks open).
pub fn placed(doc: &BlockDoc) -> BTreeMap<usize, Placed> {
    fn walk(items: &[Item], parent: Option<usize>, out: &mut BTreeMap<usize, Placed>) {
        for item in items {
            if let Item::Block(block) = item {
                out.insert(
                    block.info.id,
                    Placed {
                        info: block.info.clone(),
                        variants: block.variants.clone(),
                        parent,
                        closed: block.close.is_some(),
                    },
                );
                walk(&block.children, Some(block.info.id), out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&doc.items, None, &mut out);
    out
}

/// The fences of the body in order: (block id, whether it opens). An unclosed block has
/// no closing fence.
pub fn fence_order(doc: &BlockDoc) -> Vec<(usize, bool)> {
    fn walk(items: &[Item], out: &mut Vec<(usize, bool)>) {
        for item in items {
            if let Item::Block(block) = item {
                out.push((block.info.id, true));
                walk(&block.children, out);
                if block.close.is_some() {
                    out.push((block.info.id, false));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.items, &mut out);
    out
}

/// Writes `items`: for one variant and view (`select`), or all of them with every block
/// marked (`None`).
fn emit(
    items: &[Item],
    source: &SourceFile,
    select: Option<(&str, View)>,
    visible: bool,
    out: &mut Filtered,
) {
    for item in items {
        match item {
            Item::Line(start, end) => {
                let line = &source.text[*start..*end];
                if visible {
                    out.text.push_str(line);
                } else if line.ends_with('\n') {
                    // A hidden line keeps its quote markers, so the quote goes on.
                    out.text.push_str(&line[..quote_prefix(line)]);
                    out.text.push('\n');
                }
            }
            Item::Block(block) => {
                let (shown, wrapper) = match select {
                    Some((variant, view)) => {
                        let shown = visible
                            && (block.variants.is_empty()
                                || block.variants.iter().any(|v| v == variant))
                            && view.shows(block.info.audience);
                        (shown, shown && block.info.is_wrapper())
                    }
                    None => (true, true),
                };
                let fence_line = |marker: &str,
                                  (start, end): (usize, usize),
                                  prefix: usize,
                                  out: &mut Filtered| {
                    let line = &source.text[start..end];
                    if wrapper {
                        out.text.push_str(&line[..prefix.min(line.len())]);
                        out.text.push_str(marker);
                        out.text.push_str(&block.info.id.to_string());
                        out.text.push_str("-->");
                    } else if visible {
                        out.text.push_str(&line[..quote_prefix(line)]);
                    }
                    out.text.push('\n');
                };
                fence_line(OPEN_MARKER, block.open, block.open_prefix, out);
                if wrapper {
                    out.blocks.insert(block.info.id, block.info.clone());
                }
                emit(&block.children, source, select, shown, out);
                if let Some(close) = block.close {
                    fence_line(CLOSE_MARKER, close, block.close_prefix, out);
                } else if wrapper {
                    // An unclosed block (already reported) still closes its wrapper.
                    out.text.push_str(CLOSE_MARKER);
                    out.text.push_str(&block.info.id.to_string());
                    out.text.push_str("-->\n");
                }
            }
        }
    }
}

/// Parses a marker line back into `(is_open, id)`.
pub fn marker(html: &str) -> Option<(bool, usize)> {
    let html = html.trim();
    let (open, rest) = match html.strip_prefix(OPEN_MARKER) {
        Some(rest) => (true, rest),
        None => (false, html.strip_prefix(CLOSE_MARKER)?),
    };
    Some((open, rest.strip_suffix("-->")?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn config() -> Config {
        let text = "title: t\nlanguages: [{code: es}]\nvariants: [urban, rural, altiplano]\ncallouts: [challenge]\naliases: {instructor: facilitator}\n";
        Config::parse(&SourceFile::new(
            "aula.yaml".into(),
            PathBuf::new(),
            text.into(),
        ))
        .unwrap()
    }

    fn run(body: &str, variant: &str, view: View) -> (Filtered, Diagnostics) {
        let src = SourceFile::new("s.es.md".into(), PathBuf::new(), body.into());
        let mut diags = Diagnostics::default();
        let doc = parse(&src, 0, &config(), &mut diags);
        (filter(&doc, &src, variant, view), diags)
    }

    #[test]
    fn variants_are_alternatives_and_nested_blocks_narrow() {
        let body = "a\n::: urban altiplano\nb\n::: rural\nnever\n:::\n:::\nc\n";
        let (urban, d) = run(body, "urban", View::Web);
        assert!(d.is_empty());
        assert_eq!(urban.text, "a\n\nb\n\n\n\n\nc\n");
        let (rural, _) = run(body, "rural", View::Web);
        assert_eq!(rural.text, "a\n\n\n\n\n\n\nc\n");
        assert_eq!(rural.text.lines().count(), body.lines().count());
    }

    #[test]
    fn audiences_follow_the_view() {
        let body = "::: facilitator\nnotes\n:::\n::: {.participant}\nfor you\n:::\n";
        let (web, _) = run(body, "urban", View::Web);
        assert!(web.text.contains("notes") && web.text.contains("for you"));
        assert!(web.text.starts_with("<!--aula-open 1-->\n"));
        let (handout, _) = run(body, "urban", View::Handout);
        assert!(!handout.text.contains("notes") && handout.text.contains("for you"));
        let (guide, _) = run(body, "urban", View::Guide);
        assert!(guide.text.contains("notes") && guide.text.contains("for you"));
    }

    #[test]
    fn callout_titles_minutes_and_aliases() {
        let body = ":::: activity \"Juego de roles\" 20\n::: instructor\nx\n:::\n::::\n";
        let (f, d) = run(body, "rural", View::Guide);
        assert!(d.is_empty(), "{}", d.render());
        let first = &f.blocks[&1];
        assert_eq!(first.callout.as_deref(), Some("activity"));
        assert_eq!(first.title.as_deref(), Some("Juego de roles"));
        assert_eq!(first.minutes, Some(20));
        assert_eq!(f.blocks[&2].audience, Some(Audience::Facilitator));
    }

    #[test]
    fn colons_inside_code_are_code() {
        let body = "```\n::: rurla\n```\n";
        let (f, d) = run(body, "urban", View::Web);
        assert!(d.is_empty());
        assert_eq!(f.text, body);
    }

    #[test]
    fn unknown_words_and_unclosed_blocks_are_errors_at_their_place() {
        let (_, d) = run("x\n::: rurla\ny\n", "urban", View::Web);
        let items = d.sorted();
        assert_eq!(items.len(), 2);
        assert_eq!((items[0].line, items[0].column), (Some(2), Some(1)));
        assert_eq!(items[0].code, "unclosed-block");
        assert_eq!((items[1].line, items[1].column), (Some(2), Some(5)));
        assert_eq!(items[1].help.as_deref(), Some("did you mean `rural`?"));
    }

    #[test]
    fn markers_round_trip() {
        assert_eq!(marker("<!--aula-open 12-->\n"), Some((true, 12)));
        assert_eq!(marker("<!--aula-close 3-->"), Some((false, 3)));
        assert_eq!(marker("<!-- other -->"), None);
    }

    #[test]
    fn facilitator_text_never_reaches_a_handout_whatever_surrounds_it() {
        // Random bodies of quotes, list items, indentation, nested and unbalanced blocks;
        // the generator tracks which lines are inside a facilitator block as the spec
        // says, and marks exactly those.
        let mut rng = crate::testing::Rng(0x0a11_a5ee_u64);
        let mut next = move || rng.next();
        let prefixes = ["", "> ", "> > ", "   ", "- ", "1. ", "      ", "\t"];
        let opens = [
            "facilitator",
            "tip",
            "rural",
            "urban",
            "participant",
            "{.facilitator}",
            "activity \"A\" 5",
        ];
        for _ in 0..2000 {
            let mut body = String::new();
            let mut stack: Vec<bool> = Vec::new();
            for _ in 0..(next() % 30) {
                let prefix = prefixes[(next() % prefixes.len() as u64) as usize];
                match next() % 5 {
                    0 => {
                        let word = opens[(next() % opens.len() as u64) as usize];
                        stack.push(word.contains("facilitator"));
                        body.push_str(&format!("{prefix}::: {word}\n"));
                    }
                    1 if !stack.is_empty() => {
                        stack.pop();
                        body.push_str(&format!("{prefix}:::\n"));
                    }
                    2 => body.push('\n'),
                    _ if stack.contains(&true) => body.push_str(&format!("{prefix}SECRETO\n")),
                    _ => body.push_str(&format!("{prefix}texto\n")),
                }
            }
            let (handout, _) = run(&body, "urban", View::Handout);
            assert!(
                !handout.text.contains("SECRETO"),
                "{body}\n→\n{}",
                handout.text
            );
            // Line for line (an unclosed wrapper adds its closing marker at the end).
            let (guide, _) = run(&body, "urban", View::Guide);
            for filtered in [&handout.text, &guide.text] {
                let lines: Vec<&str> = filtered.lines().collect();
                assert!(lines.len() >= body.lines().count(), "{body}");
            }
        }
    }
}
