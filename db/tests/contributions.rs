//! Contributions' story on SQLite and PostgreSQL: payment notices with
//! gap-free numbers, cash with receipts, the provider's signed notifications,
//! exactly-once recording under retries, replays and races, overpayments,
//! declarations with their working-day deadlines, and the 1 May sweep.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use std::sync::Arc;

use common::league::{approved_notice, at, day, elderly, league, pays, rules};
use db::audit::By;
use db::payments::{self, Channel, Recorded};
use db::provider::Simulator;
use db::{Db, Error};
use policy::contribution::StatusCode;

const KEY: &[u8] = b"test-simulator-key";

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// The code of the error a call must fail with.
fn fails<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    r.expect_err("the call must fail").code()
}

fn key(n: u32) -> String {
    format!("request-key-{n:08}")
}

async fn cash_and_declaration(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let person = elderly(&db, &l, 1).await;
    let e = db::enrolment::register(&db, &rules, &l.office, person, 2009)
        .await
        .unwrap();
    assert_eq!(
        fails(db::notices::for_enrolment(&db, &rules, &l.office, e).await),
        "not_approved",
        "no notice before approval"
    );
    db::enrolment::submit(&db, &l.office, e).await.unwrap();
    db::enrolment::approve(&db, &l.reviewer, e).await.unwrap();
    let notice = db::notices::for_enrolment(&db, &rules, &l.resident, e)
        .await
        .unwrap();
    assert_eq!(notice.number, "2009-TZ-000001");
    assert_eq!(
        notice.amount_fen, 13_000,
        "2009 adult standard personal share 130.00"
    );
    assert_eq!(
        notice.due_date, "2009-04-30",
        "new enrollee pays by 30 April (E8)"
    );
    let again = db::notices::for_enrolment(&db, &rules, &l.office, e)
        .await
        .unwrap();
    assert_eq!(again, notice, "issuing again returns the same notice");

    // Cash on Sunday 1 March 2009, 09:30.
    let paid_at = at("2009-03-01 09:30");
    let first = payments::record_cash(&db, &rules, &l.office, &notice.number, &key(1), paid_at)
        .await
        .unwrap();
    let Recorded::New(p) = first else {
        panic!("first cash is new: {first:?}")
    };
    assert_eq!(p.receipt_number, "2009-SJ-000001");
    assert_eq!(
        (p.premium, p.back_payment, p.channel),
        (true, false, Channel::OfficeCash)
    );
    assert_eq!(p.paid_on, "2009-03-01");
    // The same form again (a retry): the same payment, nothing new.
    let retry = payments::record_cash(&db, &rules, &l.office, &notice.number, &key(1), paid_at + 5)
        .await
        .unwrap();
    assert_eq!(retry, Recorded::Already(p.clone()));
    // The key in anyone else's hands shows no receipt.
    let mut stranger = l.office.clone();
    stranger.username = "another-office-agent".into();
    stranger.org_code = Some("OB".into());
    assert_eq!(
        fails(
            payments::record_cash(&db, &rules, &stranger, &notice.number, &key(1), paid_at + 9)
                .await
        ),
        "forbidden"
    );
    // A second real payment is refused before money is taken.
    assert_eq!(
        fails(
            payments::record_cash(&db, &rules, &l.office, &notice.number, &key(2), paid_at).await
        ),
        "already_paid"
    );
    let sim = Simulator::new(KEY);
    assert_eq!(
        fails(
            payments::create_order(&db, &rules, &l.resident, &notice.number, &sim, paid_at).await
        ),
        "already_paid"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM payments").await, 1);

    // Status from the policy engine over the stored payment (M28: from the day of payment).
    let st = payments::status(&db, &rules, &l.resident, person, day("2009-03-01"))
        .await
        .unwrap();
    assert_eq!((st.status, st.continuous_years), (StatusCode::Active, 1));
    let before = payments::status(&db, &rules, &l.resident, person, day("2009-02-28"))
        .await
        .unwrap();
    assert_eq!(before.status, StatusCode::NotEnrolled);

    // Declaration within 3 working days (E13): Monday 2, Tuesday 3, Wednesday 4 March.
    let due = db::declarations::undeclared(&db, &rules, &l.office, day("2009-03-04"))
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].deadline, Some(day("2009-03-04")));
    assert!(!due[0].overdue);
    let late = db::declarations::undeclared(&db, &rules, &l.office, day("2009-03-05"))
        .await
        .unwrap();
    assert!(late[0].overdue);
    let overdue = db::declarations::overdue(&db, &rules, &l.agency, day("2009-03-05"))
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(
        (overdue[0].org_code.as_str(), overdue[0].total_fen),
        ("OA", 13_000)
    );
    assert!(
        db::declarations::overdue(&db, &rules, &l.agency, day("2009-03-04"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        fails(db::declarations::declare(&db, &l.reviewer, paid_at, None).await),
        "forbidden"
    );
    // What the desk showed is no longer so: refused, nothing declared.
    assert_eq!(
        fails(
            db::declarations::declare(
                &db,
                &l.office,
                at("2009-03-05 10:00"),
                Some(db::declarations::Seen {
                    payments: 2,
                    total_fen: 13_000
                })
            )
            .await
        ),
        "declaration_changed"
    );
    let d = db::declarations::declare(
        &db,
        &l.office,
        at("2009-03-05 10:00"),
        Some(db::declarations::Seen {
            payments: 1,
            total_fen: 13_000,
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        (d.number.as_str(), d.payments, d.total_fen),
        ("2009-HD-000001", 1, 13_000)
    );
    assert_eq!(
        fails(db::declarations::declare(&db, &l.office, at("2009-03-05 10:01"), None).await),
        "nothing_to_declare"
    );
    assert!(
        db::declarations::overdue(&db, &rules, &l.agency, day("2009-03-06"))
            .await
            .unwrap()
            .is_empty()
    );
    let lines = db::declarations::lines(&db, &l.agency, &d.number)
        .await
        .unwrap();
    assert_eq!(
        lines[0].declaration_number.as_deref(),
        Some("2009-HD-000001")
    );
    assert_eq!(
        fails(db::declarations::lines(&db, &l.resident, &d.number).await),
        "forbidden"
    );

    // The QR link verifies the notice, and only with its code.
    let v = db::notices::verify(&db, &notice.number, &notice.verify_code)
        .await
        .unwrap();
    assert!(v.paid);
    assert_eq!(v.name_masked, "老*");
    assert_eq!(
        fails(db::notices::verify(&db, &notice.number, "0000").await),
        "not_found"
    );
    assert!(db::audit::verify(&db).await.unwrap().first_broken.is_none());
}
both!(cash, cash_and_declaration);

async fn online_payments(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let sim = Simulator::new(KEY);
    let when = at("2009-03-10 20:15");
    let a = elderly(&db, &l, 2).await;
    let notice = approved_notice(&db, &rules, &l, a, 2009).await;
    assert_eq!(
        fails(payments::create_order(&db, &rules, &l.office, &notice, &sim, when).await),
        "forbidden",
        "agents take cash; orders are the resident's"
    );
    let o1 = payments::create_order(&db, &rules, &l.resident, &notice, &sim, when)
        .await
        .unwrap();
    let o2 = payments::create_order(&db, &rules, &l.resident, &notice, &sim, when)
        .await
        .unwrap();
    assert_eq!(
        o1.order_number, o2.order_number,
        "two phones share the open order"
    );
    let (body, sig) = sim.pay(&db, &o1.order_number, when).await.unwrap();
    // A forged notification records nothing.
    let forged = body.replace("13000", "1");
    assert_eq!(
        fails(payments::on_notification(&db, &rules, &sim, &forged, &sig).await),
        "bad_signature"
    );
    // Correctly signed, but not the order's amount.
    let signed_wrong = sim.sign(&forged);
    assert_eq!(
        fails(payments::on_notification(&db, &rules, &sim, &forged, &signed_wrong).await),
        "amount_mismatch"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM payments").await, 0);
    // Signed, but dated a month before the order existed: recorded as paid
    // when the order was made, never earlier (the day paid starts cover).
    let month = 30 * 86_400_000;
    let backdated = body.replace(&when.to_string(), &(when - month).to_string());
    assert_ne!(backdated, body);
    let backdated_sig = sim.sign(&backdated);
    let rec = payments::on_notification(&db, &rules, &sim, &backdated, &backdated_sig)
        .await
        .unwrap();
    let Recorded::New(p) = rec else {
        panic!("{rec:?}")
    };
    assert_eq!(
        (p.channel, p.premium, p.paid_at),
        (Channel::Online, true, when)
    );
    // The provider notifies again (it always retries until acknowledged), and pays the order again: one payment.
    let replay = payments::on_notification(&db, &rules, &sim, &body, &sig)
        .await
        .unwrap();
    assert_eq!(replay, Recorded::Already(p.clone()));
    let (body2, sig2) = sim.pay(&db, &o1.order_number, when + 60_000).await.unwrap();
    assert_eq!(
        body2, body,
        "the simulator never takes money twice for an order"
    );
    assert_eq!(
        payments::on_notification(&db, &rules, &sim, &body2, &sig2)
            .await
            .unwrap(),
        Recorded::Already(p)
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM payments").await, 1);

    // Cash taken while an order is open closes the order: the phone cannot pay it.
    let b = elderly(&db, &l, 3).await;
    let nb = approved_notice(&db, &rules, &l, b, 2009).await;
    let ob = payments::create_order(&db, &rules, &l.resident, &nb, &sim, when)
        .await
        .unwrap();
    payments::record_cash(&db, &rules, &l.office, &nb, &key(3), when)
        .await
        .unwrap();
    assert_eq!(
        fails(sim.pay(&db, &ob.order_number, when).await),
        "already_paid"
    );

    // The provider took the money before the cash arrived, and its notification comes after:
    // an overpayment to refund, never merged into the premium.
    let c = elderly(&db, &l, 4).await;
    let nc = approved_notice(&db, &rules, &l, c, 2009).await;
    let oc = payments::create_order(&db, &rules, &l.resident, &nc, &sim, when)
        .await
        .unwrap();
    let (bc, sc) = sim.pay(&db, &oc.order_number, when).await.unwrap();
    // The order is open at the provider's, so cash goes through too.
    sqlx::query("UPDATE payment_orders SET status = 'created' WHERE order_number = $1")
        .bind(&oc.order_number)
        .execute(&db.pool)
        .await
        .unwrap();
    payments::record_cash(&db, &rules, &l.office, &nc, &key(4), when)
        .await
        .unwrap();
    let over = payments::on_notification(&db, &rules, &sim, &bc, &sc)
        .await
        .unwrap();
    let Recorded::New(over) = over else {
        panic!("{over:?}")
    };
    assert!(!over.premium, "recorded as an overpayment");
    let kinds: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, amount_fen FROM payments WHERE person_id = $1 ORDER BY id")
            .bind(c)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        vec![("premium".into(), 13_000), ("overpayment".into(), 13_000)]
    );

    // The agency sees it to refund; only an administrator marks it refunded, once.
    let owed = payments::overpayments_to_refund(&db, &l.agency)
        .await
        .unwrap();
    assert_eq!(owed.len(), 1);
    assert_eq!(owed[0].receipt_number, over.receipt_number);
    assert_eq!(
        fails(payments::overpayments_to_refund(&db, &l.office).await),
        "forbidden"
    );
    assert_eq!(
        fails(payments::mark_refunded(&db, &l.reviewer, &over.receipt_number).await),
        "forbidden"
    );
    let refunded = payments::mark_refunded(&db, &l.agency, &over.receipt_number)
        .await
        .unwrap();
    assert!(refunded.refunded_at.is_some());
    let again = payments::mark_refunded(&db, &l.agency, &over.receipt_number)
        .await
        .unwrap();
    assert_eq!(
        again.refunded_at, refunded.refunded_at,
        "a second click changes nothing"
    );
    assert!(payments::overpayments_to_refund(&db, &l.agency)
        .await
        .unwrap()
        .is_empty());
    let premium = kinds_receipt(&db, c, "premium").await;
    assert_eq!(
        fails(payments::mark_refunded(&db, &l.agency, &premium).await),
        "not_an_overpayment"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.refunded'"
        )
        .await,
        1
    );
}
both!(online, online_payments);

async fn kinds_receipt(db: &Db, person: i64, kind: &str) -> String {
    sqlx::query_scalar("SELECT receipt_number FROM payments WHERE person_id = $1 AND kind = $2")
        .bind(person)
        .bind(kind)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn exactly_once_under_concurrency(db: Db) {
    let rules = Arc::new(rules());
    let l = Arc::new(league(&db).await);
    let when = at("2009-03-02 10:00");
    let mut notices = Vec::new();
    for n in 0..100 {
        let p = elderly(&db, &l, 10 + n).await;
        notices.push(approved_notice(&db, &rules, &l, p, 2009).await);
    }
    // 100 cash payments for different people at once: receipts 1..=100, no gap, no duplicate.
    let mut tasks = Vec::new();
    for (n, number) in notices.iter().enumerate() {
        let (db, rules, l, number) = (db.clone(), rules.clone(), l.clone(), number.clone());
        tasks.push(tokio::spawn(async move {
            payments::record_cash(&db, &rules, &l.office, &number, &key(n as u32), when).await
        }));
    }
    for t in tasks {
        assert!(matches!(t.await.unwrap(), Ok(Recorded::New(_))));
    }
    let mut receipts: Vec<String> = sqlx::query_scalar("SELECT receipt_number FROM payments")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    receipts.sort();
    let expected: Vec<String> = (1..=100).map(|n| format!("2009-SJ-{n:06}")).collect();
    assert_eq!(receipts, expected);

    // 20 attempts to pay one notice at once (different forms): one payment.
    let p = elderly(&db, &l, 500).await;
    let one = approved_notice(&db, &rules, &l, p, 2009).await;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (db, rules, l, one) = (db.clone(), rules.clone(), l.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            payments::record_cash(&db, &rules, &l.office, &one, &key(1000 + n), when).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(Recorded::New(_)) => ok += 1,
            Err(ref e) if e.code() == "already_paid" => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(ok, 1);
    // 20 deliveries of one notification at once: one payment.
    let sim = Arc::new(Simulator::new(KEY));
    let q = elderly(&db, &l, 501).await;
    let two = approved_notice(&db, &rules, &l, q, 2009).await;
    let order = payments::create_order(&db, &rules, &l.resident, &two, sim.as_ref(), when)
        .await
        .unwrap();
    let (body, sig) = sim.pay(&db, &order.order_number, when).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (db, rules, sim, body, sig) = (
            db.clone(),
            rules.clone(),
            sim.clone(),
            body.clone(),
            sig.clone(),
        );
        tasks.push(tokio::spawn(async move {
            payments::on_notification(&db, &rules, sim.as_ref(), &body, &sig).await
        }));
    }
    let mut new = 0;
    for t in tasks {
        match t.await.unwrap().unwrap() {
            Recorded::New(_) => new += 1,
            Recorded::Already(_) => {}
        }
    }
    assert_eq!(new, 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM payments").await, 102);
    let max: String = sqlx::query_scalar("SELECT MAX(receipt_number) FROM payments")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        max, "2009-SJ-000102",
        "losers of the races gave their numbers back"
    );
    assert!(db::audit::verify(&db).await.unwrap().first_broken.is_none());
}
both!(concurrency, exactly_once_under_concurrency);

async fn sweep_and_back_payment(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let (a, b, c) = (
        elderly(&db, &l, 700).await,
        elderly(&db, &l, 701).await,
        elderly(&db, &l, 702).await,
    );
    for (n, p) in [a, b, c].into_iter().enumerate() {
        let notice = approved_notice(&db, &rules, &l, p, 2009).await;
        payments::record_cash(
            &db,
            &rules,
            &l.office,
            &notice,
            &key(n as u32),
            at("2009-03-02 10:00"),
        )
        .await
        .unwrap();
    }
    // a pays 2010 on time (second year: by 30 April 2010).
    let na = approved_notice(&db, &rules, &l, a, 2010).await;
    let notice_a = db::notices::get(&db, &l.office, &na).await.unwrap();
    assert_eq!(notice_a.due_date, "2010-04-30");
    payments::record_cash(
        &db,
        &rules,
        &l.office,
        &na,
        &key(10),
        at("2010-03-01 09:00"),
    )
    .await
    .unwrap();
    let nc = approved_notice(&db, &rules, &l, c, 2010).await;

    let sys = || By::System("test");
    assert_eq!(
        db::sweep::run(&db, &rules, day("2010-04-30"), sys())
            .await
            .unwrap(),
        None,
        "not before 1 May"
    );
    let report = db::sweep::run(&db, &rules, day("2010-05-01"), sys())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((report.newly_interrupted, report.interrupted), (2, 2));
    assert_eq!(report.sweep_date, day("2010-05-01"));
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
    let again = db::sweep::run(&db, &rules, day("2010-05-02"), sys())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (again.newly_interrupted, again.interrupted),
        (0, 2),
        "running twice changes nothing"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    assert!(!db::sweep::interrupted(&db, a, 2010).await.unwrap());
    assert!(db::sweep::interrupted(&db, b, 2010).await.unwrap());

    // The policy engine over the stored payments agrees with the sweep.
    for (p, interrupted) in [(a, false), (b, true), (c, true)] {
        let st = payments::status(&db, &rules, &l.agency, p, day("2010-05-01"))
            .await
            .unwrap();
        assert_eq!(
            st.status == StatusCode::Interrupted,
            interrupted,
            "person {p}"
        );
    }
    // c back-pays 2010 in June: the years run on, but the interrupted days stay uncovered.
    let rec = payments::record_cash(
        &db,
        &rules,
        &l.office,
        &nc,
        &key(11),
        at("2010-06-01 15:00"),
    )
    .await
    .unwrap();
    assert!(
        rec.payment().back_payment,
        "paid after the sweep day: a back-payment (补缴)"
    );
    let st = payments::status(&db, &rules, &l.agency, c, day("2010-06-02"))
        .await
        .unwrap();
    assert_eq!((st.status, st.continuous_years), (StatusCode::Active, 2));
    let paid = payments::paid_years_of(&db.pool, c).await.unwrap();
    assert!(!policy::contribution::is_covered_on(&rules, &paid, day("2010-05-15")).unwrap());
    assert!(policy::contribution::is_covered_on(&rules, &paid, day("2010-06-01")).unwrap());
    assert!(db::sweep::interrupted(&db, c, 2010).await.unwrap());
    // The scheduled task's catch-up: earlier years never swept are swept once;
    // the current year is run again and changes nothing.
    let years = |rs: Vec<db::sweep::SweepReport>| {
        rs.iter()
            .map(|r| (r.policy_year, r.newly_interrupted))
            .collect::<Vec<_>>()
    };
    let first = db::sweep::catch_up(&db, &rules, day("2010-06-02"))
        .await
        .unwrap();
    assert_eq!(years(first), vec![(2008, 0), (2009, 0), (2010, 0)]);
    let second = db::sweep::catch_up(&db, &rules, day("2010-06-03"))
        .await
        .unwrap();
    assert_eq!(years(second), vec![(2010, 0)]);
    assert_eq!(
        db::sweep::summary(&db).await.unwrap()[0],
        (2010, "2010-05-01".to_string(), 2)
    );
}
both!(sweep, sweep_and_back_payment);

async fn card_deadlines(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let p = elderly(&db, &l, 900).await;
    let q = elderly(&db, &l, 901).await;
    approved_notice(&db, &rules, &l, p, 2009).await;
    // No card before the enrolment is approved.
    assert_eq!(
        fails(db::cards::take_fee(&db, &l.office, q, at("2009-03-06 10:00")).await),
        "not_approved"
    );
    assert_eq!(
        fails(db::cards::take_fee(&db, &l.reviewer, p, at("2009-03-06 10:00")).await),
        "forbidden"
    );
    // Fee taken on Friday 6 March 2009: the list is due in 2 working days (E13), Tuesday 10 March.
    db::cards::take_fee(&db, &l.office, p, at("2009-03-06 10:00"))
        .await
        .unwrap();
    assert_eq!(
        fails(db::cards::take_fee(&db, &l.office, p, at("2009-03-06 11:00")).await),
        "card_pending"
    );
    let pending = db::cards::pending(&db, &rules, &l.office, day("2009-03-10"))
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].deadline, pending[0].overdue),
        (Some(day("2009-03-10")), false)
    );
    assert!(
        db::cards::pending(&db, &rules, &l.office, day("2009-03-11"))
            .await
            .unwrap()[0]
            .overdue
    );
    // Sent on Wednesday 11 March: cards due in 7 working days (E19), Friday 20 March.
    let number = db::cards::send_list(&db, &l.office, at("2009-03-11 09:00"))
        .await
        .unwrap();
    assert_eq!(number, "2009-ZK-000001");
    assert_eq!(
        fails(db::cards::send_list(&db, &l.office, at("2009-03-11 09:05")).await),
        "no_cards_pending"
    );
    assert!(
        db::cards::pending(&db, &rules, &l.office, day("2009-03-11"))
            .await
            .unwrap()
            .is_empty()
    );
    let lists = db::cards::lists(&db, &rules, &l.agency, day("2009-03-23"))
        .await
        .unwrap();
    assert_eq!(
        (lists[0].deadline, lists[0].overdue, lists[0].cards),
        (Some(day("2009-03-20")), true, 1)
    );
    assert!(
        !db::cards::lists(&db, &rules, &l.agency, day("2009-03-20"))
            .await
            .unwrap()[0]
            .overdue
    );
    assert_eq!(
        fails(db::cards::mark_made(&db, &l.office, &number, at("2009-03-19 15:00")).await),
        "forbidden"
    );
    // Another county's centre neither.
    let mut elsewhere = l.reviewer.clone();
    elsewhere.county_code = Some("152222".into());
    assert_eq!(
        fails(db::cards::mark_made(&db, &elsewhere, &number, at("2009-03-19 15:00")).await),
        "forbidden"
    );
    assert_eq!(
        fails(
            db::cards::mark_made(&db, &l.reviewer, "2009-ZK-999999", at("2009-03-19 15:00")).await
        ),
        "not_found"
    );
    db::cards::mark_made(&db, &l.reviewer, &number, at("2009-03-19 15:00"))
        .await
        .unwrap();
    assert_eq!(
        fails(db::cards::mark_made(&db, &l.reviewer, &number, at("2009-03-19 15:01")).await),
        "state_changed"
    );
    assert!(
        !db::cards::lists(&db, &rules, &l.office, day("2009-03-23"))
            .await
            .unwrap()[0]
            .overdue
    );
    assert!(
        db::cards::lists(&db, &rules, &l.resident, day("2009-03-23"))
            .await
            .unwrap()
            .is_empty()
    );
}
both!(cards, card_deadlines);

/// What each level of government owes for the persons paid in a period
/// (E7, F7): the shares fixed on each enrolment, summed per county and tier;
/// another period, a refunded premium and an office owe nothing.
async fn subsidy_owed_per_level(db: Db) {
    let rules = rules();
    let l = league(&db).await;
    let mut people = Vec::new();
    for (n, paid) in [
        (1, "2009-03-02 09:00"),
        (2, "2009-03-31 16:00"),
        (3, "2009-04-01 08:30"),
    ] {
        let person = elderly(&db, &l, n).await;
        pays(&db, &rules, &l, person, 2009, paid).await;
        people.push(person);
    }
    let march = db::subsidy_owed::owed(&db, &l.agency, day("2009-03-01"), day("2009-03-31"))
        .await
        .unwrap();
    assert_eq!(march.len(), 1, "{march:?}");
    let line = &march[0];
    assert_eq!((line.county_code.as_str(), line.persons), ("152201", 2));
    // Each enrolment's own shares, twice.
    let e: (i64, i64, i64, i64, String) = sqlx::query_as(
        "SELECT subsidy_central_fen, subsidy_region_fen, subsidy_league_fen, subsidy_county_fen, tier
         FROM enrolments WHERE person_id = $1",
    )
    .bind(people[0])
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(line.tier, e.4);
    assert_eq!(
        (
            line.central_fen,
            line.region_fen,
            line.league_fen,
            line.county_fen
        ),
        (2 * e.0, 2 * e.1, 2 * e.2, 2 * e.3)
    );
    assert!(line.central_fen > 0);
    let csv = db::subsidy_owed::csv(&march);
    assert!(
        csv.starts_with("\u{feff}county_code,tier,persons,central"),
        "{csv}"
    );
    assert!(csv.contains(&format!("152201,{},2,", e.4)), "{csv}");
    // The first quarter holds all three; a refund takes one out.
    let q1 = db::subsidy_owed::owed(&db, &l.agency, day("2009-01-01"), day("2009-06-30"))
        .await
        .unwrap();
    assert_eq!(q1[0].persons, 3);
    sqlx::query("UPDATE payments SET refunded_at = 1 WHERE person_id = $1")
        .bind(people[2])
        .execute(&db.pool)
        .await
        .unwrap();
    let q1 = db::subsidy_owed::owed(&db, &l.agency, day("2009-01-01"), day("2009-06-30"))
        .await
        .unwrap();
    assert_eq!(q1[0].persons, 2);
    assert!(matches!(
        db::subsidy_owed::owed(&db, &l.office, day("2009-01-01"), day("2009-06-30")).await,
        Err(Error::Forbidden)
    ));
}
both!(subsidy_owed, subsidy_owed_per_level);
