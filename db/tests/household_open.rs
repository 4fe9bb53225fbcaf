//! Opening a household at the desk and the family's sign-up with its code,
//! the same body on SQLite and PostgreSQL: numbers gap-free per office and
//! year under concurrency; a refused opening writes nothing and takes no
//! number; codes single-use, expiring, reissued; another office can neither
//! open for an office not its own nor read the household; duplicate flags.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::id;

use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::household_open::{self, Member, NewHousehold, Signup};
use db::households::Circumstances;
use db::scope::Role;
use db::{Db, Error};
use policy::params::Rules;

const PW: &str = "correct horse";

async fn world(db: &Db) {
    let sys = || By::System("test");
    common::orgs(
        db,
        &[
            ("CA", "county_agency", "152201"),
            ("CB", "county_agency", "152222"),
            ("OA", "office", "152201"),
            ("OB", "office", "152222"),
        ],
    )
    .await;
    for (u, role, org) in [
        ("off_a", Role::OfficeAgent, "OA"),
        ("off_a2", Role::OfficeAgent, "OA"),
        ("off_b", Role::OfficeAgent, "OB"),
        ("rev_a", Role::AgencyReviewer, "CA"),
        ("rev_b", Role::AgencyReviewer, "CB"),
    ] {
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

fn rules() -> Rules {
    Rules::try_builtin().unwrap()
}

fn year(rules: &Rules) -> i32 {
    *rules.years.keys().next_back().unwrap()
}

fn member(idn: &str, name: &str, relation: &str) -> Member {
    Member {
        id_number: idn.into(),
        name: name.into(),
        relation: relation.into(),
        phone: "13800138000".into(),
        circumstances: Circumstances::default(),
    }
}

/// A household of three: an elderly head, a child, a grandparent; the
/// identity numbers differ by `seq` (0–99).
fn family(office: &str, year: i32, seq: u32) -> NewHousehold {
    let s = |base: &str| id(&format!("{base}{:03}", seq % 1000));
    NewHousehold {
        office_code: office.into(),
        address: format!("和平街{seq}号"),
        hukou_type: "local_urban".into(),
        policy_year: year,
        members: vec![
            member(&s("15220119500101"), "王大山", "head"),
            member(&s("15220120150601"), "王小明", "grandchild"),
            member(&s("15220119520301"), "李秀英", "spouse"),
        ],
    }
}

async fn opens_a_household_in_one_go(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let o = household_open::open(&db, &rules, &off, &family("OA", y, 1), 30)
        .await
        .unwrap();
    assert_eq!(o.number, format!("OA-{y}-0001"));
    assert_eq!(o.persons.len(), 3);
    assert_eq!(o.enrolments.len() + o.not_enrolled.len(), 3);
    assert!(o.enrolments.len() >= 2, "{:?}", o.not_enrolled);
    // Drafts on the engine's terms, waiting for the agency.
    let e = db::enrolment::get(&db, &off, o.enrolments[0])
        .await
        .unwrap();
    assert_eq!(e.status, db::enrolment::Status::Draft);
    assert_eq!(e.registrar_org, "OA");
    // Relations and phones are kept; every change is audited.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM household_members WHERE relation = 'head'"
        )
        .await,
        1
    );
    for action in [
        "household.create",
        "person.create",
        "household.member",
        "enrolment.register",
        "household.activation_code",
    ] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert!(n >= 1, "{action}");
    }
    // Only the code's hash is stored.
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM activation_codes")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 64);
    assert!(!stored.contains(&household_open::normalise_code(&o.code)));
    // The next one of the office and year is 2; another office starts at 1.
    let o2 = household_open::open(&db, &rules, &off, &family("OA", y, 2), 30)
        .await
        .unwrap();
    assert_eq!(o2.number, format!("OA-{y}-0002"));
    let off_b = actor(&db, "off_b").await;
    let mut fb = family("OB", y, 3);
    for m in &mut fb.members {
        m.id_number = id(&format!("152222{}", &m.id_number[6..17]));
    }
    let ob = household_open::open(&db, &rules, &off_b, &fb, 30)
        .await
        .unwrap();
    assert_eq!(ob.number, format!("OB-{y}-0001"));
}
both!(
    opens_a_household_in_one_go_story,
    opens_a_household_in_one_go
);

async fn concurrent_openings_are_gap_free(db: Db) {
    world(&db).await;
    let rules = std::sync::Arc::new(rules());
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let mut tasks = Vec::new();
    for seq in 0..10u32 {
        let (db, rules, off) = (db.clone(), rules.clone(), off.clone());
        tasks.push(tokio::spawn(async move {
            household_open::open(&db, &rules, &off, &family("OA", y, 10 + seq), 30)
                .await
                .map(|o| o.number)
                .map_err(|r| r.error.code())
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    numbers.sort();
    let wanted: Vec<String> = (1..=10).map(|n| format!("OA-{y}-{n:04}")).collect();
    assert_eq!(numbers, wanted);
}
both!(
    concurrent_openings_are_gap_free_story,
    concurrent_openings_are_gap_free
);

async fn refused_openings_write_nothing(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let tables = [
        "households",
        "persons",
        "household_members",
        "enrolments",
        "activation_codes",
        "household_number_series",
        "audit_log",
    ];
    let before = {
        let mut v = Vec::new();
        for t in tables {
            v.push(count(&db, &format!("SELECT COUNT(*) FROM {t}")).await);
        }
        v
    };
    let refused = |f: &dyn Fn(&mut NewHousehold)| {
        let mut h = family("OA", y, 5);
        f(&mut h);
        h
    };
    let future = {
        // Born next year: the engine refuses it, by the member's number.
        let next = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
        id(&format!("152201{next}0101001"))
    };
    let bad_checksum = {
        let good = id("15220120150601001");
        let last = if good.ends_with('0') { '1' } else { '0' };
        format!("{}{last}", &good[..17])
    };
    let cases: Vec<(NewHousehold, &str, &str)> = vec![
        (
            refused(&|h| h.address = "  ".into()),
            "address",
            "address_required",
        ),
        (
            refused(&|h| h.address = "长".repeat(201)),
            "address",
            "address_too_long",
        ),
        (
            refused(&|h| h.hukou_type = "mars".into()),
            "hukou_type",
            "hukou_type",
        ),
        (
            refused(&|h| h.members[1].id_number = bad_checksum.clone()),
            "m1_id_number",
            "id:bad_checksum",
        ),
        (
            refused(&|h| h.members[2].name = " ".into()),
            "m2_name",
            "name",
        ),
        (
            refused(&|h| h.members[2].name = "名".repeat(51)),
            "m2_name",
            "name_too_long",
        ),
        (
            refused(&|h| h.members[1].id_number = h.members[0].id_number.clone()),
            "m1_id_number",
            "duplicate_in_form",
        ),
        (
            refused(&|h| h.members[1].id_number = future.clone()),
            "m1_id_number",
            "birth_in_future",
        ),
        (
            refused(&|h| h.members[1].relation = "head".into()),
            "m1_relation",
            "head_required",
        ),
        (
            refused(&|h| h.members[2].phone = "12ab".into()),
            "m2_phone",
            "contact_phone",
        ),
    ];
    for (h, field, code) in cases {
        let r = household_open::open(&db, &rules, &off, &h, 30)
            .await
            .unwrap_err();
        assert_eq!((r.field.as_deref(), r.error.code()), (Some(field), code));
        assert!(r.error.status() >= 400 && r.error.status() < 500);
    }
    // Nothing written by any of them: no row, no number, no audit entry.
    for (t, n) in tables.iter().zip(&before) {
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {t}")).await,
            *n,
            "{t}"
        );
    }
    // Someone already recorded elsewhere: refused by their field, after the
    // transaction began; the number taken meanwhile is given back.
    let first = household_open::open(&db, &rules, &off, &family("OA", y, 6), 30)
        .await
        .unwrap();
    let mut again = family("OA", y, 7);
    again.members[2].id_number = family("OA", y, 6).members[0].id_number.clone();
    let r = household_open::open(&db, &rules, &off, &again, 30)
        .await
        .unwrap_err();
    assert_eq!(
        (r.field.as_deref(), r.error.code()),
        (Some("m2_id_number"), "person_exists")
    );
    let next = household_open::open(&db, &rules, &off, &family("OA", y, 8), 30)
        .await
        .unwrap();
    assert_eq!(first.number, format!("OA-{y}-0001"));
    assert_eq!(next.number, format!("OA-{y}-0002"), "no number was lost");
    // Before the two good openings, nothing had been written.
    let households = count(&db, "SELECT COUNT(*) FROM households").await;
    assert_eq!(households, before[0] + 2);
}
both!(
    refused_openings_write_nothing_story,
    refused_openings_write_nothing
);

async fn only_its_own_office(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off_a = actor(&db, "off_a").await;
    let off_b = actor(&db, "off_b").await;
    let rev_b = actor(&db, "rev_b").await;
    // Office B cannot open a household for office A.
    let r = household_open::open(&db, &rules, &off_b, &family("OA", y, 1), 30)
        .await
        .unwrap_err();
    assert!(matches!(r.error, Error::Forbidden));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM households").await, 0);
    // Nor read it, nor reissue its code; the other county's agency neither.
    let o = household_open::open(&db, &rules, &off_a, &family("OA", y, 1), 30)
        .await
        .unwrap();
    assert!(matches!(
        db::households::get(&db, &off_b, o.household_id).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        db::households::get(&db, &rev_b, o.household_id).await,
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        household_open::reissue_code(&db, &off_b, o.household_id, 30).await,
        Err(Error::Forbidden)
    ));
    let (pages, _) = household_open::list_page(&db, &off_b, "", 1, 20)
        .await
        .unwrap();
    assert!(pages.is_empty());
    let (mine, _) = household_open::list_page(&db, &off_a, "王大", 1, 20)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    // The phone given at the desk finds its person, typed with spaces, for
    // the office and not for the other.
    sqlx::query("UPDATE household_members SET phone = '13912345678' WHERE household_id = $1")
        .bind(o.household_id)
        .execute(&db.pool)
        .await
        .unwrap();
    let found = db::people::search(&db, &off_a, "139 1234 5678")
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    let found = db::people::search(&db, &off_b, "13912345678")
        .await
        .unwrap();
    assert!(found.is_empty(), "{found:?}");
}
both!(only_its_own_office_story, only_its_own_office);

fn signup_of(code: &str, idn: &str, username: &str) -> Signup {
    Signup {
        code: code.into(),
        id_number: idn.into(),
        username: username.into(),
        display_name: "王大山".into(),
        password: "family-pass-2027".into(),
    }
}

async fn codes_are_single_use_expire_and_reissue(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let fam = family("OA", y, 1);
    let o = household_open::open(&db, &rules, &off, &fam, 30)
        .await
        .unwrap();
    let member = &fam.members[1].id_number;
    // A number of no member of the household: refused like a wrong code.
    let stranger = id("15220119800101999");
    let r = household_open::signup(&db, &signup_of(&o.code, &stranger, "wang"))
        .await
        .unwrap_err();
    assert_eq!(
        (r.field.as_deref(), r.error.code()),
        (Some("code"), "activation_code")
    );
    // Typed in lower case with spaces: accepted; the account is the household's.
    let typed = format!(" {} ", o.code.to_lowercase().replace('-', " "));
    let user = household_open::signup(&db, &signup_of(&typed, member, "wang"))
        .await
        .unwrap();
    let res = actor_of(&db, "wang", "family-pass-2027").await;
    assert_eq!(
        (res.user_id, res.role, res.household_id),
        (user, Role::Resident, Some(o.household_id))
    );
    // Used: refused, and nothing more is written.
    let users = count(&db, "SELECT COUNT(*) FROM users").await;
    let r = household_open::signup(&db, &signup_of(&o.code, member, "wang2"))
        .await
        .unwrap_err();
    assert_eq!(r.error.code(), "activation_code");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM users").await, users);
    // Reissued: the old open code stops working, the new one works.
    let (old, _) = household_open::reissue_code(&db, &off, o.household_id, 30)
        .await
        .unwrap();
    let (new, _) = household_open::reissue_code(&db, &off, o.household_id, 30)
        .await
        .unwrap();
    let r = household_open::signup(&db, &signup_of(&old, member, "lina"))
        .await
        .unwrap_err();
    assert_eq!(r.error.code(), "activation_code");
    household_open::signup(&db, &signup_of(&new, member, "lina"))
        .await
        .unwrap();
    // Expired: refused.
    let (late, _) = household_open::reissue_code(&db, &off, o.household_id, 30)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE activation_codes SET expires_at = 1 WHERE used_at IS NULL AND revoked_at IS NULL",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let r = household_open::signup(&db, &signup_of(&late, member, "zhao"))
        .await
        .unwrap_err();
    assert_eq!(r.error.code(), "activation_code");
    // A bad password or a taken username is refused by its field, the code kept.
    let (code, _) = household_open::reissue_code(&db, &off, o.household_id, 30)
        .await
        .unwrap();
    let mut short = signup_of(&code, member, "zhao");
    short.password = "short".into();
    let r = household_open::signup(&db, &short).await.unwrap_err();
    assert_eq!(
        (r.field.as_deref(), r.error.code()),
        (Some("password"), "password_too_short")
    );
    let r = household_open::signup(&db, &signup_of(&code, member, "wang"))
        .await
        .unwrap_err();
    assert_eq!(
        (r.field.as_deref(), r.error.code()),
        (Some("username"), "username_taken")
    );
    household_open::signup(&db, &signup_of(&code, member, "zhao"))
        .await
        .unwrap();
    // Two sign-ups at once with one code: one account.
    let (code, _) = household_open::reissue_code(&db, &off, o.household_id, 30)
        .await
        .unwrap();
    let (sa, sb) = (
        signup_of(&code, member, "race1"),
        signup_of(&code, member, "race2"),
    );
    let a = household_open::signup(&db, &sa);
    let b = household_open::signup(&db, &sb);
    let (a, b) = tokio::join!(a, b);
    assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1);
}
both!(codes_story, codes_are_single_use_expire_and_reissue);

async fn actor_of(db: &Db, username: &str, password: &str) -> db::Actor {
    match db::accounts::login(db, username, password, "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{username} could not log in: {other:?}"),
    }
}

async fn duplicates_are_flagged_in_scope(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let a = family("OA", y, 1);
    household_open::open(&db, &rules, &off, &a, 30)
        .await
        .unwrap();
    // The same name and birth date under another number, in another household;
    // and five more persons on the head's phone (eight in all).
    let mut b = family("OA", y, 2);
    b.members[0].name = a.members[0].name.clone();
    household_open::open(&db, &rules, &off, &b, 30)
        .await
        .unwrap();
    household_open::open(&db, &rules, &off, &family("OA", y, 3), 30)
        .await
        .unwrap();
    let rev_a = actor(&db, "rev_a").await;
    let flags = db::duplicates::flags(&db, &rev_a, 50).await.unwrap();
    use db::duplicates::FlagKind;
    let same: Vec<_> = flags
        .iter()
        .filter(|f| f.kind == FlagKind::SameNameAndBirth)
        .collect();
    assert!(!same.is_empty(), "{flags:?}");
    assert_eq!(same[0].persons.len(), 2);
    assert!(flags
        .iter()
        .any(|f| f.kind == FlagKind::SharedPhone && f.detail == "13800138000"));
    // The other county's agency sees none of them; an office is refused.
    let rev_b = actor(&db, "rev_b").await;
    assert!(db::duplicates::flags(&db, &rev_b, 50)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        db::duplicates::flags(&db, &off, 50).await,
        Err(Error::Forbidden)
    ));
}
both!(duplicates_story, duplicates_are_flagged_in_scope);

/// The head signs up with the family's code and pays online for his wife:
/// the payment says who paid and as what, for the office to see; paying for
/// himself says "self".
async fn a_member_pays_for_another(db: Db) {
    world(&db).await;
    let rules = rules();
    let y = year(&rules);
    let off = actor(&db, "off_a").await;
    let rev = actor(&db, "rev_a").await;
    let fam = family("OA", y, 7);
    let o = household_open::open(&db, &rules, &off, &fam, 30)
        .await
        .unwrap();
    let head = &fam.members[0].id_number;
    household_open::signup(&db, &signup_of(&o.code, head, "dashan"))
        .await
        .unwrap();
    let res = actor_of(&db, "dashan", "family-pass-2027").await;
    for e in &o.enrolments {
        db::enrolment::submit(&db, &off, *e).await.unwrap();
        db::enrolment::approve(&db, &rev, *e).await.unwrap();
    }
    let sim = db::provider::Simulator::new(b"a key for the tests only");
    let now = db::now_ms();
    let mut relations = Vec::new();
    for e in &o.enrolments {
        let enrolment = db::enrolment::get(&db, &off, *e).await.unwrap();
        let notice = db::notices::for_enrolment(&db, &rules, &res, *e)
            .await
            .unwrap();
        if notice.amount_fen == 0 {
            continue;
        }
        let order = db::payments::create_order(&db, &rules, &res, &notice.number, &sim, now)
            .await
            .unwrap();
        let (body, sig) = sim.pay(&db, &order.order_number, now).await.unwrap();
        db::payments::on_notification(&db, &rules, &sim, &body, &sig)
            .await
            .unwrap();
        // The office reads it on the person's enquiry.
        let paid = db::payments::for_person(&db, &off, enrolment.person_id)
            .await
            .unwrap();
        let p = paid.last().unwrap();
        assert_eq!(p.paid_online_by.as_deref(), Some("王大山"));
        let person = db::households::get_person(&db, &off, enrolment.person_id)
            .await
            .unwrap();
        relations.push((person.name, p.payer_relation.clone().unwrap()));
    }
    assert!(
        relations.contains(&("王大山".into(), "self".into())),
        "{relations:?}"
    );
    assert!(
        relations.contains(&("李秀英".into(), "spouse".into())),
        "{relations:?}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.order' AND after_json LIKE '%payer_relation%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(audited as usize, relations.len());
}
both!(acting_story, a_member_pays_for_another);
