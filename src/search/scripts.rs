//! The index's files, classic scripts calling `aulaSearch`: each word's entry, the chunks
//! of words cut by size, the front-coded list of their keys, all written so that no `</`
//! can end a script early.

use super::spill::{Posting, Written};

/// Per word, the best-ranked documents whose excerpt, title and address come with the
/// word: a one-word query shows its first results without loading anything else.
pub(super) const EXCERPTS: usize = 20;
/// The bytes a chunk of words may have before it is cut by longer prefixes (a chunk of one
/// word may have more).
const CHUNK: usize = 32 * 1024;

pub(super) fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Sorted `keys` as one string, each written as how many of its first characters it shares
/// with the key before (a base-36 digit, at most 35) and the rest, separated by spaces
/// (words have none): `co com con` is `0co 2m 2n`. Half the size of a JSON list of them,
/// and `m.js`, loaded for every first query, is mostly this list.
pub(super) fn front_coded(keys: &[String]) -> String {
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
pub(super) struct Entry {
    word: String,
    json: Vec<u8>,
    shown: Vec<u32>,
    size: usize,
}

/// A word's entry in its chunk, as
/// `"word":{"e":[[doc,excerpt],…],"p":[doc,weight,…]}`: its documents and weights, and
/// for the best of them (see [`EXCERPTS`]) an excerpt from its text in `spill` (at
/// `texts`). `info_len` gives what each document shown adds to a chunk.
pub(super) fn entry(
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

/// A document as the index lists it: `[title,address,module]`, with its language's code
/// and name after them when it is fallback text, as JSON safe in a script.
pub(super) fn listed(d: &super::Doc, module: usize) -> String {
    let mut out = ScriptSafe(Vec::new());
    match &d.l {
        None => out.json(&(&d.t, &d.u, module)),
        Some((code, name)) => out.json(&(&d.t, &d.u, module, code, name)),
    }
    out.into_string()
}

/// The script of a block of documents (see [`listed`]): `aulaSearch.docs(n,[…])`.
pub(super) fn docs_script(block: usize, docs: &[Box<str>]) -> String {
    format!("aulaSearch.docs({block},[{}]);\n", docs.join(","))
}

/// The script of chunk `key`: `aulaSearch.words(key,{entries},{documents shown})`, with
/// each document shown as `docs` lists it.
pub(super) fn chunk_script(key: &str, entries: &[Entry], docs: &[Box<str>]) -> String {
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
        out.0.extend_from_slice(docs[*doc as usize].as_bytes());
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
pub(super) fn chunks(key: String, words: Vec<Entry>) -> Vec<(String, Vec<Entry>)> {
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

/// `aulaSearch.<call>(<args as JSON>);`, safe to load as a script.
pub(super) fn script(call: &str, args: &[serde_json::Value]) -> String {
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
}
