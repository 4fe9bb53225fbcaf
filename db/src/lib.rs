//! Storage and services of the portal.
//!
//! One sqlx `AnyPool` serves both engines: SQLite (the embedded default) and
//! PostgreSQL (production). Each engine has its own migrations, because their
//! DDL differs, but every query is written once, in the common subset: `$n`
//! placeholders, integer fen, integer millisecond timestamps, TEXT dates.
//! Domain services here call the pure `policy` crate for every decision.

pub mod accounts;
pub mod acting;
pub mod applications;
pub mod audit;
pub mod cards;
pub mod claims;
pub mod codes;
mod csv_file;
pub mod declarations;
pub mod documents;
pub mod duplicates;
pub mod enrolment;
pub mod error;
pub mod export;
pub mod household_open;
pub mod households;
pub mod leases;
pub mod notices;
pub mod numbering;
pub mod orgs;
pub mod outbox;
pub mod payment_runs;
pub mod payments;
pub mod people;
pub mod policy_years;
pub mod pool;
pub mod preregistration;
pub mod provider;
pub mod publications;
pub mod reports;
pub mod roster;
mod row;
pub mod scope;
pub mod sessions;
pub mod signup;
pub mod statistics;
pub mod subsidy_notices;
pub mod subsidy_owed;
pub mod sweep;

pub use error::{Error, Result};
pub use pool::{Backend, Db};
pub use scope::Actor;

/// Milliseconds since the Unix epoch, the one time representation stored.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The scheme's local time (Beijing, UTC+8) as RFC 3339 with its offset.
pub fn rfc3339_local(ms: i64) -> String {
    local(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

/// The paperwork deadline (RULES.md §4) for an event on a stored day
/// (`YYYY-MM-DD`); None when the day's year has no calendar in the parameters.
pub(crate) fn deadline_after(
    rules: &policy::params::Rules,
    kind: policy::calendar::Paperwork,
    day: &str,
) -> Option<chrono::NaiveDate> {
    policy::calendar::paperwork_deadline(rules, kind, day.parse().ok()?).ok()
}

/// The scheme's local calendar day of a moment.
pub fn local_date(ms: i64) -> chrono::NaiveDate {
    local(ms).map(|d| d.date_naive()).unwrap_or_default()
}

/// Midnight at the start of a local calendar day, in milliseconds.
pub fn local_midnight_ms(day: chrono::NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000)
        .unwrap_or_default()
}

/// The scheme's local time for people to read: `2009-03-01 09:30:00`.
pub fn local_time(ms: i64) -> String {
    local(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A moment as residents read it: Beijing time to the minute.
pub fn local_minute(ms: i64) -> String {
    local(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn local(ms: i64) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600)?;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.with_timezone(&beijing))
}
