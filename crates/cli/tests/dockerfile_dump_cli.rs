//! `layerlens dockerfile --dump FILE`: BuildKit's Node.Dump() on stdout; parse errors as
//! `file:line: message` with exit status 2.

use std::path::PathBuf;
use std::process::{Command, Output};

fn write(test: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-dump-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).args(args).output().unwrap()
}

#[test]
fn dump_prints_buildkit_node_dump() {
    let path = write("ok", "FROM alpine AS b\nCOPY --from=b --chmod=755 a /b\nONBUILD RUN [\"x\"]\nENV A b\n");
    let out = run(&["dockerfile", "--dump", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "(from \"alpine\" \"AS\" \"b\")\n(copy [\"--from=b\" \"--chmod=755\"] \"a\" \"/b\")\n(onbuild (run \"x\"))\n(env \"A\" \"b\" \"\")\n"
    );
}

#[test]
fn parse_errors_exit_2_with_file_and_line() {
    let path = write("bad", "FROM alpine\nRUN <<EOF\necho never ends\n");
    let out = run(&["dockerfile", "--dump", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, format!("{}:2: unterminated heredoc\n", path.display()));
}

#[test]
fn buildkit_fixtures_dump_byte_for_byte_through_the_cli() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dockerfiles/buildkit/parser");
    if !dir.is_dir() {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let out = run(&["dockerfile", "--dump", case.join("Dockerfile").to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", case.display());
        let expected = std::fs::read(case.join("result")).unwrap();
        assert_eq!(out.stdout, expected, "{}", case.display());
    }
}
