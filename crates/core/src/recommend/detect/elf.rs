//! An ELF header classifier: static or dynamic, and which C library a binary expects.
//!
//! It reads the file header and program headers from the first bytes of a file. A dynamic executable
//! names its loader in `PT_INTERP` (`/lib/ld-musl-x86_64.so.1` means musl, `ld-linux*.so` means glibc); a
//! shared object (a `.node` module, a `.so`) has no loader, so its libc comes from its `DT_NEEDED` entries
//! when the captured bytes reach its dynamic section, and is unknown otherwise.

use super::super::catalog::Libc;
use serde::{Deserialize, Serialize};

/// The ELF object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElfType {
    /// `ET_EXEC` or a position-independent executable (`ET_DYN` with an interpreter or an entry point).
    Executable,
    /// `ET_DYN` without an interpreter: a shared library or loadable module.
    SharedObject,
    /// `ET_REL`, `ET_CORE` or unknown.
    Other,
}

/// What the ELF header says about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElfInfo {
    /// 32 or 64.
    pub bits: u8,
    /// The machine (`x86_64`, `aarch64`, …, or `e_machine N`).
    pub machine: String,
    /// Object type.
    pub kind: ElfType,
    /// Whether the file needs a dynamic loader or shared libraries (`Some(false)` for static binaries);
    /// `None` when the captured bytes end before the program headers.
    pub dynamic: Option<bool>,
    /// The `PT_INTERP` loader path, when present and captured.
    pub interpreter: Option<String>,
    /// `DT_NEEDED` libraries, when the captured bytes reached them.
    pub needed: Vec<String>,
    /// The C library the file expects: `None` inside when static; the outer `Option` is `None` when the
    /// bytes do not tell.
    pub libc: Option<Libc>,
}

const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_LOAD: u32 = 1;
const DT_NEEDED: u64 = 1;
const DT_STRTAB: u64 = 5;
/// More program headers than this is not a real binary; the classifier stops there.
const MAX_PHDRS: usize = 512;
/// More dynamic entries than this are not read.
const MAX_DYN: usize = 4_096;

struct Reader<'a> {
    bytes: &'a [u8],
    little: bool,
    wide: bool,
}

impl Reader<'_> {
    fn get<const N: usize>(&self, at: u64) -> Option<[u8; N]> {
        let start = usize::try_from(at).ok()?;
        let end = start.checked_add(N)?;
        self.bytes.get(start..end)?.try_into().ok()
    }
    fn u16(&self, at: u64) -> Option<u16> {
        let b = self.get::<2>(at)?;
        Some(if self.little { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    }
    fn u32(&self, at: u64) -> Option<u32> {
        let b = self.get::<4>(at)?;
        Some(if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }
    fn u64(&self, at: u64) -> Option<u64> {
        let b = self.get::<8>(at)?;
        Some(if self.little { u64::from_le_bytes(b) } else { u64::from_be_bytes(b) })
    }
    /// A word: 8 bytes in 64-bit files, 4 in 32-bit ones.
    fn word(&self, at: u64) -> Option<u64> {
        if self.wide {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }
    fn cstr(&self, at: u64) -> Option<String> {
        let start = usize::try_from(at).ok()?;
        let rest = self.bytes.get(start..)?;
        let end = rest.iter().take(4_096).position(|b| *b == 0)?;
        Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
    }
}

struct Segment {
    kind: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
}

/// Classifies the bytes at the head of a file; `None` when they are not an ELF header.
pub fn classify(bytes: &[u8]) -> Option<ElfInfo> {
    if bytes.get(..4)? != b"\x7fELF" {
        return None;
    }
    let wide = match bytes.get(4)? {
        1 => false,
        2 => true,
        _ => return None,
    };
    let little = match bytes.get(5)? {
        1 => true,
        2 => false,
        _ => return None,
    };
    let r = Reader { bytes, little, wide };
    let e_type = r.u16(16)?;
    let machine = match r.u16(18)? {
        3 => "x86".to_string(),
        62 => "x86_64".to_string(),
        40 => "arm".to_string(),
        183 => "aarch64".to_string(),
        243 => "riscv".to_string(),
        21 => "ppc64".to_string(),
        22 => "s390".to_string(),
        n => format!("e_machine {n}"),
    };
    let (entry, phoff, phentsize, phnum) = if wide {
        (r.u64(24)?, r.u64(32)?, r.u16(54)?, r.u16(56)?)
    } else {
        (u64::from(r.u32(24)?), u64::from(r.u32(28)?), r.u16(42)?, r.u16(44)?)
    };
    let table_end = u64::from(phnum).saturating_mul(u64::from(phentsize)).saturating_add(phoff);
    if table_end > bytes.len() as u64 {
        // Only the file header was captured: static or dynamic cannot be told.
        let kind = match e_type {
            2 => ElfType::Executable,
            3 if entry == 0 => ElfType::SharedObject,
            3 => ElfType::Executable,
            _ => ElfType::Other,
        };
        let bits = if wide { 64 } else { 32 };
        return Some(ElfInfo { bits, machine, kind, dynamic: None, interpreter: None, needed: Vec::new(), libc: None });
    }
    let mut segments = Vec::new();
    for i in 0..usize::from(phnum).min(MAX_PHDRS) {
        let at = phoff.saturating_add((i as u64).saturating_mul(u64::from(phentsize)));
        let Some(kind) = r.u32(at) else { break };
        let seg = if wide {
            Segment {
                kind,
                offset: r.u64(at.saturating_add(8)).unwrap_or(0),
                vaddr: r.u64(at.saturating_add(16)).unwrap_or(0),
                filesz: r.u64(at.saturating_add(32)).unwrap_or(0),
            }
        } else {
            Segment {
                kind,
                offset: u64::from(r.u32(at.saturating_add(4)).unwrap_or(0)),
                vaddr: u64::from(r.u32(at.saturating_add(8)).unwrap_or(0)),
                filesz: u64::from(r.u32(at.saturating_add(16)).unwrap_or(0)),
            }
        };
        segments.push(seg);
    }
    let interp_seg = segments.iter().find(|s| s.kind == PT_INTERP);
    let interpreter = interp_seg.and_then(|s| r.cstr(s.offset));
    let dyn_seg = segments.iter().find(|s| s.kind == PT_DYNAMIC);
    let needed = dyn_seg.map(|d| needed_libs(&r, d, &segments)).unwrap_or_default();
    let dynamic = interp_seg.is_some() || !needed.is_empty() || dyn_seg.is_some();
    let kind = match e_type {
        2 => ElfType::Executable,
        3 if interp_seg.is_some() => ElfType::Executable,
        3 if entry == 0 => ElfType::SharedObject,
        // A static-pie executable is ET_DYN with an entry point but no loader.
        3 => ElfType::Executable,
        _ => ElfType::Other,
    };
    let libc = if let Some(interp) = &interpreter {
        libc_of_name(interp)
    } else if !needed.is_empty() {
        needed.iter().find_map(|n| libc_of_name(n))
    } else if interp_seg.is_none()
        && ((dyn_seg.is_none() && e_type == 2) || (e_type == 3 && entry != 0 && dyn_seg_fully_read(&r, dyn_seg)))
    {
        // No loader and no needed libraries: a static executable (or a static-pie one).
        Some(Libc::None)
    } else {
        None
    };
    let dynamic = Some(dynamic && libc != Some(Libc::None));
    Some(ElfInfo { bits: if wide { 64 } else { 32 }, machine, kind, dynamic, interpreter, needed, libc })
}

fn dyn_seg_fully_read(r: &Reader<'_>, seg: Option<&Segment>) -> bool {
    seg.is_none_or(|s| s.offset.saturating_add(s.filesz) <= r.bytes.len() as u64)
}

fn libc_of_name(name: &str) -> Option<Libc> {
    let file = name.rsplit('/').next().unwrap_or(name);
    if file.starts_with("ld-musl") || file.starts_with("libc.musl") {
        Some(Libc::Musl)
    } else if file.starts_with("ld-uClibc") || file.starts_with("libc.so.0") {
        Some(Libc::Uclibc)
    } else if file.starts_with("ld-linux")
        || file.starts_with("ld64.so")
        || file == "libc.so.6"
        || file.starts_with("ld-2.")
    {
        Some(Libc::Glibc)
    } else {
        None
    }
}

fn needed_libs(r: &Reader<'_>, dynamic: &Segment, segments: &[Segment]) -> Vec<String> {
    let entry_size: u64 = if r.wide { 16 } else { 8 };
    let mut needed_offsets = Vec::new();
    let mut strtab_addr = None;
    let count = (dynamic.filesz / entry_size).min(MAX_DYN as u64);
    for i in 0..count {
        let at = dynamic.offset.saturating_add(i * entry_size);
        let (Some(tag), Some(value)) = (r.word(at), r.word(at.saturating_add(entry_size / 2))) else { break };
        match tag {
            0 => break,
            DT_NEEDED => needed_offsets.push(value),
            DT_STRTAB => strtab_addr = Some(value),
            _ => {}
        }
    }
    let Some(addr) = strtab_addr else { return Vec::new() };
    // DT_STRTAB is a virtual address: find the loaded segment that holds it to get a file offset.
    let Some(strtab) = segments
        .iter()
        .filter(|s| s.kind == PT_LOAD)
        .find(|s| addr >= s.vaddr && addr < s.vaddr.saturating_add(s.filesz))
        .map(|s| s.offset.saturating_add(addr - s.vaddr))
    else {
        return Vec::new();
    };
    needed_offsets.iter().filter_map(|off| r.cstr(strtab.saturating_add(*off))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_header_is_undecided() {
        let mut head = vec![0u8; 64];
        head[..6].copy_from_slice(b"\x7fELF\x02\x01");
        head[16] = 2;
        head[32] = 64;
        head[54] = 56;
        head[56] = 9;
        let info = classify(&head).unwrap();
        assert_eq!((info.dynamic, info.libc), (None, None));
    }

    #[test]
    fn not_elf_is_none() {
        assert!(classify(b"#!/bin/sh\n").is_none());
        assert!(classify(b"\x7fEL").is_none());
        assert!(classify(b"\x7fELF\x09\x01").is_none());
    }
}
