//! Filing a claim with its agent and documents (M24-M26).

use super::*;
use crate::error::{ClaimError, InputError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub number: String,
    pub person_id: i64,
    pub person_name: String,
    pub id_number: String,
    pub household_id: i64,
    pub county_code: String,
    pub kind: ClaimKind,
    pub care_from: NaiveDate,
    pub care_to: NaiveDate,
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
    pub status: ClaimStatus,
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
    pub decided_on: Option<NaiveDate>,
    pub facts_json: Option<String>,
    pub payout_fen: Option<i64>,
    pub reason: Option<String>,
    pub explanation_json: Option<String>,
    pub run_window_start: Option<NaiveDate>,
    pub payment_run_number: Option<String>,
    pub paid_at: Option<i64>,
}

impl Claim {
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
        kind: ClaimKind::from_code(&r.try_get::<String, _>("kind")?)
            .ok_or_else(|| sqlx::Error::Decode("claim kind".into()))?,
        care_from: row::date(r, "care_from")?,
        care_to: row::date(r, "care_to")?,
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
        status: ClaimStatus::from_code(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| sqlx::Error::Decode("claim status".into()))?,
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
        decided_on: row::date_opt(r, "decided_on")?,
        facts_json: r.try_get("facts_json")?,
        payout_fen: r.try_get("payout_fen")?,
        reason: r.try_get("reason")?,
        explanation_json: r.try_get("explanation_json")?,
        run_window_start: row::date_opt(r, "run_window_start")?,
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

pub(super) fn check_claim(
    c: &NewClaim,
    person: &households::Person,
    today: NaiveDate,
) -> Result<()> {
    if !FILED_KINDS.contains(&c.kind) {
        return Err(Error::from(InputError::Kind));
    }
    if c.care_from > c.care_to {
        return Err(Error::from(ClaimError::CareDates));
    }
    if c.care_to > today {
        return Err(Error::from(ClaimError::CareInFuture));
    }
    let hospital = c.hospital.trim();
    if hospital.is_empty() || hospital.chars().count() > 100 {
        return Err(Error::from(ClaimError::Hospital));
    }
    if c.billed <= Money::zero() {
        return Err(Error::from(InputError::Billed));
    }
    let agent_name = c.agent.name.trim();
    if agent_name.is_empty() || agent_name.chars().count() > 50 {
        return Err(Error::from(ClaimError::AgentName));
    }
    policy::idcard::check(c.agent.id_number.trim())
        .map_err(|_| Error::from(ClaimError::AgentIdNumber))?;
    if !RELATIONS.contains(&c.agent.relation.as_str()) {
        return Err(Error::from(ClaimError::AgentRelation));
    }
    let account = c.bank_account.trim();
    if !(10..=30).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::from(ClaimError::BankAccount));
    }
    if c.account_name.trim().is_empty() {
        return Err(Error::from(ClaimError::AccountName));
    }
    match c.kind {
        ClaimKind::SpecialOutpatient => {
            if c.disease.is_none() {
                return Err(Error::from(ClaimError::Disease));
            }
            // Special-disease care is claimed month by month (B18).
            if (c.care_from.year(), c.care_from.month()) != (c.care_to.year(), c.care_to.month()) {
                return Err(Error::from(ClaimError::SpecialClaimOneMonth));
            }
        }
        ClaimKind::StudentAccident if person.school_code.is_none() => {
            return Err(Error::from(ClaimError::NotAPupil));
        }
        _ => {}
    }
    if c.request_key.trim().is_empty() {
        return Err(Error::from(InputError::RequestKey));
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
    let household_id = person
        .household_id
        .ok_or(Error::from(InputError::Household))?;
    if let (ClaimKind::SpecialOutpatient, Some(disease)) = (c.kind, c.disease) {
        if !disease_approved(
            &approvals_of(&db.pool, c.person_id).await?,
            disease,
            c.care_from,
        ) {
            return Err(Error::from(ClaimError::SpecialDiseaseNotApproved));
        }
    }
    let report = if is_emergency(c.kind) {
        matching_report(
            &reports_of(&db.pool, c.person_id).await?,
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

pub(super) fn matching_report(
    reports: &[EmergencyReport],
    kind: ClaimKind,
    care_from: NaiveDate,
    care_to: NaiveDate,
) -> Option<&EmergencyReport> {
    reports
        .iter()
        .filter(|r| r.kind == kind.code())
        .filter(|r| r.occurred_on >= care_from && r.occurred_on <= care_to)
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
    Ok(missing_among(claim, &documents_of(db, claim.id).await?))
}

/// The document kinds a claim lacks, among the documents it has.
pub fn missing_among(claim: &Claim, have: &[Document]) -> Vec<&'static str> {
    required_documents(claim.kind)
        .iter()
        .copied()
        .filter(|k| !have.iter().any(|d| d.evidence_code.as_deref() == Some(*k)))
        .collect()
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
        return Err(Error::from(ClaimError::DocumentKind));
    }
    if claim.status != ClaimStatus::Filed {
        return Err(Error::from(ClaimError::ClaimUnderReview));
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

/// Whether the claim already holds this document (by hash) as `kind` (any
/// kind when `None`): lets a phone that lost its connection skip what
/// already arrived, and only that: the same photo as another kind is a new
/// document.
pub async fn has_document(
    db: &Db,
    actor: &Actor,
    number: &str,
    sha256: &str,
    kind: Option<&str>,
) -> Result<bool> {
    let claim = get(db, actor, number).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE claim_id = $1 AND sha256 = $2
           AND ($3 = '' OR COALESCE(evidence_code, '') = $3)",
    )
    .bind(claim.id)
    .bind(sha256.to_ascii_lowercase())
    .bind(kind.unwrap_or_default())
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// A claim document the resident may still change: the claim is theirs and
/// filed, the first review has not started, the document is the claim's.
async fn changeable_document(
    db: &Db,
    actor: &Actor,
    number: &str,
    document_id: i64,
) -> Result<(Claim, Document)> {
    let claim = get(db, actor, number).await?;
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    if claim.status != ClaimStatus::Filed {
        return Err(Error::from(ClaimError::ClaimUnderReview));
    }
    let doc = documents_of(db, claim.id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or(Error::NotFound)?;
    Ok((claim, doc))
}

/// The guard every change of a claim document carries in its statement:
/// the claim (`$2`) is still filed, so a reviewer who started in between
/// wins and nothing changes.
const STILL_FILED: &str =
    "AND EXISTS (SELECT 1 FROM claims c WHERE c.id = $2 AND c.status = 'filed')";

/// Runs `sql` over the document (`$1`), its claim (`$2`) and the kind
/// (`$3`), with `change` in the audit trail, in one transaction; refused as
/// under review when the guard stops it.
async fn change_document(
    db: &Db,
    actor: &Actor,
    sql: &str,
    (document_id, claim_id, kind): (i64, i64, &str),
    change: Change<'_>,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(&format!("{sql} {STILL_FILED} AND $3 = $3"))
        .bind(document_id)
        .bind(claim_id)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(Error::from(ClaimError::ClaimUnderReview));
    }
    audit::record(&mut tx, By::User(actor), change).await?;
    tx.commit().await?;
    Ok(())
}

/// The resident says a document is another kind (a diagnosis filed as a
/// receipt), until the first review starts. When the claim already holds
/// the same photo as that kind, this row goes: the photo serves once per kind.
pub async fn relabel_document(
    db: &Db,
    actor: &Actor,
    number: &str,
    document_id: i64,
    kind: &str,
) -> Result<()> {
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(Error::from(ClaimError::DocumentKind));
    }
    let (claim, doc) = changeable_document(db, actor, number, document_id).await?;
    if doc.evidence_code.as_deref() == Some(kind) {
        return Ok(());
    }
    let twin = has_document(db, actor, number, &doc.sha256, Some(kind)).await?;
    let sql = if twin {
        "DELETE FROM documents WHERE id = $1 AND claim_id = $2"
    } else {
        "UPDATE documents SET evidence_code = $3 WHERE id = $1 AND claim_id = $2"
    };
    let change = Change {
        action: "document.relabel",
        entity: "document",
        entity_id: doc.id.to_string(),
        before: Some(json!({ "evidence_code": doc.evidence_code, "claim": claim.number })),
        after: Some(json!({ "evidence_code": kind, "merged": twin })),
    };
    change_document(db, actor, sql, (doc.id, claim.id, kind), change).await
}

/// The resident takes a document off the claim (a wrong or blurred photo),
/// until the first review starts. The bytes stay in the store, which names
/// them by hash and may hold them for another row.
pub async fn remove_document(db: &Db, actor: &Actor, number: &str, document_id: i64) -> Result<()> {
    let (claim, doc) = changeable_document(db, actor, number, document_id).await?;
    let change = Change {
        action: "document.remove",
        entity: "document",
        entity_id: doc.id.to_string(),
        before: Some(json!({
            "sha256": doc.sha256, "evidence_code": doc.evidence_code, "claim": claim.number,
        })),
        after: None,
    };
    let sql = "DELETE FROM documents WHERE id = $1 AND claim_id = $2";
    change_document(db, actor, sql, (doc.id, claim.id, ""), change).await
}
