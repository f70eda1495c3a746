//! Shared by the core's integration tests and the triage bench: reading data directories from
//! disk and loading them with a fixed "today".

#![allow(dead_code, clippy::unwrap_used)] // Each test file uses a part; tests fail loudly.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use madoguchi_core::{DataFile, Diagnostic, Directory, LoadConfig, load};

/// The day the data's verified dates are checked against.
pub const TODAY: Date = Date::constant(2026, 11, 30);

pub fn data_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every `.toml` file below `root` as (path relative to `root`, text), sorted.
pub fn read_dir(root: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

pub fn try_load(files: &[(String, String)]) -> Result<Directory, Vec<Diagnostic>> {
    let data: Vec<DataFile<'_>> = files
        .iter()
        .map(|(p, t)| DataFile { path: p, text: t })
        .collect();
    load(&data, LoadConfig::full(TODAY))
}

pub fn load_files(files: &[(String, String)]) -> Directory {
    try_load(files).unwrap()
}

/// The Saga data set in `data/`.
pub fn saga() -> Directory {
    load_files(&read_dir(&data_root()))
}
