//! The Typst source of each document: a preamble that calls the theme's `aula-doc`, the
//! session's header, schedule and body (through `markup`), and for a module booklet its
//! cover and contents. Text reaches Typst only through `markup::text` and
//! `markup::string`.

use super::*;

/// Builds the Typst documents of one edition.
pub(super) struct Generator<'a> {
    pub(super) config: &'a Config,
    pub(super) corpus: &'a Corpus,
    pub(super) i18n: &'a I18n,
    pub(super) edition: &'a Edition,
}

impl Generator<'_> {
    fn t(&self, key: &str) -> String {
        self.i18n.text(&self.edition.lang, key)
    }

    fn minutes(&self, n: u32) -> String {
        self.i18n
            .get(
                &self.edition.lang,
                "minutes",
                &[("n", fluent_bundle::FluentValue::from(n))],
            )
            .unwrap_or_else(|| format!("{n} min"))
    }

    fn numbered(&self, key: &str, n: usize) -> String {
        self.i18n
            .get(
                &self.edition.lang,
                key,
                &[("n", fluent_bundle::FluentValue::from(n))],
            )
            .unwrap_or_else(|| n.to_string())
    }

    fn preamble(&self, kind: &str, title: &str, header: &str) -> String {
        let lang = &self.edition.lang;
        let paper = match self
            .config
            .language(lang)
            .map_or(Paper::Letter, |l| l.paper)
        {
            Paper::Letter => "us-letter",
            Paper::A4 => "a4",
        };
        let footer = self
            .i18n
            .edition_line(self.edition, self.config.title(lang));
        // Typst knows hyphenation patterns for es and fr; for K'iche' there are none, and a
        // word is never broken at its glottal apostrophe.
        // Typst knows languages by their primary subtag (`es` of `es-gt`).
        let primary = crate::config::primary_subtag(lang);
        let hyphenate = matches!(primary, "es" | "fr");
        format!(
            "#import \"{TEMPLATE_PATH}\": *\n#show: aula-doc.with(kind: {}, paper: {}, lang: {}, hyphenate: {hyphenate}, title: {}, header: {}, footer: {})\n",
            typst_string(kind),
            typst_string(paper),
            typst_string(primary),
            typst_string(title),
            typst_string(header),
            typst_string(&footer),
        )
    }

    /// The header block and body of one session, for a handout or a guide.
    fn session_markup(
        &self,
        m: &SelectedModule,
        s: &SelectedSession,
        number: usize,
        view: View,
        images: &mut Vec<String>,
    ) -> String {
        let doc = s.doc;
        let mut out = String::new();
        let fallback = s.is_fallback(self.edition).then(|| doc.lang.clone());
        let list = |items: &[String]| -> String {
            let inner: Vec<String> = items.iter().map(|i| typst_string(i)).collect();
            format!(
                "({})",
                inner.iter().map(|s| format!("{s},")).collect::<String>()
            )
        };
        out.push_str(&format!(
            "#session-header(number: {}, title: {}, title-lang: {}, duration: {}, objectives: {}, materials: {}, labels: (duration: {}, objectives: {}, materials: {}))\n",
            typst_string(&self.numbered("session-number", number)),
            typst_string(&doc.meta.title),
            fallback.as_deref().map_or("none".into(), |l| typst_string(crate::config::primary_subtag(l))),
            doc.meta.duration.map_or("none".into(), |d| typst_string(&self.minutes(d))),
            list(&doc.meta.objectives),
            if view == View::Handout { "()".into() } else { list(&doc.meta.materials) },
            typst_string(&self.t("duration")),
            typst_string(&self.t("objectives")),
            typst_string(&self.t("materials")),
        ));
        if let Some(lang) = &fallback {
            let name = self.i18n.language_name(&self.edition.lang, lang);
            let notice = self
                .i18n
                .get(
                    &self.edition.lang,
                    "fallback-notice",
                    &[("language", name.into())],
                )
                .unwrap_or_default();
            out.push_str(&format!("#fallback-notice({})\n", typst_string(&notice)));
        }
        let (body, activities) = self.body(doc, &m.module.dir, view, images);
        if view == View::Guide {
            out.push_str(&self.timing_table(&activities));
        }
        match &fallback {
            Some(lang) => out.push_str(&format!(
                "#text(lang: {})[\n{body}\n]\n",
                typst_string(crate::config::primary_subtag(lang))
            )),
            None => out.push_str(&body),
        }
        out
    }

    fn timing_table(&self, activities: &[blocks::BlockInfo]) -> String {
        let rows: Vec<String> = activities
            .iter()
            .filter(|a| a.minutes.is_some())
            .map(|a| {
                let title = a.title.clone().unwrap_or_else(|| self.t("activity"));
                format!(
                    "({}, {}),",
                    typst_string(&title),
                    typst_string(&self.minutes(a.minutes.unwrap_or(0)))
                )
            })
            .collect();
        let total = activities
            .iter()
            .filter_map(|a| a.minutes)
            .fold(0u32, u32::saturating_add);
        format!(
            "#timing-table(heading-text: {}, activity: {}, time: {}, total: ({}, {}), rows: ({}))\n",
            typst_string(&self.t("activities")),
            typst_string(&self.t("activity")),
            typst_string(&self.t("time")),
            typst_string(&self.t("total-duration")),
            typst_string(&self.minutes(total)),
            rows.concat(),
        )
    }

    /// The body in Typst markup, and its visible callouts (for the timing table).
    fn body(
        &self,
        doc: &Doc<SessionMeta>,
        module_dir: &str,
        view: View,
        images: &mut Vec<String>,
    ) -> (String, Vec<blocks::BlockInfo>) {
        // Its problems were reported by the web pages, which every build renders.
        let (parsed, _) = doc.blocks(self.config);
        let filtered = blocks::filter(parsed, &doc.source, &self.edition.variant, view);
        let chain = self.config.chain(&self.edition.lang);
        let source_dir = doc
            .source
            .name
            .strip_prefix("content/")
            .and_then(|n| n.rsplit_once('/'))
            .map_or(module_dir.to_string(), |(d, _)| d.to_string());
        let used = std::cell::RefCell::new(Vec::new());
        let image = |url: &str| -> Option<String> {
            let joined = urls::join(&source_dir, url)?;
            let found = crate::markdown::find_asset(&joined, &chain, &self.corpus.assets)?;
            used.borrow_mut().push(found.clone());
            Some(format!("/files/{found}"))
        };
        let label = |info: &blocks::BlockInfo| self.i18n.block_label(info, &self.edition.lang);
        let ctx = markup::Context {
            blocks: &filtered.blocks,
            label: &label,
            image: &image,
            heading_offset: 0,
            write_space: view == View::Handout,
        };
        let converted = markup::convert(&filtered.text, &ctx);
        images.extend(used.into_inner());
        let activities = filtered
            .blocks
            .values()
            .filter(|b| b.callout.is_some())
            .cloned()
            .collect();
        (converted.markup, activities)
    }

    pub(super) fn session(
        &self,
        m: &SelectedModule,
        s: &SelectedSession,
        number: usize,
        view: View,
    ) -> Job {
        let module_title = m.title();
        let kind = if view == View::Handout {
            "handout"
        } else {
            "guide"
        };
        let header = format!("{module_title} — {}", s.doc.meta.title);
        let mut images = Vec::new();
        let mut main = self.preamble(kind, &s.doc.meta.title, &header);
        main.push_str(&self.session_markup(m, s, number, view, &mut images));
        let path = match view {
            View::Handout => handout_path(self.edition, &m.module.slug, &s.session.slug),
            _ => guide_path(self.edition, &m.module.slug, &s.session.slug),
        };
        Job {
            path,
            edition: self.edition.clone(),
            origin: s.doc.source.name.clone(),
            main,
            images,
        }
    }

    pub(super) fn booklet(&self, m: &SelectedModule, number: usize) -> Job {
        let title = m.title();
        let lang = &self.edition.lang;
        let edition = self
            .i18n
            .edition_line(self.edition, self.config.title(lang));
        let mut images = Vec::new();
        let mut main = self.preamble("module", &title, &title);
        main.push_str(&format!(
            "#cover(site: {}, module: {}, number: {}, edition: {}, summary: {})\n",
            typst_string(self.config.title(lang)),
            typst_string(&title),
            typst_string(&self.numbered("module-number", number)),
            typst_string(&edition),
            m.page
                .and_then(|p| p.meta.summary.as_deref())
                .map_or("none".into(), typst_string),
        ));
        main.push_str(&format!(
            "#outline(title: {}, depth: 2)\n#pagebreak()\n",
            typst_string(&self.t("contents"))
        ));
        for (si, s) in m.sessions.iter().enumerate() {
            if si > 0 {
                main.push_str("#pagebreak()\n");
            }
            main.push_str(&self.session_markup(m, s, si + 1, View::Guide, &mut images));
        }
        let origin = m.page.map_or_else(
            || format!("content/{}", m.module.dir),
            |p| p.source.name.clone(),
        );
        Job {
            path: booklet_path(self.edition, &m.module.slug),
            edition: self.edition.clone(),
            origin,
            main,
            images,
        }
    }
}
