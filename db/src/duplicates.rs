//! Possible duplicates, for the agency to look at (#16): never merged, never
//! stored, computed by query when the page is opened.
//! - the same name and birth date in two households (one person registered
//!   twice under two identity numbers, or a typing error);
//! - more than [`SHARED_PHONE_LIMIT`] persons on one phone number;
//! - an identity number a school tried to import that is already on another
//!   school's roster (the roster import refused the row: `pupil_of_other_school`).
//!
//! A county agency sees the flags touching its county; the league all.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::scope::Actor;
use crate::{Db, Error, Result};

/// More persons than this on one phone number are flagged.
pub const SHARED_PHONE_LIMIT: i64 = 5;

policy::coded! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FlagKind {
        SameNameAndBirth = "same_name_and_birth",
        SharedPhone = "shared_phone",
        OtherSchool = "other_school",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    /// The persons concerned: id and name, for links to `/people/{id}`.
    pub persons: Vec<(i64, String)>,
    /// The birth date, the phone number, or the two schools.
    pub detail: String,
}

/// The flags the actor may see, at most `limit` of each kind.
pub async fn flags(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Flag>> {
    if !actor.role.is_agency() {
        return Err(Error::Forbidden);
    }
    let mut out = same_name_and_birth(db, actor, limit).await?;
    out.extend(shared_phone(db, actor, limit).await?);
    out.extend(other_school(db, actor, limit).await?);
    Ok(out)
}

async fn same_name_and_birth(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Flag>> {
    // The scope over `p` is the first of the pair; the second is named `b`,
    // and either in the county counts.
    let clause = actor.person_clause(2);
    let other = clause.sql.replace("p.", "b.");
    let sql = format!(
        "SELECT p.id AS a_id, p.name AS a_name, b.id AS b_id, b.name AS b_name, substr(p.id_number, 7, 8) AS born
         FROM persons p JOIN persons b
           ON b.name = p.name AND substr(b.id_number, 7, 8) = substr(p.id_number, 7, 8) AND b.id > p.id
         WHERE p.household_id IS NOT NULL AND b.household_id IS NOT NULL AND b.household_id <> p.household_id
           AND (({}) OR ({other}))
         ORDER BY p.id LIMIT $1",
        clause.sql
    );
    // The clause's values are bound twice, once for each of the pair.
    // Both copies use the same placeholder, bound once.
    let rows = clause
        .bind_query(sqlx::query(&sql).bind(limit))
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let born: String = r.try_get("born")?;
            Ok(Flag {
                kind: FlagKind::SameNameAndBirth,
                persons: vec![
                    (r.try_get("a_id")?, r.try_get("a_name")?),
                    (r.try_get("b_id")?, r.try_get("b_name")?),
                ],
                detail: format!(
                    "{}-{}-{}",
                    born.get(0..4).unwrap_or(""),
                    born.get(4..6).unwrap_or(""),
                    born.get(6..8).unwrap_or("")
                ),
            })
        })
        .collect()
}

async fn shared_phone(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Flag>> {
    let clause = actor.person_clause(3);
    let sql = format!(
        "SELECT m.phone FROM household_members m JOIN persons p ON p.id = m.person_id
         WHERE m.phone IS NOT NULL AND ({})
         GROUP BY m.phone HAVING COUNT(*) > $1 ORDER BY m.phone LIMIT $2",
        clause.sql
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql)
        .bind(SHARED_PHONE_LIMIT)
        .bind(limit);
    for b in &clause.binds {
        q = match b {
            crate::scope::Bind::Int(i) => q.bind(*i),
            crate::scope::Bind::Text(t) => q.bind(t.clone()),
        };
    }
    let phones = q.fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(phones.len());
    for phone in phones {
        let clause = actor.person_clause(2);
        let sql = format!(
            "SELECT p.id, p.name FROM household_members m JOIN persons p ON p.id = m.person_id
             WHERE m.phone = $1 AND ({}) ORDER BY p.id LIMIT 20",
            clause.sql
        );
        let q = sqlx::query_as::<_, (i64, String)>(&sql).bind(phone.clone());
        let persons = clause.bind_to(q).fetch_all(&db.pool).await?;
        out.push(Flag {
            kind: FlagKind::SharedPhone,
            persons,
            detail: phone,
        });
    }
    Ok(out)
}

async fn other_school(db: &Db, actor: &Actor, limit: i64) -> Result<Vec<Flag>> {
    // The importing school's county decides who sees the flag.
    let clause = actor.org_clause(2, "r.school_code", "o.county_code");
    let sql = format!(
        "SELECT r.school_code, r.report_json FROM roster_imports r JOIN org_units o ON o.code = r.school_code
         WHERE r.report_json LIKE '%pupil_of_other_school%' AND ({})
         ORDER BY r.id DESC LIMIT $1",
        clause.sql
    );
    let q = clause.bind_query(sqlx::query(&sql).bind(limit));
    let rows = q.fetch_all(&db.pool).await?;
    let mut out: Vec<Flag> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        let school: String = r.try_get("school_code")?;
        let report: serde_json::Value =
            serde_json::from_str(&r.try_get::<String, _>("report_json")?).unwrap_or_default();
        let bad = report
            .get("bad")
            .and_then(|b| b.as_array())
            .cloned()
            .unwrap_or_default();
        for row in bad {
            let flagged = row
                .get("reasons")
                .and_then(|r| r.as_array())
                .is_some_and(|rs| rs.iter().any(|c| c == "pupil_of_other_school"));
            let Some(id_number) = row.get("id_number").and_then(|v| v.as_str()) else {
                continue;
            };
            if !flagged || !seen.insert((school.clone(), id_number.to_string())) {
                continue;
            }
            let person: Option<(i64, String, Option<String>)> =
                sqlx::query_as("SELECT id, name, school_code FROM persons WHERE id_number = $1")
                    .bind(id_number)
                    .fetch_optional(&db.pool)
                    .await?;
            if let Some((id, name, roster)) = person {
                out.push(Flag {
                    kind: FlagKind::OtherSchool,
                    persons: vec![(id, name)],
                    detail: format!("{school} / {}", roster.unwrap_or_default()),
                });
            }
            if out.len() as i64 >= limit {
                return Ok(out);
            }
        }
    }
    Ok(out)
}
