//! The resident's pages on a phone (issue 15), through the router on both
//! engines: a refused form keeps what was typed; claim documents are asked
//! for kind by kind, can be relabelled and removed until the first review
//! starts, and the same photo may serve two kinds; the reviewer gets no
//! first-review form while documents are missing; the home says a year paid
//! ahead is paid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::Router;
use common::{location, multipart, post_form, send, session, TestApp};
use http::{header, Request, StatusCode};

const HOSPITAL: &str = "%E5%8C%97%E4%BA%AC%E5%8D%8F%E5%92%8C%E5%8C%BB%E9%99%A2";

async fn person(db: &db::Db, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM persons WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn claim_form(wang: i64, key: &str, agent_id: &str) -> String {
    format!(
        "kind=transfer&request_key={key}&person_id={wang}&care_from=2026-06-01&care_to=2026-06-10\
         &hospital={HOSPITAL}&hospital_grade=2&billed=8000.00\
         &agent_name=%E7%8E%8B%E7%A7%80%E5%85%B0&agent_id_number={agent_id}&agent_relation=spouse\
         &bank_account=6222020200112233445&account_name=%E7%8E%8B%E7%A7%80%E5%85%B0"
    )
}

/// A browser's form post: it asks for HTML.
fn browser_post(path: &str, cookie: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, common::HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// Files a transfer claim for 王秀兰: its page.
async fn file_claim(app: &Router, db: &db::Db, resident: &str) -> String {
    let wang = person(db, "王秀兰").await;
    let form = claim_form(wang, "phone-test-claim-0001", "152201194811031629");
    let (status, headers, text) = send(app, browser_post("/claims/file", resident, form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{text}");
    location(&headers).split('?').next().unwrap().to_string()
}

fn photo(n: u8) -> Vec<u8> {
    vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, n, 0xFF, 0xD9,
    ]
}

/// Uploads `bytes` as `kind`, as the page's form posts it without script.
async fn upload(
    app: &Router,
    page: &str,
    cookie: &str,
    kind: &str,
    bytes: &[u8],
) -> (StatusCode, String, String) {
    let (ct, body) = multipart(&[
        ("kind", None, kind.as_bytes()),
        ("file", Some("p.jpg"), bytes),
    ]);
    let req = Request::post(format!("{page}/documents"))
        .header(header::HOST, common::HOST)
        .header(header::CONTENT_TYPE, ct)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let (status, headers, text) = send(app, req).await;
    (status, location(&headers), text)
}

async fn documents(db: &db::Db) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT id, sha256, evidence_code FROM documents WHERE claim_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

async fn page(app: &Router, page: &str, cookie: &str) -> (StatusCode, String) {
    let (status, _, html) = send(app, common::get(page, cookie)).await;
    (status, html)
}

async fn a_refused_claim_keeps_all_it_was_given(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let resident = session(&app, "resident1").await;
    let wang = person(&db, "王秀兰").await;
    // A wrong check character of the agent's ID number.
    let form = claim_form(wang, "phone-test-claim-0002", "152201194811031620");
    let (status, headers, html) = send(&app, browser_post("/claims/file", &resident, form)).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a refusal is a 4xx, not a redirect"
    );
    assert!(headers.get(header::LOCATION).is_none());
    // The message in Chinese, next to the field it concerns …
    assert!(html.contains("经办人身份证号码不正确"), "{html}");
    assert!(html.contains(r#"data-field="agent_id_number""#), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    // … and every field as it was typed.
    for kept in [
        r#"value="2026-06-01""#,
        r#"value="2026-06-10""#,
        r#"value="北京协和医院""#,
        r#"value="8000.00""#,
        r#"value="王秀兰""#,
        r#"value="152201194811031620""#,
        r#"value="6222020200112233445""#,
        r#"value="phone-test-claim-0002""#,
    ] {
        assert!(html.contains(kept), "{kept} is kept: {html}");
    }
    for chosen in [
        format!(r#"selected value="{wang}""#),
        r#"value="2" selected"#.to_string(),
        r#"value="spouse" selected"#.to_string(),
    ] {
        assert!(
            html.contains(&chosen)
                || html.contains(
                    &chosen
                        .replace("selected value", "value")
                        .replace(r#"""#, r#"" selected"#)
                ),
            "{chosen}: {html}"
        );
    }
    let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM claims")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(claims, 0, "nothing filed");

    // The emergency report on /claims keeps its fields too, and leaves the
    // approval form on the same page alone.
    let report = format!("_form=emergency&person_id={wang}&kind=outpatient_emergency&occurred_on=2026-13-40&hospital={HOSPITAL}&note=night");
    let (status, _, html) = send(&app, browser_post("/claims/emergency", &resident, report)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(
        html.contains(r#"value="2026-13-40""#) && html.contains(r#"value="night""#),
        "{html}"
    );
    assert!(html.contains(r#"data-field="occurred_on""#), "{html}");
    assert_eq!(
        html.matches(r#"value="北京协和医院""#).count(),
        1,
        "only the emergency form: {html}"
    );
}

async fn documents_kind_by_kind_until_the_first_review(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let resident = session(&app, "resident1").await;
    let reviewer = session(&app, "reviewer1").await;
    let claim = file_claim(&app, &db, &resident).await;

    // The page asks for each missing kind with its own upload, and says the
    // review waits for them; the file inputs do not force the camera.
    let (status, html) = page(&app, &claim, &resident).await;
    assert_eq!(status, StatusCode::OK);
    for kind in ["receipt", "diagnosis", "expense_list", "medical_record"] {
        assert!(
            html.contains(&format!(r#"name="kind" value="{kind}""#))
                || html.contains(&format!(r#"value="{kind}" name="kind""#)),
            "{kind}: {html}"
        );
    }
    assert!(html.contains("材料齐全后才开始初审"), "{html}");
    assert!(!html.contains("capture="), "{html}");

    // A photo as a receipt, then the same photo as the diagnosis: two documents.
    let (status, to, _) = upload(&app, &claim, &resident, "receipt", &photo(1)).await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            format!("{claim}?ok=uploaded").as_str()
        )
    );
    let (status, _, _) = upload(&app, &claim, &resident, "diagnosis", &photo(1)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let docs = documents(&db).await;
    assert_eq!(
        docs.iter().map(|d| d.2.as_str()).collect::<Vec<_>>(),
        ["receipt", "diagnosis"],
        "the same photo serves two kinds"
    );
    // The script's probe asks by kind: there as a diagnosis, not as an expense list.
    let probe = |kind: &str| {
        common::get(
            &format!("{claim}/documents/{}?kind={kind}", docs[0].1),
            &resident,
        )
    };
    assert_eq!(
        send(&app, probe("diagnosis")).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&app, probe("expense_list")).await.0,
        StatusCode::NOT_FOUND
    );

    // A second photo filed as a receipt by mistake: relabelled as the expense list.
    let (status, _, _) = upload(&app, &claim, &resident, "receipt", &photo(2)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let wrong = documents(&db).await[2].0;
    let relabel = |id: i64, kind: &str, cookie: &str| {
        browser_post(
            &format!("{claim}/documents/{id}/kind"),
            cookie,
            format!("kind={kind}"),
        )
    };
    let (status, headers, _) = send(&app, relabel(wrong, "expense_list", &resident)).await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, format!("{claim}?ok=relabelled"))
    );
    assert_eq!(documents(&db).await[2].2, "expense_list");
    // Not a kind: refused, with the page again.
    let (status, _, html) = send(&app, relabel(wrong, "selfie", &resident)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("请选择材料类别"), "{html}");
    // Nobody else relabels.
    let (status, _, _) = send(&app, relabel(wrong, "receipt", &reviewer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The diagnosis photo removed.
    let diagnosis = documents(&db).await[1].0;
    let remove = |id: i64| {
        browser_post(
            &format!("{claim}/documents/{id}/remove"),
            &resident,
            String::new(),
        )
    };
    let (status, headers, _) = send(&app, remove(diagnosis)).await;
    assert_eq!(
        (status, location(&headers)),
        (StatusCode::SEE_OTHER, format!("{claim}?ok=removed"))
    );
    assert_eq!(documents(&db).await.len(), 2);
    let changes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('document.relabel', 'document.remove')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(changes, 2, "each change is audited");

    // Documents missing: the reviewer gets no first-review form, and a post is refused.
    let (_, html) = page(&app, &claim, &reviewer).await;
    assert!(!html.contains(r#"id="first-review""#), "{html}");
    assert!(html.contains("居民补齐之前不能初审"), "{html}");
    let review = || {
        post_form(&format!("{claim}/first-review"), Some(&reviewer))
            .body(Body::from(
                "in_catalogue=7000.00&hospital_grade=2&cause=&earlier_admissions=0&note=",
            ))
            .unwrap()
    };
    let (_, headers, _) = send(&app, review()).await;
    assert_eq!(
        location(&headers),
        format!("{claim}?error=documents_missing")
    );

    // Complete: the form appears, the review starts, and from then on
    // nothing is relabelled or removed.
    for (kind, n) in [("diagnosis", 3), ("medical_record", 4)] {
        assert_eq!(
            upload(&app, &claim, &resident, kind, &photo(n)).await.0,
            StatusCode::SEE_OTHER
        );
    }
    let (_, html) = page(&app, &claim, &reviewer).await;
    assert!(html.contains(r#"id="first-review""#), "{html}");
    let (_, headers, _) = send(&app, review()).await;
    assert_eq!(location(&headers), format!("{claim}?ok=first_reviewed"));
    let (status, _, html) = send(&app, relabel(wrong, "receipt", &resident)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("申请已进入审核"), "{html}");
    let (status, _, _) = send(&app, remove(wrong)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, html) = upload(&app, &claim, &resident, "receipt", &photo(9)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(
        html.contains("请重新选择"),
        "the page says the photos must be chosen again: {html}"
    );
    assert_eq!(documents(&db).await.len(), 4);
}

async fn the_home_says_a_year_paid_ahead_is_paid(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let (resident, notice) = common::residents_notice(&db, "王秀兰", 2027).await;
    let cookie = session(&app, "resident1").await;
    let (_, before) = page(&app, "/", &cookie).await;
    assert!(!before.contains("已缴纳 2027 年度医保费"), "{before}");
    let (body, signature) = common::simulator_payment(&db, &resident, &notice.number).await;
    let notify = Request::post("/api/v1/payments/notify/simulator")
        .header("content-type", "application/json")
        .header("x-portal-signature", signature)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&app, notify).await.0, StatusCode::OK);

    let (status, home) = page(&app, "/", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("已缴纳 2027 年度医保费"), "{home}");
    assert!(home.contains("自 2027-01-01 起享受待遇"), "{home}");
    assert!(home.contains("下一次缴费：2028 年度"), "{home}");
    assert!(
        home.contains(r#"class="member""#),
        "a card per member: {home}"
    );
    // Amounts carry their unit.
    assert!(home.contains(" 元"), "{home}");
}

on_both!(
    refused_claim_keeps_values,
    a_refused_claim_keeps_all_it_was_given
);
on_both!(
    claim_documents_kind_by_kind,
    documents_kind_by_kind_until_the_first_review
);
on_both!(home_paid_ahead, the_home_says_a_year_paid_ahead_is_paid);
