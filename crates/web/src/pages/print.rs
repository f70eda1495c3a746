//! Printed lists: `/windows/print`, one A4 sheet per audience (children, everyone, Saga
//! residents), each opening with 110/119 and the crisis lines, each window once; and
//! `/windows/poster`, one A4 poster for a school corridor.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use madoguchi_core::{AreaScope, AudienceGroup, Directory, Window, WindowKind};

use super::{SharedState, cached, page};
use crate::messages::JA;
use crate::views::{Page, hours_lines};

/// At most this many crisis lines and other windows on one sheet, so it fits one A4 page.
const MAX_CRISIS_LINES: usize = 3;
const MAX_WINDOWS: usize = 7;

/// Who a sheet is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Children,
    Everyone,
    SagaResidents,
}

impl Audience {
    pub const ALL: [Audience; 3] = [
        Audience::Children,
        Audience::Everyone,
        Audience::SagaResidents,
    ];

    fn title(self) -> &'static str {
        match self {
            Audience::Children => JA.sheet_children,
            Audience::Everyone => JA.sheet_everyone,
            Audience::SagaResidents => JA.sheet_saga,
        }
    }

    fn for_area(self, window: &Window) -> bool {
        match self {
            Audience::SagaResidents => window.area.scope != AreaScope::National,
            Audience::Children | Audience::Everyone => window.area.scope == AreaScope::National,
        }
    }

    fn for_people(self, window: &Window) -> bool {
        let explicit = |group| window.audience.groups.contains(&group);
        match self {
            Audience::Children => {
                explicit(AudienceGroup::Children)
                    || explicit(AudienceGroup::Guardians)
                    || (window.serves_audience(AudienceGroup::Children)
                        && window.situation_fit("cyberbullying") >= 2)
            }
            Audience::Everyone | Audience::SagaResidents => {
                window.serves_audience(AudienceGroup::Anyone)
            }
        }
    }
}

/// A window a person can talk to or report to (not 110/119, not a platform's help page).
fn listable(window: &Window) -> bool {
    matches!(
        window.kind,
        WindowKind::Consultation | WindowKind::ReportOnly
    ) && window.primary_channel().is_some()
}

/// The crisis lines and the other windows of one sheet, each window once.
pub fn select(directory: &Directory, audience: Audience) -> (Vec<&Window>, Vec<&Window>) {
    let mut crisis: Vec<&Window> = directory
        .windows
        .iter()
        .filter(|w| listable(w) && w.situation_fit("crisis") >= 2)
        .filter(|w| audience.for_area(w) && audience.for_people(w))
        .collect();
    // Children's own lines first on their sheet; then always open, then free to call.
    crisis.sort_by_key(|w| {
        (
            !(audience == Audience::Children
                && w.audience.groups.contains(&AudienceGroup::Children)),
            !w.always_open(),
            !w.primary_channel().is_some_and(|c| c.cost.is_free()),
            w.name.clone(),
        )
    });
    crisis.truncate(MAX_CRISIS_LINES);
    let mut windows: Vec<&Window> = directory
        .windows
        .iter()
        .filter(|w| listable(w) && !crisis.iter().any(|c| c.id == w.id))
        .filter(|w| audience.for_area(w) && audience.for_people(w))
        .collect();
    // The windows that help with the most situations first: a sheet has little room.
    windows.sort_by_key(|w| {
        let breadth = w.situations.iter().filter(|f| f.strength >= 2).count();
        (
            w.kind == WindowKind::ReportOnly,
            std::cmp::Reverse(breadth),
            w.name.clone(),
        )
    });
    windows.truncate(MAX_WINDOWS);
    (crisis, windows)
}

pub struct SheetEntry {
    pub name: String,
    /// 「電話 0120-99-7777（無料）」
    pub contact: String,
    pub hours: String,
    pub qr: String,
}

pub struct Sheet {
    pub title: &'static str,
    pub crisis: Vec<SheetEntry>,
    pub windows: Vec<SheetEntry>,
}

fn entry(state: &crate::AppState, window: &Window) -> SheetEntry {
    let channel = window.primary_channel();
    SheetEntry {
        name: window.name.clone(),
        contact: channel.map_or_else(String::new, |c| {
            format!("{} {}（{}）", c.kind.label_ja(), c.value, c.cost.label_ja())
        }),
        // The week's first line only: a sheet has no room for holidays and special weeks,
        // and the QR code leads to all of it.
        hours: channel.map_or_else(String::new, |c| match &c.hours {
            madoguchi_core::hours::Schedule::Unknown { .. } => JA.state_unknown.to_owned(),
            known => {
                let lines = hours_lines(known, &JA);
                match lines.as_slice() {
                    [] => String::new(),
                    [only] => only.clone(),
                    [first, ..] => format!("{first}{}", JA.sheet_more_hours),
                }
            }
        }),
        qr: state.qr_code(&window.id),
    }
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintTemplate<'a> {
    page: Page<'a>,
    sheets: Vec<Sheet>,
    verified: String,
}

pub async fn print_sheets(
    State(state): State<SharedState>,
    headers: axum::http::HeaderMap,
) -> Response {
    cached(&state, &state.pages.print, &headers, || {
        let sheets = Audience::ALL
            .iter()
            .map(|audience| {
                let (crisis, windows) = select(&state.directory, *audience);
                Sheet {
                    title: audience.title(),
                    crisis: crisis.iter().map(|w| entry(&state, w)).collect(),
                    windows: windows.iter().map(|w| entry(&state, w)).collect(),
                }
            })
            .collect();
        let template = PrintTemplate {
            page: page(&state),
            sheets,
            verified: state.frame.verified_range.clone(),
        };
        template.render()
    })
}

#[derive(Template)]
#[template(path = "poster.html")]
struct PosterTemplate<'a> {
    page: Page<'a>,
    crisis: Vec<SheetEntry>,
    site_qr: String,
    site_url: String,
}

pub async fn poster(State(state): State<SharedState>, headers: axum::http::HeaderMap) -> Response {
    cached(&state, &state.pages.poster, &headers, || {
        let (crisis, _) = select(&state.directory, Audience::Children);
        let template = PosterTemplate {
            page: page(&state),
            crisis: crisis.iter().map(|w| entry(&state, w)).collect(),
            site_qr: state.site_qr(),
            site_url: state.public_url.clone(),
        };
        template.render()
    })
}
