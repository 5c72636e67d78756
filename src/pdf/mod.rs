//! Printable PDFs: for every edition, each session's participant handout and facilitator
//! guide, and each module's booklet (the guides of all its sessions, with a cover, a table
//! of contents and bookmarks).
//!
//! The same filtered Markdown as the web page (see `blocks`) is turned into Typst markup
//! (`markup`), wrapped in a small document that calls the theme's `pdf/aula.typ`, and
//! typeset by Typst behind our own `World` (`world`): fonts compiled in, no clock, no
//! network. A document whose inputs hash to a PDF in the cache is not typeset again.

mod boxes;
mod budget;
mod document;
mod fit;
mod markup;
mod plan;
mod qr;
mod typeset;
mod world;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use typst::WorldExt;
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;

use crate::blocks::{self, View};
use crate::config::{Config, Paper};
use crate::content::{Corpus, Doc};
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::I18n;
use crate::source::SourceFile;
use crate::theme::Theme;
use crate::urls::{booklet_path, guide_path, handout_path, pack_a5_path, pack_path};
use crate::variant::{Edition, SelectedModule, SelectedSession};

pub use fit::page_count;
use fit::{SHEET, spilling_sheets, tightened};
use plan::{Jobs, Maker};
use world::{Fonts, PdfWorld};

const TEMPLATE_PATH: &str = "/theme/aula.typ";
/// The typesetter's version (part of the cache key; a test holds it to `Cargo.lock`).
const TYPST_VERSION: &str = "0.15.1";

/// A document ready to typeset.
struct Job {
    path: String,
    edition: Edition,
    /// The source file the document is mostly made of, for error messages.
    origin: String,
    main: String,
    /// The values given to the theme's functions, as JSON (see `document`).
    data: Vec<u8>,
    images: Vec<String>,
    /// Files the document reads besides images: the PDFs whose pages it assembles.
    extra: Vec<(String, Bytes)>,
    /// Why a file it is made of could not be read again as it was loaded: the document
    /// is not typeset, and the build fails.
    changed: Vec<Diagnostic>,
}

/// A document made of the pages of others, once those are typeset.
struct Assembly {
    path: String,
    /// The output paths of the documents whose pages it takes, in order.
    parts: Vec<String>,
    layout: Layout,
    edition: Edition,
    origin: String,
    /// The full sheet.
    paper: &'static str,
}

enum Layout {
    /// Every page as it is, one after the other: a module's print pack of its handouts.
    InOrder { title: String },
    /// Two half pages per side of a landscape sheet, in the order a fold needs: a
    /// saddle-stitched booklet, with the printer's instructions on its first side.
    Booklet { instructions: String },
}

/// PDFs by output path, and how many were typeset (the rest came from the cache).
#[derive(Default)]
pub struct Typeset {
    /// PDFs held in memory, by output path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// PDFs already written into the staging folder (see [`Prepared::typeset`]).
    pub staged: BTreeMap<String, crate::output::Staged>,
    /// Each PDF's number of pages (for the print centre).
    pub pages: BTreeMap<String, usize>,
    /// Content hash of each file, for the cache.
    pub hashes: BTreeMap<String, String>,
    pub typeset: usize,
    pub reused: usize,
}

/// What to typeset, and how.
pub struct Request<'a> {
    pub config: &'a Config,
    pub corpus: &'a Corpus,
    pub theme: &'a Theme,
    pub editions: &'a [Edition],
    pub drafts: bool,
    /// The documents' date (see [`date`]); `None` when `SOURCE_DATE_EPOCH` was unusable.
    pub date: Option<Datetime>,
    /// A folder of earlier PDFs by content hash.
    pub cache: Option<&'a Path>,
    /// Only these output paths (`serve` typesets a PDF when it is asked for).
    pub only: Option<&'a std::collections::BTreeSet<String>>,
    /// Where each PDF goes as soon as it is typeset (and into the cache), so that a build
    /// does not hold its PDFs in memory.
    pub staging: Option<&'a crate::output::Staging>,
}

/// The Typst source of each requested document, by output path: what the typesetter is
/// given (its snapshots pin the contract between aula and the PDF template).
pub fn sources(request: &Request) -> BTreeMap<String, String> {
    let maker = Maker::new(request);
    (maker.specs(request.only).0.into_iter())
        .map(|spec| maker.make(spec))
        .map(|j| {
            let data: serde_json::Value = serde_json::from_slice(&j.data).unwrap_or_default();
            let data = serde_json::to_string_pretty(&data).unwrap_or_default();
            (
                j.path,
                format!("{}\n// {}\n{data}\n", j.main, document::DATA_PATH),
            )
        })
        .collect()
}

/// Typesets every PDF of the requested editions, each document made when it is typeset.
pub fn typeset(request: &Request, diags: &mut Diagnostics) -> Typeset {
    let Some(setting) = setting(request, diags) else {
        return Typeset::default();
    };
    let maker = Maker::new(request);
    let (specs, assemblies) = maker.specs(request.only);
    let prepared = Prepared {
        jobs: Jobs::Later(maker, specs),
        assemblies,
        images: Images::later(request.corpus),
        setting,
    };
    prepared.typeset(request.cache, request.staging, diags)
}

/// Documents ready to typeset, with everything they need: made already and nothing of
/// the project (`'static`: a caller that holds the project locked, `serve`, prepares
/// under the lock and typesets after releasing it), or made as they are typeset.
pub struct Prepared<'a> {
    jobs: Jobs<'a>,
    assemblies: Vec<Assembly>,
    images: Images<'a>,
    setting: Setting,
}

/// What every document is typeset with: the template, the fonts and the date.
struct Setting {
    template: SourceFile,
    fonts: Arc<Fonts>,
    date: Datetime,
    /// The hash of all of these (see [`setting`]).
    shared: String,
}

/// The images documents show, each read once, by its path in the documents' world
/// (`/files/<content path>`): all read before typesetting when the documents are made, else
/// each the first time a document needs it.
struct Images<'a> {
    read: std::sync::Mutex<BTreeMap<String, Bytes>>,
    /// Where the images not read yet are (content path to file).
    corpus: Option<&'a Corpus>,
}

impl<'a> Images<'a> {
    /// None read yet: each is read from `corpus` when a document first needs it.
    fn later(corpus: &'a Corpus) -> Images<'a> {
        Images {
            read: Default::default(),
            corpus: Some(corpus),
        }
    }

    /// Every image of `jobs`, read now.
    fn of_all(jobs: &[Job], corpus: &Corpus) -> Images<'static> {
        let later = Images::later(corpus);
        for job in jobs {
            later.of(job);
        }
        let read = later.read.into_inner();
        Images {
            read: std::sync::Mutex::new(read.unwrap_or_else(std::sync::PoisonError::into_inner)),
            corpus: None,
        }
    }

    /// The images of `job` that can be read.
    fn of(&self, job: &Job) -> BTreeMap<String, Bytes> {
        let mut read = self
            .read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut of = BTreeMap::new();
        for content_path in &job.images {
            let key = format!("/files/{content_path}");
            if !read.contains_key(&key)
                && let Some(path) = self.corpus.and_then(|c| c.assets.get(content_path))
                && let Ok(bytes) = crate::files::read_regular(path, crate::files::ASSET_LIMIT)
            {
                read.insert(key.clone(), Bytes::new(bytes));
            }
            if let Some(bytes) = read.get(&key) {
                of.insert(key, bytes.clone());
            }
        }
        of
    }
}

/// The documents of `request`, made now, their images read, the template and the fonts.
pub fn prepare(request: &Request, diags: &mut Diagnostics) -> Option<Prepared<'static>> {
    let setting = setting(request, diags)?;
    let maker = Maker::new(request);
    let (specs, assemblies) = maker.specs(request.only);
    let jobs: Vec<Job> = specs.into_iter().map(|s| maker.make(s)).collect();
    Some(Prepared {
        images: Images::of_all(&jobs, request.corpus),
        jobs: Jobs::Made(jobs),
        assemblies,
        setting,
    })
}

/// The template, the fonts and the date of `request`'s documents, and their hash.
fn setting(request: &Request, diags: &mut Diagnostics) -> Option<Setting> {
    let Request { theme, date, .. } = *request;
    let Some(date) = date else {
        diags.push(
            Diagnostic::error(
                "source-date",
                "SOURCE_DATE_EPOCH is not a date aula can use",
            )
            .with_help("set it to seconds since 1970, e.g. `SOURCE_DATE_EPOCH=1700000000`"),
        );
        return None;
    };
    let Some(template) = theme.pdf_template() else {
        diags
            .push(Diagnostic::error("theme", "the theme has no `pdf/aula.typ`").in_file("themes/"));
        return None;
    };
    // Everything but the document that changes a PDF's bytes: aula's and the typesetter's
    // versions, the template, the fonts and the date.
    let mut shared = Sha256::new();
    shared.update(env!("CARGO_PKG_VERSION"));
    shared.update(TYPST_VERSION);
    shared.update(template.text.as_bytes());
    let font_files = theme.font_files();
    for bytes in &font_files {
        shared.update((bytes.len() as u64).to_le_bytes());
        shared.update(bytes);
    }
    shared.update(format!("{date:?}"));
    Some(Setting {
        template: template.clone(),
        fonts: Arc::new(Fonts::new(&font_files)),
        date,
        shared: hex(&shared.finalize()),
    })
}

fn compile(
    job: &Job,
    template_text: &str,
    fonts: &Arc<Fonts>,
    images: &Arc<BTreeMap<String, Bytes>>,
    date: Datetime,
    template: &SourceFile,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let files = if job.extra.is_empty() {
        Arc::clone(images)
    } else {
        let mut files = (**images).clone();
        files.extend(job.extra.iter().cloned());
        Arc::new(files)
    };
    let world_of = |main: &str| {
        PdfWorld::new(
            Arc::clone(fonts),
            &[("/main.typ", main), (TEMPLATE_PATH, template_text)],
            Arc::clone(&files),
            (document::DATA_PATH, Bytes::new(job.data.clone())),
            date,
        )
    };
    let Some(world) = world_of(&job.main) else {
        return Err(vec![
            Diagnostic::error("pdf", "cannot set up the typesetter").in_file(job.origin.clone()),
        ]);
    };
    let to_diags = |errors: &[typst::diag::SourceDiagnostic]| -> Vec<Diagnostic> {
        errors
            .iter()
            .filter(|e| e.severity == typst::diag::Severity::Error)
            .map(|e| {
                let in_template = e.span.id().is_some_and(|id| Some(id) == world::file_id(TEMPLATE_PATH));
                // The document aula writes only calls the template's functions and gives
                // them escaped text: a name it cannot find is missing from the template.
                let missing = e.message.strip_prefix("unknown variable: ");
                match (in_template, world.range(e.span)) {
                    (true, Some(range)) => Diagnostic::error("pdf-template", format!("PDF template: {}", e.message))
                        .at(template, range.start, range.end.saturating_sub(range.start).max(1))
                        .with_help("fix the theme's PDF template, or remove your copy to use the built-in one"),
                    _ if let Some(name) = missing => Diagnostic::error("pdf-template", format!("the PDF template does not define `{name}`"))
                        .in_file(template.name.clone())
                        .with_help("a PDF template defines aula-doc, session-header, callout, timing-table, fallback-notice and cover: start from a copy of the built-in one"),
                    // An image the typesetter cannot read: named, once for every PDF and edition.
                    (false, Some(range)) if let Some(image) = image_at(&job.main, range.clone()) => Diagnostic::error("pdf-image", format!("this image cannot be printed: {}", e.message))
                        .in_file(format!("content/{image}"))
                        .in_edition(&job.edition.lang, &job.edition.variant)
                        .with_help("save it again as PNG, JPEG, GIF or SVG: the file is damaged or not what its name says"),
                    _ if e.message.contains("depth") => Diagnostic::error("pdf-depth", format!("this file nests too deeply to be printed: {}", e.message))
                        .in_file(job.origin.clone())
                        .in_edition(&job.edition.lang, &job.edition.variant)
                        .with_help("emphasis, links, lists or quotes nested thousands deep cannot be typeset: nest less"),
                    // Said once for all the PDFs of all the editions that fail alike.
                    _ => Diagnostic::error("pdf", format!("cannot typeset the PDFs of this file: {}", e.message))
                        .in_file(job.origin.clone())
                        .in_edition(&job.edition.lang, &job.edition.variant)
                        .with_help(
                        "check the images this session uses (a file that is not really PNG, JPEG, GIF or SVG cannot be printed); otherwise this is a bug in aula: please report it with this file",
                    ),
                }
            })
            .collect()
    };
    let warned = typst::compile::<PagedDocument>(&world);
    let mut document = warned.output.map_err(|e| to_diags(&e))?;
    // A handout that spills a few lines onto a second sheet is set again, tighter: a
    // second sheet doubles what a photocopy costs.
    let spilling = spilling_sheets(&document);
    if !spilling.is_empty() {
        let tight = tightened(&job.main, &spilling);
        if let Some(world) = world_of(&tight)
            && let Ok(fitted) = typst::compile::<PagedDocument>(&world).output
            && fitted.pages().len() < document.pages().len()
        {
            document = fitted;
        }
    }
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(job.path.clone()),
        timestamp: Some(typst_pdf::Timestamp::new_utc(date)),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| to_diags(&e))
}

/// The creation date: `SOURCE_DATE_EPOCH` (seconds) if given, else a fixed date, so that
/// the same input gives the same bytes.
pub fn date(source_date_epoch: Option<i64>) -> Option<Datetime> {
    let fixed = || Datetime::from_ymd_hms(2025, 1, 1, 0, 0, 0);
    let from_epoch = source_date_epoch.and_then(|secs| {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Datetime::from_ymd_hms(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
            u8::try_from(rem / 3600).ok()?,
            u8::try_from(rem % 3600 / 60).ok()?,
            u8::try_from(rem % 60).ok()?,
        )
    });
    match source_date_epoch {
        Some(_) => from_epoch,
        None => fixed(),
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The image (its content path) that the markup at `range` of a document shows, if any.
fn image_at(main: &str, range: std::ops::Range<usize>) -> Option<&str> {
    let text = main.get(range)?;
    let start = text.find("\"/files/")? + "\"/files/".len();
    let rest = &text[start..];
    Some(&rest[..rest.find('"')?])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_key_names_the_typesetter_version_in_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let entry = format!("name = \"typst\"\nversion = \"{TYPST_VERSION}\"");
        assert!(
            lock.contains(&entry),
            "update TYPST_VERSION to Cargo.lock's typst"
        );
    }

    /// A project of one module of two sessions in Spanish, its bodies let go after
    /// loading as a build's are; and the path of its first session's file.
    fn released() -> (
        tempfile::TempDir,
        crate::pipeline::Project,
        std::path::PathBuf,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("content/01-costos");
        std::fs::create_dir_all(&module).unwrap();
        std::fs::write(
            dir.path().join("aula.yaml"),
            "title: Costos\nlanguages:\n  - code: es\nvariants: [urban]\n",
        )
        .unwrap();
        let first = module.join("01-fijos.es.md");
        std::fs::write(&first, "---\ntitle: Fijos\n---\nEl alquiler del puesto.\n").unwrap();
        std::fs::write(
            module.join("02-variables.es.md"),
            "---\ntitle: Variables\n---\nEl gas y la masa.\n",
        )
        .unwrap();
        let mut diags = Diagnostics::default();
        let project = crate::pipeline::load_as(dir.path(), true, &mut diags).unwrap();
        assert!(!diags.has_errors(), "{}", diags.render());
        (dir, project, first)
    }

    fn typeset_all(project: &crate::pipeline::Project) -> (Typeset, Diagnostics) {
        let editions = [Edition::new("es", "urban")];
        let request = Request {
            config: &project.config,
            corpus: &project.corpus,
            theme: &project.theme,
            editions: &editions,
            drafts: false,
            date: date(None),
            cache: None,
            only: None,
            staging: None,
        };
        let mut diags = Diagnostics::default();
        (typeset(&request, &mut diags), diags)
    }

    #[test]
    fn a_typeset_module_lets_its_sessions_parsed_bodies_go() {
        let (_dir, project, first) = released();
        let (typeset, diags) = typeset_all(&project);
        assert!(!diags.has_errors(), "{}", diags.render());
        assert!(
            typeset
                .files
                .contains_key("es/urban/costos/fijos/handout.pdf")
        );
        // Held, the parse would still answer with the text typeset; let go, the file is
        // read again, and is not that text any more.
        std::fs::write(&first, "---\ntitle: Fijos\n---\nOtro texto.\n").unwrap();
        let doc = project.corpus.modules[0].sessions[0]
            .files
            .values()
            .next()
            .unwrap();
        let again = doc.document(&project.config);
        assert!(
            (again.diagnostics).has_code(crate::content::CHANGED_WHILE_BUILDING),
            "the parsed body was kept"
        );
    }

    #[test]
    fn a_document_of_a_file_changed_since_loading_is_not_typeset() {
        let (_dir, project, first) = released();
        std::fs::write(&first, "---\ntitle: Fijos\n---\nOtro texto, más largo.\n").unwrap();
        let (typeset, diags) = typeset_all(&project);
        assert!(diags.has_code(crate::content::CHANGED_WHILE_BUILDING));
        assert!(diags.has_errors());
        let made: Vec<&String> = typeset.files.keys().collect();
        // Neither the session's own documents nor the module's, which hold its text;
        // the other session's are typeset.
        for path in [
            "fijos/handout.pdf",
            "fijos/guide.pdf",
            "module.pdf",
            "handouts.pdf",
        ] {
            assert!(
                !made.iter().any(|m| m.ends_with(path)),
                "{path} was typeset: {made:?}"
            );
        }
        assert!(
            made.iter().any(|m| m.ends_with("variables/handout.pdf")),
            "{made:?}"
        );
        let sorted = diags.sorted();
        let changed: Vec<_> = (sorted.iter())
            .filter(|d| d.code == crate::content::CHANGED_WHILE_BUILDING)
            .collect();
        assert_eq!(changed.len(), 1, "said once: {changed:?}");
        assert_eq!(
            changed[0].file.as_deref(),
            Some("content/01-costos/01-fijos.es.md")
        );
    }

    #[test]
    fn dates_come_from_source_date_epoch() {
        assert_eq!(date(Some(0)), Datetime::from_ymd_hms(1970, 1, 1, 0, 0, 0));
        assert_eq!(
            date(Some(1_700_000_000)),
            Datetime::from_ymd_hms(2023, 11, 14, 22, 13, 20)
        );
        assert_eq!(date(None), Datetime::from_ymd_hms(2025, 1, 1, 0, 0, 0));
        assert_eq!(date(Some(i64::MAX)), None);
    }
}
