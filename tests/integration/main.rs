//! Integration tests: build fixture projects (and the shipped sample curriculum) with the
//! real binary into temporary folders, and check the files and the diagnostics.

// Test helpers panic on setup failures: that is a failed test, not a user-facing panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authoring;
mod carpentries;
mod common;
mod diagnostics;
mod hardening;
mod pages;
mod pdf;
mod sample;
mod search;
mod serve;
mod site;
mod translation;
