//! Signing up by phone, the reset by a code and the outbox over HTTP
//! (issue 16), on SQLite and PostgreSQL: the code read back from the outbox
//! table makes a resident's account and signs them in; a wrong code answers
//! 4xx and the page keeps what was typed (not the password); code requests
//! are rate-limited per address (429); the reset answers alike for a name
//! with and without an account; /admin/outbox is the administrators'.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use common::{get, id, location, post_form, send, session, Engine, TestApp, HOST};
use http::{header, Request, StatusCode};

/// A plain form post from `from`, with cookies: status, location, and the
/// cookies it set (name=value).
async fn post(
    app: &Router,
    from: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> (StatusCode, String, Vec<String>) {
    let mut req = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_string()))
        .unwrap();
    let addr: SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    let (status, headers, _) = send(app, req).await;
    let cookies = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect();
    (status, location(&headers), cookies)
}

async fn code_sent_to(app: &TestApp, phone: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM messages WHERE to_phone = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    body.chars().filter(char::is_ascii_digit).take(6).collect()
}

fn signup_body(username: &str, phone: &str) -> String {
    serde_urlencoded::to_string([
        ("name", "王秀兰"),
        ("id_number", &id("15220119850303102")),
        ("phone", phone),
        ("username", username),
        ("password", "correct horse"),
    ])
    .unwrap()
}

async fn signup_by_phone(app: TestApp) {
    let a = &app.app;
    // The page is there, with its form, for anyone.
    let (status, _, page) = send(a, get("/signup/phone", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("action=\"/signup/phone\""), "{page}");

    // A bad phone: 400 on the page, what was typed kept (never the password).
    let (status, to, _) = post(
        a,
        "10.0.0.1",
        "/signup/phone",
        "",
        &signup_body("wang", "12345"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        to.contains("error=phone") && to.contains("username=wang") && !to.contains("correct"),
        "{to}"
    );
    let (status, _, page) = send(a, get(&to, "")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("value=\"wang\""), "{page}");

    let (status, to, cookies) = post(
        a,
        "10.0.0.1",
        "/signup/phone",
        "",
        &signup_body("wang", "13800138000"),
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/signup/phone?sent=1")
    );
    let code_cookie = cookies
        .iter()
        .find(|c| c.starts_with("portal_code="))
        .unwrap()
        .clone();
    let code = code_sent_to(&app, "13800138000").await;
    assert_eq!(code.len(), 6);
    let (status, _, page) = send(a, get("/signup/phone?sent=1", &code_cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("138****8000") && page.contains("王秀兰"),
        "{page}"
    );

    // A wrong code: 4xx, the values still shown.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, to, _) = post(
        a,
        "10.0.0.1",
        "/signup/phone/confirm",
        &code_cookie,
        &format!("code={wrong}"),
    )
    .await;
    assert!(to.contains("error=code_wrong"), "{to}");
    let (status, _, page) = send(a, get(&to, &code_cookie)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("王秀兰") && page.contains("wang") && !page.contains("correct horse"),
        "{page}"
    );

    // The right one: signed in as a resident with no household.
    let (status, to, cookies) = post(
        a,
        "10.0.0.1",
        "/signup/phone/confirm",
        &code_cookie,
        &format!("code={code}"),
    )
    .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/register/new")
    );
    let session = cookies
        .iter()
        .find(|c| c.starts_with("portal_session="))
        .unwrap()
        .clone();
    let (status, _, page) = send(a, get("/register/new", &session)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("action=\"/register/new\""), "{page}");
    let row: (String, Option<i64>) =
        sqlx::query_as("SELECT role, household_id FROM users WHERE username = 'wang'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(row, ("resident".to_string(), None));
    // The account's home shows no one else's household.
    let (status, _, _) = send(a, get("/household/1/form", &session)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both!(signup_by_phone_on, signup_by_phone);

async fn code_requests_are_rate_limited(engine: Engine) {
    let app = TestApp::on_with(engine, |s| s.codes.rules.per_address_per_minute = 2).await;
    for (i, expect) in [
        (0, StatusCode::SEE_OTHER),
        (1, StatusCode::SEE_OTHER),
        (2, StatusCode::TOO_MANY_REQUESTS),
    ] {
        let (status, _, _) = post(
            &app.app,
            "10.0.0.9",
            "/account/reset",
            "",
            &format!("who=user{i}"),
        )
        .await;
        assert_eq!(status, expect, "request {i}");
    }
    // Another address is not held up.
    let (status, _, _) = post(&app.app, "10.0.0.10", "/account/reset", "", "who=someone").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
both_engines!(
    code_requests_are_rate_limited_on,
    code_requests_are_rate_limited
);

async fn reset_reveals_nothing(app: TestApp) {
    let a = &app.app;
    let (_, _, cookies) = post(
        a,
        "10.0.0.2",
        "/signup/phone",
        "",
        &signup_body("zhou", "13900139000"),
    )
    .await;
    let code_cookie = cookies
        .iter()
        .find(|c| c.starts_with("portal_code="))
        .unwrap()
        .clone();
    let code = code_sent_to(&app, "13900139000").await;
    post(
        a,
        "10.0.0.2",
        "/signup/phone/confirm",
        &code_cookie,
        &format!("code={code}"),
    )
    .await;

    let (s1, to1, c1) = post(a, "10.0.0.3", "/account/reset", "", "who=zhou").await;
    let (s2, to2, c2) = post(a, "10.0.0.3", "/account/reset", "", "who=nobody-here").await;
    assert_eq!((s1, &to1), (s2, &to2));
    assert_eq!(c1.len(), c2.len());
    let (p1, p2) = (
        send(a, get(&to1, &c1[0])).await,
        send(a, get(&to2, &c2[0])).await,
    );
    assert_eq!(p1.0, p2.0);
    // The same page, but for the per-response script nonce.
    let main = |page: &str| {
        page.split("<main")
            .nth(1)
            .and_then(|m| m.split("</main>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(main(&p1.2), main(&p2.2));
    assert!(!main(&p1.2).is_empty());

    // The real one resets with the code from the outbox.
    let code = code_sent_to(&app, "13900139000").await;
    let (_, to, _) = post(
        a,
        "10.0.0.3",
        "/account/reset/confirm",
        &c1[0],
        &format!("code={code}&new=brand+new+pass&repeat=brand+new+pass"),
    )
    .await;
    assert_eq!(to, "/account/reset?ok=done");
    let (status, _, _) = common::login(a, "zhou", "brand new pass").await;
    assert_eq!(status, StatusCode::OK);
}
on_both!(reset_reveals_nothing_on, reset_reveals_nothing);

async fn outbox_is_for_administrators(app: TestApp) {
    let a = &app.app;
    post(
        a,
        "10.0.0.4",
        "/signup/phone",
        "",
        &signup_body("sun", "13700137000"),
    )
    .await;
    let admin = session(a, "admin").await;
    let (status, _, page) = send(a, get("/admin/outbox", &admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("13700137000"), "{page}");
    for user in ["office1", "resident1", "reviewer1"] {
        let cookie = session(a, user).await;
        let (status, _, page) = send(a, get("/admin/outbox", &cookie)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
        assert!(!page.contains("13700137000"), "{user}");
    }
}
on_both!(
    outbox_is_for_administrators_on,
    outbox_is_for_administrators
);

/// In production with no gateway the code-sending pages say so.
#[tokio::test]
async fn without_a_gateway_codes_are_unavailable() {
    let app = TestApp::without_simulator().await;
    let (status, _, page) = send(&app.app, get("/signup/phone", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("action=\"/signup/phone\""), "{page}");
    let (_, to, _) = post(
        &app.app,
        "10.0.0.5",
        "/signup/phone",
        "",
        &signup_body("x", "13800138000"),
    )
    .await;
    assert!(to.contains("error=codes_unavailable"), "{to}");
    let _ = post_form;
}

/// A gateway that fails: the message stays waiting with its error and is
/// tried again later; after the last attempt it is left failed, visible.
struct Down;

impl server::messenger::Messenger for Down {
    fn name(&self) -> &'static str {
        "down"
    }
    fn deliver<'a>(&'a self, _: &'a db::outbox::Message) -> server::messenger::Delivery<'a> {
        Box::pin(async {
            Err(server::messenger::DeliveryError::Unavailable(
                "gateway down".into(),
            ))
        })
    }
}

async fn failed_deliveries_are_retried_and_visible(app: TestApp) {
    post(
        &app.app,
        "10.0.0.6",
        "/signup/phone",
        "",
        &signup_body("qian", "13600136000"),
    )
    .await;
    let (ok, failed) = server::messenger::deliver_due(&app.db, &Down)
        .await
        .unwrap();
    assert_eq!((ok, failed), (0, 1));
    // Not due again at once: the wait grows.
    assert_eq!(
        server::messenger::deliver_due(&app.db, &Down)
            .await
            .unwrap(),
        (0, 0)
    );
    let (status, attempts, error): (String, i64, Option<String>) = sqlx::query_as(
        "SELECT status, attempts, last_error FROM messages WHERE to_phone = '13600136000'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.unwrap().contains("gateway down"));
    // Due again: the demo's messenger delivers it.
    for attempt in 2..=db::outbox::MAX_ATTEMPTS {
        sqlx::query("UPDATE messages SET next_attempt_at = 0")
            .execute(&app.db.pool)
            .await
            .unwrap();
        server::messenger::deliver_due(&app.db, &Down)
            .await
            .unwrap();
        let status: String = sqlx::query_scalar("SELECT status FROM messages")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let expect = if attempt == db::outbox::MAX_ATTEMPTS {
            "failed"
        } else {
            "pending"
        };
        assert_eq!(status, expect, "attempt {attempt}");
    }
    let admin = session(&app.app, "admin").await;
    let (_, _, page) = send(&app.app, get("/admin/outbox", &admin)).await;
    assert!(
        page.contains("gateway down") && page.contains("发送失败"),
        "{page}"
    );
    // Another message goes through the demo's messenger.
    post(
        &app.app,
        "10.0.0.6",
        "/signup/phone",
        "",
        &signup_body("qian2", "13500135000"),
    )
    .await;
    assert_eq!(
        server::messenger::deliver_due(&app.db, &server::messenger::LogMessenger)
            .await
            .unwrap(),
        (1, 0)
    );
}
on_both!(
    failed_deliveries_are_retried_on,
    failed_deliveries_are_retried_and_visible
);
