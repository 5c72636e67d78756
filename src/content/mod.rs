//! The curriculum as loaded from `content/`: one owned [`Corpus`] of modules, sessions and
//! their per-language (and per-variant) files, read once; a build that writes as it goes
//! keeps only their front matter, and reads each body again, checked to be as it was, when
//! it is parsed ([`Doc::release_body`]).
//!
//! Loading walks the folder in sorted order, strips order prefixes into slugs, parses front
//! matter and reports every problem it finds; it does not choose which file an edition
//! uses (that is `variant::select`).

pub mod frontmatter;
mod load;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use frontmatter::{PageMeta, SessionMeta};
pub use load::load;

use crate::source::SourceFile;

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Corpus {
    /// `_index.L.md` by language.
    pub home: BTreeMap<String, Doc<PageMeta>>,
    pub modules: Vec<Module>,
    /// Every non-Markdown file, by its path relative to `content/` (`/`-separated).
    pub assets: BTreeMap<String, PathBuf>,
}

impl Corpus {
    /// Every Markdown file (home pages, module pages, session files) with the source hash
    /// it records, if it is a stamped translation.
    pub fn files(&self) -> impl Iterator<Item = (&SourceFile, Option<&str>)> {
        let pages = (self.home.values())
            .chain(self.modules.iter().flat_map(|m| m.pages.values()))
            .map(|d| (&*d.source, d.meta.source_hash.as_deref()));
        let sessions = (self.modules.iter())
            .flat_map(|m| &m.sessions)
            .flat_map(|s| s.files.values())
            .map(|d| (&*d.source, d.meta.source_hash.as_deref()));
        pages.chain(sessions)
    }
}

/// A module folder, such as `01-emprendimiento/`.
#[derive(Debug)]
pub struct Module {
    /// Folder name, relative to `content/`.
    pub dir: String,
    pub slug: String,
    /// `_module.L.md` by language.
    pub pages: BTreeMap<String, Doc<PageMeta>>,
    pub sessions: Vec<Session>,
}

impl Module {
    /// Its files let their parsed bodies go, once a stage is done with the module (the
    /// web pages of every edition, or its PDFs): the next stage that wants one parses it
    /// again.
    pub fn forget_documents(&self) {
        for doc in self.pages.values() {
            doc.forget_document();
        }
        for doc in self.sessions.iter().flat_map(|s| s.files.values()) {
            doc.forget_document();
        }
    }
}

/// One session and all the files that can stand for it.
#[derive(Debug)]
pub struct Session {
    /// File name without language, variant and `.md`, e.g. `01-mi-negocio`.
    pub stem: String,
    pub slug: String,
    pub files: BTreeMap<FileKey, Box<Doc<SessionMeta>>>,
}

/// Which language, and which variant override, a session file is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileKey {
    pub lang: String,
    pub variant: Option<String>,
}

/// A parsed Markdown file: its front matter and where its body starts.
#[derive(Debug, Clone)]
pub struct Doc<M> {
    pub source: Arc<SourceFile>,
    pub meta: M,
    pub body_start: usize,
    pub lang: String,
    pub variant: Option<String>,
    /// Its body, parsed the first time a stage asks (see [`Doc::document`]), until a build
    /// that has no more use for it forgets it ([`Doc::forget_document`]).
    pub parsed: Parsed,
    /// Set when `source` holds only the front matter, its body let go after loading: what
    /// the whole text was, to read it again only as it was.
    pub released: Option<Released>,
}

/// The code of the error a file gets when it is not, read again, the text that was loaded.
pub const CHANGED_WHILE_BUILDING: &str = "changed-while-building";

/// A file's whole text, as it was when loaded: its length and SHA-256, and the hash a
/// translation records of it.
#[derive(Debug, Clone)]
pub struct Released {
    len: usize,
    digest: [u8; 32],
    source_hash: String,
}

impl Released {
    fn of(text: &str) -> Released {
        use sha2::Digest;
        let digest: [u8; 32] = sha2::Sha256::digest(text.as_bytes()).into();
        // The translation hash is of the text with LF line endings: the same digest when
        // the file has no CR.
        let source_hash = if text.contains('\r') {
            crate::translation::status::source_hash(text)
        } else {
            crate::translation::status::short_hash(&digest)
        };
        Released {
            len: text.len(),
            digest,
            source_hash,
        }
    }

    /// Whether `text` is the text loaded: its length first, then its digest.
    fn matches(&self, text: &str) -> bool {
        use sha2::Digest;
        text.len() == self.len && sha2::Sha256::digest(text.as_bytes())[..] == self.digest
    }
}

/// A file's parsed body, when it is held (a clone shares it).
#[derive(Debug, Default)]
pub struct Parsed(std::sync::Mutex<Option<Arc<crate::doc::Document>>>);

impl Parsed {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<crate::doc::Document>>> {
        match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Clone for Parsed {
    fn clone(&self) -> Self {
        Parsed(std::sync::Mutex::new(self.lock().clone()))
    }
}

impl<M> Doc<M> {
    /// The body, parsed once for every edition, the web page and each PDF: they are views
    /// of it.
    pub fn document(&self, config: &crate::config::Config) -> Arc<crate::doc::Document> {
        let mut parsed = self.parsed.lock();
        Arc::clone(parsed.get_or_insert_with(|| Arc::new(self.parse(config))))
    }

    fn parse(&self, config: &crate::config::Config) -> crate::doc::Document {
        let Some(released) = &self.released else {
            return crate::doc::Document::new(Arc::clone(&self.source), self.body_start, config);
        };
        let (name, path) = (&self.source.name, &self.source.path);
        match load::reread(path).filter(|text| released.matches(text)) {
            Some(text) => crate::doc::Document::new(
                Arc::new(SourceFile::new(name.clone(), path.clone(), text)),
                self.body_start,
                config,
            ),
            // Never another text than the one loaded: the body is left empty, and the
            // build fails.
            None => {
                let mut doc =
                    crate::doc::Document::new(Arc::clone(&self.source), self.body_start, config);
                doc.diagnostics.push(
                    crate::diag::Diagnostic::error(
                        CHANGED_WHILE_BUILDING,
                        "this file changed, or could not be read again, while aula was building",
                    )
                    .in_file(name.clone())
                    .with_help("build again: aula reads every file once more, as it is now"),
                );
                doc
            }
        }
    }

    /// Lets the body's text go, keeping the front matter: the body is read again from disk
    /// when it is parsed, and used only if the file is still the one loaded (else the
    /// build fails, naming the file). What a build holds then does not grow with the text
    /// of the whole curriculum.
    pub(crate) fn release_body(&mut self) {
        let text = &self.source.text;
        if self.released.is_some() || self.body_start >= text.len() {
            return;
        }
        self.released = Some(Released::of(text));
        let head = text[..self.body_start].to_string();
        self.source = Arc::new(SourceFile::new(
            self.source.name.clone(),
            self.source.path.clone(),
            head,
        ));
        self.parsed = Default::default();
    }

    /// The hash a translation of this file records of it (see
    /// [`crate::translation::status::source_hash`]).
    pub fn source_hash(&self) -> std::borrow::Cow<'_, str> {
        match &self.released {
            Some(r) => std::borrow::Cow::Borrowed(&r.source_hash),
            None => {
                std::borrow::Cow::Owned(crate::translation::status::source_hash(&self.source.text))
            }
        }
    }

    /// Lets the parsed body go (the next [`Doc::document`] parses it again): a build
    /// forgets each session once every edition showing it is rendered.
    pub fn forget_document(&self) {
        *self.parsed.lock() = None;
    }

    /// Replaces the file's text (an edit in `serve`), forgetting what was parsed of it.
    pub fn replace_source(&mut self, source: SourceFile, body_start: usize) {
        self.source = Arc::new(source);
        self.body_start = body_start;
        self.parsed = Default::default();
        self.released = None;
    }
}

/// What re-reading one changed file did to the corpus.
#[derive(Debug, PartialEq, Eq)]
pub enum Reload {
    /// Only this session's body changed (module slug, session slug): its pages are all
    /// that need rendering again.
    Body(String, String),
    /// Its front matter changed, but not where it is published (`variants`, `draft`): the
    /// module's pages, which list its title and duration, need rendering again.
    Listing(String),
    /// Anything else (a new or removed file, a module page, publication): rebuild all.
    Everything,
}

impl Corpus {
    /// Whether `path` is one of the session files loaded.
    pub fn has_session_file(&self, path: &std::path::Path) -> bool {
        self.modules
            .iter()
            .flat_map(|m| &m.sessions)
            .flat_map(|s| s.files.values())
            .any(|d| d.source.path == path)
    }

    /// Re-reads the session file at `path` (as loaded: the same absolute path) in place.
    pub fn reload(&mut self, path: &std::path::Path) -> Reload {
        for m in &mut self.modules {
            for s in &mut m.sessions {
                for doc in s.files.values_mut() {
                    if doc.source.path != path {
                        continue;
                    }
                    let Ok(Ok(text)) = crate::files::read_regular(path, crate::files::TEXT_LIMIT)
                        .map(String::from_utf8)
                    else {
                        return Reload::Everything;
                    };
                    let file = SourceFile::new(doc.source.name.clone(), path.to_path_buf(), text);
                    return match frontmatter::parse::<SessionMeta>(&file) {
                        Ok((meta, body_start)) if meta == doc.meta => {
                            doc.replace_source(file, body_start);
                            Reload::Body(m.slug.clone(), s.slug.clone())
                        }
                        Ok((meta, body_start))
                            if meta.variants == doc.meta.variants
                                && meta.draft == doc.meta.draft =>
                        {
                            doc.replace_source(file, body_start);
                            doc.meta = meta;
                            Reload::Listing(m.slug.clone())
                        }
                        _ => Reload::Everything,
                    };
                }
            }
        }
        Reload::Everything
    }
}

/// Splits `01-mi-negocio` into its order and slug; `None` order for unnumbered names.
pub fn order_and_slug(name: &str) -> (Option<u64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = name[digits..].strip_prefix('-')
        && !rest.is_empty()
    {
        return (name[..digits].parse().ok(), rest);
    }
    (None, name)
}

#[cfg(test)]
mod tests {
    use super::order_and_slug;
    use crate::diag::Diagnostics;

    /// A project whose one session, `content/01-m/01-s.es.md`, has CRLF line endings.
    fn project() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("content/01-m");
        std::fs::create_dir_all(&module).unwrap();
        let file = module.join("01-s.es.md");
        let text = "---\r\ntitle: Ganancia\r\n---\r\n\r\nEl precio de venta.\r\n";
        std::fs::write(&file, text).unwrap();
        (dir, file)
    }

    fn session(corpus: &super::Corpus) -> &super::Doc<super::SessionMeta> {
        corpus.modules[0].sessions[0].files.values().next().unwrap()
    }

    #[test]
    fn a_released_body_is_read_again_as_it_was_and_only_so() {
        let (dir, file) = project();
        let config = crate::doc::test_config();
        let mut diags = Diagnostics::default();
        let held = super::load(dir.path(), &config, false, &mut diags);
        let released = super::load(dir.path(), &config, true, &mut diags);
        assert!(!diags.has_errors());
        // Only the front matter is held; the body parsed from disk is the same.
        let doc = session(&released);
        assert_eq!(doc.source.text.len(), doc.body_start);
        assert!(session(&held).source.text.len() > doc.body_start);
        let (a, b) = (session(&held).document(&config), doc.document(&config));
        assert_eq!(a.source.text, b.source.text);
        assert!(b.diagnostics.is_empty());
        // Changed since it was loaded: its body is not used, and the build is told.
        doc.forget_document();
        std::fs::write(&file, "---\ntitle: Ganancia\n---\n\nOtro texto.\n").unwrap();
        let changed = doc.document(&config);
        assert!(!changed.source.text.contains("Otro"));
        assert!(changed.diagnostics.has_code("changed-while-building"));
        assert!(changed.diagnostics.has_errors());
        // Gone since: the same.
        doc.forget_document();
        std::fs::remove_file(&file).unwrap();
        assert!(
            doc.document(&config)
                .diagnostics
                .has_code("changed-while-building")
        );
    }

    #[test]
    fn order_prefixes_are_stripped() {
        assert_eq!(order_and_slug("01-mi-negocio"), (Some(1), "mi-negocio"));
        assert_eq!(order_and_slug("anexo"), (None, "anexo"));
        assert_eq!(order_and_slug("2024"), (None, "2024"));
    }
}
