//! The access log of the real binary: one line a request in the format asked for, no colour
//! codes when stderr is not a terminal, never what a person typed, and every line written out
//! when the server stops.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn request(port: u16, head: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.write_all(head.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    Some(String::from_utf8_lossy(&response).into_owned())
}

/// Runs the server with `format`, sends a search and a missing page, stops it, and returns
/// the log lines of those requests.
fn log_of(format: &str) -> Vec<String> {
    let port = free_port();
    let server = Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--log-format", format])
        .env_remove("RUST_LOG")
        .env(
            "MADOGUCHI_DATABASE",
            std::env::temp_dir().join(format!("madoguchi-test-{}-{port}.db", std::process::id())),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let get = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    while request(port, &get("/healthz")).is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "no start");
        std::thread::sleep(Duration::from_millis(10));
    }
    let secret = "%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84secretword";
    let search = format!(
        "POST /search HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\nq={secret}",
        secret.len() + 2
    );
    assert!(request(port, &search).unwrap().starts_with("HTTP/1.1 200"));
    assert!(
        request(port, &get(&format!("/search?q={secret}")))
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
    assert!(
        request(port, &get("/windows/secretword"))
            .unwrap()
            .starts_with("HTTP/1.1 404")
    );
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = server.wait_with_output().unwrap();
    let log = String::from_utf8(output.stderr).unwrap();
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file:\n{log}"
    );
    assert!(
        !log.contains("secretword"),
        "typed words in the log:\n{log}"
    );
    assert!(!log.contains("%E6"), "typed words in the log:\n{log}");
    log.lines()
        .filter(|l| l.contains("/search") || l.contains("/windows/{id}"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn text_log_is_one_compact_line_a_request() {
    let lines = log_of("text");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].contains("method=POST route=/search status=200"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("method=GET route=/search status=200"),
        "{lines:?}"
    );
    assert!(
        lines[2].contains("route=/windows/{id} status=404"),
        "{lines:?}"
    );
}

#[test]
fn json_log_is_one_object_a_request() {
    let lines = log_of("json");
    assert_eq!(lines.len(), 3, "{lines:?}");
    let entries: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(entries[0]["route"], "/search");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[2]["route"], "/windows/{id}");
    assert_eq!(entries[2]["status"], 404);
    assert!(entries.iter().all(|e| e["latency_us"].is_u64()));
}
