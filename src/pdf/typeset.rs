//! Typesetting prepared documents: in parallel, in batches between which Typst's memo cache
//! is trimmed, each PDF from the cache when its sources are unchanged, then the packs and
//! booklets made of their pages; each PDF goes to the staging folder as soon as it exists.

use super::*;

/// Documents typeset between two trims of Typst's memo cache.
const PDF_BATCH: usize = 8;

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
/// Path, content hash, and the PDF with whether it was typeset now.
type Outcome = (String, String, Result<(Vec<u8>, bool), Vec<Diagnostic>>);

impl Prepared {
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
            template,
            fonts,
            date,
            shared,
        } = self;
        let watchdog = budget::Watchdog::start();
        let one = |(index, job): (usize, &Job)| -> Outcome {
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
        // The documents packs are made of stay in memory until the packs are made; every
        // other PDF goes to the cache and the staging folder as soon as it is typeset.
        let parts: std::collections::BTreeSet<String> = assemblies
            .iter()
            .flat_map(|a| a.parts.iter().cloned())
            .collect();
        let settle = |(path, hash, result): Outcome, keep: bool| -> Settled {
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
                let held = match keep {
                    true => Held::Bytes(bytes),
                    false => hold(staging, &path, bytes),
                };
                (held, fresh, pages)
            });
            (path, hash, result)
        };
        let one = |(index, job): (usize, &Job)| -> Settled {
            let keep = parts.contains(&job.path);
            settle(one((index, job)), keep)
        };
        // Typst memoises everything it lays out, and its cache only shrinks when told to: in
        // batches, with what the last batches did not reuse dropped in between, a large
        // curriculum is typeset in bounded memory (without, 1,800 PDFs took 5.9 GB).
        let run = |jobs: &[Job]| -> Vec<Settled> {
            let mut results = Vec::with_capacity(jobs.len());
            for (b, batch) in jobs.chunks(PDF_BATCH).enumerate() {
                results.par_extend(
                    batch
                        .par_iter()
                        .enumerate()
                        .map(|(i, job)| one((b * PDF_BATCH + i, job))),
                );
                typst::comemo::evict(1);
            }
            results
        };
        // Typst recurses deeply: its threads need more than rayon's default stack.
        let pool = rayon::ThreadPoolBuilder::new().stack_size(64 << 20).build();
        let mut results = match &pool {
            Ok(pool) => pool.install(|| run(&jobs)),
            Err(_) => run(&jobs),
        };
        // Then the packs and booklets, from the pages of the documents just made.
        let imposed: Vec<Job> = assemblies
            .into_iter()
            .filter_map(|a| {
                let parts = a
                    .parts
                    .iter()
                    .map(|part| {
                        results.iter().find_map(|(path, _, result)| match result {
                            Ok((Held::Bytes(bytes), _, pages)) if path == part => {
                                Some((Bytes::new(bytes.clone()), (*pages)?))
                            }
                            _ => None,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(document::assemble(a, parts))
            })
            .collect();
        if !imposed.is_empty() {
            let base = jobs.len();
            let more = match &pool {
                Ok(pool) => pool.install(|| {
                    imposed
                        .par_iter()
                        .enumerate()
                        .map(|(i, job)| one((base + i, job)))
                        .collect::<Vec<_>>()
                }),
                Err(_) => imposed
                    .iter()
                    .enumerate()
                    .map(|(i, job)| one((base + i, job)))
                    .collect(),
            };
            results.extend(more);
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
                    // The packs are made: their parts go to the staging folder too.
                    let held = match held {
                        Held::Bytes(bytes) => hold(staging, &path, bytes),
                        staged => staged,
                    };
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
