//! Open-data exports: the whole directory as JSON, as Open Referral HSDS 3.0 JSON with
//! `x_madoguchi_*` extension fields, as CSV (one row per channel, UTF-8 with BOM for Excel),
//! and as one self-contained HTML page. Each carries the data's licence and 更新日 (the newest
//! verified date). `madoguchi export --format …` and `/exports/…` both call these.

use askama::Template;
use madoguchi_core::hours::Schedule;
use madoguchi_core::{Directory, Window, WindowKind};
use serde::Serialize;
use serde_json::{Value, json};

use crate::json::link_of;
use crate::messages::JA;

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
    /// The directory's texts in other languages (`data/lang/`): language → Japanese text →
    /// the same text in that language.
    translations: std::collections::BTreeMap<&'a str, std::collections::BTreeMap<&'a str, &'a str>>,
}

fn json_export(directory: &Directory) -> String {
    let export = JsonExport {
        license: &directory.meta.license,
        license_url: &directory.meta.license_url,
        updated: updated(directory),
        directory,
        translations: directory
            .translations
            .iter()
            .map(|(code, phrases)| (code.as_str(), phrases.sorted()))
            .collect(),
    };
    serde_json::to_string_pretty(&export).unwrap_or_default() + "\n"
}

/// The HSDS tables as one JSON document, with the data's licence and date beside them.
fn hsds(directory: &Directory) -> String {
    let tables = crate::hsds::tables(directory);
    let mut document = serde_json::Map::new();
    document.insert(
        "x_madoguchi".to_owned(),
        json!({
            "license": directory.meta.license,
            "license_url": directory.meta.license_url,
            "updated": updated(directory),
            "seed_url": directory.meta.seed_url,
            "hsds_version": "3.0",
            "extensions": "x_madoguchi_* fields: see docs/api.md#hsds",
        }),
    );
    for (name, rows) in tables.all() {
        document.insert(
            name.to_owned(),
            Value::Array(rows.iter().cloned().map(Value::Object).collect()),
        );
    }
    serde_json::to_string_pretty(&Value::Object(document)).unwrap_or_default() + "\n"
}

/// HSDS's tabular form: one CSV per table (the standard fields only, in the schema's
/// order, plus `x_madoguchi_id`) and a `datapackage.json` that lists them with their fields.
/// Returns (file name, contents).
pub fn hsds_csv(directory: &Directory) -> Vec<(String, String)> {
    let tables = crate::hsds::tables(directory);
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for (name, rows) in tables.all() {
        let mut columns: Vec<&str> = crate::hsds::columns(name)
            .iter()
            .copied()
            .filter(|column| rows.iter().any(|row| row.contains_key(*column)))
            .collect();
        columns.push("x_madoguchi_id");
        let mut out = columns.join(",");
        out.push_str("\r\n");
        for row in rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|column| match row.get(*column) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(text)) => csv_field(text),
                    Some(other) => csv_field(&other.to_string()),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        let file = format!("{name}.csv");
        resources.push(json!({
            "name": name,
            "path": file,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": columns.iter().map(|c| json!({"name": c, "type": crate::hsds::column_type(name, c)})).collect::<Vec<_>>(),
                "primaryKey": "id",
            },
        }));
        files.push((file, out));
    }
    let package = json!({
        "name": "madoguchi-hsds",
        "title": directory.meta.title,
        "profile": "tabular-data-package",
        "licenses": [{"name": directory.meta.license, "path": directory.meta.license_url}],
        "x_madoguchi_updated": updated(directory),
        "x_madoguchi_hsds_version": "3.0",
        "resources": resources,
    });
    files.push((
        "datapackage.json".to_owned(),
        serde_json::to_string_pretty(&package).unwrap_or_default() + "\n",
    ));
    files
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
                Schedule::Known(weekly) => crate::week::describe(weekly, &JA).join(" / "),
                Schedule::Unknown { note, .. } => format!("要確認: {note}"),
            };
            for route in &channel.routes {
                if let Schedule::Known(weekly) = &route.hours {
                    hours.push_str(&format!(
                        " / {}: {}",
                        route.label,
                        crate::week::describe(weekly, &JA).join(" / ")
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
                                Schedule::Known(weekly) => {
                                    crate::week::describe(weekly, &JA).join("、")
                                }
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
