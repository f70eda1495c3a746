//! Data validation, driven by fixtures: `fixtures/directory-small` must load cleanly, and each
//! file in `fixtures/invalid/` must produce exactly the diagnostics its `# expect:` lines name.
//!
//! An invalid fixture is placed at `windows/<file stem>.toml` inside a copy of the small
//! directory, or at the path its `# path:` line gives.

#![allow(clippy::unwrap_used)] // Tests fail loudly on broken fixtures.

use std::fs;

mod common;

use common::{data_root, fixtures, read_dir, try_load};

/// Loads `files` and returns every error as `check` prints it, and the warnings about files
/// in `warn_for` (the realistic small directory has warnings of its own: facts over two years
/// old).
fn check_warning(files: &[(String, String)], warn_for: &[&str]) -> Vec<String> {
    let diagnostics = match try_load(files) {
        Ok(directory) => directory.warnings,
        Err(diagnostics) => diagnostics,
    };
    diagnostics
        .iter()
        .filter(|d| !d.rule.is_warning() || warn_for.contains(&d.file.as_str()))
        .map(ToString::to_string)
        .collect()
}

fn check(files: &[(String, String)]) -> Vec<String> {
    check_warning(files, &[])
}

#[test]
fn small_directory_is_valid() {
    let files = read_dir(&fixtures().join("directory-small"));
    assert_eq!(check(&files), Vec::<String>::new());
}

#[test]
fn embedded_saga_data_is_valid() {
    let files = read_dir(&data_root());
    assert_eq!(check(&files), Vec::<String>::new());
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_message() {
    let base = read_dir(&fixtures().join("directory-small"));
    let mut rules_covered = std::collections::BTreeSet::new();
    let mut entries: Vec<_> = fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(
        entries.len() >= 12,
        "at least 12 rules need a fixture, found {}",
        entries.len()
    );
    for path in entries {
        let text = fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let placed = text
            .lines()
            .find_map(|l| l.strip_prefix("# path: "))
            .map_or(format!("windows/{stem}.toml"), str::to_owned);
        let expected: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(str::to_owned)
            .collect();
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:` line",
            path.display()
        );
        let mut files = base.clone();
        files.push((placed.clone(), text.clone()));
        let actual = check_warning(&files, &[&placed]);
        assert_eq!(actual, expected, "diagnostics for {}", path.display());
        for line in &expected {
            rules_covered.insert(line.split(": ").nth(1).unwrap_or_default().to_owned());
        }
    }
    assert!(
        rules_covered.len() >= 12,
        "rules covered: {rules_covered:?}"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut files = read_dir(&fixtures().join("directory-small"));
    for stem in ["phone-number", "unknown-category", "syntax"] {
        let text =
            fs::read_to_string(fixtures().join("invalid").join(format!("{stem}.toml"))).unwrap();
        files.push((format!("windows/{stem}.toml"), text));
    }
    let actual = check(&files);
    assert_eq!(actual.len(), 3, "{actual:#?}");
}

proptest::proptest! {
    /// The loader never panics on a broken window file: it reports, whatever the bytes.
    #[test]
    fn loader_never_panics_on_mangled_window_files(cut in 0usize..2000, insert in "\\PC{0,40}") {
        let mut files = read_dir(&fixtures().join("directory-small"));
        let original = fs::read_to_string(fixtures().join("directory-small/windows/ihaho.toml")).unwrap();
        let at = original.char_indices().map(|(i, _)| i).nth(cut % original.chars().count()).unwrap_or(0);
        let mangled = format!("{}{}{}", &original[..at], insert, &original[at..]);
        files.retain(|(path, _)| path != "windows/ihaho.toml");
        files.push(("windows/ihaho.toml".to_owned(), mangled));
        let _ = check(&files);
    }
}
