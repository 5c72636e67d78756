//! The navigation and listings of an edition: the module list and the current module's
//! sessions beside every page (one list per folder depth, with URLs right for every page
//! that shares it), and the listings of the home, search and print pages.

use super::*;

impl Site<'_> {
    /// The modules of the navigation, with URLs relative to `path` (the same for every page
    /// at its folder depth).
    pub(super) fn nav_modules(&self, edition: &Edition, sel: &Selection, path: &str) -> Nav {
        let home = page_path(edition, &PageId::Home);
        let modules: Vec<NavModule> = sel
            .modules
            .iter()
            .map(|m| {
                let (title, lang) = self.module_title(m, edition);
                let target = page_path(edition, &PageId::Module(m.module.slug.clone()));
                NavModule {
                    slug: m.module.slug.clone(),
                    title,
                    lang,
                    url: from_below(path, &home, &target, self.config.pretty_urls),
                }
            })
            .collect();
        let value = tera::Value::from_serializable(&modules);
        Nav { modules, value }
    }

    /// What the pages of `module` (or a page of none) at `path`'s folder depth share:
    /// [`Shared`], the list of modules `nav` and, as the default theme prints it, the
    /// modules before and after the page's own made into HTML once by the theme's
    /// `nav-modules.html` (`nav_before`, `nav_after`), its own (`nav_current`), and its
    /// sessions (`nav_sessions`).
    pub(super) fn page_context(
        &self,
        edition: &Edition,
        sel: &Selection,
        path: &str,
        module: Option<&String>,
        nav: &Nav,
        diags: &mut Diagnostics,
    ) -> tera::Context {
        let mut ctx = context_of(&self.shared(edition, path));
        let modules = &nav.modules;
        let at = module.and_then(|c| modules.iter().position(|m| m.slug == *c));
        let (before, after) = match at {
            Some(i) => (&modules[..i], &modules[i + 1..]),
            None => (&modules[..], &modules[..0]),
        };
        let mut html = |list: &[NavModule]| {
            let mut ctx = tera::Context::new();
            ctx.insert("modules", list);
            let html = self.render_template("nav-modules.html", &ctx, diags);
            tera::Value::safe_string(&String::from_utf8_lossy(&html.unwrap_or_default()))
        };
        ctx.insert_value("nav", nav.value.clone());
        ctx.insert_value("nav_before", html(before));
        ctx.insert_value("nav_after", html(after));
        let current = at.map_or_else(tera::Value::none, |i| {
            tera::Value::from_serializable(&modules[i])
        });
        ctx.insert_value("nav_current", current);
        let sessions = module
            .and_then(|m| sel.module(m))
            .map(|m| self.nav_sessions(edition, m, path))
            .unwrap_or_default();
        ctx.insert_value("nav_sessions", tera::Value::from_serializable(&sessions));
        ctx
    }

    /// A module's sessions in the navigation, with URLs relative to `path` (a page of that
    /// module: the same for all its pages at that folder depth).
    pub(super) fn nav_sessions(
        &self,
        edition: &Edition,
        m: &crate::variant::SelectedModule,
        path: &str,
    ) -> Vec<NavSession> {
        let module = page_path(edition, &PageId::Module(m.module.slug.clone()));
        let pretty = self.config.pretty_urls;
        m.sessions
            .iter()
            .map(|s| {
                let sid = PageId::Session(m.module.slug.clone(), s.session.slug.clone());
                NavSession {
                    slug: s.session.slug.clone(),
                    title: s.doc.meta.title.clone(),
                    lang: s.is_fallback(edition).then(|| s.doc.lang.clone()),
                    url: from_below(path, &module, &page_path(edition, &sid), pretty),
                }
            })
            .collect()
    }

    /// The paper of an edition's PDFs, in the edition's words.
    pub(super) fn paper_name(&self, edition: &Edition) -> String {
        let paper = self
            .config
            .language(&edition.lang)
            .map_or(crate::config::Paper::Letter, |l| l.paper);
        let key = match paper {
            crate::config::Paper::Letter => "paper-letter",
            crate::config::Paper::A4 => "paper-a4",
        };
        self.theme.i18n.text(&edition.lang, key)
    }

    /// The modules and sessions of a listing page (search, print centre) at `path`, with
    /// their PDFs and, once typeset, their page counts.
    pub(super) fn listed_modules(
        &self,
        path: &str,
        listing: &[(Listed, Vec<Listed>)],
    ) -> Vec<ListedModule> {
        let pretty = self.config.pretty_urls;
        listing
            .iter()
            .map(|(m, sessions)| ListedModule {
                title: m.title.clone(),
                lang: m.lang.clone(),
                url: relative(path, &m.url, pretty),
                booklet: self.pdf.then(|| relative(path, &m.booklet, false)),
                pack: (self.pdf && !sessions.is_empty()).then(|| relative(path, &m.pack, false)),
                workbook: (self.pdf && !sessions.is_empty())
                    .then(|| relative(path, &m.workbook, false)),
                booklet_pages: self.pdf_pages.get(&m.booklet).copied(),
                pack_pages: self.pdf_pages.get(&m.pack).copied(),
                // Each sheet of a workbook is printed on both sides.
                workbook_pages: self
                    .pdf_pages
                    .get(&m.workbook)
                    .map(|sides| sides.div_ceil(2)),
                sessions: sessions
                    .iter()
                    .map(|s| ListedSession {
                        title: s.title.clone(),
                        lang: s.lang.clone(),
                        url: relative(path, &s.url, pretty),
                        handout: self.pdf.then(|| relative(path, &s.handout, false)),
                        guide: self.pdf.then(|| relative(path, &s.guide, false)),
                        handout_pages: self.pdf_pages.get(&s.handout).copied(),
                        guide_pages: self.pdf_pages.get(&s.guide).copied(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Every module and session of an edition with their output paths (not yet relative).
    pub(super) fn listing(&self, edition: &Edition, sel: &Selection) -> Vec<(Listed, Vec<Listed>)> {
        sel.modules
            .iter()
            .map(|m| {
                let (title, lang) = self.module_title(m, edition);
                let module = Listed {
                    title,
                    lang,
                    url: page_path(edition, &PageId::Module(m.module.slug.clone())),
                    booklet: crate::urls::booklet_path(edition, &m.module.slug),
                    pack: crate::urls::pack_path(edition, &m.module.slug),
                    workbook: crate::urls::workbook_path(edition, &m.module.slug),
                    handout: String::new(),
                    guide: String::new(),
                };
                let sessions = m
                    .sessions
                    .iter()
                    .map(|s| Listed {
                        title: s.doc.meta.title.clone(),
                        lang: s.is_fallback(edition).then(|| s.doc.lang.clone()),
                        url: page_path(
                            edition,
                            &PageId::Session(m.module.slug.clone(), s.session.slug.clone()),
                        ),
                        booklet: String::new(),
                        pack: String::new(),
                        workbook: String::new(),
                        handout: crate::urls::handout_path(
                            edition,
                            &m.module.slug,
                            &s.session.slug,
                        ),
                        guide: crate::urls::guide_path(edition, &m.module.slug, &s.session.slug),
                    })
                    .collect();
                (module, sessions)
            })
            .collect()
    }
}

/// The modules of the navigation at a folder depth, and as the template value `nav`.
pub(super) struct Nav {
    pub modules: Vec<NavModule>,
    pub value: tera::Value,
}

/// A module or session in a listing.
pub(super) struct Listed {
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
    pub booklet: String,
    pub pack: String,
    pub workbook: String,
    pub handout: String,
    pub guide: String,
}

/// The URL of `to` from the page at `path`, a page in `base`'s folder or below it, made
/// through `base`: the same for every page at `path`'s depth, so one list of links serves
/// them all (`relative` alone gives `index.html` for a link to the page itself).
pub(super) fn from_below(path: &str, base: &str, to: &str, pretty: bool) -> String {
    let depth = |p: &str| p.matches('/').count();
    let up = "../".repeat(depth(path).saturating_sub(depth(base)));
    let url = relative(base, to, pretty);
    if up.is_empty() || url != "./" {
        format!("{up}{url}")
    } else {
        up
    }
}
