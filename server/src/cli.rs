//! The command line: `serve` (the default), `migrate`, `create-user`,
//! `seed --demo`, `audit verify`, `rules`.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{bail, Context};
use db::accounts::NewUser;
use db::audit::By;
use db::scope::Role;

use crate::Settings;

const HELP: &str = "portal — urban-resident basic medical insurance portal / 城镇居民基本医疗保险服务平台

USAGE: portal [SUBCOMMAND]

  serve                 serve the portal (default)
  migrate               apply database migrations and exit
  create-user --username U --name NAME --role ROLE [--org CODE [--org-name NAME]] [--household ID]
                        create an account; the password is read from PORTAL_PASSWORD or the first line of stdin.
                        With --org-name, a missing league agency CODE is created first (for the first administrator).
  seed --demo           build the demo league (organisations, accounts, two policy years of thousands
                        of persons, their premiums and claims) through the services
  seed --demo --sample  the same with a tenth of the persons (what the tests seed)
  audit verify          check the audit hash chain (names the first broken entry) and
                        that it still reaches its anchor (PORTAL_AUDIT_ANCHOR)
  audit anchor          move the anchor to the chain's head, signed with PORTAL_AUDIT_KEY
                        (serve does this every minute)
  export [--year Y] [--county C]
                        persons, enrolments and payments as JSON Lines (../shared/policy/EXPORT.md) on stdout
  sweep [--as-of YYYY-MM-DD]
                        the 1 May sweep (E8): residents paid for last year and not this year become
                        interrupted; running it again changes nothing. The server also runs it by itself.
  rules [--no-explain]  answer rules requests: JSON Lines on stdin, one answer per line on stdout
                        (explanations included unless --no-explain or a line says \"explain\": false)
  help                  this text

Environment: PORTAL_DATABASE_URL, LEPTOS_SITE_ADDR, LEPTOS_SITE_ROOT, PORTAL_DATA_DIR,
PORTAL_SECURE_COOKIES, PORTAL_SESSION_IDLE_MINUTES, PORTAL_INSTANCE_ID, RUST_LOG (see README).";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

pub async fn run(args: Vec<String>) -> anyhow::Result<ExitCode> {
    let settings = Settings::from_env()?;
    let sub = args.first().map(String::as_str).unwrap_or("serve");
    match sub {
        "serve" => serve(settings).await,
        "migrate" => {
            let db = db::Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            eprintln!(
                "migrations applied to {}",
                crate::settings::redact(&settings.database_url)
            );
            Ok(ExitCode::SUCCESS)
        }
        "create-user" => create_user(&settings, &args[1..]).await,
        "seed" => {
            if !args.iter().any(|a| a == "--demo") {
                bail!("seed needs --demo (the only data set there is)");
            }
            let st = crate::state(&settings).await?;
            let scale = if args.iter().any(|a| a == "--sample") {
                crate::demo::Scale::Sample
            } else {
                crate::demo::Scale::Full
            };
            crate::demo::seed_with(&st.db, scale).await?;
            Ok(ExitCode::SUCCESS)
        }
        "audit" if args.get(1).map(String::as_str) == Some("verify") => {
            let db = db::Db::connect(&settings.database_url).await?;
            let v = db::audit::verify(&db).await?;
            if let Some(seq) = v.first_broken {
                println!(
                    "audit chain BROKEN at entry {seq} (checked {} entries)",
                    v.entries
                );
                return Ok(ExitCode::from(2));
            }
            println!("audit chain intact: {} entries", v.entries);
            verify_anchor(&settings, &db).await
        }
        "audit" if args.get(1).map(String::as_str) == Some("anchor") => {
            let db = db::Db::connect(&settings.database_url).await?;
            let key =
                crate::settings::audit_key(settings.payment_simulator, Some(&settings.audit_key))?;
            match db::audit::advance_anchor(&db, key.as_bytes(), &settings.audit_anchor).await? {
                Ok(a) => {
                    println!(
                        "audit anchor at entry {} in {}",
                        a.seq,
                        settings.audit_anchor.display()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(check) => {
                    println!(
                        "audit anchor NOT moved: the one in {} no longer holds ({check:?})",
                        settings.audit_anchor.display()
                    );
                    Ok(ExitCode::from(2))
                }
            }
        }
        "export" => {
            let db = db::Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            let year = flag(&args, "--year")
                .map(|y| y.parse::<i32>())
                .transpose()
                .context("--year is a year")?;
            let county = flag(&args, "--county");
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let n = db::export::write(&db, year, county.as_deref(), &mut out).await?;
            eprintln!("exported {n} lines");
            Ok(ExitCode::SUCCESS)
        }
        "sweep" => {
            let as_of = match flag(&args, "--as-of") {
                Some(d) => d
                    .parse::<chrono::NaiveDate>()
                    .context("--as-of is a date, YYYY-MM-DD")?,
                None => db::local_date(db::now_ms()),
            };
            if as_of > db::local_date(db::now_ms()) {
                bail!("--as-of {as_of} is in the future: residents may still pay until then");
            }
            let db = db::Db::connect(&settings.database_url).await?;
            db.migrate().await?;
            let rules = db::policy_years::load(&db).await?;
            match db::sweep::run(&db, &rules, as_of, By::System("cli")).await? {
                None => println!(
                    "{as_of}: before the sweep day of {}, nothing to do",
                    chrono::Datelike::year(&as_of)
                ),
                Some(r) => println!(
                    "sweep {} (from {}): {} newly interrupted, {} interrupted in all",
                    r.policy_year, r.sweep_date, r.newly_interrupted, r.interrupted
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        "rules" => {
            let rules = policy::params::Rules::try_builtin()?;
            let stdin = std::io::stdin().lock();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let opts = crate::batch::Options {
                explain: !args.iter().any(|a| a == "--no-explain"),
                ..Default::default()
            };
            crate::batch::run(&rules, stdin, &mut out, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprintln!("unknown subcommand {other:?}\n\n{HELP}");
            Ok(ExitCode::from(64))
        }
    }
}

/// The chain checks; does it still reach as far as the anchor says it did?
async fn verify_anchor(settings: &Settings, db: &db::Db) -> anyhow::Result<ExitCode> {
    use db::audit::{Anchor, AnchorCheck};
    let path = &settings.audit_anchor;
    let Ok(text) = std::fs::read_to_string(path) else {
        println!(
            "no audit anchor at {} (a serving portal writes one every minute)",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    };
    let check = match Anchor::parse(&text) {
        Some(anchor) => db::audit::check_anchor(db, settings.audit_key.as_bytes(), &anchor).await?,
        None => AnchorCheck::Forged,
    };
    match check {
        AnchorCheck::Holds { seq } => {
            println!("audit anchor holds: entry {seq} of {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        AnchorCheck::Forged => {
            println!(
                "audit anchor {} is NOT signed with PORTAL_AUDIT_KEY: altered, or another key",
                path.display()
            );
            Ok(ExitCode::from(2))
        }
        AnchorCheck::Cut { seq } => {
            println!(
                "audit chain CUT: entry {seq}, anchored in {}, is gone or rewritten",
                path.display()
            );
            Ok(ExitCode::from(2))
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    // Anyone holding a public or short key could sign "paid" notifications.
    crate::settings::provider_key(
        settings.payment_simulator,
        Some(&settings.payment_simulator_key),
    )?;
    let audit_key =
        crate::settings::audit_key(settings.payment_simulator, Some(&settings.audit_key))?;
    let st = crate::state(&settings).await?;
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("PORTAL_DATA_DIR {:?}", settings.data_dir))?;
    crate::tasks::spawn(
        st.clone(),
        settings.instance_id.clone(),
        crate::tasks::AuditAnchor {
            key: audit_key,
            path: settings.audit_anchor.clone(),
        },
    );
    match crate::messenger::choose(&settings)? {
        Some(m) => crate::messenger::spawn(st.db.clone(), m),
        None => tracing::warn!(
            "no SMS gateway (PORTAL_SMS_GATEWAY): signing up by phone and residents' password reset are not available"
        ),
    }
    let app = crate::router(st);
    let listener = tokio::net::TcpListener::bind(settings.site_addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.site_addr))?;
    tracing::info!(addr = %settings.site_addr, database = %crate::settings::redact(&settings.database_url), "portal listening");
    println!("portal listening on http://{}", settings.site_addr);
    if settings.payment_simulator {
        tracing::warn!("PORTAL_PAYMENT_SIMULATOR=1: the payment simulator is on; premiums can be marked paid without money (demos and tests only)");
        println!("payment simulator ON (PORTAL_PAYMENT_SIMULATOR=1): for demos and tests only, never in production");
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C, or SIGTERM (what systemd, Kubernetes and `kill` send): the
/// portal stops taking connections and finishes the requests in flight, so
/// no payment or upload is cut off half-way.
async fn shutdown() {
    let term = async {
        #[cfg(unix)]
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

async fn create_user(settings: &Settings, args: &[String]) -> anyhow::Result<ExitCode> {
    let username = flag(args, "--username").context("--username is required")?;
    let display_name = flag(args, "--name").context("--name is required")?;
    let role_code = flag(args, "--role").context("--role is required")?;
    let role =
        Role::from_code(&role_code).with_context(|| format!("unknown role {role_code:?}"))?;
    let org_code = flag(args, "--org");
    let household_id = flag(args, "--household")
        .map(|h| h.parse::<i64>())
        .transpose()
        .context("--household is a number")?;
    let password = match std::env::var("PORTAL_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!("password (one line):");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let db = db::Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    if let (Some(code), Some(name)) = (&org_code, flag(args, "--org-name")) {
        if db::orgs::get(&db, code).await?.is_none() {
            db::orgs::create(
                &db,
                By::System("cli"),
                &db::orgs::OrgUnit {
                    code: code.clone(),
                    kind: "league_agency".into(),
                    name_zh: name.clone(),
                    name_en: name,
                    county_code: None,
                },
            )
            .await?;
        }
    }
    let id = db::accounts::create_user(
        &db,
        By::System("cli"),
        NewUser {
            username: username.clone(),
            display_name,
            password,
            role,
            org_code,
            household_id,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot create {username:?}: {}", e.code()))?;
    println!("created account {username} (id {id}, role {role_code})");
    Ok(ExitCode::SUCCESS)
}
