//! Writes a synthetic curriculum for benchmarks: `M` modules × `S` sessions in es, fr and
//! quc, each session 600–1,200 words with headings, emphasis, links to other sessions,
//! lists, a table, an image, variant blocks, facilitator notes and callouts.
//! Deterministic: the same arguments give the same files.
//!
//! `cargo run --release --bin aula-corpus -- OUT SESSIONS_PER_LANGUAGE [--hugo HUGO_OUT]`
//! With `--hugo`, also writes the same text as a Hugo site with a minimal theme that has
//! the same navigation (for the side-by-side benchmark in `bench/compare.sh`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const ES: &[&str] = &[
    "negocio",
    "precio",
    "costo",
    "ganancia",
    "ahorro",
    "crédito",
    "cliente",
    "mercado",
    "venta",
    "compra",
    "cuaderno",
    "cuenta",
    "dinero",
    "semana",
    "grupo",
    "meta",
    "plan",
    "sueldo",
    "familia",
    "trabajo",
    "producto",
    "calidad",
    "confianza",
    "cosecha",
    "tejido",
    "vecina",
    "banco",
    "comunal",
    "interés",
    "préstamo",
];
const FR: &[&str] = &[
    "activité",
    "prix",
    "coût",
    "bénéfice",
    "épargne",
    "crédit",
    "client",
    "marché",
    "vente",
    "achat",
    "cahier",
    "compte",
    "argent",
    "semaine",
    "groupe",
    "objectif",
    "plan",
    "salaire",
    "famille",
    "travail",
    "produit",
    "qualité",
    "confiance",
    "récolte",
    "tissage",
    "voisine",
    "banque",
    "communautaire",
    "intérêt",
    "prêt",
];
const QUC: &[&str] = &[
    "pwaq",
    "chak",
    "kʼayibʼal",
    "loqʼ",
    "ixim",
    "kem",
    "tinamit",
    "ixoq",
    "jastaq",
    "rajil",
    "nuchak",
    "qachak",
    "utz",
    "kʼo",
    "ri",
    "le",
    "ajchak",
    "kʼaxkʼol",
    "nimaqʼij",
    "jun",
    "kamik",
    "chweʼq",
    "iwir",
    "junamil",
    "achi",
    "ali",
    "nan",
    "tat",
    "ja",
    "bʼe",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let w = words[rng.below(words.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            if rng.below(12) == 0 {
                let _ = write!(s, "*{w}*");
            } else {
                s.push_str(w);
            }
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, words: &[&str]) -> String {
    let n = 4 + rng.below(3);
    (0..n)
        .map(|_| {
            let len = 8 + rng.below(8);
            sentence(rng, words, len)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One session's Markdown body (for aula, with `:::` blocks and `.md` links).
fn session_body(
    rng: &mut Rng,
    words: &[&str],
    module: usize,
    session: usize,
    sessions: usize,
    hugo: bool,
) -> String {
    let mut b = String::new();
    let other = (session % sessions) + 1;
    let link = if hugo {
        format!("../s{other:03}/")
    } else {
        format!("{other:03}-s{other:03}.md")
    };
    for h in 0..4 {
        // Each section its minutes, as a real session plans them: with the activity of the
        // third within it, they are the session's 120 (Hugo has no schedule).
        let minutes = if hugo { "" } else { " minutes=30" };
        let _ = writeln!(
            b,
            "## {} {{#sec-{h}{minutes}}}\n",
            sentence(rng, words, 3).trim_end_matches('.')
        );
        let _ = writeln!(b, "{}\n", paragraph(rng, words));
        let _ = writeln!(
            b,
            "{} [{}]({link}#sec-{h}).\n",
            paragraph(rng, words),
            words[rng.below(words.len())]
        );
        match h {
            0 => {
                for _ in 0..4 {
                    let _ = writeln!(b, "- {}", sentence(rng, words, 6));
                }
                b.push('\n');
            }
            1 => {
                let _ = writeln!(b, "| {} | {} |\n|---|---:|", words[0], words[1]);
                for i in 0..4 {
                    let _ = writeln!(
                        b,
                        "| {} | {} |",
                        words[rng.below(words.len())],
                        1000 * (i + 1)
                    );
                }
                b.push('\n');
                let image = if hugo {
                    "../media/figure.svg"
                } else {
                    "media/figure.svg"
                };
                let _ = writeln!(b, "![{}]({image})\n", sentence(rng, words, 4));
            }
            _ => {}
        }
        if hugo {
            let _ = writeln!(
                b,
                "{}\n\n{}\n",
                paragraph(rng, words),
                paragraph(rng, words)
            );
        } else {
            let variant = ["urban", "rural", "altiplano"][(module + session + h) % 3];
            let _ = writeln!(b, "::: {variant}\n{}\n:::\n", paragraph(rng, words));
            let _ = writeln!(b, "::: facilitator\n{}\n:::\n", paragraph(rng, words));
            if h == 2 {
                let _ = writeln!(
                    b,
                    "::: activity \"{}\" 20\n{}\n:::\n",
                    sentence(rng, words, 3).trim_end_matches('.'),
                    paragraph(rng, words)
                );
            }
        }
    }
    b
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        let _ = fs::create_dir_all(p);
    }
    if let Err(e) = fs::write(path, text) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"60\"><rect width=\"120\" height=\"60\" fill=\"#ddd\"/></svg>\n";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(total)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: aula-corpus OUT SESSIONS_PER_LANGUAGE [--hugo HUGO_OUT]");
        std::process::exit(2);
    };
    let hugo = args
        .iter()
        .position(|a| a == "--hugo")
        .and_then(|i| args.get(i + 1));
    let out = Path::new(out);
    let per_module = 30.min(total.max(1));
    let modules = total.div_ceil(per_module);
    write(
        &out.join("aula.yaml"),
        "title: Bench\nlanguages:\n  - code: es\n  - code: fr\n    fallback: es\n  - code: quc\n    fallback: es\nvariants: [urban, rural, altiplano]\n",
    );
    write(
        &out.join("content/_index.es.md"),
        "---\ntitle: Bench\n---\nBench.\n",
    );
    for (lang, words) in [("es", ES), ("fr", FR), ("quc", QUC)] {
        let mut rng = Rng(0x5eed ^ lang.len() as u64);
        for m in 1..=modules {
            let dir = out.join(format!("content/{m:03}-m{m:03}"));
            write(
                &dir.join(format!("_module.{lang}.md")),
                &format!(
                    "---\ntitle: \"{}\"\n---\n{}\n",
                    sentence(&mut rng, words, 3),
                    paragraph(&mut rng, words)
                ),
            );
            write(&dir.join("media/figure.svg"), SVG);
            let in_module = per_module.min(total - (m - 1) * per_module);
            for s in 1..=in_module {
                let title = sentence(&mut rng, words, 4);
                let body = session_body(&mut rng, words, m, s, in_module, false);
                let front = format!(
                    "---\ntitle: \"{}\"\nduration: 120\nobjectives: [\"{}\"]\n---\n\n",
                    title.trim_end_matches('.'),
                    sentence(&mut rng, words, 6)
                );
                write(
                    &dir.join(format!("{s:03}-s{s:03}.{lang}.md")),
                    &format!("{front}{body}"),
                );
                if let Some(h) = hugo {
                    let body = session_body(&mut Rng(rng.0), words, m, s, in_module, true);
                    let page = format!(
                        "---\ntitle: \"{}\"\nweight: {s}\n---\n\n{body}",
                        title.trim_end_matches('.')
                    );
                    write(
                        &Path::new(h).join(format!("content/{lang}/m{m:03}/s{s:03}/index.md")),
                        &page,
                    );
                }
            }
            if let Some(h) = hugo {
                write(
                    &Path::new(h).join(format!("content/{lang}/m{m:03}/_index.md")),
                    &format!("---\ntitle: \"Module {m}\"\nweight: {m}\n---\n"),
                );
                write(
                    &Path::new(h).join(format!("content/{lang}/m{m:03}/media/figure.svg")),
                    SVG,
                );
            }
        }
    }
    if let Some(h) = hugo {
        hugo_site(Path::new(h));
    }
}

/// A minimal Hugo site with the same navigation: per language, a home listing modules,
/// module pages listing sessions, session pages with the module's session list.
fn hugo_site(h: &Path) {
    write(
        &h.join("hugo.toml"),
        "baseURL = 'http://example.org/'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT']\nrelativeURLs = true\ndefaultContentLanguage = 'es'\ndefaultContentLanguageInSubdir = true\n[languages]\n[languages.es]\ncontentDir = 'content/es'\nweight = 1\n[languages.fr]\ncontentDir = 'content/fr'\nweight = 2\n[languages.quc]\ncontentDir = 'content/quc'\nweight = 3\n[markup.goldmark.parser.attribute]\ntitle = true\n",
    );
    for lang in ["es", "fr", "quc"] {
        write(
            &h.join(format!("content/{lang}/_index.md")),
            "---\ntitle: Bench\n---\n",
        );
    }
    write(
        &h.join("layouts/_default/baseof.html"),
        "<!DOCTYPE html><html lang=\"{{ .Site.Language.Lang }}\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title><link rel=\"stylesheet\" href=\"{{ \"aula.css\" | relURL }}\"></head><body><header>{{ range .AllTranslations }}<a href=\"{{ .RelPermalink }}\">{{ .Language.Lang }}</a> {{ end }}</header><main>{{ block \"main\" . }}{{ end }}</main><nav><ol>{{ range .Site.Home.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ if eq . $.CurrentSection }}<ol>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}</li>{{ end }}</ol></nav></body></html>\n",
    );
    write(
        &h.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}\n",
    );
    write(
        &h.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ol>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}\n",
    );
    write(&h.join("static/aula.css"), "body{font-family:sans-serif}\n");
}
