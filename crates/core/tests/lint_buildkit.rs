//! BuildKit's checks: one positive and one negative case each, with BuildKit's messages.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config, Finding};

fn findings(text: &str) -> Vec<Finding> {
    let parsed = dockerfile::parse(text);
    lint::lint(text, &parsed.syntax, &Config::default())
}

fn messages(text: &str, rule: &str) -> Vec<String> {
    findings(text).into_iter().filter(|f| f.rule == rule).map(|f| f.message).collect()
}

#[test]
fn stage_names() {
    assert_eq!(messages("FROM alpine:3.22 AS Build\n", "LL2001"), ["Stage name 'Build' should be lowercase"]);
    assert!(messages("FROM alpine:3.22 AS build\n", "LL2001").is_empty());
    assert_eq!(messages("FROM alpine:3.22 as build\n", "LL2002"), ["'as' and 'FROM' keywords' casing do not match"]);
    assert!(messages("from alpine:3.22 as build\n", "LL2002").is_empty());
    assert_eq!(
        messages("FROM alpine:3.22 AS a\nFROM alpine:3.22 AS A\n", "LL2007"),
        ["Duplicate stage name \"a\", stage names should be unique"]
    );
    assert_eq!(
        messages("FROM alpine:3.22 AS scratch\n", "LL2008"),
        ["Stage name should not use the same name as reserved stage \"scratch\""]
    );
    assert!(messages("FROM alpine:3.22 AS base\n", "LL2008").is_empty());
}

#[test]
fn json_args_recommended_unless_a_shell_is_set() {
    assert_eq!(
        messages("FROM alpine:3.22\nCMD echo hi\n", "LL2003"),
        ["JSON arguments recommended for CMD to prevent unintended behavior related to OS signals"]
    );
    assert!(messages("FROM alpine:3.22\nCMD [\"echo\", \"hi\"]\n", "LL2003").is_empty());
    assert!(messages("FROM alpine:3.22\nSHELL [\"/bin/ash\", \"-c\"]\nENTRYPOINT echo hi\n", "LL2003").is_empty());
    assert!(messages("FROM alpine:3.22 AS base\nSHELL [\"/bin/ash\", \"-c\"]\nFROM base\nCMD echo hi\n", "LL2003")
        .is_empty());
}

#[test]
fn undefined_variables() {
    assert_eq!(messages("FROM scratch\nCOPY $foo .\n", "LL2004"), ["Usage of undefined variable '$foo'"]);
    assert!(messages("FROM scratch\nARG foo\nCOPY $foo .\n", "LL2004").is_empty());
    // A typo of a defined variable is reported even when the base image's environment is unknown.
    assert_eq!(
        messages("FROM alpine:3.22\nENV APP_HOME=/app\nWORKDIR $APP_HOEM\n", "LL2004"),
        ["Usage of undefined variable '$APP_HOEM' (did you mean $APP_HOME?)"]
    );
    // Unknown base-image variables are not guessed at.
    assert!(messages("FROM python:3.13-slim\nWORKDIR $PYTHON_HOME\n", "LL2004").is_empty());
    // Platform ARGs are predefined.
    assert!(messages("FROM scratch\nCOPY $TARGETARCH/bin /bin\n", "LL2004").is_empty());
}

#[test]
fn args_in_from() {
    assert_eq!(messages("FROM alpine:${TAG}\n", "LL2005"), ["FROM argument 'TAG' is not declared"]);
    assert!(messages("ARG TAG=3.22\nFROM alpine:${TAG}\n", "LL2005").is_empty());
    assert!(messages("FROM --platform=$BUILDPLATFORM alpine:3.22\n", "LL2005").is_empty());
    assert_eq!(
        messages("ARG TAG\nFROM alpine:${TAG}\n", "LL2006"),
        ["Default value for ARG alpine:${TAG} results in empty or invalid base image name"]
    );
    assert!(messages("ARG TAG=3.22\nFROM alpine:${TAG}\n", "LL2006").is_empty());
    assert!(messages("ARG BASE=builder\nFROM alpine:3.22 AS builder\nFROM ${BASE}\n", "LL2006").is_empty());
    assert_eq!(
        messages("FROM --platform=$TARGETPLATFORM alpine:3.22\n", "LL2012"),
        ["Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"]
    );
    assert!(messages("FROM --platform=$BUILDPLATFORM alpine:3.22\n", "LL2012").is_empty());
}

#[test]
fn workdir_relative_only_before_an_absolute_one() {
    assert_eq!(
        messages("FROM alpine:3.22\nWORKDIR app\n", "LL2009"),
        ["Relative workdir \"app\" can have unexpected results if the base image changes"]
    );
    assert!(messages("FROM alpine:3.22\nWORKDIR /app\nWORKDIR src\n", "LL2009").is_empty());
    assert!(messages("FROM alpine:3.22\nWORKDIR \"/usr/src/app/\"\n", "LL2009").is_empty());
}

#[test]
fn multiple_instructions_report_the_ignored_one() {
    let f: Vec<(usize, String)> = findings("FROM alpine:3.22\nCMD [\"a\"]\nCMD [\"b\"]\n")
        .into_iter()
        .filter(|f| f.rule == "LL2010")
        .map(|f| (f.start.line, f.message))
        .collect();
    assert_eq!(
        f,
        [(
            2,
            "Multiple CMD instructions should not be used in the same stage because only the last one will be used"
                .to_string()
        )]
    );
    assert!(messages("FROM alpine:3.22 AS a\nCMD [\"a\"]\nFROM alpine:3.22\nCMD [\"b\"]\n", "LL2010").is_empty());
}

#[test]
fn legacy_key_value_and_maintainer() {
    assert_eq!(
        messages("FROM alpine:3.22\nENV A 1\n", "LL2011"),
        ["\"ENV key=value\" should be used instead of legacy \"ENV key value\" format"]
    );
    assert!(messages("FROM alpine:3.22\nENV A=1\n", "LL2011").is_empty());
    assert_eq!(
        messages("FROM alpine:3.22\nMAINTAINER me\n", "LL2014"),
        ["Maintainer instruction is deprecated in favor of using label"]
    );
}

#[test]
fn secrets_without_the_gpg_false_positive() {
    assert_eq!(
        messages("FROM alpine:3.22\nARG AWS_SECRET_ACCESS_KEY\n", "LL2013"),
        ["Do not use ARG or ENV instructions for sensitive data (ARG \"AWS_SECRET_ACCESS_KEY\")"]
    );
    assert_eq!(messages("FROM alpine:3.22\nENV GITHUB_TOKEN=abc\n", "LL2013").len(), 1);
    // BuildKit reports this public key fingerprint; it is not a secret.
    assert!(messages("FROM alpine:3.22\nENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305\n", "LL2013").is_empty());
    assert!(messages("FROM alpine:3.22\nARG PUBLIC_KEY=x\nENV KEY_FILE=/run/k\n", "LL2013").is_empty());
    assert!(messages("FROM alpine:3.22\nENV MONKEY=1\n", "LL2013").is_empty());
}

#[test]
fn expose_formats() {
    assert_eq!(
        messages("FROM alpine:3.22\nEXPOSE 53/UDP\n", "LL2015"),
        ["Defined protocol '53/UDP' in EXPOSE instruction should be lowercase"]
    );
    assert!(messages("FROM alpine:3.22\nEXPOSE 53/udp\n", "LL2015").is_empty());
    assert_eq!(
        messages("FROM alpine:3.22\nEXPOSE 127.0.0.1:80:80\n", "LL2016"),
        ["EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'"]
    );
    assert!(messages("FROM alpine:3.22\nEXPOSE 80 443\n", "LL2016").is_empty());
}

#[test]
fn empty_continuation_and_casing() {
    let f: Vec<usize> = findings("FROM alpine:3.22\nRUN echo a \\\n\n  b\n")
        .into_iter()
        .filter(|f| f.rule == "LL2017")
        .map(|f| f.start.line)
        .collect();
    assert_eq!(f, [3]);
    assert!(messages("FROM alpine:3.22\nRUN echo a \\\n# comment\n  b\n", "LL2017").is_empty());
    assert_eq!(
        messages("FROM alpine:3.22\nRUN true\nrun true\nCOPY a b\n", "LL2018"),
        ["Command 'run' should match the case of the command majority (uppercase)"]
    );
    assert!(messages("from alpine:3.22\nrun true\n", "LL2018").is_empty());
}
