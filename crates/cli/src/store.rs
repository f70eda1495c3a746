//! The binary's side of the store: the inbox the web crate sends corrections to, and the
//! `reports` and `audit` commands.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use madoguchi_store::{Fact, NewAudit, NewReport, Store};
use madoguchi_web::inbox::{Correction, Inbox, InboxFuture};

/// Corrections into the store, each with an audit row (actor `public`: no one is named).
#[derive(Debug)]
pub struct StoreInbox(pub Arc<Store>);

impl Inbox for StoreInbox {
    fn submit(&self, correction: Correction) -> InboxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let now = jiff::Timestamp::now();
            let report = NewReport {
                window_id: correction.window_id.clone(),
                fact: Fact::parse(correction.fact).unwrap_or(Fact::Other),
                body: correction.body,
                source_url: correction.source_url,
            };
            let id = self
                .0
                .add_report(&report, now)
                .await
                .map_err(|e| e.to_string())?;
            let entry = NewAudit {
                actor: "public".to_owned(),
                action: "report.receive".to_owned(),
                subject: format!("report:{id} window:{}", correction.window_id),
                reason: String::new(),
                diff: format!("fact: {}", correction.fact),
            };
            self.0
                .append_audit(&entry, now)
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        })
    }

    fn reachable(&self) -> InboxFuture<'_, bool> {
        Box::pin(self.0.ping())
    }
}

pub fn reports(
    database: &str,
    all: bool,
    close: Option<i64>,
    actor: Option<String>,
    reason: Option<String>,
) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(database).await?;
        if let (Some(id), Some(actor), Some(reason)) = (close, actor, reason) {
            if !store
                .close_report(id, &actor, &reason, jiff::Timestamp::now())
                .await?
            {
                anyhow::bail!("no open report has the number {id}");
            }
            println!("closed report {id}");
            return Ok(ExitCode::SUCCESS);
        }
        let reports = store.reports(!all).await?;
        for report in &reports {
            println!(
                "#{} {} [{}] {} {}: {}{}",
                report.id,
                report.received_at,
                report.status,
                report.window_id,
                report.fact,
                report.body.replace('\n', " / "),
                report
                    .source_url
                    .as_deref()
                    .map(|u| format!(" (source: {u})"))
                    .unwrap_or_default()
            );
        }
        println!("{} report(s)", reports.len());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn audit(database: &str, since: Option<jiff::Timestamp>, verify: bool) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(database).await?;
        if verify {
            return match store.verify_audit().await {
                Ok(rows) => {
                    println!("ok: the audit log's {rows} rows are unchanged");
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    println!("{error}");
                    Ok(ExitCode::from(1))
                }
            };
        }
        for entry in store.audit(since).await? {
            println!(
                "{} {} {} {} {}{}{}",
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.subject,
                if entry.reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", entry.reason)
                },
                if entry.diff.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", entry.diff.replace('\n', "; "))
                },
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A session ends after this long without a request.
const IDLE: jiff::SignedDuration = jiff::SignedDuration::from_mins(30);

/// The staff desk over the store: argon2id passwords, random session tokens (the store keeps
/// only their SHA-256), a login and its failure in the audit log.
#[derive(Debug)]
pub struct StoreDesk(pub Arc<Store>);

fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| e.to_string())?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}

/// An argon2id hash (the crate's defaults: 19 MiB, 2 passes) with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{PasswordHasher as _, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

fn password_matches(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier as _};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

use madoguchi_web::staff::{LoginOutcome, OpenReport, StaffDesk, StaffSession};

impl StoreDesk {
    async fn login_inner(&self, name: String, password: String) -> Result<LoginOutcome, String> {
        let now = jiff::Timestamp::now();
        let store = &self.0;
        let audit = |action: &str, reason: &str| NewAudit {
            actor: name.clone(),
            action: action.to_owned(),
            subject: format!("staff:{name}"),
            reason: reason.to_owned(),
            diff: String::new(),
        };
        let Some(account) = store.staff(&name).await.map_err(|e| e.to_string())? else {
            // The same work as for a real account, so that timing does not tell names apart.
            let _ = password_matches(
                &password,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$ZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2U",
            );
            return Ok(LoginOutcome::Refused);
        };
        if let Some(until) = account.locked_until.filter(|until| *until > now) {
            return Ok(LoginOutcome::Locked {
                until: until.to_string(),
            });
        }
        if !password_matches(&password, &account.password_hash) {
            let locked = store
                .login_failed(&name, now)
                .await
                .map_err(|e| e.to_string())?;
            let reason = if locked.is_some() {
                "locked"
            } else {
                "wrong password"
            };
            store
                .append_audit(&audit("login.fail", reason), now)
                .await
                .map_err(|e| e.to_string())?;
            return Ok(match locked {
                Some(until) => LoginOutcome::Locked {
                    until: until.to_string(),
                },
                None => LoginOutcome::Refused,
            });
        }
        store
            .login_succeeded(&name)
            .await
            .map_err(|e| e.to_string())?;
        let token = random_hex(32)?;
        let csrf = random_hex(32)?;
        store
            .create_session(&token, &name, &csrf, now)
            .await
            .map_err(|e| e.to_string())?;
        store
            .append_audit(&audit("login", ""), now)
            .await
            .map_err(|e| e.to_string())?;
        Ok(LoginOutcome::Session {
            token,
            session: StaffSession {
                name: account.name,
                role: account.role,
                csrf,
            },
        })
    }
}

impl StaffDesk for StoreDesk {
    fn login(
        &self,
        name: String,
        password: String,
    ) -> InboxFuture<'_, Result<LoginOutcome, String>> {
        Box::pin(self.login_inner(name, password))
    }

    fn session(&self, token: String) -> InboxFuture<'_, Option<StaffSession>> {
        Box::pin(async move {
            let record = self
                .0
                .session(&token, jiff::Timestamp::now(), IDLE)
                .await
                .ok()??;
            Some(StaffSession {
                name: record.staff_name,
                role: record.role,
                csrf: record.csrf,
            })
        })
    }

    fn logout(&self, token: String) -> InboxFuture<'_, ()> {
        Box::pin(async move {
            let _ = self.0.delete_session(&token).await;
        })
    }

    fn open_reports(&self) -> InboxFuture<'_, Result<Vec<OpenReport>, String>> {
        Box::pin(async move {
            let reports = self.0.reports(true).await.map_err(|e| e.to_string())?;
            Ok(reports
                .into_iter()
                .map(|r| OpenReport {
                    id: r.id,
                    window_id: r.window_id,
                    fact: r.fact,
                    body: r.body,
                    source_url: r.source_url,
                    received_at: r.received_at,
                })
                .collect())
        })
    }

    fn close_report(
        &self,
        id: i64,
        actor: String,
        reason: String,
    ) -> InboxFuture<'_, Result<bool, String>> {
        Box::pin(async move {
            self.0
                .close_report(id, &actor, &reason, jiff::Timestamp::now())
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// `madoguchi staff add NAME --role ROLE`: the password is the first line of stdin (typed at
/// the prompt, or piped), at least 12 characters.
pub fn add_staff(database: &str, name: &str, role: &str) -> Result<ExitCode> {
    eprintln!("password for {name} (at least 12 characters), then Enter:");
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("cannot read the password from stdin")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if password.chars().count() < 12 {
        anyhow::bail!("the password must have at least 12 characters");
    }
    let hash = hash_password(password)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(database).await?;
        let now = jiff::Timestamp::now();
        store
            .add_staff(name, role, &hash, now)
            .await
            .with_context(|| format!("cannot add {name} (is the name taken?)"))?;
        store
            .append_audit(
                &NewAudit {
                    actor: "command line".to_owned(),
                    action: "staff.add".to_owned(),
                    subject: format!("staff:{name}"),
                    reason: format!("role {role}"),
                    diff: String::new(),
                },
                now,
            )
            .await?;
        println!("added {name} ({role})");
        Ok(ExitCode::SUCCESS)
    })
}
