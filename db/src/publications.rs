//! Publishing statistics (信息统计管理规定 T16): the league's statistics head
//! puts a table forward, its counts frozen then; the agency head, another
//! person, approves it and it is published. The public reads it without
//! logging in, with every count under the league's threshold and every
//! count that subtraction from a total would give back suppressed
//! (`policy::reports::publishable`). A table holds counts only: no name, no
//! ID number, no condition.

use policy::reports::{self, Published};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::ReportRefusal;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

/// What a published table counts.
pub const ENROLLED_BY_TIER_AND_COUNTY: &str = "enrolled_by_tier_and_county";

/// The true counts of a table: `counts[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub counts: Vec<Vec<u64>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub id: i64,
    pub kind: String,
    pub policy_year: i32,
    pub table: Table,
    pub threshold: u64,
    pub proposed_by: i64,
    pub approved_by: Option<i64>,
    pub published_at: Option<i64>,
}

impl Publication {
    /// What the public may see of it.
    pub fn public(&self) -> Published {
        reports::publishable(&self.table.counts, self.threshold)
    }
}

fn from_row(r: &AnyRow) -> Result<Publication> {
    let table: String = r.try_get("table_json")?;
    let year: i64 = r.try_get("policy_year")?;
    let threshold: i64 = r.try_get("threshold")?;
    Ok(Publication {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        policy_year: i32::try_from(year).unwrap_or_default(),
        table: serde_json::from_str(&table)
            .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?,
        threshold: u64::try_from(threshold).unwrap_or(1),
        proposed_by: r.try_get("proposed_by")?,
        approved_by: r.try_get("approved_by")?,
        published_at: r.try_get("published_at")?,
    })
}

const COLS: &str =
    "id, kind, policy_year, table_json, threshold, proposed_by, approved_by, published_at";

/// The league's agency: the one that publishes for the whole scheme.
pub(crate) fn league_staff(actor: &Actor) -> Result<()> {
    if actor.role.is_agency() && actor.county_code.is_none() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Enrolled persons (approved enrolments) of a policy year by tier and county.
pub async fn enrolled_by_tier_and_county(db: &Db, policy_year: i32) -> Result<Table> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT e.tier, p.county_code, COUNT(*) FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE e.policy_year = $1 AND e.status = 'approved'
         GROUP BY e.tier, p.county_code ORDER BY e.tier, p.county_code",
    )
    .bind(i64::from(policy_year))
    .fetch_all(&db.pool)
    .await?;
    let mut tiers: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    tiers.dedup();
    let mut counties: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    counties.sort();
    counties.dedup();
    let mut counts = vec![vec![0u64; counties.len()]; tiers.len()];
    for (tier, county, n) in rows {
        let i = tiers.iter().position(|t| *t == tier);
        let j = counties.iter().position(|c| *c == county);
        if let Some(cell) = i.zip(j).and_then(|(i, j)| counts.get_mut(i)?.get_mut(j)) {
            *cell = u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(Table {
        rows: tiers,
        columns: counties,
        counts,
    })
}

/// The statistics head puts the year's table forward: its counts frozen now.
pub async fn propose(
    db: &Db,
    actor: &Actor,
    policy_year: i32,
    threshold: u64,
) -> Result<Publication> {
    league_staff(actor)?;
    let table = enrolled_by_tier_and_county(db, policy_year).await?;
    let text = serde_json::to_string(&table)
        .map_err(|e| Error::Database(sqlx::Error::Decode(Box::new(e))))?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO publications (kind, policy_year, table_json, threshold, proposed_by, proposed_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ENROLLED_BY_TIER_AND_COUNTY)
    .bind(i64::from(policy_year))
    .bind(&text)
    .bind(i64::try_from(threshold).unwrap_or(i64::MAX))
    .bind(actor.user_id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        By::User(actor),
        Change {
            action: "publication.propose",
            entity: "publication",
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"year": policy_year, "threshold": threshold, "table": table})),
        },
    )
    .await?;
    tx.commit().await?;
    get(db, id).await
}

async fn get(db: &Db, id: i64) -> Result<Publication> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM publications WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row)
}

/// The agency head approves: another person than who put it forward; it is
/// published from then on.
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> Result<Publication> {
    league_staff(actor)?;
    if actor.role != Role::AgencyAdmin {
        return Err(Error::from(ReportRefusal::PublicationAgencyHead));
    }
    let p = get(db, id).await?;
    if p.published_at.is_some() {
        return Err(Error::from(ReportRefusal::AlreadyPublished));
    }
    if p.proposed_by == actor.user_id {
        return Err(Error::from(ReportRefusal::PublicationSamePerson));
    }
    publish(db, actor, "publications", "publication", id).await?;
    get(db, id).await
}

/// Marks row `id` of `table` (publications, subsidy_notices) approved by
/// `actor` and published now, with its audit record; refused when it was
/// published meanwhile.
pub(crate) async fn publish(
    db: &Db,
    actor: &Actor,
    table: &str,
    entity: &'static str,
    id: i64,
) -> Result<()> {
    let action = match entity {
        "publication" => "publication.approve",
        _ => "subsidy_notice.approve",
    };
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE {table} SET approved_by = $1, published_at = $2 WHERE id = $3 AND published_at IS NULL"
    );
    let update = sqlx::query(&sql)
        .bind(actor.user_id)
        .bind(now_ms())
        .bind(id);
    audit::transition(
        &mut tx,
        update,
        ReportRefusal::AlreadyPublished,
        By::User(actor),
        Change {
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(json!({"published": true})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Tables put forward and not yet approved, for the league's agency.
pub async fn pending(db: &Db, actor: &Actor) -> Result<Vec<Publication>> {
    league_staff(actor)?;
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM publications WHERE published_at IS NULL ORDER BY id"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Everything published, newest first: for anyone, without logging in.
pub async fn published(db: &Db) -> Result<Vec<Publication>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM publications WHERE published_at IS NOT NULL ORDER BY published_at DESC, id DESC"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}
