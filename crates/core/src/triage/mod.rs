//! Triage: from a person's situation to the right windows, with reasons, crisis first.
//!
//! Free text is normalized (`normalize.rs`) and matched against the lexicon of
//! `data/lexicon.toml` with one Aho-Corasick automaton; what the lexicon does not know falls
//! back to BM25 over character bigrams of the windows' own texts (`bm25.rs`). Guided answers
//! (situation, outcome, audience, region) enter the same scoring as explicit signals.
//! Triage never fails: bad or empty input gives an answer with warnings.

pub mod bm25;
pub mod lexicon;
pub mod normalize;

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use jiff::Timestamp;

use crate::hours::OpenState;
use crate::model::{AreaScope, AudienceGroup, Cost, Directory, Window, WindowKind};
use bm25::Bm25;
use lexicon::{Meaning, Phrase};
use normalize::normalize;

/// Longer text is cut to this many characters, with a warning: a person who pastes a long
/// message still gets an answer, and matching stays fast.
pub const MAX_QUERY_CHARS: usize = 500;
/// How many results an answer lists at most.
pub const MAX_RESULTS: usize = 8;

/// The lexicon and the full-text index, built once when the directory loads.
#[derive(Debug, Clone, Default)]
pub struct TriageData {
    phrases: Vec<Phrase>,
    matcher: Option<AhoCorasick>,
    index: Bm25,
}

impl TriageData {
    pub fn build(phrases: Vec<Phrase>, documents: &[String]) -> TriageData {
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(phrases.iter().map(|p| p.normalized.as_str()))
            .ok();
        TriageData {
            phrases,
            matcher,
            index: Bm25::build(documents),
        }
    }
}

/// The text of a window that full-text search looks at.
pub fn document_of(window: &Window, directory_situations: &[crate::model::Situation]) -> String {
    let mut text = format!(
        "{} {} {}",
        window.name,
        window.summary,
        window.description.as_deref().unwrap_or_default()
    );
    for keyword in &window.keywords {
        text.push(' ');
        text.push_str(keyword);
    }
    for fit in &window.situations {
        if let Some(situation) = directory_situations.iter().find(|s| s.id == fit.id) {
            text.push(' ');
            text.push_str(&situation.name);
        }
    }
    normalize(&text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Saga,
    Elsewhere,
}

impl Region {
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Saga => "saga",
            Region::Elsewhere => "elsewhere",
        }
    }

    pub fn parse(text: &str) -> Option<Region> {
        match text {
            "saga" => Some(Region::Saga),
            "elsewhere" | "other" => Some(Region::Elsewhere),
            _ => None,
        }
    }
}

/// What a person told us, by free text, guided answers, or both.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub text: &'a str,
    pub situation: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub audience: Option<AudienceGroup>,
    pub region: Option<Region>,
    /// A channel family: phone, line, web, email, chat.
    pub channel: Option<&'a str>,
    pub free_only: bool,
    pub open_now: bool,
    pub at: Timestamp,
}

impl<'a> Query<'a> {
    pub fn text(text: &'a str, at: Timestamp) -> Query<'a> {
        Query {
            text,
            situation: None,
            outcome: None,
            audience: None,
            region: None,
            channel: None,
            free_only: false,
            open_now: false,
            at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub query: String,
    pub crisis: bool,
    /// 110 and 119: every answer shows them, a crisis answer first of all.
    pub emergency: Vec<String>,
    pub results: Vec<Ranked>,
    /// One crisis line to show below the results when the text touches suicide without being
    /// a personal crisis (reporting someone else's post).
    pub crisis_line: Option<String>,
    pub situations: Vec<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Ranked {
    pub id: String,
    pub score: f64,
    /// Why this window fits: the situation, the outcome, the audience.
    pub reasons: Vec<String>,
    /// What else a person should know before choosing it: report-only, cost, open or closed.
    pub notes: Vec<String>,
    pub state: OpenState,
}

impl Ranked {
    /// Reasons, then notes: everything a text or JSON answer lists.
    pub fn all_reasons(&self) -> Vec<String> {
        self.reasons.iter().chain(&self.notes).cloned().collect()
    }
}

#[derive(Default)]
struct Signals {
    situations: BTreeMap<String, (f64, String)>,
    outcomes: BTreeMap<String, f64>,
    audiences: BTreeMap<AudienceGroup, f64>,
    /// Window id → (boost, the phrase that named it).
    windows: HashMap<String, (f64, String)>,
    crisis: bool,
    report_context: bool,
    crisis_related: bool,
    explicit_outcome: bool,
}

/// Ranks the directory's windows for a query. Never fails.
pub fn triage(directory: &Directory, query: &Query<'_>) -> Answer {
    let mut warnings = Vec::new();
    let mut text: String = query.text.chars().filter(|c| !c.is_control()).collect();
    if text.chars().count() > MAX_QUERY_CHARS {
        text = text.chars().take(MAX_QUERY_CHARS).collect();
        warnings.push(format!(
            "文章が長いため、最初の{MAX_QUERY_CHARS}文字で探しました。"
        ));
    }
    let normalized = normalize(&text);
    let mut signals = match_lexicon(&directory.triage, &normalized);
    if let Some(situation) = query.situation.filter(|s| directory.situation(s).is_some()) {
        let name = directory
            .situation(situation)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let entry = signals
            .situations
            .entry(situation.to_owned())
            .or_insert((0.0, name));
        entry.0 += 6.0;
        if situation == "crisis" {
            signals.crisis = true;
        }
    }
    if let Some(outcome) = query.outcome.filter(|o| directory.outcome(o).is_some()) {
        *signals.outcomes.entry(outcome.to_owned()).or_default() += 15.0;
        signals.explicit_outcome = true;
    }
    if let Some(audience) = query.audience {
        *signals.audiences.entry(audience).or_default() += 6.0;
    }
    let crisis = signals.crisis && !signals.report_context;
    if signals.report_context && (signals.crisis || signals.crisis_related) {
        // Someone else's suicide-related post: a reporting case, not a personal crisis.
        let entry = signals
            .situations
            .entry("illegal-content".to_owned())
            .or_insert((0.0, "自殺をほのめかす書き込み".to_owned()));
        entry.0 += 3.0;
        *signals.outcomes.entry("report".to_owned()).or_default() += 2.0;
    }
    if crisis {
        let entry = signals
            .situations
            .entry("crisis".to_owned())
            .or_insert((0.0, "死にたいほどつらい".to_owned()));
        entry.0 += 8.0;
    }
    let audience = signals
        .audiences
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(group, _)| *group);

    let has_signal = !signals.situations.is_empty()
        || !signals.outcomes.is_empty()
        || !signals.windows.is_empty();
    // Full-text search is the fallback for words the lexicon does not know.
    let fulltext = if normalized.is_empty() || has_signal {
        Vec::new()
    } else {
        directory.triage.index.scores(&normalized)
    };
    let max_fulltext = fulltext.iter().copied().fold(0.0_f64, f64::max);
    if !has_signal && max_fulltext == 0.0 {
        if normalized.is_empty() && query.situation.is_none() {
            warnings.push("困っていることを入力するか、質問に答えてください。".to_owned());
        } else {
            warnings.push(
                "当てはまる窓口が見つかりませんでした。言葉を変えるか、分類から探してください。"
                    .to_owned(),
            );
        }
    }

    let wants_to_talk = ["consult", "listen"]
        .iter()
        .any(|o| signals.outcomes.contains_key(*o))
        && !["report", "delete-for-me"]
            .iter()
            .any(|o| signals.outcomes.contains_key(*o));

    // Resolve names once, not once per window.
    let scoring = Scoring {
        situations: signals
            .situations
            .iter()
            .filter_map(|(id, (weight, phrase))| {
                directory
                    .situation(id)
                    .map(|s| (id.as_str(), *weight, phrase.as_str(), s.name.as_str()))
            })
            .collect(),
        outcomes: signals
            .outcomes
            .iter()
            .filter_map(|(id, weight)| {
                directory
                    .outcome(id)
                    .map(|o| (id.as_str(), *weight, o.name.as_str()))
            })
            .collect(),
        boosts: signals
            .windows
            .iter()
            .filter_map(|(id, (boost, phrase))| {
                directory
                    .window_index
                    .get(id)
                    .map(|index| (*index, *boost, phrase.as_str()))
            })
            .collect(),
        explicit_outcome: signals.explicit_outcome,
        has_signal,
        fulltext: &fulltext,
        max_fulltext,
        audience,
        wants_to_talk,
        query,
    };
    let mut candidates: Vec<(usize, f64)> = Vec::with_capacity(directory.windows.len());
    for (index, window) in directory.windows.iter().enumerate() {
        if let Some(score) = scoring.assess(index, window, None) {
            candidates.push((index, score));
        }
    }
    let mut results = with_hours(directory, &scoring, candidates);
    results.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));

    if crisis {
        order_crisis_first(directory, &mut results, audience);
    } else if wants_to_talk
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

    if !results.is_empty() && !results.iter().take(3).any(|r| r.state.is_open()) {
        if let Some(open) = results.iter().skip(3).find(|r| r.state.is_open()) {
            let name = directory.window(&open.id).map_or("", Window::display_name);
            warnings.push(format!(
                "上の窓口はいま受付時間外か、時間が確認できていません。いま受付中の窓口: {name}"
            ));
        } else if let Some(line) = always_open_line(directory, audience) {
            warnings.push(format!(
                "上の窓口はいま受付時間外か、時間が確認できていません。24時間の窓口: {}",
                line.display_name()
            ));
        }
    }
    let crisis_line = (!crisis && (signals.crisis || signals.crisis_related))
        .then(|| always_open_line(directory, audience).map(|w| w.id.clone()))
        .flatten();
    if crisis_line.is_some() {
        warnings.push("あなた自身がつらいときは、下の窓口にいつでも話せます。".to_owned());
    }

    Answer {
        query: text,
        crisis,
        emergency: directory
            .windows
            .iter()
            .filter(|w| w.kind == WindowKind::Emergency)
            .map(|w| w.id.clone())
            .collect(),
        results,
        crisis_line,
        situations: signals.situations.keys().cloned().collect(),
        warnings,
    }
}

/// At most this many candidates get their opening hours computed: ties beyond it keep their
/// order. It bounds the cost on a large directory with many equally good windows.
const MAX_WITH_HOURS: usize = 64;

/// What a query asks, resolved once, for scoring every window.
struct Scoring<'a> {
    situations: Vec<(&'a str, f64, &'a str, &'a str)>,
    outcomes: Vec<(&'a str, f64, &'a str)>,
    /// Window index → boost from the lexicon's window entries (a handful per query).
    boosts: Vec<(usize, f64, &'a str)>,
    explicit_outcome: bool,
    has_signal: bool,
    fulltext: &'a [f64],
    max_fulltext: f64,
    audience: Option<AudienceGroup>,
    wants_to_talk: bool,
    query: &'a Query<'a>,
}

/// Records a reason only when the caller asked for them: scoring thousands of windows should
/// not format or allocate reasons that only the final few need.
fn explain<'a>(reasons: &mut Option<&mut Vec<Reason<'a>>>, reason: Reason<'a>) {
    if let Some(reasons) = reasons {
        reasons.push(reason);
    }
}

impl<'a> Scoring<'a> {
    /// The window's score, or `None` when it does not fit or a filter excludes it. With
    /// `reasons`, also says why, in the words a person reads.
    fn assess(
        &self,
        index: usize,
        window: &'a Window,
        mut reasons: Option<&mut Vec<Reason<'a>>>,
    ) -> Option<f64> {
        if window.kind == WindowKind::Emergency {
            return None;
        }
        let mut situation_score = 0.0;
        for (id, weight, phrase, name) in &self.situations {
            let fit = f64::from(window.situation_fit(id));
            if fit > 0.0 {
                situation_score += weight * fit;
                explain(
                    &mut reasons,
                    Reason::Situation {
                        phrase,
                        name,
                        specialist: fit >= 3.0,
                    },
                );
            }
        }
        let mut outcome_score = 0.0;
        for (id, weight, name) in &self.outcomes {
            let fit = f64::from(window.outcome_fit(id));
            if fit > 0.0 {
                outcome_score += weight * fit;
                explain(&mut reasons, Reason::Outcome(name));
            }
        }
        let (boost, named_by) = self
            .boosts
            .iter()
            .find(|(i, _, _)| *i == index)
            .map_or((0.0, ""), |(_, boost, phrase)| (*boost, *phrase));
        if boost > 0.0 {
            explain(&mut reasons, Reason::Named(named_by));
        }
        let fulltext_score = if self.max_fulltext > 0.0 {
            self.fulltext[index] / self.max_fulltext
        } else {
            0.0
        };
        let situations_known = !self.situations.is_empty();
        let mut score = if situations_known {
            if situation_score == 0.0
                && boost == 0.0
                && !(self.explicit_outcome && outcome_score > 0.0)
            {
                return None;
            }
            situation_score * 3.0 + outcome_score * 1.5 + boost * 2.0 + fulltext_score
        } else if self.has_signal {
            if outcome_score == 0.0 && boost == 0.0 {
                return None;
            }
            outcome_score * 1.5 + boost * 2.0 + fulltext_score
        } else {
            if fulltext_score < 0.3 {
                return None;
            }
            explain(&mut reasons, Reason::Fulltext);
            fulltext_score * 10.0
        };

        if self.audience.is_none() && !window.audience.groups.contains(&AudienceGroup::Anyone) {
            // Until we know who asks, windows for everyone come before windows for one group.
            score *= 0.8;
        }
        if let Some(group) = self.audience {
            if window.audience.groups.contains(&group) {
                score *= 1.3;
                explain(&mut reasons, Reason::Audience(group));
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
        match (window.area.scope, self.query.region) {
            (AreaScope::Saga, Some(Region::Elsewhere)) => score *= 0.4,
            (AreaScope::Municipalities, _) if boost == 0.0 => score *= 0.3,
            (AreaScope::Saga, Some(Region::Saga)) => score *= 1.1,
            _ => {}
        }
        if window.kind == WindowKind::ReportOnly {
            explain(&mut reasons, Reason::ReportOnly);
            if self.wants_to_talk {
                score *= 0.6;
            }
        }
        if let Some(family) = self.query.channel
            && !window.channels.iter().any(|c| c.kind.family() == family)
        {
            return None;
        }
        if self.query.free_only
            && !window.channels.iter().any(|c| {
                c.cost.is_free()
                    || c.cost == Cost::FreeInArea && self.query.region != Some(Region::Elsewhere)
            })
        {
            return None;
        }
        match window.primary_channel().map(|c| c.cost) {
            Some(Cost::Free) => explain(&mut reasons, Reason::Cost("無料")),
            Some(Cost::FreeInArea) if self.query.region != Some(Region::Elsewhere) => {
                explain(&mut reasons, Reason::Cost("佐賀県在住なら無料"))
            }
            Some(Cost::NaviDial) => explain(
                &mut reasons,
                Reason::Cost("ナビダイヤル（通話料がかかります）"),
            ),
            _ => {}
        }
        Some(score)
    }
}

/// Why a window was chosen, kept unformatted until the window makes the final list: most
/// candidates of a large directory never do.
enum Reason<'a> {
    Situation {
        phrase: &'a str,
        name: &'a str,
        specialist: bool,
    },
    Outcome(&'a str),
    Audience(AudienceGroup),
    Fulltext,
    /// The text named this window or its platform (「LINE」, 「188」).
    Named(&'a str),
    ReportOnly,
    Cost(&'static str),
}

impl Reason<'_> {
    /// Report-only and cost are things to know, not reasons the window fits.
    fn is_note(&self) -> bool {
        matches!(self, Reason::ReportOnly | Reason::Cost(_))
    }

    fn text(&self) -> String {
        match self {
            Reason::Situation {
                phrase,
                name,
                specialist,
            } => {
                let strength = if *specialist {
                    "専門の窓口"
                } else {
                    "対応しています"
                };
                if phrase.is_empty() || phrase == name {
                    format!("{name}: {strength}")
                } else {
                    format!("「{phrase}」→ {name}: {strength}")
                }
            }
            Reason::Outcome(name) => format!("「{name}」に対応"),
            Reason::Audience(group) => format!("{}向け", group.label_ja()),
            Reason::Fulltext => "入力した言葉が窓口の説明に含まれています".to_owned(),
            Reason::Named(phrase) => format!("「{phrase}」に関する窓口"),
            Reason::ReportOnly => "通報窓口です（相談窓口ではありません）".to_owned(),
            Reason::Cost(text) => (*text).to_owned(),
        }
    }
}

/// Being open now lifts a window by this factor: enough to rank an open window above an
/// equally good closed one, not enough to put a poor fit on top.
const OPEN_BONUS: f64 = 1.05;

/// Adds opening hours to the best candidates. Hours cost more than scoring, so only windows
/// that can still reach the first `MAX_RESULTS` after the open bonus are looked at (with the
/// open-now filter: until `MAX_RESULTS` open ones are found).
fn with_hours(
    directory: &Directory,
    scoring: &Scoring<'_>,
    mut candidates: Vec<(usize, f64)>,
) -> Vec<Ranked> {
    let query = scoring.query;
    let order =
        |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if candidates.len() > MAX_WITH_HOURS {
        // Only the best `MAX_WITH_HOURS` can be looked at; skip sorting the rest.
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
        let mut why = Vec::new();
        scoring.assess(index, window, Some(&mut why));
        let (notes, reasons): (Vec<&Reason<'_>>, Vec<&Reason<'_>>) =
            why.iter().partition(|r| r.is_note());
        let mut notes: Vec<String> = notes.into_iter().map(Reason::text).collect();
        notes.push(state_reason(&state));
        results.push(Ranked {
            id: window.id.clone(),
            score: (score * 100.0).round() / 100.0,
            reasons: reasons.into_iter().map(Reason::text).collect(),
            notes,
            state,
        });
    }
    results
}

fn is_report_only(directory: &Directory, id: &str) -> bool {
    directory
        .window(id)
        .is_some_and(|w| w.kind == WindowKind::ReportOnly)
}

fn state_reason(state: &OpenState) -> String {
    match state {
        OpenState::Open { until: None } => "いま受付中（24時間）".to_owned(),
        OpenState::Open { until: Some(until) } => {
            format!("いま受付中（{}まで）", until.strftime("%-H:%M"))
        }
        OpenState::Closed {
            next_open: Some(next),
        } => format!("受付時間外（次は{}から）", next.strftime("%-m/%-d %-H:%M")),
        OpenState::Closed { next_open: None } => "受付時間外".to_owned(),
        OpenState::Unknown => "受付時間は要確認".to_owned(),
    }
}

/// A crisis line that is open around the clock and fits the person: the 24-hour children's
/// line for a child, よりそいホットライン otherwise.
fn always_open_line(directory: &Directory, audience: Option<AudienceGroup>) -> Option<&Window> {
    let mut lines: Vec<&Window> = directory
        .windows
        .iter()
        .filter(|w| w.situation_fit("crisis") > 0 && w.always_open())
        .collect();
    let wants_children = audience == Some(AudienceGroup::Children);
    lines.sort_by_key(|w| {
        let for_children = w.audience.groups.contains(&AudienceGroup::Children);
        (
            for_children != wants_children,
            std::cmp::Reverse(w.situation_fit("crisis")),
            w.id.clone(),
        )
    });
    lines.into_iter().next()
}

/// Crisis lines that fit the person go first: open ones before closed, 24-hour ones first,
/// children's lines first for a child and left out for adults who are not asking for a child.
fn order_crisis_first(
    directory: &Directory,
    results: &mut Vec<Ranked>,
    audience: Option<AudienceGroup>,
) {
    let is_crisis_line = |id: &str| {
        directory
            .window(id)
            .is_some_and(|w| w.situation_fit("crisis") >= 2)
    };
    let mut lines: Vec<Ranked> = results
        .iter()
        .filter(|r| is_crisis_line(&r.id))
        .cloned()
        .collect();
    results.retain(|r| !is_crisis_line(&r.id));
    let child = audience == Some(AudienceGroup::Children);
    lines.retain(|r| {
        let window = directory.window(&r.id);
        let children_only = window.is_some_and(|w| {
            w.audience.max_age.is_some()
                || !w.audience.groups.contains(&AudienceGroup::Anyone)
                    && w.audience.groups.contains(&AudienceGroup::Children)
        });
        child || !children_only || audience.is_none()
    });
    lines.sort_by_key(|r| {
        let window = directory.window(&r.id);
        let for_children =
            window.is_some_and(|w| w.audience.groups.contains(&AudienceGroup::Children));
        let always = window.is_some_and(Window::always_open);
        let free = window.is_some_and(|w| w.primary_channel().is_some_and(|c| c.cost.is_free()));
        (
            !r.state.is_open(),
            child != for_children,
            !always,
            !free,
            std::cmp::Reverse((r.score * 100.0) as i64),
        )
    });
    let mut seen = HashSet::new();
    let mut ordered: Vec<Ranked> = lines
        .into_iter()
        .filter(|r| seen.insert(r.id.clone()))
        .collect();
    ordered.append(results);
    *results = ordered;
}

fn match_lexicon(data: &TriageData, normalized: &str) -> Signals {
    let mut signals = Signals::default();
    let Some(matcher) = &data.matcher else {
        return signals;
    };
    let mut seen = HashSet::new();
    for found in matcher.find_overlapping_iter(normalized) {
        let phrase = &data.phrases[found.pattern().as_usize()];
        if !ascii_word_boundary(normalized, found.start(), found.end(), &phrase.normalized) {
            continue;
        }
        if !seen.insert(found.pattern().as_usize()) {
            continue;
        }
        let weight = f64::from(phrase.weight);
        for meaning in &phrase.meanings {
            match meaning {
                Meaning::Situation(id) => {
                    let entry = signals
                        .situations
                        .entry(id.clone())
                        .or_insert((0.0, phrase.text.clone()));
                    entry.0 += weight;
                    // Name the longest phrase matched: 「なりすまし」 rather than its stem.
                    if phrase.text.chars().count() > entry.1.chars().count() {
                        entry.1 = phrase.text.clone();
                    }
                }
                Meaning::Outcome(id) => *signals.outcomes.entry(id.clone()).or_default() += weight,
                Meaning::Audience(group) => *signals.audiences.entry(*group).or_default() += weight,
                Meaning::Window(id, strength) => {
                    let entry = signals
                        .windows
                        .entry(id.clone())
                        .or_insert((0.0, phrase.text.clone()));
                    entry.0 += weight * f64::from(*strength);
                }
                Meaning::Crisis => signals.crisis = true,
                Meaning::ReportContext => signals.report_context = true,
                Meaning::CrisisRelated => signals.crisis_related = true,
            }
        }
    }
    signals
}

/// Short ASCII patterns (`x`, `line`, `dv`, `od`) only count as whole words.
fn ascii_word_boundary(text: &str, start: usize, end: usize, pattern: &str) -> bool {
    if !pattern.bytes().all(|b| b.is_ascii_alphanumeric()) || pattern.len() > 5 {
        return true;
    }
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    !is_word(before) && !is_word(after)
}
