//! `aula status` on a terminal: the matrix as an aligned table, what changed in each stale
//! translation's source, each language's share and its interface strings.

use std::collections::BTreeMap;

use super::sections::SectionState;
use super::status::{Entry, State, Status};

/// The status as an aligned table, one row per module page, session and variant override,
/// one column per translation language. `colour` adds ANSI colours.
pub fn render(status: &Status, colour: bool) -> String {
    let langs: std::collections::BTreeSet<&str> =
        status.entries.iter().map(|e| e.language.as_str()).collect();
    let mut rows: Vec<(String, BTreeMap<&str, State>)> = Vec::new();
    for e in &status.entries {
        let name = e.row();
        match rows.last_mut() {
            Some((n, cells)) if *n == name => {
                cells.insert(e.language.as_str(), e.state);
            }
            _ => rows.push((name, BTreeMap::from([(e.language.as_str(), e.state)]))),
        }
    }
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let cell = 11;
    let mut out = format!("{:width$}", "");
    for l in &langs {
        out.push_str(&format!("  {l:cell$}"));
    }
    out.push('\n');
    for (name, cells) in &rows {
        out.push_str(&format!("{name:width$}"));
        for l in &langs {
            let (word, code) = match cells.get(l) {
                Some(s) => (
                    s.word(),
                    match s {
                        State::UpToDate => "32",
                        State::Stale => "33",
                        State::Missing => "31",
                        State::Unstamped => "36",
                        State::Sample => "35",
                    },
                ),
                None => ("", "0"),
            };
            let padded = format!("{word:cell$}");
            if colour && !word.is_empty() {
                out.push_str(&format!("  \x1b[{code}m{padded}\x1b[0m"));
            } else {
                out.push_str(&format!("  {padded}"));
            }
        }
        out.push('\n');
    }
    let trimmed: Vec<String> = out.lines().map(|l| l.trim_end().to_string()).collect();
    let mut out = trimmed.join("\n");
    out.push('\n');
    out.push_str(&render_stale(status));
    out.push_str("\nsessions up to date:\n");
    for (lang, s) in &status.share {
        out.push_str(&format!(
            "  {lang:5} {:>3} % ({} of {})\n",
            s.percent, s.up_to_date, s.sessions
        ));
    }
    out.push_str("\ninterface strings:\n");
    for (lang, c) in &status.strings {
        out.push_str(&format!(
            "  {lang:5} {:>3} of {} translated\n",
            c.translated, c.total
        ));
        if !c.raw_ids.is_empty() {
            out.push_str(&format!(
                "        {} shown as bare ids: {}\n",
                c.raw_ids.len(),
                c.raw_ids.join(", ")
            ));
        }
    }
    out
}

/// For each stale translation, which sections of its source changed since its stamp.
fn render_stale(status: &Status) -> String {
    let stale: Vec<&Entry> = status
        .entries
        .iter()
        .filter(|e| e.state == State::Stale)
        .collect();
    if stale.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\nstale: what changed in the source since the translation was stamped (`aula diff FILE` shows the changes)\n",
    );
    for e in stale {
        out.push_str(&format!("  {}\n", e.file));
        let Some(sections) = &e.sections else {
            let why = e
                .stamped_source
                .as_deref()
                .unwrap_or("no record of the stamped source");
            out.push_str(&format!("    no section-by-section view: {why}\n"));
            continue;
        };
        for state in [
            SectionState::Changed,
            SectionState::Added,
            SectionState::Removed,
        ] {
            let names: Vec<String> = sections
                .iter()
                .filter(|s| s.state == state)
                .map(|s| match &s.heading {
                    Some(h) => format!("#{} \u{201c}{}\u{201d}", s.id, h.trim()),
                    None => s.id.clone(),
                })
                .collect();
            if !names.is_empty() {
                out.push_str(&format!("    {:9} {}\n", state.word(), names.join(", ")));
            }
        }
        let unchanged = sections
            .iter()
            .filter(|s| s.state == SectionState::Unchanged)
            .count();
        if sections.iter().all(|s| s.state == SectionState::Unchanged) {
            out.push_str("    no section's text changed (only other front matter fields)\n");
        } else if unchanged > 0 {
            out.push_str(&format!("    unchanged {unchanged} more\n"));
        }
    }
    out
}
