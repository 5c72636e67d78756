//! One edition's pages: the home page, each module's page and its sessions' pages (their
//! bodies rendered from the document stage, then made into HTML with the navigation), the
//! search and print pages and the search index, handed to the staging folder as they are
//! made.

use super::*;

impl Site<'_> {
    pub(super) fn render_edition(
        &self,
        edition: &Edition,
        users: Option<&Users<'_>>,
    ) -> EditionResult {
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
        // Diagnostics found while `keep` holds `diags`.
        let mut late = Vec::new();
        // A page's body, rendered with the problems found in it (sessions in parallel).
        let render_body = |document: &Document, page: &str| -> (Rendered, Diagnostics) {
            let start = std::time::Instant::now();
            let mut found = Diagnostics::default();
            found.extend(document.diagnostics.clone());
            let view = document.view(&edition.variant, View::Web, self.config);
            let body = body::Body { view: &view, page };
            let rendered = body::render(
                &body,
                &ctx,
                &|info| self.block_open(info, &edition.lang),
                &mut found,
            );
            self.spent.add(Stage::Markdown, start.elapsed());
            (rendered, found)
        };
        // What the edition keeps of a rendered body, in page order: its problems, its
        // assets, its anchors and the links to check.
        let mut keep = |(rendered, found): (Rendered, Diagnostics), page: &str| -> Rendered {
            diags.extend(found);
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
            rendered
        };

        // Home.
        let home_path = page_path(edition, &PageId::Home);
        let partial = self.part.is_some();
        let home_body = sel.home.filter(|_| !partial).map(|doc| {
            let r = keep(
                render_body(&doc.document(self.config), &home_path),
                &home_path,
            );
            self.body(r, doc, edition, &PageId::Home)
        });
        let home_title = sel.home.map_or_else(
            || self.config.title(&edition.lang).to_string(),
            |d| d.meta.title.clone(),
        );
        // Each session's text is folded into the index as its page is made, and let go
        // (unless `serve` keeps it, to refresh the index after an edit).
        let mut index = (!partial).then(crate::search::Index::default);
        let mut search_docs: Vec<crate::search::Doc> = Vec::new();
        let mut made = Made::default();
        let mut rendered_pages: Vec<Page> = Vec::new();
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
                let r = keep(render_body(&doc.document(self.config), &mpath), &mpath);
                self.body(r, doc, edition, &mid)
            });
            // The module's sessions are rendered first, in parallel: an edition is made in
            // order, and the last of three editions on two cores would otherwise run alone.
            // In a partial render, a module wanted whole wants every session.
            let bodies: Vec<_> = m
                .sessions
                .par_iter()
                .map(|s| {
                    self.wanted(&m.module.slug, &s.session.slug).then(|| {
                        let sid = PageId::Session(m.module.slug.clone(), s.session.slug.clone());
                        let spath = page_path(edition, &sid);
                        let body = render_body(&s.doc.document(self.config), &spath);
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
                    url: relative(&mpath, &spath, self.config.pretty_urls),
                    duration: s.doc.meta.duration,
                    summary: s.doc.meta.summary.clone(),
                    translated: fallback.is_none(),
                    handout: self.pdf_link(&mpath, &handout),
                    guide: self.pdf_link(&mpath, &guide),
                });
                let mut r = keep(body, &spath);
                if let Some(schedule) = &r.schedule
                    && let Some(d) =
                        crate::doc::schedule::mismatch(schedule, s.doc.meta.duration, &s.doc.source)
                {
                    late.push(d.in_edition(&edition.lang, &edition.variant));
                }
                let doc = crate::search::Doc {
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
                };
                if let Some(index) = &mut index {
                    index.add(&doc);
                }
                if self.keep_search {
                    search_docs.push(doc);
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
                    handout: self.pdf_link(&spath, &handout),
                    guide: self.pdf_link(&spath, &guide),
                };
                // Made into HTML with the module's other sessions, not with the other
                // pages: an edition's session bodies are not all held at once.
                let title = s.doc.meta.title.clone();
                module_pages.push((spath, "session.html", title, to_value(&page), sid));
            }
            self.templates(edition, sel, &mut made, std::mem::take(&mut module_pages));
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
                booklet: self.pdf_link(&mpath, &crate::urls::booklet_path(edition, slug)),
                // A module without sessions has no handouts to pack.
                pack: packs
                    .then(|| self.pdf_link(&mpath, &crate::urls::pack_path(edition, slug)))
                    .flatten(),
                pack_a5: packs
                    .then(|| self.pdf_link(&mpath, &crate::urls::pack_a5_path(edition, slug)))
                    .flatten(),
                workbook: packs
                    .then(|| self.pdf_link(&mpath, &crate::urls::workbook_path(edition, slug)))
                    .flatten(),
            };
            if whole_module {
                rendered_pages.push((mpath, "module.html", mtitle, to_value(&page), mid));
            }
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
        // The search index is built while the last pages are made.
        let (index, ()) = rayon::join(
            || {
                let dir = crate::urls::search_index_dir(edition);
                index.map(|index| index.files(&dir))
            },
            || self.templates(edition, sel, &mut made, rendered_pages),
        );
        for (path, script) in index.into_iter().flatten() {
            out.insert(path, script);
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
        (out, diags, anchors, pending, search_docs)
    }
}

/// Pages made into HTML as an edition is rendered: the navigation, the same on every page
/// of a folder depth, and a module's list of sessions, the same on all its pages of a
/// depth, are made once and shared by reference-counted template values; the pages wait
/// in `batch` for the staging folder.
/// A page to make: its path, template, title, values and id.
type Page = (String, &'static str, String, tera::Value, PageId);

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
    /// The link from the page at `from` to a PDF of the edition, when PDFs are built.
    fn pdf_link(&self, from: &str, pdf: &str) -> Option<String> {
        self.pdf.then(|| relative(from, pdf, false))
    }

    /// Makes pages of an edition into HTML, with their navigation, in parallel, and hands
    /// them to the staging folder in batches.
    fn templates(&self, edition: &Edition, sel: &Selection, made: &mut Made, pages: Vec<Page>) {
        // The navigation of each page's depth and module first, in order; then the pages.
        let navs: Vec<(tera::Value, tera::Value)> = pages
            .iter()
            .map(|(path, _, _, _, id)| {
                let depth = path.matches('/').count();
                let nav = made.nav_by_depth.entry(depth).or_insert_with(|| {
                    tera::Value::from_serializable(&self.nav_modules(edition, sel, path))
                });
                let nav = nav.clone();
                let sessions = match id {
                    PageId::Module(m) | PageId::Session(m, _) => made
                        .nav_sessions
                        .entry((m.clone(), depth))
                        .or_insert_with(|| {
                            let list = sel.module(m).map(|m| self.nav_sessions(edition, m, path));
                            tera::Value::from_serializable(&list.unwrap_or_default())
                        })
                        .clone(),
                    _ => tera::Value::from_serializable(&Vec::<NavSession>::new()),
                };
                (nav, sessions)
            })
            .collect();
        let html: Vec<(String, Option<Vec<u8>>, Diagnostics)> = pages
            .into_par_iter()
            .zip(navs)
            .map(|((path, template, title, page, id), (nav, sessions))| {
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
                ctx.insert_value("nav", nav);
                ctx.insert_value("nav_sessions", sessions);
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
            // Written as they are made: an edition's pages are not all held at once.
            if let Some(staging) = self.staging
                && made.batch.files.len() >= STAGE_BATCH
            {
                made.staged
                    .extend(staging.stage(std::mem::take(&mut made.batch)));
            }
        }
    }
}
