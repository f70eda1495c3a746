//! SIGTERM during load: the real binary stops accepting, finishes every request it accepted,
//! and exits 0. Clients that connect after the signal are refused; none gets a cut response.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// One request with `Connection: close`. `None` when the connection was refused (the server
/// is gone); otherwise the whole response, which must be complete.
fn fetch(port: u16, path: &str) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return None;
    }
    let mut response = Vec::new();
    match stream.read_to_end(&mut response) {
        Ok(_) => Some(response),
        // Reset before any byte: the connection was never served (closed while listening
        // stopped), which is not a cut response.
        Err(_) if response.is_empty() => None,
        Err(error) => panic!("a response was cut: {error}"),
    }
}

fn complete(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("content-length: ")
            .map(|v| v.trim().parse::<usize>().unwrap())
    });
    head.starts_with("HTTP/1.1 200") && length.is_none_or(|n| n == body.len())
}

#[test]
fn sigterm_during_load_finishes_in_flight_requests() {
    let port = common::free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--api-rate",
            "0",
        ])
        .env("RUST_LOG", "warn")
        .env(
            "MADOGUCHI_DATABASE",
            std::env::temp_dir().join(format!("madoguchi-test-{}-{port}.db", std::process::id())),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while fetch(port, "/healthz").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        thread::sleep(Duration::from_millis(10));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let completed = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..16)
        .map(|i| {
            let (stop, completed) = (stop.clone(), completed.clone());
            thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/windows"
                } else {
                    "/api/v1/triage?q=%E6%82%AA%E5%8F%A3"
                };
                while !stop.load(Ordering::Relaxed) {
                    match fetch(port, path) {
                        Some(response) => {
                            assert!(
                                complete(&response),
                                "an accepted request got a cut or failed response: {:?}",
                                String::from_utf8_lossy(&response[..response.len().min(300)])
                            );
                            completed.fetch_add(1, Ordering::Relaxed);
                        }
                        None => return,
                    }
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(500));
    let before = completed.load(Ordering::Relaxed);
    assert!(before > 0, "requests were served before the signal");
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop after SIGTERM"
        );
        thread::sleep(Duration::from_millis(10));
    };
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().expect("no client saw a cut response");
    }
    assert!(exit.success(), "the server exits cleanly: {exit:?}");
    println!(
        "{} requests completed, {before} before SIGTERM",
        completed.load(Ordering::Relaxed)
    );
}
