//! The roster's HTTP routes beside the `/school/roster` page: the multipart
//! upload, the import of a checked file, the bad rows and the template as
//! CSV downloads. Thin: who is asking → `db::roster` → a redirect or a file.
//! Uploads answer with a redirect to the page (`?run=` or `?error=`), so a
//! plain form post works with or without WebAssembly.

use app::error::AppError;
use app::i18n::{Lang, Msg};
use app::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use db::error::RosterError;
use db::roster;

use crate::forms::{self, RosterUploadForm};
use crate::session::{lang, SignedIn};
use crate::upload::{body_limit, read_capped, read_text, Cut};

const PAGE: &str = "/school/roster";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/school/roster/upload",
            // Room for the form's other fields; the file itself is held to
            // roster::MAX_FILE_BYTES as it streams in, and refused the
            // moment it passes it.
            post(upload).layer(DefaultBodyLimit::max(body_limit(roster::MAX_FILE_BYTES, 1))),
        )
        .route("/school/roster/{id}/import", post(import_checked))
        .route("/school/roster/{id}/bad-rows.csv", get(bad_rows))
        .route("/school/roster/template.csv", get(template))
}

/// Back to the page with the outcome: the report, or why nothing happened.
fn back(result: Result<roster::Report, AppError>) -> Response {
    match result {
        Ok(r) => Redirect::to(&format!("{PAGE}?run={}", r.run_id)).into_response(),
        Err(AppError::Refused { code, .. }) => {
            Redirect::to(&format!("{PAGE}?error={code}")).into_response()
        }
        Err(AppError::Forbidden) => {
            Redirect::to(&format!("{PAGE}?error=forbidden")).into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.message(Lang::Zh),
        )
            .into_response(),
    }
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    multipart: Multipart,
) -> Response {
    back(upload_inner(&state, &actor, multipart).await)
}

async fn upload_inner(
    state: &AppState,
    actor: &db::Actor,
    mut multipart: Multipart,
) -> Result<roster::Report, AppError> {
    let cut = |c: Cut| AppError::from(c.refusal(RosterError::FileTooBig));
    let (mut fields, mut file) = (Vec::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(|e| cut(e.into()))? {
        let part = field.name().unwrap_or("").to_string();
        if part == "file" {
            let name = field.file_name().unwrap_or("roster").to_string();
            let bytes = read_capped(&mut field, roster::MAX_FILE_BYTES)
                .await
                .map_err(cut)?;
            file = Some((name, bytes));
        } else {
            fields.push((part, read_text(&mut field).await.map_err(cut)?));
        }
    }
    let form: RosterUploadForm = forms::from_parts(fields)?;
    let year = form.policy_year()?;
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or(db::Error::from(RosterError::FileMissing))?;
    Ok(roster::run(
        &state.db,
        &state.rules(),
        actor,
        year,
        &name,
        &bytes,
        form.mode(),
    )
    .await?)
}

async fn import_checked(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    back(
        roster::import_checked(&state.db, &state.rules(), &actor, id)
            .await
            .map_err(AppError::from),
    )
}

async fn bad_rows(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let lang = lang(&headers);
    match roster::report(&state.db, &actor, id)
        .await
        .map_err(AppError::from)
    {
        Ok(report) => {
            let text = |code: &str| AppError::bad_input(code.to_string()).message(lang);
            crate::download::csv(
                &format!("bad-rows-{id}.csv"),
                roster::bad_rows_csv(&report, Msg::RosterReason.text(lang), &text),
            )
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.message(lang),
        )
            .into_response(),
    }
}

async fn template() -> Response {
    crate::download::csv(
        "roster-template.csv",
        format!("\u{feff}{}", roster::TEMPLATE_CSV),
    )
}
