//! The per-edition search index and the pages around it.

use aula::search::words;

use crate::common::*;

/// The documents of an edition's `search-index.js`.
fn index(out: &std::path::Path, edition: &str) -> Vec<serde_json::Value> {
    let script = read(out.join(edition).join("search-index.js"));
    let json = script
        .strip_prefix("window.aulaSearch=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("index script");
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    value["docs"].as_array().unwrap().clone()
}

/// What `assets/search.js` does: every query word a prefix of some word of the page.
fn query<'a>(docs: &'a [serde_json::Value], q: &str) -> Vec<&'a str> {
    let q = words(q);
    docs.iter()
        .filter(|d| {
            let text = words(&format!(
                "{} {}",
                d["t"].as_str().unwrap(),
                d["x"].as_str().unwrap()
            ));
            q.iter()
                .all(|w| text.iter().any(|t| t.starts_with(w.as_str())))
        })
        .map(|d| d["t"].as_str().unwrap())
        .collect()
}

#[test]
fn each_edition_has_an_index_that_folds_accents_case_and_apostrophes() {
    let (_t, out, run) = build(&repo(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let es = index(&out, "es/urban");
    assert_eq!(
        es.len(),
        9,
        "every session of the edition (not the rural-only one)"
    );
    assert!(query(&es, "AHORRAR").contains(&"Ahorrar con un propósito"));
    assert!(query(&es, "credito").contains(&"El crédito, sin miedo y sin riesgo"));
    let fr = index(&out, "fr/urban");
    assert!(
        query(&fr, "entrees").contains(&"L'argent de l'activité et l'argent de la maison"),
        "{:?}",
        query(&fr, "entrees")
    );
    let quc = index(&out, "quc/altiplano");
    // The text uses ’; a query with ʼ or ' finds it, and the other way round.
    assert_eq!(query(&quc, "chʼichʼ"), vec!["K’o pwaq pa uwi’ ri mexa"]);
    assert_eq!(query(&quc, "ch'ich'"), vec!["K’o pwaq pa uwi’ ri mexa"]);
    assert_eq!(
        query(&quc, "nuk'ak'apo"),
        vec!["Sibʼalaj utz kinwil ri nuchak"]
    );
    // Variant filtering applies: a rural-only text is not in the urban index.
    assert!(query(&es, "despulpadora").is_empty());
    assert!(!query(&index(&out, "es/rural"), "despulpadora").is_empty());
    // Facilitator notes are searchable where they are shown (the web page shows them).
    assert!(!query(&es, "sillas circulo").is_empty());
    // Fallback text is marked with its language.
    let fallback = fr
        .iter()
        .find(|d| d["t"] == "¿Cuánto me cuesta lo que vendo?")
        .unwrap();
    assert_eq!(fallback["l"], "es");
    // Small: the index and the script together.
    let size =
        read(out.join("es/urban/search-index.js")).len() + read(out.join("assets/search.js")).len();
    assert!(size < 100_000, "{size} bytes");
}

#[test]
fn the_search_box_works_without_javascript_and_the_print_centre_lists_every_pdf() {
    let (_t, out, run) = build(&repo(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/rural/emprendimiento/mi-negocio/index.html"));
    assert!(page.contains(
        "<form class=\"search\" role=\"search\" action=\"../../search/index.html\" method=\"get\""
    ));
    assert!(page.contains("data-index=\"../../search-index.js\""));
    let search = read(out.join("es/rural/search/index.html"));
    assert!(
        search.contains("href=\"../costos-precios/cosecha/index.html\""),
        "the search page lists every session"
    );
    let print = read(out.join("es/rural/print/index.html"));
    for pdf in [
        "../costos-precios/cosecha/handout.pdf",
        "../costos-precios/cosecha/guide.pdf",
        "../costos-precios/module.pdf",
    ] {
        assert!(print.contains(&format!("href=\"{pdf}\"")), "{pdf}");
        assert!(
            out.join("es/rural")
                .join(pdf.trim_start_matches("../"))
                .is_file()
        );
    }
    let urban_print = read(out.join("es/urban/print/index.html"));
    assert!(!urban_print.contains("cosecha"));
}
