//! The article's node-vanilla example end to end: a generated `docker save` of a node:8-style image built
//! from the vanilla Dockerfile goes through the image engine and the recommendation engine; the
//! Dockerfile alone gets the multi-stage → distroless → alpine path.

mod recommend_support;

use layerlens_core::image::{analyze, AnalyzeOptions};
use layerlens_core::recommend::{
    capture_options, recommend_both, recommend_dockerfile, render_markdown, ImageView, MatchStrength,
};
use layerlens_core::{MemSource, Silent};
use recommend_support::{docker_save, elf_dynamic, elf_shared, Layer, DEBIAN_OS_RELEASE, DPKG_STATUS};

const DOCKERFILE: &str = "# The article's vanilla Node.js image.
FROM node:8
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
CMD [\"node\", \"index.js\"]
";

const PACKAGE_JSON: &[u8] =
    br#"{"name":"vanilla","dependencies":{"express":"^4.16.0"},"devDependencies":{"mocha":"^5.0.0"}}"#;

fn built_image() -> Vec<u8> {
    let glibc = "/lib64/ld-linux-x86-64.so.2";
    let rootfs = Layer::new()
        .file("usr/lib/os-release", DEBIAN_OS_RELEASE)
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("etc/debian_version", b"12.7\n")
        .file("var/lib/dpkg/status", DPKG_STATUS)
        .file_mode("usr/bin/bash", &elf_dynamic(glibc), 0o755)
        .symlink("bin", "usr/bin")
        .symlink("usr/bin/sh", "bash")
        .file_mode("usr/bin/apt-get", &elf_dynamic(glibc), 0o755)
        .file_mode("usr/bin/dpkg", &elf_dynamic(glibc), 0o755)
        .file("usr/lib/x86_64-linux-gnu/libc.so.6", &vec![1u8; 20_000])
        .file("usr/share/doc/libc6/changelog.gz", &vec![2u8; 30_000])
        .file("usr/include/stdio.h", &vec![3u8; 9_000])
        .file_mode("usr/bin/gcc-12", &elf_dynamic(glibc), 0o755)
        .file(
            "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
            &vec![4u8; 40_000],
        )
        .build();
    let node = Layer::new().file_mode("usr/local/bin/node", &vec![5u8; 50_000], 0o755).build();
    let workdir = Layer::new().dir("usr/src/app").build();
    let package = Layer::new().file("usr/src/app/package.json", PACKAGE_JSON).build();
    let install = Layer::new()
        .file("usr/src/app/node_modules/express/index.js", &vec![6u8; 12_000])
        .file("usr/src/app/node_modules/mocha/lib/mocha.js", &vec![7u8; 25_000])
        .file("usr/src/app/node_modules/express/test/app.js", &vec![8u8; 3_000])
        .file_mode("usr/src/app/node_modules/bcrypt/build/Release/bcrypt_lib.node", &elf_shared(&["libc.so.6"]), 0o755)
        .file("root/.npm/_cacache/content-v2/sha512/ab/cd", &vec![9u8; 60_000])
        .build();
    let app = Layer::new()
        .file("usr/src/app/index.js", b"require('express')().listen(3000);\n")
        .file("usr/src/app/.git/objects/pack/pack-1.pack", &vec![10u8; 15_000])
        .file("usr/src/app/.env", b"DB_PASSWORD=hunter2\n")
        .build();
    let history: &[(&str, bool)] = &[
        ("# debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200'", false),
        ("ENV NODE_VERSION=8.17.0", true),
        ("RUN /bin/sh -c curl -fsSL node.tar.xz | tar -xJ -C /usr/local # buildkit", false),
        ("CMD [\"node\"]", true),
        ("WORKDIR /usr/src/app", false),
        ("COPY package*.json ./ # buildkit", false),
        ("RUN /bin/sh -c npm install # buildkit", false),
        ("COPY . . # buildkit", false),
        ("EXPOSE map[3000/tcp:{}]", true),
        ("CMD [\"node\" \"index.js\"]", true),
    ];
    let config = serde_json::json!({
        "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "NODE_VERSION=8.17.0"],
        "Cmd": ["node", "index.js"],
        "WorkingDir": "/usr/src/app",
    });
    docker_save("vanilla:latest", history, &[rootfs, node, workdir, package, install, app], config)
}

fn view() -> ImageView {
    let options = AnalyzeOptions { capture: capture_options(), ..Default::default() };
    let source = MemSource::new(built_image());
    let report = analyze(&source, &options, &mut Silent).unwrap();
    ImageView::from_report(&report)
}

#[test]
fn image_and_dockerfile_give_measured_findings_and_bytes_per_instruction() {
    let view = view();
    let recs = recommend_both(&view, DOCKERFILE).unwrap();
    let base = recs.base.as_ref().unwrap();
    assert_eq!(base.strength, MatchStrength::Marker);
    assert_eq!(recs.size.base_layers, 1);
    let facts = recs.facts.as_ref().unwrap();
    assert_eq!(facts.os.version, "12.7");
    assert_eq!(facts.runtimes[0].name, "node");
    assert_eq!(facts.runtimes[0].version.as_deref(), Some("8.17.0"), "from ENV NODE_VERSION in the config");
    assert!(recs.findings.iter().any(|f| f.id == "root-user"), "no USER in the config");
    let by_id = |id: &str| recs.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no {id}"));
    assert_eq!(by_id("npm-cache").own_bytes, 60_000);
    assert_eq!(by_id("node-dev-dependencies").own_bytes, 25_000);
    assert_eq!(by_id("dependency-tests").own_bytes, 3_000);
    assert_eq!(by_id("git-dirs").own_bytes, 15_000);
    assert_eq!(by_id("apt-lists").own_bytes, 0, "the lists come with the base");
    assert_eq!(by_id("apt-lists").bytes, 40_000);
    assert!(by_id("secret-files").examples.iter().any(|e| e == "/usr/src/app/.env"));
    let multi = recs.actions.iter().find(|a| a.id == "multi-stage").unwrap();
    assert_eq!(multi.bytes_saved, Some(85_000), "npm cache + devDependencies");
    assert_eq!(recs.actions[0].id, "multi-stage");
    let advice = recs.dockerfile.as_ref().unwrap();
    let costs: Vec<(usize, u64, Option<usize>)> =
        advice.instruction_costs.iter().map(|c| (c.line, c.bytes, c.layer)).collect();
    let npm_install_bytes = 12_000 + 25_000 + 3_000 + 60_000 + elf_shared(&["libc.so.6"]).len() as u64;
    assert_eq!(
        costs,
        [
            (3, 0, Some(2)),
            (4, PACKAGE_JSON.len() as u64, Some(3)),
            (5, npm_install_bytes, Some(4)),
            (6, 35 + 15_000 + 20, Some(5)),
            (7, 0, None),
            (8, 0, None)
        ]
    );
    assert_eq!(recs.alternatives[0].image, "node:8", "the Dockerfile's FROM is the current base");
    let alpine = recs.alternatives.iter().find(|a| a.image == "node:8-alpine").unwrap();
    // The 4 KiB ELF heads reach the native module's DT_NEEDED entries, so musl is a known blocker, not a guess.
    assert!(
        alpine.blockers.iter().any(|b| b.contains("link glibc") && b.contains("bcrypt_lib.node")),
        "{:?}",
        alpine.blockers
    );
    let distroless = recs.alternatives.iter().find(|a| a.image.starts_with("gcr.io/distroless/nodejs")).unwrap();
    assert!(distroless.tradeoffs.iter().any(|t| t.contains("changes the node version")), "{:?}", distroless.tradeoffs);
    let md = render_markdown(&recs);
    assert!(md.contains("### What to change"), "{md}");
    assert!(md.contains("```diff"), "{md}");
}

#[test]
fn dockerfile_alone_follows_the_article_path() {
    // The article measured node:8 at 681 MB and node:8-alpine at 69.7 MB; neither tag is in the catalog
    // (its snapshot covers Node 22–26), so the sizes are reported as unknown rather than guessed.
    let recs = recommend_dockerfile(DOCKERFILE).unwrap();
    let advice = recs.dockerfile.as_ref().unwrap();
    assert_eq!(advice.ecosystem.as_deref(), Some("node"));
    assert_eq!(advice.estimate.base, "node:8");
    assert_eq!(advice.estimate.base_uncompressed_bytes, None);
    assert_eq!(advice.estimate.catalog_row, None, "node:8 is not in the catalog");
    assert!(advice.estimate.unknown.iter().all(|u| !u.contains("node:8")), "{:?}", advice.estimate.unknown);
    let text = layerlens_core::recommend::render_text(&recs);
    assert!(text.contains("final base node:8: not in the base-image catalog, so its size is unknown"), "{text}");
    let path: Vec<&str> = advice.rewrites.iter().map(|r| r.final_base.as_str()).collect();
    assert_eq!(path, ["node:8-slim", "gcr.io/distroless/nodejs22-debian13:latest", "node:8-alpine"]);
    let alternatives: Vec<&str> = recs.alternatives.iter().map(|a| a.image.as_str()).collect();
    assert_eq!(alternatives[0], "node:8", "the current base comes first");
    assert!(alternatives.contains(&"node:8-alpine"));
    assert!(recs
        .alternatives
        .iter()
        .any(|a| a.image == "node:8-alpine" && a.tradeoffs.iter().any(|t| t.contains("musl"))));
}
