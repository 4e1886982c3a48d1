//! Parse plus model of a 200-line Dockerfile must stay far below 5 ms (the page re-analyses on
//! every keystroke). The budget asserted here holds even for unoptimised test builds; release
//! builds take well under a millisecond.

use layerlens_core::dockerfile::{model, parse, BuildArgs};
use std::time::Instant;

/// A realistic 200-line multi-stage Dockerfile: ARG-templated bases, heredocs, mounts, long RUNs.
fn two_hundred_lines() -> String {
    let mut s = String::from("# syntax=docker/dockerfile:1\nARG PY=3.12\nARG BASE=python:${PY}-slim\n");
    let mut stage = 0;
    while s.lines().count() < 190 {
        s.push_str(&format!("FROM ${{BASE}} AS stage{stage}\n"));
        s.push_str("ENV PATH=/opt/venv/bin:$PATH PIP_NO_CACHE_DIR=1 LANG=C.UTF-8\n");
        s.push_str("RUN --mount=type=cache,target=/root/.cache/pip \\\n");
        s.push_str("    apt-get update && apt-get install -y --no-install-recommends \\\n");
        s.push_str("        build-essential libpq-dev curl ca-certificates \\\n");
        s.push_str("    && rm -rf /var/lib/apt/lists/*\n");
        s.push_str("COPY --chown=1000:1000 requirements.txt /app/\n");
        s.push_str("RUN <<EOF\nset -eux\npip install -r /app/requirements.txt\nEOF\n");
        if stage > 0 {
            s.push_str(&format!("COPY --from=stage{} /app /app\n", stage - 1));
        }
        s.push_str("WORKDIR /app\nUSER 1000\nEXPOSE 8000\nCMD [\"python\", \"-m\", \"app\"]\n");
        stage += 1;
    }
    while s.lines().count() < 200 {
        s.push_str("LABEL org.opencontainers.image.source=\"https://example.com/repo\"\n");
    }
    s
}

#[test]
fn parse_and_model_of_200_lines_is_fast() {
    let text = two_hundred_lines();
    assert_eq!(text.lines().count(), 200);
    let args = BuildArgs::default();
    let parsed = parse(&text);
    assert!(!parsed.has_errors(), "{:?}", parsed.problems);
    assert!(model(&parsed, &args).problems.is_empty());
    let runs = 50;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let parsed = parse(&text);
        let m = model(&parsed, &args);
        std::hint::black_box(&m);
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[runs / 2];
    eprintln!("parse+model of 200 lines: median {median:?}, min {:?}", times[0]);
    // The fastest run is the measure least disturbed by other work on a shared machine.
    assert!(times[0].as_micros() < 5_000, "fastest run {:?}", times[0]);
}
