//! Which documents a build makes, in the order they are typeset, and making each one:
//! a module's half-sheet pack, its sessions' handouts and guides, its booklet, then the
//! packs imposed from their pages. A module lets its files' parses go once its last
//! document is typeset.

use crate::blocks::View;
use crate::config::Config;
use crate::content::Corpus;
use crate::i18n::I18n;
use crate::urls::{booklet_path, guide_path, handout_path, pack_a5_path, pack_path, workbook_path};
use crate::variant::{Edition, select};

use super::document::Generator;
use super::{Assembly, Job, Request};

/// A document to make, by where it is in the selections of a [`Maker`]: its edition's
/// index, its module's, and which of the module's documents it is.
#[derive(Clone, Copy)]
pub(super) enum Spec {
    HalfPack(usize, usize),
    Session(usize, usize, usize, View),
    Booklet(usize, usize),
}

impl Spec {
    /// Its edition's index and its module's.
    fn module(self) -> (usize, usize) {
        let (Spec::HalfPack(e, m) | Spec::Session(e, m, ..) | Spec::Booklet(e, m)) = self;
        (e, m)
    }
}

/// Makes the documents of the requested editions from their specs, when they are
/// typeset: every document's Typst source held at once grows with the curriculum (23 MB
/// at 300 sessions per language, one variant).
pub(super) struct Maker<'a> {
    config: &'a Config,
    corpus: &'a Corpus,
    i18n: &'a I18n,
    editions: &'a [Edition],
    selections: Vec<crate::variant::Selection<'a>>,
}

impl<'a> Maker<'a> {
    pub(super) fn new(request: &Request<'a>) -> Maker<'a> {
        let selections = (request.editions.iter())
            .map(|e| select(request.corpus, request.config, e, request.drafts))
            .collect();
        Maker {
            config: request.config,
            corpus: request.corpus,
            i18n: &request.theme.i18n,
            editions: request.editions,
            selections,
        }
    }

    fn generator(&self, edition: usize) -> Generator<'a> {
        Generator {
            config: self.config,
            corpus: self.corpus,
            i18n: self.i18n,
            edition: &self.editions[edition],
            half: false,
        }
    }

    pub(super) fn make(&self, spec: Spec) -> Job {
        let (e, m) = spec.module();
        let module = &self.selections[e].modules[m];
        let generator = self.generator(e);
        match spec {
            Spec::HalfPack(..) => generator.half_pack(module),
            Spec::Session(_, _, s, view) => {
                generator.session(module, &module.sessions[s], s + 1, view)
            }
            Spec::Booklet(..) => generator.booklet(module, m + 1),
        }
    }

    /// The documents to make, in the order they are typeset, and the packs and booklets
    /// to impose after from their pages.
    pub(super) fn specs(
        &self,
        only: Option<&std::collections::BTreeSet<String>>,
    ) -> (Vec<Spec>, Vec<Assembly>) {
        let wanted = |path: String| only.is_none_or(|o| o.contains(&path));
        let mut specs = Vec::new();
        let mut assemblies = Vec::new();
        for (e, (edition, sel)) in self.editions.iter().zip(&self.selections).enumerate() {
            let generator = self.generator(e);
            for (mi, m) in sel.modules.iter().enumerate() {
                // The module's two large documents (the half-sheet pack first, the booklet
                // last) are set apart by its sessions': typeset two at a time, they would
                // be in memory together.
                let workbook = workbook_path(edition, &m.module.slug);
                // The booklet is made from the half-sheet pack: asked for, that is typeset
                // too.
                if !m.sessions.is_empty()
                    && (wanted(pack_a5_path(edition, &m.module.slug)) || wanted(workbook.clone()))
                {
                    specs.push(Spec::HalfPack(e, mi));
                }
                for (si, s) in m.sessions.iter().enumerate() {
                    if wanted(handout_path(edition, &m.module.slug, &s.session.slug)) {
                        specs.push(Spec::Session(e, mi, si, View::Handout));
                    }
                    if wanted(guide_path(edition, &m.module.slug, &s.session.slug)) {
                        specs.push(Spec::Session(e, mi, si, View::Guide));
                    }
                }
                if wanted(booklet_path(edition, &m.module.slug)) {
                    specs.push(Spec::Booklet(e, mi));
                }
                if m.sessions.is_empty() {
                    continue;
                }
                // The print pack is the module's handouts, as they are printed one by one:
                // asked for alone (`serve`), those are typeset too.
                if wanted(pack_path(edition, &m.module.slug)) {
                    for (si, s) in m.sessions.iter().enumerate() {
                        if !wanted(handout_path(edition, &m.module.slug, &s.session.slug)) {
                            specs.push(Spec::Session(e, mi, si, View::Handout));
                        }
                    }
                    assemblies.push(generator.pack_of_handouts(m));
                }
                if wanted(workbook.clone()) {
                    assemblies.push(generator.workbook(m, workbook));
                }
            }
        }
        (specs, assemblies)
    }
}

/// The documents to typeset.
pub(super) enum Jobs<'a> {
    Made(Vec<Job>),
    Later(Maker<'a>, Vec<Spec>),
}

impl Jobs<'_> {
    pub(super) fn len(&self) -> usize {
        match self {
            Jobs::Made(jobs) => jobs.len(),
            Jobs::Later(_, specs) => specs.len(),
        }
    }

    /// `f` of the `i`th document, made now if it is made as it is typeset.
    pub(super) fn with<R>(&self, i: usize, f: impl FnOnce(&Job) -> R) -> Option<R> {
        match self {
            Jobs::Made(jobs) => jobs.get(i).map(f),
            Jobs::Later(maker, specs) => specs.get(i).map(|spec| f(&maker.make(*spec))),
        }
    }

    /// The documents numbered `done` are typeset (and no other is being made): a module
    /// whose last document is among them lets its files' parsed bodies go, as the web
    /// pages' render does. Documents made as they are typeset parse their sessions again;
    /// kept, every session's parse stayed to the end of the build (one variant with its
    /// PDFs peaked at 267 MiB at 1,000 sessions per language, 200 MiB now).
    pub(super) fn typeset(&self, done: std::ops::Range<usize>) {
        let Jobs::Later(maker, specs) = self else {
            return;
        };
        for i in done {
            let Some(module) = specs.get(i).map(|s| s.module()) else {
                break;
            };
            if specs.get(i + 1).is_none_or(|next| next.module() != module) {
                let (e, m) = module;
                maker.selections[e].modules[m].module.forget_documents();
            }
        }
    }
}
