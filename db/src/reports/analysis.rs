//! The quarterly analysis (T11): per county, quarter by quarter, persons
//! enrolled and the fund's income and spending, so that trends and the
//! structure between them can be read. A quarter a county has submitted
//! a quarterly report for is taken from that report (the figures it
//! stands by); the others from its ledgers.

use chrono::NaiveDate;
use policy::reports::{Frequency, Period};

use super::{figures_by_county, standing};
use crate::{Actor, Db, Error, Result};

/// One quarter of one county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub quarter: Period,
    /// From a submitted quarterly report (else its ledgers).
    pub submitted: bool,
    pub enrolled: i64,
    pub income_fen: i64,
    pub spending_fen: i64,
}

/// One county's quarters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    pub county_code: String,
    pub name: String,
    pub points: Vec<Point>,
}

type Figures = Vec<(String, i64)>;

fn get(figures: &[(String, i64)], key: &str) -> i64 {
    figures
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, v)| *v)
}

/// The quarters of `year` begun by `today`, for each county the actor sees
/// (a county agency its own, the league every county).
pub async fn quarterly(db: &Db, actor: &Actor, year: i32, today: NaiveDate) -> Result<Vec<Trend>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let quarters: Vec<Period> = (1..=4)
        .filter_map(|q| Period::new(Frequency::Quarterly, year, q).ok())
        .filter(|q| q.first_day() <= today)
        .collect();
    let mut trends: Vec<Trend> = Vec::new();
    for quarter in quarters {
        let ledgers = figures_by_county(
            db,
            actor.county_code.as_deref(),
            quarter.first_day(),
            quarter.last_day(),
        )
        .await?;
        // The league's view of who submitted; a county sees its own versions.
        let submitted: Vec<(String, String, Option<Figures>)> = match &actor.county_code {
            None => standing(db, actor, quarter)
                .await?
                .into_iter()
                .map(|s| (s.county_code, s.name, s.submitted.map(|r| r.figures)))
                .collect(),
            Some(c) => {
                let name = crate::orgs::county_agency(db, c).await?.map(|o| o.name_zh);
                let own = super::newest_submitted(db, actor, c, quarter).await?;
                vec![(
                    c.clone(),
                    name.unwrap_or_else(|| c.clone()),
                    own.map(|r| r.figures),
                )]
            }
        };
        for (code, name, report) in submitted {
            let (figures, from_report) = match report {
                Some(f) => (f, true),
                None => (ledgers.get(&code).cloned().unwrap_or_default(), false),
            };
            let point = Point {
                quarter,
                submitted: from_report,
                enrolled: get(&figures, "enrolled"),
                income_fen: get(&figures, "fund_income_fen"),
                spending_fen: get(&figures, "fund_spending_fen"),
            };
            match trends.iter_mut().find(|t| t.county_code == code) {
                Some(t) => t.points.push(point),
                None => trends.push(Trend {
                    county_code: code,
                    name,
                    points: vec![point],
                }),
            }
        }
    }
    Ok(trends)
}
