//! The timings the benchmarks print (db's `claims`, server's `upload_http`).

use std::time::Duration;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p95 and max of some timings, in milliseconds.
pub fn spread(mut t: Vec<Duration>) -> (f64, f64, f64) {
    t.sort_unstable();
    let at = |q: f64| ms(t[((t.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.95), at(1.0))
}
