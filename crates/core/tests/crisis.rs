//! The crisis stage on its own, from a table of cases (`fixtures/triage/crisis.tsv`): crisis
//! words in every script, acts already done, someone the person knows, and the phrases that
//! look like a crisis but are not.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use madoguchi_core::triage::{Engine, Finding, Subject};

#[test]
fn crisis_cases() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let table = std::fs::read_to_string(common::fixtures().join("triage/crisis.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut cases = 0;
    for line in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let [text, finding, subject, done] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("four columns: {line}");
        };
        cases += 1;
        let found = engine.crisis(text);
        let ok = match (finding, &found) {
            (
                "crisis",
                Finding::Crisis {
                    subject: s,
                    act_done,
                    ..
                },
            ) => {
                let subject_ok = match subject {
                    "self" => *s == Subject::Myself,
                    "other" => *s == Subject::Other,
                    _ => true,
                };
                subject_ok && (done == "-" || (done == "yes") == *act_done)
            }
            ("related", Finding::Related { post: false }) => true,
            ("report", Finding::Related { post: true }) => true,
            ("none", Finding::None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{text}: expected {finding} {subject} {done}, got {found:?}"
            ));
        }
    }
    assert!(cases > 60, "the table has its cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
