//! An edition's index, built a document at a time, and its script files.

use super::Words;

use super::fold::each_token;
use super::scripts::{chunk_script, chunks, docs_script, entry, front_coded, hex, listed, script};
use super::spill::{Merge, Posting, Postings, Spill, write_run};
use super::{Doc, META};

/// Documents per block of titles and addresses.
const BLOCK: usize = 25;
/// How a match in a title, a heading and the body counts.
const TITLE: u32 = 20;
const HEADING: u32 = 5;

/// The group of chunks a word is in: its first two characters (a one-letter word has its
/// own), the key of its chunk unless the group is too large (see [`chunks`]).
pub fn chunk_key(word: &str) -> String {
    word.chars().take(2).collect()
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
    /// Each document as the index lists it, written as JSON when it is added (see
    /// [`listed`]): blocks of titles and chunks list it as it is.
    docs: Vec<Box<str>>,
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
        self.docs.push(listed(d, module).into());
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
        for (block, range) in (0..docs.len()).step_by(BLOCK).enumerate() {
            let list = &docs[range..(range + BLOCK).min(docs.len())];
            file(format!("{dir}/d{block}.js"), docs_script(block, list));
        }
        // What a document listed in a chunk adds to it, for sizing chunks.
        let info_len: Vec<usize> = docs.iter().map(|d| d.len() + 8).collect();
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
                let script = chunk_script(&key, &entries, docs);
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

#[cfg(test)]
mod tests {
    use super::super::excerpt::{Piece, excerpt};
    use super::super::scripts::EXCERPTS;
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
