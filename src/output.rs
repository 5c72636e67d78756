//! The built site as data ([`Output`], an ordered map from path to content) and the one
//! function that writes it: into a fresh folder beside the old output, swapped in only when
//! complete, so a failed build leaves the previous site untouched. aula deletes nothing but
//! its own previous output, and refuses folders that hold the project or are not its output.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Written into every output folder, so that aula only ever replaces what it made.
pub const MARKER: &str = ".aula-output";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as is (images and other assets).
    Copy(PathBuf),
}

/// Output path (`/`-separated, relative to the output folder) → content.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Content::Bytes(bytes.into()));
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.files.insert(path.into(), Content::Copy(from));
    }

    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(path)
    }

    pub fn extend(&mut self, other: Output) {
        self.files.extend(other.files);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "the output folder `{0}` contains the project or is inside `content/`, `themes/` or `locales/`"
    )]
    Unsafe(PathBuf),
    #[error(
        "`{0}` exists and was not made by aula (no `{MARKER}` file in it); aula will not replace it"
    )]
    NotOurs(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an output folder that would overwrite the project itself.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), WriteError> {
    let root = absolute(root);
    let out = absolute(out);
    let inside_sources = ["content", "themes", "locales"]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources {
        return Err(WriteError::Unsafe(out));
    }
    if out.exists()
        && !out.join(MARKER).exists()
        && fs::read_dir(&out).map_err(io_err(&out))?.next().is_some()
    {
        return Err(WriteError::NotOurs(out));
    }
    Ok(())
}

/// Writes `output` to `out`, atomically as far as the file system allows: into
/// `out.aula-new`, then the old folder is moved aside and the new one moved in.
pub fn write(root: &Path, out: &Path, output: &Output) -> Result<(), WriteError> {
    check_out_dir(root, out)?;
    let out = absolute(out);
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let staging = parent.join(format!(".{name}.aula-new"));
    let old = parent.join(format!(".{name}.aula-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io_err(leftover))?;
        }
    }
    let result = write_tree(&staging, output);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(&out, &old).map_err(io_err(&out))?;
    }
    if let Err(source) = fs::rename(&staging, &out) {
        // Put the previous site back, so a failed swap loses nothing.
        let _ = fs::rename(&old, &out);
        return Err(WriteError::Io { path: out, source });
    }
    if old.exists() {
        remove_tree(&old)?;
    }
    Ok(())
}

/// Where the PDF cache of an output folder lives: beside it, `.public.aula-cache`.
pub fn cache_dir(out: &Path) -> PathBuf {
    let out = absolute(out);
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        .join(format!(".{name}.aula-cache"))
}

/// Adds these PDFs to the cache, keeping the others.
pub fn update_cache_entries(
    dir: &Path,
    output: &Output,
    hashes: &BTreeMap<String, String>,
) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    for (path, hash) in hashes {
        let file = dir.join(format!("{hash}.pdf"));
        if !file.exists()
            && let Some(Content::Bytes(bytes)) = output.get(path)
        {
            fs::write(&file, bytes).map_err(io_err(&file))?;
        }
    }
    Ok(())
}

/// Keeps exactly the PDFs of this build in the cache, by content hash.
pub fn update_cache(
    dir: &Path,
    output: &Output,
    hashes: &BTreeMap<String, String>,
) -> Result<(), WriteError> {
    update_cache_entries(dir, output, hashes)?;
    let keep: std::collections::BTreeSet<PathBuf> = hashes
        .values()
        .map(|hash| dir.join(format!("{hash}.pdf")))
        .collect();
    for entry in fs::read_dir(dir).map_err(io_err(dir))?.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "pdf") && !keep.contains(&path) {
            fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}

fn write_tree(dir: &Path, output: &Output) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    fs::write(
        dir.join(MARKER),
        "This folder is written by aula; it is replaced on every build.\n",
    )
    .map_err(io_err(dir))?;
    // Each folder once, then the files in parallel: a large site is mostly system calls.
    let folders: std::collections::BTreeSet<PathBuf> = output
        .files
        .keys()
        .filter_map(|path| dir.join(path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(io_err(folder))?;
    }
    use rayon::prelude::*;
    output.files.par_iter().try_for_each(|(path, content)| {
        let target = dir.join(path);
        match content {
            Content::Bytes(bytes) => fs::write(&target, bytes).map_err(io_err(&target)),
            Content::Copy(from) => fs::copy(from, &target).map(|_| ()).map_err(io_err(from)),
        }
    })
}

/// Removes a previous output folder, its subfolders in parallel.
fn remove_tree(dir: &Path) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() {
            fs::remove_dir_all(p).map_err(io_err(p))
        } else {
            fs::remove_file(p).map_err(io_err(p))
        }
    })?;
    fs::remove_dir(dir).map_err(io_err(dir))
}

fn absolute(p: &Path) -> PathBuf {
    let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve `..` without requiring the path to exist.
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_project_and_its_sources() {
        let root = Path::new("/tmp/proj");
        assert!(check_out_dir(root, Path::new("/tmp/proj")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/proj/content/out")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/proj/public/../content")).is_err());
    }

    #[test]
    fn replaces_its_own_output_and_refuses_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        let mut o = Output::default();
        o.insert("a/index.html", "one");
        write(&root, &out, &o).unwrap();
        let mut o2 = Output::default();
        o2.insert("b.html", "two");
        write(&root, &out, &o2).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");

        let foreign = root.join("src");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("main.rs"), "fn main() {}").unwrap();
        assert!(matches!(
            write(&root, &foreign, &o),
            Err(WriteError::NotOurs(_))
        ));
        assert!(foreign.join("main.rs").exists());
    }
}
