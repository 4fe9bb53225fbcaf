//! The foundation's story, the same body on SQLite and on PostgreSQL:
//! accounts and log-in throttling, sessions, access scope per role, and the
//! audit chain that detects tampering.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::id;
use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::orgs::OrgUnit;
use db::scope::Role;
use db::{Db, Error};
use serde_json::json;

const PW: &str = "correct horse";

fn org(code: &str, kind: &str, county: Option<&str>) -> OrgUnit {
    OrgUnit {
        code: code.into(),
        kind: kind.into(),
        name_zh: format!("机构{code}"),
        name_en: format!("Org {code}"),
        county_code: county.map(Into::into),
    }
}

struct League {
    h_a: i64,
    h_b: i64,
    pupil_b: i64,
}

/// Two counties, an office and a school in each, a household in each office,
/// and one account of every role.
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
    db::households::add_person(
        db,
        sys(),
        &id("15220119600315262"),
        "甲",
        Some(h_a),
        Some("SA"),
        &json!({}),
    )
    .await
    .unwrap();
    let pupil_b = db::households::add_person(
        db,
        sys(),
        &id("15222220100708101"),
        "乙",
        Some(h_b),
        Some("SB"),
        &json!({}),
    )
    .await
    .unwrap();
    let users: [(&str, Role, Option<&str>, Option<i64>); 9] = [
        ("res_a", Role::Resident, None, Some(h_a)),
        ("res_b", Role::Resident, None, Some(h_b)),
        ("off_a", Role::OfficeAgent, Some("OA"), None),
        ("off_b", Role::OfficeAgent, Some("OB"), None),
        ("sch_a", Role::SchoolAgent, Some("SA"), None),
        ("sch_b", Role::SchoolAgent, Some("SB"), None),
        ("rev_a", Role::AgencyReviewer, Some("CA"), None),
        ("adm_l", Role::AgencyAdmin, Some("L"), None),
        ("adm_a", Role::AgencyAdmin, Some("CA"), None),
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
    League { h_a, h_b, pupil_b }
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

async fn accounts_and_sessions(db: Db) {
    league(&db).await;
    // Right password: an actor with the organisation's county.
    let a = actor(&db, "OFF_A").await;
    assert_eq!(
        (a.role, a.org_code.as_deref(), a.county_code.as_deref()),
        (Role::OfficeAgent, Some("OA"), Some("152201"))
    );
    // The hash is Argon2id, never the password.
    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'off_a'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    // Same username twice: a user-facing conflict, not a database error.
    let dup = db::accounts::create_user(
        &db,
        By::System("test"),
        NewUser {
            username: "off_a".into(),
            display_name: "x".into(),
            password: PW.into(),
            role: Role::OfficeAgent,
            org_code: Some("OA".into()),
            household_id: None,
        },
    )
    .await;
    assert!(
        matches!(dup, Err(ref e) if e.code() == "username_taken"),
        "{dup:?}"
    );
    // Wrong role for the organisation.
    let wrong = db::accounts::create_user(
        &db,
        By::System("test"),
        NewUser {
            username: "wrongkind".into(),
            display_name: "x".into(),
            password: PW.into(),
            role: Role::SchoolAgent,
            org_code: Some("OA".into()),
            household_id: None,
        },
    )
    .await;
    assert!(
        matches!(wrong, Err(ref e) if e.code() == "org_wrong_kind"),
        "{wrong:?}"
    );
    // A county administrator cannot make accounts in another county; the league one can.
    let adm_a = actor(&db, "adm_a").await;
    let other_county = NewUser {
        username: "off_b2".into(),
        display_name: "x".into(),
        password: PW.into(),
        role: Role::OfficeAgent,
        org_code: Some("OB".into()),
        household_id: None,
    };
    assert!(matches!(
        db::accounts::create_user(&db, By::User(&adm_a), other_county.clone()).await,
        Err(Error::Forbidden)
    ));
    let adm_l = actor(&db, "adm_l").await;
    db::accounts::create_user(&db, By::User(&adm_l), other_county)
        .await
        .unwrap();
    // Not an administrator: refused.
    let rev = actor(&db, "rev_a").await;
    let by_reviewer = NewUser {
        username: "byreviewer".into(),
        display_name: "x".into(),
        password: PW.into(),
        role: Role::Resident,
        org_code: None,
        household_id: Some(1),
    };
    assert!(matches!(
        db::accounts::create_user(&db, By::User(&rev), by_reviewer).await,
        Err(Error::Forbidden)
    ));
    // A county admin lists only its county's accounts.
    let listed: Vec<String> = db::accounts::list(&db, &adm_a)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(listed.contains(&"off_a".to_string()) && listed.contains(&"res_a".to_string()));
    assert!(
        !listed.contains(&"off_b".to_string()) && !listed.contains(&"res_b".to_string()),
        "{listed:?}"
    );

    // Sessions: start, resolve, end.
    let token = db::sessions::start(&db, a.user_id).await.unwrap();
    assert_eq!(
        db::sessions::resolve(&db, &token)
            .await
            .unwrap()
            .map(|x| x.username),
        Some("off_a".into())
    );
    assert_eq!(
        db::sessions::resolve(&db, "not-a-token").await.unwrap(),
        None
    );
    // Idle too long: gone.
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1")
        .bind(db::sessions::idle_ms() + 1000)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(db::sessions::resolve(&db, &token).await.unwrap(), None);
    // Busy all along but begun too long ago: gone too (an absolute lifetime).
    let token = db::sessions::start(&db, a.user_id).await.unwrap();
    sqlx::query("UPDATE sessions SET created_at = created_at - $1")
        .bind(db::sessions::max_ms() + 1000)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(db::sessions::resolve(&db, &token).await.unwrap(), None);
    let token = db::sessions::start(&db, a.user_id).await.unwrap();
    db::sessions::end(&db, &token).await.unwrap();
    assert_eq!(db::sessions::resolve(&db, &token).await.unwrap(), None);
}
both!(accounts_and_sessions_story, accounts_and_sessions);

/// An account's life cycle, each step within the administrator's county and audited.
async fn account_life_cycle(db: Db) {
    league(&db).await;
    let adm_a = actor(&db, "adm_a").await;
    let off_a = actor(&db, "off_a").await;
    let off_b = actor(&db, "off_b").await;
    let audited = |action: &'static str| {
        let db = db.clone();
        async move {
            let rows: Vec<(String, Option<String>)> =
                sqlx::query_as("SELECT entity_id, after_json FROM audit_log WHERE action = $1")
                    .bind(action)
                    .fetch_all(&db.pool)
                    .await
                    .unwrap();
            rows
        }
    };
    // Another county's account is not this administrator's to touch: as
    // in their list, it is not there.
    for refused in [
        db::accounts::reset_password(&db, &adm_a, off_b.user_id, "temporary-1").await,
        db::accounts::set_active(&db, &adm_a, off_b.user_id, false).await,
        db::accounts::end_sessions(&db, &adm_a, off_b.user_id)
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(refused, Err(Error::NotFound)), "{refused:?}");
    }
    // Nor is anything an office's.
    assert!(matches!(
        db::accounts::end_sessions(&db, &off_a, off_a.user_id).await,
        Err(Error::Forbidden)
    ));
    // A reset ends the sessions and asks for a new password; never the password in the trail.
    let token = db::sessions::start(&db, off_a.user_id).await.unwrap();
    db::accounts::reset_password(&db, &adm_a, off_a.user_id, "temporary-1")
        .await
        .unwrap();
    assert_eq!(db::sessions::resolve(&db, &token).await.unwrap(), None);
    let resets = audited("user.password_reset").await;
    assert_eq!(resets.len(), 1);
    assert!(!resets[0]
        .1
        .clone()
        .unwrap_or_default()
        .contains("temporary-1"));
    let off_a = match db::accounts::login(&db, "off_a", "temporary-1", "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{other:?}"),
    };
    let token = db::sessions::start(&db, off_a.user_id).await.unwrap();
    assert!(db::sessions::must_change_password(&db, &token)
        .await
        .unwrap());
    // Changing it: the current one typed right, a new one of a fair length and not the same.
    let other = db::sessions::start(&db, off_a.user_id).await.unwrap();
    for (current, new, code) in [
        ("wrong-one", "new-password-1", "current_password"),
        ("temporary-1", "short", "password_too_short"),
        ("temporary-1", "temporary-1", "password_unchanged"),
    ] {
        let e = db::accounts::change_password(&db, &off_a, current, new, &token).await;
        assert_eq!(e.unwrap_err().code(), code);
    }
    db::accounts::change_password(&db, &off_a, "temporary-1", "new-password-1", &token)
        .await
        .unwrap();
    assert!(!db::sessions::must_change_password(&db, &token)
        .await
        .unwrap());
    assert!(db::sessions::resolve(&db, &token).await.unwrap().is_some());
    assert_eq!(db::sessions::resolve(&db, &other).await.unwrap(), None);
    assert_eq!(audited("user.password_change").await.len(), 1);
    // Disabled: its sessions end and it cannot log in; enabled again, it can.
    let token = db::sessions::start(&db, off_a.user_id).await.unwrap();
    db::accounts::set_active(&db, &adm_a, off_a.user_id, false)
        .await
        .unwrap();
    assert_eq!(db::sessions::resolve(&db, &token).await.unwrap(), None);
    assert!(matches!(
        db::accounts::login(&db, "off_a", "new-password-1", "127.0.0.1")
            .await
            .unwrap(),
        LoginOutcome::Refused { .. }
    ));
    db::accounts::set_active(&db, &adm_a, off_a.user_id, true)
        .await
        .unwrap();
    assert!(matches!(
        db::accounts::login(&db, "off_a", "new-password-1", "127.0.0.1")
            .await
            .unwrap(),
        LoginOutcome::Ok(_)
    ));
    assert_eq!(audited("user.disable").await.len(), 1);
    assert_eq!(audited("user.enable").await.len(), 1);
    // The administrator cannot disable their own account.
    assert_eq!(
        db::accounts::set_active(&db, &adm_a, adm_a.user_id, false)
            .await
            .unwrap_err()
            .code(),
        "own_account"
    );
    // Ending the sessions: all of them, audited.
    db::sessions::start(&db, off_a.user_id).await.unwrap();
    db::sessions::start(&db, off_a.user_id).await.unwrap();
    assert_eq!(
        db::accounts::end_sessions(&db, &adm_a, off_a.user_id)
            .await
            .unwrap(),
        2
    );
    assert_eq!(audited("user.sessions_end").await.len(), 1);
}
both!(account_life_cycle_story, account_life_cycle);

/// Where the throttle tests' attempts come from.
const HERE: &str = "198.51.100.7";
const ELSEWHERE: &str = "203.0.113.9";

async fn try_login(db: &Db, user: &str, password: &str, from: &str) -> LoginOutcome {
    db::accounts::login(db, user, password, from).await.unwrap()
}

/// Ends the locks of a name as time would.
async fn end_lock(db: &Db, user: &str) {
    sqlx::query("UPDATE login_failures SET locked_until = 0 WHERE username = $1")
        .bind(user)
        .execute(&db.pool)
        .await
        .unwrap();
}

async fn login_throttle(db: Db) {
    league(&db).await;
    for n in 1..db::accounts::MAX_FAILED_LOGINS {
        match try_login(&db, "res_a", "wrong", HERE).await {
            LoginOutcome::Refused { failures } => assert_eq!(failures, n),
            other => panic!("attempt {n}: {other:?}"),
        }
    }
    // The fifth failure locks the name for this address ...
    assert!(matches!(
        try_login(&db, "res_a", "wrong", HERE).await,
        LoginOutcome::Locked { .. }
    ));
    // ... and then even the right password is refused from here until the lock ends ...
    assert!(matches!(
        try_login(&db, "res_a", PW, HERE).await,
        LoginOutcome::Locked { .. }
    ));
    // ... while from another address the account's owner still gets in.
    assert!(matches!(
        try_login(&db, "res_a", PW, ELSEWHERE).await,
        LoginOutcome::Ok(_)
    ));
    end_lock(&db, "res_a").await;
    assert!(matches!(
        try_login(&db, "res_a", PW, HERE).await,
        LoginOutcome::Ok(_)
    ));
    // A name without an account is counted and locked exactly like one with.
    for n in 1..db::accounts::MAX_FAILED_LOGINS {
        assert!(matches!(
            try_login(&db, "nobody", PW, HERE).await,
            LoginOutcome::Refused { failures } if failures == n
        ));
    }
    assert!(matches!(
        try_login(&db, "nobody", PW, HERE).await,
        LoginOutcome::Locked { .. }
    ));
    // A lock leaves the count one short of the limit: after it ends, one
    // wrong password locks again (the guesser gets no fresh five) ...
    for _ in 0..db::accounts::MAX_FAILED_LOGINS {
        let _ = try_login(&db, "res_a", "wrong", HERE).await;
    }
    end_lock(&db, "res_a").await;
    assert!(matches!(
        try_login(&db, "res_a", "wrong", HERE).await,
        LoginOutcome::Locked { .. }
    ));
    // ... while the right one, once the lock has ended, still lets them in.
    end_lock(&db, "res_a").await;
    assert!(matches!(
        try_login(&db, "res_a", PW, HERE).await,
        LoginOutcome::Ok(_)
    ));
    // A password too long to be worth hashing is refused before anything is counted.
    let huge = "x".repeat(db::accounts::MAX_PASSWORD_LEN + 1);
    let refused = db::accounts::login(&db, "res_a", &huge, HERE).await;
    assert_eq!(refused.unwrap_err().code(), "password_too_long");
}
both!(login_throttle_story, login_throttle);

/// Ten wrong passwords at once: the count is taken before each check, so no
/// more than the limit are ever checked, and the name ends locked for that address.
async fn login_throttle_race(db: Db) {
    league(&db).await;
    let attempts = (0..10).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { try_login(&db, "res_b", "wrong", HERE).await })
    });
    let mut refused = 0;
    let mut locked = 0;
    for a in attempts {
        match a.await.unwrap() {
            LoginOutcome::Refused { .. } => refused += 1,
            LoginOutcome::Locked { .. } => locked += 1,
            other => panic!("{other:?}"),
        }
    }
    // Each Refused is one password checked, and the limit-th check locks.
    assert!(
        refused < db::accounts::MAX_FAILED_LOGINS,
        "{refused} wrong passwords were checked"
    );
    assert_eq!(refused + locked, 10);
    let locked_until: i64 = sqlx::query_scalar(
        "SELECT locked_until FROM login_failures WHERE username = 'res_b' AND address = $1",
    )
    .bind(HERE)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(locked_until > db::now_ms());
}
both!(login_throttle_race_story, login_throttle_race);

/// Each role against another's records: refused.
async fn access_scope(db: Db) {
    let l = league(&db).await;
    let hh = |a: db::Actor, id: i64| {
        let db = db.clone();
        async move { db::households::get(&db, &a, id).await.map(|h| h.id) }
    };
    // Residents: only their own household.
    assert_eq!(hh(actor(&db, "res_a").await, l.h_a).await.unwrap(), l.h_a);
    assert!(matches!(
        hh(actor(&db, "res_a").await, l.h_b).await,
        Err(Error::Forbidden)
    ));
    // Offices: only their own.
    assert_eq!(hh(actor(&db, "off_a").await, l.h_a).await.unwrap(), l.h_a);
    assert!(matches!(
        hh(actor(&db, "off_a").await, l.h_b).await,
        Err(Error::Forbidden)
    ));
    // Schools: their pupils, not another school's.
    let sch_a = actor(&db, "sch_a").await;
    assert!(matches!(
        db::households::get_person(&db, &sch_a, l.pupil_b).await,
        Err(Error::Forbidden)
    ));
    let sch_b = actor(&db, "sch_b").await;
    assert_eq!(
        db::households::get_person(&db, &sch_b, l.pupil_b)
            .await
            .unwrap()
            .name,
        "乙"
    );
    let pupils: Vec<String> = db::households::list_persons(&db, &sch_a, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(pupils, vec!["甲".to_string()]);
    // A county agency: its county only; the league: all.
    assert!(matches!(
        hh(actor(&db, "rev_a").await, l.h_b).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(hh(actor(&db, "rev_a").await, l.h_a).await.unwrap(), l.h_a);
    assert_eq!(hh(actor(&db, "adm_l").await, l.h_b).await.unwrap(), l.h_b);
    let all = db::households::list(&db, &actor(&db, "adm_l").await, 10)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let mine = db::households::list(&db, &actor(&db, "off_b").await, 10)
        .await
        .unwrap();
    assert_eq!(mine.iter().map(|h| h.id).collect::<Vec<_>>(), vec![l.h_b]);
    // Writing into another office's household is refused and writes nothing.
    let off_a = actor(&db, "off_a").await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let r = db::households::add_person(
        &db,
        By::User(&off_a),
        &id("15222219550101301"),
        "丙",
        Some(l.h_b),
        None,
        &json!({}),
    )
    .await;
    assert!(matches!(r, Err(Error::Forbidden)), "{r:?}");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
    // A missing record is "not found", not "forbidden".
    assert!(matches!(
        hh(actor(&db, "adm_l").await, 999_999).await,
        Err(Error::NotFound)
    ));
    // A wrong identity number is refused before anything is written.
    let r = db::households::add_person(
        &db,
        By::User(&off_a),
        "152201196003152621",
        "丁",
        Some(l.h_a),
        None,
        &json!({}),
    )
    .await;
    assert!(matches!(r, Err(ref e) if e.code() == "id_number"), "{r:?}");
}
both!(access_scope_story, access_scope);

async fn audit_chain(db: Db) {
    league(&db).await;
    let v = db::audit::verify(&db).await.unwrap();
    // 7 organisations, 2 households, 2 persons, 9 accounts: each wrote one entry.
    assert_eq!(
        v,
        db::audit::Verification {
            entries: 20,
            first_broken: None
        }
    );
    let hist = db::audit::history(&db, "household", "1").await.unwrap();
    assert_eq!(hist.len(), 1);
    assert_eq!(hist[0].action, "household.create");
    assert!(hist[0].after_json.as_deref().unwrap().contains("A street"));
    // Passwords never reach the trail.
    let leaked: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%correct horse%' OR after_json LIKE '%argon2%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(leaked, 0);
    // The table refuses edits and deletes ...
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'x' WHERE seq = 5")
            .execute(&db.pool)
            .await
            .is_err()
    );
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 5")
        .execute(&db.pool)
        .await
        .is_err());
    // ... and someone who gets round that (drops the guard) is caught by the chain.
    drop_guards(&db).await;
    sqlx::query("UPDATE audit_log SET after_json = '{\"address\":\"forged\"}' WHERE seq = 7")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, Some(7));
}
both!(audit_chain_story, audit_chain);

async fn audit_chain_deletion(db: Db) {
    league(&db).await;
    drop_guards(&db).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 12")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, Some(12));
}
both!(audit_chain_deletion_story, audit_chain_deletion);

async fn audit_chain_truncation(db: Db) {
    league(&db).await;
    drop_guards(&db).await;
    sqlx::query("DELETE FROM audit_log WHERE seq >= 19")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, Some(19));
}
both!(audit_chain_truncation_story, audit_chain_truncation);

async fn drop_guards(db: &Db) {
    match db.backend {
        db::Backend::Sqlite => {
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&db.pool)
                .await
                .unwrap();
            sqlx::query("DROP TRIGGER audit_log_no_delete")
                .execute(&db.pool)
                .await
                .unwrap();
        }
        db::Backend::Postgres => {
            sqlx::query("DROP TRIGGER audit_log_no_change ON audit_log")
                .execute(&db.pool)
                .await
                .unwrap();
        }
    }
}

/// Concurrent writers never fork the chain: every entry links to the one before.
async fn audit_chain_concurrent(db: Db) {
    league(&db).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db::orgs::create(
                &db,
                By::System("test"),
                &org(&format!("X{i}"), "office", Some("152201")),
            )
            .await
            .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(
        db::audit::verify(&db).await.unwrap(),
        db::audit::Verification {
            entries: 40,
            first_broken: None
        }
    );
}
both!(audit_chain_concurrent_story, audit_chain_concurrent);

/// The scheduled task's lease: one holder at a time, taken over once expired.
async fn task_lease(db: Db) {
    assert!(db::leases::try_acquire(&db, "t", "one", 60_000)
        .await
        .unwrap());
    assert!(!db::leases::try_acquire(&db, "t", "two", 60_000)
        .await
        .unwrap());
    assert!(db::leases::try_acquire(&db, "t", "one", 60_000)
        .await
        .unwrap());
    sqlx::query("UPDATE task_leases SET expires_at = 0")
        .execute(&db.pool)
        .await
        .unwrap();
    assert!(db::leases::try_acquire(&db, "t", "two", 60_000)
        .await
        .unwrap());
    assert!(!db::leases::try_acquire(&db, "t", "one", 60_000)
        .await
        .unwrap());
}
both!(task_lease_story, task_lease);

/// Publishing parameters: only the league's administrators; a year is never
/// edited, a correction is the next version; bad text changes nothing.
async fn policy_publishing(db: Db) {
    league(&db).await;
    let shipped = db::policy_years::load(&db).await.unwrap();
    let y2026 = shipped.year(2026).unwrap().clone();
    assert_eq!(y2026.version, 1);
    // A correction of 2026 (its note changes).
    let mut corrected = y2026.clone();
    corrected.note = Some("correction".into());
    let text = corrected.to_toml().unwrap();
    let adm_a = actor(&db, "adm_a").await;
    assert!(matches!(
        db::policy_years::publish(&db, &adm_a, &text).await,
        Err(Error::Forbidden)
    ));
    let adm_l = actor(&db, "adm_l").await;
    assert_eq!(
        db::policy_years::publish(&db, &adm_l, &text).await.unwrap(),
        (2026, 2)
    );
    assert_eq!(
        db::policy_years::publish(&db, &adm_l, &text).await.unwrap(),
        (2026, 3)
    );
    let rules = db::policy_years::load(&db).await.unwrap();
    assert_eq!(rules.year(2026).unwrap().version, 3);
    assert_eq!(
        rules.year(2026).unwrap().note.as_deref(),
        Some("correction")
    );
    // A new year.
    let mut next = y2026.clone();
    next.year = 2028;
    next.calendar.holidays.clear();
    next.calendar.working_weekends.clear();
    assert_eq!(
        db::policy_years::publish(&db, &adm_l, &next.to_toml().unwrap())
            .await
            .unwrap(),
        (2028, 1)
    );
    // Text that does not check: refused, nothing written.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_years")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let broken = text.replace("year = 2026", "year = \"twenty\"");
    assert!(matches!(
        db::policy_years::publish(&db, &adm_l, &broken).await,
        Err(ref e) if e.code() == "policy_params"
    ));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_years")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
    // Published rows cannot be edited, and the listing shows every version with who published it.
    assert!(sqlx::query("UPDATE policy_years SET params_toml = 'x'")
        .execute(&db.pool)
        .await
        .is_err());
    let list = db::policy_years::list(&db).await.unwrap();
    assert!(list
        .iter()
        .any(|v| v.year == 2026 && v.version == 1 && v.published_by.is_none()));
    assert!(list
        .iter()
        .any(|v| v.year == 2026 && v.version == 3 && v.published_by.as_deref() == Some("adm_l")));
    assert_eq!(
        db::audit::history(&db, "policy_year", "2026v2")
            .await
            .unwrap()
            .len(),
        1
    );
}
both!(policy_publishing_story, policy_publishing);

/// The export's queries on both engines: persons by county, in creation order.
async fn export_lines(db: Db) {
    league(&db).await;
    let mut all = Vec::new();
    assert_eq!(
        db::export::write(&db, None, None, &mut all).await.unwrap(),
        2
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(all)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "person");
    assert_eq!(lines[0]["name"], "甲");
    assert_eq!(lines[0]["household"], "A-1");
    assert_eq!(lines[0]["birth_date"], "1960-03-15");
    assert_eq!(lines[1]["county"], "152222");
    let mut one = Vec::new();
    assert_eq!(
        db::export::write(&db, Some(2026), Some("152222"), &mut one)
            .await
            .unwrap(),
        1
    );
    assert!(String::from_utf8(one).unwrap().contains("\"乙\""));
}
both!(export_story, export_lines);

/// Finding 7: an over-long address or name is refused with its own code, and
/// nothing is written; the longest allowed still goes in.
async fn over_long_names_and_addresses(db: Db) {
    let l = league(&db).await;
    let sys = || By::System("test");
    // Households and persons written so far.
    let written = || async {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM households), (SELECT COUNT(*) FROM persons)",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    let before = written().await;
    let long_address = "路".repeat(db::households::MAX_ADDRESS_CHARS + 1);
    let refused = db::households::create(&db, sys(), "OA", "A-2", &long_address).await;
    assert_eq!(refused.unwrap_err().code(), "address_too_long");
    let long_name = "名".repeat(db::households::MAX_NAME_CHARS + 1);
    let refused = db::households::add_person(
        &db,
        sys(),
        &id("15220119700101001"),
        &long_name,
        Some(l.h_a),
        None,
        &json!({}),
    )
    .await;
    assert_eq!(refused.unwrap_err().code(), "name_too_long");
    assert_eq!(written().await, before);
    let longest = "路".repeat(db::households::MAX_ADDRESS_CHARS);
    db::households::create(&db, sys(), "OA", "A-2", &longest)
        .await
        .unwrap();
}
both!(
    over_long_names_and_addresses_story,
    over_long_names_and_addresses
);
