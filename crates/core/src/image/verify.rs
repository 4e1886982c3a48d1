//! Integrity checks: the SHA-256 of each stored blob against the digest the archive names it by, the
//! SHA-256 of each uncompressed layer against the config's `rootfs.diff_ids`, descriptor sizes against
//! the stored sizes, and whether each layer tar ended with its end-of-archive marker.
//!
//! Sizes and the end marker cost nothing and are always checked; digests are computed while the layers
//! stream when [`AnalyzeOptions::verify_digests`](super::AnalyzeOptions::verify_digests) is on. A failed
//! check does not stop the analysis: it is listed in [`Integrity`] and given as a [`Warning`].

use super::report::Warning;
use super::resolve::Plan;
use super::scan::LayerScan;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// A reader that feeds every byte it passes to a SHA-256, when hashing is on.
pub struct Hashed<R> {
    inner: R,
    hasher: Option<Rc<RefCell<Sha256>>>,
}

impl<R> Hashed<R> {
    /// Wraps `inner`; with `on` false the bytes pass unhashed.
    pub fn new(inner: R, on: bool) -> Self {
        Hashed { inner, hasher: on.then(|| Rc::new(RefCell::new(Sha256::new()))) }
    }

    /// A handle that gives the digest of the bytes read so far.
    pub fn digest(&self) -> DigestHandle {
        DigestHandle(self.hasher.clone())
    }
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &self.hasher {
            h.borrow_mut().update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The digest side of a [`Hashed`] reader.
pub struct DigestHandle(Option<Rc<RefCell<Sha256>>>);

impl DigestHandle {
    /// The SHA-256 of the bytes read so far, or `None` when hashing is off.
    pub fn finish(&self) -> Option<Digest> {
        let h = self.0.as_ref()?;
        Some(finish(h.borrow().clone()))
    }
}

fn finish(h: Sha256) -> Digest {
    let mut out = [0u8; 32];
    out.copy_from_slice(&h.finalize());
    out
}

/// `sha256:` and the hex digest of `bytes`.
pub fn sha256_of(bytes: &[u8]) -> Digest {
    finish(Sha256::new_with_prefix(bytes))
}

fn name(d: &Digest) -> String {
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// What the engine checked about the input's integrity and what failed (see docs/report-schema.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Integrity {
    /// Whether SHA-256 digests were computed and compared; sizes and tar ends are checked either way.
    pub digests_verified: bool,
    /// Every check made: the manifest, the config, then each layer.
    pub checks: Vec<IntegrityCheck>,
    /// How many checks failed.
    pub failed: usize,
}

/// One integrity check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityCheck {
    /// What was checked.
    pub check: CheckKind,
    /// The layer concerned, for layer checks.
    pub layer: Option<usize>,
    /// What the archive says (a digest or a size); absent for `tar_end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the bytes are; absent for `tar_end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// Whether the check passed.
    pub ok: bool,
}

/// The kinds of [`IntegrityCheck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// SHA-256 of the image manifest blob against the index's descriptor digest.
    ManifestDigest,
    /// Stored size of the image manifest against the index's descriptor size.
    ManifestSize,
    /// SHA-256 of the config against its digest (descriptor, or the digest its path is named by).
    ConfigDigest,
    /// Stored size of the config against the manifest's descriptor size.
    ConfigSize,
    /// SHA-256 of a stored layer blob against its digest (descriptor, or the digest its path is named by).
    BlobDigest,
    /// Stored size of a layer blob against the manifest's descriptor size.
    BlobSize,
    /// SHA-256 of the uncompressed layer tar against the config's `rootfs.diff_ids` entry.
    DiffId,
    /// Whether the layer tar ends with the end-of-archive marker (two zero blocks).
    TarEnd,
}

/// What the checks compare, gathered by the analysis.
pub struct Evidence<'a> {
    /// The chosen image's plan (names, digests and descriptor sizes).
    pub plan: &'a Plan,
    /// The image manifest's bytes, when the archive has one.
    pub manifest: Option<&'a [u8]>,
    /// The config's bytes.
    pub config: &'a [u8],
    /// The config's `rootfs.diff_ids`.
    pub diff_ids: &'a [String],
    /// The scanned layers.
    pub scans: &'a [LayerScan],
    /// Whether digests were computed.
    pub verify_digests: bool,
}

/// The SHA-256 hex of a `sha256:<hex>` digest, lowercased; `None` for other algorithms or malformed digests.
fn sha256_hex(digest: &str) -> Option<String> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| format!("sha256:{}", hex.to_lowercase()))
}

struct Checker {
    out: Integrity,
    warnings: Vec<Warning>,
}

impl Checker {
    fn add(
        &mut self,
        check: CheckKind,
        layer: Option<usize>,
        expected: Option<String>,
        actual: Option<String>,
    ) -> bool {
        let ok = expected == actual;
        self.out.checks.push(IntegrityCheck { check, layer, expected, actual, ok });
        if !ok {
            self.out.failed += 1;
        }
        ok
    }

    fn warn(&mut self, layer: Option<usize>, message: String) {
        self.warnings.push(Warning { layer, message });
    }

    fn digest(
        &mut self,
        check: CheckKind,
        layer: Option<usize>,
        subject: &str,
        named: Option<&str>,
        got: Option<Digest>,
    ) {
        let (Some(want), Some(got)) = (named.and_then(sha256_hex), got) else { return };
        let got = name(&got);
        if !self.add(check, layer, Some(want.clone()), Some(got.clone())) {
            let what = if check == CheckKind::DiffId { "the config lists diff ID" } else { "the archive names it" };
            let hashed =
                if check == CheckKind::DiffId { "its uncompressed tar hashes to" } else { "its bytes hash to" };
            self.warn(layer, format!("{subject} is damaged or was replaced: {what} {want} but {hashed} {got}"));
        }
    }

    fn size(&mut self, check: CheckKind, layer: Option<usize>, subject: &str, expected: Option<u64>, actual: u64) {
        let Some(expected) = expected else { return };
        if !self.add(check, layer, Some(expected.to_string()), Some(actual.to_string())) {
            self.warn(layer, format!("{subject} is {actual} bytes but its descriptor says {expected} bytes"));
        }
    }
}

/// Runs every check the evidence allows and returns the record with a warning per failed check.
pub fn check(e: &Evidence<'_>) -> (Integrity, Vec<Warning>) {
    let mut c =
        Checker { out: Integrity { digests_verified: e.verify_digests, ..Default::default() }, warnings: Vec::new() };
    let plan = e.plan;
    if let (Some(digest), Some(bytes)) = (&plan.manifest_digest, e.manifest) {
        let subject = format!("the image manifest {digest}");
        c.size(CheckKind::ManifestSize, None, &subject, plan.manifest_size, bytes.len() as u64);
        if e.verify_digests {
            c.digest(CheckKind::ManifestDigest, None, &subject, Some(digest), Some(sha256_of(bytes)));
        }
    }
    let subject = format!("the image config {}", plan.config_path);
    c.size(CheckKind::ConfigSize, None, &subject, plan.config_size, e.config.len() as u64);
    if e.verify_digests {
        c.digest(CheckKind::ConfigDigest, None, &subject, Some(&plan.config_name), Some(sha256_of(e.config)));
    }
    for (i, (layer, scan)) in plan.layers.iter().zip(e.scans).enumerate() {
        let subject = format!("the layer blob {}", layer.path);
        c.size(CheckKind::BlobSize, Some(i), &subject, layer.size, scan.stored_bytes);
        // A file outside `blobs/` named by a digest (`<hex>.tar` in a docker-archive) may be named by its diff ID
        // even when it is stored compressed; either hash matching the name is consistent.
        let by_diff_id = !layer.path.starts_with("blobs/")
            && layer
                .digest
                .as_deref()
                .and_then(sha256_hex)
                .is_some_and(|d| scan.tar_sha256.is_some_and(|t| name(&t) == d));
        let blob = if by_diff_id { scan.tar_sha256 } else { scan.blob_sha256 };
        c.digest(CheckKind::BlobDigest, Some(i), &subject, layer.digest.as_deref(), blob);
        c.digest(CheckKind::DiffId, Some(i), &subject, e.diff_ids.get(i).map(String::as_str), scan.tar_sha256);
        if !c.add(CheckKind::TarEnd, Some(i), None, (!scan.tar_end).then(|| "missing".to_string())) {
            c.warn(
                Some(i),
                format!(
                    "{subject} ends without the tar end-of-archive marker, so it may have been cut short between \
                     two entries"
                ),
            );
        }
    }
    (c.out, c.warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_what_passes() {
        let data = b"hello world".to_vec();
        let mut r = Hashed::new(&data[..], true);
        let d = r.digest();
        io::copy(&mut r, &mut io::sink()).unwrap();
        assert_eq!(
            name(&d.finish().unwrap()),
            "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let r = Hashed::new(&data[..], false);
        assert!(r.digest().finish().is_none());
    }

    #[test]
    fn only_well_formed_sha256_digests_are_compared() {
        assert_eq!(sha256_hex(&format!("sha256:{}", "AB".repeat(32))), Some(format!("sha256:{}", "ab".repeat(32))));
        assert_eq!(sha256_hex(&format!("sha512:{}", "ab".repeat(64))), None);
        assert_eq!(sha256_hex("sha256:abc"), None);
        assert_eq!(sha256_hex("l0.tar"), None);
    }
}
