//! The staging folder: a build's files written beside the output as they are made, then
//! swapped in whole; and the manifest of what the last build wrote, so that a file whose
//! bytes did not change is linked from the previous output instead of written again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{
    Content, MARKER, Output, WriteError, Written, beside, cache_dir, check_out_dir, io_err,
    remove_leftover,
};

/// A file written early into the staging folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staged {
    entry: Entry,
    /// Linked to the previous output's file rather than written.
    linked: bool,
}

/// What the last build wrote into an output folder, kept beside it (in its cache folder,
/// so it is not published): per file, a hash of its bytes, their length and the file's
/// modification time. A file whose new bytes hash alike, and which is still as aula left
/// it (same length and time), is linked into the next output instead of written: no file
/// of the previous output has to be read, only looked at.
#[derive(Debug, Default)]
struct Manifest(std::collections::HashMap<String, Entry>);

/// (Bytes and 64-bit numbers, not `u128`s, which would align an entry, and each of the
/// maps holding one per file, to 16 bytes: 32 bytes, not 48.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: [u8; 16],
    len: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 when unknown, or past 2554:
    /// such a file is never linked).
    mtime: u64,
}

impl Manifest {
    fn path(out: &Path) -> PathBuf {
        cache_dir(out).join("site-files.txt")
    }

    /// The manifest of `out`; empty when there is none or it cannot be read.
    fn load(out: &Path) -> Manifest {
        let text = fs::read_to_string(Manifest::path(out)).unwrap_or_default();
        let entries = text
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(4, ' ');
                let hash = u128::from_str_radix(parts.next()?, 16).ok()?.to_be_bytes();
                let len = parts.next()?.parse().ok()?;
                let mtime = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), Entry { hash, len, mtime }))
            })
            .collect();
        Manifest(entries)
    }

    /// Writes the manifest of `out` (sorted, one file per line); on failure removes the
    /// old one, which no longer describes the output.
    fn save(&self, out: &Path) {
        let path = Manifest::path(out);
        let mut entries: Vec<(&String, &Entry)> = self.0.iter().collect();
        entries.sort_unstable_by_key(|(p, _)| *p);
        let text: String = entries
            .iter()
            .map(|(p, e)| {
                let hash = u128::from_be_bytes(e.hash);
                format!("{hash:032x} {} {} {p}\n", e.len, e.mtime)
            })
            .collect();
        let tmp = path.with_extension("txt.new");
        let saved = path
            .parent()
            .is_some_and(|dir| fs::create_dir_all(dir).is_ok())
            && fs::write(&tmp, text).is_ok()
            && fs::rename(&tmp, &path).is_ok();
        if !saved {
            let _ = fs::remove_file(&path);
        }
    }
}

/// A hash of a file's bytes for the manifest: the first 128 bits of their SHA-256, stable
/// across toolchains (a file is linked instead of written when its hash and length match,
/// so a collision would publish stale bytes).
fn content_hash(bytes: &[u8]) -> [u8; 16] {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    first
}

fn mtime(meta: &fs::Metadata) -> Option<u64> {
    let t = meta.modified().ok()?;
    u64::try_from(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos()).ok()
}

/// A build's output on its way to `out`: written into `.out.aula-new` (as it is rendered,
/// with [`Staging::stage`], or at the end), then the old folder is moved aside (to
/// `.out.aula-old`, removed by the next build: see [`super::clear_previous`]) and the new
/// one moved in ([`Staging::finish`]). A file whose bytes are those of the same file in the
/// previous output is hard-linked to it (where the file system allows), not written
/// again. Dropped unfinished (a failed build), the staging folder is removed and the
/// previous output is untouched.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    manifest: Manifest,
    /// Whether `out` holds aula's previous output (files may be linked from it).
    previous: bool,
    done: bool,
}

impl Staging {
    /// Prepares the staging folder for `out`, refusing an output folder that is not
    /// aula's (see [`check_out_dir`]).
    pub fn new(root: &Path, out: &Path) -> Result<Staging, WriteError> {
        check_out_dir(root, out)?;
        let out = crate::files::real(out);
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let dir = beside(&out, "aula-new");
        // The previous output moved aside is `clear_previous`'s (running meanwhile) and
        // [`Staging::finish`]'s.
        remove_leftover(&dir)?;
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        fs::write(
            dir.join(MARKER),
            "This folder is written by aula; it is replaced on every build.\n",
        )
        .map_err(io_err(&dir))?;
        Ok(Staging {
            manifest: Manifest::load(&out),
            previous: out.join(MARKER).is_file(),
            out,
            dir,
            done: false,
        })
    }

    /// Writes the files of `output` that are bytes into the staging folder now and keeps
    /// only their hashes: what a rendered edition holds goes to disk before the next is
    /// rendered. If writing fails, the output is given back as it was (the error comes
    /// again, and is reported, when the build is finished).
    pub fn stage(&self, output: Output) -> Output {
        let bytes: Vec<(&String, &Content)> = output
            .files
            .iter()
            .filter(|(_, c)| matches!(c, Content::Bytes(_)))
            .collect();
        let staged = match self.write_files(&bytes) {
            Ok(staged) => staged,
            Err(_) => return output,
        };
        let mut output = output;
        for (path, staged) in staged {
            output.files.insert(path, Content::Staged(staged));
        }
        output
    }

    /// Writes one file into the staging folder now (a typeset PDF); `None` if it cannot,
    /// and the caller keeps the bytes.
    pub fn stage_file(&self, path: &str, bytes: &[u8]) -> Option<Staged> {
        let target = self.dir.join(path);
        fs::create_dir_all(target.parent()?).ok()?;
        self.write_bytes(path, bytes).ok()
    }

    /// A file staged earlier, read back (a pack's parts, once they are all typeset).
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        fs::read(self.dir.join(path)).ok()
    }

    /// Writes the rest of `output`, swaps the staging folder in and keeps the manifest.
    pub fn finish(mut self, output: &Output) -> Result<Written, WriteError> {
        let files: Vec<(&String, &Content)> = output.files.iter().collect();
        let written = self.write_files(&files)?;
        let unchanged = written.iter().filter(|(_, s)| s.linked).count();
        let counts = Written {
            written: written.len() - unchanged,
            unchanged,
        };
        let manifest = Manifest(written.into_iter().map(|(p, s)| (p, s.entry)).collect());
        let old = beside(&self.out, "aula-old");
        remove_leftover(&old)?;
        if self.out.exists() {
            fs::rename(&self.out, &old).map_err(io_err(&self.out))?;
        }
        if let Err(source) = fs::rename(&self.dir, &self.out) {
            // Put the previous site back, so a failed swap loses nothing.
            let _ = fs::rename(&old, &self.out);
            return Err(WriteError::Io {
                path: self.out.clone(),
                source,
            });
        }
        self.done = true;
        manifest.save(&self.out);
        Ok(counts)
    }

    /// Writes `files` into the staging folder (folders once, then the files in parallel:
    /// a large site is mostly system calls); files already staged are only counted.
    fn write_files(
        &self,
        files: &[(&String, &Content)],
    ) -> Result<Vec<(String, Staged)>, WriteError> {
        let folders: std::collections::BTreeSet<PathBuf> = files
            .iter()
            .filter(|(_, c)| !matches!(c, Content::Staged(_)))
            .filter_map(|(path, _)| self.dir.join(path).parent().map(Path::to_path_buf))
            .collect();
        for folder in &folders {
            fs::create_dir_all(folder).map_err(io_err(folder))?;
        }
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|(path, content)| Ok(((*path).clone(), self.write_file(path, content)?)))
            .collect()
    }

    fn write_file(&self, path: &str, content: &Content) -> Result<Staged, WriteError> {
        let bytes = match content {
            Content::Staged(staged) => return Ok(*staged),
            Content::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes),
            Content::Copy(from) => std::borrow::Cow::Owned(
                crate::files::read_regular(from, crate::files::ASSET_LIMIT).map_err(|e| {
                    WriteError::Io {
                        path: from.clone(),
                        source: io::Error::other(e.to_string()),
                    }
                })?,
            ),
        };
        self.write_bytes(path, &bytes)
    }

    fn write_bytes(&self, path: &str, bytes: &[u8]) -> Result<Staged, WriteError> {
        let target = self.dir.join(path);
        let (hash, len) = (content_hash(bytes), bytes.len() as u64);
        // Linking is creating a name; writing is a new file, its blocks and its data.
        if self.previous
            && let Some(before) = self.manifest.0.get(path)
            && (before.hash, before.len) == (hash, len)
        {
            let old = self.out.join(path);
            let untouched = fs::symlink_metadata(&old).is_ok_and(|m| {
                m.file_type().is_file() && m.len() == len && mtime(&m) == Some(before.mtime)
            });
            if untouched && fresh(&target, || fs::hard_link(&old, &target)).is_ok() {
                return Ok(Staged {
                    entry: *before,
                    linked: true,
                });
            }
        }
        let create = || {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
        };
        let mut file = fresh(&target, create).map_err(io_err(&target))?;
        std::io::Write::write_all(&mut file, bytes).map_err(io_err(&target))?;
        let mtime = file.metadata().ok().and_then(|m| mtime(&m)).unwrap_or(0);
        Ok(Staged {
            entry: Entry { hash, len, mtime },
            linked: false,
        })
    }
}

/// `make` a new name at `target`, never writing through it: a file staged earlier and
/// replaced since (the print centre, once the PDFs are counted) may be a link to the
/// previous output's file, and is unlinked first.
fn fresh<T>(target: &Path, make: impl Fn() -> io::Result<T>) -> io::Result<T> {
    match make() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(target)?;
            make()
        }
        made => made,
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;
    use super::super::{clear_previous, write};
    use super::*;

    fn text(path: PathBuf) -> String {
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn unchanged_files_are_linked_changed_and_hand_edited_ones_written() {
        let (_tmp, root, out) = project();
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
        assert_eq!(text(out.join("a/index.html")), "same");
        assert_eq!(text(out.join("b/index.html")), "after");
        assert_eq!(text(out.join("c/index.html")), "kept by aula");
        // The previous output waits beside the new one until the next build clears it;
        // then the linked file has one name left, in the new output.
        assert!(root.join(".public.aula-old/b/index.html").exists());
        clear_previous(&out).join().unwrap();
        assert!(!root.join(".public.aula-old").exists());
        // What was written is listed beside the output, not published in it.
        let listed = text(root.join(".public.aula-cache/site-files.txt"));
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(
            listed.lines().all(|l| l.ends_with("/index.html")),
            "{listed}"
        );
        assert!(!fs::read_dir(&out).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .contains("site-files")
        }));
        // Without that list (an older aula, a cleaned cache) every file is written again.
        fs::remove_file(root.join(".public.aula-cache/site-files.txt")).unwrap();
        let third = write(&root, &out, &o).unwrap();
        assert_eq!((third.written, third.unchanged), (3, 0));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().nlink(), 1);
        }
    }

    #[test]
    fn a_file_staged_again_never_writes_through_its_link_to_the_previous_output() {
        let (_tmp, root, out) = project();
        let mut o = Output::default();
        o.insert("print/index.html", "without page counts");
        write(&root, &out, &o).unwrap();
        let staging = Staging::new(&root, &out).unwrap();
        // Linked to the previous output's file, then staged again with other bytes (the
        // print centre, once the PDFs are counted).
        let first = staging.stage(std::mem::take(&mut o));
        assert!(matches!(
            first.get("print/index.html"),
            Some(Content::Staged(Staged { linked: true, .. }))
        ));
        let mut again = Output::default();
        again.insert("print/index.html", "with page counts");
        let again = staging.stage(again);
        assert!(matches!(
            again.get("print/index.html"),
            Some(Content::Staged(Staged { linked: false, .. }))
        ));
        assert_eq!(text(out.join("print/index.html")), "without page counts");
        staging.finish(&again).unwrap();
        assert_eq!(text(out.join("print/index.html")), "with page counts");
        assert_eq!(
            text(root.join(".public.aula-old/print/index.html")),
            "without page counts"
        );
    }
}
