//! The JSON API and the exports: snapshots of each endpoint and export, every error code
//! reachable and documented, ETag/Cache-Control/CORS on every GET.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::Date;
use madoguchi_core::{DataFile, Directory, LoadConfig, load};
use madoguchi_web::api::ErrorCode;
use madoguchi_web::export::{Format, export};
use madoguchi_web::{AppState, Limits, router};
use tower::ServiceExt;

use common::{send, state, state_with};

async fn get(
    state: &Arc<AppState>,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().uri(uri);
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

const ENDPOINTS: &[(&str, &str)] = &[
    (
        "window",
        "/api/v1/windows/consumer-hotline-188?at=2026-11-28T11:00:00%2B09:00",
    ),
    ("windows_report", "/api/v1/windows?category=report"),
    (
        "windows_open_phone",
        "/api/v1/windows?channel=phone&open_now=true&at=2026-11-28T21:30:00%2B09:00",
    ),
    ("categories", "/api/v1/categories"),
    ("situations", "/api/v1/situations"),
    (
        "triage",
        "/api/v1/triage?q=SNS%E3%81%A7%E6%82%AA%E5%8F%A3%E3%82%92%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%9F",
    ),
    ("questions", "/api/v1/questions"),
    (
        "question_outcome",
        "/api/v1/questions/outcome?answers=situation:defamation",
    ),
    (
        "question_answer",
        "/api/v1/questions/where?answers=situation:defamation,outcome:consult,who:adult",
    ),
    (
        "window_en",
        "/api/v1/windows/consumer-hotline-188?at=2026-11-28T11:00:00%2B09:00&lang=en",
    ),
    (
        "triage_en",
        "/api/v1/triage?q=I%20was%20scammed%20shopping%20online&lang=en&at=2026-12-02T14:00:00%2B09:00",
    ),
    (
        "question_outcome_easy",
        "/api/v1/questions/outcome?answers=situation:defamation&lang=easy",
    ),
];

#[tokio::test]
async fn endpoint_snapshots_with_etag_cache_control_and_cors() {
    let state = state();
    for (name, uri) in ENDPOINTS {
        let (status, headers, body) = get(&state, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert_eq!(
            headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "{uri}"
        );
        assert_eq!(
            headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "*",
            "{uri}"
        );
        assert!(headers.get(header::CACHE_CONTROL).is_some(), "{uri}");
        let etag = headers
            .get(header::ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let (again, _, empty) = get(&state, uri, Some(&etag)).await;
        assert_eq!(again, StatusCode::NOT_MODIFIED, "{uri}: If-None-Match");
        // Weak comparison: the tag with or without W/, in a list, matches too.
        let opaque = etag.trim_start_matches("W/");
        let listed = format!("\"other\", {opaque}");
        let (weakly, _, _) = get(&state, uri, Some(&listed)).await;
        assert_eq!(weakly, StatusCode::NOT_MODIFIED, "{uri}: {listed}");
        assert!(
            etag.starts_with("W/"),
            "{uri}: one tag for gzip and identity is a weak one"
        );
        assert!(empty.is_empty());
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        insta::assert_json_snapshot!(*name, value);
    }
}

#[tokio::test]
async fn the_openapi_limit_on_q_is_the_one_triage_applies() {
    let state = state();
    let (_, _, body) = get(&state, "/api/v1/openapi.json", None).await;
    let document: serde_json::Value = serde_json::from_str(&body).unwrap();
    let parameters = document["paths"]["/api/v1/triage"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let q = parameters.iter().find(|p| p["name"] == "q").unwrap();
    assert_eq!(
        q["schema"]["maxLength"],
        madoguchi_core::triage::MAX_QUERY_CHARS,
        "the document and triage agree on the longest text"
    );
}

#[tokio::test]
async fn triage_is_never_cached() {
    let state = state();
    let (_, headers, _) = get(&state, ENDPOINTS[5].1, None).await;
    assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
}

#[tokio::test]
async fn a_crisis_answer_says_whose_crisis_and_when_to_call_119_first() {
    let state = state();
    let ask = |text: &str| {
        format!(
            "/api/v1/triage?q={}",
            serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
        )
    };
    let (_, _, body) = get(&state, &ask("娘が死にたいと言っている"), None).await;
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["crisis"], true);
    assert_eq!(value["crisis_subject"], "other");
    assert_eq!(
        value["crisis_lines"][0]["reasons"][0]["code"],
        "crisis_line"
    );
    let (_, _, body) = get(&state, &ask("薬を大量に飲んでしまった"), None).await;
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["crisis_subject"], "self");
    assert_eq!(value["act_done"], true);
    assert_eq!(value["emergency"][0]["id"], "emergency-119");
    let (_, _, body) = get(&state, &ask("「死にたい」という書き込みを見つけた"), None).await;
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["crisis"], false);
    assert!(
        value["crisis_line"].is_object(),
        "one crisis line below a report"
    );
}

/// One request per error code; each must return the documented status and code.
fn error_cases() -> Vec<(ErrorCode, String)> {
    vec![
        (
            ErrorCode::WindowNotFound,
            "/api/v1/windows/no-such-window".to_owned(),
        ),
        (ErrorCode::StepNotFound, "/api/v1/questions/mood".to_owned()),
        (ErrorCode::RouteNotFound, "/api/v1/nothing/here".to_owned()),
        (
            ErrorCode::InvalidParameter,
            "/api/v1/windows?free=maybe".to_owned(),
        ),
        (
            ErrorCode::UnknownParameter,
            "/api/v1/triage?q=x&sort=name".to_owned(),
        ),
        (
            ErrorCode::RepeatedParameter,
            "/api/v1/triage?q=a&q=b".to_owned(),
        ),
        (ErrorCode::MissingParameter, "/api/v1/triage".to_owned()),
        (
            ErrorCode::QueryTooLong,
            format!(
                "/api/v1/triage?q={}",
                "a".repeat(madoguchi_core::triage::MAX_QUERY_CHARS + 1)
            ),
        ),
        (
            ErrorCode::InvalidAnswer,
            "/api/v1/questions/outcome?answers=mood:sad".to_owned(),
        ),
        (
            ErrorCode::UriTooLong,
            format!("/api/v1/triage?q={}", "a".repeat(5000)),
        ),
        (ErrorCode::RateLimited, "/api/v1/categories".to_owned()),
        (ErrorCode::MethodNotAllowed, "/api/v1/windows".to_owned()),
        (ErrorCode::PayloadTooLarge, "/api/v1/categories".to_owned()),
        (
            ErrorCode::RecordNotFound,
            "/hsds/organizations/no-such-organization".to_owned(),
        ),
    ]
}

#[tokio::test]
async fn every_error_code_is_reachable_and_documented() {
    let state = state();
    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api.md"))
        .unwrap();
    let cases = error_cases();
    for code in ErrorCode::ALL {
        let (_, uri) = cases
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("no case for {code:?}"));
        let (status, headers, body) = match code {
            ErrorCode::RateLimited => rate_limited(uri).await,
            ErrorCode::MethodNotAllowed => {
                let request = Request::delete(uri.as_str()).body(Body::empty()).unwrap();
                send(&state, request).await
            }
            ErrorCode::PayloadTooLarge => {
                let request = Request::get(uri.as_str())
                    .header(header::CONTENT_LENGTH, "100000")
                    .body(Body::from(vec![b'a'; 100_000]))
                    .unwrap();
                send(&state, request).await
            }
            _ => get(&state, uri, None).await,
        };
        let shown: String = uri.chars().take(80).collect();
        assert_eq!(status, code.status(), "{shown}");
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["error"]["code"], code.as_str(), "{shown}");
        assert!(!value["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(value["error"]["link"], format!("/api#{}", code.as_str()));
        assert_eq!(
            headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "*"
        );
        assert!(
            docs.contains(&format!("`{}`", code.as_str())),
            "docs/api.md documents {}",
            code.as_str()
        );
    }
    let (_, _, page) = get(&state, "/api", None).await;
    for code in ErrorCode::ALL {
        assert!(
            page.contains(&format!("id=\"{}\"", code.as_str())),
            "/api anchors {}",
            code.as_str()
        );
    }
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_every_endpoint() {
    let state = state();
    let (status, _, body) = get(&state, "/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(value["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/windows",
        "/api/v1/windows/{id}",
        "/api/v1/categories",
        "/api/v1/situations",
        "/api/v1/triage",
        "/api/v1/questions",
        "/api/v1/questions/{step}",
    ] {
        assert!(value["paths"][path]["get"].is_object(), "{path}");
    }
    insta::assert_json_snapshot!("openapi", value);
}

fn small() -> Directory {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/directory-small");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("windows")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let rel = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    let data: Vec<DataFile<'_>> = files
        .iter()
        .map(|(p, t)| DataFile { path: p, text: t })
        .collect();
    load(&data, LoadConfig::full(Date::constant(2026, 11, 30))).unwrap()
}

/// The JSON export carries each language's texts, so a reuser can show what the English
/// and やさしい日本語 pages show.
#[test]
fn the_json_export_carries_the_translations() {
    let directory = common::saga();
    let json: serde_json::Value = serde_json::from_str(&export(&directory, Format::Json)).unwrap();
    let english = &json["translations"]["en"];
    let safeline = directory.window("safeline").unwrap();
    assert_eq!(
        english[&safeline.summary].as_str(),
        directory.translations["en"].get(&safeline.summary)
    );
    assert!(english[&safeline.summary].is_string());
    assert!(json["translations"]["easy"].as_object().unwrap().len() > 600);
}

#[test]
fn exports_of_the_small_directory() {
    let directory = small();
    for format in Format::ALL {
        let text = export(&directory, format);
        assert!(text.contains("CC BY 4.0"), "{format:?} carries the licence");
        assert!(
            text.contains("2026-11-30"),
            "{format:?} carries the 更新日 (the last day a source was read)"
        );
        insta::assert_snapshot!(format!("export_{}", format.file_name()), text);
    }
    let csv = export(&directory, Format::Csv);
    assert!(
        csv.starts_with('\u{feff}'),
        "CSV starts with a BOM for Excel"
    );
    let channels: usize = directory.windows.iter().map(|w| w.channels.len()).sum();
    assert_eq!(
        csv.lines().count(),
        channels + 1,
        "one row per channel plus the header"
    );
    let hsds: serde_json::Value = serde_json::from_str(&export(&directory, Format::Hsds)).unwrap();
    for collection in [
        "organizations",
        "services",
        "phones",
        "schedules",
        "service_areas",
        "taxonomy_terms",
        "attributes",
    ] {
        assert!(
            hsds[collection].as_array().is_some_and(|a| !a.is_empty()),
            "HSDS {collection}"
        );
    }
}

#[tokio::test]
async fn exports_download_from_the_site() {
    let state = state();
    for format in Format::ALL {
        let (status, headers, body) =
            get(&state, &format!("/exports/{}", format.file_name()), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains(format.file_name())
        );
        assert_eq!(body, export(&state.directory, format));
    }
}

/// Two quick requests from one address against a limit of one: the second is refused with
/// 429 and `Retry-After`.
async fn rate_limited(uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    use axum::extract::ConnectInfo;
    let limits = Limits {
        api_per_second: 1,
        api_burst: 1,
        ..Limits::DEFAULT
    };
    let state = state_with(limits);
    let app = router(state);
    // What the listener adds to each request in `serve`; a client sends its Host.
    let request = || {
        let mut request = Request::builder()
            .uri(uri)
            .header(header::HOST, "madoguchi.example")
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((
                [203, 0, 113, 7],
                40000,
            ))));
        request
    };
    let first = app.clone().oneshot(request()).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK, "the first request passes");
    let response = app.oneshot(request()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    assert!(
        headers.get(header::RETRY_AFTER).is_some(),
        "429 carries Retry-After"
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn windows_can_be_chosen_by_a_language_a_source_says_they_serve() {
    let state = state();
    let (status, _, body) = get(&state, "/api/v1/windows?language=en", None).await;
    assert_eq!(status, StatusCode::OK);
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids: Vec<&str> = list["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    for id in [
        "houterasu-multilingual",
        "moj-foreign-language",
        "dv-soudan-plus",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert!(
        !ids.contains(&"childline"),
        "Japanese only, by its own page"
    );
    for window in list["windows"].as_array().unwrap() {
        let served = window["channels"].as_array().unwrap().iter().any(|c| {
            c["languages"]["codes"]
                .as_array()
                .is_some_and(|codes| codes.iter().any(|code| code == "en"))
        });
        assert!(served, "{} has a channel that serves English", window["id"]);
    }
    // The OpenAPI document offers exactly the codes the data may use.
    let (_, _, document) = get(&state, "/api/v1/openapi.json", None).await;
    let document: serde_json::Value = serde_json::from_str(&document).unwrap();
    let offered: Vec<&str> = document["paths"]["/api/v1/windows"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "language")
        .map(|p| {
            let schema = &p["schema"];
            let schema = if schema.get("$ref").is_some() {
                let name = schema["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
                &document["components"]["schemas"][name]
            } else {
                schema
            };
            schema["enum"]
                .as_array()
                .or_else(|| schema["oneOf"].as_array())
                .unwrap()
                .iter()
                .filter_map(|v| v.as_str())
                .collect()
        })
        .unwrap();
    assert_eq!(offered, madoguchi_core::model::LANGUAGE_CODES);
    let (status, _, body) = get(&state, "/api/v1/windows?language=klingon", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("invalid_parameter"), "{body}");
}

/// `?lang=en` answers in English: every window's name, summary and hours in English words
/// (numbers and addresses as they are), and an unknown language is a 400 in the envelope.
#[tokio::test]
async fn the_windows_in_english() {
    let state = state();
    let japanese_script = |text: &str| {
        text.chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
    };
    let (status, _, body) = get(&state, "/api/v1/windows?lang=en", None).await;
    assert_eq!(status, StatusCode::OK);
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let windows = value["windows"].as_array().unwrap();
    assert_eq!(windows.len(), state.directory.windows.len());
    for window in windows {
        let summary = window["summary"].as_str().unwrap();
        assert!(!japanese_script(summary), "{}: {summary}", window["id"]);
        for channel in window["channels"].as_array().unwrap() {
            for line in channel["hours"]["summary"].as_array().unwrap() {
                let line = line.as_str().unwrap();
                // A period's own name may stay Japanese only where the data has no English.
                assert!(!japanese_script(line), "{}: {line}", window["id"]);
            }
        }
    }
    let safeline = windows.iter().find(|w| w["id"] == "safeline").unwrap();
    assert_eq!(
        safeline["name"],
        "Safe-line (reporting illegal and harmful content)"
    );
    let (_, _, japanese) = get(&state, "/api/v1/windows/safeline", None).await;
    let japanese: serde_json::Value = serde_json::from_str(&japanese).unwrap();
    assert!(japanese_script(japanese["summary"].as_str().unwrap()));
    assert_eq!(japanese["channels"], {
        let mut english = safeline["channels"].clone();
        // Only words differ: the same values, links and hours rules.
        for (en, ja) in english
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(japanese["channels"].as_array().unwrap())
        {
            assert_eq!(en["value"], ja["value"]);
            assert_eq!(en["href"], ja["href"]);
            assert_eq!(
                en["hours"]["detail"]["rules"],
                ja["hours"]["detail"]["rules"]
            );
            *en = ja.clone();
        }
        english
    });
    let (status, _, body) = get(&state, "/api/v1/windows?lang=klingon", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("invalid_parameter") && body.contains("lang"),
        "{body}"
    );
}
