//! Base-image alternatives for a runtime and OS, with catalog sizes, estimated new image sizes and the
//! trade-offs spelled out.

use super::catalog::{split_tag, BaseImage, Catalog, Libc};
use super::detect::ImageFacts;
use serde::{Deserialize, Serialize};

/// One candidate base image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// `repo:tag`.
    pub image: String,
    /// Variant (full, slim, alpine, distroless-nodejs, scratch, …).
    pub variant: String,
    /// OS and version.
    pub os_version: String,
    /// The C library of the candidate.
    pub libc: Option<Libc>,
    /// Whether it has a shell.
    pub shell: Option<bool>,
    /// Whether it has a package manager.
    pub package_manager: Option<bool>,
    /// Registry transfer size (compressed) from the catalog.
    pub compressed_bytes: Option<u64>,
    /// On-disk size from the catalog.
    pub uncompressed_bytes: Option<u64>,
    /// The user's own layers plus this base, uncompressed, when both are known.
    pub estimated_image_bytes: Option<u64>,
    /// The user's own layers plus this base, compressed (registry) bytes, when both are known: the own layers'
    /// stored sizes count only when the archive holds them compressed.
    #[serde(default)]
    pub estimated_compressed_image_bytes: Option<u64>,
    /// Uncompressed bytes saved against the current image (negative when larger), when known.
    pub saving_bytes: Option<i64>,
    /// Compressed bytes saved against the current base's catalog row, when both are catalogued.
    pub compressed_saving_bytes: Option<i64>,
    /// True for the row that is the image's current base.
    pub current: bool,
    /// What the switch costs or risks, in plain sentences.
    pub tradeoffs: Vec<String>,
    /// Reasons the switch would break the image as it is; empty when none are known.
    pub blockers: Vec<String>,
    /// Where the catalog figures come from and their date.
    pub source: String,
}

/// What the alternatives are computed for.
#[derive(Debug, Clone, Default)]
pub struct AlternativeQuery<'a> {
    /// The current base's catalog row, when known.
    pub current: Option<&'a BaseImage>,
    /// The current base reference as written (e.g. `node:8` from a Dockerfile), when there is no row.
    pub current_reference: Option<&'a str>,
    /// The runtime name (`node`, `python`, `java`, `go`, `ruby`, `php`, `rust`) and major version.
    pub runtime: Option<(&'a str, Option<String>)>,
    /// The OS family of the current image (debian, ubuntu, alpine), when no runtime family applies.
    pub os_family: Option<&'a str>,
    /// What was detected in the image, for musl and static-binary checks.
    pub facts: Option<&'a ImageFacts>,
    /// The user's own layers' bytes (uncompressed), for estimates.
    pub own_bytes: Option<u64>,
    /// The whole current image's bytes (uncompressed), for savings.
    pub image_bytes: Option<u64>,
    /// The user's own layers' compressed bytes, when the archive stores them compressed.
    pub own_compressed_bytes: Option<u64>,
    /// The whole current image's compressed bytes, when the archive stores every layer compressed.
    pub image_compressed_bytes: Option<u64>,
    /// Whether the final command needs a shell (shell-form CMD/ENTRYPOINT).
    pub needs_shell: bool,
}

/// The catalog family that ships a runtime.
pub fn runtime_family(runtime: &str) -> Option<&'static str> {
    Some(match runtime {
        "node" => "node",
        "python" => "python",
        "java" => "eclipse-temurin",
        "go" => "golang",
        "ruby" => "ruby",
        "php" => "php",
        "rust" => "rust",
        _ => return None,
    })
}

/// The version line of a runtime tag: `22` of `node:22-slim`, `3.12` of `python:3.12-alpine`, `21` of
/// `eclipse-temurin:21-jre`.
pub fn tag_line(reference: &str) -> String {
    let (_, tag) = split_tag(reference);
    tag.split('-').next().unwrap_or(tag).to_string()
}

fn major_of(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

/// Whether a runtime tag line (`3.12`, `22`, `21`) matches the version (`3.12`, `22`, `21`).
fn line_matches(line: &str, version: &str) -> bool {
    line == version || major_of(line) == version
}

/// The candidate rows for a query: the current base first, then by registry size, smallest first.
pub fn alternatives(catalog: &Catalog, query: &AlternativeQuery<'_>) -> Vec<Alternative> {
    let mut rows: Vec<&BaseImage> = Vec::new();
    let mut derived: Vec<(String, String)> = Vec::new();
    let runtime = query.runtime.clone();
    if let Some((name, version)) = &runtime {
        if let Some(family) = runtime_family(name) {
            let line = version.clone().or_else(|| query.current.map(|c| tag_line(&c.image)));
            let line = line.or_else(|| query.current_reference.map(tag_line));
            let in_family: Vec<&BaseImage> = catalog
                .family(family)
                .filter(|r| !r.is_secondary())
                .filter(|r| line.as_deref().is_none_or(|l| line_matches(&tag_line(&r.image), l)))
                .collect();
            if in_family.is_empty() {
                if let Some(line) = &line {
                    // The version line is not catalogued (e.g. node:8): name the same-line variants, sizes unknown.
                    let repo = if family == "golang" { "golang" } else { family };
                    for variant in ["slim", "alpine"] {
                        derived.push((format!("{repo}:{line}-{variant}"), variant.to_string()));
                    }
                }
            }
            rows.extend(in_family);
            rows.extend(distroless_for(catalog, name, line.as_deref()));
            rows.extend(catalog.images.iter().filter(|r| r.is_secondary() && r.family == family));
        }
    }
    if runtime.is_none() {
        let family = query.current.map(|c| c.family.as_str()).or(query.os_family);
        if let Some(family) = family {
            let same: Vec<&BaseImage> = catalog.family(family).collect();
            rows.extend(same);
            if family != "alpine" && family != "busybox" {
                rows.extend(catalog.get("alpine:3.24"));
            }
            if family != "busybox" {
                rows.extend(catalog.get("gcr.io/distroless/base-debian13:latest"));
            }
        }
    }
    let has_static = query.facts.is_some_and(|f| f.static_binaries().next().is_some());
    if has_static || runtime.as_ref().is_some_and(|(n, _)| *n == "go" || *n == "rust") {
        rows.extend(catalog.get("gcr.io/distroless/static-debian13:latest"));
        rows.extend(catalog.get("cgr.dev/chainguard/static:latest"));
    }
    if let Some(current) = query.current {
        if !rows.iter().any(|r| r.image == current.image) {
            rows.insert(0, current);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    rows.retain(|r| seen.insert(r.image.clone()));

    let mut out: Vec<Alternative> = rows.into_iter().map(|row| from_row(row, query)).collect();
    for (image, variant) in derived {
        out.push(unknown_size(&image, &variant, query));
    }
    if has_static || runtime.as_ref().is_some_and(|(n, _)| *n == "go") {
        out.push(scratch(query));
    }
    if query.current.is_none() {
        if let Some(reference) = query.current_reference {
            if !out.iter().any(|a| a.image == reference) {
                let mut current = unknown_size(reference, "current", query);
                current.current = true;
                current.tradeoffs.clear();
                out.insert(0, current);
            }
        }
    }
    out.sort_by(|a, b| {
        b.current.cmp(&a.current).then_with(|| {
            // Registry (compressed) sizes are the figure nearly every row has, so they order the list;
            // rows with only an on-disk size follow, rows with neither come last. Units are never mixed.
            let size = |x: &Alternative| match (x.compressed_bytes, x.uncompressed_bytes) {
                (Some(c), _) => (0, c),
                (None, Some(u)) => (1, u),
                (None, None) => (2, 0),
            };
            size(a).cmp(&size(b))
        })
    });
    out
}

fn distroless_for<'a>(catalog: &'a Catalog, runtime: &str, line: Option<&str>) -> Vec<&'a BaseImage> {
    let name = match (runtime, line) {
        ("node", Some(l)) => format!("gcr.io/distroless/nodejs{}-debian13:latest", major_of(l)),
        ("python", _) => "gcr.io/distroless/python3-debian13:latest".to_string(),
        ("java", Some(l)) => format!("gcr.io/distroless/java{}-debian13:latest", major_of(l)),
        ("go" | "rust", _) => "gcr.io/distroless/static-debian13:latest".to_string(),
        _ => return Vec::new(),
    };
    let variant = match runtime {
        "node" => "distroless-nodejs",
        "java" => "distroless-java",
        _ => "",
    };
    // A runtime line without its own distroless image (e.g. Node 8) gets the first catalogued one; the
    // version change is then named as a trade-off.
    let fallback = || catalog.images.iter().find(|r| !variant.is_empty() && r.variant == variant);
    let mut rows: Vec<&BaseImage> = catalog.get(&name).or_else(fallback).into_iter().collect();
    if runtime == "rust" {
        rows.extend(catalog.get("gcr.io/distroless/cc-debian13:latest"));
    }
    rows
}

fn from_row(row: &BaseImage, query: &AlternativeQuery<'_>) -> Alternative {
    let current = query.current.is_some_and(|c| c.image == row.image);
    let estimated = match (query.own_bytes, row.uncompressed_bytes) {
        (Some(own), Some(base)) => Some(own.saturating_add(base)),
        _ => None,
    };
    let saving = match (query.image_bytes, estimated) {
        (Some(now), Some(new)) => Some(now as i64 - new as i64),
        _ => None,
    };
    let estimated_compressed = match (query.own_compressed_bytes, row.compressed_bytes) {
        (Some(own), Some(base)) => Some(own.saturating_add(base)),
        _ => None,
    };
    let compressed_saving = match (query.current.and_then(|c| c.compressed_bytes), row.compressed_bytes) {
        (Some(now), Some(new)) => Some(now as i64 - new as i64),
        _ => None,
    };
    let mut alt = Alternative {
        image: row.image.clone(),
        variant: row.variant.clone(),
        os_version: row.os_version.clone(),
        libc: row.libc,
        shell: row.shell(),
        package_manager: row.package_manager(),
        compressed_bytes: row.compressed_bytes,
        uncompressed_bytes: row.uncompressed_bytes,
        estimated_image_bytes: if current { query.image_bytes.or(estimated) } else { estimated },
        estimated_compressed_image_bytes: if current {
            query.image_compressed_bytes.or(estimated_compressed)
        } else {
            estimated_compressed
        },
        saving_bytes: if current { Some(0) } else { saving },
        compressed_saving_bytes: if current { Some(0) } else { compressed_saving },
        current,
        tradeoffs: Vec::new(),
        blockers: Vec::new(),
        source: format!("{} ({})", row.source.split(" ; ").next().unwrap_or(&row.source), row.data_date),
    };
    if !current {
        add_tradeoffs(&mut alt, row, query);
    }
    alt
}

fn unknown_size(image: &str, variant: &str, query: &AlternativeQuery<'_>) -> Alternative {
    let libc = if variant == "alpine" { Some(Libc::Musl) } else { Some(Libc::Glibc) };
    let mut alt = Alternative {
        image: image.to_string(),
        variant: variant.to_string(),
        os_version: if variant == "alpine" { "alpine".into() } else { "debian".into() },
        libc,
        shell: Some(true),
        package_manager: Some(true),
        compressed_bytes: None,
        uncompressed_bytes: None,
        estimated_image_bytes: None,
        estimated_compressed_image_bytes: None,
        saving_bytes: None,
        compressed_saving_bytes: None,
        current: false,
        tradeoffs: vec![format!("{image} is not in the catalog: its size is unknown here.")],
        blockers: Vec::new(),
        source: "derived from the tag naming of the official image; not catalogued".into(),
    };
    add_libc_tradeoffs(&mut alt, query);
    alt
}

fn scratch(query: &AlternativeQuery<'_>) -> Alternative {
    let mut alt = Alternative {
        image: "scratch".into(),
        variant: "scratch".into(),
        os_version: "none".into(),
        libc: Some(Libc::None),
        shell: Some(false),
        package_manager: Some(false),
        compressed_bytes: Some(0),
        uncompressed_bytes: Some(0),
        estimated_image_bytes: query.own_bytes,
        estimated_compressed_image_bytes: query.own_compressed_bytes,
        saving_bytes: match (query.image_bytes, query.own_bytes) {
            (Some(now), Some(own)) => Some(now as i64 - own as i64),
            _ => None,
        },
        compressed_saving_bytes: query.current.and_then(|c| c.compressed_bytes).map(|c| c as i64),
        current: false,
        tradeoffs: vec![
            "scratch is empty: no shell, no libc, no CA certificates, no /etc/passwd or time zones; copy what you need (e.g. /etc/ssl/certs/ca-certificates.crt).".into(),
        ],
        blockers: Vec::new(),
        source: "scratch is Docker's reserved empty image (0 bytes)".into(),
    };
    add_libc_tradeoffs(&mut alt, query);
    alt
}

fn add_tradeoffs(alt: &mut Alternative, row: &BaseImage, query: &AlternativeQuery<'_>) {
    if row.is_secondary() {
        alt.tradeoffs
            .push("Chainguard figures come from secondary sources; no size is published in the catalog.".into());
    }
    if row.variant.contains("slim") {
        alt.tradeoffs.push(
            "slim has fewer packages preinstalled (no gcc, make, git, headers): install build tools in a build stage if native modules must be compiled.".into(),
        );
    }
    if row.shell() == Some(false) {
        let debug = if row.family == "distroless" {
            " A `:debug` tag with a busybox shell exists for troubleshooting."
        } else {
            ""
        };
        alt.tradeoffs.push(format!(
            "No shell: RUN instructions cannot run in this stage and `docker exec … sh` is impossible; use exec-form CMD/ENTRYPOINT.{debug}"
        ));
        if query.needs_shell {
            alt.blockers.push("the image's command is in shell form (`/bin/sh -c …`), which needs a shell".into());
        }
    }
    if row.package_manager() == Some(false) {
        alt.tradeoffs.push("No package manager: install OS packages in a build stage and copy the results.".into());
    }
    if let (Some((name, Some(version))), true) = (&query.runtime, row.family == "distroless") {
        let major = version.split('.').next().unwrap_or(version);
        let tag_runtime = row.image.trim_start_matches("gcr.io/distroless/");
        let mismatch = match *name {
            "node" => !tag_runtime.starts_with(&format!("nodejs{major}-")),
            "java" => tag_runtime.starts_with("java") && !tag_runtime.starts_with(&format!("java{major}-")),
            _ => false,
        };
        if mismatch {
            alt.tradeoffs.push(format!(
                "This changes the {name} version: the catalog has no distroless image for {name} {major}; test the application on {}.",
                row.image
            ));
        }
    }
    if row.family == "distroless" && row.variant.contains("python3") {
        alt.tradeoffs.push("distroless python3-debian13 ships Debian's Python 3.13, not a chosen version.".into());
    }
    add_libc_tradeoffs(alt, query);
}

fn add_libc_tradeoffs(alt: &mut Alternative, query: &AlternativeQuery<'_>) {
    let Some(facts) = query.facts else {
        if alt.libc == Some(Libc::Musl) {
            alt.tradeoffs.push(
                "musl instead of glibc: prebuilt glibc binaries (native Node modules, gRPC, PhantomJS, manylinux wheels) break and must be rebuilt on Alpine.".into(),
            );
        }
        return;
    };
    let current_libc = facts.libc;
    match alt.libc {
        Some(Libc::Musl) if current_libc != Some(Libc::Musl) => {
            let glibc: Vec<String> = facts.glibc_linked().map(|f| f.path.clone()).collect();
            let unknown = facts.libc_unknown().count();
            if facts.own_elf.is_empty() {
                alt.tradeoffs.push(
                    "musl instead of glibc: no ELF header was captured in your own layers, so nothing of yours could be checked for glibc; rebuild native dependencies on Alpine.".into(),
                );
            } else if glibc.is_empty() {
                let mut text = "musl instead of glibc: none of your own ELF files shows a glibc dependency".to_string();
                if unknown > 0 {
                    text.push_str(&format!(" ({unknown} could not be checked from the captured bytes)"));
                }
                text.push_str("; rebuild native dependencies on Alpine.");
                alt.tradeoffs.push(text);
            } else {
                alt.blockers.push(format!(
                    "musl instead of glibc: {} of your files link glibc and would break: {}",
                    glibc.len(),
                    glibc.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Some(Libc::None) => {
            let statics: Vec<String> = facts.static_binaries().map(|f| f.path.clone()).collect();
            let dynamic = facts.own_elf.iter().filter(|f| f.elf.dynamic == Some(true)).count();
            if statics.is_empty() {
                alt.blockers.push(
                    "no libc: only statically linked binaries run here, and none was found among your files".into(),
                );
            } else {
                alt.tradeoffs.push(format!(
                    "Statically linked and ready: {}.",
                    statics.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ));
                if dynamic > 0 {
                    alt.blockers.push(format!("{dynamic} of your ELF files are dynamically linked and need a libc"));
                }
            }
            if facts.runtime().is_some() {
                alt.blockers.push(format!(
                    "the image runs a {} runtime, which needs a libc",
                    facts.runtime().map_or("", |r| r.name.as_str())
                ));
            }
        }
        _ => {}
    }
}
