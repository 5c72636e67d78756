//! Editions (a language and a variant) and the selection rule of the spec: for each session,
//! the first file that exists of `slug.V.L.md`, `slug.L.md`, then the same for each language
//! of L's fallback chain. Language comes before variant.

use crate::config::Config;
use crate::content::{Corpus, Doc, Module, PageMeta, Session, SessionMeta};

/// One published edition of the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edition {
    pub lang: String,
    pub variant: String,
}

impl Edition {
    pub fn new(lang: &str, variant: &str) -> Self {
        Edition {
            lang: lang.to_string(),
            variant: variant.to_string(),
        }
    }

    /// The edition's folder in the output, `lang/variant`: every output path of the
    /// edition starts with it (see `urls`).
    pub fn dir(&self) -> String {
        format!("{}/{}", self.lang, self.variant)
    }

    /// The edition an output path belongs to (`es/urban/m/s/index.html` → es, urban), and
    /// the rest of the path; `None` for the site's own files (`index.html`, `assets/…`).
    pub fn of_path(path: &str) -> Option<(Edition, &str)> {
        let mut parts = path.splitn(3, '/');
        let (lang, variant, rest) = (parts.next()?, parts.next()?, parts.next()?);
        Some((Edition::new(lang, variant), rest))
    }
}

/// What one edition publishes, in order.
#[derive(Debug)]
pub struct Selection<'c> {
    pub edition: Edition,
    pub home: Option<&'c Doc<PageMeta>>,
    pub modules: Vec<SelectedModule<'c>>,
    /// Each module's place in `modules`, by slug and by folder: every page looks modules
    /// up (its switches to other editions, its links), and a curriculum may have hundreds.
    by_slug: std::collections::BTreeMap<&'c str, usize>,
    by_dir: std::collections::BTreeMap<&'c str, usize>,
}

#[derive(Debug)]
pub struct SelectedModule<'c> {
    pub module: &'c Module,
    pub page: Option<&'c Doc<PageMeta>>,
    pub sessions: Vec<SelectedSession<'c>>,
}

impl SelectedModule<'_> {
    /// The module's title in an edition, the same on the web and in print: its page's
    /// title, else its slug in words (`costos-precios` → "costos precios").
    pub fn title(&self) -> String {
        self.page.map_or_else(
            || self.module.slug.replace('-', " "),
            |p| p.meta.title.clone(),
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SelectedSession<'c> {
    pub session: &'c Session,
    pub doc: &'c Doc<SessionMeta>,
}

impl SelectedSession<'_> {
    /// The text shown is in another language than the edition's.
    pub fn is_fallback(&self, edition: &Edition) -> bool {
        self.doc.lang != edition.lang
    }
}

/// Chooses, for `edition`, the file of every session and page. Drafts are left out unless
/// `drafts` is set.
pub fn select<'c>(
    corpus: &'c Corpus,
    config: &Config,
    edition: &Edition,
    drafts: bool,
) -> Selection<'c> {
    let chain = config.chain(&edition.lang);
    let page = |pages: &'c std::collections::BTreeMap<String, Doc<PageMeta>>| {
        chain.iter().find_map(|l| pages.get(*l))
    };
    let modules: Vec<SelectedModule<'c>> = corpus
        .modules
        .iter()
        .filter_map(|module| {
            let sessions: Vec<SelectedSession<'c>> = module
                .sessions
                .iter()
                .filter_map(|session| {
                    let doc = pick(session, &chain, &edition.variant)?;
                    let in_variant = doc
                        .meta
                        .variants
                        .as_ref()
                        .is_none_or(|vs| vs.contains(&edition.variant));
                    (in_variant && (drafts || !doc.meta.draft))
                        .then_some(SelectedSession { session, doc })
                })
                .collect();
            (!sessions.is_empty()).then(|| SelectedModule {
                module,
                page: page(&module.pages),
                sessions,
            })
        })
        .collect();
    // (Two folders may give one slug, `01-costos` and `02-costos`: the first is found, as
    // a search in order would; loading reported the clash, `duplicate-slug`.)
    let place = |key: fn(&'c Module) -> &'c str| {
        let mut at = std::collections::BTreeMap::new();
        for (i, m) in modules.iter().enumerate() {
            at.entry(key(m.module)).or_insert(i);
        }
        at
    };
    Selection {
        edition: edition.clone(),
        home: page(&corpus.home),
        by_slug: place(|m| m.slug.as_str()),
        by_dir: place(|m| m.dir.as_str()),
        modules,
    }
}

fn pick<'c>(session: &'c Session, chain: &[&str], variant: &str) -> Option<&'c Doc<SessionMeta>> {
    // A session has a handful of files: a scan, with no key to build, is cheapest.
    let file = |lang: &str, v: Option<&str>| {
        session
            .files
            .iter()
            .find(|(k, _)| k.lang == lang && k.variant.as_deref() == v)
            .map(|(_, doc)| &**doc)
    };
    chain
        .iter()
        .find_map(|lang| file(lang, Some(variant)).or_else(|| file(lang, None)))
}

impl<'c> Selection<'c> {
    pub fn module(&self, slug: &str) -> Option<&SelectedModule<'c>> {
        self.by_slug.get(slug).map(|&i| &self.modules[i])
    }

    /// The module in folder `dir` (`01-emprendimiento`), if the edition shows it.
    pub fn module_in(&self, dir: &str) -> Option<&SelectedModule<'c>> {
        self.by_dir.get(dir).map(|&i| &self.modules[i])
    }

    pub fn session(&self, module: &str, session: &str) -> Option<&SelectedSession<'c>> {
        self.module(module)?
            .sessions
            .iter()
            .find(|s| s.session.slug == session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_knows_its_folder_and_its_paths() {
        let e = Edition::new("quc", "altiplano");
        assert_eq!(e.dir(), "quc/altiplano");
        let path = format!("{}/m/s/handout.pdf", e.dir());
        assert_eq!(Edition::of_path(&path), Some((e, "m/s/handout.pdf")));
        assert_eq!(Edition::of_path("index.html"), None);
    }
    use crate::content::{FileKey, SessionMeta};
    use crate::source::SourceFile;
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn doc(lang: &str, variant: Option<&str>, variants: Option<Vec<&str>>) -> Doc<SessionMeta> {
        Doc {
            source: Arc::new(SourceFile::new(
                format!("{lang}-{variant:?}"),
                PathBuf::new(),
                String::new(),
            )),
            meta: SessionMeta {
                title: format!("{lang} {variant:?}"),
                variants: variants.map(|v| v.into_iter().map(String::from).collect()),
                ..SessionMeta::default()
            },
            body_start: 0,
            lang: lang.into(),
            variant: variant.map(String::from),
            parsed: Default::default(),
            released: None,
        }
    }

    fn config() -> Config {
        let text = "title: t\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\n  - code: quc\n    fallback: es\nvariants: [urban, rural, altiplano]\n";
        Config::parse(&SourceFile::new(
            "aula.yaml".into(),
            PathBuf::new(),
            text.into(),
        ))
        .unwrap()
    }

    fn corpus(files: Vec<Doc<SessionMeta>>) -> Corpus {
        let files: BTreeMap<FileKey, Box<Doc<SessionMeta>>> = files
            .into_iter()
            .map(|d| {
                (
                    FileKey {
                        lang: d.lang.clone(),
                        variant: d.variant.clone(),
                    },
                    Box::new(d),
                )
            })
            .collect();
        Corpus {
            modules: vec![Module {
                dir: "01-m".into(),
                slug: "m".into(),
                pages: BTreeMap::new(),
                sessions: vec![Session {
                    stem: "01-s".into(),
                    slug: "s".into(),
                    files,
                }],
            }],
            ..Corpus::default()
        }
    }

    fn title(c: &Corpus, lang: &str, variant: &str) -> Option<String> {
        let sel = select(c, &config(), &Edition::new(lang, variant), false);
        sel.session("m", "s").map(|s| s.doc.meta.title.clone())
    }

    #[test]
    fn language_comes_before_variant() {
        let c = corpus(vec![
            doc("es", None, None),
            doc("es", Some("altiplano"), None),
            doc("fr", None, None),
        ]);
        assert_eq!(title(&c, "fr", "altiplano").unwrap(), "fr None");
        assert_eq!(
            title(&c, "es", "altiplano").unwrap(),
            "es Some(\"altiplano\")"
        );
        assert_eq!(
            title(&c, "quc", "altiplano").unwrap(),
            "es Some(\"altiplano\")"
        );
        assert_eq!(title(&c, "quc", "rural").unwrap(), "es None");
    }

    #[test]
    fn a_session_limited_to_some_variants_is_absent_from_the_others() {
        let c = corpus(vec![doc("es", None, Some(vec!["rural"]))]);
        assert!(title(&c, "es", "rural").is_some());
        assert!(title(&c, "es", "urban").is_none());
        let sel = select(&c, &config(), &Edition::new("es", "urban"), false);
        assert!(
            sel.modules.is_empty(),
            "a module with no sessions left is absent too"
        );
    }
}
