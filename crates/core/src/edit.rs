//! Changing a window's data file the way the staff console and `import` do: the facts a form
//! shows (`WindowFields`), written back into the TOML text without disturbing the rest of it
//! (`with_fields`), every changed fact made to cite the page that says so (`cite`), and the
//! change as a unified diff for the reviewer (`diff`).
//!
//! Texts in, texts out: the result is checked by `load` like any data file, so a change that
//! breaks a rule is refused with the rule's message.

use jiff::civil::Date;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value, value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{file}: not valid TOML: {message}")]
    Syntax { file: String, message: String },
    #[error(
        "nothing changed: change a fact, or give the page of a source the window already cites to record that it was checked again"
    )]
    NothingChanged,
    #[error(
        "a change needs its source: the address (http:// or https://) and the title of the page that says so"
    )]
    MissingSource,
    #[error("the form has {given} channels but the file has {expected}; reload the form")]
    ChannelCount { given: usize, expected: usize },
}

/// The facts of a window a form edits directly; everything else is edited as the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowFields {
    pub name: String,
    pub summary: String,
    pub description: String,
    pub url: String,
    pub channels: Vec<ChannelFields>,
}

/// One channel's editable facts; `kind` is shown, not edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelFields {
    pub kind: String,
    pub value: String,
    pub label: String,
    pub note: String,
    pub hours_note: String,
}

/// The page a change comes from, and the day somebody read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub url: String,
    pub title: String,
    pub checked: Date,
}

fn parse(file: &str, text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>()
        .map_err(|error| EditError::Syntax {
            file: file.to_owned(),
            message: error.message().to_owned(),
        })
}

fn text_of(table: &Table, key: &str) -> String {
    table
        .get(key)
        .and_then(Item::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The editable facts of a window file.
pub fn fields(file: &str, text: &str) -> Result<WindowFields, EditError> {
    let document = parse(file, text)?;
    let root = document.as_table();
    let channels = root
        .get("channels")
        .and_then(Item::as_array_of_tables)
        .map(|channels| {
            channels
                .iter()
                .map(|channel| ChannelFields {
                    kind: text_of(channel, "kind"),
                    value: text_of(channel, "value"),
                    label: text_of(channel, "label"),
                    note: text_of(channel, "note"),
                    hours_note: channel
                        .get("hours")
                        .and_then(Item::as_table_like)
                        .and_then(|hours| hours.get("note"))
                        .and_then(Item::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(WindowFields {
        name: text_of(root, "name"),
        summary: text_of(root, "summary"),
        description: text_of(root, "description"),
        url: text_of(root, "url"),
        channels,
    })
}

/// Sets `key` to `text` when it differs, keeping the value's surrounding spaces and comments;
/// an empty text removes an optional key (and keeps a required one, for `load` to refuse).
fn set_text(table: &mut dyn toml_edit::TableLike, key: &str, text: &str, optional: bool) {
    let text = text.trim();
    let current = table.get(key).and_then(Item::as_str).unwrap_or_default();
    if current == text {
        return;
    }
    if text.is_empty() && optional {
        table.remove(key);
        return;
    }
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(existing) => {
            let decor = existing.decor().clone();
            *existing = Value::from(text);
            *existing.decor_mut() = decor;
        }
        None => {
            table.insert(key, value(text));
        }
    }
}

/// The file with the form's facts written into it; what the form does not show is untouched.
pub fn with_fields(file: &str, text: &str, fields: &WindowFields) -> Result<String, EditError> {
    let mut document = parse(file, text)?;
    let root = document.as_table_mut();
    set_text(root, "name", &fields.name, false);
    set_text(root, "summary", &fields.summary, false);
    set_text(root, "description", &fields.description, true);
    set_text(root, "url", &fields.url, true);
    let channels = root
        .get_mut("channels")
        .and_then(Item::as_array_of_tables_mut);
    let expected = channels.as_ref().map_or(0, |c| c.len());
    if expected != fields.channels.len() {
        return Err(EditError::ChannelCount {
            given: fields.channels.len(),
            expected,
        });
    }
    if let Some(channels) = channels {
        for (channel, form) in channels.iter_mut().zip(&fields.channels) {
            set_text(channel, "value", &form.value, false);
            set_text(channel, "label", &form.label, true);
            set_text(channel, "note", &form.note, true);
            if let Some(hours) = channel.get_mut("hours").and_then(Item::as_table_like_mut) {
                set_text(hours, "note", &form.hours_note, true);
            }
        }
    }
    Ok(document.to_string())
}

/// A TOML value without the keys that name sources, for comparing what a fact says.
fn without_sources(item: &toml::Value) -> toml::Value {
    match item {
        toml::Value::Table(table) => toml::Value::Table(
            table
                .iter()
                .filter(|(key, _)| key.as_str() != "sources")
                .map(|(key, v)| (key.clone(), without_sources(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What changed between two versions of a window file, fact by fact.
#[derive(Debug, Default)]
struct Changes {
    /// The window's own facts (name, texts, audience, area, categories, channels removed).
    window: bool,
    capabilities: bool,
    cannot: bool,
    /// Per channel of the new file: its number or address, and its hours.
    channels: Vec<(bool, bool)>,
}

impl Changes {
    fn any(&self) -> bool {
        self.window
            || self.capabilities
            || self.cannot
            || self.channels.iter().any(|(value, hours)| *value || *hours)
    }
}

fn changes(file: &str, old: &str, new: &str) -> Result<Changes, EditError> {
    let plain = |text: &str| {
        text.parse::<toml::Table>()
            .map_err(|error| EditError::Syntax {
                file: file.to_owned(),
                message: error.message().to_owned(),
            })
    };
    let (old, new) = (plain(old)?, plain(new)?);
    let mut changes = Changes::default();
    let keys = old.keys().chain(new.keys());
    for key in keys {
        if matches!(key.as_str(), "channels" | "source" | "provenance") {
            continue;
        }
        if old.get(key) != new.get(key) {
            match key.as_str() {
                "capabilities" => changes.capabilities = true,
                "cannot" => changes.cannot = true,
                _ => changes.window = true,
            }
        }
    }
    let channels = |table: &toml::Table| -> Vec<toml::Value> {
        table
            .get("channels")
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (old_channels, new_channels) = (channels(&old), channels(&new));
    if old_channels.len() > new_channels.len() {
        changes.window = true;
    }
    for (i, channel) in new_channels.iter().enumerate() {
        let Some(before) = old_channels.get(i) else {
            changes.channels.push((true, true));
            continue;
        };
        let hours = |c: &toml::Value| c.get("hours").map(without_sources);
        let rest = |c: &toml::Value| {
            let mut c = without_sources(c);
            if let Some(table) = c.as_table_mut() {
                table.remove("hours");
            }
            c
        };
        changes.channels.push((
            rest(before) != rest(channel),
            hours(before) != hours(channel),
        ));
    }
    Ok(changes)
}

/// Makes `sources` of a table name only `id` (the fact now says what that page says).
fn cite_only(table: &mut dyn toml_edit::TableLike, id: &str) {
    let mut sources = Array::new();
    sources.push(id);
    table.insert("sources", value(sources));
}

/// Adds `id` to the list under `key` (the window's facts keep their other sources).
fn cite_also(table: &mut Table, key: &str, id: &str) {
    match table.get_mut(key).and_then(Item::as_array_mut) {
        Some(sources) => {
            if !sources.iter().any(|s| s.as_str() == Some(id)) {
                sources.push(id);
            }
        }
        None => {
            let mut sources = Array::new();
            sources.push(id);
            table.insert(key, value(sources));
        }
    }
}

/// The new file with every changed fact citing `citation`: a `[[source]]` for the page (the
/// existing one when the window already cites that address, its `checked` set to the
/// citation's day), a changed number or hours citing only that page, the window's changed
/// facts adding it to `[provenance]`. A file where no fact changed is a re-check: allowed
/// only for a page the window already cites, whose date it moves.
pub fn cite(file: &str, old: &str, new: &str, citation: &Citation) -> Result<String, EditError> {
    let url = citation.url.trim();
    let title = citation.title.trim();
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.contains(char::is_whitespace)
        || title.is_empty()
    {
        return Err(EditError::MissingSource);
    }
    let changes = changes(file, old, new)?;
    let mut document = parse(file, new)?;
    let checked: toml_edit::Datetime = toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: citation.checked.year().unsigned_abs(),
            month: citation.checked.month().unsigned_abs(),
            day: citation.checked.day().unsigned_abs(),
        }),
        time: None,
        offset: None,
    };
    let root = document.as_table_mut();
    if root.get("source").is_none() {
        root.insert("source", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(sources) = root
        .get_mut("source")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Err(EditError::Syntax {
            file: file.to_owned(),
            message: "`source` must be a list of [[source]] tables".to_owned(),
        });
    };
    let existing = sources
        .iter_mut()
        .find(|source| source.get("url").and_then(Item::as_str) == Some(url));
    let id = match existing {
        Some(source) => {
            source.insert("checked", value(checked));
            text_of(source, "id")
        }
        None if !changes.any() => return Err(EditError::NothingChanged),
        None => {
            let taken: Vec<String> = sources.iter().map(|s| text_of(s, "id")).collect();
            let base = format!("staff-{}", citation.checked);
            let id = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}-{n}")))
                .find(|id| !taken.contains(id))
                .unwrap_or(base);
            let mut source = Table::new();
            source.insert("id", value(id.as_str()));
            source.insert("url", value(url));
            source.insert("title", value(title));
            source.insert("checked", value(checked));
            sources.push(source);
            id
        }
    };
    if let Some(channels) = root
        .get_mut("channels")
        .and_then(Item::as_array_of_tables_mut)
    {
        for (channel, (value_changed, hours_changed)) in channels.iter_mut().zip(&changes.channels)
        {
            if *value_changed {
                cite_only(channel, &id);
            }
            if *hours_changed
                && let Some(hours) = channel.get_mut("hours").and_then(Item::as_table_like_mut)
            {
                cite_only(hours, &id);
            }
        }
    }
    if changes.window || changes.capabilities || changes.cannot {
        if root.get("provenance").is_none() {
            let mut provenance = Table::new();
            provenance.insert("sources", value(Array::new()));
            provenance.insert("confidence", value("medium"));
            root.insert("provenance", Item::Table(provenance));
        }
        if let Some(provenance) = root.get_mut("provenance").and_then(Item::as_table_mut) {
            for (changed, key) in [
                (changes.window, "sources"),
                (changes.capabilities, "capabilities"),
                (changes.cannot, "cannot"),
            ] {
                if changed {
                    cite_also(provenance, key, &id);
                }
            }
        }
    }
    Ok(document.to_string())
}

/// The change as a unified diff (three lines of context), for the reviewer and the audit log.
pub fn diff(file: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(file, file)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: &str = r#"id = "w"
name = "窓口"
summary = "説明です。"
url = "https://example.org/"

[[channels]]
kind = "phone"
value = "0120-000-000"
sources = ["a"]
[channels.hours]
status = "known"
rules = [{ days = ["mon"], open = "09:00", close = "17:00" }]
sources = ["a"]

[[channels]]
kind = "web"
value = "https://example.org/form"
sources = ["a"]
[channels.hours]
status = "always"

[provenance]
sources = ["a"] # the page
confidence = "high"

[[source]]
id = "a"
url = "https://example.org/about"
title = "About"
checked = 2025-01-01
"#;

    fn citation(url: &str) -> Citation {
        Citation {
            url: url.to_owned(),
            title: "新しいページ".to_owned(),
            checked: jiff::civil::date(2026, 11, 30),
        }
    }

    #[test]
    fn fields_round_trip_leaves_the_file_byte_for_byte() {
        let form = fields("w.toml", WINDOW).expect("fields");
        assert_eq!(form.channels.len(), 2);
        assert_eq!(form.channels[0].value, "0120-000-000");
        assert_eq!(with_fields("w.toml", WINDOW, &form).expect("same"), WINDOW);
    }

    #[test]
    fn a_changed_number_cites_only_the_new_page_and_keeps_the_rest() {
        let mut form = fields("w.toml", WINDOW).expect("fields");
        form.channels[0].value = "0120-111-111".to_owned();
        let new = with_fields("w.toml", WINDOW, &form).expect("edit");
        let cited =
            cite("w.toml", WINDOW, &new, &citation("https://example.org/new")).expect("cited");
        assert!(cited.contains("value = \"0120-111-111\"\nsources = [\"staff-2026-11-30\"]"));
        // The hours did not change, so they keep their source; so does the other channel.
        assert!(cited.contains("close = \"17:00\" }]\nsources = [\"a\"]"));
        assert!(cited.contains("value = \"https://example.org/form\"\nsources = [\"a\"]"));
        assert!(cited.contains("sources = [\"a\"] # the page"));
        assert!(cited.contains(
            "[[source]]\nid = \"staff-2026-11-30\"\nurl = \"https://example.org/new\"\ntitle = \"新しいページ\"\nchecked = 2026-11-30\n"
        ));
        let diff = diff("w.toml", WINDOW, &cited);
        assert!(diff.contains("\n-value = \"0120-000-000\"\n"), "{diff}");
        assert!(diff.contains("\n+value = \"0120-111-111\"\n"), "{diff}");
    }

    #[test]
    fn a_changed_name_adds_the_page_to_the_windows_sources() {
        let mut form = fields("w.toml", WINDOW).expect("fields");
        form.name = "新しい窓口".to_owned();
        let new = with_fields("w.toml", WINDOW, &form).expect("edit");
        let cited = cite(
            "w.toml",
            WINDOW,
            &new,
            &citation("https://example.org/about"),
        )
        .expect("cited");
        assert!(cited.contains("name = \"新しい窓口\""));
        assert!(cited.contains("sources = [\"a\"] # the page"), "{cited}");
        assert!(cited.contains("checked = 2026-11-30"));
        assert!(!cited.contains("2025-01-01"));
    }

    #[test]
    fn hours_changed_in_the_file_cite_the_page_on_the_hours() {
        let new = WINDOW.replace("close = \"17:00\"", "close = \"18:00\"");
        let cited =
            cite("w.toml", WINDOW, &new, &citation("https://example.org/h")).expect("cited");
        assert!(cited.contains("close = \"18:00\" }]\nsources = [\"staff-2026-11-30\"]"));
        assert!(cited.contains("value = \"0120-000-000\"\nsources = [\"a\"]"));
    }

    #[test]
    fn a_change_without_a_source_or_without_a_change_is_refused() {
        let new = WINDOW.replace("窓口", "まどぐち");
        let mut no_title = citation("https://example.org/x");
        no_title.title.clear();
        assert_eq!(
            cite("w.toml", WINDOW, &new, &no_title),
            Err(EditError::MissingSource)
        );
        assert_eq!(
            cite("w.toml", WINDOW, &new, &citation("example.org")),
            Err(EditError::MissingSource)
        );
        assert_eq!(
            cite("w.toml", WINDOW, WINDOW, &citation("https://example.org/x")),
            Err(EditError::NothingChanged)
        );
        // The same page read again: a re-check that only moves the date.
        let rechecked = cite(
            "w.toml",
            WINDOW,
            WINDOW,
            &citation("https://example.org/about"),
        )
        .expect("re-check");
        assert_eq!(rechecked, WINDOW.replace("2025-01-01", "2026-11-30"));
    }

    #[test]
    fn a_form_for_another_version_of_the_file_is_refused() {
        let mut form = fields("w.toml", WINDOW).expect("fields");
        form.channels.pop();
        assert_eq!(
            with_fields("w.toml", WINDOW, &form),
            Err(EditError::ChannelCount {
                given: 1,
                expected: 2
            })
        );
        assert!(matches!(
            fields("w.toml", "name = "),
            Err(EditError::Syntax { .. })
        ));
    }
}
