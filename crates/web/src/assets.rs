//! The stylesheet and the quick-exit script, embedded and served under a content hash so that
//! browsers may cache them for a year.

pub const CSS: &str = include_str!("../static/style.css");
pub const EXIT_JS: &str = include_str!("../static/exit.js");

/// A short, stable hash of an asset's bytes (FNV-1a), for its URL.
pub fn content_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:012x}", hash & 0xffff_ffff_ffff)
}

/// The paths the pages link to.
#[derive(Debug, Clone)]
pub struct AssetPaths {
    pub css: String,
    pub exit_js: String,
}

impl AssetPaths {
    pub fn new() -> AssetPaths {
        AssetPaths {
            css: format!("/static/style-{}.css", content_hash(CSS)),
            exit_js: format!("/static/exit-{}.js", content_hash(EXIT_JS)),
        }
    }
}

impl Default for AssetPaths {
    fn default() -> AssetPaths {
        AssetPaths::new()
    }
}
