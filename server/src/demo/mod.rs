//! `portal seed --demo`: a demo league built through the same services the
//! pages use, so every record has its audit entry. Running it twice changes
//! nothing the second time.

// The demo league (histories and households of a year) and its claims.
pub mod claims;
pub mod league;
pub mod population;

use db::accounts::NewUser;
use db::audit::By;
use db::orgs::OrgUnit;
use db::scope::Role;
use db::Db;
use serde_json::json;

/// The password of every demo account (README says so; never use it for real data).
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// The demo log-ins: username, role, what they are.
pub const DEMO_LOGINS: &[(&str, &str, &str)] = &[
    (
        "admin",
        "agency_admin",
        "兴安盟医疗保险管理局管理员 / league agency administrator",
    ),
    (
        "reviewer1",
        "agency_reviewer",
        "审核员一 / first agency reviewer",
    ),
    (
        "reviewer2",
        "agency_reviewer",
        "审核员二 / second agency reviewer",
    ),
    (
        "stats1",
        "agency_reviewer",
        "乌兰浩特市医保局统计员 / Ulanhot agency statistician (reports: preparer)",
    ),
    (
        "section1",
        "agency_reviewer",
        "乌兰浩特市医保局科长 / Ulanhot agency section head",
    ),
    (
        "head1",
        "agency_admin",
        "乌兰浩特市医保局局长 / Ulanhot agency head",
    ),
    (
        "office1",
        "office_agent",
        "和平街道劳动保障事务所 / Heping Street community office",
    ),
    (
        "office2",
        "office_agent",
        "巴彦呼舒镇劳动保障事务所 / Bayanhushu town office",
    ),
    (
        "school1",
        "school_agent",
        "乌兰浩特市第一中学 / Ulanhot No. 1 Middle School",
    ),
    (
        "resident1",
        "resident",
        "王秀兰的家庭 / Wang Xiulan's household",
    ),
    (
        "resident2",
        "resident",
        "张桂芳的家庭 / Zhang Guifang's household (claims)",
    ),
];

fn org(code: &str, kind: &str, zh: &str, en: &str, county: Option<&str>) -> OrgUnit {
    OrgUnit {
        code: code.into(),
        kind: kind.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        county_code: county.map(Into::into),
    }
}

/// Appends the GB 11643 check character to the first 17 characters (which
/// the demo always writes as digits).
pub fn with_check(first17: &str) -> String {
    match policy::idcard::check_character(first17) {
        Ok(check) => format!("{first17}{check}"),
        Err(_) => first17.to_string(),
    }
}

/// How much of the demo league to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The named log-ins and their households only: what router tests need.
    Core,
    /// Everything `portal seed --demo` builds: two policy years of a league
    /// of thousands of persons.
    Full,
    /// The same league with a tenth of the population (`seed --demo
    /// --sample`): every category, tier, channel and claim kind still, in
    /// the time a debug build of the tests can give it.
    Sample,
}

impl Scale {
    /// The share of the full population, in per cent.
    fn percent(self) -> u32 {
        match self {
            Scale::Core => 0,
            Scale::Sample => 10,
            Scale::Full => 100,
        }
    }
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    seed_with(db, Scale::Full).await
}

pub async fn seed_with(db: &Db, scale: Scale) -> anyhow::Result<()> {
    // The claims' photos go where the server keeps uploads (PORTAL_DATA_DIR).
    let settings = crate::Settings::from_env()?;
    let store: db::documents::Store =
        std::sync::Arc::new(db::documents::LocalFolder::new(&settings.data_dir));
    seed_with_store(db, scale, &store).await
}

/// The demo league, its claim documents in `store`.
pub async fn seed_with_store(
    db: &Db,
    scale: Scale,
    store: &db::documents::Store,
) -> anyhow::Result<()> {
    // The demo's own office marks a seeded database; the league agency may
    // already exist (the first administrator's `create-user` makes it).
    if db::orgs::get(db, "152201-O01").await?.is_some() {
        println!("demo league already present: nothing to do");
        print_logins();
        return Ok(());
    }
    let sys = || By::System("seed-demo");
    for o in [
        org(
            "152200",
            "league_agency",
            "兴安盟医疗保险管理局",
            "Xing'an League Medical Insurance Agency",
            None,
        ),
        org(
            "152201",
            "county_agency",
            "乌兰浩特市医疗保险管理局",
            "Ulanhot City Medical Insurance Agency",
            Some("152201"),
        ),
        org(
            "152222",
            "county_agency",
            "科右中旗医疗保险管理局",
            "Horqin Right Middle Banner Medical Insurance Agency",
            Some("152222"),
        ),
        org(
            "152201-O01",
            "office",
            "和平街道劳动保障事务所",
            "Heping Street Labour Security Office",
            Some("152201"),
        ),
        org(
            "152222-O01",
            "office",
            "巴彦呼舒镇劳动保障事务所",
            "Bayanhushu Town Labour Security Office",
            Some("152222"),
        ),
        org(
            "152201-S01",
            "school",
            "乌兰浩特市第一中学",
            "Ulanhot No. 1 Middle School",
            Some("152201"),
        ),
    ] {
        if db::orgs::get(db, &o.code).await?.is_none() {
            db::orgs::create(db, sys(), &o).await?;
        }
    }
    let h1 = db::households::create(
        db,
        sys(),
        "152201-O01",
        "152201-2026-000001",
        "乌兰浩特市和平街道兴安路12号",
    )
    .await?;
    let h2 = db::households::create(
        db,
        sys(),
        "152222-O01",
        "152222-2026-000001",
        "科右中旗巴彦呼舒镇团结街8号",
    )
    .await?;
    // The RULES-API `person` facts, as an office or school records them.
    let facts = |id: &str, birth: &str, sex: &str, in_school: bool| {
        json!({"id_number": id, "birth_date": birth, "sex": sex, "in_school": in_school, "employee_insured": false,
               "flexible_employment": false, "ncms_enrolled": false, "migrant_worker_child": false, "dibao": false,
               "disability_grade": null, "low_income_household": false, "hukou_moved_in_year": null})
    };
    let id_wang = with_check("15220119600315262");
    let id_li = with_check("15220120100708101");
    let id_bater = with_check("15222219550101301");
    let wang = db::households::add_person(
        db,
        sys(),
        &id_wang,
        "王秀兰",
        Some(h1),
        None,
        &facts(&id_wang, "1960-03-15", "female", false),
    )
    .await?;
    let li = db::households::add_person(
        db,
        sys(),
        &id_li,
        "李小明",
        Some(h1),
        Some("152201-S01"),
        &facts(&id_li, "2010-07-08", "male", true),
    )
    .await?;
    let bater = db::households::add_person(
        db,
        sys(),
        &id_bater,
        "巴特尔",
        Some(h2),
        None,
        &facts(&id_bater, "1955-01-01", "male", false),
    )
    .await?;
    // username, name, role, organisation, household
    type DemoAccount<'a> = (&'a str, &'a str, Role, Option<&'a str>, Option<i64>);
    let accounts: [DemoAccount; 10] = [
        (
            "admin",
            "管理员 高娜",
            Role::AgencyAdmin,
            Some("152200"),
            None,
        ),
        (
            "reviewer1",
            "审核员 刘洋",
            Role::AgencyReviewer,
            Some("152200"),
            None,
        ),
        (
            "reviewer2",
            "审核员 陈静",
            Role::AgencyReviewer,
            Some("152200"),
            None,
        ),
        (
            "office1",
            "经办人 赵敏",
            Role::OfficeAgent,
            Some("152201-O01"),
            None,
        ),
        (
            "office2",
            "经办人 那仁",
            Role::OfficeAgent,
            Some("152222-O01"),
            None,
        ),
        (
            "school1",
            "经办人 孙老师",
            Role::SchoolAgent,
            Some("152201-S01"),
            None,
        ),
        ("resident1", "王秀兰", Role::Resident, None, Some(h1)),
        // The county agency's three signatures of a statistical report (T10).
        (
            "stats1",
            "统计员 白雪",
            Role::AgencyReviewer,
            Some("152201"),
            None,
        ),
        (
            "section1",
            "科长 乌云",
            Role::AgencyReviewer,
            Some("152201"),
            None,
        ),
        (
            "head1",
            "局长 包明",
            Role::AgencyAdmin,
            Some("152201"),
            None,
        ),
    ];
    for (username, name, role, org, household) in accounts {
        db::accounts::create_user(
            db,
            sys(),
            NewUser {
                username: username.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                role,
                org_code: org.map(Into::into),
                household_id: household,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo account {username}: {}", e.code()))?;
    }
    // Enrolments for the newest policy year, through the same services the pages use:
    // two approved, one waiting in the agency's queue.
    // 王秀兰 heads her household and 李小明 is her grandson; her account is
    // hers (its ID number), so what she pays and files for him is recorded
    // as a relative's (db::acting).
    for (person, relation) in [(wang, "head"), (li, "grandchild")] {
        sqlx::query(
            "INSERT INTO household_members (person_id, household_id, relation) VALUES ($1, $2, $3)",
        )
        .bind(person)
        .bind(h1)
        .bind(relation)
        .execute(&db.pool)
        .await?;
    }
    sqlx::query("UPDATE users SET id_number = $1 WHERE username = 'resident1'")
        .bind(&id_wang)
        .execute(&db.pool)
        .await?;
    let rules = db::policy_years::load(db).await?;
    let year = rules
        .years
        .keys()
        .next_back()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no policy year"))?;
    let actor = |name: &'static str| async move {
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(name)
            .fetch_one(&db.pool)
            .await?;
        db::accounts::actor_by_id(db, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account {name}"))
    };
    let (office1, office2, school1, reviewer1) = (
        actor("office1").await?,
        actor("office2").await?,
        actor("school1").await?,
        actor("reviewer1").await?,
    );
    for (agent, person, approve) in [
        (&office1, wang, true),
        (&school1, li, true),
        (&office2, bater, false),
    ] {
        let e = db::enrolment::register(db, &rules, agent, person, year).await?;
        db::enrolment::submit(db, agent, e).await?;
        if approve {
            db::enrolment::approve(db, &reviewer1, e).await?;
        }
    }
    let agents = league::Agents {
        office1,
        office2,
        school1,
        reviewer1,
        reviewer2: actor("reviewer2").await?,
    };
    let history = league::histories(db, &rules, &agents, wang).await?;
    if scale != Scale::Core {
        league::households(db, &rules, &agents, year).await?;
        claims::claims(db, &rules, store, &agents, &history, wang).await?;
        let admin = actor("admin").await?;
        population::build(db, &rules, store, &agents, &admin, scale.percent()).await?;
    }
    println!("demo league created");
    print_logins();
    Ok(())
}

pub fn print_logins() {
    println!("demo log-ins (password for all: {DEMO_PASSWORD}):");
    for (user, role, what) in DEMO_LOGINS {
        println!("  {user:<10} {role:<16} {what}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_character_matches_the_examples() {
        assert_eq!(super::with_check("15222220071223147"), "152222200712231473");
        assert_eq!(super::with_check("15220119460202174"), "15220119460202174X");
    }
}
