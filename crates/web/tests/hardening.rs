//! Bad input, privacy and limits: a catalogue of malformed requests, each with its documented
//! status (and error code for the API), the access log never holding what a person typed, no
//! cookies, and the health checks.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_web::{AppState, router};
use tower::ServiceExt;

use common::state;

async fn send(state: &Arc<AppState>, request: Request<Body>) -> (StatusCode, String) {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    assert!(
        response.headers().get(header::SET_COOKIE).is_none(),
        "no cookie, ever"
    );
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str) -> Request<Body> {
    Request::builder().uri(uri).body(Body::empty()).unwrap()
}

/// (request, expected status, expected API error code or "" for a page)
fn catalogue() -> Vec<(Request<Body>, StatusCode, &'static str)> {
    let long = "a".repeat(madoguchi_core::triage::MAX_QUERY_CHARS + 1);
    let huge = "a".repeat(5000);
    let answers = format!("situation:{}", "x".repeat(5000));
    vec![
        (
            get(&format!("/api/v1/triage?q={long}")),
            StatusCode::BAD_REQUEST,
            "query_too_long",
        ),
        (
            get(&format!("/api/v1/triage?q={huge}")),
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
        ),
        (
            get(&format!("/search?q={huge}")),
            StatusCode::URI_TOO_LONG,
            "",
        ),
        (
            get("/api/v1/triage?q=%FF%FE"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/triage?q=%E3%81"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/triage?q=a&sort=asc"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
        (
            get("/api/v1/windows?sort=name"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
        (
            get("/api/v1/categories?x=1"),
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
        ),
        (
            get("/api/v1/triage?q=a&q=b"),
            StatusCode::BAD_REQUEST,
            "repeated_parameter",
        ),
        (
            get("/api/v1/windows?free=1&free=0"),
            StatusCode::BAD_REQUEST,
            "repeated_parameter",
        ),
        (
            get("/api/v1/windows?free=yes"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?open_now=2"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?at=tomorrow"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?at=2026-13-45T25:61:00%2B09:00"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?at=99999-01-01T00:00:00Z"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?audience=aliens"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?channel=fax"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?region=mars"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/windows?category=%3Cscript%3E"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v1/triage"),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            get("/api/v1/triage?q=%20%20%20"),
            StatusCode::BAD_REQUEST,
            "missing_parameter",
        ),
        (
            get("/api/v1/windows/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
            StatusCode::NOT_FOUND,
            "window_not_found",
        ),
        (
            get("/api/v1/windows/..%2F..%2Fetc%2Fpasswd"),
            StatusCode::NOT_FOUND,
            "window_not_found",
        ),
        (get("/api/v1/../../etc/passwd"), StatusCode::NOT_FOUND, ""),
        (
            get("/static/..%2F..%2FCargo.toml"),
            StatusCode::NOT_FOUND,
            "",
        ),
        (get("/windows/..%2Fabout"), StatusCode::NOT_FOUND, ""),
        (
            get("/api/v1/questions/feelings"),
            StatusCode::NOT_FOUND,
            "step_not_found",
        ),
        (
            get("/api/v1/questions/outcome?answers=nonsense"),
            StatusCode::BAD_REQUEST,
            "invalid_answer",
        ),
        (
            get(&format!("/api/v1/questions/outcome?answers={answers}")),
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
        ),
        (
            get("/api/v1/nope"),
            StatusCode::NOT_FOUND,
            "route_not_found",
        ),
        (get("/categories/%00"), StatusCode::NOT_FOUND, ""),
        (get("/search?q=%00%01%02%1B"), StatusCode::OK, ""),
        (
            get("/search?q=%F0%9F%98%AD%F0%9F%92%94"),
            StatusCode::OK,
            "",
        ),
        (
            get("/search?q=%E2%80%AE%E2%80%8B%EF%BB%BF"),
            StatusCode::OK,
            "",
        ),
        (
            get("/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"),
            StatusCode::OK,
            "",
        ),
        (
            get("/search?q=a&audience=%3Cscript%3E&channel=%22&region=%27"),
            StatusCode::OK,
            "",
        ),
        (
            get("/guide?situation=%3Cscript%3E&who=%22%3E"),
            StatusCode::OK,
            "",
        ),
        (
            get(
                "/api/v1/triage?q=%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84&audience=children&region=elsewhere&channel=phone&free=true&open_now=false",
            ),
            StatusCode::OK,
            "",
        ),
        (
            Request::builder()
                .method("POST")
                .uri("/api/v1/triage?q=a")
                .body(Body::from("x".repeat(100_000)))
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::builder()
                .method("PUT")
                .uri("/api/v1/windows")
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::builder()
                .method("DELETE")
                .uri("/windows/ihaho")
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "",
        ),
        (
            Request::builder()
                .method("POST")
                .uri("/search")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", "100000")
                .body(Body::from("q=".to_owned() + &"a".repeat(99_998)))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
        (
            Request::builder()
                .method("GET")
                .uri("/api/v1/triage?q=a")
                .header("content-length", "100000")
                .body(Body::from("a".repeat(100_000)))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (get("/windows/%FF"), StatusCode::BAD_REQUEST, ""),
        (get("/search?q=a&q=b"), StatusCode::BAD_REQUEST, ""),
        (get("/categories/%C0%AF"), StatusCode::BAD_REQUEST, ""),
        (
            get("/api/v1/windows/%FF"),
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            get("/api/v2/windows"),
            StatusCode::NOT_FOUND,
            "route_not_found",
        ),
    ]
}

#[tokio::test]
async fn bad_input_catalogue() {
    let state = state();
    let cases = catalogue();
    assert!(cases.len() >= 30);
    for (request, expected, code) in cases {
        let uri: String = request.uri().to_string().chars().take(80).collect();
        let (status, body) = send(&state, request).await;
        assert_eq!(status, expected, "{uri}");
        if !code.is_empty() {
            let value: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|_| panic!("{uri}: not JSON: {body}"));
            assert_eq!(value["error"]["code"], code, "{uri}");
        }
        assert!(
            !body.contains("<script>") && !body.contains("<img src=x"),
            "{uri}: markup is escaped"
        );
        if uri.starts_with("/api") {
            assert!(
                serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                "{uri}: the API answers JSON, also on errors: {body}"
            );
        } else {
            assert!(body.contains("tel:110"), "{uri}: every page shows 110");
        }
    }
    // The server is still up.
    let (status, _) = send(&state, get("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn health_checks() {
    let state = state();
    assert_eq!(
        send(&state, get("/healthz")).await,
        (StatusCode::OK, "ok\n".to_owned())
    );
    let (status, body) = send(&state, get("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("ready: "));
}

#[tokio::test]
async fn a_cors_preflight_to_the_api_is_answered() {
    let state = state();
    let request = Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/windows")
        .header("origin", "https://example.org")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .body(Body::empty())
        .unwrap();
    let response = madoguchi_web::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let h = response.headers();
    assert_eq!(h.get("access-control-allow-origin").unwrap(), "*");
    assert!(
        h.get("access-control-allow-headers")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("If-None-Match")
    );
    assert!(
        h.get("access-control-allow-methods")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("GET")
    );
}

#[tokio::test]
async fn a_request_over_a_socket_names_exactly_one_host() {
    let state = state();
    let peer: std::net::SocketAddr = "192.0.2.1:50000".parse().unwrap();
    let over_socket = |uri: &str, hosts: &[&str]| {
        let mut builder = Request::builder().uri(uri);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        request
    };
    for (uri, hosts, expected) in [
        ("/", &["madoguchi.example"][..], StatusCode::OK),
        ("/", &[][..], StatusCode::BAD_REQUEST),
        (
            "/",
            &["a.example", "b.example"][..],
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/categories", &[][..], StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = send(&state, over_socket(uri, hosts)).await;
        assert_eq!(status, expected, "{uri} with {hosts:?}");
        if status == StatusCode::BAD_REQUEST {
            if uri.starts_with("/api") {
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(value["error"]["code"], "invalid_parameter");
            } else {
                assert!(body.contains("tel:110"), "{uri}: a page with 110");
            }
        }
    }
}

/// A request body that sends its first bytes and then nothing more.
struct Stalled(bool);

impl axum::body::HttpBody for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        if self.0 {
            return std::task::Poll::Pending;
        }
        self.0 = true;
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(
            axum::body::Bytes::from_static(b"q=%E6%82%AA"),
        ))))
    }
}

#[tokio::test]
async fn a_request_that_stalls_gets_408_as_a_page_with_the_emergency_numbers() {
    let state = common::state_with(madoguchi_web::Limits {
        request_timeout: std::time::Duration::from_millis(200),
        ..common::unlimited()
    });
    let request = Request::post("/search")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::new(Stalled(false)))
        .unwrap();
    let (status, page) = send(&state, request).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert!(page.contains("110") && page.contains("119"), "{page}");
    assert!(page.contains("<html"), "a page, not text");
}
