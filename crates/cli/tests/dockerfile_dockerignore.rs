//! `layerlens dockerfile` reads the build context's .dockerignore (the Dockerfile's own `<name>.dockerignore`, else
//! `.dockerignore` beside it, or `--dockerignore FILE`) for BuildKit's CopyIgnoredFile check (LL2020).

use std::path::PathBuf;
use std::process::{Command, Output};

const DOCKERFILE: &str = "FROM alpine:3.22\nCOPY dist/app.js /app/\n";

fn context(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-dockerignore-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), DOCKERFILE).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).args(args).output().unwrap()
}

fn ignored_copies(out: &Output) -> usize {
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("LL2020 (copy-ignored-file)")).count()
}

#[test]
fn the_dockerignore_beside_the_file_is_read() {
    let dir = context("beside");
    let file = dir.join("Dockerfile");
    assert_eq!(ignored_copies(&run(&["dockerfile", file.to_str().unwrap()])), 0);
    std::fs::write(dir.join(".dockerignore"), "dist\n").unwrap();
    assert_eq!(ignored_copies(&run(&["dockerfile", file.to_str().unwrap()])), 1);
    // The Dockerfile's own ignore file wins over the context's, as in BuildKit.
    std::fs::write(dir.join("Dockerfile.dockerignore"), "*.md\n").unwrap();
    assert_eq!(ignored_copies(&run(&["dockerfile", file.to_str().unwrap()])), 0);
}

#[test]
fn an_explicit_dockerignore_is_read_and_a_missing_one_is_exit_2() {
    let dir = context("explicit");
    let file = dir.join("Dockerfile");
    let ignore = dir.join("other.ignore");
    std::fs::write(&ignore, "dist/*.js\n").unwrap();
    let out = run(&["dockerfile", file.to_str().unwrap(), "--dockerignore", ignore.to_str().unwrap()]);
    assert_eq!(ignored_copies(&out), 1);
    let missing = dir.join("missing.ignore");
    let out = run(&["dockerfile", file.to_str().unwrap(), "--dockerignore", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.ignore: cannot read the .dockerignore"), "{err}");
}
