//! Fraud (M29, F26): suspension of benefits and interest on what was taken.
//!
//! - False documents found at review: the whole claim is refused and benefits
//!   are suspended for 12 months from the day it was found.
//! - Fraud found after payment and refunded in full within 2 months of its
//!   confirmation: suspended for 3 to 6 months (the agency chooses), from the
//!   day of confirmation.
//! - Not refunded in time: suspended from confirmation until repaid, with
//!   simple interest at the bank deposit rate from the day of the fraud.
//!
//! A suspension runs from `from` (included) to `until` (excluded: benefits
//! resume that day). Interest counts actual days over a 360-day year, the
//! convention of the People's Bank of China for deposit interest
//! (日利率 = 年利率 ÷ 360), rounded half-up once.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::explain::Explanation;
use crate::money::{round_half_up, Money};
use crate::params::{Rules, RulesError};

const INTEREST_DAYS_PER_YEAR: i64 = 360;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "case", rename_all = "snake_case")]
pub enum FraudCase {
    /// M29(一): false documents found when the claim was reviewed.
    FoundAtReview { found_on: NaiveDate },
    /// M29(二): found after payment, refunded in full within the term.
    Refunded {
        confirmed_on: NaiveDate,
        refunded_on: NaiveDate,
        /// Chosen by the agency within the parameters (3–6).
        months: u32,
    },
    /// M29(三): found after payment and not refunded in time.
    NotRefunded { confirmed_on: NaiveDate },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub from: NaiveDate,
    /// The first day benefits resume; None while the money is not repaid.
    pub until: Option<NaiveDate>,
    /// Whether the claim under review is refused in full (genuine part too).
    pub whole_claim_refused: bool,
    pub explanation: Explanation,
}

impl Suspension {
    pub fn is_suspended_on(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|until| date < until)
    }
}

fn add_months(date: NaiveDate, months: u32) -> Result<NaiveDate, RulesError> {
    date.checked_add_months(Months::new(months))
        .ok_or(RulesError::DateOutOfRange)
}

/// The last day a refund counts as "within two months" of the confirmation.
pub fn refund_deadline(rules: &Rules, confirmed_on: NaiveDate) -> Result<NaiveDate, RulesError> {
    add_months(
        confirmed_on,
        rules.year(confirmed_on.year())?.fraud.refund_within_months,
    )
}

/// The suspension for a fraud case, by the parameters of the year it was
/// found or confirmed.
pub fn suspension(rules: &Rules, case: FraudCase) -> Result<Suspension, RulesError> {
    let mut ex = Explanation::new();
    match case {
        FraudCase::FoundAtReview { found_on } => {
            let months = rules.year(found_on.year())?.fraud.review_suspension_months;
            let until = add_months(found_on, months)?;
            ex.push(
                "M29",
                format!("报销审核时发现资料弄虚作假,拒付本次所有医疗费用(包括实际发生的费用),自{found_on}起停止医保待遇{months}个月,至{until}恢复。"),
                format!("False documents found at review: the whole claim is refused, genuine costs included; benefits suspended for {months} months from {found_on}, resuming {until}."),
            );
            Ok(Suspension {
                from: found_on,
                until: Some(until),
                whole_claim_refused: true,
                explanation: ex,
            })
        }
        FraudCase::Refunded {
            confirmed_on,
            refunded_on,
            months,
        } => {
            let f = &rules.year(confirmed_on.year())?.fraud;
            let deadline = refund_deadline(rules, confirmed_on)?;
            if refunded_on < confirmed_on || refunded_on > deadline {
                return Err(RulesError::InvalidInput(format!(
                    "a refund on {refunded_on} is not within {} months of {confirmed_on} (by {deadline}): the case is not refunded in time",
                    f.refund_within_months
                )));
            }
            let (min, max) = (
                f.refunded_suspension_min_months,
                f.refunded_suspension_max_months,
            );
            if !(min..=max).contains(&months) {
                return Err(RulesError::InvalidInput(format!(
                    "the suspension after a refund is {min} to {max} months, not {months}"
                )));
            }
            let until = add_months(confirmed_on, months)?;
            ex.push(
                "M29",
                format!("已骗取医保基金,于{refunded_on}(确认后{}个月内)足额退还,视情节停止医保待遇{months}个月({min}—{max}个月),自{confirmed_on}至{until}。", f.refund_within_months),
                format!("Fraud after payment, refunded in full on {refunded_on} (within {} months of confirmation): benefits suspended for {months} months (range {min}–{max}), {confirmed_on} to {until}.", f.refund_within_months),
            );
            Ok(Suspension {
                from: confirmed_on,
                until: Some(until),
                whole_claim_refused: false,
                explanation: ex,
            })
        }
        FraudCase::NotRefunded { confirmed_on } => {
            let f = &rules.year(confirmed_on.year())?.fraud;
            ex.push(
                "M29",
                format!("骗取医保基金后未在{}个月内足额退还,自{confirmed_on}起停止医保待遇,足额退还并按当期银行存款利率自骗保之日起计息后方可恢复。", f.refund_within_months),
                format!("Not refunded within {} months: benefits suspended from {confirmed_on} until the money is repaid, with interest at the bank deposit rate from the day of the fraud.", f.refund_within_months),
            );
            Ok(Suspension {
                from: confirmed_on,
                until: None,
                whole_claim_refused: false,
                explanation: ex,
            })
        }
    }
}

/// Simple interest on `principal` at `annual_rate` (0.0225 = 2.25 %) from
/// `from` to `to`, actual days over 360, rounded half-up once. Zero when `to`
/// is not after `from` or the rate is not positive.
pub fn interest(principal: Money, annual_rate: Decimal, from: NaiveDate, to: NaiveDate) -> Money {
    let days = (to - from).num_days();
    if days <= 0 || annual_rate <= Decimal::ZERO || principal.is_negative() {
        return Money::zero();
    }
    let value = principal
        .to_decimal()
        .checked_mul(annual_rate)
        .and_then(|v| v.checked_mul(Decimal::from(days)))
        .and_then(|v| v.checked_div(Decimal::from(INTEREST_DAYS_PER_YEAR)));
    value.map_or(Money::from_fen(i64::MAX), round_half_up)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twelve_months_at_review() {
        let rules = Rules::builtin();
        let s = suspension(
            &rules,
            FraudCase::FoundAtReview {
                found_on: d("2009-03-31"),
            },
        )
        .unwrap();
        assert_eq!(s.until, Some(d("2010-03-31")));
        assert!(s.whole_claim_refused);
        assert!(s.is_suspended_on(d("2009-03-31")));
        assert!(s.is_suspended_on(d("2010-03-30")));
        assert!(!s.is_suspended_on(d("2010-03-31")));
        assert!(!s.is_suspended_on(d("2009-03-30")));
    }

    #[test]
    fn refunded_within_two_months() {
        let rules = Rules::builtin();
        let case = |refunded: &str, months| FraudCase::Refunded {
            confirmed_on: d("2009-12-31"),
            refunded_on: d(refunded),
            months,
        };
        assert_eq!(
            refund_deadline(&rules, d("2009-12-31")).unwrap(),
            d("2010-02-28")
        );
        let s = suspension(&rules, case("2010-02-28", 3)).unwrap();
        assert_eq!(s.until, Some(d("2010-03-31")));
        assert_eq!(
            suspension(&rules, case("2010-02-28", 6)).unwrap().until,
            Some(d("2010-06-30"))
        );
        assert!(suspension(&rules, case("2010-03-01", 3)).is_err());
        assert!(suspension(&rules, case("2010-01-10", 2)).is_err());
        assert!(suspension(&rules, case("2010-01-10", 7)).is_err());
        assert!(suspension(&rules, case("2009-12-30", 3)).is_err());
    }

    #[test]
    fn not_refunded_is_open_ended() {
        let rules = Rules::builtin();
        let s = suspension(
            &rules,
            FraudCase::NotRefunded {
                confirmed_on: d("2009-05-01"),
            },
        )
        .unwrap();
        assert_eq!(s.until, None);
        assert!(s.is_suspended_on(d("2030-01-01")));
    }

    #[test]
    fn interest_is_simple_over_360_days_rounded_once() {
        // 10,000 × 2.25 % × 360 / 360 = 225.00
        assert_eq!(
            interest(
                Money::from_yuan(10_000),
                dec!(0.0225),
                d("2009-01-01"),
                d("2009-12-27")
            )
            .to_string(),
            "225.00"
        );
        // 1,000 × 2.25 % × 1 / 360 = 0.0625 → 0.06
        assert_eq!(
            interest(
                Money::from_yuan(1_000),
                dec!(0.0225),
                d("2009-01-01"),
                d("2009-01-02")
            )
            .to_string(),
            "0.06"
        );
        // 1,000 × 2.25 % × 2 / 360 = 0.125 → 0.13 (half up)
        assert_eq!(
            interest(
                Money::from_yuan(1_000),
                dec!(0.0225),
                d("2009-01-01"),
                d("2009-01-03")
            )
            .to_string(),
            "0.13"
        );
        assert_eq!(
            interest(
                Money::from_yuan(1_000),
                dec!(0.0225),
                d("2009-01-03"),
                d("2009-01-01")
            ),
            Money::zero()
        );
        assert_eq!(
            interest(
                Money::from_yuan(1_000),
                dec!(-0.01),
                d("2009-01-01"),
                d("2009-02-01")
            ),
            Money::zero()
        );
    }
}
