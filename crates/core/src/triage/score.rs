//! Stage 7, score: every signal adds up. Names, situations and outcomes from the lexicon or
//! the guided answers, platforms, places and the full text all contribute to one score per
//! window, so that one missing phrase does not lose the answer; then the person's group,
//! region, filters and wish to talk adjust it.

use std::ops::Range;

use super::answer::{Query, Region};
use super::lexicon::{Signal, Signals};
use super::names::NameHit;
use crate::model::{AreaScope, AudienceGroup, Cost, Directory, Window, WindowKind};

/// A window named by its own name comes first whatever else the text says.
const NAMED: f64 = 100.0;
/// A name typed with a typo (most of its bigrams) still puts its window first in a short
/// text.
const FUZZY_NAME: f64 = 40.0;
/// How a window was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Exact,
    Fuzzy,
    Shared,
}
/// A name several windows share (法務局) lifts each of them a little.
const SHARED_NAME: f64 = 12.0;
/// A window for children, when the words say a child writes.
const CHILD_FIRST: f64 = 1.7;
/// Full-text coverage below this is noise (one common bigram).
const MIN_COVERAGE: f64 = 0.2;
/// Without any other signal a window must cover this much of the query to be shown.
const MIN_COVERAGE_ALONE: f64 = 0.3;
/// …unless no window does: then the best ones down to this share are shown, as unsure.
const MIN_COVERAGE_LAST: f64 = 0.08;
/// With situations known, a window that fits none of them needs this much coverage.
const MIN_COVERAGE_BESIDE: f64 = 0.5;

/// Every window's fit for every situation and outcome as numbers, built once: scoring a large
/// directory compares no strings.
#[derive(Debug, Clone, Default)]
pub struct FitTable {
    situations: Vec<String>,
    outcomes: Vec<String>,
    /// windows × situations, row by row.
    situation_fit: Vec<u8>,
    /// windows × outcomes, row by row.
    outcome_fit: Vec<u8>,
    /// For each situation, the windows that fit it at all.
    by_situation: Vec<Vec<usize>>,
    /// For each outcome, the windows that deliver it at all.
    by_outcome: Vec<Vec<usize>>,
}

impl FitTable {
    pub fn new(directory: &Directory) -> FitTable {
        let situations: Vec<String> = directory.situations.iter().map(|s| s.id.clone()).collect();
        let outcomes: Vec<String> = directory.outcomes.iter().map(|o| o.id.clone()).collect();
        let mut situation_fit = Vec::with_capacity(directory.windows.len() * situations.len());
        let mut outcome_fit = Vec::with_capacity(directory.windows.len() * outcomes.len());
        let mut by_situation = vec![Vec::new(); situations.len()];
        let mut by_outcome = vec![Vec::new(); outcomes.len()];
        for (index, window) in directory.windows.iter().enumerate() {
            for (column, situation) in situations.iter().enumerate() {
                let fit = window.situation_fit(situation);
                situation_fit.push(fit);
                if fit > 0 {
                    by_situation[column].push(index);
                }
            }
            for (column, outcome) in outcomes.iter().enumerate() {
                let fit = window.outcome_fit(outcome);
                outcome_fit.push(fit);
                if fit > 0 {
                    by_outcome[column].push(index);
                }
            }
        }
        FitTable {
            situations,
            outcomes,
            situation_fit,
            outcome_fit,
            by_situation,
            by_outcome,
        }
    }

    pub fn situation(&self, id: &str) -> Option<usize> {
        self.situations.iter().position(|s| s == id)
    }

    pub fn outcome(&self, id: &str) -> Option<usize> {
        self.outcomes.iter().position(|o| o == id)
    }

    pub fn situation_fit(&self, window: usize, situation: usize) -> u8 {
        self.situation_fit
            .get(window * self.situations.len() + situation)
            .copied()
            .unwrap_or(0)
    }

    pub fn outcome_fit(&self, window: usize, outcome: usize) -> u8 {
        self.outcome_fit
            .get(window * self.outcomes.len() + outcome)
            .copied()
            .unwrap_or(0)
    }
}

/// The query resolved once, for scoring every window.
pub struct Scoring<'a> {
    pub directory: &'a Directory,
    pub fits: &'a FitTable,
    /// The signals' situations and outcomes, resolved to table columns.
    situation_signals: Vec<(usize, &'a str, &'a Signal)>,
    outcome_signals: Vec<(usize, &'a str, &'a Signal)>,
    pub query: &'a Query<'a>,
    pub signals: &'a Signals,
    /// Window index → (how it was named, byte range of the name in the text).
    pub names: Vec<(usize, Naming, Range<usize>)>,
    /// Windows whose own name is the whole text.
    named_whole: Vec<usize>,
    /// Window index → the share of the query found in its text (0 when none).
    pub fulltext: Vec<f64>,
    /// Window indexes serving a municipality the text names, with the words.
    pub places: Vec<(usize, Range<usize>)>,
    pub audience: Option<AudienceGroup>,
    pub region: Option<Region>,
    pub wants_to_talk: bool,
    /// The coverage a window needs when nothing else points to it.
    min_coverage_alone: f64,
}

/// What made a window's score, kept for the reasons.
#[derive(Debug, Clone, Default)]
pub struct Why {
    pub named: Option<Range<usize>>,
    pub shared_name: Option<Range<usize>>,
    pub platform: Option<Range<usize>>,
    /// (situation id, words, specialist)
    pub situations: Vec<(String, Option<Range<usize>>, bool)>,
    pub outcomes: Vec<String>,
    pub audience: bool,
    pub place: Option<Range<usize>>,
    /// Words of the query are in the window's text.
    pub words: bool,
}

impl<'a> Scoring<'a> {
    pub fn new(
        directory: &'a Directory,
        fits: &'a FitTable,
        query: &'a Query<'a>,
        signals: &'a Signals,
        name_hits: &[NameHit],
        fulltext: Vec<(usize, f64)>,
        places: Vec<(usize, Range<usize>)>,
    ) -> Scoring<'a> {
        let mut names = Vec::new();
        let named_whole: Vec<usize> = name_hits
            .iter()
            .filter(|hit| hit.whole && !hit.shared && !hit.fuzzy)
            .flat_map(|hit| hit.windows.iter().copied())
            .collect();
        for hit in name_hits {
            let naming = match (hit.shared, hit.fuzzy) {
                (true, _) => Naming::Shared,
                (false, true) => Naming::Fuzzy,
                (false, false) => Naming::Exact,
            };
            for index in &hit.windows {
                names.push((*index, naming, hit.start..hit.end));
            }
        }
        let best_share = fulltext.iter().map(|(_, share)| *share).fold(0.0, f64::max);
        let min_coverage_alone = if best_share >= MIN_COVERAGE_ALONE {
            MIN_COVERAGE_ALONE
        } else {
            (best_share * 0.8).max(MIN_COVERAGE_LAST)
        };
        let mut coverage = vec![0.0; directory.windows.len()];
        for (index, share) in fulltext {
            if let Some(slot) = coverage.get_mut(index) {
                *slot = share;
            }
        }
        let wants_to_talk = ["consult", "listen"]
            .iter()
            .any(|o| signals.outcomes.contains_key(*o))
            && !["report", "delete-for-me"]
                .iter()
                .any(|o| signals.outcomes.contains_key(*o));
        let region = query
            .region
            .or_else(|| (!places.is_empty()).then_some(Region::Saga));
        let situation_signals = signals
            .situations
            .iter()
            .filter_map(|(id, s)| fits.situation(id).map(|c| (c, id.as_str(), s)))
            .collect();
        let outcome_signals = signals
            .outcomes
            .iter()
            .filter_map(|(id, s)| fits.outcome(id).map(|c| (c, id.as_str(), s)))
            .collect();
        Scoring {
            directory,
            fits,
            situation_signals,
            outcome_signals,
            query,
            signals,
            names,
            named_whole,
            fulltext: coverage,
            places,
            audience: query.audience.or_else(|| signals.audience()),
            region,
            wants_to_talk,
            min_coverage_alone,
        }
    }

    /// The windows `assess` may accept, in index order: those that fit a situation or outcome
    /// of the signals, are named, are a named platform or place, or share enough words. On a
    /// large directory most windows fit none of these and are never looked at.
    pub fn candidates(&self) -> Vec<usize> {
        let mut windows: Vec<usize> = Vec::new();
        for (column, _, _) in &self.situation_signals {
            windows.extend(&self.fits.by_situation[*column]);
        }
        for (column, _, _) in &self.outcome_signals {
            windows.extend(&self.fits.by_outcome[*column]);
        }
        windows.extend(self.names.iter().map(|(index, _, _)| *index));
        windows.extend(self.signals.platforms.keys());
        windows.extend(self.places.iter().map(|(index, _)| *index));
        let floor = MIN_COVERAGE.min(self.min_coverage_alone);
        windows.extend(
            self.fulltext
                .iter()
                .enumerate()
                .filter(|(_, share)| **share >= floor)
                .map(|(index, _)| index),
        );
        windows.sort_unstable();
        windows.dedup();
        windows
    }

    /// The window's score, or `None` when it does not fit or a filter excludes it. With
    /// `why`, also records what made the score.
    pub fn assess(&self, index: usize, window: &Window, mut why: Option<&mut Why>) -> Option<f64> {
        // 110 and 119 head every answer on their own; as a result card only when the text is
        // that very number or name and nothing else (「110番」), so that it comes first there
        // too, and never beside other words (110番するほどではない, こども人権110).
        if window.kind == WindowKind::Emergency && !self.named_whole.contains(&index) {
            return None;
        }
        let signals = self.signals;
        let mut record = |f: &mut dyn FnMut(&mut Why)| {
            if let Some(why) = why.as_deref_mut() {
                f(why);
            }
        };

        let mut name_score = 0.0;
        for (named, naming, at) in &self.names {
            if *named == index {
                match naming {
                    Naming::Shared => {
                        name_score += SHARED_NAME;
                        record(&mut |w| w.shared_name = Some(at.clone()));
                    }
                    Naming::Fuzzy => {
                        name_score += FUZZY_NAME;
                        record(&mut |w| w.named = Some(at.clone()));
                    }
                    Naming::Exact => {
                        name_score += NAMED;
                        record(&mut |w| w.named = Some(at.clone()));
                    }
                }
            }
        }

        let mut situation_score = 0.0;
        for (column, id, signal) in &self.situation_signals {
            let fit = f64::from(self.fits.situation_fit(index, *column));
            if fit > 0.0 {
                situation_score += signal.weight * fit;
                record(&mut |w| {
                    w.situations
                        .push(((*id).to_owned(), signal.at.clone(), fit >= 3.0));
                });
            }
        }
        let mut outcome_score = 0.0;
        for (column, id, signal) in &self.outcome_signals {
            let fit = f64::from(self.fits.outcome_fit(index, *column));
            if fit > 0.0 {
                outcome_score += signal.weight * fit;
                record(&mut |w| w.outcomes.push((*id).to_owned()));
            }
        }
        let platform = signals.platforms.get(&index);
        let platform_score = platform.map_or(0.0, |p| p.weight * 2.0);
        if let Some(platform) = platform {
            record(&mut |w| w.platform = platform.at.clone());
        }
        let place = self.places.iter().find(|(i, _)| *i == index);
        let place_score = if let Some((_, at)) = place {
            record(&mut |w| w.place = Some(at.clone()));
            6.0
        } else {
            0.0
        };

        let share = Some(self.fulltext[index])
            .filter(|share| *share >= MIN_COVERAGE.min(self.min_coverage_alone))
            .unwrap_or(0.0);

        let situations_known = !signals.situations.is_empty();
        let fits = situation_score > 0.0
            || name_score > 0.0
            || platform_score > 0.0
            || place_score > 0.0
            || signals.explicit_outcome && outcome_score > 0.0;
        let included = if situations_known {
            fits || share >= MIN_COVERAGE_BESIDE
        } else if !signals.is_empty() {
            fits || outcome_score > 0.0 || share >= MIN_COVERAGE_ALONE
        } else {
            fits || share >= self.min_coverage_alone
        };
        if !included {
            return None;
        }
        let fulltext_weight = if signals.is_empty() && self.names.is_empty() {
            12.0
        } else {
            4.0
        };
        if share > 0.0 {
            record(&mut |w| w.words = true);
        }
        let mut score = name_score
            + situation_score * 3.0
            + outcome_score * 1.5
            + platform_score
            + place_score
            + share * fulltext_weight;

        // A window for people who speak another language comes after the others unless the
        // person writes in another language or says they are from abroad.
        if window
            .audience
            .groups
            .contains(&AudienceGroup::ForeignResidents)
            && self.audience != Some(AudienceGroup::ForeignResidents)
        {
            score *= 0.6;
        }
        if self.audience.is_none() && !window.audience.groups.contains(&AudienceGroup::Anyone) {
            // Until we know who asks, windows for everyone come before windows for one group.
            score *= 0.8;
        }
        if let Some(group) = self.audience {
            if window.audience.groups.contains(&group) {
                // Children come first when the words say child: a child's line beats a
                // specialist window for everyone.
                score *= if group == AudienceGroup::Children {
                    CHILD_FIRST
                } else {
                    1.3
                };
                record(&mut |w| w.audience = true);
            } else if !(window.audience.groups.contains(&AudienceGroup::Anyone)
                || group == AudienceGroup::Guardians
                    && window.audience.groups.contains(&AudienceGroup::Children))
            {
                score *= 0.3;
            }
        }
        if window.audience.max_age.is_some_and(|max| max <= 18)
            && matches!(
                self.audience,
                Some(AudienceGroup::Guardians | AudienceGroup::Teachers)
            )
        {
            score *= 0.5;
        }
        match (window.area.scope, self.region) {
            (AreaScope::Saga, Some(Region::Elsewhere)) => score *= 0.4,
            (AreaScope::Municipalities, _) if name_score == 0.0 && place_score == 0.0 => {
                score *= 0.3;
            }
            (AreaScope::Saga, Some(Region::Saga)) => score *= 1.1,
            _ => {}
        }
        if window.kind == WindowKind::ReportOnly && self.wants_to_talk {
            score *= 0.6;
        }
        if !self.passes_filters(window) {
            return None;
        }
        Some(score)
    }

    /// The person's filters: a channel family, free only.
    pub fn passes_filters(&self, window: &Window) -> bool {
        if let Some(family) = self.query.channel
            && !window.channels.iter().any(|c| c.kind.family() == family)
        {
            return false;
        }
        !self.query.free_only
            || window.channels.iter().any(|c| {
                c.cost.is_free()
                    || c.cost == Cost::FreeInArea && self.region != Some(Region::Elsewhere)
            })
    }
}
