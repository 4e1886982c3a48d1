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

/// Where a measured run sends its output.
pub struct Output<'a> {
    /// File that receives the child's standard output.
    pub stdout: &'a Path,
    /// File that receives the child's standard error.
    pub stderr: &'a Path,
}

/// Runs `cmd` to completion, killing it after `limit`, and reports wall time and peak RSS from `wait4`.
pub fn run(cmd: &mut Command, output: &Output, limit: Duration) -> Result<Measurement, String> {
    let stdout = File::create(output.stdout).map_err(|e| format!("cannot create {}: {e}", output.stdout.display()))?;
    let stderr = File::create(output.stderr).map_err(|e| format!("cannot create {}: {e}", output.stderr.display()))?;
    // Its own process group lets a time-out end the child together with everything it started.
    cmd.stdin(Stdio::null()).stdout(stdout).stderr(stderr).process_group(0);
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
        cmd.args(["-c", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo done; exit 3"]);
        let m = run(&mut cmd, &Output { stdout: &out, stderr: &err }, Duration::from_secs(60)).unwrap();
        assert_eq!(m.exit_code, Some(3));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "done\n");
        assert!(m.peak_rss > 64_000_000, "peak RSS {}", m.peak_rss);
        assert!(m.wall > Duration::ZERO);
    }

    #[test]
    fn kills_the_whole_process_group_after_the_limit() {
        let (out, err) = (scratch("slow.out"), scratch("slow.err"));
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        let start = Instant::now();
        let result = run(&mut cmd, &Output { stdout: &out, stderr: &err }, Duration::from_millis(300));
        assert!(result.unwrap_err().contains("did not finish within"));
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
