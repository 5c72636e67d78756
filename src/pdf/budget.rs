//! What one document may cost. Typst cannot be interrupted, and a theme's PDF template is
//! code: a loop in it can take minutes and tens of gigabytes. A watchdog thread looks at
//! each document being typeset and at the process's memory; past the budget it reports
//! the document and ends the process (exit status 1) rather than let it stall the build or
//! the machine. Authored text cannot get here: it never runs typesetter code (see
//! `markup`); only a template can.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Seconds one document may take (`AULA_PDF_SECONDS` changes it).
const SECONDS: u64 = 120;
/// Megabytes the process may hold while typesetting (`AULA_PDF_MEMORY_MB` changes it).
const MEMORY_MB: u64 = 8 * 1024;

/// Each document being typeset: since when, its output path, its main source file.
type Running = Arc<Mutex<BTreeMap<usize, (Instant, String, String)>>>;

/// The documents being typeset, and the thread that watches them.
pub struct Watchdog {
    running: Running,
    /// Dropped when typesetting ends, which wakes the watchdog at once to stop.
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// The process's resident memory in MB, where the system tells it (Linux).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1 << 20))
}

impl Watchdog {
    pub fn start() -> Watchdog {
        let seconds = from_env("AULA_PDF_SECONDS", SECONDS);
        let memory = from_env("AULA_PDF_MEMORY_MB", MEMORY_MB);
        let running: Running = Arc::default();
        let (done, finished) = mpsc::channel::<()>();
        let watched = Arc::clone(&running);
        let thread = std::thread::Builder::new()
            .name("aula-pdf-budget".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) =
                    finished.recv_timeout(Duration::from_millis(100))
                {
                    let over = {
                        let running = match watched.lock() {
                            Ok(r) => r,
                            Err(poisoned) => poisoned.into_inner(),
                        };
                        // Documents typeset side by side slow each other down: every one
                        // over the budget is named.
                        let over: Vec<&(Instant, String, String)> = running
                            .values()
                            .filter(|(start, _, _)| start.elapsed().as_secs() >= seconds)
                            .collect();
                        let slow = over.first().map(|(_, _, origin)| {
                            let paths: Vec<&str> = over.iter().map(|(_, p, _)| p.as_str()).collect();
                            (paths.join("`, `"), origin.clone(), format!("took more than {seconds} s"))
                        });
                        // Memory is the process's: every document being typeset is named.
                        let heavy = || {
                            let mb = resident_mb().filter(|mb| *mb > memory)?;
                            let (_, _, origin) = running.values().next()?;
                            let paths: Vec<&str> = running.values().map(|(_, p, _)| p.as_str()).collect();
                            Some((paths.join("`, `"), origin.clone(), format!("needed more than {memory} MB (aula held {mb} MB)")))
                        };
                        slow.or_else(heavy)
                    };
                    if let Some((path, origin, what)) = over {
                        errln!("error[pdf-budget]: typesetting `{path}` {what}");
                        errln!(" --> {origin}");
                        errln!(
                            " = help: the theme's PDF template (`pdf/aula.typ`) is code, and something in it grows without end: check its loops; a document this big can also be split (AULA_PDF_SECONDS and AULA_PDF_MEMORY_MB raise the budget)"
                        );
                        errln!("the build was stopped; the previous output was left untouched");
                        std::process::exit(1);
                    }
                }
            })
            .ok();
        Watchdog {
            running,
            done: Some(done),
            thread,
        }
    }

    /// Marks document `index` (output `path`, made mostly of `origin`) as being typeset.
    pub fn begin(&self, index: usize, path: &str, origin: &str) {
        if let Ok(mut r) = self.running.lock() {
            r.insert(
                index,
                (Instant::now(), path.to_string(), origin.to_string()),
            );
        }
    }

    pub fn end(&self, index: usize) {
        if let Ok(mut r) = self.running.lock() {
            r.remove(&index);
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
