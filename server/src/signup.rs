//! The posts of the resident's own pages (app/src/pages/signup.rs): signing
//! up by phone with a one-time code, the password reset by a code, the
//! pre-registration of a whole new household, and the office completing it.
//! Each answers with a redirect back to its page, the outcome in the URL;
//! the page then answers with the refusal's status (4xx) and keeps what was
//! typed (never a password). The browser holds the handle of its pending
//! code in a cookie ([`CODE_COOKIE`]), never the code.

use std::net::SocketAddr;

use app::i18n::SignupMsg;
use app::ssr::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use db::applications::{NewApplicant, NewApplication};
use db::error::SignupError;
use db::signup::{PhoneSignup, Wording};
use serde::Deserialize;

use crate::forms::{self, CircumstancesForm};
use crate::session::{cookie, lang, SignedIn};
use crate::upload::body_limit;

/// The cookie holding the handle of the browser's pending code.
pub const CODE_COOKIE: &str = "portal_code";

pub fn routes(max_upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/signup/phone", post(signup_start))
        .route("/signup/phone/confirm", post(signup_finish))
        .route("/account/reset", post(reset_start))
        .route("/account/reset/confirm", post(reset_finish))
        .route("/register/new", post(open_application))
        .route(
            "/register/new/member",
            post(add_applicant).layer(DefaultBodyLimit::max(body_limit(max_upload_bytes, 6))),
        )
        .route("/applications/{id}/complete", post(complete))
}

fn to(page: &str, query: &str) -> Response {
    Redirect::to(&format!("{page}?{query}")).into_response()
}

fn refused(page: &str, e: &db::Error, kept: &[(&str, &str)]) -> Response {
    if let db::Error::Database(err) = e {
        tracing::error!(error = %err, page, "signup");
    }
    let mut q = vec![("error", e.code())];
    q.extend_from_slice(kept);
    to(page, &serde_urlencoded::to_string(&q).unwrap_or_default())
}

fn address(ext: &Extensions) -> String {
    ext.get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string())
}

fn code_cookie(st: &AppState, handle: &str, max_age_s: i64) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{CODE_COOKIE}={handle}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

fn with_cookie(mut res: Response, value: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, value);
    res
}

/// The message around the digits, in the asker's language.
fn wording(st: &AppState, headers: &HeaderMap, msg: SignupMsg) -> (String, String) {
    let lang = lang(headers);
    let minutes = st.codes.map_or(10, |c| c.ttl_ms / 60_000);
    (
        lang.code().to_string(),
        app::i18n::fill(msg.text(lang), &[("count", minutes.to_string())]),
    )
}

async fn signup_start(
    State(st): State<AppState>,
    headers: HeaderMap,
    ext: Extensions,
    Form(form): Form<PhoneSignup>,
) -> Response {
    const PAGE: &str = "/signup/phone";
    let kept = [
        ("name", form.name.as_str()),
        ("phone", form.phone.as_str()),
        ("username", form.username.as_str()),
    ];
    let Some(rules) = st.codes else {
        return refused(PAGE, &SignupError::CodesUnavailable.into(), &kept);
    };
    let (lang, text) = wording(&st, &headers, SignupMsg::SmsSignup);
    let body = move |code: &str| app::i18n::fill(&text, &[("n", code.to_string())]);
    let wording = Wording {
        lang: &lang,
        body: &body,
    };
    match db::signup::start(&st.db, &rules, &form, &address(&ext), wording).await {
        Ok(handle) => with_cookie(
            to(PAGE, "sent=1"),
            code_cookie(&st, &handle, rules.ttl_ms / 1000),
        ),
        Err(e) => refused(PAGE, &e, &kept),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub code: String,
    pub new: String,
    pub repeat: String,
}

async fn signup_finish(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    const PAGE: &str = "/signup/phone";
    let Some(rules) = st.codes else {
        return refused(PAGE, &SignupError::CodesUnavailable.into(), &[]);
    };
    let handle = cookie(&headers, CODE_COOKIE).unwrap_or_default();
    let actor = match db::signup::finish(&st.db, &rules, handle, &form.code).await {
        Ok(a) => a,
        Err(e) => return refused(PAGE, &e, &[]),
    };
    match db::sessions::start(&st.db, actor.user_id).await {
        Ok(token) => {
            let res = with_cookie(
                Redirect::to("/register/new").into_response(),
                code_cookie(&st, "", 0),
            );
            let session = app::ssr::session_cookie(&token, st.secure_cookies);
            with_cookie(
                res,
                HeaderValue::from_str(&session).unwrap_or(HeaderValue::from_static("")),
            )
        }
        Err(e) => refused("/login", &e, &[]),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub who: String,
}

async fn reset_start(
    State(st): State<AppState>,
    headers: HeaderMap,
    ext: Extensions,
    Form(form): Form<ResetForm>,
) -> Response {
    const PAGE: &str = "/account/reset";
    let Some(rules) = st.codes else {
        return refused(PAGE, &SignupError::CodesUnavailable.into(), &[]);
    };
    let (lang, text) = wording(&st, &headers, SignupMsg::SmsReset);
    let body = move |code: &str| app::i18n::fill(&text, &[("n", code.to_string())]);
    let wording = Wording {
        lang: &lang,
        body: &body,
    };
    match db::signup::start_reset(&st.db, &rules, &form.who, &address(&ext), wording).await {
        Ok(handle) => with_cookie(
            to(PAGE, "sent=1"),
            code_cookie(&st, &handle, rules.ttl_ms / 1000),
        ),
        Err(e) => refused(PAGE, &e, &[]),
    }
}

async fn reset_finish(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    const PAGE: &str = "/account/reset";
    let Some(rules) = st.codes else {
        return refused(PAGE, &SignupError::CodesUnavailable.into(), &[]);
    };
    if form.new != form.repeat {
        return to(PAGE, "sent=1&error=password_mismatch");
    }
    let handle = cookie(&headers, CODE_COOKIE).unwrap_or_default();
    match db::signup::finish_reset(&st.db, &rules, handle, &form.code, &form.new).await {
        Ok(()) => with_cookie(to(PAGE, "ok=done"), code_cookie(&st, "", 0)),
        Err(e) => refused(PAGE, &e, &[("sent", "1")]),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub office_code: String,
    pub address: String,
    pub policy_year: String,
}

async fn open_application(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(form): Form<ApplicationForm>,
) -> Response {
    const PAGE: &str = "/register/new";
    let result = async {
        let policy_year = form
            .policy_year
            .trim()
            .parse()
            .map_err(|_| db::Error::from(db::error::InputError::PolicyYear))?;
        let a = NewApplication {
            office_code: form.office_code.clone(),
            address: form.address.clone(),
            policy_year,
        };
        db::applications::open(&st.db, &st.rules(), &actor, &a).await
    }
    .await;
    match result {
        Ok(_) => to(PAGE, "ok=opened"),
        Err(e) => refused(PAGE, &e, &[("address", form.address.as_str())]),
    }
}

/// `POST /register/new/member` (multipart, photos named `doc_<code>`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicantForm {
    pub id_number: String,
    pub name: String,
    pub relation: String,
    pub certificate_code: String,
    #[serde(flatten)]
    pub circumstances: CircumstancesForm,
}

async fn add_applicant(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    multipart: Multipart,
) -> Response {
    const PAGE: &str = "/register/new";
    let result = async {
        let mut fields = Vec::new();
        let (docs, certificates) =
            crate::preregistration::read_parts(multipart, st.max_upload_bytes, &mut fields).await?;
        let form: ApplicantForm = forms::from_parts(fields)?;
        let docs =
            crate::preregistration::with_certificates(docs, certificates, &form.certificate_code)?;
        let m = NewApplicant {
            id_number: form.id_number,
            name: form.name,
            relation: form.relation,
            circumstances: form.circumstances.try_into()?,
        };
        db::applications::add_member(&st.db, &st.documents, &actor, &m, docs, st.max_upload_bytes)
            .await
    }
    .await;
    match result {
        Ok(id) => to(PAGE, &format!("ok=member&saved={id}")),
        Err(e) => refused(PAGE, &e, &[]),
    }
}

async fn complete(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let page = format!("/applications/{id}");
    match db::applications::complete(&st.db, &st.rules(), &actor, id).await {
        Ok(c) => to(
            &page,
            &format!(
                "ok=completed&enrolled={}&left={}",
                c.enrolled.len(),
                c.left.len()
            ),
        ),
        Err(e) => refused(&page, &e, &[]),
    }
}
