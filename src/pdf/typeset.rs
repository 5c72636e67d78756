//! Typesetting prepared documents: one per thread at a time, with Typst's memo cache
//! emptied in between, each PDF from the cache when its sources are unchanged, then the
//! packs and booklets made of their pages (read back from the staging folder); each PDF
//! goes to the staging folder as soon as it exists.

use super::*;

/// A typeset PDF: in memory, or already in the staging folder.
enum Held {
    Bytes(Vec<u8>),
    Staged(crate::output::Staged),
}

/// A PDF staged when there is a staging folder that takes it, else kept.
fn hold(staging: Option<&crate::output::Staging>, path: &str, bytes: Vec<u8>) -> Held {
    match staging.and_then(|s| s.stage_file(path, &bytes)) {
        Some(staged) => Held::Staged(staged),
        None => Held::Bytes(bytes),
    }
}

/// An outcome once settled: the PDF held or staged, whether it was typeset now, and its
/// number of pages.
type Settled = (
    String,
    String,
    Result<(Held, bool, Option<usize>), Vec<Diagnostic>>,
);

/// One document's outcome: its path, its content hash, and its bytes (and whether they
/// were typeset now) or its errors.
type Outcome = (String, String, Result<(Vec<u8>, bool), Vec<Diagnostic>>);

impl Prepared<'_> {
    /// Typesets the documents; those whose inputs hash to an entry of `cache` come from it.
    pub fn typeset(
        self,
        cache: Option<&Path>,
        staging: Option<&crate::output::Staging>,
        diags: &mut Diagnostics,
    ) -> Typeset {
        let Prepared {
            jobs,
            assemblies,
            images,
            setting:
                Setting {
                    template,
                    fonts,
                    date,
                    shared,
                },
        } = self;
        let watchdog = budget::Watchdog::start();
        let one = |(index, job): (usize, &Job)| -> Outcome {
            if !job.changed.is_empty() {
                return (job.path.clone(), String::new(), Err(job.changed.clone()));
            }
            let images = Arc::new(images.of(job));
            let mut hasher = Sha256::new();
            hasher.update(&shared);
            hasher.update(&job.main);
            hasher.update(&job.data);
            for (path, bytes) in &job.extra {
                hasher.update(path);
                hasher.update(bytes.as_slice());
            }
            for image in &job.images {
                if let Some(bytes) = images.get(&format!("/files/{image}")) {
                    hasher.update(image);
                    hasher.update(bytes.as_slice());
                }
            }
            let hash = hex(&hasher.finalize());
            // An entry is trusted only whole (see `output::unseal`); a damaged one is typeset again.
            if let Some(dir) = cache
                && let Ok(entry) = std::fs::read(dir.join(format!("{hash}.pdf")))
                && let Some(bytes) = crate::output::unseal(entry)
            {
                return (job.path.clone(), hash, Ok((bytes, false)));
            }
            watchdog.begin(index, &job.path, &job.origin);
            let result = compile(job, &template.text, &fonts, &images, date, &template);
            watchdog.end(index);
            (job.path.clone(), hash, result.map(|b| (b, true)))
        };
        // Every PDF goes to the cache and the staging folder as soon as it is typeset; the
        // packs read their parts back from there, a few at a time.
        let settle = |(path, hash, result): Outcome| -> Settled {
            let result = result.map(|(bytes, fresh)| {
                let pages = page_count(&bytes);
                // A build that writes as it goes keeps new PDFs in the cache at once (`check`
                // only reads the cache; `serve` keeps what it typesets itself).
                if fresh
                    && staging.is_some()
                    && let Some(dir) = cache
                {
                    // A cache that cannot be written only costs time next build.
                    let _ = crate::output::keep_in_cache(dir, &hash, &bytes);
                }
                (hold(staging, &path, bytes), fresh, pages)
            });
            (path, hash, result)
        };
        let one = |(index, job): (usize, &Job)| -> Settled { settle(one((index, job))) };
        // Typst memoises everything it lays out, and its cache only shrinks when told to: in
        // batches of one document per thread, with the cache emptied in between, a large
        // curriculum is typeset in bounded memory (without, 1,800 PDFs took 5.9 GB). The
        // batch is no larger: a thread waiting inside one document (the PDF writer works in
        // parallel too) takes up another of its batch, so a batch of 8 had up to 8 in
        // memory at once; and what the next batch would reuse of the last is little (the
        // theme, a few words shaped), so emptying the cache costs no measurable time.
        // The documents numbered `range`, each settled by `settle` in its thread (a
        // document made as it is typeset is made there, and goes after).
        let batch = |results: &mut Vec<Settled>,
                     range: std::ops::Range<usize>,
                     settle: &(dyn Fn(usize) -> Option<Settled> + Sync)| {
            results.par_extend(range.into_par_iter().filter_map(settle));
            typst::comemo::evict(0);
        };
        let run = |results: &mut Vec<Settled>| {
            let size = rayon::current_num_threads();
            for start in (0..jobs.len()).step_by(size) {
                let end = (start + size).min(jobs.len());
                batch(results, start..end, &|i| jobs.with(i, |job| one((i, job))));
                jobs.typeset(start..end);
            }
            // Then the packs and booklets, from the pages of the documents just made: a
            // batch's parts are read only when it is typeset.
            let made: BTreeMap<String, usize> = results
                .iter()
                .enumerate()
                .map(|(i, (path, _, _))| (path.clone(), i))
                .collect();
            let part = |results: &[Settled], path: &str| -> Option<(Bytes, usize)> {
                let (_, _, result) = &results[*made.get(path)?];
                let (held, _, pages) = result.as_ref().ok()?;
                let bytes = match held {
                    Held::Bytes(bytes) => bytes.clone(),
                    Held::Staged(_) => staging?.read(path)?,
                };
                Some((Bytes::new(bytes), (*pages)?))
            };
            let mut base = jobs.len();
            for group in assemblies.chunks(size) {
                let imposed: Vec<Job> = group
                    .iter()
                    .filter_map(|a| {
                        let parts: Option<Vec<_>> =
                            a.parts.iter().map(|p| part(results, p)).collect();
                        Some(document::assemble(a, parts?))
                    })
                    .collect();
                let range = base..base + imposed.len();
                batch(results, range, &|i| {
                    imposed.get(i - base).map(|job| one((i, job)))
                });
                base += imposed.len();
            }
        };
        // Typst recurses deeply: its threads need more than rayon's default stack.
        let pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build();
        let mut results = Vec::with_capacity(jobs.len() + assemblies.len());
        match &pool {
            Ok(pool) => pool.install(|| run(&mut results)),
            Err(_) => run(&mut results),
        }
        typst::comemo::evict(10);

        let mut out = Typeset::default();
        for (path, hash, result) in results {
            match result {
                Ok((held, fresh, pages)) => {
                    if fresh {
                        out.typeset += 1;
                    } else {
                        out.reused += 1;
                    }
                    out.hashes.insert(path.clone(), hash);
                    if let Some(pages) = pages {
                        out.pages.insert(path.clone(), pages);
                    }
                    match held {
                        Held::Bytes(bytes) => {
                            out.files.insert(path, bytes);
                        }
                        Held::Staged(staged) => {
                            out.staged.insert(path, staged);
                        }
                    }
                }
                Err(ds) => {
                    for d in ds {
                        diags.push(d);
                    }
                }
            }
        }
        out
    }
}
