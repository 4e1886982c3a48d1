//! Size rules: bytes that end up in the final image although nothing needs them.
//!
//! All of them look only at stages whose layers are in the final image (the built stage and the
//! stages it is `FROM`), and a `RUN --mount=type=cache` (or a tmpfs or bind mount) over a cache makes its rule moot.

use crate::dockerfile::{Args, Instruction, Keyword, Span};
use crate::lint::context::{Context, Run, CACHE_ENV};
use crate::lint::paths::{basename, normalize, removal_covers, PathIndex};
use crate::lint::rule::{Category, Equivalent, RuleMeta, Severity};
use crate::lint::shell::pkg::{self, Action, Manager, PkgCommand};
use crate::lint::shell::{Command, OptSpec};
use crate::lint::{Dockerignore, Emitter};
use crate::recommend::Catalog;
use std::collections::HashMap;

/// LL1001.
pub(crate) const APT_LISTS: RuleMeta = RuleMeta {
    id: "LL1001",
    name: "apt-lists-left",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "apt package lists are left in the layer",
    explanation: "`apt-get update` downloads the package lists into /var/lib/apt/lists (typically 20-50 MB). \
        Unless the same RUN deletes them, they are stored in that layer of the final image for good; \
        deleting them in a later RUN hides them but does not make the image smaller.",
    fix: "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount the lists as a cache: \
        `RUN --mount=type=cache,target=/var/lib/apt/lists …`.",
    same_as: &[Equivalent::Hadolint("DL3009")],
};

/// LL1002.
pub(crate) const NO_RECOMMENDS: RuleMeta = RuleMeta {
    id: "LL1002",
    name: "apt-install-recommends",
    severity: Severity::Info,
    category: Category::Size,
    summary: "apt-get install pulls in recommended packages",
    explanation: "Without `--no-install-recommends`, apt also installs every package the requested ones merely \
        recommend: documentation, optional tools and libraries, often tens of megabytes the image never uses.",
    fix: "Add `--no-install-recommends` (and add back by name any recommended package you really need), or set \
        `APT::Install-Recommends \"false\";` in /etc/apt/apt.conf.d once.",
    same_as: &[Equivalent::Hadolint("DL3015")],
};

/// LL1003.
pub(crate) const APK_CACHE: RuleMeta = RuleMeta {
    id: "LL1003",
    name: "apk-cache-left",
    severity: Severity::Info,
    category: Category::Size,
    summary: "apk leaves its package index in the layer",
    explanation: "`apk add` and `apk update` without `--no-cache` store the package index (APKINDEX, a few MB) \
        under /var/cache/apk, where it stays in the layer.",
    fix: "Use `apk add --no-cache …` (it fetches the index to a temporary place and needs no `apk update`), or \
        remove /var/cache/apk/* in the same RUN.",
    same_as: &[Equivalent::Hadolint("DL3019")],
};

/// LL1004.
pub(crate) const RPM_CACHE: RuleMeta = RuleMeta {
    id: "LL1004",
    name: "rpm-cache-left",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "dnf/yum/zypper metadata and packages are left in the layer",
    explanation: "dnf, yum and zypper keep repository metadata and downloaded packages under /var/cache \
        (often 50-200 MB). Unless the same RUN cleans it, it stays in the layer.",
    fix: "End the same RUN with `&& dnf clean all` (`yum clean all`, `zypper clean -a`), or mount the cache: \
        `RUN --mount=type=cache,target=/var/cache/dnf …`.",
    same_as: &[Equivalent::Hadolint("DL3032"), Equivalent::Hadolint("DL3036"), Equivalent::Hadolint("DL3040")],
};

/// LL1005.
pub(crate) const PIP_CACHE: RuleMeta = RuleMeta {
    id: "LL1005",
    name: "pip-cache-left",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "pip keeps its download and wheel cache in the layer",
    explanation: "pip caches every downloaded file and built wheel under ~/.cache/pip. In an image that cache is \
        never reused, but it stays in the layer, often as large as the installed packages themselves.",
    fix: "Use `pip install --no-cache-dir …`, set `ENV PIP_NO_CACHE_DIR=1`, or mount the cache: \
        `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.",
    same_as: &[Equivalent::Hadolint("DL3042")],
};

/// LL1006.
pub(crate) const NPM_CACHE: RuleMeta = RuleMeta {
    id: "LL1006",
    name: "npm-cache-left",
    severity: Severity::Info,
    category: Category::Size,
    summary: "npm keeps its package cache in the layer",
    explanation: "`npm install` and `npm ci` store every downloaded tarball in ~/.npm/_cacache, which stays in the \
        layer next to node_modules.",
    fix: "End the same RUN with `&& npm cache clean --force`, or mount the cache: \
        `RUN --mount=type=cache,target=/root/.npm npm ci`.",
    same_as: &[],
};

/// LL1007.
pub(crate) const YARN_CACHE: RuleMeta = RuleMeta {
    id: "LL1007",
    name: "yarn-cache-left",
    severity: Severity::Info,
    category: Category::Size,
    summary: "yarn keeps its package cache in the layer",
    explanation: "`yarn install` stores every package in its global cache (/usr/local/share/.cache/yarn), which \
        stays in the layer next to node_modules.",
    fix: "End the same RUN with `&& yarn cache clean`, or mount the cache: \
        `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install`.",
    same_as: &[Equivalent::Hadolint("DL3060")],
};

/// LL1008.
pub(crate) const BUILD_CACHE: RuleMeta = RuleMeta {
    id: "LL1008",
    name: "build-cache-left",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "a Go, Cargo or RubyGems build cache is left in the final image",
    explanation: "`go build` keeps the build cache (~/.cache/go-build) and module cache (/go/pkg/mod), `cargo` the \
        registry and git checkouts (~/.cargo/registry), gem/bundler the downloaded .gem files. These are hundreds \
        of megabytes that only the build needs.",
    fix: "Build in a separate stage and copy only the result into the final stage, or mount the caches: \
        `RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod go build …`.",
    same_as: &[],
};

/// LL1009.
pub(crate) const UPDATE_ALONE: RuleMeta = RuleMeta {
    id: "LL1009",
    name: "apt-update-separate",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "the package index is refreshed in a different RUN than the install",
    explanation: "When `apt-get update` (or `apk update`) runs in its own RUN, the build cache can reuse that old \
        layer while the install line changes, so installs fail or get stale versions; and the index it downloads \
        stays in that layer even if a later RUN removes it.",
    fix: "Update, install and clean up in one RUN: `RUN apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`.",
    same_as: &[],
};

/// LL1010.
pub(crate) const DELETED_LATER: RuleMeta = RuleMeta {
    id: "LL1010",
    name: "deleted-in-later-layer",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "files or packages are removed in a later RUN than the one that added them",
    explanation: "Every instruction adds a layer on top of the previous ones. Removing a file (or uninstalling a \
        package) in a later RUN only hides it: its bytes are still stored in the earlier layer and still \
        downloaded with the image.",
    fix: "Remove it in the same RUN that creates it, or create it in a build stage and copy only what the final \
        image needs; for build context files, exclude them with .dockerignore or copy only what is needed.",
    same_as: &[],
};

/// LL1011.
pub(crate) const CHMOD_AFTER_COPY: RuleMeta = RuleMeta {
    id: "LL1011",
    name: "chmod-after-copy",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "files are copied, then chmod/chown-ed in a later RUN",
    explanation: "Changing the owner or mode of a file rewrites it into the new layer: the image then holds two \
        full copies of everything the chmod/chown touches, the original from COPY and the changed one.",
    fix: "Set ownership and mode while copying: `COPY --chown=user:group --chmod=755 src dest`.",
    same_as: &[],
};

/// LL1012.
pub(crate) const TOOLCHAIN: RuleMeta = RuleMeta {
    id: "LL1012",
    name: "toolchain-in-final-image",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "a build toolchain is installed into the final image",
    explanation: "Compilers, make, -dev header packages, node-gyp and git are needed to build software, not to run \
        it. Installed into a stage that is part of the final image (and not removed in the same RUN), they often \
        add hundreds of megabytes and a larger attack surface.",
    fix: "Use a multi-stage build: install the toolchain and build in a `builder` stage, then `COPY --from=builder` \
        only the artifacts into a slim final stage. If it must stay in one stage, remove the toolchain in the same \
        RUN (`apk add --virtual .build-deps … && … && apk del .build-deps`).",
    same_as: &[],
};

/// LL1013.
pub(crate) const REMOTE_ARCHIVE: RuleMeta = RuleMeta {
    id: "LL1013",
    name: "add-remote-archive",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "ADD downloads an archive that stays in the image unextracted",
    explanation: "ADD does not extract archives fetched from a URL: the compressed file is stored in the layer, and \
        extracting it in a later RUN stores the contents a second time while the archive's bytes remain.",
    fix: "Download and extract in one RUN and delete the archive there (`curl -fsSL URL | tar -xz -C /opt`), or do it \
        in a build stage and copy out the result.",
    same_as: &[],
};

/// LL1014.
pub(crate) const COPY_CONTEXT: RuleMeta = RuleMeta {
    id: "LL1014",
    name: "copy-whole-context",
    severity: Severity::Info,
    category: Category::Size,
    summary: "the whole build context is copied into the final image",
    explanation: "`COPY . …` copies everything in the build context that .dockerignore does not exclude: .git, \
        node_modules, local builds, test data and secrets such as .env files end up in the image.",
    fix: "Add a .dockerignore (at least .git, build output and dependency folders), or copy only what is needed.",
    same_as: &[],
};

/// LL1015.
pub(crate) const FULL_BASE: RuleMeta = RuleMeta {
    id: "LL1015",
    name: "full-base-image",
    severity: Severity::Info,
    category: Category::Size,
    summary: "the final image is based on a full image where a slim variant exists",
    explanation: "The default tags of images such as python, node, ruby and debian carry compilers, headers and tools \
        for building. Their -slim variants have the same runtime for a fraction of the size.",
    fix: "Use the -slim tag for the final stage (build in a full-image stage if you need the toolchain).",
    same_as: &[],
};

/// LL1016.
pub(crate) const UNTAGGED: RuleMeta = RuleMeta {
    id: "LL1016",
    name: "base-image-untagged",
    severity: Severity::Warning,
    category: Category::Maintainability,
    summary: "the base image has no tag",
    explanation: "Without a tag, FROM uses `latest`: the image changes under you (size included) whenever the \
        publisher pushes, and builds are not reproducible.",
    fix: "Name a version tag, e.g. `FROM python:3.13-slim`, or pin a digest.",
    same_as: &[Equivalent::Hadolint("DL3006")],
};

/// LL1017.
pub(crate) const LATEST: RuleMeta = RuleMeta {
    id: "LL1017",
    name: "base-image-latest",
    severity: Severity::Warning,
    category: Category::Maintainability,
    summary: "the base image uses the latest tag",
    explanation: "`latest` moves whenever the publisher pushes: the image changes (size included) from one build to \
        the next, and builds are not reproducible.",
    fix: "Name a version tag, e.g. `FROM alpine:3.22`, or pin a digest.",
    same_as: &[Equivalent::Hadolint("DL3007")],
};

/// LL1018.
pub(crate) const USERADD: RuleMeta = RuleMeta {
    id: "LL1018",
    name: "useradd-lastlog",
    severity: Severity::Warning,
    category: Category::Size,
    summary: "useradd with a high UID and without -l writes a huge lastlog file",
    explanation: "useradd reserves a record for every UID up to the new one in /var/log/lastlog and faillog. The file \
        is sparse on disk, but image layers store it in full: about 292 bytes per UID, so UID 100000 adds ~29 MB.",
    fix: "Add `-l` (`--no-log-init`) to useradd.",
    same_as: &[Equivalent::Hadolint("DL3046")],
};

/// The rules of this family.
pub(crate) const RULES: &[&RuleMeta] = &[
    &APT_LISTS,
    &NO_RECOMMENDS,
    &APK_CACHE,
    &RPM_CACHE,
    &PIP_CACHE,
    &NPM_CACHE,
    &YARN_CACHE,
    &BUILD_CACHE,
    &UPDATE_ALONE,
    &DELETED_LATER,
    &CHMOD_AFTER_COPY,
    &TOOLCHAIN,
    &REMOTE_ARCHIVE,
    &COPY_CONTEXT,
    &FULL_BASE,
    &UNTAGGED,
    &LATEST,
    &USERADD,
];

/// Runs the size rules.
pub(crate) fn check(cx: &Context<'_>, out: &mut Emitter) {
    for run in cx.runs.iter().filter(|r| cx.stages.get(r.stage).is_some_and(|s| s.in_final)) {
        check_caches(cx, run, out);
        check_toolchain(run, out);
        check_useradd(run, out);
    }
    check_base_images(cx, out);
    check_timeline(cx, out);
    check_copies(cx, out);
}

/// Words of a command converted into a span.
fn span_of(range: &std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

/// The package-manager commands of a RUN, with their index among its commands.
fn pkg_commands<'r>(run: &'r Run<'_>) -> impl Iterator<Item = (usize, &'r Command, PkgCommand<'r>)> + 'r {
    run.script.commands.iter().enumerate().filter_map(|(i, c)| pkg::recognise(c).map(|p| (i, c, p)))
}

/// The operands of `rm` commands after command index `after`, normalised against `workdir`.
fn removals_after(run: &Run<'_>, after: usize, workdir: &str) -> Vec<String> {
    run.script
        .commands
        .iter()
        .skip(after + 1)
        .filter(|c| c.is("rm"))
        .flat_map(|c| c.parse_args(OptSpec::default()).operands.into_iter().filter_map(|w| normalize(&w.text, workdir)))
        .collect()
}

/// Whether the RUN removes (after command `after`) or mounts over one of `paths`.
fn cleans(run: &Run<'_>, after: usize, paths: &[&str], workdir: &str) -> bool {
    // apt 2.7's `apt-get dist-clean` also removes the package lists.
    let dist_clean = paths.contains(&"/var/lib/apt/lists")
        && pkg_commands(run).any(|(i, _, p)| {
            i > after && p.manager == Manager::Apt && p.subcommand.is_some_and(|w| w.text == "dist-clean")
        });
    dist_clean
        || paths.iter().any(|p| run.mount_covers(p))
        || removals_after(run, after, workdir).iter().any(|r| paths.iter().any(|p| removal_covers(r, p)))
}

/// Whether the RUN runs a cleaning command of `manager` after command `after`.
fn runs_clean(run: &Run<'_>, after: usize, manager: Manager) -> bool {
    pkg_commands(run).any(|(i, c, p)| {
        i > after
            && p.manager == manager
            && p.action == Action::Clean
            && (manager != Manager::Go || c.args().iter().any(|a| a.text == "-cache" || a.text == "-modcache"))
    })
}

/// Whether `name` (one of [`CACHE_ENV`]) is set by ENV or ARG in the RUN's scope, or assigned inline.
fn env_set(cx: &Context<'_>, run: &Run<'_>, command: &Command, name: &str) -> bool {
    if command.assignments.iter().any(|(k, _)| k == name) {
        return true;
    }
    let bits = cx.facts(run.position).cache_env;
    CACHE_ENV.iter().position(|n| *n == name).is_some_and(|bit| bits & (1 << bit) != 0)
}

fn check_caches(cx: &Context<'_>, run: &Run<'_>, out: &mut Emitter) {
    let ins = run.instruction;
    let workdir = cx.workdir(run.position).to_string();
    let mut reported_lists = false;
    for (i, command, p) in pkg_commands(run) {
        let sub_span = p.subcommand.map_or(span_of(&command.program_range()), |w| span_of(&w.range));
        let whole = span_of(&command.range);
        match (p.manager, p.action) {
            (Manager::Apt, Action::Update) if !reported_lists && !cleans(run, i, &["/var/lib/apt/lists"], &workdir) => {
                reported_lists = true;
                out.emit(&APT_LISTS, ins, whole, format!(
                        "`{} update` leaves the package lists in this layer; delete /var/lib/apt/lists/* at the end of the same RUN",
                        p.tool
                    ));
            }
            (Manager::Apt, Action::Install)
                if p.subcommand.is_some_and(|w| w.text == "install")
                    && (!p.packages.is_empty() || p.has(Some('f'), &["fix-broken"]))
                    && !p.no_install_recommends()
                    && !cx.facts(run.position).recommends_off =>
            {
                out.emit(
                    &NO_RECOMMENDS,
                    ins,
                    sub_span,
                    format!(
                        "`{} install` without `--no-install-recommends` also installs recommended packages",
                        p.tool
                    ),
                );
            }
            (Manager::Apk, Action::Install | Action::Update) => {
                // `--no-network` installs from what is already there and fetches no index.
                let no_cache = p.has(None, &["no-cache", "no-network"]);
                if !no_cache
                    && !cleans(run, i, &["/var/cache/apk", "/etc/apk/cache"], &workdir)
                    && !runs_clean(run, i, Manager::Apk)
                {
                    out.emit(
                        &APK_CACHE,
                        ins,
                        sub_span,
                        format!(
                            "`apk {}` without `--no-cache` leaves the package index in /var/cache/apk",
                            p.subcommand.map_or("", |w| w.text.as_str())
                        ),
                    );
                }
            }
            (Manager::Dnf | Manager::Yum | Manager::Zypper, Action::Install) => {
                let (dirs, clean): (&[&str], &str) = match p.manager {
                    Manager::Zypper => (&["/var/cache/zypp"], "zypper clean -a"),
                    Manager::Yum => (&["/var/cache/yum"], "yum clean all"),
                    _ => (&["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"], "dnf clean all"),
                };
                let cleaned = cleans(run, i, dirs, &workdir)
                    || runs_clean(run, i, p.manager)
                    || (p.manager != Manager::Zypper
                        && (runs_clean(run, i, Manager::Dnf) || runs_clean(run, i, Manager::Yum)));
                if !cleaned {
                    out.emit(
                        &RPM_CACHE,
                        ins,
                        sub_span,
                        format!(
                            "`{} {}` leaves repository metadata and packages in {}; end the RUN with `{clean}`",
                            p.tool,
                            p.subcommand.map_or("", |w| w.text.as_str()),
                            dirs.first().copied().unwrap_or("/var/cache")
                        ),
                    );
                }
            }
            (Manager::Pip, Action::Install) if p.subcommand.is_some_and(|w| w.text == "install") => {
                let disabled = p.has(None, &["no-cache-dir"])
                    || env_set(cx, run, command, "PIP_NO_CACHE_DIR")
                    || cleans(run, i, &["/root/.cache/pip"], &workdir)
                    || runs_clean(run, i, Manager::Pip);
                if !disabled {
                    out.emit(
                        &PIP_CACHE,
                        ins,
                        sub_span,
                        "`pip install` without `--no-cache-dir` keeps its cache in ~/.cache/pip".to_string(),
                    );
                }
            }
            (Manager::Npm, Action::Install)
                if !cleans(run, i, &["/root/.npm"], &workdir)
                    && !runs_clean(run, i, Manager::Npm)
                    && !env_set(cx, run, command, "npm_config_cache") =>
            {
                out.emit(
                    &NPM_CACHE,
                    ins,
                    sub_span,
                    format!(
                        "`npm {}` keeps downloaded packages in ~/.npm; end the RUN with `npm cache clean --force`",
                        p.subcommand.map_or("", |w| w.text.as_str())
                    ),
                );
            }
            (Manager::Yarn, Action::Install) => {
                let dirs = ["/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/root/.yarn/berry/cache"];
                if !cleans(run, i, &dirs, &workdir)
                    && !runs_clean(run, i, Manager::Yarn)
                    && !env_set(cx, run, command, "YARN_CACHE_FOLDER")
                {
                    out.emit(
                        &YARN_CACHE,
                        ins,
                        sub_span,
                        "`yarn install` keeps downloaded packages in its cache; end the RUN with `yarn cache clean`"
                            .to_string(),
                    );
                }
            }
            (Manager::Go, Action::Install) => {
                let dirs = ["/root/.cache/go-build", "/go/pkg/mod"];
                if !dirs.iter().all(|d| cleans(run, i, &[d], &workdir)) && !runs_clean(run, i, Manager::Go) {
                    out.emit(&BUILD_CACHE, ins, sub_span, format!(
                        "`go {}` leaves the build and module caches (~/.cache/go-build, /go/pkg/mod) in the final image",
                        p.subcommand.map_or("", |w| w.text.as_str())
                    ));
                }
            }
            (Manager::Gem, Action::Install) if p.subcommand.is_some_and(|w| w.text == "install") => {
                let dirs =
                    ["/usr/local/bundle/cache", "/root/.gem", "/root/.local/share/gem", "/usr/local/lib/ruby/gems"];
                if !dirs.iter().any(|d| cleans(run, i, &[d], &workdir)) && !env_set(cx, run, command, "GEM_SPEC_CACHE")
                {
                    out.emit(
                        &BUILD_CACHE,
                        ins,
                        sub_span,
                        "`gem install` keeps the downloaded .gem archives in the gem cache directory".to_string(),
                    );
                }
            }
            (Manager::Cargo, Action::Install) => {
                let dirs = ["/usr/local/cargo/registry", "/root/.cargo/registry"];
                if !dirs.iter().any(|d| cleans(run, i, &[d], &workdir)) {
                    out.emit(
                        &BUILD_CACHE,
                        ins,
                        sub_span,
                        format!(
                            "`cargo {}` leaves the registry cache and build output in the final image",
                            p.subcommand.map_or("", |w| w.text.as_str())
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    for (i, command) in run.script.commands.iter().enumerate() {
        if command.is("bundle") && command.args().first().is_some_and(|w| w.text == "install") {
            let dirs = ["/usr/local/bundle/cache", "/root/.bundle/cache"];
            if !dirs.iter().any(|d| cleans(run, i, &[d], &workdir)) {
                out.emit(
                    &BUILD_CACHE,
                    ins,
                    span_of(&command.range),
                    "`bundle install` keeps the downloaded .gem files in /usr/local/bundle/cache".to_string(),
                );
            }
        }
    }
}

/// Package names that are build toolchains.
fn is_toolchain(name: &str) -> bool {
    let name = name.split(['=', '>', '<', '~']).next().unwrap_or(name);
    let name = name.split(':').next().unwrap_or(name);
    const EXACT: &[&str] = &[
        "gcc",
        "g++",
        "cc",
        "c++",
        "make",
        "cmake",
        "build-essential",
        "build-base",
        "clang",
        "llvm",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "pkgconfig",
        "git",
        "gcc-c++",
        "musl-dev",
        "linux-headers",
        "node-gyp",
        "golang",
        "rustc",
        "cargo",
        "bison",
        "flex",
        "ninja-build",
        "meson",
        "dpkg-dev",
        "libc-dev",
        "libc6-dev",
        "g++-multilib",
    ];
    EXACT.contains(&name)
        || name.ends_with("-dev")
        || name.ends_with("-devel")
        || name.starts_with("gcc-")
        || name.starts_with("g++-")
        || name.starts_with("clang-")
}

fn check_toolchain(run: &Run<'_>, out: &mut Emitter) {
    let commands: Vec<(usize, &Command, PkgCommand<'_>)> = pkg_commands(run).collect();
    // The docker-library idiom: `apt-mark auto '.*'` then `apt-get purge --auto-remove` removes all it installed.
    let purges_everything =
        run.script.commands.iter().any(|c| c.is("apt-mark") && c.args().first().is_some_and(|w| w.text == "auto"))
            && commands.iter().any(|(_, c, p)| {
                p.manager == Manager::Apt
                    && p.action == Action::Remove
                    && (p.has(None, &["auto-remove", "autoremove"])
                        || p.subcommand.is_some_and(|w| w.text == "autoremove"))
                    && c.args().iter().all(|a| a.text != "install")
            });
    for (i, _, p) in &commands {
        let installs = match p.manager {
            Manager::Apt | Manager::Apk | Manager::Dnf | Manager::Yum | Manager::Zypper => p.action == Action::Install,
            Manager::Npm => p.action == Action::Install && p.has(Some('g'), &["global"]),
            _ => false,
        };
        if !installs {
            continue;
        }
        let virtual_name: Option<&str> = p.parsed.values(Some('t'), &["virtual"]).next();
        let toolchain: Vec<&crate::lint::shell::Word> =
            p.packages.iter().copied().filter(|w| is_toolchain(&w.text)).collect();
        if toolchain.is_empty() || (purges_everything && p.manager == Manager::Apt) {
            continue;
        }
        let removed = |name: &str| {
            commands.iter().any(|(j, _, r)| {
                *j > *i
                    && r.action == Action::Remove
                    && r.packages
                        .iter()
                        .chain(r.parsed.operands.iter().skip(1))
                        .any(|w| w.text == name || virtual_name.is_some_and(|v| w.text == v))
            })
        };
        let left: Vec<&str> = toolchain.iter().map(|w| w.text.as_str()).filter(|n| !removed(n)).collect();
        let Some(first) = toolchain.iter().find(|w| left.contains(&w.text.as_str())) else { continue };
        out.emit(
            &TOOLCHAIN,
            run.instruction,
            span_of(&first.range),
            format!(
            "build toolchain installed into the final image: {}; build in a separate stage and copy only the result",
            left.join(", ")
        ),
        );
    }
}

fn check_useradd(run: &Run<'_>, out: &mut Emitter) {
    for command in run.script.commands.iter().filter(|c| c.is("useradd")) {
        let parsed = command.parse_args(OptSpec {
            short_with_value: "ucgGdskKepbRPZ",
            long_with_value: &[
                "uid",
                "comment",
                "gid",
                "groups",
                "home-dir",
                "shell",
                "key",
                "expiredate",
                "inactive",
                "password",
                "base-dir",
                "root",
                "prefix",
                "selinux-user",
            ],
            single_dash_long: false,
        });
        if parsed.has(Some('l'), &["no-log-init"]) {
            continue;
        }
        let Some(uid) = parsed.values(Some('u'), &["uid"]).next() else { continue };
        let bytes = uid.parse::<u64>().ok().map(|u| (u + 1) * 292);
        match bytes {
            Some(b) if b < 1_000_000 => {}
            Some(b) => out.emit(
                &USERADD,
                run.instruction,
                span_of(&command.program_range()),
                format!(
                    "`useradd -u {uid}` without `-l` writes a {:.1} MB /var/log/lastlog into the layer",
                    b as f64 / 1e6
                ),
            ),
            None => out.emit(
                &USERADD,
                run.instruction,
                span_of(&command.program_range()),
                format!(
                "`useradd -u {uid}` without `-l`: a high UID writes a lastlog file of ~292 bytes per UID into the layer"
            ),
            ),
        }
    }
}

/// A base image reference split into repository, tag and digest.
pub(crate) struct ImageRef<'a> {
    /// Registry and repository, e.g. `python` or `ghcr.io/org/app`.
    pub repository: &'a str,
    /// The tag, if written.
    pub tag: Option<&'a str>,
    /// The digest, if written.
    pub digest: Option<&'a str>,
}

/// Splits an image reference.
pub(crate) fn parse_image(reference: &str) -> ImageRef<'_> {
    let (name, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name.get(slash..).and_then(|last| last.rfind(':')) {
        Some(colon) => ImageRef {
            repository: name.get(..slash + colon).unwrap_or(name),
            tag: name.get(slash + colon + 1..),
            digest,
        },
        None => ImageRef { repository: name, tag: None, digest },
    }
}

/// Families whose Docker Official Images publish a `-slim` variant of the default tag.
const SLIM_FAMILIES: &[&str] = &["python", "node", "ruby", "debian", "openjdk", "rust", "perl"];

fn check_base_images(cx: &Context<'_>, out: &mut Emitter) {
    for stage in &cx.stages {
        let (Some(image), Some(base)) = (stage.image, stage.base) else { continue };
        if stage.base_stage.is_some() || base.eq_ignore_ascii_case("scratch") || base.is_empty() {
            continue;
        }
        let reference = parse_image(base);
        let span = image.span;
        if reference.digest.is_none() {
            match reference.tag {
                None => {
                    out.emit(&UNTAGGED, stage.from, span, format!("`{base}` has no tag, so it means `{base}:latest`"))
                }
                Some("latest") => out.emit(&LATEST, stage.from, span, format!("`{base}` uses the moving `latest` tag")),
                Some(_) => {}
            }
        }
        if stage.in_final && stage.base_stage.is_none() {
            if let Some(message) = slim_advice(base, &reference) {
                out.emit(&FULL_BASE, stage.from, span, message);
            }
        }
    }
}

fn slim_advice(base: &str, reference: &ImageRef<'_>) -> Option<String> {
    let repo = reference.repository;
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    if !SLIM_FAMILIES.contains(&repo) {
        return None;
    }
    let tag = reference.tag?;
    let lower = tag.to_ascii_lowercase();
    let variant_words = ["slim", "alpine", "windows", "nanoserver", "servercore", "distroless", "chiseled", "busybox"];
    if variant_words.iter().any(|v| lower.contains(v)) || tag == "latest" {
        return None;
    }
    let version = tag.split('-').next().unwrap_or(tag);
    let slim_tag = format!("{version}-slim");
    let catalog = Catalog::builtin().ok();
    let full_row = catalog.and_then(|c| c.get(&format!("{repo}:{tag}")));
    let slim_row = catalog.and_then(|c| c.get(&format!("{repo}:{slim_tag}")));
    match (full_row.and_then(|r| r.compressed_bytes), slim_row.and_then(|r| r.compressed_bytes)) {
        (Some(full), Some(slim)) if slim < full => Some(format!(
            "`{base}` is the full variant ({:.0} MB compressed); `{repo}:{slim_tag}` is {:.0} MB",
            full as f64 / 1e6,
            slim as f64 / 1e6
        )),
        _ => Some(format!("`{base}` is the full variant; consider `{repo}:{slim_tag}` for the final stage")),
    }
}

/// Something an instruction of the final image added: a file or directory, or installed packages.
struct Created<'a> {
    instruction: &'a Instruction,
    what: &'static str,
}

/// The sources and destination of COPY/ADD (flags excluded), when it has both.
fn copy_parts(ins: &Instruction) -> Option<(Vec<&crate::dockerfile::Word>, &crate::dockerfile::Word)> {
    let words = match &ins.args {
        Args::List(words) | Args::Json(words) => words,
        _ => return None,
    };
    let (dest, sources) = words.split_last()?;
    Some((sources.iter().collect(), dest))
}

/// The paths a COPY or ADD creates.
fn copy_targets(ins: &Instruction, workdir: &str) -> Vec<String> {
    let Some((sources, dest)) = copy_parts(ins) else { return Vec::new() };
    let Some(dest_path) = normalize(&dest.text, workdir) else { return Vec::new() };
    let into_dir = dest.text.ends_with('/') || sources.len() + ins.heredocs.len() > 1;
    if !into_dir {
        return vec![dest_path];
    }
    let mut targets: Vec<String> = sources
        .iter()
        .map(|s| {
            let name = basename(&s.text);
            // A source ending in `/` is a directory, and COPY puts a directory's contents, not the directory.
            let contents = s.text.ends_with('/');
            if contents || name.is_empty() || name == "." || name.contains(['*', '?']) || is_archive(&s.text) {
                dest_path.clone()
            } else {
                format!("{}/{}", dest_path.trim_end_matches('/'), name)
            }
        })
        .collect();
    if !ins.heredocs.is_empty() {
        targets.extend(ins.heredocs.iter().map(|h| format!("{}/{}", dest_path.trim_end_matches('/'), h.name)));
    }
    targets
}

fn is_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".zip", ".gz", ".xz", ".bz2"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The files a RUN downloads with curl or wget, or clones with git.
fn run_downloads(run: &Run<'_>, workdir: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for command in &run.script.commands {
        let program = command.program().unwrap_or("");
        let targets: Vec<String> = match program {
            "curl" => {
                let parsed = command.parse_args(OptSpec {
                    short_with_value: "oHdXuAeEFTwmrxyzbcKC",
                    long_with_value: &[
                        "output",
                        "header",
                        "data",
                        "request",
                        "user",
                        "user-agent",
                        "referer",
                        "retry",
                        "max-time",
                        "connect-timeout",
                        "proxy",
                        "cert",
                        "form",
                        "upload-file",
                        "write-out",
                        "range",
                        "output-dir",
                        "config",
                        "cookie",
                        "cookie-jar",
                        "url",
                        "retry-delay",
                        "retry-max-time",
                        "cacert",
                        "dns-servers",
                        "limit-rate",
                    ],
                    single_dash_long: false,
                });
                let mut t: Vec<String> = parsed.values(Some('o'), &["output"]).map(str::to_string).collect();
                if parsed.has(Some('O'), &["remote-name"]) {
                    t.extend(parsed.operands.iter().map(|w| basename(&w.text).to_string()));
                }
                t
            }
            "wget" => {
                let parsed = command.parse_args(OptSpec {
                    short_with_value: "OoaPeUtTwQ",
                    long_with_value: &[
                        "output-document",
                        "output-file",
                        "append-output",
                        "directory-prefix",
                        "user-agent",
                        "tries",
                        "timeout",
                        "wait",
                        "header",
                        "execute",
                        "quota",
                    ],
                    single_dash_long: false,
                });
                let explicit: Vec<String> =
                    parsed.values(Some('O'), &["output-document"]).map(str::to_string).collect();
                if explicit.is_empty() {
                    let dir = parsed.values(Some('P'), &["directory-prefix"]).next().map(str::to_string);
                    parsed
                        .operands
                        .iter()
                        .filter(|w| w.text.contains("://"))
                        .map(|w| match &dir {
                            Some(d) => format!("{}/{}", d.trim_end_matches('/'), basename(&w.text)),
                            None => basename(&w.text).to_string(),
                        })
                        .collect()
                } else {
                    explicit
                }
            }
            "git" if command.args().first().is_some_and(|w| w.text == "clone") => {
                let parsed = command.parse_args(OptSpec {
                    short_with_value: "bcoju",
                    long_with_value: &[
                        "branch",
                        "depth",
                        "origin",
                        "config",
                        "reference",
                        "jobs",
                        "upload-pack",
                        "separate-git-dir",
                        "filter",
                    ],
                    single_dash_long: false,
                });
                let ops: Vec<&str> = parsed.operands.iter().skip(1).map(|w| w.text.as_str()).collect();
                match ops.as_slice() {
                    [url] => vec![basename(url).trim_end_matches(".git").to_string()],
                    [_, dir, ..] => vec![dir.to_string()],
                    [] => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let redirected = if matches!(program, "curl" | "wget") {
            command.redirect_targets.iter().map(|w| w.text.clone()).collect()
        } else {
            Vec::new()
        };
        paths.extend(
            targets
                .into_iter()
                .chain(redirected)
                .filter(|t| t != "-" && t != "/dev/null")
                .filter_map(|t| normalize(&t, workdir)),
        );
    }
    paths
}

/// LL1009 (update alone) and LL1010 (deleted later) over the final image's instructions in order.
fn check_timeline(cx: &Context<'_>, out: &mut Emitter) {
    let mut created: PathIndex<Created<'_>> = PathIndex::default();
    // The first instruction that installed each package name, and when.
    let mut installed: HashMap<String, (usize, &Instruction)> = HashMap::new();
    let later_installs = InstallsAfter::new(cx);
    for (step, &position) in cx.timeline.iter().enumerate() {
        let Some(ins) = cx.instruction(position) else { continue };
        let workdir = cx.workdir(position);
        match ins.keyword {
            Keyword::Copy | Keyword::Add => {
                for path in copy_targets(ins, workdir) {
                    let what = if ins.keyword == Keyword::Copy { "COPY" } else { "ADD" };
                    created.insert(path, Created { instruction: ins, what });
                }
            }
            Keyword::Run => {
                let Some(run) = cx.run_at(position) else { continue };
                check_update_alone(cx, &later_installs, step, run, out);
                // Removals of what earlier instructions created.
                for command in run.script.commands.iter().filter(|c| c.is("rm")) {
                    for operand in command.parse_args(OptSpec::default()).operands {
                        let Some(pattern) = normalize(&operand.text, workdir) else { continue };
                        if pattern == "/" {
                            continue;
                        }
                        if let Some((path, c)) = created.covered_by(&pattern) {
                            out.emit(
                                &DELETED_LATER,
                                ins,
                                span_of(&operand.range),
                                format!(
                                    "`rm {}` removes what {} on line {} added ({path}); its bytes stay in that earlier layer",
                                    operand.text, c.what, c.instruction.start_line
                                ),
                            );
                        }
                    }
                }
                for (_, command, p) in pkg_commands(run) {
                    if p.action != Action::Remove || !is_system_manager(p.manager) {
                        continue;
                    }
                    let earliest = p
                        .packages
                        .iter()
                        .filter_map(|w| installed.get(w.text.as_str()).map(|(seq, i)| (*seq, w.text.as_str(), *i)))
                        .min_by_key(|(seq, _, _)| *seq);
                    if let Some((_, name, earlier)) = earliest {
                        out.emit(&DELETED_LATER, ins, span_of(&command.range), format!(
                            "`{name}` was installed on line {}; removing it in a later RUN leaves its bytes in that layer",
                            earlier.start_line
                        ));
                    }
                }
                for path in run_downloads(run, workdir) {
                    created.insert(path, Created { instruction: ins, what: "RUN" });
                }
                for (_, _, p) in pkg_commands(run) {
                    if p.action == Action::Install && is_system_manager(p.manager) {
                        let virtual_name = p.parsed.values(Some('t'), &["virtual"]).next().map(str::to_string);
                        let names = p
                            .packages
                            .iter()
                            .map(|w| w.text.split(['=', '>', '<', '~']).next().unwrap_or("").to_string())
                            .chain(virtual_name);
                        for name in names {
                            let seq = installed.len();
                            installed.entry(name).or_insert((seq, ins));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `manager` installs system packages (apt, apk, dnf, yum, zypper).
fn is_system_manager(manager: Manager) -> bool {
    matches!(manager, Manager::Apt | Manager::Apk | Manager::Dnf | Manager::Yum | Manager::Zypper)
}

/// For the final image's timeline: the steps whose RUN installs with apt, and those that install with apk.
struct InstallsAfter {
    apt: Vec<usize>,
    apk: Vec<usize>,
}

impl InstallsAfter {
    fn new(cx: &Context<'_>) -> InstallsAfter {
        let mut found = InstallsAfter { apt: Vec::new(), apk: Vec::new() };
        for (step, &position) in cx.timeline.iter().enumerate() {
            let Some(run) = cx.run_at(position) else { continue };
            let installs = |m| pkg_commands(run).any(|(_, _, q)| q.manager == m && q.action == Action::Install);
            if installs(Manager::Apt) {
                found.apt.push(step);
            }
            if installs(Manager::Apk) {
                found.apk.push(step);
            }
        }
        found
    }

    /// The first step after `step` that installs with `manager` (apt or apk).
    fn next(&self, manager: Manager, step: usize) -> Option<usize> {
        let steps = match manager {
            Manager::Apt => &self.apt,
            Manager::Apk => &self.apk,
            _ => return None,
        };
        let at = steps.partition_point(|s| *s <= step);
        steps.get(at).copied()
    }
}

fn check_update_alone(cx: &Context<'_>, later: &InstallsAfter, step: usize, run: &Run<'_>, out: &mut Emitter) {
    let cmds: Vec<(usize, &Command, PkgCommand<'_>)> = pkg_commands(run).collect();
    for (_, command, p) in &cmds {
        if p.action != Action::Update || !matches!(p.manager, Manager::Apt | Manager::Apk) {
            continue;
        }
        let installs_here = cmds.iter().any(|(_, _, q)| q.manager == p.manager && q.action == Action::Install);
        if installs_here {
            continue;
        }
        let later_install =
            later.next(p.manager, step).and_then(|s| cx.timeline.get(s)).and_then(|&position| cx.instruction(position));
        if let Some(later) = later_install {
            out.emit(&UPDATE_ALONE, run.instruction, span_of(&command.range), format!(
                "`{} update` runs alone; the install on line {} can reuse a stale cached index, and the index stays in this layer",
                p.tool, later.start_line
            ));
        }
    }
}

/// LL1011 (chmod after copy), LL1013 (remote archive) and LL1014 (whole context).
fn check_copies(cx: &Context<'_>, out: &mut Emitter) {
    let mut copied: PathIndex<&Instruction> = PathIndex::default();
    for &position in &cx.timeline {
        let Some(ins) = cx.instruction(position) else { continue };
        let workdir = cx.workdir(position);
        match ins.keyword {
            Keyword::Copy | Keyword::Add => {
                if let Some((sources, _)) = copy_parts(ins) {
                    if ins.keyword == Keyword::Add {
                        if let Some(remote) = sources.iter().find(|s| {
                            (s.text.starts_with("http://") || s.text.starts_with("https://")) && is_archive(&s.text)
                        }) {
                            out.emit(
                                &REMOTE_ARCHIVE,
                                ins,
                                remote.span,
                                format!("ADD stores `{}` unextracted in the image", basename(&remote.text)),
                            );
                        }
                    }
                    if ins.flag("from").is_none() {
                        if let Some(dot) = sources.iter().find(|s| matches!(s.text.as_str(), "." | "./")) {
                            let message = match cx.config.dockerignore {
                                Dockerignore::Text(_) => None,
                                Dockerignore::Absent => Some("`COPY .` copies the whole build context and there is no .dockerignore"),
                                Dockerignore::Unknown => Some("`COPY .` copies the whole build context; make sure a .dockerignore excludes .git, dependencies and build output"),
                            };
                            if let Some(message) = message {
                                out.emit(&COPY_CONTEXT, ins, dot.span, message.to_string());
                            }
                        }
                    }
                }
                if ins.flag("chmod").is_none() || ins.flag("chown").is_none() {
                    for path in copy_targets(ins, workdir) {
                        copied.insert(path, ins);
                    }
                }
            }
            Keyword::Run => {
                let Some(run) = cx.run_at(position) else { continue };
                for command in &run.script.commands {
                    let Some(program @ ("chmod" | "chown" | "chgrp")) = command.program() else { continue };
                    let parsed = command.parse_args(OptSpec::default());
                    let has_reference = parsed.has(None, &["reference"]);
                    let skip = if has_reference { 0 } else { 1 };
                    for operand in parsed.operands.iter().skip(skip) {
                        let Some(path) = normalize(&operand.text, workdir) else { continue };
                        if path == "/" {
                            continue;
                        }
                        if let Some((copied_path, from)) = copied.covered_by(&path) {
                            let flag = if program == "chmod" { "--chmod" } else { "--chown" };
                            out.emit(&CHMOD_AFTER_COPY, ins, span_of(&operand.range), format!(
                                "`{program}` on {path} rewrites files copied on line {} ({copied_path}), storing them twice; use `{} {flag}=…`",
                                from.start_line,
                                from.keyword.as_str()
                            ));
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
