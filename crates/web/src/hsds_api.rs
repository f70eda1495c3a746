//! The HSDS 3.0 API under `/hsds/`, as the official `openapi.json` describes it: the API's
//! description, paginated services, organizations, taxonomies and terms, each record by id
//! (services and organizations compiled with their related records), and
//! `service_at_locations` (empty: no window has a place to visit). Same rate limit, ETags and
//! error envelope as `/api/v1`. Records are found by their UUID or by our id.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::{ApiError, ErrorCode, PUBLIC, Params, invalid, json_response, shorten};
use crate::hsds::{Row, Tables};

type SharedState = Arc<AppState>;

/// Where the API is described: the specification's own document.
const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";
const PROFILE_URL: &str = "https://docs.openreferral.org/en/latest/hsds/";
const PER_PAGE: usize = 50;
const MAX_PER_PAGE: usize = 1000;

pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/hsds", get(about))
        .route("/hsds/", get(about))
        .route("/hsds/services", get(services))
        .route("/hsds/services/{id}", get(service))
        .route("/hsds/organizations", get(organizations))
        .route("/hsds/organizations/{id}", get(organization))
        .route("/hsds/taxonomies", get(taxonomies))
        .route("/hsds/taxonomies/{id}", get(taxonomy))
        .route("/hsds/taxonomy_terms", get(taxonomy_terms))
        .route("/hsds/taxonomy_terms/{id}", get(taxonomy_term))
        .route("/hsds/service_at_locations", get(service_at_locations))
        .route("/hsds/service_at_locations/{id}", get(service_at_location))
        .route("/hsds/{*rest}", get(unknown))
}

fn tables(state: &AppState) -> &Tables {
    state
        .hsds
        .get_or_init(|| crate::hsds::tables(&state.directory))
}

fn text(row: &Row, key: &str) -> String {
    row.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A record whose UUID or our id is `id`.
fn find<'a>(rows: &'a [Row], id: &str) -> Option<&'a Row> {
    rows.iter()
        .find(|row| text(row, "id") == id || text(row, "x_madoguchi_id") == id)
}

/// A filter parameter's record as its UUID (it may name it by our id); an id that names no
/// record is kept as given, so that it matches nothing.
fn filter_id(params: &Params, name: &str, rows: &[Row]) -> Option<String> {
    params
        .get(name)
        .map(|id| find(rows, id).map_or_else(|| id.to_owned(), |row| text(row, "id")))
}

fn not_found(kind: &str, id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::RecordNotFound,
        format!("no {kind} has the id `{}`", shorten(id)),
    )
}

/// `page`, `per_page`, `format` and `search`, which every list takes.
struct Paging {
    page: usize,
    per_page: usize,
    search: Option<String>,
}

impl Paging {
    /// The specification declares `page` and `per_page` as any integer and `format` as any
    /// string, so every such value is answered: a page below 1 is the first, a size below 1
    /// the default, one above the maximum the maximum, and every format JSON (the only one
    /// offered; `ndjson` is optional in the specification). What is not an integer (an empty
    /// value too) is a 400.
    fn from(params: &Params) -> Result<Paging, ApiError> {
        let number = |name: &str| match params.get(name) {
            None => Ok(None),
            Some(text) => integer(text)
                .map(Some)
                .ok_or_else(|| invalid(name, text, "an integer")),
        };
        let page = number("page")?.map_or(1, |n| n.clamp(1, 1_000_000) as usize);
        let per_page = number("per_page")?
            .filter(|n| *n >= 1)
            .map_or(PER_PAGE, |n| n.min(MAX_PER_PAGE as i64) as usize);
        Ok(Paging {
            page,
            per_page,
            search: params
                .get("search")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase),
        })
    }

    fn matches(&self, row: &Row) -> bool {
        let Some(search) = &self.search else {
            return true;
        };
        [
            "name",
            "alternate_name",
            "description",
            "code",
            "x_madoguchi_id",
        ]
        .iter()
        .any(|key| text(row, key).to_lowercase().contains(search.as_str()))
    }

    /// The page's envelope (the specification's `Page`) around `items`.
    fn page(&self, items: Vec<Value>) -> Value {
        let total = items.len();
        let total_pages = total.div_ceil(self.per_page).max(1);
        let contents: Vec<Value> = items
            .into_iter()
            .skip((self.page - 1) * self.per_page)
            .take(self.per_page)
            .collect();
        json!({
            "total_items": total,
            "total_pages": total_pages,
            "page_number": self.page,
            "size": contents.len(),
            "first_page": self.page == 1,
            "last_page": self.page >= total_pages,
            "empty": contents.is_empty(),
            "contents": contents,
        })
    }
}

/// An integer of any length, saturated to i64 (the specification sets no bound).
fn integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse::<i64>().unwrap_or(if text.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

fn object(row: &Row) -> Value {
    Value::Object(row.clone())
}

async fn about(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::check(query, &[])?;
    let body = json!({
        "version": "3.0",
        "profile": PROFILE_URL,
        "openapi_url": OPENAPI_URL,
        "x_madoguchi_services": tables(&state).services.len(),
    });
    Ok(json_response(&headers, &body, PUBLIC))
}

/// A service with its organization, as the list shows it.
fn service_brief(tables: &Tables, service: &Row) -> Value {
    Value::Object(with_organization(tables, service))
}

fn with_organization(tables: &Tables, service: &Row) -> Row {
    let mut item = service.clone();
    if let Some(org) = find(&tables.organizations, &text(service, "organization_id")) {
        item.insert("organization".to_owned(), object(org));
    }
    item
}

/// A service with everything about it (the compiled service).
fn service_full(tables: &Tables, service: &Row) -> Value {
    let id = text(service, "id");
    let related = |rows: &[Row], key: &str| -> Vec<Value> {
        rows.iter()
            .filter(|row| text(row, key) == id)
            .map(object)
            .collect()
    };
    let mut item = service.clone();
    if let Some(org) = find(&tables.organizations, &text(service, "organization_id")) {
        item.insert("organization".to_owned(), object(org));
    }
    item.insert(
        "phones".to_owned(),
        related(&tables.phones, "service_id").into(),
    );
    item.insert(
        "schedules".to_owned(),
        related(&tables.schedules, "service_id").into(),
    );
    item.insert(
        "service_areas".to_owned(),
        related(&tables.service_areas, "service_id").into(),
    );
    let attributes: Vec<Value> = tables
        .attributes
        .iter()
        .filter(|row| text(row, "link_id") == id)
        .map(|row| {
            let mut attribute = row.clone();
            if let Some(term) = find(&tables.taxonomy_terms, &text(row, "taxonomy_term_id")) {
                attribute.insert("taxonomy_term".to_owned(), object(term));
            }
            Value::Object(attribute)
        })
        .collect();
    item.insert("attributes".to_owned(), attributes.into());
    Value::Object(item)
}

async fn services(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "search",
            "page",
            "per_page",
            "format",
            "taxonomy_term_id",
            "taxonomy_id",
            "organization_id",
            "modified_after",
            "minimal",
            "full",
        ],
    )?;
    let paging = Paging::from(&params)?;
    let (minimal, full) = (params.bool("minimal")?, params.bool("full")?);
    // `modified_after`: the data records when each fact was checked, not when a record
    // changed, so every record is returned, whatever the time (docs/api.md#hsds).
    let tables = tables(&state);
    let term = filter_id(&params, "taxonomy_term_id", &tables.taxonomy_terms);
    let taxonomy = filter_id(&params, "taxonomy_id", &tables.taxonomies);
    let organization = filter_id(&params, "organization_id", &tables.organizations);
    let has_term = |service: &Row, wanted: &dyn Fn(&Row) -> bool| {
        tables.attributes.iter().any(|a| {
            text(a, "link_id") == text(service, "id")
                && find(&tables.taxonomy_terms, &text(a, "taxonomy_term_id")).is_some_and(wanted)
        })
    };
    let items = tables
        .services
        .iter()
        .filter(|s| paging.matches(s))
        .filter(|s| {
            organization
                .as_ref()
                .is_none_or(|o| &text(s, "organization_id") == o)
        })
        .filter(|s| {
            term.as_ref()
                .is_none_or(|t| has_term(s, &|term| &text(term, "id") == t))
        })
        .filter(|s| {
            taxonomy
                .as_ref()
                .is_none_or(|x| has_term(s, &|term| &text(term, "taxonomy_id") == x))
        })
        .map(|s| {
            if minimal {
                json!({"id": text(s, "id"), "name": text(s, "name"), "status": text(s, "status")})
            } else if full {
                service_full(tables, s)
            } else {
                service_brief(tables, s)
            }
        })
        .collect();
    Ok(json_response(&headers, &paging.page(items), PUBLIC))
}

async fn service(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::check(query, &[])?;
    let tables = tables(&state);
    let service = find(&tables.services, &id).ok_or_else(|| not_found("service", &id))?;
    Ok(json_response(
        &headers,
        &service_full(tables, service),
        PUBLIC,
    ))
}

async fn organizations(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "search",
            "full_service",
            "full",
            "page",
            "per_page",
            "format",
        ],
    )?;
    let paging = Paging::from(&params)?;
    let (full, full_service) = (params.bool("full")?, params.bool("full_service")?);
    let tables = tables(&state);
    let items = tables
        .organizations
        .iter()
        .filter(|o| paging.matches(o))
        .map(|o| {
            if full || full_service {
                organization_full(tables, o, full_service)
            } else {
                object(o)
            }
        })
        .collect();
    Ok(json_response(&headers, &paging.page(items), PUBLIC))
}

/// An organization with its services (brief, or compiled with `full_service`).
fn organization_full(tables: &Tables, organization: &Row, full_service: bool) -> Value {
    let id = text(organization, "id");
    let services: Vec<Value> = tables
        .services
        .iter()
        .filter(|s| text(s, "organization_id") == id)
        .map(|s| {
            if full_service {
                let mut service = service_full(tables, s);
                // The organization is the parent here; repeating it inside would loop.
                if let Value::Object(map) = &mut service {
                    map.remove("organization");
                }
                service
            } else {
                object(s)
            }
        })
        .collect();
    let mut item = organization.clone();
    item.insert("services".to_owned(), services.into());
    Value::Object(item)
}

async fn organization(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["full_service"])?;
    let full_service = params.bool("full_service")?;
    let tables = tables(&state);
    let organization =
        find(&tables.organizations, &id).ok_or_else(|| not_found("organization", &id))?;
    Ok(json_response(
        &headers,
        &organization_full(tables, organization, full_service),
        PUBLIC,
    ))
}

async fn taxonomies(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(query, &["search", "page", "per_page", "format"])?;
    let paging = Paging::from(&params)?;
    let items = tables(&state)
        .taxonomies
        .iter()
        .filter(|t| paging.matches(t))
        .map(object)
        .collect();
    Ok(json_response(&headers, &paging.page(items), PUBLIC))
}

async fn taxonomy(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::check(query, &[])?;
    let taxonomy =
        find(&tables(&state).taxonomies, &id).ok_or_else(|| not_found("taxonomy", &id))?;
    Ok(json_response(&headers, &object(taxonomy), PUBLIC))
}

async fn taxonomy_terms(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "search",
            "page",
            "per_page",
            "format",
            "taxonomy_id",
            "top_only",
            "parent_id",
        ],
    )?;
    let paging = Paging::from(&params)?;
    // Our terms have no parents: all are top terms, none is a child.
    params.bool("top_only")?;
    let tables = tables(&state);
    let taxonomy = filter_id(&params, "taxonomy_id", &tables.taxonomies);
    let parent = params.get("parent_id");
    let items = tables
        .taxonomy_terms
        .iter()
        .filter(|t| paging.matches(t))
        .filter(|t| {
            taxonomy
                .as_ref()
                .is_none_or(|x| &text(t, "taxonomy_id") == x)
        })
        .filter(|_| parent.is_none())
        .map(object)
        .collect();
    Ok(json_response(&headers, &paging.page(items), PUBLIC))
}

async fn taxonomy_term(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::check(query, &[])?;
    let term =
        find(&tables(&state).taxonomy_terms, &id).ok_or_else(|| not_found("taxonomy term", &id))?;
    Ok(json_response(&headers, &object(term), PUBLIC))
}

async fn service_at_locations(
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::check(
        query,
        &[
            "search",
            "taxonomy_term_id",
            "taxonomy_id",
            "organization_id",
            "modified_after",
            "full",
            "page",
            "per_page",
            "format",
            "postcode",
            "proximity",
        ],
    )?;
    let paging = Paging::from(&params)?;
    params.bool("full")?;
    // Every window is reached by phone, chat, form or mail; none lists a place to visit.
    Ok(json_response(&headers, &paging.page(Vec::new()), PUBLIC))
}

async fn service_at_location(Path(id): Path<String>) -> ApiError {
    not_found("service at location", &id)
}

async fn unknown() -> ApiError {
    ApiError::new(
        ErrorCode::RouteNotFound,
        "the path is not part of the HSDS API (see GET /hsds/ and its openapi_url)",
    )
}
