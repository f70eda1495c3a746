//! The store on both back ends: SQLite always (a temporary file), PostgreSQL when
//! `MADOGUCHI_TEST_POSTGRES` names a server (CI: `postgres://postgres@127.0.0.1:5432`); each
//! run gets a database of its own, dropped at the end.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use jiff::Timestamp;
use madoguchi_store::{
    Backend, Fact, LOCK_AFTER_FAILURES, LOCK_FOR, NewAudit, NewProposal, NewReport, ProposalFile,
    PublishOutcome, Seeded, Store, StoreError, text_hash,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A fresh SQLite file in a temporary folder.
async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = common::scratch("store");
    let store = Store::open(dir.join("test.db").to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    (store, dir)
}

/// A fresh PostgreSQL database, or None when no server is configured.
async fn postgres() -> Option<(Store, String, String)> {
    let (server, name) = common::postgres_database("test").await?;
    let store = Store::open(&format!("{server}/{name}")).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    Some((store, server, name))
}

async fn drop_postgres(store: Store, server: &str, name: &str) {
    store.close().await;
    common::drop_database(server, name).await;
}

async fn reports_are_kept_without_their_sender(store: &Store) {
    let report = NewReport {
        window_id: "ihaho".to_owned(),
        fact: Fact::Phone,
        body: "電話番号が変わっています\n二行目".to_owned(),
        source_url: Some("https://www.ihaho.jp/".to_owned()),
    };
    let first = store
        .add_report(&report, at("2026-11-30T10:00:00Z"))
        .await
        .unwrap();
    let second = store
        .add_report(
            &NewReport {
                source_url: None,
                fact: Fact::Hours,
                ..report.clone()
            },
            at("2026-11-30T10:05:00Z"),
        )
        .await
        .unwrap();
    assert!(second > first);
    let reports = store.reports(true).await.unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].id, second, "newest first");
    assert_eq!(reports[1].body, report.body);
    assert_eq!(
        reports[1].source_url.as_deref(),
        Some("https://www.ihaho.jp/")
    );
    assert_eq!(reports[0].source_url, None);
    assert_eq!(reports[0].fact, "hours");

    assert!(
        store
            .close_report(
                first,
                "staff-a",
                "番号を確認して直した",
                at("2026-11-30T11:00:00Z")
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .close_report(first, "staff-a", "twice", at("2026-11-30T11:00:01Z"))
            .await
            .unwrap()
    );
    assert_eq!(store.reports(true).await.unwrap().len(), 1);
    assert_eq!(store.reports(false).await.unwrap().len(), 2);
}

async fn the_audit_log_is_a_chain_that_detects_edits(store: &Store) {
    let before = store.audit(None).await.unwrap().len();
    for i in 0..3 {
        store
            .append_audit(
                &NewAudit {
                    actor: "staff-b".to_owned(),
                    action: "export".to_owned(),
                    subject: "directory".to_owned(),
                    reason: format!("run {i}"),
                    diff: String::new(),
                },
                at("2026-12-01T09:00:00Z"),
            )
            .await
            .unwrap();
    }
    let entries = store.audit(None).await.unwrap();
    assert_eq!(entries.len(), before + 3);
    assert_eq!(
        store
            .audit(Some(at("2026-12-01T00:00:00Z")))
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(store.verify_audit().await.unwrap(), entries.len());

    // The application cannot change history.
    assert!(
        store
            .execute_raw("UPDATE audit_log SET reason = 'quiet' WHERE seq = 2")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM audit_log").await.is_err());
}

async fn accounts_lock_and_sessions_expire(store: &Store) {
    let t0 = at("2026-12-01T09:00:00Z");
    store
        .add_staff("aoki", "editor", "$argon2id$fake", t0)
        .await
        .unwrap();
    assert!(
        store.add_staff("aoki", "admin", "x", t0).await.is_err(),
        "a name is taken once"
    );
    for _ in 1..LOCK_AFTER_FAILURES {
        assert_eq!(store.login_failed("aoki", t0).await.unwrap(), None);
    }
    let until = store.login_failed("aoki", t0).await.unwrap().unwrap();
    assert_eq!(until, t0 + LOCK_FOR);
    assert_eq!(
        store.staff("aoki").await.unwrap().unwrap().locked_until,
        Some(until)
    );
    store.login_succeeded("aoki").await.unwrap();
    assert_eq!(
        store.staff("aoki").await.unwrap().unwrap().locked_until,
        None
    );
    assert_eq!(store.login_failed("nobody", t0).await.unwrap(), None);

    let idle = jiff::SignedDuration::from_mins(30);
    store
        .create_session("hash-1", "aoki", "csrf-1", t0)
        .await
        .unwrap();
    assert_eq!(
        store
            .execute_raw("UPDATE staff_sessions SET csrf = csrf WHERE token_hash = 'hash-1'")
            .await
            .unwrap(),
        0,
        "the token is stored only as its hash"
    );
    let later = t0 + jiff::SignedDuration::from_mins(20);
    let session = store.session("hash-1", later, idle).await.unwrap().unwrap();
    assert_eq!(
        (
            session.staff_name.as_str(),
            session.role.as_str(),
            session.csrf.as_str()
        ),
        ("aoki", "editor", "csrf-1")
    );
    // Used at +20 min, so still alive at +45; gone after 30 idle minutes.
    let alive = t0 + jiff::SignedDuration::from_mins(45);
    assert!(
        store
            .session("hash-1", alive, idle)
            .await
            .unwrap()
            .is_some()
    );
    let gone = t0 + jiff::SignedDuration::from_mins(76);
    assert!(store.session("hash-1", gone, idle).await.unwrap().is_none());
    assert!(
        store
            .session("hash-1", alive, idle)
            .await
            .unwrap()
            .is_none(),
        "deleted"
    );
}

fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect()
}

async fn texts(store: &Store, version: i64) -> Vec<(String, String)> {
    store
        .version_files(version)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect()
}

fn change(path: &str, old: Option<&str>, new: &str, author: &str, base: i64) -> NewProposal {
    NewProposal {
        subject: format!("window:{path}"),
        author: author.to_owned(),
        reason: "番号が変わった".to_owned(),
        base_version: base,
        diff: format!("-{}\n+{new}", old.unwrap_or_default()),
        files: vec![ProposalFile {
            path: path.to_owned(),
            base_hash: old.map(text_hash).unwrap_or_default(),
            text: new.to_owned(),
        }],
    }
}

/// Rejects any set of files where `bad.toml` says `broken`.
fn check(files: &[(String, String)]) -> Result<(), Vec<String>> {
    match files.iter().find(|(_, text)| text.contains("broken")) {
        Some((path, _)) => Err(vec![format!("{path}:1: rule: broken")]),
        None => Ok(()),
    }
}

async fn versions_proposals_and_the_two_person_rule(store: &Store) {
    let t0 = at("2026-12-02T09:00:00Z");
    let release = files(&[("windows/a.toml", "a = 1\n"), ("meta.toml", "m = 1\n")]);
    assert_eq!(store.latest_version().await.unwrap(), None);
    assert_eq!(store.seed(&release, t0).await.unwrap(), Seeded::Created(1));
    assert_eq!(
        store.seed(&release, t0).await.unwrap(),
        Seeded::Unchanged(1)
    );
    // A newer release with no staff change since: it becomes live.
    let release2 = files(&[("windows/a.toml", "a = 2\n"), ("meta.toml", "m = 1\n")]);
    assert_eq!(store.seed(&release2, t0).await.unwrap(), Seeded::Updated(2));
    assert_eq!(
        texts(store, 2).await,
        files(&[("meta.toml", "m = 1\n"), ("windows/a.toml", "a = 2\n")])
    );

    for (name, role) in [("ito", "editor"), ("ueda", "reviewer"), ("oda", "editor")] {
        store
            .add_staff(name, role, "$argon2id$fake", t0)
            .await
            .unwrap();
    }
    let first = store
        .propose(
            &change("windows/a.toml", Some("a = 2\n"), "a = 3\n", "ito", 2),
            t0,
        )
        .await
        .unwrap();
    // Two editors change the same file from the same version.
    let second = store
        .propose(
            &change("windows/a.toml", Some("a = 2\n"), "a = 4\n", "oda", 2),
            t0,
        )
        .await
        .unwrap();
    assert_eq!(store.proposals(true).await.unwrap().len(), 2);
    // The author cannot approve; an editor cannot approve.
    assert_eq!(
        store.publish(first, "ito", "ok", t0, check).await.unwrap(),
        PublishOutcome::SameAuthor
    );
    assert_eq!(
        store.publish(first, "oda", "ok", t0, check).await.unwrap(),
        PublishOutcome::NotAllowed
    );
    assert_eq!(
        store
            .publish(first, "ueda", "確認した", t0, check)
            .await
            .unwrap(),
        PublishOutcome::Published { version: 3 }
    );
    assert_eq!(store.latest_version().await.unwrap(), Some(3));
    assert_eq!(texts(store, 3).await[1].1, "a = 3\n");
    assert_eq!(
        store
            .publish(first, "ueda", "again", t0, check)
            .await
            .unwrap(),
        PublishOutcome::NotOpen
    );
    // The second editor's change meets the first one's: a conflict, and nothing is lost.
    assert_eq!(
        store
            .publish(second, "ueda", "ok", t0, check)
            .await
            .unwrap(),
        PublishOutcome::Conflict {
            path: "windows/a.toml".to_owned()
        }
    );
    let (kept, kept_files) = store.proposal(second).await.unwrap().unwrap();
    assert_eq!(
        (kept.status.as_str(), kept_files[0].text.as_str()),
        ("open", "a = 4\n")
    );
    assert_eq!(store.latest_version().await.unwrap(), Some(3));
    // A change that breaks a rule is refused with the rule's message, and publishes nothing.
    let bad = store
        .propose(
            &change("windows/a.toml", Some("a = 3\n"), "broken\n", "oda", 3),
            t0,
        )
        .await
        .unwrap();
    assert_eq!(
        store.publish(bad, "ueda", "ok", t0, check).await.unwrap(),
        PublishOutcome::Refused(vec!["windows/a.toml:1: rule: broken".to_owned()])
    );
    assert_eq!(store.latest_version().await.unwrap(), Some(3));
    // A new file is proposed with an empty base.
    let new_file = store
        .propose(&change("windows/b.toml", None, "b = 1\n", "oda", 3), t0)
        .await
        .unwrap();
    assert_eq!(
        store
            .publish(new_file, "ueda", "ok", t0, check)
            .await
            .unwrap(),
        PublishOutcome::Published { version: 4 }
    );
    assert_eq!(texts(store, 4).await.len(), 3);
    // The author withdraws the conflicting one; an editor may not reject another's.
    assert_eq!(
        store.reject(bad, "ito", "no", t0).await.unwrap(),
        PublishOutcome::NotAllowed
    );
    assert_eq!(
        store.reject(second, "oda", "作り直す", t0).await.unwrap(),
        PublishOutcome::Rejected
    );
    // The same release started again over staff changes: they stay live, said apart from a
    // store whose live version is the release itself (which the server serves without
    // reading its files back).
    assert_eq!(store.seed(&release2, t0).await.unwrap(), Seeded::Edited(4));
    // Staff changes since the last release: a newer release no longer replaces them.
    let release3 = files(&[("windows/a.toml", "a = 9\n"), ("meta.toml", "m = 1\n")]);
    assert_eq!(
        store.seed(&release3, t0).await.unwrap(),
        Seeded::Diverged(4)
    );
    let actions: Vec<String> = store
        .audit(Some(t0))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "directory.publish",
        "proposal.create",
        "proposal.approve",
        "proposal.reject",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    store.verify_audit().await.unwrap();
}

#[tokio::test]
async fn sqlite_store() {
    let (store, dir) = sqlite().await;
    reports_are_kept_without_their_sender(&store).await;
    accounts_lock_and_sessions_expire(&store).await;
    the_audit_log_is_a_chain_that_detects_edits(&store).await;
    versions_proposals_and_the_two_person_rule(&store).await;
    // Someone with the file edits a row behind the triggers' back: verify names the row.
    store
        .execute_raw(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'quiet' WHERE seq = 2",
        )
        .await
        .unwrap();
    assert!(matches!(
        store.verify_audit().await,
        Err(StoreError::AuditBroken { seq: 2 })
    ));
    store.close().await;
    // Opening again keeps everything (migrations run once).
    let again = Store::open(dir.join("test.db").to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(again.reports(false).await.unwrap().len(), 2);
    again.close().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn postgres_store() {
    let Some((store, server, name)) = postgres().await else {
        eprintln!("MADOGUCHI_TEST_POSTGRES is not set: the PostgreSQL tests run in CI");
        return;
    };
    reports_are_kept_without_their_sender(&store).await;
    accounts_lock_and_sessions_expire(&store).await;
    the_audit_log_is_a_chain_that_detects_edits(&store).await;
    versions_proposals_and_the_two_person_rule(&store).await;
    store
        .execute_raw(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; \
             UPDATE audit_log SET reason = 'quiet' WHERE seq = 2",
        )
        .await
        .unwrap();
    assert!(matches!(
        store.verify_audit().await,
        Err(StoreError::AuditBroken { seq: 2 })
    ));
    drop_postgres(store, &server, &name).await;
}

#[tokio::test]
async fn a_database_that_cannot_be_reached_is_a_clear_error() {
    let error = Store::open("postgres://nobody:secret@127.0.0.1:1/none")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot open the database"), "{error}");
    assert!(
        !error.contains("secret"),
        "no password in messages: {error}"
    );
}
