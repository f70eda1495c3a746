//! Stage 5, lexicon: phrases of `data/lexicon.toml` found in the text turn into signals for
//! situations, outcomes, audiences and platforms. A phrase inside a window's name that was
//! found is not counted again (こどもの人権110番 names a window; its 人権 is not a second
//! signal).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::names::NameHit;
use super::segment::{Phrases, Segments};
use crate::lexicon::Meaning;
use crate::model::{AudienceGroup, Directory};

/// One pattern and what it means, resolved against the directory.
#[derive(Debug, Clone)]
struct Pattern {
    meanings: Vec<ResolvedMeaning>,
    weight: u8,
}

#[derive(Debug, Clone)]
enum ResolvedMeaning {
    Situation(String),
    Outcome(String),
    Audience(AudienceGroup),
    Window(usize, u8),
    Service(String),
}

#[derive(Debug, Clone)]
pub struct Lexicon {
    patterns: Vec<Pattern>,
    phrases: Phrases,
}

/// A signal with the strongest phrase behind it.
#[derive(Debug, Clone, Default)]
pub struct Signal {
    pub weight: f64,
    /// The words that gave the strongest part of the signal (normalized byte range), or
    /// `None` for a guided answer.
    pub at: Option<Range<usize>>,
    /// The highest weight of a single phrase (3 names the situation).
    pub best: u8,
}

impl Signal {
    fn add(&mut self, weight: u8, at: Range<usize>) {
        // A phrase that names the situation (3) counts more than twice one that points to it
        // (2): 裸の写真 decides between 性的画像 and a generic 無断掲載 that ネットに上げ points to.
        self.weight += f64::from(weight * weight) / 3.0;
        let longer = self.at.as_ref().is_none_or(|old| at.len() > old.len());
        if weight > self.best || weight == self.best && longer {
            self.best = weight;
            self.at = Some(at);
        }
    }
}

/// What the lexicon (and the guided answers) say about the person's situation.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub situations: BTreeMap<String, Signal>,
    pub outcomes: BTreeMap<String, Signal>,
    pub audiences: BTreeMap<AudienceGroup, f64>,
    /// Window index → a platform or place named in the text.
    pub platforms: HashMap<usize, Signal>,
    /// Services named in the text (`advice.toml` ids), first named first.
    pub services: Vec<String>,
    /// An outcome the person chose in the guided questions.
    pub explicit_outcome: bool,
}

impl Signals {
    pub fn is_empty(&self) -> bool {
        self.situations.is_empty() && self.outcomes.is_empty() && self.platforms.is_empty()
    }

    /// The audience the words point to most.
    pub fn audience(&self) -> Option<AudienceGroup> {
        self.audiences
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(group, _)| *group)
    }

    /// The situations, strongest first (ties by id, so answers are stable).
    pub fn strongest_situations(&self) -> Vec<String> {
        let mut list: Vec<(&String, f64)> = self
            .situations
            .iter()
            .map(|(id, s)| (id, s.weight))
            .collect();
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        list.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// The highest weight of any situation phrase found.
    pub fn best_situation(&self) -> u8 {
        self.situations.values().map(|s| s.best).max().unwrap_or(0)
    }
}

impl Lexicon {
    pub fn new(directory: &Directory) -> Lexicon {
        let mut patterns = Vec::new();
        let mut texts = Vec::new();
        for entry in &directory.lexicon.entries {
            let meanings: Vec<ResolvedMeaning> = entry
                .meanings
                .iter()
                .filter_map(|meaning| match meaning {
                    Meaning::Situation(id) => Some(ResolvedMeaning::Situation(id.clone())),
                    Meaning::Outcome(id) => Some(ResolvedMeaning::Outcome(id.clone())),
                    Meaning::Audience(group) => Some(ResolvedMeaning::Audience(*group)),
                    Meaning::Platform(id) => Some(ResolvedMeaning::Service(id.clone())),
                    Meaning::Window(id, strength) => directory
                        .window_index
                        .get(id)
                        .map(|index| ResolvedMeaning::Window(*index, *strength)),
                })
                .collect();
            for pattern in &entry.patterns {
                texts.push(pattern.as_str());
                patterns.push(Pattern {
                    meanings: meanings.clone(),
                    weight: entry.weight,
                });
            }
        }
        Lexicon {
            phrases: Phrases::new(texts.iter().copied()),
            patterns,
        }
    }

    /// Every pattern as written, for the segmenter's word list.
    pub fn patterns(directory: &Directory) -> impl Iterator<Item = &str> {
        directory
            .lexicon
            .entries
            .iter()
            .flat_map(|e| e.patterns.iter().map(String::as_str))
    }

    pub fn signals(&self, text: &Segments<'_>, names: &[NameHit]) -> Signals {
        let mut signals = Signals::default();
        for found in self.phrases.find(text) {
            if names
                .iter()
                .any(|n| n.start <= found.start && found.end <= n.end)
            {
                continue;
            }
            let pattern = &self.patterns[found.phrase];
            let at = found.start..found.end;
            for meaning in &pattern.meanings {
                match meaning {
                    ResolvedMeaning::Situation(id) => signals
                        .situations
                        .entry(id.clone())
                        .or_default()
                        .add(pattern.weight, at.clone()),
                    ResolvedMeaning::Outcome(id) => signals
                        .outcomes
                        .entry(id.clone())
                        .or_default()
                        .add(pattern.weight, at.clone()),
                    ResolvedMeaning::Audience(group) => {
                        *signals.audiences.entry(*group).or_default() += f64::from(pattern.weight);
                    }
                    ResolvedMeaning::Service(id) => {
                        if !signals.services.contains(id) {
                            signals.services.push(id.clone());
                        }
                    }
                    ResolvedMeaning::Window(index, strength) => signals
                        .platforms
                        .entry(*index)
                        .or_default()
                        .add(pattern.weight * strength, at.clone()),
                }
            }
        }
        signals
    }
}
