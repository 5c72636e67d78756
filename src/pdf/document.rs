//! The Typst source of each document: a preamble that calls the theme's `aula-doc`, the
//! session's header, schedule and body (through `markup`), and for a module booklet its
//! cover and contents. The values the theme's functions get (titles, labels, objectives,
//! minutes, …) are data: a JSON file beside the document (`/data.json`), read with Typst's
//! `json` and spread into the calls (`#session-header(..data.at(1))`), so no text passes
//! as Typst source there; the body's text goes through `markup::text`.

use super::*;
use crate::doc::Target;
use serde_json::{Value, json};

/// Where a document's data is, in its typesetter world.
pub(super) const DATA_PATH: &str = "/data.json";

/// The values one document hands to the theme's functions, in order.
#[derive(Default)]
pub(super) struct Data(std::cell::RefCell<Vec<Value>>);

impl Data {
    /// Adds `value`; returns the Typst expression that reads it.
    pub(super) fn arg(&self, value: Value) -> String {
        let mut values = self.0.borrow_mut();
        values.push(value);
        format!("data.at({})", values.len() - 1)
    }

    pub(super) fn into_json(self) -> Vec<u8> {
        serde_json::to_vec(&self.0.into_inner()).unwrap_or_default()
    }
}

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

    fn preamble(&self, data: &Data, kind: &str, title: &str, header: &str) -> String {
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
        let args = data.arg(json!({
            "kind": kind,
            "paper": paper,
            "lang": primary,
            "hyphenate": hyphenate,
            "title": title,
            "header": header,
            "footer": footer,
        }));
        format!(
            "#import \"{TEMPLATE_PATH}\": *\n#let data = json(\"{DATA_PATH}\")\n#show: aula-doc.with(..{args})\n"
        )
    }

    /// The header block and body of one session, for a handout or a guide.
    fn session_markup(
        &self,
        data: &Data,
        s: &SelectedSession,
        number: usize,
        view: View,
        images: &mut Vec<String>,
    ) -> String {
        let doc = s.doc;
        let mut out = String::new();
        let fallback = s.is_fallback(self.edition).then(|| doc.lang.clone());
        let header = data.arg(json!({
            "number": self.numbered("session-number", number),
            "title": doc.meta.title,
            "title-lang": fallback.as_deref().map(crate::config::primary_subtag),
            "duration": doc.meta.duration.map(|d| self.minutes(d)),
            "objectives": doc.meta.objectives,
            "materials": if view == View::Handout { &[][..] } else { &doc.meta.materials[..] },
            "labels": {
                "duration": self.t("duration"),
                "objectives": self.t("objectives"),
                "materials": self.t("materials"),
            },
        }));
        out.push_str(&format!("#session-header(..{header})\n"));
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
            out.push_str(&format!("#fallback-notice({})\n", data.arg(notice.into())));
        }
        let (body, activities) = self.body(data, doc, view, images);
        if view == View::Guide {
            out.push_str(&self.timing_table(data, &activities));
        }
        match &fallback {
            Some(lang) => out.push_str(&format!(
                "#text(lang: {})[\n{body}\n]\n",
                data.arg(crate::config::primary_subtag(lang).into())
            )),
            None => out.push_str(&body),
        }
        out
    }

    fn timing_table(&self, data: &Data, activities: &[blocks::BlockInfo]) -> String {
        let rows: Vec<Value> = activities
            .iter()
            .filter(|a| a.minutes.is_some())
            .map(|a| {
                let title = a.title.clone().unwrap_or_else(|| self.t("activity"));
                json!([title, self.minutes(a.minutes.unwrap_or(0))])
            })
            .collect();
        let total = activities
            .iter()
            .filter_map(|a| a.minutes)
            .fold(0u32, u32::saturating_add);
        let args = data.arg(json!({
            "heading-text": self.t("activities"),
            "activity": self.t("activity"),
            "time": self.t("time"),
            "total": [self.t("total-duration"), self.minutes(total)],
            "rows": rows,
        }));
        format!("#timing-table(..{args})\n")
    }

    /// The body in Typst markup, and its visible callouts (for the timing table).
    fn body(
        &self,
        data: &Data,
        doc: &Doc<SessionMeta>,
        view: View,
        images: &mut Vec<String>,
    ) -> (String, Vec<blocks::BlockInfo>) {
        // Its problems were reported by the web pages, which every build renders.
        let document = doc.document(self.config);
        let shown = document.view(&self.edition.variant, view, self.config);
        let chain = self.config.chain(&self.edition.lang);
        let used = std::cell::RefCell::new(Vec::new());
        let image = |target: &Target| -> Option<String> {
            let Target::File { path, .. } = target else {
                return None;
            };
            let found = crate::doc::find_file(path, &chain, &self.corpus.assets)?;
            used.borrow_mut().push(found.clone());
            Some(format!("/files/{found}"))
        };
        let label = |info: &blocks::BlockInfo| self.i18n.block_label(info, &self.edition.lang);
        let arg = |value: Value| data.arg(value);
        let ctx = markup::Context {
            label: &label,
            data: &arg,
            image: &image,
            heading_offset: 0,
            write_space: view == View::Handout,
        };
        let converted = markup::convert(&shown, &ctx);
        images.extend(used.into_inner());
        let activities = shown
            .wrappers()
            .into_iter()
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
        let data = Data::default();
        let mut main = self.preamble(&data, kind, &s.doc.meta.title, &header);
        main.push_str(&self.session_markup(&data, s, number, view, &mut images));
        let path = match view {
            View::Handout => handout_path(self.edition, &m.module.slug, &s.session.slug),
            _ => guide_path(self.edition, &m.module.slug, &s.session.slug),
        };
        Job {
            path,
            edition: self.edition.clone(),
            origin: s.doc.source.name.clone(),
            main,
            data: data.into_json(),
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
        let data = Data::default();
        let mut main = self.preamble(&data, "module", &title, &title);
        let cover = data.arg(json!({
            "site": self.config.title(lang),
            "module": title,
            "number": self.numbered("module-number", number),
            "edition": edition,
            "summary": m.page.and_then(|p| p.meta.summary.as_deref()),
        }));
        main.push_str(&format!("#cover(..{cover})\n"));
        main.push_str(&format!(
            "#outline(title: {}, depth: 2)\n#pagebreak()\n",
            data.arg(self.t("contents").into())
        ));
        for (si, s) in m.sessions.iter().enumerate() {
            if si > 0 {
                main.push_str("#pagebreak()\n");
            }
            main.push_str(&self.session_markup(&data, s, si + 1, View::Guide, &mut images));
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
            data: data.into_json(),
            images,
        }
    }
}
