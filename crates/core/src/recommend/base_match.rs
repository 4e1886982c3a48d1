//! Finding an image's base in the catalog from its history and first layer.
//!
//! Most images keep their base's root-filesystem layer as layer 0 and the base's first history entry as
//! history 0. An exact build match uses layer 0's compressed digest, the `ADD file:<hash> in /` hash or the
//! whole marker line; when the exact build is not catalogued, the marker is parsed for the OS family and
//! version (alpine-minirootfs, debian.sh suite, ubuntu LABEL, rockcraft tag, BusyBox).

use super::catalog::{BaseImage, Catalog};
use serde::{Deserialize, Serialize};

/// What an image tells about its base: its history lines, its first layer and its environment.
#[derive(Debug, Clone, Default)]
pub struct BaseEvidence<'a> {
    /// `created_by` of every history entry, in order, empty layers included.
    pub history: &'a [String],
    /// Compressed digest of layer 0 (`sha256:…`), when the archive has a manifest with blob digests.
    pub first_layer_digest: Option<&'a str>,
    /// Compressed size of layer 0 in bytes, when known.
    pub first_layer_compressed: Option<u64>,
    /// Uncompressed size of layer 0's tar stream in bytes, when known.
    pub first_layer_uncompressed: Option<u64>,
    /// Number of layers of the image.
    pub layer_count: usize,
    /// The config's environment (`NAME=value`), used to break ties such as python:3.12-slim vs 3.11-slim.
    pub env: &'a [String],
}

/// How strongly the base was identified, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchStrength {
    /// Layer 0's compressed digest equals a catalogued first-layer digest: the same build.
    LayerDigest,
    /// The first `ADD file:<hash> in /` hash equals a catalogued one: the same build.
    AddHash,
    /// The whole first history line equals a catalogued marker (the same build, or one with the same serial).
    Marker,
    /// Only the OS family and version could be read from the marker: an older or newer build.
    Family,
}

/// The OS root filesystem read from a base marker line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerOs {
    /// OS family: alpine, debian, ubuntu or busybox.
    pub family: String,
    /// Version as the catalog writes it in `os_version` (`3.24`, `12`, `24.04`, `1.38.0`).
    pub version: String,
    /// Full version or suite detail (`3.24.2`, `bookworm`), when the marker names one.
    pub detail: Option<String>,
    /// Build date (YYYY-MM-DD) from a debian.sh serial, when present.
    pub built: Option<String>,
}

/// The result of matching an image against the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseMatch {
    /// How the match was made.
    pub strength: MatchStrength,
    /// The best catalog row: the exact base for the first three strengths, the closest row of the same OS
    /// family and version for [`MatchStrength::Family`] (then only an approximation, not the same build).
    pub image: Option<String>,
    /// Every catalog row that shares the evidence, best first.
    pub candidates: Vec<String>,
    /// The OS read from the marker line, when it could be parsed.
    pub os: Option<MarkerOs>,
    /// The evidence in words: the digest or line that matched.
    pub evidence: String,
    /// How many leading layers of the image the matched base accounts for, for exact matches.
    pub base_layers: Option<u32>,
}

/// Normalises a `created_by` line the way the catalog's history columns are written.
///
/// `/bin/sh -c #(nop) X` becomes `X`, `/bin/sh -c X` and `RUN /bin/sh -c X` become `RUN X`, whitespace runs
/// collapse to one space and the ends are trimmed.
pub fn normalize_history(created_by: &str) -> String {
    let collapsed = created_by.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(rest) = collapsed.strip_prefix("/bin/sh -c #(nop) ") {
        return rest.trim().to_string();
    }
    if let Some(rest) = collapsed.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    if let Some(rest) = collapsed.strip_prefix("RUN /bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    if collapsed.starts_with("# ") {
        // debuerreotype writes its marker as a bare comment; the catalog renders it as a RUN line.
        return format!("RUN {collapsed}");
    }
    collapsed
}

/// The comparison key of a history line: normalised, without a leading `RUN ` or `#(nop)`.
fn key(line: &str) -> String {
    let line = normalize_history(line);
    line.strip_prefix("RUN ").map(str::to_string).unwrap_or(line)
}

/// Finds the base of an image in `catalog`; `None` when neither a build nor an OS family is recognised.
pub fn match_base(catalog: &Catalog, evidence: &BaseEvidence<'_>) -> Option<BaseMatch> {
    let first = evidence.history.first().map(|l| normalize_history(l)).unwrap_or_default();
    let first_add = evidence
        .history
        .iter()
        .take(8)
        .map(|l| normalize_history(l))
        .find(|l| l.starts_with("ADD file:") && l.ends_with(" in /"));
    let os = parse_marker(evidence.history);

    let mut found: Option<(MatchStrength, Vec<&BaseImage>, String)> = None;
    if let Some(digest) = evidence.first_layer_digest {
        let rows: Vec<&BaseImage> =
            catalog.images.iter().filter(|r| r.first_layer_digest.as_deref() == Some(digest)).collect();
        if !rows.is_empty() {
            found = Some((MatchStrength::LayerDigest, rows, format!("layer 0 digest {digest}")));
        }
    }
    if found.is_none() {
        if let Some(add) = &first_add {
            let hash = add.trim_start_matches("ADD file:").trim_end_matches(" in /").to_string();
            let rows: Vec<&BaseImage> =
                catalog.images.iter().filter(|r| r.base_add_hash.as_deref() == Some(hash.as_str())).collect();
            if !rows.is_empty() {
                found = Some((MatchStrength::AddHash, rows, format!("history line `{add}`")));
            }
        }
    }
    if found.is_none() && !first.is_empty() {
        let first_key = key(&first);
        let rows: Vec<&BaseImage> =
            catalog.images.iter().filter(|r| r.base_marker.as_deref().map(key) == Some(first_key.clone())).collect();
        if !rows.is_empty() {
            found = Some((MatchStrength::Marker, rows, format!("history line `{first}`")));
        }
    }

    let mut shared_with: Option<String> = None;
    if let Some((strength, rows, text)) = found {
        let scored = rank_rows(rows, evidence);
        let fitting = scored.iter().any(|(fits, _)| *fits);
        if !fitting && os.is_some() {
            // Layer 0 is that build, but the image's later history (or layer count) is not any catalogued
            // image built on it: the base is another image on the same root filesystem.
            shared_with = Some(scored.iter().map(|(_, r)| r.image.clone()).collect::<Vec<_>>().join(", "));
        } else {
            let (fit, unfit): (Vec<_>, Vec<_>) = scored.into_iter().partition(|(fits, _)| *fits);
            let names = |rows: Vec<(bool, &BaseImage)>| -> Vec<String> {
                rows.into_iter().map(|(_, r)| r.image.clone()).collect()
            };
            let (mut fit, mut unfit) = (names(fit), names(unfit));
            if strength == MatchStrength::Marker {
                // Debian full and slim share the marker line: the layer size tells them apart.
                fit = split_full_slim(catalog, &fit, evidence);
                unfit = split_full_slim(catalog, &unfit, evidence);
            }
            let candidates: Vec<String> = fit.into_iter().chain(unfit).collect();
            let image = candidates.first().cloned();
            let base_layers = image.as_deref().and_then(|i| catalog.get(i)).and_then(|r| r.layer_count);
            let matched = BaseMatch { strength, image, candidates, os, evidence: text, base_layers };
            return Some(matched);
        }
    }

    let os = os?;
    let rows = family_rows(catalog, &os, evidence);
    let evidence_text = match shared_with {
        Some(rows) => {
            format!("history line `{first}` (the same root filesystem build as {rows}, whose later history differs)")
        }
        None => format!("history line `{first}`"),
    };
    Some(BaseMatch {
        strength: MatchStrength::Family,
        image: rows.first().cloned(),
        candidates: rows,
        os: Some(os),
        evidence: evidence_text,
        base_layers: None,
    })
}

/// Orders rows sharing layer 0 by how many of their first history lines the image also has.
fn rank_rows<'a>(rows: Vec<&'a BaseImage>, evidence: &BaseEvidence<'_>) -> Vec<(bool, &'a BaseImage)> {
    let image_keys: Vec<String> = evidence.history.iter().take(3).map(|l| key(l)).collect();
    let mut scored: Vec<(bool, usize, i32, u32, usize, &BaseImage)> = rows
        .into_iter()
        .enumerate()
        .map(|(order, row)| {
            let row_lines: Vec<&str> = row.history_first3.split(" ; ").collect();
            let mut agreed = 0;
            for (i, line) in row_lines.iter().enumerate() {
                let Some(have) = image_keys.get(i) else { break };
                let want = key(line);
                let same = match want.strip_suffix("...") {
                    Some(prefix) => have.starts_with(prefix),
                    None => *have == want,
                };
                if !same {
                    break;
                }
                agreed += 1;
            }
            let consistent = agreed == row_lines.len().min(image_keys.len());
            let fits = row.layer_count.is_none_or(|n| n as usize <= evidence.layer_count.max(1));
            let env_bonus = env_agreement(row, evidence.env);
            (consistent && fits, agreed, env_bonus, row.layer_count.unwrap_or(u32::MAX), order, row)
        })
        .collect();
    // Consistent rows first, then the most agreeing lines, then matching runtime versions, then the
    // simplest base (fewest layers), then file order.
    scored
        .sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)).then(a.3.cmp(&b.3)).then(a.4.cmp(&b.4)));
    scored.into_iter().map(|s| (s.0, s.5)).collect()
}

/// +1 when a runtime version variable in the row's notes agrees with the image's environment on
/// major.minor, -1 when it disagrees, 0 when either side has none.
fn env_agreement(row: &BaseImage, env: &[String]) -> i32 {
    for var in super::detect::RUNTIME_VARS {
        let prefix = format!("{var}=");
        let Some(pos) = row.notes.find(&prefix) else { continue };
        let row_value: String = row.notes[pos + prefix.len()..].chars().take_while(|c| !c.is_whitespace()).collect();
        let Some(image_value) = env.iter().find_map(|e| e.strip_prefix(&prefix)) else { continue };
        return if major_minor(&row_value) == major_minor(image_value) { 1 } else { -1 };
    }
    0
}

fn major_minor(version: &str) -> String {
    version.trim_start_matches("jdk-").split(['.', '+', '-', ';', '|']).take(2).collect::<Vec<_>>().join(".")
}

/// Reorders Debian marker candidates so the full or slim row comes first, judged by layer 0's size.
fn split_full_slim(catalog: &Catalog, candidates: &[String], evidence: &BaseEvidence<'_>) -> Vec<String> {
    let slim = match (evidence.first_layer_compressed, evidence.first_layer_uncompressed) {
        // In this snapshot the debian rootfs layer is about 48–49 MB compressed, 28–30 MB for slim.
        (Some(c), _) => Some(c < 39_000_000),
        // Uncompressed, bookworm is about 116.6 MB and bookworm-slim about 74.8 MB.
        (None, Some(u)) => Some(u < 95_000_000),
        (None, None) => None,
    };
    let Some(slim) = slim else { return candidates.to_vec() };
    let mut rows: Vec<String> = candidates.to_vec();
    rows.sort_by_key(|image| {
        let is_slim = catalog.get(image).is_some_and(|r| r.variant.contains("slim") || r.image.contains("slim"));
        is_slim != slim
    });
    rows
}

/// Reads the OS family and version from the first history lines.
pub fn parse_marker(history: &[String]) -> Option<MarkerOs> {
    let lines: Vec<String> = history.iter().take(6).map(|l| normalize_history(l)).collect();
    let first = lines.first()?;
    if let Some(pos) = first.find("alpine-minirootfs-") {
        let rest = &first[pos + "alpine-minirootfs-".len()..];
        let full: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let full = full.trim_end_matches('.').to_string();
        let version = full.split('.').take(2).collect::<Vec<_>>().join(".");
        if !version.is_empty() {
            return Some(MarkerOs { family: "alpine".into(), version, detail: Some(full), built: None });
        }
    }
    if first.contains("debian.sh") {
        let quoted: Vec<&str> = first.split('\'').skip(1).step_by(2).collect();
        let suite = quoted.iter().rev().find(|q| !q.starts_with('@') && q.chars().all(|c| c.is_ascii_lowercase()));
        let serial = quoted.iter().find_map(|q| q.strip_prefix('@')).and_then(|s| s.parse::<i64>().ok());
        if let Some(suite) = suite {
            let version = debian_version(suite).unwrap_or(suite).to_string();
            return Some(MarkerOs {
                family: "debian".into(),
                version,
                detail: Some(suite.to_string()),
                built: serial.map(epoch_date),
            });
        }
    }
    if let Some(pos) = first.find("rockcraft-ubuntu-") {
        let tag = first[pos..].split(" --tag ").nth(1).map(|t| t.split_whitespace().next().unwrap_or(t).to_string());
        if let Some(tag) = tag.filter(|t| !t.is_empty()) {
            return Some(MarkerOs { family: "ubuntu".into(), version: tag, detail: None, built: None });
        }
    }
    if let Some(rest) = first.strip_prefix("RUN BusyBox ") {
        let version: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let libc = rest.split('(').nth(1).and_then(|r| r.split(')').next()).map(str::to_string);
        return Some(MarkerOs { family: "busybox".into(), version, detail: libc, built: None });
    }
    let label = lines.iter().find_map(|l| l.strip_prefix("LABEL org.opencontainers.image.version="));
    let has_add = lines.iter().any(|l| l.starts_with("ADD file:"));
    if let (Some(version), true) = (label, has_add) {
        return Some(MarkerOs {
            family: "ubuntu".into(),
            version: version.trim().to_string(),
            detail: None,
            built: None,
        });
    }
    None
}

/// The Debian release number of a suite name.
pub fn debian_version(suite: &str) -> Option<&'static str> {
    Some(match suite {
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "duke" => "15",
        "sid" | "unstable" => "unstable",
        _ => return None,
    })
}

/// Formats a Unix epoch (seconds) as a civil date YYYY-MM-DD (proleptic Gregorian, UTC).
fn epoch_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The catalog rows of the OS family and version, plain OS images first (these approximate the base).
fn family_rows(catalog: &Catalog, os: &MarkerOs, evidence: &BaseEvidence<'_>) -> Vec<String> {
    let wanted = match os.family.as_str() {
        "alpine" => format!("alpine {}", os.version),
        "busybox" => format!("busybox {}", os.version),
        other => format!("{other} {}", os.version),
    };
    let mut rows: Vec<&BaseImage> = catalog
        .images
        .iter()
        .filter(|r| r.family == os.family)
        .filter(|r| {
            let v = r.os_version.as_str();
            v == wanted || v.starts_with(&format!("{wanted}.")) || v.starts_with(&format!("{wanted} "))
        })
        .collect();
    if os.family == "busybox" {
        let libc = os.detail.clone().unwrap_or_default();
        rows.sort_by_key(|r| !r.variant.ends_with(&libc));
    }
    let names: Vec<String> = rows.into_iter().map(|r| r.image.clone()).collect();
    if os.family == "debian" {
        return split_full_slim(catalog, &names, evidence);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_dates_match_the_catalog_notes() {
        assert_eq!(epoch_date(1_782_172_800), "2026-06-23");
        assert_eq!(epoch_date(1_785_715_200), "2026-08-03");
        assert_eq!(epoch_date(1_789_689_600), "2026-09-18");
        assert_eq!(epoch_date(0), "1970-01-01");
    }

    #[test]
    fn normalisation_matches_the_catalog_style() {
        assert_eq!(normalize_history("/bin/sh -c #(nop) ADD file:abc in / "), "ADD file:abc in /");
        assert_eq!(normalize_history("/bin/sh -c #(nop)  CMD [\"sh\"]"), "CMD [\"sh\"]");
        assert_eq!(
            normalize_history("RUN /bin/sh -c set -eux;  apk add x # buildkit"),
            "RUN set -eux; apk add x # buildkit"
        );
        assert_eq!(
            normalize_history("# debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'"),
            "RUN # debian.sh --arch 'amd64' out/ 'trixie' '@1785715200'"
        );
    }
}
