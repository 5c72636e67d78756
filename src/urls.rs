//! Paths of the output and the relative URLs between them: where every page, index and
//! PDF of an edition is written ([`page_path`], [`handout_path`], …, all under
//! `Edition::dir`), and the one function every link goes through ([`relative`]), so that
//! `public/` works at a host's root, under any sub-path and from disk.

/// The relative URL from the page at output path `from` to the output path `to`
/// (both `/`-separated, relative to the output root, e.g. `es/rural/m/s/index.html`).
/// With `pretty`, a trailing `index.html` is left out (`../s/`, or `./` for the same folder).
pub fn relative(from: &str, to: &str, pretty: bool) -> String {
    let from_dir: Vec<&str> = match from.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut url = "../".repeat(from_dir.len() - common);
    url.push_str(&to_parts[common..].join("/"));
    if pretty && (url == "index.html" || url.ends_with("/index.html")) {
        url.truncate(url.len() - "index.html".len());
        if url.is_empty() {
            url.push_str("./");
        }
    }
    url
}

/// Joins a relative path onto a `/`-separated folder, resolving `.` and `..`.
/// `None` when the result would leave the root.
pub fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Whether a link leads out of the site (a scheme such as `https:`, `mailto:`, `tel:`, or
/// `//host`): kept as written on the web, kept as a link in print. Everything else is a
/// path in the project.
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Whether following a link would run code rather than open something (`javascript:`,
/// `vbscript:`, `data:`), however its scheme is spelt.
pub fn runs_code(url: &str) -> bool {
    let scheme: String = url
        .trim_start()
        .chars()
        .take_while(|c| *c != ':')
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// A path made safe to put in a URL: characters that would end or change it (`#`, `?`,
/// `%`, spaces, quotes, non-ASCII bytes) are percent-encoded; `/` stays.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path as written in a link, with `%XX` escapes decoded (`media/a%20b.png` names the
/// file `media/a b.png`); `None` when the escapes do not make UTF-8 text.
pub fn decode(path: &str) -> Option<String> {
    if !path.contains('%') {
        return Some(path.to_string());
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The path from an output page back to the output root, e.g. `../../` for `es/rural/index.html`.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// A page's place in an edition, the same in every edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageId {
    Home,
    /// The search page, which lists every session (the search box's target without JavaScript).
    Search,
    /// The print centre: every PDF of the edition, by module.
    Print,
    Module(String),
    Session(String, String),
}

impl PageId {
    pub fn parent(&self) -> Option<PageId> {
        match self {
            PageId::Home => None,
            PageId::Module(_) | PageId::Search | PageId::Print => Some(PageId::Home),
            PageId::Session(m, _) => Some(PageId::Module(m.clone())),
        }
    }
}

pub fn page_path(edition: &crate::variant::Edition, id: &PageId) -> String {
    let base = edition.dir();
    match id {
        PageId::Home => format!("{base}/index.html"),
        PageId::Search => format!("{base}/search/index.html"),
        PageId::Print => format!("{base}/print/index.html"),
        PageId::Module(m) => format!("{base}/{m}/index.html"),
        PageId::Session(m, s) => format!("{base}/{m}/{s}/index.html"),
    }
}

/// The folder of an edition's search index.
pub fn search_index_dir(edition: &crate::variant::Edition) -> String {
    format!("{}/{}", edition.dir(), crate::search::DIR)
}

/// The first script of an edition's search index, which names the others.
pub fn search_index_path(edition: &crate::variant::Edition) -> String {
    format!("{}/{}", search_index_dir(edition), crate::search::META)
}

/// The address of an output path under the site's `base_url`: a page's folder with
/// pretty URLs (`es/rural/m/s/`), else the file.
pub fn public_url(path: &str, pretty: bool) -> String {
    if pretty {
        path.strip_suffix("index.html").unwrap_or(path).to_string()
    } else {
        path.to_string()
    }
}

/// Output paths of a session's or a module's PDFs, relative to the output root.
pub fn handout_path(edition: &crate::variant::Edition, module: &str, session: &str) -> String {
    format!("{}/{module}/{session}/handout.pdf", edition.dir())
}

pub fn guide_path(edition: &crate::variant::Edition, module: &str, session: &str) -> String {
    format!("{}/{module}/{session}/guide.pdf", edition.dir())
}

/// A module's print pack: every participant handout of the module, in order.
pub fn pack_path(edition: &crate::variant::Edition, module: &str) -> String {
    format!("{}/{module}/handouts.pdf", edition.dir())
}

/// The print pack on half sheets (A5, or half-Letter), to print as it is.
pub fn pack_a5_path(edition: &crate::variant::Edition, module: &str) -> String {
    format!("{}/{module}/handouts-a5.pdf", edition.dir())
}

/// The half-sheet pack imposed as a saddle-stitched booklet: the participant's workbook.
pub fn workbook_path(edition: &crate::variant::Edition, module: &str) -> String {
    format!("{}/{module}/handouts-booklet.pdf", edition.dir())
}

pub fn booklet_path(edition: &crate::variant::Edition, module: &str) -> String {
    format!("{}/{module}/module.pdf", edition.dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_recognised() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("tel:+50212345678"));
        assert!(is_external("//example.org/x"));
        assert!(!is_external("../01-x.md"));
        assert!(!is_external("media/a:b.png"));
    }

    #[test]
    fn links_that_run_code_are_known_however_spelt() {
        assert!(runs_code("javascript:alert(1)"));
        assert!(runs_code(" JavaScript:alert(1)"));
        assert!(runs_code("java\tscript:alert(1)"));
        assert!(runs_code("data:text/html,<script>"));
        assert!(!runs_code("https://example.org/javascript:"));
        assert!(!runs_code("media/data.csv"));
    }

    #[test]
    fn paths_with_url_characters_are_encoded_and_decoded() {
        assert_eq!(encode("files/m/a b#1?.png"), "files/m/a%20b%231%3F.png");
        assert_eq!(encode("files/m/foto-ñ.png"), "files/m/foto-%C3%B1.png");
        assert_eq!(decode("media/a%20b.png").as_deref(), Some("media/a b.png"));
        assert_eq!(decode("100%").as_deref(), Some("100%"));
        assert_eq!(decode(&encode("x y#ñ")).as_deref(), Some("x y#ñ"));
    }

    #[test]
    fn relative_urls_between_pages() {
        let s = "es/rural/m/s/index.html";
        assert_eq!(
            relative(s, "es/rural/m/t/index.html", false),
            "../t/index.html"
        );
        assert_eq!(relative(s, "es/rural/m/s/index.html", false), "index.html");
        assert_eq!(relative(s, "es/rural/m/s/index.html", true), "./");
        assert_eq!(
            relative(s, "fr/rural/m/s/index.html", true),
            "../../../../fr/rural/m/s/"
        );
        assert_eq!(
            relative(s, "assets/aula.css", false),
            "../../../../assets/aula.css"
        );
        assert_eq!(
            relative("index.html", "es/urban/index.html", false),
            "es/urban/index.html"
        );
        assert_eq!(
            relative("es/urban/index.html", "index.html", true),
            "../../"
        );
        assert_eq!(
            relative("es/urban/m/index.html", "es/urban/index.html", false),
            "../index.html"
        );
    }

    #[test]
    fn joins_resolve_dots_and_refuse_to_escape() {
        assert_eq!(
            join("01-m", "../02-f/01-c.md").as_deref(),
            Some("02-f/01-c.md")
        );
        assert_eq!(
            join("01-m", "./media/a.jpg").as_deref(),
            Some("01-m/media/a.jpg")
        );
        assert_eq!(join("", "../x.md"), None);
    }

    #[test]
    fn root_counts_folders() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("es/rural/index.html"), "../../");
    }
}
