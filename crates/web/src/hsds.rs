//! The directory as Open Referral HSDS 3.0 tables, shared by `export --format hsds`,
//! `--format hsds-csv` and the HSDS API under `/hsds/` (`hsds_api.rs`).
//!
//! HSDS identifies every record by a UUID; ours are readable ids (`ihaho`). Each record gets
//! a UUID derived from its kind and our id (version 5, so the same id always gives the same
//! UUID, in every export and on every server), and keeps our id as `x_madoguchi_id`. Optional
//! fields without a value are left out, never `null`: the schemas allow omitting them, not
//! `null`. Facts that HSDS has no field for (holiday rules, routes, report-only, provenance)
//! are `x_madoguchi_*` fields beside the standard ones (docs/api.md has the table).

use madoguchi_core::hours::{Day, Rule, Schedule};
use madoguchi_core::{AreaScope, Directory, WindowKind};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::json::{HoursJson, link_of};

/// One row: a JSON object with no `null` fields.
pub type Row = Map<String, Value>;

/// The tables of the HSDS export, in the specification's names.
#[derive(Debug, Default)]
pub struct Tables {
    pub organizations: Vec<Row>,
    pub services: Vec<Row>,
    pub phones: Vec<Row>,
    pub schedules: Vec<Row>,
    pub service_areas: Vec<Row>,
    pub taxonomies: Vec<Row>,
    pub taxonomy_terms: Vec<Row>,
    pub attributes: Vec<Row>,
}

impl Tables {
    /// (name, rows) of every table, in a stable order.
    pub fn all(&self) -> [(&'static str, &[Row]); 8] {
        [
            ("organizations", &self.organizations),
            ("services", &self.services),
            ("phones", &self.phones),
            ("schedules", &self.schedules),
            ("service_areas", &self.service_areas),
            ("taxonomies", &self.taxonomies),
            ("taxonomy_terms", &self.taxonomy_terms),
            ("attributes", &self.attributes),
        ]
    }
}

/// Our namespace for record UUIDs (itself the version-5 UUID of the project's name).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:madoguchi")
}

/// The UUID of a record of `kind` (organization, service, phone, …) with our id `id`.
pub fn uuid(kind: &str, id: &str) -> String {
    Uuid::new_v5(&namespace(), format!("{kind}:{id}").as_bytes()).to_string()
}

/// HSDS `language` records for what a channel serves (none when no source says), attached
/// to its phone, or to the service for the union over its channels.
fn languages(
    channel: &madoguchi_core::Channel,
    id: &str,
    phone_id: Option<&str>,
    service_id: Option<&str>,
) -> Vec<Value> {
    channel
        .languages
        .iter()
        .flat_map(|l| l.codes.iter().map(move |code| (l, code)))
        .map(|(l, code)| {
            let mut record = Map::new();
            record.insert(
                "id".into(),
                uuid("language", &format!("{id}/{code}")).into(),
            );
            if let Some(phone_id) = phone_id {
                record.insert("phone_id".into(), phone_id.into());
            }
            if let Some(service_id) = service_id {
                record.insert("service_id".into(), service_id.into());
            }
            record.insert("name".into(), crate::messages::language_name(code).into());
            record.insert("code".into(), code.as_str().into());
            if let Some(note) = &l.note {
                record.insert("note".into(), note.as_str().into());
            }
            Value::Object(record)
        })
        .collect()
}

/// The languages any channel of a window serves, once each, as the service's.
fn service_languages(window: &madoguchi_core::Window, service_id: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut records = Vec::new();
    for channel in &window.channels {
        for record in languages(channel, &window.id, None, Some(service_id)) {
            let code = record["code"].clone();
            if !seen.contains(&code) {
                seen.push(code);
                records.push(record);
            }
        }
    }
    records
}

/// The one taxonomy: our categories.
pub const TAXONOMY: &str = "madoguchi-categories";

/// An object from `json!`, with every `null` field (and empty string) left out, also
/// inside the extension objects.
fn row(value: Value) -> Row {
    let Value::Object(map) = without_nulls(value) else {
        return Row::new();
    };
    map
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
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

/// HH:MM with Japan's offset, as the schedule schema asks ("should include timezone").
fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}+09:00", minutes / 60, minutes % 60)
}

fn schedule_rows(
    window_id: &str,
    channel_index: usize,
    schedule: &Schedule,
    route: Option<(usize, &str)>,
) -> Vec<Row> {
    let service_id = uuid("service", window_id);
    let prefix = match route {
        Some((r, _)) => format!("{window_id}/channel-{channel_index}/route-{r}"),
        None => format!("{window_id}/channel-{channel_index}"),
    };
    let route_label = route.map(|(_, label)| label);
    match schedule {
        Schedule::Unknown { note, .. } => vec![row(json!({
            "id": uuid("schedule", &format!("{prefix}/unknown")),
            "service_id": service_id,
            "description": format!("要確認: {note}"),
            "x_madoguchi_id": format!("{prefix}/unknown"),
            "x_madoguchi_channel": channel_index,
            "x_madoguchi_route": route_label,
            "x_madoguchi_status": "unknown",
        }))],
        Schedule::Known(weekly) => {
            let note = crate::week::describe(weekly, &crate::messages::JA).join("、");
            weekly
                .rules
                .iter()
                .enumerate()
                .map(|(i, rule): (usize, &Rule)| {
                    let monthly = !rule.nth.is_empty() || !rule.month_days.is_empty();
                    let mut description = Vec::new();
                    if rule.days.contains(&Day::Hol) {
                        description.push("祝日を含む".to_owned());
                    }
                    description.push(note.clone());
                    let id = format!("{prefix}/{i}");
                    row(json!({
                        "id": uuid("schedule", &id),
                        "service_id": service_id,
                        "freq": if monthly { "MONTHLY" } else { "WEEKLY" },
                        "byday": byday(&rule.days, &rule.nth),
                        "bymonthday": rule.month_days.iter().map(u8::to_string).collect::<Vec<_>>().join(","),
                        "opens_at": hhmm(rule.open),
                        "closes_at": hhmm(rule.close),
                        "timezone": 9,
                        "description": description.join("。"),
                        "x_madoguchi_id": id,
                        "x_madoguchi_channel": channel_index,
                        "x_madoguchi_route": route_label,
                        "x_madoguchi_holidays": rule.days.contains(&Day::Hol),
                    }))
                })
                .collect()
        }
    }
}

/// The directory as HSDS tables.
pub fn tables(directory: &Directory) -> Tables {
    let mut tables = Tables::default();
    for organization in &directory.organizations {
        let services: Vec<&str> = directory
            .windows
            .iter()
            .filter(|w| w.organization == organization.id)
            .map(|w| w.name.as_str())
            .collect();
        // HSDS requires a description; where the data has none, say what the directory
        // knows: which of its windows the organization runs.
        let description = organization.note.clone().unwrap_or_else(|| {
            format!(
                "{}が運営する窓口: {}",
                organization.name,
                services.join("、")
            )
        });
        tables.organizations.push(row(json!({
            "id": uuid("organization", &organization.id),
            "name": organization.name,
            "description": description,
            "website": organization.url,
            "x_madoguchi_id": organization.id,
        })));
    }
    for window in &directory.windows {
        let service_id = uuid("service", &window.id);
        let mut other_channels = Vec::new();
        for (index, channel) in window.channels.iter().enumerate() {
            if channel.is_call() {
                let id = format!("{}/phone-{index}", window.id);
                tables.phones.push(row(json!({
                    "id": uuid("phone", &id),
                    "service_id": service_id,
                    "number": channel.value,
                    "type": "voice",
                    "description": channel.label.clone().or_else(|| channel.note.clone()),
                    "x_madoguchi_id": id,
                    "x_madoguchi_channel": index,
                    "x_madoguchi_cost": channel.cost.as_str(),
                    "x_madoguchi_caveats": channel.caveats,
                    "languages": languages(channel, &id, Some(&uuid("phone", &id)), None),
                })));
            } else {
                other_channels.push(json!({
                    "channel": index,
                    "kind": channel.kind.as_str(),
                    "value": channel.value,
                    "href": link_of(channel),
                    "label": channel.label,
                    "cost": channel.cost.as_str(),
                    "hours": HoursJson::new(&channel.hours, &crate::messages::JA).summary,
                    "languages": channel.languages.as_ref().map(|l| l.codes.clone()),
                }));
            }
            tables
                .schedules
                .extend(schedule_rows(&window.id, index, &channel.hours, None));
            for (r, route) in channel.routes.iter().enumerate() {
                tables.schedules.extend(schedule_rows(
                    &window.id,
                    index,
                    &route.hours,
                    Some((r, &route.label)),
                ));
            }
        }
        tables.services.push(row(json!({
            "id": service_id,
            "organization_id": uuid("organization", &window.organization),
            "name": window.name,
            "alternate_name": window.short_name,
            "x_madoguchi_name_en": window.name_en.as_ref().map(|n| n.text.clone()),
            "languages": service_languages(window, &service_id),
            "description": window.description.clone().unwrap_or_else(|| window.summary.clone()),
            "url": window.url,
            "status": "active",
            "eligibility_description": window.audience.labels_ja().join("・"),
            "minimum_age": window.audience.min_age,
            "maximum_age": window.audience.max_age,
            "assured_date": window.least_recently_checked().map(|d| d.to_string()),
            "fees_description": window.primary_channel().map(|c| c.cost.label_ja()),
            "x_madoguchi_id": window.id,
            "x_madoguchi_kind": window.kind.as_str(),
            "x_madoguchi_report_only": window.kind == WindowKind::ReportOnly,
            "x_madoguchi_summary": window.summary,
            "x_madoguchi_capabilities": window.capabilities.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "x_madoguchi_cannot": window.cannot,
            "x_madoguchi_prepare": window.prepare,
            "x_madoguchi_steps": window.steps,
            "x_madoguchi_channels": other_channels,
            "x_madoguchi_provenance": crate::json::provenance_json(window),
        })));
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
        tables.service_areas.push(row(json!({
            "id": uuid("service_area", &window.id),
            "service_id": service_id,
            "name": extent,
            "extent_type": "text",
            "extent": extent,
            "description": window.area.note,
            "x_madoguchi_id": format!("{}/area", window.id),
            "x_madoguchi_scope": window.area.scope.as_str(),
        })));
        for category in &window.categories {
            let id = format!("{}/{category}", window.id);
            tables.attributes.push(row(json!({
                "id": uuid("attribute", &id),
                "link_id": service_id,
                "link_type": "service_category",
                "link_entity": "service",
                "taxonomy_term_id": uuid("taxonomy_term", category),
                "value": category,
                "x_madoguchi_id": id,
            })));
        }
    }
    tables.taxonomies.push(row(json!({
        "id": uuid("taxonomy", TAXONOMY),
        "name": "madoguchi 相談の分類",
        "description": "The three groups of the original Saga page and four more: what the trouble is about.",
        "version": "1",
        "x_madoguchi_id": TAXONOMY,
    })));
    for category in &directory.categories {
        tables.taxonomy_terms.push(row(json!({
            "id": uuid("taxonomy_term", &category.id),
            "code": category.id,
            "name": category.name,
            "description": category.description,
            "taxonomy_id": uuid("taxonomy", TAXONOMY),
            "language": "ja",
            "x_madoguchi_id": category.id,
        })));
    }
    tables
}

/// The standard fields of a table, in the order of its HSDS schema (scalar fields only: the
/// tabular form has no nested records).
pub fn columns(table: &str) -> &'static [&'static str] {
    match table {
        "organizations" => &[
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
        ],
        "services" => &[
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "status",
            "fees_description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
        ],
        "phones" => &["id", "service_id", "number", "type", "description"],
        "schedules" => &[
            "id",
            "service_id",
            "freq",
            "byday",
            "bymonthday",
            "description",
            "opens_at",
            "closes_at",
            "timezone",
        ],
        "service_areas" => &[
            "id",
            "service_id",
            "name",
            "description",
            "extent",
            "extent_type",
        ],
        "taxonomies" => &["id", "name", "description", "version"],
        "taxonomy_terms" => &[
            "id",
            "code",
            "name",
            "description",
            "taxonomy_id",
            "language",
        ],
        "attributes" => &[
            "id",
            "link_id",
            "taxonomy_term_id",
            "link_type",
            "link_entity",
            "value",
        ],
        _ => &[],
    }
}

/// A column's type in `datapackage.json` (Frictionless table schema types).
pub fn column_type(table: &str, column: &str) -> &'static str {
    match (table, column) {
        ("services", "minimum_age" | "maximum_age") | ("schedules", "timezone") => "number",
        ("services", "assured_date") => "date",
        _ => "string",
    }
}
