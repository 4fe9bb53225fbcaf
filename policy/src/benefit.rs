//! What the fund pays for one claim (B2–B11, M7, M14, M18–M25).
//!
//! Payout = min(round((in_catalogue − deductible)⁺ × ratio), remaining caps),
//! rounded half-up to the fen once.
//!
//! Readings implemented here:
//! - An outpatient emergency is not an admission: it always has the base
//!   deductible of its hospital's grade.
//! - Special-disease outpatient care: no deductible, 60 %, no +5 bonus; the
//!   tuberculosis / psychosis / insulin-diabetes sub-limit sits inside the
//!   general cap.
//! - Student no-fault accidents: the normal deductible (by admission ordinal)
//!   and ratio (with the bonus), inside their own 20,000 cap, which has no
//!   +5,000 bonus and does not count against the general cap.
//! - The +5 points and +5,000 apply from 3 continuous years (三年以上 = ≥ 3).
//! - A cap already exceeded leaves nothing (never a negative payout); a
//!   payout cut by a cap still reports its deductible and ratio.
//! - Reasons for paying nothing are checked in this order: not covered,
//!   excluded cause, transfer not approved, emergency not filed in time,
//!   not a special disease.

use std::num::NonZeroU32;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::explain::{Explanation, Trace};
use crate::money::{round_half_up, Money};
use crate::params::{RulesError, YearParams};

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ClaimKind {
        Inpatient = "inpatient",
        Transfer = "transfer",
        NondesignatedEmergency = "nondesignated_emergency",
        OutpatientEmergency = "outpatient_emergency",
        SpecialOutpatient = "special_outpatient",
        StudentAccident = "student_accident",
    }
}

impl ClaimKind {
    fn en(self) -> &'static str {
        match self {
            ClaimKind::Inpatient => "Inpatient stay",
            ClaimKind::Transfer => "Transfer",
            ClaimKind::NondesignatedEmergency => "Emergency stay at a non-designated hospital",
            ClaimKind::OutpatientEmergency => "Outpatient emergency",
            ClaimKind::SpecialOutpatient => "Special-disease outpatient care",
            ClaimKind::StudentAccident => "Student no-fault accident",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            ClaimKind::Inpatient => "住院",
            ClaimKind::Transfer => "转院",
            ClaimKind::NondesignatedEmergency => "非定点医疗机构急诊住院",
            ClaimKind::OutpatientEmergency => "门诊紧急抢救",
            ClaimKind::SpecialOutpatient => "特殊病门诊",
            ClaimKind::StudentAccident => "学生无责任意外伤害",
        }
    }
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Cause {
        Fight = "fight",
        Crime = "crime",
        Drunkenness = "drunkenness",
        SelfHarm = "self_harm",
        Suicide = "suicide",
        TrafficAccident = "traffic_accident",
        MedicalAccident = "medical_accident",
    }
}

impl Cause {
    fn zh(self) -> &'static str {
        match self {
            Cause::Fight => "打架斗殴",
            Cause::Crime => "违法犯罪",
            Cause::Drunkenness => "酗酒",
            Cause::SelfHarm => "自残",
            Cause::Suicide => "自杀",
            Cause::TrafficAccident => "交通事故",
            Cause::MedicalAccident => "医疗事故",
        }
    }
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Disease {
        OrganTransplant = "organ_transplant",
        CancerRadioChemo = "cancer_radio_chemo",
        UraemiaDialysis = "uraemia_dialysis",
        Tuberculosis = "tuberculosis",
        Psychosis = "psychosis",
        DiabetesInsulin = "diabetes_insulin",
    }
}

impl Disease {
    fn zh(self) -> &'static str {
        match self {
            Disease::OrganTransplant => "器官移植术后抗排斥治疗",
            Disease::CancerRadioChemo => "恶性肿瘤放化疗",
            Disease::UraemiaDialysis => "尿毒症透析治疗",
            Disease::Tuberculosis => "结核病",
            Disease::Psychosis => "精神病",
            Disease::DiabetesInsulin => "糖尿病胰岛素治疗",
        }
    }
}

/// Hospital grade 1, 2 or 3 (township and community health centres are 1).
/// Serialised as the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum HospitalGrade {
    One,
    Two,
    Three,
}

impl HospitalGrade {
    fn zh(self) -> &'static str {
        match self {
            HospitalGrade::One => "一级",
            HospitalGrade::Two => "二级",
            HospitalGrade::Three => "三级",
        }
    }
}

impl TryFrom<u8> for HospitalGrade {
    type Error = String;
    fn try_from(n: u8) -> Result<HospitalGrade, String> {
        match n {
            1 => Ok(HospitalGrade::One),
            2 => Ok(HospitalGrade::Two),
            3 => Ok(HospitalGrade::Three),
            _ => Err(format!("hospital_grade is 1, 2 or 3, not {n}")),
        }
    }
}

impl From<HospitalGrade> for u8 {
    fn from(g: HospitalGrade) -> u8 {
        match g {
            HospitalGrade::One => 1,
            HospitalGrade::Two => 2,
            HospitalGrade::Three => 3,
        }
    }
}

/// The facts of one claim that decide the payout: exactly the `claim`
/// object of the `benefit` request. The `paid_ytd_*` amounts are what the
/// fund already paid this person in the claim's year (the discharge year).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimFacts {
    pub kind: ClaimKind,
    /// The in-catalogue, reasonable part of the bill (M7).
    pub in_catalogue: Money,
    pub hospital_grade: HospitalGrade,
    /// 1 for the first admission of the year (B3); see [`admission_ordinals`].
    pub admission_ordinal: NonZeroU32,
    pub continuous_years: u32,
    pub minor_blood_disease: bool,
    #[serde(default)]
    pub cause: Option<Cause>,
    pub transfer_approved: bool,
    /// Days from the emergency to its filing with the agency; null when not filed.
    #[serde(default)]
    pub filed_within_days: Option<u32>,
    #[serde(default)]
    pub disease: Option<Disease>,
    /// False when the resident was interrupted, inactive or suspended on the day of care.
    pub covered: bool,
    pub paid_ytd_general: Money,
    pub paid_ytd_sublimit: Money,
    pub paid_ytd_student_accident: Money,
}

crate::coded! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NoPayReason {
        NotCovered = "not_covered",
        ExcludedCause = "excluded_cause",
        TransferNotApproved = "transfer_not_approved",
        EmergencyNotFiled = "emergency_not_filed",
        NotSpecialDisease = "not_special_disease",
    }
}

crate::coded! {
    /// The cap that cut a payout.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CapKind {
        General = "general",
        SubLimit = "sub_limit",
        StudentAccident = "student_accident",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitDecision {
    pub payout: Money,
    /// None when nothing is paid for a reason.
    pub deductible: Option<Money>,
    pub ratio: Option<Decimal>,
    pub reason: Option<NoPayReason>,
    /// The cap that reduced the payout, if one did.
    pub capped_by: Option<CapKind>,
    pub explanation: Explanation,
}

/// The deductible of a claim (B3): base by grade, lowered by the step for each
/// further admission of the year, never below the floor. Outpatient
/// emergencies always have the base; special outpatient care its own (0).
pub fn deductible(
    params: &YearParams,
    kind: ClaimKind,
    grade: HospitalGrade,
    ordinal: NonZeroU32,
) -> Money {
    let d = &params.deductible;
    let base = d.base(grade);
    match kind {
        ClaimKind::SpecialOutpatient => d.special_outpatient,
        ClaimKind::OutpatientEmergency => base,
        ClaimKind::Inpatient
        | ClaimKind::Transfer
        | ClaimKind::NondesignatedEmergency
        | ClaimKind::StudentAccident => {
            let earlier = i64::from(ordinal.get().saturating_sub(1));
            let lowered = base - d.step.saturating_mul(earlier);
            // A base already below the floor is not raised to it.
            lowered.max(d.floor.min(base))
        }
    }
}

fn has_continuity(years: u32, needed: u32) -> bool {
    years >= needed
}

/// The ratio of a claim (B4).
pub fn ratio(
    params: &YearParams,
    kind: ClaimKind,
    grade: HospitalGrade,
    continuous_years: u32,
) -> Decimal {
    let r = &params.ratios;
    let (base, bonus_applies) = match kind {
        ClaimKind::SpecialOutpatient => (r.special_outpatient, r.special_outpatient_bonus),
        _ => (r.base(grade), true),
    };
    if bonus_applies && has_continuity(continuous_years, r.continuity_years) {
        base.checked_add(r.continuity_bonus).unwrap_or(base)
    } else {
        base
    }
}

/// The general annual cap of a person (B6).
pub fn annual_cap(params: &YearParams, minor_blood_disease: bool, continuous_years: u32) -> Money {
    let c = &params.caps;
    let base = if minor_blood_disease {
        c.minor_blood_disease
    } else {
        c.general
    };
    if has_continuity(continuous_years, c.continuity_years) {
        base + c.continuity_bonus
    } else {
        base
    }
}

/// The student no-fault accident cap (B11).
pub fn student_accident_cap(params: &YearParams, continuous_years: u32) -> Money {
    let c = &params.caps;
    if c.student_accident_bonus && has_continuity(continuous_years, c.continuity_years) {
        c.student_accident + c.continuity_bonus
    } else {
        c.student_accident
    }
}

/// A ratio as answered: two decimals ("0.60"), more only when it has them.
pub fn ratio_text(r: Decimal) -> String {
    if r.scale() <= 2 && !r.is_sign_negative() {
        // Integer hundredths: cheaper than Decimal's own formatting, which
        // this hot path would otherwise run several times per decision.
        let hundredths = 10i128
            .checked_pow(2 - r.scale())
            .and_then(|f| r.mantissa().checked_mul(f))
            .and_then(|h| u64::try_from(h).ok());
        if let Some(h) = hundredths {
            return format!("{}.{:02}", h / 100, h % 100);
        }
    }
    r.normalize().to_string()
}

fn nothing(reason: NoPayReason, ex: Trace) -> BenefitDecision {
    BenefitDecision {
        payout: Money::zero(),
        deductible: None,
        ratio: None,
        reason: Some(reason),
        capped_by: None,
        explanation: ex.finish(),
    }
}

/// Decides one claim with the parameters of the year it is accounted to.
pub fn decide(params: &YearParams, c: &ClaimFacts) -> BenefitDecision {
    decide_with(params, c, true)
}

/// [`decide`], leaving the explanation empty when `explain` is false (bulk runs).
pub fn decide_with(params: &YearParams, c: &ClaimFacts, explain: bool) -> BenefitDecision {
    let mut ex = Trace::new(explain);
    if !c.covered {
        step!(
            ex,
            "E8",
            "就医时处于中断缴费、未参保或停止待遇期间,医保基金不予支付。",
            "On the day of care the resident was interrupted, not enrolled or suspended: the fund pays nothing.",
        );
        return nothing(NoPayReason::NotCovered, ex);
    }
    if let Some(cause) = c
        .cause
        .filter(|cause| params.exclusions.causes.contains(cause))
    {
        let article = if c.kind == ClaimKind::StudentAccident {
            "M25"
        } else {
            "B10"
        };
        step!(
            ex,
            article,
            format!("因{}发生的医疗费用,医保基金不予支付。", cause.zh()),
            format!(
                "Care caused by {} is never paid by the fund.",
                cause.code().replace('_', " ")
            ),
        );
        return nothing(NoPayReason::ExcludedCause, ex);
    }
    if c.kind == ClaimKind::Transfer && !c.transfer_approved {
        step!(
            ex,
            "M18",
            "未经医保经办机构同意自行到外地住院治疗,医疗费用不予支付。",
            "A stay elsewhere without the agency's transfer approval is not paid.",
        );
        return nothing(NoPayReason::TransferNotApproved, ex);
    }
    let filing_days = params.deadlines.emergency_filing_days;
    if matches!(
        c.kind,
        ClaimKind::NondesignatedEmergency | ClaimKind::OutpatientEmergency
    ) && c.filed_within_days.is_none_or(|days| days > filing_days)
    {
        let article = if c.kind == ClaimKind::OutpatientEmergency {
            "M22"
        } else {
            "M21"
        };
        match c.filed_within_days {
            Some(days) => step!(
                ex,
                article,
                format!("紧急抢救于{days}日后才报医保经办机构备案,超过{filing_days}日,不予支付。"),
                format!("The emergency was filed after {days} days, more than {filing_days}: not paid."),
            ),
            None => step!(
                ex,
                article,
                format!("紧急抢救未在{filing_days}日内报医保经办机构备案,不予支付。"),
                format!("The emergency was not filed with the agency within {filing_days} days: not paid."),
            ),
        }
        return nothing(NoPayReason::EmergencyNotFiled, ex);
    }
    let special = &params.special_outpatient;
    let disease = match (c.kind, c.disease) {
        (ClaimKind::SpecialOutpatient, Some(d)) if special.diseases.contains(&d) => Some(d),
        (ClaimKind::SpecialOutpatient, _) => {
            step!(
                ex,
                "B7",
                "不属于特殊病门诊病种,门诊费用不予支付。",
                "Not one of the special outpatient diseases: outpatient care is not paid.",
            );
            return nothing(NoPayReason::NotSpecialDisease, ex);
        }
        _ => None,
    };
    amounts(params, c, disease, ex)
}

/// One of a person's caps in a year: what it allows, what decided claims of
/// the year already used, what is left (the enquiry page's "claims against
/// each cap").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapUse {
    pub kind: CapKind,
    pub article: &'static str,
    pub cap: Money,
    pub used: Money,
    pub left: Money,
}

/// The payouts already decided in a year, per cap they count against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaidInYear {
    pub general: Money,
    pub sub_limit: Money,
    pub student_accident: Money,
}

impl PaidInYear {
    /// Counts one decided payout where the engine would (as when it decides
    /// the next claim): a student accident against its own cap, everything
    /// else against the general cap, and the sub-limited diseases (B8) also
    /// against the sub-limit.
    pub fn add(
        &mut self,
        params: &YearParams,
        kind: ClaimKind,
        disease: Option<Disease>,
        payout: Money,
    ) {
        if kind == ClaimKind::StudentAccident {
            self.student_accident += payout;
        } else {
            self.general += payout;
            if disease.is_some_and(|d| params.special_outpatient.sub_limited.contains(&d)) {
                self.sub_limit += payout;
            }
        }
    }
}

/// The three caps of a person's year with what is used and left: the general
/// cap (B6, raised for a minor's blood disease and for continuity), the
/// special-outpatient sub-limit (B8) and the student accident cap (B11).
pub fn caps_in_year(
    params: &YearParams,
    minor_blood_disease: bool,
    continuous_years: u32,
    paid: &PaidInYear,
) -> [CapUse; 3] {
    let line = |kind, article, cap: Money, used: Money| CapUse {
        kind,
        article,
        cap,
        used,
        left: cut(Money::zero(), cap, used).0,
    };
    [
        line(
            CapKind::General,
            "B6",
            annual_cap(params, minor_blood_disease, continuous_years),
            paid.general,
        ),
        line(
            CapKind::SubLimit,
            "B8",
            params.special_outpatient.sub_limit,
            paid.sub_limit,
        ),
        line(
            CapKind::StudentAccident,
            "B11",
            student_accident_cap(params, continuous_years),
            paid.student_accident,
        ),
    ]
}

/// The remaining room under a cap, and whether it cuts `payout`.
fn cut(payout: Money, cap: Money, used: Money) -> (Money, Money) {
    let left = (cap - used.positive_part()).positive_part();
    (left, payout.min(left))
}

fn amounts(
    params: &YearParams,
    c: &ClaimFacts,
    disease: Option<Disease>,
    mut ex: Trace,
) -> BenefitDecision {
    let grade = u8::from(c.hospital_grade);
    let ordinal = c.admission_ordinal.get();
    let ded = deductible(params, c.kind, c.hospital_grade, c.admission_ordinal);
    match c.kind {
        ClaimKind::SpecialOutpatient => step!(
            ex,
            "B4",
            format!("特殊病门诊({}),无起付标准。", disease.map(Disease::zh).unwrap_or_default()),
            format!("Special-disease outpatient care ({}): no deductible.", disease.map(Disease::code).unwrap_or_default()),
        ),
        ClaimKind::OutpatientEmergency => step!(
            ex,
            "B3",
            format!("{}医院门诊紧急抢救,起付标准{ded}元(门诊抢救不计住院次数)。", c.hospital_grade.zh()),
            format!("Outpatient emergency at a grade-{grade} hospital: deductible {ded} (not counted as an admission)."),
        ),
        _ => step!(
            ex,
            "B3",
            format!("{}:{}医院,本年度第{ordinal}次住院,起付标准{ded}元。", c.kind.zh(), c.hospital_grade.zh()),
            format!("{} at a grade-{grade} hospital, admission {ordinal} of the year: deductible {ded}.", c.kind.en()),
        ),
    }
    if c.kind == ClaimKind::NondesignatedEmergency {
        step!(
            ex,
            "M21",
            "非定点医疗机构紧急抢救,按同级定点医疗机构住院支付标准支付。",
            "Emergency at a non-designated hospital: paid at the standard of a designated hospital of the same grade.",
        );
    }
    let r = ratio(params, c.kind, c.hospital_grade, c.continuous_years);
    let rt = if ex.is_on() {
        ratio_text(r)
    } else {
        String::new()
    };
    if ex.is_on() {
        let bonus_years = params.ratios.continuity_years;
        if r != params.ratios.base(c.hospital_grade) && c.kind != ClaimKind::SpecialOutpatient {
            ex.push(
                "B4",
                format!(
                    "连续缴费{}年(满{bonus_years}年),支付比例提高至{rt}。",
                    c.continuous_years
                ),
                format!(
                    "{} continuous years (≥ {bonus_years}): ratio raised to {rt}.",
                    c.continuous_years
                ),
            );
        } else {
            ex.push("B4", format!("支付比例{rt}。"), format!("Ratio {rt}."));
        }
    }

    let above = (c.in_catalogue - ded).positive_part();
    let computed = above
        .to_decimal()
        .checked_mul(r)
        .map_or(Money::from_fen(i64::MAX), round_half_up);
    step!(
        ex,
        "B2",
        format!(
            "目录内合理费用{}元,减起付标准后{above}元,乘以{rt},四舍五入得{computed}元。",
            c.in_catalogue
        ),
        format!(
            "In-catalogue {} less the deductible is {above}; × {rt}, rounded half-up: {computed}.",
            c.in_catalogue
        ),
    );

    let mut payout = computed;
    let mut capped_by = None;
    // (cap, already paid, which cap, article, name zh, name en)
    type CapLine = (
        Money,
        Money,
        CapKind,
        &'static str,
        &'static str,
        &'static str,
    );
    let (first, second): (CapLine, Option<CapLine>) = if c.kind == ClaimKind::StudentAccident {
        let cap = student_accident_cap(params, c.continuous_years);
        let name_zh = "学生无责任意外伤害年度最高支付限额";
        (
            (
                cap,
                c.paid_ytd_student_accident,
                CapKind::StudentAccident,
                "B11",
                name_zh,
                "Student accident annual cap",
            ),
            None,
        )
    } else {
        let name_zh = if c.minor_blood_disease {
            "未成年人血液系统疾病年度最高支付限额"
        } else {
            "年度最高支付限额"
        };
        let general = (
            annual_cap(params, c.minor_blood_disease, c.continuous_years),
            c.paid_ytd_general,
            CapKind::General,
            "B6",
            name_zh,
            "Annual cap",
        );
        let sub = disease
            .filter(|d| params.special_outpatient.sub_limited.contains(d))
            .map(|_| {
                (
                    params.special_outpatient.sub_limit,
                    c.paid_ytd_sublimit,
                    CapKind::SubLimit,
                    "B8",
                    "结核病、精神病、糖尿病胰岛素治疗年度限额",
                    "Sub-limit for TB, psychosis and insulin diabetes",
                )
            });
        (general, sub)
    };
    for (cap, used, kind, article, name_zh, name_en) in std::iter::once(first).chain(second) {
        let (left, after) = cut(payout, cap, used);
        if after < payout {
            payout = after;
            capped_by = Some(kind);
            step!(
                ex,
                article,
                format!("{name_zh}{cap}元,本年度已支付{used}元,剩余{left}元,本次支付{left}元。"),
                format!(
                    "{name_en} {cap}, already paid {used} this year, {left} left: {left} paid."
                ),
            );
        }
    }
    BenefitDecision {
        payout,
        deductible: Some(ded),
        ratio: Some(r),
        reason: None,
        capped_by,
        explanation: ex.finish(),
    }
}

/// One inpatient stay, from admission to discharge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    pub admitted: NaiveDate,
    pub discharged: NaiveDate,
}

/// A stay, or a six-month part of a long stay, as the fund counts admissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Admission {
    /// Index of the stay in the input.
    pub stay: usize,
    pub from: NaiveDate,
    /// The discharge, or the end of the six-month part.
    pub to: NaiveDate,
    /// The year it is accounted to: the year of `to` (B5, F16).
    pub year: i32,
    /// 1 for the first admission of that year.
    pub ordinal: NonZeroU32,
}

/// Turns a person's stays into admissions with their ordinals (B3, B5, F16).
///
/// A stay longer than `long_stay_months` counts as a new admission every
/// `long_stay_months` months (a stay of exactly that length is one). Each
/// admission belongs to the year in which it ends — for a whole stay its
/// discharge year; for a part of a long stay, the year its part ends, since
/// that part is "treated as one admission" and settled then (Reading). Within
/// a year, admissions are numbered in order of their start.
pub fn admission_ordinals(
    long_stay_months: u32,
    stays: &[Stay],
) -> Result<Vec<Admission>, RulesError> {
    if long_stay_months == 0 {
        return Err(RulesError::InvalidInput(
            "the long-stay period must be at least one month".into(),
        ));
    }
    let mut parts: Vec<(usize, NaiveDate, NaiveDate)> = Vec::with_capacity(stays.len());
    for (index, stay) in stays.iter().enumerate() {
        if stay.discharged < stay.admitted {
            return Err(RulesError::InvalidInput(format!(
                "stay {index} is discharged ({}) before it is admitted ({})",
                stay.discharged, stay.admitted
            )));
        }
        let mut from = stay.admitted;
        let mut k: u32 = 1;
        loop {
            let months = long_stay_months
                .checked_mul(k)
                .ok_or(RulesError::DateOutOfRange)?;
            let boundary = stay
                .admitted
                .checked_add_months(Months::new(months))
                .ok_or(RulesError::DateOutOfRange)?;
            if stay.discharged <= boundary {
                parts.push((index, from, stay.discharged));
                break;
            }
            parts.push((index, from, boundary));
            from = boundary;
            k = k.saturating_add(1);
        }
    }
    parts.sort_by_key(|&(index, from, to)| (to.year(), from, to, index));
    let mut out = Vec::with_capacity(parts.len());
    let mut current_year = None;
    let mut n: u32 = 0;
    for (stay, from, to) in parts {
        if current_year != Some(to.year()) {
            current_year = Some(to.year());
            n = 0;
        }
        n = n.saturating_add(1);
        let ordinal = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        out.push(Admission {
            stay,
            from,
            to,
            year: to.year(),
            ordinal,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
