//! The browser suite (`e2e/e2e.mjs`: axe-core, no-JavaScript paths, screenshots) against a live
//! server. It needs Chromium, chromedriver-free Playwright and the npm packages in `e2e/`, so
//! it runs only with `MADOGUCHI_E2E=1` (as `.ci/run` sets); otherwise it says it did not run.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use jiff::civil::Date;
use madoguchi_core::{DataFile, LoadConfig, load};
use madoguchi_web::{AppState, Clock, Limits, serve_on};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_suite() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    if std::env::var("MADOGUCHI_E2E").as_deref() != Ok("1") {
        println!(
            "browser suite NOT run: set MADOGUCHI_E2E=1 (needs chromium, node and `npm ci` in e2e/)"
        );
        return;
    }
    assert!(
        e2e.join("node_modules").exists(),
        "run `npm ci` in e2e/ first"
    );
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
    let state = Arc::new(AppState::new(
        directory,
        Clock::Fixed(at),
        "http://127.0.0.1".to_owned(),
        unlimited(),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve_on(listener, state));
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(e2e.join("e2e.mjs"))
            .env("MADOGUCHI_URL", &url)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser suite failed");
}

/// The server's limits without API rate limiting: these tests send many requests from one
/// client on purpose.
fn unlimited() -> Limits {
    Limits {
        api_per_second: 0,
        ..Limits::DEFAULT
    }
}
