//! Contributions: due dates, lapse, back-payment and continuous years (E8, M28, E20).
//!
//! Readings implemented here:
//! - A resident is a *new enrollee* in the first year of the current run of
//!   enrolment (`first_enrolled_year`), in the *second year* the year after,
//!   and *continuing* from then on. The due date of year Z comes from Z's
//!   parameters, even when it falls in Z−1 (30 November).
//! - A continuing resident who misses 30 November may still pay year Z until
//!   30 April Z as an on-time payer (`Grace`); cover continues from 1 January
//!   until then, provided the year before was paid.
//! - On the sweep day (1 May Z), a resident enrolled for Z−1 without a
//!   payment for Z is interrupted; a later payment for Z is a back-payment:
//!   it keeps the years continuous, but cover only starts on the day of
//!   payment, so the interrupted days are never covered.
//! - Cover starts on the day of payment (M28), never earlier, and never
//!   before 1 January of the year paid for. Dates carry no time of day: a
//!   caller with the payment's time should refuse care earlier that same day.
//! - Payments dated after `as_of` have not happened yet and are ignored.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::explain::{Explanation, Trace};
use crate::params::{Rules, RulesError};

/// One paid policy year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaidYear {
    pub year: i32,
    pub paid_at: NaiveDate,
}

/// Where a year stands in a resident's run of enrolment (E8(一), E8(二)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayerKind {
    NewEnrollee,
    SecondYear,
    Continuing,
}

pub fn payer_kind(first_enrolled_year: i32, year: i32) -> Result<PayerKind, RulesError> {
    match year.checked_sub(first_enrolled_year) {
        Some(0) => Ok(PayerKind::NewEnrollee),
        Some(1) => Ok(PayerKind::SecondYear),
        Some(n) if n > 1 => Ok(PayerKind::Continuing),
        _ => Err(RulesError::InvalidInput(format!(
            "year {year} is before the first enrolled year {first_enrolled_year}"
        ))),
    }
}

/// The first year of the run of enrolment that `year` belongs to, from the
/// years paid so far: the start of the run of consecutive paid years that
/// ends with `year − 1`, or `year` itself when `year − 1` is unpaid. An
/// interrupted resident who never back-paid therefore re-enrols as a new
/// enrollee (E8), and a back-paid year joins the run again.
pub fn first_enrolled_year(paid_years: &[i32], year: i32) -> i32 {
    let mut first = year;
    while let Some(prev) = first.checked_sub(1) {
        if !paid_years.contains(&prev) {
            break;
        }
        first = prev;
    }
    first
}

/// The last day to pay year `year` on time, by the parameters of `year`.
pub fn due_date(
    rules: &Rules,
    first_enrolled_year: i32,
    year: i32,
) -> Result<NaiveDate, RulesError> {
    due_date_by(&rules.year(year)?.contribution, first_enrolled_year, year)
}

fn due_date_by(
    c: &crate::params::ContributionParams,
    first_enrolled_year: i32,
    year: i32,
) -> Result<NaiveDate, RulesError> {
    match payer_kind(first_enrolled_year, year)? {
        PayerKind::NewEnrollee => c.new_enrollee_due.in_year(year),
        PayerKind::SecondYear => c.second_year_due.in_year(year),
        PayerKind::Continuing => {
            let due_year = year
                .checked_add(c.continuing_due_year_offset)
                .ok_or(RulesError::DateOutOfRange)?;
            c.continuing_due.in_year(due_year)
        }
    }
}

/// The sweep day of `year` (1 May): from it, residents enrolled the year
/// before without a payment for `year` are interrupted (E8(三)).
pub fn interruption_date(rules: &Rules, year: i32) -> Result<NaiveDate, RulesError> {
    rules.year(year)?.contribution.interruption.in_year(year)
}

/// The 1 May sweep: true when the resident becomes interrupted.
pub fn interrupted_on_sweep(enrolled_prev_year: bool, paid_current_year: bool) -> bool {
    enrolled_prev_year && !paid_current_year
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentTiming {
    /// On or before the due date.
    OnTime,
    /// After 30 November but before the sweep: still on time (Reading).
    Grace,
    /// On or after the sweep day: a back-payment (补缴) of an interrupted year.
    BackPayment,
    /// A new enrollee after the registration deadline: too late for this
    /// year; the person enrols for the next year.
    LateEnrolment,
}

impl PaymentTiming {
    pub fn is_on_time(self) -> bool {
        matches!(self, PaymentTiming::OnTime | PaymentTiming::Grace)
    }
}

/// How a payment for `year` made on `paid_on` counts.
pub fn payment_timing(
    rules: &Rules,
    first_enrolled_year: i32,
    year: i32,
    paid_on: NaiveDate,
) -> Result<PaymentTiming, RulesError> {
    let kind = payer_kind(first_enrolled_year, year)?;
    let due = due_date(rules, first_enrolled_year, year)?;
    if paid_on <= due {
        return Ok(PaymentTiming::OnTime);
    }
    if kind == PayerKind::NewEnrollee {
        return Ok(PaymentTiming::LateEnrolment);
    }
    if paid_on < interruption_date(rules, year)? {
        Ok(PaymentTiming::Grace)
    } else {
        Ok(PaymentTiming::BackPayment)
    }
}

/// Whether a payment for `year` on `paid_on` is on time (not a back-payment
/// nor a late enrolment).
pub fn is_on_time(
    rules: &Rules,
    first_enrolled_year: i32,
    year: i32,
    paid_on: NaiveDate,
) -> Result<bool, RulesError> {
    payment_timing(rules, first_enrolled_year, year, paid_on).map(PaymentTiming::is_on_time)
}

/// The day cover bought by a payment starts (M28).
pub fn cover_starts(payment: PaidYear) -> NaiveDate {
    NaiveDate::from_ymd_opt(payment.year, 1, 1)
        .map_or(payment.paid_at, |jan1| payment.paid_at.max(jan1))
}

/// The earliest payment for `year` made on or before `as_of`.
fn paid_by(payments: &[PaidYear], year: i32, as_of: NaiveDate) -> Option<PaidYear> {
    payments
        .iter()
        .filter(|p| p.year == year && p.paid_at <= as_of)
        .min_by_key(|p| p.paid_at)
        .copied()
}

/// Length of the run of consecutive paid years ending with `last`, counting
/// payments made by `as_of`.
fn run_ending(payments: &[PaidYear], last: i32, as_of: NaiveDate) -> u32 {
    let mut count = 0;
    let mut year = last;
    while paid_by(payments, year, as_of).is_some() {
        count += 1;
        match year.checked_sub(1) {
            Some(y) => year = y,
            None => break,
        }
    }
    count
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusCode {
    /// Before the first payment (or before the first paid year begins).
    NotEnrolled,
    /// The year of `as_of` is paid and cover has started.
    Active,
    /// The year is unpaid, the year before is paid, and the sweep has not come.
    Grace,
    Interrupted,
}

impl StatusCode {
    pub fn code(self) -> &'static str {
        match self {
            StatusCode::NotEnrolled => "not_enrolled",
            StatusCode::Active => "active",
            StatusCode::Grace => "grace",
            StatusCode::Interrupted => "interrupted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub status: StatusCode,
    pub continuous_years: u32,
    pub explanation: Explanation,
}

/// The contribution status of a resident on `as_of`.
///
/// `first_enrolled_year` is the first year of the current run of enrolment;
/// it decides the due dates shown in the explanation, not the status, which
/// follows from the payments alone.
pub fn payment_status(
    rules: &Rules,
    first_enrolled_year: i32,
    payments: &[PaidYear],
    as_of: NaiveDate,
) -> Result<Status, RulesError> {
    payment_status_with(rules, first_enrolled_year, payments, as_of, true)
}

/// [`payment_status`], leaving the explanation empty when `explain` is false.
pub fn payment_status_with(
    rules: &Rules,
    first_enrolled_year: i32,
    payments: &[PaidYear],
    as_of: NaiveDate,
    explain: bool,
) -> Result<Status, RulesError> {
    let year = as_of.year();
    let sweep = interruption_date(rules, year)?;
    let prev = year.checked_sub(1).ok_or(RulesError::DateOutOfRange)?;
    let mut ex = Trace::new(explain);
    let status = |status, continuous_years, ex: Trace| Status {
        status,
        continuous_years,
        explanation: ex.finish(),
    };
    if let Some(paid) = paid_by(payments, year, as_of) {
        let run = run_ending(payments, year, as_of);
        step!(
            ex,
            "M28",
            format!(
                "{year}年度医疗保险费已于{}缴纳,自缴费当日起享受待遇。",
                paid.paid_at
            ),
            format!(
                "The {year} premium was paid on {}; cover runs from the day of payment.",
                paid.paid_at
            ),
        );
        push_continuity(&mut ex, run, year);
        return Ok(status(StatusCode::Active, run, ex));
    }
    let started = payments
        .iter()
        .any(|p| p.paid_at <= as_of && p.year <= year);
    if !started {
        if ex.is_on() {
            match due_date(rules, first_enrolled_year, first_enrolled_year.max(year)) {
                Ok(due) if first_enrolled_year >= year => ex.push(
                    "E8",
                    format!("尚未缴费参保;新参保居民须于{due}前办理参保手续并缴费,缴费后方可享受待遇。"),
                    format!("Not enrolled yet: a new enrollee registers and pays by {due}; cover starts at payment."),
                ),
                _ => ex.push(
                    "E20",
                    "尚无缴费记录,参保状态无效,不能办理住转院手续。",
                    "No payment on record: not enrolled, cannot be admitted or transferred on insurance.",
                ),
            }
        }
        return Ok(status(StatusCode::NotEnrolled, 0, ex));
    }
    if paid_by(payments, prev, as_of).is_some() && as_of < sweep {
        let run = run_ending(payments, prev, as_of);
        if ex.is_on() {
            let due = due_date(rules, first_enrolled_year, year).ok();
            let due_zh = due.map(|d| format!("缴费期限为{d},")).unwrap_or_default();
            let due_en = due
                .map(|d| format!("was due by {d} and "))
                .unwrap_or_default();
            ex.push(
                "E8",
                format!("{year}年度尚未缴费,{due_zh}{sweep}前缴纳仍按正常缴费;{prev}年度已缴费,待遇继续。"),
                format!("The {year} premium {due_en}may still be paid on time before {sweep}; {prev} is paid, so cover continues."),
            );
        }
        push_continuity(&mut ex, run, prev);
        return Ok(status(StatusCode::Grace, run, ex));
    }
    step!(
        ex,
        "E8",
        format!("{year}年度未在规定时间内缴费,视为中断缴费,自{sweep}起停止享受待遇;可补缴中断期间的医疗保险费,补缴后缴费年限连续计算,但中断期间的医疗费用基金不予支付。"),
        format!("No payment for {year} in time: interrupted, no benefits from {sweep}. Back-paying the missed years keeps them continuous, but care while interrupted is never paid."),
    );
    Ok(status(StatusCode::Interrupted, 0, ex))
}

fn push_continuity(ex: &mut Trace, run: u32, last: i32) {
    step!(
        ex,
        "B4",
        format!("截至{last}年度连续缴费{run}年。"),
        format!("{run} continuous paid year(s) up to {last}."),
    );
}

/// Continuous years (连续缴费年限) on `as_of`: the run of paid years ending with
/// the year of `as_of`, or, in grace, with the year before; 0 when interrupted.
pub fn continuous_years(
    rules: &Rules,
    payments: &[PaidYear],
    as_of: NaiveDate,
) -> Result<u32, RulesError> {
    let year = as_of.year();
    if paid_by(payments, year, as_of).is_some() {
        return Ok(run_ending(payments, year, as_of));
    }
    let prev = year.checked_sub(1).ok_or(RulesError::DateOutOfRange)?;
    if as_of < interruption_date(rules, year)? {
        Ok(run_ending(payments, prev, as_of))
    } else {
        Ok(0)
    }
}

/// What a resident's home says beside the status of today: a year paid
/// ahead (the premium of next year, paid in December: the status of today
/// still reads "not enrolled", as this year is not paid, yet the resident
/// has done what was asked), when its cover starts, and the next due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outlook {
    /// The latest year after the year of `as_of` paid by `as_of`.
    pub paid_ahead: Option<PaidYear>,
    /// The day the cover of `paid_ahead` starts (M28): 1 January of its year.
    pub cover_from: Option<NaiveDate>,
    /// The first year from the year of `as_of` on (after `paid_ahead`, if
    /// any) that is unpaid, and its
    /// due date (by that year's parameters, or the newest known ones carried
    /// forward when the year is not published yet). None when that date is
    /// past: the status says what follows (grace, interrupted).
    pub next_due: Option<(i32, NaiveDate)>,
    /// Continuous years counting the years paid ahead.
    pub continuous_years: u32,
}

/// The [`Outlook`] of a resident on `as_of`.
pub fn outlook(rules: &Rules, payments: &[PaidYear], as_of: NaiveDate) -> Outlook {
    let year = as_of.year();
    let paid_ahead = payments
        .iter()
        .filter(|p| p.year > year && p.paid_at <= as_of)
        .max_by_key(|p| (p.year, std::cmp::Reverse(p.paid_at)))
        .copied();
    // After a year paid ahead, the years before it are behind the resident.
    let mut next = paid_ahead.map_or(year, |p| p.year.saturating_add(1));
    while paid_by(payments, next, as_of).is_some() {
        next += 1;
    }
    let paid: Vec<i32> = payments
        .iter()
        .filter(|p| p.paid_at <= as_of)
        .map(|p| p.year)
        .collect();
    let first = first_enrolled_year(&paid, next);
    let due = match rules.year(next) {
        Ok(params) => due_date_by(&params.contribution, first, next).ok(),
        Err(_) => rules
            .latest()
            .and_then(|p| due_date_by(&p.contribution, first, next).ok()),
    };
    let continuous_years = match paid_ahead {
        Some(p) => run_ending(payments, p.year, as_of),
        None => continuous_years(rules, payments, as_of).unwrap_or(0),
    };
    Outlook {
        paid_ahead,
        cover_from: paid_ahead.map(cover_starts),
        next_due: due.filter(|d| *d >= as_of).map(|d| (next, d)),
        continuous_years,
    }
}

/// Whether care on `date` is covered, given the payments made so far.
///
/// Covered when the year of `date` was paid on or before `date`, or during
/// the grace of that year (before the sweep) when the year before was paid
/// on or before `date`.
pub fn is_covered_on(
    rules: &Rules,
    payments: &[PaidYear],
    date: NaiveDate,
) -> Result<bool, RulesError> {
    let year = date.year();
    if paid_by(payments, year, date).is_some_and(|p| cover_starts(p) <= date) {
        return Ok(true);
    }
    let prev = year.checked_sub(1).ok_or(RulesError::DateOutOfRange)?;
    Ok(paid_by(payments, prev, date).is_some() && date < interruption_date(rules, year)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_enrolled_year_follows_the_run_of_paid_years() {
        assert_eq!(first_enrolled_year(&[], 2026), 2026);
        assert_eq!(first_enrolled_year(&[2025], 2026), 2025);
        assert_eq!(first_enrolled_year(&[2023, 2024, 2025], 2026), 2023);
        // A gap (no back-payment) restarts the run: a new enrollee again.
        assert_eq!(first_enrolled_year(&[2022, 2023, 2025], 2026), 2025);
        assert_eq!(first_enrolled_year(&[2022, 2023], 2026), 2026);
        // The year itself does not count towards its own run.
        assert_eq!(first_enrolled_year(&[2026], 2026), 2026);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn paid(year: i32, at: &str) -> PaidYear {
        PaidYear {
            year,
            paid_at: d(at),
        }
    }

    #[test]
    fn a_year_paid_ahead_is_seen_before_it_starts() {
        let rules = Rules::builtin();
        // A new enrollee pays 2010 in December 2009: today is not covered,
        // yet 2010 is paid, its cover starts on 1 January, and the next
        // due date is 2011's (carried forward: 2011 is not published).
        let payments = [paid(2010, "2009-12-01")];
        let status = payment_status(&rules, 2010, &payments, d("2009-12-01")).unwrap();
        assert_eq!(status.status, StatusCode::NotEnrolled);
        let o = outlook(&rules, &payments, d("2009-12-01"));
        assert_eq!(o.paid_ahead, Some(payments[0]));
        assert_eq!(o.cover_from, Some(d("2010-01-01")));
        assert_eq!(o.continuous_years, 1);
        assert_eq!(o.next_due, Some((2011, d("2011-04-30"))));
        // Nothing paid ahead: the year of today is the next due.
        let o = outlook(&rules, &[], d("2009-03-01"));
        assert_eq!(o.paid_ahead, None);
        assert_eq!(o.next_due, Some((2009, d("2009-04-30"))));
        // Before a payment is made it does not count.
        assert_eq!(outlook(&rules, &payments, d("2009-11-30")).paid_ahead, None);
    }

    #[test]
    fn due_dates_new_second_continuing_and_2008() {
        let rules = Rules::builtin();
        assert_eq!(due_date(&rules, 2009, 2009).unwrap(), d("2009-04-30"));
        assert_eq!(due_date(&rules, 2009, 2010).unwrap(), d("2010-04-30"));
        assert_eq!(due_date(&rules, 2008, 2010).unwrap(), d("2009-11-30"));
        assert_eq!(due_date(&rules, 2008, 2008).unwrap(), d("2008-11-30"));
        assert_eq!(due_date(&rules, 2008, 2009).unwrap(), d("2009-04-30"));
        assert!(matches!(
            due_date(&rules, 2010, 2009),
            Err(RulesError::InvalidInput(_))
        ));
        assert_eq!(
            due_date(&rules, 2009, 2011),
            Err(RulesError::UnknownYear(2011))
        );
        assert_eq!(interruption_date(&rules, 2010).unwrap(), d("2010-05-01"));
    }

    #[test]
    fn timing_30_april_1_may_30_november() {
        let rules = Rules::builtin();
        let t = |first, year, on| payment_timing(&rules, first, year, d(on)).unwrap();
        assert_eq!(t(2009, 2009, "2009-04-30"), PaymentTiming::OnTime);
        assert_eq!(t(2009, 2009, "2009-05-01"), PaymentTiming::LateEnrolment);
        assert_eq!(t(2008, 2008, "2008-11-30"), PaymentTiming::OnTime);
        assert_eq!(t(2008, 2008, "2008-12-01"), PaymentTiming::LateEnrolment);
        assert_eq!(t(2009, 2010, "2010-04-30"), PaymentTiming::OnTime);
        assert_eq!(t(2009, 2010, "2010-05-01"), PaymentTiming::BackPayment);
        assert_eq!(t(2008, 2010, "2009-11-30"), PaymentTiming::OnTime);
        assert_eq!(t(2008, 2010, "2009-12-01"), PaymentTiming::Grace);
        assert_eq!(t(2008, 2010, "2010-04-30"), PaymentTiming::Grace);
        assert_eq!(t(2008, 2010, "2010-05-01"), PaymentTiming::BackPayment);
        assert_eq!(t(2008, 2010, "2010-12-31"), PaymentTiming::BackPayment);
        assert!(is_on_time(&rules, 2008, 2010, d("2010-04-30")).unwrap());
        assert!(!is_on_time(&rules, 2008, 2010, d("2010-05-01")).unwrap());
    }

    #[test]
    fn sweep_predicate() {
        assert!(interrupted_on_sweep(true, false));
        assert!(!interrupted_on_sweep(true, true));
        assert!(!interrupted_on_sweep(false, false));
        assert!(!interrupted_on_sweep(false, true));
    }

    #[test]
    fn status_through_a_year() {
        let rules = Rules::builtin();
        let pays = [paid(2009, "2009-03-01")];
        let s = |on| payment_status(&rules, 2009, &pays, d(on)).unwrap();
        assert_eq!(s("2009-02-28").status, StatusCode::NotEnrolled);
        assert_eq!(s("2009-03-01").status, StatusCode::Active);
        assert_eq!(s("2009-12-31").status, StatusCode::Active);
        assert_eq!(
            (s("2010-01-01").status, s("2010-01-01").continuous_years),
            (StatusCode::Grace, 1)
        );
        assert_eq!(s("2010-04-30").status, StatusCode::Grace);
        assert_eq!(
            (s("2010-05-01").status, s("2010-05-01").continuous_years),
            (StatusCode::Interrupted, 0)
        );
        assert!(s("2010-05-01").explanation.cites("E8"));
    }

    #[test]
    fn advance_payment_is_not_cover_before_the_year() {
        let rules = Rules::builtin();
        let pays = [paid(2010, "2009-12-15")];
        let s = payment_status(&rules, 2010, &pays, d("2009-12-20")).unwrap();
        assert_eq!(s.status, StatusCode::NotEnrolled);
        assert!(!is_covered_on(&rules, &pays, d("2009-12-20")).unwrap());
        assert!(is_covered_on(&rules, &pays, d("2010-01-01")).unwrap());
        assert_eq!(
            payment_status(&rules, 2010, &pays, d("2010-01-01"))
                .unwrap()
                .status,
            StatusCode::Active
        );
    }

    #[test]
    fn back_payment_keeps_years_continuous_but_not_the_gap() {
        let rules = Rules::builtin();
        let pays = [
            paid(2008, "2008-10-01"),
            paid(2009, "2009-04-01"),
            paid(2010, "2010-06-15"),
        ];
        assert_eq!(continuous_years(&rules, &pays, d("2010-06-14")).unwrap(), 0);
        assert_eq!(
            payment_status(&rules, 2008, &pays, d("2010-06-14"))
                .unwrap()
                .status,
            StatusCode::Interrupted
        );
        assert_eq!(continuous_years(&rules, &pays, d("2010-06-15")).unwrap(), 3);
        let s = payment_status(&rules, 2008, &pays, d("2010-06-15")).unwrap();
        assert_eq!((s.status, s.continuous_years), (StatusCode::Active, 3));
        // Covered in the grace, not while interrupted, again from the back-payment.
        assert!(is_covered_on(&rules, &pays, d("2010-04-30")).unwrap());
        assert!(!is_covered_on(&rules, &pays, d("2010-05-01")).unwrap());
        assert!(!is_covered_on(&rules, &pays, d("2010-06-14")).unwrap());
        assert!(is_covered_on(&rules, &pays, d("2010-06-15")).unwrap());
        // 2008 cover started at payment.
        assert!(!is_covered_on(&rules, &pays, d("2008-09-30")).unwrap());
        assert!(is_covered_on(&rules, &pays, d("2008-10-01")).unwrap());
    }

    #[test]
    fn without_back_payment_the_count_restarts() {
        let rules = Rules::builtin();
        let pays = [paid(2008, "2008-10-01"), paid(2010, "2010-03-01")];
        let s = payment_status(&rules, 2010, &pays, d("2010-03-01")).unwrap();
        assert_eq!((s.status, s.continuous_years), (StatusCode::Active, 1));
        // Grace only follows a paid year before: Jan-Feb 2010 are not covered.
        assert!(!is_covered_on(&rules, &pays, d("2010-02-01")).unwrap());
        assert_eq!(
            payment_status(&rules, 2010, &pays, d("2010-02-01"))
                .unwrap()
                .status,
            StatusCode::Interrupted
        );
    }

    #[test]
    fn continuity_counts_three_years_for_the_bonus() {
        let rules = Rules::builtin();
        let pays = [
            paid(2008, "2008-10-01"),
            paid(2009, "2009-04-30"),
            paid(2010, "2009-11-30"),
        ];
        assert_eq!(continuous_years(&rules, &pays, d("2009-12-31")).unwrap(), 2);
        assert_eq!(continuous_years(&rules, &pays, d("2010-01-01")).unwrap(), 3);
        // Duplicated payment records for a year count once.
        let dup = [paid(2009, "2009-03-01"), paid(2009, "2009-04-01")];
        assert_eq!(continuous_years(&rules, &dup, d("2009-06-01")).unwrap(), 1);
    }
}
