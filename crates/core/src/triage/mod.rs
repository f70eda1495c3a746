//! Triage: from a person's situation to the right windows, with reasons, crisis first.
//!
//! The pipeline, one file per stage:
//!
//! 1. `normalize`: fold width, case and kana; keep scripts and breaks for segmentation.
//! 2. `segment`: a phrase matches only where it stands as a word (no ライン in ホットライン).
//! 3. `crisis`: does the person, or someone they know, want to die or hurt themself?
//! 4. `names`: the window's own name, alias, reading or number.
//! 5. `lexicon`: phrases that point to situations, outcomes, audiences and platforms.
//! 6. `fulltext`: the windows' own texts, as bigrams, for words the lexicon lacks.
//! 7. `score`: every signal adds up into one score per window.
//! 8. `explain`: hours, reasons and notes for the finalists; crisis lines first.
//! 9. `advise`: the first steps for the situation and the services' own help pages.
//!
//! `Engine::new` builds every index once from a `Directory`; `Engine::triage` is pure and
//! never fails: empty, long or odd input gives an answer with warnings. 110 and 119 come back
//! in `Answer::emergency` on every answer.

pub mod advise;
pub mod answer;
pub mod crisis;
pub mod explain;
pub mod fulltext;
pub mod lexicon;
pub mod names;
pub mod normalize;
pub mod romaji;
pub mod score;
pub mod segment;

use std::collections::HashSet;

pub use answer::{
    Answer, Certainty, Crisis, MAX_CRISIS_LINES, MAX_QUERY_CHARS, MAX_RESULTS, Note, Query, Ranked,
    Reason, Region, Warning,
};
pub use crisis::{Finding, Subject};

use crate::model::{Directory, Window, WindowKind};
use fulltext::FullText;
use normalize::{Normalized, fold, normalize};
use score::Scoring;
use segment::{Phrases, Segmenter, Segments};

/// Embeddings, overrides, isolates and marks that change the direction of text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// How much of a long text past the cut is still read for a crisis.
const MAX_CRISIS_SCAN_CHARS: usize = 50_000;
/// The crisis scan past the cut starts this far before it, so words across it are seen.
const CUT_OVERLAP: usize = 20;

/// Crisis lines first in a two-part answer, before the windows for what happened.
const TWO_PART_CRISIS_LINES: usize = 2;

/// Everything triage needs besides the directory, built once from it.
#[derive(Debug, Clone)]
pub struct Engine {
    segmenter: Segmenter,
    crisis: crisis::Detector,
    names: names::Names,
    lexicon: lexicon::Lexicon,
    fulltext: FullText,
    fits: score::FitTable,
    /// Municipality names (and their stems, 伊万里 for 伊万里市) → code.
    places: Phrases,
    place_codes: Vec<String>,
    /// Windows the index was built for: a different directory is refused quietly.
    windows: usize,
}

/// The text of a window that full-text search looks at.
pub fn document_of(window: &Window, directory: &Directory) -> String {
    let mut text = format!(
        "{} {} {} {}",
        window.name,
        window.short_name.as_deref().unwrap_or_default(),
        window.summary,
        window.description.as_deref().unwrap_or_default()
    );
    for word in window.keywords.iter().chain(&window.aliases) {
        text.push(' ');
        text.push_str(word);
    }
    for fit in &window.situations {
        if let Some(situation) = directory.situation(&fit.id) {
            text.push(' ');
            text.push_str(&situation.name);
        }
    }
    fold(&text)
}

impl Engine {
    pub fn new(directory: &Directory) -> Engine {
        let names = names::Names::new(directory);
        let lexicon = lexicon::Lexicon::new(directory);
        let compounds: Vec<String> = directory
            .lexicon
            .words
            .iter()
            .map(|w| fold(w))
            .chain(names.folded().map(str::to_owned))
            .collect();
        // Only katakana words can cut a katakana run; the rest would only slow the build.
        let has_katakana = |w: &str| w.chars().any(|c| matches!(c, 'ァ'..='ヺ' | 'ｦ'..='ﾟ'));
        let window_names: Vec<String> = directory
            .windows
            .iter()
            .flat_map(|w| names::names_of(w).into_iter().map(|(name, _)| name))
            .collect();
        let words: Vec<String> = lexicon::Lexicon::patterns(directory)
            .chain(directory.lexicon.words.iter().map(String::as_str))
            .chain(window_names.iter().map(String::as_str))
            .filter(|w| has_katakana(w))
            .map(|w| fold(w.trim_end_matches('*')))
            .collect();
        let segmenter = Segmenter::new(
            words.iter().map(String::as_str),
            compounds.iter().map(String::as_str),
        );
        let documents: Vec<String> = directory
            .windows
            .iter()
            .map(|w| document_of(w, directory))
            .collect();
        let mut place_names = Vec::new();
        let mut place_codes = Vec::new();
        for municipality in &directory.municipalities {
            place_names.push(municipality.name.clone());
            place_codes.push(municipality.code.clone());
            let stem = municipality.name.trim_end_matches(['市', '町', '村']);
            if stem.chars().count() >= 2 && stem != municipality.name {
                place_names.push(stem.to_owned());
                place_codes.push(municipality.code.clone());
            }
        }
        Engine {
            crisis: crisis::Detector::new(&directory.lexicon.crisis),
            segmenter,
            names,
            lexicon,
            fulltext: FullText::new(&documents),
            fits: score::FitTable::new(directory),
            places: Phrases::new(place_names.iter().map(String::as_str)),
            place_codes,
            windows: directory.windows.len(),
        }
    }

    /// The crisis stage alone, for tests and tools.
    pub fn crisis(&self, text: &str) -> Finding {
        let normalized = normalize(text);
        self.crisis.detect(&self.segmenter.segment(&normalized))
    }

    /// A crisis in the words past `MAX_QUERY_CHARS`, if any.
    fn crisis_beyond_cut(&self, rest: &str) -> Option<Crisis> {
        if rest.is_empty() {
            return None;
        }
        let normalized = normalize(rest);
        match self.crisis.detect(&self.segmenter.segment(&normalized)) {
            Finding::Crisis {
                subject,
                act_done,
                at,
            } => Some(Crisis {
                subject,
                act_done,
                words: normalized.original(rest, at).to_owned(),
            }),
            _ => None,
        }
    }

    /// Ranks the directory's windows for a query. Never fails.
    pub fn triage(&self, directory: &Directory, query: &Query<'_>) -> Answer {
        let mut warnings = Vec::new();
        // Control characters and bidi controls go: a reason quotes the person's words, and an
        // unbalanced U+202E would turn the rest of a page around.
        let mut text: String = query
            .text
            .chars()
            .filter(|c| !c.is_control() && !is_bidi_control(*c))
            .collect();
        // Words past the cut are not ranked, but they are read for a crisis: a long story
        // may say at its end what matters most.
        let mut beyond_cut = String::new();
        if text.chars().count() > MAX_QUERY_CHARS {
            beyond_cut = text
                .chars()
                .skip(MAX_QUERY_CHARS.saturating_sub(CUT_OVERLAP))
                .take(MAX_CRISIS_SCAN_CHARS)
                .collect();
            text = text.chars().take(MAX_QUERY_CHARS).collect();
            warnings.push(Warning::Truncated {
                max: MAX_QUERY_CHARS,
            });
        }
        if directory.windows.len() != self.windows {
            // Built for another directory: answer with the emergency numbers only.
            return empty_answer(directory, text, warnings);
        }
        let normalized = normalize(&text);

        let segments = self.segmenter.segment(&normalized);
        let finding = self.crisis.detect(&segments);
        let name_hits = self.names.find(&segments);
        let mut signals = self.lexicon.signals(&segments, &name_hits);
        add_guided(directory, query, &mut signals);
        if writes_in_latin(&normalized) {
            *signals
                .audiences
                .entry(crate::model::AudienceGroup::ForeignResidents)
                .or_default() += 1.0;
        }
        if writes_like_a_child(&normalized) {
            *signals
                .audiences
                .entry(crate::model::AudienceGroup::Children)
                .or_default() += 3.0;
        }
        if finding == (Finding::Related { post: true }) {
            // A stranger's suicide-related post: a reporting case.
            let signal = signals
                .situations
                .entry("illegal-content".to_owned())
                .or_default();
            signal.weight += 3.0;
            signal.best = signal.best.max(3);
            signals
                .outcomes
                .entry("report".to_owned())
                .or_default()
                .weight += 2.0;
        }
        let places = self.places(directory, &segments);
        let fulltext = if normalized.text.is_empty() {
            Vec::new()
        } else {
            self.fulltext.scores(&normalized.text)
        };
        let scoring = Scoring::new(
            directory, &self.fits, query, &signals, &name_hits, fulltext, places,
        );
        let quote = explain::Quote {
            original: &text,
            normalized: &normalized,
            fulltext: &self.fulltext,
        };

        let guided_crisis = query.situation == Some("crisis");
        let crisis = match &finding {
            Finding::Crisis {
                subject,
                act_done,
                at,
            } => Some(Crisis {
                subject: *subject,
                act_done: *act_done,
                words: normalized.original(&text, at.clone()).to_owned(),
            }),
            _ if guided_crisis => Some(Crisis {
                subject: Subject::Myself,
                act_done: false,
                words: String::new(),
            }),
            _ => self.crisis_beyond_cut(&beyond_cut),
        };
        let crisis_lines = match &crisis {
            Some(crisis) => {
                // A two-part problem (defamed and wanting to die) keeps room for the windows
                // of what happened right after the first crisis lines.
                let two_part = signals.situations.keys().any(|s| s != "crisis");
                let limit = if two_part {
                    TWO_PART_CRISIS_LINES
                } else {
                    MAX_CRISIS_LINES
                };
                explain::crisis_lines(&scoring, crisis.subject, scoring.audience, limit)
            }
            None => Vec::new(),
        };
        let exclude: HashSet<usize> = crisis_lines
            .iter()
            .filter_map(|r| directory.window_index.get(&r.id).copied())
            .collect();
        let (results, candidates) = explain::rank(&scoring, &quote, &exclude);

        let named = name_hits.iter().any(|n| !n.shared && !n.fuzzy);
        let certainty = if crisis.is_some()
            || named
            || signals.best_situation() >= 3
            || query.situation.is_some()
        {
            Certainty::Sure
        } else if !signals.is_empty() || !name_hits.is_empty() {
            Certainty::Likely
        } else if !results.is_empty() {
            Certainty::Unsure
        } else {
            Certainty::None
        };
        if normalized.text.is_empty() && query.situation.is_none() {
            warnings.push(Warning::Empty);
        } else if results.is_empty() && crisis_lines.is_empty() {
            warnings.push(Warning::NoMatch);
        } else if certainty == Certainty::Unsure {
            warnings.push(Warning::Unsure);
        }
        if crisis.is_none()
            && !results.is_empty()
            && !results.iter().take(3).any(|r| r.state.is_open())
        {
            match explain::open_instead(&scoring, &results, &candidates) {
                Some(window) => warnings.push(Warning::OpenInstead {
                    window: window.id.clone(),
                }),
                None => warnings.push(Warning::AllClosed),
            }
        }
        let crisis_line = (crisis.is_none() && matches!(finding, Finding::Related { .. }))
            .then(|| explain::always_open_line(directory, scoring.audience).map(|w| w.id.clone()))
            .flatten();
        if crisis_line.is_some() {
            warnings.push(Warning::CrisisLineBelow);
        }
        let mut emergency = emergency_ids(directory);
        if crisis.as_ref().is_some_and(|c| c.act_done) {
            emergency.sort_by_key(|id| !id.contains("119"));
        }
        let situations = signals.strongest_situations();
        let sections = advise::advise(
            directory,
            query.situation,
            &situations,
            &signals.services,
            crisis.is_some(),
            certainty,
        );
        Answer {
            query: text,
            crisis,
            crisis_lines,
            emergency,
            results,
            crisis_line,
            situations,
            services: signals.services.clone(),
            sections,
            certainty,
            warnings,
        }
    }

    /// Every name, alias, reading and number of every window, typed alone, and the windows it
    /// did not put first: (the name, its window, what came first instead). A shared alias is
    /// found when one of its windows comes first; an emergency number when it is in
    /// `emergency`, which every answer shows above all.
    pub fn names_not_first(
        &self,
        directory: &Directory,
        at: jiff::Timestamp,
    ) -> (usize, Vec<(String, String, Option<String>)>) {
        let mut total = 0;
        let mut misses = Vec::new();
        let organization_aliases = directory.windows.iter().flat_map(|window| {
            directory
                .organization(&window.organization)
                .into_iter()
                .flat_map(|o| o.aliases.iter().map(|a| (a.clone(), true)))
                .map(move |alias| (window, alias))
        });
        let own_names = directory.windows.iter().flat_map(|window| {
            names::names_of(window)
                .into_iter()
                .map(move |n| (window, n))
        });
        for (window, (name, shared)) in own_names.chain(organization_aliases) {
            {
                total += 1;
                let answer = self.triage(directory, &Query::text(&name, at));
                let top = answer.ranked().next().map(|r| r.id.clone());
                let found = if window.kind == WindowKind::Emergency {
                    answer.emergency.contains(&window.id)
                } else if shared {
                    // One of the windows that share the name: by a shared alias, or run by
                    // the same organization.
                    top.as_deref()
                        .and_then(|id| directory.window(id))
                        .is_some_and(|w| {
                            w.shared_aliases.contains(&name)
                                || w.organization == window.organization
                        })
                } else {
                    top.as_deref() == Some(window.id.as_str())
                };
                if !found {
                    misses.push((name, window.id.clone(), top));
                }
            }
        }
        (total, misses)
    }

    /// Windows that serve a municipality the text names (伊万里, 多久市).
    fn places(
        &self,
        directory: &Directory,
        text: &Segments<'_>,
    ) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut places = Vec::new();
        for found in self.places.find(text) {
            let code = &self.place_codes[found.phrase];
            for (index, window) in directory.windows.iter().enumerate() {
                if window.area.municipalities.iter().any(|m| m == code) {
                    places.push((index, found.start..found.end));
                }
            }
        }
        places
    }
}

/// Text in hiragana alone (no kanji, at least a few words) is how young children write:
/// 「ともだちに しゃしんを のせられた」.
fn writes_like_a_child(text: &Normalized) -> bool {
    use normalize::Script;
    let hiragana = text
        .chars
        .iter()
        .filter(|c| c.script == Script::Hiragana)
        .count();
    let kanji = text.chars.iter().any(|c| c.script == Script::Kanji);
    // Words spaced one by one (「ぎんこうから メールが きました」) is how people who learn
    // Japanese write, as often as children: no guess then.
    let spaced = text.chars.iter().filter(|c| c.break_before).count() >= 3;
    !kanji && !spaced && hiragana >= 8 && hiragana * 10 >= text.chars.len() * 8
}

/// Text mostly in Latin letters (English, romaji) is how many people from abroad write.
fn writes_in_latin(text: &Normalized) -> bool {
    use normalize::Script;
    let latin = text
        .chars
        .iter()
        .filter(|c| c.script == Script::Latin)
        .count();
    latin >= 8 && latin * 10 >= text.chars.len() * 7
}

/// Guided answers enter the same scoring as explicit signals.
fn add_guided(directory: &Directory, query: &Query<'_>, signals: &mut lexicon::Signals) {
    if let Some(situation) = query.situation.filter(|s| directory.situation(s).is_some()) {
        let signal = signals.situations.entry(situation.to_owned()).or_default();
        signal.weight += 6.0;
        signal.best = 3;
        signal.at = None;
    }
    if let Some(outcome) = query.outcome.filter(|o| directory.outcome(o).is_some()) {
        signals
            .outcomes
            .entry(outcome.to_owned())
            .or_default()
            .weight += 15.0;
        signals.explicit_outcome = true;
    }
    if let Some(audience) = query.audience {
        *signals.audiences.entry(audience).or_default() += 6.0;
    }
}

fn emergency_ids(directory: &Directory) -> Vec<String> {
    directory
        .windows
        .iter()
        .filter(|w| w.kind == WindowKind::Emergency)
        .map(|w| w.id.clone())
        .collect()
}

fn empty_answer(directory: &Directory, text: String, warnings: Vec<Warning>) -> Answer {
    Answer {
        query: text,
        crisis: None,
        crisis_lines: Vec::new(),
        emergency: emergency_ids(directory),
        results: Vec::new(),
        crisis_line: None,
        situations: Vec::new(),
        services: Vec::new(),
        sections: advise::Sections::default(),
        certainty: Certainty::None,
        warnings,
    }
}
