//! The whole Dockerfile analysis (parse, semantic model, lint) of a realistic 200-line multi-stage
//! Dockerfile, timed natively: prints the median, 10th and 90th percentile of many runs.
//! Run with `cargo bench -p layerlens-core --bench dockerfile`.

use layerlens_core::dockerfile::{self, BuildArgs};
use layerlens_core::lint::{self, Config};
use std::hint::black_box;
use std::time::{Duration, Instant};

const DOCKERFILE: &str = include_str!("fixtures/app.Dockerfile");
const RUNS: usize = 2000;

fn analyse(text: &str) -> usize {
    let parsed = dockerfile::parse(text);
    let model = dockerfile::model(&parsed, &BuildArgs::default());
    let findings = lint::lint(text, &parsed.syntax, &Config::default());
    model.stages.len() + findings.len()
}

fn parse_and_model(text: &str) -> usize {
    let parsed = dockerfile::parse(text);
    dockerfile::model(&parsed, &BuildArgs::default()).stages.len()
}

fn parse_only(text: &str) -> usize {
    dockerfile::parse(text).syntax.instructions.len()
}

/// Times `f` on the fixture and prints its median, 10th and 90th percentile.
fn time(label: &str, f: fn(&str) -> usize) {
    // Warm up caches and the lazily parsed base-image catalog.
    for _ in 0..50 {
        black_box(f(black_box(DOCKERFILE)));
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(f(black_box(DOCKERFILE)));
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times.get(((times.len() - 1) as f64 * q) as usize).copied().unwrap_or_default();
    println!(
        "{label}: {RUNS} runs, median {:.1} µs, p10 {:.1} µs, p90 {:.1} µs",
        at(0.5).as_secs_f64() * 1e6,
        at(0.1).as_secs_f64() * 1e6,
        at(0.9).as_secs_f64() * 1e6
    );
}

fn main() {
    let lines = DOCKERFILE.lines().count();
    time(&format!("parse only ({lines} lines)"), parse_only);
    time(&format!("parse + model ({lines} lines)"), parse_and_model);
    time(&format!("whole analysis: parse + model + lint ({lines} lines)"), analyse);
}
