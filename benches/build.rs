//! `cargo bench --bench build`: build times of the shipped sample curriculum, in process.
//!
//! Reports the median of several runs for: the HTML site alone; the site with every PDF
//! typeset cold (no PDF cache, the typesetter's memo cache emptied); and a warm rebuild
//! where every PDF comes from the content-hash cache. A bench command, not a test: numbers
//! depend on the machine.

// A benchmark that cannot set up should stop loudly.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use aula::pipeline::{self, BuildOptions};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs: usize = std::env::var("AULA_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let cache = tempfile::tempdir().expect("temp dir");
    let html = BuildOptions {
        pdf: false,
        ..BuildOptions::default()
    };
    let cold = BuildOptions {
        pdf: true,
        ..BuildOptions::default()
    };
    let warm = BuildOptions {
        pdf: true,
        pdf_cache: Some(cache.path().to_path_buf()),
        ..BuildOptions::default()
    };

    let time = |options: &BuildOptions, before: &dyn Fn()| -> (Duration, pipeline::Built) {
        before();
        let start = Instant::now();
        let built = pipeline::build(root, options).expect("options are valid");
        (start.elapsed(), built)
    };
    let mut html_runs = Vec::new();
    let mut cold_runs = Vec::new();
    let mut warm_runs = Vec::new();
    let mut pages = 0;
    let mut pdfs = 0;
    for _ in 0..runs {
        let (d, built) = time(&html, &|| {});
        pages = built.pages;
        html_runs.push(d);
        let (d, built) = time(&cold, &|| typst::comemo::evict(0));
        pdfs = built.pdf_hashes.len();
        assert_eq!(built.pdfs_typeset, pdfs, "a cold build typesets every PDF");
        cold_runs.push(d);
        if let Some(output) = &built.output {
            aula::output::update_cache(cache.path(), output, &built.pdf_hashes).expect("cache");
        }
        let (d, built) = time(&warm, &|| typst::comemo::evict(0));
        assert_eq!(built.pdfs_typeset, 0, "a warm build typesets nothing");
        warm_runs.push(d);
    }
    let (html_ms, cold_ms, warm_ms) = (
        ms(median(html_runs)),
        ms(median(cold_runs)),
        ms(median(warm_runs)),
    );
    println!("sample curriculum: {pages} pages, {pdfs} PDFs, median of {runs} runs");
    println!(
        "html only           {html_ms:8.1} ms   {:6.0} pages/s",
        pages as f64 / html_ms * 1000.0
    );
    println!(
        "html + pdf, cold    {cold_ms:8.1} ms   {:6.2} ms per PDF (typesetting only)",
        (cold_ms - html_ms) / pdfs.max(1) as f64
    );
    println!(
        "html + pdf, warm    {warm_ms:8.1} ms   {:6.2} ms per PDF (cache hits)",
        (warm_ms - html_ms) / pdfs.max(1) as f64
    );
}
