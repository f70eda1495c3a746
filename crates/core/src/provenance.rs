//! Where each fact came from: the pages a window cites (`Source`), which facts each page
//! supports, the page's own date and the day somebody read it. A window's date is the date of
//! its oldest fact, so that a page never says "confirmed two days ago" about a number last
//! printed in 2020.

use jiff::civil::Date;
use serde::Serialize;

/// A page a window's facts were checked against.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// Local to the window's file (`city`, `operator`).
    pub id: String,
    /// An https page.
    pub url: String,
    /// What the page is, in words (「多久市『気を付けて!子供のインターネットトラブル』」).
    pub title: String,
    /// The page's own date (更新日, 掲載日), when it shows one.
    pub published: Option<Date>,
    /// The day somebody read the page for this fact.
    pub checked: Date,
    pub note: Option<String>,
}

/// The window-level part of where its facts came from.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Sources of the window itself: its name, what it is, who it serves, where.
    pub sources: Vec<String>,
    /// Sources of what it can do (`capabilities`).
    pub capabilities: Vec<String>,
    /// Sources of what it cannot do (`cannot`).
    pub cannot: Vec<String>,
    pub confidence: Confidence,
    pub note: Option<String>,
}

/// What a fact is about, in the order that matters for a person: a wrong number sends them to
/// nobody, wrong hours to a closed line, a wrong description to the wrong window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A phone number, short code, address or link, and its cost.
    Contact,
    /// Opening hours of a channel or a route.
    Hours,
    /// A second reading of the hours that a source gives.
    HoursConflict,
    /// What the window can do.
    Capabilities,
    /// What it cannot do.
    Cannot,
    /// The window itself: name, description, audience, area.
    Window,
}

impl FactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Contact => "contact",
            FactKind::Hours => "hours",
            FactKind::HoursConflict => "hours_conflict",
            FactKind::Capabilities => "capabilities",
            FactKind::Cannot => "cannot",
            FactKind::Window => "window",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            FactKind::Contact => "連絡先",
            FactKind::Hours => "受付時間",
            FactKind::HoursConflict => "受付時間（別の情報）",
            FactKind::Capabilities => "できること",
            FactKind::Cannot => "できないこと",
            FactKind::Window => "窓口の説明",
        }
    }
}

/// One fact of a window and the sources that support it.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub kind: FactKind,
    /// Which one, in words (「電話 0570-003-110」, 「電話の受付時間」).
    pub subject: String,
    /// What `subject` is made of, for pages in other languages to build their own words
    /// around: the window's or channel's own name (empty for what the window can and cannot
    /// do), the route of the hours (「国民生活センター（土日祝）」), and what follows the name
    /// (a contact's number or address, a conflict's note).
    #[serde(skip)]
    pub about: String,
    #[serde(skip)]
    pub route: Option<String>,
    #[serde(skip)]
    pub detail: Option<String>,
    /// Ids of the window's sources.
    pub sources: Vec<String>,
    /// `false` for what nobody has confirmed yet (hours 要確認): a question, not a claim.
    pub known: bool,
}

impl Fact {
    /// The fact's date: the newest page date among its sources (a 2025 page confirms a 2020
    /// one), or `None` when no source shows a date.
    pub fn date(&self, sources: &[Source]) -> Option<Date> {
        self.sources_in(sources).filter_map(|s| s.published).max()
    }

    /// The newest day one of its sources was read.
    pub fn checked(&self, sources: &[Source]) -> Option<Date> {
        self.sources_in(sources).map(|s| s.checked).max()
    }

    pub fn sources_in<'a>(&'a self, sources: &'a [Source]) -> impl Iterator<Item = &'a Source> {
        self.sources
            .iter()
            .filter_map(|id| sources.iter().find(|s| &s.id == id))
    }
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
