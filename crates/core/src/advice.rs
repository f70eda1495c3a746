//! What an answer says besides the windows (`advice.toml`): the first steps for each
//! situation, one guide to saving evidence, and the services' own help pages. Data only; the
//! triage stage `advise` picks what applies to an answer.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::provenance::Source;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Advice {
    /// The pages the steps and links cite, by id.
    pub sources: Vec<Source>,
    pub evidence: EvidenceGuide,
    /// Situation id → its first steps, in order.
    pub steps: BTreeMap<String, Vec<FirstStep>>,
    pub platforms: Vec<Platform>,
}

/// How to save evidence: one page, linked from every step that says to save something.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvidenceGuide {
    pub title: String,
    pub lead: String,
    pub steps: Vec<FirstStep>,
}

/// One short thing to do, before or while contacting a window.
#[derive(Debug, Clone, Serialize)]
pub struct FirstStep {
    pub text: String,
    /// The pages that state it; empty for plain advice (`general = true`).
    pub sources: Vec<String>,
    /// Windows the step names; every number in the text is one of their channels.
    pub windows: Vec<String>,
    /// The step is about saving evidence: link the evidence guide.
    pub evidence: bool,
}

/// A service people use (X, LINE, Google) and its own help pages.
#[derive(Debug, Clone, Serialize)]
pub struct Platform {
    pub id: String,
    pub name: String,
    pub links: Vec<PlatformLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlatformLink {
    pub kind: LinkKind,
    pub label: String,
    pub url: String,
    /// The situations this page helps with.
    pub situations: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Report a post or an account.
    Report,
    /// Get an account back.
    Recovery,
    /// Ask for one's own information or image to come down.
    Privacy,
    /// Keep something out of search results or from spreading.
    Removal,
    /// A help centre's front page, where no more precise page is confirmed.
    Help,
}

impl LinkKind {
    pub fn parse(text: &str) -> Option<LinkKind> {
        match text {
            "report" => Some(LinkKind::Report),
            "recovery" => Some(LinkKind::Recovery),
            "privacy" => Some(LinkKind::Privacy),
            "removal" => Some(LinkKind::Removal),
            "help" => Some(LinkKind::Help),
            _ => None,
        }
    }
}

/// One help page chosen for an answer: `platforms[platform].links[link]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkRef {
    pub platform: usize,
    pub link: usize,
}

impl Advice {
    pub fn steps_for(&self, situation: &str) -> &[FirstStep] {
        self.steps.get(situation).map_or(&[], Vec::as_slice)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.id == id)
    }

    pub fn link(&self, at: LinkRef) -> Option<(&Platform, &PlatformLink)> {
        let platform = self.platforms.get(at.platform)?;
        Some((platform, platform.links.get(at.link)?))
    }

    /// The help pages for a situation: those of the services the person named first, then
    /// the others, at most `limit`.
    pub fn links_for(&self, situation: &str, named: &[String], limit: usize) -> Vec<LinkRef> {
        let mut chosen: Vec<(bool, LinkRef)> = Vec::new();
        for (p, platform) in self.platforms.iter().enumerate() {
            let is_named = named.iter().any(|n| n == &platform.id);
            for (l, link) in platform.links.iter().enumerate() {
                if link.situations.iter().any(|s| s == situation) {
                    chosen.push((
                        is_named,
                        LinkRef {
                            platform: p,
                            link: l,
                        },
                    ));
                }
            }
        }
        // Named services first; otherwise the file's order (stable sort).
        chosen.sort_by_key(|(is_named, _)| !is_named);
        chosen.into_iter().take(limit).map(|(_, r)| r).collect()
    }
}
