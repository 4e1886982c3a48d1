#!/usr/bin/env bash
# Prints where layerlens and hadolint disagree on the Dockerfile corpus, for every layerlens rule that is
# the same as a hadolint rule, with the reason for each disagreement.
#
# Usage: scripts/hadolint-compare.sh [--live] [CORPUS_DIR]
#   CORPUS_DIR  defaults to ../shared/fixtures/dockerfiles/corpus (files/ and hadolint/*.json)
#   --live      run the installed `hadolint` now instead of using the recorded hadolint/*.json
set -euo pipefail
cd "$(dirname "$0")/.."
live=0
if [ "${1:-}" = "--live" ]; then
    live=1
    shift
fi
corpus="$(realpath "${1:-../shared/fixtures/dockerfiles/corpus}")"
if [ "$live" = 1 ]; then
    command -v hadolint >/dev/null || { echo "hadolint is not installed" >&2; exit 2; }
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    mkdir "$tmp/hadolint"
    ln -s "$corpus/files" "$tmp/files"
    for file in "$corpus"/files/*; do
        name="$(basename "$file")"
        (cd "$tmp" && hadolint -f json --no-fail "files/$name" > "hadolint/$name.json") || echo "[]" > "$tmp/hadolint/$name.json"
    done
    corpus="$tmp"
fi
cargo run -q -p layerlens-core --example hadolint_compare -- "$corpus"
