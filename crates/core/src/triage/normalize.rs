//! Stage 1, normalize: the same fold for the lexicon, the names, the windows' texts and what a
//! person types, keeping for every character what segmentation needs (its script before the
//! fold, and whether a space or punctuation stood before it) and where it came from, so that
//! reasons can quote the person's own words.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// The script of a character before folding: katakana is folded to hiragana for matching,
/// but a katakana word still ends where the katakana ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Latin,
    Digit,
    Other,
}

/// One character of the normalized text.
#[derive(Debug, Clone)]
pub struct Char {
    /// Byte offset in the normalized text.
    pub at: usize,
    pub script: Script,
    /// A space or punctuation mark stood right before it (a word boundary in any script).
    pub break_before: bool,
    /// Byte range in the original text it came from.
    pub source: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    pub chars: Vec<Char>,
}

impl Normalized {
    /// The index in `chars` of the character at byte `at` of the normalized text.
    pub fn char_index(&self, at: usize) -> Option<usize> {
        self.chars.binary_search_by_key(&at, |c| c.at).ok()
    }

    /// The original text behind the normalized bytes `range`, for quoting.
    pub fn original<'a>(&self, original: &'a str, range: Range<usize>) -> &'a str {
        let first = self.char_index(range.start);
        let last = self
            .chars
            .iter()
            .rposition(|c| c.at < range.end && c.at >= range.start);
        match (first, last) {
            (Some(first), Some(last)) => {
                let start = self.chars[first].source.start;
                let end = self.chars[last].source.end;
                original.get(start..end).unwrap_or_default()
            }
            _ => "",
        }
    }
}

/// NFKC (full/half width), lowercase, katakana folded to hiragana, small vowels folded to
/// large ones (しにたぃ), and long-vowel marks, spaces, punctuation and control characters
/// removed.
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        chars: Vec::with_capacity(text.len() / 2),
    };
    walk(text, |c, script, break_before, source| {
        out.chars.push(Char {
            at: out.text.len(),
            script,
            break_before,
            source,
        });
        out.text.push(c);
    });
    out
}

/// The normalized text alone, for patterns and documents: the same fold without the
/// per-character record.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    walk(text, |c, _, _, _| out.push(c));
    out
}

/// Folds `text` and hands every character that remains to `emit`, with its script before the
/// fold, whether a break stood before it, and its byte range in `text`.
fn walk(text: &str, mut emit: impl FnMut(char, Script, bool, Range<usize>)) {
    let mut pending_break = false;
    let mut rest = text.char_indices().peekable();
    while let Some((start, first)) = rest.next() {
        // NFKC per cluster (a character and the voicing or combining marks after it, as in
        // half-width ｶﾞ) composes what belongs together and keeps the source offsets.
        let mut end = start + first.len_utf8();
        while let Some(&(at, mark)) = rest.peek() {
            if !is_mark(mark) {
                break;
            }
            end = at + mark.len_utf8();
            rest.next();
        }
        for c in text[start..end].nfkc() {
            if c.is_whitespace() || c.is_control() || is_punctuation(c) || is_format(c) {
                pending_break = true;
                continue;
            }
            if matches!(c, 'ー' | '〜' | '~' | 'ｰ' | '゙' | '゚') {
                continue;
            }
            let script = script_of(c);
            let folded = match c {
                'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                'ぁ' => 'あ',
                'ぃ' => 'い',
                'ぅ' => 'う',
                'ぇ' => 'え',
                'ぉ' => 'お',
                _ => c,
            };
            // Small katakana vowels fold to small hiragana first, then to large ones.
            let folded = match folded {
                'ぁ' => 'あ',
                'ぃ' => 'い',
                'ぅ' => 'う',
                'ぇ' => 'え',
                'ぉ' => 'お',
                other => other,
            };
            for lower in folded.to_lowercase() {
                emit(lower, script, pending_break, start..end);
                pending_break = false;
            }
        }
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{ff9e}' | '\u{ff9f}' | '\u{3099}'..='\u{309c}' | '\u{300}'..='\u{36f}')
}

fn script_of(c: char) -> Script {
    match c {
        'ァ'..='ヺ' | 'ㇰ'..='ㇿ' => Script::Katakana,
        'ぁ'..='ゖ' | 'ゝ' | 'ゞ' => Script::Hiragana,
        '一'..='鿿' | '㐀'..='䶿' | '々' | '〆' | '豈'..='﫿' => Script::Kanji,
        '0'..='9' => Script::Digit,
        c if c.is_alphabetic() && (c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)) => {
            Script::Latin
        }
        _ => Script::Other,
    }
}

/// Bidi controls, zero-width characters and the like: invisible, and never part of a word.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() && c != '#'
        || matches!(
            c,
            '、' | '。'
                | '！'
                | '？'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '・'
                | '…'
                | '‥'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '♪'
                | '☆'
                | '★'
                | '｡'
                | '､'
                | '･'
                | '｢'
                | '｣'
                | '〈'
                | '〉'
                | '《'
                | '》'
                | '♡'
                | '♥'
                | '→'
                | '＿'
        )
}

#[cfg(test)]
mod tests {
    use super::{Script, fold, normalize};

    #[test]
    fn folds_width_case_kana_and_marks() {
        assert_eq!(fold("ＬＩＮＥでワルグチ"), "lineでわるぐち");
        assert_eq!(fold("ﾂｲｯﾀｰ"), fold("ツイッター"));
        assert_eq!(fold("ツイッター"), "ついった");
        assert_eq!(fold(" 死にたい。。 "), "死にたい");
        assert_eq!(fold("しにたぃ"), "しにたい");
        assert_eq!(fold("#9110"), "#9110");
        assert_eq!(fold("ﾊﾞｶにされた"), fold("バカにされた"));
        assert_eq!(fold("０５７０－００３－１１０"), "0570003110");
    }

    #[test]
    fn keeps_script_breaks_and_sources() {
        let text = "use LINE app ホットライン";
        let normalized = normalize(text);
        assert_eq!(normalized.text, "uselineappほっとらいん");
        let line = normalized.text.find("line").unwrap();
        let index = normalized.char_index(line).unwrap();
        assert!(normalized.chars[index].break_before);
        assert!(!normalized.chars[index + 1].break_before);
        assert_eq!(normalized.chars.last().unwrap().script, Script::Katakana);
        let hot = normalized.text.find("ほっと").unwrap();
        assert_eq!(
            normalized.original(text, hot..normalized.text.len()),
            "ホットライン"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_drops_spaces(text in "\\PC{0,200}") {
            let normalized = normalize(&text);
            proptest::prop_assert!(!normalized.text.chars().any(char::is_whitespace));
            proptest::prop_assert_eq!(normalized.text.chars().count(), normalized.chars.len());
        }
    }
}
