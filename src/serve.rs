//! `aula serve`: build into memory, serve on 127.0.0.1, watch the sources, rebuild on
//! every change and reload open pages by Server-Sent Events.
//!
//! The server owns the last good site and the last diagnostics: a bad edit keeps the last
//! good pages up, with the problems shown over them and in the terminal, until it is
//! fixed. Nothing is written to disk except the PDF cache beside the output folder; the
//! output folder itself is never touched. PDFs are typeset in the background after each
//! successful build, so a text edit reaches the browser first.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use tiny_http::{Header, Request, Response, Server};

use crate::output::{Content, Output};
use crate::pipeline::{self, BuildOptions};

/// What the server shows: the last good site, the last problems, and a version that
/// changes on every rebuild (open pages reload when it does).
#[derive(Default)]
struct State {
    site: Output,
    problems: Option<String>,
    version: u64,
    /// PDFs by path, from the last background typesetting.
    pdfs: std::collections::BTreeMap<String, Vec<u8>>,
    pdfs_pending: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Runs the server until the process is stopped. Returns the exit code.
pub fn serve(root: &Path, port: u16, out: &Path) -> i32 {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
    });
    let cache = crate::output::cache_dir(out);
    rebuild(root, &shared, &cache);

    let server = match bind(port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port} or the next ports: {e}");
            eprintln!("  = help: choose another port with `aula serve --port 8080`");
            return 2;
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("127.0.0.1:{port}"), |a| a.to_string());
    println!(
        "serving {} at http://{addr}/  (Ctrl-C to stop)",
        root.display()
    );
    let _ = std::io::stdout().flush();

    let watcher = watch(root, Arc::clone(&shared), cache);
    if let Err(e) = &watcher {
        eprintln!("warning: cannot watch for changes ({e}); reload by restarting aula serve");
    }

    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || handle(request, &shared));
    }
    0
}

fn bind(port: u16) -> Result<Server, String> {
    let mut last = String::new();
    // Port 0 lets the system choose; a busy port moves on to the next ten.
    let tries = if port == 0 { 1 } else { 10 };
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match Server::http(SocketAddrV4::new(Ipv4Addr::LOCALHOST, p)) {
            Ok(s) => {
                if p != port {
                    eprintln!("port {port} is busy; using {p}");
                }
                return Ok(s);
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// Builds the site into memory and publishes it; typesets PDFs in the background.
fn rebuild(root: &Path, shared: &Arc<Shared>, cache: &Path) {
    let start = Instant::now();
    let options = BuildOptions {
        drafts: true,
        pdf: false,
        ..BuildOptions::default()
    };
    let built = pipeline::build(root, &options);
    let elapsed = start.elapsed();
    let version;
    {
        let mut state = shared.lock();
        state.version += 1;
        version = state.version;
        match built {
            Ok(built) => {
                let report = (!built.diagnostics.is_empty()).then(|| built.diagnostics.render());
                if let Some(r) = &report {
                    eprint!("{r}");
                }
                match built.output {
                    Some(site) => {
                        eprintln!(
                            "rebuilt {} pages in {} ms",
                            built.pages,
                            elapsed.as_millis()
                        );
                        state.site = site;
                        state.problems = None;
                        state.pdfs_pending = true;
                    }
                    None => {
                        eprintln!("the last good site stays up until this is fixed");
                        state.problems = report.or_else(|| Some("the build failed".into()));
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                state.problems = Some(e.to_string());
            }
        }
    }
    shared.changed.notify_all();
    if shared.lock().problems.is_none() {
        typeset_in_background(
            root.to_path_buf(),
            Arc::clone(shared),
            cache.to_path_buf(),
            version,
        );
    }
}

fn typeset_in_background(root: PathBuf, shared: Arc<Shared>, cache: PathBuf, version: u64) {
    std::thread::spawn(move || {
        let options = BuildOptions {
            drafts: true,
            pdf: true,
            pdf_cache: Some(cache.clone()),
            ..BuildOptions::default()
        };
        let Ok(built) = pipeline::build(&root, &options) else {
            return;
        };
        let Some(output) = built.output else { return };
        let _ = crate::output::update_cache(&cache, &output, &built.pdf_hashes);
        let mut state = shared.lock();
        // A newer edit has started another round: its PDFs will follow.
        if state.version != version {
            return;
        }
        state.pdfs = output
            .files
            .into_iter()
            .filter(|(p, _)| p.ends_with(".pdf"))
            .filter_map(|(p, c)| match c {
                Content::Bytes(b) => Some((p, b)),
                Content::Copy(_) => None,
            })
            .collect();
        state.pdfs_pending = false;
    });
}

type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

fn watch(root: &Path, shared: Arc<Shared>, cache: PathBuf) -> Result<Watcher, notify::Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(50), None, tx)?;
    for name in ["aula.yaml", "content", "themes", "locales"] {
        let path = root.join(name);
        if path.exists() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for events in rx {
            // Editors touch swap and backup files; only real sources trigger a build.
            let relevant = match &events {
                // Reading a file is an event too: only changes count, or every build would
                // trigger the next.
                Ok(events) => events.iter().any(|e| {
                    !e.kind.is_access()
                        && !e.kind.is_other()
                        && e.paths.iter().any(|p| is_source(p))
                }),
                Err(_) => true,
            };
            if relevant {
                rebuild(&root, &shared, &cache);
            }
        }
    });
    Ok(debouncer)
}

fn is_source(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp"))
}

fn handle(request: Request, shared: &Shared) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == "/__aula/events" {
        events(request, shared);
        return;
    }
    let path = percent_decode(url.trim_start_matches('/'));
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let state = shared.lock();
    let body: Option<Vec<u8>> = match state.site.get(&path) {
        Some(Content::Bytes(b)) => Some(b.clone()),
        Some(Content::Copy(from)) => std::fs::read(from).ok(),
        None => state.pdfs.get(&path).cloned(),
    };
    let response = match body {
        Some(bytes) if path.ends_with(".html") => {
            let html = String::from_utf8_lossy(&bytes);
            ok(
                inject(&html, &path, state.problems.as_deref()).into_bytes(),
                "text/html; charset=utf-8",
            )
        }
        Some(bytes) => ok(bytes, content_type(&path)),
        None if path.ends_with(".pdf") && state.pdfs_pending => {
            text(503, "This PDF is being typeset; reload in a moment.")
        }
        None => {
            let page = state.site.get("404.html").and_then(|c| match c {
                Content::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Content::Copy(_) => None,
            });
            match page {
                Some(html) => {
                    let bytes = inject(&html, &path, state.problems.as_deref()).into_bytes();
                    with_header(
                        Response::from_data(bytes).with_status_code(404),
                        "Content-Type",
                        "text/html; charset=utf-8",
                    )
                }
                None => text(404, "not found"),
            }
        }
    };
    drop(state);
    let _ = request.respond(response);
}

/// Server-Sent Events: one `reload` message each time the site changes.
fn events(request: Request, shared: &Shared) {
    let mut seen = shared.lock().version;
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: aula live reload\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let mut state = shared.lock();
        while state.version == seen {
            state = match shared.changed.wait_timeout(state, Duration::from_secs(15)) {
                Ok((s, timeout)) => {
                    if timeout.timed_out() {
                        drop(s);
                        // A comment keeps the connection alive and finds closed tabs.
                        if writer
                            .write_all(b": ping\n\n")
                            .and_then(|_| writer.flush())
                            .is_err()
                        {
                            return;
                        }
                        shared.lock()
                    } else {
                        s
                    }
                }
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        seen = state.version;
        drop(state);
        if writer
            .write_all(b"data: reload\n\n")
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Adds the live-reload script (relative URL, so any page depth works) and, when the last
/// build failed, the problems over the page.
fn inject(html: &str, path: &str, problems: Option<&str>) -> String {
    let root = crate::urls::root_of(path);
    let mut snippet = format!(
        "<script>new EventSource(\"{root}__aula/events\").onmessage=function(){{location.reload()}};</script>\n"
    );
    if let Some(p) = problems {
        snippet.push_str(&format!(
            "<div role=\"alert\" id=\"aula-errors\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff;color:#1b1b1b;border-top:4px solid #a40000;padding:1rem;z-index:1000;font:14px/1.4 monospace\"><strong>aula: the last edit has problems; this is the last good version of the page.</strong><pre style=\"white-space:pre-wrap\">{}</pre></div>\n",
            crate::site::escape(p)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
    }
}

fn ok(bytes: Vec<u8>, content_type: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_header(
        with_header(Response::from_data(bytes), "Content-Type", content_type),
        "Cache-Control",
        "no-store",
    )
}

fn text(status: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let response = Response::from_data(message.as_bytes().to_vec()).with_status_code(status);
    with_header(response, "Content-Type", "text/plain; charset=utf-8")
}

fn with_header(
    response: Response<std::io::Cursor<Vec<u8>>>,
    name: &str,
    value: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => response.with_header(h),
        Err(()) => response,
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reload_snippet_uses_a_relative_url() {
        let html = inject(
            "<html><body>x</body></html>",
            "es/rural/m/s/index.html",
            None,
        );
        assert!(html.contains("new EventSource(\"../../../../__aula/events\")"));
        assert!(html.ends_with("</script>\n</body></html>"));
        let with_errors = inject("<body></body>", "index.html", Some("error[x]: <bad>"));
        assert!(
            with_errors.contains("role=\"alert\"") && with_errors.contains("error[x]: &lt;bad&gt;")
        );
    }

    #[test]
    fn urls_are_decoded() {
        assert_eq!(
            percent_decode("es/caf%C3%A9/index.html"),
            "es/café/index.html"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }
}
