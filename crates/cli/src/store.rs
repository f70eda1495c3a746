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

    fn window_file(
        &self,
        window_id: String,
    ) -> InboxFuture<'_, Result<Option<WindowFile>, String>> {
        Box::pin(async move {
            let (version, files) = live_files(&self.0).await.map_err(|e| e.to_string())?;
            Ok(
                find_window(&files, &window_id).map(|(path, text)| WindowFile {
                    version,
                    path: path.clone(),
                    hash: text_hash(text),
                    text: text.clone(),
                }),
            )
        })
    }

    fn propose(&self, change: WindowChange) -> InboxFuture<'_, Result<ProposeOutcome, String>> {
        Box::pin(async move { self.propose_inner(change).await.map_err(|e| e.to_string()) })
    }

    fn open_proposals(&self) -> InboxFuture<'_, Result<Vec<ProposalSummary>, String>> {
        Box::pin(async move {
            let proposals = self.0.proposals(true).await.map_err(|e| e.to_string())?;
            Ok(proposals.into_iter().map(summary).collect())
        })
    }

    fn proposal(&self, id: i64) -> InboxFuture<'_, Result<Option<ProposalSummary>, String>> {
        Box::pin(async move {
            let proposal = self.0.proposal(id).await.map_err(|e| e.to_string())?;
            Ok(proposal.map(|(proposal, _)| summary(proposal)))
        })
    }

    fn review(
        &self,
        id: i64,
        reviewer: String,
        approve: bool,
        reason: String,
    ) -> InboxFuture<'_, Result<ReviewOutcome, String>> {
        Box::pin(async move {
            review_in(&self.0, id, &reviewer, approve, &reason)
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

use madoguchi_core::{Directory, LoadConfig};
use madoguchi_store::{NewProposal, ProposalFile, PublishOutcome, Seeded, text_hash};
use madoguchi_web::staff::{
    ProposalSummary, ProposeOutcome, ReviewOutcome, WindowChange, WindowFile,
};

use crate::source::Files;

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(madoguchi_core::hours::tokyo())
        .date()
}

/// `check` on a set of files: the directory, or every problem as `file:line: rule: message`.
pub fn check_files(files: &[(String, String)]) -> Result<Directory, Vec<String>> {
    Files::from_entries(files.to_vec())
        .load(LoadConfig::full(today()))
        .map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// The file of a window among a version's files: `windows/ID.toml`, or the window file that
/// declares that id.
fn find_window<'a>(files: &'a [(String, String)], id: &str) -> Option<&'a (String, String)> {
    let conventional = format!("windows/{id}.toml");
    let declaration = format!("id = \"{id}\"");
    files
        .iter()
        .find(|(path, _)| *path == conventional)
        .or_else(|| {
            files.iter().find(|(path, text)| {
                path.starts_with("windows/") && text.lines().any(|line| line.trim() == declaration)
            })
        })
}

async fn live_files(
    store: &Store,
) -> Result<(i64, Vec<(String, String)>), madoguchi_store::StoreError> {
    let version = store.latest_version().await?.unwrap_or(0);
    let files = store
        .version_files(version)
        .await?
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect();
    Ok((version, files))
}

fn summary(proposal: madoguchi_store::Proposal) -> ProposalSummary {
    ProposalSummary {
        id: proposal.id,
        subject: proposal.subject,
        author: proposal.author,
        reason: proposal.reason,
        created_at: proposal.created_at,
        diff: proposal.diff,
        status: proposal.status,
        reviewer: proposal.reviewer,
        review_reason: proposal.review_reason,
        published_version: proposal.published_version,
    }
}

/// Approves or rejects as `reviewer`; on approval the directory `check` built is handed back
/// so that the caller can serve it without loading it again.
async fn review_in(
    store: &Store,
    id: i64,
    reviewer: &str,
    approve: bool,
    reason: &str,
) -> Result<ReviewOutcome, madoguchi_store::StoreError> {
    let now = jiff::Timestamp::now();
    if !approve {
        return Ok(match store.reject(id, reviewer, reason, now).await? {
            PublishOutcome::Rejected => ReviewOutcome::Rejected,
            PublishOutcome::NotAllowed => ReviewOutcome::NotAllowed,
            _ => ReviewOutcome::NotOpen,
        });
    }
    let built = std::sync::Mutex::new(None);
    let outcome = store
        .publish(id, reviewer, reason, now, |files| {
            let directory = check_files(files)?;
            *built
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(directory);
            Ok(())
        })
        .await?;
    let built = built
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(match (outcome, built) {
        (PublishOutcome::Published { version }, Some(directory)) => ReviewOutcome::Published {
            version,
            directory: Box::new(directory),
        },
        (PublishOutcome::Conflict { path }, _) => ReviewOutcome::Conflict { path },
        (PublishOutcome::Refused(problems), _) => ReviewOutcome::Refused(problems),
        (PublishOutcome::SameAuthor, _) => ReviewOutcome::SameAuthor,
        (PublishOutcome::NotAllowed, _) => ReviewOutcome::NotAllowed,
        _ => ReviewOutcome::NotOpen,
    })
}

impl StoreDesk {
    async fn propose_inner(
        &self,
        change: WindowChange,
    ) -> Result<ProposeOutcome, madoguchi_store::StoreError> {
        let (version, mut files) = live_files(&self.0).await?;
        let Some(index) = files.iter().position(|(path, _)| *path == change.path) else {
            return Ok(ProposeOutcome::Conflict);
        };
        if text_hash(&files[index].1) != change.base_hash {
            return Ok(ProposeOutcome::Conflict);
        }
        files[index].1.clone_from(&change.text);
        if let Err(problems) = check_files(&files) {
            return Ok(ProposeOutcome::Refused(problems));
        }
        let id = self
            .0
            .propose(
                &NewProposal {
                    subject: format!("window:{}", change.window_id),
                    author: change.author,
                    reason: change.reason,
                    base_version: version,
                    diff: change.diff,
                    files: vec![ProposalFile {
                        path: change.path,
                        base_hash: change.base_hash,
                        text: change.text,
                    }],
                },
                jiff::Timestamp::now(),
            )
            .await?;
        Ok(ProposeOutcome::Created(id))
    }
}

/// The directory `serve` starts with: the store's live version, after seeding the store with
/// the built-in data (`files`, already loaded as `loaded`, which is served as it is when the
/// live version is those very files).
pub async fn live_version(
    store: &Store,
    files: &Files,
    loaded: Directory,
) -> Result<(i64, Directory)> {
    // The live version is the built-in data itself: serve what is loaded already instead of
    // reading every file back from the store (most of a start-up with a store).
    match store.seed(files.entries(), jiff::Timestamp::now()).await? {
        Seeded::Created(version) => {
            eprintln!("madoguchi: the store is new: the built-in data is version {version}");
            return Ok((version, loaded));
        }
        Seeded::Updated(version) => {
            eprintln!("madoguchi: a newer release: its data is version {version}");
            return Ok((version, loaded));
        }
        Seeded::Unchanged(version) => return Ok((version, loaded)),
        Seeded::Diverged(version) => eprintln!(
            "madoguchi: serving version {version} from the store, with staff changes; this \
             release's data differs from it (`madoguchi import DIR` proposes it)"
        ),
        Seeded::Edited(_) => {}
    }
    let (version, stored) = live_files(store).await?;
    if stored == files.entries() {
        return Ok((version, loaded));
    }
    Ok((version, load_published(version, stored)?))
}

/// A published version's files as a directory. They passed every rule when they were
/// published, so the slow phone-number check is skipped (as for the built-in data).
fn load_published(version: i64, files: Vec<(String, String)>) -> Result<Directory> {
    Files::from_entries(files)
        .load(LoadConfig {
            check_phone_numbers: false,
            ..LoadConfig::full(today())
        })
        .map_err(|problems| {
            anyhow::anyhow!(
                "version {version} in the store does not load: {}",
                problems
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            )
        })
}

/// Follows the versions other processes publish: woken by PostgreSQL's notice, and checking
/// the version every second in any case (SQLite, or a notice lost with its connection).
pub async fn follow(store: Arc<Store>, live: Arc<madoguchi_web::live::Live>) {
    let mut listener = store.publish_listener().await.ok().flatten();
    loop {
        match listener.as_mut() {
            Some(notices) => {
                let woke = tokio::time::timeout(std::time::Duration::from_secs(1), notices.next());
                if let Ok(Err(_)) = woke.await {
                    // The connection is being re-opened: do not spin on the error.
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
            None => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
        }
        let Ok(Some(version)) = store.latest_version().await else {
            continue;
        };
        if version <= live.version() {
            continue;
        }
        let loaded = match store.version_files(version).await {
            Ok(files) => load_published(
                version,
                files.into_iter().map(|f| (f.path, f.text)).collect(),
            ),
            Err(error) => Err(error.into()),
        };
        match loaded {
            Ok(directory) => {
                if live.install(version, directory) {
                    eprintln!("madoguchi: now serving version {version}");
                }
            }
            Err(error) => eprintln!("madoguchi: keeping version {}: {error:#}", live.version()),
        }
    }
}

fn block_on<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Runtime::new()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// `madoguchi import DIR --as NAME --reason WHY`: the files that differ from the live version
/// become one proposal (after `check` on the whole new directory).
pub fn import(database: &str, dir: &Files, actor: &str, reason: &str) -> Result<ExitCode> {
    block_on(async {
        let store = Store::open(database).await?;
        if store.latest_version().await?.is_none() {
            store
                .seed(Files::embedded().entries(), jiff::Timestamp::now())
                .await?;
        }
        let (version, live) = live_files(&store).await?;
        let mut merged = live.clone();
        let mut changes = Vec::new();
        let mut diff = String::new();
        for (path, text) in dir.entries() {
            let current = live
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, t)| t.as_str());
            if current == Some(text.as_str()) {
                continue;
            }
            diff.push_str(&madoguchi_core::edit::diff(
                path,
                current.unwrap_or_default(),
                text,
            ));
            changes.push(ProposalFile {
                path: path.clone(),
                base_hash: current.map(text_hash).unwrap_or_default(),
                text: text.clone(),
            });
            match merged.iter_mut().find(|(p, _)| p == path) {
                Some(entry) => entry.1.clone_from(text),
                None => merged.push((path.clone(), text.clone())),
            }
        }
        for (path, _) in &live {
            if !dir.entries().iter().any(|(p, _)| p == path) {
                eprintln!("note: {path} is not in the folder; import never removes a file");
            }
        }
        if changes.is_empty() {
            println!("nothing to import: the folder is version {version}");
            return Ok(ExitCode::SUCCESS);
        }
        if let Err(problems) = check_files(&merged) {
            for problem in &problems {
                println!("{problem}");
            }
            eprintln!("{} problem(s): nothing was proposed", problems.len());
            return Ok(ExitCode::from(1));
        }
        let files = changes.len();
        let id = store
            .propose(
                &NewProposal {
                    subject: "import".to_owned(),
                    author: actor.to_owned(),
                    reason: reason.to_owned(),
                    base_version: version,
                    diff,
                    files: changes,
                },
                jiff::Timestamp::now(),
            )
            .await?;
        println!(
            "proposal {id}: {files} file(s) changed from version {version}; a reviewer other than {actor} approves it"
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `madoguchi proposals [--all] [--show N]`.
pub fn proposals(database: &str, all: bool, show: Option<i64>) -> Result<ExitCode> {
    block_on(async {
        let store = Store::open(database).await?;
        if let Some(id) = show {
            let Some((proposal, files)) = store.proposal(id).await? else {
                anyhow::bail!("no proposal has the number {id}");
            };
            println!(
                "#{} {} [{}] by {} at {} on version {}: {}",
                proposal.id,
                proposal.subject,
                proposal.status,
                proposal.author,
                proposal.created_at,
                proposal.base_version,
                proposal.reason
            );
            if let Some(reviewer) = &proposal.reviewer {
                println!(
                    "reviewed by {reviewer}: {}",
                    proposal.review_reason.as_deref().unwrap_or_default()
                );
            }
            println!("{} file(s)\n{}", files.len(), proposal.diff);
            return Ok(ExitCode::SUCCESS);
        }
        let proposals = store.proposals(!all).await?;
        for proposal in &proposals {
            println!(
                "#{} {} [{}] by {} at {}: {}",
                proposal.id,
                proposal.subject,
                proposal.status,
                proposal.author,
                proposal.created_at,
                proposal.reason
            );
        }
        println!("{} proposal(s)", proposals.len());
        Ok(ExitCode::SUCCESS)
    })
}

/// `madoguchi review N --approve|--reject --as NAME --reason WHY`.
pub fn review(
    database: &str,
    id: i64,
    approve: bool,
    actor: &str,
    reason: &str,
) -> Result<ExitCode> {
    block_on(async {
        let store = Store::open(database).await?;
        let outcome = review_in(&store, id, actor, approve, reason).await?;
        let (message, code) = match outcome {
            ReviewOutcome::Published { version, .. } => (
                format!(
                    "published proposal {id} as version {version}; every server serves it within a second"
                ),
                0,
            ),
            ReviewOutcome::Rejected => (format!("rejected proposal {id}"), 0),
            ReviewOutcome::Conflict { path } => (
                format!(
                    "conflict: {path} changed since proposal {id} was made; its author must make it again on the live version"
                ),
                1,
            ),
            ReviewOutcome::Refused(problems) => (
                format!(
                    "refused: the new directory breaks a rule:\n{}",
                    problems.join("\n")
                ),
                1,
            ),
            ReviewOutcome::SameAuthor => (
                format!("{actor} wrote proposal {id}: another reviewer must approve it"),
                1,
            ),
            ReviewOutcome::NotAllowed => (format!("{actor} is not a reviewer or admin account"), 1),
            ReviewOutcome::NotOpen => (format!("proposal {id} is not open"), 1),
        };
        println!("{message}");
        Ok(ExitCode::from(code))
    })
}

/// For `export`: the store's live version and its directory, with an audit row for the
/// export; `None` when there is no store yet (a SQLite file that does not exist is not
/// created by an export).
pub fn exported(database: &str, format: &str) -> Result<Option<(Files, Directory)>> {
    let (_, backend) = madoguchi_store::database_url(database);
    if backend == madoguchi_store::Backend::Sqlite
        && !database.starts_with("sqlite:")
        && !std::path::Path::new(database).exists()
    {
        return Ok(None);
    }
    block_on(async {
        let store = Store::open(database).await?;
        let (version, files) = live_files(&store).await?;
        if version == 0 {
            return Ok(None);
        }
        let directory = load_published(version, files.clone())?;
        store
            .append_audit(
                &NewAudit {
                    actor: "command line".to_owned(),
                    action: "export".to_owned(),
                    subject: format!("version:{version}"),
                    reason: String::new(),
                    diff: format!("format: {format}"),
                },
                jiff::Timestamp::now(),
            )
            .await?;
        Ok(Some((Files::from_entries(files), directory)))
    })
}
