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
use madoguchi_web::staff::{LoginOutcome, OpenReport, StaffDesk, StaffSession};
use madoguchi_web::{AppState, Clock};

const TOKEN: &str = "token-0123456789";
const CSRF: &str = "csrf-abcdef";

#[derive(Debug, Default)]
struct Desk {
    closed: Mutex<Vec<(i64, String, String)>>,
    logged_out: Mutex<bool>,
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
}

fn session() -> StaffSession {
    StaffSession {
        name: "aoki".to_owned(),
        role: "editor".to_owned(),
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
