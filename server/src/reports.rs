//! The posts of the statistical reports page (app/src/pages/reports.rs):
//! draft, explain a change, sign, correct. Each answers with a redirect to
//! the page of the period; a refused one with the page again, what was
//! typed still in its field.

use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use policy::reports::{Period, SignOff};
use rust_decimal::Decimal;

use crate::households::{value, Fields};
use crate::refused::page_again;
use crate::session::SignedIn;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/draft", post(draft))
        .route("/reports/{id}/explain", post(explain))
        .route("/reports/{id}/sign", post(sign))
        .route("/reports/{id}/correct", post(correct))
        .route("/publications", post(propose))
        .route("/publications/{id}/approve", post(approve))
}

fn threshold(st: &AppState) -> Decimal {
    Decimal::from(st.report_change_percent)
}

/// Back to the page of the report's period, or the page again on a refusal.
async fn answer(
    st: &AppState,
    headers: &HeaderMap,
    period: &str,
    fields: Fields,
    done: db::Result<db::reports::Report>,
) -> Response {
    match done {
        Ok(r) => Redirect::to(&format!("/reports?period={}&ok=1", r.period)).into_response(),
        Err(e) => page_again(st, headers, &format!("/reports?period={period}"), fields, e).await,
    }
}

async fn draft(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let label = value(&fields, "period").trim().to_string();
    let done = match label.parse::<Period>() {
        Ok(period) => db::reports::draft(&st.db, &actor, period, threshold(&st)).await,
        Err(_) => Err(db::Error::from(db::error::InputError::Date)),
    };
    answer(&st, &headers, &label, fields, done).await
}

/// The answer to a post on report `id`: as [`answer`], the page of its
/// period read only when the post is refused (a report moved on, or one the
/// actor may not read, leads back to the page of this month).
async fn answer_on(
    st: &AppState,
    headers: &HeaderMap,
    actor: &db::Actor,
    id: i64,
    fields: Fields,
    done: db::Result<db::reports::Report>,
) -> Response {
    let period = match &done {
        Ok(r) => r.period.to_string(),
        Err(_) => db::reports::get(&st.db, actor, id)
            .await
            .map(|r| r.period.to_string())
            .unwrap_or_default(),
    };
    answer(st, headers, &period, fields, done).await
}

async fn explain(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let (key, text) = (value(&fields, "key"), value(&fields, "text"));
    let done = db::reports::explain(&st.db, &actor, id, key, text).await;
    answer_on(&st, &headers, &actor, id, fields, done).await
}

async fn sign(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let done = match SignOff::from_code(value(&fields, "role")) {
        Some(role) => db::reports::sign(&st.db, &actor, id, role).await,
        None => Err(db::Error::from(db::error::InputError::Request)),
    };
    answer_on(&st, &headers, &actor, id, fields, done).await
}

async fn correct(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let reason = value(&fields, "reason");
    let done = db::reports::correct(&st.db, &actor, id, reason, threshold(&st)).await;
    answer_on(&st, &headers, &actor, id, fields, done).await
}

/// After a publication step: back to the league's page, or its refusal.
async fn published_answer(
    st: &AppState,
    headers: &HeaderMap,
    fields: Fields,
    done: db::Result<db::publications::Publication>,
) -> Response {
    match done {
        Ok(_) => Redirect::to("/reports?ok=1#publish-h").into_response(),
        Err(e) => page_again(st, headers, "/reports", fields, e).await,
    }
}

async fn propose(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let done = match value(&fields, "year").trim().parse::<i32>() {
        Ok(year) if st.rules().years.contains_key(&year) => {
            db::publications::propose(&st.db, &actor, year, u64::from(st.publish_min_count)).await
        }
        _ => Err(db::Error::from(db::error::InputError::PolicyYear)),
    };
    published_answer(&st, &headers, fields, done).await
}

async fn approve(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let done = db::publications::approve(&st.db, &actor, id).await;
    published_answer(&st, &headers, vec![], done).await
}
