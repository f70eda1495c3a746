//! `advice.toml`: first steps, the evidence guide and services' help pages, checked like the
//! windows: every fact has a source, every number is a window's number, every situation has
//! first steps.

use std::ops::Range;

use toml::Spanned;

use super::{CheckRule, Here, Known, Loader};
use crate::advice::{Advice, EvidenceGuide, FirstStep, LinkKind, Platform, PlatformLink};
use crate::format::{AdviceFile, StepEntry};
use crate::model::Window;
use crate::provenance::Source;

/// A first step longer than this is not a first step.
pub const MAX_STEP_CHARS: usize = 80;

impl Loader {
    pub(super) fn convert_advice(
        &mut self,
        here: Here<'_>,
        file: AdviceFile,
        known: &Known,
        windows: &[Window],
    ) -> Advice {
        let sources = self.sources(here, &file.source);
        let context = StepContext {
            sources: &sources,
            windows,
        };
        self.check_text(here, &file.evidence.title, "evidence title");
        self.check_text(here, &file.evidence.lead, "evidence lead");
        let evidence = EvidenceGuide {
            title: file.evidence.title.get_ref().clone(),
            lead: file.evidence.lead.get_ref().clone(),
            steps: file
                .evidence
                .step
                .iter()
                .map(|step| self.step(here, step, &context))
                .collect(),
        };

        let mut steps = std::collections::BTreeMap::new();
        for entry in &file.steps {
            let situation = entry.situation.get_ref();
            if !known.situations.contains(situation) {
                let message = format!("situation `{situation}` is not in situations.toml");
                self.report(
                    here,
                    entry.situation.span(),
                    CheckRule::UnknownReference,
                    message,
                );
                continue;
            }
            if steps.contains_key(situation) {
                let message = format!("situation `{situation}` has two lists of first steps");
                self.report(
                    here,
                    entry.situation.span(),
                    CheckRule::DuplicateId,
                    message,
                );
                continue;
            }
            let list: Vec<FirstStep> = entry
                .step
                .iter()
                .map(|step| self.step(here, step, &context))
                .collect();
            steps.insert(situation.clone(), list);
        }
        let mut missing: Vec<&String> = known
            .situations
            .iter()
            .filter(|s| !steps.contains_key(*s))
            .collect();
        missing.sort();
        for situation in missing {
            let message = format!(
                "situation `{situation}` has no first steps: every answer needs something to do first"
            );
            self.report(here, 0..0, CheckRule::FirstSteps, message);
        }

        let mut platforms: Vec<Platform> = Vec::new();
        for entry in &file.platform {
            self.check_id(here, &entry.id, None);
            if platforms.iter().any(|p| &p.id == entry.id.get_ref()) {
                let message = format!("platform id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::DuplicateId, message);
                continue;
            }
            self.check_text(here, &entry.name, "platform name");
            let mut links = Vec::new();
            for link in &entry.link {
                let kind = LinkKind::parse(link.kind.get_ref());
                if kind.is_none() {
                    let message = format!(
                        "link kind `{}` is not one of report, recovery, privacy, removal, help",
                        link.kind.get_ref()
                    );
                    self.report(here, link.kind.span(), CheckRule::UnknownValue, message);
                }
                self.check_text(here, &link.label, "link label");
                self.check_https(here, &link.url);
                for situation in &link.situations {
                    if !known.situations.contains(situation.get_ref()) {
                        let message = format!(
                            "situation `{}` is not in situations.toml",
                            situation.get_ref()
                        );
                        self.report(here, situation.span(), CheckRule::UnknownReference, message);
                    }
                }
                let cited = self.advice_sources(
                    here,
                    link.sources.as_ref(),
                    &sources,
                    false,
                    link.url.span(),
                );
                if let Some(kind) = kind {
                    links.push(PlatformLink {
                        kind,
                        label: link.label.get_ref().clone(),
                        url: link.url.get_ref().clone(),
                        situations: link
                            .situations
                            .iter()
                            .map(|s| s.get_ref().clone())
                            .collect(),
                        sources: cited,
                    });
                }
            }
            platforms.push(Platform {
                id: entry.id.get_ref().clone(),
                name: entry.name.get_ref().clone(),
                links,
            });
        }

        Advice {
            sources,
            evidence,
            steps,
            platforms,
        }
    }

    fn step(&mut self, here: Here<'_>, entry: &StepEntry, context: &StepContext<'_>) -> FirstStep {
        let text = entry.text.get_ref();
        self.check_text(here, &entry.text, "step text");
        let length = text.chars().count();
        if length > MAX_STEP_CHARS {
            let message = format!(
                "a first step has {length} characters; keep it under {MAX_STEP_CHARS} so a person reads it"
            );
            self.report(here, entry.text.span(), CheckRule::FirstSteps, message);
        }
        let sources = self.advice_sources(
            here,
            entry.sources.as_ref(),
            context.sources,
            entry.general,
            entry.text.span(),
        );
        let mut window_ids = Vec::new();
        let mut listed: Vec<&Window> = Vec::new();
        for id in &entry.windows {
            match context.windows.iter().find(|w| &w.id == id.get_ref()) {
                Some(window) => listed.push(window),
                None => {
                    let message = format!("window `{}` does not exist", id.get_ref());
                    self.report(here, id.span(), CheckRule::UnknownReference, message);
                }
            }
            window_ids.push(id.get_ref().clone());
        }
        for number in numbers_in(text) {
            let known = listed.iter().any(|w| {
                w.channels
                    .iter()
                    .any(|c| digits_of(&c.value) == digits_of(&number))
            });
            if !known {
                let message = format!(
                    "`{number}` in a first step is not a number of the windows it lists; list the window whose number it is in `windows`"
                );
                self.report(here, entry.text.span(), CheckRule::FirstSteps, message);
            }
        }
        FirstStep {
            text: text.clone(),
            sources,
            windows: window_ids,
            evidence: entry.evidence,
        }
    }

    /// A step or link cites sources from the file's own list, unless it is plain advice.
    fn advice_sources(
        &mut self,
        here: Here<'_>,
        ids: Option<&Spanned<Vec<String>>>,
        sources: &[Source],
        general: bool,
        missing_span: Range<usize>,
    ) -> Vec<String> {
        let Some(ids) = ids.filter(|ids| !ids.get_ref().is_empty()) else {
            if !general {
                self.report(
                    here,
                    missing_span,
                    CheckRule::Source,
                    "this needs `sources` (the pages that state it), or `general = true` when it is plain advice that states no fact",
                );
            }
            return Vec::new();
        };
        for id in ids.get_ref() {
            if !sources.iter().any(|s| &s.id == id) {
                let message = format!("source `{id}` is not in this file's [[source]] list");
                self.report(here, ids.span(), CheckRule::Source, message);
            }
        }
        // No `stale-source` warning here: that rule is about numbers and hours, which change;
        // advice such as "save the URL" does not go out of date with its page.
        ids.get_ref().clone()
    }
}

struct StepContext<'a> {
    sources: &'a [Source],
    windows: &'a [Window],
}

/// Phone numbers and short dials in a text: `#9110`, `188`, `0120-0-78310`; runs of fewer than
/// three digits (18歳, 24時間, 72時間) are not numbers one could call.
pub fn numbers_in(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let digits = current.chars().filter(char::is_ascii_digit).count();
        if digits >= 3 {
            numbers.push(current.trim_end_matches('-').to_owned());
        }
        current.clear();
    };
    for c in text.chars() {
        let c = fold_digit(c);
        let continues = c.is_ascii_digit()
            || (c == '-' && !current.is_empty())
            || ((c == '#' || c == '＃') && current.is_empty());
        if continues {
            current.push(if c == '＃' { '#' } else { c });
        } else {
            flush(&mut current);
        }
    }
    flush(&mut current);
    numbers
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

fn digits_of(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_digit() || *c == '#')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::numbers_in;

    #[test]
    fn numbers_are_what_one_could_dial() {
        assert_eq!(
            numbers_in("188（消費者ホットライン）や#9110、0120-0-78310に。18歳、24時間、72時間。"),
            vec!["188", "#9110", "0120-0-78310"]
        );
        assert_eq!(numbers_in("１１０番"), vec!["110"]);
        assert!(numbers_in("番号はありません").is_empty());
    }
}
