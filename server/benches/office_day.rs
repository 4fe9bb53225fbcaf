//! The office day under load (a load generator, not a timed test): the
//! portal served on a loopback socket from this (optimised) build, and N
//! clients, each an office's working day in a loop of four journeys, over
//! HTTP as the pages send them:
//!
//! - **enrol**: the office registers a new member of a household for the
//!   policy year and submits the enrolment (`/api/enrol/register`, `/submit`);
//! - **cash**: the agency approves an enrolment waiting for it (maker-checker,
//!   which issues the payment notice) and the office takes the premium in
//!   cash (`/api/review/decide`, `/api/notice/take-cash`);
//! - **enquire**: the office opens a notice to answer "is this paid, is this
//!   person covered" (`/api/notice/view`);
//! - **claim**: a resident files a transfer claim, uploads its four papers
//!   one photo per request as the phone does, and two different reviewers
//!   review it (`/claims/file`, `/claims/<n>/documents`, `/first-review`,
//!   `/second-review`).
//!
//! Every answer is checked; any unexpected one counts as an error and the
//! run fails at the end. Prints jobs/s and p50/p95 per journey.
//!
//! `cargo bench -p server --bench office_day` (SQLite; PORTAL_BENCH_POSTGRES_URL
//! names an empty PostgreSQL database to use instead). PORTAL_LOAD_CLIENTS
//! (default `8,32`) and PORTAL_LOAD_SECONDS (default 60) change the load.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a load generator reports on stdout and stops on failure

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode};

#[path = "common/portal.rs"]
mod portal;

#[path = "../../db/benches/common/timing.rs"]
mod timing;
use timing::spread;

const PASSWORD: &str = "demo-pass-2026";
const JOBS: [&str; 4] = ["enrol", "cash", "enquire", "claim"];

/// What every client shares: the address, the demo's household and person,
/// the work handed from one journey to the next, and the counts.
struct Day {
    base: String,
    db: db::Db,
    household: i64,
    wang: i64,
    year: i32,
    today: chrono::NaiveDate,
    next: AtomicU64,
    submitted: Mutex<VecDeque<i64>>,
    paid: Mutex<Vec<String>>,
    errors: Mutex<Vec<String>>,
}

/// One client's sessions: an office agent, two reviewers, a resident.
struct Desk {
    http: Client,
    office: String,
    reviewer1: String,
    reviewer2: String,
    resident: String,
}

type Answer = Result<(StatusCode, String, String), String>;

async fn send(
    day: &Day,
    http: &Client,
    path: &str,
    cookie: &str,
    ct: &str,
    body: Vec<u8>,
) -> Answer {
    let r = http
        .post(format!("{}{path}", day.base))
        .header(COOKIE, cookie)
        .header(CONTENT_TYPE, ct)
        // The phone's script asks for JSON from uploads; form posts get their redirect.
        .header(
            "accept",
            if path.ends_with("/documents") {
                "application/json"
            } else {
                "*/*"
            },
        )
        .body(body)
        .send()
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    let status = r.status();
    let location = r
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.map_err(|e| format!("{path}: {e}"))?;
    Ok((status, location, text))
}

async fn form(day: &Day, http: &Client, path: &str, cookie: &str, body: String) -> Answer {
    send(
        day,
        http,
        path,
        cookie,
        "application/x-www-form-urlencoded",
        body.into_bytes(),
    )
    .await
}

/// A server function's answer: 200 and its JSON.
async fn call(
    day: &Day,
    http: &Client,
    path: &str,
    cookie: &str,
    body: String,
) -> Result<String, String> {
    match form(day, http, path, cookie, body).await? {
        (StatusCode::OK, _, text) => Ok(text),
        (s, _, text) => Err(format!(
            "{path}: {s} {}",
            text.chars().take(200).collect::<String>()
        )),
    }
}

/// A page's form post: 303 to `want`-prefixed place without `error=`.
async fn post_page(
    day: &Day,
    http: &Client,
    path: &str,
    cookie: &str,
    body: String,
) -> Result<String, String> {
    match form(day, http, path, cookie, body).await? {
        (StatusCode::SEE_OTHER, loc, _) if !loc.contains("error=") => Ok(loc),
        (s, loc, text) => Err(format!(
            "{path}: {s} {loc} {}",
            text.chars().take(200).collect::<String>()
        )),
    }
}

async fn log_in(day: &Day, http: &Client, user: &str) -> String {
    let r = http
        .post(format!("{}/api/auth/login", day.base))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("username={user}&password={PASSWORD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{user} logs in");
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string()
}

/// A valid identity number no one else in the run has.
fn new_id(n: u64) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(n / 400);
    let first17 = format!("152201{}{:03}", born.format("%Y%m%d"), 1 + 2 * (n % 400));
    server::demo::with_check(&first17)
}

async fn enrol(day: &Day, desk: &Desk) -> Result<(), String> {
    let n = day.next.fetch_add(1, Ordering::Relaxed);
    let id = call(
        day,
        &desk.http,
        "/api/enrol/register",
        &desk.office,
        format!(
            "household_id={}&id_number={}&name=%E8%B4%9F%E8%BD%BD{n}&policy_year={}",
            day.household,
            new_id(n),
            day.year
        ),
    )
    .await?;
    call(
        day,
        &desk.http,
        "/api/enrol/submit",
        &desk.office,
        format!("enrolment_id={id}"),
    )
    .await?;
    day.submitted.lock().unwrap().push_back(
        id.trim()
            .parse()
            .map_err(|_| format!("enrolment id {id}"))?,
    );
    Ok(())
}

async fn cash(day: &Day, desk: &Desk) -> Result<(), String> {
    let waiting = day.submitted.lock().unwrap().pop_front();
    let enrolment = match waiting {
        Some(e) => e,
        None => {
            enrol(day, desk).await?;
            day.submitted
                .lock()
                .unwrap()
                .pop_back()
                .ok_or("no enrolment")?
        }
    };
    call(
        day,
        &desk.http,
        "/api/review/decide",
        &desk.reviewer1,
        format!("enrolment_id={enrolment}&decision=approve"),
    )
    .await?;
    // The desk lists the office's notices; the load generator reads the
    // number the approval issued straight from the database instead.
    let number: String =
        sqlx::query_scalar("SELECT number FROM payment_notices WHERE enrolment_id = $1")
            .bind(enrolment)
            .fetch_one(&day.db.pool)
            .await
            .map_err(|e| format!("notice of {enrolment}: {e}"))?;
    let key = format!("load-{:016x}", day.next.fetch_add(1, Ordering::Relaxed));
    call(
        day,
        &desk.http,
        "/api/notice/take-cash",
        &desk.office,
        format!("number={number}&request_key={key}"),
    )
    .await?;
    day.paid.lock().unwrap().push(number);
    Ok(())
}

async fn enquire(day: &Day, desk: &Desk) -> Result<(), String> {
    let number = {
        let paid = day.paid.lock().unwrap();
        let n = day.next.fetch_add(1, Ordering::Relaxed) as usize;
        paid.get(n % paid.len().max(1)).cloned()
    };
    let Some(number) = number else {
        return cash(day, desk).await;
    };
    let view = call(
        day,
        &desk.http,
        "/api/notice/view",
        &desk.office,
        format!("number={number}"),
    )
    .await?;
    if !view.contains(&number) {
        return Err(format!("notice {number} not in its view"));
    }
    Ok(())
}

async fn claim(day: &Day, desk: &Desk) -> Result<(), String> {
    let n = day.next.fetch_add(1, Ordering::Relaxed);
    let care = day.today - chrono::Days::new(1 + n % 60);
    let filed = post_page(
        day,
        &desk.http,
        "/claims/file",
        &desk.resident,
        format!(
            "kind=transfer&request_key=load-claim-{n:012}&person_id={}&care_from={care}&care_to={care}\
             &hospital=%E5%8C%97%E4%BA%AC%E5%8D%8F%E5%92%8C%E5%8C%BB%E9%99%A2&hospital_grade=3&billed=800.00\
             &agent_name=%E7%8E%8B%E7%A7%80%E5%85%B0&agent_id_number=152201194811031629&agent_relation=self\
             &bank_account=6222020200112233445&account_name=%E7%8E%8B%E7%A7%80%E5%85%B0",
            day.wang
        ),
    )
    .await?;
    let page = filed.split('?').next().unwrap_or_default().to_string();
    for (i, kind) in db::claims::required_documents(policy::benefit::ClaimKind::Transfer)
        .iter()
        .enumerate()
    {
        let boundary = "----portal-load-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .into_bytes();
        // A small JPEG-headed photo, distinct for every upload.
        body.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1]);
        body.extend_from_slice(format!("{n}-{i}").as_bytes());
        body.extend_from_slice(&[0xFF, 0xD9]);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let ct = format!("multipart/form-data; boundary={boundary}");
        match send(
            day,
            &desk.http,
            &format!("{page}/documents"),
            &desk.resident,
            &ct,
            body,
        )
        .await?
        {
            (StatusCode::OK, _, _) => {}
            (s, _, text) => return Err(format!("{page}/documents: {s} {text}")),
        }
    }
    post_page(
        day,
        &desk.http,
        &format!("{page}/first-review"),
        &desk.reviewer1,
        "in_catalogue=700.00&hospital_grade=3&cause=&earlier_admissions=0&note=".into(),
    )
    .await?;
    post_page(
        day,
        &desk.http,
        &format!("{page}/second-review"),
        &desk.reviewer2,
        "confirm=1&note=".into(),
    )
    .await?;
    Ok(())
}

/// One client: the four journeys in turn until the end of the run.
async fn client(day: Arc<Day>, desk: Desk, until: Instant, first: usize) -> Vec<Vec<Duration>> {
    let mut took = vec![Vec::new(); JOBS.len()];
    let mut job = first;
    while Instant::now() < until {
        let t = Instant::now();
        let done = match job {
            0 => enrol(&day, &desk).await,
            1 => cash(&day, &desk).await,
            2 => enquire(&day, &desk).await,
            _ => claim(&day, &desk).await,
        };
        match done {
            Ok(()) => took[job].push(t.elapsed()),
            Err(e) => day
                .errors
                .lock()
                .unwrap()
                .push(format!("{}: {e}", JOBS[job])),
        }
        job = (job + 1) % JOBS.len();
    }
    took
}

async fn run(day: &Arc<Day>, clients: usize, seconds: u64, engine: &str) -> usize {
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(clients * 2)
        .build()
        .unwrap();
    let mut desks = Vec::new();
    for _ in 0..clients {
        desks.push(Desk {
            http: http.clone(),
            office: log_in(day, &http, "office1").await,
            reviewer1: log_in(day, &http, "reviewer1").await,
            reviewer2: log_in(day, &http, "reviewer2").await,
            resident: log_in(day, &http, "resident1").await,
        });
    }
    let errors_before = day.errors.lock().unwrap().len();
    let start = Instant::now();
    let until = start + Duration::from_secs(seconds);
    let handles: Vec<_> = desks
        .into_iter()
        .enumerate()
        .map(|(i, desk)| tokio::spawn(client(day.clone(), desk, until, i % JOBS.len())))
        .collect();
    let mut all = vec![Vec::new(); JOBS.len()];
    for h in handles {
        for (job, took) in h.await.unwrap().into_iter().enumerate() {
            all[job].extend(took);
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let errors = day.errors.lock().unwrap().len() - errors_before;
    let done: usize = all.iter().map(Vec::len).sum();
    println!(
        "office day, {engine}, {clients} clients, {seconds} s: {done} journeys, {:.1} journeys/s, {errors} errors",
        done as f64 / wall
    );
    for e in day
        .errors
        .lock()
        .unwrap()
        .iter()
        .skip(errors_before)
        .take(5)
    {
        println!("  error: {e}");
    }
    for (job, took) in JOBS.iter().zip(all) {
        let n = took.len();
        if n == 0 {
            println!("  {job:<8} none done");
            continue;
        }
        let (p50, p95, max) = spread(took);
        println!("  {job:<8} {n:>6} done, {:>6.1}/s, p50 {p50:>6.1} ms, p95 {p95:>6.1} ms, max {max:>7.1} ms", n as f64 / wall);
    }
    errors
}

fn main() {
    let clients: Vec<usize> = std::env::var("PORTAL_LOAD_CLIENTS")
        .unwrap_or_else(|_| "8,32".into())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let seconds: u64 = std::env::var("PORTAL_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let (settings, engine, dir) = portal::settings(
        "load",
        app::ssr::LoginLimits {
            // Every client logs in four times from this one address at the start.
            per_address: 10_000,
            global: 10_000,
        },
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let errors = rt.block_on(async {
        let state = server::state(&settings).await.unwrap();
        server::demo::seed_with(&state.db, server::demo::Scale::Core)
            .await
            .unwrap();
        let db = state.db.clone();
        let household: i64 = sqlx::query_scalar(
            "SELECT id FROM households WHERE office_code = '152201-O01' ORDER BY id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let wang: i64 = sqlx::query_scalar("SELECT id FROM persons WHERE name = '王秀兰'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let year = *state.rules().years.keys().next_back().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = server::router(state);
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let day = Arc::new(Day {
            base: format!("http://{addr}"),
            db,
            household,
            wang,
            year,
            today: db::claims::today(),
            next: AtomicU64::new(1),
            submitted: Mutex::new(VecDeque::new()),
            paid: Mutex::new(Vec::new()),
            errors: Mutex::new(Vec::new()),
        });
        let mut errors = 0;
        for c in &clients {
            errors += run(&day, *c, seconds, engine).await;
        }
        errors
    });
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(errors, 0, "journeys failed under load");
}
