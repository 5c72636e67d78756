use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The aula repository, which is itself a curriculum project (the sample microMBA).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures shared by the workplace, beside the repository (`../shared/fixtures`).
/// A clone without them fails here, saying so, rather than on a lesson not found.
pub fn shared_fixtures() -> PathBuf {
    let dir = repo().join("../shared/fixtures");
    assert!(
        dir.join("carpentries").is_dir(),
        "{} has no lessons: these tests build real lessons kept beside the repository; \
         clone aula next to the `shared` folder",
        dir.display()
    );
    dir
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the aula binary with `args`.
pub fn aula(args: &[&str]) -> Run {
    aula_env(args, &[])
}

/// Runs the aula binary with `args` and these environment variables.
pub fn aula_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(args)
        .env("CI", "true")
        .envs(env.iter().copied())
        .output()
        .expect("run aula");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A project in a temporary folder, made of `(path, text)` files.
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

pub fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Builds `root` into `<tmp>/public` and returns the output folder (kept alive by the TempDir).
pub fn build(root: &Path, extra: &[&str]) -> (TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let root_s = root.to_string_lossy().into_owned();
    let out_s = out.to_string_lossy().into_owned();
    let mut args = vec!["--root", &root_s, "build", "--out", &out_s];
    args.extend_from_slice(extra);
    let run = aula(&args);
    (tmp, out, run)
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

pub const CONFIG: &str = "title: Curso\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\n  - code: quc\n    fallback: es\nvariants: [urban, rural, altiplano]\n";

/// A copy of the sample project (aula.yaml, content/, locales/) to change in a test.
pub fn copy_of_sample() -> (TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("sample");
    fs::create_dir_all(&root).unwrap();
    fs::copy(repo().join("aula.yaml"), root.join("aula.yaml")).unwrap();
    copy(&repo().join("content"), &root.join("content"));
    copy(&repo().join("locales"), &root.join("locales"));
    (tmp, root)
}

/// Adds `lines` at the end of a project's `aula.yaml`.
pub fn add_to_config(root: &Path, lines: &str) {
    let config = root.join("aula.yaml");
    let yaml = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{yaml}{lines}")).unwrap();
}
