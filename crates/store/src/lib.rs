//! The store: the only crate that speaks SQL. SQLite by default (a file created on first
//! start, no setup), PostgreSQL for several replicas (`postgres://…`), through sqlx's `Any`
//! driver with one set of migrations per back end. It keeps what changes while the service
//! runs: the public's reports of wrong facts, and the audit log.
//!
//! The published directory is not read from here on a request: the public site answers from
//! its in-memory snapshot, and keeps answering while the database is down.
//!
//! The audit log is append-only (triggers refuse UPDATE and DELETE) and hash-chained: each
//! row's hash covers the previous row's hash and its own fields, so a silent edit of history
//! breaks the chain at that row, and `verify_audit` names it.

mod directory;
mod staff;

use std::fmt::Write as _;

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Row};

pub use directory::{
    NewProposal, Proposal, ProposalFile, PublishListener, PublishOutcome, Seeded, VersionFile,
    text_hash,
};
pub use staff::{LOCK_AFTER_FAILURES, LOCK_FOR, SessionRecord, StaffRecord};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database `serve` uses when none is named: a SQLite file in the working directory.
pub const DEFAULT_DATABASE: &str = "madoguchi.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the database up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the audit log was changed: row {seq} does not match its hash")]
    AuditBroken { seq: i64 },
}

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The fact a report is about, as the form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Phone,
    Hours,
    Address,
    Other,
}

impl Fact {
    pub const ALL: [Fact; 4] = [Fact::Phone, Fact::Hours, Fact::Address, Fact::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Phone => "phone",
            Fact::Hours => "hours",
            Fact::Address => "address",
            Fact::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Fact> {
        Fact::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// A report as the public sends it: which window, which fact, what is wrong, where it says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub window_id: String,
    pub fact: Fact,
    pub body: String,
    pub source_url: Option<String>,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    pub window_id: String,
    pub fact: String,
    pub body: String,
    pub source_url: Option<String>,
    pub received_at: String,
    pub status: String,
}

/// An audit entry to append: who did what to which record, why, and the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: String,
    pub diff: String,
}

/// A row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub reason: String,
    pub diff: String,
    pub prev_hash: String,
    pub hash: String,
}

pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The database's URL, for PostgreSQL's LISTEN connection.
    url: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend)
    }
}

/// A database name as given (`madoguchi.db`, `sqlite:…`, `postgres://…`) as a URL and its
/// back end. A plain path is a SQLite file, created when missing.
pub fn database_url(name: &str) -> (String, Backend) {
    if name.starts_with("postgres://") || name.starts_with("postgresql://") {
        (name.to_owned(), Backend::Postgres)
    } else if name.starts_with("sqlite:") {
        (name.to_owned(), Backend::Sqlite)
    } else {
        (format!("sqlite://{name}?mode=rwc"), Backend::Sqlite)
    }
}

impl Store {
    /// Opens the database (creating a SQLite file if needed) and applies the migrations.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (url, backend) = database_url(name);
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 1 } else { 5 })
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&url)
            .await
            .map_err(|source| StoreError::Open {
                url: redact(&url),
                source,
            })?;
        match backend {
            Backend::Sqlite => SQLITE.run(&pool).await?,
            Backend::Postgres => POSTGRES.run(&pool).await?,
        }
        Ok(Store { pool, backend, url })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Stores a report with the time it came; returns its number.
    pub async fn add_report(&self, report: &NewReport, at: Timestamp) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO reports (window_id, fact, body, source_url, received_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&report.window_id)
        .bind(report.fact.as_str())
        .bind(&report.body)
        .bind(report.source_url.as_deref())
        .bind(at.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    /// Every report, newest first; only the open ones with `open_only`.
    pub async fn reports(&self, open_only: bool) -> Result<Vec<Report>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, window_id, fact, body, source_url, received_at, status FROM reports \
             WHERE status = 'open' OR $1 = 0 ORDER BY id DESC",
        )
        .bind(i64::from(open_only))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Report {
                    id: row.try_get(0)?,
                    window_id: row.try_get(1)?,
                    fact: row.try_get(2)?,
                    body: row.try_get(3)?,
                    source_url: row.try_get(4)?,
                    received_at: row.try_get(5)?,
                    status: row.try_get(6)?,
                })
            })
            .collect()
    }

    /// Closes a report, with who closed it and why in the audit log. False if there is no
    /// open report with that number.
    pub async fn close_report(
        &self,
        id: i64,
        actor: &str,
        reason: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("UPDATE reports SET status = 'closed' WHERE id = $1 AND status = 'open'")
                .bind(id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.append_audit(
            &NewAudit {
                actor: actor.to_owned(),
                action: "report.close".to_owned(),
                subject: format!("report:{id}"),
                reason: reason.to_owned(),
                diff: "status: open -> closed".to_owned(),
            },
            at,
        )
        .await?;
        Ok(true)
    }

    /// Appends a row to the audit log, chained to the last one. Two writers at once: the
    /// second gets the primary key conflict and tries again on the new last row.
    pub async fn append_audit(&self, entry: &NewAudit, at: Timestamp) -> Result<i64, StoreError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut connection = self.pool.acquire().await?;
            match insert_audit(&mut connection, entry, at).await {
                Ok(seq) => return Ok(seq),
                Err(error) if attempts < 5 && is_conflict(&error) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The audit log from `since` (inclusive), oldest first.
    pub async fn audit(&self, since: Option<Timestamp>) -> Result<Vec<AuditEntry>, StoreError> {
        let since = since.map(|t| t.to_string()).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, reason, diff, prev_hash, hash FROM audit_log \
             WHERE at >= $1 ORDER BY seq",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    seq: row.try_get(0)?,
                    at: row.try_get(1)?,
                    actor: row.try_get(2)?,
                    action: row.try_get(3)?,
                    subject: row.try_get(4)?,
                    reason: row.try_get(5)?,
                    diff: row.try_get(6)?,
                    prev_hash: row.try_get(7)?,
                    hash: row.try_get(8)?,
                })
            })
            .collect()
    }

    /// Recomputes the chain from the first row; the number of rows, or the first row whose
    /// hash, or link to the row before, does not match.
    pub async fn verify_audit(&self) -> Result<usize, StoreError> {
        let entries = self.audit(None).await?;
        let mut previous = String::new();
        for (expected_seq, row) in (1_i64..).zip(entries.iter()) {
            let entry = NewAudit {
                actor: row.actor.clone(),
                action: row.action.clone(),
                subject: row.subject.clone(),
                reason: row.reason.clone(),
                diff: row.diff.clone(),
            };
            if row.seq != expected_seq
                || row.prev_hash != previous
                || row.hash != chain_hash(&previous, row.seq, &row.at, &entry)
            {
                return Err(StoreError::AuditBroken { seq: row.seq });
            }
            previous.clone_from(&row.hash);
        }
        Ok(entries.len())
    }

    /// Runs a statement as it is: for tests that must do what the application never does
    /// (edit history behind its back).
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Appends an audit row on `connection` (inside the caller's transaction, if any).
async fn insert_audit(
    connection: &mut AnyConnection,
    entry: &NewAudit,
    at: Timestamp,
) -> Result<i64, sqlx::Error> {
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *connection)
        .await?;
    let (seq, prev_hash) = match last {
        Some(row) => (row.try_get::<i64, _>(0)? + 1, row.try_get::<String, _>(1)?),
        None => (1, String::new()),
    };
    let at = at.to_string();
    let hash = chain_hash(&prev_hash, seq, &at, entry);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, reason, diff, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(&at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.reason)
    .bind(&entry.diff)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *connection)
    .await?;
    Ok(seq)
}

/// SHA-256 over the previous hash and the row's fields, each on its own line (a field
/// cannot end early: newlines inside are escaped).
fn chain_hash(prev_hash: &str, seq: i64, at: &str, entry: &NewAudit) -> String {
    let mut hasher = Sha256::new();
    for field in [
        prev_hash,
        &seq.to_string(),
        at,
        &entry.actor,
        &entry.action,
        &entry.subject,
        &entry.reason,
        &entry.diff,
    ] {
        hasher.update(field.replace('\\', "\\\\").replace('\n', "\\n").as_bytes());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// SHA-256 of a text, in hex: how session tokens and file versions are stored.
fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

fn is_conflict(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
