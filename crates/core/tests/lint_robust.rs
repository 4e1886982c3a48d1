//! Lint never panics and always points inside the text: BuildKit's own parser fixtures (valid and
//! refused files) and generated Dockerfile-like text.

use layerlens_core::dockerfile;
use layerlens_core::lint::{self, Config, Dockerignore};
use std::path::Path;

fn check(text: &str) {
    let parsed = dockerfile::parse(text);
    let config = Config {
        build_args: vec![("A".into(), "b".into())],
        target: Some("x".into()),
        dockerignore: Dockerignore::Unknown,
    };
    for finding in lint::lint(text, &parsed.syntax, &config) {
        assert!(finding.span.start <= finding.span.end && finding.span.end <= text.len(), "{finding:?}");
        assert!(text.get(finding.span.start..finding.span.end).is_some(), "{finding:?}");
    }
}

#[test]
fn buildkit_parser_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/buildkit");
    let mut count = 0;
    for dir in ["parser", "parser-negative"] {
        let Ok(cases) = std::fs::read_dir(root.join(dir)) else {
            eprintln!("skipping: {} is absent", root.join(dir).display());
            return;
        };
        for case in cases {
            let path = case.unwrap().path().join("Dockerfile");
            if let Ok(bytes) = std::fs::read(&path) {
                check(&String::from_utf8_lossy(&bytes));
                count += 1;
            }
        }
    }
    assert_eq!(count, 24, "fixtures read");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn generated_dockerfiles(lines in proptest::collection::vec(
        proptest::prop_oneof![
            "(FROM|from) [a-z$:{}@/._-]{0,20}( (AS|as) [A-Za-z]{1,5})?",
            "RUN [ -~]{0,60}",
            "RUN <<EOF",
            "EOF",
            "(COPY|ADD) (--from=[a-z0-9]{1,4} |--chmod=755 )?[ -~]{0,30}",
            "(ENV|ARG|LABEL|EXPOSE|WORKDIR|USER|CMD|SHELL) [ -~]{0,30}",
            "# (escape=`|check=skip=all|hadolint ignore=DL3009|layerlens ignore=LL1001)",
            "[ -~]{0,40}\\\\",
            "",
        ],
        0..25,
    )) {
        check(&lines.join("\n"));
    }
}
