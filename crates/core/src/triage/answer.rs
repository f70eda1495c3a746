//! What triage is asked and what it answers. Reasons, notes and warnings are codes with
//! parameters; the web crate's message catalog turns them into words.

use jiff::Timestamp;
use serde::Serialize;

use super::crisis::Subject;
use crate::hours::OpenState;
use crate::model::{AudienceGroup, Cost};

/// Longer text is cut to this many characters, with a warning: a person who pastes a long
/// story still gets an answer, and matching stays fast.
pub const MAX_QUERY_CHARS: usize = 2000;
/// How many windows an answer lists at most, besides the crisis lines.
pub const MAX_RESULTS: usize = 8;
/// How many crisis lines a crisis answer lists first.
pub const MAX_CRISIS_LINES: usize = 8;

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

/// A personal crisis: the crisis lines come first, 110 and 119 above everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crisis {
    pub subject: Subject,
    /// Already done (an overdose taken, a wrist cut): 119 first.
    pub act_done: bool,
    /// The person's own words that made it a crisis.
    pub words: String,
}

/// How sure triage is of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Nothing matched.
    None,
    /// Only words of the windows' own texts matched: offer the guided questions.
    Unsure,
    /// The lexicon pointed to a situation or a need.
    Likely,
    /// A window's name, a phrase that names the situation, a guided answer or a crisis.
    Sure,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::None => "none",
            Certainty::Unsure => "unsure",
            Certainty::Likely => "likely",
            Certainty::Sure => "sure",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    /// The text as triaged (control characters removed, cut at `MAX_QUERY_CHARS`).
    pub query: String,
    pub crisis: Option<Crisis>,
    /// On a crisis: the crisis lines that fit the person, open ones first.
    pub crisis_lines: Vec<Ranked>,
    /// 110 and 119: every answer shows them; 119 comes first when an act is done.
    pub emergency: Vec<String>,
    /// The windows for what happened, best first (without the crisis lines).
    pub results: Vec<Ranked>,
    /// One crisis line to show below the results when the text touches suicide without being
    /// a personal crisis (a stranger's post, an insult received).
    pub crisis_line: Option<String>,
    /// The situations the text or the guided answers pointed to, strongest first.
    pub situations: Vec<String>,
    /// Services the text names (X, LINE, Instagram), first named first.
    pub services: Vec<String>,
    /// First steps and help pages (stage `advise`).
    pub sections: super::advise::Sections,
    pub certainty: Certainty,
    pub warnings: Vec<Warning>,
}

impl Answer {
    pub fn is_crisis(&self) -> bool {
        self.crisis.is_some()
    }

    /// Everything in the order a person sees it: the crisis lines, then the other windows.
    pub fn ranked(&self) -> impl Iterator<Item = &Ranked> {
        self.crisis_lines.iter().chain(&self.results)
    }
}

#[derive(Debug, Clone)]
pub struct Ranked {
    pub id: String,
    pub score: f64,
    /// Why this window fits.
    pub reasons: Vec<Reason>,
    /// What else a person should know before choosing it: report-only, cost, open or closed.
    pub notes: Vec<Note>,
    pub state: OpenState,
}

/// Why a window fits. `words` are the person's own words that led to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The text is or contains the window's name, alias or number.
    Named { words: String },
    /// The text names a platform or place this window handles (LINE, X, Google, 188).
    Platform { words: String },
    /// A situation, from the person's words or a guided answer (`words` empty).
    Situation {
        situation: String,
        words: String,
        /// The window is made for it, not just able to help.
        specialist: bool,
    },
    /// What the person wants (相談したい, 削除してほしい).
    Outcome { outcome: String },
    /// The window is for the person's group (children, women…).
    Audience { audience: AudienceGroup },
    /// Words of the text appear in the window's own description.
    Words { words: String },
    /// A crisis line, for the person or for someone they worry about.
    CrisisLine { subject: Subject },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Named { .. } => "named",
            Reason::Platform { .. } => "platform",
            Reason::Situation { .. } => "situation",
            Reason::Outcome { .. } => "outcome",
            Reason::Audience { .. } => "audience",
            Reason::Words { .. } => "words",
            Reason::CrisisLine { .. } => "crisis_line",
        }
    }
}

/// Things to know before choosing a window.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// A report desk: nobody advises.
    ReportOnly,
    /// The cost of the first channel (free, free for Saga residents, navi dial).
    Cost(Cost),
    /// Open, closed or unknown at the instant asked about.
    State(OpenState),
}

impl Note {
    pub fn code(&self) -> &'static str {
        match self {
            Note::ReportOnly => "report_only",
            Note::Cost(_) => "cost",
            Note::State(_) => "state",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// The text was cut at `max` characters.
    Truncated { max: usize },
    /// No text and no guided answer.
    Empty,
    /// Nothing matched.
    NoMatch,
    /// Only weak matches: the guided questions may find better.
    Unsure,
    /// The best windows are closed; this one, for the same need, is open now.
    OpenInstead { window: String },
    /// The best windows are closed and nothing for the same need is open now.
    AllClosed,
    /// The text touches suicide: the crisis line below is there for the person too.
    CrisisLineBelow,
}

impl Warning {
    pub fn code(&self) -> &'static str {
        match self {
            Warning::Truncated { .. } => "truncated",
            Warning::Empty => "empty",
            Warning::NoMatch => "no_match",
            Warning::Unsure => "unsure",
            Warning::OpenInstead { .. } => "open_instead",
            Warning::AllClosed => "all_closed",
            Warning::CrisisLineBelow => "crisis_line_below",
        }
    }
}
