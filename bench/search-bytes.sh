#!/usr/bin/env bash
# What a search query downloads, at 300 and 1,000 sessions per edition: builds aula-corpus
# curricula (one variant, no PDFs), adds a rare word to the last session in each language,
# and counts in headless Chromium, from file://, the bytes of every script each query loads.
# With WORDS=N, each session is also given N words like real lessons' (bench/real-words.py).
# Usage: bash bench/search-bytes.sh [SESSIONS ...]   (default: 300 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
cargo build --release --locked --quiet
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in "${@:-300 1000}"; do
  for size in $n; do
    last="$(bash tests/quality/big-curriculum.sh "$work/c$size" "$size")"
    [ -z "${WORDS:-}" ] || python3 bench/real-words.py "$work/c$size/content" "$WORDS" >/dev/null
    "$CARGO_TARGET_DIR/release/aula" --root "$work/c$size" build --no-pdf --variant urban --out "$work/s$size" >/dev/null 2>&1
    node tests/browser/scale.mjs "$work/s$size" "$last" --bench
  done
done
