//! Parser directives: BuildKit's placement rules, duplicates, the escape character, `# check=`.

use layerlens_core::dockerfile::{dump, parse, CheckDirective, Severity};

fn errors(text: &str) -> Vec<(usize, String)> {
    parse(text).problems.into_iter().filter(|p| p.severity == Severity::Error).map(|p| (p.line, p.message)).collect()
}

#[test]
fn directives_are_read_only_at_the_top() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n", &[("syntax", "docker/dockerfile:1"), ("escape", "`")]),
        ("#escape = `\n\nFROM a\n", &[("escape", "`")]),
        ("  # ESCAPE=`\nFROM a\n", &[("escape", "`")]),
        ("# check=skip=JSONArgsRecommended\nFROM a\n", &[("check", "skip=JSONArgsRecommended")]),
        ("# a comment\n# escape=`\nFROM a\n", &[]),
        ("\n# escape=`\nFROM a\n", &[]),
        ("FROM a\n# escape=`\n", &[]),
        ("# unknown=x\n# escape=`\nFROM a\n", &[]),
        ("# syntax = a b  \nFROM a\n", &[("syntax", "a b")]),
    ];
    for (text, expected) in cases {
        let parsed = parse(text);
        let got: Vec<(&str, &str)> =
            parsed.syntax.directives.iter().map(|d| (d.name.as_str(), d.value.as_str())).collect();
        assert_eq!(&got, expected, "{text:?}");
        for d in &parsed.syntax.directives {
            assert_eq!(d.value_span.slice(text), d.value, "{text:?}");
        }
        let escape = expected.iter().find(|(n, _)| *n == "escape").map_or('\\', |_| '`');
        assert_eq!(parsed.syntax.escape, escape, "{text:?}");
    }
}

#[test]
fn duplicate_and_invalid_directives_are_errors() {
    assert_eq!(
        errors("# escape=`\n# escape=`\nFROM a\n"),
        [(2, "only one escape parser directive can be used".to_string())]
    );
    assert_eq!(
        errors("# syntax=a\n# SYNTAX=b\nFROM a\n"),
        [(2, "only one syntax parser directive can be used".to_string())]
    );
    assert_eq!(errors("# escape=x\nFROM a\n"), [(1, "invalid escape token 'x' does not match ` or \\".to_string())]);
}

#[test]
fn backtick_escape_applies_to_continuations_and_words() {
    let text = "# escape=`\nFROM windows\nRUN dir `\n  c:\\\nENV A=b` c\nENV X \\path\\\n";
    let parsed = parse(text);
    assert!(!parsed.has_errors(), "{:?}", parsed.problems);
    assert_eq!(
        dump(&parsed.syntax),
        "(from \"windows\")\n(run \"dir   c:\\\\\")\n(env \"A\" \"b` c\" \"=\")\n(env \"X\" \"\\\\path\\\\\" \"\")\n"
    );
}

#[test]
fn check_directive_is_parsed() {
    let parsed = parse("# check=skip=StageNameCasing, FromAsCasing;error=true\nFROM a\n");
    let check = parsed.syntax.check().unwrap().unwrap();
    assert_eq!(
        check,
        CheckDirective { skip_all: false, skip: vec!["StageNameCasing".into(), "FromAsCasing".into()], error: true }
    );
    let all = parse("# check=skip=all\nFROM a\n").syntax.check().unwrap().unwrap();
    assert!(all.skip_all);
    assert!(parse("# check=bogus=1\nFROM a\n").syntax.check().unwrap().is_err());
    assert!(parse("FROM a\n").syntax.check().is_none());
}

#[test]
fn byte_order_mark_is_ignored() {
    let parsed = parse("\u{feff}# escape=`\nFROM a\n");
    assert_eq!(parsed.syntax.escape, '`');
    assert_eq!(parsed.syntax.instructions[0].keyword_word.span.start, 14);
}
