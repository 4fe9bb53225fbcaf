//! What each level of government owes for the persons enrolled and paid in
//! a period (E6, E7, F7): per county and tier, the count of persons and the
//! central, regional (自治区), league (盟) and county (旗县市) shares, as the
//! agency sends them to each finance bureau. The shares are those fixed on
//! each enrolment when it was quoted, so a later change of parameters does
//! not rewrite what was owed.
//!
//! A premium counts in the period of the day it was paid (`paid_on`);
//! refunded premiums and overpayments owe nothing.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Actor, Db, Error, Result};

/// One county and tier of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwedLine {
    pub county_code: String,
    pub tier: String,
    pub persons: i64,
    pub central_fen: i64,
    pub region_fen: i64,
    pub league_fen: i64,
    pub county_fen: i64,
}

impl OwedLine {
    pub fn total_fen(&self) -> i64 {
        self.central_fen + self.region_fen + self.league_fen + self.county_fen
    }
}

/// The lines of the days `from` to `to` (both included), county by county
/// and tier by tier, within the agency's scope (a county agency its county,
/// the league every county).
pub async fn owed(db: &Db, actor: &Actor, from: NaiveDate, to: NaiveDate) -> Result<Vec<OwedLine>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone().unwrap_or_default();
    type Row = (String, String, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.county_code, e.tier, COUNT(*),
                CAST(SUM(e.subsidy_central_fen) AS BIGINT), CAST(SUM(e.subsidy_region_fen) AS BIGINT),
                CAST(SUM(e.subsidy_league_fen) AS BIGINT), CAST(SUM(e.subsidy_county_fen) AS BIGINT)
         FROM payments y
         JOIN payment_notices n ON n.id = y.notice_id
         JOIN enrolments e ON e.id = n.enrolment_id
         JOIN persons p ON p.id = y.person_id
         WHERE y.kind = 'premium' AND y.refunded_at IS NULL
           AND y.paid_on >= $1 AND y.paid_on <= $2
           AND ($3 = '' OR p.county_code = $3)
         GROUP BY p.county_code, e.tier
         ORDER BY p.county_code, e.tier",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(county_code, tier, persons, central_fen, region_fen, league_fen, county_fen)| {
                OwedLine {
                    county_code,
                    tier,
                    persons,
                    central_fen,
                    region_fen,
                    league_fen,
                    county_fen,
                }
            },
        )
        .collect())
}

/// The lines as CSV for the finance bureaus (UTF-8 with its mark, so a
/// spreadsheet opens the Chinese right), amounts in yuan with two decimals.
pub fn csv(lines: &[OwedLine]) -> String {
    let yuan = |fen: i64| policy::money::Money::from_fen(fen).to_string();
    let mut out =
        String::from("\u{feff}county_code,tier,persons,central,region,league,county,total\r\n");
    for l in lines {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            l.county_code,
            l.tier,
            l.persons,
            yuan(l.central_fen),
            yuan(l.region_fen),
            yuan(l.league_fen),
            yuan(l.county_fen),
            yuan(l.total_fen())
        ));
    }
    out
}
