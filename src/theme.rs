//! The theme: Tera templates, static assets and interface strings. The default theme is
//! built into aula; a project's `themes/<name>/` and `locales/` override it file by file.
//! This module only reads files and sets Tera up; what pages contain is `site`'s business.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::{I18n, LocaleFile};
use crate::source::SourceFile;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)) as &[u8])),*]
    };
}

/// The default theme and its strings, as shipped in the binary.
const BUILTIN: &[(&str, &[u8])] = embed![
    "themes/default/templates/base.html",
    "themes/default/templates/nav-modules.html",
    "themes/default/templates/chooser.html",
    "themes/default/templates/home.html",
    "themes/default/templates/module.html",
    "themes/default/templates/session.html",
    "themes/default/templates/404.html",
    "themes/default/templates/search.html",
    "themes/default/templates/print.html",
    "themes/default/static/search.js",
    "themes/default/static/view.js",
    "themes/default/static/aula.css",
    "themes/default/pdf/aula.typ",
    "themes/default/fonts/Andika-Regular.ttf",
    "themes/default/fonts/Andika-Bold.ttf",
    "themes/default/fonts/Andika-Italic.ttf",
    "themes/default/fonts/Andika-BoldItalic.ttf",
    "locales/es/aula.ftl",
    "locales/fr/aula.ftl",
    "locales/quc/aula.ftl",
];

pub struct Theme {
    /// Template name (`session.html`) → source, for error locations.
    pub templates: BTreeMap<String, SourceFile>,
    /// Output path under `assets/` → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// The PDF template, `pdf/aula.typ`.
    pub pdf: Option<SourceFile>,
    /// Font files for the PDFs, by name (`fonts/*.ttf|otf`).
    pub fonts: BTreeMap<String, Vec<u8>>,
    pub tera: Tera,
    /// Templates that failed to load (already reported): their pages are not rendered.
    pub broken: std::collections::BTreeSet<String>,
    pub i18n: Arc<I18n>,
}

/// Loads the theme named in the config, with the project's overrides, and the strings.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Theme {
    let theme_prefix = "themes/default/";
    let mut templates = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut fonts = BTreeMap::new();
    let mut pdf = None;
    let mut builtin_locales = Vec::new();
    for (path, bytes) in BUILTIN {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        let builtin =
            |path: &str| SourceFile::new(format!("(built-in) {path}"), path.into(), text());
        let in_theme = path
            .strip_prefix(theme_prefix)
            .and_then(|p| p.split_once('/'));
        match in_theme {
            Some(("templates", name)) => {
                templates.insert(name.to_string(), builtin(path));
            }
            Some(("static", name)) => {
                statics.insert(name.to_string(), bytes.to_vec());
            }
            Some(("fonts", name)) => {
                fonts.insert(name.to_string(), bytes.to_vec());
            }
            Some(("pdf", "aula.typ")) => pdf = Some(builtin(path)),
            _ => {
                if let Some((lang, file)) = path
                    .strip_prefix("locales/")
                    .and_then(|r| r.split_once('/'))
                {
                    builtin_locales.push(LocaleFile {
                        lang: lang.into(),
                        file: file.into(),
                        source: builtin(path),
                    });
                }
            }
        }
    }

    let theme_dir = root.join("themes").join(&config.theme);
    if config.theme != "default" && !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error("theme", format!("theme `{}` not found", config.theme))
                .in_file("aula.yaml")
                .with_help(format!(
                    "create `themes/{}/`, or use `theme: default`",
                    config.theme
                )),
        );
    }
    let real_root = crate::files::real(root);
    for f in files_under(root, &real_root, &theme_dir.join("templates"), diags) {
        if let Some(source) = read_text(f.name, &f.path, diags) {
            templates.insert(f.rel, source);
        }
    }
    for f in files_under(root, &real_root, &theme_dir.join("static"), diags) {
        if let Some(bytes) = read_asset(&f, diags) {
            statics.insert(f.rel, bytes);
        }
    }
    for f in files_under(root, &real_root, &theme_dir.join("fonts"), diags) {
        if (f.rel.ends_with(".ttf") || f.rel.ends_with(".otf"))
            && let Some(bytes) = read_asset(&f, diags)
        {
            fonts.insert(f.rel, bytes);
        }
    }
    let project_pdf = theme_dir.join("pdf").join("aula.typ");
    if std::fs::symlink_metadata(&project_pdf).is_ok() {
        match crate::files::inside(&real_root, &project_pdf) {
            Ok(path) => pdf = read_text(display(root, &project_pdf), &path, diags),
            Err(why) => diags.push(crate::files::skipped(display(root, &project_pdf), &why)),
        }
    }
    let mut project_locales = Vec::new();
    for f in files_under(root, &real_root, &root.join("locales"), diags) {
        let Some((lang, file)) = f.rel.split_once('/') else {
            continue;
        };
        if !f.rel.ends_with(".ftl") || file.contains('/') {
            continue;
        }
        if !config.is_language(lang) {
            continue;
        }
        let (lang, file) = (lang.to_string(), file.to_string());
        if let Some(source) = read_text(f.name, &f.path, diags) {
            project_locales.push(LocaleFile { lang, file, source });
        }
    }
    let i18n = Arc::new(I18n::new(config, builtin_locales, project_locales, diags));
    let (tera, broken) = build_tera(&templates, &i18n, diags);
    Theme {
        templates,
        statics,
        pdf,
        fonts,
        tera,
        broken,
        i18n,
    }
}

/// A file of the theme or the strings, found and checked.
struct Found {
    /// Relative to the folder it was found in (`base.html`, `es/aula.ftl`).
    rel: String,
    /// Relative to the project, as written (what diagnostics print).
    name: String,
    /// Where it really is (links resolved).
    path: std::path::PathBuf,
}

/// The files under `dir`, sorted; anything that is not a regular file inside the project
/// (a link that leads out, a named pipe, a device) is skipped with a warning.
fn files_under(root: &Path, real_root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Found> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let entries = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir());
    for e in entries {
        let Some(rel) = e.path().strip_prefix(dir).ok().and_then(Path::to_str) else {
            continue;
        };
        let rel = rel.replace('\\', "/");
        let name = display(root, e.path());
        match crate::files::inside(real_root, e.path()) {
            Ok(path) => out.push(Found { rel, name, path }),
            Err(why) => diags.push(crate::files::skipped(name, &why)),
        }
    }
    out
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Reads an asset of the theme (bounded, see `files`), or reports why not.
fn read_asset(found: &Found, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match crate::files::read_regular(&found.path, crate::files::ASSET_LIMIT) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            diags.push(
                Diagnostic::error("io", format!("cannot read this file: {e}"))
                    .in_file(found.name.clone()),
            );
            None
        }
    }
}

/// Reads a text file already checked by [`files_under`] or `files::inside`.
fn read_text(name: String, path: &Path, diags: &mut Diagnostics) -> Option<SourceFile> {
    match crate::files::read_regular(path, crate::files::TEXT_LIMIT).map(String::from_utf8) {
        Ok(Ok(text)) => Some(SourceFile::new(name, path.to_path_buf(), text)),
        Ok(Err(_)) => {
            diags.push(
                Diagnostic::error("encoding", "this file is not valid UTF-8")
                    .in_file(name)
                    .with_help("save the file as UTF-8 in your editor"),
            );
            None
        }
        Err(e) => {
            diags.push(
                Diagnostic::error("io", format!("cannot read this file as UTF-8 text: {e}"))
                    .in_file(name),
            );
            None
        }
    }
}

/// Template values by page language and message id: the text and the language it is in.
type Plain = std::collections::HashMap<
    String,
    std::collections::HashMap<String, (tera::Value, tera::Value), foldhash::fast::RandomState>,
    foldhash::fast::RandomState,
>;

/// Every message that needs no arguments, and the language it is shown in, as template
/// values made once (a page asks for a few dozen): `t()` and `tl()` hand them out as they
/// are, where the strings of [`I18n`] would be copied into new values at every call.
fn plain_values(i18n: &I18n) -> Plain {
    let mut values = Plain::default();
    for (lang, key, text) in i18n.plain_messages() {
        let shown_in = tera::Value::from(i18n.lang_of(lang, key));
        values
            .entry(lang.to_string())
            .or_default()
            .insert(key.to_string(), (tera::Value::from(text), shown_in));
    }
    values
}

/// The language of the page being rendered (its context's `lang`; none is read as "").
fn page_lang(state: &State) -> tera::TeraResult<tera::Value> {
    Ok(state
        .get::<tera::Value>("lang")?
        .unwrap_or_else(|| tera::Value::from("")))
}

/// Tera with every template, and the names of those that could not be loaded (already
/// reported).
fn build_tera(
    templates: &BTreeMap<String, SourceFile>,
    i18n: &Arc<I18n>,
    diags: &mut Diagnostics,
) -> (Tera, std::collections::BTreeSet<String>) {
    let mut tera = Tera::new();
    // Apostrophes stay as written: in K'iche' they are letters, not something to escape.
    tera.set_escape_fn(crate::html::escape_into);
    let plain = Arc::new(plain_values(i18n));
    let plain_t = Arc::clone(&plain);
    let strings = Arc::clone(i18n);
    let langs = Arc::clone(i18n);
    // `tl(key=…)`: the language that string is shown in, for a `lang` attribute, so that a
    // string falling back to Spanish on a K'iche' page is marked as Spanish.
    tera.register_function(
        "tl",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<tera::Value> {
            let key = kwargs.must_get::<&str>("key")?;
            let lang = page_lang(state)?;
            let lang = lang.as_str().unwrap_or_default();
            Ok(match plain.get(lang).and_then(|m| m.get(key)) {
                Some((_, shown_in)) => shown_in.clone(),
                None => langs.lang_of(lang, key).into(),
            })
        },
    );
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<tera::Value> {
        let key = kwargs.must_get::<&str>("key")?;
        let lang = page_lang(state)?;
        let lang = lang.as_str().unwrap_or_default();
        let mut args = Vec::new();
        for (k, v) in kwargs.iter() {
            let Some(k) = k.as_str().filter(|k| *k != "key") else {
                continue;
            };
            let value = match (v.as_i64(), v.as_f64(), v.as_str()) {
                (Some(n), _, _) => fluent_bundle::FluentValue::from(n),
                (None, Some(f), _) => fluent_bundle::FluentValue::from(f),
                (None, None, Some(s)) => fluent_bundle::FluentValue::from(s.to_string()),
                _ => fluent_bundle::FluentValue::from(v.to_string()),
            };
            args.push((k, value));
        }
        if args.is_empty()
            && let Some((text, _)) = plain_t.get(lang).and_then(|m| m.get(key))
        {
            return Ok(text.clone());
        }
        strings.get(lang, key, &args).map(tera::Value::from).ok_or_else(|| {
            tera::Error::message(format!("no interface string `{key}` in `{lang}` or its fallbacks; add `{key} = …` to locales/{lang}/aula.ftl"))
        })
    });
    let all: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.text.as_str()))
        .collect();
    let mut failed = std::collections::BTreeSet::new();
    if let Err(e) = tera.add_raw_templates(all) {
        diags.push(template_error(&e, templates));
        // Keep every template that works, so one mistake breaks only its own pages:
        // layouts first, then the pages that extend them.
        let (bases, pages): (Vec<_>, Vec<_>) = templates
            .iter()
            .partition(|(_, s)| !s.text.contains("{% extends"));
        for (name, source) in bases.into_iter().chain(pages) {
            if tera.add_raw_template(name, &source.text).is_err() {
                failed.insert(name.clone());
            }
        }
    }
    (tera, failed)
}

/// A Tera error as a diagnostic at the template's file and line.
pub fn template_error(e: &tera::Error, templates: &BTreeMap<String, SourceFile>) -> Diagnostic {
    use std::error::Error as _;
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => e.to_string(),
    };
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let d = Diagnostic::error("template", message)
        .with_help("fix the template, or remove your copy to use the built-in one");
    match report.and_then(|r| templates.get(r.filename()).map(|s| (r, s))) {
        Some((r, source)) => d.at_line(source, r.span().start_line, r.span().start_col + 1),
        None => d.in_file(report.map_or("themes/", |r| r.filename()).to_string()),
    }
}

impl Theme {
    pub fn pdf_template(&self) -> Option<&SourceFile> {
        self.pdf.as_ref()
    }

    /// The theme's fonts, first in the typesetter's font list.
    pub fn font_files(&self) -> Vec<Vec<u8>> {
        self.fonts.values().cloned().collect()
    }
}
