//! The built site as data ([`Output`], an ordered map from path to content) and the one
//! function that writes it: into a fresh folder beside the old output, swapped in only when
//! complete, so a failed build leaves the previous site untouched. aula deletes nothing but
//! its own previous output, and refuses folders that hold the project or are not its output.

mod cache;
mod staging;

pub use cache::{cache_dir, keep_in_cache, unseal, update_cache, update_cache_entries};
pub use staging::{Staged, Staging};

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
    /// Already written into the staging folder by [`Staging::stage`]: what is kept of it
    /// is its hash, so a large site is not held in memory until the end of the build.
    Staged(Staged),
}

/// Output path (`/`-separated, relative to the output folder) → content.
#[derive(Debug, Default)]
pub struct Output {
    pub files: BTreeMap<String, Content>,
    /// Paths given two different contents (a session named like a page aula makes): the
    /// pipeline reports them, since one would silently replace the other.
    pub twice: std::collections::BTreeSet<String>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.put(path.into(), Content::Bytes(bytes.into()));
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.put(path.into(), Content::Copy(from));
    }

    fn put(&mut self, path: String, content: Content) {
        match self.files.entry(path) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(content);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                // The same image copied by every edition is one file, not a clash.
                if *e.get() != content {
                    self.twice.insert(e.key().clone());
                    e.insert(content);
                }
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&Content> {
        self.files.get(path)
    }

    pub fn extend(&mut self, other: Output) {
        self.twice.extend(other.twice);
        for (path, content) in other.files {
            self.put(path, content);
        }
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
    #[error(
        "another aula is building into `{0}` right now; wait for it to finish (or stop it), then build again"
    )]
    Busy(PathBuf),
}

/// Held while a build writes an output folder and its cache: a second build into the same
/// folder is told so at once instead of failing halfway. Released when dropped (and by the
/// system when the process ends, however it ends).
#[derive(Debug)]
pub struct Lock {
    /// Held open: the lock lasts as long as the file is.
    _file: fs::File,
}

impl Lock {
    pub fn take(out: &Path) -> Result<Lock, WriteError> {
        let dir = cache_dir(out);
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let path = dir.join("lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(WriteError::Busy(crate::files::real(out))),
            Err(fs::TryLockError::Error(source)) => Err(WriteError::Io { path, source }),
        }
    }
}

/// Removes a leftover staging or previous-output folder, but only one aula marked as its
/// own (or an empty one, from a build stopped before it marked it).
fn remove_leftover(path: &Path) -> Result<(), WriteError> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    if path.join(MARKER).is_file() {
        return fs::remove_dir_all(path).map_err(io_err(path));
    }
    if fs::remove_dir(path).is_ok() {
        return Ok(());
    }
    Err(WriteError::NotOurs(path.to_path_buf()))
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an output folder that would overwrite the project itself. Paths are compared
/// where they really lead (symlinks resolved), however they were spelled.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), WriteError> {
    let root = crate::files::real(root);
    let out = crate::files::real(out);
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

/// Starts removing the output of the build before the last (`.public.aula-old`, which the
/// last build moved aside) on a thread of its own: deleting tens of thousands of names is
/// mostly waiting on the disk, and overlaps with loading and rendering. Join it before
/// [`write`]. Only a folder aula marked as its own is removed.
pub fn clear_previous(out: &Path) -> std::thread::JoinHandle<()> {
    let old = beside(&crate::files::real(out), "aula-old");
    std::thread::spawn(move || {
        if old.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&old);
        }
    })
}

/// The folder beside `out` named `.{name}.{suffix}`: the staging folder, the previous
/// output, the cache.
fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        .join(format!(".{name}.{suffix}"))
}

/// Writes `output` to `out`, atomically as far as the file system allows (see
/// [`Staging`]).
pub fn write(root: &Path, out: &Path, output: &Output) -> Result<Written, WriteError> {
    Staging::new(root, out)?.finish(output)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn refuses_the_project_and_its_sources() {
        let root = Path::new("/tmp/proj");
        assert!(check_out_dir(root, Path::new("/tmp/proj")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/proj/content/out")).is_err());
        assert!(check_out_dir(root, Path::new("/tmp/proj/public/../content")).is_err());
    }

    /// A project folder in a temporary directory, and its default output folder.
    pub(super) fn project() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        (tmp, root, out)
    }

    #[test]
    fn replaces_its_own_output_and_refuses_foreign_folders() {
        let (_tmp, root, out) = project();
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
