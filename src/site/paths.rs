//! Which pages an edition has, and the page a content key (`01-m/02-s`, `_index`) names in
//! an edition (where each is written is `urls::page_path`).

use super::*;

/// The output path of the page a content key names, when the edition publishes it.
pub(super) fn content_page(edition: &Edition, sel: &Selection, key: &str) -> Option<String> {
    if key == "_index" {
        return (sel.home.is_some() || !sel.modules.is_empty())
            .then(|| page_path(edition, &PageId::Home));
    }
    let (dir, stem) = key.rsplit_once('/')?;
    let m = sel.module_in(dir)?;
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
