//! The directory in English and やさしい日本語 (`data/lang/`): every text a person reads is
//! translated, a translation never carries a number or an address its Japanese text does not,
//! and a translation that outlived its text is only a warning.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use common::{data_root, read_dir, saga, try_load};
use madoguchi_core::CheckRule;
use madoguchi_core::translation::{shown_texts, untranslated};

#[test]
fn every_text_a_person_reads_is_in_english_and_in_easy_japanese() {
    let directory = saga();
    for code in ["en", "easy"] {
        let missing = untranslated(&directory, code);
        assert!(
            missing.is_empty(),
            "{} texts lack `{code}` (run `madoguchi untranslated {code}`), e.g. {:?}",
            missing.len(),
            missing
                .iter()
                .take(5)
                .map(|(t, p)| (t, &p.file))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_kanji_of_the_easy_texts_has_a_reading() {
    let directory = saga();
    let easy = directory.translations.get("easy").unwrap();
    let mut uncovered = Vec::new();
    for (text, _) in shown_texts(&directory) {
        if let Some(said) = easy.get(&text) {
            let missing = directory.readings.uncovered(said);
            if !missing.is_empty() {
                uncovered.push(format!("{said}: {}", missing.iter().collect::<String>()));
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "kanji without ふりがな (add the words to data/readings.toml):\n{}",
        uncovered.join("\n")
    );
}

#[test]
fn the_english_copy_changes_words_only() {
    let japanese = saga();
    let english = japanese.in_language("en");
    assert_eq!(english.language.as_deref(), Some("en"));
    let women = english.window("moj-josei-hotline").unwrap();
    // The operator's own English name, and the Japanese one to say on the phone.
    assert_eq!(women.name, "Women's Rights Hotline");
    assert_eq!(
        women.name_ja.as_deref(),
        Some(japanese.window("moj-josei-hotline").unwrap().name.as_str())
    );
    // An official name two windows share ("Safe-line") gives way to names that tell them
    // apart.
    let (report, rvp) = (
        english.window("safeline").unwrap(),
        english.window("safeline-rvp").unwrap(),
    );
    assert!(report.name.starts_with("Safe-line") && rvp.name.starts_with("Safe-line"));
    assert_ne!(report.name, rvp.name);
    for (ja, en) in japanese.windows.iter().zip(&english.windows) {
        assert_eq!(ja.id, en.id);
        assert_ne!(ja.summary, en.summary, "{} has no English summary", ja.id);
        let values = |w: &madoguchi_core::Window| {
            w.channels
                .iter()
                .map(|c| (c.value.clone(), c.href()))
                .collect::<Vec<_>>()
        };
        assert_eq!(values(ja), values(en), "{}: numbers and addresses", ja.id);
        assert_eq!(ja.url, en.url);
    }
    assert_eq!(english.say("無料"), "Free");
    assert_eq!(japanese.say("無料"), "無料");
}

/// The data with one more file.
fn with(path: &str, text: &str) -> Vec<(String, String)> {
    let mut files = read_dir(&data_root());
    files.push((path.to_owned(), text.to_owned()));
    files
}

#[test]
fn a_translation_that_adds_a_number_or_an_address_fails_check_at_its_line() {
    let text = "# a translator's slip\n[[text]]\nja = \"いつでも通報できます。\"\nsay = \"Call 0120-111-222 or see https://example.org/ any time.\"\n";
    let problems = try_load(&with("lang/en/zz.toml", text)).unwrap_err();
    let problem = problems
        .iter()
        .find(|d| d.rule == CheckRule::Translation)
        .unwrap();
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("lang/en/zz.toml", 4)
    );
    for said in ["120", "111", "222", "https://example.org/"] {
        assert!(problem.message.contains(said), "{}", problem.message);
    }
}

#[test]
fn a_translation_whose_text_is_gone_is_a_warning_and_the_data_still_loads() {
    let text = "[[text]]\nja = \"もう使われていない文。\"\nsay = \"A sentence nobody uses.\"\n";
    let directory = try_load(&with("lang/en/zz.toml", text)).unwrap();
    assert!(
        directory
            .warnings
            .iter()
            .any(|w| w.rule == CheckRule::StaleTranslation && w.file == "lang/en/zz.toml")
    );
}

#[test]
fn a_text_translated_twice_or_a_folder_that_is_not_a_language_fails() {
    let twice = "[[text]]\nja = \"無料\"\nsay = \"No charge\"\n";
    let problems = try_load(&with("lang/en/zz.toml", twice)).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|d| d.rule == CheckRule::Translation && d.message.contains("already translated"))
    );
    let problems = try_load(&with("lang/klingon/a.toml", twice)).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|d| d.rule == CheckRule::Translation && d.file == "lang/klingon/a.toml")
    );
}
