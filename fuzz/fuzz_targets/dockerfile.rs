//! The Dockerfile front end: parse, dump, the semantic model and every lint rule over arbitrary text.
#![no_main]

use layerlens_core::dockerfile::{dump, model, parse, BuildArgs};
use layerlens_core::lint::{lint, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text);
    let _ = dump(&parsed.syntax);
    for ins in &parsed.syntax.instructions {
        let _ = parsed.syntax.position(&text, ins.span.start);
        let _ = parsed.syntax.position(&text, ins.span.end);
    }
    let _ = model(&parsed, &BuildArgs::default());
    for finding in lint(&text, &parsed.syntax, &Config::default()) {
        assert!(finding.span.start <= finding.span.end && finding.span.end <= text.len());
    }
});
