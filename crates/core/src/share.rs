//! Share links and embed state carried in a URL fragment, which browsers never send to a server.
//!
//! A fragment is a list of `key=value` pairs joined by `&`, optionally after a leading `#`:
//!
//! - `df1=PAYLOAD`: a Dockerfile, version 1 encoding: its UTF-8 bytes compressed with raw DEFLATE (RFC 1951, no
//!   zlib or gzip header; Python's `zlib.compressobj(9, zlib.DEFLATED, -15)`, the browser's
//!   `CompressionStream('deflate-raw')`), then base64url (RFC 4648 §5); `=` padding is optional.
//! - `tar=URL`: an image tarball to analyse, percent-encoded, relative to the page (it must stay on the same site).
//! - `theme=light` or `theme=dark`: the colour theme to start with.
//!
//! Unknown keys are ignored so that older pages still open newer links, except a newer Dockerfile encoding
//! (`df2=` and up), which gives a clear error instead of a silently empty view.

use crate::{Error, ErrorKind, Result};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

/// The fragment key of a version 1 Dockerfile payload.
pub const DOCKERFILE_KEY: &str = "df1";
/// The largest Dockerfile a fragment may inflate to, in bytes.
pub const MAX_DOCKERFILE_BYTES: usize = 1 << 20;
/// The longest fragment accepted, in bytes (browsers themselves cap URLs at a few megabytes).
pub const MAX_FRAGMENT_BYTES: usize = 4 << 20;

/// base64url that accepts input with or without `=` padding and writes none.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The colour theme a fragment asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedTheme {
    /// The light theme.
    Light,
    /// The dark theme.
    Dark,
}

impl SharedTheme {
    /// The value written after `theme=`.
    pub fn as_str(self) -> &'static str {
        match self {
            SharedTheme::Light => "light",
            SharedTheme::Dark => "dark",
        }
    }
}

/// Everything a share link or an embed can carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedState {
    /// The Dockerfile to show and lint.
    pub dockerfile: Option<String>,
    /// A tarball URL relative to the page, to analyse on load.
    pub tarball: Option<String>,
    /// The theme to start with; `None` follows the system (or the embedding page).
    pub theme: Option<SharedTheme>,
}

/// Reads the state from a URL fragment (with or without its leading `#`); an empty fragment gives the default.
pub fn decode_fragment(fragment: &str) -> Result<SharedState> {
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(invalid(format!(
            "the link's fragment is {} bytes long, more than the {} bytes layerlens reads",
            fragment.len(),
            MAX_FRAGMENT_BYTES
        )));
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut state = SharedState::default();
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            DOCKERFILE_KEY => state.dockerfile = Some(decode_dockerfile(value)?),
            "tar" => state.tarball = Some(decode_tarball(value)?),
            "theme" => {
                state.theme = Some(match value {
                    "light" => SharedTheme::Light,
                    "dark" => SharedTheme::Dark,
                    other => return Err(invalid(format!("the link's theme {other:?} is neither light nor dark"))),
                })
            }
            _ if is_newer_dockerfile_key(key) => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!(
                        "the link holds a Dockerfile in encoding {key}, which needs a newer layerlens than this one"
                    ),
                ))
            }
            _ => {}
        }
    }
    Ok(state)
}

/// Writes the state as a fragment without the leading `#`; [`decode_fragment`] reads it back unchanged.
pub fn encode_fragment(state: &SharedState) -> String {
    let mut pairs = Vec::new();
    if let Some(text) = &state.dockerfile {
        pairs.push(format!("{DOCKERFILE_KEY}={}", encode_dockerfile(text)));
    }
    if let Some(url) = &state.tarball {
        pairs.push(format!("tar={}", percent_encode(url)));
    }
    if let Some(theme) = state.theme {
        pairs.push(format!("theme={}", theme.as_str()));
    }
    pairs.join("&")
}

/// The version 1 payload of a Dockerfile: raw DEFLATE at the best level, then unpadded base64url.
pub fn encode_dockerfile(text: &str) -> String {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let compressed = encoder.write_all(text.as_bytes()).and_then(|()| encoder.finish()).unwrap_or_default();
    BASE64URL.encode(compressed)
}

/// Reads a version 1 Dockerfile payload back into its text.
pub fn decode_dockerfile(payload: &str) -> Result<String> {
    let compressed = BASE64URL
        .decode(payload.trim_end_matches('='))
        .map_err(|e| invalid(format!("the link's Dockerfile (df1) is not valid base64url: {e}")))?;
    let mut text = Vec::new();
    let limit = MAX_DOCKERFILE_BYTES as u64 + 1;
    DeflateDecoder::new(compressed.as_slice())
        .take(limit)
        .read_to_end(&mut text)
        .map_err(|e| invalid(format!("the link's Dockerfile (df1) is not valid raw DEFLATE data: {e}")))?;
    if text.len() > MAX_DOCKERFILE_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("the link's Dockerfile (df1) inflates to more than {MAX_DOCKERFILE_BYTES} bytes"),
        ));
    }
    String::from_utf8(text).map_err(|_| invalid("the link's Dockerfile (df1) is not UTF-8 text".to_string()))
}

fn decode_tarball(value: &str) -> Result<String> {
    let url = percent_decode(value)?;
    let lower = url.to_ascii_lowercase();
    let scheme = lower.split(['/', '?', '#']).next().is_some_and(|first| first.contains(':'));
    if url.is_empty() || scheme || url.starts_with("//") || url.starts_with('\\') {
        return Err(invalid(format!(
            "the link's tarball URL {url:?} is not a path on this site; layerlens only reads files from its own origin"
        )));
    }
    Ok(url)
}

fn is_newer_dockerfile_key(key: &str) -> bool {
    key.strip_prefix("df").is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && v != "1")
}

fn percent_decode(value: &str) -> Result<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
            match byte {
                Some(byte) => out.push(byte),
                None => return Err(invalid("the link's tarball URL has a broken %-escape".to_string())),
            }
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid("the link's tarball URL is not UTF-8".to_string()))
}

fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Corrupt, message)
}
