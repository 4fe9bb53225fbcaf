//! `GET /documents/{sha256}`: a document's bytes, with its content type, for
//! whoever may see its household (db/src/documents.rs decides).

use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/documents/{sha256}", get(open_document))
}

async fn open_document(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> Response {
    let Ok(Some(actor)) = crate::session::actor(&st, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match db::documents::open(&st.db, &st.documents, &actor, &sha256).await {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                // Personal papers: never in a shared cache, never re-interpreted.
                (header::CACHE_CONTROL, "private, no-store".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(db::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "document");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
