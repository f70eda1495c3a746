//! Answers a person can act on, through the router: every situation's answer has its
//! sections in order, free text travels by POST and is in no URL, title or cache, a long
//! story is kept, and any window is at most four taps from the home page.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use madoguchi_web::{AppState, router};
use tower::ServiceExt;

use common::state;

struct Fetched {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(state: &Arc<AppState>, request: Request<Body>) -> Fetched {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Fetched {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(state: &Arc<AppState>, uri: &str) -> Fetched {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_search(state: &Arc<AppState>, form: &str) -> Fetched {
    let request = Request::post("/search")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    send(state, request).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The position of a section's heading id in the page, if it is there.
fn at(body: &str, id: &str) -> Option<usize> {
    body.find(&format!("id=\"{id}\""))
}

fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
}

/// One scenario per situation: the guided answer shows the crisis lines first when it is a
/// crisis, then every first step of the situation, then the windows, then the services'
/// help pages when there are any, and always the search box and the guided questions.
#[tokio::test]
async fn every_situation_answers_in_sections() {
    let state = state();
    let directory = &state.directory;
    for situation in &directory.situations {
        let outcome = situation.outcomes.first().cloned().unwrap_or_default();
        let uri = if situation.id == "crisis" {
            "/guide?situation=crisis".to_owned()
        } else {
            format!(
                "/guide?situation={}&outcome={outcome}&who=adult&where=saga",
                situation.id
            )
        };
        let page = get(&state, &uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let body = &page.body;
        let steps = at(body, "steps-heading").unwrap_or_else(|| panic!("{uri}: no first steps"));
        for step in directory.advice.steps_for(&situation.id) {
            assert!(
                body.contains(&escaped(&step.text)),
                "{uri}: step 「{}」 missing",
                step.text
            );
        }
        let evidence = directory
            .advice
            .steps_for(&situation.id)
            .iter()
            .any(|s| s.evidence);
        assert_eq!(
            body.contains("href=\"/guide/evidence\""),
            evidence,
            "{uri}: evidence guide link"
        );
        if situation.id == "crisis" {
            let crisis = at(body, "crisis-heading").expect("crisis section");
            assert!(crisis < steps, "{uri}: crisis lines before the steps");
        } else {
            let windows =
                at(body, "windows-heading").unwrap_or_else(|| panic!("{uri}: no windows"));
            assert!(steps < windows, "{uri}: steps before the windows");
            let has_links = !directory.advice.links_for(&situation.id, &[], 6).is_empty();
            match at(body, "also-heading") {
                Some(also) => {
                    assert!(has_links, "{uri}: help pages without data");
                    assert!(windows < also, "{uri}: help pages after the windows");
                }
                None => assert!(!has_links, "{uri}: help pages missing"),
            }
        }
        let again = at(body, "again-heading").unwrap_or_else(|| panic!("{uri}: no search box"));
        assert!(again > steps, "{uri}: the search box comes last");
        assert!(body.contains("action=\"/search\" method=\"post\""), "{uri}");
        assert!(body.contains("href=\"/guide\""), "{uri}: guided questions");
    }
}

#[tokio::test]
async fn a_two_part_problem_keeps_both_halves() {
    let state = state();
    let page = post_search(
        &state,
        &format!("q={}", encode("Xでずっと悪口を書かれていて、もう死にたい")),
    )
    .await;
    let crisis = at(&page.body, "crisis-heading").expect("crisis first");
    let steps = at(&page.body, "steps-heading").expect("then what to do");
    let windows = at(&page.body, "windows-heading").expect("then the windows");
    assert!(crisis < steps && steps < windows);
    assert!(page.body.contains("落ち着いたら"));
}

#[tokio::test]
async fn the_search_box_posts_and_the_words_stay_out_of_url_title_and_cache() {
    let state = state();
    let home = get(&state, "/").await;
    assert!(
        home.body
            .contains("<form class=\"search\" action=\"/search\" method=\"post\"")
    );
    let words = "LINEで悪口を書かれた";
    let page = post_search(&state, &format!("q={}&free=1", encode(words))).await;
    assert_eq!(page.status, StatusCode::OK);
    let title = &page.body[page.body.find("<title>").unwrap()..page.body.find("</title>").unwrap()];
    assert!(!title.contains(words), "title: {title}");
    let h1 = &page.body[page.body.find("<h1").unwrap()..page.body.find("</h1>").unwrap()];
    assert!(!h1.contains(words), "h1: {h1}");
    assert!(
        page.body.contains(&format!(">{words}</textarea>")),
        "the words are kept in the box"
    );
    assert!(
        page.body.contains("name=\"free\" value=\"1\" checked"),
        "filters kept"
    );
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(
        page.headers.get(header::LOCATION).is_none(),
        "no redirect to a URL with the words"
    );
}

#[tokio::test]
async fn a_long_story_is_kept_whole_and_read_for_a_crisis() {
    let state = state();
    let limit = madoguchi_core::triage::MAX_QUERY_CHARS;
    let mut story = "学校のグループで、ずっと悪口を言われています。".repeat(limit / 20);
    story.push_str("もう消えたい。");
    assert!(story.chars().count() > limit);
    let page = post_search(&state, &format!("q={}", encode(&story))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(">{story}</textarea>")),
        "every word kept"
    );
    assert!(page.body.contains("最初の2000文字"), "says what happened");
    assert!(
        at(&page.body, "crisis-heading").is_some(),
        "crisis past the cut"
    );
}

#[tokio::test]
async fn a_form_that_cannot_be_read_gets_a_page_with_the_emergency_numbers() {
    let state = state();
    // No form content type: the body cannot be read as the search form.
    let request = Request::post("/search")
        .body(Body::from("q=%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84"))
        .unwrap();
    let page = send(&state, request).await;
    assert!(page.status.is_client_error());
    assert!(page.body.contains("href=\"tel:110\"") && page.body.contains("href=\"tel:119\""));
    assert!(page.body.contains("送られた内容を読めませんでした"));
    assert!(page.body.contains("<textarea"), "a search box to try again");
}

#[tokio::test]
async fn an_empty_search_is_no_dead_end() {
    let state = state();
    for page in [
        get(&state, "/search").await,
        post_search(&state, "q=").await,
    ] {
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<textarea"));
        assert!(page.body.contains("href=\"/guide\""));
        assert!(
            page.body.contains("href=\"/categories/"),
            "categories to browse"
        );
    }
}

/// Home → situation → outcome → who → where: the answer with a call or form link is at most
/// four taps from the home page, for every situation.
#[tokio::test]
async fn any_answer_is_at_most_four_taps_from_home() {
    let state = state();
    let home = get(&state, "/").await;
    let links: Vec<String> = home
        .body
        .match_indices("href=\"/guide?situation=")
        .map(|(i, _)| {
            let start = i + "href=\"".len();
            let end = start + home.body[start..].find('"').unwrap();
            home.body[start..end]
                .replace("&amp;", "&")
                .replace("&#38;", "&")
        })
        .collect();
    assert_eq!(
        links.len(),
        state.directory.situations.len(),
        "every situation on home"
    );
    assert!(
        links[0].ends_with("situation=crisis"),
        "crisis first: {}",
        links[0]
    );
    for first in links {
        let mut uri = first.clone();
        let mut taps = 1;
        loop {
            let page = get(&state, &uri).await;
            if page.body.contains("id=\"windows-heading\"")
                || page.body.contains("id=\"crisis-heading\"")
            {
                assert!(
                    page.body.contains("class=\"button\" href=\"tel:")
                        || page.body.contains("class=\"button\" href=\"https://"),
                    "{uri}: no call or form link"
                );
                break;
            }
            let start = page
                .body
                .find("<ul class=\"options\">")
                .unwrap_or_else(|| panic!("{uri}: no options"));
            let href_at = start + page.body[start..].find("href=\"").unwrap() + "href=\"".len();
            let end = href_at + page.body[href_at..].find('"').unwrap();
            uri = page.body[href_at..end]
                .replace("&amp;", "&")
                .replace("&#38;", "&");
            taps += 1;
            assert!(taps <= 4, "{first}: more than four taps, at {uri}");
        }
    }
}

/// The printed list: one sheet per audience, each with 110/119 above its crisis lines and
/// each window once; the poster has 110/119 and the children's crisis lines.
#[tokio::test]
async fn printed_sheets_put_110_119_and_crisis_lines_first_without_duplicates() {
    let state = state();
    let page = get(&state, "/windows/print").await;
    assert_eq!(page.status, StatusCode::OK);
    let sheets: Vec<&str> = page
        .body
        .split("<section class=\"sheet\"")
        .skip(1)
        .collect();
    assert_eq!(sheets.len(), 3, "children, everyone, Saga residents");
    for sheet in &sheets {
        let emergency = sheet.find("110 警察").expect("110 on every sheet");
        assert!(sheet.contains("119 救急"), "119 on every sheet");
        let crisis = sheet.find("つらいとき、いつでも話せます").unwrap();
        let others = sheet.find("困ったときの相談先").unwrap();
        assert!(emergency < crisis && crisis < others);
        let names: Vec<&str> = sheet
            .match_indices("<li class=\"entry\">")
            .map(|(i, _)| {
                let start = i + sheet[i..].find("<strong>").unwrap() + "<strong>".len();
                &sheet[start..start + sheet[start..].find("</strong>").unwrap()]
            })
            .collect();
        assert!(names.len() >= 5, "{names:?}");
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "a window twice: {names:?}");
        assert!(
            sheet.matches("<svg class=\"qr\"").count() >= names.len(),
            "a QR code per window"
        );
    }
    let poster = get(&state, "/windows/poster").await;
    assert!(poster.body.contains("110 警察") && poster.body.contains("0120-0-78310"));
}
