//! Privacy of the access log: a search logs its route template and status, never what the
//! person typed. In a test binary of its own, because tracing caches per-callsite interest
//! process-wide and other tests running without a subscriber would switch the events off.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::civil::Date;
use madoguchi_core::{DataFile, LoadConfig, load};
use madoguchi_web::{AppState, Clock, Limits, router};
use tower::ServiceExt;

fn state() -> Arc<AppState> {
    let files: Vec<DataFile<'_>> = madoguchi_data::files()
        .iter()
        .map(|(path, text)| DataFile { path, text })
        .collect();
    let directory = load(
        &files,
        LoadConfig {
            today: Date::constant(2026, 11, 28),
        },
    )
    .unwrap();
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    let limits = Limits {
        api_per_second: 0,
        ..Limits::DEFAULT
    };
    Arc::new(AppState::new(
        directory,
        Clock::Fixed(at),
        "https://madoguchi.example".to_owned(),
        limits,
    ))
}

/// A writer the test can read back: what the access log printed.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn the_access_log_never_holds_what_a_person_typed() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let state = state();
    let secret = "元彼に裸の写真をばらまかれた";
    let encoded: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
    for uri in [
        format!("/search?q={encoded}"),
        format!("/api/v1/triage?q={encoded}"),
        format!("/guide?situation=sextortion&outcome={encoded}"),
    ] {
        let request = Request::builder().uri(&uri).body(Body::empty()).unwrap();
        let response = router(state.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("route=/search") && log.contains("route=/api/v1/triage"),
        "the log has the route templates: {log}"
    );
    assert!(log.contains("status=200"));
    for needle in [secret, &encoded, "元彼", "ばらまか", "q=", "%E5"] {
        assert!(
            !log.contains(needle),
            "the log must not contain {needle:?}: {log}"
        );
    }
}
