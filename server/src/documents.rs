//! The two HTTP routes of documents that are not server functions: the
//! resident's pre-registration form posts its photos as multipart (a plain
//! form post, which every phone browser does reliably, with or without the
//! WebAssembly), and `GET /documents/{sha256}` serves a document's bytes to
//! whoever may see its household.

use app::ssr::{AppState, SESSION_COOKIE};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use db::preregistration::{NewDocument, NewMember};

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    // A member's form carries a handful of photos; beyond this the body is
    // cut off and the resident is told the upload is too large.
    let body_limit = max_upload_bytes.saturating_mul(6) + 1024 * 1024;
    Router::new()
        .route(
            "/register/member",
            post(add_member).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route("/documents/{sha256}", get(open_document))
}

async fn actor(st: &AppState, headers: &HeaderMap) -> Option<db::Actor> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let token = cookies
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())?;
    db::sessions::resolve(&st.db, &token).await.ok().flatten()
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("/register?{query}")).into_response()
}

/// The form's fields, read whole before anything is checked or written.
#[derive(Default)]
struct MemberForm {
    fields: Vec<(String, String)>,
    docs: Vec<NewDocument>,
}

impl MemberForm {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// File inputs are named `doc_<evidence code>`, except the certificate, whose
/// code the resident picks in `certificate_code`.
async fn read_form(mut multipart: Multipart, max_bytes: usize) -> Result<MemberForm, &'static str> {
    let mut form = MemberForm::default();
    let mut certificates = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "document_too_large")?
    {
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|_| "document_too_large")?;
        if !is_file {
            form.fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            continue;
        }
        // An empty file input (nothing chosen) posts an empty part.
        if bytes.is_empty() {
            continue;
        }
        if bytes.len() > max_bytes {
            return Err("document_too_large");
        }
        match name.strip_prefix("doc_") {
            Some("certificate") => certificates.push(bytes.to_vec()),
            Some(code) => form.docs.push(NewDocument {
                evidence_code: code.to_string(),
                bytes: bytes.to_vec(),
            }),
            None => return Err("evidence_code"),
        }
    }
    if !certificates.is_empty() {
        let code = form
            .field("certificate_code")
            .filter(|c| !c.is_empty())
            .ok_or("evidence_code")?
            .to_string();
        form.docs
            .extend(certificates.into_iter().map(|bytes| NewDocument {
                evidence_code: code.clone(),
                bytes,
            }));
    }
    Ok(form)
}

async fn add_member(
    State(st): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let Some(actor) = actor(&st, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let form = match read_form(multipart, st.max_upload_bytes).await {
        Ok(f) => f,
        Err(code) => return back(&format!("error={code}")),
    };
    let circumstances = match db::households::Circumstances::from_form(|n| form.field(n)) {
        Ok(c) => c,
        Err(e) => return back(&format!("error={}", e.code())),
    };
    let Some(year) = form
        .field("policy_year")
        .and_then(|y| y.trim().parse::<i32>().ok())
    else {
        return back("error=policy_year");
    };
    let member = NewMember {
        policy_year: year,
        id_number: form.field("id_number").unwrap_or_default().to_string(),
        name: form.field("name").unwrap_or_default().to_string(),
        circumstances,
    };
    match db::preregistration::add_member(
        &st.db,
        &st.documents,
        &st.rules(),
        &actor,
        &member,
        form.docs,
        st.max_upload_bytes,
    )
    .await
    {
        Ok(id) => back(&format!("saved={id}")),
        Err(db::Error::Database(e)) => {
            tracing::error!(error = %e, "pre-registration");
            back("error=internal")
        }
        Err(e) => back(&format!("error={}", e.code())),
    }
}

async fn open_document(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> Response {
    let Some(actor) = actor(&st, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match db::documents::open(&st.db, &st.documents, &actor, &sha256).await {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                // Personal papers: never in a shared cache, never re-interpreted.
                (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
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
