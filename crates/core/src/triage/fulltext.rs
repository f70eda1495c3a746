//! Stage 6, full text: the windows' own texts (name, summary, description, keywords, aliases,
//! the names of their situations) indexed as character bigrams, which need no dictionary and
//! cope with kana, kanji and typos. It always contributes, so that a phrase the lexicon lacks
//! does not lose the answer; its weight is the share of the query's information (idf) that a
//! window's text contains, so a long story that shares one common bigram scores near zero.

use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct FullText {
    /// bigram → the documents that contain it.
    postings: HashMap<[char; 2], Vec<u32>>,
    documents: usize,
}

fn bigrams(chars: &[char]) -> impl Iterator<Item = [char; 2]> + '_ {
    chars.windows(2).map(|pair| [pair[0], pair[1]])
}

impl FullText {
    /// `documents` are normalized texts, one per window, in directory order.
    pub fn new(documents: &[String]) -> FullText {
        let mut postings: HashMap<[char; 2], Vec<u32>> = HashMap::new();
        for (index, document) in documents.iter().enumerate() {
            let chars: Vec<char> = document.chars().collect();
            for term in bigrams(&chars) {
                let list = postings.entry(term).or_default();
                // Documents come in order, so each list stays sorted and free of repeats.
                if list.last() != Some(&(index as u32)) {
                    list.push(index as u32);
                }
            }
        }
        FullText {
            postings,
            documents: documents.len(),
        }
    }

    fn idf(&self, df: usize) -> f64 {
        let n = self.documents as f64;
        let df = df as f64;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// The share of the query's information (idf, each distinct bigram once; a bigram no
    /// window has weighs the most) found in each window's text, for every window that shares
    /// at least one bigram, as (window index, share) in index order.
    pub fn scores(&self, normalized_query: &str) -> Vec<(usize, f64)> {
        let chars: Vec<char> = normalized_query.chars().collect();
        if chars.len() < 2 || self.documents == 0 {
            return Vec::new();
        }
        let mut terms: Vec<[char; 2]> = bigrams(&chars).collect();
        terms.sort_unstable();
        terms.dedup();
        let mut found = vec![0.0_f64; self.documents];
        let mut total = 0.0;
        for term in &terms {
            let list = self.postings.get(term);
            let weight = self.idf(list.map_or(0, Vec::len));
            total += weight;
            for document in list.into_iter().flatten() {
                found[*document as usize] += weight;
            }
        }
        if total <= 0.0 {
            return Vec::new();
        }
        found
            .into_iter()
            .enumerate()
            .filter(|(_, weight)| *weight > 0.0)
            .map(|(document, weight)| (document, weight / total))
            .collect()
    }

    /// The longest run of the query found in a window's text, as a char range of the
    /// normalized query: the words to quote in a reason.
    pub fn run(&self, document: usize, normalized_query: &str) -> Range<usize> {
        let chars: Vec<char> = normalized_query.chars().collect();
        let contains = |term: &[char; 2]| {
            self.postings
                .get(term)
                .is_some_and(|list| list.binary_search(&(document as u32)).is_ok())
        };
        let (mut best, mut run_start) = (0..0, None);
        for (position, term) in bigrams(&chars).enumerate() {
            if contains(&term) {
                let start = *run_start.get_or_insert(position);
                // A run of bigrams start..=position covers chars start..position + 2.
                if position + 2 - start > best.len() {
                    best = start..position + 2;
                }
            } else {
                run_start = None;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::FullText;

    #[test]
    fn coverage_is_the_share_of_the_query_found() {
        let index = FullText::new(&[
            "くりんぐおふの相談".to_owned(),
            "悪口の相談".to_owned(),
            "迷惑めいる".to_owned(),
        ]);
        let scores = index.scores("くりんぐおふしたい");
        let best = scores.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(best.0, 0);
        assert_eq!(index.run(0, "くりんぐおふしたい"), 0..6);
        // Five of eight bigrams found; the three found nowhere weigh the most.
        assert!(best.1 > 0.4 && best.1 < 0.6, "{}", best.1);
        assert!(index.scores("あ").is_empty());
    }
}
