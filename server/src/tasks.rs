//! Scheduled tasks. Every instance runs the loop; each run first takes the
//! task's lease in the database, so only one instance does the work.

use std::time::Duration;

use db::Db;

const PURGE_SESSIONS: &str = "sessions.purge";
const SWEEP: &str = "contributions.sweep";

/// Where this instance keeps its audit anchor, and the key it signs with.
pub struct AuditAnchor {
    pub key: String,
    pub path: std::path::PathBuf,
}

pub fn spawn(state: app::ssr::AppState, instance: String, anchor: AuditAnchor) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            // Every instance anchors the chain's head outside the database;
            // an anchor that no longer holds is kept, and said loudly.
            match db::audit::advance_anchor(&state.db, anchor.key.as_bytes(), &anchor.path).await {
                Ok(Ok(_)) => {}
                Ok(Err(check)) => tracing::error!(
                    target: "portal::audit",
                    ?check,
                    file = %anchor.path.display(),
                    "the audit chain no longer reaches its anchor: entries were cut or rewritten"
                ),
                Err(e) => tracing::warn!(error = %e, "writing the audit anchor failed"),
            }
            // Every instance picks up parameters another instance published.
            match db::policy_years::load(&state.db).await {
                Ok(rules) => state.replace_rules(rules),
                Err(e) => tracing::warn!(error = %e, "reloading policy parameters failed"),
            }
            let today = db::local_date(db::now_ms());
            if let Err(e) = run_once(&state.db, &state.rules(), &instance, today).await {
                tracing::warn!(error = %e, "scheduled task failed");
            }
        }
    });
}

/// One round of every task this instance wins the lease for.
pub async fn run_once(
    db: &Db,
    rules: &policy::params::Rules,
    instance: &str,
    today: chrono::NaiveDate,
) -> db::Result<()> {
    if db::leases::try_acquire(db, PURGE_SESSIONS, instance, 5 * 60_000).await? {
        let n = db::sessions::purge_idle(db).await?;
        if n > 0 {
            tracing::info!(sessions = n, "purged idle sessions");
        }
        db::accounts::purge_login_failures(db).await?;
    }
    // Every year whose 1 May has passed and was never swept (a server that
    // was down catches up), and the current year again each round: a sweep
    // writes only what it has not written, so later rounds change nothing.
    if db::leases::try_acquire(db, SWEEP, instance, 5 * 60_000).await? {
        for r in db::sweep::catch_up(db, rules, today).await? {
            if r.newly_interrupted > 0 {
                tracing::info!(
                    year = r.policy_year,
                    interrupted = r.newly_interrupted,
                    "1 May sweep"
                );
            }
        }
    }
    Ok(())
}
