//! Signing up by phone and pre-registering a new household (issue 16), the
//! same body on SQLite and on PostgreSQL: one-time codes stored hashed,
//! single-use, expiring, with an attempt limit and a per-phone limit; the
//! reset answers alike for a name with and without an account; an account
//! with no household sees nothing but its own pre-registration; completing
//! it opens the household, binds the account and is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::id;

use std::sync::Arc;

use db::accounts::{LoginOutcome, NewUser};
use db::applications::{self, NewApplicant, NewApplication};
use db::audit::By;
use db::codes::{CodeRules, Purpose};
use db::documents::{LocalFolder, Store};
use db::households::Circumstances;
use db::preregistration::NewDocument;
use db::scope::Role;
use db::signup::{self, PhoneSignup, Wording};
use db::{Db, Error};

const PW: &str = "correct horse";
const LIMIT: usize = 64 * 1024;

fn png(seed: u8) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, seed,
    ]);
    b
}

fn body(code: &str) -> String {
    format!("code {code}")
}

fn wording() -> Wording<'static> {
    Wording {
        lang: "zh-CN",
        body: &body,
    }
}

async fn world(db: &Db) -> Store {
    let sys = || By::System("test");
    common::orgs(
        db,
        &[
            ("CA", "county_agency", "152201"),
            ("OA", "office", "152201"),
            ("OB", "office", "152201"),
        ],
    )
    .await;
    let h = db::households::create(db, sys(), "OA", "A-1", "A street")
        .await
        .unwrap();
    db::households::add_person(
        db,
        sys(),
        &id("15220119800101001"),
        "别人",
        Some(h),
        None,
        &serde_json::json!({}),
    )
    .await
    .unwrap();
    for (u, role, org) in [
        ("off_a", Role::OfficeAgent, Some("OA")),
        ("off_b", Role::OfficeAgent, Some("OB")),
    ] {
        db::accounts::create_user(
            db,
            sys(),
            NewUser {
                username: u.into(),
                display_name: u.into(),
                password: PW.into(),
                role,
                org_code: org.map(Into::into),
                household_id: None,
            },
        )
        .await
        .unwrap();
    }
    let folder = std::env::temp_dir().join(format!(
        "portal_signup_docs_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    Arc::new(LocalFolder::new(&folder))
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

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// The code of the newest message to `phone`, read from the outbox.
async fn code_sent_to(db: &Db, phone: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM messages WHERE to_phone = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    body.trim_start_matches("code ").to_string()
}

/// Starts a sign-up: the browser's handle and the code sent to the phone.
async fn started(db: &Db, rules: &CodeRules, username: &str, phone: &str) -> (String, String) {
    let handle = signup::start(db, rules, &form(username, phone), "1.2.3.4", wording())
        .await
        .unwrap();
    (
        handle,
        code_sent_to(db, &db::codes::normalise_phone(phone).unwrap()).await,
    )
}

/// A code that is not `code`.
fn other_than(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// A head of household added with no photos: the refusal.
async fn head_without_photos(
    db: &Db,
    store: &Store,
    me: &db::Actor,
    first17: &str,
    name: &str,
) -> Error {
    let head = NewApplicant {
        id_number: id(first17),
        name: name.into(),
        relation: "head".into(),
        circumstances: Circumstances::default(),
    };
    applications::add_member(db, store, me, &head, vec![], LIMIT)
        .await
        .unwrap_err()
}

fn form(username: &str, phone: &str) -> PhoneSignup {
    PhoneSignup {
        name: "王秀兰".into(),
        // Spaces, full-width digits and a lower-case x are read as typed.
        id_number: "１５２２０１ 1985 0303 10 2x"
            .replace('x', &id("15220119850303102")[17..].to_lowercase()),
        phone: phone.into(),
        username: username.into(),
        password: PW.into(),
    }
}

async fn codes_expire_are_single_use_and_limited(db: Db) {
    world(&db).await;
    let rules = CodeRules::default();
    // The phone as typed, with spaces.
    let (handle, code) = started(&db, &rules, "wang", "138 0013 8000").await;
    assert_eq!(code.len(), 6);
    // Stored hashed: neither the code nor the password is in the row.
    let (stored, payload): (String, String) =
        sqlx::query_as("SELECT code_hash, payload_json FROM one_time_codes")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&code));
    assert!(!payload.contains(PW), "{payload}");
    // A wrong code is refused and counted; the right one then works, once.
    let wrong = other_than(&code);
    let e = db::codes::verify(&db, &rules, Purpose::Signup, &handle, wrong)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "code_wrong");
    let pending = signup::pending(&db, &handle).await.unwrap().unwrap();
    assert_eq!(pending.username, "wang");
    assert_eq!(pending.id_number, id("15220119850303102"));
    let who = signup::finish(&db, &rules, &handle, &code).await.unwrap();
    assert_eq!((who.role, who.household_id), (Role::Resident, None));
    let e = signup::finish(&db, &rules, &handle, &code)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "code_used");
    let trail = db::audit::history(&db, "user", &who.user_id.to_string())
        .await
        .unwrap();
    assert_eq!(trail[0].action, "user.signup");
    assert!(!trail[0].after_json.as_deref().unwrap().contains("password"));

    // At most `max_attempts` tries, even with the right code after them.
    let tight = CodeRules {
        max_attempts: 2,
        ..rules
    };
    let (h2, right) = started(&db, &tight, "wang2", "13900139000").await;
    let wrong = other_than(&right);
    for _ in 0..2 {
        assert_eq!(
            signup::finish(&db, &tight, &h2, wrong)
                .await
                .unwrap_err()
                .code(),
            "code_wrong"
        );
    }
    assert_eq!(
        signup::finish(&db, &tight, &h2, &right)
            .await
            .unwrap_err()
            .code(),
        "code_attempts"
    );

    // Expired codes are refused.
    let (h3, c3) = started(&db, &rules, "wang3", "13700137000").await;
    sqlx::query("UPDATE one_time_codes SET expires_at = 0")
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        signup::finish(&db, &rules, &h3, &c3)
            .await
            .unwrap_err()
            .code(),
        "code_expired"
    );

    // A phone gets so many codes an hour.
    let few = CodeRules {
        per_phone_per_hour: 1,
        ..rules
    };
    let e = signup::start(
        &db,
        &few,
        &form("wang4", "13700137000"),
        "1.2.3.4",
        wording(),
    )
    .await
    .unwrap_err();
    assert_eq!((e.code(), e.status()), ("too_many_codes", 429));
}
both!(codes_lifecycle, codes_expire_are_single_use_and_limited);

async fn reset_tells_nobody_whether_a_name_exists(db: Db) {
    world(&db).await;
    let rules = CodeRules::default();
    let (h, c) = started(&db, &rules, "lili", "13600136000").await;
    signup::finish(&db, &rules, &h, &c).await.unwrap();
    let messages = count(&db, "SELECT COUNT(*) FROM messages").await;
    // A name without an account: the same kind of answer, no message sent.
    let nobody = signup::start_reset(&db, &rules, "nobody", "1.2.3.4", wording())
        .await
        .unwrap();
    assert_eq!(nobody.len(), 64);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages").await, messages);
    assert_eq!(
        signup::finish_reset(&db, &rules, &nobody, "123456", "another pass")
            .await
            .unwrap_err()
            .code(),
        "code_wrong"
    );
    // Staff are not reset this way either.
    signup::start_reset(&db, &rules, "off_a", "1.2.3.4", wording())
        .await
        .unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM messages").await, messages);
    // The resident, by phone number: the code resets the password.
    let handle = signup::start_reset(&db, &rules, "136-0013-6000", "1.2.3.4", wording())
        .await
        .unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM messages").await,
        messages + 1
    );
    let code = code_sent_to(&db, "13600136000").await;
    signup::finish_reset(&db, &rules, &handle, &code, "another pass")
        .await
        .unwrap();
    assert!(matches!(
        db::accounts::login(&db, "lili", "another pass", "x")
            .await
            .unwrap(),
        LoginOutcome::Ok(_)
    ));
}
both!(
    reset_no_enumeration,
    reset_tells_nobody_whether_a_name_exists
);

async fn new_household_from_signup_to_binding(db: Db) {
    let store = world(&db).await;
    let rules = CodeRules::default();
    let policy = policy::params::Rules::try_builtin().unwrap();
    let year = *policy.years.keys().next_back().unwrap();
    let (h, c) = started(&db, &rules, "zhao", "13500135000").await;
    let me = signup::finish(&db, &rules, &h, &c).await.unwrap();

    // No household: nothing of anyone else's is in scope.
    assert!(db::households::list(&db, &me, 100)
        .await
        .unwrap()
        .is_empty());
    assert!(db::households::list_persons(&db, &me, 100)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        db::households::get(&db, &me, 1).await.unwrap_err(),
        Error::Forbidden
    ));
    let e = head_without_photos(&db, &store, &me, "15220119850303102", "王秀兰").await;
    assert_eq!(e.code(), "application_missing");

    let app_id = applications::open(
        &db,
        &policy,
        &me,
        &NewApplication {
            office_code: "OA".into(),
            address: "新街 1 号".into(),
            policy_year: year,
        },
    )
    .await
    .unwrap();
    for (n, rel, name) in [
        ("15220119850303102", "head", "王秀兰"),
        ("15220120150101003", "child", "王小"),
    ] {
        applications::add_member(
            &db,
            &store,
            &me,
            &NewApplicant {
                id_number: id(n),
                name: name.into(),
                relation: rel.into(),
                circumstances: Circumstances::default(),
            },
            vec![
                NewDocument {
                    evidence_code: "id_card".into(),
                    bytes: png(n.as_bytes()[16]),
                },
                NewDocument {
                    evidence_code: "household_register".into(),
                    bytes: png(n.as_bytes()[15]),
                },
            ],
            LIMIT,
        )
        .await
        .unwrap();
    }
    let e = head_without_photos(&db, &store, &me, "15220119600101004", "又一个").await;
    assert_eq!(e.code(), "head_twice");
    let mine = applications::mine(&db, &me).await.unwrap().unwrap();
    assert_eq!(mine.members.len(), 2);
    // The applicant opens their own photos; another office does not see the application.
    let sha = mine.members[0].documents[0].sha256.clone();
    assert!(db::documents::open(&db, &store, &me, &sha).await.is_ok());
    let off_a = actor(&db, "off_a").await;
    let off_b = actor(&db, "off_b").await;
    assert!(applications::pending(&db, &off_b).await.unwrap().is_empty());
    assert!(matches!(
        applications::get(&db, &off_b, app_id).await.unwrap_err(),
        Error::Forbidden
    ));
    assert!(matches!(
        db::documents::open(&db, &store, &off_b, &sha)
            .await
            .unwrap_err(),
        Error::Forbidden
    ));
    assert!(matches!(
        applications::complete(&db, &policy, &off_b, app_id)
            .await
            .unwrap_err(),
        Error::Forbidden
    ));
    assert!(matches!(
        applications::complete(&db, &policy, &me, app_id)
            .await
            .unwrap_err(),
        Error::Forbidden
    ));
    assert_eq!(applications::pending(&db, &off_a).await.unwrap().len(), 1);

    let done = applications::complete(&db, &policy, &off_a, app_id)
        .await
        .unwrap();
    // The office's own gap-free series, as at the desk.
    assert!(
        done.household_number.ends_with("-0001"),
        "{}",
        done.household_number
    );
    let bound: Option<i64> = sqlx::query_scalar("SELECT household_id FROM users WHERE id = $1")
        .bind(me.user_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(bound, Some(done.household_id));
    let me = db::accounts::actor_by_id(&db, me.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db::households::get(&db, &me, done.household_id)
            .await
            .unwrap()
            .address,
        "新街 1 号"
    );
    // The child is enrolled; a working-age adult belongs in employee insurance
    // and stays on the desk with its refusal.
    assert_eq!(done.enrolled.len(), 1, "{done:?}");
    assert_eq!(
        done.left.iter().map(|l| l.1.as_str()).collect::<Vec<_>>(),
        ["working_age_not_covered"]
    );
    let trail = db::audit::history(&db, "household_application", &app_id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "household_application.open",
            "household_application.complete"
        ]
    );
    assert!(trail[1].actor.contains("off_a"));
    assert_eq!(
        applications::complete(&db, &policy, &off_a, app_id)
            .await
            .unwrap_err()
            .code(),
        "state_changed"
    );
}
both!(new_household, new_household_from_signup_to_binding);
