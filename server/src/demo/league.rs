//! The demo league at scale, through the same services the pages use: a few
//! hundred households in every category and tier registered for the newest
//! year (most approved, some waiting, some sent back), cash collected this
//! month (some of it late to declare), and contribution histories over the
//! parameter years on file: second-year residents, a lapsed resident and a
//! back-paid one, with the 1 May sweeps run over them.

use chrono::NaiveDate;
use db::audit::By;
use db::enrolment::Status;
use db::{Actor, Db};
use policy::params::Rules;
use serde_json::{json, Value};

use super::with_check;

/// The agents the demo acts as.
pub struct Agents {
    pub office1: Actor,
    pub office2: Actor,
    pub school1: Actor,
    pub reviewer1: Actor,
    pub reviewer2: Actor,
}

/// Households per office: with 1–3 members each, about 480 residents in all.
const HOUSEHOLDS_PER_OFFICE: u32 = 120;
const PUPILS: u32 = 90;

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "包", "白",
];
pub(crate) const GIVEN: [&str; 12] = [
    "秀英",
    "建国",
    "桂兰",
    "志强",
    "淑珍",
    "海龙",
    "玉梅",
    "宝音",
    "丽娜",
    "文博",
    "其其格",
    "子涵",
];

fn name(n: u32) -> String {
    format!(
        "{}{}",
        SURNAMES[(n % 12) as usize],
        GIVEN[((n / 12 + n * 7) % 12) as usize]
    )
}

/// A valid identity number of `county` for someone born on `born`, male or not.
pub(crate) fn id_number(county: &str, born: NaiveDate, serial: u32, male: bool) -> String {
    let seq = (serial % 499) * 2 + u32::from(male);
    with_check(&format!("{county}{}{seq:03}", born.format("%Y%m%d")))
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Local time on a day as stored milliseconds.
pub(crate) fn at(d: NaiveDate, hour: i64, minute: i64) -> i64 {
    db::local_midnight_ms(d) + (hour * 60 + minute) * 60_000
}

/// The kinds of resident the demo has, each a category and tier of E4–E6.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Elderly,
    ElderlyDibao,
    ElderlyLowIncome,
    DisabledAdult,
    Child,
    ChildDibao,
    MigrantChild,
    MigrantChildDibao,
}

pub(crate) fn facts(id: &str, born: NaiveDate, male: bool, kind: Kind) -> Value {
    let mut f = json!({"id_number": id, "birth_date": born.to_string(), "sex": if male { "male" } else { "female" },
        "in_school": false, "employee_insured": false, "flexible_employment": false, "ncms_enrolled": false,
        "migrant_worker_child": false, "dibao": false, "disability_grade": null, "low_income_household": false,
        "hukou_moved_in_year": null});
    match kind {
        Kind::ElderlyDibao | Kind::ChildDibao => f["dibao"] = json!(true),
        Kind::ElderlyLowIncome => f["low_income_household"] = json!(true),
        Kind::DisabledAdult => {
            f["disability_grade"] = json!(1 + (born.format("%d").to_string().len() % 2))
        }
        Kind::MigrantChild => f["migrant_worker_child"] = json!(true),
        Kind::MigrantChildDibao => {
            f["migrant_worker_child"] = json!(true);
            f["dibao"] = json!(true);
        }
        Kind::Elderly | Kind::Child => {}
    }
    f
}

fn born_for(kind: Kind, n: u32, male: bool) -> NaiveDate {
    let offset = u64::from(n * 37 % 3000);
    let base = match (kind, male) {
        (Kind::Elderly | Kind::ElderlyDibao | Kind::ElderlyLowIncome, true) => day(1938, 1, 1),
        (Kind::Elderly | Kind::ElderlyDibao | Kind::ElderlyLowIncome, false) => day(1948, 1, 1),
        (Kind::DisabledAdult, _) => day(1978, 1, 1),
        (Kind::Child | Kind::ChildDibao | Kind::MigrantChild | Kind::MigrantChildDibao, _) => {
            day(2012, 1, 1)
        }
    };
    base + chrono::Days::new(offset)
}

/// Registers, accepts the evidence the quote asks for, submits and (mostly) approves.
pub(crate) async fn enrol(
    db: &Db,
    rules: &Rules,
    agent: &Actor,
    reviewer: &Actor,
    person: i64,
    year: i32,
    outcome: Status,
) -> anyhow::Result<i64> {
    let e = db::enrolment::register(db, rules, agent, person, year).await?;
    let record = db::enrolment::get(db, agent, e).await?;
    for code in &record.evidence_required {
        db::enrolment::accept_evidence(db, agent, e, code.code(), None).await?;
    }
    if outcome == Status::Draft {
        return Ok(e);
    }
    db::enrolment::submit(db, agent, e).await?;
    match outcome {
        Status::Approved => db::enrolment::approve(db, reviewer, e).await?,
        Status::Rejected => {
            db::enrolment::reject(db, reviewer, e, "户口簿复印件不清晰,请重新提交。").await?
        }
        _ => {}
    }
    Ok(e)
}

pub(crate) fn err(e: db::Error) -> anyhow::Error {
    // The whole error, not only its code: a seeding fault must say what broke.
    anyhow::anyhow!("demo league: {}: {e:?}", e.code())
}

/// Households of both offices and pupils of the school, for the newest year.
pub async fn households(db: &Db, rules: &Rules, a: &Agents, year: i32) -> anyhow::Result<()> {
    let kinds = [
        Kind::Elderly,
        Kind::ElderlyDibao,
        Kind::ElderlyLowIncome,
        Kind::DisabledAdult,
        Kind::Child,
        Kind::ChildDibao,
        Kind::MigrantChild,
    ];
    let mut serial = 0u32;
    let today = db::local_date(db::now_ms());
    for (office, county, street) in [
        (&a.office1, "152201", "乌兰浩特市和平街道"),
        (&a.office2, "152222", "科右中旗巴彦呼舒镇"),
    ] {
        let office_code = office.org_code.clone().unwrap_or_default();
        for h in 0..HOUSEHOLDS_PER_OFFICE {
            let number = format!("{county}-D-{h:06}");
            let address = format!("{street}{}号", h + 1);
            let household =
                db::households::create(db, By::User(office), &office_code, &number, &address)
                    .await
                    .map_err(err)?;
            for m in 0..(1 + h % 3) {
                serial += 1;
                let kind = kinds[((h + m * 3) % 7) as usize];
                let male = serial.is_multiple_of(2);
                let born = born_for(kind, serial, male);
                let id = id_number(county, born, serial, male);
                let person = db::households::add_person(
                    db,
                    By::User(office),
                    &id,
                    &name(serial),
                    Some(household),
                    None,
                    &facts(&id, born, male, kind),
                )
                .await
                .map_err(err)?;
                // Most approved; every 11th waits for review, every 23rd was sent back.
                let outcome = match serial {
                    s if s.is_multiple_of(23) => Status::Rejected,
                    s if s.is_multiple_of(11) => Status::Submitted,
                    _ => Status::Approved,
                };
                let reviewer = if serial.is_multiple_of(2) {
                    &a.reviewer1
                } else {
                    &a.reviewer2
                };
                let e = enrol(db, rules, office, reviewer, person, year, outcome).await?;
                // Every fifth approved resident paid the card fee: recently at
                // the first office (some past the 2 working days to list), a
                // month ago at the second, which listed them a day later and
                // whose cards are now past the 7 working days to make them.
                if outcome == Status::Approved && serial.is_multiple_of(5) {
                    let back = if county == "152222" {
                        10 + serial % 3
                    } else {
                        serial % 6
                    };
                    let on = today - chrono::Days::new(u64::from(back));
                    db::cards::take_fee(db, office, person, at(on, 11, 0))
                        .await
                        .map_err(err)?;
                }
                // A third of the approved paid cash at the office in the last two weeks.
                if outcome == Status::Approved && serial.is_multiple_of(3) {
                    let n = db::notices::for_enrolment(db, rules, office, e)
                        .await
                        .map_err(err)?;
                    let paid_on = today - chrono::Days::new(u64::from(serial % 14));
                    let key = format!("demo-cash-{serial:010}");
                    db::payments::record_cash(
                        db,
                        rules,
                        office,
                        &n.number,
                        &key,
                        at(paid_on, 9 + i64::from(serial % 8), 0),
                    )
                    .await
                    .map_err(err)?;
                }
            }
        }
    }
    db::cards::send_list(db, &a.office2, at(today - chrono::Days::new(30), 16, 0))
        .await
        .map_err(err)?;
    for p in 0..PUPILS {
        serial += 1;
        let male = p.is_multiple_of(2);
        let born = day(2008, 9, 1) + chrono::Days::new(u64::from(p * 41 % 3650));
        let id = id_number("152201", born, serial, male);
        let mut f = facts(&id, born, male, Kind::Child);
        f["in_school"] = json!(true);
        let school = a.school1.org_code.clone();
        let person = db::households::add_person(
            db,
            By::User(&a.school1),
            &id,
            &name(serial),
            None,
            school.as_deref(),
            &f,
        )
        .await
        .map_err(err)?;
        let outcome = if p.is_multiple_of(9) {
            Status::Submitted
        } else {
            Status::Approved
        };
        enrol(db, rules, &a.school1, &a.reviewer2, person, year, outcome).await?;
    }
    Ok(())
}

/// The household of the contribution histories and its three elders.
pub struct History {
    pub household: i64,
    /// 张桂芳: paid 2008 and 2009, then lapsed.
    pub zhang: i64,
    /// 赵德胜: paid 2008 and 2009, back-paid 2010 in July.
    pub zhao: i64,
    /// 孙丽: paid 2009 and 2010 on time.
    pub sun: i64,
}

/// Contribution histories over the years on file, and the sweeps over them.
pub async fn histories(
    db: &Db,
    rules: &Rules,
    a: &Agents,
    resident_person: i64,
) -> anyhow::Result<History> {
    let office = &a.office1;
    let office_code = office.org_code.clone().unwrap_or_default();
    let mut key = 0u32;
    let mut pay = |person: i64, year: i32, paid: i64| {
        key += 1;
        let k = format!("demo-history-{person:08}-{year}-{key:04}");
        async move {
            let e = enrol(
                db,
                rules,
                office,
                &a.reviewer1,
                person,
                year,
                Status::Approved,
            )
            .await?;
            let n = db::notices::for_enrolment(db, rules, office, e)
                .await
                .map_err(err)?;
            db::payments::record_cash(db, rules, office, &n.number, &k, paid)
                .await
                .map_err(err)?;
            Ok::<_, anyhow::Error>(())
        }
    };
    let elder = |n: &str, born: NaiveDate, male: bool, serial: u32| {
        let id = id_number("152201", born, 400 + serial, male);
        (id, n.to_string(), born, male)
    };
    let people = [
        elder("张桂芳", day(1944, 2, 2), false, 1),
        elder("赵德胜", day(1941, 6, 6), true, 2),
        elder("孙丽", day(1952, 9, 9), false, 3),
    ];
    let history = db::households::create(
        db,
        By::User(office),
        &office_code,
        "152201-H-000001",
        "乌兰浩特市和平街道五一路3号",
    )
    .await
    .map_err(err)?;
    let mut ids = Vec::new();
    for (id, name, born, male) in &people {
        ids.push(
            db::households::add_person(
                db,
                By::User(office),
                id,
                name,
                Some(history),
                None,
                &facts(id, *born, *male, Kind::Elderly),
            )
            .await
            .map_err(err)?,
        );
    }
    // 张桂芳 paid 2008 and 2009, then nothing: the 2010 sweep interrupts her.
    pay(ids[0], 2008, at(day(2008, 10, 15), 10, 0)).await?;
    pay(ids[0], 2009, at(day(2009, 3, 2), 10, 0)).await?;
    // 赵德胜 missed the 2010 window and back-paid in July: the years run on,
    // the interrupted weeks stay uncovered.
    pay(ids[1], 2008, at(day(2008, 10, 16), 10, 0)).await?;
    pay(ids[1], 2009, at(day(2009, 3, 3), 10, 0)).await?;
    pay(ids[1], 2010, at(day(2010, 7, 1), 15, 0)).await?;
    // 孙丽 enrolled in 2009 and paid her second year on time.
    pay(ids[2], 2009, at(day(2009, 4, 20), 11, 0)).await?;
    pay(ids[2], 2010, at(day(2010, 3, 5), 11, 0)).await?;
    // No sweep here: the server's scheduled task sweeps every year whose
    // 1 May has passed, as it would after any downtime.
    // Cash of the old years was declared in time.
    db::declarations::declare(db, office, at(day(2010, 7, 2), 9, 0), None)
        .await
        .map_err(err)?;
    // The resident's own household: she paid 2026 in March, so 2027 is her second year.
    pay(resident_person, 2026, at(day(2026, 3, 10), 9, 30)).await?;
    db::declarations::declare(db, office, at(day(2026, 3, 11), 16, 0), None)
        .await
        .map_err(err)?;
    Ok(History {
        household: history,
        zhang: ids[0],
        zhao: ids[1],
        sun: ids[2],
    })
}
