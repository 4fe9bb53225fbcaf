//! The parameters of each policy year, read from TOML.
//!
//! Every amount, ratio, age, date, day count and list of the rules is a field
//! here, never a constant in code: the agency publishes new amounts every
//! year. One file per year lives in `policy/years/<year>.toml`;
//! [`Rules::builtin`] embeds them at compile time and [`Rules::from_toml`]
//! reads parameter sets kept elsewhere (a database). A file is checked when it
//! is read (the tier splits add up, dates exist, the holiday calendar belongs
//! to its year, …), so a decision never meets inconsistent parameters.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::benefit::{Cause, Disease, HospitalGrade};
use crate::eligibility::Tier;
use crate::idcard::{IdError, Sex};
use crate::money::Money;

/// Everything that can go wrong outside the rules themselves: missing or
/// inconsistent parameters, and inputs the rules cannot decide on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("no parameters for policy year {0}")]
    UnknownYear(i32),
    #[error("parameter file does not parse: {0}")]
    Parse(String),
    #[error("parameters of {year} are inconsistent: {reason}")]
    InvalidParams { year: i32, reason: String },
    #[error("parameters for {0} are given twice")]
    DuplicateYear(i32),
    #[error("invalid identity number: {0}")]
    InvalidId(IdError),
    #[error("{field} does not match the identity number")]
    IdMismatch { field: &'static str },
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("date out of the supported range")]
    DateOutOfRange,
}

impl RulesError {
    /// A lower snake case code, as answered by the API.
    pub fn code(&self) -> &'static str {
        match self {
            RulesError::UnknownYear(_) => "unknown_year",
            RulesError::Parse(_) => "bad_params",
            RulesError::InvalidParams { .. } => "bad_params",
            RulesError::DuplicateYear(_) => "bad_params",
            RulesError::InvalidId(_) => "bad_id_number",
            RulesError::IdMismatch { .. } => "id_mismatch",
            RulesError::InvalidInput(_) => "bad_field",
            RulesError::DateOutOfRange => "bad_field",
        }
    }
}

/// A day of the year without the year, written `"MM-DD"` ("04-30").
/// 29 February is refused: a yearly rule must exist every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        // 2001 is not a leap year, so 02-29 is refused here.
        NaiveDate::from_ymd_opt(2001, month, day).map(|_| MonthDay { month, day })
    }

    pub fn in_year(self, year: i32) -> Result<NaiveDate, RulesError> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).ok_or(RulesError::DateOutOfRange)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MonthDay, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = MonthDay;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a day of the year as \"MM-DD\", like \"04-30\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MonthDay, E> {
                let parsed = v.split_once('-').and_then(|(m, d)| {
                    if m.len() == 2 && d.len() == 2 {
                        MonthDay::new(m.parse().ok()?, d.parse().ok()?)
                    } else {
                        None
                    }
                });
                parsed.ok_or_else(|| E::custom(format!("not a day of the year \"MM-DD\": {v:?}")))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// Who may enrol and how age is counted (E3, E4, E16, E17, E18).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityParams {
    /// First policy year of the scheme: E16 applies to hukou moved in from then on.
    pub scheme_start_year: i32,
    /// Ages are counted on this day (E3: 31 December) …
    pub age_reference: MonthDay,
    /// … of the policy year plus this offset (E3: −1, the year before).
    pub age_reference_year_offset: i32,
    /// A minor is younger than this (E3: 18).
    pub minor_below_age: u32,
    pub elderly_male_age: u32,
    pub elderly_female_age: u32,
    /// E18: a flexible-employment worker in employee insurance may choose
    /// this scheme from these ages.
    pub flexible_employment_choice_male_age: u32,
    pub flexible_employment_choice_female_age: u32,
    /// E5: low-income households give the assisted tier from this age.
    pub low_income_assisted_from_age: u32,
    /// Disability certificate grades that count as severe (E3: 1 and 2).
    pub severe_disability_grades: Vec<u8>,
}

impl EligibilityParams {
    pub fn reference_date(&self, policy_year: i32) -> Result<NaiveDate, RulesError> {
        let year = policy_year
            .checked_add(self.age_reference_year_offset)
            .ok_or(RulesError::DateOutOfRange)?;
        self.age_reference.in_year(year)
    }

    pub fn elderly_age(&self, sex: Sex) -> u32 {
        match sex {
            Sex::Male => self.elderly_male_age,
            Sex::Female => self.elderly_female_age,
        }
    }

    pub fn flexible_employment_choice_age(&self, sex: Sex) -> u32 {
        match sex {
            Sex::Male => self.flexible_employment_choice_male_age,
            Sex::Female => self.flexible_employment_choice_female_age,
        }
    }

    pub fn is_severe(&self, grade: Option<u8>) -> bool {
        grade.is_some_and(|g| self.severe_disability_grades.contains(&g))
    }
}

/// What each level of government pays for one person (E5, E6, E7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    pub central: Money,
    /// 自治区 (the Inner Mongolia Autonomous Region).
    pub region: Money,
    /// 盟 (the league).
    pub league: Money,
    /// 旗县市 (the county).
    pub county: Money,
}

impl Subsidy {
    pub fn total(&self) -> Money {
        self.central + self.region + self.league + self.county
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierAmounts {
    pub total: Money,
    pub personal: Money,
    pub subsidy: Subsidy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub adult_standard: TierAmounts,
    pub adult_assisted: TierAmounts,
    pub minor_standard: TierAmounts,
    pub minor_assisted: TierAmounts,
}

impl Tiers {
    pub fn get(&self, tier: Tier) -> &TierAmounts {
        match tier {
            Tier::AdultStandard => &self.adult_standard,
            Tier::AdultAssisted => &self.adult_assisted,
            Tier::MinorStandard => &self.minor_standard,
            Tier::MinorAssisted => &self.minor_assisted,
        }
    }
}

/// The part of the year the contribution buys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverPeriod {
    FullYear,
    /// 2008, the first year: new enrollees paid for the second half (E8(一)).
    SecondHalf,
}

/// Payment windows, lapse and back-payment (E8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionParams {
    pub cover_period: CoverPeriod,
    /// A new enrollee registers and pays by this day of the policy year.
    pub new_enrollee_due: MonthDay,
    /// In the second year, the premium is due by this day of the policy year.
    pub second_year_due: MonthDay,
    /// From then on, the premium is due by this day …
    pub continuing_due: MonthDay,
    /// … of the policy year plus this offset (−1: the year before).
    pub continuing_due_year_offset: i32,
    /// The sweep (E8(三)): residents enrolled the year before without a
    /// payment for this year are interrupted from this day of the year.
    pub interruption: MonthDay,
}

/// Paperwork deadlines (E13, E19, M14, M19, M21, M22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineParams {
    /// E13: an office declares collected premiums within these working days.
    pub declare_premiums_working_days: u32,
    /// E13: an office sends the card list within these working days.
    pub card_list_working_days: u32,
    /// E19: the information centre makes cards within these working days.
    pub card_making_working_days: u32,
    /// E19: cards are delivered once every so many days.
    pub card_delivery_interval_days: u32,
    /// M21, M22: an emergency is filed with the agency within these days.
    pub emergency_filing_days: u32,
    /// M19: an emergency transfer is approved afterwards within these days.
    pub transfer_approval_days: u32,
    /// M14: a special item done in an emergency is approved within these days.
    pub special_item_approval_days: u32,
    /// M14: an item above this amount needs approval before it is done.
    pub special_item_threshold: Money,
    /// The portal warns a resident this many days before a contribution is
    /// due (E8 sets the day; how early to warn is the agency's choice).
    #[serde(default = "default_due_warning_days")]
    pub due_warning_days: u32,
}

fn default_due_warning_days() -> u32 {
    30
}

/// Deductibles (起付标准, B3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductibleParams {
    pub grade1: Money,
    pub grade2: Money,
    pub grade3: Money,
    /// Each further admission of the year lowers the deductible by this …
    pub step: Money,
    /// … but not below this.
    pub floor: Money,
    pub special_outpatient: Money,
}

impl DeductibleParams {
    pub fn base(&self, grade: HospitalGrade) -> Money {
        match grade {
            HospitalGrade::One => self.grade1,
            HospitalGrade::Two => self.grade2,
            HospitalGrade::Three => self.grade3,
        }
    }
}

/// Ratios of the fund (B4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioParams {
    pub grade1: Decimal,
    pub grade2: Decimal,
    pub grade3: Decimal,
    pub continuity_bonus: Decimal,
    /// The bonus applies from this many continuous years (三年以上 = ≥ 3).
    pub continuity_years: u32,
    pub special_outpatient: Decimal,
    pub special_outpatient_bonus: bool,
}

impl RatioParams {
    pub fn base(&self, grade: HospitalGrade) -> Decimal {
        match grade {
            HospitalGrade::One => self.grade1,
            HospitalGrade::Two => self.grade2,
            HospitalGrade::Three => self.grade3,
        }
    }
}

/// Annual caps (B6, B11).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapParams {
    pub general: Money,
    pub minor_blood_disease: Money,
    pub continuity_bonus: Money,
    pub continuity_years: u32,
    pub student_accident: Money,
    pub student_accident_bonus: bool,
}

/// Special-disease outpatient care (B7, B8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialOutpatientParams {
    pub diseases: Vec<Disease>,
    /// These share one annual sub-limit.
    pub sub_limited: Vec<Disease>,
    pub sub_limit: Money,
}

/// Causes the fund never pays for (B10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionParams {
    pub causes: Vec<Cause>,
}

/// B5, F16: a stay longer than this counts as a new admission every so many months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongStayParams {
    pub months: u32,
}

/// Days of the month of a payment run (B19).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunDays {
    pub first_day: u32,
    pub last_day: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRunParams {
    pub special_outpatient: RunDays,
    /// Transfers, non-designated emergency stays, outpatient emergencies
    /// (and, by our Reading, student accidents and any other resident claim).
    pub others: RunDays,
}

/// Fraud (M29).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FraudParams {
    pub review_suspension_months: u32,
    pub refund_within_months: u32,
    pub refunded_suspension_min_months: u32,
    pub refunded_suspension_max_months: u32,
}

/// The working calendar of one calendar year: weekends are days off except
/// the adjusted working weekends (调休), and the public holidays are days off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCalendar {
    /// The State Council notice the dates come from.
    pub source: String,
    /// Every day off that is not an ordinary weekend day may be listed; days
    /// of a holiday that fall on a weekend may be listed too.
    pub holidays: BTreeSet<NaiveDate>,
    /// Saturdays and Sundays that are working days.
    pub working_weekends: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    /// Only meaningful for a date of this calendar's year.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            return false;
        }
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => self.working_weekends.contains(&date),
            _ => true,
        }
    }
}

/// The parameters of one policy year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearParams {
    pub year: i32,
    /// Raised each time the agency amends this year's parameters.
    pub version: u32,
    /// The regulation (and notices) the values come from.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub eligibility: EligibilityParams,
    pub tiers: Tiers,
    pub contribution: ContributionParams,
    pub deadlines: DeadlineParams,
    pub deductible: DeductibleParams,
    pub ratios: RatioParams,
    pub caps: CapParams,
    pub special_outpatient: SpecialOutpatientParams,
    pub exclusions: ExclusionParams,
    pub long_stay: LongStayParams,
    pub payment_runs: PaymentRunParams,
    pub fraud: FraudParams,
    pub calendar: HolidayCalendar,
}

impl YearParams {
    /// Reads and checks one year's parameters.
    pub fn from_toml(text: &str) -> Result<YearParams, RulesError> {
        let params: YearParams =
            toml::from_str(text).map_err(|e| RulesError::Parse(e.to_string()))?;
        params.validate()?;
        Ok(params)
    }

    pub fn to_toml(&self) -> Result<String, RulesError> {
        toml::to_string(self).map_err(|e| RulesError::Parse(e.to_string()))
    }

    /// The checks a parameter set must pass before any decision uses it.
    pub fn validate(&self) -> Result<(), RulesError> {
        let year = self.year;
        let fail = |reason: String| Err(RulesError::InvalidParams { year, reason });
        if self.version == 0 {
            return fail("version starts at 1".into());
        }
        for (name, tier) in [
            ("adult_standard", &self.tiers.adult_standard),
            ("adult_assisted", &self.tiers.adult_assisted),
            ("minor_standard", &self.tiers.minor_standard),
            ("minor_assisted", &self.tiers.minor_assisted),
        ] {
            let subsidy = tier.subsidy;
            let parts = [
                tier.total,
                tier.personal,
                subsidy.central,
                subsidy.region,
                subsidy.league,
                subsidy.county,
            ];
            if parts.iter().any(|m| m.is_negative()) {
                return fail(format!("tier {name} has a negative amount"));
            }
            if tier.personal + subsidy.total() != tier.total {
                return fail(format!(
                    "tier {name}: personal {} + subsidy {} is not the total {}",
                    tier.personal,
                    subsidy.total(),
                    tier.total
                ));
            }
        }
        let e = &self.eligibility;
        if e.reference_date(year).is_err() {
            return fail("the age reference date does not exist".into());
        }
        if e.severe_disability_grades
            .iter()
            .any(|g| !(1..=4).contains(g))
        {
            return fail("disability grades run from 1 to 4".into());
        }
        let money = [
            self.deductible.grade1,
            self.deductible.grade2,
            self.deductible.grade3,
            self.deductible.step,
            self.deductible.floor,
            self.deductible.special_outpatient,
            self.caps.general,
            self.caps.minor_blood_disease,
            self.caps.continuity_bonus,
            self.caps.student_accident,
            self.special_outpatient.sub_limit,
            self.deadlines.special_item_threshold,
        ];
        if money.iter().any(|m| m.is_negative()) {
            return fail("deductibles, caps and limits cannot be negative".into());
        }
        let r = &self.ratios;
        for ratio in [r.grade1, r.grade2, r.grade3, r.special_outpatient] {
            let with_bonus = ratio.checked_add(r.continuity_bonus);
            if ratio.is_sign_negative() || with_bonus.is_none_or(|v| v > Decimal::ONE) {
                return fail(format!(
                    "ratio {ratio} (with its bonus) is not between 0 and 1"
                ));
            }
        }
        if r.continuity_bonus.is_sign_negative() {
            return fail("the continuity bonus cannot be negative".into());
        }
        if let Some(d) = self
            .special_outpatient
            .sub_limited
            .iter()
            .find(|d| !self.special_outpatient.diseases.contains(d))
        {
            return fail(format!(
                "sub-limited disease {d:?} is not a special disease"
            ));
        }
        if self.long_stay.months == 0 {
            return fail("the long-stay period must be at least one month".into());
        }
        for (name, run) in [
            ("special_outpatient", self.payment_runs.special_outpatient),
            ("others", self.payment_runs.others),
        ] {
            if run.first_day < 1 || run.first_day > run.last_day || run.last_day > 28 {
                return fail(format!("payment run {name} must lie within days 1 to 28"));
            }
        }
        let f = &self.fraud;
        if f.refunded_suspension_min_months > f.refunded_suspension_max_months {
            return fail("fraud suspension minimum is above the maximum".into());
        }
        let c = &self.calendar;
        if let Some(d) = c
            .holidays
            .iter()
            .chain(&c.working_weekends)
            .find(|d| d.year() != year)
        {
            return fail(format!("calendar date {d} is not in {year}"));
        }
        if let Some(d) = c
            .working_weekends
            .iter()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return fail(format!("working weekend {d} is not a Saturday or Sunday"));
        }
        if let Some(d) = c.holidays.intersection(&c.working_weekends).next() {
            return fail(format!("{d} is both a holiday and a working day"));
        }
        Ok(())
    }
}

const BUILTIN: [&str; 5] = [
    include_str!("../years/2008.toml"),
    include_str!("../years/2009.toml"),
    include_str!("../years/2010.toml"),
    include_str!("../years/2026.toml"),
    include_str!("../years/2027.toml"),
];

/// The parameter sets of all known policy years.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    pub years: BTreeMap<i32, YearParams>,
}

impl Rules {
    /// The parameter files shipped with the crate (2008, 2009, 2010, 2026).
    ///
    /// Infallible by design: the files are checked by this crate's tests, and
    /// should one ever fail to load, its year is simply absent (decisions for
    /// it answer [`RulesError::UnknownYear`]) rather than the program
    /// stopping. [`Rules::try_builtin`] reports such a failure instead.
    pub fn builtin() -> Rules {
        let mut rules = Rules::default();
        for text in BUILTIN {
            if let Ok(params) = YearParams::from_toml(text) {
                rules.years.insert(params.year, params);
            }
        }
        rules
    }

    /// The shipped parameter files, failing on the first one that does not load.
    pub fn try_builtin() -> Result<Rules, RulesError> {
        Rules::from_toml(&BUILTIN)
    }

    /// Parameter sets from TOML texts, one year each.
    pub fn from_toml(texts: &[&str]) -> Result<Rules, RulesError> {
        let mut rules = Rules::default();
        for text in texts {
            rules.insert(YearParams::from_toml(text)?)?;
        }
        Ok(rules)
    }

    /// Adds a checked year; a year already present is an error (replace it
    /// through `years` on purpose if a new version is meant).
    pub fn insert(&mut self, params: YearParams) -> Result<(), RulesError> {
        params.validate()?;
        if self.years.contains_key(&params.year) {
            return Err(RulesError::DuplicateYear(params.year));
        }
        self.years.insert(params.year, params);
        Ok(())
    }

    /// Replaces a year's parameters by an amended version (a higher
    /// `version`), or adds the year; answers the version it replaced.
    pub fn amend(&mut self, params: YearParams) -> Result<Option<YearParams>, RulesError> {
        params.validate()?;
        if let Some(current) = self.years.get(&params.year) {
            if current.version >= params.version {
                return Err(RulesError::InvalidParams {
                    year: params.year,
                    reason: format!(
                        "version {} does not amend version {}",
                        params.version, current.version
                    ),
                });
            }
        }
        Ok(self.years.insert(params.year, params))
    }

    pub fn year(&self, year: i32) -> Result<&YearParams, RulesError> {
        self.years.get(&year).ok_or(RulesError::UnknownYear(year))
    }

    /// The most recent policy year known.
    pub fn latest(&self) -> Option<&YearParams> {
        self.years.values().next_back()
    }
}

#[cfg(test)]
mod tests;
