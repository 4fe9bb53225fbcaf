//! Enrolment: an office or school registers a person for a policy year on the
//! terms the policy engine quotes, accepts the documents the tier needs,
//! submits the record, and an agency reviewer of the person's county approves
//! or rejects it (E3–E11, S5; maker-checker, RULES.md §8).
//!
//! Every decision comes from `policy::eligibility::quote` over the person's
//! facts (`persons.facts_json`, the RULES-API `person` object); nothing here
//! re-implements a rule. Every change is one transaction with its audit entry
//! (entity `enrolment`, so `audit::history("enrolment", id)` shows each step).
//!
//! Readings taken here:
//! - The identity number of the `persons` row is the one quoted; birth date
//!   and sex are read from it when the stored facts leave them out.
//! - The terms (category, tier, amounts, evidence asked for, explanation,
//!   parameter version) are fixed at registration; a later submit checks the
//!   documents against the evidence codes of that quote.
//! - "The one who enters a record cannot approve it": whoever entered it,
//!   submitted it or accepted one of its documents cannot approve or reject it.
//! - A rejected record keeps its last rejection (who, when, why) and goes back
//!   to its registering organisation, which may add documents and resubmit.

use std::collections::BTreeSet;

use policy::eligibility::{self, Category, Evidence, PersonFacts, Quote, Registrar, Tier};
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::{EnrolmentError, InputError, Refusal};
use crate::scope::{Actor, Bind, Role};
use crate::{now_ms, Db, Error, Result};

pub type EnrolmentId = i64;

/// Every document code an enrolment may hold: the quote's evidence codes and
/// the documents every registration records (E10).
pub const EVIDENCE_CODES: [&str; 7] = [
    "dibao_certificate",
    "disability_certificate",
    "low_income_proof",
    "temporary_residence_permit",
    "id_card",
    "household_register",
    "photo",
];

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
    }
}

/// The four government parts of the subsidy, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyFen {
    pub central: i64,
    pub region: i64,
    pub league: i64,
    pub county: i64,
}

impl SubsidyFen {
    pub fn total(&self) -> i64 {
        self.central + self.region + self.league + self.county
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub person_id: i64,
    pub id_number: String,
    pub person_name: String,
    /// The person's county (the one whose agency reviews the record).
    pub county_code: String,
    pub policy_year: i32,
    pub category: Category,
    pub tier: Tier,
    pub registrar: Registrar,
    /// The code of the office or school that registered the person.
    pub registrar_org: String,
    pub total_fen: i64,
    pub personal_fen: i64,
    pub subsidy: SubsidyFen,
    /// The version of the policy year's parameters the quote used.
    pub policy_version: i64,
    /// The documents the quote asked for beyond photo, ID card and household register.
    pub evidence_required: Vec<Evidence>,
    /// The quote's explanation: steps citing their articles.
    pub explanation: Value,
    pub status: Status,
    pub entered_by: i64,
    pub entered_at: i64,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<i64>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<i64>,
    pub rejected_by: Option<i64>,
    pub rejected_at: Option<i64>,
    pub rejection_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub id: i64,
    pub enrolment_id: EnrolmentId,
    pub code: String,
    pub sha256: Option<String>,
    pub accepted_by: i64,
    pub accepted_at: i64,
}

/// What `list_for_actor` narrows to, beyond the actor's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub policy_year: Option<i32>,
    pub status: Option<Status>,
    /// Only records registered by this organisation.
    pub registrar_org: Option<String>,
    /// Only this person's records (the enquiry page).
    pub person_id: Option<i64>,
    /// Only the records of this household's persons (its printed form).
    pub household_id: Option<i64>,
    /// Skip this many (paged lists).
    pub offset: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

const COLS: &str = "e.id, e.person_id, p.id_number, p.name AS person_name, p.county_code, e.policy_year, e.category, e.tier,
    e.registrar, e.registrar_org, e.total_fen, e.personal_fen, e.subsidy_central_fen, e.subsidy_region_fen,
    e.subsidy_league_fen, e.subsidy_county_fen, e.policy_version, e.evidence_required, e.explanation_json, e.status,
    e.entered_by, e.entered_at, e.submitted_by, e.submitted_at, e.approved_by, e.approved_at, e.rejected_by,
    e.rejected_at, e.rejection_reason";

fn code_of<T: serde::de::DeserializeOwned>(code: &str) -> sqlx::Result<T> {
    serde_json::from_value(Value::String(code.to_owned()))
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

struct EnrolmentRow(Enrolment);
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for EnrolmentRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        let status: String = row.try_get("status")?;
        let year: i64 = row.try_get("policy_year")?;
        let required: String = row.try_get("evidence_required")?;
        let explanation: String = row.try_get("explanation_json")?;
        Ok(EnrolmentRow(Enrolment {
            id: row.try_get("id")?,
            person_id: row.try_get("person_id")?,
            id_number: row.try_get("id_number")?,
            person_name: row.try_get("person_name")?,
            county_code: row.try_get("county_code")?,
            policy_year: i32::try_from(year).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            category: code_of(&row.try_get::<String, _>("category")?)?,
            tier: code_of(&row.try_get::<String, _>("tier")?)?,
            registrar: code_of(&row.try_get::<String, _>("registrar")?)?,
            registrar_org: row.try_get("registrar_org")?,
            total_fen: row.try_get("total_fen")?,
            personal_fen: row.try_get("personal_fen")?,
            subsidy: SubsidyFen {
                central: row.try_get("subsidy_central_fen")?,
                region: row.try_get("subsidy_region_fen")?,
                league: row.try_get("subsidy_league_fen")?,
                county: row.try_get("subsidy_county_fen")?,
            },
            policy_version: row.try_get("policy_version")?,
            evidence_required: serde_json::from_str(&required).map_err(decode)?,
            explanation: serde_json::from_str(&explanation).map_err(decode)?,
            status: Status::from_code(&status)
                .ok_or_else(|| sqlx::Error::Decode(format!("status {status}").into()))?,
            entered_by: row.try_get("entered_by")?,
            entered_at: row.try_get("entered_at")?,
            submitted_by: row.try_get("submitted_by")?,
            submitted_at: row.try_get("submitted_at")?,
            approved_by: row.try_get("approved_by")?,
            approved_at: row.try_get("approved_at")?,
            rejected_by: row.try_get("rejected_by")?,
            rejected_at: row.try_get("rejected_at")?,
            rejection_reason: row.try_get("rejection_reason")?,
        }))
    }
}

fn rules_error(e: policy::params::RulesError) -> Error {
    Error::from(e)
}

/// The registrar an organisation of the actor's role may act as.
fn registrar_of(actor: &Actor) -> Option<Registrar> {
    match actor.role {
        Role::OfficeAgent => Some(Registrar::CommunityOffice),
        Role::SchoolAgent => Some(Registrar::School),
        _ => None,
    }
}

/// The stored facts as the policy engine's `PersonFacts`: the row's identity
/// number is the one quoted; birth date and sex come from it when left out.
pub(crate) fn person_facts(id_number: &str, facts_json: &str) -> Result<PersonFacts> {
    let mut facts: Value =
        serde_json::from_str(facts_json).map_err(|_| Error::from(InputError::PersonFacts))?;
    let obj = facts
        .as_object_mut()
        .ok_or(Error::from(InputError::PersonFacts))?;
    let id = policy::idcard::check(id_number).map_err(|_| Error::from(InputError::IdNumber))?;
    obj.insert("id_number".into(), json!(id.number));
    obj.entry("birth_date")
        .or_insert_with(|| json!(id.birth_date));
    obj.entry("sex").or_insert_with(|| json!(id.sex));
    serde_json::from_value(facts).map_err(|_| Error::from(InputError::PersonFacts))
}

struct PersonForQuote {
    id_number: String,
    facts_json: String,
}

/// The terms a quote fixes at registration, ready to store.
pub(crate) struct Terms {
    category: Category,
    tier: Tier,
    registrar: Registrar,
    total_fen: i64,
    personal_fen: i64,
    subsidy: SubsidyFen,
    version: i64,
    required: Vec<&'static str>,
    explanation_json: String,
}

/// Asks the policy engine for a person's terms in a year, as the given kind
/// of registrar: a refusal is its reason code, a quote for the other kind
/// of registrar is `wrong_registrar`.
pub(crate) fn terms(
    rules: &Rules,
    policy_year: i32,
    facts: &PersonFacts,
    registrar: Registrar,
) -> Result<Terms> {
    let params = rules.year(policy_year).map_err(rules_error)?;
    let quote = eligibility::quote_on(rules, policy_year, facts, crate::claims::today(), true)
        .map_err(rules_error)?;
    let Quote::Eligible {
        category,
        tier,
        registrar: quoted_registrar,
        total,
        personal,
        subsidy,
        evidence,
        explanation,
        ..
    } = quote
    else {
        let Quote::Refused { reason, .. } = quote else {
            return Err(Error::from(InputError::PersonFacts));
        };
        return Err(Error::from(reason));
    };
    if quoted_registrar != registrar {
        return Err(Error::from(EnrolmentError::WrongRegistrar));
    }
    Ok(Terms {
        category,
        tier,
        registrar,
        total_fen: total.fen(),
        personal_fen: personal.fen(),
        subsidy: SubsidyFen {
            central: subsidy.central.fen(),
            region: subsidy.region.fen(),
            league: subsidy.league.fen(),
            county: subsidy.county.fen(),
        },
        version: i64::from(params.version),
        required: evidence.iter().map(|e| e.code()).collect(),
        explanation_json: serde_json::to_string(&explanation)
            .map_err(|_| Error::from(InputError::Explanation))?,
    })
}

/// Writes a draft enrolment on the given terms inside the caller's
/// transaction, and returns its id with the audit entry that records it
/// (the caller appends the entry, alone or with others of its batch).
pub(crate) async fn insert_draft(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    org: &str,
    person_id: i64,
    policy_year: i32,
    t: &Terms,
) -> Result<(EnrolmentId, Change<'static>)> {
    insert_drafts(tx, actor, org, policy_year, &[(person_id, t)])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Draft rows per INSERT: 13 values each, inside both engines' limits.
const DRAFTS_PER_INSERT: usize = 100;

/// Writes draft enrolments for many persons of one registrar and year, as
/// `insert_draft` would one by one, in few statements (a school's roster
/// holds thousands). Returns ids and audit entries in the order given.
pub(crate) async fn insert_drafts(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    org: &str,
    policy_year: i32,
    drafts: &[(i64, &Terms)],
) -> Result<Vec<(EnrolmentId, Change<'static>)>> {
    let now = now_ms();
    let mut out = Vec::with_capacity(drafts.len());
    for chunk in drafts.chunks(DRAFTS_PER_INSERT) {
        // $1–$4 are shared: year, organisation, who and when.
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (0..13).map(|k| format!("${}", 5 + i * 13 + k)).collect();
                format!(
                    "({}, $1, {}, $2, {}, 'draft', $3, $4)",
                    p[0],
                    p[1..4].join(", "),
                    p[4..].join(", ")
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO enrolments (person_id, policy_year, category, tier, registrar, registrar_org, total_fen, personal_fen,
                 subsidy_central_fen, subsidy_region_fen, subsidy_league_fen, subsidy_county_fen, policy_version,
                 evidence_required, explanation_json, status, entered_by, entered_at)
             VALUES {} RETURNING id, person_id",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(i64::from(policy_year))
            .bind(org)
            .bind(actor.user_id)
            .bind(now);
        for (person_id, t) in chunk {
            q = q
                .bind(*person_id)
                .bind(t.category.code())
                .bind(t.tier.code())
                .bind(t.registrar.code())
                .bind(t.total_fen)
                .bind(t.personal_fen)
                .bind(t.subsidy.central)
                .bind(t.subsidy.region)
                .bind(t.subsidy.league)
                .bind(t.subsidy.county)
                .bind(t.version)
                .bind(json!(t.required).to_string())
                .bind(&t.explanation_json);
        }
        // Two agents at the same moment may both have found no enrolment; the
        // UNIQUE (person_id, policy_year) constraint lets exactly one of them in.
        let rows = q
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| match Error::from(e) {
                Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
                    Error::from(EnrolmentError::AlreadyEnrolled)
                }
                other => other,
            })?;
        // RETURNING promises no order: match the ids by person.
        let mut ids = std::collections::HashMap::with_capacity(rows.len());
        for r in &rows {
            ids.insert(
                r.try_get::<i64, _>("person_id")?,
                r.try_get::<i64, _>("id")?,
            );
        }
        for (person_id, t) in chunk {
            let id = *ids.get(person_id).ok_or(Error::NotFound)?;
            out.push((
                id,
                Change {
                    action: "enrolment.register",
                    entity: "enrolment",
                    entity_id: id.to_string(),
                    before: None,
                    after: Some(json!({
                        "person_id": person_id, "policy_year": policy_year, "category": t.category.code(),
                        "tier": t.tier.code(), "registrar": t.registrar.code(), "registrar_org": org,
                        "total_fen": t.total_fen, "personal_fen": t.personal_fen, "subsidy_fen": t.subsidy,
                        "policy_version": t.version, "evidence_required": t.required, "status": "draft",
                    })),
                },
            ));
        }
    }
    Ok(out)
}

/// Registers a person for a policy year, as a draft, on the terms the policy
/// engine quotes. An office agent registers the residents of its households,
/// a school agent its pupils; the quote's registrar must be the actor's kind
/// of organisation.
pub async fn register(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    person_id: i64,
    policy_year: i32,
) -> Result<EnrolmentId> {
    let registrar = registrar_of(actor).ok_or(Error::Forbidden)?;
    let org = actor.org_code.clone().ok_or(Error::Forbidden)?;
    let person = person_in_scope(db, actor, person_id).await?;
    let facts = person_facts(&person.id_number, &person.facts_json)?;
    let terms = terms(rules, policy_year, &facts, registrar)?;

    let mut tx = db.begin_write().await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM enrolments WHERE person_id = $1 AND policy_year = $2")
            .bind(person_id)
            .bind(i64::from(policy_year))
            .fetch_optional(&mut *tx)
            .await?;
    if existing.is_some() {
        return Err(Error::from(EnrolmentError::AlreadyEnrolled));
    }
    let (id, change) = insert_draft(&mut tx, actor, &org, person_id, policy_year, &terms).await?;
    audit::record(&mut tx, By::User(actor), change).await?;
    tx.commit().await?;
    Ok(id)
}

async fn person_in_scope(db: &Db, actor: &Actor, person_id: i64) -> Result<PersonForQuote> {
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT p.id_number, p.facts_json FROM persons p WHERE p.id = $1 AND ({})",
        clause.sql
    );
    let q = clause.bind_query(sqlx::query(&sql).bind(person_id));
    match q.fetch_optional(&db.pool).await? {
        Some(row) => Ok(PersonForQuote {
            id_number: row.try_get("id_number")?,
            facts_json: row.try_get("facts_json")?,
        }),
        None => {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
                .bind(person_id)
                .fetch_optional(&db.pool)
                .await?;
            Err(if exists.is_some() {
                Error::Forbidden
            } else {
                Error::NotFound
            })
        }
    }
}

/// The record without any scope: for the checks that follow.
async fn load(db: &Db, id: EnrolmentId) -> Result<Enrolment> {
    let sql = format!(
        "SELECT {COLS} FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE e.id = $1"
    );
    sqlx::query_as::<_, EnrolmentRow>(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.0)
        .ok_or(Error::NotFound)
}

/// The record, if the actor's person scope covers it; `Forbidden` if it exists but is not theirs.
pub async fn get(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<Enrolment> {
    let clause = actor.person_clause(2);
    let sql = format!("SELECT {COLS} FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE e.id = $1 AND ({})", clause.sql);
    let q = sqlx::query_as::<_, EnrolmentRow>(&sql).bind(id);
    match clause.bind_to(q).fetch_optional(&db.pool).await? {
        Some(r) => Ok(r.0),
        None => Err(crate::scope::refusal(db, "enrolments", id).await),
    }
}

/// The documents accepted for a record the actor may see, in the order accepted.
pub async fn evidence(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<Vec<EvidenceRecord>> {
    get(db, actor, id).await?;
    let rows = sqlx::query(
        "SELECT id, enrolment_id, code, sha256, accepted_by, accepted_at FROM evidence WHERE enrolment_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EvidenceRecord {
                id: r.try_get("id")?,
                enrolment_id: r.try_get("enrolment_id")?,
                code: r.try_get("code")?,
                sha256: r.try_get("sha256")?,
                accepted_by: r.try_get("accepted_by")?,
                accepted_at: r.try_get("accepted_at")?,
            })
        })
        .collect()
}

/// The registering organisation's own record, or `Forbidden`.
async fn load_as_registrar(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<Enrolment> {
    let registrar = registrar_of(actor).ok_or(Error::Forbidden)?;
    let e = load(db, id).await?;
    if e.registrar != registrar || actor.org_code.as_deref() != Some(e.registrar_org.as_str()) {
        return Err(Error::Forbidden);
    }
    Ok(e)
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The registering organisation's agent accepts a document for a draft or
/// rejected record (one per code). `sha256` is the scanned document's hash,
/// absent until the upload store exists.
pub async fn accept_evidence(
    db: &Db,
    actor: &Actor,
    id: EnrolmentId,
    code: &str,
    sha256: Option<&str>,
) -> Result<i64> {
    let e = load_as_registrar(db, actor, id).await?;
    if !EVIDENCE_CODES.contains(&code) {
        return Err(Error::from(InputError::EvidenceCode));
    }
    let sha256 = match sha256 {
        Some(s) if is_sha256(s.trim()) => Some(s.trim().to_ascii_lowercase()),
        Some(_) => return Err(Error::from(InputError::Sha256)),
        None => None,
    };
    if !matches!(e.status, Status::Draft | Status::Rejected) {
        return Err(Error::from(InputError::StateChanged));
    }
    let mut tx = db.begin_write().await?;
    // Takes the record's row lock and checks it is still open, so a document
    // never lands on a record being submitted or reviewed at the same moment.
    let open = sqlx::query(
        "UPDATE enrolments SET status = status WHERE id = $1 AND status IN ('draft', 'rejected')",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if open != 1 {
        return Err(Error::from(InputError::StateChanged));
    }
    let now = now_ms();
    let eid: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (enrolment_id, code, sha256, accepted_by, accepted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(code)
    .bind(&sha256)
    .bind(actor.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match Error::from(e) {
        Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
            Error::from(EnrolmentError::EvidenceAlreadyAccepted)
        },
        other => other,
    })?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "enrolment.accept_evidence",
            entity: "enrolment",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"evidence_id": eid, "code": code, "sha256": sha256})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(eid)
}

async fn accepted_codes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: EnrolmentId,
) -> Result<BTreeSet<String>> {
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM evidence WHERE enrolment_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(codes.into_iter().collect())
}

fn missing_evidence(e: &Enrolment, accepted: &BTreeSet<String>) -> Vec<&'static str> {
    e.evidence_required
        .iter()
        .map(|d| d.code())
        .filter(|c| !accepted.contains(*c))
        .collect()
}

/// The registering organisation sends a draft (or a rejected record it has
/// fixed) to the agency. Refused while a document the quote asked for has not
/// been accepted.
pub async fn submit(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<()> {
    let e = load_as_registrar(db, actor, id).await?;
    if !matches!(e.status, Status::Draft | Status::Rejected) {
        return Err(Error::from(InputError::StateChanged));
    }
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let update = sqlx::query(
        "UPDATE enrolments SET status = 'submitted', submitted_by = $1, submitted_at = $2
         WHERE id = $3 AND status IN ('draft', 'rejected')",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(id);
    let accepted = accepted_codes(&mut tx, id).await?;
    let missing = missing_evidence(&e, &accepted);
    if !missing.is_empty() {
        // Dropping the transaction rolls the status back.
        return Err(Error::from(EnrolmentError::EvidenceMissing));
    }
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "enrolment.submit",
            entity: "enrolment",
            entity_id: id.to_string(),
            before: Some(json!({"status": e.status.code()})),
            after: Some(json!({"status": "submitted", "evidence": accepted})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The submitted record, for a reviewer whose county covers the person and
/// who had no hand in making it.
async fn load_for_review(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<Enrolment> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let e = get(db, actor, id).await?;
    let accepted_by_actor: Option<i64> =
        sqlx::query_scalar("SELECT id FROM evidence WHERE enrolment_id = $1 AND accepted_by = $2")
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(&db.pool)
            .await?;
    if e.entered_by == actor.user_id
        || e.submitted_by == Some(actor.user_id)
        || accepted_by_actor.is_some()
    {
        return Err(Error::from(EnrolmentError::MakerChecker));
    }
    if e.status != Status::Submitted {
        return Err(Error::from(InputError::StateChanged));
    }
    Ok(e)
}

/// An agency reviewer or administrator of the person's county (or the league)
/// approves a submitted record.
pub async fn approve(db: &Db, actor: &Actor, id: EnrolmentId) -> Result<()> {
    let e = load_for_review(db, actor, id).await?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let update = sqlx::query(
        "UPDATE enrolments SET status = 'approved', approved_by = $1, approved_at = $2 WHERE id = $3 AND status = 'submitted'",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(id);
    // Submit already refused a record without its documents; this is the
    // last gate before the record counts, so it checks again.
    let accepted = accepted_codes(&mut tx, id).await?;
    if !missing_evidence(&e, &accepted).is_empty() {
        return Err(Error::from(EnrolmentError::EvidenceMissing));
    }
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "enrolment.approve",
            entity: "enrolment",
            entity_id: id.to_string(),
            before: Some(json!({"status": "submitted"})),
            after: Some(json!({"status": "approved"})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An agency reviewer or administrator sends a submitted record back to its
/// registering organisation, saying why.
pub async fn reject(db: &Db, actor: &Actor, id: EnrolmentId, reason: &str) -> Result<()> {
    load_for_review(db, actor, id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::from(InputError::ReasonRequired));
    }
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let update = sqlx::query(
        "UPDATE enrolments SET status = 'rejected', rejected_by = $1, rejected_at = $2, rejection_reason = $3
         WHERE id = $4 AND status = 'submitted'",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(reason)
    .bind(id);
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "enrolment.reject",
            entity: "enrolment",
            entity_id: id.to_string(),
            before: Some(json!({"status": "submitted"})),
            after: Some(json!({"status": "rejected", "reason": reason})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The records of the persons the actor may see, newest first.
pub async fn list_for_actor(db: &Db, actor: &Actor, filter: &Filter) -> Result<Vec<Enrolment>> {
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(y) = filter.policy_year {
        binds.push(Bind::Int(i64::from(y)));
        conds.push(format!("e.policy_year = ${}", binds.len()));
    }
    if let Some(s) = filter.status {
        binds.push(Bind::Text(s.code().into()));
        conds.push(format!("e.status = ${}", binds.len()));
    }
    if let Some(o) = &filter.registrar_org {
        binds.push(Bind::Text(o.clone()));
        conds.push(format!("e.registrar_org = ${}", binds.len()));
    }
    if let Some(p) = filter.person_id {
        binds.push(Bind::Int(p));
        conds.push(format!("e.person_id = ${}", binds.len()));
    }
    if let Some(h) = filter.household_id {
        binds.push(Bind::Int(h));
        conds.push(format!("p.household_id = ${}", binds.len()));
    }
    binds.push(Bind::Int(filter.offset.unwrap_or(0).max(0)));
    let offset = binds.len();
    binds.push(Bind::Int(filter.limit.unwrap_or(100).clamp(1, 1000)));
    let limit = binds.len();
    let clause = actor.person_clause(binds.len() + 1);
    conds.push(format!("({})", clause.sql));
    let sql = format!(
        "SELECT {COLS} FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE {} ORDER BY e.id DESC LIMIT ${limit} OFFSET ${offset}",
        conds.join(" AND ")
    );
    fetch(db, &sql, binds, &clause).await
}

/// The submitted records a reviewer may decide, oldest submission first:
/// those of the reviewer's county (all, for the league), leaving out the
/// ones the reviewer had a hand in.
pub async fn pending_review(db: &Db, actor: &Actor) -> Result<Vec<Enrolment>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT {COLS} FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.status = 'submitted' AND e.entered_by <> $1 AND e.submitted_by <> $1
           AND NOT EXISTS (SELECT 1 FROM evidence v WHERE v.enrolment_id = e.id AND v.accepted_by = $1)
           AND ({})
         ORDER BY e.submitted_at, e.id",
        clause.sql
    );
    fetch(db, &sql, vec![Bind::Int(actor.user_id)], &clause).await
}

async fn fetch(
    db: &Db,
    sql: &str,
    binds: Vec<Bind>,
    clause: &crate::scope::Clause,
) -> Result<Vec<Enrolment>> {
    let mut q = sqlx::query_as::<_, EnrolmentRow>(sql);
    for b in binds {
        q = match b {
            Bind::Int(i) => q.bind(i),
            Bind::Text(t) => q.bind(t),
        };
    }
    Ok(clause
        .bind_to(q)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}
