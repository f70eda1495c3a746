//! Two `serve` processes on one PostgreSQL database (when MADOGUCHI_TEST_POSTGRES names a
//! server; CI sets it): a version published from the command line (`import`, then `review`
//! by a second person) is served by both without a restart, and while the database is gone
//! they keep answering from their snapshot and `/readyz` says the store is unreachable.
//! The time it takes is a benchmark (`bench/replicas.sh`, docs/BENCHMARKS.md), not a test.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::time::{Duration, Instant};

use common::{Server, add_staff, madoguchi, path_str, scratch};

fn run(database: &str, args: &[&str]) -> String {
    let output = madoguchi(database).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "madoguchi {args:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn wait_for(server: &Server, path: &str, text: &str) -> Duration {
    let start = Instant::now();
    loop {
        if server.get(path, None).body.contains(text) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{path} on :{} never showed {text}",
            server.port
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_publish_reaches_every_replica_and_a_lost_database_does_not_stop_them() {
    let Ok(postgres) = std::env::var("MADOGUCHI_TEST_POSTGRES") else {
        eprintln!("MADOGUCHI_TEST_POSTGRES is not set: the replica test runs in CI");
        return;
    };
    let name = format!(
        "madoguchi_replicas_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond() % 1_000_000_000
    );
    let admin = format!("{postgres}/postgres");
    let sql = |statement: &str| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let store = madoguchi_store::Store::open(&admin).await.unwrap();
            store.execute_raw(statement).await.unwrap();
            store.close().await;
        });
    };
    sql(&format!("CREATE DATABASE {name}"));
    let database = format!("{postgres}/{name}");
    add_staff(&database, "ito", "editor", "editor-password-1");
    add_staff(&database, "ueda", "reviewer", "review-password-1");
    let first = Server::start(&database);
    let second = Server::start(&database);
    for server in [&first, &second] {
        assert!(
            server
                .get("/windows/childline", None)
                .body
                .contains("0120-99-7777")
        );
    }

    // A git-based change: export the live files, edit one, import it as a proposal.
    let dir = scratch("replicas");
    run(&database, &["export", "--format", "toml", path_str(&dir)]);
    let file = dir.join("windows/childline.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("0120-99-7777", "0120-99-7778")).unwrap();
    let proposed = run(
        &database,
        &[
            "import",
            path_str(&dir),
            "--as",
            "ito",
            "--reason",
            "番号の変更",
        ],
    );
    assert!(
        proposed.starts_with("proposal 1: 1 file(s) changed"),
        "{proposed}"
    );
    let own = madoguchi(&database)
        .args(["review", "1", "--approve", "--as", "ito", "--reason", "x"])
        .output()
        .unwrap();
    assert!(!own.status.success(), "the author cannot approve");
    run(
        &database,
        &[
            "review",
            "1",
            "--approve",
            "--as",
            "ueda",
            "--reason",
            "出典を確かめた",
        ],
    );
    let a = wait_for(&first, "/windows/childline", "0120-99-7778");
    let b = wait_for(&second, "/windows/childline", "0120-99-7778");
    eprintln!("visible on the replicas after {a:?} and {b:?}");
    let audit = run(&database, &["audit"]);
    assert!(audit.contains("command line export version:1"), "{audit}");
    assert!(
        audit.contains("ueda proposal.approve proposal:1 import version:2"),
        "{audit}"
    );

    // The database goes away: the public site keeps answering; /readyz says why it is not ready.
    sql(&format!("DROP DATABASE {name} WITH (FORCE)"));
    for server in [&first, &second] {
        let page = server.get("/windows/childline", None);
        assert_eq!(page.status, 200);
        assert!(page.body.contains("0120-99-7778"));
        // Still ready (the public pages answer from memory: a proxy must not take every
        // replica out at once), and says the store is unreachable.
        let ready = server.get("/readyz", None);
        assert_eq!(ready.status, 200);
        assert!(ready.body.contains("store unreachable"), "{}", ready.body);
    }
    std::fs::remove_dir_all(dir).unwrap();
}
