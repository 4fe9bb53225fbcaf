//! The posts of the family's pages (app/src/pages/households.rs): the office
//! opens a household (`POST /households/new`) or gives it a new activation
//! code (`POST /household/{id}/code`); the family signs up with its code
//! (`POST /signup`). A success redirects; a refusal answers the same page
//! again, rendered with what was typed and the refusal next to its field,
//! with the refusal's 4xx status (nothing is written).
//!
//! The plain activation code is shown once, on the form printed right after
//! it was made: it travels there in a short-lived cookie that only the form's
//! path receives and that the form clears when it shows the code. It never
//! appears in a URL (so not in logs or the browser's history), and a later
//! print of the form says to reissue instead.

use app::pages::households::{FormEcho, MEMBER_ROWS};
use app::ssr::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use db::household_open::{Member, NewHousehold, Refused, Signup};
use db::households::Circumstances;
use leptos::prelude::provide_context;

use crate::session::SignedIn;

/// The cookie that carries a new code to the printed form, once.
pub const NEW_CODE_COOKIE: &str = app::pages::forms::NEW_CODE_COOKIE;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/households/new", post(open))
        .route("/household/{id}/code", post(reissue))
        .route("/signup", post(signup))
}

/// A plain form's fields as posted.
pub(crate) type Fields = Vec<(String, String)>;

/// The value of field `name`, or "" when it was not posted.
pub(crate) fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The desk's form as the service takes it: the head's row always, the
/// other rows when anything identifying was typed in them.
pub fn new_household(office: &str, fields: &Fields) -> Result<NewHousehold, Refused> {
    let policy_year = value(fields, "policy_year")
        .trim()
        .parse::<i32>()
        .map_err(|_| Refused {
            field: Some("policy_year".into()),
            error: db::error::InputError::PolicyYear.into(),
        })?;
    let mut members = Vec::new();
    for i in 0..MEMBER_ROWS {
        let f = |k: &str| value(fields, &format!("m{i}_{k}")).to_string();
        let (id_number, name) = (f("id_number"), f("name"));
        if i > 0 && id_number.trim().is_empty() && name.trim().is_empty() {
            continue;
        }
        let on = |k: &str| !f(k).is_empty();
        members.push(Member {
            id_number,
            name,
            relation: f("relation"),
            phone: f("phone"),
            circumstances: Circumstances {
                in_school: on("in_school"),
                employee_insured: on("employee_insured"),
                flexible_employment: on("flexible_employment"),
                ncms_enrolled: on("ncms_enrolled"),
                migrant_worker_child: on("migrant_worker_child"),
                dibao: on("dibao"),
                disability_grade: f("disability_grade").trim().parse::<u8>().ok(),
                low_income_household: on("low_income_household"),
                hukou_moved_in_year: None,
            },
        });
    }
    Ok(NewHousehold {
        office_code: office.to_string(),
        address: value(fields, "address").to_string(),
        hukou_type: value(fields, "hukou_type").to_string(),
        policy_year,
        members,
    })
}

/// The page at `path` rendered again for a refused post: what was typed,
/// the refusal by its field, and the refusal's status.
pub async fn again(st: &AppState, headers: &HeaderMap, path: &str, echo: FormEcho) -> Response {
    let status = echo
        .error
        .as_ref()
        .and_then(|e| StatusCode::from_u16(e.status()).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    let options = st.leptos_options.clone();
    let state = st.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(echo.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(Body::empty())
        .unwrap_or_default();
    for name in [header::COOKIE, header::HOST, header::ACCEPT_LANGUAGE] {
        if let Some(v) = headers.get(&name) {
            req.headers_mut().insert(name, v.clone());
        }
    }
    let mut res = handler(req).await;
    *res.status_mut() = status;
    res
}

fn echo_of(fields: Fields, refused: Refused) -> FormEcho {
    if let db::Error::Database(e) = &refused.error {
        tracing::error!(error = %e, "households");
    }
    FormEcho {
        values: fields,
        field: refused.field,
        error: Some(refused.error.into()),
    }
}

fn code_cookie(st: &AppState, household_id: i64, code: &str) -> HeaderValue {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{NEW_CODE_COOKIE}={household_id}.{code}; Path=/household/{household_id}/form; Max-Age=900; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

fn to_form(st: &AppState, household_id: i64, year: Option<i32>, code: &str) -> Response {
    let query = year.map(|y| format!("?year={y}")).unwrap_or_default();
    let mut res = Redirect::to(&format!("/household/{household_id}/form{query}")).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, code_cookie(st, household_id, code));
    res
}

async fn open(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let office = actor.org_code.clone().unwrap_or_default();
    let result = match new_household(&office, &fields) {
        Ok(new) => db::household_open::open(&st.db, &st.rules(), &actor, &new, st.signup.code_days)
            .await
            .map(|o| (o, new.policy_year)),
        Err(r) => Err(r),
    };
    match result {
        Ok((opened, year)) => to_form(&st, opened.household_id, Some(year), &opened.code),
        Err(r) => again(&st, &headers, "/households/new", echo_of(fields, r)).await,
    }
}

async fn reissue(
    State(st): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match db::household_open::reissue_code(&st.db, &actor, id, st.signup.code_days).await {
        Ok((code, _)) => to_form(&st, id, None, &code),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, e.code()).into_response()
        }
    }
}

async fn signup(
    State(st): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    // The password is never sent back.
    let kept: Fields = fields
        .iter()
        .filter(|(k, _)| k != "password" && k != "repeat")
        .cloned()
        .collect();
    if value(&fields, "password") != value(&fields, "repeat") {
        let echo = FormEcho {
            values: kept,
            field: Some("repeat".into()),
            error: Some(app::error::AppError::bad_input("password_mismatch")),
        };
        return again(&st, &headers, "/signup", echo).await;
    }
    let s = Signup {
        code: value(&fields, "code").to_string(),
        id_number: value(&fields, "id_number").to_string(),
        username: value(&fields, "username").to_string(),
        display_name: value(&fields, "display_name").to_string(),
        password: value(&fields, "password").to_string(),
    };
    let user_id = match db::household_open::signup(&st.db, &s).await {
        Ok(id) => id,
        Err(r) => {
            if r.field.as_deref() == Some("code") {
                tracing::warn!(target: "portal::auth", "sign-up with a wrong, used or expired code");
            }
            return again(&st, &headers, "/signup", echo_of(kept, r)).await;
        }
    };
    match db::sessions::start(&st.db, user_id).await {
        Ok(token) => {
            let mut res = Redirect::to("/").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&app::ssr::session_cookie(&token, st.secure_cookies))
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "session after sign-up");
            // The account exists: the log-in page opens it.
            Redirect::to("/login").into_response()
        }
    }
}
