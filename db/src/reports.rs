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

use chrono::NaiveDate;
use policy::reports::{self, Change, Period, ReportError, SignOff, SignOffs};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, By, Change as AuditChange};
use crate::error::{InputError, ReportRefusal};
use crate::scope::{Actor, Role};
use crate::{local_midnight_ms, now_ms, Db, Error, Result};

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
}

/// The figures of a county's ledgers for the days of a period, in the order
/// a report shows them. Money in fen.
pub async fn figures(
    db: &Db,
    county: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, i64)>> {
    let (start, end) = (
        local_midnight_ms(from),
        local_midnight_ms(to + chrono::Duration::days(1)),
    );
    let (from, to) = (from.to_string(), to.to_string());
    let enrolments = count_between(
        db,
        "SELECT COUNT(*) FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE p.county_code = $1 AND e.status = 'approved' AND e.approved_at >= $2 AND e.approved_at < $3",
        county,
        start,
        end,
    )
    .await?;
    let (premiums, premiums_fen, online_fen, back): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(y.amount_fen), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN y.channel = 'online' THEN y.amount_fen ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN y.back_payment = 1 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM payments y JOIN persons p ON p.id = y.person_id
         WHERE p.county_code = $1 AND y.kind = 'premium' AND y.refunded_at IS NULL
           AND y.paid_on >= $2 AND y.paid_on <= $3",
    )
    .bind(county)
    .bind(&from)
    .bind(&to)
    .fetch_one(&db.pool)
    .await?;
    let filed = count_between(
        db,
        "SELECT COUNT(*) FROM claims WHERE county_code = $1 AND filed_at >= $2 AND filed_at < $3",
        county,
        start,
        end,
    )
    .await?;
    let (approved, refused, payout_fen): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status IN ('approved', 'paid') THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status IN ('approved', 'paid') THEN payout_fen ELSE 0 END), 0) AS BIGINT)
         FROM claims WHERE county_code = $1 AND decided_on >= $2 AND decided_on <= $3",
    )
    .bind(county)
    .bind(&from)
    .bind(&to)
    .fetch_one(&db.pool)
    .await?;
    let paid_out_fen = count_between(
        db,
        "SELECT CAST(COALESCE(SUM(payout_fen), 0) AS BIGINT) FROM claims
         WHERE county_code = $1 AND status = 'paid' AND paid_at >= $2 AND paid_at < $3",
        county,
        start,
        end,
    )
    .await?;
    Ok([
        ("enrolments_approved", enrolments),
        ("premiums", premiums),
        ("premiums_fen", premiums_fen),
        ("premiums_online_fen", online_fen),
        ("back_payments", back),
        ("claims_filed", filed),
        ("claims_approved", approved),
        ("claims_refused", refused),
        ("payout_fen", payout_fen),
        ("paid_out_fen", paid_out_fen),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect())
}

/// One number of a county's ledger between two bounds (`$2`, `$3`).
async fn count_between(db: &Db, sql: &str, county: &str, from: i64, to: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(sql)
        .bind(county)
        .bind(from)
        .bind(to)
        .fetch_one(&db.pool)
        .await?)
}

const COLS: &str = "id, county_code, frequency, year, period_index, version, status, figures_json,
    changes_json, explanations_json, corrects, correction_reason, preparer, section_head, agency_head,
    drafted_at, submitted_at";

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
    })
}

/// The county an agency account drafts and signs for: a county agency's own.
fn county_of(actor: &Actor) -> Result<String> {
    match (&actor.county_code, actor.role.is_agency()) {
        (Some(c), true) => Ok(c.clone()),
        _ => Err(Error::Forbidden),
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
/// of the previous period, else the previous period's ledgers.
async fn previous_figures(
    db: &Db,
    actor: &Actor,
    county: &str,
    period: Period,
) -> Result<Vec<(String, i64)>> {
    let before = period.previous();
    let submitted = versions(db, actor, county, before)
        .await?
        .into_iter()
        .rev()
        .find(|r| r.submitted);
    match submitted {
        Some(r) => Ok(r.figures),
        None => figures(db, county, before.first_day(), before.last_day()).await,
    }
}

/// Drafts the county's report of `period` from its ledgers, or drafts it
/// again (new figures, the signatures and explanations cleared) while it is
/// a draft. `threshold_percent`: the league's setting for T9.
pub async fn draft(
    db: &Db,
    actor: &Actor,
    period: Period,
    threshold_percent: Decimal,
) -> Result<Report> {
    let county = county_of(actor)?;
    let existing = versions(db, actor, &county, period).await?;
    if existing.last().is_some_and(|r| r.submitted) {
        return Err(Error::from(ReportRefusal::Submitted));
    }
    write_version(
        db,
        actor,
        &county,
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
    county: &str,
    period: Period,
    threshold_percent: Decimal,
    over: Option<&Report>,
    correcting: Option<(&Report, &str)>,
) -> Result<Report> {
    let current = figures(db, county, period.first_day(), period.last_day()).await?;
    let before = previous_figures(db, actor, county, period).await?;
    let changes = reports::compare(&before, &current, threshold_percent);
    let figures_json = to_json(&current)?;
    let changes_json = to_json(&changes)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let id = match over.filter(|r| !r.submitted) {
        Some(r) => {
            let update = sqlx::query(
                "UPDATE statistical_reports SET figures_json = $1, changes_json = $2, explanations_json = '[]',
                   drafted_by = $3, drafted_at = $4, preparer = NULL, prepared_at = NULL, section_head = NULL,
                   section_signed_at = NULL, agency_head = NULL, agency_signed_at = NULL
                 WHERE id = $5 AND status = 'draft'",
            )
            .bind(&figures_json)
            .bind(&changes_json)
            .bind(actor.user_id)
            .bind(now)
            .bind(r.id);
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
                    after: Some(json!({"figures": current})),
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
                   figures_json, changes_json, explanations_json, corrects, correction_reason, drafted_by, drafted_at)
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, '[]', $8, $9, $10, $11) RETURNING id",
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
                        "figures": current, "reason": correcting.map(|(_, why)| why)}),
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
    county_of(actor)?;
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
    county_of(actor)?;
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
    let county = county_of(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Error::from(ReportRefusal::CorrectionReason));
    }
    let all = versions(db, actor, &county, old.period).await?;
    let newest = all.last().map_or(0, |r| r.version);
    if !old.submitted || old.version != newest {
        return Err(Error::from(ReportRefusal::NotSubmitted));
    }
    write_version(
        db,
        actor,
        &county,
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
/// report of `period`, if any.
pub async fn counties(
    db: &Db,
    actor: &Actor,
    period: Period,
) -> Result<Vec<(String, String, Option<Report>)>> {
    if !actor.role.is_agency() || actor.county_code.is_some() {
        return Err(Error::Forbidden);
    }
    let agencies: Vec<(String, String)> = sqlx::query_as(
        "SELECT county_code, name_zh FROM org_units WHERE kind = 'county_agency' AND county_code IS NOT NULL ORDER BY county_code",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for (code, name) in agencies {
        let newest = versions(db, actor, &code, period).await?.pop();
        out.push((code, name, newest));
    }
    Ok(out)
}
