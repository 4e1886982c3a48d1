//! Finding the images of an archive: `manifest.json` entries, or `index.json` expanded through nested
//! indexes to per-platform image manifests. Order always follows the documents, never map iteration.

use super::report::{ArchiveFormat, ImageChoice};
use super::spec::{Descriptor, DockerManifestEntry, ImageConfig, Index, IndexOrManifest};
use super::store::Store;
use crate::{Error, ErrorKind, Result};

/// Everything needed to analyse one image.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The archive layout.
    pub format: ArchiveFormat,
    /// Archive path of the config.
    pub config_path: String,
    /// Config digest, or its path when the archive does not name it by digest.
    pub config_name: String,
    /// Size of the config from the manifest's descriptor, when it gives one.
    pub config_size: Option<u64>,
    /// The image manifest digest, when there is one.
    pub manifest_digest: Option<String>,
    /// Size of the image manifest from the index's descriptor, when it gives one.
    pub manifest_size: Option<u64>,
    /// The layers, base first.
    pub layers: Vec<PlannedLayer>,
}

/// One layer of a [`Plan`].
#[derive(Debug, Clone)]
pub struct PlannedLayer {
    /// Archive path of the blob.
    pub path: String,
    /// Descriptor digest, when the manifest gives one, else the digest the blob's path is named by.
    pub digest: Option<String>,
    /// Descriptor size, when the manifest gives one.
    pub size: Option<u64>,
}

/// A choice with the plan behind it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// What the user sees.
    pub choice: ImageChoice,
    /// How to read it, when the archive holds it.
    pub plan: Option<Plan>,
}

/// The archive path of a blob digest.
pub fn blob_path(digest: &str) -> String {
    match digest.split_once(':') {
        Some((alg, hex)) => format!("blobs/{alg}/{hex}"),
        None => format!("blobs/{digest}"),
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::new(ErrorKind::Corrupt, format!("{what} is not valid: {e}")))
}

fn platform_string(os: &str, arch: &str, variant: Option<&str>) -> Option<String> {
    if os.is_empty() && arch.is_empty() {
        return None;
    }
    Some(match variant {
        Some(v) if !v.is_empty() => format!("{os}/{arch}/{v}"),
        _ => format!("{os}/{arch}"),
    })
}

fn config_platform(store: &Store<'_>, config_path: &str) -> Option<String> {
    let bytes = store.read_small(config_path).ok()??;
    let cfg: ImageConfig = serde_json::from_slice(&bytes).ok()?;
    platform_string(cfg.os.as_deref().unwrap_or(""), cfg.architecture.as_deref().unwrap_or(""), cfg.variant.as_deref())
}

/// Lists every image (and platform) of the archive.
pub fn candidates(store: &Store<'_>) -> Result<Vec<Candidate>> {
    let manifest = store.read_small("manifest.json")?;
    let index = store.read_small("index.json")?;
    let docker: Option<Vec<DockerManifestEntry>> = match &manifest {
        Some(bytes) => Some(parse(bytes, "manifest.json")?),
        None => None,
    };
    if let Some(bytes) = &index {
        let from_index = index_candidates(store, bytes, docker.as_deref())?;
        if from_index.iter().any(|c| c.plan.is_some()) || docker.is_none() {
            return Ok(from_index);
        }
    }
    if let Some(entries) = docker {
        return Ok(docker_candidates(store, &entries));
    }
    Err(Error::new(
        ErrorKind::NotAnImage,
        format!("no image manifest (manifest.json or index.json) was found; the archive holds {}", store.describe()),
    ))
}

fn docker_candidates(store: &Store<'_>, entries: &[DockerManifestEntry]) -> Vec<Candidate> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let format = if e.layers.iter().any(|l| l.starts_with("blobs/")) {
                ArchiveFormat::DockerOci
            } else if !e.layers.is_empty() && e.layers.iter().all(|l| l.ends_with("/layer.tar")) {
                ArchiveFormat::DockerLegacy
            } else {
                ArchiveFormat::DockerArchive
            };
            let available = store.exists(&e.config) && e.layers.iter().all(|l| store.exists(l));
            let config_name = digest_from_path(&e.config).unwrap_or_else(|| e.config.clone());
            let plan = Plan {
                format,
                config_path: e.config.clone(),
                config_name,
                config_size: None,
                manifest_digest: None,
                manifest_size: None,
                layers: e
                    .layers
                    .iter()
                    .map(|l| PlannedLayer { path: l.clone(), digest: digest_from_path(l), size: None })
                    .collect(),
            };
            Candidate {
                choice: ImageChoice {
                    image: i,
                    tags: e.repo_tags.clone().unwrap_or_default(),
                    platform: config_platform(store, &e.config),
                    manifest_digest: None,
                    available,
                },
                plan: Some(plan),
            }
        })
        .collect()
}

/// Extracts `sha256:<hex>` from paths like `blobs/sha256/<hex>`, `<hex>.tar`, `sha256:<hex>` or `<hex>.json`.
pub fn digest_from_path(path: &str) -> Option<String> {
    let is_hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = path.strip_prefix("blobs/") {
        let (alg, hex) = rest.split_once('/')?;
        return Some(format!("{alg}:{hex}"));
    }
    let file = path.rsplit('/').next().unwrap_or(path);
    if let Some(hex) = file.strip_prefix("sha256:") {
        return is_hex(hex).then(|| format!("sha256:{hex}"));
    }
    let stem =
        file.strip_suffix(".tar.gz").or_else(|| file.strip_suffix(".tar")).or_else(|| file.strip_suffix(".json"))?;
    is_hex(stem).then(|| format!("sha256:{stem}"))
}

fn ref_names(d: &Descriptor) -> Vec<String> {
    let Some(a) = &d.annotations else { return Vec::new() };
    // containerd's full name wins; the OCI ref name is often just the tag.
    a.get("io.containerd.image.name")
        .or_else(|| a.get("org.opencontainers.image.ref.name"))
        .map(|v| vec![v.clone()])
        .unwrap_or_default()
}

fn is_attestation(d: &Descriptor) -> bool {
    d.annotations.as_ref().is_some_and(|a| a.contains_key("vnd.docker.reference.type"))
        || d.platform.as_ref().is_some_and(|p| p.os == "unknown")
}

fn index_candidates(store: &Store<'_>, bytes: &[u8], docker: Option<&[DockerManifestEntry]>) -> Result<Vec<Candidate>> {
    let index: Index = parse(bytes, "index.json")?;
    let format = if docker.is_some() { ArchiveFormat::DockerOci } else { ArchiveFormat::OciLayout };
    let mut out: Vec<Candidate> = Vec::new();
    let mut image = 0;
    let mut previous: Option<(Vec<String>, bool)> = None;
    for top in &index.manifests {
        if is_attestation(top) {
            continue;
        }
        // Platform manifests listed directly in index.json under one name are one image.
        let names = ref_names(top);
        let same_image = matches!(&previous, Some((n, true)) if *n == names && top.platform.is_some());
        let this = if same_image { image - 1 } else { image };
        let mut leaves = Vec::new();
        expand(store, top, None, 0, &mut leaves)?;
        if leaves.is_empty() {
            continue;
        }
        let mut tags = names.clone();
        previous = Some((names, top.platform.is_some()));
        for (desc, platform, doc) in leaves {
            let plan = doc.and_then(|m| {
                let config = m.config?;
                let layers = m.layers?;
                let config_path = blob_path(&config.digest);
                let available =
                    store.exists(&config_path) && layers.iter().all(|l| store.exists(&blob_path(&l.digest)));
                available.then(|| Plan {
                    format,
                    config_path,
                    config_name: config.digest.clone(),
                    config_size: config.size(),
                    manifest_digest: Some(desc.digest.clone()),
                    manifest_size: desc.size(),
                    layers: layers
                        .iter()
                        .map(|l| PlannedLayer {
                            path: blob_path(&l.digest),
                            digest: Some(l.digest.clone()),
                            size: l.size(),
                        })
                        .collect(),
                })
            });
            if let (Some(entries), Some(p)) = (docker, &plan) {
                for e in entries {
                    if e.config == p.config_path {
                        for t in e.repo_tags.iter().flatten() {
                            if !tags.contains(t) {
                                tags.push(t.clone());
                            }
                        }
                    }
                }
            }
            let platform = platform.or_else(|| plan.as_ref().and_then(|p| config_platform(store, &p.config_path)));
            out.push(Candidate {
                choice: ImageChoice {
                    image: this,
                    tags: tags.clone(),
                    platform,
                    manifest_digest: Some(desc.digest.clone()),
                    available: plan.is_some(),
                },
                plan,
            });
        }
        if !same_image {
            image += 1;
        }
    }
    Ok(out)
}

type Leaf = (Descriptor, Option<String>, Option<IndexOrManifest>);

/// Expands a descriptor to image manifests, through nested indexes (at most 8 deep).
fn expand(store: &Store<'_>, d: &Descriptor, platform: Option<String>, depth: u32, out: &mut Vec<Leaf>) -> Result<()> {
    if depth > 8 {
        return Err(Error::new(ErrorKind::Unsupported, "the image index nests more than 8 levels deep"));
    }
    let platform =
        d.platform.as_ref().and_then(|p| platform_string(&p.os, &p.architecture, p.variant.as_deref())).or(platform);
    let doc: Option<IndexOrManifest> = match store.read_small(&blob_path(&d.digest))? {
        Some(bytes) => Some(parse(&bytes, &format!("manifest blob {}", d.digest))?),
        None => None,
    };
    match doc {
        Some(IndexOrManifest { manifests: Some(list), .. }) => {
            for child in &list {
                if !is_attestation(child) {
                    expand(store, child, platform.clone(), depth + 1, out)?;
                }
            }
        }
        Some(doc) if doc.config.is_some() => out.push((d.clone(), platform, Some(doc))),
        Some(_) => {}
        None => {
            // A manifest of another platform that this archive leaves out by design.
            if !d.media_type.contains("index") && !d.media_type.contains("list") {
                out.push((d.clone(), platform, None));
            }
        }
    }
    Ok(())
}
