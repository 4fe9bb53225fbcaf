//! The style sheet's blocks close where they should. A lost `}` once put
//! every rule after the print block inside `@media print`, so phones never
//! saw them (the roster's bad rows, the QR code's size, report tables); the
//! browser does not complain, so this test does.

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// The selectors at the top level of the sheet (outside any `@media`).
fn top_level_selectors(css: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut selectors = Vec::new();
    let mut pending = String::new();
    for (line_no, ch) in css.chars().scan(1, |line, c| {
        let at = *line;
        if c == '\n' {
            *line += 1;
        }
        Some((at, c))
    }) {
        match ch {
            '{' => {
                if depth == 0 {
                    selectors.push(pending.trim().to_string());
                }
                pending.clear();
                depth += 1;
            }
            '}' => {
                assert!(depth > 0, "a `}}` closes nothing at line {line_no}");
                depth -= 1;
                pending.clear();
            }
            ';' if depth == 0 => pending.clear(),
            c => pending.push(c),
        }
    }
    assert_eq!(depth, 0, "a block is never closed");
    selectors
}

#[test]
fn every_block_closes_and_screen_rules_are_not_inside_print() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../style/main.css");
    let css = without_comments(&std::fs::read_to_string(path).unwrap());
    let top = top_level_selectors(&css);
    for screen_rule in [
        ".table-scroll",
        "table.list.wide",
        ".warn",
        "ul.lines",
        "figure.qr svg",
        "table.bad-rows caption",
    ] {
        assert!(
            top.iter().any(|s| s == screen_rule),
            "`{screen_rule}` is not a top-level rule: some block above it is not closed"
        );
    }
}
