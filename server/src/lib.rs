//! The portal server: the router that every instance serves, and the pieces
//! `main` wires from the command line. A library so tests can drive the same
//! router without a network.

pub mod accounts;
pub mod assets;
pub mod batch;
pub mod check;
pub mod claims;
pub mod cli;
pub mod demo;
pub mod documents;
pub mod download;
pub mod forms;
pub mod guard;
pub mod households;
pub mod limits;
pub mod messenger;
pub mod preregistration;
pub mod refunds;
pub mod refused;
pub mod reports;
pub mod roster;
pub mod session;
pub mod settings;
pub mod signup;
pub mod statistics;
pub mod status;
pub mod tasks;
pub mod upload;

use std::sync::Arc;

use app::ssr::AppState;
use app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

pub use settings::Settings;

/// Leptos options from our settings, so the binary runs the same whether
/// cargo-leptos built it or plain cargo did.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("portal")
        .site_root(settings.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(settings.site_addr)
        .env(leptos::config::Env::PROD)
        .hash_files(assets::hash_file_beside_binary())
        .build()
}

pub async fn state(settings: &Settings) -> anyhow::Result<AppState> {
    let db = db::Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let rules = db::policy_years::load(&db).await?;
    Ok(AppState {
        leptos_options: leptos_options(settings),
        db,
        rules: Arc::new(std::sync::RwLock::new(Arc::new(rules))),
        secure_cookies: settings.secure_cookies,
        payment_provider: Arc::new(db::provider::Simulator::new(
            settings.payment_simulator_key.as_bytes(),
        )),
        documents: Arc::new(db::documents::LocalFolder::new(&settings.data_dir)),
        payment_simulator: settings.payment_simulator,
        max_upload_bytes: settings.max_upload_bytes,
        public_url: settings.public_url.clone(),
        demo_days_ahead: Arc::default(),
        login_limits: settings.login_limits,
        codes: messenger::choose(settings)?.map(|_| settings.codes.rules),
        signup: settings.signup,
        report_change_percent: settings.report_change_percent,
        publish_min_count: settings.publish_min_count,
    })
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let secure = state.secure_cookies;
    let limiter = std::sync::Arc::new(limits::CredentialLimiter::new(state.login_limits));
    let code_limiter = std::sync::Arc::new(limits::CredentialLimiter::new(app::ssr::LoginLimits {
        per_address: state.codes.map_or(5, |c| c.per_address_per_minute),
        global: state.login_limits.global,
    }));
    let signup_limiter = std::sync::Arc::new(limits::CredentialLimiter::new(state.signup.limits));
    Router::new()
        .route("/api/v1/rules/{op}", axum::routing::post(rules_api))
        .route(
            "/api/v1/payments/notify/{provider}",
            axum::routing::post(payment_notification),
        )
        .merge(documents::routes())
        .merge(preregistration::routes(state.max_upload_bytes))
        .merge(roster::routes())
        .merge(claims::routes(state.max_upload_bytes))
        .merge(refunds::routes())
        .merge(statistics::routes())
        .merge(claims::demo_routes(state.payment_simulator))
        .merge(accounts::routes())
        .merge(signup::routes(state.max_upload_bytes))
        .merge(households::routes())
        .merge(check::routes())
        .merge(reports::routes())
        .leptos_routes_with_context(&state, routes, || (), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(status::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            accounts::password_change_first,
        ))
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::limit_credentials(limiter.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::limit_paths(code_limiter.clone(), limits::CODE_PATHS, req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            limits::limit_signups(signup_limiter.clone(), req, next)
        }))
        .layer(axum::middleware::from_fn(guard::refuse_cross_site))
        .layer(axum::middleware::from_fn(move |req, next| {
            guard::security_headers(secure, req, next)
        }))
        .layer(axum::middleware::from_fn(assets::cache_control))
        .layer(assets::compression())
        .with_state(state)
}

/// The rules as a service (RULES-API.md): `POST /api/v1/rules/<op>`, a thin
/// layer over the policy crate, open to anyone (it reads no records).
async fn rules_api(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(op): axum::extract::Path<String>,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let json = [(http::header::CONTENT_TYPE, "application/json")];
    let today = Some(db::claims::today());
    match policy::api::answer_op_on(&state.rules(), &op, &body, today) {
        Ok(answer) => (http::StatusCode::OK, json, answer).into_response(),
        Err(e) => (
            http::StatusCode::BAD_REQUEST,
            json,
            serde_json::to_string(&e).unwrap_or_default(),
        )
            .into_response(),
    }
}

/// A payment provider's asynchronous notification:
/// `POST /api/v1/payments/notify/<provider>`, the signature in
/// `X-Portal-Signature`. Recorded once however often it comes; the provider
/// retries until it gets `200 success`.
async fn payment_notification(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(provider): axum::extract::Path<String>,
    headers: http::HeaderMap,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use db::provider::PaymentProvider;
    if !state.payment_simulator || provider != state.payment_provider.code() {
        return (http::StatusCode::NOT_FOUND, "unknown provider").into_response();
    }
    let signature = headers
        .get("x-portal-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let rules = state.rules();
    match db::payments::on_notification(
        &state.db,
        &rules,
        state.payment_provider.as_ref(),
        &body,
        signature,
    )
    .await
    {
        Ok(_) => (http::StatusCode::OK, "success").into_response(),
        Err(e @ db::Error::Database(_)) => {
            tracing::error!(error = %e, "payment notification not recorded");
            (http::StatusCode::INTERNAL_SERVER_ERROR, "retry").into_response()
        }
        Err(e) => (http::StatusCode::BAD_REQUEST, e.code()).into_response(),
    }
}
