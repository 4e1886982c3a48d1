//! Recommendation snapshots for the shared image fixtures (skipped with a notice when ../shared is absent).

use expect_test::{expect, Expect};
use layerlens_core::image::{analyze, AnalyzeOptions};
use layerlens_core::recommend::{capture_options, recommend_image, render_text, ImageView};
use layerlens_core::{MemSource, Silent};
use std::path::PathBuf;

fn fixture(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/images").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipping: {} is absent", path.display());
            None
        }
    }
}

fn check(name: &str, expected: Expect) {
    let Some(bytes) = fixture(name) else { return };
    let options = AnalyzeOptions { capture: capture_options(), ..Default::default() };
    let source = MemSource::new(bytes);
    let report = analyze(&source, &options, &mut Silent).unwrap();
    let view = ImageView::from_report(&report);
    let recs = recommend_image(&view).unwrap();
    expected.assert_eq(&render_text(&recs));
}

#[test]
fn dive_test_image() {
    check(
        "test-docker-image.tar",
        expect![[r#"
            Recommendations for dive-test:latest
              size: 1.2 MB (base 1.2 MB in 1 layer(s), your layers 66.2 kB)
              os: BusyBox; libc: none
              shell: /bin/sh, /bin/ash, /bin/busybox; package manager: none
              packages: 0 from none

            What to change (measured savings first, largest first):
              1. identical content stored at several paths — saves 25.6 kB
                 why: Each copy is stored and shipped in full.
                 how: Copy the file once and use a symlink, or avoid copying the same tree twice (e.g. `COPY . .` after copying node_modules).
              2. files shipped in one layer and deleted or overwritten by a later one — saves 19.2 kB
                 why: A later `rm` or overwrite does not shrink the image: the bytes stay in the layer that added them.
                 how: Delete files in the same RUN that creates them, or build in a separate stage and copy only what is needed.
              3. files re-shipped only to change permissions or owner — saves 12.8 kB
                 why: `RUN chmod`/`chown` on files from an earlier layer copies them whole into a new layer.
                 how: Set permissions where the files are added: `COPY --chmod=755 --chown=app:app …`.

            Avoidable bytes:
                 25.6 kB  identical content stored at several paths (4 files, 25.6 kB in your layers)
                          /root/.saved.txt (6405 B)
                          /root/saved.txt (6405 B)
                          /somefile.txt (6405 B)
                          /tmp/saved.again1.txt (6405 B)
                 19.2 kB  files shipped in one layer and deleted or overwritten by a later one (3 files, 19.2 kB in your layers)
                          /root/example/somefile1.txt (6405 B, layer 4)
                          /root/example/somefile2.txt (6405 B, layer 5)
                          /root/example/somefile3.txt (6405 B, layer 6)
                          layer 4 ships 6405 B hidden by layer 9
                          layer 5 ships 6405 B hidden by layer 9
                          layer 6 ships 6405 B hidden by layer 7
                 12.8 kB  files re-shipped only to change permissions or owner (2 files, 12.8 kB in your layers)
                          /root/example/somefile1.txt (6405 B, layer 3)
                          /root/saved.txt (6405 B, layer 7)
                          layer 3 ships 6405 B hidden by layer 4
                          layer 7 ships 6405 B hidden by layer 13

            Security:
              [Warn] runs as root (no USER set)
                    how: Add a user and switch to it: `RUN useradd -r -u 10001 app` then `USER 10001` (distroless: use the `:nonroot` tag).

            Base images:
                busybox:1.38-uclibc  base 773.9 kB compressed, image ≈ unknown, saving unknown
                    No package manager: install OS packages in a build stage and copy the results.
                busybox:1.38-musl  base 886.2 kB compressed, image ≈ unknown, saving unknown
                    No package manager: install OS packages in a build stage and copy the results.
                    musl instead of glibc: no ELF header was captured in your own layers, so nothing of yours could be checked for glibc; rebuild native dependencies on Alpine.
                busybox:1.38-glibc  base 2.2 MB compressed, image ≈ unknown, saving unknown
                    No package manager: install OS packages in a build stage and copy the results.
                busybox:latest  base 2.2 MB compressed, image ≈ unknown, saving unknown
                    No package manager: install OS packages in a build stage and copy the results.

            Note: The base image is not in the catalog; layer 0 is taken as the base.

            Note: Some alternatives have only a compressed (registry) size in the catalog, so their new image size is not estimated; their saving is given in compressed bytes against the current base's catalog row.
        "#]],
    );
}

#[test]
fn deletions() {
    check(
        "deletions.tar",
        expect![[r#"
            Recommendations for fx/deletions:latest
              size: 15.0 kB (base 0 B in 0 layer(s), your layers 15.0 kB)
              os: scratch (no OS files); libc: none
              shell: none; package manager: none
              packages: 0 from none

            What to change (measured savings first, largest first):
              1. files shipped in one layer and deleted or overwritten by a later one — saves 15.0 kB
                 why: A later `rm` or overwrite does not shrink the image: the bytes stay in the layer that added them.
                 how: Delete files in the same RUN that creates them, or build in a separate stage and copy only what is needed.

            Avoidable bytes:
                 15.0 kB  files shipped in one layer and deleted or overwritten by a later one (4 files, 15.0 kB in your layers)
                          /f/sub/big4 (8000 B, layer 0)
                          /f/big3 (4000 B, layer 0)
                          /e/big2 (2000 B, layer 0)
                          /d/big (1000 B, layer 0)
                          layer 0 ships 12000 B hidden by layer 1
                          layer 0 ships 2000 B hidden by layer 1
                          layer 0 ships 1000 B hidden by layer 1

            Security:
              [Warn] runs as root (no USER set)
                    how: Add a user and switch to it: `RUN useradd -r -u 10001 app` then `USER 10001` (distroless: use the `:nonroot` tag).

            Note: No OS files were found: the image is taken to be built FROM scratch, so every layer is yours.
        "#]],
    );
}

#[test]
fn duplicate_content() {
    check(
        "dupcontent.tar",
        expect![[r#"
            Recommendations for fx/dup:latest
              size: 25.0 kB (base 0 B in 0 layer(s), your layers 25.0 kB)
              os: scratch (no OS files); libc: none
              shell: none; package manager: none
              packages: 0 from none

            What to change (measured savings first, largest first):
              1. identical content stored at several paths — saves 5.0 kB
                 why: Each copy is stored and shipped in full.
                 how: Copy the file once and use a symlink, or avoid copying the same tree twice (e.g. `COPY . .` after copying node_modules).

            Avoidable bytes:
                  5.0 kB  identical content stored at several paths (1 files, 5.0 kB in your layers)
                          /q/copy2 (5000 B)

            Security:
              [Warn] runs as root (no USER set)
                    how: Add a user and switch to it: `RUN useradd -r -u 10001 app` then `USER 10001` (distroless: use the `:nonroot` tag).

            Note: No OS files were found: the image is taken to be built FROM scratch, so every layer is yours.
        "#]],
    );
}

#[test]
fn oci_gzip() {
    check(
        "test-oci-gzip-image.tar",
        expect![[r#"
            Recommendations for sha256:3eaccc100f866490f00ae82727b459a737af031dcf44c791d8aa714a70f24959
              size: 11.2 kB (base 0 B in 0 layer(s), your layers 11.2 kB)
              os: scratch (no OS files); libc: none
              shell: none; package manager: none
              packages: 0 from none

            Security:
              [Warn] runs as root (no USER set)
                    how: Add a user and switch to it: `RUN useradd -r -u 10001 app` then `USER 10001` (distroless: use the `:nonroot` tag).

            Note: No OS files were found: the image is taken to be built FROM scratch, so every layer is yours.
        "#]],
    );
}

#[test]
fn deletions_with_its_dockerfile_say_which_line_hid_what() {
    let Some(bytes) = fixture("deletions.tar") else { return };
    let options = AnalyzeOptions { capture: capture_options(), ..Default::default() };
    let source = MemSource::new(bytes);
    let report = analyze(&source, &options, &mut Silent).unwrap();
    let view = ImageView::from_report(&report);
    let dockerfile = "FROM scratch\nCOPY base/ /\nRUN rm d/big; rm -r e; rm -r f/* && echo > f/new\n";
    let recs = layerlens_core::recommend::recommend_both(&view, dockerfile).unwrap();
    let costs = &recs.dockerfile.as_ref().unwrap().instruction_costs;
    let shown: Vec<String> = costs
        .iter()
        .map(|c| format!("line {} layer {:?} bytes {} hides {} {:?}", c.line, c.layer, c.bytes, c.hides_bytes, c.hides))
        .collect();
    expect![[r#"line 3 layer Some(1) bytes 10 hides 15000 ["hid /f/sub/big4 (8000 B from layer 0)", "hid /f/big3 (4000 B from layer 0)", "hid /e/big2 (2000 B from layer 0)", "hid /d/big (1000 B from layer 0)"]"#]].assert_eq(&shown.join("\n"));
}
