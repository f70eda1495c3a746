//! `/staff`: sign in, the reports inbox, the re-verification queue, sign out. A session
//! cookie only under `/staff` (HttpOnly, SameSite=Strict, Secure behind https), a CSRF token
//! on every form, five sign-ins per address per ten minutes and the account locked after
//! five failures (in the store), and the session ended after 30 idle minutes (the desk).

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{SharedState, page, render};
use crate::AppState;
use crate::staff::{
    COOKIE, LoginOutcome, OpenReport, StaffDesk, StaffSession, cookie_token, same_secret,
};
use crate::views::Page;

pub struct QueueItem {
    pub window_id: String,
    pub window_name: String,
    pub kind: &'static str,
    pub subject: String,
    pub date: String,
    pub critical: bool,
}

#[derive(Template)]
#[template(path = "staff_login.html")]
struct LoginTemplate<'a> {
    page: Page<'a>,
    name: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomeTemplate<'a> {
    page: Page<'a>,
    session: StaffSession,
    reports: Vec<OpenReport>,
    queue: Vec<QueueItem>,
    error: Option<&'static str>,
}

fn desk(state: &AppState) -> Option<std::sync::Arc<dyn StaffDesk>> {
    state.staff.clone()
}

fn token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(cookie_token)
        .map(str::to_owned)
}

async fn session(state: &AppState, headers: &HeaderMap) -> Option<StaffSession> {
    let desk = desk(state)?;
    desk.session(token(headers)?).await
}

fn see_other(location: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

fn cookie(state: &AppState, value: &str, max_age: Option<u64>) -> HeaderValue {
    let secure = if state.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let age = max_age.map_or_else(String::new, |s| format!("; Max-Age={s}"));
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/staff; HttpOnly; SameSite=Strict{secure}{age}"
    ))
    .unwrap_or(HeaderValue::from_static(
        "madoguchi_staff=; Path=/staff; Max-Age=0",
    ))
}

/// The facts due for checking, crisis lines first (the same order as `madoguchi stale`).
fn queue(state: &AppState) -> Vec<QueueItem> {
    let today = state
        .clock
        .now()
        .to_zoned_datetime(madoguchi_core::hours::tokyo())
        .date();
    madoguchi_core::freshness::stale(&state.directory, today, 12)
        .into_iter()
        .take(50)
        .map(|f| QueueItem {
            window_id: f.window.id.clone(),
            window_name: f.window.name.clone(),
            kind: f.fact.kind.as_str(),
            subject: f.fact.subject.clone(),
            date: f
                .date
                .map_or_else(|| "日付なし".to_owned(), |d| d.to_string()),
            critical: f.window_harm == 0,
        })
        .collect()
}

async fn home_page(
    state: &AppState,
    session: StaffSession,
    error: Option<&'static str>,
) -> Response {
    let reports = match desk(state) {
        Some(desk) => desk.open_reports().await.unwrap_or_default(),
        None => Vec::new(),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let template = HomeTemplate {
        page: page(state),
        session,
        reports,
        queue: queue(state),
        error,
    };
    render(state, status, &template)
}

pub async fn home(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    if desk(&state).is_none() {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    }
    match session(&state, &headers).await {
        Some(session) => home_page(&state, session, None).await,
        None => {
            let template = LoginTemplate {
                page: page(&state),
                name: String::new(),
                error: None,
            };
            render(&state, StatusCode::OK, &template)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct LoginParams {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub async fn login(State(state): State<SharedState>, request: Request) -> Response {
    let Some(desk) = desk(&state) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (address, _, params): (_, _, LoginParams) = super::posted_form(&state, request).await;
    let again = |status, error: String| {
        let template = LoginTemplate {
            page: page(&state),
            name: params.name.clone(),
            error: Some(error),
        };
        render(&state, status, &template)
    };
    if let Some(address) = address
        && !state
            .login_limiter
            .allow(address, std::time::Instant::now())
    {
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "このアドレスからのサインインが多すぎます。10分ほど待ってください。".to_owned(),
        );
    }
    match desk
        .login(params.name.trim().to_owned(), params.password.clone())
        .await
    {
        Ok(LoginOutcome::Session { token, .. }) => {
            let mut response = see_other("/staff");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, cookie(&state, &token, None));
            response
        }
        Ok(LoginOutcome::Refused) => again(
            StatusCode::UNAUTHORIZED,
            "名前かパスワードが違います。".to_owned(),
        ),
        Ok(LoginOutcome::Locked { until }) => again(
            StatusCode::TOO_MANY_REQUESTS,
            format!("失敗が続いたため、このアカウントは {until} まで使えません。"),
        ),
        Err(_) => again(
            StatusCode::SERVICE_UNAVAILABLE,
            "いまはサインインできません（データベースに届きません）。".to_owned(),
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct CsrfParams {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// The session, if the form's CSRF token is the session's.
async fn checked(state: &AppState, headers: &HeaderMap, csrf: &str) -> Option<StaffSession> {
    session(state, headers)
        .await
        .filter(|session| same_secret(&session.csrf, csrf))
}

pub async fn logout(State(state): State<SharedState>, request: Request) -> Response {
    let Some(desk) = desk(&state) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (_, headers, params): (_, _, CsrfParams) = super::posted_form(&state, request).await;
    if checked(&state, &headers, &params.csrf).await.is_none() {
        return super::error_page(&state, StatusCode::FORBIDDEN);
    }
    if let Some(token) = token(&headers) {
        desk.logout(token).await;
    }
    let mut response = see_other("/staff");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, "", Some(0)));
    response
}

pub async fn close_report(
    State(state): State<SharedState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let Some(desk) = desk(&state) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (_, headers, params): (_, _, CsrfParams) = super::posted_form(&state, request).await;
    let Some(session) = checked(&state, &headers, &params.csrf).await else {
        return super::error_page(&state, StatusCode::FORBIDDEN);
    };
    let reason = params.reason.trim();
    if reason.is_empty() {
        return home_page(
            &state,
            session,
            Some("閉じる理由（何を確かめ、何を直したか）を書いてください。"),
        )
        .await;
    }
    match desk
        .close_report(id, session.name.clone(), reason.to_owned())
        .await
    {
        Ok(_) => see_other("/staff"),
        Err(_) => super::error_page(&state, StatusCode::SERVICE_UNAVAILABLE),
    }
}
