//! Where a fact came from: the page it was checked against, when, and how sure we are.

use jiff::civil::Date;
use serde::Serialize;

/// Where a fact came from and when somebody last checked it.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// The https page the fact was checked against.
    pub source: String,
    /// What else supports it when the evidence is not a web page (広報, 新聞記事).
    pub citation: Option<String>,
    pub verified: Date,
    pub confidence: Confidence,
    pub note: Option<String>,
}

/// Provenance for one field that differs from the window's own.
#[derive(Debug, Clone, Serialize)]
pub struct FieldProvenance {
    pub field: String,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Confidence> {
        match text {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Confidence::High => "高",
            Confidence::Medium => "中",
            Confidence::Low => "低（要確認）",
        }
    }
}
