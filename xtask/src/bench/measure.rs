//! Runs one child process with a time limit and measures its wall time and peak resident set size.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one finished run of a child process cost.
#[derive(Clone, Copy, Debug)]
pub struct Measurement {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// User plus system CPU time of the child; unlike wall time it barely grows when other work shares the cores.
    pub cpu: Duration,
    /// Peak resident set size of the child (and any children it waited for), in bytes.
    pub peak_rss: u64,
    /// The exit code, or `None` when a signal ended the process.
    pub exit_code: Option<i32>,
}

/// How a measured child runs: where its output goes, how long it may take and its priority.
pub struct Settings<'a> {
    /// File that receives the child's standard output.
    pub stdout: &'a Path,
    /// File that receives the child's standard error.
    pub stderr: &'a Path,
    /// The time after which the child and everything it started are killed.
    pub limit: Duration,
    /// Niceness for the child's own scheduling group (see [`run`]), or `None` to leave it alone.
    pub nice: Option<i32>,
}

/// Runs `cmd` to completion, killing it after the time limit, and reports wall time, CPU time and peak RSS from
/// `wait4`.
///
/// The child starts a new session, which gives it its own process group (so a time-out ends everything it
/// started) and, where the kernel groups tasks by session (autogroup), its own scheduling group. With `nice`
/// set, both that group and the process get that niceness, so other sessions' work on a shared machine takes
/// less of the measured run's time.
pub fn run(cmd: &mut Command, settings: &Settings) -> Result<Measurement, String> {
    let (output, limit) = (settings, settings.limit);
    let stdout = File::create(output.stdout).map_err(|e| format!("cannot create {}: {e}", output.stdout.display()))?;
    let stderr = File::create(output.stderr).map_err(|e| format!("cannot create {}: {e}", output.stderr.display()))?;
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    let nice = settings.nice;
    let autogroup_nice = nice.map(|n| n.to_string().into_bytes()).unwrap_or_default();
    // SAFETY: the closure runs between fork and exec and only makes system calls, allocating nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if let Some(n) = nice {
                // Without autogroup support the file is missing; the process niceness below still applies.
                let fd = libc::open(c"/proc/self/autogroup".as_ptr(), libc::O_WRONLY);
                if fd >= 0 {
                    libc::write(fd, autogroup_nice.as_ptr().cast(), autogroup_nice.len());
                    libc::close(fd);
                }
                if libc::setpriority(libc::PRIO_PROCESS, 0, n) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {program}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|_| format!("process id of {program} out of range"))?;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own child, not yet reaped; both pointers refer to live, writable locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            let wall = start.elapsed();
            let exit_code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            let peak_rss = u64::try_from(usage.ru_maxrss).unwrap_or(0).saturating_mul(1024);
            let cpu = timeval(usage.ru_utime) + timeval(usage.ru_stime);
            return Ok(Measurement { wall, cpu, peak_rss, exit_code });
        }
        if reaped < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(format!("waiting for {program} failed: {err}"));
        }
        if start.elapsed() > limit {
            // The child is still running (not reaped), so its pid and process group cannot have been reused yet.
            // SAFETY: kill has no memory-safety preconditions.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            let _ = child.wait();
            return Err(format!("{program} did not finish within {} s and was killed", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn timeval(tv: libc::timeval) -> Duration {
    let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
    let micros = u32::try_from(tv.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(u64::from(micros))
}

/// Reads the whole file once so that the measured runs start with a warm page cache.
pub fn warm_page_cache(path: &Path) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    std::io::copy(&mut file, &mut std::io::sink()).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("layerlens-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn measures_exit_code_output_and_memory() {
        let (out, err) = (scratch("ok.out"), scratch("ok.err"));
        // The shell allocates a 64 MB string, so its peak RSS must exceed that.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo done; cat /proc/self/autogroup; exit 3"]);
        let settings = Settings { stdout: &out, stderr: &err, limit: Duration::from_secs(60), nice: Some(5) };
        let m = run(&mut cmd, &settings).unwrap();
        assert_eq!(m.exit_code, Some(3));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("done\n"), "{text}");
        // The child runs in its own session: its own autogroup, with the niceness asked for.
        if let Ok(ours) = std::fs::read_to_string("/proc/self/autogroup") {
            let theirs = text.lines().nth(1).unwrap();
            assert_ne!(theirs, ours.trim());
            assert!(theirs.ends_with("nice 5"), "{theirs}");
        }
        assert!(m.peak_rss > 64_000_000, "peak RSS {}", m.peak_rss);
        assert!(m.wall > Duration::ZERO);
    }

    #[test]
    fn kills_the_whole_process_group_after_the_limit() {
        let (out, err) = (scratch("slow.out"), scratch("slow.err"));
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let start = Instant::now();
        let settings = Settings { stdout: &out, stderr: &err, limit: Duration::from_millis(300), nice: None };
        let result = run(&mut cmd, &settings);
        assert!(result.unwrap_err().contains("did not finish within"));
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
