//! Households and the persons in them, always read through the actor's scope.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::{AccountError, HouseholdError, InputError, OrgError, Refusal};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Household {
    pub id: i64,
    pub number: String,
    pub office_code: String,
    pub county_code: String,
    pub address: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub id_number: String,
    pub name: String,
    pub household_id: Option<i64>,
    pub school_code: Option<String>,
    pub county_code: String,
}

pub async fn county_of(db: &Db, household_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT county_code FROM households WHERE id = $1")
            .bind(household_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// The longest person's name, in characters: room for the longest names
/// written in Chinese characters or transliterated with `·`, and a bound on
/// what a form can make the database keep (finding 7).
pub const MAX_NAME_CHARS: usize = 50;
/// The longest address of a household, in characters.
pub const MAX_ADDRESS_CHARS: usize = 200;

/// A person's name as given, trimmed: refused when empty or over-long.
pub fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::from(InputError::Name));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::from(InputError::NameTooLong));
    }
    Ok(name)
}

/// Opens a household in an office. Only that office's agents (or the system,
/// for demo data and imports) may do it; the county is the office's.
pub async fn create(
    db: &Db,
    by: By<'_>,
    office_code: &str,
    number: &str,
    address: &str,
) -> Result<i64> {
    if let By::User(a) = &by {
        if a.role != Role::OfficeAgent || a.org_code.as_deref() != Some(office_code) {
            return Err(Error::Forbidden);
        }
    }
    let office = crate::orgs::get(db, office_code)
        .await?
        .ok_or(Error::from(AccountError::OrgUnknown))?;
    let county = office.county_code.ok_or(Error::from(OrgError::OrgCounty))?;
    if address.trim().chars().count() > MAX_ADDRESS_CHARS {
        return Err(Error::from(InputError::AddressTooLong));
    }
    let created_by = match &by {
        By::User(a) => a.user_id,
        By::System(_) => 0,
    };
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO households (number, office_code, county_code, address, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(number)
    .bind(office_code)
    .bind(&county)
    .bind(address)
    .bind(now_ms())
    .bind(created_by)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        by,
        Change {
            action: "household.create",
            entity: "household",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"number": number, "office_code": office_code, "county_code": county, "address": address})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn household_from_row(row: &sqlx::any::AnyRow) -> Result<Household> {
    Ok(Household {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        office_code: row.try_get("office_code")?,
        county_code: row.try_get("county_code")?,
        address: row.try_get("address")?,
    })
}

/// One household, if the actor may see it; `Forbidden` if it exists but is not theirs.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Household> {
    let clause = actor.household_clause(2);
    let sql = format!(
        "SELECT h.id, h.number, h.office_code, h.county_code, h.address FROM households h WHERE h.id = $1 AND ({})",
        clause.sql
    );
    let q = sqlx::query_as::<_, HouseholdRow>(&sql).bind(id);
    match clause.bind_to(q).fetch_optional(&db.pool).await? {
        Some(r) => Ok(r.0),
        None => Err(crate::scope::refusal(db, "households", id).await),
    }
}

/// The households the actor may see, newest first.
pub async fn list(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Household>> {
    let clause = actor.household_clause(2);
    let sql = format!(
        "SELECT h.id, h.number, h.office_code, h.county_code, h.address FROM households h WHERE ({}) ORDER BY h.id DESC LIMIT $1",
        clause.sql
    );
    let q = sqlx::query_as::<_, HouseholdRow>(&sql).bind(limit);
    Ok(clause
        .bind_to(q)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

struct HouseholdRow(Household);
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for HouseholdRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        household_from_row(row)
            .map(HouseholdRow)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }
}

struct PersonRow(Person);
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for PersonRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
        Ok(PersonRow(Person {
            id: row.try_get("id")?,
            id_number: row.try_get("id_number")?,
            name: row.try_get("name")?,
            household_id: row.try_get("household_id")?,
            school_code: row.try_get("school_code")?,
            county_code: row.try_get("county_code")?,
        }))
    }
}

/// Adds a person to a household (office) or a school roster; the identity
/// number is checked by the policy engine before anything is written.
pub async fn add_person(
    db: &Db,
    by: By<'_>,
    id_number: &str,
    name: &str,
    household_id: Option<i64>,
    school_code: Option<&str>,
    facts: &serde_json::Value,
) -> Result<i64> {
    let id = policy::idcard::check(id_number).map_err(|_| Error::from(InputError::IdNumber))?;
    checked_name(name)?;
    let county = match (household_id, school_code) {
        (Some(h), _) => county_of(db, h).await?.ok_or(Error::NotFound)?,
        (None, Some(s)) => crate::orgs::get(db, s)
            .await?
            .and_then(|o| o.county_code)
            .ok_or(Error::from(AccountError::OrgUnknown))?,
        (None, None) => return Err(Error::from(AccountError::HouseholdRequired)),
    };
    if let By::User(a) = &by {
        let allowed = match a.role {
            Role::OfficeAgent => match household_id {
                Some(h) => get(db, a, h).await.is_ok(),
                None => false,
            },
            Role::SchoolAgent => school_code.is_some() && a.org_code.as_deref() == school_code,
            _ => false,
        };
        if !allowed {
            return Err(Error::Forbidden);
        }
    }
    let created_by = match &by {
        By::User(a) => a.user_id,
        By::System(_) => 0,
    };
    let mut tx = db.begin_write().await?;
    if let (By::User(a), Some(h)) = (&by, household_id) {
        if a.role == Role::OfficeAgent {
            if let Some(pid) = take_over(&mut tx, a, &id.number, name, h, &county, facts).await? {
                tx.commit().await?;
                return Ok(pid);
            }
        }
    }
    let new = NewPerson {
        id_number: &id.number,
        name,
        household_id,
        school_code,
        school_class: None,
        county_code: &county,
        facts,
    };
    let (pid, change) = insert_person(&mut tx, created_by, &new).await?;
    audit::record(&mut tx, by, change).await?;
    tx.commit().await?;
    Ok(pid)
}

/// A pupil who left school (E17) belongs to no household and no school:
/// their office takes them over into a household, keeping their record and
/// enrolment history. Anyone else already recorded is `person_exists`; the
/// same number under another name is `name_differs`. None when the number is
/// new.
async fn take_over(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    id_number: &str,
    name: &str,
    household_id: i64,
    county: &str,
    facts: &serde_json::Value,
) -> Result<Option<i64>> {
    // id, name, household, school, facts
    type Recorded = (i64, String, Option<i64>, Option<String>, String);
    let row: Option<Recorded> = sqlx::query_as(
        "SELECT id, name, household_id, school_code, facts_json FROM persons WHERE id_number = $1",
    )
    .bind(id_number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((pid, recorded_name, household, school, before_facts)) = row else {
        return Ok(None);
    };
    if household.is_some() || school.is_some() {
        return Err(Error::from(HouseholdError::PersonExists));
    }
    if recorded_name.trim() != name.trim() {
        return Err(Error::from(HouseholdError::NameDiffers));
    }
    let update = sqlx::query(
        "UPDATE persons SET household_id = $1, county_code = $2, facts_json = $3
         WHERE id = $4 AND household_id IS NULL AND school_code IS NULL",
    )
    .bind(household_id)
    .bind(county)
    .bind(facts.to_string())
    .bind(pid);
    audit::transition(
        tx,
        update,
        HouseholdError::PersonExists,
        By::User(actor),
        Change {
            action: "person.take_over",
            entity: "person",
            entity_id: pid.to_string(),
            before: Some(json!({"household_id": null, "school_code": null,
                                "facts": serde_json::from_str::<serde_json::Value>(&before_facts).unwrap_or_default()})),
            after: Some(json!({"household_id": household_id, "county_code": county, "facts": facts})),
        },
    )
    .await?;
    Ok(Some(pid))
}

/// A person about to be written, already checked.
pub(crate) struct NewPerson<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    pub household_id: Option<i64>,
    pub school_code: Option<&'a str>,
    pub school_class: Option<&'a str>,
    pub county_code: &'a str,
    pub facts: &'a serde_json::Value,
}

/// Writes a person inside the caller's transaction and returns the id with
/// the audit entry that records it. A second person with the same identity
/// number is `person_exists`.
pub(crate) async fn insert_person(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    created_by: i64,
    p: &NewPerson<'_>,
) -> Result<(i64, Change<'static>)> {
    insert_persons(tx, created_by, std::slice::from_ref(p))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Person rows per INSERT: 7 values each, inside both engines' limits.
const PERSONS_PER_INSERT: usize = 200;

/// Writes many persons as `insert_person` would one by one, in few
/// statements; ids and audit entries come back in the order given.
pub(crate) async fn insert_persons(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    created_by: i64,
    people: &[NewPerson<'_>],
) -> Result<Vec<(i64, Change<'static>)>> {
    let now = now_ms();
    let mut out = Vec::with_capacity(people.len());
    for chunk in people.chunks(PERSONS_PER_INSERT) {
        // $1 and $2 are shared: when and by whom.
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (0..7).map(|k| format!("${}", 3 + i * 7 + k)).collect();
                format!("({}, $1, $2)", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO persons (id_number, name, household_id, school_code, school_class, county_code, facts_json, created_at, created_by)
             VALUES {} RETURNING id, id_number",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(now).bind(created_by);
        for p in chunk {
            q = q
                .bind(p.id_number)
                .bind(p.name.trim())
                .bind(p.household_id)
                .bind(p.school_code)
                .bind(p.school_class)
                .bind(p.county_code)
                .bind(p.facts.to_string());
        }
        let rows = q
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| match Error::from(e) {
                Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
                    Error::from(HouseholdError::PersonExists)
                }
                other => other,
            })?;
        // RETURNING promises no order: match the ids by identity number.
        let mut ids = std::collections::HashMap::with_capacity(rows.len());
        for r in &rows {
            ids.insert(
                r.try_get::<String, _>("id_number")?,
                r.try_get::<i64, _>("id")?,
            );
        }
        for p in chunk {
            let pid = *ids.get(p.id_number).ok_or(Error::NotFound)?;
            let mut after = json!({"id_number": p.id_number, "name": p.name.trim(), "household_id": p.household_id,
                                   "school_code": p.school_code, "facts": p.facts});
            if let Some(class) = p.school_class {
                after["school_class"] = json!(class);
            }
            out.push((
                pid,
                Change {
                    action: "person.create",
                    entity: "person",
                    entity_id: pid.to_string(),
                    before: None,
                    after: Some(after),
                },
            ));
        }
    }
    Ok(out)
}

/// One person, if the actor may see them.
pub async fn get_person(db: &Db, actor: &Actor, id: i64) -> Result<Person> {
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT p.id, p.id_number, p.name, p.household_id, p.school_code, p.county_code FROM persons p WHERE p.id = $1 AND ({})",
        clause.sql
    );
    let q = sqlx::query_as::<_, PersonRow>(&sql).bind(id);
    match clause.bind_to(q).fetch_optional(&db.pool).await? {
        Some(r) => Ok(r.0),
        None => Err(crate::scope::refusal(db, "persons", id).await),
    }
}

/// The persons of a household the actor may see.
pub async fn members(db: &Db, actor: &Actor, household_id: i64) -> Result<Vec<Person>> {
    get(db, actor, household_id).await?;
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT p.id, p.id_number, p.name, p.household_id, p.school_code, p.county_code FROM persons p
         WHERE p.household_id = $1 AND ({}) ORDER BY p.id",
        clause.sql
    );
    let q = sqlx::query_as::<_, PersonRow>(&sql).bind(household_id);
    Ok(clause
        .bind_to(q)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// The persons the actor may see (a school's pupils, an office's residents), newest first.
pub async fn list_persons(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Person>> {
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT p.id, p.id_number, p.name, p.household_id, p.school_code, p.county_code FROM persons p
         WHERE ({}) ORDER BY p.id DESC LIMIT $1",
        clause.sql
    );
    let q = sqlx::query_as::<_, PersonRow>(&sql).bind(limit);
    Ok(clause
        .bind_to(q)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// An identity number as lists show it: region and check digits only.
pub fn masked_id(id_number: &str) -> String {
    let chars: Vec<char> = id_number.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars.iter().take(6).collect();
    let tail: String = chars.iter().skip(chars.len() - 4).collect();
    format!("{head}********{tail}")
}

/// A person the actor may see, by identity number.
pub async fn find_person(db: &Db, actor: &Actor, id_number: &str) -> Result<Option<Person>> {
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT p.id, p.id_number, p.name, p.household_id, p.school_code, p.county_code FROM persons p
         WHERE p.id_number = $1 AND ({})",
        clause.sql
    );
    let q = sqlx::query_as::<_, PersonRow>(&sql).bind(id_number.trim().to_uppercase());
    Ok(clause
        .bind_to(q)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.0))
}

/// The circumstances that decide eligibility and tier, as a form ticks them:
/// the RULES-API `person` fields beyond identity number, birth date and sex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circumstances {
    pub in_school: bool,
    pub employee_insured: bool,
    pub flexible_employment: bool,
    pub ncms_enrolled: bool,
    pub migrant_worker_child: bool,
    pub dibao: bool,
    pub disability_grade: Option<u8>,
    pub low_income_household: bool,
    pub hukou_moved_in_year: Option<i32>,
}

impl Circumstances {
    /// The stored `facts_json` of a person with this identity number.
    pub fn facts_json(&self, id_number: &str) -> Result<serde_json::Value> {
        let id = policy::idcard::check(id_number).map_err(Error::from)?;
        Ok(json!({
            "id_number": id.number, "birth_date": id.birth_date, "sex": id.sex,
            "in_school": self.in_school, "employee_insured": self.employee_insured,
            "flexible_employment": self.flexible_employment, "ncms_enrolled": self.ncms_enrolled,
            "migrant_worker_child": self.migrant_worker_child, "dibao": self.dibao,
            "disability_grade": self.disability_grade, "low_income_household": self.low_income_household,
            "hukou_moved_in_year": self.hukou_moved_in_year,
        }))
    }

    /// The circumstances of stored facts (missing fields read as not ticked).
    pub fn of_facts(facts: &serde_json::Value) -> Circumstances {
        let on = |k: &str| facts.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        Circumstances {
            in_school: on("in_school"),
            employee_insured: on("employee_insured"),
            flexible_employment: on("flexible_employment"),
            ncms_enrolled: on("ncms_enrolled"),
            migrant_worker_child: on("migrant_worker_child"),
            dibao: on("dibao"),
            disability_grade: facts
                .get("disability_grade")
                .and_then(|v| v.as_u64())
                .and_then(|g| u8::try_from(g).ok()),
            low_income_household: on("low_income_household"),
            hukou_moved_in_year: facts
                .get("hukou_moved_in_year")
                .and_then(|v| v.as_i64())
                .and_then(|y| i32::try_from(y).ok()),
        }
    }
}

/// The message code of an identity-number refusal, as the forms show it.
/// An office corrects the facts of a person of one of its households; the
/// audit entry keeps what they were.
pub async fn update_facts(
    db: &Db,
    actor: &Actor,
    person_id: i64,
    facts: &serde_json::Value,
) -> Result<()> {
    if actor.role != Role::OfficeAgent {
        return Err(Error::Forbidden);
    }
    get_person(db, actor, person_id).await?;
    let mut tx = db.begin_write().await?;
    let before: String = sqlx::query_scalar("SELECT facts_json FROM persons WHERE id = $1")
        .bind(person_id)
        .fetch_one(&mut *tx)
        .await?;
    let before: serde_json::Value = serde_json::from_str(&before).unwrap_or(json!(before));
    if &before == facts {
        return Ok(());
    }
    sqlx::query("UPDATE persons SET facts_json = $1 WHERE id = $2")
        .bind(facts.to_string())
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "person.update_facts",
            entity: "person",
            entity_id: person_id.to_string(),
            before: Some(before),
            after: Some(facts.clone()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
