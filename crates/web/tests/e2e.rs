//! The browser suite (`e2e/e2e.mjs`: axe-core, no-JavaScript paths, screenshots) against a live
//! server. It needs Chromium, chromedriver-free Playwright and the npm packages in `e2e/`, so
//! it runs only with `MADOGUCHI_E2E=1` (as `.ci/run` sets); otherwise it says it did not run.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::path::Path;
use std::process::Command;

use madoguchi_web::serve_on;

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
    // With an inbox, so that the correction form is on the window pages and checked too.
    let state = common::state_with_inbox(std::sync::Arc::default());
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
