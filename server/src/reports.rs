//! The posts of the statistical reports page (app/src/pages/reports/):
//! draft, explain a change, sign, correct, ask for and approve a release
//! (T14); the league's schedule (T4-T6), access table (T15) and
//! publication (T16); a county head's charge of the weekly return (T5).
//! Each answers with a redirect to the page of the period; a refused one
//! with the page again, what was typed still in its field. And the files
//! of a version (CSV, XLSX) and of a release, each reading recorded.

use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
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
        .route("/reports/{id}/release", post(request_release))
        .route("/reports/{id}/csv", get(report_csv))
        .route("/reports/{id}/xlsx", get(report_xlsx))
        .route("/releases/{id}/approve", post(approve_release))
        .route("/releases/{id}/csv", get(release_csv))
        .route("/reports/schedule", post(schedule))
        .route("/reports/weekly-preparer", post(charge_weekly))
        .route("/reports/access", post(access))
        .route("/subsidy-notices", post(propose_notice))
        .route("/subsidy-notices/{id}/approve", post(approve_notice))
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

/// After a league or county setting: back to the page, or its refusal.
async fn settled(
    st: &AppState,
    headers: &HeaderMap,
    anchor: &str,
    fields: Fields,
    done: db::Result<()>,
) -> Response {
    match done {
        Ok(()) => Redirect::to(&format!("/reports?ok=1#{anchor}")).into_response(),
        Err(e) => page_again(st, headers, "/reports", fields, e).await,
    }
}

/// T4-T6: the league asks for a report in a year, due so many days after
/// each period; an empty number asks for it no longer.
async fn schedule(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let year = value(&fields, "year").trim().parse::<i32>();
    let frequency = policy::reports::Frequency::from_code(value(&fields, "frequency"));
    let days = db::household_open::halfwidth(value(&fields, "due_days")).replace(' ', "");
    let done = match (year, frequency) {
        (Ok(year), Some(f)) if st.rules().years.contains_key(&year) => match days.as_str() {
            "" => db::reports::schedule::set(&st.db, &actor, year, f, None).await,
            d => match d.parse::<u32>() {
                Ok(d) => db::reports::schedule::set(&st.db, &actor, year, f, Some(d)).await,
                Err(_) => Err(db::Error::from(db::error::ReportRefusal::DueDays)),
            },
        },
        _ => Err(db::Error::from(db::error::InputError::Request)),
    };
    settled(&st, &headers, "schedule-h", fields, done).await
}

/// T5: a county head charges one of its staff with the weekly return.
async fn charge_weekly(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let done = match value(&fields, "user_id").trim().parse::<i64>() {
        Ok(id) => db::reports::schedule::charge_weekly(&st.db, &actor, id).await,
        Err(_) => Err(db::Error::from(db::error::ReportRefusal::WeeklyPreparer)),
    };
    settled(&st, &headers, "charge-h", fields, done).await
}

/// T15: the whole table of who reads what, as ticked; a box not sent is
/// not ticked.
async fn access(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    use policy::reports::figures::Section;
    let mut done = Ok(());
    'all: for section in Section::ALL {
        for role in [
            db::scope::Role::AgencyReviewer,
            db::scope::Role::AgencyAdmin,
        ] {
            let name = format!("{}:{}", section.code(), role.code());
            let allowed = fields.iter().any(|(k, v)| *k == name && v == "1");
            done = db::reports::access::set(&st.db, &actor, *section, role, allowed).await;
            if done.is_err() {
                break 'all;
            }
        }
    }
    settled(&st, &headers, "access-h", fields, done).await
}

/// T14: asks to give a submitted version's figures outside.
async fn request_release(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let (recipient, purpose) = (value(&fields, "recipient"), value(&fields, "purpose"));
    let done = db::reports::access::request_release(&st.db, &actor, id, recipient, purpose).await;
    to_releases(&st, &headers, &actor, id, fields, done).await
}

/// Back to the releases of report `id`'s page, or its refusal.
async fn to_releases(
    st: &AppState,
    headers: &HeaderMap,
    actor: &db::Actor,
    report_id: i64,
    fields: Fields,
    done: db::Result<db::reports::access::Release>,
) -> Response {
    let period = db::reports::get(&st.db, actor, report_id)
        .await
        .map(|r| r.period.to_string())
        .unwrap_or_default();
    match done {
        Ok(_) => Redirect::to(&format!("/reports?period={period}&ok=1#release-h")).into_response(),
        Err(e) => page_again(st, headers, &format!("/reports?period={period}"), fields, e).await,
    }
}

async fn approve_release(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let done = db::reports::access::approve_release(&st.db, &actor, id).await;
    let report = match &done {
        Ok(r) => r.report_id,
        Err(_) => db::reports::access::release(&st.db, &actor, id)
            .await
            .map_or(0, |r| r.report_id),
    };
    to_releases(&st, &headers, &actor, report, vec![], done).await
}

/// The names of a file's figures and columns, in the reader's language.
fn file_words(headers: &HeaderMap) -> (app::i18n::Lang, [&'static str; 5]) {
    use app::i18n::ReportMsg;
    let lang = headers
        .get(axum::http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default();
    let cols = [
        ReportMsg::Figure,
        ReportMsg::Previous,
        ReportMsg::Current,
        ReportMsg::Change,
        ReportMsg::Explanation,
    ]
    .map(|m| m.text(lang));
    (lang, cols)
}

/// A refused file: 403, 404, or 500 logged.
fn refused_file(e: db::Error) -> Response {
    use axum::http::StatusCode;
    match e {
        db::Error::Forbidden => StatusCode::FORBIDDEN.into_response(),
        db::Error::NotFound => StatusCode::NOT_FOUND.into_response(),
        db::Error::Database(err) => {
            tracing::error!(error = %err, "report file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        e => (StatusCode::UNPROCESSABLE_ENTITY, e.code()).into_response(),
    }
}

fn file_name(r: &db::reports::Report, ext: &str) -> String {
    format!("report-{}-{}-v{}.{ext}", r.county_code, r.period, r.version)
}

async fn report_csv(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    use db::reports::access::Reading;
    match db::reports::access::read(&st.db, &actor, id, Reading::Csv).await {
        Ok(r) => {
            let (lang, cols) = file_words(&headers);
            let body =
                db::reports::export::csv(&r, |k| app::pages::reports::figure_label(lang, k), cols);
            crate::download::csv(&file_name(&r, "csv"), body)
        }
        Err(e) => refused_file(e),
    }
}

async fn report_xlsx(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    use db::reports::access::Reading;
    let r = match db::reports::access::read(&st.db, &actor, id, Reading::Xlsx).await {
        Ok(r) => r,
        Err(e) => return refused_file(e),
    };
    let (lang, cols) = file_words(&headers);
    match db::reports::export::xlsx(
        &r,
        &r.period.to_string(),
        |k| app::pages::reports::figure_label(lang, k),
        cols,
    ) {
        Ok(body) => crate::download::xlsx(&file_name(&r, "xlsx"), body),
        Err(e) => refused_file(e),
    }
}

/// T14: the figures of an approved release, for whoever asked or approved.
async fn release_csv(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match db::reports::access::released(&st.db, &actor, id).await {
        Ok((release, r)) => {
            let (lang, cols) = file_words(&headers);
            let body =
                db::reports::export::csv(&r, |k| app::pages::reports::figure_label(lang, k), cols);
            crate::download::csv(
                &format!("release-{}-{}", release.id, file_name(&r, "csv")),
                body,
            )
        }
        Err(e) => refused_file(e),
    }
}

/// 张榜公布: a county puts the year's list of the assisted forward.
async fn propose_notice(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let done = match value(&fields, "year").trim().parse::<i32>() {
        Ok(year) if st.rules().years.contains_key(&year) => {
            db::subsidy_notices::propose(&st.db, &actor, year)
                .await
                .map(|_| ())
        }
        _ => Err(db::Error::from(db::error::InputError::PolicyYear)),
    };
    settled(&st, &headers, "notices-h", fields, done).await
}

async fn approve_notice(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let done = db::subsidy_notices::approve(&st.db, &actor, id)
        .await
        .map(|_| ());
    settled(&st, &headers, "notices-h", vec![], done).await
}
