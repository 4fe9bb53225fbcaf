//! Every coded enum: its code is the word serde writes, and reads back.
#![allow(clippy::unwrap_used)]

use policy::benefit::{CapKind, Cause, ClaimKind, Disease, NoPayReason};
use policy::eligibility::{Category, Evidence, RefusalReason, Registrar, Tier};
use policy::idcard::Sex;
use policy::payment_run::RunKind;

fn round_trips<T>(all: &[T], code: fn(T) -> &'static str, from: fn(&str) -> Option<T>)
where
    T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
{
    assert!(!all.is_empty());
    for v in all {
        let c = code(*v);
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::json!(c),
            "{v:?}"
        );
        assert_eq!(from(c), Some(*v), "{c}");
    }
    assert_eq!(from("no_such_code"), None);
}

#[test]
fn codes_are_the_serde_names_and_read_back() {
    round_trips(ClaimKind::ALL, ClaimKind::code, ClaimKind::from_code);
    round_trips(Cause::ALL, Cause::code, Cause::from_code);
    round_trips(Disease::ALL, Disease::code, Disease::from_code);
    round_trips(NoPayReason::ALL, NoPayReason::code, NoPayReason::from_code);
    round_trips(CapKind::ALL, CapKind::code, CapKind::from_code);
    round_trips(Category::ALL, Category::code, Category::from_code);
    round_trips(Tier::ALL, Tier::code, Tier::from_code);
    round_trips(Registrar::ALL, Registrar::code, Registrar::from_code);
    round_trips(Evidence::ALL, Evidence::code, Evidence::from_code);
    round_trips(
        RefusalReason::ALL,
        RefusalReason::code,
        RefusalReason::from_code,
    );
    round_trips(RunKind::ALL, RunKind::code, RunKind::from_code);
    round_trips(Sex::ALL, Sex::code, Sex::from_code);
    assert_eq!(Disease::ALL.len(), 6);
    assert_eq!(Cause::ALL.len(), 7);
}
