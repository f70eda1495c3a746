//! Text normalization for matching: the same fold for the lexicon, the windows' texts and
//! what a person types.

use unicode_normalization::UnicodeNormalization;

/// NFKC (full/half width), lowercase, katakana folded to hiragana, and long-vowel marks,
/// spaces, punctuation and control characters removed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        let c = match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        };
        if c.is_whitespace()
            || c.is_control()
            || is_punctuation(c)
            || matches!(c, 'ー' | '〜' | '~' | 'ｰ')
        {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
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
        )
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_width_case_kana_and_marks() {
        assert_eq!(normalize("ＬＩＮＥでワルグチ"), "lineでわるぐち");
        assert_eq!(normalize("ﾂｲｯﾀｰ"), normalize("ツイッター"));
        assert_eq!(normalize("ツイッター"), "ついった");
        assert_eq!(normalize(" 死にたい。。 "), "死にたい");
        assert_eq!(normalize("#9110"), "#9110");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_drops_spaces(text in "\\PC{0,200}") {
            let normalized = normalize(&text);
            proptest::prop_assert!(!normalized.chars().any(char::is_whitespace));
        }
    }
}
