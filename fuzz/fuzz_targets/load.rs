//! The data loader with one arbitrary window file beside the embedded data: it must never
//! panic, only report diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use madoguchi_core::{DataFile, LoadConfig, load};

fuzz_target!(|text: &str| {
    let mut files: Vec<DataFile<'_>> = madoguchi_data::files().iter().map(|(path, text)| DataFile { path, text }).collect();
    files.push(DataFile { path: "windows/fuzz.toml", text });
    let today = jiff::civil::Date::constant(2026, 11, 28);
    let _ = load(&files, LoadConfig { today });
});
