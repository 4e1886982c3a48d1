//! The rules added for hadolint DL3003, DL3047, DL3059, DL3066, DL3067 and BuildKit's FromPlatformFlagConstDisallowed
//! and CopyIgnoredFile: positive and negative cases for each.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config, Dockerignore};

fn hits_with(text: &str, rule: &str, config: &Config) -> Vec<(usize, String)> {
    let parsed = dockerfile::parse(text);
    lint::lint(text, &parsed.syntax, config)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| (f.start.line, f.message))
        .collect()
}

fn lines(text: &str, rule: &str) -> Vec<usize> {
    hits_with(text, rule, &Config::default()).into_iter().map(|(l, _)| l).collect()
}

#[test]
fn cd_in_run() {
    assert_eq!(lines("FROM alpine:3.22\nRUN cd /src && make\n", "LL3016"), [2]);
    assert_eq!(lines("FROM alpine:3.22\nRUN make -C /src && sh -c 'cd /tmp && ls'\n", "LL3016"), [2]);
    assert!(lines("FROM alpine:3.22\nWORKDIR /src\nRUN make\nRUN echo cd\n", "LL3016").is_empty());
    // Suppressed by hadolint's id.
    assert!(lines("FROM alpine:3.22\n# hadolint ignore=DL3003\nRUN cd /src && make\n", "LL3016").is_empty());
}

#[test]
fn wget_progress() {
    assert_eq!(lines("FROM debian:12\nRUN wget https://x.org/a.tgz\n", "LL3017"), [2]);
    for quiet in ["-q", "-nv", "--quiet", "--no-verbose", "--progress=dot:giga", "-qO-", "-o log.txt"] {
        let text = format!("FROM debian:12\nRUN wget {quiet} https://x.org/a.tgz\n");
        assert!(lines(&text, "LL3017").is_empty(), "{quiet}");
    }
}

#[test]
fn consecutive_runs() {
    let text = "FROM debian:12\nRUN a\nRUN b\n# a comment does not separate them\nRUN c\nENV X=1\nRUN d\n";
    assert_eq!(lines(text, "LL3018"), [3, 5]);
    // Different flags, or a RUN that already chains commands, are left alone.
    assert!(lines("FROM debian:12\nRUN a\nRUN --mount=type=cache,target=/c b\n", "LL3018").is_empty());
    assert!(lines("FROM debian:12\nRUN a && b\nRUN c\n", "LL3018").is_empty());
    // A new stage starts afresh.
    assert!(lines("FROM debian:12\nRUN a\nFROM debian:12\nRUN b\n", "LL3018").is_empty());
}

#[test]
fn user_not_numeric() {
    assert_eq!(lines("FROM debian:12\nUSER app\n", "LL3019"), [2]);
    assert_eq!(lines("FROM debian:12\nUSER app:1000\n", "LL3019"), [2]);
    assert!(lines("FROM debian:12\nUSER 10001:10001\nUSER 0\nUSER ${UID}\n", "LL3019").is_empty());
}

#[test]
fn copy_whole_filesystem() {
    let text = "FROM golang:1.26 AS build\nRUN go build\nFROM scratch\nCOPY --from=build / /\n";
    assert_eq!(lines(text, "LL3020"), [4]);
    assert!(lines("FROM golang:1.26 AS build\nFROM scratch\nCOPY --from=build /app /\nCOPY / /\n", "LL3020").is_empty());
}

#[test]
fn from_platform_constant() {
    let hits = hits_with("FROM --platform=linux/amd64 alpine:3.22 AS base\n", "LL2019", &Config::default());
    assert_eq!(hits, [(1, "FROM --platform flag should not use constant value \"linux/amd64\"".to_string())]);
    // Variables, and stage names that mention the OS or architecture, are fine (as in BuildKit).
    for text in [
        "FROM --platform=$BUILDPLATFORM alpine:3.22 AS base\n",
        "FROM --platform=linux/amd64 alpine:3.22 AS build-amd64\n",
        "FROM --platform=linux/arm64 alpine:3.22 AS linux-build\n",
        "ARG P=linux/amd64\nFROM --platform=${P} alpine:3.22\n",
        "FROM alpine:3.22\n",
    ] {
        assert!(hits_with(text, "LL2019", &Config::default()).is_empty(), "{text}");
    }
    // BuildKit's skip directive silences it.
    let text = "# check=skip=FromPlatformFlagConstDisallowed\nFROM --platform=linux/amd64 alpine:3.22\n";
    assert!(hits_with(text, "LL2019", &Config::default()).is_empty());
}

#[test]
fn copy_ignored_file() {
    let text = "FROM alpine:3.22\nCOPY dist/app.js secrets.env /app/\nCOPY ./src /src\nADD build/ /b\nCOPY --from=other /dist /d\n";
    let config = Config { dockerignore: Dockerignore::Text("# ignored\ndist\n*.env\n".into()), ..Config::default() };
    assert_eq!(
        hits_with(text, "LL2020", &config),
        [
            (2, "Attempting to Copy file \"dist/app.js\" that is excluded by .dockerignore".to_string()),
            (2, "Attempting to Copy file \"secrets.env\" that is excluded by .dockerignore".to_string()),
        ]
    );
    // An exclusion (`!`) makes BuildKit skip the check; without the .dockerignore text nothing is known.
    let negated = Config { dockerignore: Dockerignore::Text("dist\n!dist/app.js\n".into()), ..Config::default() };
    assert!(hits_with(text, "LL2020", &negated).is_empty());
    assert!(hits_with(text, "LL2020", &Config::default()).is_empty());
    let absent = Config { dockerignore: Dockerignore::Absent, ..Config::default() };
    assert!(hits_with(text, "LL2020", &absent).is_empty());
}
