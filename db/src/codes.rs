//! One-time codes: six digits sent through the outbox to a phone, for the
//! phone check at sign-up and a resident's password reset. A code is kept
//! only as the SHA-256 of a random salt and the digits; it expires, is used
//! once, takes a few attempts at most, and a phone gets only so many an hour.
//! The browser holds a random handle to its code (a cookie), never the code.

use rand::{Rng, RngCore};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::SignupError;
use crate::outbox::{self, NewMessage};
use crate::{now_ms, Error, Result};

/// What the settings say of codes (PORTAL_CODE_MINUTES …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRules {
    /// How long a code lives, in milliseconds.
    pub ttl_ms: i64,
    /// Wrong codes typed before the code is spent.
    pub max_attempts: i64,
    /// Codes one phone may be sent in an hour.
    pub per_phone_per_hour: i64,
    /// Code requests a minute from one client address (the server's limiter).
    pub per_address_per_minute: u32,
}

impl Default for CodeRules {
    fn default() -> Self {
        CodeRules {
            ttl_ms: 10 * 60_000,
            max_attempts: 5,
            per_phone_per_hour: 5,
            per_address_per_minute: 5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Signup,
    Reset,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Signup => "signup",
            Purpose::Reset => "reset",
        }
    }
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn code_hash(salt: &str, code: &str) -> String {
    sha256(&format!("{salt}:{code}"))
}

pub(crate) fn handle_hash(handle: &str) -> String {
    sha256(handle)
}

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The text of a message around its code's digits.
pub type Body<'a> = &'a (dyn Fn(&str) -> String + Sync);

/// A code to make: for whom, and what the message says around the digits.
pub(crate) struct NewCode<'a> {
    pub purpose: Purpose,
    pub phone: &'a str,
    pub address: &'a str,
    pub user_id: Option<i64>,
    pub payload: Option<Value>,
    /// None: no message at all (a reset for no account; the answer is the same).
    pub message: Option<(&'a str, Body<'a>)>,
    pub county_code: Option<String>,
}

/// Makes a code and its message inside the caller's transaction; returns the
/// handle the browser keeps. Refused when the phone has had its codes this hour.
pub(crate) async fn issue(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rules: &CodeRules,
    c: NewCode<'_>,
) -> Result<String> {
    let now = now_ms();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM one_time_codes WHERE phone = $1 AND created_at > $2",
    )
    .bind(c.phone)
    .bind(now - 3_600_000)
    .fetch_one(&mut **tx)
    .await?;
    if recent >= rules.per_phone_per_hour {
        return Err(Error::from(SignupError::TooManyCodes));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
    let (salt, handle) = (random_hex(), random_hex());
    let message_id = match &c.message {
        Some((lang, body)) => Some(
            outbox::enqueue(
                tx,
                NewMessage {
                    to_phone: c.phone,
                    purpose: c.purpose.code(),
                    lang,
                    body: body(&code),
                    county_code: c.county_code.clone(),
                },
            )
            .await?,
        ),
        None => None,
    };
    sqlx::query(
        "INSERT INTO one_time_codes (purpose, phone, address, handle_hash, salt, code_hash, user_id,
             payload_json, message_id, attempts, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11)",
    )
    .bind(c.purpose.code())
    .bind(c.phone)
    .bind(c.address)
    .bind(handle_hash(&handle))
    .bind(&salt)
    .bind(code_hash(&salt, &code))
    .bind(c.user_id)
    .bind(c.payload.as_ref().map(Value::to_string))
    .bind(message_id)
    .bind(now)
    .bind(now + rules.ttl_ms)
    .execute(&mut **tx)
    .await?;
    Ok(handle)
}

/// A code checked and spent.
#[derive(Debug, Clone)]
pub struct Verified {
    pub id: i64,
    pub phone: String,
    pub user_id: Option<i64>,
    pub payload: Option<Value>,
}

/// What the browser's handle points at, unspent or not (to show the form again).
pub(crate) async fn pending(
    db: &crate::Db,
    purpose: Purpose,
    handle: &str,
) -> Result<Option<Verified>> {
    let row = sqlx::query(
        "SELECT id, phone, user_id, payload_json FROM one_time_codes
         WHERE handle_hash = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(handle_hash(handle))
    .bind(purpose.code())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| verified_of(&r)).transpose()
}

fn verified_of(r: &sqlx::any::AnyRow) -> Result<Verified> {
    let payload: Option<String> = r.try_get("payload_json")?;
    Ok(Verified {
        id: r.try_get("id")?,
        phone: r.try_get("phone")?,
        user_id: r.try_get("user_id")?,
        payload: payload.and_then(|p| serde_json::from_str(&p).ok()),
    })
}

/// Checks a typed code against the handle's and spends it when right. Each
/// try is counted first, in one conditional update, so of many at once no
/// more than `max_attempts` are ever compared. Wrong, expired, spent and
/// worn-out codes each get their own words; an unknown handle reads as expired.
pub async fn verify(
    db: &crate::Db,
    rules: &CodeRules,
    purpose: Purpose,
    handle: &str,
    typed: &str,
) -> Result<Verified> {
    let typed: String = policy::idcard::normalise(typed);
    let now = now_ms();
    let hh = handle_hash(handle);
    let row = sqlx::query(
        "SELECT id, phone, user_id, payload_json, salt, code_hash, attempts, expires_at, used_at
         FROM one_time_codes WHERE handle_hash = $1 AND purpose = $2",
    )
    .bind(&hh)
    .bind(purpose.code())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::from(SignupError::CodeExpired))?;
    let used: Option<i64> = row.try_get("used_at")?;
    if used.is_some() {
        return Err(Error::from(SignupError::CodeUsed));
    }
    let expires: i64 = row.try_get("expires_at")?;
    if expires <= now {
        return Err(Error::from(SignupError::CodeExpired));
    }
    let id: i64 = row.try_get("id")?;
    let counted = sqlx::query(
        "UPDATE one_time_codes SET attempts = attempts + 1
         WHERE id = $1 AND attempts < $2 AND used_at IS NULL",
    )
    .bind(id)
    .bind(rules.max_attempts)
    .execute(&db.pool)
    .await?
    .rows_affected();
    if counted == 0 {
        return Err(Error::from(SignupError::CodeAttempts));
    }
    let (salt, stored): (String, String) = (row.try_get("salt")?, row.try_get("code_hash")?);
    if typed.len() != 6 || code_hash(&salt, &typed) != stored {
        return Err(Error::from(SignupError::CodeWrong));
    }
    let spent =
        sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&db.pool)
            .await?
            .rows_affected();
    if spent == 0 {
        return Err(Error::from(SignupError::CodeUsed));
    }
    verified_of(&row)
}

/// A mainland mobile number as typed (spaces, dashes, full-width digits,
/// +86 tolerated): its 11 digits, or refused.
pub fn normalise_phone(raw: &str) -> Result<String> {
    let mut digits = policy::idcard::normalise(raw);
    digits.retain(|c| c != '(' && c != ')');
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits)
        .to_string();
    let ok = digits.len() == 11
        && digits.starts_with('1')
        && digits.chars().all(|c| c.is_ascii_digit())
        && !matches!(digits.as_bytes()[1], b'0' | b'1' | b'2');
    if ok {
        Ok(digits)
    } else {
        Err(Error::from(SignupError::Phone))
    }
}

/// `138****5678`, for pages and the audit trail.
pub fn masked_phone(phone: &str) -> String {
    if phone.len() == 11 {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "*".repeat(phone.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_read_as_typed() {
        assert_eq!(normalise_phone("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(normalise_phone("+86 138-0013-8000").unwrap(), "13800138000");
        assert_eq!(
            normalise_phone("１３８００１３８０００").unwrap(),
            "13800138000"
        );
        assert!(normalise_phone("12800138000").is_err());
        assert!(normalise_phone("1380013800").is_err());
        assert_eq!(masked_phone("13800138000"), "138****8000");
    }

    #[test]
    fn the_stored_hash_is_not_the_code() {
        let h = code_hash("salt", "123456");
        assert_ne!(h, "123456");
        assert_eq!(h.len(), 64);
        assert_ne!(h, code_hash("other", "123456"));
    }
}
