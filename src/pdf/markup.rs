//! The Typst writer: a document's view (one variant, the handout or the guide) to Typst
//! markup.
//!
//! Every piece of authored text goes through [`text`], which puts a backslash before each
//! ASCII punctuation character: Typst then reads it as that character, never as markup,
//! never as a smart quote (an apostrophe in K'iche' is a letter). Strings passed to the
//! theme's functions go through [`string`]. Links between sessions become their text; raw
//! HTML cannot be typeset and is left out.

use std::collections::BTreeMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Tag, TagEnd};

use super::boxes::{block_weights, fill_in_tables, open_block};
use crate::blocks::{self, BlockInfo};
use crate::doc::{Target, View, markdown};

/// Escapes authored text for Typst markup: every ASCII punctuation character gets a
/// backslash, every other control character than a line break becomes a Unicode escape,
/// so that no authored character is ever read as markup or code.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c == '\n' || c == '\r' {
            out.push(' ');
        } else if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A Typst string literal: quotes, backslashes and every control character escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the converter needs from the outside.
pub struct Context<'a> {
    /// Words for a block's label (callout kind and audience, minutes), in the page's language.
    pub label: &'a dyn Fn(&BlockInfo) -> String,
    /// Puts a value in the document's data and gives the expression that reads it back
    /// (`data.at(3)`): the values of the theme's functions never pass as Typst source.
    pub data: &'a dyn Fn(serde_json::Value) -> String,
    /// An image's target → its virtual path, where the file is there.
    pub image: &'a dyn Fn(&Target) -> Option<String>,
    /// Added to every heading level (a session inside a module booklet starts at 2).
    pub heading_offset: u8,
    /// Participants' handouts leave room to write after exercises.
    pub write_space: bool,
    /// How much of a callout, in characters (see [`block_weights`]), is never split.
    pub kept_whole: usize,
}

#[derive(Debug, Default)]
pub struct Converted {
    pub markup: String,
    /// Raw HTML was present and left out.
    pub dropped_html: bool,
}

/// Converts a view to Typst markup.
pub fn convert(view: &View, ctx: &Context) -> Converted {
    let mut out = Converted::default();
    let mut buf = String::new();
    // Where footnotes are referenced in `buf` (byte offset, name): no marker is ever put in
    // the text, so no authored character can be taken for one.
    let mut refs: Vec<(usize, String)> = Vec::new();
    let mut footnotes: BTreeMap<String, Note> = BTreeMap::new();
    // A footnote definition is written aside, then put where it is referenced.
    let mut footnote: Option<(String, Note)> = None;
    // Inside raw `<script>` or `<style>`: their text is not content.
    let mut raw_code: Option<&'static str> = None;
    let mut code: Option<String> = None;
    let mut open_blocks = 0usize;
    // An open image: its virtual path (where the file is there) and its description.
    let mut image: Option<(Option<String>, String)> = None;
    // For each open link: whether it is external (kept as a link) or not (text only).
    let mut links: Vec<bool> = Vec::new();
    let weights = block_weights(view);
    // Handout tables with empty cells are to be filled in by hand.
    let fill_in = if ctx.write_space {
        fill_in_tables(view)
    } else {
        Vec::new()
    };

    for ev in view.events() {
        let event = ev.event;
        if let Some(code) = &mut code {
            match event {
                Event::Text(t) => {
                    code.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {}
                _ => continue,
            }
        }
        if let Some((_, alt)) = &mut image {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    let level = markdown::heading_level(level) + ctx.heading_offset;
                    buf.push_str(&format!("\n#heading(level: {level})["));
                }
                Tag::BlockQuote(_) => buf.push_str("\n#quote(block: true)["),
                Tag::CodeBlock(kind) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    buf.push_str("\n#raw(block: true, ");
                    if !lang.is_empty() {
                        buf.push_str(&format!("lang: {}, ", string(&lang)));
                    }
                    code = Some(String::new());
                }
                Tag::List(Some(n)) => buf.push_str(&format!("\n#enum(start: {n}, ")),
                Tag::List(None) => buf.push_str("\n#list("),
                Tag::Item | Tag::TableCell => buf.push('['),
                Tag::FootnoteDefinition(name) => {
                    footnote = Some((
                        name.to_string(),
                        (std::mem::take(&mut buf), std::mem::take(&mut refs)),
                    ))
                }
                Tag::Table(alignments) => {
                    let align: Vec<&str> = alignments
                        .iter()
                        .map(|a| match a {
                            Alignment::Right => "right",
                            Alignment::Center => "center",
                            _ => "left",
                        })
                        .collect();
                    let columns = align.len().max(1);
                    if fill_in.binary_search(&ev.index).is_ok() {
                        // The text's width, and rows tall enough to write in by hand.
                        buf.push_str(&format!(
                            "\n#table(columns: (1fr,) * {columns}, rows: (auto, 12mm), align: ({},), ",
                            align.join(", ")
                        ));
                    } else {
                        buf.push_str(&format!(
                            "\n#table(columns: {columns}, align: ({},), ",
                            align.join(", ")
                        ));
                    }
                }
                Tag::TableHead => buf.push_str("table.header("),
                Tag::Emphasis => buf.push_str("#emph["),
                Tag::Strong => buf.push_str("#strong["),
                Tag::Strikethrough => buf.push_str("#strike["),
                Tag::Superscript => buf.push_str("#super["),
                Tag::Subscript => buf.push_str("#sub["),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } => {
                    // Links between sessions have no place on paper: their text stays.
                    let external = view.target(ev.index) == Some(&Target::External);
                    if external {
                        let url = match link_type {
                            pulldown_cmark::LinkType::Email => format!("mailto:{dest_url}"),
                            _ => dest_url.to_string(),
                        };
                        buf.push_str(&format!("#link({})[", string(&url)));
                    }
                    links.push(external);
                }
                Tag::Image { .. } => {
                    let path = view.target(ev.index).and_then(|t| (ctx.image)(t));
                    image = Some((path, String::new()));
                }
                Tag::DefinitionListTitle => buf.push_str("\n#strong["),
                Tag::DefinitionListDefinition => buf.push_str("\n#pad(left: 1.5em)["),
                Tag::Paragraph
                | Tag::TableRow
                | Tag::DefinitionList
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_) => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => buf.push_str("\n\n"),
                TagEnd::Heading(_) | TagEnd::DefinitionListTitle => buf.push_str("]\n"),
                TagEnd::BlockQuote(_) | TagEnd::DefinitionListDefinition => buf.push_str("]\n"),
                TagEnd::CodeBlock => {
                    buf.push_str(&string(&code.take().unwrap_or_default()));
                    buf.push_str(")\n");
                }
                TagEnd::List(_) | TagEnd::Table => buf.push_str(")\n"),
                TagEnd::Item | TagEnd::TableCell => buf.push_str("], "),
                TagEnd::TableHead => buf.push_str("), "),
                TagEnd::FootnoteDefinition => {
                    if let Some((name, (before, before_refs))) = footnote.take() {
                        let body = std::mem::replace(&mut buf, before);
                        let body_refs = std::mem::replace(&mut refs, before_refs);
                        footnotes.insert(name, (body, body_refs));
                    }
                }
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript => buf.push(']'),
                TagEnd::Link => {
                    if links.pop() == Some(true) {
                        buf.push(']');
                    }
                }
                TagEnd::Image => {
                    if let Some((path, alt)) = image.take() {
                        match path {
                            Some(path) => buf.push_str(&format!(
                                "#figure(image({}, alt: {}))",
                                string(&path),
                                string(&alt)
                            )),
                            None => buf.push_str(&text(&alt)),
                        }
                    }
                }
                TagEnd::TableRow
                | TagEnd::DefinitionList
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_) => {}
            },
            Event::Text(_) if raw_code.is_some() => {}
            Event::Text(t) => {
                let mut plain = t.to_string();
                // Pandoc bracketed spans keep their text.
                for (whole, _, inner) in markdown::bracketed_spans(&t).into_iter().rev() {
                    plain.replace_range(whole, &t[inner]);
                }
                buf.push_str(&text(&plain));
            }
            Event::Code(t) => buf.push_str(&format!("#raw({})", string(&t))),
            Event::Html(html) | Event::InlineHtml(html) => match blocks::marker(&html) {
                Some((true, id)) => {
                    if let Some(info) = view.document().block(id) {
                        let weight = weights.get(&id).copied().unwrap_or(0);
                        buf.push_str(&open_block(info, weight, ctx));
                        open_blocks += 1;
                    }
                }
                Some((false, _)) if open_blocks > 0 => {
                    open_blocks -= 1;
                    buf.push_str("]\n");
                }
                Some((false, _)) => {}
                None => {
                    out.dropped_html |=
                        !html.trim().is_empty() && !html.trim_start().starts_with("<!--");
                    let lower = html.to_ascii_lowercase();
                    for tag in ["script", "style"] {
                        if lower.contains(&format!("</{tag}")) {
                            raw_code = None;
                        } else if lower.trim_start().starts_with(&format!("<{tag}")) {
                            raw_code = Some(tag);
                        }
                    }
                }
            },
            Event::FootnoteReference(name) => refs.push((buf.len(), name.to_string())),
            Event::SoftBreak => buf.push(' '),
            Event::HardBreak => buf.push_str("#linebreak()"),
            Event::Rule => buf.push_str("\n#line(length: 100%)\n"),
            Event::TaskListMarker(done) => buf.push_str(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(m) | Event::DisplayMath(m) => buf.push_str(&text(&m)),
        }
    }
    out.markup = with_footnotes(&buf, &refs, &footnotes, 0);
    out
}

/// A footnote's markup and the references it makes itself.
type Note = (String, Vec<(usize, String)>);

/// `markup` with each reference replaced by its footnote (a footnote's own references
/// too, a few levels deep; a footnote that refers to itself stops there).
fn with_footnotes(
    markup: &str,
    refs: &[(usize, String)],
    footnotes: &BTreeMap<String, Note>,
    depth: usize,
) -> String {
    let mut out = String::with_capacity(markup.len() + refs.len() * 16);
    let mut at = 0;
    for (offset, name) in refs {
        out.push_str(markup.get(at..*offset).unwrap_or(""));
        at = *offset;
        let body = match footnotes.get(name) {
            Some((body, inner)) if depth < 4 => with_footnotes(body, inner, footnotes, depth + 1),
            Some((body, _)) => body.clone(),
            None => String::new(),
        };
        out.push_str(&format!("#footnote[{}]", body.trim()));
    }
    out.push_str(markup.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context with no blocks' words, no images and every value read as `data.at(0)`.
    fn plain(write_space: bool) -> Context<'static> {
        Context {
            label: &|_| String::new(),
            data: &|_| String::from("data.at(0)"),
            image: &|_| None,
            heading_offset: 0,
            write_space,
            kept_whole: KEPT_WHOLE,
        }
    }

    fn convert_text(text: &str, ctx: &Context) -> Converted {
        let doc = crate::doc::Document::for_test(text);
        convert(
            &doc.view("urban", blocks::View::Guide, &crate::doc::test_config()),
            ctx,
        )
    }

    use crate::pdf::boxes::KEPT_WHOLE;
    use crate::testing::Rng;

    /// Pieces that mean something to Markdown or to Typst, K'iche' letters, and every
    /// kind of control character.
    const PIECES: &[&str] = &[
        "k'o",
        "ch'ob'onik",
        "q’ij",
        "tzʼaqat",
        " ",
        "\n",
        "\n\n",
        "#",
        "#panic(\"x\")",
        "#while true {}",
        "$",
        "*",
        "_",
        "`",
        "```",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "<",
        ">",
        "@ana",
        "\\",
        "\"",
        "//",
        "/*",
        "=",
        "-",
        "+",
        "~",
        ":",
        "'",
        "[^1]",
        "[^1]: nota",
        "\u{1}",
        "\u{0}",
        "\u{7}",
        "\u{1b}[31m",
        "\r",
        "\t",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "<script>alert(1)</script>",
        "<b>",
        "![i](x.png)",
        "[l](https://e.org)",
        "> ",
        "1. ",
        "- ",
        "| a | b |\n|---|---|\n| c | d |",
        "~~x~~",
        "^s^",
        "**b**",
        "_e_",
        "$$x$$",
        "é",
    ];

    fn random_text(rng: &mut Rng, parts: usize) -> String {
        (0..parts).map(|_| rng.pick(PIECES)).collect()
    }

    /// The `#name`s of markup outside string literals and escapes: the code it would run.
    fn calls(markup: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = markup.chars().peekable();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    let mut name = String::new();
                    while let Some(&n) = chars.peek() {
                        if n.is_alphanumeric() || n == '-' || n == '.' {
                            name.push(n);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    out.push(name);
                }
                _ => {}
            }
        }
        out
    }

    /// What `text` gives back when Typst reads it: each escape its character.
    fn unescape(markup: &str) -> String {
        let mut out = String::new();
        let mut chars = markup.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }

    #[test]
    fn every_authored_character_comes_back_as_text() {
        let mut rng = Rng(0x5eed_a01a);
        for _ in 0..3000 {
            let s = random_text(&mut rng, 12);
            let escaped = text(&s);
            assert!(calls(&escaped).is_empty(), "{s:?} → {escaped:?}");
            assert!(!escaped.chars().any(|c| c.is_control()), "{escaped:?}");
            assert_eq!(unescape(&escaped), s.replace(['\n', '\r'], " "), "{s:?}");
            let literal = string(&s);
            assert!(!literal.chars().any(|c| c.is_control()), "{literal:?}");
            assert!(calls(&literal).is_empty(), "{literal:?}");
        }
    }

    #[test]
    fn links_out_of_the_site_are_the_same_on_paper_as_on_the_web() {
        // Print kept only http, https and mailto as links; the web keeps every scheme.
        let markup = convert_text(
            "[Llamar](tel:+50212345678) [mapa](//example.org/m) [costos](../02-x/01-y.md) <ana@example.org>",
            &plain(false),
        )
        .markup;
        assert!(
            markup.contains("#link(\"mailto:ana@example.org\")"),
            "{markup}"
        );
        assert!(
            markup.contains("#link(\"tel:+50212345678\")[Llamar]"),
            "{markup}"
        );
        assert!(
            markup.contains("#link(\"//example.org/m\")[mapa]"),
            "{markup}"
        );
        assert!(
            markup.contains("costos") && !markup.contains("02-x"),
            "{markup}"
        );
    }

    #[test]
    fn handout_tables_with_empty_cells_span_the_page_with_rows_to_write_in() {
        let empty = "| Meta | Monto |\n|---|---|\n| | |\n| | |\n";
        let filled = "| Meta | Monto |\n|---|---|\n| nevera | 800 |\n";
        let fill_in = "columns: (1fr,) * 2, rows: (auto, 12mm)";
        assert!(convert_text(empty, &plain(true)).markup.contains(fill_in));
        assert!(!convert_text(filled, &plain(true)).markup.contains(fill_in));
        // Guides show the table as written.
        assert!(!convert_text(empty, &plain(false)).markup.contains(fill_in));
    }

    #[test]
    fn converted_markdown_only_calls_what_aula_writes() {
        const ALLOWED: &[&str] = &[
            "heading",
            "quote",
            "raw",
            "enum",
            "list",
            "table",
            "table.header",
            "emph",
            "strong",
            "strike",
            "super",
            "sub",
            "link",
            "figure",
            "pad",
            "linebreak",
            "line",
            "callout",
            "footnote",
        ];
        let ctx = plain(true);
        let mut rng = Rng(0xfeed_beef);
        for _ in 0..3000 {
            let s = random_text(&mut rng, 16);
            let markup = convert_text(&s, &ctx).markup;
            for call in calls(&markup) {
                assert!(
                    ALLOWED.contains(&call.as_str()),
                    "#{call} from {s:?}:\n{markup}"
                );
            }
            assert!(
                !markup.chars().any(|c| c.is_control() && c != '\n'),
                "{markup:?}"
            );
        }
    }
}
