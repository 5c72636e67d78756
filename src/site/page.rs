//! One page's context for the templates: what every page has (title, languages and
//! variants to switch to, alternates, navigation slots, strings), a rendered body with its
//! fallback marking and block wrappers, and the template call that makes the HTML.

use super::*;

impl Site<'_> {
    pub(super) fn module_title(
        &self,
        m: &crate::variant::SelectedModule,
        edition: &Edition,
    ) -> (String, Option<String>) {
        let lang = m
            .page
            .filter(|p| p.lang != edition.lang)
            .map(|p| p.lang.clone());
        (m.title(), lang)
    }

    pub(super) fn body<M>(
        &self,
        r: Rendered,
        doc: &Doc<M>,
        edition: &Edition,
        id: &PageId,
    ) -> Body {
        let fallback = (doc.lang != edition.lang).then(|| doc.lang.clone());
        // The same page where its text is at home: the shown language's edition.
        let fallback_url = fallback.as_ref().and_then(|lang| {
            let there = Edition::new(lang, &edition.variant);
            let publishes = self
                .selections
                .get(&there)
                .is_some_and(|sel| super::paths::publishes(sel, id));
            publishes.then(|| {
                relative(
                    &page_path(edition, id),
                    &page_path(&there, id),
                    self.config.pretty_urls,
                )
            })
        });
        Body {
            html: r.html,
            fallback_name: fallback
                .as_ref()
                .map(|l| self.theme.i18n.language_in_sentence(&edition.lang, l)),
            fallback_lang: fallback,
            fallback_url,
        }
    }

    /// The opening HTML of a callout or audience block, labelled in the page's language.
    pub(super) fn block_open(&self, info: &BlockInfo, lang: &str) -> String {
        let mut classes = vec!["block".to_string()];
        if let Some(kind) = &info.callout {
            classes.push("callout".into());
            classes.push(format!("callout-{kind}"));
        }
        match info.audience {
            Some(Audience::Facilitator) => classes.push("facilitator".into()),
            Some(Audience::Participant) => classes.push("participant".into()),
            None => {}
        }
        let id = info
            .html_id
            .as_ref()
            .map(|id| format!(" id=\"{}\"", escape(id)))
            .unwrap_or_default();
        let label = self
            .theme
            .i18n
            .block_label(info, lang, crate::blocks::View::Web);
        // The label's words may fall back to another language than the page's.
        let key = match (&info.callout, info.audience) {
            (Some(kind), _) => format!("callout-{kind}"),
            (None, Some(Audience::Participant)) => "participant-notes".to_string(),
            (None, _) => "facilitator-notes".to_string(),
        };
        let label_lang = self.theme.i18n.lang_of(lang, &key);
        let mut html = format!(
            "<div class=\"{}\" role=\"note\"{id}>\n<p class=\"block-label\" lang=\"{label_lang}\">{}</p>\n",
            classes.join(" "),
            escape(&label)
        );
        if let Some(title) = &info.title {
            html.push_str(&format!("<p class=\"block-title\">{}</p>\n", escape(title)));
        }
        html
    }

    pub(super) fn common(
        &self,
        edition: &Edition,
        id: &PageId,
        path: &str,
        page_title: String,
        kind: &'static str,
    ) -> Common {
        let pretty = self.config.pretty_urls;
        let i18n = &self.theme.i18n;
        // The page a switch leads to in another edition: this page, else the nearest
        // page above it that the edition has; and whether it is this page itself.
        let target = |other: &Edition| -> (String, bool) {
            let sel = self.selections.get(other);
            let mut target = Some(id.clone());
            while let Some(t) = &target {
                if sel.is_some_and(|s| publishes(s, t)) {
                    return (page_path(other, t), t == id);
                }
                target = t.parent();
            }
            (page_path(other, &PageId::Home), *id == PageId::Home)
        };
        // The language this page's text is shown in there, where it is not that edition's.
        let shown_in = |other: &Edition| -> Option<String> {
            let sel = self.selections.get(other)?;
            let lang = match id {
                PageId::Session(m, s) => sel.session(m, s).map(|s| s.doc.lang.clone()),
                PageId::Module(m) => sel.module(m).and_then(|m| m.page).map(|p| p.lang.clone()),
                PageId::Home => sel.home.map(|h| h.lang.clone()),
                PageId::Search | PageId::Print => None,
            }?;
            (lang != other.lang).then_some(lang)
        };
        // Where a switch to `other` leads, whether that is this page translated, and the
        // language the page is shown in there: each other edition is looked at once.
        let look = |other: &Edition| {
            let (to, same) = target(other);
            let shown = shown_in(other);
            (to, same && shown.is_none(), shown)
        };
        // A switch's mark for text shown in another language: its name as a sentence says
        // it, and its code (`ES`).
        let mark = |shown: Option<&String>| {
            (
                shown.map(|lang| i18n.language_in_sentence(&edition.lang, lang)),
                shown.map(|lang| crate::config::primary_subtag(lang).to_uppercase()),
            )
        };
        // Translations of this page, this page among them: only where the same page is in
        // that language (a fallback is not a translation). With a public address they are
        // absolute, with the source language's as `x-default`.
        let href = |to: &str| match &self.config.base_url {
            Some(base) => format!("{base}{}", crate::urls::public_url(to, pretty)),
            None => relative(path, to, pretty),
        };
        let mut alternates = Vec::new();
        let languages = self
            .config
            .languages
            .iter()
            .map(|l| {
                let (to, translation, shown) = look(&Edition::new(&l.code, &edition.variant));
                if translation {
                    alternates.push(Alternate {
                        hreflang: l.code.clone(),
                        href: href(&to),
                    });
                }
                let (shown_in_name, shown_in) = mark(shown.as_ref());
                SwitchItem {
                    code: l.code.clone(),
                    name: i18n.language_name(&l.code, &l.code),
                    name_lang: l.code.clone(),
                    url: relative(path, &to, pretty),
                    current: l.code == edition.lang,
                    shown_in_name,
                    shown_in,
                }
            })
            .collect();
        let variants = self
            .config
            .variants
            .iter()
            .map(|v| {
                let (to, _, shown) = look(&Edition::new(&edition.lang, v));
                // Text in the page's own language is not marked.
                let (shown_in_name, shown_in) =
                    mark(shown.as_ref().filter(|lang| **lang != edition.lang));
                SwitchItem {
                    code: v.clone(),
                    name: i18n.variant_name(&edition.lang, v),
                    name_lang: edition.lang.clone(),
                    url: relative(path, &to, pretty),
                    current: *v == edition.variant,
                    shown_in_name,
                    shown_in,
                }
            })
            .collect();
        if self.config.base_url.is_some()
            && let Some(source) = self.config.languages.first()
            && let Some(first) = alternates.iter().find(|a| a.hreflang == source.code)
        {
            alternates.push(Alternate {
                hreflang: "x-default".into(),
                href: first.href.clone(),
            });
        }
        let current_module = match id {
            PageId::Module(m) | PageId::Session(m, _) => Some(m.clone()),
            _ => None,
        };
        let current_session = match id {
            PageId::Session(_, s) => Some(s.clone()),
            _ => None,
        };
        Common {
            kind,
            page_title,
            languages,
            variants,
            alternates,
            canonical: self
                .config
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", public_url(path, pretty))),
            current_module,
            current_session,
        }
    }

    /// What the pages of `edition` at `path`'s folder depth share (see [`Shared`]).
    pub(super) fn shared(&self, edition: &Edition, path: &str) -> Shared {
        let pretty = self.config.pretty_urls;
        let i18n = &self.theme.i18n;
        Shared {
            lang: edition.lang.clone(),
            variant: edition.variant.clone(),
            variant_name: i18n.variant_name(&edition.lang, &edition.variant),
            language_name: i18n.language_name(&edition.lang, &edition.lang),
            site_title: self.config.title(&edition.lang).to_string(),
            root: root_of(path),
            css: relative(path, "assets/aula.css", false),
            edition_home: relative(path, &page_path(edition, &PageId::Home), pretty),
            chooser: relative(path, "index.html", pretty),
            edition_root: relative(path, &format!("{}/", edition.dir()), false),
            search_page: relative(path, &page_path(edition, &PageId::Search), pretty),
            search_index: relative(path, &search_index_path(edition), false),
            search_js: relative(path, "assets/search.js", false),
            view_js: relative(path, "assets/view.js", false),
            print_page: relative(path, &page_path(edition, &PageId::Print), pretty),
            pdf: self.pdf,
        }
    }

    /// Renders a template; a template that failed to load was reported once already.
    pub(super) fn render_template(
        &self,
        name: &str,
        ctx: &tera::Context,
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        if self.theme.broken.contains(name) {
            return None;
        }
        // Straight into bytes (the output's form), in a buffer the size of a typical page.
        let mut html = Vec::with_capacity(48 * 1024);
        let start = std::time::Instant::now();
        let result = self.theme.tera.render_to(name, ctx, &mut html);
        self.spent.add(Stage::Templates, start.elapsed());
        match result {
            // Kept until the site is written: at its own size, not the buffer's (2,800
            // pages held 48 KiB each for 17 KiB of HTML). Shrunk where it lies, not copied.
            Ok(()) => {
                html.shrink_to_fit();
                Some(html)
            }
            Err(e) => {
                diags.push(template_error(&e, &self.theme.templates));
                None
            }
        }
    }
}
