//! Drafting a yearly report over a million persons (#17), on SQLite and
//! (PORTAL_BENCH_POSTGRES_URL) PostgreSQL. Target: under 2 s.
//!
//! `cargo bench -p db --bench reports` makes N persons (PORTAL_BENCH_PERSONS,
//! default 1 000 000) in N/3 households of ten counties, by SQL in bulk, each
//! with an approved enrolment of 2009 (every category and tier), its payment
//! notice, and for nine in ten a premium (cash and online, some paid in
//! December 2008, one in a hundred a back-payment in June); one in ten
//! interrupted on 1 May; and a year of claims (PORTAL_BENCH_CLAIMS, default
//! 150 000) filed, in review, refused, approved and paid. Then it times the
//! portal's own reads of 2009:
//!
//! 1. `reports::figures_by_county` for every county at once (what the
//!    league would read live);
//! 2. `reports::figures` of one county;
//! 3. `reports::draft` of the yearly report by a county agency (its figures
//!    and those of 2008 to compare with), and by the league after every
//!    county's yearly report is signed three times and submitted.
//!
//! Every figure read is checked against the same data counted here in Rust.
//! PORTAL_BENCH_ROUNDS (default 5) sets how many times each call is timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark reports on stdout and stops on failure

#[path = "common/engines.rs"]
mod engines;
#[path = "common/timing.rs"]
mod timing;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use db::audit::By;
use db::scope::{Actor, Role};
use db::{Backend, Db};
use policy::reports::{Frequency, Period, SignOff};
use rust_decimal::Decimal;

const COUNTIES: i64 = 10;
const DAY_MS: i64 = 86_400_000;
const CATEGORIES: [&str; 5] = [
    "student",
    "child",
    "migrant_child",
    "elderly",
    "disabled_adult",
];
const KINDS: [&str; 5] = [
    "transfer",
    "nondesignated_emergency",
    "outpatient_emergency",
    "special_outpatient",
    "student_accident",
];
/// Each tier's terms: the person's share, then central, region, league and
/// county subsidies, in fen.
const TIERS: [(&str, [i64; 5]); 4] = [
    ("adult_standard", [13000, 4000, 2500, 1500, 1500]),
    ("adult_assisted", [3000, 4000, 7500, 4000, 4000]),
    ("minor_standard", [6000, 4000, 4000, 2000, 2000]),
    ("minor_assisted", [1000, 4000, 7000, 3000, 3000]),
];
const LEVELS: [&str; 4] = ["central", "region", "league", "county"];

fn env_or(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn county_code(k: i64) -> String {
    format!("1522{:02}", k + 1)
}

// What each row is, as the SQL below makes it: the same rules in Rust.

/// Person `i`'s household and county (0..COUNTIES).
fn household(i: i64) -> i64 {
    (i - 1) / 3 + 1
}
/// Scattered, so that no county gets only some categories, states or kinds.
fn county_of(i: i64) -> i64 {
    household(i) * 7919 % 10007 % COUNTIES
}
fn tier_of(i: i64) -> usize {
    (if i % 5 < 3 { 2 } else { 0 }) + usize::from(i % 7 == 0)
}
fn pays(i: i64) -> bool {
    i % 10 != 0 || i % 100 == 0
}
fn back_payment(i: i64) -> bool {
    i % 100 == 0
}
/// Paid in December 2008, before the year's period.
fn paid_early(i: i64) -> bool {
    i % 10 == 1
}
fn online(i: i64) -> bool {
    i % 4 == 0 && i % 10 != 0 && i % 10 != 1
}
fn interrupted(i: i64) -> bool {
    i % 10 == 0
}
fn approved_in_2009(i: i64) -> bool {
    i % 4 != 0
}
/// Claim `j`'s person.
fn claimant(j: i64, n: i64) -> i64 {
    1 + (j * 7919) % n
}
/// 0 filed, 1 second review, 2 refused, 3 approved, 4 paid.
fn claim_state(j: i64) -> usize {
    match j % 10 {
        0 | 1 => 0,
        2 => 1,
        3 => 2,
        4 | 5 => 3,
        _ => 4,
    }
}
const STATES: [&str; 5] = ["filed", "second_review", "refused", "approved", "paid"];
fn payout(j: i64) -> i64 {
    30000 + (j % 1000) * 60
}

/// Every county's figures of 2009, counted from the rules above.
fn expected(n: i64, claims: i64) -> BTreeMap<String, BTreeMap<String, i64>> {
    let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for k in 0..COUNTIES {
        out.entry(county_code(k)).or_default();
    }
    let mut add = |k: i64, key: &str, v: i64| {
        *out.entry(county_code(k))
            .or_default()
            .entry(key.to_string())
            .or_default() += v;
    };
    for i in 1..=n {
        let k = county_of(i);
        let (tier, terms) = TIERS[tier_of(i)];
        add(k, "enrolled", 1);
        add(k, &format!("enrolled.{}", CATEGORIES[(i % 5) as usize]), 1);
        add(k, &format!("enrolled.{tier}"), 1);
        add(k, "enrolments_approved", i64::from(approved_in_2009(i)));
        add(k, "unpaid", i64::from(!pays(i)));
        add(k, "interrupted", i64::from(interrupted(i)));
        if pays(i) && !paid_early(i) {
            let fen = terms[0];
            let subsidy: i64 = terms[1..].iter().sum();
            add(k, "premiums", 1);
            add(k, "premiums_fen", fen);
            if online(i) {
                add(k, "premiums_online_fen", fen);
            } else {
                add(k, "premiums_cash_fen", fen);
            }
            if back_payment(i) {
                add(k, "back_payments", 1);
                add(k, "back_payments_fen", fen);
            }
            add(k, &format!("subsidy_persons.{tier}"), 1);
            for (level, fen) in LEVELS.iter().zip(&terms[1..]) {
                add(k, &format!("subsidy_{level}_fen"), *fen);
            }
            add(k, "subsidy_fen", subsidy);
            for key in [
                "fund_income_fen",
                "fund_income_ytd_fen",
                "fund_balance_ytd_fen",
            ] {
                add(k, key, fen + subsidy);
            }
        }
    }
    for j in 1..=claims {
        let k = county_of(claimant(j, n));
        add(k, "claims_filed", 1);
        add(k, &format!("claims_filed.{}", KINDS[(j % 5) as usize]), 1);
        match claim_state(j) {
            2 => add(k, "claims_refused", 1),
            3 | 4 => {
                add(k, "claims_approved", 1);
                add(k, "payout_fen", payout(j));
            }
            _ => {}
        }
        if claim_state(j) == 4 {
            for key in ["paid_out_fen", "fund_spending_fen", "fund_spending_ytd_fen"] {
                add(k, key, payout(j));
            }
            add(k, "fund_balance_ytd_fen", -payout(j));
        }
    }
    out
}

/// `figures` hold exactly the `expected` values (keys not there are 0).
fn check(what: &str, figures: &[(String, i64)], expected: &BTreeMap<String, i64>) {
    assert_eq!(figures.len(), policy::reports::figures::keys().len());
    for (key, value) in figures {
        let want = expected.get(key).copied().unwrap_or_default();
        assert_eq!(*value, want, "{what}: {key}");
    }
}

fn figure(figures: &[(String, i64)], key: &str) -> i64 {
    figures
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
        .unwrap()
}

// The SQL of the two engines.

fn series(db: &Db, n: i64) -> String {
    match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"
        ),
        Backend::Postgres => format!("SELECT i FROM generate_series(1::bigint, {n}) AS s(i)"),
    }
}

fn pad(db: &Db, col: &str, w: usize) -> String {
    match db.backend {
        Backend::Sqlite => format!("printf('%0{w}d', {col})"),
        Backend::Postgres => format!("lpad(({col})::text, {w}, '0')"),
    }
}

/// The day `days` after 1 January 2009, as the ledgers' TEXT dates.
fn day_of_2009(db: &Db, days: &str) -> String {
    match db.backend {
        Backend::Sqlite => format!("date('2009-01-01', '+' || ({days}) || ' days')"),
        Backend::Postgres => {
            format!("to_char(DATE '2009-01-01' + CAST({days} AS INTEGER), 'YYYY-MM-DD')")
        }
    }
}

/// A CASE over person `i`'s tier giving each tier's `terms[col]`.
fn by_tier(col: usize) -> String {
    let t = |k: usize| TIERS[k].1[col];
    format!(
        "CASE WHEN i % 5 < 3 THEN (CASE WHEN i % 7 = 0 THEN {} ELSE {} END)
              ELSE (CASE WHEN i % 7 = 0 THEN {} ELSE {} END) END",
        t(3),
        t(2),
        t(1),
        t(0)
    )
}

/// The league, ten county agencies with an office each, and who signs.
struct People {
    league: [Actor; 3],
    counties: Vec<[Actor; 3]>,
}

fn actor(id: i64, role: Role, org: &str, county: Option<String>) -> Actor {
    Actor {
        user_id: id,
        username: format!("u{id}"),
        display_name: format!("u{id}"),
        role,
        org_code: Some(org.into()),
        county_code: county,
        household_id: None,
    }
}

async fn orgs_and_users(db: &Db) -> People {
    let mut units = vec![("L".to_string(), "league_agency", None)];
    for k in 0..COUNTIES {
        units.push((format!("C{k:02}"), "county_agency", Some(county_code(k))));
        units.push((format!("O{k:02}"), "office", Some(county_code(k))));
    }
    for (code, kind, county) in units {
        let org = db::orgs::OrgUnit {
            code: code.clone(),
            kind: kind.into(),
            name_zh: format!("机构{code}"),
            name_en: format!("Org {code}"),
            county_code: county,
        };
        db::orgs::create(db, By::System("bench"), &org)
            .await
            .unwrap();
    }
    // The office agent who entered everything, then three signers per agency.
    let mut users = vec![(1, "office_agent", "O00".to_string())];
    let signers = |first: i64, org: String| {
        [
            (first, "agency_reviewer", org.clone()),
            (first + 1, "agency_reviewer", org.clone()),
            (first + 2, "agency_admin", org),
        ]
    };
    users.extend(signers(2, "L".into()));
    for k in 0..COUNTIES {
        users.extend(signers(10 + 3 * k, format!("C{k:02}")));
    }
    for (id, role, org) in &users {
        sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash, role, org_code, created_at)
             VALUES ($1, $2, $2, 'x', $3, $4, 0)",
        )
        .bind(id)
        .bind(format!("u{id}"))
        .bind(*role)
        .bind(org)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    let three = |first: i64, org: &str, county: Option<String>| {
        [
            actor(first, Role::AgencyReviewer, org, county.clone()),
            actor(first + 1, Role::AgencyReviewer, org, county.clone()),
            actor(first + 2, Role::AgencyAdmin, org, county),
        ]
    };
    People {
        league: three(2, "L", None),
        counties: (0..COUNTIES)
            .map(|k| three(10 + 3 * k, &format!("C{k:02}"), Some(county_code(k))))
            .collect(),
    }
}

async fn fill(db: &Db, n: i64, claims: i64) {
    let s = series(db, n);
    let h = "((i - 1) / 3 + 1)";
    let county_of_h = |h: &str| {
        format!(
            "'1522' || {}",
            pad(db, &format!("{h} * 7919 % 10007 % {COUNTIES} + 1"), 2)
        )
    };
    let office_of_h = |h: &str| {
        format!(
            "'O' || {}",
            pad(db, &format!("{h} * 7919 % 10007 % {COUNTIES}"), 2)
        )
    };
    let m2009 = db::local_midnight_ms(day("2009-01-01"));
    let ten_am = 10 * 3_600_000;
    let category = format!(
        "CASE i % 5 {} END",
        CATEGORIES
            .iter()
            .enumerate()
            .map(|(k, c)| format!("WHEN {k} THEN '{c}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let tier = format!(
        "CASE WHEN i % 5 < 3 THEN (CASE WHEN i % 7 = 0 THEN '{}' ELSE '{}' END)
              ELSE (CASE WHEN i % 7 = 0 THEN '{}' ELSE '{}' END) END",
        TIERS[3].0, TIERS[2].0, TIERS[1].0, TIERS[0].0
    );
    let total = format!(
        "{} + {} + {} + {} + {}",
        by_tier(0),
        by_tier(1),
        by_tier(2),
        by_tier(3),
        by_tier(4)
    );
    let approved_at = format!(
        "CASE WHEN i % 4 = 0 THEN {} ELSE {m2009} + (i % 90) * {DAY_MS} + {ten_am} END",
        db::local_midnight_ms(day("2008-11-20")) + ten_am
    );
    let pays = "(i % 10 <> 0 OR i % 100 = 0)";
    let online = "(i % 4 = 0 AND i % 10 NOT IN (0, 1))";
    let paid_on = format!(
        "CASE WHEN i % 100 = 0 THEN '2009-06-15' WHEN i % 10 = 1 THEN '2008-12-15' ELSE {} END",
        day_of_2009(db, "i % 119")
    );
    let paid_at = format!(
        "CASE WHEN i % 100 = 0 THEN {} WHEN i % 10 = 1 THEN {} ELSE {m2009} + (i % 119) * {DAY_MS} + {ten_am} END",
        db::local_midnight_ms(day("2009-06-15")) + ten_am,
        db::local_midnight_ms(day("2008-12-15")) + ten_am,
    );
    let kind = format!(
        "CASE i % 5 {} END",
        KINDS
            .iter()
            .enumerate()
            .map(|(k, c)| format!("WHEN {k} THEN '{c}'"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // Claim i: its state by i % 10 (claim_state), filed on day i % 330.
    let state = |pick: [&str; 5]| {
        format!(
            "CASE WHEN i % 10 < 2 THEN {} WHEN i % 10 = 2 THEN {} WHEN i % 10 = 3 THEN {} WHEN i % 10 < 6 THEN {} ELSE {} END",
            pick[0], pick[1], pick[2], pick[3], pick[4]
        )
    };
    let claimant = format!("(1 + (i * 7919) % {n})");
    let claim_h = format!("(({claimant} - 1) / 3 + 1)");
    let decided_on = day_of_2009(db, "i % 330 + 14");
    let lit = |v: &str| format!("'{v}'");
    let steps = [
        format!(
            "INSERT INTO households (id, number, office_code, county_code, address, created_at, created_by)
             SELECT i, 'H' || {}, {}, {}, '乌兰浩特市和平街', 0, 0 FROM ({}) t",
            pad(db, "i", 7),
            office_of_h("i"),
            county_of_h("i"),
            series(db, household(n))
        ),
        format!(
            "INSERT INTO persons (id, id_number, name, household_id, county_code, facts_json, created_at, created_by)
             SELECT i, '152201' || {}, '居民', {h}, {}, '{{}}', 0, 0 FROM ({s}) t",
            pad(db, "i", 12),
            county_of_h(h),
        ),
        format!(
            "INSERT INTO enrolments (id, person_id, policy_year, category, tier, registrar, registrar_org, total_fen,
                 personal_fen, subsidy_central_fen, subsidy_region_fen, subsidy_league_fen, subsidy_county_fen,
                 policy_version, evidence_required, explanation_json, status, entered_by, entered_at,
                 submitted_by, submitted_at, approved_by, approved_at)
             SELECT i, i, 2009, {category}, {tier}, 'community_office', {}, {total}, {}, {}, {}, {}, {},
                 1, '[]', '{{}}', 'approved', 1, 0, 1, 0, 1, {approved_at} FROM ({s}) t",
            office_of_h(h),
            by_tier(0),
            by_tier(1),
            by_tier(2),
            by_tier(3),
            by_tier(4),
        ),
        format!(
            "INSERT INTO payment_notices (id, number, enrolment_id, person_id, policy_year, amount_fen, due_date,
                 verify_code, status, issued_at)
             SELECT i, '2009-TZ-' || {}, i, i, 2009, {}, '2009-04-30', 'c',
                 CASE WHEN {pays} THEN 'paid' ELSE 'open' END, 0 FROM ({s}) t",
            pad(db, "i", 8),
            by_tier(0),
        ),
        format!(
            "INSERT INTO payment_orders (id, order_number, notice_id, provider, amount_fen, status, created_by,
                 created_at, provider_txn, notified_at)
             SELECT i, 'P' || {}, i, 'simulator', {}, 'paid', 1, 0, 'T' || {}, 0 FROM ({s}) t WHERE {online}",
            pad(db, "i", 8),
            by_tier(0),
            pad(db, "i", 8),
        ),
        format!(
            "INSERT INTO payments (notice_id, person_id, policy_year, kind, amount_fen, paid_at, paid_on, channel,
                 receipt_number, back_payment, collected_by, collected_org, order_id)
             SELECT i, i, 2009, 'premium', {}, {paid_at}, {paid_on},
                 CASE WHEN {online} THEN 'online' ELSE 'office_cash' END, 'R' || {},
                 CASE WHEN i % 100 = 0 THEN 1 ELSE 0 END,
                 CASE WHEN {online} THEN NULL ELSE 1 END,
                 CASE WHEN {online} THEN NULL ELSE {} END,
                 CASE WHEN {online} THEN i ELSE NULL END
             FROM ({s}) t WHERE {pays}",
            by_tier(0),
            pad(db, "i", 8),
            office_of_h(h),
        ),
        "INSERT INTO sweeps (id, policy_year, sweep_date, first_run_at) VALUES (1, 2009, '2009-05-01', 0)"
            .to_string(),
        format!(
            "INSERT INTO interruptions (person_id, policy_year, interrupted_from, sweep_id)
             SELECT i, 2009, '2009-05-01', 1 FROM ({s}) t WHERE i % 10 = 0"
        ),
        format!(
            "INSERT INTO claims (number, person_id, household_id, county_code, kind, care_from, care_to, hospital,
                 hospital_grade, billed_fen, agent_name, agent_id_number, agent_relation, bank_account,
                 account_name, request_key, filed_by, filed_at, status, first_reviewer, first_reviewed_at,
                 in_catalogue_fen, second_reviewer, second_reviewed_at, decided_on, payout_fen, reason, paid_at)
             SELECT '2009-BX-' || {}, {claimant}, {claim_h}, {}, {kind}, {}, {}, '兴安盟人民医院', 3,
                 50000 + (i % 1000) * 100, '代办', '152201198001010010', 'child', '6222020200112233445', '户名',
                 'bk-' || {}, 1, {m2009} + (i % 330) * {DAY_MS} + {ten_am}, {},
                 {}, {}, {}, {}, {}, {}, {}, {}, {}
             FROM ({}) t",
            pad(db, "i", 7),
            county_of_h(&claim_h),
            day_of_2009(db, "i % 330"),
            day_of_2009(db, "i % 330"),
            pad(db, "i", 7),
            state([&lit(STATES[0]), &lit(STATES[1]), &lit(STATES[2]), &lit(STATES[3]), &lit(STATES[4])]),
            // first reviewer, when, in catalogue
            state(["NULL", "10", "10", "10", "10"]),
            state(["NULL", &format!("{m2009}"), &format!("{m2009}"), &format!("{m2009}"), &format!("{m2009}")]),
            state(["NULL", "40000", "40000", "40000", "40000"]),
            // second reviewer, when, decided on, payout, reason
            state(["NULL", "NULL", "11", "11", "11"]),
            state(["NULL", "NULL", &format!("{m2009}"), &format!("{m2009}"), &format!("{m2009}")]),
            state(["NULL", "NULL", &decided_on, &decided_on, &decided_on]),
            state(["NULL", "NULL", "0", "30000 + (i % 1000) * 60", "30000 + (i % 1000) * 60"]),
            state(["NULL", "NULL", "'not_covered'", "NULL", "NULL"]),
            state([
                "NULL",
                "NULL",
                "NULL",
                "NULL",
                &format!("{m2009} + (i % 330 + 28) * {DAY_MS} + {ten_am}")
            ]),
            series(db, claims),
        ),
    ];
    for sql in steps {
        sqlx::query(&sql).execute(&db.pool).await.unwrap();
    }
    // Both planners pick the indexes from their statistics; PostgreSQL's
    // autovacuum would also set the visibility map soon after such inserts.
    let settle = match db.backend {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM ANALYZE",
    };
    sqlx::query(settle).execute(&db.pool).await.unwrap();
}

/// Runs `call` `rounds` times after one first call; prints the first and
/// p50/p95/max of the rest. Returns the last result.
async fn timed<T, F, Fut>(label: &str, what: &str, rounds: usize, mut call: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let t = Instant::now();
    let mut last = call().await;
    let first = t.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        last = call().await;
        times.push(t.elapsed());
    }
    let (p50, p95, max) = timing::spread(times);
    println!(
        "{label}: {what:<58} first {:7.0} ms  p50 {p50:7.0} ms  p95 {p95:7.0} ms  max {max:7.0} ms  ({rounds} rounds)",
        timing::ms(first)
    );
    last
}

/// Signs report `id` three times, explaining every flagged change first.
async fn submit(db: &Db, id: i64, signers: &[Actor; 3]) -> db::reports::Report {
    let r = db::reports::get(db, &signers[0], id).await.unwrap();
    for c in r.changes.iter().filter(|c| c.flagged) {
        db::reports::explain(db, &signers[0], id, &c.key, "年度报表：上年无数据")
            .await
            .unwrap();
    }
    let mut last = r;
    for (who, role) in
        signers
            .iter()
            .zip([SignOff::Preparer, SignOff::SectionHead, SignOff::AgencyHead])
    {
        last = db::reports::sign(db, who, id, role).await.unwrap();
    }
    assert!(last.submitted);
    last
}

async fn bench(label: &str, db: Db, n: i64, claims: i64, rounds: usize) {
    let t = Instant::now();
    let people = orgs_and_users(&db).await;
    fill(&db, n, claims).await;
    println!(
        "{label}: {n} persons, their enrolments, notices and premiums, {claims} claims made in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    // PORTAL_BENCH_KEEP=file: a copy of the SQLite database, to EXPLAIN at leisure.
    if let (Backend::Sqlite, Ok(keep)) = (db.backend, std::env::var("PORTAL_BENCH_KEEP")) {
        sqlx::query(&format!("VACUUM INTO '{keep}'"))
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let want = expected(n, claims);
    let (from, to) = (day("2009-01-01"), day("2009-12-31"));
    let year = Period::new(Frequency::Yearly, 2009, 1).unwrap();
    let threshold = Decimal::from(20);

    // (1) Every county at once.
    let all = timed(label, "figures_by_county(all), 2009", rounds, || {
        db::reports::figures_by_county(&db, None, from, to)
    })
    .await
    .unwrap();
    assert_eq!(all.len() as i64, COUNTIES);
    for (c, figures) in &all {
        check(c, figures, &want[c]);
    }
    let sum = |key: &str| all.values().map(|f| figure(f, key)).sum::<i64>();
    let paid = (1..=n).filter(|i| pays(*i)).count() as i64;
    let in_year = (1..=n).filter(|i| pays(*i) && !paid_early(*i)).count() as i64;
    assert_eq!(sum("enrolled"), n);
    assert_eq!(sum("unpaid"), n - paid);
    assert_eq!(sum("premiums"), in_year);
    assert_eq!(sum("interrupted"), n / 10);
    assert_eq!(sum("claims_filed"), claims);
    println!(
        "{label}: read {} enrolled, {} premiums of 2009 ({} paid in Dec 2008), {} unpaid, {} interrupted, {} claims filed, {} paid: as made",
        sum("enrolled"),
        sum("premiums"),
        paid - in_year,
        sum("unpaid"),
        sum("interrupted"),
        sum("claims_filed"),
        (1..=claims).filter(|j| claim_state(*j) == 4).count()
    );

    // (2) One county.
    let one = county_code(0);
    let figures = timed(label, &format!("figures({one}), 2009"), rounds, || {
        db::reports::figures(&db, &one, from, to)
    })
    .await
    .unwrap();
    check(&one, &figures, &want[&one]);

    // (3) The county's yearly report drafted (and drafted again) by its agency.
    let county = &people.counties[0];
    let report = timed(
        label,
        &format!("draft yearly report 2009 as county {one}"),
        rounds,
        || db::reports::draft(&db, &county[0], year, threshold),
    )
    .await
    .unwrap();
    check("county draft", &report.figures, &want[&one]);

    // Every county signs and submits its report; then the league drafts its own.
    let t = Instant::now();
    for (k, signers) in people.counties.iter().enumerate() {
        let r = db::reports::draft(&db, &signers[0], year, threshold)
            .await
            .unwrap();
        let r = submit(&db, r.id, signers).await;
        check(
            &format!("county {k} submitted"),
            &r.figures,
            &want[&county_code(k as i64)],
        );
    }
    println!(
        "{label}: the {COUNTIES} counties drafted, explained, signed three times and submitted in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let league = timed(
        label,
        "draft yearly report 2009 as the league",
        rounds,
        || db::reports::draft(&db, &people.league[0], year, threshold),
    )
    .await
    .unwrap();
    assert_eq!(league.sources.len() as i64, COUNTIES);
    let mut total: BTreeMap<String, i64> = BTreeMap::new();
    for figures in want.values() {
        for (k, v) in figures {
            *total.entry(k.clone()).or_default() += v;
        }
    }
    check("league draft", &league.figures, &total);
    let submitted = submit(&db, league.id, &people.league).await;
    assert_eq!(figure(&submitted.figures, "enrolled"), n);
    println!(
        "{label}: the league's report of 2009 submitted: {} enrolled, {} fen of premiums, {} fen paid out, from {} county reports",
        figure(&submitted.figures, "enrolled"),
        figure(&submitted.figures, "premiums_fen"),
        figure(&submitted.figures, "paid_out_fen"),
        submitted.sources.len()
    );
}

#[tokio::main]
async fn main() {
    let n = env_or("PORTAL_BENCH_PERSONS", 1_000_000);
    let claims = env_or("PORTAL_BENCH_CLAIMS", 150_000);
    let rounds = env_or("PORTAL_BENCH_ROUNDS", 5).max(1) as usize;
    engines::on_both("reports", true, |label, db| {
        bench(label, db, n, claims, rounds)
    })
    .await;
}
