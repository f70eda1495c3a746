//! The words triage knows, as data: `data/lexicon.toml` (phrases that point to situations,
//! outcomes, audiences and windows, and the katakana words that segment longer words) and
//! `data/crisis.toml` (how people say they want to die, hurt themselves or cannot go on).
//!
//! This module only parses and checks references; the triage engine (`triage/`) builds its
//! matchers from these lists.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::format::parse_spanned;
use crate::model::AudienceGroup;

/// Everything `lexicon.toml` and `crisis.toml` say.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
    /// Katakana and Latin words that contain shorter lexicon words (ホットライン contains
    /// ライン): a phrase only matches where it stands as a word of its own.
    pub words: Vec<String>,
    pub crisis: CrisisWords,
}

/// Phrases with one meaning and one weight.
#[derive(Debug, Clone)]
pub struct Entry {
    pub patterns: Vec<String>,
    pub meanings: Vec<Meaning>,
    /// How sure a match makes us: 3 names the situation, 2 points to it, 1 hints.
    pub weight: u8,
}

/// What a matched phrase means.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    Situation(String),
    Outcome(String),
    Audience(AudienceGroup),
    /// A platform or place named in the text points to this window, with a strength 1–3.
    Window(String, u8),
    /// A service named in the text (`advice.toml` platform id): its help pages come first.
    Platform(String),
}

/// The kinds of crisis words; `crisis.toml` has one list per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrisisKind {
    /// Wanting to die or disappear (死にたい, 消えたい, want to die).
    Desire,
    /// A method or a plan (首を吊る, 練炭, 薬をためる).
    Method,
    /// Hurting oneself (リスカ, 自傷, cut myself).
    SelfHarm,
    /// No reason or strength to live (生きる意味がない, 遺書).
    Hopeless,
    /// Hyperbole that is a crisis only beside distress (死ぬほど, もう限界).
    Weak,
    /// Distress that turns a weak word into a crisis (つらい, 苦しい).
    Distress,
    /// Phrases that contain a crisis stem but are not one (死ぬほど笑った, 必死, 死亡事故).
    NotCrisis,
    /// Touches suicide without being a personal crisis (自殺, 自死): one crisis line below.
    Related,
    /// Medicine: with a quantity and a past tense, an overdose already taken.
    Medicine,
    /// A quantity (大量, たくさん, 全部).
    Quantity,
    /// A past tense (した, 飲んだ, 切った): with a method, the act is done.
    Past,
    /// Someone the person knows (友達が, 娘が, my friend).
    Other,
    /// Reported speech or worry about another person (と言っている, 心配).
    Reported,
    /// The writer speaking of themself (私, 僕, I).
    FirstPerson,
    /// A post, site or video (書き込み, サイト).
    Post,
    /// News, a drama, a song: crisis words before it describe it, and there is nothing to
    /// report.
    Media,
    /// Finding something online (見つけた, 見かけた).
    Found,
    /// An act already done, a crisis by itself (血が止まらない): 119 first.
    Done,
    /// Words said or written to the person (と言われた, と書いてくる): hopelessness or a method
    /// right before them is an insult received, not the person's own.
    Received,
    /// Someone the person does not know (見知らぬ人が, a stranger): with reported speech, a
    /// stranger's announcement to report.
    Stranger,
    /// The writer says what comes right before is false (っていうデマ, という噂): a crisis
    /// word quoted there is a rumour about them to have removed, not their own state.
    FalseClaim,
    /// The writer takes an insult received on as true (そうなのかも, 望みどおり): what was
    /// discounted as received is their own state after all.
    Agreeing,
}

impl CrisisKind {
    pub const ALL: [(CrisisKind, &'static str); 22] = [
        (CrisisKind::Desire, "desire"),
        (CrisisKind::Method, "method"),
        (CrisisKind::SelfHarm, "self_harm"),
        (CrisisKind::Hopeless, "hopeless"),
        (CrisisKind::Weak, "weak"),
        (CrisisKind::Distress, "distress"),
        (CrisisKind::NotCrisis, "not_crisis"),
        (CrisisKind::Related, "related"),
        (CrisisKind::Medicine, "medicine"),
        (CrisisKind::Quantity, "quantity"),
        (CrisisKind::Past, "past"),
        (CrisisKind::Other, "other"),
        (CrisisKind::Reported, "reported"),
        (CrisisKind::FirstPerson, "first_person"),
        (CrisisKind::Post, "post"),
        (CrisisKind::Media, "media"),
        (CrisisKind::Found, "found"),
        (CrisisKind::Done, "done"),
        (CrisisKind::Received, "received"),
        (CrisisKind::Stranger, "stranger"),
        (CrisisKind::FalseClaim, "false_claim"),
        (CrisisKind::Agreeing, "agreeing"),
    ];

    /// Words that say something about the person's state, matched leftmost-longest so that a
    /// longer phrase (死ぬほど笑) overrides the stem inside it (死ぬ). The other kinds are
    /// context, matched wherever they occur.
    pub fn is_content(self) -> bool {
        matches!(
            self,
            CrisisKind::Desire
                | CrisisKind::Method
                | CrisisKind::SelfHarm
                | CrisisKind::Hopeless
                | CrisisKind::Weak
                | CrisisKind::NotCrisis
                | CrisisKind::Related
                | CrisisKind::Medicine
                | CrisisKind::Done
        )
    }

    /// Words that by themselves make a personal crisis.
    pub fn is_crisis(self) -> bool {
        matches!(
            self,
            CrisisKind::Desire
                | CrisisKind::Method
                | CrisisKind::SelfHarm
                | CrisisKind::Hopeless
                | CrisisKind::Done
        )
    }

    pub fn name(self) -> &'static str {
        CrisisKind::ALL
            .iter()
            .find(|(kind, _)| *kind == self)
            .map_or("", |(_, name)| name)
    }
}

/// The lists of `crisis.toml`, by kind.
#[derive(Debug, Clone, Default)]
pub struct CrisisWords {
    pub lists: BTreeMap<CrisisKind, Vec<String>>,
}

impl CrisisWords {
    pub fn iter(&self) -> impl Iterator<Item = (CrisisKind, &str)> {
        self.lists
            .iter()
            .flat_map(|(kind, words)| words.iter().map(move |w| (*kind, w.as_str())))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    words: Vec<String>,
    entry: Vec<EntryFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    patterns: Spanned<Vec<String>>,
    #[serde(default)]
    situations: Vec<Spanned<String>>,
    #[serde(default)]
    outcomes: Vec<Spanned<String>>,
    audience: Option<Spanned<String>>,
    #[serde(default)]
    windows: BTreeMap<String, Spanned<u8>>,
    platform: Option<Spanned<String>>,
    #[serde(default = "default_weight")]
    weight: u8,
}

fn default_weight() -> u8 {
    2
}

/// What the lexicon may refer to, so that a typo in an id is a `check` error.
pub struct Known<'a> {
    pub situations: &'a dyn Fn(&str) -> bool,
    pub outcomes: &'a dyn Fn(&str) -> bool,
    pub windows: &'a dyn Fn(&str) -> bool,
    pub platforms: &'a dyn Fn(&str) -> bool,
}

pub type Problems = Vec<(Range<usize>, String)>;

/// Parses `lexicon.toml`; problems come back with the span they point at.
pub fn parse_lexicon(text: &str, known: &Known<'_>) -> Result<(Vec<Entry>, Vec<String>), Problems> {
    let file: LexiconFile = parse_spanned(text)?;
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for entry in file.entry {
        let mut meanings = Vec::new();
        for situation in &entry.situations {
            if (known.situations)(situation.get_ref()) {
                meanings.push(Meaning::Situation(situation.get_ref().clone()));
            } else {
                problems.push((
                    situation.span(),
                    format!(
                        "situation `{}` is not in situations.toml",
                        situation.get_ref()
                    ),
                ));
            }
        }
        for outcome in &entry.outcomes {
            if (known.outcomes)(outcome.get_ref()) {
                meanings.push(Meaning::Outcome(outcome.get_ref().clone()));
            } else {
                problems.push((
                    outcome.span(),
                    format!("outcome `{}` is not in situations.toml", outcome.get_ref()),
                ));
            }
        }
        if let Some(audience) = &entry.audience {
            match AudienceGroup::parse(audience.get_ref()) {
                Some(group) => meanings.push(Meaning::Audience(group)),
                None => problems.push((
                    audience.span(),
                    format!("audience `{}` is not known", audience.get_ref()),
                )),
            }
        }
        for (window, strength) in &entry.windows {
            if (known.windows)(window) {
                meanings.push(Meaning::Window(window.clone(), *strength.get_ref()));
            } else {
                problems.push((strength.span(), format!("window `{window}` does not exist")));
            }
        }
        if let Some(platform) = &entry.platform {
            if (known.platforms)(platform.get_ref()) {
                meanings.push(Meaning::Platform(platform.get_ref().clone()));
            } else {
                problems.push((
                    platform.span(),
                    format!("platform `{}` is not in advice.toml", platform.get_ref()),
                ));
            }
        }
        if meanings.is_empty() {
            problems.push((
                entry.patterns.span(),
                "an entry needs situations, outcomes, an audience, windows or a platform"
                    .to_owned(),
            ));
        }
        if !(1..=3).contains(&entry.weight) {
            problems.push((
                entry.patterns.span(),
                format!("weight {} is outside 1 to 3", entry.weight),
            ));
        }
        if entry.patterns.get_ref().iter().any(|p| p.trim().is_empty()) {
            problems.push((entry.patterns.span(), "a pattern is empty".to_owned()));
        }
        entries.push(Entry {
            patterns: entry.patterns.into_inner(),
            meanings,
            weight: entry.weight,
        });
    }
    if problems.is_empty() {
        Ok((entries, file.words))
    } else {
        Err(problems)
    }
}

/// Parses `crisis.toml`: one list of words per kind, every kind present.
pub fn parse_crisis(text: &str) -> Result<CrisisWords, Problems> {
    let file: BTreeMap<String, Spanned<Vec<String>>> = parse_spanned(text)?;
    let mut problems = Vec::new();
    let mut lists = BTreeMap::new();
    for (name, words) in &file {
        match CrisisKind::ALL.iter().find(|(_, n)| n == name) {
            Some((kind, _)) => {
                if words.get_ref().iter().any(|w| w.trim().is_empty()) {
                    problems.push((words.span(), format!("`{name}` has an empty word")));
                }
                lists.insert(*kind, words.get_ref().clone());
            }
            None => problems.push((
                words.span(),
                format!(
                    "`{name}` is not a kind of crisis word; use one of {}",
                    CrisisKind::ALL
                        .iter()
                        .map(|(_, n)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    for (kind, name) in CrisisKind::ALL {
        if !lists.contains_key(&kind) {
            problems.push((0..0, format!("crisis.toml has no `{name}` list")));
        }
    }
    if problems.is_empty() {
        Ok(CrisisWords { lists })
    } else {
        Err(problems)
    }
}
