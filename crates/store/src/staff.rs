//! Staff accounts and sessions. The store keeps the records and counts failed logins; the
//! binary hashes passwords (argon2id) and makes tokens. A session is stored by the SHA-256
//! of its token, hashed here, so no caller can store a token in the clear.

use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

use crate::{Store, StoreError, sha256_hex};

/// Failed logins in a row that lock an account, and for how long.
pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const LOCK_FOR: SignedDuration = SignedDuration::from_mins(15);

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub locked_until: Option<Timestamp>,
}

/// A live session: whose, with which CSRF token, last used when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub staff_name: String,
    pub role: String,
    pub csrf: String,
    pub last_seen: Timestamp,
}

fn timestamp(text: Option<String>) -> Option<Timestamp> {
    text.and_then(|t| t.parse().ok())
}

impl Store {
    /// Adds an account; an error if the name is taken.
    pub async fn add_staff(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(name)
        .bind(role)
        .bind(password_hash)
        .bind(at.to_string())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn staff(&self, name: &str) -> Result<Option<StaffRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT name, role, password_hash, locked_until FROM staff WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(StaffRecord {
                name: row.try_get(0)?,
                role: row.try_get(1)?,
                password_hash: row.try_get(2)?,
                locked_until: timestamp(row.try_get(3)?),
            })
        })
        .transpose()
    }

    /// Counts a failed login; the fifth in a row locks the account for 15 minutes. Returns
    /// the time it is locked until, if it is.
    pub async fn login_failed(
        &self,
        name: &str,
        at: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let row = sqlx::query(
            "UPDATE staff SET failed_logins = failed_logins + 1 WHERE name = $1 RETURNING failed_logins",
        )
        .bind(name)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let failures: i64 = row.try_get(0)?;
        if failures < LOCK_AFTER_FAILURES {
            return Ok(None);
        }
        let until = at + LOCK_FOR;
        sqlx::query("UPDATE staff SET failed_logins = 0, locked_until = $1 WHERE name = $2")
            .bind(until.to_string())
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(Some(until))
    }

    pub async fn login_succeeded(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE name = $1")
            .bind(name)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        token: &str,
        name: &str,
        csrf: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, staff_name, csrf, created_at, last_seen) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(sha256_hex(token))
        .bind(name)
        .bind(csrf)
        .bind(at.to_string())
        .bind(at.to_string())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The session with this token, if it was used within `idle`; it counts as used now.
    /// An idle session is deleted.
    pub async fn session(
        &self,
        token: &str,
        at: Timestamp,
        idle: SignedDuration,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT s.staff_name, f.role, s.csrf, s.last_seen FROM staff_sessions s \
             JOIN staff f ON f.name = s.staff_name WHERE s.token_hash = $1",
        )
        .bind(sha256_hex(token))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let last_seen = timestamp(row.try_get(3)?).unwrap_or(Timestamp::UNIX_EPOCH);
        if at.duration_since(last_seen) > idle {
            self.delete_session(token).await?;
            return Ok(None);
        }
        sqlx::query("UPDATE staff_sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(at.to_string())
            .bind(sha256_hex(token))
            .execute(self.pool())
            .await?;
        Ok(Some(SessionRecord {
            staff_name: row.try_get(0)?,
            role: row.try_get(1)?,
            csrf: row.try_get(2)?,
            last_seen: at,
        }))
    }

    pub async fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
