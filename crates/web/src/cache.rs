//! Pages that depend only on the data (the home page, the printed lists, the evidence guide,
//! the children's home, the API summary) are rendered and compressed once, on first request,
//! and then served like static files: the encoding the browser accepts (brotli, gzip or
//! none), a strong `ETag` per encoding, and `304` when the browser already has it.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Brotli's quality: the first request (or the warm-up) compresses while others wait for it,
/// so a level that takes milliseconds, not the second that the highest takes on /windows.
const BROTLI_QUALITY: u32 = 6;

/// One page in each encoding.
pub struct Rendered {
    // Bytes: each response shares the page instead of copying it.
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    /// A strong validator per encoding (the bytes differ), from the page's hash.
    tag: String,
}

/// gzip at `level` (1 fastest, 9 smallest); empty if it failed.
fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    match encoder.write_all(bytes) {
        Ok(()) => encoder.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

thread_local! {
    /// One gzip compressor per worker thread, reset between answers: a new one allocated and
    /// zeroed its tables on every answer (docs/BENCHMARKS.md).
    static FAST_GZIP: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new_gzip(flate2::Compression::fast(), 15));
}

/// gzip at the fastest level, for answers made per request; empty if it failed.
fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    FAST_GZIP.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        compressor.reset();
        // Deflate's worst case is a few bytes per stored block over the input, plus the gzip
        // header and trailer.
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 100 + 64);
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
            let input = bytes.get(consumed..).unwrap_or_default();
            match compressor.compress_vec(input, &mut out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(_) => return Vec::new(),
            }
        }
    })
}

/// brotli at `quality` (0 fastest, 11 smallest); empty if it failed.
fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 4096, quality, 22);
    match writer.write_all(bytes).and_then(|()| writer.flush()) {
        Ok(()) => writer.into_inner(),
        Err(_) => Vec::new(),
    }
}

impl Rendered {
    pub fn new(html: String) -> Rendered {
        let identity = html.into_bytes();
        // An encoding that fails is left empty and not offered.
        let gzip = gzip(&identity, 6);
        let brotli = brotli(&identity, BROTLI_QUALITY);
        Rendered {
            tag: format!("{:08x}-{}", crc32fast::hash(&identity), identity.len()),
            identity: Bytes::from(identity),
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
        }
    }

    /// The page in the best encoding the request accepts; `304` when the client has that
    /// representation already (weak comparison, as `If-None-Match` asks).
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        let accepted = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (body, encoding) = if accepts(accepted, "br") && !self.brotli.is_empty() {
            (&self.brotli, Some("br"))
        } else if accepts(accepted, "gzip") && !self.gzip.is_empty() {
            (&self.gzip, Some("gzip"))
        } else {
            (&self.identity, None)
        };
        let opaque = format!("\"{}-{}\"", self.tag, encoding.unwrap_or("identity"));
        let etag = HeaderValue::from_str(&opaque).unwrap_or(HeaderValue::from_static("\"0\""));
        let cache = HeaderValue::from_static(cache_control);
        let vary = HeaderValue::from_static("accept-encoding");
        let fresh = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .map(str::trim)
                    .any(|tag| tag == "*" || tag.trim_start_matches("W/") == opaque)
            });
        if fresh {
            return (
                StatusCode::NOT_MODIFIED,
                [
                    (header::ETAG, etag),
                    (header::CACHE_CONTROL, cache),
                    (header::VARY, vary),
                ],
            )
                .into_response();
        }
        let mut response = (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                (header::VARY, vary),
            ],
            body.clone(),
        )
            .into_response();
        if let Some(encoding) = encoding {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

/// Responses made for one request (answers, the API, errors) are compressed here, in one
/// step and at the fastest levels, with a `Content-Length`. Cached pages arrive compressed
/// already and pass through. (tower-http's streaming compression sent each answer in
/// chunks and took twice as long; every body here is in memory anyway.)
/// `accepted` is the request's `Accept-Encoding`.
pub async fn compress(accepted: &str, mut response: Response) -> Response {
    let compressible = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("text/")
                || t.starts_with("application/json")
                || t.starts_with("image/svg")
        });
    if !compressible || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let encoding = if accepts(accepted, "br") {
        "br"
    } else if accepts(accepted, "gzip") {
        "gzip"
    } else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Below about a packet, compression saves nothing worth its time.
    if bytes.len() < 1024 {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    let compressed = if encoding == "br" {
        brotli(&bytes, 1)
    } else {
        gzip_fast(&bytes)
    };
    if compressed.is_empty() {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    Response::from_parts(parts, axum::body::Body::from(compressed))
}

/// Whether `Accept-Encoding` allows `coding` (present, and not with `q=0`).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// The paths of the pages in `PageCache`, rendered when the server starts.
pub const PRERENDERED: &[&str] = &[
    "/",
    "/windows",
    "/windows/print",
    "/windows/poster",
    "/guide/evidence",
    "/kids",
    "/api",
];

/// Pages that show what is open now (a category, a window): rendered and compressed at most
/// once a minute each, keyed by path. Only pages of windows and categories that exist are
/// kept, so the map is as large as the directory.
#[derive(Default)]
pub struct MinuteCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, (i64, std::sync::Arc<Rendered>)>>,
}

impl MinuteCache {
    /// The page for `key` rendered in `minute`, rendering it if it is older or missing. The
    /// lock is not held while rendering; two requests at a minute's turn may both render.
    pub fn get_or_render<E>(
        &self,
        key: &str,
        minute: i64,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<std::sync::Arc<Rendered>, E> {
        let lock = || {
            self.pages
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((_, page)) = lock().get(key).filter(|(at, _)| *at == minute) {
            return Ok(page.clone());
        }
        let page = std::sync::Arc::new(Rendered::new(render()?));
        lock().insert(key.to_owned(), (minute, page.clone()));
        Ok(page)
    }
}

/// The minute `at` falls in: the key of everything made once a minute.
pub fn minute_of(at: jiff::Timestamp) -> i64 {
    at.as_second().div_euclid(60)
}

/// One value made at most once a minute (two requests at a minute's turn may both make it).
pub struct PerMinute<T> {
    made: std::sync::Mutex<Option<(i64, std::sync::Arc<T>)>>,
}

impl<T> Default for PerMinute<T> {
    fn default() -> Self {
        PerMinute {
            made: std::sync::Mutex::new(None),
        }
    }
}

impl<T> PerMinute<T> {
    pub fn get_or_make(&self, minute: i64, make: impl FnOnce() -> T) -> std::sync::Arc<T> {
        let lock = || {
            self.made
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((_, value)) = lock().as_ref().filter(|(at, _)| *at == minute) {
            return value.clone();
        }
        let value = std::sync::Arc::new(make());
        *lock() = Some((minute, value.clone()));
        value
    }
}

/// Every window's card parts in one language, by window id.
pub type CardsByWindow = std::collections::HashMap<String, std::sync::Arc<crate::views::CardParts>>;

/// The pages rendered once.
#[derive(Default)]
pub struct PageCache {
    /// Per language (`Lang::index`).
    pub home: [OnceLock<Rendered>; 3],
    pub windows: [OnceLock<Rendered>; 3],
    pub print: OnceLock<Rendered>,
    pub poster: OnceLock<Rendered>,
    pub evidence: [OnceLock<Rendered>; 3],
    pub kids: OnceLock<Rendered>,
    pub api: OnceLock<Rendered>,
    /// Category and window pages, once a minute.
    pub minute: MinuteCache,
    /// Every window's card for the answer pages, per language, once a minute. All windows
    /// are made together, so nothing records which windows an answer showed.
    pub cards: [PerMinute<CardsByWindow>; 3],
    /// Every window as an unranked API result, per language, once a minute.
    pub unranked: [PerMinute<crate::json::UnrankedResults>; 3],
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageCache")
    }
}

/// Renders and compresses the data-only pages of `app`, so that no visitor waits for them.
pub(crate) async fn warm(app: axum::Router) {
    for path in PRERENDERED {
        if let Ok(request) = axum::http::Request::get(*path).body(axum::body::Body::empty()) {
            let _ = tower::ServiceExt::oneshot(app.clone(), request).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MinuteCache, PerMinute, accepts};

    #[test]
    fn a_value_is_made_once_a_minute() {
        let cache = PerMinute::<String>::default();
        let mut made = 0;
        let mut make = |text: &str| {
            made += 1;
            text.to_owned()
        };
        let first = cache.get_or_make(7, || make("7:00"));
        let same = cache.get_or_make(7, || make("again"));
        assert!(std::sync::Arc::ptr_eq(&first, &same));
        assert_eq!(*cache.get_or_make(8, || make("8:00")), "8:00");
        // A request for an earlier minute (another clock) is made anew, not served stale.
        assert_eq!(*cache.get_or_make(7, || make("7:00 again")), "7:00 again");
        assert_eq!(made, 3);
    }

    #[test]
    fn a_page_is_rendered_once_a_minute() {
        let cache = MinuteCache::default();
        let mut renders = 0;
        let mut render = |text: &str| {
            renders += 1;
            Ok::<_, ()>(text.to_owned())
        };
        let first = cache.get_or_render("w", 100, || render("open")).unwrap();
        let same = cache.get_or_render("w", 100, || render("changed")).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first, &same));
        let next = cache.get_or_render("w", 101, || render("closed")).unwrap();
        assert_eq!(&next.identity[..], b"closed");
        assert_eq!(renders, 2);
        // A failed render keeps nothing and reports the error.
        assert!(
            cache
                .get_or_render("x", 101, || Err::<String, ()>(()))
                .is_err()
        );
    }

    #[test]
    fn accept_encoding_with_weights() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=0.5, gzip", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "br"));
    }
}
