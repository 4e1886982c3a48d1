//! A chain of 3,000 stages, each copying and mounting from earlier ones, and stages in a cycle: parse, model
//! and lint answer on a 1 MiB stack within a time limit. Parsing, the model and every
//! lint rule must answer (problems and findings are fine) on a 1 MiB stack within a time limit.

mod hostile_common;

use hostile_common::analyse_dockerfile;

#[test]
fn long_stage_chains() {
    let mut text = String::from("FROM alpine AS s0\n");
    for i in 1..3_000 {
        text.push_str(&format!(
            "FROM s{} AS s{i}\nCOPY --from=s{} /a /b\nRUN --mount=type=bind,from=s{},target=/m true\n",
            i - 1,
            i / 2,
            i / 3
        ));
    }
    let out = analyse_dockerfile(120, "3,000 chained stages", text);
    assert!(out.instructions > 8_000);
    // Stages that refer to themselves and each other in a cycle.
    let cyclic =
        "FROM b AS a\nFROM a AS b\nFROM c AS c\nCOPY --from=d /x /y\nFROM c AS d\nCOPY --from=c /x /y\n".to_string();
    let out = analyse_dockerfile(30, "cyclic stages", cyclic);
    // `FROM c AS c` names the image `c` (a stage can only build on earlier ones), as in BuildKit.
    assert_eq!((out.instructions, out.parse_errors + out.model_problems), (6, 0), "{out:?}");
}
