//! A resident signs up on their own phone without an activation code: name,
//! identity number, phone, username and password; a code goes to the phone
//! through the outbox; typed back, it makes a Resident account with no
//! household (until an office completes the household they pre-register,
//! see `applications`). And a resident's password reset by a code to the
//! phone of their account, answering the same whether or not it exists.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::accounts::{self, MAX_DISPLAY_NAME_LEN};
use crate::audit::{self, By, Change};
use crate::codes::{self, CodeRules, NewCode, Purpose};
use crate::error::{AccountError, InputError, Refusal};
use crate::scope::Actor;
use crate::{now_ms, Db, Error, Result};

/// What the resident typed on /signup/phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhoneSignup {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub username: String,
    pub password: String,
}

/// The same, checked and ready to keep with the code (password hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub username: String,
}

/// The texts of a message, in the recipient's language: `lang` and the body
/// around the digits.
pub struct Wording<'a> {
    pub lang: &'a str,
    pub body: codes::Body<'a>,
}

/// Checks the form, keeps it with a new code and queues the code for the
/// phone. Returns the handle the browser keeps. Nothing is kept on refusal.
pub async fn start(
    db: &Db,
    rules: &CodeRules,
    form: &PhoneSignup,
    address: &str,
    wording: Wording<'_>,
) -> Result<String> {
    let name = crate::households::checked_name(&form.name)?;
    if name.chars().count() > MAX_DISPLAY_NAME_LEN {
        return Err(Error::from(AccountError::DisplayNameTooLong));
    }
    let id = policy::idcard::check(&form.id_number)?;
    let phone = codes::normalise_phone(&form.phone)?;
    let username = form.username.trim().to_lowercase();
    if !accounts::valid_username(&username) {
        return Err(Error::from(AccountError::Username));
    }
    accounts::check_new_password(&form.password)?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(&username)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        return Err(Error::from(AccountError::UsernameTaken));
    }
    let hash = accounts::hash_blocking(&form.password).await?;
    let mut tx = db.begin_write().await?;
    let handle = codes::issue(
        &mut tx,
        rules,
        NewCode {
            purpose: Purpose::Signup,
            phone: &phone,
            address,
            user_id: None,
            payload: Some(json!({"name": name, "id_number": id.number, "phone": phone,
                                 "username": username, "password_hash": hash})),
            message: Some((wording.lang, wording.body)),
            county_code: None,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        By::System("signup"),
        Change::after(
            "code.issue",
            "phone",
            codes::masked_phone(&phone),
            json!({"purpose": "signup", "username": username, "address": address}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(handle)
}

/// What a sign-up waiting for its code shows again (never the password).
pub async fn pending(db: &Db, handle: &str) -> Result<Option<Pending>> {
    Ok(codes::pending(db, Purpose::Signup, handle)
        .await?
        .and_then(|v| v.payload)
        .and_then(|p| serde_json::from_value(p).ok()))
}

/// The code typed back: the account is made (a resident with no household),
/// audited, and returned as the actor to sign in.
pub async fn finish(db: &Db, rules: &CodeRules, handle: &str, code: &str) -> Result<Actor> {
    let v = codes::verify(db, rules, Purpose::Signup, handle, code).await?;
    let p = v.payload.ok_or(Error::from(InputError::Request))?;
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
    let (username, name, id_number, phone) = (
        text("username"),
        text("name"),
        text("id_number"),
        text("phone"),
    );
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, org_code, household_id, created_at,
             phone, id_number)
         VALUES ($1, $2, $3, 'resident', NULL, NULL, $4, $5, $6) RETURNING id",
    )
    .bind(&username)
    .bind(&name)
    .bind(text("password_hash"))
    .bind(now_ms())
    .bind(&phone)
    .bind(&id_number)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match Error::from(e) {
        Error::Refused(Refusal::InputError(InputError::AlreadyExists)) => {
            Error::from(AccountError::UsernameTaken)
        }
        other => other,
    })?;
    audit::record(
        &mut tx,
        By::System("signup"),
        Change::after(
            "user.signup",
            "user",
            id,
            // Never the password or its hash; the ID number masked.
            json!({"username": username, "display_name": name, "role": "resident",
                   "household_id": null, "phone": codes::masked_phone(&phone),
                   "id_number": crate::households::masked_id(&id_number), "code_id": v.id}),
        ),
    )
    .await?;
    tx.commit().await?;
    accounts::actor_by_id(db, id).await?.ok_or(Error::NotFound)
}

/// A resident asks for a reset by username or phone. A code goes to the
/// account's phone if a resident account with a phone matches; the answer
/// (a handle) is the same either way, so nobody learns whether a name or a
/// number has an account. Staff are reset by an administrator.
pub async fn start_reset(
    db: &Db,
    rules: &CodeRules,
    who: &str,
    address: &str,
    wording: Wording<'_>,
) -> Result<String> {
    let who = who.trim();
    if who.is_empty() || who.chars().count() > 64 {
        return Err(Error::from(AccountError::Username));
    }
    let row = match codes::normalise_phone(who) {
        Ok(phone) => {
            sqlx::query(
                "SELECT u.id, u.phone, h.county_code FROM users u LEFT JOIN households h ON h.id = u.household_id
                 WHERE u.phone = $1 AND u.role = 'resident' AND u.active = 1 ORDER BY u.id LIMIT 1",
            )
            .bind(phone)
            .fetch_optional(&db.pool)
            .await?
        }
        Err(_) => {
            sqlx::query(
                "SELECT u.id, u.phone, h.county_code FROM users u LEFT JOIN households h ON h.id = u.household_id
                 WHERE u.username = $1 AND u.role = 'resident' AND u.active = 1 AND u.phone IS NOT NULL",
            )
            .bind(who.to_lowercase())
            .fetch_optional(&db.pool)
            .await?
        }
    };
    let found = match &row {
        Some(r) => Some((
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("phone")?,
            r.try_get::<Option<String>, _>("county_code")?,
        )),
        None => None,
    };
    // The per-phone limit counts under the account's phone, or under what
    // was typed: a stranger hammering one name is slowed the same way.
    let key = found
        .as_ref()
        .map_or_else(|| format!("?{}", who.to_lowercase()), |f| f.1.clone());
    let mut tx = db.begin_write().await?;
    let handle = codes::issue(
        &mut tx,
        rules,
        NewCode {
            purpose: Purpose::Reset,
            phone: &key,
            address,
            user_id: found.as_ref().map(|f| f.0),
            payload: None,
            message: found.as_ref().map(|_| (wording.lang, wording.body)),
            county_code: found.as_ref().and_then(|f| f.2.clone()),
        },
    )
    .await?;
    if let Some((id, phone, _)) = &found {
        audit::record(
            &mut tx,
            By::System("reset"),
            Change::after(
                "code.issue",
                "user",
                *id,
                json!({"purpose": "reset", "phone": codes::masked_phone(phone), "address": address}),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(handle)
}

/// The code typed back with a new password: the password is set, every
/// session of the account ended, audited. A handle that matched no account
/// never takes a code (its answer is "wrong code", as for a mistyped one).
pub async fn finish_reset(
    db: &Db,
    rules: &CodeRules,
    handle: &str,
    code: &str,
    new_password: &str,
) -> Result<()> {
    accounts::check_new_password(new_password)?;
    let v = codes::verify(db, rules, Purpose::Reset, handle, code).await?;
    let user_id = v
        .user_id
        .ok_or(Error::from(crate::error::SignupError::CodeWrong))?;
    let hash = accounts::hash_blocking(new_password).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2 AND role = 'resident'")
        .bind(&hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    audit::record(
        &mut tx,
        By::System("reset"),
        Change::after(
            "user.password_reset_by_code",
            "user",
            user_id,
            json!({"sessions_ended": ended, "code_id": v.id}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
