//! Output properties on small fixture projects: determinism, switchers, URLs, safety.

use std::fs;

use crate::common::*;

fn small() -> tempfile::TempDir {
    project(&[
        ("aula.yaml", CONFIG),
        ("content/_index.es.md", "---\ntitle: Inicio\n---\nHola.\n"),
        ("content/01-m/_module.es.md", "---\ntitle: Módulo\n---\n"),
        (
            "content/01-m/01-a.es.md",
            "---\ntitle: Uno\n---\n## Parte {#parte}\n::: rural\nVer [dos](02-b.md#fin).\n:::\n",
        ),
        (
            "content/01-m/01-a.fr.md",
            "---\ntitle: Un\n---\n## Partie {#parte}\n::: rural\nVoir [deux](02-b.fr.md#fin).\n:::\n",
        ),
        (
            "content/01-m/02-b.es.md",
            "---\ntitle: Dos\nvariants: [rural]\n---\n## Fin {#fin}\n",
        ),
    ])
}

#[test]
fn two_builds_give_byte_identical_output() {
    let p = small();
    let (_a, out_a, run_a) = build(p.path(), &[]);
    let (_b, out_b, run_b) = build(p.path(), &[]);
    assert_eq!((run_a.code, run_b.code), (0, 0), "{}", run_a.stderr);
    let (fa, fb) = (files(&out_a), files(&out_b));
    assert_eq!(fa, fb);
    for f in &fa {
        assert_eq!(
            fs::read(out_a.join(f)).unwrap(),
            fs::read(out_b.join(f)).unwrap(),
            "{f}"
        );
    }
    let (_s, out_s, _) = build(&repo(), &["--no-pdf"]);
    let (_t, out_t, _) = build(&repo(), &["--no-pdf"]);
    for f in files(&out_s) {
        assert_eq!(
            fs::read(out_s.join(&f)).unwrap(),
            fs::read(out_t.join(&f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_switcher_and_hreflang_lead_to_the_same_page_elsewhere() {
    let p = small();
    let (_t, out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("quc/urban/m/a/index.html"));
    assert!(page.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"../../../../fr/urban/m/a/index.html\">"
    ));
    assert!(page.contains(
        "<link rel=\"alternate\" hreflang=\"es\" href=\"../../../../es/urban/m/a/index.html\">"
    ));
    assert!(page.contains("href=\"../../../rural/m/a/index.html\""));
    // A fallback page keeps the reader's interface language.
    assert!(page.contains("<html lang=\"quc\">") && page.contains("lang=\"es\""));
}

#[test]
fn links_follow_the_edition_and_absent_targets_are_errors() {
    let p = small();
    let (_t, out, run) = build(p.path(), &["--variant", "rural"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(out.join("fr/rural/m/a/index.html")).contains("href=\"../b/index.html#fin\""));
    // In `urban`, session b does not exist: a link outside a `::: rural` block is an error
    // there, for every language.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\n---\n## Parte {#parte}\nVer [dos](02-b.md#fin).\n",
    );
    write(
        p.path(),
        "content/01-m/01-a.fr.md",
        "---\ntitle: Un\n---\n## Partie {#parte}\nVoir [deux](02-b.fr.md#fin).\n",
    );
    let (_u, _out, run) = build(p.path(), &["--variant", "urban"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[link-absent]: `02-b.md` is left out of the editions named below"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/01-m/01-a.es.md:5:5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/01-m/01-a.fr.md:5:6")
            && run.stderr.contains("= in 2 editions: es/urban, quc/urban"),
        "{}",
        run.stderr
    );
}

#[test]
fn pretty_urls_drop_index_html_and_base_url_adds_a_sitemap() {
    let p = small();
    let config = format!("{CONFIG}pretty_urls: true\nbase_url: https://example.org/micromba\n");
    write(p.path(), "aula.yaml", &config);
    let (_t, out, run) = build(p.path(), &["--variant", "rural"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/rural/m/a/index.html"));
    assert!(page.contains("href=\"../b/#fin\""), "{page}");
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://example.org/micromba/es/rural/m/a/\">"
        )
    );
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/micromba/fr/rural/m/b/</loc>"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let p = small();
    let out = p.path().join("public");
    let run = aula(&["--root", &p.path().to_string_lossy(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| {
            let b = fs::read(out.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let run = aula(&["--root", &p.path().to_string_lossy(), "build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("previous output was left untouched"));
    let after: Vec<(String, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| {
            let b = fs::read(out.join(&f)).unwrap();
            (f, b)
        })
        .collect();
    assert_eq!(before, after);
}

#[test]
fn usage_errors_exit_2_and_unsafe_output_folders_are_refused() {
    let p = small();
    let root = p.path().to_string_lossy().into_owned();
    assert_eq!(aula(&["--root", &root, "build", "--lang", "en"]).code, 2);
    assert_eq!(aula(&["--root", &root, "frobnicate"]).code, 2);
    let run = aula(&["--root", &root, "build", "--out", "content"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("contains the project"),
        "{}",
        run.stderr
    );
    assert!(p.path().join("content/01-m/01-a.es.md").is_file());
    // A folder aula did not make is never replaced.
    write(p.path(), "notes/keep.txt", "mine");
    let run = aula(&["--root", &root, "build", "--out", "notes"]);
    assert_eq!(run.code, 2);
    assert_eq!(read(p.path().join("notes/keep.txt")), "mine");
}

#[test]
fn the_chooser_lists_every_language_and_variant() {
    let p = small();
    let (_t, out, _) = build(p.path(), &[]);
    let chooser = read(out.join("index.html"));
    for lang in ["es", "fr", "quc"] {
        assert!(chooser.contains(&format!(
            "<section class=\"chooser-language\" lang=\"{lang}\""
        )));
        for v in ["urban", "rural", "altiplano"] {
            assert!(chooser.contains(&format!("href=\"{lang}/{v}/index.html\"")));
        }
    }
}

#[test]
fn project_templates_and_strings_override_the_builtin_ones_file_by_file() {
    let p = small();
    write(p.path(), "locales/es/extra.ftl", "home = Portada\n");
    write(
        p.path(),
        "themes/default/templates/404.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>x</title><p>{{ t(key=\"home\") }} 404</p></html>",
    );
    let (_t, out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(out.join("404.html")).contains("Portada 404"));
    let page = read(out.join("es/urban/m/a/index.html"));
    assert!(page.contains(">Portada</a>"), "one string overridden");
    assert!(
        page.contains("Saltar al contenido"),
        "the other strings stay"
    );
}

#[test]
fn the_benchmark_corpus_is_deterministic_and_builds_clean() {
    let corpus = env!("CARGO_BIN_EXE_aula-corpus");
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["a", "b"] {
        let status = std::process::Command::new(corpus)
            .arg(tmp.path().join(dir))
            .arg("40")
            .status()
            .unwrap();
        assert!(status.success());
    }
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(files(&a), files(&b));
    for f in files(&a) {
        assert_eq!(
            fs::read(a.join(&f)).unwrap(),
            fs::read(b.join(&f)).unwrap(),
            "{f}"
        );
    }
    assert_eq!(
        files(&a.join("content"))
            .iter()
            .filter(|f| f.ends_with(".md"))
            .count(),
        40 * 3 + 2 * 3 + 1
    );
    let (_t, _out, run) = build(&a, &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("built 407 pages"), "{}", run.stderr);
}

/// Every link of the navigation (modules, and the current module's sessions) leads to the
/// page it names, on every page of the sample: the lists are shared between pages, so a
/// URL made for one page must be right for all of them.
#[test]
fn every_navigation_link_leads_to_the_page_it_names() {
    let (_t, out, run) = build(&repo(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut checked = 0;
    for file in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(out.join(file));
        let Some(start) = html.find("<nav class=\"modules-nav\"") else {
            continue;
        };
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        let dir = out.join(file).parent().unwrap().to_path_buf();
        for link in nav.split("<a href=\"").skip(1) {
            let href = &link[..link.find('"').unwrap()];
            let text = &link[link.find('>').unwrap() + 1..link.find("</a>").unwrap()];
            let target = read(dir.join(href));
            assert!(
                target.contains(&format!("<title>{text} · ")),
                "{file}: the link `{text}` leads to {href}, another page"
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn with_a_base_url_hreflang_is_absolute_names_the_page_itself_and_skips_fallbacks() {
    let (_tmp, project) = copy_of_sample();
    add_to_config(&project, "base_url: https://micromba.example.org/\n");
    let (_t, out, run) = build(&project, &["--no-pdf", "--variant", "urban"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base = "https://micromba.example.org";
    // Translated into every language: all three, itself among them, and x-default.
    let page = read(out.join("es/urban/emprendimiento/mi-negocio/index.html"));
    for (lang, path) in [
        ("es", "es"),
        ("fr", "fr"),
        ("quc", "quc"),
        ("x-default", "es"),
    ] {
        let link = format!(
            "<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{base}/{path}/urban/emprendimiento/mi-negocio/index.html\">"
        );
        assert!(page.contains(&link), "{link} in {page}");
    }
    // Only in Spanish: French and K'iche' readers get the Spanish text, which is no
    // translation; the switcher says so.
    let only = read(out.join("fr/urban/costos-precios/costos/index.html"));
    assert!(!only.contains("hreflang=\"fr\" href"), "{only}");
    assert!(only.contains("hreflang=\"es\" href=\"https://micromba.example.org/es/urban/costos-precios/costos/index.html\""));
    assert!(only.contains("Français <span class=\"shown-in\" title=\"cette page y est affichée en espagnol\">(ES)</span>"), "{only}");
}

#[test]
fn tables_align_by_class_and_images_are_html_however_they_are_written() {
    let p = small();
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\n---\n\
         | a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n| 4 |\n\n\
         - | en | lista |\n  |---|--:|\n  | x | y |\n\n\
         <table><tr><td style=\"text-align: left\">crudo</td></tr></table>\n\n\
         Dibujo <img src=\"media/x.svg\" alt=\"x\" /> y ![otro *dibujo*](media/x.svg \"t\").\n",
    );
    write(
        p.path(),
        "content/01-m/media/x.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (_t, out, run) = build(p.path(), &["--no-pdf", "--variant", "urban"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/urban/m/a/index.html"));
    let body = &page[page.find("<main").expect("main")..];
    for cell in [
        "<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th class=\"align-right\">c</th>",
        "<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td class=\"align-right\">3</td>",
        "<td class=\"align-left\">4</td><td class=\"align-center\"></td>",
        "<th>en</th><th class=\"align-right\">lista</th>",
        "<td>x</td><td class=\"align-right\">y</td>",
        "<td class=\"align-left\">crudo</td>",
    ] {
        assert!(body.contains(cell), "{cell}\n{body}");
    }
    assert!(!body.contains("style="), "{body}");
    assert_eq!(body.matches("<img ").count(), 2, "{body}");
    assert!(!body.contains(" />"), "{body}");
    assert!(body.contains("alt=\"otro dibujo\" title=\"t\">"), "{body}");
}
