//! Hostile and odd input: one regression test per defect found by trying ~280 of them,
//! named after what it fixes. Each builds a fixture with the real binary and asserts the
//! exit code, the message, and that nothing leaked or was lost.

use std::fs;
use std::path::Path;

use crate::common::*;

const SESSION: &str = "content/01-m/01-a.es.md";
const ES: &str = "title: Curso\nlanguages:\n  - code: es\nvariants: [urban]\n";

fn minimal(body: &str) -> tempfile::TempDir {
    project(&[
        ("aula.yaml", ES),
        ("content/_index.es.md", "---\ntitle: Inicio\n---\nHola.\n"),
        (SESSION, &format!("---\ntitle: Uno\n---\n{body}")),
    ])
}

fn root_arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn check(p: &Path) -> Run {
    aula(&["--root", &root_arg(p), "check"])
}

/// Every file under `dir` with its bytes: what must not change.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn output_spelled_through_a_symlink_never_moves_the_project() {
    // A project inside an aula output folder, reached through a symlink: the output's
    // swap would move the project aside, and the next build would delete it.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join(".aula-output"), "").unwrap();
    let proj = site.join("proj");
    write(&proj, "aula.yaml", ES);
    write(&proj, SESSION, "---\ntitle: Uno\n---\nHola.\n");
    std::os::unix::fs::symlink(&proj, tmp.path().join("link")).unwrap();
    let before = snapshot(&proj);
    let link = tmp.path().join("link");
    let run = aula(&[
        "--root",
        &root_arg(&link),
        "build",
        "--no-pdf",
        "--out",
        &root_arg(&site),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("contains the project"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&proj), before);
}

#[test]
fn leftover_folders_aula_did_not_mark_are_never_removed() {
    let p = minimal("Hola.\n");
    let out = p.path().join("public");
    let stranger = p.path().join(".public.aula-new");
    write(&stranger, "notes.txt", "mine");
    let run = aula(&["--root", &root_arg(p.path()), "build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("was not made by aula"),
        "{}",
        run.stderr
    );
    assert_eq!(read(stranger.join("notes.txt")), "mine");
    assert!(!out.join("index.html").exists());
}

#[test]
fn a_truncated_pdf_cache_entry_is_typeset_again_not_published() {
    let p = minimal("Hola.\n");
    let root = root_arg(p.path());
    assert_eq!(aula(&["--root", &root, "build"]).code, 0);
    let cache = p.path().join(".public.aula-cache");
    // A build killed while writing the cache leaves part of an entry.
    let mut cut = 0;
    for entry in fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let bytes = fs::read(&path).unwrap();
            fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
            cut += 1;
        }
    }
    assert!(cut > 0);
    let run = aula(&["--root", &root, "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(" 0 unchanged"), "{}", run.stderr);
    let handout = p.path().join("public/es/urban/m/a/handout.pdf");
    assert!(pdf_text(&handout).contains("Hola"));
    assert!(
        fs::read(&handout).unwrap().ends_with(b"%%EOF\n") || {
            let b = fs::read(&handout).unwrap();
            b.windows(5).rev().take(16).any(|w| w == b"%%EOF")
        }
    );
}

#[test]
fn the_pdf_cache_key_covers_the_date() {
    let p = minimal("Hola.\n");
    let root = root_arg(p.path());
    assert_eq!(aula(&["--root", &root, "build"]).code, 0);
    let run = crate::common::aula_env(
        &["--root", &root, "build"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(" 0 unchanged"), "{}", run.stderr);
}

#[test]
fn a_temporary_folder_that_cannot_be_written_fails_the_build_and_leaves_the_output() {
    let p = minimal("Hola, precio.\n");
    let root = root_arg(p.path());
    assert_eq!(aula(&["--root", &root, "build", "--no-pdf"]).code, 0);
    let out = p.path().join("public");
    let before = snapshot(&out);
    assert!(before.iter().any(|(f, _)| f.contains("search-index/")));
    write(p.path(), SESSION, "---\ntitle: Uno\n---\nOtro texto.\n");
    let missing = p.path().join("no-such-folder");
    let run = aula_env(
        &["--root", &root, "build", "--no-pdf"],
        &[("TMPDIR", &missing.to_string_lossy())],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[search-index]: the search index of es/urban could not be written")
            && run.stderr.contains("no-such-folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&out),
        before,
        "the previous output is left as it was"
    );
}

#[test]
fn two_builds_into_one_folder_are_told_so() {
    let p = minimal("Hola.\n");
    let cache = p.path().join(".public.aula-cache");
    fs::create_dir_all(&cache).unwrap();
    let held = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(cache.join("lock"))
        .unwrap();
    held.lock().unwrap();
    let run = aula(&["--root", &root_arg(p.path()), "build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("another aula is building"),
        "{}",
        run.stderr
    );
    drop(held);
    assert_eq!(
        aula(&["--root", &root_arg(p.path()), "build", "--no-pdf"]).code,
        0
    );
}

#[test]
fn control_characters_in_text_never_run_typesetter_code() {
    // The footnote marker was a control character: text carrying it closed a string and
    // ran `#panic`. Every control character now comes back as text.
    let body = "Texto[^1] \u{1}\")#panic(\"boom\")//\u{1} y `\u{1}#panic()` fin.\n\n[^1]: Nota \u{1}#panic(\"x\")\u{1}.\n";
    let p = minimal(body);
    let run = aula(&["--root", &root_arg(p.path()), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&p.path().join("public/es/urban/m/a/handout.pdf"));
    assert!(text.contains("#panic"), "{text}");
    assert!(text.contains("Nota"), "{text}");
}

#[cfg(unix)]
#[test]
fn symlinks_and_special_files_in_content_are_skipped_not_published() {
    let p = minimal("![Foto](media/foto.png)\n");
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("passwd"), "root:x:0:0").unwrap();
    fs::create_dir_all(p.path().join("content/01-m/media")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().join("passwd"),
        p.path().join("content/01-m/media/foto.png"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", p.path().join("content/01-m/media/zero.png")).unwrap();
    let fifo = p.path().join("content/01-m/02-b.es.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    // The image is missing (its link was refused), so the build fails: nothing leaks.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("outside the project"), "{}", run.stderr);
    assert!(run.stderr.contains("named pipe"), "{}", run.stderr);
    assert!(!out.exists());
    // Without the image, the site builds and holds nothing from outside.
    write(p.path(), SESSION, "---\ntitle: Uno\n---\nHola.\n");
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in files(&out) {
        let bytes = fs::read(out.join(&f)).unwrap();
        assert!(!bytes.windows(10).any(|w| w == b"root:x:0:0"), "{f}");
    }
}

#[cfg(unix)]
#[test]
fn stamp_never_writes_through_a_symlink_out_of_the_project() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (SESSION, "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.md");
    fs::write(&target, "---\ntitle: Un\n---\nSalut.\n").unwrap();
    std::os::unix::fs::symlink(&target, p.path().join("content/01-m/01-a.fr.md")).unwrap();
    let run = aula(&[
        "--root",
        &root_arg(p.path()),
        "stamp",
        "content/01-m/01-a.fr.md",
    ]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&target), "---\ntitle: Un\n---\nSalut.\n");
}

#[test]
fn raw_html_from_other_hosts_is_reported_and_scripts_stay_out_of_pdfs() {
    let p = minimal(
        "Texto <script>alert(1)</script> fin.\n\n<img src=\"https://example.org/x.png\" alt=\"x\">\n",
    );
    let root = root_arg(p.path());
    let run = check(p.path());
    assert!(run.stderr.contains("raw-script"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("loads `https://example.org/x.png` from another host"),
        "{}",
        run.stderr
    );
    let strict = aula(&["--root", &root, "check", "--deny-warnings"]);
    assert_eq!(strict.code, 1);
    let strict = aula(&["--root", &root, "build", "--deny-warnings", "--no-pdf"]);
    assert_eq!(strict.code, 1);
    assert!(!p.path().join("public/index.html").exists());
    let run = aula(&["--root", &root, "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&p.path().join("public/es/urban/m/a/handout.pdf"));
    assert!(text.contains("Texto") && !text.contains("alert"), "{text}");
}

#[test]
fn deep_block_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 6000;
    let body = format!(
        "{}Hola\n{}",
        "::: tip\n".repeat(depth),
        ":::\n".repeat(depth)
    );
    let p = minimal(&body);
    let run = check(p.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("nest more than 32 deep"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("too-deep").count(), 1, "{}", run.stderr);
    let (_tmp, _out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn emphasis_nested_thousands_deep_is_a_located_error_for_print() {
    let n = 3000;
    let p = minimal(&format!("{}x{}\n", "*".repeat(n), "*".repeat(n)));
    let (_tmp, _out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[pdf-depth]"), "{}", run.stderr);
    assert!(run.stderr.contains(SESSION), "{}", run.stderr);
}

#[test]
fn deep_quote_and_list_nesting_builds_or_fails_cleanly() {
    let body = format!("{}hondo\n\n{}x\n", ">".repeat(3000), "- ".repeat(3000));
    let p = minimal(&body);
    let (_tmp, _out, run) = build(p.path(), &[]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn facilitator_blocks_inside_quotes_and_list_items_never_reach_the_handout() {
    let body = "> Cita\n>\n> ::: facilitator\n> SECRETO-CITA\n> :::\n>\n> sigue\n\n1. Paso\n\n   ::: facilitator\n   SECRETO-LISTA\n   :::\n\n   - sub\n\n     ::: facilitator\n     SECRETO-SUB\n     :::\n\n- ::: facilitator\n  SECRETO-MARCA\n  :::\n\nFin.\n";
    let p = minimal(body);
    let (_tmp, out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let handout = pdf_text(&out.join("es/urban/m/a/handout.pdf"));
    assert!(!handout.contains("SECRETO"), "{handout}");
    assert!(handout.contains("Cita") && handout.contains("sigue") && handout.contains("Fin"));
    let guide = pdf_text(&out.join("es/urban/m/a/guide.pdf"));
    for secret in [
        "SECRETO-CITA",
        "SECRETO-LISTA",
        "SECRETO-SUB",
        "SECRETO-MARCA",
    ] {
        assert!(guide.contains(secret), "{secret} in {guide}");
    }
    let page = read(out.join("es/urban/m/a/index.html"));
    assert!(!page.contains(":::"), "{page}");
    assert!(page.contains("SECRETO-CITA"));
}

#[test]
fn a_slug_equal_to_a_page_aula_writes_is_reported() {
    let p = project(&[
        ("aula.yaml", ES),
        (
            "content/01-search/01-a.es.md",
            "---\ntitle: Uno\n---\nHola.\n",
        ),
    ]);
    let run = check(p.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("path-clash"), "{}", run.stderr);
    assert!(run.stderr.contains("content/01-search/"), "{}", run.stderr);
}

#[test]
fn writing_to_a_closed_pipe_is_not_a_panic() {
    let p = minimal("[x](nada.md) [y](nada2.md)\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(["--root", &root_arg(p.path()), "check", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bcp47_language_codes_build_their_pdfs() {
    let p = project(&[
        (
            "aula.yaml",
            "title: Curso\nlanguages:\n  - code: es-gt\nvariants: [urban]\n",
        ),
        (
            "content/01-m/01-a.es-gt.md",
            "---\ntitle: Uno\n---\nHola.\n",
        ),
    ]);
    let (_tmp, out, run) = build(p.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&out.join("es-gt/urban/m/a/handout.pdf")).contains("Hola"));
    let bad = project(&[
        (
            "aula.yaml",
            "title: Curso\nlanguages:\n  - code: e\nvariants: [urban]\n",
        ),
        (SESSION, "---\ntitle: Uno\n---\n"),
    ]);
    let run = check(bad.path());
    assert!(run.stderr.contains("aula.yaml:3:"), "{}", run.stderr);
}

#[test]
fn activity_minutes_are_bounded_and_checked() {
    let p = minimal(
        "::: activity \"A\" 4294967295\nx\n:::\n\n::: activity \"B\" -5\ny\n:::\n\n::: activity \"C\n:::\n",
    );
    let run = check(p.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`4294967295` is not a number of minutes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`-5` is not a number of minutes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("quote is never closed"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("is not a variant"), "{}", run.stderr);
}

#[test]
fn image_names_with_url_characters_get_working_links() {
    let p = minimal("![Uno](<media/foto 1#a?.png>)\n");
    write(p.path(), "content/01-m/media/foto 1#a?.png", "png");
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(out.join("es/urban/m/a/index.html"));
    assert!(
        page.contains("src=\"../../../../files/01-m/media/foto%201%23a%3F.png\""),
        "{page}"
    );
    assert!(out.join("files/01-m/media/foto 1#a?.png").exists());
}

#[test]
fn check_finds_what_only_the_pdfs_would_fail_on() {
    let p = minimal("Hola.\n");
    write(
        p.path(),
        "themes/default/pdf/aula.typ",
        "#let aula-doc(..args) = { #undefined-thing }\n",
    );
    let run = check(p.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("themes/default/pdf/aula.typ"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_of_other_tools_is_reported_where_it_is() {
    let p = minimal(
        "> ## Reto\n> Haz esto.\n{: .challenge}\n\n{% include links.md %}\n\n[Inicio]({{ page.root }}/index.html)\n",
    );
    write(p.path(), "content/01-m/02-b.Rmd", "x");
    let run = check(p.path());
    assert!(run.stderr.contains("kramdown"), "{}", run.stderr);
    assert!(run.stderr.contains("Liquid"), "{}", run.stderr);
    assert!(run.stderr.contains("R Markdown"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{SESSION}:6:")),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_anchors_count_and_root_absolute_links_are_reported() {
    let p = minimal("<a id=\"aqui\"></a>\n\n[ir](#aqui) [raiz](/assets/x.txt)\n");
    let run = check(p.path());
    assert!(!run.stderr.contains("no section `#aqui`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("starts at the host's root"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_unknown_front_matter_key_in_one_run() {
    let p = minimal("Hola.\n");
    write(
        p.path(),
        SESSION,
        "---\ntitle: Uno\ndurasion: 5\nobjetivos: [a]\n---\nHola.\n",
    );
    let run = check(p.path());
    assert!(
        run.stderr.contains("unknown key `durasion`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown key `objetivos`"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_missing_folder() {
    let run = aula(&["--root", "/no/such/folder", "build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    let run = aula(&["--root", "/no/such/folder", "serve", "--port", "0"]);
    assert_eq!(run.code, 2);
    let p = minimal("Hola.\n");
    let run = aula(&["--root", &root_arg(p.path()), "build", "--out", "content"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn empty_titles_and_lone_cr_files_are_handled() {
    let p = minimal("Hola.\n");
    write(p.path(), SESSION, "---\ntitle: \"\"\n---\nHola.\n");
    let run = check(p.path());
    assert!(run.stderr.contains("the title is empty"), "{}", run.stderr);
    write(p.path(), SESSION, "---\rtitle: Uno\r---\rHola.\r");
    let run = check(p.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("lone carriage return"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_diagnostic_on_a_huge_line_is_cut() {
    let line = format!(
        "{} [x](nada.md) {}",
        "a".repeat(5_000_000),
        "b".repeat(5_000_000)
    );
    let p = minimal(&format!("{line}\n"));
    let run = check(p.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.len() < 5_000, "{} bytes", run.stderr.len());
    assert!(
        run.stderr.contains("nada.md"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
}

#[test]
fn many_fragment_links_are_checked_in_linear_time() {
    // 16,000 links on one page took 11.7 s; now they take one pass (measured in the
    // closing note, not by a clock here): each broken link is still found and named.
    let mut body = String::from("## Uno {#uno}\n\n");
    for i in 0..16_000 {
        body.push_str(&format!("[l](02-b.md#s{i}) "));
    }
    body.push('\n');
    let p = minimal(&body);
    write(
        p.path(),
        "content/01-m/02-b.es.md",
        "---\ntitle: Dos\n---\n## S0 {#s0}\n",
    );
    let run = check(p.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no section `#s15999`"),
        "{}",
        &run.stderr[..2000]
    );
    assert!(!run.stderr.contains("no section `#s0`"));
}

#[test]
fn links_that_run_code_are_refused_and_scripted_svgs_reported() {
    let p = minimal(
        "[clic](javascript:alert(1)) [datos](data:text/html,<b>x</b>) <a href=\"javascript:x()\">a</a> ![Dibujo](media/d.svg)\n",
    );
    write(
        p.path(),
        "content/01-m/media/d.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
    );
    let run = check(p.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("error[script-link]").count(),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("warning[raw-script]"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[svg-script]"), "{}", run.stderr);
}

#[test]
fn a_runaway_pdf_template_is_stopped_and_named() {
    // The template is code: a loop in it cannot be interrupted, so the watchdog ends the
    // build, naming the documents, once the budget (here 1 s) is spent.
    let p = minimal("Hola.\n");
    let template = format!(
        "{}\n#let cover(..args) = {{ let n = 0; for i in range(100000) {{ for j in range(100000) {{ n += 1 }} }}; [#n] }}\n",
        read(repo().join("themes/default/pdf/aula.typ"))
    );
    write(p.path(), "themes/default/pdf/aula.typ", &template);
    let run = aula_env(
        &["--root", &root_arg(p.path()), "build"],
        &[("AULA_PDF_SECONDS", "1")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[pdf-budget]"), "{}", run.stderr);
    assert!(run.stderr.contains("es/urban/m/"), "{}", run.stderr);
    assert!(!p.path().join("public").exists());
}

#[test]
fn a_source_date_epoch_that_is_no_number_is_reported() {
    let p = minimal("Hola.\n");
    let run = aula_env(
        &["--root", &root_arg(p.path()), "build"],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[source-date]"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_content_folder_that_is_a_link_reads_only_what_lies_inside_the_project() {
    // Linked to a folder inside the project, it is read as if it were there.
    let p = minimal("Hola desde dentro.\n");
    fs::rename(p.path().join("content"), p.path().join("lessons")).unwrap();
    std::os::unix::fs::symlink("lessons", p.path().join("content")).unwrap();
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(out.join("es/urban/m/a/index.html")).contains("Hola desde dentro."));
    // Linked out of the project, every file is skipped, and nothing of it is published.
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "_index.es.md",
        "---\ntitle: Fuera\n---\nSecreto de fuera.\n",
    );
    write(
        outside.path(),
        "01-m/01-a.es.md",
        "---\ntitle: Uno\n---\nSecreto de fuera.\n",
    );
    fs::remove_file(p.path().join("content")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.path().join("content")).unwrap();
    let (_tmp, out, run) = build(p.path(), &["--no-pdf"]);
    assert!(run.stderr.contains("outside the project"), "{}", run.stderr);
    for f in files(&out) {
        let bytes = fs::read(out.join(&f)).unwrap();
        assert!(!bytes.windows(17).any(|w| w == b"Secreto de fuera."), "{f}");
    }
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_link_out_of_the_project() {
    let p = minimal("Hola.\n");
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), p.path().join("content/04-mercadeo")).unwrap();
    let run = aula(&[
        "--root",
        &root_arg(p.path()),
        "new",
        "session",
        "04-mercadeo/01-clientes",
    ]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("outside the project"), "{}", run.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}
