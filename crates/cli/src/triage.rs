//! `madoguchi triage` and `madoguchi eval`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use madoguchi_core::triage::{Engine, Query, Region};
use madoguchi_core::{AudienceGroup, ChannelKind, Directory};
use madoguchi_web::json::{Prepared, UnrankedResults, answer_json};

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
    let answer = Engine::new(directory).triage(directory, &query);
    let prepared = Prepared::new(directory);
    let unranked = UnrankedResults::new(directory, &prepared, at);
    let crisis_line = answer
        .crisis_line
        .as_deref()
        .and_then(|id| directory.window(id));
    let json = answer_json(directory, &prepared, &unranked, answer, at);
    if args.json {
        // Through a `Value`, so that the channels written in advance are indented too.
        crate::emit(&(serde_json::to_string_pretty(&serde_json::to_value(&json)?)? + "\n"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if json.crisis {
        if json.act_done {
            let _ = writeln!(out, "けがをした・薬を飲んだときは、すぐに119（救急）へ。");
        }
        let _ = writeln!(out, "いますぐ危ないときは 110（警察）・119（救急）へ。");
        if json.crisis_subject == Some("other") {
            let _ = writeln!(out, "大切な人のことが心配なとき、あなたも相談できます。");
        }
    }
    let listed = json.crisis_lines.iter().chain(&json.results);
    for (rank, result) in listed.enumerate() {
        let _ = writeln!(out, "{}. {}  [{}]", rank + 1, result.name, result.id);
        if let Some(channel) = first_channel(directory, &result.id) {
            let _ = writeln!(out, "   {} {}", channel.kind.as_str(), channel.value);
        }
        for reason in result.reasons.iter().chain(&result.notes) {
            let _ = writeln!(out, "   - {}", reason.text);
        }
    }
    if let Some(line) = crisis_line {
        let _ = writeln!(
            out,
            "つらいときは: {} {}",
            line.name,
            line.channels.first().map_or("", |c| c.value.as_str())
        );
    }
    for warning in &json.warnings {
        let _ = writeln!(out, "注意: {}", warning.text);
    }
    let _ = writeln!(out, "緊急: 110（警察） 119（救急・消防）");
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn first_channel<'a>(directory: &'a Directory, id: &str) -> Option<&'a madoguchi_core::Channel> {
    directory.window(id).and_then(|w| w.channels.first())
}

/// The targets of the triage issue, for every general set.
const TOP1_TARGET: f64 = 0.85;
const TOP3_TARGET: f64 = 0.97;

/// Figures of one evaluation file.
#[derive(Default)]
struct Figures {
    n: usize,
    top1: usize,
    top3: usize,
    crisis_total: usize,
    crisis_hit: usize,
    /// Crisis rows whose first window is not a crisis line.
    crisis_not_first: usize,
    calm_total: usize,
    calm_flagged: usize,
}

impl Figures {
    fn passes(&self) -> bool {
        let ratio = |a: usize| {
            if self.n == 0 {
                1.0
            } else {
                a as f64 / self.n as f64
            }
        };
        ratio(self.top1) >= TOP1_TARGET
            && ratio(self.top3) >= TOP3_TARGET
            && self.crisis_hit == self.crisis_total
            && self.crisis_not_first == 0
            && self.calm_flagged == 0
    }
}

pub fn eval(
    directory: &Directory,
    files: &[std::path::PathBuf],
    names: bool,
    at: Timestamp,
    verbose: bool,
) -> Result<ExitCode> {
    if files.is_empty() && !names {
        bail!("give evaluation files, --names, or both");
    }
    let engine = Engine::new(directory);
    let mut pass = true;
    for file in files {
        let figures = eval_file(directory, &engine, file, at, verbose)?;
        println!(
            "eval {}: top1 {}/{} top3 {}/{} crisis_recall {}/{} crisis_not_first {} crisis_false {}/{}",
            file.display(),
            figures.top1,
            figures.n,
            figures.top3,
            figures.n,
            figures.crisis_hit,
            figures.crisis_total,
            figures.crisis_not_first,
            figures.calm_flagged,
            figures.calm_total
        );
        pass &= figures.passes();
    }
    if names {
        let (total, misses) = engine.names_not_first(directory, at);
        for (name, expected, got) in &misses {
            println!(
                "MISS name {name}\t→ {}\t(expect {expected})",
                got.as_deref().unwrap_or("nothing")
            );
        }
        println!("eval names: first {}/{total}", total - misses.len());
        pass &= misses.is_empty();
    }
    Ok(if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn eval_file(
    directory: &Directory,
    engine: &Engine,
    file: &Path,
    at: Timestamp,
    verbose: bool,
) -> Result<Figures> {
    let text =
        fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut figures = Figures::default();
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
        let answer = engine.triage(directory, &Query::text(query_text, at));
        let ids: Vec<&str> = answer.ranked().map(|r| r.id.as_str()).collect();
        figures.n += 1;
        let hit1 = ids.first().is_some_and(|id| expected.contains(id));
        let hit3 = ids.iter().take(3).any(|id| expected.contains(id));
        figures.top1 += usize::from(hit1);
        figures.top3 += usize::from(hit3);
        let mut crisis_miss = false;
        match crisis {
            "1" => {
                figures.crisis_total += 1;
                figures.crisis_hit += usize::from(answer.is_crisis());
                crisis_miss = !answer.is_crisis();
                if answer.is_crisis() && answer.crisis_lines.is_empty() {
                    figures.crisis_not_first += 1;
                    crisis_miss = true;
                }
            }
            "0" => {
                figures.calm_total += 1;
                figures.calm_flagged += usize::from(answer.is_crisis());
                crisis_miss = answer.is_crisis();
            }
            _ => {}
        }
        if verbose || !hit3 || crisis_miss {
            let mark = match (hit3, crisis_miss) {
                (_, true) => "CRIS",
                (true, false) => "ok  ",
                (false, false) => "MISS",
            };
            println!(
                "{mark} {query_text}\t→ {}\t(expect {expect}; crisis {})",
                ids.iter().take(3).copied().collect::<Vec<_>>().join(","),
                u8::from(answer.is_crisis())
            );
        }
    }
    Ok(figures)
}
