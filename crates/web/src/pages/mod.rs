//! The public pages: one handler and one template struct per page type.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use madoguchi_core::Directory;

mod answer;
mod correction;
mod guide;
mod kids;
mod print;
mod staff;

use crate::AppState;
use crate::assets::{CSS, EXIT_JS};
use crate::lang::{Lang, Tongue};
use crate::messages::JA;
use crate::views::{Card, Page, WindowView, card, date_label, window_view};

type SharedState = Arc<AppState>;

/// The pages that exist in every language: at `/` in Japanese, and nested under `/en` and
/// `/easy` with their `Lang`.
fn localized() -> Router<SharedState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(answer::search_get).post(answer::search_post))
        .route("/guide", get(guide::guide_page))
        .route("/guide/evidence", get(guide::evidence))
        .route("/categories/{id}", get(category))
        .route("/windows", get(all_windows))
        .route("/languages", get(languages))
        .route("/windows/{id}", get(window_page))
        .route("/about", get(about))
}

pub fn routes() -> Router<SharedState> {
    let mut router = localized();
    for lang in [Lang::En, Lang::Easy] {
        router = router
            .nest(lang.prefix(), localized().layer(axum::Extension(lang)))
            // `/en/` is the home page too.
            .route(
                &format!("{}/", lang.prefix()),
                get(move || async move {
                    axum::response::Redirect::permanent(lang.home()).into_response()
                }),
            );
    }
    router
        .route("/kids", get(kids::home))
        .route("/kids/answer", get(kids::answer))
        .route("/kids/search", axum::routing::post(kids::search))
        .route("/windows/print", get(print::print_sheets))
        .route("/windows/poster", get(print::poster))
        .route("/staff", get(staff::home))
        .route("/staff/login", axum::routing::post(staff::login))
        .route("/staff/logout", axum::routing::post(staff::logout))
        .route(
            "/staff/windows/{id}/edit",
            get(staff::edit_form).post(staff::propose),
        )
        .route("/staff/proposals/{id}", get(staff::show_proposal))
        .route(
            "/staff/proposals/{id}/review",
            axum::routing::post(staff::review),
        )
        .route(
            "/staff/reports/{id}/close",
            axum::routing::post(staff::close_report),
        )
        .route(
            "/windows/{id}/report",
            axum::routing::post(correction::submit),
        )
        .route("/static/{file}", get(asset))
        .route("/api", get(api_page))
        .route("/exports/{file}", get(download))
        .fallback(not_found)
}

/// A page that depends only on the data: rendered and compressed on first request, then
/// served from memory in the encoding the browser accepts.
pub(super) fn cached(
    state: &AppState,
    slot: &std::sync::OnceLock<crate::cache::Rendered>,
    headers: &axum::http::HeaderMap,
    template: impl FnOnce() -> Result<String, askama::Error>,
) -> Response {
    if let Some(rendered) = slot.get() {
        return rendered.respond(headers, CACHED_PAGE);
    }
    match template() {
        Ok(html) => slot
            .get_or_init(|| crate::cache::Rendered::new(html))
            .respond(headers, CACHED_PAGE),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(state.fallback_html.clone()),
        )
            .into_response(),
    }
}

/// A page that shows what is open now: rendered once a minute and served as bytes in
/// between. Browsers revalidate it (`no-cache`) and get `304` while it has not changed.
fn per_minute(
    state: &AppState,
    key: &str,
    headers: &axum::http::HeaderMap,
    template: impl FnOnce() -> Result<String, askama::Error>,
) -> Response {
    let minute = crate::cache::minute_of(state.clock.now());
    match state.pages.minute.get_or_render(key, minute, template) {
        Ok(page) => page.respond(headers, "no-cache"),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(state.fallback_html.clone()),
        )
            .into_response(),
    }
}

/// A posted form: the client's address (for per-address limits, never stored), the request
/// headers, and the fields (defaults for a body that cannot be read, so that the handler
/// answers with its own message and keeps what it can).
async fn posted_form<T: serde::de::DeserializeOwned + Default>(
    state: &SharedState,
    request: axum::extract::Request,
) -> (Option<std::net::IpAddr>, axum::http::HeaderMap, T) {
    use axum::extract::FromRequest as _;
    let address = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let headers = request.headers().clone();
    let fields = axum::Form::<T>::from_request(request, state)
        .await
        .map(|axum::Form(fields)| fields)
        .unwrap_or_default();
    (address, headers, fields)
}

/// The same for everyone and changed only with the data (a restart).
const CACHED_PAGE: &str = "public, max-age=300";

/// Renders a template; if rendering fails the person still gets the emergency numbers.
fn render(state: &AppState, status: StatusCode, template: &impl Template) -> Response {
    render_in(state, Lang::Ja, status, template)
}

fn page(state: &AppState) -> Page<'_> {
    Page::new(&state.frame, &state.assets, &JA)
}

/// The frame of a page that exists in every language, in `tongue`'s.
fn page_in<'a>(state: &'a AppState, tongue: &Tongue) -> Page<'a> {
    Page::localized(state.frame_in(tongue.lang), &state.assets, tongue)
}

/// A rendered page in its language: やさしい日本語 gets ふりがな over every kanji beyond the
/// first school year's.
fn finish(state: &AppState, lang: Lang, html: String) -> String {
    if lang == Lang::Easy {
        crate::ruby::furigana(
            &html,
            &state.directory.readings,
            crate::ruby::FIRST_GRADE_KANJI,
        )
    } else {
        html
    }
}

/// `render` for a page in `lang`.
fn render_in(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    template: &impl Template,
) -> Response {
    // A results page is 10–20 KB; askama's own size hint is the template's literal text, and
    // growing from it copied the page several times (docs/BENCHMARKS.md).
    let mut html = String::with_capacity(24 * 1024);
    match template.render_into(&mut html) {
        Ok(()) => (status, Html(finish(state, lang, html))).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(state.fallback_html.clone()),
        )
            .into_response(),
    }
}

pub struct GroupLink {
    pub id: String,
    pub short_name: String,
}

/// The categories, the original page's three groups first.
pub fn group_links(directory: &Directory) -> Vec<GroupLink> {
    let mut links: Vec<(bool, GroupLink)> = directory
        .categories
        .iter()
        .map(|c| {
            (
                !c.from_page,
                GroupLink {
                    id: c.id.clone(),
                    short_name: c.short_name.clone(),
                },
            )
        })
        .collect();
    links.sort_by_key(|(later, _)| *later);
    links.into_iter().map(|(_, link)| link).collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate<'a> {
    page: Page<'a>,
    /// The guided questions' first question, so the first tap is an answer.
    situations: Vec<guide::OptionGroup>,
    page_groups: Vec<GroupLink>,
    other_groups: Vec<GroupLink>,
    search: answer::SearchBox,
}

async fn home(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    cached(
        &state,
        &state.pages.home[tongue.lang.index()],
        &headers,
        || home_html(&state, &tongue).map(|html| finish(&state, tongue.lang, html)),
    )
}

/// Built only when the cache is empty: every request after the first is served bytes.
fn home_html(state: &AppState, tongue: &Tongue) -> Result<String, askama::Error> {
    let links = |from_page: bool| {
        state
            .directory_in(tongue.lang)
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
        page: page_in(state, tongue),
        situations: guide::first_question(state.directory_in(tongue.lang), tongue.lang.prefix()),
        page_groups: links(true),
        other_groups: links(false),
        search: answer::SearchBox::empty(tongue.lang.messages(), &state.served_languages),
    };
    template.render()
}

#[derive(Template)]
#[template(path = "category.html")]
struct CategoryTemplate<'a> {
    page: Page<'a>,
    name: String,
    description: String,
    cards: Vec<Card>,
}

async fn category(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    let Some(category) = state.directory_in(tongue.lang).category(&id) else {
        return not_found(State(state)).await;
    };
    per_minute(
        &state,
        &format!("{}categories/{}", tongue.lang.prefix(), category.id),
        &headers,
        || category_html(&state, category, &tongue).map(|html| finish(&state, tongue.lang, html)),
    )
}

fn category_html(
    state: &AppState,
    category: &madoguchi_core::Category,
    tongue: &Tongue,
) -> Result<String, askama::Error> {
    let at = state.clock.now();
    let m = tongue.lang.messages();
    let template = CategoryTemplate {
        page: page_in(state, tongue),
        name: category.name.clone(),
        description: category.description.clone(),
        cards: {
            // Windows that talk with the person first, then information, then report desks.
            let directory = state.directory_in(tongue.lang);
            let mut windows: Vec<_> = directory.windows_in(&category.id).collect();
            windows.sort_by_key(|w| kind_rank(w.kind));
            // On the English pages, windows that a source says speak English come first.
            if tongue.lang == Lang::En {
                windows.sort_by_key(|w| !serves(w, "en"));
            }
            windows
                .into_iter()
                .map(|w| card(directory, w, Vec::new(), at, m))
                .collect()
        },
    };
    template.render()
}

pub struct LanguageGroup {
    pub code: String,
    pub name: &'static str,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "languages.html")]
struct LanguagesTemplate<'a> {
    page: Page<'a>,
    groups: Vec<LanguageGroup>,
}

/// Every language other than Japanese that a source says some window's channel serves, with
/// its own name, the languages with most windows first. Filipino is listed with Tagalog:
/// sources name the one language either way.
pub(crate) fn served_languages(directory: &Directory) -> Vec<(&'static str, &'static str)> {
    let mut languages: Vec<(&'static str, &'static str, usize)> =
        madoguchi_core::model::LANGUAGE_CODES
            .iter()
            .filter(|code| !matches!(**code, "ja" | "fil"))
            .map(|code| {
                let name = if *code == "tl" {
                    "Filipino / Tagalog"
                } else {
                    crate::messages::language_name(code)
                };
                let windows = directory.windows.iter().filter(|w| serves(w, code)).count();
                (*code, name, windows)
            })
            .filter(|(_, _, windows)| *windows > 0)
            .collect();
    languages.sort_by_key(|(_, _, windows)| std::cmp::Reverse(*windows));
    languages
        .into_iter()
        .map(|(code, name, _)| (code, name))
        .collect()
}

/// `/languages`: for every language other than Japanese that a source says a channel serves,
/// the windows with such a channel (the languages with most windows first).
async fn languages(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    let key = format!("{}languages", tongue.lang.prefix());
    per_minute(&state, &key, &headers, || {
        let m = tongue.lang.messages();
        let at = state.clock.now();
        let directory = state.directory_in(tongue.lang);
        let groups = state
            .served_languages
            .iter()
            .map(|&(code, name)| {
                let mut windows: Vec<_> = directory
                    .windows
                    .iter()
                    .filter(|w| serves(w, code))
                    .collect();
                windows.sort_by_key(|w| kind_rank(w.kind));
                LanguageGroup {
                    code: code.to_owned(),
                    name,
                    cards: windows
                        .into_iter()
                        .map(|w| language_card(directory, w, code, at, m))
                        .collect(),
                }
            })
            .collect();
        LanguagesTemplate {
            page: page_in(&state, &tongue),
            groups,
        }
        .render()
        .map(|html| finish(&state, tongue.lang, html))
    })
}

/// Whether a channel of `window` serves `code` (Filipino counting as Tagalog).
pub(super) fn serves(window: &madoguchi_core::Window, code: &str) -> bool {
    window.channels.iter().any(|c| serves_channel(c, code))
}

fn serves_channel(channel: &madoguchi_core::Channel, code: &str) -> bool {
    channel.speaks(code) || (code == "tl" && channel.speaks("fil"))
}

/// A window's card whose button, state and cost are those of its first channel that serves
/// `code`: on this page the main channel may be one that speaks only Japanese.
fn language_card(
    directory: &Directory,
    window: &madoguchi_core::Window,
    code: &str,
    at: jiff::Timestamp,
    m: &crate::Messages,
) -> Card {
    let mut card = card(directory, window, Vec::new(), at, m);
    let serving = window.channels.iter().find(|c| serves_channel(c, code));
    if let Some(channel) = serving {
        let state = channel.state_at(at, &directory.holidays);
        let (class, label) = crate::views::state_view(&state.state, m);
        card.state_class = class;
        card.state_label = label;
        card.cost = directory.say(channel.cost.label_ja()).to_owned();
        card.action = crate::views::action(channel, m);
        card.alternative = None;
        card.route = None;
        card.availability = None;
    }
    card
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
}

#[derive(Template)]
#[template(path = "windows.html")]
struct WindowsTemplate<'a> {
    page: Page<'a>,
    groups: Vec<ListGroup>,
}

async fn all_windows(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    cached(
        &state,
        &state.pages.windows[tongue.lang.index()],
        &headers,
        || {
            windows_template(&state, &tongue)
                .render()
                .map(|html| finish(&state, tongue.lang, html))
        },
    )
}

fn windows_template<'a>(state: &'a AppState, tongue: &Tongue) -> WindowsTemplate<'a> {
    let directory = state.directory_in(tongue.lang);
    let m = tongue.lang.messages();
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
                            let hours =
                                crate::views::hours_lines(&c.hours, m).join(m.list_separator);
                            format!(
                                "{} {}{} {}",
                                directory.say(c.kind.label_ja()),
                                c.value,
                                m.aside(directory.say(c.cost.label_ja())),
                                hours
                            )
                        })
                        .collect(),
                    verified: w
                        .as_of()
                        .map_or_else(|| m.undated.to_owned(), |d| date_label(d, m)),
                })
                .collect(),
        })
        .filter(|group| !group.entries.is_empty())
        .collect();
    WindowsTemplate {
        page: page_in(state, tongue),
        groups,
    }
}

#[derive(Template)]
#[template(path = "window.html")]
struct WindowTemplate<'a> {
    page: Page<'a>,
    w: WindowView,
    /// The correction form, when there is an inbox to send it to.
    correction: Option<correction::CorrectionForm>,
}

async fn window_page(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    tongue: Tongue,
) -> Response {
    let Some(window) = state.directory_in(tongue.lang).window(&id) else {
        return not_found(State(state)).await;
    };
    // Window ids and category ids never share a key: the path tells them apart.
    let key = format!("{}windows/{}", tongue.lang.prefix(), window.id);
    per_minute(&state, &key, &headers, || {
        WindowTemplate {
            page: page_in(&state, &tongue),
            w: window_view(
                state.directory_in(tongue.lang),
                window,
                state.clock.now(),
                tongue.lang.messages(),
            ),
            // The form and its answer are in Japanese for now.
            correction: (state.inbox.is_some() && tongue.lang == Lang::Ja)
                .then(|| correction::CorrectionForm::empty(&window.id)),
        }
        .render()
        .map(|html| finish(&state, tongue.lang, html))
    })
}

/// The about page's prose is one template per language (a page of sentences reads better
/// written whole than assembled from catalog entries); the facts in it are the same.
#[derive(Template)]
#[template(path = "about.html")]
struct AboutTemplate<'a> {
    page: Page<'a>,
    lang: Lang,
    seed_updated: String,
    license: String,
    license_url: String,
    /// 「N件の情報のうちM件は、1年以上前の資料か日付のない資料にもとづいています。」
    old_facts: String,
}

async fn about(State(state): State<SharedState>, tongue: Tongue) -> Response {
    let m = tongue.lang.messages();
    let meta = &state.directory.meta;
    let today = state
        .clock
        .now()
        .to_zoned_datetime(madoguchi_core::hours::tokyo())
        .date();
    let old = madoguchi_core::freshness::stale(&state.directory, today, 12).len();
    let total = madoguchi_core::freshness::fact_count(&state.directory);
    let old_facts = m
        .old_facts
        .replace("{count}", &old.to_string())
        .replace("{total}", &total.to_string());
    let template = AboutTemplate {
        page: page_in(&state, &tongue),
        lang: tongue.lang,
        seed_updated: date_label(meta.seed_updated, m),
        license: meta.license.clone(),
        license_url: meta.license_url.clone(),
        old_facts,
    };
    render_in(&state, tongue.lang, StatusCode::OK, &template)
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

/// A page for an error made before any handler ran (a method, a body too large, a path that
/// is not UTF-8): in kind, with 110/119 like every page.
pub fn error_page(state: &AppState, status: StatusCode) -> Response {
    let (title, lead) = match status {
        StatusCode::NOT_FOUND => (JA.not_found_title, JA.not_found_lead),
        StatusCode::METHOD_NOT_ALLOWED => (JA.error_title, JA.error_method),
        StatusCode::PAYLOAD_TOO_LARGE => (JA.error_title, JA.error_too_large),
        StatusCode::REQUEST_TIMEOUT => (JA.error_title, JA.error_timeout),
        status if status.is_client_error() => (JA.error_title, JA.error_bad_request),
        _ => (JA.error_title, JA.error_lead),
    };
    let template = ErrorTemplate {
        page: page(state),
        title,
        lead,
    };
    render(state, status, &template)
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

async fn api_page(State(state): State<SharedState>, headers: axum::http::HeaderMap) -> Response {
    cached(&state, &state.pages.api, &headers, || api_html(&state))
}

fn api_html(state: &AppState) -> Result<String, askama::Error> {
    let template = ApiTemplate {
        page: page(state),
        codes: crate::api::ErrorCode::ALL
            .iter()
            .map(|code| CodeRow {
                code: code.as_str(),
                status: code.status().as_u16(),
                description: code.description(),
            })
            .collect(),
    };
    template.render()
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
