//! Triage scenarios, data-driven: guided answers for every situation and outcome, free-text
//! cases in the words people use, crisis handling, and random input that must never panic.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use common::saga as directory;
use jiff::Timestamp;
use madoguchi_core::triage::{Answer, Engine, Query, Warning};
use madoguchi_core::{AudienceGroup, Directory, WindowKind};

/// A Wednesday afternoon, when most windows are open.
fn wednesday() -> Timestamp {
    "2026-12-02T14:00:00+09:00".parse().unwrap()
}

fn top(answer: &Answer, n: usize) -> Vec<&str> {
    answer.ranked().take(n).map(|r| r.id.as_str()).collect()
}

fn triage(directory: &Directory, query: &Query<'_>) -> Answer {
    Engine::new(directory).triage(directory, query)
}

/// Free text → one of `expected` in the top three, and the crisis flag.
fn check(directory: &Directory, text: &str, expected: &[&str], crisis: bool) {
    let answer = triage(directory, &Query::text(text, wednesday()));
    let top3 = top(&answer, 3);
    assert!(
        top3.iter().any(|id| expected.contains(id)),
        "{text}: top three {top3:?}, expected one of {expected:?}"
    );
    assert_eq!(answer.is_crisis(), crisis, "{text}: crisis flag");
    assert!(
        answer.ranked().all(|r| !r.reasons.is_empty()),
        "{text}: every result has reasons"
    );
}

#[test]
fn free_text_scenarios() {
    let directory = directory();
    #[rustfmt::skip]
    let cases: &[(&str, &[&str], bool)] = &[
        ("ＬＩＮＥでわるぐちを書かれた", &["ihaho", "moj-minna-110", "moj-internet-form"], false),
        ("インスタで本名と学校を晒された", &["ihaho", "moj-internet-form", "moj-minna-110"], false),
        ("裸の写真をばらまかれた", &["safeline-rvp", "safeline", "saga-police-9110"], false),
        ("垢乗っ取りにあいました", &["ipa-anshin", "npa-cyber-desks", "saga-police-9110"], false),
        ("闇バイトに応募してしまった", &["saga-police-9110"], false),
        ("ツイッターで私のふりをしたアカウントがある", &["x-report"], false),
        ("宅配業者を名乗るSMSが届いた", &["antiphishing"], false),
        ("スマホに変な警告画面が出て電話番号が表示された", &["ipa-anshin"], false),
        ("アダルトサイトで登録料を請求された", &["consumer-hotline-188", "saga-consumer-center"], false),
        ("しにたい", &["yorisoi", "saga-inochi-denwa", "inochi-denwa", "kokoro-dial", "saga-suicide-night"], true),
        ("I want to die", &["yorisoi", "saga-inochi-denwa", "inochi-denwa", "kokoro-dial", "saga-suicide-night"], true),
        ("友達が死にたいと投稿していた", &["yorisoi", "saga-inochi-denwa", "inochi-denwa"], true),
        ("「死にたい」という書き込みを見つけた", &["internet-hotline-center", "safeline"], false),
        ("チャイルドライン", &["childline"], false),
        ("よりそいホットラインに電話したい", &["yorisoi"], false),
        ("0570-003-110", &["moj-minna-110"], false),
        ("彼氏に束縛されて殴られる", &["avance-women", "dv-soudan-plus", "moj-josei-hotline"], false),
        ("ゲイだけど誰にも相談できない", &["avance-lgbt"], false),
        ("", &[], false),
    ];
    for (text, expected, crisis) in cases {
        if expected.is_empty() {
            let answer = triage(&directory, &Query::text(text, wednesday()));
            assert!(!answer.warnings.is_empty(), "empty text gets a warning");
            continue;
        }
        check(&directory, text, expected, *crisis);
    }
}

#[test]
fn every_situation_reaches_a_fitting_window_by_guided_answers() {
    let directory = directory();
    for situation in &directory.situations {
        let query = Query {
            situation: Some(&situation.id),
            ..Query::text("", wednesday())
        };
        let answer = triage(&directory, &query);
        let first = answer
            .ranked()
            .next()
            .unwrap_or_else(|| panic!("no result for {}", situation.id));
        let window = directory.window(&first.id).unwrap();
        assert!(
            window.situation_fit(&situation.id) >= 2,
            "{}: first result {} fits only {}",
            situation.id,
            first.id,
            window.situation_fit(&situation.id)
        );
    }
}

#[test]
fn every_offered_outcome_changes_toward_windows_that_deliver_it() {
    let directory = directory();
    let mut covered = std::collections::BTreeSet::new();
    for situation in &directory.situations {
        for outcome in &situation.outcomes {
            let query = Query {
                situation: Some(&situation.id),
                outcome: Some(outcome),
                ..Query::text("", wednesday())
            };
            let answer = triage(&directory, &query);
            let top3 = top(&answer, 3);
            assert!(!top3.is_empty(), "{}/{outcome}: no result", situation.id);
            let delivers = top3
                .iter()
                .any(|id| directory.window(id).unwrap().outcome_fit(outcome) > 0);
            assert!(
                delivers,
                "{}/{outcome}: top three {top3:?} do not deliver it",
                situation.id
            );
            covered.insert(outcome.clone());
        }
    }
    let all: std::collections::BTreeSet<String> =
        directory.outcomes.iter().map(|o| o.id.clone()).collect();
    assert_eq!(covered, all, "every outcome is offered by some situation");
}

#[test]
fn crisis_puts_crisis_lines_first_and_children_lines_for_a_child() {
    let directory = directory();
    let night: Timestamp = "2026-11-29T02:00:00+09:00".parse().unwrap();
    let answer = triage(&directory, &Query::text("死にたい", night));
    assert!(answer.is_crisis());
    assert_eq!(answer.emergency, vec!["emergency-110", "emergency-119"]);
    let first = directory.window(&answer.crisis_lines[0].id).unwrap();
    assert!(
        first.situation_fit("crisis") >= 2 && answer.crisis_lines[0].state.is_open(),
        "first is an open crisis line: {}",
        first.id
    );
    let done = triage(&directory, &Query::text("薬を大量に飲んでしまった", night));
    assert!(done.crisis.as_ref().unwrap().act_done);
    assert_eq!(
        done.emergency[0], "emergency-119",
        "an act done puts 119 first"
    );

    let child = Query {
        audience: Some(AudienceGroup::Children),
        ..Query::text("死にたい", night)
    };
    let answer = triage(&directory, &child);
    assert_eq!(
        answer.crisis_lines[0].id, "kodomo-sos-24h",
        "a child at night gets the 24-hour children's line first"
    );
}

#[test]
fn a_two_part_problem_keeps_both_halves() {
    let directory = directory();
    let answer = triage(
        &directory,
        &Query::text("Xでずっと悪口を書かれていて、もう死にたい", wednesday()),
    );
    assert!(answer.is_crisis());
    assert!(!answer.crisis_lines.is_empty());
    let ranked = top(&answer, 3);
    assert!(
        directory.window(ranked[0]).unwrap().situation_fit("crisis") >= 2,
        "a crisis line first: {ranked:?}"
    );
    assert!(
        answer.results.iter().take(3).any(|r| directory
            .window(&r.id)
            .unwrap()
            .situation_fit("defamation")
            >= 2),
        "the defamation windows follow: {:?}",
        top(&answer, 6)
    );
}

#[test]
fn a_report_only_window_is_never_first_when_the_person_wants_to_talk() {
    let directory = directory();
    for text in [
        "誹謗中傷について相談したい",
        "いじめ動画のことで話を聞いてほしい",
        "リベンジポルノについて相談したい",
    ] {
        let answer = triage(&directory, &Query::text(text, wednesday()));
        let first = directory.window(top(&answer, 1)[0]).unwrap();
        assert_ne!(
            first.kind,
            WindowKind::ReportOnly,
            "{text}: {} is report-only",
            first.id
        );
    }
}

#[test]
fn open_now_filter_and_open_alternative() {
    let directory = directory();
    let saturday_night: Timestamp = "2026-11-28T21:30:00+09:00".parse().unwrap();
    let query = Query {
        open_now: true,
        ..Query::text("悪口を書かれた", saturday_night)
    };
    let answer = triage(&directory, &query);
    assert!(answer.results.iter().all(|r| r.state.is_open()));
    let query = Query {
        channel: Some("phone"),
        ..Query::text("パワハラについて相談したい", saturday_night)
    };
    let answer = triage(&directory, &query);
    assert!(
        answer
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::OpenInstead { .. } | Warning::AllClosed)),
        "{:?}",
        answer.warnings
    );
}

proptest::proptest! {
    #[test]
    fn triage_never_panics(text in "\\PC{0,600}") {
        let (directory, engine) = directory_once();
        let answer = engine.triage(directory, &Query::text(&text, wednesday()));
        proptest::prop_assert!(answer.results.len() <= madoguchi_core::triage::MAX_RESULTS);
        proptest::prop_assert!(answer.query.chars().count() <= madoguchi_core::triage::MAX_QUERY_CHARS);
        proptest::prop_assert!(answer.crisis_lines.len() <= madoguchi_core::triage::MAX_CRISIS_LINES);
    }
}

fn directory_once() -> &'static (Directory, Engine) {
    static DIRECTORY: std::sync::OnceLock<(Directory, Engine)> = std::sync::OnceLock::new();
    DIRECTORY.get_or_init(|| {
        let directory = directory();
        let engine = Engine::new(&directory);
        (directory, engine)
    })
}

#[test]
fn bidi_controls_never_reach_the_answer() {
    let directory = directory();
    let answer = triage(
        &directory,
        &Query::text("\u{202E}LINEで悪口を書かれた\u{2066}", wednesday()),
    );
    assert!(!answer.query.contains(['\u{202E}', '\u{2066}']));
    assert!(answer.ranked().next().is_some());
}
