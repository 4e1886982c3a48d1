//! The built-in base-image catalog loads, keeps its sources and dates, and finds bases as the catalog
//! README's verified examples say.

use layerlens_core::recommend::{match_base, BaseEvidence, Catalog, Libc, MatchStrength};

fn history(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

#[test]
fn builtin_catalog_has_every_row_with_source_and_date() {
    let catalog = Catalog::builtin().unwrap();
    assert_eq!(catalog.images.len(), 77);
    for row in &catalog.images {
        assert!(!row.source.is_empty(), "{} has no source", row.image);
        let dated = row.data_date.len() == 10 && row.data_date.starts_with("2026-");
        assert!(dated || row.is_secondary(), "{} date {}", row.image, row.data_date);
        assert!(!row.family.is_empty(), "{} has no family", row.image);
    }
    let alpine = catalog.get("alpine:3.24").unwrap();
    assert_eq!(alpine.compressed_bytes, Some(3_849_738));
    assert_eq!(alpine.libc, Some(Libc::Musl));
    assert_eq!(alpine.shell(), Some(true));
    let distroless = catalog.get("gcr.io/distroless/static-debian13").unwrap();
    assert_eq!(distroless.libc, Some(Libc::None));
    assert_eq!(distroless.shell(), Some(false));
    assert_eq!(distroless.compressed_bytes, None);
    assert!(catalog.get("docker.io/library/node:22-slim").is_some());
    assert!(catalog.get("cgr.dev/chainguard/node:latest").unwrap().is_secondary());
}

#[test]
fn catalog_parse_rejects_bad_numbers_and_missing_columns() {
    let err = Catalog::parse("image\tfamily\n").unwrap_err();
    assert!(err.message.contains("lacks the column"), "{}", err.message);
    let header =
        Catalog::builtin().map(|_| layerlens_core::recommend::catalog::BUILTIN_TSV.lines().nth(2).unwrap()).unwrap();
    let mut row: Vec<&str> = vec![""; 18];
    row[0] = "x:1";
    row[7] = "12 MB";
    let text = format!("{header}\n{}\n", row.join("\t"));
    let err = Catalog::parse(&text).unwrap_err();
    assert!(err.message.contains("line 2") && err.message.contains("compressed_bytes_amd64"), "{}", err.message);
}

#[test]
fn alpine_layer_digest_is_an_exact_match() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&[
        "ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit",
        "CMD [\"/bin/sh\"]",
        "RUN /bin/sh -c apk add --no-cache curl # buildkit",
    ]);
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:e2de96513ba9eb53b431787ec8a65cdde380ac4772a3e4c4b714dcfde2a102b5"),
        layer_count: 2,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.strength, MatchStrength::LayerDigest);
    assert_eq!(m.image.as_deref(), Some("alpine:3.24"));
    assert!(m.candidates.iter().any(|c| c == "node:22-alpine"));
    assert_eq!(m.os.unwrap().version, "3.24");
    assert_eq!(m.base_layers, Some(1));
}

#[test]
fn node_alpine_history_picks_the_node_row_sharing_layer_zero() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&[
        "ADD alpine-minirootfs-3.24.2-x86_64.tar.gz / # buildkit",
        "CMD [\"/bin/sh\"]",
        "ENV NODE_VERSION=22.23.3",
        "RUN /bin/sh -c addgroup -g 1000 node # buildkit",
    ]);
    let env = vec!["NODE_VERSION=22.23.3".to_string()];
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:e2de96513ba9eb53b431787ec8a65cdde380ac4772a3e4c4b714dcfde2a102b5"),
        layer_count: 6,
        env: &env,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.image.as_deref(), Some("node:22-alpine"));
}

#[test]
fn an_older_alpine_build_falls_back_to_the_family() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&["ADD alpine-minirootfs-3.24.0-x86_64.tar.gz / # buildkit", "CMD [\"/bin/sh\"]"]);
    let m = match_base(catalog, &BaseEvidence { history: &h, layer_count: 1, ..Default::default() }).unwrap();
    assert_eq!(m.strength, MatchStrength::Family);
    assert_eq!(m.image.as_deref(), Some("alpine:3.24"));
    let os = m.os.unwrap();
    assert_eq!((os.family.as_str(), os.version.as_str(), os.detail.as_deref()), ("alpine", "3.24", Some("3.24.0")));
}

#[test]
fn node_24_alpine_shares_its_exact_first_layer_but_not_the_alpine_row() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&[
        "ADD alpine-minirootfs-3.24.1-x86_64.tar.gz / # buildkit",
        "CMD [\"/bin/sh\"]",
        "ENV NODE_VERSION=24.19.0",
    ]);
    let env = vec!["NODE_VERSION=24.19.0".to_string()];
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:55afa1ecc21d2bb5e5045f32dafee56272ffd89860bac26f6c32123439af26a4"),
        layer_count: 4,
        env: &env,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.strength, MatchStrength::LayerDigest);
    assert_eq!(m.image.as_deref(), Some("node:24-alpine"));
    assert!(!m.candidates.iter().any(|c| c == "alpine:3.24"));
}

#[test]
fn debian_marker_line_without_digest_is_told_apart_by_layer_size() {
    let catalog = Catalog::builtin().unwrap();
    // A legacy docker save: no compressed digests, only the history line and the layer's tar size.
    let h = history(&["# debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200'"]);
    let slim =
        BaseEvidence { history: &h, first_layer_uncompressed: Some(74_830_000), layer_count: 1, ..Default::default() };
    let m = match_base(catalog, &slim).unwrap();
    assert_eq!(m.strength, MatchStrength::Marker);
    assert_eq!(m.image.as_deref(), Some("debian:bookworm-slim"));
    let full = BaseEvidence { first_layer_uncompressed: Some(116_570_000), ..slim };
    assert_eq!(match_base(catalog, &full).unwrap().image.as_deref(), Some("debian:bookworm"));
    assert_eq!(match_base(catalog, &full).unwrap().os.unwrap().built.as_deref(), Some("2026-08-03"));
}

#[test]
fn python_slim_history_matches_python_over_debian_trixie_slim() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&[
        "# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'",
        "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "ENV LANG=C.UTF-8",
        "RUN /bin/sh -c set -eux; apt-get update # buildkit",
    ]);
    let env = vec!["PYTHON_VERSION=3.12.13".to_string()];
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:26c307b5e35a59ce911f5fde5b9458120ec8734e831ea2da5649a9ad14abfd3d"),
        layer_count: 5,
        env: &env,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.image.as_deref(), Some("python:3.12-slim"));
    assert!(m.candidates.iter().any(|c| c == "debian:trixie-slim"));
    // Without the python lines, the plain Debian row is the base.
    let only_debian =
        history(&["# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'", "RUN /bin/sh -c apt-get update"]);
    let evidence = BaseEvidence { history: &only_debian, layer_count: 2, ..evidence };
    assert_eq!(match_base(catalog, &evidence).unwrap().image.as_deref(), Some("debian:trixie-slim"));
}

#[test]
fn python_3_12_full_sits_on_debian_trixie() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&["# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'"]);
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:1da3cb2f93f2ca3c5bdaf4c024a7f1ebd717938d20c858e4be4b9aa81fc8608c"),
        layer_count: 1,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.image.as_deref(), Some("debian:trixie"));
    assert!(m.candidates.iter().any(|c| c == "python:3.12"));
}

#[test]
fn ubuntu_add_file_hash_is_an_exact_match() {
    let catalog = Catalog::builtin().unwrap();
    let h = history(&[
        "/bin/sh -c #(nop)  ARG RELEASE",
        "/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH",
        "/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=24.04",
        "/bin/sh -c #(nop) ADD file:43d479b270bbaf47965cfc86b37f4c517bda83ddefda6f708f98c3b2b7d15396 in / ",
        "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]",
        "/bin/sh -c apt-get update && apt-get install -y openjdk-21-jre-headless",
    ]);
    let m = match_base(catalog, &BaseEvidence { history: &h, layer_count: 2, ..Default::default() }).unwrap();
    assert_eq!(m.strength, MatchStrength::AddHash);
    assert_eq!(m.image.as_deref(), Some("ubuntu:24.04"));
    // Another 24.04 build: only the LABEL tells the version.
    let other: Vec<String> = h.iter().map(|l| l.replace("43d479b2", "00000000")).collect();
    let m = match_base(catalog, &BaseEvidence { history: &other, layer_count: 2, ..Default::default() }).unwrap();
    assert_eq!(m.strength, MatchStrength::Family);
    assert_eq!(m.image.as_deref(), Some("ubuntu:24.04"));
}

#[test]
fn rockcraft_and_busybox_markers_give_their_family() {
    let catalog = Catalog::builtin().unwrap();
    let rock = history(&["RUN umoci raw add-layer --image /home/buildd/rockcraft-ubuntu-0123/images/ubuntu:rockcraft-base /x.tar --tag 26.04"]);
    let m = match_base(catalog, &BaseEvidence { history: &rock, layer_count: 2, ..Default::default() }).unwrap();
    assert_eq!((m.strength, m.image.as_deref()), (MatchStrength::Family, Some("ubuntu:26.04")));
    let bb = history(&["BusyBox 1.38.0 (musl), Alpine 3.23.5"]);
    let m = match_base(catalog, &BaseEvidence { history: &bb, layer_count: 1, ..Default::default() }).unwrap();
    assert_eq!(m.image.as_deref(), Some("busybox:1.38-musl"));
}

#[test]
fn unknown_history_matches_nothing() {
    let catalog = Catalog::builtin().unwrap();
    let h =
        history(&["/bin/sh -c #(nop) ADD file:ce026b62356eec3ad1214f92be2c9dc063fe205bd5e600be3492c4dfb17148bd in / "]);
    assert!(match_base(catalog, &BaseEvidence { history: &h, layer_count: 1, ..Default::default() }).is_none());
    assert!(match_base(catalog, &BaseEvidence::default()).is_none());
}

#[test]
fn a_shared_rootfs_with_other_history_is_a_family_match() {
    let catalog = Catalog::builtin().unwrap();
    // The bookworm-slim build under node:22-slim, but with the user's own second line: not node:22-slim.
    let h = history(&[
        "# debian.sh --arch 'amd64' out/ 'bookworm' '@1789689600'",
        "RUN /bin/sh -c apt-get update && apt-get install -y python3 # buildkit",
    ]);
    let evidence = BaseEvidence {
        history: &h,
        first_layer_digest: Some("sha256:774043ccc8ccd0d0833a9ee0792142ab7ad93df971e59dd248fbf82db16d0150"),
        first_layer_compressed: Some(28_238_443),
        layer_count: 2,
        ..Default::default()
    };
    let m = match_base(catalog, &evidence).unwrap();
    assert_eq!(m.strength, MatchStrength::Family);
    assert_eq!(m.image.as_deref(), Some("debian:bookworm-slim"));
    assert!(m.evidence.contains("same root filesystem build as node:22-slim"), "{}", m.evidence);
    assert_eq!(m.os.unwrap().built.as_deref(), Some("2026-09-18"));
}
