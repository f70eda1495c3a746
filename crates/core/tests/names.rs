//! Every window is found by its own name: for every name, short name, alias, reading, phone
//! number and short code in the data, typed alone, that window comes first (generated from
//! `data/`, so a new alias is tested the day it is added).

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use madoguchi_core::triage::{Engine, Query};

#[test]
fn every_name_finds_its_own_window_first() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    let (total, misses) = engine.names_not_first(&directory, at);
    assert!(total > directory.windows.len() * 3, "{total} names");
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn names_in_a_sentence_and_in_other_widths() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    for (text, id) in [
        ("チャイルドラインに電話したい", "childline"),
        ("よりそいホットラインの番号を教えて", "yorisoi"),
        (
            "インターネットホットラインセンターに通報したい",
            "internet-hotline-center",
        ),
        ("０５７０－００３－１１０", "moj-minna-110"),
        ("＃９１１０に相談", "saga-police-9110"),
        ("188にかけたい", "consumer-hotline-188"),
        ("いのちの電話", "inochi-denwa"),
        ("佐賀いのちの電話", "saga-inochi-denwa"),
        ("心の健康相談統一ダイアル", "kokoro-dial"),
        // In Latin letters, from the name's reading (readings.toml), and by a page's host.
        ("inochi no denwa", "inochi-denwa"),
        ("talkme", "anatano-ibasho"),
        // 110 typed alone is its own card; beside other words it heads the page anyway.
        ("110番", "emergency-110"),
        ("１１９", "emergency-119"),
    ] {
        let answer = engine.triage(&directory, &Query::text(text, at));
        let first = answer.ranked().next().map(|r| r.id.as_str());
        assert_eq!(first, Some(id), "{text}");
        assert!(
            answer.ranked().next().unwrap().reasons[0].code() == "named",
            "{text}: the reason says it was named"
        );
    }
}

#[test]
fn an_emergency_number_beside_other_words_does_not_take_the_first_card() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    for text in ["110番するほどではないけど警察に相談したい", "こども人権110"]
    {
        let answer = engine.triage(&directory, &Query::text(text, at));
        let first = answer.ranked().next().map(|r| r.id.as_str());
        assert!(
            first.is_some_and(|id| !id.starts_with("emergency-")),
            "{text}: {first:?}"
        );
        assert!(answer.emergency.iter().any(|id| id == "emergency-110"));
    }
}

/// A reader of the English pages types the names shown there: the operator's English name
/// (also without its quoted number), and our English for the rest. A name in English is found
/// only as written: "Consumer Hotline" never reaches a window whose long English name merely
/// shares its letters.
#[test]
fn the_names_on_the_english_pages_find_their_windows() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    let english = directory.in_language("en");
    for id in [
        "moj-josei-hotline",
        "childline",
        "yorisoi",
        "consumer-hotline-188",
    ] {
        let name = &english.window(id).unwrap().name;
        let answer = engine.triage(&directory, &Query::text(name, at));
        assert_eq!(answer.results[0].id, id, "{name}");
    }
    for (text, id) in [
        ("Consumer Hotline", "consumer-hotline-188"),
        ("how do I call the Consumer Hotline", "consumer-hotline-188"),
    ] {
        let answer = engine.triage(&directory, &Query::text(text, at));
        assert_eq!(answer.results[0].id, id, "{text}");
    }
}

/// A short dial said aloud in kana, and a name followed only by a question for its number,
/// are names typed alone: 110 and 119 get their own card.
#[test]
fn a_dial_said_aloud_and_a_name_asked_for_its_number() {
    let directory = common::saga();
    let engine = Engine::new(&directory);
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    for (text, id) in [
        ("しゃーぷきゅういちいちぜろ", "saga-police-9110"),
        ("しゃーぷはちいちぜろさん", "police-8103"),
        ("救急車何番", "emergency-119"),
        ("いのちの電話の番号は", "inochi-denwa"),
        // Two names of one window one after the other are that window's name alone.
        ("いちいちきゅう 救急車", "emergency-119"),
        ("アバンセ 男性のための電話相談", "avance-men"),
        ("police emergency number", "emergency-110"),
    ] {
        let answer = engine.triage(&directory, &Query::text(text, at));
        let ids: Vec<&str> = answer.results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.first(), Some(&id), "{text}: {ids:?}");
    }
}
