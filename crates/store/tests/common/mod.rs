//! Shared by the store's tests: a scratch folder for SQLite files, and a PostgreSQL database
//! of its own per test (when MADOGUCHI_TEST_POSTGRES names a server), dropped at the end.

#![allow(dead_code, clippy::unwrap_used)] // Each test file uses a part; tests fail loudly.

use jiff::Timestamp;
use madoguchi_store::Store;

/// A new folder under the temporary directory.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "madoguchi-{name}-{}-{}",
        std::process::id(),
        Timestamp::now().as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A new, empty PostgreSQL database: (server, name); its URL is `{server}/{name}`. `None`
/// when no server is configured.
pub async fn postgres_database(prefix: &str) -> Option<(String, String)> {
    let server = std::env::var("MADOGUCHI_TEST_POSTGRES").ok()?;
    let name = format!(
        "madoguchi_{prefix}_{}_{}",
        std::process::id(),
        Timestamp::now().as_nanosecond() % 1_000_000_000
    );
    let admin = Store::open(&format!("{server}/postgres")).await.unwrap();
    admin
        .execute_raw(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await;
    Some((server, name))
}

pub async fn drop_database(server: &str, name: &str) {
    let admin = Store::open(&format!("{server}/postgres")).await.unwrap();
    admin
        .execute_raw(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await;
}
