//! What a link or an image leads to, read once from what the author wrote: the rule both
//! writers follow (the web page rewrites paths into its edition, print keeps only the
//! links that leave the site).

use pulldown_cmark::LinkType;

use crate::config::Config;
use crate::urls;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A section of this page (`#id`), or nothing (`[x]()`).
    Here(Option<String>),
    /// A page of the curriculum by its content key (`01-m/01-costos`: language and variant
    /// suffixes taken off), as written, with a section.
    Page {
        key: String,
        written: String,
        fragment: Option<String>,
    },
    /// A file under `content/` by its path there (as written in the URL, so maybe
    /// percent-encoded), as written, with a section.
    File {
        path: String,
        written: String,
        fragment: Option<String>,
    },
    /// A relative path that leaves `content/`.
    Outside { written: String },
    /// A path from the host's root (`/img/x.png`): breaks under a sub-path and on a stick.
    Root,
    /// An address that runs code when followed (`javascript:`, `data:`).
    Script,
    /// Another host or scheme (`https:`, `mailto:`, `//host`), kept as written.
    External,
}

impl Target {
    /// A link's target, from a file in `source_dir` (relative to `content/`).
    pub fn of_link(link_type: LinkType, url: &str, source_dir: &str, config: &Config) -> Self {
        if url.starts_with('/') && !url.starts_with("//") {
            return Target::Root;
        }
        if urls::runs_code(url) {
            return Target::Script;
        }
        if matches!(link_type, LinkType::Email | LinkType::Autolink) || urls::is_external(url) {
            return Target::External;
        }
        let (written, fragment) = match url.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (url.to_string(), None),
        };
        if written.is_empty() {
            return Target::Here(fragment);
        }
        let Some(joined) = urls::join(source_dir, &written) else {
            return Target::Outside { written };
        };
        match joined.strip_suffix(".md") {
            Some(key) => Target::Page {
                key: strip_suffixes(key, config),
                written,
                fragment,
            },
            None => Target::File {
                path: joined,
                written,
                fragment,
            },
        }
    }

    /// An image's target.
    pub fn of_image(url: &str, source_dir: &str) -> Self {
        if urls::runs_code(url) {
            Target::Script
        } else if urls::is_external(url) {
            Target::External
        } else if url.starts_with('/') {
            Target::Root
        } else {
            match urls::join(source_dir, url) {
                Some(path) => Target::File {
                    path,
                    written: url.to_string(),
                    fragment: None,
                },
                None => Target::Outside {
                    written: url.to_string(),
                },
            }
        }
    }
}

/// `01-m/01-costos.es` → `01-m/01-costos` (a variant too: `x.rural.es`).
fn strip_suffixes(key: &str, config: &Config) -> String {
    let is_suffix = |s: &str| {
        config.languages.iter().any(|l| l.code == s) || config.variants.iter().any(|v| v == s)
    };
    let (dir, file) = key.rsplit_once('/').map_or(("", key), |(d, f)| (d, f));
    let mut parts: Vec<&str> = file.split('.').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| is_suffix(p)) {
        parts.pop();
    }
    let file = parts.join(".");
    if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::path::PathBuf;

    fn config() -> Config {
        let text = "title: t\nlanguages: [{code: es}, {code: fr}]\nvariants: [urban, rural]\n";
        Config::parse(&SourceFile::new(
            "aula.yaml".into(),
            PathBuf::new(),
            text.into(),
        ))
        .unwrap()
    }

    #[test]
    fn links_are_read_once_for_both_writers() {
        let c = config();
        let link = |url| Target::of_link(LinkType::Inline, url, "02-f", &c);
        assert_eq!(
            link("01-costos.rural.es.md#precio"),
            Target::Page {
                key: "02-f/01-costos".into(),
                written: "01-costos.rural.es.md".into(),
                fragment: Some("precio".into())
            }
        );
        assert_eq!(link("#precio"), Target::Here(Some("precio".into())));
        assert_eq!(
            link("../../x.md"),
            Target::Outside {
                written: "../../x.md".into()
            }
        );
        assert_eq!(link("/x.md"), Target::Root);
        assert_eq!(link(" JavaScript:alert(1)"), Target::Script);
        assert_eq!(link("mailto:a@b.org"), Target::External);
        assert_eq!(link("//cdn.example"), Target::External);
        assert!(
            matches!(link("media/hoja.pdf"), Target::File { path, .. } if path == "02-f/media/hoja.pdf")
        );
        assert_eq!(Target::of_image("https://x/y.png", "m"), Target::External);
        assert_eq!(Target::of_image("/y.png", "m"), Target::Root);
    }
}
