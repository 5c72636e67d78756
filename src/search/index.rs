//! An edition's index, built a document at a time, and its script files.

use super::Words;

use super::fold::each_token;
use super::spill::{Merge, Posting, Postings, Spill, Written, write_run};
use super::{Doc, META};

/// Documents per block of titles and addresses.
const BLOCK: usize = 25;
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

/// What the index lists of a document: its title, address, module and fallback language.
struct Listed {
    t: String,
    u: String,
    m: usize,
    l: Option<(String, String)>,
}

/// An edition's index, built one document at a time: each document's text is folded in
/// when it is added, and put aside on disk with its words' postings (see [`spill`]), so
/// that what is held is each document's title and address, and the postings of the
/// latest documents.
///
/// [`spill`]: super::spill
#[derive(Default)]
pub struct Index {
    modules: Vec<String>,
    docs: Vec<Listed>,
    /// The texts and the runs of postings put aside.
    spill: Spill,
    /// Each document's text's place in `spill`, and its length.
    texts: Vec<(u64, usize)>,
    /// The runs of postings in `spill`, in document order.
    runs: Vec<std::ops::Range<u64>>,
    /// The postings of the run being made, by word (hashed: a site has tens of thousands
    /// of words, each met many times), and about how many bytes they hold.
    words: Words<Postings>,
    held: usize,
    /// The document being added's words.
    mine: Words<Posting>,
    buf: String,
}

/// About how many bytes of postings an index holds before it writes them as a run.
const RUN: usize = 1 << 18;

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
        self.texts.push((self.spill.end(), d.x.len()));
        self.spill.append(d.x.as_bytes());
        let french = crate::config::primary_subtag(&d.lang) == "fr";
        let mine = &mut self.mine;
        let mut add = |word: &str, weight: u32, at: Option<std::ops::Range<usize>>| {
            let p = match mine.get_mut(word) {
                Some(p) => p,
                None => mine.entry(word.to_string()).or_insert(Posting {
                    doc: i,
                    weight: 0,
                    at: None,
                }),
            };
            p.weight += weight;
            if p.at.is_none() {
                // (A text is far below 4 GiB: sources are read with a limit.)
                p.at = at
                    .and_then(|r| Some((u32::try_from(r.start).ok()?, u32::try_from(r.end).ok()?)));
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
            let new = w.len() + 64;
            let postings = self.words.entry(w).or_insert_with(|| {
                self.held += new;
                Postings::default()
            });
            let before = postings.bytes.len();
            postings.push(p);
            self.held += postings.bytes.len() - before;
        }
        if self.held > RUN {
            self.runs
                .push(write_run(std::mem::take(&mut self.words), &mut self.spill));
            self.held = 0;
        }
    }

    /// The index files of folder `dir` (`es/rural/search-index`), by path: `m.js` (the
    /// modules, the chunks that exist and their sizes), `d<N>.js` (titles and addresses,
    /// 25 documents each) and one `w<hex>.js` per chunk of words (see [`chunks`]), with
    /// each word's documents, weights and, for its best documents, an excerpt. Each is a
    /// classic script (it loads from `file://`) calling `aulaSearch.meta`, `.docs` or
    /// `.words`. Each file is handed to `file` as it is made; the error is the temporary
    /// file's (see [`Spill`]).
    pub fn files(mut self, dir: &str, mut file: impl FnMut(String, String)) -> std::io::Result<()> {
        if !self.words.is_empty() {
            self.runs
                .push(write_run(std::mem::take(&mut self.words), &mut self.spill));
        }
        let spill = self.spill.done()?;
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
        let (mut keys, mut sizes) = (Vec::new(), Vec::new());
        let (mut merge, mut buf) = (Merge::new(&spill, &self.runs)?, Vec::new());
        // A group of words with the same first two letters at a time, written as JSON.
        let mut next = merge.next()?;
        while let Some((first, _)) = &next {
            let two = chunk_key(first);
            let mut group = Vec::new();
            while let Some((word, postings)) = next.take_if(|(w, _)| chunk_key(w) == two) {
                next = merge.next()?;
                group.push(entry(
                    word,
                    postings,
                    &spill,
                    &self.texts,
                    &info_len,
                    &mut buf,
                )?);
            }
            for (key, entries) in chunks(two, group) {
                let script = chunk_script(&key, &entries, info);
                // Its size in KiB, rounded up, for the script to weigh what a query loads.
                sizes.push(script.len().div_ceil(1024));
                file(format!("{dir}/w{}.js", hex(&key)), script);
                keys.push(key);
            }
        }
        let meta = serde_json::json!({
            "n": docs.len(), "b": BLOCK, "m": self.modules, "k": front_coded(&keys), "z": sizes
        });
        file(format!("{dir}/{META}"), script("meta", &[meta]));
        Ok(())
    }
}

/// Sorted `keys` as one string, each written as how many of its first characters it shares
/// with the key before (a base-36 digit, at most 35) and the rest, separated by spaces
/// (words have none): `co com con` is `0co 2m 2n`. Half the size of a JSON list of them,
/// and `m.js`, loaded for every first query, is mostly this list.
fn front_coded(keys: &[String]) -> String {
    let mut out = String::new();
    let mut before = "";
    for key in keys {
        let shared = before
            .chars()
            .zip(key.chars())
            .take_while(|(a, b)| a == b)
            .take(35)
            .count();
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(char::from_digit(shared as u32, 36).unwrap_or('0'));
        out.extend(key.chars().skip(shared));
        before = key;
    }
    out
}

/// A word of a chunk, as the JSON of its entry, with the documents it shows and its size
/// with their titles and addresses.
struct Entry {
    word: String,
    json: Vec<u8>,
    shown: Vec<u32>,
    size: usize,
}

/// A word's entry in its chunk, as
/// `"word":{"e":[[doc,excerpt],…],"p":[doc,weight,…]}`: its documents and weights, and
/// for the best of them (see [`EXCERPTS`]) an excerpt from its text in `spill` (at
/// `texts`). `info_len` gives what each document shown adds to a chunk.
fn entry(
    word: String,
    postings: Vec<Posting>,
    spill: &Written,
    texts: &[(u64, usize)],
    info_len: &[usize],
    buf: &mut Vec<u8>,
) -> std::io::Result<Entry> {
    // Best first, and among equals the earlier document.
    let mut best: Vec<Posting> = Vec::with_capacity(EXCERPTS + 1);
    for p in &postings {
        let at = best.partition_point(|b| b.weight >= p.weight);
        if at < EXCERPTS {
            best.insert(at, *p);
            best.truncate(EXCERPTS);
        }
    }
    let mut out = ScriptSafe(Vec::new());
    out.json(&word);
    out.0.extend_from_slice(b":{\"e\":[");
    for (i, p) in best.iter().enumerate() {
        out.0.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        out.json(&p.doc);
        out.0.push(b',');
        let at = p.at.map(|(from, to)| from as usize..to as usize);
        out.json(&super::excerpt::read(
            spill,
            texts[p.doc as usize],
            at,
            buf,
        )?);
        out.0.push(b']');
    }
    out.0.extend_from_slice(b"],\"p\":[");
    for (i, p) in postings.iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        out.json(&p.doc);
        out.0.push(b',');
        out.json(&p.weight);
    }
    out.0.extend_from_slice(b"]}");
    let shown: Vec<u32> = best.iter().map(|b| b.doc).collect();
    let size = out.0.len() + shown.iter().map(|&d| info_len[d as usize]).sum::<usize>();
    Ok(Entry {
        word,
        json: out.0,
        shown,
        size,
    })
}

/// The script of chunk `key`: `aulaSearch.words(key,{entries},{documents shown})`, with
/// each document shown's title and address (`info`).
fn chunk_script(key: &str, entries: &[Entry], info: impl Fn(usize) -> serde_json::Value) -> String {
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
    let mut shown: Vec<(String, u32)> = shown.into_iter().map(|d| (d.to_string(), d)).collect();
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
    out.into_string()
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
    use super::super::excerpt::{Piece, excerpt};
    use super::*;

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
    fn an_index_written_in_runs_gives_every_word_its_documents_in_order() {
        let mut rng = crate::testing::Rng(23);
        let (mut index, mut expected) = (Index::default(), Vec::new());
        let mut n = 0u32;
        while index.runs.len() < 3 {
            let words: Vec<String> = (0..120)
                .map(|_| format!("w{}", rng.next() % 5000))
                .collect();
            let times = 1 + rng.next() % 4;
            let text = format!(
                "{} {}",
                words.join(" "),
                vec!["precio"; times as usize].join(" ")
            );
            expected.extend([n, times as u32]);
            index.add(&doc("Sesión", &text, "es"));
            n += 1;
        }
        let mut files = Vec::new();
        index
            .files("x", |path, script| files.push((path, script)))
            .unwrap();
        let script = &files.iter().find(|(n, _)| n == "x/w7072.js").unwrap().1;
        let json = script.strip_prefix("aulaSearch.words(\"pr\",").unwrap();
        let back: serde_json::Value =
            serde_json::from_str(&format!("[{}]", json.strip_suffix(");\n").unwrap())).unwrap();
        let postings: Vec<u32> = serde_json::from_value(back[0]["precio"]["p"].clone()).unwrap();
        assert_eq!(postings, expected, "{n} documents");
    }
    #[test]
    fn keys_are_front_coded_and_read_back() {
        let keys: Vec<String> = ["10", "co", "com", "con", "kʼo", "kʼoj", "ñandu", "ñandutí"]
            .iter()
            .map(|k| k.to_string())
            .chain(["a".repeat(40), "a".repeat(41) + "b"])
            .collect();
        let coded = front_coded(&keys);
        assert!(
            coded.starts_with("010 0co 2m 2n 0kʼo 3j 0ñandu 5tí 0"),
            "{coded}"
        );
        // Read back as search.js does.
        let mut back: Vec<String> = Vec::new();
        for e in coded.split(' ') {
            let mut chars = e.chars();
            let n = chars.next().and_then(|c| c.to_digit(36)).unwrap() as usize;
            let before: String = back
                .last()
                .map_or("", String::as_str)
                .chars()
                .take(n)
                .collect();
            back.push(before + chars.as_str());
        }
        assert_eq!(back, keys);
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
