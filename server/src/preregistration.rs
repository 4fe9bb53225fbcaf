//! The posts of the server-rendered pre-registration pages: the resident's
//! phone form (multipart, photos included: a plain form post, which every
//! phone browser does reliably, with or without WebAssembly), and the office's
//! correction and completion. Each answers with a redirect back to its page,
//! the outcome in the URL (`?saved=`, `?corrected=`, `?done=`, `?error=<code>`).

use app::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use db::households::Circumstances;
use db::preregistration::{NewDocument, NewMember};

use crate::session::SignedIn;

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    // A member's form carries a handful of photos; beyond this the body is
    // cut off and the resident is told the upload is too large.
    let body_limit = max_upload_bytes.saturating_mul(6) + 1024 * 1024;
    Router::new()
        .route(
            "/register/member",
            post(add_member).layer(DefaultBodyLimit::max(body_limit)),
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
    SignedIn(actor): SignedIn,
    multipart: Multipart,
) -> Response {
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
        Err(e) => refusal("/register", e),
    }
}

async fn correct(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/prereg/{id}");
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let result = match Circumstances::from_form(field) {
        Ok(c) => {
            db::preregistration::correct(&st.db, &actor, id, field("name").unwrap_or(""), &c).await
        }
        Err(e) => Err(e),
    };
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
