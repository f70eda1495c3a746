//! The guided questions: what happened → what do you want → who are you → where do you live
//! → the answer. The state is the list of answers so far (the URL query); `next_step` turns it
//! into the next question or the triage query, so the guide is stateless and needs no script.

use serde::Deserialize;

use crate::model::{AudienceGroup, Directory};
use crate::triage::{Query, Region};

#[derive(Debug, Clone, Default)]
pub struct Questions {
    pub situation: Prompt,
    /// The situations in groups, in the order the first question lists them (crisis first).
    pub situation_groups: Vec<SituationGroup>,
    pub outcome: Prompt,
    pub who: Prompt,
    pub who_options: Vec<WhoOption>,
    pub place: Prompt,
    pub place_options: Vec<Choice>,
    /// The children's page's list: situations in a child's words, one tap to the answer.
    pub kids: Vec<KidsOption>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KidsOption {
    pub situation: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub prompt: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationGroup {
    pub label: String,
    pub situations: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct WhoOption {
    pub value: String,
    pub label: String,
    pub audience: AudienceGroup,
    /// Offered only where the situation asks woman or man.
    pub gender: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The heading of the group the option is listed under, if the question has groups.
    pub group: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    situation: SituationFile,
    outcome: Prompt,
    who: WhoFile,
    #[serde(rename = "where")]
    place: WhereFile,
    #[serde(default)]
    kids: Vec<KidsOption>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationFile {
    prompt: String,
    hint: Option<String>,
    #[serde(default)]
    groups: Vec<SituationGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhoFile {
    prompt: String,
    hint: Option<String>,
    options: Vec<WhoOptionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhoOptionFile {
    value: String,
    label: String,
    audience: toml::Spanned<String>,
    #[serde(default)]
    gender: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WhereFile {
    prompt: String,
    hint: Option<String>,
    options: Vec<ChoiceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceFile {
    value: String,
    label: String,
}

/// Parses `questions.toml`; problems come back with the span they point at.
pub fn parse(text: &str) -> Result<Questions, Vec<(std::ops::Range<usize>, String)>> {
    let file: QuestionsFile = crate::format::parse_spanned(text)?;
    let mut problems = Vec::new();
    let mut who_options = Vec::new();
    for option in file.who.options {
        match AudienceGroup::parse(option.audience.get_ref()) {
            Some(audience) => who_options.push(WhoOption {
                value: option.value,
                label: option.label,
                audience,
                gender: option.gender,
            }),
            None => problems.push((
                option.audience.span(),
                format!("audience `{}` is not known", option.audience.get_ref()),
            )),
        }
    }
    for option in &file.place.options {
        if Region::parse(&option.value).is_none() {
            problems.push((
                0..0,
                format!("where option `{}` is not saga or elsewhere", option.value),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Questions {
        situation: Prompt {
            prompt: file.situation.prompt,
            hint: file.situation.hint,
        },
        situation_groups: file.situation.groups,
        outcome: file.outcome,
        who: Prompt {
            prompt: file.who.prompt,
            hint: file.who.hint,
        },
        who_options,
        place: Prompt {
            prompt: file.place.prompt,
            hint: file.place.hint,
        },
        place_options: file
            .place
            .options
            .into_iter()
            .map(|c| Choice {
                value: c.value,
                label: c.label,
                group: None,
            })
            .collect(),
        kids: file.kids,
    })
}

/// The answers so far, as they come from the URL query. Unknown values are ignored, so a
/// stale or edited link still leads somewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub situation: Option<String>,
    pub outcome: Option<String>,
    pub who: Option<String>,
    pub place: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Question {
        /// `situation`, `outcome`, `who` or `where`: the query parameter it sets.
        id: &'static str,
        prompt: String,
        hint: Option<String>,
        options: Vec<Choice>,
    },
    Answer(GuidedQuery),
}

/// What the guide hands to triage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidedQuery {
    pub situation: String,
    pub outcome: Option<String>,
    pub audience: Option<AudienceGroup>,
    pub region: Option<Region>,
}

impl GuidedQuery {
    pub fn to_query<'a>(&'a self, at: jiff::Timestamp) -> Query<'a> {
        Query {
            situation: Some(&self.situation),
            outcome: self.outcome.as_deref(),
            audience: self.audience,
            region: self.region,
            ..Query::text("", at)
        }
    }
}

/// The next question, or the answer once enough is known.
pub fn next_step(directory: &Directory, answers: &Answers) -> Step {
    let questions = &directory.questions;
    let Some(situation) = answers
        .situation
        .as_deref()
        .and_then(|id| directory.situation(id))
    else {
        return Step::Question {
            id: "situation",
            prompt: questions.situation.prompt.clone(),
            hint: questions.situation.hint.clone(),
            options: situation_choices(directory),
        };
    };
    if situation.id == "crisis" {
        // A person in crisis gets the answer at once, not more questions.
        return Step::Answer(GuidedQuery {
            situation: situation.id.clone(),
            outcome: Some("listen".to_owned()),
            audience: None,
            region: None,
        });
    }
    let outcome = answers
        .outcome
        .as_deref()
        .filter(|o| situation.outcomes.iter().any(|x| x == o));
    if outcome.is_none() && situation.outcomes.len() > 1 {
        return Step::Question {
            id: "outcome",
            prompt: questions.outcome.prompt.clone(),
            hint: questions.outcome.hint.clone(),
            options: situation
                .outcomes
                .iter()
                .filter_map(|id| directory.outcome(id))
                .map(|o| Choice {
                    value: o.id.clone(),
                    label: o.name.clone(),
                    group: None,
                })
                .collect(),
        };
    }
    let outcome = outcome
        .map(str::to_owned)
        .or_else(|| situation.outcomes.first().cloned());
    let offered: Vec<&WhoOption> = questions
        .who_options
        .iter()
        .filter(|o| situation.ask_gender || !o.gender)
        .collect();
    let who = answers
        .who
        .as_deref()
        .and_then(|w| offered.iter().find(|o| o.value == w));
    let Some(who) = who else {
        return Step::Question {
            id: "who",
            prompt: questions.who.prompt.clone(),
            hint: questions.who.hint.clone(),
            options: offered
                .iter()
                .map(|o| Choice {
                    value: o.value.clone(),
                    label: o.label.clone(),
                    group: None,
                })
                .collect(),
        };
    };
    let Some(region) = answers.place.as_deref().and_then(Region::parse) else {
        return Step::Question {
            id: "where",
            prompt: questions.place.prompt.clone(),
            hint: questions.place.hint.clone(),
            options: questions.place_options.clone(),
        };
    };
    Step::Answer(GuidedQuery {
        situation: situation.id.clone(),
        outcome,
        audience: Some(who.audience).filter(|a| *a != AudienceGroup::Anyone),
        region: Some(region),
    })
}

/// The first question's options: by group as `questions.toml` orders them, then any
/// situation no group lists (which `check` reports), so that none is ever hidden.
pub fn situation_choices(directory: &Directory) -> Vec<Choice> {
    let groups = &directory.questions.situation_groups;
    let mut choices: Vec<Choice> = groups
        .iter()
        .flat_map(|group| {
            group.situations.iter().filter_map(|id| {
                directory.situation(id).map(|s| Choice {
                    value: s.id.clone(),
                    label: s.name.clone(),
                    group: Some(group.label.clone()),
                })
            })
        })
        .collect();
    for situation in &directory.situations {
        if !choices.iter().any(|c| c.value == situation.id) {
            choices.push(Choice {
                value: situation.id.clone(),
                label: situation.name.clone(),
                group: None,
            });
        }
    }
    choices
}
