//! Payment notices (缴费通知单): what a person owes for a policy year, by
//! when, under a gap-free number, with a verification code for its QR link.
//!
//! A notice exists for an approved enrolment only, and there is one per
//! enrolment: issuing is idempotent, so the resident's phone, the office's
//! printer and the demo seed all see the same number.

use chrono::NaiveDate;
use policy::contribution;
use policy::params::Rules;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::enrolment::{self, Enrolment, Status};
use crate::error::EnrolmentError;
use crate::numbering::{self, Series};
use crate::{households, now_ms, Actor, Db, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    Open,
    Paid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub number: String,
    pub enrolment_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub amount_fen: i64,
    /// The last day to pay on time, `YYYY-MM-DD` (E8).
    pub due_date: String,
    pub status: NoticeStatus,
    pub verify_code: String,
    pub issued_at: i64,
}

const COLS: &str =
    "n.id, n.number, n.enrolment_id, n.person_id, p.name, p.id_number, n.policy_year, n.amount_fen,
    n.due_date, n.status, n.verify_code, n.issued_at";

struct NoticeRow(Notice);

impl sqlx::FromRow<'_, AnyRow> for NoticeRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        from_row(row)
            .map(NoticeRow)
            .map_err(|e| sqlx::Error::Decode(e.to_string().into()))
    }
}

fn from_row(row: &AnyRow) -> Result<Notice> {
    let status: String = row.try_get("status")?;
    let id_number: String = row.try_get("id_number")?;
    let year: i64 = row.try_get("policy_year")?;
    Ok(Notice {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        enrolment_id: row.try_get("enrolment_id")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("name")?,
        id_masked: households::masked_id(&id_number),
        policy_year: year as i32,
        amount_fen: row.try_get("amount_fen")?,
        due_date: row.try_get("due_date")?,
        status: if status == "paid" {
            NoticeStatus::Paid
        } else {
            NoticeStatus::Open
        },
        verify_code: row.try_get("verify_code")?,
        issued_at: row.try_get("issued_at")?,
    })
}

/// The premium years a person has paid (back-paid years included).
pub async fn paid_years(db: &Db, person_id: i64) -> Result<Vec<i32>> {
    let years: Vec<i64> = sqlx::query_scalar(
        "SELECT policy_year FROM payments WHERE person_id = $1 AND kind = 'premium' ORDER BY policy_year",
    )
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(years.into_iter().map(|y| y as i32).collect())
}

/// The due date of `year` for this person, from the years paid so far.
pub fn due_date(rules: &Rules, paid: &[i32], year: i32) -> Result<NaiveDate> {
    let first = contribution::first_enrolled_year(paid, year);
    contribution::due_date(rules, first, year).map_err(Error::from)
}

async fn by_enrolment(db: &Db, enrolment_id: i64) -> Result<Option<Notice>> {
    let sql = format!(
        "SELECT {COLS} FROM payment_notices n JOIN persons p ON p.id = n.person_id WHERE n.enrolment_id = $1"
    );
    let row = sqlx::query(&sql)
        .bind(enrolment_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A notice by number, whoever asks: for the provider's notification, which
/// has no user behind it.
pub(crate) async fn by_number(db: &Db, number: &str) -> Result<Notice> {
    let sql = format!("SELECT {COLS} FROM payment_notices n JOIN persons p ON p.id = n.person_id WHERE n.number = $1");
    let row = sqlx::query(&sql)
        .bind(number)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref()
        .map(from_row)
        .transpose()?
        .ok_or(Error::NotFound)
}

/// The notice of an approved enrolment, issued on first asking.
pub(crate) async fn issue(db: &Db, rules: &Rules, e: &Enrolment, at_ms: i64) -> Result<Notice> {
    if e.status != Status::Approved {
        return Err(Error::from(EnrolmentError::NotApproved));
    }
    if let Some(n) = by_enrolment(db, e.id).await? {
        return Ok(n);
    }
    let paid = paid_years(db, e.person_id).await?;
    let due = due_date(rules, &paid, e.policy_year)?;
    let mut code = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut code);
    let code = hex::encode(code);
    let mut tx = db.begin_write().await?;
    let number = numbering::next(&mut tx, Series::Notice, e.policy_year).await?;
    let inserted = sqlx::query(
        "INSERT INTO payment_notices (number, enrolment_id, person_id, policy_year, amount_fen, due_date, verify_code, status, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
    )
    .bind(&number)
    .bind(e.id)
    .bind(e.person_id)
    .bind(i64::from(e.policy_year))
    .bind(e.personal_fen)
    .bind(due.to_string())
    .bind(&code)
    .bind(at_ms)
    .fetch_one(&mut *tx)
    .await;
    if let Err(err) = inserted {
        // Another request issued it first (UNIQUE enrolment_id): its number
        // stands and ours rolls back with this transaction.
        drop(tx);
        return match by_enrolment(db, e.id).await? {
            Some(n) => Ok(n),
            None => Err(err.into()),
        };
    }
    audit::record(
        &mut tx,
        By::System("notices"),
        Change {
            action: "notice.issue",
            entity: "payment_notice",
            entity_id: number.clone(),
            before: None,
            after: Some(json!({"enrolment": e.id, "amount_fen": e.personal_fen, "due_date": due.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    by_enrolment(db, e.id).await?.ok_or(Error::NotFound)
}

/// The notice of an enrolment the actor may see, issued if it is the first asking.
pub async fn for_enrolment(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    enrolment_id: i64,
) -> Result<Notice> {
    let e = enrolment::get(db, actor, enrolment_id).await?;
    issue(db, rules, &e, now_ms()).await
}

/// A notice by number, for an actor whose scope covers its person.
pub async fn get(db: &Db, actor: &Actor, number: &str) -> Result<Notice> {
    let clause = actor.person_clause(2);
    let sql = format!(
        "SELECT {COLS} FROM payment_notices n JOIN persons p ON p.id = n.person_id WHERE n.number = $1 AND ({})",
        clause.sql
    );
    let q = sqlx::query_as::<_, NoticeRow>(&sql).bind(number);
    match clause.bind_to(q).fetch_optional(&db.pool).await? {
        Some(row) => Ok(row.0),
        None => {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM payment_notices WHERE number = $1")
                    .bind(number)
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

/// What anyone holding the printed notice may check through its QR link:
/// that the number is genuine, for whom (masked), how much, and whether paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub number: String,
    pub name_masked: String,
    pub id_masked: String,
    pub policy_year: i32,
    pub amount_fen: i64,
    pub due_date: String,
    pub paid: bool,
}

pub async fn verify(db: &Db, number: &str, code: &str) -> Result<Verification> {
    let n = by_number(db, number).await?;
    // Same answer for a wrong code as for no notice: the link proves nothing.
    if n.verify_code != code {
        return Err(Error::NotFound);
    }
    let mut name = n.person_name.chars();
    let first: String = name.next().into_iter().collect();
    Ok(Verification {
        number: n.number,
        name_masked: format!("{first}{}", "*".repeat(name.count())),
        id_masked: n.id_masked,
        policy_year: n.policy_year,
        amount_fen: n.amount_fen,
        due_date: n.due_date,
        paid: n.status == NoticeStatus::Paid,
    })
}

/// Every notice of the actor's scope for a person, newest year first.
pub async fn for_person(db: &Db, actor: &Actor, person_id: i64) -> Result<Vec<Notice>> {
    households::get_person(db, actor, person_id).await?;
    let sql = format!(
        "SELECT {COLS} FROM payment_notices n JOIN persons p ON p.id = n.person_id WHERE n.person_id = $1 ORDER BY n.policy_year DESC"
    );
    let rows = sqlx::query(&sql)
        .bind(person_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}
