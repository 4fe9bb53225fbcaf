//! The school roster over HTTP, through the router the binary serves, on a
//! fresh SQLite database with the demo league: the template, a multipart
//! dry run whose report the page renders, the import of the checked file,
//! the bad rows as CSV, files refused whole, and other roles refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use common::{get, id, location, send, session, TestApp};
use http::{header, Request, StatusCode};

const BOUNDARY: &str = "----rosterboundary7MA4YWxkTrZu0gW";

/// The body a browser sends for the page's upload form.
fn upload(cookie: &str, mode: &str, file_name: &str, file: &[u8]) -> Request<Body> {
    let mut body = Vec::new();
    for (name, value) in [("policy_year", "2026"), ("mode", mode)] {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    Request::post("/school/roster/upload")
        .header(header::HOST, "portal.test")
        .header(header::ORIGIN, "http://portal.test")
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

async fn enrolments(db: &db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM enrolments")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn school_checks_imports_and_downloads_bad_rows() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let school = session(&app, "school1").await;

    let (status, headers, text) = send(&app, get("/school/roster/template.csv", &school)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(text.contains("身份证号,姓名,班级"), "{text}");

    let file = format!(
        "身份证号,姓名,班级\r\n{},赵小明,一年级1班\r\n{},钱小红,一年级2班\r\n{},,一年级2班\r\n",
        id("15220120150301123"),
        id("15220120150302124"),
        id("15220120150303125"),
    );
    let before = enrolments(&db).await;
    let (status, headers, _) = send(
        &app,
        upload(&school, "dry_run", "花名册.csv", file.as_bytes()),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = location(&headers);
    assert!(to.starts_with("/school/roster?run="), "{to}");
    assert_eq!(enrolments(&db).await, before, "a dry run writes no pupil");

    // The page renders the report on the server, in the user's language.
    let (status, _, page) = send(&app, get(&to, &school)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("可导入 2 人") && page.contains("缺少姓名"),
        "{page}"
    );
    let (_, _, page_en) = send(&app, get(&to, &format!("{school}; lang=en"))).await;
    assert!(page_en.contains("2 pupils can be imported") && page_en.contains("Name missing"));

    // Importing the checked file, without uploading it again.
    let dry_id = to.trim_start_matches("/school/roster?run=");
    let req = Request::post(format!("/school/roster/{dry_id}/import"))
        .header(header::HOST, "portal.test")
        .header(header::COOKIE, &school)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let done = location(&headers);
    assert_eq!(enrolments(&db).await, before + 2);
    let done_id = done.trim_start_matches("/school/roster?run=");

    let (status, headers, csv) = send(
        &app,
        get(&format!("/school/roster/{done_id}/bad-rows.csv"), &school),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "身份证号,姓名,班级,原因".to_string(),
            format!("{},,一年级2班,缺少姓名", id("15220120150303125"))
        ]
    );

    // The same file imported again changes nothing.
    let (_, headers, _) = send(
        &app,
        upload(&school, "import", "花名册.csv", file.as_bytes()),
    )
    .await;
    let (_, _, page) = send(&app, get(&location(&headers), &school)).await;
    assert!(
        page.contains("已导入 0 人") && page.contains("2 人此前已导入"),
        "{page}"
    );
    assert_eq!(enrolments(&db).await, before + 2);
}

#[tokio::test]
async fn files_refused_whole_and_other_roles_refused() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let school = session(&app, "school1").await;
    let before = enrolments(&db).await;
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00";
    let (status, headers, _) = send(&app, upload(&school, "import", "photo.csv", png)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/school/roster?error=file_kind");
    let (_, _, page) = send(&app, get("/school/roster?error=file_kind", &school)).await;
    assert!(page.contains("文件不是CSV或Excel"), "{page}");

    let big = vec![b'a'; db::roster::MAX_FILE_BYTES + 1];
    let (_, headers, _) = send(&app, upload(&school, "import", "big.csv", &big)).await;
    assert_eq!(location(&headers), "/school/roster?error=file_too_big");
    let huge = vec![b'a'; db::roster::MAX_FILE_BYTES + 200 * 1024];
    let (_, headers, _) = send(&app, upload(&school, "import", "huge.csv", &huge)).await;
    assert_eq!(location(&headers), "/school/roster?error=file_too_big");
    assert_eq!(enrolments(&db).await, before);

    // An office agent gets the refusal, on the page and at the upload.
    let office = session(&app, "office1").await;
    let (_, _, page) = send(&app, get("/school/roster", &office)).await;
    assert!(page.contains("您无权访问此记录"), "{page}");
    let file = format!("身份证号,姓名\r\n{},孙小华\r\n", id("15220120150304126"));
    let (_, headers, _) = send(&app, upload(&office, "import", "a.csv", file.as_bytes())).await;
    assert_eq!(location(&headers), "/school/roster?error=forbidden");
    // Without a session: to the log-in.
    let (_, headers, _) = send(
        &app,
        upload("portal_session=nobody", "import", "a.csv", file.as_bytes()),
    )
    .await;
    assert_eq!(location(&headers), "/login");
    // Another school's report and bad rows are not theirs.
    let (status, _, _) = send(&app, get("/school/roster/1/bad-rows.csv", &office)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(enrolments(&db).await, before);
}
