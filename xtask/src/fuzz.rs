//! `cargo xtask fuzz` runs every cargo-fuzz target for a fixed time; `cargo xtask stress` checks the
//! resource bounds of a release build on generated large images. See RELIABILITY.md.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod browser;

/// The fuzz targets, each with the largest input libFuzzer may build for it.
const TARGETS: &[(&str, usize)] = &[
    ("archive", 128 * 1024),
    ("layer", 64 * 1024),
    ("dockerfile", 64 * 1024),
    ("shell_expand", 4 * 1024),
    ("url_fragment", 16 * 1024),
];

/// The peak resident set size the 2 GB image may reach in the release CLI.
const RSS_LIMIT: u64 = 300 << 20;

/// What `cargo xtask fuzz` was asked to do.
struct FuzzConfig {
    seconds: u64,
    targets: Vec<String>,
}

fn parse_fuzz_args(args: &[String]) -> Result<FuzzConfig, String> {
    let mut config = FuzzConfig { seconds: 60, targets: Vec::new() };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--time" => {
                let v = it.next().ok_or("--time needs a number of seconds")?;
                config.seconds = v.parse().map_err(|_| format!("--time {v}: not a number of seconds"))?;
            }
            "--target" => {
                let v = it.next().ok_or("--target needs a target name")?;
                if !TARGETS.iter().any(|(t, _)| t == v) {
                    let names: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
                    return Err(format!("unknown target {v}; the targets are {}", names.join(", ")));
                }
                config.targets.push(v.clone());
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: cargo xtask fuzz [--time SECONDS] [--target NAME]..."
                ))
            }
        }
    }
    if config.targets.is_empty() {
        config.targets = TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    }
    Ok(config)
}

/// Runs `cargo xtask fuzz [--time N] [--target NAME]...`: installs cargo-fuzz when missing, builds the
/// targets, writes the seed corpora and fuzzes each target for N seconds, one after another.
pub fn run(args: &[String]) -> Result<(), String> {
    let config = parse_fuzz_args(args)?;
    let root = crate::root();
    let fuzz = root.join("fuzz");
    ensure_cargo_fuzz()?;
    let target_dir = fuzz_target_dir(&fuzz);
    let mut build = nightly_cargo(&fuzz);
    build.args(["fuzz", "build", "--sanitizer", "none", "--target-dir"]).arg(&target_dir);
    status(&mut build, "cargo fuzz build")?;
    let corpus = fuzz.join("corpus");
    write_seeds(&fuzz, &corpus, &target_dir)?;
    let bin_dir = built_bin_dir(&target_dir)?;
    let mut summary = Vec::new();
    for target in &config.targets {
        let max_len = TARGETS.iter().find(|(t, _)| t == target).map(|(_, l)| *l).unwrap_or(4096);
        summary.push(fuzz_one(&fuzz, &bin_dir.join(target), target, &corpus.join(target), config.seconds, max_len)?);
    }
    println!("\nfuzzing summary ({} s per target):", config.seconds);
    for line in &summary {
        println!("  {line}");
    }
    Ok(())
}

/// A cargo command that may use nightly-only flags on the stable toolchain, as cargo-fuzz needs.
fn nightly_cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).env("RUSTC_BOOTSTRAP", "1");
    cmd
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let found = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return Ok(());
    }
    println!("installing cargo-fuzz from crates.io");
    status(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]), "cargo install cargo-fuzz")
}

fn fuzz_target_dir(fuzz: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("fuzz")).unwrap_or_else(|| fuzz.join("target"))
}

/// The directory cargo-fuzz puts the target binaries in (`<target-dir>/<host triple>/release`).
fn built_bin_dir(target_dir: &Path) -> Result<PathBuf, String> {
    let entries = fs::read_dir(target_dir).map_err(|e| format!("cannot list {}: {e}", target_dir.display()))?;
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("release"))
        .find(|p| p.join(TARGETS[0].0).is_file())
        .ok_or_else(|| format!("no fuzz target binaries under {}", target_dir.display()))
}

/// Writes the generated seeds, then copies the shared fixtures (images, Dockerfiles, shell words) when
/// `../shared` is present.
fn write_seeds(fuzz: &Path, corpus: &Path, target_dir: &Path) -> Result<(), String> {
    let mut seeds = Command::new("cargo");
    seeds
        .current_dir(fuzz)
        .args(["run", "--quiet", "--example", "seeds", "--target-dir"])
        .arg(target_dir.join("seeds"))
        .arg("--")
        .arg(corpus);
    status(&mut seeds, "writing the generated seeds")?;
    let shared = crate::root().join("../shared/fixtures");
    if !shared.is_dir() {
        eprintln!("note: {} is absent; fuzzing from the generated seeds only", shared.display());
        return Ok(());
    }
    let copy = |from: &Path, to: &Path| -> Result<(), String> {
        fs::create_dir_all(to.parent().unwrap_or(to)).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", from.display()))
    };
    for file in list(&shared.join("images"))? {
        let small = fs::metadata(&file).is_ok_and(|m| m.len() <= 256 * 1024);
        if small && file.extension().is_some_and(|e| e == "tar") {
            copy(&file, &corpus.join("archive").join(format!("shared-{}", file_name(&file))))?;
        }
    }
    let dockerfiles = shared.join("dockerfiles");
    for group in ["buildkit/parser", "buildkit/parser-negative"] {
        for case in list(&dockerfiles.join(group))? {
            let file = case.join("Dockerfile");
            if file.is_file() {
                copy(&file, &corpus.join("dockerfile").join(format!("shared-{}", file_name(&case))))?;
            }
        }
    }
    for file in list(&dockerfiles.join("corpus/files"))? {
        copy(&file, &corpus.join("dockerfile").join(format!("shared-{}", file_name(&file))))?;
    }
    let words = fs::read_to_string(dockerfiles.join("buildkit/shell/envVarTest")).unwrap_or_default();
    let dir = corpus.join("shell_expand");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (i, line) in words.lines().filter(|l| !l.starts_with('#')).enumerate() {
        if let Some(word) = line.split('|').nth(1) {
            let mut seed = vec![0u8];
            seed.extend_from_slice(word.as_bytes());
            fs::write(dir.join(format!("shared-{i}")), seed).map_err(|e| format!("cannot write a seed: {e}"))?;
        }
    }
    Ok(())
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    out.sort();
    Ok(out)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_"))
        .unwrap_or_default()
}

/// Fuzzes one target for `seconds`; a crash, a time-out (an input that takes over 20 s) or an input that
/// needs over 2 GB fails with the path of the saved input.
fn fuzz_one(
    fuzz: &Path,
    bin: &Path,
    target: &str,
    corpus: &Path,
    seconds: u64,
    max_len: usize,
) -> Result<String, String> {
    let artifacts = fuzz.join("artifacts").join(target);
    fs::create_dir_all(&artifacts).map_err(|e| format!("cannot create {}: {e}", artifacts.display()))?;
    let log_path = artifacts.join("fuzz.log");
    let log = File::create(&log_path).map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    println!("fuzzing {target} for {seconds} s (log: {})", log_path.display());
    let started = Instant::now();
    let outcome = Command::new(bin)
        .arg(corpus)
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={max_len}"))
        .arg("-timeout=20")
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    let stat = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("stat::{name}:")).map(|v| v.trim().to_string()))
            .unwrap_or_default()
    };
    if !outcome.success() {
        let saved: Vec<String> =
            text.lines().filter_map(|l| l.split("Test unit written to ").nth(1).map(str::to_string)).collect();
        return Err(format!(
            "{target}: libFuzzer found a failing input after {:.0} s: {} (see {})",
            started.elapsed().as_secs_f64(),
            saved.join(", "),
            log_path.display()
        ));
    }
    Ok(format!(
        "{target}: clean for {:.0} s, {} executions, {} corpus inputs, peak RSS {} MB",
        started.elapsed().as_secs_f64(),
        stat("number_of_executed_units"),
        fs::read_dir(corpus).map(|d| d.count()).unwrap_or(0),
        stat("peak_rss_mb")
    ))
}

fn status(cmd: &mut Command, what: &str) -> Result<(), String> {
    let s = cmd.status().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if s.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({s})"))
    }
}

/// Runs `cargo xtask stress [--keep] [--cli PATH] [--no-bomb]`: generates a 2 GB image, a 1,000,000-file
/// image and (unless `--no-bomb`) a gzip bomb whose one layer inflates to a 4 GiB file, in a temporary
/// directory; analyses each with the release CLI (built unless `--cli` names one) measuring wall time and peak
/// RSS, and asserts the 2 GB image and the bomb stay under 300 MB.
///
/// `--browser [--dist DIR]` instead analyses the 2 GB image in the web app's worker in headless Chromium (the
/// app built by `cargo xtask dist`, in `dist/` unless given) and asserts the tab's renderer stays under 1 GB.
pub fn stress(args: &[String]) -> Result<(), String> {
    let keep = args.iter().any(|a| a == "--keep");
    let bomb = !args.iter().any(|a| a == "--no-bomb");
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let given = value("--cli");
    let root = crate::root();
    let dir = std::env::temp_dir().join(format!("layerlens-stress-{}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if args.iter().any(|a| a == "--browser") {
        let dist = value("--dist").unwrap_or_else(|| root.join("dist"));
        let result = stress_browser(&root, &dist, &dir);
        if keep {
            println!("kept the generated image in {}", dir.display());
        } else {
            let _ = fs::remove_dir_all(&dir);
        }
        return result;
    }
    let cli = match given {
        Some(cli) => cli,
        None => {
            let mut build = Command::new("cargo");
            build.current_dir(&root).args(["build", "--release", "--quiet", "-p", "layerlens-cli"]);
            status(&mut build, "building the release CLI")?;
            let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
            target.join("release/layerlens")
        }
    };
    let result = stress_images(&cli, &dir, keep).and_then(|mut lines| {
        if bomb {
            stress_bomb(&cli, &dir, &mut lines)?;
        }
        println!("\nstress summary:");
        for l in &lines {
            println!("  {l}");
        }
        Ok(())
    });
    if keep {
        println!("kept the generated images in {}", dir.display());
    } else {
        let _ = fs::remove_dir_all(&dir);
    }
    result
}

fn stress_images(cli: &Path, dir: &Path, keep: bool) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let big = dir.join("two-gigabytes.tar");
    println!("writing {}", big.display());
    write_image(&big, &big_image_layers())?;
    let size = fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    let m = measure(cli, &big, dir)?;
    let mb_s = size as f64 / 1e6 / m.wall.as_secs_f64();
    note(
        &mut lines,
        format!(
            "2 GB image ({size} bytes, 3 layers, 40,000 files): {:.1} s, {mb_s:.0} MB/s, peak RSS {} MB (limit {} MB)",
            m.wall.as_secs_f64(),
            m.peak_rss >> 20,
            RSS_LIMIT >> 20
        ),
    );
    if m.peak_rss >= RSS_LIMIT {
        return Err(format!(
            "the 2 GB image needed a peak RSS of {} MB, over the {} MB limit",
            m.peak_rss >> 20,
            RSS_LIMIT >> 20
        ));
    }
    if !keep {
        let _ = fs::remove_file(&big);
    }
    let many = dir.join("million-files.tar");
    println!("writing {}", many.display());
    write_image(&many, &[LayerPlan::Files { count: 1_000_000, size: 0 }])?;
    let m = measure(cli, &many, dir)?;
    note(
        &mut lines,
        format!("1,000,000 empty files in one layer: {:.1} s, peak RSS {} MB", m.wall.as_secs_f64(), m.peak_rss >> 20),
    );
    Ok(lines)
}

/// Writes the 2 GB image and analyses it in the web app's worker in headless Chromium.
fn stress_browser(root: &Path, dist: &Path, dir: &Path) -> Result<(), String> {
    let big = dir.join("two-gigabytes.tar");
    println!("writing {}", big.display());
    write_image(&big, &big_image_layers())?;
    let size = fs::metadata(&big).map(|m| m.len()).unwrap_or(0);
    println!("analysing it in headless Chromium (the app in {})", dist.display());
    let run = browser::run(root, dist, &big, dir)?;
    println!(
        "2 GB image ({size} bytes) in the browser worker: {:.1} s ({:.1} s by the page's clock, {:.0} MB/s), \
         tab renderer peak RSS {:.0} MB (limit {:.0} MB), all browser processes at most {:.0} MB",
        run.seconds,
        run.page_seconds,
        size as f64 / 1e6 / run.page_seconds,
        run.renderer_mb,
        browser::RENDERER_LIMIT_MB,
        run.all_mb
    );
    if run.renderer_mb >= browser::RENDERER_LIMIT_MB {
        return Err(format!(
            "the tab's renderer reached {:.0} MB on the 2 GB image, over the {:.0} MB limit",
            run.renderer_mb,
            browser::RENDERER_LIMIT_MB
        ));
    }
    Ok(())
}

/// The inflated size of the gzip bomb's one file.
const BOMB_BYTES: u64 = 4 << 30;

/// Analyses a docker-archive whose one gzip layer (a few MB) inflates to a 4 GiB file of zeros: the report
/// must count every byte while the peak RSS stays under the limit.
fn stress_bomb(cli: &Path, dir: &Path, lines: &mut Vec<String>) -> Result<(), String> {
    let path = dir.join("gzip-bomb.tar");
    println!("writing {}", path.display());
    let layer = bomb_layer(BOMB_BYTES)?;
    let layer_len = layer.len();
    write_archive(&path, &[("layer0.tar.gz".to_string(), layer)])?;
    let m = measure(cli, &path, dir)?;
    let report = fs::read(dir.join("report.json")).map_err(|e| format!("cannot read the bomb's report: {e}"))?;
    let report: serde_json::Value =
        serde_json::from_slice(&report).map_err(|e| format!("the bomb's report is not JSON: {e}"))?;
    let counted = report["filesystem"]["total_bytes"].as_u64().unwrap_or(0);
    note(
        lines,
        format!(
            "gzip bomb ({layer_len} bytes of gzip inflating to a {BOMB_BYTES}-byte file): {:.1} s, {:.0} MB/s inflated, \
             peak RSS {} MB, {counted} bytes counted",
            m.wall.as_secs_f64(),
            BOMB_BYTES as f64 / 1e6 / m.wall.as_secs_f64(),
            m.peak_rss >> 20
        ),
    );
    if counted != BOMB_BYTES {
        return Err(format!("the bomb's report counts {counted} bytes, not the {BOMB_BYTES} it inflates to"));
    }
    if m.peak_rss >= RSS_LIMIT {
        return Err(format!(
            "the gzip bomb needed a peak RSS of {} MB, over the {} MB limit",
            m.peak_rss >> 20,
            RSS_LIMIT >> 20
        ));
    }
    Ok(())
}

/// A gzip-compressed layer tar holding one file of `size` zero bytes. One MiB of zeros is deflated once and its
/// byte-aligned blocks repeated (with the CRC combined), so writing a 4 GiB bomb takes well under a second.
fn bomb_layer(size: u64) -> Result<Vec<u8>, String> {
    let mut crc = flate2::Crc::new();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let header = ustar("zeros", size);
    out.extend(deflate_piece(&header, flate2::FlushCompress::Full)?);
    crc.update(&header);
    let mib = vec![0u8; 1 << 20];
    let piece = deflate_piece(&mib, flate2::FlushCompress::Full)?;
    let mut one = flate2::Crc::new();
    one.update(&mib);
    for _ in 0..size >> 20 {
        out.extend_from_slice(&piece);
        crc.combine(&one);
    }
    let rest = vec![0u8; (size % (1 << 20) + (512 - size % 512) % 512 + 1024) as usize];
    out.extend(deflate_piece(&rest, flate2::FlushCompress::Finish)?);
    crc.update(&rest);
    out.extend(crc.sum().to_le_bytes());
    out.extend(crc.amount().to_le_bytes());
    Ok(out)
}

/// Raw deflate of `data` on its own: byte-aligned blocks (`Full`) or the stream's last blocks (`Finish`).
fn deflate_piece(data: &[u8], flush: flate2::FlushCompress) -> Result<Vec<u8>, String> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 100 + 1024);
    loop {
        let done = c.total_in() as usize;
        let status = c.compress_vec(&data[done..], &mut out, flush).map_err(|e| format!("deflate failed: {e}"))?;
        let finished = match flush {
            flate2::FlushCompress::Finish => status == flate2::Status::StreamEnd,
            _ => c.total_in() == data.len() as u64 && out.len() < out.capacity(),
        };
        if finished {
            return Ok(out);
        }
        out.reserve(1 << 16);
    }
}

/// Prints a measured figure at once (a later step may take long) and keeps it for the summary.
fn note(lines: &mut Vec<String>, line: String) {
    println!("{line}");
    lines.push(line);
}

/// What one generated layer holds.
enum LayerPlan {
    /// `count` files of `size` bytes under `d<i % 1000>/`.
    Files { count: u64, size: u64 },
    /// Whiteouts of the first `count` files of the layer below, and `count` rewritten files.
    Churn { count: u64, size: u64 },
}

fn big_image_layers() -> Vec<LayerPlan> {
    vec![
        LayerPlan::Files { count: 20_000, size: 60_000 },
        LayerPlan::Files { count: 10_000, size: 80_000 },
        LayerPlan::Churn { count: 5_000, size: 80_000 },
    ]
}

struct Measured {
    wall: Duration,
    peak_rss: u64,
}

/// Runs `layerlens image --format json FILE` and reads its peak RSS from `wait4`.
fn measure(cli: &Path, image: &Path, dir: &Path) -> Result<Measured, String> {
    let out = File::create(dir.join("report.json")).map_err(|e| format!("cannot create the report file: {e}"))?;
    let started = Instant::now();
    let child = Command::new(cli)
        .args(["image", "--format", "json"])
        .arg(image)
        .stdout(out)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", cli.display()))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|_| "process id out of range".to_string())?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers refer to live, writable locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for {} failed: {err}", cli.display()));
        }
    }
    let wall = started.elapsed();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("layerlens failed on {} (wait status {status})", image.display()));
    }
    let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0).saturating_mul(1024);
    Ok(Measured { wall, peak_rss })
}

/// Writes a docker-archive of generated layers, streaming (nothing large is held in memory).
fn write_image(path: &Path, layers: &[LayerPlan]) -> Result<(), String> {
    let file = File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let io = |e: std::io::Error| format!("writing {}: {e}", path.display());
    let mut names = Vec::new();
    let mut block = vec![0u8; 1 << 20];
    fill_noise(&mut block, 1);
    for (i, plan) in layers.iter().enumerate() {
        let entries = layer_entries(plan);
        let layer_size: u64 = entries.iter().map(|(_, size)| 512 + size.div_ceil(512) * 512).sum::<u64>() + 1024;
        let name = format!("layer{i}.tar");
        out.write_all(&ustar(&name, layer_size)).map_err(io)?;
        for (n, (entry, size)) in entries.iter().enumerate() {
            out.write_all(&ustar(entry, *size)).map_err(io)?;
            // Vary the content per file so that files are not all duplicates of each other.
            let shift = (n * 7919 + i * 104_729) % (block.len() / 2);
            let mut left = *size;
            while left > 0 {
                let take = left.min((block.len() / 2) as u64) as usize;
                out.write_all(&block[shift..shift + take]).map_err(io)?;
                left -= take as u64;
            }
            out.write_all(&vec![0u8; ((512 - size % 512) % 512) as usize]).map_err(io)?;
        }
        out.write_all(&[0u8; 1024]).map_err(io)?;
        names.push(name);
    }
    finish_archive(&mut out, &names).map_err(io)?;
    out.flush().map_err(io)
}

/// Writes a docker-archive whose layers are the given blobs (name, bytes), stored as they are.
fn write_archive(path: &Path, layers: &[(String, Vec<u8>)]) -> Result<(), String> {
    let file = File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let io = |e: std::io::Error| format!("writing {}: {e}", path.display());
    for (name, data) in layers {
        out.write_all(&ustar(name, data.len() as u64)).map_err(io)?;
        out.write_all(data).map_err(io)?;
        out.write_all(&vec![0u8; (512 - data.len() % 512) % 512]).map_err(io)?;
    }
    let names: Vec<String> = layers.iter().map(|(n, _)| n.clone()).collect();
    finish_archive(&mut out, &names).map_err(io)?;
    out.flush().map_err(io)
}

/// Writes the config, `manifest.json` (naming the layers `names`) and the end-of-archive blocks.
fn finish_archive(out: &mut impl Write, names: &[String]) -> std::io::Result<()> {
    let diff_ids: Vec<String> = (0..names.len()).map(|i| format!("\"sha256:{i:064x}\"")).collect();
    let history: Vec<String> =
        (0..names.len()).map(|i| format!("{{\"created_by\":\"/bin/sh -c step {i}\"}}")).collect();
    let config = format!(
        "{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{}]}},\"history\":[{}]}}",
        diff_ids.join(","),
        history.join(",")
    );
    let layer_list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let manifest = format!(
        "[{{\"Config\":\"config.json\",\"RepoTags\":[\"stress:latest\"],\"Layers\":[{}]}}]",
        layer_list.join(",")
    );
    for (name, data) in [("config.json", config), ("manifest.json", manifest)] {
        out.write_all(&ustar(name, data.len() as u64))?;
        out.write_all(data.as_bytes())?;
        out.write_all(&vec![0u8; (512 - data.len() % 512) % 512])?;
    }
    out.write_all(&[0u8; 1024])
}

fn layer_entries(plan: &LayerPlan) -> Vec<(String, u64)> {
    match plan {
        LayerPlan::Files { count, size } => (0..*count).map(|i| (format!("d{}/f{i}", i % 1000), *size)).collect(),
        LayerPlan::Churn { count, size } => (0..*count)
            .map(|i| (format!("d{}/.wh.f{i}", i % 1000), 0))
            .chain((0..*count).map(|i| (format!("d{}/new{i}", i % 1000), *size)))
            .collect(),
    }
}

/// A ustar header for a regular file (names here are short ASCII, so no extensions are needed).
fn ustar(name: &str, size: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    h[100..107].copy_from_slice(b"0000644");
    h[108..115].copy_from_slice(b"0000000");
    h[116..123].copy_from_slice(b"0000000");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
    h
}

/// Fills `buf` with xorshift noise so the data does not compress or deduplicate.
fn fill_noise(buf: &mut [u8], seed: u32) {
    let mut x = seed | 1;
    for b in buf {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
}
