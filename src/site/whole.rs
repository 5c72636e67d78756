//! The pages of the whole site rather than of one edition: the chooser (`index.html`),
//! the 404 page and, with `base_url`, the sitemap.

use super::*;

impl Site<'_> {
    pub(super) fn render_chooser(&self, out: &mut Output, diags: &mut Diagnostics) {
        let i18n = &self.theme.i18n;
        let pretty = self.config.pretty_urls;
        // Honest about what is published: the share of sessions whose translation is up
        // to date with its source (a stale or sample one is not counted).
        let shares = crate::translation::status::status(self.config, self.corpus, i18n).share;
        let languages = self
            .config
            .languages
            .iter()
            .map(|l| ChooserLanguage {
                code: l.code.clone(),
                name: i18n.language_name(&l.code, &l.code),
                title: self.config.title(&l.code).to_string(),
                intro: i18n.text(&l.code, "chooser-intro"),
                intro_lang: i18n.lang_of(&l.code, "chooser-intro"),
                share: (l.code != self.config.source_language()).then(|| {
                    let percent = shares.get(&l.code).map_or(0, |s| s.percent).to_string();
                    i18n.get(&l.code, "translated-share", &[("percent", percent.into())])
                        .unwrap_or_default()
                }),
                share_lang: i18n.lang_of(&l.code, "translated-share"),
                editions: self
                    .config
                    .variants
                    .iter()
                    .filter(|v| self.editions.contains(&Edition::new(&l.code, v)))
                    .map(|v| {
                        let key = format!("variant-{v}-about");
                        ChooserEdition {
                            name: i18n.variant_name(&l.code, v),
                            // Said only in the language itself: the list is for its readers.
                            about: (i18n.lang_of(&l.code, &key) == l.code)
                                .then(|| i18n.get(&l.code, &key, &[]))
                                .flatten(),
                            url: relative(
                                "index.html",
                                &page_path(&Edition::new(&l.code, v), &PageId::Home),
                                pretty,
                            ),
                        }
                    })
                    .collect(),
            })
            .filter(|l| !l.editions.is_empty())
            .collect();
        let page = ChooserPage {
            lang: self.config.source_language().to_string(),
            site_title: self.config.title(self.config.source_language()).to_string(),
            root: String::new(),
            css: "assets/aula.css".into(),
            languages,
        };
        let ctx = context_of(&page);
        if let Some(html) = self.render_template("chooser.html", &ctx, diags) {
            out.insert("index.html", html);
        }
    }

    pub(super) fn render_404(&self, out: &mut Output, diags: &mut Diagnostics) {
        let lang = self.config.source_language();
        // A 404 page is served at any depth: with a base_url its links are absolute, else
        // they are relative to the site's root (correct when the site is at a host's root).
        let (root, css) = match &self.config.base_url {
            Some(b) => (b.clone(), format!("{b}assets/aula.css")),
            None => (String::new(), "assets/aula.css".to_string()),
        };
        let page = ChooserPage {
            lang: lang.to_string(),
            site_title: self.config.title(lang).to_string(),
            root,
            css,
            languages: Vec::new(),
        };
        let ctx = context_of(&page);
        if let Some(html) = self.render_template("404.html", &ctx, diags) {
            out.insert("404.html", html);
        }
    }

    pub(super) fn sitemap(&self, out: &Output) -> String {
        let base = self.config.base_url.clone().unwrap_or_default();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for path in out.files.keys().filter(|p| p.ends_with("index.html")) {
            xml.push_str(&format!(
                "  <url><loc>{}{}</loc></url>\n",
                escape(&base),
                escape(&public_url(path, self.config.pretty_urls))
            ));
        }
        xml.push_str("</urlset>\n");
        xml
    }
}
