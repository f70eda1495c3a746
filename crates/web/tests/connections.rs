//! The connection layer on a real socket: a half-sent request and an idle keep-alive
//! connection are closed after the head deadline, one address cannot take every connection,
//! and shutdown ends within its grace period even while a client holds a connection open.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::time::{Duration, Instant};

use madoguchi_web::listener::{ConnectionLimits, serve_connections};
use madoguchi_web::router;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIMITS: ConnectionLimits = ConnectionLimits {
    max_connections: 64,
    per_address: 4,
    header_timeout: Duration::from_millis(300),
    shutdown_grace: Duration::from_millis(300),
    keep_alive_limit: 2,
};

async fn start() -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(common::state());
    let server = tokio::spawn(async move {
        serve_connections(listener, app, LIMITS, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    (addr, stop, server)
}

/// Reads until the server closes the connection or `within` passes; true when it closed.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn a_half_sent_request_and_an_idle_connection_are_closed() {
    let (addr, _stop, _server) = start().await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(
        closed_within(&mut slow, Duration::from_secs(3)).await,
        "a half-sent head is closed"
    );

    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let read = idle.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
    assert!(
        closed_within(&mut idle, Duration::from_secs(3)).await,
        "an idle keep-alive connection is closed"
    );
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let (addr, _stop, _server) = start().await;
    let mut held = Vec::new();
    for _ in 0..LIMITS.per_address {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        held.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert!(
        closed_within(&mut extra, Duration::from_millis(200)).await,
        "a connection over the per-address cap is closed at once"
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut again = TcpStream::connect(addr).await.unwrap();
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    again.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "served again once the others closed"
    );
}

#[tokio::test]
async fn shutdown_ends_within_the_grace_period_while_a_client_holds_on() {
    let (addr, stop, server) = start().await;
    let mut holding = TcpStream::connect(addr).await.unwrap();
    holding
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(3), server)
        .await
        .expect("the server ends")
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the listener is closed"
    );
}

/// The response head of one request on `stream`, which stays open if the server keeps it.
async fn response_head(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let read = stream.read(&mut buffer).await.unwrap();
    String::from_utf8_lossy(&buffer[..read]).to_ascii_lowercase()
}

#[tokio::test]
async fn a_crowd_of_connections_is_not_kept_alive() {
    let (addr, _stop, _server) = start().await;
    let mut first = TcpStream::connect(addr).await.unwrap();
    let head = response_head(&mut first).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("connection: close"), "kept alive: {head}");
    // Two open: the limit. The next connection is answered and closed.
    let _second = TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    let head = response_head(&mut third).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    assert!(closed_within(&mut third, Duration::from_millis(500)).await);
    // The first connection still serves.
    assert!(response_head(&mut first).await.starts_with("http/1.1 200"));
}
