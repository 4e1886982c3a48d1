//! A 1 MB Dockerfile of 16,000 instructions: parse, model and lint answer within a time limit. Parsing, the model and every
//! lint rule must answer (problems and findings are fine) on a 1 MiB stack within a time limit.

mod hostile_common;

use hostile_common::bounded;
use layerlens_core::dockerfile::{dump, model, parse, BuildArgs};
use layerlens_core::lint::{lint, Config};

/// What one Dockerfile produced: parse problems, model problems and lint findings.
#[derive(Debug)]
struct Outcome {
    instructions: usize,
    parse_errors: usize,
    findings: usize,
}

fn analyse(secs: u64, what: &str, text: String) -> Outcome {
    bounded(secs, what, move || {
        let parsed = parse(&text);
        let _ = dump(&parsed.syntax);
        let m = model(&parsed, &BuildArgs::default());
        let findings = lint(&text, &parsed.syntax, &Config::default());
        for f in &findings {
            assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "finding span out of the text: {f:?}");
            assert!(!f.message.is_empty());
        }
        for p in parsed.problems.iter().chain(&m.problems) {
            assert!(!p.message.is_empty() && p.span.end <= text.len(), "bad problem {p:?}");
        }
        Outcome {
            instructions: parsed.syntax.instructions.len(),
            parse_errors: parsed.problems.len(),
            findings: findings.len(),
        }
    })
}

#[test]
fn a_one_megabyte_dockerfile() {
    let mut text = String::from("FROM debian:12 AS base\n");
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!("RUN apt-get update && apt-get install -y pkg{i} && echo \"$HOME/${{V{i}:-x}}\"\n"));
        text.push_str(&format!("ENV V{i}=value{i}\n"));
        i += 1;
    }
    let out = analyse(120, "1 MB Dockerfile", text);
    assert!(out.instructions > 10_000, "{out:?}");
    assert_eq!(out.parse_errors, 0, "{out:?}");
    // Every RUN updates apt without cleaning up and installs an unpinned package with recommends.
    assert!(out.findings > out.instructions, "{out:?}");
}
