#!/usr/bin/env bash
# Builds the large, realistic benchmark image used by `cargo xtask bench`, once, into a cache directory.
#
# Usage: scripts/bench-image.sh [CACHE_DIR]   (default: ${XDG_CACHE_HOME:-$HOME/.cache}/layerlens-bench)
#
# The image is a Debian root filesystem (debootstrap) plus a compiler tool chain, Python and kernel headers
# installed in a chroot, assembled into four layers with umoci:
#   1. the debootstrap base system;
#   2. `apt-get install` of the tool chain, leaving apt's package cache and lists behind (a classic waste);
#   3. the cleanup in a separate layer: apt cache, apt lists, docs and man pages deleted (whiteouts);
#   4. a permission-only change that re-ships a large file, a re-copied file and a duplicate of a large file.
# It writes, next to a stamp file:
#   img.tar      skopeo docker-archive (uncompressed `<diffid>.tar` layers)
#   img.tar.gz   the same archive, gzip-compressed as a whole (`docker save img | gzip`)
#   img-oci.tar  skopeo oci-archive (gzip-compressed layer blobs, no manifest.json)
# Needs root (debootstrap, chroot). Installs debootstrap, skopeo and umoci with apt-get when they are missing.
# Idempotent: when the stamp matches this recipe, it prints the cache directory and exits at once.
set -euo pipefail

RECIPE_VERSION=1
CACHE_DIR=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/layerlens-bench}
STAMP="$CACHE_DIR/DONE"
PACKAGES="build-essential python3 python3-dev python3-pip python3-venv libssl-dev libffi-dev zlib1g-dev \
libxml2-dev libpq-dev git cmake curl ca-certificates linux-headers-amd64"

log() { printf 'bench-image: %s\n' "$*" >&2; }
die() { printf 'bench-image: error: %s\n' "$*" >&2; exit 1; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "recipe $RECIPE_VERSION" ]]; then
    log "cached image found in $CACHE_DIR"
    echo "$CACHE_DIR"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "building the benchmark image needs root (debootstrap and chroot); run as root or sudo"

need_install=()
for tool in debootstrap:debootstrap skopeo:skopeo umoci:umoci gzip:gzip; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || need_install+=("${tool#*:}")
done
if ((${#need_install[@]})); then
    log "installing missing tools with apt-get: ${need_install[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 900 apt-get install -y "${need_install[@]}" >&2 ||
        { timeout 900 apt-get update >&2 && timeout 900 apt-get install -y "${need_install[@]}" >&2; } ||
        die "could not install ${need_install[*]} with apt-get"
fi

# Use the mirror apt itself is configured with: the first URIs/deb entry that is not a security archive.
mirror_url() {
    local url=""
    if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
        url=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
    fi
    if [[ -z "$url" && -f /etc/apt/sources.list ]]; then
        url=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
            /etc/apt/sources.list)
    fi
    echo "${url:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror_url)
SUITE=bookworm
if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    SUITE=$(. /etc/os-release && [[ "${ID:-}" == debian && -n "${VERSION_CODENAME:-}" ]] && echo "$VERSION_CODENAME" || echo bookworm)
fi

WORK="$CACHE_DIR/work"
BUNDLE="$WORK/bundle"
ROOTFS="$BUNDLE/rootfs"
LAYOUT="$WORK/oci"

cleanup_mounts() {
    for m in "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev/pts" "$ROOTFS/dev"; do
        if mountpoint -q "$m" 2>/dev/null; then umount -l "$m" || true; fi
    done
}
trap cleanup_mounts EXIT

mkdir -p "$CACHE_DIR"
cleanup_mounts
for m in proc dev/pts dev; do
    ! mountpoint -q "$ROOTFS/$m" 2>/dev/null || die "$ROOTFS/$m is still mounted; unmount it before building again"
done
rm -rf --one-file-system "$WORK" "$STAMP"
mkdir -p "$WORK"

log "creating an empty OCI layout with umoci"
umoci init --layout "$LAYOUT"
umoci new --image "$LAYOUT:bench"
umoci unpack --image "$LAYOUT:bench" "$BUNDLE" >&2

log "layer 1: debootstrap --variant=minbase $SUITE from $MIRROR (about a minute)"
timeout 1800 debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >&2 ||
    die "debootstrap of $SUITE from $MIRROR failed (see $ROOTFS/debootstrap/debootstrap.log if present)"
umoci repack --refresh-bundle --image "$LAYOUT:bench" --history.created_by "debootstrap --variant=minbase $SUITE $MIRROR" "$BUNDLE" >&2

log "layer 2: apt-get install in a chroot: $PACKAGES"
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOTFS/proc"
mount --bind /dev "$ROOTFS/dev"
mount --bind /dev/pts "$ROOTFS/dev/pts"
# shellcheck disable=SC2086
timeout 3600 chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c "apt-get update && apt-get install -y --no-install-recommends $PACKAGES" >&2 ||
    die "apt-get install in the chroot failed"
cleanup_mounts
for m in proc dev/pts dev; do
    ! mountpoint -q "$ROOTFS/$m" || die "$ROOTFS/$m is still mounted; unmount it before building again"
done
rm -f "$ROOTFS/usr/sbin/policy-rc.d"
: >"$ROOTFS/etc/resolv.conf"
umoci repack --refresh-bundle --image "$LAYOUT:bench" \
    --history.created_by "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends $PACKAGES" "$BUNDLE" >&2

log "layer 3: cleanup in a separate layer (whiteouts)"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/usr/share/doc "$ROOTFS"/usr/share/man "$ROOTFS"/usr/share/info
umoci repack --refresh-bundle --image "$LAYOUT:bench" \
    --history.created_by "/bin/sh -c rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /usr/share/doc /usr/share/man /usr/share/info" \
    "$BUNDLE" >&2

log "layer 4: permission-only change, re-copied file, duplicate content"
big=$(find "$ROOTFS/usr/lib" -type f -name 'cc1' -print -quit)
[[ -n "$big" ]] || big=$(find "$ROOTFS/usr/lib" -type f -size +10M -print -quit)
[[ -n "$big" ]] || die "no large file found for layer 4"
chmod 700 "$big"
cp -p "$ROOTFS/usr/bin/python3.11" "$ROOTFS/usr/bin/python3.11.tmp" 2>/dev/null &&
    mv "$ROOTFS/usr/bin/python3.11.tmp" "$ROOTFS/usr/bin/python3.11" && touch "$ROOTFS/usr/bin/python3.11"
cp "$big" "$ROOTFS/opt/${big##*/}.copy"
umoci repack --refresh-bundle --image "$LAYOUT:bench" \
    --history.created_by "/bin/sh -c chmod 700 ${big#"$ROOTFS"} && cp /usr/bin/python3.11 /usr/bin/python3.11 && cp ${big#"$ROOTFS"} /opt/" \
    "$BUNDLE" >&2
umoci config --image "$LAYOUT:bench" --config.cmd /bin/bash --config.workingdir / >&2

log "writing docker-archive, oci-archive and gzip-compressed archive"
rm -f "$WORK"/img.tar "$WORK"/img-oci.tar "$WORK"/img.tar.gz
timeout 1800 skopeo copy --quiet "oci:$LAYOUT:bench" "docker-archive:$WORK/img.tar:layerlens-bench:latest" >&2
timeout 1800 skopeo copy --quiet "oci:$LAYOUT:bench" "oci-archive:$WORK/img-oci.tar:layerlens-bench:latest" >&2
timeout 1800 gzip -c "$WORK/img.tar" >"$WORK/img.tar.gz"

files=$(find "$ROOTFS" -xdev \( -type f -o -type l \) | wc -l)
bytes=$(du -sb "$ROOTFS" | cut -f1)
mv -f "$WORK"/img.tar "$WORK"/img-oci.tar "$WORK"/img.tar.gz "$CACHE_DIR"/
printf 'suite=%s\nmirror=%s\npackages=%s\nfinal_files=%s\nfinal_bytes=%s\n' \
    "$SUITE" "$MIRROR" "$PACKAGES" "$files" "$bytes" >"$CACHE_DIR/image-info.txt"
rm -rf --one-file-system "$WORK"
echo "recipe $RECIPE_VERSION" >"$STAMP"
log "done: $(ls -l "$CACHE_DIR" | tail -n +2 | awk '{print $5, $9}' | tr '\n' ' ')"
echo "$CACHE_DIR"
