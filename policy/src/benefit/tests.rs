use super::*;
use crate::params::Rules;
use rust_decimal_macros::dec;

fn claim(kind: ClaimKind, in_catalogue: &str, grade: u8, ordinal: u32) -> ClaimFacts {
    ClaimFacts {
        kind,
        in_catalogue: Money::from_yuan_str(in_catalogue).unwrap(),
        hospital_grade: HospitalGrade::try_from(grade).unwrap(),
        admission_ordinal: NonZeroU32::new(ordinal).unwrap(),
        continuous_years: 1,
        minor_blood_disease: false,
        cause: None,
        transfer_approved: true,
        filed_within_days: Some(1),
        disease: None,
        covered: true,
        paid_ytd_general: Money::zero(),
        paid_ytd_sublimit: Money::zero(),
        paid_ytd_student_accident: Money::zero(),
    }
}

fn params() -> YearParams {
    Rules::builtin().year(2009).unwrap().clone()
}

fn pay(c: &ClaimFacts) -> String {
    decide(&params(), c).payout.to_string()
}

#[test]
fn deductible_steps_down_to_the_floor() {
    let p = params();
    let ded = |kind, grade: u8, n: u32| {
        deductible(
            &p,
            kind,
            HospitalGrade::try_from(grade).unwrap(),
            NonZeroU32::new(n).unwrap(),
        )
        .to_string()
    };
    assert_eq!(ded(ClaimKind::Inpatient, 3, 1), "400.00");
    assert_eq!(ded(ClaimKind::Inpatient, 3, 2), "300.00");
    assert_eq!(ded(ClaimKind::Inpatient, 3, 3), "200.00");
    assert_eq!(ded(ClaimKind::Inpatient, 3, 4), "100.00");
    assert_eq!(ded(ClaimKind::Inpatient, 3, 5), "100.00");
    assert_eq!(ded(ClaimKind::Inpatient, 3, 4_000_000_000), "100.00");
    assert_eq!(ded(ClaimKind::Transfer, 2, 2), "200.00");
    assert_eq!(ded(ClaimKind::Transfer, 2, 3), "100.00");
    assert_eq!(ded(ClaimKind::NondesignatedEmergency, 1, 1), "200.00");
    assert_eq!(ded(ClaimKind::NondesignatedEmergency, 1, 2), "100.00");
    assert_eq!(ded(ClaimKind::NondesignatedEmergency, 1, 3), "100.00");
    assert_eq!(ded(ClaimKind::OutpatientEmergency, 3, 3), "400.00");
    assert_eq!(ded(ClaimKind::SpecialOutpatient, 3, 3), "0.00");
    assert_eq!(ded(ClaimKind::StudentAccident, 2, 2), "200.00");
}

#[test]
fn ratio_and_bonus_at_three_years() {
    let p = params();
    let g = |n| HospitalGrade::try_from(n).unwrap();
    assert_eq!(ratio(&p, ClaimKind::Inpatient, g(3), 2), dec!(0.55));
    assert_eq!(ratio(&p, ClaimKind::Inpatient, g(3), 3), dec!(0.60));
    assert_eq!(ratio(&p, ClaimKind::Inpatient, g(1), 3), dec!(0.70));
    assert_eq!(
        ratio(&p, ClaimKind::SpecialOutpatient, g(1), 10),
        dec!(0.60)
    );
    assert_eq!(ratio_text(dec!(0.6)), "0.60");
    assert_eq!(ratio_text(dec!(0.625)), "0.625");
    assert_eq!(annual_cap(&p, false, 2).to_string(), "30000.00");
    assert_eq!(annual_cap(&p, false, 3).to_string(), "35000.00");
    assert_eq!(annual_cap(&p, true, 3).to_string(), "45000.00");
    assert_eq!(student_accident_cap(&p, 5).to_string(), "20000.00");
}

#[test]
fn worked_formula_and_single_rounding() {
    assert_eq!(
        pay(&claim(ClaimKind::Transfer, "10000.00", 2, 1)),
        "5820.00"
    );
    assert_eq!(
        pay(&claim(ClaimKind::OutpatientEmergency, "1234.56", 3, 3)),
        "459.01"
    );
    // 0.01 above the deductible × 0.55 = 0.0055 → 0.01; × 0.65 at 0.01 → 0.0065 → 0.01.
    assert_eq!(pay(&claim(ClaimKind::Inpatient, "400.01", 3, 1)), "0.01");
    assert_eq!(pay(&claim(ClaimKind::Inpatient, "400.00", 3, 1)), "0.00");
    assert_eq!(pay(&claim(ClaimKind::Inpatient, "0.00", 3, 1)), "0.00");
    // 100.09 above the floor deductible × 0.55 = 55.0495 → 55.05 (not 55.04 or 55.06).
    assert_eq!(pay(&claim(ClaimKind::Inpatient, "200.09", 3, 4)), "55.05");
    // 1.19 × 0.55 = 0.6545: once → 0.65; rounding twice (0.655, then 0.66) would be wrong.
    assert_eq!(pay(&claim(ClaimKind::Inpatient, "401.19", 3, 1)), "0.65");
}

#[test]
fn the_100_yuan_floor() {
    let d = decide(&params(), &claim(ClaimKind::Inpatient, "1100.00", 1, 2));
    assert_eq!(d.deductible.unwrap().to_string(), "100.00");
    assert_eq!(d.payout.to_string(), "650.00");
    let d = decide(&params(), &claim(ClaimKind::Inpatient, "1100.00", 1, 9));
    assert_eq!(d.deductible.unwrap().to_string(), "100.00");
    assert_eq!(d.payout.to_string(), "650.00");
}

#[test]
fn cap_reached_mid_claim() {
    let mut c = claim(ClaimKind::Inpatient, "10000.00", 2, 1);
    c.paid_ytd_general = Money::from_yuan(28_000);
    let d = decide(&params(), &c);
    assert_eq!(d.payout.to_string(), "2000.00");
    assert_eq!(d.capped_by, Some(CapKind::General));
    assert_eq!(d.deductible.unwrap().to_string(), "300.00");
    assert!(d.explanation.cites("B6"));
    c.paid_ytd_general = Money::from_yuan(30_000);
    assert_eq!(pay(&c), "0.00");
    c.paid_ytd_general = Money::from_yuan(31_000);
    assert_eq!(pay(&c), "0.00");
    // Exactly at the computed payout, the cap does not cut.
    c.paid_ytd_general = Money::from_yuan(30_000 - 5_820);
    let d = decide(&params(), &c);
    assert_eq!(
        (d.payout.to_string(), d.capped_by),
        ("5820.00".into(), None)
    );
}

#[test]
fn special_outpatient_and_its_sub_limit() {
    let mut c = claim(ClaimKind::SpecialOutpatient, "1000.00", 3, 1);
    c.disease = Some(Disease::Tuberculosis);
    c.continuous_years = 5;
    let d = decide(&params(), &c);
    assert_eq!(
        (d.payout.to_string(), d.ratio),
        ("600.00".into(), Some(dec!(0.60)))
    );
    c.paid_ytd_sublimit = Money::from_yuan(1_800);
    let d = decide(&params(), &c);
    assert_eq!(
        (d.payout.to_string(), d.capped_by),
        ("200.00".into(), Some(CapKind::SubLimit))
    );
    c.disease = Some(Disease::UraemiaDialysis);
    assert_eq!(pay(&c), "600.00");
    c.disease = None;
    assert_eq!(
        decide(&params(), &c).reason,
        Some(NoPayReason::NotSpecialDisease)
    );
    // The general cap binds inside the sub-limit too.
    c.disease = Some(Disease::Psychosis);
    c.paid_ytd_sublimit = Money::zero();
    c.paid_ytd_general = Money::from_yuan(34_900);
    assert_eq!(pay(&c), "100.00");
}

#[test]
fn student_accidents_have_their_own_cap() {
    let mut c = claim(ClaimKind::StudentAccident, "30000.00", 2, 1);
    c.paid_ytd_general = Money::from_yuan(30_000);
    c.paid_ytd_student_accident = Money::from_yuan(5_000);
    c.continuous_years = 3;
    let d = decide(&params(), &c);
    assert_eq!(
        (d.payout.to_string(), d.capped_by),
        ("15000.00".into(), Some(CapKind::StudentAccident))
    );
    assert_eq!(d.ratio, Some(dec!(0.65)));
    c.cause = Some(Cause::TrafficAccident);
    let d = decide(&params(), &c);
    assert_eq!(d.reason, Some(NoPayReason::ExcludedCause));
    assert!(d.explanation.cites("M25"));
}

#[test]
fn reasons_in_the_documented_order() {
    let mut c = claim(ClaimKind::Transfer, "5000.00", 2, 1);
    c.covered = false;
    c.cause = Some(Cause::Fight);
    c.transfer_approved = false;
    let reason = |c: &ClaimFacts| decide(&params(), c).reason;
    assert_eq!(reason(&c), Some(NoPayReason::NotCovered));
    c.covered = true;
    assert_eq!(reason(&c), Some(NoPayReason::ExcludedCause));
    c.cause = None;
    assert_eq!(reason(&c), Some(NoPayReason::TransferNotApproved));
    c.transfer_approved = true;
    assert_eq!(reason(&c), None);

    let mut e = claim(ClaimKind::OutpatientEmergency, "5000.00", 2, 1);
    e.filed_within_days = Some(3);
    assert_eq!(reason(&e), None);
    e.filed_within_days = Some(4);
    assert_eq!(reason(&e), Some(NoPayReason::EmergencyNotFiled));
    e.filed_within_days = None;
    assert_eq!(reason(&e), Some(NoPayReason::EmergencyNotFiled));
    e.kind = ClaimKind::NondesignatedEmergency;
    assert_eq!(reason(&e), Some(NoPayReason::EmergencyNotFiled));
    // Transfer approval is only asked of transfers; filing only of emergencies.
    e.kind = ClaimKind::Inpatient;
    e.transfer_approved = false;
    assert_eq!(reason(&e), None);
    let nothing = decide(&params(), &c_not_covered());
    assert_eq!(
        (nothing.payout, nothing.deductible, nothing.ratio),
        (Money::zero(), None, None)
    );
}

fn c_not_covered() -> ClaimFacts {
    let mut c = claim(ClaimKind::Inpatient, "5000.00", 2, 1);
    c.covered = false;
    c
}

#[test]
fn long_stays_count_every_six_months_and_by_discharge_year() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let stays = [
        Stay {
            admitted: d("2009-02-01"),
            discharged: d("2009-02-10"),
        },
        Stay {
            admitted: d("2009-03-01"),
            discharged: d("2010-01-15"),
        },
        Stay {
            admitted: d("2010-02-01"),
            discharged: d("2010-08-01"),
        },
        Stay {
            admitted: d("2010-09-01"),
            discharged: d("2011-03-02"),
        },
    ];
    let a = admission_ordinals(6, &stays).unwrap();
    let summary: Vec<(usize, String, i32, u32)> = a
        .iter()
        .map(|x| (x.stay, x.from.to_string(), x.year, x.ordinal.get()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (0, "2009-02-01".into(), 2009, 1),
            (1, "2009-03-01".into(), 2009, 2),
            (1, "2009-09-01".into(), 2010, 1),
            // Exactly six months is one admission.
            (2, "2010-02-01".into(), 2010, 2),
            (3, "2010-09-01".into(), 2011, 1),
            (3, "2011-03-01".into(), 2011, 2),
        ]
    );
    assert!(admission_ordinals(0, &stays).is_err());
    assert!(admission_ordinals(
        6,
        &[Stay {
            admitted: d("2009-02-10"),
            discharged: d("2009-02-01")
        }]
    )
    .is_err());
}

#[test]
fn grades_outside_one_to_three_do_not_parse() {
    assert!(serde_json::from_str::<HospitalGrade>("0").is_err());
    assert!(serde_json::from_str::<HospitalGrade>("4").is_err());
    assert_eq!(
        serde_json::from_str::<HospitalGrade>("2").unwrap(),
        HospitalGrade::Two
    );
    assert_eq!(serde_json::to_string(&HospitalGrade::Three).unwrap(), "3");
}

#[test]
fn caps_in_year_count_each_payout_against_its_caps() {
    let p = params();
    let mut paid = PaidInYear::default();
    let tb = p.special_outpatient.sub_limited[0];
    paid.add(&p, ClaimKind::Inpatient, None, Money::from_yuan(1_000));
    paid.add(
        &p,
        ClaimKind::SpecialOutpatient,
        Some(tb),
        Money::from_yuan(300),
    );
    paid.add(&p, ClaimKind::StudentAccident, None, Money::from_yuan(50));
    assert_eq!(paid.general, Money::from_yuan(1_300));
    assert_eq!(paid.sub_limit, Money::from_yuan(300));
    assert_eq!(paid.student_accident, Money::from_yuan(50));

    let [general, sub, student] = caps_in_year(&p, false, 0, &paid);
    assert_eq!((general.kind, general.article), (CapKind::General, "B6"));
    assert_eq!(general.cap, annual_cap(&p, false, 0));
    assert_eq!(general.left, general.cap - Money::from_yuan(1_300));
    assert_eq!(sub.cap, p.special_outpatient.sub_limit);
    assert_eq!(
        sub.left,
        p.special_outpatient.sub_limit - Money::from_yuan(300)
    );
    assert_eq!(student.kind, CapKind::StudentAccident);
    assert_eq!(student.used, Money::from_yuan(50));
}

#[test]
fn a_used_up_cap_has_nothing_left_and_never_less() {
    let p = params();
    let cap = annual_cap(&p, false, 0);
    let paid = PaidInYear {
        general: cap + Money::from_fen(1),
        ..Default::default()
    };
    let [general, ..] = caps_in_year(&p, false, 0, &paid);
    assert_eq!(general.left, Money::zero());
    // Continuity raises the cap (B6): the same payouts leave room again.
    let long = p.caps.continuity_years;
    let [raised, ..] = caps_in_year(&p, false, long, &paid);
    assert_eq!(raised.cap, cap + p.caps.continuity_bonus);
    assert_eq!(raised.left, p.caps.continuity_bonus - Money::from_fen(1));
}
