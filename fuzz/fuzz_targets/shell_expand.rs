//! The shell word expander (BuildKit's lexer): the first byte picks the options, the rest is the word.
#![no_main]

use layerlens_core::dockerfile::shell::{expand, expand_words, LexOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&switches, word)) = data.split_first() else { return };
    let word = String::from_utf8_lossy(word);
    let env: Vec<(String, String)> =
        [("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", ""), ("A", "a b  c")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let options = LexOptions {
        escape: if switches & 1 == 0 { '\\' } else { '`' },
        raw_quotes: switches & 2 != 0,
        raw_escapes: switches & 4 != 0,
        skip_process_quotes: switches & 8 != 0,
        skip_unset_env: switches & 16 != 0,
    };
    if let Err(e) = expand(&word, &env, options) {
        assert!(!e.is_empty());
    }
    let _ = expand_words(&word, &env, options.escape);
});
