//! The 1 May sweep over a million residents (issue: ≤ 10 s on SQLite here).
//!
//! `cargo bench -p db --bench sweep` builds a fresh SQLite database (and a
//! PostgreSQL one when PORTAL_BENCH_POSTGRES_URL is set) holding N residents
//! (PORTAL_BENCH_RESIDENTS, default 1 000 000) with an approved enrolment,
//! a notice and a premium for 2009, nine in ten also paid for 2010, then
//! times the 2010 sweep, and its second run, which must change nothing.
//! The rows are made by SQL in bulk; the sweep is the portal's own code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark reports on stdout and stops on failure

#[path = "common/engines.rs"]
mod engines;

use std::time::Instant;

use chrono::NaiveDate;
use db::audit::By;
use db::{Backend, Db};

fn series(db: &Db, n: i64) -> String {
    match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"
        ),
        Backend::Postgres => format!("SELECT i FROM generate_series(1, {n}) AS s(i)"),
    }
}

async fn fill(db: &Db, n: i64) {
    let org = db::orgs::OrgUnit {
        code: "O".into(),
        kind: "office".into(),
        name_zh: "所".into(),
        name_en: "Office".into(),
        county_code: Some("152201".into()),
    };
    db::orgs::create(db, By::System("bench"), &org)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, role, org_code, created_at)
         VALUES (1, 'agent', 'agent', 'x', 'office_agent', 'O', 0)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let s = series(db, n);
    let pad = |col: &str, w: usize| match db.backend {
        Backend::Sqlite => format!("printf('%0{w}d', {col})"),
        Backend::Postgres => format!("lpad({col}::text, {w}, '0')"),
    };
    let steps = [
        format!(
            "INSERT INTO persons (id, id_number, name, county_code, facts_json, created_at, created_by)
             SELECT i, {}, '居民', '152201', '{{}}', 0, 1 FROM ({s}) t",
            pad("i", 18)
        ),
        // 2009 for everyone (ids 1..n), 2010 for nine in ten (ids n+1..).
        format!(
            "INSERT INTO enrolments (id, person_id, policy_year, category, tier, registrar, registrar_org, total_fen,
                 personal_fen, subsidy_central_fen, subsidy_region_fen, subsidy_league_fen, subsidy_county_fen,
                 policy_version, evidence_required, explanation_json, status, entered_by, entered_at,
                 submitted_by, submitted_at, approved_by, approved_at)
             SELECT i, i, 2009, 'elderly', 'adult_standard', 'community_office', 'O', 22500, 13000, 4000, 2500,
                 1500, 1500, 1, '[]', '{{}}', 'approved', 1, 0, 1, 0, 1, 0 FROM ({s}) t
             UNION ALL
             SELECT {n} + i, i, 2010, 'elderly', 'adult_standard', 'community_office', 'O', 22500, 13000, 4000, 2500,
                 1500, 1500, 1, '[]', '{{}}', 'approved', 1, 0, 1, 0, 1, 0 FROM ({s}) t WHERE i % 10 <> 0"
        ),
        format!(
            "INSERT INTO payment_notices (id, number, enrolment_id, person_id, policy_year, amount_fen, due_date,
                 verify_code, status, issued_at)
             SELECT id, CAST(policy_year AS TEXT) || '-TZ-' || {}, id, person_id, policy_year, 13000,
                 CAST(policy_year AS TEXT) || '-04-30', 'c', 'paid', 0 FROM enrolments",
            pad("id", 8)
        ),
        format!(
            "INSERT INTO payments (notice_id, person_id, policy_year, kind, amount_fen, paid_at, paid_on, channel,
                 receipt_number, back_payment, collected_by, collected_org)
             SELECT id, person_id, policy_year, 'premium', 13000, 0, CAST(policy_year AS TEXT) || '-03-01',
                 'office_cash', 'R' || {}, 0, 1, 'O' FROM payment_notices",
            pad("id", 8)
        ),
    ];
    for sql in steps {
        sqlx::query(&sql).execute(&db.pool).await.unwrap();
    }
    if db.backend == Backend::Postgres {
        sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    }
}

async fn bench(label: &str, db: Db, n: i64) {
    let t = Instant::now();
    fill(&db, n).await;
    println!(
        "{label}: {n} residents made in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let rules = policy::params::Rules::builtin();
    let may1 = NaiveDate::from_ymd_opt(2010, 5, 1).unwrap();
    let t = Instant::now();
    let r = db::sweep::run(&db, &rules, may1, By::System("bench"))
        .await
        .unwrap()
        .unwrap();
    let first = t.elapsed();
    assert_eq!(
        r.newly_interrupted as i64,
        n / 10,
        "one in ten did not pay 2010"
    );
    let t = Instant::now();
    let again = db::sweep::run(&db, &rules, may1, By::System("bench"))
        .await
        .unwrap()
        .unwrap();
    let second = t.elapsed();
    assert_eq!(again.newly_interrupted, 0);
    println!(
        "{label}: sweep of {n} residents: {:.2} s, {} interrupted; second run {:.2} s, 0 new",
        first.as_secs_f64(),
        r.newly_interrupted,
        second.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("PORTAL_BENCH_RESIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    engines::on_both("sweep", true, |label, db| bench(label, db, n)).await;
}
