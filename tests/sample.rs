//! Generates the built-in sample image `www/samples/sample.tar` and checks that the committed file is exactly
//! what this generator makes. Regenerate it with `LAYERLENS_UPDATE_SAMPLE=1 cargo test --test sample`.
//!
//! The sample is a small `docker save` archive (legacy layout: manifest.json, a config, `<id>/layer.tar`) of a
//! Python web app whose history holds the classic mistakes: a package index deleted in a later layer, a file
//! copied twice, and a permission change that ships a file again.

#![cfg(not(target_arch = "wasm32"))]

use sha2::{Digest, Sha256};
use std::path::PathBuf;

const MTIME: u64 = 1_700_000_000;

enum Item {
    Dir(&'static str),
    File { path: String, mode: u32, data: Vec<u8> },
    Whiteout(&'static str),
}

fn file(path: &str, data: impl Into<Vec<u8>>) -> Item {
    Item::File { path: path.to_string(), mode: 0o644, data: data.into() }
}

fn layer_tar(items: &[Item]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for item in items {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(MTIME);
        header.set_uid(0);
        header.set_gid(0);
        match item {
            Item::Dir(path) => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_size(0);
                builder.append_data(&mut header, format!("{path}/"), &[][..]).unwrap();
            }
            Item::File { path, mode, data } => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(*mode);
                header.set_size(data.len() as u64);
                builder.append_data(&mut header, path, &data[..]).unwrap();
            }
            Item::Whiteout(path) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(0o644);
                header.set_size(0);
                builder.append_data(&mut header, path, &[][..]).unwrap();
            }
        }
    }
    builder.into_inner().unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A Debian-style package index: the kind of file `apt-get update` leaves behind.
fn package_index() -> String {
    let names = [
        "adduser",
        "apt",
        "base-files",
        "bash",
        "ca-certificates",
        "coreutils",
        "dash",
        "debconf",
        "diffutils",
        "dpkg",
        "findutils",
        "gcc-12-base",
        "grep",
        "gzip",
        "hostname",
        "init-system-helpers",
        "libacl1",
        "libbz2-1.0",
        "libc6",
        "libcrypt1",
        "libexpat1",
        "libffi8",
        "liblzma5",
        "libncursesw6",
        "libreadline8",
        "libsqlite3-0",
        "libssl3",
        "libtinfo6",
        "libuuid1",
        "login",
        "mawk",
        "media-types",
        "mount",
        "ncurses-base",
        "openssl",
        "passwd",
        "perl-base",
        "python3",
        "python3-minimal",
        "python3.11",
        "python3.11-minimal",
        "readline-common",
        "sed",
        "sysvinit-utils",
        "tar",
        "tzdata",
        "util-linux",
        "zlib1g",
    ];
    let mut out = String::new();
    for (i, name) in names.iter().cycle().take(120).enumerate() {
        let round = i / names.len();
        out.push_str(&format!(
            "Package: {name}{suffix}\nVersion: {major}.{minor}-{rev}\nArchitecture: amd64\n\
             Maintainer: Debian Maintainers <debian-devel@lists.debian.org>\nInstalled-Size: {size}\n\
             Filename: pool/main/{initial}/{name}/{name}_{major}.{minor}-{rev}_amd64.deb\nSize: {deb}\n\
             SHA256: {sum}\nSection: {section}\nPriority: optional\n\
             Description: {name} package from the sample distribution\n\n",
            suffix = if round == 0 { String::new() } else { format!("-doc{round}") },
            major = 1 + i % 7,
            minor = (i * 13) % 40,
            rev = 1 + i % 3,
            size = 100 + (i * 37) % 4000,
            initial = &name[..1],
            deb = 20_000 + (i * 7919) % 900_000,
            sum = sha256(format!("{name}-{i}").as_bytes()),
            section = ["admin", "libs", "utils", "python", "shells"][i % 5],
        ));
    }
    out
}

/// A small CSV data set shipped with the app.
fn cities_csv() -> String {
    let cities = [
        ("Amsterdam", "NL", 52.37, 4.90),
        ("Berlin", "DE", 52.52, 13.40),
        ("Bogotá", "CO", 4.71, -74.07),
        ("Cairo", "EG", 30.04, 31.24),
        ("Helsinki", "FI", 60.17, 24.94),
        ("Lagos", "NG", 6.52, 3.38),
        ("Lima", "PE", -12.05, -77.04),
        ("Montréal", "CA", 45.50, -73.57),
        ("Mumbai", "IN", 19.08, 72.88),
        ("Nairobi", "KE", -1.29, 36.82),
        ("Osaka", "JP", 34.69, 135.50),
        ("Oslo", "NO", 59.91, 10.75),
        ("Santiago", "CL", -33.45, -70.67),
        ("Seoul", "KR", 37.57, 126.98),
        ("Sydney", "AU", -33.87, 151.21),
        ("Vienna", "AT", 48.21, 16.37),
    ];
    let mut out = String::from("id,city,country,latitude,longitude,day,temperature_c\n");
    for day in 0..40u32 {
        for (i, (city, country, lat, lon)) in cities.iter().enumerate() {
            let id = day as usize * cities.len() + i;
            let temp = ((id * 7919) % 400) as f64 / 10.0 - 5.0;
            out.push_str(&format!("{id},{city},{country},{lat:.2},{lon:.2},{},{temp:.1}\n", day + 1));
        }
    }
    out
}

const SERVER_PY: &str = r#"#!/usr/bin/env python3
"""A tiny HTTP service that serves city temperatures from a CSV file."""

import csv
import json
from http.server import BaseHTTPRequestHandler, HTTPServer

DATA = "/app/data/cities.csv"


def load():
    with open(DATA, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Handler(BaseHTTPRequestHandler):
    rows = load()

    def do_GET(self):
        city = self.path.strip("/").lower()
        rows = [r for r in self.rows if r["city"].lower() == city] if city else self.rows
        body = json.dumps(rows).encode("utf-8")
        self.send_response(200 if rows else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", 8080), Handler).serve_forever()
"#;

struct Step {
    created_by: &'static str,
    items: Option<Vec<Item>>,
}

fn steps() -> Vec<Step> {
    let index = package_index();
    let cities = cities_csv();
    vec![
        Step {
            created_by: "ADD rootfs.tar / # buildkit",
            items: Some(vec![
                Item::Dir("etc"),
                file(
                    "etc/os-release",
                    "PRETTY_NAME=\"layerlens sample Linux\"\nNAME=\"layerlens sample\"\nID=layerlens-sample\n\
                     VERSION_ID=\"1\"\nHOME_URL=\"https://example.invalid/\"\n",
                ),
                file(
                    "etc/passwd",
                    "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
                     nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:1000:1000::/app:/bin/sh\n",
                ),
                file("etc/group", "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\napp:x:1000:\n"),
                file("etc/hostname", "sample\n"),
                Item::Dir("usr"),
                Item::Dir("usr/share"),
                Item::Dir("usr/share/doc"),
                Item::Dir("usr/share/doc/layerlens-sample"),
                file(
                    "usr/share/doc/layerlens-sample/README",
                    "This image is the built-in sample of layerlens. Its layers repeat three common mistakes:\n\
                     a package index deleted in a later RUN (the bytes still ship), a data file copied twice,\n\
                     and a chmod in its own RUN, which ships the whole file again.\n",
                ),
            ]),
        },
        Step {
            created_by: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends python3 # buildkit",
            items: Some(vec![
                Item::Dir("var"),
                Item::Dir("var/lib"),
                Item::Dir("var/lib/apt"),
                Item::Dir("var/lib/apt/lists"),
                file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", index),
                Item::Dir("usr"),
                Item::Dir("usr/local"),
                Item::Dir("usr/local/bin"),
                Item::File {
                    path: "usr/local/bin/healthcheck".into(),
                    mode: 0o755,
                    data: b"#!/bin/sh\nexec python3 -c 'import urllib.request as u; u.urlopen(\"http://127.0.0.1:8080/\")'\n"
                        .to_vec(),
                },
            ]),
        },
        Step { created_by: "ENV PYTHONUNBUFFERED=1", items: None },
        Step { created_by: "WORKDIR /app", items: None },
        Step {
            created_by: "COPY app/ /app/ # buildkit",
            items: Some(vec![
                Item::Dir("app"),
                file("app/server.py", SERVER_PY),
                file("app/requirements.txt", "# The service uses only the Python standard library.\n"),
                Item::Dir("app/data"),
                file("app/data/cities.csv", cities.clone()),
            ]),
        },
        Step {
            created_by: "COPY app/data/cities.csv /app/backup/cities.csv # buildkit",
            items: Some(vec![Item::Dir("app"), Item::Dir("app/backup"), file("app/backup/cities.csv", cities)]),
        },
        Step {
            created_by: "RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit",
            items: Some(vec![
                Item::Dir("var"),
                Item::Dir("var/lib"),
                Item::Dir("var/lib/apt"),
                Item::Dir("var/lib/apt/lists"),
                Item::Whiteout("var/lib/apt/lists/.wh.deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"),
            ]),
        },
        Step {
            created_by: "RUN /bin/sh -c chmod 755 /app/server.py # buildkit",
            items: Some(vec![
                Item::Dir("app"),
                Item::File { path: "app/server.py".into(), mode: 0o755, data: SERVER_PY.as_bytes().to_vec() },
            ]),
        },
        Step { created_by: "EXPOSE map[8080/tcp:{}]", items: None },
        Step { created_by: "USER app", items: None },
        Step { created_by: "CMD [\"python3\" \"server.py\"]", items: None },
    ]
}

/// Builds the whole sample archive.
fn sample() -> Vec<u8> {
    let mut layers = Vec::new();
    let mut history = Vec::new();
    for step in steps() {
        let created = "2023-11-14T22:13:20Z";
        match step.items {
            Some(items) => {
                let tar = layer_tar(&items);
                history.push(format!(
                    r#"{{"created":"{created}","created_by":{:?},"comment":"buildkit.dockerfile.v0"}}"#,
                    step.created_by
                ));
                layers.push(tar);
            }
            None => history.push(format!(
                r#"{{"created":"{created}","created_by":{:?},"comment":"buildkit.dockerfile.v0","empty_layer":true}}"#,
                step.created_by
            )),
        }
    }
    let diff_ids: Vec<String> = layers.iter().map(|l| format!("\"sha256:{}\"", sha256(l))).collect();
    let config = format!(
        concat!(
            r#"{{"architecture":"amd64","os":"linux","created":"2023-11-14T22:13:20Z","#,
            r#""config":{{"User":"app","ExposedPorts":{{"8080/tcp":{{}}}},"#,
            r#""Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","PYTHONUNBUFFERED=1"],"#,
            r#""Cmd":["python3","server.py"],"WorkingDir":"/app"}},"#,
            r#""rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[{}]}}"#
        ),
        diff_ids.join(","),
        history.join(",")
    );
    let config_hex = sha256(config.as_bytes());
    let layer_dirs: Vec<String> = layers.iter().map(|l| sha256(l)).collect();
    let manifest = format!(
        r#"[{{"Config":"{config_hex}.json","RepoTags":["layerlens/sample:1.0"],"Layers":[{}]}}]"#,
        layer_dirs.iter().map(|d| format!("\"{d}/layer.tar\"")).collect::<Vec<_>>().join(",")
    );
    let repositories =
        format!(r#"{{"layerlens/sample":{{"1.0":"{}"}}}}"#, layer_dirs.last().expect("the sample has layers"));

    let mut outer = Vec::new();
    for (dir, tar) in layer_dirs.iter().zip(&layers) {
        outer.push(Item::File { path: format!("{dir}/VERSION"), mode: 0o644, data: b"1.0".to_vec() });
        outer.push(Item::File { path: format!("{dir}/layer.tar"), mode: 0o644, data: tar.clone() });
    }
    outer.push(Item::File { path: format!("{config_hex}.json"), mode: 0o644, data: config.into_bytes() });
    outer.push(Item::File { path: "manifest.json".into(), mode: 0o644, data: manifest.into_bytes() });
    outer.push(Item::File { path: "repositories".into(), mode: 0o644, data: repositories.into_bytes() });
    layer_tar(&outer)
}

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/samples/sample.tar")
}

#[test]
fn committed_sample_matches_the_generator() {
    let fresh = sample();
    let path = sample_path();
    if std::env::var_os("LAYERLENS_UPDATE_SAMPLE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        eprintln!("wrote {} ({} bytes)", path.display(), fresh.len());
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} differs from the generator's output ({} vs {} bytes); run `LAYERLENS_UPDATE_SAMPLE=1 cargo test --test sample`",
        path.display(),
        committed.len(),
        fresh.len()
    );
}

#[test]
fn generator_is_deterministic_and_small() {
    let a = sample();
    assert_eq!(a, sample());
    assert!(a.len() > 20_000 && a.len() < 200_000, "sample is {} bytes", a.len());
}

#[test]
fn sample_analyses_with_the_waste_it_was_built_to_show() {
    let bytes = sample();
    let source = layerlens_core::MemSource::new(bytes);
    let report = layerlens_web::report::analyze(
        &source,
        &layerlens_web::report::page_options(None, None),
        &mut layerlens_core::Silent,
    )
    .unwrap()
    .analysis;
    assert_eq!(report.image.tags, ["layerlens/sample:1.0"]);
    assert_eq!(report.layers.len(), 6);
    assert_eq!(report.history.len(), 11);
    assert_eq!(report.history.iter().filter(|h| h.empty_layer).count(), 5);
    // The package index deleted by layer 4 and server.py shipped again by the chmod in layer 5.
    let index_bytes = package_index().len() as u64;
    assert_eq!(report.waste.hidden_bytes, index_bytes + SERVER_PY.len() as u64);
    // The data file copied twice.
    assert_eq!(report.duplicates.saving_bytes, cities_csv().len() as u64);
}
