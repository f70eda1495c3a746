//! Shared by the web crate's tests: the embedded Saga data and an application state with a
//! fixed clock.

#![allow(dead_code, clippy::unwrap_used)] // Each test file uses a part; tests fail loudly.

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use jiff::civil::Date;
use madoguchi_core::{DataFile, Directory, LoadConfig, load};
use madoguchi_web::inbox::{Correction, Inbox, InboxFuture};
use madoguchi_web::{AppState, Clock, Limits};

/// The embedded Saga data.
pub fn saga() -> Directory {
    let files: Vec<DataFile<'_>> = madoguchi_data::files()
        .iter()
        .map(|(path, text)| DataFile { path, text })
        .collect();
    load(&files, LoadConfig::full(Date::constant(2026, 11, 30))).unwrap()
}

/// A Wednesday afternoon: pages and answers do not change with the clock.
pub fn wednesday() -> Timestamp {
    "2026-12-02T14:00:00+09:00".parse().unwrap()
}

/// The server's limits without API rate limiting: tests send many requests from one client
/// on purpose.
pub fn unlimited() -> Limits {
    Limits {
        api_per_second: 0,
        ..Limits::DEFAULT
    }
}

pub fn state_with(limits: Limits) -> Arc<AppState> {
    Arc::new(AppState::new(
        saga(),
        Clock::Fixed(wednesday()),
        "https://madoguchi.example".to_owned(),
        limits,
    ))
}

pub fn state() -> Arc<AppState> {
    state_with(unlimited())
}

/// An inbox in memory; `broken` plays a database that is down.
#[derive(Debug, Default)]
pub struct Memory {
    pub kept: Mutex<Vec<Correction>>,
    pub broken: bool,
}

impl Inbox for Memory {
    fn submit(&self, correction: Correction) -> InboxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            if self.broken {
                return Err("the database is down".to_owned());
            }
            self.kept.lock().unwrap().push(correction);
            Ok(())
        })
    }

    fn reachable(&self) -> InboxFuture<'_, bool> {
        Box::pin(async move { !self.broken })
    }
}

/// The usual state with corrections going to `inbox`.
pub fn state_with_inbox(inbox: Arc<Memory>) -> Arc<AppState> {
    let mut state = AppState::new(
        saga(),
        Clock::Fixed(wednesday()),
        "https://madoguchi.example".to_owned(),
        unlimited(),
    );
    state.inbox = Some(inbox);
    Arc::new(state)
}

/// Sends one request through the whole application (no socket): status, headers, body.
pub async fn send(
    state: &Arc<AppState>,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let response = madoguchi_web::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}
