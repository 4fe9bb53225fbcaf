//! Every worked example of the shared contract must pass through
//! `api::answer_line`: each `expect` field must be in the response with the
//! same value (the response may carry more, such as the explanation).

use std::path::PathBuf;

use policy::{api, Rules};
use serde_json::Value;

fn examples_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/policy/examples.jsonl")
}

#[test]
fn every_shared_example_passes() {
    let path = examples_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the shared examples at {} ({e}); the repository must sit beside shared/",
            path.display()
        )
    });
    let rules = Rules::try_builtin().unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        count += 1;
        let example: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        let request = serde_json::to_string(&example["request"]).unwrap();
        let answer: Value = serde_json::from_str(&api::answer_line(&rules, &request)).unwrap();
        let expect = example["expect"]
            .as_object()
            .unwrap_or_else(|| panic!("line {}: no expect", n + 1));
        for (field, wanted) in expect {
            if answer.get(field) != Some(wanted) {
                failures.push(format!(
                    "line {}: {field}: expected {wanted}, got {}\n  request {request}",
                    n + 1,
                    answer
                        .get(field)
                        .map_or("nothing".to_owned(), Value::to_string)
                ));
            }
        }
        // The Value form answers the same.
        let mut via_value = api::answer(&rules, &example["request"]);
        let mut via_line = answer.clone();
        via_value.as_object_mut().map(|o| o.remove("explanation"));
        via_line.as_object_mut().map(|o| o.remove("explanation"));
        assert_eq!(via_value, via_line, "line {}", n + 1);
    }
    assert!(count >= 30, "only {count} examples in {}", path.display());
    assert!(
        failures.is_empty(),
        "{} of {count} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
