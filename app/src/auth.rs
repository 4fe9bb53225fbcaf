//! Logging in and out, the current user, and the language switch.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the pages know of the logged-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub org_code: Option<String>,
    pub org_name_zh: Option<String>,
    pub org_name_en: Option<String>,
    pub household_id: Option<i64>,
}

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    let Some(a) = crate::ssr::current_actor().await? else {
        return Ok(None);
    };
    let st = crate::ssr::state()?;
    let org = match &a.org_code {
        Some(code) => db::orgs::get(&st.db, code).await?,
        None => None,
    };
    Ok(Some(UserView {
        username: a.username,
        display_name: a.display_name,
        role: a.role.code().to_string(),
        org_code: a.org_code,
        org_name_zh: org.as_ref().map(|o| o.name_zh.clone()),
        org_name_en: org.map(|o| o.name_en),
        household_id: a.household_id,
    }))
}

/// Checks the password and starts a session; answers the page to go to.
#[server(endpoint = "auth/login")]
pub async fn login(username: String, password: String) -> Result<String, AppError> {
    use db::accounts::LoginOutcome;
    let st = crate::ssr::state()?;
    // Failures lock a name for the address they come from, not for everyone.
    let from = crate::ssr::client_addr();
    match db::accounts::login(&st.db, &username, &password, &from).await? {
        LoginOutcome::Ok(actor) => {
            tracing::info!(target: "portal::auth", user = actor.user_id, from = %crate::ssr::client_addr(), "log-in");
            let token = db::sessions::start(&st.db, actor.user_id).await?;
            crate::ssr::set_cookie(crate::ssr::session_cookie(&token, st.secure_cookies));
            crate::ssr::set_cookie(typed_name_cookie(""));
            crate::ssr::redirect_if_plain_form("/");
            Ok("/".into())
        }
        LoginOutcome::Refused { failures } => {
            // Who and from where, never the password.
            tracing::warn!(
                target: "portal::auth",
                username = %loggable(&username),
                failures,
                from = %crate::ssr::client_addr(),
                "log-in refused"
            );
            // Each failure on a name costs the guesser more time.
            // Without JavaScript the form is posted and the page comes back:
            // the name typed comes back with it (never the password).
            crate::ssr::set_cookie(typed_name_cookie(&username));
            let delay = 200 * failures.clamp(1, 5) as u64;
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            Err(AppError::Refused {
                code: "login_refused".into(),
                status: 401,
            })
        }
        LoginOutcome::Locked { .. } => {
            tracing::warn!(
                target: "portal::auth",
                username = %loggable(&username),
                from = %crate::ssr::client_addr(),
                "log-in refused: account locked"
            );
            Err(AppError::Locked)
        }
    }
}

/// The cookie holding the name typed into a refused log-in, for the log-in
/// page only and for five minutes; an empty name clears it.
#[cfg(feature = "ssr")]
pub const TYPED_NAME_COOKIE: &str = "login_name";

#[cfg(feature = "ssr")]
fn typed_name_cookie(username: &str) -> String {
    let name: String = username.chars().take(64).collect();
    let value = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    let age = if name.is_empty() { 0 } else { 300 };
    format!("{TYPED_NAME_COOKIE}={value}; Path=/login; Max-Age={age}; HttpOnly; SameSite=Strict")
}

/// The name typed into the last refused log-in, if any.
#[cfg(feature = "ssr")]
pub fn typed_name() -> String {
    crate::ssr::cookie(TYPED_NAME_COOKIE)
        .and_then(|v| {
            percent_encoding::percent_decode_str(&v)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        })
        .unwrap_or_default()
}

/// A username as typed, safe for one log line: at most 64 characters, no
/// control characters (no forged lines).
#[cfg(feature = "ssr")]
fn loggable(username: &str) -> String {
    username
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect()
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<String, AppError> {
    let st = crate::ssr::state()?;
    if let Some(token) = crate::ssr::cookie(crate::ssr::SESSION_COOKIE) {
        db::sessions::end(&st.db, &token).await?;
    }
    crate::ssr::set_cookie(format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        crate::ssr::SESSION_COOKIE
    ));
    crate::ssr::redirect_if_plain_form("/login");
    Ok("/login".into())
}

/// Remembers the language for a year; answers the page to reload.
#[server(endpoint = "lang")]
pub async fn set_language(lang: String, back: String) -> Result<String, AppError> {
    let lang = crate::i18n::Lang::from_code(&lang);
    crate::ssr::set_cookie(format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        crate::i18n::LANG_COOKIE,
        lang.code()
    ));
    // Only a path on this site: never an open redirect.
    let back = crate::ssr::local_path(&back).to_owned();
    crate::ssr::redirect_if_plain_form(&back);
    Ok(back)
}

/// Turns 长辈模式 on (`on=1`) or off, remembered for a year like the
/// language; answers the page to reload.
#[server(endpoint = "elder")]
pub async fn set_elder_mode(on: String, back: String) -> Result<String, AppError> {
    let on = on.trim() == "1";
    crate::ssr::set_cookie(format!(
        "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        crate::i18n::ELDER_COOKIE,
        if on { "1" } else { "0" }
    ));
    let back = crate::ssr::local_path(&back).to_owned();
    crate::ssr::redirect_if_plain_form(&back);
    Ok(back)
}

/// A full page load, so the server renders with the new session or language.
pub fn hard_navigate(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
