//! The roster benchmark (not a timed test): a 5 000-pupil file checked, then
//! imported, then imported again, on SQLite and, when
//! PORTAL_TEST_POSTGRES_URL names a server, on PostgreSQL. Prints the figures.
//!
//! `cargo bench -p db --bench roster`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops on any failure

use std::time::Instant;

use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::orgs::OrgUnit;
use db::roster::{self, Mode};
use db::scope::Role;
use db::Db;

#[path = "../tests/common/pupils.rs"]
mod pupils;

const PUPILS: u32 = 5_000;
const YEAR: i32 = 2026;

async fn school_agent(db: &Db) -> db::Actor {
    {
        let (code, kind) = ("152201-S01", "school");
        let org = OrgUnit {
            code: code.into(),
            kind: kind.into(),
            name_zh: "第一中学".into(),
            name_en: "No. 1 Middle School".into(),
            county_code: Some("152201".into()),
        };
        db::orgs::create(db, By::System("bench"), &org)
            .await
            .unwrap();
    }
    let user = NewUser {
        username: "school1".into(),
        display_name: "school1".into(),
        password: "bench-pass-2026".into(),
        role: Role::SchoolAgent,
        org_code: Some("152201-S01".into()),
        household_id: None,
    };
    db::accounts::create_user(db, By::System("bench"), user)
        .await
        .unwrap();
    match db::accounts::login(db, "school1", "bench-pass-2026", "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("log-in failed: {other:?}"),
    }
}

async fn bench(engine: &str, db: Db) {
    db.migrate().await.unwrap();
    let agent = school_agent(&db).await;
    let rules = policy::params::Rules::try_builtin().unwrap();
    let file = pupils::roster_csv(0, PUPILS);
    let line = |what: &str, ms: u128, r: &roster::Report| {
        println!(
            "{engine:<10} {what:<22} {ms:>6} ms   rows {} imported {} already {} bad {}",
            r.rows_total,
            r.rows_imported,
            r.rows_already,
            r.bad.len()
        );
    };
    for (what, mode) in [
        ("dry run", Mode::DryRun),
        ("import", Mode::Import),
        ("same file again", Mode::Import),
    ] {
        let t = Instant::now();
        let r = roster::run(
            &db,
            &rules,
            &agent,
            YEAR,
            "bench.csv",
            file.as_bytes(),
            mode,
        )
        .await
        .unwrap();
        line(what, t.elapsed().as_millis(), &r);
    }
    let enrolments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enrolments")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(enrolments, i64::from(PUPILS));
}

#[path = "common/engines.rs"]
mod engines;

#[tokio::main]
async fn main() {
    println!(
        "roster of {PUPILS} pupils ({} bytes of CSV)",
        pupils::roster_csv(0, PUPILS).len()
    );
    engines::on_both("roster", false, bench).await;
}
