//! Which pages an edition has and where each is written: `PageId`, its output path, and
//! the page a content key (`01-m/02-s`, `_index`) names in an edition.

use super::*;

/// A page's place in an edition, the same in every edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageId {
    Home,
    /// The search page, which lists every session (the search box's target without JavaScript).
    Search,
    /// The print centre: every PDF of the edition, by module.
    Print,
    Module(String),
    Session(String, String),
}

impl PageId {
    pub(super) fn parent(&self) -> Option<PageId> {
        match self {
            PageId::Home => None,
            PageId::Module(_) | PageId::Search | PageId::Print => Some(PageId::Home),
            PageId::Session(m, _) => Some(PageId::Module(m.clone())),
        }
    }
}

pub fn page_path(edition: &Edition, id: &PageId) -> String {
    let base = edition.dir();
    match id {
        PageId::Home => format!("{base}/index.html"),
        PageId::Search => format!("{base}/search/index.html"),
        PageId::Print => format!("{base}/print/index.html"),
        PageId::Module(m) => format!("{base}/{m}/index.html"),
        PageId::Session(m, s) => format!("{base}/{m}/{s}/index.html"),
    }
}

/// Where an edition's search index is written.
pub fn search_index_path(edition: &Edition) -> String {
    format!("{}/search-index.js", edition.dir())
}

/// The output path of the page a content key names, when the edition publishes it.
pub(super) fn content_page(edition: &Edition, sel: &Selection, key: &str) -> Option<String> {
    if key == "_index" {
        return (sel.home.is_some() || !sel.modules.is_empty())
            .then(|| page_path(edition, &PageId::Home));
    }
    let (dir, stem) = key.rsplit_once('/')?;
    let m = sel.modules.iter().find(|m| m.module.dir == dir)?;
    let id = match stem {
        "_module" => PageId::Module(m.module.slug.clone()),
        _ => {
            let s = m.sessions.iter().find(|s| s.session.stem == stem)?;
            PageId::Session(m.module.slug.clone(), s.session.slug.clone())
        }
    };
    Some(page_path(edition, &id))
}

/// Whether an edition has the page `id`.
pub(super) fn publishes(sel: &Selection, id: &PageId) -> bool {
    match id {
        PageId::Home | PageId::Search | PageId::Print => true,
        PageId::Module(m) => sel.module(m).is_some(),
        PageId::Session(m, s) => sel.session(m, s).is_some(),
    }
}
