//! Triage latency and index build time, on the Saga data and on a synthetic directory of
//! 10,000 windows. Run with `cargo bench -p madoguchi-core --bench triage`; the figures go
//! into docs/BENCHMARKS.md.
//!
//! This is a plain bench binary (no criterion): it times each query many times with
//! `Instant` and prints p50 and p99, which is what the targets are stated in.

#![allow(clippy::unwrap_used)] // A bench fails loudly on broken data.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use madoguchi_core::Directory;
use madoguchi_core::triage::{Engine, Query};

const QUERIES: &[&str] = &[
    "SNSで悪口を書かれた",
    "元彼に裸の画像をばらまかれた",
    "アカウントを乗っ取られた",
    "身に覚えのない料金請求のメールが届いた",
    "死にたい",
    "子どもがLINEグループでいじめられている",
    "Googleの検索結果から自分の名前を消したい",
    "ネット通販で注文した商品が届かない",
    "わけのわからない言葉だけのテキスト",
    "ＬＩＮＥでわるぐちをかかれた、どうしたらいいですか。学校にも行きたくないです",
];

/// The Saga windows copied until there are `count`, each with its own id.
fn synthetic(files: &[(String, String)], count: usize) -> Vec<(String, String)> {
    let (windows, mut rest): (Vec<_>, Vec<_>) = files
        .iter()
        .cloned()
        .partition(|(p, _)| p.starts_with("windows/"));
    let mut n = 0;
    'outer: for copy in 0.. {
        for (path, text) in &windows {
            if n == count {
                break 'outer;
            }
            let id = path
                .trim_start_matches("windows/")
                .trim_end_matches(".toml");
            let new_id = if copy == 0 {
                id.to_owned()
            } else {
                format!("{id}-{copy}")
            };
            let mut text =
                text.replacen(&format!("id = \"{id}\""), &format!("id = \"{new_id}\""), 1);
            if copy > 0 {
                // Names must name one window: copies get their own and no aliases.
                text = text
                    .lines()
                    .filter(|l| {
                        !l.starts_with("aliases =")
                            && !l.starts_with("reading =")
                            && !l.starts_with("shared_aliases =")
                    })
                    .map(|l| match l.strip_suffix('"') {
                        Some(name)
                            if l.starts_with("name = ") || l.starts_with("short_name = ") =>
                        {
                            format!("{name} {copy}\"")
                        }
                        _ => l.to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            rest.push((format!("windows/{new_id}.toml"), text));
            n += 1;
        }
    }
    rest
}
fn timed_load(files: &[(String, String)]) -> (Directory, Engine, Duration) {
    let start = Instant::now();
    let directory = common::load_files(files);
    let loaded = start.elapsed();
    let engine = Engine::new(&directory);
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        println!(
            "  load+validate {loaded:?}, triage indexes {:?}",
            start.elapsed() - loaded
        );
    }
    (directory, engine, start.elapsed())
}

fn percentiles(directory: &Directory, engine: &Engine, rounds: usize) -> (Duration, Duration) {
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    let mut times = Vec::with_capacity(rounds * QUERIES.len());
    for _ in 0..rounds {
        for text in QUERIES {
            let start = Instant::now();
            let answer = engine.triage(directory, &Query::text(text, at));
            times.push(start.elapsed());
            std::hint::black_box(answer);
        }
    }
    times.sort();
    let at_percent = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    (at_percent(50), at_percent(99))
}

/// The slowest query's median, to see where time goes.
fn slowest(directory: &Directory, engine: &Engine) -> (&'static str, Duration) {
    let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
    QUERIES
        .iter()
        .map(|text| {
            let mut times: Vec<Duration> = (0..11)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(engine.triage(directory, &Query::text(text, at)));
                    start.elapsed()
                })
                .collect();
            times.sort();
            if std::env::var_os("BENCH_VERBOSE").is_some() {
                println!("  {:>10.1?} {text}", times[5]);
            }
            (*text, times[5])
        })
        .max_by_key(|(_, time)| *time)
        .unwrap()
}

fn main() {
    let files = common::read_dir(&common::data_root());
    // The phone-number metadata is parsed once per process, on the first number checked.
    let start = Instant::now();
    madoguchi_core::load::check_phone("03-5978-7509").unwrap();
    println!("phone metadata, first use: {:?}", start.elapsed());
    let (saga, saga_engine, load_time) = timed_load(&files);
    // Load again: the first run pays for page faults and allocator warm-up.
    let (_, _, load_time_warm) = timed_load(&files);
    let (p50, p99) = percentiles(&saga, &saga_engine, 200);
    println!(
        "saga: {} windows, load+validate+index {:?} (first {:?})",
        saga.windows.len(),
        load_time_warm,
        load_time
    );
    println!(
        "saga: triage p50 {p50:?} p99 {p99:?} over {} queries",
        200 * QUERIES.len()
    );

    if std::env::var_os("BENCH_SAGA_ONLY").is_some() {
        return;
    }
    let big_files = synthetic(&files, 10_000);
    let (big, big_engine, big_load) = timed_load(&big_files);
    let (p50, p99) = percentiles(&big, &big_engine, 100);
    println!(
        "synthetic: {} windows, load+validate+index {big_load:?}",
        big.windows.len()
    );
    println!(
        "synthetic: triage p50 {p50:?} p99 {p99:?} over {} queries",
        100 * QUERIES.len()
    );
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        let at = "2026-12-02T14:00:00+09:00".parse().unwrap();
        for text in QUERIES {
            let mut times: Vec<Duration> = (0..200)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(big_engine.triage(&big, &Query::text(text, at)));
                    start.elapsed()
                })
                .collect();
            times.sort();
            println!(
                "  p50 {:>10.1?} p90 {:>10.1?} p99 {:>10.1?} {text}",
                times[100], times[180], times[198]
            );
        }
    }
    let (text, median) = slowest(&big, &big_engine);
    println!("synthetic: slowest query {text:?} median {median:?}");
}
