//! Opening hours in words, in the language of a message catalog: 「月・火・水・木・金
//! 9:00〜17:00」, "Mon, Tue, Wed, Thu, Fri 9:00–17:00". The core keeps hours as rules; every
//! reader of them (pages, the JSON API, exports, the terminal) says them through here.

use madoguchi_core::hours::{
    DateRange, DateSpec, Day, HolidayPolicy, Rule, Weekly, format_minutes,
};

use crate::messages::Messages;

/// A week's hours in a few lines: one per rule, then holidays, days off and special periods.
pub fn describe(weekly: &Weekly, m: &Messages) -> Vec<String> {
    let mut lines: Vec<String> = weekly
        .rules
        .iter()
        .map(|rule| describe_rule(rule, m))
        .collect();
    if let [rule] = weekly.rules.as_slice()
        && rule.days.len() == 8
        && rule.open == 0
        && rule.close == 1440
    {
        lines[0] = m.hours_always.to_owned();
    }
    let has_holiday_rules = weekly
        .rules
        .iter()
        .any(|rule| rule.days.contains(&Day::Hol));
    if !has_holiday_rules && weekly.holidays == HolidayPolicy::Closed {
        lines.push(m.hours_holidays_closed.to_owned());
    }
    if !has_holiday_rules && weekly.holidays == HolidayPolicy::Unknown {
        lines.push(m.hours_holidays_unknown.to_owned());
    }
    for range in &weekly.closed {
        lines.push(m.hours_closed_on.replace("{}", &describe_range(range, m)));
    }
    for period in &weekly.special {
        let rules: Vec<String> = period
            .rules
            .iter()
            .map(|rule| describe_rule(rule, m))
            .collect();
        lines.push(format!(
            "{}: {}",
            describe_range(&period.range, m),
            rules.join(m.list_separator)
        ));
    }
    if let Some(conflict) = &weekly.conflict {
        lines.push(m.aside(&conflict.note).trim().to_owned());
    }
    lines
}

/// One rule: 「第2・第4 土 9:00〜12:00」, "Every month, day 1 9:00–17:00".
fn describe_rule(rule: &Rule, m: &Messages) -> String {
    let days: Vec<&str> = if rule.days.len() == 8 {
        vec![m.hours_every_day]
    } else {
        rule.days.iter().map(|day| day_name(*day, m)).collect()
    };
    let nth: Vec<&str> = rule
        .nth
        .iter()
        .filter_map(|n| m.hours_nth.get(usize::from(*n).wrapping_sub(1)).copied())
        .collect();
    let month_days = if rule.month_days.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = rule
            .month_days
            .iter()
            .map(|d| m.hours_month_day.replace("{}", &d.to_string()))
            .collect();
        format!(
            "{} ",
            m.hours_every_month
                .replace("{}", &list.join(m.list_separator))
        )
    };
    let nth = if nth.is_empty() {
        String::new()
    } else {
        format!("{} ", nth.join(m.list_separator))
    };
    format!(
        "{month_days}{nth}{} {}",
        days.join(m.list_separator),
        m.hours_range
            .replace("{open}", &format_minutes(rule.open))
            .replace("{close}", &format_minutes(rule.close))
    )
}

fn day_name(day: Day, m: &Messages) -> &'static str {
    let index = match day {
        Day::Mon => 0,
        Day::Tue => 1,
        Day::Wed => 2,
        Day::Thu => 3,
        Day::Fri => 4,
        Day::Sat => 5,
        Day::Sun => 6,
        Day::Hol => 7,
    };
    m.hours_days[index]
}

/// 「年末年始（12/29〜1/3）」.
fn describe_range(range: &DateRange, m: &Messages) -> String {
    let spec = |spec: DateSpec| match spec {
        DateSpec::EveryYear { month, day } => format!("{month}/{day}"),
        DateSpec::Once(date) => format!("{}/{}/{}", date.year(), date.month(), date.day()),
    };
    let span = m
        .hours_range
        .replace("{open}", &spec(range.from))
        .replace("{close}", &spec(range.to));
    match &range.label {
        Some(label) => format!("{label}{}", m.aside(&span)),
        None => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{EN, JA};

    fn weekdays_with_new_year_off() -> Weekly {
        Weekly {
            rules: vec![Rule {
                days: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
                nth: Vec::new(),
                month_days: Vec::new(),
                open: 9 * 60,
                close: 17 * 60 + 15,
            }],
            holidays: HolidayPolicy::Closed,
            closed: vec![DateRange {
                from: DateSpec::EveryYear { month: 12, day: 29 },
                to: DateSpec::EveryYear { month: 1, day: 3 },
                label: Some("年末年始".to_owned()),
            }],
            special: Vec::new(),
            note: None,
            sources: Vec::new(),
            confidence: None,
            conflict: None,
        }
    }

    #[test]
    fn a_week_reads_in_each_language() {
        let week = weekdays_with_new_year_off();
        assert_eq!(
            describe(&week, &JA),
            [
                "月・火・水・木・金 9:00〜17:15",
                "祝日は休み",
                "休み: 年末年始（12/29〜1/3）"
            ]
        );
        assert_eq!(
            describe(&week, &EN),
            [
                "Mon, Tue, Wed, Thu, Fri 9:00–17:15",
                "Closed on public holidays",
                "Closed: 年末年始 (12/29–1/3)"
            ]
        );
    }

    #[test]
    fn every_hour_of_every_day_is_one_line() {
        let mut week = weekdays_with_new_year_off();
        week.rules[0].days = Day::parse("daily").unwrap_or_default();
        week.rules[0].open = 0;
        week.rules[0].close = 1440;
        week.closed.clear();
        assert_eq!(describe(&week, &EN), ["24 hours, every day"]);
        week.rules[0].nth = vec![2, 4];
        week.rules[0].days = vec![Day::Sat];
        assert_eq!(describe(&week, &JA)[0], "第2・第4 土 0:00〜24:00");
        assert_eq!(describe(&week, &EN)[0], "2nd, 4th Sat 0:00–24:00");
    }
}
