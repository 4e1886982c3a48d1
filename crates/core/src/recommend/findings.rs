//! What is avoidable in an image, with bytes measured from the image itself, and dockle-style security
//! findings.

use super::detect::ImageFacts;
use super::rootfs::{ImageView, Node, NodeKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Whether a finding is about size or about security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Bytes that need not be in the image.
    Avoidable,
    /// Something that widens the attack surface or leaks secrets.
    Security,
}

/// How much a security finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed before production.
    Warn,
    /// A likely leak or privilege problem.
    High,
}

/// One finding: what, how many bytes (measured), where, why it matters and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable identifier, e.g. `apt-lists`, `toolchain`, `hidden-deleted`, `root-user`.
    pub id: String,
    /// Size or security.
    pub category: Category,
    /// Severity (size findings are `info`).
    pub severity: Severity,
    /// A one-line title.
    pub title: String,
    /// Bytes the fix would remove from the image, measured from this image (0 for most security findings).
    pub bytes: u64,
    /// Of `bytes`, how many are in the image's own layers (after the base).
    pub own_bytes: u64,
    /// Number of files concerned.
    pub files: u64,
    /// The layers holding the bytes.
    pub layers: Vec<usize>,
    /// `bytes` split by the layer holding them, as `[layer, bytes]` pairs in layer order (empty in older reports).
    #[serde(default)]
    pub layer_bytes: Vec<(usize, u64)>,
    /// Up to five example paths (largest first) or values.
    pub examples: Vec<String>,
    /// Why it matters, in one or two sentences.
    pub why: String,
    /// How to fix it, in one or two sentences (with a Dockerfile snippet where useful).
    pub how: String,
}

impl Finding {
    /// Whether the finding is a package-manager or build cache or a compiler toolchain: bytes the build needs
    /// but the running image does not (the layer chart's cache/toolchain category).
    pub fn is_cache_or_toolchain(&self) -> bool {
        matches!(self.id.as_str(), "apt-lists" | "apt-archives" | "toolchain" | "pycache")
            || self.id.ends_with("-cache")
    }
}

/// Most example paths kept per finding.
const EXAMPLES: usize = 5;

/// Collects matching files into one finding.
struct Collector {
    bytes: u64,
    own_bytes: u64,
    files: u64,
    layers: BTreeMap<usize, u64>,
    largest: Vec<(u64, String)>,
}

impl Collector {
    fn new() -> Self {
        Collector { bytes: 0, own_bytes: 0, files: 0, layers: BTreeMap::new(), largest: Vec::new() }
    }

    fn add(&mut self, path: &str, node: &Node, own_from: usize) {
        if node.kind != NodeKind::File {
            return;
        }
        self.bytes += node.size;
        if node.layer >= own_from {
            self.own_bytes += node.size;
        }
        self.files += 1;
        *self.layers.entry(node.layer).or_default() += node.size;
        self.largest.push((node.size, format!("/{path}")));
        if self.largest.len() > EXAMPLES * 4 {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.largest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.largest.truncate(EXAMPLES);
    }

    fn finish(mut self, id: &str, title: &str, why: &str, how: &str) -> Option<Finding> {
        if self.files == 0 {
            return None;
        }
        self.trim();
        Some(Finding {
            id: id.to_string(),
            category: Category::Avoidable,
            severity: Severity::Info,
            title: title.to_string(),
            bytes: self.bytes,
            own_bytes: self.own_bytes,
            files: self.files,
            layers: self.layers.keys().copied().collect(),
            layer_bytes: self.layers.into_iter().collect(),
            examples: self.largest.into_iter().map(|(size, p)| format!("{p} ({size} B)")).collect(),
            why: why.to_string(),
            how: how.to_string(),
        })
    }
}

/// A rule that selects files by path.
struct PathRule {
    id: &'static str,
    title: &'static str,
    why: &'static str,
    how: &'static str,
    matches: fn(&str) -> bool,
}

fn under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn has_component(path: &str, name: &str) -> bool {
    path.split('/').any(|c| c == name)
}

fn in_home_cache(path: &str, cache: &str) -> bool {
    let rest = path
        .strip_prefix("root/")
        .or_else(|| path.strip_prefix("home/").and_then(|r| r.split_once('/').map(|(_, r)| r)));
    rest.is_some_and(|r| r.starts_with(cache))
}

const PATH_RULES: &[PathRule] = &[
    PathRule {
        id: "apt-lists",
        title: "apt package lists left in the image",
        why: "`apt-get update` downloads the package indexes; they are only needed while installing.",
        how: "End the same RUN with `rm -rf /var/lib/apt/lists/*` (or use `--mount=type=cache,target=/var/lib/apt/lists`).",
        matches: |p| under(p, "var/lib/apt/lists"),
    },
    PathRule {
        id: "apt-archives",
        title: "downloaded .deb archives and apt caches",
        why: "apt keeps the downloaded packages and its binary caches after installing.",
        how: "Run `apt-get clean` in the same RUN as the install, or mount `/var/cache/apt` as a cache.",
        matches: |p| under(p, "var/cache/apt"),
    },
    PathRule {
        id: "apk-cache",
        title: "apk package cache",
        why: "apk keeps downloaded indexes and packages in /var/cache/apk when a cache is configured.",
        how: "Use `apk add --no-cache …`.",
        matches: |p| under(p, "var/cache/apk"),
    },
    PathRule {
        id: "yum-cache",
        title: "yum/dnf package cache",
        why: "yum and dnf keep metadata and packages after installing.",
        how: "End the install RUN with `dnf clean all && rm -rf /var/cache/dnf /var/cache/yum`.",
        matches: |p| under(p, "var/cache/yum") || under(p, "var/cache/dnf"),
    },
    PathRule {
        id: "npm-cache",
        title: "npm / yarn / pnpm cache",
        why: "The package manager's download cache is not needed at run time.",
        how: "Run `npm ci && npm cache clean --force` in one RUN, or use `RUN --mount=type=cache,target=/root/.npm npm ci`.",
        matches: |p| {
            in_home_cache(p, ".npm/")
                || in_home_cache(p, ".cache/yarn/")
                || under(p, "usr/local/share/.cache/yarn")
                || in_home_cache(p, ".local/share/pnpm/store/")
                || in_home_cache(p, ".cache/node-gyp/")
        },
    },
    PathRule {
        id: "pip-cache",
        title: "pip cache",
        why: "pip keeps downloaded wheels in its cache after installing.",
        how: "Use `pip install --no-cache-dir …` or `RUN --mount=type=cache,target=/root/.cache/pip`.",
        matches: |p| in_home_cache(p, ".cache/pip/") || in_home_cache(p, ".cache/pypoetry/") || in_home_cache(p, ".cache/uv/"),
    },
    PathRule {
        id: "go-cache",
        title: "Go build and module caches",
        why: "The Go build cache and module cache are only needed to compile.",
        how: "Build in a separate stage and copy only the binary, or use cache mounts for /root/.cache/go-build and /go/pkg/mod.",
        matches: |p| in_home_cache(p, ".cache/go-build/") || under(p, "go/pkg/mod") || in_home_cache(p, "go/pkg/mod/"),
    },
    PathRule {
        id: "jvm-build-cache",
        title: "Maven / Gradle caches",
        why: "Dependency downloads and build caches are only needed to build the application.",
        how: "Build in a separate stage and copy only the jar, or use `--mount=type=cache,target=/root/.m2`.",
        matches: |p| in_home_cache(p, ".m2/repository/") || in_home_cache(p, ".gradle/caches/") || in_home_cache(p, ".gradle/wrapper/"),
    },
    PathRule {
        id: "toolchain",
        title: "compilers, headers and build tools in the final image",
        why: "C/C++ compilers, headers, static libraries, node-gyp and git are needed to build, not to run.",
        how: "Use a multi-stage build: install build tools and compile in a `build` stage, then `COPY --from=build` only the result.",
        matches: |p| {
            under(p, "usr/include")
                || under(p, "usr/lib/gcc")
                || under(p, "usr/libexec/gcc")
                || under(p, "usr/lib/git-core")
                || under(p, "usr/local/lib/node_modules/npm/node_modules/node-gyp")
                || in_home_cache(p, ".node-gyp/")
                || (p.starts_with("usr/lib/") && p.ends_with(".a"))
                || p.strip_prefix("usr/bin/").is_some_and(|b| {
                    matches!(b, "make" | "git" | "cc" | "c++" | "cpp" | "ld" | "as" | "ld.bfd" | "ld.gold" | "gdb")
                        || b.starts_with("gcc")
                        || b.starts_with("g++")
                        || b.starts_with("x86_64-linux-gnu-gcc")
                        || b.starts_with("x86_64-linux-gnu-g++")
                        || b.starts_with("x86_64-linux-gnu-cpp")
                        || b.starts_with("clang")
                })
        },
    },
    PathRule {
        id: "docs",
        title: "documentation, man pages and info pages",
        why: "Nobody reads man pages inside a container.",
        how: "Remove them in the install RUN (`rm -rf /usr/share/doc /usr/share/man /usr/share/info`) or use a slim base.",
        matches: |p| under(p, "usr/share/doc") || under(p, "usr/share/man") || under(p, "usr/share/info") || under(p, "usr/share/gtk-doc"),
    },
    PathRule {
        id: "locales",
        title: "translations and locale data",
        why: "Message catalogues for many languages are rarely used by a service.",
        how: "Remove unused locales in the install RUN (`rm -rf /usr/share/locale/*`, keeping the ones you need).",
        matches: |p| under(p, "usr/share/locale") || under(p, "usr/share/i18n/locales"),
    },
    PathRule {
        id: "dependency-tests",
        title: "test folders inside installed dependencies",
        why: "Libraries often ship their own tests in node_modules and site-packages.",
        how: "Prune them in the install RUN (e.g. `find node_modules -type d -name test -prune -exec rm -rf {} +`).",
        matches: |p| {
            (has_component(p, "node_modules") || has_component(p, "site-packages") || has_component(p, "dist-packages"))
                && (has_component(p, "test") || has_component(p, "tests") || has_component(p, "__tests__"))
        },
    },
    PathRule {
        id: "git-dirs",
        title: ".git folders",
        why: "A `.git` folder holds the whole repository history and is never needed at run time.",
        how: "Add `.git` to `.dockerignore`.",
        matches: |p| has_component(p, ".git"),
    },
    PathRule {
        id: "pycache",
        title: "__pycache__ byte-code",
        why: "Byte-code caches are rebuilt on demand; shipping them trades image bytes for a faster first start.",
        how: "Set `ENV PYTHONDONTWRITEBYTECODE=1` before installing, or delete `__pycache__` folders in the same RUN.",
        matches: |p| has_component(p, "__pycache__"),
    },
];

/// Runs every avoidable-bytes and security rule. Layers below `own_from` belong to the base image.
pub fn find(view: &ImageView, facts: &ImageFacts, own_from: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut collectors: Vec<Collector> = PATH_RULES.iter().map(|_| Collector::new()).collect();
    for (path, node) in &view.files {
        for (rule, collector) in PATH_RULES.iter().zip(collectors.iter_mut()) {
            if (rule.matches)(path) {
                collector.add(path, node, own_from);
            }
        }
    }
    for (rule, collector) in PATH_RULES.iter().zip(collectors) {
        let mut how = rule.how.to_string();
        if rule.id == "toolchain" {
            let dev: Vec<&str> = facts
                .packages
                .packages
                .iter()
                .filter(|p| is_build_package(&p.name))
                .map(|p| p.name.as_str())
                .take(8)
                .collect();
            if !dev.is_empty() {
                how.push_str(&format!(" Build packages installed here: {}.", dev.join(", ")));
            }
        }
        out.extend(collector.finish(rule.id, rule.title, rule.why, &how));
    }
    out.extend(dev_dependencies(view, own_from));
    out.extend(hidden_findings(view, own_from));
    out.extend(duplicates(view, own_from));
    out.extend(security(view, facts));
    out
}

/// Whether a package name is a build-time package (compiler, headers, build tool).
pub fn is_build_package(name: &str) -> bool {
    name.ends_with("-dev")
        || name.ends_with("-devel")
        || name.starts_with("gcc")
        || name.starts_with("g++")
        || name.starts_with("cpp-")
        || name.starts_with("clang")
        || matches!(
            name,
            "make"
                | "build-essential"
                | "binutils"
                | "git"
                | "autoconf"
                | "automake"
                | "libtool"
                | "cmake"
                | "pkg-config"
                | "pkgconf"
                | "musl-dev"
                | "libc6-dev"
                | "linux-libc-dev"
                | "node-gyp"
        )
}

/// Direct devDependencies of captured package.json files that are installed in the sibling node_modules,
/// as one finding over every application folder.
fn dev_dependencies(view: &ImageView, own_from: usize) -> Option<Finding> {
    let mut collector = Collector::new();
    let mut installed: Vec<String> = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    for (path, node) in &view.files {
        if !(path == "package.json" || path.ends_with("/package.json")) || has_component(path, "node_modules") {
            continue;
        }
        let Some(bytes) = &node.content else { continue };
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(bytes) else { continue };
        let Some(dev) = json.get("devDependencies").and_then(|d| d.as_object()) else { continue };
        let dir = path.strip_suffix("package.json").unwrap_or("").trim_end_matches('/');
        let modules = if dir.is_empty() { "node_modules".to_string() } else { format!("{dir}/node_modules") };
        let mut any_here = false;
        for name in dev.keys() {
            let mut any = false;
            for (p, n) in view.under(&format!("{modules}/{name}")) {
                collector.add(p, n, own_from);
                any = true;
            }
            if any && !installed.contains(name) {
                installed.push(name.clone());
            }
            any_here |= any;
        }
        if any_here {
            folders.push(format!("/{modules}"));
        }
    }
    let shown: Vec<String> = installed.iter().take(8).cloned().collect();
    let title = match folders.as_slice() {
        [one] => format!("devDependencies installed in {one} (direct ones only; their own dependencies are not counted)"),
        many => format!(
            "devDependencies installed in {} node_modules folders (direct ones only; their own dependencies are not counted)",
            many.len()
        ),
    };
    let how = format!(
        "Install with `npm ci --omit=dev` (or `npm prune --omit=dev` in the same RUN) in the final stage. Installed dev dependencies: {}.",
        shown.join(", ")
    );
    collector.finish(
        "node-dev-dependencies",
        &title,
        "devDependencies are needed to build and test, not to run the application.",
        &how,
    )
}

fn hidden_findings(view: &ImageView, own_from: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    for metadata_only in [false, true] {
        let groups: Vec<_> = view.hidden.iter().filter(|g| g.metadata_only == metadata_only).collect();
        let files: u64 = groups.iter().map(|g| g.files).sum();
        if files == 0 {
            continue;
        }
        let mut examples: Vec<&super::rootfs::HiddenFile> =
            view.hidden_files.iter().filter(|f| f.metadata_only == metadata_only).collect();
        examples.sort_by(|a, b| b.size.cmp(&a.size).then(a.path.cmp(&b.path)));
        let layers: BTreeSet<usize> = groups.iter().map(|g| g.shipped_in).collect();
        let (id, title, why, how) = if metadata_only {
            (
                "metadata-only-copies",
                "files re-shipped only to change permissions or owner",
                "`RUN chmod`/`chown` on files from an earlier layer copies them whole into a new layer.",
                "Set permissions where the files are added: `COPY --chmod=755 --chown=app:app …`.",
            )
        } else {
            (
                "hidden-files",
                "files shipped in one layer and deleted or overwritten by a later one",
                "A later `rm` or overwrite does not shrink the image: the bytes stay in the layer that added them.",
                "Delete files in the same RUN that creates them, or build in a separate stage and copy only what is needed.",
            )
        };
        let pairs: Vec<String> = groups
            .iter()
            .take(3)
            .map(|g| format!("layer {} ships {} B hidden by layer {}", g.shipped_in, g.bytes, g.hidden_by))
            .collect();
        out.push(Finding {
            id: id.into(),
            category: Category::Avoidable,
            severity: Severity::Info,
            title: title.into(),
            bytes: groups.iter().map(|g| g.bytes).sum(),
            own_bytes: groups
                .iter()
                .filter(|g| g.shipped_in >= own_from || g.hidden_by >= own_from)
                .map(|g| g.bytes)
                .sum(),
            files,
            layers: layers.into_iter().collect(),
            layer_bytes: groups
                .iter()
                .fold(BTreeMap::<usize, u64>::new(), |mut m, g| {
                    *m.entry(g.shipped_in).or_default() += g.bytes;
                    m
                })
                .into_iter()
                .collect(),
            examples: examples
                .iter()
                .take(EXAMPLES)
                .map(|f| format!("/{} ({} B, layer {})", f.path, f.size, f.shipped_in))
                .chain(pairs)
                .collect(),
            why: why.into(),
            how: how.into(),
        });
    }
    out
}

fn duplicates(view: &ImageView, own_from: usize) -> Option<Finding> {
    let mut collector = Collector::new();
    for set in &view.duplicates {
        for path in set.paths.iter().skip(1) {
            let clean = path.trim_start_matches('/');
            let layer = view.node(clean).map_or(0, |n| n.layer);
            collector.add(clean, &Node::file(set.size, layer), own_from);
        }
    }
    if let Some(total) = view.duplicate_saving_bytes {
        collector.bytes = collector.bytes.max(total);
    }
    collector.finish(
        "duplicate-content",
        "identical content stored at several paths",
        "Each copy is stored and shipped in full.",
        "Copy the file once and use a symlink, or avoid copying the same tree twice (e.g. `COPY . .` after copying node_modules).",
    )
}

const SECRET_WORDS: [&str; 10] =
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH"];

fn mask(value: &str) -> String {
    let shown: String = value.chars().take(2).collect();
    format!("{shown}***")
}

fn secret_assignments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c| c == '"' || c == '\'' || c == ';');
        let Some((name, value)) = word.split_once('=') else { continue };
        let upper = name.trim_start_matches("--").to_ascii_uppercase();
        let looks_secret =
            SECRET_WORDS.iter().any(|w| upper.contains(w)) && !upper.ends_with("_FILE") && !upper.ends_with("_PATH");
        if looks_secret && !value.is_empty() && !value.starts_with('$') {
            out.push(format!("{name}={}", mask(value)));
        }
    }
    out
}

fn security_finding(
    id: &str,
    severity: Severity,
    title: String,
    examples: Vec<String>,
    why: &str,
    how: &str,
) -> Finding {
    Finding {
        id: id.to_string(),
        category: Category::Security,
        severity,
        title,
        bytes: 0,
        own_bytes: 0,
        files: examples.len() as u64,
        layers: Vec::new(),
        layer_bytes: Vec::new(),
        examples: examples.into_iter().take(EXAMPLES).collect(),
        why: why.to_string(),
        how: how.to_string(),
    }
}

fn is_key_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let cert_dir =
        ["etc/ssl/", "usr/share/ca-certificates/", "usr/lib/ssl/", "etc/pki/", "usr/local/share/ca-certificates/"]
            .iter()
            .any(|d| path.starts_with(d));
    if cert_dir || has_component(path, "node_modules") || has_component(path, "site-packages") {
        return false;
    }
    matches!(
        file,
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | ".env" | ".npmrc" | ".pypirc" | ".netrc" | ".git-credentials"
    ) || file.starts_with(".env.")
        || file.ends_with(".key")
        || file.ends_with(".p12")
        || file.ends_with(".pfx")
        || (file.ends_with(".pem") && !file.contains("cert") && !file.contains("chain"))
        || path.ends_with(".aws/credentials")
        || path.ends_with(".docker/config.json")
}

fn security(view: &ImageView, facts: &ImageFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    let user = view.config.user.trim();
    if view.config.known
        && (user.is_empty() || user == "0" || user == "root" || user.starts_with("0:") || user.starts_with("root:"))
    {
        let title = if user.is_empty() {
            "runs as root (no USER set)".to_string()
        } else {
            format!("runs as root (USER {user})")
        };
        out.push(security_finding(
            "root-user",
            Severity::Warn,
            title,
            Vec::new(),
            "A process running as root inside the container has more power if it is compromised.",
            "Add a user and switch to it: `RUN useradd -r -u 10001 app` then `USER 10001` (distroless: use the `:nonroot` tag).",
        ));
    }
    let mut setid = Vec::new();
    let mut writable = Vec::new();
    let mut keys = Vec::new();
    for (path, node) in &view.files {
        if node.kind == NodeKind::File && node.mode & 0o6000 != 0 {
            let bit = if node.mode & 0o4000 != 0 { "setuid" } else { "setgid" };
            setid.push(format!("/{path} ({bit}, {:o})", node.mode & 0o7777));
        }
        let sticky = node.mode & 0o1000 != 0;
        if matches!(node.kind, NodeKind::File | NodeKind::Dir) && node.mode & 0o002 != 0 && !sticky {
            writable.push(format!("/{path} ({:o})", node.mode & 0o7777));
        }
        if node.kind == NodeKind::File && is_key_file(path) {
            keys.push(format!("/{path}"));
        }
    }
    if !setid.is_empty() {
        out.push(security_finding(
            "setuid-setgid",
            Severity::Info,
            format!("{} setuid/setgid files", setid.len()),
            setid,
            "setuid and setgid programs are the usual way up to root from an unprivileged shell.",
            "Remove the bits where they are not needed: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`.",
        ));
    }
    if !writable.is_empty() {
        out.push(security_finding(
            "world-writable",
            Severity::Warn,
            format!("{} world-writable files or folders without the sticky bit", writable.len()),
            writable,
            "Any user in the container can change these files.",
            "Tighten the mode where the files are added (`COPY --chmod=644`) or with `chmod o-w`.",
        ));
    }
    if !keys.is_empty() {
        out.push(security_finding(
            "secret-files",
            Severity::High,
            format!("{} files that look like private keys or credentials", keys.len()),
            keys,
            "Anyone who can pull the image can read these files, even if a later layer deletes them.",
            "Keep them out with `.dockerignore`; pass build secrets with `RUN --mount=type=secret` and runtime secrets at run time.",
        ));
    }
    let mut secrets: Vec<String> =
        view.config.env.iter().flat_map(|e| secret_assignments(e)).map(|s| format!("ENV {s}")).collect();
    for line in &view.config.history {
        secrets.extend(secret_assignments(line).into_iter().map(|s| format!("history: {s}")));
    }
    secrets.dedup();
    if !secrets.is_empty() {
        out.push(security_finding(
            "secrets-in-config",
            Severity::High,
            format!("{} secret-looking values in ENV or build history", secrets.len()),
            secrets,
            "ENV values and build arguments used by RUN are stored in the image config for anyone to read.",
            "Use `RUN --mount=type=secret,id=…` for build secrets and inject runtime secrets when the container starts.",
        ));
    }
    if !facts.shells.is_empty() && !facts.package_managers.is_empty() {
        out.push(security_finding(
            "shell-and-package-manager",
            Severity::Info,
            format!(
                "a shell ({}) and a package manager ({}) are present",
                facts.shells.join(", "),
                facts.package_managers.join(", ")
            ),
            Vec::new(),
            "An attacker who gets code execution can use them to fetch and install tools.",
            "For production, use a distroless or scratch final stage; keep a `:debug` variant for troubleshooting.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_masked() {
        assert_eq!(secret_assignments("|1 NPM_TOKEN=abcdef /bin/sh -c npm ci"), ["NPM_TOKEN=ab***"]);
        assert!(secret_assignments("ENV PASSWORD_FILE=/run/secrets/pw").is_empty());
        assert!(secret_assignments("ENV API_KEY=$API_KEY").is_empty());
    }

    #[test]
    fn certificates_are_not_keys() {
        assert!(!is_key_file("etc/ssl/private/ssl-cert-snakeoil.key"));
        assert!(is_key_file("app/server.key"));
        assert!(is_key_file("app/.env"));
        assert!(!is_key_file("app/node_modules/x/test/fixture.pem"));
    }
}
