//! `cargo xtask`: project automation. Every command installs what it needs first, so a fresh machine
//! needs nothing but rustup, cargo, node/npm and apt.
//!
//! - `cargo xtask setup [--browser]`: install the toolchain (idempotent).
//! - `cargo xtask build`: build the web app into `dist/`.
//! - `cargo xtask dist [--no-build]`: the web app plus embed page, custom element, PWA and single file in `dist/`.
//! - `cargo xtask serve [--port N]`: build, then serve `dist/` on loopback with the sample analysed on load.
//! - `cargo xtask test`: set up, then run every test: format, lints, core, CLI, web (native, wasm, browser, end to end).
//! - `cargo xtask bench [ARGS]`: benchmarks beside dive; see BENCHMARKS.md.
//! - `cargo xtask fuzz [--time N]`, `cargo xtask stress`: fuzzing and resource bounds; see RELIABILITY.md.

mod bench;
mod dist;
mod fuzz;
mod page_run;
mod serve;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((cmd, rest)) => (cmd.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match cmd {
        "setup" => tools::setup(&tools::Needs { browser: rest.iter().any(|a| a == "--browser") }).map(|_| ()),
        "build" => tools::setup(&tools::Needs::default()).and_then(|env| dist::build(&env)),
        "dist" => dist::run(rest),
        "serve" => serve::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "stress" => fuzz::stress(rest),
        _ => {
            eprintln!("usage: cargo xtask <setup [--browser] | build | dist [--no-build] | serve [--port N] | test | bench [ARGS] | fuzz [--time N] | stress>");
            return if cmd == "help" { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("xtask {cmd}: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}
