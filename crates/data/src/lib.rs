//! The Saga directory in `data/`, embedded at compile time so that the binary runs anywhere
//! with no files beside it. `madoguchi --data DIR` loads another directory instead.

include!(concat!(env!("OUT_DIR"), "/files.rs"));

/// The embedded files as `(path relative to data/, text)`.
pub fn files() -> &'static [(&'static str, &'static str)] {
    FILES
}
