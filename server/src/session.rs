//! Who is signed in, for the routes outside the server functions (form posts,
//! uploads, downloads): the session cookie resolved to its actor.

use app::ssr::{AppState, SESSION_COOKIE};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The value of one cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(header::COOKIE)?
        .to_str()
        .ok()?
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The actor of the session cookie; `None` without a live session.
pub async fn actor(st: &AppState, headers: &HeaderMap) -> Result<Option<db::Actor>, db::Error> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => db::sessions::resolve(&st.db, token).await,
        None => Ok(None),
    }
}

/// Whether the client asked for JSON (the upload script) rather than a page.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// The language the user chose (its cookie), for words sent without a page.
pub fn lang(headers: &HeaderMap) -> app::i18n::Lang {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default()
}

/// A handler argument that is the signed-in actor. Without a session the
/// request goes no further: a browser is sent to the log-in page, a script
/// asking for JSON gets 401 (it cannot follow a redirect to a form).
pub struct SignedIn(pub db::Actor);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        match actor(st, &parts.headers).await {
            Ok(Some(a)) => Ok(SignedIn(a)),
            Ok(None) if wants_json(&parts.headers) => Err(StatusCode::UNAUTHORIZED.into_response()),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => {
                tracing::error!(error = %e, "session lookup");
                Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        }
    }
}
