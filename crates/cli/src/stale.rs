//! `madoguchi stale`: every fact due for checking again, most harmful first, as text or as
//! JSON for the staff tools.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use jiff::civil::Date;
use madoguchi_core::Directory;
use madoguchi_core::freshness::{fact_count, stale};
use serde::Serialize;

#[derive(Debug, Serialize)]
struct StaleJson {
    /// The day the ages are counted from.
    today: String,
    older_than_months: i64,
    /// Facts in the directory.
    total: usize,
    /// Facts due for checking, most harmful first.
    facts: Vec<StaleFactJson>,
}

#[derive(Debug, Serialize)]
struct StaleFactJson {
    window: String,
    window_name: String,
    /// A crisis line or an emergency number: check these first.
    critical: bool,
    /// `contact`, `hours`, `hours_conflict`, `capabilities`, `cannot` or `window`.
    kind: &'static str,
    subject: String,
    /// The newest page date among its sources; `null` when none is dated.
    date: Option<String>,
    checked: Option<String>,
    sources: Vec<SourceJson>,
}

#[derive(Debug, Serialize)]
struct SourceJson {
    title: String,
    url: String,
    published: Option<String>,
}

pub fn run(directory: &Directory, today: Date, months: i64, json: bool) -> Result<ExitCode> {
    let facts = stale(directory, today, months);
    let total = fact_count(directory);
    if json {
        let report = StaleJson {
            today: today.to_string(),
            older_than_months: months,
            total,
            facts: facts
                .iter()
                .map(|f| StaleFactJson {
                    window: f.window.id.clone(),
                    window_name: f.window.name.clone(),
                    critical: f.window_harm == 0,
                    kind: f.fact.kind.as_str(),
                    subject: f.fact.subject.clone(),
                    date: f.date.map(|d| d.to_string()),
                    checked: f.checked.map(|d| d.to_string()),
                    sources: f
                        .sources
                        .iter()
                        .map(|s| SourceJson {
                            title: s.title.clone(),
                            url: s.url.clone(),
                            published: s.published.map(|d| d.to_string()),
                        })
                        .collect(),
                })
                .collect(),
        };
        crate::emit(&(serde_json::to_string_pretty(&report)? + "\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    for fact in &facts {
        let date = fact
            .date
            .map_or_else(|| "日付なし".to_owned(), |d| d.to_string());
        let mark = if fact.window_harm == 0 { "!" } else { " " };
        let _ = writeln!(
            out,
            "{mark} {:<24} {:<14} {:<10} {}",
            fact.window.id,
            fact.fact.kind.as_str(),
            date,
            fact.fact.subject
        );
        for source in &fact.sources {
            let _ = writeln!(out, "      {} <{}>", source.title, source.url);
        }
    }
    let _ = writeln!(
        out,
        "stale: {} of {total} facts are older than {months} months or undated (! = crisis line or emergency number)",
        facts.len()
    );
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}
