//! Excerpts: about 160 characters of a document's text around a word, cut between words,
//! from the few bytes around it (the texts wait on disk while the index is built).

/// A piece of a document's text: `text` is its bytes from `start` on, of `len` in all.
pub(super) struct Piece<'a> {
    text: &'a str,
    start: usize,
    len: usize,
}

impl<'a> Piece<'a> {
    /// The whole of `text`.
    #[cfg(test)]
    pub(super) fn whole(text: &'a str) -> Self {
        Piece {
            text,
            start: 0,
            len: text.len(),
        }
    }

    /// The characters of `bytes`, read from `start` in a text of `len` bytes (a read cuts
    /// characters at either end: the parts are left out).
    pub(super) fn read(bytes: &'a [u8], start: usize, len: usize) -> Self {
        let skip = bytes.iter().take_while(|&&b| b & 0xc0 == 0x80).count();
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
    pub(super) fn around(
        at: Option<&std::ops::Range<usize>>,
        len: usize,
    ) -> std::ops::Range<usize> {
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
pub(super) fn excerpt(text: &Piece, at: Option<std::ops::Range<usize>>) -> String {
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

/// The excerpt around `at` of the text at `place` in `file` (with its length), read into
/// `buf`.
pub(super) fn read(
    file: &super::spill::Written,
    (place, len): (u64, usize),
    at: Option<std::ops::Range<usize>>,
    buf: &mut Vec<u8>,
) -> std::io::Result<String> {
    let read = Piece::around(at.as_ref(), len);
    buf.resize(read.len(), 0);
    file.read_at(buf, place + read.start as u64)?;
    Ok(excerpt(&Piece::read(buf, read.start, len), at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokens;

    /// `n` words drawn from `vocabulary`, joined by `between`.
    fn random_text(
        rng: &mut crate::testing::Rng,
        vocabulary: &[&str],
        n: usize,
        between: &str,
    ) -> String {
        let words: Vec<&str> = (0..n).map(|_| rng.pick(vocabulary)).collect();
        words.join(between)
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
            let text = random_text(&mut rng, &vocabulary, n, " ");
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
            let between = if rng.next().is_multiple_of(3) {
                ""
            } else {
                " "
            };
            let text = random_text(&mut rng, &vocabulary, n, between);
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
}
