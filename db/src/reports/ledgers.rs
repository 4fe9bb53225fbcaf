//! The figures of the counties' ledgers for the days of a period (T7, T8),
//! read for one county or for every county at once (the league's view and
//! the benchmark), each figure of `policy::reports::figures::keys()`.
//!
//! Stocks are counted for the policy year of the period: those enrolled as
//! the ledgers stand when the report is drafted (a report is drafted just
//! after its period and frozen when submitted), of them those unpaid at the
//! period's last day, and those interrupted by then; flows (premiums, claims,
//! money) over its days; the fund's year to date from 1 January of that
//! year. Money in fen. The fund's income is the premiums the persons paid
//! and the subsidies owed for them (E6, E7); its spending is the claims paid.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use policy::reports::figures::{self, LEVELS};

use crate::{local_midnight_ms, Db, Result};

/// County code → key → value.
type Ledger = BTreeMap<String, BTreeMap<String, i64>>;

fn add(ledger: &mut Ledger, county: &str, key: &str, value: i64) {
    *ledger
        .entry(county.to_string())
        .or_default()
        .entry(key.to_string())
        .or_default() += value;
}

/// The county filter of a query: the column against parameter `$n` when a
/// county is asked for, so that the county's rows are found by an index
/// (persons_county, claims_queue); else `$n = ''`, true (`$n` is bound to '').
fn in_county(county: Option<&str>, column: &str, n: u8) -> String {
    match county {
        Some(_) => format!("{column} = ${n}"),
        None => format!("${n} = ''"),
    }
}

/// The figures of `county` (or of every county with an agency or a record,
/// when `None`) for the days `from` to `to`, both included.
pub async fn figures_by_county(
    db: &Db,
    county: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, Vec<(String, i64)>>> {
    let only = county.unwrap_or_default();
    let year = i64::from(to.year());
    let end = local_midnight_ms(to + chrono::Duration::days(1));
    let start = local_midnight_ms(from);
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let year_start = NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(from);
    let mut ledger = Ledger::new();
    if let Some(c) = county {
        ledger.entry(c.to_string()).or_default();
    } else {
        for (c, _) in super::county_agencies(db).await? {
            ledger.entry(c).or_default();
        }
    }

    // Persons: approved enrolments of the policy year, by category and tier.
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        &format!(
            "SELECT p.county_code, e.category, e.tier, COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN e.approved_at >= $3 AND e.approved_at < $2 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND e.status = 'approved'
           AND {}
         GROUP BY p.county_code, e.category, e.tier",
            in_county(county, "p.county_code", 4)
        ),
    )
    .bind(year)
    .bind(end)
    .bind(start)
    .bind(only)
    .fetch_all(&db.pool)
    .await?;
    for (c, category, tier, n, in_period) in rows {
        add(&mut ledger, &c, "enrolled", n);
        add(&mut ledger, &c, &format!("enrolled.{category}"), n);
        add(&mut ledger, &c, &format!("enrolled.{tier}"), n);
        add(&mut ledger, &c, "enrolments_approved", in_period);
    }
    // Those of them who had paid by the period's end; the rest are unpaid.
    let paid: Vec<(String, i64)> = sqlx::query_as(
        &format!(
            "SELECT p.county_code, COUNT(*) FROM payments y JOIN persons p ON p.id = y.person_id
         WHERE y.policy_year = $1 AND y.kind = 'premium' AND y.refunded_at IS NULL AND y.paid_on <= $2
           AND {}
         GROUP BY p.county_code",
            in_county(county, "p.county_code", 3)
        ),
    )
    .bind(year)
    .bind(&to_s)
    .bind(only)
    .fetch_all(&db.pool)
    .await?;
    for (c, n) in paid {
        add(&mut ledger, &c, "unpaid", -n);
    }
    let interrupted: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT p.county_code, COUNT(*) FROM interruptions i JOIN persons p ON p.id = i.person_id
         WHERE i.policy_year = $1 AND i.interrupted_from <= $2 AND {}
         GROUP BY p.county_code",
        in_county(county, "p.county_code", 3)
    ))
    .bind(year)
    .bind(&to_s)
    .bind(only)
    .fetch_all(&db.pool)
    .await?;
    for (c, n) in interrupted {
        add(&mut ledger, &c, "interrupted", n);
    }

    // Premiums paid in the period, with the subsidies owed for them; and
    // from 1 January for the fund's year to date.
    type PremiumRow = (
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    );
    let premiums_sql = format!(
            "SELECT p.county_code, e.tier, COUNT(*),
                CAST(COALESCE(SUM(y.amount_fen), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN y.channel = 'online' THEN y.amount_fen ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN y.channel <> 'online' THEN y.amount_fen ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(y.back_payment), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN y.back_payment = 1 THEN y.amount_fen ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.subsidy_central_fen), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.subsidy_region_fen), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.subsidy_league_fen), 0) AS BIGINT),
                CAST(COALESCE(SUM(e.subsidy_county_fen), 0) AS BIGINT)
         FROM payments y
         JOIN payment_notices n ON n.id = y.notice_id
         JOIN enrolments e ON e.id = n.enrolment_id
         JOIN persons p ON p.id = y.person_id
         WHERE y.kind = 'premium' AND y.refunded_at IS NULL
           AND y.paid_on >= $1 AND y.paid_on <= $2 AND {}
         GROUP BY p.county_code, e.tier",
            in_county(county, "p.county_code", 3)
        );
    let mut period_rows: Vec<PremiumRow> = Vec::new();
    for (ytd, since) in [(false, from_s.clone()), (true, year_start.to_string())] {
        // A period from 1 January: its year to date is the same rows.
        let rows: Vec<PremiumRow> = if ytd && since == from_s {
            std::mem::take(&mut period_rows)
        } else {
            sqlx::query_as(&premiums_sql)
                .bind(&since)
                .bind(&to_s)
                .bind(only)
                .fetch_all(&db.pool)
                .await?
        };
        if !ytd {
            period_rows.clone_from(&rows);
        }
        for (c, tier, n, fen, online, cash, back, back_fen, central, region, league, county) in rows
        {
            let subsidy = [central, region, league, county];
            let income = fen + subsidy.iter().sum::<i64>();
            if ytd {
                add(&mut ledger, &c, "fund_income_ytd_fen", income);
                add(&mut ledger, &c, "fund_balance_ytd_fen", income);
                continue;
            }
            add(&mut ledger, &c, "premiums", n);
            add(&mut ledger, &c, "premiums_fen", fen);
            add(&mut ledger, &c, "premiums_online_fen", online);
            add(&mut ledger, &c, "premiums_cash_fen", cash);
            add(&mut ledger, &c, "back_payments", back);
            add(&mut ledger, &c, "back_payments_fen", back_fen);
            add(&mut ledger, &c, "fund_income_fen", income);
            add(&mut ledger, &c, &format!("subsidy_persons.{tier}"), n);
            for (level, fen) in LEVELS.iter().zip(subsidy) {
                add(&mut ledger, &c, &format!("subsidy_{level}_fen"), fen);
                add(&mut ledger, &c, "subsidy_fen", fen);
            }
        }
    }

    // Claims filed in the period by kind; decided in it by outcome.
    let filed: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT county_code, kind, COUNT(*) FROM claims
         WHERE filed_at >= $1 AND filed_at < $2 AND {}
         GROUP BY county_code, kind",
        in_county(county, "county_code", 3)
    ))
    .bind(start)
    .bind(end)
    .bind(only)
    .fetch_all(&db.pool)
    .await?;
    for (c, kind, n) in filed {
        add(&mut ledger, &c, "claims_filed", n);
        add(&mut ledger, &c, &format!("claims_filed.{kind}"), n);
    }
    let decided: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        &format!(
            "SELECT county_code,
                CAST(COALESCE(SUM(CASE WHEN status IN ('approved', 'paid') THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status IN ('approved', 'paid') THEN payout_fen ELSE 0 END), 0) AS BIGINT)
         FROM claims WHERE decided_on >= $1 AND decided_on <= $2 AND {}
         GROUP BY county_code",
            in_county(county, "county_code", 3)
        ),
    )
    .bind(&from_s)
    .bind(&to_s)
    .bind(only)
    .fetch_all(&db.pool)
    .await?;
    for (c, approved, refused, payout) in decided {
        add(&mut ledger, &c, "claims_approved", approved);
        add(&mut ledger, &c, "claims_refused", refused);
        add(&mut ledger, &c, "payout_fen", payout);
    }
    // Claims paid: in the period, and from 1 January.
    for (ytd, since) in [(false, start), (true, local_midnight_ms(year_start))] {
        let paid: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT county_code, CAST(COALESCE(SUM(payout_fen), 0) AS BIGINT) FROM claims
             WHERE status = 'paid' AND paid_at >= $1 AND paid_at < $2 AND {}
             GROUP BY county_code",
            in_county(county, "county_code", 3)
        ))
        .bind(since)
        .bind(end)
        .bind(only)
        .fetch_all(&db.pool)
        .await?;
        for (c, fen) in paid {
            if ytd {
                add(&mut ledger, &c, "fund_spending_ytd_fen", fen);
                add(&mut ledger, &c, "fund_balance_ytd_fen", -fen);
            } else {
                add(&mut ledger, &c, "paid_out_fen", fen);
                add(&mut ledger, &c, "fund_spending_fen", fen);
            }
        }
    }

    let keys = figures::keys();
    Ok(ledger
        .into_iter()
        .map(|(c, mut values)| {
            // Unpaid: those enrolled less those who had paid.
            let enrolled = values.get("enrolled").copied().unwrap_or_default();
            let unpaid = values.entry("unpaid".into()).or_default();
            *unpaid = (enrolled + *unpaid).max(0);
            let row = keys
                .iter()
                .map(|k| (k.clone(), values.get(k).copied().unwrap_or_default()))
                .collect();
            (c, row)
        })
        .collect())
}

/// The figures of one county's ledgers for the days of a period.
pub async fn figures(
    db: &Db,
    county: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, i64)>> {
    Ok(figures_by_county(db, Some(county), from, to)
        .await?
        .remove(county)
        .unwrap_or_default())
}
