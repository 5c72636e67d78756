//! Snapshots of representative pages and of the typesetter's input, the safety net for
//! changing how pages and PDFs are made: every kind of page (chooser, home, module, a
//! session with every block kind, a fallback page, search, print) and the Typst source of
//! a handout and a guide. A change to any of them shows as a snapshot diff to review.

use crate::common::*;

const CONFIG3: &str = "title:\n  es: Curso de costos\n  fr: Cours des coûts\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\n  - code: quc\n    fallback: es\nvariants: [urban, rural]\n";

const EVERY_BLOCK: &str = r#"---
title: Costos fijos
duration: 90
objectives: [Distinguir costos fijos y variables, Calcular el costo de k'o q'ij]
materials: [Cuaderno, Lápiz]
---
Doña Ana vende tortillas[^1] en el mercado. K'iche': *k'o*, ch'ob'onik, q’ij, tzʼaqat.

## Qué es un costo fijo {#fijo}

:::: activity "Juego de roles" 20
Cada participante hace de vendedora.
::: facilitator
Observe quién duda al poner precio.
:::
::::

::: exercise "Anote sus costos"
| Costo | Quetzales |
|-------|----------:|
| Gas   | 40        |
:::

::: tip
Guarde los recibos.
:::

::: warning
No mezcle el dinero de la casa.
:::

::: example
El alquiler del puesto.
:::

::: note
Una nota.
:::

::: discussion
¿Qué costos no cambian?
:::

::: solution
El alquiler.
:::

::: participant
Solo en la hoja de participantes.
:::

::: rural
Solo en la variante rural.
:::

::: urban
Solo en la variante urbana.
:::

Término
: Definición del término.

```
costo = fijo + variable
```

![Un cuaderno de cuentas](media/cuaderno.svg)

Ver [los variables](02-variables.md#variable).

[^1]: De maíz.
"#;

fn fixture() -> tempfile::TempDir {
    project(&[
        ("aula.yaml", CONFIG3),
        (
            "content/_index.es.md",
            "---\ntitle: Inicio\n---\nBienvenida.\n",
        ),
        (
            "content/_index.fr.md",
            "---\ntitle: Accueil\n---\nBienvenue.\n",
        ),
        (
            "content/01-costos/_module.es.md",
            "---\ntitle: Costos\nsummary: Lo que cuesta vender.\nobjectives: [Conocer los costos]\n---\nEl módulo.\n",
        ),
        ("content/01-costos/01-fijos.es.md", EVERY_BLOCK),
        (
            "content/01-costos/01-fijos.fr.md",
            "---\ntitle: Coûts fixes\nduration: 90\n---\nMadame Ana vend des tortillas.\n\n## Un coût fixe {#fijo}\n\n::: facilitator\nObservez.\n:::\n",
        ),
        (
            "content/01-costos/02-variables.es.md",
            "---\ntitle: Costos variables\nduration: 60\n---\n## Variable {#variable}\n\nEl gas.\n",
        ),
        (
            "content/01-costos/media/cuaderno.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><rect width=\"40\" height=\"30\" fill=\"#ccc\"/></svg>",
        ),
    ])
}

/// The Typst source of every PDF of one edition of the project at `root`, by output path.
fn typst_sources(
    root: &std::path::Path,
    lang: &str,
    variant: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut diags = aula::diag::Diagnostics::default();
    let project = aula::pipeline::load(root, &mut diags).expect("project loads");
    let editions = [aula::variant::Edition::new(lang, variant)];
    let request = aula::pdf::Request {
        config: &project.config,
        corpus: &project.corpus,
        theme: &project.theme,
        editions: &editions,
        drafts: false,
        date: aula::pdf::date(None),
        cache: None,
        only: None,
        staging: None,
    };
    aula::pdf::sources(&request)
}

#[test]
fn every_kind_of_page() {
    let p = fixture();
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (name, page) in [
        ("chooser", "index.html"),
        ("home", "es/urban/index.html"),
        ("module", "es/urban/costos/index.html"),
        ("session_every_block", "es/rural/costos/fijos/index.html"),
        ("session_translated", "fr/urban/costos/fijos/index.html"),
        ("session_fallback", "fr/urban/costos/variables/index.html"),
        (
            "session_quc_fallback",
            "quc/urban/costos/variables/index.html",
        ),
        ("search", "es/urban/search/index.html"),
        ("print", "es/urban/print/index.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(format!("page_{name}"), read(out.join(page)));
    }
}

#[test]
fn typst_source_of_a_handout_a_guide_and_a_booklet() {
    let p = fixture();
    let sources = typst_sources(p.path(), "es", "rural");
    for (name, path) in [
        ("handout", "es/rural/costos/fijos/handout.pdf"),
        ("guide", "es/rural/costos/fijos/guide.pdf"),
        ("booklet", "es/rural/costos/module.pdf"),
    ] {
        insta::assert_snapshot!(format!("typst_{name}"), &sources[path]);
    }
    // What a handout must never be given.
    let handout = &sources["es/rural/costos/fijos/handout.pdf"];
    assert!(!handout.contains("Observe quién duda"));
    assert!(!handout.contains("urbana"));
}

#[test]
fn a_module_without_a_page_has_one_title_on_the_web_and_in_print() {
    // The web said "costos precios", the PDFs "costos-precios".
    let p = project(&[
        ("aula.yaml", CONFIG3),
        (
            "content/02-costos-precios/01-a.es.md",
            "---\ntitle: Uno\n---\nHola.\n",
        ),
    ]);
    let sources = typst_sources(p.path(), "es", "urban");
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/urban/costos-precios/index.html"));
    assert!(page.contains("costos precios"), "{page}");
    for (path, source) in &sources {
        assert!(source.contains("costos precios"), "{path}: {source}");
        assert!(!source.contains("\"costos-precios"), "{path}: {source}");
    }
}
