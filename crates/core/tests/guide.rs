//! The guided questions reach an answer for every situation in at most four steps, on every
//! path, and every answer lists at least one window.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use common::saga as directory;
use madoguchi_core::guide::{Answers, Step, next_step};
use madoguchi_core::triage::Engine;

fn set(answers: &Answers, id: &str, value: &str) -> Answers {
    let mut next = answers.clone();
    match id {
        "situation" => next.situation = Some(value.to_owned()),
        "outcome" => next.outcome = Some(value.to_owned()),
        "who" => next.who = Some(value.to_owned()),
        "where" => next.place = Some(value.to_owned()),
        other => panic!("unknown question {other}"),
    }
    next
}

#[test]
fn every_path_answers_within_four_steps() {
    let directory = directory();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    let mut paths = vec![(Answers::default(), 0)];
    let mut answered = 0;
    while let Some((answers, steps)) = paths.pop() {
        match next_step(&directory, &answers) {
            Step::Question { id, options, .. } => {
                assert!(
                    !options.is_empty(),
                    "question {id} has no options for {answers:?}"
                );
                assert!(steps < 4, "more than four questions for {answers:?}");
                for option in options {
                    paths.push((set(&answers, id, &option.value), steps + 1));
                }
            }
            Step::Answer(query) => {
                let answer = engine.triage(&directory, &query.to_query(at));
                assert!(answer.ranked().next().is_some(), "no window for {query:?}");
                answered += 1;
            }
        }
    }
    assert!(answered > directory.situations.len());
}

#[test]
fn crisis_answers_at_once_and_a_stale_link_still_leads_somewhere() {
    let directory = directory();
    let crisis = Answers {
        situation: Some("crisis".to_owned()),
        ..Answers::default()
    };
    assert!(matches!(next_step(&directory, &crisis), Step::Answer(_)));
    let stale = Answers {
        situation: Some("no-such-thing".to_owned()),
        outcome: Some("x".to_owned()),
        ..Answers::default()
    };
    assert!(matches!(
        next_step(&directory, &stale),
        Step::Question {
            id: "situation",
            ..
        }
    ));
}
