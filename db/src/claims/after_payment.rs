//! Fraud found after payment (M29 二, 三): suspension, interest and repayment.

use super::*;
use crate::error::{ClaimError, InputError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionRow {
    pub id: i64,
    pub person_id: i64,
    pub claim_number: String,
    pub fraud_case: String,
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub amount_fen: i64,
    pub fraud_on: Option<NaiveDate>,
    pub repaid_on: Option<NaiveDate>,
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
                from_on: row::date(r, "from_on")?,
                until_on: row::date_opt(r, "until_on")?,
                amount_fen: r.try_get("amount_fen")?,
                fraud_on: row::date_opt(r, "fraud_on")?,
                repaid_on: row::date_opt(r, "repaid_on")?,
                interest_fen: r.try_get("interest_fen")?,
                interest_rate: r.try_get("interest_rate")?,
                explanation_json: r.try_get("explanation_json")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    if claim.status != ClaimStatus::Paid {
        return Err(Error::from(ClaimError::ClaimNotPaid));
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
    let s = fraud::suspension(rules, fraud_case).map_err(Error::from)?;
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
        return Err(Error::from(ClaimError::InterestRate));
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
        .ok_or(Error::from(ClaimError::InterestRateUnset))?;
    let row: Option<(String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT fraud_case, amount_fen, fraud_on, repaid_on FROM suspensions WHERE id = $1",
    )
    .bind(suspension_id)
    .fetch_optional(&db.pool)
    .await?;
    let (case, amount, fraud_on, repaid) = row.ok_or(Error::NotFound)?;
    if case != "not_refunded" || repaid.is_some() {
        return Err(Error::from(ClaimError::AlreadyRepaid));
    }
    let from = day(&fraud_on.ok_or(Error::from(ClaimError::FraudOn))?)?;
    let interest = fraud::interest(Money::from_fen(amount), rate, from, repaid_on);
    let resume = repaid_on.succ_opt().ok_or(Error::from(InputError::Date))?;
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
