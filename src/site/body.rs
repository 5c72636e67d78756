//! The HTML writer: a document's view to the HTML of a web page in one edition. Links
//! between sessions become the relative URL of that session there, images the edition's
//! asset, `:::` markers the wrappers' HTML; what links and images lead to is diagnosed,
//! located in the source. Fragments of links to other pages are returned, not checked: the
//! target may not be rendered yet (see `site`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::blocks::{self, BlockInfo};
use crate::diag::{Diagnostic, Diagnostics};
use crate::doc::markdown::{has_span, with_spans};
use crate::doc::{Heading, Target, View};
use crate::urls;

/// What a page needs to know about the edition it is rendered into.
pub struct LinkContext<'a> {
    /// Content key (`01-m/01-s`, `01-m/_module`, `_index`) → output path in this edition,
    /// when the edition publishes it.
    pub page: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether a content key names a page of the corpus, published in this edition or not.
    pub known: &'a (dyn Fn(&str) -> bool + Sync),
    /// Non-Markdown files under `content/`.
    pub assets: &'a BTreeMap<String, PathBuf>,
    /// The edition's language and its fallbacks, for localised images.
    pub chain: &'a [&'a str],
    pub pretty_urls: bool,
    pub lang: &'a str,
    pub variant: &'a str,
}

/// One body to render: a view of a document, and the page it goes into.
pub struct Body<'a> {
    pub view: &'a View<'a>,
    /// Output path of the page the HTML goes into.
    pub page: &'a str,
}

/// A link to a section of another page, checked once every page is rendered. Its
/// diagnostic, located now (the page's source is not held until then), is reported only
/// if the section is missing.
#[derive(Debug, Clone)]
pub struct PendingFragment {
    pub target: String,
    pub fragment: String,
    /// What is said if the section is missing: the link as written, its place in the
    /// source, and the edition.
    broken: Diagnostic,
}

impl PendingFragment {
    /// The section is missing: what is said.
    pub fn into_diagnostic(self) -> Diagnostic {
        self.broken
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
    /// The sections and timed callouts shown, with their minutes.
    pub schedule: Option<crate::doc::Schedule>,
}

/// Renders `body` to HTML. `block_open` gives the opening HTML of a wrapper block (the
/// theme decides its words); the closing tag is `</div>`.
pub fn render(
    body: &Body,
    ctx: &LinkContext,
    block_open: &dyn Fn(&BlockInfo) -> String,
    diags: &mut Diagnostics,
) -> Rendered {
    let view = body.view;
    let doc = view.document();
    let mut out = Rendered {
        headings: view.headings.clone(),
        ..Rendered::default()
    };
    let analysis = view.analyse();
    for d in analysis.diagnostics {
        diags.push(d.in_edition(ctx.lang, ctx.variant));
    }
    out.text = analysis.text;
    out.schedule = Some(view.schedule(&|_| String::new()));
    out.anchors = view.anchors();
    let own_ids: BTreeSet<String> = out
        .headings
        .iter()
        .map(|h| h.id.clone())
        .chain(out.anchors.iter().cloned())
        .collect();
    let locate = |at: usize, d: Diagnostic| -> Diagnostic {
        d.at(&doc.source, view.offset(at), 1)
            .in_edition(ctx.lang, ctx.variant)
    };

    // What the HTML writer gets: links rewritten into this edition, headings with their
    // ids, block markers made the blocks' wrappers, bracketed spans anchors, and tables
    // scrolling inside their own box on a narrow screen, not the page.
    let mut html_events: Vec<Event> = Vec::with_capacity(view.len() + 16);
    let mut headings = view.headings.iter();
    let mut table = Table::default();
    for ev in view.events() {
        let at = ev.index;
        match ev.event {
            // (A section's minutes are for the guide's schedule, not an HTML attribute.)
            Event::Start(Tag::Heading {
                level,
                classes,
                mut attrs,
                ..
            }) => html_events.push(Event::Start(Tag::Heading {
                level,
                id: headings.next().map(|h| CowStr::Borrowed(h.id.as_str())),
                classes,
                attrs: {
                    attrs.retain(|(k, _)| k.as_ref() != "minutes");
                    attrs
                },
            })),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match link(at, view, body, ctx, &own_ids, &mut out, diags, &locate) {
                    Some(url) => CowStr::from(url),
                    None => dest_url,
                };
                html_events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match image(at, view, body, ctx, &mut out, diags, &locate) {
                    Some(url) => CowStr::from(url),
                    None => dest_url,
                };
                html_events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Text(t) if view.may_have_span(at) && has_span(&t) => {
                html_events.extend(with_spans(t))
            }
            Event::Html(html) => match blocks::marker(&html) {
                Some((true, id)) => {
                    if let Some(info) = doc.block(id) {
                        out.blocks.push(info.clone());
                        html_events.push(Event::Html(CowStr::from(block_open(info))));
                    }
                }
                Some((false, _)) => html_events.push(Event::Html(CowStr::from("</div>\n"))),
                None => html_events.push(Event::Html(html)),
            },
            Event::Start(Tag::Table(alignments)) => {
                html_events.push(Event::Html(CowStr::from("<div class=\"table-wrap\">")));
                table = Table {
                    alignments: alignments.clone(),
                    ..Table::default()
                };
                html_events.push(Event::Start(Tag::Table(alignments)));
            }
            event @ Event::End(TagEnd::Table) => {
                html_events.push(event);
                html_events.push(Event::Html(CowStr::from("</div>\n")));
            }
            event @ (Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead)) => {
                (table.head, table.cell) = (matches!(event, Event::Start(_)), 0);
                html_events.push(event);
            }
            event @ Event::Start(Tag::TableRow) => {
                table.cell = 0;
                html_events.push(event);
            }
            Event::Start(Tag::TableCell) => {
                html_events.push(Event::Html(CowStr::Borrowed(table.cell_open())));
            }
            event @ Event::End(TagEnd::TableCell) => {
                table.cell += 1;
                html_events.push(event);
            }
            other => html_events.push(other),
        }
    }
    // Raw HTML is rewritten as the writer's own would be (see `without_inline_styles`).
    let (mut styled, mut images) = (false, false);
    for event in &html_events {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                styled |= h.contains(STYLE);
                images |= h.contains("<img ");
            }
            Event::Start(Tag::Image { .. }) => images = true,
            _ => {}
        }
    }
    let mut html = String::with_capacity(out.text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, html_events.into_iter());
    out.html = without_inline_styles(html, styled, images);
    out
}

/// How pulldown-cmark's writer gives a table cell its alignment, an inline style: aula opens
/// the cells itself, and rewrites raw HTML that does the same.
const STYLE: &str = " style=\"text-align: ";

/// Where the writer is in a table: its cells are opened here, with a class for their
/// column's alignment instead of the writer's inline style (a strict
/// Content-Security-Policy forbids those).
#[derive(Default)]
struct Table {
    alignments: Vec<pulldown_cmark::Alignment>,
    head: bool,
    cell: usize,
}

impl Table {
    fn cell_open(&self) -> &'static str {
        use pulldown_cmark::Alignment;
        match (self.head, self.alignments.get(self.cell)) {
            (true, Some(Alignment::Left)) => "<th class=\"align-left\">",
            (true, Some(Alignment::Center)) => "<th class=\"align-center\">",
            (true, Some(Alignment::Right)) => "<th class=\"align-right\">",
            (true, _) => "<th>",
            (false, Some(Alignment::Left)) => "<td class=\"align-left\">",
            (false, Some(Alignment::Center)) => "<td class=\"align-center\">",
            (false, Some(Alignment::Right)) => "<td class=\"align-right\">",
            (false, _) => "<td>",
        }
    }
}

/// The writer's HTML with authored raw HTML's table alignment (`styled`) as classes
/// instead of inline styles, as the cells written here have them, and, when there are
/// `images`, `<img>` written as HTML does, not as XML (`<img …>`, not `<img … />`).
fn without_inline_styles(html: String, styled: bool, images: bool) -> String {
    let mut html = html;
    if styled {
        for (side, class) in [
            ("left", "align-left"),
            ("center", "align-center"),
            ("right", "align-right"),
        ] {
            html = html.replace(&format!("{STYLE}{side}\""), &format!(" class=\"{class}\""));
        }
    }
    if !images {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<img ") {
        let Some(end) = rest[at..].find('>').map(|e| at + e) else {
            break;
        };
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        out.push_str(tag.strip_suffix(" /").unwrap_or(tag));
        out.push('>');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A link's URL in this edition, where it changes; its diagnostics.
#[allow(clippy::too_many_arguments)]
fn link(
    ev: usize,
    view: &View,
    body: &Body,
    ctx: &LinkContext,
    own_ids: &BTreeSet<String>,
    out: &mut Rendered,
    diags: &mut Diagnostics,
    locate: &dyn Fn(usize, Diagnostic) -> Diagnostic,
) -> Option<String> {
    match view.target(ev)? {
        Target::Script => Some("#".into()),
        Target::Here(Some(f)) if !own_ids.contains(f) => {
            diags.push(locate(
                ev,
                Diagnostic::error("broken-anchor", format!("no section `#{f}` on this page"))
                    .with_help(anchor_help(own_ids)),
            ));
            None
        }
        Target::Outside { written } => {
            diags.push(locate(
                ev,
                Diagnostic::error(
                    "broken-link",
                    format!("`{written}` points outside `content/`"),
                )
                .with_help("link to files inside the curriculum"),
            ));
            None
        }
        Target::Page {
            key,
            written,
            fragment,
        } => match (ctx.page)(key) {
            Some(target) => {
                let mut url = urls::relative(body.page, &target, ctx.pretty_urls);
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(f);
                    out.fragments.push(PendingFragment {
                        target: target.clone(),
                        fragment: f.clone(),
                        broken: Diagnostic::error(
                            "broken-anchor",
                            format!("`{written}` has no section `#{f}`"),
                        )
                        .at(&view.document().source, view.offset(ev), 1)
                        .in_edition(ctx.lang, ctx.variant),
                    });
                }
                Some(url)
            }
            None if (ctx.known)(key) => {
                diags.push(locate(
                    ev,
                    Diagnostic::error("link-absent", format!("`{written}` is left out of the editions named below"))
                        .with_help("the target is limited to other variants or is a draft; wrap the link in a `::: variant` block"),
                ));
                None
            }
            None => {
                diags.push(locate(
                    ev,
                    Diagnostic::error("broken-link", format!("`{written}` does not exist"))
                        .with_help("link to a session by its file, relative to this file, e.g. `../02-finanzas/01-costos.md`"),
                ));
                None
            }
        },
        Target::File {
            path,
            written,
            fragment,
        } => match resolve_asset(path, ctx) {
            Some((content_path, output)) => {
                let mut url = urls::encode(&urls::relative(body.page, &output, false));
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(f);
                }
                out.assets.insert(content_path, output);
                Some(url)
            }
            None => {
                diags.push(locate(
                    ev,
                    Diagnostic::error("broken-link", format!("`{written}` does not exist"))
                        .with_help("check the file name and that the file is inside `content/`"),
                ));
                None
            }
        },
        Target::Here(_) | Target::Root | Target::External => None,
    }
}

/// An image's URL in this edition, where it changes; its diagnostics.
fn image(
    ev: usize,
    view: &View,
    body: &Body,
    ctx: &LinkContext,
    out: &mut Rendered,
    diags: &mut Diagnostics,
    locate: &dyn Fn(usize, Diagnostic) -> Diagnostic,
) -> Option<String> {
    match view.target(ev)? {
        Target::Script => Some("#".into()),
        Target::File { path, .. }
            if let Some((content_path, output)) = resolve_asset(path, ctx) =>
        {
            let url = urls::encode(&urls::relative(body.page, &output, false));
            out.assets.insert(content_path, output);
            Some(url)
        }
        Target::File { written, .. } | Target::Outside { written } => {
            diags.push(locate(
                ev,
                Diagnostic::error("missing-image", format!("image `{written}` does not exist"))
                    .with_help("images are paths relative to this file, e.g. `media/mercado.jpg`"),
            ));
            None
        }
        _ => None,
    }
}

fn anchor_help(ids: &BTreeSet<String>) -> String {
    if ids.is_empty() {
        "this page has no headings; give one an id with `## Title {#id}`".into()
    } else {
        let list: Vec<&str> = ids.iter().map(String::as_str).collect();
        format!("sections on this page: {}", list.join(", "))
    }
}

/// The file a content path stands for in this edition, preferring `name.LANG.ext` along
/// the language chain: its content path and its output path.
fn resolve_asset(content_path: &str, ctx: &LinkContext) -> Option<(String, String)> {
    crate::doc::find_file(content_path, ctx.chain, ctx.assets).map(|p| {
        let out = format!("files/{p}");
        (p, out)
    })
}
