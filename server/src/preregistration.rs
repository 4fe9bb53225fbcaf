//! The posts of the server-rendered pre-registration pages: the resident's
//! phone form (multipart, photos included: a plain form post, which every
//! phone browser does reliably, with or without WebAssembly), and the office's
//! correction and completion. Each answers with a redirect back to its page
//! (the resident's refused form: the page again, see `crate::refused`),
//! the outcome in the URL (`?saved=`, `?corrected=`, `?done=`, `?error=<code>`).

use app::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use db::error::{DocumentError, InputError};
use db::preregistration::{NewDocument, NewMember};

use crate::forms::{self, CorrectionForm, MemberForm};
use crate::session::SignedIn;
use crate::upload::{body_limit, read_capped, read_text, Cut};
use db::documents::{check_claim, claimed_type};

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    // A member's form carries a handful of photos; beyond this the body is
    // cut off and the resident is told the upload is too large.
    Router::new()
        .route(
            "/register/member",
            post(add_member).layer(DefaultBodyLimit::max(body_limit(max_upload_bytes, 6))),
        )
        .route("/prereg/{id}/correct", post(correct))
        .route("/prereg/{id}/complete", post(complete))
}

fn outcome(path: &str, query: &str) -> Response {
    Redirect::to(&format!("{path}?{query}")).into_response()
}

fn refusal(path: &str, e: db::Error) -> Response {
    if let db::Error::Database(err) = &e {
        tracing::error!(error = %err, "pre-registration");
    }
    outcome(path, &format!("error={}", e.code()))
}

fn back(query: &str) -> Response {
    outcome("/register", query)
}

/// The member's form read whole before anything is checked or written: its
/// fields, and its photos. File inputs are named `doc_<evidence code>`,
/// except the certificate, whose code the resident picks in `certificate_code`.
async fn read_form(
    multipart: Multipart,
    max_bytes: usize,
    fields: &mut Vec<(String, String)>,
) -> Result<(MemberForm, Vec<NewDocument>), db::Error> {
    let (docs, certificates) = read_parts(multipart, max_bytes, fields).await?;
    let form: MemberForm = forms::from_parts(fields.clone())?;
    let docs = with_certificates(docs, certificates, &form.certificate_code)?;
    Ok((form, docs))
}

/// A member's multipart post: its photos by evidence code, and the photos of
/// the certificate whose code the form names. Its text fields go into
/// `fields` as they are read, so a refusal can show them again.
pub(crate) type Parts = (Vec<NewDocument>, Vec<Vec<u8>>);

pub(crate) async fn read_parts(
    mut multipart: Multipart,
    max_bytes: usize,
    fields: &mut Vec<(String, String)>,
) -> Result<Parts, db::Error> {
    let cut = |c: Cut| c.refusal(DocumentError::DocumentTooLarge);
    let (mut docs, mut certificates) = (Vec::new(), Vec::new());
    while let Some(mut field) = multipart.next_field().await.map_err(|e| cut(e.into()))? {
        let name = field.name().unwrap_or_default().to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            fields.push((name, read_text(&mut field).await.map_err(cut)?));
            continue;
        };
        let claimed = claimed_type(field.content_type(), Some(file_name.as_str()));
        let bytes = read_capped(&mut field, max_bytes).await.map_err(cut)?;
        // An empty file input (nothing chosen) posts an empty part.
        if bytes.is_empty() {
            continue;
        }
        check_claim(&bytes, claimed)?;
        match name.strip_prefix("doc_") {
            Some("certificate") => certificates.push(bytes),
            Some(code) => docs.push(NewDocument {
                evidence_code: code.to_string(),
                bytes,
            }),
            None => return Err(db::Error::from(InputError::EvidenceCode)),
        }
    }
    Ok((docs, certificates))
}

/// The certificate photos join the others under the code the resident picked.
pub(crate) fn with_certificates(
    mut docs: Vec<NewDocument>,
    certificates: Vec<Vec<u8>>,
    code: &str,
) -> Result<Vec<NewDocument>, db::Error> {
    if !certificates.is_empty() {
        if code.is_empty() {
            return Err(db::Error::from(InputError::EvidenceCode));
        }
        docs.extend(certificates.into_iter().map(|bytes| NewDocument {
            evidence_code: code.to_string(),
            bytes,
        }));
    }
    Ok(docs)
}

async fn add_member(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let mut fields = Vec::new();
    let result = async {
        let (form, docs) = read_form(multipart, st.max_upload_bytes, &mut fields).await?;
        let member: NewMember = form.try_into()?;
        db::preregistration::add_member(
            &st.db,
            &st.documents,
            &st.rules(),
            &actor,
            &member,
            docs,
            st.max_upload_bytes,
        )
        .await
    }
    .await;
    match result {
        Ok(id) => back(&format!("saved={id}")),
        // The form again with what was typed (the photos must be chosen again).
        Err(e) => crate::refused::page_again(&st, &headers, "/register", fields, e).await,
    }
}

async fn correct(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> Response {
    let page = format!("/prereg/{id}");
    let result = async {
        let circumstances = form.circumstances.try_into()?;
        db::preregistration::correct(&st.db, &actor, id, &form.name, &circumstances).await
    }
    .await;
    match result {
        Ok(()) => outcome(&page, "corrected=1"),
        Err(e) => refusal(&page, e),
    }
}

async fn complete(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let page = format!("/prereg/{id}");
    match db::preregistration::complete(&st.db, &st.rules(), &actor, id).await {
        Ok(enrolment) => outcome(&page, &format!("done={enrolment}")),
        Err(e) => refusal(&page, e),
    }
}
