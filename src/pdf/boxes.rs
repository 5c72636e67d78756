//! How a view's boxes go on paper: which tables are to be filled in by hand, how much of a
//! page each callout fills (a short one is never split), and the data of the theme's
//! `callout` call.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::markup::Context;
use crate::blocks::{self, Audience, BlockInfo};
use crate::doc::View;

/// The tables of `view` (by the index of their start) that have an empty body cell.
pub(super) fn fill_in_tables(view: &View) -> Vec<usize> {
    let mut out = Vec::new();
    let mut table = None;
    let mut in_head = false;
    let mut empty_cell = false;
    for ev in view.events() {
        match ev.event {
            Event::Start(Tag::Table(_)) => table = Some(ev.index),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) => empty_cell = !in_head,
            Event::End(TagEnd::TableCell) => {
                if empty_cell && let Some(t) = table {
                    out.push(t);
                    table = None;
                }
            }
            Event::End(TagEnd::Table) => table = None,
            _ => empty_cell = false,
        }
    }
    out
}

/// The arguments of the theme's `callout` for a block, as data.
/// About how much of a page each wrapper of `view` fills, in characters: its text, and a
/// line's worth for each paragraph, item and table row.
pub(super) fn block_weights(view: &View) -> BTreeMap<usize, usize> {
    let mut weights = BTreeMap::new();
    let mut open: Vec<usize> = Vec::new();
    for ev in view.events() {
        let add = match &ev.event {
            Event::Html(h) => {
                match blocks::marker(h) {
                    Some((true, id)) => open.push(id),
                    Some((false, _)) => {
                        open.pop();
                    }
                    None => {}
                }
                0
            }
            Event::Text(t) | Event::Code(t) => t.chars().count(),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableRow) => LINE,
            _ => 0,
        };
        for id in &open {
            *weights.entry(*id).or_insert(0) += add;
        }
    }
    weights
}

/// A line's worth of characters, and how much may be kept off a page break: about a
/// third of a page.
const LINE: usize = 60;
pub const KEPT_WHOLE: usize = 12 * LINE;

fn callout_args(
    info: &BlockInfo,
    label: String,
    write_space: bool,
    weight: usize,
    kept_whole: usize,
) -> serde_json::Value {
    let mut args = serde_json::Map::new();
    args.insert(
        "kind".into(),
        info.callout.clone().unwrap_or_default().into(),
    );
    args.insert("label".into(), label.into());
    if let Some(t) = &info.title {
        args.insert("title".into(), t.clone().into());
    }
    if let Some(m) = info.minutes {
        args.insert("minutes".into(), m.into());
    }
    match info.audience {
        Some(Audience::Facilitator) => {
            args.insert("audience".into(), "facilitator".into());
        }
        Some(Audience::Participant) => {
            args.insert("audience".into(), "participant".into());
        }
        None => {}
    }
    let space = write_space && matches!(info.callout.as_deref(), Some("exercise" | "activity"));
    args.insert("space".into(), space.into());
    // Room to write counts as four lines; a short callout is never split across pages.
    let weight = weight + if space { 4 * LINE } else { 0 };
    args.insert("breakable".into(), (weight > kept_whole).into());
    serde_json::Value::Object(args)
}

pub(super) fn open_block(info: &BlockInfo, weight: usize, ctx: &Context) -> String {
    let args = callout_args(
        info,
        (ctx.label)(info),
        ctx.write_space,
        weight,
        ctx.kept_whole,
    );
    format!("\n#callout(..{})[\n", (ctx.data)(args))
}
