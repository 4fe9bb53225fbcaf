//! Properties of the rules, checked on generated cases. The benefit engine is
//! also run beside a small model written straight from RULES.md in integer
//! fen (cedar-style differential testing).

// Fixtures outside #[test] functions: a broken one should fail loudly.
#![allow(clippy::unwrap_used)]

use std::num::NonZeroU32;
use std::sync::OnceLock;

use chrono::NaiveDate;
use policy::benefit::{self, Cause, ClaimFacts, ClaimKind, Disease, HospitalGrade};
use policy::contribution::{self, PaidYear, StatusCode};
use policy::idcard;
use policy::money::{round_half_up, Money};
use policy::{api, Rules, YearParams};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::try_builtin().unwrap())
}

fn params() -> &'static YearParams {
    rules().year(2009).unwrap()
}

fn kind() -> impl Strategy<Value = ClaimKind> {
    prop_oneof![
        Just(ClaimKind::Inpatient),
        Just(ClaimKind::Transfer),
        Just(ClaimKind::NondesignatedEmergency),
        Just(ClaimKind::OutpatientEmergency),
        Just(ClaimKind::SpecialOutpatient),
        Just(ClaimKind::StudentAccident),
    ]
}

fn cause() -> impl Strategy<Value = Option<Cause>> {
    prop_oneof![
        8 => Just(None),
        1 => prop_oneof![
            Just(Cause::Fight),
            Just(Cause::Crime),
            Just(Cause::Drunkenness),
            Just(Cause::SelfHarm),
            Just(Cause::Suicide),
            Just(Cause::TrafficAccident),
            Just(Cause::MedicalAccident),
        ].prop_map(Some),
    ]
}

fn disease() -> impl Strategy<Value = Option<Disease>> {
    prop_oneof![
        1 => Just(None),
        4 => prop_oneof![
            Just(Disease::OrganTransplant),
            Just(Disease::CancerRadioChemo),
            Just(Disease::UraemiaDialysis),
            Just(Disease::Tuberculosis),
            Just(Disease::Psychosis),
            Just(Disease::DiabetesInsulin),
        ].prop_map(Some),
    ]
}

prop_compose! {
    fn claim()(
        kind in kind(),
        in_catalogue in 0i64..=50_000_000,
        grade in 1u8..=3,
        ordinal in 1u32..=8,
        continuous_years in 0u32..=6,
        minor_blood_disease in any::<bool>(),
        cause in cause(),
        transfer_approved in prop::bool::weighted(0.9),
        filed_within_days in prop::option::weighted(0.9, 0u32..=6),
        disease in disease(),
        covered in prop::bool::weighted(0.9),
        paid_ytd_general in 0i64..=5_000_000,
        paid_ytd_sublimit in 0i64..=300_000,
        paid_ytd_student_accident in 0i64..=2_500_000,
    ) -> ClaimFacts {
        ClaimFacts {
            kind,
            in_catalogue: Money::from_fen(in_catalogue),
            hospital_grade: HospitalGrade::try_from(grade).unwrap(),
            admission_ordinal: NonZeroU32::new(ordinal).unwrap(),
            continuous_years,
            minor_blood_disease,
            cause,
            transfer_approved,
            filed_within_days,
            disease,
            covered,
            paid_ytd_general: Money::from_fen(paid_ytd_general),
            paid_ytd_sublimit: Money::from_fen(paid_ytd_sublimit),
            paid_ytd_student_accident: Money::from_fen(paid_ytd_student_accident),
        }
    }
}

/// RULES.md §5 in integer fen, for the 2009 parameters.
fn model(c: &ClaimFacts) -> i64 {
    let excluded = c.cause.is_some();
    let emergency = matches!(
        c.kind,
        ClaimKind::NondesignatedEmergency | ClaimKind::OutpatientEmergency
    );
    if !c.covered
        || excluded
        || (c.kind == ClaimKind::Transfer && !c.transfer_approved)
        || (emergency && c.filed_within_days.is_none_or(|d| d > 3))
        || (c.kind == ClaimKind::SpecialOutpatient && c.disease.is_none())
    {
        return 0;
    }
    let grade = i64::from(u8::from(c.hospital_grade));
    let base = [0, 20_000, 30_000, 40_000][grade as usize];
    let deductible = match c.kind {
        ClaimKind::SpecialOutpatient => 0,
        ClaimKind::OutpatientEmergency => base,
        _ => (base - 10_000 * (i64::from(c.admission_ordinal.get()) - 1)).max(10_000),
    };
    let bonus = c.continuous_years >= 3;
    let percent = match c.kind {
        ClaimKind::SpecialOutpatient => 60,
        _ => [0, 65, 60, 55][grade as usize] + if bonus { 5 } else { 0 },
    };
    let above = (c.in_catalogue.fen() - deductible).max(0);
    let computed = (above * percent + 50) / 100;
    let left = |cap: i64, used: Money| (cap - used.fen()).max(0);
    let mut payout = computed;
    if c.kind == ClaimKind::StudentAccident {
        payout = payout.min(left(2_000_000, c.paid_ytd_student_accident));
    } else {
        let cap = if c.minor_blood_disease {
            4_000_000
        } else {
            3_000_000
        } + if bonus { 500_000 } else { 0 };
        payout = payout.min(left(cap, c.paid_ytd_general));
        if matches!(
            c.disease,
            Some(Disease::Tuberculosis | Disease::Psychosis | Disease::DiabetesInsulin)
        ) && c.kind == ClaimKind::SpecialOutpatient
        {
            payout = payout.min(left(200_000, c.paid_ytd_sublimit));
        }
    }
    payout
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn payout_agrees_with_the_model(c in claim()) {
        let d = benefit::decide(params(), &c);
        prop_assert_eq!(d.payout.fen(), model(&c), "{:?}", c);
    }

    #[test]
    fn payout_is_bounded(c in claim()) {
        let p = params();
        let d = benefit::decide(p, &c);
        prop_assert!(d.payout >= Money::zero());
        prop_assert!(d.payout <= c.in_catalogue);
        match d.reason {
            Some(_) => {
                prop_assert_eq!(d.payout, Money::zero());
                prop_assert!(d.deductible.is_none() && d.ratio.is_none());
            }
            None => {
                let ded = d.deductible.unwrap();
                prop_assert!(d.payout <= (c.in_catalogue - ded).positive_part());
                prop_assert!(d.ratio.unwrap() > Decimal::ZERO && d.ratio.unwrap() <= Decimal::ONE);
            }
        }
        if c.kind == ClaimKind::StudentAccident {
            let left = (benefit::student_accident_cap(p, c.continuous_years) - c.paid_ytd_student_accident).positive_part();
            prop_assert!(d.payout <= left);
        } else {
            let left = (benefit::annual_cap(p, c.minor_blood_disease, c.continuous_years) - c.paid_ytd_general).positive_part();
            prop_assert!(d.payout <= left);
            if c.kind == ClaimKind::SpecialOutpatient
                && c.disease.is_some_and(|x| p.special_outpatient.sub_limited.contains(&x))
            {
                prop_assert!(d.payout <= (p.special_outpatient.sub_limit - c.paid_ytd_sublimit).positive_part());
            }
        }
    }

    #[test]
    fn a_larger_bill_never_pays_less(c in claim(), extra in 0i64..=5_000_000) {
        let p = params();
        let mut larger = c.clone();
        larger.in_catalogue = c.in_catalogue + Money::from_fen(extra);
        prop_assert!(benefit::decide(p, &larger).payout >= benefit::decide(p, &c).payout);
    }

    #[test]
    fn more_already_paid_never_pays_more(c in claim(), extra in 0i64..=1_000_000) {
        let p = params();
        let mut later = c.clone();
        later.paid_ytd_general = c.paid_ytd_general + Money::from_fen(extra);
        later.paid_ytd_sublimit = c.paid_ytd_sublimit + Money::from_fen(extra);
        later.paid_ytd_student_accident = c.paid_ytd_student_accident + Money::from_fen(extra);
        prop_assert!(benefit::decide(p, &later).payout <= benefit::decide(p, &c).payout);
    }

    #[test]
    fn rounding_is_once_and_half_up(fen in 0i64..=10_000_000_000, thousandths in 0i64..10, rest in 0i64..10) {
        // A value with four decimals in yuan: fen + thousandths/10 + rest/100 of a fen.
        let ten_thousandths = fen * 100 + thousandths * 10 + rest;
        let value = Decimal::new(ten_thousandths, 4);
        let expected = fen + i64::from(thousandths * 10 + rest >= 50);
        prop_assert_eq!(round_half_up(value).fen(), expected);
    }

    #[test]
    fn money_text_round_trips(fen in -1_000_000_000_000i64..=1_000_000_000_000) {
        let m = Money::from_fen(fen);
        prop_assert_eq!(Money::from_yuan_str(&m.to_string()).unwrap(), m);
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }

    #[test]
    fn one_wrong_character_is_always_caught(
        region in prop::sample::select(vec!["152201", "110105", "650102", "440304"]),
        days in 0i64..45_000,
        seq in 0u32..1000,
        pos in 0usize..18,
        bump in 1u8..10,
    ) {
        let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let body = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let id = format!("{body}{}", idcard::check_character(&body).unwrap());
        let checked = idcard::check(&id).unwrap();
        prop_assert_eq!(checked.birth_date, birth);
        let mut chars: Vec<char> = id.chars().collect();
        let c = chars[pos];
        chars[pos] = if c == 'X' { '0' } else { char::from(b'0' + (c as u8 - b'0' + bump) % 10) };
        let wrong: String = chars.into_iter().collect();
        prop_assert!(idcard::check(&wrong).is_err(), "{} accepted", wrong);
    }

    #[test]
    fn answer_line_never_panics_on_noise(line in ".{0,200}") {
        let out = api::answer_line(rules(), &line);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v.is_object());
    }

    #[test]
    fn answer_line_never_panics_on_mangled_requests(cut in 0usize..400, c in claim()) {
        let rules = rules();
        let request = serde_json::json!({"op": "benefit", "claim": c});
        let text = request.to_string();
        let whole: serde_json::Value = serde_json::from_str(&api::answer_line(rules, &text)).unwrap();
        let expected = Money::from_fen(model(&c)).to_string();
        prop_assert_eq!(whole["payout"].as_str(), Some(expected.as_str()));
        let cut_at = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let out = api::answer_line(rules, &text[..cut_at]);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&out).unwrap().is_object());
    }

    #[test]
    fn status_is_consistent_with_cover(
        first in 2008i32..=2010,
        paid in prop::collection::vec((0i32..3, 0i64..500), 0..4),
        as_of_days in 0i64..1000,
    ) {
        let rules = rules();
        let start = NaiveDate::from_ymd_opt(2008, 7, 1).unwrap();
        let payments: Vec<PaidYear> = paid
            .iter()
            .map(|&(offset, day)| {
                let year = (first + offset).min(2010);
                let paid_at = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + chrono::Days::new(day as u64 % 360) - chrono::Days::new(60);
                PaidYear { year, paid_at }
            })
            .collect();
        let as_of = (start + chrono::Days::new(as_of_days as u64)).min(NaiveDate::from_ymd_opt(2010, 12, 31).unwrap());
        let status = contribution::payment_status(rules, first, &payments, as_of).unwrap();
        let covered = contribution::is_covered_on(rules, &payments, as_of).unwrap();
        let mut years: Vec<i32> = payments.iter().filter(|p| p.paid_at <= as_of).map(|p| p.year).collect();
        years.sort_unstable();
        years.dedup();
        prop_assert!(status.continuous_years as usize <= years.len());
        match status.status {
            StatusCode::Active | StatusCode::Grace => prop_assert!(covered),
            StatusCode::Interrupted | StatusCode::NotEnrolled => {
                prop_assert!(!covered);
                prop_assert_eq!(status.continuous_years, 0);
            }
        }
        prop_assert_eq!(
            contribution::continuous_years(rules, &payments, as_of).unwrap(),
            status.continuous_years
        );
    }
}

// The fuzzing budget of issue #14 (README "Fuzzing budget"): 256 cases each.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_id_parser_takes_any_text_and_normalise_is_idempotent(raw in any::<String>()) {
        let once = idcard::normalise(&raw);
        prop_assert_eq!(idcard::normalise(&once), once.clone());
        // Checking reads the normalised text: both spellings say the same.
        prop_assert_eq!(idcard::check(&raw), idcard::check(&once));
    }

    #[test]
    fn a_valid_number_survives_spaces_and_full_width_digits(
        region in prop::sample::select(vec!["152201", "110105", "650102", "440304"]),
        days in 0i64..45_000,
        seq in 0u32..1000,
        full_width in prop::collection::vec(any::<bool>(), 18),
        gaps in prop::collection::vec(prop::sample::select(vec!["", "", " ", "\u{3000}", "-"]), 18),
    ) {
        let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let body = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let id = format!("{body}{}", idcard::check_character(&body).unwrap());
        let typed: String = id
            .chars()
            .zip(full_width.iter().zip(&gaps))
            .map(|(c, (&wide, gap))| {
                let c = if wide { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c };
                format!("{c}{gap}")
            })
            .collect();
        let checked = idcard::check(&typed).unwrap();
        prop_assert_eq!(checked.number, id);
        prop_assert_eq!(checked.birth_date, birth);
    }

    #[test]
    fn enrollment_quotes_never_panic_and_never_go_negative(
        year in prop::sample::select(vec![2008, 2009, 2010, 2026, 2027]),
        days in 0i64..47_000,
        seq in 0u32..1000,
        flags in prop::collection::vec(any::<bool>(), 8),
        grade in prop::option::of(0u8..=5),
        moved in prop::option::of(1990i32..=2030),
        today_days in 0i64..47_000,
    ) {
        let day = |n: i64| NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(n as u64);
        let (birth, today) = (day(days), day(today_days));
        let body = format!("152201{}{seq:03}", birth.format("%Y%m%d"));
        let id = format!("{body}{}", idcard::check_character(&body).unwrap());
        let sex = if seq % 2 == 1 { "male" } else { "female" };
        let request = serde_json::json!({
            "policy_year": year,
            "person": {
                "id_number": id, "birth_date": birth, "sex": sex,
                "in_school": flags[0], "employee_insured": flags[1],
                "flexible_employment": flags[2], "ncms_enrolled": flags[3],
                "migrant_worker_child": flags[4], "dibao": flags[5],
                "disability_grade": grade, "low_income_household": flags[6],
                "hukou_moved_in_year": moved,
            },
            "explain": flags[7],
        })
        .to_string();
        match api::answer_op_on(rules(), "enrollment_quote", &request, Some(today)) {
            Ok(text) => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                for field in ["total", "personal"] {
                    if let Some(amount) = v[field].as_str() {
                        prop_assert!(amount.parse::<Money>().unwrap().fen() >= 0, "{}", text);
                    }
                }
                if birth > today {
                    prop_assert_eq!(v["reason"].as_str(), Some("birth_in_future"));
                }
            }
            // Only a disability grade out of 1..=4 is refused as a request.
            Err(e) => prop_assert!(grade.is_some_and(|g| !(1..=4).contains(&g)), "{}", e),
        }
    }

    #[test]
    fn benefit_answers_are_never_negative(c in claim(), explain in any::<bool>()) {
        let request = serde_json::json!({"op": "benefit", "claim": c, "explain": explain});
        let v: serde_json::Value =
            serde_json::from_str(&api::answer_line(rules(), &request.to_string())).unwrap();
        for field in ["payout", "deductible"] {
            if let Some(amount) = v[field].as_str() {
                prop_assert!(amount.parse::<Money>().unwrap().fen() >= 0, "{}", v);
            }
        }
        prop_assert!(v["payout"].is_string(), "{}", v);
    }
}
