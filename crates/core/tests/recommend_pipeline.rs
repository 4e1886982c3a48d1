//! Detection through the whole pipeline: generated `docker save` archives of an apk-tools-free Alpine
//! minirootfs and a distroless-like rootfs go through the image engine, then the recommendation engine.

mod recommend_support;

use layerlens_core::image::{analyze, AnalyzeOptions};
use layerlens_core::recommend::detect::OsKind;
use layerlens_core::recommend::{capture_options, recommend_image, ImageView, Libc, MatchStrength};
use layerlens_core::{MemSource, Silent};
use recommend_support::{docker_save, elf_dynamic, Layer, ALPINE_APK_DB};

fn analysed(archive: Vec<u8>) -> ImageView {
    let options = AnalyzeOptions { capture: capture_options(), ..Default::default() };
    ImageView::from_report(&analyze(&MemSource::new(archive), &options, &mut Silent).unwrap())
}

#[test]
fn alpine_minirootfs_is_recognised_by_family_and_files() {
    let musl = "/lib/ld-musl-x86_64.so.1";
    let rootfs = Layer::new()
        .file(
            "etc/os-release",
            b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.24.2\nPRETTY_NAME=\"Alpine Linux v3.24\"\n",
        )
        .file("etc/alpine-release", b"3.24.2\n")
        .file("lib/apk/db/installed", ALPINE_APK_DB)
        .file_mode("lib/ld-musl-x86_64.so.1", &vec![1u8; 600], 0o755)
        .file_mode("bin/busybox", &elf_dynamic(musl), 0o755)
        .symlink("bin/sh", "/bin/busybox")
        .file_mode("sbin/apk", &elf_dynamic(musl), 0o755)
        .build();
    let app = Layer::new().file("srv/app.sh", b"#!/bin/sh\necho hi\n").build();
    let history: &[(&str, bool)] = &[
        ("ADD alpine-minirootfs-3.24.0-x86_64.tar.gz / # buildkit", false),
        ("CMD [\"/bin/sh\"]", true),
        ("COPY app.sh /srv/ # buildkit", false),
    ];
    let view = analysed(docker_save("fx/alpine:latest", history, &[rootfs, app], serde_json::json!({})));
    let recs = recommend_image(&view).unwrap();
    let base = recs.base.as_ref().unwrap();
    assert_eq!((base.strength, base.image.as_deref()), (MatchStrength::Family, Some("alpine:3.24")));
    let facts = recs.facts.as_ref().unwrap();
    assert_eq!((facts.os.kind, facts.os.version.as_str()), (OsKind::Alpine, "3.24.2"));
    assert_eq!(facts.libc, Some(Libc::Musl));
    assert_eq!(facts.shells, ["/bin/sh", "/bin/busybox"]);
    assert_eq!(facts.package_managers, ["apk"]);
    let packages: Vec<(&str, Option<usize>)> =
        facts.packages.packages.iter().map(|p| (p.name.as_str(), p.layer)).collect();
    assert_eq!(packages, [("busybox", Some(0)), ("musl", Some(0)), ("apk-tools", Some(0))]);
    assert_eq!(recs.size.base_layers, 1);
    assert_eq!(recs.size.own_bytes, Some(18));
}

#[test]
fn distroless_like_rootfs_has_no_shell_and_lists_status_d_packages() {
    let rootfs = Layer::new()
        .file(
            "etc/os-release",
            b"PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"13\"\n",
        )
        .file("etc/debian_version", b"13.1\n")
        .file("var/lib/dpkg/status.d/libc6", b"Package: libc6\nVersion: 2.41-12\nInstalled-Size: 12000\n")
        .file("var/lib/dpkg/status.d/libc6.md5sums", b"abc  lib/x\n")
        .file("var/lib/dpkg/status.d/tzdata", b"Package: tzdata\nVersion: 2025b\nInstalled-Size: 2000\n")
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", &vec![1u8; 5_000])
        .build();
    let app = Layer::new().file_mode("app/server", &vec![2u8; 9_000], 0o755).build();
    let history: &[(&str, bool)] =
        &[("bazel build //base:base_debian13", false), ("COPY server /app/ # buildkit", false)];
    let view = analysed(docker_save("fx/distroless:latest", history, &[rootfs, app], serde_json::json!({})));
    let recs = recommend_image(&view).unwrap();
    let facts = recs.facts.as_ref().unwrap();
    assert_eq!(facts.os.kind, OsKind::Distroless);
    assert!(facts.shells.is_empty() && facts.package_managers.is_empty());
    assert_eq!(facts.packages.manager, "dpkg-status.d");
    let names: Vec<&str> = facts.packages.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["libc6", "tzdata"]);
    assert!(recs.findings.iter().all(|f| f.id != "shell-and-package-manager"));
}
