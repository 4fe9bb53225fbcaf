//! The command line as an operator uses it: the first administrator, the
//! demo league twice, and `audit verify` catching a tampered row.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn portal(db_url: &str, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    // The demo's claim photos go beside the database, not into the crate.
    let files = db_url
        .trim_start_matches("sqlite://")
        .trim_end_matches("portal.db")
        .to_string()
        + "files";
    cmd.args(args)
        .env("PORTAL_DATABASE_URL", db_url)
        .env("PORTAL_DATA_DIR", files)
        .env("RUST_LOG", "warn");
    match password {
        Some(p) => cmd.env("PORTAL_PASSWORD", p),
        None => cmd.env_remove("PORTAL_PASSWORD"),
    };
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn first_administrator_demo_league_and_audit_verify() {
    let dir = std::env::temp_dir().join(format!("portal_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());

    let first = [
        "create-user",
        "--username",
        "chief",
        "--name",
        "局长",
        "--role",
        "agency_admin",
        "--org",
        "152200",
        "--org-name",
        "兴安盟医疗保险管理局",
    ];
    let o = portal(&url, &first, Some("a-strong-password"));
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("created account chief"));
    // The same username again: refused, with the reason.
    let o = portal(&url, &first, Some("a-strong-password"));
    assert!(!o.status.success());
    assert!(text(&o).contains("username_taken"), "{}", text(&o));
    // A short password: refused.
    let o = portal(
        &url,
        &[
            "create-user",
            "--username",
            "chief2",
            "--name",
            "x",
            "--role",
            "agency_admin",
            "--org",
            "152200",
        ],
        Some("short"),
    );
    assert!(
        !o.status.success() && text(&o).contains("password_too_short"),
        "{}",
        text(&o)
    );

    // The demo league, twice: the second run changes nothing.
    let o = portal(&url, &["seed", "--demo", "--sample"], None);
    assert!(o.status.success(), "{}", text(&o));
    let db = db::Db::connect(&url).await.unwrap();
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let o = portal(&url, &["seed", "--demo", "--sample"], None);
    assert!(
        o.status.success() && text(&o).contains("nothing to do"),
        "{}",
        text(&o)
    );
    let again: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(users, again);
    // The administrator, the eleven demo log-ins, the agents of the league's
    // other offices and schools, and the households that use the portal.
    let named: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE username IN ('chief', 'admin', 'reviewer1', 'reviewer2',
             'stats1', 'section1', 'head1', 'office1', 'office2', 'school1', 'resident1', 'resident2')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(named, 12);
    assert!(
        users > 20,
        "{users} accounts: the agents of the other offices and schools too"
    );

    // The export: persons, then enrolments, as EXPORT.md names them.
    let o = portal(&url, &["export"], None);
    assert!(o.status.success(), "{}", text(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    // Persons, enrolments, payments, claims, payment runs, each type in one run.
    let mut runs = kinds.clone();
    runs.dedup();
    assert_eq!(
        runs,
        ["person", "enrolment", "payment", "claim", "payment_run"]
    );
    let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
    // A tenth of the league's thousands (`--sample`; README gives the full figures).
    assert!(
        (300..=1000).contains(&count("person")),
        "a sample of the residents: {}",
        count("person")
    );
    // Two full policy years: every category and tier enrolled in each, paid
    // in cash and online, back-payments after the 2026 sweep, and claims of
    // every kind with care in each year, some of them paid.
    for year in [2025, 2026] {
        // Every category and every tier (the sample is too small to hold
        // every pair; the full demo does, README).
        for (field, code) in policy::eligibility::Category::ALL
            .iter()
            .map(|c| ("category", c.code()))
            .chain(
                policy::eligibility::Tier::ALL
                    .iter()
                    .map(|t| ("tier", t.code())),
            )
        {
            assert!(
                lines.iter().any(|l| l["type"] == "enrolment"
                    && l["policy_year"] == year
                    && l[field] == code),
                "{year} {field} {code}"
            );
        }
        for channel in ["office_cash", "school_cash", "online"] {
            assert!(
                lines.iter().any(|l| l["type"] == "payment"
                    && l["policy_year"] == year
                    && l["channel"] == channel),
                "{year} {channel}"
            );
        }
        assert!(lines.iter().any(|l| l["type"] == "claim"
            && l["status"] == "paid"
            && l["care_to"]
                .as_str()
                .unwrap()
                .starts_with(&year.to_string())));
    }
    // Claims of every kind (the sample's two years hold most; the named
    // households' histories the rest).
    for kind in db::claims::FILED_KINDS {
        assert!(
            lines
                .iter()
                .any(|l| l["type"] == "claim" && l["kind"] == kind.code()),
            "{}",
            kind.code()
        );
    }
    assert!(lines
        .iter()
        .any(|l| l["type"] == "payment" && l["policy_year"] == 2026 && l["back_payment"] == true));
    let interrupted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM interruptions WHERE policy_year = 2026")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(interrupted > 5, "{interrupted} interrupted on 1 May 2026");
    let wang = lines
        .iter()
        .find(|l| {
            l["type"] == "enrolment"
                && l["id_number"] == "152201196003152624"
                && l["policy_year"] == 2027
        })
        .unwrap();
    assert_eq!(
        (wang["category"].as_str(), wang["tier"].as_str()),
        (Some("elderly"), Some("adult_standard"))
    );
    assert_eq!(
        (wang["total"].as_str(), wang["personal"].as_str()),
        (Some("225.00"), Some("130.00"))
    );
    assert_eq!(wang["subsidy"]["central"], "40.00");
    assert_eq!(
        (wang["status"].as_str(), wang["approved_by"].as_str()),
        (Some("approved"), Some("reviewer1"))
    );
    // Her 2026 premium, and a back-payment among the histories.
    assert!(lines.iter().any(|l| l["type"] == "payment"
        && l["id_number"] == "152201196003152624"
        && l["policy_year"] == 2026
        && l["paid_at"] == "2026-03-10T09:30:00+08:00"));
    assert!(lines
        .iter()
        .any(|l| l["type"] == "payment" && l["back_payment"] == true));
    assert!(wang["entered_at"].as_str().unwrap().ends_with("+08:00"));
    // Claims: the stored facts give the payout again; runs list what they pay.
    // The rules in force, with the year the demo publishes (2025).
    let rules = db::policy_years::load(&db).await.unwrap();
    let claims: Vec<&serde_json::Value> = lines.iter().filter(|l| l["type"] == "claim").collect();
    let paid: Vec<&&serde_json::Value> = claims.iter().filter(|c| c["status"] == "paid").collect();
    assert!(!paid.is_empty());
    for c in &paid {
        let facts: policy::benefit::ClaimFacts =
            serde_json::from_value(c["facts"].clone()).unwrap();
        let year: i32 = c["care_to"].as_str().unwrap()[..4].parse().unwrap();
        let payout = policy::benefit::decide(rules.year(year).unwrap(), &facts).payout;
        assert_eq!(c["payout"].as_str(), Some(payout.to_string().as_str()));
        let reviewers = (c["first_reviewer"].as_str(), c["second_reviewer"].as_str());
        assert!(
            matches!(
                reviewers,
                (Some("reviewer1"), Some("reviewer2")) | (Some("reviewer2"), Some("reviewer1"))
            ),
            "{reviewers:?}"
        );
        assert!(c["filed_at"].as_str().unwrap().ends_with("+08:00"));
        assert!(!c["documents"].as_array().unwrap().is_empty());
        let run = lines
            .iter()
            .find(|l| l["type"] == "payment_run" && l["number"] == c["payment_run"])
            .unwrap();
        assert!(run["claims"]
            .as_array()
            .unwrap()
            .contains(&c["claim_number"]));
    }
    assert!(claims
        .iter()
        .any(|c| c["status"] == "refused" && c["reason"] == "documents_false"));
    for run in lines.iter().filter(|l| l["type"] == "payment_run") {
        let total: i64 = run["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let c = claims.iter().find(|c| c["claim_number"] == *n).unwrap();
                policy::money::Money::from_yuan_str(c["payout"].as_str().unwrap())
                    .unwrap()
                    .fen()
            })
            .sum();
        assert_eq!(
            run["total"].as_str(),
            Some(policy::money::Money::from_fen(total).to_string().as_str())
        );
    }
    let o = portal(
        &url,
        &["export", "--county", "152222", "--year", "2027"],
        None,
    );
    let only: Vec<serde_json::Value> = std::str::from_utf8(&o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        only.iter().any(|l| l["id_number"] == "152222195501013018"),
        "巴特尔 is in county 152222"
    );
    assert!(
        only.iter()
            .all(|l| l["id_number"].as_str().unwrap().starts_with("152222")
                && (l["type"] == "person" || l["policy_year"] == 2027)),
        "only county 152222, only 2027"
    );

    // The chain is intact ...
    let o = portal(&url, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(
        text(&o).contains(&format!("intact: {entries} entries")),
        "{}",
        text(&o)
    );
    // ... until someone edits a row behind the portal's back.
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'system:nobody' WHERE seq = 3")
        .execute(&db.pool)
        .await
        .unwrap();
    let o = portal(&url, &["audit", "verify"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("BROKEN at entry 3"), "{}", text(&o));
}

/// Whoever can write the database can cut entries off the end of the chain
/// and fix up its head row: the chain then checks, but no longer reaches
/// the anchor signed with a key the database never held.
#[tokio::test]
async fn audit_verify_catches_a_chain_cut_back_from_its_end() {
    let dir = std::env::temp_dir().join(format!("portal_cli_anchor_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    let anchor = dir.join("audit.anchor");
    let key = "an-audit-anchor-key-of-32-bytes-or-more";
    let run = |args: &[&str], key: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
        cmd.args(args)
            .env("PORTAL_DATABASE_URL", &url)
            .env("PORTAL_DATA_DIR", dir.join("files"))
            .env("PORTAL_AUDIT_ANCHOR", &anchor)
            .env("PORTAL_AUDIT_KEY", key)
            .env_remove("PORTAL_PAYMENT_SIMULATOR")
            .env("RUST_LOG", "warn");
        cmd.output().unwrap()
    };
    let o = run(&["seed", "--demo", "--sample"], key);
    assert!(o.status.success(), "{}", text(&o));
    // Outside simulator mode a short or public key is refused.
    let o = run(&["audit", "anchor"], "short");
    assert!(
        !o.status.success() && text(&o).contains("PORTAL_AUDIT_KEY"),
        "{}",
        text(&o)
    );
    let o = run(&["audit", "anchor"], key);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&["audit", "verify"], key);
    assert!(
        o.status.success() && text(&o).contains("anchor holds"),
        "{}",
        text(&o)
    );

    // Cut the last two entries and fix the head up, as an intruder would.
    let db = db::Db::connect(&url).await.unwrap();
    let last: (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1 OFFSET 2")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq > $1")
        .bind(last.0)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last.0)
        .bind(&last.1)
        .execute(&db.pool)
        .await
        .unwrap();
    let o = run(&["audit", "verify"], key);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("intact") && text(&o).contains("CUT"),
        "{}",
        text(&o)
    );
    // The anchor is kept as the evidence: it is not moved back.
    let o = run(&["audit", "anchor"], key);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // An anchor signed with another key is not believed.
    let o = run(
        &["audit", "verify"],
        "another-key-of-at-least-32-bytes-long",
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("NOT signed"), "{}", text(&o));
}

#[test]
fn unknown_subcommand_is_refused_with_the_help() {
    let o = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(64));
    assert!(text(&o).contains("create-user") && text(&o).contains("audit verify"));
}

/// Outside simulator mode the portal does not start with the public demo
/// key, a short key or none: whoever held it could sign "paid" notifications.
#[tokio::test]
async fn serve_refuses_a_public_or_short_payment_key_outside_simulator_mode() {
    let dir = std::env::temp_dir().join(format!("portal_cli_key_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    for key in [
        None,
        Some("portal-payment-simulator-demo-key"),
        Some("short-secret"),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
        cmd.arg("serve")
            .env("PORTAL_DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env_remove("PORTAL_PAYMENT_SIMULATOR");
        match key {
            Some(k) => cmd.env("PORTAL_PAYMENT_SIMULATOR_KEY", k),
            None => cmd.env_remove("PORTAL_PAYMENT_SIMULATOR_KEY"),
        };
        let out = cmd.output().unwrap();
        assert!(!out.status.success(), "{key:?}: {}", text(&out));
        assert!(
            text(&out).contains("PORTAL_PAYMENT_SIMULATOR_KEY"),
            "{}",
            text(&out)
        );
    }
}
