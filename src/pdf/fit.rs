//! Fitting a handout on one sheet, and counting a PDF's pages. A handout that runs a few
//! lines onto a second page is typeset again a little tighter (see `compile`): the
//! template marks where each handout starts (`<aula-sheet>`), and this module finds those
//! that spill and writes the document with them set tighter.

use typst_layout::PagedDocument;

/// How a handout opens (see `document`), and how it opens set tighter, to fit one sheet.
pub(super) const SHEET: &str = "#sheet(tight: false)[";
const SHEET_TIGHT: &str = "#sheet(tight: true)[";

/// Whether a page is nearly empty: the last thing drawn above its footer is in its top
/// third (the running header aside).
fn nearly_empty(page: &typst_layout::Page) -> bool {
    use typst::layout::{Abs, Frame, FrameItem, Point};
    fn lowest(frame: &Frame, at: Point, limit: Abs, low: &mut Abs) {
        for (pos, item) in frame.items() {
            let here = at + *pos;
            match item {
                FrameItem::Group(group) => lowest(&group.frame, here, limit, low),
                FrameItem::Tag(_) => {}
                _ if here.y < limit => *low = (*low).max(here.y),
                _ => {}
            }
        }
    }
    let height = page.frame.height();
    let mut low = Abs::zero();
    lowest(&page.frame, Point::zero(), height * 0.88, &mut low);
    low < height / 3.0
}

/// The handouts (sheets, in the order the document has them) that run onto a second page
/// only to leave it nearly empty. The template marks where each starts (`<aula-sheet>`).
pub(super) fn spilling_sheets(document: &PagedDocument) -> Vec<usize> {
    use typst::foundations::{Label, Selector};
    let Some(label) = Label::new(typst::utils::PicoStr::intern("aula-sheet")) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    let mut starts: Vec<usize> = introspector
        .elements()
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|mark| mark.location())
        .filter_map(|at| introspector.position(at))
        .map(|at| at.page.get() - 1)
        .collect();
    starts.sort_unstable();
    let pages = document.pages();
    let ends = starts.iter().skip(1).copied().chain([pages.len()]);
    starts
        .iter()
        .zip(ends)
        .enumerate()
        .filter(|(_, (start, end))| end - **start == 2 && nearly_empty(&pages[**start + 1]))
        .map(|(i, _)| i)
        .collect()
}

/// `main` with the handouts numbered in `sheets` set tighter.
pub(super) fn tightened(main: &str, sheets: &[usize]) -> String {
    let mut out = String::with_capacity(main.len());
    for (i, part) in main.split(SHEET).enumerate() {
        if i > 0 {
            out.push_str(if sheets.contains(&(i - 1)) {
                SHEET_TIGHT
            } else {
                SHEET
            });
        }
        out.push_str(part);
    }
    out
}

/// How many pages a PDF that Typst wrote has: its page tree's `/Count`, which Typst
/// writes first and uncompressed (a test holds it to that).
pub fn page_count(pdf: &[u8]) -> Option<usize> {
    let head = &pdf[..pdf.len().min(4096)];
    let at = head.windows(17).position(|w| w == b"/Type/Pages/Count")? + 17;
    let digits: Vec<u8> = head[at..]
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}
