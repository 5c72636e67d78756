//! The authoring commands: check, status, stamp, new.

use crate::common::*;

fn translated() -> tempfile::TempDir {
    project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/_module.es.md", "---\ntitle: Módulo\n---\n"),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
        (
            "content/01-m/01-a.fr.md",
            "---\ntitle: Un  # titre\n---\nBonjour.\n",
        ),
        ("content/01-m/02-b.es.md", "---\ntitle: Dos\n---\nAdiós.\n"),
        (
            "content/01-m/02-b.fr.md",
            "---\ntitle: Deux\n---\nAu revoir.\n",
        ),
        (
            "content/01-m/02-b.altiplano.es.md",
            "---\ntitle: Dos (Altiplano)\n---\nAdiós.\n",
        ),
    ])
}

fn status(root: &str) -> serde_json::Value {
    let run = aula(&["--root", root, "status", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

fn state(
    json: &serde_json::Value,
    session: Option<&str>,
    lang: &str,
    variant: Option<&str>,
) -> String {
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["session"].as_str() == session
                && e["language"] == lang
                && e["variant"].as_str() == variant
        })
        .unwrap_or_else(|| panic!("no entry for {session:?} {lang} {variant:?}"))["state"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn status_reports_up_to_date_stale_unstamped_and_missing() {
    let p = translated();
    let root = p.path().to_string_lossy().into_owned();
    let before = status(&root);
    assert_eq!(state(&before, Some("a"), "fr", None), "unstamped");
    assert_eq!(state(&before, Some("a"), "quc", None), "missing");
    assert_eq!(
        state(&before, None, "fr", None),
        "missing",
        "the module page"
    );
    assert_eq!(
        state(&before, Some("b"), "fr", Some("altiplano")),
        "missing",
        "a variant override not translated"
    );

    assert_eq!(
        aula(&["--root", &root, "stamp", "content/01-m/01-a.fr.md"]).code,
        0
    );
    assert_eq!(
        aula(&["--root", &root, "stamp", "content/01-m/02-b.fr.md"]).code,
        0
    );
    let stamped = status(&root);
    assert_eq!(state(&stamped, Some("a"), "fr", None), "up-to-date");
    // The source changes: its translation is stale until stamped again.
    write(
        p.path(),
        "content/01-m/02-b.es.md",
        "---\ntitle: Dos\n---\nAdiós, amigas.\n",
    );
    let after = status(&root);
    assert_eq!(state(&after, Some("b"), "fr", None), "stale");
    assert_eq!(state(&after, Some("a"), "fr", None), "up-to-date");
    assert_eq!(
        after["strings"]["es"]["translated"],
        after["strings"]["es"]["total"]
    );
    assert!(
        after["strings"]["quc"]["translated"].as_u64().unwrap()
            < after["strings"]["quc"]["total"].as_u64().unwrap()
    );

    let human = aula(&["--root", &root, "status"]);
    assert!(
        human
            .stdout
            .lines()
            .any(|l| l.starts_with("m/b ") && l.contains("stale")),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains('\x1b'), "no colour in a pipe");
}

#[test]
fn stamp_changes_only_the_hash_line() {
    let p = translated();
    let root = p.path().to_string_lossy().into_owned();
    let before = read(p.path().join("content/01-m/01-a.fr.md"));
    let run = aula(&["--root", &root, "stamp", "content/01-m/01-a.fr.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = read(p.path().join("content/01-m/01-a.fr.md"));
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added.len(), 1);
    assert!(added[0].starts_with("source_hash: ") && added[0].len() == "source_hash: ".len() + 12);
    assert_eq!(after.replace(&format!("{}\n", added[0]), ""), before);
    // Stamping again after a source change rewrites the same line in place.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\n---\nHola a todas.\n",
    );
    aula(&["--root", &root, "stamp", "content/01-m/01-a.fr.md"]);
    let again = read(p.path().join("content/01-m/01-a.fr.md"));
    assert_eq!(again.lines().count(), after.lines().count());
    assert_ne!(again, after);
    // The source itself, and files that are not content, are refused.
    assert_eq!(
        aula(&["--root", &root, "stamp", "content/01-m/01-a.es.md"]).code,
        1
    );
    assert_eq!(aula(&["--root", &root, "stamp", "aula.yaml"]).code, 1);
}

#[test]
fn new_creates_every_language_and_never_overwrites() {
    let p = translated();
    let root = p.path().to_string_lossy().into_owned();
    let run = aula(&["--root", &root, "new", "module", "04-mercadeo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for lang in ["es", "fr", "quc"] {
        assert!(
            p.path()
                .join(format!("content/04-mercadeo/_module.{lang}.md"))
                .is_file()
        );
    }
    let run = aula(&["--root", &root, "new", "session", "04-mercadeo/01-clientes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let es = read(p.path().join("content/04-mercadeo/01-clientes.es.md"));
    assert!(es.contains("title: \"Clientes\"  # TODO"), "{es}");
    // The new files are valid: the project still checks clean of errors and builds.
    let check = aula(&["--root", &root, "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Nothing is overwritten, and nothing is half-created.
    write(p.path(), "content/04-mercadeo/02-precios.fr.md", "mine");
    let run = aula(&["--root", &root, "new", "session", "04-mercadeo/02-precios"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        read(p.path().join("content/04-mercadeo/02-precios.fr.md")),
        "mine"
    );
    assert!(
        !p.path()
            .join("content/04-mercadeo/02-precios.es.md")
            .exists()
    );
    assert_eq!(
        aula(&["--root", &root, "new", "session", "05-nada/01-x"]).code,
        1
    );
    assert_eq!(
        aula(&["--root", &root, "new", "module", "Mal Nombre"]).code,
        2
    );
}

#[test]
fn check_writes_nothing_and_can_fail_on_warnings() {
    let p = translated();
    let root = p.path().to_string_lossy().into_owned();
    let run = aula(&["--root", &root, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!p.path().join("public").exists());
    // quc translates almost none of the theme's strings: a warning, an error only on demand.
    assert!(
        run.stderr.contains("warning[untranslated-strings]"),
        "{}",
        run.stderr
    );
    assert_eq!(aula(&["--root", &root, "check", "--deny-warnings"]).code, 1);
}

#[test]
fn a_language_without_strings_is_warned_of_before_bare_ids_reach_readers() {
    let p = project(&[
        (
            "aula.yaml",
            "title: Curso\nlanguages:\n  - code: es\n  - code: en\n    fallback: es\nvariants: [urban, general]\n",
        ),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let root = p.path().to_str().unwrap();
    let run = aula(&["--root", root, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[raw-string-ids]: `en` has no interface strings of its own, and 2 names would reach `en` readers as bare ids: language-en, variant-general"),
        "{}",
        run.stderr
    );
    // Spanish readers would see them too: the built-in Spanish strings name neither.
    assert!(
        run.stderr.contains("warning[raw-string-ids]: 2 names would reach `es` readers as bare ids: language-en, variant-general"),
        "{}",
        run.stderr
    );
    let status = aula(&["--root", root, "status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(json["strings"]["en"]["translated"], 0);
    assert_eq!(
        json["strings"]["en"]["raw_ids"],
        serde_json::json!(["language-en", "variant-general"])
    );
    // The site shows what check announced.
    let (_tmp, out, built) = build(p.path(), &["--no-pdf"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(read(out.join("en/general/index.html")).contains("variant-general"));
}
