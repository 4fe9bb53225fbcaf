//! Settings: defaults, overridden by environment variables (README lists them).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub data_dir: PathBuf,
    pub secure_cookies: bool,
    pub instance_id: String,
    /// The key payment notifications are signed with (the simulator's, or
    /// the provider's): outside simulator mode it must be set, and long.
    pub payment_simulator_key: String,
    /// PORTAL_PAYMENT_SIMULATOR=1: the local payment simulator and its routes
    /// exist (demos and tests); premiums can then be marked paid without money.
    pub payment_simulator: bool,
    /// The largest document an upload may carry, in bytes.
    pub max_upload_bytes: usize,
    /// The portal's address as people reach it (for the QR codes on printed
    /// forms); the request's own host when unset.
    pub public_url: Option<String>,
    /// The key the audit anchor is signed with (PORTAL_AUDIT_KEY): outside
    /// simulator mode it must be set, and long, and kept out of the database.
    pub audit_key: String,
    /// Where this instance keeps the audit anchor (PORTAL_AUDIT_ANCHOR).
    pub audit_anchor: PathBuf,
    /// Log-ins (and other credential posts) a minute, per address and in all.
    pub login_limits: app::ssr::LoginLimits,
    /// One-time codes and the gateway that sends them.
    pub codes: CodeSettings,
    /// Sign-ups with an activation code: rate and the code's days.
    pub signup: app::ssr::SignupSettings,
    /// T9: a figure of a statistical report that changed by more than this
    /// many per cent from the previous period needs a written explanation
    /// (PORTAL_REPORT_CHANGE_PERCENT, the league's setting; 20 unless set).
    pub report_change_percent: u32,
    /// T16: a published count under this is suppressed, with every count
    /// that would give it back (PORTAL_PUBLISH_MIN_COUNT, the league's
    /// setting; 5 unless set).
    pub publish_min_count: u32,
}

/// PORTAL_SMS_GATEWAY, PORTAL_CODE_MINUTES, PORTAL_CODE_ATTEMPTS,
/// PORTAL_CODES_PER_PHONE_HOUR, PORTAL_CODES_PER_MINUTE.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CodeSettings {
    /// The gateway's name: `log` (the demo's LogMessenger, simulator mode
    /// only); None: the simulator's log in simulator mode, else no gateway
    /// and the code-sending pages say they are not available.
    pub gateway: Option<String>,
    pub rules: db::codes::CodeRules,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password.
        f.debug_struct("Settings")
            .field("database_url", &redact(&self.database_url))
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("data_dir", &self.data_dir)
            .field("secure_cookies", &self.secure_cookies)
            .field("instance_id", &self.instance_id)
            .field("payment_simulator_key", &"<redacted>")
            .field("audit_key", &"<redacted>")
            .field("audit_anchor", &self.audit_anchor)
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("public_url", &self.public_url)
            .field("login_limits", &self.login_limits)
            .field("codes", &self.codes)
            .field("signup", &self.signup)
            .field("report_change_percent", &self.report_change_percent)
            .field("publish_min_count", &self.publish_min_count)
            .finish()
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db";
/// 10 MB: a phone photo of a document is 2–5 MB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// T9's threshold unless the league sets another.
pub const DEFAULT_REPORT_CHANGE_PERCENT: u32 = 20;

/// T16's smallest count shown unless the league sets another.
pub const DEFAULT_PUBLISH_MIN_COUNT: u32 = 5;

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        let simulator = var("PORTAL_PAYMENT_SIMULATOR")
            .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
        let site_addr = var("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Settings {
            database_url: var("PORTAL_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr: site_addr
                .parse()
                .map_err(|e| anyhow::anyhow!("LEPTOS_SITE_ADDR {site_addr:?}: {e}"))?,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            data_dir: var("PORTAL_DATA_DIR")
                .unwrap_or_else(|| "data/files".into())
                .into(),
            secure_cookies: var("PORTAL_SECURE_COOKIES")
                .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
            instance_id: var("PORTAL_INSTANCE_ID")
                .unwrap_or_else(|| format!("portal-{}", std::process::id())),
            // Checked by `serve` (provider_key): other commands need no key.
            payment_simulator_key: var("PORTAL_PAYMENT_SIMULATOR_KEY")
                .unwrap_or_else(|| DEMO_PROVIDER_KEY.into()),
            payment_simulator: simulator,
            max_upload_bytes: match var("PORTAL_MAX_UPLOAD_MB") {
                Some(mb) => {
                    mb.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|mb| (1..=200).contains(mb))
                        .ok_or_else(|| anyhow::anyhow!("PORTAL_MAX_UPLOAD_MB {mb:?}: 1 to 200"))?
                        * 1024
                        * 1024
                }
                None => DEFAULT_MAX_UPLOAD_BYTES,
            },
            public_url: var("PORTAL_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string()),
            // Checked by `serve` like the provider key.
            audit_key: var("PORTAL_AUDIT_KEY").unwrap_or_else(|| DEMO_AUDIT_KEY.into()),
            audit_anchor: var("PORTAL_AUDIT_ANCHOR")
                .unwrap_or_else(|| "data/audit.anchor".into())
                .into(),
            login_limits: {
                let default = app::ssr::LoginLimits::default();
                app::ssr::LoginLimits {
                    per_address: per_minute("PORTAL_LOGIN_PER_MINUTE", default.per_address)?,
                    global: per_minute("PORTAL_LOGIN_GLOBAL_PER_MINUTE", default.global)?,
                }
            },
            codes: {
                let d = CodeSettings::default();
                CodeSettings {
                    gateway: var("PORTAL_SMS_GATEWAY").map(|g| g.trim().to_lowercase()),
                    rules: db::codes::CodeRules {
                        ttl_ms: i64::from(per_minute("PORTAL_CODE_MINUTES", 10)?) * 60_000,
                        max_attempts: i64::from(per_minute("PORTAL_CODE_ATTEMPTS", 5)?),
                        per_phone_per_hour: i64::from(per_minute(
                            "PORTAL_CODES_PER_PHONE_HOUR",
                            5,
                        )?),
                        per_address_per_minute: per_minute(
                            "PORTAL_CODES_PER_MINUTE",
                            d.rules.per_address_per_minute,
                        )?,
                    },
                }
            },
            signup: {
                let default = app::ssr::SignupSettings::default();
                app::ssr::SignupSettings {
                    limits: app::ssr::LoginLimits {
                        per_address: per_minute(
                            "PORTAL_SIGNUP_PER_MINUTE",
                            default.limits.per_address,
                        )?,
                        global: per_minute(
                            "PORTAL_SIGNUP_GLOBAL_PER_MINUTE",
                            default.limits.global,
                        )?,
                    },
                    code_days: i64::from(per_minute(
                        "PORTAL_ACTIVATION_CODE_DAYS",
                        u32::try_from(default.code_days).unwrap_or(30),
                    )?),
                }
            },
            report_change_percent: per_minute(
                "PORTAL_REPORT_CHANGE_PERCENT",
                DEFAULT_REPORT_CHANGE_PERCENT,
            )?,
            publish_min_count: per_minute("PORTAL_PUBLISH_MIN_COUNT", DEFAULT_PUBLISH_MIN_COUNT)?,
        })
    }
}

/// A rate a minute from the environment: a whole number from 1, else the default.
fn per_minute(name: &str, default: u32) -> anyhow::Result<u32> {
    match var(name) {
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| anyhow::anyhow!("{name} {v:?}: a whole number from 1")),
        None => Ok(default),
    }
}

/// The demo's signing key: public, so only ever accepted in simulator mode.
pub const DEMO_PROVIDER_KEY: &str = "portal-payment-simulator-demo-key";
/// A signing key shorter than this is refused outside simulator mode.
pub const MIN_PROVIDER_KEY_BYTES: usize = 32;

/// The demo's audit anchor key: public, so only ever accepted in simulator mode.
pub const DEMO_AUDIT_KEY: &str = "portal-audit-anchor-demo-key";

/// The key payment notifications are verified with. In simulator mode the
/// public demo key stands in when none is given (every instance must verify
/// what any instance's simulator signed, so not a random one); otherwise the
/// portal refuses to start with a missing, public or short key, since anyone
/// holding it could mark premiums paid.
pub fn provider_key(simulator: bool, key: Option<&str>) -> anyhow::Result<String> {
    secret(
        "PORTAL_PAYMENT_SIMULATOR_KEY",
        DEMO_PROVIDER_KEY,
        simulator,
        key,
    )
}

/// The key the audit anchor is signed with, under the same rule: whoever
/// holds it can sign an anchor for a chain cut short.
pub fn audit_key(simulator: bool, key: Option<&str>) -> anyhow::Result<String> {
    secret("PORTAL_AUDIT_KEY", DEMO_AUDIT_KEY, simulator, key)
}

fn secret(name: &str, demo: &str, simulator: bool, key: Option<&str>) -> anyhow::Result<String> {
    match key.map(str::trim) {
        None if simulator => Ok(demo.into()),
        Some(k) if simulator => Ok(k.into()),
        Some(k) if k != demo && k.len() >= MIN_PROVIDER_KEY_BYTES => Ok(k.into()),
        _ => anyhow::bail!(
            "{name} must be a secret of at least {MIN_PROVIDER_KEY_BYTES} \
             bytes (not the demo key) unless PORTAL_PAYMENT_SIMULATOR=1"
        ),
    }
}

/// A URL with its password replaced, for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_simulator_mode_the_provider_key_must_be_a_long_secret() {
        use super::{provider_key, DEMO_PROVIDER_KEY};
        assert_eq!(provider_key(true, None).unwrap(), DEMO_PROVIDER_KEY);
        assert_eq!(provider_key(true, Some("short")).unwrap(), "short");
        assert!(provider_key(false, None).is_err());
        assert!(provider_key(false, Some(DEMO_PROVIDER_KEY)).is_err());
        assert!(provider_key(false, Some("too-short-a-secret")).is_err());
        let good = "k".repeat(32);
        assert_eq!(provider_key(false, Some(&good)).unwrap(), good);
        use super::{audit_key, DEMO_AUDIT_KEY};
        assert_eq!(audit_key(true, None).unwrap(), DEMO_AUDIT_KEY);
        assert!(audit_key(false, Some(DEMO_AUDIT_KEY)).is_err());
        assert!(audit_key(false, Some("short")).is_err());
        assert_eq!(audit_key(false, Some(&good)).unwrap(), good);
    }

    #[test]
    fn redact_hides_password_only() {
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            super::redact("sqlite://data/portal.db"),
            "sqlite://data/portal.db"
        );
    }
}
