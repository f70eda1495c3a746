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
pub mod lang;
pub mod listener;
pub mod live;
pub mod messages;
pub(crate) mod pages;
pub mod ruby;
pub mod say;
pub mod server;
pub mod staff;
pub mod views;
pub mod week;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use jiff::Timestamp;
use madoguchi_core::Directory;
use tower_http::set_header::SetResponseHeaderLayer;

pub use assets::AssetPaths;
pub use messages::{EASY, EN, JA, Messages};
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
    /// The same directory with its texts in English and in やさしい日本語 (`data/lang/`), for
    /// the pages and answers in those languages. Triage always reads `directory`.
    pub en_directory: Directory,
    pub easy_directory: Directory,
    /// The languages some window serves, for the search's filter and `/languages`: worked out
    /// once, not on every search.
    pub(crate) served_languages: Vec<(&'static str, &'static str)>,
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
    /// The same for the English and やさしい日本語 pages.
    pub en_frame: views::Frame,
    pub easy_frame: views::Frame,
    /// Each window's QR code (inline SVG) for the printed lists, drawn on first need: only
    /// the cached list pages show them, and drawing them all would slow the start.
    qr_codes: std::sync::OnceLock<std::collections::HashMap<String, String>>,
    /// Where corrections from the public go; `None` hides the form.
    pub inbox: Option<std::sync::Arc<dyn inbox::Inbox>>,
    /// The staff's desk (accounts, sessions, the reports inbox); `None` turns `/staff` off.
    pub staff: Option<std::sync::Arc<dyn staff::StaffDesk>>,
    /// Sign-ins per address, in memory only (kept across versions).
    pub(crate) login_limiter: Arc<inbox::AddressLimiter>,
    /// Corrections per address, in memory only (kept across versions).
    pub(crate) report_limiter: Arc<inbox::AddressLimiter>,
    /// The published version this state serves (0: the built-in data, no store).
    pub version: i64,
    /// The live directory this state belongs to, for the console to publish into.
    pub(crate) live: std::sync::OnceLock<std::sync::Weak<live::Live>>,
    /// The directory as HSDS tables, for `/hsds/`, built on first request.
    pub(crate) hsds: std::sync::OnceLock<hsds::Tables>,
    /// What the API's answers write the same way every time, per language (`Lang::index`),
    /// made on first need.
    prepared_json: [std::sync::OnceLock<json::Prepared>; 3],
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

    /// What the API's answers in `lang` write the same way every time.
    pub fn prepared_json(&self, lang: lang::Lang) -> &json::Prepared {
        self.prepared_json[lang.index()]
            .get_or_init(|| json::Prepared::new(self.directory_in(lang)))
    }

    /// The QR code of the site itself, for the poster.
    pub fn site_qr(&self) -> String {
        views::qr_svg(&format!("{}/", self.public_url.trim_end_matches('/')))
    }

    pub fn new(directory: Directory, clock: Clock, public_url: String, limits: Limits) -> AppState {
        let fallback_html = views::fallback_html(&directory, &JA);
        let en_directory = directory.in_language(lang::Lang::En.code());
        let easy_directory = directory.in_language(lang::Lang::Easy.code());
        AppState {
            pages: cache::PageCache::default(),
            served_languages: pages::served_languages(&directory),
            engine: madoguchi_core::triage::Engine::new(&directory),
            frame: views::Frame::new(&directory, &JA),
            kids_frame: views::Frame::new(&directory, &messages::KIDS),
            en_frame: views::Frame::new(&en_directory, &messages::EN),
            easy_frame: views::Frame::new(&easy_directory, &messages::EASY),
            en_directory,
            easy_directory,
            qr_codes: std::sync::OnceLock::new(),
            hsds: std::sync::OnceLock::new(),
            prepared_json: Default::default(),
            inbox: None,
            report_limiter: Arc::default(),
            staff: None,
            login_limiter: Arc::default(),
            version: 0,
            live: std::sync::OnceLock::new(),
            directory,
            clock,
            assets: AssetPaths::new(),
            public_url,
            limits,
            fallback_html,
        }
    }
}

impl AppState {
    /// The state for a newly published `directory`: new indexes and caches, the same clock,
    /// address, limits, store and per-address counts.
    pub fn successor(&self, directory: Directory, version: i64) -> AppState {
        let mut next = AppState::new(directory, self.clock, self.public_url.clone(), self.limits);
        next.inbox.clone_from(&self.inbox);
        next.staff.clone_from(&self.staff);
        next.login_limiter = self.login_limiter.clone();
        next.report_limiter = self.report_limiter.clone();
        next.version = version;
        if let Some(live) = self.live.get() {
            let _ = next.live.set(live.clone());
        }
        next
    }

    /// The frame of pages in `lang`.
    pub fn frame_in(&self, lang: lang::Lang) -> &views::Frame {
        match lang {
            lang::Lang::Ja => &self.frame,
            lang::Lang::En => &self.en_frame,
            lang::Lang::Easy => &self.easy_frame,
        }
    }

    /// The directory whose texts are in `lang`.
    pub fn directory_in(&self, lang: lang::Lang) -> &Directory {
        match lang {
            lang::Lang::Ja => &self.directory,
            lang::Lang::En => &self.en_directory,
            lang::Lang::Easy => &self.easy_directory,
        }
    }

    /// The live directory, when this state is served through one.
    pub(crate) fn live(&self) -> Option<Arc<live::Live>> {
        self.live.get().and_then(std::sync::Weak::upgrade)
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
pub async fn serve(addr: SocketAddr, live: Arc<live::Live>) -> std::io::Result<()> {
    serve_live(listen(addr)?, live).await
}

/// Connections the kernel may hold before they are accepted. tokio's `bind` asks for 1,024;
/// with thousands of clients reconnecting at once a full queue dropped new connections, and a
/// dropped SYN waits a second to be sent again (seen as a 1 s `/healthz` in bench/clients.sh).
/// The kernel caps it at `net.core.somaxconn`.
const ACCEPT_BACKLOG: u32 = 8192;

fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As `TcpListener::bind` does: a restarted server may bind while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Like `serve`, on a listener the caller bound (tests bind port 0), for one fixed state.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> std::io::Result<()> {
    serve_live(listener, live::Live::new(state)).await
}

/// Serves the live directory on `listener`: each request goes to the version live when it
/// arrives.
pub async fn serve_live(
    listener: tokio::net::TcpListener,
    live: Arc<live::Live>,
) -> std::io::Result<()> {
    let state = live.state();
    let limits = state.limits.connections;
    // Render and compress the data-only pages now, beside the first requests, so that no
    // visitor waits for the slowest compression.
    tokio::spawn(cache::warm(router(state)));
    listener::serve_connections(listener, live.service(), limits, shutdown_signal()).await
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
