//! Stage 2, segment: whether a matched phrase stands as a word of its own, by character class,
//! with no dictionary beyond the project's own words.
//!
//! Japanese has no spaces, so kanji and hiragana phrases match anywhere (悪口 in 悪口を書かれた).
//! Katakana and Latin words do have edges: ライン must not match inside ホットライン,
//! オンライン or チャイルドライン, nor `id` inside `idea`. A Latin or digit phrase must start and
//! end at the edges of a Latin or digit run (a space, punctuation or another script). A
//! katakana run is cut into known words (the lexicon's, the window names' and
//! `lexicon.toml`'s `words`), longest first, so that フィッシングメール still yields
//! フィッシング while ホットライン does not yield ライン. A Latin pattern that ends in `*` is a
//! stem (`scam*` matches `scammed`).

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::{Normalized, Script, fold};

#[derive(Debug, Clone)]
pub struct Segmenter {
    words: Option<AhoCorasick>,
    compounds: Option<AhoCorasick>,
}

impl Segmenter {
    /// `words` (folded) cut katakana runs into words. `compounds` (folded: the lexicon's
    /// `words` and the windows' names) are words of their own in any script: a phrase strictly
    /// inside one of them does not match, so ライン typed in hiragana inside ほっとらいん does
    /// not either.
    pub fn new<'a>(
        words: impl IntoIterator<Item = &'a str>,
        compounds: impl IntoIterator<Item = &'a str>,
    ) -> Segmenter {
        let build = |list: Vec<&str>, kind: MatchKind| {
            let mut list: Vec<&str> = list.into_iter().filter(|w| !w.is_empty()).collect();
            list.sort_unstable();
            list.dedup();
            AhoCorasick::builder().match_kind(kind).build(list).ok()
        };
        Segmenter {
            words: build(words.into_iter().collect(), MatchKind::LeftmostLongest),
            compounds: build(compounds.into_iter().collect(), MatchKind::Standard),
        }
    }

    /// Cuts one text: where its compound words are and where its katakana runs break into
    /// words. Done once per text; every stage then asks the result.
    pub fn segment<'t>(&self, text: &'t Normalized) -> Segments<'t> {
        let compounds = self.compounds.as_ref().map_or_else(Vec::new, |compounds| {
            compounds
                .find_overlapping_iter(&text.text)
                .map(|m| (m.start(), m.end()))
                .collect()
        });
        let mut cuts = HashSet::new();
        let chars = &text.chars;
        let mut start = 0;
        while start < chars.len() {
            if chars[start].script != Script::Katakana {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < chars.len()
                && chars[end].script == Script::Katakana
                && !chars[end].break_before
            {
                end += 1;
            }
            cuts.insert(start);
            cuts.insert(end);
            let byte_start = chars[start].at;
            let byte_end = chars.get(end).map_or(text.text.len(), |c| c.at);
            if let Some(words) = &self.words {
                for found in words.find_iter(&text.text[byte_start..byte_end]) {
                    for edge in [found.start(), found.end()] {
                        match text.char_index(byte_start + edge) {
                            Some(index) => cuts.insert(index),
                            None => cuts.insert(end),
                        };
                    }
                }
            }
            start = end;
        }
        Segments {
            text,
            compounds,
            cuts,
        }
    }
}

/// A text cut into words: see `Segmenter::segment`.
#[derive(Debug)]
pub struct Segments<'t> {
    pub text: &'t Normalized,
    compounds: Vec<(usize, usize)>,
    /// Char indices where a katakana word starts or ends.
    cuts: HashSet<usize>,
}

impl Segments<'_> {
    /// Whether the normalized bytes `start..end` stand as a word. `stem` allows a Latin match
    /// to continue into a longer word at its end.
    pub fn stands_alone(&self, start: usize, end: usize, stem: bool) -> bool {
        let text = self.text;
        let (Some(first), Some(last)) = (text.char_index(start), last_char(text, end)) else {
            return false;
        };
        self.edge_before(first)
            && (stem && is_latin(text, last) || self.edge_after(last))
            && !self
                .compounds
                .iter()
                .any(|&(s, e)| s <= start && end <= e && e - s > end - start)
    }

    fn edge_before(&self, first: usize) -> bool {
        let chars = &self.text.chars;
        let here = &chars[first];
        if first == 0 || here.break_before {
            return true;
        }
        let before = &chars[first - 1];
        match here.script {
            Script::Latin | Script::Digit => before.script != here.script,
            Script::Katakana if before.script == Script::Katakana => self.cuts.contains(&first),
            _ => true,
        }
    }

    fn edge_after(&self, last: usize) -> bool {
        let chars = &self.text.chars;
        let here = &chars[last];
        let Some(after) = chars.get(last + 1) else {
            return true;
        };
        if after.break_before {
            return true;
        }
        match here.script {
            Script::Latin | Script::Digit => after.script != here.script,
            Script::Katakana if after.script == Script::Katakana => self.cuts.contains(&(last + 1)),
            _ => true,
        }
    }
}

/// A set of phrases found where they stand as words, longest first: a match inside a longer
/// match of the same set is dropped (なりすまし over なりすま).
#[derive(Debug, Clone)]
pub struct Phrases {
    matcher: Option<AhoCorasick>,
    stems: Vec<bool>,
}

/// One phrase found: its index in the list given to `Phrases::new` and its byte range in the
/// normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub phrase: usize,
    pub start: usize,
    pub end: usize,
}

impl Found {
    pub fn within(&self, other: &Found) -> bool {
        other.start <= self.start
            && self.end <= other.end
            && other.end - other.start > self.end - self.start
    }
}

impl Phrases {
    /// `phrases` as written (folded here); an empty one never matches.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> Phrases {
        let mut stems = Vec::new();
        let mut folded = Vec::new();
        for phrase in phrases {
            stems.push(phrase.ends_with('*'));
            let text = fold(phrase.trim_end_matches('*'));
            // An empty pattern would match everywhere; this one can never match.
            folded.push(if text.is_empty() {
                "\u{0}".to_owned()
            } else {
                text
            });
        }
        Phrases {
            matcher: AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&folded)
                .ok(),
            stems,
        }
    }

    pub fn find(&self, text: &Segments<'_>) -> Vec<Found> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<Found> = matcher
            .find_overlapping_iter(&text.text.text)
            .filter(|m| {
                let stem = self.stems[m.pattern().as_usize()];
                text.stands_alone(m.start(), m.end(), stem)
            })
            .map(|m| Found {
                phrase: m.pattern().as_usize(),
                start: m.start(),
                end: m.end(),
            })
            .collect();
        let all = found.clone();
        found.retain(|f| !all.iter().any(|longer| f.within(longer)));
        found
    }
}

fn last_char(text: &Normalized, end: usize) -> Option<usize> {
    if end == 0 {
        return None;
    }
    text.chars.iter().rposition(|c| c.at < end)
}

fn is_latin(text: &Normalized, index: usize) -> bool {
    matches!(text.chars[index].script, Script::Latin | Script::Digit)
}

#[cfg(test)]
mod tests {
    use super::Segmenter;
    use crate::triage::normalize::{fold, normalize};

    fn segmenter() -> Segmenter {
        let words: Vec<String> = [
            "ライン",
            "ホットライン",
            "オンライン",
            "フィッシング",
            "メール",
        ]
        .iter()
        .map(|w| fold(w))
        .collect();
        let compounds = [fold("ホットライン"), fold("チャイルドライン")];
        Segmenter::new(
            words.iter().map(String::as_str),
            compounds.iter().map(String::as_str),
        )
    }

    fn matches(text: &str, phrase: &str, stem: bool) -> bool {
        let normalized = normalize(text);
        let phrase = fold(phrase);
        let segmenter = segmenter();
        let segments = segmenter.segment(&normalized);
        normalized
            .text
            .match_indices(&phrase)
            .any(|(at, m)| segments.stands_alone(at, at + m.len(), stem))
    }

    #[test]
    fn katakana_words_have_edges() {
        assert!(matches("ラインで悪口", "ライン", false));
        assert!(matches("らいんのぐるーぷ", "ライン", false));
        assert!(!matches("よりそいホットライン", "ライン", false));
        assert!(!matches("オンラインゲーム", "ライン", false));
        assert!(!matches("チャイルドライン", "ライン", false));
        assert!(matches("フィッシングメールが来た", "フィッシング", false));
        assert!(matches("フィッシングメールが来た", "メール", false));
    }

    #[test]
    fn latin_words_have_edges() {
        assert!(matches("my LINE account", "line", false));
        assert!(!matches("online shop", "line", false));
        assert!(!matches("a good IDEA", "id", false));
        assert!(matches("IDを盗まれた", "id", false));
        assert!(matches("I got scammed", "scam", true));
        assert!(!matches("I got scammed", "scam", false));
        assert!(matches("self-harm", "selfharm", false));
        assert!(!matches("01880", "188", false));
        assert!(!matches("しょうひしゃほっとらいん", "ライン", false));
        assert!(matches("188に電話", "188", false));
    }
}
