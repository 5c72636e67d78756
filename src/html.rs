//! HTML escaping, the one rule for every page: `& < > "` become entities and nothing else
//! changes (an apostrophe is a letter in K'iche' and stays as written). Used by the
//! templates (Tera's escaper), the Markdown writer, the site and `serve`'s error overlay.

/// Whether HTML or SVG text carries code a browser runs: a `<script>`, an event handler
/// (`onload=`, `onclick=` …) or a `javascript:`/`vbscript:` address. One rule for raw HTML
/// in sessions and for SVG files.
pub fn has_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let handler = lower.match_indices(" on").any(|(i, _)| {
        let name: String = lower[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        name.len() > 2 && lower[i + 1 + name.len()..].trim_start().starts_with('=')
    });
    handler
        || lower.contains("<script")
        || lower.contains("javascript:")
        || lower.contains("vbscript:")
}

/// The entity for a byte that must not appear as itself in HTML text or attributes.
fn entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        _ => None,
    }
}

/// Writes `input` escaped into `buf` (Tera's escape function).
pub fn escape_into(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        if let Some(e) = entity(b) {
            buf.write_all(&input.as_bytes()[last..i])?;
            buf.write_all(e.as_bytes())?;
            last = i + 1;
        }
    }
    buf.write_all(&input.as_bytes()[last..])
}

/// `s` escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(e) = entity(b) {
            out.push_str(&s[last..i]);
            out.push_str(e);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_found_in_any_case_and_handlers_need_a_value() {
        assert!(has_script("<SCRIPT>x()</SCRIPT>"));
        assert!(has_script("<svg onload = \"x()\">"));
        assert!(has_script("<a href=\"JavaScript:x()\">"));
        assert!(!has_script("<p>on the online market</p>"));
        assert!(!has_script("<img src=\"a.png\" alt=\"one\">"));
    }

    #[test]
    fn both_escapers_agree_and_keep_apostrophes() {
        let s = "k'o & <b> \"q’ij\" tzʼaqat";
        let mut buf = Vec::new();
        escape_into(s, &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), escape(s));
        assert_eq!(escape(s), "k'o &amp; &lt;b&gt; &quot;q’ij&quot; tzʼaqat");
    }
}
