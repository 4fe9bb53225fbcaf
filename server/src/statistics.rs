//! The agency's statistics as a spreadsheet (`/stats.csv?year=Y`): the county
//! table of app/src/pages/statistics.rs, for the reports the agency sends on.

use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::session::SignedIn;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stats.csv", get(county_csv))
        .route("/stats/subsidy.csv", get(subsidy_csv))
}

#[derive(Deserialize)]
struct YearQuery {
    year: String,
}

async fn county_csv(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Query(q): Query<YearQuery>,
) -> Response {
    let Some(year) = q
        .year
        .parse::<i32>()
        .ok()
        .filter(|y| st.rules().years.contains_key(y))
    else {
        return (StatusCode::NOT_FOUND, "policy_year").into_response();
    };
    let table = db::statistics::year(&st.db, &actor, year)
        .await
        .map(|s| db::statistics::county_csv(&s));
    download(&format!("statistics-{year}.csv"), table)
}

/// A table as a CSV download; refused as the service refused it.
fn download(file: &str, table: db::Result<String>) -> Response {
    match table {
        Ok(csv) => crate::download::csv(file, csv),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, file, "statistics download");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize)]
struct PeriodQuery {
    period: String,
}

/// What each level of government owes for a period (`?period=2027-Q1`), the
/// table the agency sends each finance bureau (E7, F7).
async fn subsidy_csv(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let Ok(period) = q.period.parse::<policy::reports::Period>() else {
        return (StatusCode::BAD_REQUEST, "period").into_response();
    };
    let table = db::subsidy_owed::owed(&st.db, &actor, period.first_day(), period.last_day())
        .await
        .map(|lines| db::subsidy_owed::csv(&lines));
    download(&format!("subsidy-owed-{period}.csv"), table)
}
