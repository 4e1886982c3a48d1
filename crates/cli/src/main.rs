//! The native `layerlens` command line: the same engine as the page, for terminals and CI.
//!
//! Exit codes: 0 success; 1 a CI rule or lint finding failed; 2 the input could not be analysed.

mod compare;
mod dockerfile;
mod image;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Shows why container images are big and how to make them small.
#[derive(Parser)]
#[command(name = "layerlens", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit codes:\n  0  success\n  1  a --ci rule failed, or a finding is at or above --fail-level\n  2  the input could not be read or analysed (the message names the file and what is wrong)";

#[derive(Subcommand)]
enum Command {
    /// Analyse an image tarball (docker save, podman/skopeo docker-archive, OCI archive).
    Image(image::ImageArgs),
    /// Compare two image tarballs: layers side by side, shared layers, and the files added, removed and changed.
    Compare(compare::CompareArgs),
    /// Parse and lint a Dockerfile.
    Dockerfile(dockerfile::DockerfileArgs),
    /// Serve the web app on 127.0.0.1 (built in; nothing leaves this machine).
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Image(args) => image::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Dockerfile(args) => dockerfile::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
