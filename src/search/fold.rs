//! Folding words for matching, and cutting text into words (see the module above).

use unicode_normalization::UnicodeNormalization;

/// Folds text for matching.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into `out` (cleared first): the index folds every word of the site, and
/// reuses one buffer for it.
fn fold_into(text: &str, out: &mut String) {
    out.clear();
    // Most words are ASCII, and need no decomposition.
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        // Words are short: a loop over their bytes beats a search for the backtick.
        if text.bytes().any(|b| b == b'`') {
            *out = out.replace('`', "'");
        }
        return;
    }
    // Most others are Latin letters with accents, each folded alone as the whole word
    // would be: each decomposes to a letter and marks, so decomposing the word orders
    // no mark across letters.
    let latin = latin_folds();
    for c in text.chars() {
        match latin.get(c as usize) {
            Some(Some(folded)) => out.push(*folded),
            None if matches!(c, '’' | 'ʼ' | '‘' | '´') => out.push('\''),
            _ => {
                out.clear();
                fold_any_into(text, out);
                return;
            }
        }
    }
}

/// How each character below U+0250 (ASCII, Latin-1 and Latin Extended-A and -B) folds,
/// made once by [`fold_any_into`]: the one character it folds to (`None` for a character
/// that folds to more, which sends its word through [`fold_any_into`]).
fn latin_folds() -> &'static [Option<char>] {
    static FOLDS: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    FOLDS.get_or_init(|| {
        (0..0x250u32)
            .map(|c| {
                let mut folded = String::new();
                if let Some(c) = char::from_u32(c) {
                    fold_any_into(c.encode_utf8(&mut [0; 4]), &mut folded);
                }
                let mut chars = folded.chars();
                chars.next().filter(|_| chars.next().is_none())
            })
            .collect()
    })
}

/// [`fold`] for any text: decomposed, marks dropped, lowercased, apostrophes made one.
fn fold_any_into(text: &str, out: &mut String) {
    out.extend(
        text.nfd()
            .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '’' | 'ʼ' | '‘' | '`' | '´' => '\'',
                c => c,
            }),
    );
}

/// Whether a character belongs to a word ([`letter_or_apostrophe`]), Latin-1 and Latin
/// Extended-A and -B letters (all of U+00C0 to U+024F but × and ÷) known without the
/// look-up in Unicode's tables.
fn word_char(c: char) -> bool {
    (('\u{c0}'..='\u{24f}').contains(&c) && !matches!(c, '×' | '÷')) || letter_or_apostrophe(c)
}

/// Letters, digits, and the apostrophes that are letters in K'iche'.
fn letter_or_apostrophe(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´')
}

/// French elides articles and pronouns into the next word (`l’utilité`, `qu’il`): the
/// particle is dropped and the word indexed alone. Never for other languages (in
/// K'iche' the apostrophe is a letter).
fn elided(folded: &str) -> Option<usize> {
    // The particle is the text before the first apostrophe: `qu`, or one of these letters.
    match folded.as_bytes() {
        [b'q', b'u', b'\'', ..] => Some(3),
        [
            b'l' | b'd' | b'j' | b'n' | b's' | b'c' | b'm' | b't',
            b'\'',
            ..,
        ] => Some(2),
        _ => None,
    }
}

/// The folded words of `text` with the byte range each has in `text`.
pub fn tokens(text: &str, french: bool) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    each_token(text, french, &mut String::new(), |word, at| {
        out.push((word.to_string(), at))
    });
    out
}

/// [`tokens`], each given to `f` as it is found, folded in `buf`.
pub(super) fn each_token(
    text: &str,
    french: bool,
    buf: &mut String,
    mut f: impl FnMut(&str, std::ops::Range<usize>),
) {
    let mut word = |from: usize, to: usize| {
        let run = &text[from..to];
        fold_into(run, buf);
        let (mut from, mut folded) = (from, buf.as_str());
        if french && let Some(cut) = elided(folded) {
            // The particle is ASCII letters and one apostrophe (one character) in the text.
            let apostrophe = run[cut - 1..].chars().next().map_or(1, char::len_utf8);
            from += cut - 1 + apostrophe;
            folded = &folded[cut..];
        }
        let edge = |b: Option<&u8>| b == Some(&b'\'');
        let folded = if edge(folded.as_bytes().first()) || edge(folded.as_bytes().last()) {
            folded.trim_matches('\'')
        } else {
            folded
        };
        if !folded.is_empty() {
            f(folded, from..to);
        }
    };
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                word(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        word(s, text.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_paths_agree_with_the_definitions() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(word_char(c), letter_or_apostrophe(c), "{c:?}");
        }
        let elided_by_split = |folded: &str| {
            let (head, _) = folded.split_once('\'')?;
            matches!(head, "qu" | "l" | "d" | "j" | "n" | "s" | "c" | "m" | "t")
                .then_some(head.len() + 1)
        };
        let letters = ['l', '\'', 'q', 'u', 'd', 'é', 'a', '\'', 'x'];
        let mut rng = crate::testing::Rng(9);
        for _ in 0..5000 {
            let w: String = (0..rng.next() % 6)
                .map(|_| letters[(rng.next() % letters.len() as u64) as usize])
                .collect();
            assert_eq!(elided(&w), elided_by_split(&w), "{w:?}");
        }
    }

    #[test]
    fn the_three_apostrophes_are_one_letter() {
        assert_eq!(fold("ch'ob'onik"), fold("chʼobʼonik"));
        assert_eq!(fold("ch’ob’onik"), fold("chʼobʼonik"));
        let words: Vec<String> = (tokens("Kʼo pwaq pa uwiʼ ri mexa.", false).into_iter())
            .map(|t| t.0)
            .collect();
        assert_eq!(words, vec!["k'o", "pwaq", "pa", "uwi", "ri", "mexa"]);
    }
    #[test]
    fn ascii_text_folds_as_any_text_does() {
        let mut rng = crate::testing::Rng(5);
        for _ in 0..2000 {
            let t: String = (0..12)
                .map(|_| char::from((rng.next() % 95) as u8 + 32))
                .collect();
            let mut any = String::new();
            fold_any_into(&t, &mut any);
            assert_eq!(fold(&t), any, "{t:?}");
        }
    }
    #[test]
    fn latin_words_fold_as_any_text_does() {
        let mut rng = crate::testing::Rng(19);
        let odd = [
            '’', 'ʼ', '‘', '´', '\u{301}', '\u{323}', 'ɐ', 'ǅ', 'İ', 'ß', 'Ω', 'ä',
        ];
        for _ in 0..5000 {
            let t: String = (0..1 + rng.next() % 8)
                .map(|_| match rng.next() % 4 {
                    0 => odd[(rng.next() % odd.len() as u64) as usize],
                    _ => char::from_u32((rng.next() % 0x260) as u32).unwrap_or('a'),
                })
                .collect();
            let (mut fast, mut any) = (String::new(), String::new());
            fold_into(&t, &mut fast);
            fold_any_into(&t, &mut any);
            assert_eq!(fast, any, "{t:?}");
        }
    }
    #[test]
    fn accents_case_and_diaeresis_fold() {
        assert_eq!(fold("Épargne"), "epargne");
        assert_eq!(fold("AHORRO"), "ahorro");
        assert_eq!(fold("Sibʼaläj nïm"), "sib'alaj nim");
        assert_eq!(fold("güipil"), "guipil");
        let words: Vec<String> = (tokens("¿Cuánto cuesta?", false).into_iter())
            .map(|t| t.0)
            .collect();
        assert_eq!(words, vec!["cuanto", "cuesta"]);
    }
    #[test]
    fn french_elisions_are_split_and_kiche_apostrophes_kept() {
        let fr: Vec<String> = tokens("L’utilité d'une qu'il aujourd'hui", true)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(fr, ["utilite", "une", "il", "aujourd'hui"]);
        let text = "L’utilité";
        let (_, at) = &tokens(text, true)[0];
        assert_eq!(&text[at.clone()], "utilité");
        let quc: Vec<String> = tokens("k'o ch’ab'al", false)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(quc, ["k'o", "ch'ab'al"]);
    }
}
