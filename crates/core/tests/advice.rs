//! The answer's sections besides the windows: first steps for every situation, help pages of
//! the services a person names, nothing confident when unsure, and a crisis read past the cut.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use common::saga as directory;
use jiff::Timestamp;
use madoguchi_core::advice::LinkKind;
use madoguchi_core::load::numbers_in;
use madoguchi_core::triage::{Engine, MAX_QUERY_CHARS, Query, Warning};

fn wednesday() -> Timestamp {
    "2026-12-02T14:00:00+09:00".parse().unwrap()
}

#[test]
fn every_guided_situation_answers_with_first_steps() {
    let directory = directory();
    let engine = Engine::new(&directory);
    for situation in &directory.situations {
        let query = Query {
            situation: Some(&situation.id),
            ..Query::text("", wednesday())
        };
        let answer = engine.triage(&directory, &query);
        assert_eq!(
            answer.sections.first_steps.as_deref(),
            Some(situation.id.as_str()),
            "{}: first steps",
            situation.id
        );
        assert!(
            !directory.advice.steps_for(&situation.id).is_empty(),
            "{}: steps in the data",
            situation.id
        );
    }
}

#[test]
fn a_step_names_only_numbers_its_windows_have() {
    let directory = directory();
    for (situation, steps) in &directory.advice.steps {
        for step in steps {
            for number in numbers_in(&step.text) {
                let digits: String = number.chars().filter(|c| *c != '-').collect();
                let found = step.windows.iter().any(|id| {
                    directory.window(id).unwrap().channels.iter().any(|c| {
                        c.value.chars().filter(|c| *c != '-').collect::<String>() == digits
                    })
                });
                assert!(found, "{situation}: {number} in 「{}」", step.text);
            }
        }
    }
}

#[test]
fn named_services_come_first_among_help_pages() {
    let directory = directory();
    let engine = Engine::new(&directory);
    let answer = engine.triage(
        &directory,
        &Query::text("インスタに勝手に自分の写真と名前を載せられた", wednesday()),
    );
    let first = answer.sections.also_useful.first().copied().unwrap();
    let (platform, _) = directory.advice.link(first).unwrap();
    assert_eq!(platform.id, "instagram", "{:?}", answer.sections);
    assert_eq!(answer.services, vec!["instagram".to_owned()]);

    let taken_over = engine.triage(
        &directory,
        &Query::text("アカウントを乗っ取られてログインできない", wednesday()),
    );
    assert_eq!(
        taken_over.sections.first_steps.as_deref(),
        Some("unauthorized-access")
    );
    assert!(
        taken_over.sections.also_useful.iter().all(|r| matches!(
            directory.advice.link(*r).unwrap().1.kind,
            LinkKind::Recovery | LinkKind::Help
        )),
        "an account taken over gets recovery pages"
    );
}

#[test]
fn a_two_part_answer_has_the_steps_of_what_happened() {
    let directory = directory();
    let answer = Engine::new(&directory).triage(
        &directory,
        &Query::text("Xでずっと悪口を書かれていて、もう死にたい", wednesday()),
    );
    assert!(answer.is_crisis());
    assert_eq!(answer.sections.first_steps.as_deref(), Some("defamation"));
}

#[test]
fn crisis_alone_gets_the_crisis_steps() {
    let directory = directory();
    let answer = Engine::new(&directory).triage(&directory, &Query::text("死にたい", wednesday()));
    assert_eq!(answer.sections.first_steps.as_deref(), Some("crisis"));
    assert!(answer.sections.also_useful.is_empty());
}

#[test]
fn an_unsure_answer_has_no_first_steps() {
    let directory = directory();
    let answer = Engine::new(&directory).triage(&directory, &Query::text("窓口", wednesday()));
    assert!(answer.warnings.contains(&Warning::Unsure) || answer.results.is_empty());
    assert_eq!(answer.sections.first_steps, None, "{:?}", answer.warnings);
}

#[test]
fn a_crisis_past_the_cut_is_still_seen() {
    let directory = directory();
    let mut story = "学校で友だちとのことがあって、毎日いろいろ考えています。".repeat(80);
    assert!(story.chars().count() > MAX_QUERY_CHARS);
    story.push_str("もう死にたい。");
    let answer = Engine::new(&directory).triage(&directory, &Query::text(&story, wednesday()));
    assert!(answer.is_crisis(), "crisis at the end of a long story");
    assert!(
        answer
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::Truncated { .. }))
    );
}
