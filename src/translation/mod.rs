//! Translations: which are up to date, stale, unstamped or missing ([`status`], shown by
//! [`report`]), stamping ([`stamp`]) and what a stamp records ([`store`]), a file's sections and how two versions compare
//! ([`sections`]), and the source's changes since a stamp ([`diff`]).
//!
//! A translation is a whole file with its own structure; aula never asks it to follow the
//! source paragraph by paragraph. It knows, per section, what changed in the source since
//! the translation was stamped, which is what a translator needs to read again.

pub mod diff;
pub mod report;
pub mod sections;
pub mod stamp;
pub mod status;
pub mod store;
