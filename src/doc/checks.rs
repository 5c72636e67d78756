//! What aula tells an author about raw HTML (scripts, loads from other hosts, what print
//! leaves out, anchors it defines) and about syntax of other tools that would print as text
//! (kramdown, Liquid).

use crate::diag::Diagnostic;

/// What to say about a piece of raw HTML: scripts run in the reader's browser, anything
/// that loads from another host breaks "works offline", and the PDFs leave raw HTML out
/// (said once per page). `<a id>` anchors are counted by [`html_anchors`].
pub(super) fn raw_html(html: &str, told: &mut bool, lost_in_print: bool) -> Vec<Diagnostic> {
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
pub(super) fn is_media(html: &str) -> bool {
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
pub(super) fn foreign_syntax(text: &str) -> Option<Diagnostic> {
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
