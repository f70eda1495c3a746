//! Hiragana to Hepburn romaji, so that a name typed in Latin letters (inochi no denwa,
//! kokoro no kenko) finds its window. Long vowels are written as they are spelled in kana
//! (kenkou), which is how people type them on a keyboard.

/// Two-kana syllables first (きゃ kya), then single kana.
const PAIRS: &[(&str, &str)] = &[
    ("きゃ", "kya"),
    ("きゅ", "kyu"),
    ("きょ", "kyo"),
    ("しゃ", "sha"),
    ("しゅ", "shu"),
    ("しょ", "sho"),
    ("ちゃ", "cha"),
    ("ちゅ", "chu"),
    ("ちょ", "cho"),
    ("にゃ", "nya"),
    ("にゅ", "nyu"),
    ("にょ", "nyo"),
    ("ひゃ", "hya"),
    ("ひゅ", "hyu"),
    ("ひょ", "hyo"),
    ("みゃ", "mya"),
    ("みゅ", "myu"),
    ("みょ", "myo"),
    ("りゃ", "rya"),
    ("りゅ", "ryu"),
    ("りょ", "ryo"),
    ("ぎゃ", "gya"),
    ("ぎゅ", "gyu"),
    ("ぎょ", "gyo"),
    ("じゃ", "ja"),
    ("じゅ", "ju"),
    ("じょ", "jo"),
    ("びゃ", "bya"),
    ("びゅ", "byu"),
    ("びょ", "byo"),
    ("ぴゃ", "pya"),
    ("ぴゅ", "pyu"),
    ("ぴょ", "pyo"),
    ("ふぁ", "fa"),
    ("ふぃ", "fi"),
    ("ふぇ", "fe"),
    ("ふぉ", "fo"),
    ("てぃ", "ti"),
    ("でぃ", "di"),
    ("うぃ", "wi"),
    ("うぇ", "we"),
    ("しぇ", "she"),
    ("じぇ", "je"),
    ("ちぇ", "che"),
    ("ゔぁ", "va"),
];

const SINGLE: &[(char, &str)] = &[
    ('あ', "a"),
    ('い', "i"),
    ('う', "u"),
    ('え', "e"),
    ('お', "o"),
    ('か', "ka"),
    ('き', "ki"),
    ('く', "ku"),
    ('け', "ke"),
    ('こ', "ko"),
    ('さ', "sa"),
    ('し', "shi"),
    ('す', "su"),
    ('せ', "se"),
    ('そ', "so"),
    ('た', "ta"),
    ('ち', "chi"),
    ('つ', "tsu"),
    ('て', "te"),
    ('と', "to"),
    ('な', "na"),
    ('に', "ni"),
    ('ぬ', "nu"),
    ('ね', "ne"),
    ('の', "no"),
    ('は', "ha"),
    ('ひ', "hi"),
    ('ふ', "fu"),
    ('へ', "he"),
    ('ほ', "ho"),
    ('ま', "ma"),
    ('み', "mi"),
    ('む', "mu"),
    ('め', "me"),
    ('も', "mo"),
    ('や', "ya"),
    ('ゆ', "yu"),
    ('よ', "yo"),
    ('ら', "ra"),
    ('り', "ri"),
    ('る', "ru"),
    ('れ', "re"),
    ('ろ', "ro"),
    ('わ', "wa"),
    ('を', "o"),
    ('ん', "n"),
    ('が', "ga"),
    ('ぎ', "gi"),
    ('ぐ', "gu"),
    ('げ', "ge"),
    ('ご', "go"),
    ('ざ', "za"),
    ('じ', "ji"),
    ('ず', "zu"),
    ('ぜ', "ze"),
    ('ぞ', "zo"),
    ('だ', "da"),
    ('ぢ', "ji"),
    ('づ', "zu"),
    ('で', "de"),
    ('ど', "do"),
    ('ば', "ba"),
    ('び', "bi"),
    ('ぶ', "bu"),
    ('べ', "be"),
    ('ぼ', "bo"),
    ('ぱ', "pa"),
    ('ぴ', "pi"),
    ('ぷ', "pu"),
    ('ぺ', "pe"),
    ('ぽ', "po"),
    ('ぁ', "a"),
    ('ぃ', "i"),
    ('ぅ', "u"),
    ('ぇ', "e"),
    ('ぉ', "o"),
    ('ゔ', "vu"),
];

/// The romaji of a hiragana text; other characters (Latin, digits) pass through. `None` when
/// a character is neither (a kanji without its reading).
pub fn romaji(kana: &str) -> Option<String> {
    let chars: Vec<char> = kana.chars().collect();
    let mut out = String::new();
    let mut double_next = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let syllable: Option<(&str, usize)> = chars
            .get(i..i + 2)
            .and_then(|two| {
                let two: String = two.iter().collect();
                PAIRS.iter().find(|(k, _)| *k == two).map(|(_, r)| (*r, 2))
            })
            .or_else(|| SINGLE.iter().find(|(k, _)| *k == c).map(|(_, r)| (*r, 1)));
        match (c, syllable) {
            ('っ', _) => double_next = true,
            // A long-vowel mark repeats the vowel before it (らーめん → raamen).
            ('ー', _) => {
                if let Some(vowel) = out.chars().last().filter(|v| "aiueo".contains(*v)) {
                    out.push(vowel);
                }
            }
            (_, Some((roman, width))) => {
                if std::mem::take(&mut double_next) {
                    let first = if roman.starts_with("ch") {
                        't'
                    } else {
                        roman.chars().next()?
                    };
                    out.push(first);
                }
                out.push_str(roman);
                i += width;
                continue;
            }
            (c, None) if c.is_ascii_alphanumeric() || c.is_whitespace() => {
                out.push(c.to_ascii_lowercase());
            }
            _ => return None,
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::romaji;

    #[test]
    fn hepburn_as_people_type_it() {
        assert_eq!(romaji("いのちのでんわ").as_deref(), Some("inochinodenwa"));
        assert_eq!(
            romaji("こころのけんこうそうだん").as_deref(),
            Some("kokoronokenkousoudan")
        );
        assert_eq!(romaji("ちゃいるどらいん").as_deref(), Some("chairudorain"));
        assert_eq!(romaji("ほっとらいん").as_deref(), Some("hottorain"));
        assert_eq!(romaji("まっちゃ").as_deref(), Some("matcha"));
        assert_eq!(romaji("よりそい 24").as_deref(), Some("yorisoi 24"));
        assert_eq!(romaji("電話"), None);
    }
}
