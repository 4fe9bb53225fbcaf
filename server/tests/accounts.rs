//! Accounts over HTTP, through the router the binary serves, on SQLite and
//! on PostgreSQL (issue #14, findings 3, 4 and 7): rate limits on log-ins, a
//! lock-out a stranger cannot aim at staff, unknown names answered like
//! known ones, the account life cycle, sessions' absolute lifetime, and the
//! maximum lengths of what accounts and households take.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use common::{get, location, post_form, send, session, Engine, TestApp, PASSWORD};
use http::{header, Request, StatusCode};

/// A log-in from a client address (as the server's ConnectInfo tells it):
/// the status, the session cookie if one started, and the body.
async fn login_from(
    app: &Router,
    from: &str,
    user: &str,
    password: &str,
) -> (StatusCode, Option<String>, String) {
    let mut req = post_form("/api/auth/login", None)
        .body(Body::from(format!("username={user}&password={password}")))
        .unwrap();
    let addr: SocketAddr = format!("{from}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    let (status, headers, text) = send(app, req).await;
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(|c| c.split(';').next().unwrap().to_string());
    (status, cookie, text)
}

/// What the home server function says of a session: `"Visitor"` without one.
async fn home(app: &Router, cookie: &str) -> (StatusCode, String) {
    let (status, _, text) = send(
        app,
        post_form("/api/home", Some(cookie))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (status, text)
}

async fn signed_out(app: &Router, cookie: &str) -> bool {
    home(app, cookie).await.1 == "\"Visitor\""
}

/// A form post of a signed-in browser; where it redirects to.
async fn post_page(app: &Router, path: &str, cookie: &str, body: &str) -> String {
    let (status, headers, text) = send(
        app,
        post_form(path, Some(cookie))
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {text}");
    location(&headers)
}

async fn user_id(db: &db::Db, username: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// The `after` of each audit record of `action`, as text.
async fn audited(db: &db::Db, action: &str) -> Vec<String> {
    let rows: Vec<(Option<String>,)> =
        sqlx::query_as("SELECT after_json FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|r| r.0.unwrap_or_default()).collect()
}

/// Finding 3: so many log-ins a minute per address, and in all; over the
/// limit 429 with Retry-After and the wait in the user's language.
async fn log_ins_are_rate_limited(engine: Engine) {
    let TestApp { app, .. } = TestApp::on_with(engine, |s| {
        s.login_limits = app::ssr::LoginLimits {
            per_address: 3,
            global: 6,
        };
    })
    .await;
    for _ in 0..3 {
        let (status, _, text) = login_from(&app, "198.51.100.1", "office1", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    }
    // The fourth from the same address waits, whatever the password.
    let (status, cookie, text) = login_from(&app, "198.51.100.1", "office1", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    assert!(
        cookie.is_none() && text.contains("TooManyAttempts"),
        "{text}"
    );
    // A plain form gets the words, in the language of its cookie, with the wait.
    for (lang, words) in [("en", "seconds"), ("zh", "秒")] {
        let mut req = Request::post("/api/auth/login")
            .header(header::HOST, common::HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, format!("lang={lang}"))
            .body(Body::from("username=office1&password=x"))
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo("198.51.100.1:1".parse::<SocketAddr>().unwrap()));
        let (status, headers, text) = send(&app, req).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            text.contains(words) && text.contains(&wait.to_string()),
            "{text}"
        );
    }
    // Another address is not held back by the first ...
    let (status, _, text) = login_from(&app, "198.51.100.2", "office1", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    // ... until all addresses together reach the global cap (6 a minute).
    login_from(&app, "198.51.100.3", "office1", "wrong").await;
    login_from(&app, "198.51.100.4", "office1", "wrong").await;
    let (status, _, _) = login_from(&app, "198.51.100.5", "office1", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
both_engines!(log_ins_are_rate_limited_on, log_ins_are_rate_limited);

/// Finding 3: wrong passwords for `admin` from one address lock that address
/// out, not the administrator at another; and a name without an account
/// answers exactly like one with, all along.
async fn a_stranger_cannot_lock_out_staff(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let stranger = "203.0.113.66";
    let mut admin_answers = Vec::new();
    let mut nobody_answers = Vec::new();
    for _ in 0..db::accounts::MAX_FAILED_LOGINS + 1 {
        let (status, _, text) = login_from(&app, stranger, "admin", "guess").await;
        admin_answers.push((status, text));
        let (status, _, text) = login_from(&app, stranger, "no-such-user", "guess").await;
        nobody_answers.push((status, text));
    }
    assert_eq!(admin_answers, nobody_answers);
    assert_eq!(
        admin_answers.last().unwrap().0,
        StatusCode::TOO_MANY_REQUESTS,
        "{admin_answers:?}"
    );
    // The administrator, at their own desk, logs in.
    let (status, cookie, text) = login_from(&app, "192.0.2.10", "admin", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(cookie.is_some());
    // The stranger's address stays locked even with the right password.
    let (status, cookie, text) = login_from(&app, stranger, "admin", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(cookie.is_none() && text.contains("Locked"), "{text}");
    // The lock is in the audit trail, with the address.
    let locks = audited(&db, "login.lock").await;
    assert!(locks.iter().any(|a| a.contains(stranger)), "{locks:?}");
}
both_engines!(
    a_stranger_cannot_lock_out_staff_on,
    a_stranger_cannot_lock_out_staff
);

/// Finding 4: anyone signed in changes their own password with the current
/// one; their other sessions end.
async fn one_changes_ones_own_password(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let here = session(&app, "office1").await;
    let elsewhere = session(&app, "office1").await;
    let page = "/account/password";
    let new = "a-new-pass-2027";
    for (body, code) in [
        (
            format!("current={PASSWORD}&new={new}&repeat=other-pass-2027"),
            "password_mismatch",
        ),
        (
            format!("current=wrong-pass&new={new}&repeat={new}"),
            "current_password",
        ),
        (
            format!("current={PASSWORD}&new=short&repeat=short"),
            "password_too_short",
        ),
        (
            format!("current={PASSWORD}&new={0}&repeat={0}", "x".repeat(129)),
            "password_too_long",
        ),
    ] {
        assert_eq!(
            post_page(&app, page, &here, &body).await,
            format!("{page}?error={code}")
        );
    }
    assert!(audited(&db, "user.password_change").await.is_empty());
    let body = format!("current={PASSWORD}&new={new}&repeat={new}");
    assert_eq!(
        post_page(&app, page, &here, &body).await,
        format!("{page}?ok=changed")
    );
    // This session goes on; the other one ended.
    assert!(!signed_out(&app, &here).await);
    assert!(signed_out(&app, &elsewhere).await);
    assert_eq!(
        login_from(&app, "192.0.2.1", "office1", PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_from(&app, "192.0.2.1", "office1", new).await.0,
        StatusCode::OK
    );
    let trail = audited(&db, "user.password_change").await;
    assert_eq!(trail.len(), 1);
    assert!(
        !trail[0].contains(new) && !trail[0].contains("argon2"),
        "{trail:?}"
    );
    // The page itself, for a signed-in person.
    let (status, _, html) = send(&app, get(page, &here)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("action=\"/account/password\""), "{html}");
}
both_engines!(
    one_changes_ones_own_password_on,
    one_changes_ones_own_password
);

/// Finding 4: an administrator resets a password to a temporary one; its
/// sessions end, and with it nothing but the change of password is open.
async fn a_reset_password_must_be_changed_first(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let admin = session(&app, "admin").await;
    let before = session(&app, "office1").await;
    let office1 = user_id(&db, "office1").await;
    let temporary = "temp-pass-0001";
    // Not an administrator: refused, nothing changed.
    let reviewer = session(&app, "reviewer1").await;
    let reset = format!("/admin/accounts/{office1}/reset");
    assert_eq!(
        post_page(&app, &reset, &reviewer, &format!("temporary={temporary}")).await,
        format!("/admin/accounts/{office1}?error=forbidden")
    );
    assert!(!signed_out(&app, &before).await);
    // The administrator: done, the person's session ended.
    assert_eq!(
        post_page(&app, &reset, &admin, &format!("temporary={temporary}")).await,
        format!("/admin/accounts/{office1}?ok=reset")
    );
    assert!(signed_out(&app, &before).await);
    let trail = audited(&db, "user.password_reset").await;
    assert_eq!(trail.len(), 1);
    assert!(!trail[0].contains(temporary), "{trail:?}");
    // Logged in with the temporary password, every page leads to the change ...
    let (status, cookie, _) = login_from(&app, "192.0.2.1", "office1", temporary).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = cookie.unwrap();
    for path in ["/", "/claims", "/office/list"] {
        let (status, headers, _) = send(&app, get(path, &cookie)).await;
        assert_eq!(
            (status, location(&headers)),
            (StatusCode::SEE_OTHER, "/account/password".to_string()),
            "{path}"
        );
    }
    // ... every server function is refused ...
    let (status, text) = home(&app, &cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("password_change_required"), "{text}");
    // ... and the page says why.
    let (status, _, html) = send(&app, get("/account/password", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("管理员已为您重置密码"), "{html}");
    // Changed: the portal is open again.
    let new = "my-own-pass-2027";
    let body = format!("current={temporary}&new={new}&repeat={new}");
    post_page(&app, "/account/password", &cookie, &body).await;
    let (status, text) = home(&app, &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("Office"), "{text}");
    assert_eq!(send(&app, get("/", &cookie)).await.0, StatusCode::OK);
}
both_engines!(
    a_reset_password_must_be_changed_first_on,
    a_reset_password_must_be_changed_first
);

/// Finding 4: disabling an account ends its sessions at once and refuses
/// its log-in like a wrong password; ending its sessions signs it out.
async fn an_administrator_disables_and_signs_out_an_account(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let admin = session(&app, "admin").await;
    let office1 = user_id(&db, "office1").await;
    let page = format!("/admin/accounts/{office1}");
    let (status, _, html) = send(&app, get(&page, &admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("office1") && html.contains("/end-sessions"),
        "{html}"
    );
    let theirs = session(&app, "office1").await;
    assert_eq!(
        post_page(&app, &format!("{page}/disable"), &admin, "").await,
        format!("{page}?ok=disabled")
    );
    assert!(signed_out(&app, &theirs).await);
    let (status, cookie, text) = login_from(&app, "192.0.2.1", "office1", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(cookie.is_none() && text.contains("login_refused"));
    // Not their own account.
    let own = user_id(&db, "admin").await;
    assert_eq!(
        post_page(&app, &format!("/admin/accounts/{own}/disable"), &admin, "").await,
        format!("/admin/accounts/{own}?error=own_account")
    );
    assert_eq!(
        post_page(&app, &format!("{page}/enable"), &admin, "").await,
        format!("{page}?ok=enabled")
    );
    let theirs = session(&app, "office1").await;
    assert_eq!(
        post_page(&app, &format!("{page}/end-sessions"), &admin, "").await,
        format!("{page}?ok=sessions_ended")
    );
    assert!(signed_out(&app, &theirs).await);
    for action in ["user.disable", "user.enable", "user.sessions_end"] {
        assert_eq!(audited(&db, action).await.len(), 1, "{action}");
    }
}
both_engines!(
    an_administrator_disables_and_signs_out_an_account_on,
    an_administrator_disables_and_signs_out_an_account
);

/// Finding 4: a session ends after PORTAL_SESSION_MAX_HOURS however busy.
async fn sessions_have_an_absolute_lifetime(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let cookie = session(&app, "office1").await;
    assert!(!signed_out(&app, &cookie).await);
    sqlx::query("UPDATE sessions SET created_at = created_at - $1")
        .bind(db::sessions::max_ms() + 1000)
        .execute(&db.pool)
        .await
        .unwrap();
    assert!(signed_out(&app, &cookie).await);
}
both_engines!(
    sessions_have_an_absolute_lifetime_on,
    sessions_have_an_absolute_lifetime
);

/// Finding 7: over-long passwords, display names and persons' names are
/// refused with their own code and a 4xx, and nothing is written.
async fn over_long_inputs_are_refused(engine: Engine) {
    let TestApp { app, db, .. } = TestApp::on(engine).await;
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    let (users, persons) = (count("users").await, count("persons").await);
    // The log-in refuses a huge password before hashing it.
    let (status, _, text) = login_from(&app, "192.0.2.1", "office1", &"x".repeat(10_000)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("password_too_long"), "{text}");
    let admin = session(&app, "admin").await;
    let create = |display_name: String, password: String| {
        post_form("/api/admin/accounts/create", Some(&admin))
            .body(Body::from(format!(
                "username=newperson&display_name={display_name}&password={password}\
                 &role=agency_reviewer&org_code=152200&household_id="
            )))
            .unwrap()
    };
    for (req, code) in [
        (
            create("n".repeat(65), "long-enough-1".into()),
            "display_name_too_long",
        ),
        (create("Name".into(), "p".repeat(129)), "password_too_long"),
    ] {
        let (status, _, text) = send(&app, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(text.contains(code), "{text}");
    }
    assert_eq!(count("users").await, users);
    // A person's name at the office's desk.
    let office = session(&app, "office1").await;
    let household: i64 = sqlx::query_scalar(
        "SELECT id FROM households WHERE office_code = '152201-O01' ORDER BY id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let req = post_form("/api/enrol/register", Some(&office))
        .body(Body::from(format!(
            "household_id={household}&id_number={}&name={}&policy_year=2027",
            common::id("15220120100307001"),
            "名".repeat(51)
        )))
        .unwrap();
    let (status, _, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("name_too_long"), "{text}");
    assert_eq!(count("persons").await, persons);
}
both_engines!(
    over_long_inputs_are_refused_on,
    over_long_inputs_are_refused
);
