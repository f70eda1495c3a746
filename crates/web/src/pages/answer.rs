//! The answer page, in sections: the crisis lines (if any), what to do first, the windows,
//! the services' own help pages, and a search box with the words kept. Free text comes by
//! POST, so it is in no URL, title or history entry; the guided questions share the page.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use madoguchi_core::triage::{self, Answer, Region};
use madoguchi_core::{AudienceGroup, Directory};
use serde::Deserialize;

use super::{GroupLink, SharedState, group_links};
use crate::lang::Tongue;
use crate::messages::Messages;
use crate::say;
use crate::views::{Card, CardParts, Page, ShownCard, card};

/// The search box, with the words and filters as the person left them.
pub struct SearchBox {
    pub q: String,
    pub audience: String,
    pub channel: String,
    pub region: String,
    pub free: bool,
    pub open_now: bool,
    /// Only windows that a source says speak this language (ISO 639 code).
    pub language: String,
    /// A filter is set: show them unfolded.
    pub filters_open: bool,
    pub audience_options: Vec<(String, String)>,
    pub channel_options: Vec<(String, String)>,
    pub region_options: Vec<(String, String)>,
    /// The languages some window serves, each in its own script.
    pub language_options: Vec<(String, String)>,
}

impl SearchBox {
    /// `languages`: the choices of the language filter (`AppState::served_languages`).
    pub fn new(
        params: &SearchParams,
        m: &Messages,
        languages: &[(&'static str, &'static str)],
    ) -> SearchBox {
        let filters_open = [
            &params.audience,
            &params.channel,
            &params.region,
            &params.language,
        ]
        .iter()
        .any(|p| p.as_deref().is_some_and(|v| !v.is_empty()))
            || params.free.is_some()
            || params.open_now.is_some();
        SearchBox {
            q: params.q.clone(),
            audience: params.audience.clone().unwrap_or_default(),
            channel: params.channel.clone().unwrap_or_default(),
            region: params.region.clone().unwrap_or_default(),
            free: params.free.is_some(),
            open_now: params.open_now.is_some(),
            language: params.language.clone().unwrap_or_default(),
            filters_open,
            audience_options: options(m.audience_options),
            channel_options: options(m.channel_options),
            region_options: options(m.region_options),
            language_options: std::iter::once((String::new(), m.filter_language_any.to_owned()))
                .chain(
                    languages
                        .iter()
                        .map(|(code, name)| ((*code).to_owned(), (*name).to_owned())),
                )
                .collect(),
        }
    }

    pub fn empty(m: &Messages, languages: &[(&'static str, &'static str)]) -> SearchBox {
        SearchBox::new(&SearchParams::default(), m, languages)
    }
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

/// How the crisis part of an answer reads.
pub struct CrisisView {
    /// Someone the person knows: the banner says they can talk about them too.
    pub other: bool,
    /// An act already done: 119 first.
    pub act_done: bool,
}

/// One of the services' own help pages.
pub struct HelpLink {
    pub platform: String,
    pub label: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "results.html")]
pub struct ResultsTemplate<'a> {
    pub page: Page<'a>,
    pub title: &'static str,
    pub crisis: Option<CrisisView>,
    /// On a crisis, the crisis lines first.
    pub crisis_cards: Vec<ShownCard>,
    pub warnings: Vec<String>,
    /// What to do first, in order.
    pub steps: Vec<String>,
    /// A step is about saving evidence: link the guide.
    pub evidence_link: bool,
    pub cards: Vec<ShownCard>,
    /// One crisis line below the windows, when the words touch suicide without a crisis.
    pub crisis_card: Option<ShownCard>,
    pub also_useful: Vec<HelpLink>,
    pub search: SearchBox,
    /// The guided answer's "start again".
    pub restart: Option<String>,
    /// Shown when the answer found little: the categories to browse instead.
    pub categories: Vec<GroupLink>,
}

/// Builds the answer page from a triage answer.
pub fn results_page<'a>(
    state: &'a crate::AppState,
    tongue: &Tongue,
    answer: &Answer,
    at: jiff::Timestamp,
    search: SearchBox,
    restart: Option<String>,
) -> ResultsTemplate<'a> {
    let directory = state.directory_in(tongue.lang);
    let m = tongue.lang.messages();
    let page = super::page_in(state, tongue);
    let parts = state.pages.cards[tongue.lang.index()]
        .get_or_make(crate::cache::minute_of(at), || {
            every_card(directory, &page, at, m)
        });
    let shown = |id: &str, reasons: Vec<String>| {
        parts.get(id).map(|parts| ShownCard {
            id: id.to_owned(),
            parts: parts.clone(),
            reasons,
        })
    };
    let cards = |list: &[triage::Ranked]| -> Vec<ShownCard> {
        list.iter()
            .filter_map(|r| {
                let reasons = r
                    .reasons
                    .iter()
                    .map(|reason| say::reason(m, directory, reason))
                    .collect();
                shown(&r.id, reasons)
            })
            .collect()
    };
    let steps = answer.sections.steps(directory);
    let unsure = matches!(
        answer.certainty,
        triage::Certainty::Unsure | triage::Certainty::None
    );
    let mut results = cards(&answer.results);
    // On the English pages, the windows that a source says speak English come first (a stable
    // sort: triage's order otherwise).
    if tongue.lang == crate::lang::Lang::En {
        results.sort_by_key(|card| {
            !directory
                .window(&card.id)
                .is_some_and(|w| super::serves(w, "en"))
        });
    }
    ResultsTemplate {
        page,
        title: if restart.is_some() {
            m.guide_results_title
        } else {
            m.results_title
        },
        crisis: answer.crisis.as_ref().map(|c| CrisisView {
            other: c.subject == triage::Subject::Other,
            act_done: c.act_done,
        }),
        crisis_cards: cards(&answer.crisis_lines),
        warnings: answer
            .warnings
            .iter()
            .map(|w| say::warning(m, directory, w))
            .collect(),
        steps: steps.iter().map(|s| s.text.clone()).collect(),
        evidence_link: steps.iter().any(|s| s.evidence),
        categories: if (results.is_empty() || unsure) && answer.crisis.is_none() {
            group_links(directory)
        } else {
            Vec::new()
        },
        cards: results,
        crisis_card: answer
            .crisis_line
            .as_deref()
            .and_then(|id| shown(id, Vec::new())),
        also_useful: help_links(directory, answer),
        search,
        restart,
    }
}

#[derive(Template)]
#[template(path = "card_head.html")]
struct CardHead<'a> {
    page: &'a Page<'a>,
    card: &'a Card,
}

#[derive(Template)]
#[template(path = "card_summary.html")]
struct CardSummary<'a> {
    page: &'a Page<'a>,
    card: &'a Card,
}

#[derive(Template)]
#[template(path = "card_tail.html")]
struct CardTail<'a> {
    page: &'a Page<'a>,
    card: &'a Card,
}

/// Every window's card at `at`, in the page's language, without reasons.
fn every_card(
    directory: &Directory,
    page: &Page<'_>,
    at: jiff::Timestamp,
    m: &Messages,
) -> crate::cache::CardsByWindow {
    directory
        .windows
        .iter()
        .map(|window| {
            let card = card(directory, window, Vec::new(), at, m);
            let parts = (|| {
                Ok::<_, askama::Error>(CardParts {
                    head: CardHead { page, card: &card }.render()?,
                    summary: CardSummary { page, card: &card }.render()?,
                    tail: CardTail { page, card: &card }.render()?,
                })
            })()
            .unwrap_or_else(|_| CardParts::bare(&card));
            (window.id.clone(), std::sync::Arc::new(parts))
        })
        .collect()
}

fn help_links(directory: &Directory, answer: &Answer) -> Vec<HelpLink> {
    answer
        .sections
        .also_useful
        .iter()
        .filter_map(|at| directory.advice.link(*at))
        .map(|(platform, link)| HelpLink {
            platform: platform.name.clone(),
            label: link.label.clone(),
            url: link.url.clone(),
        })
        .collect()
}

/// The form of `/search`. Unknown fields are ignored here; the JSON API refuses them.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub audience: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
    pub free: Option<String>,
    pub open_now: Option<String>,
    pub language: Option<String>,
}

fn answer_search(state: &crate::AppState, tongue: &Tongue, params: &SearchParams) -> Response {
    let at = state.clock.now();
    let channel = params
        .channel
        .as_deref()
        .filter(|c| madoguchi_core::ChannelKind::FILTER_FAMILIES.contains(c));
    let query = triage::Query {
        audience: params.audience.as_deref().and_then(AudienceGroup::parse),
        region: params.region.as_deref().and_then(Region::parse),
        channel,
        free_only: params.free.is_some(),
        open_now: params.open_now.is_some(),
        ..triage::Query::text(&params.q, at)
    };
    let mut answer = state.engine.triage(&state.directory, &query);
    // The language filter keeps the windows a source says speak it, never the crisis lines or
    // 110/119; when none of the fitting windows does, it keeps them all and says so.
    let m = tongue.lang.messages();
    let language = params
        .language
        .as_deref()
        .filter(|code| madoguchi_core::model::LANGUAGE_CODES.contains(code) && *code != "ja");
    let mut language_warning = None;
    if let Some(code) = language {
        let speaks = |id: &str| {
            state
                .directory
                .window(id)
                .is_some_and(|w| super::serves(w, code))
        };
        if answer.results.iter().any(|r| speaks(&r.id)) {
            answer.results.retain(|r| speaks(&r.id));
        } else if !answer.results.is_empty() {
            let name = crate::messages::language_name(code);
            language_warning = Some(m.warning_no_language.replace("{language}", name));
        }
    }
    // The box keeps every word typed, also past the length triage reads.
    let search = SearchBox::new(params, m, &state.served_languages);
    let mut template = results_page(state, tongue, &answer, at, search, None);
    template.warnings.extend(language_warning);
    super::render_in(state, tongue.lang, StatusCode::OK, &template)
}

/// `GET /search`: the empty search page, or an old link that still carries `?q=`.
pub async fn search_get(
    State(state): State<SharedState>,
    tongue: Tongue,
    Query(params): Query<SearchParams>,
) -> Response {
    answer_search(&state, &tongue, &params)
}

/// `POST /search`: the search box's words, answered directly. A form that cannot be read
/// gets the page back with the reason, never a bare error.
pub async fn search_post(
    State(state): State<SharedState>,
    tongue: Tongue,
    form: Result<Form<SearchParams>, FormRejection>,
) -> Response {
    let m = tongue.lang.messages();
    let mut response = match form {
        Ok(Form(params)) => answer_search(&state, &tongue, &params),
        Err(rejection) => {
            let status = rejection.status();
            let answer = state.engine.triage(
                &state.directory,
                &triage::Query::text("", state.clock.now()),
            );
            let mut template = results_page(
                &state,
                &tongue,
                &answer,
                state.clock.now(),
                SearchBox::empty(m, &state.served_languages),
                None,
            );
            template.warnings = vec![m.form_unreadable.to_owned()];
            super::render_in(&state, tongue.lang, status, &template)
        }
    };
    // A page made from typed words is never stored by the browser or a proxy.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
