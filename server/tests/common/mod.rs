//! The portal as router tests see it: `TestApp::new().await` is the router
//! the binary serves, on a fresh SQLite database with the demo league's
//! log-ins, one or more of every role (`admin`, `reviewer1`, `office1`,
//! `school1`, `resident1` …, password [`PASSWORD`]). Requests go through
//! `tower::ServiceExt::oneshot`, without a network.
#![allow(dead_code)] // each test file uses its part

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The demo's password, the same for every log-in.
pub const PASSWORD: &str = "demo-pass-2026";
/// The payment simulator's signing key in tests.
pub const SIMULATOR_KEY: &str = "test-simulator-key";
/// The host every request names.
pub const HOST: &str = "portal.test";

pub struct TestApp {
    pub app: Router,
    pub db: db::Db,
    /// The test's own folder: its SQLite database, documents and `site/`.
    pub dir: std::path::PathBuf,
}

/// The database engine a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs one test body on both engines: `both_engines!(name, body_fn)`, where
/// `body_fn(Engine)` builds its `TestApp::on(engine)`.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$body(super::common::Engine::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$body(super::common::Engine::Postgres).await;
            }
        }
    };
}

/// A name no other test of any process takes: for its folder and database.
fn unique_name() -> String {
    format!(
        "portal_router_test_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// A fresh database on PostgreSQL (PORTAL_TEST_POSTGRES_URL names a server
/// whose user may create databases): its URL.
async fn postgres_database() -> String {
    let admin_url = std::env::var("PORTAL_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!("PORTAL_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server")
    });
    let name = unique_name();
    let admin = db::Db::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    admin.pool.close().await;
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    format!("{base}/{name}")
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::build(false, true).await
    }

    /// The portal on `engine`, its settings first changed by `tweak`.
    pub async fn on_with(engine: Engine, tweak: impl FnOnce(&mut server::Settings)) -> TestApp {
        let url = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(postgres_database().await),
        };
        TestApp::build_with(false, true, url, tweak).await
    }

    /// The portal on `engine`.
    pub async fn on(engine: Engine) -> TestApp {
        TestApp::on_with(engine, |_| {}).await
    }

    /// The portal on a fresh PostgreSQL database.
    pub async fn postgres() -> TestApp {
        TestApp::on(Engine::Postgres).await
    }

    /// As deployed behind HTTPS: Secure cookies (and so HSTS).
    pub async fn secure() -> TestApp {
        TestApp::build(true, true).await
    }

    /// As in production: no payment simulator.
    pub async fn without_simulator() -> TestApp {
        TestApp::build(false, false).await
    }

    async fn build(secure_cookies: bool, payment_simulator: bool) -> TestApp {
        TestApp::build_with(secure_cookies, payment_simulator, None, |_| {}).await
    }

    async fn build_with(
        secure_cookies: bool,
        payment_simulator: bool,
        database_url: Option<String>,
        tweak: impl FnOnce(&mut server::Settings),
    ) -> TestApp {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).unwrap();
        let mut settings = server::Settings {
            database_url: database_url
                .unwrap_or_else(|| format!("sqlite://{}/portal.db", dir.display())),
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: dir.join("site").display().to_string(),
            data_dir: dir.join("files"),
            secure_cookies,
            instance_id: "test".into(),
            payment_simulator_key: SIMULATOR_KEY.into(),
            payment_simulator,
            max_upload_bytes: server::settings::DEFAULT_MAX_UPLOAD_BYTES,
            public_url: None,
            // Tests log in often from one (unknown) address; those about
            // the limits set their own.
            login_limits: app::ssr::LoginLimits {
                per_address: 1000,
                global: 1000,
            },
            audit_key: server::settings::DEMO_AUDIT_KEY.into(),
            audit_anchor: dir.join("audit.anchor"),
            codes: server::settings::CodeSettings::default(),
            signup: app::ssr::SignupSettings {
                limits: app::ssr::LoginLimits {
                    per_address: 1000,
                    global: 1000,
                },
                ..Default::default()
            },
            report_change_percent: server::settings::DEFAULT_REPORT_CHANGE_PERCENT,
            publish_min_count: server::settings::DEFAULT_PUBLISH_MIN_COUNT,
        };
        tweak(&mut settings);
        let state = server::state(&settings).await.unwrap();
        server::demo::seed_with(&state.db, server::demo::Scale::Core)
            .await
            .unwrap();
        let db = state.db.clone();
        TestApp {
            app: server::router(state),
            db,
            dir,
        }
    }
}

/// Status, headers and body (as text) of one request.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A form post as a script sends it (asking for JSON), with the session if given.
pub fn post_form(path: &str, cookie: Option<&str>) -> http::request::Builder {
    let mut b = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b
}

/// A page or file as a signed-in browser asks for it.
pub fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

/// Logs in: the status, the whole `Set-Cookie` of the session if one was
/// started, and the body.
pub async fn login(
    app: &Router,
    user: &str,
    password: &str,
) -> (StatusCode, Option<String>, String) {
    let body = format!("username={user}&password={password}");
    let (status, headers, text) = send(
        app,
        post_form("/api/auth/login", None)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .map(String::from);
    (status, cookie, text)
}

/// The session cookie (`portal_session=…`) of a demo log-in.
pub async fn session(app: &Router, user: &str) -> String {
    let (status, cookie, text) = login(app, user, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{user}: {text}");
    let cookie = cookie.unwrap_or_else(|| panic!("{user}: no session cookie"));
    cookie.split(';').next().unwrap().to_string()
}

/// Where a redirect leads.
pub fn location(headers: &http::HeaderMap) -> String {
    headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// An identity number: the first 17 characters and their check character.
pub fn id(first17: &str) -> String {
    format!(
        "{first17}{}",
        policy::idcard::check_character(first17).unwrap()
    )
}

/// Runs one router test on both engines: `on_both!(name, body)`, where
/// `body` is an `async fn(TestApp)`.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body(super::common::TestApp::new().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$body(super::common::TestApp::postgres().await).await;
            }
        }
    };
}

pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----portal-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: image/jpeg\r\n\r\n")
                    .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// resident1 as the services see her, and the payment notice of her
/// household member `name` for `year`.
pub async fn residents_notice(
    db: &db::Db,
    name: &str,
    year: i32,
) -> (db::Actor, db::notices::Notice) {
    let rules = db::policy_years::load(db).await.unwrap();
    let db::accounts::LoginOutcome::Ok(resident) =
        db::accounts::login(db, "resident1", PASSWORD, "127.0.0.1")
            .await
            .unwrap()
    else {
        panic!("resident1 logs in")
    };
    let e: i64 = sqlx::query_scalar(
        "SELECT e.id FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE p.name = $1 AND e.policy_year = $2",
    )
    .bind(name)
    .bind(i64::from(year))
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let notice = db::notices::for_enrolment(db, &rules, &resident, e)
        .await
        .unwrap();
    (resident, notice)
}

/// The provider's notification of a simulator payment of the notice
/// `number` by `resident`: its body and signature, not yet delivered.
pub async fn simulator_payment(
    db: &db::Db,
    resident: &db::Actor,
    number: &str,
) -> (String, String) {
    let rules = db::policy_years::load(db).await.unwrap();
    let sim = db::provider::Simulator::new(SIMULATOR_KEY.as_bytes());
    let order = db::payments::create_order(db, &rules, resident, number, &sim, db::now_ms())
        .await
        .unwrap();
    sim.pay(db, &order.order_number, db::now_ms())
        .await
        .unwrap()
}
