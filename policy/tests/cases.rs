//! Data-driven cases (zen style): each `tests/cases/*.json` holds
//! `{"description", "cases": [{"name", "input", "output"}]}`. The input goes
//! through `api::answer`; every field of `output` must be in the answer with
//! that value, and a field expected as `null` must be absent or null.

use std::path::PathBuf;

use policy::{api, Rules};
use serde_json::Value;

#[test]
fn every_case_file_passes() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let rules = Rules::try_builtin().unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let data: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in data["cases"].as_array().unwrap() {
            count += 1;
            let name = case["name"].as_str().unwrap_or("?");
            let answer = api::answer(&rules, &case["input"]);
            let line: Value =
                serde_json::from_str(&api::answer_line(&rules, &case["input"].to_string()))
                    .unwrap();
            // Error messages may differ in where they point (line/column); codes may not.
            let same = match answer.get("error") {
                Some(code) => line.get("error") == Some(code),
                None => line == answer,
            };
            if !same {
                failures.push(format!(
                    "{}: {name}: line and value forms differ",
                    file.display()
                ));
            }
            for (field, wanted) in case["output"].as_object().unwrap() {
                let got = answer.get(field).unwrap_or(&Value::Null);
                if got != wanted {
                    failures.push(format!(
                        "{} / {name}: {field}: expected {wanted}, got {got}\n  answer {answer}",
                        file.file_name().unwrap().to_string_lossy()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures in {count} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
