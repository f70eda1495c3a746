//! Connections: the one place that accepts sockets. One client cannot stop the service:
//! connections are capped overall and per client address, every connection must send its
//! request head within a deadline (also while it idles between keep-alive requests), an
//! accept error such as running out of file descriptors pauses accepting instead of ending
//! it, and on shutdown the listener closes, requests in flight finish, and whatever is left
//! is closed after a grace period, so that SIGTERM always ends the process.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::head;

/// After a shutdown signal, how long a connection may take to start a request it was sent.
const LAST_REQUEST_WINDOW: Duration = Duration::from_millis(200);

/// How many connections, for how long.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Connections open at once from one address; 0 turns the cap off (behind a proxy every
    /// client has the proxy's address).
    pub per_address: usize,
    /// A connection that has not sent a whole request head in this time is closed: slow
    /// senders, and keep-alive connections left idle.
    pub header_timeout: Duration,
    /// After a shutdown signal, requests in flight get this long to finish.
    pub shutdown_grace: Duration,
    /// While this many connections are open, a new one is closed after its response instead
    /// of being kept alive: idle keep-alive connections hold hyper's buffers (16 KB each),
    /// and a flood of them must not fill the memory.
    pub keep_alive_limit: usize,
}

impl ConnectionLimits {
    pub const DEFAULT: ConnectionLimits = ConnectionLimits {
        max_connections: 4096,
        per_address: 256,
        header_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(10),
        keep_alive_limit: 1024,
    };
}

/// Open connections per client address.
#[derive(Default)]
struct PerAddress {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection's place in `PerAddress`, given back when the connection ends.
struct Slot {
    table: Arc<PerAddress>,
    address: IpAddr,
}

impl PerAddress {
    fn take(table: &Arc<PerAddress>, address: IpAddr, cap: usize) -> Option<Slot> {
        let mut open = table.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(address).or_default();
        if cap != 0 && *count >= cap {
            return None;
        }
        *count += 1;
        Some(Slot {
            table: table.clone(),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .table
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve_connections<S>(
    listener: TcpListener,
    app: S,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    S: tower::Service<
            axum::http::Request<Body>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let capacity = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = Arc::new(PerAddress::default());
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // Finished connections leave the set as they end, so it holds only open ones.
        while connections.try_join_next().is_some() {}
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors or a connection reset before accept: wait a little
                // for connections to close, and go on.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = capacity.clone().try_acquire_owned() else {
            continue; // dropping the stream closes it
        };
        let Some(slot) = PerAddress::take(&per_address, peer.ip(), limits.per_address) else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone().map_request(
            move |mut request: hyper::Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request.map(Body::new)
            },
        ));
        let mut closing = closing_seen.clone();
        let keep_alive = limits
            .max_connections
            .saturating_sub(capacity.available_permits())
            < limits.keep_alive_limit;
        connections.spawn(async move {
            let _held = (permit, slot);
            let mut stream = stream;
            // The head first, holding only its bytes (head.rs); on shutdown, a head already
            // on its way gets a moment to arrive, so that nothing accepted goes unanswered.
            let head = {
                let reading = tokio::time::timeout(limits.header_timeout, head::read_head(&mut stream));
                tokio::pin!(reading);
                let read = tokio::select! {
                    read = &mut reading => read,
                    _ = closing.changed() => match tokio::time::timeout(LAST_REQUEST_WINDOW, &mut reading).await {
                        Ok(read) => read,
                        Err(_) => return,
                    },
                };
                match read {
                    Ok(Ok(Some(head))) => head,
                    // Closed, failed, or too slow: nothing to answer.
                    _ => return,
                }
            };
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                // Shutting down already: answer this request and close.
                .keep_alive(keep_alive && !*closing.borrow())
                .serve_connection(TokioIo::new(head::Prefixed::new(head, stream)), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = closing.changed() => {}
            }
            // A request may already sit in the socket unread: give the connection a moment
            // to start it, so that nothing accepted is closed unanswered.
            if tokio::time::timeout(LAST_REQUEST_WINDOW, connection.as_mut())
                .await
                .is_ok()
            {
                return;
            }
            // Finish the request in flight, then close; an idle connection closes now.
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = closing.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = connections.len(),
            "closing connections still open after the grace period"
        );
        connections.abort_all();
    }
    Ok(())
}
