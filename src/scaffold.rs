//! `aula new`: the files of a new module or session, one per configured language, with
//! front matter filled in. Never overwrites: if any file exists, nothing is written.

use std::path::{Path, PathBuf};

use crate::config::{Config, is_slug};
use crate::content::order_and_slug;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Module,
    Session,
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "`{0}` is not a valid name: use an order number and lowercase letters, digits and `-`, e.g. `04-mercadeo` or `04-mercadeo/01-clientes`"
    )]
    Name(String),
    #[error("the module folder `{0}` does not exist; create it first with `aula new module {1}`")]
    NoModule(String, String),
    #[error("`{0}` already exists; aula new never overwrites a file")]
    Exists(String),
    #[error("cannot write `{0}`: {1}")]
    Io(String, std::io::Error),
    #[error(
        "`{0}` would be written outside the project (a folder on the way is a link to elsewhere)"
    )]
    Outside(String),
}

/// Creates the files and returns their paths, relative to the project.
pub fn new(root: &Path, config: &Config, kind: Kind, name: &str) -> Result<Vec<String>, NewError> {
    let name = name
        .trim_matches('/')
        .strip_prefix("content/")
        .unwrap_or(name.trim_matches('/'));
    let parts: Vec<&str> = name.split('/').collect();
    let valid = |part: &str| is_slug(order_and_slug(part).1) && !part.contains('.');
    let (dir, stem) = match (kind, parts.as_slice()) {
        (Kind::Module, [module]) if valid(module) => (module.to_string(), "_module".to_string()),
        (Kind::Session, [module, session]) if valid(module) && valid(session) => {
            if !root.join("content").join(module).is_dir() {
                return Err(NewError::NoModule(
                    format!("content/{module}"),
                    module.to_string(),
                ));
            }
            (module.to_string(), session.to_string())
        }
        _ => return Err(NewError::Name(name.to_string())),
    };
    let title = title_from(order_and_slug(if kind == Kind::Module { &dir } else { &stem }).1);
    let source = config.source_language();
    let files: Vec<(String, String)> = config
        .languages
        .iter()
        .map(|l| {
            let rel = format!("content/{dir}/{stem}.{}.md", l.code);
            let note = if l.code == source {
                "TODO: the title"
            } else {
                "TODO: translate, then run `aula stamp` on this file"
            };
            let text = match kind {
                Kind::Module => format!(
                    "---\ntitle: \"{title}\"  # {note}\nsummary: \"\"\nobjectives: []\n---\n"
                ),
                Kind::Session => format!(
                    "---\ntitle: \"{title}\"  # {note}\nduration: 120\nobjectives: []\nmaterials: []\ndraft: true  # remove when the session is ready\n---\n\n## {title}\n"
                ),
            };
            (rel, text)
        })
        .collect();
    if let Some((existing, _)) = files.iter().find(|(rel, _)| root.join(rel).exists()) {
        return Err(NewError::Exists(existing.clone()));
    }
    // Only inside the project: a module folder that is a link to elsewhere is not followed.
    let real_root = crate::files::real(root);
    if let Some((outside, _)) = files
        .iter()
        .find(|(rel, _)| !crate::files::real(&root.join(rel)).starts_with(&real_root))
    {
        return Err(NewError::Outside(outside.clone()));
    }
    for (rel, text) in &files {
        let path: PathBuf = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| NewError::Io(rel.clone(), e))?;
        }
        // create_new: a file that appeared since the check above is not overwritten either.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| NewError::Io(rel.clone(), e))?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| NewError::Io(rel.clone(), e))?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// `mis-clientes` → `Mis clientes`.
fn title_from(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
