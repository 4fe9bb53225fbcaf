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
    /// T9: the change in per cent beyond which a report's figure needs a
    /// written explanation.
    #[from_ref(skip)]
    pub report_change_percent: u32,
    /// T16: published counts under this are suppressed.
    #[from_ref(skip)]
    pub publish_min_count: u32,
    /// The published parameter sets; swapped whole when an administrator publishes.
    pub rules: Arc<std::sync::RwLock<Arc<policy::params::Rules>>>,
    /// Set the `Secure` flag on cookies (the portal is behind HTTPS).
    pub secure_cookies: bool,
    /// The payment provider residents pay through: the local simulator.
    pub payment_provider: Arc<db::provider::Simulator>,
    /// The simulator may take payments (PORTAL_PAYMENT_SIMULATOR=1); when
    /// not, its pages and the online payment answer "not found".
    #[from_ref(skip)]
    pub payment_simulator: bool,
    /// Where uploaded documents live (PORTAL_DATA_DIR).
    pub documents: db::documents::Store,
    pub max_upload_bytes: usize,
    /// PORTAL_PUBLIC_URL, for links printed on paper; else the request's host.
    pub public_url: Option<String>,
    /// Days the demo's calendar runs ahead of the real one, for the dates
    /// that gate work (a payment run is released from its window's first
    /// day). Moved only by `POST /demo/clock`, which exists only in
    /// simulator mode; 0 in production.
    #[from_ref(skip)]
    pub demo_days_ahead: Arc<std::sync::atomic::AtomicI64>,
    /// How many log-ins (and other credential posts) a minute the server takes.
    #[from_ref(skip)]
    pub login_limits: LoginLimits,
    /// One-time codes (sign-up by phone, residents' password reset): their
    /// rules, or None when no SMS gateway is configured and the pages say
    /// sending codes is not available.
    #[from_ref(skip)]
    pub codes: Option<db::codes::CodeRules>,
    /// Sign-ups with an activation code: their rate, and how long a code lasts.
    #[from_ref(skip)]
    pub signup: SignupSettings,
}

/// Sign-up posts a minute per address and in all (PORTAL_SIGNUP_PER_MINUTE,
/// PORTAL_SIGNUP_GLOBAL_PER_MINUTE), and the days an activation code printed
/// on a household's form stays good (PORTAL_ACTIVATION_CODE_DAYS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignupSettings {
    pub limits: LoginLimits,
    pub code_days: i64,
}

impl Default for SignupSettings {
    fn default() -> Self {
        SignupSettings {
            limits: LoginLimits {
                per_address: 5,
                global: 100,
            },
            code_days: 30,
        }
    }
}

/// Credential posts a minute: from one client address, and from all at once
/// (PORTAL_LOGIN_PER_MINUTE, PORTAL_LOGIN_GLOBAL_PER_MINUTE). The global cap
/// stops a guesser who spreads over many addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    pub per_address: u32,
    pub global: u32,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_address: 10,
            global: 300,
        }
    }
}

impl AppState {
    /// The scheme's local date, as work is gated by it (see `demo_days_ahead`).
    pub fn today(&self) -> chrono::NaiveDate {
        let ahead = self
            .demo_days_ahead
            .load(std::sync::atomic::Ordering::Relaxed);
        db::claims::today() + chrono::Duration::days(ahead)
    }

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

/// The absolute address of `path` on this portal as people reach it, for
/// links that leave the screen (the QR codes on printed forms and payment
/// notices): PORTAL_PUBLIC_URL when it is set, else the host the request
/// came to (else the address the server listens on).
pub fn public_link(st: &AppState, path: &str) -> String {
    let host = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    });
    let listening = st.leptos_options.site_addr.to_string();
    public_address(
        st.public_url.as_deref(),
        host.as_deref().unwrap_or(&listening),
        st.secure_cookies,
        path,
    )
}

/// [`public_link`] without the request: the configured public URL wins over
/// the host; without it the scheme follows whether cookies are secure.
pub fn public_address(public_url: Option<&str>, host: &str, secure: bool, path: &str) -> String {
    match public_url {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => format!("{}://{host}{path}", if secure { "https" } else { "http" }),
    }
}

#[cfg(test)]
mod tests {
    use super::public_address;

    #[test]
    fn the_public_url_wins_over_the_host() {
        assert_eq!(
            public_address(
                Some("https://ybj.example.gov.cn/portal/"),
                "10.0.0.7:3000",
                false,
                "/verify/N1/abc"
            ),
            "https://ybj.example.gov.cn/portal/verify/N1/abc"
        );
    }

    #[test]
    fn without_it_the_host_and_the_cookie_setting_decide() {
        assert_eq!(
            public_address(
                None,
                "portal.local:3000",
                false,
                "/household/7/form?year=2027"
            ),
            "http://portal.local:3000/household/7/form?year=2027"
        );
        assert_eq!(
            public_address(None, "portal.local", true, "/verify/N1/abc"),
            "https://portal.local/verify/N1/abc"
        );
    }
}

/// Where the request came from (the peer's address), for the security log;
/// `-` where the server was not told (tests through the router).
pub fn client_addr() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "-".into())
}

/// `path` if it is a path on this site, else `/`: never an open redirect.
/// Browsers read `/\host` and `/\t/host` as `//host`, so a backslash or a
/// control character anywhere refuses it, as does a second leading slash.
pub fn local_path(path: &str) -> &str {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok {
        path
    } else {
        "/"
    }
}

#[cfg(test)]
mod local_path_tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_kept() {
        for ok in [
            "/",
            "/claims",
            "/claims/BX2027000001?ok=filed",
            "/check#quote",
        ] {
            assert_eq!(local_path(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example",
            "evil.example",
            "",
            "/ok\\..\\x",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }
}
