#!/usr/bin/env bash
# Side-by-side build times: aula and Hugo on the same generated curriculum, on this machine.
# Usage: bash bench/compare.sh [SESSIONS_PER_LANGUAGE ...]   (default: 300 3000)
# Needs: cargo, and Hugo (`apt-get install hugo`; installed here if missing).
# Prints one table row per tool and size: pages, median wall time of 3 runs, peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
command -v hugo >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
cargo build --release --locked --quiet --bin aula --bin aula-corpus
bin="$CARGO_TARGET_DIR/release"
runs="${RUNS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# median wall time (s) and max peak RSS (MB) of `runs` runs of a command
measure() {
  local times=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1
    read -r t m < "$work/t"
    times+=("$t")
    [ "$m" -gt "$peak" ] && peak=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")" "$((peak / 1024))"
}

printf '%-28s %8s %10s %10s\n' "build" "pages" "median s" "peak MB"
for n in "${@:-300 3000}"; do
  for size in $n; do
    src="$work/aula-$size"; hug="$work/hugo-$size"
    "$bin/aula-corpus" "$src" "$size" --hugo "$hug"
    read -r t m < <(measure hugo --quiet --source "$hug" --destination "$work/hugo-out")
    printf '%-28s %8s %10s %10s\n' "hugo, 3 languages ($size)" "$(find "$work/hugo-out" -name '*.html' | wc -l)" "$t" "$m"
    read -r t m < <(measure "$bin/aula" --root "$src" build --no-pdf --variant urban --out "$work/aula-out")
    printf '%-28s %8s %10s %10s\n' "aula, 3 languages ($size)" "$(find "$work/aula-out" -name '*.html' | wc -l)" "$t" "$m"
    read -r t m < <(measure "$bin/aula" --root "$src" build --no-pdf --out "$work/aula-out")
    printf '%-28s %8s %10s %10s\n' "aula, 9 editions ($size)" "$(find "$work/aula-out" -name '*.html' | wc -l)" "$t" "$m"
  done
done
