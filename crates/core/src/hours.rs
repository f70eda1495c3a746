//! Opening hours per channel: weekly rules, nth weekdays, public holidays, closures such as
//! 年末年始, extended-hours periods, and "unknown".
//!
//! All times are Asia/Tokyo. Japan has had no daylight saving since 1951, so civil date-time
//! arithmetic in that zone is exact; the zone data is bundled into the binary (jiff's
//! `tzdb-bundle-always`) so that a slim image without `/usr/share/zoneinfo` still works.
//! Nothing here reads the clock: the instant is always a parameter.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime as Zoned};
use serde::Serialize;

use crate::holidays::HolidayCalendar;
use crate::provenance::Confidence;

/// How far ahead we look for the next opening (a monthly line may be weeks away).
const LOOKAHEAD_DAYS: i32 = 70;
/// An interval chain longer than this is "always open" and has no `until`.
const ALWAYS_OPEN_DAYS: i64 = 8;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Schedule {
    /// Nobody has confirmed the hours: show 「要確認」 and the operator's page.
    Unknown {
        note: String,
        /// Where somebody looked (ids of the window's sources), if anywhere.
        sources: Vec<String>,
    },
    Known(Weekly),
}

impl Schedule {
    pub fn is_unknown(&self) -> bool {
        matches!(self, Schedule::Unknown { .. })
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            Schedule::Unknown { note, .. } => Some(note),
            Schedule::Known(weekly) => weekly.note.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Weekly {
    pub rules: Vec<Rule>,
    /// What happens on a public holiday when no rule names `hol`.
    pub holidays: HolidayPolicy,
    pub closed: Vec<DateRange>,
    pub special: Vec<SpecialPeriod>,
    pub note: Option<String>,
    /// Ids of the window's sources that state these hours.
    pub sources: Vec<String>,
    pub confidence: Option<Confidence>,
    /// Another source gives other hours: during its intervals the state is unknown.
    pub conflict: Option<Conflict>,
}

/// Where sources disagree: the intervals one source adds to or takes from the hours shown
/// (the safer reading). During them a window is neither open nor closed but 「要確認」.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub rules: Vec<Rule>,
    pub sources: Vec<String>,
    /// What the other source says, for the page (「20:00からとする情報もあります」).
    pub note: String,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HolidayPolicy {
    /// Closed on public holidays (行政機関の休日).
    Closed,
    /// Holidays are ordinary days.
    AsWeekday,
    /// Nobody has confirmed what happens on a holiday: the state is unknown on one.
    Unknown,
}

/// Open from `open` to `close` on the listed days. `close <= open` crosses midnight, so
/// `08:00` to `08:00` is 24 hours from 8 in the morning.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub days: Vec<Day>,
    /// Only the nth such weekday of the month (第2日曜), when not empty.
    pub nth: Vec<u8>,
    /// Only these days of the month (毎月10日), when not empty.
    pub month_days: Vec<u8>,
    /// Minutes after midnight; exported as `HH:MM`.
    #[serde(serialize_with = "serialize_minutes")]
    pub open: u16,
    /// Minutes after midnight; 1440 is 24:00. Exported as `HH:MM`.
    #[serde(serialize_with = "serialize_minutes")]
    pub close: u16,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
    /// A public holiday.
    Hol,
}

impl Day {
    pub fn parse(text: &str) -> Option<Vec<Day>> {
        Some(match text {
            "mon" => vec![Day::Mon],
            "tue" => vec![Day::Tue],
            "wed" => vec![Day::Wed],
            "thu" => vec![Day::Thu],
            "fri" => vec![Day::Fri],
            "sat" => vec![Day::Sat],
            "sun" => vec![Day::Sun],
            "hol" => vec![Day::Hol],
            "weekdays" => vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            "daily" => vec![
                Day::Mon,
                Day::Tue,
                Day::Wed,
                Day::Thu,
                Day::Fri,
                Day::Sat,
                Day::Sun,
                Day::Hol,
            ],
            _ => return None,
        })
    }

    fn of(weekday: Weekday) -> Day {
        match weekday {
            Weekday::Monday => Day::Mon,
            Weekday::Tuesday => Day::Tue,
            Weekday::Wednesday => Day::Wed,
            Weekday::Thursday => Day::Thu,
            Weekday::Friday => Day::Fri,
            Weekday::Saturday => Day::Sat,
            Weekday::Sunday => Day::Sun,
        }
    }
}

/// A date range: every year (`12-29` to `01-03`) or once (`2025-08-27` to `2025-09-02`).
#[derive(Debug, Clone, Serialize)]
pub struct DateRange {
    pub from: DateSpec,
    pub to: DateSpec,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum DateSpec {
    EveryYear { month: i8, day: i8 },
    Once(Date),
}

impl DateSpec {
    /// Parses `MM-DD` (every year) or `YYYY-MM-DD` (once).
    pub fn parse(text: &str) -> Option<DateSpec> {
        if let Ok(date) = text.parse::<Date>() {
            return Some(DateSpec::Once(date));
        }
        let (month, day) = text.split_once('-')?;
        if month.len() != 2 || day.len() != 2 {
            return None;
        }
        let month: i8 = month.parse().ok()?;
        let day: i8 = day.parse().ok()?;
        // 2024 is a leap year, so 02-29 is accepted.
        Date::new(2024, month, day).ok()?;
        Some(DateSpec::EveryYear { month, day })
    }
}

impl DateRange {
    pub fn contains(&self, date: Date) -> bool {
        match (self.from, self.to) {
            (DateSpec::Once(from), DateSpec::Once(to)) => from <= date && date <= to,
            (
                DateSpec::EveryYear { month: fm, day: fd },
                DateSpec::EveryYear { month: tm, day: td },
            ) => {
                let md = (date.month(), date.day());
                if (fm, fd) <= (tm, td) {
                    (fm, fd) <= md && md <= (tm, td)
                } else {
                    md >= (fm, fd) || md <= (tm, td)
                }
            }
            // Mixed forms are refused by validation.
            _ => false,
        }
    }
}

/// Different hours for a period (強化週間): its rules replace the normal ones on those dates.
#[derive(Debug, Clone, Serialize)]
pub struct SpecialPeriod {
    pub range: DateRange,
    pub rules: Vec<Rule>,
}

/// The state of a channel or window at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenState {
    /// Open now; `until` is `None` when it never closes (24 hours, every day).
    Open {
        until: Option<Zoned>,
    },
    /// Closed now; `next_open` is `None` when no opening is known in the next weeks.
    Closed {
        next_open: Option<Zoned>,
    },
    Unknown,
}

impl OpenState {
    pub fn as_str(&self) -> &'static str {
        match self {
            OpenState::Open { .. } => "open",
            OpenState::Closed { .. } => "closed",
            OpenState::Unknown => "unknown",
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, OpenState::Open { .. })
    }

    pub fn until(&self) -> Option<&Zoned> {
        match self {
            OpenState::Open { until } => until.as_ref(),
            _ => None,
        }
    }

    pub fn next_open(&self) -> Option<&Zoned> {
        match self {
            OpenState::Closed { next_open } => next_open.as_ref(),
            _ => None,
        }
    }

    /// Merges the states of several channels: open when any is open, unknown when none is
    /// open and any is unknown, closed otherwise (with the earliest next opening).
    pub fn any(states: impl IntoIterator<Item = OpenState>) -> OpenState {
        let mut open: Option<Option<Zoned>> = None;
        let mut unknown = false;
        let mut next: Option<Zoned> = None;
        let mut any_closed = false;
        for state in states {
            match state {
                OpenState::Open { until } => {
                    open = Some(match (open, until) {
                        (None, until) => until,
                        (Some(None), _) | (_, None) => None,
                        (Some(Some(a)), Some(b)) => Some(if a > b { a } else { b }),
                    });
                }
                OpenState::Unknown => unknown = true,
                OpenState::Closed { next_open } => {
                    any_closed = true;
                    if let Some(candidate) = next_open
                        && next.as_ref().is_none_or(|current| candidate < *current)
                    {
                        next = Some(candidate);
                    }
                }
            }
        }
        match open {
            Some(until) => OpenState::Open { until },
            None if unknown || !any_closed => OpenState::Unknown,
            None => OpenState::Closed { next_open: next },
        }
    }
}

pub fn tokyo() -> TimeZone {
    // Looking the zone up by name parses its data; do it once per process.
    static TOKYO: std::sync::OnceLock<TimeZone> = std::sync::OnceLock::new();
    TOKYO
        .get_or_init(|| {
            // The bundled database always has Asia/Tokyo; the fixed offset is a safe fallback.
            TimeZone::get("Asia/Tokyo").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(9)))
        })
        .clone()
}

impl Schedule {
    /// The state of this schedule at `at`.
    pub fn state_at(&self, at: Timestamp, calendar: &HolidayCalendar) -> OpenState {
        match self {
            Schedule::Unknown { .. } => OpenState::Unknown,
            Schedule::Known(weekly) => weekly.state_at(at, calendar),
        }
    }
}

impl Weekly {
    pub fn state_at(&self, at: Timestamp, calendar: &HolidayCalendar) -> OpenState {
        let zone = tokyo();
        let now = at.to_zoned_datetime(zone.clone()).datetime();
        let Ok(yesterday) = now.date().yesterday() else {
            return OpenState::Unknown;
        };
        if self.holidays == HolidayPolicy::Unknown
            && calendar.is_holiday(now.date())
            && !self.rules.iter().any(|rule| rule.days.contains(&Day::Hol))
        {
            return OpenState::Unknown;
        }
        if let Some(conflict) = &self.conflict {
            let disputed = Weekly {
                rules: conflict.rules.clone(),
                holidays: HolidayPolicy::AsWeekday,
                closed: self.closed.clone(),
                special: Vec::new(),
                note: None,
                sources: Vec::new(),
                confidence: None,
                conflict: None,
            };
            let inside = [yesterday, now.date()]
                .into_iter()
                .flat_map(|date| disputed.intervals_on(date, calendar).collect::<Vec<_>>())
                .any(|(start, end)| start <= now && now < end);
            if inside {
                return OpenState::Unknown;
            }
        }
        let current = [yesterday, now.date()]
            .into_iter()
            .flat_map(|date| self.intervals_on(date, calendar))
            .find(|(start, end)| *start <= now && now < *end);
        if let Some((_, end)) = current {
            let until = self.chain_end(end, calendar);
            return OpenState::Open {
                until: until.and_then(|end| end.to_zoned_datetime(zone.clone()).ok()),
            };
        }
        // Intervals start on the day they belong to, so the first day with a later start
        // holds the next opening: stop there instead of scanning the whole window.
        let next_open = (0..LOOKAHEAD_DAYS)
            .filter_map(|offset| now.date().checked_add(jiff::Span::new().days(offset)).ok())
            .find_map(|date| {
                self.intervals_on(date, calendar)
                    .map(|(start, _)| start)
                    .filter(|start| *start > now)
                    .min()
            })
            .and_then(|start| start.to_zoned_datetime(zone.clone()).ok());
        OpenState::Closed { next_open }
    }

    /// Follows back-to-back intervals (23:00–24:00 then 00:00–05:00) to the real closing time.
    /// Returns `None` when the chain runs for more than a week: the channel never closes.
    fn chain_end(&self, mut end: DateTime, calendar: &HolidayCalendar) -> Option<DateTime> {
        if self.is_around_the_clock() {
            return None;
        }
        let limit = end
            .checked_add(jiff::Span::new().days(ALWAYS_OPEN_DAYS))
            .ok()?;
        while end < limit {
            let later = [end.date().yesterday().ok(), Some(end.date())]
                .into_iter()
                .flatten()
                .flat_map(|date| self.intervals_on(date, calendar))
                .filter(|(start, finish)| *start <= end && *finish > end)
                .map(|(_, finish)| finish)
                .max();
            match later {
                Some(later) => end = later,
                None => return Some(end),
            }
        }
        None
    }

    /// Open every hour of every day, holidays included, with no closures or special periods:
    /// the common case of web forms and 24-hour lines, answered without walking the days.
    pub fn is_around_the_clock(&self) -> bool {
        self.closed.is_empty()
            && self.special.is_empty()
            && self.conflict.is_none()
            && self.rules.iter().any(|rule| {
                rule.days.len() == 8
                    && rule.nth.is_empty()
                    && rule.month_days.is_empty()
                    && (rule.open == 0 && rule.close == 1440 || rule.open == rule.close)
            })
    }

    /// The intervals that start on `date`. An iterator, not a list: opening-hours lookups
    /// ask for many days per request and most days yield one interval or none.
    pub fn intervals_on<'a>(
        &'a self,
        date: Date,
        calendar: &HolidayCalendar,
    ) -> impl Iterator<Item = (DateTime, DateTime)> + 'a {
        let (rules, day): (&'a [Rule], Day) = self.rules_for(date, calendar);
        let week_of_month = ((date.day() - 1) / 7 + 1) as u8;
        rules
            .iter()
            .filter(move |rule| rule.days.contains(&day))
            .filter(move |rule| {
                day == Day::Hol || rule.nth.is_empty() || rule.nth.contains(&week_of_month)
            })
            .filter(move |rule| {
                rule.month_days.is_empty() || rule.month_days.contains(&(date.day() as u8))
            })
            .filter_map(move |rule| {
                let start = date.to_datetime(minutes_to_time(rule.open)?);
                let end_date = if rule.close <= rule.open || rule.close == 1440 {
                    date.tomorrow().ok()?
                } else {
                    date
                };
                let end = end_date.to_datetime(minutes_to_time(rule.close % 1440)?);
                Some((start, end))
            })
    }

    /// The rules that apply on `date` and the kind of day it is; no rules on a closed day.
    fn rules_for(&self, date: Date, calendar: &HolidayCalendar) -> (&[Rule], Day) {
        let weekday = Day::of(date.weekday());
        if self.closed.iter().any(|range| range.contains(date)) {
            return (&[], weekday);
        }
        let rules = self
            .special
            .iter()
            .find(|period| period.range.contains(date))
            .map_or(&self.rules, |period| &period.rules);
        if !calendar.is_holiday(date) {
            return (rules, weekday);
        }
        if rules.iter().any(|rule| rule.days.contains(&Day::Hol)) {
            (rules, Day::Hol)
        } else if self.holidays == HolidayPolicy::Closed {
            (&[], weekday)
        } else {
            (rules, weekday)
        }
    }
}

fn minutes_to_time(minutes: u16) -> Option<Time> {
    Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()
}

/// Parses `HH:MM`; `24:00` is allowed as a closing time.
pub fn parse_minutes(text: &str) -> Option<u16> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: u16 = hours.parse().ok()?;
    let minutes: u16 = minutes.parse().ok()?;
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes != 0) {
        return None;
    }
    Some(hours * 60 + minutes)
}

fn serialize_minutes<S: serde::Serializer>(
    minutes: &u16,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

pub fn format_minutes(minutes: u16) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A channel's state, following its routes: a route that is open makes the channel open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelState {
    pub state: OpenState,
    /// The route that answers now, when the call goes somewhere else than usual.
    pub route: Option<String>,
}
