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

/// A window's data file in the live version, with the hash a proposal records for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowFile {
    pub version: i64,
    pub path: String,
    pub text: String,
    pub hash: String,
}

/// A change to one window's file, as an editor sends it (already citing its source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowChange {
    pub author: String,
    pub window_id: String,
    pub path: String,
    /// The hash of the file the editor started from (`WindowFile::hash`).
    pub base_hash: String,
    pub text: String,
    pub diff: String,
    pub reason: String,
}

/// What sending a change came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposeOutcome {
    Created(i64),
    /// The file changed since the form was opened: the form comes back with the new file.
    Conflict,
    /// The directory with this change breaks a rule: `check`'s messages.
    Refused(Vec<String>),
}

/// A proposal, for the lists and its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalSummary {
    pub id: i64,
    pub subject: String,
    pub author: String,
    pub reason: String,
    pub created_at: String,
    pub diff: String,
    pub status: String,
    pub reviewer: Option<String>,
    pub review_reason: Option<String>,
    pub published_version: Option<i64>,
}

/// What a review came to.
#[derive(Debug)]
pub enum ReviewOutcome {
    /// Approved and published: the directory to serve from now on.
    Published {
        version: i64,
        directory: Box<madoguchi_core::Directory>,
    },
    Rejected,
    /// A file it changes was changed by a publish since: the author must make it again.
    Conflict {
        path: String,
    },
    /// The new directory breaks a rule.
    Refused(Vec<String>),
    /// Its author cannot approve it.
    SameAuthor,
    /// This account may not review.
    NotAllowed,
    /// Not an open proposal.
    NotOpen,
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
    /// A window's file in the live version; `None` for an unknown window.
    fn window_file(&self, window_id: String)
    -> InboxFuture<'_, Result<Option<WindowFile>, String>>;
    /// Stores a change as a proposal, if the file is still the one it started from and the
    /// directory with it passes `check`.
    fn propose(&self, change: WindowChange) -> InboxFuture<'_, Result<ProposeOutcome, String>>;
    /// The open proposals, newest first.
    fn open_proposals(&self) -> InboxFuture<'_, Result<Vec<ProposalSummary>, String>>;
    fn proposal(&self, id: i64) -> InboxFuture<'_, Result<Option<ProposalSummary>, String>>;
    /// Approves (and publishes) or rejects a proposal as `reviewer`.
    fn review(
        &self,
        id: i64,
        reviewer: String,
        approve: bool,
        reason: String,
    ) -> InboxFuture<'_, Result<ReviewOutcome, String>>;
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
