//! A county's monthly report, the same body on SQLite and PostgreSQL: drafted
//! from the ledgers, checked against the previous month with the big changes
//! explained, signed by three different people in order, frozen once
//! submitted, corrected by a second version that says why while the first
//! stays as it was (信息统计管理规定 T7-T10).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::league::{actor, elderly, league, pays, rules, PW};
use db::accounts::NewUser;
use db::audit::By;
use db::scope::Role;
use db::{Db, Error};
use policy::reports::{Frequency, Period, SignOff};
use rust_decimal::Decimal;

/// Each action has at least one audit record.
async fn audited(db: &Db, actions: &[&str]) {
    for action in actions {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(n >= 1, "{action} audited");
    }
}

fn fails<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    r.expect_err("the call must fail").code()
}

async fn a_monthly_report_is_drafted_signed_frozen_and_corrected(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    db::accounts::create_user(
        &db,
        By::System("test"),
        NewUser {
            username: "adm_ca".into(),
            display_name: "局长".into(),
            password: PW.into(),
            role: Role::AgencyAdmin,
            org_code: Some("CA".into()),
            household_id: None,
        },
    )
    .await
    .unwrap();
    let head = actor(&db, "adm_ca").await;
    let threshold = Decimal::from(20);
    // One premium in February, three in March: +200 %.
    let mut n = 0;
    for paid in [
        "2009-02-16 10:00",
        "2009-03-02 09:00",
        "2009-03-03 09:00",
        "2009-03-31 15:00",
    ] {
        n += 1;
        let person = elderly(&db, &l, n).await;
        pays(&db, &rules, &l, person, 2009, paid).await;
    }
    let march = Period::new(Frequency::Monthly, 2009, 3).unwrap();
    assert_eq!(
        fails(db::reports::draft(&db, &l.office, march, threshold).await),
        "forbidden",
        "an office keeps no reports"
    );
    let r = db::reports::draft(&db, &l.reviewer, march, threshold)
        .await
        .unwrap();
    assert_eq!(
        (r.county_code.as_str(), r.version, r.submitted),
        ("152201", 1, false)
    );
    let figure = |r: &db::reports::Report, key: &str| {
        r.figures.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    };
    assert_eq!(figure(&r, "premiums"), Some(3));
    let premiums = r.changes.iter().find(|c| c.key == "premiums").unwrap();
    assert_eq!(
        (premiums.before, premiums.after, premiums.flagged),
        (Some(1), 3, true)
    );

    // T9: nobody signs before every flagged change is explained.
    assert_eq!(
        fails(db::reports::sign(&db, &l.reviewer, r.id, SignOff::Preparer).await),
        "report_unexplained"
    );
    let flagged: Vec<String> = r
        .changes
        .iter()
        .filter(|c| c.flagged)
        .map(|c| c.key.clone())
        .collect();
    assert!(flagged.contains(&"premiums_fen".to_string()));
    for key in &flagged {
        db::reports::explain(&db, &l.reviewer, r.id, key, "三月为集中缴费期")
            .await
            .unwrap();
    }
    assert_eq!(
        fails(db::reports::explain(&db, &l.reviewer, r.id, "premiums", "  ").await),
        "explanation"
    );

    // T10: the preparer, the section head, the agency head; three people.
    assert_eq!(
        fails(db::reports::sign(&db, &l.reviewer2, r.id, SignOff::SectionHead).await),
        "report_out_of_order"
    );
    db::reports::sign(&db, &l.reviewer, r.id, SignOff::Preparer)
        .await
        .unwrap();
    assert_eq!(
        fails(db::reports::sign(&db, &l.reviewer, r.id, SignOff::SectionHead).await),
        "report_same_person"
    );
    db::reports::sign(&db, &l.reviewer2, r.id, SignOff::SectionHead)
        .await
        .unwrap();
    assert_eq!(
        fails(db::reports::sign(&db, &l.reviewer2, r.id, SignOff::AgencyHead).await),
        "report_agency_head"
    );
    let submitted = db::reports::sign(&db, &head, r.id, SignOff::AgencyHead)
        .await
        .unwrap();
    assert!(submitted.submitted && submitted.submitted_at.is_some());
    assert!(submitted.signoffs.complete());

    // Submitted: nothing about it changes.
    assert_eq!(
        fails(db::reports::explain(&db, &l.reviewer, r.id, "premiums", "改").await),
        "report_submitted"
    );
    assert_eq!(
        fails(db::reports::draft(&db, &l.reviewer, march, threshold).await),
        "report_submitted"
    );
    assert_eq!(
        fails(db::reports::sign(&db, &head, r.id, SignOff::AgencyHead).await),
        "report_submitted"
    );
    // The database holds it too: a submitted report without its time is refused.
    let unsubmit = sqlx::query("UPDATE statistical_reports SET submitted_at = NULL WHERE id = $1")
        .bind(r.id)
        .execute(&db.pool)
        .await;
    assert!(unsubmit.is_err());

    // A late March premium is found: a correction, version 2, with its reason.
    let late = elderly(&db, &l, 9).await;
    pays(&db, &rules, &l, late, 2009, "2009-03-20 11:00").await;
    assert_eq!(
        fails(db::reports::correct(&db, &l.reviewer, r.id, " ", threshold).await),
        "correction_reason"
    );
    let v2 = db::reports::correct(&db, &l.reviewer, r.id, "漏录一笔三月现金缴费", threshold)
        .await
        .unwrap();
    assert_eq!(
        (v2.version, v2.corrects, v2.submitted),
        (2, Some(r.id), false)
    );
    assert_eq!(
        v2.correction_reason.as_deref(),
        Some("漏录一笔三月现金缴费")
    );
    assert_eq!(figure(&v2, "premiums"), Some(4));
    assert_eq!(
        fails(db::reports::correct(&db, &l.reviewer, r.id, "again", threshold).await),
        "report_not_submitted",
        "only the newest submitted version is corrected"
    );
    // The first version is read as it was submitted.
    let v1 = db::reports::get(&db, &l.agency, r.id).await.unwrap();
    assert_eq!((figure(&v1, "premiums"), v1.submitted), (Some(3), true));
    let all = db::reports::versions(&db, &l.reviewer, "152201", march)
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.version).collect::<Vec<_>>(), [1, 2]);

    // April is checked against March as submitted (version 1), not the ledgers.
    let april = db::reports::draft(&db, &l.reviewer, march.next(), threshold)
        .await
        .unwrap();
    let before = april.changes.iter().find(|c| c.key == "premiums").unwrap();
    assert_eq!(before.before, Some(3));

    audited(
        &db,
        &[
            "report.draft",
            "report.explain",
            "report.sign",
            "report.submit",
            "report.correct",
        ],
    )
    .await;
}
both!(
    monthly_report,
    a_monthly_report_is_drafted_signed_frozen_and_corrected
);

/// T16: the statistics head puts the year's table forward, the agency head
/// (another person) approves it, and the public reads it with its small
/// counts suppressed; the counts are those of the day it was put forward.
async fn a_table_is_published_with_small_counts_suppressed(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    for n in 1..=2 {
        let person = elderly(&db, &l, n).await;
        pays(&db, &rules, &l, person, 2009, "2009-03-02 09:00").await;
    }
    assert_eq!(
        fails(db::publications::propose(&db, &l.reviewer, 2009, 5).await),
        "forbidden",
        "a county agency publishes nothing for the league"
    );
    let p = db::publications::propose(&db, &l.agency, 2009, 5)
        .await
        .unwrap();
    assert_eq!(p.table.columns, ["152201"]);
    assert_eq!(p.table.counts, [[2]]);
    assert!(db::publications::published(&db).await.unwrap().is_empty());
    assert_eq!(
        fails(db::publications::approve(&db, &l.agency, p.id).await),
        "publication_same_person"
    );
    let third = elderly(&db, &l, 3).await;
    pays(&db, &rules, &l, third, 2009, "2009-03-03 09:00").await;
    let published = db::publications::approve(&db, &l.agency2, p.id)
        .await
        .unwrap();
    assert!(published.published_at.is_some());
    assert_eq!(published.table.counts, [[2]], "frozen when put forward");
    assert_eq!(
        fails(db::publications::approve(&db, &l.agency2, p.id).await),
        "already_published"
    );
    let public = db::publications::published(&db).await.unwrap();
    assert_eq!(public.len(), 1);
    assert!(
        public[0]
            .public()
            .cells
            .iter()
            .flatten()
            .all(|c| *c == policy::reports::Cell::Suppressed),
        "a 2, its row and column totals and the grand total: all under 5"
    );
}
both!(
    publication,
    a_table_is_published_with_small_counts_suppressed
);

async fn agency_user(db: &Db, username: &str, role: Role, org: &str) -> db::Actor {
    db::accounts::create_user(
        db,
        By::System("test"),
        NewUser {
            username: username.into(),
            display_name: username.into(),
            password: PW.into(),
            role,
            org_code: Some(org.into()),
            household_id: None,
        },
    )
    .await
    .unwrap();
    actor(db, username).await
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Signs report `id` three times: the preparer, the section head, the head.
async fn submit(db: &Db, id: i64, signers: [&db::Actor; 3]) -> db::reports::Report {
    let r = db::reports::get(db, signers[0], id).await.unwrap();
    for c in r.changes.iter().filter(|c| c.flagged) {
        db::reports::explain(db, signers[0], id, &c.key, "集中缴费期")
            .await
            .unwrap();
    }
    let mut last = r;
    for (who, role) in
        signers
            .into_iter()
            .zip([SignOff::Preparer, SignOff::SectionHead, SignOff::AgencyHead])
    {
        last = db::reports::sign(db, who, id, role).await.unwrap();
    }
    assert!(last.submitted);
    last
}

/// T4–T6 and T5: the league asks for a monthly report due ten days after
/// each month; one county submits on time and the other not at all; the
/// league's own report adds up the submitted county versions and says which
/// it used; the weekly returns a county's charged preparer missed are
/// counted against them. T15: a section a role may not read is left out,
/// and every reading is recorded. T14: figures go outside only with the
/// statistics head's approval. The report holds enrolment by category and
/// tier, the fund and what each level of government owes.
async fn the_league_schedules_consolidates_and_counts_the_late(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    db::orgs::create(
        &db,
        By::System("test"),
        &db::orgs::OrgUnit {
            code: "CB".into(),
            kind: "county_agency".into(),
            name_zh: "机构CB".into(),
            name_en: "CB".into(),
            county_code: Some("152202".into()),
        },
    )
    .await
    .unwrap();
    let head_a = agency_user(&db, "adm_ca", Role::AgencyAdmin, "CA").await;
    let [prep_b, section_b] = [
        agency_user(&db, "rev_cb1", Role::AgencyReviewer, "CB").await,
        agency_user(&db, "rev_cb2", Role::AgencyReviewer, "CB").await,
    ];
    let head_b = agency_user(&db, "adm_cb", Role::AgencyAdmin, "CB").await;
    let threshold = Decimal::from(20);
    for (n, paid) in [
        (1, "2009-02-16 10:00"),
        (2, "2009-03-02 09:00"),
        (3, "2009-03-03 09:00"),
    ] {
        let person = elderly(&db, &l, n).await;
        pays(&db, &rules, &l, person, 2009, paid).await;
    }
    let march = Period::new(Frequency::Monthly, 2009, 3).unwrap();

    // The schedule: only the league's administrator sets it.
    assert_eq!(
        fails(db::reports::schedule::set(&db, &head_a, 2009, Frequency::Monthly, Some(10)).await),
        "forbidden"
    );
    assert_eq!(
        fails(db::reports::schedule::set(&db, &l.agency, 2009, Frequency::Monthly, Some(91)).await),
        "report_due_days"
    );
    db::reports::schedule::set(&db, &l.agency, 2009, Frequency::Monthly, Some(10))
        .await
        .unwrap();
    db::reports::schedule::set(&db, &l.agency, 2009, Frequency::Weekly, Some(2))
        .await
        .unwrap();

    // County A's March report: its fuller contents.
    let r = db::reports::draft(&db, &l.reviewer, march, threshold)
        .await
        .unwrap();
    let figure = |r: &db::reports::Report, key: &str| {
        r.figures
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("{key} missing"))
    };
    assert_eq!(r.figures.len(), policy::reports::figures::keys().len());
    assert_eq!(figure(&r, "enrolled"), 3);
    assert_eq!(figure(&r, "enrolled.elderly"), 3);
    assert_eq!(figure(&r, "enrolled.student"), 0);
    assert_eq!(figure(&r, "unpaid"), 0);
    assert_eq!(figure(&r, "premiums"), 2);
    assert_eq!(figure(&r, "premiums_cash_fen"), figure(&r, "premiums_fen"));
    let tiers: i64 = policy::eligibility::Tier::ALL
        .iter()
        .map(|t| figure(&r, &format!("subsidy_persons.{}", t.code())))
        .sum();
    assert_eq!(tiers, 2, "each paid person counts in one tier");
    let levels: i64 = ["central", "region", "league", "county"]
        .iter()
        .map(|l| figure(&r, &format!("subsidy_{l}_fen")))
        .sum();
    assert!(levels > 0);
    assert_eq!(levels, figure(&r, "subsidy_fen"));
    assert_eq!(
        figure(&r, "fund_income_fen"),
        figure(&r, "premiums_fen") + figure(&r, "subsidy_fen"),
        "the fund's income: what the persons paid and what is owed for them"
    );
    assert!(
        figure(&r, "fund_income_ytd_fen") > figure(&r, "fund_income_fen"),
        "February too"
    );
    let a = submit(&db, r.id, [&l.reviewer, &l.reviewer2, &head_a]).await;
    // It went in on 8 April (the clock of the test is the record's).
    let on_8_april = db::local_midnight_ms(day("2009-04-08"));
    sqlx::query("UPDATE statistical_reports SET submitted_at = $1 WHERE id = $2")
        .bind(on_8_april)
        .bind(a.id)
        .execute(&db.pool)
        .await
        .unwrap();

    // The league: county B is missing on 20 April, A was on time.
    let standing = db::reports::schedule::standing(&db, &l.agency, 2009, day("2009-04-20"))
        .await
        .unwrap();
    let m = standing.iter().find(|p| p.period == march).unwrap();
    assert_eq!(m.due, day("2009-04-10"));
    let of = |code: &str| {
        m.counties
            .iter()
            .find(|c| c.county_code == code)
            .unwrap()
            .timeliness
    };
    assert_eq!(of("152201"), policy::reports::schedule::Timeliness::OnTime);
    assert_eq!(
        of("152202"),
        policy::reports::schedule::Timeliness::Missing { days: 10 }
    );
    assert!(
        standing.iter().any(|p| p.period == march.next()),
        "April, the next to fall due, is listed too"
    );
    assert_eq!(
        fails(db::reports::schedule::standing(&db, &l.reviewer, 2009, day("2009-04-20")).await),
        "forbidden",
        "a county sees no other county's standing"
    );

    // The league's report adds up what was submitted: A's version 1 only.
    let league_report = db::reports::draft(&db, &l.agency, march, threshold)
        .await
        .unwrap();
    assert_eq!(league_report.county_code, "L");
    assert_eq!(
        league_report.sources,
        [db::reports::Source {
            county_code: "152201".into(),
            report_id: a.id,
            version: 1
        }]
    );
    assert_eq!(figure(&league_report, "premiums"), 2);
    // B submits (nothing to flag); drafted again, the league's has both.
    let b = db::reports::draft(&db, &prep_b, march, threshold)
        .await
        .unwrap();
    submit(&db, b.id, [&prep_b, &section_b, &head_b]).await;
    let league_report = db::reports::draft(&db, &l.agency, march, threshold)
        .await
        .unwrap();
    assert_eq!(league_report.sources.len(), 2);
    assert_eq!(figure(&league_report, "premiums"), 2);
    assert_eq!(
        fails(db::reports::get(&db, &l.reviewer, league_report.id).await),
        "forbidden",
        "a county does not read the league's report"
    );

    // T5: B charges its weekly return to rev_cb1, who then misses April's.
    assert_eq!(
        fails(db::reports::schedule::charge_weekly(&db, &head_b, l.reviewer.user_id).await),
        "weekly_preparer",
        "not B's own staff"
    );
    db::reports::schedule::charge_weekly(&db, &head_b, prep_b.user_id)
        .await
        .unwrap();
    let april = march.next();
    let faults = db::reports::schedule::weekly_faults(&db, &l.agency, april, day("2009-05-05"))
        .await
        .unwrap();
    let weeks = policy::reports::schedule::weeks_due_in(april, 2).len() as u32;
    let b_faults = faults.iter().find(|f| f.county_code == "152202").unwrap();
    assert_eq!(
        (b_faults.user_id, b_faults.missing, b_faults.name.as_deref()),
        (Some(prep_b.user_id), weeks, Some("rev_cb1"))
    );
    let a_faults = faults.iter().find(|f| f.county_code == "152201").unwrap();
    assert_eq!(
        (a_faults.user_id, a_faults.missing),
        (None, weeks),
        "nobody charged"
    );

    // T15: reviewers may no longer read the persons; the head still may.
    db::reports::access::set(
        &db,
        &l.agency,
        policy::reports::figures::Section::Persons,
        Role::AgencyReviewer,
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        fails(
            db::reports::access::set(
                &db,
                &head_a,
                policy::reports::figures::Section::Fund,
                Role::AgencyReviewer,
                false
            )
            .await
        ),
        "forbidden"
    );
    let seen =
        db::reports::access::read(&db, &l.reviewer, a.id, db::reports::access::Reading::View)
            .await
            .unwrap();
    assert!(seen.figures.iter().all(|(k, _)| !k.starts_with("enrolled")));
    assert!(seen.figures.iter().any(|(k, _)| k == "premiums"));
    let whole = db::reports::access::read(&db, &head_a, a.id, db::reports::access::Reading::Csv)
        .await
        .unwrap();
    assert_eq!(whole.figures.len(), a.figures.len());
    let reads = db::reports::access::reads(&db, &head_a, a.id)
        .await
        .unwrap();
    assert_eq!(
        reads
            .iter()
            .map(|r| (r.name.as_str(), r.kind.as_str()))
            .collect::<Vec<_>>(),
        [("adm_ca", "csv"), ("rev_a", "view")]
    );
    assert_eq!(
        fails(db::reports::access::reads(&db, &l.reviewer, a.id).await),
        "forbidden"
    );

    // T14: to an outside body only with the statistics head's approval.
    assert_eq!(
        fails(db::reports::access::request_release(&db, &l.reviewer, a.id, " ", "年鉴").await),
        "release_fields"
    );
    let release =
        db::reports::access::request_release(&db, &l.reviewer, a.id, "盟统计局", "统计年鉴")
            .await
            .unwrap();
    assert_eq!(
        fails(db::reports::access::released(&db, &l.reviewer, release.id).await),
        "release_not_approved"
    );
    assert_eq!(
        fails(db::reports::access::approve_release(&db, &l.reviewer2, release.id).await),
        "release_approver"
    );
    assert_eq!(
        fails(db::reports::access::approve_release(&db, &head_b, release.id).await),
        "forbidden",
        "another county's head"
    );
    db::reports::access::approve_release(&db, &head_a, release.id)
        .await
        .unwrap();
    let (_, given) = db::reports::access::released(&db, &l.reviewer, release.id)
        .await
        .unwrap();
    assert_eq!(given.id, a.id);
    assert_eq!(
        fails(db::reports::access::released(&db, &l.reviewer2, release.id).await),
        "forbidden"
    );
    let kinds: Vec<String> = db::reports::access::reads(&db, &head_a, a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.kind)
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("release"));

    // The files: CSV with every figure, and an XLSX workbook.
    let headers = ["指标", "上期", "本期", "变化", "说明"];
    let csv = db::reports::export::csv(&whole, |k| format!("名称-{k}"), headers);
    assert!(csv.starts_with("\u{feff}key,指标,上期,本期,变化,说明\r\n"));
    assert!(
        csv.contains("\r\npremiums,名称-premiums,1,2,100%,集中缴费期\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\r\nunpaid,名称-unpaid,2,0,-100%,集中缴费期\r\n"));
    assert_eq!(csv.lines().count(), whole.changes.len() + 1);
    let xlsx = db::reports::export::xlsx(&whole, "2009-03", |k| k.to_string(), headers).unwrap();
    assert!(xlsx.starts_with(b"PK\x03\x04") && xlsx.len() > 2000);

    audited(
        &db,
        &[
            "report.schedule",
            "report.weekly_preparer",
            "report.access",
            "report.release_request",
            "report.release_approve",
        ],
    )
    .await;
}
both!(
    league_schedule,
    the_league_schedules_consolidates_and_counts_the_late
);

/// 张榜公布: the county's list of those with the increased subsidy, put
/// forward by its statistician and published by its head: names with masked
/// ID numbers, never why they are assisted.
async fn the_notice_of_the_assisted_names_them_without_their_condition(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let head = agency_user(&db, "adm_ca", Role::AgencyAdmin, "CA").await;
    let facts = serde_json::json!({
        "in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": true,
        "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null,
    });
    let assisted = db::households::add_person(
        &db,
        By::System("test"),
        &common::id("15220119400301002"),
        "低保户甲",
        Some(l.household),
        None,
        &facts,
    )
    .await
    .unwrap();
    let e = db::enrolment::register(&db, &rules, &l.office, assisted, 2009)
        .await
        .unwrap();
    for evidence in ["id_card", "dibao_certificate"] {
        db::enrolment::accept_evidence(&db, &l.office, e, evidence, None)
            .await
            .unwrap();
    }
    db::enrolment::submit(&db, &l.office, e).await.unwrap();
    db::enrolment::approve(&db, &l.reviewer, e).await.unwrap();
    let standard = elderly(&db, &l, 1).await;
    pays(&db, &rules, &l, standard, 2009, "2009-03-02 09:00").await;

    assert_eq!(
        fails(db::subsidy_notices::propose(&db, &l.office, 2009).await),
        "forbidden"
    );
    let n = db::subsidy_notices::propose(&db, &l.reviewer, 2009)
        .await
        .unwrap();
    assert_eq!(n.lines.len(), 1, "only the assisted: {:?}", n.lines);
    assert_eq!(n.lines[0].name, "低保户甲");
    assert!(
        n.lines[0].id.starts_with("152201********"),
        "{}",
        n.lines[0].id
    );
    assert!(db::subsidy_notices::published(&db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        fails(db::subsidy_notices::approve(&db, &l.reviewer2, n.id).await),
        "publication_agency_head"
    );
    assert_eq!(
        fails(db::subsidy_notices::approve(&db, &l.agency, n.id).await),
        "forbidden",
        "the league does not publish a county's notice"
    );
    db::subsidy_notices::approve(&db, &head, n.id)
        .await
        .unwrap();
    let public = db::subsidy_notices::published(&db).await.unwrap();
    assert_eq!(public.len(), 1);
    let text: String = sqlx::query_scalar("SELECT rows_json FROM subsidy_notices")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(
        !text.contains("dibao") && !text.contains("assisted") && !text.contains("1522011940030100"),
        "{text}"
    );
    assert_eq!(
        fails(db::subsidy_notices::approve(&db, &head, n.id).await),
        "already_published"
    );
    audited(&db, &["subsidy_notice.propose", "subsidy_notice.approve"]).await;
}
both!(
    subsidy_notice,
    the_notice_of_the_assisted_names_them_without_their_condition
);
