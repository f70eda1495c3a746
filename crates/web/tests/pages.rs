//! The public pages through the router, without a socket (`oneshot`): a snapshot of each page
//! type, the headers on every response, the weight budget, and the emergency numbers on
//! error pages.

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
    /// The body's length as sent (compressed when asked for).
    bytes: usize,
}

async fn get(state: &Arc<AppState>, uri: &str) -> Fetched {
    get_with(state, uri, &[]).await
}

async fn get_with(state: &Arc<AppState>, uri: &str, headers: &[(&str, &str)]) -> Fetched {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Fetched {
        status,
        headers,
        bytes: bytes.len(),
        // Compressed bodies are not text; the tests that ask for them look at headers.
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The checks every HTML page passes: one h1, lang, landmarks, the emergency numbers.
fn check_html(uri: &str, body: &str) {
    assert!(body.starts_with("<!doctype html>"), "{uri}");
    let lang = if uri.starts_with("/en") { "en" } else { "ja" };
    assert!(
        body.contains(&format!("<html lang=\"{lang}\">")),
        "{uri}: lang"
    );
    assert_eq!(body.matches("<h1").count(), 1, "{uri}: exactly one h1");
    assert!(body.contains("<main id=\"main\">"), "{uri}: main landmark");
    assert!(
        body.contains("href=\"tel:110\"") && body.contains("href=\"tel:119\""),
        "{uri}: 110 and 119"
    );
    assert!(body.contains("data-exit"), "{uri}: quick exit");
    assert!(!body.contains("<script>"), "{uri}: no inline script");
    for (index, _) in body.match_indices("href=\"https://") {
        let tag_start = body[..index].rfind('<').unwrap();
        let tag_end = index + body[index..].find('>').unwrap();
        let tag = &body[tag_start..tag_end];
        assert!(
            tag.contains("noreferrer"),
            "{uri}: external link without noreferrer: {tag}"
        );
    }
}

const PAGES: &[(&str, &str)] = &[
    ("home", "/"),
    (
        "search_defamation",
        "/search?q=LINE%E3%81%A7%E6%82%AA%E5%8F%A3%E3%82%92%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%9F",
    ),
    (
        "search_crisis",
        "/search?q=%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84",
    ),
    (
        // 娘が死にたいと言っている: the crisis of someone the person knows.
        "search_crisis_other",
        "/search?q=%E5%A8%98%E3%81%8C%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84%E3%81%A8%E8%A8%80%E3%81%A3%E3%81%A6%E3%81%84%E3%82%8B",
    ),
    ("guide_first", "/guide"),
    ("guide_outcome", "/guide?situation=defamation"),
    (
        "guide_answer",
        "/guide?situation=defamation&outcome=delete-for-me&who=adult&where=saga",
    ),
    ("category", "/categories/report"),
    ("window", "/windows/consumer-hotline-188"),
    ("about", "/about"),
    ("evidence", "/guide/evidence"),
    ("kids", "/kids"),
    ("kids_answer", "/kids/answer?situation=cyberbullying"),
    ("print", "/windows/print"),
    ("poster", "/windows/poster"),
    ("languages", "/languages"),
    ("en_about", "/en/about"),
    ("easy_about", "/easy/about"),
    ("en_home", "/en"),
    ("en_window", "/en/windows/consumer-hotline-188"),
    ("easy_home", "/easy"),
    ("not_found", "/no/such/page"),
];

#[tokio::test]
async fn every_page_type_snapshot() {
    let state = state();
    for (name, uri) in PAGES {
        let page = get(&state, uri).await;
        let expected = if *name == "not_found" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(page.status, expected, "{uri}");
        check_html(uri, &page.body);
        insta::assert_snapshot!(*name, page.body);
    }
}

#[tokio::test]
async fn all_windows_page_lists_each_window_and_stays_small_on_a_phone() {
    let state = state();
    let page = get(&state, "/windows").await;
    assert_eq!(page.status, StatusCode::OK);
    check_html("/windows", &page.body);
    for window in &state.directory.windows {
        assert!(
            page.body
                .contains(&format!("href=\"/windows/{}\"", window.id)),
            "{}",
            window.id
        );
    }
    // QR codes are for paper: the printed sheets have them, the screen list links there.
    assert!(!page.body.contains("<svg"), "no inline images on the list");
    assert!(page.body.contains("href=\"/windows/print\""));
    assert!(
        page.body.len() < 60 * 1024,
        "/windows is {} bytes",
        page.body.len()
    );
}

#[tokio::test]
async fn window_and_category_pages_are_served_as_bytes_with_validators() {
    let state = state();
    for uri in ["/windows/ihaho", "/categories/defamation"] {
        let first = get(&state, uri).await;
        let etag = first.headers["etag"].to_str().unwrap().to_owned();
        assert_eq!(first.headers["cache-control"], "no-cache", "{uri}");
        let again = get_with(&state, uri, &[("if-none-match", &format!("W/{etag}"))]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        let brotli = get_with(&state, uri, &[("accept-encoding", "br")]).await;
        assert_eq!(brotli.headers["content-encoding"], "br", "{uri}");
        assert_ne!(brotli.headers["etag"], first.headers["etag"], "{uri}");
    }
}

#[tokio::test]
async fn security_and_privacy_headers_on_every_response() {
    let state = state();
    let css = state.assets.css.clone();
    for uri in PAGES
        .iter()
        .map(|(_, uri)| *uri)
        .chain(["/windows", css.as_str()])
    {
        let page = get(&state, uri).await;
        let h = |name: &str| {
            page.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        assert!(
            h("content-security-policy").contains("default-src 'none'"),
            "{uri}"
        );
        assert!(
            h("content-security-policy").contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(h("referrer-policy"), "no-referrer", "{uri}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
        assert!(h("permissions-policy").contains("camera=()"), "{uri}");
        assert!(
            page.headers.get(header::SET_COOKIE).is_none(),
            "{uri}: no cookies"
        );
    }
}

#[tokio::test]
async fn search_results_are_never_cached_and_assets_are() {
    let state = state();
    let page = get(&state, "/search?q=test").await;
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let css = get(&state, &state.assets.css.clone()).await;
    assert!(
        css.headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(
        get(&state, "/static/style-0000.css").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Issues #5 and #15: every page a person in trouble goes through (home, the questions,
/// answers, a category, a window, the evidence guide), in each language, stays under 30 KB of
/// HTML + CSS; the lists of every window (`/windows`, `/languages`) under 30 KB as sent.
#[tokio::test]
async fn weight_budget() {
    let state = state();
    let css = get(&state, &state.assets.css.clone()).await.body.len();
    let crisis_words = "X%E3%81%A7%E3%81%9A%E3%81%A3%E3%81%A8%E6%82%AA%E5%8F%A3%E3%82%92%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%A6%E3%81%84%E3%81%A6%E3%80%81%E3%82%82%E3%81%86%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84";
    for prefix in ["", "/en", "/easy"] {
        let pages = [
            format!("{prefix}/guide"),
            format!("{prefix}/guide/evidence"),
            format!("{prefix}/search?q={crisis_words}"),
            format!("{prefix}{}", PAGES[1].1),
            format!("{prefix}{}", PAGES[5].1),
            format!("{prefix}/guide?situation=defamation&outcome=consult&who=adult&where=saga"),
            format!("{prefix}/categories/general"),
            format!("{prefix}/categories/report"),
            format!("{prefix}/windows/consumer-hotline-188"),
            format!("{prefix}/windows/moj-minna-110"),
        ];
        let home = if prefix.is_empty() { "/" } else { prefix };
        for uri in std::iter::once(home.to_owned()).chain(pages) {
            let page = get(&state, &uri).await;
            assert_eq!(page.status, StatusCode::OK, "{uri}");
            let html = page.body.len();
            assert!(html + css < 30 * 1024, "{uri}: {html} + {css} bytes");
        }
        // The lists of every window grow with the directory: they are held to the budget as
        // sent, compressed (every browser asks for gzip).
        for list in ["/windows", "/languages"] {
            let uri = format!("{prefix}{list}");
            let page = get_with(&state, &uri, &[("accept-encoding", "gzip")]).await;
            assert_eq!(
                page.headers.get("content-encoding").unwrap(),
                "gzip",
                "{uri}"
            );
            let sent = page.bytes;
            assert!(sent < 30 * 1024, "{uri}: {sent} bytes gzip");
        }
    }
}

#[tokio::test]
async fn markup_in_the_query_is_escaped() {
    let state = state();
    let page = get(&state, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!page.body.contains("<script>alert"));
    assert!(page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"));
}

/// From the home page, each of the page's three groups reaches a window's call or form link
/// in two taps: the group button, then the card's button.
#[tokio::test]
async fn two_taps_from_home_to_a_tel_or_form_link_for_each_page_group() {
    let state = state();
    let home = get(&state, "/").await.body;
    for category in state.directory.categories.iter().filter(|c| c.from_page) {
        let link = format!("href=\"/categories/{}\"", category.id);
        assert!(home.contains(&link), "home links {}", category.id);
        let page = get(&state, &format!("/categories/{}", category.id))
            .await
            .body;
        assert!(
            page.contains("class=\"button\" href=\"tel:")
                || page.contains("class=\"button\" href=\"https://"),
            "{} has an action button",
            category.id
        );
    }
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_asks() {
    let state = state();
    for encoding in ["br", "gzip"] {
        let response = router(state.clone())
            .oneshot(
                Request::builder()
                    .uri("/")
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            encoding
        );
    }
}

#[test]
fn the_fallback_page_for_render_failures_shows_the_emergency_numbers() {
    let state = state();
    let html = &state.fallback_html;
    assert!(html.contains("href=\"tel:110\"") && html.contains("href=\"tel:119\""));
    assert!(
        html.contains("0120-279-338"),
        "the free 24-hour crisis line from the data"
    );
}

#[test]
fn the_availability_line_reads_channel_by_channel() {
    let directory = common::saga();
    let saturday = "2026-11-28T11:00:00+09:00".parse().unwrap();
    let window = directory.window("moj-kodomo-110").unwrap();
    let line =
        madoguchi_web::views::availability_line(&directory, window, saturday, &madoguchi_web::JA);
    assert_eq!(
        line,
        "電話は受付時間外（次は11月30日 8:30から）・LINEは要確認・Webフォームはいつでも送れます（返事は後日）"
    );
    // A form is never 「いま受付中」: that reads as live help.
    let ihaho = directory.window("ihaho").unwrap();
    let line =
        madoguchi_web::views::availability_line(&directory, ihaho, saturday, &madoguchi_web::JA);
    assert!(!line.contains("受付中"), "{line}");
}

/// Pages that depend only on the data are served like static files: the same bytes in the
/// encoding asked for, a weak ETag, and 304 when the browser has them.
#[tokio::test]
async fn data_only_pages_are_rendered_once_and_served_precompressed() {
    use std::io::Read;
    let state = state();
    for uri in [
        "/",
        "/windows",
        "/windows/print",
        "/guide/evidence",
        "/kids",
        "/api",
    ] {
        let plain = get(&state, uri).await;
        assert_eq!(plain.status, StatusCode::OK, "{uri}");
        let etag = plain
            .headers
            .get(header::ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            etag.ends_with("-identity\""),
            "{uri}: a strong tag per encoding: {etag}"
        );
        let request = |encoding: &str| {
            Request::builder()
                .uri(uri)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap()
        };
        let response = router(state.clone()).oneshot(request("br")).await.unwrap();
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "br",
            "{uri}"
        );
        assert_eq!(
            response.headers().get(header::VARY).unwrap(),
            "accept-encoding"
        );
        assert_ne!(
            response
                .headers()
                .get(header::ETAG)
                .unwrap()
                .to_str()
                .unwrap(),
            etag,
            "{uri}: the brotli bytes have their own tag"
        );
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let mut html = String::new();
        brotli::Decompressor::new(&bytes[..], 4096)
            .read_to_string(&mut html)
            .unwrap();
        assert_eq!(html, plain.body, "{uri}: brotli holds the same page");
        let response = router(state.clone())
            .oneshot(request("gzip;q=1, br;q=0"))
            .await
            .unwrap();
        assert_eq!(
            response.headers().get(header::CONTENT_ENCODING).unwrap(),
            "gzip",
            "{uri}"
        );
        let again = router(state.clone())
            .oneshot(
                Request::builder()
                    .uri(uri)
                    .header(header::IF_NONE_MATCH, format!("W/{etag}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            again.status(),
            StatusCode::NOT_MODIFIED,
            "{uri}: weak comparison"
        );
    }
}

#[tokio::test]
async fn windows_that_speak_a_language_are_listed_under_it_with_the_channel_that_does() {
    let state = state();
    let home = get(&state, "/").await;
    assert!(home.body.contains(r#"<a href="/languages">"#));
    let page = get(&state, "/languages").await;
    assert_eq!(page.status, StatusCode::OK);
    let english = page
        .body
        .split(r#"<h2 id="lang-en" lang="en">English</h2>"#)
        .nth(1)
        .expect("an English section")
        .split("</section>")
        .next()
        .unwrap();
    assert!(english.contains("/windows/houterasu-multilingual"));
    assert!(
        english.contains(r#"href="tel:0570078377""#),
        "Houterasu's interpreted line"
    );
    // DV相談＋: the chat serves English; its phone is not said to, so it is not the button.
    assert!(english.contains("/windows/dv-soudan-plus"));
    assert!(
        english.contains(r#"href="https://form.soudanplus.jp/ja""#),
        "{english}"
    );
    assert!(!english.contains(r#"href="tel:0120279889""#));
    assert!(!page.body.contains("/windows/childline"), "Japanese only");
    assert!(page.body.contains(r#"lang="vi">Tiếng Việt</h2>"#));
}

#[tokio::test]
async fn every_language_has_the_same_pages_and_a_switch_that_keeps_the_page() {
    let state = state();
    for (path, lang) in [
        ("/en", r#"<html lang="en">"#),
        ("/easy", r#"<html lang="ja">"#),
        ("/en/search", r#"<html lang="en">"#),
        ("/en/guide?situation=defamation", r#"<html lang="en">"#),
        ("/easy/guide/evidence", r#"<html lang="ja">"#),
        ("/en/categories/report", r#"<html lang="en">"#),
        ("/en/windows", r#"<html lang="en">"#),
        ("/easy/windows/childline", r#"<html lang="ja">"#),
        ("/en/languages", r#"<html lang="en">"#),
    ] {
        let page = get(&state, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(lang), "{path}");
        check_html(path, &page.body);
        assert!(
            page.body.contains("tel:110") && page.body.contains("tel:119"),
            "{path}"
        );
        assert!(
            page.body.len() < 40 * 1024,
            "{path}: {} bytes",
            page.body.len()
        );
    }
    let home = get(&state, "/en").await.body;
    assert!(
        home.contains("Find out where to get help"),
        "the English catalog"
    );
    assert!(home.contains(r#"<form class="search" action="/en/search""#));
    assert!(
        home.contains(r#"href="/en/guide?situation="#),
        "guided answers stay in English"
    );
    assert!(home.contains(r#"<link rel="alternate" hreflang="ja-x-easy" href="/easy">"#));
    // The switch keeps the page, and the guided answers (ids only) with it.
    let guide = get(&state, "/en/guide?situation=defamation").await.body;
    assert!(
        guide.contains(
            r#"<a href="/guide?situation=defamation" hreflang="ja" lang="ja">日本語</a>"#
        ),
        "{guide}"
    );
    assert!(guide.contains(r#"<a href="/easy/guide?situation=defamation""#));
    // Words typed into a search never travel to another language's address.
    let searched = get(&state, "/en/search?q=test").await.body;
    assert!(searched.contains(r#"<a href="/search" hreflang="ja""#));
    // やさしい日本語 pages carry ふりがな.
    assert!(
        get(&state, "/easy")
            .await
            .body
            .contains("<rt>そうだん</ruby>")
    );
    let redirect = get(&state, "/en/").await;
    assert_eq!(redirect.status, StatusCode::PERMANENT_REDIRECT);
}

/// The windows' ids in a results page's answer section, in order.
fn answer_ids(body: &str, base: &str) -> Vec<String> {
    let start = body.find("id=\"windows-heading\"").unwrap_or(body.len());
    let end = body[start..]
        .find("</section>")
        .map_or(body.len(), |end| start + end);
    let section = &body[start..end];
    let pattern = format!("<h3><a href=\"{base}/windows/");
    section
        .match_indices(&pattern)
        .map(|(at, _)| {
            let rest = &section[at + pattern.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The search's language filter keeps the windows a source says speak the language; when
/// none of the fitting ones does, it keeps them all and says so. Crisis lines are never
/// filtered out.
#[tokio::test]
async fn the_language_filter_keeps_windows_that_speak_it() {
    let state = state();
    let scam = "/en/search?q=I%20was%20scammed%20when%20shopping%20online";
    let all = answer_ids(&get(&state, scam).await.body, "/en");
    let filtered_page = get(&state, &format!("{scam}&language=vi")).await.body;
    let filtered = answer_ids(&filtered_page, "/en");
    assert!(
        !filtered.is_empty() && filtered.len() < all.len(),
        "{all:?} → {filtered:?}"
    );
    for id in &filtered {
        let window = state.directory.window(id).unwrap();
        let speaks = window
            .channels
            .iter()
            .filter_map(|c| c.languages.as_ref())
            .any(|l| l.codes.iter().any(|c| c == "vi"));
        assert!(speaks, "{id} does not speak Vietnamese");
    }
    assert!(filtered_page.contains(r#"<option value="vi" selected lang="vi">"#));
    // A crisis: the crisis lines stay, whatever language was asked for.
    let crisis = get(&state, "/en/search?q=I%20want%20to%20die&language=ne")
        .await
        .body;
    let section = crisis.split("id=\"crisis-heading\"").nth(1).unwrap();
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.matches("<li class=\"card\">").count() >= 2,
        "{section}"
    );
}

#[tokio::test]
async fn english_pages_put_windows_that_speak_english_first() {
    let state = state();
    let query = "/search?q=Someone%20keeps%20posting%20lies%20and%20insults%20about%20me%20online";
    let cards = |body: &str, base: &str| -> Vec<String> {
        let results = body
            .split("class=\"cards\"")
            .last()
            .unwrap_or_default()
            .to_owned();
        results
            .match_indices(&format!("<h3><a href=\"{base}/windows/"))
            .map(|(at, pattern)| {
                let rest = &results[at + pattern.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .collect()
    };
    let japanese = cards(&get(&state, query).await.body, "");
    let english = cards(&get(&state, &format!("/en{query}")).await.body, "/en");
    assert_eq!(
        {
            let mut a = japanese.clone();
            a.sort();
            a
        },
        {
            let mut b = english.clone();
            b.sort();
            b
        },
        "the same windows"
    );
    let speaks = |id: &str| {
        [
            "houterasu-multilingual",
            "moj-foreign-language",
            "dv-soudan-plus",
        ]
        .contains(&id)
    };
    assert!(english.iter().any(|id| speaks(id)), "{english:?}");
    let first_other = english
        .iter()
        .position(|id| !speaks(id))
        .unwrap_or(english.len());
    assert!(
        english[first_other..].iter().all(|id| !speaks(id)),
        "English-speaking windows first: {english:?} (Japanese order {japanese:?})"
    );
    // The window's own texts are in English; its Japanese name, what a person says on the
    // phone, stays beside it marked as Japanese for screen readers.
    let window = get(&state, "/en/windows/childline").await.body;
    assert!(window.contains("<h1>Childline</h1>"), "{window}");
    assert!(window.contains("<p class=\"lead\" lang=\"ja\">チャイルドライン"));
}

/// A text the data has no translation for (a summary changed yesterday) shows in Japanese,
/// marked `lang="ja"`, and the rest of the page stays English.
#[tokio::test]
async fn an_untranslated_text_shows_in_japanese_marked_as_japanese() {
    let mut directory = common::saga();
    let summary = directory.window("childline").unwrap().summary.clone();
    let index = directory.window_index["childline"];
    directory.windows[index].summary = format!("{summary}（変更）");
    let state = Arc::new(AppState::new(
        directory,
        madoguchi_web::Clock::Fixed(jiff::Timestamp::UNIX_EPOCH),
        "https://madoguchi.example".to_owned(),
        common::unlimited(),
    ));
    let window = get(&state, "/en/windows/childline").await.body;
    assert!(
        window.contains(&format!("<p lang=\"ja\">{summary}（変更）</p>")),
        "{window}"
    );
    assert!(window.contains("<h1>Childline</h1>"));
}
