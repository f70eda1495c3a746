//! A small BM25 over character bigrams of the windows' own texts: the fallback for words the
//! lexicon does not know. Bigrams need no dictionary and cope with kana, kanji and typos.

use std::collections::HashMap;

const K1: f64 = 1.2;
const B: f64 = 0.75;

#[derive(Debug, Clone, Default)]
pub struct Bm25 {
    /// term → (document index, term frequency)
    postings: HashMap<String, Vec<(usize, u32)>>,
    lengths: Vec<u32>,
    average_length: f64,
}

pub fn bigrams(normalized: &str) -> Vec<String> {
    let chars: Vec<char> = normalized.chars().collect();
    if chars.len() == 1 {
        return vec![chars[0].to_string()];
    }
    chars.windows(2).map(|pair| pair.iter().collect()).collect()
}

impl Bm25 {
    pub fn build(documents: &[String]) -> Bm25 {
        let mut postings: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(documents.len());
        for (index, document) in documents.iter().enumerate() {
            let terms = bigrams(document);
            lengths.push(terms.len() as u32);
            let mut counts: HashMap<String, u32> = HashMap::new();
            for term in terms {
                *counts.entry(term).or_default() += 1;
            }
            for (term, count) in counts {
                postings.entry(term).or_default().push((index, count));
            }
        }
        let total: u64 = lengths.iter().map(|l| u64::from(*l)).sum();
        let average_length = if lengths.is_empty() {
            1.0
        } else {
            total as f64 / lengths.len() as f64
        };
        Bm25 {
            postings,
            lengths,
            average_length: average_length.max(1.0),
        }
    }

    /// Scores every document against the query's bigrams.
    pub fn scores(&self, normalized_query: &str) -> Vec<f64> {
        let mut scores = vec![0.0; self.lengths.len()];
        let n = self.lengths.len() as f64;
        let mut terms = bigrams(normalized_query);
        terms.sort();
        terms.dedup();
        for term in terms {
            let Some(postings) = self.postings.get(&term) else {
                continue;
            };
            let df = postings.len() as f64;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for (document, frequency) in postings {
                let tf = f64::from(*frequency);
                let length = f64::from(self.lengths[*document]);
                let norm =
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / self.average_length));
                scores[*document] += idf * norm;
            }
        }
        scores
    }
}
