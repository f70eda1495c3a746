//! `madoguchi hours`: a window's week and its state at an instant, as text or JSON.

use std::fmt::Write as _;

use jiff::Timestamp;
use madoguchi_core::hours::{OpenState, Schedule};
use madoguchi_core::{Directory, Window};
use madoguchi_web::json::{instant, rfc3339};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct HoursReport {
    pub id: String,
    pub at: String,
    pub state: &'static str,
    pub until: Option<String>,
    pub next_open: Option<String>,
    pub note: Option<String>,
    /// Channel by channel, in words: 「電話は受付時間外（…から）・Webフォームはいつでも送れます」.
    pub summary: String,
    pub channels: Vec<ChannelReport>,
}

#[derive(Debug, Serialize)]
pub struct ChannelReport {
    pub kind: &'static str,
    pub value: String,
    pub state: &'static str,
    pub until: Option<String>,
    pub next_open: Option<String>,
    /// Where the call goes now when it is routed (188 at weekends).
    pub route: Option<String>,
    pub note: Option<String>,
    /// What another source says about these hours, when sources disagree.
    pub conflict: Option<String>,
    /// The pages that state the hours in force now: 「title <url>」.
    pub sources: Vec<String>,
}

pub fn report(directory: &Directory, window: &Window, at: Timestamp) -> HoursReport {
    let mut notes = Vec::new();
    let mut states = Vec::new();
    let channels: Vec<ChannelReport> = window
        .channels
        .iter()
        .map(|channel| {
            let state = channel.state_at(at, &directory.holidays);
            let route = state
                .route
                .as_ref()
                .and_then(|label| channel.routes.iter().find(|r| &r.label == label));
            let (schedule, note) = match route {
                Some(route) => {
                    let mut note = format!("いまは「{}」につながります。", route.label);
                    if let Some(extra) = &route.note {
                        note.push_str(extra);
                    }
                    (&route.hours, Some(note))
                }
                None => (&channel.hours, channel.hours.note().map(str::to_owned)),
            };
            let (ids, conflict) = match schedule {
                Schedule::Known(weekly) => (
                    &weekly.sources,
                    weekly.conflict.as_ref().map(|c| c.note.clone()),
                ),
                Schedule::Unknown { sources, .. } => (sources, None),
            };
            let sources = ids
                .iter()
                .filter_map(|id| window.source(id))
                .map(|s| format!("{} <{}>", s.title, s.url))
                .collect();
            if let Some(note) = &note {
                notes.push(note.clone());
            }
            states.push(state.state.clone());
            ChannelReport {
                kind: channel.kind.as_str(),
                value: channel.value.clone(),
                state: state.state.as_str(),
                until: rfc3339(state.state.until()),
                next_open: rfc3339(state.state.next_open()),
                route: state.route.clone(),
                note,
                conflict,
                sources,
            }
        })
        .collect();
    // The window is open when any channel is: the same rule as `Window::state_at`, applied
    // to the states just computed rather than computing them again.
    let state = OpenState::any(states);
    HoursReport {
        id: window.id.clone(),
        at: instant(at),
        state: state.as_str(),
        until: rfc3339(state.until()),
        next_open: rfc3339(state.next_open()),
        note: (!notes.is_empty()).then(|| notes.join(" ")),
        summary: madoguchi_web::views::availability_line(directory, window, at, &madoguchi_web::JA),
        channels,
    }
}

pub fn text(window: &Window, report: &HoursReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  [{}]", window.name, window.id);
    for channel in &window.channels {
        let _ = writeln!(out, "  {} {}", channel.kind.label_ja(), channel.value);
        write_schedule(&mut out, &channel.hours, "    ");
        for route in &channel.routes {
            let _ = writeln!(out, "    → {}", route.label);
            write_schedule(&mut out, &route.hours, "      ");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{} の時点: {}", report.at, state_ja(report.state));
    let _ = writeln!(out, "  {}", report.summary);
    if let Some(until) = &report.until {
        let _ = writeln!(out, "  {until} まで");
    }
    if let Some(next) = &report.next_open {
        let _ = writeln!(out, "  次に開くのは {next}");
    }
    for channel in &report.channels {
        let mut line = format!(
            "  - {} {}: {}",
            channel.kind,
            channel.value,
            state_ja(channel.state)
        );
        if let Some(route) = &channel.route {
            let _ = write!(line, "（{route}）");
        }
        let _ = writeln!(out, "{line}");
        if let Some(note) = &channel.note {
            let _ = writeln!(out, "      {note}");
        }
        if let Some(conflict) = &channel.conflict {
            let _ = writeln!(out, "      資料によって違います: {conflict}");
        }
        for source in &channel.sources {
            let _ = writeln!(out, "      出典: {source}");
        }
    }
    out
}

fn state_ja(state: &str) -> &'static str {
    match state {
        "open" => "受付中",
        "closed" => "受付時間外",
        _ => "受付時間は要確認",
    }
}

/// A schedule as indented lines: the week, or 要確認 with its note.
pub fn write_schedule(out: &mut String, schedule: &Schedule, indent: &str) {
    match schedule {
        Schedule::Unknown { note, .. } => {
            let _ = writeln!(out, "{indent}要確認: {note}");
        }
        Schedule::Known(weekly) => {
            for line in madoguchi_web::week::describe(weekly, &madoguchi_web::messages::JA) {
                let _ = writeln!(out, "{indent}{line}");
            }
        }
    }
}
