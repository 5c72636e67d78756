#!/usr/bin/env bash
# How long checking `#fragment` links takes: one session with N links to sections of
# another (half of them broken), for N = 4,000 and 16,000 (or the sizes given). Prints the
# wall time of `aula build --no-pdf` (which checks every link) and how many were reported.
# Usage: bash bench/link-check.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
cargo build --release --locked --quiet --bin aula
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in "${@:-4000 16000}"; do
  for size in $n; do
    p="$work/p$size"
    mkdir -p "$p/content/01-m"
    printf 'title: Links\nlanguages:\n  - code: es\nvariants: [urban]\n' > "$p/aula.yaml"
    {
      printf -- '---\ntitle: Dos\n---\n'
      for i in $(seq 0 2 "$size"); do printf '## S%d {#s%d}\n\n' "$i" "$i"; done
    } > "$p/content/01-m/02-b.es.md"
    {
      printf -- '---\ntitle: Uno\n---\n'
      for i in $(seq 1 "$size"); do printf '[l](02-b.md#s%d) ' "$i"; done
      printf '\n'
    } > "$p/content/01-m/01-a.es.md"
    start=$(date +%s.%N)
    reported=$("$CARGO_TARGET_DIR/release/aula" --root "$p" build --no-pdf --out "$work/o$size" 2>&1 | grep -c 'error\[' || true)
    end=$(date +%s.%N)
    printf '%6d fragment links: %.2f s, %d broken ones reported\n' "$size" "$(echo "$end - $start" | bc)" "$reported"
  done
done
