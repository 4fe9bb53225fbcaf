//! Crash test: the server is killed (SIGKILL) in the middle of a stream of
//! payment notifications. After a restart every payment it acknowledged is
//! there, receipt numbers have no gap, and the provider's redelivery of
//! everything records each payment exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use db::accounts::LoginOutcome;
use db::audit::By;

const KEY: &str = "crash-test-simulator-key";
const PAYMENTS: usize = 120;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, url: &str, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("serve")
        .env("PORTAL_DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("PORTAL_DATA_DIR", dir.join("files"))
        .env("PORTAL_AUDIT_ANCHOR", dir.join("audit.anchor"))
        .env("PORTAL_PAYMENT_SIMULATOR_KEY", KEY)
        .env("PORTAL_PAYMENT_SIMULATOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// One notification over plain HTTP/1.1; true when the portal answered `200 success`.
fn deliver(port: u16, body: &str, signature: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let req = format!(
        "POST /api/v1/payments/notify/simulator HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nX-Portal-Signature: {signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") && answer.ends_with("success")
}

/// This year's receipt numbers, in order.
async fn receipts(db: &db::Db, year: i32) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT receipt_number FROM payments WHERE receipt_number LIKE $1 ORDER BY receipt_number",
    )
    .bind(format!("{year}-SJ-%"))
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

async fn online(db: &db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE channel = 'online'")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn consecutive(receipts: &[String], year: i32) -> bool {
    receipts
        .iter()
        .enumerate()
        .all(|(i, r)| *r == format!("{year}-SJ-{:06}", i + 1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_payments_survive_kill_9_without_gaps() {
    let dir = std::env::temp_dir().join(format!("portal_crash_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    let db = db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    server::demo::seed_with(&db, server::demo::Scale::Core)
        .await
        .unwrap();
    let rules = db::policy_years::load(&db).await.unwrap();
    let login = |u: &'static str| {
        let db = db.clone();
        async move {
            match db::accounts::login(&db, u, server::demo::DEMO_PASSWORD, "127.0.0.1")
                .await
                .unwrap()
            {
                LoginOutcome::Ok(a) => a,
                other => panic!("{other:?}"),
            }
        }
    };
    let (office, reviewer, resident) = (
        login("office1").await,
        login("reviewer1").await,
        login("resident1").await,
    );
    let household = resident.household_id.unwrap();
    let sim = db::provider::Simulator::new(KEY.as_bytes());
    // PAYMENTS elderly members of the resident's household, each with an
    // approved 2027 enrolment, its notice, an order and the provider's
    // signed notification, ready to be delivered.
    let facts = serde_json::json!({"in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false, "disability_grade": null,
        "low_income_household": false, "hukou_moved_in_year": null});
    let mut notifications = Vec::new();
    for n in 0..PAYMENTS {
        let born =
            chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + chrono::Days::new(n as u64);
        let id = server::demo::with_check(&format!(
            "152201{}{:03}",
            born.format("%Y%m%d"),
            21 + 2 * (n % 400)
        ));
        let person = db::households::add_person(
            &db,
            By::System("crash"),
            &id,
            "老人",
            Some(household),
            None,
            &facts,
        )
        .await
        .unwrap();
        let e = db::enrolment::register(&db, &rules, &office, person, 2027)
            .await
            .unwrap();
        db::enrolment::submit(&db, &office, e).await.unwrap();
        db::enrolment::approve(&db, &reviewer, e).await.unwrap();
        let notice = db::notices::for_enrolment(&db, &rules, &resident, e)
            .await
            .unwrap();
        let order =
            db::payments::create_order(&db, &rules, &resident, &notice.number, &sim, db::now_ms())
                .await
                .unwrap();
        notifications.push(
            sim.pay(&db, &order.order_number, db::now_ms())
                .await
                .unwrap(),
        );
    }
    let year = chrono::Datelike::year(&db::local_date(db::now_ms()));

    let port = free_port();
    let mut server = start(&dir, &url, port);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::new(AtomicUsize::new(0));
    let stream = {
        let (notifications, acknowledged, sent) =
            (notifications.clone(), acknowledged.clone(), sent.clone());
        std::thread::spawn(move || {
            for (body, sig) in &notifications {
                sent.fetch_add(1, Ordering::SeqCst);
                if deliver(port, body, sig) {
                    acknowledged.lock().unwrap().push(body.clone());
                }
            }
        })
    };
    // Kill it mid-stream, with requests in flight.
    let t = Instant::now();
    while acknowledged.lock().unwrap().len() < PAYMENTS / 3 {
        assert!(t.elapsed() < Duration::from_secs(120), "the stream stalled");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    stream.join().unwrap();
    let acked = acknowledged.lock().unwrap().clone();
    assert!(
        acked.len() < PAYMENTS,
        "the kill came before the stream ended"
    );

    let mut server = start(&dir, &url, port);
    let recorded: Vec<String> = sqlx::query_scalar(
        "SELECT o.order_number FROM payments y JOIN payment_orders o ON o.id = y.order_id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for body in &acked {
        let n: db::provider::Notification = serde_json::from_str(body).unwrap();
        assert!(
            recorded.contains(&n.order_number),
            "acknowledged but lost: {}",
            n.order_number
        );
    }
    let after_crash = receipts(&db, year).await;
    assert!(online(&db).await >= acked.len() as i64);
    assert!(
        consecutive(&after_crash, year),
        "a gap after the crash: {after_crash:?}"
    );

    // The provider redelivers everything it has not seen acknowledged (here: all of it).
    for (body, sig) in &notifications {
        assert!(deliver(port, body, sig));
    }
    let all = receipts(&db, year).await;
    assert_eq!(
        online(&db).await,
        PAYMENTS as i64,
        "each payment exactly once"
    );
    assert!(consecutive(&all, year), "numbers without gaps: {all:?}");
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// SIGTERM (what systemd, Kubernetes and `kill` send) stops the portal
/// gracefully: it exits by itself with success, as Ctrl-C does, instead of
/// being killed by the signal in the middle of whatever it was writing.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_portal_gracefully() {
    let dir = std::env::temp_dir().join(format!("portal_sigterm_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/portal.db", dir.display());
    let port = free_port();
    let mut child = start(&dir, &url, port);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "{status:?}: killed by the signal, not stopped"
    );
}
