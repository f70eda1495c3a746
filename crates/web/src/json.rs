//! The JSON wire format of the API and of `madoguchi triage --json`: snake_case, times in
//! RFC 3339 (Asia/Tokyo offset), `null` where a value does not apply. The shapes are
//! documented in `docs/api.md` and in the OpenAPI document generated from these types.

use jiff::{Timestamp, ZonedDateTime};
use madoguchi_core::hours::{OpenState, Schedule, tokyo};
use madoguchi_core::triage::{Answer, Ranked};

use crate::say;
use madoguchi_core::{Category, Channel, Directory, Situation, Window};
use serde::Serialize;
use utoipa::ToSchema;

pub fn rfc3339(time: Option<&ZonedDateTime>) -> Option<String> {
    time.map(|t| instant(t.timestamp()))
}

/// The link a client can open or dial, or `None` (a LINE ID, an address to visit).
pub fn link_of(channel: &Channel) -> Option<String> {
    use madoguchi_core::ChannelKind;
    match channel.kind {
        ChannelKind::Line | ChannelKind::InPerson if !channel.is_link() => None,
        _ => Some(channel.href()),
    }
}

pub fn instant(at: Timestamp) -> String {
    at.to_zoned_datetime(tokyo())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Whether something is open at the instant asked about.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateJson {
    /// `open`, `closed` or `unknown`.
    pub state: &'static str,
    /// When it closes, if open and not around the clock.
    pub until: Option<String>,
    /// When it opens next, if closed.
    pub next_open: Option<String>,
}

impl StateJson {
    pub fn new(state: &OpenState) -> StateJson {
        StateJson {
            state: state.as_str(),
            until: rfc3339(state.until()),
            next_open: rfc3339(state.next_open()),
        }
    }
}

/// A reason, note or warning: a stable code and its words.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageJson {
    /// Stable: `named`, `platform`, `situation`, `outcome`, `audience`, `words`, `crisis_line`
    /// (reasons); `report_only`, `cost`, `state` (notes); `truncated`, `empty`, `no_match`,
    /// `unsure`, `open_instead`, `all_closed`, `crisis_line_below` (warnings).
    pub code: &'static str,
    /// The same in Japanese words.
    pub text: String,
}

/// One ranked window of a triage answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultJson {
    pub id: String,
    pub name: String,
    /// `consultation`, `report_only`, `information`, `platform_help` or `emergency`.
    pub kind: &'static str,
    pub score: f64,
    pub state: &'static str,
    pub until: Option<String>,
    pub next_open: Option<String>,
    /// Why the window was chosen.
    pub reasons: Vec<MessageJson>,
    /// What to know before choosing it: report-only, cost, open or closed.
    pub notes: Vec<MessageJson>,
    #[schema(value_type = Vec<ResultChannelJson>)]
    pub channels: PreparedJson,
}

/// JSON made once and written as it is.
#[derive(Debug, Clone)]
pub struct PreparedJson(std::sync::Arc<serde_json::value::RawValue>);

impl PreparedJson {
    /// `value` as markup-safe JSON (`api::to_json`); `null` if it cannot be written.
    pub fn new(value: &impl Serialize) -> PreparedJson {
        let raw = crate::api::to_json(value)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| serde_json::value::RawValue::from_string(text).ok())
            .unwrap_or_else(|| serde_json::value::RawValue::NULL.to_owned());
        PreparedJson(std::sync::Arc::from(raw))
    }
}

impl Serialize for PreparedJson {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Every window as a result that triage did not rank (the emergency numbers, the crisis line
/// below an answer), as JSON at one minute: made for all windows at once, once a minute.
#[derive(Debug)]
pub struct UnrankedResults(std::collections::HashMap<String, PreparedJson>);

impl UnrankedResults {
    pub fn new(directory: &Directory, prepared: &Prepared, at: Timestamp) -> Self {
        UnrankedResults(
            directory
                .windows
                .iter()
                .filter_map(|w| {
                    result_json(directory, prepared, &w.id, None, at)
                        .map(|result| (w.id.clone(), PreparedJson::new(&result)))
                })
                .collect(),
        )
    }

    fn get(&self, id: &str) -> Option<PreparedJson> {
        self.0.get(id).cloned()
    }
}

/// What an answer writes the same way every time, as JSON made once per directory (that is,
/// per language): every window's channels and every situation's first steps. Writing them
/// for every answer was about a tenth of an API answer's time (docs/BENCHMARKS.md).
#[derive(Debug)]
pub struct Prepared {
    channels: std::collections::HashMap<String, PreparedJson>,
    first_steps: std::collections::HashMap<String, PreparedJson>,
}

impl Prepared {
    pub fn new(directory: &Directory) -> Prepared {
        Prepared {
            channels: directory
                .windows
                .iter()
                .map(|window| (window.id.clone(), PreparedJson::new(&channels_json(window))))
                .collect(),
            first_steps: directory
                .advice
                .steps
                .keys()
                .map(|situation| {
                    let steps = first_steps_json(directory, situation);
                    (situation.clone(), PreparedJson::new(&steps))
                })
                .collect(),
        }
    }

    fn channels(&self, window: &Window) -> PreparedJson {
        self.channels
            .get(&window.id)
            .cloned()
            .unwrap_or_else(|| PreparedJson::new(&channels_json(window)))
    }

    fn first_steps(&self, directory: &Directory, situation: &str) -> PreparedJson {
        self.first_steps
            .get(situation)
            .cloned()
            .unwrap_or_else(|| PreparedJson::new(&first_steps_json(directory, situation)))
    }
}

fn channels_json(window: &Window) -> Vec<ResultChannelJson> {
    window
        .channels
        .iter()
        .map(|c| ResultChannelJson {
            kind: c.kind.as_str(),
            value: c.value.clone(),
            href: link_of(c),
            cost: c.cost.as_str(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultChannelJson {
    pub kind: &'static str,
    pub value: String,
    /// `tel:`, `mailto:` or the URL; `null` for a LINE ID or a place to visit.
    pub href: Option<String>,
    pub cost: &'static str,
}

/// The answer of `/api/v1/triage` and `madoguchi triage --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerJson {
    pub query: String,
    /// A personal crisis: `crisis_lines` come first, with 110/119 above everything.
    pub crisis: bool,
    /// Whose crisis: `self` (the person writing) or `other` (someone they know); `null`
    /// without a crisis.
    pub crisis_subject: Option<&'static str>,
    /// The act is already done (an overdose taken, a wrist cut): call 119 first.
    pub act_done: bool,
    /// How sure triage is: `sure`, `likely`, `unsure` (offer the guided questions) or `none`.
    pub certainty: &'static str,
    /// 110 and 119, on every answer; 119 first when `act_done`.
    #[schema(value_type = Vec<ResultJson>)]
    pub emergency: Vec<PreparedJson>,
    /// On a crisis, the crisis lines that fit the person, open ones first.
    pub crisis_lines: Vec<ResultJson>,
    /// The windows for what happened, best first.
    pub results: Vec<ResultJson>,
    /// One crisis line to show below the results when the text touches suicide without being
    /// a personal crisis.
    #[schema(value_type = Option<ResultJson>)]
    pub crisis_line: Option<PreparedJson>,
    /// What to do first for the situation the answer is about; `null` when triage is unsure.
    #[schema(value_type = Option<FirstStepsJson>)]
    pub first_steps: Option<PreparedJson>,
    /// The services' own help pages for that situation (report, recovery, privacy), services
    /// the text names first.
    pub also_useful: Vec<HelpPageJson>,
    pub warnings: Vec<MessageJson>,
}

/// The first steps of one situation.
#[derive(Debug, Serialize, ToSchema)]
pub struct FirstStepsJson {
    /// The situation id (`defamation`, `phishing`, `crisis`).
    pub situation: String,
    pub steps: Vec<FirstStepJson>,
    /// Path of the evidence guide, when a step says to save evidence.
    pub evidence_guide: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FirstStepJson {
    pub text: String,
    /// The pages that state it; empty for plain advice.
    pub sources: Vec<SourceJson>,
    /// Windows the step names (their numbers are the only numbers in it).
    pub windows: Vec<String>,
    /// The step is about saving evidence.
    pub evidence: bool,
}

/// A service's own help page.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpPageJson {
    /// `x`, `line`, `instagram`, `tiktok`, `youtube`, `google`, …
    pub platform: String,
    pub name: String,
    /// `report`, `recovery`, `privacy`, `removal` or `help`.
    #[schema(value_type = String)]
    pub kind: madoguchi_core::advice::LinkKind,
    pub label: String,
    pub url: String,
}

fn source_json(source: &madoguchi_core::provenance::Source) -> SourceJson {
    SourceJson {
        id: source.id.clone(),
        url: source.url.clone(),
        title: source.title.clone(),
        published: source.published.map(|d| d.to_string()),
        checked: source.checked.to_string(),
        note: source.note.clone(),
    }
}

/// The answer's first steps and help pages, from `advice.toml`.
/// The first steps for `situation`.
fn first_steps_json(directory: &Directory, situation: &str) -> FirstStepsJson {
    let advice = &directory.advice;
    let steps = advice.steps_for(situation);
    FirstStepsJson {
        situation: situation.to_owned(),
        evidence_guide: steps
            .iter()
            .any(|s| s.evidence)
            .then_some("/guide/evidence"),
        steps: steps
            .iter()
            .map(|step| FirstStepJson {
                text: step.text.clone(),
                sources: step
                    .sources
                    .iter()
                    .filter_map(|id| advice.source(id))
                    .map(source_json)
                    .collect(),
                windows: step.windows.clone(),
                evidence: step.evidence,
            })
            .collect(),
    }
}

pub fn sections_json(
    directory: &Directory,
    prepared: &Prepared,
    answer: &Answer,
) -> (Option<PreparedJson>, Vec<HelpPageJson>) {
    let advice = &directory.advice;
    let first_steps = answer
        .sections
        .first_steps
        .as_deref()
        .map(|situation| prepared.first_steps(directory, situation));
    let also_useful = answer
        .sections
        .also_useful
        .iter()
        .filter_map(|at| advice.link(*at))
        .map(|(platform, link)| HelpPageJson {
            platform: platform.id.clone(),
            name: platform.name.clone(),
            kind: link.kind,
            label: link.label.clone(),
            url: link.url.clone(),
        })
        .collect();
    (first_steps, also_useful)
}

fn result_json(
    directory: &Directory,
    prepared: &Prepared,
    id: &str,
    ranked: Option<&Ranked>,
    at: Timestamp,
) -> Option<ResultJson> {
    let window = directory.window(id)?;
    // Triage already knows the state of its results; only the others need computing.
    let computed;
    let state = match ranked {
        Some(ranked) => &ranked.state,
        None => {
            computed = window.state_at(at, &directory.holidays);
            &computed
        }
    };
    let m = crate::lang::Lang::of(directory).messages();
    Some(ResultJson {
        id: window.id.clone(),
        name: window.name.clone(),
        kind: window.kind.as_str(),
        score: ranked.map_or(0.0, |r| r.score),
        state: state.as_str(),
        until: rfc3339(state.until()),
        next_open: rfc3339(state.next_open()),
        reasons: ranked.map_or_else(Vec::new, |r| {
            r.reasons
                .iter()
                .map(|reason| MessageJson {
                    code: reason.code(),
                    text: say::reason(m, directory, reason),
                })
                .collect()
        }),
        notes: ranked.map_or_else(Vec::new, |r| {
            r.notes
                .iter()
                .map(|note| MessageJson {
                    code: note.code(),
                    text: say::note(m, directory, note),
                })
                .collect()
        }),
        channels: prepared.channels(window),
    })
}

/// A triage answer as JSON; `prepared` holds what `directory`'s answers write the same way
/// every time, and `unranked` the windows at `at`'s minute.
pub fn answer_json(
    directory: &Directory,
    prepared: &Prepared,
    unranked: &UnrankedResults,
    answer: Answer,
    at: Timestamp,
) -> AnswerJson {
    let ranked = |list: &[Ranked]| -> Vec<ResultJson> {
        list.iter()
            .filter_map(|r| result_json(directory, prepared, &r.id, Some(r), at))
            .collect()
    };
    let (first_steps, also_useful) = sections_json(directory, prepared, &answer);
    AnswerJson {
        first_steps,
        also_useful,
        crisis: answer.is_crisis(),
        crisis_subject: answer.crisis.as_ref().map(|c| c.subject.as_str()),
        act_done: answer.crisis.as_ref().is_some_and(|c| c.act_done),
        certainty: answer.certainty.as_str(),
        emergency: answer
            .emergency
            .iter()
            .filter_map(|id| unranked.get(id))
            .collect(),
        crisis_lines: ranked(&answer.crisis_lines),
        results: ranked(&answer.results),
        crisis_line: answer
            .crisis_line
            .as_deref()
            .and_then(|id| unranked.get(id)),
        warnings: answer
            .warnings
            .iter()
            .map(|w| MessageJson {
                code: w.code(),
                text: say::warning(crate::lang::Lang::of(directory).messages(), directory, w),
            })
            .collect(),
        query: answer.query,
    }
}

/// Opening hours of a channel or route.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursJson {
    /// `known` or `unknown` (要確認).
    pub status: &'static str,
    /// The week in a few lines of Japanese.
    pub summary: Vec<String>,
    pub note: Option<String>,
    /// What another source says about these hours, when sources disagree; during the hours in
    /// question the state is `unknown`.
    pub conflict: Option<String>,
    /// The machine-readable schedule (rules, holidays, closed ranges, special periods), as in
    /// the data format (`docs/data-format.md`).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl HoursJson {
    pub fn new(schedule: &Schedule, m: &crate::messages::Messages) -> HoursJson {
        HoursJson {
            status: if schedule.is_unknown() {
                "unknown"
            } else {
                "known"
            },
            summary: match schedule {
                Schedule::Known(weekly) => crate::week::describe(weekly, m),
                Schedule::Unknown { .. } => Vec::new(),
            },
            note: schedule.note().map(str::to_owned),
            conflict: match schedule {
                Schedule::Known(weekly) => weekly.conflict.as_ref().map(|c| c.note.clone()),
                Schedule::Unknown { .. } => None,
            },
            detail: serde_json::to_value(schedule).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RouteJson {
    pub label: String,
    pub note: Option<String>,
    pub hours: HoursJson,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelJson {
    /// `phone`, `short_code`, `line`, `web_form`, `email`, `chat`, `web` or `in_person`.
    pub kind: &'static str,
    /// The number, address or URL exactly as the operator writes it.
    pub value: String,
    pub label: Option<String>,
    /// `tel:`, `mailto:` or the URL; `null` for a LINE ID or a place to visit.
    pub href: Option<String>,
    /// `free`, `free_in_area`, `charged`, `navi_dial` or `unknown`.
    pub cost: &'static str,
    pub caveats: Vec<String>,
    pub note: Option<String>,
    pub hours: HoursJson,
    pub routes: Vec<RouteJson>,
    pub state: StateJson,
    /// The languages it serves (ISO 639 codes) with the sources that say so; `null` when no
    /// source says (unknown, not Japanese only).
    pub languages: Option<LanguagesJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NameJson {
    pub text: String,
    /// Ids of the window's `sources`.
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LanguagesJson {
    pub codes: Vec<String>,
    /// Ids of the window's `sources`.
    pub sources: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AudienceJson {
    pub groups: Vec<&'static str>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaJson {
    /// `national`, `saga` or `municipalities`.
    pub scope: &'static str,
    /// 全国地方公共団体コード (5 digits).
    pub municipalities: Vec<String>,
    pub note: Option<String>,
}

/// A page a window's facts cite.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceJson {
    pub id: String,
    pub url: String,
    pub title: String,
    /// The page's own date (YYYY-MM-DD), `null` when it shows none.
    pub published: Option<String>,
    /// The day somebody read it (YYYY-MM-DD).
    pub checked: String,
    pub note: Option<String>,
}

/// One fact and the sources that state it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactJson {
    /// `contact`, `hours`, `hours_conflict`, `capabilities`, `cannot` or `window`.
    pub kind: &'static str,
    pub subject: String,
    /// The newest page date among its sources; `null` when none is dated.
    pub date: Option<String>,
    /// Ids in `sources`.
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProvenanceJson {
    /// The date of the window's oldest dated fact (YYYY-MM-DD).
    pub as_of: Option<String>,
    /// `high`, `medium` or `low`.
    pub confidence: &'static str,
    pub note: Option<String>,
    pub sources: Vec<SourceJson>,
    pub facts: Vec<FactJson>,
}

pub fn provenance_json(window: &Window) -> ProvenanceJson {
    ProvenanceJson {
        as_of: window.as_of().map(|d| d.to_string()),
        confidence: window.provenance.confidence.as_str(),
        note: window.provenance.note.clone(),
        sources: window.sources.iter().map(source_json).collect(),
        facts: window
            .facts()
            .into_iter()
            .map(|f| FactJson {
                kind: f.kind.as_str(),
                date: f.date(&window.sources).map(|d| d.to_string()),
                subject: f.subject,
                sources: f.sources,
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WindowJson {
    pub id: String,
    pub name: String,
    /// The English name the operator publishes, with the ids of the sources that show it;
    /// `null` when there is none (never a translation of ours).
    pub name_en: Option<NameJson>,
    pub short_name: Option<String>,
    pub organization: String,
    pub organization_name: String,
    /// `consultation`, `report_only`, `information`, `platform_help` or `emergency`.
    pub kind: &'static str,
    pub summary: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub categories: Vec<String>,
    pub capabilities: Vec<&'static str>,
    pub cannot: Vec<String>,
    pub prepare: Vec<String>,
    pub steps: Vec<String>,
    pub who_answers: Option<String>,
    pub audience: AudienceJson,
    pub area: AreaJson,
    pub channels: Vec<ChannelJson>,
    pub provenance: ProvenanceJson,
    /// The window's state at the instant asked about: open when any channel is.
    pub state: StateJson,
    /// The same, channel by channel, in Japanese words (「電話は受付時間外（…から）・Webフォームは
    /// いつでも送れます（返事は後日）」).
    pub availability: String,
}

fn channel_json(directory: &Directory, channel: &Channel, at: Timestamp) -> ChannelJson {
    ChannelJson {
        kind: channel.kind.as_str(),
        value: channel.value.clone(),
        label: channel.label.clone(),
        href: link_of(channel),
        cost: channel.cost.as_str(),
        caveats: channel.caveats.clone(),
        note: channel.note.clone(),
        hours: HoursJson::new(&channel.hours, crate::lang::Lang::of(directory).messages()),
        languages: channel.languages.as_ref().map(|l| LanguagesJson {
            codes: l.codes.clone(),
            sources: l.sources.clone(),
            note: l.note.clone(),
        }),
        routes: channel
            .routes
            .iter()
            .map(|r| RouteJson {
                label: r.label.clone(),
                note: r.note.clone(),
                hours: HoursJson::new(&r.hours, crate::lang::Lang::of(directory).messages()),
            })
            .collect(),
        state: StateJson::new(&channel.state_at(at, &directory.holidays).state),
    }
}

pub fn window_json(directory: &Directory, window: &Window, at: Timestamp) -> WindowJson {
    WindowJson {
        id: window.id.clone(),
        name: window.name.clone(),
        name_en: window.name_en.as_ref().map(|n| NameJson {
            text: n.text.clone(),
            sources: n.sources.clone(),
        }),
        short_name: window.short_name.clone(),
        organization: window.organization.clone(),
        organization_name: directory
            .organization(&window.organization)
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        kind: window.kind.as_str(),
        summary: window.summary.clone(),
        description: window.description.clone(),
        url: window.url.clone(),
        categories: window.categories.clone(),
        capabilities: window.capabilities.iter().map(|c| c.as_str()).collect(),
        cannot: window.cannot.clone(),
        prepare: window.prepare.clone(),
        steps: window.steps.clone(),
        who_answers: window.who_answers.clone(),
        audience: AudienceJson {
            groups: window.audience.groups.iter().map(|g| g.as_str()).collect(),
            min_age: window.audience.min_age,
            max_age: window.audience.max_age,
            note: window.audience.note.clone(),
        },
        area: AreaJson {
            scope: window.area.scope.as_str(),
            municipalities: window.area.municipalities.clone(),
            note: window.area.note.clone(),
        },
        channels: window
            .channels
            .iter()
            .map(|c| channel_json(directory, c, at))
            .collect(),
        provenance: provenance_json(window),
        state: StateJson::new(&window.state_at(at, &directory.holidays)),
        availability: crate::views::availability_line(
            directory,
            window,
            at,
            crate::lang::Lang::of(directory).messages(),
        ),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WindowListJson {
    /// The instant the states refer to.
    pub at: String,
    pub count: usize,
    pub windows: Vec<WindowJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryJson {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub description: String,
    /// One of the three groups of the original page.
    pub from_page: bool,
    pub window_ids: Vec<String>,
}

pub fn category_json(directory: &Directory, category: &Category) -> CategoryJson {
    CategoryJson {
        id: category.id.clone(),
        name: category.name.clone(),
        short_name: category.short_name.clone(),
        description: category.description.clone(),
        from_page: category.from_page,
        window_ids: directory
            .windows_in(&category.id)
            .map(|w| w.id.clone())
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoriesJson {
    pub categories: Vec<CategoryJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SituationJson {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Outcome ids the guide offers for this situation.
    pub outcomes: Vec<String>,
    /// Windows that serve it, best fit first.
    pub window_ids: Vec<String>,
}

pub fn situation_json(directory: &Directory, situation: &Situation) -> SituationJson {
    let mut windows: Vec<(&Window, u8)> = directory
        .windows
        .iter()
        .map(|w| (w, w.situation_fit(&situation.id)))
        .filter(|(_, fit)| *fit > 0)
        .collect();
    windows.sort_by_key(|(_, fit)| std::cmp::Reverse(*fit));
    SituationJson {
        id: situation.id.clone(),
        name: situation.name.clone(),
        description: situation.description.clone(),
        outcomes: situation.outcomes.clone(),
        window_ids: windows.into_iter().map(|(w, _)| w.id.clone()).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeJson {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SituationsJson {
    pub situations: Vec<SituationJson>,
    pub outcomes: Vec<OutcomeJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceJson {
    pub value: String,
    pub label: String,
    /// The heading the option is listed under (the first question is grouped); `null` when
    /// the question has no groups.
    pub group: Option<String>,
}

/// One step of the guided questions: a question, or the answer's query.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepJson {
    /// `situation`, `outcome`, `who`, `where`, or `answer` when enough is known.
    pub step: &'static str,
    pub prompt: Option<String>,
    pub hint: Option<String>,
    pub options: Vec<ChoiceJson>,
    /// With `step = answer`: what to pass to triage.
    pub answer: Option<GuidedJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GuidedJson {
    pub situation: String,
    pub outcome: Option<String>,
    pub audience: Option<&'static str>,
    pub region: Option<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionsJson {
    /// The order of the steps.
    pub steps: Vec<&'static str>,
    /// The first question.
    pub first: StepJson,
}
