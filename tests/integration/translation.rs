//! Translators' view of a change: the stamped source kept in `stamps/`, section states in
//! `status`, `aula diff`, and the stamped version found in git history.

use std::process::Command;

use crate::common::*;

const SOURCE: &str = "---\ntitle: Mi negocio\nobjectives:\n  - Presentar el negocio.\n---\n\nUna introducción.\n\n## Bienvenida {#bienvenida}\n\nCada una dice su nombre.\n\n## Fortalezas\n\nTres fortalezas.\n\n## Cierre\n\nGuarde su hoja.\n";

const FRENCH: &str = "---\ntitle: Mon activité\nobjectives:\n  - Présenter l'activité.\n---\n\nUne introduction.\n\n## Accueil {#bienvenida}\n\nChacune dit son nom.\n\n## Forces\n\nTrois forces.\n\n## Clôture\n\nGardez votre feuille.\n";

const SRC: &str = "content/01-m/01-a.es.md";
const FR: &str = "content/01-m/01-a.fr.md";

fn stamped_project() -> tempfile::TempDir {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/_module.es.md", "---\ntitle: Módulo\n---\n"),
        (SRC, SOURCE),
        (FR, FRENCH),
    ]);
    let root = p.path().to_str().unwrap();
    let run = aula(&["--root", root, "stamp", FR]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p
}

fn edit(p: &tempfile::TempDir, from: &str, to: &str) {
    let path = p.path().join(SRC);
    let text = read(&path);
    assert!(text.contains(from), "{from:?} not in the source");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// The French entry's sections, as `(id, state)`.
fn sections(p: &tempfile::TempDir) -> Vec<(String, String)> {
    let run = aula(&[
        "--root",
        p.path().to_str().unwrap(),
        "status",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == FR)
        .expect("an entry for the French file")
        .clone();
    entry["sections"]
        .as_array()
        .unwrap_or_else(|| panic!("no sections in {entry}"))
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn changed(sections: &[(String, String)]) -> Vec<(&str, &str)> {
    sections
        .iter()
        .filter(|(_, s)| s != "unchanged")
        .map(|(i, s)| (i.as_str(), s.as_str()))
        .collect()
}

#[test]
fn a_stamp_keeps_the_source_as_it_was_named_by_its_hash() {
    let p = stamped_project();
    let hash = read(p.path().join(FR))
        .lines()
        .find_map(|l| l.strip_prefix("source_hash: ").map(str::to_string))
        .expect("a source_hash line");
    assert_eq!(read(p.path().join(format!("stamps/{hash}.md"))), SOURCE);
    let all = sections(&p);
    assert_eq!(
        all.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>(),
        [
            "title",
            "objectives",
            "_intro",
            "bienvenida",
            "fortalezas",
            "cierre"
        ]
    );
    assert!(changed(&all).is_empty(), "{all:?}");
    // Stamped again after a change, the record it replaced goes (nothing else uses it).
    edit(&p, "Tres fortalezas.", "Tres fortalezas, con un ejemplo.");
    let run = aula(&["--root", p.path().to_str().unwrap(), "stamp", FR]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records: Vec<String> = std::fs::read_dir(p.path().join("stamps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_ne!(records[0], format!("{hash}.md"));
}

#[test]
fn one_edited_section_is_the_only_one_changed() {
    let p = stamped_project();
    edit(&p, "Tres fortalezas.", "Tres fortalezas y una debilidad.");
    assert_eq!(changed(&sections(&p)), [("fortalezas", "changed")]);
    let human = aula(&["--root", p.path().to_str().unwrap(), "status"]);
    assert!(
        human.stdout.contains("changed   #fortalezas “Fortalezas”"),
        "{}",
        human.stdout
    );
}

#[test]
fn added_removed_and_renamed_sections() {
    let p = stamped_project();
    edit(
        &p,
        "## Cierre\n\nGuarde su hoja.\n",
        "## Tarea\n\nHable con tres clientes.\n",
    );
    // Renamed, but its id keeps it paired with what was stamped.
    edit(&p, "## Bienvenida {#bienvenida}", "## Saludo {#bienvenida}");
    edit(
        &p,
        "  - Presentar el negocio.",
        "  - Presentar el negocio en dos minutos.",
    );
    assert_eq!(
        changed(&sections(&p)),
        [
            ("objectives", "changed"),
            ("bienvenida", "changed"),
            ("cierre", "removed"),
            ("tarea", "added"),
        ]
    );
}

#[test]
fn diff_prints_the_sources_changes_section_by_section() {
    let p = stamped_project();
    let root = p.path().to_str().unwrap();
    edit(
        &p,
        "## Cierre\n\nGuarde su hoja.\n",
        "## Tarea\n\nHable con tres clientes.\n",
    );
    edit(
        &p,
        "Cada una dice su nombre.",
        "Cada una dice su nombre y su negocio.",
    );
    let run = aula(&["--root", root, "diff", FR]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for expected in [
        "is stale",
        "== #bienvenida “Bienvenida” — changed",
        // The French section it corresponds to, at its line (after the stamp's line).
        "translation: #bienvenida “Accueil” (content/01-m/01-a.fr.md:10)",
        "-Cada una dice su nombre.\n+Cada una dice su nombre y su negocio.\n",
        "== #cierre “Cierre” — removed",
        "translation: #clôture “Clôture” (content/01-m/01-a.fr.md:18)",
        "-## Cierre\n",
        "-Guarde su hoja.\n",
        "== #tarea “Tarea” — added",
        "+## Tarea\n",
        "+Hable con tres clientes.\n",
        "unchanged: title, objectives, the text before the first heading, #fortalezas “Fortalezas”",
    ] {
        assert!(out.contains(expected), "{expected:?} not in:\n{out}");
    }
    // Not coloured when not on a terminal.
    assert!(!out.contains('\u{1b}'));
    // A file that is not a translation is an error.
    for not_one in [SRC, "aula.yaml", "content/01-m/09-nada.fr.md"] {
        let run = aula(&["--root", root, "diff", not_one]);
        assert_eq!(run.code, 1, "{not_one}: {}", run.stdout);
        assert!(
            run.stderr.contains("is not a translation"),
            "{}",
            run.stderr
        );
    }
    // Up to date once stamped again.
    aula(&["--root", root, "stamp", FR]);
    let run = aula(&["--root", root, "diff", FR]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("is up to date"), "{}", run.stdout);
}

fn git(root: &std::path::Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_stamp_without_its_record_is_found_in_git_history() {
    let p = stamped_project();
    let root = p.path();
    // Stamped before aula kept records: only the hash in the translation.
    std::fs::remove_dir_all(root.join("stamps")).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "translated"]);
    edit(&p, "Tres fortalezas.", "Tres fortalezas y una debilidad.");
    git(root, &["commit", "-q", "-am", "source edited"]);
    let run = aula(&["--root", root.to_str().unwrap(), "diff", FR]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("from git commit "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("-Tres fortalezas.\n+Tres fortalezas y una debilidad.\n"),
        "{}",
        run.stdout
    );
    assert_eq!(changed(&sections(&p)), [("fortalezas", "changed")]);
}

#[test]
fn without_record_or_history_aula_says_no_diff_is_available() {
    let p = stamped_project();
    std::fs::remove_dir_all(p.path().join("stamps")).unwrap();
    edit(&p, "Tres fortalezas.", "Tres fortalezas y una debilidad.");
    let run = aula(&["--root", p.path().to_str().unwrap(), "diff", FR]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("no diff is available"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("aula stamp"), "{}", run.stdout);
}
