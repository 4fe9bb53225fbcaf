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
    Router::new().route("/stats.csv", get(county_csv))
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
    match db::statistics::year(&st.db, &actor, year).await {
        Ok(s) => crate::download::csv(
            &format!("statistics-{year}.csv"),
            db::statistics::county_csv(&s),
        ),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "statistics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
