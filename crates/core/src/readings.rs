//! Readings of kanji words (`data/readings.toml`), for ふりがな in the children's pages. A
//! word may carry its okurigana (話す → はなす) so that the right reading is chosen; the ruby
//! then stands over the kanji only (話 → はな), and a word may start with kana where that
//! decides the reading (やり方 → かた, お金 → かね). `annotate` takes the longest known word at
//! each position; a kanji no word covers is left as it is (the children's pages' test fails).

use std::collections::HashMap;

/// A known word and how its kanji runs read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// The whole word in hiragana.
    pub reading: String,
    /// The word cut into kanji runs (with their reading) and kana runs.
    pub pieces: Vec<Piece>,
}

/// Part of an annotated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Plain(String),
    Ruby { base: String, reading: String },
}

#[derive(Debug, Clone, Default)]
pub struct Readings {
    words: Vec<Word>,
    /// First character → indexes into `words`, longest first.
    by_first: HashMap<char, Vec<usize>>,
}

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | 'ヶ')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | 'ー')
}

/// Cuts `text` into kanji runs and kana runs and finds each kanji run's reading in `reading`,
/// or explains why it cannot.
pub fn align(text: &str, reading: &str) -> Result<Vec<Piece>, String> {
    if text.chars().any(|c| !is_kanji(c) && !is_hiragana(c)) {
        return Err(format!("`{text}` may hold only kanji and hiragana"));
    }
    if !text.chars().any(is_kanji) {
        return Err(format!("`{text}` has no kanji"));
    }
    if reading.is_empty() || !reading.chars().all(is_hiragana) {
        return Err(format!("the reading of `{text}` must be hiragana"));
    }
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let kanji = is_kanji(c);
        match runs.last_mut() {
            Some((k, run)) if *k == kanji => run.push(c),
            _ => runs.push((kanji, c.to_string())),
        }
    }
    let reading: Vec<char> = reading.chars().collect();
    fit(&runs, &reading).ok_or_else(|| {
        format!(
            "the reading `{}` does not fit the kana of `{text}`",
            reading.iter().collect::<String>()
        )
    })
}

/// Matches runs against the reading: kana runs literally, each kanji run to at least one
/// character, trying the shortest first.
fn fit(runs: &[(bool, String)], reading: &[char]) -> Option<Vec<Piece>> {
    let Some(((kanji, run), rest)) = runs.split_first() else {
        return reading.is_empty().then(Vec::new);
    };
    if !kanji {
        let kana: Vec<char> = run.chars().collect();
        if reading.starts_with(&kana) {
            let mut tail = fit(rest, &reading[kana.len()..])?;
            tail.insert(0, Piece::Plain(run.clone()));
            return Some(tail);
        }
        return None;
    }
    for take in 1..=reading.len() {
        if let Some(mut tail) = fit(rest, &reading[take..]) {
            tail.insert(
                0,
                Piece::Ruby {
                    base: run.clone(),
                    reading: reading[..take].iter().collect(),
                },
            );
            return Some(tail);
        }
    }
    None
}

impl Readings {
    pub fn new(words: Vec<Word>) -> Readings {
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (index, word) in words.iter().enumerate() {
            if let Some(first) = word.text.chars().next() {
                by_first.entry(first).or_default().push(index);
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|i| std::cmp::Reverse(words[*i].text.chars().count()));
        }
        Readings { words, by_first }
    }

    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// The text with ruby over every kanji a known word covers.
    pub fn annotate(&self, text: &str) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut plain = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            // A word may start with kana (お金, やり方): look up every position.
            let word = self.by_first.get(&c).and_then(|list| {
                list.iter()
                    .map(|i| &self.words[*i])
                    .find(|w| rest.starts_with(&w.text))
            });
            match word {
                Some(word) => {
                    if !plain.is_empty() {
                        pieces.push(Piece::Plain(std::mem::take(&mut plain)));
                    }
                    pieces.extend(word.pieces.iter().cloned());
                    rest = &rest[word.text.len()..];
                }
                None => {
                    plain.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !plain.is_empty() {
            pieces.push(Piece::Plain(plain));
        }
        pieces
    }

    /// Kanji in `text` that no known word covers.
    pub fn uncovered(&self, text: &str) -> Vec<char> {
        self.annotate(text)
            .into_iter()
            .filter_map(|piece| match piece {
                Piece::Plain(plain) => Some(plain),
                Piece::Ruby { .. } => None,
            })
            .flat_map(|plain| plain.chars().filter(|c| is_kanji(*c)).collect::<Vec<_>>())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(pairs: &[(&str, &str)]) -> Readings {
        Readings::new(
            pairs
                .iter()
                .map(|(t, r)| Word {
                    text: (*t).to_owned(),
                    reading: (*r).to_owned(),
                    pieces: align(t, r).unwrap(),
                })
                .collect(),
        )
    }

    #[test]
    fn okurigana_choose_the_reading_and_ruby_covers_only_kanji() {
        assert_eq!(
            align("受け付け", "うけつけ").unwrap(),
            vec![
                Piece::Ruby {
                    base: "受".into(),
                    reading: "う".into()
                },
                Piece::Plain("け".into()),
                Piece::Ruby {
                    base: "付".into(),
                    reading: "つ".into()
                },
                Piece::Plain("け".into()),
            ]
        );
        assert!(align("話す", "はなし").is_err());
        assert!(align("はなす", "はなす").is_err(), "no kanji");
        assert!(align("電話", "デンワ").is_err(), "katakana reading");
    }

    #[test]
    fn the_longest_word_wins_and_unknown_kanji_stay() {
        let r = readings(&[
            ("電話", "でんわ"),
            ("電話番号", "でんわばんごう"),
            ("話す", "はなす"),
        ]);
        let pieces = r.annotate("電話番号に電話して話す。謎");
        assert_eq!(
            pieces[0],
            Piece::Ruby {
                base: "電話番号".into(),
                reading: "でんわばんごう".into()
            }
        );
        assert_eq!(r.uncovered("電話番号に電話して話す。謎"), vec!['謎']);
        assert_eq!(r.uncovered("話した"), vec!['話'], "話し is not 話す");
    }
}
