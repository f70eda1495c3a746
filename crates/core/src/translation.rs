//! The directory in other languages. Each language is a phrase table (`data/lang/<code>/`):
//! a Japanese text of the data, exactly as written, and the same text in that language.
//!
//! Keyed by the Japanese text itself (gettext's model) rather than by a window id and a field
//! name, for one reason: a translation can never outlive the text it translates. When staff
//! change a Japanese summary, its old English no longer matches anything, so the page shows
//! the new Japanese (marked `lang="ja"`) instead of an English text that now says something
//! else, and `check` warns that the old entry is stale. The same sentence used by several
//! windows is translated once.
//!
//! `each_text` is the one list of the texts a person reads; both the coverage report
//! (`shown_texts`) and the translated copy (`Directory::in_language`) walk it.

use std::collections::{BTreeMap, HashMap};

use crate::hours::Schedule;
use crate::model::{
    AreaScope, AudienceGroup, Capability, ChannelKind, Confidence, Cost, Directory, FactKind,
    Window, WindowKind,
};

/// The languages `data/lang/` may hold: ISO 639-1 codes and `easy` (やさしい日本語).
pub fn is_known_language(code: &str) -> bool {
    code == "easy" || (code != "ja" && crate::model::LANGUAGE_CODES.contains(&code))
}

/// One language's phrase table.
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    table: HashMap<String, String>,
}

impl Phrases {
    pub fn new(table: HashMap<String, String>) -> Phrases {
        Phrases { table }
    }

    pub fn get(&self, ja: &str) -> Option<&str> {
        self.table.get(ja).map(String::as_str)
    }

    /// Every (Japanese, translation) pair, sorted by the Japanese text: a stable order for
    /// exports.
    pub fn sorted(&self) -> BTreeMap<&str, &str> {
        self.table
            .iter()
            .map(|(ja, said)| (ja.as_str(), said.as_str()))
            .collect()
    }
}

/// Every language's phrases, by code.
pub type Translations = BTreeMap<String, Phrases>;

/// Where a text is, for translators: `windows/safeline.toml` and the field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub field: &'static str,
}

impl std::fmt::Display for Place {
    /// `windows/safeline.toml (summary)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.file, self.field)
    }
}

/// Calls `visit` with every text of the directory that a person reads on a public page, the
/// one list both translation and coverage use. Names people type (aliases, keywords), source
/// titles (a citation stays in its own language) and the children's words are not in it.
pub fn each_text(directory: &mut Directory, visit: &mut dyn FnMut(Place, &mut String)) {
    let mut at = |file: &str, field: &'static str, text: &mut String| {
        visit(
            Place {
                file: file.to_owned(),
                field,
            },
            text,
        );
    };
    for organization in &mut directory.organizations {
        at("organizations.toml", "name", &mut organization.name);
    }
    for category in &mut directory.categories {
        at("categories.toml", "name", &mut category.name);
        at("categories.toml", "short_name", &mut category.short_name);
        at("categories.toml", "description", &mut category.description);
    }
    for situation in &mut directory.situations {
        at("situations.toml", "name", &mut situation.name);
        at("situations.toml", "description", &mut situation.description);
    }
    for outcome in &mut directory.outcomes {
        at("situations.toml", "outcome name", &mut outcome.name);
        at(
            "situations.toml",
            "outcome description",
            &mut outcome.description,
        );
    }
    for municipality in &mut directory.municipalities {
        at("regions.toml", "name", &mut municipality.name);
    }
    let questions = &mut directory.questions;
    for prompt in [
        &mut questions.situation,
        &mut questions.outcome,
        &mut questions.who,
        &mut questions.place,
    ] {
        at("questions.toml", "prompt", &mut prompt.prompt);
        if let Some(hint) = &mut prompt.hint {
            at("questions.toml", "hint", hint);
        }
    }
    for group in &mut questions.situation_groups {
        at("questions.toml", "group label", &mut group.label);
    }
    for option in &mut questions.who_options {
        at("questions.toml", "who option", &mut option.label);
    }
    for option in &mut questions.place_options {
        at("questions.toml", "where option", &mut option.label);
        if let Some(group) = &mut option.group {
            at("questions.toml", "where group", group);
        }
    }
    let advice = &mut directory.advice;
    at("advice.toml", "evidence title", &mut advice.evidence.title);
    at("advice.toml", "evidence lead", &mut advice.evidence.lead);
    for step in &mut advice.evidence.steps {
        at("advice.toml", "evidence step", &mut step.text);
    }
    for steps in advice.steps.values_mut() {
        for step in steps {
            at("advice.toml", "first step", &mut step.text);
        }
    }
    for platform in &mut advice.platforms {
        at("advice.toml", "platform name", &mut platform.name);
        for link in &mut platform.links {
            at("advice.toml", "platform link", &mut link.label);
        }
    }
    for window in &mut directory.windows {
        let file = window.file.clone();
        let mut at = |field: &'static str, text: &mut String| at(&file, field, text);
        at("name", &mut window.name);
        if let Some(short_name) = &mut window.short_name {
            at("short_name", short_name);
        }
        at("summary", &mut window.summary);
        for (field, text) in [
            ("description", &mut window.description),
            ("who_answers", &mut window.who_answers),
            ("audience note", &mut window.audience.note),
            ("area note", &mut window.area.note),
        ] {
            if let Some(text) = text {
                at(field, text);
            }
        }
        for (field, texts) in [
            ("cannot", &mut window.cannot),
            ("prepare", &mut window.prepare),
            ("steps", &mut window.steps),
        ] {
            for text in texts {
                at(field, text);
            }
        }
        for channel in &mut window.channels {
            if let Some(label) = &mut channel.label {
                at("channel label", label);
            }
            if let Some(note) = &mut channel.note {
                at("channel note", note);
            }
            for caveat in &mut channel.caveats {
                at("channel caveat", caveat);
            }
            if let Some(note) = channel.languages.as_mut().and_then(|l| l.note.as_mut()) {
                at("languages note", note);
            }
            schedule_texts(&mut channel.hours, &mut at);
            for route in &mut channel.routes {
                at("route label", &mut route.label);
                if let Some(note) = &mut route.note {
                    at("route note", note);
                }
                schedule_texts(&mut route.hours, &mut at);
            }
        }
    }
}

fn schedule_texts(schedule: &mut Schedule, at: &mut dyn FnMut(&'static str, &mut String)) {
    match schedule {
        Schedule::Unknown { note, .. } => at("hours note", note),
        Schedule::Known(weekly) => {
            if let Some(note) = &mut weekly.note {
                at("hours note", note);
            }
            if let Some(conflict) = &mut weekly.conflict {
                at("hours conflict note", &mut conflict.note);
            }
            let ranges = weekly
                .closed
                .iter_mut()
                .chain(weekly.special.iter_mut().map(|s| &mut s.range));
            for range in ranges {
                if let Some(label) = &mut range.label {
                    at("hours period", label);
                }
            }
        }
    }
}

/// The fixed labels of the core (a channel kind, a cost, an audience) that pages show.
pub fn fixed_labels() -> Vec<&'static str> {
    let mut labels: Vec<&'static str> = Vec::new();
    labels.extend(WindowKind::ALL.map(WindowKind::label_ja));
    labels.extend(Capability::ALL.map(Capability::label_ja));
    labels.extend(AudienceGroup::ALL.map(AudienceGroup::label_ja));
    labels.extend(
        [
            AreaScope::National,
            AreaScope::Saga,
            AreaScope::Municipalities,
        ]
        .map(AreaScope::label_ja),
    );
    labels.extend(ChannelKind::ALL.map(ChannelKind::label_ja));
    labels.extend(Cost::ALL.map(Cost::label_ja));
    labels
        .extend([Confidence::Low, Confidence::Medium, Confidence::High].map(Confidence::label_ja));
    labels.extend(
        [
            FactKind::Contact,
            FactKind::Hours,
            FactKind::HoursConflict,
            FactKind::Capabilities,
            FactKind::Cannot,
            FactKind::Window,
        ]
        .map(FactKind::label_ja),
    );
    labels
}

/// Every text to translate, once, with the first place it is used, in data order.
pub fn shown_texts(directory: &Directory) -> Vec<(String, Place)> {
    let mut copy = directory.clone();
    let mut seen = std::collections::HashSet::new();
    let mut texts = Vec::new();
    each_text(&mut copy, &mut |place, text| {
        if !text.trim().is_empty() && seen.insert(text.clone()) {
            texts.push((text.clone(), place));
        }
    });
    for label in fixed_labels() {
        if seen.insert(label.to_owned()) {
            texts.push((
                label.to_owned(),
                Place {
                    file: "(madoguchi)".to_owned(),
                    field: "label",
                },
            ));
        }
    }
    texts
}

/// The texts a language lacks. In English a window's name is the operator's own English
/// name where it publishes one (`name_en`), so that name needs no translation.
pub fn untranslated(directory: &Directory, code: &str) -> Vec<(String, Place)> {
    let phrases = directory.translations.get(code);
    let official: std::collections::HashSet<&str> = directory
        .windows
        .iter()
        .filter(|w| code == "en" && distinct_official_name(directory, w).is_some())
        .map(|w| w.name.as_str())
        .collect();
    shown_texts(directory)
        .into_iter()
        .filter(|(text, _)| phrases.and_then(|p| p.get(text)).is_none())
        .filter(|(text, _)| !official.contains(text.as_str()))
        .collect()
}

/// The texts `code` lacks as `[[text]]` entries with an empty `say`, each group under a
/// comment naming where the texts are used: a translator's starting point.
pub fn untranslated_toml(directory: &Directory, code: &str) -> String {
    let mut out = String::new();
    let mut place = String::new();
    for (text, at) in untranslated(directory, code) {
        let here = at.to_string();
        if here != place {
            out.push_str(&format!("\n# {here}\n"));
            place = here;
        }
        let ja = toml::Value::String(text).to_string();
        out.push_str(&format!("[[text]]\nja = {ja}\nsay = \"\"\n"));
    }
    out
}

/// The operator's English name of a window, when no other window has the same one (Safe-line
/// names two of SIA's windows: each keeps its translated name, which says which one it is).
fn distinct_official_name<'a>(directory: &Directory, window: &'a Window) -> Option<&'a str> {
    let name = &window.name_en.as_ref()?.text;
    let shared = directory
        .windows
        .iter()
        .filter(|other| other.name_en.as_ref().is_some_and(|n| n.text == *name))
        .count()
        > 1;
    (!shared).then_some(name.as_str())
}

impl Directory {
    /// A copy whose texts are in the language `code` wherever its phrase table has them (the
    /// rest stays Japanese). Ids, numbers, addresses, hours and sources are the same values:
    /// only words change. In English, a window's name is the operator's own English name
    /// where it publishes one that names no other window.
    pub fn in_language(&self, code: &str) -> Directory {
        let mut copy = self.clone();
        let Some(phrases) = self.translations.get(code) else {
            return copy;
        };
        for window in &mut copy.windows {
            window.name_ja = Some(window.name.clone());
        }
        each_text(&mut copy, &mut |_, text| {
            if let Some(translated) = phrases.get(text) {
                *text = translated.to_owned();
            }
        });
        if code == "en" {
            for (window, original) in copy.windows.iter_mut().zip(&self.windows) {
                if let Some(official) = distinct_official_name(self, original) {
                    window.name = official.to_owned();
                }
            }
        }
        copy.language = Some(code.to_owned());
        copy
    }

    /// A fixed label of the core (`Cost::label_ja`, …) in the directory's language.
    pub fn say<'a>(&'a self, ja: &'a str) -> &'a str {
        self.language
            .as_ref()
            .and_then(|code| self.translations.get(code))
            .and_then(|phrases| phrases.get(ja))
            .unwrap_or(ja)
    }
}

/// The numbers of a text as values (`17:30` and `17時30分` both give 17 and 30; zero, as in
/// `9:00`, is left out): a translation may not carry a number its Japanese text does not.
pub fn numbers(text: &str) -> Vec<u64> {
    let mut values = Vec::new();
    let mut current: Option<u64> = None;
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => Some(c as u64 - '0' as u64),
            '０'..='９' => Some(c as u64 - '０' as u64),
            _ => None,
        };
        match digit {
            Some(d) => current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d)),
            None => {
                if let Some(value) = current.take().filter(|v| *v != 0) {
                    values.push(value);
                }
            }
        }
    }
    if let Some(value) = current.filter(|v| *v != 0) {
        values.push(value);
    }
    values.sort_unstable();
    values.dedup();
    values
}

/// The web addresses in a text.
pub fn addresses(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || "（）()「」、。,<>\"".contains(c))
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .map(|word| word.trim_end_matches(['.', ')']))
        .collect()
}

/// What a translation adds that its Japanese text does not say: numbers or addresses.
pub fn invented(ja: &str, translated: &str) -> Vec<String> {
    let known = numbers(ja);
    let mut extra: Vec<String> = numbers(translated)
        .into_iter()
        .filter(|n| !known.contains(n))
        .map(|n| n.to_string())
        .collect();
    let known_addresses = addresses(ja);
    extra.extend(
        addresses(translated)
            .into_iter()
            .filter(|a| !known_addresses.contains(a))
            .map(str::to_owned),
    );
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_values_so_a_clock_reads_the_same_in_both_scripts() {
        assert_eq!(numbers("平日9時から17時30分"), vec![9, 17, 30]);
        assert_eq!(numbers("Weekdays 9:00–17:30"), vec![9, 17, 30]);
        assert_eq!(numbers("０１２０－９９－７７７７"), vec![99, 120, 7777]);
        assert!(numbers("いつでも").is_empty());
    }

    #[test]
    fn a_translation_may_not_add_a_number_or_an_address() {
        assert!(invented("平日9時〜17時", "Weekdays, 9:00 to 17:00").is_empty());
        assert_eq!(
            invented("平日9時〜17時", "Weekdays, 9 am to 5 pm"),
            vec!["5"]
        );
        assert_eq!(
            invented("窓口に電話する", "Call 0120-123-456"),
            vec!["120", "123", "456"]
        );
        assert_eq!(
            invented(
                "公式ページ https://a.example/ を見る",
                "See https://b.example/"
            ),
            vec!["https://b.example/"]
        );
        assert!(invented("https://a.example/ を見る", "See https://a.example/.").is_empty());
    }
}
