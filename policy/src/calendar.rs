//! Working days and deadlines.
//!
//! A working day is a Monday to Friday that is not a public holiday, or an
//! adjusted working Saturday or Sunday (调休), by the holiday calendar of the
//! parameters of that day's calendar year. A day in a year without parameters
//! is an error: guessing "weekends only" would silently move deadlines.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::params::{Rules, RulesError};

pub fn is_working_day(rules: &Rules, date: NaiveDate) -> Result<bool, RulesError> {
    Ok(rules.year(date.year())?.calendar.is_working_day(date))
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, RulesError> {
    date.succ_opt().ok_or(RulesError::DateOutOfRange)
}

/// The `n`-th working day after `date` (`date` itself when `n` is 0): the
/// deadline of something due "within n working days" of `date`.
pub fn add_working_days(rules: &Rules, date: NaiveDate, n: u32) -> Result<NaiveDate, RulesError> {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = next_day(day)?;
        if is_working_day(rules, day)? {
            left -= 1;
        }
    }
    Ok(day)
}

/// `date` if it is a working day, else the next working day.
pub fn working_day_on_or_after(rules: &Rules, date: NaiveDate) -> Result<NaiveDate, RulesError> {
    let mut day = date;
    while !is_working_day(rules, day)? {
        day = next_day(day)?;
    }
    Ok(day)
}

/// `date` plus `n` whole calendar days: the deadline of "within n days".
pub fn add_calendar_days(date: NaiveDate, n: u32) -> Result<NaiveDate, RulesError> {
    date.checked_add_days(Days::new(u64::from(n)))
        .ok_or(RulesError::DateOutOfRange)
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier):
/// e.g. the `filed_within_days` of a claim.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The paperwork deadlines of RULES.md §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paperwork {
    /// E13: office declares collected premiums to the agency (working days).
    DeclarePremiums,
    /// E13: office sends the card list to the information centre (working days).
    SendCardList,
    /// E19: information centre makes the cards (working days).
    MakeCards,
    /// M21, M22: emergency filed with the agency (calendar days).
    FileEmergency,
    /// M19: emergency transfer approved afterwards (calendar days).
    ApproveEmergencyTransfer,
    /// M14: special item done in an emergency approved afterwards (calendar days).
    ApproveSpecialItem,
}

impl Paperwork {
    pub fn article(self) -> &'static str {
        match self {
            Paperwork::DeclarePremiums | Paperwork::SendCardList => "E13",
            Paperwork::MakeCards => "E19",
            Paperwork::FileEmergency => "M21",
            Paperwork::ApproveEmergencyTransfer => "M19",
            Paperwork::ApproveSpecialItem => "M14",
        }
    }
}

/// The last day on which the paperwork is on time, for an event on `event`.
/// The count comes from the parameters of the event's year.
pub fn paperwork_deadline(
    rules: &Rules,
    kind: Paperwork,
    event: NaiveDate,
) -> Result<NaiveDate, RulesError> {
    let d = &rules.year(event.year())?.deadlines;
    match kind {
        Paperwork::DeclarePremiums => {
            add_working_days(rules, event, d.declare_premiums_working_days)
        }
        Paperwork::SendCardList => add_working_days(rules, event, d.card_list_working_days),
        Paperwork::MakeCards => add_working_days(rules, event, d.card_making_working_days),
        Paperwork::FileEmergency => add_calendar_days(event, d.emergency_filing_days),
        Paperwork::ApproveEmergencyTransfer => add_calendar_days(event, d.transfer_approval_days),
        Paperwork::ApproveSpecialItem => add_calendar_days(event, d.special_item_approval_days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holidays_weekends_and_adjusted_saturdays() {
        let rules = Rules::builtin();
        assert!(!is_working_day(&rules, d("2009-10-01")).unwrap());
        assert!(
            !is_working_day(&rules, d("2009-10-08")).unwrap(),
            "Thursday in the National Day week"
        );
        assert!(is_working_day(&rules, d("2009-10-09")).unwrap());
        assert!(
            is_working_day(&rules, d("2009-10-10")).unwrap(),
            "adjusted working Saturday"
        );
        assert!(!is_working_day(&rules, d("2009-10-11")).unwrap());
        assert!(
            is_working_day(&rules, d("2009-09-27")).unwrap(),
            "adjusted working Sunday"
        );
        assert!(!is_working_day(&rules, d("2009-09-26")).unwrap());
        assert!(is_working_day(&rules, d("2009-09-30")).unwrap());
        assert!(is_working_day(&rules, d("2026-02-28")).unwrap());
        assert!(
            !is_working_day(&rules, d("2026-02-23")).unwrap(),
            "Monday of the 2026 Spring Festival"
        );
        assert_eq!(
            is_working_day(&rules, d("2011-01-04")),
            Err(RulesError::UnknownYear(2011))
        );
    }

    #[test]
    fn working_days_across_a_holiday_and_an_adjusted_saturday() {
        let rules = Rules::builtin();
        // Wed 30 Sep 2009 + 3 working days: 1-8 Oct off, Fri 9, Sat 10 (worked), Mon 12.
        assert_eq!(
            add_working_days(&rules, d("2009-09-30"), 3).unwrap(),
            d("2009-10-12")
        );
        assert_eq!(
            add_working_days(&rules, d("2009-09-30"), 2).unwrap(),
            d("2009-10-10")
        );
        // Fri 25 Sep + 2: Sun 27 is worked, then Mon 28.
        assert_eq!(
            add_working_days(&rules, d("2009-09-25"), 2).unwrap(),
            d("2009-09-28")
        );
        // Thu 17 Dec 2009 + 7 (card making).
        assert_eq!(
            add_working_days(&rules, d("2009-12-17"), 7).unwrap(),
            d("2009-12-28")
        );
        assert_eq!(
            add_working_days(&rules, d("2009-10-05"), 0).unwrap(),
            d("2009-10-05")
        );
        // Crossing New Year: 31 Dec 2009 (Thu) + 1: 1-3 Jan 2010 off, Mon 4.
        assert_eq!(
            add_working_days(&rules, d("2009-12-31"), 1).unwrap(),
            d("2010-01-04")
        );
        // Spring Festival 2010: Fri 12 Feb + 1 = Sat 20 Feb (worked).
        assert_eq!(
            add_working_days(&rules, d("2010-02-12"), 1).unwrap(),
            d("2010-02-20")
        );
        assert_eq!(
            add_working_days(&rules, d("2010-12-30"), 2),
            Err(RulesError::UnknownYear(2011))
        );
        assert_eq!(
            working_day_on_or_after(&rules, d("2009-10-01")).unwrap(),
            d("2009-10-09")
        );
        assert_eq!(
            working_day_on_or_after(&rules, d("2009-10-09")).unwrap(),
            d("2009-10-09")
        );
    }

    #[test]
    fn paperwork_deadlines() {
        let rules = Rules::builtin();
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::DeclarePremiums, d("2009-09-30")).unwrap(),
            d("2009-10-12")
        );
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::SendCardList, d("2009-09-30")).unwrap(),
            d("2009-10-10")
        );
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::MakeCards, d("2008-09-26")).unwrap(),
            d("2008-10-10")
        );
        // Calendar days ignore holidays.
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::FileEmergency, d("2009-09-30")).unwrap(),
            d("2009-10-03")
        );
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::ApproveEmergencyTransfer, d("2009-12-30"))
                .unwrap(),
            d("2010-01-02")
        );
        assert_eq!(
            paperwork_deadline(&rules, Paperwork::ApproveSpecialItem, d("2010-02-28")).unwrap(),
            d("2010-03-03")
        );
        assert_eq!(Paperwork::MakeCards.article(), "E19");
        assert_eq!(days_between(d("2009-09-30"), d("2009-10-03")), 3);
        assert_eq!(days_between(d("2009-10-03"), d("2009-09-30")), -3);
    }
}
