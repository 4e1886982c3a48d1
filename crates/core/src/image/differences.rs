//! Plain sentences that say where dive's figures for this image differ from the truth, and why.

use super::merge::{Merged, RemovalEvent};
use super::report::{DiveMetrics, HideReason, NodeKind, TreeNode};
use super::scan::{flags, LayerScan};
use std::collections::HashMap;

fn join_paths(events: &[&RemovalEvent]) -> String {
    let mut shown: Vec<String> = events.iter().take(3).map(|e| format!("{}/ (layer {})", e.path, e.layer)).collect();
    if events.len() > 3 {
        shown.push(format!("{} more", events.len() - 3));
    }
    shown.join(", ")
}

/// Explains the differences between dive's metrics and the true waste for one image.
pub fn explain(dive: &DiveMetrics, merged: &Merged, scans: &[LayerScan]) -> Vec<String> {
    let mut out = Vec::new();
    let waste = &merged.waste;
    if dive.wasted_bytes != waste.hidden_bytes {
        let mut causes = Vec::new();
        let opaque: Vec<&RemovalEvent> =
            merged.removals.iter().filter(|e| e.reason == HideReason::OpaqueHidden && e.bytes > 0).collect();
        if !opaque.is_empty() {
            let bytes: u64 = opaque.iter().map(|e| e.bytes).sum();
            causes.push(format!("dive ignores opaque whiteouts ({bytes} B hidden in {})", join_paths(&opaque)));
        }
        let dirs: Vec<&RemovalEvent> =
            merged.removals.iter().filter(|e| e.reason == HideReason::DirectoryDeleted && e.bytes > 0).collect();
        if !dirs.is_empty() {
            let bytes: u64 = dirs.iter().map(|e| e.bytes).sum();
            let paths = join_paths(&dirs);
            let paths = paths.replace("/ (", " (");
            causes.push(format!(
                "dive counts a deleted directory as waste only when its path also appears in another layer \
                 ({bytes} B in deleted directories: {paths})"
            ));
        }
        let lookup = PathLookup::new(&merged.filesystem.nodes);
        let visible_counted: u64 = dive
            .inefficient_files
            .iter()
            .filter_map(|f| lookup.find(f.path.trim_start_matches('/')))
            .filter(|&n| merged.filesystem.nodes[n].kind != NodeKind::Dir)
            .map(|n| merged.filesystem.nodes[n].size)
            .sum();
        if visible_counted > 0 {
            causes.push(format!(
                "dive's wasted bytes include the final, visible version of each path it lists ({visible_counted} B \
                 are still in the final filesystem)"
            ));
        }
        let meta: u64 = waste.by_layers.iter().filter(|g| g.reason == HideReason::MetadataOnly).map(|g| g.bytes).sum();
        if meta > 0 {
            causes.push(format!("{meta} B were re-shipped unchanged by permission, owner or time changes"));
        }
        let because = if causes.is_empty() { String::new() } else { format!(" because {}", causes.join("; ")) };
        out.push(format!(
            "dive counts {} B wasted; {} B shipped in layers are actually hidden in the final filesystem{because}.",
            dive.wasted_bytes, waste.hidden_bytes
        ));
    }
    if merged.duplicates.saving_bytes > 0 {
        out.push(format!(
            "dive does not look for identical content at different paths: deduplicating {} group(s) would save {} B.",
            merged.duplicates.group_count, merged.duplicates.saving_bytes
        ));
    }
    let global: Vec<String> =
        scans.iter().enumerate().filter(|(_, s)| s.pax_global).map(|(i, _)| i.to_string()).collect();
    if !global.is_empty() {
        out.push(format!(
            "dive 0.13.1 refuses this image: layer {} starts with a PAX global header, which is valid tar.",
            global.join(", ")
        ));
    }
    if dive.user_wasted_percent.0.is_nan() {
        out.push(
            "dive's user-wasted percent is NaN here: it divides by the bytes of all layers but the first, which are 0."
                .into(),
        );
    } else if dive.user_wasted_percent.0 > 1.0 {
        out.push(format!(
            "dive's user-wasted percent is {:.4} %, over 100 %: it divides wasted bytes that include the base layer by \
             the bytes of the other layers only.",
            dive.user_wasted_percent.0 * 100.0
        ));
    }
    let escaped: usize = scans.iter().map(|s| s.entries.iter().filter(|e| e.flags & flags::ESCAPES != 0).count()).sum();
    if escaped > 0 {
        out.push(format!("{escaped} entries point outside the image root; layerlens refuses them, dive keeps them."));
    }
    let stargz: usize =
        scans.iter().map(|s| s.entries.iter().filter(|e| e.flags & flags::STARGZ_META != 0).count()).sum();
    if stargz > 0 {
        out.push(format!("{stargz} estargz index entries are not part of the filesystem; dive counts them as files."));
    }
    out
}

/// Finds final-filesystem nodes by path.
struct PathLookup<'a> {
    children: HashMap<(usize, &'a str), usize>,
}

impl<'a> PathLookup<'a> {
    fn new(nodes: &'a [TreeNode]) -> Self {
        let children =
            nodes.iter().enumerate().skip(1).map(|(i, n)| ((n.parent as usize, n.name.as_str()), i)).collect();
        PathLookup { children }
    }

    fn find(&self, path: &str) -> Option<usize> {
        let mut cur = 0;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            cur = *self.children.get(&(cur, part))?;
        }
        Some(cur)
    }
}
