//! The PDFs, tested on their structure and their extracted text (not pixels).

use std::fs;
use std::path::Path;

use lopdf::{Document, Object};

use crate::common::*;

fn load(path: &Path) -> Document {
    Document::load_mem(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap()
}

/// The text of every page, with runs of white space folded.
fn text(path: &Path) -> String {
    let doc = load(path);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let raw = doc.extract_text(&pages).unwrap();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Width and height of the first page, in points.
fn page_size(path: &Path) -> (f32, f32) {
    let doc = load(path);
    let (_, id) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(id).unwrap();
    let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let num = |o: &Object| {
        o.as_float()
            .or_else(|_| o.as_i64().map(|i| i as f32))
            .unwrap()
    };
    (
        num(&media[2]) - num(&media[0]),
        num(&media[3]) - num(&media[1]),
    )
}

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, out, run) = build(&repo(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, out)
}

#[test]
fn handouts_leave_out_facilitator_notes_and_guides_keep_them() {
    let (_t, out) = sample();
    let dir = out.join("es/urban/emprendimiento/mi-negocio");
    let handout = text(&dir.join("handout.pdf"));
    let guide = text(&dir.join("guide.pdf"));
    let note = "Llegue 20 minutos antes";
    assert!(guide.contains(note), "{guide}");
    assert!(!handout.contains(note), "{handout}");
    assert!(handout.contains("Mis tres fortalezas"));
    // Participants write their name and the date on their own sheet.
    assert!(handout.starts_with("Nombre: Fecha:"), "{handout}");
    assert!(!guide.contains("Nombre:"), "{guide}");
    // Participant-only blocks are in the handout (without a label saying so) and in the
    // guide, marked as what the participants' sheet holds.
    let dir = out.join("es/urban/emprendimiento/separar-cuentas");
    let handout = text(&dir.join("handout.pdf"));
    let guide = text(&dir.join("guide.pdf"));
    assert!(handout.contains("Tarea para la casa"), "{handout}");
    assert!(!handout.contains("PARA PARTICIPANTES"), "{handout}");
    assert!(
        guide.contains("EN LA HOJA DE PARTICIPANTES") && guide.contains("Tarea para la casa"),
        "{guide}"
    );
}

/// The rows of a guide's schedule as extracted: `start part minutes`.
fn schedule_of(guide: &str) -> &str {
    let from = guide.find("Plan de la sesión").expect("a schedule");
    let to = guide[from..].find("Duración total").expect("a total") + from;
    &guide[from..to]
}

#[test]
fn the_guide_s_schedule_covers_the_session_in_order_and_adds_up_to_its_duration() {
    let (_t, out) = sample();
    let guide = text(&out.join("es/urban/emprendimiento/mi-negocio/guide.pdf"));
    assert_eq!(
        schedule_of(&guide),
        "Plan de la sesión Inicio Parte Tiempo 0:00 Bienvenida 60 minutos (1 h) \
         0:00 La historia de mi negocio 30 minutos 1:00 Mis fortalezas 30 minutos \
         1:30 Cierre 30 minutos "
    );
    assert!(
        guide.contains("Duración total 120 minutos (2 h)"),
        "{guide}"
    );
    // Every guide of the sample adds up: no time is left unplanned.
    for guide in pdfs(&out, "guide.pdf") {
        let text = text(&guide);
        assert!(!text.contains("Sin tiempo asignado"), "{}", guide.display());
    }
}

#[test]
fn a_schedule_that_falls_short_is_shown_honestly_and_checked() {
    let (tmp, project) = copy_of_sample();
    let file = project.join("content/01-emprendimiento/01-mi-negocio.es.md");
    let text_before = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text_before.replace("{#cierre minutes=30}", "{#cierre}"),
    )
    .unwrap();
    let (_t2, out, run) = build(&project, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the schedule adds up to 90 of the 120 minutes of `duration`")
            && run.stderr.contains("01-mi-negocio.es.md:3:1"),
        "{}",
        run.stderr
    );
    let guide = text(&out.join("es/urban/emprendimiento/mi-negocio/guide.pdf"));
    assert!(
        guide.contains("1:30 Cierre — 1:30 Sin tiempo asignado 30 minutos"),
        "{guide}"
    );
    drop(tmp);
}

#[test]
fn handouts_are_never_hyphenated() {
    let (_t, out) = sample();
    let (mut handouts, mut guides) = (0, 0);
    for pdf in pdfs(&out, "handout.pdf") {
        handouts += usize::from(text(&pdf).contains('\u{ad}'));
    }
    for pdf in pdfs(&out, "guide.pdf") {
        guides += usize::from(text(&pdf).contains('\u{ad}'));
    }
    assert_eq!(handouts, 0);
    // Guides are hyphenated (the check above can fail), but a word's last syllable is
    // never left alone on a paragraph's last line (the review found "fortale-" / "za.").
    assert!(guides > 0);
    let guide = text(&out.join("es/urban/emprendimiento/mi-negocio/guide.pdf"));
    assert!(
        guide.contains("una persona de confianza: eso es una fortaleza."),
        "{guide}"
    );
}

/// Every PDF called `name` under `out`.
fn pdfs(out: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![out.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n == name) {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(!found.is_empty());
    found
}

#[test]
fn variant_blocks_are_filtered_in_print_too() {
    let (_t, out) = sample();
    let urban = text(&out.join("es/urban/emprendimiento/mi-negocio/handout.pdf"));
    let rural = text(&out.join("es/rural/emprendimiento/mi-negocio/handout.pdf"));
    assert!(urban.contains("plaza de mercado") && !urban.contains("parcela de café"));
    assert!(rural.contains("parcela de café") && !rural.contains("plaza de mercado"));
}

#[test]
fn kiche_apostrophes_extract_as_authored() {
    let (_t, out) = sample();
    let modifier = text(&out.join("quc/altiplano/emprendimiento/mi-negocio/handout.pdf"));
    assert!(
        modifier.contains("Sibʼalaj utz kinwil ri nuchak"),
        "{modifier}"
    );
    let ascii = text(&out.join("quc/urban/costos-precios/precio/handout.pdf"));
    assert!(ascii.contains("Xpaqi' rajil ronojel ri jastaq"), "{ascii}");
    let right = text(&out.join("quc/rural/ahorro-credito/ahorro/handout.pdf"));
    assert!(right.contains("K’o pwaq pa uwi’ ri mexa"), "{right}");
}

#[test]
fn sample_text_says_so_on_the_handout_and_the_guide() {
    let (_t, out) = sample();
    for pdf in ["handout.pdf", "guide.pdf"] {
        let quc = text(
            &out.join("quc/altiplano/emprendimiento/mi-negocio")
                .join(pdf),
        );
        assert!(
            quc.contains("Texto de muestra, no una lección"),
            "{pdf}: {quc}"
        );
    }
    let es = text(&out.join("es/altiplano/emprendimiento/mi-negocio/handout.pdf"));
    assert!(!es.contains("Texto de muestra"));
}

#[test]
fn fallback_text_is_announced_in_print() {
    let (_t, out) = sample();
    let fr = text(&out.join("fr/urban/costos-precios/costos/handout.pdf"));
    assert!(
        fr.contains("Cette séance n'est pas encore traduite. Elle est affichée en espagnol."),
        "{fr}"
    );
    assert!(fr.contains("Costos variables"));
}

#[test]
fn paper_follows_the_language() {
    let (_t, out) = sample();
    let (w, h) = page_size(&out.join("es/urban/emprendimiento/mi-negocio/handout.pdf"));
    assert_eq!((w.round(), h.round()), (612.0, 792.0), "Letter for es");
    let (w, h) = page_size(&out.join("fr/urban/emprendimiento/mi-negocio/handout.pdf"));
    assert_eq!(
        (w.round(), h.round()),
        (595.0, 842.0),
        "A4 for fr (aula.yaml: paper: a4)"
    );
}

#[test]
fn a_module_booklet_has_a_cover_contents_every_session_and_bookmarks() {
    let (_t, out) = sample();
    let path = out.join("es/rural/costos-precios/module.pdf");
    let doc = load(&path);
    // Cover, contents, and at least a page for each of the four rural sessions.
    assert!(
        doc.get_pages().len() >= 6,
        "{} pages",
        doc.get_pages().len()
    );
    let all = text(&path);
    for title in [
        "¿Cuánto me cuesta lo que vendo?",
        "Poner el precio justo",
        "¿Estoy ganando?",
        "Los costos de la cosecha",
    ] {
        assert!(all.contains(title), "{title}");
    }
    // The cover says how long the module takes; the next page is what a facilitator
    // prepares the module from: objectives, each session's time and materials, contents.
    let module = text(&out.join("es/urban/emprendimiento/module.pdf"));
    assert!(
        module.contains("3 sesiones · 360 minutos (6 h)"),
        "{module}"
    );
    for part in [
        "Objetivos • Describir el propio negocio",
        "Este primer módulo parte de lo que cada participante ya sabe hacer",
        "Sesión 1 Mi negocio y yo 120 minutos (2 h) Hojas grandes de papel y marca",
        "Duración total 360 minutos (6 h)",
        "Contenido Mi negocio y yo",
    ] {
        assert!(module.contains(part), "{part} in {module}");
    }
    // The urban booklet has no rural-only session.
    assert!(
        !text(&out.join("es/urban/costos-precios/module.pdf")).contains("Los costos de la cosecha")
    );
    // Bookmarks: the catalog has an outline whose entries count the sessions and sections.
    let catalog = doc.catalog().unwrap();
    let outlines = catalog
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .unwrap();
    let count = doc
        .get_dictionary(outlines)
        .unwrap()
        .get(b"Count")
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(count.abs() >= 4, "{count} bookmarks");
}

#[test]
fn pages_link_to_their_pdfs() {
    let (_t, out) = sample();
    let page = read(out.join("es/urban/emprendimiento/mi-negocio/index.html"));
    assert!(page.contains("href=\"handout.pdf\""));
    assert!(page.contains("href=\"guide.pdf\""));
    let module = read(out.join("es/urban/emprendimiento/index.html"));
    assert!(module.contains("href=\"module.pdf\""));
    let (_t2, no_pdf, _) = build(&repo(), &["--no-pdf"]);
    assert!(
        !no_pdf
            .join("es/urban/emprendimiento/mi-negocio/handout.pdf")
            .exists()
    );
    assert!(
        !read(no_pdf.join("es/urban/emprendimiento/mi-negocio/index.html")).contains("handout.pdf")
    );
}

#[test]
fn hostile_text_comes_back_verbatim() {
    let hostile = r"Precio #1: $50 * 2 = _100_ @ana <b> \n // no [es] ~ {x} - + : 'k'o' = 50%";
    // In Markdown, a backslash makes any ASCII punctuation literal.
    let escaped: String = hostile
        .chars()
        .map(|c| {
            if c.is_ascii_punctuation() {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect();
    let session = format!("---\ntitle: \"#título [raro] $x\"\n---\n\n`{hostile}`\n\n{escaped}\n");
    let p = project(&[("aula.yaml", CONFIG), ("content/01-m/01-a.es.md", &session)]);
    let (_t, out, run) = build(p.path(), &["--lang", "es", "--variant", "urban"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let handout = text(&out.join("es/urban/m/a/handout.pdf"));
    assert!(handout.contains("#título [raro] $x"), "{handout}");
    assert_eq!(handout.matches(hostile).count(), 2, "{handout}");
}

#[test]
fn pdfs_are_byte_identical_across_builds_and_dated_by_source_date_epoch() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (
            "content/01-m/01-a.es.md",
            "---\ntitle: Uno\n---\n## Hola\n\n::: activity \"Juego\" 10\nTexto.\n:::\n",
        ),
    ]);
    let (_a, out_a, _) = build(p.path(), &["--variant", "urban"]);
    let (_b, out_b, _) = build(p.path(), &["--variant", "urban"]);
    let a = fs::read(out_a.join("quc/urban/m/a/guide.pdf")).unwrap();
    assert_eq!(a, fs::read(out_b.join("quc/urban/m/a/guide.pdf")).unwrap());
    let dated = std::process::Command::new(env!("CARGO_BIN_EXE_aula"))
        .args([
            "--root",
            &p.path().to_string_lossy(),
            "build",
            "--variant",
            "urban",
            "--out",
        ])
        .arg(out_a.parent().unwrap().join("dated"))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(dated.status.success());
    let bytes = fs::read(
        out_a
            .parent()
            .unwrap()
            .join("dated/quc/urban/m/a/guide.pdf"),
    )
    .unwrap();
    let pdf = String::from_utf8_lossy(&bytes);
    assert!(
        pdf.contains("D:20231114221320"),
        "creation date from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn an_unchanged_build_typesets_nothing_and_an_edit_only_what_changed() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
        ("content/01-m/02-b.es.md", "---\ntitle: Dos\n---\nAdiós.\n"),
    ]);
    let root = p.path().to_string_lossy().into_owned();
    let build = || {
        aula(&[
            "--root",
            &root,
            "build",
            "--lang",
            "es",
            "--variant",
            "urban",
        ])
    };
    let first = build();
    assert!(
        first.stderr.contains("8 PDFs (8 typeset, 0 unchanged)"),
        "{}",
        first.stderr
    );
    let second = build();
    assert!(
        second.stderr.contains("8 PDFs (0 typeset, 8 unchanged)"),
        "{}",
        second.stderr
    );
    write(
        p.path(),
        "content/01-m/02-b.es.md",
        "---\ntitle: Dos\n---\nHasta luego.\n",
    );
    let third = build();
    // b's handout and guide, and the module booklet, print pack, half-sheet pack and
    // workbook that contain b.
    assert!(
        third.stderr.contains("8 PDFs (6 typeset, 2 unchanged)"),
        "{}",
        third.stderr
    );
    assert!(text(&p.path().join("public/es/urban/m/b/handout.pdf")).contains("Hasta luego"));
}

#[test]
fn an_error_in_the_theme_pdf_template_points_at_its_line() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let builtin = read(repo().join("themes/default/pdf/aula.typ"));
    let broken = builtin.replace(
        "#let ink = luma(15%)",
        "#let ink = luma(15%)\n#let oops = undefined-thing",
    );
    write(p.path(), "themes/default/pdf/aula.typ", &broken);
    let (_t, _out, run) = build(p.path(), &["--lang", "es", "--variant", "urban"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--> themes/default/pdf/aula.typ:8:13"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown variable: undefined"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_module_s_print_pack_holds_every_handout_in_order_and_is_linked() {
    let (_t, out) = sample();
    let module = out.join("es/urban/emprendimiento");
    let pack = module.join("handouts.pdf");
    let sessions = ["mi-negocio", "mis-clientes", "separar-cuentas"];
    // The pack is the handouts' own pages: as many, in order.
    let pages: usize = sessions
        .iter()
        .map(|s| load(&module.join(s).join("handout.pdf")).get_pages().len())
        .sum();
    assert_eq!(load(&pack).get_pages().len(), pages);
    // Their text is there, in order, and no facilitator's (pdftotext reads the embedded
    // pages; lopdf does not). The quality gates install it; without it this part is skipped.
    if let Ok(run) = std::process::Command::new("pdftotext")
        .arg(&pack)
        .arg("-")
        .output()
    {
        let pack_text = String::from_utf8_lossy(&run.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut at = 0;
        for title in [
            "Mi negocio y yo",
            "¿Quién me compra y por qué?",
            "El dinero del negocio",
        ] {
            let found = pack_text[at..]
                .find(title)
                .unwrap_or_else(|| panic!("{title} in {pack_text}"));
            at += found + title.len();
        }
        assert!(!pack_text.contains("Llegue 20 minutos antes"));
    }
    let module_page = read(module.join("index.html"));
    assert!(
        module_page.contains("href=\"handouts.pdf\""),
        "{module_page}"
    );
    let print = read(out.join("es/urban/print/index.html"));
    assert!(print.contains("href=\"../emprendimiento/handouts.pdf\""));
}

#[test]
fn with_a_base_url_handouts_and_guides_lead_back_to_their_page() {
    let (_tmp, project) = copy_of_sample();
    add_to_config(
        &project,
        "base_url: https://micromba.example.org/\npretty_urls: true\n",
    );
    let (_t, out, run) = build(&project, &["--lang", "fr", "--variant", "rural"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = out.join("fr/rural/emprendimiento/mi-negocio");
    for pdf in ["handout.pdf", "guide.pdf"] {
        let text = text(&dir.join(pdf));
        assert!(
            text.contains(
                "Cette séance sur le web : micromba.example.org/fr/rural/emprendimiento/mi-negocio"
            ),
            "{text}"
        );
        // The code is a figure described by its address (the unit tests decode it).
        let raw = String::from_utf8_lossy(&fs::read(dir.join(pdf)).unwrap()).into_owned();
        let doc = load(&dir.join(pdf));
        let described = doc.objects.values().any(|o| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"Alt")
                    .and_then(|a| a.as_str())
                    .is_ok_and(|a| a.starts_with(b"micromba.example.org/fr/rural/"))
            })
        });
        assert!(
            described || raw.contains("/Alt (micromba"),
            "{pdf} has no code"
        );
    }
    // Without a public address there is no code.
    let (_t, out) = sample();
    let text = text(&out.join("fr/rural/emprendimiento/mi-negocio/handout.pdf"));
    assert!(!text.contains("sur le web"), "{text}");
}

#[test]
fn a_module_s_workbook_is_its_handouts_on_half_sheets_imposed_to_fold_and_staple() {
    let (_t, out) = sample();
    for (edition, sheet) in [("es/urban", (792.0, 612.0)), ("fr/rural", (841.89, 595.28))] {
        let module = out.join(edition).join("emprendimiento");
        let half = load(&module.join("handouts-a5.pdf")).get_pages().len();
        let workbook = module.join("handouts-booklet.pdf");
        let sides = load(&workbook).get_pages().len();
        // Two half pages per side, padded with blank pages to a multiple of four.
        assert_eq!(sides, half.div_ceil(4) * 2, "{edition}");
        let (w, h) = page_size(&workbook);
        assert!(
            (w - sheet.0).abs() < 1.0 && (h - sheet.1).abs() < 1.0,
            "{edition}: {w}×{h}"
        );
        let (hw, hh) = page_size(&module.join("handouts-a5.pdf"));
        // (Two A5 pages are 1.5 mm narrower than A4.)
        assert!(
            (hw * 2.0 - w).abs() < 4.5 && (hh - h).abs() < 1.0,
            "half sheets"
        );
        // The printer is told how, on the first side.
        let first = text(&workbook);
        assert!(
            first.contains("doble cara") || first.contains("recto verso"),
            "{first}"
        );
        // It arranges the half-sheet pack's pages, which hold every handout's words and
        // none of the facilitator's.
        let pages = text(&module.join("handouts-a5.pdf"));
        assert!(pages.contains("Mis tres fortalezas") || pages.contains("Mes trois forces"));
        assert!(
            !pages.contains("Llegue 20 minutos antes") && !pages.contains("Arrivez 20 minutes")
        );
        let page = read(module.join("index.html"));
        assert!(page.contains("href=\"handouts-booklet.pdf\""), "{page}");
    }
}

#[test]
fn a_handout_that_would_leave_a_near_empty_second_sheet_fits_on_one_and_labels_repeat() {
    let (_t, out) = sample();
    let urban = out.join("es/urban");
    // Set as usual these three ran a few lines onto a second sheet (the review counted
    // three of five two-page Spanish handouts so); set tighter they fit on one.
    for session in [
        "costos-precios/ganancia",
        "costos-precios/precio",
        "emprendimiento/mis-clientes",
    ] {
        let handout = urban.join(session).join("handout.pdf");
        assert_eq!(load(&handout).get_pages().len(), 1, "{session}");
    }
    // A handout with more than a sheet's text keeps its two pages, set as usual.
    let long = urban.join("emprendimiento/mi-negocio/handout.pdf");
    assert_eq!(load(&long).get_pages().len(), 2);
    // On half sheets long callouts break, and their label comes again on the next page:
    // the one exercise of the module is labelled twice, the one 40-minute activity too.
    let half = text(&urban.join("emprendimiento/handouts-a5.pdf"));
    assert_eq!(half.matches("EJERCICIO").count(), 2, "{half}");
    assert_eq!(half.matches("ACTIVIDAD · 40 MINUTOS").count(), 2, "{half}");
}

#[test]
fn the_print_centre_says_each_pdf_s_pages_and_the_paper() {
    let (_t, out) = sample();
    let print = read(out.join("es/urban/print/index.html"));
    assert!(print.contains("Papel:</span> Carta"), "{print}");
    // The handout of a one-sheet session, and the module's pack (the sum of its handouts).
    let one = load(&out.join("es/urban/costos-precios/ganancia/handout.pdf"))
        .get_pages()
        .len();
    assert_eq!(one, 1);
    assert!(print.contains(">1 página<"), "{print}");
    let pack = load(&out.join("es/urban/emprendimiento/handouts.pdf"))
        .get_pages()
        .len();
    assert!(print.contains(&format!("({pack} páginas)")), "{print}");
    assert!(print.contains("hojas a doble cara"), "{print}");
    let french = read(out.join("fr/rural/print/index.html"));
    assert!(french.contains("Papier\u{202f}:</span> A4"), "{french}");
}

#[test]
fn no_page_ends_with_a_callout_s_label() {
    let (_t, out) = sample();
    let labels = [
        "ACTIVIDAD",
        "EJERCICIO",
        "CONSEJO",
        "ATENCIÓN",
        "EJEMPLO",
        "NOTA",
        "CONVERSACIÓN",
        "NOTAS PARA QUIEN FACILITA",
        "EN LA HOJA DE PARTICIPANTES",
        "MINUTOS",
        "ACTIVITÉ",
        "EXERCICE",
        "CONSEIL",
        "EXEMPLE",
        "NOTES POUR L'ANIMATION",
    ];
    let mut pages = 0;
    for name in ["handout.pdf", "guide.pdf", "module.pdf", "handouts.pdf"] {
        for pdf in pdfs(&out, name) {
            let doc = load(&pdf);
            for (number, _) in doc.get_pages() {
                pages += 1;
                let raw = doc.extract_text(&[number]).unwrap_or_default();
                let words: Vec<&str> = raw.split_whitespace().collect();
                // The footer closes the page: the edition line, then "n / m".
                let body = match words.iter().rposition(|w| w.starts_with("microMBA")) {
                    Some(footer) => &words[..footer],
                    None => &words[..],
                };
                let end = body.join(" ");
                for label in labels {
                    assert!(
                        !end.ends_with(label),
                        "page {number} of {} ends with the label {label}: …{}",
                        pdf.display(),
                        &end[end.len().saturating_sub(80)..]
                    );
                }
            }
        }
    }
    assert!(pages > 300, "{pages}");
}
