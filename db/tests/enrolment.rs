//! Enrolment's story, the same body on SQLite and on PostgreSQL: registration
//! on the policy engine's terms, evidence before submission, refusals that
//! write nothing, one enrolment per person and year under concurrency,
//! maker-checker, reasons for rejection, county scope of review, the audit
//! trail of every step, and money stored as the quote's fen.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::id;

use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::enrolment::{self, Filter, Status};
use db::orgs::OrgUnit;
use db::scope::Role;
use db::{Db, Error};
use policy::eligibility::{Category, Evidence, PersonFacts, Quote, Registrar, Tier};
use policy::params::Rules;
use serde_json::{json, Value};

const PW: &str = "correct horse";
const YEAR: i32 = 2009;

fn org(code: &str, kind: &str, county: Option<&str>) -> OrgUnit {
    OrgUnit {
        code: code.into(),
        kind: kind.into(),
        name_zh: format!("机构{code}"),
        name_en: format!("Org {code}"),
        county_code: county.map(Into::into),
    }
}

/// The RULES-API `person` facts beyond identity number, birth date and sex
/// (which the service reads from the identity number).
fn facts(in_school: bool, dibao: bool) -> Value {
    json!({
        "in_school": in_school, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": dibao,
        "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null,
    })
}

struct League {
    h_b: i64,
    /// Male, born 1940: elderly, adult standard tier, community office.
    elderly: i64,
    /// Female, born 1950, 低保: elderly, adult assisted tier, needs the 低保 certificate.
    dibao: i64,
    /// Male, born 1970, not disabled, not a pupil: refused.
    working_age: i64,
    /// Male, born 1989 (19 in 2009), pupil of school SA.
    pupil19: i64,
    /// Female, born 2000, on school SA's roster but not in school: a child for the office.
    left_school: i64,
    /// Female, born 1945, in county 152222 (office OB).
    elderly_b: i64,
}

/// Two counties, an office and a school in each, a household in each office,
/// the persons above, and accounts of every role.
async fn league(db: &Db) -> League {
    let sys = || By::System("test");
    for o in [
        org("L", "league_agency", None),
        org("CA", "county_agency", Some("152201")),
        org("CB", "county_agency", Some("152222")),
        org("OA", "office", Some("152201")),
        org("OB", "office", Some("152222")),
        org("SA", "school", Some("152201")),
        org("SB", "school", Some("152222")),
    ] {
        db::orgs::create(db, sys(), &o).await.unwrap();
    }
    let h_a = db::households::create(db, sys(), "OA", "A-1", "A street")
        .await
        .unwrap();
    let h_b = db::households::create(db, sys(), "OB", "B-1", "B street")
        .await
        .unwrap();
    let person = |n: &'static str,
                  name: &'static str,
                  hh: i64,
                  school: Option<&'static str>,
                  f: Value| async move {
        db::households::add_person(db, By::System("test"), &id(n), name, Some(hh), school, &f)
            .await
            .unwrap()
    };
    let elderly = person("15220119400315011", "老甲", h_a, None, facts(false, false)).await;
    let dibao = person("15220119500501022", "低乙", h_a, None, facts(false, true)).await;
    let working_age = person("15220119700101031", "丙", h_a, None, facts(false, false)).await;
    let pupil19 = person(
        "15220119890601041",
        "学丁",
        h_a,
        Some("SA"),
        facts(true, false),
    )
    .await;
    let left_school = person(
        "15220120000101052",
        "戊",
        h_a,
        Some("SA"),
        facts(false, false),
    )
    .await;
    let elderly_b = person("15222219450707062", "老己", h_b, None, facts(false, false)).await;
    let users: [(&str, Role, &str); 10] = [
        ("off_a", Role::OfficeAgent, "OA"),
        ("off_a2", Role::OfficeAgent, "OA"),
        ("off_b", Role::OfficeAgent, "OB"),
        ("sch_a", Role::SchoolAgent, "SA"),
        ("sch_b", Role::SchoolAgent, "SB"),
        ("rev_a", Role::AgencyReviewer, "CA"),
        ("rev_b", Role::AgencyReviewer, "CB"),
        ("adm_a", Role::AgencyAdmin, "CA"),
        ("adm_l", Role::AgencyAdmin, "L"),
        ("rev_l", Role::AgencyReviewer, "L"),
    ];
    for (u, role, org) in users {
        db::accounts::create_user(
            db,
            sys(),
            NewUser {
                username: u.into(),
                display_name: u.into(),
                password: PW.into(),
                role,
                org_code: Some(org.into()),
                household_id: None,
            },
        )
        .await
        .unwrap();
    }
    League {
        h_b,
        elderly,
        dibao,
        working_age,
        pupil19,
        left_school,
        elderly_b,
    }
}

async fn actor(db: &Db, username: &str) -> db::Actor {
    match db::accounts::login(db, username, PW, "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{username} could not log in: {other:?}"),
    }
}

fn rules() -> Rules {
    Rules::try_builtin().unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn actions(db: &Db, id: i64) -> Vec<String> {
    db::audit::history(db, "enrolment", &id.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// The policy engine's own quote for a stored person, to compare with what was stored.
async fn engine_quote(db: &Db, rules: &Rules, person_id: i64) -> Quote {
    let row: (String, String) =
        sqlx::query_as("SELECT id_number, facts_json FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let checked = policy::idcard::check(&row.0).unwrap();
    let mut f: Value = serde_json::from_str(&row.1).unwrap();
    f["id_number"] = json!(row.0);
    f["birth_date"] = json!(checked.birth_date);
    f["sex"] = json!(checked.sex);
    let facts: PersonFacts = serde_json::from_value(f).unwrap();
    policy::eligibility::quote(rules, YEAR, &facts).unwrap()
}

/// The stored money of an enrolment, straight from its columns.
async fn stored_fen(db: &Db, id: i64) -> [i64; 6] {
    let r: (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT total_fen, personal_fen, subsidy_central_fen, subsidy_region_fen, subsidy_league_fen, subsidy_county_fen
         FROM enrolments WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    [r.0, r.1, r.2, r.3, r.4, r.5]
}

fn quote_fen(q: &Quote) -> [i64; 6] {
    match q {
        Quote::Eligible {
            total,
            personal,
            subsidy,
            ..
        } => [
            total.fen(),
            personal.fen(),
            subsidy.central.fen(),
            subsidy.region.fen(),
            subsidy.league.fen(),
            subsidy.county.fen(),
        ],
        Quote::Refused { .. } => panic!("refused: {q:?}"),
    }
}

/// An elderly resident: the office registers, submits, a reviewer of the
/// county approves; the terms are the quote's, in fen.
async fn elderly_standard(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let off_a = actor(&db, "off_a").await;
    let id = enrolment::register(&db, &rules, &off_a, l.elderly, YEAR)
        .await
        .unwrap();
    let e = enrolment::get(&db, &off_a, id).await.unwrap();
    assert_eq!(
        (e.category, e.tier, e.registrar, e.status),
        (
            Category::Elderly,
            Tier::AdultStandard,
            Registrar::CommunityOffice,
            Status::Draft
        )
    );
    assert_eq!(
        (
            e.registrar_org.as_str(),
            e.policy_year,
            e.person_id,
            e.entered_by
        ),
        ("OA", YEAR, l.elderly, off_a.user_id)
    );
    assert_eq!(
        e.policy_version,
        i64::from(rules.year(YEAR).unwrap().version)
    );
    assert!(e.evidence_required.is_empty());
    // Money: the quote's amounts in fen (RULES.md §2: 225 = 130 + 40 + 25 + 15 + 15).
    let quote = engine_quote(&db, &rules, l.elderly).await;
    assert_eq!(stored_fen(&db, id).await, quote_fen(&quote));
    assert_eq!(
        stored_fen(&db, id).await,
        [22500, 13000, 4000, 2500, 1500, 1500]
    );
    assert_eq!(
        (e.total_fen, e.personal_fen, e.subsidy.total()),
        (22500, 13000, 9500)
    );
    // The decision's explanation is stored: it cites the age rule and the tier.
    let steps = e.explanation.as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["article"] == "E3") && steps.iter().any(|s| s["article"] == "E5"),
        "{steps:?}"
    );
    assert_eq!(
        &e.explanation,
        &serde_json::to_value(quote.explanation()).unwrap()
    );
    // A standard tier needs no documents beyond the usual ones.
    enrolment::submit(&db, &off_a, id).await.unwrap();
    let rev_a = actor(&db, "rev_a").await;
    enrolment::approve(&db, &rev_a, id).await.unwrap();
    let e = enrolment::get(&db, &rev_a, id).await.unwrap();
    assert_eq!(
        (e.status, e.approved_by, e.submitted_by),
        (Status::Approved, Some(rev_a.user_id), Some(off_a.user_id))
    );
    assert!(
        e.approved_at.unwrap() >= e.submitted_at.unwrap()
            && e.submitted_at.unwrap() >= e.entered_at
    );
    // An approved record is not submitted or decided again.
    assert!(matches!(
        enrolment::submit(&db, &off_a, id).await,
        Err(ref e) if e.code() == "state_changed"
    ));
    assert!(matches!(
        enrolment::approve(&db, &rev_a, id).await,
        Err(ref e) if e.code() == "state_changed"
    ));
    assert_eq!(
        actions(&db, id).await,
        [
            "enrolment.register",
            "enrolment.submit",
            "enrolment.approve"
        ]
    );
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}
both!(elderly_standard_story, elderly_standard);

/// A 低保 recipient: assisted tier, which cannot be submitted until the
/// registering office has accepted the 低保 certificate.
async fn assisted_needs_evidence(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let off_a = actor(&db, "off_a").await;
    let id = enrolment::register(&db, &rules, &off_a, l.dibao, YEAR)
        .await
        .unwrap();
    let e = enrolment::get(&db, &off_a, id).await.unwrap();
    assert_eq!(
        (e.category, e.tier),
        (Category::Elderly, Tier::AdultAssisted)
    );
    assert_eq!(e.evidence_required, vec![Evidence::DibaoCertificate]);
    assert_eq!(
        stored_fen(&db, id).await,
        quote_fen(&engine_quote(&db, &rules, l.dibao).await)
    );
    assert_eq!(
        stored_fen(&db, id).await,
        [22500, 7000, 7000, 4000, 2500, 2000]
    );
    // Without the certificate: refused, and nothing changes.
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
    assert!(matches!(
        enrolment::submit(&db, &off_a, id).await,
        Err(ref e) if e.code() == "evidence_missing"
    ));
    assert_eq!(
        enrolment::get(&db, &off_a, id).await.unwrap().status,
        Status::Draft
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    // Other documents do not stand in for it.
    enrolment::accept_evidence(&db, &off_a, id, "id_card", None)
        .await
        .unwrap();
    assert!(matches!(
        enrolment::submit(&db, &off_a, id).await,
        Err(ref e) if e.code() == "evidence_missing"
    ));
    // Only the registering organisation accepts documents; codes and hashes are checked.
    let off_b = actor(&db, "off_b").await;
    let sch_a = actor(&db, "sch_a").await;
    let rev_a = actor(&db, "rev_a").await;
    for other in [&off_b, &sch_a, &rev_a] {
        let r = enrolment::accept_evidence(&db, other, id, "dibao_certificate", None).await;
        assert!(
            matches!(r, Err(Error::Forbidden)),
            "{}: {r:?}",
            other.username
        );
    }
    assert!(matches!(
        enrolment::accept_evidence(&db, &off_a, id, "selfie", None).await,
        Err(ref e) if e.code() == "evidence_code"
    ));
    assert!(matches!(
        enrolment::accept_evidence(&db, &off_a, id, "dibao_certificate", Some("abc")).await,
        Err(ref e) if e.code() == "sha256"
    ));
    // Reviewers cannot approve what was never submitted.
    assert!(matches!(
        enrolment::approve(&db, &rev_a, id).await,
        Err(ref e) if e.code() == "state_changed"
    ));
    let sha = "AB".repeat(32);
    enrolment::accept_evidence(&db, &off_a, id, "dibao_certificate", Some(&sha))
        .await
        .unwrap();
    assert!(matches!(
        enrolment::accept_evidence(&db, &off_a, id, "dibao_certificate", None).await,
        Err(ref e) if e.code() == "evidence_already_accepted"
    ));
    let docs = enrolment::evidence(&db, &off_a, id).await.unwrap();
    assert_eq!(
        docs.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["id_card", "dibao_certificate"]
    );
    assert_eq!(docs[1].sha256.as_deref(), Some("ab".repeat(32).as_str()));
    assert_eq!(docs[1].accepted_by, off_a.user_id);
    enrolment::submit(&db, &off_a, id).await.unwrap();
    // Once submitted, documents are frozen.
    assert!(matches!(
        enrolment::accept_evidence(&db, &off_a, id, "photo", None).await,
        Err(ref e) if e.code() == "state_changed"
    ));
    enrolment::approve(&db, &rev_a, id).await.unwrap();
    // Every step left its entry, by the user who took it.
    let hist = db::audit::history(&db, "enrolment", &id.to_string())
        .await
        .unwrap();
    let steps: Vec<(&str, &str)> = hist
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    let off = format!("user:{}:off_a", off_a.user_id);
    let rev = format!("user:{}:rev_a", rev_a.user_id);
    assert_eq!(
        steps,
        [
            ("enrolment.register", off.as_str()),
            ("enrolment.accept_evidence", off.as_str()),
            ("enrolment.accept_evidence", off.as_str()),
            ("enrolment.submit", off.as_str()),
            ("enrolment.approve", rev.as_str()),
        ]
    );
    assert!(hist[2]
        .after_json
        .as_deref()
        .unwrap()
        .contains("dibao_certificate"));
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}
both!(assisted_needs_evidence_story, assisted_needs_evidence);

/// Issue #14: an identity number whose birth date is after today (a
/// mistyped year) is refused by the engine's quote, and nothing is written.
async fn unborn_refused(db: Db) {
    let l = league(&db).await;
    let off_a = actor(&db, "off_a").await;
    let household: i64 = sqlx::query_scalar("SELECT household_id FROM persons WHERE id = $1")
        .bind(l.elderly)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let facts = json!({
        "in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
        "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null,
    });
    let unborn = db::households::add_person(
        &db,
        By::System("test"),
        &id("15220120991231124"),
        "未生",
        Some(household),
        None,
        &facts,
    )
    .await
    .unwrap();
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
    let r = enrolment::register(&db, &rules(), &off_a, unborn, YEAR).await;
    match r {
        Err(e) => assert_eq!((e.code(), e.status()), ("birth_in_future", 422)),
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
}
both!(unborn_story, unborn_refused);

/// A working-age adult who is neither disabled nor a pupil: refused with the
/// engine's reason, and nothing is written.
async fn refused_adult(db: Db) {
    let l = league(&db).await;
    let off_a = actor(&db, "off_a").await;
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
    let r = enrolment::register(&db, &rules(), &off_a, l.working_age, YEAR).await;
    assert!(
        matches!(r, Err(ref e) if e.code() == "working_age_not_covered"),
        "{r:?}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    // A year without parameters is refused too, not guessed.
    let r = enrolment::register(&db, &rules(), &off_a, l.elderly, 1999).await;
    assert!(
        matches!(r, Err(ref e) if e.code() == "unknown_year"),
        "{r:?}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 0);
}
both!(refused_adult_story, refused_adult);

/// A pupil of 19 enrols as a student through the school (E4), on the minor tier.
async fn pupil_of_nineteen(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let sch_a = actor(&db, "sch_a").await;
    let id = enrolment::register(&db, &rules, &sch_a, l.pupil19, YEAR)
        .await
        .unwrap();
    let e = enrolment::get(&db, &sch_a, id).await.unwrap();
    assert_eq!(
        (e.category, e.tier, e.registrar, e.registrar_org.as_str()),
        (
            Category::Student,
            Tier::MinorStandard,
            Registrar::School,
            "SA"
        )
    );
    assert_eq!(
        stored_fen(&db, id).await,
        quote_fen(&engine_quote(&db, &rules, l.pupil19).await)
    );
    assert_eq!(
        stored_fen(&db, id).await,
        [13500, 4000, 4000, 2500, 1500, 1500]
    );
    enrolment::submit(&db, &sch_a, id).await.unwrap();
    // Another school cannot reach the pupil at all.
    let sch_b = actor(&db, "sch_b").await;
    let r = enrolment::register(&db, &rules, &sch_b, l.pupil19, 2010).await;
    assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
    // The school sees its enrolment in its list.
    let mine = enrolment::list_for_actor(&db, &sch_a, &Filter::default())
        .await
        .unwrap();
    assert_eq!(mine.iter().map(|e| e.id).collect::<Vec<_>>(), [id]);
}
both!(pupil_of_nineteen_story, pupil_of_nineteen);

/// The registrar is the quote's: a school cannot register a resident of the
/// community office, nor an office a pupil. Nothing is written.
async fn wrong_registrar(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
    let off_a = actor(&db, "off_a").await;
    let r = enrolment::register(&db, &rules, &off_a, l.pupil19, YEAR).await;
    assert!(
        matches!(r, Err(ref e) if e.code() == "wrong_registrar"),
        "{r:?}"
    );
    let sch_a = actor(&db, "sch_a").await;
    let r = enrolment::register(&db, &rules, &sch_a, l.left_school, YEAR).await;
    assert!(
        matches!(r, Err(ref e) if e.code() == "wrong_registrar"),
        "{r:?}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    // The right registrars succeed.
    enrolment::register(&db, &rules, &sch_a, l.pupil19, YEAR)
        .await
        .unwrap();
    let id = enrolment::register(&db, &rules, &off_a, l.left_school, YEAR)
        .await
        .unwrap();
    let e = enrolment::get(&db, &off_a, id).await.unwrap();
    assert_eq!(
        (e.category, e.tier, e.registrar),
        (
            Category::Child,
            Tier::MinorStandard,
            Registrar::CommunityOffice
        )
    );
    // Roles that register nobody.
    for who in ["rev_a", "adm_l"] {
        let a = actor(&db, who).await;
        assert!(
            matches!(
                enrolment::register(&db, &rules, &a, l.elderly, YEAR).await,
                Err(Error::Forbidden)
            ),
            "{who}"
        );
    }
}
both!(wrong_registrar_story, wrong_registrar);

/// One enrolment per person and year, whoever tries again.
async fn double_registration(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let off_a = actor(&db, "off_a").await;
    enrolment::register(&db, &rules, &off_a, l.elderly, YEAR)
        .await
        .unwrap();
    assert!(matches!(
        enrolment::register(&db, &rules, &off_a, l.elderly, YEAR).await,
        Err(ref e) if e.code() == "already_enrolled"
    ));
    let off_a2 = actor(&db, "off_a2").await;
    assert!(matches!(
        enrolment::register(&db, &rules, &off_a2, l.elderly, YEAR).await,
        Err(ref e) if e.code() == "already_enrolled"
    ));
    // The person moves to a household of another office: still enrolled for the year.
    sqlx::query("UPDATE persons SET household_id = $1, county_code = '152222' WHERE id = $2")
        .bind(l.h_b)
        .bind(l.elderly)
        .execute(&db.pool)
        .await
        .unwrap();
    let off_b = actor(&db, "off_b").await;
    assert!(matches!(
        enrolment::register(&db, &rules, &off_b, l.elderly, YEAR).await,
        Err(ref e) if e.code() == "already_enrolled"
    ));
    // Another year is another enrolment.
    enrolment::register(&db, &rules, &off_b, l.elderly, 2010)
        .await
        .unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 2);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'enrolment.register'"
        )
        .await,
        2
    );
}
both!(double_registration_story, double_registration);

/// Ten agents register the same person at the same moment: exactly one wins.
async fn concurrent_registration(db: Db) {
    let l = league(&db).await;
    let rules = std::sync::Arc::new(rules());
    let agents = [actor(&db, "off_a").await, actor(&db, "off_a2").await];
    let person = l.elderly;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let (db, rules, a) = (db.clone(), rules.clone(), agents[i % 2].clone());
        tasks.push(tokio::spawn(async move {
            enrolment::register(&db, &rules, &a, person, YEAR).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(ref e) if e.code() == "already_enrolled" => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 1);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'enrolment.register'"
        )
        .await,
        1
    );
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}
both!(concurrent_registration_story, concurrent_registration);

/// The user who entered a record cannot approve or reject it, even after
/// moving to the agency.
async fn maker_checker(db: Db) {
    let l = league(&db).await;
    let off_a = actor(&db, "off_a").await;
    let id = enrolment::register(&db, &rules(), &off_a, l.elderly, YEAR)
        .await
        .unwrap();
    enrolment::submit(&db, &off_a, id).await.unwrap();
    // The agent is transferred to the county agency as a reviewer.
    sqlx::query(
        "UPDATE users SET role = 'agency_reviewer', org_code = 'CA' WHERE username = 'off_a'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let maker = actor(&db, "off_a").await;
    assert_eq!(maker.role, Role::AgencyReviewer);
    assert!(matches!(
        enrolment::approve(&db, &maker, id).await,
        Err(ref e) if e.code() == "maker_checker"
    ));
    assert!(matches!(
        enrolment::reject(&db, &maker, id, "looks wrong").await,
        Err(ref e) if e.code() == "maker_checker"
    ));
    assert!(enrolment::pending_review(&db, &maker)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        enrolment::get(&db, &maker, id).await.unwrap().status,
        Status::Submitted
    );
    // Someone else may.
    let rev_a = actor(&db, "rev_a").await;
    assert_eq!(
        enrolment::pending_review(&db, &rev_a)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        [id]
    );
    enrolment::approve(&db, &rev_a, id).await.unwrap();
    assert_eq!(
        actions(&db, id).await,
        [
            "enrolment.register",
            "enrolment.submit",
            "enrolment.approve"
        ]
    );
    // Whoever accepted a document also had a hand in the record.
    let off_a2 = actor(&db, "off_a2").await;
    db::accounts::create_user(
        &db,
        By::System("test"),
        NewUser {
            username: "off_a3".into(),
            display_name: "off_a3".into(),
            password: PW.into(),
            role: Role::OfficeAgent,
            org_code: Some("OA".into()),
            household_id: None,
        },
    )
    .await
    .unwrap();
    let off_a3 = actor(&db, "off_a3").await;
    let id2 = enrolment::register(&db, &rules(), &off_a2, l.dibao, YEAR)
        .await
        .unwrap();
    enrolment::accept_evidence(&db, &off_a3, id2, "dibao_certificate", None)
        .await
        .unwrap();
    enrolment::submit(&db, &off_a2, id2).await.unwrap();
    sqlx::query("UPDATE users SET role = 'agency_admin', org_code = 'L' WHERE username = 'off_a3'")
        .execute(&db.pool)
        .await
        .unwrap();
    let moved = actor(&db, "off_a3").await;
    assert!(matches!(
        enrolment::approve(&db, &moved, id2).await,
        Err(ref e) if e.code() == "maker_checker"
    ));
    assert!(enrolment::pending_review(&db, &moved)
        .await
        .unwrap()
        .is_empty());
    enrolment::approve(&db, &actor(&db, "adm_l").await, id2)
        .await
        .unwrap();
}
both!(maker_checker_story, maker_checker);

/// A rejection says why; the office fixes the record and resubmits.
async fn rejection_needs_reason(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let off_a = actor(&db, "off_a").await;
    let rev_a = actor(&db, "rev_a").await;
    let id = enrolment::register(&db, &rules, &off_a, l.dibao, YEAR)
        .await
        .unwrap();
    // Rejecting a draft: not the reviewer's yet.
    assert!(matches!(
        enrolment::reject(&db, &rev_a, id, "no").await,
        Err(ref e) if e.code() == "state_changed"
    ));
    enrolment::accept_evidence(&db, &off_a, id, "dibao_certificate", None)
        .await
        .unwrap();
    enrolment::submit(&db, &off_a, id).await.unwrap();
    for empty in ["", "   ", "\n\t"] {
        let r = enrolment::reject(&db, &rev_a, id, empty).await;
        assert!(
            matches!(r, Err(ref e) if e.code() == "reason_required"),
            "{empty:?}: {r:?}"
        );
    }
    assert_eq!(
        enrolment::get(&db, &rev_a, id).await.unwrap().status,
        Status::Submitted
    );
    enrolment::reject(&db, &rev_a, id, "  certificate expired  ")
        .await
        .unwrap();
    let e = enrolment::get(&db, &off_a, id).await.unwrap();
    assert_eq!(
        (e.status, e.rejected_by, e.rejection_reason.as_deref()),
        (
            Status::Rejected,
            Some(rev_a.user_id),
            Some("certificate expired")
        )
    );
    assert!(e.rejected_at.is_some());
    // Back with the office: it may add documents and resubmit.
    enrolment::accept_evidence(&db, &off_a, id, "photo", None)
        .await
        .unwrap();
    enrolment::submit(&db, &off_a, id).await.unwrap();
    assert_eq!(
        enrolment::get(&db, &off_a, id).await.unwrap().status,
        Status::Submitted
    );
    enrolment::approve(&db, &rev_a, id).await.unwrap();
    assert_eq!(
        actions(&db, id).await,
        [
            "enrolment.register",
            "enrolment.accept_evidence",
            "enrolment.submit",
            "enrolment.reject",
            "enrolment.accept_evidence",
            "enrolment.submit",
            "enrolment.approve",
        ]
    );
    let hist = db::audit::history(&db, "enrolment", &id.to_string())
        .await
        .unwrap();
    assert!(hist[3]
        .after_json
        .as_deref()
        .unwrap()
        .contains("certificate expired"));
}
both!(rejection_needs_reason_story, rejection_needs_reason);

/// A county's reviewers decide their county's persons only; the league all.
async fn county_scope(db: Db) {
    let l = league(&db).await;
    let rules = rules();
    let off_a = actor(&db, "off_a").await;
    let off_b = actor(&db, "off_b").await;
    let id_a = enrolment::register(&db, &rules, &off_a, l.elderly, YEAR)
        .await
        .unwrap();
    let id_b = enrolment::register(&db, &rules, &off_b, l.elderly_b, YEAR)
        .await
        .unwrap();
    enrolment::submit(&db, &off_a, id_a).await.unwrap();
    enrolment::submit(&db, &off_b, id_b).await.unwrap();
    // An office cannot submit another office's record, nor decide any.
    assert!(matches!(
        enrolment::submit(&db, &off_a, id_b).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        enrolment::approve(&db, &off_a, id_a).await,
        Err(Error::Forbidden)
    ));
    let rev_a = actor(&db, "rev_a").await;
    let adm_a = actor(&db, "adm_a").await;
    for a in [&rev_a, &adm_a] {
        assert!(
            matches!(
                enrolment::approve(&db, a, id_b).await,
                Err(Error::Forbidden)
            ),
            "{}",
            a.username
        );
        assert!(
            matches!(
                enrolment::reject(&db, a, id_b, "x").await,
                Err(Error::Forbidden)
            ),
            "{}",
            a.username
        );
        let pending: Vec<i64> = enrolment::pending_review(&db, a)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(pending, [id_a], "{}", a.username);
    }
    assert!(matches!(
        enrolment::approve(&db, &rev_a, 999_999).await,
        Err(Error::NotFound)
    ));
    assert_eq!(
        enrolment::get(&db, &off_b, id_b).await.unwrap().status,
        Status::Submitted
    );
    // The league sees both; the county B reviewer decides B.
    let rev_l = actor(&db, "rev_l").await;
    let pending: Vec<i64> = enrolment::pending_review(&db, &rev_l)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(pending, [id_a, id_b]);
    let rev_b = actor(&db, "rev_b").await;
    enrolment::approve(&db, &rev_b, id_b).await.unwrap();
    enrolment::approve(&db, &rev_l, id_a).await.unwrap();
    assert!(matches!(
        enrolment::pending_review(&db, &off_a).await,
        Err(Error::Forbidden)
    ));
    // Lists follow the same scope, and filter.
    let ids = |v: Vec<enrolment::Enrolment>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(enrolment::list_for_actor(&db, &off_a, &Filter::default())
            .await
            .unwrap()),
        [id_a]
    );
    assert_eq!(
        ids(enrolment::list_for_actor(&db, &rev_b, &Filter::default())
            .await
            .unwrap()),
        [id_b]
    );
    let adm_l = actor(&db, "adm_l").await;
    assert_eq!(
        ids(enrolment::list_for_actor(&db, &adm_l, &Filter::default())
            .await
            .unwrap()),
        [id_b, id_a]
    );
    let approved_2009 = Filter {
        policy_year: Some(YEAR),
        status: Some(Status::Approved),
        ..Filter::default()
    };
    assert_eq!(
        ids(enrolment::list_for_actor(&db, &adm_l, &approved_2009)
            .await
            .unwrap()),
        [id_b, id_a]
    );
    let drafts = Filter {
        status: Some(Status::Draft),
        ..Filter::default()
    };
    assert!(enrolment::list_for_actor(&db, &adm_l, &drafts)
        .await
        .unwrap()
        .is_empty());
    let from_ob = Filter {
        registrar_org: Some("OB".into()),
        limit: Some(5),
        ..Filter::default()
    };
    assert_eq!(
        ids(enrolment::list_for_actor(&db, &adm_l, &from_ob)
            .await
            .unwrap()),
        [id_b]
    );
    assert!(matches!(
        enrolment::get(&db, &off_a, id_b).await,
        Err(Error::Forbidden)
    ));
}
both!(county_scope_story, county_scope);
