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
