//! Japanese public holidays (国民の祝日), with 振替休日 and 国民の休日, computed by rule.
//!
//! The rules are those of the 国民の祝日に関する法律 as in force since 2020, with the equinox
//! formula that holds until 2099. The Cabinet Office announces each equinox in February of the
//! year before, and the law changes now and then (the 2020 and 2021 Olympic moves), so the data
//! set carries an override table (`data/holidays.toml`) that adds or removes dates without a
//! code change. We wrote this module rather than depend on `jpholiday`: its newer versions need
//! a newer Rust and its older ones pull in chrono, while the rules fit in a page.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};

/// The holiday calendar: the rules plus the data set's overrides.
#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    added: BTreeMap<Date, String>,
    removed: BTreeSet<Date>,
    /// Whether each day of `PRECOMPUTED_YEARS` is a holiday, overrides applied, indexed by
    /// year and day of the year: opening-hours lookups ask about many days per request, and
    /// an index is much cheaper than the rules.
    precomputed: Vec<bool>,
}

/// The years whose holidays are computed once, up front; others use the rules each time.
const PRECOMPUTED_YEARS: std::ops::RangeInclusive<i16> = 2020..=2040;

impl HolidayCalendar {
    pub fn new(added: BTreeMap<Date, String>, removed: BTreeSet<Date>) -> HolidayCalendar {
        let mut calendar = HolidayCalendar {
            added,
            removed,
            precomputed: Vec::new(),
        };
        let mut precomputed = vec![false; PRECOMPUTED_YEARS.len() * 366];
        for (date, _) in PRECOMPUTED_YEARS.flat_map(|year| calendar.holidays_in(year)) {
            if let Some(index) = day_index(date) {
                precomputed[index] = true;
            }
        }
        calendar.precomputed = precomputed;
        calendar
    }

    /// The holiday's name, or `None` on an ordinary day.
    pub fn holiday_name(&self, date: Date) -> Option<String> {
        if self.removed.contains(&date) {
            return None;
        }
        if let Some(name) = self.added.get(&date) {
            return Some(name.clone());
        }
        rule_holiday(date).map(str::to_owned)
    }

    /// Whether `date` is a holiday; unlike `holiday_name` it allocates nothing, because
    /// opening-hours lookups ask it for every day they look at.
    pub fn is_holiday(&self, date: Date) -> bool {
        if let Some(index) = day_index(date)
            && let Some(holiday) = self.precomputed.get(index)
        {
            return *holiday;
        }
        !self.removed.contains(&date)
            && (self.added.contains_key(&date) || rule_holiday(date).is_some())
    }

    /// Every holiday of a year, in date order.
    pub fn holidays_in(&self, year: i16) -> Vec<(Date, String)> {
        let mut result = Vec::new();
        let Ok(mut date) = Date::new(year, 1, 1) else {
            return result;
        };
        while date.year() == year {
            if let Some(name) = self.holiday_name(date) {
                result.push((date, name));
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        result
    }
}

/// The position of `date` in `HolidayCalendar::precomputed`.
fn day_index(date: Date) -> Option<usize> {
    if !PRECOMPUTED_YEARS.contains(&date.year()) {
        return None;
    }
    let year = usize::try_from(date.year() - PRECOMPUTED_YEARS.start()).ok()?;
    let day = usize::try_from(date.day_of_year() - 1).ok()?;
    Some(year * 366 + day)
}

/// A holiday by the statutory rules alone (no overrides).
fn rule_holiday(date: Date) -> Option<&'static str> {
    if let Some(name) = statutory(date) {
        return Some(name);
    }
    // 振替休日: when a holiday falls on a Sunday, the next day that is not a holiday is one.
    if date.weekday() != Weekday::Sunday {
        let mut previous = date.yesterday().ok()?;
        while statutory(previous).is_some() {
            if previous.weekday() == Weekday::Sunday {
                return Some("振替休日");
            }
            previous = previous.yesterday().ok()?;
        }
    }
    // 国民の休日: a day between two holidays is a holiday (Sundays stay Sundays).
    if date.weekday() != Weekday::Sunday
        && statutory(date.yesterday().ok()?).is_some()
        && statutory(date.tomorrow().ok()?).is_some()
    {
        return Some("国民の休日");
    }
    None
}

/// The named holidays of the law, without substitutes.
fn statutory(date: Date) -> Option<&'static str> {
    let year = date.year();
    let (month, day) = (date.month(), date.day());
    let monday_index = if date.weekday() == Weekday::Monday {
        Some((day - 1) / 7 + 1)
    } else {
        None
    };
    match (month, day) {
        (1, 1) => return Some("元日"),
        (2, 11) => return Some("建国記念の日"),
        (2, 23) => return Some("天皇誕生日"),
        (4, 29) => return Some("昭和の日"),
        (5, 3) => return Some("憲法記念日"),
        (5, 4) => return Some("みどりの日"),
        (5, 5) => return Some("こどもの日"),
        (8, 11) => return Some("山の日"),
        (11, 3) => return Some("文化の日"),
        (11, 23) => return Some("勤労感謝の日"),
        _ => {}
    }
    match (month, monday_index) {
        (1, Some(2)) => return Some("成人の日"),
        (7, Some(3)) => return Some("海の日"),
        (9, Some(3)) => return Some("敬老の日"),
        (10, Some(2)) => return Some("スポーツの日"),
        _ => {}
    }
    if month == 3 && day == equinox_day(year, 20.8431) {
        return Some("春分の日");
    }
    if month == 9 && day == equinox_day(year, 23.2488) {
        return Some("秋分の日");
    }
    None
}

/// The day of the month of an equinox, by the formula valid for 1980–2099.
fn equinox_day(year: i16, base: f64) -> i8 {
    let years = f64::from(year - 1980);
    let day = base + 0.242194 * years - (years / 4.0).floor();
    // The result is always between 19 and 24, so the cast cannot overflow.
    day.floor() as i8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(year: i16, expected: &[(i8, i8, &str)]) {
        let calendar = HolidayCalendar::default();
        let actual: Vec<(i8, i8, String)> = calendar
            .holidays_in(year)
            .into_iter()
            .map(|(date, name)| (date.month(), date.day(), name))
            .collect();
        let expected: Vec<(i8, i8, String)> = expected
            .iter()
            .map(|(m, d, n)| (*m, *d, (*n).to_owned()))
            .collect();
        assert_eq!(actual, expected, "holidays of {year}");
    }

    // The official lists published by the Cabinet Office (内閣府「国民の祝日について」).
    #[test]
    fn official_2025() {
        check(
            2025,
            &[
                (1, 1, "元日"),
                (1, 13, "成人の日"),
                (2, 11, "建国記念の日"),
                (2, 23, "天皇誕生日"),
                (2, 24, "振替休日"),
                (3, 20, "春分の日"),
                (4, 29, "昭和の日"),
                (5, 3, "憲法記念日"),
                (5, 4, "みどりの日"),
                (5, 5, "こどもの日"),
                (5, 6, "振替休日"),
                (7, 21, "海の日"),
                (8, 11, "山の日"),
                (9, 15, "敬老の日"),
                (9, 23, "秋分の日"),
                (10, 13, "スポーツの日"),
                (11, 3, "文化の日"),
                (11, 23, "勤労感謝の日"),
                (11, 24, "振替休日"),
            ],
        );
    }

    #[test]
    fn official_2026() {
        check(
            2026,
            &[
                (1, 1, "元日"),
                (1, 12, "成人の日"),
                (2, 11, "建国記念の日"),
                (2, 23, "天皇誕生日"),
                (3, 20, "春分の日"),
                (4, 29, "昭和の日"),
                (5, 3, "憲法記念日"),
                (5, 4, "みどりの日"),
                (5, 5, "こどもの日"),
                (5, 6, "振替休日"),
                (7, 20, "海の日"),
                (8, 11, "山の日"),
                (9, 21, "敬老の日"),
                (9, 22, "国民の休日"),
                (9, 23, "秋分の日"),
                (10, 12, "スポーツの日"),
                (11, 3, "文化の日"),
                (11, 23, "勤労感謝の日"),
            ],
        );
    }

    #[test]
    fn official_2027() {
        check(
            2027,
            &[
                (1, 1, "元日"),
                (1, 11, "成人の日"),
                (2, 11, "建国記念の日"),
                (2, 23, "天皇誕生日"),
                (3, 21, "春分の日"),
                (3, 22, "振替休日"),
                (4, 29, "昭和の日"),
                (5, 3, "憲法記念日"),
                (5, 4, "みどりの日"),
                (5, 5, "こどもの日"),
                (7, 19, "海の日"),
                (8, 11, "山の日"),
                (9, 20, "敬老の日"),
                (9, 23, "秋分の日"),
                (10, 11, "スポーツの日"),
                (11, 3, "文化の日"),
                (11, 23, "勤労感謝の日"),
            ],
        );
    }

    #[test]
    fn overrides_add_and_remove_dates() {
        let mut added = BTreeMap::new();
        added.insert(Date::constant(2030, 6, 1), "臨時の祝日".to_owned());
        let mut removed = BTreeSet::new();
        removed.insert(Date::constant(2030, 11, 3));
        let calendar = HolidayCalendar::new(added, removed);
        assert_eq!(
            calendar.holiday_name(Date::constant(2030, 6, 1)).as_deref(),
            Some("臨時の祝日")
        );
        assert_eq!(calendar.holiday_name(Date::constant(2030, 11, 3)), None);
        assert_eq!(
            calendar
                .holiday_name(Date::constant(2030, 11, 23))
                .as_deref(),
            Some("勤労感謝の日")
        );
    }
}
