//! Upload benchmark through HTTP (not a timed test): the portal served on a
//! loopback socket, a resident's session, one filed claim, and 5 MB phone
//! photos (JPEG-headed, distinct bytes each) posted to
//! `/claims/<number>/documents` the way `public/claims.js` posts them: one
//! file per multipart request, JSON back. Everything a phone's upload goes
//! through is measured: the socket, axum's body limit and multipart parsing,
//! the session, the content check, SHA-256, the fsync'd file, the row and
//! its audit entry. Prints MB/s and the time per upload, one client at a
//! time and four at once.
//!
//! `cargo bench -p server --bench upload_http` (SQLite; PORTAL_BENCH_POSTGRES_URL
//! names a PostgreSQL database to use instead; PORTAL_BENCH_UPLOADS changes
//! the count).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark reports on stdout and stops on failure

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

#[path = "../../db/benches/common/photo.rs"]
mod photo;
use photo::{photo, MB, PHOTO};

#[path = "common/portal.rs"]
mod portal;

#[path = "../../db/benches/common/timing.rs"]
mod timing;
use timing::spread;

const BOUNDARY: &str = "----portal-bench-boundary";

/// One HTTP/1.1 exchange on a new connection: the status and the whole answer.
fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn form_post(addr: SocketAddr, path: &str, cookie: Option<&str>, form: &str) -> String {
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\n{cookie}Content-Length: {}\r\nConnection: close\r\n\r\n",
        form.len()
    );
    exchange(addr, &head, form.as_bytes()).1
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(": "))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Posts one photo as the phone's script does; the time it took.
fn upload(addr: SocketAddr, page: &str, cookie: &str, bytes: &[u8]) -> Duration {
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreceipt\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"receipt.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let head = format!(
        "POST {page}/documents HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nAccept: application/json\r\n\
         Cookie: {cookie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let t = Instant::now();
    let (status, answer) = exchange(addr, &head, &body);
    let took = t.elapsed();
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"new\":true"), "{answer}");
    took
}

fn report(label: &str, n: usize, wall: Duration, each: Vec<Duration>) {
    let (p50, p95, max) = spread(each);
    let mb = (n * PHOTO) as f64 / MB as f64;
    println!(
        "{label}: {n} × 5 MB in {:.2} s = {:.0} MB/s; per upload p50 {p50:.0} ms, p95 {p95:.0} ms, max {max:.0} ms",
        wall.as_secs_f64(),
        mb / wall.as_secs_f64(),
    );
}

fn main() {
    let n: usize = std::env::var("PORTAL_BENCH_UPLOADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (settings, engine, dir) =
        portal::settings("bench_upload", app::ssr::LoginLimits::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (addr, wang) = rt.block_on(async {
        let state = server::state(&settings).await.unwrap();
        server::demo::seed_with(&state.db, server::demo::Scale::Core)
            .await
            .unwrap();
        let wang: i64 = sqlx::query_scalar("SELECT id FROM persons WHERE name = '王秀兰'")
            .fetch_one(&state.db.pool)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, server::router(state)).await.unwrap();
        });
        (addr, wang)
    });

    let login = form_post(
        addr,
        "/api/auth/login",
        None,
        &format!(
            "username=resident1&password={}",
            server::demo::DEMO_PASSWORD
        ),
    );
    let cookie = login
        .lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| {
            v.split(';')
                .next()
                .filter(|c| c.starts_with("portal_session="))
        })
        .expect("a session cookie")
        .to_string();
    let filed = form_post(
        addr,
        "/claims/file",
        Some(&cookie),
        &format!(
            "kind=transfer&request_key=bench-upload-claim-{}&person_id={wang}&care_from=2026-06-01\
             &care_to=2026-06-10&hospital=bench&hospital_grade=3&billed=8000.00\
             &agent_name=%E7%8E%8B%E7%A7%80%E5%85%B0&agent_id_number=152201194811031629&agent_relation=self\
             &bank_account=6222020200112233445&account_name=%E7%8E%8B%E7%A7%80%E5%85%B0",
            std::process::id()
        ),
    );
    let page = header(&filed, "location")
        .and_then(|l| l.split('?').next())
        .expect("the claim's page")
        .to_string();

    println!(
        "{engine}, one claim, documents stored under {}",
        dir.display()
    );
    // One phone at a time.
    // Seeded by the process id: a rerun against the same database sends new bytes.
    let seed = u64::from(std::process::id()) << 20;
    let photos: Vec<Vec<u8>> = (seed..seed + n as u64).map(photo).collect();
    let t = Instant::now();
    let each: Vec<Duration> = photos
        .iter()
        .map(|p| upload(addr, &page, &cookie, p))
        .collect();
    report("one client", n, t.elapsed(), each);

    // Four phones at once (new photos: the same bytes would be the same document).
    let photos: Vec<Vec<u8>> = (seed + n as u64..seed + 2 * n as u64).map(photo).collect();
    let t = Instant::now();
    let each: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = photos
            .chunks(n.div_ceil(4))
            .map(|chunk| {
                let (page, cookie) = (&page, &cookie);
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| upload(addr, page, cookie, p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    report("four clients", n, t.elapsed(), each);
    let _ = std::fs::remove_dir_all(&dir);
}
