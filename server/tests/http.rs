//! The portal over HTTP, through the same router the binary serves, on a
//! fresh SQLite database with the demo league: log-in and cookies, the
//! cross-site guard, per-role homes, log-out, the rules API, the 404.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::Router;
use common::{location, login, multipart, post_form, send, session, TestApp};
use http::{header, Request, StatusCode};

async fn home(app: &Router, cookie: Option<&str>) -> String {
    let (status, _, text) = send(
        app,
        post_form("/api/home", cookie).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    text
}

async fn log_in_each_role_see_own_home_log_out(t: TestApp) {
    let TestApp { app, .. } = t;
    let expect = [
        ("resident1", "Resident"),
        ("office1", "Office"),
        ("school1", "School"),
        ("reviewer1", "Reviewer"),
        ("admin", "Admin"),
    ];
    for (user, variant) in expect {
        let (status, cookie, text) = login(&app, user, "demo-pass-2026").await;
        assert_eq!(status, StatusCode::OK, "{user}: {text}");
        let set_cookie = cookie.unwrap_or_else(|| panic!("{user}: no session cookie"));
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let data = home(&app, Some(&cookie)).await;
        assert!(data.contains(&format!("\"{variant}\"")), "{user}: {data}");
        // Log out: the same cookie no longer opens a session.
        let (status, _, _) = send(
            &app,
            post_form("/api/auth/logout", Some(&cookie))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(home(&app, Some(&cookie)).await, "\"Visitor\"");
    }
    // What each home holds is the role's own: the office sees its household, not the other office's.
    let (_, cookie, _) = login(&app, "office1", "demo-pass-2026").await;
    let cookie = cookie.unwrap().split(';').next().unwrap().to_string();
    let data = home(&app, Some(&cookie)).await;
    assert!(
        data.contains("152201-2026-000001") && !data.contains("152222-2026-000001"),
        "{data}"
    );
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_code_and_no_cookie() {
    let TestApp { app, .. } = TestApp::new().await;
    let (status, cookie, text) = login(&app, "office1", "nope").await;
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{status}"
    );
    assert!(text.contains("login_refused"), "{text}");
    assert!(cookie.is_none());
}

#[tokio::test]
async fn cross_site_posts_are_refused_before_any_server_function() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let body = "username=admin&password=demo-pass-2026";
    let req = post_form("/api/auth/login", None)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::SET_COOKIE).is_none());
    // Another site, or another host of the same domain (same-site), is refused.
    for site in ["cross-site", "same-site"] {
        let req = post_form("/api/auth/login", None)
            .header("sec-fetch-site", site)
            .body(Body::from(body))
            .unwrap();
        assert_eq!(send(&app, req).await.0, StatusCode::FORBIDDEN, "{site}");
    }
    // Same origin passes.
    let req = post_form("/api/auth/login", None)
        .header(header::ORIGIN, "http://portal.test")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&app, req).await.0, StatusCode::OK);
    // The refused requests started no session.
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
}

async fn a_role_cannot_reach_another_roles_pages(t: TestApp) {
    let TestApp { app, .. } = t;
    let (_, cookie, _) = login(&app, "office1", "demo-pass-2026").await;
    let cookie = cookie.unwrap().split(';').next().unwrap().to_string();
    for path in ["/api/admin/accounts", "/api/admin/audit"] {
        let (status, _, text) = send(
            &app,
            post_form(path, Some(&cookie)).body(Body::empty()).unwrap(),
        )
        .await;
        assert!(!status.is_success(), "{path}: {status}");
        assert!(text.contains("Forbidden"), "{path}: {text}");
    }
    let body = "username=sneaky&display_name=x&password=longenough&role=agency_admin&org_code=152200&household_id=";
    let (status, _, text) = send(
        &app,
        post_form("/api/admin/accounts/create", Some(&cookie))
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert!(
        !status.is_success() && text.contains("Forbidden"),
        "{status} {text}"
    );
    // Without a session: unauthorized.
    let (_, _, text) = send(
        &app,
        post_form("/api/admin/accounts", None)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(text.contains("Unauthorized"), "{text}");
}

#[tokio::test]
async fn rules_api_answers_and_refuses_malformed_requests() {
    let TestApp { app, .. } = TestApp::new().await;
    let req = |op: &str, body: &str| {
        Request::post(format!("/api/v1/rules/{op}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (status, _, text) = send(
        &app,
        req("id_check", r#"{"id_number":"152222200712231473"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (
            v["valid"].as_bool(),
            v["birth_date"].as_str(),
            v["sex"].as_str()
        ),
        (Some(true), Some("2007-12-23"), Some("male"))
    );
    let (status, _, text) = send(&app, req("id_check", "{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["error"].is_string() && v["message"].is_string(), "{text}");
    let (status, _, _) = send(&app, req("no_such_op", "{}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A GET of a page, with a `Cookie:` header if given.
fn get_with_cookie(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path).header(header::HOST, "portal.test");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn pages_render_in_chinese_by_default_english_on_request_and_404() {
    let TestApp { app, .. } = TestApp::new().await;
    let (status, _, html) = send(&app, get_with_cookie("/login", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("lang=\"zh-CN\"") && html.contains("登录服务平台"),
        "{html}"
    );
    let (_, _, html) = send(&app, get_with_cookie("/login", Some("lang=en"))).await;
    assert!(html.contains("lang=\"en\"") && html.contains("Log in to the portal"));
    let (status, _, html) = send(&app, get_with_cookie("/nowhere", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("页面不存在"));
}

/// A page that hydrates carries its language's texts for the WebAssembly
/// (which has none of its own), the same the server rendered; a page rendered
/// on the server only carries none.
#[tokio::test]
async fn hydrated_pages_carry_their_language_s_texts_and_server_pages_none() {
    use app::i18n::Msg;
    let TestApp { app, .. } = TestApp::new().await;
    // A desk that hydrates (the resident's pages and the log-in do not).
    let office = session(&app, "office1").await;
    let (_, _, html) = send(
        &app,
        get_with_cookie("/enrol", Some(&format!("lang=en; {office}"))),
    )
    .await;
    let at = html.find("id=\"portal-i18n\"").expect("the texts' script");
    let start = at + html[at..].find('>').unwrap() + 1;
    let end = start + html[start..].find("</script>").unwrap();
    let table: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    let msg = table["msg"].as_array().unwrap();
    assert_eq!(msg.len(), Msg::ALL.len());
    assert_eq!(msg[Msg::LoginTitle as usize], "Log in to the portal");
    assert_eq!(table["code"]["student"], "Student");
    let (_, _, html) = send(&app, get_with_cookie("/enrol", Some(&office))).await;
    assert!(
        html.contains("\"登录服务平台\""),
        "the Chinese page carries Chinese texts"
    );
    for page in ["/register", "/login", "/check"] {
        let (_, _, html) = send(&app, get_with_cookie(page, None)).await;
        assert!(!html.contains("portal-i18n"), "{page}: {html}");
    }
}

#[tokio::test]
async fn the_lease_lets_one_instance_run_the_scheduled_task() {
    let TestApp { db, .. } = TestApp::new().await;
    // An idle session is purged by whichever instance holds the lease; the other does nothing.
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('x', 1, 0, 0)").execute(&db.pool).await.unwrap();
    let rules = policy::params::Rules::builtin();
    let today = db::local_date(db::now_ms());
    server::tasks::run_once(&db, &rules, "instance-a", today)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('y', 1, 0, 0)").execute(&db.pool).await.unwrap();
    server::tasks::run_once(&db, &rules, "instance-b", today)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        left, 1,
        "instance-b ran the task while instance-a held the lease"
    );
}

async fn a_provider_notification_is_verified_and_recorded_once(t: TestApp) {
    let TestApp { app, db, .. } = t;
    // 王秀兰's notice for the newest year (she paid 2026; 2027 is her second year).
    let (resident, notice) = common::residents_notice(&db, "王秀兰", 2027).await;
    let (body, signature) = common::simulator_payment(&db, &resident, &notice.number).await;
    let notify = |sig: &str| {
        Request::post("/api/v1/payments/notify/simulator")
            .header("content-type", "application/json")
            .header("x-portal-signature", sig)
            .body(Body::from(body.clone()))
            .unwrap()
    };
    let (status, _, text) = send(&app, notify("00ff")).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::BAD_REQUEST, "bad_signature")
    );
    for _ in 0..3 {
        let (status, _, text) = send(&app, notify(&signature)).await;
        assert_eq!((status, text.as_str()), (StatusCode::OK, "success"));
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments WHERE notice_id = (SELECT id FROM payment_notices WHERE number = $1)")
        .bind(&notice.number)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1, "three deliveries, one payment");
}

async fn post_member(app: &Router, cookie: &str, photo: &[u8]) -> String {
    let (ct, body) = multipart(&[
        ("policy_year", None, b"2026"),
        ("id_number", None, b"152201194811031629"),
        ("name", None, "韩桂英".as_bytes()),
        ("doc_id_card", Some("id-card.jpg"), photo),
    ]);
    let req = Request::post("/register/member")
        .header(header::HOST, "portal.test")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let (status, headers, text) = send(app, req).await;
    if !status.is_redirection() {
        // Refused: the form's page again, with its status.
        return format!("{} {text}", status.as_u16());
    }
    headers[header::LOCATION].to_str().unwrap().to_string()
}

async fn the_phone_form_stores_photos_by_content_and_serves_them_within_scope(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let (_, cookie, _) = login(&app, "resident1", "demo-pass-2026").await;
    let cookie = cookie.unwrap().split(';').next().unwrap().to_string();
    // A text file called .jpg is refused by its content, with the message's code, and nothing is kept.
    let refused = post_member(&app, &cookie, b"plain text, not a photo").await;
    assert!(refused.starts_with("400 "), "{refused}");
    assert!(
        refused.contains("不是图片") && refused.contains(r#"value="韩桂英""#),
        "the message, and the form as typed: {refused}"
    );
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pre_registration_members")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(members, 0);

    let photo = [
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 0xFF, 0xD9,
    ];
    let saved = post_member(&app, &cookie, &photo).await;
    assert!(saved.starts_with("/register?saved="), "{saved}");
    let sha = db::documents::sha256_hex(&photo);
    let get = |cookie: Option<String>| {
        let mut b = Request::get(format!("/documents/{sha}")).header(header::HOST, "portal.test");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    };
    let (status, headers, _) = send(&app, get(Some(cookie.clone()))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    let (_, other, _) = login(&app, "office2", "demo-pass-2026").await;
    let other = other.unwrap().split(';').next().unwrap().to_string();
    assert_eq!(send(&app, get(Some(other))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, get(None)).await.0, StatusCode::UNAUTHORIZED);
    // The school of a pupil in this household sees neither the family's
    // pre-registration nor its papers.
    let school = session(&app, "school1").await;
    assert_eq!(
        send(&app, get(Some(school.clone()))).await.0,
        StatusCode::FORBIDDEN
    );
    let member: i64 = sqlx::query_scalar("SELECT id FROM pre_registration_members")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (status, _, _) = send(&app, common::get(&format!("/prereg/{member}"), &school)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The office of the household does.
    let office = session(&app, "office1").await;
    let (status, _, page) = send(&app, common::get(&format!("/prereg/{member}"), &office)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

async fn a_claim_is_filed_once_and_its_documents_upload_once_within_scope(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let resident = session(&app, "resident1").await;
    let wang: i64 = sqlx::query_scalar("SELECT id FROM persons WHERE name = '王秀兰'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let form = format!(
        "kind=transfer&request_key=http-test-claim-key-0001&person_id={wang}&care_from=2026-06-01&care_to=2026-06-10\
         &hospital=%E5%8C%97%E4%BA%AC%E5%8D%8F%E5%92%8C%E5%8C%BB%E9%99%A2&hospital_grade=3&billed=8000.00\
         &agent_name=%E7%8E%8B%E7%A7%80%E5%85%B0&agent_id_number=152201194811031629&agent_relation=self\
         &bank_account=6222020200112233445&account_name=%E7%8E%8B%E7%A7%80%E5%85%B0"
    );
    let file = |body: String| {
        post_form("/claims/file", Some(&resident))
            .body(Body::from(body))
            .unwrap()
    };
    let (status, headers, _) = send(&app, file(form.clone())).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let filed = location(&headers);
    assert!(filed.ends_with("?ok=claim_filed"), "{filed}");
    let page = filed.split('?').next().unwrap().to_string();
    let number = page.trim_start_matches("/claims/").to_string();
    // The same form again (a retry, a double tap) is the same claim.
    let (_, headers, _) = send(&app, file(form.clone())).await;
    assert_eq!(location(&headers), filed);
    // A wrong ID number for who files is refused, with its code, and files nothing.
    let bad = form
        .replace("152201194811031629", "152201194811031620")
        .replace("0001", "0002");
    // The form comes back with what was typed, not a redirect that loses it.
    let (status, _, html) = send(&app, file(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("经办人身份证号码不正确") && html.contains("6222020200112233445"),
        "{html}"
    );
    let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM claims")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(claims, 1);

    // Documents as the phone's script sends them: one file per request, JSON back.
    let photo = [
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 2, 0xFF, 0xD9,
    ];
    let sha = db::documents::sha256_hex(&photo);
    let upload = |bytes: &[u8]| {
        let (ct, body) = multipart(&[("kind", None, b"receipt"), ("file", Some("r.jpg"), bytes)]);
        Request::post(format!("{page}/documents"))
            .header(header::HOST, "portal.test")
            .header(header::CONTENT_TYPE, ct)
            .header(header::ACCEPT, "application/json")
            .header(header::COOKIE, resident.clone())
            .body(Body::from(body))
            .unwrap()
    };
    let (status, _, text) = send(&app, upload(&photo)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(
        text.contains("\"new\":true") && text.contains(&sha),
        "{text}"
    );
    let (_, _, text) = send(&app, upload(&photo)).await;
    assert!(
        text.contains("\"new\":false"),
        "a resent photo is the same document: {text}"
    );
    let (status, _, text) = send(&app, upload(b"plain text")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("\"error\":\"document_type\"") && text.contains("不是图片"),
        "{text}"
    );
    let probe = |sha: &str, cookie: &str| {
        Request::get(format!("{page}/documents/{sha}"))
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&app, probe(&sha, &resident)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&app, probe(&"0".repeat(64), &resident)).await.0,
        StatusCode::NOT_FOUND
    );
    let docs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE claim_id IS NOT NULL")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(docs, 1);

    // Medical papers: the household and the agency, not the office.
    let office = session(&app, "office1").await;
    let open = |cookie: &str| {
        Request::get(format!("/documents/{sha}"))
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(send(&app, open(&resident)).await.0, StatusCode::OK);
    assert_eq!(send(&app, open(&office)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&app, probe(&sha, &office)).await.0,
        StatusCode::FORBIDDEN
    );
    let reviewer = session(&app, "reviewer1").await;
    assert_eq!(send(&app, open(&reviewer)).await.0, StatusCode::OK);

    // The page: the resident's timeline and estimate; the reviewer cannot
    // finish a first review while documents are missing.
    let get_page = |cookie: &str| {
        Request::get(page.clone())
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, html) = send(&app, get_page(&resident)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&number) && html.contains("预计报销金额") && html.contains("诊断书"),
        "{html}"
    );
    let review = post_form(&format!("{page}/first-review"), Some(&reviewer))
        .body(Body::from(
            "in_catalogue=7000.00&hospital_grade=3&cause=&earlier_admissions=0&note=",
        ))
        .unwrap();
    let (_, headers, _) = send(&app, review).await;
    assert_eq!(
        location(&headers),
        format!("{page}?error=documents_missing")
    );
}

#[tokio::test]
async fn the_refunds_page_lists_overpayments_and_only_an_administrator_marks_them() {
    let TestApp { app, .. } = TestApp::new().await;
    let admin = session(&app, "admin").await;
    let reviewer = session(&app, "reviewer1").await;
    let page = |cookie: &str| {
        Request::get("/refunds")
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, html) = send(&app, page(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("多缴费用退还") && html.contains("没有待退还的款项"),
        "{html}"
    );
    let mark = |cookie: &str| {
        post_form("/refunds/2026-SJ-999999", Some(cookie))
            .body(Body::empty())
            .unwrap()
    };
    let (_, headers, _) = send(&app, mark(&reviewer)).await;
    assert_eq!(location(&headers), "/refunds?error=forbidden");
    let (_, headers, _) = send(&app, mark(&admin)).await;
    assert_eq!(location(&headers), "/refunds?error=not_found");
}

async fn approving_an_enrolment_issues_its_payment_notice(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let reviewer = session(&app, "reviewer1").await;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT id FROM enrolments WHERE status = 'submitted' ORDER BY id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let notices = |db: db::Db| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM payment_notices WHERE enrolment_id = $1")
            .bind(waiting)
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    assert_eq!(notices(db.clone()).await, 0);
    let (status, _, text) = send(
        &app,
        post_form("/api/review/decide", Some(&reviewer))
            .body(Body::from(format!(
                "enrolment_id={waiting}&decision=approve"
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        notices(db.clone()).await,
        1,
        "the notice comes with the approval, not with a page view"
    );
}

async fn a_post_without_a_session_changes_nothing_and_asks_for_a_log_in(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let claims = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM claims")
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    let before = claims().await;
    // A browser's form post is sent to the log-in page...
    let req = Request::post("/claims/file")
        .header(header::HOST, "portal.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .body(Body::from(
            "kind=transfer&request_key=signed-out-key-000001",
        ))
        .unwrap();
    let (status, headers, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/login");
    // ...the upload script, which asks for JSON, gets 401 and says so itself.
    let (ct, body) = multipart(&[("kind", None, b"receipt"), ("file", Some("r.jpg"), b"x")]);
    let req = Request::post("/claims/BX-2026-000001/documents")
        .header(header::HOST, "portal.test")
        .header(header::CONTENT_TYPE, ct)
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&app, req).await.0, StatusCode::UNAUTHORIZED);
    // A stale or forged session cookie is no session.
    let (status, headers, _) = send(
        &app,
        Request::post("/refunds/2026-SJ-000001")
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, "portal_session=forged")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/login".to_string())
    );
    assert_eq!(claims().await, before);
}

#[tokio::test]
async fn the_agency_reads_a_year_s_statistics_on_the_page_and_as_csv() {
    let TestApp { app, db, .. } = TestApp::new().await;
    let reviewer = session(&app, "reviewer1").await;
    let resident = session(&app, "resident1").await;
    // The demo enrols for its newest policy year.
    let year: i64 = sqlx::query_scalar("SELECT MAX(policy_year) FROM enrolments")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    // Counted here from the raw rows, apart from the service's SQL.
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.county_code, e.status, e.personal_fen FROM enrolments e
         JOIN persons p ON p.id = e.person_id WHERE e.policy_year = $1",
    )
    .bind(year)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let enrolled = |county: Option<&str>| {
        rows.iter()
            .filter(|(c, s, _)| s == "approved" && county.is_none_or(|k| k == c))
            .count()
    };
    let personal: i64 = rows
        .iter()
        .filter(|(_, s, _)| s == "approved")
        .map(|(_, _, fen)| fen)
        .sum();
    let waiting = rows.iter().filter(|(_, s, _)| s == "submitted").count();
    assert!(enrolled(Some("152201")) > 0 && waiting > 0);

    let (status, _, html) = send(
        &app,
        get_with_cookie(&format!("/stats?year={year}"), Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("统计报表") && html.contains("已核准参保人数"),
        "{html}"
    );
    assert!(!html.contains("portal.wasm"), "a report, not hydrated");
    for county in ["152201", "152222", ""] {
        let row = &html[html.find(&format!("data-county=\"{county}\"")).unwrap()..];
        let first = row.split("<td class=\"num\">").nth(1).unwrap();
        let want = enrolled((!county.is_empty()).then_some(county));
        assert!(
            first.starts_with(&format!("{want}<")),
            "county {county:?}: {want} enrolled, row {}",
            &row[..300.min(row.len())]
        );
    }

    let (status, headers, csv) = send(
        &app,
        get_with_cookie(&format!("/stats.csv?year={year}"), Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "header, two counties, total: {csv}");
    assert!(lines[1].starts_with(&format!(
        "{year},152201,乌兰浩特市医疗保险管理局,{},",
        enrolled(Some("152201"))
    )));
    let total: Vec<&str> = lines[3].split(',').collect();
    assert_eq!(total[..2], [year.to_string().as_str(), ""]);
    assert_eq!(total[3], enrolled(None).to_string());
    assert_eq!(total[4], waiting.to_string());
    assert_eq!(
        total[5],
        policy::money::Money::from_fen(personal).to_string()
    );

    let (_, _, english) = send(
        &app,
        Request::get(format!("/stats?year={year}"))
            .header(header::HOST, "portal.test")
            .header(header::COOKIE, format!("{reviewer}; lang=en"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(english.contains("Enrolled (approved)"), "{english}");

    // Not for residents; a year without parameters; no session.
    let (_, _, html) = send(
        &app,
        get_with_cookie(&format!("/stats?year={year}"), Some(&resident)),
    )
    .await;
    assert!(html.contains("您无权访问此记录。") && !html.contains("data-county"));
    let (status, _, _) = send(
        &app,
        get_with_cookie(&format!("/stats.csv?year={year}"), Some(&resident)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &app,
        get_with_cookie("/stats.csv?year=1999", Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, html) = send(&app, get_with_cookie("/stats?year=1999", Some(&reviewer))).await;
    assert!(html.contains("该年度的参保政策尚未发布。"), "{html}");

    // What each level of government owes for the premiums paid in a period
    // (E7, F7): the shares of the enrolments paid, counted from the records.
    let (persons, central): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(e.subsidy_central_fen), 0) AS BIGINT) FROM payments y
         JOIN payment_notices n ON n.id = y.notice_id JOIN enrolments e ON e.id = n.enrolment_id
         WHERE y.kind = 'premium' AND y.refunded_at IS NULL AND y.paid_on LIKE '2026-03-%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(persons > 0, "the demo has premiums paid in March 2026");
    let (status, _, html) = send(
        &app,
        get_with_cookie("/stats?period=2026-03", Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("各级财政应补助金额") && html.contains("name=\"period\" value=\"2026-03\""),
        "{html}"
    );
    assert!(html.contains("data-testid=\"stats-owed\""), "{html}");
    let (status, headers, csv) = send(
        &app,
        get_with_cookie("/stats/subsidy.csv?period=2026-03", Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let (n, c) = csv.lines().skip(1).fold((0i64, 0i64), |(n, c), line| {
        let f: Vec<&str> = line.split(',').collect();
        let fen = policy::money::Money::from_yuan_str(f[3]).unwrap().fen();
        (n + f[2].parse::<i64>().unwrap(), c + fen)
    });
    assert_eq!((n, c), (persons, central), "{csv}");
    let (status, _, html) = send(
        &app,
        get_with_cookie("/stats?period=2026-Q5", Some(&reviewer)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("统计期间不正确"), "{html}");
    let (status, _, _) = send(
        &app,
        get_with_cookie("/stats/subsidy.csv?period=2026-03", Some(&resident)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) = send(
        &app,
        get_with_cookie(&format!("/stats.csv?year={year}"), None),
    )
    .await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, "/login".to_string())
    );
}

/// Every refusal answers with its own status and its message, never a 500:
/// server functions through the `serverfnerror` answer, server-rendered pages
/// through the page's response options.
async fn refusals_answer_with_their_http_status(t: TestApp) {
    let TestApp { app, .. } = t;
    // 401: a wrong password, and a server function without a session.
    let (status, cookie, text) = login(&app, "office1", "nope").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{text}");
    assert!(text.contains("login_refused") && cookie.is_none(), "{text}");
    let req = post_form("/api/admin/accounts", None)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, req).await.0, StatusCode::UNAUTHORIZED);
    // 403: an office at the administrator's accounts.
    let office = session(&app, "office1").await;
    let req = post_form("/api/admin/accounts", Some(&office))
        .body(Body::empty())
        .unwrap();
    let (status, _, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    // 400: an identity number with a wrong check character, with its code.
    let req = post_form("/api/public/quote", None)
        .body(Body::from("id_number=110101199003070001&policy_year=2027"))
        .unwrap();
    let (status, _, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("id:bad_checksum"), "{text}");
    // 400 too for arguments the server function cannot read.
    let req = post_form("/api/public/quote", None)
        .body(Body::from("policy_year=twenty"))
        .unwrap();
    assert_eq!(send(&app, req).await.0, StatusCode::BAD_REQUEST);
    // A server-rendered page refused to a resident: 403, the message in
    // Chinese and a way home.
    let resident = session(&app, "resident1").await;
    let req = Request::get("/stats")
        .header(header::HOST, "portal.test")
        .header(header::COOKIE, &resident)
        .body(Body::empty())
        .unwrap();
    let (status, _, page) = send(&app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("role=\"alert\"") && page.contains("href=\"/\""),
        "{page}"
    );
    // Signed out, the same page asks for a log-in with 401.
    let req = Request::get("/claims/review")
        .header(header::HOST, "portal.test")
        .body(Body::empty())
        .unwrap();
    let (status, _, page) = send(&app, req).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("href=\"/login\""), "{page}");
}

// The router tests that read and write records, on both engines.
on_both!(each_role_logs_in, log_in_each_role_see_own_home_log_out);
on_both!(
    roles_keep_to_their_pages,
    a_role_cannot_reach_another_roles_pages
);
on_both!(
    provider_notification,
    a_provider_notification_is_verified_and_recorded_once
);
on_both!(
    phone_form_within_scope,
    the_phone_form_stores_photos_by_content_and_serves_them_within_scope
);
on_both!(
    claim_filed_once_within_scope,
    a_claim_is_filed_once_and_its_documents_upload_once_within_scope
);
on_both!(
    approval_issues_notice,
    approving_an_enrolment_issues_its_payment_notice
);
on_both!(
    post_without_session,
    a_post_without_a_session_changes_nothing_and_asks_for_a_log_in
);
on_both!(refusal_statuses, refusals_answer_with_their_http_status);

/// One search box, read the way clerks type, and the enquiry page behind
/// it, each within the asker's scope.
async fn staff_find_a_person_and_answer_whether_they_are_covered(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let (wang, id_number): (i64, String) =
        sqlx::query_as("SELECT id, id_number FROM persons WHERE name = '王秀兰'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    // Its last six characters in full-width digits, a space in the middle.
    let tail: String = id_number[12..]
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let wide = c
                .to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c.to_ascii_lowercase());
            if i == 3 {
                vec![' ', wide]
            } else {
                vec![wide]
            }
        })
        .collect();
    let search = |cookie: &str, q: &str| {
        let q: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        common::get(&format!("/people?q={q}"), cookie)
    };
    let office = session(&app, "office1").await;
    // The last six characters, in full-width digits with a space, as typed.
    let (status, _, html) = send(&app, search(&office, &tail)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("href=\"/people/{wang}\"")), "{html}");
    assert!(html.contains("王秀兰"), "{html}");
    // The beginning of a name; the value typed stays in the box.
    let (_, _, html) = send(&app, search(&office, "王秀")).await;
    assert!(
        html.contains(&format!("/people/{wang}")) && html.contains("value=\"王秀\""),
        "{html}"
    );
    // Another office finds nobody of this one's, and says so.
    let other = session(&app, "office2").await;
    let (status, _, html) = send(&app, search(&other, "王秀兰")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=\"found-none\"") && !html.contains("/people/"),
        "{html}"
    );
    // A school finds its pupil, not the pupil's grandmother.
    let school = session(&app, "school1").await;
    let (_, _, html) = send(&app, search(&school, "王秀兰")).await;
    assert!(html.contains("id=\"found-none\""), "{html}");
    let (_, _, html) = send(&app, search(&school, "李小明")).await;
    assert!(
        html.contains("李小明") && html.contains("/people/"),
        "{html}"
    );
    // Residents do not search.
    let resident = session(&app, "resident1").await;
    assert_eq!(
        send(&app, search(&resident, "王")).await.0,
        StatusCode::FORBIDDEN
    );

    // The enquiry: status on the day asked, continuous years, the engine's reasons.
    let (status, _, html) = send(
        &app,
        common::get(&format!("/people/{wang}?on=2026-06-01"), &office),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("data-testid=\"status-on\""), "{html}");
    // Paid for 2026 on 10 March: covered on 1 June, with the receipt listed.
    assert!(
        html.contains("data-status=\"active\"") && html.contains("2026-SJ-"),
        "{html}"
    );
    assert!(
        html.contains("class=\"article\""),
        "the engine's articles: {html}"
    );
    let reviewer = session(&app, "reviewer1").await;
    assert_eq!(
        send(&app, common::get(&format!("/people/{wang}"), &reviewer))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, common::get(&format!("/people/{wang}"), &other))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, common::get(&format!("/people/{wang}"), &school))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, common::get(&format!("/people/{wang}"), &resident))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // A date that is not one: refused, with its words.
    let (status, _, html) = send(
        &app,
        common::get(&format!("/people/{wang}?on=2026-13-45"), &office),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
}

on_both!(
    find_a_person,
    staff_find_a_person_and_answer_whether_they_are_covered
);

/// A resident pays online for her grandson: the office's enquiry page says
/// who paid and as what, and shows his year's claims against each cap.
async fn the_office_sees_who_paid_for_whom(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let (resident, notice) = common::residents_notice(&db, "李小明", 2027).await;
    let (body, signature) = common::simulator_payment(&db, &resident, &notice.number).await;
    let notify = Request::post("/api/v1/payments/notify/simulator")
        .header("content-type", "application/json")
        .header("x-portal-signature", &signature)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&app, notify).await.0, StatusCode::OK);
    let office = session(&app, "office1").await;
    let page = format!("/people/{}?on=2027-02-01", notice.person_id);
    let (status, _, html) = send(&app, common::get(&page, &office)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("在线缴费：王秀兰（其他亲属）"),
        "the grandmother paid, as a relative: {html}"
    );
    // His caps of 2027, each with its article; nothing used yet.
    assert!(html.contains("id=\"caps\""), "{html}");
    for cap in ["general", "sub_limit", "student_accident"] {
        assert!(html.contains(&format!("data-cap=\"{cap}\"")), "{cap}");
    }
    assert!(html.contains("本年度没有报销记录"), "{html}");
}

on_both!(acting_for, the_office_sees_who_paid_for_whom);

/// Without JavaScript a refused log-in comes back to the page with the name
/// that was typed still in its box (never the password); a log-in that
/// succeeds forgets it.
#[tokio::test]
async fn a_refused_log_in_keeps_the_name_typed() {
    let TestApp { app, .. } = TestApp::new().await;
    let post = |body: &'static str| {
        Request::post("/api/auth/login")
            .header(header::HOST, "portal.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::REFERER, "http://portal.test/login")
            .body(Body::from(body))
            .unwrap()
    };
    let (status, h, _) = send(&app, post("username=%E7%8E%8B%20resident1&password=wrong")).await;
    assert!(status.is_redirection(), "{status}");
    let kept = h
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("login_name="))
        .expect("the name typed is kept")
        .to_string();
    assert!(
        kept.contains("HttpOnly") && kept.contains("Path=/login"),
        "{kept}"
    );
    assert!(!kept.contains("wrong"), "never the password");
    let cookie = kept.split(';').next().unwrap();
    let (_, _, page) = send(&app, get_with_cookie("/login", Some(cookie))).await;
    assert!(page.contains("value=\"王 resident1\""), "{page}");

    let (status, h, _) = send(&app, post("username=resident1&password=demo-pass-2026")).await;
    assert!(status.is_redirection(), "{status}");
    assert!(
        h.get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.starts_with("login_name=;") && c.contains("Max-Age=0")),
        "a successful log-in forgets the name"
    );
}
