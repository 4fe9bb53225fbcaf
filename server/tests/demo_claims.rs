//! The demo's claims: every stored payout is what the policy engine gives
//! over the stored facts, and the demo shows every kind and every state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::Datelike;
use db::documents::{LocalFolder, Store};
use server::demo::{seed_with_store, Scale};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_payout_recomputes_from_its_facts() {
    let dir = std::env::temp_dir().join(format!("portal_demo_claims_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    let db = db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let store: Store = Arc::new(LocalFolder::new(dir.join("files")));
    let started = std::time::Instant::now();
    seed_with_store(&db, Scale::Sample, &store).await.unwrap();
    eprintln!(
        "sampled demo seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let rules = db::policy_years::load(&db).await.unwrap();

    // number, kind, status, care_to, facts_json, payout_fen
    type Row = (String, String, String, String, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT number, kind, status, care_to, facts_json, payout_fen FROM claims ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut recomputed = 0;
    for (number, _, status, care_to, facts, payout) in &rows {
        let Some(payout) = payout else { continue };
        // A claim refused for false documents has no facts: nothing was decided on them.
        let Some(facts) = facts else {
            assert_eq!((status.as_str(), *payout), ("refused", 0), "{number}");
            continue;
        };
        let facts: policy::benefit::ClaimFacts = serde_json::from_str(facts).unwrap();
        let year: i32 = care_to[..4].parse().unwrap();
        let again = policy::benefit::decide(rules.year(year).unwrap(), &facts);
        assert_eq!(again.payout.fen(), *payout, "claim {number}");
        recomputed += 1;
    }
    assert!(recomputed >= 8, "{recomputed} payouts recomputed");
    let paid_out: i64 = rows
        .iter()
        .filter(|r| r.2 == "paid")
        .filter_map(|r| r.5)
        .sum();
    assert!(paid_out > 0);

    for kind in db::claims::FILED_KINDS {
        assert!(
            rows.iter().any(|r| r.1 == kind.code()),
            "no {} claim",
            kind.code()
        );
    }
    for status in ["filed", "second_review", "approved", "refused", "paid"] {
        assert!(rows.iter().any(|r| r.2 == status), "no {status} claim");
    }
    let reasons: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM claims WHERE status = 'refused' ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    for reason in [
        "not_covered",
        "emergency_not_filed",
        "transfer_not_approved",
        "documents_false",
    ] {
        assert!(
            reasons.iter().any(|r| r == reason),
            "no claim refused for {reason}"
        );
    }
    // False documents suspended the resident (M29).
    let suspensions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suspensions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(suspensions, 1);
    // Every run was released by someone other than who prepared it.
    let runs: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT prepared_by, released_by FROM payment_runs")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert!(!runs.is_empty());
    assert!(runs.iter().all(|(p, r)| r.is_some_and(|r| r != *p)));
    // Approvals in each state, and emergency reports.
    for status in ["requested", "approved", "refused"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM prior_approvals WHERE status = $1")
            .bind(status)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(n > 0, "no {status} approval");
    }
    let reports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM emergency_reports")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(reports >= 4);

    // 王秀兰 (resident1): her insulin treatment approved from 2026-03-15, and
    // no claim of hers with care in 2026, which the end-to-end test files.
    let wang = db::accounts::login(&db, "resident1", server::demo::DEMO_PASSWORD, "127.0.0.1")
        .await
        .unwrap();
    let db::accounts::LoginOutcome::Ok(wang) = wang else {
        panic!("resident1 cannot log in")
    };
    let approvals = db::claims::household_approvals(&db, &wang).await.unwrap();
    assert!(approvals.iter().any(|a| a.person_name == "王秀兰"
        && a.kind == "special_disease"
        && a.disease.as_deref() == Some("diabetes_insulin")
        && a.status.code() == "approved"
        && a.requested_on.to_string() == "2026-03-15"
        && a.care_on.to_string() == "2026-03-15"));
    assert!(db::claims::household_claims(&db, &wang)
        .await
        .unwrap()
        .iter()
        .all(|c| !(c.person_name == "王秀兰" && c.care_to.year() == 2026)));

    // The photos are in the store, and open for the agency.
    let reviewer =
        match db::accounts::login(&db, "reviewer1", server::demo::DEMO_PASSWORD, "127.0.0.1")
            .await
            .unwrap()
        {
            db::accounts::LoginOutcome::Ok(a) => a,
            other => panic!("{other:?}"),
        };
    let shas: Vec<String> =
        sqlx::query_scalar("SELECT sha256 FROM documents WHERE claim_id IS NOT NULL")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert!(shas.len() >= 20, "{} claim documents", shas.len());
    for sha in &shas {
        let (content_type, bytes) = db::documents::open(&db, &store, &reviewer, sha)
            .await
            .unwrap();
        assert_eq!(content_type, "image/png");
        assert!(bytes.len() > 100);
    }

    // The audit chain holds over all of it.
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
    let _ = std::fs::remove_dir_all(&dir);
}
