//! Where the data files come from: the embedded copy or a directory on disk.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use madoguchi_core::{DataFile, Diagnostic, Directory, LoadConfig};

/// The data files' paths and texts, owned.
pub struct Files {
    entries: Vec<(String, String)>,
}

impl Files {
    pub fn embedded() -> Files {
        Files::from_entries(
            madoguchi_data::files()
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
        )
    }

    /// Files as the store keeps them.
    pub fn from_entries(mut entries: Vec<(String, String)>) -> Files {
        entries.sort();
        Files { entries }
    }

    /// The paths and texts, sorted by path.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    pub fn from_dir(root: &Path) -> Result<Files> {
        let mut entries = Vec::new();
        collect(root, root, &mut entries)?;
        entries.sort();
        Ok(Files { entries })
    }

    /// Writes the files under `root` as they are (`export --format toml`): the same bytes
    /// the directory was loaded from, so an unchanged directory exports byte for byte.
    pub fn write_to(&self, root: &Path) -> Result<usize> {
        for (path, text) in &self.entries {
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::write(&target, text)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(self.entries.len())
    }

    pub fn load(&self, config: LoadConfig) -> Result<Directory, Vec<Diagnostic>> {
        let files: Vec<DataFile<'_>> = self
            .entries
            .iter()
            .map(|(path, text)| DataFile { path, text })
            .collect();
        madoguchi_core::load(&files, config)
    }
}

fn collect(root: &Path, dir: &Path, entries: &mut Vec<(String, String)>) -> Result<()> {
    let listing = fs::read_dir(dir)
        .with_context(|| format!("cannot read data directory {}", dir.display()))?;
    for entry in listing {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if path.is_dir() {
            collect(root, &path, entries)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            let relative = path
                .strip_prefix(root)
                .with_context(|| format!("{} is outside {}", path.display(), root.display()))?
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            entries.push((relative, text));
        }
    }
    Ok(())
}
