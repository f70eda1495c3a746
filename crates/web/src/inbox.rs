//! Where the public's corrections go ("この情報が違う"). The web crate does not speak SQL:
//! the binary hands it an [`Inbox`] (the store), and tests hand it one in memory. Without an
//! inbox (no database could be opened) the form is not shown.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a person reports: which window, which fact, what is wrong, where it says so. Nothing
/// about the sender: no name, no e-mail, no address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub window_id: String,
    /// `phone`, `hours`, `address` or `other`.
    pub fact: &'static str,
    pub body: String,
    pub source_url: Option<String>,
}

pub type InboxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait Inbox: Send + Sync + std::fmt::Debug {
    /// Keeps a correction; an error means it was not kept (the person is told so).
    fn submit(&self, correction: Correction) -> InboxFuture<'_, Result<(), String>>;
    /// Whether the store answers (for `/readyz`).
    fn reachable(&self) -> InboxFuture<'_, bool>;
}

/// The facts the form offers, with their labels.
pub const FACTS: [(&str, &str); 4] = [
    ("phone", "電話番号"),
    ("hours", "受付時間"),
    ("address", "住所・アドレス"),
    ("other", "そのほか"),
];

/// Longest description accepted, in characters.
pub const MAX_BODY_CHARS: usize = 1000;
/// Longest source URL accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 500;

/// Reports per address in `REPORT_WINDOW`: enough for a person who corrects a few facts,
/// too few for a flood. Kept in memory only, never stored.
const REPORTS_PER_WINDOW: usize = 5;
const REPORT_WINDOW: Duration = Duration::from_secs(600);

/// Recent report times per address, forgotten after `REPORT_WINDOW`.
#[derive(Debug, Default)]
pub struct AddressLimiter {
    recent: Mutex<std::collections::HashMap<IpAddr, Vec<Instant>>>,
}

impl AddressLimiter {
    /// Whether `address` may send a report now (and counts it if so).
    pub fn allow(&self, address: IpAddr, now: Instant) -> bool {
        let mut recent = self
            .recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < REPORT_WINDOW);
            !times.is_empty()
        });
        let times = recent.entry(address).or_default();
        if times.len() >= REPORTS_PER_WINDOW {
            return false;
        }
        times.push(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_reports_per_address_in_ten_minutes() {
        let limiter = AddressLimiter::default();
        let start = Instant::now();
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..5 {
            assert!(limiter.allow(one, start));
        }
        assert!(!limiter.allow(one, start));
        assert!(limiter.allow(two, start), "another address is not limited");
        assert!(limiter.allow(one, start + REPORT_WINDOW), "forgotten later");
    }
}
