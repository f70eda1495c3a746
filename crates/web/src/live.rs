//! The live directory: the router of the newest published version, swapped atomically when a
//! version is published (from this process's staff console, or seen from another replica).
//!
//! Each request takes the snapshot that is live when it starts (an `ArcSwap` load, no lock),
//! so a request never sees half of one directory and half of another, and a keep-alive
//! connection moves to the new version with its next request. A snapshot is a whole
//! `AppState` with its own triage indexes and page caches; what lives across versions (the
//! store, the per-address limits) is carried over by `AppState::successor`.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use arc_swap::ArcSwap;
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use madoguchi_core::Directory;

use crate::AppState;

struct Snapshot {
    state: Arc<AppState>,
    router: Router,
}

pub struct Live {
    current: ArcSwap<Snapshot>,
    /// One install at a time, so that an older version never replaces a newer one.
    installing: Mutex<()>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Live(version {})", self.version())
    }
}

impl Live {
    /// The live directory, starting with `state`.
    pub fn new(state: Arc<AppState>) -> Arc<Live> {
        Arc::new_cyclic(|weak| {
            let _ = state.live.set(weak.clone());
            Live {
                current: ArcSwap::from_pointee(Snapshot {
                    router: crate::router(state.clone()),
                    state,
                }),
                installing: Mutex::new(()),
            }
        })
    }

    /// The number of the version being served (0: the built-in data, no store).
    pub fn version(&self) -> i64 {
        self.current.load().state.version
    }

    /// The state being served now.
    pub fn state(&self) -> Arc<AppState> {
        self.current.load().state.clone()
    }

    /// Serves `directory` as `version` from the next request on, if it is newer than the live
    /// one; false if it is not (already installed, or an older notice arriving late).
    pub fn install(&self, version: i64, directory: Directory) -> bool {
        let _one_at_a_time = self
            .installing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        if version <= current.state.version {
            return false;
        }
        let state = Arc::new(current.state.successor(directory, version));
        let router = crate::router(state.clone());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(crate::cache::warm(router.clone()));
        }
        self.current.store(Arc::new(Snapshot { state, router }));
        true
    }

    /// A service that hands each request to the router live when it arrives.
    pub fn service(self: &Arc<Live>) -> LiveService {
        LiveService(self.clone())
    }
}

#[derive(Clone, Debug)]
pub struct LiveService(Arc<Live>);

impl tower::Service<Request<Body>> for LiveService {
    type Response = Response;
    type Error = Infallible;
    type Future = <Router as tower::Service<Request<Body>>>::Future;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // A router is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let mut router = self.0.current.load().router.clone();
        tower::Service::call(&mut router, request)
    }
}
