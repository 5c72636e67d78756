//! The typesetter's view of the world: in-memory sources, images from the corpus, fonts
//! compiled into aula, and a fixed "today". Nothing here touches the file system or the
//! clock, so a PDF depends only on its inputs.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts shared by every document: Typst's own and the theme's.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    pub fn new(extra: &[Vec<u8>]) -> Fonts {
        let fonts: Vec<Font> = extra
            .iter()
            .map(|data| Bytes::new(data.clone()))
            .chain(typst_assets::fonts().map(Bytes::new))
            .flat_map(Font::iter)
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// A stable file id for a virtual path: ids are interned for the life of the process, so
/// the same few paths are reused by every document.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// One document to typeset.
pub struct PdfWorld {
    fonts: Arc<Fonts>,
    main: FileId,
    sources: Vec<Source>,
    files: Arc<BTreeMap<String, Bytes>>,
    /// The document's own file (its data), by virtual path.
    own: (String, Bytes),
    today: Datetime,
}

impl PdfWorld {
    /// `sources`: virtual path → Typst text (the first is the main file).
    /// `files`: virtual path → bytes (images), shared by documents; `own`: one more file,
    /// this document's.
    pub fn new(
        fonts: Arc<Fonts>,
        sources: &[(&str, &str)],
        files: Arc<BTreeMap<String, Bytes>>,
        own: (&str, Bytes),
        today: Datetime,
    ) -> Option<PdfWorld> {
        let mut list = Vec::new();
        let mut main = None;
        for (path, text) in sources {
            let id = file_id(path)?;
            main.get_or_insert(id);
            list.push(Source::new(id, text.to_string()));
        }
        Some(PdfWorld {
            fonts,
            main: main?,
            sources: list,
            files,
            own: (own.0.to_string(), own.1),
            today,
        })
    }
}

impl World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.get().vpath().get_with_slash();
        if path == self.own.0 {
            return Ok(self.own.1.clone());
        }
        self.files.get(path).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_with_slash().into())
}
