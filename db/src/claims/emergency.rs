//! Emergency reports (M21, M22): a stay at a non-designated hospital or an outpatient rescue is reported within the year's days.

use super::*;
use crate::error::{ClaimError, InputError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyReport {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub hospital: String,
    pub note: String,
    pub reported_at: i64,
    pub reported_on: NaiveDate,
    pub days_after: i64,
}

pub struct NewEmergencyReport {
    pub person_id: i64,
    pub kind: ClaimKind,
    pub occurred_on: NaiveDate,
    pub hospital: String,
    pub note: String,
}

/// The last day an emergency on `occurred_on` may be reported (M21, M22).
pub fn report_by(rules: &Rules, occurred_on: NaiveDate) -> Result<NaiveDate> {
    let days = rules
        .year(occurred_on.year())
        .map_err(Error::from)?
        .deadlines
        .emergency_filing_days;
    occurred_on
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .ok_or(Error::from(InputError::Date))
}

/// Records an emergency report, or refuses a late one (and records nothing).
pub async fn report_emergency(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    r: NewEmergencyReport,
    today: NaiveDate,
) -> Result<EmergencyReport> {
    own_member(db, actor, r.person_id).await?;
    if !is_emergency(r.kind) {
        return Err(Error::from(InputError::Kind));
    }
    if r.occurred_on > today {
        return Err(Error::from(ClaimError::CareInFuture));
    }
    if today > report_by(rules, r.occurred_on)? {
        return Err(Error::from(ClaimError::EmergencyReportLate));
    }
    let hospital = r.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::from(ClaimError::Hospital));
    }
    let days_after = (today - r.occurred_on).num_days();
    let mut tx = db.begin_write().await?;
    let at = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO emergency_reports (person_id, kind, occurred_on, hospital, note, reported_by, reported_at, reported_on, days_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(r.person_id)
    .bind(r.kind.code())
    .bind(r.occurred_on.to_string())
    .bind(hospital)
    .bind(r.note.trim())
    .bind(actor.user_id)
    .bind(at)
    .bind(today.to_string())
    .bind(days_after)
    .fetch_one(&mut *tx)
    .await?;
    audit_change(&mut tx, actor, "emergency.report", "emergency_report", id, json!({
        "person_id": r.person_id, "kind": r.kind.code(), "occurred_on": r.occurred_on.to_string(),
        "hospital": hospital, "days_after": days_after,
    }))
    .await?;
    tx.commit().await?;
    Ok(EmergencyReport {
        id,
        person_id: r.person_id,
        kind: r.kind.code().into(),
        occurred_on: r.occurred_on,
        hospital: hospital.into(),
        note: r.note.trim().into(),
        reported_at: at,
        reported_on: today,
        days_after,
    })
}

pub(super) fn report_from_row(r: &AnyRow) -> sqlx::Result<EmergencyReport> {
    Ok(EmergencyReport {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        kind: r.try_get("kind")?,
        occurred_on: row::date(r, "occurred_on")?,
        hospital: r.try_get("hospital")?,
        note: r.try_get("note")?,
        reported_at: r.try_get("reported_at")?,
        reported_on: row::date(r, "reported_on")?,
        days_after: r.try_get("days_after")?,
    })
}

/// The emergency reports of the resident's household, newest first.
pub async fn household_reports(db: &Db, actor: &Actor) -> Result<Vec<EmergencyReport>> {
    let household = actor.household_id.ok_or(Error::Forbidden)?;
    let rows = sqlx::query(
        "SELECT e.* FROM emergency_reports e JOIN persons p ON p.id = e.person_id
         WHERE p.household_id = $1 ORDER BY e.id DESC",
    )
    .bind(household)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(report_from_row)
        .collect::<sqlx::Result<_>>()?)
}

pub(super) async fn reports_of<'e>(
    conn: impl sqlx::Executor<'e, Database = sqlx::Any>,
    person_id: i64,
) -> Result<Vec<EmergencyReport>> {
    let rows = sqlx::query("SELECT * FROM emergency_reports WHERE person_id = $1 ORDER BY id")
        .bind(person_id)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(report_from_row)
        .collect::<sqlx::Result<_>>()?)
}
