//! Privacy of the access log: a search logs its route template and status, never what the
//! person typed. In a test binary of its own, because tracing caches per-callsite interest
//! process-wide and other tests running without a subscriber would switch the events off.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use madoguchi_web::router;
use tower::ServiceExt;

use common::state;

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
    // The search box posts its words; neither they nor the body reach the log.
    let request = Request::post("/search")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("q={encoded}")))
        .unwrap();
    let response = router(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
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
