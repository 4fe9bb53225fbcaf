//! The organisations accounts belong to: the league agency, county agencies,
//! community labour-security offices and schools.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::OrgError;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OrgUnit {
    pub code: String,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub county_code: Option<String>,
}

pub const KINDS: [&str; 4] = ["league_agency", "county_agency", "office", "school"];

pub async fn create(db: &Db, by: By<'_>, org: &OrgUnit) -> Result<()> {
    if !KINDS.contains(&org.kind.as_str()) {
        return Err(Error::from(OrgError::OrgKind));
    }
    if org.code.trim().is_empty() || org.name_zh.trim().is_empty() {
        return Err(Error::from(OrgError::OrgName));
    }
    // Every unit but the league agency sits in a county.
    if (org.kind == "league_agency") != org.county_code.is_none() {
        return Err(Error::from(OrgError::OrgCounty));
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO org_units (code, kind, name_zh, name_en, county_code, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&org.code)
        .bind(&org.kind)
        .bind(&org.name_zh)
        .bind(&org.name_en)
        .bind(&org.county_code)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        by,
        Change {
            action: "org.create",
            entity: "org_unit",
            entity_id: org.code.clone(),
            before: None,
            after: Some(json!(org)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<OrgUnit> {
    Ok(OrgUnit {
        code: row.try_get("code")?,
        kind: row.try_get("kind")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        county_code: row.try_get("county_code")?,
    })
}

pub async fn get(db: &Db, code: &str) -> Result<Option<OrgUnit>> {
    let row = sqlx::query(
        "SELECT code, kind, name_zh, name_en, county_code FROM org_units WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(db: &Db) -> Result<Vec<OrgUnit>> {
    let rows = sqlx::query(
        "SELECT code, kind, name_zh, name_en, county_code FROM org_units ORDER BY code",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// The county agency of `county_code`, for the names of a county's figures.
pub async fn county_agency(db: &Db, county_code: &str) -> Result<Option<OrgUnit>> {
    let code: Option<String> = sqlx::query_scalar(
        "SELECT code FROM org_units WHERE kind = 'county_agency' AND county_code = $1 ORDER BY code",
    )
    .bind(county_code)
    .fetch_optional(&db.pool)
    .await?;
    match code {
        Some(c) => get(db, &c).await,
        None => Ok(None),
    }
}
