//! The recommendation engine never panics on input: arbitrary bytes for every parser and detector, and
//! arbitrary Dockerfile text for the advice and rewrites.

use layerlens_core::recommend::base_match::{normalize_history, parse_marker};
use layerlens_core::recommend::detect::{classify, parse_apk_installed, parse_dpkg_status, parse_os_release};
use layerlens_core::recommend::dockerfile::advise;
use layerlens_core::recommend::{match_base, recommend_dockerfile, BaseEvidence, Catalog};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn byte_parsers_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_os_release(&bytes);
        let _ = parse_dpkg_status(&bytes);
        let _ = parse_apk_installed(&bytes);
        let _ = classify(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = Catalog::parse(&text);
    }

    #[test]
    fn elf_headers_with_random_tables_do_not_panic(tail in proptest::collection::vec(any::<u8>(), 0..4096), class in 1u8..3, data in 1u8..3) {
        let mut bytes = vec![0x7f, b'E', b'L', b'F', class, data, 1, 0];
        bytes.extend(tail);
        if let Some(info) = classify(&bytes) {
            prop_assert!(info.bits == 32 || info.bits == 64);
        }
    }

    #[test]
    fn history_matching_does_not_panic(lines in proptest::collection::vec("[ -~]{0,80}", 0..6), digest in proptest::option::of("[a-z0-9:]{0,80}")) {
        let catalog = Catalog::builtin().unwrap();
        for l in &lines {
            let _ = normalize_history(l);
        }
        let _ = parse_marker(&lines);
        let evidence = BaseEvidence { history: &lines, first_layer_digest: digest.as_deref(), layer_count: lines.len(), ..Default::default() };
        let _ = match_base(catalog, &evidence);
    }

    #[test]
    fn dockerfile_advice_does_not_panic(lines in proptest::collection::vec(prop_oneof![
        Just("FROM node:22".to_string()),
        Just("FROM golang:1.27 AS b".to_string()),
        Just("ARG V=3.12".to_string()),
        Just("FROM python:${V}".to_string()),
        Just("RUN npm install && go build -o".to_string()),
        Just("CMD node index.js".to_string()),
        Just("CMD [\"python\"]".to_string()),
        Just("USER app".to_string()),
        Just("WORKDIR rel".to_string()),
        Just("COPY . .".to_string()),
        Just("RUN <<EOF".to_string()),
        Just("\\".to_string()),
        "[ -~]{0,40}",
    ], 0..12)) {
        let text = lines.join("\n");
        let advice = advise(Catalog::builtin().unwrap(), &text, None);
        for rw in &advice.rewrites {
            prop_assert!(!rw.dockerfile.is_empty());
        }
        let _ = recommend_dockerfile(&text).unwrap();
    }
}
