//! What the web crate knows of the staff: a [`StaffDesk`] the binary hands in (accounts,
//! sessions and reports in the store, passwords checked with argon2id), so that this crate
//! speaks no SQL and holds no secret. Without a desk, `/staff` answers 404.

use crate::inbox::InboxFuture;

/// A signed-in person: who, in which role, and the token their forms must carry (CSRF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub name: String,
    pub role: String,
    pub csrf: String,
}

/// What a login attempt gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in: the token goes into the session cookie.
    Session {
        token: String,
        session: StaffSession,
    },
    /// Wrong name or password (which of the two is not said).
    Refused,
    /// Too many failed attempts; try again after this time (RFC 3339).
    Locked { until: String },
}

/// An open report, for the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    pub id: i64,
    pub window_id: String,
    pub fact: String,
    pub body: String,
    pub source_url: Option<String>,
    pub received_at: String,
}

pub trait StaffDesk: Send + Sync + std::fmt::Debug {
    fn login(
        &self,
        name: String,
        password: String,
    ) -> InboxFuture<'_, Result<LoginOutcome, String>>;
    /// The session of a cookie's token, if it is live (it counts as used now).
    fn session(&self, token: String) -> InboxFuture<'_, Option<StaffSession>>;
    fn logout(&self, token: String) -> InboxFuture<'_, ()>;
    fn open_reports(&self) -> InboxFuture<'_, Result<Vec<OpenReport>, String>>;
    /// Closes a report with who and why in the audit log; false if it was not open.
    fn close_report(
        &self,
        id: i64,
        actor: String,
        reason: String,
    ) -> InboxFuture<'_, Result<bool, String>>;
}

/// The session cookie's name; it is sent only under `/staff`.
pub const COOKIE: &str = "madoguchi_staff";

/// The cookie's value in a `Cookie` header.
pub fn cookie_token(header: &str) -> Option<&str> {
    header
        .split(';')
        .map(str::trim)
        .find_map(|pair| pair.strip_prefix(COOKIE)?.strip_prefix('='))
        .filter(|token| !token.is_empty())
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        assert_eq!(cookie_token("a=1; madoguchi_staff=abc; b=2"), Some("abc"));
        assert_eq!(cookie_token("madoguchi_staffx=abc"), None);
        assert_eq!(cookie_token("madoguchi_staff="), None);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
