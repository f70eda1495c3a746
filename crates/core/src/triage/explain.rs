//! Stage 8, explain: the finalists get their opening hours, their reasons (in the person's own
//! words, as codes) and their notes; crisis lines are ordered for the person; a closed answer
//! names an open window for the same need.

use std::collections::HashSet;

use super::answer::{MAX_RESULTS, Note, Ranked, Reason, Region};
use super::crisis::Subject;
use super::fulltext::FullText;
use super::normalize::Normalized;
use super::score::{Scoring, Why};
use crate::hours::OpenState;
use crate::model::{AudienceGroup, Cost, Directory, Window};

/// At most this many candidates get their opening hours computed: ties beyond it keep their
/// order. It bounds the cost on a large directory with many equally good windows.
const MAX_WITH_HOURS: usize = 64;

/// Being open now lifts a window by this factor: enough to rank an open window above an
/// equally good closed one, not enough to put a poor fit on top.
const OPEN_BONUS: f64 = 1.05;

/// Quotes the person's words behind a normalized byte range or a char range.
pub struct Quote<'a> {
    pub original: &'a str,
    pub normalized: &'a Normalized,
    pub fulltext: &'a FullText,
}

impl Quote<'_> {
    fn bytes(&self, range: Option<&std::ops::Range<usize>>) -> String {
        range.map_or_else(String::new, |r| {
            self.normalized
                .original(self.original, r.clone())
                .to_owned()
        })
    }

    fn chars(&self, range: &std::ops::Range<usize>) -> String {
        let chars = &self.normalized.chars;
        match (
            chars.get(range.start),
            chars.get(range.end.saturating_sub(1)),
        ) {
            (Some(first), Some(last)) if range.end > range.start => self
                .original
                .get(first.source.start..last.source.end)
                .unwrap_or_default()
                .to_owned(),
            _ => String::new(),
        }
    }
}

/// Scores every window, keeps the best, and adds hours, reasons and notes.
/// The ranked windows, and every candidate with its score (for `open_instead`).
pub fn rank(
    scoring: &Scoring<'_>,
    quote: &Quote<'_>,
    exclude: &HashSet<usize>,
) -> (Vec<Ranked>, Vec<(usize, f64)>) {
    let directory = scoring.directory;
    let query = scoring.query;
    let mut candidates: Vec<(usize, f64)> = scoring
        .candidates()
        .into_iter()
        .filter(|index| !exclude.contains(index))
        .filter_map(|index| {
            scoring
                .assess(index, &directory.windows[index], None)
                .map(|s| (index, s))
        })
        .collect();
    let all = candidates.clone();
    let order =
        |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if candidates.len() > MAX_WITH_HOURS {
        candidates.select_nth_unstable_by(MAX_WITH_HOURS, order);
        candidates.truncate(MAX_WITH_HOURS);
    }
    candidates.sort_by(order);
    let cutoff = match candidates.get(MAX_RESULTS - 1) {
        Some(kth) if !query.open_now => kth.1 / OPEN_BONUS,
        _ => f64::MIN,
    };
    let mut results = Vec::new();
    for (index, score) in candidates {
        if score < cutoff || query.open_now && results.len() >= MAX_RESULTS {
            break;
        }
        let window = &directory.windows[index];
        let state = window.state_by(query.channel, query.at, &directory.holidays);
        if query.open_now && !state.is_open() {
            continue;
        }
        let score = if state.is_open() {
            score * OPEN_BONUS
        } else {
            score
        };
        let mut why = Why::default();
        scoring.assess(index, window, Some(&mut why));
        results.push(Ranked {
            id: window.id.clone(),
            score: (score * 100.0).round() / 100.0,
            reasons: reasons(index, &why, scoring, quote),
            notes: notes(window, scoring.region, state.clone()),
            state,
        });
    }
    results.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    if scoring.wants_to_talk
        && results
            .first()
            .is_some_and(|r| is_report_only(directory, &r.id))
        && let Some(position) = results
            .iter()
            .position(|r| !is_report_only(directory, &r.id))
    {
        let talk = results.remove(position);
        results.insert(0, talk);
    }
    results.truncate(MAX_RESULTS);
    (results, all)
}

fn reasons(index: usize, why: &Why, scoring: &Scoring<'_>, quote: &Quote<'_>) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(at) = &why.named {
        reasons.push(Reason::Named {
            words: quote.bytes(Some(at)),
        });
    }
    if let Some(at) = &why.platform {
        reasons.push(Reason::Platform {
            words: quote.bytes(Some(at)),
        });
    }
    if let Some(at) = &why.place {
        reasons.push(Reason::Platform {
            words: quote.bytes(Some(at)),
        });
    }
    if let Some(at) = &why.shared_name {
        reasons.push(Reason::Named {
            words: quote.bytes(Some(at)),
        });
    }
    for (situation, at, specialist) in &why.situations {
        reasons.push(Reason::Situation {
            situation: situation.clone(),
            words: quote.bytes(at.as_ref()),
            specialist: *specialist,
        });
    }
    for outcome in &why.outcomes {
        reasons.push(Reason::Outcome {
            outcome: outcome.clone(),
        });
    }
    if why.audience
        && let Some(audience) = scoring.audience
    {
        reasons.push(Reason::Audience { audience });
    }
    if reasons.is_empty() && why.words {
        let run = quote.fulltext.run(index, &quote.normalized.text);
        let words = quote.chars(&run);
        if words.chars().count() >= 2 {
            reasons.push(Reason::Words { words });
        }
    }
    reasons
}

fn notes(window: &Window, region: Option<Region>, state: OpenState) -> Vec<Note> {
    let mut notes = Vec::new();
    if window.kind == crate::model::WindowKind::ReportOnly {
        notes.push(Note::ReportOnly);
    }
    match window.primary_channel().map(|c| c.cost) {
        Some(Cost::Free) => notes.push(Note::Cost(Cost::Free)),
        Some(Cost::FreeInArea) if region != Some(Region::Elsewhere) => {
            notes.push(Note::Cost(Cost::FreeInArea));
        }
        Some(Cost::NaviDial) => notes.push(Note::Cost(Cost::NaviDial)),
        _ => {}
    }
    notes.push(Note::State(state));
    notes
}

fn is_report_only(directory: &Directory, id: &str) -> bool {
    directory
        .window(id)
        .is_some_and(|w| w.kind == crate::model::WindowKind::ReportOnly)
}

/// The crisis lines for a person in crisis, open ones first, 24-hour and free ones before
/// others, children's lines first for a child and after the others for an adult.
pub fn crisis_lines(
    scoring: &Scoring<'_>,
    subject: Subject,
    audience: Option<AudienceGroup>,
    limit: usize,
) -> Vec<Ranked> {
    let directory = scoring.directory;
    let query = scoring.query;
    let child = audience == Some(AudienceGroup::Children);
    let adult_only = matches!(
        audience,
        Some(AudienceGroup::Women | AudienceGroup::Men | AudienceGroup::Anyone)
    );
    let crisis = scoring.fits.situation("crisis");
    let fit = |index: usize| crisis.map_or(0, |c| scoring.fits.situation_fit(index, c));
    let lines = |filtered: bool| -> Vec<usize> {
        directory
            .windows
            .iter()
            .enumerate()
            .filter(|(index, _)| fit(*index) >= 2)
            .filter(|(_, w)| !filtered || scoring.passes_filters(w))
            .filter(|(_, w)| {
                let children_only = w.audience.max_age.is_some()
                    || !w.audience.groups.contains(&AudienceGroup::Anyone)
                        && w.audience.groups.contains(&AudienceGroup::Children);
                child || !(children_only && adult_only)
            })
            .filter(|(_, w)| {
                scoring.region != Some(Region::Elsewhere)
                    || w.area.scope != crate::model::AreaScope::Saga
            })
            .map(|(index, _)| index)
            .collect()
    };
    let mut found = lines(true);
    if found.is_empty() {
        // A crisis line is worth more than the person's filter.
        found = lines(false);
    }
    // Order by what does not depend on the hour first, so that only the best few need their
    // opening hours worked out; then open ones first.
    found.sort_by_key(|index| {
        let w = &directory.windows[*index];
        let for_children = w.audience.groups.contains(&AudienceGroup::Children);
        let free = w.primary_channel().is_some_and(|c| c.cost.is_free());
        // A voice answers sooner than a chat queue that may be full: calls first.
        let call = w.primary_channel().is_some_and(|c| c.is_call());
        (
            child != for_children,
            !w.always_open(),
            !call,
            !free,
            std::cmp::Reverse(fit(*index)),
            *index,
        )
    });
    let mut found: Vec<(usize, OpenState)> = found
        .into_iter()
        .take(MAX_WITH_HOURS)
        .map(|index| {
            let state =
                directory.windows[index].state_by(query.channel, query.at, &directory.holidays);
            (index, state)
        })
        .filter(|(_, state)| !query.open_now || state.is_open())
        .collect();
    found.sort_by_key(|(_, state)| !state.is_open());
    found
        .into_iter()
        .take(limit)
        .map(|(index, state)| {
            let window = &directory.windows[index];
            let mut reasons = vec![Reason::CrisisLine { subject }];
            if let Some(audience) = audience
                && window.audience.groups.contains(&audience)
            {
                reasons.push(Reason::Audience { audience });
            }
            Ranked {
                id: window.id.clone(),
                score: f64::from(fit(index)),
                reasons,
                notes: notes(window, scoring.region, state.clone()),
                state,
            }
        })
        .collect()
}

/// A crisis line open around the clock that fits the person: the 24-hour children's line for
/// a child, よりそいホットライン otherwise.
pub fn always_open_line(directory: &Directory, audience: Option<AudienceGroup>) -> Option<&Window> {
    let wants_children = audience == Some(AudienceGroup::Children);
    directory
        .windows
        .iter()
        .filter(|w| w.situation_fit("crisis") > 0 && w.always_open())
        .min_by_key(|w| {
            let for_children = w.audience.groups.contains(&AudienceGroup::Children);
            (
                for_children != wants_children,
                std::cmp::Reverse(w.situation_fit("crisis")),
                w.id.clone(),
            )
        })
}

/// When none of the first three is open: the best open candidate for the same need (one of
/// the situations the person's words point to), or `None`.
pub fn open_instead<'a>(
    scoring: &Scoring<'a>,
    results: &[Ranked],
    candidates: &[(usize, f64)],
) -> Option<&'a Window> {
    let directory = scoring.directory;
    let query = scoring.query;
    let shown: HashSet<&str> = results.iter().take(3).map(|r| r.id.as_str()).collect();
    let needs: Vec<usize> = scoring
        .signals
        .situations
        .iter()
        .filter(|(_, s)| s.best >= 2 || s.at.is_none())
        .filter_map(|(id, _)| scoring.fits.situation(id))
        .collect();
    if needs.is_empty() {
        return None;
    }
    let mut fitting: Vec<(usize, f64)> = candidates
        .iter()
        .copied()
        .filter(|(index, _)| {
            needs
                .iter()
                .any(|n| scoring.fits.situation_fit(*index, *n) >= 2)
        })
        .filter(|(index, _)| !shown.contains(directory.windows[*index].id.as_str()))
        .collect();
    fitting.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    fitting
        .into_iter()
        .take(MAX_WITH_HOURS)
        .map(|(index, _)| &directory.windows[index])
        .find(|window| {
            window
                .state_by(query.channel, query.at, &directory.holidays)
                .is_open()
        })
}
