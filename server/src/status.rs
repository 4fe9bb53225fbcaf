//! Server functions answer a refusal with its own HTTP status.
//!
//! `server_fn` writes every `Err` as a 500 with the error in the body and
//! its `serverfnerror` header. The body is our `AppError`, which knows its
//! status (400 bad input, 401, 403, 404, 409, 413, 422, 429; 500 only for
//! faults), so this puts that status on the response. The browser's client
//! decodes any 4xx or 5xx the same way, so the pages see no difference.

use app::error::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;

/// An `AppError` in JSON is a few hundred bytes; anything larger is not one.
const MAX_ERROR_BODY: usize = 16 * 1024;

pub async fn server_fn_status(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match http_body_util::Limited::new(body, MAX_ERROR_BODY)
        .collect()
        .await
    {
        Ok(c) => c.to_bytes(),
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}
