//! The data file format: what a reviewer edits in `data/`.
//!
//! These structs mirror the TOML files one to one and keep the byte span of every value that a
//! validation rule may point at, so that `madoguchi check` can say `file:line`. `load.rs` turns
//! them into the model and collects every problem on the way. `docs/data-format.md` documents
//! the format for people.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaFile {
    pub title: String,
    pub publisher: String,
    pub license: String,
    pub license_url: S<String>,
    pub seed_url: S<String>,
    pub seed_updated: S<Datetime>,
    /// The numbers and statements the seed page makes, as written: a fact whose only source
    /// is the seed page must be one of them.
    #[serde(default)]
    pub seed_facts: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationsFile {
    pub organization: Vec<OrganizationEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    pub id: S<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    pub url: Option<S<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoriesFile {
    pub category: Vec<CategoryEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryEntry {
    pub id: S<String>,
    pub name: String,
    pub short_name: String,
    pub description: String,
    #[serde(default)]
    pub from_page: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationsFile {
    pub situation: Vec<SituationEntry>,
    pub outcome: Vec<OutcomeEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationEntry {
    pub id: S<String>,
    pub name: String,
    pub description: String,
    pub outcomes: Vec<S<String>>,
    #[serde(default)]
    pub ask_gender: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeEntry {
    pub id: S<String>,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    pub municipality: Vec<MunicipalityEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityEntry {
    pub code: S<String>,
    pub name: String,
    pub prefecture: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaysFile {
    #[serde(default)]
    pub add: Vec<HolidayEntry>,
    #[serde(default)]
    pub remove: Vec<HolidayEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayEntry {
    pub date: S<Datetime>,
    pub name: String,
}

/// One window per file: `data/windows/<id>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowFile {
    pub id: S<String>,
    pub name: S<String>,
    /// The English name the operator publishes, with the pages that show it.
    pub name_en: Option<S<NameEntry>>,
    pub short_name: Option<String>,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    #[serde(default)]
    pub shared_aliases: Vec<S<String>>,
    pub reading: Option<S<String>>,
    pub organization: S<String>,
    pub kind: S<String>,
    pub summary: S<String>,
    pub description: Option<String>,
    pub url: Option<S<String>>,
    pub categories: Vec<S<String>>,
    #[serde(default)]
    pub capabilities: Vec<S<String>>,
    #[serde(default)]
    pub cannot: Vec<String>,
    #[serde(default)]
    pub prepare: Vec<String>,
    #[serde(default)]
    pub steps: Vec<String>,
    pub who_answers: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub situations: BTreeMap<String, S<u8>>,
    #[serde(default)]
    pub outcomes: BTreeMap<String, S<u8>>,
    pub audience: AudienceEntry,
    pub area: AreaEntry,
    #[serde(default)]
    pub channels: Vec<ChannelEntry>,
    pub provenance: ProvenanceEntry,
    /// The pages this window's facts cite (`[[source]]`).
    #[serde(default)]
    pub source: Vec<SourceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceEntry {
    pub groups: Vec<S<String>>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaEntry {
    pub scope: S<String>,
    #[serde(default)]
    pub municipalities: Vec<S<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelEntry {
    pub kind: S<String>,
    pub value: S<String>,
    pub label: Option<String>,
    pub cost: Option<S<String>>,
    #[serde(default)]
    pub caveats: Vec<String>,
    pub note: Option<String>,
    pub hours: S<HoursEntry>,
    #[serde(default)]
    pub routes: Vec<RouteEntry>,
    /// Sources of the number or address and its cost.
    pub sources: Option<S<Vec<String>>>,
    /// The languages this channel serves, as its operator (or a public body) states them.
    pub languages: Option<S<LanguagesEntry>>,
}

/// `name_en = { text = "…", sources = ["…"] }`: an official name in another language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameEntry {
    pub text: S<String>,
    pub sources: Option<S<Vec<String>>>,
}

/// `languages = { codes = ["en", "zh"], sources = ["…"] }`: absent when unknown.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguagesEntry {
    pub codes: S<Vec<String>>,
    pub sources: Option<S<Vec<String>>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteEntry {
    pub label: String,
    pub note: Option<String>,
    pub hours: S<HoursEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursEntry {
    pub status: S<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub rules: Vec<RuleEntry>,
    pub holidays: Option<S<String>>,
    #[serde(default)]
    pub closed: Vec<RangeEntry>,
    #[serde(default)]
    pub special: Vec<SpecialEntry>,
    /// Sources of these hours (required when known).
    pub sources: Option<S<Vec<String>>>,
    pub confidence: Option<S<String>>,
    pub conflict: Option<S<ConflictEntry>>,
}

/// Hours another source gives: the intervals where the sources disagree.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictEntry {
    pub rules: Vec<RuleEntry>,
    pub sources: S<Vec<String>>,
    pub note: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub days: S<Vec<String>>,
    #[serde(default)]
    pub nth: Vec<u8>,
    #[serde(default)]
    pub month_days: Vec<u8>,
    pub open: S<String>,
    pub close: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeEntry {
    pub from: S<String>,
    pub to: S<String>,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialEntry {
    pub from: S<String>,
    pub to: S<String>,
    pub label: Option<String>,
    pub rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceEntry {
    /// Sources of the window itself: name, description, audience, area.
    pub sources: S<Vec<String>>,
    /// Sources of `capabilities` (required when it is not empty).
    pub capabilities: Option<S<Vec<String>>>,
    /// Sources of `cannot` (required when it is not empty).
    pub cannot: Option<S<Vec<String>>>,
    pub confidence: S<String>,
    pub note: Option<String>,
}

/// A page a window's facts cite.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub id: S<String>,
    pub url: S<String>,
    pub title: S<String>,
    /// The page's own date, when it shows one.
    pub published: Option<S<Datetime>>,
    /// The day somebody read it.
    pub checked: S<Datetime>,
    pub note: Option<String>,
}

/// `readings.toml`: kanji words and their readings, for ふりがな.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingsFile {
    pub words: BTreeMap<String, S<String>>,
}

/// `advice.toml`: first steps per situation, the evidence guide and services' help pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceFile {
    #[serde(default)]
    pub source: Vec<SourceEntry>,
    pub evidence: EvidenceEntry,
    #[serde(default)]
    pub steps: Vec<StepsEntry>,
    #[serde(default)]
    pub platform: Vec<PlatformEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceEntry {
    pub title: S<String>,
    pub lead: S<String>,
    pub step: Vec<StepEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepsEntry {
    pub situation: S<String>,
    pub step: Vec<StepEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepEntry {
    pub text: S<String>,
    pub sources: Option<S<Vec<String>>>,
    /// Plain advice that states no fact, so it needs no source.
    #[serde(default)]
    pub general: bool,
    #[serde(default)]
    pub windows: Vec<S<String>>,
    #[serde(default)]
    pub evidence: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformEntry {
    pub id: S<String>,
    pub name: S<String>,
    pub link: Vec<PlatformLinkEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformLinkEntry {
    pub kind: S<String>,
    pub label: S<String>,
    pub url: S<String>,
    pub situations: Vec<S<String>>,
    pub sources: Option<S<Vec<String>>>,
}

/// Parses a TOML file whose problems are reported as (span, message), for the files that
/// check their own references (lexicon, questions).
pub fn parse_spanned<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, Vec<(std::ops::Range<usize>, String)>> {
    toml::from_str(text)
        .map_err(|error| vec![(error.span().unwrap_or(0..0), first_line(error.message()))])
}

pub fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().trim().to_owned()
}

/// `lang/<code>/*.toml`: a language's phrase table, one `[[text]]` per Japanese text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationFile {
    #[serde(default)]
    pub text: Vec<TranslationEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationEntry {
    /// The Japanese text exactly as the data writes it.
    pub ja: Spanned<String>,
    /// The same text in the folder's language.
    pub say: Spanned<String>,
}
