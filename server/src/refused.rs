//! A refused form post answers with its page again, not a redirect: the
//! page the form is on, rendered as a GET of `<page>?error=<code>` with the
//! posted fields in context (`app::kept::Posted`), so every field keeps
//! what was typed and the message stands next to the field it concerns;
//! the status says the refusal (400, 409, 422 …). One mechanism for every
//! plain form: a handler reads its body as [`PostedForm`] and, when the
//! service refuses, returns [`page_again`].

use app::kept::Posted;
use app::ssr::AppState;
use axum::body::{Body, Bytes};
use axum::extract::FromRequest;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;

/// A urlencoded form post, typed as `T`, and its fields as posted.
pub struct PostedForm<T> {
    pub form: T,
    pub values: Vec<(String, String)>,
}

impl<T, S> FromRequest<S> for PostedForm<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request<Body>, state: &S) -> Result<Self, Response> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let values: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| StatusCode::BAD_REQUEST.into_response())?;
        Ok(PostedForm { form, values })
    }
}

/// The headers a page needs to render as its reader sees it: who is signed
/// in, the language, the host for printed links.
const KEPT_HEADERS: [header::HeaderName; 4] = [
    header::COOKIE,
    header::HOST,
    header::ACCEPT_LANGUAGE,
    header::USER_AGENT,
];

/// `page` rendered again after `error`, with `values` in its fields.
pub async fn page_again(
    st: &AppState,
    headers: &HeaderMap,
    page: &str,
    values: Vec<(String, String)>,
    error: db::Error,
) -> Response {
    if let db::Error::Database(err) = &error {
        tracing::error!(error = %err, page, "form refused by the database");
    }
    let code = error.code();
    let page = app::ssr::local_path(page);
    let sep = if page.contains('?') { '&' } else { '?' };
    let posted = Posted {
        values,
        error: code.to_string(),
    };
    let mut res = render(st, headers, format!("{page}{sep}error={code}"), posted).await;
    if res.status().is_success() {
        *res.status_mut() =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    }
    res
}

/// `page` rendered for a post it answers itself (the public check page's
/// questions): the posted fields in context, the status the page sets.
pub async fn page_posted(
    st: &AppState,
    headers: &HeaderMap,
    page: &str,
    values: Vec<(String, String)>,
) -> Response {
    let posted = Posted {
        values,
        error: String::new(),
    };
    render(st, headers, app::ssr::local_path(page).to_string(), posted).await
}

/// The page at `url` as its reader would get it, with `posted` in context.
async fn render(st: &AppState, headers: &HeaderMap, url: String, posted: Posted) -> Response {
    let mut req = Request::get(url);
    for name in KEPT_HEADERS {
        if let Some(v) = headers.get(&name) {
            req = req.header(name, v.clone());
        }
    }
    let Ok(req) = req.body(Body::empty()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let state = st.clone();
    let options = st.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(posted.clone());
        },
        move || app::shell(options.clone()),
    );
    render(req).await
}
