//! Payment runs (B19): approved claims are paid in monthly windows, special
//! diseases on the 5th–6th, the others on the 7th–10th. An agency user
//! prepares the run of a window (its claims and totals, against last month's
//! run); another releases it, which marks its claims paid and opens the bank
//! transfer file. A resident whose benefits are suspended (M29) is held out.

use chrono::{Datelike, NaiveDate};
use policy::money::Money;
use policy::params::Rules;
use policy::payment_run::{self, RunKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::claims::{self, Claim, CLAIM_SELECT};
use crate::csv_file::CsvFile;
use crate::error::RunError;
use crate::numbering::{self, Series};
use crate::row;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// The SQL condition for the claims of a run kind.
fn kind_filter(kind: RunKind) -> &'static str {
    match kind {
        RunKind::SpecialOutpatient => "c.kind = 'special_outpatient'",
        RunKind::Others => "c.kind <> 'special_outpatient'",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub total_fen: i64,
    pub claims: i64,
    pub prepared_by: i64,
    pub prepared_by_name: String,
    pub prepared_at: i64,
    pub released_by_name: Option<String>,
    pub released_at: Option<i64>,
}

const RUN_SELECT: &str = "SELECT r.*, u1.display_name AS prepared_by_name, u2.display_name AS released_by_name
    FROM payment_runs r JOIN users u1 ON u1.id = r.prepared_by LEFT JOIN users u2 ON u2.id = r.released_by";

fn run_from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Run> {
    Ok(Run {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        kind: r.try_get("kind")?,
        window_start: row::date(r, "window_start")?,
        window_end: row::date(r, "window_end")?,
        total_fen: r.try_get("total_fen")?,
        claims: r.try_get("claims")?,
        prepared_by: r.try_get("prepared_by")?,
        prepared_by_name: r.try_get("prepared_by_name")?,
        prepared_at: r.try_get("prepared_at")?,
        released_by_name: r.try_get("released_by_name")?,
        released_at: r.try_get("released_at")?,
    })
}

fn staff(actor: &Actor) -> Result<()> {
    // The fund pays for the whole league: runs are the league agency's work.
    if matches!(actor.role, Role::AgencyAdmin | Role::AgencyReviewer) && actor.is_league() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Approved claims not yet in a run, by the window they wait for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub kind: String,
    pub window_start: NaiveDate,
    pub claims: i64,
    pub total_fen: i64,
}

pub async fn waiting(db: &Db, actor: &Actor) -> Result<Vec<Waiting>> {
    staff(actor)?;
    let rows = sqlx::query(
        "SELECT CASE WHEN kind = 'special_outpatient' THEN 'special_outpatient' ELSE 'others' END AS run_kind,
             run_window_start, COUNT(*) AS n, CAST(SUM(payout_fen) AS BIGINT) AS total
         FROM claims WHERE status = 'approved' AND payment_run_id IS NULL
         GROUP BY CASE WHEN kind = 'special_outpatient' THEN 'special_outpatient' ELSE 'others' END, run_window_start
         ORDER BY run_window_start, run_kind",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Waiting {
                kind: r.try_get("run_kind")?,
                window_start: row::date(r, "run_window_start")?,
                claims: r.try_get("n")?,
                total_fen: r.try_get::<Option<i64>, _>("total")?.unwrap_or(0),
            })
        })
        .collect()
}

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Run>> {
    staff(actor)?;
    let sql = format!("{RUN_SELECT} ORDER BY r.window_start DESC, r.kind LIMIT 100");
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    Ok(rows.iter().map(run_from_row).collect::<sqlx::Result<_>>()?)
}

pub async fn get(db: &Db, actor: &Actor, number: &str) -> Result<Run> {
    staff(actor)?;
    let sql = format!("{RUN_SELECT} WHERE r.number = $1");
    let row = sqlx::query(&sql)
        .bind(number)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(run_from_row(&row)?)
}

/// The claims of a run, by claim number.
pub async fn claims_of(db: &Db, run_id: i64) -> Result<Vec<Claim>> {
    let sql = format!("{CLAIM_SELECT} WHERE c.payment_run_id = $1 ORDER BY c.number");
    let rows = sqlx::query(&sql).bind(run_id).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(claims::claim_from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// Last month's run of the same kind, to compare against.
pub async fn previous(db: &Db, run: &Run) -> Result<Option<Run>> {
    let sql = format!(
        "{RUN_SELECT} WHERE r.kind = $1 AND r.window_start < $2 ORDER BY r.window_start DESC LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(&run.kind)
        .bind(run.window_start.to_string())
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.as_ref().map(run_from_row).transpose()?)
}

/// Prepares (or brings up to date) the run of `kind` whose window starts on
/// `window_start`: every approved claim waiting for this window or an
/// earlier one, except those of residents suspended on the window's start.
/// A released run is final.
pub async fn prepare(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    kind: RunKind,
    window_start: NaiveDate,
) -> Result<Run> {
    staff(actor)?;
    let window =
        payment_run::window_in_month(rules, kind, window_start.year(), window_start.month())
            .map_err(Error::from)?;
    if window.start != window_start {
        return Err(Error::from(RunError::RunWindow));
    }
    // A resident suspended on the window's start is held out (M29).
    let sql = format!(
        "SELECT c.id, c.number, c.payout_fen FROM claims c
         WHERE c.status = 'approved' AND c.payment_run_id IS NULL AND {} AND c.run_window_start <= $1
           AND NOT {}
         ORDER BY c.id",
        kind_filter(kind),
        claims::suspended_sql("c.person_id", "$1")
    );
    let included: Vec<(i64, String, i64)> = sqlx::query_as(&sql)
        .bind(window_start.to_string())
        .fetch_all(&db.pool)
        .await?;

    let mut tx = db.begin_write().await?;
    let existing: Option<(i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT id, released_by, number FROM payment_runs WHERE kind = $1 AND window_start = $2",
    )
    .bind(kind.code())
    .bind(window_start.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    let (run_id, number) = match existing {
        Some((_, Some(_), _)) => return Err(Error::from(RunError::RunReleased)),
        Some((id, None, number)) => {
            // Who brings a run up to date has chosen its claims as much as
            // who first prepared it: they become its preparer, so they too
            // cannot be the second person who releases it.
            sqlx::query("UPDATE payment_runs SET prepared_by = $1, prepared_at = $2 WHERE id = $3")
                .bind(actor.user_id)
                .bind(now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id, number)
        }
        None => {
            let number = numbering::next(&mut tx, Series::PaymentRun, window_start.year()).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO payment_runs (number, kind, window_start, window_end, total_fen, claims, prepared_by, prepared_at)
                 VALUES ($1, $2, $3, $4, 0, 0, $5, $6) RETURNING id",
            )
            .bind(&number)
            .bind(kind.code())
            .bind(window_start.to_string())
            .bind(window.end.to_string())
            .bind(actor.user_id)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?;
            (id, number)
        }
    };
    for (id, _, _) in &included {
        // Conditional: a claim another run took meanwhile stays there.
        sqlx::query("UPDATE claims SET payment_run_id = $1 WHERE id = $2 AND payment_run_id IS NULL AND status = 'approved'")
            .bind(run_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let totals = refresh_totals(&mut tx, run_id).await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "payment_run.prepare",
            entity: "payment_run",
            entity_id: number.clone(),
            before: None,
            after: Some(json!({
                "kind": kind.code(), "window_start": window_start.to_string(),
                "claims": totals.0, "total_fen": totals.1,
                "added": included.iter().map(|(_, n, _)| n.clone()).collect::<Vec<_>>(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, actor, &number).await
}

async fn refresh_totals(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    run_id: i64,
) -> Result<(i64, i64)> {
    let (n, total): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(payout_fen) AS BIGINT) FROM claims WHERE payment_run_id = $1",
    )
    .bind(run_id)
    .fetch_one(&mut **tx)
    .await?;
    let total = total.unwrap_or(0);
    sqlx::query("UPDATE payment_runs SET claims = $1, total_fen = $2 WHERE id = $3")
        .bind(n)
        .bind(total)
        .bind(run_id)
        .execute(&mut **tx)
        .await?;
    Ok((n, total))
}

/// Releases a run on `today` (the scheme's local date): a second person
/// (not who prepared it) confirms, not before its window opens (B19); the
/// claims of residents suspended meanwhile are taken out, the others are
/// marked paid, all in one transaction.
pub async fn release(db: &Db, actor: &Actor, number: &str, today: NaiveDate) -> Result<Run> {
    let run = get(db, actor, number).await?;
    if run.released_at.is_some() {
        return Err(Error::from(RunError::RunReleased));
    }
    if today < run.window_start {
        return Err(Error::from(RunError::RunWindowNotOpen));
    }
    if run.prepared_by == actor.user_id {
        return Err(Error::from(RunError::SamePerson));
    }
    if run.claims == 0 {
        return Err(Error::from(RunError::RunEmpty));
    }
    // Residents suspended since the run was prepared are taken out of it.
    let sql = format!(
        "SELECT c.id FROM claims c WHERE c.payment_run_id = $1 AND {} ORDER BY c.id",
        claims::suspended_sql("c.person_id", "$2")
    );
    let held: Vec<i64> = sqlx::query_scalar(&sql)
        .bind(run.id)
        .bind(run.window_start.to_string())
        .fetch_all(&db.pool)
        .await?;
    let at = now_ms();
    let mut tx = db.begin_write().await?;
    for id in &held {
        sqlx::query("UPDATE claims SET payment_run_id = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let totals = refresh_totals(&mut tx, run.id).await?;
    let done = sqlx::query(
        "UPDATE payment_runs SET released_by = $1, released_at = $2 WHERE id = $3 AND released_by IS NULL AND prepared_by <> $1",
    )
    .bind(actor.user_id)
    .bind(at)
    .bind(run.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::from(RunError::RunReleased));
    }
    let paid: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM claims WHERE payment_run_id = $1 AND status = 'approved' ORDER BY id",
    )
    .bind(run.id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("UPDATE claims SET status = 'paid', paid_at = $1 WHERE payment_run_id = $2 AND status = 'approved'")
        .bind(at)
        .bind(run.id)
        .execute(&mut *tx)
        .await?;
    let note = format!("{} {}", run.number, run.window_start);
    for id in &paid {
        sqlx::query("INSERT INTO claim_events (claim_id, step, by_user, at_ms, note) VALUES ($1, 'paid', $2, $3, $4)")
            .bind(id)
            .bind(actor.user_id)
            .bind(at)
            .bind(&note)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "payment_run.release",
            entity: "payment_run",
            entity_id: run.number.clone(),
            before: Some(json!({ "claims": run.claims, "total_fen": run.total_fen })),
            after: Some(json!({ "claims": totals.0, "total_fen": totals.1, "held": held })),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, actor, number).await
}

/// The bank transfer file of a released run: account, name, amount, claim
/// number, one line per claim, amounts in yuan with two decimals.
pub async fn bank_file(db: &Db, actor: &Actor, number: &str) -> Result<String> {
    let run = get(db, actor, number).await?;
    if run.released_at.is_none() {
        return Err(Error::from(RunError::RunNotReleased));
    }
    // With a byte order mark: Chinese names open right in a spreadsheet.
    let mut out = CsvFile::with_bom();
    out.line(["account", "name", "amount", "claim_number"]);
    for c in claims_of(db, run.id).await? {
        out.text(&c.bank_account)
            .text(&c.account_name)
            .figure(Money::from_fen(c.payout_fen.unwrap_or(0)))
            .text(&c.number)
            .end_line();
    }
    Ok(out.finish())
}
