//! The league's schedule of reports (T4–T6) and who was late (T5): which
//! frequencies it asks for in a year and how many days after each period
//! they fall due; each county's standing against those days; and for the
//! weekly return, each preparer's late, missed or corrected returns of a
//! month, with the person each county charged with it.
//!
//! What counts as late is `policy::reports::schedule`; this module keeps
//! the schedule and reads the submissions.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use policy::reports::schedule::{self as rules, Timeliness};
use policy::reports::{Frequency, Period};
use serde_json::json;

use super::county_agencies;
use crate::audit::{self, By, Change};
use crate::error::ReportRefusal;
use crate::publications::league_staff;
use crate::scope::{Actor, Role};
use crate::{local_date, now_ms, Db, Error, Result};

/// One report the league asks for in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub frequency: Frequency,
    pub due_days: u32,
}

fn league_admin(actor: &Actor) -> Result<()> {
    match (actor.role, &actor.county_code) {
        (Role::AgencyAdmin, None) => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

/// The reports asked for in `year`, by frequency (weekly first).
pub async fn of_year(db: &Db, year: i32) -> Result<Vec<Due>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT frequency, due_days FROM report_schedules WHERE year = $1")
            .bind(i64::from(year))
            .fetch_all(&db.pool)
            .await?;
    let mut out: Vec<Due> = rows
        .into_iter()
        .filter_map(|(f, d)| {
            Some(Due {
                frequency: Frequency::from_code(&f)?,
                due_days: u32::try_from(d).ok()?,
            })
        })
        .collect();
    out.sort_by_key(|d| d.frequency);
    Ok(out)
}

/// The league's administrator asks for `frequency` in `year`, due
/// `due_days` after each period (0 to 90), or (None) no longer asks for it.
pub async fn set(
    db: &Db,
    actor: &Actor,
    year: i32,
    frequency: Frequency,
    due_days: Option<u32>,
) -> Result<()> {
    league_admin(actor)?;
    if due_days.is_some_and(|d| d > 90) {
        return Err(Error::from(ReportRefusal::DueDays));
    }
    let mut tx = db.begin_write().await?;
    let before: Option<i64> = sqlx::query_scalar(
        "SELECT due_days FROM report_schedules WHERE year = $1 AND frequency = $2",
    )
    .bind(i64::from(year))
    .bind(frequency.code())
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM report_schedules WHERE year = $1 AND frequency = $2")
        .bind(i64::from(year))
        .bind(frequency.code())
        .execute(&mut *tx)
        .await?;
    if let Some(days) = due_days {
        sqlx::query(
            "INSERT INTO report_schedules (year, frequency, due_days, set_by, set_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i64::from(year))
        .bind(frequency.code())
        .bind(i64::from(days))
        .bind(actor.user_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "report.schedule",
            entity: "report_schedule",
            entity_id: format!("{year}/{}", frequency.code()),
            before: before.map(|d| json!({"due_days": d})),
            after: due_days.map(|d| json!({"due_days": d})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The first submission of each county's report of each period of `year`:
/// (county, frequency, year, index) → (its day, who prepared it, the
/// newest version submitted: above 1 when it was corrected).
async fn first_submissions(
    db: &Db,
    year: i32,
) -> Result<BTreeMap<Key, (NaiveDate, Option<i64>, i64)>> {
    let rows: Vec<(String, String, i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT county_code, frequency, period_index, submitted_at, preparer, version
         FROM statistical_reports WHERE year = $1 AND status = 'submitted' ORDER BY version",
    )
    .bind(i64::from(year))
    .fetch_all(&db.pool)
    .await?;
    let mut out = BTreeMap::new();
    for (county, frequency, index, at, preparer, version) in rows {
        out.entry((county, frequency, year, index))
            .and_modify(|e: &mut (NaiveDate, Option<i64>, i64)| e.2 = e.2.max(version))
            .or_insert((local_date(at), preparer, version));
    }
    Ok(out)
}

type Key = (String, String, i32, i64);

/// One county's standing on one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyDue {
    pub county_code: String,
    pub name: String,
    pub timeliness: Timeliness,
}

/// One period the league asked for, with its due day and each county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodDue {
    pub period: Period,
    pub due: NaiveDate,
    pub counties: Vec<CountyDue>,
}

/// For the league (T5): every report of `year` asked for other than the
/// weekly return whose due day has come by `today`, newest first, and where
/// each county stands on it; and the next one to fall due of each.
pub async fn standing(
    db: &Db,
    actor: &Actor,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<PeriodDue>> {
    league_staff(actor)?;
    let counties = county_agencies(db).await?;
    let firsts = first_submissions(db, year).await?;
    let mut out = Vec::new();
    for due in of_year(db, year).await? {
        if due.frequency == Frequency::Weekly {
            continue;
        }
        let mut periods = rules::due_by(due.frequency, year, due.due_days, today);
        // The next one, so the league sees what is coming.
        let upcoming = periods.last().map_or_else(
            || Period::new(due.frequency, year, 1).ok(),
            |p| Some(p.next()).filter(|n| n.year == year),
        );
        periods.extend(upcoming);
        for period in periods {
            let day = period.due(due.due_days);
            out.push(PeriodDue {
                period,
                due: day,
                counties: counties
                    .iter()
                    .map(|(code, name)| {
                        let key = (
                            code.clone(),
                            due.frequency.code().to_string(),
                            year,
                            i64::from(period.index),
                        );
                        CountyDue {
                            county_code: code.clone(),
                            name: name.clone(),
                            timeliness: Timeliness::of(day, firsts.get(&key).map(|f| f.0), today),
                        }
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        b.due
            .cmp(&a.due)
            .then(a.period.frequency.cmp(&b.period.frequency))
    });
    Ok(out)
}

/// One preparer's weekly returns of a month that were late, missed or
/// corrected afterwards (T5: 漏报、迟报、误报).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparerFaults {
    pub county_code: String,
    /// None: the county charged nobody with its weekly return.
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub late: u32,
    pub missing: u32,
    pub corrected: u32,
}

impl PreparerFaults {
    pub fn total(&self) -> u32 {
        self.late + self.missing + self.corrected
    }
}

/// For the league (T5): the weekly returns that fell due in `month`, and
/// for each preparer how many were late, missed or corrected; those with
/// at least `flag_at` faults are the ones the league may ask to move.
/// Nothing when the league does not ask for a weekly return that year.
pub async fn weekly_faults(
    db: &Db,
    actor: &Actor,
    month: Period,
    today: NaiveDate,
) -> Result<Vec<PreparerFaults>> {
    league_staff(actor)?;
    let Some(due) = of_year(db, month.year)
        .await?
        .into_iter()
        .find(|d| d.frequency == Frequency::Weekly)
    else {
        return Ok(vec![]);
    };
    let weeks = rules::weeks_due_in(month, due.due_days);
    let mut firsts = BTreeMap::new();
    for year in weeks
        .iter()
        .map(|w| w.year)
        .collect::<std::collections::BTreeSet<_>>()
    {
        firsts.extend(first_submissions(db, year).await?);
    }
    let charged: BTreeMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT county_code, user_id FROM weekly_preparers")
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .collect();
    let mut tally: BTreeMap<(String, Option<i64>), PreparerFaults> = BTreeMap::new();
    for (county, _) in county_agencies(db).await? {
        for week in &weeks {
            let key = (
                county.clone(),
                "weekly".to_string(),
                week.year,
                i64::from(week.index),
            );
            let first = firsts.get(&key);
            let timeliness = Timeliness::of(week.due(due.due_days), first.map(|f| f.0), today);
            let who = match (timeliness, first) {
                (Timeliness::Missing { .. }, _) => charged.get(&county).copied(),
                (_, Some(f)) => f.1,
                _ => None,
            };
            let entry = tally
                .entry((county.clone(), who))
                .or_insert_with(|| PreparerFaults {
                    county_code: county.clone(),
                    user_id: who,
                    name: None,
                    late: 0,
                    missing: 0,
                    corrected: 0,
                });
            match timeliness {
                Timeliness::Late { .. } => entry.late += 1,
                Timeliness::Missing { .. } => entry.missing += 1,
                _ => {}
            }
            if first.is_some_and(|f| f.2 > 1) {
                entry.corrected += 1;
            }
        }
    }
    let mut out: Vec<PreparerFaults> = tally.into_values().filter(|f| f.total() > 0).collect();
    for f in &mut out {
        if let Some(id) = f.user_id {
            f.name = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?;
        }
    }
    out.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then(a.county_code.cmp(&b.county_code))
    });
    Ok(out)
}

/// A county agency's administrator charges one of its own agency staff
/// with the weekly return (T5).
pub async fn charge_weekly(db: &Db, actor: &Actor, user_id: i64) -> Result<()> {
    let county = match (actor.role, &actor.county_code) {
        (Role::AgencyAdmin, Some(c)) => c.clone(),
        _ => return Err(Error::Forbidden),
    };
    let staff: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT u.role, o.county_code FROM users u JOIN org_units o ON o.code = u.org_code WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    match staff {
        Some((role, Some(c)))
            if c == county && Role::from_code(&role).is_some_and(Role::is_agency) => {}
        _ => return Err(Error::from(ReportRefusal::WeeklyPreparer)),
    }
    let mut tx = db.begin_write().await?;
    let before: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM weekly_preparers WHERE county_code = $1")
            .bind(&county)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM weekly_preparers WHERE county_code = $1")
        .bind(&county)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO weekly_preparers (county_code, user_id, set_by, set_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&county)
    .bind(user_id)
    .bind(actor.user_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "report.weekly_preparer",
            entity: "weekly_preparer",
            entity_id: county,
            before: before.map(|u| json!({"user_id": u})),
            after: Some(json!({"user_id": user_id})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who is charged with a county's weekly return, and whom one may charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyStaff {
    pub charged: Option<i64>,
    /// The county agency's staff: id and name.
    pub staff: Vec<(i64, String)>,
}

/// For a county agency's administrator: who is charged with its weekly
/// return, and the agency's staff one may charge.
pub async fn weekly_staff(db: &Db, actor: &Actor) -> Result<WeeklyStaff> {
    let county = match (actor.role, &actor.county_code) {
        (Role::AgencyAdmin, Some(c)) => c.clone(),
        _ => return Err(Error::Forbidden),
    };
    let charged: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM weekly_preparers WHERE county_code = $1")
            .bind(&county)
            .fetch_optional(&db.pool)
            .await?;
    let staff: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u JOIN org_units o ON o.code = u.org_code
         WHERE o.kind = 'county_agency' AND o.county_code = $1 AND u.role IN ('agency_reviewer', 'agency_admin')
         ORDER BY u.display_name, u.id",
    )
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    Ok(WeeklyStaff { charged, staff })
}
