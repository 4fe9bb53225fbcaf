//! The `rules` batch: JSON Lines in, one answer per line out, in order. A
//! line that cannot be answered (bad JSON, bad UTF-8, unknown op) gets an
//! error object on its line and the batch goes on.
//!
//! Lines are answered in blocks, each block split across the machine's
//! cores and written back in input order: answering is pure, so the only
//! shared work is reading and writing.

use std::io::{BufRead, Write};

const BLOCK: usize = 16_384;

pub struct Options {
    /// Add each decision's explanation unless a line says `"explain": false`.
    pub explain: bool,
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            explain: true,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        }
    }
}

pub fn run(
    rules: &policy::params::Rules,
    mut input: impl BufRead,
    out: &mut impl Write,
    opts: &Options,
) -> std::io::Result<u64> {
    let mut n = 0u64;
    let mut block: Vec<String> = Vec::with_capacity(BLOCK);
    let mut buf = Vec::with_capacity(1024);
    let mut done = false;
    while !done {
        block.clear();
        while block.len() < BLOCK {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                done = true;
                break;
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\n', '\r']);
            if !line.trim().is_empty() {
                block.push(line.to_string());
            }
        }
        for answer in answer_block(rules, &block, opts) {
            out.write_all(answer.as_bytes())?;
            out.write_all(b"\n")?;
        }
        n += block.len() as u64;
    }
    out.flush()?;
    Ok(n)
}

fn answer_block(rules: &policy::params::Rules, lines: &[String], opts: &Options) -> Vec<String> {
    let threads = opts.threads.clamp(1, 64);
    if threads == 1 || lines.len() < 256 {
        return lines
            .iter()
            .map(|l| policy::api::answer_line_with(rules, l, opts.explain))
            .collect();
    }
    let chunk = lines.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                (
                    part.len(),
                    s.spawn(move || {
                        part.iter()
                            .map(|l| policy::api::answer_line_with(rules, l, opts.explain))
                            .collect::<Vec<_>>()
                    }),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, h)| {
                h.join().unwrap_or_else(|_| {
                    // answer_line never panics (a property test holds it to that); if it ever
                    // did, each of the part's lines still gets an answer.
                    vec![r#"{"error":"internal","message":"internal error"}"#.to_string(); len]
                })
            })
            .collect()
    })
}
