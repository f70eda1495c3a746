//! Triage: from a person's situation to the right windows, with reasons, crisis first.

/// The triage lexicon and index, built once when the directory loads.
#[derive(Debug, Clone, Default)]
pub struct TriageData {}
