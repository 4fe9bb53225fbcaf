use super::*;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn p(f: Frequency, y: i32, i: u32) -> Period {
    Period::new(f, y, i).unwrap()
}

#[test]
fn periods_know_their_days_and_neighbours() {
    let q1 = p(Frequency::Quarterly, 2027, 1);
    assert_eq!(
        (q1.first_day(), q1.last_day()),
        (d("2027-01-01"), d("2027-03-31"))
    );
    assert_eq!(q1.previous(), p(Frequency::Quarterly, 2026, 4));
    assert_eq!(q1.to_string(), "2027-Q1");
    let h2 = p(Frequency::HalfYearly, 2027, 2);
    assert_eq!(
        (h2.first_day(), h2.last_day()),
        (d("2027-07-01"), d("2027-12-31"))
    );
    assert_eq!(h2.next(), p(Frequency::HalfYearly, 2028, 1));
    let feb = p(Frequency::Monthly, 2028, 2);
    assert_eq!(feb.last_day(), d("2028-02-29"), "a leap year");
    assert_eq!(feb.to_string(), "2028-02");
    assert_eq!(feb.due(10), d("2028-03-10"));
    let year = p(Frequency::Yearly, 2027, 1);
    assert_eq!(year.previous().to_string(), "2026");
    assert!(year.contains(d("2027-12-31")) && !year.contains(d("2028-01-01")));
    assert!(Period::new(Frequency::Monthly, 2027, 13).is_err());
    assert!(Period::new(Frequency::Quarterly, 2027, 0).is_err());
}

#[test]
fn a_period_reads_back_what_it_writes() {
    for (f, y, i) in [
        (Frequency::Yearly, 2027, 1),
        (Frequency::HalfYearly, 2027, 2),
        (Frequency::Quarterly, 2026, 4),
        (Frequency::Monthly, 2027, 3),
        (Frequency::Weekly, 2026, 53),
    ] {
        let period = p(f, y, i);
        assert_eq!(period.to_string().parse::<Period>(), Ok(period));
    }
    for bad in [
        "", "2027-13", "2027-Q5", "2027-W53", "twenty", "2027-X1", "2027-H",
    ] {
        assert!(bad.parse::<Period>().is_err(), "{bad}");
    }
}

#[test]
fn weeks_are_iso_weeks_across_the_new_year() {
    // 1 January 2027 is a Friday: it belongs to the last week of 2026.
    let w = Period::containing(Frequency::Weekly, d("2027-01-01"));
    assert_eq!(w, p(Frequency::Weekly, 2026, 53));
    assert_eq!(
        (w.first_day(), w.last_day()),
        (d("2026-12-28"), d("2027-01-03"))
    );
    assert_eq!(w.next(), p(Frequency::Weekly, 2027, 1));
    assert_eq!(p(Frequency::Weekly, 2027, 1).previous(), w);
    assert_eq!(Frequency::Weekly.periods_in(2027), 52);
    assert!(Period::new(Frequency::Weekly, 2027, 53).is_err());
    assert_eq!(w.to_string(), "2026-W53");
}

#[test]
fn a_change_beyond_the_threshold_is_flagged_for_an_explanation() {
    let k = |s: &str, v: i64| (s.to_string(), v);
    let before = [k("enrolled", 1000), k("paid", 800), k("claims", 0)];
    let now = [
        k("enrolled", 1049),
        k("paid", 600),
        k("claims", 3),
        k("new_figure", 0),
    ];
    let c = compare(&before, &now, dec!(5));
    assert_eq!(c[0].percent, Some(dec!(4.9)));
    assert!(!c[0].flagged);
    assert_eq!(c[1].percent, Some(dec!(-25.0)));
    assert!(c[1].flagged);
    // From nothing to something: no ratio, flagged.
    assert_eq!((c[2].percent, c[2].flagged), (None, true));
    // Nothing before and nothing now: nothing to explain.
    assert_eq!((c[3].before, c[3].flagged), (None, false));
    assert_eq!(
        explained(&c, &[("paid".into(), "一季度收缴集中在一月".into())]),
        Err(ReportError::Unexplained("claims".into()))
    );
    assert_eq!(
        explained(
            &c,
            &[
                ("paid".into(), "一季度收缴集中在一月".into()),
                ("claims".into(), "首批报销".into())
            ]
        ),
        Ok(())
    );
    assert!(explained(
        &c,
        &[("paid".into(), " ".into()), ("claims".into(), "x".into())]
    )
    .is_err());
}

#[test]
fn half_a_tenth_of_a_per_cent_rounds_away_from_zero() {
    let k = |s: &str, v: i64| vec![(s.to_string(), v)];
    // 1000 → 1000.5 cannot happen in counts; 2000 → 2001 is 0.05 %.
    let c = compare(&k("x", 2000), &k("x", 2001), dec!(10));
    assert_eq!(c[0].percent, Some(dec!(0.1)));
    let c = compare(&k("x", 2000), &k("x", 1999), dec!(10));
    assert_eq!(c[0].percent, Some(dec!(-0.1)));
}

#[test]
fn three_different_people_sign_in_order() {
    let s = SignOffs::default();
    assert_eq!(s.next(), Some(SignOff::Preparer));
    assert_eq!(
        s.sign(SignOff::SectionHead, 2),
        Err(ReportError::OutOfOrder(
            SignOff::SectionHead,
            SignOff::Preparer
        ))
    );
    let s = s.sign(SignOff::Preparer, 1).unwrap();
    assert_eq!(
        s.sign(SignOff::Preparer, 9),
        Err(ReportError::AlreadySigned(SignOff::Preparer))
    );
    assert_eq!(
        s.sign(SignOff::SectionHead, 1),
        Err(ReportError::SamePerson)
    );
    let s = s.sign(SignOff::SectionHead, 2).unwrap();
    assert_eq!(s.sign(SignOff::AgencyHead, 2), Err(ReportError::SamePerson));
    assert!(!s.complete());
    let s = s.sign(SignOff::AgencyHead, 3).unwrap();
    assert!(s.complete());
    assert_eq!(s.next(), None);
}

fn shown(t: &Published) -> Vec<Vec<Option<u64>>> {
    t.cells
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Shown(v) => Some(*v),
                    Cell::Suppressed => None,
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_cell_of_two_and_its_complement_are_suppressed() {
    // Tiers (rows) by county (columns); the league hides counts under 5.
    let t = publishable(&[vec![120, 2, 40], vec![80, 30, 9]], 5);
    assert_eq!(
        shown(&t),
        vec![
            vec![Some(120), None, None, Some(162)],
            vec![Some(80), None, None, Some(119)],
            vec![Some(200), Some(32), Some(49), Some(281)],
        ],
        "the 2, the 40 beside it (or 162 - 120 - 40 gives it), the 30 under it \
         (or 32 - 30 does), and the 9 that would then give the 40 away"
    );
}

#[test]
fn a_small_total_is_hidden_and_protected_too() {
    // A row of two small counts: both hidden, and its total of 4.
    let t = publishable(&[vec![1, 3], vec![50, 60]], 5);
    let s = shown(&t);
    assert_eq!(s[0], vec![None, None, None]);
    // Each column then hides one cell: a complement in each, the row's
    // total too (114 - 110 would give the 4).
    assert_eq!(s[1], vec![None, None, None]);
    assert_eq!(s[2], vec![Some(51), Some(63), Some(114)]);
}

#[test]
fn nothing_small_nothing_hidden() {
    let t = publishable(&[vec![10, 0], vec![7, 12]], 5);
    assert!(t
        .cells
        .iter()
        .flatten()
        .all(|c| matches!(c, Cell::Shown(_))));
    assert_eq!(t.cells[2][2], Cell::Shown(29));
}

proptest! {
    /// Whatever the counts: every count from 1 to the threshold less one is
    /// hidden, no row or column hides exactly one cell (so none can be
    /// recovered by subtracting the others from its total), and what is
    /// shown is the true count.
    #[test]
    fn no_hidden_count_can_be_recovered(
        counts in proptest::collection::vec(proptest::collection::vec(0u64..40, 3), 1..5),
        threshold in 1u64..10,
    ) {
        let t = publishable(&counts, threshold);
        let rows = counts.len();
        let cols = 3;
        let truth = |i: usize, j: usize| -> u64 {
            match (i < rows, j < cols) {
                (true, true) => counts[i][j],
                (true, false) => counts[i].iter().sum(),
                (false, true) => counts.iter().map(|r| r[j]).sum(),
                (false, false) => counts.iter().flatten().sum(),
            }
        };
        for i in 0..=rows {
            let hidden_in_row = t.cells[i].iter().filter(|c| **c == Cell::Suppressed).count();
            prop_assert_ne!(hidden_in_row, 1);
            for j in 0..=cols {
                let v = truth(i, j);
                match t.cells[i][j] {
                    Cell::Shown(s) => {
                        prop_assert_eq!(s, v);
                        prop_assert!(v == 0 || v >= threshold);
                    }
                    Cell::Suppressed => {}
                }
            }
        }
        for j in 0..=cols {
            let hidden_in_col = (0..=rows).filter(|i| t.cells[*i][j] == Cell::Suppressed).count();
            prop_assert_ne!(hidden_in_col, 1);
        }
    }
}

#[test]
fn every_figure_has_one_section_and_each_section_has_figures() {
    let keys = figures::keys();
    for section in figures::Section::ALL {
        assert!(
            keys.iter().any(|k| figures::Section::of(k) == *section),
            "{section:?} has no figure"
        );
    }
    assert_eq!(
        figures::Section::of("enrolled.student"),
        figures::Section::Persons
    );
    assert_eq!(
        figures::Section::of("back_payments_fen"),
        figures::Section::Premiums
    );
    assert_eq!(
        figures::Section::of("claims_filed.transfer"),
        figures::Section::Claims
    );
    assert_eq!(
        figures::Section::of("paid_out_fen"),
        figures::Section::Claims
    );
    assert_eq!(
        figures::Section::of("fund_income_ytd_fen"),
        figures::Section::Fund
    );
    assert_eq!(
        figures::Section::of("subsidy_persons.adult_assisted"),
        figures::Section::Subsidy
    );
    let unique: std::collections::BTreeSet<_> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "no key twice");
}

#[test]
fn the_league_adds_up_its_counties_key_by_key() {
    let a = vec![
        ("enrolled".to_string(), 10),
        ("premiums_fen".to_string(), 500),
    ];
    let b = vec![
        ("premiums_fen".to_string(), 250),
        ("enrolled".to_string(), 3),
        ("claims_filed".to_string(), 1),
    ];
    let sum = figures::consolidate([a.as_slice(), b.as_slice()]);
    assert_eq!(
        sum,
        vec![
            ("enrolled".to_string(), 13),
            ("premiums_fen".to_string(), 750),
            ("claims_filed".to_string(), 1)
        ]
    );
    assert!(figures::consolidate(std::iter::empty()).is_empty());
}

#[test]
fn a_report_is_on_time_late_or_missing_against_its_due_day() {
    use schedule::Timeliness;
    let due = d("2027-02-10");
    assert_eq!(
        Timeliness::of(due, Some(d("2027-02-10")), d("2027-03-01")),
        Timeliness::OnTime
    );
    assert_eq!(
        Timeliness::of(due, Some(d("2027-02-13")), d("2027-03-01")),
        Timeliness::Late { days: 3 }
    );
    assert_eq!(
        Timeliness::of(due, None, d("2027-02-10")),
        Timeliness::NotDue
    );
    assert_eq!(
        Timeliness::of(due, None, d("2027-02-15")),
        Timeliness::Missing { days: 5 }
    );
    assert!(Timeliness::Missing { days: 1 }.is_fault() && !Timeliness::OnTime.is_fault());
}

#[test]
fn what_is_due_by_a_day() {
    let due = schedule::due_by(Frequency::Monthly, 2027, 10, d("2027-04-10"));
    assert_eq!(
        due.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["2027-01", "2027-02", "2027-03"]
    );
    assert!(schedule::due_by(Frequency::Yearly, 2027, 15, d("2027-12-31")).is_empty());
    let weeks = schedule::weeks_due_in(p(Frequency::Monthly, 2027, 3), 3);
    assert!(weeks
        .iter()
        .all(|w| p(Frequency::Monthly, 2027, 3).contains(w.due(3))));
    assert_eq!(weeks.len(), 5, "Sundays 28 Feb to 28 Mar: {weeks:?}");
}

proptest! {
    /// Each week of a year falls due in exactly one month.
    #[test]
    fn each_week_is_counted_in_one_month(year in 2000i32..2100, lag in 0u32..20) {
        let months: Vec<Period> = (1..=12).map(|m| p(Frequency::Monthly, year, m)).collect();
        let counted: Vec<Period> = months.iter().flat_map(|m| schedule::weeks_due_in(*m, lag)).collect();
        let unique: std::collections::BTreeSet<_> = counted.iter().collect();
        prop_assert_eq!(unique.len(), counted.len());
        for w in &counted {
            prop_assert_eq!(w.due(lag).year(), year);
        }
        let expected = (0..=60)
            .map(|i| Period::containing(Frequency::Weekly, NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + chrono::Duration::weeks(i) - chrono::Duration::weeks(4)))
            .filter(|w| w.due(lag).year() == year)
            .collect::<std::collections::BTreeSet<_>>();
        prop_assert_eq!(unique.len(), expected.len());
    }
}
