//! `madoguchi triage` and `madoguchi eval`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use madoguchi_core::triage::{Query, Region, triage};
use madoguchi_core::{AudienceGroup, ChannelKind, Directory};
use madoguchi_web::json::answer_json;

use crate::cli::TriageArgs;

pub fn run(directory: &Directory, args: &TriageArgs) -> Result<ExitCode> {
    let at = args.at.unwrap_or_else(Timestamp::now);
    let audience = match &args.audience {
        Some(text) => {
            Some(AudienceGroup::parse(text).with_context(|| format!("unknown audience `{text}`"))?)
        }
        None => None,
    };
    let region = match &args.region {
        Some(text) => Some(
            Region::parse(text)
                .with_context(|| format!("unknown region `{text}` (saga or elsewhere)"))?,
        ),
        None => None,
    };
    if let Some(channel) = &args.channel
        && !ChannelKind::FILTER_FAMILIES.contains(&channel.as_str())
    {
        bail!("unknown channel `{channel}` (phone, line, web, email or chat)");
    }
    let query = Query {
        audience,
        region,
        channel: args.channel.as_deref(),
        free_only: args.free,
        open_now: args.open_now,
        ..Query::text(&args.text, at)
    };
    let answer = triage(directory, &query);
    let json = answer_json(directory, answer, at);
    if args.json {
        crate::emit(&(serde_json::to_string_pretty(&json)? + "\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if json.crisis {
        let _ = writeln!(out, "いますぐ危ないときは 110（警察）・119（救急）へ。");
    }
    for (rank, result) in json.results.iter().enumerate() {
        let _ = writeln!(out, "{}. {}  [{}]", rank + 1, result.name, result.id);
        if let Some(channel) = result.channels.first() {
            let _ = writeln!(out, "   {} {}", channel.kind, channel.value);
        }
        for reason in &result.reasons {
            let _ = writeln!(out, "   - {reason}");
        }
    }
    if let Some(line) = &json.crisis_line {
        let _ = writeln!(
            out,
            "つらいときは: {} {}",
            line.name,
            line.channels.first().map_or("", |c| c.value.as_str())
        );
    }
    for warning in &json.warnings {
        let _ = writeln!(out, "注意: {warning}");
    }
    let _ = writeln!(out, "緊急: 110（警察） 119（救急・消防）");
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The dev-set targets of the triage issue.
const TOP1_TARGET: f64 = 0.80;
const TOP3_TARGET: f64 = 0.95;

pub fn eval(directory: &Directory, file: &Path, at: Timestamp, verbose: bool) -> Result<ExitCode> {
    let text =
        fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (mut n, mut top1, mut top3) = (0, 0, 0);
    let (mut crisis_total, mut crisis_hit, mut calm_total, mut calm_flagged) = (0, 0, 0, 0);
    for (number, line) in text.lines().enumerate() {
        if number == 0 && line.starts_with("query\t") || line.trim().is_empty() {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        let [query_text, expect, crisis] = columns[..] else {
            bail!(
                "{}:{}: expected 3 tab-separated columns",
                file.display(),
                number + 1
            );
        };
        let expected: Vec<&str> = expect.split(',').map(str::trim).collect();
        let answer = triage(directory, &Query::text(query_text, at));
        let ids: Vec<&str> = answer.results.iter().map(|r| r.id.as_str()).collect();
        n += 1;
        let hit1 = ids.first().is_some_and(|id| expected.contains(id));
        let hit3 = ids.iter().take(3).any(|id| expected.contains(id));
        top1 += usize::from(hit1);
        top3 += usize::from(hit3);
        match crisis {
            "1" => {
                crisis_total += 1;
                crisis_hit += usize::from(answer.crisis);
            }
            "0" => {
                calm_total += 1;
                calm_flagged += usize::from(answer.crisis);
            }
            _ => {}
        }
        if verbose || !hit3 {
            let mark = if hit3 { "ok  " } else { "MISS" };
            println!(
                "{mark} {query_text}\t→ {}\t(expect {expect})",
                ids.iter().take(3).copied().collect::<Vec<_>>().join(",")
            );
        }
    }
    println!(
        "eval: top1 {top1}/{n} top3 {top3}/{n} crisis_recall {crisis_hit}/{crisis_total} crisis_false {calm_flagged}/{calm_total}"
    );
    let ratio = |a: usize| if n == 0 { 0.0 } else { a as f64 / n as f64 };
    let pass = ratio(top1) >= TOP1_TARGET
        && ratio(top3) >= TOP3_TARGET
        && crisis_hit == crisis_total
        && calm_flagged == 0;
    Ok(if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
