//! Installing the toolchain: every tool from a registry this machine reaches (crates.io, npm, Debian),
//! skipped when the installed version already matches.

use crate::root;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Trunk release that builds with the pinned Rust toolchain (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";
/// The npm `binaryen` release whose `wasm-opt` Trunk.toml pins as `version_132`.
const BINARYEN_VERSION: &str = "132";

/// Which optional parts of the toolchain a command needs.
#[derive(Default)]
pub struct Needs {
    /// Chromium and ChromeDriver for browser and end-to-end tests.
    pub browser: bool,
}

/// The environment the installed tools need: a `PATH` that finds them first.
pub struct ToolEnv {
    /// `PATH` with cargo's bin folder and the project-local tool folders in front.
    pub path: String,
}

impl ToolEnv {
    /// A command with this environment, run from the repository root.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path).current_dir(root());
        cmd
    }
}

/// Installs whatever is missing and returns the environment to run the tools with.
pub fn setup(needs: &Needs) -> Result<ToolEnv, String> {
    let env = tool_env();
    ensure_wasm_target()?;
    ensure_cargo_tool(&env, "trunk", TRUNK_VERSION, &["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    let wbg = wasm_bindgen_version()?;
    // wasm-bindgen-cli's own lockfile names a crate version the registry lacks, so it installs without --locked.
    ensure_cargo_tool(&env, "wasm-bindgen", &wbg, &["install", "wasm-bindgen-cli", "--version", &wbg])?;
    ensure_wasm_opt(&env)?;
    if needs.browser {
        ensure_browser()?;
    }
    Ok(env)
}

/// Builds the web app with Trunk in release mode into `dist/`.
pub fn build_web(env: &ToolEnv) -> Result<(), String> {
    run(env.command("trunk").args(["build", "--release"]), "trunk build --release")
}

/// Runs a command to completion, turning a failure into a message naming it.
pub fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    eprintln!("xtask: running {what}");
    let status = cmd.status().map_err(|e| format!("could not start {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn tool_env() -> ToolEnv {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let cargo_bin = std::env::var("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|_| Path::new(&home).join(".cargo"));
    let binaryen = binaryen_dir().join("bin");
    let old = std::env::var("PATH").unwrap_or_default();
    ToolEnv { path: format!("{}:{}:{old}", binaryen.display(), cargo_bin.join("bin").display()) }
}

fn binaryen_dir() -> PathBuf {
    root().join(".tools/node_modules/binaryen")
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        "rustup target add wasm32-unknown-unknown",
    )
}

fn ensure_cargo_tool(env: &ToolEnv, bin: &str, version: &str, install: &[&str]) -> Result<(), String> {
    let current = output(env.command(bin).arg("--version")).unwrap_or_default();
    if current.split_whitespace().any(|w| w == version) {
        return Ok(());
    }
    eprintln!("xtask: installing {bin} {version} (this takes a few minutes once)");
    run(env.command("cargo").args(install), &format!("cargo {}", install.join(" ")))
}

/// The exact wasm-bindgen version in Cargo.lock: the CLI must match it.
fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

fn ensure_wasm_opt(env: &ToolEnv) -> Result<(), String> {
    let wasm_opt = binaryen_dir().join("bin/wasm-opt");
    let current = output(env.command(&wasm_opt.display().to_string()).arg("--version")).unwrap_or_default();
    if current.contains(&format!("version_{BINARYEN_VERSION}")) {
        return Ok(());
    }
    let prefix = root().join(".tools");
    run(
        env.command("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
        "npm install binaryen",
    )
}

/// Debian's browsers the tests drive: Chromium (with its driver) for every browser test, Firefox ESR for the
/// cross-engine end-to-end check.
const BROWSER_PACKAGES: [(&str, &str); 3] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    ("firefox-esr", "/usr/bin/firefox-esr"),
];

fn ensure_browser() -> Result<(), String> {
    let missing: Vec<&str> = BROWSER_PACKAGES
        .iter()
        .filter(|(_, binary)| !Path::new(binary).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    run(Command::new("apt-get").args(["update", "-qq"]), "apt-get update")?;
    run(
        Command::new("apt-get").args(["install", "-y", "-qq"]).args(&missing).env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install {}", missing.join(" ")),
    )
}
