//! Issue #14 ("Safe to deploy") through the real router: malicious
//! workbooks refused whole while the server keeps serving, a 20 MB photo
//! refused with 413 and words in the user's language without being kept,
//! "no file chosen" and files lying about their type told apart, and birth
//! dates after today refused by the rules API and pre-registration.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "../../db/tests/common/workbook.rs"]
mod workbook;

use axum::body::Body;
use axum::Router;
use common::{get, location, multipart, send, session, TestApp};
use http::{header, Request, StatusCode};

/// A future birth date: 31 December 2099, a woman.
const UNBORN: &str = "15220120991231124X";

fn post(path: &str, cookie: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Request<Body> {
    let (ct, body) = multipart(parts);
    Request::post(path)
        .header(header::HOST, common::HOST)
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// The same post as the phone's upload script sends it, asking for JSON.
fn post_json(path: &str, cookie: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Request<Body> {
    let mut req = post(path, cookie, parts);
    req.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    req
}

/// The phone form's post of a member (with a photo, if given): where it leads.
/// The phone form's post: where it redirects, or, refused, the status and
/// the form's page again (with what was typed).
async fn post_member(
    app: &Router,
    cookie: &str,
    id_number: &str,
    photo: Option<&[u8]>,
) -> (StatusCode, String) {
    let mut parts: Vec<(&str, Option<&str>, &[u8])> = vec![
        ("policy_year", None, b"2026"),
        ("id_number", None, id_number.as_bytes()),
        ("name", None, "韩桂英".as_bytes()),
    ];
    if let Some(photo) = photo {
        parts.push(("doc_id_card", Some("id-card.jpg"), photo));
    }
    let (status, headers, text) = send(app, post("/register/member", cookie, &parts)).await;
    if status.is_redirection() {
        (status, location(&headers))
    } else {
        (status, text)
    }
}

/// A refused phone form: its status, its message, and the name as typed.
fn refused_member(answer: (StatusCode, String), status: StatusCode, message: &str) {
    let (got, page) = answer;
    assert_eq!(got, status, "{page}");
    assert!(page.contains(message), "{message}: {page}");
    assert!(
        page.contains(r#"value="韩桂英""#),
        "the form keeps the name: {page}"
    );
    assert!(
        page.contains("请重新选择"),
        "the photos are to be chosen again: {page}"
    );
}

async fn count(db: &db::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

async fn roster_upload(app: &Router, cookie: &str, file: &[u8]) -> String {
    let parts: [(&str, Option<&str>, &[u8]); 3] = [
        ("policy_year", None, b"2026"),
        ("mode", None, b"import"),
        ("file", Some("花名册.xlsx"), file),
    ];
    let (status, headers, text) = send(app, post("/school/roster/upload", cookie, &parts)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
    location(&headers)
}

#[tokio::test]
async fn malicious_workbooks_are_refused_and_the_server_keeps_serving() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let school = session(&app, "school1").await;
    let imports = || count(&db, "SELECT COUNT(*) FROM roster_imports");
    let enrolments = || count(&db, "SELECT COUNT(*) FROM enrolments");
    let before = (imports().await, enrolments().await);
    for (file, code, words) in [
        (workbook::far_corner(), "file_too_wide", "超过50列"),
        (workbook::far_bottom(), "file_too_many_rows", "最多20000行"),
        (
            workbook::shared_strings_bomb(60),
            "file_unpacks_too_big",
            "解压后过大",
        ),
    ] {
        let to = roster_upload(&app, &school, &file).await;
        assert_eq!(to, format!("/school/roster?error={code}"));
        let (status, _, page) = send(&app, get(&to, &school)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(words), "{code}: {page}");
    }
    assert_eq!((imports().await, enrolments().await), before);
    // Still serving, and a real workbook still goes through.
    let rows = vec![
        vec!["身份证号".to_string(), "姓名".to_string()],
        vec![common::id("15220120150304126"), "孙小华".to_string()],
    ];
    let to = roster_upload(&app, &school, &workbook::xlsx(&rows)).await;
    assert!(to.starts_with("/school/roster?run="), "{to}");
}

#[tokio::test]
async fn a_20_mb_photo_is_refused_with_413_in_the_user_s_language() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let resident = session(&app, "resident1").await;
    let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE0];
    photo.resize(20 * 1024 * 1024, 0x55);
    let parts: [(&str, Option<&str>, &[u8]); 2] = [
        ("kind", None, b"receipt"),
        ("file", Some("big.jpg"), &photo),
    ];
    let path = "/claims/BX-2026-000001/documents";
    let (status, _, text) = send(&app, post_json(path, &resident, &parts)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(
        text.contains("\"error\":\"document_too_large\"") && text.contains("超过大小限制"),
        "{text}"
    );
    let english = format!("{resident}; lang=en");
    let (status, _, text) = send(&app, post_json(path, &english, &parts)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text.contains("over the size limit"), "{text}");

    // The phone form without script: back to the page, with the reason.
    let answer = post_member(&app, &resident, "152201194811031629", Some(&photo)).await;
    refused_member(answer, StatusCode::PAYLOAD_TOO_LARGE, "超过大小限制");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM documents WHERE size_bytes > 1000000"
        )
        .await,
        0
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registration_members").await,
        0
    );

    // A roster file as large: refused as the file it is.
    let school = session(&app, "school1").await;
    let to = roster_upload(&app, &school, &photo).await;
    assert_eq!(to, "/school/roster?error=file_too_big");
}

#[tokio::test]
async fn no_file_chosen_and_a_file_lying_about_its_type_are_told_apart() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let resident = session(&app, "resident1").await;
    let path = "/claims/BX-2026-000001/documents";
    let (status, _, text) = send(
        &app,
        post_json(path, &resident, &[("kind", None, b"receipt")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("\"error\":\"document_missing\"") && text.contains("没有选择文件"),
        "{text}"
    );
    // An empty file input (nothing chosen) is no file either.
    let parts: [(&str, Option<&str>, &[u8]); 2] =
        [("kind", None, b"receipt"), ("file", Some(""), b"")];
    let (_, _, text) = send(&app, post_json(path, &resident, &parts)).await;
    assert!(text.contains("document_missing"), "{text}");

    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".as_slice();
    let parts: [(&str, Option<&str>, &[u8]); 2] =
        [("kind", None, b"receipt"), ("file", Some("scan.jpg"), pdf)];
    let (_, _, text) = send(&app, post_json(path, &resident, &parts)).await;
    assert!(
        text.contains("\"error\":\"document_type_mismatch\"") && text.contains("类型不符"),
        "{text}"
    );
    let answer = post_member(&app, &resident, "152201194811031629", Some(pdf)).await;
    refused_member(answer, StatusCode::BAD_REQUEST, "类型不符");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registration_members").await,
        0
    );
}

#[tokio::test]
async fn a_birth_date_after_today_is_refused_by_the_rules_api_and_pre_registration() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let body = serde_json::json!({
        "policy_year": 2026,
        "person": {
            "id_number": UNBORN, "birth_date": "2099-12-31", "sex": "female",
            "in_school": false, "employee_insured": false, "flexible_employment": false,
            "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
            "low_income_household": false
        }
    });
    let req = Request::post("/api/v1/rules/enrollment_quote")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, _, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["eligible"], false);
    assert_eq!(v["reason"], "birth_in_future", "{text}");

    let resident = session(&app, "resident1").await;
    let answer = post_member(&app, &resident, UNBORN, None).await;
    refused_member(
        answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "出生日期在今天之后",
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM pre_registration_members").await,
        0
    );
}
