//! Fresh databases for tests: a SQLite file in a temporary folder, or a new
//! database in the PostgreSQL that the test command started. A PostgreSQL
//! test never skips: without the server it fails and says why.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use db::Db;

pub mod league;
pub mod pupils;
pub mod workbook;

static N: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        rand_suffix()
    )
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

/// An identity number: the first 17 characters and their GB 11643 check character.
pub fn id(first17: &str) -> String {
    format!(
        "{first17}{}",
        policy::idcard::check_character(first17).unwrap()
    )
}

pub async fn sqlite() -> Db {
    let dir = std::env::temp_dir().join(unique("portal_test"));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}/test.db", dir.display()))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    db
}

pub fn postgres_url() -> String {
    std::env::var("PORTAL_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "PORTAL_TEST_POSTGRES_URL is not set: PostgreSQL tests need a server. \
             Run them with scripts/test.sh (it starts one), or point the variable at a \
             PostgreSQL whose user may CREATE DATABASE."
        )
    })
}

pub async fn postgres() -> Db {
    let admin_url = postgres_url();
    let name = unique("portal_test");
    let admin = Db::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at PORTAL_TEST_POSTGRES_URL: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    admin.pool.close().await;
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
    db.migrate().await.unwrap();
    db
}

/// Runs one story body against both engines: `both!(name, body_fn)`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$body(super::common::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$body(super::common::postgres().await).await;
            }
        }
    };
}

/// Organisations by (code, kind, county), made by the system; each named by
/// its code in both languages.
pub async fn orgs(db: &Db, units: &[(&str, &str, &str)]) {
    for (code, kind, county) in units {
        let o = db::orgs::OrgUnit {
            code: (*code).into(),
            kind: (*kind).into(),
            name_zh: (*code).into(),
            name_en: (*code).into(),
            county_code: Some((*county).into()),
        };
        db::orgs::create(db, db::audit::By::System("test"), &o)
            .await
            .unwrap();
    }
}
