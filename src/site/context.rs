//! The typed contexts the templates receive. Everything a template shows is computed here
//! or in `site`, so templates only lay it out; all URLs are already relative.

use serde::Serialize;

use crate::doc::Heading;

#[derive(Debug, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    /// The language of `title` when it differs from the page's (fallback text).
    pub lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SwitchItem {
    pub code: String,
    pub name: String,
    /// The language `name` is written in.
    pub name_lang: String,
    pub url: String,
    pub current: bool,
    /// Where the page there shows text of another language: that language's code (`ES`).
    pub shown_in: Option<String>,
    /// That language's name, as a sentence in the page's language uses it.
    pub shown_in_name: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct NavSession {
    pub slug: String,
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct NavModule {
    pub slug: String,
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
}

/// What every session and module page of an edition at one folder depth has: made once
/// per depth (the links in it lead to pages other than these, so they are the same from
/// every such page at that depth), and for the home, search and print pages each.
#[derive(Debug, Serialize)]
pub struct Shared {
    pub lang: String,
    pub variant: String,
    pub variant_name: String,
    /// The page language's own name.
    pub language_name: String,
    pub site_title: String,
    pub root: String,
    pub css: String,
    pub edition_home: String,
    pub chooser: String,
    /// The edition's folder, relative to the page (for search result links).
    pub edition_root: String,
    pub search_page: String,
    pub search_index: String,
    pub search_js: String,
    pub view_js: String,
    pub print_page: String,
    /// PDFs are built.
    pub pdf: bool,
}

/// What every page has of its own, beside [`Shared`].
#[derive(Debug, Serialize)]
pub struct Common {
    pub kind: &'static str,
    pub page_title: String,
    pub languages: Vec<SwitchItem>,
    pub variants: Vec<SwitchItem>,
    pub alternates: Vec<Alternate>,
    pub canonical: Option<String>,
    /// The slug of the module the page belongs to; the modules themselves are `nav`,
    /// added to every page's context (one shared list per folder depth).
    pub current_module: Option<String>,
    /// The slug of the session shown (`nav_sessions` marks it with `aria-current`).
    pub current_session: Option<String>,
}

/// A body rendered from Markdown, with the language it is written in.
#[derive(Debug, Serialize)]
pub struct Body {
    pub html: String,
    /// Set when the text is a fallback in another language than the page's.
    pub fallback_lang: Option<String>,
    /// The fallback language's name, in the reader's language, as a sentence uses it.
    pub fallback_name: Option<String>,
    /// The same page in the edition of the language shown (relative URL).
    pub fallback_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Activity {
    pub kind: String,
    pub title: Option<String>,
    pub minutes: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct SessionPage {
    pub title: String,
    pub duration: Option<u32>,
    pub objectives: Vec<String>,
    pub materials: Vec<String>,
    pub toc: Vec<Heading>,
    pub body: Body,
    pub activities: Vec<Activity>,
    pub module: Link,
    pub prev: Option<Link>,
    pub next: Option<Link>,
    pub number: usize,
    /// Relative URLs of the participant handout and the facilitator guide, when built.
    pub handout: Option<String>,
    pub guide: Option<String>,
    /// Marked `sample: true`: sample text, not a lesson.
    pub sample: bool,
}

#[derive(Debug, Serialize)]
pub struct SessionItem {
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
    pub duration: Option<u32>,
    pub summary: Option<String>,
    pub translated: bool,
    /// Its handout and guide (relative URLs), when PDFs are built.
    pub handout: Option<String>,
    pub guide: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ModulePage {
    pub title: String,
    pub summary: Option<String>,
    pub objectives: Vec<String>,
    pub body: Option<Body>,
    pub sessions: Vec<SessionItem>,
    pub total_minutes: u32,
    pub number: usize,
    /// Relative URL of the module booklet, when built.
    pub booklet: Option<String>,
    /// Relative URL of the print pack (every handout of the module), when built; of the
    /// same on half sheets, and imposed as a booklet to fold.
    pub pack: Option<String>,
    pub pack_a5: Option<String>,
    pub workbook: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct HomePage {
    pub title: String,
    pub body: Option<Body>,
    pub modules: Vec<ModuleItem>,
}

#[derive(Debug, Serialize)]
pub struct ModuleItem {
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
    pub summary: Option<String>,
    pub sessions: usize,
}

#[derive(Debug, Serialize)]
pub struct ChooserLanguage {
    pub code: String,
    pub name: String,
    pub title: String,
    pub intro: String,
    /// The language `intro` is written in (it may fall back).
    pub intro_lang: String,
    /// The share of sessions whose translation is up to date, in words ("38 % traduit"),
    /// for every language but the source; and the language those words are in.
    pub share: Option<String>,
    pub share_lang: String,
    pub editions: Vec<ChooserEdition>,
}

/// One edition on the chooser: its variant, what the variant is for (where the
/// language has the words), and its home page.
#[derive(Debug, Serialize)]
pub struct ChooserEdition {
    pub name: String,
    pub about: Option<String>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct ChooserPage {
    pub lang: String,
    pub site_title: String,
    pub root: String,
    pub css: String,
    pub languages: Vec<ChooserLanguage>,
}

/// The search page and the print centre: every module, with its sessions and PDFs.
#[derive(Debug, Serialize)]
pub struct ListingPage {
    pub modules: Vec<ListedModule>,
    /// The paper the edition's PDFs are printed on, in words (`Carta`, `A4`).
    pub paper: String,
}

#[derive(Debug, Serialize)]
pub struct ListedModule {
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
    pub booklet: Option<String>,
    pub pack: Option<String>,
    pub workbook: Option<String>,
    /// Page counts of the PDFs, once they are typeset (a build knows them; `serve`
    /// typesets on demand and does not).
    pub booklet_pages: Option<usize>,
    pub pack_pages: Option<usize>,
    /// (The workbook's in sheets printed on both sides.)
    pub workbook_pages: Option<usize>,
    pub sessions: Vec<ListedSession>,
}

#[derive(Debug, Serialize)]
pub struct ListedSession {
    pub title: String,
    pub lang: Option<String>,
    pub url: String,
    pub handout: Option<String>,
    pub guide: Option<String>,
    pub handout_pages: Option<usize>,
    pub guide_pages: Option<usize>,
}
