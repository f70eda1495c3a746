//! The normalizer on arbitrary text: it must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = madoguchi_core::triage::normalize::normalize(text);
});
