//! "この情報が違う": the short form on each window page, and what happens when it is sent.
//! Bad input keeps what was typed; a filled honeypot is thanked and dropped; an address that
//! sends too many is told to wait; nothing about the sender is kept or logged.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{SharedState, page, render};
use crate::inbox::{Correction, FACTS, MAX_BODY_CHARS, MAX_SOURCE_BYTES};
use crate::views::Page;

/// The form's fields and what is wrong with them, for the window page and for a second try.
pub struct CorrectionForm {
    pub window_id: String,
    pub facts: [(&'static str, &'static str); 4],
    pub fact: String,
    pub body: String,
    pub source_url: String,
    pub errors: Vec<&'static str>,
}

impl CorrectionForm {
    pub fn empty(window_id: &str) -> CorrectionForm {
        CorrectionForm {
            window_id: window_id.to_owned(),
            facts: FACTS,
            fact: "phone".to_owned(),
            body: String::new(),
            source_url: String::new(),
            errors: Vec::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CorrectionParams {
    #[serde(default)]
    fact: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    source_url: String,
    /// Hidden from people; only robots fill it.
    #[serde(default)]
    website: String,
}

#[derive(Template)]
#[template(path = "correction_result.html")]
struct ResultTemplate<'a> {
    page: Page<'a>,
    title: &'static str,
    thanked: bool,
    window_name: String,
    form: CorrectionForm,
}

pub async fn submit(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let Some(window) = state.directory.window(&id) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let Some(inbox) = state.inbox.clone() else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (address, _, params): (_, _, CorrectionParams) = super::posted_form(&state, request).await;
    let mut form = CorrectionForm {
        fact: params.fact.clone(),
        body: params.body.clone(),
        source_url: params.source_url.trim().to_owned(),
        ..CorrectionForm::empty(&window.id)
    };
    let respond = |state: &crate::AppState, status, title, thanked, form| {
        let template = ResultTemplate {
            page: page(state),
            title,
            thanked,
            window_name: window.name.clone(),
            form,
        };
        render(state, status, &template)
    };
    if !params.website.is_empty() {
        // A robot: thank it like a person, keep nothing.
        return respond(&state, StatusCode::OK, "受け付けました", true, form);
    }
    if let Some(address) = address
        && !state
            .report_limiter
            .allow(address, std::time::Instant::now())
    {
        form.errors
            .push("短い時間にたくさん送られました。10分ほどたってから、もう一度送ってください。");
        return respond(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "少し待ってから送ってください",
            false,
            form,
        );
    }
    let fact = FACTS
        .iter()
        .find(|(value, _)| *value == params.fact)
        .map(|(v, _)| *v);
    if fact.is_none() {
        form.errors.push("どの情報が違うかを選んでください。");
        form.fact = "phone".to_owned();
    }
    let body = params.body.trim();
    if body.is_empty() {
        form.errors.push("何が違うかを書いてください。");
    } else if body.chars().count() > MAX_BODY_CHARS {
        form.errors.push("1,000字までにしてください。");
    }
    let source = form.source_url.clone();
    if !source.is_empty()
        && (source.len() > MAX_SOURCE_BYTES
            || !(source.starts_with("https://") || source.starts_with("http://"))
            || source.contains(char::is_whitespace))
    {
        form.errors.push(
            "出典は https:// で始まるページのアドレスにしてください（なくてもかまいません）。",
        );
    }
    let (Some(fact), true) = (fact, form.errors.is_empty()) else {
        return respond(
            &state,
            StatusCode::BAD_REQUEST,
            "送る前に確かめてください",
            false,
            form,
        );
    };
    let correction = Correction {
        window_id: window.id.clone(),
        fact,
        body: body.to_owned(),
        source_url: (!source.is_empty()).then_some(source),
    };
    match inbox.submit(correction).await {
        Ok(()) => respond(&state, StatusCode::OK, "受け付けました", true, form),
        Err(_) => {
            form.errors.push("いまは受け付けられませんでした。書いた内容はこのページに残っています。時間をおいて、もう一度送ってください。");
            respond(
                &state,
                StatusCode::SERVICE_UNAVAILABLE,
                "いまは受け付けられません",
                false,
                form,
            )
        }
    }
}
