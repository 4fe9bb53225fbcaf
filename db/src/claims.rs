//! Claims the resident files, paying first and claiming back (RULES.md §5–7):
//! emergency reports (M21, M22), prior approvals (M18, M19, M23, M14), the
//! claim with its documents, the two-person review (初审, 复审) and fraud
//! (M29).
//!
//! The payout is never entered by hand: the second review asks the policy
//! engine, over facts read from the records (hospital grade and in-catalogue
//! amount from the first review; admission ordinal from the person's stays;
//! continuous years and cover on the day of care from the payments; what was
//! already paid this year from earlier decisions), and stores those facts
//! beside the payout so that anyone can recompute it.

use std::num::NonZeroU32;

use chrono::{Datelike, NaiveDate};
use policy::benefit::{self, Cause, ClaimFacts, ClaimKind, Disease, HospitalGrade, Stay};
use policy::contribution;
use policy::explain::Explanation;
use policy::fraud::{self, FraudCase};
use policy::money::Money;
use policy::params::Rules;
use policy::payment_run::{self, RunKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::audit::{self, By, Change};
use crate::documents::{self, Document, Purpose, Store};
use crate::numbering::{self, Series};
use crate::scope::{Actor, Role};
use crate::{households, local_date, now_ms, payments, Backend, Db, Error, Result};

/// The kinds a resident files (B16): inpatient care at a designated
/// hospital is settled there at discharge (B13) and never comes here.
pub const FILED_KINDS: [ClaimKind; 5] = [
    ClaimKind::Transfer,
    ClaimKind::NondesignatedEmergency,
    ClaimKind::OutpatientEmergency,
    ClaimKind::SpecialOutpatient,
    ClaimKind::StudentAccident,
];

pub fn kind_from_code(code: &str) -> Option<ClaimKind> {
    FILED_KINDS.into_iter().find(|k| k.code() == code)
}

pub const DISEASES: [Disease; 6] = [
    Disease::OrganTransplant,
    Disease::CancerRadioChemo,
    Disease::UraemiaDialysis,
    Disease::Tuberculosis,
    Disease::Psychosis,
    Disease::DiabetesInsulin,
];

pub fn disease_from_code(code: &str) -> Option<Disease> {
    DISEASES.into_iter().find(|d| d.code() == code)
}

pub const CAUSES: [Cause; 7] = [
    Cause::Fight,
    Cause::Crime,
    Cause::Drunkenness,
    Cause::SelfHarm,
    Cause::Suicide,
    Cause::TrafficAccident,
    Cause::MedicalAccident,
];

pub fn cause_from_code(code: &str) -> Option<Cause> {
    CAUSES.into_iter().find(|c| c.code() == code)
}

/// The documents a claim of `kind` needs (B17): receipts, diagnosis,
/// itemised list and medical-record copy; for special diseases, receipts and
/// the prescriptions (or the itemised list).
pub fn required_documents(kind: ClaimKind) -> &'static [&'static str] {
    match kind {
        ClaimKind::SpecialOutpatient => &["receipt", "prescription"],
        _ => &["receipt", "diagnosis", "expense_list", "medical_record"],
    }
}

/// Every kind of claim document, in the order the form shows them.
pub const DOCUMENT_KINDS: [&str; 5] = [
    "receipt",
    "diagnosis",
    "expense_list",
    "medical_record",
    "prescription",
];

fn day(s: &str) -> Result<NaiveDate> {
    s.parse().map_err(|_| Error::Invalid("date"))
}

fn is_emergency(kind: ClaimKind) -> bool {
    matches!(
        kind,
        ClaimKind::NondesignatedEmergency | ClaimKind::OutpatientEmergency
    )
}

/// Serialises the decisions about one person on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises every writer): two claims decided at
/// once must not both read the same "already paid this year".
async fn lock_person(db: &Db, tx: &mut Transaction<'static, Any>, person_id: i64) -> Result<()> {
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7, CAST($1 AS INTEGER))")
            .bind(person_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn event(
    tx: &mut Transaction<'static, Any>,
    claim_id: i64,
    step: &str,
    by: Option<i64>,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO claim_events (claim_id, step, by_user, at_ms, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(claim_id)
        .bind(step)
        .bind(by)
        .bind(now_ms())
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn audit_change(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &'static str,
    entity: &'static str,
    id: impl ToString,
    after: serde_json::Value,
) -> Result<()> {
    audit::record(
        tx,
        By::User(actor),
        Change {
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// A resident acts for their own household's members only.
async fn own_member(db: &Db, actor: &Actor, person_id: i64) -> Result<households::Person> {
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    households::get_person(db, actor, person_id).await
}

fn agency_sees(actor: &Actor, county: &str) -> bool {
    actor.role.is_agency() && actor.county_code.as_deref().is_none_or(|c| c == county)
}

// ---------------------------------------------------------------------------
// Emergency reports (M21, M22)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyReport {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub occurred_on: String,
    pub hospital: String,
    pub note: String,
    pub reported_at: i64,
    pub reported_on: String,
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
        .map_err(|e| Error::Invalid(e.code()))?
        .deadlines
        .emergency_filing_days;
    occurred_on
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .ok_or(Error::Invalid("date"))
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
        return Err(Error::Invalid("kind"));
    }
    if r.occurred_on > today {
        return Err(Error::Invalid("care_in_future"));
    }
    if today > report_by(rules, r.occurred_on)? {
        return Err(Error::Invalid("emergency_report_late"));
    }
    let hospital = r.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::Invalid("hospital"));
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
        occurred_on: r.occurred_on.to_string(),
        hospital: hospital.into(),
        note: r.note.trim().into(),
        reported_at: at,
        reported_on: today.to_string(),
        days_after,
    })
}

fn report_from_row(r: &AnyRow) -> sqlx::Result<EmergencyReport> {
    Ok(EmergencyReport {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        kind: r.try_get("kind")?,
        occurred_on: r.try_get("occurred_on")?,
        hospital: r.try_get("hospital")?,
        note: r.try_get("note")?,
        reported_at: r.try_get("reported_at")?,
        reported_on: r.try_get("reported_on")?,
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

async fn reports_of(db: &Db, person_id: i64) -> Result<Vec<EmergencyReport>> {
    let rows = sqlx::query("SELECT * FROM emergency_reports WHERE person_id = $1 ORDER BY id")
        .bind(person_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(report_from_row)
        .collect::<sqlx::Result<_>>()?)
}

// ---------------------------------------------------------------------------
// Prior approvals (M18, M19, M23, M14)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    Transfer,
    SpecialDisease,
    SpecialItem,
}

impl ApprovalKind {
    pub fn code(self) -> &'static str {
        match self {
            ApprovalKind::Transfer => "transfer",
            ApprovalKind::SpecialDisease => "special_disease",
            ApprovalKind::SpecialItem => "special_item",
        }
    }

    pub fn from_code(code: &str) -> Option<ApprovalKind> {
        [
            ApprovalKind::Transfer,
            ApprovalKind::SpecialDisease,
            ApprovalKind::SpecialItem,
        ]
        .into_iter()
        .find(|k| k.code() == code)
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
    pub care_on: String,
    pub requested_at: i64,
    pub requested_on: String,
    pub status: String,
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

const APPROVAL_SELECT: &str = "SELECT a.*, p.name AS person_name, u.display_name AS decided_by_name
    FROM prior_approvals a JOIN persons p ON p.id = a.person_id LEFT JOIN users u ON u.id = a.decided_by";

fn approval_from_row(r: &AnyRow) -> sqlx::Result<Approval> {
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
        care_on: r.try_get("care_on")?,
        requested_at: r.try_get("requested_at")?,
        requested_on: r.try_get("requested_on")?,
        status: r.try_get("status")?,
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
    let deadlines = &rules
        .year(a.care_on.year())
        .map_err(|e| Error::Invalid(e.code()))?
        .deadlines;
    let hospital = a.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::Invalid("hospital"));
    }
    match a.kind {
        ApprovalKind::SpecialDisease if a.disease.is_none() => {
            return Err(Error::Invalid("disease"))
        }
        ApprovalKind::SpecialItem => {
            let amount = a.amount.ok_or(Error::Invalid("amount"))?;
            if amount <= deadlines.special_item_threshold {
                return Err(Error::Invalid("below_special_item_threshold"));
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
                return Err(Error::Invalid("care_in_future"));
            }
            if (today - a.care_on).num_days() > i64::from(days) {
                return Err(Error::Invalid("approval_late"));
            }
        }
        // Asked before the care (M18, M23, M14).
        None => {
            if a.care_on < today {
                return Err(Error::Invalid("approval_after_care"));
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

async fn approval(db: &Db, id: i64) -> Result<Approval> {
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
        return Err(Error::Invalid("reason_required"));
    }
    let status = if approve { "approved" } else { "refused" };
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE prior_approvals SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE id = $5 AND status = 'requested'",
    )
    .bind(status)
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(note.trim())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("already_decided"));
    }
    audit_change(
        &mut tx,
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

async fn approvals_of(db: &Db, person_id: i64) -> Result<Vec<Approval>> {
    let sql = format!("{APPROVAL_SELECT} WHERE a.person_id = $1 ORDER BY a.id");
    let rows = sqlx::query(&sql)
        .bind(person_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(approval_from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// Whether an approved transfer covers a stay from `care_from` to `care_to`:
/// asked before it, or (an emergency transfer) within the days after (M18, M19).
fn transfer_approved(approvals: &[Approval], care_from: NaiveDate, care_to: NaiveDate) -> bool {
    approvals.iter().any(|a| {
        a.kind == "transfer"
            && a.status == "approved"
            && a.care_on
                .parse::<NaiveDate>()
                .is_ok_and(|on| on >= care_from && on <= care_to)
    })
}

/// Whether the agency approved treatment of `disease` before `care_from` (M23).
fn disease_approved(approvals: &[Approval], disease: Disease, care_from: NaiveDate) -> bool {
    approvals.iter().any(|a| {
        a.kind == "special_disease"
            && a.status == "approved"
            && a.disease.as_deref() == Some(disease.code())
            && a.requested_on
                .parse::<NaiveDate>()
                .is_ok_and(|on| on <= care_from)
    })
}

// ---------------------------------------------------------------------------
// Claims

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub number: String,
    pub person_id: i64,
    pub person_name: String,
    pub id_number: String,
    pub household_id: i64,
    pub county_code: String,
    pub kind: String,
    pub care_from: String,
    pub care_to: String,
    pub hospital: String,
    pub hospital_grade: i64,
    pub billed_fen: i64,
    pub disease: Option<String>,
    pub emergency_report_id: Option<i64>,
    pub agent_name: String,
    pub agent_id_number: String,
    pub agent_relation: String,
    pub bank_account: String,
    pub account_name: String,
    pub filed_at: i64,
    pub status: String,
    pub first_reviewer: Option<i64>,
    pub first_reviewer_name: Option<String>,
    pub first_reviewed_at: Option<i64>,
    pub in_catalogue_fen: Option<i64>,
    pub cause: Option<String>,
    pub minor_blood_disease: bool,
    pub earlier_admissions: i64,
    pub documents_false: bool,
    pub first_note: Option<String>,
    pub second_reviewer: Option<i64>,
    pub second_reviewer_name: Option<String>,
    pub second_reviewed_at: Option<i64>,
    pub decided_on: Option<String>,
    pub facts_json: Option<String>,
    pub payout_fen: Option<i64>,
    pub reason: Option<String>,
    pub explanation_json: Option<String>,
    pub run_window_start: Option<String>,
    pub payment_run_number: Option<String>,
    pub paid_at: Option<i64>,
}

impl Claim {
    pub fn claim_kind(&self) -> Result<ClaimKind> {
        kind_from_code(&self.kind).ok_or(Error::Invalid("kind"))
    }

    /// The explanation stored with the decision.
    pub fn explanation(&self) -> Explanation {
        self.explanation_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    /// The facts stored with the decision.
    pub fn facts(&self) -> Option<ClaimFacts> {
        self.facts_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
    }
}

pub(crate) const CLAIM_SELECT: &str = "SELECT c.id, c.number, c.person_id, p.name AS person_name, p.id_number, c.household_id,
    c.county_code, c.kind, c.care_from, c.care_to, c.hospital, c.hospital_grade, c.billed_fen, c.disease,
    c.emergency_report_id, c.agent_name, c.agent_id_number, c.agent_relation, c.bank_account, c.account_name,
    c.filed_at, c.status, c.first_reviewer, u1.display_name AS first_reviewer_name, c.first_reviewed_at,
    c.in_catalogue_fen, c.cause, c.minor_blood_disease, c.earlier_admissions, c.documents_false, c.first_note,
    c.second_reviewer, u2.display_name AS second_reviewer_name, c.second_reviewed_at, c.decided_on,
    c.facts_json, c.payout_fen, c.reason, c.explanation_json, c.run_window_start, r.number AS payment_run_number,
    c.paid_at
    FROM claims c JOIN persons p ON p.id = c.person_id
    LEFT JOIN users u1 ON u1.id = c.first_reviewer LEFT JOIN users u2 ON u2.id = c.second_reviewer
    LEFT JOIN payment_runs r ON r.id = c.payment_run_id";

pub(crate) fn claim_from_row(r: &AnyRow) -> sqlx::Result<Claim> {
    Ok(Claim {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        person_id: r.try_get("person_id")?,
        person_name: r.try_get("person_name")?,
        id_number: r.try_get("id_number")?,
        household_id: r.try_get("household_id")?,
        county_code: r.try_get("county_code")?,
        kind: r.try_get("kind")?,
        care_from: r.try_get("care_from")?,
        care_to: r.try_get("care_to")?,
        hospital: r.try_get("hospital")?,
        hospital_grade: r.try_get("hospital_grade")?,
        billed_fen: r.try_get("billed_fen")?,
        disease: r.try_get("disease")?,
        emergency_report_id: r.try_get("emergency_report_id")?,
        agent_name: r.try_get("agent_name")?,
        agent_id_number: r.try_get("agent_id_number")?,
        agent_relation: r.try_get("agent_relation")?,
        bank_account: r.try_get("bank_account")?,
        account_name: r.try_get("account_name")?,
        filed_at: r.try_get("filed_at")?,
        status: r.try_get("status")?,
        first_reviewer: r.try_get("first_reviewer")?,
        first_reviewer_name: r.try_get("first_reviewer_name")?,
        first_reviewed_at: r.try_get("first_reviewed_at")?,
        in_catalogue_fen: r.try_get("in_catalogue_fen")?,
        cause: r.try_get("cause")?,
        minor_blood_disease: r.try_get::<Option<i64>, _>("minor_blood_disease")? == Some(1),
        earlier_admissions: r
            .try_get::<Option<i64>, _>("earlier_admissions")?
            .unwrap_or(0),
        documents_false: r.try_get::<Option<i64>, _>("documents_false")? == Some(1),
        first_note: r.try_get("first_note")?,
        second_reviewer: r.try_get("second_reviewer")?,
        second_reviewer_name: r.try_get("second_reviewer_name")?,
        second_reviewed_at: r.try_get("second_reviewed_at")?,
        decided_on: r.try_get("decided_on")?,
        facts_json: r.try_get("facts_json")?,
        payout_fen: r.try_get("payout_fen")?,
        reason: r.try_get("reason")?,
        explanation_json: r.try_get("explanation_json")?,
        run_window_start: r.try_get("run_window_start")?,
        payment_run_number: r.try_get("payment_run_number")?,
        paid_at: r.try_get("paid_at")?,
    })
}

/// 经办人: who files for the resident, identified by their ID number.
#[derive(Debug, Clone, Default)]
pub struct FilingAgent {
    pub name: String,
    pub id_number: String,
    /// self, spouse, parent, child, relative, other.
    pub relation: String,
}

pub const RELATIONS: [&str; 6] = ["self", "spouse", "parent", "child", "relative", "other"];

pub struct NewClaim {
    pub person_id: i64,
    pub kind: ClaimKind,
    pub care_from: NaiveDate,
    pub care_to: NaiveDate,
    pub hospital: String,
    pub hospital_grade: HospitalGrade,
    pub billed: Money,
    pub disease: Option<Disease>,
    pub agent: FilingAgent,
    pub bank_account: String,
    pub account_name: String,
    /// The form's one-time key: a retried or double-clicked submission
    /// returns the claim already filed.
    pub request_key: String,
}

fn check_claim(c: &NewClaim, person: &households::Person, today: NaiveDate) -> Result<()> {
    if !FILED_KINDS.contains(&c.kind) {
        return Err(Error::Invalid("kind"));
    }
    if c.care_from > c.care_to {
        return Err(Error::Invalid("care_dates"));
    }
    if c.care_to > today {
        return Err(Error::Invalid("care_in_future"));
    }
    let hospital = c.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::Invalid("hospital"));
    }
    if c.billed <= Money::zero() {
        return Err(Error::Invalid("billed"));
    }
    let agent_name = c.agent.name.trim();
    if agent_name.is_empty() || agent_name.chars().count() > 50 {
        return Err(Error::Invalid("agent_name"));
    }
    policy::idcard::check(c.agent.id_number.trim())
        .map_err(|_| Error::Invalid("agent_id_number"))?;
    if !RELATIONS.contains(&c.agent.relation.as_str()) {
        return Err(Error::Invalid("agent_relation"));
    }
    let account = c.bank_account.trim();
    if !(10..=30).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Invalid("bank_account"));
    }
    if c.account_name.trim().is_empty() {
        return Err(Error::Invalid("account_name"));
    }
    match c.kind {
        ClaimKind::SpecialOutpatient => {
            if c.disease.is_none() {
                return Err(Error::Invalid("disease"));
            }
            // Special-disease care is claimed month by month (B18).
            if (c.care_from.year(), c.care_from.month()) != (c.care_to.year(), c.care_to.month()) {
                return Err(Error::Invalid("special_claim_one_month"));
            }
        }
        ClaimKind::StudentAccident if person.school_code.is_none() => {
            return Err(Error::Invalid("not_a_pupil"));
        }
        _ => {}
    }
    if c.request_key.trim().is_empty() {
        return Err(Error::Invalid("request_key"));
    }
    Ok(())
}

/// Files a claim for a member of the resident's household. A special-disease
/// claim needs the treatment approved first (M23); an emergency is linked to
/// its report (M21, M22), which the decision reads.
pub async fn file(db: &Db, actor: &Actor, c: NewClaim, today: NaiveDate) -> Result<Claim> {
    let person = own_member(db, actor, c.person_id).await?;
    if let Some(number) =
        sqlx::query_scalar::<_, String>("SELECT number FROM claims WHERE request_key = $1")
            .bind(c.request_key.trim())
            .fetch_optional(&db.pool)
            .await?
    {
        return get(db, actor, &number).await;
    }
    check_claim(&c, &person, today)?;
    let household_id = person.household_id.ok_or(Error::Invalid("household"))?;
    if let (ClaimKind::SpecialOutpatient, Some(disease)) = (c.kind, c.disease) {
        if !disease_approved(&approvals_of(db, c.person_id).await?, disease, c.care_from) {
            return Err(Error::Invalid("special_disease_not_approved"));
        }
    }
    let report = if is_emergency(c.kind) {
        matching_report(
            &reports_of(db, c.person_id).await?,
            c.kind,
            c.care_from,
            c.care_to,
        )
        .map(|r| r.id)
    } else {
        None
    };
    let mut tx = db.begin_write().await?;
    let number = numbering::next(&mut tx, Series::Claim, today.year()).await?;
    let at = now_ms();
    let inserted: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO claims (number, person_id, household_id, county_code, kind, care_from, care_to, hospital,
             hospital_grade, billed_fen, disease, emergency_report_id, agent_name, agent_id_number, agent_relation,
             bank_account, account_name, request_key, filed_by, filed_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 'filed')
         RETURNING id",
    )
    .bind(&number)
    .bind(c.person_id)
    .bind(household_id)
    .bind(&person.county_code)
    .bind(c.kind.code())
    .bind(c.care_from.to_string())
    .bind(c.care_to.to_string())
    .bind(c.hospital.trim())
    .bind(i64::from(u8::from(c.hospital_grade)))
    .bind(c.billed.fen())
    .bind(c.disease.map(|d| d.code()))
    .bind(report)
    .bind(c.agent.name.trim())
    .bind(c.agent.id_number.trim().to_ascii_uppercase())
    .bind(&c.agent.relation)
    .bind(c.bank_account.trim())
    .bind(c.account_name.trim())
    .bind(c.request_key.trim())
    .bind(actor.user_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // The same form submitted twice at once: the other one filed it.
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            drop(tx);
            let number: String =
                sqlx::query_scalar("SELECT number FROM claims WHERE request_key = $1")
                    .bind(c.request_key.trim())
                    .fetch_one(&db.pool)
                    .await?;
            return get(db, actor, &number).await;
        }
        Err(e) => return Err(e.into()),
    };
    event(&mut tx, id, "filed", Some(actor.user_id), None).await?;
    audit_change(&mut tx, actor, "claim.file", "claim", &number, json!({
        "person_id": c.person_id, "kind": c.kind.code(), "care_from": c.care_from.to_string(),
        "care_to": c.care_to.to_string(), "hospital": c.hospital.trim(), "billed_fen": c.billed.fen(),
        "disease": c.disease.map(|d| d.code()), "agent_id_number": c.agent.id_number.trim(),
        "agent_relation": c.agent.relation, "emergency_report_id": report,
    }))
    .await?;
    tx.commit().await?;
    get(db, actor, &number).await
}

fn matching_report(
    reports: &[EmergencyReport],
    kind: ClaimKind,
    care_from: NaiveDate,
    care_to: NaiveDate,
) -> Option<&EmergencyReport> {
    reports
        .iter()
        .filter(|r| r.kind == kind.code())
        .filter(|r| {
            r.occurred_on
                .parse::<NaiveDate>()
                .is_ok_and(|on| on >= care_from && on <= care_to)
        })
        .min_by_key(|r| r.days_after)
}

/// A claim the actor may see: the resident's household, or the agency of its county.
pub async fn get(db: &Db, actor: &Actor, number: &str) -> Result<Claim> {
    let sql = format!("{CLAIM_SELECT} WHERE c.number = $1");
    let row = sqlx::query(&sql)
        .bind(number)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    let claim = claim_from_row(&row)?;
    let mine = actor.role == Role::Resident && actor.household_id == Some(claim.household_id);
    if mine || agency_sees(actor, &claim.county_code) {
        Ok(claim)
    } else {
        Err(Error::Forbidden)
    }
}

/// The claims of the resident's household, newest first.
pub async fn household_claims(db: &Db, actor: &Actor) -> Result<Vec<Claim>> {
    let household = actor.household_id.ok_or(Error::Forbidden)?;
    let sql = format!("{CLAIM_SELECT} WHERE c.household_id = $1 ORDER BY c.id DESC");
    let rows = sqlx::query(&sql)
        .bind(household)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(claim_from_row)
        .collect::<sqlx::Result<_>>()?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub step: String,
    pub by_name: Option<String>,
    pub at_ms: i64,
    pub note: Option<String>,
}

/// Every step of a claim, in order: its timeline.
pub async fn events(db: &Db, claim_id: i64) -> Result<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT e.step, u.display_name AS by_name, e.at_ms, e.note FROM claim_events e
         LEFT JOIN users u ON u.id = e.by_user WHERE e.claim_id = $1 ORDER BY e.id",
    )
    .bind(claim_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                step: r.try_get("step")?,
                by_name: r.try_get("by_name")?,
                at_ms: r.try_get("at_ms")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// The documents of a claim, oldest first.
pub async fn documents_of(db: &Db, claim_id: i64) -> Result<Vec<Document>> {
    let rows = sqlx::query(
        "SELECT id, sha256, content_type, size_bytes, household_id, person_id, pre_registration_member_id,
             evidence_code, claim_id, uploaded_by, uploaded_at FROM documents WHERE claim_id = $1 ORDER BY id",
    )
    .bind(claim_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(documents::from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// The document kinds a claim still lacks.
pub async fn missing_documents(db: &Db, claim: &Claim) -> Result<Vec<&'static str>> {
    missing_among(claim, &documents_of(db, claim.id).await?)
}

/// The document kinds a claim lacks, among the documents it has.
pub fn missing_among(claim: &Claim, have: &[Document]) -> Result<Vec<&'static str>> {
    Ok(required_documents(claim.claim_kind()?)
        .iter()
        .copied()
        .filter(|k| !have.iter().any(|d| d.evidence_code.as_deref() == Some(*k)))
        .collect())
}

/// Adds a photo or scan to a claim still waiting for review. The same bytes
/// for the same claim and kind are the same document: a retried upload
/// (a lost connection, a second tap) adds nothing. Returns the document and
/// whether it is new.
pub async fn attach_document(
    db: &Db,
    store: &Store,
    actor: &Actor,
    number: &str,
    kind: &str,
    bytes: Vec<u8>,
    max_bytes: usize,
) -> Result<(Document, bool)> {
    let claim = get(db, actor, number).await?;
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(Error::Invalid("document_kind"));
    }
    if claim.status != "filed" {
        return Err(Error::Conflict("claim_under_review"));
    }
    let stored = documents::check_and_store(store, bytes, max_bytes).await?;
    let purpose = Purpose {
        household_id: claim.household_id,
        person_id: Some(claim.person_id),
        evidence_code: Some(kind.to_string()),
        claim_id: Some(claim.id),
        ..Default::default()
    };
    let mut tx = db.begin_write().await?;
    let (id, fresh) = documents::record_in(&mut tx, actor, &stored, &purpose).await?;
    tx.commit().await?;
    let doc = documents_of(db, claim.id)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(Error::NotFound)?;
    Ok((doc, fresh))
}

/// Whether the claim already holds this document (by hash): lets a phone
/// that lost its connection skip what already arrived.
pub async fn has_document(db: &Db, actor: &Actor, number: &str, sha256: &str) -> Result<bool> {
    let claim = get(db, actor, number).await?;
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE claim_id = $1 AND sha256 = $2")
            .bind(claim.id)
            .bind(sha256.to_ascii_lowercase())
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

// ---------------------------------------------------------------------------
// Facts and decisions

/// What the reviewer establishes from the documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFacts {
    pub in_catalogue: Money,
    pub hospital_grade: HospitalGrade,
    pub cause: Option<Cause>,
    pub minor_blood_disease: bool,
    /// Admissions this year settled by designated hospitals (B13), which the
    /// portal does not hold, counted before this one.
    pub earlier_admissions: u32,
}

/// SQL: the person in column `person` is suspended for fraud (M29) on the
/// day bound at `day` (`YYYY-MM-DD`, which orders as text): from `from_on`
/// included to `until_on` excluded, or open while unrepaid.
pub(crate) fn suspended_sql(person: &str, day: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM suspensions s WHERE s.person_id = {person} AND s.from_on <= {day}
             AND (s.until_on IS NULL OR s.until_on > {day}))"
    )
}

/// Whether the person's benefits are suspended for fraud on `date` (M29).
pub async fn suspended_on(db: &Db, person_id: i64, date: NaiveDate) -> Result<bool> {
    let sql = format!(
        "SELECT CASE WHEN {} THEN 1 ELSE 0 END",
        suspended_sql("$1", "$2")
    );
    let suspended: i64 = sqlx::query_scalar(&sql)
        .bind(person_id)
        .bind(date.to_string())
        .fetch_one(&db.pool)
        .await?;
    Ok(suspended == 1)
}

fn has_admission(kind: &str) -> bool {
    matches!(
        kind,
        "transfer" | "nondesignated_emergency" | "student_accident"
    )
}

/// The facts the policy engine decides a claim on, read from the records.
pub async fn derive_facts(
    db: &Db,
    rules: &Rules,
    claim: &Claim,
    review: &ReviewFacts,
) -> Result<ClaimFacts> {
    let kind = claim.claim_kind()?;
    let care_from = day(&claim.care_from)?;
    let care_to = day(&claim.care_to)?;
    let year = care_to.year();
    let params = rules.year(year).map_err(|e| Error::Invalid(e.code()))?;

    // Cover and continuous years on the day of care, from the payments.
    let paid = payments::paid_years_of(db, claim.person_id).await?;
    let covered_by_payment = contribution::is_covered_on(rules, &paid, care_from)
        .map_err(|e| Error::Invalid(e.code()))?;
    let years: Vec<i32> = paid.iter().map(|p| p.year).collect();
    let first = contribution::first_enrolled_year(&years, care_from.year());
    let continuous_years = contribution::payment_status_with(rules, first, &paid, care_from, false)
        .map_err(|e| Error::Invalid(e.code()))?
        .continuous_years;
    let suspended = suspended_on(db, claim.person_id, care_from).await?;

    // The person's other decided or pending claims of the same year.
    let rows = sqlx::query(
        "SELECT id, kind, care_from, care_to, status, disease, payout_fen FROM claims
         WHERE person_id = $1 AND status <> 'refused' ORDER BY care_from, id",
    )
    .bind(claim.person_id)
    .fetch_all(&db.pool)
    .await?;
    let mut stays = Vec::new();
    let mut this_stay = None;
    let (mut general, mut sublimit, mut student) = (Money::zero(), Money::zero(), Money::zero());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let other_kind: String = r.try_get("kind")?;
        let from = day(&r.try_get::<String, _>("care_from")?)?;
        let to = day(&r.try_get::<String, _>("care_to")?)?;
        if has_admission(&other_kind) {
            if id == claim.id {
                this_stay = Some(stays.len());
            }
            stays.push(Stay {
                admitted: from,
                discharged: to,
            });
        }
        let status: String = r.try_get("status")?;
        if id == claim.id || to.year() != year || !matches!(status.as_str(), "approved" | "paid") {
            continue;
        }
        let payout = Money::from_fen(r.try_get::<Option<i64>, _>("payout_fen")?.unwrap_or(0));
        if other_kind == "student_accident" {
            student += payout;
        } else {
            general += payout;
            let disease: Option<String> = r.try_get("disease")?;
            if disease
                .as_deref()
                .and_then(disease_from_code)
                .is_some_and(|d| params.special_outpatient.sub_limited.contains(&d))
            {
                sublimit += payout;
            }
        }
    }
    let ordinal = match this_stay {
        Some(index) => benefit::admission_ordinals(params.long_stay.months, &stays)
            .map_err(|e| Error::Invalid(e.code()))?
            .into_iter()
            .rev()
            .find(|a| a.stay == index)
            .map_or(1, |a| a.ordinal.get()),
        None => 1,
    };
    let ordinal = NonZeroU32::new(ordinal.saturating_add(review.earlier_admissions))
        .unwrap_or(NonZeroU32::MIN);

    let filed_within_days = if is_emergency(kind) {
        matching_report(
            &reports_of(db, claim.person_id).await?,
            kind,
            care_from,
            care_to,
        )
        .and_then(|r| u32::try_from(r.days_after).ok())
    } else {
        None
    };
    let transfer_ok = kind == ClaimKind::Transfer
        && transfer_approved(
            &approvals_of(db, claim.person_id).await?,
            care_from,
            care_to,
        );

    Ok(ClaimFacts {
        kind,
        in_catalogue: review.in_catalogue,
        hospital_grade: review.hospital_grade,
        admission_ordinal: ordinal,
        continuous_years,
        minor_blood_disease: review.minor_blood_disease,
        cause: review.cause,
        transfer_approved: transfer_ok,
        filed_within_days,
        disease: claim.disease.as_deref().and_then(disease_from_code),
        covered: covered_by_payment && !suspended,
        paid_ytd_general: general,
        paid_ytd_sublimit: sublimit,
        paid_ytd_student_accident: student,
    })
}

/// The year whose parameters decide a claim: its discharge year (B5).
pub fn claim_year(claim: &Claim) -> Result<i32> {
    Ok(day(&claim.care_to)?.year())
}

fn grade_of(n: i64) -> Result<HospitalGrade> {
    u8::try_from(n)
        .ok()
        .and_then(|g| HospitalGrade::try_from(g).ok())
        .ok_or(Error::Invalid("hospital_grade"))
}

/// What the claim would pay before review, if all the bill were in the
/// catalogue: an upper bound with its explanation, shown to the resident.
pub async fn estimate(db: &Db, rules: &Rules, claim: &Claim) -> Result<benefit::BenefitDecision> {
    let review = ReviewFacts {
        in_catalogue: Money::from_fen(claim.in_catalogue_fen.unwrap_or(claim.billed_fen)),
        hospital_grade: grade_of(claim.hospital_grade)?,
        cause: claim.cause.as_deref().and_then(cause_from_code),
        minor_blood_disease: claim.minor_blood_disease,
        earlier_admissions: u32::try_from(claim.earlier_admissions).unwrap_or(0),
    };
    let facts = derive_facts(db, rules, claim, &review).await?;
    let params = rules
        .year(claim_year(claim)?)
        .map_err(|e| Error::Invalid(e.code()))?;
    Ok(benefit::decide(params, &facts))
}

fn reviewer(actor: &Actor, claim: &Claim) -> Result<()> {
    if !matches!(actor.role, Role::AgencyReviewer | Role::AgencyAdmin) {
        return Err(Error::Forbidden);
    }
    if !agency_sees(actor, &claim.county_code) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// The first review (初审): the documents are checked, the in-catalogue
/// amount and the facts entered, or the documents found false.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstReview {
    pub facts: ReviewFacts,
    pub documents_false: bool,
    pub note: String,
}

pub async fn first_review(db: &Db, actor: &Actor, number: &str, r: FirstReview) -> Result<Claim> {
    let claim = get(db, actor, number).await?;
    reviewer(actor, &claim)?;
    if claim.status != "filed" {
        return Err(Error::Conflict("claim_state_changed"));
    }
    if r.facts.in_catalogue > Money::from_fen(claim.billed_fen)
        || r.facts.in_catalogue.is_negative()
    {
        return Err(Error::Invalid("in_catalogue"));
    }
    if !r.documents_false && !missing_documents(db, &claim).await?.is_empty() {
        return Err(Error::Invalid("documents_missing"));
    }
    if r.documents_false && r.note.trim().is_empty() {
        return Err(Error::Invalid("reason_required"));
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE claims SET status = 'second_review', first_reviewer = $1, first_reviewed_at = $2,
             in_catalogue_fen = $3, hospital_grade = $4, cause = $5, minor_blood_disease = $6,
             earlier_admissions = $7, documents_false = $8, first_note = $9
         WHERE id = $10 AND status = 'filed'",
    )
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(r.facts.in_catalogue.fen())
    .bind(i64::from(u8::from(r.facts.hospital_grade)))
    .bind(r.facts.cause.map(|c| c.code()))
    .bind(i64::from(r.facts.minor_blood_disease))
    .bind(i64::from(r.facts.earlier_admissions))
    .bind(i64::from(r.documents_false))
    .bind(r.note.trim())
    .bind(claim.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("claim_state_changed"));
    }
    let note = r.note.trim();
    event(
        &mut tx,
        claim.id,
        "first_review",
        Some(actor.user_id),
        (!note.is_empty()).then_some(note),
    )
    .await?;
    audit_change(&mut tx, actor, "claim.first_review", "claim", number, json!({
        "in_catalogue_fen": r.facts.in_catalogue.fen(), "hospital_grade": u8::from(r.facts.hospital_grade),
        "cause": r.facts.cause.map(|c| c.code()), "minor_blood_disease": r.facts.minor_blood_disease,
        "earlier_admissions": r.facts.earlier_admissions, "documents_false": r.documents_false, "note": note,
    }))
    .await?;
    tx.commit().await?;
    get(db, actor, number).await
}

/// Why a claim pays nothing, as a code the pages translate: the policy
/// engine's reason, false documents, or an amount that nothing is left of.
fn refusal_reason(decision: &benefit::BenefitDecision) -> Option<&'static str> {
    match (decision.reason, decision.capped_by) {
        (Some(r), _) => Some(r.code()),
        _ if decision.payout > Money::zero() => None,
        (None, Some(_)) => Some("cap_reached"),
        (None, None) => Some("below_deductible"),
    }
}

/// The second review (复审) by another reviewer: confirm, and the decision
/// is taken by the policy engine and stored with its facts; or send the
/// claim back to the first review with a note.
pub async fn second_review(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    number: &str,
    confirm: bool,
    note: &str,
    today: NaiveDate,
) -> Result<Claim> {
    let claim = get(db, actor, number).await?;
    reviewer(actor, &claim)?;
    if claim.status != "second_review" {
        return Err(Error::Conflict("claim_state_changed"));
    }
    if claim.first_reviewer == Some(actor.user_id) {
        return Err(Error::Conflict("same_reviewer"));
    }
    let note = note.trim();
    if !confirm {
        if note.is_empty() {
            return Err(Error::Invalid("reason_required"));
        }
        let mut tx = db.begin_write().await?;
        let done = sqlx::query(
            "UPDATE claims SET status = 'filed', first_reviewer = NULL, first_reviewed_at = NULL,
                 in_catalogue_fen = NULL, cause = NULL, minor_blood_disease = NULL, earlier_admissions = NULL,
                 documents_false = NULL, first_note = NULL
             WHERE id = $1 AND status = 'second_review'",
        )
        .bind(claim.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Conflict("claim_state_changed"));
        }
        event(
            &mut tx,
            claim.id,
            "returned",
            Some(actor.user_id),
            Some(note),
        )
        .await?;
        audit_change(
            &mut tx,
            actor,
            "claim.return",
            "claim",
            number,
            json!({ "note": note }),
        )
        .await?;
        tx.commit().await?;
        return get(db, actor, number).await;
    }

    let kind = claim.claim_kind()?;
    let mut tx = db.begin_write().await?;
    lock_person(db, &mut tx, claim.person_id).await?;
    let (status, payout, reason, facts_json, explanation, window) = if claim.documents_false {
        // M29(一): the whole claim is refused and benefits are suspended.
        let s = fraud::suspension(rules, FraudCase::FoundAtReview { found_on: today })
            .map_err(|e| Error::Invalid(e.code()))?;
        insert_suspension(
            &mut tx,
            actor,
            claim.person_id,
            claim.id,
            "found_at_review",
            &s,
            0,
            None,
        )
        .await?;
        (
            "refused",
            0,
            Some("documents_false"),
            None,
            s.explanation,
            None,
        )
    } else {
        let review = ReviewFacts {
            in_catalogue: Money::from_fen(claim.in_catalogue_fen.unwrap_or(0)),
            hospital_grade: grade_of(claim.hospital_grade)?,
            cause: claim.cause.as_deref().and_then(cause_from_code),
            minor_blood_disease: claim.minor_blood_disease,
            earlier_admissions: u32::try_from(claim.earlier_admissions).unwrap_or(0),
        };
        let facts = derive_facts(db, rules, &claim, &review).await?;
        let params = rules
            .year(claim_year(&claim)?)
            .map_err(|e| Error::Invalid(e.code()))?;
        let decision = benefit::decide(params, &facts);
        let reason = refusal_reason(&decision);
        let window = match reason {
            None => Some(
                payment_run::window_start(rules, RunKind::for_claim(kind), today)
                    .map_err(|e| Error::Invalid(e.code()))?
                    .to_string(),
            ),
            Some(_) => None,
        };
        let facts_json = serde_json::to_string(&facts).map_err(|_| Error::Invalid("facts"))?;
        (
            if reason.is_none() {
                "approved"
            } else {
                "refused"
            },
            decision.payout.fen(),
            reason,
            Some(facts_json),
            decision.explanation,
            window,
        )
    };
    let explanation_json = serde_json::to_string(&explanation).unwrap_or_default();
    let done = sqlx::query(
        "UPDATE claims SET status = $1, second_reviewer = $2, second_reviewed_at = $3, decided_on = $4,
             facts_json = $5, payout_fen = $6, reason = $7, explanation_json = $8, run_window_start = $9
         WHERE id = $10 AND status = 'second_review' AND first_reviewer <> $2",
    )
    .bind(status)
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(today.to_string())
    .bind(&facts_json)
    .bind(payout)
    .bind(reason)
    .bind(&explanation_json)
    .bind(&window)
    .bind(claim.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict("claim_state_changed"));
    }
    event(
        &mut tx,
        claim.id,
        status,
        Some(actor.user_id),
        (!note.is_empty()).then_some(note),
    )
    .await?;
    audit_change(
        &mut tx,
        actor,
        "claim.decide",
        "claim",
        number,
        json!({
            "status": status, "payout_fen": payout, "reason": reason, "facts": facts_json,
            "run_window_start": window, "note": note,
        }),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, number).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_suspension(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    person_id: i64,
    claim_id: i64,
    case: &str,
    s: &fraud::Suspension,
    amount_fen: i64,
    fraud_on: Option<NaiveDate>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO suspensions (person_id, claim_id, fraud_case, from_on, until_on, amount_fen, fraud_on,
             explanation_json, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(person_id)
    .bind(claim_id)
    .bind(case)
    .bind(s.from.to_string())
    .bind(s.until.map(|d| d.to_string()))
    .bind(amount_fen)
    .bind(fraud_on.map(|d| d.to_string()))
    .bind(serde_json::to_string(&s.explanation).unwrap_or_default())
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?;
    audit_change(
        tx,
        actor,
        "fraud.suspend",
        "suspension",
        id,
        json!({
            "person_id": person_id, "claim_id": claim_id, "case": case, "from": s.from.to_string(),
            "until": s.until.map(|d| d.to_string()), "amount_fen": amount_fen,
        }),
    )
    .await?;
    Ok(id)
}

// ---------------------------------------------------------------------------
// Fraud found after payment (M29 二, 三)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionRow {
    pub id: i64,
    pub person_id: i64,
    pub claim_number: String,
    pub fraud_case: String,
    pub from_on: String,
    pub until_on: Option<String>,
    pub amount_fen: i64,
    pub fraud_on: Option<String>,
    pub repaid_on: Option<String>,
    pub interest_fen: Option<i64>,
    pub interest_rate: Option<String>,
    pub explanation_json: String,
}

/// The suspensions of a person, oldest first.
pub async fn suspensions(db: &Db, person_id: i64) -> Result<Vec<SuspensionRow>> {
    let rows = sqlx::query(
        "SELECT s.*, c.number AS claim_number FROM suspensions s JOIN claims c ON c.id = s.claim_id
         WHERE s.person_id = $1 ORDER BY s.id",
    )
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SuspensionRow {
                id: r.try_get("id")?,
                person_id: r.try_get("person_id")?,
                claim_number: r.try_get("claim_number")?,
                fraud_case: r.try_get("fraud_case")?,
                from_on: r.try_get("from_on")?,
                until_on: r.try_get("until_on")?,
                amount_fen: r.try_get("amount_fen")?,
                fraud_on: r.try_get("fraud_on")?,
                repaid_on: r.try_get("repaid_on")?,
                interest_fen: r.try_get("interest_fen")?,
                interest_rate: r.try_get("interest_rate")?,
                explanation_json: r.try_get("explanation_json")?,
            })
        })
        .collect()
}

pub enum AfterPayment {
    /// Refunded in full within the term: suspended for `months` (3–6).
    Refunded { refunded_on: NaiveDate, months: u32 },
    /// Not refunded: suspended until repaid with interest.
    NotRefunded,
}

/// The agency records fraud found after a claim was paid (M29 二, 三).
pub async fn fraud_after_payment(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    number: &str,
    fraud_on: NaiveDate,
    confirmed_on: NaiveDate,
    case: AfterPayment,
) -> Result<SuspensionRow> {
    let claim = get(db, actor, number).await?;
    if actor.role != Role::AgencyAdmin || !agency_sees(actor, &claim.county_code) {
        return Err(Error::Forbidden);
    }
    if claim.status != "paid" {
        return Err(Error::Conflict("claim_not_paid"));
    }
    let (code, fraud_case) = match case {
        AfterPayment::Refunded {
            refunded_on,
            months,
        } => (
            "refunded",
            FraudCase::Refunded {
                confirmed_on,
                refunded_on,
                months,
            },
        ),
        AfterPayment::NotRefunded => ("not_refunded", FraudCase::NotRefunded { confirmed_on }),
    };
    let s = fraud::suspension(rules, fraud_case).map_err(|e| Error::Invalid(e.code()))?;
    let mut tx = db.begin_write().await?;
    let id = insert_suspension(
        &mut tx,
        actor,
        claim.person_id,
        claim.id,
        code,
        &s,
        claim.payout_fen.unwrap_or(0),
        Some(fraud_on),
    )
    .await?;
    if let AfterPayment::Refunded { refunded_on, .. } = case {
        sqlx::query("UPDATE suspensions SET repaid_on = $1, interest_fen = 0 WHERE id = $2")
            .bind(refunded_on.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    event(&mut tx, claim.id, "fraud", Some(actor.user_id), Some(code)).await?;
    tx.commit().await?;
    suspensions(db, claim.person_id)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(Error::NotFound)
}

pub const INTEREST_RATE_KEY: &str = "fraud_interest_rate";

/// The bank deposit rate the administrator set for M29 interest (0.0035 = 0.35 %).
pub async fn interest_rate(db: &Db) -> Result<Option<Decimal>> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM portal_settings WHERE key = $1")
        .bind(INTEREST_RATE_KEY)
        .fetch_optional(&db.pool)
        .await?;
    Ok(v.and_then(|v| v.parse().ok()))
}

pub async fn set_interest_rate(db: &Db, actor: &Actor, rate: Decimal) -> Result<()> {
    if actor.role != Role::AgencyAdmin || !actor.is_league() {
        return Err(Error::Forbidden);
    }
    if rate < Decimal::ZERO || rate > Decimal::ONE {
        return Err(Error::Invalid("interest_rate"));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO portal_settings (key, value, set_by, set_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(INTEREST_RATE_KEY)
    .bind(rate.normalize().to_string())
    .bind(actor.user_id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        actor,
        "settings.interest_rate",
        "portal_setting",
        INTEREST_RATE_KEY,
        json!({
            "value": rate.normalize().to_string(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The money of an unrefunded fraud comes back with interest from the day
/// of the fraud at the administrator's rate; benefits resume the next day.
/// Returns the interest charged.
pub async fn record_repayment(
    db: &Db,
    actor: &Actor,
    suspension_id: i64,
    repaid_on: NaiveDate,
) -> Result<Money> {
    if actor.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    let rate = interest_rate(db)
        .await?
        .ok_or(Error::Invalid("interest_rate_unset"))?;
    let row: Option<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT fraud_case, amount_fen, fraud_on, repaid_on FROM suspensions WHERE id = $1",
    )
    .bind(suspension_id)
    .fetch_optional(&db.pool)
    .await?;
    let (case, amount, fraud_on, repaid) = row.ok_or(Error::NotFound)?;
    if case != "not_refunded" || repaid.is_some() {
        return Err(Error::Conflict("already_repaid"));
    }
    let from = day(&fraud_on.ok_or(Error::Invalid("fraud_on"))?)?;
    let interest = fraud::interest(Money::from_fen(amount), rate, from, repaid_on);
    let resume = repaid_on.succ_opt().ok_or(Error::Invalid("date"))?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE suspensions SET repaid_on = $1, interest_fen = $2, interest_rate = $3, until_on = $4
         WHERE id = $5 AND repaid_on IS NULL",
    )
    .bind(repaid_on.to_string())
    .bind(interest.fen())
    .bind(rate.normalize().to_string())
    .bind(resume.to_string())
    .bind(suspension_id)
    .execute(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        actor,
        "fraud.repaid",
        "suspension",
        suspension_id,
        json!({
            "repaid_on": repaid_on.to_string(), "interest_fen": interest.fen(),
            "rate": rate.normalize().to_string(), "until": resume.to_string(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(interest)
}

// ---------------------------------------------------------------------------
// The review queue

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub number: String,
    pub person_name: String,
    pub kind: String,
    pub care_to: String,
    pub billed_fen: i64,
    pub filed_at: i64,
    pub status: String,
    pub first_reviewer: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Waiting for the first review.
    First,
    /// Waiting for the second review.
    Second,
}

impl Stage {
    fn status(self) -> &'static str {
        match self {
            Stage::First => "filed",
            Stage::Second => "second_review",
        }
    }
}

pub const QUEUE_PAGE: i64 = 50;

/// One page of the claims waiting at a stage, oldest first, after the claim
/// with id `after` (0 for the first page), in the agency user's county, and
/// how many wait in all. Pages follow the key, not an OFFSET, so the
/// hundredth page costs what the first does.
pub async fn review_queue(
    db: &Db,
    actor: &Actor,
    stage: Stage,
    after: i64,
) -> Result<(Vec<QueueRow>, i64)> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone();
    let (filter, binds): (&str, Vec<String>) = match &county {
        Some(c) => (
            "c.status = $1 AND c.county_code = $2",
            vec![stage.status().into(), c.clone()],
        ),
        None => ("c.status = $1", vec![stage.status().into()]),
    };
    let count_sql = format!("SELECT COUNT(*) FROM claims c WHERE {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b.clone());
    }
    let total = count.fetch_one(&db.pool).await?;
    let n = binds.len();
    let sql = format!(
        "SELECT c.id, c.number, p.name AS person_name, c.kind, c.care_to, c.billed_fen, c.filed_at, c.status, c.first_reviewer
         FROM claims c JOIN persons p ON p.id = c.person_id WHERE {filter} AND c.id > ${}
         ORDER BY c.id LIMIT ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q
        .bind(after.max(0))
        .bind(QUEUE_PAGE)
        .fetch_all(&db.pool)
        .await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(QueueRow {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                person_name: r.try_get("person_name")?,
                kind: r.try_get("kind")?,
                care_to: r.try_get("care_to")?,
                billed_fen: r.try_get("billed_fen")?,
                filed_at: r.try_get("filed_at")?,
                status: r.try_get("status")?,
                first_reviewer: r.try_get("first_reviewer")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((list, total))
}

/// What waits for the agency user: claims at each review, approval
/// requests, and approved claims not yet in a payment run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    pub first_review: i64,
    pub second_review: i64,
    pub approvals: i64,
    pub to_pay: i64,
}

pub async fn work(db: &Db, actor: &Actor) -> Result<Work> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let county = actor.county_code.clone().unwrap_or_default();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM claims WHERE status IN ('filed', 'second_review', 'approved')
             AND ($1 = '' OR county_code = $1) AND payment_run_id IS NULL GROUP BY status",
    )
    .bind(&county)
    .fetch_all(&db.pool)
    .await?;
    let count = |s: &str| rows.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    let approvals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM prior_approvals a JOIN persons p ON p.id = a.person_id
         WHERE a.status = 'requested' AND ($1 = '' OR p.county_code = $1)",
    )
    .bind(&county)
    .fetch_one(&db.pool)
    .await?;
    Ok(Work {
        first_review: count("filed"),
        second_review: count("second_review"),
        approvals,
        to_pay: count("approved"),
    })
}

/// Today's date where the scheme is.
pub fn today() -> NaiveDate {
    local_date(now_ms())
}
