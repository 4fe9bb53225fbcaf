//! The posts of the server-rendered claim pages (app/src/pages/claims.rs):
//! emergency reports, approval requests, filing, documents, the two reviews,
//! fraud, payment runs and their bank file. Each form post answers with a
//! redirect back to its page, the outcome in the URL (`?ok=<code>`,
//! `?error=<code>`). Document uploads from `public/claims.js` ask for JSON
//! instead, one file per request, so the phone can show progress and retry.
//! Each form's fields and what they become are in [`crate::forms`].

use app::ssr::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use db::claims;
use db::error::DocumentError;
use serde_json::json;

use crate::forms::{
    ApprovalForm, ClaimForm, DecisionForm, DocumentKindForm, EmergencyForm, FirstReviewForm, Fraud,
    FraudForm, InterestRateForm, RepaidForm, RunForm, RunWindow, SecondReviewForm,
};
use crate::refused::{page_again, PostedForm};
use crate::session::{self, wants_json, SignedIn};
use crate::upload::{body_limit, read_capped, read_text, Cut};
use db::documents::{check_claim, claimed_type};

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    // One request carries a few photos (the form without JavaScript) or one
    // (the script); beyond this the body is cut off and the resident told.
    Router::new()
        .route("/claims/emergency", post(report_emergency))
        .route("/claims/approval", post(request_approval))
        .route("/claims/file", post(file))
        .route(
            "/claims/{number}/documents",
            post(upload).layer(DefaultBodyLimit::max(body_limit(max_upload_bytes, 8))),
        )
        .route("/claims/{number}/documents/{document}", get(has_document))
        .route(
            "/claims/{number}/documents/{document}/kind",
            post(relabel_document),
        )
        .route(
            "/claims/{number}/documents/{document}/remove",
            post(remove_document),
        )
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

pub(crate) fn back(page: &str, outcome: Result<&str, db::Error>) -> Response {
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

/// Where a form post goes: a redirect to `ok_page` with `?ok=<code>`, or,
/// refused, the form's page again with what was typed ([`page_again`]).
async fn answer(
    st: &AppState,
    headers: &HeaderMap,
    form_page: &str,
    values: Vec<(String, String)>,
    outcome: Result<(String, &str), db::Error>,
) -> Response {
    match outcome {
        Ok((page, ok)) => back(&page, Ok(ok)),
        Err(e) => page_again(st, headers, form_page, values, e).await,
    }
}

async fn report_emergency(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    PostedForm { form, values }: PostedForm<EmergencyForm>,
) -> Response {
    let result = async {
        let report = form.try_into()?;
        claims::report_emergency(&st.db, &st.rules(), &actor, report, claims::today()).await
    }
    .await;
    let outcome = result.map(|_| ("/claims".to_string(), "reported"));
    answer(&st, &headers, "/claims", values, outcome).await
}

async fn request_approval(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    PostedForm { form, values }: PostedForm<ApprovalForm>,
) -> Response {
    let result = async {
        let approval = form.try_into()?;
        claims::request_approval(&st.db, &st.rules(), &actor, approval, claims::today()).await
    }
    .await;
    let outcome = result.map(|_| ("/claims".to_string(), "approval_requested"));
    answer(&st, &headers, "/claims", values, outcome).await
}

async fn file(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    PostedForm { form, values }: PostedForm<ClaimForm>,
) -> Response {
    let kind = form.kind.trim().to_string();
    let form_page = format!(
        "/claims/new?kind={}",
        claims::kind_from_code(&kind)
            .unwrap_or(policy::benefit::ClaimKind::SpecialOutpatient)
            .code()
    );
    let result =
        async { claims::file(&st.db, &actor, form.try_into()?, claims::today()).await }.await;
    let outcome = result.map(|claim| (format!("/claims/{}", claim.number), "claim_filed"));
    answer(&st, &headers, &form_page, values, outcome).await
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
    let cut = |c: Cut| c.refusal(DocumentError::DocumentTooLarge);
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                outcome = Err(cut(e.into()));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            match read_text(&mut field).await {
                Ok(text) if name == "kind" => kind = text.trim().to_string(),
                Ok(_) => {}
                Err(c) => {
                    outcome = Err(cut(c));
                    break;
                }
            }
            continue;
        };
        let claimed = claimed_type(field.content_type(), Some(file_name.as_str()));
        let bytes = match read_capped(&mut field, st.max_upload_bytes).await {
            Ok(b) => b,
            Err(c) => {
                outcome = Err(cut(c));
                break;
            }
        };
        // An empty file input (nothing chosen) posts an empty part.
        if bytes.is_empty() {
            continue;
        }
        if let Err(e) = check_claim(&bytes, claimed) {
            outcome = Err(e);
            break;
        }
        match claims::attach_document(
            &st.db,
            &st.documents,
            &actor,
            &number,
            &kind,
            bytes,
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
    // Nothing chosen: say so, rather than "not an image".
    if outcome.is_ok() && results.is_empty() {
        outcome = Err(db::Error::from(DocumentError::DocumentMissing));
    }
    match (json, outcome) {
        (true, Ok(())) => Json(json!({ "documents": results })).into_response(),
        (true, Err(e)) => {
            let status = match e {
                db::Error::Forbidden => StatusCode::FORBIDDEN,
                db::Error::NotFound => StatusCode::NOT_FOUND,
                db::Error::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
                // Too large stays 413, so the script and any proxy know it.
                _ if e.status() == 413 => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let code = e.code();
            let message = app::error::AppError::from(e).message(session::lang(&headers));
            (status, Json(json!({ "error": code, "message": message }))).into_response()
        }
        (false, Ok(())) => back(&page, Ok("uploaded")),
        // The claim page again, its status the refusal's; the kind stays
        // chosen (a browser cannot keep the files: the page says so).
        (false, Err(e)) => page_again(&st, &headers, &page, vec![("kind".into(), kind)], e).await,
    }
}

/// 204 if the claim already holds the document with this hash, else 404:
/// a phone resuming after a lost connection skips what arrived.
async fn has_document(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((number, sha256)): Path<(String, String)>,
    Query(asked): Query<KindQuery>,
) -> Response {
    let Ok(Some(actor)) = session::actor(&st, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let kind = asked
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    match claims::has_document(&st.db, &actor, &number, &sha256, kind).await {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) | Err(db::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(db::Error::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `?kind=` of [`has_document`]: the same photo as another kind is not there yet.
#[derive(Debug, Default, serde::Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

/// `POST /claims/{number}/documents/{id}/kind`: the resident says what a
/// document is, until the first review starts.
async fn relabel_document(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path((number, id)): Path<(String, String)>,
    PostedForm { form, values }: PostedForm<DocumentKindForm>,
) -> Response {
    let result = match id.parse::<i64>() {
        Ok(id) => claims::relabel_document(&st.db, &actor, &number, id, form.kind.trim()).await,
        Err(_) => Err(db::Error::NotFound),
    };
    let page = format!("/claims/{number}");
    let outcome = result.map(|()| (page.clone(), "relabelled"));
    answer(&st, &headers, &page, values, outcome).await
}

/// `POST /claims/{number}/documents/{id}/remove`: until the first review starts.
async fn remove_document(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path((number, id)): Path<(String, String)>,
) -> Response {
    let result = match id.parse::<i64>() {
        Ok(id) => claims::remove_document(&st.db, &actor, &number, id).await,
        Err(_) => Err(db::Error::NotFound),
    };
    let page = format!("/claims/{number}");
    let outcome = result.map(|()| (page.clone(), "removed"));
    answer(&st, &headers, &page, vec![], outcome).await
}

async fn first_review(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    Form(form): Form<FirstReviewForm>,
) -> Response {
    let result =
        async { claims::first_review(&st.db, &actor, &number, form.try_into()?).await }.await;
    back(
        &format!("/claims/{number}"),
        result.map(|_| "first_reviewed"),
    )
}

async fn second_review(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(number): Path<String>,
    Form(form): Form<SecondReviewForm>,
) -> Response {
    let confirm = form.confirmed();
    let result = claims::second_review(
        &st.db,
        &st.rules(),
        &actor,
        &number,
        confirm,
        form.note(),
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
    Form(form): Form<FraudForm>,
) -> Response {
    let result = async {
        let f: Fraud = form.try_into()?;
        claims::fraud_after_payment(
            &st.db,
            &st.rules(),
            &actor,
            &number,
            f.fraud_on,
            f.confirmed_on,
            f.case,
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
    Form(form): Form<RepaidForm>,
) -> Response {
    let result =
        async { claims::record_repayment(&st.db, &actor, id, form.repaid_on()?).await }.await;
    back(&form.page(), result.map(|_| "repaid"))
}

async fn decide_approval(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let result = claims::decide_approval(&st.db, &actor, id, form.approved(), form.note()).await;
    back("/claims/review", result.map(|_| "approval_decided"))
}

async fn interest_rate(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(form): Form<InterestRateForm>,
) -> Response {
    let result = async { claims::set_interest_rate(&st.db, &actor, form.try_into()?).await }.await;
    back("/claims/review", result.map(|()| "saved"))
}

async fn prepare_run(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(form): Form<RunForm>,
) -> Response {
    let result = async {
        let window: RunWindow = form.try_into()?;
        db::payment_runs::prepare(&st.db, &st.rules(), &actor, window.kind, window.start).await
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
    let result = db::payment_runs::release(&st.db, &actor, &number, st.today()).await;
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

/// The demo's calendar (simulator mode only; otherwise the route does not
/// exist): agency staff move the date that gates payment runs ahead by
/// `days`, so a run approved today can be released in a demonstration
/// without waiting for its window. Real money never moves on this clock.
pub fn demo_routes(simulator: bool) -> Router<AppState> {
    if !simulator {
        return Router::new();
    }
    Router::new().route("/demo/clock", post(demo_clock))
}

#[derive(serde::Deserialize)]
struct DemoClockForm {
    days: i64,
}

async fn demo_clock(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(form): Form<DemoClockForm>,
) -> Response {
    if !actor.role.is_agency() {
        return StatusCode::FORBIDDEN.into_response();
    }
    if !(0..=62).contains(&form.days) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    st.demo_days_ahead
        .store(form.days, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(target: "portal::demo", user = %actor.username, days = form.days, "demo calendar moved");
    Json(json!({ "today": st.today().to_string() })).into_response()
}
