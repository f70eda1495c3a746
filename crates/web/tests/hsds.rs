//! HSDS 3.0: the export read back into our terms loses no fact of the data files (or the
//! mapping in docs/api.md says which and why), ids are stable UUIDs, and the `/hsds/` API
//! finds records by UUID or by our id and answers errors in the API's envelope. The schema
//! validation itself runs against the official schemas in CI (`conformance/hsds.py`).

#![allow(clippy::unwrap_used)] // Tests fail loudly.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use madoguchi_core::hours::Schedule;
use madoguchi_web::export::{Format, export, hsds_csv};
use madoguchi_web::{hsds, router};
use serde_json::Value;
use tower::ServiceExt;

fn export_json() -> Value {
    serde_json::from_str(&export(&common::saga(), Format::Hsds)).unwrap()
}

/// Rows of `table` keyed by our id.
fn by_our_id<'a>(document: &'a Value, table: &str) -> BTreeMap<&'a str, &'a Value> {
    document[table]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["x_madoguchi_id"].as_str().unwrap(), row))
        .collect()
}

#[test]
fn the_export_read_back_keeps_every_fact_of_the_data() {
    let directory = common::saga();
    let document = export_json();
    let services = by_our_id(&document, "services");
    let organizations: BTreeMap<&str, &Value> = document["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["id"].as_str().unwrap(), o))
        .collect();
    assert_eq!(services.len(), directory.windows.len());
    for window in &directory.windows {
        let service = services[window.id.as_str()];
        let service_id = service["id"].as_str().unwrap();
        assert_eq!(service_id, hsds::uuid("service", &window.id));
        assert_eq!(service["name"], window.name.as_str());
        assert_eq!(
            service["description"],
            window.description.as_deref().unwrap_or(&window.summary)
        );
        assert_eq!(service["x_madoguchi_summary"], window.summary.as_str());
        assert_eq!(service["url"].as_str(), window.url.as_deref());
        assert_eq!(
            service["alternate_name"].as_str(),
            window.short_name.as_deref()
        );
        assert_eq!(service["x_madoguchi_kind"], window.kind.as_str());
        assert_eq!(
            service["minimum_age"].as_u64(),
            window.audience.min_age.map(u64::from)
        );
        assert_eq!(
            service["maximum_age"].as_u64(),
            window.audience.max_age.map(u64::from)
        );
        let organization = organizations[service["organization_id"].as_str().unwrap()];
        assert_eq!(organization["x_madoguchi_id"], window.organization.as_str());
        assert_eq!(
            service["x_madoguchi_provenance"]["sources"]
                .as_array()
                .map(Vec::len),
            Some(window.sources.len()),
            "{}: every source with its dates",
            window.id
        );

        // Every channel: a phone row, or an entry of x_madoguchi_channels, with its hours.
        let phones: Vec<&Value> = document["phones"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["service_id"] == service_id)
            .collect();
        let others = service["x_madoguchi_channels"].as_array().unwrap();
        for (index, channel) in window.channels.iter().enumerate() {
            let found = phones.iter().any(|p| {
                p["x_madoguchi_channel"] == index && p["number"] == channel.value.as_str()
            }) || others
                .iter()
                .any(|c| c["channel"] == index && c["value"] == channel.value.as_str());
            assert!(found, "{} channel {index} {}", window.id, channel.value);
            let schedules: Vec<&Value> = document["schedules"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["service_id"] == service_id && s["x_madoguchi_channel"] == index)
                .filter(|s| s.get("x_madoguchi_route").is_none())
                .collect();
            match &channel.hours {
                Schedule::Known(weekly) => {
                    assert_eq!(schedules.len(), weekly.rules.len(), "{} {index}", window.id);
                    for (rule, row) in weekly.rules.iter().zip(&schedules) {
                        let opens = format!("{:02}:{:02}+09:00", rule.open / 60, rule.open % 60);
                        assert_eq!(row["opens_at"], opens.as_str());
                    }
                }
                Schedule::Unknown { .. } => {
                    assert_eq!(schedules.len(), 1);
                    assert_eq!(schedules[0]["x_madoguchi_status"], "unknown");
                }
            }
        }
        // Categories as taxonomy terms.
        let categories: BTreeSet<&str> = document["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["link_id"] == service_id)
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = window.categories.iter().map(String::as_str).collect();
        assert_eq!(categories, expected, "{}", window.id);
    }
}

#[test]
fn no_optional_field_is_null_and_ids_are_stable() {
    let first = export(&common::saga(), Format::Hsds);
    assert!(!first.contains(": null"), "nulls are left out");
    assert_eq!(first, export(&common::saga(), Format::Hsds), "byte-stable");
    assert_eq!(
        hsds::uuid("service", "ihaho"),
        "bff53d98-724e-5227-b62f-1afd6c4ef3bd",
        "a record's UUID never changes"
    );
}

#[test]
fn the_tabular_form_lists_every_table_in_its_datapackage() {
    let files = hsds_csv(&common::saga());
    let package: Value = serde_json::from_str(
        &files
            .iter()
            .find(|(name, _)| name == "datapackage.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), files.len() - 1);
    for resource in resources {
        let (_, csv) = files
            .iter()
            .find(|(name, _)| name == resource["path"].as_str().unwrap())
            .unwrap();
        let header = csv.lines().next().unwrap();
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(header, fields.join(","), "{}", resource["path"]);
    }
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let response = router(common::state())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn the_hsds_api_finds_records_by_uuid_or_our_id() {
    let (status, by_id) = get("/hsds/services/ihaho").await;
    assert_eq!(status, StatusCode::OK);
    let uuid = by_id["id"].as_str().unwrap().to_owned();
    let (_, by_uuid) = get(&format!("/hsds/services/{uuid}")).await;
    assert_eq!(by_id, by_uuid);
    assert!(by_id["phones"].is_array() && by_id["organization"].is_object());

    let (_, first) = get("/hsds/services?per_page=10").await;
    assert_eq!(first["size"], 10);
    assert_eq!(first["first_page"], true);
    let total = first["total_items"].as_u64().unwrap();
    let (_, last) = get(&format!(
        "/hsds/services?per_page=10&page={}",
        total.div_ceil(10)
    ))
    .await;
    assert_eq!(last["last_page"], true);
    assert_eq!(
        last["size"].as_u64().unwrap(),
        total - 10 * (total.div_ceil(10) - 1)
    );

    let (_, crisis) = get("/hsds/services?taxonomy_term_id=crisis&per_page=1000").await;
    assert!(crisis["total_items"].as_u64().unwrap() > 0);
    assert!(crisis["total_items"].as_u64().unwrap() < total);

    let (status, error) = get("/hsds/services/no-such-window").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "record_not_found");
    for bad in ["page=two", "page=", "per_page=", "full=maybe"] {
        let (status, error) = get(&format!("/hsds/services?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error["error"]["code"], "invalid_parameter", "{bad}");
    }
    // What the specification allows is answered, however odd.
    for odd in [
        "page=-3",
        "per_page=0",
        "per_page=99999999999999999999999",
        "format=xml",
    ] {
        let (status, _) = get(&format!("/hsds/services?{odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
    }
}
