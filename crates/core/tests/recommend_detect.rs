//! Detection on generated root filesystems of each OS family.

mod recommend_support;

use layerlens_core::recommend::detect::{classify, detect, ElfType, OsKind};
use layerlens_core::recommend::Libc;
use recommend_support::*;

#[test]
fn debian_like_layout() {
    let view = debian_like().env(&["NODE_VERSION=22.23.2"]).build();
    let facts = detect(&view, 1);
    assert_eq!(facts.os.kind, OsKind::Debian);
    assert_eq!(facts.os.version, "12.7");
    assert_eq!(facts.os.pretty, "Debian GNU/Linux 12 (bookworm)");
    assert_eq!(facts.os.evidence[0], "/etc/os-release -> /usr/lib/os-release");
    assert_eq!(facts.libc, Some(Libc::Glibc));
    assert_eq!(facts.shells, ["/bin/sh", "/bin/bash", "/bin/dash"]);
    assert_eq!(facts.package_managers, ["apt", "dpkg"]);
    assert_eq!(facts.packages.manager, "dpkg");
    let names: Vec<(&str, u64, Option<usize>)> =
        facts.packages.packages.iter().map(|p| (p.name.as_str(), p.installed_bytes, p.layer)).collect();
    assert_eq!(
        names,
        [("gcc-12", 36_000 * 1024, Some(1)), ("libc6", 12_000 * 1024, Some(0)), ("libssl-dev", 2_500 * 1024, None)]
    );
    assert_eq!(facts.runtime().unwrap().name, "node");
    assert_eq!(facts.runtime().unwrap().major().as_deref(), Some("22"));
}

#[test]
fn alpine_like_layout() {
    let view = alpine_like().build();
    let facts = detect(&view, 1);
    assert_eq!(facts.os.kind, OsKind::Alpine);
    assert_eq!(facts.os.version, "3.24.2");
    assert_eq!(facts.libc, Some(Libc::Musl));
    assert_eq!(facts.libc_evidence.as_deref(), Some("/lib/ld-musl-x86_64.so.1"));
    assert_eq!(facts.shells, ["/bin/sh", "/bin/busybox"]);
    assert_eq!(facts.package_managers, ["apk"]);
    let names: Vec<&str> = facts.packages.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["busybox", "musl", "apk-tools"]);
    assert_eq!(facts.packages.packages[0].layer, Some(0));
}

#[test]
fn distroless_like_layout() {
    let view = distroless_like().build();
    let facts = detect(&view, 1);
    assert_eq!(facts.os.kind, OsKind::Distroless);
    assert!(facts.shells.is_empty());
    assert!(facts.package_managers.is_empty());
    assert_eq!(facts.packages.manager, "dpkg-status.d");
    assert_eq!(facts.packages.packages.len(), 2, "the .md5sums file is not a package");
    assert_eq!(facts.libc, Some(Libc::Glibc));
}

#[test]
fn scratch_with_a_static_binary() {
    let view = scratch_static().build();
    let facts = detect(&view, 0);
    assert_eq!(facts.os.kind, OsKind::Scratch);
    assert_eq!(facts.libc, Some(Libc::None));
    assert!(facts.shells.is_empty());
    let statics: Vec<&str> = facts.static_binaries().map(|f| f.path.as_str()).collect();
    assert_eq!(statics, ["/app"]);
}

#[test]
fn busybox_and_redhat_markers() {
    let bb = Fs::new(1).elf("bin/busybox", elf_static(), 1_000_000, 0).symlink("bin/sh", "busybox", 0).build();
    assert_eq!(detect(&bb, 0).os.kind, OsKind::Busybox);
    let rh = Fs::new(1)
        .text("etc/redhat-release", b"Red Hat Enterprise Linux release 9.4 (Plow)\n", 0)
        .sized("var/lib/rpm/rpmdb.sqlite", 9_000_000, 0)
        .build();
    let facts = detect(&rh, 0);
    assert_eq!((facts.os.kind, facts.os.version.as_str()), (OsKind::RedHat, "9.4"));
    assert_eq!(facts.packages.manager, "rpm");
    assert!(facts.packages.note.as_deref().unwrap().contains("not read"));
}

#[test]
fn elf_classifier_tells_static_glibc_musl_and_needed() {
    let s = classify(&elf_static()).unwrap();
    assert_eq!((s.kind, s.dynamic, s.libc), (ElfType::Executable, Some(false), Some(Libc::None)));
    let g = classify(&elf_dynamic("/lib64/ld-linux-x86-64.so.2")).unwrap();
    assert_eq!(
        (g.dynamic, g.libc, g.interpreter.as_deref()),
        (Some(true), Some(Libc::Glibc), Some("/lib64/ld-linux-x86-64.so.2"))
    );
    let m = classify(&elf_dynamic("/lib/ld-musl-x86_64.so.1")).unwrap();
    assert_eq!(m.libc, Some(Libc::Musl));
    let node_module = classify(&elf_shared(&["libstdc++.so.6", "libc.so.6"])).unwrap();
    assert_eq!(node_module.kind, ElfType::SharedObject);
    assert_eq!(node_module.needed, ["libstdc++.so.6", "libc.so.6"]);
    assert_eq!(node_module.libc, Some(Libc::Glibc));
    // Cut before the dynamic section: the libc is unknown, not guessed.
    let cut = classify(&elf_shared(&["libc.so.6"])[..200]).unwrap();
    assert_eq!((cut.dynamic, cut.libc), (Some(true), None));
}

#[test]
fn own_files_linking_glibc_are_listed() {
    let view = debian_like()
        .elf("app/node_modules/bcrypt/build/Release/bcrypt_lib.node", elf_shared(&["libc.so.6"]), 250_000, 2)
        .elf("app/bin/tool", elf_dynamic("/lib64/ld-linux-x86-64.so.2"), 90_000, 2)
        .build();
    let facts = detect(&view, 2);
    let glibc: Vec<&str> = facts.glibc_linked().map(|f| f.path.as_str()).collect();
    assert_eq!(glibc, ["/app/node_modules/bcrypt/build/Release/bcrypt_lib.node", "/app/bin/tool"]);
}

/// Real binaries of the machine running the tests, when it has them (Debian's `ls` is a glibc PIE, its
/// `ldconfig` is static-pie, `libz` is a shared object needing libc.so.6); skipped with a notice otherwise.
#[test]
fn host_binaries_are_classified() {
    let read = |path: &str| match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipping {path}: not on this machine");
            None
        }
    };
    if let Some(ls) = read("/bin/ls") {
        let info = classify(&ls[..ls.len().min(4096)]).unwrap();
        assert_eq!((info.kind, info.dynamic, info.libc), (ElfType::Executable, Some(true), Some(Libc::Glibc)));
    }
    if let Some(ldconfig) = read("/sbin/ldconfig") {
        let info = classify(&ldconfig).unwrap();
        assert_eq!((info.kind, info.dynamic, info.libc), (ElfType::Executable, Some(false), Some(Libc::None)));
    }
    if let Some(libz) = read("/lib/x86_64-linux-gnu/libz.so.1") {
        let info = classify(&libz).unwrap();
        assert_eq!(info.kind, ElfType::SharedObject);
        assert!(info.needed.iter().any(|n| n == "libc.so.6"), "{:?}", info.needed);
        assert_eq!(info.libc, Some(Libc::Glibc));
    }
}
