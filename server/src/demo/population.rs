//! Two policy years of the league at scale, through the same services the
//! pages use: some three thousand residents of five more community offices
//! and two more schools in both counties, in every category and tier,
//! enrolled for 2025 and 2026 (offices register, the league's reviewers
//! approve) and registering for 2027 now. Premiums are paid through each
//! enrolment window and after it, in cash at the desk and online through the
//! payment simulator, on time, in the grace months and as back-payments
//! after the 1 May sweep, and some never; the offices declare their cash
//! twice a week. Households with a log-in claim: special-disease treatment
//! month by month after its approval, emergencies reported (or not),
//! transfers approved (or not), pupils' accidents; two reviewers check each
//! claim and the monthly runs pay them, each prepared by one league user and
//! released by another.
//!
//! Everything is drawn from a fixed seed ([`Rng`]), so two seedings on the
//! same day build the same league. Nothing is dated after yesterday.
//!
//! 2025 carries no parameters of its own: the league published none after
//! 2010 and the portal ships 2026 on. The demo's administrator publishes
//! 2025 as 2026's amounts and rules with 2025's holidays (the State
//! Council's notice), marked as the demo's own, so that 2026 has continuing
//! payers, a 1 May sweep and back-payments.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use db::accounts::NewUser;
use db::audit::By;
use db::claims::{ApprovalKind, FilingAgent, NewApproval};
use db::documents::Store;
use db::enrolment::Status;
use db::provider::Simulator;
use db::scope::Role;
use db::{Actor, Db};
use policy::benefit::{ClaimKind, Disease, HospitalGrade};
use policy::params::Rules;
use policy::payment_run::{self, RunKind};

use super::claims::{Demo, Form, Payee};
use super::league::{at, day, enrol, err, facts, Agents, Kind, GIVEN};
use super::{org, with_check, DEMO_PASSWORD};

/// The demo's two full policy years, and the one whose window is open.
pub const FIRST: i32 = 2025;
pub const SECOND: i32 = 2026;
pub const NEXT: i32 = 2027;

/// A small deterministic generator (SplitMix64): no clock, no OS entropy.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 to n - 1.
    pub fn below(&mut self, n: u32) -> u32 {
        (self.next_u64() % u64::from(n.max(1))) as u32
    }

    /// True `p` times in a hundred.
    pub fn pct(&mut self, p: u32) -> bool {
        self.below(100) < p
    }

    /// A day from `from` to `to`, both included.
    pub fn day_in(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u32;
        from + Days::new(u64::from(self.below(span + 1)))
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u32) as usize]
    }
}

/// Code, name, English name, agent's username and display name, households.
type OfficeRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
);

const OFFICES: [OfficeRow; 5] = [
    (
        "152201-O02",
        "新城街道劳动保障事务所",
        "Xincheng Street Labour Security Office",
        "office3",
        "经办人 韩梅",
        200,
    ),
    (
        "152201-O03",
        "兴安街道劳动保障事务所",
        "Xing'an Street Labour Security Office",
        "office4",
        "经办人 于海",
        185,
    ),
    (
        "152201-O04",
        "都林街道劳动保障事务所",
        "Dulin Street Labour Security Office",
        "office5",
        "经办人 齐丽",
        160,
    ),
    (
        "152222-O02",
        "高力板镇劳动保障事务所",
        "Gaoliban Town Labour Security Office",
        "office6",
        "经办人 敖登",
        170,
    ),
    (
        "152222-O03",
        "杜尔基镇劳动保障事务所",
        "Du'erji Town Labour Security Office",
        "office7",
        "经办人 苏和",
        145,
    ),
];

/// Code, name, English name, agent's username and display name, pupils on its roll.
const SCHOOLS: [OfficeRow; 2] = [
    (
        "152201-S02",
        "乌兰浩特市第二中学",
        "Ulanhot No. 2 Middle School",
        "school2",
        "经办人 马老师",
        170,
    ),
    (
        "152222-S01",
        "科右中旗第一中学",
        "Horqin Right Middle Banner No. 1 Middle School",
        "school3",
        "经办人 图雅老师",
        130,
    ),
];

const SURNAMES: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "宋", "韩", "于", "包", "白", "乌", "敖", "那",
];
/// Given names beyond the first demo's twelve (`league::GIVEN`).
const MORE_GIVEN: [&str; 28] = [
    "凤英",
    "国庆",
    "春梅",
    "德明",
    "金花",
    "永刚",
    "秀云",
    "立新",
    "巴图",
    "娜仁",
    "苏和",
    "额尔敦",
    "雪梅",
    "振华",
    "玉兰",
    "长青",
    "浩然",
    "欣怡",
    "雨轩",
    "梓萱",
    "俊杰",
    "思远",
    "乌日娜",
    "朝鲁",
    "晓燕",
    "红霞",
    "明辉",
    "一诺",
];
const STREETS: [&str; 8] = [
    "兴安路",
    "五一路",
    "罕山街",
    "洮儿河路",
    "乌兰街",
    "红城路",
    "都林路",
    "民主路",
];

const HOSPITALS: [(&str, HospitalGrade); 4] = [
    ("兴安盟人民医院", HospitalGrade::Three),
    ("乌兰浩特市人民医院", HospitalGrade::Two),
    ("科右中旗人民医院", HospitalGrade::Two),
    ("兴安盟蒙医院", HospitalGrade::Two),
];
const FAR: [&str; 3] = [
    "北京大学第一医院",
    "中国医科大学附属第一医院",
    "内蒙古医科大学附属医院",
];
const AWAY: [&str; 3] = [
    "沈阳市第四人民医院(非定点)",
    "长春市中心医院(非定点)",
    "通辽市医院(非定点)",
];
const CLINIC: (&str, HospitalGrade) = ("社区卫生服务中心", HospitalGrade::One);

/// One resident of the population and what happens to them.
struct Person {
    id: i64,
    name: String,
    id_number: String,
    kind: Kind,
    /// Index into the registrars: an office or a school.
    registrar: usize,
    /// Index into the households.
    household: Option<usize>,
    pupil: bool,
    /// The first year the person registers for.
    entry: i32,
}

struct Household {
    id: i64,
    account: Option<Actor>,
    members: Vec<usize>,
}

/// What happened to a person's enrolment of a year.
struct YearPlan {
    person: usize,
    year: i32,
    outcome: Status,
    enrolment: Option<i64>,
    paid: Option<(NaiveDate, i64)>,
    online: bool,
}

/// What was built, for the progress lines.
#[derive(Default)]
struct Tally {
    persons: usize,
    enrolments: usize,
    claims: usize,
    runs: usize,
}

fn name(rng: &mut Rng, surname: Option<&str>) -> String {
    let s = surname.unwrap_or_else(|| rng.pick(&SURNAMES));
    let n = rng.below((GIVEN.len() + MORE_GIVEN.len()) as u32) as usize;
    let given = GIVEN
        .get(n)
        .or(MORE_GIVEN.get(n.saturating_sub(GIVEN.len())))
        .copied();
    format!("{s}{}", given.unwrap_or("秀英"))
}

/// A date of birth for a kind of resident, male or not.
fn born(rng: &mut Rng, kind: Kind, male: bool) -> NaiveDate {
    match (kind, male) {
        (Kind::Elderly | Kind::ElderlyDibao | Kind::ElderlyLowIncome, true) => {
            rng.day_in(day(1936, 1, 1), day(1964, 6, 30))
        }
        (Kind::Elderly | Kind::ElderlyDibao | Kind::ElderlyLowIncome, false) => {
            rng.day_in(day(1940, 1, 1), day(1974, 6, 30))
        }
        (Kind::DisabledAdult, _) => rng.day_in(day(1970, 1, 1), day(2004, 6, 30)),
        (Kind::MigrantChild | Kind::MigrantChildDibao, _) => {
            rng.day_in(day(2010, 1, 1), day(2024, 6, 30))
        }
        (Kind::Child | Kind::ChildDibao, _) => rng.day_in(day(2019, 1, 1), day(2024, 6, 30)),
    }
}

/// Identity numbers nobody has yet: the county's area code, the birth date,
/// a serial whose last digit is odd for men, and the check character.
struct Ids(HashSet<String>);

impl Ids {
    fn new_id(&mut self, rng: &mut Rng, county: &str, born: NaiveDate, male: bool) -> String {
        loop {
            let seq = rng.below(500) * 2 + u32::from(male);
            let id = with_check(&format!("{county}{}{seq:03}", born.format("%Y%m%d")));
            if self.0.insert(id.clone()) {
                return id;
            }
        }
    }
}

async fn account(
    db: &Db,
    username: &str,
    display: &str,
    role: Role,
    org_code: Option<&str>,
    household: Option<i64>,
) -> anyhow::Result<Actor> {
    let id = db::accounts::create_user(
        db,
        By::System("seed-demo"),
        NewUser {
            username: username.into(),
            display_name: display.into(),
            password: DEMO_PASSWORD.into(),
            role,
            org_code: org_code.map(Into::into),
            household_id: household,
        },
    )
    .await
    .map_err(err)?;
    db::accounts::actor_by_id(db, id)
        .await
        .map_err(err)?
        .ok_or_else(|| anyhow::anyhow!("demo account {username}"))
}

/// Publishes 2025 when the portal has no parameters for it (see the module's words).
async fn publish_first_year(db: &Db, admin: &Actor, rules: &Rules) -> anyhow::Result<Rules> {
    if rules.years.contains_key(&FIRST) {
        return Ok(rules.clone());
    }
    let mut p = rules.year(SECOND)?.clone();
    p.year = FIRST;
    p.note = Some(
        "演示数据:2026年度的金额、比例、日期和期限沿用于2025年度,仅供演示库使用。Demo data: 2026's amounts, ratios, dates and limits carried back to 2025, for the demo database only."
            .into(),
    );
    p.calendar.source = "国务院办公厅关于2025年部分节假日安排的通知(2024年11月12日):元旦1月1日;春节1月28日至2月4日,1月26日、2月8日上班;清明4月4日至6日;劳动节5月1日至5日,4月27日上班;端午5月31日至6月2日;国庆、中秋10月1日至8日,9月28日、10月11日上班".into();
    let dates = |list: &[(u32, u32)]| -> BTreeSet<NaiveDate> {
        list.iter().map(|&(m, d)| day(FIRST, m, d)).collect()
    };
    p.calendar.holidays = dates(&[
        (1, 1),
        (1, 28),
        (1, 29),
        (1, 30),
        (1, 31),
        (2, 1),
        (2, 2),
        (2, 3),
        (2, 4),
        (4, 4),
        (4, 5),
        (4, 6),
        (5, 1),
        (5, 2),
        (5, 3),
        (5, 4),
        (5, 5),
        (5, 31),
        (6, 1),
        (6, 2),
        (10, 1),
        (10, 2),
        (10, 3),
        (10, 4),
        (10, 5),
        (10, 6),
        (10, 7),
        (10, 8),
    ]);
    p.calendar.working_weekends = dates(&[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)]);
    db::policy_years::publish(db, admin, &p.to_toml()?)
        .await
        .map_err(err)?;
    db::policy_years::load(db).await.map_err(err)
}

/// Whether the offices are open on `d` (weekends off; the holidays of the
/// years with parameters too).
fn working(rules: &Rules, d: NaiveDate) -> bool {
    policy::calendar::is_working_day(rules, d)
        .unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

fn next_working(rules: &Rules, mut d: NaiveDate) -> NaiveDate {
    while !working(rules, d) {
        d = d + Days::new(1);
    }
    d
}

/// When a person pays year `year`, given the years they paid before: on
/// time, in the grace months, after the sweep, or not at all.
fn pay_day(rng: &mut Rng, paid: &BTreeSet<i32>, year: i32) -> Option<NaiveDate> {
    let prev = paid.contains(&(year - 1));
    let continuing = prev && paid.contains(&(year - 2));
    let r = rng.below(100);
    let window = day(year - 1, 9, 1);
    let due = day(year, 4, 30);
    let late = (day(year, 5, 6), day(year, 11, 25));
    match (prev, continuing) {
        // New enrollees pay by 30 April or not at all (E8).
        (false, _) => match r {
            0..=54 => Some(rng.day_in(day(year - 1, 10, 8), day(year - 1, 12, 31))),
            55..=92 => Some(rng.day_in(day(year, 1, 2), due)),
            _ => None,
        },
        // Second year: due 30 April; after the sweep, a back-payment.
        (true, false) => match r {
            0..=86 => Some(rng.day_in(window, due)),
            87..=92 => Some(rng.day_in(late.0, late.1)),
            _ => None,
        },
        // Continuing: due 30 November; grace until the sweep, then back-payment.
        (true, true) => match r {
            0..=79 => Some(rng.day_in(window, day(year - 1, 11, 30))),
            80..=87 => Some(rng.day_in(day(year - 1, 12, 1), due)),
            88..=92 => Some(rng.day_in(late.0, late.1)),
            _ => None,
        },
    }
}

/// The league at scale; returns what it printed.
pub async fn build(
    db: &Db,
    rules: &Rules,
    store: &Store,
    a: &Agents,
    admin: &Actor,
    percent: u32,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // Each office's households and each school's pupils, at `percent` of the full league.
    let share = |n: u32| (n * percent).div_ceil(100).max(1);
    let until = db::local_date(db::now_ms()) - Days::new(1);
    let rules = &publish_first_year(db, admin, rules).await?;
    let mut rng = Rng::new(0x5EED_2026);
    let mut tally = Tally::default();

    // Offices and schools, each with its agent.
    let mut registrars: Vec<(Actor, &'static str)> = Vec::new();
    for (i, (code, zh, en, username, display, _)) in OFFICES.iter().chain(&SCHOOLS).enumerate() {
        let county = &code[..6];
        let kind = if i < OFFICES.len() {
            "office"
        } else {
            "school"
        };
        db::orgs::create(
            db,
            By::System("seed-demo"),
            &org(code, kind, zh, en, Some(county)),
        )
        .await
        .map_err(err)?;
        let role = if kind == "office" {
            Role::OfficeAgent
        } else {
            Role::SchoolAgent
        };
        let agent = account(db, username, display, role, Some(code), None).await?;
        registrars.push((agent, county));
    }
    let school_of = |county: &str| {
        OFFICES.len()
            + SCHOOLS
                .iter()
                .position(|s| s.0.starts_with(county))
                .unwrap_or(0)
    };

    // Households and their members.
    let existing: Vec<String> = sqlx::query_scalar("SELECT id_number FROM persons")
        .fetch_all(&db.pool)
        .await?;
    let mut ids = Ids(existing.into_iter().collect());
    let mut people: Vec<Person> = Vec::new();
    let mut households: Vec<Household> = Vec::new();
    let mut logins = 0u32;
    for (o, (code, zh, _, _, _, count)) in OFFICES.iter().enumerate() {
        let (agent, county) = registrars[o].clone();
        let place = zh.trim_end_matches("劳动保障事务所");
        for h in 0..share(*count) {
            let number = format!("{county}-{}-{h:05}", &code[7..]);
            let address = format!(
                "{}{place}{}{}号",
                if county == "152201" {
                    "乌兰浩特市"
                } else {
                    "科右中旗"
                },
                rng.pick(&STREETS),
                1 + rng.below(180)
            );
            let id = db::households::create(db, By::User(&agent), code, &number, &address)
                .await
                .map_err(err)?;
            let dibao = rng.pct(9);
            let low_income = !dibao && rng.pct(8);
            let elder = |rng: &mut Rng| match (dibao, low_income) {
                (true, _) => Kind::ElderlyDibao,
                (_, true) => Kind::ElderlyLowIncome,
                _ => {
                    let _ = rng;
                    Kind::Elderly
                }
            };
            let child = if dibao { Kind::ChildDibao } else { Kind::Child };
            let migrant = if dibao {
                Kind::MigrantChildDibao
            } else {
                Kind::MigrantChild
            };
            let r = rng.below(100);
            let mut members: Vec<(Kind, Option<bool>)> = match r {
                0..=29 => vec![
                    (elder(&mut rng), Some(true)),
                    (elder(&mut rng), Some(false)),
                ],
                30..=49 => vec![(elder(&mut rng), None)],
                50..=69 => {
                    let mut m = vec![(elder(&mut rng), None), (child, None)];
                    if rng.pct(40) {
                        m.push((child, None));
                    }
                    m
                }
                70..=79 => vec![(child, None); 1 + rng.below(2) as usize],
                80..=87 => vec![(migrant, None); 1 + rng.below(2) as usize],
                88..=94 => vec![(Kind::DisabledAdult, None), (elder(&mut rng), None)],
                _ => vec![
                    (elder(&mut rng), None),
                    (Kind::DisabledAdult, None),
                    (child, None),
                ],
            };
            let with_login = rng.pct(11);
            if with_login && rng.pct(70) {
                // A pupil of the county's school, enrolled there.
                members.push((child, Some(rng.pct(50))));
            }
            let surname = rng.pick(&SURNAMES);
            let hh = households.len();
            let mut list = Vec::new();
            for (m, (kind, sex)) in members.iter().enumerate() {
                let pupil = m > 0 && with_login && m == members.len() - 1 && sex.is_some() && {
                    matches!(kind, Kind::Child | Kind::ChildDibao)
                };
                let male = sex.unwrap_or_else(|| rng.pct(50));
                let birth = if pupil {
                    rng.day_in(day(2009, 1, 1), day(2018, 8, 31))
                } else if matches!(kind, Kind::Child | Kind::ChildDibao) && rng.pct(12) {
                    // Born in 2025: enrols from 2026.
                    rng.day_in(day(2025, 1, 1), day(2025, 8, 31))
                } else {
                    born(&mut rng, *kind, male)
                };
                let id_number = ids.new_id(&mut rng, county, birth, male);
                // Spouses and grandchildren share the household's surname mostly.
                let shared = m == 0 || rng.pct(60);
                let given = name(&mut rng, shared.then_some(surname));
                let mut f = facts(&id_number, birth, male, *kind);
                if pupil {
                    f["in_school"] = serde_json::json!(true);
                }
                let school = pupil.then(|| SCHOOLS[school_of(county) - OFFICES.len()].0);
                let person = db::households::add_person(
                    db,
                    By::User(&agent),
                    &id_number,
                    &given,
                    Some(id),
                    school,
                    &f,
                )
                .await
                .map_err(err)?;
                let entry = if birth.year() >= 2025 {
                    if rng.pct(75) {
                        SECOND
                    } else {
                        NEXT
                    }
                } else {
                    match rng.below(100) {
                        0..=61 => FIRST,
                        62..=85 => SECOND,
                        _ => NEXT,
                    }
                };
                list.push(people.len());
                people.push(Person {
                    id: person,
                    name: given,
                    id_number,
                    kind: *kind,
                    registrar: if pupil { school_of(county) } else { o },
                    household: Some(hh),
                    pupil,
                    entry,
                });
            }
            let login = if with_login {
                logins += 1;
                let head = &people[list[0]];
                Some(
                    account(
                        db,
                        &format!("{}-{h:04}", code.to_lowercase()),
                        &head.name,
                        Role::Resident,
                        None,
                        Some(id),
                    )
                    .await?,
                )
            } else {
                None
            };
            households.push(Household {
                id,
                account: login,
                members: list,
            });
        }
    }
    // The schools' rolls: pupils with no household on file here.
    for (s, (code, ..)) in SCHOOLS.iter().enumerate() {
        let r = OFFICES.len() + s;
        let (agent, county) = registrars[r].clone();
        for _ in 0..share(SCHOOLS[s].5) {
            let male = rng.pct(50);
            let birth = rng.day_in(day(2009, 1, 1), day(2018, 8, 31));
            let id_number = ids.new_id(&mut rng, county, birth, male);
            let kind = match rng.below(100) {
                0..=8 => Kind::ChildDibao,
                9..=16 => Kind::MigrantChild,
                _ => Kind::Child,
            };
            let mut f = facts(&id_number, birth, male, kind);
            f["in_school"] = serde_json::json!(true);
            let given = name(&mut rng, None);
            let person = db::households::add_person(
                db,
                By::User(&agent),
                &id_number,
                &given,
                None,
                Some(code),
                &f,
            )
            .await
            .map_err(err)?;
            people.push(Person {
                id: person,
                name: given,
                id_number,
                kind,
                registrar: r,
                household: None,
                pupil: true,
                entry: match rng.below(100) {
                    0..=69 => FIRST,
                    70..=89 => SECOND,
                    _ => NEXT,
                },
            });
        }
    }
    tally.persons = people.len();
    eprintln!(
        "  {} residents in {} households ({logins} with a log-in) in {:.1} s",
        people.len(),
        households.len(),
        started.elapsed().as_secs_f64()
    );

    // Enrolments of each year, and when (if ever) each is paid.
    let mut plans: Vec<YearPlan> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let mut paid: BTreeSet<i32> = BTreeSet::new();
        for year in p.entry..=NEXT {
            // Who did not pay last year comes back only sometimes.
            if year > p.entry && !paid.contains(&(year - 1)) && rng.pct(45) {
                continue;
            }
            let outcome = if year < NEXT {
                Status::Approved
            } else {
                match rng.below(200) {
                    0..=2 => Status::Draft,
                    3..=5 => Status::Submitted,
                    6 => Status::Rejected,
                    _ => Status::Approved,
                }
            };
            let when = if outcome == Status::Approved {
                pay_day(&mut rng, &paid, year).filter(|d| *d <= until)
            } else {
                None
            };
            let when = when.map(|d| {
                let d = if p.household.is_some() && !p.pupil {
                    next_working(rules, d)
                } else {
                    d
                };
                (d, i64::from(rng.below(7 * 60)))
            });
            if let Some((d, _)) = when {
                paid.insert(year);
                let _ = d;
            }
            let online =
                p.household.is_some_and(|h| households[h].account.is_some()) && rng.pct(80);
            plans.push(YearPlan {
                person: i,
                year,
                outcome,
                enrolment: None,
                paid: when,
                online,
            });
        }
    }
    // Registered and decided, year by year, by the office or school and
    // then a league reviewer (maker-checker).
    // Three desks at a time: the services take their turns at the database.
    let desk = |lane: usize| {
        let (people, registrars, plans) = (&people, &registrars, &plans);
        async move {
            let mut made = Vec::new();
            for (i, plan) in plans.iter().enumerate().filter(|(i, _)| i % 3 == lane) {
                let p = &people[plan.person];
                let agent = &registrars[p.registrar].0;
                let reviewer = if plan.person.is_multiple_of(2) {
                    &a.reviewer1
                } else {
                    &a.reviewer2
                };
                let e = enrol(db, rules, agent, reviewer, p.id, plan.year, plan.outcome).await?;
                made.push((i, e));
            }
            Ok::<_, anyhow::Error>(made)
        }
    };
    let (x, y, z) = tokio::try_join!(desk(0), desk(1), desk(2))?;
    for (i, e) in x.into_iter().chain(y).chain(z) {
        plans[i].enrolment = Some(e);
    }
    tally.enrolments = plans.len();
    eprintln!(
        "  {} enrolments in {:.1} s",
        plans.len(),
        started.elapsed().as_secs_f64()
    );

    // The premiums in the order they came in at each desk, with the desk's
    // declarations (Tuesdays and Fridays; the last office only on Fridays),
    // three desks at a time; then the 1 May sweeps, which read the days paid.
    let simulator = Simulator::new(b"portal-seed-demo-simulator");
    let mut order: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].paid.is_some())
        .collect();
    order.sort_by_key(|&i| plans[i].paid);
    let declaration_day = |r: usize, from: NaiveDate| {
        let mut d = from;
        loop {
            let wd = d.weekday();
            if wd == Weekday::Fri || (wd == Weekday::Tue && r != OFFICES.len() - 1) {
                return d;
            }
            d = d + Days::new(1);
        }
    };
    let cashier = |lane: usize| {
        let (people, registrars, plans, households, order) =
            (&people, &registrars, &plans, &households, &order);
        let (simulator, declaration_day) = (&simulator, &declaration_day);
        async move {
            let mut undeclared: BTreeMap<usize, NaiveDate> = BTreeMap::new();
            let mine = order
                .iter()
                .filter(|&&i| people[plans[i].person].registrar % 3 == lane);
            for &i in mine.chain(std::iter::once(&usize::MAX)) {
                let now = plans
                    .get(i)
                    .and_then(|p| p.paid)
                    .map_or(until + Days::new(1), |(d, _)| d);
                let due: Vec<(usize, NaiveDate)> = undeclared
                    .iter()
                    .map(|(&r, &since)| (r, declaration_day(r, since)))
                    .filter(|(_, d)| *d < now)
                    .collect();
                for (r, d) in due {
                    db::declarations::declare(db, &registrars[r].0, at(d, 16, 30), None)
                        .await
                        .map_err(err)?;
                    undeclared.remove(&r);
                }
                let Some(plan) = plans.get(i) else { break };
                let p = &people[plan.person];
                let registrar = &registrars[p.registrar].0;
                let e = plan.enrolment.unwrap_or_default();
                let n = db::notices::for_enrolment(db, rules, registrar, e)
                    .await
                    .map_err(err)?;
                let (d, minutes) = plan.paid.unwrap_or((now, 0));
                if plan.online {
                    let resident = p
                        .household
                        .and_then(|h| households[h].account.as_ref())
                        .ok_or_else(|| anyhow::anyhow!("no log-in"))?;
                    let when = at(d, 7, 0) + minutes * 2 * 60_000;
                    let o =
                        db::payments::create_order(db, rules, resident, &n.number, simulator, when)
                            .await
                            .map_err(err)?;
                    let (body, signature) = simulator
                        .pay(db, &o.order_number, when + 3 * 60_000)
                        .await
                        .map_err(err)?;
                    db::payments::on_notification(db, rules, simulator, &body, &signature)
                        .await
                        .map_err(err)?;
                } else {
                    let key = format!("demo-league-cash-{i:08}");
                    let when = at(d, 8, 30) + minutes * 60_000;
                    db::payments::record_cash(db, rules, registrar, &n.number, &key, when)
                        .await
                        .map_err(err)?;
                    undeclared.entry(p.registrar).or_insert(d);
                }
            }
            // The notices of this year's unpaid, for the desks to chase.
            for plan in plans.iter().filter(|p| {
                p.year == NEXT
                    && p.outcome == Status::Approved
                    && p.paid.is_none()
                    && people[p.person].registrar % 3 == lane
            }) {
                let registrar = &registrars[people[plan.person].registrar].0;
                let e = plan.enrolment.unwrap_or_default();
                db::notices::for_enrolment(db, rules, registrar, e)
                    .await
                    .map_err(err)?;
            }
            Ok::<_, anyhow::Error>(())
        }
    };
    tokio::try_join!(cashier(0), cashier(1), cashier(2))?;
    for year in [FIRST, SECOND] {
        let sweep = day(year, 5, 1);
        if sweep <= until {
            db::sweep::run(db, rules, sweep, By::System("seed-demo"))
                .await
                .map_err(err)?;
        }
    }
    eprintln!(
        "  premiums paid in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    claims(
        db,
        rules,
        store,
        a,
        admin,
        &people,
        &households,
        &plans,
        until,
        &mut rng,
        &mut tally,
    )
    .await?;
    print_counts(db).await?;
    eprintln!(
        "  the league's two years built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One step of a claim's or an approval's life, on its day.
enum Step {
    Ask {
        item: usize,
        approval: NewApproval,
    },
    Decide {
        item: usize,
        yes: bool,
    },
    Report {
        person: usize,
        household: usize,
        kind: ClaimKind,
        occurred: NaiveDate,
        hospital: &'static str,
    },
    File {
        item: usize,
        form: Filing,
    },
    FirstReview {
        item: usize,
        in_catalogue: i64,
    },
    Confirm {
        item: usize,
    },
}

/// A claim as filed: the form's facts without its borrowed payee.
struct Filing {
    person: usize,
    household: usize,
    kind: ClaimKind,
    care: (NaiveDate, NaiveDate),
    hospital: &'static str,
    grade: HospitalGrade,
    billed: i64,
    disease: Option<Disease>,
}

/// Whether the person's premium of the year of `d` was paid before `d`.
fn covered(plans: &[YearPlan], person: usize, d: NaiveDate) -> bool {
    plans.iter().any(|p| {
        p.person == person && p.year == d.year() && p.paid.is_some_and(|(paid, _)| paid < d)
    })
}

#[allow(clippy::too_many_arguments)]
async fn claims(
    db: &Db,
    rules: &Rules,
    store: &Store,
    a: &Agents,
    admin: &Actor,
    people: &[Person],
    households: &[Household],
    plans: &[YearPlan],
    until: NaiveDate,
    rng: &mut Rng,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut steps: Vec<(NaiveDate, usize, Step)> = Vec::new();
    let mut seq = 0usize;
    let mut push = |steps: &mut Vec<(NaiveDate, usize, Step)>, d: NaiveDate, s: Step| {
        seq += 1;
        if d <= until {
            steps.push((d, seq, s));
        }
    };
    let mut item = 0usize;
    let start = day(FIRST, 1, 1);
    let months = |from: NaiveDate| {
        let mut out = Vec::new();
        let mut m = day(from.year(), from.month(), 1);
        while m + Days::new(31) <= until {
            out.push(m);
            m = (m + Days::new(32)).with_day(1).unwrap_or(m);
        }
        out
    };
    // The review of a filed claim: two reviewers some days apart.
    let review = |rng: &mut Rng, filed: NaiveDate, billed: i64| {
        let first = filed + Days::new(u64::from(1 + rng.below(5)));
        let second = first + Days::new(u64::from(1 + rng.below(4)));
        let in_catalogue = billed * i64::from(78 + rng.below(18)) / 100;
        (first, second, in_catalogue)
    };
    let with_login: Vec<usize> = (0..households.len())
        .filter(|&h| households[h].account.is_some())
        .collect();
    for &h in &with_login {
        for &m in &households[h].members {
            let p = &people[m];
            let adult = matches!(
                p.kind,
                Kind::Elderly | Kind::ElderlyDibao | Kind::ElderlyLowIncome | Kind::DisabledAdult
            );
            // Special-disease treatment, approved beforehand, claimed monthly.
            if adult && rng.pct(30) {
                let disease = rng.pick(&[
                    Disease::DiabetesInsulin,
                    Disease::DiabetesInsulin,
                    Disease::DiabetesInsulin,
                    Disease::Psychosis,
                    Disease::Tuberculosis,
                    Disease::UraemiaDialysis,
                    Disease::CancerRadioChemo,
                    Disease::OrganTransplant,
                ]);
                let first_month = rng
                    .day_in(start, day(SECOND, 6, 30))
                    .with_day(1)
                    .unwrap_or(start);
                if !covered(plans, m, first_month) {
                    continue;
                }
                let (hospital, grade) = rng.pick(&HOSPITALS);
                let asked = first_month - Days::new(u64::from(3 + rng.below(10)));
                let yes = rng.pct(88);
                item += 1;
                let approval = item;
                push(
                    &mut steps,
                    asked,
                    Step::Ask {
                        item: approval,
                        approval: NewApproval {
                            person_id: p.id,
                            kind: ApprovalKind::SpecialDisease,
                            disease: Some(disease),
                            hospital: hospital.into(),
                            reason: "慢性病需长期门诊治疗".into(),
                            amount: None,
                            emergency: false,
                            care_on: first_month,
                        },
                    },
                );
                push(
                    &mut steps,
                    asked + Days::new(u64::from(1 + rng.below(2))),
                    Step::Decide {
                        item: approval,
                        yes,
                    },
                );
                if !yes {
                    continue;
                }
                let (low, high) = match disease {
                    Disease::DiabetesInsulin => (500, 1400),
                    Disease::Psychosis => (400, 900),
                    Disease::Tuberculosis => (300, 800),
                    Disease::UraemiaDialysis => (4000, 7000),
                    Disease::CancerRadioChemo => (3000, 12_000),
                    Disease::OrganTransplant => (3000, 8000),
                };
                for month in months(first_month) {
                    let uncovered = !covered(plans, m, month);
                    // While not covered, a claim only now and then (it is refused).
                    if rng.pct(if uncovered { 75 } else { 12 }) {
                        continue;
                    }
                    let next = (month + Days::new(32)).with_day(1).unwrap_or(month);
                    let last = next - Days::new(1);
                    let billed = i64::from(low + rng.below(high - low));
                    let filed = next + Days::new(u64::from(rng.below(3)));
                    item += 1;
                    push(
                        &mut steps,
                        filed,
                        Step::File {
                            item,
                            form: Filing {
                                person: m,
                                household: h,
                                kind: ClaimKind::SpecialOutpatient,
                                care: (month, last),
                                hospital,
                                grade,
                                billed,
                                disease: Some(disease),
                            },
                        },
                    );
                    let (first, second, in_catalogue) = review(rng, filed, billed);
                    // Decided only when its run's window has opened by now:
                    // the special-disease run still to come takes no claim of the demo.
                    let window =
                        payment_run::window_start(rules, RunKind::SpecialOutpatient, second)?;
                    push(&mut steps, first, Step::FirstReview { item, in_catalogue });
                    if window <= until {
                        push(&mut steps, second, Step::Confirm { item });
                    }
                }
            }
        }
        // Emergencies, transfers and pupils' accidents over the two years.
        let members = &households[h].members;
        for _ in 0..rng.below(3) {
            let m = members[rng.below(members.len() as u32) as usize];
            let p = &people[m];
            let care_from = rng.day_in(start, until - Days::new(10));
            let kind = if p.pupil && rng.pct(60) {
                ClaimKind::StudentAccident
            } else {
                rng.pick(&[
                    ClaimKind::OutpatientEmergency,
                    ClaimKind::OutpatientEmergency,
                    ClaimKind::NondesignatedEmergency,
                    ClaimKind::Transfer,
                ])
            };
            let (days, (low, high), (hospital, grade)) = match kind {
                ClaimKind::OutpatientEmergency => (0, (400, 3000), rng.pick(&HOSPITALS)),
                ClaimKind::NondesignatedEmergency => (
                    3 + rng.below(8),
                    (3000, 15_000),
                    (rng.pick(&AWAY), HospitalGrade::Two),
                ),
                ClaimKind::Transfer => (
                    7 + rng.below(14),
                    (8000, 40_000),
                    (rng.pick(&FAR), HospitalGrade::Three),
                ),
                _ => (
                    rng.below(4),
                    (300, 6000),
                    if rng.pct(50) {
                        CLINIC
                    } else {
                        rng.pick(&HOSPITALS)
                    },
                ),
            };
            let care_to = care_from + Days::new(u64::from(days));
            // Care while not covered is claimed now and then (and refused).
            if !covered(plans, m, care_from) && rng.pct(85) {
                continue;
            }
            item += 1;
            let claim = item;
            match kind {
                // Most report within the 3 days; one in eight never does.
                ClaimKind::OutpatientEmergency | ClaimKind::NondesignatedEmergency
                    if rng.pct(88) =>
                {
                    let on = care_from + Days::new(u64::from(rng.below(3)));
                    push(
                        &mut steps,
                        on,
                        Step::Report {
                            person: m,
                            household: h,
                            kind,
                            occurred: care_from,
                            hospital,
                        },
                    );
                }
                ClaimKind::Transfer if rng.pct(85) => {
                    item += 1;
                    let asked = care_from - Days::new(u64::from(4 + rng.below(10)));
                    let yes = rng.pct(85);
                    push(
                        &mut steps,
                        asked,
                        Step::Ask {
                            item,
                            approval: NewApproval {
                                person_id: p.id,
                                kind: ApprovalKind::Transfer,
                                disease: None,
                                hospital: hospital.into(),
                                reason: "本地医院无法确诊,需转外地治疗".into(),
                                amount: None,
                                emergency: false,
                                care_on: care_from,
                            },
                        },
                    );
                    push(
                        &mut steps,
                        asked + Days::new(u64::from(1 + rng.below(2))),
                        Step::Decide { item, yes },
                    );
                    if !yes {
                        continue;
                    }
                }
                _ => {}
            }
            let billed = i64::from(low + rng.below(high - low));
            let filed = care_to + Days::new(u64::from(3 + rng.below(20)));
            push(
                &mut steps,
                filed,
                Step::File {
                    item: claim,
                    form: Filing {
                        person: m,
                        household: h,
                        kind,
                        care: (care_from, care_to),
                        hospital,
                        grade,
                        billed,
                        disease: None,
                    },
                },
            );
            let (first, second, in_catalogue) = review(rng, filed, billed);
            push(
                &mut steps,
                first,
                Step::FirstReview {
                    item: claim,
                    in_catalogue,
                },
            );
            push(&mut steps, second, Step::Confirm { item: claim });
        }
    }
    steps.sort_by_key(|(d, s, _)| (*d, *s));

    // The steps in the order of their days, through the services.
    let payees: Vec<Option<Payee>> = people
        .iter()
        .map(|p| {
            p.household.map(|h| Payee {
                agent: FilingAgent {
                    name: p.name.clone(),
                    id_number: p.id_number.clone(),
                    relation: "self".into(),
                },
                account: format!("62284800{:011}", households[h].id * 100 + (p.id % 100)),
            })
        })
        .collect();
    let mut demo = Demo {
        db,
        rules,
        store,
        resident: admin.clone(),
        first: &a.reviewer1,
        second: &a.reviewer2,
        photos: 10_000,
        keys: 10_000,
    };
    let mut approvals: HashMap<usize, i64> = HashMap::new();
    let mut numbers: HashMap<usize, (String, HospitalGrade)> = HashMap::new();
    let mut windows: BTreeSet<(NaiveDate, &'static str)> = BTreeSet::new();
    let login = |h: usize| {
        households[h]
            .account
            .clone()
            .unwrap_or_else(|| admin.clone())
    };
    // The two reviewers take turns at the first step.
    let pair = |item: usize| {
        if item.is_multiple_of(2) {
            (&a.reviewer1, &a.reviewer2)
        } else {
            (&a.reviewer2, &a.reviewer1)
        }
    };
    for (on, _, step) in steps {
        match step {
            Step::Ask { item, approval } => {
                let h = people
                    .iter()
                    .position(|p| p.id == approval.person_id)
                    .and_then(|i| people[i].household)
                    .unwrap_or_default();
                let id = demo.ask(&login(h), approval, on).await?;
                approvals.insert(item, id);
            }
            Step::Decide { item, yes } => {
                let Some(&id) = approvals.get(&item) else {
                    continue;
                };
                let note = if yes {
                    "同意"
                } else {
                    "本地医院可以治疗,不予同意"
                };
                db::claims::decide_approval(db, &a.reviewer1, id, yes, note)
                    .await
                    .map_err(err)?;
            }
            Step::Report {
                person,
                household,
                kind,
                occurred,
                hospital,
            } => {
                demo.resident = login(household);
                demo.report_on(people[person].id, kind, occurred, hospital, on)
                    .await?;
            }
            Step::File { item, form } => {
                let Some(payee) = &payees[form.person] else {
                    continue;
                };
                demo.resident = login(form.household);
                let f = Form {
                    person: people[form.person].id,
                    payee,
                    kind: form.kind,
                    care: form.care,
                    hospital: form.hospital,
                    grade: form.grade,
                    billed: form.billed,
                    disease: form.disease,
                };
                let number = demo.file_on(&f, on).await?;
                numbers.insert(item, (number, form.grade));
                tally.claims += 1;
            }
            Step::FirstReview { item, in_catalogue } => {
                let Some((number, grade)) = numbers.get(&item) else {
                    continue;
                };
                (demo.first, demo.second) = pair(item);
                demo.first_review(number, in_catalogue, *grade).await?;
            }
            Step::Confirm { item } => {
                let Some((number, _)) = numbers.get(&item) else {
                    continue;
                };
                (demo.first, demo.second) = pair(item);
                let c = demo.decide_on(number, on).await?;
                if let Some(w) = c.run_window_start {
                    windows.insert((w, RunKind::for_claim(c.kind).code()));
                }
            }
        }
    }
    eprintln!(
        "  {} claims in {:.1} s",
        tally.claims,
        started.elapsed().as_secs_f64()
    );

    // The monthly runs whose windows have opened: one league user prepares,
    // another releases on the window's first day. A window whose run was
    // released already leaves its claims to the next.
    for (i, (window, kind)) in windows.into_iter().enumerate() {
        if window > until {
            continue;
        }
        let kind = RunKind::from_code(kind).unwrap_or(RunKind::Others);
        let (preparer, releaser) = match i % 3 {
            0 => (admin, &a.reviewer1),
            1 => (&a.reviewer2, admin),
            _ => (&a.reviewer1, &a.reviewer2),
        };
        let run = match db::payment_runs::prepare(db, rules, preparer, kind, window).await {
            Ok(run) => run,
            Err(e) if e.code() == "run_released" => continue,
            Err(e) => return Err(err(e)),
        };
        db::payment_runs::release(db, releaser, &run.number, window)
            .await
            .map_err(err)?;
        tally.runs += 1;
    }
    Ok(())
}

/// Prints the league's figures of the demo's years: enrolments by category
/// and tier, premiums by channel, claims by kind and status.
async fn print_counts(db: &Db) -> anyhow::Result<()> {
    let years = format!("{FIRST}, {SECOND}, {NEXT}");
    let table = |sql: String| async move {
        let rows: Vec<(i64, String, String, i64)> =
            sqlx::query_as(&sql).fetch_all(&db.pool).await?;
        Ok::<_, anyhow::Error>(rows)
    };
    let enrolled = table(format!(
        "SELECT policy_year, category, tier, COUNT(*) FROM enrolments WHERE status = 'approved' AND policy_year IN ({years})
         GROUP BY policy_year, category, tier ORDER BY 1, 2, 3"
    ))
    .await?;
    let paid = table(format!(
        "SELECT policy_year, channel, CASE WHEN back_payment = 1 THEN 'back_payment' ELSE 'in_time' END, COUNT(*)
         FROM payments WHERE kind = 'premium' AND policy_year IN ({years}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ))
    .await?;
    let claims = table(
        "SELECT CAST(SUBSTR(care_to, 1, 4) AS INTEGER), kind, status, COUNT(*) FROM claims
         WHERE care_to >= '2025' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
            .to_string(),
    )
    .await?;
    for (title, rows) in [
        ("approved enrolments", enrolled),
        ("premiums", paid),
        ("claims (by year of care)", claims),
    ] {
        println!("{title}:");
        for (year, a, b, n) in rows {
            println!("  {year} {a:<24} {b:<14} {n:>6}");
        }
    }
    Ok(())
}
