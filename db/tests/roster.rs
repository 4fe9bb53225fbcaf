//! School rosters, the same bodies on SQLite and on PostgreSQL: every bad row
//! reported with its reasons, a dry run that writes no pupil, an import whose
//! second run changes nothing, GBK and XLSX files, files refused whole,
//! concurrent imports of one file, the bad rows fixed and uploaded again,
//! and pupils who graduate or leave.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::pupils::{pupil_id, pupil_name, roster_csv, HEADER};
use common::workbook::{self, xlsx};
use db::accounts::{LoginOutcome, NewUser};
use db::audit::By;
use db::orgs::OrgUnit;
use db::roster::{self, Leaving, Mode, Report};
use db::scope::Role;
use db::{Db, Error};
use policy::params::Rules;
use serde_json::json;

const PW: &str = "correct horse";
const YEAR: i32 = 2026;
/// The day pupils leave in these stories: in 2026, so 2026 is "this year".
const TODAY: &str = "2026-11-24";

fn org(code: &str, kind: &str, county: &str) -> OrgUnit {
    OrgUnit {
        code: code.into(),
        kind: kind.into(),
        name_zh: format!("机构{code}"),
        name_en: format!("Org {code}"),
        county_code: Some(county.into()),
    }
}

/// A school SA and another SB, an office OA with a household, their agents.
async fn setup(db: &Db) -> i64 {
    for o in [
        org("CA", "county_agency", "152201"),
        org("OA", "office", "152201"),
        org("SA", "school", "152201"),
        org("SB", "school", "152201"),
    ] {
        db::orgs::create(db, By::System("test"), &o).await.unwrap();
    }
    let household = db::households::create(db, By::System("test"), "OA", "A-1", "A street")
        .await
        .unwrap();
    for (u, role, org) in [
        ("sch_a", Role::SchoolAgent, "SA"),
        ("sch_b", Role::SchoolAgent, "SB"),
        ("off_a", Role::OfficeAgent, "OA"),
        ("rev_a", Role::AgencyReviewer, "CA"),
    ] {
        db::accounts::create_user(
            db,
            By::System("test"),
            NewUser {
                username: u.into(),
                display_name: u.into(),
                password: PW.into(),
                role,
                org_code: Some(org.into()),
                household_id: None,
            },
        )
        .await
        .unwrap();
    }
    household
}

async fn actor(db: &Db, username: &str) -> db::Actor {
    match db::accounts::login(db, username, PW, "127.0.0.1")
        .await
        .unwrap()
    {
        LoginOutcome::Ok(a) => a,
        other => panic!("{username} could not log in: {other:?}"),
    }
}

fn rules() -> Rules {
    Rules::try_builtin().unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}

/// What a run may have changed: persons, enrolments, audit entries.
async fn footprint(db: &Db) -> (i64, i64, i64) {
    (
        count(db, "SELECT COUNT(*) FROM persons").await,
        count(db, "SELECT COUNT(*) FROM enrolments").await,
        count(db, "SELECT COUNT(*) FROM audit_log").await,
    )
}

async fn import(db: &Db, who: &db::Actor, bytes: &[u8], mode: Mode) -> db::Result<Report> {
    roster::run(db, &rules(), who, YEAR, "花名册.csv", bytes, mode).await
}

/// What a file refused whole leaves as it was: persons, enrolments, audit
/// entries, and the runs of checks and imports.
async fn trace(db: &Db) -> ((i64, i64, i64), i64) {
    let runs = count(db, "SELECT COUNT(*) FROM roster_imports").await;
    (footprint(db).await, runs)
}

/// The refusal of a file that must be refused whole.
async fn refusal(db: &Db, who: &db::Actor, bytes: &[u8]) -> Error {
    match import(db, who, bytes, Mode::Import).await {
        Err(e) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn reasons_of(r: &Report, line: u32) -> Vec<String> {
    r.bad
        .iter()
        .find(|b| b.line == line)
        .unwrap_or_else(|| panic!("row {line} is not reported bad: {:?}", r.bad))
        .reasons
        .clone()
}

/// Rows 2–4 good; then one bad row per reason (the comment names the row).
async fn mixed_file(db: &Db, household: i64) -> String {
    // Pupil 50 is enrolled by the office already; pupil 51 is on school SB's roster.
    let facts = json!({"in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false, "disability_grade": null,
        "low_income_household": false, "hukou_moved_in_year": null});
    let office = actor(db, "off_a").await;
    let elsewhere = db::households::add_person(
        db,
        By::User(&office),
        &pupil_id(50),
        &pupil_name(50),
        Some(household),
        None,
        &facts,
    )
    .await
    .unwrap();
    db::enrolment::register(db, &rules(), &office, elsewhere, YEAR)
        .await
        .unwrap();
    let other_school = actor(db, "sch_b").await;
    db::households::add_person(
        db,
        By::User(&other_school),
        &pupil_id(51),
        &pupil_name(51),
        None,
        Some("SB"),
        &facts,
    )
    .await
    .unwrap();

    let mut bad_check = pupil_id(7);
    bad_check.replace_range(17..18, if bad_check.ends_with('1') { "2" } else { "1" });
    let rows = [
        format!("{},{},一年级1班,本地,否,,否", pupil_id(1), pupil_name(1)), // 2 good
        format!("{},{},一年级1班,外来,是,,否", pupil_id(2), pupil_name(2)), // 3 good: migrant child, assisted
        format!("{},{},,,,,", pupil_id(3), pupil_name(3)), // 4 good: facts left empty
        format!("{},,一年级1班,本地,否,,否", pupil_id(4)), // 5 missing name
        format!(",{},一年级1班,本地,否,,否", pupil_name(5)), // 6 missing identity number
        format!("{bad_check},{},一年级1班,本地,否,,否", pupil_name(7)), // 7 check character
        format!("{},{},一年级1班,本地,否,,否", pupil_id(1), pupil_name(1)), // 8 duplicate of row 2
        format!("{},{},一年级1班,本地,否,,是", pupil_id(8), pupil_name(8)), // 9 in NCMS: refused
        format!("{},{},一年级1班,火星,也许,9,否", pupil_id(9), pupil_name(9)), // 10 three bad values
        format!("{},{},一年级1班,本地,否,,否", pupil_id(50), pupil_name(50)), // 11 enrolled by the office
        format!("{},{},一年级1班,本地,否,,否", pupil_id(51), pupil_name(51)), // 12 school SB's pupil
    ];
    format!("{HEADER}\r\n{}\r\n", rows.join("\r\n"))
}

async fn good_and_bad_rows_dry_run_import_and_again(db: Db) {
    let household = setup(&db).await;
    let file = mixed_file(&db, household).await;
    let school = actor(&db, "sch_a").await;

    let before = footprint(&db).await;
    let dry = import(&db, &school, file.as_bytes(), Mode::DryRun)
        .await
        .unwrap();
    assert_eq!(footprint(&db).await, before, "a dry run writes no pupil");
    assert_eq!(
        (dry.rows_total, dry.rows_imported, dry.rows_already),
        (11, 3, 0)
    );
    assert_eq!(dry.bad.len(), 8);
    assert_eq!(reasons_of(&dry, 5), ["missing_name"]);
    assert_eq!(reasons_of(&dry, 6), ["missing_id_number"]);
    assert_eq!(reasons_of(&dry, 7), ["id:bad_checksum"]);
    assert_eq!(reasons_of(&dry, 8), ["duplicate_in_file"]);
    assert_eq!(reasons_of(&dry, 9), ["ncms_enrolled"]);
    assert_eq!(
        reasons_of(&dry, 10),
        ["bad_hukou", "bad_yes_no", "bad_disability_grade"]
    );
    assert_eq!(reasons_of(&dry, 11), ["enrolled_elsewhere"]);
    assert_eq!(reasons_of(&dry, 12), ["pupil_of_other_school"]);
    assert_eq!(dry.bad[0].name, "");
    assert_eq!(dry.bad[0].cells[0], pupil_id(4));

    let done = import(&db, &school, file.as_bytes(), Mode::Import)
        .await
        .unwrap();
    assert_eq!(
        (done.rows_imported, done.rows_already, done.bad.len()),
        (3, 0, 8)
    );
    let after = footprint(&db).await;
    // Three persons, three enrolments; two entries a pupil and one for the batch.
    assert_eq!(after, (before.0 + 3, before.1 + 3, before.2 + 7));
    let list = db::enrolment::list_for_actor(&db, &school, &Default::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 3);
    for e in &list {
        assert_eq!(
            e.category.code(),
            if e.id_number == pupil_id(2) {
                "migrant_child"
            } else {
                "student"
            }
        );
        assert_eq!(e.registrar.code(), "school");
        assert_eq!(e.registrar_org, "SA");
        assert_eq!(e.status, db::enrolment::Status::Draft);
    }
    let migrant = list.iter().find(|e| e.id_number == pupil_id(2)).unwrap();
    assert_eq!(migrant.tier.code(), "minor_assisted");
    assert!(
        db::audit::history(&db, "enrolment", &migrant.id.to_string())
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "enrolment.register" && e.actor.contains("sch_a"))
    );
    let batch = db::audit::history(&db, "roster_import", &done.run_id.to_string())
        .await
        .unwrap();
    assert_eq!(batch.len(), 1);
    assert!(batch[0]
        .after_json
        .as_deref()
        .unwrap()
        .contains("\"rows_imported\":3"));
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
    let class: Option<String> =
        sqlx::query_scalar("SELECT school_class FROM persons WHERE id_number = $1")
            .bind(pupil_id(1))
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(class.as_deref(), Some("一年级1班"));

    // The same file again changes nothing: its good rows are already imported.
    let again = import(&db, &school, file.as_bytes(), Mode::Import)
        .await
        .unwrap();
    assert_eq!(
        (again.rows_imported, again.rows_already, again.bad.len()),
        (0, 3, 8)
    );
    assert_eq!(footprint(&db).await, after);

    // The report stays for the school that made it, and no one else.
    assert_eq!(
        roster::report(&db, &school, done.run_id).await.unwrap(),
        done
    );
    let other = actor(&db, "sch_b").await;
    assert!(matches!(
        roster::report(&db, &other, done.run_id).await,
        Err(Error::Forbidden)
    ));
}
both!(
    good_and_bad_rows,
    good_and_bad_rows_dry_run_import_and_again
);

async fn gbk_and_utf8_files_read_alike(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let text = roster_csv(100, 20);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert_ne!(gbk.as_ref(), text.as_bytes(), "the file must really be GBK");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let from_gbk = import(&db, &school, &gbk, Mode::DryRun).await.unwrap();
    let from_utf8 = import(&db, &school, &bom, Mode::DryRun).await.unwrap();
    assert_eq!((from_gbk.rows_imported, from_gbk.bad.len()), (20, 0));
    assert_eq!((from_utf8.rows_imported, from_utf8.bad.len()), (20, 0));
    assert_eq!(from_gbk.header, from_utf8.header);
    assert_eq!(from_gbk.header[1], "姓名");
    let done = import(&db, &school, &gbk, Mode::Import).await.unwrap();
    assert_eq!(done.rows_imported, 20);
    let name: String = sqlx::query_scalar("SELECT name FROM persons WHERE id_number = $1")
        .bind(pupil_id(105))
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(name, pupil_name(105));
}
both!(gbk_file, gbk_and_utf8_files_read_alike);

async fn xlsx_roster_imports(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let mut rows: Vec<Vec<String>> = vec![HEADER.split(',').map(String::from).collect()];
    for n in 200..210 {
        rows.push(vec![
            pupil_id(n),
            pupil_name(n),
            "二年级3班".into(),
            "本地".into(),
            "否".into(),
            String::new(),
            "否".into(),
        ]);
    }
    rows.push(vec!["152201".into(), "短号".into()]);
    let file = xlsx(&rows);
    assert!(file.starts_with(b"PK"));
    let r = import(&db, &school, &file, Mode::Import).await.unwrap();
    assert_eq!((r.rows_total, r.rows_imported, r.bad.len()), (11, 10, 1));
    assert_eq!(r.bad[0].line, 12);
    assert_eq!(r.bad[0].reasons, ["id:bad_length"]);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 10);
}
both!(xlsx_file, xlsx_roster_imports);

async fn unreadable_files_are_refused_whole(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let before = trace(&db).await;
    let mut too_big = roster_csv(0, 10).into_bytes();
    too_big.resize(roster::MAX_FILE_BYTES + 1, b' ');
    let pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\x00\x01".to_vec();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00".to_vec();
    let broken_zip = b"PK\x03\x04 this is no workbook".to_vec();
    let header_only = format!("{HEADER}\r\n\r\n");
    let cases: [(&[u8], &str); 8] = [
        (&too_big, "file_too_big"),
        (pdf.as_slice(), "file_kind"),
        (png.as_slice(), "file_kind"),
        (xls.as_slice(), "file_kind"),
        (broken_zip.as_slice(), "file_kind"),
        (b"", "file_empty"),
        (header_only.as_bytes(), "file_empty"),
        ("学号,名字\r\n1,张三\r\n".as_bytes(), "file_header"),
    ];
    for (bytes, code) in cases {
        assert_eq!(refusal(&db, &school, bytes).await.code(), code);
    }
    // Only a school agent imports a roster.
    let office = actor(&db, "off_a").await;
    assert!(matches!(
        import(&db, &office, roster_csv(0, 2).as_bytes(), Mode::Import).await,
        Err(Error::Forbidden)
    ));
    let reviewer = actor(&db, "rev_a").await;
    assert!(matches!(
        import(&db, &reviewer, roster_csv(0, 2).as_bytes(), Mode::DryRun).await,
        Err(Error::Forbidden)
    ));
    assert_eq!(trace(&db).await, before);
}
both!(unreadable_files, unreadable_files_are_refused_whole);

/// Issue #14, finding 1: workbooks that would make the reader allocate a
/// grid of billions of cells, or unpack to gigabytes, are refused whole
/// before anything is allocated or unpacked, and nothing is written. Before
/// the fix, the first of them aborted the process. CSV files are held to
/// the same shape (blank lines count as rows, as in a spreadsheet).
async fn malicious_workbooks_are_refused_whole(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let before = trace(&db).await;
    let corner = workbook::far_corner();
    assert!(corner.len() < 4096, "{} bytes", corner.len());
    let bomb = workbook::shared_strings_bomb(60);
    assert!(bomb.len() < roster::MAX_FILE_BYTES, "{} bytes", bomb.len());
    let wide_csv = format!("{HEADER}{}\r\n", ",x".repeat(60));
    let long_csv = format!("{HEADER}\r\n{}{},王\r\n", "\n".repeat(30_000), pupil_id(1));
    let cases: [(Vec<u8>, &str); 7] = [
        (wide_csv.into_bytes(), "file_too_wide"),
        (long_csv.into_bytes(), "file_too_many_rows"),
        (corner, "file_too_wide"),
        (workbook::far_corner_undeclared(), "file_too_wide"),
        (workbook::far_bottom(), "file_too_many_rows"),
        (bomb, "file_unpacks_too_big"),
        (workbook::many_megabytes(60), "file_unpacks_too_big"),
    ];
    for (bytes, code) in cases {
        let e = refusal(&db, &school, &bytes).await;
        assert_eq!((e.code(), e.status()), (code, 413));
    }
    assert_eq!(trace(&db).await, before);
}
both!(malicious_workbooks, malicious_workbooks_are_refused_whole);

async fn concurrent_imports_write_each_pupil_once(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let file = roster_csv(300, 200);
    let run = |db: Db, who: db::Actor, file: String| async move {
        roster::run(
            &db,
            &rules(),
            &who,
            YEAR,
            "a.csv",
            file.as_bytes(),
            Mode::Import,
        )
        .await
    };
    let a = tokio::spawn(run(db.clone(), school.clone(), file.clone()));
    let b = tokio::spawn(run(db.clone(), school.clone(), file.clone()));
    let (a, b) = (a.await.unwrap().unwrap(), b.await.unwrap().unwrap());
    let mut split = [
        (a.rows_imported, a.rows_already),
        (b.rows_imported, b.rows_already),
    ];
    split.sort();
    assert_eq!(split, [(0, 200), (200, 0)]);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 200);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM persons WHERE school_code = 'SA'").await,
        200
    );
    assert_eq!(db::audit::verify(&db).await.unwrap().first_broken, None);
}
both!(concurrent_imports, concurrent_imports_write_each_pupil_once);

async fn bad_rows_fixed_and_uploaded_again(db: Db) {
    setup(&db).await;
    let school = actor(&db, "sch_a").await;
    let mut file = roster_csv(400, 5);
    file.push_str(&format!("{},,三年级2班,本地,否,,否\r\n", pupil_id(405)));
    file.push_str(&format!(
        "{},{},\"三年级2班, 东\",本地,不知道,,否\r\n",
        pupil_id(406),
        pupil_name(406)
    ));
    // Checked first, then imported from the dry run without uploading again.
    let dry = import(&db, &school, file.as_bytes(), Mode::DryRun)
        .await
        .unwrap();
    assert_eq!((dry.rows_imported, dry.bad.len()), (5, 2));
    let first = roster::import_checked(&db, &rules(), &school, dry.run_id)
        .await
        .unwrap();
    assert_eq!((first.rows_imported, first.from_run), (5, Some(dry.run_id)));
    assert!(matches!(
        roster::import_checked(&db, &rules(), &school, first.run_id).await,
        Err(ref e) if e.code() == "state_changed"
    ));

    let csv = roster::bad_rows_csv(&first, "原因", &|code| format!("<{code}>"));
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], format!("{HEADER},原因"));
    assert_eq!(lines.len(), 3);
    assert!(lines[1].ends_with("<missing_name>"), "{}", lines[1]);
    assert!(
        lines[2].contains("\"三年级2班, 东\"") && lines[2].ends_with("<bad_yes_no>"),
        "{}",
        lines[2]
    );

    // The school fills in the name and the 低保 answer; the reason column stays and is ignored.
    let fixed = csv
        .replace(
            &format!("{},,", pupil_id(405)),
            &format!("{},{},", pupil_id(405), pupil_name(405)),
        )
        .replace("不知道", "否");
    let again = import(&db, &school, fixed.as_bytes(), Mode::Import)
        .await
        .unwrap();
    assert_eq!(
        (again.rows_imported, again.rows_already, again.bad.len()),
        (2, 0, 0)
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 7);
    let class: Option<String> =
        sqlx::query_scalar("SELECT school_class FROM persons WHERE id_number = $1")
            .bind(pupil_id(406))
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(class.as_deref(), Some("三年级2班, 东"));
}
both!(fix_and_upload_again, bad_rows_fixed_and_uploaded_again);

async fn graduates_leave_the_school(db: Db) {
    let household = setup(&db).await;
    let school = actor(&db, "sch_a").await;
    import(&db, &school, roster_csv(500, 3).as_bytes(), Mode::Import)
        .await
        .unwrap();
    // Next year's roster too: drafts for 2027.
    roster::run(
        &db,
        &rules(),
        &school,
        YEAR + 1,
        "花名册.csv",
        roster_csv(500, 3).as_bytes(),
        Mode::Import,
    )
    .await
    .unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 6);
    let before = db::households::list_persons(&db, &school, 100)
        .await
        .unwrap();
    assert_eq!(before.len(), 3);
    roster::mark_left(
        &db,
        &school,
        &pupil_id(500),
        Leaving::Graduated,
        TODAY.parse().unwrap(),
    )
    .await
    .unwrap();
    let after = db::households::list_persons(&db, &school, 100)
        .await
        .unwrap();
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|p| p.id_number != pupil_id(500)));
    // This year's enrolment stands; next year's draft is withdrawn, so the
    // office can enrol them; the person is no longer in school.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 5);
    let years: Vec<i64> = sqlx::query_scalar(
        "SELECT e.policy_year FROM enrolments e JOIN persons p ON p.id = e.person_id WHERE p.id_number = $1",
    )
    .bind(pupil_id(500))
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(years, vec![i64::from(YEAR)]);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'enrolment.withdraw'"
        )
        .await,
        1
    );
    let (pid, facts): (i64, String) =
        sqlx::query_as("SELECT id, facts_json FROM persons WHERE id_number = $1")
            .bind(pupil_id(500))
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(facts.contains("\"in_school\":false"), "{facts}");
    let history = db::audit::history(&db, "person", &pid.to_string())
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.action, "person.leave_school");
    assert!(last.after_json.as_deref().unwrap().contains("graduated"));
    // Not the school's pupil any more; another school's agent cannot do it either.
    assert!(matches!(
        roster::mark_left(
            &db,
            &school,
            &pupil_id(500),
            Leaving::Left,
            TODAY.parse().unwrap()
        )
        .await,
        Err(ref e) if e.code() == "not_our_pupil"
    ));
    let other = actor(&db, "sch_b").await;
    assert!(matches!(
        roster::mark_left(
            &db,
            &other,
            &pupil_id(501),
            Leaving::Left,
            TODAY.parse().unwrap()
        )
        .await,
        Err(ref e) if e.code() == "not_our_pupil"
    ));
    let office = actor(&db, "off_a").await;
    assert!(matches!(
        roster::mark_left(
            &db,
            &office,
            &pupil_id(501),
            Leaving::Left,
            TODAY.parse().unwrap()
        )
        .await,
        Err(Error::Forbidden)
    ));

    // The leaver's office takes them over into a household: the same person,
    // their record and enrolments kept; a pupil still at school is not theirs
    // to take, and another name for the same number is refused.
    let facts = serde_json::json!({
        "in_school": false, "employee_insured": false, "flexible_employment": false,
        "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
        "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null,
    });
    let by = || db::audit::By::User(&office);
    assert!(matches!(
        db::households::add_person(
            &db,
            by(),
            &pupil_id(500),
            "别人",
            Some(household),
            None,
            &facts
        )
        .await,
        Err(ref e) if e.code() == "name_differs"
    ));
    assert!(matches!(
        db::households::add_person(
            &db,
            by(),
            &pupil_id(501),
            &pupil_name(501),
            Some(household),
            None,
            &facts
        )
        .await,
        Err(ref e) if e.code() == "person_exists"
    ));
    let taken = db::households::add_person(
        &db,
        by(),
        &pupil_id(500),
        &pupil_name(500),
        Some(household),
        None,
        &facts,
    )
    .await
    .unwrap();
    assert_eq!(taken, pid, "the same person, not a second record");
    let hh: Option<i64> = sqlx::query_scalar("SELECT household_id FROM persons WHERE id = $1")
        .bind(pid)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(hh, Some(household));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enrolments").await, 5);
    let history = db::audit::history(&db, "person", &pid.to_string())
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().action, "person.take_over");
    assert!(db::households::get_person(&db, &office, pid).await.is_ok());
}
both!(graduates, graduates_leave_the_school);
