//! The two engines a benchmark runs on: a fresh SQLite file, then a fresh
//! PostgreSQL database when PORTAL_BENCH_POSTGRES_URL (or the tests'
//! PORTAL_TEST_POSTGRES_URL) names a server; each dropped afterwards.

use std::future::Future;

use db::Db;

/// Runs `bench(label, db)` on SQLite, then on PostgreSQL if one is named.
/// `migrate`: whether the benchmark wants the schema made first.
pub async fn on_both<F, Fut>(name: &str, migrate: bool, bench: F)
where
    F: Fn(&'static str, Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let tag = format!("portal_bench_{name}_{}", std::process::id());
    let dir = std::env::temp_dir().join(&tag);
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Db::connect(&format!("sqlite://{}/bench.db", dir.display()))
        .await
        .unwrap();
    if migrate {
        sqlite.migrate().await.unwrap();
    }
    bench("SQLite", sqlite).await;
    let _ = std::fs::remove_dir_all(&dir);

    let url = std::env::var("PORTAL_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("PORTAL_TEST_POSTGRES_URL"));
    let Ok(url) = url else {
        println!("PostgreSQL: not run (set PORTAL_BENCH_POSTGRES_URL)");
        return;
    };
    let admin = Db::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {tag}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let pg = Db::connect(&format!("{base}/{tag}")).await.unwrap();
    if migrate {
        pg.migrate().await.unwrap();
    }
    bench("PostgreSQL", pg.clone()).await;
    pg.pool.close().await;
    sqlx::query(&format!("DROP DATABASE {tag} WITH (FORCE)"))
        .execute(&admin.pool)
        .await
        .unwrap();
}
