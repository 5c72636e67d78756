//! The per-edition search index and the pages around it.

use std::collections::BTreeMap;

use crate::common::*;

/// An edition's index read back from its `search-index/` scripts: each word's documents
/// and weights, and each document's title and fallback language.
struct Index {
    words: BTreeMap<String, Vec<(u64, u64)>>,
    docs: Vec<serde_json::Value>,
    excerpts: BTreeMap<(String, u64), String>,
}

/// The JSON arguments of `aulaSearch.<call>(…);`.
fn args(script: &str, call: &str) -> Vec<serde_json::Value> {
    let inner = script
        .strip_prefix(&format!("aulaSearch.{call}("))
        .and_then(|s| s.trim_end().strip_suffix(");"))
        .unwrap_or_else(|| panic!("not a {call} script: {script:.80}"));
    serde_json::from_str::<Vec<serde_json::Value>>(&format!("[{inner}]")).expect("JSON")
}

fn index(out: &std::path::Path, edition: &str) -> Index {
    let dir = out.join(edition).join("search-index");
    let meta = &args(&read(dir.join("m.js")), "meta")[0];
    let mut docs = Vec::new();
    for block in 0..meta["n"]
        .as_u64()
        .unwrap()
        .div_ceil(meta["b"].as_u64().unwrap())
    {
        let a = args(&read(dir.join(format!("d{block}.js"))), "docs");
        docs.extend(a[1].as_array().unwrap().iter().cloned());
    }
    let mut words = BTreeMap::new();
    let mut excerpts = BTreeMap::new();
    // The chunks' keys, front-coded: how many characters each shares with the one before
    // (a base-36 digit), then the rest.
    let mut keys: Vec<String> = Vec::new();
    for e in meta["k"].as_str().unwrap().split(' ') {
        let mut chars = e.chars();
        let shared = chars.next().and_then(|c| c.to_digit(36)).unwrap() as usize;
        let before: String = keys
            .last()
            .map_or("", String::as_str)
            .chars()
            .take(shared)
            .collect();
        keys.push(before + chars.as_str());
    }
    for key in &keys {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        let a = args(&read(dir.join(format!("w{hex}.js"))), "words");
        for (word, e) in a[1].as_object().unwrap() {
            let flat: Vec<u64> = e["p"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            words.insert(word.clone(), flat.chunks(2).map(|c| (c[0], c[1])).collect());
            for x in e["e"].as_array().unwrap() {
                excerpts.insert(
                    (word.clone(), x[0].as_u64().unwrap()),
                    x[1].as_str().unwrap().to_string(),
                );
            }
        }
    }
    Index {
        words,
        docs,
        excerpts,
    }
}

impl Index {
    /// What `assets/search.js` does: the documents with, for every query word, a word that
    /// begins with it; best ranked first.
    fn query(&self, q: &str) -> Vec<&str> {
        let mut score: Option<BTreeMap<u64, u64>> = None;
        for (w, _) in aula::search::tokens(q, false) {
            let mut mine = BTreeMap::new();
            for (word, postings) in &self.words {
                if word.starts_with(&w) {
                    for (d, weight) in postings {
                        *mine.entry(*d).or_insert(0) += weight;
                    }
                }
            }
            score = Some(match score {
                None => mine,
                Some(s) => s
                    .into_iter()
                    .filter_map(|(d, v)| mine.get(&d).map(|m| (d, v + m)))
                    .collect(),
            });
        }
        let mut hits: Vec<(u64, u64)> = score.unwrap_or_default().into_iter().collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.iter()
            .map(|(d, _)| self.docs[*d as usize][0].as_str().unwrap())
            .collect()
    }
}

#[test]
fn each_edition_has_an_index_that_folds_accents_case_and_apostrophes() {
    let (_t, out, run) = build(&repo(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let es = index(&out, "es/urban");
    assert_eq!(
        es.docs.len(),
        9,
        "every session of the edition (not the rural-only one)"
    );
    assert!(es.query("AHORRAR").contains(&"Ahorrar con un propósito"));
    assert!(
        es.query("credito")
            .contains(&"El crédito, sin miedo y sin riesgo")
    );
    // A title ranks above the body: "crédito" is in several sessions, first where it is
    // the title's word.
    assert_eq!(es.query("credito")[0], "El crédito, sin miedo y sin riesgo");
    let fr = index(&out, "fr/urban");
    assert!(
        fr.query("entrees")
            .contains(&"L'argent de l'activité et l'argent de la maison"),
        "{:?}",
        fr.query("entrees")
    );
    // French text is indexed without its elided particles: `l'intermédiaire` (rural only)
    // is found as `intermediaire`, and no `l` is a word of its own.
    let fr_rural = index(&out, "fr/rural");
    assert_eq!(
        fr_rural.query("intermediaire"),
        ["Qui m'achète, et pourquoi ?"]
    );
    assert!(!fr_rural.words.contains_key("l"));
    let quc = index(&out, "quc/altiplano");
    // The text uses ’; a query with ʼ or ' finds it, and the other way round.
    assert_eq!(quc.query("chʼichʼ"), vec!["K’o pwaq pa uwi’ ri mexa"]);
    assert_eq!(quc.query("ch'ich'"), vec!["K’o pwaq pa uwi’ ri mexa"]);
    assert_eq!(
        quc.query("nuk'ak'apo"),
        vec!["Sibʼalaj utz kinwil ri nuchak"]
    );
    // Variant filtering applies: a rural-only text is not in the urban index.
    assert!(es.query("despulpadora").is_empty());
    assert!(!index(&out, "es/rural").query("despulpadora").is_empty());
    // Facilitator notes are searchable where they are shown (the web page shows them).
    assert!(!es.query("sillas circulo").is_empty());
    // Fallback text is marked with its language, named in the reader's.
    let fallback = fr
        .docs
        .iter()
        .find(|d| d[0] == "¿Cuánto me cuesta lo que vendo?")
        .unwrap();
    assert_eq!(fallback[3], "es");
    assert_eq!(fallback[4], "espagnol");
    // Excerpts are stored with the words, around the first match.
    let (_, doc) = es
        .excerpts
        .keys()
        .find(|(w, _)| w == "despulpadora")
        .cloned()
        .unwrap_or_default();
    assert_eq!(doc, 0, "not in urban");
    let excerpt = es
        .excerpts
        .iter()
        .find(|((w, _), _)| w == "sillas")
        .map(|(_, e)| e.as_str())
        .unwrap();
    assert!(excerpt.contains("sillas"), "{excerpt}");
}

#[test]
fn the_search_box_works_without_javascript_and_the_print_centre_lists_every_pdf() {
    let (_t, out, run) = build(&repo(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/rural/emprendimiento/mi-negocio/index.html"));
    assert!(page.contains(
        "<form class=\"search\" role=\"search\" action=\"../../search/index.html\" method=\"get\""
    ));
    assert!(page.contains("data-index=\"../../search-index/m.js\""));
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
