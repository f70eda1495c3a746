//! madoguchi-web: the public web UI (server-rendered, works without JavaScript) and, later, the
//! JSON API. This is the only crate that speaks HTTP, HTML and JSON; it turns the core's model
//! and answers into pages and never logs or stores what a person types.

pub mod api;
mod assets;
mod cache;
pub mod export;
mod head;
pub mod hsds;
mod hsds_api;
pub mod inbox;
pub mod json;
pub mod listener;
mod messages;
pub(crate) mod pages;
pub mod ruby;
pub mod say;
pub mod server;
pub mod staff;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use jiff::Timestamp;
use madoguchi_core::Directory;
use tower_http::set_header::SetResponseHeaderLayer;

pub use assets::AssetPaths;
pub use messages::{JA, Messages};
pub use server::Limits;

/// Where "now" comes from: the system clock in production, a fixed instant in tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(at) => at,
        }
    }
}

/// Everything a request needs, shared by all handlers.
#[derive(Debug)]
pub struct AppState {
    pub directory: Directory,
    /// Triage's indexes, built once from `directory`.
    pub engine: madoguchi_core::triage::Engine,
    pub clock: Clock,
    pub assets: AssetPaths,
    /// The site's own address, for the QR codes on the printed list.
    pub public_url: String,
    pub limits: Limits,
    /// What every page shows around its content (the crisis line, the verified dates).
    pub frame: views::Frame,
    /// The same for the children's pages (dates without 日, whose reading depends on the day).
    pub kids_frame: views::Frame,
    /// Each window's QR code (inline SVG) for the printed lists, drawn on first need: only
    /// the cached list pages show them, and drawing them all would slow the start.
    qr_codes: std::sync::OnceLock<std::collections::HashMap<String, String>>,
    /// Where corrections from the public go; `None` hides the form.
    pub inbox: Option<std::sync::Arc<dyn inbox::Inbox>>,
    /// The staff's desk (accounts, sessions, the reports inbox); `None` turns `/staff` off.
    pub staff: Option<std::sync::Arc<dyn staff::StaffDesk>>,
    /// Sign-ins per address, in memory only.
    pub(crate) login_limiter: inbox::AddressLimiter,
    /// Corrections per address, in memory only.
    pub(crate) report_limiter: inbox::AddressLimiter,
    /// The directory as HSDS tables, for `/hsds/`, built on first request.
    pub(crate) hsds: std::sync::OnceLock<hsds::Tables>,
    /// Pages that depend only on the data, rendered and compressed once.
    pub(crate) pages: cache::PageCache,
    /// A page that needs no template, with 110/119 and a crisis line, served when rendering
    /// fails: the emergency numbers must show even then.
    pub fallback_html: String,
}

impl AppState {
    /// A window's QR code (its page on this site), drawn with the others on first need.
    pub fn qr_code(&self, window: &str) -> String {
        self.qr_codes
            .get_or_init(|| {
                let base = self.public_url.trim_end_matches('/');
                self.directory
                    .windows
                    .iter()
                    .map(|w| {
                        (
                            w.id.clone(),
                            views::qr_svg(&format!("{base}/windows/{}", w.id)),
                        )
                    })
                    .collect()
            })
            .get(window)
            .cloned()
            .unwrap_or_default()
    }

    /// The QR code of the site itself, for the poster.
    pub fn site_qr(&self) -> String {
        views::qr_svg(&format!("{}/", self.public_url.trim_end_matches('/')))
    }

    pub fn new(directory: Directory, clock: Clock, public_url: String, limits: Limits) -> AppState {
        let fallback_html = views::fallback_html(&directory, &JA);
        AppState {
            pages: cache::PageCache::default(),
            engine: madoguchi_core::triage::Engine::new(&directory),
            frame: views::Frame::new(&directory, &JA),
            kids_frame: views::Frame::new(&directory, &messages::KIDS),
            qr_codes: std::sync::OnceLock::new(),
            hsds: std::sync::OnceLock::new(),
            inbox: None,
            report_limiter: inbox::AddressLimiter::default(),
            staff: None,
            login_limiter: inbox::AddressLimiter::default(),
            directory,
            clock,
            assets: AssetPaths::new(),
            public_url,
            limits,
            fallback_html,
        }
    }
}

/// The security and privacy headers every response carries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=(), interest-cohort=()";

/// The whole application as a router, for `serve` and for tests (`oneshot`, no socket).
/// The security headers, the default `Cache-Control` and compression are added by
/// `server::front_door`, in the one middleware every request passes.
pub fn router(state: Arc<AppState>) -> Router {
    let api = server::rate_limited(api::routes().merge(hsds_api::routes()), state.limits).layer(
        SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
    );
    server::harden(api.merge(pages::routes()), &state).with_state(state)
}

/// The security and privacy headers every response carries.
pub(crate) const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    ),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// Runs the server until Ctrl-C or SIGTERM, then lets in-flight requests finish (within the
/// grace period of `ConnectionLimits`).
pub async fn serve(addr: SocketAddr, state: Arc<AppState>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, state).await
}

/// Like `serve`, on a listener the caller bound (tests bind port 0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> std::io::Result<()> {
    let limits = state.limits.connections;
    let app = router(state);
    // Render and compress the data-only pages now, beside the first requests, so that no
    // visitor waits for the slowest compression.
    let warm = app.clone();
    tokio::spawn(async move {
        for path in cache::PRERENDERED {
            if let Ok(request) = axum::http::Request::get(*path).body(axum::body::Body::empty()) {
                let _ = tower::ServiceExt::oneshot(warm.clone(), request).await;
            }
        }
    });
    listener::serve_connections(listener, app, limits, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
