//! What a statistical report holds (T7, T8): its figures in the order the
//! report shows them, grouped in sections. A section is also the category
//! of access (T15): who may read which part of a report is set per section.
//! The league's consolidated report (T5) is the sum of the counties'
//! submitted figures.

use serde::{Deserialize, Serialize};

use crate::benefit::ClaimKind;
use crate::eligibility::{Category, Tier};

crate::coded! {
    /// A part of a report, and the category its access is set for (T15).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Section {
        /// Enrolment by category and tier, unpaid and interrupted persons.
        Persons = "persons",
        /// Premiums collected: online, cash, back-payments.
        Premiums = "premiums",
        /// Claims by kind and outcome, payouts.
        Claims = "claims",
        /// The fund's income and spending, the period and the year to date.
        Fund = "fund",
        /// What each level of government owes (E6, E7, F7).
        Subsidy = "subsidy",
    }
}

/// The levels of government that share a subsidy (E7), in the order the
/// report shows them: `subsidy_<level>_fen`.
pub const LEVELS: [&str; 4] = ["central", "region", "league", "county"];

impl Section {
    /// The section of a figure, by its key's first word.
    pub fn of(key: &str) -> Section {
        let head = key.split('.').next().unwrap_or(key);
        if head.starts_with("premiums") || head.starts_with("back_payments") {
            Section::Premiums
        } else if head.starts_with("claims") || head.starts_with("payout") || head == "paid_out_fen"
        {
            Section::Claims
        } else if head.starts_with("fund") {
            Section::Fund
        } else if head.starts_with("subsidy") {
            Section::Subsidy
        } else {
            Section::Persons
        }
    }
}

/// Every figure key, in the order a report shows them. A key is a name, or
/// a name and a code (`enrolled.student`, `claims_filed.transfer`); money
/// ends in `_fen`.
pub fn keys() -> Vec<String> {
    let mut keys: Vec<String> = vec!["enrolments_approved".into(), "enrolled".into()];
    keys.extend(
        Category::ALL
            .iter()
            .map(|c| format!("enrolled.{}", c.code())),
    );
    keys.extend(Tier::ALL.iter().map(|t| format!("enrolled.{}", t.code())));
    keys.extend(
        [
            "unpaid",
            "interrupted",
            "premiums",
            "premiums_fen",
            "premiums_online_fen",
            "premiums_cash_fen",
            "back_payments",
            "back_payments_fen",
            "claims_filed",
        ]
        .map(String::from),
    );
    keys.extend(
        ClaimKind::ALL
            .iter()
            .map(|k| format!("claims_filed.{}", k.code())),
    );
    keys.extend(
        [
            "claims_approved",
            "claims_refused",
            "payout_fen",
            "paid_out_fen",
            "fund_income_fen",
            "fund_spending_fen",
            "fund_income_ytd_fen",
            "fund_spending_ytd_fen",
            "fund_balance_ytd_fen",
        ]
        .map(String::from),
    );
    keys.extend(
        Tier::ALL
            .iter()
            .map(|t| format!("subsidy_persons.{}", t.code())),
    );
    keys.extend(LEVELS.iter().map(|l| format!("subsidy_{l}_fen")));
    keys.push("subsidy_fen".into());
    keys
}

/// The figures of several reports added up key by key, in the order of the
/// first (the league's report from its counties' submitted versions, T5). A
/// key only some reports have counts from those that have it.
pub fn consolidate<'a>(
    reports: impl IntoIterator<Item = &'a [(String, i64)]>,
) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for figures in reports {
        for (key, value) in figures {
            match out.iter_mut().find(|(k, _)| k == key) {
                Some((_, sum)) => *sum += value,
                None => out.push((key.clone(), *value)),
            }
        }
    }
    out
}
