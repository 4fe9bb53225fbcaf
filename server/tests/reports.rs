//! The statistical reports page as its three signers and the league use it
//! (issue 17): drafted, the big changes explained, signed by three people,
//! submitted and then frozen, corrected by a second version; the league
//! sees which county has submitted. Both engines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::Router;
use common::{location, send, session, TestApp, HOST};
use http::{header, Request, StatusCode};

fn post(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn page(app: &Router, cookie: &str, period: &str) -> String {
    let (status, _, html) = send(
        app,
        common::get(&format!("/reports?period={period}"), cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    html
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// stats1 drafts the Ulanhot report of March 2026, and it is explained
/// and signed by its three signers; returns its id and stats1's session.
async fn submitted_march(app: &Router, db: &db::Db) -> (i64, String) {
    let stats = session(app, "stats1").await;
    let html = page(app, &stats, "2026-03").await;
    assert!(html.contains("尚未生成报表"), "{html}");
    let (status, h, _) = send(app, post("/reports/draft", &stats, "period=2026-03")).await;
    assert_eq!(
        (status, location(&h)),
        (StatusCode::SEE_OTHER, "/reports?period=2026-03&ok=1".into())
    );
    let html = page(app, &stats, "2026-03").await;
    assert!(html.contains("data-testid=\"report-figures\""), "{html}");
    let id: i64 = sqlx::query_scalar("SELECT id FROM statistical_reports")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    // 王秀兰 paid in March 2026, nobody in February: flagged, to explain.
    assert!(
        html.contains("data-figure=\"premiums\" class=\"warn\""),
        "{html}"
    );
    let (status, _, html) = send(
        app,
        post(&format!("/reports/{id}/sign"), &stats, "role=preparer"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("须先写明原因"), "{html}");
    let flagged: Vec<String> = {
        let changes: String =
            sqlx::query_scalar("SELECT changes_json FROM statistical_reports WHERE id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let changes: Vec<policy::reports::Change> = serde_json::from_str(&changes).unwrap();
        changes
            .into_iter()
            .filter(|c| c.flagged)
            .map(|c| c.key)
            .collect()
    };
    for key in &flagged {
        let body = format!("_form=explain&key={key}&text={}", enc("三月为集中缴费期"));
        let (status, _, _) =
            send(app, post(&format!("/reports/{id}/explain"), &stats, &body)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let section = session(app, "section1").await;
    let head = session(app, "head1").await;
    for (cookie, role) in [
        (&stats, "preparer"),
        (&section, "section_head"),
        (&head, "agency_head"),
    ] {
        let (status, _, html) = send(
            app,
            post(
                &format!("/reports/{id}/sign"),
                cookie,
                &format!("role={role}"),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{role}: {html}");
    }
    (id, stats)
}

async fn a_county_report_is_drafted_signed_and_corrected(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let (id, stats) = submitted_march(&app, &db).await;
    let html = page(&app, &stats, "2026-03").await;
    assert!(html.contains("data-status=\"submitted\""), "{html}");
    assert!(
        html.contains("统计员 白雪") && html.contains("局长 包明"),
        "{html}"
    );

    // Submitted: a new reason is refused; the league sees the county submitted.
    let body = format!("_form=explain&key=premiums&text={}", enc("改"));
    let (status, _, _) = send(&app, post(&format!("/reports/{id}/explain"), &stats, &body)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let league = session(&app, "reviewer1").await;
    let html = page(&app, &league, "2026-03").await;
    assert!(html.contains("data-county=\"152201\""), "{html}");
    assert!(html.contains("已上报"), "{html}");
    // Not for an office.
    let office = session(&app, "office1").await;
    let (status, _, _) = send(&app, common::get("/reports?period=2026-03", &office)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A correction needs its reason; the reason typed stays on a refusal.
    let (status, _, html) = send(
        &app,
        post(
            &format!("/reports/{id}/correct"),
            &stats,
            "_form=correct&reason=+",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("请写明更正的原因"), "{html}");
    let body = format!("_form=correct&reason={}", enc("漏录一笔现金缴费"));
    let (status, _, _) = send(&app, post(&format!("/reports/{id}/correct"), &stats, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&app, &stats, "2026-03").await;
    assert!(
        html.contains("漏录一笔现金缴费") && html.contains("data-version=\"1\""),
        "{html}"
    );
}

on_both!(
    county_report,
    a_county_report_is_drafted_signed_and_corrected
);

/// T16 on the pages: the league's statistics head puts 2026 forward, the
/// agency head approves, and a visitor without an account reads the table
/// with its small counts shown as "—".
async fn the_league_publishes_a_table_the_public_reads(t: TestApp) {
    let TestApp { app, .. } = t;
    let visitor = |path: &str| {
        Request::get(path)
            .header(header::HOST, HOST)
            .body(Body::empty())
            .unwrap()
    };
    let (status, _, html) = send(&app, visitor("/public/statistics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("尚未公布统计资料"), "{html}");
    let reviewer = session(&app, "reviewer1").await;
    let (status, h, _) = send(&app, post("/publications", &reviewer, "year=2026")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{h:?}");
    let html = page(&app, &reviewer, "2026-03").await;
    assert!(
        html.contains("待批准") && html.contains("published-table"),
        "{html}"
    );
    let (status, _, html) = send(&app, post("/publications/1/approve", &reviewer, "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("医保经办机构负责人"), "{html}");
    let (_, _, html) = send(&app, visitor("/public/statistics")).await;
    assert!(html.contains("尚未公布统计资料"), "not before approval");
    let admin = session(&app, "admin").await;
    let (status, _, _) = send(&app, post("/publications/1/approve", &admin, "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, html) = send(&app, visitor("/public/statistics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("2026 年度城镇居民基本医疗保险参保人数"),
        "{html}"
    );
    // One enrolled person in 2026: under 5, hidden with every total.
    assert!(html.contains("<td class=\"num\">—"), "{html}");
    assert!(
        !html.contains("<td class=\"num\">1<"),
        "the count of 1 never sent: {html}"
    );
    assert!(!html.contains("王秀兰"), "no name");

    // 张榜公布: Ulanhot's statistician puts 2026's list forward, its head
    // publishes it, and a visitor reads names with masked ID numbers.
    let stats = session(&app, "stats1").await;
    let (status, _, _) = send(&app, post("/subsidy-notices", &stats, "year=1999")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(&app, post("/subsidy-notices", &stats, "year=2026")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = send(&app, visitor("/public/notices")).await;
    assert!(
        html.contains("尚未公布公示名单"),
        "not before approval: {html}"
    );
    let (status, _, _) = send(&app, post("/subsidy-notices/1/approve", &stats, "")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not by who put it forward"
    );
    let head = session(&app, "head1").await;
    let (status, _, _) = send(&app, post("/subsidy-notices/1/approve", &head, "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, html) = send(&app, visitor("/public/notices")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-notice=\"1\"") && html.contains("乌兰浩特"),
        "{html}"
    );
    assert!(
        !html.contains("低保") && !html.contains("dibao"),
        "never why: {html}"
    );
    let full_id = regex_free_full_id(&html);
    assert!(
        full_id.is_none(),
        "a full ID number on the notice: {full_id:?}"
    );
}

on_both!(publication, the_league_publishes_a_table_the_public_reads);

/// The league's desk and a report's files on the pages (T4-T6, T14, T15):
/// a due day typed in full-width digits, one out of range refused in
/// Chinese with nothing changed; the county late on every month listed;
/// the files in CSV and XLSX, each reading recorded; figures given outside
/// only once the head approved; a section hidden from reviewers; the
/// league's own report from the county's submitted version.
async fn the_league_schedules_and_a_county_reads_its_files(t: TestApp) {
    let TestApp { app, db, .. } = t;
    let admin = session(&app, "admin").await;
    let (status, _, html) = send(
        &app,
        post(
            "/reports/schedule",
            &admin,
            &format!(
                "_form=schedule-monthly&year=2026&frequency=monthly&due_days={}",
                enc("９１")
            ),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("0 至 90 天") && html.contains("value=\"９１\""),
        "kept: {html}"
    );
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_schedules")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing changed");
    let (status, _, _) = send(
        &app,
        post(
            "/reports/schedule",
            &admin,
            &format!("year=2026&frequency=monthly&due_days={}", enc("１０")),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stats_cookie = session(&app, "stats1").await;
    let (status, _, _) = send(
        &app,
        post(
            "/reports/schedule",
            &stats_cookie,
            "year=2026&frequency=yearly&due_days=5",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a county sets no schedule");

    let (id, stats) = submitted_march(&app, &db).await;
    let html = page(&app, &admin, "2026-03").await;
    assert!(
        html.contains("data-period=\"2026-02\" data-county=\"152201\" data-state=\"missing\""),
        "February never submitted: {html}"
    );
    assert!(html.contains("data-testid=\"access\""), "{html}");

    // The files, in the reader's language.
    let (status, h, csv) = send(&app, common::get(&format!("/reports/{id}/csv"), &stats)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        csv.starts_with("\u{feff}key,指标,上期,本期,变化,变化原因"),
        "{csv}"
    );
    assert!(
        csv.contains("subsidy_central_fen,中央财政应补助（元）,"),
        "{csv}"
    );
    let (status, h, _) = send(&app, common::get(&format!("/reports/{id}/xlsx"), &stats)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let office = session(&app, "office1").await;
    let (status, _, _) = send(&app, common::get(&format!("/reports/{id}/csv"), &office)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let head = session(&app, "head1").await;
    let html = page(&app, &head, "2026-03").await;
    assert!(
        html.contains("data-testid=\"reads\"") && html.contains("导出 Excel"),
        "{html}"
    );

    // T14: outside only once the head approved.
    let (status, _, html) = send(
        &app,
        post(
            &format!("/reports/{id}/release"),
            &stats,
            &format!("_form=release&recipient=+&purpose={}", enc("年鉴")),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("请填写接收单位和用途") && html.contains("年鉴"),
        "kept: {html}"
    );
    let body = format!(
        "_form=release&recipient={}&purpose={}",
        enc("盟统计局"),
        enc("统计年鉴")
    );
    let (status, _, _) = send(&app, post(&format!("/reports/{id}/release"), &stats, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let release: i64 = sqlx::query_scalar("SELECT id FROM data_releases")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (status, _, _) = send(
        &app,
        common::get(&format!("/releases/{release}/csv"), &stats),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not approved yet");
    let (status, _, _) = send(
        &app,
        post(&format!("/releases/{release}/approve"), &stats, ""),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not by the one who asked"
    );
    let (status, _, _) = send(
        &app,
        post(&format!("/releases/{release}/approve"), &head, ""),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, csv) = send(
        &app,
        common::get(&format!("/releases/{release}/csv"), &stats),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("premiums,"), "{csv}");

    // T15: the persons hidden from reviewers, still there for the head.
    let ticked: Vec<String> = ["persons", "premiums", "claims", "fund", "subsidy"]
        .iter()
        .flat_map(|s| {
            ["agency_reviewer", "agency_admin"]
                .iter()
                .filter(move |r| !(*s == "persons" && **r == "agency_reviewer"))
                .map(move |r| format!("{s}%3A{r}=1"))
        })
        .collect();
    let (status, _, _) = send(&app, post("/reports/access", &admin, &ticked.join("&"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&app, &stats, "2026-03").await;
    assert!(
        !html.contains("data-section=\"persons\"") && html.contains("data-section=\"premiums\""),
        "{html}"
    );
    assert!(html.contains("部分类别您无权查阅"), "{html}");
    let (_, _, csv) = send(&app, common::get(&format!("/reports/{id}/csv"), &stats)).await;
    assert!(
        !csv.contains("\r\nenrolled,") && csv.contains("\r\npremiums,"),
        "{csv}"
    );
    let html = page(&app, &head, "2026-03").await;
    assert!(html.contains("data-section=\"persons\""), "{html}");

    // The league's own report: from the county's submitted version.
    let (status, _, _) = send(&app, post("/reports/draft", &admin, "period=2026-03")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&app, &admin, "2026-03").await;
    assert!(
        html.contains("data-testid=\"sources\"") && html.contains("152201 v1"),
        "{html}"
    );
    // T11: the quarterly analysis, charts drawn on the server.
    let (status, _, html) = send(&app, common::get("/reports/analysis?year=2026", &admin)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<svg viewBox=\"0 0 320 180\" role=\"img\""),
        "{html}"
    );
    assert!(
        html.contains("data-county=\"152201\"") && html.contains("data-quarter=\"2026-Q4\""),
        "{html}"
    );
    assert!(
        !html.contains("modulepreload"),
        "server-rendered only: {html}"
    );
    let (status, _, _) = send(&app, common::get("/reports/analysis?year=1999", &admin)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(&app, common::get("/reports/analysis?year=2026", &office)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

on_both!(
    league_desk,
    the_league_schedules_and_a_county_reads_its_files
);

/// The first run of 18 ID characters (17 digits and a digit or X) in `html`.
fn regex_free_full_id(html: &str) -> Option<String> {
    let chars: Vec<char> = html.chars().collect();
    chars.windows(18).find_map(|w| {
        let ok =
            w[..17].iter().all(char::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == 'X');
        ok.then(|| w.iter().collect())
    })
}
