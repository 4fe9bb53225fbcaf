//! Server-side sessions: the cookie holds a random token, the database holds
//! its SHA-256, so any instance behind a load balancer can resolve it and a
//! stolen database does not yield live tokens.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::scope::Actor;
use crate::{now_ms, Db, Result};

/// A session ends after this long without a request (PORTAL_SESSION_IDLE_MINUTES).
pub fn idle_ms() -> i64 {
    positive_env("PORTAL_SESSION_IDLE_MINUTES", 30) * 60_000
}

/// A positive whole number from the environment, else `default`.
fn positive_env(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// A session ends this long after it began, however busy
/// (PORTAL_SESSION_MAX_HOURS): a token copied once is not good for ever.
pub fn max_ms() -> i64 {
    positive_env("PORTAL_SESSION_MAX_HOURS", 12) * 3_600_000
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session and returns the token for the cookie.
pub async fn start(db: &Db, user_id: i64) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// The actor behind a token, if the session is live; refreshes its idle clock.
pub async fn resolve(db: &Db, token: &str) -> Result<Option<Actor>> {
    let hash = token_hash(token);
    let row =
        sqlx::query("SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(&db.pool)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let user_id: i64 = row.try_get("user_id")?;
    let created: i64 = row.try_get("created_at")?;
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let now = now_ms();
    if now - last_seen > idle_ms() || now - created > max_ms() {
        end(db, token).await?;
        return Ok(None);
    }
    // Touch at most once a minute: a page load makes several requests.
    if now - last_seen > 60_000 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    crate::accounts::actor_by_id(db, user_id).await
}

pub async fn end(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Whether the account behind a token must choose a new password first (an
/// administrator reset it); false without a session.
pub async fn must_change_password(db: &Db, token: &str) -> Result<bool> {
    let flag: Option<i64> = sqlx::query_scalar(
        "SELECT u.must_change_password FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(flag.unwrap_or(0) != 0)
}

/// Deletes idle and expired sessions; run by the scheduled task. Returns how many.
pub async fn purge_idle(db: &Db) -> Result<u64> {
    let now = now_ms();
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(now - idle_ms())
            .bind(now - max_ms())
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
