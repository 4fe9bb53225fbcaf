//! The post of the refunds page (app/src/pages/refunds.rs): an administrator
//! records that an overpayment went back. Answers with a redirect to the page.

use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

use crate::session::SignedIn;

pub fn routes() -> Router<AppState> {
    Router::new().route("/refunds/{receipt}", post(mark_refunded))
}

async fn mark_refunded(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(receipt): Path<String>,
) -> Response {
    let to = match db::payments::mark_refunded(&st.db, &actor, &receipt).await {
        Ok(p) => format!("/refunds?refunded={}", p.receipt_number),
        Err(e) => {
            if let db::Error::Database(err) = &e {
                tracing::error!(error = %err, "refund");
            }
            format!("/refunds?error={}", e.code())
        }
    };
    Redirect::to(&to).into_response()
}
