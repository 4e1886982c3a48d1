//! `cargo xtask bench`: layerlens beside dive on a large, realistic Debian image (see BENCHMARKS.md).
//!
//! Builds the image once into a cache outside the repository (`scripts/bench-image.sh`), builds the release CLI,
//! then runs `layerlens image --format json` and `dive` (CI mode) on the same docker-archive with a warm page cache,
//! best of N runs, and prints wall time, throughput and peak RSS side by side. It also times layerlens with
//! `--no-verify` on that archive (the page does not verify digests, so the browser is compared with this run), alone
//! on the gzip-compressed archive and on the OCI archive, the engine in a headless Chromium worker when the web app
//! is built, and the gzip size of the web bundle.

mod browser;
mod measure;
mod setup;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use measure::{Measurement, Settings};

/// Throughput target: layerlens must be at least this many times faster than dive.
const TARGET_RATIO: f64 = 2.0;
/// Memory target for the benchmark image, in bytes.
const TARGET_RSS: u64 = 200 * 1_000_000;
/// Browser target: the engine in the worker must reach at least this fraction of native throughput.
const TARGET_BROWSER_FRACTION: f64 = 0.5;

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--timeout SECS] [--cache DIR] [--layerlens PATH] \
[--dist DIR] [--nice N] [--no-dive] [--no-browser]

  --runs N          measured runs per tool and archive; the best wall time is reported (default 3)
  --timeout SECS    time limit for each child process (default 900)
  --cache DIR       where the benchmark image is built once and kept (default ~/.cache/layerlens-bench)
  --layerlens PATH  measure this binary instead of building crates/cli with cargo build --release
  --dist DIR        the built web app to measure in Chromium and size (default dist/, from `cargo xtask build`)
  --nice N          run every measured process at niceness N in its own scheduling group (e.g. -15 as root, to
                    shield the runs from other work on a shared machine; both tools get the same priority)
  --no-dive         skip dive
  --no-browser      skip the headless Chromium measurement";

/// Settings of one benchmark run, parsed from the command line.
struct Config {
    runs: usize,
    limit: Duration,
    cache: PathBuf,
    layerlens: Option<PathBuf>,
    dist: Option<PathBuf>,
    nice: Option<i32>,
    dive: bool,
    browser: bool,
}

impl Config {
    fn parse(args: &[String]) -> Result<Config, String> {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp"));
        let cache_home = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".cache"));
        let mut config = Config {
            runs: 3,
            limit: Duration::from_secs(900),
            cache: cache_home.join("layerlens-bench"),
            layerlens: None,
            dist: None,
            nice: None,
            dive: true,
            browser: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().cloned().ok_or_else(|| format!("{name} needs a value\n{USAGE}"));
            match arg.as_str() {
                "--runs" => {
                    config.runs =
                        value("--runs")?.parse().map_err(|_| "--runs needs a positive integer".to_string())?;
                    if config.runs == 0 {
                        return Err("--runs needs a positive integer".into());
                    }
                }
                "--timeout" => {
                    let secs = value("--timeout")?.parse().map_err(|_| "--timeout needs whole seconds".to_string())?;
                    config.limit = Duration::from_secs(secs);
                }
                "--cache" => config.cache = PathBuf::from(value("--cache")?),
                "--layerlens" => config.layerlens = Some(PathBuf::from(value("--layerlens")?)),
                "--dist" => config.dist = Some(PathBuf::from(value("--dist")?)),
                "--nice" => {
                    let n =
                        value("--nice")?.parse().map_err(|_| "--nice needs an integer from -20 to 19".to_string())?;
                    config.nice = Some(n);
                }
                "--no-dive" => config.dive = false,
                "--no-browser" => config.browser = false,
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        Ok(config)
    }
}

/// Runs the benchmark with the given command-line arguments.
pub fn run(args: &[String]) -> Result<(), String> {
    let config = Config::parse(args)?;
    let root = repo_root();
    let images = setup::image(&root, &config.cache)?;
    let layerlens = match &config.layerlens {
        Some(path) => path.clone(),
        None => setup::layerlens(&root)?,
    };
    let dive = if config.dive { Some(setup::dive()?) } else { None };
    let logs = config.cache.join("logs");
    let dist = config.dist.clone().unwrap_or_else(|| root.join("dist"));

    let load_before = load_average();
    let mut rows = Vec::new();
    let tar = &images.docker_archive;
    let layerlens_tar = bench_case(&config, &logs, &Case::layerlens(&layerlens, tar, "docker-archive"))?;
    rows.push(layerlens_tar.clone());
    // The page does not verify digests (SHA-256 in wasm is slow), so the browser is measured against this run.
    let unverified_tar = bench_case(&config, &logs, &Case::layerlens_no_verify(&layerlens, tar))?;
    rows.push(unverified_tar.clone());
    let dive_tar = match &dive {
        Some(dive) => {
            let row = bench_case(&config, &logs, &Case::dive(dive, tar))?;
            rows.push(row.clone());
            Some(row)
        }
        None => None,
    };
    rows.push(bench_case(
        &config,
        &logs,
        &Case::layerlens(&layerlens, &images.docker_archive_gz, "docker-archive.gz"),
    )?);
    rows.push(bench_case(&config, &logs, &Case::layerlens(&layerlens, &images.oci_archive, "oci-archive"))?);

    println!();
    println!("## layerlens benchmark ({})", today());
    println!();
    println!("machine: {}", machine());
    println!("load average before / after the runs: {load_before} / {}", load_average());
    println!("layerlens: {}", setup::version(&layerlens, "--version"));
    if let Some(dive) = &dive {
        println!("dive: {} ({})", setup::version(dive, "--version"), dive.display());
    }
    println!("image: {}", images.info.trim().replace('\n', ", "));
    println!("best of {} runs each, warm page cache; MB = 10^6 bytes", config.runs);
    if let Some(n) = config.nice {
        println!("every measured process ran at niceness {n} in its own session (autogroup)");
    }
    println!();
    print_table(&rows);
    println!();
    print_verdicts(&layerlens_tar, dive_tar.as_ref());
    print_cross_check(&logs, dive.is_some());

    if config.browser {
        match browser::best_of(config.runs, || {
            browser::measure(
                &browser::Setup { root: &root, dist: &dist, cache: &config.cache, nice: config.nice },
                tar,
                config.limit,
            )
        }) {
            Ok(run) => print_browser(&run, tar, &unverified_tar, &layerlens_tar),
            Err(reason) => println!("browser worker: not measured: {reason}"),
        }
    }
    if !dist.is_dir() {
        println!("web bundle: not measured: {} does not exist (run `cargo xtask dist` first)", dist.display());
    } else {
        match crate::dist::Bundle::measure(&dist) {
            Ok(bundle) => println!("{}", bundle.line()),
            Err(reason) => println!("web bundle: not measured: {reason}"),
        }
    }
    Ok(())
}

fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// One tool on one archive.
struct Case {
    tool: &'static str,
    label: &'static str,
    file: PathBuf,
    command: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
    /// Exit codes that mean the tool finished its analysis.
    ok_codes: &'static [i32],
    /// Text the tool's standard output must contain for the run to count.
    expect: &'static str,
}

impl Case {
    fn layerlens(binary: &Path, file: &Path, label: &'static str) -> Case {
        Case {
            tool: "layerlens",
            label,
            file: file.to_path_buf(),
            command: vec![path_arg(binary), "image".into(), "--format".into(), "json".into(), path_arg(file)],
            env: Vec::new(),
            ok_codes: &[0],
            expect: "\"schema_version\"",
        }
    }

    /// layerlens without the SHA-256 digest checks, as the page runs the engine.
    fn layerlens_no_verify(binary: &Path, file: &Path) -> Case {
        let mut case = Case::layerlens(binary, file, "docker-archive --no-verify");
        case.command.insert(2, "--no-verify".into());
        case
    }

    /// dive in CI mode exits 1 when one of its default rules fails, which is still a finished analysis.
    fn dive(binary: &Path, file: &Path) -> Case {
        Case {
            tool: "dive",
            label: "docker-archive",
            file: file.to_path_buf(),
            command: vec![path_arg(binary), "--source".into(), "docker-archive".into(), path_arg(file)],
            env: vec![("CI", "true")],
            ok_codes: &[0, 1],
            expect: "efficiency:",
        }
    }

    fn log_stem(&self) -> String {
        format!("{}-{}", self.tool, self.label.replace(' ', ""))
    }
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// The best run of one case.
#[derive(Clone)]
struct Row {
    tool: &'static str,
    label: &'static str,
    file: PathBuf,
    bytes: u64,
    best: Measurement,
    /// The highest peak RSS over all runs.
    peak_rss: u64,
}

impl Row {
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.best.wall.as_secs_f64()
    }
}

fn bench_case(config: &Config, logs: &Path, case: &Case) -> Result<Row, String> {
    std::fs::create_dir_all(logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let bytes = std::fs::metadata(&case.file).map_err(|e| format!("cannot stat {}: {e}", case.file.display()))?.len();
    measure::warm_page_cache(&case.file)?;
    let stdout = logs.join(format!("{}.stdout", case.log_stem()));
    let stderr = logs.join(format!("{}.stderr", case.log_stem()));
    let mut best: Option<Measurement> = None;
    let mut peak_rss = 0;
    for run in 1..=config.runs {
        let (program, args) = case.command.split_first().ok_or("empty command")?;
        let mut cmd = Command::new(program);
        cmd.args(args).envs(case.env.iter().copied());
        let settings = Settings { stdout: &stdout, stderr: &stderr, limit: config.limit, nice: config.nice };
        let m = measure::run(&mut cmd, &settings)?;
        let finished = m.exit_code.is_some_and(|code| case.ok_codes.contains(&code));
        if !finished || !file_contains(&stdout, case.expect) {
            return Err(format!(
                "{} on {} did not finish its analysis (exit {:?}); the end of {}:\n{}",
                case.tool,
                case.file.display(),
                m.exit_code,
                stderr.display(),
                setup::tail(&stderr, 10)
            ));
        }
        eprintln!(
            "bench: {} {} run {run}/{}: {:.2} s wall, {:.2} s CPU, peak RSS {:.1} MB",
            case.tool,
            case.label,
            config.runs,
            m.wall.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.peak_rss as f64 / 1e6
        );
        peak_rss = peak_rss.max(m.peak_rss);
        if best.is_none_or(|b| m.wall < b.wall) {
            best = Some(m);
        }
    }
    let best = best.ok_or("no runs")?;
    Ok(Row { tool: case.tool, label: case.label, file: case.file.clone(), bytes, best, peak_rss })
}

fn file_contains(path: &Path, needle: &str) -> bool {
    std::fs::read(path).is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(needle))
}

fn print_table(rows: &[Row]) {
    println!("| archive | file | size | tool | wall (best) | throughput | CPU time | peak RSS |");
    println!("|---|---|---:|---|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| {} | {} | {:.1} MB | {} | {:.2} s | {:.1} MB/s | {:.2} s | {:.1} MB |",
            row.label,
            file_name(&row.file),
            row.bytes as f64 / 1e6,
            row.tool,
            row.best.wall.as_secs_f64(),
            row.mb_per_s(),
            row.best.cpu.as_secs_f64(),
            row.peak_rss as f64 / 1e6
        );
    }
}

fn print_verdicts(layerlens: &Row, dive: Option<&Row>) {
    if let Some(dive) = dive {
        let ratio = layerlens.mb_per_s() / dive.mb_per_s();
        println!(
            "throughput ratio layerlens (verifying digests, the default) / dive on {}: {ratio:.2}× (target ≥ \
             {TARGET_RATIO}×): {}",
            file_name(&layerlens.file),
            verdict(ratio >= TARGET_RATIO)
        );
        println!("peak RSS ratio layerlens / dive: {:.2}×", layerlens.peak_rss as f64 / dive.peak_rss.max(1) as f64);
    }
    println!(
        "layerlens peak RSS on {}: {:.1} MB (target < {} MB): {}",
        file_name(&layerlens.file),
        layerlens.peak_rss as f64 / 1e6,
        TARGET_RSS / 1_000_000,
        verdict(layerlens.peak_rss < TARGET_RSS)
    );
}

/// Prints the worker's throughput against the native run with the same settings (no digest checks), and the
/// verifying native run for reference.
fn print_browser(run: &browser::BrowserRun, tar: &Path, unverified: &Row, verified: &Row) {
    let native = unverified.mb_per_s();
    let fraction = run.page_mb_s / native;
    println!(
        "browser worker (headless Chromium, digests not verified) on {}: {:.1} MB/s by the page's clock ({:.1} MB/s \
         including rendering) = {fraction:.2}× native with digests not verified either ({native:.1} MB/s, \
         --no-verify); target ≥ {TARGET_BROWSER_FRACTION}×: {}",
        file_name(tar),
        run.page_mb_s,
        run.wall_mb_s,
        verdict(fraction >= TARGET_BROWSER_FRACTION)
    );
    println!(
        "  for reference: {:.2}× the native run that verifies digests ({:.1} MB/s, the CLI's default)",
        run.page_mb_s / verified.mb_per_s(),
        verified.mb_per_s()
    );
    println!(
        "reading {} alone in a worker of the same page (FileReaderSync, the analysis worker's slices, no analysis): \
         {:.1} MB/s = {:.2}× native (--no-verify); the analysis reached {:.0} % of it",
        file_name(tar),
        run.read_mb_s,
        run.read_mb_s / native,
        100.0 * run.page_mb_s / run.read_mb_s
    );
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
    }
}

/// Prints the headline figures both tools computed, so a fast but wrong run would stand out.
fn print_cross_check(logs: &Path, with_dive: bool) {
    let json = std::fs::read_to_string(logs.join("layerlens-docker-archive.stdout")).unwrap_or_default();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let field = |pointer: &str| report.pointer(pointer).map_or("?".to_string(), ToString::to_string);
    println!(
        "layerlens figures: efficiency {}, wasted bytes {}, user wasted {}, hidden bytes {}, files {}, layers {}",
        field("/dive/efficiency"),
        field("/dive/wasted_bytes"),
        field("/dive/user_wasted_percent"),
        field("/waste/hidden_bytes"),
        field("/filesystem/files"),
        report.pointer("/layers").and_then(|l| l.as_array()).map_or("?".to_string(), |l| l.len().to_string()),
    );
    if with_dive {
        let out = std::fs::read_to_string(logs.join("dive-docker-archive.stdout")).unwrap_or_default();
        let line = |key: &str| {
            out.lines().find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string())).unwrap_or("?".into())
        };
        println!(
            "dive figures:      efficiency {}, wasted bytes {}, user wasted {}",
            line("efficiency:"),
            line("wastedBytes:"),
            line("userWastedPercent:")
        );
    }
}

/// The last part of `path`, for the tables.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| info.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string()))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or("?".to_string(), |kib| format!("{:.0} GB", kib as f64 / 1e6 * 1.024));
    format!("{cores} cores ({cpu}), {mem} RAM, {}", std::env::consts::ARCH)
}
