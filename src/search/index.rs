//! An edition's index, built a document at a time, and its script files.

use super::fold::each_token;
use super::{Doc, META};

/// Documents per block of titles and addresses.
const BLOCK: usize = 100;
/// Per word, the best-ranked documents whose excerpt, title and address come with the
/// word: a one-word query shows its first results without loading anything else.
const EXCERPTS: usize = 20;
/// How a match in a title, a heading and the body counts.
const TITLE: u32 = 20;
const HEADING: u32 = 5;

/// The chunk a word is in: its first two characters (a one-letter word has its own).
pub fn chunk_key(word: &str) -> String {
    word.chars().take(2).collect()
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// About 160 characters of `text` around `at`, cut between words.
fn excerpt(text: &str, at: Option<std::ops::Range<usize>>) -> String {
    let Some(at) = at else {
        let end = floor(text, 150);
        let end = if end < text.len() {
            text[..end].rfind(' ').unwrap_or(end)
        } else {
            end
        };
        let more = if end < text.len() { " …" } else { "" };
        return format!("{}{more}", &text[..end]);
    };
    let mut from = floor(text, at.start.saturating_sub(60));
    if from > 0 {
        from = text[from..at.start]
            .find(' ')
            .map_or(at.start, |i| from + i + 1);
    }
    let mut to = floor(text, at.end + 90);
    if to < text.len() {
        to = text[at.end..to].rfind(' ').map_or(to, |i| at.end + i);
    }
    format!(
        "{}{}{}",
        if from > 0 { "… " } else { "" },
        &text[from..to],
        if to < text.len() { " …" } else { "" }
    )
}

/// A posting: a document and how much the word counts in it, and where it first is in
/// the body.
struct Posting {
    doc: u32,
    weight: u32,
    first: Option<std::ops::Range<usize>>,
}

/// A word's postings as they are added: each document's weight, in document order, and its
/// best documents so far (weight, document, excerpt), best first.
#[derive(Default)]
struct Word {
    postings: Postings,
    best: Vec<(u32, u32, String)>,
}

/// A word's documents and weights, in document order, each pair as two LEB128 numbers with
/// the document given as its distance from the one before: postings are most of what an
/// index being built holds, and most of these numbers fit in a byte.
#[derive(Default)]
struct Postings {
    bytes: Vec<u8>,
    last: u32,
}

impl Postings {
    /// Adds a later document than any so far.
    fn push(&mut self, doc: u32, weight: u32) {
        for mut n in [doc - self.last, weight] {
            while n >= 0x80 {
                self.bytes.push((n as u8 & 0x7f) | 0x80);
                n >>= 7;
            }
            self.bytes.push(n as u8);
        }
        self.last = doc;
    }

    /// Document, weight, document, weight … as added.
    fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.bytes.iter();
        let (mut doc, mut is_doc) = (0u32, true);
        std::iter::from_fn(move || {
            let (mut n, mut shift) = (0u32, 0);
            loop {
                let b = *bytes.next()?;
                n |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
            let out = if is_doc {
                doc += n;
                doc
            } else {
                n
            };
            is_doc = !is_doc;
            Some(out)
        })
    }
}

/// What the index lists of a document: its title, address, module and fallback language.
struct Listed {
    t: String,
    u: String,
    m: usize,
    l: Option<(String, String)>,
}

/// A table by word, with foldhash's randomly seeded hash (hashing is a good part of what
/// indexing costs, and nothing iterates these tables in their order).
type Words<T> = std::collections::HashMap<String, T, foldhash::fast::RandomState>;

/// An edition's index, built one document at a time: each document's text is folded in
/// when it is added and can then go, so that what is held is about what the index files
/// will hold (each word's postings and its best excerpts), not every page's text.
#[derive(Default)]
pub struct Index {
    modules: Vec<String>,
    docs: Vec<Listed>,
    /// Hashed while counting (a site has tens of thousands of words, each met many times),
    /// in order when written.
    words: Words<Word>,
    /// The document being added's words.
    mine: Words<Posting>,
    buf: String,
}

impl Index {
    /// Adds the next document (documents are numbered in the order they are added).
    pub fn add(&mut self, d: &Doc) {
        let i = self.docs.len() as u32;
        let module = self
            .modules
            .iter()
            .position(|m| *m == d.m)
            .unwrap_or_else(|| {
                self.modules.push(d.m.clone());
                self.modules.len() - 1
            });
        self.docs.push(Listed {
            t: d.t.clone(),
            u: d.u.clone(),
            m: module,
            l: d.l.clone(),
        });
        let french = crate::config::primary_subtag(&d.lang) == "fr";
        let mine = &mut self.mine;
        let mut add = |word: &str, weight: u32, at: Option<std::ops::Range<usize>>| {
            let p = match mine.get_mut(word) {
                Some(p) => p,
                None => mine.entry(word.to_string()).or_insert(Posting {
                    doc: i,
                    weight: 0,
                    first: None,
                }),
            };
            p.weight += weight;
            if p.first.is_none() {
                p.first = at;
            }
        };
        let buf = &mut self.buf;
        each_token(&d.t, french, buf, |w, _| add(w, TITLE, None));
        for h in &d.h {
            each_token(h, french, buf, |w, _| add(w, HEADING, None));
        }
        each_token(&d.x, french, buf, |w, at| add(w, 1, Some(at)));
        // In any order: each word's list grows by this document's posting alone.
        #[allow(clippy::iter_over_hash_type)]
        for (w, p) in self.mine.drain() {
            let word = self.words.entry(w).or_default();
            word.postings.push(p.doc, p.weight);
            // Best first, and among equals the earlier document: this one (the last so
            // far) goes after every document that weighs as much.
            let at = word.best.partition_point(|b| b.0 >= p.weight);
            if at < EXCERPTS {
                word.best
                    .insert(at, (p.weight, p.doc, excerpt(&d.x, p.first.clone())));
                word.best.truncate(EXCERPTS);
            }
        }
    }

    /// The index files of folder `dir` (`es/rural/search-index`), by path: `m.js` (the
    /// modules, the chunks that exist), `d<N>.js` (titles and addresses, 100 documents
    /// each) and one `w<hex>.js` per chunk of words sharing their first two letters, with
    /// each word's documents, weights and, for its best documents, an excerpt. Each is a
    /// classic script (it loads from `file://`) calling `aulaSearch.meta`, `.docs` or
    /// `.words`.
    pub fn files(self, dir: &str) -> Vec<(String, String)> {
        let docs = &self.docs;
        let info = |i: usize| {
            let Listed { t, u, m, l } = &docs[i];
            let mut v = vec![
                serde_json::Value::from(t.as_str()),
                serde_json::Value::from(u.as_str()),
                serde_json::Value::from(*m),
            ];
            if let Some((code, name)) = l {
                v.push(code.as_str().into());
                v.push(name.as_str().into());
            }
            serde_json::Value::Array(v)
        };
        let mut words: Vec<(String, Word)> = self.words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // (Cutting sorted words to their first letters keeps them sorted.)
        let mut keys: Vec<String> = words.iter().map(|(w, _)| chunk_key(w)).collect();
        keys.dedup();
        let mut files = Vec::new();
        files.push((
            format!("{dir}/{META}"),
            script(
                "meta",
                &[serde_json::json!({"n": docs.len(), "b": BLOCK, "m": self.modules, "k": keys})],
            ),
        ));
        for (block, range) in (0..docs.len()).step_by(BLOCK).enumerate() {
            let list: Vec<serde_json::Value> =
                (range..(range + BLOCK).min(docs.len())).map(info).collect();
            files.push((
                format!("{dir}/d{block}.js"),
                script("docs", &[block.into(), list.into()]),
            ));
        }
        // Each chunk is written as its words come, and they go with it.
        let mut words = words.into_iter().peekable();
        for key in keys {
            let mut out = ScriptSafe(b"aulaSearch.words(".to_vec());
            out.json(&key);
            out.0.extend_from_slice(b",{");
            let mut shown = std::collections::BTreeSet::new();
            let mut first = true;
            while let Some((word, Word { postings, best })) =
                words.next_if(|(w, _)| chunk_key(w) == key)
            {
                if !first {
                    out.0.push(b',');
                }
                first = false;
                // As `{"e":[[doc,excerpt],…],"p":[doc,weight,…]}`.
                out.json(&word);
                out.0.extend_from_slice(b":{\"e\":[");
                for (i, (_, doc, excerpt)) in best.iter().enumerate() {
                    out.0.extend_from_slice(if i == 0 { b"[" } else { b",[" });
                    out.json(doc);
                    out.0.push(b',');
                    out.json(excerpt);
                    out.0.push(b']');
                    shown.insert(*doc);
                }
                out.0.extend_from_slice(b"],\"p\":[");
                for (i, n) in postings.numbers().enumerate() {
                    if i > 0 {
                        out.0.push(b',');
                    }
                    out.json(&n);
                }
                out.0.extend_from_slice(b"]}");
            }
            // The documents shown, keyed by their number as text (so in its order).
            let mut shown: Vec<(String, u32)> =
                shown.into_iter().map(|d| (d.to_string(), d)).collect();
            shown.sort_unstable();
            out.0.extend_from_slice(b"},{");
            for (i, (name, doc)) in shown.iter().enumerate() {
                if i > 0 {
                    out.0.push(b',');
                }
                out.json(name);
                out.0.push(b':');
                out.json(&info(*doc as usize));
            }
            out.0.extend_from_slice(b"});\n");
            files.push((format!("{dir}/w{}.js", hex(&key)), out.into_string()));
        }
        files
    }
}

/// The index files of folder `dir` for `docs` (see [`Index::files`]).
pub fn index_files(dir: &str, docs: &[Doc]) -> Vec<(String, String)> {
    let mut index = Index::default();
    for d in docs {
        index.add(d);
    }
    index.files(dir)
}

/// `aulaSearch.<call>(<args as JSON>);`, safe to load as a script.
fn script(call: &str, args: &[serde_json::Value]) -> String {
    let mut out = ScriptSafe(Vec::new());
    out.0
        .extend_from_slice(format!("aulaSearch.{call}(").as_bytes());
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        out.json(a);
    }
    out.0.extend_from_slice(b");\n");
    out.into_string()
}

/// Writes JSON so that `</` never appears (it would end an inline script early): `/` after
/// `<` becomes `\/`, which JSON reads as `/`. Outside strings JSON has no `<`.
struct ScriptSafe(Vec<u8>);

impl ScriptSafe {
    /// Appends `value` as JSON (which cannot fail for the plain data written here).
    fn json(&mut self, value: &impl serde::Serialize) {
        let _ = serde_json::to_writer(&mut *self, value);
    }

    fn into_string(self) -> String {
        // JSON is UTF-8, and the escapes added are ASCII.
        String::from_utf8(self.0).unwrap_or_default()
    }
}

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
    use crate::search::tokens;

    fn doc(t: &str, x: &str, lang: &str) -> Doc {
        Doc {
            t: t.into(),
            u: "m/s/index.html".into(),
            m: "Módulo".into(),
            l: None,
            lang: lang.into(),
            x: x.into(),
            h: Vec::new(),
        }
    }
    /// The chunk `key` of the index of `docs`, as its script's arguments after the key:
    /// its words, and its documents.
    fn chunk(docs: &[Doc], key: &str) -> serde_json::Value {
        let files = index_files("x", docs);
        let name = format!("x/w{}.js", hex(key));
        let script = &files.iter().find(|(n, _)| *n == name).unwrap().1;
        let json = script
            .strip_prefix(&format!("aulaSearch.words({key:?},"))
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        serde_json::from_str(&format!("[{json}]")).unwrap()
    }
    #[test]
    fn the_index_cannot_close_its_script() {
        let files = index_files("x", &[doc("</script>", "a </b> <<//", "es")]);
        for (name, script) in &files {
            assert!(!script.contains("</"), "{name}: {script}");
        }
        let block = &files.iter().find(|(n, _)| n == "x/d0.js").unwrap().1;
        let json = block
            .strip_prefix("aulaSearch.docs(0,")
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        let back: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back[0][0], "</script>");
    }
    #[test]
    fn excerpts_are_cut_between_words() {
        let mut rng = crate::testing::Rng(7);
        let vocabulary = [
            "precio",
            "ñandú",
            "k'o",
            "ganancia",
            "l’utilité",
            "a",
            "crédito,",
        ];
        for _ in 0..500 {
            let n = 5 + (rng.next() % 80) as usize;
            let text: Vec<&str> = (0..n).map(|_| rng.pick(&vocabulary)).collect();
            let text = text.join(" ");
            let tokens = tokens(&text, false);
            let (_, at) = &tokens[(rng.next() % tokens.len() as u64) as usize];
            let e = excerpt(&text, Some(at.clone()));
            let inner = e.trim_start_matches("… ").trim_end_matches(" …");
            assert!(
                format!(" {text} ").contains(&format!(" {inner} ")),
                "{e:?} cuts a word of {text:?}"
            );
            assert!(inner.contains(&text[at.clone()]));
        }
    }
    #[test]
    fn a_word_s_excerpts_are_its_best_documents_as_they_are_added() {
        let mut rng = crate::testing::Rng(11);
        let docs: Vec<Doc> = (0..90)
            .map(|i| {
                let title = if rng.next().is_multiple_of(7) {
                    "Precio"
                } else {
                    "Otro"
                };
                let body = vec!["precio"; (rng.next() % 6) as usize].join(" y ");
                doc(title, &format!("Sesión {i}: {body}."), "es")
            })
            .collect();
        let back = chunk(&docs, "pr");
        let word = &back[0]["precio"];
        let flat: Vec<u64> = serde_json::from_value(word["p"].clone()).unwrap();
        let mut ranked: Vec<(u64, u64)> = flat.chunks(2).map(|p| (p[0], p[1])).collect();
        assert!(
            ranked.len() > EXCERPTS,
            "the test needs more documents than excerpts"
        );
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let best: Vec<u64> = ranked.iter().take(EXCERPTS).map(|p| p.0).collect();
        let shown: Vec<u64> = word["e"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[0].as_u64().unwrap())
            .collect();
        assert_eq!(shown, best);
        for e in word["e"].as_array().unwrap() {
            let n = e[0].as_u64().unwrap();
            assert!(e[1].as_str().unwrap().starts_with(&format!("Sesión {n}:")));
        }
    }
    #[test]
    fn postings_give_back_every_document_and_weight_as_added() {
        let mut rng = crate::testing::Rng(13);
        for _ in 0..200 {
            let (mut postings, mut added, mut doc) = (Postings::default(), Vec::new(), 0u32);
            for _ in 0..(rng.next() % 40) {
                // Gaps and weights of one to five bytes, the largest there can be.
                let gap = (rng.next() as u32) >> (rng.next() % 32);
                doc = doc.saturating_add(gap);
                let weight = (rng.next() as u32) >> (rng.next() % 32);
                if added.last().is_some_and(|&(d, _)| d == doc) {
                    continue;
                }
                postings.push(doc, weight);
                added.push((doc, weight));
            }
            let flat: Vec<u32> = added.iter().flat_map(|&(d, w)| [d, w]).collect();
            assert_eq!(postings.numbers().collect::<Vec<_>>(), flat);
        }
    }
    #[test]
    fn chunks_hold_words_by_their_first_two_letters_with_ranked_excerpts() {
        let docs = [
            doc("Precio", "Otra cosa.", "es"),
            doc("Costos", "El precio de venta y el precio de costo.", "es"),
        ];
        let back = chunk(&docs, "pr");
        // The title counts more than two mentions in the body.
        assert_eq!(back[0]["precio"]["p"], serde_json::json!([0, 20, 1, 2]));
        assert_eq!(back[0]["precio"]["e"][0][0], 0);
        assert_eq!(
            back[0]["precio"]["e"][1][1],
            "El precio de venta y el precio de costo."
        );
        assert_eq!(back[1]["1"][0], "Costos");
    }
}
