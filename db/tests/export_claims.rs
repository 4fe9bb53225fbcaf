//! The export's claim and payment-run lines (EXPORT.md) on both engines:
//! after the persons, enrolments and payments, in creation order; money in
//! yuan with two decimals; the stored facts from which the payout
//! recomputes; the documents by hash; the reviewers and the run by name.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use std::sync::Arc;

use common::id;
use common::league::{day, elderly, league, pays, rules};
use db::claims::{self, FilingAgent, FirstReview, NewClaim, ReviewFacts};
use db::documents::{LocalFolder, Store};
use db::Db;
use policy::benefit::{ClaimKind, HospitalGrade};
use policy::money::Money;
use policy::payment_run::RunKind;
use serde_json::Value;

fn png(n: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend(std::iter::repeat_n(n, 64));
    b
}

fn claim(person: i64, from: &str, to: &str, key: &str) -> NewClaim {
    NewClaim {
        person_id: person,
        kind: ClaimKind::Transfer,
        care_from: day(from),
        care_to: day(to),
        hospital: "包头市第一医院".into(),
        hospital_grade: HospitalGrade::Three,
        billed: Money::from_yuan(12_000),
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

fn lines(bytes: Vec<u8>) -> Vec<Value> {
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn export_claims(db: Db) {
    let rules = rules();
    let dir = std::env::temp_dir().join(format!(
        "export_claims_{}_{:?}",
        std::process::id(),
        db.backend
    ));
    let st: Store = Arc::new(LocalFolder::new(dir));
    let l = league(&db).await;
    let person = elderly(&db, &l, 1).await;
    pays(&db, &rules, &l, person, 2009, "2009-03-01 09:30").await;

    // A transfer without approval (refused), then one paid in a run, then one only filed.
    let mut numbers = Vec::new();
    for (from, to, key) in [
        ("2009-05-02", "2009-05-20", "a"),
        ("2009-06-02", "2009-06-20", "b"),
        ("2009-07-02", "2009-07-20", "c"),
    ] {
        let c = claims::file(
            &db,
            &l.resident,
            claim(person, from, to, key),
            day("2009-08-01"),
        )
        .await
        .unwrap();
        for (i, kind) in claims::required_documents(ClaimKind::Transfer)
            .iter()
            .enumerate()
        {
            claims::attach_document(
                &db,
                &st,
                &l.resident,
                &c.number,
                kind,
                png(i as u8),
                1 << 20,
            )
            .await
            .unwrap();
        }
        numbers.push(c.number);
    }
    let approval = claims::request_approval(
        &db,
        &rules,
        &l.resident,
        claims::NewApproval {
            person_id: person,
            kind: claims::ApprovalKind::Transfer,
            disease: None,
            hospital: "北京协和医院".into(),
            reason: "转院".into(),
            amount: None,
            emergency: true,
            care_on: day("2009-06-02"),
        },
        day("2009-06-03"),
    )
    .await
    .unwrap()
    .id;
    claims::decide_approval(&db, &l.reviewer, approval, true, "")
        .await
        .unwrap();
    for number in &numbers[..2] {
        claims::first_review(
            &db,
            &l.reviewer,
            number,
            FirstReview {
                facts: ReviewFacts {
                    in_catalogue: Money::from_yuan(9800),
                    hospital_grade: HospitalGrade::Three,
                    cause: None,
                    minor_blood_disease: false,
                    earlier_admissions: 0,
                },
                documents_false: false,
                note: String::new(),
            },
        )
        .await
        .unwrap();
        claims::second_review(
            &db,
            &rules,
            &l.reviewer2,
            number,
            true,
            "",
            day("2009-08-10"),
        )
        .await
        .unwrap();
    }
    let run = db::payment_runs::prepare(&db, &rules, &l.agency, RunKind::Others, day("2009-09-07"))
        .await
        .unwrap();
    db::payment_runs::release(&db, &l.agency2, &run.number, run.window_start)
        .await
        .unwrap();

    let mut all = Vec::new();
    let n = db::export::write(&db, None, None, &mut all).await.unwrap();
    let all = lines(all);
    assert_eq!(n as usize, all.len());
    let mut kinds: Vec<&str> = all.iter().map(|l| l["type"].as_str().unwrap()).collect();
    kinds.dedup();
    assert_eq!(
        kinds,
        ["person", "enrolment", "payment", "claim", "payment_run"]
    );
    let claims: Vec<&Value> = all.iter().filter(|l| l["type"] == "claim").collect();
    let found: Vec<&str> = claims
        .iter()
        .map(|c| c["claim_number"].as_str().unwrap())
        .collect();
    assert_eq!(found, numbers, "by creation");

    let refused = claims[0];
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["reason"], "transfer_not_approved");
    assert_eq!(refused["payout"], "0.00");
    assert_eq!(refused["payment_run"], Value::Null);

    let paid = claims[1];
    assert_eq!(paid["kind"], "transfer");
    assert_eq!(paid["id_number"], all[0]["id_number"]);
    assert_eq!(
        (paid["care_from"].as_str(), paid["care_to"].as_str()),
        (Some("2009-06-02"), Some("2009-06-20"))
    );
    assert_eq!(paid["status"], "paid");
    // (9800 − 400) × 55 %
    assert_eq!(paid["payout"], "5170.00");
    assert_eq!(paid["reason"], Value::Null);
    assert_eq!(paid["first_reviewer"], "rev_a");
    assert_eq!(paid["second_reviewer"], "rev_b");
    assert_eq!(paid["payment_run"], run.number.as_str());
    assert!(paid["filed_at"].as_str().unwrap().ends_with("+08:00"));
    assert!(paid["facts"].is_object());
    // The auditor's check: the facts alone give the payout.
    let facts: policy::benefit::ClaimFacts = serde_json::from_value(paid["facts"].clone()).unwrap();
    let again = policy::benefit::decide(rules.year(2009).unwrap(), &facts);
    assert_eq!(again.payout.to_string(), paid["payout"].as_str().unwrap());
    let docs = paid["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[0]["kind"], "receipt");
    assert_eq!(
        docs[0]["sha256"].as_str().unwrap(),
        db::documents::sha256_hex(&png(0))
    );

    let filed = claims[2];
    assert_eq!(filed["status"], "filed");
    assert_eq!(
        (&filed["facts"], &filed["payout"], &filed["first_reviewer"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );

    let runs: Vec<&Value> = all.iter().filter(|l| l["type"] == "payment_run").collect();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["number"], run.number.as_str());
    assert_eq!(runs[0]["kind"], "others");
    assert_eq!(runs[0]["window_start"], "2009-09-07");
    assert_eq!(runs[0]["claims"], serde_json::json!([numbers[1]]));
    assert_eq!(runs[0]["total"], "5170.00");
    assert_eq!(
        (
            runs[0]["prepared_by"].as_str(),
            runs[0]["released_by"].as_str()
        ),
        (Some("adm_l"), Some("adm_m"))
    );
    assert!(runs[0]["released_at"].as_str().unwrap().ends_with("+08:00"));

    // The year is the year the care ended in; the county is the claim's.
    let mut other_year = Vec::new();
    db::export::write(&db, Some(2010), None, &mut other_year)
        .await
        .unwrap();
    assert!(lines(other_year)
        .iter()
        .all(|l| l["type"] != "claim" && l["type"] != "payment_run"));
    let mut other_county = Vec::new();
    db::export::write(&db, None, Some("152222"), &mut other_county)
        .await
        .unwrap();
    assert!(lines(other_county)
        .iter()
        .all(|l| l["type"] != "claim" && l["type"] != "payment_run"));
    let mut this_year = Vec::new();
    db::export::write(&db, Some(2009), Some("152201"), &mut this_year)
        .await
        .unwrap();
    let this_year = lines(this_year);
    assert_eq!(this_year.iter().filter(|l| l["type"] == "claim").count(), 3);
    assert_eq!(
        this_year
            .iter()
            .filter(|l| l["type"] == "payment_run")
            .count(),
        1
    );
}

both!(export_claims_story, export_claims);
