//! The read-only JSON API under `/api/v1`. Conventions (documented in `docs/api.md`): JSON,
//! snake_case, every error as `{"error": {"code", "message", "link"}}` with a code from
//! `ErrorCode`, unknown or repeated query parameters refused, `ETag` and `Cache-Control` on
//! every response, `Access-Control-Allow-Origin: *`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use madoguchi_core::guide::{self, Answers, Step};
use madoguchi_core::triage::{self, MAX_QUERY_CHARS, Region};
use madoguchi_core::{AudienceGroup, Cost};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
use crate::json::{
    AnswerJson, CategoriesJson, CategoryJson, ChoiceJson, GuidedJson, QuestionsJson,
    SituationsJson, StepJson, UnrankedResults, WindowJson, WindowListJson, answer_json,
    category_json, instant, situation_json, window_json,
};

type SharedState = Arc<AppState>;

pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/api/v1/windows", get(list_windows))
        .route("/api/v1/windows/{id}", get(find_window))
        .route("/api/v1/categories", get(list_categories))
        .route("/api/v1/situations", get(list_situations))
        .route("/api/v1/triage", get(triage_query))
        .route("/api/v1/questions", get(list_questions))
        .route("/api/v1/questions/{step}", get(find_question))
        .route("/api/v1/openapi.json", get(openapi_document))
        .route("/api/v1/{*rest}", get(unknown_route))
}

/// Every error code the API can return: stable, documented, one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No window has this id.
    WindowNotFound,
    /// No guided-question step has this name.
    StepNotFound,
    /// The path is not part of the API.
    RouteNotFound,
    /// A parameter has a value the API does not accept.
    InvalidParameter,
    /// A parameter the endpoint does not know (refused rather than ignored).
    UnknownParameter,
    /// The same parameter more than once.
    RepeatedParameter,
    /// A required parameter is missing.
    MissingParameter,
    /// `q` is longer than 2,000 characters.
    QueryTooLong,
    /// A guided answer that does not fit the questions.
    InvalidAnswer,
    /// The URL is longer than the server accepts.
    UriTooLong,
    /// Too many requests from this address; see `Retry-After`.
    RateLimited,
    /// The API only reads: GET, HEAD and OPTIONS.
    MethodNotAllowed,
    /// A request body larger than the server accepts (the API reads none).
    PayloadTooLarge,
    /// No HSDS record (service, organization, taxonomy, term) has this id.
    RecordNotFound,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::WindowNotFound,
        ErrorCode::StepNotFound,
        ErrorCode::RouteNotFound,
        ErrorCode::InvalidParameter,
        ErrorCode::UnknownParameter,
        ErrorCode::RepeatedParameter,
        ErrorCode::MissingParameter,
        ErrorCode::QueryTooLong,
        ErrorCode::InvalidAnswer,
        ErrorCode::UriTooLong,
        ErrorCode::RateLimited,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RecordNotFound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::WindowNotFound => "window_not_found",
            ErrorCode::StepNotFound => "step_not_found",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::UnknownParameter => "unknown_parameter",
            ErrorCode::RepeatedParameter => "repeated_parameter",
            ErrorCode::MissingParameter => "missing_parameter",
            ErrorCode::QueryTooLong => "query_too_long",
            ErrorCode::InvalidAnswer => "invalid_answer",
            ErrorCode::UriTooLong => "uri_too_long",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RecordNotFound => "record_not_found",
        }
    }

    /// What the code means, for the `/api` page.
    pub fn description(self) -> &'static str {
        match self {
            ErrorCode::WindowNotFound => "No window has this id.",
            ErrorCode::StepNotFound => {
                "No guided-question step has this name (situation, outcome, who, where)."
            }
            ErrorCode::RouteNotFound => "The path is not part of the API.",
            ErrorCode::InvalidParameter => "A parameter has a value the endpoint does not accept.",
            ErrorCode::UnknownParameter => {
                "A parameter the endpoint does not know; it is refused rather than ignored."
            }
            ErrorCode::RepeatedParameter => "The same parameter is given more than once.",
            ErrorCode::MissingParameter => "A required parameter is missing or empty.",
            ErrorCode::QueryTooLong => "`q` is longer than 2,000 characters.",
            ErrorCode::InvalidAnswer => "A guided answer that does not fit the questions.",
            ErrorCode::UriTooLong => {
                "The URL is longer than the server accepts (4,096 bytes by default)."
            }
            ErrorCode::RateLimited => {
                "Too many requests from this address; wait the seconds in `Retry-After`."
            }
            ErrorCode::MethodNotAllowed => {
                "The API only reads: use GET (or HEAD, or OPTIONS for a CORS preflight)."
            }
            ErrorCode::PayloadTooLarge => {
                "The request has a body larger than the server accepts; the API reads none."
            }
            ErrorCode::RecordNotFound => {
                "No HSDS record (service, organization, taxonomy or term) has this id (/hsds/)."
            }
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::WindowNotFound
            | ErrorCode::StepNotFound
            | ErrorCode::RouteNotFound
            | ErrorCode::RecordNotFound => StatusCode::NOT_FOUND,
            ErrorCode::UriTooLong => StatusCode::URI_TOO_LONG,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// Who is asking.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum AudienceParam {
    Anyone,
    Children,
    Guardians,
    Teachers,
    Women,
    Men,
    Lgbtq,
    SiteAdmins,
    ForeignResidents,
}

/// The language of an answer's words (`lang`): Japanese, English or やさしい日本語.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum LangParam {
    Ja,
    En,
    Easy,
}

/// A language a channel may serve: `madoguchi_core::model::LANGUAGE_CODES` (a test keeps the
/// two the same).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum LanguageParam {
    Ja,
    En,
    Zh,
    Ko,
    Es,
    Pt,
    Vi,
    Tl,
    Fil,
    Ne,
    Th,
    Id,
    Fr,
    De,
    Ru,
    My,
    Km,
    Mn,
    Si,
    Bn,
    Hi,
    Ur,
    Fa,
    Ar,
    Uk,
    It,
    Ms,
    Lo,
    Uz,
}

/// A way of contact.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum ChannelParam {
    Phone,
    Line,
    Web,
    Email,
    Chat,
}

/// Where the person lives.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum RegionParam {
    Saga,
    Elsewhere,
}

/// A step of the guided questions.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)] // Only describes the parameter in the OpenAPI document.
enum StepParam {
    Situation,
    Outcome,
    Who,
    Where,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorJson {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Where the code is documented.
    pub link: String,
}

#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorJson {
            error: ErrorBody {
                code: self.code,
                message: self.message,
                link: format!("/api#{}", self.code.as_str()),
            },
        };
        let text = to_json(&body).unwrap_or_default();
        (
            self.code.status(),
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            text,
        )
            .into_response()
    }
}

/// Writes JSON with `<` and `>` inside strings escaped (as `\u003c`, `\u003e`), so that a
/// body that echoes a parameter can never be read as markup, whatever a client does with it.
/// Escaping while writing costs nothing extra; a second pass over the text was a tenth of an
/// API request's time (perf, docs/BENCHMARKS.md).
struct MarkupSafe;

impl serde_json::ser::Formatter for MarkupSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment.as_bytes();
        // memchr's vectorised search: the byte-by-byte scan it replaced cost about 4 % of an API answer.
        while let Some(at) = memchr::memchr2(b'<', b'>', rest) {
            writer.write_all(&rest[..at])?;
            writer.write_all(if rest[at] == b'<' {
                b"\\u003c"
            } else {
                b"\\u003e"
            })?;
            rest = &rest[at + 1..];
        }
        writer.write_all(rest)
    }
}

/// A body as JSON bytes, markup-safe.
pub(crate) fn to_json(body: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    let mut buffer = Vec::with_capacity(8 * 1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, MarkupSafe);
    body.serialize(&mut serializer)?;
    Ok(buffer)
}

/// Serializes a body with an `ETag`; answers `304` when the client already has it.
pub(crate) fn json_response(
    headers: &HeaderMap,
    body: &impl Serialize,
    cache: &'static str,
) -> Response {
    let Ok(text) = to_json(body) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // A weak validator: the same JSON is sent gzip-compressed or not, and a strong ETag would
    // have to differ between the two. If-None-Match compares weakly (RFC 9110 13.1.2).
    let opaque = format!("\"{}\"", body_hash(&text));
    let etag = format!("W/{opaque}");
    let cache = HeaderValue::from_static(cache);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == opaque)
        });
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag_value), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_value),
            (header::CACHE_CONTROL, cache),
        ],
        text,
    )
        .into_response()
}

/// A response body's `ETag`: its length and CRC-32 (hardware-accelerated, so it costs next to
/// nothing on a few kilobytes). A validator only has to change when the body changes.
fn body_hash(text: &[u8]) -> String {
    format!("{:x}-{:08x}", text.len(), crc32fast::hash(text))
}

pub(crate) const PUBLIC: &str = "public, max-age=300";
/// What a person typed is never cached anywhere.
const PRIVATE: &str = "no-store";

/// The query parameters, checked against what the endpoint accepts.
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    pub(crate) fn check(query: Option<String>, allowed: &[&str]) -> Result<Params, ApiError> {
        if !decodes_to_utf8(query.as_deref().unwrap_or_default()) {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                "the query string is not valid UTF-8 once decoded",
            ));
        }
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).map_err(|_| {
                ApiError::new(
                    ErrorCode::InvalidParameter,
                    "the query string is not valid URL encoding",
                )
            })?;
        let mut map = HashMap::new();
        for (name, value) in pairs {
            if !allowed.contains(&name.as_str()) {
                let message = if allowed.is_empty() {
                    format!(
                        "unknown parameter `{}`: this endpoint takes none",
                        shorten(&name)
                    )
                } else {
                    format!(
                        "unknown parameter `{}`; allowed: {}",
                        shorten(&name),
                        allowed.join(", ")
                    )
                };
                return Err(ApiError::new(ErrorCode::UnknownParameter, message));
            }
            if map.insert(name.clone(), value).is_some() {
                return Err(ApiError::new(
                    ErrorCode::RepeatedParameter,
                    format!("parameter `{name}` is given more than once"),
                ));
            }
        }
        Ok(Params(map))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub(crate) fn bool(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false" | "0") => Ok(false),
            Some("true" | "1") => Ok(true),
            Some(other) => Err(invalid(name, other, "true or false")),
        }
    }

    fn at(&self, state: &AppState) -> Result<Timestamp, ApiError> {
        match self.get("at") {
            None => Ok(state.clock.now()),
            Some(text) => text.parse::<Timestamp>().map_err(|_| {
                invalid(
                    "at",
                    text,
                    "an RFC 3339 time such as 2026-11-28T11:00:00+09:00",
                )
            }),
        }
    }

    /// `lang`: the language of the texts (names, summaries, hours); Japanese when absent.
    fn lang(&self) -> Result<crate::lang::Lang, ApiError> {
        use crate::lang::Lang;
        match self.get("lang") {
            None => Ok(Lang::Ja),
            Some(code) => {
                Lang::from_code(code).ok_or_else(|| invalid("lang", code, "ja, en or easy"))
            }
        }
    }

    fn audience(&self) -> Result<Option<AudienceGroup>, ApiError> {
        self.get("audience")
            .map(|text| {
                AudienceGroup::parse(text).ok_or_else(|| {
                    invalid(
                        "audience",
                        text,
                        "anyone, children, guardians, teachers, women, men, lgbtq or site_admins",
                    )
                })
            })
            .transpose()
    }

    fn region(&self) -> Result<Option<Region>, ApiError> {
        self.get("region")
            .map(|text| {
                Region::parse(text).ok_or_else(|| invalid("region", text, "saga or elsewhere"))
            })
            .transpose()
    }

    fn channel(&self) -> Result<Option<&str>, ApiError> {
        self.get("channel")
            .map(|text| {
                if madoguchi_core::ChannelKind::FILTER_FAMILIES.contains(&text) {
                    Ok(text)
                } else {
                    Err(invalid("channel", text, "phone, line, web, email or chat"))
                }
            })
            .transpose()
    }
}

/// Whether the percent-decoded query is UTF-8: the URL decoder would otherwise replace bad
/// bytes silently, and a client should hear that its request was garbled.
fn decodes_to_utf8(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[index] {
            b'%' if index + 2 < bytes.len() => {
                match (hex(bytes[index + 1]), hex(bytes[index + 2])) {
                    (Some(high), Some(low)) => {
                        decoded.push((high * 16 + low) as u8);
                        index += 3;
                    }
                    _ => {
                        decoded.push(b'%');
                        index += 1;
                    }
                }
            }
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            byte => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

pub(crate) fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

pub(crate) fn invalid(name: &str, value: &str, expected: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidParameter,
        format!("`{name}` is `{}`; expected {expected}", shorten(value)),
    )
}

#[utoipa::path(get, path = "/api/v1/windows", tag = "directory",
    params(
        ("category" = Option<String>, Query, description = "Only windows of this category id"),
        ("audience" = Option<AudienceParam>, Query, description = "Only windows for this group"),
        ("channel" = Option<ChannelParam>, Query, description = "Only windows reachable this way"),
        ("region" = Option<RegionParam>, Query, description = "elsewhere leaves out windows only for Saga residents"),
        ("free" = Option<bool>, Query, description = "Only windows with a free channel"),
        ("open_now" = Option<bool>, Query, description = "Only windows open at `at`"),
        ("at" = Option<String>, Query, format = DateTime, description = "The instant for opening hours (RFC 3339); now when absent"),
        ("language" = Option<LanguageParam>, Query, description = "Only windows with a channel that a source says serves this language (ISO 639 code, e.g. `en`)"),
        ("lang" = Option<LangParam>, Query, description = "The language of the texts: ja (default), en or easy (やさしい日本語); a text without a translation stays Japanese"),
    ),
    responses((status = 200, body = WindowListJson), (status = 400, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn list_windows(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "category", "audience", "channel", "region", "free", "open_now", "at", "language",
            "lang",
        ],
    )?;
    let at = params.at(&state)?;
    let language = params.get("language");
    if let Some(code) = language
        && !madoguchi_core::model::LANGUAGE_CODES.contains(&code)
    {
        return Err(invalid(
            "language",
            code,
            &format!(
                "an ISO 639 code the data uses: {}",
                madoguchi_core::model::LANGUAGE_CODES.join(", ")
            ),
        ));
    }
    let audience = params.audience()?;
    let region = params.region()?;
    let channel = params.channel()?;
    let free = params.bool("free")?;
    let open_now = params.bool("open_now")?;
    let directory = state.directory_in(params.lang()?);
    if let Some(category) = params.get("category")
        && directory.category(category).is_none()
    {
        return Err(invalid(
            "category",
            category,
            "a category id from /api/v1/categories",
        ));
    }
    let windows: Vec<WindowJson> = directory
        .windows
        .iter()
        .filter(|w| {
            params
                .get("category")
                .is_none_or(|c| w.categories.iter().any(|x| x == c))
        })
        .filter(|w| audience.is_none_or(|a| w.serves_audience(a)))
        .filter(|w| {
            channel.is_none_or(|family| w.channels.iter().any(|c| c.kind.family() == family))
        })
        .filter(|w| {
            region != Some(Region::Elsewhere) || w.area.scope == madoguchi_core::AreaScope::National
        })
        .filter(|w| !free || w.channels.iter().any(|c| c.cost == Cost::Free))
        .filter(|w| !open_now || w.state_by(channel, at, &directory.holidays).is_open())
        .filter(|w| language.is_none_or(|code| w.speaks(code)))
        .map(|w| window_json(directory, w, at))
        .collect();
    let cache = if params.get("at").is_some() || open_now {
        PUBLIC
    } else {
        "public, max-age=60"
    };
    Ok(json_response(
        &headers,
        &WindowListJson {
            at: instant(at),
            count: windows.len(),
            windows,
        },
        cache,
    ))
}

#[utoipa::path(get, path = "/api/v1/windows/{id}", tag = "directory",
    params(("id" = String, Path, description = "The window id, e.g. moj-minna-110"),
        ("at" = Option<String>, Query, format = DateTime, description = "The instant for opening hours (RFC 3339); now when absent"),
        ("lang" = Option<LangParam>, Query, description = "The language of the texts: ja (default), en or easy (やさしい日本語); a text without a translation stays Japanese")),
    responses((status = 200, body = WindowJson), (status = 400, body = ErrorJson), (status = 404, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn find_window(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["at", "lang"])?;
    let at = params.at(&state)?;
    let directory = state.directory_in(params.lang()?);
    let window = directory.window(&id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::WindowNotFound,
            format!("no window has the id `{}`", shorten(&id)),
        )
    })?;
    Ok(json_response(
        &headers,
        &window_json(directory, window, at),
        "public, max-age=60",
    ))
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "directory",
    params(
        ("lang" = Option<LangParam>, Query, description = "The language of the texts: ja (default), en or easy (やさしい日本語); a text without a translation stays Japanese"),
    ),
    responses((status = 200, body = CategoriesJson), (status = 400, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn list_categories(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["lang"])?;
    let directory = state.directory_in(params.lang()?);
    let categories: Vec<CategoryJson> = directory
        .categories
        .iter()
        .map(|c| category_json(directory, c))
        .collect();
    Ok(json_response(
        &headers,
        &CategoriesJson { categories },
        PUBLIC,
    ))
}

#[utoipa::path(get, path = "/api/v1/situations", tag = "directory",
    params(
        ("lang" = Option<LangParam>, Query, description = "The language of the texts: ja (default), en or easy (やさしい日本語); a text without a translation stays Japanese"),
    ),
    responses((status = 200, body = SituationsJson), (status = 400, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn list_situations(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["lang"])?;
    let directory = state.directory_in(params.lang()?);
    let body = SituationsJson {
        situations: directory
            .situations
            .iter()
            .map(|s| situation_json(directory, s))
            .collect(),
        outcomes: directory
            .outcomes
            .iter()
            .map(|o| crate::json::OutcomeJson {
                id: o.id.clone(),
                name: o.name.clone(),
                description: o.description.clone(),
            })
            .collect(),
    };
    Ok(json_response(&headers, &body, PUBLIC))
}

#[utoipa::path(get, path = "/api/v1/triage", tag = "triage",
    params(
        ("q" = String, Query, min_length = 1, max_length = 2000, pattern = r"\S", description = "What happened, in the person's own words (at most 2,000 characters). Never logged or stored."),
        ("at" = Option<String>, Query, format = DateTime, description = "The instant for opening hours (RFC 3339); now when absent"),
        ("audience" = Option<AudienceParam>, Query, description = "Who is asking"),
        ("region" = Option<RegionParam>, Query, description = "Where the person lives"),
        ("channel" = Option<ChannelParam>, Query, description = "Only windows reachable this way"),
        ("free" = Option<bool>, Query, description = "Only free windows"),
        ("open_now" = Option<bool>, Query, description = "Only windows open at `at`"),
        ("lang" = Option<LangParam>, Query, description = "The language of the answer's texts: ja (default), en or easy (やさしい日本語); the words are read the same in every case"),
    ),
    responses((status = 200, body = AnswerJson), (status = 400, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn triage_query(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "q", "at", "audience", "region", "channel", "free", "open_now", "lang",
        ],
    )?;
    let text = params
        .get("q")
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::MissingParameter,
                "`q` is required: what happened, in your own words",
            )
        })?;
    let length = text.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            ErrorCode::QueryTooLong,
            format!("`q` has {length} characters; at most {MAX_QUERY_CHARS} are accepted"),
        ));
    }
    let at = params.at(&state)?;
    let query = triage::Query {
        audience: params.audience()?,
        region: params.region()?,
        channel: params.channel()?,
        free_only: params.bool("free")?,
        open_now: params.bool("open_now")?,
        ..triage::Query::text(text, at)
    };
    let lang = params.lang()?;
    let directory = state.directory_in(lang);
    let answer = state.engine.triage(&state.directory, &query);
    let prepared = state.prepared_json(lang);
    let unranked = state.pages.unranked[lang.index()]
        .get_or_make(crate::cache::minute_of(at), || {
            UnrankedResults::new(directory, prepared, at)
        });
    Ok(json_response(
        &headers,
        &answer_json(directory, prepared, &unranked, answer, at),
        PRIVATE,
    ))
}

const STEPS: [&str; 4] = ["situation", "outcome", "who", "where"];

fn step_json(step: Step) -> StepJson {
    match step {
        Step::Question {
            id,
            prompt,
            hint,
            options,
        } => StepJson {
            step: id,
            prompt: Some(prompt),
            hint,
            options: options
                .into_iter()
                .map(|o| ChoiceJson {
                    value: o.value,
                    label: o.label,
                    group: o.group,
                })
                .collect(),
            answer: None,
        },
        Step::Answer(guided) => StepJson {
            step: "answer",
            prompt: None,
            hint: None,
            options: Vec::new(),
            answer: Some(GuidedJson {
                situation: guided.situation,
                outcome: guided.outcome,
                audience: guided.audience.map(AudienceGroup::as_str),
                region: guided.region.map(Region::as_str),
            }),
        },
    }
}

#[utoipa::path(get, path = "/api/v1/questions", tag = "guide",
    params(
        ("lang" = Option<LangParam>, Query, description = "The language of the questions: ja (default), en or easy (やさしい日本語)"),
    ),
    responses((status = 200, body = QuestionsJson), (status = 400, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn list_questions(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["lang"])?;
    let directory = state.directory_in(params.lang()?);
    let first = step_json(guide::next_step(directory, &Answers::default()));
    Ok(json_response(
        &headers,
        &QuestionsJson {
            steps: STEPS.to_vec(),
            first,
        },
        PUBLIC,
    ))
}

/// Parses `answers=situation:defamation,outcome:consult`.
fn parse_answers(text: &str) -> Result<Answers, ApiError> {
    let mut answers = Answers::default();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once(':') else {
            return Err(ApiError::new(
                ErrorCode::InvalidAnswer,
                format!("answer `{}` is not step:value", shorten(part)),
            ));
        };
        let slot = match key {
            "situation" => &mut answers.situation,
            "outcome" => &mut answers.outcome,
            "who" => &mut answers.who,
            "where" => &mut answers.place,
            other => {
                return Err(ApiError::new(
                    ErrorCode::InvalidAnswer,
                    format!("`{}` is not a step ({})", shorten(other), STEPS.join(", ")),
                ));
            }
        };
        *slot = Some(value.to_owned());
    }
    Ok(answers)
}

#[utoipa::path(get, path = "/api/v1/questions/{step}", tag = "guide",
    params(("step" = StepParam, Path, description = "The step to ask"),
        ("answers" = Option<String>, Query, pattern = r"^((situation|outcome|who|where):[^,:]*)?(,(situation|outcome|who|where):[^,:]*)*$", description = "The answers so far as step:value pairs, comma separated, e.g. situation:defamation,outcome:consult"),
        ("lang" = Option<LangParam>, Query, description = "The language of the questions: ja (default), en or easy (やさしい日本語)")),
    responses((status = 200, body = StepJson), (status = 400, body = ErrorJson), (status = 404, body = ErrorJson), (status = 414, description = "The URL is too long", body = ErrorJson), (status = 429, description = "Too many requests from this address", body = ErrorJson, headers(("Retry-After" = u64, description = "Seconds to wait before trying again")))))]
async fn find_question(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(step): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["answers", "lang"])?;
    if !STEPS.contains(&step.as_str()) {
        return Err(ApiError::new(
            ErrorCode::StepNotFound,
            format!("`{}` is not a step ({})", shorten(&step), STEPS.join(", ")),
        ));
    }
    let mut answers = parse_answers(params.get("answers").unwrap_or_default())?;
    // Ask for this step: forget its answer and every later one.
    let position = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    for later in &STEPS[position..] {
        match *later {
            "situation" => answers.situation = None,
            "outcome" => answers.outcome = None,
            "who" => answers.who = None,
            _ => answers.place = None,
        }
    }
    let next = guide::next_step(state.directory_in(params.lang()?), &answers);
    // Answers that skip a step lead back to that step's question, as the web guide does.
    Ok(json_response(&headers, &step_json(next), PUBLIC))
}

async fn unknown_route() -> ApiError {
    ApiError::new(
        ErrorCode::RouteNotFound,
        "this path is not part of the API; see /api/v1/openapi.json",
    )
}

#[derive(OpenApi)]
#[openapi(
    info(title = "madoguchi API", description = "Consultation and reporting windows for internet trouble (Saga, Japan): the directory, opening hours, guided questions and triage. Read-only. Data licence: CC BY 4.0."),
    paths(list_windows, find_window, list_categories, list_situations, triage_query, list_questions, find_question),
    components(schemas(ErrorJson, ErrorBody, ErrorCode, AudienceParam, ChannelParam, LangParam, LanguageParam, RegionParam, StepParam)),
    tags((name = "directory", description = "Windows, categories and situations"), (name = "triage", description = "From a situation to ranked windows"), (name = "guide", description = "The guided questions"))
)]
pub struct ApiDoc;

pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

async fn openapi_document(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::check(query, &[])?;
    let mut document: serde_json::Value = serde_json::from_str(&openapi_json()).unwrap_or_default();
    // The category ids come from the data, so the document lists them at run time.
    let ids: Vec<&str> = state
        .directory
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    if let Some(parameters) = document
        .pointer_mut("/paths/~1api~1v1~1windows/get/parameters")
        .and_then(|p| p.as_array_mut())
    {
        for parameter in parameters.iter_mut().filter(|p| p["name"] == "category") {
            parameter["schema"]["enum"] = serde_json::json!(ids);
        }
    }
    Ok(json_response(&headers, &document, "public, max-age=3600"))
}
