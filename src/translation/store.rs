//! The record of what each translation was translated from: `aula stamp` keeps the source
//! as it was in `stamps/<source_hash>.md`, one plain file per stamped source version (its
//! name is its hash, so the folder is content-addressed, deterministic and reads well in a
//! team's git history). Where a record is missing (a translation stamped before aula kept
//! them), the stamped version is looked for in the project's git history.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::status::source_hash;
use crate::files;

/// The folder of the records, in the project.
pub const DIR: &str = "stamps";

/// At most this many commits of a source's history are searched for its stamped version.
const GIT_COMMITS: usize = 2000;

/// The source a translation was stamped against, and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stamped {
    /// In the project's record, `stamps/<hash>.md`.
    Record(String),
    /// In the project's git history, at this commit.
    Git { commit: String, text: String },
    /// Not found; why, in words.
    Missing(String),
}

impl Stamped {
    pub fn text(&self) -> Option<&str> {
        match self {
            Stamped::Record(t) | Stamped::Git { text: t, .. } => Some(t),
            Stamped::Missing(_) => None,
        }
    }

    /// Where the text came from, in words: `stamps/abc.md`, `git commit 1a2b3c4d`.
    pub fn origin(&self, hash: &str) -> String {
        match self {
            Stamped::Record(_) => format!("{DIR}/{hash}.md"),
            Stamped::Git { commit, .. } => {
                format!("git commit {}", &commit[..commit.len().min(10)])
            }
            Stamped::Missing(why) => why.clone(),
        }
    }
}

/// The record's path for a hash (a hash is hex digits; anything else has no record).
fn record_path(root: &Path, hash: &str) -> Option<std::path::PathBuf> {
    (!hash.is_empty() && hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| root.join(DIR).join(format!("{hash}.md")))
}

/// Keeps `text` (a source as it is stamped) as the record of its hash. Written beside and
/// renamed, so a record is whole or absent; an existing record is left as it is.
pub fn keep(root: &Path, text: &str) -> std::io::Result<String> {
    let normalised = text.replace("\r\n", "\n");
    let hash = source_hash(&normalised);
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir)?;
    // Never written through a link that leads out of the project.
    let real_root = files::real(root);
    if !files::real(&dir).starts_with(&real_root) {
        return Err(std::io::Error::other(format!(
            "`{DIR}/` leads outside the project"
        )));
    }
    let path = dir.join(format!("{hash}.md"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(hash);
    }
    let tmp = dir.join(format!(".{hash}.md.tmp"));
    std::fs::write(&tmp, normalised.as_bytes())
        .and_then(|()| std::fs::rename(&tmp, &path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
    Ok(hash)
}

/// Removes the record of `hash`, when a new stamp replaced the last translation using it.
pub fn forget(root: &Path, hash: &str) {
    if let Some(path) = record_path(root, hash)
        && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
    {
        let _ = std::fs::remove_file(path);
    }
}

/// The source at `source_path` (relative to the project) as it was when it had `hash`:
/// from the record, else from git history.
pub fn stamped(root: &Path, hash: &str, source_path: &str) -> Stamped {
    let Some(path) = record_path(root, hash) else {
        return Stamped::Missing(format!("`{hash}` is not a source hash"));
    };
    let real_root = files::real(root);
    if let Ok(Ok(text)) = files::read_text(&real_root, &path) {
        // A record edited by hand is not what was stamped.
        if source_hash(&text) == hash {
            return Stamped::Record(text.replace("\r\n", "\n"));
        }
    }
    match from_git(root, hash, source_path) {
        Ok(Some((commit, text))) => Stamped::Git { commit, text },
        Ok(None) => Stamped::Missing(format!(
            "no record in {DIR}/ and no version of `{source_path}` in the git history has hash {hash}"
        )),
        Err(why) => Stamped::Missing(format!("no record in {DIR}/, and {why}")),
    }
}

/// Searches the commits that touched `source_path`, newest first, for a version whose hash
/// is `hash`. Only git's plumbing is run (no pager, hooks, filters or text conversion).
fn from_git(
    root: &Path,
    hash: &str,
    source_path: &str,
) -> Result<Option<(String, String)>, String> {
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.arg("-C")
            .arg(root)
            .args(["-c", "core.fsmonitor=false", "--no-pager"])
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stderr(Stdio::null());
        c
    };
    let listed = git(&["rev-list", "--all", "--", source_path])
        .stdin(Stdio::null())
        .output()
        .map_err(|_| "git is not available to look in the project's history".to_string())?;
    if !listed.status.success() {
        return Err("the project is not in a git repository".to_string());
    }
    let commits: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .take(GIT_COMMITS)
        .map(str::to_string)
        .collect();
    if commits.is_empty() {
        return Ok(None);
    }
    let mut batch = git(&["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git cat-file failed: {e}"))?;
    let (Some(mut input), Some(output)) = (batch.stdin.take(), batch.stdout.take()) else {
        return Err("git cat-file gave no pipes".to_string());
    };
    let mut output = BufReader::new(output);
    let mut found = None;
    for commit in commits {
        // `./` makes the path relative to the project, wherever the repository's top is.
        if writeln!(input, "{commit}:./{source_path}")
            .and_then(|()| input.flush())
            .is_err()
        {
            break;
        }
        let mut header = String::new();
        if output.read_line(&mut header).unwrap_or(0) == 0 {
            break;
        }
        let mut parts = header.split_whitespace();
        let (Some(_), Some("blob"), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            continue; // `missing`: the file did not exist there under this name.
        };
        let Ok(size) = size.parse::<u64>() else { break };
        if size > files::TEXT_LIMIT {
            break;
        }
        let mut blob = Vec::with_capacity(size as usize + 1);
        if (&mut output).take(size + 1).read_to_end(&mut blob).is_err() {
            break;
        }
        blob.pop(); // the newline after each object
        if let Ok(text) = String::from_utf8(blob)
            && source_hash(&text) == hash
        {
            found = Some((commit, text.replace("\r\n", "\n")));
            break;
        }
    }
    drop(input);
    let _ = batch.kill();
    let _ = batch.wait();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_kept_once_read_back_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let text = "---\r\ntitle: Uno\r\n---\r\nTexto.\r\n";
        let hash = keep(root, text).unwrap();
        assert_eq!(hash, source_hash(text));
        assert_eq!(keep(root, text).unwrap(), hash);
        let stamped = stamped(root, &hash, "content/m/s.es.md");
        assert_eq!(
            stamped,
            Stamped::Record("---\ntitle: Uno\n---\nTexto.\n".to_string())
        );
        // A record changed by hand is not trusted.
        std::fs::write(root.join(DIR).join(format!("{hash}.md")), "otro").unwrap();
        assert!(matches!(
            super::stamped(root, &hash, "content/m/s.es.md"),
            Stamped::Missing(_)
        ));
        forget(root, &hash);
        assert!(!root.join(DIR).join(format!("{hash}.md")).exists());
        // A hash that is not one never names a file.
        assert!(record_path(root, "../x").is_none());
    }
}
