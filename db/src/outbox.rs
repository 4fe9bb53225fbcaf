//! The message outbox: every text the portal sends (a one-time code by SMS)
//! is written here first, inside the transaction that makes it, in the
//! recipient's language; a delivery loop (server/src/messenger.rs) then hands
//! each due message to the configured gateway. A failed delivery is counted,
//! its error kept, and retried later with a growing wait, until it has failed
//! [`MAX_ATTEMPTS`] times: then it stays `failed`, visible on /admin/outbox.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// Deliveries tried before a message is left `failed`.
pub const MAX_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub to_phone: String,
    /// `signup` or `reset`.
    pub purpose: String,
    pub lang: String,
    pub body: String,
    pub county_code: Option<String>,
    pub created_at: i64,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

const COLS: &str = "id, to_phone, purpose, lang, body, county_code, created_at, status, attempts,
    delivered_at, last_error";

fn from_row(r: &sqlx::any::AnyRow) -> sqlx::Result<Message> {
    Ok(Message {
        id: r.try_get("id")?,
        to_phone: r.try_get("to_phone")?,
        purpose: r.try_get("purpose")?,
        lang: r.try_get("lang")?,
        body: r.try_get("body")?,
        county_code: r.try_get("county_code")?,
        created_at: r.try_get("created_at")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        delivered_at: r.try_get("delivered_at")?,
        last_error: r.try_get("last_error")?,
    })
}

/// A message to send, as its maker writes it.
pub struct NewMessage<'a> {
    pub to_phone: &'a str,
    pub purpose: &'a str,
    pub lang: &'a str,
    pub body: String,
    pub county_code: Option<String>,
}

/// Writes a message inside the caller's transaction; due at once.
pub(crate) async fn enqueue(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    m: NewMessage<'_>,
) -> Result<i64> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO messages (to_phone, purpose, lang, body, county_code, created_at, status, attempts,
             next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $6) RETURNING id",
    )
    .bind(m.to_phone)
    .bind(m.purpose)
    .bind(m.lang)
    .bind(&m.body)
    .bind(&m.county_code)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// The wait before attempt `n + 1` after `n` failures: 10 s, 40 s, 90 s …
fn backoff_ms(failures: i64) -> i64 {
    10_000 * failures * failures
}

/// Takes up to `limit` due messages for delivery. Each is claimed by one
/// conditional update (its attempt counted, its next try pushed back), so
/// two instances never deliver the same attempt.
pub async fn claim_due(db: &Db, limit: i64) -> Result<Vec<Message>> {
    let now = now_ms();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM messages WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut claimed = Vec::new();
    for id in ids {
        let sql = format!(
            "UPDATE messages SET attempts = attempts + 1, next_attempt_at = $1
             WHERE id = $2 AND status = 'pending' AND next_attempt_at <= $3 RETURNING {COLS}"
        );
        // Held for a minute while this instance tries; a failure sets the real wait.
        if let Some(row) = sqlx::query(&sql)
            .bind(now + 60_000)
            .bind(id)
            .bind(now)
            .fetch_optional(&db.pool)
            .await?
        {
            claimed.push(from_row(&row)?);
        }
    }
    Ok(claimed)
}

/// The gateway took the message.
pub async fn delivered(db: &Db, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE messages SET status = 'delivered', delivered_at = $1, last_error = NULL
         WHERE id = $2 AND status = 'pending'",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The gateway refused or failed: retried later, or left `failed` after
/// [`MAX_ATTEMPTS`].
pub async fn failed(db: &Db, id: i64, attempts: i64, error: &str) -> Result<()> {
    let error: String = error.chars().take(500).collect();
    sqlx::query(
        "UPDATE messages SET status = CASE WHEN attempts >= $1 THEN 'failed' ELSE 'pending' END,
             next_attempt_at = $2, last_error = $3
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(MAX_ATTEMPTS)
    .bind(now_ms() + backoff_ms(attempts))
    .bind(error)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The newest messages an administrator may read: the league's all, a
/// county's those of its county. Only administrators.
pub async fn list(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Message>> {
    if actor.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    let (cond, county) = match &actor.county_code {
        None => ("1 = 1", None),
        Some(c) => ("county_code = $2", Some(c.clone())),
    };
    let sql = format!("SELECT {COLS} FROM messages WHERE {cond} ORDER BY id DESC LIMIT $1");
    let mut q = sqlx::query(&sql).bind(limit);
    if let Some(c) = county {
        q = q.bind(c);
    }
    let rows = q.fetch_all(&db.pool).await?;
    Ok(rows.iter().map(from_row).collect::<sqlx::Result<_>>()?)
}
