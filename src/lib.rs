//! aula: Markdown modules, tagged by variant and language, into a static site and PDFs.
//!
//! The pipeline, in order (`pipeline::build` is the only orchestrator, behind `build`,
//! `check` and `serve`'s rebuilds and PDFs):
//! 1. `config`: `aula.yaml` → [`config::Config`] (strict, validated).
//! 2. `theme`: templates, assets and Fluent strings (`i18n`), built-in and overridden by
//!    the project.
//! 3. `content`: `content/` → one owned [`content::Corpus`]; nothing reads content after
//!    this, and only through `files` (regular files inside the project, bounded).
//! 4. `variant::select`: for each edition (language × variant), which file stands for
//!    each session.
//! 5. `blocks` (parsed once per file) → `markdown`: `:::` blocks filtered per variant and
//!    audience, then Markdown read once for both outputs (`markdown`), written as HTML
//!    (`markdown::web`).
//! 6. `site`: pages through the theme's templates, with relative URLs from `urls` (every
//!    output path is made there); `pdf`: handouts, guides and module booklets typeset from
//!    the same filtered text (`pdf::document` writes their Typst source through
//!    `pdf::markup`'s escapers; `pdf::budget` bounds what one may cost).
//! 7. `output::write`: the new site swapped in only when complete.
//!
//! Problems are collected as [`diag::Diagnostics`] at every stage and reported together.
//! `serve` (`serve/{mod,watch,http}.rs`) owns only watching, HTTP and live reload.

// Like `println!`, `print!`, `eprintln!` and `eprint!`, but a closed pipe (`aula check |
// head`) is not a panic: what can no longer be written is dropped.
macro_rules! outln {
    ($($t:tt)*) => {{ use std::io::Write as _; let _ = writeln!(std::io::stdout(), $($t)*); }};
}
macro_rules! out {
    ($($t:tt)*) => {{ use std::io::Write as _; let _ = write!(std::io::stdout(), $($t)*); }};
}
macro_rules! errln {
    ($($t:tt)*) => {{ use std::io::Write as _; let _ = writeln!(std::io::stderr(), $($t)*); }};
}
macro_rules! errout {
    ($($t:tt)*) => {{ use std::io::Write as _; let _ = write!(std::io::stderr(), $($t)*); }};
}

pub mod blocks;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod files;
pub mod html;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod status;
pub mod theme;
pub mod urls;
pub mod variant;
mod yaml;
