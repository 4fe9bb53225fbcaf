//! The `rules` batch command: every line of the shared worked examples
//! through the real binary, answers in order, bad lines answered with an
//! error object while the batch goes on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn run_batch(input: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("rules")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn examples() -> Vec<(serde_json::Value, serde_json::Value)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/policy/examples.jsonl"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the shared worked examples are missing at {path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["request"].clone(), v["expect"].clone())
        })
        .collect()
}

fn assert_matches(answer: &serde_json::Value, expect: &serde_json::Value, what: &str) {
    for (k, v) in expect.as_object().unwrap() {
        assert_eq!(&answer[k], v, "{what}: field {k} of {answer}");
    }
}

#[test]
fn every_worked_example_through_the_batch_command() {
    let ex = examples();
    assert!(
        ex.len() >= 30,
        "expected the 30 shared examples, found {}",
        ex.len()
    );
    let input: String = ex.iter().map(|(req, _)| format!("{req}\n")).collect();
    let answers = run_batch(&input, &[]);
    assert_eq!(answers.len(), ex.len());
    for (i, ((req, expect), answer)) in ex.iter().zip(&answers).enumerate() {
        assert_matches(answer, expect, &format!("line {} ({req})", i + 1));
    }
    // Decisions carry their explanation, citing articles.
    assert!(answers
        .iter()
        .any(|a| a["explanation"].as_array().is_some_and(|s| !s.is_empty())));
}

#[test]
fn bad_lines_get_an_error_object_and_the_batch_goes_on_in_order() {
    let ex = examples();
    let (good, expect) = &ex[0];
    // Many lines, so the batch splits them across threads: order must hold.
    let mut input = String::new();
    for i in 0..3000 {
        match i % 3 {
            0 => input.push_str(&format!("{good}\n")),
            1 => input.push_str("{this is not json\n"),
            _ => input.push_str("{\"op\":\"no_such_op\"}\n"),
        }
    }
    let answers = run_batch(&input, &["--no-explain"]);
    assert_eq!(answers.len(), 3000);
    for (i, a) in answers.iter().enumerate() {
        match i % 3 {
            0 => {
                assert_matches(a, expect, &format!("line {}", i + 1));
                assert!(
                    a.get("explanation").is_none(),
                    "--no-explain still explained: {a}"
                );
            }
            _ => assert!(
                a["error"].is_string() && a["message"].is_string(),
                "line {}: {a}",
                i + 1
            ),
        }
    }
}
