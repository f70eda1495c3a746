//! The lexicon file (`data/lexicon.toml`): phrases that point to situations, outcomes,
//! audiences and windows, and the crisis words.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::normalize::normalize;
use crate::model::AudienceGroup;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    crisis: CrisisFile,
    entry: Vec<EntryFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrisisFile {
    first_person: Vec<String>,
    report_context: Vec<String>,
    related: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    patterns: Spanned<Vec<String>>,
    #[serde(default)]
    situations: Vec<Spanned<String>>,
    #[serde(default)]
    outcomes: Vec<Spanned<String>>,
    audience: Option<Spanned<String>>,
    #[serde(default)]
    windows: BTreeMap<String, Spanned<u8>>,
    #[serde(default = "default_weight")]
    weight: u8,
}

fn default_weight() -> u8 {
    2
}

/// What a matched phrase means.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    Situation(String),
    Outcome(String),
    Audience(AudienceGroup),
    Window(String, u8),
    Crisis,
    ReportContext,
    CrisisRelated,
}

/// One normalized pattern and what it means.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// As written in the lexicon, for reasons a person reads.
    pub text: String,
    pub normalized: String,
    pub meanings: Vec<Meaning>,
    pub weight: u8,
}

pub struct Known<'a> {
    pub situations: &'a dyn Fn(&str) -> bool,
    pub outcomes: &'a dyn Fn(&str) -> bool,
    pub windows: &'a dyn Fn(&str) -> bool,
}

/// Parses the lexicon; problems come back with the span they point at.
pub fn parse(text: &str, known: &Known<'_>) -> Result<Vec<Phrase>, Vec<(Range<usize>, String)>> {
    let file: LexiconFile = crate::load::parse_spanned(text)?;
    let mut problems = Vec::new();
    let mut phrases = Vec::new();
    let mut push = |pattern: &str, meanings: Vec<Meaning>, weight: u8| {
        let normalized = normalize(pattern);
        if !normalized.is_empty() {
            phrases.push(Phrase {
                text: pattern.to_owned(),
                normalized,
                meanings,
                weight,
            });
        }
    };
    for pattern in &file.crisis.first_person {
        push(pattern, vec![Meaning::Crisis], 3);
    }
    for pattern in &file.crisis.report_context {
        push(pattern, vec![Meaning::ReportContext], 1);
    }
    for pattern in &file.crisis.related {
        push(pattern, vec![Meaning::CrisisRelated], 1);
    }
    for entry in file.entry {
        let mut meanings = Vec::new();
        for situation in &entry.situations {
            if (known.situations)(situation.get_ref()) {
                meanings.push(Meaning::Situation(situation.get_ref().clone()));
            } else {
                problems.push((
                    situation.span(),
                    format!(
                        "situation `{}` is not in situations.toml",
                        situation.get_ref()
                    ),
                ));
            }
        }
        for outcome in &entry.outcomes {
            if (known.outcomes)(outcome.get_ref()) {
                meanings.push(Meaning::Outcome(outcome.get_ref().clone()));
            } else {
                problems.push((
                    outcome.span(),
                    format!("outcome `{}` is not in situations.toml", outcome.get_ref()),
                ));
            }
        }
        if let Some(audience) = &entry.audience {
            match AudienceGroup::parse(audience.get_ref()) {
                Some(group) => meanings.push(Meaning::Audience(group)),
                None => problems.push((
                    audience.span(),
                    format!("audience `{}` is not known", audience.get_ref()),
                )),
            }
        }
        for (window, strength) in &entry.windows {
            if (known.windows)(window) {
                meanings.push(Meaning::Window(window.clone(), *strength.get_ref()));
            } else {
                problems.push((strength.span(), format!("window `{window}` does not exist")));
            }
        }
        if meanings.is_empty() {
            problems.push((
                entry.patterns.span(),
                "an entry needs situations, outcomes, an audience or windows".to_owned(),
            ));
        }
        for pattern in entry.patterns.get_ref() {
            push(pattern, meanings.clone(), entry.weight);
        }
    }
    if problems.is_empty() {
        Ok(phrases)
    } else {
        Err(problems)
    }
}
