//! What the image engine captures for libc and static-binary detection: 4 KiB ELF heads (so the program
//! headers and the loader path are read), native libraries without the executable bit, and nothing else.

mod recommend_support;

use layerlens_core::image::{analyze, AnalyzeOptions, ELF_HEAD_BYTES};
use layerlens_core::recommend::{capture_options, recommend_image, ImageView, Libc};
use layerlens_core::{MemSource, Silent};
use recommend_support::{docker_save, elf_dynamic, elf_shared, elf_static, Layer, DEBIAN_OS_RELEASE};

fn padded(mut head: Vec<u8>, size: usize) -> Vec<u8> {
    head.resize(size, 0);
    head
}

fn image() -> Vec<u8> {
    let glibc = "/lib64/ld-linux-x86-64.so.2";
    let base = Layer::new()
        .file("etc/os-release", DEBIAN_OS_RELEASE)
        .file("etc/debian_version", b"12.7\n")
        .file_mode("usr/bin/bash", &elf_dynamic(glibc), 0o755)
        .build();
    let app = Layer::new()
        // A large dynamic executable: its loader path sits at byte 512, past the old 64-byte head.
        .file_mode("usr/local/bin/server", &padded(elf_dynamic(glibc), 100_000), 0o755)
        // Native modules and libraries are often shipped without the executable bit.
        .file_mode("app/node_modules/bcrypt/build/Release/bcrypt_lib.node", &elf_shared(&["libc.so.6"]), 0o644)
        .file_mode("app/lib/libmusl_only.so.1", &elf_shared(&["libc.musl-x86_64.so.1"]), 0o644)
        .file_mode("app/bin/tool", &padded(elf_static(), 9_000), 0o755)
        // Named like a library but not ELF; and an ELF without a library name or execute bit.
        .file_mode("app/lib/fake.so", b"not an ELF file at all, just text that is long enough to be read", 0o644)
        .file_mode("app/data/blob.bin", &elf_static(), 0o644)
        .build();
    let history = [("RUN debootstrap", false), ("COPY . /", false)];
    docker_save("capture:1", &history, &[base, app], serde_json::json!({}))
}

#[test]
fn elf_heads_are_four_kilobytes_and_include_non_executable_native_libraries() {
    let bytes = image();
    let source = MemSource::new(&bytes[..]);
    let options = AnalyzeOptions { capture: capture_options(), ..AnalyzeOptions::default() };
    let report = analyze(&source, &options, &mut Silent).unwrap();
    let mut heads: Vec<(&str, usize)> =
        report.executables.iter().map(|e| (e.path.as_str(), e.header_hex.len() / 2)).collect();
    heads.sort();
    assert_eq!(
        heads,
        [
            ("app/bin/tool", ELF_HEAD_BYTES),
            ("app/lib/libmusl_only.so.1", 0x800),
            ("app/node_modules/bcrypt/build/Release/bcrypt_lib.node", 0x800),
            ("usr/bin/bash", 1024),
            ("usr/local/bin/server", ELF_HEAD_BYTES),
        ]
    );

    let view = ImageView::from_report(&report);
    let facts = recommend_image(&view).unwrap().facts.unwrap();
    let libc = |path: &str| facts.own_elf.iter().find(|f| f.path == path).map(|f| (f.elf.libc, f.elf.dynamic));
    assert_eq!(libc("/usr/local/bin/server"), Some((Some(Libc::Glibc), Some(true))));
    assert_eq!(libc("/app/node_modules/bcrypt/build/Release/bcrypt_lib.node"), Some((Some(Libc::Glibc), Some(true))));
    assert_eq!(libc("/app/lib/libmusl_only.so.1"), Some((Some(Libc::Musl), Some(true))));
    assert_eq!(libc("/app/bin/tool"), Some((Some(Libc::None), Some(false))));
    assert_eq!(facts.libc_unknown().count(), 0, "{:?}", facts.own_elf);
    let statics: Vec<&str> = facts.static_binaries().map(|f| f.path.as_str()).collect();
    assert_eq!(statics, ["/app/bin/tool"]);
}
