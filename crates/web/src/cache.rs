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

impl Rendered {
    pub fn new(html: String) -> Rendered {
        let identity = html.into_bytes();
        // An encoding that fails is left empty and not offered.
        let gzip = {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            match encoder.write_all(&identity) {
                Ok(()) => encoder.finish().unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        };
        let brotli = {
            let mut writer = brotli::CompressorWriter::new(Vec::new(), 4096, BROTLI_QUALITY, 22);
            match writer.write_all(&identity).and_then(|()| writer.flush()) {
                Ok(()) => writer.into_inner(),
                Err(_) => Vec::new(),
            }
        };
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

/// The pages rendered once.
#[derive(Default)]
pub struct PageCache {
    pub home: OnceLock<Rendered>,
    pub windows: OnceLock<Rendered>,
    pub print: OnceLock<Rendered>,
    pub poster: OnceLock<Rendered>,
    pub evidence: OnceLock<Rendered>,
    pub kids: OnceLock<Rendered>,
    pub api: OnceLock<Rendered>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageCache")
    }
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_with_weights() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=0.5, gzip", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "br"));
    }
}
