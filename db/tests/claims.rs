//! Claims' story on SQLite and PostgreSQL: emergency reports and their
//! 3 days, prior approvals, filing with documents (retries add nothing),
//! the two-person review with the payout from the policy engine over stored
//! facts, caps across claims, care during an interruption, fraud at review
//! and its suspension, payment runs released by a second person with their
//! bank file, every stored payout recomputed from its facts, and the
//! agency's statistics of a year.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use std::sync::Arc;

use common::id;
use common::league::{actor, approved_notice, day, elderly, league, pays, rules, League, PW};
use db::accounts::NewUser;
use db::audit::By;
use db::claims::{
    self, ApprovalKind, FilingAgent, FirstReview, NewApproval, NewClaim, NewEmergencyReport,
    ReviewFacts, Stage,
};
use db::documents::{LocalFolder, Store};
use db::orgs::OrgUnit;
use db::scope::Role;
use db::{Db, Error};
use policy::benefit::{ClaimKind, Disease, HospitalGrade};
use policy::money::Money;
use policy::params::Rules;
use policy::payment_run::RunKind;

const MAX: usize = 5 * 1024 * 1024;

fn fails<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    r.expect_err("the call must fail").code()
}

fn png(n: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend(std::iter::repeat_n(n, 64));
    b
}

fn jpeg(n: u8) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    b.extend(std::iter::repeat_n(n, 64));
    b
}

fn store() -> Store {
    let dir = std::env::temp_dir().join(format!("claims_docs_{}_{}", std::process::id(), rand_n()));
    Arc::new(LocalFolder::new(dir))
}

fn rand_n() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn new_claim(
    person: i64,
    kind: ClaimKind,
    from: &str,
    to: &str,
    billed: i64,
    key: &str,
) -> NewClaim {
    NewClaim {
        person_id: person,
        kind,
        care_from: day(from),
        care_to: day(to),
        hospital: "包头市第一医院".into(),
        hospital_grade: HospitalGrade::Three,
        billed: Money::from_yuan(billed),
        disease: None,
        agent: FilingAgent {
            name: "王强".into(),
            id_number: id("15220119800101001"),
            relation: "child".into(),
        },
        bank_account: "6222020200112233445".into(),
        account_name: "王强".into(),
        request_key: key.into(),
    }
}

fn review(in_catalogue: i64) -> FirstReview {
    FirstReview {
        facts: ReviewFacts {
            in_catalogue: Money::from_yuan(in_catalogue),
            hospital_grade: HospitalGrade::Three,
            cause: None,
            minor_blood_disease: false,
            earlier_admissions: 0,
        },
        documents_false: false,
        note: String::new(),
    }
}

/// Insulin treatment from April 2009 (M23), asked in March.
fn insulin(person: i64) -> NewApproval {
    NewApproval {
        person_id: person,
        kind: ApprovalKind::SpecialDisease,
        disease: Some(Disease::DiabetesInsulin),
        hospital: "包头市第一医院".into(),
        reason: "胰岛素治疗".into(),
        amount: None,
        emergency: false,
        care_on: day("2009-04-01"),
    }
}

/// Attaches every document the claim's kind needs.
async fn documents(db: &Db, st: &Store, l: &League, number: &str, kind: ClaimKind, seed: u8) {
    for (i, code) in claims::required_documents(kind).iter().enumerate() {
        claims::attach_document(db, st, &l.resident, number, code, png(seed + i as u8), MAX)
            .await
            .unwrap();
    }
}

/// Files, documents and reviews a claim twice; returns it decided.
#[allow(clippy::too_many_arguments)]
async fn decided(
    db: &Db,
    rules: &Rules,
    st: &Store,
    l: &League,
    c: NewClaim,
    filed_on: &str,
    in_catalogue: i64,
    decided_on: &str,
) -> claims::Claim {
    let kind = c.kind;
    let filed = claims::file(db, &l.resident, c, day(filed_on))
        .await
        .unwrap();
    documents(db, st, l, &filed.number, kind, filed.id as u8).await;
    claims::first_review(db, &l.reviewer, &filed.number, review(in_catalogue))
        .await
        .unwrap();
    claims::second_review(
        db,
        rules,
        &l.reviewer2,
        &filed.number,
        true,
        "",
        day(decided_on),
    )
    .await
    .unwrap()
}

async fn special_disease_claims_and_runs(db: Db) {
    let rules = rules();
    let st = store();
    let l = league(&db).await;
    let person = elderly(&db, &l, 1).await;
    pays(&db, &rules, &l, person, 2009, "2009-03-01 09:30").await;

    // M23: special-disease care needs the agency's approval first.
    let mut c = new_claim(
        person,
        ClaimKind::SpecialOutpatient,
        "2009-05-01",
        "2009-05-31",
        1500,
        "k1",
    );
    c.disease = Some(Disease::DiabetesInsulin);
    assert_eq!(
        fails(claims::file(&db, &l.resident, c, day("2009-06-01")).await),
        "special_disease_not_approved"
    );
    let asked =
        claims::request_approval(&db, &rules, &l.resident, insulin(person), day("2009-03-20"))
            .await
            .unwrap();
    assert_eq!(asked.status.code(), "requested");
    assert_eq!(
        fails(claims::decide_approval(&db, &l.resident, asked.id, true, "").await),
        "forbidden"
    );
    claims::decide_approval(&db, &l.reviewer, asked.id, true, "同意")
        .await
        .unwrap();
    assert_eq!(
        fails(claims::decide_approval(&db, &l.reviewer2, asked.id, false, "不同意").await),
        "already_decided"
    );

    // Filing: a bad agent ID, a month-crossing special claim, then the real one and its retry.
    let mut bad = new_claim(
        person,
        ClaimKind::SpecialOutpatient,
        "2009-05-01",
        "2009-05-31",
        1500,
        "k2",
    );
    bad.disease = Some(Disease::DiabetesInsulin);
    bad.agent.id_number = "152201198001010010".into();
    assert_eq!(
        fails(claims::file(&db, &l.resident, bad, day("2009-06-01")).await),
        "agent_id_number"
    );
    let mut crossing = new_claim(
        person,
        ClaimKind::SpecialOutpatient,
        "2009-04-20",
        "2009-05-31",
        1500,
        "k3",
    );
    crossing.disease = Some(Disease::DiabetesInsulin);
    assert_eq!(
        fails(claims::file(&db, &l.resident, crossing, day("2009-06-01")).await),
        "special_claim_one_month"
    );
    let claim_of = |key: &str, from: &str, to: &str, billed: i64| {
        let mut c = new_claim(person, ClaimKind::SpecialOutpatient, from, to, billed, key);
        c.disease = Some(Disease::DiabetesInsulin);
        c
    };
    let first = claims::file(
        &db,
        &l.resident,
        claim_of("k4", "2009-05-01", "2009-05-31", 1500),
        day("2009-06-01"),
    )
    .await
    .unwrap();
    assert_eq!(
        (first.number.as_str(), first.status.code()),
        ("2009-BX-000001", "filed")
    );
    let again = claims::file(
        &db,
        &l.resident,
        claim_of("k4", "2009-05-01", "2009-05-31", 1500),
        day("2009-06-01"),
    )
    .await
    .unwrap();
    assert_eq!(again.id, first.id, "the same form again is the same claim");
    assert_eq!(
        fails(
            claims::file(
                &db,
                &l.office,
                claim_of("k5", "2009-05-01", "2009-05-31", 1500),
                day("2009-06-01")
            )
            .await
        ),
        "forbidden",
        "the office does not file for the resident"
    );

    // The estimate before review: all of the bill at 60 %, no deductible.
    let est = claims::estimate(&db, &rules, &first).await.unwrap();
    assert_eq!(est.payout, Money::from_yuan(900));
    assert!(est.explanation.cites("B4"));

    // Documents: checked by content; a retry adds nothing; a missing kind blocks review.
    assert_eq!(
        fails(
            claims::attach_document(
                &db,
                &st,
                &l.resident,
                &first.number,
                "receipt",
                b"not an image".to_vec(),
                MAX
            )
            .await
        ),
        "document_type"
    );
    let (doc, fresh) =
        claims::attach_document(&db, &st, &l.resident, &first.number, "receipt", png(1), MAX)
            .await
            .unwrap();
    assert!(fresh);
    let (same, fresh) =
        claims::attach_document(&db, &st, &l.resident, &first.number, "receipt", png(1), MAX)
            .await
            .unwrap();
    assert_eq!(
        (same.id, fresh),
        (doc.id, false),
        "a retried upload is the same document"
    );
    assert!(
        claims::has_document(&db, &l.resident, &first.number, &doc.sha256, None)
            .await
            .unwrap()
    );
    assert_eq!(
        fails(claims::first_review(&db, &l.reviewer, &first.number, review(1200)).await),
        "documents_missing"
    );
    claims::attach_document(
        &db,
        &st,
        &l.resident,
        &first.number,
        "prescription",
        jpeg(2),
        MAX,
    )
    .await
    .unwrap();
    // Who opens a claim's documents: the household and the agency, not the office.
    assert!(db::documents::open(&db, &st, &l.resident, &doc.sha256)
        .await
        .is_ok());
    assert!(db::documents::open(&db, &st, &l.reviewer, &doc.sha256)
        .await
        .is_ok());
    assert_eq!(
        fails(db::documents::open(&db, &st, &l.office, &doc.sha256).await),
        "forbidden"
    );

    // Two reviews by two people.
    assert_eq!(
        fails(claims::first_review(&db, &l.reviewer, &first.number, review(1600)).await),
        "in_catalogue",
        "more in the catalogue than was billed"
    );
    let (queue, total) = claims::review_queue(&db, &l.reviewer, Stage::First, 0)
        .await
        .unwrap();
    assert_eq!((queue.len(), total), (1, 1));
    let (after, total) = claims::review_queue(&db, &l.reviewer, Stage::First, queue[0].id)
        .await
        .unwrap();
    assert_eq!(
        (after.len(), total),
        (0, 1),
        "the page after the last claim is empty"
    );
    assert_eq!(
        fails(claims::review_queue(&db, &l.office, Stage::First, 0).await),
        "forbidden"
    );
    claims::first_review(&db, &l.reviewer, &first.number, review(1200))
        .await
        .unwrap();
    assert_eq!(
        fails(
            claims::second_review(
                &db,
                &rules,
                &l.reviewer,
                &first.number,
                true,
                "",
                day("2009-06-02")
            )
            .await
        ),
        "same_reviewer"
    );
    assert_eq!(
        fails(
            claims::attach_document(&db, &st, &l.resident, &first.number, "receipt", png(9), MAX)
                .await
        ),
        "claim_under_review"
    );
    let decided1 = claims::second_review(
        &db,
        &rules,
        &l.reviewer2,
        &first.number,
        true,
        "",
        day("2009-06-02"),
    )
    .await
    .unwrap();
    assert_eq!(decided1.status.code(), "approved");
    assert_eq!(decided1.payout_fen, Some(72_000), "1200 × 60 %");
    assert_eq!(decided1.run_window_start, Some(day("2009-06-05")));
    // A stored date that is not one is refused at the row, not shown.
    let set_decided_on = |on: String| {
        sqlx::query("UPDATE claims SET decided_on = $1 WHERE id = $2")
            .bind(on)
            .bind(decided1.id)
            .execute(&db.pool)
    };
    set_decided_on("2nd June".into()).await.unwrap();
    assert!(matches!(
        claims::get(&db, &l.resident, &decided1.number).await,
        Err(Error::Database(sqlx::Error::Decode(_)))
    ));
    set_decided_on("2009-06-02".into()).await.unwrap();
    assert_eq!(
        claims::get(&db, &l.resident, &decided1.number)
            .await
            .unwrap()
            .decided_on,
        Some(day("2009-06-02"))
    );
    let facts = decided1.facts().unwrap();
    assert_eq!((facts.continuous_years, facts.covered), (1, true));

    // A second month: the 2,000 sub-limit for insulin diabetes leaves 1,280.
    let second = decided(
        &db,
        &rules,
        &st,
        &l,
        claim_of("k6", "2009-06-01", "2009-06-30", 4000),
        "2009-07-01",
        3000,
        "2009-07-01",
    )
    .await;
    assert_eq!(second.payout_fen, Some(128_000));
    assert_eq!(
        second.facts().unwrap().paid_ytd_sublimit,
        Money::from_yuan(720)
    );
    assert!(second.explanation().cites("B8"));

    // The enquiry page's "claims against each cap": the office of the
    // household sees the year's two decided claims used 2,000 of the
    // sub-limit (none left) and of the general cap.
    let year = claims::claims_in_year(&db, &rules, &l.office, person, 2009, 1)
        .await
        .unwrap();
    assert_eq!(year.claims.len(), 2);
    assert_eq!(year.claims[0].number, first.number);
    let [general, sub, student] = &year.caps;
    assert_eq!(general.used, Money::from_yuan(2000));
    assert_eq!(general.left, general.cap - Money::from_yuan(2000));
    assert_eq!(
        (sub.used, sub.left),
        (Money::from_yuan(2000), Money::zero())
    );
    assert_eq!(student.used, Money::zero());
    let other_year = claims::claims_in_year(&db, &rules, &l.agency, person, 2010, 1)
        .await
        .unwrap();
    assert!(other_year.claims.is_empty());
    assert_eq!(other_year.caps[0].used, Money::zero());

    // Runs: the June window holds the first; the second waits for July's.
    let waiting = db::payment_runs::waiting(&db, &l.agency).await.unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!(
        fails(db::payment_runs::waiting(&db, &l.reviewer).await),
        "forbidden"
    );
    let run = db::payment_runs::prepare(
        &db,
        &rules,
        &l.agency,
        RunKind::SpecialOutpatient,
        day("2009-06-05"),
    )
    .await
    .unwrap();
    assert_eq!(
        (run.number.as_str(), run.claims, run.total_fen),
        ("2009-ZF-000001", 1, 72_000)
    );
    assert_eq!(
        fails(db::payment_runs::bank_file(&db, &l.agency, &run.number).await),
        "run_not_released"
    );
    assert_eq!(
        fails(db::payment_runs::release(&db, &l.agency, &run.number, day("2009-06-05")).await),
        "same_person"
    );
    // Not before its window opens (B19), whoever releases.
    assert_eq!(
        fails(db::payment_runs::release(&db, &l.agency2, &run.number, day("2009-06-04")).await),
        "run_window_not_open"
    );
    // Who brings a run up to date becomes its preparer: then they may not
    // release it, and the first preparer may.
    let redone = db::payment_runs::prepare(
        &db,
        &rules,
        &l.agency2,
        RunKind::SpecialOutpatient,
        day("2009-06-05"),
    )
    .await
    .unwrap();
    assert_eq!(
        (redone.number.as_str(), redone.prepared_by),
        ("2009-ZF-000001", l.agency2.user_id)
    );
    assert_eq!(
        fails(db::payment_runs::release(&db, &l.agency2, &run.number, day("2009-06-05")).await),
        "same_person"
    );
    db::payment_runs::prepare(
        &db,
        &rules,
        &l.agency,
        RunKind::SpecialOutpatient,
        day("2009-06-05"),
    )
    .await
    .unwrap();
    let released = db::payment_runs::release(&db, &l.agency2, &run.number, day("2009-06-05"))
        .await
        .unwrap();
    assert!(released.released_at.is_some());
    let paid = claims::get(&db, &l.resident, &first.number).await.unwrap();
    assert_eq!(
        (paid.status.code(), paid.payment_run_number.as_deref()),
        ("paid", Some("2009-ZF-000001"))
    );
    let steps: Vec<String> = claims::events(&db, paid.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.step)
        .collect();
    assert_eq!(steps, ["filed", "first_review", "approved", "paid"]);
    let csv = db::payment_runs::bank_file(&db, &l.agency, &run.number)
        .await
        .unwrap();
    assert_eq!(
        csv,
        "\u{feff}account,name,amount,claim_number\r\n6222020200112233445,王强,720.00,2009-BX-000001\r\n"
    );
    assert_eq!(
        fails(
            db::payment_runs::prepare(
                &db,
                &rules,
                &l.agency,
                RunKind::SpecialOutpatient,
                day("2009-06-05")
            )
            .await
        ),
        "run_released"
    );
    let july = db::payment_runs::prepare(
        &db,
        &rules,
        &l.agency2,
        RunKind::SpecialOutpatient,
        day("2009-07-06"),
    )
    .await
    .unwrap();
    assert_eq!((july.claims, july.total_fen), (1, 128_000));
    let prev = db::payment_runs::previous(&db, &july)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(prev.number, run.number, "compared against last month's run");

    recompute_all(&db, &rules).await;
}

async fn emergencies_interruptions_and_fraud(db: Db) {
    let rules = rules();
    let st = store();
    let l = league(&db).await;
    let person = elderly(&db, &l, 2).await;
    pays(&db, &rules, &l, person, 2009, "2009-03-01 09:30").await;
    pays(&db, &rules, &l, person, 2010, "2010-02-01 09:30").await;
    let lapsed = elderly(&db, &l, 3).await;
    pays(&db, &rules, &l, lapsed, 2009, "2009-03-01 09:30").await;

    // M22: reported within 3 days, or refused with the reason (and nothing stored).
    let report = |on: &str| NewEmergencyReport {
        person_id: person,
        kind: ClaimKind::OutpatientEmergency,
        occurred_on: day(on),
        hospital: "包头市第一医院".into(),
        note: String::new(),
    };
    assert_eq!(
        claims::report_by(&rules, day("2009-05-01")).unwrap(),
        day("2009-05-04")
    );
    assert_eq!(
        fails(
            claims::report_emergency(
                &db,
                &rules,
                &l.resident,
                report("2009-05-01"),
                day("2009-05-05")
            )
            .await
        ),
        "emergency_report_late"
    );
    let r = claims::report_emergency(
        &db,
        &rules,
        &l.resident,
        report("2009-05-01"),
        day("2009-05-03"),
    )
    .await
    .unwrap();
    assert_eq!(r.days_after, 2);
    assert_eq!(
        claims::household_reports(&db, &l.resident)
            .await
            .unwrap()
            .len(),
        1
    );

    // The reported emergency: grade-3 base deductible 400, then 55 %.
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            person,
            ClaimKind::OutpatientEmergency,
            "2009-05-01",
            "2009-05-01",
            2000,
            "e1",
        ),
        "2009-05-10",
        1400,
        "2009-05-20",
    )
    .await;
    assert_eq!(c.payout_fen, Some(55_000), "(1400 − 400) × 55 %");
    assert_eq!(c.facts().unwrap().filed_within_days, Some(2));
    // An unreported one pays nothing and says why.
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            person,
            ClaimKind::OutpatientEmergency,
            "2009-05-12",
            "2009-05-12",
            2000,
            "e2",
        ),
        "2009-05-20",
        1400,
        "2009-05-21",
    )
    .await;
    assert_eq!(
        (c.status.code(), c.reason.as_deref(), c.payout_fen),
        ("refused", Some("emergency_not_filed"), Some(0))
    );
    assert!(c.explanation().cites("M22"));

    // A transfer without approval pays nothing (M18); with it, the second admission's deductible.
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            person,
            ClaimKind::Transfer,
            "2009-06-01",
            "2009-06-10",
            10_000,
            "t1",
        ),
        "2009-06-20",
        8000,
        "2009-06-21",
    )
    .await;
    assert_eq!(c.reason.as_deref(), Some("transfer_not_approved"));
    let approval = claims::request_approval(
        &db,
        &rules,
        &l.resident,
        NewApproval {
            person_id: person,
            kind: ApprovalKind::Transfer,
            disease: None,
            hospital: "北京协和医院".into(),
            reason: "转院".into(),
            amount: None,
            emergency: true,
            care_on: day("2009-07-01"),
        },
        day("2009-07-03"),
    )
    .await
    .unwrap();
    assert_eq!(
        fails(
            claims::request_approval(
                &db,
                &rules,
                &l.resident,
                NewApproval {
                    person_id: person,
                    kind: ApprovalKind::Transfer,
                    disease: None,
                    hospital: "北京协和医院".into(),
                    reason: "转院".into(),
                    amount: None,
                    emergency: true,
                    care_on: day("2009-07-01"),
                },
                day("2009-07-05")
            )
            .await
        ),
        "approval_late",
        "M19: an emergency transfer is approved within 3 days"
    );
    claims::decide_approval(&db, &l.reviewer, approval.id, true, "")
        .await
        .unwrap();
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            person,
            ClaimKind::Transfer,
            "2009-07-01",
            "2009-07-10",
            10_000,
            "t2",
        ),
        "2009-07-20",
        8000,
        "2009-07-21",
    )
    .await;
    // The refused transfer does not count as an admission; this is the first: (8000 − 400) × 55 %.
    assert_eq!(c.payout_fen, Some(418_000));
    assert_eq!(c.facts().unwrap().admission_ordinal.get(), 1);

    // Care during an interruption (no 2010 premium) pays nothing and says why.
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            lapsed,
            ClaimKind::Transfer,
            "2010-06-10",
            "2010-06-20",
            5000,
            "i1",
        ),
        "2010-06-25",
        4000,
        "2010-06-26",
    )
    .await;
    assert_eq!(
        (c.status.code(), c.reason.as_deref(), c.payout_fen),
        ("refused", Some("not_covered"), Some(0))
    );
    assert!(c.explanation().cites("E8"));

    // M29: false documents at review refuse the whole claim and suspend for 12 months.
    let filed = claims::file(
        &db,
        &l.resident,
        new_claim(
            person,
            ClaimKind::Transfer,
            "2009-07-01",
            "2009-07-10",
            3000,
            "f1",
        ),
        day("2009-08-01"),
    )
    .await
    .unwrap();
    let false_documents = |note: &str| FirstReview {
        documents_false: true,
        note: note.into(),
        ..review(2000)
    };
    assert_eq!(
        fails(claims::first_review(&db, &l.reviewer, &filed.number, false_documents("")).await),
        "reason_required"
    );
    claims::first_review(
        &db,
        &l.reviewer,
        &filed.number,
        false_documents("收据系伪造"),
    )
    .await
    .unwrap();
    let refused = claims::second_review(
        &db,
        &rules,
        &l.reviewer2,
        &filed.number,
        true,
        "",
        day("2009-08-03"),
    )
    .await
    .unwrap();
    assert_eq!(
        (refused.status.code(), refused.reason.as_deref()),
        ("refused", Some("documents_false"))
    );
    assert!(claims::suspended_on(&db.pool, person, day("2010-08-02"))
        .await
        .unwrap());
    assert!(!claims::suspended_on(&db.pool, person, day("2010-08-03"))
        .await
        .unwrap());
    // Nor are the claims approved before: a run held out while suspended.
    let waiting = db::payment_runs::waiting(&db, &l.agency).await.unwrap();
    assert_eq!(waiting.iter().map(|w| w.claims).sum::<i64>(), 2);
    let run = db::payment_runs::prepare(&db, &rules, &l.agency, RunKind::Others, day("2009-08-07"))
        .await
        .unwrap();
    assert_eq!((run.claims, run.total_fen), (0, 0));
    assert_eq!(
        db::payment_runs::waiting(&db, &l.agency).await.unwrap(),
        waiting
    );
    // A suspended resident's care is not paid.
    let c = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            person,
            ClaimKind::Transfer,
            "2009-09-01",
            "2009-09-05",
            3000,
            "f2",
        ),
        "2009-09-10",
        2000,
        "2009-09-11",
    )
    .await;
    assert_eq!(c.reason.as_deref(), Some("not_covered"));

    // Sent back: the second reviewer returns the claim to the first review.
    let filed = claims::file(
        &db,
        &l.resident,
        new_claim(
            person,
            ClaimKind::Transfer,
            "2009-07-01",
            "2009-07-02",
            900,
            "s1",
        ),
        day("2009-08-01"),
    )
    .await
    .unwrap();
    documents(&db, &st, &l, &filed.number, ClaimKind::Transfer, 77).await;
    claims::first_review(&db, &l.reviewer, &filed.number, review(800))
        .await
        .unwrap();
    assert_eq!(
        fails(
            claims::second_review(
                &db,
                &rules,
                &l.reviewer2,
                &filed.number,
                false,
                "",
                day("2009-08-02")
            )
            .await
        ),
        "reason_required"
    );
    let back = claims::second_review(
        &db,
        &rules,
        &l.reviewer2,
        &filed.number,
        false,
        "清单不清晰",
        day("2009-08-02"),
    )
    .await
    .unwrap();
    assert_eq!((back.status.code(), back.first_reviewer), ("filed", None));

    // Every decision here recomputes from its stored facts; and the audit chain holds.
    recompute_all(&db, &rules).await;
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}

/// The agency's statistics of 2009 over a paid premium, an unpaid one and
/// one waiting for review; a claim paid in a run and a refused one; a
/// second county that sees none of it.
async fn statistics_of_a_year(db: Db) {
    let rules = rules();
    let st = store();
    let l = league(&db).await;
    let paid = elderly(&db, &l, 1).await;
    pays(&db, &rules, &l, paid, 2009, "2009-03-01 09:30").await;
    let unpaid = elderly(&db, &l, 2).await;
    approved_notice(&db, &rules, &l, unpaid, 2009).await;
    let waiting = elderly(&db, &l, 3).await;
    let e = db::enrolment::register(&db, &rules, &l.office, waiting, 2009)
        .await
        .unwrap();
    db::enrolment::submit(&db, &l.office, e).await.unwrap();

    let asked =
        claims::request_approval(&db, &rules, &l.resident, insulin(paid), day("2009-03-20"))
            .await
            .unwrap();
    claims::decide_approval(&db, &l.reviewer, asked.id, true, "")
        .await
        .unwrap();
    let mut c = new_claim(
        paid,
        ClaimKind::SpecialOutpatient,
        "2009-05-01",
        "2009-05-31",
        1500,
        "s1",
    );
    c.disease = Some(Disease::DiabetesInsulin);
    let special = decided(&db, &rules, &st, &l, c, "2009-06-01", 1200, "2009-06-02").await;
    assert_eq!(special.payout_fen, Some(72_000));
    let run = db::payment_runs::prepare(
        &db,
        &rules,
        &l.agency,
        RunKind::SpecialOutpatient,
        day("2009-06-05"),
    )
    .await
    .unwrap();
    db::payment_runs::release(&db, &l.agency2, &run.number, run.window_start)
        .await
        .unwrap();
    let transfer = decided(
        &db,
        &rules,
        &st,
        &l,
        new_claim(
            paid,
            ClaimKind::Transfer,
            "2009-06-01",
            "2009-06-10",
            10_000,
            "s2",
        ),
        "2009-06-20",
        8000,
        "2009-06-21",
    )
    .await;
    assert_eq!(transfer.reason.as_deref(), Some("transfer_not_approved"));
    // Care that ended in 2010 counts in 2010, not here.
    claims::file(
        &db,
        &l.resident,
        new_claim(
            paid,
            ClaimKind::Transfer,
            "2009-12-28",
            "2010-01-05",
            900,
            "s3",
        ),
        day("2010-01-06"),
    )
    .await
    .unwrap();

    let s = db::statistics::year(&db, &l.reviewer, 2009).await.unwrap();
    assert_eq!(s.counties.len(), 1, "a county agency sees its county");
    let county = &s.counties[0];
    assert_eq!(county.county_code, "152201");
    assert_eq!(county.name_zh, "机构CA");
    assert_eq!(
        (county.enrolled, county.awaiting_review, county.unpaid),
        (2, 1, 1)
    );
    assert_eq!(
        county.personal_fen,
        2 * 13_000,
        "two approved adult shares of 130.00"
    );
    let totals: Vec<i64> = sqlx::query_scalar(
        "SELECT total_fen FROM enrolments WHERE status = 'approved' AND policy_year = 2009",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(county.subsidy_fen, totals.iter().sum::<i64>() - 2 * 13_000);
    assert!(county.subsidy_fen > 0);
    assert_eq!(
        (
            county.paid,
            county.paid_fen,
            county.paid_online_fen,
            county.back_payments
        ),
        (1, 13_000, 0, 0),
        "one premium, in cash"
    );
    assert_eq!(
        (county.claims, county.payout_fen, county.paid_out_fen),
        (2, 72_000, 72_000)
    );
    let total = db::statistics::CountyFigures {
        county_code: String::new(),
        name_zh: String::new(),
        name_en: String::new(),
        ..county.clone()
    };
    assert_eq!(s.total, total, "one county: the total is its line");
    assert_eq!(s.tiers.len(), 1);
    assert_eq!(
        (
            s.tiers[0].category.as_str(),
            s.tiers[0].tier.as_str(),
            s.tiers[0].enrolled
        ),
        ("elderly", "adult_standard", 2)
    );
    let kinds: Vec<(&str, i64, i64, i64, i64)> = s
        .claim_kinds
        .iter()
        .map(|k| (k.kind.as_str(), k.filed, k.refused, k.paid, k.paid_out_fen))
        .collect();
    assert_eq!(
        kinds,
        [
            ("special_outpatient", 1, 0, 1, 72_000),
            ("transfer", 1, 1, 0, 0)
        ]
    );
    assert_eq!(s.claim_kinds[1].billed_fen, 1_000_000);
    assert_eq!(s.refusals, [("transfer_not_approved".to_string(), 1)]);

    let in_2010 = db::statistics::year(&db, &l.agency, 2010).await.unwrap();
    assert_eq!(in_2010.total.claims, 1);
    assert_eq!(in_2010.claim_kinds[0].in_review, 1);
    assert_eq!(in_2010.total.enrolled, 0);

    // The league sees every county, the same figures for this one.
    let league_view = db::statistics::year(&db, &l.agency, 2009).await.unwrap();
    assert_eq!(league_view.counties.first(), Some(county));
    let csv = db::statistics::county_csv(&league_view);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\r\n2009,152201,机构CA,2,1,260.00,"), "{csv}");
    assert!(
        csv.contains(",1,130.00,0.00,0,1,2,720.00,720.00\r\n"),
        "{csv}"
    );

    // Another county's agency sees its own, empty, county only.
    db::orgs::create(
        &db,
        By::System("test"),
        &OrgUnit {
            code: "CB".into(),
            kind: "county_agency".into(),
            name_zh: "机构CB".into(),
            name_en: "Org CB".into(),
            county_code: Some("152202".into()),
        },
    )
    .await
    .unwrap();
    db::accounts::create_user(
        &db,
        By::System("test"),
        NewUser {
            username: "rev_c".into(),
            display_name: "rev_c".into(),
            password: PW.into(),
            role: Role::AgencyReviewer,
            org_code: Some("CB".into()),
            household_id: None,
        },
    )
    .await
    .unwrap();
    let other = db::statistics::year(&db, &actor(&db, "rev_c").await, 2009)
        .await
        .unwrap();
    assert_eq!(other.counties.len(), 1);
    assert_eq!(other.counties[0].county_code, "152202");
    assert_eq!(other.total, db::statistics::CountyFigures::default());
    assert!(other.claim_kinds.is_empty() && other.tiers.is_empty());
    let league_view = db::statistics::year(&db, &l.agency, 2009).await.unwrap();
    assert_eq!(league_view.counties.len(), 2);

    for who in [&l.resident, &l.office] {
        assert_eq!(
            fails(db::statistics::year(&db, who, 2009).await),
            "forbidden"
        );
    }
}

/// Twelve second reviews at once, more than the SQLite pool has
/// connections: each decides inside its own write transaction and reads
/// the facts through that transaction, so none waits for a connection held
/// by a writer that waits for it ("database is locked" after 10 s).
async fn second_reviews_at_once(db: Db) {
    let rules = Arc::new(rules());
    let st = store();
    let l = Arc::new(league(&db).await);
    let mut numbers = Vec::new();
    for n in 1..=12u8 {
        let person = elderly(&db, &l, u32::from(n)).await;
        pays(&db, &rules, &l, person, 2009, "2009-03-01 09:30").await;
        let c = new_claim(
            person,
            ClaimKind::Transfer,
            "2009-06-01",
            "2009-06-10",
            3000,
            &format!("at-once-{n}"),
        );
        let filed = claims::file(&db, &l.resident, c, day("2009-06-20"))
            .await
            .unwrap();
        documents(&db, &st, &l, &filed.number, ClaimKind::Transfer, n * 8).await;
        claims::first_review(&db, &l.reviewer, &filed.number, review(2000))
            .await
            .unwrap();
        numbers.push(filed.number);
    }
    let reviews = numbers.into_iter().map(|number| {
        let (db, rules, l) = (db.clone(), rules.clone(), l.clone());
        tokio::spawn(async move {
            claims::second_review(
                &db,
                &rules,
                &l.reviewer2,
                &number,
                true,
                "",
                day("2009-06-25"),
            )
            .await
        })
    });
    for done in futures_join(reviews).await {
        let claim = done.unwrap().unwrap();
        assert!(claim.payout_fen.is_some(), "{} decided", claim.number);
    }
}

async fn futures_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await);
    }
    out
}

/// For every decided claim, the policy engine over its stored facts gives its stored payout.
async fn recompute_all(db: &Db, rules: &Rules) {
    let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT number, care_to, facts_json, payout_fen FROM claims WHERE payout_fen IS NOT NULL",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(!rows.is_empty());
    for (number, care_to, facts, payout) in rows {
        let Some(facts) = facts else { continue };
        let facts: policy::benefit::ClaimFacts = serde_json::from_str(&facts).unwrap();
        let year: i32 = care_to[..4].parse().unwrap();
        let again = policy::benefit::decide(rules.year(year).unwrap(), &facts);
        assert_eq!(again.payout.fen(), payout, "claim {number}");
    }
}

both!(special_disease, special_disease_claims_and_runs);
both!(emergencies_and_fraud, emergencies_interruptions_and_fraud);
both!(statistics, statistics_of_a_year);
both!(reviews_at_once, second_reviews_at_once);
