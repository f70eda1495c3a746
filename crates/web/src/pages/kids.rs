//! The children's pages: `/kids` (what happened, in a child's words, one tap to the answer),
//! `/kids/answer?situation=…` and `POST /kids/search`. Children's lines come first, sentences
//! are short, and every kanji gets ふりがな (`ruby::furigana` over the rendered page).

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use madoguchi_core::AudienceGroup;
use madoguchi_core::triage::{self, Answer};
use serde::Deserialize;

use super::SharedState;
use super::guide::OptionLink;
use crate::AppState;
use crate::messages::KIDS;
use crate::say;
use crate::views::{Card, Page, card};

fn kids_page(state: &AppState) -> Page<'_> {
    Page::new(&state.kids_frame, &state.assets, &KIDS)
}

/// Renders a children's page with ふりがな; on failure, the fallback page with 110/119.
fn render_kids(state: &AppState, status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (
            status,
            Html(crate::ruby::furigana(&html, &state.directory.readings, "")),
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(state.fallback_html.clone()),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "kids_home.html")]
struct KidsHomeTemplate<'a> {
    page: Page<'a>,
    options: Vec<OptionLink>,
}

pub async fn home(State(state): State<SharedState>, headers: axum::http::HeaderMap) -> Response {
    super::cached(&state, &state.pages.kids, &headers, || home_html(&state))
}

fn home_html(state: &crate::AppState) -> Result<String, askama::Error> {
    let options = state
        .directory
        .questions
        .kids
        .iter()
        .map(|option| OptionLink {
            href: format!("/kids/answer?situation={}", option.situation),
            label: option.label.clone(),
        })
        .collect();
    let template = KidsHomeTemplate {
        page: kids_page(state),
        options,
    };
    template
        .render()
        .map(|html| crate::ruby::furigana(&html, &state.directory.readings, ""))
}

#[derive(Template)]
#[template(path = "kids_results.html")]
struct KidsResultsTemplate<'a> {
    page: Page<'a>,
    crisis: bool,
    crisis_cards: Vec<Card>,
    steps: Vec<String>,
    evidence_link: bool,
    cards: Vec<Card>,
    warnings: Vec<String>,
    q: String,
}

fn results<'a>(state: &'a AppState, answer: &Answer, q: String) -> KidsResultsTemplate<'a> {
    let directory = &state.directory;
    let at = state.clock.now();
    // A child's card: name, open or not, the button; no reasons to read.
    let cards = |list: &[triage::Ranked]| -> Vec<Card> {
        list.iter()
            .filter_map(|r| directory.window(&r.id))
            .map(|w| card(directory, w, Vec::new(), at, &KIDS))
            .collect()
    };
    let steps = answer.sections.steps(directory);
    KidsResultsTemplate {
        page: kids_page(state),
        crisis: answer.crisis.is_some(),
        crisis_cards: cards(&answer.crisis_lines),
        steps: steps.iter().map(|s| s.text.clone()).collect(),
        evidence_link: steps.iter().any(|s| s.evidence),
        cards: cards(&answer.results),
        warnings: answer
            .warnings
            .iter()
            .filter(|w| !matches!(w, triage::Warning::OpenInstead { .. }))
            .map(|w| say::warning(&KIDS, directory, w))
            .collect(),
        q,
    }
}

#[derive(Debug, Deserialize)]
pub struct AnswerParams {
    situation: Option<String>,
}

pub async fn answer(
    State(state): State<SharedState>,
    Query(params): Query<AnswerParams>,
) -> Response {
    let at = state.clock.now();
    let situation = params
        .situation
        .as_deref()
        .filter(|id| state.directory.situation(id).is_some());
    let query = triage::Query {
        situation,
        audience: Some(AudienceGroup::Children),
        ..triage::Query::text("", at)
    };
    let answer = state.engine.triage(&state.directory, &query);
    render_kids(
        &state,
        StatusCode::OK,
        &results(&state, &answer, String::new()),
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct KidsSearch {
    #[serde(default)]
    q: String,
}

pub async fn search(
    State(state): State<SharedState>,
    form: Result<Form<KidsSearch>, FormRejection>,
) -> Response {
    let (status, q) = match form {
        Ok(Form(form)) => (StatusCode::OK, form.q),
        Err(rejection) => (rejection.status(), String::new()),
    };
    let query = triage::Query {
        audience: Some(AudienceGroup::Children),
        ..triage::Query::text(&q, state.clock.now())
    };
    let answer = state.engine.triage(&state.directory, &query);
    let mut response = render_kids(&state, status, &results(&state, &answer, q.clone()));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
