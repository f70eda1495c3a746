//! The store on both back ends: SQLite always (a temporary file), PostgreSQL when
//! `MADOGUCHI_TEST_POSTGRES` names a server (CI: `postgres://postgres@127.0.0.1:5432`); each
//! run gets a database of its own, dropped at the end.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

use jiff::Timestamp;
use madoguchi_store::{
    Backend, Fact, LOCK_AFTER_FAILURES, LOCK_FOR, NewAudit, NewReport, Store, StoreError,
};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A fresh SQLite file in a temporary folder.
async fn sqlite() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "madoguchi-store-{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(dir.join("test.db").to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    (store, dir)
}

/// A fresh PostgreSQL database, or None when no server is configured.
async fn postgres() -> Option<(Store, String, String)> {
    let server = std::env::var("MADOGUCHI_TEST_POSTGRES").ok()?;
    let name = format!(
        "madoguchi_test_{}_{}",
        std::process::id(),
        Timestamp::now().as_nanosecond() % 1_000_000_000
    );
    let admin = Store::open(&format!("{server}/postgres")).await.unwrap();
    admin
        .execute_raw(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await;
    let store = Store::open(&format!("{server}/{name}")).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    Some((store, server, name))
}

async fn drop_postgres(store: Store, server: &str, name: &str) {
    store.close().await;
    let admin = Store::open(&format!("{server}/postgres")).await.unwrap();
    admin
        .execute_raw(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
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

#[tokio::test]
async fn sqlite_store() {
    let (store, dir) = sqlite().await;
    reports_are_kept_without_their_sender(&store).await;
    accounts_lock_and_sessions_expire(&store).await;
    the_audit_log_is_a_chain_that_detects_edits(&store).await;
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
