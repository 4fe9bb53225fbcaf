//! Prior approvals (M18, M19, M23, M14): transfers, special diseases and special items asked before the care.

use super::*;
use crate::error::{ClaimError, InputError};

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ApprovalKind {
        Transfer = "transfer",
        SpecialDisease = "special_disease",
        SpecialItem = "special_item",
    }
}

policy::coded! {
    /// Where a request for prior approval stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ApprovalStatus {
        Requested = "requested",
        Approved = "approved",
        Refused = "refused",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub kind: String,
    pub disease: Option<String>,
    pub hospital: String,
    pub reason: String,
    pub amount_fen: Option<i64>,
    pub emergency: bool,
    pub care_on: NaiveDate,
    pub requested_at: i64,
    pub requested_on: NaiveDate,
    pub status: ApprovalStatus,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
}

pub struct NewApproval {
    pub person_id: i64,
    pub kind: ApprovalKind,
    pub disease: Option<Disease>,
    pub hospital: String,
    pub reason: String,
    pub amount: Option<Money>,
    /// Done first in an emergency, approved afterwards (M19, M14).
    pub emergency: bool,
    /// The day of the transfer, treatment or item.
    pub care_on: NaiveDate,
}

pub(super) const APPROVAL_SELECT: &str = "SELECT a.*, p.name AS person_name, u.display_name AS decided_by_name
    FROM prior_approvals a JOIN persons p ON p.id = a.person_id LEFT JOIN users u ON u.id = a.decided_by";

pub(super) fn approval_from_row(r: &AnyRow) -> sqlx::Result<Approval> {
    Ok(Approval {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        kind: r.try_get("kind")?,
        disease: r.try_get("disease")?,
        hospital: r.try_get("hospital")?,
        reason: r.try_get("reason")?,
        amount_fen: r.try_get("amount_fen")?,
        emergency: r.try_get::<i64, _>("emergency")? == 1,
        care_on: row::date(r, "care_on")?,
        requested_at: r.try_get("requested_at")?,
        requested_on: row::date(r, "requested_on")?,
        status: ApprovalStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| sqlx::Error::Decode("approval status".into()))?,
        decided_by_name: r.try_get("decided_by_name")?,
        decided_at: r.try_get("decided_at")?,
        decision_note: r.try_get("decision_note")?,
    })
}

/// A resident asks for an approval. Before the care, or, for an emergency
/// transfer or special item done first, within the days the rules allow
/// after it (M19, M14); later is refused with the reason.
pub async fn request_approval(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    a: NewApproval,
    today: NaiveDate,
) -> Result<Approval> {
    own_member(db, actor, a.person_id).await?;
    let deadlines = &rules.year(a.care_on.year()).map_err(Error::from)?.deadlines;
    let hospital = a.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::from(ClaimError::Hospital));
    }
    match a.kind {
        ApprovalKind::SpecialDisease if a.disease.is_none() => {
            return Err(Error::from(ClaimError::Disease))
        }
        ApprovalKind::SpecialItem => {
            let amount = a.amount.ok_or(Error::from(InputError::Amount))?;
            if amount <= deadlines.special_item_threshold {
                return Err(Error::from(ClaimError::BelowSpecialItemThreshold));
            }
        }
        _ => {}
    }
    let after_days = match a.kind {
        ApprovalKind::Transfer if a.emergency => Some(deadlines.transfer_approval_days),
        ApprovalKind::SpecialItem if a.emergency => Some(deadlines.special_item_approval_days),
        _ => None,
    };
    match after_days {
        // Done first: the request must follow within the days allowed.
        Some(days) => {
            if a.care_on > today {
                return Err(Error::from(ClaimError::CareInFuture));
            }
            if (today - a.care_on).num_days() > i64::from(days) {
                return Err(Error::from(ClaimError::ApprovalLate));
            }
        }
        // Asked before the care (M18, M23, M14).
        None => {
            if a.care_on < today {
                return Err(Error::from(ClaimError::ApprovalAfterCare));
            }
        }
    }
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO prior_approvals (person_id, kind, disease, hospital, reason, amount_fen, emergency, care_on,
             requested_by, requested_at, requested_on, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'requested') RETURNING id",
    )
    .bind(a.person_id)
    .bind(a.kind.code())
    .bind(a.disease.map(|d| d.code()))
    .bind(hospital)
    .bind(a.reason.trim())
    .bind(a.amount.map(|m| m.fen()))
    .bind(i64::from(a.emergency))
    .bind(a.care_on.to_string())
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(today.to_string())
    .fetch_one(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        actor,
        "approval.request",
        "prior_approval",
        id,
        json!({
            "person_id": a.person_id, "kind": a.kind.code(), "disease": a.disease.map(|d| d.code()),
            "hospital": hospital, "emergency": a.emergency, "care_on": a.care_on.to_string(),
            "amount_fen": a.amount.map(|m| m.fen()),
        }),
    )
    .await?;
    tx.commit().await?;
    approval(db, id).await
}

pub(super) async fn approval(db: &Db, id: i64) -> Result<Approval> {
    let sql = format!("{APPROVAL_SELECT} WHERE a.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(&db.pool).await?;
    Ok(approval_from_row(&row)?)
}

/// An agency reviewer answers a request; the answer is final and audited.
pub async fn decide_approval(
    db: &Db,
    actor: &Actor,
    id: i64,
    approve: bool,
    note: &str,
) -> Result<Approval> {
    let a = approval(db, id).await?;
    let county: String = sqlx::query_scalar("SELECT county_code FROM persons WHERE id = $1")
        .bind(a.person_id)
        .fetch_one(&db.pool)
        .await?;
    if !agency_sees(actor, &county) {
        return Err(Error::Forbidden);
    }
    if !approve && note.trim().is_empty() {
        return Err(Error::from(InputError::ReasonRequired));
    }
    let status = if approve { "approved" } else { "refused" };
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE prior_approvals SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND status = 'requested'",
    )
    .bind(status)
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(note.trim())
    .bind(id);
    transition(
        &mut tx,
        update,
        ClaimError::AlreadyDecided,
        actor,
        "approval.decide",
        "prior_approval",
        id,
        json!({
            "status": status, "note": note.trim(),
        }),
    )
    .await?;
    tx.commit().await?;
    approval(db, id).await
}

/// The approvals of the resident's household, newest first.
pub async fn household_approvals(db: &Db, actor: &Actor) -> Result<Vec<Approval>> {
    let household = actor.household_id.ok_or(Error::Forbidden)?;
    let sql = format!("{APPROVAL_SELECT} WHERE p.household_id = $1 ORDER BY a.id DESC");
    let rows = sqlx::query(&sql)
        .bind(household)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(approval_from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// Requests waiting for an answer, in the agency user's county, oldest first.
pub async fn pending_approvals(db: &Db, actor: &Actor) -> Result<Vec<Approval>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let sql = format!(
        "{APPROVAL_SELECT} WHERE a.status = 'requested' AND ($1 = '' OR p.county_code = $1) ORDER BY a.id LIMIT 200"
    );
    let rows = sqlx::query(&sql)
        .bind(actor.county_code.clone().unwrap_or_default())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(approval_from_row)
        .collect::<sqlx::Result<_>>()?)
}

pub(super) async fn approvals_of<'e>(
    conn: impl sqlx::Executor<'e, Database = sqlx::Any>,
    person_id: i64,
) -> Result<Vec<Approval>> {
    let sql = format!("{APPROVAL_SELECT} WHERE a.person_id = $1 ORDER BY a.id");
    let rows = sqlx::query(&sql).bind(person_id).fetch_all(conn).await?;
    Ok(rows
        .iter()
        .map(approval_from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// Whether an approved transfer covers a stay from `care_from` to `care_to`:
/// asked before it, or (an emergency transfer) within the days after (M18, M19).
pub(super) fn transfer_approved(
    approvals: &[Approval],
    care_from: NaiveDate,
    care_to: NaiveDate,
) -> bool {
    approvals.iter().any(|a| {
        a.kind == "transfer"
            && a.status == ApprovalStatus::Approved
            && a.care_on >= care_from
            && a.care_on <= care_to
    })
}

/// Whether the agency approved treatment of `disease` before `care_from` (M23).
pub(super) fn disease_approved(
    approvals: &[Approval],
    disease: Disease,
    care_from: NaiveDate,
) -> bool {
    approvals.iter().any(|a| {
        a.kind == "special_disease"
            && a.status == ApprovalStatus::Approved
            && a.disease.as_deref() == Some(disease.code())
            && a.requested_on <= care_from
    })
}
