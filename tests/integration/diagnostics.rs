//! One broken fixture per diagnostic, each message pinned by a snapshot: what the author
//! reads is part of the product.

use crate::common::*;

const SESSION: &str = "content/01-m/01-a.es.md";

/// Spanish and French, whose interface strings are complete, so that the snapshots show
/// only the problem each fixture is about.
const CONFIG: &str = "title: Curso\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\nvariants: [urban, rural, altiplano]\n";

/// `aula check` on the minimal project with `files` added or replaced; returns stderr.
fn check(files: &[(&str, &str)]) -> String {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
        (
            "content/01-m/02-b.es.md",
            "---\ntitle: Dos\n---\n## Fin {#fin}\n",
        ),
    ]);
    for (path, text) in files {
        write(p.path(), path, text);
    }
    let run = aula(&["--root", &p.path().to_string_lossy(), "check"]);
    assert!(
        run.code == 1 || run.stderr.contains("warning"),
        "expected a problem, got: {}",
        run.stderr
    );
    run.stderr
}

#[test]
fn config_unknown_key() {
    insta::assert_snapshot!(check(&[(
        "aula.yaml",
        &format!("{CONFIG}pretty_url: true\n")
    )]));
}

#[test]
fn config_fallback_to_unknown_language() {
    insta::assert_snapshot!(check(&[(
        "aula.yaml",
        "title: x\nlanguages:\n  - code: es\n  - code: quc\n    fallback: sp\nvariants: [rural]\n"
    )]));
}

#[test]
fn front_matter_unknown_key() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitel: Uno\nduration: 90\n---\nHola.\n"
    )]));
}

#[test]
fn front_matter_missing_title() {
    insta::assert_snapshot!(check(&[(SESSION, "---\nduration: 90\n---\nHola.\n")]));
}

#[test]
fn front_matter_wrong_type() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\nduration: dos horas\n---\n"
    )]));
}

#[test]
fn front_matter_never_closed() {
    insta::assert_snapshot!(check(&[(SESSION, "---\ntitle: Uno\n\n# Hola\n")]));
}

#[test]
fn front_matter_unknown_variant() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\nvariants: [rurla, urban]\n---\n"
    )]));
}

#[test]
fn block_unknown_word() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n\n::: facilitador\nNotas.\n:::\n"
    )]));
}

#[test]
fn block_never_closed() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n\n:::: activity \"Juego\" 20\nTexto.\n"
    )]));
}

#[test]
fn block_stray_close() {
    insta::assert_snapshot!(check(&[(SESSION, "---\ntitle: Uno\n---\nTexto.\n:::\n")]));
}

#[test]
fn block_minutes_without_callout() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n::: rural 20\nx\n:::\n"
    )]));
}

#[test]
fn link_to_missing_session() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\nVer [costos](../02-f/01-costos.md).\n"
    )]));
}

#[test]
fn link_to_missing_section_of_another_session() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\nVer [el final](02-b.md#final).\n"
    )]));
}

#[test]
fn link_to_missing_section_of_the_same_page() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n## Inicio\n\nVolver al [inicio](#comienzo).\n"
    )]));
}

#[test]
fn missing_image() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n![Mercado](media/mercado.jpg)\n"
    )]));
}

#[test]
fn image_without_description_is_a_warning() {
    insta::assert_snapshot!(check(&[
        (SESSION, "---\ntitle: Uno\n---\n![](media/mercado.svg)\n"),
        (
            "content/01-m/media/mercado.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>"
        )
    ]));
}

#[test]
fn image_the_typesetter_cannot_read() {
    // Found by `check` as by `build`: it typesets the PDFs too. One problem, not one per PDF.
    insta::assert_snapshot!(check(&[
        (
            SESSION,
            "---\ntitle: Uno\n---\n![Mercado](media/mercado.png)\n"
        ),
        ("content/01-m/media/mercado.png", "not a png")
    ]));
}

#[test]
fn unknown_language_in_file_name() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/01-a.fra.md",
        "---\ntitle: Un\n---\n"
    )]));
}

#[test]
fn duplicate_slugs() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/03-a.es.md",
        "---\ntitle: Otra\n---\n"
    )]));
}

#[test]
fn template_syntax_error() {
    insta::assert_snapshot!(check(&[(
        "themes/default/templates/404.html",
        "<html>\n<p>{{ t(key=\"home\") </p>\n</html>\n"
    )]));
}

#[test]
fn fluent_syntax_error() {
    insta::assert_snapshot!(check(&[(
        "locales/es/extra.ftl",
        "home = Inicio\nthis is not fluent\n"
    )]));
}

#[test]
fn json_output_for_editors_and_ci() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (
            "content/01-m/01-a.es.md",
            "---\ntitle: Uno\n---\n::: rurla\nx\n:::\n",
        ),
    ]);
    let run = aula(&[
        "--root",
        &p.path().to_string_lossy(),
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    insta::assert_json_snapshot!(json);
}

#[test]
fn problems_in_many_files_are_reported_together_and_sorted() {
    let err = check(&[
        (
            "content/01-m/02-b.es.md",
            "---\ntitle: Dos\n---\n::: urbano\n:::\n",
        ),
        (SESSION, "---\ntitle: Uno\nextra: 1\n---\n"),
    ]);
    let a = err.find("01-a.es.md").expect("first file");
    let b = err.find("02-b.es.md").expect("second file");
    assert!(a < b, "{err}");
    assert!(err.contains("2 errors"), "{err}");
}
