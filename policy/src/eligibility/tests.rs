use super::*;
use crate::idcard::check_character;

fn id_for(birth: &str, sex: Sex) -> String {
    let digits: String = birth.chars().filter(char::is_ascii_digit).collect();
    let seq = match sex {
        Sex::Male => "123",
        Sex::Female => "124",
    };
    let body = format!("152201{digits}{seq}");
    format!("{body}{}", check_character(&body).unwrap())
}

fn person(birth: &str, sex: Sex) -> PersonFacts {
    PersonFacts {
        id_number: id_for(birth, sex),
        birth_date: birth.parse().unwrap(),
        sex,
        in_school: false,
        employee_insured: false,
        flexible_employment: false,
        ncms_enrolled: false,
        migrant_worker_child: false,
        dibao: false,
        disability_grade: None,
        low_income_household: false,
        hukou_moved_in_year: None,
    }
}

fn q(year: i32, p: &PersonFacts) -> Quote {
    quote(&Rules::builtin(), year, p).unwrap()
}

fn refused(quote: &Quote) -> Option<RefusalReason> {
    match quote {
        Quote::Refused { reason, .. } => Some(*reason),
        Quote::Eligible { .. } => None,
    }
}

fn category(quote: &Quote) -> Option<(Category, Tier, Registrar, Vec<Evidence>)> {
    match quote {
        Quote::Eligible {
            category,
            tier,
            registrar,
            evidence,
            ..
        } => Some((*category, *tier, *registrar, evidence.clone())),
        Quote::Refused { .. } => None,
    }
}

#[test]
fn age_is_counted_on_31_december_of_the_year_before() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    assert_eq!(age_on(d("1958-12-31"), d("2008-12-31")), 50);
    assert_eq!(age_on(d("1959-01-01"), d("2008-12-31")), 49);
    assert_eq!(age_on(d("1948-02-29"), d("2008-12-31")), 60);
    assert_eq!(age_on(d("2009-03-01"), d("2008-12-31")), 0);
    assert_eq!(age_on(d("2008-12-31"), d("2008-12-31")), 0);
}

#[test]
fn woman_of_50_on_31_december_is_elderly_one_day_younger_is_not() {
    let born_31_dec = q(2009, &person("1958-12-31", Sex::Female));
    assert_eq!(born_31_dec.age(), 50);
    assert_eq!(category(&born_31_dec).unwrap().0, Category::Elderly);
    let born_1_jan = q(2009, &person("1959-01-01", Sex::Female));
    assert_eq!(born_1_jan.age(), 49);
    assert_eq!(
        refused(&born_1_jan),
        Some(RefusalReason::WorkingAgeNotCovered)
    );
}

#[test]
fn man_becomes_elderly_at_60_in_the_following_policy_year() {
    let p = person("1949-06-01", Sex::Male);
    assert_eq!(
        refused(&q(2009, &p)),
        Some(RefusalReason::WorkingAgeNotCovered)
    );
    assert_eq!(q(2009, &p).age(), 59);
    assert_eq!(category(&q(2010, &p)).unwrap().0, Category::Elderly);
    let man_59_dec = person("1948-12-31", Sex::Male);
    assert_eq!(
        category(&q(2009, &man_59_dec)).unwrap().0,
        Category::Elderly
    );
    let man_jan = person("1949-01-01", Sex::Male);
    assert_eq!(
        refused(&q(2009, &man_jan)),
        Some(RefusalReason::WorkingAgeNotCovered)
    );
}

#[test]
fn seventeen_is_a_child_eighteen_is_working_age() {
    let child = q(2009, &person("1991-12-31", Sex::Male));
    assert_eq!(child.age(), 17);
    assert_eq!(
        category(&child).unwrap(),
        (
            Category::Child,
            Tier::MinorStandard,
            Registrar::CommunityOffice,
            vec![]
        )
    );
    let adult = q(2009, &person("1990-12-31", Sex::Male));
    assert_eq!(adult.age(), 18);
    assert_eq!(refused(&adult), Some(RefusalReason::WorkingAgeNotCovered));
    assert!(adult.explanation().cites("E3"));
}

#[test]
fn pupils_of_any_age_enrol_at_school() {
    let mut p = person("1985-03-03", Sex::Female);
    p.in_school = true;
    p.hukou_moved_in_year = Some(2009);
    let quote = q(2009, &p);
    assert_eq!(
        category(&quote).unwrap(),
        (
            Category::Student,
            Tier::MinorStandard,
            Registrar::School,
            vec![]
        )
    );
    assert!(quote.explanation().cites("E4"));
}

#[test]
fn refusals_come_in_the_documented_order() {
    let mut p = person("1970-01-01", Sex::Male);
    p.ncms_enrolled = true;
    p.employee_insured = true;
    p.hukou_moved_in_year = Some(2009);
    assert_eq!(refused(&q(2009, &p)), Some(RefusalReason::NcmsEnrolled));
    p.ncms_enrolled = false;
    assert_eq!(refused(&q(2009, &p)), Some(RefusalReason::EmployeeInsured));
    p.employee_insured = false;
    assert_eq!(
        refused(&q(2009, &p)),
        Some(RefusalReason::HukouMovedInTooRecently)
    );
    p.hukou_moved_in_year = None;
    assert_eq!(
        refused(&q(2009, &p)),
        Some(RefusalReason::WorkingAgeNotCovered)
    );
}

#[test]
fn hukou_moved_in_enrols_from_the_next_year() {
    let mut p = person("1945-01-01", Sex::Male);
    p.hukou_moved_in_year = Some(2009);
    let quote = q(2009, &p);
    assert_eq!(
        refused(&quote),
        Some(RefusalReason::HukouMovedInTooRecently)
    );
    assert!(quote.explanation().cites("E16"));
    assert!(q(2010, &p).is_eligible());
    p.hukou_moved_in_year = Some(2007);
    assert!(q(2008, &p).is_eligible());
    p.hukou_moved_in_year = Some(2008);
    assert_eq!(
        refused(&q(2008, &p)),
        Some(RefusalReason::HukouMovedInTooRecently)
    );
    assert!(q(2009, &p).is_eligible());
}

#[test]
fn flexible_workers_may_choose_at_60_and_50() {
    let mut man = person("1948-12-31", Sex::Male);
    man.employee_insured = true;
    man.flexible_employment = true;
    let quote = q(2009, &man);
    assert_eq!(category(&quote).unwrap().0, Category::Elderly);
    assert!(quote.explanation().cites("E18"));
    let mut younger = person("1949-01-01", Sex::Male);
    younger.employee_insured = true;
    younger.flexible_employment = true;
    assert_eq!(
        refused(&q(2009, &younger)),
        Some(RefusalReason::EmployeeInsured)
    );
    let mut woman = person("1958-12-31", Sex::Female);
    woman.employee_insured = true;
    woman.flexible_employment = true;
    assert!(q(2009, &woman).is_eligible());
    woman.flexible_employment = false;
    assert_eq!(
        refused(&q(2009, &woman)),
        Some(RefusalReason::EmployeeInsured)
    );
}

#[test]
fn assisted_tiers_and_their_evidence() {
    let mut dibao_child = person("2000-05-05", Sex::Female);
    dibao_child.dibao = true;
    assert_eq!(
        category(&q(2009, &dibao_child)).unwrap(),
        (
            Category::Child,
            Tier::MinorAssisted,
            Registrar::CommunityOffice,
            vec![Evidence::DibaoCertificate]
        )
    );
    let mut disabled_child = person("2000-05-05", Sex::Female);
    disabled_child.disability_grade = Some(1);
    assert_eq!(
        category(&q(2009, &disabled_child)).unwrap().1,
        Tier::MinorAssisted
    );
    assert_eq!(
        category(&q(2009, &disabled_child)).unwrap().3,
        vec![Evidence::DisabilityCertificate]
    );
    disabled_child.disability_grade = Some(3);
    assert_eq!(
        category(&q(2009, &disabled_child)).unwrap().1,
        Tier::MinorStandard
    );
    let mut low_income_child = person("2000-05-05", Sex::Female);
    low_income_child.low_income_household = true;
    assert_eq!(
        category(&q(2009, &low_income_child)).unwrap().1,
        Tier::MinorStandard
    );

    let mut disabled_dibao = person("1973-07-07", Sex::Male);
    disabled_dibao.disability_grade = Some(2);
    disabled_dibao.dibao = true;
    assert_eq!(
        category(&q(2009, &disabled_dibao)).unwrap(),
        (
            Category::DisabledAdult,
            Tier::AdultAssisted,
            Registrar::CommunityOffice,
            vec![Evidence::DisabilityCertificate]
        )
    );
    let mut elderly_disabled = person("1940-07-07", Sex::Male);
    elderly_disabled.disability_grade = Some(1);
    elderly_disabled.low_income_household = true;
    assert_eq!(
        category(&q(2009, &elderly_disabled)).unwrap(),
        (
            Category::Elderly,
            Tier::AdultAssisted,
            Registrar::CommunityOffice,
            vec![Evidence::DisabilityCertificate]
        )
    );
}

#[test]
fn low_income_counts_from_60_only() {
    let mut woman = person("1949-01-01", Sex::Female);
    woman.low_income_household = true;
    let at_59 = q(2009, &woman);
    assert_eq!(at_59.age(), 59);
    assert_eq!(category(&at_59).unwrap().1, Tier::AdultStandard);
    let at_60 = q(2010, &woman);
    assert_eq!(at_60.age(), 60);
    assert_eq!(
        category(&at_60).unwrap(),
        (
            Category::Elderly,
            Tier::AdultAssisted,
            Registrar::CommunityOffice,
            vec![Evidence::LowIncomeProof]
        )
    );
}

#[test]
fn migrant_children_need_the_permit() {
    let mut p = person("2001-01-01", Sex::Male);
    p.migrant_worker_child = true;
    assert_eq!(
        category(&q(2009, &p)).unwrap(),
        (
            Category::MigrantChild,
            Tier::MinorStandard,
            Registrar::CommunityOffice,
            vec![Evidence::TemporaryResidencePermit]
        )
    );
    p.in_school = true;
    p.dibao = true;
    assert_eq!(
        category(&q(2009, &p)).unwrap(),
        (
            Category::MigrantChild,
            Tier::MinorAssisted,
            Registrar::School,
            vec![
                Evidence::DibaoCertificate,
                Evidence::TemporaryResidencePermit
            ]
        )
    );
    let mut grown = person("1980-01-01", Sex::Male);
    grown.migrant_worker_child = true;
    assert_eq!(
        refused(&q(2009, &grown)),
        Some(RefusalReason::WorkingAgeNotCovered)
    );
}

#[test]
fn year_2008_quotes_half_amounts() {
    let quote = q(2008, &person("1940-01-01", Sex::Male));
    match quote {
        Quote::Eligible {
            total,
            personal,
            subsidy,
            explanation,
            ..
        } => {
            assert_eq!(total.to_string(), "112.50");
            assert_eq!(personal.to_string(), "65.00");
            assert_eq!(subsidy.central.to_string(), "20.00");
            assert!(explanation.cites("E8"));
        }
        Quote::Refused { .. } => panic!("refused"),
    }
}

#[test]
fn bad_inputs_are_errors_not_refusals() {
    let rules = Rules::builtin();
    let mut p = person("1940-01-01", Sex::Male);
    p.birth_date = "1940-01-02".parse().unwrap();
    assert_eq!(
        quote(&rules, 2009, &p),
        Err(RulesError::IdMismatch {
            field: "birth_date"
        })
    );
    let mut p = person("1940-01-01", Sex::Male);
    p.sex = Sex::Female;
    assert_eq!(
        quote(&rules, 2009, &p),
        Err(RulesError::IdMismatch { field: "sex" })
    );
    let mut p = person("1940-01-01", Sex::Male);
    p.id_number.pop();
    p.id_number.push('Y');
    assert!(matches!(
        quote(&rules, 2009, &p),
        Err(RulesError::InvalidId(_))
    ));
    let mut p = person("1940-01-01", Sex::Male);
    p.disability_grade = Some(5);
    assert!(matches!(
        quote(&rules, 2009, &p),
        Err(RulesError::InvalidInput(_))
    ));
    assert_eq!(
        quote(&rules, 2012, &person("1940-01-01", Sex::Male)),
        Err(RulesError::UnknownYear(2012))
    );
}

#[test]
fn a_birth_date_after_today_is_refused_with_its_reason() {
    let rules = Rules::builtin();
    let today: NaiveDate = "2008-11-20".parse().unwrap();
    // Born tomorrow (the ID number says so): refused, with the reason explained.
    let unborn = person("2008-11-21", Sex::Female);
    let quote = quote_on(&rules, 2009, &unborn, today, true).unwrap();
    assert_eq!(refused(&quote), Some(RefusalReason::BirthInFuture));
    assert_eq!(quote.age(), 0);
    let steps = serde_json::to_string(quote.explanation()).unwrap();
    assert!(
        steps.contains("2008-11-21") && steps.contains("today"),
        "{steps}"
    );
    // Born today: a newborn, quoted as before.
    let newborn = person("2008-11-20", Sex::Female);
    let quote = quote_on(&rules, 2009, &newborn, today, false).unwrap();
    assert_eq!(refused(&quote), None);
    assert_eq!(quote, quote_with(&rules, 2009, &newborn, false).unwrap());
    assert_eq!(born_by(newborn.birth_date, today), Ok(()));
    assert_eq!(
        born_by(unborn.birth_date, today),
        Err(RefusalReason::BirthInFuture)
    );
}
