//! The public check page's two questions (a quote, an estimate) are forms
//! that post to the page itself: the answer comes back in the page the
//! server renders, the form still filled, before and without WebAssembly,
//! and the identity number never goes into an address (history, logs).

use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/check", post(ask))
}

async fn ask(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(values) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    crate::refused::page_posted(&st, &headers, "/check", values).await
}
