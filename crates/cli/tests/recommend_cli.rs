//! Recommendations in the CLI: `layerlens image` and `layerlens dockerfile` with text, JSON and
//! `--format markdown` (pull-request comment) output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping: {} is absent", path.display());
        None
    }
}

fn layerlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlens")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layerlens-recommend-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const NODE: &str =
    "FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nCMD [\"node\", \"index.js\"]\n";

#[test]
fn image_prints_recommendations_in_text_json_and_markdown() {
    let Some(file) = fixture("test-docker-image.tar") else { return };
    let file = file.to_str().unwrap();
    let text = stdout(&layerlens(&["image", file]));
    assert!(text.starts_with("Image: dive-test:latest"), "{text}");
    assert!(text.contains("Recommendations for dive-test:latest"), "{text}");
    assert!(text.contains("runs as root (no USER set)"), "{text}");

    let json: serde_json::Value =
        serde_json::from_slice(&layerlens(&["image", file, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["schema_version"], 1, "the image report stays at the top level");
    assert_eq!(json["recommendations"]["schema_version"], 1);
    assert_eq!(json["recommendations"]["findings"][0]["id"], "duplicate-content");

    let o = layerlens(&["image", file, "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let md = stdout(&o);
    assert!(md.starts_with("## layerlens: dive-test:latest\n"), "{md}");
    assert!(md.contains("### What to change"), "{md}");
    assert!(md.contains("| 1 | identical content stored at several paths | 25.6 kB |"), "{md}");
}

#[test]
fn image_with_its_dockerfile_adds_rewrites_and_bytes_per_instruction() {
    let Some(file) = fixture("deletions.tar") else { return };
    let dockerfile = scratch(
        "Dockerfile.deletions",
        "FROM scratch\nCOPY base/ /\nRUN rm d/big; rm -r e; rm -r f/* && echo > f/new\n",
    );
    let o = layerlens(&[
        "image",
        file.to_str().unwrap(),
        "--dockerfile",
        dockerfile.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let md = stdout(&o);
    assert!(md.contains("### Bytes per instruction"), "{md}");

    let missing = Path::new("/nonexistent/layerlens/Dockerfile");
    let o = layerlens(&["image", file.to_str().unwrap(), "--dockerfile", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/layerlens/Dockerfile") && err.contains("cannot read the Dockerfile"), "{err}");
}

#[test]
fn dockerfile_prints_rewrites_as_markdown_and_json() {
    let path = scratch("Dockerfile.node", NODE);
    let o = layerlens(&["dockerfile", path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let md = stdout(&o);
    assert!(md.starts_with("## layerlens: Dockerfile\n"), "{md}");
    assert!(md.contains("```diff\n--- Dockerfile\n+++ Dockerfile (multi-stage)\n"), "{md}");
    assert!(md.contains("+FROM node:22-slim\n"), "{md}");

    let json: serde_json::Value =
        serde_json::from_slice(&layerlens(&["dockerfile", path.to_str().unwrap(), "--format", "json"]).stdout).unwrap();
    assert!(json["findings"].is_array(), "the lint findings stay at the top level");
    let rewrites = json["recommendations"]["dockerfile"]["rewrites"].as_array().unwrap();
    let ids: Vec<&str> = rewrites.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["multi-stage", "distroless", "alpine"]);

    let text = stdout(&layerlens(&["dockerfile", path.to_str().unwrap()]));
    assert!(text.contains("Recommendations for Dockerfile"), "{text}");
    assert!(text.contains("final base node:22: unknown on disk, 408.5 MB compressed"), "{text}");
}
