//! "この情報が違う": the form on each window page, and what a correction becomes. Kept: the
//! window, the fact, the words, the source. Never kept: anything about the sender. Bad input
//! keeps what was typed; robots and floods are turned away.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::{Memory, state_with_inbox};
use http_body_util::BodyExt;
use madoguchi_web::inbox::Correction;
use madoguchi_web::{AppState, router};
use tower::ServiceExt;

async fn send(state: &Arc<AppState>, request: Request<Body>) -> (StatusCode, String, String) {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let cache = response
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, cache, String::from_utf8(body.to_vec()).unwrap())
}

fn post(form: &str, from: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/windows/ihaho/report")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "madoguchi.example")
        .body(Body::from(form.to_owned()))
        .unwrap();
    if let Some(from) = from {
        let address: SocketAddr = from.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(address));
    }
    request
}

fn encoded(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn the_form_shows_only_with_an_inbox_and_says_what_is_kept() {
    let get = || Request::get("/windows/ihaho").body(Body::empty()).unwrap();
    let (_, _, without) = send(&common::state(), get()).await;
    assert!(!without.contains("correct-body"));
    let (_, _, with) = send(&state_with_inbox(Arc::default()), get()).await;
    assert!(with.contains(r#"action="/windows/ihaho/report""#));
    assert!(with.contains("IP アドレスは保存しません"));
    assert!(with.contains(r#"name="website" tabindex="-1""#), "honeypot");
}

#[tokio::test]
async fn a_correction_is_kept_without_its_sender_and_thanked() {
    let inbox = Arc::new(Memory::default());
    let state = state_with_inbox(inbox.clone());
    let body = format!(
        "fact=hours&body={}&source_url={}",
        encoded("  土曜日も受け付けています\n"),
        encoded("https://www.ihaho.jp/")
    );
    let (status, cache, page) = send(&state, post(&body, Some("192.0.2.7:5000"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cache, "no-store", "what was typed is not cached");
    assert!(page.contains("ありがとうございます"));
    assert!(page.contains("110"), "the emergency numbers on every page");
    let kept = inbox.kept.lock().unwrap();
    assert_eq!(
        *kept,
        vec![Correction {
            window_id: "ihaho".to_owned(),
            fact: "hours",
            body: "土曜日も受け付けています".to_owned(),
            source_url: Some("https://www.ihaho.jp/".to_owned()),
        }]
    );
}

#[tokio::test]
async fn bad_input_keeps_what_was_typed() {
    let inbox = Arc::new(Memory::default());
    let state = state_with_inbox(inbox.clone());
    let long = "あ".repeat(1001);
    for (form, message, kept) in [
        (
            format!(
                "fact=phone&body=&source_url={}",
                encoded("https://example.jp/a")
            ),
            "何が違うかを書いてください。",
            "https://example.jp/a",
        ),
        (
            format!("fact=phone&body={}", encoded(&long)),
            "1,000字までにしてください。",
            long.as_str(),
        ),
        (
            format!(
                "fact=phone&body=x&source_url={}",
                encoded("javascript:alert(1)")
            ),
            "出典は https://",
            "javascript:alert(1)",
        ),
        (
            "fact=name&body=x".to_owned(),
            "どの情報が違うかを選んでください。",
            "x",
        ),
    ] {
        let (status, _, page) = send(&state, post(&form, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
        assert!(page.contains(message), "{message}");
        assert!(page.contains(kept), "kept: {message}");
    }
    assert!(inbox.kept.lock().unwrap().is_empty());
}

#[tokio::test]
async fn robots_and_floods_are_turned_away() {
    let inbox = Arc::new(Memory::default());
    let state = state_with_inbox(inbox.clone());
    let (status, _, page) = send(&state, post("fact=phone&body=buy&website=spam", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("ありがとうございます"),
        "a robot learns nothing"
    );
    assert!(inbox.kept.lock().unwrap().is_empty(), "and nothing is kept");

    for _ in 0..5 {
        let (status, _, _) = send(&state, post("fact=phone&body=x", Some("192.0.2.9:1"))).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, page) = send(&state, post("fact=phone&body=six", Some("192.0.2.9:2"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("six"), "the words are kept on the page");
    let (status, _, _) = send(&state, post("fact=phone&body=x", Some("192.0.2.10:1"))).await;
    assert_eq!(status, StatusCode::OK, "another address is not held up");
    assert_eq!(inbox.kept.lock().unwrap().len(), 6);
}

#[tokio::test]
async fn a_store_that_is_down_loses_nothing_typed_and_readyz_says_so() {
    let state = state_with_inbox(Arc::new(Memory {
        broken: true,
        ..Memory::default()
    }));
    let (status, _, page) = send(&state, post("fact=other&body=keep+me", None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.contains("keep me"));
    let (status, _, ready) =
        send(&state, Request::get("/readyz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the pages still answer");
    assert!(ready.contains("store unreachable"), "{ready}");
}
