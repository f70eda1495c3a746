//! `export --format toml` writes the live directory back as data files, byte for byte what it
//! was loaded from, and the result passes `check` and exports again unchanged.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

fn madoguchi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(args)
        .env("MADOGUCHI_DATABASE", temp("unused.db"))
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "madoguchi-round-trip-{}-{name}",
        std::process::id()
    ))
}

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((relative, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_embedded_directory_exports_as_its_own_files() {
    let first = temp("first");
    let second = temp("second");
    let output = madoguchi(&["export", "--format", "toml", first.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    assert_eq!(files(&first), files(&data), "byte for byte the data/ files");

    let check = madoguchi(&["check", "--data", first.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let again = madoguchi(&[
        "export",
        "--data",
        first.to_str().unwrap(),
        "--format",
        "toml",
        second.to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert_eq!(files(&first), files(&second), "stable when nothing changed");

    let no_dir = madoguchi(&["export", "--format", "toml"]);
    assert!(!no_dir.status.success());
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("give the folder"));
    std::fs::remove_dir_all(first).unwrap();
    std::fs::remove_dir_all(second).unwrap();
}
