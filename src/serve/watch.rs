//! What `serve` does when a source changes: the watcher (notify, debounced), the whole
//! or partial rebuild it asks the pipeline for, and publishing the result to the server's
//! state (open pages that changed reload). PDFs are typeset here when a page asks for one.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::RecursiveMode;

use super::{CHANGES_KEPT, Pages, Shared, State};
use crate::output::Output;
use crate::pipeline::{self, BuildOptions};

/// Loads the project and builds the whole site into memory; returns the loaded project
/// (kept for incremental rebuilds) when the configuration could be loaded.
pub(super) fn rebuild(root: &Path, shared: &Arc<Shared>) -> Option<pipeline::Project> {
    let start = Instant::now();
    let options = BuildOptions {
        drafts: true,
        pdf: false,
        pdf_links: true,
        keep_search: true,
        ..BuildOptions::default()
    };
    let mut diags = crate::diag::Diagnostics::default();
    let project = pipeline::load(root, &mut diags);
    let built = match &project {
        Some(p) => pipeline::build_loaded(p, &options, std::mem::take(&mut diags)),
        None => Ok(pipeline::Built {
            diagnostics: diags,
            ..pipeline::Built::empty()
        }),
    };
    let elapsed = start.elapsed();
    match built {
        Ok(built) => {
            let report = (!built.diagnostics.is_empty()).then(|| built.diagnostics.render());
            if let Some(r) = &report {
                errout!("{r}");
            }
            match built.output {
                Some(site) => {
                    errln!(
                        "rebuilt {} pages in {} ms",
                        built.pages,
                        elapsed.as_millis()
                    );
                    let search = built.search;
                    publish(shared, None, |state| {
                        state.site = site;
                        state.search = search;
                        state.stale_indexes.clear();
                        state.problems = None;
                    })
                }
                None => {
                    errln!("the last good site stays up until this is fixed");
                    publish(shared, None, |state| {
                        state.problems = report.or_else(|| Some("the build failed".into()));
                    })
                }
            }
        }
        Err(e) => {
            errln!("error: {e}");
            publish(shared, None, |state| state.problems = Some(e.to_string()))
        }
    };
    project
}

/// Re-renders only the pages of sessions whose body changed (their front matter, and so
/// every other page, is as before). Returns false when a full rebuild is needed instead.
fn rebuild_sessions(
    project: &mut pipeline::Project,
    paths: &[PathBuf],
    shared: &Arc<Shared>,
) -> bool {
    let start = Instant::now();
    let mut sessions = std::collections::BTreeSet::new();
    let mut modules = std::collections::BTreeSet::new();
    for path in paths {
        match project.corpus.reload(path) {
            crate::content::Reload::Body(m, s) => {
                sessions.insert((m, s));
            }
            crate::content::Reload::Listing(m) => {
                modules.insert(m);
            }
            crate::content::Reload::Everything => return false,
        }
    }
    // The edited pages first; then, when titles may have changed, the search and print
    // pages, which list every title and are large in a large curriculum.
    let listings = !modules.is_empty();
    let edited = pipeline::Part {
        sessions,
        modules,
        listings: false,
        showing: paths.to_vec(),
    };
    if !render_part(project, &edited, start, shared) {
        return true;
    }
    if listings {
        let lists = pipeline::Part {
            listings: true,
            showing: paths.to_vec(),
            ..pipeline::Part::default()
        };
        render_part(project, &lists, Instant::now(), shared);
    }
    true
}

/// Renders a part of the site (see [`pipeline::Part`]) and publishes it; false when it had
/// errors (shown over the last good pages).
fn render_part(
    project: &pipeline::Project,
    part: &pipeline::Part,
    start: Instant,
    shared: &Arc<Shared>,
) -> bool {
    let (pages, search, diags) = pipeline::render_part(project, part);
    let elapsed = start.elapsed();
    if !diags.is_empty() {
        errout!("{}", diags.render());
    }
    if diags.has_errors() {
        errln!("the last good page stays up until this is fixed");
        let report = diags.render();
        publish(shared, None, |state| state.problems = Some(report));
        return false;
    }
    errln!(
        "re-rendered {} pages in {} ms",
        pages.files.len(),
        elapsed.as_millis()
    );
    // After errors, every open page shows them: all reload once they are gone.
    let had_problems = shared.lock().problems.is_some();
    let changed = (!had_problems).then(|| pages.files.keys().cloned().collect());
    publish(shared, changed, |state| {
        state.site.extend(pages);
        state.problems = None;
    });
    refresh_search(shared, search);
    true
}

/// Puts the re-rendered sessions' text into their editions' search documents; the index
/// script is made again when it is next asked for (it holds every session of an edition:
/// megabytes in a large curriculum, and most edits are not followed by a search).
fn refresh_search(shared: &Arc<Shared>, fresh: crate::site::SearchDocs) {
    let mut state = shared.lock();
    for (path, docs) in fresh.into_iter().filter(|(_, d)| !d.is_empty()) {
        let Some(all) = state.search.get_mut(&path) else {
            continue;
        };
        for doc in docs {
            match all.iter_mut().find(|d| d.u == doc.u) {
                Some(old) => *old = doc,
                None => all.push(doc),
            }
        }
        state.stale_indexes.insert(path);
    }
}

/// Applies a change to the state, bumps the version and wakes the open pages; those among
/// `pages` (all when `None`) reload.
fn publish(shared: &Arc<Shared>, pages: Option<Pages>, change: impl FnOnce(&mut State)) {
    {
        let mut state = shared.lock();
        change(&mut state);
        // PDFs are typeset again on demand, from the new text.
        state.pdfs.clear();
        state.version += 1;
        let version = state.version;
        state.changes.push_back((version, pages));
        if state.changes.len() > CHANGES_KEPT {
            state.changes.pop_front();
        }
    }
    shared.changed.notify_all();
}

/// Typesets one PDF when a page asks for it (with the cache shared with `aula build`, an
/// unchanged document costs a file read).
pub(super) fn typeset_one(shared: &Shared, path: &str) -> Option<Vec<u8>> {
    let mut diags = crate::diag::Diagnostics::default();
    // The project the pages were made from: prepared under its lock, typeset after it.
    let prepared = {
        let project = shared.project();
        pipeline::prepare_pdf(project.as_ref()?, path, &mut diags)
    }?;
    let typeset = prepared.typeset(Some(&shared.cache), None, &mut diags);
    if diags.has_errors() {
        errout!("{}", diags.render());
    }
    let bytes = typeset.files.get(path)?.clone();
    let mut output = Output::default();
    output.insert(path, bytes.clone());
    let _ = crate::output::update_cache_entries(&shared.cache, &output, &typeset.hashes);
    Some(bytes)
}

type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

pub(super) fn watch(root: &Path, shared: Arc<Shared>) -> Result<Watcher, notify::Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    // Editors write a file in a few milliseconds; 15 ms gathers one save into one event,
    // looked at every 5 ms (the event is handled 15-20 ms after the save).
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(15),
        Some(Duration::from_millis(5)),
        tx,
    )?;
    for name in ["aula.yaml", "content", "themes", "locales"] {
        let path = root.join(name);
        if path.exists() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for events in rx {
            let mut project = shared.project();
            // Editors touch swap and backup files, and reading a file is an event too:
            // only changes to real sources count, or every build would trigger the next.
            let Ok(events) = events else {
                *project = guarded(&shared, || rebuild(&root, &shared));
                continue;
            };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !e.kind.is_access() && !e.kind.is_other())
                .flat_map(|e| e.paths.iter().cloned())
                .collect();
            paths.sort();
            paths.dedup();
            let known = |p: &Path| {
                project
                    .as_ref()
                    .is_some_and(|pr| pr.corpus.has_session_file(p))
            };
            // Editors and `sed -i` write a temporary file and rename it over the real one:
            // a file that came and went, or a folder, is not a change of its own.
            paths.retain(|p| is_source(p) && !p.is_dir() && (p.exists() || known(p)));
            if paths.is_empty() {
                continue;
            }
            // Existing session files whose front matter is unchanged: only their pages.
            let incremental = paths.iter().all(|p| p.exists() && known(p))
                && project.as_mut().is_some_and(|p| {
                    guarded(&shared, || Some(rebuild_sessions(p, &paths, &shared))).unwrap_or(false)
                });
            if !incremental {
                *project = guarded(&shared, || rebuild(&root, &shared));
            }
        }
    });
    Ok(debouncer)
}

/// Runs a rebuild so that a bug in aula (a panic) costs that edit, not the server: the
/// last good site stays up with the problem shown over it.
fn guarded<T>(shared: &Shared, work: impl FnOnce() -> Option<T>) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(result) => result,
        Err(_) => {
            let mut state = shared.lock();
            state.problems = Some(
                "aula failed on this edit (a bug in aula: please report it with the file you changed); the last good site stays up".into(),
            );
            state.version += 1;
            let version = state.version;
            state.changes.push_back((version, None));
            drop(state);
            shared.changed.notify_all();
            None
        }
    }
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
