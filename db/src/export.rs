//! `portal export`: the league's records as JSON Lines (EXPORT.md), read with
//! the league administrator's reach and changing nothing. Persons, then
//! enrolments, payments, claims and payment runs, each in creation order.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Value};
use sqlx::Row;

use crate::{rfc3339_local, Db, Result};

/// An amount in yuan as the exports write it (`1234.50`).
pub(crate) fn yuan(fen: i64) -> String {
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
    n += claims(db, year, county, out).await?;
    out.flush().map_err(io)?;
    Ok(n)
}

/// Claims (of the county, and whose care ended in the year, if given: the
/// year that decides them, B5), then the payment runs that pay any of them.
async fn claims(
    db: &Db,
    year: Option<i32>,
    county: Option<&str>,
    out: &mut impl Write,
) -> Result<u64> {
    let io = |e: std::io::Error| crate::Error::Database(sqlx::Error::Io(e));
    let filter = "($1 = '' OR c.county_code = $1) AND ($2 = '' OR c.care_to LIKE $2)";
    let year_prefix = year.map(|y| format!("{y}-%")).unwrap_or_default();
    // One pass over the documents instead of a query per claim.
    let mut documents: HashMap<i64, Vec<Value>> = HashMap::new();
    for row in sqlx::query(&format!(
        "SELECT d.claim_id, d.evidence_code, d.sha256 FROM documents d JOIN claims c ON c.id = d.claim_id
         WHERE {filter} ORDER BY d.id"
    ))
    .bind(county.unwrap_or(""))
    .bind(&year_prefix)
    .fetch_all(&db.pool)
    .await?
    {
        documents
            .entry(row.try_get("claim_id")?)
            .or_default()
            .push(json!({
                "kind": row.try_get::<Option<String>, _>("evidence_code")?,
                "sha256": row.try_get::<String, _>("sha256")?,
            }));
    }
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.number, p.id_number, c.kind, c.care_from, c.care_to, c.hospital, c.hospital_grade,
                c.billed_fen, c.disease, c.filed_at, c.status, c.in_catalogue_fen, c.decided_on, c.facts_json,
                c.payout_fen, c.reason, c.run_window_start, c.paid_at, c.payment_run_id,
                u1.username AS first_reviewer, u2.username AS second_reviewer, r.number AS payment_run
         FROM claims c JOIN persons p ON p.id = c.person_id
         LEFT JOIN users u1 ON u1.id = c.first_reviewer LEFT JOIN users u2 ON u2.id = c.second_reviewer
         LEFT JOIN payment_runs r ON r.id = c.payment_run_id
         WHERE {filter} ORDER BY c.id"
    ))
    .bind(county.unwrap_or(""))
    .bind(&year_prefix)
    .fetch_all(&db.pool)
    .await?;
    let mut n = 0;
    let mut runs = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        if let Some(run) = row.try_get::<Option<i64>, _>("payment_run_id")? {
            runs.push(run);
        }
        let facts = row
            .try_get::<Option<String>, _>("facts_json")?
            .and_then(|f| serde_json::from_str::<Value>(&f).ok());
        let line = json!({
            "type": "claim",
            "claim_number": row.try_get::<String, _>("number")?,
            "id_number": row.try_get::<String, _>("id_number")?,
            "kind": row.try_get::<String, _>("kind")?,
            "care_from": row.try_get::<String, _>("care_from")?,
            "care_to": row.try_get::<String, _>("care_to")?,
            "filed_at": rfc3339_local(row.try_get("filed_at")?),
            "facts": facts,
            "documents": documents.remove(&id).unwrap_or_default(),
            "status": row.try_get::<String, _>("status")?,
            "payout": row.try_get::<Option<i64>, _>("payout_fen")?.map(yuan),
            "reason": row.try_get::<Option<String>, _>("reason")?,
            "first_reviewer": row.try_get::<Option<String>, _>("first_reviewer")?,
            "second_reviewer": row.try_get::<Option<String>, _>("second_reviewer")?,
            "payment_run": row.try_get::<Option<String>, _>("payment_run")?,
            // Beyond EXPORT.md: what the resident billed and the reviewer kept, and when.
            "hospital": row.try_get::<String, _>("hospital")?,
            "hospital_grade": row.try_get::<i64, _>("hospital_grade")?,
            "disease": row.try_get::<Option<String>, _>("disease")?,
            "billed": yuan(row.try_get("billed_fen")?),
            "in_catalogue": row.try_get::<Option<i64>, _>("in_catalogue_fen")?.map(yuan),
            "decided_on": row.try_get::<Option<String>, _>("decided_on")?,
            "run_window_start": row.try_get::<Option<String>, _>("run_window_start")?,
            "paid_at": row.try_get::<Option<i64>, _>("paid_at")?.map(rfc3339_local),
        });
        writeln!(out, "{line}").map_err(io)?;
        n += 1;
    }
    if runs.is_empty() {
        return Ok(n);
    }
    runs.sort_unstable();
    runs.dedup();
    // A run is one bank transfer for the whole league: its line lists all
    // its claims and its whole total, also in an export of one county.
    let mut members: HashMap<i64, Vec<String>> = HashMap::new();
    for row in sqlx::query(
        "SELECT payment_run_id, number FROM claims WHERE payment_run_id IS NOT NULL ORDER BY number",
    )
    .fetch_all(&db.pool)
    .await?
    {
        members
            .entry(row.try_get("payment_run_id")?)
            .or_default()
            .push(row.try_get("number")?);
    }
    let all = sqlx::query(
        "SELECT r.id, r.number, r.kind, r.window_start, r.window_end, r.total_fen, r.prepared_at, r.released_at,
                u1.username AS prepared_by, u2.username AS released_by
         FROM payment_runs r JOIN users u1 ON u1.id = r.prepared_by LEFT JOIN users u2 ON u2.id = r.released_by
         ORDER BY r.id",
    )
    .fetch_all(&db.pool)
    .await?;
    for row in all {
        let id: i64 = row.try_get("id")?;
        if runs.binary_search(&id).is_err() {
            continue;
        }
        let line = json!({
            "type": "payment_run",
            "number": row.try_get::<String, _>("number")?,
            "kind": row.try_get::<String, _>("kind")?,
            "window_start": row.try_get::<String, _>("window_start")?,
            "claims": members.remove(&id).unwrap_or_default(),
            "total": yuan(row.try_get("total_fen")?),
            // Beyond EXPORT.md: the two people of B19's release, and when.
            "window_end": row.try_get::<String, _>("window_end")?,
            "prepared_by": row.try_get::<String, _>("prepared_by")?,
            "prepared_at": rfc3339_local(row.try_get("prepared_at")?),
            "released_by": row.try_get::<Option<String>, _>("released_by")?,
            "released_at": row.try_get::<Option<i64>, _>("released_at")?.map(rfc3339_local),
        });
        writeln!(out, "{line}").map_err(io)?;
        n += 1;
    }
    Ok(n)
}
