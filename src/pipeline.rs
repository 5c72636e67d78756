//! The one orchestrator behind `build`, `check` and `serve`: load the project, render every
//! requested edition, and return the output and the diagnostics. It writes nothing; the
//! caller decides whether to write (`output::write`) or only report.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Corpus};
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::site::Site;
use crate::source::SourceFile;
use crate::theme::{self, Theme};
use crate::variant::Edition;

/// How aula was invoked (not what the project says: that is [`Config`]).
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Only these languages (all when empty).
    pub languages: Vec<String>,
    /// Only these variants (all when empty).
    pub variants: Vec<String>,
    /// Include sessions marked `draft: true`.
    pub drafts: bool,
    /// Typeset the PDFs.
    pub pdf: bool,
    /// Link pages to their PDFs even when they are not typeset now (`serve` typesets them
    /// in the background).
    pub pdf_links: bool,
    /// `SOURCE_DATE_EPOCH`, for the PDFs' dates.
    pub source_date_epoch: Option<i64>,
    /// A folder of earlier PDFs by content hash: unchanged documents are not typeset again.
    pub pdf_cache: Option<PathBuf>,
    /// Return each edition's search documents in [`Built::search`] (`serve` refreshes an
    /// index from them after an edit).
    pub keep_search: bool,
    /// Told what the build is doing, stage by stage (the command line shows it on a
    /// terminal; the library itself never prints).
    pub progress: Option<fn(&str)>,
    /// Where each edition's pages are written as soon as it is rendered (they are then
    /// held as hashes, not bytes): a build's memory does not grow with the site.
    pub staging: Option<std::sync::Arc<crate::output::Staging>>,
}

/// A loaded project.
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub corpus: Corpus,
    pub theme: Theme,
}

/// The result of a build: the site (when there were no errors) and every diagnostic.
pub struct Built {
    pub output: Option<Output>,
    pub diagnostics: Diagnostics,
    pub pages: usize,
    /// Content hash of each PDF (for the cache), and how many were typeset afresh.
    pub pdf_hashes: std::collections::BTreeMap<String, String>,
    pub pdfs_typeset: usize,
    pub pdfs_reused: usize,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// With [`BuildOptions::keep_search`]: each edition's search documents.
    pub search: crate::site::SearchDocs,
}

impl Built {
    /// Nothing built yet.
    pub fn empty() -> Built {
        Built {
            output: None,
            diagnostics: Diagnostics::default(),
            pages: 0,
            pdf_hashes: Default::default(),
            pdfs_typeset: 0,
            pdfs_reused: 0,
            timings: Vec::new(),
            search: Default::default(),
        }
    }
}

/// A problem with how aula was called rather than with the content (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("`{0}` is not a configured language (configured: {1})")]
    Language(String, String),
    #[error("`{0}` is not a configured variant (configured: {1})")]
    Variant(String, String),
}

/// Loads `aula.yaml`, the theme and `content/`. Returns what could be loaded and every
/// problem found; `None` when the configuration itself is unusable.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Project> {
    load_as(root, false, diags)
}

/// [`load`]; with `release`, the content files keep their front matter and let their
/// bodies go, read again when parsed (see [`crate::content::Doc::release_body`]).
pub(crate) fn load_as(root: &Path, release: bool, diags: &mut Diagnostics) -> Option<Project> {
    let config_path = root.join("aula.yaml");
    let text = match crate::files::read_text(&crate::files::real(root), &config_path) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            diags.push(
                Diagnostic::error("encoding", "`aula.yaml` is not valid UTF-8")
                    .in_file("aula.yaml")
                    .with_help("save the file as UTF-8 in your editor"),
            );
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::error("no-config", format!("cannot read `aula.yaml`: {e}"))
                    .in_file("aula.yaml")
                    .with_help(
                        "run aula in a curriculum folder, or point to one with `--root DIR`",
                    ),
            );
            return None;
        }
    };
    let source = SourceFile::new("aula.yaml".into(), config_path, text);
    let config = match Config::parse(&source) {
        Ok(c) => c,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let theme = theme::load(root, &config, diags);
    let corpus = content::load(root, &config, release, diags);
    Some(Project {
        root: root.to_path_buf(),
        config,
        corpus,
        theme,
    })
}

/// The editions to build: every language × variant, narrowed by the options.
pub fn editions(config: &Config, options: &BuildOptions) -> Result<Vec<Edition>, UsageError> {
    let langs: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    for l in &options.languages {
        if !langs.contains(&l.as_str()) {
            return Err(UsageError::Language(l.clone(), langs.join(", ")));
        }
    }
    for v in &options.variants {
        if !config.is_variant(v) {
            return Err(UsageError::Variant(v.clone(), config.variants.join(", ")));
        }
    }
    let mut out = Vec::new();
    for l in &langs {
        if !options.languages.is_empty() && !options.languages.iter().any(|x| x == l) {
            continue;
        }
        for v in &config.variants {
            if !options.variants.is_empty() && !options.variants.contains(v) {
                continue;
            }
            out.push(Edition::new(l, v));
        }
    }
    Ok(out)
}

/// `SOURCE_DATE_EPOCH`, when set: the PDFs' date (else a fixed one). A value that is not
/// a number is kept as one no date can have (`i64::MAX`), so that typesetting reports it
/// instead of quietly using the fixed date.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .map(|s| s.trim().parse().unwrap_or(i64::MAX))
}

/// The one PDF at output path `path` of a loaded project, prepared to typeset (`serve`
/// prepares it with the project locked and typesets it after). Drafts included, as
/// `serve` shows them; `None` when the path names no PDF of the project.
pub fn prepare_pdf(
    project: &Project,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<crate::pdf::Prepared<'static>> {
    let (edition, _) = Edition::of_path(path)?;
    if !project.config.is_language(&edition.lang) || !project.config.is_variant(&edition.variant) {
        return None;
    }
    let editions = [edition];
    let only = std::collections::BTreeSet::from([path.to_string()]);
    let request = crate::pdf::Request {
        config: &project.config,
        corpus: &project.corpus,
        theme: &project.theme,
        editions: &editions,
        drafts: true,
        date: crate::pdf::date(source_date_epoch()),
        cache: None,
        only: Some(&only),
        staging: None,
    };
    crate::pdf::prepare(&request, diags)
}

pub use crate::site::Part;

/// Renders `part` of a loaded project's site, drafts included (as `serve` shows them),
/// with each rendered edition's search documents.
pub fn render_part(
    project: &Project,
    part: &Part,
) -> (Output, crate::site::SearchDocs, Diagnostics) {
    let mut diags = Diagnostics::default();
    let options = BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    };
    let Ok(editions) = editions(&project.config, &options) else {
        return (Output::default(), Default::default(), diags);
    };
    let site = Site::new(
        &project.config,
        &project.corpus,
        &project.theme,
        editions,
        true,
        true,
    )
    .part(part.clone())
    .keep_search(true);
    let (pages, search) = site.render_with_search(&mut diags);
    (pages, search, diags)
}

/// Loads and renders. The output is `None` when any error was found.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Built, UsageError> {
    let mut diags = Diagnostics::default();
    let mut built = Built::empty();
    let start = std::time::Instant::now();
    // A build that writes as it goes holds the files' front matter, not their text.
    let Some(project) = load_as(root, options.staging.is_some(), &mut diags) else {
        built.diagnostics = diags;
        return Ok(built);
    };
    built
        .timings
        .push(("load (config, theme, content)", start.elapsed()));
    render(&project, options, diags, built)
}

/// Everything `build` checks, on every edition and with drafts, PDFs included, writing
/// nothing; plus the checks only `aula check` makes.
pub fn check(root: &Path) -> Result<Diagnostics, UsageError> {
    let mut diags = Diagnostics::default();
    let Some(project) = load(root, &mut diags) else {
        return Ok(diags);
    };
    diags.extend(crate::check::interface_strings(
        &project.config,
        &project.theme,
    ));
    diags.extend(crate::check::raw_strings(&project.config, &project.theme));
    // The PDFs too: a template error or an image the typesetter cannot read fails only
    // there. Documents already in the default output's cache are known good; the cache is
    // read, never written.
    let options = BuildOptions {
        drafts: true,
        pdf: true,
        pdf_cache: Some(crate::output::cache_dir(&root.join("public"))),
        source_date_epoch: source_date_epoch(),
        ..BuildOptions::default()
    };
    let built = Built::empty();
    Ok(render(&project, &options, diags, built)?.diagnostics)
}

/// Renders an already loaded project (what `serve` keeps between edits); `diags` are the
/// problems found while loading it.
pub fn build_loaded(
    project: &Project,
    options: &BuildOptions,
    diags: Diagnostics,
) -> Result<Built, UsageError> {
    let built = Built::empty();
    render(project, options, diags, built)
}

/// An output path written twice: named after the module or session that takes a name
/// aula needs itself, when there is one.
fn clash(project: &Project, path: &str) -> Diagnostic {
    let edition = Edition::of_path(path);
    let parts: Vec<&str> = edition
        .as_ref()
        .map_or(vec![], |(_, rest)| rest.split('/').collect());
    let module = parts
        .first()
        .and_then(|slug| project.corpus.modules.iter().find(|m| m.slug == *slug));
    // Said once for every edition it happens in.
    let rest = edition.as_ref().map_or(path, |(_, rest)| rest);
    let mut d = Diagnostic::error(
        "path-clash",
        format!("two pages would be written to `{rest}`; one would replace the other"),
    )
    .with_help("rename the module or session: aula uses this name for a page of its own (such as `search` or `print`)");
    if let Some((e, _)) = &edition {
        d = d.in_edition(&e.lang, &e.variant);
    }
    let session = module.and_then(|m| {
        parts
            .get(1)
            .and_then(|slug| m.sessions.iter().find(|s| s.slug == *slug))
    });
    match (module, session) {
        (_, Some(s)) => match s.files.values().next() {
            Some(doc) => d.in_file(doc.source.name.clone()),
            None => d,
        },
        (Some(m), None) => d.in_file(format!("content/{}/", m.dir)),
        _ => d,
    }
}

fn render(
    project: &Project,
    options: &BuildOptions,
    mut diags: Diagnostics,
    mut built: Built,
) -> Result<Built, UsageError> {
    let editions = editions(&project.config, options)?;
    let site = Site::new(
        &project.config,
        &project.corpus,
        &project.theme,
        editions.clone(),
        options.drafts,
        options.pdf || options.pdf_links,
    )
    .keep_search(options.keep_search)
    .staging(options.staging.as_deref());
    let tell = |what: &str| {
        if let Some(progress) = options.progress {
            progress(what);
        }
    };
    tell(&format!("rendering {} editions", editions.len()));
    let start = std::time::Instant::now();
    let (mut output, search) = site.render_with_search(&mut diags);
    built.search = search;
    built
        .timings
        .push(("blocks, Markdown and templates", start.elapsed()));
    built.timings.push((
        "  blocks and Markdown (all threads)",
        site.spent(crate::site::Stage::Markdown),
    ));
    built.timings.push((
        "  templates (all threads)",
        site.spent(crate::site::Stage::Templates),
    ));
    built.pages = output.files.keys().filter(|p| p.ends_with(".html")).count();
    // Two sessions with one slug are already reported as such.
    if !diags.has_code("duplicate-slug") {
        for path in &output.twice {
            diags.push(clash(project, path));
        }
    }
    // PDFs only for a site that built: their text was checked by the web pass.
    if options.pdf && !diags.has_errors() {
        let request = crate::pdf::Request {
            config: &project.config,
            corpus: &project.corpus,
            theme: &project.theme,
            editions: &editions,
            drafts: options.drafts,
            date: crate::pdf::date(options.source_date_epoch),
            cache: options.pdf_cache.as_deref(),
            only: None,
            staging: options.staging.as_deref(),
        };
        tell("typesetting PDFs (unchanged ones come from the cache)");
        let start = std::time::Instant::now();
        let typeset = crate::pdf::typeset(&request, &mut diags);
        built.timings.push(("PDFs", start.elapsed()));
        // The print centre says how many pages each PDF has: rendered again now that
        // they are typeset.
        let pages = typeset.pages.clone();
        let listings = Site::new(
            &project.config,
            &project.corpus,
            &project.theme,
            editions.clone(),
            options.drafts,
            true,
        )
        .pdf_pages(pages)
        .part(crate::site::Part {
            listings: true,
            ..Default::default()
        });
        let (pages, _) = listings.render_with_search(&mut Diagnostics::default());
        for (path, content) in pages.files {
            if path.ends_with("print/index.html") {
                output.files.insert(path, content);
            }
        }
        for (path, bytes) in typeset.files {
            output.insert(path, bytes);
        }
        for (path, staged) in typeset.staged {
            output
                .files
                .insert(path, crate::output::Content::Staged(staged));
        }
        built.pdf_hashes = typeset.hashes;
        built.pdfs_typeset = typeset.typeset;
        built.pdfs_reused = typeset.reused;
    }
    built.output = (!diags.has_errors()).then_some(output);
    built.diagnostics = diags;
    Ok(built)
}
