//! The public notice of those who receive the increased subsidy (张榜公布,
//! 信息统计管理规定 T16): a county agency's statistician puts forward the list
//! of a policy year, frozen then; the agency head, another person, approves
//! it and it is published for anyone without logging in. The list names
//! each person with a masked ID number and the office that enrolled them,
//! and never why they are assisted (dibao, disability grade, low income):
//! a name is never shown with a condition.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, By, Change};
use crate::error::ReportRefusal;
use crate::households::masked_id;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// One line of the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub office: String,
    pub name: String,
    /// Region and last four only.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub county_code: String,
    pub policy_year: i32,
    pub lines: Vec<Line>,
    pub proposed_by: i64,
    pub published_at: Option<i64>,
}

type Row = (i64, String, i64, String, i64, Option<i64>);
const COLS: &str = "id, county_code, policy_year, rows_json, proposed_by, published_at";

fn from_row(r: Row) -> Result<Notice> {
    Ok(Notice {
        id: r.0,
        county_code: r.1,
        policy_year: i32::try_from(r.2).unwrap_or_default(),
        lines: serde_json::from_str(&r.3)
            .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?,
        proposed_by: r.4,
        published_at: r.5,
    })
}

fn county_agency(actor: &Actor) -> Result<String> {
    match (&actor.county_code, actor.role.is_agency()) {
        (Some(c), true) => Ok(c.clone()),
        _ => Err(Error::Forbidden),
    }
}

/// The county's persons of `policy_year` with an approved enrolment in an
/// assisted tier, by office and name.
pub async fn lines(db: &Db, county: &str, policy_year: i32) -> Result<Vec<Line>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT o.name_zh, p.name, p.id_number FROM enrolments e
         JOIN persons p ON p.id = e.person_id JOIN org_units o ON o.code = e.registrar_org
         WHERE e.policy_year = $1 AND e.status = 'approved' AND p.county_code = $2
           AND e.tier IN ('adult_assisted', 'minor_assisted')
         ORDER BY o.name_zh, p.name, p.id",
    )
    .bind(i64::from(policy_year))
    .bind(county)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(office, name, id)| Line {
            office,
            name,
            id: masked_id(&id),
        })
        .collect())
}

/// A county agency's statistician puts the year's notice forward.
pub async fn propose(db: &Db, actor: &Actor, policy_year: i32) -> Result<Notice> {
    let county = county_agency(actor)?;
    let lines = lines(db, &county, policy_year).await?;
    let text = serde_json::to_string(&lines)
        .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subsidy_notices (county_code, policy_year, rows_json, proposed_by, proposed_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&county)
    .bind(i64::from(policy_year))
    .bind(&text)
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "subsidy_notice.propose",
            entity: "subsidy_notice",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"county": county, "year": policy_year, "lines": lines.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, id).await
}

async fn get(db: &Db, id: i64) -> Result<Notice> {
    let row: Row = sqlx::query_as(&format!("SELECT {COLS} FROM subsidy_notices WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    from_row(row)
}

/// The county's agency head (not who put it forward) publishes it.
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> Result<Notice> {
    let county = county_agency(actor)?;
    let n = get(db, id).await?;
    if n.county_code != county {
        return Err(Error::Forbidden);
    }
    if actor.role != Role::AgencyAdmin {
        return Err(Error::from(ReportRefusal::PublicationAgencyHead));
    }
    if n.published_at.is_some() {
        return Err(Error::from(ReportRefusal::AlreadyPublished));
    }
    if n.proposed_by == actor.user_id {
        return Err(Error::from(ReportRefusal::PublicationSamePerson));
    }
    crate::publications::publish(db, actor, "subsidy_notices", "subsidy_notice", id).await?;
    get(db, id).await
}

/// The county's notices not yet published.
pub async fn pending(db: &Db, actor: &Actor) -> Result<Vec<Notice>> {
    let county = county_agency(actor)?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLS} FROM subsidy_notices WHERE county_code = $1 AND published_at IS NULL ORDER BY id"
    ))
    .bind(county)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// Every published notice, newest first: for anyone.
pub async fn published(db: &Db) -> Result<Vec<Notice>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLS} FROM subsidy_notices WHERE published_at IS NOT NULL ORDER BY published_at DESC, id DESC"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(from_row).collect()
}
