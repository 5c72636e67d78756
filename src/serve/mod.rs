//! `aula serve`: build into memory, serve on 127.0.0.1, watch the sources, rebuild on
//! every change and reload open pages by Server-Sent Events.
//!
//! The server owns the last good site and the last diagnostics: a bad edit keeps the last
//! good pages up, with the problems shown over them and in the terminal, until it is
//! fixed. An edit to a session's body re-reads that file only and re-renders that
//! session's pages only; anything else rebuilds the site in memory. PDFs are typeset when
//! a page asks for one. Nothing is written to disk except the PDF cache beside the output
//! folder; the output folder itself is never touched.
//!
//! `http` is the small bounded HTTP server, `watch` the watcher and the rebuilds; this
//! file holds the state they share, the request handler and the live-reload channel.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

mod desk;
mod http;
mod watch;

use http::{Request, Response};
use watch::{rebuild, typeset_one, watch};

use crate::output::{Content, Output};

/// What the server shows: the last good site, the last problems, and a version that
/// changes on every rebuild (open pages reload when it does).
#[derive(Default)]
struct State {
    site: Output,
    problems: Option<String>,
    version: u64,
    /// PDFs typeset since the last rebuild, by path.
    pdfs: std::collections::BTreeMap<String, Vec<u8>>,
    /// Each edition's search documents, by index folder: an edit to one session refreshes
    /// its editions' indexes from them.
    search: crate::site::SearchDocs,
    /// Search index folders whose documents changed since their scripts were made.
    stale_indexes: Pages,
    /// The latest versions and the pages each changed (`None`: all of them), so that an
    /// open page reloads only when it changed.
    changes: std::collections::VecDeque<(u64, Option<Pages>)>,
}

type Pages = std::collections::BTreeSet<String>;

/// How many versions of page changes are remembered (a page further behind reloads).
const CHANGES_KEPT: usize = 64;

impl State {
    /// Whether the page at `path` changed after version `seen`.
    fn changed_since(&self, seen: u64, path: &str) -> bool {
        let newer: Vec<&Option<Pages>> = self
            .changes
            .iter()
            .filter(|(v, _)| *v > seen)
            .map(|(_, pages)| pages)
            .collect();
        let all_known = newer.len() as u64 == self.version.saturating_sub(seen);
        !all_known
            || newer
                .iter()
                .any(|pages| pages.as_ref().is_none_or(|p| p.contains(path)))
    }
}

/// An open page waiting to be told to reload.
struct Listener {
    stream: TcpStream,
    page: Option<String>,
    seen: u64,
}

/// At most this many pages listen for reloads at once (each holds a connection).
const MAX_LISTENERS: usize = 256;

struct Shared {
    state: Mutex<State>,
    /// The loaded project the site was made from: the watcher rebuilds it, a PDF request
    /// prepares its document from it (lock it before `state`, never after).
    project: Mutex<Option<crate::pipeline::Project>>,
    changed: Condvar,
    /// Open pages, told by one thread (see [`tell_listeners`]), so that no worker waits.
    listeners: Mutex<Vec<Listener>>,
    /// The PDF cache shared with `aula build`.
    cache: PathBuf,
}

/// A mutex's value even after a thread panicked holding it: the server's state is only
/// ever replaced whole, so what a panicking rebuild left is still a state to serve.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl Shared {
    fn project(&self) -> MutexGuard<'_, Option<crate::pipeline::Project>> {
        locked(&self.project)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        locked(&self.state)
    }

    fn listeners(&self) -> MutexGuard<'_, Vec<Listener>> {
        locked(&self.listeners)
    }
}

/// Runs the server until the process is stopped. Returns the exit code.
pub fn serve(root: &Path, port: u16, out: &Path) -> i32 {
    let cache = crate::output::cache_dir(out);
    // Absolute paths, so that the watcher's paths and the loaded files' paths compare.
    let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        project: Mutex::new(None),
        changed: Condvar::new(),
        listeners: Mutex::new(Vec::new()),
        cache: cache.clone(),
    });
    let project = rebuild(root, &shared);
    *shared.project() = project;

    let listener = match bind(port) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: cannot listen on 127.0.0.1:{port} or the next ports: {e}");
            errln!("  = help: choose another port with `aula serve --port 8080`");
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("127.0.0.1:{port}"), |a| a.to_string());
    outln!(
        "serving {} at http://{addr}/  (Ctrl-C to stop)",
        root.display()
    );
    let _ = std::io::stdout().flush();

    let watcher = watch(root, Arc::clone(&shared));
    if let Err(e) = &watcher {
        errln!("warning: cannot watch for changes ({e}); reload by restarting aula serve");
    }

    let teller = Arc::clone(&shared);
    if let Err(e) = std::thread::Builder::new()
        .name("aula-reload".into())
        .spawn(move || tell_listeners(&teller))
    {
        errln!("warning: live reload is off ({e})");
    }
    let handler = Arc::clone(&shared);
    match http::run(listener, Arc::new(move |request| handle(request, &handler))) {
        Ok(()) => 0,
        Err(e) => {
            errln!("error: {e}");
            1
        }
    }
}

fn bind(port: u16) -> Result<TcpListener, String> {
    let mut last = String::new();
    // Port 0 lets the system choose; a busy port moves on to the next ten.
    let tries = if port == 0 { 1 } else { 10 };
    for p in (0..tries).map(|i| port.saturating_add(i)) {
        match http::bind(p) {
            Ok(s) => {
                if p != port {
                    errln!("port {port} is busy; using {p}");
                }
                return Ok(s);
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

fn handle(request: Request, shared: &Shared) {
    let url = request
        .target
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == "/__aula/events" {
        // `?page=es/urban/m/s/index.html`: the page listening, which reloads only when it
        // changed (without it, on every change).
        let page = request
            .target
            .split_once("?page=")
            .map(|(_, p)| percent_decode(p));
        listen(request, shared, page);
        return;
    }
    let decoded = percent_decode(&url);
    if decoded == desk::PATH || decoded.starts_with(&format!("{}/", desk::PATH)) {
        let page = shared
            .project()
            .as_ref()
            .and_then(|project| desk::respond(project, &decoded));
        request.respond(match page {
            Some(html) => Response::new(200, "text/html; charset=utf-8", html.into_bytes()),
            None => Response::text(404, "no such translation (see /__aula/status)"),
        });
        return;
    }
    let path = percent_decode(url.trim_start_matches('/'));
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    let mut state = shared.lock();
    // An edition's index is made again, all its files, when one of them is asked for.
    let stale = (state.stale_indexes.iter())
        .find(|dir| path.starts_with(&format!("{dir}/")))
        .cloned();
    if let Some(dir) = stale {
        state.stale_indexes.remove(&dir);
        if let Some(docs) = state.search.get(&dir) {
            match crate::search::index_files(&dir, docs) {
                Ok(files) => {
                    let inside = format!("{dir}/");
                    state.site.files.retain(|p, _| !p.starts_with(&inside));
                    for (path, script) in files {
                        state.site.insert(path, script);
                    }
                }
                Err(e) => errln!("warning: the search index of {dir} is as it was ({e})"),
            }
        }
    }
    let body: Option<Vec<u8>> = match state.site.get(&path) {
        Some(Content::Bytes(b)) => Some(b.clone()),
        Some(Content::Copy(from)) => {
            crate::files::read_regular(from, crate::files::ASSET_LIMIT).ok()
        }
        // Served sites are built in memory, never staged to disk.
        Some(Content::Staged(_)) => None,
        None => state.pdfs.get(&path).cloned(),
    };
    let response = match body {
        Some(bytes) if path.ends_with(".html") => {
            let html = String::from_utf8_lossy(&bytes);
            Response::new(
                200,
                "text/html; charset=utf-8",
                inject(&html, &path, state.problems.as_deref()).into_bytes(),
            )
        }
        Some(bytes) => Response::new(200, content_type(&path), bytes),
        None if path.ends_with(".pdf") => {
            drop(state);
            let response = match typeset_one(shared, &path) {
                Some(bytes) => {
                    shared.lock().pdfs.insert(path.clone(), bytes.clone());
                    Response::new(200, "application/pdf", bytes)
                }
                None => Response::text(404, "no such PDF"),
            };
            request.respond(response);
            return;
        }
        None => {
            let page = state.site.get("404.html").and_then(|c| match c {
                Content::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Content::Copy(_) | Content::Staged(_) => None,
            });
            match page {
                Some(html) => Response::new(
                    404,
                    "text/html; charset=utf-8",
                    inject(&html, &path, state.problems.as_deref()).into_bytes(),
                ),
                None => Response::text(404, "not found"),
            }
        }
    };
    drop(state);
    request.respond(response);
}

/// Server-Sent Events: the page is added to those told `reload` each time it (or, for a
/// listener without a page, the site) changes.
fn listen(request: Request, shared: &Shared, page: Option<String>) {
    let seen = shared.lock().version;
    let mut listeners = shared.listeners();
    if listeners.len() >= MAX_LISTENERS {
        drop(listeners);
        request.respond(Response::text(503, "too many open pages"));
        return;
    }
    if let Some(stream) = request.into_event_stream() {
        listeners.push(Listener { stream, page, seen });
    }
}

/// The one thread that tells open pages to reload, and pings them every 15 s (which
/// also finds closed tabs). A page that cannot take a message in time is dropped.
fn tell_listeners(shared: &Shared) {
    let mut seen = shared.lock().version;
    loop {
        let mut state = shared.lock();
        let mut ping = false;
        while state.version == seen && !ping {
            let (next, wait) = match shared.changed.wait_timeout(state, Duration::from_secs(15)) {
                Ok(woken) => woken,
                Err(poisoned) => poisoned.into_inner(),
            };
            state = next;
            ping = wait.timed_out();
        }
        seen = state.version;
        let mut listeners = shared.listeners();
        // Decided with the site locked; written without it (a slow page holds up no request).
        let reloads: Vec<bool> = listeners
            .iter()
            .map(|l| {
                l.seen < seen
                    && l.page
                        .as_ref()
                        .is_none_or(|p| state.changed_since(l.seen, p))
            })
            .collect();
        drop(state);
        let mut reloads = reloads.into_iter();
        listeners.retain_mut(|l| {
            let reload = reloads.next().unwrap_or(true);
            l.seen = seen;
            let message: &[u8] = if reload {
                b"data: reload\n\n"
            } else if ping {
                b": ping\n\n"
            } else {
                return true;
            };
            l.stream
                .write_all(message)
                .and_then(|()| l.stream.flush())
                .is_ok()
        });
    }
}

/// Adds the live-reload script (relative URL, so any page depth works) and, when the last
/// build failed, the problems over the page.
fn inject(html: &str, path: &str, problems: Option<&str>) -> String {
    let root = crate::urls::root_of(path);
    let mut snippet = format!(
        "<script>new EventSource(\"{root}__aula/events?page={}\").onmessage=function(){{location.reload()}};</script>\n",
        percent_encode(path)
    );
    if let Some(p) = problems {
        snippet.push_str(&format!(
            "<div role=\"alert\" id=\"aula-errors\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff;color:#1b1b1b;border-top:4px solid #a40000;padding:1rem;z-index:1000;font:14px/1.4 monospace\"><strong>aula: the last edit has problems; this is the last good version of the page.</strong><pre style=\"white-space:pre-wrap\">{}</pre></div>\n",
            crate::html::escape(p)
        ));
    }
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
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

/// Percent-encodes everything but unreserved characters and `/` (for a URL query).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
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
        assert!(html.contains(
            "new EventSource(\"../../../../__aula/events?page=es/rural/m/s/index.html\")"
        ));
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
        let path = "es/café & té/index.html";
        assert_eq!(percent_decode(&percent_encode(path)), path);
        assert!(!percent_encode(path).contains(['&', ' ', '"']));
    }

    #[test]
    fn a_page_reloads_only_for_its_own_changes() {
        let mut state = State::default();
        let pages = |p: &[&str]| Some(p.iter().map(|s| s.to_string()).collect::<Pages>());
        for change in [pages(&["a.html"]), pages(&["b.html"])] {
            state.version += 1;
            state.changes.push_back((state.version, change));
        }
        assert!(state.changed_since(0, "a.html"));
        assert!(!state.changed_since(1, "a.html"));
        assert!(state.changed_since(1, "b.html"));
        assert!(!state.changed_since(0, "c.html"));
        // A full rebuild reloads everything; so does a gap in what is remembered.
        state.version += 1;
        state.changes.push_back((state.version, None));
        assert!(state.changed_since(2, "c.html"));
        state.changes.clear();
        assert!(state.changed_since(2, "a.html"));
        assert!(!state.changed_since(3, "a.html"));
    }
}
