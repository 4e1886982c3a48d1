//! hadolint-style rules: privileges, pinning, stage references, prompts, pipes.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config};

fn hits(text: &str, rule: &str) -> Vec<usize> {
    let parsed = dockerfile::parse(text);
    lint::lint(text, &parsed.syntax, &Config::default())
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.start.line)
        .collect()
}

#[test]
fn last_user_root() {
    assert_eq!(hits("FROM alpine:3.22\nUSER app\nRUN true\nUSER root\n", "LL3001"), [4]);
    assert!(hits("FROM alpine:3.22\nUSER root\nRUN true\nUSER app\n", "LL3001").is_empty());
    // Only the final stage's user matters.
    assert!(hits("FROM alpine:3.22 AS build\nUSER root\nFROM alpine:3.22\nUSER 1000\n", "LL3001").is_empty());
}

#[test]
fn sudo() {
    assert_eq!(hits("FROM debian:12\nRUN sudo apt-get install -y curl\n", "LL3002"), [2]);
    assert!(hits("FROM debian:12\nRUN echo sudo\n", "LL3002").is_empty());
}

#[test]
fn pinning() {
    assert_eq!(hits("FROM debian:12\nRUN apt-get install -y curl\n", "LL3003"), [2]);
    assert!(hits("FROM debian:12\nRUN apt-get install -y curl=7.88.1-10\n", "LL3003").is_empty());
    assert_eq!(hits("FROM alpine:3.22\nRUN apk add --no-cache curl\n", "LL3004"), [2]);
    assert!(hits("FROM alpine:3.22\nRUN apk add --no-cache --virtual .deps curl=8.5.0-r0\n", "LL3004").is_empty());
    assert_eq!(hits("FROM python:3.13-slim\nRUN pip install --no-cache-dir flask\n", "LL3005"), [2]);
    assert!(hits(
        "FROM python:3.13-slim\nRUN pip install --no-cache-dir -r requirements.txt 'flask>=3' ./pkg\n",
        "LL3005"
    )
    .is_empty());
    assert_eq!(hits("FROM node:22-slim\nRUN npm install -g typescript\n", "LL3006"), [2]);
    assert!(hits("FROM node:22-slim\nRUN npm install -g typescript@5.6.2 @scope/pkg@1.0.0\n", "LL3006").is_empty());
    assert!(hits("FROM node:22-slim\nRUN npm install\n", "LL3006").is_empty());
    assert_eq!(hits("FROM ruby:3.3-slim\nRUN gem install rails\n", "LL3007"), [2]);
    assert!(hits("FROM ruby:3.3-slim\nRUN gem install rails -v 7.1.3\n", "LL3007").is_empty());
    assert_eq!(hits("FROM golang:1.26\nRUN go install golang.org/x/tools/gopls@latest\n", "LL3008"), [2]);
    assert!(hits("FROM golang:1.26\nRUN go install golang.org/x/tools/gopls@v0.16.1\n", "LL3008").is_empty());
}

#[test]
fn copy_from_references() {
    assert_eq!(hits("FROM alpine:3.22\nCOPY --from=biuld /a /a\n", "LL3009"), [2]);
    assert!(hits("FROM alpine:3.22 AS build\nFROM alpine:3.22\nCOPY --from=build /a /a\n", "LL3009").is_empty());
    assert!(hits("FROM alpine:3.22\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n", "LL3009").is_empty());
    assert!(hits("FROM alpine:3.22\nFROM alpine:3.22\nCOPY --from=0 /a /a\n", "LL3009").is_empty());
    assert_eq!(hits("FROM alpine:3.22 AS app\nCOPY --from=app /a /b\n", "LL3010"), [2]);
}

#[test]
fn prompts_and_apt() {
    assert_eq!(hits("FROM debian:12\nRUN apt-get install curl\n", "LL3011"), [2]);
    assert!(hits("FROM debian:12\nRUN apt-get install -qqy curl\n", "LL3011").is_empty());
    assert_eq!(hits("FROM fedora:41\nRUN dnf install jq\n", "LL3011"), [2]);
    assert_eq!(hits("FROM debian:12\nRUN apt install -y curl\n", "LL3012"), [2]);
}

#[test]
fn add_and_copy_forms() {
    assert_eq!(hits("FROM alpine:3.22\nADD app.py /app/\n", "LL3013"), [2]);
    assert!(hits("FROM alpine:3.22\nADD rootfs.tar.gz /\n", "LL3013").is_empty());
    assert_eq!(hits("FROM alpine:3.22\nCOPY a b /dest\n", "LL3014"), [2]);
    assert!(hits("FROM alpine:3.22\nCOPY a b /dest/\n", "LL3014").is_empty());
}

#[test]
fn pipes_need_pipefail() {
    assert_eq!(hits("FROM debian:12\nRUN curl -fsSL https://x | tar -xz\n", "LL3015"), [2]);
    assert!(hits(
        "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | tar -xz\n",
        "LL3015"
    )
    .is_empty());
    assert!(hits("FROM debian:12\nRUN set -o pipefail && curl -fsSL https://x | tar -xz\n", "LL3015").is_empty());
    // `|` separating case patterns is not a pipe.
    assert!(hits("FROM alpine:3.22\nRUN case \"$a\" in x86_64|aarch64) echo ok ;; esac\n", "LL3015").is_empty());
    // A pipe inside a command substitution is still a pipe.
    assert_eq!(hits("FROM alpine:3.22\nRUN x=\"$(scanelf -n /usr | sort -u)\"\n", "LL3015"), [2]);
}
