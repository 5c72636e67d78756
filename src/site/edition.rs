//! One edition's pages: the home page, each module's page and its sessions' pages (their
//! bodies rendered from the document stage, then made into HTML with the navigation), the
//! search and print pages and the search index, handed to the staging folder as they are
//! made. An edition is rendered module by module ([`EditionRender::module`]), so that every
//! edition can render a module while its sessions are parsed, and let them go after.

use super::*;

/// Bytes of an edition's search index handed to the staging folder at a time.
const INDEX_BATCH: usize = 1 << 20;

/// One edition being rendered: what it keeps of the pages made so far, for the end.
pub(super) struct EditionRender<'s, 'a> {
    site: &'s Site<'a>,
    pub(super) edition: &'s Edition,
    sel: &'s Selection<'a>,
    chain: Vec<&'s str>,
    /// Only a part of the site is rendered (`serve` after an edit).
    partial: bool,
    /// How many of the selection's modules are rendered.
    modules_done: usize,
    out: Output,
    diags: Diagnostics,
    /// Found after the bodies' own problems, and reported after them (a session's schedule
    /// against its duration).
    late: Vec<crate::diag::Diagnostic>,
    /// Each page's sections, once rendered: a link to a `#section` of a page met later is
    /// checked when it is met.
    anchors: Anchors,
    /// Links to a section of a page not rendered yet, by that page: checked when it is.
    waiting: BTreeMap<String, Vec<PendingFragment>>,
    /// Each session's text is folded into the index as its page is made, and let go
    /// (unless `serve` keeps it, to refresh the index after an edit).
    index: Option<crate::search::Index>,
    search_docs: Vec<crate::search::Doc>,
    made: Made,
    /// Pages made at the end: the home page, search and print.
    pages: Vec<Page>,
}

impl<'s, 'a> EditionRender<'s, 'a> {
    /// Starts an edition, with its home page; `None` for an edition the site does not have.
    pub(super) fn new(site: &'s Site<'a>, edition: &'s Edition) -> Option<Self> {
        let sel = site.selections.get(edition)?;
        let partial = site.part.is_some();
        let mut render = EditionRender {
            site,
            edition,
            sel,
            chain: site.config.chain(&edition.lang),
            partial,
            modules_done: 0,
            out: Output::default(),
            diags: Diagnostics::default(),
            late: Vec::new(),
            anchors: Anchors::new(),
            waiting: BTreeMap::new(),
            index: (!partial).then(crate::search::Index::default),
            search_docs: Vec::new(),
            made: Made::default(),
            pages: Vec::new(),
        };
        let home_path = page_path(edition, &PageId::Home);
        let home_body = sel.home.filter(|_| !partial).map(|doc| {
            let r = render.render_body(&doc.document(site.config), &home_path);
            let r = render.keep(r, &home_path);
            site.body(r, doc, edition, &PageId::Home)
        });
        let home_title = sel.home.map_or_else(
            || site.config.title(&edition.lang).to_string(),
            |d| d.meta.title.clone(),
        );
        let home = HomePage {
            title: home_title.clone(),
            body: home_body,
            // (A partial render leaves the home page as it was.)
            modules: sel
                .modules
                .iter()
                .filter(|_| !partial)
                .map(|m| {
                    let (title, lang) = site.module_title(m, edition);
                    ModuleItem {
                        title,
                        lang,
                        url: relative(
                            &home_path,
                            &page_path(edition, &PageId::Module(m.module.slug.clone())),
                            site.config.pretty_urls,
                        ),
                        summary: m.page.and_then(|p| p.meta.summary.clone()),
                        sessions: m.sessions.len(),
                    }
                })
                .collect(),
        };
        render.pages.push((
            home_path,
            "home.html",
            home_title,
            to_value(&home),
            PageId::Home,
        ));
        Some(render)
    }

    /// A page's body, rendered with the problems found in it (sessions in parallel).
    fn render_body(&self, document: &Document, page: &str) -> (Rendered, Diagnostics) {
        let (site, edition, sel) = (self.site, self.edition, self.sel);
        let start = std::time::Instant::now();
        // Links are looked up as they are met: a page links to a few others, and making a
        // map of every page first would cost an edit in `serve` as much as a whole edition.
        let page_of = |key: &str| content_page(edition, sel, key);
        let known = |key: &str| site.is_content_key(key);
        let ctx = LinkContext {
            page: &page_of,
            known: &known,
            assets: &site.corpus.assets,
            chain: &self.chain,
            pretty_urls: site.config.pretty_urls,
            lang: &edition.lang,
            variant: &edition.variant,
        };
        let mut found = Diagnostics::default();
        found.extend(document.diagnostics.clone());
        let view = document.view(&edition.variant, View::Web, site.config);
        let body = body::Body { view: &view, page };
        let rendered = body::render(
            &body,
            &ctx,
            &|info| site.block_open(info, &edition.lang),
            &mut found,
        );
        site.spent.add(Stage::Markdown, start.elapsed());
        (rendered, found)
    }

    /// What the edition keeps of a rendered body, in page order: its problems, its assets,
    /// its sections, and its links to sections, checked as soon as their page is rendered
    /// (so that they are not all held to the end).
    fn keep(&mut self, (mut rendered, found): (Rendered, Diagnostics), page: &str) -> Rendered {
        self.diags.extend(found);
        for (content_path, output_path) in &rendered.assets {
            if let Some(from) = self.site.corpus.assets.get(content_path) {
                self.out.copy(output_path.clone(), from.clone());
            }
        }
        let ids = Sections::new(
            rendered
                .headings
                .iter()
                .map(|h| h.id.clone())
                .chain(rendered.anchors.iter().cloned()),
        );
        for link in self.waiting.remove(page).into_iter().flatten() {
            check_fragment(link, Some(&ids), &mut self.diags);
        }
        self.anchors.insert(page.into(), ids);
        for link in std::mem::take(&mut rendered.fragments) {
            match self.anchors.get(link.target.as_str()) {
                Some(ids) => check_fragment(link, Some(ids), &mut self.diags),
                None => self
                    .waiting
                    .entry(link.target.clone())
                    .or_default()
                    .push(link),
            }
        }
        rendered
    }

    /// Renders the corpus's `module` if the edition shows it: its own page and its
    /// sessions', made into HTML now. Modules are given in corpus order.
    pub(super) fn module(&mut self, module: &crate::content::Module) {
        let (site, edition, sel) = (self.site, self.edition, self.sel);
        let Some(m) = sel
            .modules
            .get(self.modules_done)
            .filter(|m| std::ptr::eq(m.module, module))
        else {
            return;
        };
        let mi = self.modules_done;
        self.modules_done += 1;
        let mid = PageId::Module(m.module.slug.clone());
        let mpath = page_path(edition, &mid);
        let (mtitle, _) = site.module_title(m, edition);
        let whole_module = !self.partial
            || site
                .part
                .as_ref()
                .is_some_and(|p| p.modules.contains(&m.module.slug));
        let module_body = m.page.filter(|_| whole_module).map(|doc| {
            let r = self.render_body(&doc.document(site.config), &mpath);
            let r = self.keep(r, &mpath);
            site.body(r, doc, edition, &mid)
        });
        // The module's sessions are rendered first, in parallel: with few editions on
        // several cores, an edition's sessions one after the other would leave cores idle.
        // In a partial render, a module wanted whole wants every session.
        let this = &*self;
        let bodies: Vec<_> = m
            .sessions
            .par_iter()
            .map(|s| {
                site.wanted(&m.module.slug, &s.session.slug).then(|| {
                    let sid = PageId::Session(m.module.slug.clone(), s.session.slug.clone());
                    let spath = page_path(edition, &sid);
                    let body = this.render_body(&s.doc.document(site.config), &spath);
                    (sid, spath, body)
                })
            })
            .collect();
        let mut sessions = Vec::new();
        let mut module_pages = Vec::new();
        let mut total = 0;
        for ((si, s), body) in m.sessions.iter().enumerate().zip(bodies) {
            let Some((sid, spath, body)) = body else {
                continue;
            };
            let handout = crate::urls::handout_path(edition, &m.module.slug, &s.session.slug);
            let guide = crate::urls::guide_path(edition, &m.module.slug, &s.session.slug);
            let fallback = s.is_fallback(edition).then(|| s.doc.lang.clone());
            total = u32::saturating_add(total, s.doc.meta.duration.unwrap_or(0));
            sessions.push(SessionItem {
                title: s.doc.meta.title.clone(),
                lang: fallback.clone(),
                url: relative(&mpath, &spath, site.config.pretty_urls),
                duration: s.doc.meta.duration,
                summary: s.doc.meta.summary.clone(),
                translated: fallback.is_none(),
                handout: site.pdf_link(&mpath, &handout),
                guide: site.pdf_link(&mpath, &guide),
            });
            let mut r = self.keep(body, &spath);
            if let Some(schedule) = &r.schedule
                && let Some(d) =
                    crate::doc::schedule::mismatch(schedule, s.doc.meta.duration, &s.doc.source)
            {
                self.late
                    .push(d.in_edition(&edition.lang, &edition.variant));
            }
            let doc = crate::search::Doc {
                t: s.doc.meta.title.clone(),
                u: spath
                    .strip_prefix(&format!("{}/", edition.dir()))
                    .unwrap_or(&spath)
                    .to_string(),
                m: mtitle.clone(),
                l: fallback.map(|lang| {
                    let name = site.theme.i18n.language_name(&edition.lang, &lang);
                    (lang, name)
                }),
                lang: s.doc.lang.clone(),
                x: std::mem::take(&mut r.text),
                h: r.headings.iter().map(|h| h.text.clone()).collect(),
            };
            if let Some(index) = &mut self.index {
                index.add(&doc);
            }
            if site.keep_search {
                self.search_docs.push(doc);
            }
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
                        site.config.pretty_urls,
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
                body: site.body(r, s.doc, edition, &sid),
                activities,
                module: Link {
                    title: mtitle.clone(),
                    url: relative(&spath, &mpath, site.config.pretty_urls),
                    lang: None,
                },
                prev: si.checked_sub(1).and_then(link),
                next: link(si + 1),
                number: si + 1,
                sample: s.doc.meta.sample,
                handout: site.pdf_link(&spath, &handout),
                guide: site.pdf_link(&spath, &guide),
            };
            // Made into HTML with the module's other pages, not with the edition's: an
            // edition's session bodies are not all held at once.
            let title = s.doc.meta.title.clone();
            module_pages.push((spath, "session.html", title, to_value(&page), sid));
        }
        let (slug, packs) = (&m.module.slug, !m.sessions.is_empty());
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
            booklet: site.pdf_link(&mpath, &crate::urls::booklet_path(edition, slug)),
            // A module without sessions has no handouts to pack.
            pack: packs
                .then(|| site.pdf_link(&mpath, &crate::urls::pack_path(edition, slug)))
                .flatten(),
            pack_a5: packs
                .then(|| site.pdf_link(&mpath, &crate::urls::pack_a5_path(edition, slug)))
                .flatten(),
            workbook: packs
                .then(|| site.pdf_link(&mpath, &crate::urls::workbook_path(edition, slug)))
                .flatten(),
        };
        if whole_module {
            module_pages.push((mpath, "module.html", mtitle, to_value(&page), mid));
        }
        site.templates(edition, sel, &mut self.made, module_pages);
    }

    /// Every module rendered: what was found late is reported, the links still waiting are
    /// checked, and the pages' sections let go (a build does so in every edition before it
    /// finishes any, since finishing holds an edition's listing and index files).
    pub(super) fn links_done(&mut self) {
        for d in std::mem::take(&mut self.late) {
            self.diags.push(d);
        }
        // Links still waiting point at pages this render did not make. A partial render
        // (`serve` after an edit) leaves most pages as they were, and does not know their
        // sections: those links were checked when the pages were last made. In a whole
        // render there are none such, and any is reported.
        if !self.partial {
            for link in std::mem::take(&mut self.waiting).into_values().flatten() {
                check_fragment(link, None, &mut self.diags);
            }
        }
        self.waiting.clear();
        self.anchors = Anchors::new();
    }

    /// Every module rendered and [`EditionRender::links_done`]: the pages kept for the end,
    /// the search and print pages and the search index, built while they are made.
    pub(super) fn finish(mut self) -> EditionResult {
        let (site, edition, sel) = (self.site, self.edition, self.sel);
        if self.partial {
            // Only the pages whose inputs changed: the edited sessions', and after an edit
            // to titles or facts their modules' pages and the pages that list every title.
            // The home page and the search index stay as they were.
            self.pages.clear();
        }
        let EditionRender {
            mut out,
            mut diags,
            index,
            search_docs,
            mut made,
            pages,
            ..
        } = self;
        // The search index is built while the last pages are made. The search and print
        // pages list every title, rendered again when titles may have changed: each is
        // made into HTML and let go before the other is made.
        let ((index, written), ()) = rayon::join(
            || {
                // Staged as they come, a megabyte at a time: an edition's index is larger
                // than all its pages.
                let (mut files, mut staged, mut bytes) = (Output::default(), Output::default(), 0);
                let dir = crate::urls::search_index_dir(edition);
                let written = index.map(|index| {
                    index.files(&dir, |path, script| {
                        bytes += script.len();
                        files.insert(path, script);
                        if let Some(staging) = site.staging
                            && bytes > INDEX_BATCH
                        {
                            staged.extend(staging.stage(std::mem::take(&mut files)));
                            bytes = 0;
                        }
                    })
                });
                staged.extend(files);
                (staged, written)
            },
            || {
                site.templates(edition, sel, &mut made, pages);
                if !site.listings() {
                    return;
                }
                let listing = site.listing(edition, sel);
                for (id, template, key) in [
                    (PageId::Search, "search.html", "search-title"),
                    (PageId::Print, "print.html", "print-centre"),
                ] {
                    let path = page_path(edition, &id);
                    let page = to_value(&ListingPage {
                        modules: site.listed_modules(&path, &listing),
                        paper: site.paper_name(edition),
                    });
                    let title = site.theme.i18n.text(&edition.lang, key);
                    site.templates(
                        edition,
                        sel,
                        &mut made,
                        vec![(path, template, title, page, id)],
                    );
                }
            },
        );
        out.extend(index);
        if let Some(Err(e)) = written {
            diags.push(
                crate::diag::Diagnostic::error(
                    "search-index",
                    format!(
                        "the search index of {} could not be written: {e}",
                        edition.dir()
                    ),
                )
                .with_help(format!(
                    "the pages' text and words wait in a temporary file in `{}` while the \
                     index is made: that folder must exist, be writable and have room (set \
                     TMPDIR to choose another)",
                    std::env::temp_dir().display()
                )),
            );
        }
        let Made {
            batch,
            staged,
            diags: template_diags,
            ..
        } = made;
        diags.extend(template_diags);
        // What is not staged yet goes with the rest of the edition (see `render_with_search`).
        out.extend(staged);
        out.extend(batch);
        (out, diags, search_docs)
    }
}

/// Says what is wrong with a link to section `#fragment` of a page whose sections are
/// `ids` (`None`: a page not rendered), if it has no such section.
fn check_fragment(link: PendingFragment, ids: Option<&Sections>, diags: &mut Diagnostics) {
    if ids.is_some_and(|ids| ids.contains(&link.fragment)) {
        return;
    }
    // A likely typo is looked for among a page's own sections, when it has a readable
    // number of them: every broken link costs at most that much, so checking stays
    // linear in the links however many a page has.
    let near = ids
        .filter(|ids| ids.len() <= SUGGEST_AMONG)
        .into_iter()
        .flat_map(Sections::iter);
    let help = match crate::diag::closest(&link.fragment, near) {
        Some(near) => format!(
            "did you mean `#{near}`? Give headings the same id in every language with `## Title {{#id}}`"
        ),
        None => "give the heading an id that is the same in every language: `## Title {#id}`"
            .to_string(),
    };
    diags.push(link.into_diagnostic().with_help(help));
}

/// A page to make: its path, template, title, values and id.
type Page = (String, &'static str, String, tera::Value, PageId);

/// Pages made into HTML as an edition is rendered: the list of modules, the same on every
/// page of a folder depth, is made once per depth and shared by reference-counted template
/// values; the pages wait in `batch` for the staging folder.
#[derive(Default)]
struct Made {
    nav_by_depth: BTreeMap<usize, Nav>,
    batch: Output,
    /// Pages already in the staging folder (as hashes).
    staged: Output,
    diags: Diagnostics,
}

impl Site<'_> {
    /// The link from the page at `from` to a PDF of the edition, when PDFs are built.
    fn pdf_link(&self, from: &str, pdf: &str) -> Option<String> {
        self.pdf.then(|| relative(from, pdf, false))
    }

    /// Makes pages of an edition into HTML, with their navigation, in parallel, and hands
    /// them to the staging folder in batches.
    fn templates(&self, edition: &Edition, sel: &Selection, made: &mut Made, pages: Vec<Page>) {
        // What pages share first, in order; then the pages. What a module's pages share is
        // made once per folder depth; the home, search and print pages are each the target
        // of a link in `Shared`, and make their own.
        let mut shared: BTreeMap<(&String, usize), tera::Context> = BTreeMap::new();
        let contexts: Vec<tera::Context> = pages
            .iter()
            .map(|(path, _, _, _, id)| {
                let depth = path.matches('/').count();
                let nav = made
                    .nav_by_depth
                    .entry(depth)
                    .or_insert_with(|| self.nav_modules(edition, sel, path));
                let module = match id {
                    PageId::Module(m) | PageId::Session(m, _) => Some(m),
                    _ => None,
                };
                let mut make =
                    || self.page_context(edition, sel, path, module, nav, &mut made.diags);
                match module {
                    Some(m) => shared.entry((m, depth)).or_insert_with(make).clone(),
                    None => make(),
                }
            })
            .collect();
        drop(shared);
        let html: Vec<(String, Option<Vec<u8>>, Diagnostics)> = pages
            .into_par_iter()
            .zip(contexts)
            .map(|((path, template, title, page, id), mut ctx)| {
                let common = self.common(
                    edition,
                    &id,
                    &path,
                    title,
                    template.trim_end_matches(".html"),
                );
                ctx.insert_value("page", page);
                merge(&mut ctx, &common);
                let mut diags = Diagnostics::default();
                let html = self.render_template(template, &ctx, &mut diags);
                (path, html, diags)
            })
            .collect();
        for (path, html, diags) in html {
            made.diags.extend(diags);
            if let Some(html) = html {
                made.batch.insert(path, html);
            }
        }
        // Written as they are made: an edition's pages are not all held at once.
        if let Some(staging) = self.staging {
            made.staged
                .extend(staging.stage(std::mem::take(&mut made.batch)));
        }
    }
}
