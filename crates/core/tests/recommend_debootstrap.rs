//! A real Debian root filesystem made by debootstrap, packed as a `docker save` and analysed end to end.
//!
//! Set `LAYERLENS_DEBIAN_ROOTFS_TAR` to a tar of a debootstrapped tree, e.g.
//! `debootstrap --variant=minbase bookworm /tmp/bookworm http://deb.debian.org/debian &&
//! tar -C /tmp/bookworm --numeric-owner -cf /tmp/bookworm-rootfs.tar .`; without it the test is skipped
//! with a notice (the tree needs network and root to build, so it is not made by the test itself).

mod recommend_support;

use layerlens_core::image::{analyze, AnalyzeOptions};
use layerlens_core::recommend::detect::OsKind;
use layerlens_core::recommend::{capture_options, recommend_image, render_text, ImageView, Libc};
use layerlens_core::{MemSource, Silent};
use recommend_support::docker_save;

#[test]
fn debootstrapped_bookworm() {
    let Ok(path) = std::env::var("LAYERLENS_DEBIAN_ROOTFS_TAR") else {
        eprintln!("skipping: LAYERLENS_DEBIAN_ROOTFS_TAR is not set");
        return;
    };
    let rootfs = std::fs::read(&path).unwrap();
    let history: &[(&str, bool)] = &[("# debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200'", false)];
    let archive = docker_save("local/bookworm:debootstrap", history, &[rootfs], serde_json::json!({"Cmd": ["bash"]}));
    let source = MemSource::new(archive);
    let options = AnalyzeOptions { capture: capture_options(), ..Default::default() };
    let report = analyze(&source, &options, &mut Silent).unwrap();
    let view = ImageView::from_report(&report);
    let recs = recommend_image(&view).unwrap();
    eprintln!("{}", render_text(&recs));
    let facts = recs.facts.as_ref().unwrap();
    assert_eq!(facts.os.kind, OsKind::Debian);
    assert!(facts.os.version.starts_with("12."), "{}", facts.os.version);
    assert_eq!(facts.os.evidence[0], "/etc/os-release -> /usr/lib/os-release");
    assert_eq!(facts.libc, Some(Libc::Glibc));
    assert!(facts.shells.iter().any(|s| s == "/bin/sh"), "{:?}", facts.shells);
    assert_eq!(facts.package_managers, ["apt", "dpkg"]);
    assert_eq!(facts.packages.manager, "dpkg");
    assert!(facts.packages.packages.len() > 80, "{}", facts.packages.packages.len());
    assert!(facts.packages.packages.iter().all(|p| p.layer == Some(0)));
    let ids: Vec<&str> = recs.findings.iter().map(|f| f.id.as_str()).collect();
    for id in ["apt-archives", "docs", "root-user", "setuid-setgid", "shell-and-package-manager"] {
        assert!(ids.contains(&id), "no {id} in {ids:?}");
    }
}
