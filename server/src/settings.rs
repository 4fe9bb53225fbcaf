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
    /// The key the payment simulator signs its notifications with.
    pub payment_simulator_key: String,
    /// The largest document an upload may carry, in bytes.
    pub max_upload_bytes: usize,
    /// The portal's address as people reach it (for the QR codes on printed
    /// forms); the request's own host when unset.
    pub public_url: Option<String>,
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
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("public_url", &self.public_url)
            .finish()
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db";
/// 10 MB: a phone photo of a document is 2–5 MB.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
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
            // Every instance must verify what any instance's simulator signed,
            // so the default is a fixed demo key, not a random one.
            payment_simulator_key: var("PORTAL_PAYMENT_SIMULATOR_KEY")
                .unwrap_or_else(|| "portal-payment-simulator-demo-key".into()),
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
        })
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
