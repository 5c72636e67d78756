//! The translation desk, served only by `aula serve` (never published): the live status
//! matrix at `/__aula/status`, and per translation (`/__aula/status/<file>`) the source and
//! the translation side by side, section by section, with each changed section's diff.
//! Both are made from the loaded project on every request, so a page reloaded after a save
//! shows the saved state.

use crate::html::escape;
use crate::pipeline::Project;
use crate::translation::diff::{self, Line};
use crate::translation::sections::{self, SectionState};
use crate::translation::status::{self, Entry, State};
use crate::urls::{PageId, page_path};
use crate::variant::Edition;

/// Where the desk is served.
pub const PATH: &str = "/__aula/status";

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:90rem;padding:1rem;color:#1b1b1b;background:#fff}a{color:#0b4f8a}table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}thead th{background:#eee}.up-to-date{background:#e3f4e1}.stale,.changed,.added,.removed{background:#fff1cc}.missing{background:#fbe3e3}.unstamped,.sample-text{background:#e8eef8}pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:14px/1.45 ui-monospace,monospace}.del{background:#fbe3e3;text-decoration:line-through}.ins{background:#e3f4e1;font-weight:bold}.hunk{color:#555}.del mark{background:#f2a5a5;color:inherit}.ins mark{background:#9fd89a;color:inherit;text-decoration:underline}td.state{white-space:nowrap;font-weight:bold}caption{text-align:left;font-weight:bold;padding:.5rem 0}h1{overflow-wrap:anywhere}@media (max-width:50rem){.sections,.sections tbody,.sections tr,.sections th,.sections td{display:block}.sections thead{display:none}.sections tr{margin-bottom:1rem;border:1px solid #bbb}.sections td[data-label]::before{content:attr(data-label);display:block;font-weight:bold}}@media print{.stale,.changed,.added,.removed,.missing{outline:2px solid #000}}";

/// Reloads the page after every change of the project (the desk is not a site page, so it
/// listens for all of them).
const RELOAD: &str =
    "<script>new EventSource(\"/__aula/events\").onmessage=function(){location.reload()};</script>";

fn page(lang: &str, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n{RELOAD}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The desk's answer for `url` (`/__aula/status` or `/__aula/status/<file>`), or `None`.
pub fn respond(project: &Project, url: &str) -> Option<String> {
    let rest = url.strip_prefix(PATH)?;
    let mut st = status::status(&project.config, &project.corpus, &project.theme.i18n);
    if rest.is_empty() || rest == "/" {
        status::explain(&project.root, &project.corpus, &mut st);
        return Some(matrix(project, &st));
    }
    let file = rest.strip_prefix('/')?;
    let entry = st
        .entries
        .iter()
        .find(|e| e.file == file && e.state != State::Missing)?;
    Some(translation(project, entry))
}

/// The address of the web page an entry is about, in `lang` and the first variant.
fn web_page(project: &Project, entry: &Entry, lang: &str) -> String {
    let variant = entry
        .variant
        .clone()
        .or_else(|| project.config.variants.first().cloned())
        .unwrap_or_default();
    let id = match &entry.session {
        Some(s) => PageId::Session(entry.module.clone(), s.clone()),
        None if entry.module.is_empty() => PageId::Home,
        None => PageId::Module(entry.module.clone()),
    };
    format!("/{}", page_path(&Edition::new(lang, &variant), &id))
}

fn matrix(project: &Project, st: &status::Status) -> String {
    let source = project.config.source_language();
    let langs: Vec<&str> = st.share.keys().map(String::as_str).collect();
    let title = format!("Translation desk — {}", project.config.title(source));
    let mut out = format!("<h1>{}</h1>\n", escape(&title));
    out.push_str("<p>Every translation of the source (<code>");
    out.push_str(&escape(source));
    out.push_str("</code>) and whether it is up to date with it. Open one to see source and translation side by side. This page follows your edits.</p>\n");
    out.push_str("<table>\n<caption>Each language</caption>\n<thead><tr><th scope=\"col\">Language</th><th scope=\"col\">Sessions up to date</th><th scope=\"col\">Interface strings</th></tr></thead>\n<tbody>\n");
    for lang in &langs {
        let share = &st.share[*lang];
        let strings = st.strings.get(*lang).map_or_else(String::new, |c| {
            format!("{} of {} translated", c.translated, c.total)
        });
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{} % ({} of {})</td><td>{}</td></tr>\n",
            escape(lang),
            share.percent,
            share.up_to_date,
            share.sessions,
            escape(&strings)
        ));
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str("<table>\n<caption>Each module page and session</caption>\n<thead><tr><th scope=\"col\">Page</th>");
    for lang in &langs {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(lang)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut rows: Vec<(String, Vec<&Entry>)> = Vec::new();
    for e in &st.entries {
        let name = e.row();
        match rows.last_mut() {
            Some((n, cells)) if *n == name => cells.push(e),
            _ => rows.push((name, vec![e])),
        }
    }
    for (name, cells) in rows {
        let first = cells[0];
        out.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>",
            escape(&web_page(project, first, source)),
            escape(&name)
        ));
        for lang in &langs {
            let Some(e) = cells.iter().find(|e| e.language == *lang) else {
                out.push_str("<td></td>");
                continue;
            };
            let class = e.state.word().replace(' ', "-");
            let detail = match &e.sections {
                Some(s) if e.state == State::Stale => {
                    let n = s
                        .iter()
                        .filter(|s| s.state != SectionState::Unchanged)
                        .count();
                    format!(" · {n} of {} sections", s.len())
                }
                _ => String::new(),
            };
            let cell = if e.state == State::Missing {
                format!("missing<br><small><code>{}</code></small>", escape(&e.file))
            } else {
                format!(
                    "<a href=\"{PATH}/{}\">{}</a>{}",
                    escape(&e.file),
                    e.state.word(),
                    escape(&detail)
                )
            };
            out.push_str(&format!("<td class=\"{class}\">{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    page("en", &title, &out)
}

fn lines_html(lines: &[Line]) -> String {
    let mut out = String::from("<pre>");
    for line in lines {
        let (class, mark, text, words): (&str, &str, &str, &[std::ops::Range<usize>]) = match line {
            Line::Hunk(h) => ("hunk", "", h, &[]),
            Line::Context(t) => ("", " ", t, &[]),
            Line::Removed(t, w) => ("del", "-", t, w),
            Line::Added(t, w) => ("ins", "+", t, w),
        };
        let mut html = String::new();
        let mut at = 0;
        for w in words {
            html.push_str(&escape(&text[at..w.start]));
            html.push_str(&format!("<mark>{}</mark>", escape(&text[w.clone()])));
            at = w.end;
        }
        html.push_str(&escape(&text[at..]));
        if class.is_empty() {
            out.push_str(&format!("{mark}{html}\n"));
        } else {
            out.push_str(&format!("<span class=\"{class}\">{mark}{html}</span>\n"));
        }
    }
    out.push_str("</pre>");
    out
}

fn translation(project: &Project, entry: &Entry) -> String {
    let source_lang = project.config.source_language();
    let title = format!("{} — translation desk", entry.file);
    let mut out = format!(
        "<p><a href=\"{PATH}\">All translations</a></p>\n<h1><code>{}</code></h1>\n",
        escape(&entry.file)
    );
    let texts = status::texts(&project.corpus);
    let changes = status::changes(&project.root, &texts, entry);
    let hash = entry.recorded.as_deref().unwrap_or("");
    let summary = match (entry.state, &changes) {
        (State::UpToDate, _) => {
            "Up to date: the source has not changed since this translation was stamped.".to_string()
        }
        (State::Stale, Some(c)) if c.stamped.text().is_some() => format!(
            "Stale: the source changed since it was stamped ({hash}, from {}). The changed sections are marked and show the source's changes; stamp the translation (<code>aula stamp {}</code>) once it says what the source says.",
            escape(&c.stamped.origin(hash)),
            escape(&entry.file)
        ),
        (State::Stale, c) => format!(
            "Stale: the source changed since it was stamped ({hash}), but no diff is available: {}.",
            escape(
                &c.as_ref()
                    .map_or_else(String::new, |c| c.stamped.origin(hash))
            )
        ),
        (State::Unstamped, _) => format!(
            "Never stamped: aula cannot tell what changed in the source since it was translated. Compare them, then run <code>aula stamp {}</code>.",
            escape(&entry.file)
        ),
        (State::Sample, _) => {
            "Sample text, not a translation (<code>sample: true</code>).".to_string()
        }
        (State::Missing, _) => "Missing.".to_string(),
    };
    out.push_str(&format!(
        "<p>{summary}</p>\n<p>Source: <a href=\"{}\"><code>{}</code></a> · translation: <a href=\"{}\">its web page</a></p>\n",
        escape(&web_page(project, entry, source_lang)),
        escape(&entry.source),
        escape(&web_page(project, entry, &entry.language)),
    ));
    out.push_str(&format!(
        "<table class=\"sections\">\n<thead><tr><th scope=\"col\">Section</th><th scope=\"col\">State</th><th scope=\"col\">Source ({})</th><th scope=\"col\">Translation ({})</th></tr></thead>\n<tbody>\n",
        escape(source_lang),
        escape(&entry.language)
    ));
    let source_lang_attr = crate::config::primary_subtag(source_lang);
    let lang_attr = crate::config::primary_subtag(&entry.language);
    let row = |label: &str, state: &str, left: String, right: String| {
        format!(
            "<tr class=\"{state}\"><th scope=\"row\">{}</th><td class=\"state\">{state}</td><td lang=\"{source_lang_attr}\" data-label=\"Source ({source_lang})\">{left}</td><td lang=\"{lang_attr}\" data-label=\"Translation ({})\">{right}</td></tr>\n",
            escape(label),
            escape(&entry.language)
        )
    };
    let pre = |t: &str| format!("<pre>{}</pre>", escape(t.trim_end()));
    match changes.as_ref().filter(|c| c.stamped.text().is_some()) {
        Some(c) => {
            for part in diff::parts(c) {
                let left = match part.state {
                    SectionState::Unchanged => pre(&part.section.text),
                    SectionState::Removed => lines_html(&part.lines),
                    _ => format!(
                        "{}<details><summary>The section as it is now</summary>{}</details>",
                        lines_html(&part.lines),
                        pre(&part.section.text)
                    ),
                };
                let right = match (part.state, part.translation) {
                    (SectionState::Added, Some(t)) => format!(
                        "<p>New in the source: translate it after “{}”.</p>",
                        escape(&t.label())
                    ),
                    (SectionState::Added, None) => "<p>New in the source.</p>".to_string(),
                    (_, Some(t)) => pre(&t.text),
                    (_, None) => {
                        "<p>No section of the translation corresponds to it.</p>".to_string()
                    }
                };
                out.push_str(&row(&part.section.label(), part.state.word(), left, right));
            }
        }
        None => {
            // Without a stamp to compare with: the sections paired as they are now.
            let text = |name: &str| texts.get(name).copied().unwrap_or("");
            let source = sections::sections(text(&entry.source));
            let translated = sections::sections(text(&entry.file));
            for (s, t) in source.iter().zip(sections::pair(&source, &translated)) {
                out.push_str(&row(
                    &s.label(),
                    "",
                    pre(&s.text),
                    t.map_or_else(String::new, |t| pre(&t.text)),
                ));
            }
        }
    }
    out.push_str("</tbody>\n</table>\n");
    page("en", &title, &out)
}
