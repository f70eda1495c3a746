//! Stage 4, names: a person who types a window's name, alias, reading or number finds that
//! window first.
//!
//! A window is known by its name and short name, the name without what is in brackets
//! (インターネット人権相談受付窓口 for 「…（SOS-eメール）」), its `aliases` and `reading` from
//! the data, and the numbers of its phone and short-code channels in any width
//! (0570-003-110, ＃９１１０), and the names the English pages show (`name_en`, and the
//! English of its name in `data/lang/en/`, found only as written). `shared_aliases` (法務局,
//! アバンセ) point to several windows at once. The longest name found wins: いのちの電話 inside
//! 佐賀いのちの電話 names the Saga line.

use std::collections::{HashMap, HashSet};

use super::normalize::{Normalized, fold};
use super::romaji::romaji;
use super::segment::{Found, Phrases, Segments};
use crate::model::{ChannelKind, Directory, Window, WindowKind};
use crate::readings::{Piece, Readings};
use crate::translation::Phrases as Translated;

/// One name a person may type, and the windows it names.
#[derive(Debug, Clone)]
pub struct Name {
    /// Folded, as matched.
    pub folded: String,
    pub windows: Vec<usize>,
    /// 110 or 119: shown above every answer anyway, so it never hides another name.
    pub emergency: bool,
    /// A shared alias names several windows; none of them is "the" one.
    pub shared: bool,
    /// Found only as written, never by likeness: names in Latin letters made from a reading
    /// or an address (inochinodenwa, talkme) share too many letter pairs with English text.
    pub exact_only: bool,
}

/// A name found in the text.
#[derive(Debug, Clone)]
pub struct NameHit {
    pub windows: Vec<usize>,
    pub shared: bool,
    pub emergency: bool,
    /// Found by most of its bigrams, not exactly.
    pub fuzzy: bool,
    /// The name is the whole text (「110番」), nothing else was typed.
    pub whole: bool,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone)]
pub struct Names {
    names: Vec<Name>,
    phrases: Phrases,
    /// Bigram → the names (indexes) that contain it, for fuzzy matching.
    bigram_names: HashMap<[char; 2], Vec<usize>>,
    /// Distinct bigrams of each name.
    bigram_counts: Vec<usize>,
}

/// Fuzzy names: a text longer than this is a story, not a name.
const FUZZY_MAX_CHARS: usize = 40;
/// Fuzzy names: the share of a name's bigrams that must be in the text…
const FUZZY_MIN_COVERAGE: f64 = 0.6;
/// …and how many at least.
const FUZZY_MIN_SHARED: usize = 5;
/// Fuzzy names: or the share of a short text's bigrams that lie in one name.
const FUZZY_MIN_TEXT_COVERAGE: f64 = 0.75;

/// Every name of a window that a person may type, as written (before folding), with whether
/// it is shared.
pub fn names_of(window: &Window) -> Vec<(String, bool)> {
    let mut names = vec![(window.name.clone(), false)];
    if let Some(short) = &window.short_name {
        names.push((short.clone(), false));
    }
    if let Some(reading) = &window.reading {
        names.push((reading.clone(), false));
    }
    names.extend(window.aliases.iter().map(|a| (a.clone(), false)));
    for channel in &window.channels {
        match channel.kind {
            ChannelKind::Phone => names.push((channel.value.clone(), false)),
            ChannelKind::ShortCode => {
                names.push((channel.value.clone(), false));
                if let Some(bare) = channel.value.strip_prefix('#') {
                    names.push((bare.to_owned(), false));
                }
                names.extend(spoken(&channel.value).into_iter().map(|n| (n, false)));
            }
            ChannelKind::Email => names.push((channel.value.clone(), false)),
            ChannelKind::Line if channel.value.starts_with('@') => {
                names.push((channel.value.clone(), false));
            }
            _ => {}
        }
    }
    names.extend(window.shared_aliases.iter().map(|a| (a.clone(), true)));
    names
}

/// Two names of one window typed one after the other (「いちいちきゅう 救急車」, 「アバンセ
/// 男性相談」) are that window's name typed alone: each hit of the run counts as whole.
fn names_said_together(mut hits: Vec<NameHit>, folded: &str) -> Vec<NameHit> {
    if hits.len() < 2 || hits.iter().any(|h| h.whole) {
        return hits;
    }
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut reached = 0;
    let mut common: Option<Vec<usize>> = None;
    for hit in &hits {
        if hit.start > reached {
            break;
        }
        if hit.end <= reached {
            continue;
        }
        reached = hit.end;
        common = Some(match common {
            None => hit.windows.clone(),
            Some(windows) => windows
                .into_iter()
                .filter(|w| hit.windows.contains(w))
                .collect(),
        });
    }
    let one_window = common.is_some_and(|windows| !windows.is_empty());
    if one_window && folded.get(reached..).is_some_and(is_only_asking_for_it) {
        for hit in &mut hits {
            hit.whole = hit.end <= reached;
        }
    }
    hits
}

/// What may follow a name typed alone: nothing, or a question for its number (「救急車何番」,
/// 「いのちの電話の番号は」). Folded text, so without spaces or punctuation.
fn is_only_asking_for_it(rest: &str) -> bool {
    const ASKING: &[&str] = &[
        "",
        "何番",
        "なんばん",
        "は何番",
        "はなんばん",
        "の番号",
        "の番号は",
        "の番号おしえて",
        "の番号教えて",
        "番号",
        "番号は",
        "number",
        "phonenumber",
        "numberjapan",
        "numberinjapan",
        "injapan",
    ];
    ASKING.contains(&rest)
}

/// A short dial said aloud, as people type it in kana: #9110 is しゃーぷきゅういちいちぜろ (and
/// …まる, the way 0 is read in numbers).
fn spoken(dial: &str) -> Vec<String> {
    const DIGITS: [&str; 10] = [
        "ぜろ",
        "いち",
        "に",
        "さん",
        "よん",
        "ご",
        "ろく",
        "なな",
        "はち",
        "きゅう",
    ];
    let mut said = String::new();
    for c in dial.chars() {
        match c {
            '#' => said.push_str("しゃーぷ"),
            '0'..='9' => said.push_str(DIGITS[c as usize - '0' as usize]),
            _ => return Vec::new(),
        }
    }
    let mut variants = vec![said.clone()];
    if said.contains("ぜろ") {
        variants.push(said.replace("ぜろ", "まる"));
    }
    variants
}

/// Names derived from the written name: without the part in brackets, and the part before
/// them. Kept only where no other window has the same.
fn derived_names(
    window: &Window,
    readings: &Readings,
    english: Option<&Translated>,
) -> Vec<String> {
    let mut derived = Vec::new();
    // The names the English pages show (the operator's English name, our English for the
    // rest): a reader of those pages types what they read there.
    let shown_in_english: Vec<String> = window
        .name_en
        .iter()
        .map(|n| n.text.clone())
        .chain(
            std::iter::once(&window.name)
                .chain(&window.short_name)
                .filter_map(|name| english.and_then(|e| e.get(name)).map(str::to_owned)),
        )
        .collect();
    derived.extend(shown_in_english.iter().cloned());
    for name in std::iter::once(&window.name)
        .chain(&window.short_name)
        .chain(&shown_in_english)
    {
        let mut outside = String::new();
        let mut depth = 0usize;
        for c in name.chars() {
            match c {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => outside.push(c),
                _ => {}
            }
        }
        if outside != *name {
            derived.push(outside);
        }
        if let Some(before) = name.split(['（', '(']).next()
            && before != name
        {
            derived.push(before.to_owned());
        }
        // Without a quoted part: Consumer Hotline "188" is also "Consumer Hotline".
        if let Some(before) = name.split(['"', '「']).next()
            && before != name
        {
            derived.push(before.trim_end().to_owned());
        }
    }
    // Channel labels that are a service's own name (法務局LINEじんけん相談), and the hosts of the
    // window's pages (ihaho.jp).
    for channel in &window.channels {
        if let Some(label) = &channel.label
            && fold(label).chars().count() >= 6
            && !describes_a_channel(label)
        {
            derived.push(label.clone());
        }
        if let Some(host) = host_of(&channel.value) {
            derived.push(host.to_owned());
        }
    }
    if let Some(host) = window.url.as_deref().and_then(host_of) {
        derived.push(host.to_owned());
    }
    // A host's own name without its domain (talkme for talkme.jp), when it is a name and not
    // a common word of addresses (help, support, www).
    let stems: Vec<String> = derived
        .iter()
        .filter(|d| d.contains('.'))
        .filter_map(|host| host.split('.').next())
        .filter(|stem| stem.len() >= 5 && !COMMON_HOST_WORDS.contains(stem))
        .map(str::to_owned)
        .collect();
    derived.extend(stems);
    // The name in Latin letters, from its reading (inochi no denwa).
    let spoken: Vec<String> = std::iter::once(&window.name)
        .chain(&window.short_name)
        .chain(derived.iter().filter(|d| !d.contains('.')))
        .filter_map(|name| kana_reading(name, readings))
        .chain(window.reading.clone())
        .filter_map(|kana| romaji(&kana))
        .collect();
    derived.extend(spoken);
    // Numbers in names written in kanji as well (泣くな百番).
    let numbered: Vec<String> = derived
        .iter()
        .chain(std::iter::once(&window.name))
        .filter(|d| d.contains("100") || d.contains("110"))
        .map(|d| d.replace("100", "百").replace("110", "百十"))
        .collect();
    derived.extend(numbered);
    derived
        .into_iter()
        .filter(|d| fold(d).chars().count() >= 4)
        .collect()
}

/// A label that says what a channel is (通報フォーム, 月曜日: 鹿島市, なりすましの報告について)
/// rather than naming a service (法務局LINEじんけん相談).
fn describes_a_channel(label: &str) -> bool {
    [
        "フォーム",
        "について",
        ":",
        "：",
        "の一覧",
        "のしかた",
        "を転送",
        "で報告",
        "での相談",
    ]
    .iter()
    .any(|word| label.contains(word))
        || ["メール", "チャット", "ナビダイヤル"]
            .iter()
            .any(|word| label.starts_with(word))
}

/// Words of web addresses that name no window.
const COMMON_HOST_WORDS: &[&str] = &["support", "contact", "forms", "guide", "accounts", "safety"];

/// A name in hiragana: katakana folded, kanji read from `readings.toml`; `None` when a kanji
/// has no reading.
fn kana_reading(name: &str, readings: &Readings) -> Option<String> {
    let mut kana = String::new();
    for piece in readings.annotate(name) {
        match piece {
            Piece::Ruby { reading, .. } => kana.push_str(&reading),
            Piece::Plain(plain) => {
                for c in plain.chars() {
                    match c {
                        'ァ'..='ヶ' => kana.push(char::from_u32(c as u32 - 0x60)?),
                        '（' | '）' | '(' | ')' | '・' | '　' => kana.push(' '),
                        _ => kana.push(c),
                    }
                }
            }
        }
    }
    Some(kana)
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host))
}

impl Names {
    pub fn new(directory: &Directory) -> Names {
        let mut by_folded: HashMap<String, Name> = HashMap::new();
        fn add(by_folded: &mut HashMap<String, Name>, folded: String, index: usize, shared: bool) {
            if folded.is_empty() {
                return;
            }
            let name = by_folded.entry(folded.clone()).or_insert_with(|| Name {
                folded,
                windows: Vec::new(),
                emergency: false,
                shared,
                exact_only: false,
            });
            if !name.windows.contains(&index) {
                name.windows.push(index);
            }
            name.shared |= shared || name.windows.len() > 1;
        }
        for (index, window) in directory.windows.iter().enumerate() {
            for (name, shared) in names_of(window) {
                add(&mut by_folded, fold(&name), index, shared);
            }
        }
        // An organization's aliases name all its windows (shared when it runs several).
        for organization in &directory.organizations {
            let windows: Vec<usize> = directory
                .windows
                .iter()
                .enumerate()
                .filter(|(_, w)| w.organization == organization.id)
                .map(|(index, _)| index)
                .collect();
            for alias in &organization.aliases {
                let folded = fold(alias);
                if by_folded.contains_key(&folded) {
                    continue;
                }
                for index in &windows {
                    add(&mut by_folded, folded.clone(), *index, windows.len() > 1);
                }
            }
        }
        // Derived names only where they are not already someone's name.
        let mut derived: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, window) in directory.windows.iter().enumerate() {
            for name in derived_names(
                window,
                &directory.readings,
                directory.translations.get("en"),
            ) {
                let folded = fold(&name);
                if !by_folded.contains_key(&folded) {
                    // The same window may derive a name twice (its page and its form on one
                    // host); only other windows make a name ambiguous.
                    let windows = derived.entry(folded).or_default();
                    if !windows.contains(&index) {
                        windows.push(index);
                    }
                }
            }
        }
        for (folded, windows) in derived {
            // Mostly Latin letters (an English name, also with 110 written 百十): found only
            // as written, since English text shares letter pairs with any English name.
            let latin = folded.chars().filter(char::is_ascii_alphabetic).count();
            let is_latin = latin * 2 > folded.chars().count();
            if let [index] = windows[..] {
                by_folded.insert(
                    folded.clone(),
                    Name {
                        folded,
                        windows: vec![index],
                        emergency: false,
                        shared: false,
                        exact_only: is_latin,
                    },
                );
            }
        }
        let mut names: Vec<Name> = by_folded.into_values().collect();
        for name in &mut names {
            name.emergency = name
                .windows
                .iter()
                .all(|i| directory.windows[*i].kind == WindowKind::Emergency);
        }
        names.sort_by(|a, b| a.folded.cmp(&b.folded));
        let phrases = Phrases::new(names.iter().map(|n| n.folded.as_str()));
        let mut bigram_names: HashMap<[char; 2], Vec<usize>> = HashMap::new();
        let mut bigram_counts = Vec::with_capacity(names.len());
        for (index, name) in names.iter().enumerate() {
            let chars: Vec<char> = name.folded.chars().collect();
            let bigrams: HashSet<[char; 2]> = chars.windows(2).map(|w| [w[0], w[1]]).collect();
            bigram_counts.push(bigrams.len().max(1));
            if name.exact_only {
                continue;
            }
            for bigram in bigrams {
                bigram_names.entry(bigram).or_default().push(index);
            }
        }
        Names {
            names,
            phrases,
            bigram_names,
            bigram_counts,
        }
    }

    /// Every folded name, for the segmenter's word list.
    pub fn folded(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| n.folded.as_str())
    }

    pub fn find(&self, text: &Segments<'_>) -> Vec<NameHit> {
        let hits: Vec<NameHit> = self
            .phrases
            .find(text)
            .into_iter()
            .map(|Found { phrase, start, end }| {
                let name = &self.names[phrase];
                NameHit {
                    windows: name.windows.clone(),
                    shared: name.shared,
                    emergency: name.emergency,
                    fuzzy: false,
                    whole: start == 0 && is_only_asking_for_it(&text.text.text[end..]),
                    start,
                    end,
                }
            })
            .collect();
        let hits = names_said_together(hits, &text.text.text);
        if hits.iter().any(|h| !h.shared && !h.emergency) {
            return hits;
        }
        let mut hits = hits;
        hits.extend(self.fuzzy(text.text));
        hits
    }

    /// A name typed with a typo or in other characters (心の健康相談統一ダイアル): most of the
    /// name's bigrams are in a short text. Only for short texts: a person who types a name
    /// types little else.
    fn fuzzy(&self, text: &Normalized) -> Vec<NameHit> {
        let chars: Vec<char> = text.text.chars().collect();
        if chars.len() < 4 || chars.len() > FUZZY_MAX_CHARS {
            return Vec::new();
        }
        let query: HashSet<[char; 2]> = chars.windows(2).map(|w| [w[0], w[1]]).collect();
        let mut counts = vec![0usize; self.names.len()];
        for bigram in &query {
            for name in self.bigram_names.get(bigram).into_iter().flatten() {
                counts[*name] += 1;
            }
        }
        // Most of the name is in the text (a typo, other characters), or most of a short text
        // is in one name (いほうゆうがい相談).
        let mut best: Option<(usize, usize)> = None;
        for (name, shared) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
            let of_name = shared as f64 / self.bigram_counts[name] as f64;
            let of_text = shared as f64 / query.len() as f64;
            let close = shared >= FUZZY_MIN_SHARED && of_name >= FUZZY_MIN_COVERAGE
                || shared > FUZZY_MIN_SHARED && of_text >= FUZZY_MIN_TEXT_COVERAGE;
            if close && best.is_none_or(|(_, s)| shared > s) {
                best = Some((name, shared));
            }
        }
        best.filter(|(name, _)| !self.names[*name].shared)
            .map(|(name, _)| NameHit {
                whole: false,
                windows: self.names[name].windows.clone(),
                shared: false,
                emergency: self.names[name].emergency,
                fuzzy: true,
                start: 0,
                end: text.text.len(),
            })
            .into_iter()
            .collect()
    }
}
