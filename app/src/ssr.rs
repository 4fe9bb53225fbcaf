//! Server-only glue: the state handed to server functions, and who is asking.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::error::AppError;
use db::{Actor, Db};

pub const SESSION_COOKIE: &str = "portal_session";

/// Everything a server function may need, built once at start-up.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// The published parameter sets; swapped whole when an administrator publishes.
    pub rules: Arc<std::sync::RwLock<Arc<policy::params::Rules>>>,
    /// Set the `Secure` flag on cookies (the portal is behind HTTPS).
    pub secure_cookies: bool,
    /// The payment provider residents pay through: the local simulator.
    pub payment_provider: Arc<db::provider::Simulator>,
    /// Where uploaded documents live (PORTAL_DATA_DIR).
    pub documents: db::documents::Store,
    pub max_upload_bytes: usize,
    /// PORTAL_PUBLIC_URL, for links printed on paper; else the request's host.
    pub public_url: Option<String>,
}

impl AppState {
    /// The rules in force now (a cheap clone of the current set).
    pub fn rules(&self) -> Arc<policy::params::Rules> {
        match self.rules.read() {
            Ok(r) => r.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn replace_rules(&self, rules: policy::params::Rules) {
        let mut slot = match self.rules.write() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(rules);
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The logged-in actor, if any.
pub async fn current_actor() -> Result<Option<Actor>, AppError> {
    let Some(token) = cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let st = state()?;
    Ok(db::sessions::resolve(&st.db, &token).await?)
}

/// The logged-in actor, or `Unauthorized`.
pub async fn actor() -> Result<Actor, AppError> {
    current_actor().await?.ok_or(AppError::Unauthorized)
}

pub fn set_cookie(value: String) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(&value) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// A plain HTML form post (no WebAssembly yet) wants a real redirect; the
/// hydrated app navigates by itself when the call returns.
pub fn redirect_if_plain_form(path: &str) {
    let plain = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false);
    if plain {
        leptos_axum::redirect(path);
    }
}

/// The portal's address as the person asking reached it: for links that leave
/// the screen (a QR code on a printed form).
pub fn public_base(st: &AppState) -> String {
    if let Some(u) = &st.public_url {
        return u.clone();
    }
    let host = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(|| st.leptos_options.site_addr.to_string());
    let scheme = if st.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}
