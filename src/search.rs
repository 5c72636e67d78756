//! Search that works offline: a small index per edition, written as a script file (so it
//! loads from `file://`, where `fetch()` is refused), and the folding both sides share.
//!
//! Folding: lowercase, accents and diaeresis removed (`épargne` = `epargne`, K'iche' `ä` =
//! `a`), and the three apostrophes ' ’ ʼ made one, since in K'iche' they are the same
//! letter. `assets/search.js` folds queries the same way (NFD, drop combining marks).
//! Matching is by word prefix, which serves Spanish and French inflection without a stemmer
//! and leaves K'iche' words whole.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '’' | 'ʼ' | '‘' | '`' | '´' => '\'',
            c => c,
        })
        .collect()
}

/// The folded words of a text: letters, digits and apostrophes inside a word.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// One searchable page of an edition.
#[derive(Debug, Serialize)]
pub struct Doc {
    /// Title.
    pub t: String,
    /// URL relative to the edition's folder.
    pub u: String,
    /// Module title.
    pub m: String,
    /// The language of the text, when it is a fallback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l: Option<String>,
    /// The page's text, whitespace folded (for matching and excerpts).
    pub x: String,
}

/// The index script of an edition: `window.aulaSearch = {...};`.
pub fn index_script(docs: &[Doc]) -> String {
    #[derive(Serialize)]
    struct Index<'a> {
        docs: &'a [Doc],
    }
    let size = docs
        .iter()
        .map(|d| d.x.len() + d.t.len() + 64)
        .sum::<usize>();
    let mut script = ScriptSafe(Vec::with_capacity(size + 32));
    script.0.extend_from_slice(b"window.aulaSearch=");
    if serde_json::to_writer(&mut script, &Index { docs }).is_err() {
        script.0.truncate("window.aulaSearch=".len());
        script.0.extend_from_slice(b"{\"docs\":[]}");
    }
    script.0.extend_from_slice(b";\n");
    // JSON is UTF-8, and the escapes added are ASCII.
    String::from_utf8(script.0).unwrap_or_default()
}

/// Writes JSON so that `</` never appears (it would end an inline script early): `/` after
/// `<` becomes `\/`, which JSON reads as `/`. Outside strings JSON has no `<`.
struct ScriptSafe(Vec<u8>);

impl std::io::Write for ScriptSafe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Most of the index has no `/` at all: one memchr pass.
        if !buf.contains(&b'/') {
            self.0.extend_from_slice(buf);
            return Ok(buf.len());
        }
        for &b in buf {
            if b == b'/' && self.0.last() == Some(&b'<') {
                self.0.push(b'\\');
            }
            self.0.push(b);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_apostrophes_are_one_letter() {
        assert_eq!(fold("ch'ob'onik"), fold("chʼobʼonik"));
        assert_eq!(fold("ch’ob’onik"), fold("chʼobʼonik"));
        assert_eq!(
            words("Kʼo pwaq pa uwiʼ ri mexa."),
            vec!["k'o", "pwaq", "pa", "uwi", "ri", "mexa"]
        );
    }

    #[test]
    fn accents_case_and_diaeresis_fold() {
        assert_eq!(fold("Épargne"), "epargne");
        assert_eq!(fold("AHORRO"), "ahorro");
        assert_eq!(fold("Sibʼaläj nïm"), "sib'alaj nim");
        assert_eq!(fold("güipil"), "guipil");
        assert_eq!(words("¿Cuánto cuesta?"), vec!["cuanto", "cuesta"]);
    }

    #[test]
    fn the_index_cannot_close_its_script() {
        let docs = vec![Doc {
            t: "</script>".into(),
            u: "a/".into(),
            m: String::new(),
            l: None,
            x: "a </b> <<//".into(),
        }];
        let script = index_script(&docs);
        assert!(!script.contains("</"), "{script}");
        // …and it is still the same JSON.
        let json = script
            .strip_prefix("window.aulaSearch=")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap();
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back["docs"][0]["t"], "</script>");
        assert_eq!(back["docs"][0]["x"], "a </b> <<//");
    }
}
