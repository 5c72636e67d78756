//! Time spent in each part of rendering, summed over the threads that rendered: what
//! `build --timings` shows.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The parts of rendering a page whose time `build --timings` shows.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// `:::` blocks, Markdown, links.
    Markdown,
    /// The theme's templates.
    Templates,
}

/// Nanoseconds spent per [`Stage`], added to from every rendering thread.
#[derive(Debug, Default)]
pub(super) struct Spent {
    markdown: AtomicU64,
    templates: AtomicU64,
}

impl Spent {
    fn slot(&self, stage: Stage) -> &AtomicU64 {
        match stage {
            Stage::Markdown => &self.markdown,
            Stage::Templates => &self.templates,
        }
    }

    pub(super) fn add(&self, stage: Stage, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.slot(stage).fetch_add(nanos, Ordering::Relaxed);
    }

    pub(super) fn get(&self, stage: Stage) -> Duration {
        Duration::from_nanos(self.slot(stage).load(Ordering::Relaxed))
    }
}
