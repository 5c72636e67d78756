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

/// `aula check` on a project made of `files` only (no minimal project underneath), with
/// the temporary folder's path replaced by `[project]`.
fn check_only(files: &[(&str, &str)]) -> String {
    let p = project(files);
    let root = p.path().to_string_lossy().into_owned();
    let run = aula(&["--root", &root, "check"]);
    run.stderr.replace(&root, "[project]")
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";

#[test]
fn block_title_quote_never_closed() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n::: activity \"Juego de roles 20\nx\n:::\n"
    )]));
}

#[test]
fn block_two_callout_kinds() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n::: tip warning\nx\n:::\n"
    )]));
}

#[test]
fn blocks_nested_too_deep() {
    let body = format!("{}x\n{}", "::: tip\n".repeat(40), ":::\n".repeat(40));
    insta::assert_snapshot!(check(&[(
        SESSION,
        &format!("---\ntitle: Uno\n---\n{body}")
    )]));
}

#[test]
fn empty_title() {
    insta::assert_snapshot!(check(&[(SESSION, "---\ntitle: \"\"\n---\nHola.\n")]));
}

#[test]
fn file_not_utf8() {
    let p = project(&[("aula.yaml", CONFIG)]);
    std::fs::create_dir_all(p.path().join("content/01-m")).unwrap();
    std::fs::write(p.path().join(SESSION), b"---\ntitle: Uno\n---\nA\xff\n").unwrap();
    let run = aula(&["--root", &p.path().to_string_lossy(), "check"]);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn raw_html_loading_from_other_hosts() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n<iframe src=\"https://video.example/x\"></iframe>\n\nTexto <script src=\"//cdn.example/a.js\"></script>.\n\n![Foto](https://example.org/f.png)\n"
    )]));
}

#[test]
fn raw_img_is_not_copied_or_checked() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\nTexto <img src=\"media/f.png\" alt=\"f\"> fin.\n"
    )]));
}

#[test]
fn foreign_syntax_and_files() {
    insta::assert_snapshot!(check(&[
        (
            SESSION,
            "---\ntitle: Uno\n---\n> Reto.\n{: .challenge}\n\n{% include links.md %}\n"
        ),
        ("content/01-m/03-c.Rmd", "x")
    ]));
}

#[test]
fn root_absolute_link_and_image() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n[datos](/data/x.csv) ![Foto](/media/f.png)\n"
    )]));
}

#[test]
fn lone_cr_line_endings() {
    insta::assert_snapshot!(check(&[
        (SESSION, "---\rtitle: Uno\r---\rHola.\r"),
        (
            "content/01-m/02-b.es.md",
            "---\ntitle: Dos\n---\n<script>x()</script>\n"
        )
    ]));
}

#[test]
fn link_to_a_session_absent_from_some_editions() {
    insta::assert_snapshot!(check(&[
        (SESSION, "---\ntitle: Uno\n---\nVer [dos](02-b.md).\n"),
        (
            "content/01-m/02-b.es.md",
            "---\ntitle: Dos\nvariants: [rural]\n---\nx\n"
        )
    ]));
}

#[test]
fn module_page_per_variant() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/_module.rural.es.md",
        "---\ntitle: M\n---\n"
    )]));
}

#[test]
fn markdown_below_a_module_folder() {
    insta::assert_snapshot!(check(&[("content/01-m/extra/notas.es.md", "x")]));
}

#[test]
fn no_config() {
    insta::assert_snapshot!(check_only(&[(SESSION, "---\ntitle: Uno\n---\n")]));
}

#[test]
fn no_content() {
    insta::assert_snapshot!(check_only(&[("aula.yaml", CONFIG)]));
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_project() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (SESSION, "---\ntitle: Uno\n---\nHola.\n"),
        ("outside/secret.svg", SVG),
    ]);
    // A sibling folder of the project stands for anywhere outside it.
    let proj = p.path().join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::rename(p.path().join("aula.yaml"), proj.join("aula.yaml")).unwrap();
    std::fs::rename(p.path().join("content"), proj.join("content")).unwrap();
    std::os::unix::fs::symlink(
        p.path().join("outside/secret.svg"),
        proj.join("content/01-m/foto.svg"),
    )
    .unwrap();
    let root = p.path().to_string_lossy().into_owned();
    let real = std::fs::canonicalize(p.path()).unwrap();
    let run = aula(&["--root", &proj.to_string_lossy(), "check"]);
    insta::assert_snapshot!(
        run.stderr
            .replace(&*real.to_string_lossy(), "[tmp]")
            .replace(&root, "[tmp]")
    );
}

#[test]
fn path_written_twice() {
    insta::assert_snapshot!(check(&[(
        "content/02-print/01-a.es.md",
        "---\ntitle: Imprimir\n---\n"
    )]));
}

#[test]
fn pdf_template_missing_a_function() {
    insta::assert_snapshot!(check(&[(
        "themes/default/pdf/aula.typ",
        "#let aula-doc(..args, body) = body\n"
    )]));
}

#[test]
fn pdf_template_error_at_its_line() {
    insta::assert_snapshot!(check(&[(
        "themes/default/pdf/aula.typ",
        "#let aula-doc(..args, body) = body\n#let session-header(..args) = [#(1 + \"a\")]\n"
    )]));
}

#[test]
fn session_outside_a_module() {
    insta::assert_snapshot!(check(&[("content/suelto.es.md", "---\ntitle: S\n---\n")]));
}

#[test]
fn slug_not_for_a_web_address() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/02-Precios_Justos.es.md",
        "---\ntitle: P\n---\n"
    )]));
}

#[test]
fn source_date_epoch_unusable() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (SESSION, "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let run = aula_env(
        &["--root", &p.path().to_string_lossy(), "check"],
        &[("SOURCE_DATE_EPOCH", "99999999999999999")],
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn theme_not_found() {
    insta::assert_snapshot!(check(&[(
        "aula.yaml",
        &format!("{CONFIG}theme: microfinanzas\n")
    )]));
}

#[test]
fn translation_without_source() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/03-c.fr.md",
        "---\ntitle: C\n---\n"
    )]));
}

#[test]
fn unknown_special_file() {
    insta::assert_snapshot!(check(&[(
        "content/01-m/_indice.es.md",
        "---\ntitle: I\n---\n"
    )]));
}

#[test]
fn section_minutes_not_a_number() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\n---\n## Cierre {minutes=diez}\n\nFin.\n"
    )]));
}

#[test]
fn schedule_does_not_add_up_to_the_duration() {
    insta::assert_snapshot!(check(&[(
        SESSION,
        "---\ntitle: Uno\nduration: 60\n---\n## Bienvenida {minutes=10}\n\n## Juego\n\n::: activity \"Roles\" 20\nx\n:::\n"
    )]));
}

#[test]
fn raw_string_ids() {
    insta::assert_snapshot!(check(&[(
        "aula.yaml",
        "title: x\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\nvariants: [urban, general]\n"
    )]));
}
