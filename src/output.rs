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

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files written afresh.
    pub written: usize,
    /// Files identical to the previous output's, linked instead of written: they keep their
    /// dates, so `rsync` and other uploaders send only what changed.
    pub unchanged: usize,
}

/// Writes `output` to `out`, atomically as far as the file system allows: into
/// `out.aula-new`, then the old folder is moved aside and the new one moved in. A file
/// whose bytes are those of the same file in the previous output is hard-linked to it
/// (where the file system allows), not written again.
pub fn write(root: &Path, out: &Path, output: &Output) -> Result<Written, WriteError> {
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
    let previous = out.join(MARKER).is_file().then_some(out.as_path());
    let written = match write_tree(&staging, output, previous) {
        Ok(w) => w,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
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
    Ok(written)
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

fn write_tree(dir: &Path, output: &Output, previous: Option<&Path>) -> Result<Written, WriteError> {
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
    let unchanged = output
        .files
        .par_iter()
        .map(|(path, content)| {
            let target = dir.join(path);
            let bytes = match content {
                Content::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes),
                Content::Copy(from) => {
                    std::borrow::Cow::Owned(fs::read(from).map_err(io_err(from))?)
                }
            };
            // Linking is creating a name; writing is a new file, its blocks and its data.
            if let Some(old) = previous.map(|p| p.join(path))
                && same_bytes(&old, &bytes)
                && fs::hard_link(&old, &target).is_ok()
            {
                return Ok(1);
            }
            fs::write(&target, &*bytes).map_err(io_err(&target))?;
            Ok(0)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(Written {
        written: output.files.len() - unchanged,
        unchanged,
    })
}

/// Whether the regular file at `path` holds exactly `bytes` (read in pieces, stopping at
/// the first difference).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let is_file = fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64);
    let Some(mut file) = is_file.then(|| fs::File::open(path).ok()).flatten() else {
        return false;
    };
    let mut buf = [0u8; 16 * 1024];
    let mut at = 0;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return at == bytes.len(),
            Ok(n) if bytes.get(at..at + n) == Some(&buf[..n]) => at += n,
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
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

    #[test]
    fn unchanged_files_are_linked_changed_and_hand_edited_ones_written() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        let mut o = Output::default();
        o.insert("a/index.html", "same");
        o.insert("b/index.html", "before");
        o.insert("c/index.html", "kept by aula");
        let first = write(&root, &out, &o).unwrap();
        assert_eq!((first.written, first.unchanged), (3, 0));
        // Someone edits the output by hand: aula's bytes come back.
        fs::write(out.join("c/index.html"), "edited by hand").unwrap();
        o.insert("b/index.html", "after");
        let second = write(&root, &out, &o).unwrap();
        assert_eq!((second.written, second.unchanged), (2, 1));
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "same"
        );
        assert_eq!(
            fs::read_to_string(out.join("b/index.html")).unwrap(),
            "after"
        );
        assert_eq!(
            fs::read_to_string(out.join("c/index.html")).unwrap(),
            "kept by aula"
        );
        // The old folder is gone; the linked file has one name left, in the new output.
        assert!(!root.join(".public.aula-old").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().nlink(), 1);
        }
    }
}
