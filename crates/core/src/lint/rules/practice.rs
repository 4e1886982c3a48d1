//! hadolint's non-shell rules that still matter: privileges, pinning, stage references, and
//! package-manager invocations that fail or surprise in a build.

use crate::dockerfile::{Args, Instruction, Keyword, Span};
use crate::lint::context::{Context, Run};
use crate::lint::rule::{Category, Equivalent, RuleMeta, Severity};
use crate::lint::shell::pkg::{self, Action, Manager};
use crate::lint::shell::{Joiner, OptSpec, Word};
use crate::lint::Emitter;

/// LL3001.
pub(crate) const LAST_USER_ROOT: RuleMeta = RuleMeta {
    id: "LL3001",
    name: "last-user-root",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "the final image runs as root",
    explanation: "The last USER of the final stage is root, so the container's main process runs as root: a \
        compromise of the process is a compromise of everything the container can reach.",
    fix: "Switch to an unprivileged user at the end: `USER app` (create it with `useradd -r -l app`).",
    same_as: &[Equivalent::Hadolint("DL3002")],
};

/// LL3002.
pub(crate) const SUDO: RuleMeta = RuleMeta {
    id: "LL3002",
    name: "sudo-in-run",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "RUN uses sudo",
    explanation:
        "Build steps already run as the current USER; sudo adds a setuid binary and TTY/PAM quirks for nothing.",
    fix: "Switch with `USER root` for the commands that need it, then back to the unprivileged user.",
    same_as: &[Equivalent::Hadolint("DL3004")],
};

/// LL3003.
pub(crate) const PIN_APT: RuleMeta = RuleMeta {
    id: "LL3003",
    name: "pin-apt-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "apt packages are installed without a version",
    explanation: "Unpinned packages install whatever the mirror has today: two builds of the same Dockerfile can differ.",
    fix: "Pin versions (`apt-get install curl=7.88.1-10+deb12u5`), or rely on a pinned base image digest and accept updates deliberately.",
    same_as: &[Equivalent::Hadolint("DL3008")],
};

/// LL3004.
pub(crate) const PIN_APK: RuleMeta = RuleMeta {
    id: "LL3004",
    name: "pin-apk-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "apk packages are installed without a version",
    explanation:
        "Unpinned packages install whatever the repository has today: two builds of the same Dockerfile can differ.",
    fix: "Pin versions (`apk add curl=8.5.0-r0`) or constrain them (`curl~8.5`).",
    same_as: &[Equivalent::Hadolint("DL3018")],
};

/// LL3005.
pub(crate) const PIN_PIP: RuleMeta = RuleMeta {
    id: "LL3005",
    name: "pin-pip-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "pip packages are installed without a version",
    explanation: "Unpinned requirements resolve to the newest release at build time: builds are not reproducible and can break overnight.",
    fix: "Pin (`pip install flask==3.0.3`) or install from a locked requirements file (`pip install -r requirements.txt`).",
    same_as: &[Equivalent::Hadolint("DL3013")],
};

/// LL3006.
pub(crate) const PIN_NPM: RuleMeta = RuleMeta {
    id: "LL3006",
    name: "pin-npm-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "npm packages are installed without a version",
    explanation: "`npm install name` takes the newest release at build time: builds are not reproducible.",
    fix: "Pin (`npm install express@4.19.2`) or use `npm ci` with a lock file.",
    same_as: &[Equivalent::Hadolint("DL3016")],
};

/// LL3007.
pub(crate) const PIN_GEM: RuleMeta = RuleMeta {
    id: "LL3007",
    name: "pin-gem-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "gems are installed without a version",
    explanation: "`gem install name` takes the newest release at build time: builds are not reproducible.",
    fix: "Pin (`gem install rails:7.1.3` or `-v 7.1.3`) or use Bundler with a Gemfile.lock.",
    same_as: &[Equivalent::Hadolint("DL3028")],
};

/// LL3008.
pub(crate) const PIN_GO: RuleMeta = RuleMeta {
    id: "LL3008",
    name: "pin-go-versions",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "go install without a version",
    explanation: "`go install pkg` without `@version` (or with `@latest`) takes whatever is newest at build time.",
    fix: "Pin the module version: `go install golang.org/x/tools/gopls@v0.16.1`.",
    same_as: &[Equivalent::Hadolint("DL3062")],
};

/// LL3009.
pub(crate) const COPY_FROM_UNKNOWN: RuleMeta = RuleMeta {
    id: "LL3009",
    name: "copy-from-unknown-stage",
    severity: Severity::Warning,
    category: Category::Correctness,
    summary: "COPY --from names no earlier stage",
    explanation: "A --from value that is neither an earlier stage nor an image reference is treated as an image \
        name to pull, which usually means a typo in the stage name or a stage defined later.",
    fix: "Name a stage defined before this one, or a full image reference such as `nginx:1.27`.",
    same_as: &[Equivalent::Hadolint("DL3022")],
};

/// LL3010.
pub(crate) const COPY_FROM_SELF: RuleMeta = RuleMeta {
    id: "LL3010",
    name: "copy-from-own-stage",
    severity: Severity::Error,
    category: Category::Correctness,
    summary: "COPY --from names the stage it is in",
    explanation: "A stage cannot copy from itself: the build fails with a circular dependency.",
    fix: "Copy from an earlier stage, or use a plain RUN cp inside the stage.",
    same_as: &[Equivalent::Hadolint("DL3023")],
};

/// LL3011.
pub(crate) const PROMPT: RuleMeta = RuleMeta {
    id: "LL3011",
    name: "package-manager-prompt",
    severity: Severity::Warning,
    category: Category::Correctness,
    summary: "the package manager may wait for a confirmation",
    explanation: "Without -y (zypper: --non-interactive) apt-get, dnf, yum and zypper ask for confirmation; a build \
        has no terminal, so the install aborts.",
    fix: "Add `-y` (`zypper --non-interactive install …`).",
    same_as: &[
        Equivalent::Hadolint("DL3014"),
        Equivalent::Hadolint("DL3030"),
        Equivalent::Hadolint("DL3034"),
        Equivalent::Hadolint("DL3038"),
    ],
};

/// LL3012.
pub(crate) const APT_CLI: RuleMeta = RuleMeta {
    id: "LL3012",
    name: "apt-in-scripts",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "`apt` is meant for terminals, not scripts",
    explanation: "`apt` warns that its command-line interface is not stable and may change; scripts should use apt-get and apt-cache.",
    fix: "Use `apt-get` (or `apt-cache`).",
    same_as: &[Equivalent::Hadolint("DL3027")],
};

/// LL3013.
pub(crate) const ADD_LOCAL: RuleMeta = RuleMeta {
    id: "LL3013",
    name: "add-instead-of-copy",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "ADD is used for plain local files",
    explanation: "ADD also extracts archives and fetches URLs; for plain files it does what COPY does, with surprises.",
    fix: "Use COPY for local files and directories.",
    same_as: &[Equivalent::Hadolint("DL3020")],
};

/// LL3014.
pub(crate) const COPY_DEST_SLASH: RuleMeta = RuleMeta {
    id: "LL3014",
    name: "copy-multiple-needs-dir",
    severity: Severity::Error,
    category: Category::Correctness,
    summary: "COPY with several sources needs a destination ending in /",
    explanation: "When COPY or ADD has more than one source, the destination must be a directory written with a \
        trailing slash; otherwise the build fails.",
    fix: "End the destination with `/`.",
    same_as: &[Equivalent::Hadolint("DL3021")],
};

/// LL3015.
pub(crate) const PIPEFAIL: RuleMeta = RuleMeta {
    id: "LL3015",
    name: "pipe-without-pipefail",
    severity: Severity::Warning,
    category: Category::Correctness,
    summary: "a pipe in RUN hides failures of its first command",
    explanation: "The exit status of a pipe is that of its last command: `curl … | tar x` succeeds even when the \
        download fails, and the build goes on with a broken layer.",
    fix: "Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the RUN with `set -o pipefail &&` \
        (busybox ash and bash support it).",
    same_as: &[Equivalent::Hadolint("DL4006")],
};

/// LL3016.
pub(crate) const CD_IN_RUN: RuleMeta = RuleMeta {
    id: "LL3016",
    name: "cd-in-run",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "RUN changes directory with cd",
    explanation: "A `cd` lasts only until the end of its RUN: the next instruction starts in the WORKDIR again, which \
        readers (and later edits) easily get wrong. WORKDIR states the directory once for every later instruction.",
    fix: "Use `WORKDIR /path` before the RUN, or give commands absolute paths (`make -C /src`).",
    same_as: &[Equivalent::Hadolint("DL3003")],
};

/// LL3017.
pub(crate) const WGET_PROGRESS: RuleMeta = RuleMeta {
    id: "LL3017",
    name: "wget-progress-bar",
    severity: Severity::Info,
    category: Category::Maintainability,
    summary: "wget prints a progress line for every few kilobytes",
    explanation: "Without a terminal, wget's default progress output is one line per few kilobytes: a large download \
        fills the build log with thousands of lines and hides the messages that matter.",
    fix: "Add `--progress=dot:giga`, or `-q`/`-nv` (`--quiet`/`--no-verbose`).",
    same_as: &[Equivalent::Hadolint("DL3047")],
};

/// LL3018.
pub(crate) const CONSECUTIVE_RUNS: RuleMeta = RuleMeta {
    id: "LL3018",
    name: "consecutive-runs",
    severity: Severity::Info,
    category: Category::Size,
    summary: "short RUN instructions follow each other",
    explanation: "Each RUN is a layer. Consecutive single-command RUNs with the same flags could be one layer: fewer \
        layers to pull, and files a later step removes never reach the image. Like hadolint 2.15, a RUN that already \
        chains several commands is taken as deliberately split (for the build cache) and is not reported.",
    fix: "Join them with `&&` into one RUN (a heredoc `RUN <<EOF` keeps long scripts readable).",
    same_as: &[Equivalent::Hadolint("DL3059")],
};

/// LL3019.
pub(crate) const USER_NOT_NUMERIC: RuleMeta = RuleMeta {
    id: "LL3019",
    name: "user-not-numeric",
    severity: Severity::Info,
    category: Category::Security,
    summary: "USER names a user instead of a numeric UID",
    explanation: "A user name is resolved inside the container; the host and orchestrators cannot. Kubernetes' \
        `runAsNonRoot` refuses to start an image whose USER is a name, because it cannot verify that the name is not root.",
    fix: "Use the numeric UID (and GID): `USER 10001:10001`.",
    same_as: &[Equivalent::Hadolint("DL3066")],
};

/// LL3020.
pub(crate) const COPY_WHOLE_STAGE: RuleMeta = RuleMeta {
    id: "LL3020",
    name: "copy-whole-filesystem",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "COPY --from copies another stage's entire filesystem",
    explanation:
        "`COPY --from=stage / /` copies every file of that stage, its toolchain and caches included, into this \
        one: the multi-stage build no longer keeps anything out of the final image.",
    fix: "Copy only the artifacts the final image needs: `COPY --from=build /app/bin /usr/local/bin/`.",
    same_as: &[Equivalent::Hadolint("DL3067")],
};

/// The rules of this family.
pub(crate) const RULES: &[&RuleMeta] = &[
    &LAST_USER_ROOT,
    &SUDO,
    &PIN_APT,
    &PIN_APK,
    &PIN_PIP,
    &PIN_NPM,
    &PIN_GEM,
    &PIN_GO,
    &COPY_FROM_UNKNOWN,
    &COPY_FROM_SELF,
    &PROMPT,
    &APT_CLI,
    &ADD_LOCAL,
    &COPY_DEST_SLASH,
    &PIPEFAIL,
    &CD_IN_RUN,
    &WGET_PROGRESS,
    &CONSECUTIVE_RUNS,
    &USER_NOT_NUMERIC,
    &COPY_WHOLE_STAGE,
];

fn span_of(range: &std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

/// Runs the rules of this family.
pub(crate) fn check(cx: &Context<'_>, out: &mut Emitter) {
    for run in &cx.runs {
        check_run(run, out);
        check_pipefail(cx, run, out);
    }
    check_last_user(cx, out);
    check_consecutive_runs(cx, out);
    for ins in &cx.syntax.instructions {
        check_user(ins, out);
    }
    for stage in &cx.stages {
        for ins in stage.body {
            if matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
                check_copy(cx, stage.index, ins, out);
            }
        }
    }
}

fn is_variable(text: &str) -> bool {
    text.contains('$')
}

fn check_run(run: &Run<'_>, out: &mut Emitter) {
    let ins = run.instruction;
    for command in &run.script.commands {
        if command.is("cd") {
            out.emit(
                &CD_IN_RUN,
                ins,
                span_of(&command.program_range()),
                "`cd` lasts only for this RUN; use WORKDIR to switch to a directory".to_string(),
            );
        }
        if command.is("wget") && !wget_quiet(command) {
            out.emit(
                &WGET_PROGRESS,
                ins,
                span_of(&command.program_range()),
                "wget without `--progress=dot:giga`, `-q` or `-nv` floods the build log with progress lines"
                    .to_string(),
            );
        }
        if let Some(sudo) = &command.sudo {
            out.emit(&SUDO, ins, span_of(sudo), "Do not use sudo in RUN: switch USER instead".to_string());
        }
        let Some(p) = pkg::recognise(command) else { continue };
        if p.action == Action::Install
            && matches!(p.manager, Manager::Apt | Manager::Dnf | Manager::Yum | Manager::Zypper)
        {
            let sub = p.subcommand.map_or("", |w| w.text.as_str());
            let prompts = matches!(sub, "install" | "in" | "upgrade" | "dist-upgrade" | "groupinstall" | "reinstall");
            if prompts && !p.assume_yes() && p.tool != "microdnf" {
                out.emit(
                    &PROMPT,
                    ins,
                    span_of(&command.program_range()),
                    format!("`{} {sub}` without -y waits for a confirmation that a build cannot give", p.tool),
                );
            }
        }
        if p.manager == Manager::Apt && p.tool == "apt" {
            out.emit(
                &APT_CLI,
                ins,
                span_of(&command.program_range()),
                "Use apt-get or apt-cache instead of apt in scripts".to_string(),
            );
        }
        if p.action != Action::Install {
            continue;
        }
        let sub = p.subcommand.map_or("", |w| w.text.as_str());
        let unpinned: Vec<&Word> = match p.manager {
            Manager::Apt if sub == "install" => p
                .packages
                .iter()
                .copied()
                .filter(|w| {
                    !w.text.contains('=')
                        && !w.text.ends_with(".deb")
                        && !w.text.starts_with('/')
                        && !w.text.starts_with("./")
                        && !is_variable(&w.text)
                })
                .collect(),
            Manager::Apk if sub == "add" => {
                let virtual_name = p.parsed.values(Some('t'), &["virtual"]).next();
                p.packages
                    .iter()
                    .copied()
                    .filter(|w| {
                        Some(w.text.as_str()) != virtual_name
                            && !w.text.contains(['=', '~', '<', '>'])
                            && !w.text.ends_with(".apk")
                            && !is_variable(&w.text)
                    })
                    .collect()
            }
            Manager::Pip if sub == "install" => p.packages.iter().copied().filter(|w| pip_unpinned(&w.text)).collect(),
            Manager::Npm if matches!(sub, "install" | "i" | "add") => p
                .packages
                .iter()
                .copied()
                .filter(|w| {
                    let t = w.text.as_str();
                    let versioned = t.strip_prefix('@').unwrap_or(t).contains('@');
                    !versioned
                        && !t.contains(['/', ':'])
                        && !t.starts_with('.')
                        && !t.ends_with(".tgz")
                        && !is_variable(t)
                        || t.starts_with('@') && !t.get(1..).unwrap_or("").contains('@')
                })
                .collect(),
            Manager::Gem if sub == "install" && !p.has(Some('v'), &["version"]) => p
                .packages
                .iter()
                .copied()
                .filter(|w| !w.text.contains(':') && !w.text.ends_with(".gem") && !is_variable(&w.text))
                .collect(),
            Manager::Go if matches!(sub, "install" | "get") => p
                .packages
                .iter()
                .copied()
                .filter(|w| {
                    let version = w.text.rsplit_once('@').map(|(_, v)| v);
                    (version.is_none() || version == Some("latest"))
                        && w.text.contains('.')
                        && !w.text.starts_with('.')
                        && !is_variable(&w.text)
                })
                .collect(),
            _ => Vec::new(),
        };
        let Some(first) = unpinned.first() else { continue };
        let (rule, example) = match p.manager {
            Manager::Apt => (&PIN_APT, "name=version"),
            Manager::Apk => (&PIN_APK, "name=version"),
            Manager::Pip => (&PIN_PIP, "name==version"),
            Manager::Npm => (&PIN_NPM, "name@version"),
            Manager::Gem => (&PIN_GEM, "name:version"),
            _ => (&PIN_GO, "module@version"),
        };
        let names: Vec<&str> = unpinned.iter().map(|w| w.text.as_str()).collect();
        out.emit(
            rule,
            ins,
            span_of(&first.range),
            format!("{} installed without a version ({}); pin as `{example}`", names.join(", "), p.tool),
        );
    }
}

fn pip_unpinned(text: &str) -> bool {
    let is_spec = text.contains(['=', '<', '>', '@', '~', '!']);
    let is_path = text.contains('/')
        || text.starts_with('.')
        || text.ends_with(".whl")
        || text.ends_with(".tar.gz")
        || text.ends_with(".zip");
    !is_spec && !is_path && !is_variable(text)
}

fn check_pipefail(cx: &Context<'_>, run: &Run<'_>, out: &mut Emitter) {
    let commands = &run.script.commands;
    let Some(pipe) = commands.iter().position(|c| c.joiner == Joiner::Pipe) else { return };
    let set_in_run = commands.iter().take(pipe + 1).any(|c| {
        c.is("set")
            && c.args().windows(2).any(|w| {
                w.first().is_some_and(|a| a.text.ends_with('o')) && w.get(1).is_some_and(|b| b.text == "pipefail")
            })
    });
    let in_sh_c = commands.iter().take(pipe).any(|c| c.args().iter().any(|a| a.text == "pipefail"));
    if set_in_run || in_sh_c || matches!(run.instruction.args, Args::Json(_)) {
        return;
    }
    // A SHELL with -o pipefail earlier in the stage lineage (or a non-POSIX shell) makes it moot.
    if cx.facts(run.position).pipefail {
        return;
    }
    let Some(command) = commands.get(pipe) else { return };
    out.emit(
        &PIPEFAIL,
        run.instruction,
        span_of(&command.range),
        format!(
            "`{}` is piped; without `-o pipefail` its failure does not fail the build",
            command.program().unwrap_or("command")
        ),
    );
}

fn check_last_user(cx: &Context<'_>, out: &mut Emitter) {
    let Some(last) = cx.final_stage else { return };
    if cx.stages.get(last).is_none() {
        return;
    }
    let user = cx.timeline.iter().filter_map(|&i| cx.instruction(i)).rfind(|i| i.keyword == Keyword::User);
    let Some(user) = user else { return };
    let Args::Text(word) = &user.args else { return };
    let name = word.text.split(':').next().unwrap_or("");
    if name == "root" || name == "0" {
        out.emit(&LAST_USER_ROOT, user, word.span, "The final image's last USER is root".to_string());
    }
}

fn check_copy(cx: &Context<'_>, stage: usize, ins: &Instruction, out: &mut Emitter) {
    if let Some(flag) = ins.flag("from") {
        if let Some(value) = flag.value.as_deref() {
            let span = flag.value_span.unwrap_or(flag.span);
            let own = cx.stages.get(stage).and_then(|s| s.name());
            let lower = value.to_ascii_lowercase();
            if own == Some(lower.as_str()) {
                out.emit(&COPY_FROM_SELF, ins, span, format!("`--from={value}` names the stage this COPY is in"));
            } else if !value.contains([':', '/', '$', '@']) {
                let is_index = value.parse::<usize>().is_ok_and(|n| n < stage);
                if !is_index && cx.stage_named(value, stage).is_none() {
                    out.emit(
                        &COPY_FROM_UNKNOWN,
                        ins,
                        span,
                        format!(
                            "`--from={value}` is not a stage defined before this one; it will be pulled as an image"
                        ),
                    );
                }
            }
        }
    }
    let words = match &ins.args {
        Args::List(words) | Args::Json(words) => words,
        _ => return,
    };
    let Some((dest, sources)) = words.split_last() else { return };
    let root = |text: &str| text.trim_matches(['"', '\'']) == "/";
    if ins.keyword == Keyword::Copy
        && ins.flag("from").is_some()
        && root(&dest.text)
        && sources.iter().any(|s| root(&s.text))
    {
        out.emit(
            &COPY_WHOLE_STAGE,
            ins,
            dest.span,
            "`COPY --from=… / /` copies the whole filesystem of the other stage; copy only what is needed".to_string(),
        );
    }
    if sources.len() > 1 && !dest.text.ends_with('/') && !is_variable(&dest.text) {
        out.emit(
            &COPY_DEST_SLASH,
            ins,
            dest.span,
            format!("{} has {} sources, so its destination must end with /", ins.keyword.as_str(), sources.len()),
        );
    }
    if ins.keyword == Keyword::Add && ins.heredocs.is_empty() && !sources.is_empty() {
        let plain = sources.iter().all(|s| {
            let t = s.text.to_ascii_lowercase();
            !t.contains("://")
                && !t.starts_with("git@")
                && ![".tar", ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".lz", ".lzma", ".tlz"]
                    .iter()
                    .any(|e| t.ends_with(e))
                && !is_variable(&t)
        });
        if plain {
            out.emit(
                &ADD_LOCAL,
                ins,
                ins.keyword_word.span,
                "Use COPY instead of ADD for files and folders".to_string(),
            );
        }
    }
}

/// Whether a wget command sets its progress output or silences it (hadolint's DL3047 exceptions).
fn wget_quiet(command: &crate::lint::shell::Command) -> bool {
    let parsed = command.parse_args(OptSpec {
        short_with_value: "OoaPeUtTwQ",
        long_with_value: &["output-document", "output-file", "append-output", "directory-prefix", "progress"],
        single_dash_long: false,
    });
    parsed.has(Some('q'), &["quiet", "progress", "no-verbose", "output-file", "append-output"])
        || parsed.has(Some('o'), &[])
        || parsed.has(Some('a'), &[])
        || command.args().iter().any(|a| a.text == "-nv" || a.text.starts_with("--progress"))
}

/// A RUN flag's name and value.
type RunFlag<'a> = (&'a str, Option<&'a str>);

/// LL3018: hadolint's DL3059 over the instructions in order (any other instruction resets it).
fn check_consecutive_runs(cx: &Context<'_>, out: &mut Emitter) {
    // The flags and command count of the RUN that the next RUN would join. hadolint's source allows two commands
    // per RUN, but hadolint 2.15.1 (whose output the corpus records) reports single-command RUNs only.
    let mut previous: Option<(Vec<RunFlag<'_>>, usize)> = None;
    for (position, ins) in cx.syntax.instructions.iter().enumerate() {
        let Some(run) = cx.run_at(position).filter(|_| ins.keyword == Keyword::Run) else {
            previous = None;
            continue;
        };
        let flags: Vec<RunFlag<'_>> = ins.flags.iter().map(|f| (f.name.as_str(), f.value.as_deref())).collect();
        let count = run.script.commands.len();
        match &previous {
            Some((prev_flags, prev_count)) if *prev_flags == flags && count <= 1 && *prev_count <= 1 => {
                out.emit(
                    &CONSECUTIVE_RUNS,
                    ins,
                    ins.keyword_word.span,
                    "Multiple consecutive RUN instructions: join them into one layer".to_string(),
                );
            }
            _ => previous = Some((flags, count)),
        }
    }
}

/// LL3019: a USER that is not a numeric UID (variables are left alone: their value may be numeric).
fn check_user(ins: &Instruction, out: &mut Emitter) {
    let (Keyword::User, Args::Text(word)) = (ins.keyword, &ins.args) else { return };
    let user = word.text.split(':').next().unwrap_or("");
    if user.is_empty() || user.contains('$') || user.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    out.emit(
        &USER_NOT_NUMERIC,
        ins,
        word.span,
        format!("USER `{user}` is a name; hosts and Kubernetes' runAsNonRoot can only check a numeric UID"),
    );
}
