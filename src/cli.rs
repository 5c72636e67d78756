//! The command line: clap's derive turned into calls of the library. The only place that
//! prints and chooses exit codes (0 success, 1 content errors, 2 usage errors).

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::output;
use crate::pipeline::{self, BuildOptions};

#[derive(Debug, Parser)]
#[command(
    name = "aula",
    version,
    about = "Static sites and printable PDFs for multilingual, multi-variant curricula"
)]
pub struct Cli {
    /// The curriculum project (the folder with aula.yaml).
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// Output folder, relative to the project.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Only these languages (comma-separated).
        #[arg(long, value_delimiter = ',')]
        lang: Vec<String>,
        /// Only these variants (comma-separated).
        #[arg(long, value_delimiter = ',')]
        variant: Vec<String>,
        /// Skip the PDFs.
        #[arg(long)]
        no_pdf: bool,
        /// Include sessions marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Fail on warnings too (nothing is written).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Live preview: build into memory, serve on 127.0.0.1, rebuild and reload on every change.
    Serve {
        /// The port (the next free one is used if it is busy; 0 lets the system choose).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The output folder whose PDF cache is shared with `aula build` (nothing is written to it).
        #[arg(long, default_value = "public")]
        out: PathBuf,
    },
    /// Validate everything and write nothing; exit 1 on errors.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// The translation matrix: up to date, stale, unstamped or missing, per session and language.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Record that a translation matches its current source (writes its `source_hash`).
    Stamp {
        /// The translation, e.g. content/01-emprendimiento/01-mi-negocio.fr.md
        file: String,
    },
    /// What changed in the source since a translation was stamped, section by section.
    Diff {
        /// The translation, e.g. content/01-emprendimiento/01-mi-negocio.fr.md
        file: String,
    },
    /// Create the files of a new module or session, in every configured language.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// `04-mercadeo` for a module, `04-mercadeo/01-clientes` for a session.
        path: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    Module,
    Session,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    if !cli.root.is_dir() {
        let what = if cli.root.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        errln!("error: the project folder `{}` {what}", cli.root.display());
        errln!(
            "  = help: run aula in a curriculum folder (the one with aula.yaml), or point to one with `--root DIR`"
        );
        return 2;
    }
    match cli.command {
        Command::Build {
            out,
            lang,
            variant,
            no_pdf,
            drafts,
            timings,
            deny_warnings,
        } => {
            let start = Instant::now();
            let out_dir = if out.is_absolute() {
                out
            } else {
                cli.root.join(out)
            };
            // Refused before any work: a wrong `--out` is a usage error.
            if let Err(e) = output::check_out_dir(&cli.root, &out_dir) {
                errln!("error: {e}");
                errln!("  = help: choose another folder with `--out`, e.g. `--out public`");
                return 2;
            }
            // One build at a time into one output folder (and its PDF cache).
            let _lock = match output::Lock::take(&out_dir) {
                Ok(lock) => lock,
                Err(e) => {
                    errln!("error: {e}");
                    return 1;
                }
            };
            let cache = output::cache_dir(&out_dir);
            // Pages go to disk edition by edition; swapped in only if the build succeeds.
            let staging = match output::Staging::new(&cli.root, &out_dir) {
                Ok(s) => std::sync::Arc::new(s),
                Err(e) => {
                    errln!("error: {e}");
                    return 1;
                }
            };
            let options = BuildOptions {
                languages: lang,
                variants: variant,
                drafts,
                pdf: !no_pdf,
                pdf_links: false,
                source_date_epoch: pipeline::source_date_epoch(),
                pdf_cache: Some(cache.clone()),
                keep_search: false,
                // Progress on a terminal only; CI logs and pipes stay quiet.
                progress: (std::io::IsTerminal::is_terminal(&std::io::stderr())
                    && std::env::var_os("CI").is_none())
                .then_some(show_progress as fn(&str)),
                staging: Some(std::sync::Arc::clone(&staging)),
            };
            // The output before the last goes while this one is made.
            let clearing = output::clear_previous(&out_dir);
            let result = pipeline::build(&cli.root, &options);
            drop(options);
            let _ = clearing.join();
            let built = match result {
                Ok(b) => b,
                Err(e) => {
                    errln!("error: {e}");
                    return 2;
                }
            };
            if !built.diagnostics.is_empty() {
                errout!("{}", built.diagnostics.render());
            }
            let warned =
                deny_warnings && built.diagnostics.count(crate::diag::Severity::Warning) > 0;
            let Some(site) = built.output.filter(|_| !warned) else {
                errln!("the build failed; the previous output was left untouched");
                return 1;
            };
            let write_start = Instant::now();
            let Some(staging) = std::sync::Arc::into_inner(staging) else {
                errln!("error: the output is still in use");
                return 1;
            };
            let written = match staging.finish(&site) {
                Ok(w) => w,
                Err(e) => {
                    errln!("error: {e}");
                    return 1;
                }
            };
            let mut stages = built.timings.clone();
            stages.push(("write", write_start.elapsed()));
            if !built.pdf_hashes.is_empty()
                && let Err(e) = output::update_cache(&cache, &site, &built.pdf_hashes)
            {
                // The site is written; a cache that cannot be kept only costs time next build.
                errln!("warning: cannot keep the PDF cache: {e}");
            }
            // One line of summary, on a terminal as in CI.
            let pdfs = built.pdfs_typeset + built.pdfs_reused;
            errln!(
                "built {} pages and {pdfs} PDFs ({} typeset, {} unchanged) into {} in {} ms",
                built.pages,
                built.pdfs_typeset,
                built.pdfs_reused,
                out_dir.display(),
                start.elapsed().as_millis()
            );
            if timings {
                for (stage, d) in &stages {
                    errln!("  {:>8.1} ms  {stage}", d.as_secs_f64() * 1000.0);
                }
                errln!(
                    "  {} files written, {} unchanged since the last build (linked, not written)",
                    written.written,
                    written.unchanged
                );
            }
            0
        }
        Command::Check {
            format,
            deny_warnings,
        } => {
            let d = match pipeline::check(&cli.root) {
                Ok(d) => d,
                Err(e) => {
                    errln!("error: {e}");
                    return 2;
                }
            };
            let d = &d;
            match format {
                Format::Json => outln!("{}", d.to_json()),
                Format::Human if d.is_empty() => errln!("no problems found"),
                Format::Human => errout!("{}", d.render()),
            }
            let warnings = d.count(crate::diag::Severity::Warning) > 0;
            i32::from(d.has_errors() || (deny_warnings && warnings))
        }
        Command::Serve { port, out } => {
            let out_dir = if out.is_absolute() {
                out
            } else {
                cli.root.join(out)
            };
            crate::serve::serve(&cli.root, port, &out_dir)
        }
        Command::Status { format } => {
            let Some(project) = load(&cli.root) else {
                return 1;
            };
            let mut status = crate::translation::status::status(
                &project.config,
                &project.corpus,
                &project.theme.i18n,
            );
            crate::translation::status::explain(&cli.root, &project.corpus, &mut status);
            match format {
                Format::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&status).unwrap_or_default()
                ),
                Format::Human => {
                    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none();
                    out!("{}", crate::translation::report::render(&status, colour));
                }
            }
            0
        }
        Command::Stamp { file } => {
            let Some(project) = load(&cli.root) else {
                return 1;
            };
            let rel = relative_to_root(&cli.root, &file);
            match crate::translation::stamp::stamp(
                &cli.root,
                &project.config,
                &project.corpus,
                &rel,
            ) {
                Ok(hash) => {
                    errln!("stamped {rel} with source_hash {hash}");
                    0
                }
                Err(e) => {
                    errln!("error: {e}");
                    1
                }
            }
        }
        Command::Diff { file } => {
            let Some(project) = load(&cli.root) else {
                return 1;
            };
            let rel = relative_to_root(&cli.root, &file);
            let rel = rel.trim_start_matches("./");
            let status = crate::translation::status::status(
                &project.config,
                &project.corpus,
                &project.theme.i18n,
            );
            let Some(entry) = status
                .entries
                .iter()
                .find(|e| e.file == rel && e.state != crate::translation::status::State::Missing)
            else {
                errln!("error: `{rel}` is not a translation of this project's content/");
                errln!(
                    "  = help: name a translated file, e.g. content/01-emprendimiento/01-mi-negocio.fr.md; `aula status` lists them"
                );
                return 1;
            };
            let texts = crate::translation::status::texts(&project.corpus);
            let changes = crate::translation::status::changes(&cli.root, &texts, entry);
            let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none();
            out!(
                "{}",
                crate::translation::diff::render(entry, changes.as_ref(), colour)
            );
            0
        }
        Command::New { kind, path } => {
            let Some(project) = load(&cli.root) else {
                return 1;
            };
            let kind = match kind {
                NewKind::Module => crate::scaffold::Kind::Module,
                NewKind::Session => crate::scaffold::Kind::Session,
            };
            match crate::scaffold::new(&cli.root, &project.config, kind, &path) {
                Ok(files) => {
                    for f in files {
                        errln!("created {f}");
                    }
                    0
                }
                Err(e @ crate::scaffold::NewError::Name(_)) => {
                    errln!("error: {e}");
                    2
                }
                Err(e) => {
                    errln!("error: {e}");
                    1
                }
            }
        }
    }
}

/// The project, or `None` after printing why it cannot be loaded.
fn load(root: &std::path::Path) -> Option<pipeline::Project> {
    let mut diags = crate::diag::Diagnostics::default();
    let project = pipeline::load(root, &mut diags);
    if project.is_none() {
        errout!("{}", diags.render());
    }
    project
}

fn show_progress(what: &str) {
    errln!("… {what}");
}

/// A path given on the command line, as the project-relative `/`-separated name aula uses:
/// it may be relative to the current folder or to the project.
fn relative_to_root(root: &std::path::Path, file: &str) -> String {
    let given = std::path::Path::new(file);
    let absolute_root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let candidates = [
        std::path::absolute(given).ok(),
        Some(absolute_root.join(given)),
    ];
    for candidate in candidates.into_iter().flatten() {
        if candidate.exists()
            && let Ok(rel) = candidate.strip_prefix(&absolute_root)
        {
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    file.replace('\\', "/")
}
