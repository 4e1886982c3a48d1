//! Hostile and random input: the parser, lexer and model never panic, never hang, and report
//! what BuildKit would refuse.

use layerlens_core::dockerfile::shell::{expand, LexOptions, NoEnv};
use layerlens_core::dockerfile::{dump, model, parse, BuildArgs, Severity};
use proptest::prelude::*;

fn analyse(text: &str) {
    let parsed = parse(text);
    let _ = dump(&parsed.syntax);
    let m = model(&parsed, &BuildArgs::default());
    for p in parsed.problems.iter().chain(&m.problems) {
        assert!(p.span.start <= p.span.end && p.span.end <= text.len(), "{p:?}");
    }
    for ins in &parsed.syntax.instructions {
        assert!(ins.span.end <= text.len());
        assert!(text.is_char_boundary(ins.span.start) && text.is_char_boundary(ins.span.end));
    }
}

#[test]
fn deep_nesting_is_bounded() {
    analyse(&format!("FROM a\nRUN {}\n", "[".repeat(200_000)));
    analyse(&format!("FROM a\nCMD [{}]\n", "[".repeat(20_000) + &"]".repeat(20_000)));
    analyse(&format!("FROM a\nENV A={}\n", "${A:-".repeat(5_000)));
    analyse(&format!("FROM a\nENV A=${{A##{}}}\n", "*x".repeat(3_000)));
    let onbuild = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(50_000));
    let parsed = parse(&onbuild);
    assert!(parsed.problems.iter().any(|p| p.message.contains("ONBUILD nested more than")));
    let err = expand(&"${A:-".repeat(1_000), &NoEnv, LexOptions::default());
    assert!(err.is_err());
}

#[test]
fn overlong_lines_are_refused_like_buildkit() {
    let text = format!("FROM a\nRUN echo {}\nRUN ok\n", "x".repeat(70_000));
    let parsed = parse(&text);
    let e = parsed.problems.iter().find(|p| p.severity == Severity::Error).unwrap();
    assert_eq!((e.line, e.message.as_str()), (2, "dockerfile line greater than max allowed size of 65535"));
    assert_eq!(parsed.syntax.instructions.len(), 3);
}

#[test]
fn pathological_patterns_finish_quickly() {
    let env = vec![("V".to_string(), "a".repeat(2_000))];
    let pattern = "*a".repeat(500);
    let e = expand(&format!("${{V##{pattern}b}} ${{V//{pattern}/x}}"), &env, LexOptions::default()).unwrap();
    assert_eq!(e.result, format!("{} x", "a".repeat(2_000)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_dockerfiles_never_panic(lines in prop::collection::vec(
        "(FROM|RUN|COPY|ADD|ENV|ARG|ONBUILD|HEALTHCHECK|LABEL|EXPOSE|# escape=|#|SHELL|cmd)?[ \\t]?(--[a-z]+=?[a-z$]*)?[ \\\\`'\"$\\{\\}<<\\-\\[\\]a-zA-Z0-9=:,é\\t]{0,30}\\\\?",
        0..25,
    )) {
        analyse(&lines.join("\n"));
        analyse(&lines.join("\r\n"));
    }

    #[test]
    fn random_words_never_panic(word in "[ a-z$\\{\\}:\\-+?#%/*'\"\\\\`]{0,40}") {
        let env = vec![("a".to_string(), "abc".to_string())];
        let _ = expand(&word, &env, LexOptions::default());
        let _ = expand(&word, &env, LexOptions { raw_quotes: true, raw_escapes: true, skip_unset_env: true, ..LexOptions::with_escape('`') });
    }
}
