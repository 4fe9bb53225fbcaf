//! The audit trail: every change writes an entry in the same transaction,
//! chained by SHA-256 so that editing or deleting a row of the table (which
//! the portal never does, and triggers refuse) is detectable by `verify`.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::{now_ms, Result};

/// Who did it: a user, or the system (migrations, scheduled tasks, the CLI).
pub enum By<'a> {
    User(&'a crate::Actor),
    System(&'a str),
}

impl By<'_> {
    fn label(&self) -> String {
        match self {
            By::User(a) => format!("user:{}:{}", a.user_id, a.username),
            By::System(what) => format!("system:{what}"),
        }
    }
}

pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Change<'a> {
    /// A change recorded by what it left (no "before").
    pub fn after(action: &'a str, entity: &'a str, id: impl ToString, after: Value) -> Self {
        Change {
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(after),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry over its fields, in table order, the previous hash first.
fn entry_hash(fields: [&str; 9]) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries hash the same bytes.
    for part in fields {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// A change of state: the conditional `UPDATE` (its `WHERE` names the state
/// it expects) must change exactly one row, else someone else got there
/// first and `raced` is the answer; then the change's audit entry. Nothing is
/// written unless both happen: the caller commits.
pub async fn transition<'q>(
    tx: &mut Transaction<'static, Any>,
    update: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    raced: impl Into<crate::Error>,
    by: By<'_>,
    change: Change<'_>,
) -> Result<i64> {
    if update.execute(&mut **tx).await?.rows_affected() != 1 {
        return Err(raced.into());
    }
    record(tx, by, change).await
}

/// Appends one entry inside the caller's transaction.
pub async fn record(
    tx: &mut Transaction<'static, Any>,
    by: By<'_>,
    change: Change<'_>,
) -> Result<i64> {
    record_many(tx, by, vec![change]).await
}

struct Pending<'a> {
    seq: i64,
    action: &'a str,
    entity: &'a str,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
}

/// Entries per INSERT: ten values each, well inside both engines' limits on
/// bound parameters.
const ROWS_PER_INSERT: usize = 200;

/// Appends entries in order inside the caller's transaction, chained exactly
/// as one `record` call each would chain them, but with one turn of the head
/// and multi-row inserts: a roster of thousands of pupils writes thousands of
/// entries. Returns the sequence number of the last (the head's, if none).
pub async fn record_many(
    tx: &mut Transaction<'static, Any>,
    by: By<'_>,
    changes: Vec<Change<'_>>,
) -> Result<i64> {
    let n = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    // The UPDATE takes the head row's lock first, so concurrent writers line up
    // and each sees the hash of the entry before it.
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(n)
        .fetch_one(&mut **tx)
        .await?;
    let last: i64 = head.try_get("seq")?;
    let mut prev: String = head.try_get("hash")?;
    if changes.is_empty() {
        return Ok(last);
    }
    let at = now_ms();
    let actor = by.label();
    let mut rows: Vec<Pending<'_>> = Vec::with_capacity(changes.len());
    for (seq, change) in (last - n + 1..).zip(changes) {
        let before = change.before.map(|v| v.to_string());
        let after = change.after.map(|v| v.to_string());
        let hash = entry_hash([
            &prev,
            &seq.to_string(),
            &at.to_string(),
            &actor,
            change.action,
            change.entity,
            &change.entity_id,
            before.as_deref().unwrap_or(""),
            after.as_deref().unwrap_or(""),
        ]);
        rows.push(Pending {
            seq,
            action: change.action,
            entity: change.entity,
            entity_id: change.entity_id,
            before,
            after,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        // $1 and $2 are the time and the actor, shared by every row.
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (0..8).map(|k| format!("${}", 3 + i * 8 + k)).collect();
                format!(
                    "({}, $1, $2, {}, {}, {}, {}, {}, {}, {})",
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
             VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(at).bind(actor.as_str());
        for r in chunk {
            q = q
                .bind(r.seq)
                .bind(r.action)
                .bind(r.entity)
                .bind(r.entity_id.as_str())
                .bind(r.before.as_deref())
                .bind(r.after.as_deref())
                .bind(r.prev_hash.as_str())
                .bind(r.hash.as_str());
        }
        q.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&mut **tx)
        .await?;
    Ok(last)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    /// The sequence number of the first entry whose hash or link is wrong, or
    /// the first missing number.
    pub first_broken: Option<i64>,
}

/// Walks the whole chain in order and names the first broken entry.
pub async fn verify(db: &crate::Db) -> Result<Verification> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    let mut count = 0;
    for row in rows {
        let e = entry_from_row(&row)?;
        count += 1;
        let recomputed = entry_hash([
            &e.prev_hash,
            &e.seq.to_string(),
            &e.at.to_string(),
            &e.actor,
            &e.action,
            &e.entity,
            &e.entity_id,
            e.before_json.as_deref().unwrap_or(""),
            e.after_json.as_deref().unwrap_or(""),
        ]);
        if e.seq != expected_seq || e.prev_hash != prev || recomputed != e.hash {
            // A deleted row shows as a jump in seq: the first missing number is what broke.
            let broken = if e.seq != expected_seq {
                expected_seq
            } else {
                e.seq
            };
            return Ok(Verification {
                entries: count,
                first_broken: Some(broken),
            });
        }
        prev = e.hash;
        expected_seq += 1;
    }
    // Rows deleted from the end leave the head ahead of the table.
    let head: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    if head >= expected_seq {
        return Ok(Verification {
            entries: count,
            first_broken: Some(expected_seq),
        });
    }
    Ok(Verification {
        entries: count,
        first_broken: None,
    })
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        before_json: row.try_get("before_json")?,
        after_json: row.try_get("after_json")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// The latest entries, newest first, for the agency's audit page.
pub async fn latest(db: &crate::Db, limit: i64) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
         FROM audit_log ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

/// The entries about one record, oldest first.
pub async fn history(db: &crate::Db, entity: &str, entity_id: &str) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

/// A keyed checkpoint of the chain's head, kept outside the database (a
/// file of each instance, written every minute by the scheduled tasks).
/// Whoever can rewrite the table can recompute every hash and the head row
/// with it, so cutting entries off the end leaves a chain that checks; the
/// anchor, signed with a key the database never holds, says how far the
/// chain reached and with which hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub mac: String,
}

/// What an anchor says of the chain in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The anchored entry is in the table with the anchored hash.
    Holds { seq: i64 },
    /// The anchor's signature is wrong: the anchor itself was altered.
    Forged,
    /// The anchored entry is gone or was rewritten: the chain was cut back.
    Cut { seq: i64 },
}

fn anchor_mac(key: &[u8], seq: i64, hash: &str) -> String {
    use hmac::{Hmac, Mac};
    // HMAC takes a key of any length; this cannot fail.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(format!("audit-anchor:{seq}:{hash}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl Anchor {
    /// The file's one line: `seq hash mac`.
    pub fn to_line(&self) -> String {
        format!("{} {} {}\n", self.seq, self.hash, self.mac)
    }

    pub fn parse(line: &str) -> Option<Anchor> {
        let mut parts = line.split_whitespace();
        let anchor = Anchor {
            seq: parts.next()?.parse().ok()?,
            hash: parts.next()?.to_string(),
            mac: parts.next()?.to_string(),
        };
        parts.next().is_none().then_some(anchor)
    }
}

/// The anchor of the chain's head as it is now.
pub async fn anchor(db: &crate::Db, key: &[u8]) -> Result<Anchor> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    let (seq, hash) = head.unwrap_or_else(|| (0, "0".repeat(64)));
    Ok(Anchor {
        mac: anchor_mac(key, seq, &hash),
        seq,
        hash,
    })
}

/// Checks an anchor against the table: signed with `key`, and its entry
/// still there with its hash.
pub async fn check_anchor(db: &crate::Db, key: &[u8], anchor: &Anchor) -> Result<AnchorCheck> {
    let expected = anchor_mac(key, anchor.seq, &anchor.hash);
    let same = expected.len() == anchor.mac.len()
        && expected
            .bytes()
            .zip(anchor.mac.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Ok(AnchorCheck::Forged);
    }
    if anchor.seq == 0 {
        return Ok(AnchorCheck::Holds { seq: 0 });
    }
    let hash: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(anchor.seq)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match hash {
        Some(h) if h == anchor.hash => AnchorCheck::Holds { seq: anchor.seq },
        _ => AnchorCheck::Cut { seq: anchor.seq },
    })
}

/// Moves the anchor file forward to the head, unless the anchor already
/// there no longer holds: then it is kept as the evidence, and the refusal
/// returned. Written whole to a side file and renamed, so a crash leaves
/// the old anchor or the new one, never half a line.
pub async fn advance_anchor(
    db: &crate::Db,
    key: &[u8],
    path: &std::path::Path,
) -> Result<std::result::Result<Anchor, AnchorCheck>> {
    if let Ok(text) = tokio::fs::read_to_string(path).await {
        let old = Anchor::parse(&text);
        let check = match &old {
            Some(a) => check_anchor(db, key, a).await?,
            None => AnchorCheck::Forged,
        };
        if !matches!(check, AnchorCheck::Holds { .. }) {
            return Ok(Err(check));
        }
    }
    let now = anchor(db, key).await?;
    let side = path.with_extension("anchor.tmp");
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(io)?;
    }
    tokio::fs::write(&side, now.to_line()).await.map_err(io)?;
    tokio::fs::rename(&side, path).await.map_err(io)?;
    Ok(Ok(now))
}

fn io(e: std::io::Error) -> crate::Error {
    crate::Error::Database(sqlx::Error::Io(e))
}
