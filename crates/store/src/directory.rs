//! The published directory, version by version, and the staff's proposals.
//!
//! A version is every data file as published; the live directory is the newest version. A
//! proposal holds the files it changes, each with the hash of the text it replaces: at
//! approval, a file changed since then is a conflict (nothing is merged silently), the whole
//! new set must pass the caller's `check`, and then the new version, the proposal's status and
//! the audit row are written in one transaction. A process killed in the middle leaves the
//! old version or the new one, never a mix. On PostgreSQL the transaction also notifies
//! `madoguchi_publish`, which every replica listens to.

use jiff::Timestamp;
use sqlx::Row;

use crate::{Backend, NewAudit, Store, StoreError, insert_audit, is_conflict, sha256_hex};

/// The channel a publish is announced on (PostgreSQL).
const CHANNEL: &str = "madoguchi_publish";

/// The hash a proposal records for the file it replaces ('' for a file that is new).
pub fn text_hash(text: &str) -> String {
    sha256_hex(text)
}

/// A hash over a whole set of files (paths and texts), to tell one release from another.
fn files_hash(files: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort();
    let joined: String = sorted
        .iter()
        .map(|(path, text)| format!("{path}\n{}\n", sha256_hex(text)))
        .collect();
    sha256_hex(&joined)
}

/// What `seed` did with the built-in data on start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// An empty store: the built-in data became version 1.
    Created(i64),
    /// A newer release, and no staff change since the last one: it became the live version.
    Updated(i64),
    /// The live version is this release's data, as it was seeded.
    Unchanged(i64),
    /// The live version is staff changes published after this release's data.
    Edited(i64),
    /// The release's data differs from the last release in the store and staff changes were
    /// published since: the store's version stays live (use `import` to propose the release).
    Diverged(i64),
}

/// A data file of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFile {
    pub path: String,
    pub text: String,
}

/// A file a proposal changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalFile {
    pub path: String,
    /// `text_hash` of the text it replaces; empty for a new file.
    pub base_hash: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    /// What it changes, for lists: `window:ID` or `import`.
    pub subject: String,
    pub author: String,
    pub reason: String,
    pub base_version: i64,
    pub diff: String,
    pub files: Vec<ProposalFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub subject: String,
    pub author: String,
    pub reason: String,
    pub created_at: String,
    pub base_version: i64,
    pub diff: String,
    /// `open`, `published` or `rejected`.
    pub status: String,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_reason: Option<String>,
    pub published_version: Option<i64>,
}

/// What an approval came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishOutcome {
    Published {
        version: i64,
    },
    Rejected,
    /// A file the proposal changes was changed by another publish after the proposal was
    /// made: the author must make it again on the live version.
    Conflict {
        path: String,
    },
    /// The new directory breaks a rule: `check`'s messages.
    Refused(Vec<String>),
    /// The reviewer wrote the proposal: a second person must approve it.
    SameAuthor,
    /// The account may not approve (not a reviewer or admin, or no such account).
    NotAllowed,
    /// No open proposal has that number.
    NotOpen,
}

/// A `SELECT` of every column `proposal` reads, followed by the rest of the statement.
macro_rules! select_proposals {
    ($rest:literal) => {
        concat!(
            "SELECT id, subject, author, reason, created_at, base_version, diff, status, ",
            "reviewer, reviewed_at, review_reason, published_version FROM proposals ",
            $rest
        )
    };
}

fn proposal(row: &sqlx::any::AnyRow) -> Result<Proposal, sqlx::Error> {
    Ok(Proposal {
        id: row.try_get(0)?,
        subject: row.try_get(1)?,
        author: row.try_get(2)?,
        reason: row.try_get(3)?,
        created_at: row.try_get(4)?,
        base_version: row.try_get(5)?,
        diff: row.try_get(6)?,
        status: row.try_get(7)?,
        reviewer: row.try_get(8)?,
        reviewed_at: row.try_get(9)?,
        review_reason: row.try_get(10)?,
        published_version: row.try_get(11)?,
    })
}

async fn insert_version(
    connection: &mut sqlx::AnyConnection,
    version: i64,
    files: &[(String, String)],
    origin: (&str, &str, Option<i64>, &str),
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    let (published_by, kind, proposal_id, release_hash) = origin;
    sqlx::query(
        "INSERT INTO directory_versions \
         (version, published_at, published_by, origin, proposal_id, release_hash) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(version)
    .bind(at.to_string())
    .bind(published_by)
    .bind(kind)
    .bind(proposal_id)
    .bind(release_hash)
    .execute(&mut *connection)
    .await?;
    for (path, text) in files {
        sqlx::query("INSERT INTO directory_files (version, path, text) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(path)
            .bind(text)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The live version's number; `None` before the first start has seeded the store.
    pub async fn latest_version(&self) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT MAX(version) FROM directory_versions")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?)
    }

    /// Every data file of a version, by path.
    pub async fn version_files(&self, version: i64) -> Result<Vec<VersionFile>, StoreError> {
        let rows =
            sqlx::query("SELECT path, text FROM directory_files WHERE version = $1 ORDER BY path")
                .bind(version)
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|row| {
                Ok(VersionFile {
                    path: row.try_get(0)?,
                    text: row.try_get(1)?,
                })
            })
            .collect()
    }

    /// Makes the built-in data (`files`) the live version when the store is new, or when it
    /// is a newer release and no staff change was published since the last one.
    pub async fn seed(
        &self,
        files: &[(String, String)],
        at: Timestamp,
    ) -> Result<Seeded, StoreError> {
        let release = files_hash(files);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut tx = self.pool().begin().await?;
            let latest = sqlx::query(
                "SELECT version, origin FROM directory_versions ORDER BY version DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?;
            let (version, outcome) = match latest {
                None => (1, Seeded::Created(1)),
                Some(row) => {
                    let version: i64 = row.try_get(0)?;
                    let origin: String = row.try_get(1)?;
                    let last_release = sqlx::query(
                        "SELECT release_hash FROM directory_versions WHERE origin = 'release' \
                         ORDER BY version DESC LIMIT 1",
                    )
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|row| row.try_get::<String, _>(0))
                    .transpose()?;
                    if last_release.as_deref() == Some(release.as_str()) {
                        return Ok(if origin == "release" {
                            Seeded::Unchanged(version)
                        } else {
                            Seeded::Edited(version)
                        });
                    }
                    if origin != "release" {
                        return Ok(Seeded::Diverged(version));
                    }
                    (version + 1, Seeded::Updated(version + 1))
                }
            };
            let written = async {
                insert_version(
                    &mut tx,
                    version,
                    files,
                    ("release", "release", None, &release),
                    at,
                )
                .await?;
                insert_audit(
                    &mut tx,
                    &NewAudit {
                        actor: "release".to_owned(),
                        action: "directory.publish".to_owned(),
                        subject: format!("version:{version}"),
                        reason: "the data built into this release".to_owned(),
                        diff: format!("{} files", files.len()),
                    },
                    at,
                )
                .await?;
                self.notify(&mut tx, version).await
            }
            .await;
            match written {
                Ok(()) => {
                    tx.commit().await?;
                    return Ok(outcome);
                }
                // Another replica seeded at the same moment: look again.
                Err(error) if attempts < 5 && is_conflict(&error) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    async fn notify(&self, tx: &mut sqlx::AnyConnection, version: i64) -> Result<(), sqlx::Error> {
        if self.backend() == Backend::Postgres {
            // Delivered when the transaction commits, and only then.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(version.to_string())
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }

    /// Stores a proposal and its audit row; returns its number.
    pub async fn propose(&self, proposal: &NewProposal, at: Timestamp) -> Result<i64, StoreError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut tx = self.pool().begin().await?;
            let written: Result<i64, sqlx::Error> = async {
                let row = sqlx::query(
                    "INSERT INTO proposals (subject, author, reason, created_at, base_version, diff) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(&proposal.subject)
                .bind(&proposal.author)
                .bind(&proposal.reason)
                .bind(at.to_string())
                .bind(proposal.base_version)
                .bind(&proposal.diff)
                .fetch_one(&mut *tx)
                .await?;
                let id: i64 = row.try_get(0)?;
                for file in &proposal.files {
                    sqlx::query(
                        "INSERT INTO proposal_files (proposal_id, path, base_hash, text) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(&file.path)
                    .bind(&file.base_hash)
                    .bind(&file.text)
                    .execute(&mut *tx)
                    .await?;
                }
                insert_audit(
                    &mut tx,
                    &NewAudit {
                        actor: proposal.author.clone(),
                        action: "proposal.create".to_owned(),
                        subject: format!("proposal:{id} {}", proposal.subject),
                        reason: proposal.reason.clone(),
                        diff: proposal.diff.clone(),
                    },
                    at,
                )
                .await?;
                Ok(id)
            }
            .await;
            match written {
                Ok(id) => {
                    tx.commit().await?;
                    return Ok(id);
                }
                Err(error) if attempts < 5 && is_conflict(&error) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Proposals, newest first; only the open ones with `open_only`.
    pub async fn proposals(&self, open_only: bool) -> Result<Vec<Proposal>, StoreError> {
        let rows = sqlx::query(select_proposals!(
            "WHERE status = 'open' OR $1 = 0 ORDER BY id DESC"
        ))
        .bind(i64::from(open_only))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(proposal).collect::<Result<_, _>>()?)
    }

    /// A proposal and its files.
    pub async fn proposal(
        &self,
        id: i64,
    ) -> Result<Option<(Proposal, Vec<ProposalFile>)>, StoreError> {
        let Some(row) = sqlx::query(select_proposals!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let files = sqlx::query(
            "SELECT path, base_hash, text FROM proposal_files WHERE proposal_id = $1 ORDER BY path",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(ProposalFile {
                path: row.try_get(0)?,
                base_hash: row.try_get(1)?,
                text: row.try_get(2)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        Ok(Some((proposal(&row)?, files)))
    }

    /// Rejects an open proposal (its author may withdraw it; otherwise a reviewer or admin).
    pub async fn reject(
        &self,
        id: i64,
        reviewer: &str,
        reason: &str,
        at: Timestamp,
    ) -> Result<PublishOutcome, StoreError> {
        let Some((proposal, _)) = self.proposal(id).await? else {
            return Ok(PublishOutcome::NotOpen);
        };
        if proposal.status != "open" {
            return Ok(PublishOutcome::NotOpen);
        }
        if proposal.author != reviewer && !self.may_review(reviewer).await? {
            return Ok(PublishOutcome::NotAllowed);
        }
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE proposals SET status = 'rejected', reviewer = $1, reviewed_at = $2, \
             review_reason = $3 WHERE id = $4 AND status = 'open'",
        )
        .bind(reviewer)
        .bind(at.to_string())
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(PublishOutcome::NotOpen);
        }
        insert_audit(
            &mut tx,
            &NewAudit {
                actor: reviewer.to_owned(),
                action: "proposal.reject".to_owned(),
                subject: format!("proposal:{id} {}", proposal.subject),
                reason: reason.to_owned(),
                diff: String::new(),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(PublishOutcome::Rejected)
    }

    async fn may_review(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .staff(name)
            .await?
            .is_some_and(|account| matches!(account.role.as_str(), "reviewer" | "admin")))
    }

    /// Approves a proposal and publishes the directory it makes, if a second person approves
    /// it, no file it changes was changed since it was made, and `check` passes on the whole
    /// new set of files. All of it happens in one transaction with its audit row.
    pub async fn publish<F>(
        &self,
        id: i64,
        reviewer: &str,
        reason: &str,
        at: Timestamp,
        check: F,
    ) -> Result<PublishOutcome, StoreError>
    where
        F: Fn(&[(String, String)]) -> Result<(), Vec<String>>,
    {
        let Some((proposal, changes)) = self.proposal(id).await? else {
            return Ok(PublishOutcome::NotOpen);
        };
        if proposal.status != "open" {
            return Ok(PublishOutcome::NotOpen);
        }
        if proposal.author == reviewer {
            return Ok(PublishOutcome::SameAuthor);
        }
        if !self.may_review(reviewer).await? {
            return Ok(PublishOutcome::NotAllowed);
        }
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mut tx = self.pool().begin().await?;
            let latest: Option<i64> = sqlx::query("SELECT MAX(version) FROM directory_versions")
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            let latest = latest.unwrap_or(0);
            let mut files: Vec<(String, String)> = sqlx::query(
                "SELECT path, text FROM directory_files WHERE version = $1 ORDER BY path",
            )
            .bind(latest)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
            for change in &changes {
                let current = files.iter_mut().find(|(path, _)| *path == change.path);
                let current_hash = current
                    .as_ref()
                    .map_or_else(String::new, |(_, t)| text_hash(t));
                if current_hash != change.base_hash {
                    return Ok(PublishOutcome::Conflict {
                        path: change.path.clone(),
                    });
                }
                match current {
                    Some((_, text)) => text.clone_from(&change.text),
                    None => files.push((change.path.clone(), change.text.clone())),
                }
            }
            if let Err(messages) = check(&files) {
                return Ok(PublishOutcome::Refused(messages));
            }
            let version = latest + 1;
            let written: Result<(), sqlx::Error> = async {
                let done = sqlx::query(
                    "UPDATE proposals SET status = 'published', reviewer = $1, reviewed_at = $2, \
                     review_reason = $3, published_version = $4 WHERE id = $5 AND status = 'open'",
                )
                .bind(reviewer)
                .bind(at.to_string())
                .bind(reason)
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(sqlx::Error::RowNotFound);
                }
                insert_version(
                    &mut tx,
                    version,
                    &files,
                    (reviewer, "proposal", Some(id), ""),
                    at,
                )
                .await?;
                insert_audit(
                    &mut tx,
                    &NewAudit {
                        actor: reviewer.to_owned(),
                        action: "proposal.approve".to_owned(),
                        subject: format!("proposal:{id} {} version:{version}", proposal.subject),
                        reason: reason.to_owned(),
                        diff: proposal.diff.clone(),
                    },
                    at,
                )
                .await?;
                self.notify(&mut tx, version).await
            }
            .await;
            match written {
                Ok(()) => {
                    tx.commit().await?;
                    return Ok(PublishOutcome::Published { version });
                }
                Err(sqlx::Error::RowNotFound) => return Ok(PublishOutcome::NotOpen),
                // Another publish took the version number: merge again on top of it.
                Err(error) if attempts < 5 && is_conflict(&error) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// On PostgreSQL, a connection that wakes when any replica publishes; `None` on SQLite
    /// (which one machine shares: the periodic version check is enough there).
    pub async fn publish_listener(&self) -> Result<Option<PublishListener>, StoreError> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(PublishListener(listener)))
    }
}

/// Wakes when a version is published on any replica.
pub struct PublishListener(sqlx::postgres::PgListener);

impl std::fmt::Debug for PublishListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublishListener")
    }
}

impl PublishListener {
    /// The number of the version published next (the connection is re-opened when lost).
    pub async fn next(&mut self) -> Result<Option<i64>, StoreError> {
        let notification = self.0.recv().await?;
        Ok(notification.payload().parse().ok())
    }
}
