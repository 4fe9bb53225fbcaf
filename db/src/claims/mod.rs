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
use crate::{households, local_date, now_ms, payments, row, Backend, Db, Error, Result};

mod after_payment;
mod approvals;
mod emergency;
mod facts;
mod filing;
mod progress;
mod queue;
mod review;

use crate::error::InputError;
pub use after_payment::*;
pub use approvals::*;
pub use emergency::*;
pub use facts::*;
pub use filing::*;
pub use progress::*;
pub use queue::*;
pub use review::*;

policy::coded! {
    /// Where a claim stands: filed and waiting for the first review (初审),
    /// waiting for the second (复审), decided (approved or refused), paid in a
    /// run. `first_review` is kept for records written before the two steps
    /// were one form each.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClaimStatus {
        Filed = "filed",
        FirstReview = "first_review",
        SecondReview = "second_review",
        Approved = "approved",
        Refused = "refused",
        Paid = "paid",
    }
}

impl ClaimStatus {
    /// Not yet decided by the second review.
    pub fn undecided(self) -> bool {
        matches!(
            self,
            ClaimStatus::Filed | ClaimStatus::FirstReview | ClaimStatus::SecondReview
        )
    }

    /// Decided with a payout: approved, or already paid.
    pub fn pays(self) -> bool {
        matches!(self, ClaimStatus::Approved | ClaimStatus::Paid)
    }
}

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

pub(super) fn day(s: &str) -> Result<NaiveDate> {
    s.parse().map_err(|_| Error::from(InputError::Date))
}

pub(super) fn is_emergency(kind: ClaimKind) -> bool {
    matches!(
        kind,
        ClaimKind::NondesignatedEmergency | ClaimKind::OutpatientEmergency
    )
}

/// Serialises the decisions about one person on PostgreSQL (SQLite's
/// `BEGIN IMMEDIATE` already serialises every writer): two claims decided at
/// once must not both read the same "already paid this year".
pub(super) async fn lock_person(
    db: &Db,
    tx: &mut Transaction<'static, Any>,
    person_id: i64,
) -> Result<()> {
    if db.backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7, CAST($1 AS INTEGER))")
            .bind(person_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub(super) async fn event(
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

pub(super) async fn audit_change(
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
        Change::after(action, entity, id, after),
    )
    .await?;
    Ok(())
}

/// A claim's change of state (see `audit::transition`) with its audit entry.
#[allow(clippy::too_many_arguments)]
pub(super) async fn transition<'q>(
    tx: &mut Transaction<'static, Any>,
    update: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    raced: impl Into<Error>,
    actor: &Actor,
    action: &'static str,
    entity: &'static str,
    id: impl ToString,
    after: serde_json::Value,
) -> Result<()> {
    let change = Change::after(action, entity, id, after);
    audit::transition(tx, update, raced, By::User(actor), change).await?;
    Ok(())
}

/// A resident acts for their own household's members only.
pub(super) async fn own_member(
    db: &Db,
    actor: &Actor,
    person_id: i64,
) -> Result<households::Person> {
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    households::get_person(db, actor, person_id).await
}

pub(super) fn agency_sees(actor: &Actor, county: &str) -> bool {
    actor.role.is_agency() && actor.county_code.as_deref().is_none_or(|c| c == county)
}
