//! A layer tar cut exactly between two entries reads as a valid, shorter tar; the engine must not report
//! the shorter layer as if it were the whole one.

mod hostile_common;

use hostile_common::{analyse, assert_clear, comparable, header_offsets, two_layers, with_second_layer_blob};

#[test]
fn plain_layer_cut_between_entries_is_not_silent() {
    let layer = two_layers()[1].clone();
    let full = comparable(&analyse(30, "whole plain layer", with_second_layer_blob(layer.clone())).unwrap());
    for cut in header_offsets(&layer).into_iter().skip(1) {
        let what = format!("plain layer cut between entries at byte {cut} of {}", layer.len());
        match analyse(30, &what, with_second_layer_blob(layer[..cut].to_vec())) {
            Ok(r) => {
                let same = comparable(&r) == full;
                assert!(same || !r.warnings.is_empty(), "{what}: fewer files reported with no warning");
            }
            Err(e) => assert_clear(&e, &what),
        }
    }
}
