//! URL-fragment share state: vectors from other encoders, round trips and clear errors on bad links.

use layerlens_core::share::{decode_fragment, encode_dockerfile, encode_fragment, SharedState, SharedTheme};
use layerlens_core::ErrorKind;
use proptest::prelude::*;

const TEXT: &str = "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc\nCOPY . /app\n# ünïcode ✓\n";

/// Made with Python 3: `base64.urlsafe_b64encode(zlib.compressobj(9, zlib.DEFLATED, -15) ...)`, padding kept.
const PYTHON_PADDED: &str =
    "cwvy91UoqCzJyM-zMtYzNOIKCvVTSCwo0U1PLVEoLUhJLElVUFODi2TmFZck5uQo6FYqpCcnczn7B0Qq6CnoJxYUcCkrHN6Td3h9cn5KqsKjOZO5AA==";

#[test]
fn a_python_made_payload_decodes_with_and_without_padding() {
    let padded = decode_fragment(&format!("#df1={PYTHON_PADDED}")).unwrap();
    assert_eq!(padded.dockerfile.as_deref(), Some(TEXT));
    let unpadded = decode_fragment(&format!("df1={}", PYTHON_PADDED.trim_end_matches('='))).unwrap();
    assert_eq!(unpadded.dockerfile.as_deref(), Some(TEXT));
}

#[test]
fn python_inflates_our_payload() {
    let payload = encode_dockerfile(TEXT);
    assert!(payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{payload}");
    assert_eq!(decode_fragment(&format!("df1={payload}")).unwrap().dockerfile.as_deref(), Some(TEXT));
    let script = "import sys, zlib, base64; p = sys.argv[1]; \
        sys.stdout.buffer.write(zlib.decompress(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)), -15))";
    let out = match std::process::Command::new("python3").args(["-c", script, &payload]).output() {
        Ok(out) => out,
        Err(e) => {
            eprintln!("notice: python3 is not available ({e}); skipping the Python side of this test");
            return;
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), TEXT);
}

#[test]
fn every_field_round_trips() {
    let state = SharedState {
        dockerfile: Some(TEXT.to_string()),
        tarball: Some("samples/my image & more.tar".to_string()),
        theme: Some(SharedTheme::Dark),
    };
    let fragment = encode_fragment(&state);
    assert!(fragment.contains("tar=samples/my%20image%20%26%20more.tar"), "{fragment}");
    assert!(fragment.ends_with("&theme=dark"), "{fragment}");
    assert_eq!(decode_fragment(&fragment).unwrap(), state);
    assert_eq!(decode_fragment(&format!("#{fragment}")).unwrap(), state);
}

#[test]
fn empty_and_unknown_keys_give_the_default_state() {
    assert_eq!(decode_fragment("").unwrap(), SharedState::default());
    assert_eq!(decode_fragment("#").unwrap(), SharedState::default());
    assert_eq!(decode_fragment("#results&x=1&&zoom=2").unwrap(), SharedState::default());
    assert_eq!(decode_fragment("theme=light").unwrap().theme, Some(SharedTheme::Light));
}

#[test]
fn bad_links_give_one_clear_error() {
    let cases: &[(&str, ErrorKind, &str)] = &[
        ("df1=***", ErrorKind::Corrupt, "not valid base64url"),
        ("df1=AAAA", ErrorKind::Corrupt, "not valid raw DEFLATE"),
        ("df2=AAAA", ErrorKind::Unsupported, "newer layerlens"),
        ("theme=blue", ErrorKind::Corrupt, "neither light nor dark"),
        ("tar=https://example.com/x.tar", ErrorKind::Corrupt, "not a path on this site"),
        ("tar=//example.com/x.tar", ErrorKind::Corrupt, "not a path on this site"),
        ("tar=javascript%3Aalert(1)", ErrorKind::Corrupt, "not a path on this site"),
        ("tar=a%2", ErrorKind::Corrupt, "broken %-escape"),
        ("tar=", ErrorKind::Corrupt, "not a path on this site"),
    ];
    for (fragment, kind, text) in cases {
        let err = decode_fragment(fragment).unwrap_err();
        assert_eq!(err.kind, *kind, "{fragment}: {err:?}");
        assert!(err.message.contains(text), "{fragment}: {}", err.message);
    }
}

#[test]
fn not_utf8_and_bombs_are_refused() {
    use base64::Engine;
    use std::io::Write;
    let deflate = |bytes: &[u8]| {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(e.finish().unwrap())
    };
    let err = decode_fragment(&format!("df1={}", deflate(&[0xff, 0xfe, 0x00]))).unwrap_err();
    assert!(err.message.contains("not UTF-8"), "{}", err.message);
    let bomb = vec![b'#'; 64 << 20];
    let payload = deflate(&bomb);
    assert!(payload.len() < 100_000, "the bomb payload is small: {}", payload.len());
    let err = decode_fragment(&format!("df1={payload}")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit);
    assert!(err.message.contains("inflates to more than"), "{}", err.message);
}

proptest! {
    #[test]
    fn any_text_round_trips(text in "\\PC{0,400}") {
        let state = SharedState { dockerfile: Some(text.clone()), ..SharedState::default() };
        prop_assert_eq!(decode_fragment(&encode_fragment(&state)).unwrap().dockerfile, Some(text));
    }

    #[test]
    fn any_fragment_decodes_or_errs_without_panicking(fragment in "[#a-z0-9=&%_-]{0,200}") {
        let _ = decode_fragment(&fragment);
    }
}
