use super::*;

#[test]
fn builtin_years_all_load() {
    let rules = Rules::try_builtin().unwrap();
    assert_eq!(
        rules.years.keys().copied().collect::<Vec<_>>(),
        vec![2008, 2009, 2010, 2026, 2027]
    );
    assert_eq!(Rules::builtin(), rules);
    assert_eq!(rules.latest().unwrap().year, 2027);
    assert_eq!(rules.year(2011), Err(RulesError::UnknownYear(2011)));
    for p in rules.years.values() {
        assert!(p.version >= 1);
        assert!(p.source.contains("24号"), "{}", p.year);
    }
    assert!(rules.year(2026).unwrap().note.is_some());
}

#[test]
fn a_year_published_before_the_warning_parameter_still_loads() {
    let rules = Rules::builtin();
    let text = rules.year(2026).unwrap().to_toml().unwrap();
    assert!(text.contains("due_warning_days = 30"), "{text}");
    let older = text.replace("due_warning_days = 30\n", "");
    assert!(!older.contains("due_warning_days"));
    let loaded = YearParams::from_toml(&older).unwrap();
    assert_eq!(loaded.deadlines.due_warning_days, 30);
    let changed =
        YearParams::from_toml(&text.replace("due_warning_days = 30", "due_warning_days = 45"))
            .unwrap();
    assert_eq!(changed.deadlines.due_warning_days, 45);
}

#[test]
fn the_amounts_of_e5_e6() {
    let rules = Rules::builtin();
    for year in [2009, 2010, 2026] {
        let t = &rules.year(year).unwrap().tiers;
        assert_eq!(t.adult_standard.total.to_string(), "225.00");
        assert_eq!(t.adult_standard.personal.to_string(), "130.00");
        assert_eq!(t.adult_assisted.personal.to_string(), "70.00");
        assert_eq!(t.adult_assisted.subsidy.central.to_string(), "70.00");
        assert_eq!(t.minor_standard.total.to_string(), "135.00");
        assert_eq!(t.minor_assisted.personal.to_string(), "30.00");
        assert_eq!(t.minor_assisted.subsidy.region.to_string(), "28.00");
    }
}

#[test]
fn year_2008_is_the_half_year() {
    let rules = Rules::builtin();
    let full = rules.year(2009).unwrap();
    let half = rules.year(2008).unwrap();
    assert_eq!(half.contribution.cover_period, CoverPeriod::SecondHalf);
    assert_eq!(
        half.contribution.new_enrollee_due,
        MonthDay { month: 11, day: 30 }
    );
    for tier in [
        Tier::AdultStandard,
        Tier::AdultAssisted,
        Tier::MinorStandard,
        Tier::MinorAssisted,
    ] {
        let (h, f) = (half.tiers.get(tier), full.tiers.get(tier));
        assert_eq!(h.total.fen() * 2, f.total.fen(), "{tier:?}");
        assert_eq!(h.personal.fen() * 2, f.personal.fen(), "{tier:?}");
        assert_eq!(
            h.subsidy.central.fen() * 2,
            f.subsidy.central.fen(),
            "{tier:?}"
        );
        assert_eq!(
            h.subsidy.region.fen() * 2,
            f.subsidy.region.fen(),
            "{tier:?}"
        );
        assert_eq!(
            h.subsidy.league.fen() * 2,
            f.subsidy.league.fen(),
            "{tier:?}"
        );
        assert_eq!(
            h.subsidy.county.fen() * 2,
            f.subsidy.county.fen(),
            "{tier:?}"
        );
    }
}

#[test]
fn to_toml_round_trips() {
    for p in Rules::builtin().years.values() {
        let text = p.to_toml().unwrap();
        let back = YearParams::from_toml(&text).unwrap();
        assert_eq!(&back, p);
    }
}

fn with(edit: impl Fn(&str) -> String) -> Result<YearParams, RulesError> {
    YearParams::from_toml(&edit(BUILTIN[1]))
}

#[test]
fn inconsistent_parameters_are_refused() {
    let unbalanced = with(|t| t.replacen("personal = \"130.00\"", "personal = \"131.00\"", 1));
    assert!(
        matches!(unbalanced, Err(RulesError::InvalidParams { .. })),
        "{unbalanced:?}"
    );
    let typo = with(|t| t.replacen("[long_stay]\nmonths", "[long_stay]\nmonth", 1));
    assert!(matches!(typo, Err(RulesError::Parse(_))), "{typo:?}");
    let feb29 = with(|t| t.replacen("interruption = \"05-01\"", "interruption = \"02-29\"", 1));
    assert!(matches!(feb29, Err(RulesError::Parse(_))), "{feb29:?}");
    let ratio = with(|t| t.replacen("grade1 = \"0.65\"", "grade1 = \"0.97\"", 1));
    assert!(
        matches!(ratio, Err(RulesError::InvalidParams { .. })),
        "{ratio:?}"
    );
    let other_year = with(|t| t.replacen("\"2009-01-01\"", "\"2010-01-01\"", 1));
    assert!(
        matches!(other_year, Err(RulesError::InvalidParams { .. })),
        "{other_year:?}"
    );
    let weekday = with(|t| {
        t.replacen(
            "\"2009-01-04\", \"2009-01-24\"",
            "\"2009-01-05\", \"2009-01-24\"",
            1,
        )
    });
    assert!(
        matches!(weekday, Err(RulesError::InvalidParams { .. })),
        "{weekday:?}"
    );
    let dup = Rules::from_toml(&[BUILTIN[1], BUILTIN[1]]);
    assert_eq!(dup, Err(RulesError::DuplicateYear(2009)));
}

#[test]
fn amendments_need_a_higher_version() {
    let mut rules = Rules::builtin();
    let mut amended = rules.year(2010).unwrap().clone();
    amended.caps.general = Money::from_yuan(32_000);
    assert!(rules.amend(amended.clone()).is_err(), "same version");
    amended.version = 2;
    let old = rules.amend(amended).unwrap().unwrap();
    assert_eq!(old.version, 1);
    assert_eq!(
        rules.year(2010).unwrap().caps.general,
        Money::from_yuan(32_000)
    );
    let mut broken = rules.year(2010).unwrap().clone();
    broken.version = 3;
    broken.tiers.adult_standard.personal = Money::from_yuan(1);
    assert!(matches!(
        rules.amend(broken),
        Err(RulesError::InvalidParams { .. })
    ));
}

#[test]
fn calendars_match_the_state_council_notices() {
    let rules = Rules::builtin();
    let count = |y: i32| {
        let c = &rules.year(y).unwrap().calendar;
        (c.holidays.len(), c.working_weekends.len())
    };
    // Days off listed (whole holiday spans) and adjusted working weekends.
    assert_eq!(count(2008), (27, 5));
    assert_eq!(count(2009), (27, 6));
    assert_eq!(count(2010), (29, 8));
    assert_eq!(count(2026), (33, 6));
}
