//! What aula tells an author about raw HTML (scripts, loads from other hosts, what print
//! leaves out, anchors it defines) and about syntax of other tools that would print as text
//! (kramdown, Liquid), about links and images whatever the edition, and the plain text
//! that search indexes: what a [`View`] says of itself ([`View::analyse`]).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Target, View};
use crate::blocks;
use crate::diag::Diagnostic;

/// A view's plain text and what is wrong with its Markdown wherever its links lead.
#[derive(Debug, Default)]
pub struct Analysis {
    /// The text without markup, whitespace squeezed: what search matches and excerpts.
    pub text: String,
    /// Located in the source; the caller says in which edition.
    pub diagnostics: Vec<Diagnostic>,
}

impl View<'_> {
    /// Images without a description, syntax of other tools printed as text, raw HTML that
    /// the PDFs cannot show or that loads from other hosts, links from the host's root or
    /// that run code, images from other hosts; and the plain text.
    pub fn analyse(&self) -> Analysis {
        let mut out = Analysis::default();
        let source = &self.document().source;
        let mut say = |offset: usize, len: usize, d: Diagnostic| {
            out.diagnostics.push(d.at(source, offset, len));
        };
        let mut text = String::new();
        let mut in_image: Option<(usize, String)> = None;
        let mut in_code = false;
        let mut told_html = false;
        for ev in self.events() {
            let at = ev.index;
            match (&ev.event, self.target(at)) {
                (Event::Start(Tag::Link { dest_url, .. }), Some(Target::Root)) => say(self.offset(at), 1,
                    Diagnostic::warning("root-absolute", format!("`{dest_url}` starts at the host's root"))
                        .with_help("link relative to this file (e.g. `../02-finanzas/01-costos.md`): a path from the root breaks under a sub-path and from a USB stick"),
                ),
                (Event::Start(Tag::Link { .. } | Tag::Image { .. }), Some(Target::Script)) => say(self.offset(at), 1,
                    Diagnostic::error("script-link", "this link runs code in the reader's browser")
                        .with_help("link to a page or a file; `javascript:`, `vbscript:` and `data:` addresses are not allowed"),
                ),
                (Event::Start(Tag::Image { dest_url, .. }), Some(Target::External)) => say(self.offset(at), 1,
                    Diagnostic::warning("external-image", format!("this image loads `{dest_url}` from another host"))
                        .with_help("pages load nothing from other hosts (they must work offline): save the image under `media/` and link to it there"),
                ),
                (Event::Start(Tag::Image { dest_url, .. }), Some(Target::Root)) => say(self.offset(at), 1,
                    Diagnostic::error("root-absolute", format!("`{dest_url}` starts at the host's root"))
                        .with_help("write the path relative to this file, e.g. `media/mercado.jpg`: a path from the root breaks under a sub-path and from a USB stick"),
                ),
                (Event::Start(Tag::Heading { attrs, .. }), _)
                    if let Some(m) = super::schedule::heading_minutes(attrs)
                        && super::schedule::parse_minutes(m).is_none() =>
                {
                    // Pointed at the value, on the heading's line.
                    let start = self.offset(at);
                    let line = source.text[start..].lines().next().unwrap_or("");
                    let value = line.find("minutes=").map_or(0, |i| i + "minutes=".len());
                    say(start + value, m.len().max(1),
                        Diagnostic::error("heading-minutes", format!("`{m}` is not a number of minutes"))
                            .with_help(format!("give the section's minutes as a whole number from 0 to {}, e.g. `## Cierre {{minutes=10}}`", crate::blocks::MAX_MINUTES)),
                    )
                }
                (Event::Start(Tag::CodeBlock(_)), _) => in_code = true,
                (Event::End(TagEnd::CodeBlock), _) => in_code = false,
                (Event::Html(html) | Event::InlineHtml(html), _) if blocks::marker(html).is_none() => {
                    // Inline tags such as `<kbd>` keep their text in print; blocks and media do not.
                    let lost = matches!(ev.event, Event::Html(_)) || is_media(html);
                    for d in raw_html(html, &mut told_html, lost) {
                        say(self.offset(at), 1, d);
                    }
                }
                (Event::Text(t), _) if !in_code => {
                    if let Some(d) = foreign_syntax(t) {
                        say(self.offset(at), 1, d);
                    }
                }
                _ => {}
            }
            match &ev.event {
                Event::Start(Tag::Image { .. }) => in_image = Some((at, String::new())),
                Event::End(TagEnd::Image) => {
                    if let Some((image, alt)) = in_image.take()
                        && alt.trim().is_empty()
                    {
                        say(self.offset(image), 1,
                            Diagnostic::warning("missing-alt", "this image has no description")
                                .with_help("describe it for people who cannot see it: `![Una vendedora en el mercado](media/mercado.jpg)`"),
                        );
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, alt)) = &mut in_image {
                        alt.push_str(t);
                    }
                    push_squeezed(&mut text, t);
                }
                Event::SoftBreak
                | Event::HardBreak
                | Event::End(
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
                ) => push_space(&mut text),
                _ => {}
            }
        }
        if text.ends_with(' ') {
            text.pop();
        }
        out.text = text;
        out
    }
}

/// Appends `text` with every run of whitespace made one space, none at the start (the
/// search index's form, made as the text is gathered). Whitespace is Unicode's, as in
/// `split_whitespace`; the scan is by byte, decoding only where a multi-byte space may start.
fn push_squeezed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut run, mut i) = (0, 0);
    // Skipped to the next byte that may start a space: most bytes are letters.
    while let Some(at) = bytes[i..]
        .iter()
        .position(|b| MAY_START_SPACE[usize::from(*b)])
    {
        i += at;
        // One plain space between words stays in the run: it is already squeezed.
        if bytes[i] == b' '
            && i > run
            && bytes
                .get(i + 1)
                .is_some_and(|b| !MAY_START_SPACE[usize::from(*b)])
        {
            i += 1;
            continue;
        }
        let width = match bytes[i] {
            b if b.is_ascii() => 1,
            _ => match text[i..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                _ => 0,
            },
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

/// The bytes that start whitespace: ASCII's, and the lead bytes of U+0085, U+00A0, U+1680,
/// U+2000–U+205F and U+3000 (which start other characters too).
const MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [
        b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c, 0xc2, 0xe1, 0xe2, 0xe3,
    ];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
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
    if crate::html::has_script(html) {
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

/// Ids set in raw HTML (`<a id="x">`, `<a name="x">`, `<span id="x">`): links may point to them.
pub(super) fn html_anchors(html: &str) -> Vec<String> {
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
    // Almost no text has a brace: one scan of the bytes answers for it.
    if !text.as_bytes().contains(&b'{') {
        return None;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn squeezing_pieces_gives_their_words_one_space_apart() {
        let chars = [
            ' ', ' ', ' ', '\t', '\n', '\u{a0}', '\u{2003}', '\u{3000}', '\u{85}', 'a', 'b', 'é',
            'ʼ', '\'', '\u{e9}', '—', '\u{2019}', '本',
        ];
        let mut rng = crate::testing::Rng(7);
        for _ in 0..2000 {
            let pieces: Vec<String> = (0..rng.next() % 4)
                .map(|_| {
                    (0..rng.next() % 12)
                        .map(|_| chars[(rng.next() % chars.len() as u64) as usize])
                        .collect()
                })
                .collect();
            let mut text = String::new();
            for piece in &pieces {
                push_squeezed(&mut text, piece);
            }
            let whole = pieces.concat();
            let mut expected = whole.split_whitespace().collect::<Vec<_>>().join(" ");
            if !expected.is_empty() && whole.ends_with(char::is_whitespace) {
                expected.push(' ');
            }
            assert_eq!(text, expected, "pieces {pieces:?}");
        }
    }
}
