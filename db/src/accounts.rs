//! Accounts: one per person, passwords hashed with Argon2id, repeated failed
//! log-ins slowed and then locked for a while (per name and address), and
//! their life cycle: a password changed or reset, an account disabled,
//! its sessions ended; each audited.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::{AccountError, InputError, Refusal};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// Failures before the account locks, and how long it stays locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longer passwords are refused before they are hashed (finding 7).
pub const MAX_PASSWORD_LEN: usize = 128;
/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_LEN: usize = 64;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub org_code: Option<String>,
    pub household_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: Option<String>,
    pub household_id: Option<i64>,
    pub active: bool,
    /// Reset by an administrator: must choose a new password at the next log-in.
    pub must_change_password: bool,
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::from(AccountError::Password))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub(crate) fn valid_username(u: &str) -> bool {
    (3..=40).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Creates an account. `by` is the administrator (or the CLI for the first one).
/// An administrator of a county agency creates accounts only in its county.
pub async fn create_user(db: &Db, by: By<'_>, new: NewUser) -> Result<i64> {
    if let By::User(admin) = &by {
        if admin.role != Role::AgencyAdmin {
            return Err(Error::Forbidden);
        }
    }
    let username = new.username.trim().to_lowercase();
    if !valid_username(&username) {
        return Err(Error::from(AccountError::Username));
    }
    if new.display_name.trim().is_empty() {
        return Err(Error::from(AccountError::DisplayName));
    }
    if new.display_name.trim().chars().count() > MAX_DISPLAY_NAME_LEN {
        return Err(Error::from(AccountError::DisplayNameTooLong));
    }
    check_new_password(&new.password)?;
    // The organisation must exist, be of the role's kind, and (for a county
    // admin) lie in the admin's county.
    let org_county = match (new.role.org_kind(), &new.org_code) {
        (None, _) => None,
        (Some(_), None) => return Err(Error::from(AccountError::OrgRequired)),
        (Some(kinds), Some(code)) => {
            let org = crate::orgs::get(db, code)
                .await?
                .ok_or(Error::from(AccountError::OrgUnknown))?;
            if !kinds.contains(&org.kind.as_str()) {
                return Err(Error::from(AccountError::OrgWrongKind));
            }
            Some(org.county_code)
        }
    };
    if let By::User(admin) = &by {
        if let Some(county) = &admin.county_code {
            let target_county = match (&org_county, new.household_id) {
                (Some(c), _) => c.clone(),
                (None, Some(hid)) => crate::households::county_of(db, hid).await?,
                (None, None) => None,
            };
            if target_county.as_ref() != Some(county) {
                return Err(Error::Forbidden);
            }
        }
    }
    if new.role == Role::Resident && new.household_id.is_none() {
        return Err(Error::from(AccountError::HouseholdRequired));
    }
    let hash = hash_password(&new.password)?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, org_code, household_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&username)
    .bind(new.display_name.trim())
    .bind(&hash)
    .bind(new.role.code())
    .bind(&new.org_code)
    .bind(new.household_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match Error::from(e) {
        Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
            Error::from(AccountError::UsernameTaken)
        },
        other => other,
    })?;
    audit::record(
        &mut tx,
        by,
        Change {
            action: "user.create",
            entity: "user",
            entity_id: id.to_string(),
            before: None,
            // Never the password or its hash in the trail.
            after: Some(json!({"username": username, "display_name": new.display_name.trim(), "role": new.role.code(),
                               "org_code": new.org_code, "household_id": new.household_id})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug)]
pub enum LoginOutcome {
    Ok(Actor),
    /// Wrong username or password; how many failures this name now has from
    /// this address, so the caller can slow the answer down.
    Refused {
        failures: i64,
    },
    Locked {
        until_ms: i64,
    },
}

/// Runs CPU-heavy work (password hashing) on tokio's blocking threads.
async fn blocking<T: Send + Default + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap_or_default()
}

/// The name a failure is counted under: as typed, trimmed and lower-cased,
/// cut to a length no valid username exceeds (a long name is never stored whole).
fn failure_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

/// Locks `key` for `address` for LOCK_MS after too many wrong passwords, audited.
async fn lock(db: &Db, key: &str, address: &str, now: i64, failures: i64) -> Result<LoginOutcome> {
    let until = now + LOCK_MS;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE login_failures SET locked_until = $1, failures = $2 WHERE username = $3 AND address = $4",
    )
    .bind(until)
    .bind(MAX_FAILED_LOGINS - 1)
    .bind(key)
    .bind(address)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::System("login"),
        Change::after(
            "login.lock",
            "login",
            key,
            json!({"address": address, "locked_until": until, "failures": failures}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOutcome::Locked { until_ms: until })
}

/// Counts one attempt of `key` from `address`, before its password is
/// checked, in one statement: of many attempts at once, only
/// MAX_FAILED_LOGINS ever reach the check. None while locked.
async fn count_attempt(db: &Db, key: &str, address: &str, now: i64) -> Result<Option<i64>> {
    sqlx::query(
        "INSERT INTO login_failures (username, address, failures, locked_until, last_at)
         VALUES ($1, $2, 0, 0, $3) ON CONFLICT (username, address) DO NOTHING",
    )
    .bind(key)
    .bind(address)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(sqlx::query_scalar(
        "UPDATE login_failures SET failures = failures + 1, last_at = $3
         WHERE username = $1 AND address = $2 AND locked_until <= $3 AND failures < $4
         RETURNING failures",
    )
    .bind(key)
    .bind(address)
    .bind(now)
    .bind(MAX_FAILED_LOGINS)
    .fetch_optional(&db.pool)
    .await?)
}

/// Checks a password typed at `address` (the client's IP address).
///
/// Failures are counted per name as typed and address, not per account: a
/// stranger's wrong passwords lock the stranger's address out of that name
/// and nobody else (the per-address and global rate limits of the server
/// stop one guesser from spreading over many names). A name without an
/// account is counted and locked exactly like one with, so the answers never
/// tell them apart. A lock does not clear the count (it leaves it one short
/// of the limit), so after a lock each wrong password locks again; only a
/// right one clears it.
pub async fn login(db: &Db, username: &str, password: &str, address: &str) -> Result<LoginOutcome> {
    // Before any hashing: Argon2 of a megabyte is work for nothing.
    check_password_length(password)?;
    let key = failure_key(username);
    let now = now_ms();
    let Some(attempt) = count_attempt(db, &key, address, now).await? else {
        let locked_until: i64 = sqlx::query_scalar(
            "SELECT locked_until FROM login_failures WHERE username = $1 AND address = $2",
        )
        .bind(&key)
        .bind(address)
        .fetch_one(&db.pool)
        .await?;
        // Locked, or the last allowed attempts are being checked right now.
        let until_ms = if locked_until > now {
            locked_until
        } else {
            now + LOCK_MS
        };
        return Ok(LoginOutcome::Locked { until_ms });
    };
    let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(username.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    let password = password.to_owned();
    let user = match row {
        Some(row) => {
            let id: i64 = row.try_get("id")?;
            let hash: String = row.try_get("password_hash")?;
            let active: i64 = row.try_get("active")?;
            // Argon2 is deliberately slow: off the async workers.
            let right = blocking(move || password_matches(&password, &hash)).await;
            (right && active != 0).then_some(id)
        }
        None => {
            // Spend the time a hash check would, so a missing name is not told apart by timing.
            blocking(move || hash_password(&password).is_ok()).await;
            None
        }
    };
    let Some(id) = user else {
        if attempt >= MAX_FAILED_LOGINS {
            return lock(db, &key, address, now, attempt).await;
        }
        return Ok(LoginOutcome::Refused { failures: attempt });
    };
    sqlx::query("DELETE FROM login_failures WHERE username = $1 AND address = $2")
        .bind(&key)
        .bind(address)
        .execute(&db.pool)
        .await?;
    actor_by_id(db, id)
        .await?
        .map(LoginOutcome::Ok)
        .ok_or(Error::NotFound)
}

/// Forgets failures that neither lock nor count any more; run by the
/// scheduled task. Returns how many.
pub async fn purge_login_failures(db: &Db) -> Result<u64> {
    let now = now_ms();
    Ok(
        sqlx::query("DELETE FROM login_failures WHERE locked_until < $1 AND last_at < $2")
            .bind(now)
            .bind(now - LOCK_MS)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

fn check_password_length(password: &str) -> Result<()> {
    if password.chars().count() > MAX_PASSWORD_LEN {
        return Err(Error::from(AccountError::PasswordTooLong));
    }
    Ok(())
}

/// A password someone chooses: long enough to resist guessing, short
/// enough that hashing it is no burden.
pub(crate) fn check_new_password(password: &str) -> Result<()> {
    check_password_length(password)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::from(AccountError::PasswordTooShort));
    }
    Ok(())
}

pub(crate) async fn hash_blocking(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .unwrap_or_else(|_| Err(Error::from(AccountError::Password)))
}

/// Someone changes their own password: the current one must be typed right.
/// Clears a reset's "must change" and ends every other session of the
/// account (wherever else it was open, perhaps by someone who knew the old
/// password); the session of `keep_token` (the one asking) stays.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    current: &str,
    new: &str,
    keep_token: &str,
) -> Result<()> {
    check_password_length(current)?;
    check_new_password(new)?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(actor.user_id)
        .fetch_one(&db.pool)
        .await?;
    let (typed, hash) = (current.to_owned(), stored.clone());
    if !blocking(move || password_matches(&typed, &hash)).await {
        return Err(Error::from(AccountError::CurrentPassword));
    }
    let (typed, hash) = (new.to_owned(), stored);
    if blocking(move || password_matches(&typed, &hash)).await {
        return Err(Error::from(AccountError::PasswordUnchanged));
    }
    let hash = hash_blocking(new).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(&hash)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(actor.user_id)
        .bind(crate::sessions::token_hash(keep_token))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit::record(
        &mut tx,
        By::User(actor),
        // Never the password or its hash in the trail.
        Change::after(
            "user.password_change",
            "user",
            actor.user_id,
            json!({"other_sessions_ended": ended}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account an administrator may manage: an AgencyAdmin's, of their
/// county unless they are the league's (as in [`list`]); another county's
/// account is not found, as it is not in their list.
pub async fn manageable(db: &Db, admin: &Actor, user_id: i64) -> Result<UserSummary> {
    if admin.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    list(db, admin)
        .await?
        .into_iter()
        .find(|u| u.id == user_id)
        .ok_or(Error::NotFound)
}

/// Ends every session of an account, inside the caller's transaction.
async fn end_all_sessions(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// An administrator gives an account a temporary password (the person forgot
/// theirs, or it may be known to someone else). Its sessions end, its
/// lock-outs are lifted, and its next log-in must choose a new password
/// before anything else.
pub async fn reset_password(db: &Db, admin: &Actor, user_id: i64, temporary: &str) -> Result<()> {
    let user = manageable(db, admin, user_id).await?;
    check_new_password(temporary)?;
    let hash = hash_blocking(temporary).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2")
        .bind(&hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let ended = end_all_sessions(&mut tx, user_id).await?;
    sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(&user.username)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        By::User(admin),
        Change::after(
            "user.password_reset",
            "user",
            user_id,
            json!({"must_change_password": true, "sessions_ended": ended}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator disables an account (it can no longer log in, and its
/// sessions end now) or enables it again.
pub async fn set_active(db: &Db, admin: &Actor, user_id: i64, active: bool) -> Result<()> {
    let user = manageable(db, admin, user_id).await?;
    if user_id == admin.user_id {
        return Err(Error::from(AccountError::OwnAccount));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let ended = if active {
        0
    } else {
        end_all_sessions(&mut tx, user_id).await?
    };
    audit::record(
        &mut tx,
        By::User(admin),
        Change {
            action: if active {
                "user.enable"
            } else {
                "user.disable"
            },
            entity: "user",
            entity_id: user_id.to_string(),
            before: Some(json!({"active": user.active})),
            after: Some(json!({"active": active, "sessions_ended": ended})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator ends every session of an account (a lost phone, a
/// shared computer); the person logs in again. Returns how many ended.
pub async fn end_sessions(db: &Db, admin: &Actor, user_id: i64) -> Result<u64> {
    manageable(db, admin, user_id).await?;
    let mut tx = db.begin_write().await?;
    let ended = end_all_sessions(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        By::User(admin),
        Change::after(
            "user.sessions_end",
            "user",
            user_id,
            json!({"sessions_ended": ended}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

pub async fn actor_by_id(db: &Db, id: i64) -> Result<Option<Actor>> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.org_code, u.household_id, o.county_code
         FROM users u LEFT JOIN org_units o ON o.code = u.org_code WHERE u.id = $1 AND u.active = 1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get("role")?;
    let role = Role::from_code(&role).ok_or(Error::from(AccountError::Role))?;
    let household_id: Option<i64> = row.try_get("household_id")?;
    let mut county_code: Option<String> = row.try_get("county_code")?;
    if role == Role::Resident {
        county_code = match household_id {
            Some(h) => crate::households::county_of(db, h).await?,
            None => None,
        };
    }
    Ok(Some(Actor {
        user_id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role,
        org_code: row.try_get("org_code")?,
        county_code,
        household_id,
    }))
}

/// The accounts an administrator may see: all for the league, its county's otherwise.
pub async fn list(db: &Db, admin: &Actor) -> Result<Vec<UserSummary>> {
    if admin.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.org_code, u.household_id, u.active,
                u.must_change_password, COALESCE(o.county_code, h.county_code) AS county
         FROM users u LEFT JOIN org_units o ON o.code = u.org_code LEFT JOIN households h ON h.id = u.household_id
         ORDER BY u.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let county: Option<String> = row.try_get("county")?;
        if admin.county_code.is_some() && county != admin.county_code {
            continue;
        }
        let role: String = row.try_get("role")?;
        let active: i64 = row.try_get("active")?;
        let must_change: i64 = row.try_get("must_change_password")?;
        out.push(UserSummary {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: Role::from_code(&role).ok_or(Error::from(AccountError::Role))?,
            org_code: row.try_get("org_code")?,
            household_id: row.try_get("household_id")?,
            active: active != 0,
            must_change_password: must_change != 0,
        });
    }
    Ok(out)
}
