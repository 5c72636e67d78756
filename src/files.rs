//! Reading the project's files, and nothing else: only regular files that lie inside the
//! project (a symlink is followed only when its target does too), never a FIFO, a device
//! or a socket (a FIFO would hang the build, `/dev/zero` would fill memory: each is looked
//! at by name where it is found, and what is opened is checked again before a byte is
//! read), and never more than a bound. Every file aula reads from a project comes through
//! here; what this module refuses, the caller reports with the file's name.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Markdown, YAML, templates and strings: far more than any session needs.
pub const TEXT_LIMIT: u64 = 16 << 20;
/// Images, fonts and other assets.
pub const ASSET_LIMIT: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("it leads to `{0}`, outside the project (through a symbolic link)")]
    Outside(PathBuf),
    #[error("it is not a regular file ({0})")]
    Special(&'static str),
    #[error("it is larger than {} MB", .0 >> 20)]
    TooLarge(u64),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The warning for a file that [`inside`] refused, at its project-relative `name`.
pub fn skipped(name: String, why: &ReadError) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::warning("not-a-file", format!("skipped: {why}"))
        .in_file(name)
        .with_help(
            "aula reads only regular files inside the project; replace the link with the file itself",
        )
}

/// A path's real location: the real path of its longest existing ancestor (symlinks
/// resolved), with the rest appended (`..` resolved as text, since it does not exist yet).
/// Comparing two such paths tells whether one folder really contains the other, however
/// either was spelled.
pub fn real(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(found) = fs::canonicalize(existing) {
            let mut out = found;
            for part in missing.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                missing.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// What kind of thing a path is, for messages (`symlink_metadata`: links not followed).
fn kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Where `path` really leads, if it is a regular file inside `root` (itself a [`real`]
/// path). A symlink to a file inside the project is fine; one that leads out is not.
pub fn inside(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    // Resolved whole: a linked folder on the way leads out as surely as a linked file.
    let target = fs::canonicalize(path)?;
    if !target.starts_with(root) {
        return Err(ReadError::Outside(target));
    }
    let meta = fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(ReadError::Special(kind(&meta)));
    }
    Ok(target)
}

/// Reads `path`, a regular file inside `root` (a [`real`] path), at most `limit` bytes.
pub fn read(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_regular(&inside(root, path)?, limit)
}

/// Reads `path` if it is a regular file (symlinks followed: for paths that [`inside`]
/// already let through), at most `limit` bytes.
pub fn read_regular(target: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = match open_without_waiting(target) {
        Ok(file) => file,
        // A socket cannot be opened at all: said as what it is.
        Err(e) => {
            return Err(match fs::metadata(target) {
                Ok(meta) if !meta.is_file() => ReadError::Special(kind(&meta)),
                _ => e.into(),
            });
        }
    };
    // Checked on the open file, not on its name: the file read is the file checked.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::Special(kind(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// Opens `target` for reading. On Unix without waiting: a named pipe opens at once (to be
/// refused as one), where a plain open would wait for a writer and hang the build, even
/// for a pipe swapped in after its name was checked. A regular file reads as always.
#[cfg(unix)]
fn open_without_waiting(target: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(target)
}

/// Opens `target` for reading, once its name says it is a regular file.
#[cfg(not(unix))]
fn open_without_waiting(target: &Path) -> io::Result<fs::File> {
    if !fs::metadata(target)?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    fs::File::open(target)
}

/// Reads a text file (see [`read`]); invalid UTF-8 is the caller's to report.
pub fn read_text(root: &Path, path: &Path) -> Result<Result<String, Vec<u8>>, ReadError> {
    let bytes = read(root, path, TEXT_LIMIT)?;
    Ok(String::from_utf8(bytes).map_err(|e| e.into_bytes()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn reads_only_regular_files_inside_the_project() {
        let tmp = tempfile::tempdir().unwrap();
        let root = real(&tmp.path().join("p"));
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("content/a.md"), "a").unwrap();
        fs::write(tmp.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(root.join("content/a.md"), root.join("content/b.md")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("content/c.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("content/z.png")).unwrap();
        assert_eq!(read(&root, &root.join("content/a.md"), 10).unwrap(), b"a");
        assert_eq!(read(&root, &root.join("content/b.md"), 10).unwrap(), b"a");
        assert!(matches!(
            read(&root, &root.join("content/c.md"), 10),
            Err(ReadError::Outside(_))
        ));
        assert!(matches!(
            read(&root, &root.join("content/z.png"), 10),
            Err(ReadError::Outside(_))
        ));
        assert!(matches!(
            read(&root, &root.join("content"), 10),
            Err(ReadError::Special("a folder"))
        ));
        let outside = tmp.path().join("elsewhere");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("t.html"), "t").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("content/linked")).unwrap();
        assert!(matches!(
            read(&root, &root.join("content/linked/t.html"), 10),
            Err(ReadError::Outside(_))
        ));
        fs::write(root.join("content/big.md"), "0123456789x").unwrap();
        assert!(matches!(
            read(&root, &root.join("content/big.md"), 10),
            Err(ReadError::TooLarge(10))
        ));
    }

    #[test]
    fn a_named_pipe_or_a_socket_is_refused_without_waiting() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let socket = tmp.path().join("socket.md");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        // In a thread: were the pipe opened as a file, the read would wait for a writer.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pipe = read_regular(&fifo, 10).map_err(|e| e.to_string());
            let sock = read_regular(&socket, 10).map_err(|e| e.to_string());
            tx.send((pipe, sock)).unwrap();
        });
        let (pipe, sock) = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a named pipe waited for a writer");
        assert_eq!(
            pipe.unwrap_err(),
            ReadError::Special("a named pipe").to_string()
        );
        assert_eq!(
            sock.unwrap_err(),
            ReadError::Special("a socket").to_string()
        );
    }

    #[test]
    fn real_paths_see_through_symlinks_to_missing_children() {
        let tmp = tempfile::tempdir().unwrap();
        let base = real(tmp.path());
        fs::create_dir_all(base.join("proj")).unwrap();
        std::os::unix::fs::symlink(base.join("proj"), base.join("link")).unwrap();
        assert_eq!(real(&base.join("link")), base.join("proj"));
        assert_eq!(
            real(&base.join("link/public/../x/y")),
            base.join("proj/x/y")
        );
    }
}
