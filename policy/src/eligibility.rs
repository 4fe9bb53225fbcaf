//! Who may enrol, in which category and tier, and what they pay
//! (E3–E7, E9, E10, E16–E18).
//!
//! Readings and decisions taken here (documented in the product):
//! - Ages are whole years on the reference day (31 December of the year
//!   before the policy year, E3). A person born after that day is 0.
//! - The ID number is checked, and the birth date and sex given must agree
//!   with it: a disagreement is an input error, not a refusal.
//! - Refusals are checked in this order: NCMS, employee insurance (except
//!   E18: a flexible-employment worker from 60 (men) / 50 (women) may choose
//!   this scheme), hukou moved in too recently (E16, non-students only, for
//!   moves in or after the scheme's first year), working age.
//! - A migrant worker's child who is in school, or is under 18, is a
//!   `migrant_child` (registered by the school if in school, else by the
//!   community office of the residence) and needs the temporary-residence
//!   permit (E10).
//! - A person who is both of elderly age and severely disabled is `elderly`:
//!   the age is read from the ID, and the disability still gives the assisted
//!   tier.
//! - One ground suffices for an assisted tier, so one document is asked for:
//!   the one the category already needs (a disabled adult's certificate), else
//!   the 低保 certificate, else the disability certificate, else the
//!   low-income proof (E10, E11, S5).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::explain::{Explanation, Trace};
use crate::idcard::{self, Sex};
use crate::money::Money;
use crate::params::{CoverPeriod, Rules, RulesError, Subsidy, YearParams};

/// The facts about a person that decide enrolment: exactly the `person`
/// object of the `enrollment_quote` request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFacts {
    pub id_number: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub in_school: bool,
    pub employee_insured: bool,
    pub flexible_employment: bool,
    pub ncms_enrolled: bool,
    pub migrant_worker_child: bool,
    pub dibao: bool,
    #[serde(default)]
    pub disability_grade: Option<u8>,
    pub low_income_household: bool,
    #[serde(default)]
    pub hukou_moved_in_year: Option<i32>,
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Category {
        Student = "student",
        Child = "child",
        MigrantChild = "migrant_child",
        Elderly = "elderly",
        DisabledAdult = "disabled_adult",
    }
}

impl Category {
    pub fn zh(self) -> &'static str {
        match self {
            Category::Student => "在校学生",
            Category::Child => "非在校少年儿童",
            Category::MigrantChild => "农民工子女",
            Category::Elderly => "老年居民",
            Category::DisabledAdult => "重度残疾成年居民",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Category::Student => "pupil",
            Category::Child => "child not in school",
            Category::MigrantChild => "child of a migrant-worker family",
            Category::Elderly => "elderly resident",
            Category::DisabledAdult => "severely disabled adult",
        }
    }

    pub fn is_minor_family(self) -> bool {
        matches!(
            self,
            Category::Student | Category::Child | Category::MigrantChild
        )
    }
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Tier {
        AdultStandard = "adult_standard",
        AdultAssisted = "adult_assisted",
        MinorStandard = "minor_standard",
        MinorAssisted = "minor_assisted",
    }
}

impl Tier {
    pub fn zh(self) -> &'static str {
        match self {
            Tier::AdultStandard => "成年居民标准",
            Tier::AdultAssisted => "成年居民财政增加补助标准",
            Tier::MinorStandard => "未成年居民标准",
            Tier::MinorAssisted => "未成年居民财政增加补助标准",
        }
    }

    fn article(self) -> &'static str {
        match self {
            Tier::AdultStandard | Tier::AdultAssisted => "E5",
            Tier::MinorStandard | Tier::MinorAssisted => "E6",
        }
    }
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Registrar {
        School = "school",
        CommunityOffice = "community_office",
    }
}

crate::coded! {
    /// Documents needed beyond photo, ID card and household register. Declared
    /// in the alphabetical order of their codes, so sorting the values sorts the
    /// codes.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Evidence {
        DibaoCertificate = "dibao_certificate",
        DisabilityCertificate = "disability_certificate",
        LowIncomeProof = "low_income_proof",
        TemporaryResidencePermit = "temporary_residence_permit",
    }
}

impl Evidence {
    pub fn zh(self) -> &'static str {
        match self {
            Evidence::DibaoCertificate => "《城市居民最低生活保障金领取证》",
            Evidence::DisabilityCertificate => "一级或二级《中华人民共和国残疾人证》",
            Evidence::LowIncomeProof => "民政部门出具的低收入家庭证明",
            Evidence::TemporaryResidencePermit => "暂住证",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Evidence::DibaoCertificate => "minimum-living-allowance (dibao) certificate",
            Evidence::DisabilityCertificate => "disability certificate of grade 1 or 2",
            Evidence::LowIncomeProof => "civil-affairs proof of a low-income household",
            Evidence::TemporaryResidencePermit => "temporary-residence permit",
        }
    }
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum RefusalReason {
        NcmsEnrolled = "ncms_enrolled",
        EmployeeInsured = "employee_insured",
        HukouMovedInTooRecently = "hukou_moved_in_too_recently",
        WorkingAgeNotCovered = "working_age_not_covered",
        /// Born after the day of the quote: a mistyped birth date or ID number.
        BirthInFuture = "birth_in_future",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Quote {
    Eligible {
        age: u32,
        category: Category,
        tier: Tier,
        registrar: Registrar,
        total: Money,
        personal: Money,
        subsidy: Subsidy,
        /// Sorted by code.
        evidence: Vec<Evidence>,
        explanation: Explanation,
    },
    Refused {
        age: u32,
        reason: RefusalReason,
        explanation: Explanation,
    },
}

impl Quote {
    pub fn age(&self) -> u32 {
        match self {
            Quote::Eligible { age, .. } | Quote::Refused { age, .. } => *age,
        }
    }

    pub fn is_eligible(&self) -> bool {
        matches!(self, Quote::Eligible { .. })
    }

    pub fn explanation(&self) -> &Explanation {
        match self {
            Quote::Eligible { explanation, .. } | Quote::Refused { explanation, .. } => explanation,
        }
    }
}

/// Whole years of age on `reference`; 0 for a person born after it.
pub fn age_on(birth: NaiveDate, reference: NaiveDate) -> u32 {
    let years = reference.year() - birth.year();
    let before_birthday = (reference.month(), reference.day()) < (birth.month(), birth.day());
    let age = if before_birthday { years - 1 } else { years };
    u32::try_from(age).unwrap_or(0)
}

/// Age for a policy year, counted on the reference day of that year's parameters (E3).
pub fn age_for_policy_year(
    params: &YearParams,
    policy_year: i32,
    birth: NaiveDate,
) -> Result<u32, RulesError> {
    Ok(age_on(
        birth,
        params.eligibility.reference_date(policy_year)?,
    ))
}

fn refuse(age: u32, reason: RefusalReason, ex: Trace) -> Quote {
    Quote::Refused {
        age,
        reason,
        explanation: ex.finish(),
    }
}

/// Decides whether a person may enrol for `policy_year`, and on what terms.
pub fn quote(rules: &Rules, policy_year: i32, p: &PersonFacts) -> Result<Quote, RulesError> {
    quote_with(rules, policy_year, p, true)
}

/// Whether someone born on `birth` has been born by `today`: a birth date
/// after it is refused ([`RefusalReason::BirthInFuture`]).
pub fn born_by(birth: NaiveDate, today: NaiveDate) -> Result<(), RefusalReason> {
    if birth > today {
        Err(RefusalReason::BirthInFuture)
    } else {
        Ok(())
    }
}

/// [`quote`] on a given day: a person born after `today` (a mistyped birth
/// date, or an identity number whose date has not come yet) is refused with
/// [`RefusalReason::BirthInFuture`]. The crate has no clock: every caller
/// that has one (enrolment, pre-registration, the public estimate, the
/// rules API) quotes on its today.
pub fn quote_on(
    rules: &Rules,
    policy_year: i32,
    p: &PersonFacts,
    today: NaiveDate,
    explain: bool,
) -> Result<Quote, RulesError> {
    decide(rules, policy_year, p, explain, Some(today))
}

/// [`quote`], leaving the explanation empty when `explain` is false (bulk runs).
pub fn quote_with(
    rules: &Rules,
    policy_year: i32,
    p: &PersonFacts,
    explain: bool,
) -> Result<Quote, RulesError> {
    decide(rules, policy_year, p, explain, None)
}

fn decide(
    rules: &Rules,
    policy_year: i32,
    p: &PersonFacts,
    explain: bool,
    today: Option<NaiveDate>,
) -> Result<Quote, RulesError> {
    let params = rules.year(policy_year)?;
    let id = idcard::check(&p.id_number).map_err(RulesError::InvalidId)?;
    if id.birth_date != p.birth_date {
        return Err(RulesError::IdMismatch {
            field: "birth_date",
        });
    }
    if id.sex != p.sex {
        return Err(RulesError::IdMismatch { field: "sex" });
    }
    if let Some(grade) = p.disability_grade {
        if !(1..=4).contains(&grade) {
            return Err(RulesError::InvalidInput(format!(
                "disability_grade is 1 to 4 or null, not {grade}"
            )));
        }
    }
    let e = &params.eligibility;
    let reference = e.reference_date(policy_year)?;
    let age = age_on(p.birth_date, reference);
    let mut ex = Trace::new(explain);
    if let Some(today) = today.filter(|today| born_by(p.birth_date, *today).is_err()) {
        step!(
            ex,
            "E3",
            format!("出生日期{}晚于今天({today}),尚未出生的人不能参保;请核对出生日期或身份证号码。", p.birth_date),
            format!("Born {}, after today ({today}): nobody can enrol before being born; check the birth date or the identity number.", p.birth_date),
        );
        return Ok(refuse(0, RefusalReason::BirthInFuture, ex));
    }
    step!(
        ex,
        "E3",
        format!("年龄计算截止{reference}:出生于{},{age}周岁。", p.birth_date),
        format!(
            "Age is counted on {reference}: born {}, {age} years old.",
            p.birth_date
        ),
    );

    if p.ncms_enrolled {
        step!(
            ex,
            "E3",
            "已参加新型农村牧区合作医疗,一人只能参加一种制度,不能参加城镇居民基本医疗保险。",
            "Enrolled in the new rural cooperative medical scheme (NCMS): one person, one scheme.",
        );
        return Ok(refuse(age, RefusalReason::NcmsEnrolled, ex));
    }
    let elderly_age = e.elderly_age(p.sex);
    if p.employee_insured {
        let choice_age = e.flexible_employment_choice_age(p.sex);
        if p.flexible_employment && age >= choice_age {
            step!(
                ex,
                "E18",
                format!("以灵活就业人员身份参加城镇职工基本医疗保险,{}年满{choice_age}周岁,可自愿选择参加城镇居民基本医疗保险。", p.sex.zh()),
                format!("Insured as a flexible-employment worker and {age} (≥ {choice_age}): may choose this scheme instead of employee insurance."),
            );
        } else {
            if p.flexible_employment {
                step!(
                    ex,
                    "E18",
                    format!("以灵活就业人员身份参加城镇职工基本医疗保险,{}未满{choice_age}周岁,不能选择城镇居民基本医疗保险。", p.sex.zh()),
                    format!("Insured as a flexible-employment worker but under {choice_age}: cannot choose this scheme yet."),
                );
            } else {
                step!(
                    ex,
                    "E3",
                    "已参加城镇职工基本医疗保险,不属于城镇居民基本医疗保险参保范围。",
                    "Insured in urban-employee medical insurance: outside this scheme.",
                );
            }
            return Ok(refuse(age, RefusalReason::EmployeeInsured, ex));
        }
    }
    if !p.in_school {
        if let Some(moved) = p.hukou_moved_in_year {
            if moved >= e.scheme_start_year && policy_year <= moved {
                let from = moved.saturating_add(1);
                step!(
                    ex,
                    "E16",
                    format!("非农业户口于{moved}年迁入城镇,可从迁入户口的第二年即{from}年起参保。"),
                    format!("Non-agricultural hukou moved into the town in {moved}: may enrol from policy year {from}."),
                );
                return Ok(refuse(age, RefusalReason::HukouMovedInTooRecently, ex));
            }
        }
    }

    let minor_by_age = age < e.minor_below_age;
    let severe = e.is_severe(p.disability_grade);
    let category = if p.migrant_worker_child && (p.in_school || minor_by_age) {
        Category::MigrantChild
    } else if p.in_school {
        Category::Student
    } else if minor_by_age {
        Category::Child
    } else if age >= elderly_age {
        Category::Elderly
    } else if severe {
        Category::DisabledAdult
    } else {
        match p.disability_grade {
            Some(grade) => step!(
                ex,
                "E3",
                format!("{age}周岁,残疾等级{grade}级,不属于一级或二级重度残疾,也非在校学生或老年居民;应按灵活就业人员参加城镇职工基本医疗保险(E17)。"),
                format!("{age} years old with a grade-{grade} disability, which is not severe (grade 1 or 2), and neither a pupil nor elderly: belongs in employee insurance as a flexible worker (E17)."),
            ),
            None => step!(
                ex,
                "E3",
                format!("{age}周岁,{}性未满{elderly_age}周岁,既非在校学生,也非重度残疾人;应按灵活就业人员参加城镇职工基本医疗保险(E17)。", p.sex.zh()),
                format!("{age} years old, under {elderly_age} for a {}, neither a pupil nor severely disabled: belongs in employee insurance as a flexible worker (E17).", p.sex.code()),
            ),
        }
        return Ok(refuse(age, RefusalReason::WorkingAgeNotCovered, ex));
    };
    let registrar = if p.in_school {
        Registrar::School
    } else {
        Registrar::CommunityOffice
    };
    if ex.is_on() {
        let grade = p.disability_grade.unwrap_or_default();
        let (article, zh, en) = match category {
            Category::MigrantChild => (
                "E3",
                "农民工子女,随父母在城镇居住,家庭未参加新型农村牧区合作医疗。".to_owned(),
                "Child of a migrant-worker family living in the town, not in NCMS.".to_owned(),
            ),
            Category::Student => (
                "E4",
                "中小学校(园)在校学生,不受户口和年龄限制。".to_owned(),
                "Pupil in school: any age, any hukou.".to_owned(),
            ),
            Category::Child => (
                "E3",
                format!("{age}周岁,未满{}周岁的非在校少年儿童。", e.minor_below_age),
                format!(
                    "{age} years old, under {}, not in school.",
                    e.minor_below_age
                ),
            ),
            Category::Elderly => (
                "E3",
                format!(
                    "{}性{age}周岁,达到{elderly_age}周岁的非从业城镇居民。",
                    p.sex.zh()
                ),
                format!(
                    "A {} of {age} (≥ {elderly_age}), not in employment.",
                    p.sex.code()
                ),
            ),
            Category::DisabledAdult => (
                "E3",
                format!("{age}周岁,残疾等级{grade}级,丧失劳动能力的重度残疾人。"),
                format!(
                    "{age} years old with a grade-{grade} disability: severely disabled adult."
                ),
            ),
        };
        ex.push(article, zh, en);
        let (zh, en) = match (category, registrar) {
            (_, Registrar::School) => ("由就读学校(园)办理参保登记。", "Registered by the school."),
            (Category::MigrantChild, _) => (
                "由居住地街道(社区)劳动保障事务所办理参保登记。",
                "Registered by the community labour-security office of the residence.",
            ),
            _ => (
                "由户口所在地街道(社区)或乡镇(苏木)劳动保障事务所办理参保登记。",
                "Registered by the community labour-security office of the hukou.",
            ),
        };
        ex.push("E9", zh, en);
    }

    // E5 gives the low-income ground to elderly members only; E6 has none for minors.
    let low_income_ground = !category.is_minor_family()
        && p.low_income_household
        && age >= e.low_income_assisted_from_age;
    let assisted = p.dibao || severe || low_income_ground;
    let tier = match (category.is_minor_family(), assisted) {
        (true, false) => Tier::MinorStandard,
        (true, true) => Tier::MinorAssisted,
        (false, false) => Tier::AdultStandard,
        (false, true) => Tier::AdultAssisted,
    };
    let mut evidence = Vec::with_capacity(2);
    if category == Category::MigrantChild {
        evidence.push(Evidence::TemporaryResidencePermit);
    }
    if category == Category::DisabledAdult {
        evidence.push(Evidence::DisabilityCertificate);
    }
    if assisted && category != Category::DisabledAdult {
        evidence.push(if p.dibao {
            Evidence::DibaoCertificate
        } else if severe {
            Evidence::DisabilityCertificate
        } else {
            Evidence::LowIncomeProof
        });
    }
    evidence.sort_unstable();

    let amounts = *params.tiers.get(tier);
    if ex.is_on() {
        let (ground_zh, ground_en) = if !assisted {
            (String::new(), String::new())
        } else if p.dibao {
            ("低保对象,".to_owned(), "dibao recipient, ".to_owned())
        } else if severe {
            ("重度残疾,".to_owned(), "severely disabled, ".to_owned())
        } else {
            let from = e.low_income_assisted_from_age;
            (
                format!("低收入家庭中{from}周岁以上老年人,"),
                format!("aged {from} or over in a low-income household, "),
            )
        };
        let (total, personal, subsidy) = (amounts.total, amounts.personal, amounts.subsidy.total());
        ex.push(
            tier.article(),
            format!("{ground_zh}按{}筹资:每人每年{total}元,其中个人缴纳{personal}元,财政补助{subsidy}元。", tier.zh()),
            format!("{ground_en}tier {}: {total} a year, of which the person pays {personal} and government {subsidy}.", tier.code()),
        );
        if p.low_income_household && !low_income_ground && !category.is_minor_family() {
            let from = e.low_income_assisted_from_age;
            ex.push(
                "E5",
                format!("低收入家庭只对{from}周岁以上老年人增加补助;{age}周岁按标准缴费。"),
                format!("A low-income household gives the assisted tier only from {from}; at {age} the standard amount applies."),
            );
        }
        let s = amounts.subsidy;
        ex.push(
            "E7",
            format!(
                "财政补助:中央{},自治区{},盟{},旗县市{}。",
                s.central, s.region, s.league, s.county
            ),
            format!(
                "Subsidy: central {}, region {}, league {}, county {}.",
                s.central, s.region, s.league, s.county
            ),
        );
        if params.contribution.cover_period == CoverPeriod::SecondHalf {
            ex.push(
                "E8",
                format!("{policy_year}年为首个年度,缴纳下半年的医疗保险费(按全年标准的一半)。"),
                format!("{policy_year} is the first year: the premium is for the second half-year (half the annual amounts)."),
            );
        }
        if !evidence.is_empty() {
            let zh: Vec<&str> = evidence.iter().map(|d| d.zh()).collect();
            let en: Vec<&str> = evidence.iter().map(|d| d.en()).collect();
            ex.push(
                "E10",
                format!("除照片、身份证、户口簿外,还需提供:{}。", zh.join("、")),
                format!(
                    "Besides photo, ID card and household register, bring: {}.",
                    en.join("; ")
                ),
            );
        }
    }
    Ok(Quote::Eligible {
        age,
        category,
        tier,
        registrar,
        total: amounts.total,
        personal: amounts.personal,
        subsidy: amounts.subsidy,
        evidence,
        explanation: ex.finish(),
    })
}

#[cfg(test)]
mod tests;
