//! The portal as the HTTP benchmarks serve it: settings for a fresh folder
//! under the temporary directory, on SQLite, or on the PostgreSQL database
//! that PORTAL_BENCH_POSTGRES_URL names; the simulator on, as in the demo.

use std::path::PathBuf;

/// The settings, the engine's name for the report, and the folder to remove after.
pub fn settings(
    name: &str,
    login_limits: app::ssr::LoginLimits,
) -> (server::Settings, &'static str, PathBuf) {
    let dir = std::env::temp_dir().join(format!("portal_{name}_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (database_url, engine) = match std::env::var("PORTAL_BENCH_POSTGRES_URL") {
        Ok(url) => (url, "PostgreSQL"),
        Err(_) => (format!("sqlite://{}/portal.db", dir.display()), "SQLite"),
    };
    let settings = server::Settings {
        database_url,
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root: dir.join("site").display().to_string(),
        data_dir: dir.join("files"),
        secure_cookies: false,
        instance_id: name.into(),
        payment_simulator_key: format!("{name}-key"),
        payment_simulator: true,
        max_upload_bytes: server::settings::DEFAULT_MAX_UPLOAD_BYTES,
        public_url: None,
        audit_key: server::settings::DEMO_AUDIT_KEY.into(),
        audit_anchor: dir.join("audit.anchor"),
        login_limits,
        codes: server::settings::CodeSettings::default(),
        signup: app::ssr::SignupSettings::default(),
        report_change_percent: server::settings::DEFAULT_REPORT_CHANGE_PERCENT,
        publish_min_count: server::settings::DEFAULT_PUBLISH_MIN_COUNT,
    };
    (settings, engine, dir)
}
