//! Hostile Dockerfiles: 1 MB lines, 10,000-deep continuation lines, unterminated heredocs and quotes,
//! deeply nested variable expansions and binary garbage. Parsing, the model and every
//! lint rule must answer (problems and findings are fine) on a 1 MiB stack within a time limit.

mod hostile_common;

use hostile_common::{analyse_dockerfile, bounded, noise};
use layerlens_core::dockerfile::shell::{expand, LexOptions};

#[test]
fn one_line_of_a_megabyte() {
    let text = format!("FROM alpine\nRUN echo {}\nLABEL a=\"{}\"\n", "x".repeat(1 << 20), "y".repeat(1 << 20));
    let out = analyse_dockerfile(60, "1 MB line", text);
    assert_eq!(out.instructions, 3);
}

#[test]
fn ten_thousand_continuation_lines() {
    let mut text = String::from("FROM alpine\nRUN echo start \\\n");
    for i in 0..10_000 {
        text.push_str(&format!("  && echo {i} \\\n"));
    }
    text.push_str("  && echo end\n");
    let out = analyse_dockerfile(60, "10,000 continuations", text);
    assert_eq!(out.instructions, 2);
    // Continuations with empty and comment lines between them, and a file that ends mid-continuation.
    let text = format!("FROM alpine\nRUN a \\\n{}", "\\\n\n# c\n".repeat(10_000));
    analyse_dockerfile(60, "10,000 empty continuations to EOF", text);
}

#[test]
fn unterminated_heredocs_and_quotes() {
    let cases = [
        ("unterminated heredoc", "FROM alpine\nRUN <<EOF\necho hi\n".to_string()),
        ("heredoc marker at EOF", "FROM alpine\nRUN <<EOF".to_string()),
        ("dash heredoc, quoted marker", "FROM alpine\nRUN <<-\"EOF\nbody\n".to_string()),
        (
            "a thousand unterminated heredocs",
            format!(
                "FROM alpine\nRUN {} cat\nbody\n",
                (0..1000).map(|i| format!("<<H{i}")).collect::<Vec<_>>().join(" ")
            ),
        ),
        ("unterminated double quote", "FROM alpine\nRUN echo \"abc\nENV A=\"x\nLABEL l=\"y\n".to_string()),
        ("unterminated single quote", "FROM alpine\nARG X='y\nENV B='z\nWORKDIR '/a\n".to_string()),
        ("unterminated JSON", "FROM alpine\nCMD [\"a\", \"b\nCOPY [\"x\",\nSHELL [\nENTRYPOINT [\"\\".to_string()),
        ("unterminated variable", "FROM alpine\nENV A=${B\nARG C=${D:-${E\nWORKDIR $\nUSER ${\n".to_string()),
        ("unterminated escape directive", "# escape=\nFROM alpine\n".to_string()),
        ("a backslash at EOF", "FROM alpine\nRUN echo \\".to_string()),
        ("backtick escape at EOF", "# escape=`\nFROM alpine\nRUN echo `".to_string()),
    ];
    for (what, text) in cases {
        analyse_dockerfile(30, what, text);
    }
}

#[test]
fn deeply_nested_variable_expansions() {
    let depth = 10_000;
    let word = format!("{}x{}", "${A:-".repeat(depth), "}".repeat(depth));
    let env: Vec<(String, String)> = Vec::new();
    let w = word.clone();
    let out = bounded(30, "10,000-deep ${A:-...}", move || expand(&w, &env, LexOptions::default()));
    if let Ok(x) = out {
        assert_eq!(x.result, "x");
    }
    let text = format!("FROM alpine\nENV B={word}\nRUN echo $B\nCOPY {word} /dst\n");
    analyse_dockerfile(60, "10,000-deep expansion in a Dockerfile", text);
    let quotes = format!("FROM alpine\nENV Q={}\n", "\"'".repeat(50_000));
    analyse_dockerfile(60, "100,000 alternating quotes", quotes);
}

#[test]
fn binary_garbage() {
    for seed in 1..100u32 {
        let bytes = noise(seed as usize * 97, seed);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        analyse_dockerfile(30, &format!("garbage seed {seed}"), text);
        // Garbage after a valid start, and keywords sprinkled into garbage.
        let mixed = format!("FROM alpine\nRUN {}\n", String::from_utf8_lossy(&bytes));
        analyse_dockerfile(30, &format!("garbage RUN seed {seed}"), mixed);
        let keywords =
            ["FROM ", "RUN <<E ", "ARG ", "ENV ", "COPY --from=", "ONBUILD ", "\\\n", "\"", "'", "${", "# escape=`\n"];
        let sprinkled: String = bytes.iter().map(|b| keywords[*b as usize % keywords.len()]).collect();
        analyse_dockerfile(30, &format!("keyword soup seed {seed}"), sprinkled);
    }
    let out = analyse_dockerfile(30, "NUL bytes", "FROM alpine\0\nRUN \0echo\0\n\0\0\0".to_string());
    assert!(out.parse_errors + out.findings + out.instructions > 0);
}
