//! Variable expansion that grows geometrically: nested `${v//}` replacements (found by the shell_expand fuzz
//! target, which timed out on a 652-byte word) and `ENV` chains that double a value. Each answers quickly with
//! one clear problem instead of allocating gigabytes.

mod hostile_common;

use hostile_common::bounded;
use layerlens_core::dockerfile::shell::{expand, LexOptions, MAX_WORD_EXPANSION};
use layerlens_core::dockerfile::{model, parse, BuildArgs};

#[test]
fn nested_empty_pattern_replacements_stop_at_the_word_limit() {
    // Each level puts the inner result between every character of PWD: about sixfold growth per level.
    let mut word = "x".to_string();
    for _ in 0..14 {
        word = format!("${{PWD///{word}}}");
    }
    let env = vec![("PWD".to_string(), "/home".to_string())];
    let err = bounded(30, "nested replacements", move || expand(&word, &env, LexOptions::default()).unwrap_err());
    assert!(err.contains("expand to more than 1 MiB"), "{err}");
}

#[test]
fn a_word_just_under_the_limit_still_expands() {
    let env = vec![("V".to_string(), "a".repeat(MAX_WORD_EXPANSION / 2 - 1))];
    let out = expand("${V}${V}", &env, LexOptions::default()).unwrap();
    assert_eq!(out.result.len(), MAX_WORD_EXPANSION - 2);
}

#[test]
fn a_doubling_env_chain_is_bounded_across_the_whole_dockerfile() {
    let mut text = String::from("FROM scratch\nENV x=0123456789abcdef\n");
    // Sixteen doublings make x exactly 1 MiB: each word stays within its own limit.
    for _ in 0..16 {
        text.push_str("ENV x=$x$x\n");
    }
    // Without a document budget each of these would copy the (up to 1 MiB) value once more: about 3 GB.
    for i in 0..3000 {
        text.push_str(&format!("ENV y{i}=$x\n"));
    }
    let problems = bounded(60, "doubling ENV chain", move || {
        let parsed = parse(&text);
        model(&parsed, &BuildArgs::default()).problems
    });
    // One problem says so; the words past the budget are kept as written.
    assert_eq!(problems.len(), 1, "{:?}", problems.first());
    assert!(problems[0].message.contains("not expanded"), "{}", problems[0].message);
}
