//! Accounts: one per person, passwords hashed with Argon2id, repeated failed
//! log-ins slowed and then locked for a while.

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

fn valid_username(u: &str) -> bool {
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
    if new.password.chars().count() < MIN_PASSWORD_LEN {
        return Err(Error::from(AccountError::PasswordTooShort));
    }
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
    /// Wrong username or password; how many failures the account now has
    /// (0 for an unknown name), so the caller can slow the answer down.
    Refused {
        failures: i64,
    },
    Locked {
        until_ms: i64,
    },
}

/// Checks a password. Failures are counted per account; the fifth locks it.
/// Runs CPU-heavy work (password hashing) on tokio's blocking threads.
async fn blocking<T: Send + Default + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap_or_default()
}

/// Locks the account for LOCK_MS after too many wrong passwords, audited.
async fn lock(db: &Db, id: i64, now: i64, failures: i64) -> Result<LoginOutcome> {
    let until = now + LOCK_MS;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET locked_until = $1, failed_logins = $2 WHERE id = $3")
        .bind(until)
        .bind(MAX_FAILED_LOGINS - 1)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        By::System("login"),
        Change::after(
            "user.lock",
            "user",
            id,
            json!({"locked_until": until, "failures": failures}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOutcome::Locked { until_ms: until })
}

pub async fn login(db: &Db, username: &str, password: &str) -> Result<LoginOutcome> {
    let username = username.trim().to_lowercase();
    let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        // Spend the time a hash check would, so a missing name is not told apart by timing.
        let password = password.to_owned();
        blocking(move || hash_password(&password).is_ok()).await;
        return Ok(LoginOutcome::Refused { failures: 0 });
    };
    let id: i64 = row.try_get("id")?;
    let stored: String = row.try_get("password_hash")?;
    let active: i64 = row.try_get("active")?;
    let now = now_ms();
    // Each attempt is counted before its password is checked, in one
    // statement: of many attempts at once, only MAX_FAILED_LOGINS ever reach
    // the check. A lock does not clear the count (it leaves it one short of
    // the limit), so after a lock each wrong password locks again; only a
    // right one clears it.
    let attempt: Option<i64> = sqlx::query_scalar(
        "UPDATE users SET failed_logins = failed_logins + 1
         WHERE id = $1 AND locked_until <= $2 AND failed_logins < $3 RETURNING failed_logins",
    )
    .bind(id)
    .bind(now)
    .bind(MAX_FAILED_LOGINS)
    .fetch_optional(&db.pool)
    .await?;
    let Some(attempt) = attempt else {
        let locked_until: i64 = sqlx::query_scalar("SELECT locked_until FROM users WHERE id = $1")
            .bind(id)
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
    // Argon2 is deliberately slow: off the async workers.
    let (password, hash) = (password.to_owned(), stored.clone());
    let right = active != 0 && blocking(move || password_matches(&password, &hash)).await;
    if !right {
        if attempt >= MAX_FAILED_LOGINS {
            return lock(db, id, now, attempt).await;
        }
        return Ok(LoginOutcome::Refused { failures: attempt });
    }
    sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    actor_by_id(db, id)
        .await?
        .map(LoginOutcome::Ok)
        .ok_or(Error::NotFound)
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
                COALESCE(o.county_code, h.county_code) AS county
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
        out.push(UserSummary {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: Role::from_code(&role).ok_or(Error::from(AccountError::Role))?,
            org_code: row.try_get("org_code")?,
            household_id: row.try_get("household_id")?,
            active: active != 0,
        });
    }
    Ok(out)
}
