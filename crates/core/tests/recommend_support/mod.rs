//! Builders for fake root filesystems and ELF headers used by the recommendation tests; layer tars and
//! `docker save` archives come from the shared `layerlens-testkit` crate.
#![allow(dead_code)]

use layerlens_core::recommend::rootfs::{ConfigView, ImageView, LayerView, Node, NodeKind};
#[allow(unused_imports)]
pub use layerlens_testkit::{docker_save, Layer};

/// A fluent builder for an [`ImageView`].
pub struct Fs {
    pub view: ImageView,
}

impl Fs {
    pub fn new(layers: usize) -> Fs {
        let layers =
            (0..layers).map(|i| LayerView { created_by: format!("layer {i}"), ..Default::default() }).collect();
        Fs { view: ImageView { layers, ..Default::default() } }
    }

    fn add(&mut self, path: &str, node: Node) {
        if let Some(layer) = self.view.layers.get_mut(node.layer) {
            layer.size += node.size;
        }
        self.view.files.insert(path.trim_start_matches('/').to_string(), node);
    }

    /// A file with captured content.
    pub fn text(mut self, path: &str, bytes: &[u8], layer: usize) -> Fs {
        let node = Node { content: Some(bytes.to_vec()), ..Node::file(bytes.len() as u64, layer) };
        self.add(path, node);
        self
    }

    /// A file of `size` bytes whose content was not captured.
    pub fn sized(mut self, path: &str, size: u64, layer: usize) -> Fs {
        self.add(path, Node::file(size, layer));
        self
    }

    /// A file with a given mode.
    pub fn mode(mut self, path: &str, size: u64, mode: u32, layer: usize) -> Fs {
        self.add(path, Node { mode, ..Node::file(size, layer) });
        self
    }

    /// An ELF file whose head is `head`, reported with `size` bytes.
    pub fn elf(mut self, path: &str, head: Vec<u8>, size: u64, layer: usize) -> Fs {
        let node = Node { content: Some(head), mode: 0o755, ..Node::file(size, layer) };
        self.add(path, node);
        self
    }

    pub fn symlink(mut self, path: &str, target: &str, layer: usize) -> Fs {
        let node = Node {
            kind: NodeKind::Symlink,
            size: 0,
            mode: 0o777,
            uid: 0,
            layer,
            link: Some(target.into()),
            content: None,
        };
        self.add(path, node);
        self
    }

    pub fn dir(mut self, path: &str, layer: usize) -> Fs {
        let node = Node { kind: NodeKind::Dir, size: 0, mode: 0o755, uid: 0, layer, link: None, content: None };
        self.add(path, node);
        self
    }

    pub fn history(mut self, lines: &[&str]) -> Fs {
        self.view.config.history = lines.iter().map(|l| l.to_string()).collect();
        for (layer, line) in self.view.layers.iter_mut().zip(lines.iter().filter(|l| !is_empty_layer(l))) {
            layer.created_by = line.to_string();
        }
        self
    }

    pub fn env(mut self, vars: &[&str]) -> Fs {
        self.view.config.env = vars.iter().map(|l| l.to_string()).collect();
        self
    }

    pub fn user(mut self, user: &str) -> Fs {
        self.view.config.user = user.to_string();
        self
    }

    pub fn config(mut self, config: ConfigView) -> Fs {
        self.view.config = config;
        self
    }

    pub fn build(self) -> ImageView {
        self.view
    }
}

fn is_empty_layer(line: &str) -> bool {
    ["CMD", "ENV", "LABEL", "ARG", "EXPOSE", "USER", "WORKDIR", "ENTRYPOINT"].iter().any(|k| line.starts_with(k))
}

/// An x86-64 ELF header with the given type, entry and program headers `(type, offset, vaddr, filesz)`.
fn elf64(e_type: u16, entry: u64, phdrs: &[(u32, u64, u64, u64)], len: usize) -> Vec<u8> {
    let mut b = vec![0u8; len];
    b[..4].copy_from_slice(b"\x7fELF");
    b[4] = 2;
    b[5] = 1;
    b[6] = 1;
    b[16..18].copy_from_slice(&e_type.to_le_bytes());
    b[18..20].copy_from_slice(&62u16.to_le_bytes());
    b[24..32].copy_from_slice(&entry.to_le_bytes());
    b[32..40].copy_from_slice(&64u64.to_le_bytes());
    b[54..56].copy_from_slice(&56u16.to_le_bytes());
    b[56..58].copy_from_slice(&(phdrs.len() as u16).to_le_bytes());
    for (i, (kind, offset, vaddr, filesz)) in phdrs.iter().enumerate() {
        let at = 64 + i * 56;
        b[at..at + 4].copy_from_slice(&kind.to_le_bytes());
        b[at + 8..at + 16].copy_from_slice(&offset.to_le_bytes());
        b[at + 16..at + 24].copy_from_slice(&vaddr.to_le_bytes());
        b[at + 32..at + 40].copy_from_slice(&filesz.to_le_bytes());
    }
    b
}

/// A statically linked executable (a Go binary built with CGO_ENABLED=0).
pub fn elf_static() -> Vec<u8> {
    elf64(2, 0x401000, &[(1, 0, 0x400000, 0x1000)], 512)
}

/// A dynamic executable using the loader `interp`.
pub fn elf_dynamic(interp: &str) -> Vec<u8> {
    let mut b = elf64(
        2,
        0x401000,
        &[(3, 0x200, 0x400200, interp.len() as u64 + 1), (1, 0, 0x400000, 0x1000), (2, 0x300, 0x400300, 32)],
        1024,
    );
    b[0x200..0x200 + interp.len()].copy_from_slice(interp.as_bytes());
    b
}

/// A shared object (a `.node` module) whose DT_NEEDED lists `needed`.
pub fn elf_shared(needed: &[&str]) -> Vec<u8> {
    let dyn_len = (needed.len() + 2) * 16;
    let mut b = elf64(3, 0, &[(1, 0, 0, 0x800), (2, 0x300, 0x300, dyn_len as u64)], 0x800);
    let mut str_off = 1usize;
    let mut at = 0x300;
    for lib in needed {
        b[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
        b[at + 8..at + 16].copy_from_slice(&(str_off as u64).to_le_bytes());
        b[0x400 + str_off..0x400 + str_off + lib.len()].copy_from_slice(lib.as_bytes());
        str_off += lib.len() + 1;
        at += 16;
    }
    b[at..at + 8].copy_from_slice(&5u64.to_le_bytes());
    b[at + 8..at + 16].copy_from_slice(&0x400u64.to_le_bytes());
    b
}

pub const DEBIAN_OS_RELEASE: &[u8] = b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n";
pub const DPKG_STATUS: &[u8] = b"Package: libc6\nStatus: install ok installed\nInstalled-Size: 12000\nVersion: 2.36-9+deb12u7\n\nPackage: gcc-12\nStatus: install ok installed\nInstalled-Size: 36000\nVersion: 12.2.0-14\n\nPackage: libssl-dev\nStatus: install ok installed\nInstalled-Size: 2500\nVersion: 3.0.14-1\n";

/// A Debian-like root filesystem (debootstrap layout): os-release via /usr/lib, dpkg, apt, bash, glibc.
pub fn debian_like() -> Fs {
    Fs::new(3)
        .text("usr/lib/os-release", DEBIAN_OS_RELEASE, 0)
        .symlink("etc/os-release", "../usr/lib/os-release", 0)
        .text("etc/debian_version", b"12.7\n", 0)
        .text("var/lib/dpkg/status", DPKG_STATUS, 0)
        .sized("var/lib/dpkg/info/libc6:amd64.list", 900, 0)
        .sized("var/lib/dpkg/info/gcc-12.list", 900, 1)
        .elf("usr/bin/dpkg", elf_dynamic("/lib64/ld-linux-x86-64.so.2"), 300_000, 0)
        .elf("usr/bin/apt-get", elf_dynamic("/lib64/ld-linux-x86-64.so.2"), 20_000, 0)
        .elf("usr/bin/bash", elf_dynamic("/lib64/ld-linux-x86-64.so.2"), 1_200_000, 0)
        .symlink("bin", "usr/bin", 0)
        .symlink("usr/bin/sh", "dash", 0)
        .elf("usr/bin/dash", elf_dynamic("/lib64/ld-linux-x86-64.so.2"), 120_000, 0)
        .sized("usr/lib/x86_64-linux-gnu/libc.so.6", 1_900_000, 0)
        .symlink("lib64", "usr/lib64", 0)
        .symlink("usr/lib64/ld-linux-x86-64.so.2", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0)
        .sized("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 200_000, 0)
}

pub const ALPINE_APK_DB: &[u8] = b"C:Q1=\nP:musl\nV:1.2.5-r10\nI:407552\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox\nV:1.37.0-r18\nI:796672\nF:bin\nR:busybox\n\nP:apk-tools\nV:2.14.9-r2\nI:266240\nF:sbin\nR:apk\n";

/// An Alpine-like minimal rootfs built without apk-tools: os-release, alpine-release, apk db, busybox, musl.
pub fn alpine_like() -> Fs {
    Fs::new(2)
        .text(
            "etc/os-release",
            b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.24.2\nPRETTY_NAME=\"Alpine Linux v3.24\"\n",
            0,
        )
        .text("etc/alpine-release", b"3.24.2\n", 0)
        .text("lib/apk/db/installed", ALPINE_APK_DB, 0)
        .elf("lib/ld-musl-x86_64.so.1", elf_shared(&[]), 600_000, 0)
        .elf("bin/busybox", elf_dynamic("/lib/ld-musl-x86_64.so.1"), 800_000, 0)
        .symlink("bin/sh", "/bin/busybox", 0)
        .elf("sbin/apk", elf_dynamic("/lib/ld-musl-x86_64.so.1"), 260_000, 0)
}

/// A distroless-like rootfs: Distroless os-release, status.d entries, glibc, no shell, no package manager.
pub fn distroless_like() -> Fs {
    Fs::new(2)
        .text("etc/os-release", b"PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n", 0)
        .text("etc/debian_version", b"12.7\n", 0)
        .text("var/lib/dpkg/status.d/libc6", b"Package: libc6\nVersion: 2.36-9\nInstalled-Size: 12000\n", 0)
        .text("var/lib/dpkg/status.d/libc6.md5sums", b"abc  lib/x\n", 0)
        .text("var/lib/dpkg/status.d/base-files", b"Package: base-files\nVersion: 12.4\nInstalled-Size: 340\n", 0)
        .sized("lib/x86_64-linux-gnu/libc.so.6", 1_900_000, 0)
}

/// A scratch image holding one static binary.
pub fn scratch_static() -> Fs {
    Fs::new(1).elf("app", elf_static(), 7_000_000, 0).history(&["COPY app /app # buildkit"])
}
