//! The posts of the account pages (app/src/pages/account.rs): one's own
//! password, and an administrator's reset, disable, enable and sign-out of
//! an account. Each answers with a redirect back to its page, the outcome in
//! the URL. And the guard that sends someone whose password was reset to
//! change it before anything else.

use app::error::AppError;
use app::ssr::{AppState, SESSION_COOKIE};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde::Deserialize;

use crate::claims::back;
use crate::session::{cookie, wants_json, SignedIn};

/// The page where a password is changed.
pub const PASSWORD_PAGE: &str = "/account/password";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PASSWORD_PAGE, post(change_password))
        .route("/admin/accounts/{id}/reset", post(reset))
        .route("/admin/accounts/{id}/{switch}", post(switch))
        .route("/admin/accounts/{id}/end-sessions", post(end_sessions))
}

/// `POST /account/password`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub repeat: String,
}

async fn change_password(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new != form.repeat {
        return Redirect::to(&format!("{PASSWORD_PAGE}?error=password_mismatch")).into_response();
    }
    let token = cookie(&headers, SESSION_COOKIE).unwrap_or_default();
    let result =
        db::accounts::change_password(&st.db, &actor, &form.current, &form.new, token).await;
    back(PASSWORD_PAGE, result.map(|()| "changed"))
}

/// `POST /admin/accounts/{id}/reset`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub temporary: String,
}

fn account_page(id: i64) -> String {
    format!("/admin/accounts/{id}")
}

async fn reset(
    State(st): State<AppState>,
    SignedIn(admin): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ResetForm>,
) -> Response {
    let result = db::accounts::reset_password(&st.db, &admin, id, &form.temporary).await;
    back(&account_page(id), result.map(|()| "reset"))
}

/// `POST /admin/accounts/{id}/disable` or `…/enable`.
async fn switch(
    State(st): State<AppState>,
    SignedIn(admin): SignedIn,
    Path((id, switch)): Path<(i64, String)>,
) -> Response {
    let (active, done) = match switch.as_str() {
        "disable" => (false, "disabled"),
        "enable" => (true, "enabled"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let result = db::accounts::set_active(&st.db, &admin, id, active).await;
    back(&account_page(id), result.map(|()| done))
}

async fn end_sessions(
    State(st): State<AppState>,
    SignedIn(admin): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let result = db::accounts::end_sessions(&st.db, &admin, id).await;
    back(&account_page(id), result.map(|_| "sessions_ended"))
}

/// What someone whose password was reset may still reach: the page to
/// change it (and its post), logging out, the language, and the files the
/// page is drawn with.
fn allowed_before_change(path: &str) -> bool {
    matches!(
        path,
        PASSWORD_PAGE
            | "/api/auth/logout"
            | "/api/lang"
            | "/api/elder"
            | "/favicon.ico"
            | "/favicon.svg"
    ) || path.starts_with("/pkg/")
}

/// After an administrator's reset, the temporary password opens one page
/// only: every other page is redirected to the change of password, every
/// other request refused (403) until it is done.
pub async fn password_change_first(
    State(st): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let Some(token) = cookie(req.headers(), SESSION_COOKIE) else {
        return next.run(req).await;
    };
    if allowed_before_change(path) {
        return next.run(req).await;
    }
    match db::sessions::must_change_password(&st.db, token).await {
        Ok(false) => next.run(req).await,
        Ok(true) => {
            let script = wants_json(req.headers()) || path.starts_with("/api/");
            if !script {
                // A browser's page or plain form: to the page that unlocks it.
                return Redirect::to(PASSWORD_PAGE).into_response();
            }
            let error = AppError::Refused {
                code: "password_change_required".into(),
                status: 403,
            };
            (StatusCode::FORBIDDEN, Json(error)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "session lookup");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
