//! `portal export`: the league's records as JSON Lines (EXPORT.md), read with
//! the league administrator's reach and changing nothing. Persons, then
//! enrolments, each in creation order; payments, claims and payment runs
//! follow when those records exist.

use std::io::Write;

use serde_json::{json, Value};
use sqlx::Row;

use crate::{rfc3339_local, Db, Result};

fn yuan(fen: i64) -> String {
    policy::Money::from_fen(fen).to_string()
}

/// Writes every person (of the county, if given) and their enrolments (of the year, if given).
pub async fn write(
    db: &Db,
    year: Option<i32>,
    county: Option<&str>,
    out: &mut impl Write,
) -> Result<u64> {
    let io = |e: std::io::Error| crate::Error::Database(sqlx::Error::Io(e));
    let mut n = 0;
    let persons = sqlx::query(
        "SELECT p.id_number, p.name, p.county_code, p.facts_json, h.number AS household
         FROM persons p LEFT JOIN households h ON h.id = p.household_id
         WHERE ($1 = '' OR p.county_code = $1) ORDER BY p.id",
    )
    .bind(county.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    for row in persons {
        let id_number: String = row.try_get("id_number")?;
        let facts: Value =
            serde_json::from_str(&row.try_get::<String, _>("facts_json")?).unwrap_or(Value::Null);
        let id = policy::idcard::check(&id_number).ok();
        let pick = |k: &str| facts.get(k).cloned().unwrap_or(Value::Null);
        let line = json!({
            "type": "person",
            "id_number": id_number,
            "name": row.try_get::<String, _>("name")?,
            "birth_date": id.as_ref().map(|i| i.birth_date.to_string()),
            "sex": id.as_ref().map(|i| i.sex.code()),
            "household": row.try_get::<Option<String>, _>("household")?,
            "county": row.try_get::<String, _>("county_code")?,
            "facts": {
                "in_school": pick("in_school"), "employee_insured": pick("employee_insured"),
                "flexible_employment": pick("flexible_employment"), "ncms_enrolled": pick("ncms_enrolled"),
                "migrant_worker_child": pick("migrant_worker_child"), "dibao": pick("dibao"),
                "disability_grade": pick("disability_grade"), "low_income_household": pick("low_income_household"),
                "hukou_moved_in_year": pick("hukou_moved_in_year"),
            },
        });
        writeln!(out, "{line}").map_err(io)?;
        n += 1;
    }
    let enrolments = sqlx::query(
        "SELECT e.id, p.id_number, e.policy_year, e.category, e.tier, e.total_fen, e.personal_fen,
                e.subsidy_central_fen, e.subsidy_region_fen, e.subsidy_league_fen, e.subsidy_county_fen,
                e.registrar, e.registrar_org, e.status, e.policy_version, e.entered_at, e.approved_at,
                ue.username AS entered_by, ua.username AS approved_by
         FROM enrolments e JOIN persons p ON p.id = e.person_id
         JOIN users ue ON ue.id = e.entered_by LEFT JOIN users ua ON ua.id = e.approved_by
         WHERE ($1 = '' OR p.county_code = $1) AND ($2 = 0 OR e.policy_year = $2) ORDER BY e.id",
    )
    .bind(county.unwrap_or(""))
    .bind(year.map(i64::from).unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    for row in enrolments {
        let id: i64 = row.try_get("id")?;
        let evidence: Vec<Value> = sqlx::query(
            "SELECT v.code, u.username, v.accepted_at FROM evidence v JOIN users u ON u.id = v.accepted_by
             WHERE v.enrolment_id = $1 ORDER BY v.id",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|v| -> Result<Value> {
            Ok(json!({"code": v.try_get::<String, _>("code")?, "accepted_by": v.try_get::<String, _>("username")?,
                      "accepted_at": rfc3339_local(v.try_get("accepted_at")?)}))
        })
        .collect::<Result<_>>()?;
        let line = json!({
            "type": "enrolment",
            "id_number": row.try_get::<String, _>("id_number")?,
            "policy_year": row.try_get::<i64, _>("policy_year")?,
            "category": row.try_get::<String, _>("category")?,
            "tier": row.try_get::<String, _>("tier")?,
            "total": yuan(row.try_get("total_fen")?),
            "personal": yuan(row.try_get("personal_fen")?),
            "subsidy": {
                "central": yuan(row.try_get("subsidy_central_fen")?), "region": yuan(row.try_get("subsidy_region_fen")?),
                "league": yuan(row.try_get("subsidy_league_fen")?), "county": yuan(row.try_get("subsidy_county_fen")?),
            },
            "registrar": row.try_get::<String, _>("registrar")?,
            "registrar_id": row.try_get::<String, _>("registrar_org")?,
            "evidence": evidence,
            "entered_by": row.try_get::<String, _>("entered_by")?,
            "entered_at": rfc3339_local(row.try_get("entered_at")?),
            "approved_by": row.try_get::<Option<String>, _>("approved_by")?,
            "approved_at": row.try_get::<Option<i64>, _>("approved_at")?.map(rfc3339_local),
            "status": row.try_get::<String, _>("status")?,
            "policy_version": row.try_get::<i64, _>("policy_version")?,
        });
        writeln!(out, "{line}").map_err(io)?;
        n += 1;
    }
    let payments = sqlx::query(
        "SELECT p.id_number, y.policy_year, y.kind, y.amount_fen, y.paid_at, n.number AS notice_number,
                y.receipt_number, y.channel, y.back_payment, y.refunded_at
         FROM payments y JOIN persons p ON p.id = y.person_id JOIN payment_notices n ON n.id = y.notice_id
         WHERE ($1 = '' OR p.county_code = $1) AND ($2 = 0 OR y.policy_year = $2) ORDER BY y.id",
    )
    .bind(county.unwrap_or(""))
    .bind(year.map(i64::from).unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    for row in payments {
        let kind: String = row.try_get("kind")?;
        let line = json!({
            "type": "payment",
            "id_number": row.try_get::<String, _>("id_number")?,
            "policy_year": row.try_get::<i64, _>("policy_year")?,
            "amount": yuan(row.try_get("amount_fen")?),
            "paid_at": rfc3339_local(row.try_get("paid_at")?),
            "notice_number": row.try_get::<String, _>("notice_number")?,
            "receipt_number": row.try_get::<String, _>("receipt_number")?,
            "channel": row.try_get::<String, _>("channel")?,
            "back_payment": row.try_get::<i64, _>("back_payment")? == 1,
            // Beyond EXPORT.md: money that paid no premium and is refunded.
            "overpayment": kind == "overpayment",
            "refunded_at": row.try_get::<Option<i64>, _>("refunded_at")?.map(rfc3339_local),
        });
        writeln!(out, "{line}").map_err(io)?;
        n += 1;
    }
    out.flush().map_err(io)?;
    Ok(n)
}
