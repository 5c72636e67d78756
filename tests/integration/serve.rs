//! `aula serve` with the real binary on an ephemeral port: pages, edits, live reload
//! events, and a bad edit that never takes the server down.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Stops the server when the test ends, however it ends.
struct Server {
    child: Child,
    addr: String,
    /// What the server printed to its terminal.
    log: Option<tempfile::NamedTempFile>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_on(root, "0")
}

fn start_on(root: &std::path::Path, port: &str) -> Server {
    start_with(root, port, &[])
}

fn start_with(root: &std::path::Path, port: &str, env: &[(&str, &str)]) -> Server {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(["--root", &root.to_string_lossy(), "serve", "--port", port])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server {
        child,
        addr,
        log: Some(log),
    }
}

/// One request; status 0 when the connection failed (a server over its connection limit
/// answers 503 and closes, which the system may turn into a reset).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut bytes = Vec::new();
    let sent = TcpStream::connect(addr).and_then(|mut stream| {
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
        stream.read_to_end(&mut bytes)
    });
    if sent.is_err() {
        return (0, String::new());
    }
    let response = String::from_utf8_lossy(&bytes).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

fn wait_for(addr: &str, path: &str, what: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(addr, path);
        if what(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting on {path}: {body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

const PAGE: &str = "/es/urban/m/a/index.html";

#[test]
fn serve_rebuilds_on_edit_reloads_pages_and_survives_bad_edits() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        (
            "content/01-m/01-a.es.md",
            "---\ntitle: Uno\n---\nPrimera versión.\n",
        ),
    ]);
    let server = start(p.path());
    let (status, page) = get(&server.addr, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Primera versión"));
    assert!(
        page.contains(
            "new EventSource(\"../../../../__aula/events?page=es/urban/m/a/index.html\")"
        ),
        "reload snippet, relative, naming its page"
    );
    assert!(
        !p.path().join("public").exists(),
        "serve never writes the output folder"
    );
    assert_eq!(
        get(&server.addr, "/es/urban/m/").0,
        200,
        "folders serve their index.html"
    );
    assert_eq!(get(&server.addr, "/nothing/here.html").0, 404);

    // A reload event reaches an open page when it changes; another open page (the home
    // page, which a body edit leaves as it was) is left alone.
    let listen = |page: &str| {
        let mut events = TcpStream::connect(&server.addr).unwrap();
        events
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        write!(
            events,
            "GET /__aula/events?page={page} HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 512];
        while !seen.contains("aula live reload") {
            let n = events.read(&mut buf).unwrap();
            assert!(n > 0, "the event stream closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        (events, seen)
    };
    let (mut events, mut seen) = listen("es/urban/m/a/index.html");
    let (mut home_events, _) = listen("es/urban/index.html");
    let mut buf = [0u8; 512];
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\n---\nSegunda versión.\n",
    );
    wait_for(&server.addr, PAGE, |b| b.contains("Segunda versión"));
    while !seen.contains("data: reload") {
        let n = events.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    // The search index has the new text too (it is refreshed after the pages).
    wait_for(&server.addr, "/es/urban/search-index/w7365.js", |b| {
        b.contains("\"segunda\"") && b.contains("Segunda versión")
    });
    let (_, pr) = get(&server.addr, "/es/urban/search-index/w7072.js");
    assert!(!pr.contains("\"primera\""), "{pr}");
    // A body edit re-renders that session's pages only, one per edition.
    let log = read(server.log.as_ref().unwrap().path());
    assert!(log.contains("re-rendered 9 pages"), "{log}");
    home_events
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let quiet = home_events.read(&mut buf);
    assert!(
        quiet.is_err(),
        "the home page was told to reload: {:?}",
        quiet.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned())
    );
    // A title edit re-renders the pages that list it (its module's, search, print), and
    // still not the whole site.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno bis\n---\nSegunda versión.\n",
    );
    wait_for(&server.addr, "/es/urban/m/index.html", |b| {
        b.contains("Uno bis")
    });
    wait_for(&server.addr, "/es/urban/search/index.html", |b| {
        b.contains("Uno bis")
    });
    let log = read(server.log.as_ref().unwrap().path());
    assert_eq!(
        log.matches("rebuilt").count(),
        1,
        "only the first build was whole: {log}"
    );

    // A bad edit: the last good page stays, with the problem shown over it.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\nduration: mucho\n---\nTercera.\n",
    );
    let broken = wait_for(&server.addr, PAGE, |b| b.contains("aula-errors"));
    assert!(broken.contains("Segunda versión"));
    assert!(broken.contains("content/01-m/01-a.es.md:3:11"), "{broken}");
    // Fixing it clears the error.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\nduration: 30\n---\nCuarta.\n",
    );
    let fixed = wait_for(&server.addr, PAGE, |b| b.contains("Cuarta"));
    assert!(!fixed.contains("aula-errors"));
    // PDFs are typeset when asked for.
    let (status, pdf) = get(&server.addr, "/es/urban/m/a/handout.pdf");
    assert_eq!(status, 200);
    assert!(pdf.starts_with("%PDF"), "{}", &pdf[..pdf.len().min(40)]);
}

/// The body of a response, as bytes.
fn get_bytes(addr: &str, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let at = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    bytes.split_off(at)
}

#[test]
fn a_served_pdf_is_the_built_pdf() {
    // serve typeset from a project it loaded again from disk, with no SOURCE_DATE_EPOCH;
    // it now asks the pipeline, with the project its pages were made from.
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let epoch = [("SOURCE_DATE_EPOCH", "1700000000")];
    let root = p.path().to_string_lossy().into_owned();
    let built = aula_env(&["--root", &root, "build"], &epoch);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let on_disk = std::fs::read(p.path().join("public/es/urban/m/a/handout.pdf")).unwrap();
    // A cache of its own: the served PDF is typeset, not read from the build's cache.
    let other = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let server = start_with(other.path(), "0", &epoch);
    let served = get_bytes(&server.addr, "/es/urban/m/a/handout.pdf");
    assert!(
        served == on_disk,
        "served {} bytes, built {}",
        served.len(),
        on_disk.len()
    );
}

/// Sends `request` as is and returns the status of the answer (0 if none).
fn raw(addr: &str, request: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn serve_answers_only_its_own_address_and_bounds_requests() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\nHola.\n"),
    ]);
    let server = start(p.path());
    let addr = &server.addr;
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1.
    let rebinding = format!(
        "GET {PAGE} HTTP/1.1\r\nHost: evil.example:{}\r\n\r\n",
        addr.split(':').nth(1).unwrap()
    );
    assert_eq!(raw(addr, rebinding.as_bytes()), 421);
    assert_eq!(
        raw(addr, format!("GET {PAGE} HTTP/1.1\r\n\r\n").as_bytes()),
        421
    );
    let huge = format!(
        "GET {PAGE} HTTP/1.1\r\nHost: {addr}\r\nX: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    assert_eq!(raw(addr, huge.as_bytes()), 431);
    assert_eq!(
        raw(
            addr,
            format!("POST {PAGE} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()
        ),
        405
    );
    // Many connections at once, most of them idle: the server still answers.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let listeners: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            // Past the connection limit the server answers 503 and closes: writing may fail.
            let _ = write!(s, "GET /__aula/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
            s
        })
        .collect();
    drop(idle);
    // Connections past the limit were told 503; once the idle ones close, pages come again.
    wait_for(addr, PAGE, |b| b.contains("Hola"));
    // A bad edit nesting 6,000 blocks is reported; the server stays up.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        &format!("---\ntitle: Uno\n---\n{}x\n", "::: tip\n".repeat(6000)),
    );
    let broken = wait_for(addr, PAGE, |b| b.contains("aula-errors"));
    assert!(broken.contains("too-deep"), "{broken}");
    drop(listeners);
    assert_eq!(get(addr, PAGE).0, 200);
}

#[test]
fn a_busy_port_moves_to_the_next_one() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/01-a.es.md", "---\ntitle: Uno\n---\n"),
    ]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = start_on(p.path(), &port.to_string());
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    assert!(
        !server.addr.ends_with(&format!(":{port}")),
        "{}",
        server.addr
    );
}

#[test]
fn the_translation_desk_answers_and_follows_edits() {
    let p = project(&[
        ("aula.yaml", CONFIG),
        ("content/01-m/_module.es.md", "---\ntitle: Módulo\n---\n"),
        (
            "content/01-m/01-a.es.md",
            "---\ntitle: Uno\n---\n## Hola {#hola}\n\nPrimera versión.\n\n## Adiós\n\nFin.\n",
        ),
        (
            "content/01-m/01-a.fr.md",
            "---\ntitle: Un\n---\n## Bonjour {#hola}\n\nPremière version.\n\n## Au revoir\n\nFin.\n",
        ),
    ]);
    let root = p.path().to_str().unwrap();
    assert_eq!(
        aula(&["--root", root, "stamp", "content/01-m/01-a.fr.md"]).code,
        0
    );
    let server = start(p.path());
    let (status, matrix) = get(&server.addr, "/__aula/status");
    assert_eq!(status, 200);
    assert!(
        matrix.contains("<a href=\"/__aula/status/content/01-m/01-a.fr.md\">up to date</a>"),
        "{matrix}"
    );
    assert!(matrix.contains("missing<br><small><code>content/01-m/01-a.quc.md</code>"));
    // The desk pages listen for every change, like any served page.
    assert!(matrix.contains("new EventSource(\"/__aula/events\")"));
    let desk = "/__aula/status/content/01-m/01-a.fr.md";
    let (status, side_by_side) = get(&server.addr, desk);
    assert_eq!(status, 200);
    assert!(
        side_by_side
            .contains("<td lang=\"fr\" data-label=\"Translation (fr)\"><pre>## Bonjour {#hola}"),
        "{side_by_side}"
    );
    assert!(
        side_by_side.contains("<td lang=\"es\" data-label=\"Source (es)\"><pre>## Hola {#hola}")
    );
    // The source is saved with a change: the matrix and the page show it, with the diff.
    write(
        p.path(),
        "content/01-m/01-a.es.md",
        "---\ntitle: Uno\n---\n## Hola {#hola}\n\nSegunda versión.\n\n## Adiós\n\nFin.\n",
    );
    wait_for(&server.addr, "/__aula/status", |b| {
        b.contains(">stale</a> · 1 of 3 sections")
    });
    let page = wait_for(&server.addr, desk, |b| b.contains("<tr class=\"changed\">"));
    // The words that changed are marked within the line.
    assert!(
        page.contains("<span class=\"del\">-<mark>Primera</mark> versión.</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"ins\">+<mark>Segunda</mark> versión.</span>"),
        "{page}"
    );
    assert!(
        page.contains("<tr class=\"unchanged\"><th scope=\"row\">#adiós “Adiós”</th>"),
        "{page}"
    );
    // Only translations have a desk page.
    assert_eq!(
        get(&server.addr, "/__aula/status/content/01-m/01-a.es.md").0,
        404
    );
    assert_eq!(get(&server.addr, "/__aula/status/../../etc/passwd").0, 404);
}
