//! Payment runs (B19): when an approved resident claim is paid.
//!
//! Special-disease outpatient claims are paid on the 5th–6th of each month;
//! transfers, non-designated emergency stays and outpatient emergencies on the
//! 7th–10th. A window that starts on a day off moves to the next working day
//! (节假日顺延), and the whole window moves with it, keeping its length in
//! calendar days (Reading). An approved claim is paid in the first window of
//! its type that starts after the day of approval (a window starting on the
//! day of approval is already under way, so the next one is used).
//! Student accidents and any other resident claim use the 7th–10th window
//! (Reading: B19 names no other day).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::benefit::ClaimKind;
use crate::calendar;
use crate::explain::Explanation;
use crate::params::{Rules, RulesError};

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RunKind {
        SpecialOutpatient = "special_outpatient",
        Others = "others",
    }
}

impl RunKind {
    pub fn for_claim(kind: ClaimKind) -> RunKind {
        match kind {
            ClaimKind::SpecialOutpatient => RunKind::SpecialOutpatient,
            ClaimKind::Inpatient
            | ClaimKind::Transfer
            | ClaimKind::NondesignatedEmergency
            | ClaimKind::OutpatientEmergency
            | ClaimKind::StudentAccident => RunKind::Others,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunWindow {
    pub kind: RunKind,
    /// The first day as the rule states it (5th or 7th).
    pub nominal_start: NaiveDate,
    /// The first day of the window, moved to a working day if need be.
    pub start: NaiveDate,
    /// The last day of the window.
    pub end: NaiveDate,
    pub explanation: Explanation,
}

/// The window of `kind` in the given month, by the parameters of that year.
pub fn window_in_month(
    rules: &Rules,
    kind: RunKind,
    year: i32,
    month: u32,
) -> Result<RunWindow, RulesError> {
    let runs = &rules.year(year)?.payment_runs;
    let days = match kind {
        RunKind::SpecialOutpatient => runs.special_outpatient,
        RunKind::Others => runs.others,
    };
    let nominal_start =
        NaiveDate::from_ymd_opt(year, month, days.first_day).ok_or(RulesError::DateOutOfRange)?;
    let nominal_end =
        NaiveDate::from_ymd_opt(year, month, days.last_day).ok_or(RulesError::DateOutOfRange)?;
    let start = calendar::working_day_on_or_after(rules, nominal_start)?;
    let shift = Days::new(u64::try_from((start - nominal_start).num_days()).unwrap_or(0));
    let end = nominal_end
        .checked_add_days(shift)
        .ok_or(RulesError::DateOutOfRange)?;
    let mut explanation = Explanation::new();
    let (what_zh, what_en) = match kind {
        RunKind::SpecialOutpatient => ("特殊病门诊医疗费", "special-disease outpatient claims"),
        RunKind::Others => (
            "转院、急诊在非定点医院住院和门诊抢救医疗费",
            "transfer, non-designated emergency and outpatient emergency claims",
        ),
    };
    if start == nominal_start {
        explanation.push(
            "B19",
            format!(
                "每月{}—{}日支付{what_zh}:{start}至{end}。",
                days.first_day, days.last_day
            ),
            format!(
                "{what_en} are paid on days {}–{} of each month: {start} to {end}.",
                days.first_day, days.last_day
            ),
        );
    } else {
        explanation.push(
            "B19",
            format!("每月{}—{}日支付{what_zh};{nominal_start}为节假日,顺延至{start}至{end}。", days.first_day, days.last_day),
            format!("{what_en} are paid on days {}–{}; {nominal_start} is a day off, so the window moves to {start}–{end}.", days.first_day, days.last_day),
        );
    }
    Ok(RunWindow {
        kind,
        nominal_start,
        start,
        end,
        explanation,
    })
}

fn following_month(year: i32, month: u32) -> Result<(i32, u32), RulesError> {
    if month >= 12 {
        Ok((year.checked_add(1).ok_or(RulesError::DateOutOfRange)?, 1))
    } else {
        Ok((year, month + 1))
    }
}

/// The first window of `kind` that starts after `approved_on`.
pub fn next_window(
    rules: &Rules,
    kind: RunKind,
    approved_on: NaiveDate,
) -> Result<RunWindow, RulesError> {
    let (mut year, mut month) = (approved_on.year(), approved_on.month());
    // A moved start stays within its month plus a few days, so the window
    // of the month of approval or of the following month is always it; a
    // third month is looked at only as a guard.
    for _ in 0..3 {
        let window = window_in_month(rules, kind, year, month)?;
        if window.start > approved_on {
            let mut window = window;
            window.explanation.0.insert(
                0,
                crate::explain::Step {
                    article: "B19".into(),
                    zh: format!("{approved_on}审核通过,在其后开始的第一个支付期支付。"),
                    en: format!(
                        "Approved on {approved_on}: paid in the first window that starts after it."
                    ),
                },
            );
            return Ok(window);
        }
        (year, month) = following_month(year, month)?;
    }
    Err(RulesError::DateOutOfRange)
}

/// The first day of the window in which a claim approved on `approved_on`
/// is paid.
pub fn window_start(
    rules: &Rules,
    kind: RunKind,
    approved_on: NaiveDate,
) -> Result<NaiveDate, RulesError> {
    next_window(rules, kind, approved_on).map(|w| w.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn windows_in_ordinary_months() {
        let rules = Rules::builtin();
        let w = next_window(&rules, RunKind::SpecialOutpatient, d("2009-06-01")).unwrap();
        assert_eq!((w.start, w.end), (d("2009-06-05"), d("2009-06-06")));
        let w = next_window(&rules, RunKind::Others, d("2009-06-01")).unwrap();
        // Sun 7 June 2009 moves to Mon 8, the window to 8–11.
        assert_eq!(
            (w.nominal_start, w.start, w.end),
            (d("2009-06-07"), d("2009-06-08"), d("2009-06-11"))
        );
        assert!(w.explanation.cites("B19"));
    }

    #[test]
    fn approval_on_the_first_day_waits_for_next_month() {
        let rules = Rules::builtin();
        let w = next_window(&rules, RunKind::SpecialOutpatient, d("2009-06-05")).unwrap();
        assert_eq!(w.start, d("2009-07-06"), "Sun 5 July 2009 moves to Mon 6");
        let w = next_window(&rules, RunKind::SpecialOutpatient, d("2009-06-04")).unwrap();
        assert_eq!(w.start, d("2009-06-05"));
    }

    #[test]
    fn windows_moved_by_a_holiday() {
        let rules = Rules::builtin();
        // 5 Oct 2009 is in the National Day holiday (1–8 Oct): moves to Fri 9.
        let w = next_window(&rules, RunKind::SpecialOutpatient, d("2009-09-30")).unwrap();
        assert_eq!((w.start, w.end), (d("2009-10-09"), d("2009-10-10")));
        assert_eq!(
            window_start(&rules, RunKind::SpecialOutpatient, d("2009-09-30")).unwrap(),
            d("2009-10-09")
        );
        // 7 Oct 2009 too: Fri 9.
        let w = next_window(&rules, RunKind::Others, d("2009-09-30")).unwrap();
        assert_eq!((w.start, w.end), (d("2009-10-09"), d("2009-10-12")));
        // 5 Oct 2008 (Sunday, last day of the holiday) moves to Mon 6.
        let w = next_window(&rules, RunKind::SpecialOutpatient, d("2008-09-10")).unwrap();
        assert_eq!(w.start, d("2008-10-06"));
        // Sat 7 Feb 2026 moves to Mon 9; approved on the 9th, the next is Sat 7 Mar → Mon 9 Mar.
        let w = next_window(&rules, RunKind::Others, d("2026-02-06")).unwrap();
        assert_eq!((w.start, w.end), (d("2026-02-09"), d("2026-02-12")));
        let w = next_window(&rules, RunKind::Others, d("2026-02-09")).unwrap();
        assert_eq!(w.start, d("2026-03-09"));
        // 2010-02-07 is a Sunday: Mon 8.
        let w = next_window(&rules, RunKind::Others, d("2010-01-31")).unwrap();
        assert_eq!(w.start, d("2010-02-08"));
    }

    #[test]
    fn december_approvals_need_next_years_calendar() {
        let rules = Rules::builtin();
        let w = next_window(&rules, RunKind::Others, d("2009-12-20")).unwrap();
        assert_eq!(w.start, d("2010-01-07"));
        assert_eq!(
            next_window(&rules, RunKind::Others, d("2010-12-20")),
            Err(RulesError::UnknownYear(2011))
        );
        assert_eq!(
            RunKind::for_claim(ClaimKind::StudentAccident),
            RunKind::Others
        );
        assert_eq!(
            RunKind::for_claim(ClaimKind::SpecialOutpatient),
            RunKind::SpecialOutpatient
        );
    }
}
