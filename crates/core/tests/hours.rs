//! Opening hours, table-driven: (instant, window, channel, expected state and time).
//!
//! The windows are the embedded Saga data plus `fixtures/hours/hours-cases.toml` for the rules
//! the data does not use yet. Each row reads like the sentence a person would be told.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

mod common;

use std::fs;

use common::{data_root, fixtures, load_files, read_dir};
use jiff::Timestamp;
use madoguchi_core::Directory;
use madoguchi_core::hours::OpenState;

/// The Saga data plus the fixture window with the rules the data does not use yet.
fn directory() -> Directory {
    let mut files = read_dir(&data_root());
    let cases = fs::read_to_string(fixtures().join("hours/hours-cases.toml")).unwrap();
    files.push(("windows/hours-cases.toml".to_owned(), cases));
    load_files(&files)
}

/// `expected` is `open <until>`, `open always`, `closed <next_open>`, `closed never` or `unknown`,
/// with times as `YYYY-MM-DDTHH:MM` in Asia/Tokyo.
fn check(directory: &Directory, at: &str, window: &str, channel: usize, expected: &str) {
    let at: Timestamp = format!("{at}:00+09:00").parse().unwrap();
    let window_ref = directory
        .window(window)
        .unwrap_or_else(|| panic!("no window {window}"));
    let state = window_ref.channels[channel]
        .state_at(at, &directory.holidays)
        .state;
    let format = |z: &jiff::ZonedDateTime| z.strftime("%Y-%m-%dT%H:%M").to_string();
    let actual = match &state {
        OpenState::Open { until: Some(until) } => format!("open {}", format(until)),
        OpenState::Open { until: None } => "open always".to_owned(),
        OpenState::Closed {
            next_open: Some(next),
        } => format!("closed {}", format(next)),
        OpenState::Closed { next_open: None } => "closed never".to_owned(),
        OpenState::Unknown => "unknown".to_owned(),
    };
    assert_eq!(actual, expected, "{window}[{channel}] at {at}");
}

#[rustfmt::skip]
const CASES: &[(&str, &str, usize, &str)] = &[
    // Weekdays 8:30–17:15, closed on holidays and 12/29–1/3 (みんなの人権110番).
    ("2026-11-27T10:00", "moj-minna-110", 0, "open 2026-11-27T17:15"),          // Friday
    ("2026-11-27T08:29", "moj-minna-110", 0, "closed 2026-11-27T08:30"),        // a minute before
    ("2026-11-27T17:15", "moj-minna-110", 0, "closed 2026-11-30T08:30"),        // closing is exclusive
    ("2026-11-28T11:00", "moj-minna-110", 0, "closed 2026-11-30T08:30"),        // Saturday
    ("2026-11-29T11:00", "moj-minna-110", 0, "closed 2026-11-30T08:30"),        // Sunday
    ("2026-11-23T10:00", "moj-minna-110", 0, "closed 2026-11-24T08:30"),        // 勤労感謝の日
    ("2026-05-06T10:00", "moj-minna-110", 0, "closed 2026-05-07T08:30"),        // 振替休日
    ("2026-09-22T10:00", "moj-minna-110", 0, "closed 2026-09-24T08:30"),        // 国民の休日, then 秋分の日
    ("2026-12-31T10:00", "moj-minna-110", 0, "closed 2027-01-04T08:30"),        // 年末年始
    ("2027-01-03T10:00", "moj-minna-110", 0, "closed 2027-01-04T08:30"),        // last day of 年末年始
    ("2026-12-28T10:00", "houterasu-support", 0, "open 2026-12-28T21:00"),      // the day before 年末年始
    ("2026-12-29T10:00", "houterasu-support", 0, "closed 2027-01-04T09:00"),    // first day of 年末年始
    ("2026-11-28T16:59", "houterasu-support", 0, "open 2026-11-28T17:00"),      // Saturday: 9:00–17:00
    // 23:00–05:00 every day (佐賀県自殺予防夜間相談電話).
    ("2026-11-28T19:59", "saga-suicide-night", 0, "closed 2026-11-28T23:00"),
    ("2026-11-28T20:00", "saga-suicide-night", 0, "unknown"),                   // 20:00 or 23:00? sources disagree
    ("2026-11-28T22:59", "saga-suicide-night", 0, "unknown"),
    ("2026-11-28T23:59", "saga-suicide-night", 0, "open 2026-11-29T05:00"),
    ("2026-11-29T00:00", "saga-suicide-night", 0, "open 2026-11-29T05:00"),
    ("2026-11-29T04:59", "saga-suicide-night", 0, "open 2026-11-29T05:00"),
    ("2026-11-29T05:00", "saga-suicide-night", 0, "closed 2026-11-29T23:00"),
    ("2026-12-31T23:30", "saga-suicide-night", 0, "open 2027-01-01T05:00"),     // no year-end closure
    // 24 hours, every day.
    ("2026-11-28T03:00", "yorisoi", 0, "open always"),
    ("2027-01-01T00:00", "yorisoi", 0, "open always"),
    ("2026-11-23T12:00", "saga-police-9110", 0, "open always"),
    // Tue–Sat 9–21, Sundays and holidays 9–16:30, closed Mondays and 12/29–1/3 (アバンセ).
    ("2026-11-28T20:00", "avance-women", 0, "open 2026-11-28T21:00"),           // Saturday
    ("2026-11-29T16:00", "avance-women", 0, "open 2026-11-29T16:30"),           // Sunday
    ("2026-11-30T10:00", "avance-women", 0, "closed 2026-12-01T09:00"),         // Monday
    ("2026-11-23T10:00", "avance-women", 0, "open 2026-11-23T16:30"),           // a Monday holiday uses the holiday hours
    ("2026-12-30T10:00", "avance-women", 0, "closed 2027-01-05T09:00"),         // 年末年始, then a Monday
    // An extended-hours week (こどもの人権110番 強化週間 2025-08-27 to 09-02).
    ("2025-08-30T12:00", "moj-kodomo-110", 0, "open 2025-08-30T17:00"),         // Saturday inside the week
    ("2025-08-28T18:00", "moj-kodomo-110", 0, "open 2025-08-28T19:00"),         // Thursday evening inside
    ("2025-09-04T18:00", "moj-kodomo-110", 0, "closed 2025-09-05T08:30"),       // Thursday evening after
    ("2025-08-23T12:00", "moj-kodomo-110", 0, "closed 2025-08-25T08:30"),       // Saturday before
    // The 10th of each month, 8:00 to 8:00 the next day, and a 24-hour week (いのちの電話).
    ("2026-12-10T10:00", "inochi-denwa", 0, "open 2026-12-11T08:00"),
    ("2026-12-11T07:00", "inochi-denwa", 0, "open 2026-12-11T08:00"),
    ("2026-12-11T10:00", "inochi-denwa", 0, "closed 2026-12-11T16:00"),
    ("2025-09-12T03:00", "inochi-denwa", 0, "open 2025-09-17T08:00"),
    // The second Sunday against the first, and the fourth Thursday.
    ("2026-12-13T15:00", "hours-cases", 0, "open 2026-12-13T16:00"),
    ("2026-12-06T15:00", "hours-cases", 0, "closed 2026-12-13T14:00"),
    ("2026-12-24T14:30", "hours-cases", 0, "open 2026-12-24T16:00"),
    ("2026-12-17T14:30", "hours-cases", 0, "closed 2026-12-24T14:00"),
    // Holidays as ordinary days.
    ("2026-11-23T10:00", "hours-cases", 1, "open 2026-11-23T17:00"),
    ("2027-01-01T17:00", "childline", 0, "closed 2027-01-04T16:00"),
    ("2026-11-23T17:00", "childline", 0, "open 2026-11-23T21:00"),
    // Routes: 188 reaches 国民生活センター at weekends; the 統一ダイヤル has a night cover.
    ("2026-11-28T11:00", "consumer-hotline-188", 0, "open 2026-11-28T16:00"),
    ("2026-11-28T17:00", "consumer-hotline-188", 0, "unknown"),
    ("2026-11-27T19:00", "kokoro-dial", 0, "open 2026-11-27T22:00"), // calls accepted until 22:00
    ("2026-11-27T17:00", "kokoro-dial", 0, "closed 2026-11-27T18:30"),
    ("2026-11-23T19:00", "kokoro-dial", 0, "unknown"),                          // the evening route on a holiday: unconfirmed
    // Unknown hours stay unknown.
    ("2026-11-28T11:00", "nakuna-100", 0, "unknown"),
    ("2026-11-25T11:00", "avance-men", 0, "unknown"),
];

#[test]
fn opening_hours_table() {
    let directory = directory();
    assert!(CASES.len() >= 40);
    for (at, window, channel, expected) in CASES {
        check(&directory, at, window, *channel, expected);
    }
}

#[test]
fn the_188_route_is_named_at_weekends() {
    let directory = directory();
    let window = directory.window("consumer-hotline-188").unwrap();
    let saturday: Timestamp = "2026-11-28T11:00:00+09:00".parse().unwrap();
    let state = window.channels[0].state_at(saturday, &directory.holidays);
    assert_eq!(state.route.as_deref(), Some("国民生活センター（土日祝）"));
    let monday: Timestamp = "2026-11-30T11:00:00+09:00".parse().unwrap();
    assert_eq!(
        window.channels[0]
            .state_at(monday, &directory.holidays)
            .route,
        None
    );
}

#[test]
fn a_window_is_open_when_any_channel_is() {
    let directory = directory();
    // こどもの人権110番 on a Sunday: the phone is closed, the e-mail form takes messages.
    let sunday: Timestamp = "2026-11-29T11:00:00+09:00".parse().unwrap();
    let window = directory.window("moj-kodomo-110").unwrap();
    assert!(
        !window.channels[0]
            .state_at(sunday, &directory.holidays)
            .state
            .is_open()
    );
    assert!(window.state_at(sunday, &directory.holidays).is_open());
}
