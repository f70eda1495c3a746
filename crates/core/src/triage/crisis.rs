//! Stage 3, crisis: does the text say that the person, or someone they know, wants to die, is
//! hurting themself or has already acted? High recall first: a missed crisis is the worst error
//! this product can make, a false one costs a line at the top of the answer.
//!
//! The words are data (`data/crisis.toml`, one list per `CrisisKind`); the rules are here:
//!
//! 1. A crisis word (desire, method, self-harm, hopelessness) makes a crisis. Content words are
//!    matched leftmost-longest, so a longer harmless phrase switches off the stem inside it
//!    (死ぬほど笑った, 必死, 死亡事故), and nothing else in the text switches a crisis off:
//!    「書き込まれて死にたい」 is a crisis.
//! 2. A weak word (死ぬほど, もう限界) is a crisis beside distress (つらい) or another weak word.
//! 3. A method or medicine with a quantity, followed by a past tense (薬を大量に飲んだ,
//!    手首を切った), is an act already done: 119 first.
//! 4. Someone the person knows (友達が…と言っている) keeps the crisis and says so
//!    (`Subject::Other`): the crisis lines help the person who worries too.
//! 5. Only a stranger's post (「死にたい」という書き込みを見つけた: every crisis word stands
//!    before a post word, a finding verb, nobody known, no first person) is not a personal
//!    crisis: it is a report, with one crisis line below.

use std::collections::BTreeSet;

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::{Normalized, Script, fold};
use super::segment::Segments;
use crate::lexicon::{CrisisKind, CrisisWords};

/// Whose crisis the text speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The person writing.
    Myself,
    /// Someone they know (a friend, a child, a partner).
    Other,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Myself => "self",
            Subject::Other => "other",
        }
    }
}

/// What the crisis stage found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Nothing about suicide or self-harm.
    None,
    /// The text touches suicide without a personal crisis (a stranger's post, 自殺のニュース,
    /// an insult such as 「死ね」 received): a crisis line below the answer. `post`: something
    /// found online, to report.
    Related { post: bool },
    /// A personal crisis.
    Crisis {
        subject: Subject,
        /// Already done (an overdose taken, a wrist cut): 119 first.
        act_done: bool,
        /// The byte range of the words that made it a crisis, in the normalized text.
        at: std::ops::Range<usize>,
    },
}

impl Finding {
    pub fn is_crisis(&self) -> bool {
        matches!(self, Finding::Crisis { .. })
    }
}

/// How far after a method a past tense still belongs to it, in characters.
const PAST_REACH: usize = 14;
/// How far after quoted words a marker of speech received still belongs to them.
/// Ten: a quoted message goes on a little after the despair it quotes (「人生終わった、今日中に
/// 金がいる」と来て).
const RECEIVED_REACH: usize = 10;
/// How far before a scene or a picture crisis words still name it (飛び降りシーン, 自殺の場面);
/// a title names its work only right after it (小説『遺書』: the quotes are gone when folded):
/// 「死にたいくらい恥ずかしい画像」 is the person's own words about a picture of them.
const WORK_REACH: usize = 2;
/// How far before the act an English past tense still belongs to it, in characters.
const ENGLISH_PAST_REACH: usize = 24;

#[derive(Debug, Clone)]
pub struct Detector {
    content: Option<AhoCorasick>,
    content_kinds: Vec<(CrisisKind, bool)>,
    context: Option<AhoCorasick>,
    context_kinds: Vec<(CrisisKind, bool)>,
}

struct Hit {
    kind: CrisisKind,
    start: usize,
    end: usize,
}

impl Detector {
    pub fn new(words: &CrisisWords) -> Detector {
        let mut content = Vec::new();
        let mut content_kinds = Vec::new();
        let mut context = Vec::new();
        let mut context_kinds = Vec::new();
        for (kind, word) in words.iter() {
            let stem = word.ends_with('*');
            let folded = fold(word.trim_end_matches('*'));
            if folded.is_empty() {
                continue;
            }
            if kind.is_content() {
                content.push(folded);
                content_kinds.push((kind, stem));
            } else {
                context.push(folded);
                context_kinds.push((kind, stem));
            }
        }
        Detector {
            content: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&content)
                .ok(),
            content_kinds,
            context: AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&context)
                .ok(),
            context_kinds,
        }
    }

    pub fn detect(&self, segments: &Segments<'_>) -> Finding {
        let text = segments.text;
        let mut hits = Vec::new();
        if let Some(content) = &self.content {
            for found in content.find_iter(&text.text) {
                let (kind, stem) = self.content_kinds[found.pattern().as_usize()];
                if stands_alone(segments, found.start(), found.end(), stem) {
                    hits.push(Hit {
                        kind,
                        start: found.start(),
                        end: found.end(),
                    });
                }
            }
        }
        if let Some(context) = &self.context {
            for found in context.find_overlapping_iter(&text.text) {
                let (kind, stem) = self.context_kinds[found.pattern().as_usize()];
                if kind == CrisisKind::Past && !is_past(&text.text[found.end()..]) {
                    continue;
                }
                if stands_alone(segments, found.start(), found.end(), stem) {
                    hits.push(Hit {
                        kind,
                        start: found.start(),
                        end: found.end(),
                    });
                }
            }
        }
        judge(text, &hits)
    }
}

/// Latin words must stand alone (`od` not in `good`); Japanese crisis words match anywhere,
/// in any script: 「ｼﾆﾀｲ」 and 「リスカ」 are often written in katakana inside longer runs,
/// and recall comes first.
fn stands_alone(segments: &Segments<'_>, start: usize, end: usize, stem: bool) -> bool {
    let text = segments.text;
    let latin = text
        .char_index(start)
        .is_some_and(|i| matches!(text.chars[i].script, Script::Latin | Script::Digit));
    !latin || segments.stands_alone(start, end, stem)
}

/// A past tense is not one when the verb goes on: した is past, したい and したら are not.
fn is_past(after: &str) -> bool {
    !after.starts_with(['い', 'く', 'ら', 'り', 'ろ'])
}

fn judge(text: &Normalized, hits: &[Hit]) -> Finding {
    let kinds: BTreeSet<CrisisKind> = hits.iter().map(|h| h.kind).collect();
    let has = |kind: CrisisKind| kinds.contains(&kind);
    // Hopelessness or a method quoted right before words said to the person
    // (「消えろ、生きてる価値なし」と書いてくる) is an insult received, not their own. Wanting
    // to die and self-harm are never discounted.
    let marked_after = |marker: CrisisKind, h: &Hit| {
        hits.iter().any(|r| {
            r.kind == marker
                && r.start >= h.end
                && chars_between(text, h.end, r.start) <= RECEIVED_REACH
        })
    };
    // A method in a message from someone the person knows (友達が…屋上から飛ぶってDMしてきた)
    // is that person's announcement, not an insult: only hopelessness stays discounted then.
    let from_someone_known = has(CrisisKind::Other);
    let received = |h: &Hit| {
        (h.kind == CrisisKind::Hopeless || h.kind == CrisisKind::Method && !from_someone_known)
            && marked_after(CrisisKind::Received, h)
    };
    // Any crisis word quoted right before the writer calls it false (「自殺未遂した」っていう
    // デマ記事) is a rumour about them, not their state.
    let denied = |h: &Hit| marked_after(CrisisKind::FalseClaim, h);
    // 「「消えたらみんな幸せ」ってコメントが来る。そうなのかも」: the writer agrees with what they
    // were sent, so it is their own state as well.
    let agrees = has(CrisisKind::Agreeing);
    let crisis_hits: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.kind.is_crisis() && (agrees || !received(h)) && !denied(h))
        .collect();
    let any_received = hits
        .iter()
        .any(|h| h.kind.is_crisis() && (received(h) || denied(h)));

    // An act already done: a method, self-harm or a quantity of medicine, then a past tense.
    let actable: Vec<&Hit> = hits
        .iter()
        .filter(|h| {
            matches!(h.kind, CrisisKind::Method | CrisisKind::SelfHarm)
                || h.kind == CrisisKind::Medicine && has(CrisisKind::Quantity)
        })
        .collect();
    let act_done = has(CrisisKind::Done)
        || actable.iter().any(|act| {
            hits.iter().any(|past| {
                // English puts the verb first: 「took a whole bottle of pills」.
                let english_before = past.kind == CrisisKind::Past
                    && past.end <= act.start
                    && text.text[past.start..past.end].is_ascii()
                    && chars_between(text, past.end, act.start) <= ENGLISH_PAST_REACH;
                // 「首吊りの画像に…合成した」: a past tense after a picture of the act is not the act.
                let picture_between = |from: usize, to: usize| {
                    hits.iter().any(|h| {
                        matches!(h.kind, CrisisKind::Post | CrisisKind::Media)
                            && h.start >= from
                            && h.end <= to
                    })
                };
                english_before
                    || !picture_between(act.end, past.start) && {
                        // 「odした」 has the tense after the act; 「overdosed」 carries it inside.
                        past.kind == CrisisKind::Past
                            && past.start >= act.start
                            && past.end > act.end
                            && chars_between(text, act.end, past.start.max(act.end)) <= PAST_REACH
                    }
            })
        });

    let weak: BTreeSet<&str> = hits
        .iter()
        .filter(|h| h.kind == CrisisKind::Weak)
        .map(|h| &text.text[h.start..h.end])
        .collect();
    let weak_crisis = !weak.is_empty() && (has(CrisisKind::Distress) || weak.len() >= 2);

    let overdose = hits
        .iter()
        .filter(|h| h.kind == CrisisKind::Medicine && has(CrisisKind::Quantity));
    let first = crisis_hits
        .iter()
        .map(|h| h.start..h.end)
        .chain(overdose.map(|h| h.start..h.end))
        .chain(
            hits.iter()
                .filter(|h| h.kind == CrisisKind::Weak && weak_crisis)
                .map(|h| h.start..h.end),
        )
        .chain(actable.iter().filter(|_| act_done).map(|h| h.start..h.end))
        .min_by_key(|r| r.start);
    // 「息子が自殺をほのめかしている」: suicide, someone known, and reported speech.
    let related_other =
        has(CrisisKind::Related) && has(CrisisKind::Other) && has(CrisisKind::Reported);
    let first = first.or_else(|| {
        hits.iter()
            .filter(|h| h.kind == CrisisKind::Related && related_other)
            .map(|h| h.start..h.end)
            .next()
    });
    let Some(at) = first else {
        return if has(CrisisKind::Related) || any_received {
            Finding::Related {
                post: has(CrisisKind::Post) && has(CrisisKind::Found),
            }
        } else {
            Finding::None
        };
    };

    let knows_someone = has(CrisisKind::Other);
    // A stranger's post: every crisis word describes a post found online.
    let post_words = || {
        hits.iter()
            .filter(|h| matches!(h.kind, CrisisKind::Post | CrisisKind::Media))
            .map(|h| h.start)
    };
    let last_post = post_words().max();
    let describes_post = last_post
        .is_some_and(|post| crisis_hits.iter().all(|h| h.end <= post) && !act_done && !weak_crisis);
    // Someone known who appears only after the post, with no worry about them
    // (首吊りの動画…子どもが見たら危ない), is a viewer, not the one in crisis.
    let first_post = post_words().min();
    let known_author = hits
        .iter()
        .any(|h| h.kind == CrisisKind::Other && first_post.is_none_or(|post| h.start < post))
        || (knows_someone && has(CrisisKind::Reported));
    let nobody_known = !known_author && !has(CrisisKind::FirstPerson);
    // An image of a method sent to the person (首吊りの画像を送りつけられた) is harassment.
    if describes_post && has(CrisisKind::Received) && !knows_someone && !agrees {
        return Finding::Related { post: false };
    }
    // Crisis words naming a scene, a picture or a story right after them (ドラマの飛び降りシーン
    // の考察を書いたら): they describe the work, not the writer.
    let every_crisis_word_by_a_work = |near: &dyn Fn(&Hit, &Hit) -> bool| {
        !crisis_hits.is_empty()
            && !act_done
            && !weak_crisis
            && crisis_hits.iter().all(|h| {
                hits.iter()
                    .any(|m| m.kind == CrisisKind::Media && near(h, m))
            })
    };
    let names_work = describes_post
        && every_crisis_word_by_a_work(&|h, m| {
            m.start >= h.end && chars_between(text, h.end, m.start) <= WORK_REACH
        });
    // A work's title right after what it is (小説『遺書』, 映画「自殺サークル」) is its name,
    // whoever writes about it.
    let titled = every_crisis_word_by_a_work(&|h, m| {
        m.end <= h.start && chars_between(text, m.end, h.start) == 0
    });
    if titled {
        return Finding::Related { post: false };
    }
    if names_work && nobody_known {
        return Finding::Related { post: false };
    }
    if describes_post && has(CrisisKind::Found) && nobody_known {
        return Finding::Related {
            post: has(CrisisKind::Post),
        };
    }
    // A stranger announcing it (見知らぬ配信者が「今夜死にます」と告知していた): the crisis words
    // are what was reported. Words of the writer's own after the report (知らん人に…って言われてる。
    // …おらんくなりたい) are still their crisis.
    let all_reported = crisis_hits.iter().all(|h| {
        hits.iter()
            .any(|r| r.kind == CrisisKind::Reported && r.start >= h.end)
    });
    // A method announced for now (配信者が「これから飛ぶ」って言ってる) is not left to a report.
    if has(CrisisKind::Stranger)
        && all_reported
        && nobody_known
        && !act_done
        && !has(CrisisKind::Method)
    {
        return Finding::Related { post: true };
    }
    // A stranger who announces a method for now is the one in crisis, not the writer.
    let someone_else = knows_someone || has(CrisisKind::Stranger) && all_reported;
    let subject = if someone_else && (has(CrisisKind::Reported) || !has(CrisisKind::FirstPerson)) {
        Subject::Other
    } else {
        Subject::Myself
    };
    Finding::Crisis {
        subject,
        act_done,
        at,
    }
}

fn chars_between(text: &Normalized, start: usize, end: usize) -> usize {
    text.text
        .get(start..end)
        .map_or(usize::MAX, |s| s.chars().count())
}
