//! Byte spans and line/column positions of keywords, flags, arguments and comments, across
//! continuation lines, and the error recovery of the parser.

use layerlens_core::dockerfile::{parse, Args, Keyword, Position, Severity};

const TEXT: &str = r#"# hadolint ignore=DL3008
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
run --mount=type=cache,target=/root/.cache \
    # comment inside
    go build \

    -o /out
COPY --from=build --chmod=755 /out /usr/bin/app
ENV A=1 B="two words"
CMD ["app", "--serve"]
"#;

#[test]
fn spans_cover_the_source_text() {
    let parsed = parse(TEXT);
    assert!(!parsed.has_errors(), "{:?}", parsed.problems);
    let ins = &parsed.syntax.instructions;
    assert_eq!(ins.len(), 5);

    let from = &ins[0];
    assert_eq!(from.keyword, Keyword::From);
    assert_eq!(from.flags[0].span.slice(TEXT), "--platform=$BUILDPLATFORM");
    assert_eq!(from.flags[0].name_span.slice(TEXT), "platform");
    assert_eq!(from.flags[0].value_span.unwrap().slice(TEXT), "$BUILDPLATFORM");
    let Args::List(words) = &from.args else { panic!() };
    let texts: Vec<&str> = words.iter().map(|w| w.span.slice(TEXT)).collect();
    assert_eq!(texts, ["golang:1.22", "AS", "build"]);
    assert_eq!(from.comments.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["hadolint ignore=DL3008"]);

    let run = &ins[1];
    assert_eq!(run.keyword_word.text, "run");
    assert_eq!((run.start_line, run.end_line), (3, 7));
    assert_eq!(run.empty_continuation_lines, [6]);
    assert_eq!(run.flags[0].name, "mount");
    assert_eq!(run.flags[0].value.as_deref(), Some("type=cache,target=/root/.cache"));
    let Args::Text(cmd) = &run.args else { panic!() };
    assert_eq!(cmd.text, "go build     -o /out");
    assert_eq!(&TEXT[cmd.span.start..cmd.span.start + 8], "go build");
    assert!(cmd.span.slice(TEXT).ends_with("-o /out"));
    assert_eq!(parsed.syntax.position(TEXT, cmd.span.start), Position { line: 5, column: 5 });
    assert!(parsed.problems.iter().any(|p| p.severity == Severity::Warning && p.line == 7));
    assert!(parsed.syntax.comments.iter().any(|c| c.text == "comment inside" && c.line == 4));

    let copy = &ins[2];
    let names: Vec<&str> = copy.flags.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["from", "chmod"]);
    assert_eq!(copy.flag("chmod").unwrap().value.as_deref(), Some("755"));

    let env = &ins[3];
    let Args::Pairs(pairs) = &env.args else { panic!() };
    assert_eq!(pairs[1].key.span.slice(TEXT), "B");
    assert_eq!(pairs[1].value.span.slice(TEXT), "\"two words\"");
    assert_eq!(pairs[1].value.text, "\"two words\"");

    let cmd = &ins[4];
    assert!(cmd.json);
    let Args::Json(items) = &cmd.args else { panic!() };
    assert_eq!(items[1].text, "--serve");
    assert_eq!(items[1].span.slice(TEXT), "\"--serve\"");
    assert_eq!(parsed.syntax.position(TEXT, cmd.span.start), Position { line: 10, column: 1 });
}

#[test]
fn errors_do_not_stop_the_parse() {
    let text = "FROM a\nENV novalue\nRUN [\"a\", 1]\nLABEL a=b c\nRUN echo ok\n";
    let parsed = parse(text);
    let errors: Vec<(usize, &str)> = parsed
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (2, "ENV must have two arguments"),
            (3, "when using JSON array syntax, arrays must be comprised of strings only"),
            (4, "Syntax error - can't find = in \"c\". Must be of the form: name=value"),
        ]
    );
    assert_eq!(parsed.syntax.instructions.len(), 5);
    assert_eq!(parsed.syntax.instructions[4].original, "RUN echo ok");
}

#[test]
fn crlf_lines_and_unicode_columns() {
    let text = "FROM a\r\nLABEL k=\"é\" x=y\r\nRUN echo \\\r\n  done\r\n";
    let parsed = parse(text);
    assert!(!parsed.has_errors());
    let label = &parsed.syntax.instructions[1];
    let Args::Pairs(pairs) = &label.args else { panic!() };
    assert_eq!(parsed.syntax.position(text, pairs[1].key.span.start), Position { line: 2, column: 13 });
    let Args::Text(run) = &parsed.syntax.instructions[2].args else { panic!() };
    assert_eq!(run.text, "echo   done");
}

#[test]
fn onbuild_nests_the_trigger() {
    let text = "FROM a\nonbuild copy --chown=1 . /app\n";
    let parsed = parse(text);
    let Args::Onbuild(inner) = &parsed.syntax.instructions[1].args else { panic!() };
    assert_eq!(inner.keyword, Keyword::Copy);
    assert_eq!(inner.flags[0].span.slice(text), "--chown=1");
    assert_eq!(inner.keyword_word.span.slice(text), "copy");
}

#[test]
fn keywords_fold_case_like_go() {
    let text = "from a\nHealthCheck NONE\nHEALTHCHEC\u{212A} NONE\nfrobnicate x\n";
    let parsed = parse(text);
    let kinds: Vec<Keyword> = parsed.syntax.instructions.iter().map(|i| i.keyword).collect();
    assert_eq!(kinds, [Keyword::From, Keyword::Healthcheck, Keyword::Healthcheck, Keyword::Unknown]);
    assert_eq!(
        layerlens_core::dockerfile::dump(&parsed.syntax),
        "(from \"a\")\n(healthcheck \"NONE\")\n(healthcheck \"NONE\")\n(frobnicate \"\")\n"
    );
}
