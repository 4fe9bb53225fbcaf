//! Finding anyone in seconds (#16): the search box and the enquiry page's
//! reads over a million persons, on SQLite and (PORTAL_BENCH_POSTGRES_URL)
//! PostgreSQL. Target: p95 under 100 ms.
//!
//! `cargo bench -p db --bench people` makes N persons (PORTAL_BENCH_PERSONS,
//! default 1 000 000) in N/3 households of 40 offices in two counties, by SQL
//! in bulk, then times the portal's own `people::search` as an office agent,
//! a county agency and the league, for each kind of query a clerk types,
//! and the enquiry page's reads of one person.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark reports on stdout and stops on failure

#[path = "common/engines.rs"]
mod engines;
#[path = "common/timing.rs"]
mod timing;

use std::time::Instant;

use db::audit::By;
use db::scope::{Actor, Role};
use db::{Backend, Db};

const OFFICES: i64 = 40;
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN: &str = "秀兰德胜桂芳建国玉梅志强淑珍海军丽华明亮春生金花文博思雨安宁";

fn series(db: &Db, n: i64) -> String {
    match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"
        ),
        Backend::Postgres => format!("SELECT i FROM generate_series(1, {n}) AS s(i)"),
    }
}

fn pad(db: &Db, col: &str, w: usize) -> String {
    match db.backend {
        Backend::Sqlite => format!("printf('%0{w}d', {col})"),
        Backend::Postgres => format!("lpad(({col})::text, {w}, '0')"),
    }
}

/// The person `i`'s identity number: a county, a birth date, a sequence (not
/// a valid check digit: search does not check it).
fn id_number(i: i64) -> String {
    format!("1522011960{:08}", i)
}

async fn fill(db: &Db, n: i64) {
    for o in 0..OFFICES {
        let county = if o % 2 == 0 { "152201" } else { "152221" };
        let org = db::orgs::OrgUnit {
            code: format!("O{o:02}"),
            kind: "office".into(),
            name_zh: format!("所{o}"),
            name_en: format!("Office {o}"),
            county_code: Some(county.into()),
        };
        db::orgs::create(db, By::System("bench"), &org)
            .await
            .unwrap();
    }
    let households = n / 3 + 1;
    let hs = series(db, households);
    let ps = series(db, n);
    let office = |col: &str| format!("'O' || {}", pad(db, &format!("{col} % {OFFICES}"), 2));
    let county =
        |col: &str| format!("CASE WHEN {col} % {OFFICES} % 2 = 0 THEN '152201' ELSE '152221' END");
    let steps = [
        format!(
            "INSERT INTO households (id, number, office_code, county_code, address, created_at, created_by)
             SELECT i, {} || '-' || {}, {}, {}, '乌兰浩特市和平街' || CAST(i AS TEXT) || '号', 0, 0 FROM ({hs}) t",
            office("i"),
            pad(db, "i", 7),
            office("i"),
            county("i"),
        ),
        format!(
            "INSERT INTO persons (id, id_number, name, household_id, county_code, facts_json, created_at, created_by)
             SELECT i, '1522011960' || {}, substr('{SURNAMES}', CAST(i % 20 AS INTEGER) + 1, 1)
                 || substr('{GIVEN}', CAST(i / 20 % 30 AS INTEGER) + 1, 1)
                 || substr('{GIVEN}', CAST(i / 600 % 30 AS INTEGER) + 1, 1),
                 i / 3 + 1, {}, '{{}}', 0, 0 FROM ({ps}) t",
            pad(db, "i", 8),
            county("(i / 3 + 1)"),
        ),
    ];
    for sql in steps {
        sqlx::query(&sql).execute(&db.pool).await.unwrap();
    }
    // Both planners pick the indexes from their statistics.
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
}

fn actor(role: Role, org: Option<&str>, county: Option<&str>) -> Actor {
    Actor {
        user_id: 1,
        username: "bench".into(),
        display_name: "bench".into(),
        role,
        org_code: org.map(Into::into),
        county_code: county.map(Into::into),
        household_id: None,
    }
}

async fn bench(label: &str, db: Db, n: i64) {
    let t = Instant::now();
    fill(&db, n).await;
    println!(
        "{label}: {n} persons made in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let office = actor(Role::OfficeAgent, Some("O01"), Some("152221"));
    let county = actor(Role::AgencyReviewer, Some("C"), Some("152221"));
    let league = actor(Role::AgencyAdmin, Some("L"), None);
    let rounds = 200;
    // Persons of office O01: households i with i % 40 == 1, persons 3(i-1)..
    let in_office = move |k: i64| {
        let h = 1 + 40 * (k % (n / 120).max(1));
        3 * (h - 1) + 1
    };
    type Make = Box<dyn Fn(i64) -> String>;
    let queries: Vec<(&str, Make)> = vec![
        (
            "whole ID number",
            Box::new(move |k| id_number(in_office(k))),
        ),
        (
            "ID with spaces and full-width digits",
            Box::new(move |k| {
                let id = id_number(in_office(k));
                let wide: String = id
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                    .collect();
                format!("{} {}", &wide[..18], &wide[18..])
            }),
        ),
        (
            "last 6 characters",
            Box::new(move |k| id_number(in_office(k))[12..].to_string()),
        ),
        (
            "household number",
            Box::new(move |k| {
                let h = in_office(k) / 3 + 1;
                format!("O{:02}-{:07}", h % OFFICES, h)
            }),
        ),
        (
            "name (two characters)",
            Box::new(|k| {
                let s: Vec<char> = SURNAMES.chars().collect();
                let g: Vec<char> = GIVEN.chars().collect();
                format!("{}{}", s[(k % 20) as usize], g[(k / 20 % 30) as usize])
            }),
        ),
    ];
    for (who, a) in [
        ("office", &office),
        ("county", &county),
        ("league", &league),
    ] {
        for (what, make) in &queries {
            let mut times = Vec::with_capacity(rounds);
            let mut found = 0usize;
            for k in 0..rounds as i64 {
                let q = make(k * 7919);
                let t = Instant::now();
                let r = db::people::search(&db, a, &q).await.unwrap();
                times.push(t.elapsed());
                found += r.len();
            }
            let (p50, p95, max) = timing::spread(times);
            println!(
                "{label}: search as {who:<6} by {what:<38} p50 {p50:6.2} ms  p95 {p95:6.2} ms  max {max:6.2} ms  ({found} found in {rounds})"
            );
        }
    }
    // The enquiry page's reads of one person (app/src/pages/people.rs).
    let rules = policy::params::Rules::builtin();
    let on = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
    let mut times = Vec::with_capacity(rounds);
    for k in 0..rounds as i64 {
        let id = in_office(k * 7919);
        let t = Instant::now();
        let p = db::households::get_person(&db, &league, id).await.unwrap();
        let _ = db::households::get(&db, &league, p.household_id.unwrap())
            .await
            .unwrap();
        let _ = db::payments::status(&db, &rules, &league, id, on)
            .await
            .unwrap();
        let _ = db::payments::for_person(&db, &league, id).await.unwrap();
        let _ = db::notices::for_person(&db, &league, id).await.unwrap();
        let _ = db::claims::suspensions(&db, id).await.unwrap();
        times.push(t.elapsed());
    }
    let (p50, p95, max) = timing::spread(times);
    println!("{label}: enquiry of one person (6 reads)            p50 {p50:6.2} ms  p95 {p95:6.2} ms  max {max:6.2} ms");
}

#[tokio::main]
async fn main() {
    let n: i64 = std::env::var("PORTAL_BENCH_PERSONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    engines::on_both("people", true, |label, db| bench(label, db, n)).await;
}
