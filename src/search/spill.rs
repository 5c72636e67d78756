//! What an index being built puts aside on disk, so that memory does not grow with the
//! curriculum: each document's text, for its excerpts, and its words' postings, a run of
//! them at a time sorted by word, merged when the index files are written (they are
//! written in the words' order). Held in memory, the texts were 71 MB for nine editions of
//! 1,000 sessions of lessons' length, and postings grow with every page.

use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Write};

use super::Words;

/// An anonymous temporary file (in `TMPDIR`), written from start to end, then read where
/// asked. Made when the first bytes come; a failure to write is kept, to be told when the
/// file is read.
#[derive(Default)]
pub(super) struct Spill {
    file: Option<BufWriter<File>>,
    error: Option<io::Error>,
    end: u64,
}

impl Spill {
    /// Where the next bytes go.
    pub(super) fn end(&self) -> u64 {
        self.end
    }

    pub(super) fn append(&mut self, bytes: &[u8]) {
        self.end += bytes.len() as u64;
        if self.error.is_some() {
            return;
        }
        let file = match &mut self.file {
            Some(file) => Ok(file),
            None => tempfile::tempfile().map(|f| self.file.insert(BufWriter::new(f))),
        };
        if let Err(e) = file.and_then(|f| f.write_all(bytes)) {
            self.error = Some(e);
        }
    }

    /// The file, for reading.
    pub(super) fn done(self) -> io::Result<Written> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let file = match self.file {
            Some(file) => Some(file.into_inner().map_err(|e| e.into_error())?),
            None => None,
        };
        Ok(Written { file })
    }
}

/// A [`Spill`] written.
pub(super) struct Written {
    file: Option<File>,
}

impl Written {
    /// Fills `buf` from `at`.
    pub(super) fn read_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        match &self.file {
            Some(file) => read_at(file, buf, at),
            None if buf.is_empty() => Ok(()),
            None => Err(io::ErrorKind::UnexpectedEof.into()),
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    use std::io::{Read, Seek};
    file.seek(io::SeekFrom::Start(at))?;
    file.read_exact(buf)
}

/// A word in a document: how much it counts there, and where it first is in the body
/// (bytes, when it is in the body).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Posting {
    pub doc: u32,
    pub weight: u32,
    pub at: Option<(u32, u32)>,
}

/// A word's postings in document order, as LEB128 numbers: the document as its distance
/// from the one before (the first from 0), the weight, and the start of the word in the
/// body plus one (0: not in the body) followed by its length. Most numbers fit in a byte.
#[derive(Default)]
pub(super) struct Postings {
    pub bytes: Vec<u8>,
    last: u32,
}

impl Postings {
    /// Adds a later document than any so far.
    pub(super) fn push(&mut self, p: Posting) {
        let (start, len) = match p.at {
            Some((from, to)) => (from.saturating_add(1), Some(to - from)),
            None => (0, None),
        };
        for n in [p.doc - self.last, p.weight, start].into_iter().chain(len) {
            leb(&mut self.bytes, n);
        }
        self.last = p.doc;
    }
}

fn leb(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The postings of `bytes` (see [`Postings`]), appended to `out`.
pub(super) fn postings(bytes: &[u8], out: &mut Vec<Posting>) -> io::Result<()> {
    let mut bytes = bytes.iter();
    let mut next = || -> io::Result<Option<u32>> {
        let (mut n, mut shift) = (0u32, 0);
        loop {
            let Some(&b) = bytes.next() else {
                return if shift == 0 { Ok(None) } else { Err(corrupt()) };
            };
            n |= u32::from(b & 0x7f).checked_shl(shift).ok_or_else(corrupt)?;
            if b < 0x80 {
                return Ok(Some(n));
            }
            shift += 7;
        }
    };
    let mut doc = 0u32;
    while let Some(gap) = next()? {
        let weight = next()?.ok_or_else(corrupt)?;
        let start = next()?.ok_or_else(corrupt)?;
        let at = match start {
            0 => None,
            start => {
                let len = next()?.ok_or_else(corrupt)?;
                Some((start - 1, start - 1 + len))
            }
        };
        doc = doc.checked_add(gap).ok_or_else(corrupt)?;
        out.push(Posting { doc, weight, at });
    }
    Ok(())
}

fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a run of the index is damaged")
}

/// Writes the words of a run, sorted, each as its length, its bytes, the length of its
/// postings and their bytes (lengths as four bytes, little-endian); returns where the run
/// is.
pub(super) fn write_run(words: Words<Postings>, spill: &mut Spill) -> std::ops::Range<u64> {
    let start = spill.end();
    let mut words: Vec<(String, Postings)> = words.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut head = Vec::new();
    for (word, postings) in words {
        head.clear();
        head.extend_from_slice(&(word.len() as u32).to_le_bytes());
        head.extend_from_slice(word.as_bytes());
        head.extend_from_slice(&(postings.bytes.len() as u32).to_le_bytes());
        spill.append(&head);
        spill.append(&postings.bytes);
    }
    start..spill.end()
}

/// A run being read, a buffer at a time.
struct Run<'a> {
    file: &'a Written,
    at: u64,
    end: u64,
    buf: Vec<u8>,
    pos: usize,
}

/// Bytes read from a run at a time.
const READ: usize = 32 * 1024;

impl Run<'_> {
    /// Reads the next bytes once the buffer's are used; false at the run's end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.buf.len() {
            return Ok(true);
        }
        if self.at == self.end {
            return Ok(false);
        }
        let n = (self.end - self.at).min(READ as u64) as usize;
        self.buf.resize(n, 0);
        self.file.read_at(&mut self.buf, self.at)?;
        self.at += n as u64;
        self.pos = 0;
        Ok(true)
    }

    /// A length (see [`write_run`]).
    fn length(&mut self) -> io::Result<usize> {
        let bytes: [u8; 4] = self.bytes(4)?.try_into().map_err(|_| corrupt())?;
        Ok(u32::from_le_bytes(bytes) as usize)
    }

    fn bytes(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            if !self.fill()? {
                return Err(corrupt());
            }
            let take = (n - out.len()).min(self.buf.len() - self.pos);
            out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(out)
    }

    /// The next word and its postings' bytes.
    fn word(&mut self) -> io::Result<Option<(String, Vec<u8>)>> {
        if !self.fill()? {
            return Ok(None);
        }
        let len = self.length()?;
        let word = String::from_utf8(self.bytes(len)?).map_err(|_| corrupt())?;
        let len = self.length()?;
        Ok(Some((word, self.bytes(len)?)))
    }
}

/// The words of runs, in order, each with its postings from every run in document order
/// (the runs are in document order).
pub(super) struct Merge<'a> {
    runs: Vec<Run<'a>>,
    /// Each run's next word, smallest first, and among equal words the earlier run.
    heap: BinaryHeap<std::cmp::Reverse<(String, usize)>>,
    /// Each run's next word's postings.
    next: Vec<Vec<u8>>,
}

impl<'a> Merge<'a> {
    pub(super) fn new(file: &'a Written, runs: &[std::ops::Range<u64>]) -> io::Result<Self> {
        let mut merge = Merge {
            runs: runs
                .iter()
                .map(|r| Run {
                    file,
                    at: r.start,
                    end: r.end,
                    buf: Vec::new(),
                    pos: 0,
                })
                .collect(),
            heap: BinaryHeap::new(),
            next: vec![Vec::new(); runs.len()],
        };
        for i in 0..runs.len() {
            merge.advance(i)?;
        }
        Ok(merge)
    }

    fn advance(&mut self, run: usize) -> io::Result<()> {
        if let Some((word, bytes)) = self.runs[run].word()? {
            self.next[run] = bytes;
            self.heap.push(std::cmp::Reverse((word, run)));
        }
        Ok(())
    }

    /// The next word, with its postings.
    pub(super) fn next(&mut self) -> io::Result<Option<(String, Vec<Posting>)>> {
        let Some(std::cmp::Reverse((word, run))) = self.heap.pop() else {
            return Ok(None);
        };
        let mut all = Vec::new();
        postings(&std::mem::take(&mut self.next[run]), &mut all)?;
        self.advance(run)?;
        while let Some(std::cmp::Reverse((next, _))) = self.heap.peek()
            && *next == word
        {
            let Some(std::cmp::Reverse((_, run))) = self.heap.pop() else {
                break;
            };
            postings(&std::mem::take(&mut self.next[run]), &mut all)?;
            self.advance(run)?;
        }
        Ok(Some((word, all)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_give_back_every_document_weight_and_place_as_added() {
        let mut rng = crate::testing::Rng(13);
        for _ in 0..200 {
            let (mut list, mut added, mut doc) = (Postings::default(), Vec::new(), 0u32);
            for _ in 0..(rng.next() % 40) {
                // Gaps, weights and places of one to five bytes, the largest there can be.
                let mut big = || (rng.next() as u32) >> (rng.next() % 32);
                doc = doc.saturating_add(big());
                if added.last().is_some_and(|p: &Posting| p.doc == doc) {
                    continue;
                }
                let (weight, from, len) = (big(), big() % (u32::MAX - 1), big() % 64);
                let at = (from % 3 != 0).then_some((from, from.saturating_add(len)));
                let p = Posting { doc, weight, at };
                list.push(p);
                added.push(p);
            }
            let mut back = Vec::new();
            postings(&list.bytes, &mut back).unwrap();
            assert_eq!(back, added);
        }
    }

    #[test]
    fn runs_merge_into_each_word_s_postings_in_document_order() {
        let mut rng = crate::testing::Rng(19);
        let vocabulary = ["a", "ab", "abc", "b", "kʼo", "ñandú", "z"];
        let mut spill = Spill::default();
        let (mut runs, mut expected) = (Vec::new(), std::collections::BTreeMap::new());
        let mut doc = 0;
        for _ in 0..7 {
            let mut words = Words::<Postings>::default();
            for _ in 0..(rng.next() % 30) {
                doc += 1 + (rng.next() % 3) as u32;
                for w in vocabulary {
                    if rng.next().is_multiple_of(2) {
                        let p = Posting {
                            doc,
                            weight: (rng.next() % 50) as u32,
                            at: None,
                        };
                        words.entry(w.to_string()).or_default().push(p);
                        expected
                            .entry(w.to_string())
                            .or_insert_with(Vec::new)
                            .push(p);
                    }
                }
            }
            runs.push(write_run(words, &mut spill));
        }
        let file = spill.done().unwrap();
        let mut merge = Merge::new(&file, &runs).unwrap();
        let mut back = std::collections::BTreeMap::new();
        let mut order = Vec::new();
        while let Some((word, postings)) = merge.next().unwrap() {
            order.push(word.clone());
            back.insert(word, postings);
        }
        assert_eq!(back, expected);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    }
}
