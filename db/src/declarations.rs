//! Declarations (核定表): an office or school hands the premiums it collected
//! in cash over to the agency within 3 working days (E13). Until declared, a
//! cash payment is on the collector's list with its deadline; late ones show
//! on the collector's and the agency's home pages.

use chrono::NaiveDate;
use policy::calendar::Paperwork;
use policy::params::Rules;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::PaymentError;
use crate::numbering::{self, Series};
use crate::payments::Payment;
use crate::{local_date, Actor, Db, Error, Result};

/// A cash premium still to declare, with the last day to declare it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undeclared {
    pub payment: Payment,
    /// None when the calendar of the payment's year is not in the parameters.
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
}

fn deadline(rules: &Rules, paid_on: &str) -> Option<NaiveDate> {
    crate::deadline_after(rules, Paperwork::DeclarePremiums, paid_on)
}

/// The cash premiums the actor's office or school has not declared yet, oldest first.
pub async fn undeclared(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<Undeclared>> {
    let org = actor.agent_org()?;
    let payments = crate::payments::undeclared_of(db, &org).await?;
    Ok(payments
        .into_iter()
        .map(|payment| {
            let deadline = deadline(rules, &payment.paid_on);
            Undeclared {
                overdue: deadline.is_some_and(|d| today > d),
                deadline,
                payment,
            }
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub number: String,
    pub org_code: String,
    pub org_name: String,
    pub declared_by: String,
    pub declared_at: i64,
    pub payments: i64,
    pub total_fen: i64,
}

/// What the agent saw before confirming: how many premiums, how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub payments: i64,
    pub total_fen: i64,
}

/// Declares every undeclared cash premium of the actor's organisation under
/// one number. From the desk, `seen` is what the page showed when the agent
/// confirmed: if cash came in or went elsewhere meanwhile the declaration
/// is refused (`declaration_changed`) rather than declaring what nobody saw.
pub async fn declare(
    db: &Db,
    actor: &Actor,
    at_ms: i64,
    seen: Option<Seen>,
) -> Result<Declaration> {
    let org = actor.agent_org()?;
    let year = chrono::Datelike::year(&local_date(at_ms));
    let mut tx = db.begin_write().await?;
    let (count, total): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(amount_fen) AS BIGINT) FROM payments WHERE collected_org = $1 AND declaration_id IS NULL AND channel <> 'online'",
    )
    .bind(&org)
    .fetch_one(&mut *tx)
    .await?;
    let total = total.unwrap_or(0);
    if count == 0 {
        return Err(Error::from(PaymentError::NothingToDeclare));
    }
    if seen.is_some_and(|s| {
        s != Seen {
            payments: count,
            total_fen: total,
        }
    }) {
        return Err(Error::from(PaymentError::DeclarationChanged));
    }
    let number = numbering::next(&mut tx, Series::Declaration, year).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO declarations (number, org_code, declared_by, declared_at, payments, total_fen)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&number)
    .bind(&org)
    .bind(actor.user_id)
    .bind(at_ms)
    .bind(count)
    .bind(total)
    .fetch_one(&mut *tx)
    .await?;
    let marked = sqlx::query(
        "UPDATE payments SET declaration_id = $1 WHERE collected_org = $2 AND declaration_id IS NULL AND channel <> 'online'",
    )
    .bind(id)
    .bind(&org)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // BEGIN IMMEDIATE (SQLite) or the number row's lock (PostgreSQL) keeps
    // another declaration out between the count and the update; if a payment
    // slipped in anyway the totals would lie, so refuse.
    if marked as i64 != count {
        return Err(Error::from(PaymentError::DeclarationChanged));
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "declaration.declare",
            entity: "declaration",
            entity_id: number.clone(),
            before: None,
            after: Some(json!({"org": org, "payments": count, "total_fen": total})),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, actor, &number).await
}

/// A declaration the actor may see: its organisation's agents, or the agency.
pub async fn get(db: &Db, actor: &Actor, number: &str) -> Result<Declaration> {
    let sql = format!("{SELECT} WHERE d.number = $1");
    let row = sqlx::query(&sql)
        .bind(number)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    let county: Option<String> = row.try_get("county_code")?;
    let d = from_row(&row)?;
    if !actor.sees_org(&d.org_code, county.as_deref()) {
        return Err(Error::Forbidden);
    }
    Ok(d)
}

const SELECT: &str = "SELECT d.number, d.org_code, o.name_zh, o.county_code, u.display_name, d.declared_at, d.payments, d.total_fen
    FROM declarations d JOIN org_units o ON o.code = d.org_code JOIN users u ON u.id = d.declared_by";

fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Declaration> {
    Ok(Declaration {
        number: row.try_get("number")?,
        org_code: row.try_get("org_code")?,
        org_name: row.try_get("name_zh")?,
        declared_by: row.try_get("display_name")?,
        declared_at: row.try_get("declared_at")?,
        payments: row.try_get("payments")?,
        total_fen: row.try_get("total_fen")?,
    })
}

/// The payments a declaration covers.
pub async fn lines(db: &Db, actor: &Actor, number: &str) -> Result<Vec<Payment>> {
    get(db, actor, number).await?;
    crate::payments::of_declaration(db, number).await
}

/// The declarations of the actor's organisation, newest first.
pub async fn list(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Declaration>> {
    let org = actor.agent_org()?;
    // One query: the organisation is the actor's own, so no row needs a scope check.
    let sql = format!("{SELECT} WHERE d.org_code = $1 ORDER BY d.id DESC LIMIT $2");
    let rows = sqlx::query(&sql)
        .bind(&org)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(from_row).collect::<sqlx::Result<_>>()?)
}

/// An organisation with cash premiums past their declaration deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueOrg {
    pub org_code: String,
    pub org_name: String,
    pub payments: i64,
    pub total_fen: i64,
    pub earliest_deadline: NaiveDate,
}

/// For the agency: which offices and schools of its county are late declaring.
pub async fn overdue(
    db: &Db,
    rules: &Rules,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<OverdueOrg>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    // The oldest undeclared payment of each organisation decides whether it
    // is late; a deadline is at least 3 days after payment, so only those
    // older than that are looked at.
    let rows: Vec<(String, String, Option<String>, i64, i64, String)> = sqlx::query_as(
        "SELECT y.collected_org, o.name_zh, o.county_code, COUNT(*), CAST(SUM(y.amount_fen) AS BIGINT), MIN(y.paid_on)
         FROM payments y JOIN org_units o ON o.code = y.collected_org
         WHERE y.declaration_id IS NULL AND y.channel <> 'online' AND y.paid_on < $1
         GROUP BY y.collected_org, o.name_zh, o.county_code ORDER BY y.collected_org",
    )
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| actor.county_code.is_none() || actor.county_code == r.2)
        .filter_map(|(org_code, org_name, _, payments, total_fen, oldest)| {
            let d = deadline(rules, &oldest)?;
            (today > d).then_some(OverdueOrg {
                org_code,
                org_name,
                payments,
                total_fen,
                earliest_deadline: d,
            })
        })
        .collect())
}
