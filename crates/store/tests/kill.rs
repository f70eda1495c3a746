//! SIGKILL during a publish leaves the old directory or the new one, never a mix.
//!
//! The test runs itself again as a child (`publisher`, ignored unless run that way)
//! that publishes version after version of a large directory, and kills it at spread-out
//! moments, most of which fall inside a publish's transaction (writing 40 files of 16 KB each
//! takes most of the child's time). After every kill it checks the store: every version is
//! whole (every file, all from the same proposal), every published proposal has its version
//! and every version its proposal, and the audit chain holds. SQLite always; PostgreSQL too
//! when MADOGUCHI_TEST_POSTGRES is set.

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::Timestamp;
use madoguchi_store::{NewProposal, ProposalFile, PublishOutcome, Store, text_hash};

const FILES: usize = 40;

/// A file of the change marked `mark` (the same first line in every file of one change).
fn big_text(mark: i128, file: usize) -> String {
    let mut text = format!("change = {mark}\nfile = {file}\n");
    while text.len() < 16 * 1024 {
        text.push_str("# filler so that writing a version takes a while\n");
    }
    text
}

/// The child: publishes versions until it is killed (run by the tests below, never alone).
#[tokio::test]
#[ignore = "the child process of the kill tests, which run it with --ignored"]
async fn publisher() {
    let database = std::env::var("MADOGUCHI_KILL_CHILD").unwrap();
    let store = Store::open(&database).await.unwrap();
    loop {
        let version = store.latest_version().await.unwrap().unwrap();
        let live = store.version_files(version).await.unwrap();
        let mark = Timestamp::now().as_nanosecond();
        let files = live
            .iter()
            .enumerate()
            .map(|(i, file)| ProposalFile {
                path: file.path.clone(),
                base_hash: text_hash(&file.text),
                text: big_text(mark, i),
            })
            .collect();
        let proposal = NewProposal {
            subject: "import".to_owned(),
            author: "author".to_owned(),
            reason: "load".to_owned(),
            base_version: version,
            diff: String::new(),
            files,
        };
        let id = store.propose(&proposal, Timestamp::now()).await.unwrap();
        println!("publishing {id}");
        let outcome = store
            .publish(id, "checker", "ok", Timestamp::now(), |_| Ok(()))
            .await
            .unwrap();
        assert!(matches!(outcome, PublishOutcome::Published { .. }));
    }
}

async fn assert_whole(store: &Store) -> i64 {
    let latest = store.latest_version().await.unwrap().unwrap();
    for version in 1..=latest {
        let files = store.version_files(version).await.unwrap();
        assert_eq!(files.len(), FILES, "version {version} is whole");
        let first = files[0].text.lines().next().unwrap().to_owned();
        assert!(
            files.iter().all(|f| f.text.starts_with(&first)),
            "version {version} mixes proposals"
        );
    }
    for proposal in store.proposals(false).await.unwrap() {
        match proposal.status.as_str() {
            "published" => {
                let version = proposal.published_version.unwrap();
                let files = store.version_files(version).await.unwrap();
                let (_, proposed) = store.proposal(proposal.id).await.unwrap().unwrap();
                assert_eq!(
                    files.iter().map(|f| &f.text).collect::<Vec<_>>(),
                    proposed.iter().map(|f| &f.text).collect::<Vec<_>>(),
                    "proposal {} is version {version}",
                    proposal.id
                );
            }
            "open" => {}
            other => panic!("unexpected status {other}"),
        }
    }
    let published = store
        .proposals(false)
        .await
        .unwrap()
        .iter()
        .filter(|p| p.status == "published")
        .count();
    assert_eq!(
        published as i64,
        latest - 1,
        "every version after the first has its proposal"
    );
    store.verify_audit().await.unwrap();
    latest
}

async fn kill_during_publish(database: &str) {
    let store = Store::open(database).await.unwrap();
    let first: Vec<(String, String)> = (0..FILES)
        .map(|i| (format!("windows/w{i:02}.toml"), big_text(0, i)))
        .collect();
    store.seed(&first, Timestamp::now()).await.unwrap();
    store
        .add_staff("author", "editor", "$argon2id$fake", Timestamp::now())
        .await
        .unwrap();
    store
        .add_staff("checker", "reviewer", "$argon2id$fake", Timestamp::now())
        .await
        .unwrap();
    let mut kills_after_a_start = 0;
    for round in 0..12_u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "publisher",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MADOGUCHI_KILL_CHILD", database)
            .stdout(Stdio::piped())
            // Why a child stopped before publishing, if it ever does.
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Wait for the first publish to begin, then kill at a moment that moves each round.
        loop {
            let line = lines
                .next()
                .expect("the child ended before it began publishing (its stderr is above)")
                .unwrap();
            if line.starts_with("publishing") {
                break;
            }
        }
        kills_after_a_start += 1;
        let pause = 3 + (round * 7 + Timestamp::now().subsec_nanosecond() as u64 % 5) % 40;
        std::thread::sleep(Duration::from_millis(pause));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_whole(&store).await;
    }
    let latest = assert_whole(&store).await;
    eprintln!("{kills_after_a_start} kills during publishing; {latest} whole versions");
    assert!(latest > 1, "some publishes finished between the kills");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_publish_leaves_a_whole_version_on_sqlite() {
    let dir = common::scratch("kill");
    kill_during_publish(dir.join("kill.db").to_str().unwrap()).await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_publish_leaves_a_whole_version_on_postgres() {
    let Some((server, name)) = common::postgres_database("kill").await else {
        eprintln!("MADOGUCHI_TEST_POSTGRES is not set: the PostgreSQL tests run in CI");
        return;
    };
    kill_during_publish(&format!("{server}/{name}")).await;
    common::drop_database(&server, &name).await;
}
