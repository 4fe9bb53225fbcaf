//! Claims benchmark (not a timed test), on SQLite and, when
//! PORTAL_BENCH_POSTGRES_URL (or PORTAL_TEST_POSTGRES_URL) names a server,
//! on PostgreSQL. Prints the figures.
//!
//! (a) Uploads: 5 MB phone photos (JPEG, distinct bytes each) attached to a
//!     claim through `claims::attach_document`, into a local folder store
//!     that syncs every file: MB/s and the time per upload.
//! (b) The review queue over 100 000 stored claims in two counties:
//!     `claims::review_queue` for the first, a middle and the last page, as
//!     a county reviewer and as the league; p50, p95 and max (target p95 <
//!     100 ms). The claims are made by SQL in bulk; the queue is the
//!     portal's own code.
//!
//! (c) The agency's statistics of 2009 over the same claims and an approved
//!     enrolment for each of the 10 000 persons: `statistics::year` as a
//!     county reviewer and as the league; p50, p95 and max.
//!
//! `cargo bench -p db --bench claims` (PORTAL_BENCH_CLAIMS, PORTAL_BENCH_UPLOADS
//! change the sizes).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark reports on stdout and stops on failure

use std::sync::Arc;
use std::time::Instant;

use db::audit::By;
use db::claims::{self, FilingAgent, NewClaim, Stage};
use db::documents::{LocalFolder, Store};
use db::{Backend, Db};
use policy::benefit::{ClaimKind, HospitalGrade};
use policy::money::Money;

#[path = "../tests/common/mod.rs"]
mod common;

use common::league::{day, elderly, league, League};

#[path = "common/photo.rs"]
mod photo;
use photo::{photo, MB};

#[path = "common/engines.rs"]
mod engines;
#[path = "common/timing.rs"]
mod timing;
use timing::spread;

const PERSONS: i64 = 10_000;
const HOUSEHOLDS: i64 = 4_000;
const RUNS: usize = 30;

fn env_or(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn uploads(engine: &str, db: &Db, l: &League, n: i64) {
    let dir = std::env::temp_dir().join(format!(
        "portal_bench_claims_files_{}_{engine}",
        std::process::id()
    ));
    let store: Store = Arc::new(LocalFolder::new(&dir));
    let person = elderly(db, l, 1).await;
    let claim = claims::file(
        db,
        &l.resident,
        NewClaim {
            person_id: person,
            kind: ClaimKind::Transfer,
            care_from: day("2009-05-02"),
            care_to: day("2009-05-20"),
            hospital: "包头市第一医院".into(),
            hospital_grade: HospitalGrade::Three,
            billed: Money::from_yuan(12_000),
            disease: None,
            agent: FilingAgent {
                name: "王强".into(),
                id_number: common::id("15220119800101001"),
                relation: "child".into(),
            },
            bank_account: "6222020200112233445".into(),
            account_name: "王强".into(),
            request_key: "bench-upload".into(),
        },
        day("2009-06-01"),
    )
    .await
    .unwrap();
    let photos: Vec<Vec<u8>> = (0..n as u64).map(photo).collect();
    let mut times = Vec::new();
    let all = Instant::now();
    for (i, bytes) in photos.into_iter().enumerate() {
        let kind = claims::DOCUMENT_KINDS[i % claims::DOCUMENT_KINDS.len()];
        let t = Instant::now();
        let (_, fresh) =
            claims::attach_document(db, &store, &l.resident, &claim.number, kind, bytes, 10 * MB)
                .await
                .unwrap();
        times.push(t.elapsed());
        assert!(fresh);
    }
    let total = all.elapsed().as_secs_f64();
    let (p50, p95, max) = spread(times);
    println!(
        "{engine}: {n} uploads of 5 MB: {:.1} MB/s; per upload p50 {p50:.0} ms, p95 {p95:.0} ms, max {max:.0} ms",
        (n as f64 * 5.0) / total
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn series(db: &Db, n: i64) -> String {
    match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"
        ),
        Backend::Postgres => format!("SELECT i FROM generate_series(1, {n}) AS s(i)"),
    }
}

/// Households and persons in both counties, then `n` claims: six in ten
/// waiting for the first review, two for the second, two refused.
async fn fill(db: &Db, l: &League, n: i64) {
    let org = db::orgs::OrgUnit {
        code: "OB".into(),
        kind: "office".into(),
        name_zh: "所B".into(),
        name_en: "Office B".into(),
        county_code: Some("152222".into()),
    };
    db::orgs::create(db, By::System("bench"), &org)
        .await
        .unwrap();
    let text = |col: &str| match db.backend {
        Backend::Sqlite => format!("CAST({col} AS TEXT)"),
        Backend::Postgres => format!("{col}::text"),
    };
    let county = |col: &str| format!("CASE WHEN {col} % 2 = 0 THEN '152201' ELSE '152222' END");
    let (resident, first, second) = (l.resident.user_id, l.reviewer.user_id, l.agency.user_id);
    let steps = [
        format!(
            "INSERT INTO households (id, number, office_code, county_code, address, created_at, created_by)
             SELECT 100000 + i, 'BH-' || {}, CASE WHEN i % 2 = 0 THEN 'OA' ELSE 'OB' END, {}, '街道', 0, 1
             FROM ({}) t",
            text("i"),
            county("i"),
            series(db, HOUSEHOLDS)
        ),
        format!(
            "INSERT INTO persons (id, id_number, name, household_id, county_code, facts_json, created_at, created_by)
             SELECT 100000 + i, 'BP-' || {}, '居民' || {}, 100001 + i % {HOUSEHOLDS}, {}, '{{}}', 0, 1
             FROM ({}) t",
            text("i"),
            text("i"),
            county(&format!("(1 + i % {HOUSEHOLDS})")),
            series(db, PERSONS)
        ),
        format!(
            "INSERT INTO claims (number, person_id, household_id, county_code, kind, care_from, care_to, hospital,
                 hospital_grade, billed_fen, agent_name, agent_id_number, agent_relation, bank_account,
                 account_name, request_key, filed_by, filed_at, status, first_reviewer, first_reviewed_at,
                 in_catalogue_fen, second_reviewer, second_reviewed_at, decided_on, payout_fen, reason)
             SELECT 'B-' || {}, p.id, p.household_id, p.county_code,
                 CASE WHEN i % 3 = 0 THEN 'special_outpatient' ELSE 'transfer' END,
                 '2009-05-01', '2009-05-20', '医院', 3, 100000 + i % 5000, '代办', '152201198001010010', 'child',
                 '6222020200112233445', '户名', 'bk-' || {}, {resident}, i,
                 CASE WHEN i % 10 < 6 THEN 'filed' WHEN i % 10 < 8 THEN 'second_review' ELSE 'refused' END,
                 CASE WHEN i % 10 < 6 THEN NULL ELSE {first} END,
                 CASE WHEN i % 10 < 6 THEN NULL ELSE i END,
                 CASE WHEN i % 10 < 6 THEN NULL ELSE 90000 END,
                 CASE WHEN i % 10 < 8 THEN NULL ELSE {second} END,
                 CASE WHEN i % 10 < 8 THEN NULL ELSE i END,
                 CASE WHEN i % 10 < 8 THEN NULL ELSE '2009-06-01' END,
                 CASE WHEN i % 10 < 8 THEN NULL ELSE 0 END,
                 CASE WHEN i % 10 < 8 THEN NULL ELSE 'not_covered' END
             FROM ({}) t JOIN persons p ON p.id = 100001 + i % {PERSONS}",
            text("i"),
            text("i"),
            series(db, n)
        ),
    ];
    for sql in steps {
        sqlx::query(&sql).execute(&db.pool).await.unwrap();
    }
    settle(db).await;
}

/// What autovacuum does soon after bulk inserts (its insert threshold):
/// statistics, and the visibility map that lets a query read skipped rows
/// from an index alone.
async fn settle(db: &Db) {
    if db.backend == Backend::Postgres {
        sqlx::query("VACUUM ANALYZE")
            .execute(&db.pool)
            .await
            .unwrap();
    }
}

async fn queue(engine: &str, db: &Db, l: &League, n: i64) {
    let t = Instant::now();
    fill(db, l, n).await;
    println!(
        "{engine}: {n} claims made in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    for (who, actor) in [("county reviewer", &l.reviewer), ("league", &l.agency)] {
        for stage in [Stage::First, Stage::Second] {
            let (_, total) = claims::review_queue(db, actor, stage, 0).await.unwrap();
            let last = (total - 1).max(0) / claims::QUEUE_PAGE;
            for (label, page) in [("first", 0), ("middle", last / 2), ("last", last)] {
                // The page is reached by its key, as the page's "next" link does.
                let after = cursor(db, actor, stage, page).await;
                let mut times = Vec::with_capacity(RUNS);
                for _ in 0..RUNS {
                    let t = Instant::now();
                    let (rows, _) = claims::review_queue(db, actor, stage, after).await.unwrap();
                    times.push(t.elapsed());
                    assert!(!rows.is_empty());
                }
                if std::env::var_os("PORTAL_BENCH_EXPLAIN").is_some()
                    && db.backend == Backend::Postgres
                {
                    explain(db, actor, stage, after).await;
                }
                let (p50, p95, max) = spread(times);
                println!(
                    "{engine}: queue {stage:?} as {who} ({total} waiting), {label} page {page}: \
                     p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms{}",
                    if p95 < 100.0 { "" } else { "  <-- over 100 ms" }
                );
            }
        }
    }
}

/// An approved 2009 enrolment for every bench person, then the statistics.
async fn statistics(engine: &str, db: &Db, l: &League) {
    let sql = format!(
        "INSERT INTO enrolments (person_id, policy_year, category, tier, registrar, registrar_org,
             total_fen, personal_fen, subsidy_central_fen, subsidy_region_fen, subsidy_league_fen,
             subsidy_county_fen, policy_version, evidence_required, explanation_json, status,
             entered_by, entered_at, submitted_by, submitted_at, approved_by, approved_at)
         SELECT p.id, 2009, 'elderly', CASE WHEN p.id % 7 = 0 THEN 'adult_assisted' ELSE 'adult_standard' END,
             'community_office', CASE WHEN p.county_code = '152201' THEN 'OA' ELSE 'OB' END,
             33000, 13000, 8000, 6000, 3000, 3000, 1, '[]', '[]', 'approved', {o}, 0, {o}, 0, {r}, 0
         FROM persons p WHERE p.id > 100000",
        o = l.office.user_id,
        r = l.reviewer.user_id,
    );
    sqlx::query(&sql).execute(&db.pool).await.unwrap();
    settle(db).await;
    for (who, actor) in [("county reviewer", &l.reviewer), ("league", &l.agency)] {
        let mut times = Vec::with_capacity(RUNS);
        let mut claims = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let s = db::statistics::year(db, actor, 2009).await.unwrap();
            times.push(t.elapsed());
            claims = s.total.claims;
            assert!(s.total.enrolled > 0);
        }
        let (p50, p95, max) = spread(times);
        println!(
            "{engine}: statistics of 2009 as {who} ({claims} claims): \
             p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms"
        );
    }
}

fn status_and_county(actor: &db::Actor, stage: Stage) -> (&'static str, String) {
    let status = match stage {
        Stage::First => "filed",
        Stage::Second => "second_review",
    };
    let county = actor
        .county_code
        .as_ref()
        .map(|c| format!(" AND c.county_code = '{c}'"))
        .unwrap_or_default();
    (status, county)
}

/// The id after which page `page` starts (0 for the first).
async fn cursor(db: &Db, actor: &db::Actor, stage: Stage, page: i64) -> i64 {
    if page == 0 {
        return 0;
    }
    let (status, county) = status_and_county(actor, stage);
    let sql = format!(
        "SELECT c.id FROM claims c WHERE c.status = '{status}'{county} ORDER BY c.id LIMIT 1 OFFSET {}",
        page * claims::QUEUE_PAGE - 1
    );
    sqlx::query_scalar(&sql).fetch_one(&db.pool).await.unwrap()
}

/// The plan of the queue's page query, for when a figure needs explaining.
async fn explain(db: &Db, actor: &db::Actor, stage: Stage, after: i64) {
    let (status, county) = status_and_county(actor, stage);
    let sql = format!(
        "EXPLAIN ANALYZE SELECT c.number, p.name AS person_name, c.kind, c.care_to, c.billed_fen, c.filed_at, c.status,
             c.first_reviewer FROM claims c JOIN persons p ON p.id = c.person_id
         WHERE c.status = '{status}'{county} AND c.id > {after} ORDER BY c.id LIMIT 50"
    );
    let plan: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&db.pool).await.unwrap();
    println!("{}", plan.join("\n"));
}

async fn bench(engine: &str, db: Db) {
    db.migrate().await.unwrap();
    let l = league(&db).await;
    uploads(engine, &db, &l, env_or("PORTAL_BENCH_UPLOADS", 20)).await;
    queue(engine, &db, &l, env_or("PORTAL_BENCH_CLAIMS", 100_000)).await;
    statistics(engine, &db, &l).await;
}

#[tokio::main]
async fn main() {
    engines::on_both("claims", false, bench).await;
}
