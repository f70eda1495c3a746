//! The triage codes in words: reasons, notes and warnings come from the core as codes with
//! parameters, and this module says them in the language of a message catalog.

use madoguchi_core::triage::{Note, Reason, Subject, Warning};
use madoguchi_core::{Cost, Directory};

use crate::messages::Messages;
use crate::views::state_view;

pub fn reason(m: &Messages, directory: &Directory, reason: &Reason) -> String {
    match reason {
        Reason::Named { words } => m.reason_named.replace("{words}", words),
        Reason::Platform { words } => m.reason_platform.replace("{words}", words),
        Reason::Situation {
            situation,
            words,
            specialist,
        } => {
            let name = directory
                .situation(situation)
                .map_or(situation.as_str(), |s| s.name.as_str());
            let template = match (specialist, words.is_empty()) {
                (true, true) => m.reason_specialist,
                (true, false) => m.reason_specialist_words,
                (false, true) => m.reason_handles,
                (false, false) => m.reason_handles_words,
            };
            template
                .replace("{situation}", &inside_a_sentence(m, name))
                .replace("{words}", words)
        }
        Reason::Outcome { outcome } => {
            let name = directory
                .outcome(outcome)
                .map_or(outcome.as_str(), |o| o.name.as_str());
            m.reason_outcome
                .replace("{outcome}", &inside_a_sentence(m, name))
        }
        Reason::Audience { audience } => m.reason_audience.replace(
            "{audience}",
            &inside_a_sentence(m, directory.say(audience.label_ja())),
        ),
        Reason::Words { words } => m.reason_words.replace("{words}", words),
        Reason::CrisisLine { subject } => match subject {
            Subject::Myself => m.reason_crisis_self.to_owned(),
            Subject::Other => m.reason_crisis_other.to_owned(),
        },
    }
}

/// A name that starts a heading ("Online shopping and contract trouble") used inside an
/// English sentence: its first letter in lower case, unless it is an acronym or a name
/// ("DV", "LINE").
fn inside_a_sentence(m: &Messages, name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if m.lang == "en" && second.is_lowercase() => first
            .to_lowercase()
            .chain(name[first.len_utf8()..].chars())
            .collect(),
        _ => name.to_owned(),
    }
}

pub fn note(m: &Messages, directory: &Directory, note: &Note) -> String {
    match note {
        Note::ReportOnly => m.note_report_only.to_owned(),
        Note::Cost(Cost::Free) => m.note_free.to_owned(),
        Note::Cost(Cost::FreeInArea) => m.note_free_in_area.to_owned(),
        Note::Cost(Cost::NaviDial) => m.note_navi_dial.to_owned(),
        Note::Cost(cost @ (Cost::Charged | Cost::Unknown)) => {
            directory.say(cost.label_ja()).to_owned()
        }
        Note::State(state) => state_view(state, m).1,
    }
}

pub fn warning(m: &Messages, directory: &Directory, warning: &Warning) -> String {
    match warning {
        Warning::Truncated { max } => m.warning_truncated.replace("{max}", &max.to_string()),
        Warning::Empty => m.warning_empty.to_owned(),
        Warning::NoMatch => m.warning_no_match.to_owned(),
        Warning::Unsure => m.warning_unsure.to_owned(),
        Warning::OpenInstead { window } => m.warning_open_instead.replace(
            "{window}",
            directory
                .window(window)
                .map_or(window.as_str(), |w| w.display_name()),
        ),
        Warning::AllClosed => m.warning_all_closed.to_owned(),
        Warning::CrisisLineBelow => m.warning_crisis_line_below.to_owned(),
    }
}
