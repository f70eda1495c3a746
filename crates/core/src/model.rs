//! The directory's domain model: organizations, windows (services), channels, categories.
//!
//! These types are what the rest of madoguchi works with after `load` has parsed and validated
//! the data files. They derive `Serialize` because `madoguchi export --format json` publishes
//! exactly this shape (documented in `docs/data-format.md`); the file format itself lives in
//! `format.rs` and may differ.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::holidays::HolidayCalendar;
use crate::hours::{ChannelState, OpenState, Schedule};
pub use crate::provenance::{Confidence, Fact, FactKind, Provenance, Source};

/// The whole directory: every window once, plus the reference data windows point to.
#[derive(Debug, Clone, Serialize)]
pub struct Directory {
    pub meta: Meta,
    pub organizations: Vec<Organization>,
    pub categories: Vec<Category>,
    pub situations: Vec<Situation>,
    pub outcomes: Vec<Outcome>,
    pub municipalities: Vec<Municipality>,
    pub windows: Vec<Window>,
    #[serde(skip)]
    pub holidays: crate::holidays::HolidayCalendar,
    /// The words triage knows (`lexicon.toml`, `crisis.toml`).
    #[serde(skip)]
    pub lexicon: crate::lexicon::Lexicon,
    #[serde(skip)]
    pub questions: crate::guide::Questions,
    /// First steps, the evidence guide and services' help pages (`advice.toml`).
    #[serde(skip)]
    pub advice: crate::advice::Advice,
    /// Readings of kanji words, for ふりがな in the children's pages (`readings.toml`).
    #[serde(skip)]
    pub readings: crate::readings::Readings,
    /// The directory's texts in other languages (`data/lang/<code>/`).
    #[serde(skip)]
    pub translations: crate::translation::Translations,
    /// The language of this copy's texts (`Directory::in_language`); `None` is Japanese.
    #[serde(skip)]
    pub language: Option<String>,
    /// What `check` warns about but accepts (sources over two years old).
    #[serde(skip)]
    pub warnings: Vec<crate::load::Diagnostic>,
    /// Window id → position in `windows`, for constant-time lookups.
    #[serde(skip)]
    pub window_index: std::collections::HashMap<String, usize>,
}

impl Directory {
    pub fn window(&self, id: &str) -> Option<&Window> {
        self.window_index
            .get(id)
            .and_then(|index| self.windows.get(*index))
    }

    pub fn organization(&self, id: &str) -> Option<&Organization> {
        self.organizations.iter().find(|org| org.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    pub fn situation(&self, id: &str) -> Option<&Situation> {
        self.situations.iter().find(|situation| situation.id == id)
    }

    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|outcome| outcome.id == id)
    }

    /// Windows of a category, in directory order (the order of the data files).
    pub fn windows_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Window> + 'a {
        self.windows
            .iter()
            .filter(move |window| window.categories.iter().any(|c| c == category))
    }

    /// The date of the oldest dated fact of any window: the honest date for the data set as a
    /// whole.
    pub fn oldest_fact(&self) -> Option<Date> {
        self.windows.iter().filter_map(Window::as_of).min()
    }

    /// The newest day any source was read.
    pub fn newest_check(&self) -> Option<Date> {
        self.windows
            .iter()
            .flat_map(|w| w.sources.iter().map(|s| s.checked))
            .max()
    }
}

/// Facts about the data set itself.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub publisher: String,
    pub license: String,
    pub license_url: String,
    /// The Saga-oriented page the directory started from.
    pub seed_url: String,
    pub seed_updated: Date,
    /// What the seed page states, as written (numbers, names, a few sentences).
    pub seed_facts: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// Names people type for the organization (ライフリンク, IPA, 法務局): they name all its
    /// windows.
    pub aliases: Vec<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// A group of windows as a person would browse them (the page's three groups and more).
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub description: String,
    /// `true` for the three groups of the original page, shown first.
    pub from_page: bool,
}

/// A kind of harm or trouble a person can be in (誹謗中傷, 不正アクセス, …).
#[derive(Debug, Clone, Serialize)]
pub struct Situation {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Outcomes worth asking about for this situation, in the order the guide offers them.
    pub outcomes: Vec<String>,
    /// Whether the guide should ask "woman or man" for this situation.
    pub ask_gender: bool,
}

/// What a person wants to happen (相談したい, 削除したい, …).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A municipality by its 全国地方公共団体コード (5 digits, without the check digit).
#[derive(Debug, Clone, Serialize)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    pub prefecture: String,
}

/// One consultation or reporting window (相談窓口・通報窓口): HSDS's "service".
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    pub id: String,
    pub name: String,
    /// The English name the operator publishes (never our translation), with its sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<SourcedText>,
    pub short_name: Option<String>,
    /// The Japanese name, in a copy whose texts are in another language: a person calling
    /// may need to say it.
    #[serde(skip)]
    pub name_ja: Option<String>,
    /// Other names people type for this window (abbreviations, older names, English names),
    /// each naming this window alone.
    pub aliases: Vec<String>,
    /// Names this window shares with others (法務局, アバンセ).
    pub shared_aliases: Vec<String>,
    /// The name in hiragana, for those who type it so.
    pub reading: Option<String>,
    pub organization: String,
    pub kind: WindowKind,
    pub summary: String,
    pub description: Option<String>,
    /// The operator's own page for this window.
    pub url: Option<String>,
    pub categories: Vec<String>,
    pub capabilities: Vec<Capability>,
    /// What this window cannot do, in words a person reads before contacting it.
    pub cannot: Vec<String>,
    /// What to have ready (URL, screenshots, dates).
    pub prepare: Vec<String>,
    /// Steps in order ("report to the platform first").
    pub steps: Vec<String>,
    pub who_answers: Option<String>,
    pub audience: Audience,
    pub area: Area,
    pub channels: Vec<Channel>,
    /// Situations this window serves, with a fit from 1 (related) to 3 (made for it).
    pub situations: Vec<Fit>,
    /// Outcomes this window delivers, with a fit from 1 to 3.
    pub outcomes: Vec<Fit>,
    /// Extra words people use for this window, for search.
    pub keywords: Vec<String>,
    pub provenance: Provenance,
    /// The pages its facts cite.
    pub sources: Vec<Source>,
    /// The data file this window came from, relative to the data directory.
    pub file: String,
}

impl Window {
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }

    pub fn situation_fit(&self, situation: &str) -> u8 {
        fit_of(&self.situations, situation)
    }

    pub fn outcome_fit(&self, outcome: &str) -> u8 {
        fit_of(&self.outcomes, outcome)
    }

    pub fn can(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }

    /// The channel a person should try first: the first one listed.
    pub fn primary_channel(&self) -> Option<&Channel> {
        self.channels.first()
    }

    /// Every fact of the window with the sources it cites: the window itself, what it can and
    /// cannot do, each channel's contact and hours, each route's hours, each conflict.
    pub fn facts(&self) -> Vec<Fact> {
        let mut facts = vec![Fact {
            kind: FactKind::Window,
            subject: self.name.clone(),
            about: self.name.clone(),
            route: None,
            detail: None,
            sources: self.provenance.sources.clone(),
            known: true,
        }];
        if !self.capabilities.is_empty() {
            facts.push(Fact {
                kind: FactKind::Capabilities,
                subject: self
                    .capabilities
                    .iter()
                    .map(|c| c.label_ja())
                    .collect::<Vec<_>>()
                    .join("・"),
                about: String::new(),
                route: None,
                detail: None,
                sources: self.provenance.capabilities.clone(),
                known: true,
            });
        }
        if !self.cannot.is_empty() {
            facts.push(Fact {
                kind: FactKind::Cannot,
                subject: self.cannot.join(" "),
                about: String::new(),
                route: None,
                detail: None,
                sources: self.provenance.cannot.clone(),
                known: true,
            });
        }
        for channel in &self.channels {
            let name = channel.label.as_deref().unwrap_or(channel.kind.label_ja());
            facts.push(Fact {
                kind: FactKind::Contact,
                subject: format!("{name} {}", channel.value),
                about: name.to_owned(),
                route: None,
                detail: Some(channel.value.clone()),
                sources: channel.sources.clone(),
                known: true,
            });
            let schedules = std::iter::once((None, &channel.hours)).chain(
                channel
                    .routes
                    .iter()
                    .map(|r| (Some(r.label.clone()), &r.hours)),
            );
            for (route, schedule) in schedules {
                let what = match &route {
                    Some(route) => format!("{name}（{route}）"),
                    None => name.to_owned(),
                };
                match schedule {
                    Schedule::Known(weekly) => {
                        facts.push(Fact {
                            kind: FactKind::Hours,
                            subject: format!("{what}の受付時間"),
                            about: name.to_owned(),
                            route: route.clone(),
                            detail: None,
                            sources: weekly.sources.clone(),
                            known: true,
                        });
                        if let Some(conflict) = &weekly.conflict {
                            facts.push(Fact {
                                kind: FactKind::HoursConflict,
                                subject: format!("{what}: {}", conflict.note),
                                about: name.to_owned(),
                                route: route.clone(),
                                detail: Some(conflict.note.clone()),
                                sources: conflict.sources.clone(),
                                known: true,
                            });
                        }
                    }
                    Schedule::Unknown { sources, .. } => facts.push(Fact {
                        kind: FactKind::Hours,
                        subject: format!("{what}の受付時間（要確認）"),
                        about: name.to_owned(),
                        route: route.clone(),
                        detail: None,
                        sources: sources.clone(),
                        known: false,
                    }),
                }
            }
        }
        facts
    }

    /// The window's date: that of its oldest dated fact.
    pub fn as_of(&self) -> Option<Date> {
        self.facts()
            .iter()
            .filter_map(|fact| fact.date(&self.sources))
            .min()
    }

    /// The day its least recently checked fact was last read (HSDS's `assured_date`).
    pub fn least_recently_checked(&self) -> Option<Date> {
        self.facts()
            .iter()
            .map(|fact| fact.checked(&self.sources))
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .min()
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Whether a source says one of its channels serves the language `code`.
    pub fn speaks(&self, code: &str) -> bool {
        self.channels.iter().any(|c| c.speaks(code))
    }

    pub fn serves_audience(&self, group: AudienceGroup) -> bool {
        self.audience.groups.contains(&group)
            || self.audience.groups.contains(&AudienceGroup::Anyone)
    }
}

fn fit_of(fits: &[Fit], id: &str) -> u8 {
    fits.iter()
        .find(|fit| fit.id == id)
        .map_or(0, |fit| fit.strength)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fit {
    pub id: String,
    pub strength: u8,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    /// A person can talk to someone about their case.
    Consultation,
    /// Takes reports only; nobody advises (「相談窓口ではありません」).
    ReportOnly,
    /// Information pages and directories of other windows.
    Information,
    /// A platform's own help or report route (X, LINE, Google).
    PlatformHelp,
    /// 110 and 119.
    Emergency,
}

impl WindowKind {
    pub const ALL: [WindowKind; 5] = [
        WindowKind::Consultation,
        WindowKind::ReportOnly,
        WindowKind::Information,
        WindowKind::PlatformHelp,
        WindowKind::Emergency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::Consultation => "consultation",
            WindowKind::ReportOnly => "report_only",
            WindowKind::Information => "information",
            WindowKind::PlatformHelp => "platform_help",
            WindowKind::Emergency => "emergency",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            WindowKind::Consultation => "相談窓口",
            WindowKind::ReportOnly => "通報窓口（相談窓口ではありません）",
            WindowKind::Information => "情報・案内",
            WindowKind::PlatformHelp => "サービス運営会社の窓口",
            WindowKind::Emergency => "緊急通報",
        }
    }

    pub fn parse(text: &str) -> Option<WindowKind> {
        WindowKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// What a window can do for a person. Never list what it cannot do.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Gives advice on the person's own case.
    Advises,
    /// Listens; emotional support.
    Listens,
    /// Asks sites or providers to delete content on the person's behalf.
    RequestsDeletion,
    /// Takes reports of illegal or harmful content.
    TakesReports,
    /// Passes reports on to the police.
    ForwardsToPolice,
    /// Police: can investigate and act on crimes.
    Investigates,
    /// Removes content or accounts on its own platform.
    RemovesContent,
    /// Helps identify the poster (開示請求 guidance).
    HelpsIdentifyPoster,
    /// Technical help with malware and unauthorised access.
    TechnicalHelp,
    /// Refers the person on to the right local office.
    Refers,
    /// Dispatches police, fire or ambulance.
    Dispatches,
}

impl Capability {
    pub const ALL: [Capability; 11] = [
        Capability::Advises,
        Capability::Listens,
        Capability::RequestsDeletion,
        Capability::TakesReports,
        Capability::ForwardsToPolice,
        Capability::Investigates,
        Capability::RemovesContent,
        Capability::HelpsIdentifyPoster,
        Capability::TechnicalHelp,
        Capability::Refers,
        Capability::Dispatches,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Advises => "advises",
            Capability::Listens => "listens",
            Capability::RequestsDeletion => "requests_deletion",
            Capability::TakesReports => "takes_reports",
            Capability::ForwardsToPolice => "forwards_to_police",
            Capability::Investigates => "investigates",
            Capability::RemovesContent => "removes_content",
            Capability::HelpsIdentifyPoster => "helps_identify_poster",
            Capability::TechnicalHelp => "technical_help",
            Capability::Refers => "refers",
            Capability::Dispatches => "dispatches",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Capability::Advises => "相談にのり、助言する",
            Capability::Listens => "話を聞く",
            Capability::RequestsDeletion => "本人に代わって削除を依頼する",
            Capability::TakesReports => "通報を受け付ける",
            Capability::ForwardsToPolice => "警察に情報を伝える",
            Capability::Investigates => "事件として捜査する",
            Capability::RemovesContent => "自社サービスの投稿やアカウントに対応する",
            Capability::HelpsIdentifyPoster => "投稿者を特定する方法を助言する",
            Capability::TechnicalHelp => "ウイルスや不正アクセスの技術的な相談",
            Capability::Refers => "適切な窓口を案内する",
            Capability::Dispatches => "警察・救急を出動させる",
        }
    }

    pub fn parse(text: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|cap| cap.as_str() == text)
    }

    /// Capabilities that make a window a consultation desk; a report-only window has none.
    pub fn is_consultation(self) -> bool {
        matches!(self, Capability::Advises | Capability::Listens)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Audience {
    pub groups: Vec<AudienceGroup>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub note: Option<String>,
}

impl Audience {
    /// The groups in Japanese, for cards, exports and the terminal.
    pub fn labels_ja(&self) -> Vec<&'static str> {
        self.groups.iter().map(|group| group.label_ja()).collect()
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum AudienceGroup {
    Anyone,
    Children,
    Guardians,
    Teachers,
    Women,
    Men,
    Lgbtq,
    SiteAdmins,
    /// People who live in Japan and speak another language first.
    ForeignResidents,
}

impl AudienceGroup {
    pub const ALL: [AudienceGroup; 9] = [
        AudienceGroup::Anyone,
        AudienceGroup::Children,
        AudienceGroup::Guardians,
        AudienceGroup::Teachers,
        AudienceGroup::Women,
        AudienceGroup::Men,
        AudienceGroup::Lgbtq,
        AudienceGroup::SiteAdmins,
        AudienceGroup::ForeignResidents,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AudienceGroup::Anyone => "anyone",
            AudienceGroup::Children => "children",
            AudienceGroup::Guardians => "guardians",
            AudienceGroup::Teachers => "teachers",
            AudienceGroup::Women => "women",
            AudienceGroup::Men => "men",
            AudienceGroup::Lgbtq => "lgbtq",
            AudienceGroup::SiteAdmins => "site_admins",
            AudienceGroup::ForeignResidents => "foreign_residents",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            AudienceGroup::Anyone => "どなたでも",
            AudienceGroup::Children => "子ども",
            AudienceGroup::Guardians => "保護者",
            AudienceGroup::Teachers => "先生・学校関係者",
            AudienceGroup::Women => "女性",
            AudienceGroup::Men => "男性",
            AudienceGroup::Lgbtq => "性のあり方に悩む人",
            AudienceGroup::SiteAdmins => "サイト管理者",
            AudienceGroup::ForeignResidents => "外国の人",
        }
    }

    pub fn parse(text: &str) -> Option<AudienceGroup> {
        AudienceGroup::ALL
            .into_iter()
            .find(|group| group.as_str() == text)
    }
}

/// Where a window serves.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub scope: AreaScope,
    /// Municipality codes, for `AreaScope::Municipalities`.
    pub municipalities: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AreaScope {
    National,
    /// 佐賀県 (prefecture code 41), the only prefecture in the data so far.
    Saga,
    Municipalities,
}

impl AreaScope {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaScope::National => "national",
            AreaScope::Saga => "saga",
            AreaScope::Municipalities => "municipalities",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            AreaScope::National => "全国",
            AreaScope::Saga => "佐賀県",
            AreaScope::Municipalities => "一部の市町",
        }
    }
}

/// One way to reach a window.
#[derive(Debug, Clone, Serialize)]
pub struct Channel {
    pub kind: ChannelKind,
    /// The number, address or URL exactly as the operator writes it.
    pub value: String,
    pub label: Option<String>,
    pub cost: Cost,
    pub caveats: Vec<String>,
    pub note: Option<String>,
    pub hours: Schedule,
    /// Where the call goes at certain times (188 at weekends, a night cover).
    pub routes: Vec<Route>,
    /// Ids of the window's sources that state the number or address and its cost.
    pub sources: Vec<String>,
    /// The languages it serves, when a source says so; `None` is unknown, not Japanese only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Languages>,
}

/// A text as a source states it, with the ids of the window's sources that do.
#[derive(Debug, Clone, Serialize)]
pub struct SourcedText {
    pub text: String,
    pub sources: Vec<String>,
}

/// The languages a channel serves (ISO 639 codes, as the source names them) and where that is
/// said.
#[derive(Debug, Clone, Serialize)]
pub struct Languages {
    pub codes: Vec<String>,
    pub sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The language codes the data may use: ISO 639-1, and ISO 639-2 `fil` (Filipino) because
/// the Ministry of Justice names Filipino, not Tagalog.
pub const LANGUAGE_CODES: &[&str] = &[
    "ja", "en", "zh", "ko", "es", "pt", "vi", "tl", "fil", "ne", "th", "id", "fr", "de", "ru",
    "my", "km", "mn", "si", "bn", "hi", "ur", "fa", "ar", "uk", "it", "ms", "lo", "uz",
];

impl Channel {
    /// The `href` of the action button: `tel:`, `mailto:` or the URL itself.
    pub fn href(&self) -> String {
        match self.kind {
            ChannelKind::Phone => format!("tel:{}", self.value.replace('-', "")),
            ChannelKind::ShortCode => format!("tel:{}", self.value.replace('#', "%23")),
            ChannelKind::Email => format!("mailto:{}", self.value),
            ChannelKind::Line => self
                .line_add_friend_url()
                .unwrap_or_else(|| self.value.clone()),
            ChannelKind::WebForm | ChannelKind::Chat | ChannelKind::Web | ChannelKind::InPerson => {
                self.value.clone()
            }
        }
    }

    /// For a LINE official account id (`@linejinkensoudan`), LINE's own link that opens its
    /// profile to add it as a friend (LINE URL scheme, with `@` written `%40`), so that a
    /// person taps instead of copying an id.
    pub fn line_add_friend_url(&self) -> Option<String> {
        self.line_account_id()
            .map(|id| format!("https://line.me/R/ti/p/%40{id}"))
    }

    /// The id of a LINE official account written `@id` with the characters LINE allows.
    fn line_account_id(&self) -> Option<&str> {
        let id = self.value.strip_prefix('@')?;
        let plain = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        (self.kind == ChannelKind::Line && plain).then_some(id)
    }

    /// Whether `href` is a web address (asked for every channel of every card: answered
    /// without building the address).
    pub fn is_link(&self) -> bool {
        match self.kind {
            ChannelKind::Phone | ChannelKind::ShortCode | ChannelKind::Email => false,
            ChannelKind::Line => {
                self.line_account_id().is_some() || self.value.starts_with("https://")
            }
            ChannelKind::WebForm | ChannelKind::Chat | ChannelKind::Web | ChannelKind::InPerson => {
                self.value.starts_with("https://")
            }
        }
    }

    pub fn is_call(&self) -> bool {
        matches!(self.kind, ChannelKind::Phone | ChannelKind::ShortCode)
    }

    /// Whether a source says it serves the language `code` (as the source names it).
    pub fn speaks(&self, code: &str) -> bool {
        self.languages
            .as_ref()
            .is_some_and(|l| l.codes.iter().any(|c| c == code))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub label: String,
    pub note: Option<String>,
    pub hours: Schedule,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Phone,
    ShortCode,
    Line,
    WebForm,
    Email,
    Chat,
    Web,
    InPerson,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 8] = [
        ChannelKind::Phone,
        ChannelKind::ShortCode,
        ChannelKind::Line,
        ChannelKind::WebForm,
        ChannelKind::Email,
        ChannelKind::Chat,
        ChannelKind::Web,
        ChannelKind::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Phone => "phone",
            ChannelKind::ShortCode => "short_code",
            ChannelKind::Line => "line",
            ChannelKind::WebForm => "web_form",
            ChannelKind::Email => "email",
            ChannelKind::Chat => "chat",
            ChannelKind::Web => "web",
            ChannelKind::InPerson => "in_person",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ChannelKind::Phone => "電話",
            ChannelKind::ShortCode => "電話（短縮番号）",
            ChannelKind::Line => "LINE",
            ChannelKind::WebForm => "Webフォーム",
            ChannelKind::Email => "メール",
            ChannelKind::Chat => "チャット",
            ChannelKind::Web => "Webサイト",
            ChannelKind::InPerson => "窓口で",
        }
    }

    pub fn parse(text: &str) -> Option<ChannelKind> {
        ChannelKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// The families a person can filter by: every value of `family` but `in_person`.
    pub const FILTER_FAMILIES: [&'static str; 5] = ["phone", "line", "web", "email", "chat"];

    /// The filter family a person picks from: phone, LINE, web form, e-mail.
    pub fn family(self) -> &'static str {
        match self {
            ChannelKind::Phone | ChannelKind::ShortCode => "phone",
            ChannelKind::Line => "line",
            ChannelKind::WebForm | ChannelKind::Web => "web",
            ChannelKind::Email => "email",
            ChannelKind::Chat => "chat",
            ChannelKind::InPerson => "in_person",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    /// Free for everyone (0120, web forms).
    Free,
    /// Free only for callers who live in the window's area (泣くな100番 for Saga residents).
    FreeInArea,
    /// The caller pays the call (landlines, mobiles, short codes).
    Charged,
    /// ナビダイヤル 0570: charged, and flat-rate mobile plans do not cover it.
    NaviDial,
    /// Nobody has confirmed whether the call is free (a short code in one prefecture).
    Unknown,
}

impl Cost {
    pub const ALL: [Cost; 5] = [
        Cost::Free,
        Cost::FreeInArea,
        Cost::Charged,
        Cost::NaviDial,
        Cost::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cost::Free => "free",
            Cost::FreeInArea => "free_in_area",
            Cost::Charged => "charged",
            Cost::NaviDial => "navi_dial",
            Cost::Unknown => "unknown",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Cost::Free => "無料",
            Cost::FreeInArea => "地域の住民は無料",
            Cost::Charged => "通話料がかかります",
            Cost::NaviDial => "ナビダイヤル（有料。かけ放題プランの対象外）",
            Cost::Unknown => "料金は要確認",
        }
    }

    pub fn parse(text: &str) -> Option<Cost> {
        Cost::ALL.into_iter().find(|cost| cost.as_str() == text)
    }

    pub fn is_free(self) -> bool {
        matches!(self, Cost::Free)
    }
}

impl Channel {
    pub fn state_at(&self, at: Timestamp, calendar: &HolidayCalendar) -> ChannelState {
        let own = self.hours.state_at(at, calendar);
        if own.is_open() {
            return ChannelState {
                state: own,
                route: None,
            };
        }
        let mut states = vec![own];
        for route in &self.routes {
            let state = route.hours.state_at(at, calendar);
            if state.is_open() {
                return ChannelState {
                    state,
                    route: Some(route.label.clone()),
                };
            }
            states.push(state);
        }
        ChannelState {
            state: OpenState::any(states),
            route: None,
        }
    }
}

impl Window {
    /// Open when any channel is open; see `OpenState::any`.
    pub fn state_at(&self, at: Timestamp, calendar: &HolidayCalendar) -> OpenState {
        OpenState::any(
            self.channels
                .iter()
                .map(|channel| channel.state_at(at, calendar).state),
        )
    }

    /// Like `state_at`, over the channels of one family only (`phone`, `line`, `web`, …) when
    /// a person asked for that way of contact.
    pub fn state_by(
        &self,
        family: Option<&str>,
        at: Timestamp,
        calendar: &HolidayCalendar,
    ) -> OpenState {
        match family {
            Some(family) => OpenState::any(
                self.channels
                    .iter()
                    .filter(|channel| channel.kind.family() == family)
                    .map(|channel| channel.state_at(at, calendar).state),
            ),
            None => self.state_at(at, calendar),
        }
    }

    /// Whether some channel answers around the clock (24 hours, every day).
    pub fn always_open(&self) -> bool {
        self.channels.iter().any(|channel| match &channel.hours {
            Schedule::Known(weekly) => weekly.is_around_the_clock(),
            Schedule::Unknown { .. } => false,
        })
    }
}
