//! A county agency's statistical report of a period (信息统计管理规定 T7-T10):
//! drafted by the portal from the county's ledgers, every figure beside the
//! previous period's (the submitted report of it, else its ledgers) with the
//! changes beyond the threshold flagged for a written explanation (T9),
//! signed by the preparer, the section head and the agency head, three
//! different people in that order (T10), and frozen when the third signs. A
//! correction is a new version that names the one it corrects and why; the
//! old version stays readable. Every step is audited.
//!
//! The rules of order and of who signs are `policy::reports`; this module
//! reads the ledgers and keeps the records.

use policy::reports::{self, Change, Period, ReportError, SignOff, SignOffs};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, By, Change as AuditChange};
use crate::error::{InputError, ReportRefusal};
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

pub mod access;
pub mod analysis;
pub mod export;
mod ledgers;
pub mod schedule;
pub use ledgers::{figures, figures_by_county};

impl From<ReportError> for Error {
    fn from(e: ReportError) -> Error {
        Error::from(match e {
            ReportError::NoSuchPeriod(..) => return Error::from(InputError::Date),
            ReportError::SamePerson => ReportRefusal::SamePerson,
            ReportError::OutOfOrder(..) => ReportRefusal::OutOfOrder,
            ReportError::AlreadySigned(_) => ReportRefusal::AlreadySigned,
            ReportError::Unexplained(_) => ReportRefusal::Unexplained,
        })
    }
}

/// One version of a county's report of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: i64,
    pub county_code: String,
    pub period: Period,
    pub version: i64,
    pub submitted: bool,
    pub figures: Vec<(String, i64)>,
    pub changes: Vec<Change>,
    pub explanations: Vec<(String, String)>,
    pub corrects: Option<i64>,
    pub correction_reason: Option<String>,
    pub signoffs: SignOffs,
    pub drafted_at: i64,
    pub submitted_at: Option<i64>,
    /// The league's consolidated report: the county versions it added up.
    pub sources: Vec<Source>,
}

/// A county's submitted version the league's report used (T5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub county_code: String,
    pub report_id: i64,
    pub version: i64,
}

const COLS: &str = "id, county_code, frequency, year, period_index, version, status, figures_json,
    changes_json, explanations_json, corrects, correction_reason, preparer, section_head, agency_head,
    drafted_at, submitted_at, sources_json";

/// A JSON column read into `T`; one that does not read is a fault.
fn json_column<T: serde::de::DeserializeOwned>(r: &AnyRow, col: &str) -> Result<T> {
    let text: String = r.try_get(col)?;
    serde_json::from_str(&text).map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))
}

fn from_row(r: &AnyRow) -> Result<Report> {
    let frequency: String = r.try_get("frequency")?;
    let frequency = reports::Frequency::from_code(&frequency).ok_or(Error::NotFound)?;
    let year: i64 = r.try_get("year")?;
    let index: i64 = r.try_get("period_index")?;
    let status: String = r.try_get("status")?;
    Ok(Report {
        id: r.try_get("id")?,
        county_code: r.try_get("county_code")?,
        period: Period::new(
            frequency,
            i32::try_from(year).unwrap_or_default(),
            u32::try_from(index).unwrap_or_default(),
        )?,
        version: r.try_get("version")?,
        submitted: status == "submitted",
        figures: json_column(r, "figures_json")?,
        changes: json_column(r, "changes_json")?,
        explanations: json_column(r, "explanations_json")?,
        corrects: r.try_get("corrects")?,
        correction_reason: r.try_get("correction_reason")?,
        signoffs: SignOffs {
            preparer: r.try_get("preparer")?,
            section_head: r.try_get("section_head")?,
            agency_head: r.try_get("agency_head")?,
        },
        drafted_at: r.try_get("drafted_at")?,
        submitted_at: r.try_get("submitted_at")?,
        sources: json_column(r, "sources_json")?,
    })
}

/// Whose reports an agency account drafts and signs: a county agency its
/// county's, the league agency its own (consolidated) ones, under its code.
fn owner_of(actor: &Actor) -> Result<Owner> {
    match (&actor.county_code, &actor.org_code, actor.role.is_agency()) {
        (Some(c), _, true) => Ok(Owner::County(c.clone())),
        (None, Some(league), true) => Ok(Owner::League(league.clone())),
        _ => Err(Error::Forbidden),
    }
}

/// The drafter of a report: a county from its ledgers, the league from
/// its counties' submitted reports.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    County(String),
    League(String),
}

impl Owner {
    fn code(&self) -> &str {
        match self {
            Owner::County(c) | Owner::League(c) => c,
        }
    }

    /// The figures of `period`, and the county versions they came from.
    async fn figures(
        &self,
        db: &Db,
        actor: &Actor,
        period: Period,
    ) -> Result<(Vec<(String, i64)>, Vec<Source>)> {
        match self {
            Owner::County(c) => Ok((
                figures(db, c, period.first_day(), period.last_day()).await?,
                vec![],
            )),
            Owner::League(_) => {
                let used: Vec<Report> = counties(db, actor, period)
                    .await?
                    .into_iter()
                    .filter_map(|(_, _, newest_submitted)| newest_submitted)
                    .collect();
                let sum = reports::figures::consolidate(used.iter().map(|r| r.figures.as_slice()));
                let sources = used
                    .iter()
                    .map(|r| Source {
                        county_code: r.county_code.clone(),
                        report_id: r.id,
                        version: r.version,
                    })
                    .collect();
                Ok((sum, sources))
            }
        }
    }
}

/// A report the actor may read: its county's (a county agency), any (the league).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> Result<Report> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM statistical_reports WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let report = from_row(&row)?;
    match &actor.county_code {
        Some(c) if *c != report.county_code => Err(Error::Forbidden),
        _ => Ok(report),
    }
}

/// Every version of a county's report of a period, oldest first.
pub async fn versions(db: &Db, actor: &Actor, county: &str, period: Period) -> Result<Vec<Report>> {
    if !actor.role.is_agency() || actor.county_code.as_deref().is_some_and(|c| c != county) {
        return Err(Error::Forbidden);
    }
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM statistical_reports
         WHERE county_code = $1 AND frequency = $2 AND year = $3 AND period_index = $4 ORDER BY version"
    ))
    .bind(county)
    .bind(period.frequency.code())
    .bind(i64::from(period.year))
    .bind(i64::from(period.index))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The figures the draft is checked against: the newest submitted version
/// of the previous period, else the previous period's figures as drafting
/// would find them now.
async fn previous_figures(
    db: &Db,
    actor: &Actor,
    owner: &Owner,
    period: Period,
) -> Result<Vec<(String, i64)>> {
    let before = period.previous();
    let submitted = newest_submitted(db, actor, owner.code(), before).await?;
    match submitted {
        Some(r) => Ok(r.figures),
        None => Ok(owner.figures(db, actor, before).await?.0),
    }
}

/// The newest submitted version of a report, if any.
async fn newest_submitted(
    db: &Db,
    actor: &Actor,
    owner: &str,
    period: Period,
) -> Result<Option<Report>> {
    Ok(versions(db, actor, owner, period)
        .await?
        .into_iter()
        .rev()
        .find(|r| r.submitted))
}

/// Drafts the agency's report of `period` (a county's from its ledgers, the
/// league's from its counties' submitted reports), or drafts it again (new
/// figures, the signatures and explanations cleared) while it is a draft. `threshold_percent`: the league's setting for T9.
pub async fn draft(
    db: &Db,
    actor: &Actor,
    period: Period,
    threshold_percent: Decimal,
) -> Result<Report> {
    let owner = owner_of(actor)?;
    let existing = versions(db, actor, owner.code(), period).await?;
    if existing.last().is_some_and(|r| r.submitted) {
        return Err(Error::from(ReportRefusal::Submitted));
    }
    write_version(
        db,
        actor,
        &owner,
        period,
        threshold_percent,
        existing.last(),
        None,
    )
    .await
}

/// Writes the draft of `period`: a new version, or `over` drafted again.
async fn write_version(
    db: &Db,
    actor: &Actor,
    owner: &Owner,
    period: Period,
    threshold_percent: Decimal,
    over: Option<&Report>,
    correcting: Option<(&Report, &str)>,
) -> Result<Report> {
    let county = owner.code();
    let (current, sources) = owner.figures(db, actor, period).await?;
    let before = previous_figures(db, actor, owner, period).await?;
    let changes = reports::compare(&before, &current, threshold_percent);
    let figures_json = to_json(&current)?;
    let sources_json = to_json(&sources)?;
    let changes_json = to_json(&changes)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id = match over.filter(|r| !r.submitted) {
        Some(r) => {
            let update = sqlx::query(
                "UPDATE statistical_reports SET figures_json = $1, changes_json = $2, explanations_json = '[]',
                   drafted_by = $3, drafted_at = $4, preparer = NULL, prepared_at = NULL, section_head = NULL,
                   section_signed_at = NULL, agency_head = NULL, agency_signed_at = NULL, sources_json = $6
                 WHERE id = $5 AND status = 'draft'",
            )
            .bind(&figures_json)
            .bind(&changes_json)
            .bind(actor.user_id)
            .bind(now)
            .bind(r.id)
            .bind(&sources_json);
            audit::transition(
                &mut tx,
                update,
                ReportRefusal::Submitted,
                By::User(actor),
                AuditChange {
                    action: "report.redraft",
                    entity: "statistical_report",
                    entity_id: r.id.to_string(),
                    before: Some(json!({"figures": r.figures})),
                    after: Some(json!({"figures": current, "sources": sources})),
                },
            )
            .await?;
            r.id
        }
        None => {
            let version: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM statistical_reports
                 WHERE county_code = $1 AND frequency = $2 AND year = $3 AND period_index = $4",
            )
            .bind(county)
            .bind(period.frequency.code())
            .bind(i64::from(period.year))
            .bind(i64::from(period.index))
            .fetch_one(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO statistical_reports (county_code, frequency, year, period_index, version, status,
                   figures_json, changes_json, explanations_json, corrects, correction_reason, drafted_by, drafted_at,
                   sources_json)
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, '[]', $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(county)
            .bind(period.frequency.code())
            .bind(i64::from(period.year))
            .bind(i64::from(period.index))
            .bind(version)
            .bind(&figures_json)
            .bind(&changes_json)
            .bind(correcting.map(|(r, _)| r.id))
            .bind(correcting.map(|(_, why)| why.to_string()))
            .bind(actor.user_id)
            .bind(now)
            .bind(&sources_json)
            .fetch_one(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                By::User(actor),
                AuditChange {
                    action: if correcting.is_some() {
                        "report.correct"
                    } else {
                        "report.draft"
                    },
                    entity: "statistical_report",
                    entity_id: id.to_string(),
                    before: correcting
                        .map(|(r, _)| json!({"version": r.version, "figures": r.figures})),
                    after: Some(
                        json!({"period": period.to_string(), "county": county, "version": version,
                        "figures": current, "sources": sources, "reason": correcting.map(|(_, why)| why)}),
                    ),
                },
            )
            .await?;
            id
        }
    };
    tx.commit().await?;
    get(db, actor, id).await
}

/// The written explanation of a flagged change (T9), while a draft.
pub async fn explain(db: &Db, actor: &Actor, id: i64, key: &str, text: &str) -> Result<Report> {
    let r = get(db, actor, id).await?;
    owner_of(actor)?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 500 || !r.changes.iter().any(|c| c.key == key) {
        return Err(Error::from(InputError::Explanation));
    }
    let mut explanations: Vec<(String, String)> = r
        .explanations
        .iter()
        .filter(|(k, _)| k != key)
        .cloned()
        .collect();
    explanations.push((key.to_string(), text.to_string()));
    let json_text = to_json(&explanations)?;
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(
        "UPDATE statistical_reports SET explanations_json = $1 WHERE id = $2 AND status = 'draft'",
    )
    .bind(json_text)
    .bind(id);
    audit::transition(
        &mut tx,
        update,
        ReportRefusal::Submitted,
        By::User(actor),
        AuditChange {
            action: "report.explain",
            entity: "statistical_report",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"key": key, "text": text})),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// `actor` signs the report as `role` (T10). The preparer signs only when
/// every flagged change is explained; the agency head is an administrator;
/// the third signature submits the report, which then never changes.
pub async fn sign(db: &Db, actor: &Actor, id: i64, role: SignOff) -> Result<Report> {
    let r = get(db, actor, id).await?;
    owner_of(actor)?;
    if r.submitted {
        return Err(Error::from(ReportRefusal::Submitted));
    }
    if role == SignOff::AgencyHead && actor.role != Role::AgencyAdmin {
        return Err(Error::from(ReportRefusal::AgencyHead));
    }
    reports::explained(&r.changes, &r.explanations)?;
    let signed = r.signoffs.sign(role, actor.user_id)?;
    let now = now_ms();
    let (who, when) = match role {
        SignOff::Preparer => ("preparer", "prepared_at"),
        SignOff::SectionHead => ("section_head", "section_signed_at"),
        SignOff::AgencyHead => ("agency_head", "agency_signed_at"),
    };
    let submit = signed.complete();
    let sql = format!(
        "UPDATE statistical_reports SET {who} = $1, {when} = $2{}
         WHERE id = $3 AND status = 'draft' AND {who} IS NULL",
        if submit {
            ", status = 'submitted', submitted_at = $2"
        } else {
            ""
        }
    );
    let mut tx = db.begin_write().await?;
    let update = sqlx::query(&sql).bind(actor.user_id).bind(now).bind(id);
    audit::transition(
        &mut tx,
        update,
        ReportRefusal::AlreadySigned,
        By::User(actor),
        AuditChange {
            action: if submit {
                "report.submit"
            } else {
                "report.sign"
            },
            entity: "statistical_report",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"as": role.code(), "submitted": submit})),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// A correction of a submitted report: a new version, drafted from the
/// ledgers as they are now, naming the version it corrects and why. The
/// corrected version stays as it was.
pub async fn correct(
    db: &Db,
    actor: &Actor,
    id: i64,
    reason: &str,
    threshold_percent: Decimal,
) -> Result<Report> {
    let old = get(db, actor, id).await?;
    let owner = owner_of(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::from(ReportRefusal::CorrectionReason));
    }
    let all = versions(db, actor, owner.code(), old.period).await?;
    let newest = all.last().map_or(0, |r| r.version);
    if !old.submitted || old.version != newest {
        return Err(Error::from(ReportRefusal::NotSubmitted));
    }
    write_version(
        db,
        actor,
        &owner,
        old.period,
        threshold_percent,
        None,
        Some((&old, reason)),
    )
    .await
}

/// The names of those who signed, in the order of the signatures.
pub async fn signers(db: &Db, s: &SignOffs) -> Result<[Option<String>; 3]> {
    let mut names: [Option<String>; 3] = Default::default();
    for (slot, id) in names
        .iter_mut()
        .zip([s.preparer, s.section_head, s.agency_head])
    {
        if let Some(id) = id {
            *slot = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?;
        }
    }
    Ok(names)
}

/// For the league (T5): each county agency with the newest version of its
/// report of `period` and its newest submitted one, if any.
pub async fn counties(
    db: &Db,
    actor: &Actor,
    period: Period,
) -> Result<Vec<(String, String, Option<Report>)>> {
    Ok(standing(db, actor, period)
        .await?
        .into_iter()
        .map(|c| (c.county_code, c.name, c.submitted))
        .collect())
}

/// A county agency's report of a period as the league sees it.
#[derive(Debug, Clone)]
pub struct Standing {
    pub county_code: String,
    pub name: String,
    /// The newest version, draft or submitted.
    pub newest: Option<Report>,
    /// The newest submitted version: what the league adds up.
    pub submitted: Option<Report>,
}

/// The county agencies, code and name, in code order: whose reports the
/// league expects.
pub(crate) async fn county_agencies(db: &Db) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT county_code, name_zh FROM org_units WHERE kind = 'county_agency' AND county_code IS NOT NULL ORDER BY county_code",
    )
    .fetch_all(&db.pool)
    .await?)
}

/// Each county agency's report of `period`, for the league.
pub async fn standing(db: &Db, actor: &Actor, period: Period) -> Result<Vec<Standing>> {
    crate::publications::league_staff(actor)?;
    let mut out = Vec::new();
    for (county_code, name) in county_agencies(db).await? {
        let all = versions(db, actor, &county_code, period).await?;
        out.push(Standing {
            submitted: all.iter().rev().find(|r| r.submitted).cloned(),
            newest: all.last().cloned(),
            county_code,
            name,
        });
    }
    Ok(out)
}
