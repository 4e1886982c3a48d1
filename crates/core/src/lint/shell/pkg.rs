//! Recognisers for package-manager commands (apt, apk, dnf/yum/microdnf, zypper, pip, npm, yarn,
//! pnpm, go, cargo, gem) and the facts the size rules need about them.

use super::args::{self, OptSpec, Parsed};
use super::lex::Word;
use super::Command;

/// A package manager or language tool that downloads and installs software.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    /// `apt-get`, `apt` or `aptitude`.
    Apt,
    /// Alpine's `apk`.
    Apk,
    /// `dnf`, `tdnf` or `microdnf`.
    Dnf,
    /// `yum`.
    Yum,
    /// `zypper`.
    Zypper,
    /// `pip`, `pip3`, `python -m pip`.
    Pip,
    /// `npm`.
    Npm,
    /// `yarn`.
    Yarn,
    /// `pnpm`.
    Pnpm,
    /// `go`.
    Go,
    /// `cargo`.
    Cargo,
    /// `gem`.
    Gem,
}

/// What a package-manager command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Installs packages (`install`, `add`, `ci`, `build`…).
    Install,
    /// Refreshes the package index (`apt-get update`, `apk update`, `yum makecache`).
    Update,
    /// Removes packages (`remove`, `purge`, `del`, `autoremove`, `uninstall`).
    Remove,
    /// Cleans the manager's cache (`apt-get clean`, `yum clean all`, `npm cache clean`…).
    Clean,
    /// Anything else.
    Other,
}

/// A recognised package-manager command.
#[derive(Debug, Clone)]
pub struct PkgCommand<'a> {
    /// Which manager.
    pub manager: Manager,
    /// The program name as written (`apt-get`, `pip3`…).
    pub tool: &'a str,
    /// The sub-command word (`install`), if any.
    pub subcommand: Option<&'a Word>,
    /// What it does.
    pub action: Action,
    /// Options (before and after the sub-command).
    pub parsed: Parsed<'a>,
    /// Package operands (after the sub-command).
    pub packages: Vec<&'a Word>,
}

impl PkgCommand<'_> {
    /// Whether any option in the short/long set is present.
    pub fn has(&self, short: Option<char>, long: &[&str]) -> bool {
        self.parsed.has(short, long)
    }

    /// apt/dnf/yum: whether the command runs without prompting (`-y`, `--yes`, `--assume-yes`, `-qq`…).
    pub fn assume_yes(&self) -> bool {
        self.has(Some('y'), &["yes", "assume-yes", "force-yes"])
            || self.parsed.values(Some('o'), &["option"]).any(|v| v.eq_ignore_ascii_case("APT::Get::Assume-Yes=true"))
            || (self.manager == Manager::Apt
                && self.parsed.opts.iter().filter(|o| o.name == args::OptName::Short('q')).count() >= 2)
            || (self.manager == Manager::Zypper && self.has(Some('n'), &["non-interactive"]))
    }

    /// apt: whether recommended packages are skipped.
    pub fn no_install_recommends(&self) -> bool {
        self.has(None, &["no-install-recommends"])
            || self.parsed.values(Some('o'), &["option"]).any(|v| {
                let v = v.to_ascii_lowercase();
                v == "apt::install-recommends=false" || v == "apt::install-recommends=0"
            })
    }
}

const APT_SPEC: OptSpec = OptSpec {
    short_with_value: "otca",
    long_with_value: &["option", "target-release", "default-release", "config-file", "host-architecture"],
    single_dash_long: false,
};
const APK_SPEC: OptSpec = OptSpec {
    short_with_value: "Xtp",
    long_with_value: &[
        "repository",
        "virtual",
        "root",
        "arch",
        "cache-dir",
        "repositories-file",
        "keys-dir",
        "cache-max-age",
    ],
    single_dash_long: false,
};
const RPM_SPEC: OptSpec = OptSpec {
    short_with_value: "cdeRx",
    long_with_value: &[
        "config",
        "releasever",
        "installroot",
        "enablerepo",
        "disablerepo",
        "exclude",
        "setopt",
        "repo",
        "repofrompath",
        "nodocs-file",
        "forcearch",
    ],
    single_dash_long: false,
};
const PIP_SPEC: OptSpec = OptSpec {
    short_with_value: "rcieftC",
    long_with_value: &[
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "find-links",
        "target",
        "prefix",
        "root",
        "trusted-host",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "only-binary",
        "no-binary",
        "progress-bar",
        "cache-dir",
        "src",
        "upgrade-strategy",
        "config-settings",
        "global-option",
        "log",
        "proxy",
        "retries",
        "timeout",
        "exists-action",
        "cert",
        "client-cert",
        "report",
        "python",
    ],
    single_dash_long: false,
};
const NPM_SPEC: OptSpec = OptSpec {
    short_with_value: "",
    long_with_value: &["prefix", "registry", "cache", "omit", "include", "workspace"],
    single_dash_long: false,
};
const GEM_SPEC: OptSpec = OptSpec {
    short_with_value: "viN",
    long_with_value: &["version", "install-dir", "bindir", "source", "platform"],
    single_dash_long: false,
};
const GO_SPEC: OptSpec = OptSpec {
    short_with_value: "",
    long_with_value: &["o", "C", "p", "ldflags", "gcflags", "asmflags", "tags", "mod", "modfile", "pkgdir", "overlay"],
    single_dash_long: true,
};
const CARGO_SPEC: OptSpec = OptSpec {
    short_with_value: "pjF",
    long_with_value: &[
        "version",
        "git",
        "branch",
        "tag",
        "rev",
        "path",
        "root",
        "target",
        "target-dir",
        "features",
        "jobs",
        "profile",
        "bin",
        "example",
        "index",
        "registry",
        "package",
    ],
    single_dash_long: false,
};

/// Recognises `command` as a package-manager command.
pub fn recognise(command: &Command) -> Option<PkgCommand<'_>> {
    let program = command.program()?;
    let (manager, spec, rest) = match program {
        "apt-get" | "apt" | "aptitude" => (Manager::Apt, APT_SPEC, command.args()),
        "apk" => (Manager::Apk, APK_SPEC, command.args()),
        "dnf" | "tdnf" | "microdnf" | "dnf5" => (Manager::Dnf, RPM_SPEC, command.args()),
        "yum" => (Manager::Yum, RPM_SPEC, command.args()),
        "zypper" => (Manager::Zypper, RPM_SPEC, command.args()),
        "npm" => (Manager::Npm, NPM_SPEC, command.args()),
        "yarn" => (Manager::Yarn, NPM_SPEC, command.args()),
        "pnpm" => (Manager::Pnpm, NPM_SPEC, command.args()),
        "go" => (Manager::Go, GO_SPEC, command.args()),
        "cargo" => (Manager::Cargo, CARGO_SPEC, command.args()),
        "gem" => (Manager::Gem, GEM_SPEC, command.args()),
        p if is_pip(p) => (Manager::Pip, PIP_SPEC, command.args()),
        p if is_python(p) => {
            // `python -m pip install …`
            let args = command.args();
            let m = args.iter().position(|w| w.text == "-m")?;
            if args.get(m + 1).is_none_or(|w| w.text != "pip") {
                return None;
            }
            (Manager::Pip, PIP_SPEC, args.get(m + 2..).unwrap_or(&[]))
        }
        _ => return None,
    };
    let parsed = args::parse(rest, spec);
    let subcommand = parsed.operands.first().copied();
    let sub = subcommand.map(|w| w.text.as_str());
    let packages: Vec<&Word> = parsed.operands.iter().skip(1).copied().collect();
    let action = action_of(manager, sub, &packages);
    Some(PkgCommand { manager, tool: program, subcommand, action, parsed, packages })
}

fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn action_of(manager: Manager, sub: Option<&str>, packages: &[&Word]) -> Action {
    let Some(sub) = sub else {
        // A bare `yarn` installs the project's dependencies.
        return if manager == Manager::Yarn { Action::Install } else { Action::Other };
    };
    let first = packages.first().map(|w| w.text.as_str());
    match (manager, sub) {
        (Manager::Apt, "install" | "reinstall" | "dist-upgrade" | "upgrade" | "full-upgrade" | "build-dep") => {
            Action::Install
        }
        (Manager::Apt, "update") => Action::Update,
        (Manager::Apt, "remove" | "purge" | "autoremove") => Action::Remove,
        (Manager::Apt, "clean" | "autoclean" | "distclean") => Action::Clean,
        (Manager::Apk, "add" | "upgrade" | "fix") => Action::Install,
        (Manager::Apk, "update") => Action::Update,
        (Manager::Apk, "del") => Action::Remove,
        (Manager::Apk, "cache") if matches!(first, Some("clean" | "purge")) => Action::Clean,
        (Manager::Dnf | Manager::Yum, "install" | "update" | "upgrade" | "groupinstall" | "reinstall" | "builddep") => {
            Action::Install
        }
        (Manager::Dnf | Manager::Yum, "makecache") => Action::Update,
        (Manager::Dnf | Manager::Yum, "remove" | "erase" | "autoremove") => Action::Remove,
        (Manager::Dnf | Manager::Yum, "clean") => Action::Clean,
        (Manager::Zypper, "install" | "in" | "update" | "up" | "dist-upgrade" | "dup" | "patch" | "source-install") => {
            Action::Install
        }
        (Manager::Zypper, "refresh" | "ref") => Action::Update,
        (Manager::Zypper, "remove" | "rm") => Action::Remove,
        (Manager::Zypper, "clean" | "cc") => Action::Clean,
        (Manager::Pip, "install" | "download" | "wheel") => Action::Install,
        (Manager::Pip, "uninstall") => Action::Remove,
        (Manager::Pip, "cache") if matches!(first, Some("purge" | "remove")) => Action::Clean,
        (Manager::Npm, "install" | "i" | "ci" | "add" | "isntall" | "update" | "rebuild") => Action::Install,
        (Manager::Npm, "uninstall" | "remove" | "rm" | "un") => Action::Remove,
        (Manager::Npm | Manager::Yarn | Manager::Pnpm, "cache") if matches!(first, Some("clean" | "prune")) => {
            Action::Clean
        }
        (Manager::Yarn, "install" | "add" | "global" | "workspaces") => Action::Install,
        (Manager::Yarn, "remove") => Action::Remove,
        (Manager::Pnpm, "install" | "i" | "add" | "fetch") => Action::Install,
        (Manager::Pnpm, "store") if first == Some("prune") => Action::Clean,
        (Manager::Go, "install" | "build" | "get" | "generate" | "test") => Action::Install,
        (Manager::Go, "mod") if matches!(first, Some("download" | "tidy")) => Action::Install,
        (Manager::Go, "clean") => Action::Clean,
        (Manager::Cargo, "install" | "build" | "fetch" | "test") => Action::Install,
        (Manager::Cargo, "uninstall") => Action::Remove,
        (Manager::Gem, "install" | "update") => Action::Install,
        (Manager::Gem, "uninstall" | "cleanup") => Action::Remove,
        _ => Action::Other,
    }
}
