//! Heredocs as BuildKit's parser extracts them (cases from its parser_heredoc_test.go).

use layerlens_core::dockerfile::{parse, parse_heredoc, Severity};

const DOCKERFILE: &str = "
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN \"<<NOHEREDOC\"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<EOF /quotes
\"foo\"
'bar'
EOF

COPY <<X <<Y /dest
Y
X
X
Y

RUN <<COMPLEX python3
print('hello world')
COMPLEX

COPY <<file.txt /dest
hello world
file.txt

RUN <<eo'f'
echo foo
eof

RUN <<eo\\'f
echo foo
eo'f

RUN <<'e'o\\'f
echo foo
eo'f

RUN <<'one two'
echo bar
one two

RUN <<$EOF
$EOF

RUN <<  EOF
EOF

RUN <<  EOF  > foo
EOF
\t";

/// (name, content, expand, chomp, fd) per heredoc.
type Doc = (&'static str, &'static str, bool, bool, u32);

/// The heredocs of each instruction after the FROM.
const EXPECTED: &[&[Doc]] = &[
    &[],
    &[],
    &[],
    &[],
    &[("EMPTY", "", true, false, 0)],
    &[("EMPTY2", "", true, false, 3)],
    &[],
    &[("INDENT", "\tfoo\n\tbar\n", true, false, 0)],
    &[("UNINDENT", "\tbaz\n\tquux\n", true, true, 0)],
    &[("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)],
    &[("EXPAND", "\texpand $NAME\n", true, true, 0)],
    &[("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0)],
    &[("COPY", "echo hello world\necho foo bar\n", true, false, 0)],
    &[("COMMENT", "# internal comment\necho hello world\necho foo bar # trailing comment\n", true, false, 0)],
    &[("MOUNT", "echo hello\n", true, false, 0)],
    &[("FILE1", "content 1\n", true, false, 0), ("FILE2", "content 2\n", true, false, 0)],
    &[("EOF", "\"foo\"\n'bar'\n", true, false, 0)],
    &[("X", "Y\n", true, false, 0), ("Y", "X\n", true, false, 0)],
    &[("COMPLEX", "print('hello world')\n", true, false, 0)],
    &[("file.txt", "hello world\n", true, false, 0)],
    &[("eof", "echo foo\n", false, false, 0)],
    &[("eo'f", "echo foo\n", true, false, 0)],
    &[("eo'f", "echo foo\n", false, false, 0)],
    &[("one two", "echo bar\n", false, false, 0)],
    &[("$EOF", "", true, false, 0)],
    &[("EOF", "", true, false, 0)],
    &[("EOF", "", true, false, 0)],
];

#[test]
fn heredocs_are_extracted_like_buildkit() {
    let parsed = parse(DOCKERFILE);
    assert!(!parsed.has_errors(), "{:?}", parsed.problems);
    let instructions = &parsed.syntax.instructions;
    assert_eq!(instructions.len(), EXPECTED.len() + 1);
    for (i, expected) in EXPECTED.iter().enumerate() {
        let ins = &instructions[i + 1];
        let got: Vec<(&str, &str, bool, bool, u32)> =
            ins.heredocs.iter().map(|h| (h.name.as_str(), h.content.as_str(), h.expand, h.chomp, h.fd)).collect();
        assert_eq!(got.as_slice(), *expected, "instruction {} ({})", i + 1, ins.original);
    }
}

#[test]
fn heredoc_spans_point_at_marker_body_and_terminator() {
    let text = "FROM a\nCOPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\nRUN echo\n";
    let parsed = parse(text);
    let copy = &parsed.syntax.instructions[1];
    let [a, b] = copy.heredocs.as_slice() else { panic!("{:?}", copy.heredocs) };
    assert_eq!(a.marker_span.slice(text), "<<FILE1");
    assert_eq!(b.marker_span.slice(text), "<<FILE2");
    assert_eq!(a.body_span.slice(text), "content 1\n");
    assert_eq!(a.terminator_span.slice(text), "FILE1");
    assert_eq!(b.terminator_span.slice(text), "FILE2");
    assert_eq!((copy.start_line, copy.end_line), (2, 6));
    assert_eq!(copy.span.slice(text), "COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2");
    assert_eq!(parsed.syntax.instructions[2].start_line, 7);
    let spaced = "FROM a\nRUN <<  EOF  > foo\nx\nEOF\n";
    let parsed = parse(spaced);
    assert_eq!(parsed.syntax.instructions[1].heredocs[0].marker_span.slice(spaced), "<<  EOF");
}

#[test]
fn json_form_and_quoted_markers_have_no_heredocs() {
    let parsed = parse("FROM alpine:3.6\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\nRUN '<<EOF'\n");
    assert!(parsed.syntax.instructions.iter().all(|i| i.heredocs.is_empty()));
}

#[test]
fn onbuild_triggers_carry_heredocs() {
    let parsed = parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n");
    let onbuild = &parsed.syntax.instructions[1];
    assert_eq!(onbuild.heredocs.len(), 1);
    assert_eq!(onbuild.heredocs[0].content, "echo hi\n");
    assert_eq!(onbuild.end_line, 4);
}

#[test]
fn unterminated_heredoc_is_an_error_and_parsing_continues_to_the_end() {
    let parsed = parse("FROM a\nRUN <<EOF\necho hi\n");
    let error = parsed.problems.iter().find(|p| p.severity == Severity::Error).unwrap();
    assert_eq!(error.message, "unterminated heredoc");
    assert_eq!(error.line, 2);
    assert_eq!(parsed.syntax.instructions.len(), 2);
}

#[test]
fn heredoc_marker_helper() {
    for src in ["<<EOF", "<<'EOF'", "<<\"EOF\"", "<<-EOF", "<<-'EOF'", "<<-\"EOF\"", "<<EO\"F\"", "<< EOF", "<<- EOF"] {
        assert_eq!(parse_heredoc(src).unwrap().unwrap().name, "EOF", "{src}");
    }
    for src in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
        assert!(parse_heredoc(src).is_err(), "{src}");
    }
    for src in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
        assert!(parse_heredoc(src).unwrap().is_none(), "{src}");
    }
}
