//! Real lessons written for another tool (the Carpentries Workbench), from
//! `../shared/fixtures/carpentries` (CC BY 4.0; see the ATTRIBUTION.md there).
//!
//! The conversion below is what a user would do to move a Workbench lesson into aula:
//! episodes become a module, the Workbench's `teaching` + `exercises` minutes become
//! `duration`, its block names are declared under `callouts:` and `aliases:`. The fixture
//! ships without the lesson's binary figures, so missing `fig/` files are replaced by
//! small SVGs. Nothing else in the text is touched.

use std::fs;
use std::path::Path;

use crate::common::*;

const CONFIG: &str = "title: El Control de Versiones con Git\nlanguages:\n  - code: es\nvariants: [general]\ncallouts: [challenge, objectives, questions, keypoints, prereq, callout-box]\naliases: {instructor: facilitator, callout: note}\n";

/// Lays a Workbench lesson out as an aula project in a temp folder.
fn convert(lesson: &Path, config: &str) -> tempfile::TempDir {
    let p = project(&[("aula.yaml", config)]);
    for folder in ["episodes", "learners"] {
        let Ok(entries) = fs::read_dir(lesson.join(folder)) else {
            continue;
        };
        let mut names: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names.into_iter().filter(|n| n.ends_with(".md")) {
            let text = read(lesson.join(folder).join(&name));
            let text = convert_front_matter(&text);
            for fig in figures(&text) {
                let target = p.path().join("content").join(folder).join(&fig);
                if !target.exists() {
                    let stub: &[u8] = if fig.ends_with(".png") { PNG } else { SVG };
                    fs::create_dir_all(target.parent().unwrap()).unwrap();
                    fs::write(&target, stub).unwrap();
                }
            }
            write(p.path(), &format!("content/{folder}/{name}"), &text);
        }
    }
    p
}

/// Keeps `title`, turns `teaching` + `exercises` into `duration`, drops the rest.
fn convert_front_matter(text: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text.to_string();
    };
    let Some(end) = rest.find("\n---\n") else {
        return text.to_string();
    };
    let (yaml, body) = (&rest[..end], &rest[end + 5..]);
    let mut title = None;
    let mut minutes = 0;
    for line in yaml.lines() {
        if let Some(t) = line.strip_prefix("title:") {
            title = Some(t.trim().to_string());
        } else if let Some(n) = line
            .strip_prefix("teaching:")
            .or_else(|| line.strip_prefix("exercises:"))
        {
            minutes += n.trim().parse::<u32>().unwrap_or(0);
        }
    }
    let title = title.unwrap_or_else(|| "Sin título".into());
    // Same number of front matter lines, so that diagnostics keep the lesson's line numbers.
    let mut out = format!("---\ntitle: {title}\n");
    let mut lines = 1;
    if minutes > 0 {
        out.push_str(&format!("duration: {minutes}\n"));
        lines += 1;
    }
    for _ in lines..yaml.lines().count() {
        out.push_str("# (Workbench key)\n");
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

/// A 1×1 PNG and a 1×1 SVG, standing for the lesson's figures.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];
const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>";

fn figures(text: &str) -> Vec<String> {
    text.split("](fig/")
        .skip(1)
        .filter_map(|s| s.split(')').next())
        .map(|f| format!("fig/{f}"))
        .collect()
}

#[test]
fn the_spanish_git_lesson_builds_with_callouts_and_aliases() {
    let lesson = shared_fixtures().join("carpentries/git-novice-es");
    let p = convert(&lesson, CONFIG);
    let root = p.path().to_string_lossy().into_owned();
    let check = aula(&["--root", &root, "check"]);
    // The lesson has one real defect upstream: a glossary link to `#revisin` (an old
    // kramdown slug) where the glossary defines `{#revisión}`. aula finds exactly that.
    let errors: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(
        errors,
        vec!["error[broken-anchor]: `../learners/reference.md` has no section `#revisin`"],
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("did you mean `#revisión`?"),
        "{}",
        check.stderr
    );

    // With that one link mended, the lesson builds.
    for entry in fs::read_dir(p.path().join("content/episodes")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            fs::write(&path, read(&path).replace("#revisin", "#revisión")).unwrap();
        }
    }
    let (_t, out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/general/episodes/create/index.html"));
    assert!(page.contains("<h1>Creando un repositorio</h1>"));
    assert!(page.contains("<div class=\"block callout callout-objectives\" role=\"note\">"));
    assert!(page.contains("<div class=\"block callout callout-challenge\" role=\"note\">"));
    assert!(page.contains("<div class=\"block callout callout-solution\" role=\"note\">"));
    let changes = read(out.join("es/general/episodes/changes/index.html"));
    assert!(
        changes.contains("<div class=\"block callout callout-note\" role=\"note\">"),
        "callout is an alias of note"
    );
    // Glossary anchors written as Pandoc bracketed spans resolve.
    let reference = read(out.join("es/general/learners/reference/index.html"));
    assert!(reference.contains("<span id=\"changeset\">changeset</span>"));
    let intro = read(out.join("es/general/episodes/basics/index.html"));
    assert!(intro.contains("<h1>"));
}

#[test]
fn the_broken_french_lesson_gives_clear_errors_not_a_crash() {
    let lesson = shared_fixtures().join("carpentries/shell-novice-french");
    let config = CONFIG.replace("languages:\n  - code: es", "languages:\n  - code: fr");
    let p = convert(&lesson, &config);
    let run = aula(&["--root", &p.path().to_string_lossy(), "check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    // Translated block names are errors with the English name suggested.
    assert!(run.stderr.contains(
        "error[block-word]: `objectifs` is not a variant, an audience or a callout kind"
    ));
    assert!(
        run.stderr.contains("did you mean `objectives`?"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}
