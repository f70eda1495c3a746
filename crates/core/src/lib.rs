//! madoguchi-core: the directory of consultation and reporting windows as validated data,
//! opening hours, and triage.
//!
//! This crate is pure: it does no IO and never reads the clock. Callers pass the data files'
//! text and the instant that counts as "now". See `ARCHITECTURE.md` at the repository root.

pub mod advice;
pub mod edit;
pub mod format;
pub mod freshness;
pub mod guide;
pub mod holidays;
pub mod hours;
pub mod lexicon;
pub mod load;
pub mod model;
pub mod provenance;
pub mod readings;
pub mod translation;
pub mod triage;

pub use load::{CheckRule, DataFile, Diagnostic, LoadConfig, load};
pub use model::*;
