//! Who may read which part of a report (T15), every reading recorded (T14,
//! T15: who, when, which version, how), and figures given to a body outside
//! the scheme only with the statistics head's approval (T14).
//!
//! A section a role may not read is left out of the page and of every
//! export; the league's administrator sets the table, and nothing is
//! readable that it does not list.

use policy::reports::figures::Section;
use serde_json::json;

use super::{get, Report};
use crate::audit::{self, By, Change};
use crate::error::ReportRefusal;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// The sections `role` may read.
pub async fn sections(db: &Db, role: Role) -> Result<Vec<Section>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT section FROM report_access WHERE role = $1")
        .bind(role.code())
        .fetch_all(&db.pool)
        .await?;
    let mut out: Vec<Section> = rows.iter().filter_map(|s| Section::from_code(s)).collect();
    out.sort();
    Ok(out)
}

/// The whole table: each section with the roles that may read it.
pub async fn table(db: &Db) -> Result<Vec<(Section, Vec<Role>)>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT section, role FROM report_access")
        .fetch_all(&db.pool)
        .await?;
    Ok(Section::ALL
        .iter()
        .map(|s| {
            let roles = rows
                .iter()
                .filter(|(sec, _)| sec == s.code())
                .filter_map(|(_, r)| Role::from_code(r))
                .collect();
            (*s, roles)
        })
        .collect())
}

/// The league's administrator lets `role` read `section`, or not.
pub async fn set(
    db: &Db,
    actor: &Actor,
    section: Section,
    role: Role,
    allowed: bool,
) -> Result<()> {
    if actor.role != Role::AgencyAdmin || actor.county_code.is_some() {
        return Err(Error::Forbidden);
    }
    if !role.is_agency() {
        return Err(Error::from(crate::error::InputError::Request));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM report_access WHERE section = $1 AND role = $2")
        .bind(section.code())
        .bind(role.code())
        .execute(&mut *tx)
        .await?;
    if allowed {
        sqlx::query("INSERT INTO report_access (section, role) VALUES ($1, $2)")
            .bind(section.code())
            .bind(role.code())
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "report.access",
            entity: "report_access",
            entity_id: format!("{}/{}", section.code(), role.code()),
            before: None,
            after: Some(json!({"allowed": allowed})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The report with only the figures of `sections`.
pub fn only(mut report: Report, sections: &[Section]) -> Report {
    let keep = |key: &str| sections.contains(&Section::of(key));
    report.figures.retain(|(k, _)| keep(k));
    report.changes.retain(|c| keep(&c.key));
    report.explanations.retain(|(k, _)| keep(k));
    report
}

/// How a report was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    View,
    Csv,
    Xlsx,
    /// Given outside under an approved release (T14).
    Release(i64),
}

impl Reading {
    fn code(self) -> &'static str {
        match self {
            Reading::View => "view",
            Reading::Csv => "csv",
            Reading::Xlsx => "xlsx",
            Reading::Release(_) => "release",
        }
    }
}

/// The report `id` as `actor` may read it, the reading recorded.
pub async fn read(db: &Db, actor: &Actor, id: i64, how: Reading) -> Result<Report> {
    let report = get(db, actor, id).await?;
    let sections = sections(db, actor.role).await?;
    shown(db, actor, report, &sections, how).await
}

/// A report the actor has read already (`get`, `versions`) as shown to
/// them: only its `sections`, the reading recorded.
pub async fn shown(
    db: &Db,
    actor: &Actor,
    report: Report,
    sections: &[Section],
    how: Reading,
) -> Result<Report> {
    record(db, actor, report.id, how).await?;
    Ok(only(report, sections))
}

/// Records a reading of report `id`.
pub async fn record(db: &Db, actor: &Actor, id: i64, how: Reading) -> Result<()> {
    let release = match how {
        Reading::Release(r) => Some(r),
        _ => None,
    };
    sqlx::query("INSERT INTO report_reads (report_id, user_id, at, kind, release_id) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(actor.user_id)
        .bind(now_ms())
        .bind(how.code())
        .bind(release)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// One recorded reading: who, when, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub name: String,
    pub at: i64,
    pub kind: String,
}

/// The readings of report `id`, newest first (the agency's administrators).
pub async fn reads(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Read>> {
    get(db, actor, id).await?;
    if actor.role != Role::AgencyAdmin {
        return Err(Error::Forbidden);
    }
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT u.display_name, r.at, r.kind FROM report_reads r JOIN users u ON u.id = r.user_id
         WHERE r.report_id = $1 ORDER BY r.at DESC, r.id DESC LIMIT 200",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, at, kind)| Read { name, at, kind })
        .collect())
}

/// A request to give a report's figures to a body outside the scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub id: i64,
    pub report_id: i64,
    pub recipient: String,
    pub purpose: String,
    pub requested_by: i64,
    pub requester: String,
    pub approved_by: Option<i64>,
    pub approved_at: Option<i64>,
}

/// T14: asks to give the figures of submitted report `report_id` to
/// `recipient` for `purpose`.
pub async fn request_release(
    db: &Db,
    actor: &Actor,
    report_id: i64,
    recipient: &str,
    purpose: &str,
) -> Result<Release> {
    let report = get(db, actor, report_id).await?;
    let (recipient, purpose) = (recipient.trim(), purpose.trim());
    if recipient.is_empty()
        || purpose.is_empty()
        || recipient.chars().count() > 200
        || purpose.chars().count() > 500
    {
        return Err(Error::from(ReportRefusal::ReleaseFields));
    }
    if !report.submitted {
        return Err(Error::from(ReportRefusal::ReleaseNotApproved));
    }
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO data_releases (report_id, recipient, purpose, requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(report_id)
    .bind(recipient)
    .bind(purpose)
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "report.release_request",
            entity: "data_release",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"report": report_id, "recipient": recipient, "purpose": purpose})),
        },
    )
    .await?;
    tx.commit().await?;
    release(db, actor, id).await
}

const RELEASE_COLS: &str =
    "d.id, d.report_id, d.recipient, d.purpose, d.requested_by, u.display_name,
    d.approved_by, d.approved_at";
type ReleaseRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    Option<i64>,
    Option<i64>,
);

fn release_of(r: ReleaseRow) -> Release {
    Release {
        id: r.0,
        report_id: r.1,
        recipient: r.2,
        purpose: r.3,
        requested_by: r.4,
        requester: r.5,
        approved_by: r.6,
        approved_at: r.7,
    }
}

/// One release the actor's agency may see (that of its report).
pub async fn release(db: &Db, actor: &Actor, id: i64) -> Result<Release> {
    let row: ReleaseRow = sqlx::query_as(&format!(
        "SELECT {RELEASE_COLS} FROM data_releases d JOIN users u ON u.id = d.requested_by WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let r = release_of(row);
    get(db, actor, r.report_id).await?;
    Ok(r)
}

/// The releases of report `report_id`, oldest first.
pub async fn releases(db: &Db, actor: &Actor, report_id: i64) -> Result<Vec<Release>> {
    get(db, actor, report_id).await?;
    let rows: Vec<ReleaseRow> = sqlx::query_as(&format!(
        "SELECT {RELEASE_COLS} FROM data_releases d JOIN users u ON u.id = d.requested_by
         WHERE d.report_id = $1 ORDER BY d.id"
    ))
    .bind(report_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(release_of).collect())
}

/// T14: the statistics head (an administrator of the report's agency, not
/// the one who asked) approves a release.
pub async fn approve_release(db: &Db, actor: &Actor, id: i64) -> Result<Release> {
    let r = release(db, actor, id).await?;
    if actor.role != Role::AgencyAdmin || actor.user_id == r.requested_by {
        return Err(Error::from(ReportRefusal::ReleaseApprover));
    }
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE data_releases SET approved_by = $1, approved_at = $2 WHERE id = $3 AND approved_by IS NULL",
    )
    .bind(actor.user_id)
    .bind(now_ms())
    .bind(id);
    audit::transition(
        &mut tx,
        update,
        crate::error::InputError::StateChanged,
        By::User(actor),
        Change {
            action: "report.release_approve",
            entity: "data_release",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"report": r.report_id, "recipient": r.recipient})),
        },
    )
    .await?;
    tx.commit().await?;
    release(db, actor, id).await
}

/// The figures of an approved release, for the one who asked or approved
/// it, the reading recorded against the release. Every section goes: what
/// was approved is the whole report.
pub async fn released(db: &Db, actor: &Actor, id: i64) -> Result<(Release, Report)> {
    let r = release(db, actor, id).await?;
    if r.approved_by.is_none() {
        return Err(Error::from(ReportRefusal::ReleaseNotApproved));
    }
    if actor.user_id != r.requested_by && Some(actor.user_id) != r.approved_by {
        return Err(Error::Forbidden);
    }
    let report = get(db, actor, r.report_id).await?;
    record(db, actor, r.report_id, Reading::Release(id)).await?;
    Ok((r, report))
}
