//! Throughput of the rules: quotes, benefit decisions and JSON Lines answers.
//! Run: `cargo bench -p policy -- --warm-up-time 1 --measurement-time 2`.

// A benchmark is a test harness: a broken fixture should stop it loudly.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::num::NonZeroU32;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policy::benefit::{self, ClaimFacts, ClaimKind, HospitalGrade};
use policy::eligibility::{self, PersonFacts};
use policy::idcard::{self, Sex};
use policy::{api, Money, Rules};

fn person(birth: &str, sex: Sex, dibao: bool, grade: Option<u8>) -> PersonFacts {
    let digits: String = birth.chars().filter(char::is_ascii_digit).collect();
    let body = format!(
        "152201{digits}{}",
        if sex == Sex::Male { "123" } else { "124" }
    );
    let id_number = format!("{body}{}", idcard::check_character(&body).unwrap());
    PersonFacts {
        id_number,
        birth_date: birth.parse().unwrap(),
        sex,
        in_school: false,
        employee_insured: false,
        flexible_employment: false,
        ncms_enrolled: false,
        migrant_worker_child: false,
        dibao,
        disability_grade: grade,
        low_income_household: false,
        hukou_moved_in_year: None,
    }
}

fn claims() -> Vec<ClaimFacts> {
    let base = ClaimFacts {
        kind: ClaimKind::Transfer,
        in_catalogue: Money::from_yuan(10_000),
        hospital_grade: HospitalGrade::Two,
        admission_ordinal: NonZeroU32::MIN,
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
    };
    (0..64)
        .map(|i: i64| {
            let mut c = base.clone();
            c.in_catalogue = Money::from_fen(12_345 * (i + 1) * 7);
            c.admission_ordinal = NonZeroU32::new((i % 5 + 1) as u32).unwrap();
            c.continuous_years = (i % 4) as u32;
            c.paid_ytd_general = Money::from_yuan((i % 7) * 5_000);
            c
        })
        .collect()
}

fn example_lines() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/policy/examples.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| v["request"].to_string())
        .collect();
    assert!(!lines.is_empty(), "examples.jsonl not found at {path}");
    lines
}

fn quiet(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.replacen('{', r#"{"explain":false,"#, 1))
        .collect()
}

fn bench(c: &mut Criterion) {
    let rules = Rules::try_builtin().unwrap();
    let persons = [
        person("1949-06-01", Sex::Male, false, None),
        person("1958-12-31", Sex::Female, false, None),
        person("1973-07-07", Sex::Male, false, Some(2)),
        person("1991-03-03", Sex::Male, true, None),
    ];
    let mut group = c.benchmark_group("quote");
    group.throughput(Throughput::Elements(persons.len() as u64));
    group.bench_function("enrollment_quote", |b| {
        b.iter(|| {
            for p in &persons {
                black_box(eligibility::quote(&rules, 2009, black_box(p)).unwrap());
            }
        })
    });
    group.bench_function("enrollment_quote_without_explanation", |b| {
        b.iter(|| {
            for p in &persons {
                black_box(eligibility::quote_with(&rules, 2009, black_box(p), false).unwrap());
            }
        })
    });
    group.finish();

    let claims = claims();
    let params = rules.year(2009).unwrap();
    let mut group = c.benchmark_group("benefit");
    group.throughput(Throughput::Elements(claims.len() as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            for claim in &claims {
                black_box(benefit::decide(params, black_box(claim)));
            }
        })
    });
    group.bench_function("decide_without_explanation", |b| {
        b.iter(|| {
            for claim in &claims {
                black_box(benefit::decide_with(params, black_box(claim), false));
            }
        })
    });
    group.finish();

    let lines = example_lines();
    let quiet_lines = quiet(&lines);
    let mut group = c.benchmark_group("answer_line");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("examples_with_explanation", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(api::answer_line(&rules, black_box(line)));
            }
        })
    });
    group.bench_function("examples_without_explanation", |b| {
        b.iter(|| {
            for line in &quiet_lines {
                black_box(api::answer_line(&rules, black_box(line)));
            }
        })
    });
    group.bench_function("examples_answer_line_with_false", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(api::answer_line_with(&rules, black_box(line), false));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
