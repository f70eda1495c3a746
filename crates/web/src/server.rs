//! What keeps the server up on its worst day: limits on URL and body size, a request timeout,
//! a concurrency limit, per-client rate limiting on `/api`, health checks, and an access log
//! that records the route template and never the query string (what a person typed).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::PeerIpKeyExtractor;

use crate::AppState;
use crate::api::{ApiError, ErrorCode};

/// Server limits; `madoguchi serve` fills them from flags and environment variables.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request taking longer is answered with 408.
    pub request_timeout: Duration,
    /// Longer URLs (path and query) are refused with 414.
    pub max_uri_bytes: usize,
    /// Larger request bodies are refused with 413 (only the search form has one).
    pub max_body_bytes: usize,
    /// Requests handled at once; more wait.
    pub concurrency: usize,
    /// Sustained `/api` requests per second per client address; 0 turns rate limiting off.
    pub api_per_second: u64,
    /// Requests a client may make at once before the rate applies.
    pub api_burst: u32,
    /// Connections: how many, from one address, and for how long (`listener.rs`).
    pub connections: crate::listener::ConnectionLimits,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        request_timeout: Duration::from_secs(10),
        max_uri_bytes: 4096,
        max_body_bytes: 64 * 1024,
        concurrency: 512,
        api_per_second: 20,
        api_burst: 40,
        connections: crate::listener::ConnectionLimits::DEFAULT,
    };
}

/// Adds the limits, the access log and the health checks around the application's routes.
pub fn harden(app: Router<Arc<AppState>>, state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let limits = state.limits;
    let app = app
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz));
    app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ))
    .layer(tower_http::limit::RequestBodyLimitLayer::new(
        limits.max_body_bytes,
    ))
    .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
        limits.concurrency,
    ))
    .layer(axum::middleware::from_fn_with_state(
        state.clone(),
        front_door,
    ))
}

/// What every request passes first and every response last, in one step (each middleware
/// layer costs an allocation and a dynamic call per request): the checks that need no
/// handler (a CORS preflight, exactly one `Host`, the URL's length), every error answered in
/// kind, the security headers and `no-store` unless a page says otherwise, compression, and
/// the access-log line.
async fn front_door(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    // MatchedPath and HeaderValue are shared buffers: keeping them costs no copy.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let path = request.uri().path();
    let api = path.starts_with("/api/") || path == "/hsds" || path.starts_with("/hsds/");
    let accepted = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let mut response = if api && method == axum::http::Method::OPTIONS {
        preflight()
    } else if let Some(refused) = refuse(&state, &request, api) {
        refused
    } else {
        in_kind(&state, api, next.run(request).await)
    };
    let headers = response.headers_mut();
    for (name, value) in crate::SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // What a page does not say may be kept is never kept.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    let accepted = accepted
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let response = crate::cache::compress(accepted, response).await;
    // One line per request: method, route template, status, latency. Never the query
    // string or the concrete path of a search, because those can hold what a person typed.
    tracing::info!(
        method = %method,
        route = %route.as_ref().map_or("unmatched", MatchedPath::as_str),
        status = response.status().as_u16(),
        latency_us = start.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// A CORS preflight to the API, so that a page elsewhere can send `If-None-Match`.
fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match"),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    )
        .into_response()
}

/// A request refused before any handler: a missing or repeated `Host` (400, RFC 9112 3.2),
/// a URL longer than the limit (414).
fn refuse(state: &AppState, request: &Request, api: bool) -> Option<Response> {
    // Only requests that came over a socket are checked for `Host`; the router driven
    // directly (tests, the warm-up) has no connection.
    let from_socket = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .is_some();
    let hosts = request.headers().get_all(header::HOST).iter().count();
    let required = request.version() >= axum::http::Version::HTTP_11;
    if from_socket && (hosts > 1 || (required && hosts == 0)) {
        return Some(in_kind(state, api, StatusCode::BAD_REQUEST.into_response()));
    }
    let uri = request.uri();
    let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    let limit = state.limits.max_uri_bytes;
    if length <= limit {
        return None;
    }
    if !api {
        return Some(in_kind(
            state,
            api,
            StatusCode::URI_TOO_LONG.into_response(),
        ));
    }
    let message = format!("the URL has {length} bytes; at most {limit} are accepted");
    let mut response = ApiError::new(ErrorCode::UriTooLong, message).into_response();
    *response.status_mut() = StatusCode::URI_TOO_LONG;
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Some(response)
}

/// Every error answers in kind, whoever made it (routing, an extractor, a limit): a page with
/// 110/119 for a page, the JSON envelope with a stable code for the API.
fn in_kind(state: &AppState, api: bool, response: Response) -> Response {
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let in_kind = if api {
        content_type.starts_with("application/json")
    } else {
        content_type.starts_with("text/html")
    };
    if in_kind {
        return response;
    }
    let mut answer = if api {
        let code = match status {
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::NOT_FOUND => ErrorCode::RouteNotFound,
            StatusCode::URI_TOO_LONG => ErrorCode::UriTooLong,
            _ => ErrorCode::InvalidParameter,
        };
        let mut json = ApiError::new(code, api_message(status)).into_response();
        json.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        json
    } else {
        crate::pages::error_page(state, status)
    };
    *answer.status_mut() = status;
    // Keep what tells the client what to do next.
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}

fn api_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => "this endpoint only answers GET, HEAD and OPTIONS",
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than the server accepts",
        StatusCode::NOT_FOUND => "the path is not part of the API (see /api/v1/openapi.json)",
        StatusCode::REQUEST_TIMEOUT => "the request took too long; try again",
        _ => {
            "the request could not be read (a path or parameter that is not valid UTF-8 or not well formed)"
        }
    }
}

/// Rate limiting for the API, keyed by the client's address. Behind a reverse proxy every
/// request would share the proxy's address: put the limit in the proxy instead and set the
/// rate to 0 here.
pub fn rate_limited(api: Router<Arc<AppState>>, limits: Limits) -> Router<Arc<AppState>> {
    if limits.api_per_second == 0 {
        return api;
    }
    let period_ms = (1000 / limits.api_per_second).max(1);
    let Some(config) = GovernorConfigBuilder::default()
        .per_millisecond(period_ms)
        .burst_size(limits.api_burst.max(1))
        .key_extractor(PeerIpKeyExtractor)
        .finish()
    else {
        return api;
    };
    let config = Arc::new(config);
    // Forget clients that have not been seen for a while, so the limiter's memory stays small.
    let limiter = config.limiter().clone();
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_secs(60));
            loop {
                interval.tick().await;
                limiter.retain_recent();
            }
        });
    }
    api.layer(GovernorLayer::new(config).error_handler(|error| {
        let tower_governor::GovernorError::TooManyRequests { wait_time, .. } = error else {
            // Without the client's address (a server set up without connect info) nothing
            // can be limited; that is a bug of ours, not the client's.
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let wait = wait_time.max(1);
        let message = format!("too many requests; try again in {wait} s");
        let mut response = ApiError::new(ErrorCode::RateLimited, message).into_response();
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }))
}

async fn healthz() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], "ok\n")
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.directory.windows.is_empty() {
        return (StatusCode::SERVICE_UNAVAILABLE, "no data\n").into_response();
    }
    // The public site answers from memory whether or not the store does: still ready, but
    // say so, for the operator and the proxy's logs.
    let store = match &state.inbox {
        None => "; no store (corrections are not taken)",
        Some(inbox) if inbox.reachable().await => "; store reachable",
        Some(_) => "; store unreachable (pages answer from memory; corrections cannot be kept)",
    };
    (
        [(header::CACHE_CONTROL, "no-store")],
        format!("ready: {} windows{store}\n", state.directory.windows.len()),
    )
        .into_response()
}
