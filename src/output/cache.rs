//! The PDF cache beside an output folder (`.public.aula-cache`): each PDF under the hash of
//! everything it was made from, sealed with the SHA-256 of its bytes so that an entry cut
//! short by a crash is never trusted.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{Content, Output, WriteError, beside, io_err};

/// Where the PDF cache of an output folder lives: beside it, `.public.aula-cache`.
pub fn cache_dir(out: &Path) -> PathBuf {
    beside(&crate::files::real(out), "aula-cache")
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
            keep_in_cache(dir, hash, bytes)?;
        }
    }
    Ok(())
}

/// Adds one PDF to the cache under its content hash (a PDF typeset while others are).
pub fn keep_in_cache(dir: &Path, hash: &str, pdf: &[u8]) -> Result<(), WriteError> {
    let file = dir.join(format!("{hash}.pdf"));
    if file.exists() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    // Written whole under another name, then renamed: a build stopped halfway leaves no
    // truncated entry that a later build would trust. The name is this thread's, as two
    // documents may have the same bytes.
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    let tmp = dir.join(format!("{hash}.pdf.{thread}.new"));
    fs::write(&tmp, seal(pdf))
        .and_then(|()| fs::rename(&tmp, &file))
        .map_err(|source| {
            let _ = fs::remove_file(&tmp);
            WriteError::Io { path: file, source }
        })
}

const SEAL: &[u8] = b"\n%aula-sha256 ";

/// A cache entry: the PDF, then a line with the SHA-256 of the PDF (a PDF reader ignores
/// it as a comment after `%%EOF`; aula strips it).
fn seal(pdf: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(pdf);
    let mut out = Vec::with_capacity(pdf.len() + SEAL.len() + 65);
    out.extend_from_slice(pdf);
    out.extend_from_slice(SEAL);
    for b in digest {
        out.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    out.push(b'\n');
    out
}

/// The PDF of a cache entry, if the entry is whole: its seal must match its bytes.
pub fn unseal(mut entry: Vec<u8>) -> Option<Vec<u8>> {
    use sha2::Digest;
    let tail = SEAL.len() + 65;
    if entry.len() < tail || entry.last() != Some(&b'\n') {
        return None;
    }
    let split = entry.len() - tail;
    let (pdf, seal) = entry.split_at(split);
    let hex = seal.strip_prefix(SEAL)?.strip_suffix(b"\n")?;
    let digest = sha2::Sha256::digest(pdf);
    let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if hex != expected.as_bytes() {
        return None;
    }
    entry.truncate(split);
    Some(entry)
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
        let ours = path.extension().is_some_and(|e| e == "pdf" || e == "new");
        if ours && !keep.contains(&path) {
            fs::remove_file(&path).map_err(io_err(&path))?;
        }
    }
    Ok(())
}
