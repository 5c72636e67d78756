//! HTML escaping, the one rule for every page: `& < > "` become entities and nothing else
//! changes (an apostrophe is a letter in K'iche' and stays as written). Used by the
//! templates (Tera's escaper), the Markdown writer, the site and `serve`'s error overlay.

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
    fn both_escapers_agree_and_keep_apostrophes() {
        let s = "k'o & <b> \"q’ij\" tzʼaqat";
        let mut buf = Vec::new();
        escape_into(s, &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), escape(s));
        assert_eq!(escape(s), "k'o &amp; &lt;b&gt; &quot;q’ij&quot; tzʼaqat");
    }
}
