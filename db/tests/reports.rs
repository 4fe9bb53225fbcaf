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

    for action in [
        "report.draft",
        "report.explain",
        "report.sign",
        "report.submit",
        "report.correct",
    ] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(n >= 1, "{action} audited");
    }
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
