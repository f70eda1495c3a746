//! Facts about the embedded Saga data set that other code and the evaluation sets rely on.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use std::fs;
use std::path::Path;

use common::saga;
use madoguchi_core::{Channel, ChannelKind, WindowKind};

const REQUIRED_IDS: &[&str] = &[
    "nakuna-100",
    "saga-police-9110",
    "npa-cyber-desks",
    "ipa-anshin",
    "ihaho",
    "dekyo-spam-consult",
    "dekyo-spam-report",
    "antiphishing",
    "moj-minna-110",
    "moj-internet-form",
    "moj-kodomo-110",
    "moj-josei-hotline",
    "internet-hotline-center",
    "safeline",
    "sia-slander-hotline",
    "safeline-rvp",
    "x-report",
    "google-removal",
    "line-report",
    "avance-women",
    "avance-men",
    "avance-lgbt",
    "consumer-hotline-188",
    "saga-consumer-center",
    "kokoro-dial",
    "yorisoi",
    "inochi-sos",
    "inochi-denwa",
    "saga-inochi-denwa",
    "saga-suicide-night",
    "childline",
    "kodomo-sos-24h",
    "sagamirai",
    "police-8103",
    "dv-soudan-plus",
    "emergency-110",
    "emergency-119",
];

#[test]
fn every_required_id_is_present_with_channel_source_and_date() {
    let directory = saga();
    for id in REQUIRED_IDS {
        let window = directory
            .window(id)
            .unwrap_or_else(|| panic!("missing window {id}"));
        assert!(!window.channels.is_empty(), "{id} has no channel");
        assert!(
            !window.sources.is_empty()
                && window.sources.iter().all(|s| s.url.starts_with("https://")),
            "{id} has no https source"
        );
        for fact in window.facts().iter().filter(|f| f.known) {
            assert!(
                !fact.sources.is_empty(),
                "{id}: {} has no source",
                fact.subject
            );
        }
    }
}

/// The facts listed as the seed page's own in `meta.toml` are on the seed page, as written:
/// the `seed-fact` rule checks against a list that is itself checked.
#[test]
fn the_seed_facts_are_on_the_seed_page() {
    let Ok(seed) = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/000_4a91440c5a931049.txt"),
    ) else {
        // The seed lives beside the project; CI has it.
        return;
    };
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let page = squeeze(&seed);
    let directory = saga();
    assert!(directory.meta.seed_facts.len() >= 12);
    for fact in &directory.meta.seed_facts {
        assert!(
            page.contains(&squeeze(fact)),
            "{fact} is not on the seed page"
        );
    }
}

/// Every phone number on the original page, exactly as the page writes it.
#[test]
fn every_phone_number_of_the_page_appears_as_written() {
    let seed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/000_4a91440c5a931049.txt"),
    );
    // The seed lives beside the project; without it, check against the numbers copied here.
    let page_numbers: Vec<String> = match seed {
        Ok(text) => extract_numbers(&text),
        Err(_) => [
            "0120-797-100",
            "0952-26-9110",
            "#9110",
            "03-5978-7509",
            "03-5974-0068",
            "0570-003-110",
            "0120-007-110",
            "0570-070-810",
            "0952-26-0018",
            "080-6426-3867",
            "090-1926-8339",
            "188",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
    };
    assert!(page_numbers.len() >= 12, "{page_numbers:?}");
    let directory = saga();
    let values: Vec<&Channel> = directory.windows.iter().flat_map(|w| &w.channels).collect();
    for number in &page_numbers {
        assert!(
            values.iter().any(|c| c.value == *number
                && matches!(c.kind, ChannelKind::Phone | ChannelKind::ShortCode)),
            "{number} from the page is not in the directory as written"
        );
    }
}

fn extract_numbers(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i] == '#' || chars[i].is_ascii_digit() {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '-') {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let digits = token.chars().filter(char::is_ascii_digit).count();
            if (token.contains('-') && digits >= 10)
                || token.starts_with('#') && digits == 4
                || token == "188"
            {
                numbers.push(token);
            }
        } else {
            i += 1;
        }
    }
    numbers.sort();
    numbers.dedup();
    numbers
}

#[test]
fn report_only_windows_never_advise() {
    let directory = saga();
    for window in directory
        .windows
        .iter()
        .filter(|w| w.kind == WindowKind::ReportOnly)
    {
        assert!(
            !window.capabilities.iter().any(|c| c.is_consultation()),
            "{} is report-only but advises",
            window.id
        );
    }
}

#[test]
fn a_window_is_stored_once_but_listed_in_several_categories() {
    let directory = saga();
    let minna = directory.window("moj-minna-110").unwrap();
    assert!(minna.categories.len() >= 2);
    assert_eq!(
        directory
            .windows
            .iter()
            .filter(|w| w.id == "moj-minna-110")
            .count(),
        1
    );
    assert!(
        directory
            .windows_in("defamation")
            .any(|w| w.id == "moj-minna-110")
    );
    assert!(
        directory
            .windows_in("human-rights")
            .any(|w| w.id == "moj-minna-110")
    );
}

#[test]
fn a_line_id_becomes_lines_own_add_friend_link() {
    let directory = common::saga();
    let line = directory
        .windows
        .iter()
        .flat_map(|w| &w.channels)
        .find(|c| c.kind == madoguchi_core::ChannelKind::Line && c.value.starts_with('@'))
        .expect("a LINE id in the data");
    let id = line.value.trim_start_matches('@');
    assert_eq!(
        line.href(),
        format!("https://line.me/R/ti/p/%40{id}"),
        "LINE URL scheme: the id with @ as %40"
    );
    assert!(line.is_link());
}
