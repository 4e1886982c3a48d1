//! BuildKit's lexer cases beyond the shared fixtures (from its lex_test.go): pattern modifiers,
//! replacement, mandatory variables, matched/unmatched sets, raw modes.

use layerlens_core::dockerfile::shell::{expand, LexOptions, NoEnv};
use std::collections::HashMap;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// (input, environment, expected result or None for an error, matched, unmatched)
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

const CASES: &[Case] = &[
    ("x", &[("DUMMY", "dummy")], Some("x"), &[], &[]),
    ("x ${UNUSED}", &[("DUMMY", "dummy")], Some("x "), &[], &["UNUSED"]),
    ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("xxx  ccc"), &["BAR", "FOO"], &["BAZ"]),
    (
        "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
        &[("FOO", "xxx"), ("BAR", "")],
        Some("xxx bbb ccc"),
        &["BAR", "FOO"],
        &["BAZ"],
    ),
    ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("aaa bbb "), &["BAR", "FOO"], &["BAZ"]),
    ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", &[("FOO", "xxx"), ("BAR", "")], Some("aaa  "), &["BAR", "FOO"], &["BAZ"]),
    ("${BAR?bbb}", &[("BAR", "")], Some(""), &["BAR"], &[]),
    ("${BAZ?ccc}", &[], None, &[], &[]),
    ("${BAR:?bbb}", &[("BAR", "")], None, &[], &[]),
    ("${FOO=aaa}", &[("FOO", "xxx")], None, &[], &[]),
    ("${FOO#()[]{\\}^$.\\*\\?|\\\\}", &[("FOO", "()[]{}^$.*?|\\x")], Some("x"), &["FOO"], &[]),
    ("${FOO%%\\**}", &[("FOO", "xx**")], Some("xx"), &["FOO"], &[]),
    ("${FOO#*x*y}", &[("FOO", "xxyy")], Some("y"), &["FOO"], &[]),
    ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], Some("xyy"), &["BAR", "FOO"], &[]),
    ("${FOO##*x}", &[("FOO", "xxyy")], Some("yy"), &["FOO"], &[]),
    ("${FOO#?\\?}", &[("FOO", "???y")], Some("?y"), &["FOO"], &[]),
    ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], Some(".xxyy."), &["FOO"], &["ABC"]),
    ("${FOO%%\\**\\*}", &[("FOO", "a***yy*")], Some("a"), &["FOO"], &[]),
    (
        "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
        &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")],
        Some("/foo.*/*.txt - /foo..*.txt"),
        &["FOO", "NEEDLE"],
        &[],
    ),
    (
        "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
        &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
        Some("/tmp/bar.txt - /bar.txt"),
        &["FOO", "NEEDLE"],
        &[],
    ),
    (
        "${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}",
        &[("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("R", "/")],
        Some("/foo/b/c.txt - /foo/c.txt"),
        &["FOO", "NEEDLE", "R"],
        &[],
    ),
    (
        "${FOO/$NEEDLE/$R}",
        &[("FOO", "http://google.de"), ("NEEDLE", "http://"), ("R", "https://")],
        Some("https://google.de"),
        &["FOO", "NEEDLE", "R"],
        &[],
    ),
    ("${FOO//\\//\\/}", &[("FOO", "/tmp/foo.txt")], Some("\\/tmp\\/foo.txt"), &["FOO"], &[]),
    ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], Some("wwxxyy"), &["BAR", "FOO"], &[]),
    ("${FOO//ww}", &[("FOO", "xxyy")], None, &[], &[]),
    ("${FOO//}", &[("FOO", "xxyy")], None, &[], &[]),
    ("${FOO///}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
    ("${FOO///}", &[], Some(""), &[], &["FOO"]),
    ("${VAR:?message here$ARG}", &[("VAR", ""), ("ARG", "x")], None, &[], &[]),
    (
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz",
        &[("VERSION", "v1.2.3"), ("TARGETOS", "linux"), ("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")],
        Some("something-v1.2.3.linux-arm-v7.tar.gz"),
        &["TARGETARCH", "TARGETOS", "TARGETVARIANT", "VERSION"],
        &[],
    ),
];

#[test]
fn buildkit_lexer_cases() {
    for (input, vars, expected, matched, unmatched) in CASES {
        let got = expand(input, &env(vars), LexOptions::default());
        match (expected, got) {
            (Some(want), Ok(e)) => {
                assert_eq!(e.result, *want, "{input}");
                assert_eq!(e.matched.iter().map(String::as_str).collect::<Vec<_>>(), *matched, "{input}");
                assert_eq!(e.unmatched.iter().map(String::as_str).collect::<Vec<_>>(), *unmatched, "{input}");
            }
            (None, Err(_)) => {}
            (want, got) => panic!("{input}: expected {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn mandatory_variable_messages() {
    let err =
        expand("${VAR:?message here$ARG}", &env(&[("VAR", ""), ("ARG", "x")]), LexOptions::default()).unwrap_err();
    assert!(err.contains("VAR: message herex"), "{err}");
    let err = expand("${VAR?}", &NoEnv, LexOptions::default()).unwrap_err();
    assert!(err.contains("VAR: is not allowed to be unset"), "{err}");
}

#[test]
fn skip_unset_and_raw_modes_keep_text() {
    let opts = LexOptions { raw_quotes: true, skip_unset_env: true, ..LexOptions::default() };
    let e = expand("a $X ${Y} ${Z:-d} \"q $X\" ${W/a/b}", &NoEnv, opts).unwrap();
    assert_eq!(e.result, "a $X ${Y} ${Z:-d} \"q $X\" ${W/a/b}");
    let raw = LexOptions { raw_escapes: true, ..LexOptions::default() };
    assert_eq!(expand("a\\ b \\$X", &NoEnv, raw).unwrap().result, "a\\ b \\$X");
    let backtick = LexOptions::with_escape('`');
    assert_eq!(expand("C:\\dir `$X \"a`\"b\"", &NoEnv, backtick).unwrap().result, "C:\\dir $X a\"b");
}
