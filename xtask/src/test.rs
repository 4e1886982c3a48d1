//! `cargo xtask test`: every test the project has, in the order a failure is cheapest to find.

use crate::root;
use crate::tools::{self, run as sh, Needs};

/// Sets up the toolchain and runs format, lint, native, wasm, browser and end-to-end tests.
pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--native-only");
    let env = tools::setup(&Needs { browser: !quick })?;
    // A full run builds every target once; incremental caches would double the disk it needs (5 GB).
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        std::env::set_var("CARGO_INCREMENTAL", "0");
    }
    sh(env.command("cargo").args(["fmt", "--all", "--check"]), "cargo fmt --check")?;
    sh(
        env.command("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        "cargo clippy -D warnings",
    )?;
    sh(env.command("cargo").args(["test", "--workspace"]), "cargo test --workspace (core, CLI, web components)")?;
    sh(
        env.command("cargo").args(["build", "-p", "layerlens-core", "--target", "wasm32-unknown-unknown"]),
        "the core builds for wasm32",
    )?;
    if quick {
        return Ok(());
    }
    crate::dist::build(&env)?;
    if root().join("tests/web.rs").exists() {
        sh(
            env.command("cargo")
                .args(["test", "-p", "layerlens-web", "--target", "wasm32-unknown-unknown", "--test", "web"])
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner"),
            "browser tests (wasm-bindgen-test in Chromium)",
        )?;
    }
    let e2e = root().join("tests/e2e");
    if e2e.join("package.json").exists() {
        sh(
            env.command("npm").args(["ci", "--no-audit", "--no-fund", "--prefix"]).arg(&e2e),
            "npm ci (playwright-core, puppeteer-core)",
        )?;
        sh(
            env.command("node")
                .args(["--test", "--test-concurrency=1"])
                .arg(&e2e)
                .env("LAYERLENS_DIST", root().join("dist")),
            "end-to-end tests (Chromium through playwright-core, Firefox through puppeteer-core)",
        )?;
    }
    Ok(())
}
