//! A session's schedule, as a view shows it: every section (`##` heading) and every timed
//! callout in order, each with its minutes where the author gave them (`## Cierre
//! {minutes=10}`, `::: activity "Juego" 20`) and the time it starts at, adding up to the
//! session's `duration` or showing honestly where it does not. The guide prints it; every
//! build says where the minutes do not add up.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::View;
use crate::blocks::{self, MAX_MINUTES};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub rows: Vec<Row>,
    /// Minutes the rows take.
    pub total: u32,
    /// Whether the author gave any minutes (else there is nothing to add up).
    pub timed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub title: String,
    /// A callout inside a section: its time is part of the section's.
    pub inside: bool,
    pub minutes: Option<u32>,
    /// Minutes from the session's start.
    pub start: u32,
}

/// What a section's heading says of its minutes: `{minutes=10}`.
pub fn heading_minutes(attrs: &[(impl AsRef<str>, Option<impl AsRef<str>>)]) -> Option<&str> {
    attrs
        .iter()
        .find(|(k, _)| k.as_ref() == "minutes")
        .and_then(|(_, v)| v.as_ref().map(AsRef::as_ref))
}

/// Minutes as a number, when they are one aula takes.
pub fn parse_minutes(text: &str) -> Option<u32> {
    text.parse().ok().filter(|m| *m <= MAX_MINUTES)
}

impl View<'_> {
    /// The schedule of what this view shows. `untitled` names a callout without a title.
    pub fn schedule(&self, untitled: &dyn Fn(&blocks::BlockInfo) -> String) -> Schedule {
        // (title, minutes given, callouts: (title, minutes)) per section; the first has no
        // heading: what comes before the first section.
        struct Section {
            title: Option<String>,
            minutes: Option<u32>,
            callouts: Vec<(String, Option<u32>)>,
        }
        let mut sections = vec![Section {
            title: None,
            minutes: None,
            callouts: Vec::new(),
        }];
        let mut heading: Option<(Option<u32>, String)> = None;
        let mut timed = false;
        for ev in self.events() {
            match &ev.event {
                Event::Start(Tag::Heading { level, attrs, .. })
                    if *level == pulldown_cmark::HeadingLevel::H2 =>
                {
                    let minutes = heading_minutes(attrs).and_then(parse_minutes);
                    heading = Some((minutes, String::new()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, title)) = &mut heading {
                        title.push_str(t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((minutes, title)) = heading.take() {
                        timed |= minutes.is_some();
                        sections.push(Section {
                            title: Some(title),
                            minutes,
                            callouts: Vec::new(),
                        });
                    }
                }
                Event::Html(h) => {
                    if let Some((true, id)) = blocks::marker(h)
                        && let Some(info) = self.document().block(id)
                        && info.callout.is_some()
                        && (info.minutes.is_some() || info.callout.as_deref() == Some("activity"))
                    {
                        timed |= info.minutes.is_some();
                        let title = info.title.clone().unwrap_or_else(|| untitled(info));
                        if let Some(section) = sections.last_mut() {
                            section.callouts.push((title, info.minutes));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut rows = Vec::new();
        let mut clock = 0u32;
        for section in sections {
            let inner: u32 = section
                .callouts
                .iter()
                .filter_map(|c| c.1)
                .fold(0, u32::saturating_add);
            let start = clock;
            match section.title {
                Some(title) => {
                    let own = section.minutes.or((inner > 0).then_some(inner));
                    rows.push(Row {
                        title,
                        inside: false,
                        minutes: own,
                        start,
                    });
                    let mut at = start;
                    for (title, minutes) in section.callouts {
                        rows.push(Row {
                            title,
                            inside: true,
                            minutes,
                            start: at,
                        });
                        at = at.saturating_add(minutes.unwrap_or(0));
                    }
                    clock = clock.saturating_add(own.unwrap_or(0));
                }
                // Callouts before the first section stand on their own.
                None => {
                    for (title, minutes) in section.callouts {
                        rows.push(Row {
                            title,
                            inside: false,
                            minutes,
                            start: clock,
                        });
                        clock = clock.saturating_add(minutes.unwrap_or(0));
                    }
                }
            }
        }
        Schedule {
            rows,
            total: clock,
            timed,
        }
    }
}

/// What to say when the minutes the author gave do not add up to `duration`, at the
/// front matter's `duration:` line (or the top of the file).
pub fn mismatch(
    schedule: &Schedule,
    duration: Option<u32>,
    source: &crate::source::SourceFile,
) -> Option<crate::diag::Diagnostic> {
    let duration = duration?;
    if !schedule.timed || schedule.total == duration {
        return None;
    }
    let message = if schedule.total < duration {
        format!(
            "the schedule adds up to {} of the {duration} minutes of `duration`",
            schedule.total
        )
    } else {
        format!(
            "the schedule adds up to {} minutes, more than the {duration} of `duration`",
            schedule.total
        )
    };
    let at = source.text.find("\nduration:").map_or(0, |i| i + 1);
    Some(
        crate::diag::Diagnostic::warning("schedule-minutes", message)
            .at(source, at, "duration".len())
            .with_help("give every section its minutes (`## Cierre {minutes=10}`; an activity's are in its fence, `::: activity \"Juego\" 20`), or change `duration`: the guide's schedule shows the difference"),
    )
}

/// `h:mm` of a number of minutes: `0:00`, `1:05`.
pub fn clock(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Document, test_config};

    fn schedule(body: &str) -> Schedule {
        let doc = Document::for_test(body);
        let view = doc.view("urban", blocks::View::Guide, &test_config());
        view.schedule(&|_| "Actividad".into())
    }

    #[test]
    fn sections_and_activities_in_order_with_start_times() {
        let s = schedule(
            "Intro\n\n## Bienvenida {minutes=10}\n\nHola.\n\n## Costos\n\n::: activity \"Tarjetas\" 25\nx\n:::\n\n::: activity \"Cuentas\" 15\ny\n:::\n\n## Cierre {#cierre minutes=10}\n\nFin.\n",
        );
        let got: Vec<(&str, bool, Option<u32>, String)> = s
            .rows
            .iter()
            .map(|r| (r.title.as_str(), r.inside, r.minutes, clock(r.start)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Bienvenida", false, Some(10), "0:00".into()),
                ("Costos", false, Some(40), "0:10".into()),
                ("Tarjetas", true, Some(25), "0:10".into()),
                ("Cuentas", true, Some(15), "0:35".into()),
                ("Cierre", false, Some(10), "0:50".into()),
            ]
        );
        assert_eq!((s.total, s.timed), (60, true));
    }

    #[test]
    fn a_variant_s_activity_counts_only_in_its_variant_and_untimed_sessions_say_so() {
        let s = schedule("## A\n\n::: rural\n::: activity \"Solo rural\" 30\nx\n:::\n:::\n");
        assert_eq!(s.rows.len(), 1);
        assert_eq!((s.total, s.timed), (0, false));
        assert_eq!(clock(125), "2:05");
    }
}
