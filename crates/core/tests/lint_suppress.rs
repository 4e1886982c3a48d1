//! Suppression: ours, hadolint's (mapped through the rule metadata) and BuildKit's check directive.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config, Severity};

fn rules_with(text: &str, config: &Config) -> Vec<(String, Severity)> {
    let parsed = dockerfile::parse(text);
    lint::lint(text, &parsed.syntax, config).into_iter().map(|f| (f.rule.to_string(), f.severity)).collect()
}

fn rules(text: &str) -> Vec<String> {
    rules_with(text, &Config::default()).into_iter().map(|(r, _)| r).collect()
}

const RUN: &str = "RUN apt-get update && apt-get install -y --no-install-recommends curl=7\n";

#[test]
fn hadolint_ignore_maps_to_our_rule() {
    assert!(rules(&format!("FROM debian:12\n{RUN}")).contains(&"LL1001".to_string()));
    let ignored = format!("FROM debian:12\n# hadolint ignore=DL3008,DL3009\n{RUN}");
    assert!(!rules(&ignored).contains(&"LL1001".to_string()));
    // Another hadolint id does not suppress it.
    let other = format!("FROM debian:12\n# hadolint ignore=DL3015\n{RUN}");
    assert!(rules(&other).contains(&"LL1001".to_string()));
    // Only the instruction right below is affected.
    let far = format!("FROM debian:12\n# hadolint ignore=DL3009\nRUN true\n{RUN}");
    assert!(rules(&far).contains(&"LL1001".to_string()));
    let global = format!("# hadolint global ignore=DL3009\nFROM debian:12\n{RUN}");
    assert!(!rules(&global).contains(&"LL1001".to_string()));
}

#[test]
fn layerlens_ignore_by_id_or_name() {
    let by_id = format!("FROM debian:12\n# layerlens ignore=LL1001 lists are needed at runtime\n{RUN}");
    assert!(!rules(&by_id).contains(&"LL1001".to_string()));
    let by_name = format!("FROM debian:12\n# layerlens ignore=apt-lists-left\n{RUN}");
    assert!(!rules(&by_name).contains(&"LL1001".to_string()));
    // A rule with no hadolint equivalent cannot be silenced by a hadolint comment.
    let text = "FROM alpine:3.22\n# hadolint ignore=DL3009\nCOPY . /app\n";
    assert!(rules(text).contains(&"LL1014".to_string()));
}

#[test]
fn buildkit_check_directive_skips_and_raises() {
    let text = "FROM alpine:3.22 as Build\nCMD echo hi\n";
    let all = rules(text);
    assert!(
        all.contains(&"LL2001".to_string())
            && all.contains(&"LL2002".to_string())
            && all.contains(&"LL2003".to_string())
    );
    let skipped = rules(&format!("# check=skip=StageNameCasing,FromAsCasing\n{text}"));
    assert!(!skipped.contains(&"LL2001".to_string()) && !skipped.contains(&"LL2002".to_string()));
    assert!(skipped.contains(&"LL2003".to_string()));
    let none = rules(&format!("# check=skip=all\n{text}"));
    assert!(none.iter().all(|r| !r.starts_with("LL20")), "{none:?}");
    // error=true makes BuildKit's checks errors, and only those.
    let raised = rules_with(&format!("# check=error=true\nFROM ubuntu\n{}", "CMD echo hi\n"), &Config::default());
    assert!(raised.iter().any(|(r, s)| r == "LL2003" && *s == Severity::Error));
    assert!(raised.iter().any(|(r, s)| r == "LL1016" && *s == Severity::Warning));
}

#[test]
fn build_argument_overrides_the_check_directive() {
    let config = Config {
        build_args: vec![("BUILDKIT_DOCKERFILE_CHECK".into(), "skip=JSONArgsRecommended".into())],
        ..Config::default()
    };
    let text = "# check=skip=StageNameCasing\nFROM alpine:3.22 AS Build\nCMD echo hi\n";
    let found: Vec<String> = rules_with(text, &config).into_iter().map(|(r, _)| r).collect();
    assert!(!found.contains(&"LL2003".to_string()));
    assert!(found.contains(&"LL2001".to_string()));
}
