//! An edition's index, built a document at a time, and its script files.

use super::fold::each_token;
use super::{Doc, META};

/// Documents per block of titles and addresses.
const BLOCK: usize = 100;
/// Per word, the best-ranked documents whose excerpt, title and address come with the
/// word: a one-word query shows its first results without loading anything else.
const EXCERPTS: usize = 20;
/// The bytes a chunk of words may have before it is cut by longer prefixes (a chunk of one
/// word may have more).
const CHUNK: usize = 32 * 1024;
/// How a match in a title, a heading and the body counts.
const TITLE: u32 = 20;
const HEADING: u32 = 5;

/// The group of chunks a word is in: its first two characters (a one-letter word has its
/// own), the key of its chunk unless the group is too large (see [`chunks`]).
pub fn chunk_key(word: &str) -> String {
    word.chars().take(2).collect()
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A piece of a document's text: `text` is its bytes from `start` on, of `len` in all.
struct Piece<'a> {
    text: &'a str,
    start: usize,
    len: usize,
}

impl<'a> Piece<'a> {
    /// The whole of `text`.
    #[cfg(test)]
    fn whole(text: &'a str) -> Self {
        Piece {
            text,
            start: 0,
            len: text.len(),
        }
    }

    /// The characters of `bytes`, read from `start` in a text of `len` bytes (a read cuts
    /// characters at either end: the parts are left out).
    fn read(bytes: &'a [u8], start: usize, len: usize) -> Self {
        let skip = bytes
            .iter()
            .take_while(|&&b| b & 0xc0 == 0x80)
            .count()
            .min(bytes.len());
        let rest = &bytes[skip..];
        let text = match std::str::from_utf8(rest) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
        };
        Piece {
            text,
            start: start + skip,
            len,
        }
    }

    /// The bytes to read for [`excerpt`] around `at` in a text of `len` bytes.
    fn around(at: Option<&std::ops::Range<usize>>, len: usize) -> std::ops::Range<usize> {
        // Three bytes more each way than it cuts at, for `floor` to find a character's start.
        match at {
            Some(at) => at.start.saturating_sub(63)..len.min(at.end + 93),
            None => 0..len.min(153),
        }
    }

    /// The start of the character at or before `i` (a place in the whole text).
    fn floor(&self, i: usize) -> usize {
        let mut r = i
            .min(self.len)
            .saturating_sub(self.start)
            .min(self.text.len());
        while !self.text.is_char_boundary(r) {
            r -= 1;
        }
        self.start + r
    }

    /// The text from `from` to `to` (places in the whole text).
    fn get(&self, from: usize, to: usize) -> &'a str {
        &self.text[from - self.start..to - self.start]
    }
}

/// About 160 characters of a text around `at`, cut between words, from the piece of it
/// that [`Piece::around`] names.
fn excerpt(text: &Piece, at: Option<std::ops::Range<usize>>) -> String {
    let Some(at) = at else {
        let end = text.floor(150);
        let end = if end < text.len {
            text.get(0, end).rfind(' ').unwrap_or(end)
        } else {
            end
        };
        let more = if end < text.len { " …" } else { "" };
        return format!("{}{more}", text.get(0, end));
    };
    let mut from = text.floor(at.start.saturating_sub(60));
    if from > 0 {
        from = text
            .get(from, at.start)
            .find(' ')
            .map_or(at.start, |i| from + i + 1);
    }
    let mut to = text.floor(at.end + 90);
    if to < text.len {
        to = text.get(at.end, to).rfind(' ').map_or(to, |i| at.end + i);
    }
    format!(
        "{}{}{}",
        if from > 0 { "… " } else { "" },
        text.get(from, to),
        if to < text.len { " …" } else { "" }
    )
}

/// The documents' texts, written to a temporary file as they are added and read back a
/// piece at a time for excerpts: held in memory they would be most of what a site's
/// indexes being built hold (71 MB for nine editions of 1,000 sessions of lesson length
/// and vocabulary), and excerpts cut as documents come, more than the texts.
#[derive(Default)]
struct Texts {
    /// Made when the first text comes.
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// Why a text could not be written, told when the index is.
    error: Option<std::io::Error>,
    /// Each document's place in the file and length.
    places: Vec<(u64, usize)>,
    end: u64,
}

impl Texts {
    fn push(&mut self, text: &str) {
        use std::io::Write;
        self.places.push((self.end, text.len()));
        self.end += text.len() as u64;
        if self.error.is_some() {
            return;
        }
        let file = match &mut self.file {
            Some(file) => Ok(file),
            None => tempfile::tempfile().map(|f| self.file.insert(std::io::BufWriter::new(f))),
        };
        if let Err(e) = file.and_then(|f| f.write_all(text.as_bytes())) {
            self.error = Some(e);
        }
    }

    /// The texts, to be read.
    fn done(self) -> std::io::Result<TextFile> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let file = match self.file {
            Some(file) => Some(file.into_inner().map_err(|e| e.into_error())?),
            None => None,
        };
        Ok(TextFile {
            file,
            places: self.places,
            buf: Vec::new(),
        })
    }
}

/// The documents' texts, written.
struct TextFile {
    file: Option<std::fs::File>,
    places: Vec<(u64, usize)>,
    buf: Vec<u8>,
}

impl TextFile {
    /// The excerpt of document `doc` around `at` (see [`excerpt`]).
    fn excerpt(&mut self, doc: u32, at: Option<std::ops::Range<usize>>) -> std::io::Result<String> {
        let (place, len) = self.places[doc as usize];
        let read = Piece::around(at.as_ref(), len);
        self.buf.resize(read.len(), 0);
        if let Some(file) = &self.file {
            read_at(file, &mut self.buf, place + read.start as u64)?;
        }
        Ok(excerpt(&Piece::read(&self.buf, read.start, len), at))
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(mut file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    file.seek(std::io::SeekFrom::Start(at))?;
    file.read_exact(buf)
}

/// A posting: a document and how much the word counts in it, and where it first is in
/// the body.
struct Posting {
    doc: u32,
    weight: u32,
    first: Option<std::ops::Range<usize>>,
}

/// A word's postings as they are added: each document's weight, in document order, and its
/// best documents so far, best first.
#[derive(Default)]
struct Word {
    postings: Postings,
    best: Vec<Best>,
}

/// One of a word's best documents: its weight and number, and where the word first is in
/// its text, from which the excerpt is cut when the index is written (an excerpt is ten
/// times the size, and there are up to twenty per word).
struct Best {
    weight: u32,
    doc: u32,
    at: Option<(u32, u32)>,
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
    /// Each document's text, for its excerpts.
    texts: Texts,
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
        self.texts.push(&d.x);
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
            let at = word.best.partition_point(|b| b.weight >= p.weight);
            if at < EXCERPTS {
                // (A text is far below 4 GiB: sources are read with a limit.)
                let first = p
                    .first
                    .and_then(|r| Some((u32::try_from(r.start).ok()?, u32::try_from(r.end).ok()?)));
                word.best.insert(
                    at,
                    Best {
                        weight: p.weight,
                        doc: p.doc,
                        at: first,
                    },
                );
                word.best.truncate(EXCERPTS);
            }
        }
    }

    /// The index files of folder `dir` (`es/rural/search-index`), by path: `m.js` (the
    /// modules, the chunks that exist and their sizes), `d<N>.js` (titles and addresses, 100 documents
    /// each) and one `w<hex>.js` per chunk of words (see [`chunks`]), with each word's
    /// documents, weights and, for its best documents, an excerpt. Each is a classic script
    /// (it loads from `file://`) calling `aulaSearch.meta`, `.docs` or `.words`. Each file
    /// is handed to `file` as it is made; the error is the temporary file of texts' (see
    /// [`Texts`]).
    pub fn files(self, dir: &str, mut file: impl FnMut(String, String)) -> std::io::Result<()> {
        let mut texts = self.texts.done()?;
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
        for (block, range) in (0..docs.len()).step_by(BLOCK).enumerate() {
            let list: Vec<serde_json::Value> =
                (range..(range + BLOCK).min(docs.len())).map(info).collect();
            file(
                format!("{dir}/d{block}.js"),
                script("docs", &[block.into(), list.into()]),
            );
        }
        // What a document listed in a chunk adds to it, for sizing chunks.
        let info_len: Vec<usize> = (0..docs.len())
            .map(|i| info(i).to_string().len() + 8)
            .collect();
        let mut words: Vec<(String, Word)> = self.words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (mut keys, mut sizes) = (Vec::new(), Vec::new());
        // A group of words with the same first two letters at a time, written as JSON.
        let mut words = words.into_iter().peekable();
        while let Some((first, _)) = words.peek() {
            let two = chunk_key(first);
            let mut group = Vec::new();
            while let Some((word, Word { postings, best })) =
                words.next_if(|(w, _)| chunk_key(w) == two)
            {
                // As `"word":{"e":[[doc,excerpt],…],"p":[doc,weight,…]}`.
                let mut out = ScriptSafe(Vec::new());
                out.json(&word);
                out.0.extend_from_slice(b":{\"e\":[");
                for (i, Best { doc, at, .. }) in best.iter().enumerate() {
                    out.0.extend_from_slice(if i == 0 { b"[" } else { b",[" });
                    out.json(doc);
                    out.0.push(b',');
                    let at = at.map(|(from, to)| from as usize..to as usize);
                    out.json(&texts.excerpt(*doc, at)?);
                    out.0.push(b']');
                }
                out.0.extend_from_slice(b"],\"p\":[");
                for (i, n) in postings.numbers().enumerate() {
                    if i > 0 {
                        out.0.push(b',');
                    }
                    out.json(&n);
                }
                out.0.extend_from_slice(b"]}");
                let shown: Vec<u32> = best.iter().map(|b| b.doc).collect();
                let size = out.0.len() + shown.iter().map(|&d| info_len[d as usize]).sum::<usize>();
                group.push(Entry {
                    word,
                    json: out.0,
                    shown,
                    size,
                });
            }
            for (key, entries) in chunks(two, group) {
                let mut out = ScriptSafe(b"aulaSearch.words(".to_vec());
                out.json(&key);
                out.0.extend_from_slice(b",{");
                let mut shown = std::collections::BTreeSet::new();
                for (i, entry) in entries.iter().enumerate() {
                    if i > 0 {
                        out.0.push(b',');
                    }
                    out.0.extend_from_slice(&entry.json);
                    shown.extend(entry.shown.iter().copied());
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
                // Its size in KiB, rounded up, for the script to weigh what a query loads.
                sizes.push(out.0.len().div_ceil(1024));
                file(format!("{dir}/w{}.js", hex(&key)), out.into_string());
                keys.push(key);
            }
        }
        file(
            format!("{dir}/{META}"),
            script(
                "meta",
                &[
                    serde_json::json!({"n": docs.len(), "b": BLOCK, "m": self.modules, "k": keys, "z": sizes}),
                ],
            ),
        );
        Ok(())
    }
}

/// A word of a chunk, as the JSON of its entry, with the documents it shows and its size
/// with their titles and addresses.
struct Entry {
    word: String,
    json: Vec<u8>,
    shown: Vec<u32>,
    size: usize,
}

/// The chunks of a group of words, sorted, that begin with `key`: one chunk if they fit in
/// [`CHUNK`] bytes, else the word `key` itself (if it is one) in a chunk of its own and the
/// others by one letter more, each group cut again while it does not fit and has more than
/// one word. A query word loads the chunk whose key is the longest that begins it; where
/// longer keys begin with it, it is too short to match as a prefix (it would load them
/// all), and matches only itself (`assets/search.js`).
fn chunks(key: String, words: Vec<Entry>) -> Vec<(String, Vec<Entry>)> {
    if words.len() < 2 || words.iter().map(|e| e.size).sum::<usize>() <= CHUNK {
        return vec![(key, words)];
    }
    let letters = key.chars().count() + 1;
    let mut out = Vec::new();
    let mut words = words.into_iter().peekable();
    if let Some(whole) = words.next_if(|e| e.word == key) {
        out.push((key, vec![whole]));
    }
    while let Some(first) = words.peek() {
        let longer: String = first.word.chars().take(letters).collect();
        let mut group = Vec::new();
        while let Some(e) = words.next_if(|e| e.word.starts_with(longer.as_str())) {
            group.push(e);
        }
        out.extend(chunks(longer, group));
    }
    out
}

/// The index files of folder `dir` for `docs` (see [`Index::files`]).
pub fn index_files(dir: &str, docs: &[Doc]) -> std::io::Result<Vec<(String, String)>> {
    let mut index = Index::default();
    for d in docs {
        index.add(d);
    }
    let mut files = Vec::new();
    index.files(dir, |path, script| files.push((path, script)))?;
    Ok(files)
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
        let files = index_files("x", docs).unwrap();
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
        let files = index_files("x", &[doc("</script>", "a </b> <<//", "es")]).unwrap();
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
            let e = excerpt(&Piece::whole(&text), Some(at.clone()));
            let inner = e.trim_start_matches("… ").trim_end_matches(" …");
            assert!(
                format!(" {text} ").contains(&format!(" {inner} ")),
                "{e:?} cuts a word of {text:?}"
            );
            assert!(inner.contains(&text[at.clone()]));
        }
    }
    #[test]
    fn an_excerpt_cut_from_the_bytes_read_around_a_word_is_the_one_cut_from_the_whole() {
        let mut rng = crate::testing::Rng(5);
        let vocabulary = [
            "ñandutí",
            "kʼo",
            "€",
            "a",
            "précio",
            "𝄞𝄞",
            "chʼobʼonik",
            ",",
        ];
        for _ in 0..2000 {
            let n = 1 + (rng.next() % 120) as usize;
            let text: Vec<&str> = (0..n).map(|_| rng.pick(&vocabulary)).collect();
            let text = text.join(if rng.next().is_multiple_of(3) {
                ""
            } else {
                " "
            });
            let tokens = tokens(&text, false);
            let at = (!tokens.is_empty() && !rng.next().is_multiple_of(5)).then(|| {
                tokens[(rng.next() % tokens.len() as u64) as usize]
                    .1
                    .clone()
            });
            let read = Piece::around(at.as_ref(), text.len());
            let piece = Piece::read(&text.as_bytes()[read.clone()], read.start, text.len());
            assert_eq!(
                excerpt(&piece, at.clone()),
                excerpt(&Piece::whole(&text), at),
                "{text:?}"
            );
        }
    }
    #[test]
    fn excerpts_come_back_from_the_file_of_texts() {
        let docs: Vec<Doc> = (0..30)
            .map(|i| {
                doc(
                    "Título",
                    &format!("{} precio {i} {}", "año ".repeat(i * 7), "ñ ".repeat(90)),
                    "es",
                )
            })
            .collect();
        let back = chunk(&docs, "pr");
        for e in back[0]["precio"]["e"].as_array().unwrap() {
            let n = e[0].as_u64().unwrap() as usize;
            let text = &docs[n].x;
            let at = text.find("precio").unwrap();
            let whole = excerpt(&Piece::whole(text), Some(at..at + 6));
            assert_eq!(e[1], whole.as_str());
            assert!(whole.contains(&format!("precio {n} ")));
        }
    }
    #[test]
    fn large_chunks_are_cut_by_longer_prefixes_and_each_word_is_under_its_longest_key() {
        let mut rng = crate::testing::Rng(17);
        let mut deepest = 0;
        for _ in 0..300 {
            let letters = ["o", "c", "n", "ñ", "m", "p", "ʼ"];
            let mut words: Vec<String> = (0..(rng.next() % 200))
                .map(|_| {
                    let n = 2 + (rng.next() % 7) as usize;
                    "co".to_string() + &(2..n).map(|_| rng.pick(&letters)).collect::<String>()
                })
                .collect();
            words.sort();
            words.dedup();
            let entries = words
                .iter()
                .map(|w| Entry {
                    word: w.clone(),
                    json: Vec::new(),
                    shown: Vec::new(),
                    size: (rng.next() % 4000) as usize,
                })
                .collect();
            let cut = chunks("co".into(), entries);
            let keys: Vec<&str> = cut.iter().map(|(k, _)| k.as_str()).collect();
            let mut all = Vec::new();
            for (key, entries) in &cut {
                let size: usize = entries.iter().map(|e| e.size).sum();
                assert!(entries.len() == 1 || size <= CHUNK, "{key}: {size} bytes");
                for e in entries {
                    let longest = keys
                        .iter()
                        .filter(|k| e.word.starts_with(**k))
                        .max_by_key(|k| k.len());
                    assert_eq!(longest, Some(&key.as_str()), "{} is under {key}", e.word);
                    all.push(e.word.clone());
                }
            }
            // Every word once, in order, and so are the keys.
            assert_eq!(all, words);
            assert!(keys.windows(2).all(|k| k[0] < k[1]), "{keys:?}");
            deepest = deepest.max(keys.iter().map(|k| k.chars().count()).max().unwrap_or(0));
        }
        assert!(deepest >= 4, "the test needs chunks cut more than once");
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
