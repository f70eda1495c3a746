//! `/staff` with a desk in memory: the login form, the session cookie's attributes, CSRF on
//! every form, lock-out and wrong passwords told apart from nothing, the reports inbox and the
//! re-verification queue. The store's side (lock-out counting, idle sessions) is tested in
//! crates/store/tests/store.rs on both back ends.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::send;
use madoguchi_web::inbox::InboxFuture;
use madoguchi_web::staff::{
    LoginOutcome, OpenReport, ProposalSummary, ProposeOutcome, ReviewOutcome, StaffDesk,
    StaffSession, WindowChange, WindowFile,
};
use madoguchi_web::{AppState, Clock};

const TOKEN: &str = "token-0123456789";
const CSRF: &str = "csrf-abcdef";

#[derive(Debug, Default)]
struct Desk {
    closed: Mutex<Vec<(i64, String, String)>>,
    logged_out: Mutex<bool>,
    proposed: Mutex<Vec<WindowChange>>,
}

/// The file the desk hands out for a window: the embedded one.
fn window_text(id: &str) -> Option<String> {
    madoguchi_data::files()
        .iter()
        .find(|(path, _)| *path == format!("windows/{id}.toml"))
        .map(|(_, text)| (*text).to_owned())
}

/// The desk's stand-in for a file hash: its length.
fn hash(text: &str) -> String {
    format!("len-{}", text.len())
}

impl StaffDesk for Desk {
    fn login(
        &self,
        name: String,
        password: String,
    ) -> InboxFuture<'_, Result<LoginOutcome, String>> {
        Box::pin(async move {
            Ok(match (name.as_str(), password.as_str()) {
                ("aoki", "right password") => LoginOutcome::Session {
                    token: TOKEN.to_owned(),
                    session: session(),
                },
                ("locked", _) => LoginOutcome::Locked {
                    until: "2026-12-02T05:15:00Z".to_owned(),
                },
                _ => LoginOutcome::Refused,
            })
        })
    }

    fn session(&self, token: String) -> InboxFuture<'_, Option<StaffSession>> {
        Box::pin(async move { (token == TOKEN && !*self.logged_out.lock().unwrap()).then(session) })
    }

    fn logout(&self, _token: String) -> InboxFuture<'_, ()> {
        Box::pin(async move {
            *self.logged_out.lock().unwrap() = true;
        })
    }

    fn open_reports(&self) -> InboxFuture<'_, Result<Vec<OpenReport>, String>> {
        Box::pin(async move {
            Ok(vec![OpenReport {
                id: 7,
                window_id: "ihaho".to_owned(),
                fact: "phone".to_owned(),
                body: "番号が <違う>".to_owned(),
                source_url: Some("https://www.ihaho.jp/".to_owned()),
                received_at: "2026-12-01T00:00:00Z".to_owned(),
            }])
        })
    }

    fn close_report(
        &self,
        id: i64,
        actor: String,
        reason: String,
    ) -> InboxFuture<'_, Result<bool, String>> {
        Box::pin(async move {
            self.closed.lock().unwrap().push((id, actor, reason));
            Ok(true)
        })
    }

    fn window_file(
        &self,
        window_id: String,
    ) -> InboxFuture<'_, Result<Option<WindowFile>, String>> {
        Box::pin(async move {
            Ok(window_text(&window_id).map(|text| WindowFile {
                version: 1,
                path: format!("windows/{window_id}.toml"),
                hash: hash(&text),
                text,
            }))
        })
    }

    fn propose(&self, change: WindowChange) -> InboxFuture<'_, Result<ProposeOutcome, String>> {
        Box::pin(async move {
            self.proposed.lock().unwrap().push(change);
            Ok(ProposeOutcome::Created(3))
        })
    }

    fn open_proposals(&self) -> InboxFuture<'_, Result<Vec<ProposalSummary>, String>> {
        Box::pin(async move { Ok(Vec::new()) })
    }

    fn proposal(&self, id: i64) -> InboxFuture<'_, Result<Option<ProposalSummary>, String>> {
        Box::pin(async move {
            Ok((id == 3).then(|| ProposalSummary {
                id,
                subject: "window:ihaho".to_owned(),
                author: "someone else".to_owned(),
                reason: "番号".to_owned(),
                created_at: "2026-12-01T00:00:00Z".to_owned(),
                diff: "--- a\n+++ a\n@@ -1 +1 @@\n-name = \"a\"\n+name = \"b\"\n".to_owned(),
                status: "open".to_owned(),
                reviewer: None,
                review_reason: None,
                published_version: None,
            }))
        })
    }

    fn review(
        &self,
        _id: i64,
        _reviewer: String,
        approve: bool,
        _reason: String,
    ) -> InboxFuture<'_, Result<ReviewOutcome, String>> {
        Box::pin(async move {
            if !approve {
                return Ok(ReviewOutcome::Rejected);
            }
            let mut directory = common::saga();
            for window in &mut directory.windows {
                if window.id == "ihaho" {
                    window.name = "新しい名前の窓口".to_owned();
                }
            }
            Ok(ReviewOutcome::Published {
                version: 2,
                directory: Box::new(directory),
            })
        })
    }
}

fn session() -> StaffSession {
    StaffSession {
        name: "aoki".to_owned(),
        role: "reviewer".to_owned(),
        csrf: CSRF.to_owned(),
    }
}

fn state(desk: Arc<Desk>, public_url: &str) -> Arc<AppState> {
    let mut state = AppState::new(
        common::saga(),
        Clock::Fixed(common::wednesday()),
        public_url.to_owned(),
        common::unlimited(),
    );
    state.staff = Some(desk);
    Arc::new(state)
}

fn post(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(form.to_owned())).unwrap()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn without_a_desk_there_is_no_staff_console() {
    let (status, _, _) = send(&common::state(), get("/staff", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_only_for_staff_pages() {
    let desk = Arc::new(Desk::default());
    let (status, _, page) = send(
        &state(desk.clone(), "https://madoguchi.example"),
        get("/staff", None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"autocomplete="current-password""#));

    let (status, headers, _) = send(
        &state(desk.clone(), "https://madoguchi.example"),
        post("/staff/login", "name=aoki&password=right+password", None),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert_eq!(
        cookie,
        format!("madoguchi_staff={TOKEN}; Path=/staff; HttpOnly; SameSite=Strict; Secure")
    );
    let (_, headers, _) = send(
        &state(desk, "http://127.0.0.1:8080"),
        post("/staff/login", "name=aoki&password=right+password", None),
    )
    .await;
    assert!(
        !headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure"),
        "plain http on a developer's machine"
    );
}

#[tokio::test]
async fn wrong_and_locked_sign_ins_keep_the_name_and_say_why() {
    let state = state(Arc::new(Desk::default()), "https://madoguchi.example");
    let (status, headers, page) = send(
        &state,
        post("/staff/login", "name=aoki&password=nope", None),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert!(page.contains("名前かパスワードが違います"));
    assert!(page.contains(r#"value="aoki""#), "the name is kept");
    assert!(!page.contains("nope"), "the password is never sent back");
    let (status, _, page) =
        send(&state, post("/staff/login", "name=locked&password=x", None)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("2026-12-02T05:15:00Z"));
}

#[tokio::test]
async fn every_form_needs_the_sessions_csrf_token() {
    let desk = Arc::new(Desk::default());
    let state = state(desk.clone(), "https://madoguchi.example");
    let cookie = format!("madoguchi_staff={TOKEN}");
    let (status, _, page) = send(&state, get("/staff", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("届いた訂正（1件）"));
    assert!(
        page.contains("番号が &#60;違う&#62;") || page.contains("番号が &lt;違う&gt;"),
        "escaped"
    );
    assert!(page.contains(&format!(r#"name="csrf" value="{CSRF}""#)));
    assert!(
        page.contains("確かめなおす情報"),
        "the re-verification queue"
    );
    assert!(
        page.contains("110"),
        "the emergency numbers on staff pages too"
    );

    for (form, cookie) in [
        ("reason=checked".to_owned(), Some(cookie.as_str())),
        (
            "csrf=wrong&reason=checked".to_owned(),
            Some(cookie.as_str()),
        ),
        (format!("csrf={CSRF}&reason=checked"), None),
    ] {
        let (status, _, _) = send(&state, post("/staff/reports/7/close", &form, cookie)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{form} {cookie:?}");
    }
    assert!(desk.closed.lock().unwrap().is_empty());

    let (status, _, page) = send(
        &state,
        post(
            "/staff/reports/7/close",
            &format!("csrf={CSRF}&reason=+"),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("閉じる理由"));
    let (status, _, _) = send(
        &state,
        post(
            "/staff/reports/7/close",
            &format!("csrf={CSRF}&reason=checked"),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        *desk.closed.lock().unwrap(),
        vec![(7, "aoki".to_owned(), "checked".to_owned())]
    );

    let (status, _, _) = send(&state, post("/staff/logout", "csrf=wrong", Some(&cookie))).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "no logout from another site's form"
    );
    let (status, headers, _) = send(
        &state,
        post("/staff/logout", &format!("csrf={CSRF}"), Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (_, _, page) = send(&state, get("/staff", Some(&cookie))).await;
    assert!(page.contains("スタッフのサインイン"), "signed out");
}

#[tokio::test]
async fn an_edit_cites_its_source_and_a_stale_form_is_a_conflict() {
    let desk = Arc::new(Desk::default());
    let state = state(desk.clone(), "https://madoguchi.example");
    let cookie = format!("madoguchi_staff={TOKEN}");
    let (status, _, page) = send(&state, get("/staff/windows/ihaho/edit", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"name="c0_value""#));
    let (status, headers, _) = send(&state, get("/staff/windows/ihaho/edit", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out: to the sign-in");
    assert_eq!(headers[header::LOCATION], "/staff");
    let (status, _, _) = send(&state, get("/staff/windows/nothing/edit", Some(&cookie))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let text = window_text("ihaho").unwrap();
    let fields = madoguchi_core::edit::fields("windows/ihaho.toml", &text).unwrap();
    let mut form = vec![
        ("csrf".to_owned(), CSRF.to_owned()),
        ("base_hash".to_owned(), hash(&text)),
        ("mode".to_owned(), "fields".to_owned()),
        (
            "name".to_owned(),
            "違法・有害情報相談センター（新）".to_owned(),
        ),
        ("summary".to_owned(), fields.summary.clone()),
        ("description".to_owned(), fields.description.clone()),
        ("url".to_owned(), fields.url.clone()),
        ("source_url".to_owned(), "https://www.ihaho.jp/".to_owned()),
        (
            "source_title".to_owned(),
            "違法・有害情報相談センター".to_owned(),
        ),
        ("reason".to_owned(), "名前が変わった".to_owned()),
    ];
    for (i, channel) in fields.channels.iter().enumerate() {
        form.push((format!("c{i}_value"), channel.value.clone()));
        form.push((format!("c{i}_label"), channel.label.clone()));
        form.push((format!("c{i}_note"), channel.note.clone()));
        form.push((format!("c{i}_hours_note"), channel.hours_note.clone()));
    }
    let body = serde_urlencoded::to_string(&form).unwrap();
    let (status, headers, _) = send(
        &state,
        post("/staff/windows/ihaho/edit", &body, Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/staff/proposals/3");
    let change = desk.proposed.lock().unwrap().pop().unwrap();
    assert_eq!(change.author, "aoki");
    assert!(
        change
            .text
            .contains("name = \"違法・有害情報相談センター（新）\"")
    );
    assert!(
        change.text.contains("checked = 2026-12-02"),
        "the source is cited with the day it was read: {}",
        change.text
    );
    assert!(change.diff.contains("+name = "), "{}", change.diff);

    // A form opened on another version of the file: 409, the live file in the form.
    form[1].1 = "len-0".to_owned();
    let body = serde_urlencoded::to_string(&form).unwrap();
    let (status, _, page) = send(
        &state,
        post("/staff/windows/ihaho/edit", &body, Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("ほかの人がこの窓口を変えて公開しました"));
    assert!(
        page.contains("<ins>+name = "),
        "their change is shown: {page}"
    );
    assert!(page.contains("名前が変わった"), "their reason is kept");
    assert!(desk.proposed.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_approval_swaps_the_live_directory_for_the_next_request() {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let desk = Arc::new(Desk::default());
    let state = state(desk, "https://madoguchi.example");
    let live = madoguchi_web::live::Live::new(state.clone());
    let fetch = |path: &'static str, body: Option<String>| {
        let live = live.clone();
        async move {
            let mut request = match &body {
                Some(_) => Request::post(path)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
                None => Request::get(path),
            };
            request = request.header(header::COOKIE, format!("madoguchi_staff={TOKEN}"));
            let request = request.body(Body::from(body.unwrap_or_default())).unwrap();
            let response = live.service().oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    assert_eq!(live.version(), 0);
    let (_, page) = fetch("/windows/ihaho", None).await;
    assert!(!page.contains("新しい名前の窓口"));
    let (_, home) = fetch("/staff", None).await;
    assert!(home.contains("<h3>en: 0件</h3>") && home.contains("<h3>easy: 0件</h3>"));
    let (status, page) = fetch("/staff/proposals/3", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("承認して公開する"),
        "a reviewer sees the approval form"
    );
    let (status, _) = fetch(
        "/staff/proposals/3/review",
        Some(format!(
            "csrf={CSRF}&reason=%E7%A2%BA%E3%81%8B%E3%82%81%E3%81%9F&decision=approve"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(live.version(), 2);
    let (_, page) = fetch("/windows/ihaho", None).await;
    assert!(
        page.contains("新しい名前の窓口"),
        "served from the next request on"
    );
    // The new name has no English or やさしい日本語 yet: the console says so, and the English
    // page shows it in Japanese, marked as such.
    let (_, home) = fetch("/staff", None).await;
    let translations = home.split("id=\"translations\"").nth(1).unwrap();
    assert!(translations.contains("<h3>en: 1件</h3>"), "{translations}");
    assert!(translations.contains("新しい名前の窓口"));
    let (_, english) = fetch("/en/windows/ihaho", None).await;
    assert!(
        english.contains("<h1 lang=\"ja\">新しい名前の窓口"),
        "{english}"
    );
    // A request that started on the old snapshot keeps it whole.
    let (_, _, old) = send(&state, get("/windows/ihaho", None)).await;
    assert!(!old.contains("新しい名前の窓口"));
    // An older version arriving late does not replace the newer one.
    assert!(!live.install(1, common::saga()));
    assert_eq!(live.version(), 2);
}
