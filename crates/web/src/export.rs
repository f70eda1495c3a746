//! Open-data exports: the whole directory as JSON, as Open Referral HSDS 3.0 JSON with
//! `x_madoguchi_*` extension fields, as CSV (one row per channel, UTF-8 with BOM for Excel),
//! and as one self-contained HTML page. Each carries the data's licence and 更新日 (the newest
//! verified date). `madoguchi export --format …` and `/exports/…` both call these.

use askama::Template;
use madoguchi_core::hours::{Day, Rule, Schedule};
use madoguchi_core::{AreaScope, Directory, Window, WindowKind};
use serde::Serialize;
use serde_json::{Value, json};

use crate::json::{HoursJson, link_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Hsds,
    Csv,
    Html,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Hsds, Format::Csv, Format::Html];

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "madoguchi.json",
            Format::Hsds => "madoguchi-hsds.json",
            Format::Csv => "madoguchi.csv",
            Format::Html => "madoguchi.html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json | Format::Hsds => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
        }
    }
}

pub fn export(directory: &Directory, format: Format) -> String {
    match format {
        Format::Json => json_export(directory),
        Format::Hsds => hsds(directory),
        Format::Csv => csv(directory),
        Format::Html => html(directory),
    }
}

/// The last day a source was read: the data set's 更新日.
pub fn updated(directory: &Directory) -> String {
    directory
        .newest_check()
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[derive(Serialize)]
struct JsonExport<'a> {
    license: &'a str,
    license_url: &'a str,
    updated: String,
    #[serde(flatten)]
    directory: &'a Directory,
}

fn json_export(directory: &Directory) -> String {
    let export = JsonExport {
        license: &directory.meta.license,
        license_url: &directory.meta.license_url,
        updated: updated(directory),
        directory,
    };
    serde_json::to_string_pretty(&export).unwrap_or_default() + "\n"
}

fn byday(days: &[Day], nth: &[u8]) -> String {
    let code = |day: &Day| match day {
        Day::Mon => Some("MO"),
        Day::Tue => Some("TU"),
        Day::Wed => Some("WE"),
        Day::Thu => Some("TH"),
        Day::Fri => Some("FR"),
        Day::Sat => Some("SA"),
        Day::Sun => Some("SU"),
        Day::Hol => None,
    };
    let mut parts = Vec::new();
    for day in days.iter().filter_map(code) {
        if nth.is_empty() {
            parts.push(day.to_owned());
        } else {
            parts.extend(nth.iter().map(|n| format!("{n}{day}")));
        }
    }
    parts.join(",")
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn schedule_rows(
    service_id: &str,
    channel_index: usize,
    schedule: &Schedule,
    route: Option<&str>,
) -> Vec<Value> {
    let rule_row = |index: usize, rule: &Rule, note: Option<&str>| {
        let monthly = !rule.nth.is_empty() || !rule.month_days.is_empty();
        let mut description = Vec::new();
        if rule.days.contains(&Day::Hol) {
            description.push("祝日を含む".to_owned());
        }
        if let Some(note) = note {
            description.push(note.to_owned());
        }
        json!({
            "id": format!("{service_id}-channel-{channel_index}{}-schedule-{index}", route.map(|_| "-route").unwrap_or_default()),
            "service_id": service_id,
            "freq": if monthly { "MONTHLY" } else { "WEEKLY" },
            "byday": byday(&rule.days, &rule.nth),
            "bymonthday": rule.month_days.iter().map(u8::to_string).collect::<Vec<_>>().join(","),
            "opens_at": hhmm(rule.open),
            "closes_at": hhmm(rule.close),
            "timezone": 9,
            "description": description.join("。"),
            "x_madoguchi_channel": channel_index,
            "x_madoguchi_route": route,
        })
    };
    match schedule {
        Schedule::Unknown { note, .. } => vec![json!({
            "id": format!("{service_id}-channel-{channel_index}-schedule-unknown"),
            "service_id": service_id,
            "description": format!("要確認: {note}"),
            "x_madoguchi_channel": channel_index,
            "x_madoguchi_route": route,
            "x_madoguchi_status": "unknown",
        })],
        Schedule::Known(weekly) => {
            let note = weekly.describe_ja().join("、");
            weekly
                .rules
                .iter()
                .enumerate()
                .map(|(i, rule)| rule_row(i, rule, Some(&note)))
                .collect()
        }
    }
}

fn hsds(directory: &Directory) -> String {
    let mut services = Vec::new();
    let mut phones = Vec::new();
    let mut schedules = Vec::new();
    let mut service_areas = Vec::new();
    let mut attributes = Vec::new();
    for window in &directory.windows {
        let mut other_channels = Vec::new();
        for (index, channel) in window.channels.iter().enumerate() {
            let hours = HoursJson::new(&channel.hours);
            if channel.is_call() {
                phones.push(json!({
                    "id": format!("{}-phone-{index}", window.id),
                    "service_id": window.id,
                    "number": channel.value,
                    "type": "voice",
                    "description": channel.label.clone().or_else(|| channel.note.clone()),
                    "x_madoguchi_cost": channel.cost.as_str(),
                    "x_madoguchi_caveats": channel.caveats,
                }));
            } else {
                other_channels.push(json!({
                    "kind": channel.kind.as_str(),
                    "value": channel.value,
                    "href": link_of(channel),
                    "label": channel.label,
                    "cost": channel.cost.as_str(),
                    "hours": hours.summary,
                }));
            }
            schedules.extend(schedule_rows(&window.id, index, &channel.hours, None));
            for route in &channel.routes {
                schedules.extend(schedule_rows(
                    &window.id,
                    index,
                    &route.hours,
                    Some(&route.label),
                ));
            }
        }
        let groups: Vec<&str> = window.audience.labels_ja();
        services.push(json!({
            "id": window.id,
            "organization_id": window.organization,
            "name": window.name,
            "alternate_name": window.short_name,
            "description": window.description.clone().unwrap_or_else(|| window.summary.clone()),
            "url": window.url,
            "status": "active",
            "eligibility_description": groups.join("・"),
            "minimum_age": window.audience.min_age,
            "maximum_age": window.audience.max_age,
            "assured_date": window.least_recently_checked().map(|d| d.to_string()),
            "fees_description": window.primary_channel().map(|c| c.cost.label_ja()),
            "x_madoguchi_kind": window.kind.as_str(),
            "x_madoguchi_report_only": window.kind == WindowKind::ReportOnly,
            "x_madoguchi_capabilities": window.capabilities.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "x_madoguchi_cannot": window.cannot,
            "x_madoguchi_prepare": window.prepare,
            "x_madoguchi_steps": window.steps,
            "x_madoguchi_channels": other_channels,
            "x_madoguchi_provenance": crate::json::provenance_json(window),
        }));
        let extent = match window.area.scope {
            AreaScope::National => "日本全国".to_owned(),
            AreaScope::Saga => "佐賀県".to_owned(),
            AreaScope::Municipalities => window
                .area
                .municipalities
                .iter()
                .filter_map(|code| directory.municipalities.iter().find(|m| &m.code == code))
                .map(|m| format!("{}（{}）", m.name, m.code))
                .collect::<Vec<_>>()
                .join("、"),
        };
        service_areas.push(json!({
            "id": format!("{}-area", window.id),
            "service_id": window.id,
            "name": extent,
            "extent_type": "text",
            "extent": extent,
            "description": window.area.note,
        }));
        for category in &window.categories {
            attributes.push(json!({
                "id": format!("{}-{category}", window.id),
                "link_id": window.id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": category,
            }));
        }
    }
    let document = json!({
        "x_madoguchi": {
            "license": directory.meta.license,
            "license_url": directory.meta.license_url,
            "updated": updated(directory),
            "seed_url": directory.meta.seed_url,
            "hsds_version": "3.0",
            "extensions": "x_madoguchi_* fields: see docs/api.md#exports",
        },
        "organizations": directory.organizations.iter().map(|o| json!({
            "id": o.id, "name": o.name, "website": o.url, "description": o.note,
        })).collect::<Vec<_>>(),
        "services": services,
        "phones": phones,
        "schedules": schedules,
        "service_areas": service_areas,
        "taxonomies": [{"id": "madoguchi-categories", "name": "madoguchi 相談の分類", "description": "The three groups of the original Saga page and four more"}],
        "taxonomy_terms": directory.categories.iter().map(|c| json!({
            "id": c.id, "code": c.id, "term": c.name, "description": c.description, "taxonomy_id": "madoguchi-categories",
        })).collect::<Vec<_>>(),
        "attributes": attributes,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

const CSV_COLUMNS: [&str; 19] = [
    "window_id",
    "window_name",
    "organization",
    "kind",
    "categories",
    "channel_kind",
    "channel_label",
    "value",
    "href",
    "cost",
    "hours",
    "caveats",
    "audience",
    "area",
    "sources",
    "as_of",
    "confidence",
    "license",
    "updated",
];

fn csv(directory: &Directory) -> String {
    // The BOM lets Excel open the file as UTF-8, so Japanese shows correctly.
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    let updated = updated(directory);
    for window in &directory.windows {
        let organization = directory
            .organization(&window.organization)
            .map_or("", |o| o.name.as_str());
        let audience: Vec<&str> = window.audience.labels_ja();
        for channel in &window.channels {
            let mut hours = match &channel.hours {
                Schedule::Known(weekly) => weekly.describe_ja().join(" / "),
                Schedule::Unknown { note, .. } => format!("要確認: {note}"),
            };
            for route in &channel.routes {
                if let Schedule::Known(weekly) = &route.hours {
                    hours.push_str(&format!(
                        " / {}: {}",
                        route.label,
                        weekly.describe_ja().join(" / ")
                    ));
                }
            }
            let row = [
                window.id.clone(),
                window.name.clone(),
                organization.to_owned(),
                window.kind.as_str().to_owned(),
                window.categories.join(" "),
                channel.kind.as_str().to_owned(),
                channel.label.clone().unwrap_or_default(),
                channel.value.clone(),
                link_of(channel).unwrap_or_default(),
                channel.cost.label_ja().to_owned(),
                hours,
                channel.caveats.join(" / "),
                audience.join("・"),
                window.area.scope.label_ja().to_owned(),
                channel
                    .sources
                    .iter()
                    .filter_map(|id| window.source(id))
                    .map(|s| s.url.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                window.as_of().map(|d| d.to_string()).unwrap_or_default(),
                window.provenance.confidence.as_str().to_owned(),
                directory.meta.license.clone(),
                updated.clone(),
            ];
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

struct HtmlGroup<'a> {
    name: &'a str,
    windows: Vec<HtmlWindow<'a>>,
}

struct HtmlWindow<'a> {
    window: &'a Window,
    report_only: bool,
    channels: Vec<String>,
    /// The date of the oldest dated fact, or 「日付なし」.
    as_of: String,
    /// (title, url) of every source.
    sources: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "export.html")]
struct HtmlExport<'a> {
    title: &'a str,
    license: &'a str,
    license_url: &'a str,
    updated: String,
    groups: Vec<HtmlGroup<'a>>,
}

fn html(directory: &Directory) -> String {
    let groups = directory
        .categories
        .iter()
        .map(|category| HtmlGroup {
            name: &category.name,
            windows: directory
                .windows_in(&category.id)
                .map(|window| HtmlWindow {
                    window,
                    as_of: window
                        .as_of()
                        .map_or_else(|| "日付なし".to_owned(), |d| d.to_string()),
                    sources: window
                        .sources
                        .iter()
                        .map(|s| (s.title.clone(), s.url.clone()))
                        .collect(),
                    report_only: window.kind == WindowKind::ReportOnly,
                    channels: window
                        .channels
                        .iter()
                        .map(|c| {
                            let hours = match &c.hours {
                                Schedule::Known(weekly) => weekly.describe_ja().join("、"),
                                Schedule::Unknown { note, .. } => {
                                    format!("受付時間は要確認（{note}）")
                                }
                            };
                            format!(
                                "{} {}（{}）: {}",
                                c.kind.label_ja(),
                                c.value,
                                c.cost.label_ja(),
                                hours
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .filter(|g| !g.windows.is_empty())
        .collect();
    let page = HtmlExport {
        title: &directory.meta.title,
        license: &directory.meta.license,
        license_url: &directory.meta.license_url,
        updated: updated(directory),
        groups,
    };
    page.render().unwrap_or_default()
}
