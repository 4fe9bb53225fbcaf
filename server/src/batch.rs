//! The `rules` batch: JSON Lines in, one answer per line out, in order. A
//! line that cannot be answered (bad JSON, bad UTF-8, unknown op) gets an
//! error object on its line and the batch goes on.

use std::io::{BufRead, Write};

pub fn run(rules: &policy::params::Rules, mut input: impl BufRead, out: &mut impl Write) -> std::io::Result<u64> {
    let mut n = 0;
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        out.write_all(policy::api::answer_line(rules, line).as_bytes())?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
