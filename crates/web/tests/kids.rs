//! The children's pages: ふりがな on every kanji of every page a child can reach (the home
//! page, the answer for every situation, a search, a crisis), children's lines first, and the
//! typed words left exactly as typed.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_web::ruby::kanji_without_reading;
use madoguchi_web::{AppState, router};
use tower::ServiceExt;

use common::state;

async fn send(state: &Arc<AppState>, request: Request<Body>) -> (StatusCode, String) {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(state: &Arc<AppState>, uri: &str) -> String {
    let (status, body) = send(state, Request::get(uri).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    body
}

async fn search(state: &Arc<AppState>, words: &str) -> String {
    let encoded: String = words.bytes().map(|b| format!("%{b:02X}")).collect();
    let request = Request::post("/kids/search")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("q={encoded}")))
        .unwrap();
    let (status, body) = send(state, request).await;
    assert_eq!(status, StatusCode::OK);
    body
}

/// Every page a child can reach from /kids, with the text typed for the searches.
async fn kids_pages(state: &Arc<AppState>) -> Vec<(String, String)> {
    let mut pages = vec![("/kids".to_owned(), get(state, "/kids").await)];
    for situation in &state.directory.situations {
        let uri = format!("/kids/answer?situation={}", situation.id);
        let body = get(state, &uri).await;
        pages.push((uri, body));
    }
    for words in [
        "しにたい",
        "らいんのぐるーぷでしゃしんをさらされた",
        "ゲームで知らない人に写真を送れと言われた",
    ] {
        pages.push((format!("search {words}"), search(state, words).await));
    }
    pages
}

#[tokio::test]
async fn every_kanji_on_the_childrens_pages_has_furigana() {
    let state = state();
    let mut missing: Vec<String> = Vec::new();
    for (uri, body) in kids_pages(&state).await {
        for run in kanji_without_reading(&body) {
            missing.push(format!("{uri}: {run}"));
        }
        assert!(body.contains("<ruby>"), "{uri}: no ruby at all");
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "kanji without a reading (add them to data/readings.toml):\n{}",
        missing.join("\n")
    );
}

#[tokio::test]
async fn childrens_lines_come_first_and_typed_words_stay_as_typed() {
    let state = state();
    let body = search(&state, "学校でいじめられてる").await;
    assert!(
        body.contains(">学校でいじめられてる</textarea>"),
        "no ruby inside the box"
    );
    let first_card = body.find("<li class=\"card\">").unwrap();
    let first = &body[first_card..first_card + body[first_card..].find("</li>").unwrap()];
    let child_line = state
        .directory
        .windows
        .iter()
        .filter(|w| {
            w.audience
                .groups
                .contains(&madoguchi_core::AudienceGroup::Children)
        })
        .any(|w| first.contains(&format!("/windows/{}\"", w.id)));
    assert!(child_line, "a children's line first: {first}");
    let crisis = search(&state, "しにたい").await;
    assert!(crisis.contains("id=\"crisis-heading\""));
    assert!(crisis.contains("href=\"tel:110\""));
}
