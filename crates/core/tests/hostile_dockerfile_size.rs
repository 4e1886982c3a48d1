//! A 1 MB Dockerfile of 16,000 instructions: parse, model and lint answer within a time limit. Parsing, the model and every
//! lint rule must answer (problems and findings are fine) on a 1 MiB stack within a time limit.

mod hostile_common;

use hostile_common::analyse_dockerfile;

#[test]
fn a_one_megabyte_dockerfile() {
    let mut text = String::from("FROM debian:12 AS base\n");
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!("RUN apt-get update && apt-get install -y pkg{i} && echo \"$HOME/${{V{i}:-x}}\"\n"));
        text.push_str(&format!("ENV V{i}=value{i}\n"));
        i += 1;
    }
    let out = analyse_dockerfile(120, "1 MB Dockerfile", text);
    assert!(out.instructions > 10_000, "{out:?}");
    assert_eq!(out.parse_errors, 0, "{out:?}");
    // Every RUN updates apt without cleaning up and installs an unpinned package with recommends.
    assert!(out.findings > out.instructions, "{out:?}");
}
