//! The site's files and pages as a phone on a slow network gets them (#15):
//! hashed assets kept for a year and sent precompressed, pages compressed on
//! the fly, unhashed files checked each time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;

use axum::body::Body;
use common::{send, TestApp, HOST};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const HASHED: &str = "portal.Zx81_-Qb3TnH0a9LmPq2sw";

fn site_of(app: &TestApp) -> std::path::PathBuf {
    let dir = app.dir.join("site");
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    dir
}

fn asking(path: &str, encoding: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT_ENCODING, encoding)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_hashed_asset_is_sent_precompressed_and_kept_for_a_year() {
    let app = TestApp::new().await;
    let site = site_of(&app);
    std::fs::write(site.join(format!("pkg/{HASHED}.wasm")), b"\0asm plain").unwrap();
    std::fs::write(site.join(format!("pkg/{HASHED}.wasm.br")), b"brotli bytes").unwrap();
    std::fs::write(site.join(format!("pkg/{HASHED}.wasm.gz")), b"gzip bytes").unwrap();
    std::fs::write(site.join("pkg/portal.css"), b"body{}").unwrap();

    let (status, h, body) = send(
        &app.app,
        asking(&format!("/pkg/{HASHED}.wasm"), "gzip, deflate, br"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_ENCODING], "br");
    assert_eq!(body, "brotli bytes");
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );

    let (_, h, body) = send(&app.app, asking(&format!("/pkg/{HASHED}.wasm"), "gzip")).await;
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    assert_eq!(body, "gzip bytes");

    let (_, h, body) = send(&app.app, asking(&format!("/pkg/{HASHED}.wasm"), "identity")).await;
    assert!(h.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, "\0asm plain");

    // A name without a hash may change under it: checked each time.
    let (status, h, _) = send(&app.app, asking("/pkg/portal.css", "identity")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_take_it() {
    let app = TestApp::new().await;
    let res = app
        .app
        .clone()
        .oneshot(asking("/login", "gzip"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
    let packed = res.into_body().collect().await.unwrap().to_bytes();
    let mut page = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("<form"), "the log-in page, unpacked");
    assert!(
        packed.len() * 2 < page.len(),
        "{} packed of {}",
        packed.len(),
        page.len()
    );

    // Asked for nothing, nothing is encoded.
    let (_, h, body) = send(&app.app, asking("/login", "identity")).await;
    assert!(h.get(header::CONTENT_ENCODING).is_none());
    assert!(body.contains("<form"));
}

/// The content is in the first HTML, rendered whole on the server, never a
/// "loading" placeholder swapped in by a script. The resident's pages carry
/// no WebAssembly at all (every action on them is a form that posts); the
/// staff's desks still hydrate.
#[tokio::test]
async fn a_page_carries_its_content_without_scripts() {
    let app = TestApp::new().await;
    let cookie = common::session(&app.app, "resident1").await;
    let (status, _, page) = send(&app.app, common::get("/", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("modulepreload") && !page.contains(".wasm"),
        "the resident's home loads no WebAssembly"
    );
    let page = without_scripts(&page);
    assert!(
        page.contains("王秀兰"),
        "the household's members are in the first HTML"
    );
    assert!(!page.contains("正在加载"), "no loading placeholder");
    // Why her tier and amount, in plain words, the articles after them.
    assert!(
        page.contains("为什么是这个档次和金额") && page.contains("按老年居民参保"),
        "{page}"
    );
    assert!(
        page.contains("政府补助") && page.contains("依据："),
        "{page}"
    );
    assert!(
        page.contains("/logout") || page.contains("退出"),
        "the header's account menu is there"
    );
    let (_, _, check) = send(&app.app, asking("/check", "identity")).await;
    assert!(
        !without_scripts(&check).contains("正在加载"),
        "the check page renders its years"
    );
    let office = common::session(&app.app, "office1").await;
    let (_, _, desk) = send(&app.app, common::get("/enrol", &office)).await;
    assert!(desk.contains("modulepreload"), "a staff desk hydrates");
}

/// The public check posts to itself: the answer is in the page, typed
/// digits in any width and with spaces are read, a refused number is a 400
/// with the words under the form and the number still in its box.
#[tokio::test]
async fn the_check_page_answers_its_own_post() {
    let app = TestApp::new().await;
    let ask = |body: String| {
        Request::post("/check")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let enc = |s: &str| -> String { s.bytes().map(|b| format!("%{b:02X}")).collect() };
    // 152222194305058230 in full-width digits with a space, as a phone may type it.
    let typed = "１５２２２２ １９４３０５０５８２３０";
    let (status, _, page) = send(
        &app.app,
        ask(format!(
            "form=quote&id_number={}&policy_year=2009&low_income_household=on",
            enc(typed)
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("id=\"quote-answer\""), "{page}");
    assert!(page.contains("70.00"), "the 2009 low-income share: {page}");
    assert!(
        page.contains("name=\"low_income_household\" value=\"on\" checked"),
        "the ticked box stays ticked"
    );
    let (status, _, page) = send(
        &app.app,
        ask(format!(
            "form=quote&id_number={}&policy_year=2009",
            enc("15222219430505823X")
        )),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("校验码"), "{page}");
    assert!(page.contains("value=\"15222219430505823X\""), "{page}");
    // The estimate: (10000 - 300) × 60 % = 5820.00 (RULES-API's example).
    let (status, _, page) = send(
        &app.app,
        ask("form=estimate&policy_year=2009&kind=transfer&hospital_grade=2&in_catalogue=10000.00&admission_ordinal=1&continuous_years=1&paid_ytd_general=0".into()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("5820.00"), "{page}");
    assert!(
        page.contains("<option value=\"transfer\" selected"),
        "{page}"
    );
}

/// The page as a browser without JavaScript shows it: no `<script>` bodies
/// (the texts for the WebAssembly carry every word, 正在加载 too).
fn without_scripts(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        rest = match rest[start..].find("</script>") {
            Some(end) => &rest[start + end + "</script>".len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// A plain form post, as a browser without the WebAssembly sends it.
fn html_post(path: &str, cookie: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header("sec-fetch-site", "same-origin")
        .header(header::REFERER, "http://portal.test/notice/from")
        .body(Body::from(body))
        .unwrap()
}

/// A tap on 在线支付 or 收取现金 before the WebAssembly has arrived (or
/// without JavaScript) posts the form; the server answers with the next page.
/// The 2027 notice of the first member of resident1's household matching
/// `which`, issued as the household's home issues it.
async fn notice_2027(app: &TestApp, which: &str) -> String {
    let rules = db::policy_years::load(&app.db).await.unwrap();
    let db::accounts::LoginOutcome::Ok(holder) =
        db::accounts::login(&app.db, "resident1", common::PASSWORD, "127.0.0.1")
            .await
            .unwrap()
    else {
        panic!("resident1 logs in")
    };
    let sql = format!(
        "SELECT e.id FROM enrolments e JOIN persons p ON p.id = e.person_id
         WHERE p.household_id = (SELECT household_id FROM users WHERE username = 'resident1')
           AND {which} AND e.policy_year = 2027 AND e.status = 'approved' ORDER BY e.id LIMIT 1"
    );
    let e: i64 = sqlx::query_scalar(&sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    db::notices::for_enrolment(&app.db, &rules, &holder, e)
        .await
        .unwrap()
        .number
}

/// A form post's answer: a redirect, and where to.
async fn posted(app: &TestApp, path: &str, cookie: &str, body: String) -> String {
    let (status, h, body) = send(&app.app, html_post(path, cookie, body)).await;
    assert_eq!(status, StatusCode::FOUND, "{body}");
    common::location(&h)
}

#[tokio::test]
async fn paying_a_notice_works_before_the_webassembly() {
    let app = TestApp::new().await;
    let notice = notice_2027(&app, "p.name = '王秀兰'").await;
    let resident = common::session(&app.app, "resident1").await;
    let to = posted(
        &app,
        "/api/notice/pay-online",
        &resident,
        format!("number={notice}"),
    )
    .await;
    assert!(to.starts_with("/pay/simulator/"), "{to}");

    // Cash for another member's notice (王秀兰's has an online order open).
    let notice = notice_2027(&app, "p.name <> '王秀兰'").await;
    let office = common::session(&app.app, "office1").await;
    let body = format!("number={notice}&request_key=no-script-tap-0000001");
    let to = posted(&app, "/api/notice/take-cash", &office, body).await;
    assert!(to.starts_with("/receipt/"), "{to}");
    let (status, _, receipt) = send(&app.app, common::get(&to, &office)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(receipt.contains(&notice), "the receipt names its notice");
}
