//! The web site: every edition's pages rendered through the theme's templates, plus the
//! chooser, the 404 page, the sitemap and the assets. Editions render in parallel and are
//! collected in order, so the output is the same as a sequential build.

pub mod body;
mod context;
mod edition;
mod nav;
mod page;
mod paths;
mod spent;
mod whole;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::blocks::{Audience, BlockInfo, View};
use crate::config::Config;
use crate::content::{Corpus, Doc};
use crate::diag::Diagnostics;
use crate::doc::{Document, Heading};
use crate::html::escape;
use crate::output::Output;
use crate::theme::{Theme, template_error};
use crate::urls::public_url;
pub use crate::urls::{PageId, page_path, search_index_dir, search_index_path};
use crate::urls::{relative, root_of};
use crate::variant::{Edition, Selection, select};
use body::{LinkContext, PendingFragment, Rendered};
use context::*;
use edition::EditionRender;
use nav::Nav;
use paths::{content_page, publishes};
use spent::Spent;
pub use spent::Stage;

/// Everything rendering shares across editions.
pub struct Site<'a> {
    pub config: &'a Config,
    pub corpus: &'a Corpus,
    pub theme: &'a Theme,
    pub editions: Vec<Edition>,
    /// What every configured edition publishes (built or not: switchers need them all),
    /// chosen once and shared by every stage.
    selections: BTreeMap<Edition, Selection<'a>>,
    /// Pages link to their PDFs.
    pdf: bool,
    /// When set, only this part of the site is rendered (`serve` after an edit).
    part: Option<Part>,
    /// Whether the search documents are returned as well as written (`serve` keeps them,
    /// to refresh an edition's index after an edit to one session).
    keep_search: bool,
    /// Time spent in each part of rendering, summed over the threads.
    spent: Spent,
    /// Page counts of the typeset PDFs, by output path (for the print centre).
    pdf_pages: BTreeMap<String, usize>,
    /// Where an edition's pages go as soon as it is rendered (see [`Site::staging`]).
    staging: Option<&'a crate::output::Staging>,
}

/// A part of the site to render again: what `serve` asks for after an edit, as a value.
#[derive(Debug, Default, Clone)]
pub struct Part {
    /// Sessions whose pages are rendered again, by (module slug, session slug).
    pub sessions: BTreeSet<(String, String)>,
    /// Modules whose own pages are rendered again (a session's title or facts changed).
    pub modules: BTreeSet<String>,
    /// Also the pages that list every title (search, print).
    pub listings: bool,
    /// Only in the editions that show one of these source files.
    pub showing: Vec<std::path::PathBuf>,
}

/// Each edition's search documents, by the folder of its index.
pub type SearchDocs = BTreeMap<String, Vec<crate::search::Doc>>;

type EditionResult = (Output, Diagnostics, Vec<crate::search::Doc>);

/// A broken `#fragment` gets a "did you mean" among at most this many sections.
const SUGGEST_AMONG: usize = 200;

/// Rendered pages' sections (headings and anchors), for checking `#fragment` links, by
/// page (boxed: a map's node holds eleven entries however few it has, and every page's
/// are kept to the end of its edition's render).
type Anchors = BTreeMap<Box<str>, Sections>;

/// A page's section ids, sorted, in one string: every page's are kept to the end of a
/// build (a later page may link to them), and a page has a few, each a short word.
#[derive(Debug, Default)]
struct Sections {
    text: Box<str>,
    /// Where each id ends in `text`.
    ends: Box<[u32]>,
}

impl Sections {
    fn new(ids: impl Iterator<Item = String>) -> Sections {
        let mut ids: Vec<String> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        let mut text = String::with_capacity(ids.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(ids.len());
        for id in ids {
            text.push_str(&id);
            // (A page is far smaller than 4 GiB.)
            ends.push(text.len() as u32);
        }
        Sections {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`th id, in order.
    fn id(&self, i: usize) -> &str {
        let from = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[from as usize..self.ends[i] as usize]
    }

    /// The ids, in order.
    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.id(i))
    }

    fn contains(&self, id: &str) -> bool {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

impl<'a> Site<'a> {
    pub fn new(
        config: &'a Config,
        corpus: &'a Corpus,
        theme: &'a Theme,
        editions: Vec<Edition>,
        drafts: bool,
        pdf: bool,
    ) -> Self {
        let mut selections = BTreeMap::new();
        for lang in &config.languages {
            for variant in &config.variants {
                let edition = Edition::new(&lang.code, variant);
                let sel = select(corpus, config, &edition, drafts);
                selections.insert(edition, sel);
            }
        }
        Site {
            config,
            corpus,
            theme,
            editions,
            selections,
            pdf,
            part: None,
            keep_search: false,
            spent: Spent::default(),
            pdf_pages: BTreeMap::new(),
            staging: None,
        }
    }

    /// Writes each edition's pages into `staging` as soon as they are made (a module's at a
    /// time), so that a build's memory does not grow with the site's pages.
    pub fn staging(mut self, staging: Option<&'a crate::output::Staging>) -> Self {
        self.staging = staging;
        self
    }

    /// Time spent so far in a part of rendering, summed over the threads that rendered
    /// (so, on several cores, more than the wall time of the render).
    pub fn spent(&self, stage: Stage) -> std::time::Duration {
        self.spent.get(stage)
    }

    /// Returns each rendered edition's search documents too (see [`Site::render_with_search`]).
    /// The page counts of the PDFs typeset, by output path: the print centre shows them.
    pub fn pdf_pages(mut self, pages: BTreeMap<String, usize>) -> Self {
        self.pdf_pages = pages;
        self
    }

    pub fn keep_search(mut self, yes: bool) -> Self {
        self.keep_search = yes;
        self
    }

    /// Renders only `part` of the site, in the editions that show its files.
    pub fn part(mut self, part: Part) -> Self {
        let selections = &self.selections;
        // (A part that names no file is wanted in every edition.)
        self.editions.retain(|e| {
            part.showing.is_empty()
                || selections.get(e).is_some_and(|sel| {
                    sel.modules
                        .iter()
                        .flat_map(|m| &m.sessions)
                        .any(|s| part.showing.contains(&s.doc.source.path))
                })
        });
        self.part = Some(part);
        self
    }

    /// Whether the search and print pages, which list every title, are rendered.
    fn listings(&self) -> bool {
        self.part.as_ref().is_none_or(|p| p.listings)
    }

    /// Whether `key` (`_index`, `dir/_module`, `dir/stem`) names a page of the corpus.
    fn is_content_key(&self, key: &str) -> bool {
        if key == "_index" {
            return true;
        }
        key.rsplit_once('/').is_some_and(|(dir, stem)| {
            self.corpus.modules.iter().any(|m| {
                m.dir == dir && (stem == "_module" || m.sessions.iter().any(|s| s.stem == stem))
            })
        })
    }

    fn wanted(&self, module: &str, session: &str) -> bool {
        self.part.as_ref().is_none_or(|p| {
            p.modules.contains(module)
                || p.sessions.iter().any(|(m, s)| m == module && s == session)
        })
    }

    /// Renders every edition, the chooser, 404, sitemap and assets.
    pub fn render(&self, diags: &mut Diagnostics) -> Output {
        self.render_with_search(diags).0
    }

    /// Like [`Site::render`], with the search documents of the sessions rendered, by the
    /// path of their edition's index, when [`Site::keep_search`] asked for them.
    pub fn render_with_search(&self, diags: &mut Diagnostics) -> (Output, SearchDocs) {
        // Every edition renders a module, then the next: the module's sessions are parsed
        // once for every edition, and a build that writes as it goes lets them go after, so
        // memory holds one module's parsed sessions, not a language's.
        let forget = self.staging.is_some() && self.part.is_none();
        // (Collected in the editions' order, as rayon keeps it.)
        let mut renders: Vec<EditionRender> = self
            .editions
            .par_iter()
            .filter_map(|e| EditionRender::new(self, e))
            .collect();
        for module in &self.corpus.modules {
            renders.par_iter_mut().for_each(|r| r.module(module));
            if forget {
                // Every edition has rendered it.
                module.forget_documents();
            }
        }
        renders.par_iter_mut().for_each(EditionRender::links_done);
        let results: Vec<(&Edition, EditionResult)> = renders
            .into_par_iter()
            .map(|r| {
                let edition = r.edition;
                let (output, d, docs) = r.finish();
                let output = match self.staging {
                    Some(staging) => staging.stage(output),
                    None => output,
                };
                (edition, (output, d, docs))
            })
            .collect();
        let mut out = Output::default();
        let mut search = SearchDocs::new();
        for (edition, (o, d, docs)) in results {
            out.extend(o);
            diags.extend(d);
            if self.keep_search {
                search.insert(search_index_dir(edition), docs);
            }
        }
        if self.part.is_some() {
            return (out, search);
        }
        self.render_chooser(&mut out, diags);
        self.render_404(&mut out, diags);
        if self.config.base_url.is_some() {
            out.insert("sitemap.xml", self.sitemap(&out));
        }
        for (path, bytes) in &self.theme.statics {
            out.insert(format!("assets/{path}"), bytes.clone());
        }
        (out, search)
    }
}

/// A page's context for the templates, converted once.
fn to_value<T: Serialize>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// Adds every field of `value` to the context, under its field's name (borrowed, not
/// copied: a page's context is made for every page).
fn merge<T: Serialize>(ctx: &mut tera::Context, value: &T) {
    let Some(fields) = tera::Value::try_from_serializable(value)
        .ok()
        .and_then(tera::Value::into_map)
    else {
        return;
    };
    // Into the context's sorted map, so the order met does not matter.
    #[allow(clippy::iter_over_hash_type)]
    for (key, value) in fields {
        match key {
            tera::value::Key::Str(name) => ctx.insert_value(name, value),
            other => ctx.insert_value(other.to_string(), value),
        }
    }
}

/// A context of the fields of `value`.
fn context_of<T: Serialize>(value: &T) -> tera::Context {
    let mut ctx = tera::Context::new();
    merge(&mut ctx, value);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_s_sections_are_found_and_listed_as_a_set_of_them_would_be() {
        let mut rng = crate::testing::Rng(17);
        let words = [
            "sec-1", "sec-10", "a", "costos", "Costos", "ñandú", "x-y", "sec-2",
        ];
        for _ in 0..300 {
            let ids: Vec<String> = (0..rng.next() % 9)
                .map(|_| rng.pick(&words).to_string())
                .collect();
            let set: BTreeSet<String> = ids.iter().cloned().collect();
            let sections = Sections::new(ids.into_iter());
            assert_eq!(sections.len(), set.len());
            assert!(sections.iter().eq(set.iter().map(String::as_str)));
            for w in words.iter().chain(&["", "sec", "sec-100", "zz"]) {
                assert_eq!(sections.contains(w), set.contains(*w), "{w:?} in {set:?}");
            }
        }
    }
}
