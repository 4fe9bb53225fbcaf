//! The 1 May sweep (E8(三)): every resident who paid for the year before and
//! has not paid for this year by the sweep day is interrupted (中断缴费), and
//! benefits stop from that day.
//!
//! The interruption rows are a record of what the sweep found, for lists and
//! statistics; a resident's status on any date still comes from the policy
//! engine over the payments (`payments::status`), and the two agree because
//! both read "paid for Z before the sweep day of Z".
//!
//! One statement does the work, so a million residents take seconds, and
//! running the sweep again inserts nothing it has already inserted. How it
//! skips those is per engine: PostgreSQL planned a NOT EXISTS over the
//! interruptions as a nested loop over a table its statistics called empty. The
//! audit trail gets one entry per run that changed something, naming the
//! year and how many were interrupted; the rows themselves say who.

use chrono::{Datelike, NaiveDate};
use policy::contribution::interruption_date;
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, By, Change};
use crate::{now_ms, Backend, Db, Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepReport {
    pub policy_year: i32,
    pub sweep_date: NaiveDate,
    /// Interrupted by this run.
    pub newly_interrupted: u64,
    /// Interrupted for the year, by every run so far.
    pub interrupted: i64,
}

/// Runs the sweep of the year of `as_of`, if its sweep day has come.
pub async fn run(
    db: &Db,
    rules: &Rules,
    as_of: NaiveDate,
    by: By<'_>,
) -> Result<Option<SweepReport>> {
    let year = as_of.year();
    let sweep_date = interruption_date(rules, year).map_err(Error::from)?;
    if as_of < sweep_date {
        return Ok(None);
    }
    let day = sweep_date.to_string();
    let mut tx = db.begin_write().await?;
    let created = sqlx::query(
        "INSERT INTO sweeps (policy_year, sweep_date, first_run_at) VALUES ($1, $2, $3) ON CONFLICT (policy_year) DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(&day)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let sweep_id: i64 = sqlx::query_scalar("SELECT id FROM sweeps WHERE policy_year = $1")
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?;
    let newly = sqlx::query(&format!(
        "INSERT INTO interruptions (person_id, policy_year, interrupted_from, sweep_id)
         SELECT y.person_id, $1, $2, $3 FROM payments y
         WHERE y.policy_year = $4 AND y.kind = 'premium'
           AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.person_id = y.person_id AND q.policy_year = $5
                           AND q.kind = 'premium' AND q.paid_on < $6) {}",
        // Each engine's fastest way to skip those already interrupted
        // (measured at a million residents: SQLite 2-3 s this way, 91 s with
        // ON CONFLICT; PostgreSQL 5 s with ON CONFLICT, 118 s this way).
        match db.backend {
            Backend::Sqlite => "AND NOT EXISTS (SELECT 1 FROM interruptions i WHERE i.person_id = y.person_id AND i.policy_year = $1)",
            Backend::Postgres => "ON CONFLICT (person_id, policy_year) DO NOTHING",
        }
    ))
    .bind(i64::from(year))
    .bind(&day)
    .bind(sweep_id)
    .bind(i64::from(year - 1))
    .bind(i64::from(year))
    .bind(&day)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let interrupted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM interruptions WHERE policy_year = $1")
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
    if created == 1 || newly > 0 {
        audit::record(
            &mut tx,
            by,
            Change {
                action: "sweep.run",
                entity: "sweep",
                entity_id: year.to_string(),
                before: None,
                after: Some(json!({"sweep_date": day, "as_of": as_of.to_string(), "newly_interrupted": newly, "interrupted": interrupted})),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(SweepReport {
        policy_year: year,
        sweep_date,
        newly_interrupted: newly,
        interrupted,
    }))
}

/// Whether the sweep of `year` interrupted this person.
pub async fn interrupted(db: &Db, person_id: i64, year: i32) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT person_id FROM interruptions WHERE person_id = $1 AND policy_year = $2",
    )
    .bind(person_id)
    .bind(i64::from(year))
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// Every sweep so far, newest year first: year, sweep day, residents interrupted.
pub async fn summary(db: &Db) -> Result<Vec<(i32, String, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT s.policy_year, s.sweep_date, COUNT(i.person_id) FROM sweeps s
         LEFT JOIN interruptions i ON i.sweep_id = s.id
         GROUP BY s.policy_year, s.sweep_date ORDER BY s.policy_year DESC",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(y, d, n)| (y as i32, d, n)).collect())
}

/// What the scheduled task runs each round: the sweep of every parameter
/// year whose sweep day has come and that was never swept, and the current
/// year's again (it writes only what it has not written yet).
pub async fn catch_up(db: &Db, rules: &Rules, today: NaiveDate) -> Result<Vec<SweepReport>> {
    let done: Vec<i64> = sqlx::query_scalar("SELECT policy_year FROM sweeps")
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::new();
    for &year in rules.years.keys() {
        let current = year == today.year();
        if year > today.year() || (!current && done.contains(&i64::from(year))) {
            continue;
        }
        let as_of = if current {
            today
        } else {
            interruption_date(rules, year).map_err(Error::from)?
        };
        if let Some(r) = run(db, rules, as_of, By::System("sweep")).await? {
            out.push(r);
        }
    }
    Ok(out)
}
