//! Knowing what an image is: OS, libc, shell, package manager, installed packages, runtimes and ELF
//! binaries. Each detector is a pure function over bytes or over an [`ImageView`].

pub mod elf;
pub mod os;
pub mod packages;
pub mod runtime;

pub use elf::{classify, ElfInfo, ElfType};
pub use os::{detect_os, parse_os_release, OsInfo, OsKind, OsRelease};
pub use packages::{parse_apk_installed, parse_dpkg_status, read_packages, Package, PackageDb};
pub use runtime::{detect_runtimes, Runtime, RUNTIME_VARS};

use super::catalog::Libc;
use super::rootfs::{ImageView, NodeKind};
use serde::{Deserialize, Serialize};

/// An ELF file of the image with what its header says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElfFile {
    /// Path with a leading `/`.
    pub path: String,
    /// File size in bytes.
    pub size: u64,
    /// The layer that wrote it.
    pub layer: usize,
    /// The classification.
    pub elf: ElfInfo,
}

/// Everything detected about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFacts {
    /// The operating system.
    pub os: OsInfo,
    /// The C library, when one was found (`none` for scratch or static-only images).
    pub libc: Option<Libc>,
    /// The file that showed the libc.
    pub libc_evidence: Option<String>,
    /// Shells present (`/bin/sh`, `/bin/bash`, …).
    pub shells: Vec<String>,
    /// Package managers present (`apt`, `dpkg`, `apk`, `yum`, `dnf`, `microdnf`, `rpm`).
    pub package_managers: Vec<String>,
    /// The package database and its packages.
    pub packages: PackageDb,
    /// Language runtimes.
    pub runtimes: Vec<Runtime>,
    /// ELF files written by the image's own layers (after the base), largest first.
    pub own_elf: Vec<ElfFile>,
    /// How many ELF headers were seen in the whole image.
    pub elf_files_seen: usize,
}

impl ImageFacts {
    /// The image's own executables that are statically linked: candidates for scratch or distroless static.
    pub fn static_binaries(&self) -> impl Iterator<Item = &ElfFile> {
        self.own_elf.iter().filter(|f| f.elf.kind == ElfType::Executable && f.elf.libc == Some(Libc::None))
    }

    /// The image's own files that need glibc (by loader or DT_NEEDED), which would break on musl.
    pub fn glibc_linked(&self) -> impl Iterator<Item = &ElfFile> {
        self.own_elf.iter().filter(|f| f.elf.libc == Some(Libc::Glibc))
    }

    /// The image's own ELF files whose libc the captured bytes do not show (often `.node` modules).
    pub fn libc_unknown(&self) -> impl Iterator<Item = &ElfFile> {
        self.own_elf.iter().filter(|f| f.elf.dynamic != Some(false) && f.elf.libc.is_none())
    }

    /// The first runtime found, if any.
    pub fn runtime(&self) -> Option<&Runtime> {
        self.runtimes.first()
    }
}

const SHELLS: [&str; 6] = ["bin/sh", "bin/bash", "bin/ash", "bin/dash", "bin/zsh", "bin/busybox"];
const PACKAGE_MANAGERS: [(&str, &str); 8] = [
    ("apt", "usr/bin/apt-get"),
    ("dpkg", "usr/bin/dpkg"),
    ("apk", "sbin/apk"),
    ("apk", "usr/bin/apk"),
    ("dnf", "usr/bin/dnf"),
    ("yum", "usr/bin/yum"),
    ("microdnf", "usr/bin/microdnf"),
    ("rpm", "usr/bin/rpm"),
];

/// Runs every detector. Layers with an index below `own_from` belong to the base image.
pub fn detect(view: &ImageView, own_from: usize) -> ImageFacts {
    let os = detect_os(view);
    let shells: Vec<String> = SHELLS.iter().filter(|p| view.exists(p)).map(|p| format!("/{p}")).collect();
    let mut package_managers: Vec<String> = Vec::new();
    for (name, path) in PACKAGE_MANAGERS {
        if view.exists(path) && !package_managers.iter().any(|p| p == name) {
            package_managers.push(name.to_string());
        }
    }
    let packages = read_packages(view);
    let runtimes = detect_runtimes(view);
    let (libc, libc_evidence) = detect_libc(view);
    let mut own_elf = Vec::new();
    let mut elf_files_seen = 0;
    for (path, node) in &view.files {
        if node.kind != NodeKind::File {
            continue;
        }
        let Some(info) = node.content.as_deref().and_then(classify) else { continue };
        elf_files_seen += 1;
        if node.layer >= own_from {
            own_elf.push(ElfFile { path: format!("/{path}"), size: node.size, layer: node.layer, elf: info });
        }
    }
    own_elf.sort_by(|a, b| b.size.cmp(&a.size).then(a.path.cmp(&b.path)));
    let libc = libc.or_else(|| {
        // No loader in the image: if it has ELF files and they are all static, it needs no libc.
        let all_static = elf_files_seen > 0
            && view
                .files
                .values()
                .all(|n| n.content.as_deref().and_then(classify).is_none_or(|e| e.libc == Some(Libc::None)));
        (all_static || os.kind == OsKind::Scratch).then_some(Libc::None)
    });
    ImageFacts { os, libc, libc_evidence, shells, package_managers, packages, runtimes, own_elf, elf_files_seen }
}

fn detect_libc(view: &ImageView) -> (Option<Libc>, Option<String>) {
    let dirs = [
        "lib",
        "lib64",
        "usr/lib",
        "usr/lib64",
        "lib/x86_64-linux-gnu",
        "usr/lib/x86_64-linux-gnu",
        "lib/aarch64-linux-gnu",
        "usr/lib/aarch64-linux-gnu",
    ];
    for dir in dirs {
        for (key, _) in view.children(dir) {
            let Some(file) = key.rsplit('/').next() else { continue };
            let libc = if file.starts_with("ld-musl-") {
                Some(Libc::Musl)
            } else if file.starts_with("ld-linux") || file == "libc.so.6" {
                Some(Libc::Glibc)
            } else if file.starts_with("ld-uClibc") {
                Some(Libc::Uclibc)
            } else {
                None
            };
            if let Some(libc) = libc {
                if view.exists(key) {
                    return (Some(libc), Some(format!("/{key}")));
                }
            }
        }
    }
    (None, None)
}
