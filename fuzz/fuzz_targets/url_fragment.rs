//! The share-link decoder: arbitrary URL fragments (as text, and as a `df1=` payload of raw bytes, which
//! exercises base64url and raw DEFLATE). Decoding never panics, and what decodes re-encodes to an equal state.
#![no_main]

use layerlens_core::share::{decode_dockerfile, decode_fragment, encode_fragment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match decode_fragment(&text) {
        Ok(state) => assert_eq!(decode_fragment(&encode_fragment(&state)).ok(), Some(state)),
        Err(e) => assert!(!e.message.is_empty()),
    }
    if let Ok(dockerfile) = decode_dockerfile(&text) {
        assert!(dockerfile.len() <= layerlens_core::share::MAX_DOCKERFILE_BYTES);
    }
});
