//! The posts of the server-rendered claim pages (app/src/pages/claims.rs):
//! emergency reports, approval requests, filing, documents, the two reviews,
//! fraud, payment runs and their bank file. Each form post answers with a
//! redirect back to its page, the outcome in the URL (`?ok=<code>`,
//! `?error=<code>`). Document uploads from `public/claims.js` ask for JSON
//! instead, one file per request, so the phone can show progress and retry.

use app::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::NaiveDate;
use db::claims::{
    self, AfterPayment, ApprovalKind, FilingAgent, FirstReview, NewApproval, NewClaim,
    NewEmergencyReport, ReviewFacts,
};
use policy::benefit::HospitalGrade;
use policy::money::Money;
use serde_json::json;

use db::error::{ClaimError, DocumentError, InputError};

use crate::session::{self, wants_json, SignedIn};

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    // One request carries a few photos (the form without JavaScript) or one
    // (the script); beyond this the body is cut off and the resident told.
    let body_limit = max_upload_bytes.saturating_mul(8) + 1024 * 1024;
    Router::new()
        .route("/claims/emergency", post(report_emergency))
        .route("/claims/approval", post(request_approval))
        .route("/claims/file", post(file))
        .route(
            "/claims/{number}/documents",
            post(upload).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route("/claims/{number}/documents/{sha256}", get(has_document))
        .route("/claims/{number}/first-review", post(first_review))
        .route("/claims/{number}/second-review", post(second_review))
        .route("/claims/{number}/fraud", post(fraud))
        .route("/claims/suspensions/{id}/repaid", post(repaid))
        .route("/claims/approvals/{id}/decide", post(decide_approval))
        .route("/claims/settings/interest-rate", post(interest_rate))
        .route("/runs/prepare", post(prepare_run))
        .route("/runs/{number}/release", post(release_run))
        .route("/runs/{number}/bank.csv", get(bank_file))
}

type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

fn ticked(fields: &Fields, name: &str) -> bool {
    field(fields, name) == "1"
}

fn date(fields: &Fields, name: &str) -> Result<NaiveDate, db::Error> {
    field(fields, name)
        .parse()
        .map_err(|_| db::Error::from(InputError::Date))
}

fn money(fields: &Fields, name: &str, refusal: impl Into<db::Error>) -> Result<Money, db::Error> {
    Money::from_yuan_str(field(fields, name)).map_err(|_| refusal.into())
}

fn id_of(fields: &Fields, name: &str) -> Result<i64, db::Error> {
    field(fields, name)
        .parse()
        .map_err(|_| db::Error::from(InputError::Person))
}

fn back(page: &str, outcome: Result<&str, db::Error>) -> Response {
    let sep = if page.contains('?') { '&' } else { '?' };
    match outcome {
        Ok(ok) => Redirect::to(&format!("{page}{sep}ok={ok}")).into_response(),
        Err(e) => {
            if let db::Error::Database(err) = &e {
                tracing::error!(error = %err, "claims");
            }
            Redirect::to(&format!("{page}{sep}error={}", e.code())).into_response()
        }
    }
}

async fn report_emergency(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let r = NewEmergencyReport {
            person_id: id_of(&f, "person_id")?,
            kind: claims::kind_from_code(field(&f, "kind"))
                .ok_or(db::Error::from(InputError::Kind))?,
            occurred_on: date(&f, "occurred_on")?,
            hospital: field(&f, "hospital").into(),
            note: field(&f, "note").into(),
        };
        claims::report_emergency(&st.db, &st.rules(), &actor, r, claims::today()).await
    }
    .await;
    back("/claims", result.map(|_| "reported"))
}

async fn request_approval(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let kind =
            ApprovalKind::from_code(field(&f, "kind")).ok_or(db::Error::from(InputError::Kind))?;
        let amount = match field(&f, "amount") {
            "" => None,
            _ => Some(money(&f, "amount", InputError::Amount)?),
        };
        let a = NewApproval {
            person_id: id_of(&f, "person_id")?,
            kind,
            disease: policy::benefit::Disease::from_code(field(&f, "disease")),
            hospital: field(&f, "hospital").into(),
            reason: field(&f, "reason").into(),
            amount,
            emergency: ticked(&f, "emergency"),
            care_on: date(&f, "care_on")?,
        };
        claims::request_approval(&st.db, &st.rules(), &actor, a, claims::today()).await
    }
    .await;
    back("/claims", result.map(|_| "approval_requested"))
}

async fn file(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<Fields>,
) -> Response {
    let kind_code = field(&f, "kind").to_string();
    let result = async {
        let kind = claims::kind_from_code(&kind_code).ok_or(db::Error::from(InputError::Kind))?;
        let grade = field(&f, "hospital_grade")
            .parse::<u8>()
            .ok()
            .and_then(|g| HospitalGrade::try_from(g).ok())
            .ok_or(db::Error::from(ClaimError::HospitalGrade))?;
        let c = NewClaim {
            person_id: id_of(&f, "person_id")?,
            kind,
            care_from: date(&f, "care_from")?,
            care_to: date(&f, "care_to")?,
            hospital: field(&f, "hospital").into(),
            hospital_grade: grade,
            billed: money(&f, "billed", InputError::Billed)?,
            disease: policy::benefit::Disease::from_code(field(&f, "disease")),
            agent: FilingAgent {
                name: field(&f, "agent_name").into(),
                id_number: field(&f, "agent_id_number").into(),
                relation: field(&f, "agent_relation").into(),
            },
            bank_account: field(&f, "bank_account").into(),
            account_name: field(&f, "account_name").into(),
            request_key: field(&f, "request_key").into(),
        };
        claims::file(&st.db, &actor, c, claims::today()).await
    }
    .await;
    match result {
        Ok(claim) => back(&format!("/claims/{}", claim.number), Ok("claim_filed")),
        Err(e) => back(&format!("/claims/new?kind={kind_code}"), Err(e)),
    }
}

/// Documents of a claim: `kind`, then one or more `file` parts. Each file is
/// checked and stored on its own; the same bytes again are the same document.
async fn upload(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(number): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let page = format!("/claims/{number}");
    let mut kind = String::new();
    let mut results = Vec::new();
    let mut outcome: Result<(), db::Error> = Ok(());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                outcome = Err(db::Error::from(DocumentError::DocumentTooLarge));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(_) => {
                outcome = Err(db::Error::from(DocumentError::DocumentTooLarge));
                break;
            }
        };
        if !is_file {
            if name == "kind" {
                kind = String::from_utf8_lossy(&bytes).trim().to_string();
            }
            continue;
        }
        // An empty file input (nothing chosen) posts an empty part.
        if bytes.is_empty() {
            continue;
        }
        match claims::attach_document(
            &st.db,
            &st.documents,
            &actor,
            &number,
            &kind,
            bytes.to_vec(),
            st.max_upload_bytes,
        )
        .await
        {
            Ok((doc, fresh)) => {
                results.push(json!({ "sha256": doc.sha256, "kind": kind, "new": fresh }))
            }
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    if outcome.is_ok() && results.is_empty() {
        outcome = Err(db::Error::from(DocumentError::DocumentType));
    }
    match (json, outcome) {
        (true, Ok(())) => Json(json!({ "documents": results })).into_response(),
        (true, Err(e)) => {
            let status = match e {
                db::Error::Forbidden => StatusCode::FORBIDDEN,
                db::Error::NotFound => StatusCode::NOT_FOUND,
                db::Error::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (status, Json(json!({ "error": e.code() }))).into_response()
        }
        (false, outcome) => back(&page, outcome.map(|()| "uploaded")),
    }
}

/// 204 if the claim already holds the document with this hash, else 404:
/// a phone resuming after a lost connection skips what arrived.
async fn has_document(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((number, sha256)): Path<(String, String)>,
) -> Response {
    let Ok(Some(actor)) = session::actor(&st, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match claims::has_document(&st.db, &actor, &number, &sha256).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) | Err(db::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn first_review(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let grade = field(&f, "hospital_grade")
            .parse::<u8>()
            .ok()
            .and_then(|g| HospitalGrade::try_from(g).ok())
            .ok_or(db::Error::from(ClaimError::HospitalGrade))?;
        let cause = match field(&f, "cause") {
            "" => None,
            c => Some(
                policy::benefit::Cause::from_code(c).ok_or(db::Error::from(ClaimError::Cause))?,
            ),
        };
        let r = FirstReview {
            facts: ReviewFacts {
                in_catalogue: money(&f, "in_catalogue", ClaimError::InCatalogue)?,
                hospital_grade: grade,
                cause,
                minor_blood_disease: ticked(&f, "minor_blood_disease"),
                earlier_admissions: match field(&f, "earlier_admissions") {
                    "" => 0,
                    n => n
                        .parse()
                        .map_err(|_| db::Error::from(ClaimError::EarlierAdmissions))?,
                },
            },
            documents_false: ticked(&f, "documents_false"),
            note: field(&f, "note").into(),
        };
        claims::first_review(&st.db, &actor, &number, r).await
    }
    .await;
    back(
        &format!("/claims/{number}"),
        result.map(|_| "first_reviewed"),
    )
}

async fn second_review(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let confirm = ticked(&f, "confirm");
    let result = claims::second_review(
        &st.db,
        &st.rules(),
        &actor,
        &number,
        confirm,
        field(&f, "note"),
        claims::today(),
    )
    .await;
    let ok = if confirm { "decided" } else { "returned" };
    back(&format!("/claims/{number}"), result.map(|_| ok))
}

async fn fraud(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let case = match field(&f, "refunded_on") {
            "" => AfterPayment::NotRefunded,
            _ => AfterPayment::Refunded {
                refunded_on: date(&f, "refunded_on")?,
                months: field(&f, "months")
                    .parse()
                    .map_err(|_| db::Error::from(InputError::Months))?,
            },
        };
        claims::fraud_after_payment(
            &st.db,
            &st.rules(),
            &actor,
            &number,
            date(&f, "fraud_on")?,
            date(&f, "confirmed_on")?,
            case,
        )
        .await
    }
    .await;
    back(
        &format!("/claims/{number}"),
        result.map(|_| "fraud_recorded"),
    )
}

async fn repaid(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let page = match field(&f, "claim") {
        "" => "/claims/review".to_string(),
        n => format!("/claims/{n}"),
    };
    let result =
        async { claims::record_repayment(&st.db, &actor, id, date(&f, "repaid_on")?).await }.await;
    back(&page, result.map(|_| "repaid"))
}

async fn decide_approval(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let result =
        claims::decide_approval(&st.db, &actor, id, ticked(&f, "approve"), field(&f, "note")).await;
    back("/claims/review", result.map(|_| "approval_decided"))
}

async fn interest_rate(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let rate = field(&f, "rate")
            .parse()
            .map_err(|_| db::Error::from(ClaimError::InterestRate))?;
        claims::set_interest_rate(&st.db, &actor, rate).await
    }
    .await;
    back("/claims/review", result.map(|()| "saved"))
}

async fn prepare_run(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<Fields>,
) -> Response {
    let result = async {
        let kind = policy::payment_run::RunKind::from_code(field(&f, "kind"))
            .ok_or(db::Error::from(InputError::Kind))?;
        db::payment_runs::prepare(&st.db, &st.rules(), &actor, kind, date(&f, "window_start")?)
            .await
    }
    .await;
    match result {
        Ok(run) => back(&format!("/runs/{}", run.number), Ok("run_prepared")),
        Err(e) => back("/runs", Err(e)),
    }
}

async fn release_run(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
) -> Response {
    let result = db::payment_runs::release(&st.db, &actor, &number).await;
    back(&format!("/runs/{number}"), result.map(|_| "run_released"))
}

async fn bank_file(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let Ok(Some(actor)) = session::actor(&st, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match db::payment_runs::bank_file(&st.db, &actor, &number).await {
        Ok(csv) => crate::download::csv(&format!("{number}-bank.csv"), csv),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(db::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => back(&format!("/runs/{number}"), Err(e)),
    }
}
