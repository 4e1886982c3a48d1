//! The semantic model: ARG-resolved base images, scopes, expanded values, edges, reachability and
//! BuildKit's instruction-level errors.

use layerlens_core::dockerfile::shell::Env;
use layerlens_core::dockerfile::{model, parse, BuildArgs, EdgeKind, Expanded, Model, Source};

fn build(text: &str, args: &[&str], target: Option<&str>) -> Model {
    let parsed = parse(text);
    assert!(!parsed.has_errors(), "{:?}", parsed.problems);
    let mut b = BuildArgs::default();
    args.iter().for_each(|kv| b.push_kv(kv));
    b.target = target.map(str::to_string);
    model(&parsed, &b)
}

fn messages(m: &Model) -> Vec<(usize, &str)> {
    m.problems.iter().map(|p| (p.line, p.message.as_str())).collect()
}

#[test]
fn base_images_expand_global_args_and_overrides() {
    let text = "ARG PY=3.11\nARG BASE=python:${PY}-slim\nFROM ${BASE} AS build\nFROM $REGISTRY/alpine:${TAG:-3.20}\n";
    let m = build(text, &[], None);
    assert_eq!(m.stages[0].base.expanded.as_deref(), Some("python:3.11-slim"));
    assert_eq!(m.stages[0].base.source, Source::Image("python:3.11-slim".into()));
    assert_eq!(m.stages[0].base.raw.text, "${BASE}");
    assert_eq!(m.stages[1].base.expanded.as_deref(), Some("/alpine:3.20"));
    assert_eq!(m.stages[1].base.unmatched.iter().collect::<Vec<_>>(), ["REGISTRY", "TAG"]);
    assert!(m.problems.is_empty(), "{:?}", m.problems);

    // A build argument only reaches FROM through a declared global ARG, as in BuildKit.
    let m = build(text, &["PY=3.12", "REGISTRY=ghcr.io"], None);
    assert_eq!(m.stages[0].base.expanded.as_deref(), Some("python:3.12-slim"));
    assert_eq!(m.stages[1].base.expanded.as_deref(), Some("/alpine:3.20"));
    let declared = format!("ARG REGISTRY\n{text}");
    let m = build(&declared, &["REGISTRY=ghcr.io"], None);
    assert_eq!(m.stages[1].base.expanded.as_deref(), Some("ghcr.io/alpine:3.20"));
    let m = build(text, &["BASE=debian"], None);
    assert_eq!(m.stages[0].base.expanded.as_deref(), Some("debian"));
}

#[test]
fn platform_flags_use_automatic_platform_args() {
    let text = "FROM --platform=$BUILDPLATFORM golang AS b\nARG TARGETARCH\nENV ARCH=$TARGETARCH\nFROM scratch\n";
    let m = build(text, &[], None);
    let p = m.stages[0].platform.as_ref().unwrap();
    assert_eq!((p.raw.as_str(), p.expanded.as_deref()), ("$BUILDPLATFORM", Some("linux/amd64")));
    assert_eq!(m.stages[0].commands[1].expanded, Expanded::Pairs(vec![("ARCH".into(), "amd64".into())]));
    assert_eq!(m.stages[1].base.source, Source::Scratch);

    let parsed = parse(text);
    let b = BuildArgs { platform: Some("linux/arm64/v8".into()), ..BuildArgs::default() };
    let m = model(&parsed, &b);
    assert_eq!(m.stages[0].platform.as_ref().unwrap().expanded.as_deref(), Some("linux/arm64/v8"));
    assert_eq!(m.stages[0].commands[1].expanded, Expanded::Pairs(vec![("ARCH".into(), "arm64".into())]));
}

#[test]
fn stage_scopes_follow_buildkit_rules() {
    let text = "ARG V=global\nFROM a\nARG V\nARG W=w-$V\nENV X=$V abc=hello\nENV abc=bye def=$abc\n\
                ARG X=arg-x\nENV Y=$X\nUSER ${NOPE:-app}\nWORKDIR /src/$W\n";
    let m = build(text, &[], None);
    let s = &m.stages[0];
    let expanded: Vec<&Expanded> = s.commands.iter().map(|c| &c.expanded).collect();
    assert_eq!(expanded[0], &Expanded::Args(vec![("V".into(), None)]));
    assert_eq!(expanded[1], &Expanded::Args(vec![("W".into(), Some("w-global".into()))]));
    assert_eq!(expanded[2], &Expanded::Pairs(vec![("X".into(), "global".into()), ("abc".into(), "hello".into())]));
    assert_eq!(expanded[3], &Expanded::Pairs(vec![("abc".into(), "bye".into()), ("def".into(), "hello".into())]));
    assert_eq!(expanded[5], &Expanded::Pairs(vec![("Y".into(), "global".into())]), "ENV wins over ARG");
    assert_eq!(expanded[6], &Expanded::Words(vec!["app".into()]));
    assert_eq!(s.commands[6].unmatched.iter().collect::<Vec<_>>(), ["NOPE"]);
    assert_eq!(expanded[7], &Expanded::Words(vec!["/src/w-global".into()]));
    assert_eq!(s.scope_before(0).lookup("V"), None);
    assert_eq!(s.scope_before(1).lookup("V"), Some("global"));
    assert_eq!(s.final_scope().lookup("abc"), Some("bye"));

    let m = build(text, &["V=cli"], None);
    assert_eq!(m.stages[0].final_scope().lookup("W"), Some("w-cli"));
}

#[test]
fn env_is_inherited_from_a_parent_stage_but_args_are_not() {
    let text = "FROM a AS base\nENV HOME_DIR=/home/app\nARG ONLY_HERE=1\nFROM base\nWORKDIR $HOME_DIR/$ONLY_HERE\n";
    let m = build(text, &[], None);
    assert_eq!(m.stages[1].base.source, Source::Stage(0));
    assert_eq!(m.stages[1].commands[0].expanded, Expanded::Words(vec!["/home/app/".into()]));
    assert_eq!(m.stages[1].commands[0].unmatched.iter().collect::<Vec<_>>(), ["ONLY_HERE"]);
}

#[test]
fn copy_and_expose_expansion() {
    let text = "FROM a\nENV P=\"80 443\" D=/app U=1000\nEXPOSE $P 8080/tcp\n\
                COPY --chown=$U:$U <<EOF src/ \"$D/\"\nhello\nEOF\nADD --checksum=sha256:${SUM:-x} https://e/x.tgz /x\n";
    let m = build(text, &[], None);
    let c = &m.stages[0].commands;
    assert_eq!(c[1].expanded, Expanded::Words(vec!["80".into(), "443".into(), "8080/tcp".into()]));
    assert_eq!(c[2].expanded, Expanded::Words(vec!["src/".into(), "/app/".into()]));
    assert_eq!(c[2].flags, [("chown".to_string(), "1000:1000".to_string())]);
    assert_eq!(c[3].flags, [("checksum".to_string(), "sha256:x".to_string())]);
    assert!(matches!(c[3].expanded, Expanded::Words(_)));
}

const GRAPH: &str = "FROM golang AS build\n\
RUN --mount=type=cache,target=/go --mount=type=bind,from=deps,target=/d go build\n\
FROM alpine AS deps\n\
FROM build AS test\n\
RUN go test\n\
FROM scratch\n\
ARG SRC=build\n\
COPY --from=$SRC /out /out\n\
COPY --from=0 /a /a\n\
COPY --from=nginx:latest /etc/nginx /etc/nginx\n";

#[test]
fn edges_and_reachability() {
    let m = build(GRAPH, &[], None);
    assert_eq!(m.target, Some(3));
    let edges = |i: usize| -> Vec<(EdgeKind, Source)> {
        m.stages[i].edges.iter().map(|e| (e.kind, e.source.clone())).collect()
    };
    assert_eq!(edges(0), [(EdgeKind::MountFrom, Source::Stage(1))]);
    assert_eq!(edges(2), [(EdgeKind::Base, Source::Stage(0))]);
    assert_eq!(
        edges(3),
        [
            (EdgeKind::CopyFrom, Source::Stage(0)),
            (EdgeKind::CopyFrom, Source::Stage(0)),
            (EdgeKind::CopyFrom, Source::Image("nginx:latest".into())),
        ]
    );
    let reachable: Vec<bool> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reachable, [true, true, false, true]);
    assert_eq!(m.stages[3].edges[0].span.slice(GRAPH), "$SRC");

    let m = build(GRAPH, &[], Some("TEST"));
    assert_eq!(m.target, Some(2));
    let reachable: Vec<bool> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reachable, [true, true, true, false]);
    assert_eq!(m.stage_of(4).map(|s| s.index), Some(2));
    assert_eq!(m.stage_of(0).map(|s| s.index), Some(0));
}

#[test]
fn instruction_level_errors_are_collected() {
    let text = "RUN early\nFROM a b\nFROM c AS 1x\nFROM d AS dup\nFROM e AS dup\nFOO bar\nCOPY only\n\
                RUN --foo=1 --mount=type=cache,target=/x true\nCOPY --link=maybe a b\nSHELL sh -c\n\
                ONBUILD FROM x\nHEALTHCHECK CONNECT x\nCOPY --from=dup a b\nEXPOSE\n\
                HEALTHCHECK --whatever=1 NONE\nSTOPSIGNAL --x SIGTERM\n";
    let parsed = parse(text);
    let b = BuildArgs { target: Some("nope".into()), ..BuildArgs::default() };
    let m = model(&parsed, &b);
    assert_eq!(
        messages(&m),
        [
            (1, "no build stage in current context"),
            (2, "FROM requires either one or three arguments"),
            (3, "invalid name for build stage: \"1x\", name can't start with a number or contain symbols"),
            (5, "duplicate name \"dup\""),
            (6, "unknown instruction: FOO"),
            (
                7,
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined."
            ),
            (8, "unknown flag: foo"),
            (9, "expecting boolean value for flag link, not: maybe"),
            (10, "SHELL requires the arguments to be in JSON form"),
            (11, "FROM isn't allowed as an ONBUILD trigger"),
            (12, "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"),
            (13, "stage \"dup\" refers to itself"),
            (14, "EXPOSE requires at least one argument"),
            (17, "target stage \"nope\" could not be found"),
        ]
    );
}

#[test]
fn copy_heredocs_become_files_as_buildkit_writes_them() {
    let text = "FROM a\nENV NAME=world\nCOPY <<-EOF /greet\n\thello $NAME\n\t\"quoted\" \\$NAME $MISSING\nEOF\n\
                COPY <<'RAW' /raw\n$NAME\nRAW\nRUN <<EOF\necho $NAME\nEOF\n";
    let m = build(text, &[], None);
    let files = |i: usize| -> Vec<(String, String)> {
        m.stages[0].commands[i].heredoc_files.iter().map(|f| (f.name.clone(), f.content.clone())).collect()
    };
    assert_eq!(files(1), [("EOF".to_string(), "hello world\n\"quoted\" $NAME \n".to_string())]);
    assert_eq!(m.stages[0].commands[1].unmatched.iter().collect::<Vec<_>>(), ["MISSING"]);
    assert_eq!(files(2), [("RAW".to_string(), "$NAME\n".to_string())]);
    assert!(files(3).is_empty(), "RUN heredocs are run by the shell, not written by BuildKit");
}
