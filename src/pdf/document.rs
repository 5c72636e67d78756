//! The Typst source of each document: a preamble that calls the theme's `aula-doc`, the
//! session's header, schedule and body (through `markup`), and for a module booklet its
//! cover and contents. The values the theme's functions get (titles, labels, objectives,
//! minutes, …) are data: a JSON file beside the document (`/data.json`), read with Typst's
//! `json` and spread into the calls (`#session-header(..data.at(1))`), so no text passes
//! as Typst source there; the body's text goes through `markup::text`.

use super::*;
use crate::doc::Target;
use crate::doc::schedule::{Schedule, clock};
use serde_json::{Value, json};

/// Where a document's data is, in its typesetter world.
pub(super) const DATA_PATH: &str = "/data.json";

/// The values one document hands to the theme's functions, in order, and what kept a
/// file it is made of from being read again as it was loaded.
#[derive(Default)]
pub(super) struct Data {
    values: std::cell::RefCell<Vec<Value>>,
    changed: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Data {
    /// Adds `value`; returns the Typst expression that reads it.
    pub(super) fn arg(&self, value: Value) -> String {
        let mut values = self.values.borrow_mut();
        values.push(value);
        format!("data.at({})", values.len() - 1)
    }

    /// The values as JSON, and the files that changed since they were loaded (a document
    /// made of one is not typeset: its text would be missing).
    pub(super) fn finish(self) -> (Vec<u8>, Vec<Diagnostic>) {
        let json = serde_json::to_vec(&self.values.into_inner()).unwrap_or_default();
        (json, self.changed.into_inner())
    }
}

/// Builds the Typst documents of one edition.
#[derive(Clone, Copy)]
pub(super) struct Generator<'a> {
    pub(super) config: &'a Config,
    pub(super) corpus: &'a Corpus,
    pub(super) i18n: &'a I18n,
    pub(super) edition: &'a Edition,
    /// Pages are half sheets (a workbook's): less is kept off a page break.
    pub(super) half: bool,
}

impl Generator<'_> {
    fn t(&self, key: &str) -> String {
        self.i18n.text(&self.edition.lang, key)
    }

    /// `45 minutos`; from an hour on with the hours too, `90 minutos (1 h 30)`.
    fn minutes(&self, n: u32) -> String {
        let words = self
            .i18n
            .get(
                &self.edition.lang,
                "minutes",
                &[("n", fluent_bundle::FluentValue::from(n))],
            )
            .unwrap_or_else(|| format!("{n} min"));
        match (n / 60, n % 60) {
            (0, _) => words,
            (h, 0) => format!("{words} ({h}\u{a0}h)"),
            (h, m) => format!("{words} ({h}\u{a0}h\u{a0}{m:02})"),
        }
    }

    /// A label followed by a colon, spaced as the language writes it (`Durée\u{202f}:`).
    fn colon(&self, key: &str) -> String {
        let space = if crate::config::primary_subtag(&self.edition.lang) == "fr" {
            "\u{202f}"
        } else {
            ""
        };
        format!("{}{space}:", self.t(key))
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

    /// The paper of the edition's language: its full sheet, and the half sheet a
    /// booklet's pages are (A5 for A4, half-Letter for Letter).
    fn paper(&self) -> (&'static str, &'static str) {
        match self
            .config
            .language(&self.edition.lang)
            .map_or(Paper::Letter, |l| l.paper)
        {
            Paper::Letter => ("us-letter", "us-statement"),
            Paper::A4 => ("a4", "a5"),
        }
    }

    fn preamble(&self, data: &Data, kind: &str, title: &str, header: &str) -> String {
        self.preamble_on(data, kind, title, header, self.paper().0)
    }

    fn preamble_on(
        &self,
        data: &Data,
        kind: &str,
        title: &str,
        header: &str,
        paper: &str,
    ) -> String {
        let lang = &self.edition.lang;
        let footer = self
            .i18n
            .edition_line(self.edition, self.config.title(lang));
        // Typst knows hyphenation patterns for es and fr; for K'iche' there are none, and a
        // word is never broken at its glottal apostrophe. Handouts are read by people who
        // are learning to read fluently: their words are never broken.
        // Typst knows languages by their primary subtag (`es` of `es-gt`).
        let primary = crate::config::primary_subtag(lang);
        let hyphenate = matches!(primary, "es" | "fr") && kind != "handout";
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
        module: &str,
        s: &SelectedSession,
        number: usize,
        view: View,
        images: &mut Vec<String>,
    ) -> String {
        let doc = s.doc;
        let mut out = String::new();
        let fallback = s.is_fallback(self.edition).then(|| doc.lang.clone());
        // With a public address, a code that leads back to the session's web page.
        let page = self.config.base_url.as_ref().map(|base| {
            let id = crate::urls::PageId::Session(module.to_string(), s.session.slug.clone());
            let path = crate::urls::page_path(self.edition, &id);
            format!(
                "{base}{}",
                crate::urls::public_url(&path, self.config.pretty_urls)
            )
        });
        let qr = page.as_deref().and_then(super::qr::svg);
        let header = data.arg(json!({
            "qr": qr,
            "address": page.as_deref().map(super::qr::address),
            "number": self.numbered("session-number", number),
            "title": doc.meta.title,
            "title-lang": fallback.as_deref().map(crate::config::primary_subtag),
            "duration": doc.meta.duration.map(|d| self.minutes(d)),
            "objectives": doc.meta.objectives,
            "materials": if view == View::Handout { &[][..] } else { &doc.meta.materials[..] },
            // Participants write their name and the date on their own sheet.
            "name-line": (view == View::Handout).then(|| [self.colon("name"), self.colon("date")]),
            "labels": {
                "duration": self.colon("duration"),
                "web": self.colon("on-the-web"),
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
        if doc.meta.sample {
            let notice = self.t("sample-notice");
            out.push_str(&format!("#fallback-notice({})\n", data.arg(notice.into())));
        }
        let (body, schedule) = self.body(data, doc, view, images);
        if view == View::Guide {
            out.push_str(&self.schedule_table(data, &schedule, doc.meta.duration));
        }
        match &fallback {
            Some(lang) => out.push_str(&format!(
                "#text(lang: {})[\n{body}\n]\n",
                data.arg(crate::config::primary_subtag(lang).into())
            )),
            None => out.push_str(&body),
        }
        // A handout a little longer than a sheet is set tighter to fit on one.
        if view == View::Handout {
            out = format!("{SHEET}\n{out}]\n");
        }
        out
    }

    /// The guide's schedule: every section and timed callout with its start and minutes,
    /// the time left unplanned where the minutes fall short of `duration`, and the total.
    fn schedule_table(&self, data: &Data, schedule: &Schedule, duration: Option<u32>) -> String {
        if !schedule.timed {
            return String::new();
        }
        let dash = "—".to_string();
        let rows: Vec<Value> = schedule
            .rows
            .iter()
            .map(|r| {
                json!([
                    clock(r.start),
                    r.title,
                    r.minutes.map_or(dash.clone(), |m| self.minutes(m)),
                    r.inside
                ])
            })
            .collect();
        let gap = duration.filter(|d| *d > schedule.total).map(|d| {
            json!([
                clock(schedule.total),
                self.t("schedule-gap"),
                self.minutes(d - schedule.total)
            ])
        });
        let total = match duration {
            Some(d) if d < schedule.total => format!(
                "{} ({} {})",
                self.minutes(schedule.total),
                self.colon("duration"),
                self.minutes(d)
            ),
            _ => self.minutes(schedule.total.max(duration.unwrap_or(0))),
        };
        let args = data.arg(json!({
            "heading-text": self.t("schedule"),
            "start": self.t("schedule-start"),
            "part": self.t("schedule-part"),
            "time": self.t("time"),
            "total": [self.t("total-duration"), total],
            "rows": rows,
            "gap": gap,
        }));
        format!("#schedule(..{args})\n")
    }

    /// The body in Typst markup, and its schedule.
    fn body<M>(
        &self,
        data: &Data,
        doc: &Doc<M>,
        view: View,
        images: &mut Vec<String>,
    ) -> (String, Schedule) {
        // Its problems were reported by the web pages, which every build renders, but for
        // a file that changed since: its body is empty, and the document is not typeset.
        let document = doc.document(self.config);
        data.changed.borrow_mut().extend(
            (document.diagnostics.iter())
                .filter(|d| d.code == crate::content::CHANGED_WHILE_BUILDING)
                .cloned(),
        );
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
        let label =
            |info: &blocks::BlockInfo| self.i18n.block_label(info, &self.edition.lang, view);
        let arg = |value: Value| data.arg(value);
        let ctx = markup::Context {
            label: &label,
            data: &arg,
            image: &image,
            heading_offset: 0,
            write_space: view == View::Handout,
            kept_whole: if self.half {
                super::boxes::KEPT_WHOLE / 2
            } else {
                super::boxes::KEPT_WHOLE
            },
        };
        let converted = markup::convert(&shown, &ctx);
        images.extend(used.into_inner());
        let schedule = shown.schedule(&|info| {
            let kind = info.callout.as_deref().unwrap_or("activity");
            self.t(&format!("callout-{kind}"))
        });
        (converted.markup, schedule)
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
        main.push_str(&self.session_markup(&data, &m.module.slug, s, number, view, &mut images));
        let path = match view {
            View::Handout => handout_path(self.edition, &m.module.slug, &s.session.slug),
            _ => guide_path(self.edition, &m.module.slug, &s.session.slug),
        };
        let (data, changed) = data.finish();
        Job {
            path,
            edition: self.edition.clone(),
            origin: s.doc.source.name.clone(),
            main,
            data,
            changed,
            images,
            extra: Vec::new(),
        }
    }

    /// Every participant handout of a module in order, each from a new page, on half
    /// sheets (A5 or half-Letter): to print as it is, and the pages a participant's
    /// workbook is imposed from.
    pub(super) fn half_pack(&self, m: &SelectedModule) -> Job {
        let generator = Generator {
            half: true,
            ..*self
        };
        generator.half_pack_on(m)
    }

    fn half_pack_on(&self, m: &SelectedModule) -> Job {
        let title = m.title();
        let mut images = Vec::new();
        let data = Data::default();
        let name = format!("{title} — {}", self.t("print-pack-title"));
        let mut main = self.preamble_on(&data, "handout", &name, &title, self.paper().1);
        main.push_str(&self.sessions_markup(&data, m, View::Handout, &mut images));
        let (data, changed) = data.finish();
        Job {
            path: pack_a5_path(self.edition, &m.module.slug),
            edition: self.edition.clone(),
            origin: module_origin(m),
            main,
            data,
            changed,
            images,
            extra: Vec::new(),
        }
    }

    /// Every session of a module in `view`, each from a new page.
    fn sessions_markup(
        &self,
        data: &Data,
        m: &SelectedModule,
        view: View,
        images: &mut Vec<String>,
    ) -> String {
        let mut out = String::new();
        for (si, s) in m.sessions.iter().enumerate() {
            if si > 0 {
                out.push_str("#pagebreak()\n");
            }
            out.push_str(&self.session_markup(data, &m.module.slug, s, si + 1, view, images));
        }
        out
    }

    /// The participants' workbook of a module: its half-sheet pack, imposed.
    pub(super) fn workbook(&self, m: &SelectedModule, path: String) -> Assembly {
        Assembly {
            path,
            parts: vec![pack_a5_path(self.edition, &m.module.slug)],
            layout: Layout::Booklet {
                instructions: self.t("booklet-instructions"),
            },
            edition: self.edition.clone(),
            origin: module_origin(m),
            paper: self.paper().0,
        }
    }

    /// A module's print pack: the pages of its handouts, as printed one by one (set
    /// tighter where that saves a sheet, numbered each on its own).
    pub(super) fn pack_of_handouts(&self, m: &SelectedModule) -> Assembly {
        let slug = &m.module.slug;
        Assembly {
            path: pack_path(self.edition, slug),
            parts: m
                .sessions
                .iter()
                .map(|s| handout_path(self.edition, slug, &s.session.slug))
                .collect(),
            layout: Layout::InOrder {
                title: format!("{} — {}", m.title(), self.t("print-pack-title")),
            },
            edition: self.edition.clone(),
            origin: module_origin(m),
            paper: self.paper().0,
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
            "facts": format!(
                "{} · {}",
                self.numbered("session-count", m.sessions.len()),
                self.minutes(m.sessions.iter().filter_map(|s| s.doc.meta.duration).sum())
            ),
        }));
        main.push_str(&format!("#cover(..{cover})\n"));
        // What a facilitator prepares the module from, before the sessions: its
        // objectives and introduction, each session's time and materials, the contents.
        let overview = data.arg(json!({
            "objectives-label": self.t("objectives"),
            "objectives": m.page.map(|p| &p.meta.objectives[..]).unwrap_or_default(),
            "sessions-label": self.t("sessions"),
            "headers": [self.t("sessions"), self.t("duration"), self.t("materials")],
            "sessions": m.sessions.iter().enumerate().map(|(i, s)| json!([
                self.numbered("session-number", i + 1),
                s.doc.meta.title,
                s.doc.meta.duration.map(|d| self.minutes(d)),
                s.doc.meta.materials,
            ])).collect::<Vec<_>>(),
            "total": [
                self.t("total-duration"),
                self.minutes(m.sessions.iter().filter_map(|s| s.doc.meta.duration).sum()),
            ],
            "contents": self.t("contents"),
        }));
        let intro = m.page.map_or_else(String::new, |p| {
            self.body(&data, p, View::Guide, &mut images).0
        });
        main.push_str(&format!("#module-overview(..{overview})[\n{intro}\n]\n"));
        main.push_str(&self.sessions_markup(&data, m, View::Guide, &mut images));
        let origin = module_origin(m);
        let (data, changed) = data.finish();
        Job {
            path: booklet_path(self.edition, &m.module.slug),
            edition: self.edition.clone(),
            origin,
            main,
            data,
            changed,
            images,
            extra: Vec::new(),
        }
    }
}

/// Where each page of a booklet of `pages` pages goes: sheet sides in printing order, each
/// (left, right) as 1-based page numbers, `None` for the blank pages that make the count a
/// multiple of four. Folded in the middle and stapled, the sheets read 1, 2, 3 … in order.
pub(super) fn booklet_sides(pages: usize) -> Vec<[Option<usize>; 2]> {
    let n = pages.div_ceil(4).max(1) * 4;
    let page = |p: usize| (p <= pages).then_some(p);
    let mut sides = Vec::with_capacity(n / 2);
    for sheet in 0..n / 4 {
        sides.push([page(n - 2 * sheet), page(2 * sheet + 1)]);
        sides.push([page(2 * sheet + 2), page(n - 2 * sheet - 1)]);
    }
    sides
}

/// The source file a module's documents are reported at.
fn module_origin(m: &SelectedModule) -> String {
    m.page.map_or_else(
        || format!("content/{}", m.module.dir),
        |p| p.source.name.clone(),
    )
}

/// The document `a`, from its parts' PDFs and their page counts: each part is a file of
/// the document's world (`/part-0.pdf` …), its pages placed as images (vector, text kept).
pub(super) fn assemble(a: &Assembly, parts: Vec<(Bytes, usize)>) -> Job {
    let counts: Vec<usize> = parts.iter().map(|(_, n)| *n).collect();
    let extra = parts
        .into_iter()
        .enumerate()
        .map(|(i, (bytes, _))| (format!("/part-{i}.pdf"), bytes))
        .collect();
    let (data, body) = match &a.layout {
        Layout::InOrder { title } => (
            json!({ "paper": a.paper, "title": title, "pages": counts }),
            "#set document(title: data.title)\n\
             #set page(paper: data.paper, margin: 0pt)\n\
             #for (i, count) in data.pages.enumerate() {\n\
             \x20 for p in range(1, count + 1) {\n\
             \x20   if i > 0 or p > 1 { pagebreak() }\n\
             \x20   image(\"/part-\" + str(i) + \".pdf\", page: p, width: 100%, height: 100%)\n\
             \x20 }\n\
             }\n",
        ),
        Layout::Booklet { instructions } => (
            json!({
                "paper": a.paper,
                "instructions": instructions,
                "sides": booklet_sides(counts.first().copied().unwrap_or(0)),
            }),
            "#set document(title: none)\n\
             #set page(paper: data.paper, flipped: true, margin: 0pt)\n\
             #set text(font: (\"Andika\",), size: 9pt)\n\
             #for (i, side) in data.sides.enumerate() {\n\
             \x20 if i > 0 { pagebreak() }\n\
             \x20 grid(columns: (1fr, 1fr), rows: 100%, ..side.map(p => if p == none { [] } else { image(\"/part-0.pdf\", page: p, width: 100%, height: 100%, fit: \"contain\") }))\n\
             \x20 if i == 0 { place(top + center, dy: 4mm, box(fill: white, inset: 3pt, text(weight: \"bold\", data.instructions))) }\n\
             }\n",
        ),
    };
    Job {
        path: a.path.clone(),
        edition: a.edition.clone(),
        origin: a.origin.clone(),
        main: format!("#let data = json(\"{DATA_PATH}\")\n{body}"),
        data: serde_json::to_vec(&data).unwrap_or_default(),
        images: Vec::new(),
        extra,
        // Its parts are typeset, from files read as they were loaded.
        changed: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::booklet_sides;

    #[test]
    fn booklet_pages_fall_in_saddle_stitch_order() {
        // Six pages: two sheets, eight sides' halves, pages 7 and 8 blank.
        assert_eq!(
            booklet_sides(6),
            vec![
                [None, Some(1)],
                [Some(2), None],
                [Some(6), Some(3)],
                [Some(4), Some(5)],
            ]
        );
        // Every page once, and each sheet's halves add up as a fold needs.
        for pages in 1..40 {
            let sides = booklet_sides(pages);
            assert_eq!(sides.len() % 2, 0);
            let mut seen: Vec<usize> = sides.iter().flatten().flatten().copied().collect();
            seen.sort();
            assert_eq!(seen, (1..=pages).collect::<Vec<_>>());
            let n = sides.len() * 2;
            for [l, r] in &sides {
                if let (Some(l), Some(r)) = (l, r) {
                    assert_eq!(l + r, n + 1);
                }
            }
        }
    }
}
