//! The shipped sample curriculum: what the README's first command builds.

use crate::common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, out, run) = build(&repo(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, out)
}

#[test]
fn every_edition_has_home_module_and_session_pages() {
    let (_tmp, out) = built();
    for lang in ["es", "fr", "quc"] {
        for variant in ["urban", "rural", "altiplano"] {
            let base = out.join(lang).join(variant);
            assert!(base.join("index.html").is_file(), "{lang}/{variant}");
            for module in ["emprendimiento", "costos-precios", "ahorro-credito"] {
                assert!(
                    base.join(module).join("index.html").is_file(),
                    "{lang}/{variant}/{module}"
                );
            }
            for session in [
                "emprendimiento/mi-negocio",
                "costos-precios/precio",
                "ahorro-credito/credito",
            ] {
                assert!(
                    base.join(session).join("index.html").is_file(),
                    "{lang}/{variant}/{session}"
                );
            }
        }
    }
    assert!(out.join("index.html").is_file());
    assert!(out.join("404.html").is_file());
    assert!(out.join("assets/aula.css").is_file());
    assert!(
        !out.join("sitemap.xml").exists(),
        "no sitemap without base_url"
    );
}

#[test]
fn pages_name_their_language() {
    let (_tmp, out) = built();
    for lang in ["es", "fr", "quc"] {
        let page = read(
            out.join(lang)
                .join("rural/emprendimiento/mi-negocio/index.html"),
        );
        assert!(
            page.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
            "{lang}"
        );
    }
}

#[test]
fn variant_blocks_show_only_in_their_variant() {
    let (_tmp, out) = built();
    let page = |v: &str| {
        read(
            out.join("es")
                .join(v)
                .join("emprendimiento/mi-negocio/index.html"),
        )
    };
    let (urban, rural, altiplano) = (page("urban"), page("rural"), page("altiplano"));
    assert!(
        urban.contains("plaza de mercado")
            && !urban.contains("parcela de café")
            && !urban.contains("sus tejidos")
    );
    assert!(rural.contains("parcela de café") && !rural.contains("plaza de mercado"));
    assert!(altiplano.contains("sus tejidos") && !altiplano.contains("parcela de café"));
}

#[test]
fn a_session_limited_to_a_variant_is_absent_with_its_links_elsewhere() {
    let (_tmp, out) = built();
    assert!(
        out.join("es/rural/costos-precios/cosecha/index.html")
            .is_file()
    );
    assert!(!out.join("es/urban/costos-precios/cosecha").exists());
    let urban_module = read(out.join("es/urban/costos-precios/index.html"));
    assert!(!urban_module.contains("cosecha/index.html"));
    let rural_module = read(out.join("es/rural/costos-precios/index.html"));
    assert!(rural_module.contains("href=\"cosecha/index.html\""));
    // The rural page's variant switcher leads to the module page where the session is absent.
    let rural = read(out.join("es/rural/costos-precios/cosecha/index.html"));
    assert!(
        rural.contains("href=\"../../../urban/costos-precios/index.html\""),
        "{rural}"
    );
}

#[test]
fn a_variant_override_replaces_the_session_and_language_comes_first() {
    let (_tmp, out) = built();
    let es_alt = read(out.join("es/altiplano/ahorro-credito/grupos-ahorro/index.html"));
    assert!(es_alt.contains("<h1>El banco comunal</h1>"));
    let es_urban = read(out.join("es/urban/ahorro-credito/grupos-ahorro/index.html"));
    assert!(es_urban.contains("<h1>Ahorrar en grupo</h1>"));
    // French has no text for this module: it falls back to the Spanish Altiplano override.
    let fr_alt = read(out.join("fr/altiplano/ahorro-credito/grupos-ahorro/index.html"));
    assert!(fr_alt.contains("<h1>El banco comunal</h1>"));
    // Where French exists, the French text wins over the Spanish Altiplano variant.
    let fr_alt_m1 = read(out.join("fr/altiplano/emprendimiento/mi-negocio/index.html"));
    assert!(fr_alt_m1.contains("<h1>Mon activité et moi</h1>"));
}

#[test]
fn fallback_text_is_marked_and_announced_in_the_readers_language() {
    let (_tmp, out) = built();
    let page = read(out.join("fr/urban/costos-precios/costos/index.html"));
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(page.contains("<article class=\"session\" lang=\"es\">"));
    assert!(page.contains("<p class=\"fallback-notice\" role=\"note\"><span lang=\"fr\">Cette séance n'est pas encore traduite. Elle est affichée en espagnol.</span> <a href=\"../../../../es/urban/costos-precios/costos/index.html\" lang=\"fr\" hreflang=\"es\">Ouvrir la même page dans l'édition en espagnol</a></p>"), "{page}");
    let translated = read(out.join("fr/urban/emprendimiento/mi-negocio/index.html"));
    assert!(!translated.contains("fallback-notice"));
}

#[test]
fn the_kiche_treebank_sessions_are_marked_as_sample_text_and_not_counted() {
    let (_tmp, out) = built();
    let page = read(out.join("quc/altiplano/emprendimiento/mi-negocio/index.html"));
    assert!(
        page.contains(
            "<p class=\"sample-notice\" role=\"note\" lang=\"es\">Texto de muestra, no una lección"
        ),
        "{page}"
    );
    let lesson = read(out.join("fr/urban/emprendimiento/mi-negocio/index.html"));
    assert!(!lesson.contains("sample-notice"));
    // The chooser counts up-to-date translations only: French has 3 of 11 sessions.
    let chooser = read(out.join("index.html"));
    assert!(
        chooser.contains("Français <span class=\"share\" lang=\"fr\">— 27\u{a0}% traduit</span>"),
        "{chooser}"
    );
    assert!(
        chooser.contains("<span class=\"share\" lang=\"es\">— 0 % traducido</span>"),
        "{chooser}"
    );
    let run = aula(&[
        "--root",
        repo().to_str().unwrap(),
        "status",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let quc = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "content/01-emprendimiento/01-mi-negocio.quc.md")
        .unwrap();
    assert_eq!(quc["state"], "sample");
    assert_eq!(json["share"]["quc"]["up_to_date"], 0);
    assert_eq!(json["share"]["fr"]["up_to_date"], 3);
    // Sample text is never stamped as a translation.
    let (_copy, root) = copy_of_sample();
    let run = aula(&[
        "--root",
        root.to_str().unwrap(),
        "stamp",
        "content/01-emprendimiento/01-mi-negocio.quc.md",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("marked `sample: true`"),
        "{}",
        run.stderr
    );
}

#[test]
fn interface_strings_that_fall_back_are_marked_with_their_language() {
    let (_tmp, out) = built();
    // K'iche' has few interface strings yet: the Spanish ones say they are Spanish.
    let quc = read(out.join("quc/altiplano/emprendimiento/mi-negocio/index.html"));
    assert!(quc.starts_with("<!DOCTYPE html>\n<html lang=\"quc\">"));
    assert!(
        quc.contains("<p class=\"kicker\" lang=\"es\">Sesión 1</p>"),
        "{quc}"
    );
    assert!(quc.contains("<p class=\"block-label\" lang=\"es\">Actividad · 30 minutos</p>"));
    assert!(quc.contains(
        "<a href=\"index.html\" lang=\"quc\" hreflang=\"quc\" aria-current=\"true\">K'iche'</a>"
    ));
    // French strings are French.
    let fr = read(out.join("fr/urban/emprendimiento/mi-negocio/index.html"));
    assert!(fr.contains("<p class=\"kicker\" lang=\"fr\">Séance 1</p>"));
}

#[test]
fn kiche_apostrophes_are_written_as_authored() {
    let (_tmp, out) = built();
    let modifier = read(out.join("quc/altiplano/emprendimiento/mi-negocio/index.html"));
    assert!(modifier.contains("<h1>Sibʼalaj utz kinwil ri nuchak</h1>"));
    let ascii = read(out.join("quc/urban/costos-precios/precio/index.html"));
    assert!(
        ascii.contains("Xpaqi' rajil ronojel ri jastaq"),
        "ASCII apostrophe kept, not curled or escaped"
    );
    assert!(ascii.contains("In loq'omanel re ixim"));
    let right = read(out.join("quc/rural/ahorro-credito/ahorro/index.html"));
    assert!(right.contains("K’o pwaq pa uwi’ ri mexa"));
}

#[test]
fn links_between_sessions_are_rewritten_per_edition() {
    let (_tmp, out) = built();
    let precio = read(out.join("es/urban/costos-precios/precio/index.html"));
    assert!(precio.contains("href=\"../costos/index.html#costo-unidad\""));
    // From a fallback text, a link goes to the reader's language.
    let quc = read(out.join("quc/urban/emprendimiento/mis-clientes/index.html"));
    assert!(quc.contains("href=\"../../costos-precios/precio/index.html#precio-justo\""));
}

#[test]
fn localised_images_are_preferred() {
    let (_tmp, out) = built();
    let es = read(out.join("es/urban/emprendimiento/separar-cuentas/index.html"));
    assert!(es.contains("src=\"../../../../files/02-costos-precios/media/cuaderno.svg\""));
    let fr = read(out.join("fr/urban/emprendimiento/separar-cuentas/index.html"));
    assert!(fr.contains("src=\"../../../../files/02-costos-precios/media/cuaderno.fr.svg\""));
    assert!(
        out.join("files/02-costos-precios/media/cuaderno.fr.svg")
            .is_file()
    );
}

#[test]
fn every_link_is_relative_and_resolves_on_disk() {
    let (_tmp, out) = built();
    let mut checked = 0;
    for file in files(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = read(out.join(&file));
        let dir = out.join(&file).parent().unwrap().to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                assert!(
                    !url.starts_with('/') && !url.contains("://"),
                    "{file}: absolute URL {url}"
                );
                let path = url.split('#').next().unwrap();
                if path.is_empty() {
                    continue;
                }
                assert!(dir.join(path).exists(), "{file}: {url} does not exist");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn facilitator_notes_are_marked_on_the_web_page() {
    let (_tmp, out) = built();
    let page = read(out.join("es/urban/emprendimiento/mi-negocio/index.html"));
    assert!(page.contains("<div class=\"block facilitator\" role=\"note\">\n<p class=\"block-label\" lang=\"es\">Notas para quien facilita</p>"));
    assert!(page.contains("<div class=\"block callout callout-activity\" role=\"note\">\n<p class=\"block-label\" lang=\"es\">Actividad · 30 minutos</p>\n<p class=\"block-title\">La historia de mi negocio</p>"));
}
