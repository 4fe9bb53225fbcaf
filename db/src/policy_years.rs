//! The parameter sets in force: the years shipped with the portal, plus what
//! the agency has published since. Publishing never edits: it adds a version.

use policy::params::{Rules, YearParams};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, By, Change};
use crate::error::RulesRefusal;
use crate::scope::{Actor, Role};
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PublishedYear {
    pub year: i32,
    pub version: u32,
    /// None for the versions shipped with the portal.
    pub published_at: Option<i64>,
    pub published_by: Option<String>,
}

/// The shipped years with every published version laid over them, newest version winning.
pub async fn load(db: &Db) -> Result<Rules> {
    let mut rules = Rules::try_builtin().map_err(|_| Error::from(RulesRefusal::PolicyParams))?;
    let rows = sqlx::query("SELECT params_toml FROM policy_years ORDER BY year, version")
        .fetch_all(&db.pool)
        .await?;
    for row in rows {
        let text: String = row.try_get("params_toml")?;
        let params =
            YearParams::from_toml(&text).map_err(|_| Error::from(RulesRefusal::PolicyParams))?;
        rules.years.insert(params.year, params);
    }
    Ok(rules)
}

/// Every version of every year, newest year first.
pub async fn list(db: &Db) -> Result<Vec<PublishedYear>> {
    let mut out: Vec<PublishedYear> = Rules::try_builtin()
        .map_err(|_| Error::from(RulesRefusal::PolicyParams))?
        .years
        .values()
        .map(|p| PublishedYear {
            year: p.year,
            version: p.version,
            published_at: None,
            published_by: None,
        })
        .collect();
    let rows = sqlx::query(
        "SELECT p.year, p.version, p.published_at, u.username FROM policy_years p JOIN users u ON u.id = p.published_by",
    )
    .fetch_all(&db.pool)
    .await?;
    for row in rows {
        let year: i64 = row.try_get("year")?;
        let version: i64 = row.try_get("version")?;
        out.push(PublishedYear {
            year: year as i32,
            version: version as u32,
            published_at: Some(row.try_get("published_at")?),
            published_by: Some(row.try_get("username")?),
        });
    }
    out.sort_by(|a, b| b.year.cmp(&a.year).then(b.version.cmp(&a.version)));
    Ok(out)
}

/// Publishes a year's parameters as the next version of that year. Only the
/// league's administrators publish; the text must load and check.
pub async fn publish(db: &Db, by: &Actor, text: &str) -> Result<(i32, u32)> {
    if by.role != Role::AgencyAdmin || !by.is_league() {
        return Err(Error::Forbidden);
    }
    let mut params =
        YearParams::from_toml(text).map_err(|_| Error::from(RulesRefusal::PolicyParams))?;
    let current = load(db).await?;
    let shipped = current
        .years
        .get(&params.year)
        .map(|p| p.version)
        .unwrap_or(0);
    let mut tx = db.begin_write().await?;
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM policy_years WHERE year = $1")
            .bind(params.year as i64)
            .fetch_one(&mut *tx)
            .await?;
    params.version = shipped.max(stored.unwrap_or(0) as u32) + 1;
    let canonical = params
        .to_toml()
        .map_err(|_| Error::from(RulesRefusal::PolicyParams))?;
    sqlx::query("INSERT INTO policy_years (year, version, params_toml, published_at, published_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(params.year as i64)
        .bind(params.version as i64)
        .bind(&canonical)
        .bind(now_ms())
        .bind(by.user_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        By::User(by),
        Change {
            action: "policy_year.publish",
            entity: "policy_year",
            entity_id: format!("{}v{}", params.year, params.version),
            before: None,
            after: Some(
                json!({"year": params.year, "version": params.version, "params_toml": canonical}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((params.year, params.version))
}
