//! The public pages: one handler and one template struct per page type.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use madoguchi_core::guide::{self, Answers, Step};
use madoguchi_core::triage::{self, Answer, Region};
use madoguchi_core::{AudienceGroup, Directory};
use serde::Deserialize;

use crate::AppState;
use crate::assets::{CSS, EXIT_JS};
use crate::messages::JA;
use crate::say;
use crate::views::{Card, Page, WindowView, card, date_label, window_view};

type SharedState = Arc<AppState>;

pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/guide", get(guide_page))
        .route("/categories/{id}", get(category))
        .route("/windows", get(all_windows))
        .route("/windows/{id}", get(window_page))
        .route("/about", get(about))
        .route("/static/{file}", get(asset))
        .route("/api", get(api_page))
        .route("/exports/{file}", get(download))
        .fallback(not_found)
}

/// Renders a template; if rendering fails the person still gets the emergency numbers.
fn render(state: &AppState, status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(state.fallback_html.clone()),
        )
            .into_response(),
    }
}

fn page(state: &AppState) -> Page<'_> {
    Page::new(&state.frame, &state.assets, &JA)
}

pub struct GroupLink {
    pub id: String,
    pub short_name: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate<'a> {
    page: Page<'a>,
    page_groups: Vec<GroupLink>,
    other_groups: Vec<GroupLink>,
}

async fn home(State(state): State<SharedState>) -> Response {
    let links = |from_page: bool| {
        state
            .directory
            .categories
            .iter()
            .filter(|c| c.from_page == from_page)
            .map(|c| GroupLink {
                id: c.id.clone(),
                short_name: c.short_name.clone(),
            })
            .collect()
    };
    let template = HomeTemplate {
        page: page(&state),
        page_groups: links(true),
        other_groups: links(false),
    };
    render(&state, StatusCode::OK, &template)
}

pub struct FilterForm {
    pub q: String,
    pub audience: String,
    pub channel: String,
    pub region: String,
    pub free: bool,
    pub open_now: bool,
    pub audience_options: Vec<(String, String)>,
    pub channel_options: Vec<(String, String)>,
    pub region_options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsTemplate<'a> {
    page: Page<'a>,
    title: String,
    crisis: Option<CrisisView>,
    warnings: Vec<String>,
    /// On a crisis, the crisis lines first.
    crisis_cards: Vec<Card>,
    cards: Vec<Card>,
    crisis_card: Option<Card>,
    filters: Option<FilterForm>,
    restart: Option<String>,
}

/// The query of `/search`. Unknown parameters are ignored here; the JSON API refuses them.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    audience: Option<String>,
    channel: Option<String>,
    region: Option<String>,
    free: Option<String>,
    open_now: Option<String>,
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// How the crisis part of an answer reads.
pub struct CrisisView {
    /// Someone the person knows: the banner says they can talk about them too.
    pub other: bool,
    /// An act already done: 119 first.
    pub act_done: bool,
}

/// The parts of a results page that come from a triage answer.
struct AnswerView {
    crisis: Option<CrisisView>,
    crisis_cards: Vec<Card>,
    cards: Vec<Card>,
    crisis_card: Option<Card>,
    warnings: Vec<String>,
}

fn answer_view(directory: &Directory, answer: &Answer, at: jiff::Timestamp) -> AnswerView {
    let cards = |list: &[triage::Ranked]| -> Vec<Card> {
        list.iter()
            .filter_map(|r| {
                let reasons = r
                    .reasons
                    .iter()
                    .map(|reason| say::reason(&JA, directory, reason))
                    .collect();
                directory
                    .window(&r.id)
                    .map(|w| card(directory, w, reasons, at, &JA))
            })
            .collect()
    };
    AnswerView {
        crisis: answer.crisis.as_ref().map(|c| CrisisView {
            other: c.subject == triage::Subject::Other,
            act_done: c.act_done,
        }),
        crisis_cards: cards(&answer.crisis_lines),
        cards: cards(&answer.results),
        crisis_card: answer
            .crisis_line
            .as_deref()
            .and_then(|id| directory.window(id))
            .map(|w| card(directory, w, Vec::new(), at, &JA)),
        warnings: answer
            .warnings
            .iter()
            .map(|w| say::warning(&JA, directory, w))
            .collect(),
    }
}

async fn search(State(state): State<SharedState>, Query(params): Query<SearchParams>) -> Response {
    let at = state.clock.now();
    let audience = params.audience.as_deref().and_then(AudienceGroup::parse);
    let region = params.region.as_deref().and_then(Region::parse);
    let channel = params
        .channel
        .as_deref()
        .filter(|c| madoguchi_core::ChannelKind::FILTER_FAMILIES.contains(c));
    let query = triage::Query {
        audience,
        region,
        channel,
        free_only: params.free.is_some(),
        open_now: params.open_now.is_some(),
        ..triage::Query::text(&params.q, at)
    };
    let answer = state.engine.triage(&state.directory, &query);
    let view = answer_view(&state.directory, &answer, at);
    let shown_query: String = answer.query.chars().take(40).collect();
    let template = ResultsTemplate {
        page: page(&state),
        title: if shown_query.is_empty() {
            JA.guide_results_title.to_owned()
        } else {
            format!("「{shown_query}」{}", JA.results_title)
        },
        crisis: view.crisis,
        warnings: view.warnings,
        crisis_cards: view.crisis_cards,
        cards: view.cards,
        crisis_card: view.crisis_card,
        filters: Some(FilterForm {
            q: answer.query.clone(),
            audience: params.audience.unwrap_or_default(),
            channel: channel.unwrap_or_default().to_owned(),
            region: params.region.unwrap_or_default(),
            free: params.free.is_some(),
            open_now: params.open_now.is_some(),
            audience_options: options(JA.audience_options),
            channel_options: options(JA.channel_options),
            region_options: options(JA.region_options),
        }),
        restart: None,
    };
    render(&state, StatusCode::OK, &template)
}

pub struct OptionLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuideTemplate<'a> {
    page: Page<'a>,
    step: usize,
    prompt: String,
    hint: Option<String>,
    options: Vec<OptionLink>,
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

async fn guide_page(
    State(state): State<SharedState>,
    Query(params): Query<GuideParams>,
) -> Response {
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
    match guide::next_step(&state.directory, &answers) {
        Step::Question {
            id,
            prompt,
            hint,
            options,
        } => {
            let template = GuideTemplate {
                page: page(&state),
                step,
                prompt,
                hint,
                options: options
                    .into_iter()
                    .map(|o| OptionLink {
                        href: guide_href(&answers, id, &o.value),
                        label: o.label,
                    })
                    .collect(),
            };
            render(&state, StatusCode::OK, &template)
        }
        Step::Answer(guided) => {
            let at = state.clock.now();
            let answer = state.engine.triage(&state.directory, &guided.to_query(at));
            let view = answer_view(&state.directory, &answer, at);
            let template = ResultsTemplate {
                page: page(&state),
                title: JA.guide_results_title.to_owned(),
                crisis: view.crisis,
                warnings: view.warnings,
                crisis_cards: view.crisis_cards,
                cards: view.cards,
                crisis_card: view.crisis_card,
                filters: None,
                restart: Some("/guide".to_owned()),
            };
            render(&state, StatusCode::OK, &template)
        }
    }
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryTemplate<'a> {
    page: Page<'a>,
    name: String,
    description: String,
    cards: Vec<Card>,
}

async fn category(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    let Some(category) = state.directory.category(&id) else {
        return not_found(State(state)).await;
    };
    let at = state.clock.now();
    let template = CategoryTemplate {
        page: page(&state),
        name: category.name.clone(),
        description: category.description.clone(),
        cards: {
            // Windows that talk with the person first, then information, then report desks.
            let mut windows: Vec<_> = state.directory.windows_in(&category.id).collect();
            windows.sort_by_key(|w| kind_rank(w.kind));
            windows
                .into_iter()
                .map(|w| card(&state.directory, w, Vec::new(), at, &JA))
                .collect()
        },
    };
    render(&state, StatusCode::OK, &template)
}

fn kind_rank(kind: madoguchi_core::WindowKind) -> u8 {
    use madoguchi_core::WindowKind;
    match kind {
        WindowKind::Emergency => 0,
        WindowKind::Consultation => 1,
        WindowKind::Information => 2,
        WindowKind::PlatformHelp => 3,
        WindowKind::ReportOnly => 4,
    }
}

pub struct ListGroup {
    pub id: String,
    pub name: String,
    pub entries: Vec<ListEntry>,
}

pub struct ListEntry {
    pub id: String,
    pub name: String,
    pub report_only: bool,
    pub summary: String,
    pub channels: Vec<String>,
    pub verified: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "windows.html")]
struct WindowsTemplate<'a> {
    page: Page<'a>,
    groups: Vec<ListGroup>,
}

async fn all_windows(State(state): State<SharedState>) -> Response {
    let directory = &state.directory;
    let groups = directory
        .categories
        .iter()
        .map(|category| ListGroup {
            id: category.id.clone(),
            name: category.name.clone(),
            entries: directory
                .windows_in(&category.id)
                .map(|w| ListEntry {
                    id: w.id.clone(),
                    name: w.name.clone(),
                    report_only: w.kind == madoguchi_core::WindowKind::ReportOnly,
                    summary: w.summary.clone(),
                    channels: w
                        .channels
                        .iter()
                        .map(|c| {
                            let hours = crate::views::hours_lines(&c.hours, &JA).join("、");
                            format!(
                                "{} {}（{}）{}",
                                c.kind.label_ja(),
                                c.value,
                                c.cost.label_ja(),
                                hours
                            )
                        })
                        .collect(),
                    verified: w
                        .as_of()
                        .map_or_else(|| JA.undated.to_owned(), |d| date_label(d, &JA)),
                    qr: state.qr_codes.get(&w.id).cloned().unwrap_or_default(),
                })
                .collect(),
        })
        .filter(|group| !group.entries.is_empty())
        .collect();
    let template = WindowsTemplate {
        page: page(&state),
        groups,
    };
    let mut response = render(&state, StatusCode::OK, &template);
    // The full list is the same for everyone and changes only with the data.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

#[derive(Template)]
#[template(path = "window.html")]
struct WindowTemplate<'a> {
    page: Page<'a>,
    w: WindowView,
}

async fn window_page(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    let Some(window) = state.directory.window(&id) else {
        return not_found(State(state)).await;
    };
    let template = WindowTemplate {
        page: page(&state),
        w: window_view(&state.directory, window, state.clock.now(), &JA),
    };
    render(&state, StatusCode::OK, &template)
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutTemplate<'a> {
    page: Page<'a>,
    seed_updated: String,
    license: String,
    license_url: String,
    /// 「N件の情報のうちM件は、1年以上前の資料か日付のない資料にもとづいています。」
    old_facts: String,
}

async fn about(State(state): State<SharedState>) -> Response {
    let meta = &state.directory.meta;
    let today = state
        .clock
        .now()
        .to_zoned_datetime(madoguchi_core::hours::tokyo())
        .date();
    let old = madoguchi_core::freshness::stale(&state.directory, today, 12).len();
    let total = madoguchi_core::freshness::fact_count(&state.directory);
    let template = AboutTemplate {
        page: page(&state),
        old_facts: JA
            .old_facts
            .replace("{count}", &old.to_string())
            .replace("{total}", &total.to_string()),
        seed_updated: date_label(meta.seed_updated, &JA),
        license: meta.license.clone(),
        license_url: meta.license_url.clone(),
    };
    render(&state, StatusCode::OK, &template)
}

async fn asset(State(state): State<SharedState>, Path(file): Path<String>) -> Response {
    let path = format!("/static/{file}");
    let (body, content_type) = if path == state.assets.css {
        (CSS, "text/css; charset=utf-8")
    } else if path == state.assets.exit_js {
        (EXIT_JS, "text/javascript; charset=utf-8")
    } else {
        return not_found(State(state)).await;
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    page: Page<'a>,
    title: &'static str,
    lead: &'static str,
}

async fn not_found(State(state): State<SharedState>) -> Response {
    let template = ErrorTemplate {
        page: page(&state),
        title: JA.not_found_title,
        lead: JA.not_found_lead,
    };
    render(&state, StatusCode::NOT_FOUND, &template)
}

pub struct CodeRow {
    pub code: &'static str,
    pub status: u16,
    pub description: &'static str,
}

#[derive(Template)]
#[template(path = "api.html")]
struct ApiTemplate<'a> {
    page: Page<'a>,
    codes: Vec<CodeRow>,
}

async fn api_page(State(state): State<SharedState>) -> Response {
    let template = ApiTemplate {
        page: page(&state),
        codes: crate::api::ErrorCode::ALL
            .iter()
            .map(|code| CodeRow {
                code: code.as_str(),
                status: code.status().as_u16(),
                description: code.description(),
            })
            .collect(),
    };
    render(&state, StatusCode::OK, &template)
}

async fn download(State(state): State<SharedState>, Path(file): Path<String>) -> Response {
    use crate::export::{Format, export};
    let Some(format) = Format::ALL.into_iter().find(|f| f.file_name() == file) else {
        return not_found(State(state)).await;
    };
    let disposition = format!("attachment; filename=\"{}\"", format.file_name());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        export(&state.directory, format),
    )
        .into_response()
}
