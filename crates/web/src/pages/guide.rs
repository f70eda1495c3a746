//! The guided questions (`/guide`, state in the URL: ids only, never typed words) and the
//! evidence guide (`/guide/evidence`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use madoguchi_core::guide::{self, Answers, Choice, Step};
use serde::Deserialize;

use super::SharedState;
use super::answer::{SearchBox, results_page};
use crate::lang::Tongue;
use crate::views::{Page, date_label};

pub struct OptionLink {
    pub href: String,
    pub label: String,
}

/// Options under one heading; a question without groups has one group without a heading.
pub struct OptionGroup {
    pub label: Option<String>,
    pub options: Vec<OptionLink>,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuideTemplate<'a> {
    page: Page<'a>,
    step: usize,
    prompt: String,
    hint: Option<String>,
    groups: Vec<OptionGroup>,
}

#[derive(Debug, Deserialize)]
pub struct GuideParams {
    situation: Option<String>,
    outcome: Option<String>,
    who: Option<String>,
    #[serde(rename = "where")]
    place: Option<String>,
}

/// Builds `/guide?…` from the answers so far plus one more.
fn guide_href(answers: &Answers, id: &str, value: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let fields = [
        ("situation", answers.situation.as_deref()),
        ("outcome", answers.outcome.as_deref()),
        ("who", answers.who.as_deref()),
        ("where", answers.place.as_deref()),
    ];
    for (name, current) in fields {
        if name == id {
            pairs.push((name, value));
        } else if let Some(current) = current {
            pairs.push((name, current));
        }
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    format!("/guide?{}", query.join("&"))
}

fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Consecutive options with the same group heading, as links.
pub fn option_groups(options: Vec<Choice>, href: impl Fn(&Choice) -> String) -> Vec<OptionGroup> {
    let mut groups: Vec<OptionGroup> = Vec::new();
    for option in options {
        let link = OptionLink {
            href: href(&option),
            label: option.label.clone(),
        };
        match groups.last_mut() {
            Some(last) if last.label == option.group => last.options.push(link),
            _ => groups.push(OptionGroup {
                label: option.group,
                options: vec![link],
            }),
        }
    }
    groups
}

/// The first question's options as links, grouped, for the home page.
pub fn first_question(directory: &madoguchi_core::Directory, base: &str) -> Vec<OptionGroup> {
    let answers = Answers::default();
    option_groups(guide::situation_choices(directory), |o| {
        format!("{base}{}", guide_href(&answers, "situation", &o.value))
    })
}

pub async fn guide_page(
    State(state): State<SharedState>,
    tongue: Tongue,
    Query(params): Query<GuideParams>,
) -> Response {
    let base = tongue.lang.prefix();
    let answers = Answers {
        situation: params.situation,
        outcome: params.outcome,
        who: params.who,
        place: params.place,
    };
    let step = [
        &answers.situation,
        &answers.outcome,
        &answers.who,
        &answers.place,
    ]
    .iter()
    .filter(|a| a.is_some())
    .count()
        + 1;
    match guide::next_step(state.directory_in(tongue.lang), &answers) {
        Step::Question {
            id,
            prompt,
            hint,
            options,
        } => {
            let template = GuideTemplate {
                page: super::page_in(&state, &tongue),
                step,
                prompt,
                hint,
                groups: option_groups(options, |o| {
                    format!("{base}{}", guide_href(&answers, id, &o.value))
                }),
            };
            super::render_in(&state, tongue.lang, StatusCode::OK, &template)
        }
        Step::Answer(guided) => {
            let at = state.clock.now();
            let answer = state.engine.triage(&state.directory, &guided.to_query(at));
            let template = results_page(
                &state,
                &tongue,
                &answer,
                at,
                SearchBox::empty(tongue.lang.messages(), &state.served_languages),
                Some(format!("{base}/guide")),
            );
            super::render_in(&state, tongue.lang, StatusCode::OK, &template)
        }
    }
}

pub struct EvidenceStep {
    pub text: String,
    /// 「総務省「…」（2024年6月12日）」 for each page it cites.
    pub sources: Vec<SourceLink>,
}

pub struct SourceLink {
    pub title: String,
    pub url: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct EvidenceTemplate<'a> {
    page: Page<'a>,
    title: String,
    lead: String,
    steps: Vec<EvidenceStep>,
}

pub async fn evidence(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    super::cached(
        &state,
        &state.pages.evidence[tongue.lang.index()],
        &headers,
        || evidence_html(&state, &tongue).map(|html| super::finish(&state, tongue.lang, html)),
    )
}

fn evidence_html(state: &crate::AppState, tongue: &Tongue) -> Result<String, askama::Error> {
    let advice = &state.directory_in(tongue.lang).advice;
    let m = tongue.lang.messages();
    let template = EvidenceTemplate {
        page: super::page_in(state, tongue),
        title: advice.evidence.title.clone(),
        lead: advice.evidence.lead.clone(),
        steps: advice
            .evidence
            .steps
            .iter()
            .map(|step| EvidenceStep {
                text: step.text.clone(),
                sources: step
                    .sources
                    .iter()
                    .filter_map(|id| advice.source(id))
                    .map(|source| SourceLink {
                        title: source.title.clone(),
                        url: source.url.clone(),
                        date: source
                            .published
                            .map_or_else(|| m.undated.to_owned(), |d| date_label(d, m)),
                    })
                    .collect(),
            })
            .collect(),
    };
    template.render()
}
