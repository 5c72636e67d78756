//! A body's Markdown events, kept small for as long as a build needs them: text is a range
//! of the source file where it is written there as it reads (most of it), else of a small
//! arena (entities, escapes, text pulldown-cmark joined); tags without data are a byte;
//! every event that can be diagnosed knows its place in the source. A view turns them
//! back into pulldown-cmark events that borrow these strings.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::Target;
use super::markdown;
use crate::config::Config;

/// Markdown parsed, with the targets of its links and images.
#[derive(Debug, Clone, Default)]
pub struct Events {
    items: Vec<Item>,
    /// Start tags that carry data, with where they start in the source.
    tags: Vec<(Tag<'static>, u32)>,
    /// Text not found as written in the source.
    arena: String,
    /// Link and image targets by item index, in order.
    targets: Vec<(u32, Target)>,
    /// Indices of the headings' start tags, and of the strings that may set an id (a
    /// bracketed span, raw HTML with `id=` or `name=`), and of every block marker: what
    /// views look at without going through every event.
    pub headings: Vec<u32>,
    pub anchors: Vec<u32>,
    pub markers: Vec<(u32, usize, bool)>,
}

#[derive(Debug, Clone, Copy)]
enum Item {
    /// A start tag with data, by index into `tags`.
    Start(u32),
    Plain(Plain),
    End(TagEnd),
    Str {
        kind: Kind,
        /// Where the event starts in the source.
        at: u32,
        text: Text,
    },
    SoftBreak,
    HardBreak,
    Rule,
    Task(bool),
}

#[derive(Debug, Clone, Copy)]
enum Text {
    /// A byte range of the source.
    Source(u32, u32),
    /// A byte range of the arena.
    Arena(u32, u32),
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Code,
    Html,
    InlineHtml,
    FootnoteReference,
    InlineMath,
    DisplayMath,
}

/// Start tags without data.
#[derive(Debug, Clone, Copy)]
enum Plain {
    Paragraph,
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    TableHead,
    TableRow,
    TableCell,
    HtmlBlock,
    DefinitionList,
    DefinitionListTitle,
    DefinitionListDefinition,
    IndentedCode,
}

impl Events {
    /// Parses `text`, which keeps the lines of `source` from line `first_line` on (see
    /// `blocks`): a place in a line of it is the same place in the source's line.
    pub fn parse(
        text: &str,
        source: &crate::source::SourceFile,
        first_line: usize,
        source_dir: &str,
        config: &Config,
    ) -> Self {
        let lines: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        // Events come mostly in order: the line of the last one is where to look first.
        let last = std::cell::Cell::new(0usize);
        let to_source = |offset: usize| -> usize {
            let mut line = last.get();
            if lines[line] > offset || lines.get(line + 1).is_some_and(|next| *next <= offset) {
                line = lines.partition_point(|l| *l <= offset) - 1;
                last.set(line);
            }
            source.line_start(first_line + line) + (offset - lines[line])
        };
        let mut out = Events::default();
        let parsed = markdown::parse(text);
        out.items.reserve_exact(parsed.len());
        let mut in_code = false;
        for (mut event, range) in parsed {
            // A fence line where Markdown reads code (indented four spaces past its
            // container, inside a code fence the blocks do not see) is still a fence: its
            // marker is never shown as text. (Elsewhere a marker is HTML.)
            match &event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                _ => {}
            }
            if let Event::Text(t) = &event
                && in_code
                && t.contains(crate::blocks::MARKER_START)
            {
                let kept = without_markers(t);
                if kept.is_empty() {
                    continue;
                }
                event = Event::Text(CowStr::from(kept));
            }
            let i = out.items.len();
            let at = match event {
                Event::End(_) => 0,
                _ => to_source(range.start) as u32,
            };
            let item = match event {
                Event::Start(tag) => match plain(&tag) {
                    Some(p) => Item::Plain(p),
                    None => {
                        match &tag {
                            Tag::Link {
                                link_type,
                                dest_url,
                                ..
                            } => out.targets.push((
                                i as u32,
                                Target::of_link(*link_type, dest_url, source_dir, config),
                            )),
                            Tag::Image { dest_url, .. } => out
                                .targets
                                .push((i as u32, Target::of_image(dest_url, source_dir))),
                            _ => {}
                        }
                        if matches!(tag, Tag::Heading { .. }) {
                            out.headings.push(i as u32);
                        }
                        out.tags.push((tag.into_static(), at));
                        Item::Start(out.tags.len() as u32 - 1)
                    }
                },
                Event::End(end) => Item::End(end),
                Event::Text(s) => {
                    if markdown::has_span(&s) {
                        out.anchors.push(i as u32);
                    }
                    out.str(Kind::Text, at, &s, text, &to_source, source)
                }
                Event::Code(s) => out.str(Kind::Code, at, &s, text, &to_source, source),
                Event::Html(s) => {
                    out.html(i, &s);
                    out.str(Kind::Html, at, &s, text, &to_source, source)
                }
                Event::InlineHtml(s) => {
                    out.html(i, &s);
                    out.str(Kind::InlineHtml, at, &s, text, &to_source, source)
                }
                Event::FootnoteReference(s) => {
                    out.str(Kind::FootnoteReference, at, &s, text, &to_source, source)
                }
                Event::InlineMath(s) => out.str(Kind::InlineMath, at, &s, text, &to_source, source),
                Event::DisplayMath(s) => {
                    out.str(Kind::DisplayMath, at, &s, text, &to_source, source)
                }
                Event::SoftBreak => Item::SoftBreak,
                Event::HardBreak => Item::HardBreak,
                Event::Rule => Item::Rule,
                Event::TaskListMarker(done) => Item::Task(done),
            };
            out.items.push(item);
        }
        out.arena.shrink_to_fit();
        out.tags.shrink_to_fit();
        out.headings.shrink_to_fit();
        out
    }

    /// Notes raw HTML at `i` that is a block marker or may set an id.
    fn html(&mut self, i: usize, html: &str) {
        match crate::blocks::marker(html) {
            Some((opening, id)) => self.markers.push((i as u32, id, opening)),
            None if html.contains(" id=") || html.contains(" name=") => self.anchors.push(i as u32),
            None => {}
        }
    }

    /// A string of the parsed `text`: where the source has it as written, a range of it.
    fn str(
        &mut self,
        kind: Kind,
        at: u32,
        s: &CowStr,
        text: &str,
        to_source: &dyn Fn(usize) -> usize,
        source: &crate::source::SourceFile,
    ) -> Item {
        let ptr = s.as_ptr() as usize;
        let base = text.as_ptr() as usize;
        let in_text = ptr >= base && ptr + s.len() <= base + text.len();
        let from = in_text.then(|| to_source(ptr - base));
        let text = match from {
            Some(from) if source.text.get(from..from + s.len()) == Some(s.as_ref()) => {
                Text::Source(from as u32, s.len() as u32)
            }
            _ => {
                let start = self.arena.len();
                self.arena.push_str(s);
                Text::Arena(start as u32, s.len() as u32)
            }
        };
        Item::Str { kind, at, text }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The event at `i`, borrowing its strings from here and from `source`.
    pub fn get<'a>(&'a self, i: usize, source: &'a str) -> Event<'a> {
        let b = |s: &'a CowStr<'static>| CowStr::Borrowed(s.as_ref());
        match self.items[i] {
            Item::Start(t) => Event::Start(match &self.tags[t as usize].0 {
                Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                } => Tag::Heading {
                    level: *level,
                    id: id.as_ref().map(b),
                    classes: classes.iter().map(b).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (b(k), v.as_ref().map(b)))
                        .collect(),
                },
                Tag::CodeBlock(CodeBlockKind::Fenced(lang)) => {
                    Tag::CodeBlock(CodeBlockKind::Fenced(b(lang)))
                }
                Tag::FootnoteDefinition(name) => Tag::FootnoteDefinition(b(name)),
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                } => Tag::Link {
                    link_type: *link_type,
                    dest_url: b(dest_url),
                    title: b(title),
                    id: b(id),
                },
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                } => Tag::Image {
                    link_type: *link_type,
                    dest_url: b(dest_url),
                    title: b(title),
                    id: b(id),
                },
                other => other.clone(),
            }),
            Item::Plain(p) => Event::Start(match p {
                Plain::Paragraph => Tag::Paragraph,
                Plain::Item => Tag::Item,
                Plain::Emphasis => Tag::Emphasis,
                Plain::Strong => Tag::Strong,
                Plain::Strikethrough => Tag::Strikethrough,
                Plain::Superscript => Tag::Superscript,
                Plain::Subscript => Tag::Subscript,
                Plain::TableHead => Tag::TableHead,
                Plain::TableRow => Tag::TableRow,
                Plain::TableCell => Tag::TableCell,
                Plain::HtmlBlock => Tag::HtmlBlock,
                Plain::DefinitionList => Tag::DefinitionList,
                Plain::DefinitionListTitle => Tag::DefinitionListTitle,
                Plain::DefinitionListDefinition => Tag::DefinitionListDefinition,
                Plain::IndentedCode => Tag::CodeBlock(CodeBlockKind::Indented),
            }),
            Item::End(end) => Event::End(end),
            Item::Str { kind, text, .. } => {
                let s = CowStr::Borrowed(match text {
                    Text::Source(from, len) => &source[range(from, len)],
                    Text::Arena(from, len) => &self.arena[range(from, len)],
                });
                match kind {
                    Kind::Text => Event::Text(s),
                    Kind::Code => Event::Code(s),
                    Kind::Html => Event::Html(s),
                    Kind::InlineHtml => Event::InlineHtml(s),
                    Kind::FootnoteReference => Event::FootnoteReference(s),
                    Kind::InlineMath => Event::InlineMath(s),
                    Kind::DisplayMath => Event::DisplayMath(s),
                }
            }
            Item::SoftBreak => Event::SoftBreak,
            Item::HardBreak => Event::HardBreak,
            Item::Rule => Event::Rule,
            Item::Task(done) => Event::TaskListMarker(done),
        }
    }

    /// Whether the event at `i` is raw HTML in a block of its own: the start and end of
    /// an HTML block right around it.
    pub fn is_html_block(&self, i: usize) -> bool {
        i > 0
            && matches!(self.items[i - 1], Item::Plain(Plain::HtmlBlock))
            && matches!(self.items.get(i + 1), Some(Item::End(TagEnd::HtmlBlock)))
    }

    /// Whether the event at `i` starts or ends a tag: what must stay where a block is left
    /// out around it.
    pub fn tag(&self, i: usize) -> Option<bool> {
        match self.items[i] {
            Item::Start(_) | Item::Plain(_) => Some(true),
            Item::End(_) => Some(false),
            _ => None,
        }
    }

    /// Where the event at `i` starts in the source: for an event that does not keep its
    /// place (a tag without data, a break), the place of the event before it that does.
    pub fn offset(&self, i: usize) -> usize {
        self.items[..=i]
            .iter()
            .rev()
            .find_map(|item| match item {
                Item::Start(t) => Some(self.tags[*t as usize].1),
                Item::Str { at, .. } => Some(*at),
                _ => None,
            })
            .unwrap_or(0) as usize
    }

    /// Whether the text at `i` may hold a bracketed span (`[text]{#id}`).
    pub fn may_have_span(&self, i: usize) -> bool {
        self.anchors.binary_search(&(i as u32)).is_ok()
    }

    /// What the link or image starting at `i` leads to.
    pub fn target(&self, i: usize) -> Option<&Target> {
        self.targets
            .binary_search_by_key(&(i as u32), |(at, _)| *at)
            .ok()
            .map(|at| &self.targets[at].1)
    }
}

/// `text` without the lines that are block markers.
pub fn without_markers(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| crate::blocks::marker(line).is_none())
        .collect()
}

fn range(from: u32, len: u32) -> Range<usize> {
    from as usize..(from + len) as usize
}

fn plain(tag: &Tag) -> Option<Plain> {
    Some(match tag {
        Tag::Paragraph => Plain::Paragraph,
        Tag::Item => Plain::Item,
        Tag::Emphasis => Plain::Emphasis,
        Tag::Strong => Plain::Strong,
        Tag::Strikethrough => Plain::Strikethrough,
        Tag::Superscript => Plain::Superscript,
        Tag::Subscript => Plain::Subscript,
        Tag::TableHead => Plain::TableHead,
        Tag::TableRow => Plain::TableRow,
        Tag::TableCell => Plain::TableCell,
        Tag::HtmlBlock => Plain::HtmlBlock,
        Tag::DefinitionList => Plain::DefinitionList,
        Tag::DefinitionListTitle => Plain::DefinitionListTitle,
        Tag::DefinitionListDefinition => Plain::DefinitionListDefinition,
        Tag::CodeBlock(CodeBlockKind::Indented) => Plain::IndentedCode,
        _ => return None,
    })
}
