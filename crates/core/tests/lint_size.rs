//! Size rules: positive and negative cases, including heredocs, escape directives, ARG-expanded
//! base images, cache mounts and multi-stage builds.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config, Dockerignore, Finding};

fn findings_with(text: &str, config: &Config) -> Vec<Finding> {
    let parsed = dockerfile::parse(text);
    lint::lint(text, &parsed.syntax, config)
}

fn findings(text: &str) -> Vec<Finding> {
    findings_with(text, &Config::default())
}

/// `(rule, line)` of every finding of `rule`.
fn hits(text: &str, rule: &str) -> Vec<usize> {
    findings(text).into_iter().filter(|f| f.rule == rule).map(|f| f.start.line).collect()
}

#[test]
fn apt_lists_left_and_cleaned() {
    assert_eq!(
        hits("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n", "LL1001"),
        [2]
    );
    let clean =
        "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n";
    assert!(hits(clean, "LL1001").is_empty());
    // Cleaning before the update does not help.
    let wrong_order = "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl\n";
    assert_eq!(hits(wrong_order, "LL1001"), [2]);
    // apt 2.7's dist-clean removes the lists.
    assert!(hits("FROM debian:13\nRUN apt-get update && apt-get install -y curl && apt-get dist-clean\n", "LL1001")
        .is_empty());
}

#[test]
fn cache_mounts_make_cache_rules_moot() {
    let text =
        "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n";
    assert!(hits(text, "LL1001").is_empty());
    let pip = "FROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache pip install flask==3.0.3\n";
    assert!(hits(pip, "LL1005").is_empty());
    assert_eq!(hits("FROM python:3.13-slim\nRUN pip install flask==3.0.3\n", "LL1005"), [2]);
    let home = "FROM python:3.13-slim\nRUN --mount=type=cache,target=$HOME/.cache/pip pip install flask==3.0.3\n";
    assert!(hits(home, "LL1005").is_empty());
    // Writes under a bind mount are discarded too; a secret mount elsewhere changes nothing.
    let bind = "FROM python:3.13-slim\nRUN --mount=type=bind,target=/root/.cache,rw pip install flask==3.0.3\n";
    assert!(hits(bind, "LL1005").is_empty());
    let secret = "FROM python:3.13-slim\nRUN --mount=type=secret,id=pip,target=/root/.config/pip/pip.conf pip install flask==3.0.3\n";
    assert_eq!(hits(secret, "LL1005"), [2]);
    let go = "FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build ./...\n";
    assert!(hits(go, "LL1008").is_empty());
    assert_eq!(hits("FROM golang:1.26\nRUN go build ./...\n", "LL1008"), [2]);
    assert_eq!(hits("FROM ruby:3.3-slim\nRUN gem install rails -v 7.1.3\n", "LL1008"), [2]);
    assert!(hits("FROM ruby:3.3-slim\nRUN gem install rails -v 7.1.3 && rm -rf /usr/local/bundle/cache\n", "LL1008")
        .is_empty());
}

#[test]
fn only_stages_in_the_final_image_count() {
    let text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc make\nRUN make\n\
                FROM debian:12-slim\nCOPY --from=build /out /out\n";
    assert!(hits(text, "LL1001").is_empty());
    assert!(hits(text, "LL1012").is_empty());
    assert!(hits(text, "LL1002").is_empty());
    // A stage the final one is built FROM does count.
    let chained = "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc\nFROM base\nCMD [\"x\"]\n";
    assert_eq!(hits(chained, "LL1001"), [2]);
    assert_eq!(hits(chained, "LL1012"), [2]);
    // --target picks the final stage.
    let config = Config { target: Some("build".to_string()), ..Config::default() };
    assert!(findings_with(text, &config).iter().any(|f| f.rule == "LL1001"));
}

#[test]
fn pip_cache_disabled_by_env_or_flag() {
    assert!(hits("FROM python:3.13-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n", "LL1005").is_empty());
    assert!(
        hits("FROM python:3.13-slim\nRUN python3 -m pip install --no-cache-dir flask==3.0.3\n", "LL1005").is_empty()
    );
    assert!(hits("FROM python:3.13-slim\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n", "LL1005").is_empty());
}

#[test]
fn apk_rpm_npm_yarn_caches() {
    assert_eq!(hits("FROM alpine:3.22\nRUN apk add curl\n", "LL1003"), [2]);
    assert!(hits("FROM alpine:3.22\nRUN apk add --no-cache curl\n", "LL1003").is_empty());
    assert!(hits("FROM alpine:3.22\nRUN apk add curl && rm -rf /var/cache/apk/*\n", "LL1003").is_empty());
    assert_eq!(hits("FROM fedora:41\nRUN dnf install -y gcc-c++\n", "LL1004"), [2]);
    assert!(hits("FROM fedora:41\nRUN dnf install -y jq && dnf clean all\n", "LL1004").is_empty());
    assert_eq!(hits("FROM node:22-slim\nRUN npm ci\n", "LL1006"), [2]);
    assert!(hits("FROM node:22-slim\nRUN npm ci && npm cache clean --force\n", "LL1006").is_empty());
    assert_eq!(hits("FROM node:22-slim\nRUN yarn install --frozen-lockfile\n", "LL1007"), [2]);
    assert!(hits("FROM node:22-slim\nRUN yarn install && yarn cache clean\n", "LL1007").is_empty());
}

#[test]
fn install_recommends_and_configured_off() {
    assert_eq!(
        hits(
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            "LL1002"
        ),
        [2]
    );
    let configured =
        "FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends\n\
                      RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    assert!(hits(configured, "LL1002").is_empty());
}

#[test]
fn update_in_its_own_run() {
    let text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(hits(text, "LL1009"), [2]);
    assert!(hits("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "LL1009").is_empty());
}

#[test]
fn deleted_in_a_later_layer() {
    let text = "FROM debian:12\nRUN curl -fsSLo /tmp/big.tgz https://example.com/big.tgz\nRUN tar -xzf /tmp/big.tgz -C /opt\nRUN rm /tmp/big.tgz\n";
    assert_eq!(hits(text, "LL1010"), [4]);
    let same_run = "FROM debian:12\nRUN curl -fsSLo /tmp/big.tgz https://example.com/big.tgz && tar -xzf /tmp/big.tgz -C /opt && rm /tmp/big.tgz\n";
    assert!(hits(same_run, "LL1010").is_empty());
    // Relative paths resolve against WORKDIR; the archive ADDed and then deleted counts too.
    let added = "FROM debian:12\nWORKDIR /src\nADD app.tar.gz ./\nRUN rm -rf /src/tests\n";
    assert_eq!(hits(added, "LL1010"), [4]);
    // Packages removed in a later RUN.
    let purge = "FROM debian:12\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y gcc\n";
    assert_eq!(hits(purge, "LL1010"), [3]);
}

#[test]
fn chmod_after_copy() {
    assert_eq!(
        hits("FROM alpine:3.22\nCOPY run.sh /usr/local/bin/\nRUN chmod +x /usr/local/bin/run.sh\n", "LL1011"),
        [3]
    );
    assert_eq!(hits("FROM alpine:3.22\nWORKDIR /app\nCOPY . .\nRUN chown -R app:app /app\n", "LL1011"), [4]);
    assert!(hits("FROM alpine:3.22\nCOPY --chmod=755 run.sh /usr/local/bin/\n", "LL1011").is_empty());
    assert!(hits("FROM alpine:3.22\nCOPY run.sh /usr/local/bin/\nRUN chmod +x /etc/other\n", "LL1011").is_empty());
    // The message names the instruction that put the file there: the deepest destination holding it.
    let nested = "FROM scratch\nADD rootfs.tar /\nCOPY app/ /app/\nRUN chmod 755 /app/server.py\n";
    let message = findings(nested).into_iter().find(|f| f.rule == "LL1011").map(|f| f.message).unwrap_or_default();
    assert!(message.contains("line 3 (/app)"), "{message}");
}

#[test]
fn toolchain_in_the_final_image() {
    assert_eq!(hits("FROM alpine:3.22\nRUN apk add --no-cache gcc musl-dev && make\n", "LL1012"), [2]);
    // Removed in the same RUN: nothing is left.
    let virtual_pkg =
        "FROM alpine:3.22\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps\n";
    assert!(hits(virtual_pkg, "LL1012").is_empty());
    let apt_mark = "FROM debian:12\nRUN savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; apt-get install -y --no-install-recommends gcc libssl-dev; \
                    make; apt-mark auto '.*' > /dev/null; apt-mark manual $savedAptMark; apt-get purge -y --auto-remove; rm -rf /var/lib/apt/lists/*\n";
    assert!(hits(apt_mark, "LL1012").is_empty());
    // Package lists held in a variable of the same RUN are seen through.
    let variable = "FROM debian:12\nRUN deps='gcc make' && apt-get update && apt-get install -y $deps && rm -rf /var/lib/apt/lists/*\n";
    assert_eq!(hits(variable, "LL1012"), [2]);
}

#[test]
fn heredoc_run_bodies_are_shell_scripts() {
    let text =
        "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nEOF\n";
    let f: Vec<(String, usize)> = findings(text).into_iter().map(|f| (f.rule.to_string(), f.start.line)).collect();
    assert!(f.contains(&("LL1001".to_string(), 4)), "{f:?}");
    let cleaned =
        "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\n";
    assert!(hits(cleaned, "LL1001").is_empty());
    // A heredoc fed to python is not shell.
    assert!(hits("FROM python:3.13-slim\nRUN python3 <<EOF\nprint('apt-get update')\nEOF\n", "LL1001").is_empty());
}

#[test]
fn escape_directive_backtick() {
    let text = "# escape=`\nFROM debian:12\nRUN apt-get update `\n  && apt-get install -y curl\n";
    assert_eq!(hits(text, "LL1001"), [3]);
    let cleaned = "# escape=`\nFROM debian:12\nRUN apt-get update `\n  && apt-get install -y curl `\n  && rm -rf /var/lib/apt/lists/*\n";
    assert!(hits(cleaned, "LL1001").is_empty());
}

#[test]
fn base_image_tags_and_slim_variants_with_args() {
    assert_eq!(hits("FROM ubuntu\n", "LL1016"), [1]);
    assert_eq!(hits("FROM ubuntu:latest\n", "LL1017"), [1]);
    assert!(hits("FROM ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "LL1016")
        .is_empty());
    assert!(hits("FROM scratch\n", "LL1016").is_empty());
    // ARGs are expanded before the tag is judged.
    assert_eq!(hits("ARG BASE=python:latest\nFROM ${BASE}\n", "LL1017"), [2]);
    assert!(hits("ARG VERSION=3.13\nFROM python:${VERSION}-slim\n", "LL1015").is_empty());
    let full = findings("ARG VERSION=3.13\nFROM python:${VERSION}\n");
    let slim = full.iter().find(|f| f.rule == "LL1015").expect("full python base");
    assert!(slim.message.contains("python:3.13-slim"), "{}", slim.message);
    // Only the final image's base counts for the slim advice.
    assert!(hits("FROM python:3.13 AS build\nRUN true\nFROM python:3.13-slim\n", "LL1015").is_empty());
    // A build argument overrides the default.
    let config = Config { build_args: vec![("BASE".into(), "alpine:latest".into())], ..Config::default() };
    let overridden = findings_with("ARG BASE=alpine:3.22\nFROM $BASE\n", &config);
    assert!(overridden.iter().any(|f| f.rule == "LL1017"));
}

#[test]
fn remote_archives_and_whole_context() {
    assert_eq!(hits("FROM alpine:3.22\nADD https://example.com/tool.tar.gz /opt/\n", "LL1013"), [2]);
    assert!(hits("FROM alpine:3.22\nADD https://example.com/tool /usr/local/bin/tool\n", "LL1013").is_empty());
    assert_eq!(hits("FROM alpine:3.22\nCOPY . /app\n", "LL1014"), [2]);
    let with_ignore = findings_with(
        "FROM alpine:3.22\nCOPY . /app\n",
        &Config { dockerignore: Dockerignore::Text(".git\n".into()), ..Config::default() },
    );
    assert!(with_ignore.iter().all(|f| f.rule != "LL1014"));
}

#[test]
fn useradd_lastlog() {
    assert_eq!(hits("FROM debian:12\nRUN useradd -u 100000 app\n", "LL1018"), [2]);
    assert!(hits("FROM debian:12\nRUN useradd -l -u 100000 app\n", "LL1018").is_empty());
    // A small UID writes a small lastlog: not worth a finding.
    assert!(hits("FROM debian:12\nRUN useradd -u 1000 app\n", "LL1018").is_empty());
}

#[test]
fn findings_point_at_the_exact_words() {
    let text = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y gcc\n";
    let f = findings(text);
    let toolchain = f.iter().find(|f| f.rule == "LL1012").unwrap();
    assert_eq!(&text[toolchain.span.start..toolchain.span.end], "gcc");
    assert_eq!((toolchain.start.line, toolchain.start.column), (3, 27));
}
