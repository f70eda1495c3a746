"""Validates madoguchi's HSDS output against the official HSDS 3.0 schemas, unchanged.

    python3 conformance/hsds.py export FILE.json        # madoguchi export --format hsds
    python3 conformance/hsds.py csv DIR                 # madoguchi export --format hsds-csv DIR
    python3 conformance/hsds.py api http://HOST:PORT/hsds

The schemas come from ../shared/hsds-3.0/schema (or $HSDS_SCHEMA_DIR). They refer to each
other by their published addresses; those are mapped to the local files, so nothing is
fetched. Formats (date, uri, email, time) are checked too. Every error is printed with the
table or route, the row's id and the path inside the row; the exit status is 1 if there is
any.
"""

import csv
import json
import os
import sys
import urllib.request
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).resolve().parent
SCHEMAS = Path(os.environ.get("HSDS_SCHEMA_DIR", HERE.parent.parent / "shared" / "hsds-3.0" / "schema"))
PUBLISHED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

# Export tables and the schema each row must satisfy.
TABLES = {
    "organizations": "organization.json",
    "services": "service.json",
    "phones": "phone.json",
    "schedules": "schedule.json",
    "service_areas": "service_area.json",
    "languages": "language.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
    "attributes": "attribute.json",
    "locations": "location.json",
    "addresses": "address.json",
    "contacts": "contact.json",
    "service_at_locations": "service_at_location.json",
}


def load(relative):
    return json.loads((SCHEMAS / relative).read_text(encoding="utf-8"))


def registry():
    resources = []
    for path in sorted(SCHEMAS.rglob("*.json")):
        relative = path.relative_to(SCHEMAS).as_posix()
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((PUBLISHED + relative, resource))
    return Registry().with_resources(resources)


REGISTRY = registry()


def validator(relative):
    schema = dict(load(relative))
    # The table schemas refer to their neighbours relatively ("phone.json"): give each its
    # published address as base, so that those resolve to the files beside it.
    schema.setdefault("$id", PUBLISHED + relative)
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker())


ERRORS = []


def check(where, row, schema):
    for error in sorted(validator_cache(schema).iter_errors(row), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in error.absolute_path) or "(row)"
        row_id = row.get("id", "?") if isinstance(row, dict) else "?"
        ERRORS.append(f"{where} id={row_id} {path}: {error.message[:300]}")


_VALIDATORS = {}


def validator_cache(relative):
    if relative not in _VALIDATORS:
        _VALIDATORS[relative] = validator(relative)
    return _VALIDATORS[relative]


def check_export(path):
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {}
    for table, schema in TABLES.items():
        for row in document.get(table, []):
            check(table, row, schema)
        counts[table] = len(document.get(table, []))
    unknown = [k for k in document if k not in TABLES and not k.startswith("x_")]
    for key in unknown:
        ERRORS.append(f"{key}: not an HSDS table")
    return counts


def typed(value, spec):
    """A CSV cell as the JSON value its schema field expects (CSV has only text)."""
    if value == "":
        return None
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds:
        return int(value)
    if "number" in kinds:
        return float(value)
    if "boolean" in kinds:
        return value == "true"
    if "array" in kinds or "object" in kinds:
        return json.loads(value)
    return value


def check_csv(directory):
    directory = Path(directory)
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    counts = {}
    names = {resource["name"] for resource in package["resources"]}
    for resource in package["resources"]:
        table = resource["name"]
        schema = TABLES.get(table)
        if schema is None:
            ERRORS.append(f"datapackage.json: {table} is not an HSDS table")
            continue
        properties = load(schema)["properties"]
        fields = [f["name"] for f in resource["schema"]["fields"]]
        with open(directory / resource["path"], encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != fields:
                ERRORS.append(f"{resource['path']}: columns {reader.fieldnames} differ from datapackage.json {fields}")
            rows = 0
            for row in reader:
                rows += 1
                record = {}
                for key, value in row.items():
                    if key.startswith("x_"):
                        # An extension column (the schemas allow more fields than theirs).
                        if value:
                            record[key] = value
                        continue
                    if key not in properties:
                        ERRORS.append(f"{resource['path']} column {key}: not a field of {schema}")
                        continue
                    cell = typed(value, properties[key])
                    if cell is not None:
                        record[key] = cell
                check(resource["path"], record, schema)
            counts[table] = rows
    for table in ("services", "organizations"):
        if table not in names:
            ERRORS.append(f"datapackage.json: no {table}")
    return counts


def get(base, path):
    with urllib.request.urlopen(base.rstrip("/") + path, timeout=30) as response:
        if response.status != 200:
            ERRORS.append(f"GET {path}: {response.status}")
        kind = response.headers.get("Content-Type", "")
        if not kind.startswith("application/json"):
            ERRORS.append(f"GET {path}: Content-Type {kind}")
        return json.loads(response.read())


PAGE = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))["components"]["schemas"]["Page"]


def check_paged(base, path, item_schema):
    items, page = [], 1
    while True:
        body = get(base, f"{path}{'&' if '?' in path else '?'}page={page}&per_page=20")
        for error in Draft202012Validator(PAGE).iter_errors(body):
            ERRORS.append(f"GET {path} page {page}: {error.message}")
        for item in body.get("contents", []):
            check(f"GET {path} page {page}", item, item_schema)
            items.append(item)
        if body.get("size") != len(body.get("contents", [])):
            ERRORS.append(f"GET {path} page {page}: size {body.get('size')} but {len(body.get('contents', []))} items")
        if body.get("last_page", True) or page > 1000:
            if body.get("total_items") != len(items):
                ERRORS.append(f"GET {path}: total_items {body.get('total_items')} but {len(items)} items on all pages")
            return items
        page += 1


def check_api(base):
    root = get(base, "/")
    for key in ("version", "openapi_url"):
        if not isinstance(root.get(key), str):
            ERRORS.append(f"GET /: no {key}")
    services = check_paged(base, "/services", "compiled/service_list.json")
    for service in services:
        check("GET /services/{id}", get(base, f"/services/{service['id']}"), "compiled/service.json")
    organizations = check_paged(base, "/organizations", "compiled/organization_list.json")
    for organization in organizations:
        check("GET /organizations/{id}", get(base, f"/organizations/{organization['id']}"), "compiled/organization.json")
    taxonomies = check_paged(base, "/taxonomies", "taxonomy.json")
    for taxonomy in taxonomies:
        check("GET /taxonomies/{id}", get(base, f"/taxonomies/{taxonomy['id']}"), "taxonomy.json")
    terms = check_paged(base, "/taxonomy_terms", "taxonomy_term.json")
    for term in terms:
        check("GET /taxonomy_terms/{id}", get(base, f"/taxonomy_terms/{term['id']}"), "taxonomy_term.json")
    check_paged(base, "/service_at_locations", "compiled/service_at_location_list.json")
    if terms:
        check_paged(base, f"/services?taxonomy_term_id={terms[0]['id']}", "compiled/service_list.json")
    return {"services": len(services), "organizations": len(organizations), "taxonomies": len(taxonomies), "taxonomy_terms": len(terms)}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("export", "csv", "api"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, target = sys.argv[1], sys.argv[2]
    counts = {"export": check_export, "csv": check_csv, "api": check_api}[mode](target)
    for error in ERRORS:
        print(error)
    summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    print(f"HSDS 3.0 {mode}: {len(ERRORS)} schema errors ({summary})")
    return 1 if ERRORS else 0


if __name__ == "__main__":
    sys.exit(main())
