//! Markdown to HTML with pulldown-cmark, for one filtered body in one edition.
//!
//! Owns heading ids (`{#id}` or a slug of the text), the rewriting of links between
//! sessions (`../02-finanzas/01-costos.md` → the relative URL of that session in this
//! edition) and of images (localised `name.quc.png` preferred), and the wrappers of `:::`
//! blocks. It never smart-quotes: an apostrophe inside a K'iche' word is a letter.
//! Fragments of links to other pages are returned, not checked: the target may not be
//! rendered yet (see `check`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::blocks::{self, BlockInfo, Filtered};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::urls;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

/// What a page needs to know about the edition it is rendered into.
pub struct LinkContext<'a> {
    /// Content key (`01-m/01-s`, `01-m/_module`, `_index`) → output path in this edition,
    /// when the edition publishes it.
    pub page: &'a dyn Fn(&str) -> Option<String>,
    /// Whether a content key names a page of the corpus, published in this edition or not.
    pub known: &'a dyn Fn(&str) -> bool,
    /// Non-Markdown files under `content/`.
    pub assets: &'a BTreeMap<String, PathBuf>,
    /// The edition's language and its fallbacks, for localised images.
    pub chain: &'a [&'a str],
    /// Language codes and variant names, to strip them from linked file names.
    pub suffixes: &'a BTreeSet<String>,
    pub pretty_urls: bool,
    pub lang: &'a str,
    pub variant: &'a str,
}

/// One body to render: the filtered Markdown and where it came from.
pub struct Body<'a> {
    pub source: &'a std::sync::Arc<SourceFile>,
    /// Source line of the filtered text's first line.
    pub first_line: usize,
    pub filtered: &'a Filtered,
    /// Output path of the page the HTML goes into.
    pub page: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to a section of another page, checked once every page is rendered. Its
/// diagnostic is made only if the section is missing (most links are fine, and a page
/// may have thousands).
#[derive(Debug, Clone)]
pub struct PendingFragment {
    pub target: String,
    pub fragment: String,
    /// The link as written, its place in the source, and the edition.
    pub path: String,
    pub source: std::sync::Arc<SourceFile>,
    pub at: (usize, usize),
    pub edition: (String, String),
}

impl PendingFragment {
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            "broken-anchor",
            format!("`{}` has no section `#{}`", self.path, self.fragment),
        )
        .at(&self.source, self.at.0, self.at.1)
        .in_edition(&self.edition.0, &self.edition.1)
    }
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Ids set by Pandoc's bracketed spans, `[text]{#id}`.
    pub anchors: Vec<String>,
    pub fragments: Vec<PendingFragment>,
    /// Assets used: content path → output path.
    pub assets: BTreeMap<String, String>,
    /// Visible callouts and wrappers, in order (for timing tables).
    pub blocks: Vec<BlockInfo>,
    /// The text without markup, whitespace squeezed: what search matches and excerpts.
    pub text: String,
}

/// Renders `body` to HTML. `block_open` gives the opening HTML of a wrapper block (the
/// theme decides its words); the closing tag is `</div>`.
pub fn render(
    body: &Body,
    ctx: &LinkContext,
    block_open: &dyn Fn(&BlockInfo) -> String,
    diags: &mut Diagnostics,
) -> Rendered {
    let mut out = Rendered::default();
    let text = &body.filtered.text;
    // The filtered text keeps the source's lines (see `blocks`), and a line with a link on
    // it is shown as written: a place in it is the same place in the source. Lines are
    // counted on from the last place asked for (links come in order), so that finding the
    // places of many links costs one pass over the text.
    let counted = std::cell::Cell::new((0usize, 0usize, 0usize)); // offset, line index, line start
    let source_offset = |range: &Range<usize>| -> usize {
        let (mut at, mut line, mut start) = counted.get();
        if range.start < at {
            (at, line, start) = (0, 0, 0);
        }
        let end = range.start.min(text.len());
        for (i, b) in text.as_bytes()[at..end].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                start = at + i + 1;
            }
        }
        counted.set((end, line, start));
        body.source.line_start(line + body.first_line) + (end - start)
    };
    let locate = |range: &Range<usize>, d: Diagnostic| -> Diagnostic {
        d.at(body.source, source_offset(range), 1)
            .in_edition(ctx.lang, ctx.variant)
    };
    let mut events = parse(text);
    assign_heading_ids(&mut events, &mut out.headings);
    for (event, _) in &events {
        match event {
            Event::Text(t) => out.anchors.extend(
                bracketed_spans(t)
                    .into_iter()
                    .map(|(_, id, _)| id.to_string()),
            ),
            Event::Html(h) | Event::InlineHtml(h) if blocks::marker(h).is_none() => {
                out.anchors.extend(html_anchors(h))
            }
            _ => {}
        }
    }
    let own_ids: BTreeSet<String> = out
        .headings
        .iter()
        .map(|h| h.id.clone())
        .chain(out.anchors.iter().cloned())
        .collect();
    let source_dir = body
        .source
        .name
        .strip_prefix("content/")
        .unwrap_or(&body.source.name)
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();

    for (event, range) in &mut events {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with('/') && !dest_url.starts_with("//") =>
            {
                diags.push(locate(
                    range,
                    Diagnostic::warning("root-absolute", format!("`{dest_url}` starts at the host's root"))
                        .with_help("link relative to this file (e.g. `../02-finanzas/01-costos.md`): a path from the root breaks under a sub-path and from a USB stick"),
                ));
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if urls::runs_code(dest_url) =>
            {
                diags.push(locate(
                    range,
                    Diagnostic::error("script-link", "this link runs code in the reader's browser")
                        .with_help("link to a page or a file; `javascript:`, `vbscript:` and `data:` addresses are not allowed"),
                ));
                *dest_url = CowStr::from("#");
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if is_local(link_type, dest_url) => {
                let (path, fragment) = match dest_url.split_once('#') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (dest_url.to_string(), None),
                };
                if path.is_empty() {
                    if let Some(f) = &fragment
                        && !own_ids.contains(f)
                    {
                        diags.push(locate(
                            range,
                            Diagnostic::error(
                                "broken-anchor",
                                format!("no section `#{f}` on this page"),
                            )
                            .with_help(anchor_help(&own_ids)),
                        ));
                    }
                    continue;
                }
                let Some(joined) = urls::join(&source_dir, &path) else {
                    diags.push(locate(
                        range,
                        Diagnostic::error(
                            "broken-link",
                            format!("`{path}` points outside `content/`"),
                        )
                        .with_help("link to files inside the curriculum"),
                    ));
                    continue;
                };
                if let Some(key) = joined.strip_suffix(".md") {
                    let key = strip_suffixes(key, ctx.suffixes);
                    match (ctx.page)(&key) {
                        Some(target) => {
                            let mut url = urls::relative(body.page, &target, ctx.pretty_urls);
                            if let Some(f) = &fragment {
                                url.push('#');
                                url.push_str(f);
                                out.fragments.push(PendingFragment {
                                    target: target.clone(),
                                    fragment: f.clone(),
                                    path: path.clone(),
                                    source: std::sync::Arc::clone(body.source),
                                    at: (source_offset(range), 1),
                                    edition: (ctx.lang.to_string(), ctx.variant.to_string()),
                                });
                            }
                            *dest_url = CowStr::from(url);
                        }
                        None if (ctx.known)(&key) => diags.push(locate(
                            range,
                            Diagnostic::error("link-absent", format!("`{path}` is left out of the editions named below"))
                                .with_help("the target is limited to other variants or is a draft; wrap the link in a `::: variant` block"),
                        )),
                        None => diags.push(locate(
                            range,
                            Diagnostic::error("broken-link", format!("`{path}` does not exist"))
                                .with_help("link to a session by its file, relative to this file, e.g. `../02-finanzas/01-costos.md`"),
                        )),
                    }
                } else {
                    match resolve_asset(&joined, ctx) {
                        Some((content_path, output)) => {
                            let mut url = urls::encode(&urls::relative(body.page, &output, false));
                            if let Some(f) = &fragment {
                                url.push('#');
                                url.push_str(f);
                            }
                            *dest_url = CowStr::from(url);
                            out.assets.insert(content_path, output);
                        }
                        None => diags.push(locate(
                            range,
                            Diagnostic::error("broken-link", format!("`{path}` does not exist"))
                                .with_help(
                                    "check the file name and that the file is inside `content/`",
                                ),
                        )),
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if urls::is_external(dest_url) => {
                diags.push(locate(
                    range,
                    Diagnostic::warning("external-image", format!("this image loads `{dest_url}` from another host"))
                        .with_help("pages load nothing from other hosts (they must work offline): save the image under `media/` and link to it there"),
                ));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let path = dest_url.to_string();
                if path.starts_with('/') {
                    diags.push(locate(
                        range,
                        Diagnostic::error("root-absolute", format!("`{path}` starts at the host's root"))
                            .with_help("write the path relative to this file, e.g. `media/mercado.jpg`: a path from the root breaks under a sub-path and from a USB stick"),
                    ));
                    continue;
                }
                match urls::join(&source_dir, &path).and_then(|j| resolve_asset(&j, ctx)) {
                    Some((content_path, output)) => {
                        *dest_url =
                            CowStr::from(urls::encode(&urls::relative(body.page, &output, false)));
                        out.assets.insert(content_path, output);
                    }
                    None => diags.push(locate(
                        range,
                        Diagnostic::error(
                            "missing-image",
                            format!("image `{path}` does not exist"),
                        )
                        .with_help(
                            "images are paths relative to this file, e.g. `media/mercado.jpg`",
                        ),
                    )),
                }
            }
            _ => {}
        }
    }
    // Images without alt text, syntax of other tools printed as text, raw HTML that the
    // PDFs cannot show or that loads from other hosts, and the plain text.
    let mut in_image: Option<(Range<usize>, String)> = None;
    let mut in_code = false;
    let mut told_html = false;
    for (event, range) in &events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Html(html) | Event::InlineHtml(html) if blocks::marker(html).is_none() => {
                // Inline tags such as `<kbd>` keep their text in print; blocks and media do not.
                let lost = matches!(event, Event::Html(_)) || is_media(html);
                for d in raw_html(html, &mut told_html, lost) {
                    diags.push(locate(range, d));
                }
            }
            _ => {}
        }
        if let Event::Text(t) = event
            && !in_code
            && let Some(d) = foreign_syntax(t)
        {
            diags.push(locate(range, d));
        }
        match event {
            Event::Start(Tag::Image { .. }) => in_image = Some((range.clone(), String::new())),
            Event::End(TagEnd::Image) => {
                if let Some((r, alt)) = in_image.take()
                    && alt.trim().is_empty()
                {
                    diags.push(locate(
                        &r,
                        Diagnostic::warning("missing-alt", "this image has no description")
                            .with_help("describe it for people who cannot see it: `![Una vendedora en el mercado](media/mercado.jpg)`"),
                    ));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = &mut in_image {
                    alt.push_str(t);
                }
                push_squeezed(&mut out.text, t);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => push_space(&mut out.text),
            _ => {}
        }
    }

    if out.text.ends_with(' ') {
        out.text.pop();
    }
    // What the HTML writer gets: block markers become the blocks' wrappers, bracketed spans
    // anchors, and tables scroll inside their own box on a narrow screen, not the page.
    let mut html_events: Vec<Event> = Vec::with_capacity(events.len() + 16);
    for (event, _) in events {
        match event {
            Event::Text(t) if has_span(&t) => html_events.extend(with_spans(t)),
            Event::Html(html) => match blocks::marker(&html) {
                Some((true, id)) => {
                    if let Some(info) = body.filtered.blocks.get(&id) {
                        out.blocks.push(info.clone());
                        html_events.push(Event::Html(CowStr::from(block_open(info))));
                    }
                }
                Some((false, _)) => html_events.push(Event::Html(CowStr::from("</div>\n"))),
                None => html_events.push(Event::Html(html)),
            },
            Event::Start(Tag::Table(_)) => {
                html_events.push(Event::Html(CowStr::from("<div class=\"table-wrap\">")));
                html_events.push(event);
            }
            Event::End(TagEnd::Table) => {
                html_events.push(event);
                html_events.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => html_events.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    out.html = html;
    out
}

/// Appends `text` with every run of whitespace made one space, none at the start (the
/// search index's form, made as the text is gathered). Whitespace is Unicode's, as in
/// `split_whitespace`; the scan is by byte, decoding only where a multi-byte space may start.
fn push_squeezed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        let width = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => 1,
            // Lead bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000.
            0xc2 | 0xe1 | 0xe2 | 0xe3 => match text[i..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                _ => 0,
            },
            _ => 0,
        };
        if width == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[run..i]);
        push_space(out);
        i += width;
        run = i;
    }
    out.push_str(&text[run..]);
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Parses Markdown with offsets, merging runs of text (pulldown-cmark splits text at
/// brackets and entities) so that later passes see whole phrases.
pub fn parse(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let mut events: Vec<(Event, Range<usize>)> = Vec::new();
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
fn has_span(text: &str) -> bool {
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

fn with_spans(text: CowStr<'_>) -> Vec<Event<'_>> {
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

/// What to say about a piece of raw HTML: scripts run in the reader's browser, anything
/// that loads from another host breaks "works offline", and the PDFs leave raw HTML out
/// (said once per page). `<a id>` anchors are counted by [`html_anchors`].
fn raw_html(html: &str, told: &mut bool, lost_in_print: bool) -> Vec<Diagnostic> {
    let lower = html.to_ascii_lowercase();
    let trimmed = lower.trim();
    let mut out = Vec::new();
    if trimmed.is_empty() || trimmed.starts_with("<!--") {
        return out;
    }
    if trimmed.contains("<script")
        || attribute_starting(&lower, " on").is_some()
        || lower.contains("javascript:")
        || lower.contains("vbscript:")
    {
        out.push(
            Diagnostic::warning(
                "raw-script",
                "raw HTML with a script: it would run in every reader's browser",
            )
            .with_help(
                "remove the script; sessions are text, and aula's pages work without JavaScript",
            ),
        );
    }
    // Links (`href`) go elsewhere only when followed; these load as the page opens.
    for attr in ["src=", "srcset=", "data=", "poster="] {
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(attr) {
            let value = rest[i + attr.len()..].trim_start_matches(['"', '\'']);
            if value.starts_with("//") || value.starts_with("http:") || value.starts_with("https:")
            {
                let url: String = value
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '>'))
                    .collect();
                out.push(
                    Diagnostic::warning("external-load", format!("raw HTML loads `{url}` from another host"))
                        .with_help("pages load nothing from other hosts (they must work offline and on paid data): save the file in the project and link to it relatively"),
                );
            } else if attr == "src=" && trimmed.starts_with("<img") {
                out.push(
                    Diagnostic::warning("raw-img", "a raw `<img>` is neither copied into the site nor checked")
                        .with_help("write the image in Markdown, `![description](media/foto.png)`, so that it is copied, checked and printed"),
                );
            }
            rest = &rest[i + attr.len()..];
        }
    }
    if lost_in_print && !*told {
        *told = true;
        out.push(
            Diagnostic::warning("raw-html", "raw HTML is shown on the web page but left out of the PDFs")
                .with_help("write it in Markdown (tables, lists, emphasis, `::: blocks`) so that handouts and guides have it too"),
        );
    }
    out
}

/// Inline HTML whose content is not text (and so is lost in print).
fn is_media(html: &str) -> bool {
    let lower = html.trim_start().to_ascii_lowercase();
    [
        "<img", "<iframe", "<video", "<audio", "<object", "<embed", "<svg", "<picture",
    ]
    .iter()
    .any(|tag| lower.starts_with(tag))
}

/// Where an attribute whose name starts with `prefix` (e.g. ` on`: event handlers) begins.
fn attribute_starting(lower_html: &str, prefix: &str) -> Option<usize> {
    lower_html.match_indices(prefix).find_map(|(i, _)| {
        let name: String = lower_html[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let after = &lower_html[i + 1 + name.len()..];
        (name.len() > 2 && after.trim_start().starts_with('=')).then_some(i)
    })
}

/// Ids set in raw HTML (`<a id="x">`, `<a name="x">`, `<span id="x">`): links may point to them.
fn html_anchors(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" id=", " name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let value = &rest[i + attr.len()..];
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
            let value = quote.map_or(value, |q| &value[q.len_utf8()..]);
            let id: String = value
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '>' | '/'))
                .collect();
            if !id.is_empty() {
                out.push(id);
            }
            rest = &rest[i + attr.len()..];
        }
    }
    out
}

/// Syntax of Jekyll, kramdown or Liquid that aula would print as text, with what to do.
fn foreign_syntax(text: &str) -> Option<Diagnostic> {
    let trimmed = text.trim_start();
    if trimmed.starts_with("{:") && trimmed.trim_end().ends_with('}') {
        return Some(
            Diagnostic::warning("foreign-syntax", "a kramdown attribute list (`{: …}`) is printed as text")
                .with_help("aula's blocks are Pandoc fenced divs: put the content between `::: challenge` and `:::`"),
        );
    }
    let liquid = |open: &str, close: &str| {
        text.find(open)
            .is_some_and(|i| text[i + open.len()..].contains(close))
    };
    if liquid("{%", "%}") || liquid("{{", "}}") {
        return Some(
            Diagnostic::warning("foreign-syntax", "Liquid template syntax (`{% … %}`, `{{ … }}`) is printed as text")
                .with_help("aula runs no templates in content: write the text or link it was meant to produce (links are relative to this file)"),
        );
    }
    None
}

fn is_local(link_type: &LinkType, url: &str) -> bool {
    !matches!(link_type, LinkType::Email | LinkType::Autolink)
        && !urls::is_external(url)
        && !url.starts_with('/')
}

fn anchor_help(ids: &BTreeSet<String>) -> String {
    if ids.is_empty() {
        "this page has no headings; give one an id with `## Title {#id}`".into()
    } else {
        let list: Vec<&str> = ids.iter().map(String::as_str).collect();
        format!("sections on this page: {}", list.join(", "))
    }
}

/// `01-m/01-costos.es` → `01-m/01-costos` (also strips a variant: `x.rural.es`).
fn strip_suffixes(key: &str, suffixes: &BTreeSet<String>) -> String {
    let (dir, file) = key.rsplit_once('/').map_or(("", key), |(d, f)| (d, f));
    let mut parts: Vec<&str> = file.split('.').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| suffixes.contains(*p)) {
        parts.pop();
    }
    let file = parts.join(".");
    if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    }
}

/// Finds the asset for a content path, preferring `name.LANG.ext` along the language chain.
/// Returns the content path chosen and its output path.
fn resolve_asset(content_path: &str, ctx: &LinkContext) -> Option<(String, String)> {
    let content_path = urls::decode(content_path)?;
    find_asset(&content_path, ctx.chain, ctx.assets).map(|p| {
        let out = format!("files/{p}");
        (p, out)
    })
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

fn assign_heading_ids(events: &mut [(Event, Range<usize>)], headings: &mut Vec<Heading>) {
    let mut used: BTreeSet<String> = BTreeSet::new();
    // Explicit ids first, so automatic ones never take them.
    for (event, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = match explicit {
                Some(id) => id,
                None => {
                    let base = slugify(&text);
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
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                        *id = Some(CowStr::from(candidate.clone()));
                    }
                    candidate
                }
            };
            headings.push(Heading { level, id, text });
            i = j;
        }
        i += 1;
    }
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
    fn language_and_variant_suffixes_are_stripped_from_links() {
        let s: BTreeSet<String> = ["es", "fr", "rural"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(strip_suffixes("02-f/01-costos.es", &s), "02-f/01-costos");
        assert_eq!(
            strip_suffixes("02-f/01-costos.rural.es", &s),
            "02-f/01-costos"
        );
        assert_eq!(strip_suffixes("01-costos", &s), "01-costos");
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

    #[test]
    fn the_plain_text_keeps_words_apart_and_together_as_written() {
        let mut text = String::new();
        for piece in ["  Vender ", "más", "", "\n\tbarato", "yo", " "] {
            push_squeezed(&mut text, piece);
        }
        push_space(&mut text);
        assert_eq!(text, "Vender más baratoyo ");
        let mut text = String::new();
        push_space(&mut text);
        push_squeezed(&mut text, "k'o\u{a0}ʼo");
        assert_eq!(text, "k'o ʼo");
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(urls::is_external("https://example.org"));
        assert!(urls::is_external("mailto:a@b"));
        assert!(urls::is_external("tel:+50212345678"));
        assert!(urls::is_external("//example.org/x"));
        assert!(!urls::is_external("../01-x.md"));
        assert!(!urls::is_external("media/a:b.png"));
    }
}
