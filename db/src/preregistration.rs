//! A resident pre-registers their household on their phone: members with
//! identity numbers, names, circumstances and photos of their documents. The
//! office of the household then completes each member into an ordinary
//! enrolment (register, accept the photographed evidence, submit), which an
//! agency reviewer decides as any other (E3–E12, maker-checker of §8).
//!
//! Kept apart from `enrolments`: a resident's entry is not an enrolment (it
//! has no registrar, no terms), so the enrolment statuses stay as they are.

use std::collections::BTreeMap;

use policy::eligibility::{self, Quote, Registrar};
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::documents::{self, Document, Purpose, Store};
use crate::enrolment::{self, EnrolmentId, EVIDENCE_CODES};
use crate::error::{EnrolmentError, HouseholdError, InputError};
use crate::households::{self, Circumstances};
use crate::scope::{Actor, Bind, Role};
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMember {
    pub policy_year: i32,
    pub id_number: String,
    pub name: String,
    pub circumstances: Circumstances,
}

/// A photographed or scanned document and what the resident says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub evidence_code: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub household_id: i64,
    pub policy_year: i32,
    pub id_number: String,
    pub name: String,
    pub facts: Value,
    /// `pending` until an office completes it, then `completed`.
    pub status: String,
    pub enrolment_id: Option<EnrolmentId>,
    pub created_at: i64,
    pub documents: Vec<Document>,
}

impl Member {
    pub fn circumstances(&self) -> Circumstances {
        Circumstances::of_facts(&self.facts)
    }

    /// The facts as the policy engine reads them.
    pub fn person_facts(&self) -> Result<eligibility::PersonFacts> {
        enrolment::person_facts(&self.id_number, &self.facts.to_string())
    }
}

const COLS: &str =
    "m.id, r.household_id, r.policy_year, m.id_number, m.name, m.facts_json, m.status,
    m.enrolment_id, m.created_at";

fn member_of(row: &sqlx::any::AnyRow) -> Result<Member> {
    let facts: String = row.try_get("facts_json")?;
    let year: i64 = row.try_get("policy_year")?;
    Ok(Member {
        id: row.try_get("id")?,
        household_id: row.try_get("household_id")?,
        policy_year: i32::try_from(year).map_err(|_| Error::from(InputError::PolicyYear))?,
        id_number: row.try_get("id_number")?,
        name: row.try_get("name")?,
        facts: serde_json::from_str(&facts).map_err(|_| Error::from(InputError::PersonFacts))?,
        status: row.try_get("status")?,
        enrolment_id: row.try_get("enrolment_id")?,
        created_at: row.try_get("created_at")?,
        documents: vec![],
    })
}

/// Members under a WHERE over `m`, `r` and the household `h`, with their documents.
async fn select(db: &Db, cond: &str, binds: Vec<Bind>) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {COLS} FROM pre_registration_members m
         JOIN pre_registrations r ON r.id = m.pre_registration_id
         JOIN households h ON h.id = r.household_id
         WHERE {cond} ORDER BY m.id"
    );
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = match b {
            Bind::Int(i) => q.bind(i),
            Bind::Text(t) => q.bind(t),
        };
    }
    let mut members = q
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(member_of)
        .collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let docs = documents::of_members(db, &ids).await?;
    for m in &mut members {
        m.documents = docs
            .iter()
            .filter(|d| d.pre_registration_member_id == Some(m.id))
            .cloned()
            .collect();
    }
    Ok(members)
}

/// The resident enters (or re-enters, while pending) a member of their own
/// household with the documents photographed for them. Everything is checked
/// first (identity number, name, year, each document's type and size), so a
/// refusal writes nothing.
pub async fn add_member(
    db: &Db,
    store: &Store,
    rules: &Rules,
    actor: &Actor,
    m: &NewMember,
    docs: Vec<NewDocument>,
    max_bytes: usize,
) -> Result<i64> {
    let household_id = match (actor.role, actor.household_id) {
        (Role::Resident, Some(h)) => h,
        _ => return Err(Error::Forbidden),
    };
    let facts = m.circumstances.facts_json(&m.id_number)?;
    let id_number = facts["id_number"].as_str().unwrap_or_default().to_string();
    // Nobody is pre-registered before being born (a mistyped ID number).
    let birth = policy::idcard::check(&id_number)?.birth_date;
    policy::eligibility::born_by(birth, crate::claims::today())?;
    let name = crate::households::checked_name(&m.name)?;
    rules
        .year(m.policy_year)
        .map_err(|_| Error::from(InputError::PolicyYear))?;
    for d in &docs {
        if !EVIDENCE_CODES.contains(&d.evidence_code.as_str()) {
            return Err(Error::from(InputError::EvidenceCode));
        }
        documents::check(&d.bytes, max_bytes)?;
    }
    let mut stored = Vec::new();
    for d in docs {
        stored.push((
            d.evidence_code,
            documents::check_and_store(store, d.bytes, max_bytes).await?,
        ));
    }

    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM pre_registrations WHERE household_id = $1 AND policy_year = $2",
    )
    .bind(household_id)
    .bind(i64::from(m.policy_year))
    .fetch_optional(&mut *tx)
    .await?;
    let prereg =
        match existing {
            Some(id) => id,
            None => sqlx::query_scalar(
                "INSERT INTO pre_registrations (household_id, policy_year, created_by, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(household_id)
            .bind(i64::from(m.policy_year))
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?,
        };
    let same = sqlx::query(
        "SELECT id, status, name, facts_json FROM pre_registration_members
         WHERE pre_registration_id = $1 AND id_number = $2",
    )
    .bind(prereg)
    .bind(&id_number)
    .fetch_optional(&mut *tx)
    .await?;
    let (member_id, action, before) = match same {
        Some(row) => {
            let status: String = row.try_get("status")?;
            if status != "pending" {
                return Err(Error::from(EnrolmentError::AlreadyEnrolled));
            }
            let id: i64 = row.try_get("id")?;
            let before_facts: String = row.try_get("facts_json")?;
            let before_name: String = row.try_get("name")?;
            sqlx::query(
                "UPDATE pre_registration_members SET name = $1, facts_json = $2 WHERE id = $3",
            )
            .bind(name)
            .bind(facts.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let before = json!({"name": before_name, "facts": serde_json::from_str::<Value>(&before_facts).unwrap_or(Value::Null)});
            (id, "preregistration.update_member", Some(before))
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO pre_registration_members (pre_registration_id, id_number, name, facts_json, status,
                     created_by, created_at)
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id",
            )
            .bind(prereg)
            .bind(&id_number)
            .bind(name)
            .bind(facts.to_string())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (id, "preregistration.add_member", None)
        }
    };
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action,
            entity: "pre_registration_member",
            entity_id: member_id.to_string(),
            before,
            after: Some(json!({
                "household_id": household_id, "policy_year": m.policy_year, "id_number": id_number,
                "name": name, "facts": facts,
            })),
        },
    )
    .await?;
    for (code, doc) in &stored {
        let purpose = Purpose {
            household_id,
            person_id: None,
            pre_registration_member_id: Some(member_id),
            evidence_code: Some(code.clone()),
            claim_id: None,
        };
        documents::record_in(&mut tx, actor, doc, &purpose).await?;
    }
    tx.commit().await?;
    Ok(member_id)
}

/// A school reaches its pupils' households only through its pupils: the
/// family's own pre-registration (new members, their papers) is the family's
/// and its office's business, not the school's.
fn refuse_schools(actor: &Actor) -> Result<()> {
    if actor.role == Role::SchoolAgent {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// The pre-registered members of a household the actor may see.
pub async fn of_household(db: &Db, actor: &Actor, household_id: i64) -> Result<Vec<Member>> {
    refuse_schools(actor)?;
    households::get(db, actor, household_id).await?;
    select(db, "r.household_id = $1", vec![Bind::Int(household_id)]).await
}

/// The members waiting for the actor's office (or, for the agency, its county).
pub async fn pending(db: &Db, actor: &Actor) -> Result<Vec<Member>> {
    if !matches!(
        actor.role,
        Role::OfficeAgent | Role::AgencyReviewer | Role::AgencyAdmin
    ) {
        return Err(Error::Forbidden);
    }
    let clause = actor.household_clause(1);
    select(
        db,
        &format!("m.status = 'pending' AND ({})", clause.sql),
        clause.binds,
    )
    .await
}

/// One member, if the actor may see its household.
pub async fn member(db: &Db, actor: &Actor, id: i64) -> Result<Member> {
    refuse_schools(actor)?;
    let clause = actor.household_clause(2);
    let mut binds = vec![Bind::Int(id)];
    binds.extend(clause.binds);
    match select(db, &format!("m.id = $1 AND ({})", clause.sql), binds)
        .await?
        .into_iter()
        .next()
    {
        Some(m) => Ok(m),
        None => Err(crate::scope::refusal(db, "pre_registration_members", id).await),
    }
}

/// A pending member, for the office of its household.
async fn for_office(db: &Db, actor: &Actor, id: i64) -> Result<Member> {
    if actor.role != Role::OfficeAgent {
        return Err(Error::Forbidden);
    }
    let m = member(db, actor, id).await?;
    if m.status != "pending" {
        return Err(Error::from(InputError::StateChanged));
    }
    Ok(m)
}

/// The office corrects a member's name and circumstances before registering
/// them (what the resident ticked is not always what the papers show).
pub async fn correct(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: &str,
    circumstances: &Circumstances,
) -> Result<()> {
    let m = for_office(db, actor, id).await?;
    let name = crate::households::checked_name(name)?;
    let facts = circumstances.facts_json(&m.id_number)?;
    if facts == m.facts && name == m.name {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE pre_registration_members SET name = $1, facts_json = $2 WHERE id = $3 AND status = 'pending'",
    )
    .bind(name)
    .bind(facts.to_string())
    .bind(id);
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "preregistration.correct",
            entity: "pre_registration_member",
            entity_id: id.to_string(),
            before: Some(json!({"name": m.name, "facts": m.facts})),
            after: Some(json!({"name": name, "facts": facts})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The newest document of each evidence code.
fn latest_by_code(docs: &[Document]) -> BTreeMap<String, String> {
    docs.iter()
        .filter_map(|d| d.evidence_code.clone().map(|c| (c, d.sha256.clone())))
        .collect()
}

/// The office completes a member into an enrolment: the person joins the
/// household (or their stored facts are brought up to date), is registered on
/// the policy engine's terms, every photographed document is accepted as
/// evidence with its SHA-256, and the record is submitted for review. The
/// quote and the evidence it asks for are checked before anything is written.
pub async fn complete(db: &Db, rules: &Rules, actor: &Actor, id: i64) -> Result<EnrolmentId> {
    let m = for_office(db, actor, id).await?;
    let today = crate::claims::today();
    let quote = eligibility::quote_on(rules, m.policy_year, &m.person_facts()?, today, true)
        .map_err(Error::from)?;
    let evidence = match quote {
        Quote::Refused { reason, .. } => return Err(Error::from(reason)),
        Quote::Eligible { registrar, .. } if registrar != Registrar::CommunityOffice => {
            return Err(Error::from(EnrolmentError::WrongRegistrar))
        }
        Quote::Eligible { evidence, .. } => evidence,
    };
    let docs = latest_by_code(&m.documents);
    if evidence.iter().any(|e| !docs.contains_key(e.code())) {
        return Err(Error::from(EnrolmentError::EvidenceMissing));
    }
    let known = sqlx::query("SELECT id, household_id FROM persons WHERE id_number = $1")
        .bind(&m.id_number)
        .fetch_optional(&db.pool)
        .await?;
    let person_id = match known {
        Some(row) => {
            let pid: i64 = row.try_get("id")?;
            let hh: Option<i64> = row.try_get("household_id")?;
            if hh != Some(m.household_id) {
                return Err(Error::from(HouseholdError::PersonExists));
            }
            households::update_facts(db, actor, pid, &m.facts).await?;
            pid
        }
        None => {
            households::add_person(
                db,
                By::User(actor),
                &m.id_number,
                &m.name,
                Some(m.household_id),
                None,
                &m.facts,
            )
            .await?
        }
    };
    let enrolment_id = enrolment::register(db, rules, actor, person_id, m.policy_year).await?;
    for (code, sha) in &docs {
        enrolment::accept_evidence(db, actor, enrolment_id, code, Some(sha)).await?;
    }
    enrolment::submit(db, actor, enrolment_id).await?;

    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let update = sqlx::query(
        "UPDATE pre_registration_members SET status = 'completed', completed_by = $1, completed_at = $2,
             enrolment_id = $3
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(enrolment_id)
    .bind(id);
    // The photos now show a registered person: claims and later years find them by person.
    sqlx::query(
        "UPDATE documents SET person_id = $1 WHERE pre_registration_member_id = $2 AND person_id IS NULL",
    )
    .bind(person_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "preregistration.complete",
            entity: "pre_registration_member",
            entity_id: id.to_string(),
            before: Some(json!({"status": "pending"})),
            after: Some(
                json!({"status": "completed", "person_id": person_id, "enrolment_id": enrolment_id,
                               "evidence": docs}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(enrolment_id)
}
