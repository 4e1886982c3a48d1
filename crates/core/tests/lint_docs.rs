//! docs/rules.md is generated from the rule metadata; this test fails when they drift
//! (regenerate with `UPDATE_EXPECT=1 cargo test -p layerlens-core --test lint_docs`).

use layerlens_core::lint;
use std::collections::BTreeSet;

#[test]
fn rules_md_matches_the_metadata() {
    expect_test::expect_file!["../../../docs/rules.md"].assert_eq(&lint::reference_markdown());
}

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let rules = lint::all_rules();
    let ids: BTreeSet<&str> = rules.iter().map(|r| r.id).collect();
    let names: BTreeSet<&str> = rules.iter().map(|r| r.name).collect();
    assert_eq!(ids.len(), rules.len());
    assert_eq!(names.len(), rules.len());
    for rule in &rules {
        assert!(rule.id.starts_with("LL") && rule.id.len() == 6, "{}", rule.id);
        assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()), "{}", rule.name);
        assert!(!rule.summary.is_empty() && !rule.explanation.is_empty() && !rule.fix.is_empty(), "{}", rule.id);
        assert_eq!(lint::rule_by_id(rule.id).map(|r| r.id), Some(rule.id));
    }
    // Every BuildKit check the issue names is covered.
    let checks: BTreeSet<&str> = rules.iter().filter_map(|r| r.buildkit()).collect();
    for check in [
        "StageNameCasing",
        "FromAsCasing",
        "JSONArgsRecommended",
        "UndefinedVar",
        "UndefinedArgInFrom",
        "InvalidDefaultArgInFrom",
        "DuplicateStageName",
        "ReservedStageName",
        "WorkdirRelativePath",
        "MultipleInstructionsDisallowed",
        "LegacyKeyValueFormat",
        "RedundantTargetPlatform",
        "SecretsUsedInArgOrEnv",
        "MaintainerDeprecated",
        "ExposeProtoCasing",
        "ExposeInvalidFormat",
        "NoEmptyContinuation",
        "ConsistentInstructionCasing",
    ] {
        assert!(checks.contains(check), "{check}");
    }
}

#[test]
fn upstream_links() {
    use layerlens_core::lint::Equivalent;
    assert_eq!(Equivalent::Hadolint("DL3009").url(), "https://github.com/hadolint/hadolint/wiki/DL3009");
    assert_eq!(
        Equivalent::Buildkit("JSONArgsRecommended").url(),
        "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/"
    );
    assert_eq!(
        Equivalent::Buildkit("SecretsUsedInArgOrEnv").url(),
        "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/"
    );
}
