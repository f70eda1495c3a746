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
use madoguchi_core::edit::WindowFields;

use crate::staff::{
    COOKIE, LoginOutcome, OpenReport, ProposalSummary, ProposeOutcome, ReviewOutcome, StaffDesk,
    StaffSession, WindowChange, cookie_token, same_secret,
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
    proposals: Vec<ProposalSummary>,
    queue: Vec<QueueItem>,
    /// Texts the English and やさしい日本語 pages show in Japanese for want of a translation
    /// (a text changed or added since), per language.
    untranslated: Vec<Untranslated>,
    version: i64,
    error: Option<&'static str>,
}

/// A language's texts without a translation, the first few of them with where they are.
struct Untranslated {
    lang: String,
    count: usize,
    first: Vec<(String, String)>,
}

/// How many texts shown at most under each language.
const UNTRANSLATED_SHOWN: usize = 10;

fn untranslated(state: &AppState) -> Vec<Untranslated> {
    [crate::lang::Lang::En, crate::lang::Lang::Easy]
        .into_iter()
        .map(|lang| {
            let code = lang.code();
            let missing = madoguchi_core::translation::untranslated(&state.directory, code);
            Untranslated {
                lang: code.to_owned(),
                count: missing.len(),
                first: missing
                    .into_iter()
                    .take(UNTRANSLATED_SHOWN)
                    .map(|(text, place)| (text, place.to_string()))
                    .collect(),
            }
        })
        .collect()
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

/// To a proposal's page, after it was made or reviewed.
fn see_proposal(id: i64) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/staff/proposals/{id}"))],
    )
        .into_response()
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
    let (reports, proposals) = match desk(state) {
        Some(desk) => (
            desk.open_reports().await.unwrap_or_default(),
            desk.open_proposals().await.unwrap_or_default(),
        ),
        None => (Vec::new(), Vec::new()),
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
        proposals,
        queue: queue(state),
        untranslated: untranslated(state),
        version: state.version,
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

/// A diff as lines marked `+`, `-` or ` `, for `<ins>` and `<del>`.
fn diff_lines(diff: &str) -> Vec<(char, String)> {
    diff.lines()
        .filter(|line| !line.starts_with("+++") && !line.starts_with("---"))
        .map(|line| {
            let mark = line
                .chars()
                .next()
                .filter(|c| matches!(c, '+' | '-'))
                .unwrap_or(' ');
            (mark, line.to_owned())
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff_edit.html")]
struct EditTemplate<'a> {
    page: Page<'a>,
    csrf: String,
    window_id: String,
    window_name: String,
    version: i64,
    path: String,
    base_hash: String,
    fields: WindowFields,
    file_text: String,
    source_url: String,
    source_title: String,
    reason: String,
    errors: Vec<String>,
    /// The editor's change against the file that replaced theirs, after a conflict.
    conflict: Option<Vec<(char, String)>>,
}

/// What the editor typed, to show again with an error.
#[derive(Default)]
struct Typed {
    fields: Option<WindowFields>,
    file_text: Option<String>,
    source_url: String,
    source_title: String,
    reason: String,
}

async fn edit_page(
    state: &AppState,
    session: &StaffSession,
    window_id: &str,
    typed: Typed,
    errors: Vec<String>,
    conflict: Option<Vec<(char, String)>>,
) -> Response {
    let Some(desk) = desk(state) else {
        return super::error_page(state, StatusCode::NOT_FOUND);
    };
    let file = match desk.window_file(window_id.to_owned()).await {
        Ok(Some(file)) => file,
        Ok(None) => return super::error_page(state, StatusCode::NOT_FOUND),
        Err(_) => return super::error_page(state, StatusCode::SERVICE_UNAVAILABLE),
    };
    let fields = match typed.fields {
        Some(fields) => fields,
        // A file the form cannot read shows empty fields; the file form still has it all.
        None => madoguchi_core::edit::fields(&file.path, &file.text).unwrap_or_default(),
    };
    let window_name = state
        .directory
        .window(window_id)
        .map_or_else(|| window_id.to_owned(), |w| w.name.clone());
    let status = if errors.is_empty() && conflict.is_none() {
        StatusCode::OK
    } else if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::BAD_REQUEST
    };
    let template = EditTemplate {
        page: page(state),
        csrf: session.csrf.clone(),
        window_id: window_id.to_owned(),
        window_name,
        version: file.version,
        base_hash: file.hash,
        fields,
        file_text: typed.file_text.unwrap_or(file.text),
        path: file.path,
        source_url: typed.source_url,
        source_title: typed.source_title,
        reason: typed.reason,
        errors,
        conflict,
    };
    render(state, status, &template)
}

pub async fn edit_form(
    State(state): State<SharedState>,
    Path(window_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match session(&state, &headers).await {
        Some(session) => {
            edit_page(
                &state,
                &session,
                &window_id,
                Typed::default(),
                Vec::new(),
                None,
            )
            .await
        }
        None => see_other("/staff"),
    }
}

type FormFields = std::collections::HashMap<String, String>;

fn field(form: &FormFields, key: &str) -> String {
    form.get(key)
        .map(|v| v.replace("\r\n", "\n"))
        .unwrap_or_default()
}

/// The window's facts as the fields form sent them.
fn typed_fields(form: &FormFields) -> WindowFields {
    let channels = (0..)
        .map_while(|i| {
            let value = form.get(&format!("c{i}_value"))?;
            Some(madoguchi_core::edit::ChannelFields {
                kind: String::new(),
                value: value.clone(),
                label: field(form, &format!("c{i}_label")),
                note: field(form, &format!("c{i}_note")),
                hours_note: field(form, &format!("c{i}_hours_note")),
            })
        })
        .collect();
    WindowFields {
        name: field(form, "name"),
        summary: field(form, "summary"),
        description: field(form, "description"),
        url: field(form, "url"),
        channels,
    }
}

pub async fn propose(
    State(state): State<SharedState>,
    Path(window_id): Path<String>,
    request: Request,
) -> Response {
    let Some(desk) = desk(&state) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (_, headers, form): (_, _, FormFields) = super::posted_form(&state, request).await;
    let Some(session) = checked(&state, &headers, &field(&form, "csrf")).await else {
        return super::error_page(&state, StatusCode::FORBIDDEN);
    };
    let file = match desk.window_file(window_id.clone()).await {
        Ok(Some(file)) => file,
        Ok(None) => return super::error_page(&state, StatusCode::NOT_FOUND),
        Err(_) => return super::error_page(&state, StatusCode::SERVICE_UNAVAILABLE),
    };
    let by_file = field(&form, "mode") == "file";
    let mut typed = Typed {
        source_url: field(&form, "source_url").trim().to_owned(),
        source_title: field(&form, "source_title").trim().to_owned(),
        reason: field(&form, "reason").trim().to_owned(),
        ..Typed::default()
    };
    let edited = if by_file {
        let text = field(&form, "file");
        typed.file_text = Some(text.clone());
        Ok(text)
    } else {
        let fields = typed_fields(&form);
        let result = madoguchi_core::edit::with_fields(&file.path, &file.text, &fields);
        typed.fields = Some(fields);
        result
    };
    // A form opened on an older file: show the current one, and the editor's change beside it.
    if field(&form, "base_hash") != file.hash {
        let mine = edited
            .as_deref()
            .map(|text| madoguchi_core::edit::diff(&file.path, &file.text, text))
            .unwrap_or_default();
        let typed = Typed {
            fields: None,
            file_text: None,
            ..typed
        };
        return edit_page(
            &state,
            &session,
            &window_id,
            typed,
            Vec::new(),
            Some(diff_lines(&mine)),
        )
        .await;
    }
    let today = state
        .clock
        .now()
        .to_zoned_datetime(madoguchi_core::hours::tokyo())
        .date();
    let citation = madoguchi_core::edit::Citation {
        url: typed.source_url.clone(),
        title: typed.source_title.clone(),
        checked: today,
    };
    let mut errors = Vec::new();
    if typed.reason.is_empty() {
        errors.push("理由を書いてください（確認者が読みます）。".to_owned());
    }
    let cited = edited
        .and_then(|text| madoguchi_core::edit::cite(&file.path, &file.text, &text, &citation));
    let text = match cited {
        Ok(text) if errors.is_empty() => text,
        Ok(_) => return edit_page(&state, &session, &window_id, typed, errors, None).await,
        Err(error) => {
            errors.push(error.to_string());
            return edit_page(&state, &session, &window_id, typed, errors, None).await;
        }
    };
    let mine_text = text.clone();
    let change = WindowChange {
        author: session.name.clone(),
        window_id: window_id.clone(),
        diff: madoguchi_core::edit::diff(&file.path, &file.text, &text),
        path: file.path.clone(),
        base_hash: file.hash.clone(),
        text,
        reason: typed.reason.clone(),
    };
    match desk.propose(change).await {
        Ok(ProposeOutcome::Created(id)) => see_proposal(id),
        Ok(ProposeOutcome::Conflict) => {
            // Published between the check above and the store's: the same answer.
            let current = desk.window_file(window_id.clone()).await.ok().flatten();
            let mine = current.map_or_else(String::new, |now| {
                madoguchi_core::edit::diff(&now.path, &now.text, &mine_text)
            });
            let typed = Typed {
                fields: None,
                file_text: None,
                ..typed
            };
            edit_page(
                &state,
                &session,
                &window_id,
                typed,
                Vec::new(),
                Some(diff_lines(&mine)),
            )
            .await
        }
        Ok(ProposeOutcome::Refused(problems)) => {
            edit_page(&state, &session, &window_id, typed, problems, None).await
        }
        Err(_) => super::error_page(&state, StatusCode::SERVICE_UNAVAILABLE),
    }
}

#[derive(Template)]
#[template(path = "staff_proposal.html")]
struct ProposalTemplate<'a> {
    page: Page<'a>,
    csrf: String,
    proposal: ProposalSummary,
    status_text: &'static str,
    window_id: Option<String>,
    diff: Vec<(char, String)>,
    open: bool,
    may_approve: bool,
    own: bool,
    reason: String,
    message: Option<String>,
    problems: Vec<String>,
}

fn may_review(role: &str) -> bool {
    matches!(role, "reviewer" | "admin")
}

async fn proposal_page(
    state: &AppState,
    session: &StaffSession,
    id: i64,
    status: StatusCode,
    reason: String,
    message: Option<String>,
    problems: Vec<String>,
) -> Response {
    let Some(desk) = desk(state) else {
        return super::error_page(state, StatusCode::NOT_FOUND);
    };
    let proposal = match desk.proposal(id).await {
        Ok(Some(proposal)) => proposal,
        Ok(None) => return super::error_page(state, StatusCode::NOT_FOUND),
        Err(_) => return super::error_page(state, StatusCode::SERVICE_UNAVAILABLE),
    };
    let own = proposal.author == session.name;
    let open = proposal.status == "open";
    let template = ProposalTemplate {
        page: page(state),
        csrf: session.csrf.clone(),
        status_text: match proposal.status.as_str() {
            "open" => "承認を待っています",
            "published" => "承認され、公開されました",
            "rejected" => "差し戻されました",
            _ => "不明",
        },
        window_id: proposal.subject.strip_prefix("window:").map(str::to_owned),
        diff: diff_lines(&proposal.diff),
        open,
        may_approve: open && !own && may_review(&session.role),
        own,
        reason,
        message,
        problems,
        proposal,
    };
    render(state, status, &template)
}

pub async fn show_proposal(
    State(state): State<SharedState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    match session(&state, &headers).await {
        Some(session) => {
            proposal_page(
                &state,
                &session,
                id,
                StatusCode::OK,
                String::new(),
                None,
                Vec::new(),
            )
            .await
        }
        None => see_other("/staff"),
    }
}

pub async fn review(
    State(state): State<SharedState>,
    Path(id): Path<i64>,
    request: Request,
) -> Response {
    let Some(desk) = desk(&state) else {
        return super::error_page(&state, StatusCode::NOT_FOUND);
    };
    let (_, headers, form): (_, _, FormFields) = super::posted_form(&state, request).await;
    let Some(session) = checked(&state, &headers, &field(&form, "csrf")).await else {
        return super::error_page(&state, StatusCode::FORBIDDEN);
    };
    let reason = field(&form, "reason").trim().to_owned();
    let approve = field(&form, "decision") == "approve";
    let again = |status, message: &str, problems| {
        proposal_page(
            &state,
            &session,
            id,
            status,
            reason.clone(),
            Some(message.to_owned()),
            problems,
        )
    };
    if reason.is_empty() {
        return again(
            StatusCode::BAD_REQUEST,
            "確認した内容（または理由）を書いてください。",
            Vec::new(),
        )
        .await;
    }
    let outcome = match desk
        .review(id, session.name.clone(), approve, reason.clone())
        .await
    {
        Ok(outcome) => outcome,
        Err(_) => return super::error_page(&state, StatusCode::SERVICE_UNAVAILABLE),
    };
    match outcome {
        ReviewOutcome::Published { version, directory } => {
            if let Some(live) = state.live() {
                live.install(version, *directory);
            }
            see_proposal(id)
        }
        ReviewOutcome::Rejected => see_other("/staff"),
        ReviewOutcome::Conflict { path } => {
            again(
                StatusCode::CONFLICT,
                &format!("この提案のあとに {path} が変わって公開されました。提案した人が、いまの内容からもう一度作ってください（この提案は差し戻してかまいません）。"),
                Vec::new(),
            )
            .await
        }
        ReviewOutcome::Refused(problems) => {
            again(
                StatusCode::BAD_REQUEST,
                "この変更を入れると、データの決まりに合いません。公開しませんでした。",
                problems,
            )
            .await
        }
        ReviewOutcome::SameAuthor => {
            again(
                StatusCode::FORBIDDEN,
                "自分の提案は承認できません。ほかの確認者が承認します。",
                Vec::new(),
            )
            .await
        }
        ReviewOutcome::NotAllowed => {
            again(
                StatusCode::FORBIDDEN,
                "このアカウントは承認も差し戻しもできません。",
                Vec::new(),
            )
            .await
        }
        ReviewOutcome::NotOpen => {
            again(
                StatusCode::CONFLICT,
                "この提案はもう承認か差し戻しが済んでいます。",
                Vec::new(),
            )
            .await
        }
    }
}
