//! View models: the core's windows and answers turned into what a page shows.

use jiff::Timestamp;
use madoguchi_core::hours::{OpenState, Schedule};
use madoguchi_core::{Channel, ChannelKind, Directory, Fact, FactKind, Window, WindowKind};

use crate::assets::AssetPaths;
use crate::messages::Messages;

/// What every page shows around its content.
pub struct Page<'a> {
    pub m: &'static Messages,
    pub assets: &'a AssetPaths,
    pub crisis_line: Option<&'a CrisisLine>,
    pub verified_range: &'a str,
    /// The `lang` of the page.
    pub lang: &'static str,
    /// The prefix of links to pages in the same language ("", "/en", "/easy"), and its home.
    pub base: &'static str,
    pub home: &'static str,
    /// The same page in the other languages; empty on pages that exist in Japanese only.
    pub switch: Vec<LangLink>,
}

impl Page<'_> {
    /// A remark after a text in the page's language: 「（…）」, " (…)".
    pub fn aside(&self, text: &str) -> String {
        self.m.aside(text)
    }

    /// ` lang="ja"` for a text of the directory that is still Japanese on a page in another
    /// language (a text without a translation yet, or a Japanese name), so that a screen
    /// reader reads it as Japanese; empty otherwise.
    pub fn lang_of(&self, text: &str) -> &'static str {
        let japanese = text
            .chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'));
        if self.lang != "ja" && japanese {
            " lang=\"ja\""
        } else {
            ""
        }
    }
}

/// A link to the same page in another language.
pub struct LangLink {
    pub name: &'static str,
    pub href: String,
    pub lang: &'static str,
    pub hreflang: &'static str,
    pub current: bool,
}

/// The parts of every page that depend only on the data: worked out once at start-up.
#[derive(Debug)]
pub struct Frame {
    pub crisis_line: Option<CrisisLine>,
    pub verified_range: String,
}

impl Frame {
    pub fn new(directory: &Directory, m: &Messages) -> Frame {
        Frame {
            crisis_line: crisis_line(directory, m),
            verified_range: verified_range(directory, m),
        }
    }
}

#[derive(Debug)]
pub struct CrisisLine {
    pub href: String,
    pub name: String,
    pub value: String,
    pub note: String,
}

impl<'a> Page<'a> {
    pub fn new(frame: &'a Frame, assets: &'a AssetPaths, m: &'static Messages) -> Page<'a> {
        Page {
            m,
            assets,
            crisis_line: frame.crisis_line.as_ref(),
            verified_range: &frame.verified_range,
            lang: if m.lang == "en" { "en" } else { "ja" },
            base: "",
            home: "/",
            switch: Vec::new(),
        }
    }

    /// A page that exists in every language: its words, links and switch in `tongue`'s.
    pub fn localized(
        frame: &'a Frame,
        assets: &'a AssetPaths,
        tongue: &crate::lang::Tongue,
    ) -> Page<'a> {
        use crate::lang::Lang;
        let lang = tongue.lang;
        Page {
            lang: lang.html_lang(),
            base: lang.prefix(),
            home: lang.home(),
            switch: Lang::ALL
                .into_iter()
                .map(|other| LangLink {
                    name: other.name(),
                    href: tongue.href_in(other),
                    lang: other.html_lang(),
                    hreflang: other.hreflang(),
                    current: other == lang,
                })
                .collect(),
            ..Page::new(frame, assets, lang.messages())
        }
    }
}

/// The dates of the data as a whole: its oldest dated fact, and the last day a source was
/// read.
fn verified_range(directory: &Directory, m: &Messages) -> String {
    match (directory.oldest_fact(), directory.newest_check()) {
        (Some(oldest), Some(checked)) => m
            .data_dates
            .replace("{oldest}", &date_label(oldest, m))
            .replace("{checked}", &date_label(checked, m)),
        _ => "—".to_owned(),
    }
}

pub fn date_label(date: jiff::civil::Date, m: &Messages) -> String {
    m.date
        .replace("{year}", &date.year().to_string())
        .replace("{month}", &date.month().to_string())
        .replace("{day}", &date.day().to_string())
}

/// The free 24-hour crisis line for the banner on every page.
fn crisis_line(directory: &Directory, m: &Messages) -> Option<CrisisLine> {
    let window = directory
        .windows
        .iter()
        .filter(|w| w.situation_fit("crisis") >= 3 && w.always_open())
        .find(|w| {
            w.primary_channel()
                .is_some_and(|c| c.cost.is_free() && c.is_call())
        })?;
    let channel = window.primary_channel()?;
    Some(CrisisLine {
        href: channel.href(),
        name: window.display_name().to_owned(),
        value: channel.value.clone(),
        note: m.crisis_line_note.to_owned(),
    })
}

/// A page with 110/119 and the crisis line, built once at start-up from the data, for when a
/// template cannot be rendered.
pub fn fallback_html(directory: &Directory, m: &Messages) -> String {
    let crisis = crisis_line(directory, m)
        .map(|line| {
            format!(
                "<p>{} <a href=\"{}\">{} {}</a></p>",
                m.crisis_lead,
                line.href,
                escape(&line.name),
                escape(&line.value)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body><main><h1>{title}</h1><p>{lead} <a href=\"tel:110\">{police}</a> <a href=\"tel:119\">{ambulance}</a></p>{crisis}<p>{error}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        title = m.error_title,
        lead = m.emergency_lead,
        police = m.police,
        ambulance = m.ambulance,
        error = m.error_lead,
        home = m.back_home,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub struct Action {
    pub href: String,
    pub label: String,
    pub external: bool,
}

/// The window's name in the other language a person may need beside the one shown: on a page
/// in another language its Japanese name (what to say on the phone), on a Japanese page the
/// operator's English name.
fn other_name(window: &Window) -> Option<(String, &'static str)> {
    match &window.name_ja {
        Some(ja) => (*ja != window.name).then(|| (ja.clone(), "ja")),
        None => window
            .name_en
            .as_ref()
            .map(|name| (name.text.clone(), "en")),
    }
}

/// A window as a card in a list.
pub struct Card {
    pub id: String,
    pub name: String,
    /// The name in another language and that language's code (see `other_name`).
    pub other_name: Option<(String, &'static str)>,
    pub summary: String,
    pub report_only: bool,
    pub state_class: &'static str,
    pub state_label: String,
    pub cost: String,
    pub action: Option<Action>,
    /// Another channel that answers now, when the main one does not.
    pub alternative: Option<Action>,
    pub route: Option<String>,
    pub reasons: Vec<String>,
    pub prepare: Vec<String>,
    /// Channel by channel, when the window has more than one way in.
    pub availability: Option<String>,
}

/// The parts of a card that depend only on the window, the language and the minute, as HTML:
/// made once a minute for every window at once (`cache::PerMinute`), so that an answer page
/// renders only why each card was chosen.
pub struct CardParts {
    /// From `<li>` to the line about routes.
    pub head: String,
    /// The summary, shown when there are no reasons.
    pub summary: String,
    /// What to prepare, and `</li>`.
    pub tail: String,
}

impl CardParts {
    /// A card reduced to its escaped name, for the one case where rendering failed: the page
    /// still lists the window.
    pub fn bare(card: &Card) -> CardParts {
        CardParts {
            head: format!("<li class=\"card\">\n<h3>{}</h3>\n", escape(&card.name)),
            summary: String::new(),
            tail: "\n</li>".to_owned(),
        }
    }
}

/// A card on an answer page: its parts made this minute and why it was chosen.
pub struct ShownCard {
    pub id: String,
    pub parts: std::sync::Arc<CardParts>,
    pub reasons: Vec<String>,
}

pub fn state_view(state: &OpenState, m: &Messages) -> (&'static str, String) {
    match state {
        OpenState::Open { until: None } => ("open", m.open_always.to_owned()),
        OpenState::Open { until: Some(until) } => (
            "open",
            m.open_until
                .replace("{}", &until.strftime("%-H:%M").to_string()),
        ),
        OpenState::Closed {
            next_open: Some(next),
        } => (
            "closed",
            m.closed_until
                .replace("{}", &next.strftime(m.next_open_format).to_string()),
        ),
        OpenState::Closed { next_open: None } => ("closed", m.closed.to_owned()),
        OpenState::Unknown => ("unknown", m.state_unknown.to_owned()),
    }
}

/// The main button: call, open the form, add on LINE.
/// Whether a channel has a button (`action` is `Some`), without making its label and address.
fn actionable(channel: &Channel) -> bool {
    match channel.kind {
        ChannelKind::Line => channel.is_link(),
        ChannelKind::InPerson => false,
        _ => true,
    }
}

pub fn action(channel: &Channel, m: &Messages) -> Option<Action> {
    let label = match channel.kind {
        ChannelKind::Phone | ChannelKind::ShortCode => m.call.replace("{}", &channel.value),
        ChannelKind::WebForm => m.open_form.to_owned(),
        ChannelKind::Chat => m.open_chat.to_owned(),
        ChannelKind::Web => m.open_page.to_owned(),
        ChannelKind::Email => m.send_mail.replace("{}", &channel.value),
        ChannelKind::Line if channel.is_link() => m.line_consult.to_owned(),
        ChannelKind::Line | ChannelKind::InPerson => return None,
    };
    Some(Action {
        href: channel.href(),
        label,
        external: channel.is_link(),
    })
}

pub fn card(
    directory: &Directory,
    window: &Window,
    reasons: Vec<String>,
    at: Timestamp,
    m: &Messages,
) -> Card {
    // The card shows the first channel with its own hours, so that "open" always describes
    // the button next to it; another channel that answers now is offered beside it.
    let primary = window
        .channels
        .iter()
        .find(|c| actionable(c))
        .or(window.primary_channel());
    let primary_state = primary.map(|c| c.state_at(at, &directory.holidays));
    let (state_class, state_label) = match (&primary_state, primary) {
        (Some(state), Some(channel))
            if answers_later(channel) && state.state.until().is_none() && state.state.is_open() =>
        {
            ("later", m.any_time.to_owned())
        }
        (Some(state), _) => state_view(&state.state, m),
        (None, _) => state_view(&OpenState::Unknown, m),
    };
    let alternative = if primary_state.as_ref().is_some_and(|s| s.state.is_open()) {
        None
    } else {
        window
            .channels
            .iter()
            .filter(|c| !primary.is_some_and(|p| std::ptr::eq(*c, p)))
            .filter(|c| c.state_at(at, &directory.holidays).state.is_open())
            .find_map(|c| {
                action(c, m).map(|a| Action {
                    label: m.available_now.replace("{action}", &a.label).replace(
                        "{channel}",
                        c.label
                            .as_deref()
                            .unwrap_or(directory.say(c.kind.label_ja())),
                    ),
                    ..a
                })
            })
    };
    Card {
        id: window.id.clone(),
        name: window.name.clone(),
        other_name: other_name(window),
        summary: window.summary.clone(),
        report_only: window.kind == WindowKind::ReportOnly,
        state_class,
        state_label,
        cost: primary
            .map(|c| directory.say(c.cost.label_ja()).to_owned())
            .unwrap_or_default(),
        action: primary.and_then(|c| action(c, m)),
        alternative,
        route: primary_state.and_then(|s| s.route),
        // Only why the window fits: the card shows hours, cost and the report-only badge on
        // lines of their own.
        reasons,
        prepare: window.prepare.clone(),
        availability: (window
            .channels
            .iter()
            .filter(|c| c.kind != ChannelKind::Web)
            .count()
            > 1)
        .then(|| availability_line(directory, window, at, m)),
    }
}

/// A window's own page.
/// One fact of a window as its page lists it: what, how old, from where.
pub struct FactView {
    pub kind: String,
    pub subject: String,
    /// The page date, or 「日付なし」.
    pub date: String,
    /// Older than a year, or undated: to be checked again.
    pub old: bool,
    /// (title, url) of each source.
    pub sources: Vec<(String, String)>,
}

pub struct WindowView {
    pub name: String,
    pub other_name: Option<(String, &'static str)>,
    pub kind_label: String,
    pub state_class: &'static str,
    pub state_label: String,
    pub summary: String,
    pub description: Option<String>,
    pub channels: Vec<ChannelView>,
    pub audience: String,
    pub area: String,
    pub can: Vec<String>,
    pub cannot: Vec<String>,
    pub steps: Vec<String>,
    pub prepare: Vec<String>,
    pub categories: Vec<(String, String)>,
    /// The date of the window's oldest dated fact.
    pub as_of: String,
    /// The last day one of its sources was read, and how sure the data is.
    pub checked: String,
    pub facts: Vec<FactView>,
    pub provenance_note: Option<String>,
    pub url: Option<String>,
    /// Channel by channel: can a person reach it now.
    pub availability: String,
}

pub struct ChannelView {
    pub kind: String,
    pub label: Option<String>,
    pub value: String,
    pub href: Option<String>,
    pub external: bool,
    pub cost: String,
    pub state_class: &'static str,
    pub state_label: String,
    pub hours: Vec<String>,
    /// What another source says about the hours, shown apart so that nobody misses it.
    pub conflict: Option<String>,
    pub routes: Vec<String>,
    pub note: Option<String>,
    pub caveats: Vec<String>,
    /// A QR code of the LINE add-friend link, to scan from another device.
    pub qr: Option<String>,
    /// The languages it serves, each in its own name (code, name), when a source says so.
    pub languages: Vec<(String, &'static str)>,
    pub languages_note: Option<String>,
}

pub fn hours_lines(schedule: &Schedule, m: &Messages) -> Vec<String> {
    match schedule {
        Schedule::Unknown { note, .. } => vec![m.hours_to_confirm.replace("{}", note)],
        Schedule::Known(weekly) => {
            let mut lines = crate::week::describe(weekly, m);
            if let Some(note) = &weekly.note {
                lines.push(note.clone());
            }
            lines
        }
    }
}

pub fn window_view(
    directory: &Directory,
    window: &Window,
    at: Timestamp,
    m: &Messages,
) -> WindowView {
    let (state_class, state_label) = state_view(&window.state_at(at, &directory.holidays), m);
    let mut audience: Vec<&str> = window
        .audience
        .groups
        .iter()
        .map(|group| directory.say(group.label_ja()))
        .collect();
    let age = match (window.audience.min_age, window.audience.max_age) {
        (Some(min), Some(max)) => m
            .age_range
            .replace("{min}", &min.to_string())
            .replace("{max}", &max.to_string()),
        (None, Some(max)) => m.age_max.replace("{max}", &max.to_string()),
        (Some(min), None) => m.age_min.replace("{min}", &min.to_string()),
        (None, None) => String::new(),
    };
    if !age.is_empty() {
        audience.push(&age);
    }
    let mut audience = audience.join(m.list_separator);
    if let Some(note) = &window.audience.note {
        audience.push_str(&m.aside(note));
    }
    let mut area = directory.say(window.area.scope.label_ja()).to_owned();
    let names: Vec<&str> = window
        .area
        .municipalities
        .iter()
        .filter_map(|code| directory.municipalities.iter().find(|m| &m.code == code))
        .map(|m| m.name.as_str())
        .collect();
    if !names.is_empty() {
        area = names.join(m.list_separator);
    }
    if let Some(note) = &window.area.note {
        area.push_str(&m.aside(note));
    }
    WindowView {
        name: window.name.clone(),
        other_name: other_name(window),
        kind_label: directory.say(window.kind.label_ja()).to_owned(),
        state_class,
        state_label,
        summary: window.summary.clone(),
        description: window.description.clone(),
        channels: window
            .channels
            .iter()
            .map(|channel| {
                let state = channel.state_at(at, &directory.holidays);
                let (state_class, state_label) = state_view(&state.state, m);
                let action = action(channel, m);
                ChannelView {
                    languages: channel
                        .languages
                        .iter()
                        .flat_map(|l| &l.codes)
                        .map(|code| (code.clone(), crate::messages::language_name(code)))
                        .collect(),
                    languages_note: channel.languages.as_ref().and_then(|l| l.note.clone()),
                    qr: channel.line_add_friend_url().map(|url| qr_svg(&url)),
                    kind: directory.say(channel.kind.label_ja()).to_owned(),
                    label: channel.label.clone(),
                    value: channel.value.clone(),
                    external: action.as_ref().is_some_and(|a| a.external),
                    href: action.map(|a| a.href),
                    cost: directory.say(channel.cost.label_ja()).to_owned(),
                    state_class,
                    state_label,
                    hours: hours_lines(&channel.hours, m),
                    conflict: match &channel.hours {
                        Schedule::Known(weekly) => weekly.conflict.as_ref().map(|c| c.note.clone()),
                        Schedule::Unknown { .. } => None,
                    },
                    routes: channel
                        .routes
                        .iter()
                        .map(|route| {
                            let hours = hours_lines(&route.hours, m).join(m.list_separator);
                            let line = format!("{}{}", route.label, m.aside(&hours));
                            match &route.note {
                                Some(note) => format!("{line} {note}"),
                                None => line,
                            }
                        })
                        .collect(),
                    note: channel.note.clone(),
                    caveats: channel.caveats.clone(),
                }
            })
            .collect(),
        audience,
        area,
        can: window
            .capabilities
            .iter()
            .map(|c| directory.say(c.label_ja()).to_owned())
            .collect(),
        cannot: window.cannot.clone(),
        steps: window.steps.clone(),
        prepare: window.prepare.clone(),
        categories: window
            .categories
            .iter()
            .filter_map(|id| directory.category(id))
            .map(|c| (c.id.clone(), c.short_name.clone()))
            .collect(),
        as_of: window
            .as_of()
            .map_or_else(|| m.undated.to_owned(), |date| date_label(date, m)),
        // 「確認日: 2026年11月30日、確からしさ: 高」
        checked: format!(
            "{}: {}{}{}: {}",
            m.checked,
            window
                .sources
                .iter()
                .map(|s| s.checked)
                .max()
                .map_or_else(String::new, |date| date_label(date, m)),
            m.list_separator,
            m.confidence,
            directory.say(window.provenance.confidence.label_ja())
        ),
        facts: fact_views(directory, window, at, m),
        provenance_note: window.provenance.note.clone(),
        url: window.url.clone(),
        availability: availability_line(directory, window, at, m),
    }
}

/// A fact older than this many months, or undated, is shown as due for checking.
const OLD_MONTHS: i64 = 12;

fn fact_views(
    directory: &Directory,
    window: &Window,
    at: Timestamp,
    m: &Messages,
) -> Vec<FactView> {
    let today = at.to_zoned_datetime(madoguchi_core::hours::tokyo()).date();
    let limit = today
        .checked_sub(jiff::Span::new().months(OLD_MONTHS))
        .unwrap_or(today);
    window
        .facts()
        .into_iter()
        .map(|fact| {
            let date = fact.date(&window.sources);
            FactView {
                kind: directory.say(fact.kind.label_ja()).to_owned(),
                subject: fact_subject(directory, window, &fact, m),
                date: date.map_or_else(|| m.undated.to_owned(), |d| date_label(d, m)),
                old: date.is_none_or(|d| d < limit),
                sources: fact
                    .sources_in(&window.sources)
                    .map(|s| (s.title.clone(), s.url.clone()))
                    .collect(),
            }
        })
        .collect()
}

/// What a fact is about, in the page's language. On Japanese pages the core's own words; in
/// another language the fact's parts (names already translated, a channel without a label
/// named by its kind) with the catalog's words around them.
fn fact_subject(directory: &Directory, window: &Window, fact: &Fact, m: &Messages) -> String {
    if directory.language.is_none() {
        return fact.subject.clone();
    }
    let mut what = directory.say(&fact.about).to_owned();
    if let Some(route) = &fact.route {
        what.push_str(&m.aside(route));
    }
    let detail = fact.detail.as_deref().unwrap_or_default();
    match fact.kind {
        FactKind::Capabilities => window
            .capabilities
            .iter()
            .map(|c| directory.say(c.label_ja()))
            .collect::<Vec<_>>()
            .join(m.list_separator),
        FactKind::Hours if fact.known => what,
        FactKind::Hours => m.channel_unknown.replace("{channel}", &what),
        FactKind::Contact => format!("{what} {detail}"),
        FactKind::HoursConflict => format!("{what}: {detail}"),
        FactKind::Cannot | FactKind::Window => fact.subject.clone(),
    }
}

/// Whether a channel is answered later rather than live: a form or an e-mail can be sent at
/// any hour, and saying 「いま受付中」 of it would read as live help.
pub fn answers_later(channel: &Channel) -> bool {
    matches!(channel.kind, ChannelKind::WebForm | ChannelKind::Email)
}

/// One line, channel by channel, that says how a person can reach the window now:
/// 「電話は受付時間外（12月3日 9:00から）・Webフォームはいつでも送れます（返事は後日）」.
pub fn availability_line(
    directory: &Directory,
    window: &Window,
    at: Timestamp,
    m: &Messages,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for channel in &window.channels {
        let family = channel.kind.family();
        if channel.kind == ChannelKind::Web || seen.contains(&family) {
            continue;
        }
        seen.push(family);
        let name = family_label(channel.kind, m);
        let state = OpenState::any(
            window
                .channels
                .iter()
                .filter(|c| c.kind.family() == family)
                .map(|c| c.state_at(at, &directory.holidays).state),
        );
        let part = if answers_later(channel) {
            match state {
                OpenState::Open { until: None } => m.channel_any_time.replace("{channel}", name),
                OpenState::Unknown => m.channel_unknown.replace("{channel}", name),
                _ => m
                    .channel_later
                    .replace("{channel}", name)
                    .replace("{state}", &state_view(&state, m).1),
            }
        } else {
            match state {
                OpenState::Unknown => m.channel_unknown.replace("{channel}", name),
                state => m
                    .channel_state
                    .replace("{channel}", name)
                    .replace("{state}", &state_view(&state, m).1),
            }
        };
        parts.push(part);
    }
    parts.join(m.list_separator)
}

fn family_label(kind: ChannelKind, m: &Messages) -> &'static str {
    match kind {
        ChannelKind::Phone | ChannelKind::ShortCode => m.family_phone,
        ChannelKind::Line => m.family_line,
        ChannelKind::WebForm | ChannelKind::Web => m.family_form,
        ChannelKind::Email => m.family_email,
        ChannelKind::Chat => m.family_chat,
        ChannelKind::InPerson => m.family_visit,
    }
}

/// A QR code of the window's page, as inline SVG for the printed list.
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .quiet_zone(true)
            .min_dimensions(96, 96)
            .build()
            .replacen("<svg ", "<svg class=\"qr\" aria-hidden=\"true\" ", 1)
            .replace("<?xml version=\"1.0\" standalone=\"yes\"?>", ""),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::civil::Date;
    use madoguchi_core::{DataFile, LoadConfig, load};

    use super::*;

    /// `actionable` is the cheap question `card` asks of every channel: it must agree with
    /// `action` on every channel of the real directory.
    #[test]
    fn actionable_agrees_with_action_on_every_channel() {
        let files: Vec<DataFile<'_>> = madoguchi_data::files()
            .iter()
            .map(|(path, text)| DataFile { path, text })
            .collect();
        let directory = load(&files, LoadConfig::full(Date::constant(2026, 11, 30))).unwrap();
        let m = &crate::messages::JA;
        let mut kinds = std::collections::BTreeSet::new();
        for channel in directory.windows.iter().flat_map(|w| &w.channels) {
            assert_eq!(
                actionable(channel),
                action(channel, m).is_some(),
                "{}",
                channel.value
            );
            assert_eq!(channel.is_link(), channel.href().starts_with("https://"));
            kinds.insert(format!("{:?}", channel.kind));
        }
        assert!(
            kinds.len() >= 5,
            "the directory has too few kinds of channel: {kinds:?}"
        );
    }
}
