//! Loading and validating the data files: text in, a `Directory` or every problem out.
//!
//! The loader never stops at the first problem. Each file is parsed on its own; a file that
//! fails to parse reports one diagnostic and is skipped, and every rule runs over everything
//! that did parse, so that `madoguchi check` lists all problems of a data set at once as
//! `file:line: rule: message`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::value::Datetime;

mod advice;
mod translation;

pub use advice::{MAX_STEP_CHARS, numbers_in};

use crate::format::{
    AdviceFile, CategoriesFile, ChannelEntry, HolidaysFile, HoursEntry, MetaFile,
    OrganizationsFile, ReadingsFile, RegionsFile, RuleEntry, SituationsFile, SourceEntry,
    WindowFile, first_line,
};
use crate::holidays::HolidayCalendar;
use crate::hours::{
    self, Conflict, DateRange, DateSpec, Day, HolidayPolicy, Schedule, SpecialPeriod, Weekly,
};
use crate::lexicon::{self, Lexicon};
use crate::model::{
    Area, AreaScope, Audience, AudienceGroup, Capability, Category, Channel, ChannelKind,
    Confidence, Cost, Directory, Fit, Languages, Meta, Municipality, Organization, Outcome,
    Provenance, Route, Situation, Source, SourcedText, Window, WindowKind,
};
use crate::triage::normalize::fold;

/// One data file: its path relative to the data directory (always with `/`) and its text.
#[derive(Debug, Clone, Copy)]
pub struct DataFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// A problem found in the data, at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub rule: CheckRule,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let warning = if self.rule.is_warning() {
            "warning: "
        } else {
            ""
        };
        write!(
            f,
            "{}:{}: {warning}{}: {}",
            self.file,
            self.line,
            self.rule.name(),
            self.message
        )
    }
}

/// The validation rules. Each has a stable name that appears in `check`'s output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckRule {
    /// The file is not valid TOML.
    Syntax,
    /// A required field or file is missing.
    RequiredField,
    /// A field that the format does not know (often a typo).
    UnknownField,
    /// A value of the wrong type.
    Schema,
    /// A value outside its fixed set (kind, capability, cost, confidence, channel kind).
    UnknownValue,
    /// Two records share an id.
    DuplicateId,
    /// An id is not lowercase kebab-case, or does not match its file name.
    IdFormat,
    /// A reference to an organization, situation or outcome that does not exist.
    UnknownReference,
    /// A category that `categories.toml` does not define.
    UnknownCategory,
    /// An audience group outside the known set.
    UnknownAudience,
    /// A municipality code that `regions.toml` does not define.
    UnknownRegion,
    /// A phone number that is not a valid Japanese number.
    PhoneNumber,
    /// A short code outside the allowlist.
    ShortCode,
    /// A URL that is not https.
    HttpsUrl,
    /// A verified date in the future.
    VerifiedDate,
    /// A window nobody can reach.
    NoChannel,
    /// A report-only window marked as giving consultation.
    ReportOnlyConsultation,
    /// A cost that contradicts the number (0120 is free, 0570 is ナビダイヤル).
    CostMismatch,
    /// Opening hours that cannot be right.
    Hours,
    /// A fit strength outside 1 to 3.
    FitStrength,
    /// An empty text where a person needs words.
    EmptyText,
    /// A triage lexicon or question problem.
    Triage,
    /// A window's name, alias or reading that another window also uses, or a reading that is
    /// not hiragana.
    Alias,
    /// A fact without a source, a reference to a source the window does not list, or a source
    /// that cannot be right (a page dated after it was read, an id used twice).
    Source,
    /// A number or hours whose only source is the seed page, which does not state them.
    SeedFact,
    /// A warning: a number or hours whose newest source is more than two years old.
    StaleSource,
    /// A situation without first steps, a step too long to read, or a number in a step that
    /// none of the windows it lists has.
    FirstSteps,
    /// A reading that is not hiragana or does not fit its word, or a kanji in a window's name
    /// that no reading covers (the children's pages need ふりがな on every kanji).
    Furigana,
    /// A translation that says a number or an address its Japanese text does not, is empty, or
    /// translates the same text twice; a language folder that is not a known code.
    Translation,
    /// A warning: a translation whose Japanese text is no longer in the data (it was changed
    /// or removed; the new text shows in Japanese until someone translates it).
    StaleTranslation,
}

impl CheckRule {
    /// Warnings are printed by `check` but do not fail it.
    pub fn is_warning(self) -> bool {
        matches!(self, CheckRule::StaleSource | CheckRule::StaleTranslation)
    }

    pub fn name(self) -> &'static str {
        match self {
            CheckRule::Syntax => "syntax",
            CheckRule::RequiredField => "required-field",
            CheckRule::UnknownField => "unknown-field",
            CheckRule::Schema => "schema",
            CheckRule::UnknownValue => "unknown-value",
            CheckRule::DuplicateId => "duplicate-id",
            CheckRule::IdFormat => "id-format",
            CheckRule::UnknownReference => "unknown-reference",
            CheckRule::UnknownCategory => "unknown-category",
            CheckRule::UnknownAudience => "unknown-audience",
            CheckRule::UnknownRegion => "unknown-region",
            CheckRule::PhoneNumber => "phone-number",
            CheckRule::ShortCode => "short-code",
            CheckRule::HttpsUrl => "https-url",
            CheckRule::VerifiedDate => "verified-date",
            CheckRule::NoChannel => "no-channel",
            CheckRule::ReportOnlyConsultation => "report-only-consultation",
            CheckRule::CostMismatch => "cost-mismatch",
            CheckRule::Hours => "hours",
            CheckRule::FitStrength => "fit-strength",
            CheckRule::EmptyText => "empty-text",
            CheckRule::Triage => "triage",
            CheckRule::Alias => "alias",
            CheckRule::Source => "source",
            CheckRule::SeedFact => "seed-fact",
            CheckRule::StaleSource => "stale-source",
            CheckRule::FirstSteps => "first-steps",
            CheckRule::Furigana => "furigana",
            CheckRule::Translation => "translation",
            CheckRule::StaleTranslation => "stale-translation",
        }
    }
}

/// A number or hours whose newest source is older than this many months gets a warning.
pub const STALE_MONTHS: i64 = 24;

/// Short dials that are valid although no numbering plan lists them as ordinary numbers.
pub const SHORT_CODES: &[&str] = &[
    "110", "119", "118", "171", "188", "189", "#7119", "#8000", "#8008", "#8103", "#8891", "#9110",
    "#9999",
];

/// Everything `load` needs besides the files: the date that counts as today.
#[derive(Debug, Clone, Copy)]
pub struct LoadConfig {
    /// Verified dates after this day are refused.
    pub today: Date,
    /// Check every phone number against the numbering plan. Reading the plan's metadata
    /// takes most of a start-up (about 90 ms), so the service skips it for the embedded data,
    /// which `check` and the tests validated before it was built in.
    pub check_phone_numbers: bool,
}

impl LoadConfig {
    /// Every rule, for `check`, a data directory and the tests.
    pub fn full(today: Date) -> LoadConfig {
        LoadConfig {
            today,
            check_phone_numbers: true,
        }
    }
}

/// Parses and validates a data set. Returns the directory only when there is no problem.
pub fn load(files: &[DataFile<'_>], config: LoadConfig) -> Result<Directory, Vec<Diagnostic>> {
    let mut loader = Loader {
        diagnostics: Vec::new(),
        config,
        seed: None,
        names: HashMap::new(),
        shared_names: HashMap::new(),
        organization_names: HashMap::new(),
    };
    let directory = loader.run(files);
    let mut diagnostics = loader.diagnostics;
    diagnostics.sort();
    diagnostics.dedup();
    let (warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.rule.is_warning());
    match directory {
        Some(mut directory) if errors.is_empty() => {
            directory.warnings = warnings;
            Ok(directory)
        }
        _ => Err(errors.into_iter().chain(warnings).collect()),
    }
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    config: LoadConfig,
    /// The seed page's address and its facts (folded), for the `seed-fact` rule.
    seed: Option<(String, Vec<String>)>,
    /// Folded names, aliases and readings → the window that uses them (its id and file).
    names: HashMap<String, (String, String)>,
    /// Folded shared aliases, which may name several windows but no window alone.
    shared_names: HashMap<String, String>,
    /// Folded organization aliases → (organization id, file, line).
    organization_names: HashMap<String, (String, String, usize)>,
}

/// The file a diagnostic points into.
#[derive(Clone, Copy)]
struct Here<'a> {
    path: &'a str,
    text: &'a str,
}

impl Here<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }
}

impl Loader {
    fn report(
        &mut self,
        here: Here<'_>,
        span: Range<usize>,
        rule: CheckRule,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            file: here.path.to_owned(),
            line: here.line(span),
            rule,
            message: message.into(),
        });
    }

    fn run<'a>(&mut self, files: &[DataFile<'a>]) -> Option<Directory> {
        let by_path: HashMap<&'a str, DataFile<'a>> = files.iter().map(|f| (f.path, *f)).collect();

        let meta = self.required::<MetaFile>(&by_path, "meta.toml");
        let organizations = self.required::<OrganizationsFile>(&by_path, "organizations.toml");
        let categories = self.required::<CategoriesFile>(&by_path, "categories.toml");
        let situations = self.required::<SituationsFile>(&by_path, "situations.toml");
        let regions = self.required::<RegionsFile>(&by_path, "regions.toml");
        let holidays = self.optional::<HolidaysFile>(&by_path, "holidays.toml");

        let meta = meta.and_then(|(here, file)| self.convert_meta(here, file));
        let organizations = organizations
            .map(|(here, file)| self.convert_organizations(here, file))
            .unwrap_or_default();
        let categories = categories
            .map(|(here, file)| self.convert_categories(here, file))
            .unwrap_or_default();
        let (situations, outcomes) = situations
            .map(|(here, file)| self.convert_situations(here, file))
            .unwrap_or_default();
        let municipalities = regions
            .map(|(here, file)| self.convert_regions(here, file))
            .unwrap_or_default();
        let holidays = holidays
            .map(|(here, file)| self.convert_holidays(here, file))
            .unwrap_or_else(|| HolidayCalendar::new(BTreeMap::new(), BTreeSet::new()));

        let known = Known {
            organizations: organizations.iter().map(|o| o.id.clone()).collect(),
            categories: categories.iter().map(|c| c.id.clone()).collect(),
            situations: situations.iter().map(|s| s.id.clone()).collect(),
            outcomes: outcomes.iter().map(|o| o.id.clone()).collect(),
            municipalities: municipalities.iter().map(|m| m.code.clone()).collect(),
        };

        let readings = self
            .required::<ReadingsFile>(&by_path, "readings.toml")
            .map(|(here, file)| self.convert_readings(here, file))
            .unwrap_or_default();

        let mut window_files: Vec<&DataFile<'_>> = files
            .iter()
            .filter(|f| f.path.starts_with("windows/") && f.path.ends_with(".toml"))
            .collect();
        window_files.sort_by_key(|f| f.path);
        let mut windows = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for file in window_files {
            let here = Here {
                path: file.path,
                text: file.text,
            };
            let Some(parsed) = self.parse::<WindowFile>(here) else {
                continue;
            };
            let id_span = parsed.id.span();
            self.check_furigana(here, &parsed, &readings);
            if let Some(window) = self.convert_window(here, parsed, &known) {
                if let Some(first) = seen.get(&window.id) {
                    let message = format!("window id `{}` is already used by {first}", window.id);
                    self.report(here, id_span, CheckRule::DuplicateId, message);
                    continue;
                }
                seen.insert(window.id.clone(), file.path.to_owned());
                windows.push(window);
            }
        }
        // An organization's alias names all its windows: no window may have it as its own.
        let mut clashes: Vec<(String, String, usize, String)> = self
            .organization_names
            .iter()
            .filter_map(|(folded, (org, file, line))| {
                self.names
                    .get(folded)
                    .map(|(window, _)| (file.clone(), org.clone(), *line, window.clone()))
            })
            .collect();
        clashes.sort();
        for (file, org, line, window) in clashes {
            self.diagnostics.push(Diagnostic {
                file,
                line,
                rule: CheckRule::Alias,
                message: format!(
                    "an alias of organization `{org}` is already a name of window `{window}`"
                ),
            });
        }
        if windows.is_empty() {
            self.diagnostics.push(Diagnostic {
                file: "windows/".to_owned(),
                line: 1,
                rule: CheckRule::RequiredField,
                message: "the data set has no window".to_owned(),
            });
        }

        let advice = self
            .required::<AdviceFile>(&by_path, "advice.toml")
            .map(|(here, file)| self.convert_advice(here, file, &known, &windows))
            .unwrap_or_default();

        let lexicon = self.lexicon(&by_path, &known, &windows, &advice);

        let questions = match by_path.get("questions.toml") {
            Some(file) => {
                let here = Here {
                    path: file.path,
                    text: file.text,
                };
                match crate::guide::parse(file.text) {
                    Ok(questions) => {
                        self.check_situation_groups(here, &questions, &known);
                        questions
                    }
                    Err(problems) => {
                        for (span, message) in problems {
                            self.report(here, span, CheckRule::Triage, message);
                        }
                        crate::guide::Questions::default()
                    }
                }
            }
            None => crate::guide::Questions::default(),
        };

        let meta = meta?;
        let mut directory = Directory {
            translations: Default::default(),
            language: None,
            warnings: Vec::new(),
            meta,
            organizations,
            categories,
            situations,
            outcomes,
            municipalities,
            window_index: windows
                .iter()
                .enumerate()
                .map(|(i, w)| (w.id.clone(), i))
                .collect(),
            windows,
            holidays,
            lexicon,
            questions,
            advice,
            readings,
        };
        directory.translations = self.translations(files, &directory);
        Some(directory)
    }

    /// Every word aligns with its reading.
    fn convert_readings(
        &mut self,
        here: Here<'_>,
        file: ReadingsFile,
    ) -> crate::readings::Readings {
        let mut words = Vec::new();
        for (text, reading) in file.words {
            match crate::readings::align(&text, reading.get_ref()) {
                Ok(pieces) => words.push(crate::readings::Word {
                    text,
                    reading: reading.get_ref().clone(),
                    pieces,
                }),
                Err(message) => self.report(here, reading.span(), CheckRule::Furigana, message),
            }
        }
        crate::readings::Readings::new(words)
    }

    /// Every kanji of a window's name has a reading: the children's pages show it with ふりがな.
    fn check_furigana(
        &mut self,
        here: Here<'_>,
        file: &WindowFile,
        readings: &crate::readings::Readings,
    ) {
        let missing = readings.uncovered(file.name.get_ref());
        if !missing.is_empty() {
            let kanji: String = missing.into_iter().collect();
            let message = format!(
                "no reading for {kanji} in the name 「{}」; add the word to readings.toml",
                file.name.get_ref()
            );
            self.report(here, file.name.span(), CheckRule::Furigana, message);
        }
    }

    /// The first question lists every situation once, under a group.
    fn check_situation_groups(
        &mut self,
        here: Here<'_>,
        questions: &crate::guide::Questions,
        known: &Known,
    ) {
        for option in &questions.kids {
            if !known.situations.contains(&option.situation) {
                let message = format!(
                    "situation `{}` of the children's list is not in situations.toml",
                    option.situation
                );
                self.report(here, 0..0, CheckRule::Triage, message);
            }
        }
        if questions.situation_groups.is_empty() {
            return;
        }
        let mut listed: HashMap<&str, usize> = HashMap::new();
        for group in &questions.situation_groups {
            for id in &group.situations {
                *listed.entry(id.as_str()).or_default() += 1;
                if !known.situations.contains(id) {
                    let message = format!(
                        "situation `{id}` in group `{}` is not in situations.toml",
                        group.label
                    );
                    self.report(here, 0..0, CheckRule::Triage, message);
                }
            }
        }
        let mut problems: Vec<String> = known
            .situations
            .iter()
            .filter_map(|id| match listed.get(id.as_str()) {
                None => Some(format!(
                    "situation `{id}` is in no group of the first question"
                )),
                Some(n) if *n > 1 => Some(format!(
                    "situation `{id}` is in {n} groups of the first question"
                )),
                _ => None,
            })
            .collect();
        problems.sort();
        for message in problems {
            self.report(here, 0..0, CheckRule::Triage, message);
        }
    }

    fn lexicon(
        &mut self,
        by_path: &HashMap<&str, DataFile<'_>>,
        known: &Known,
        windows: &[Window],
        advice: &crate::advice::Advice,
    ) -> Lexicon {
        let mut lexicon = Lexicon::default();
        if let Some(file) = by_path.get("lexicon.toml") {
            let here = Here {
                path: file.path,
                text: file.text,
            };
            let is_situation = |id: &str| known.situations.contains(id);
            let is_outcome = |id: &str| known.outcomes.contains(id);
            let is_window = |id: &str| windows.iter().any(|w| w.id == id);
            let is_platform = |id: &str| advice.platform(id).is_some();
            let lexicon_known = lexicon::Known {
                situations: &is_situation,
                outcomes: &is_outcome,
                windows: &is_window,
                platforms: &is_platform,
            };
            match lexicon::parse_lexicon(file.text, &lexicon_known) {
                Ok((entries, words)) => {
                    lexicon.entries = entries;
                    lexicon.words = words;
                }
                Err(problems) => {
                    for (span, message) in problems {
                        self.report(here, span, CheckRule::Triage, message);
                    }
                }
            }
        }
        if let Some(file) = by_path.get("crisis.toml") {
            let here = Here {
                path: file.path,
                text: file.text,
            };
            match lexicon::parse_crisis(file.text) {
                Ok(crisis) => lexicon.crisis = crisis,
                Err(problems) => {
                    for (span, message) in problems {
                        self.report(here, span, CheckRule::Triage, message);
                    }
                }
            }
        }
        lexicon
    }

    fn required<'a, T: DeserializeOwned>(
        &mut self,
        by_path: &HashMap<&'a str, DataFile<'a>>,
        path: &'static str,
    ) -> Option<(Here<'a>, T)> {
        match by_path.get(path) {
            Some(file) => self.parse_file(*file),
            None => {
                self.diagnostics.push(Diagnostic {
                    file: path.to_owned(),
                    line: 1,
                    rule: CheckRule::RequiredField,
                    message: format!("the data set has no {path}"),
                });
                None
            }
        }
    }

    fn optional<'a, T: DeserializeOwned>(
        &mut self,
        by_path: &HashMap<&'a str, DataFile<'a>>,
        path: &'static str,
    ) -> Option<(Here<'a>, T)> {
        by_path.get(path).and_then(|file| self.parse_file(*file))
    }

    fn parse_file<'a, T: DeserializeOwned>(&mut self, file: DataFile<'a>) -> Option<(Here<'a>, T)> {
        let here = Here {
            path: file.path,
            text: file.text,
        };
        Some((here, self.parse::<T>(here)?))
    }

    fn parse<T: DeserializeOwned>(&mut self, here: Here<'_>) -> Option<T> {
        if let Err(error) = here.text.parse::<toml::Table>() {
            let span = error.span().unwrap_or(0..0);
            self.report(here, span, CheckRule::Syntax, first_line(error.message()));
            return None;
        }
        match toml::from_str::<T>(here.text) {
            Ok(value) => Some(value),
            Err(error) => {
                let message = first_line(error.message());
                let rule = if message.starts_with("missing field") {
                    CheckRule::RequiredField
                } else if message.starts_with("unknown field") {
                    CheckRule::UnknownField
                } else {
                    CheckRule::Schema
                };
                self.report(here, error.span().unwrap_or(0..0), rule, message);
                None
            }
        }
    }

    fn convert_meta(&mut self, here: Here<'_>, file: MetaFile) -> Option<Meta> {
        self.check_https(here, &file.license_url);
        self.check_https(here, &file.seed_url);
        let seed_updated = self.date(here, &file.seed_updated)?;
        self.seed = Some((
            file.seed_url.get_ref().clone(),
            file.seed_facts.iter().map(|f| fold(f)).collect(),
        ));
        Some(Meta {
            title: file.title,
            publisher: file.publisher,
            license: file.license,
            license_url: file.license_url.into_inner(),
            seed_url: file.seed_url.into_inner(),
            seed_updated,
            seed_facts: file.seed_facts,
            note: file.note,
        })
    }

    fn convert_organizations(
        &mut self,
        here: Here<'_>,
        file: OrganizationsFile,
    ) -> Vec<Organization> {
        let mut seen = HashSet::new();
        let mut result = Vec::new();
        for entry in file.organization {
            self.check_id(here, &entry.id, None);
            if !seen.insert(entry.id.get_ref().clone()) {
                let message = format!("organization id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::DuplicateId, message);
                continue;
            }
            if let Some(url) = &entry.url {
                self.check_https(here, url);
            }
            for alias in &entry.aliases {
                let folded = fold(alias.get_ref());
                if folded.is_empty() {
                    self.report(here, alias.span(), CheckRule::Alias, "an alias is empty");
                } else if let Some((other, _, _)) = self.organization_names.get(&folded) {
                    let message = format!(
                        "`{}` is already an alias of organization `{other}`",
                        alias.get_ref()
                    );
                    self.report(here, alias.span(), CheckRule::Alias, message);
                } else {
                    self.organization_names.insert(
                        folded,
                        (
                            entry.id.get_ref().clone(),
                            here.path.to_owned(),
                            here.line(alias.span()),
                        ),
                    );
                }
            }
            result.push(Organization {
                id: entry.id.into_inner(),
                name: entry.name,
                aliases: entry.aliases.into_iter().map(Spanned::into_inner).collect(),
                url: entry.url.map(Spanned::into_inner),
                note: entry.note,
            });
        }
        result
    }

    fn convert_categories(&mut self, here: Here<'_>, file: CategoriesFile) -> Vec<Category> {
        let mut seen = HashSet::new();
        let mut result = Vec::new();
        for entry in file.category {
            self.check_id(here, &entry.id, None);
            if !seen.insert(entry.id.get_ref().clone()) {
                let message = format!("category id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::DuplicateId, message);
                continue;
            }
            result.push(Category {
                id: entry.id.into_inner(),
                name: entry.name,
                short_name: entry.short_name,
                description: entry.description,
                from_page: entry.from_page,
            });
        }
        result
    }

    fn convert_situations(
        &mut self,
        here: Here<'_>,
        file: SituationsFile,
    ) -> (Vec<Situation>, Vec<Outcome>) {
        let mut outcomes = Vec::new();
        let mut seen = HashSet::new();
        for entry in file.outcome {
            self.check_id(here, &entry.id, None);
            if !seen.insert(entry.id.get_ref().clone()) {
                let message = format!("outcome id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::DuplicateId, message);
                continue;
            }
            outcomes.push(Outcome {
                id: entry.id.into_inner(),
                name: entry.name,
                description: entry.description,
            });
        }
        let mut situations = Vec::new();
        for entry in file.situation {
            self.check_id(here, &entry.id, None);
            if !seen.insert(entry.id.get_ref().clone()) {
                let message = format!("situation id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::DuplicateId, message);
                continue;
            }
            for outcome in &entry.outcomes {
                if !outcomes.iter().any(|o| &o.id == outcome.get_ref()) {
                    let message = format!(
                        "situation `{}` offers unknown outcome `{}`",
                        entry.id.get_ref(),
                        outcome.get_ref()
                    );
                    self.report(here, outcome.span(), CheckRule::UnknownReference, message);
                }
            }
            situations.push(Situation {
                id: entry.id.into_inner(),
                name: entry.name,
                description: entry.description,
                outcomes: entry
                    .outcomes
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                ask_gender: entry.ask_gender,
            });
        }
        (situations, outcomes)
    }

    fn convert_regions(&mut self, here: Here<'_>, file: RegionsFile) -> Vec<Municipality> {
        let mut result = Vec::new();
        for entry in file.municipality {
            let code = entry.code.get_ref();
            if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
                let message = format!(
                    "municipality code `{code}` is not 5 digits (全国地方公共団体コード without the check digit)"
                );
                self.report(here, entry.code.span(), CheckRule::UnknownRegion, message);
                continue;
            }
            result.push(Municipality {
                code: entry.code.into_inner(),
                name: entry.name,
                prefecture: entry.prefecture,
            });
        }
        result
    }

    fn convert_holidays(&mut self, here: Here<'_>, file: HolidaysFile) -> HolidayCalendar {
        let mut added = BTreeMap::new();
        let mut removed = BTreeSet::new();
        for entry in file.add {
            if let Some(date) = self.date(here, &entry.date) {
                added.insert(date, entry.name);
            }
        }
        for entry in file.remove {
            if let Some(date) = self.date(here, &entry.date) {
                removed.insert(date);
            }
        }
        HolidayCalendar::new(added, removed)
    }

    fn convert_window(
        &mut self,
        here: Here<'_>,
        mut file: WindowFile,
        known: &Known,
    ) -> Option<Window> {
        let expected_id = here
            .path
            .trim_start_matches("windows/")
            .trim_end_matches(".toml")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        self.check_id(here, &file.id, Some(&expected_id));
        self.check_text(here, &file.name, "name");
        self.check_text(here, &file.summary, "summary");
        self.check_names(here, &file);

        if !known.organizations.contains(file.organization.get_ref()) {
            let message = format!(
                "organization `{}` is not in organizations.toml",
                file.organization.get_ref()
            );
            self.report(
                here,
                file.organization.span(),
                CheckRule::UnknownReference,
                message,
            );
        }
        let kind = WindowKind::parse(file.kind.get_ref());
        if kind.is_none() {
            let message = format!(
                "kind `{}` is not one of consultation, report_only, information, platform_help, emergency",
                file.kind.get_ref()
            );
            self.report(here, file.kind.span(), CheckRule::UnknownValue, message);
        }
        if let Some(url) = &file.url {
            self.check_https(here, url);
        }
        if file.categories.is_empty() {
            self.report(
                here,
                0..0,
                CheckRule::RequiredField,
                "a window needs at least one category",
            );
        }
        for category in &file.categories {
            if !known.categories.contains(category.get_ref()) {
                let message = format!(
                    "category `{}` is not in categories.toml",
                    category.get_ref()
                );
                self.report(here, category.span(), CheckRule::UnknownCategory, message);
            }
        }
        let mut capabilities = Vec::new();
        for capability in &file.capabilities {
            match Capability::parse(capability.get_ref()) {
                Some(parsed) => capabilities.push(parsed),
                None => {
                    let message = format!("capability `{}` is not known", capability.get_ref());
                    self.report(here, capability.span(), CheckRule::UnknownValue, message);
                }
            }
        }
        if kind == Some(WindowKind::ReportOnly) {
            for capability in &file.capabilities {
                if Capability::parse(capability.get_ref()).is_some_and(Capability::is_consultation)
                {
                    let message = format!(
                        "a report_only window cannot have capability `{}`: it takes reports, nobody advises",
                        capability.get_ref()
                    );
                    self.report(
                        here,
                        capability.span(),
                        CheckRule::ReportOnlyConsultation,
                        message,
                    );
                }
            }
            for (outcome, fit) in &file.outcomes {
                if outcome == "consult" || outcome == "listen" {
                    let message =
                        format!("a report_only window cannot serve the outcome `{outcome}`");
                    self.report(here, fit.span(), CheckRule::ReportOnlyConsultation, message);
                }
            }
        }
        let situations = self.fits(here, &file.situations, &known.situations, "situation");
        let outcomes = self.fits(here, &file.outcomes, &known.outcomes, "outcome");

        let mut groups = Vec::new();
        for group in &file.audience.groups {
            match AudienceGroup::parse(group.get_ref()) {
                Some(parsed) => groups.push(parsed),
                None => {
                    let message = format!(
                        "audience `{}` is not one of anyone, children, guardians, teachers, women, men, lgbtq, site_admins",
                        group.get_ref()
                    );
                    self.report(here, group.span(), CheckRule::UnknownAudience, message);
                }
            }
        }
        if file.audience.groups.is_empty() {
            self.report(
                here,
                0..0,
                CheckRule::RequiredField,
                "audience.groups must name at least one group",
            );
        }

        let scope = match file.area.scope.get_ref().as_str() {
            "national" => Some(AreaScope::National),
            "saga" => Some(AreaScope::Saga),
            "municipalities" => Some(AreaScope::Municipalities),
            other => {
                let message =
                    format!("area scope `{other}` is not one of national, saga, municipalities");
                self.report(
                    here,
                    file.area.scope.span(),
                    CheckRule::UnknownValue,
                    message,
                );
                None
            }
        };
        for code in &file.area.municipalities {
            if !known.municipalities.contains(code.get_ref()) {
                let message = format!("municipality `{}` is not in regions.toml", code.get_ref());
                self.report(here, code.span(), CheckRule::UnknownRegion, message);
            }
        }
        if scope == Some(AreaScope::Municipalities) && file.area.municipalities.is_empty() {
            self.report(
                here,
                file.area.scope.span(),
                CheckRule::RequiredField,
                "area scope `municipalities` needs a list of municipality codes",
            );
        }

        if file.channels.is_empty() {
            let message = format!(
                "window `{}` has no channel: nobody could reach it",
                file.id.get_ref()
            );
            self.report(here, file.id.span(), CheckRule::NoChannel, message);
        }
        let sources = self.sources(here, &file.source);
        let provenance = self.provenance(here, &file, &sources);
        let name_en = file.name_en.as_ref().map(|name| {
            let span = name.span();
            let name = name.get_ref();
            if name.text.get_ref().trim().is_empty() {
                self.report(
                    here,
                    name.text.span(),
                    CheckRule::EmptyText,
                    "`name_en.text` is empty: leave `name_en` out when there is no official English name",
                );
            }
            SourcedText {
                text: name.text.get_ref().clone(),
                sources: self.references(
                    here,
                    name.sources.as_ref(),
                    &sources,
                    "the English name",
                    span,
                ),
            }
        });
        let channels: Vec<Channel> = std::mem::take(&mut file.channels)
            .into_iter()
            .filter_map(|channel| self.convert_channel(here, channel, &sources))
            .collect();
        Some(Window {
            id: file.id.into_inner(),
            name: file.name.into_inner(),
            name_en,
            short_name: file.short_name,
            name_ja: None,
            aliases: file.aliases.into_iter().map(Spanned::into_inner).collect(),
            shared_aliases: file
                .shared_aliases
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            reading: file.reading.map(Spanned::into_inner),
            organization: file.organization.into_inner(),
            kind: kind?,
            summary: file.summary.into_inner(),
            description: file.description,
            url: file.url.map(Spanned::into_inner),
            categories: file
                .categories
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            capabilities,
            cannot: file.cannot,
            prepare: file.prepare,
            steps: file.steps,
            who_answers: file.who_answers,
            audience: Audience {
                groups,
                min_age: file.audience.min_age,
                max_age: file.audience.max_age,
                note: file.audience.note,
            },
            area: Area {
                scope: scope?,
                municipalities: file
                    .area
                    .municipalities
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                note: file.area.note,
            },
            channels,
            situations,
            outcomes,
            keywords: file.keywords,
            provenance: provenance?,
            sources,
            file: here.path.to_owned(),
        })
    }

    /// Every name a person may type must name one window: a second window with the same
    /// name, alias or reading is refused unless both list it under `shared_aliases`.
    fn check_names(&mut self, here: Here<'_>, file: &WindowFile) {
        let id = file.id.get_ref();
        let mut own: Vec<(String, Range<usize>)> =
            vec![(file.name.get_ref().clone(), file.name.span())];
        if let Some(short) = &file.short_name {
            own.push((short.clone(), file.name.span()));
        }
        for alias in &file.aliases {
            own.push((alias.get_ref().clone(), alias.span()));
        }
        if let Some(reading) = &file.reading {
            own.push((reading.get_ref().clone(), reading.span()));
            let hiragana = reading
                .get_ref()
                .chars()
                .all(|c| matches!(c, 'ぁ'..='ゖ' | 'ー' | ' ' | '　' | '・'));
            if !hiragana {
                self.report(
                    here,
                    reading.span(),
                    CheckRule::Alias,
                    format!("reading `{}` must be hiragana", reading.get_ref()),
                );
            }
        }
        let mut seen_here = HashSet::new();
        for (index, (name, span)) in own.into_iter().enumerate() {
            let folded = fold(&name);
            if folded.is_empty() {
                // An empty name is already an `empty-text` problem.
                if index > 0 {
                    self.report(here, span, CheckRule::Alias, "an alias is empty".to_owned());
                }
                continue;
            }
            if !seen_here.insert(folded.clone()) {
                continue;
            }
            if let Some((other, file)) = self.names.get(&folded) {
                let message = format!(
                    "`{name}` already names window `{other}` ({file}); list it under shared_aliases in both"
                );
                self.report(here, span, CheckRule::Alias, message);
            } else if let Some(other) = self.shared_names.get(&folded) {
                let message = format!(
                    "`{name}` is a shared alias of `{other}` and others; it cannot name this window alone"
                );
                self.report(here, span, CheckRule::Alias, message);
            } else {
                self.names
                    .insert(folded, (id.clone(), here.path.to_owned()));
            }
        }
        for alias in &file.shared_aliases {
            let folded = fold(alias.get_ref());
            if folded.is_empty() {
                self.report(
                    here,
                    alias.span(),
                    CheckRule::Alias,
                    "an alias is empty".to_owned(),
                );
            } else if let Some((other, file)) = self.names.get(&folded) {
                let message = format!(
                    "shared alias `{}` is the own name of window `{other}` ({file})",
                    alias.get_ref()
                );
                self.report(here, alias.span(), CheckRule::Alias, message);
            } else {
                self.shared_names.insert(folded, id.clone());
            }
        }
    }

    fn fits(
        &mut self,
        here: Here<'_>,
        entries: &BTreeMap<String, Spanned<u8>>,
        known: &HashSet<String>,
        what: &str,
    ) -> Vec<Fit> {
        let mut result = Vec::new();
        for (id, strength) in entries {
            if !known.contains(id) {
                let message = format!("{what} `{id}` is not in situations.toml");
                self.report(here, strength.span(), CheckRule::UnknownReference, message);
                continue;
            }
            let value = *strength.get_ref();
            if !(1..=3).contains(&value) {
                let message = format!(
                    "{what} `{id}` has fit {value}; use 1 (related), 2 (good) or 3 (made for it)"
                );
                self.report(here, strength.span(), CheckRule::FitStrength, message);
                continue;
            }
            result.push(Fit {
                id: id.clone(),
                strength: value,
            });
        }
        result
    }

    fn convert_channel(
        &mut self,
        here: Here<'_>,
        entry: ChannelEntry,
        sources: &[Source],
    ) -> Option<Channel> {
        let kind = ChannelKind::parse(entry.kind.get_ref());
        if kind.is_none() {
            let message = format!(
                "channel kind `{}` is not one of phone, short_code, line, web_form, email, chat, web, in_person",
                entry.kind.get_ref()
            );
            self.report(here, entry.kind.span(), CheckRule::UnknownValue, message);
        }
        let cost = match &entry.cost {
            Some(cost) => {
                let parsed = Cost::parse(cost.get_ref());
                if parsed.is_none() {
                    let message = format!(
                        "cost `{}` is not one of free, free_in_area, charged, navi_dial",
                        cost.get_ref()
                    );
                    self.report(here, cost.span(), CheckRule::UnknownValue, message);
                }
                parsed
            }
            None if matches!(kind, Some(ChannelKind::Phone | ChannelKind::ShortCode)) => {
                self.report(
                    here,
                    entry.value.span(),
                    CheckRule::RequiredField,
                    "a phone channel needs a cost (free, free_in_area, charged, navi_dial)",
                );
                None
            }
            None => Some(Cost::Free),
        };
        let value = entry.value.get_ref();
        match kind {
            Some(ChannelKind::Phone) => {
                let checked = if self.config.check_phone_numbers {
                    check_phone(value)
                } else {
                    Ok(())
                };
                if let Err(message) = checked {
                    self.report(here, entry.value.span(), CheckRule::PhoneNumber, message);
                } else if let Some(cost) = cost
                    && let Err(message) = check_cost(value, cost)
                {
                    let span = entry
                        .cost
                        .as_ref()
                        .map_or(entry.value.span(), Spanned::span);
                    self.report(here, span, CheckRule::CostMismatch, message);
                }
            }
            Some(ChannelKind::ShortCode) => {
                if !SHORT_CODES.contains(&value.as_str()) {
                    let message = format!(
                        "short code `{value}` is not in the allowlist ({})",
                        SHORT_CODES.join(", ")
                    );
                    self.report(here, entry.value.span(), CheckRule::ShortCode, message);
                }
            }
            Some(ChannelKind::WebForm | ChannelKind::Web | ChannelKind::Chat) => {
                self.check_https(here, &entry.value);
            }
            Some(ChannelKind::Email) => {
                let valid = value.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty() && host.contains('.') && !value.contains(char::is_whitespace)
                });
                if !valid {
                    let message = format!("`{value}` is not an e-mail address");
                    self.report(here, entry.value.span(), CheckRule::Schema, message);
                }
            }
            Some(ChannelKind::Line) => {
                if value.starts_with("http") {
                    self.check_https(here, &entry.value);
                } else if !value.starts_with('@') {
                    let message = format!("LINE channel `{value}` must be an @ID or an https link");
                    self.report(here, entry.value.span(), CheckRule::Schema, message);
                }
            }
            Some(ChannelKind::InPerson) | None => {}
        }
        let what = format!("channel `{}`", entry.value.get_ref());
        let channel_sources = self.references(
            here,
            entry.sources.as_ref(),
            sources,
            &what,
            entry.value.span(),
        );
        if let Some(ids) = &entry.sources {
            self.check_fact_sources(here, ids, sources, &what, Some(entry.value.get_ref()));
        }
        let languages = entry.languages.as_ref().map(|languages| {
            let span = languages.span();
            let languages = languages.get_ref();
            for code in languages.codes.get_ref() {
                if !crate::model::LANGUAGE_CODES.contains(&code.as_str()) {
                    let message = format!(
                        "language `{code}` is not one of {}",
                        crate::model::LANGUAGE_CODES.join(", ")
                    );
                    self.report(
                        here,
                        languages.codes.span(),
                        CheckRule::UnknownValue,
                        message,
                    );
                }
            }
            if languages.codes.get_ref().is_empty() {
                self.report(
                    here,
                    languages.codes.span(),
                    CheckRule::RequiredField,
                    "`languages.codes` is empty: leave `languages` out when they are unknown",
                );
            }
            let what = format!("the languages of {what}");
            Languages {
                codes: languages.codes.get_ref().clone(),
                sources: self.references(here, languages.sources.as_ref(), sources, &what, span),
                note: languages.note.clone(),
            }
        });
        let hours = self.schedule(here, &entry.hours, sources, &format!("the hours of {what}"));
        let mut routes = Vec::new();
        for route in entry.routes {
            let what = format!("the hours of route 「{}」", route.label);
            if let Some(route_hours) = self.schedule(here, &route.hours, sources, &what) {
                routes.push(Route {
                    label: route.label,
                    note: route.note,
                    hours: route_hours,
                });
            }
        }
        Some(Channel {
            kind: kind?,
            value: entry.value.into_inner(),
            label: entry.label,
            cost: cost?,
            caveats: entry.caveats,
            note: entry.note,
            hours: hours?,
            routes,
            sources: channel_sources,
            languages,
        })
    }

    fn schedule(
        &mut self,
        here: Here<'_>,
        entry: &Spanned<HoursEntry>,
        sources: &[Source],
        what: &str,
    ) -> Option<Schedule> {
        let span = entry.span();
        let entry = entry.get_ref();
        let confidence = entry
            .confidence
            .as_ref()
            .and_then(|c| self.confidence(here, c));
        match entry.status.get_ref().as_str() {
            "unknown" => {
                let note = entry.note.clone().unwrap_or_default();
                if note.trim().is_empty() {
                    self.report(
                        here,
                        entry.status.span(),
                        CheckRule::Hours,
                        "unknown hours need a note that says what to check (要確認)",
                    );
                    return None;
                }
                if !entry.rules.is_empty() {
                    self.report(
                        here,
                        entry.status.span(),
                        CheckRule::Hours,
                        "unknown hours cannot have rules",
                    );
                    return None;
                }
                let looked = match &entry.sources {
                    Some(ids) => self.references(here, Some(ids), sources, what, span.clone()),
                    None => Vec::new(),
                };
                Some(Schedule::Unknown {
                    note,
                    sources: looked,
                })
            }
            "known" => {
                if entry.rules.is_empty() {
                    self.report(
                        here,
                        span,
                        CheckRule::Hours,
                        "known hours need at least one rule",
                    );
                    return None;
                }
                let hours_sources =
                    self.references(here, entry.sources.as_ref(), sources, what, span.clone());
                if let Some(ids) = &entry.sources {
                    // Hours are never among the seed page's facts.
                    self.check_fact_sources(here, ids, sources, what, None);
                }
                let rules = self.rules(here, &entry.rules)?;
                let holidays = match entry.holidays.as_ref().map(|h| h.get_ref().as_str()) {
                    None | Some("closed") => HolidayPolicy::Closed,
                    Some("as_weekday") => HolidayPolicy::AsWeekday,
                    Some("unknown") => HolidayPolicy::Unknown,
                    Some(other) => {
                        let message =
                            format!("holidays `{other}` is not one of closed, as_weekday, unknown");
                        let span = entry.holidays.as_ref().map_or(span, Spanned::span);
                        self.report(here, span, CheckRule::Hours, message);
                        return None;
                    }
                };
                let mut closed = Vec::new();
                for range in &entry.closed {
                    closed.push(self.range(
                        here,
                        range.from.clone(),
                        range.to.clone(),
                        range.label.clone(),
                    )?);
                }
                let mut special = Vec::new();
                for period in &entry.special {
                    let range = self.range(
                        here,
                        period.from.clone(),
                        period.to.clone(),
                        period.label.clone(),
                    )?;
                    let rules = self.rules(here, &period.rules)?;
                    special.push(SpecialPeriod { range, rules });
                }
                let conflict = match &entry.conflict {
                    Some(conflict) => {
                        let conflict_span = conflict.span();
                        let conflict = conflict.get_ref();
                        let what = format!("the other reading of {what}");
                        let conflict_sources = self.references(
                            here,
                            Some(&conflict.sources),
                            sources,
                            &what,
                            conflict_span,
                        );
                        self.check_text(here, &conflict.note, "a conflict's note");
                        Some(Conflict {
                            rules: self.rules(here, &conflict.rules)?,
                            sources: conflict_sources,
                            note: conflict.note.get_ref().clone(),
                        })
                    }
                    None => None,
                };
                Some(Schedule::Known(Weekly {
                    rules,
                    holidays,
                    closed,
                    special,
                    note: entry.note.clone(),
                    sources: hours_sources,
                    confidence,
                    conflict,
                }))
            }
            other => {
                let message = format!("hours status `{other}` is not one of known, unknown");
                self.report(here, entry.status.span(), CheckRule::Hours, message);
                None
            }
        }
    }

    fn rules(&mut self, here: Here<'_>, entries: &[RuleEntry]) -> Option<Vec<hours::Rule>> {
        let mut rules = Vec::new();
        let mut ok = true;
        for entry in entries {
            let mut days = Vec::new();
            for day in entry.days.get_ref() {
                match Day::parse(day) {
                    Some(parsed) => days.extend(parsed),
                    None => {
                        let message = format!(
                            "day `{day}` is not one of mon, tue, wed, thu, fri, sat, sun, hol, weekdays, daily"
                        );
                        self.report(here, entry.days.span(), CheckRule::Hours, message);
                        ok = false;
                    }
                }
            }
            if entry.days.get_ref().is_empty() {
                self.report(
                    here,
                    entry.days.span(),
                    CheckRule::Hours,
                    "a rule needs at least one day",
                );
                ok = false;
            }
            if let Some(bad) = entry.nth.iter().find(|n| !(1..=5).contains(*n)) {
                let message = format!("nth {bad} is not between 1 and 5");
                self.report(here, entry.days.span(), CheckRule::Hours, message);
                ok = false;
            }
            let open = hours::parse_minutes(entry.open.get_ref()).filter(|m| *m < 1440);
            let close = hours::parse_minutes(entry.close.get_ref());
            if open.is_none() {
                let message = format!(
                    "opening time `{}` is not HH:MM between 00:00 and 23:59",
                    entry.open.get_ref()
                );
                self.report(here, entry.open.span(), CheckRule::Hours, message);
                ok = false;
            }
            if close.is_none() {
                let message = format!(
                    "closing time `{}` is not HH:MM between 00:00 and 24:00",
                    entry.close.get_ref()
                );
                self.report(here, entry.close.span(), CheckRule::Hours, message);
                ok = false;
            }
            if let Some(bad) = entry.month_days.iter().find(|d| !(1..=31).contains(*d)) {
                let message = format!("day of month {bad} is not between 1 and 31");
                self.report(here, entry.days.span(), CheckRule::Hours, message);
                ok = false;
            }
            if let (Some(open), Some(close)) = (open, close) {
                rules.push(hours::Rule {
                    days,
                    nth: entry.nth.clone(),
                    month_days: entry.month_days.clone(),
                    open,
                    close,
                });
            }
        }
        ok.then_some(rules)
    }

    fn range(
        &mut self,
        here: Here<'_>,
        from: Spanned<String>,
        to: Spanned<String>,
        label: Option<String>,
    ) -> Option<DateRange> {
        let parsed_from = DateSpec::parse(from.get_ref());
        let parsed_to = DateSpec::parse(to.get_ref());
        match (parsed_from, parsed_to) {
            (Some(f @ DateSpec::Once(a)), Some(t @ DateSpec::Once(b))) if a <= b => {
                Some(DateRange {
                    from: f,
                    to: t,
                    label,
                })
            }
            (Some(f @ DateSpec::EveryYear { .. }), Some(t @ DateSpec::EveryYear { .. })) => {
                Some(DateRange {
                    from: f,
                    to: t,
                    label,
                })
            }
            _ => {
                let message = format!(
                    "date range `{}` to `{}` must be two MM-DD dates (every year) or two YYYY-MM-DD dates in order",
                    from.get_ref(),
                    to.get_ref()
                );
                self.report(here, from.span(), CheckRule::Hours, message);
                None
            }
        }
    }

    fn provenance(
        &mut self,
        here: Here<'_>,
        file: &WindowFile,
        sources: &[Source],
    ) -> Option<Provenance> {
        let entry = &file.provenance;
        let confidence = self.confidence(here, &entry.confidence);
        let window = self.references(
            here,
            Some(&entry.sources),
            sources,
            "the window",
            entry.sources.span(),
        );
        let capabilities = if file.capabilities.is_empty() {
            Vec::new()
        } else {
            let span = file.capabilities[0].span();
            self.references(
                here,
                entry.capabilities.as_ref(),
                sources,
                "the capability list",
                span,
            )
        };
        let cannot = if file.cannot.is_empty() {
            Vec::new()
        } else {
            let span = entry.sources.span();
            self.references(
                here,
                entry.cannot.as_ref(),
                sources,
                "what it cannot do",
                span,
            )
        };
        Some(Provenance {
            sources: window,
            capabilities,
            cannot,
            confidence: confidence?,
            note: entry.note.clone(),
        })
    }

    /// The `[[source]]` pages of a window: ids once each, https, read no later than today,
    /// dated no later than they were read.
    fn sources(&mut self, here: Here<'_>, entries: &[SourceEntry]) -> Vec<Source> {
        let mut sources: Vec<Source> = Vec::new();
        for entry in entries {
            self.check_id(here, &entry.id, None);
            if sources.iter().any(|s| &s.id == entry.id.get_ref()) {
                let message = format!("source id `{}` is used twice", entry.id.get_ref());
                self.report(here, entry.id.span(), CheckRule::Source, message);
                continue;
            }
            self.check_https(here, &entry.url);
            self.check_text(here, &entry.title, "title");
            let Some(checked) = self.verified(here, &entry.checked) else {
                continue;
            };
            let published = entry.published.as_ref().and_then(|p| self.date(here, p));
            if published.is_some_and(|p| p > checked) {
                let message = format!(
                    "source `{}` is dated after the day it was read",
                    entry.id.get_ref()
                );
                let span = entry
                    .published
                    .as_ref()
                    .map_or(entry.id.span(), Spanned::span);
                self.report(here, span, CheckRule::Source, message);
            }
            sources.push(Source {
                id: entry.id.get_ref().clone(),
                url: entry.url.get_ref().clone(),
                title: entry.title.get_ref().clone(),
                published,
                checked,
                note: entry.note.clone(),
            });
        }
        sources
    }

    /// The source ids a fact cites: at least one, each listed in the window's `[[source]]`.
    fn references(
        &mut self,
        here: Here<'_>,
        ids: Option<&Spanned<Vec<String>>>,
        sources: &[Source],
        what: &str,
        missing_span: Range<usize>,
    ) -> Vec<String> {
        let Some(ids) = ids.filter(|ids| !ids.get_ref().is_empty()) else {
            self.report(
                here,
                missing_span,
                CheckRule::Source,
                format!("{what} needs `sources`: the pages that state it"),
            );
            return Vec::new();
        };
        for id in ids.get_ref() {
            if !sources.iter().any(|s| &s.id == id) {
                let message = format!("source `{id}` is not in this window's [[source]] list");
                self.report(here, ids.span(), CheckRule::Source, message);
            }
        }
        ids.get_ref().clone()
    }

    /// A number or hours cited only from the seed page must be something the seed page says;
    /// a number or hours whose newest source is over two years old is a warning.
    fn check_fact_sources(
        &mut self,
        here: Here<'_>,
        ids: &Spanned<Vec<String>>,
        sources: &[Source],
        what: &str,
        stated: Option<&str>,
    ) {
        let cited: Vec<&Source> = ids
            .get_ref()
            .iter()
            .filter_map(|id| sources.iter().find(|s| &s.id == id))
            .collect();
        if cited.is_empty() {
            return;
        }
        if let Some((seed_url, seed_facts)) = &self.seed
            && cited.iter().all(|s| &s.url == seed_url)
        {
            let in_seed = stated.is_some_and(|text| {
                let text = fold(text);
                seed_facts
                    .iter()
                    .any(|fact| fact.contains(&text) || text == *fact)
            });
            if !in_seed {
                let message = format!(
                    "{what} cites only the seed page, which does not state it; cite the page that does"
                );
                self.report(here, ids.span(), CheckRule::SeedFact, message);
            }
        }
        let newest = cited.iter().filter_map(|s| s.published).max();
        if let Some(newest) = newest {
            let limit = self
                .config
                .today
                .checked_sub(jiff::Span::new().months(STALE_MONTHS))
                .unwrap_or(self.config.today);
            if newest < limit {
                let message = format!(
                    "{what}: the newest source is dated {newest}, more than {STALE_MONTHS} months ago; check it again"
                );
                self.report(here, ids.span(), CheckRule::StaleSource, message);
            }
        }
    }

    fn verified(&mut self, here: Here<'_>, value: &Spanned<Datetime>) -> Option<Date> {
        let date = self.date(here, value)?;
        if date > self.config.today {
            let message = format!(
                "checked date {date} is in the future (today is {})",
                self.config.today
            );
            self.report(here, value.span(), CheckRule::VerifiedDate, message);
        }
        Some(date)
    }

    fn date(&mut self, here: Here<'_>, value: &Spanned<Datetime>) -> Option<Date> {
        let datetime = value.get_ref();
        let parsed = match (datetime.date, datetime.time) {
            (Some(date), None) => {
                Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
            }
            _ => None,
        };
        if parsed.is_none() {
            let message = format!("`{datetime}` is not a date (write YYYY-MM-DD without quotes)");
            self.report(here, value.span(), CheckRule::Schema, message);
        }
        parsed
    }

    fn confidence(&mut self, here: Here<'_>, value: &Spanned<String>) -> Option<Confidence> {
        let parsed = Confidence::parse(value.get_ref());
        if parsed.is_none() {
            let message = format!(
                "confidence `{}` is not one of high, medium, low",
                value.get_ref()
            );
            self.report(here, value.span(), CheckRule::UnknownValue, message);
        }
        parsed
    }

    fn check_https(&mut self, here: Here<'_>, url: &Spanned<String>) {
        let value = url.get_ref();
        let rest = value.strip_prefix("https://");
        let valid = rest.is_some_and(|rest| {
            let host = rest.split('/').next().unwrap_or_default();
            host.contains('.') && !value.contains(char::is_whitespace)
        });
        if !valid {
            let message = format!("`{value}` is not an https URL");
            self.report(here, url.span(), CheckRule::HttpsUrl, message);
        }
    }

    fn check_id(&mut self, here: Here<'_>, id: &Spanned<String>, expected: Option<&str>) {
        let value = id.get_ref();
        let well_formed = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if !well_formed {
            let message = format!("id `{value}` must be lowercase letters, digits and hyphens");
            self.report(here, id.span(), CheckRule::IdFormat, message);
        } else if let Some(expected) = expected
            && expected != value
        {
            let message = format!("id `{value}` does not match the file name `{expected}.toml`");
            self.report(here, id.span(), CheckRule::IdFormat, message);
        }
    }

    fn check_text(&mut self, here: Here<'_>, text: &Spanned<String>, field: &str) {
        if text.get_ref().trim().is_empty() {
            let message = format!("{field} is empty");
            self.report(here, text.span(), CheckRule::EmptyText, message);
        }
    }
}

/// The ids that windows may refer to.
pub struct Known {
    pub organizations: HashSet<String>,
    pub categories: HashSet<String>,
    pub situations: HashSet<String>,
    pub outcomes: HashSet<String>,
    pub municipalities: HashSet<String>,
}

/// Checks an ordinary Japanese number written with hyphens, as operators print them.
pub fn check_phone(value: &str) -> Result<(), String> {
    if !value.starts_with('0') || !value.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(format!(
            "`{value}` is not a Japanese phone number (digits and hyphens, starting with 0)"
        ));
    }
    let parsed = phonenumber::parse(Some(phonenumber::country::Id::JP), value)
        .map_err(|error| format!("`{value}` is not a phone number: {error}"))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(format!("`{value}` is not a valid Japanese phone number"));
    }
    Ok(())
}

/// 0120 and 0800 are free to call; 0570 is ナビダイヤル; nothing else is free.
fn check_cost(value: &str, cost: Cost) -> Result<(), String> {
    let toll_free = value.starts_with("0120") || value.starts_with("0800");
    let navi = value.starts_with("0570");
    match cost {
        Cost::NaviDial if !navi => Err(format!(
            "`{value}` is not a 0570 number, so it cannot be navi_dial"
        )),
        _ if navi && cost != Cost::NaviDial => Err(format!(
            "`{value}` is a 0570 ナビダイヤル number: its cost must be navi_dial"
        )),
        Cost::Free | Cost::FreeInArea if !toll_free => Err(format!(
            "`{value}` is not a 0120/0800 number: the caller pays, so its cost must be charged"
        )),
        Cost::Charged if toll_free => Err(format!(
            "`{value}` is a toll-free number: its cost must be free or free_in_area"
        )),
        _ => Ok(()),
    }
}
