//! When reports fall due and who was late (T4–T6, T10): the league sets at
//! the start of a year which frequencies are due and how many days after
//! its period each one is; a county's report is on time when its first
//! version was submitted by that day. For the weekly return (周报) the
//! league counts the late, missed or corrected returns of each preparer in a
//! month, and may ask a county to move one who has two or more (T5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Frequency, Period};

/// Where a county's report of a period stands against its due day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Timeliness {
    /// The due day has not come and nothing is submitted yet.
    NotDue,
    OnTime,
    /// Submitted `days` after the due day.
    Late {
        days: i64,
    },
    /// The due day has passed and nothing is submitted (漏报).
    Missing {
        days: i64,
    },
}

impl Timeliness {
    pub fn of(due: NaiveDate, submitted_on: Option<NaiveDate>, today: NaiveDate) -> Timeliness {
        match submitted_on {
            Some(day) if day <= due => Timeliness::OnTime,
            Some(day) => Timeliness::Late {
                days: (day - due).num_days(),
            },
            None if today > due => Timeliness::Missing {
                days: (today - due).num_days(),
            },
            None => Timeliness::NotDue,
        }
    }

    /// Late or missing: what the league lists (T5).
    pub fn is_fault(self) -> bool {
        matches!(self, Timeliness::Late { .. } | Timeliness::Missing { .. })
    }

    pub fn code(self) -> &'static str {
        match self {
            Timeliness::NotDue => "not_due",
            Timeliness::OnTime => "on_time",
            Timeliness::Late { .. } => "late",
            Timeliness::Missing { .. } => "missing",
        }
    }
}

/// The periods of `frequency` in `year` whose due day (`lag_days` after
/// each ends) is on or before `today`, oldest first: what should be in.
pub fn due_by(frequency: Frequency, year: i32, lag_days: u32, today: NaiveDate) -> Vec<Period> {
    (1..=frequency.periods_in(year))
        .filter_map(|i| Period::new(frequency, year, i).ok())
        .filter(|p| p.due(lag_days) <= today)
        .collect()
}

/// The weekly returns whose due day falls in `month` (a monthly period):
/// the ones a preparer is counted for in that month (T5).
pub fn weeks_due_in(month: Period, lag_days: u32) -> Vec<Period> {
    let mut out = Vec::new();
    let mut week = Period::containing(
        Frequency::Weekly,
        month.first_day() - chrono::Duration::days(i64::from(lag_days) + 7),
    );
    while week.due(lag_days) <= month.last_day() {
        if month.contains(week.due(lag_days)) {
            out.push(week);
        }
        week = week.next();
    }
    out
}
