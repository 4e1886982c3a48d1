//! Avoidable-bytes and security findings on a generated image, with bytes measured from it, and the
//! report's stable JSON field names.

mod recommend_support;

use expect_test::expect;
use layerlens_core::recommend::rootfs::{ConfigView, HiddenFile, HiddenGroup};
use layerlens_core::recommend::{recommend_image, Category};
use recommend_support::*;

fn image() -> layerlens_core::recommend::ImageView {
    let mut view = debian_like()
        .sized("usr/include/stdio.h", 30_000, 1)
        .sized("usr/lib/gcc/x86_64-linux-gnu/12/cc1", 900_000, 1)
        .sized("usr/bin/make", 250_000, 1)
        .sized("var/lib/apt/lists/deb_Packages", 400_000, 1)
        .sized("var/cache/apt/archives/gcc_12.deb", 300_000, 1)
        .sized("usr/share/doc/gcc-12/changelog.gz", 5_000, 1)
        .sized("usr/share/man/man1/gcc.1.gz", 7_000, 1)
        .sized("usr/share/locale/de/LC_MESSAGES/gcc.mo", 11_000, 1)
        .sized("root/.cache/pip/http/ab/cd", 70_000, 2)
        .sized("app/.git/objects/pack/p.pack", 44_000, 2)
        .sized("app/src/__pycache__/main.cpython-312.pyc", 3_000, 2)
        .sized("usr/local/lib/python3.12/site-packages/numpy/tests/test_x.py", 8_000, 2)
        .mode("usr/bin/passwd", 60_000, 0o4755, 0)
        .mode("app/data/shared.db", 1_000, 0o666, 2)
        .mode("tmp", 0, 0o1777, 0)
        .sized("app/deploy/server.key", 1_700, 2)
        .config(ConfigView {
            known: true,
            env: vec!["PYTHON_VERSION=3.12.4".into(), "API_TOKEN=s3cr3tvalue".into()],
            user: String::new(),
            command: vec!["python".into(), "main.py".into()],
            history: vec![
                "# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'".into(),
                "RUN /bin/sh -c apt-get update && apt-get install -y gcc make".into(),
                "|1 PIP_PASSWORD=hunter22 /bin/sh -c pip install -r requirements.txt".into(),
            ],
            history_layer: vec![Some(0), Some(1), Some(2)],
        })
        .build();
    view.hidden = vec![HiddenGroup { shipped_in: 1, hidden_by: 2, metadata_only: false, bytes: 120_000, files: 2 }];
    view.hidden_files = vec![HiddenFile {
        path: "tmp/build.tar".into(),
        size: 100_000,
        shipped_in: 1,
        hidden_by: 2,
        metadata_only: false,
    }];
    view
}

#[test]
fn findings_are_measured_and_ranked() {
    let recs = recommend_image(&image()).unwrap();
    let listed: String = recs
        .findings
        .iter()
        .map(|f| {
            format!(
                "{:?} {:?} {} bytes={} own={} files={} layers={:?}\n",
                f.category, f.severity, f.id, f.bytes, f.own_bytes, f.files, f.layers
            )
        })
        .collect();
    expect![[r#"
        Avoidable Info toolchain bytes=1180000 own=1180000 files=3 layers=[1]
        Avoidable Info apt-lists bytes=400000 own=400000 files=1 layers=[1]
        Avoidable Info apt-archives bytes=300000 own=300000 files=1 layers=[1]
        Avoidable Info hidden-files bytes=120000 own=120000 files=2 layers=[1]
        Avoidable Info pip-cache bytes=70000 own=70000 files=1 layers=[2]
        Avoidable Info git-dirs bytes=44000 own=44000 files=1 layers=[2]
        Avoidable Info docs bytes=12000 own=12000 files=2 layers=[1]
        Avoidable Info locales bytes=11000 own=11000 files=1 layers=[1]
        Avoidable Info dependency-tests bytes=8000 own=8000 files=1 layers=[2]
        Avoidable Info pycache bytes=3000 own=3000 files=1 layers=[2]
        Security High secret-files bytes=0 own=0 files=1 layers=[]
        Security High secrets-in-config bytes=0 own=0 files=2 layers=[]
        Security Warn root-user bytes=0 own=0 files=0 layers=[]
        Security Warn world-writable bytes=0 own=0 files=1 layers=[]
        Security Info setuid-setgid bytes=0 own=0 files=1 layers=[]
        Security Info shell-and-package-manager bytes=0 own=0 files=0 layers=[]
    "#]]
    .assert_eq(&listed);
    let toolchain = recs.findings.iter().find(|f| f.id == "toolchain").unwrap();
    assert!(toolchain.how.contains("gcc-12") && toolchain.how.contains("libssl-dev"), "{}", toolchain.how);
    let secrets = recs.findings.iter().find(|f| f.id == "secrets-in-config").unwrap();
    assert_eq!(secrets.examples, ["ENV API_TOKEN=s3***", "history: PIP_PASSWORD=hu***"]);
    assert!(recs.findings.iter().all(|f| f.category == Category::Security || f.bytes > 0));
    let actions: Vec<(&str, Option<u64>)> = recs.actions.iter().map(|a| (a.id.as_str(), a.bytes_saved)).collect();
    expect![[r#"[("multi-stage", Some(1950000)), ("toolchain", Some(1180000)), ("apt-lists", Some(400000)), ("apt-archives", Some(300000)), ("hidden-files", Some(120000)), ("pip-cache", Some(70000)), ("git-dirs", Some(44000)), ("docs", Some(12000)), ("locales", Some(11000)), ("dependency-tests", Some(8000)), ("pycache", Some(3000)), ("switch-base", Some(11743022)), ("no-install-recommends", None)]"#]].assert_eq(&format!("{actions:?}"));
}

#[test]
fn report_json_field_names_are_stable() {
    let recs = recommend_image(&image()).unwrap();
    let json = serde_json::to_value(&recs).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    expect![[r#"["actions", "alternatives", "base", "dockerfile", "facts", "findings", "schema_version", "size", "subject", "unknowns"]"#]].assert_eq(&format!("{keys:?}"));
    let finding_keys: Vec<&String> = json["findings"][0].as_object().unwrap().keys().collect();
    expect![[
        r#"["bytes", "category", "examples", "files", "how", "id", "layer_bytes", "layers", "own_bytes", "severity", "title", "why"]"#
    ]]
    .assert_eq(&format!("{finding_keys:?}"));
    let alt_keys: Vec<&String> = json["alternatives"][0].as_object().unwrap().keys().collect();
    expect![[r#"["blockers", "compressed_bytes", "compressed_saving_bytes", "current", "estimated_compressed_image_bytes", "estimated_image_bytes", "image", "libc", "os_version", "package_manager", "saving_bytes", "shell", "source", "tradeoffs", "uncompressed_bytes", "variant"]"#]].assert_eq(&format!("{alt_keys:?}"));
    let back: layerlens_core::recommend::Recommendations = serde_json::from_value(json).unwrap();
    assert_eq!(back, recs);
}

#[test]
fn musl_alternatives_are_blocked_by_glibc_linked_files() {
    let view = debian_like()
        .elf("app/node_modules/bcrypt/build/Release/bcrypt_lib.node", elf_shared(&["libc.so.6"]), 250_000, 2)
        .config(ConfigView {
            known: true,
            env: vec!["NODE_VERSION=22.23.2".into()],
            user: "node".into(),
            command: vec!["node".into(), "server.js".into()],
            history: vec!["# debian.sh --arch 'amd64' out/ 'bookworm' '@1785715200'".into()],
            history_layer: Vec::new(),
        })
        .build();
    let recs = recommend_image(&view).unwrap();
    let alpine = recs.alternatives.iter().find(|a| a.image == "node:22-alpine").unwrap();
    assert_eq!(
        alpine.blockers,
        ["musl instead of glibc: 1 of your files link glibc and would break: /app/node_modules/bcrypt/build/Release/bcrypt_lib.node"]
    );
    let slim = recs.alternatives.iter().find(|a| a.image == "node:22-slim").unwrap();
    assert!(slim.blockers.is_empty(), "{:?}", slim.blockers);
    assert!(recs.actions.iter().all(|a| !(a.id == "switch-base" && a.title.contains("alpine"))), "{:?}", recs.actions);
    assert!(recs.findings.iter().all(|f| f.id != "root-user"), "USER node is set");
}
