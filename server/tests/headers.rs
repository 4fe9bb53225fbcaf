//! The headers every answer carries: a Content-Security-Policy whose nonce
//! is the one on the page's inline hydration scripts, no framing, no type
//! sniffing, no referrer to other sites, HSTS behind HTTPS, and no stored
//! copy of anything personal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use common::{post_form, send, session, TestApp, HOST};
use http::{header, Request, StatusCode};

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path).header(header::HOST, HOST);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_personal_answers_are_never_stored() {
    let TestApp { app, .. } = TestApp::new().await;
    let (status, h, page) = send(&app, get("/check", None)).await;
    assert_eq!(status, StatusCode::OK);
    let csp = h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(
        page.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration scripts carry the nonce"
    );
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    assert!(
        !csp.split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("'unsafe-inline'")),
        "{csp}"
    );
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::REFERRER_POLICY], "same-origin");
    assert!(
        h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS over plain HTTP"
    );
    // A second page gets a fresh nonce.
    let (_, h2, _) = send(&app, get("/check", None)).await;
    assert_ne!(h2[header::CONTENT_SECURITY_POLICY].to_str().unwrap(), csp);

    // Signed in: the page, a server function's answer and a document are never stored.
    let cookie = session(&app, "resident1").await;
    let (_, h, _) = send(&app, get("/", Some(&cookie))).await;
    assert_eq!(h[header::CACHE_CONTROL], "private, no-store");
    let (status, h, _) = send(
        &app,
        post_form("/api/home", Some(&cookie))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "private, no-store");
    let sha = "0".repeat(64);
    let (_, h, _) = send(&app, get(&format!("/documents/{sha}"), Some(&cookie))).await;
    assert_eq!(h[header::CACHE_CONTROL], "private, no-store");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
}

#[tokio::test]
async fn behind_https_the_browser_is_told_to_stay_there() {
    let TestApp { app, .. } = TestApp::secure().await;
    let (_, h, _) = send(&app, get("/check", None)).await;
    assert_eq!(
        h[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn the_language_switch_goes_back_only_to_a_path_of_this_site() {
    let TestApp { app, .. } = TestApp::new().await;
    for (back, expect) in [
        ("/claims", "/claims"),
        ("/%5Cevil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let (status, h, body) = send(
            &app,
            post_form("/api/lang", None)
                .body(Body::from(format!("lang=en&back={back}")))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{back}: {body}");
        assert_eq!(body, format!("\"{expect}\""), "{back}");
        assert!(h.get(header::LOCATION).is_none());
    }
}

/// Without PORTAL_PAYMENT_SIMULATOR=1 the simulator and its routes do not
/// exist, and online payment says it is not available; nothing is paid.
#[tokio::test]
async fn without_the_simulator_nothing_can_be_paid_online() {
    let TestApp { app, db, .. } = TestApp::without_simulator().await;
    let (status, _, _) = send(
        &app,
        post_form("/api/v1/payments/notify/simulator", None)
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let resident = session(&app, "resident1").await;
    for path in ["/api/simulator/order", "/api/simulator/confirm"] {
        let (status, _, body) = send(
            &app,
            post_form(path, Some(&resident))
                .body(Body::from("order=ZX0000"))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    // Any notice of the household: the refusal comes before the lookup.
    let notice: String =
        sqlx::query_scalar("SELECT number FROM payment_notices ORDER BY id LIMIT 1")
            .fetch_optional(&db.pool)
            .await
            .unwrap()
            .unwrap_or_else(|| "JF2027000001".into());
    let orders = "SELECT COUNT(*) FROM payment_orders";
    let before: i64 = sqlx::query_scalar(orders)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (status, _, body) = send(
        &app,
        post_form("/api/notice/pay-online", Some(&resident))
            .body(Body::from(format!("number={notice}")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("online_payment_unavailable"), "{body}");
    let after: i64 = sqlx::query_scalar(orders)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(after, before);
    // Nor does the demo's calendar.
    let reviewer = session(&app, "reviewer1").await;
    let (status, _, _) = send(
        &app,
        post_form("/demo/clock", Some(&reviewer))
            .body(Body::from("days=7"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The demo's calendar, which gates payment runs (B19) in a demonstration:
/// agency staff move it, nobody else, and not beyond two months.
#[tokio::test]
async fn only_agency_staff_move_the_demo_calendar() {
    let TestApp { app, .. } = TestApp::new().await;
    let clock = |cookie: &str, days: &str| {
        post_form("/demo/clock", Some(cookie))
            .body(Body::from(format!("days={days}")))
            .unwrap()
    };
    let resident = session(&app, "resident1").await;
    let office = session(&app, "office1").await;
    let reviewer = session(&app, "reviewer1").await;
    assert_eq!(
        send(&app, clock(&resident, "7")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, clock(&office, "7")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, clock(&reviewer, "400")).await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, _, body) = send(&app, clock(&reviewer, "7")).await;
    assert_eq!(status, StatusCode::OK);
    let today = db::claims::today() + chrono::Duration::days(7);
    assert_eq!(body, format!("{{\"today\":\"{today}\"}}"));
}

/// A writer the test reads back: what the portal logged during the test.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Failed log-ins, lock-outs and refused requests are logged: who (the
/// username typed), what and from where; never the password.
#[tokio::test]
async fn log_in_failures_and_refusals_are_logged_without_the_password() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let TestApp { app, .. } = TestApp::new().await;
    let secret = "not-the-password-xyz";
    let (status, _, _) = send(
        &app,
        post_form("/api/auth/login", None)
            .body(Body::from(format!("username=office1&password={secret}")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let office = session(&app, "office1").await;
    let (status, _, _) = send(
        &app,
        post_form("/api/admin/accounts", Some(&office))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains("log-in refused") && l.contains("username=office1")),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains("access refused")
            && l.contains("/api/admin/accounts")
            && l.contains("status=403")),
        "{text}"
    );
    assert!(!text.contains(secret), "the password was logged");
}

/// A `<form>` inside a `<p>` is closed out of the `<p>` by the browser, so
/// hydration meets another tree than the server rendered and the page's
/// buttons die (the cash desk did). No rendered page nests them.
#[tokio::test]
async fn no_page_puts_a_form_inside_a_paragraph() {
    let TestApp { app, db, .. } = TestApp::new().await;
    // An enrolment an office made, approved now: its notice is unpaid, so the
    // office's page shows the cash desk.
    let (enrolment, agent): (i64, String) = sqlx::query_as(
        "SELECT e.id, u.username FROM enrolments e JOIN users u ON u.org_code = e.registrar_org
         WHERE e.status = 'submitted' AND e.registrar = 'community_office' AND u.role = 'office_agent'
         ORDER BY e.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let reviewer = session(&app, "reviewer1").await;
    let (status, _, text) = send(
        &app,
        post_form("/api/review/decide", Some(&reviewer))
            .body(Body::from(format!(
                "enrolment_id={enrolment}&decision=approve"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let notices: Vec<String> =
        sqlx::query_scalar("SELECT number FROM payment_notices WHERE enrolment_id = $1")
            .bind(enrolment)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(notices.len(), 1);
    let office = session(&app, &agent).await;
    let mut pages = vec![
        "/".to_string(),
        "/check".into(),
        "/payments".into(),
        "/enrol".into(),
    ];
    pages.extend(notices.iter().map(|n| format!("/notice/{n}")));
    for path in pages {
        let (_, _, html) = send(&app, get(&path, Some(&office))).await;
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<p") {
            let after = &rest[i + 2..];
            // `<p>` or `<p class=…>`, not `<path` or `<pre`.
            if after.starts_with('>') || after.starts_with(' ') {
                let close = after.find("</p>").unwrap_or(after.len());
                assert!(
                    !after[..close].contains("<form"),
                    "{path}: a form inside a paragraph: {}",
                    &after[..close.min(300)]
                );
            }
            rest = after;
        }
    }
}

/// A minus sign before an amount in the public estimate gets its own words
/// and a 400, not "enter an amount" nor an estimate of "-500.00".
#[tokio::test]
async fn a_negative_amount_in_the_estimate_is_refused_with_its_own_words() {
    let TestApp { app, .. } = TestApp::new().await;
    let body = "kind=transfer&in_catalogue=-500&hospital_grade=3&admission_ordinal=1&continuous_years=1&policy_year=2027";
    let (status, _, text) = send(
        &app,
        post_form("/api/public/estimate", None)
            .header(header::COOKIE, "lang=en")
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("amount_negative"), "{text}");
}
