//! Which facts are due for checking again: older than a given age, or from pages that show no
//! date, the most harmful first. A wrong number on a crisis line sends a person in crisis to
//! nobody; a stale description of a report form costs a click.

use jiff::civil::Date;

use crate::model::{Directory, Fact, Source, Window, WindowKind};

/// A fact due for checking.
#[derive(Debug, Clone)]
pub struct StaleFact<'a> {
    pub window: &'a Window,
    pub fact: Fact,
    /// The newest page date among its sources, `None` when no source shows one.
    pub date: Option<Date>,
    /// The last day one of its sources was read.
    pub checked: Option<Date>,
    pub sources: Vec<&'a Source>,
    /// 0 for crisis lines and emergency numbers, 1 for the rest.
    pub window_harm: u8,
}

/// Whether a window is one a person in crisis is sent to.
pub fn is_critical(window: &Window) -> bool {
    window.kind == WindowKind::Emergency || window.situation_fit("crisis") >= 2
}

/// Every fact whose newest source is older than `months` before `today`, or undated, ordered
/// most harmful first: crisis lines and emergency numbers before other windows, contacts
/// before hours before what a window can do before descriptions, the oldest first.
pub fn stale(directory: &Directory, today: Date, months: i64) -> Vec<StaleFact<'_>> {
    let limit = today
        .checked_sub(jiff::Span::new().months(months))
        .unwrap_or(today);
    let mut found: Vec<StaleFact<'_>> = directory
        .windows
        .iter()
        .flat_map(|window| {
            window.facts().into_iter().filter_map(move |fact| {
                let date = fact.date(&window.sources);
                if date.is_some_and(|d| d >= limit) {
                    return None;
                }
                Some(StaleFact {
                    window,
                    checked: fact.checked(&window.sources),
                    sources: fact
                        .sources
                        .iter()
                        .filter_map(|id| window.source(id))
                        .collect(),
                    date,
                    window_harm: u8::from(!is_critical(window)),
                    fact,
                })
            })
        })
        .collect();
    found.sort_by(|a, b| {
        (a.window_harm, a.fact.kind, a.date, &a.window.id).cmp(&(
            b.window_harm,
            b.fact.kind,
            b.date,
            &b.window.id,
        ))
    });
    found
}

/// How many facts the directory has in all.
pub fn fact_count(directory: &Directory) -> usize {
    directory.windows.iter().map(|w| w.facts().len()).sum()
}
