//! A small league for the claim stories: one office's household, two agency
//! reviewers of its county, two league administrators (the second person of
//! every two-person step), and elderly residents who pay their premiums.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chrono::NaiveDate;
use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::orgs::OrgUnit;
use db::scope::Role;
use db::Db;
use policy::params::Rules;
use serde_json::json;

use super::id;

/// Beijing time as stored milliseconds.
pub fn at(s: &str) -> i64 {
    let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    t.and_utc().timestamp_millis() - 8 * 3_600_000
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn rules() -> Rules {
    Rules::try_builtin().unwrap()
}

pub const PW: &str = "correct horse";

pub struct League {
    pub household: i64,
    pub office: db::Actor,
    pub reviewer: db::Actor,
    pub resident: db::Actor,
    pub agency: db::Actor,
    pub reviewer2: db::Actor,
    pub agency2: db::Actor,
}

pub async fn league(db: &Db) -> League {
    let sys = || By::System("test");
    for (code, kind, county) in [
        ("L", "league_agency", None),
        ("CA", "county_agency", Some("152201")),
        ("OA", "office", Some("152201")),
    ] {
        let o = OrgUnit {
            code: code.into(),
            kind: kind.into(),
            name_zh: format!("机构{code}"),
            name_en: format!("Org {code}"),
            county_code: county.map(Into::into),
        };
        db::orgs::create(db, sys(), &o).await.unwrap();
    }
    let household = db::households::create(db, sys(), "OA", "A-1", "A street")
        .await
        .unwrap();
    let users: [(&str, Role, Option<&str>, Option<i64>); 6] = [
        ("off_a", Role::OfficeAgent, Some("OA"), None),
        ("rev_a", Role::AgencyReviewer, Some("CA"), None),
        ("res_a", Role::Resident, None, Some(household)),
        ("adm_l", Role::AgencyAdmin, Some("L"), None),
        ("rev_b", Role::AgencyReviewer, Some("CA"), None),
        ("adm_m", Role::AgencyAdmin, Some("L"), None),
    ];
    for (u, role, org, hh) in users {
        db::accounts::create_user(
            db,
            sys(),
            NewUser {
                username: u.into(),
                display_name: u.into(),
                password: PW.into(),
                role,
                org_code: org.map(Into::into),
                household_id: hh,
            },
        )
        .await
        .unwrap();
    }
    League {
        household,
        office: actor(db, "off_a").await,
        reviewer: actor(db, "rev_a").await,
        resident: actor(db, "res_a").await,
        agency: actor(db, "adm_l").await,
        reviewer2: actor(db, "rev_b").await,
        agency2: actor(db, "adm_m").await,
    }
}

pub async fn actor(db: &Db, username: &str) -> db::Actor {
    match db::accounts::login(db, username, PW, "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{username} could not log in: {other:?}"),
    }
}

/// An elderly man of the league's household (born 1940 + n days).
pub async fn elderly(db: &Db, l: &League, n: u32) -> i64 {
    let born = day("1940-01-01") + chrono::Days::new(u64::from(n));
    let first17 = format!("152201{}{:03}", born.format("%Y%m%d"), 11 + 2 * (n % 400));
    let facts = json!({
        "in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
        "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null,
    });
    db::households::add_person(
        db,
        By::System("test"),
        &id(&first17),
        &format!("老{n}"),
        Some(l.household),
        None,
        &facts,
    )
    .await
    .unwrap()
}

/// Registered by the office, approved by the reviewer; returns the notice number.
pub async fn approved_notice(db: &Db, rules: &Rules, l: &League, person: i64, year: i32) -> String {
    let e = db::enrolment::register(db, rules, &l.office, person, year)
        .await
        .unwrap();
    db::enrolment::submit(db, &l.office, e).await.unwrap();
    db::enrolment::approve(db, &l.reviewer, e).await.unwrap();
    db::notices::for_enrolment(db, rules, &l.office, e)
        .await
        .unwrap()
        .number
}

/// Pays `year`'s premium in cash at the office on `paid` (`YYYY-MM-DD HH:MM`).
pub async fn pays(db: &Db, rules: &Rules, l: &League, person: i64, year: i32, paid: &str) {
    let notice = approved_notice(db, rules, l, person, year).await;
    db::payments::record_cash(
        db,
        rules,
        &l.office,
        &notice,
        &format!("premium-request-{person:06}-{year}"),
        at(paid),
    )
    .await
    .unwrap();
}
