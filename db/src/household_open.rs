//! A family walks in: the office opens its household at the desk, with the
//! head and members, and enrols them for a policy year in the same
//! transaction; the printed registration form carries a one-time activation
//! code with which the family creates its own account on the phone (#16).
//!
//! One transaction writes the household number (gap-free per office and
//! policy year, `numbering::next_household`), the household, its persons,
//! their places in it (relation to the head, phone), their draft enrolments
//! on the policy engine's terms (the same rows and audit entries as
//! `enrolment::register`; the agency still approves, maker-checker) and the
//! activation code. Any refusal rolls everything back, the number included.
//!
//! Activation codes, and why they are kept this way:
//! - The code is 12 characters from 32 letters and digits that cannot be
//!   mistaken for each other (no 0/O, 1/I): 60 random bits, printed
//!   `ABCD-EFGH-JKLM`. Only its SHA-256 is stored. A slow hash (Argon2)
//!   protects guessable secrets such as passwords; a 60-bit random code
//!   cannot be guessed from its SHA-256, and a plain hash lets the code be
//!   found by its hash in one indexed read.
//! - It is not enough on its own: sign-up also asks for the identity number
//!   of a member of that household, so a form photographed or thrown away
//!   does not open the account, and sign-up is rate-limited per address.
//! - It is used once (a conditional UPDATE lets one sign-up win), expires
//!   (`valid_days`, 30 by default, a setting), and issuing a new one revokes
//!   every open one of the household.
//! - The plain code exists only in the answer of the request that made it:
//!   the office sees it on the form printed right after the opening or a
//!   reissue; a later print says to reissue. A wrong, used, revoked or
//!   expired code and a member's number that does not match all get the
//!   same answer, so the answer tells a guesser nothing.

use policy::eligibility::Registrar;
use policy::params::Rules;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, By, Change};
use crate::error::{AccountError, EnrolmentError, InputError, OpenError, Refusal};
use crate::households::{checked_name, Circumstances, NewPerson, MAX_ADDRESS_CHARS};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// The head and at most this many members besides.
pub const MAX_MEMBERS: usize = 9;
/// How long a code is good for, unless the settings say otherwise.
pub const DEFAULT_CODE_DAYS: i64 = 30;

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum HukouType {
        /// 本地城镇
        LocalUrban = "local_urban",
        /// 本地农业
        LocalAgricultural = "local_agricultural",
        /// 外地
        NonLocal = "non_local",
    }
}

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Relation {
        Head = "head",
        Spouse = "spouse",
        Child = "child",
        Parent = "parent",
        Grandchild = "grandchild",
        Grandparent = "grandparent",
        Sibling = "sibling",
        Other = "other",
    }
}

/// One member as the desk's form gives them (the head first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id_number: String,
    pub name: String,
    /// A [`Relation`] code.
    pub relation: String,
    /// As typed; may be empty.
    pub phone: String,
    pub circumstances: Circumstances,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHousehold {
    pub office_code: String,
    pub address: String,
    /// A [`HukouType`] code.
    pub hukou_type: String,
    pub policy_year: i32,
    pub members: Vec<Member>,
}

/// What an opening made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub household_id: i64,
    pub number: String,
    /// The plain activation code: shown once, never stored.
    pub code: String,
    pub code_expires_at: i64,
    /// The persons, in the form's order.
    pub persons: Vec<i64>,
    /// The draft enrolments made (members the engine quotes for an office).
    pub enrolments: Vec<i64>,
    /// Members recorded but not enrolled by the office, with the engine's
    /// reason: a pupil (the school enrols them), employee-insured, in NCMS …
    pub not_enrolled: Vec<(i64, &'static str)>,
}

/// A refusal of the desk's form, with the field it is about (`address`,
/// `m2_id_number` …), so the page puts the words next to it.
#[derive(Debug)]
pub struct Refused {
    pub field: Option<String>,
    pub error: Error,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused { field: None, error }
    }
}

impl From<sqlx::Error> for Refused {
    fn from(e: sqlx::Error) -> Self {
        Error::from(e).into()
    }
}

fn at(field: impl Into<String>, error: impl Into<Error>) -> Refused {
    Refused {
        field: Some(field.into()),
        error: error.into(),
    }
}

/// A phone number as typed, digits only (full-width and `+86` read as
/// typed); empty stays empty. Seven to fifteen digits.
pub fn checked_phone(raw: &str) -> Result<String> {
    let normal = policy::idcard::normalise(raw);
    let normal = normal.trim_start_matches('+');
    let digits = normal
        .strip_prefix("86")
        .filter(|rest| rest.len() == 11)
        .unwrap_or(normal);
    if digits.is_empty() {
        return Ok(String::new());
    }
    if !(7..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OpenError::Phone.into());
    }
    Ok(digits.to_string())
}

/// A member checked: canonical identity number, name, relation, phone, facts.
struct Checked {
    id_number: String,
    name: String,
    relation: Relation,
    phone: String,
    facts: serde_json::Value,
}

fn check_form(new: &NewHousehold, rules: &Rules) -> std::result::Result<Vec<Checked>, Refused> {
    let address = new.address.trim();
    if address.is_empty() {
        return Err(at("address", OpenError::AddressRequired));
    }
    if address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(at("address", InputError::AddressTooLong));
    }
    if HukouType::from_code(new.hukou_type.trim()).is_none() {
        return Err(at("hukou_type", OpenError::HukouType));
    }
    if !rules.years.contains_key(&new.policy_year) {
        return Err(at("policy_year", InputError::PolicyYear));
    }
    if new.members.is_empty() {
        return Err(at("m0_id_number", OpenError::HeadRequired));
    }
    if new.members.len() > MAX_MEMBERS {
        return Err(at("members", OpenError::TooManyMembers));
    }
    let mut out: Vec<Checked> = Vec::with_capacity(new.members.len());
    for (i, m) in new.members.iter().enumerate() {
        let f = |name: &str| format!("m{i}_{name}");
        let id = policy::idcard::check(&m.id_number).map_err(|e| at(f("id_number"), e))?;
        if out.iter().any(|c| c.id_number == id.number) {
            return Err(at(f("id_number"), OpenError::DuplicateInForm));
        }
        let name = checked_name(&m.name).map_err(|e| at(f("name"), e))?;
        let relation = Relation::from_code(m.relation.trim())
            .ok_or_else(|| at(f("relation"), OpenError::Relation))?;
        // The head first, and only one.
        if (i == 0) != (relation == Relation::Head) {
            return Err(at(f("relation"), OpenError::HeadRequired));
        }
        let phone = checked_phone(&m.phone).map_err(|e| at(f("phone"), e))?;
        let facts = m
            .circumstances
            .facts_json(&id.number)
            .map_err(|e| at(f("id_number"), e))?;
        out.push(Checked {
            id_number: id.number,
            name: name.to_string(),
            relation,
            phone,
            facts,
        });
    }
    Ok(out)
}

/// Opens a household with its members and enrols them for the year, all in
/// one transaction (see the module's notes). Only an agent of the office
/// itself may; nothing is written when anything is refused.
pub async fn open(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    new: &NewHousehold,
    code_days: i64,
) -> std::result::Result<Opened, Refused> {
    if actor.role != Role::OfficeAgent
        || actor.org_code.as_deref() != Some(new.office_code.as_str())
    {
        return Err(Error::Forbidden.into());
    }
    let office = crate::orgs::get(db, &new.office_code)
        .await?
        .ok_or(Error::from(AccountError::OrgUnknown))?;
    let county = office
        .county_code
        .ok_or(Error::from(crate::error::OrgError::OrgCounty))?;
    let members = check_form(new, rules)?;
    let hukou = new.hukou_type.trim();
    let address = new.address.trim();

    // The engine's terms for each member, before anything is written. A
    // birth date after today is the number's fault; any other refusal (a
    // pupil, whom the school enrols; someone employee-insured) leaves the
    // member recorded and not enrolled.
    let mut terms = Vec::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        let facts = crate::enrolment::person_facts(&m.id_number, &m.facts.to_string())
            .map_err(|e| at(format!("m{i}_id_number"), e))?;
        match crate::enrolment::terms(rules, new.policy_year, &facts, Registrar::CommunityOffice) {
            Ok(t) => terms.push(Ok(t)),
            Err(Error::Refused(Refusal::Eligibility(r)))
                if r == policy::eligibility::RefusalReason::BirthInFuture =>
            {
                return Err(at(format!("m{i}_id_number"), r));
            }
            Err(Error::Refused(r)) => terms.push(Err(r.code())),
            Err(e) => return Err(e.into()),
        }
    }

    let mut tx = db.begin_write().await?;
    // Someone already recorded (another household, a school): refused, by field.
    for (i, m) in members.iter().enumerate() {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM persons WHERE id_number = $1")
            .bind(&m.id_number)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(at(
                format!("m{i}_id_number"),
                crate::error::HouseholdError::PersonExists,
            ));
        }
    }
    let number =
        crate::numbering::next_household(&mut tx, &new.office_code, new.policy_year).await?;
    let now = now_ms();
    let household_id: i64 = sqlx::query_scalar(
        "INSERT INTO households (number, office_code, county_code, address, hukou_type, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&number)
    .bind(&new.office_code)
    .bind(&county)
    .bind(address)
    .bind(hukou)
    .bind(now)
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await?;
    let mut changes = vec![Change {
        action: "household.create",
        entity: "household",
        entity_id: household_id.to_string(),
        before: None,
        after: Some(
            json!({"number": number, "office_code": new.office_code, "county_code": county,
                           "address": address, "hukou_type": hukou, "policy_year": new.policy_year}),
        ),
    }];
    let people: Vec<NewPerson<'_>> = members
        .iter()
        .map(|m| NewPerson {
            id_number: &m.id_number,
            name: &m.name,
            household_id: Some(household_id),
            school_code: None,
            school_class: None,
            county_code: &county,
            facts: &m.facts,
        })
        .collect();
    let inserted = crate::households::insert_persons(&mut tx, actor.user_id, &people)
        .await
        .map_err(|e| match e {
            Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
                Error::from(crate::error::HouseholdError::PersonExists)
            }
            other => other,
        })?;
    let persons: Vec<i64> = inserted.iter().map(|(id, _)| *id).collect();
    changes.extend(inserted.into_iter().map(|(_, c)| c));
    for (pid, m) in persons.iter().zip(&members) {
        let phone = (!m.phone.is_empty()).then_some(m.phone.as_str());
        sqlx::query(
            "INSERT INTO household_members (person_id, household_id, relation, phone) VALUES ($1, $2, $3, $4)",
        )
        .bind(pid)
        .bind(household_id)
        .bind(m.relation.code())
        .bind(phone)
        .execute(&mut *tx)
        .await?;
        changes.push(Change {
            action: "household.member",
            entity: "person",
            entity_id: pid.to_string(),
            before: None,
            after: Some(json!({"household_id": household_id, "relation": m.relation.code(), "phone": phone})),
        });
    }
    let mut drafts = Vec::new();
    let mut not_enrolled = Vec::new();
    for (pid, t) in persons.iter().zip(&terms) {
        match t {
            Ok(t) => drafts.push((*pid, t)),
            Err(reason) => not_enrolled.push((*pid, *reason)),
        }
    }
    let made =
        crate::enrolment::insert_drafts(&mut tx, actor, &new.office_code, new.policy_year, &drafts)
            .await
            .map_err(|e| match e {
                Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
                    Error::from(EnrolmentError::AlreadyEnrolled)
                }
                other => other,
            })?;
    let enrolments = made.iter().map(|(id, _)| *id).collect();
    changes.extend(made.into_iter().map(|(_, c)| c));
    audit::record_many(&mut tx, By::User(actor), changes).await?;
    let (code, code_expires_at) = issue_in(&mut tx, actor, household_id, code_days).await?;
    tx.commit().await?;
    Ok(Opened {
        household_id,
        number,
        code,
        code_expires_at,
        persons,
        enrolments,
        not_enrolled,
    })
}

/// The letters of a code: no 0/O, no 1/I.
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LEN: usize = 12;

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    let raw: String = (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect();
    format_code(&raw)
}

/// `ABCDEFGHJKLM` as printed: `ABCD-EFGH-JKLM`.
fn format_code(raw: &str) -> String {
    raw.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed, made canonical: spaces and hyphens dropped, full-width
/// letters and digits read as ASCII, lower case as upper.
pub fn normalise_code(typed: &str) -> String {
    policy::idcard::normalise(typed)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn code_hash(typed: &str) -> String {
    hex::encode(Sha256::digest(
        format!("activation:{}", normalise_code(typed)).as_bytes(),
    ))
}

/// Revokes the household's open codes and issues a new one, inside the
/// caller's transaction; audited without the code.
async fn issue_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    household_id: i64,
    days: i64,
) -> Result<(String, i64)> {
    let now = now_ms();
    let revoked = sqlx::query(
        "UPDATE activation_codes SET revoked_at = $1 WHERE household_id = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(household_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let code = new_code();
    let expires_at = now + days.clamp(1, 365) * 86_400_000;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activation_codes (household_id, code_hash, issued_by, issued_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(household_id)
    .bind(code_hash(&code))
    .bind(actor.user_id)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        By::User(actor),
        Change {
            action: "household.activation_code",
            entity: "household",
            entity_id: household_id.to_string(),
            before: None,
            // Never the code.
            after: Some(json!({"code_id": id, "expires_at": expires_at, "revoked": revoked})),
        },
    )
    .await?;
    Ok((code, expires_at))
}

/// The office of the household issues a new code; the old ones stop working.
pub async fn reissue_code(
    db: &Db,
    actor: &Actor,
    household_id: i64,
    days: i64,
) -> Result<(String, i64)> {
    let h = crate::households::get(db, actor, household_id).await?;
    if actor.role != Role::OfficeAgent || actor.org_code.as_deref() != Some(h.office_code.as_str())
    {
        return Err(Error::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    let issued = issue_in(&mut tx, actor, household_id, days).await?;
    tx.commit().await?;
    Ok(issued)
}

/// Where the household's code stands, for the printed form: the expiry of
/// the open one, if any (never the code).
pub async fn open_code_expiry(db: &Db, actor: &Actor, household_id: i64) -> Result<Option<i64>> {
    crate::households::get(db, actor, household_id).await?;
    Ok(sqlx::query_scalar(
        "SELECT MAX(expires_at) FROM activation_codes
         WHERE household_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(household_id)
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?)
}

/// The hukou type recorded when the household was opened at the desk.
/// Callers have read the household through their scope first.
pub async fn hukou_type_of(db: &Db, household_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT hukou_type FROM households WHERE id = $1")
            .bind(household_id)
            .fetch_optional(&db.pool)
            .await?
            .flatten(),
    )
}

/// A resident's sign-up with the code from the office.
#[derive(Debug, Clone, Default)]
pub struct Signup {
    pub code: String,
    /// The identity number of a member of the code's household.
    pub id_number: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// Creates a resident account bound to the code's household and uses the
/// code, in one transaction; answers the new account's id. A wrong, used,
/// revoked or expired code, or a number of no member of its household, is
/// `activation_code`, all alike.
pub async fn signup(db: &Db, s: &Signup) -> std::result::Result<i64, Refused> {
    let username = s.username.trim().to_lowercase();
    if !crate::accounts::valid_username(&username) {
        return Err(at("username", AccountError::Username));
    }
    let display_name = s.display_name.trim();
    if display_name.is_empty() {
        return Err(at("display_name", AccountError::DisplayName));
    }
    if display_name.chars().count() > crate::accounts::MAX_DISPLAY_NAME_LEN {
        return Err(at("display_name", AccountError::DisplayNameTooLong));
    }
    crate::accounts::check_new_password(&s.password).map_err(|e| at("password", e))?;
    let wrong = || at("code", OpenError::ActivationCode);
    if normalise_code(&s.code).len() != CODE_LEN {
        return Err(wrong());
    }
    let id_number = policy::idcard::check(&s.id_number)
        .map(|id| id.number)
        .map_err(|e| at("id_number", e))?;
    let now = now_ms();
    let found: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.household_id FROM activation_codes c
         WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > $2
           AND EXISTS (SELECT 1 FROM persons p WHERE p.household_id = c.household_id AND p.id_number = $3)",
    )
    .bind(code_hash(&s.code))
    .bind(now)
    .bind(&id_number)
    .fetch_optional(&db.pool)
    .await?;
    let Some((code_id, household_id)) = found else {
        return Err(wrong());
    };
    let hash = crate::accounts::hash_blocking(&s.password).await?;
    let mut tx = db.begin_write().await?;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, org_code, household_id, created_at, id_number)
         VALUES ($1, $2, $3, 'resident', NULL, $4, $5, $6) RETURNING id",
    )
    .bind(&username)
    .bind(display_name)
    .bind(&hash)
    .bind(household_id)
    .bind(now)
    // The member who signed up: what they are to the others they pay and
    // claim for is read from it (crate::acting).
    .bind(&id_number)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match Error::from(e) {
        Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
            at("username", AccountError::UsernameTaken)
        }
        other => other.into(),
    })?;
    // One sign-up wins the code; the other's account is rolled back.
    let used = sqlx::query(
        "UPDATE activation_codes SET used_at = $1, used_by = $2
         WHERE id = $3 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(code_id);
    let system = By::System("signup");
    audit::transition(
        &mut tx,
        used,
        OpenError::ActivationCode,
        By::System("signup"),
        Change {
            action: "household.activation_code_used",
            entity: "household",
            entity_id: household_id.to_string(),
            before: None,
            after: Some(json!({"code_id": code_id, "user_id": user_id})),
        },
    )
    .await
    .map_err(|e| match e {
        Error::Refused(_) => wrong(),
        other => other.into(),
    })?;
    audit::record(
        &mut tx,
        system,
        Change {
            action: "user.create",
            entity: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: Some(json!({"username": username, "display_name": display_name, "role": "resident",
                               "household_id": household_id, "by": "activation_code", "code_id": code_id})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Full-width letters, digits and signs as ASCII, the ideographic space as a space.
pub fn halfwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Households on an office's lists, a page at a time.
pub const PER_PAGE: i64 = 20;

/// One page (from 1) of the households the actor may see, newest first,
/// narrowed by `query` when it holds anything: a household number's
/// beginning, part of the address, or the beginning of a member's name.
/// Answers the page and whether another follows.
pub async fn list_page(
    db: &Db,
    actor: &Actor,
    query: &str,
    page: i64,
    per_page: i64,
) -> Result<(Vec<crate::households::Household>, bool)> {
    let per_page = per_page.clamp(1, 100);
    let page = page.clamp(1, 100_000);
    // What LIKE would read as a wildcard is dropped, not escaped: nobody
    // searches for them.
    let q: String = halfwidth(query.trim())
        .chars()
        .filter(|c| *c != '%' && *c != '_')
        .take(40)
        .collect();
    let filter = if q.is_empty() {
        "1 = 1"
    } else {
        "(h.number LIKE $3 || '%' OR h.address LIKE '%' || $3 || '%'
          OR EXISTS (SELECT 1 FROM persons hp WHERE hp.household_id = h.id AND hp.name LIKE $3 || '%'))"
    };
    let clause = actor.household_clause(if q.is_empty() { 3 } else { 4 });
    let sql = format!(
        "SELECT h.id, h.number, h.office_code, h.county_code, h.address FROM households h
         WHERE {filter} AND ({}) ORDER BY h.id DESC LIMIT $1 OFFSET $2",
        clause.sql
    );
    let mut q_ = sqlx::query(&sql)
        .bind(per_page + 1)
        .bind((page - 1) * per_page);
    if !q.is_empty() {
        q_ = q_.bind(q);
    }
    let q = q_;
    let rows = clause.bind_query(q).fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        use sqlx::Row;
        out.push(crate::households::Household {
            id: r.try_get("id")?,
            number: r.try_get("number")?,
            office_code: r.try_get("office_code")?,
            county_code: r.try_get("county_code")?,
            address: r.try_get("address")?,
        });
    }
    let more = out.len() as i64 > per_page;
    out.truncate(usize::try_from(per_page).unwrap_or(20));
    Ok((out, more))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_typed() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        let plain = normalise_code(&code);
        assert_eq!(plain.len(), CODE_LEN);
        let typed = format!(
            " {} ",
            plain
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_digit() {
                    char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c)
                } else {
                    c
                })
                .collect::<String>()
        );
        assert_eq!(code_hash(&typed), code_hash(&code));
        assert_eq!(normalise_code("abcd efgh-jk　lm"), "ABCDEFGHJKLM");
    }

    #[test]
    fn phones_read_as_typed() {
        assert_eq!(checked_phone("").unwrap(), "");
        assert_eq!(checked_phone("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(checked_phone("+86 13800138000").unwrap(), "13800138000");
        assert_eq!(
            checked_phone("１３８００１３８０００").unwrap(),
            "13800138000"
        );
        assert!(checked_phone("12ab").is_err());
        assert!(checked_phone("123").is_err());
    }
}
