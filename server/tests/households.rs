//! The family at the desk and on its phone, through the router on both
//! engines (#16): a refused opening answers 4xx with the form as typed and
//! the Chinese words next to the field, writing nothing; an opening prints
//! the form with the code once; the family signs up with it, is logged in
//! and sees its household; a used code is refused; and the office's pages
//! stay under 100 KB of HTML with 500 households.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use common::{id, location, send, session, TestApp, HOST};
use http::{header, Request, StatusCode};

/// A plain form post, as a browser sends it (no script: it wants a page).
fn browser_post(path: &str, cookie: Option<&str>, body: String) -> Request<Body> {
    let mut b = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

fn policy_year() -> i32 {
    *policy::params::Rules::try_builtin()
        .unwrap()
        .years
        .keys()
        .next_back()
        .unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&t.db.pool).await.unwrap()
}

fn set_cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(String::from)
}

fn family(year: &str, head: &str, child: &str, grandma: &str) -> Vec<(String, String)> {
    [
        ("address", "兴安盟乌兰浩特市和平街道红旗路8号"),
        ("hukou_type", "local_urban"),
        ("policy_year", year),
        ("m0_id_number", head),
        ("m0_name", "孟德海"),
        ("m0_relation", "head"),
        ("m0_phone", "138 0013 8000"),
        ("m1_id_number", child),
        ("m1_name", "孟小雨"),
        ("m1_relation", "grandchild"),
        ("m2_id_number", grandma),
        ("m2_name", "包桂兰"),
        ("m2_relation", "spouse"),
        ("m2_dibao", "on"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn encode(fields: &[(String, String)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

async fn a_refused_opening_keeps_what_was_typed(t: TestApp) {
    let office = session(&t.app, "office1").await;
    let year = policy_year().to_string();
    let good = id("15220119540312007");
    let bad = {
        let last = if good.ends_with('0') { '1' } else { '0' };
        format!("{}{last}", &good[..17])
    };
    let before = count(&t, "SELECT COUNT(*) FROM households").await;
    let audit = count(&t, "SELECT COUNT(*) FROM audit_log").await;
    let fields = family(
        &year,
        &bad,
        &id("15220120160601002"),
        &id("15220119560101024"),
    );
    let (status, _, body) = send(
        &t.app,
        browser_post("/households/new", Some(&office), encode(&fields)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // The words in Chinese, next to the head's number; every value kept.
    assert!(body.contains("id=\"m0_id_number-error\""), "{body}");
    assert!(body.contains("身份证号码校验码不符"), "{body}");
    for kept in [
        &bad,
        "孟德海",
        "孟小雨",
        "包桂兰",
        "红旗路8号",
        "138 0013 8000",
    ] {
        assert!(body.contains(kept), "{kept} was not kept");
    }
    assert!(
        body.contains("name=\"m2_dibao\" value=\"on\" checked"),
        "the tick was kept"
    );
    // Nothing written.
    assert_eq!(count(&t, "SELECT COUNT(*) FROM households").await, before);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM audit_log").await, audit);
    // An over-long name: its own words, by its field.
    let mut long = family(
        &year,
        &good,
        &id("15220120160601002"),
        &id("15220119560101024"),
    );
    long[8].1 = "长".repeat(51);
    let (status, _, body) = send(
        &t.app,
        browser_post("/households/new", Some(&office), encode(&long)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("id=\"m1_name-error\"") && body.contains("姓名过长"),
        "{body}"
    );
    // A resident may not open one.
    let resident = session(&t.app, "resident1").await;
    let fields = family(
        &year,
        &good,
        &id("15220120160601002"),
        &id("15220119560101024"),
    );
    let (status, _, _) = send(
        &t.app,
        browser_post("/households/new", Some(&resident), encode(&fields)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM households").await, before);
}
on_both!(refusal_keeps_values, a_refused_opening_keeps_what_was_typed);

async fn the_family_signs_up_with_the_code_on_its_form(t: TestApp) {
    let office = session(&t.app, "office1").await;
    let year = policy_year().to_string();
    let head = id("15220119540312007");
    let fields = family(
        &year,
        &head,
        &id("15220120160601002"),
        &id("15220119560101024"),
    );
    let (status, headers, body) = send(
        &t.app,
        browser_post("/households/new", Some(&office), encode(&fields)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let form_path = location(&headers);
    assert!(
        form_path.starts_with("/household/") && form_path.contains("/form?year="),
        "{form_path}"
    );
    let carried = set_cookie(&headers, "portal_new_code").expect("the code goes to the form");
    assert!(
        !form_path.contains(carried.split(['=', ';']).nth(1).unwrap()),
        "never in the URL"
    );
    let code_cookie = carried.split(';').next().unwrap().to_string();
    // The form shows the code once, with its QR, and clears it.
    let (status, headers, page) = send(
        &t.app,
        common::get(&form_path, &format!("{office}; {code_cookie}")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let code = page
        .split("id=\"activation-code\"")
        .nth(1)
        .and_then(|rest| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split('<').next())
        .unwrap_or_else(|| panic!("the code is on the form: {page}"))
        .to_string();
    assert_eq!(code.len(), 14, "{code}");
    assert!(page.contains("<svg"));
    assert!(set_cookie(&headers, "portal_new_code").is_some_and(|c| c.contains("Max-Age=0")));
    let number: String =
        sqlx::query_scalar("SELECT number FROM households ORDER BY id DESC LIMIT 1")
            .fetch_one(&t.db.pool)
            .await
            .unwrap();
    assert!(
        number.starts_with(&format!("152201-O01-{year}-")),
        "{number}"
    );
    // Printed again: no code, the way to a new one.
    let (_, _, again) = send(&t.app, common::get(&form_path, &office)).await;
    assert!(!again.contains(&code) && again.contains("重新生成激活码"));

    // The family on its phone: code typed in lower case with spaces, a
    // member's number, its own name and password.
    let signup = |code: &str, username: &str| {
        form(&[
            ("code", code),
            ("id_number", &id("15220119560101024")),
            ("username", username),
            ("display_name", "孟德海"),
            ("password", "family-pass-2027"),
            ("repeat", "family-pass-2027"),
        ])
    };
    let typed = code.to_lowercase().replace('-', " ");
    let (status, headers, body) = send(
        &t.app,
        browser_post("/signup", None, signup(&typed, "mengdehai")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location(&headers), "/");
    let resident = set_cookie(&headers, "portal_session").expect("logged in");
    let resident = resident.split(';').next().unwrap().to_string();
    let (_, _, home) = send(&t.app, common::get("/", &resident)).await;
    assert!(home.contains(&number) && home.contains("孟小雨"), "{home}");

    // The code again: refused in Chinese, 4xx, values kept but the password.
    let (status, _, body) = send(
        &t.app,
        browser_post("/signup", None, signup(&code, "mengxiaoyu")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("激活码或身份证号码不正确"), "{body}");
    assert!(body.contains("mengxiaoyu") && !body.contains("family-pass-2027"));
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM users WHERE username = 'mengxiaoyu'"
        )
        .await,
        0
    );
    // Passwords that differ: refused by the repeat's field.
    let mismatch = form(&[
        ("code", code.as_str()),
        ("id_number", id("15220119560101024").as_str()),
        ("username", "x_user"),
        ("display_name", "x"),
        ("password", "family-pass-2027"),
        ("repeat", "family-pass-2028"),
    ]);
    let (status, _, body) = send(&t.app, browser_post("/signup", None, mismatch)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("id=\"repeat-error\""));
    // The sign-up page links to the phone sign-up, the log-in to sign-up.
    let (_, _, page) = send(
        &t.app,
        Request::get("/signup")
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(page.contains("href=\"/signup/phone\"") && page.contains("没有激活码？"));
    let (_, _, login) = send(
        &t.app,
        Request::get("/login")
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(login.contains("href=\"/signup\""));
}
on_both!(
    signup_with_code,
    the_family_signs_up_with_the_code_on_its_form
);

/// Opens `n` one-person households for office1 straight through the service.
async fn many_households(t: &TestApp, n: u32) {
    let office = match db::accounts::login(&t.db, "office1", common::PASSWORD, "127.0.0.1")
        .await
        .unwrap()
    {
        db::accounts::LoginOutcome::Ok(a) => a,
        other => panic!("{other:?}"),
    };
    let rules = policy::params::Rules::try_builtin().unwrap();
    let year = policy_year();
    for i in 0..n {
        let new = db::household_open::NewHousehold {
            office_code: "152201-O01".into(),
            address: format!("兴安盟乌兰浩特市和平街道第{i}号院"),
            hukou_type: "local_urban".into(),
            policy_year: year,
            members: vec![db::household_open::Member {
                id_number: id(&format!(
                    "1522011950{:02}{:02}{:03}",
                    1 + i % 12,
                    1 + i % 28,
                    i % 1000
                )),
                name: format!("居民{i}"),
                relation: "head".into(),
                phone: String::new(),
                circumstances: Default::default(),
            }],
        };
        db::household_open::open(&t.db, &rules, &office, &new, 30)
            .await
            .unwrap_or_else(|r| panic!("{i}: {:?}", r.error));
    }
}

async fn office_pages_stay_small(t: TestApp) {
    many_households(&t, 500).await;
    let office = session(&t.app, "office1").await;
    for path in [
        "/",
        "/?page=3",
        "/?q=居民49",
        "/enrol",
        "/enrol?q=居民1",
        "/payments",
        "/payments?q=2027-TZ-000001",
    ] {
        let (status, _, body) = send(&t.app, common::get(path, &office)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        eprintln!("{path}: {} bytes", body.len());
        assert!(body.len() < 100_000, "{path} is {} bytes", body.len());
    }
    // Page 2 of the office home holds other households than page 1.
    let (_, _, one) = send(&t.app, common::get("/", &office)).await;
    let (_, _, two) = send(&t.app, common::get("/?page=2", &office)).await;
    assert!(one.contains("居民499") && !two.contains("居民499") && two.contains("居民479"));
    // The search finds by a member's name.
    let (_, _, found) = send(&t.app, common::get("/?q=%E5%B1%85%E6%B0%91123", &office)).await;
    assert!(found.contains("居民123"));
    let (_, _, enrol) = send(
        &t.app,
        common::get("/enrol?q=%E5%B1%85%E6%B0%91123", &office),
    )
    .await;
    assert!(enrol.contains("居民123"));
}
on_both!(page_size_bound, office_pages_stay_small);

async fn the_agency_sees_possible_duplicates(t: TestApp) {
    many_households(&t, 2).await;
    // The same name and birth date as 居民0 (born 1950-01-01), under another
    // number, in another household.
    sqlx::query("UPDATE persons SET name = '居民0', id_number = $1 WHERE name = '居民1'")
        .bind(id("15220119500101999"))
        .execute(&t.db.pool)
        .await
        .unwrap();
    let reviewer = session(&t.app, "reviewer1").await;
    let (status, _, page) = send(&t.app, common::get("/duplicates", &reviewer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-kind=\"same_name_and_birth\""), "{page}");
    assert!(page.contains("href=\"/people/") && page.contains("1950-01-01"));
    let office = session(&t.app, "office1").await;
    let (status, _, _) = send(&t.app, common::get("/duplicates", &office)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both!(duplicates_page, the_agency_sees_possible_duplicates);
