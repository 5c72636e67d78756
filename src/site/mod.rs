//! The web site: every edition's pages rendered through the theme's templates, plus the
//! chooser, the 404 page, the sitemap and the assets. Editions render in parallel and are
//! collected in order, so the output is the same as a sequential build.

pub mod body;
mod context;
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
pub use crate::urls::{PageId, page_path, search_index_path};
use crate::urls::{relative, root_of};
use crate::variant::{Edition, Selection, select};
use body::{LinkContext, PendingFragment, Rendered};
use context::*;
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

/// Each edition's search documents, by the path of its index script.
pub type SearchDocs = BTreeMap<String, Vec<crate::search::Doc>>;

type EditionResult = (
    Output,
    Diagnostics,
    Anchors,
    Vec<PendingFragment>,
    Vec<crate::search::Doc>,
);

/// How many editions still have to show each session file, by its name.
type Users<'a> = std::collections::HashMap<&'a str, std::sync::atomic::AtomicUsize>;

/// A broken `#fragment` gets a "did you mean" among at most this many sections.
const SUGGEST_AMONG: usize = 200;

/// Pages are handed to the staging folder in batches of this many (see [`Site::staging`]).
const STAGE_BATCH: usize = 256;

/// One rendered page's headings, for checking `#fragment` links afterwards.
type Anchors = BTreeMap<String, BTreeSet<String>>;

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

    /// How many of the editions to render show each session file (by its name).
    fn users(&self) -> Users<'_> {
        let mut users = Users::new();
        for e in &self.editions {
            for s in self
                .selections
                .get(e)
                .iter()
                .flat_map(|sel| &sel.modules)
                .flat_map(|m| &m.sessions)
            {
                *users
                    .entry(s.doc.source.name.as_str())
                    .or_default()
                    .get_mut() += 1;
            }
        }
        users
    }

    /// An edition is rendered: the sessions no other edition still has to show forget
    /// their parsed bodies.
    fn done_with(&self, edition: &Edition, users: &Users<'_>) {
        let Some(sel) = self.selections.get(edition) else {
            return;
        };
        for s in sel.modules.iter().flat_map(|m| &m.sessions) {
            if users
                .get(s.doc.source.name.as_str())
                .is_some_and(|n| n.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1)
            {
                s.doc.forget_document();
            }
        }
    }

    /// Writes each edition's pages into `staging` as soon as the edition is rendered, so
    /// that only two editions' pages are in memory at once (one per thread).
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
        // A build that writes as it goes also lets each session's parsed body go once the
        // editions showing it are rendered, so memory holds about what two editions need.
        let users = (self.staging.is_some() && self.part.is_none()).then(|| self.users());
        // Editions are taken in order as threads come free (the variants of a language
        // one after the other), so the sessions being shown are those of about one language.
        let mut results: Vec<(usize, EditionResult)> = self
            .editions
            .iter()
            .enumerate()
            .par_bridge()
            .map(|(i, e)| {
                let (output, d, a, p, docs) = self.render_edition(e, users.as_ref());
                let output = match self.staging {
                    Some(staging) => staging.stage(output),
                    None => output,
                };
                (i, (output, d, a, p, docs))
            })
            .collect();
        results.sort_unstable_by_key(|(i, _)| *i);
        let results = results.into_iter().map(|(_, r)| r);
        let mut out = Output::default();
        let mut anchors = Anchors::new();
        let mut pending = Vec::new();
        let mut search = SearchDocs::new();
        for (edition, (o, d, a, p, docs)) in self.editions.iter().zip(results) {
            out.extend(o);
            diags.extend(d);
            anchors.extend(a);
            pending.extend(p);
            if self.keep_search {
                search.insert(search_index_path(edition), docs);
            }
        }
        for p in pending {
            if self.part.is_some() && !anchors.contains_key(&p.target) {
                continue;
            }
            let found = anchors
                .get(&p.target)
                .is_some_and(|ids| ids.contains(&p.fragment));
            if !found {
                // A likely typo is looked for among a page's own sections, when it has a
                // readable number of them: every broken link costs at most that much, so
                // checking stays linear in the links however many a page has.
                let ids = anchors
                    .get(&p.target)
                    .filter(|ids| ids.len() <= SUGGEST_AMONG)
                    .into_iter()
                    .flatten()
                    .map(String::as_str);
                let help = match crate::diag::closest(&p.fragment, ids) {
                    Some(near) => format!("did you mean `#{near}`? Give headings the same id in every language with `## Title {{#id}}`"),
                    None => "give the heading an id that is the same in every language: `## Title {#id}`".to_string(),
                };
                diags.push(p.diagnostic().with_help(help));
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

    fn render_edition(&self, edition: &Edition, users: Option<&Users<'_>>) -> EditionResult {
        let mut out = Output::default();
        let mut diags = Diagnostics::default();
        let mut anchors = Anchors::new();
        let mut pending = Vec::new();
        let Some(sel) = self.selections.get(edition) else {
            return (out, diags, anchors, pending, Vec::new());
        };
        let chain = self.config.chain(&edition.lang);
        // Links are looked up as they are met: a page links to a few others, and making a
        // map of every page first would cost an edit in `serve` as much as a whole edition.
        let page = |key: &str| content_page(edition, sel, key);
        let known = |key: &str| self.is_content_key(key);
        let ctx = LinkContext {
            page: &page,
            known: &known,
            assets: &self.corpus.assets,
            chain: &chain,
            pretty_urls: self.config.pretty_urls,
            lang: &edition.lang,
            variant: &edition.variant,
        };
        // Diagnostics found while `render_doc` holds `diags`.
        let mut late = Vec::new();
        let mut render_doc = |document: &Document, page: &str| -> Rendered {
            let start = std::time::Instant::now();
            diags.extend(document.diagnostics.clone());
            let view = document.view(&edition.variant, View::Web, self.config);
            let body = body::Body { view: &view, page };
            let rendered = body::render(
                &body,
                &ctx,
                &|info| self.block_open(info, &edition.lang),
                &mut diags,
            );
            for (content_path, output_path) in &rendered.assets {
                if let Some(from) = self.corpus.assets.get(content_path) {
                    out.copy(output_path.clone(), from.clone());
                }
            }
            anchors.insert(
                page.to_string(),
                rendered
                    .headings
                    .iter()
                    .map(|h| h.id.clone())
                    .chain(rendered.anchors.iter().cloned())
                    .collect(),
            );
            pending.extend(rendered.fragments.iter().cloned());
            self.spent.add(Stage::Markdown, start.elapsed());
            rendered
        };

        // Home.
        let home_path = page_path(edition, &PageId::Home);
        let partial = self.part.is_some();
        let home_body = sel.home.filter(|_| !partial).map(|doc| {
            let r = render_doc(&doc.document(self.config), &home_path);
            self.body(r, doc, edition, &PageId::Home)
        });
        let home_title = sel.home.map_or_else(
            || self.config.title(&edition.lang).to_string(),
            |d| d.meta.title.clone(),
        );
        let mut search_docs: Vec<crate::search::Doc> = Vec::new();
        let mut made = Made::default();
        let mut rendered_pages: Vec<(String, &'static str, String, tera::Value, PageId)> =
            Vec::new();
        let home = HomePage {
            title: home_title.clone(),
            body: home_body,
            // (A partial render leaves the home page as it was.)
            modules: sel
                .modules
                .iter()
                .filter(|_| !partial)
                .map(|m| {
                    let (title, lang) = self.module_title(m, edition);
                    ModuleItem {
                        title,
                        lang,
                        url: relative(
                            &home_path,
                            &page_path(edition, &PageId::Module(m.module.slug.clone())),
                            self.config.pretty_urls,
                        ),
                        summary: m.page.and_then(|p| p.meta.summary.clone()),
                        sessions: m.sessions.len(),
                    }
                })
                .collect(),
        };
        rendered_pages.push((
            home_path.clone(),
            "home.html",
            home_title,
            to_value(&home),
            PageId::Home,
        ));

        for (mi, m) in sel.modules.iter().enumerate() {
            let mid = PageId::Module(m.module.slug.clone());
            let mpath = page_path(edition, &mid);
            let (mtitle, _) = self.module_title(m, edition);
            let whole_module = !partial
                || self
                    .part
                    .as_ref()
                    .is_some_and(|p| p.modules.contains(&m.module.slug));
            let module_body = m.page.filter(|_| whole_module).map(|doc| {
                let r = render_doc(&doc.document(self.config), &mpath);
                self.body(r, doc, edition, &mid)
            });
            let mut sessions = Vec::new();
            let mut total = 0;
            for (si, s) in m.sessions.iter().enumerate() {
                // In a partial render, a module wanted whole wants every session.
                if !self.wanted(&m.module.slug, &s.session.slug) {
                    continue;
                }
                let sid = PageId::Session(m.module.slug.clone(), s.session.slug.clone());
                let spath = page_path(edition, &sid);
                let fallback = s.is_fallback(edition).then(|| s.doc.lang.clone());
                total = u32::saturating_add(total, s.doc.meta.duration.unwrap_or(0));
                sessions.push(SessionItem {
                    title: s.doc.meta.title.clone(),
                    lang: fallback.clone(),
                    url: relative(&mpath, &spath, self.config.pretty_urls),
                    duration: s.doc.meta.duration,
                    summary: s.doc.meta.summary.clone(),
                    translated: fallback.is_none(),
                    handout: self.pdf.then(|| {
                        let to =
                            crate::urls::handout_path(edition, &m.module.slug, &s.session.slug);
                        relative(&mpath, &to, false)
                    }),
                    guide: self.pdf.then(|| {
                        let to = crate::urls::guide_path(edition, &m.module.slug, &s.session.slug);
                        relative(&mpath, &to, false)
                    }),
                });
                let mut r = render_doc(&s.doc.document(self.config), &spath);
                if let Some(schedule) = &r.schedule
                    && let Some(d) =
                        crate::doc::schedule::mismatch(schedule, s.doc.meta.duration, &s.doc.source)
                {
                    late.push(d.in_edition(&edition.lang, &edition.variant));
                }
                search_docs.push(crate::search::Doc {
                    t: s.doc.meta.title.clone(),
                    u: spath
                        .strip_prefix(&format!("{}/", edition.dir()))
                        .unwrap_or(&spath)
                        .to_string(),
                    m: mtitle.clone(),
                    l: s.is_fallback(edition).then(|| {
                        let name = self.theme.i18n.language_name(&edition.lang, &s.doc.lang);
                        (s.doc.lang.clone(), name)
                    }),
                    lang: s.doc.lang.clone(),
                    x: std::mem::take(&mut r.text),
                    h: r.headings.iter().map(|h| h.text.clone()).collect(),
                });
                let toc: Vec<Heading> = r
                    .headings
                    .iter()
                    .filter(|h| h.level == 2)
                    .cloned()
                    .collect();
                let activities = r
                    .blocks
                    .iter()
                    .filter(|b| b.callout.as_deref() == Some("activity") || b.minutes.is_some())
                    .map(|b| Activity {
                        kind: b.callout.clone().unwrap_or_default(),
                        title: b.title.clone(),
                        minutes: b.minutes,
                    })
                    .collect();
                let link = |j: usize| {
                    m.sessions.get(j).map(|o| Link {
                        title: o.doc.meta.title.clone(),
                        url: relative(
                            &spath,
                            &page_path(
                                edition,
                                &PageId::Session(m.module.slug.clone(), o.session.slug.clone()),
                            ),
                            self.config.pretty_urls,
                        ),
                        lang: o.is_fallback(edition).then(|| o.doc.lang.clone()),
                    })
                };
                let page = SessionPage {
                    title: s.doc.meta.title.clone(),
                    duration: s.doc.meta.duration,
                    objectives: s.doc.meta.objectives.clone(),
                    materials: s.doc.meta.materials.clone(),
                    toc,
                    body: self.body(r, s.doc, edition, &sid),
                    activities,
                    module: Link {
                        title: mtitle.clone(),
                        url: relative(&spath, &mpath, self.config.pretty_urls),
                        lang: None,
                    },
                    prev: si.checked_sub(1).and_then(link),
                    next: link(si + 1),
                    number: si + 1,
                    sample: s.doc.meta.sample,
                    handout: self.pdf.then(|| {
                        let target =
                            crate::urls::handout_path(edition, &m.module.slug, &s.session.slug);
                        relative(&spath, &target, false)
                    }),
                    guide: self.pdf.then(|| {
                        let target =
                            crate::urls::guide_path(edition, &m.module.slug, &s.session.slug);
                        relative(&spath, &target, false)
                    }),
                };
                // Made into HTML now, not with the other pages: an edition's session
                // bodies are not all held at once.
                let title = s.doc.meta.title.clone();
                self.template(
                    edition,
                    sel,
                    &mut made,
                    (spath, "session.html", title, to_value(&page), sid),
                );
            }
            let page = ModulePage {
                title: mtitle.clone(),
                summary: m.page.and_then(|p| p.meta.summary.clone()),
                objectives: m
                    .page
                    .map(|p| p.meta.objectives.clone())
                    .unwrap_or_default(),
                body: module_body,
                sessions,
                total_minutes: total,
                number: mi + 1,
                booklet: self.pdf.then(|| {
                    relative(
                        &mpath,
                        &crate::urls::booklet_path(edition, &m.module.slug),
                        false,
                    )
                }),
                pack: (self.pdf && !m.sessions.is_empty()).then(|| {
                    relative(
                        &mpath,
                        &crate::urls::pack_path(edition, &m.module.slug),
                        false,
                    )
                }),
                pack_a5: (self.pdf && !m.sessions.is_empty()).then(|| {
                    relative(
                        &mpath,
                        &crate::urls::pack_a5_path(edition, &m.module.slug),
                        false,
                    )
                }),
                workbook: (self.pdf && !m.sessions.is_empty()).then(|| {
                    relative(
                        &mpath,
                        &crate::urls::workbook_path(edition, &m.module.slug),
                        false,
                    )
                }),
            };
            if whole_module {
                rendered_pages.push((mpath, "module.html", mtitle, to_value(&page), mid));
            }
        }

        if !partial {
            let dir = format!("{}/{}", edition.dir(), crate::search::DIR);
            for (name, script) in crate::search::index_files(&search_docs) {
                out.insert(format!("{dir}/{name}"), script);
            }
        }
        if !self.keep_search {
            search_docs = Vec::new();
        }
        // The search and print pages list every title: rendered again when titles may
        // have changed.
        let listing = if !self.listings() {
            Vec::new()
        } else {
            self.listing(edition, sel)
        };
        for (id, template, key) in [
            (PageId::Search, "search.html", "search-title"),
            (PageId::Print, "print.html", "print-centre"),
        ] {
            let path = page_path(edition, &id);
            let modules = self.listed_modules(&path, &listing);
            let title = self.theme.i18n.text(&edition.lang, key);
            rendered_pages.push((
                path,
                template,
                title,
                to_value(&ListingPage {
                    modules,
                    paper: self.paper_name(edition),
                }),
                id,
            ));
        }
        if partial {
            // Only the pages whose inputs changed: the edited sessions', and after an edit
            // to titles or facts their modules' pages and the pages that list every title.
            // The home page and the search index stay as they were.
            rendered_pages.retain(|(_, _, _, _, id)| match id {
                PageId::Session(..) | PageId::Module(..) => true,
                PageId::Search | PageId::Print => self.listings(),
                PageId::Home => false,
            });
        }
        // The navigation is the same on every page of a folder depth, and a module's list of
        // sessions the same on all its pages of a depth (its own page, its sessions' pages):
        // made once, shared by reference-counted template values.
        for d in late {
            diags.push(d);
        }
        // The bodies are rendered: sessions no other edition still has to show let their
        // parsed bodies go before the templates run.
        if let Some(users) = users {
            self.done_with(edition, users);
        }
        for page in rendered_pages {
            self.template(edition, sel, &mut made, page);
        }
        let Made {
            batch,
            staged,
            diags: template_diags,
            ..
        } = made;
        diags.extend(template_diags);
        out.extend(staged);
        out.extend(match self.staging {
            Some(staging) => staging.stage(batch),
            None => batch,
        });
        (out, diags, anchors, pending, search_docs)
    }
}

/// Pages made into HTML as an edition is rendered: the navigation, the same on every page
/// of a folder depth, and a module's list of sessions, the same on all its pages of a
/// depth, are made once and shared by reference-counted template values; the pages wait
/// in `batch` for the staging folder.
#[derive(Default)]
struct Made {
    nav_by_depth: BTreeMap<usize, tera::Value>,
    nav_sessions: BTreeMap<(String, usize), tera::Value>,
    batch: Output,
    /// Pages already in the staging folder (as hashes).
    staged: Output,
    diags: Diagnostics,
}

impl Site<'_> {
    /// Makes one page of an edition into HTML, with its navigation.
    fn template(
        &self,
        edition: &Edition,
        sel: &Selection,
        made: &mut Made,
        (path, template, title, page, id): (String, &'static str, String, tera::Value, PageId),
    ) {
        let common = self.common(
            edition,
            &id,
            &path,
            title,
            template.trim_end_matches(".html"),
        );
        let mut ctx = tera::Context::new();
        ctx.insert_value("page", page);
        merge(&mut ctx, &common);
        let depth = path.matches('/').count();
        let nav = made.nav_by_depth.entry(depth).or_insert_with(|| {
            tera::Value::from_serializable(&self.nav_modules(edition, sel, &path))
        });
        ctx.insert_value("nav", nav.clone());
        let sessions = match &id {
            PageId::Module(m) | PageId::Session(m, _) => made
                .nav_sessions
                .entry((m.clone(), depth))
                .or_insert_with(|| {
                    let list = sel.module(m).map(|m| self.nav_sessions(edition, m, &path));
                    tera::Value::from_serializable(&list.unwrap_or_default())
                })
                .clone(),
            _ => tera::Value::from_serializable(&Vec::<NavSession>::new()),
        };
        ctx.insert_value("nav_sessions", sessions);
        if let Some(html) = self.render_template(template, &ctx, &mut made.diags) {
            made.batch.insert(path, html);
        }
        // Written as they are made: an edition's pages are not all held at once.
        if let Some(staging) = self.staging
            && made.batch.files.len() >= STAGE_BATCH
        {
            made.staged
                .extend(staging.stage(std::mem::take(&mut made.batch)));
        }
    }
}

/// A page's context for the templates, converted once.
fn to_value<T: Serialize>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// Adds every field of `value` to the context.
fn merge<T: Serialize>(ctx: &mut tera::Context, value: &T) {
    if let Ok(fields) = tera::Context::from_serialize(value) {
        ctx.extend(fields);
    }
}
