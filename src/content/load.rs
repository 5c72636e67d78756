//! Reads `content/` into a [`Corpus`]. The only part of aula that reads content files.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Corpus, Doc, FileKey, Module, Session, frontmatter, order_and_slug};
use crate::config::{Config, is_slug};
use crate::diag::{Diagnostic, Diagnostics, closest};
use crate::source::SourceFile;

/// What a Markdown file name says about itself.
struct FileName {
    stem: String,
    variant: Option<String>,
    lang: String,
}

/// Loads every module, session and asset under `root/content`; with `release`, each
/// Markdown file keeps its front matter and lets its body go ([`Doc::release_body`]).
pub fn load(root: &Path, config: &Config, release: bool, diags: &mut Diagnostics) -> Corpus {
    let content = root.join("content");
    let mut corpus = Corpus::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error("no-content", "there is no `content/` folder")
                .in_file("content/")
                .with_help("create `content/_index.es.md` and a module folder, or run `aula new module 01-name`"),
        );
        return corpus;
    }
    // Module folders in order; files inside collected per module.
    let mut modules: BTreeMap<String, Vec<(String, std::path::PathBuf)>> = BTreeMap::new();
    let real_root = crate::files::real(root);
    // The walk follows no links: a file it meets as a file, not a link, lies in the real
    // content folder, and its real path is known without asking the system for it, when
    // that folder is inside the project. Links are resolved and checked one by one.
    let real_content = std::fs::canonicalize(&content)
        .ok()
        .filter(|c| c.starts_with(&real_root));
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(
                    Diagnostic::error("io", format!("cannot read: {err}"))
                        .in_file(err.path().map_or("content/".into(), |p| display(root, p))),
                );
                continue;
            }
        };
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(&content) else {
            continue;
        };
        if relative.as_os_str().is_empty() {
            continue;
        }
        let Some(rel) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            diags.push(
                Diagnostic::error("file-name", "this file name is not valid UTF-8")
                    .in_file(display(root, path))
                    .with_help("rename it using only letters, digits and `-`"),
            );
            continue;
        };
        if entry.file_type().is_dir() {
            if !rel.contains('/') {
                modules.entry(rel).or_default();
            }
            continue;
        }
        // Only regular files inside the project are read or published (spec, §5 Trust).
        let plain = entry.file_type().is_file() && !entry.path_is_symlink();
        let checked = match &real_content {
            Some(real) if plain => Ok(real.join(relative)),
            _ => crate::files::inside(&real_root, path),
        };
        let path = match checked {
            Ok(target) => target,
            Err(why) => {
                diags.push(crate::files::skipped(format!("content/{rel}"), &why));
                continue;
            }
        };
        let path = path.as_path();
        if rel.ends_with(".Rmd") || rel.ends_with(".rmd") || rel.ends_with(".qmd") {
            diags.push(
                Diagnostic::warning("foreign-file", "R Markdown and Quarto files are not built")
                    .in_file(format!("content/{rel}"))
                    .with_help("render it to Markdown first, or rename it to `.md` if it has no code chunks to run"),
            );
        }
        if !rel.ends_with(".md") {
            if rel.to_ascii_lowercase().ends_with(".svg") && svg_has_script(path) {
                diags.push(
                    Diagnostic::warning("svg-script", "this SVG holds a script, which runs when the file is opened from the site")
                        .in_file(format!("content/{rel}"))
                        .with_help("save the drawing without scripts or event handlers (`<script>`, `onload=`), e.g. as plain SVG from your editor"),
                );
            }
            corpus.assets.insert(rel, path.to_path_buf());
            continue;
        }
        match rel.split_once('/') {
            None => modules
                .entry(String::new())
                .or_default()
                .push((rel, path.to_path_buf())),
            Some((dir, rest)) if !rest.contains('/') => modules
                .entry(dir.to_string())
                .or_default()
                .push((rel, path.to_path_buf())),
            Some(_) => diags.push(
                Diagnostic::warning(
                    "nested-markdown",
                    "Markdown files below a module's own folder are not published",
                )
                .in_file(format!("content/{rel}"))
                .with_help("move it into the module folder, or link to it as a plain file"),
            ),
        }
    }

    let mut ordered: Vec<(Option<u64>, String, String)> = Vec::new();
    for dir in modules.keys().filter(|d| !d.is_empty()) {
        let (order, slug) = order_and_slug(dir);
        ordered.push((order, slug.to_string(), dir.clone()));
    }
    ordered.sort_by_key(|a| sort_key(a.0, &a.2));

    for (name, path) in modules.remove("").unwrap_or_default() {
        let Some(file) = read(&name, &path, diags) else {
            continue;
        };
        let Some(parsed) = parse_name(&file, config, diags) else {
            continue;
        };
        if parsed.stem == "_index" && parsed.variant.is_none() {
            if let Some(doc) = doc(file, &parsed.lang, None, release, diags) {
                corpus.home.insert(parsed.lang.clone(), doc);
            }
        } else {
            diags.push(
                Diagnostic::error(
                    "session-outside-module",
                    "a session must be inside a module folder",
                )
                .in_file(file.name.clone())
                .with_help("move it into a folder such as `content/01-module/`"),
            );
        }
    }

    let mut seen_slugs: BTreeMap<String, String> = BTreeMap::new();
    for (_, slug, dir) in ordered {
        let files = modules.remove(&dir).unwrap_or_default();
        check_slug(&slug, &dir, &mut seen_slugs, diags);
        let mut module = Module {
            dir: dir.clone(),
            slug: slug.clone(),
            pages: BTreeMap::new(),
            sessions: Vec::new(),
        };
        let mut unparsed: std::collections::BTreeSet<(String, FileKey)> =
            std::collections::BTreeSet::new();
        let mut sessions: BTreeMap<String, BTreeMap<FileKey, Box<Doc<super::SessionMeta>>>> =
            BTreeMap::new();
        // Read and parsed in parallel (a module's files are independent), kept in order.
        let loaded: Vec<(Loaded, Diagnostics)> = files
            .par_iter()
            .map(|(name, path)| {
                let mut found = Diagnostics::default();
                (module_file(name, path, config, release, &mut found), found)
            })
            .collect();
        for (loaded, found) in loaded {
            diags.extend(found);
            match loaded {
                Loaded::Nothing => {}
                Loaded::Page(lang, doc) => {
                    module.pages.insert(lang, doc);
                }
                Loaded::Session(stem, key, Some(doc)) => {
                    sessions.entry(stem).or_default().insert(key, doc);
                }
                // Already reported; its translations are not "without a source".
                Loaded::Session(stem, key, None) => {
                    unparsed.insert((stem, key));
                }
            }
        }
        let mut stems: Vec<String> = sessions.keys().cloned().collect();
        let unparsed_of = |stem: &str| -> Vec<FileKey> {
            unparsed
                .iter()
                .filter(|(s, _)| s == stem)
                .map(|(_, k)| k.clone())
                .collect()
        };
        stems.sort_by_cached_key(|s| sort_key(order_and_slug(s).0, s));
        let mut session_slugs: BTreeMap<String, String> = BTreeMap::new();
        for stem in stems {
            let files = sessions.remove(&stem).unwrap_or_default();
            let slug = order_and_slug(&stem).1.to_string();
            let shown = files.values().next().map_or_else(
                || format!("{dir}/{stem}"),
                |d| d.source.name.trim_start_matches("content/").to_string(),
            );
            check_slug(&slug, &shown, &mut session_slugs, diags);
            check_translations(&files, &unparsed_of(&stem), config, diags);
            module.sessions.push(Session { stem, slug, files });
        }
        corpus.modules.push(module);
    }
    corpus
}

/// What a file in a module's folder is, once read.
enum Loaded {
    /// Nothing to publish (what is wrong with it is reported).
    Nothing,
    /// The module's page in a language.
    Page(String, Doc<super::PageMeta>),
    /// A session's file, by the session's stem; `None` if it could not be parsed.
    Session(String, FileKey, Option<Box<Doc<super::SessionMeta>>>),
}

/// Reads the file `rel` of a module's folder.
fn module_file(
    rel: &str,
    path: &Path,
    config: &Config,
    release: bool,
    diags: &mut Diagnostics,
) -> Loaded {
    let Some(file) = read(rel, path, diags) else {
        return Loaded::Nothing;
    };
    let Some(parsed) = parse_name(&file, config, diags) else {
        return Loaded::Nothing;
    };
    if parsed.stem == "_module" {
        if parsed.variant.is_some() {
            diags.push(
                Diagnostic::error(
                    "module-variant",
                    "a module page cannot be replaced per variant",
                )
                .in_file(file.name.clone())
                .with_help("use `::: variant` blocks inside `_module.L.md` instead"),
            );
            return Loaded::Nothing;
        }
        return match doc(file, &parsed.lang, None, release, diags) {
            Some(doc) => Loaded::Page(parsed.lang, doc),
            None => Loaded::Nothing,
        };
    }
    if parsed.stem.starts_with('_') {
        diags.push(
            Diagnostic::warning(
                "unknown-special-file",
                format!("`{}` is not a file aula knows", parsed.stem),
            )
            .in_file(file.name.clone())
            .with_help("special files are `_index.L.md` (home) and `_module.L.md` (module page)"),
        );
        return Loaded::Nothing;
    }
    let key = FileKey {
        lang: parsed.lang.clone(),
        variant: parsed.variant.clone(),
    };
    let doc = doc(file, &parsed.lang, parsed.variant, release, diags).map(Box::new);
    Loaded::Session(parsed.stem, key, doc)
}

fn sort_key(order: Option<u64>, name: &str) -> (bool, u64, String) {
    (order.is_none(), order.unwrap_or(0), name.to_string())
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Reads a file the walk resolved (and so already checked: a plain file of the real content
/// folder, or a link `files::inside` let through).
fn read(rel: &str, path: &Path, diags: &mut Diagnostics) -> Option<SourceFile> {
    let name = format!("content/{rel}");
    match crate::files::read_regular(path, crate::files::TEXT_LIMIT) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) if has_lone_cr(&text) => {
                // Old Mac line endings: read as line breaks (else the whole file is one
                // line, and its front matter is not found), and said.
                let text = as_lf(&text);
                let file = SourceFile::new(name, path.to_path_buf(), text);
                diags.push(
                    Diagnostic::warning("line-endings", "this file's lines end in a lone carriage return (CR)")
                        .in_file(file.name.clone())
                        .with_help("aula reads each CR as a line break; save the file with LF (or CRLF) line endings in your editor"),
                );
                Some(file)
            }
            Ok(text) => Some(SourceFile::new(name, path.to_path_buf(), text)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = SourceFile::new(name, path.to_path_buf(), text);
                diags.push(
                    Diagnostic::error("encoding", "this file is not valid UTF-8")
                        .at(&file, offset, 1)
                        .with_help("save the file as UTF-8 in your editor"),
                );
                None
            }
        },
        Err(err) => {
            diags.push(
                Diagnostic::error("io", format!("cannot read this file: {err}")).in_file(name),
            );
            None
        }
    }
}

/// A content file's text read again, as [`read`] reads it; `None` if it cannot be.
pub(super) fn reread(path: &Path) -> Option<String> {
    let bytes = crate::files::read_regular(path, crate::files::TEXT_LIMIT).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(if has_lone_cr(&text) {
        as_lf(&text)
    } else {
        text
    })
}

/// Every line break made a LF (a file of lone CRs is read so).
fn as_lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether an SVG file carries code: a script, an event handler or a `javascript:` link.
fn svg_has_script(path: &Path) -> bool {
    let Ok(bytes) = crate::files::read_regular(path, crate::files::ASSET_LIMIT) else {
        return false;
    };
    crate::html::has_script(&String::from_utf8_lossy(&bytes))
}

/// Whether a carriage return stands alone somewhere (not as part of CRLF).
pub(super) fn has_lone_cr(text: &str) -> bool {
    if !text.contains('\r') {
        return false;
    }
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

fn parse_name(file: &SourceFile, config: &Config, diags: &mut Diagnostics) -> Option<FileName> {
    let base = file.name.rsplit('/').next().unwrap_or(&file.name);
    let base = base.strip_suffix(".md").unwrap_or(base);
    let parts: Vec<&str> = base.split('.').collect();
    let source_lang = config.source_language();
    let langs: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let bad = |diags: &mut Diagnostics, word: &str, what: &str, choices: &[&str]| {
        let help = match closest(word, choices.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("expected one of: {}", choices.join(", ")),
        };
        diags.push(
            Diagnostic::error(
                "file-name",
                format!("`{word}` in this file name is not a configured {what}"),
            )
            .in_file(file.name.clone())
            .with_help(help),
        );
    };
    let variants: Vec<&str> = config.variants.iter().map(String::as_str).collect();
    let (stem, variant, lang) = match parts.as_slice() {
        [stem] => (*stem, None, source_lang),
        [stem, one] if config.is_language(one) => (*stem, None, *one),
        [stem, one] if config.is_variant(one) => (*stem, Some(*one), source_lang),
        [_, one] => {
            bad(diags, one, "language", &langs);
            return None;
        }
        [stem, variant, lang] => {
            if !config.is_variant(variant) {
                bad(diags, variant, "variant", &variants);
                return None;
            }
            if !config.is_language(lang) {
                bad(diags, lang, "language", &langs);
                return None;
            }
            (*stem, Some(*variant), *lang)
        }
        _ => {
            diags.push(
                Diagnostic::error("file-name", "too many dots in this file name")
                    .in_file(file.name.clone())
                    .with_help("name sessions `01-slug.es.md` or `01-slug.rural.es.md`"),
            );
            return None;
        }
    };
    Some(FileName {
        stem: stem.to_string(),
        variant: variant.map(str::to_string),
        lang: lang.to_string(),
    })
}

fn doc<M: for<'de> serde::Deserialize<'de> + frontmatter::HasTitle>(
    file: SourceFile,
    lang: &str,
    variant: Option<String>,
    release: bool,
    diags: &mut Diagnostics,
) -> Option<Doc<M>> {
    match frontmatter::parse::<M>(&file) {
        Ok((meta, body_start)) => {
            let mut doc = Doc {
                source: Arc::new(file),
                meta,
                body_start,
                lang: lang.to_string(),
                variant,
                parsed: Default::default(),
                released: None,
            };
            if release {
                doc.release_body();
            }
            Some(doc)
        }
        Err(ds) => {
            for d in ds {
                diags.push(d);
            }
            None
        }
    }
}

fn check_slug(
    slug: &str,
    name: &str,
    seen: &mut BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    if !is_slug(slug) {
        diags.push(
            Diagnostic::error("slug", format!("`{slug}` cannot be used in a web address"))
                .in_file(format!("content/{name}"))
                .with_help(
                    "use lowercase letters without accents, digits and `-`, e.g. `01-mi-negocio`",
                ),
        );
    }
    if let Some(other) = seen.insert(slug.to_string(), name.to_string()) {
        diags.push(
            Diagnostic::error(
                "duplicate-slug",
                format!("`{name}` and `{other}` would both be published as `{slug}`"),
            )
            .in_file(format!("content/{name}"))
            .with_help("rename one of them"),
        );
    }
}

/// Front matter checks that need the whole session: variants named, translations with a source.
fn check_translations(
    files: &BTreeMap<FileKey, Box<Doc<super::SessionMeta>>>,
    unparsed: &[FileKey],
    config: &Config,
    diags: &mut Diagnostics,
) {
    let source_lang = config.source_language();
    let variants: Vec<&str> = config.variants.iter().map(String::as_str).collect();
    for (key, doc) in files {
        if let Some(list) = &doc.meta.variants {
            for v in list {
                if !config.is_variant(v) {
                    let mut d = Diagnostic::error(
                        "unknown-variant",
                        format!("`{v}` is not a configured variant"),
                    );
                    let end = doc.body_start.min(doc.source.text.len());
                    d = match crate::yaml::find_word(&doc.source, 0, end, v) {
                        Some(offset) => d.at(&doc.source, offset, v.len()),
                        None => d.in_file(doc.source.name.clone()),
                    };
                    let help = match closest(v, variants.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("configured variants: {}", variants.join(", ")),
                    };
                    diags.push(d.with_help(help));
                }
            }
        }
        let has_source = files
            .keys()
            .chain(unparsed)
            .any(|k| k.lang == source_lang && k.variant == key.variant);
        if key.lang != source_lang && !has_source {
            let expected = match &key.variant {
                Some(v) => format!("{v}.{source_lang}.md"),
                None => format!("{source_lang}.md"),
            };
            diags.push(
                Diagnostic::warning(
                    "translation-without-source",
                    "this translation has no source file",
                )
                .in_file(doc.source.name.clone())
                .with_help(format!(
                    "add the source-language file ending in `.{expected}`, or rename this one"
                )),
            );
        }
    }
}
