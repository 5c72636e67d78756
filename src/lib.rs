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
//! 5. `doc`: each source body parsed once into a [`doc::Document`] (`blocks`' `:::` tree,
//!    Markdown events, the typed targets of links and images); an edition's variant and a
//!    view (web page, handout, guide) is a [`doc::View`] of it, made without parsing again.
//! 6. Two writers over views: `site` (pages through the theme's templates, the body by
//!    `site::body`, relative URLs from `urls`, where every output path is made) and `pdf`
//!    (handouts, guides and module booklets: `pdf::document` writes their Typst source,
//!    `pdf::markup` the bodies, `pdf::budget` bounds what one may cost).
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
pub mod doc;
pub mod files;
pub mod html;
pub mod i18n;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
#[cfg(test)]
mod testing;
pub mod theme;
pub mod translation;
pub mod urls;
pub mod variant;
mod yaml;
