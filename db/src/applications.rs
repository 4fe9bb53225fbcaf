//! A resident with no household pre-registers a whole new one: the office
//! they choose (of the hukou or of residence), the address, the head and the
//! members with their circumstances and photos of their papers. Until that
//! office confirms the family in person the account sees only this
//! application (its household scope is empty). Completing it opens the
//! household with the next number of the household series, moves the
//! members into an ordinary pre-registration of that household (and their
//! photos into its documents), binds the account to it, all in one audited
//! transaction; then each member is completed into an enrolment as on the
//! pre-registration desk (a member whose papers fall short stays there).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::documents::{self, Purpose, Store};
use crate::enrolment::EVIDENCE_CODES;
use crate::error::{InputError, SignupError};
use crate::households::{self, Circumstances};
use crate::numbering;
use crate::preregistration::NewDocument;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// Relations to the head of the household, as the household register has them.
pub const RELATIONS: [&str; 6] = ["head", "spouse", "child", "parent", "grandchild", "other"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplication {
    pub office_code: String,
    pub address: String,
    pub policy_year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplicant {
    pub id_number: String,
    pub name: String,
    pub relation: String,
    pub circumstances: Circumstances,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppDocument {
    pub sha256: String,
    pub content_type: String,
    pub evidence_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppMember {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub relation: String,
    pub facts: Value,
    pub documents: Vec<AppDocument>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: i64,
    pub user_id: i64,
    /// The applicant's name as on their account.
    pub applicant: String,
    pub office_code: String,
    pub county_code: String,
    pub address: String,
    pub policy_year: i32,
    /// `pending` or `completed`.
    pub status: String,
    pub household_id: Option<i64>,
    pub created_at: i64,
    pub members: Vec<AppMember>,
}

fn resident_without_household(actor: &Actor) -> Result<()> {
    match (actor.role, actor.household_id) {
        (Role::Resident, None) => Ok(()),
        (Role::Resident, Some(_)) => Err(Error::from(SignupError::HasHousehold)),
        _ => Err(Error::Forbidden),
    }
}

/// The resident opens (or, while pending, changes) their application: the
/// office chosen from the league's offices, the address and the year.
pub async fn open(
    db: &Db,
    rules: &policy::params::Rules,
    actor: &Actor,
    a: &NewApplication,
) -> Result<i64> {
    resident_without_household(actor)?;
    let office = crate::orgs::get(db, a.office_code.trim())
        .await?
        .filter(|o| o.kind == "office")
        .ok_or(Error::from(SignupError::OfficeUnknown))?;
    let county = office
        .county_code
        .clone()
        .ok_or(Error::from(SignupError::OfficeUnknown))?;
    let address = a.address.trim();
    if address.is_empty() {
        return Err(Error::from(InputError::Request));
    }
    if address.chars().count() > households::MAX_ADDRESS_CHARS {
        return Err(Error::from(InputError::AddressTooLong));
    }
    rules
        .year(a.policy_year)
        .map_err(|_| Error::from(InputError::PolicyYear))?;
    let mut tx = db.begin_write().await?;
    let existing = sqlx::query("SELECT id, status, office_code, address, policy_year FROM household_applications WHERE user_id = $1")
        .bind(actor.user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let after = json!({"office_code": office.code, "county_code": county, "address": address,
                       "policy_year": a.policy_year});
    let id = match existing {
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let status: String = row.try_get("status")?;
            if status != "pending" {
                return Err(Error::from(InputError::StateChanged));
            }
            let before = json!({"office_code": row.try_get::<String, _>("office_code")?,
                                "address": row.try_get::<String, _>("address")?,
                                "policy_year": row.try_get::<i64, _>("policy_year")?});
            let update = sqlx::query(
                "UPDATE household_applications SET office_code = $1, county_code = $2, address = $3, policy_year = $4
                 WHERE id = $5 AND status = 'pending'",
            )
            .bind(&office.code)
            .bind(&county)
            .bind(address)
            .bind(i64::from(a.policy_year))
            .bind(id);
            audit::transition(
                &mut tx,
                update,
                InputError::StateChanged,
                By::User(actor),
                Change {
                    action: "household_application.update",
                    entity: "household_application",
                    entity_id: id.to_string(),
                    before: Some(before),
                    after: Some(after),
                },
            )
            .await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO household_applications (user_id, office_code, county_code, address, policy_year, status, created_at)
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
            )
            .bind(actor.user_id)
            .bind(&office.code)
            .bind(&county)
            .bind(address)
            .bind(i64::from(a.policy_year))
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                By::User(actor),
                Change::after(
                    "household_application.open",
                    "household_application",
                    id,
                    after,
                ),
            )
            .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// The resident adds (or, re-entering an identity number, replaces) a member
/// with photos of their papers; one head per household. Everything is
/// checked before anything is stored.
pub async fn add_member(
    db: &Db,
    store: &Store,
    actor: &Actor,
    m: &NewApplicant,
    docs: Vec<NewDocument>,
    max_bytes: usize,
) -> Result<i64> {
    resident_without_household(actor)?;
    let app = mine(db, actor)
        .await?
        .ok_or(Error::from(SignupError::ApplicationMissing))?;
    if app.status != "pending" {
        return Err(Error::from(InputError::StateChanged));
    }
    let relation = m.relation.trim();
    if !RELATIONS.contains(&relation) {
        return Err(Error::from(SignupError::Relation));
    }
    let facts = m.circumstances.facts_json(&m.id_number)?;
    let id_number = facts["id_number"].as_str().unwrap_or_default().to_string();
    let birth = policy::idcard::check(&id_number)?.birth_date;
    policy::eligibility::born_by(birth, crate::claims::today())?;
    let name = households::checked_name(&m.name)?;
    if relation == "head"
        && app
            .members
            .iter()
            .any(|x| x.relation == "head" && x.id_number != id_number)
    {
        return Err(Error::from(SignupError::HeadTwice));
    }
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
    let same: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM household_application_members WHERE application_id = $1 AND id_number = $2",
    )
    .bind(app.id)
    .bind(&id_number)
    .fetch_optional(&mut *tx)
    .await?;
    let after = json!({"application_id": app.id, "id_number": id_number, "name": name,
                       "relation": relation, "facts": facts});
    let (member_id, action) = match same {
        Some(id) => {
            sqlx::query("UPDATE household_application_members SET name = $1, relation = $2, facts_json = $3 WHERE id = $4")
                .bind(name)
                .bind(relation)
                .bind(facts.to_string())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id, "household_application.update_member")
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO household_application_members (application_id, id_number, name, relation, facts_json, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(app.id)
            .bind(&id_number)
            .bind(name)
            .bind(relation)
            .bind(facts.to_string())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (id, "household_application.add_member")
        }
    };
    audit::record(
        &mut tx,
        By::User(actor),
        Change::after(action, "household_application_member", member_id, after),
    )
    .await?;
    for (code, doc) in &stored {
        sqlx::query(
            "INSERT INTO household_application_documents (member_id, sha256, content_type, size_bytes, evidence_code,
                 uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(member_id)
        .bind(&doc.sha256)
        .bind(doc.content_type)
        .bind(doc.size_bytes)
        .bind(code)
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            By::User(actor),
            Change::after("document.upload", "household_application_member", member_id,
                json!({"sha256": doc.sha256, "content_type": doc.content_type, "size_bytes": doc.size_bytes,
                       "evidence_code": code})),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(member_id)
}

const COLS: &str =
    "a.id, a.user_id, u.display_name, a.office_code, a.county_code, a.address, a.policy_year,
    a.status, a.household_id, a.created_at";

async fn load(db: &Db, cond: &str, bind: Vec<crate::scope::Bind>) -> Result<Vec<Application>> {
    let sql = format!(
        "SELECT {COLS} FROM household_applications a JOIN users u ON u.id = a.user_id WHERE {cond} ORDER BY a.id"
    );
    let clause = crate::scope::Clause {
        sql: String::new(),
        binds: bind,
    };
    let rows = clause
        .bind_query(sqlx::query(&sql))
        .fetch_all(&db.pool)
        .await?;
    let mut apps = Vec::new();
    for r in rows {
        let year: i64 = r.try_get("policy_year")?;
        apps.push(Application {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            applicant: r.try_get("display_name")?,
            office_code: r.try_get("office_code")?,
            county_code: r.try_get("county_code")?,
            address: r.try_get("address")?,
            policy_year: i32::try_from(year).map_err(|_| Error::from(InputError::PolicyYear))?,
            status: r.try_get("status")?,
            household_id: r.try_get("household_id")?,
            created_at: r.try_get("created_at")?,
            members: vec![],
        });
    }
    for a in &mut apps {
        a.members = members_of(db, a.id).await?;
    }
    Ok(apps)
}

async fn members_of(db: &Db, application_id: i64) -> Result<Vec<AppMember>> {
    let rows = sqlx::query(
        "SELECT id, id_number, name, relation, facts_json FROM household_application_members
         WHERE application_id = $1 ORDER BY CASE WHEN relation = 'head' THEN 0 ELSE 1 END, id",
    )
    .bind(application_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let facts: String = r.try_get("facts_json")?;
        let docs = sqlx::query(
            "SELECT sha256, content_type, evidence_code FROM household_application_documents WHERE member_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|d| {
            Ok(AppDocument {
                sha256: d.try_get("sha256")?,
                content_type: d.try_get("content_type")?,
                evidence_code: d.try_get("evidence_code")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        out.push(AppMember {
            id,
            id_number: r.try_get("id_number")?,
            name: r.try_get("name")?,
            relation: r.try_get("relation")?,
            facts: serde_json::from_str(&facts)
                .map_err(|_| Error::from(InputError::PersonFacts))?,
            documents: docs,
        });
    }
    Ok(out)
}

/// The actor's own application, if they have one (residents only).
pub async fn mine(db: &Db, actor: &Actor) -> Result<Option<Application>> {
    if actor.role != Role::Resident {
        return Err(Error::Forbidden);
    }
    Ok(load(
        db,
        "a.user_id = $1",
        vec![crate::scope::Bind::Int(actor.user_id)],
    )
    .await?
    .into_iter()
    .next())
}

/// Which applications the actor may see: the applicant their own, an office
/// those for it, an agency its county's (the league all). Schools none.
fn clause(actor: &Actor) -> (String, Vec<crate::scope::Bind>) {
    use crate::scope::Bind;
    match actor.role {
        Role::Resident => ("a.user_id = $1".into(), vec![Bind::Int(actor.user_id)]),
        Role::OfficeAgent => (
            "a.office_code = $1".into(),
            vec![Bind::Text(actor.org_code.clone().unwrap_or_default())],
        ),
        Role::SchoolAgent => ("1 = 0".into(), vec![]),
        Role::AgencyReviewer | Role::AgencyAdmin => match &actor.county_code {
            None => ("1 = 1".into(), vec![]),
            Some(c) => ("a.county_code = $1".into(), vec![Bind::Text(c.clone())]),
        },
    }
}

/// The pending applications for the actor's office (or the agency's county).
pub async fn pending(db: &Db, actor: &Actor) -> Result<Vec<Application>> {
    if !matches!(
        actor.role,
        Role::OfficeAgent | Role::AgencyReviewer | Role::AgencyAdmin
    ) {
        return Err(Error::Forbidden);
    }
    let (cond, binds) = clause(actor);
    load(db, &format!("a.status = 'pending' AND {cond}"), binds).await
}

/// One application, if the actor may see it.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Application> {
    let (cond, mut binds) = clause(actor);
    let cond = cond.replace("$1", "$2");
    let mut all = vec![crate::scope::Bind::Int(id)];
    all.append(&mut binds);
    match load(db, &format!("a.id = $1 AND {cond}"), all)
        .await?
        .into_iter()
        .next()
    {
        Some(a) => Ok(a),
        None => Err(crate::scope::refusal(db, "household_applications", id).await),
    }
}

/// Whether the actor may open a photo (by hash) brought with an application.
pub async fn document_visible(db: &Db, actor: &Actor, sha256: &str) -> Result<Option<String>> {
    let (cond, binds) = clause(actor);
    let cond = cond.replace("$1", "$2");
    let sql = format!(
        "SELECT d.content_type FROM household_application_documents d
         JOIN household_application_members m ON m.id = d.member_id
         JOIN household_applications a ON a.id = m.application_id
         WHERE d.sha256 = $1 AND {cond} LIMIT 1"
    );
    let c = crate::scope::Clause {
        sql: String::new(),
        binds,
    };
    Ok(c.bind_query(sqlx::query(&sql).bind(sha256))
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("content_type"))
        .transpose()?)
}

/// What completing an application did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub household_id: i64,
    pub household_number: String,
    /// Pre-registered members completed into enrolments sent for review.
    pub enrolled: Vec<i64>,
    /// Pre-registered members left on the desk (their refusal's code).
    pub left: Vec<(i64, String)>,
}

/// The office confirms the family in person and completes the application.
pub async fn complete(
    db: &Db,
    rules: &policy::params::Rules,
    actor: &Actor,
    id: i64,
) -> Result<Completion> {
    if actor.role != Role::OfficeAgent {
        return Err(Error::Forbidden);
    }
    let app = get(db, actor, id).await?;
    if app.status != "pending" {
        return Err(Error::from(InputError::StateChanged));
    }
    if !app.members.iter().any(|m| m.relation == "head") {
        return Err(Error::from(SignupError::HeadMissing));
    }
    let applicant = crate::accounts::actor_by_id(db, app.user_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    // The same gap-free series per office and policy year as households
    // opened at the desk (household_open.rs).
    let number = numbering::next_household(&mut tx, &app.office_code, app.policy_year).await?;
    let household_id: i64 = sqlx::query_scalar(
        "INSERT INTO households (number, office_code, county_code, address, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&number)
    .bind(&app.office_code)
    .bind(&app.county_code)
    .bind(&app.address)
    .bind(now)
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change::after(
            "household.create",
            "household",
            household_id,
            json!({"number": number, "office_code": app.office_code, "county_code": app.county_code,
                   "address": app.address, "application_id": app.id}),
        ),
    )
    .await?;
    let prereg: i64 = sqlx::query_scalar(
        "INSERT INTO pre_registrations (household_id, policy_year, created_by, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(household_id)
    .bind(i64::from(app.policy_year))
    .bind(app.user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let mut moved = Vec::new();
    for m in &app.members {
        let mid: i64 = sqlx::query_scalar(
            "INSERT INTO pre_registration_members (pre_registration_id, id_number, name, facts_json, status,
                 created_by, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id",
        )
        .bind(prereg)
        .bind(&m.id_number)
        .bind(&m.name)
        .bind(m.facts.to_string())
        .bind(app.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for d in &m.documents {
            let size: i64 = sqlx::query_scalar(
                "SELECT size_bytes FROM household_application_documents WHERE member_id = $1 AND sha256 = $2 LIMIT 1",
            )
            .bind(m.id)
            .bind(&d.sha256)
            .fetch_one(&mut *tx)
            .await?;
            let content_type = documents::known_type(&d.content_type);
            let stored = documents::Stored {
                sha256: d.sha256.clone(),
                content_type,
                size_bytes: size,
            };
            let purpose = Purpose {
                household_id,
                person_id: None,
                pre_registration_member_id: Some(mid),
                evidence_code: Some(d.evidence_code.clone()),
                claim_id: None,
            };
            documents::record_in(&mut tx, &applicant, &stored, &purpose).await?;
        }
        moved.push(mid);
    }
    let bind =
        sqlx::query("UPDATE users SET household_id = $1 WHERE id = $2 AND household_id IS NULL")
            .bind(household_id)
            .bind(app.user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if bind == 0 {
        return Err(Error::from(SignupError::HasHousehold));
    }
    let update = sqlx::query(
        "UPDATE household_applications SET status = 'completed', household_id = $1, completed_by = $2, completed_at = $3
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(household_id)
    .bind(actor.user_id)
    .bind(now)
    .bind(app.id);
    audit::transition(
        &mut tx,
        update,
        InputError::StateChanged,
        By::User(actor),
        Change {
            action: "household_application.complete",
            entity: "household_application",
            entity_id: app.id.to_string(),
            before: Some(json!({"status": "pending"})),
            after: Some(
                json!({"status": "completed", "household_id": household_id, "number": number,
                               "account": app.user_id, "pre_registration_members": moved}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    let (mut enrolled, mut left) = (Vec::new(), Vec::new());
    for mid in moved {
        match crate::preregistration::complete(db, rules, actor, mid).await {
            Ok(_) => enrolled.push(mid),
            Err(e @ Error::Database(_)) => return Err(e),
            Err(e) => left.push((mid, e.code().to_string())),
        }
    }
    Ok(Completion {
        household_id,
        household_number: number,
        enrolled,
        left,
    })
}
