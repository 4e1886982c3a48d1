//! Advice from a Dockerfile: the estimated final size, rewritten Dockerfiles for each step of the path
//! (multi-stage with a clean final stage, distroless final stage, alpine final stage) shown as unified
//! diffs, and — when the built image is given too — the bytes each instruction cost.
//!
//! Rewrites are text splices on the parser's byte spans: the user's text is kept verbatim (instructions,
//! comments, stage names) and only the final stage's base and the added stage are new.

use super::catalog::{split_tag, Catalog};
use super::report::Action;
use super::rootfs::ImageView;
use crate::dockerfile::shell::{expand_word, Env};
use crate::dockerfile::{parse, Args, Dockerfile, Instruction, Keyword};
use serde::{Deserialize, Serialize};

/// One build stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    /// Position of the stage (0-based).
    pub index: usize,
    /// The `AS` name, when given.
    pub name: Option<String>,
    /// The base as written (`node:${NODE_VERSION}`).
    pub base: String,
    /// The base with ARG defaults expanded (`node:22`).
    pub base_resolved: String,
    /// The 1-based line of the FROM.
    pub line: usize,
}

/// The estimated size of the image the Dockerfile builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeEstimate {
    /// The final stage's base (resolved).
    pub base: String,
    /// The catalog row used for it, when the base is catalogued.
    pub catalog_row: Option<String>,
    /// The base's on-disk size from the catalog.
    pub base_uncompressed_bytes: Option<u64>,
    /// The base's registry (compressed) size from the catalog.
    pub base_compressed_bytes: Option<u64>,
    /// The instructions whose size cannot be known from the Dockerfile alone, one sentence each. What the catalog
    /// does not say about the base is in the fields above (`catalog_row`, the two sizes), not here.
    pub unknown: Vec<String>,
}

/// One rewritten Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rewrite {
    /// `multi-stage`, `distroless` or `alpine`.
    pub id: String,
    /// A one-line title.
    pub title: String,
    /// The final stage's base image.
    pub final_base: String,
    /// That base's on-disk size from the catalog, when known.
    pub final_base_uncompressed_bytes: Option<u64>,
    /// That base's registry (compressed) size from the catalog, when known.
    pub final_base_compressed_bytes: Option<u64>,
    /// The whole rewritten Dockerfile.
    pub dockerfile: String,
    /// A unified diff from the original.
    pub diff: String,
    /// Trade-offs and steps to check by hand.
    pub notes: Vec<String>,
}

/// What one instruction of the final stage cost in the built image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructionCost {
    /// The 1-based line of the instruction.
    pub line: usize,
    /// The instruction as written (continuations joined).
    pub instruction: String,
    /// The layer it made, if any.
    pub layer: Option<usize>,
    /// Bytes that layer ships.
    pub bytes: u64,
    /// Bytes of that layer hidden by later layers (shipped for nothing).
    pub shipped_hidden_bytes: u64,
    /// Bytes of earlier layers this instruction deleted or overwrote (they stay in the image).
    pub hides_bytes: u64,
    /// The largest files this instruction deleted, overwrote or re-shipped (examples, with sizes).
    pub hides: Vec<String>,
}

/// Everything layerlens says about a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerfileAdvice {
    /// The build stages.
    pub stages: Vec<StageInfo>,
    /// `node`, `python`, `go`, `java`, or `None` when not recognised.
    pub ecosystem: Option<String>,
    /// The final image's estimated size.
    pub estimate: SizeEstimate,
    /// Rewrites for each applicable step of the path.
    pub rewrites: Vec<Rewrite>,
    /// Bytes per instruction, when the built image was given as well.
    pub instruction_costs: Vec<InstructionCost>,
    /// Why some advice could not be given (parse errors, unknown ecosystem).
    pub problems: Vec<String>,
}

struct Stage<'a> {
    info: StageInfo,
    from: &'a Instruction,
    body: Vec<&'a Instruction>,
}

fn stages<'a>(df: &'a Dockerfile, escape: char, overrides: &[(String, String)]) -> Vec<Stage<'a>> {
    let mut args: Vec<(String, String)> = Vec::new();
    let mut out: Vec<Stage<'a>> = Vec::new();
    for ins in &df.instructions {
        match ins.keyword {
            Keyword::Arg if out.is_empty() => {
                for word in ins.arg_values() {
                    let (k, v) = word.split_once('=').unwrap_or((word, ""));
                    args.push((k.to_string(), v.trim_matches('"').trim_matches('\'').to_string()));
                }
            }
            Keyword::From => {
                let words = ins.arg_values();
                let base = words.first().map(|s| s.to_string()).unwrap_or_default();
                let name = match words.as_slice() {
                    [_, kw, name, ..] if kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
                    _ => None,
                };
                let mut scope = args.clone();
                scope.extend(overrides.iter().filter(|(k, _)| args.iter().any(|(a, _)| a == k)).cloned());
                let base_resolved = expand_word(&base, &scope as &dyn Env, escape).unwrap_or_else(|_| base.clone());
                let info = StageInfo { index: out.len(), name, base, base_resolved, line: ins.start_line };
                out.push(Stage { info, from: ins, body: Vec::new() });
            }
            _ => {
                if let Some(stage) = out.last_mut() {
                    stage.body.push(ins);
                }
            }
        }
    }
    out
}

/// The ecosystem of a stage, from its base image and RUN commands.
fn ecosystem(stage: &Stage<'_>) -> Option<&'static str> {
    let (repo, tag) = split_tag(&stage.info.base_resolved);
    let repo = repo.rsplit('/').next().unwrap_or(repo);
    let runs: String = stage.body.iter().filter(|i| i.keyword == Keyword::Run).map(|i| i.original.as_str()).collect();
    if repo == "node" || repo.starts_with("nodejs") || runs.contains("npm ") || runs.contains("yarn ") {
        Some("node")
    } else if repo == "python" || repo.starts_with("python3") || runs.contains("pip install") {
        Some("python")
    } else if repo == "golang" || repo == "go" || runs.contains("go build") {
        Some("go")
    } else if ["eclipse-temurin", "openjdk", "maven", "gradle", "amazoncorretto"].contains(&repo)
        || tag.contains("jdk")
        || runs.contains("mvn ")
        || runs.contains("gradle")
    {
        Some("java")
    } else {
        None
    }
}

/// The version line of a base tag (`22` of `node:22-slim`, `3.12` of `python:3.12`, `21` of
/// `maven:3.9-eclipse-temurin-21`).
fn version_line(base: &str, eco: &str) -> Option<String> {
    let (repo, tag) = split_tag(base);
    let repo = repo.rsplit('/').next().unwrap_or(repo);
    if eco == "java" && (repo == "maven" || repo == "gradle") {
        let after = tag.rsplit('-').next()?;
        return after.chars().all(|c| c.is_ascii_digit()).then(|| after.to_string());
    }
    let first = tag.split('-').next()?;
    first.starts_with(|c: char| c.is_ascii_digit()).then(|| first.to_string())
}

fn last_workdir(stage: &Stage<'_>) -> Option<String> {
    let mut dir: Option<String> = None;
    for ins in &stage.body {
        if ins.keyword == Keyword::Workdir {
            let value = ins.arg_values().first().map(|s| s.trim_matches('"').to_string()).unwrap_or_default();
            dir = Some(if value.starts_with('/') {
                value
            } else {
                format!("{}/{}", dir.unwrap_or_default().trim_end_matches('/'), value)
            });
        }
    }
    dir
}

/// The destination of the last `COPY`/`ADD` from the build context (not `--from`).
fn last_context_copy_dest(stage: &Stage<'_>) -> Option<String> {
    stage
        .body
        .iter()
        .rev()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .find_map(|i| i.arg_values().last().map(|s| s.to_string()))
        .filter(|d| d.starts_with('/'))
}

/// Instructions that configure the runtime and are carried into the new final stage.
fn is_runtime_config(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Env
            | Keyword::Expose
            | Keyword::User
            | Keyword::Label
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::Healthcheck
            | Keyword::Stopsignal
            | Keyword::Volume
    )
}

/// Where the build's output lives, for `COPY --from=build`.
struct Artifact {
    /// Paths to copy (each copied to the same path).
    paths: Vec<String>,
    /// Notes about guesses.
    notes: Vec<String>,
}

fn artifact(stage: &Stage<'_>, eco: &str) -> Artifact {
    let workdir = last_workdir(stage);
    let mut notes = Vec::new();
    let app_dir = workdir.clone().or_else(|| last_context_copy_dest(stage));
    match eco {
        "go" => {
            for ins in stage.body.iter().rev().filter(|i| i.keyword == Keyword::Run) {
                let words: Vec<&str> = ins.original.split_whitespace().collect();
                if let Some(pos) = words.iter().position(|w| *w == "-o") {
                    if let Some(out) = words.get(pos + 1) {
                        let out = out.trim_matches(|c| c == '"' || c == '\'' || c == ';' || c == '&');
                        let path = if out.starts_with('/') {
                            out.to_string()
                        } else {
                            format!(
                                "{}/{}",
                                workdir.clone().unwrap_or_default().trim_end_matches('/'),
                                out.trim_start_matches("./")
                            )
                        };
                        return Artifact { paths: vec![path], notes };
                    }
                }
            }
            notes.push("No `go build -o <path>` was found: the rewrite copies the working directory; copy only the binary instead.".into());
            Artifact { paths: vec![app_dir.unwrap_or_else(|| "/go/bin".into())], notes }
        }
        "java" => {
            let runs: String =
                stage.body.iter().filter(|i| i.keyword == Keyword::Run).map(|i| i.original.as_str()).collect();
            let dir = app_dir.unwrap_or_else(|| "/".into());
            let base = dir.trim_end_matches('/');
            if runs.contains("mvn") {
                Artifact { paths: vec![format!("{base}/target")], notes }
            } else if runs.contains("gradle") {
                Artifact { paths: vec![format!("{base}/build/libs")], notes }
            } else {
                Artifact { paths: vec![dir], notes }
            }
        }
        _ => {
            let dir = match app_dir {
                Some(d) if d != "/" => d,
                _ => {
                    notes.push("The build stage has no WORKDIR: the rewrite copies /app; set a WORKDIR so only the application is copied.".into());
                    "/app".into()
                }
            };
            let mut paths = vec![dir];
            if eco == "python" {
                paths.insert(0, "/usr/local".into());
            }
            Artifact { paths, notes }
        }
    }
}

/// The three final-stage bases for an ecosystem and version line.
struct Targets {
    slim: String,
    distroless: Option<String>,
    alpine: String,
}

fn targets(catalog: &Catalog, eco: &str, base: &str, line: Option<&str>) -> Targets {
    let (repo, tag) = split_tag(base);
    let variant_of = |suffix: &str| -> String {
        if tag.contains("alpine") || tag.contains("slim") {
            if suffix == "alpine" && !tag.contains("alpine") {
                return format!("{repo}:{}-alpine", line.unwrap_or("latest"));
            }
            return base.to_string();
        }
        // Official images name their variants after the version line (`python:3.12-slim`), not after a longer tag
        // (`python:3.12-bookworm` has no `-bookworm-slim`), so the line wins when the tag starts with one.
        match line {
            Some(line) => format!("{repo}:{line}-{suffix}"),
            None if tag == "latest" => format!("{repo}:{suffix}"),
            None => format!("{repo}:{tag}-{suffix}"),
        }
    };
    match eco {
        "node" => {
            let major = line.map(|l| l.split('.').next().unwrap_or(l).to_string());
            let exact = major.as_ref().map(|m| format!("gcr.io/distroless/nodejs{m}-debian13:latest"));
            let distroless = match exact {
                Some(d) if catalog.get(&d).is_some() => Some(d),
                _ => catalog.images.iter().find(|r| r.variant == "distroless-nodejs").map(|r| r.image.clone()),
            };
            Targets { slim: variant_of("slim"), distroless, alpine: variant_of("alpine") }
        }
        "python" => Targets {
            slim: variant_of("slim"),
            distroless: Some("gcr.io/distroless/python3-debian13:latest".into()),
            alpine: variant_of("alpine"),
        },
        "java" => {
            let major = line.unwrap_or("21");
            let distroless = format!("gcr.io/distroless/java{major}-debian13:latest");
            Targets {
                slim: format!("eclipse-temurin:{major}-jre"),
                distroless: catalog.get(&distroless).map(|r| r.image.clone()),
                alpine: format!("eclipse-temurin:{major}-jre-alpine"),
            }
        }
        _ => Targets {
            slim: "scratch".into(),
            distroless: Some("gcr.io/distroless/static-debian13:latest".into()),
            alpine: "alpine:3.24".into(),
        },
    }
}

/// Builds the advice for `text` (and the built image, when given) with the built-in catalog.
pub fn advise(catalog: &Catalog, text: &str, image: Option<&ImageView>) -> DockerfileAdvice {
    advise_with(catalog, text, image, &[])
}

/// [`advise`] with build arguments (`--build-arg K=V`) overriding the defaults of ARGs declared before FROM.
pub fn advise_with(
    catalog: &Catalog,
    text: &str,
    image: Option<&ImageView>,
    build_args: &[(String, String)],
) -> DockerfileAdvice {
    let parsed = parse(text);
    let mut problems: Vec<String> = parsed
        .problems
        .iter()
        .filter(|p| p.severity == crate::dockerfile::Severity::Error)
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect();
    let df = &parsed.syntax;
    let all = stages(df, df.escape, build_args);
    let infos: Vec<StageInfo> = all.iter().map(|s| s.info.clone()).collect();
    let Some(last) = all.last() else {
        problems.push("The Dockerfile has no FROM instruction, so no base image is known.".into());
        return DockerfileAdvice {
            stages: infos,
            ecosystem: None,
            estimate: SizeEstimate {
                base: String::new(),
                catalog_row: None,
                base_uncompressed_bytes: None,
                base_compressed_bytes: None,
                unknown: Vec::new(),
            },
            rewrites: Vec::new(),
            instruction_costs: Vec::new(),
            problems,
        };
    };
    let eco = ecosystem(last).or_else(|| all.iter().rev().find_map(ecosystem));
    let estimate = estimate(catalog, last);
    let mut rewrites = Vec::new();
    match (eco, parsed.has_errors()) {
        (_, true) => problems.push("The Dockerfile has parse errors, so no rewrite is offered.".into()),
        (None, false) => problems.push(
            "The ecosystem (Node.js, Python, Go, Java) could not be recognised, so no rewrite is offered.".into(),
        ),
        (Some(eco), false) => {
            let build = all.iter().rev().find(|s| ecosystem(s) == Some(eco)).unwrap_or(last);
            match eligibility(&all, build, eco) {
                Err(reason) => problems.push(reason),
                Ok(()) => rewrites = plan_rewrites(catalog, text, &all, build, eco),
            }
        }
    }
    for r in &mut rewrites {
        let mut scope = pre_from_args(df);
        scope.extend(build_args.iter().cloned());
        let resolved =
            expand_word(&r.final_base, &scope as &dyn Env, df.escape).unwrap_or_else(|_| r.final_base.clone());
        if let Some(row) = catalog.get(&resolved) {
            r.final_base_uncompressed_bytes = row.uncompressed_bytes;
            r.final_base_compressed_bytes = row.compressed_bytes;
        } else if resolved == "scratch" {
            r.final_base_uncompressed_bytes = Some(0);
            r.final_base_compressed_bytes = Some(0);
        } else {
            r.notes.push(format!("{resolved} is not in the base-image catalog, so its size is unknown here."));
        }
    }
    let instruction_costs = image.map(|view| instruction_costs(last, view)).unwrap_or_default();
    DockerfileAdvice {
        stages: infos,
        ecosystem: eco.map(str::to_string),
        estimate,
        rewrites,
        instruction_costs,
        problems,
    }
}

/// The official images that ship each ecosystem's runtime.
fn official_repos(eco: &str) -> &'static [&'static str] {
    match eco {
        "node" => &["node"],
        "python" => &["python"],
        "go" => &["golang"],
        _ => &["eclipse-temurin", "openjdk", "maven", "gradle", "amazoncorretto"],
    }
}

fn repo_name(base: &str) -> &str {
    let (repo, _) = split_tag(base);
    repo.rsplit('/').next().unwrap_or(repo)
}

/// Whether the rewrites apply: not for Windows images, not when the runtime comes from OS packages on
/// another base, and (for multi-stage files) only when the final stage runs the ecosystem's runtime.
fn eligibility(all: &[Stage<'_>], build: &Stage<'_>, eco: &str) -> std::result::Result<(), String> {
    let windows = |b: &str| b.contains("windows") || b.contains("nanoserver");
    if all.iter().any(|s| windows(&s.info.base_resolved)) {
        return Err("Windows images are not covered by the rewrites.".into());
    }
    let Some(last) = all.last() else { return Err("The Dockerfile has no FROM instruction.".into()) };
    if all.len() == 1 {
        let repo = repo_name(&build.info.base_resolved);
        if eco != "go" && !official_repos(eco).contains(&repo) {
            return Err(format!(
                "The {eco} runtime is installed on {} rather than taken from an official {eco} image, so no rewrite is offered.",
                build.info.base_resolved
            ));
        }
        return Ok(());
    }
    let final_base = last.info.base_resolved.as_str();
    if all.iter().any(|s| s.info.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(final_base))) {
        return Err(format!("The final stage starts from the earlier stage `{final_base}`; no rewrite is offered."));
    }
    let repo = repo_name(final_base);
    let runs_runtime = official_repos(eco).contains(&repo)
        || (eco == "go" && ["alpine", "debian", "ubuntu", "busybox"].contains(&repo));
    if !runs_runtime {
        return Err(format!(
            "The Dockerfile is already multi-stage and its final stage runs {final_base}, not the {eco} runtime; no rewrite is offered."
        ));
    }
    Ok(())
}

/// The rewrites for each step of the path, without duplicates or no-ops.
fn plan_rewrites(catalog: &Catalog, text: &str, all: &[Stage<'_>], build: &Stage<'_>, eco: &str) -> Vec<Rewrite> {
    let last = all.last().unwrap_or(build);
    let source = if all.len() == 1 { build } else { last };
    let line = version_line(&source.info.base_resolved, eco);
    let t = targets(catalog, eco, &source.info.base_resolved, line.as_deref());
    let plan = Plan { text, stages: all, eco, build, catalog };
    let mut rewrites = Vec::new();
    let slim = derive_written(&source.info.base, &t.slim);
    if all.len() == 1 {
        rewrites.push(plan.multi_stage("multi-stage", &slim));
    }
    if let Some(d) = &t.distroless {
        let mut rw = plan.multi_stage("distroless", d);
        let wanted = line.as_deref().map(|l| l.split('.').next().unwrap_or(l).to_string());
        if let (Some(wanted), "node" | "java") = (&wanted, eco) {
            if !d.contains(&format!("{}{wanted}-", if eco == "node" { "nodejs" } else { "java" })) {
                rw.notes.push(format!(
                    "The catalog has no distroless image for {eco} {wanted}: this rewrite moves to the runtime version in {d}; test the application on it."
                ));
            }
        }
        rewrites.push(rw);
    }
    let alpine = derive_written(&source.info.base, &t.alpine);
    let already_alpine = source.info.base_resolved.contains("alpine");
    if !(already_alpine && (all.len() > 1 || alpine == slim)) {
        rewrites.push(plan.multi_stage("alpine", &alpine));
    }
    rewrites.retain(|r| r.diff.lines().count() > 0);
    rewrites
}

/// Keeps the user's spelling of the base (e.g. `node:${NODE_VERSION}`) when deriving a variant of it.
fn derive_written(written: &str, derived_resolved: &str) -> String {
    let (w_repo, _) = split_tag(written);
    let (d_repo, d_tag) = split_tag(derived_resolved);
    if w_repo != d_repo || !written.contains('$') {
        return derived_resolved.to_string();
    }
    let (_, w_tag) = split_tag(written);
    let suffix = d_tag.rsplit('-').next().unwrap_or(d_tag);
    format!("{w_repo}:{w_tag}-{suffix}")
}

fn pre_from_args(df: &Dockerfile) -> Vec<(String, String)> {
    let mut args = Vec::new();
    for ins in &df.instructions {
        match ins.keyword {
            Keyword::Arg => {
                for word in ins.arg_values() {
                    let (k, v) = word.split_once('=').unwrap_or((word, ""));
                    args.push((k.to_string(), v.trim_matches('"').to_string()));
                }
            }
            Keyword::From => break,
            _ => {}
        }
    }
    args
}

fn estimate(catalog: &Catalog, last: &Stage<'_>) -> SizeEstimate {
    let base = last.info.base_resolved.clone();
    let row = catalog.get(&base);
    let mut unknown = Vec::new();
    for ins in &last.body {
        let what = match ins.keyword {
            Keyword::Run => "its output depends on what the command downloads and builds",
            Keyword::Copy if ins.flag("from").is_some() => "it copies files from another stage or image",
            Keyword::Copy | Keyword::Add => {
                "it copies files from the build context, which the Dockerfile does not show"
            }
            _ => continue,
        };
        unknown.push(format!("line {}: `{}` — {what}.", ins.start_line, shorten(&ins.original, 80)));
    }
    let (uncompressed, compressed) = match (row, base.as_str()) {
        (Some(r), _) => (r.uncompressed_bytes, r.compressed_bytes),
        (None, "scratch") => (Some(0), Some(0)),
        (None, _) => (None, None),
    };
    SizeEstimate {
        base,
        catalog_row: row.map(|r| r.image.clone()),
        base_uncompressed_bytes: uncompressed,
        base_compressed_bytes: compressed,
        unknown,
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

struct Plan<'a> {
    text: &'a str,
    stages: &'a [Stage<'a>],
    eco: &'a str,
    build: &'a Stage<'a>,
    catalog: &'a Catalog,
}

/// A text edit: replace `start..end` with `with`.
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for e in edits {
        if e.start < at || e.end > text.len() || !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end) {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.with);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

impl Plan<'_> {
    /// A rewrite whose final stage starts from `final_base`.
    fn multi_stage(&self, id: &str, final_base: &str) -> Rewrite {
        let mut notes = Vec::new();
        let mut edits = Vec::new();
        let distroless = final_base.contains("distroless");
        let is_alpine = id == "alpine";
        let single = self.stages.len() == 1;
        let build = self.build;
        let build_name = build.info.name.clone().unwrap_or_else(|| "build".to_string());
        let build_words = from_words(build.from);
        if single {
            if build.info.name.is_none() {
                if let Some(last_word) = build_words.last() {
                    edits.push(Edit { start: last_word.1, end: last_word.1, with: format!(" AS {build_name}") });
                }
            }
            if is_alpine && self.eco != "go" {
                // Native modules and wheels must be built against musl too: the build stage moves to alpine.
                if let Some((start, end)) = build_words.first().map(|w| (w.0, w.1)) {
                    let build_alpine =
                        if self.eco == "java" { jdk_alpine(&build.info.base) } else { final_base.to_string() };
                    if build_alpine != build.info.base {
                        edits.push(Edit { start, end, with: build_alpine.clone() });
                        notes.push(format!(
                            "The build stage moves to {build_alpine} too, so native modules are compiled against musl."
                        ));
                    }
                }
            }
            let mut tail = String::new();
            if !self.text.ends_with('\n') {
                tail.push('\n');
            }
            let runs: String =
                build.body.iter().filter(|i| i.keyword == Keyword::Run).map(|i| i.original.as_str()).collect();
            if self.eco == "node"
                && runs.contains("npm ")
                && !runs.contains("--omit=dev")
                && !runs.contains("--production")
            {
                tail.push_str(
                    "# layerlens: drop devDependencies before the application is copied to the final stage.\n",
                );
                tail.push_str("RUN npm prune --omit=dev\n");
            }
            if self.eco == "go" && !runs.contains("CGO_ENABLED=0") {
                notes.push(
                    "Build the binary with `CGO_ENABLED=0` so it is statically linked and runs without a libc.".into(),
                );
            }
            tail.push_str(&self.final_stage(id, final_base, &build_name, &mut notes));
            edits.push(Edit { start: self.text.len(), end: self.text.len(), with: tail });
        } else if let Some(last) = self.stages.last() {
            let words = from_words(last.from);
            if let Some((start, end)) = words.first().map(|w| (w.0, w.1)) {
                edits.push(Edit { start, end, with: final_base.to_string() });
            }
            if is_alpine && self.stages.len() > 1 {
                notes.push("Only the final stage moves to alpine: build stages that compile native modules must move to alpine too.".into());
            }
            if distroless {
                edits.extend(self.distroless_command_edits(last, final_base, &mut notes));
                if last.body.iter().any(|i| i.keyword == Keyword::Run) {
                    notes.push("The final stage has RUN instructions, which cannot run without a shell: move them to a build stage.".into());
                }
            }
        }
        let dockerfile = apply(self.text, edits);
        let reparsed = parse(&dockerfile);
        if reparsed.has_errors() {
            notes.push("The rewrite did not parse cleanly; check it by hand.".into());
        }
        self.tradeoff_notes(final_base, &mut notes);
        let diff = similar::TextDiff::from_lines(self.text, &dockerfile)
            .unified_diff()
            .context_radius(3)
            .header("Dockerfile", &format!("Dockerfile ({id})"))
            .to_string();
        let title = match id {
            "multi-stage" => format!("multi-stage build with a clean final stage on {final_base}"),
            "distroless" => format!("distroless final stage ({final_base})"),
            _ => format!("alpine final stage ({final_base})"),
        };
        Rewrite {
            id: id.to_string(),
            title,
            final_base: final_base.to_string(),
            final_base_uncompressed_bytes: None,
            final_base_compressed_bytes: None,
            dockerfile,
            diff,
            notes,
        }
    }

    fn tradeoff_notes(&self, final_base: &str, notes: &mut Vec<String>) {
        if final_base.contains("distroless") {
            notes.push("distroless has no shell and no package manager: `docker exec … sh` does not work; the `:debug` tag adds a busybox shell.".into());
        }
        if final_base.contains("alpine") {
            notes.push("alpine uses musl: prebuilt glibc binaries (native Node modules, gRPC, PhantomJS, manylinux wheels) break unless rebuilt on alpine.".into());
        }
        if final_base == "scratch" {
            notes.push(
                "scratch is empty: the binary must be static, and CA certificates or time zones must be copied in."
                    .into(),
            );
        }
        if let Some(row) = self.catalog.get(final_base) {
            if row.is_secondary() {
                notes.push("This base's facts come from secondary sources.".into());
            }
        }
    }

    fn final_stage(&self, id: &str, final_base: &str, build_name: &str, notes: &mut Vec<String>) -> String {
        let build = self.build;
        let distroless = final_base.contains("distroless");
        let art = artifact(build, self.eco);
        notes.extend(art.notes);
        let mut out = String::new();
        out.push('\n');
        out.push_str(&format!(
            "# layerlens ({id}): the final stage holds only what the application needs at run time.\n"
        ));
        out.push_str(&format!("FROM {final_base}\n"));
        if self.eco == "go" && final_base == "scratch" {
            out.push_str(&format!("COPY --from={build_name} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n"));
        }
        let workdir = last_workdir(build);
        if let Some(dir) = &workdir {
            out.push_str(&format!("WORKDIR {dir}\n"));
        }
        for path in &art.paths {
            if distroless && self.eco == "python" && path == "/usr/local" {
                let version = version_line(&build.info.base_resolved, "python").unwrap_or_else(|| "3".into());
                out.push_str(&format!(
                    "COPY --from={build_name} /usr/local/lib/python{version}/site-packages /usr/local/lib/python{version}/site-packages\n"
                ));
                out.push_str(&format!("ENV PYTHONPATH=/usr/local/lib/python{version}/site-packages\n"));
                notes.push(format!(
                    "distroless python3 runs Debian's Python 3.13; packages installed for Python {version} must match it (pure-Python packages usually do)."
                ));
                continue;
            }
            out.push_str(&format!("COPY --from={build_name} {path} {path}\n"));
        }
        for ins in build.body.iter().filter(|i| is_runtime_config(i.keyword)) {
            let text = ins.span.slice(self.text).trim_end();
            if distroless && ins.keyword == Keyword::User {
                if let Some(line) = distroless_user(ins) {
                    out.push_str(&line);
                    continue;
                }
            }
            if distroless && matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                if let Some(line) = self.distroless_command(ins, final_base, notes) {
                    out.push_str(&line);
                    continue;
                }
            }
            if distroless && ins.keyword == Keyword::Healthcheck && !ins.json {
                notes.push("The HEALTHCHECK uses shell form, which needs a shell: use exec form or drop it.".into());
            }
            out.push_str(text);
            out.push('\n');
        }
        if distroless && !build.body.iter().any(|i| i.keyword == Keyword::User) {
            out.push_str("USER nonroot\n");
        }
        out
    }

    /// Rewrites a CMD/ENTRYPOINT for a distroless runtime image whose ENTRYPOINT already runs the runtime.
    fn distroless_command(&self, ins: &Instruction, final_base: &str, notes: &mut Vec<String>) -> Option<String> {
        let words: Vec<String> = match &ins.args {
            Args::Json(words) => words.iter().map(|w| w.text.clone()).collect(),
            Args::Text(word) => {
                if word.text.contains(['&', '|', ';', '$', '>', '<', '`']) {
                    notes.push(format!(
                        "`{}` needs a shell, which distroless does not have: write it in exec form.",
                        shorten(&ins.original, 60)
                    ));
                    return None;
                }
                word.text.split_whitespace().map(str::to_string).collect()
            }
            _ => return None,
        };
        let runtime_words: &[&str] = if final_base.contains("nodejs") {
            &["node", "nodejs", "/usr/local/bin/node"]
        } else if final_base.contains("python") {
            &["python", "python3", "/usr/local/bin/python", "/usr/local/bin/python3"]
        } else if final_base.contains("java") {
            &["java"]
        } else {
            &[]
        };
        let mut rest = words.clone();
        let keyword = ins.keyword_word.text.clone();
        if rest.first().is_some_and(|w| runtime_words.contains(&w.as_str())) {
            rest.remove(0);
            if final_base.contains("java") && rest.first().is_some_and(|w| w == "-jar") {
                rest.remove(0);
            }
            let json = serde_json::to_string(&rest).ok()?;
            return Some(format!(
                "# layerlens: the distroless image's ENTRYPOINT already runs the runtime, so only its arguments remain.\nCMD {json}\n"
            ));
        }
        if rest.first().is_some_and(|w| w == "npm" || w == "yarn") {
            notes.push("distroless has no npm or yarn: replace `npm start` with the node script it runs (e.g. CMD [\"server.js\"]).".into());
        }
        if !ins.json {
            let json = serde_json::to_string(&words).ok()?;
            return Some(format!("# layerlens: exec form, because distroless has no shell.\n{keyword} {json}\n"));
        }
        None
    }

    fn distroless_command_edits(&self, stage: &Stage<'_>, final_base: &str, notes: &mut Vec<String>) -> Vec<Edit> {
        let mut edits = Vec::new();
        for ins in stage.body.iter().filter(|i| i.keyword == Keyword::User) {
            if let Some(line) = distroless_user(ins) {
                edits.push(Edit { start: ins.span.start, end: ins.span.end, with: line.trim_end().to_string() });
            }
        }
        for ins in stage.body.iter().filter(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint)) {
            if let Some(line) = self.distroless_command(ins, final_base, notes) {
                edits.push(Edit { start: ins.span.start, end: ins.span.end, with: line.trim_end().to_string() });
            }
        }
        edits
    }
}

/// A `USER` line for distroless when the user's named user does not exist there.
fn distroless_user(ins: &Instruction) -> Option<String> {
    let user = ins.arg_values().first().map(|s| s.to_string()).unwrap_or_default();
    let name = user.split(':').next().unwrap_or(&user);
    if name.parse::<u32>().is_ok() || name == "nonroot" || name == "root" {
        return None;
    }
    Some(format!("# layerlens: distroless has no user {name:?}; it provides `nonroot` (uid 65532).\nUSER nonroot\n"))
}

/// The JDK alpine variant of a Java build base (`maven:3.9-eclipse-temurin-21` → `…-21-alpine`).
fn jdk_alpine(base: &str) -> String {
    if base.contains("alpine") {
        base.to_string()
    } else {
        format!("{base}-alpine")
    }
}

/// The FROM instruction's words with their byte spans: (start, end, text).
fn from_words(from: &Instruction) -> Vec<(usize, usize, String)> {
    match &from.args {
        Args::List(words) => words.iter().map(|w| (w.span.start, w.span.end, w.text.clone())).collect(),
        _ => Vec::new(),
    }
}

/// Maps the final stage's instructions to the image's history entries, from the end backwards.
fn instruction_costs(last: &Stage<'_>, view: &ImageView) -> Vec<InstructionCost> {
    let history = &view.config.history;
    let layer_of: Vec<Option<usize>> = if view.config.history_layer.len() == history.len() {
        view.config.history_layer.clone()
    } else {
        // Without the config's empty_layer flags, entries that change the filesystem are assumed to make
        // the layers, in order from the top.
        let mut layer_of = Vec::with_capacity(history.len());
        let mut remaining = view.layers.len();
        for line in history.iter().rev() {
            if makes_layer(line) && remaining > 0 {
                remaining -= 1;
                layer_of.push(Some(remaining));
            } else {
                layer_of.push(None);
            }
        }
        layer_of.reverse();
        layer_of
    };
    let mut out = Vec::new();
    let mut pointer = history.len();
    for ins in last.body.iter().rev() {
        let keyword = ins.keyword.as_str();
        let found = (0..pointer).rev().take(8).find(|i| {
            history.get(*i).is_some_and(|h| history_keyword(&super::base_match::normalize_history(h)) == keyword)
        });
        let Some(index) = found else { continue };
        pointer = index;
        let layer = layer_of.get(index).copied().flatten();
        let bytes = layer.and_then(|l| view.layers.get(l)).map_or(0, |l| l.size);
        let shipped_hidden = view.hidden.iter().filter(|g| Some(g.shipped_in) == layer).map(|g| g.bytes).sum();
        let hides = view
            .hidden
            .iter()
            .filter(|g| Some(g.hidden_by) == layer && Some(g.shipped_in) != layer)
            .map(|g| g.bytes)
            .sum();
        let mut examples: Vec<&super::rootfs::HiddenFile> =
            view.hidden_files.iter().filter(|f| Some(f.hidden_by) == layer && Some(f.shipped_in) != layer).collect();
        examples.sort_by(|a, b| b.size.cmp(&a.size).then(a.path.cmp(&b.path)));
        let hides_examples = examples
            .iter()
            .take(5)
            .map(|f| {
                let how = if f.metadata_only { "re-shipped" } else { "hid" };
                format!("{how} /{} ({} B from layer {})", f.path, f.size, f.shipped_in)
            })
            .collect();
        out.push(InstructionCost {
            line: ins.start_line,
            instruction: shorten(&ins.original, 160),
            layer,
            bytes,
            shipped_hidden_bytes: shipped_hidden,
            hides_bytes: hides,
            hides: hides_examples,
        });
    }
    out.reverse();
    out
}

/// Whether a history line made a filesystem layer (RUN, COPY, ADD do; metadata instructions do not).
fn makes_layer(created_by: &str) -> bool {
    let line = super::base_match::normalize_history(created_by);
    matches!(history_keyword(&line), "RUN" | "COPY" | "ADD")
}

fn history_keyword(line: &str) -> &str {
    let first = line.split_whitespace().next().unwrap_or("");
    match first {
        "RUN" | "COPY" | "ADD" | "ENV" | "CMD" | "ENTRYPOINT" | "WORKDIR" | "USER" | "EXPOSE" | "LABEL" | "ARG"
        | "VOLUME" | "HEALTHCHECK" | "STOPSIGNAL" | "SHELL" | "ONBUILD" | "MAINTAINER" => first,
        // A legacy `/bin/sh -c cmd` entry normalises to `RUN cmd`; anything else is a RUN-like step.
        _ => "RUN",
    }
}

/// Build changes read from the Dockerfile's RUN and COPY lines: `--no-install-recommends`, cleaning package
/// lists and caches in the same RUN, cache mounts, production-only installs and `.dockerignore`. Their saving
/// is not known before a rebuild, so `bytes_saved` is `None`.
pub fn build_actions(text: &str) -> Vec<Action> {
    let parsed = parse(text);
    let mut out: Vec<Action> = Vec::new();
    let mut add = |id: &str, title: String, why: &str, how: &str| {
        if !out.iter().any(|a| a.id == id) {
            out.push(Action {
                id: id.into(),
                title,
                bytes_saved: None,
                compressed: false,
                why: why.into(),
                how: how.into(),
            });
        }
    };
    let mut deletes_in_own_run = Vec::new();
    for ins in &parsed.syntax.instructions {
        let line = ins.start_line;
        let cmd = match ins.keyword {
            Keyword::Run => ins.original.as_str(),
            Keyword::Copy | Keyword::Add => {
                let words = ins.arg_values();
                if ins.flag("from").is_none() && words.first().is_some_and(|w| *w == "." || *w == "./") {
                    add(
                        "dockerignore",
                        format!("line {line}: `COPY .` sends the whole build context — add a .dockerignore"),
                        "Everything in the context (.git, node_modules, local builds, .env files) lands in the image.",
                        "List `.git`, `node_modules`, build outputs and secrets in `.dockerignore`.",
                    );
                }
                continue;
            }
            _ => continue,
        };
        let cached = ins.flags_named("mount").any(|f| f.value.as_deref().is_some_and(|v| v.contains("type=cache")));
        if cmd.contains("apt-get install") || cmd.contains("apt install") {
            if !cmd.contains("--no-install-recommends") {
                add(
                    "no-install-recommends",
                    format!("line {line}: install apt packages with --no-install-recommends"),
                    "apt installs recommended packages by default, often doubling what an install adds.",
                    "`apt-get install -y --no-install-recommends …`.",
                );
            }
            if !cmd.contains("/var/lib/apt/lists") && !cached {
                add(
                    "apt-lists",
                    format!("line {line}: remove the apt lists in the same RUN"),
                    "The package lists from `apt-get update` stay in the layer unless removed in the same RUN.",
                    "End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `--mount=type=cache,target=/var/lib/apt/lists`.",
                );
            }
        }
        if cmd.contains("apk add") && !cmd.contains("--no-cache") && !cached {
            add(
                "apk-cache",
                format!("line {line}: use apk add --no-cache"),
                "Without --no-cache apk keeps its index in the layer.",
                "`apk add --no-cache …`.",
            );
        }
        if cmd.contains("pip install") && !cmd.contains("--no-cache-dir") && !cached {
            add(
                "pip-cache",
                format!("line {line}: pip install --no-cache-dir"),
                "pip keeps downloaded wheels in /root/.cache/pip.",
                "`pip install --no-cache-dir …` or `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.",
            );
        }
        if (cmd.contains("npm install") || cmd.contains("npm ci")) && !cached && !cmd.contains("cache clean") {
            add(
                "npm-cache",
                format!("line {line}: keep the npm cache out of the layer"),
                "npm keeps its download cache in /root/.npm.",
                "`RUN --mount=type=cache,target=/root/.npm npm ci`, or `npm ci && npm cache clean --force` in one RUN.",
            );
        }
        if cmd.contains("npm install") && !cmd.contains("--omit=dev") && !cmd.contains("--production") {
            add(
                "npm-production",
                format!("line {line}: install only production dependencies in the final image"),
                "devDependencies are needed to build and test, not to run.",
                "Use `npm ci --omit=dev` in the final stage (or `npm prune --omit=dev` after building).",
            );
        }
        let first = cmd.trim_start_matches("RUN").trim_start();
        if first.starts_with("rm ") || first.starts_with("rm -") {
            deletes_in_own_run.push(line);
        }
    }
    if let Some(line) = deletes_in_own_run.first() {
        add(
            "combine-runs",
            format!("line {line}: a RUN that only deletes files does not shrink the image"),
            "Deleted files stay in the layer that created them; the later layer only hides them.",
            "Delete files in the same RUN that creates them (`RUN download && build && rm -rf tmp`).",
        );
    }
    out
}
