//! A filtered body to the HTML of a web page, in one edition: links between sessions
//! rewritten to the relative URL of that session there, images to the edition's asset,
//! `:::` wrappers opened and closed, link diagnostics located in the source, and the plain
//! text that search indexes. Fragments of links to other pages are returned, not checked:
//! the target may not be rendered yet (see `site`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::checks::{foreign_syntax, html_anchors, is_media, raw_html};
use super::{
    Heading, assign_heading_ids, bracketed_spans, find_asset, has_span, parse, with_spans,
};
use crate::blocks::{self, BlockInfo, Filtered};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;
use crate::urls;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
