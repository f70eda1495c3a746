//! Triage on the embedded Saga data with arbitrary text: it must never panic and always
//! answer with at most MAX_RESULTS windows.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use madoguchi_core::triage::{MAX_RESULTS, Query, triage};
use madoguchi_core::{DataFile, Directory, LoadConfig, load};

fn directory() -> &'static Directory {
    static DIRECTORY: OnceLock<Directory> = OnceLock::new();
    DIRECTORY.get_or_init(|| {
        let files: Vec<DataFile<'_>> = madoguchi_data::files().iter().map(|(path, text)| DataFile { path, text }).collect();
        let today = jiff::civil::Date::constant(2026, 11, 28);
        load(&files, LoadConfig { today }).expect("the embedded data is valid")
    })
}

fuzz_target!(|text: &str| {
    let at = jiff::Timestamp::from_second(1_796_000_000).expect("a valid instant");
    let answer = triage(directory(), &Query::text(text, at));
    assert!(answer.results.len() <= MAX_RESULTS);
});
