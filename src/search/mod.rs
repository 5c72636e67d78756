//! Search that works offline and downloads little: each edition's index is split into
//! script files (they load from `file://`, where `fetch()` is refused) by the first two
//! letters of words, or more where those are too many for one file, and a query loads
//! only the chunks of the words typed, plus a small table of modules and chunks (`index`).
//! The folding both sides share is in `fold`; excerpts are cut in `excerpt`; what the
//! index puts aside on disk while it is built is in `spill`; its files are made in
//! `scripts`.
//!
//! Folding: lowercase, accents and diaeresis removed (`épargne` = `epargne`, K'iche' `ä` =
//! `a`), and the three apostrophes ' ’ ʼ made one, since in K'iche' they are the same
//! letter. `assets/search.js` folds queries the same way (NFD, drop combining marks).
//! Matching is by word prefix, which serves Spanish and French inflection without a stemmer
//! and leaves K'iche' words whole.

mod excerpt;
mod fold;
mod index;
mod scripts;
mod spill;

pub use fold::{fold, tokens};
pub use index::{Index, index_files};

/// One searchable page of an edition.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Title.
    pub t: String,
    /// URL relative to the edition's folder.
    pub u: String,
    /// Module title.
    pub m: String,
    /// The language of the text, when it is a fallback, and its name in the page's
    /// language (results mark it).
    pub l: Option<(String, String)>,
    /// The language the text is written in (the page's, or the fallback's).
    pub lang: String,
    /// The page's text, whitespace folded (for matching and excerpts).
    pub x: String,
    /// The text of its headings (ranked above body text).
    pub h: Vec<String>,
}

/// A table by word, with foldhash's randomly seeded hash (hashing is a good part of what
/// indexing costs, and nothing iterates these tables in their order).
type Words<T> = std::collections::HashMap<String, T, foldhash::fast::RandomState>;

/// The folder of an edition's index, and its first script (which names the others).
pub const DIR: &str = "search-index";
pub const META: &str = "m.js";
