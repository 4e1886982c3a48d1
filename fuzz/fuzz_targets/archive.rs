//! The outer archive reader: the tar index, the image list and the whole analysis of arbitrary bytes
//! (plain tar, gzip or zstd, any layout). Every input must give a report or one error, never a panic.
#![no_main]

use layerlens_core::archive::ArchiveIndex;
use layerlens_core::image::{analyze, list_images, AnalyzeOptions};
use layerlens_core::{MemSource, Silent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = MemSource::new(data);
    if let Err(e) = ArchiveIndex::build(&source, &mut Silent) {
        assert!(!e.message.is_empty());
    }
    if let Err(e) = list_images(&source, &mut Silent) {
        assert!(!e.message.is_empty());
    }
    if let Err(e) = analyze(&source, &AnalyzeOptions::default(), &mut Silent) {
        assert!(!e.message.is_empty());
    }
});
