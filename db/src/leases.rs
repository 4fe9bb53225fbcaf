//! A scheduled task runs on one instance at a time: before each run an
//! instance takes the task's lease in the database, which works the same on
//! SQLite and PostgreSQL and survives a crashed holder (the lease expires).

use crate::{now_ms, Db, Result};

/// Takes or renews the lease on `task` for `ttl_ms`; true if this holder has it.
pub async fn try_acquire(db: &Db, task: &str, holder: &str, ttl_ms: i64) -> Result<bool> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    // Insert-if-absent, then take over only an expired lease or our own.
    sqlx::query("INSERT INTO task_leases (name, holder, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .bind(task)
        .bind(holder)
        .bind(now + ttl_ms)
        .execute(&mut *tx)
        .await?;
    let taken = sqlx::query("UPDATE task_leases SET holder = $1, expires_at = $2 WHERE name = $3 AND (holder = $1 OR expires_at < $4)")
        .bind(holder)
        .bind(now + ttl_ms)
        .bind(task)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(taken == 1)
}

pub async fn release(db: &Db, task: &str, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM task_leases WHERE name = $1 AND holder = $2")
        .bind(task)
        .bind(holder)
        .execute(&db.pool)
        .await?;
    Ok(())
}
