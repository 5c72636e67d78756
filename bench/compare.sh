#!/usr/bin/env bash
# Side-by-side build times: aula and Hugo on the same generated curriculum, on this machine.
# Usage: bash bench/compare.sh [SESSIONS_PER_LANGUAGE ...]   (default: 300 3000)
# Needs: cargo, and Hugo (`apt-get install hugo`; installed here if missing).
# Prints one row per tool and size: pages, PDFs, median wall time of 3 runs (RUNS=n to
# change), pages per second and peak memory, then aula's time over Hugo's. Hugo and the
# two aula builds take turns, run by run, so that a machine that slows down for a while
# slows all three alike. Every run writes into the output of the run before it, as a
# rebuild does (aula links the files that did not change); the first run of each row
# starts from an empty folder. PDFs (cold cache, then warm) are measured for sizes up to
# PDF_MAX sessions per language (default 300: at 3,000 a cold run typesets 54,000
# documents).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
command -v hugo >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
cargo build --release --locked --quiet --bin aula --bin aula-corpus
bin="$CARGO_TARGET_DIR/release"
runs="${RUNS:-3}"
pdf_max="${PDF_MAX:-300}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# turns NAME:OUT:COMMAND ...: each command once per run, in turn (after BEFORE, a shell
# command, when set); then, per NAME, its median wall time (s) and max peak RSS (MB) in
# $work/NAME. Each OUT starts empty.
turns() {
  local spec name out
  for spec in "$@"; do
    IFS=: read -r name out _ <<< "$spec"
    rm -rf "$out" "$work/$name.runs"
  done
  for _ in $(seq "$runs"); do
    for spec in "$@"; do
      IFS=: read -r name out cmd <<< "$spec"
      eval "${BEFORE:-:}"
      eval "/usr/bin/time -f '%e %M' -o '$work/t' $cmd >/dev/null 2>&1"
      cat "$work/t" >> "$work/$name.runs"
    done
  done
  for spec in "$@"; do
    IFS=: read -r name _ <<< "$spec"
    # shellcheck disable=SC2046
    printf '%s %s\n' "$(median $(cut -d' ' -f1 "$work/$name.runs"))" \
      "$(( $(cut -d' ' -f2 "$work/$name.runs" | sort -n | tail -1) / 1024 ))" > "$work/$name"
  done
}

row() { # label out seconds megabytes
  local pages pdfs
  pages=$(find "$2" -name '*.html' | wc -l)
  pdfs=$(find "$2" -name '*.pdf' | wc -l)
  printf '%-36s %7s %6s %9s %9s %8s\n' "$1" "$pages" "$pdfs" "$3" "$(awk -v p="$pages" -v t="$3" 'BEGIN {printf "%d", p / t}')" "$4"
}

printf '%-36s %7s %6s %9s %9s %8s\n' "build" "pages" "PDFs" "median s" "pages/s" "peak MB"
for size in ${@:-300 3000}; do
  src="$work/aula-$size"; hug="$work/hugo-$size"; out="$work/out/site"
  mkdir -p "$work/out"
  "$bin/aula-corpus" "$src" "$size" --hugo "$hug"
  turns "hugo:$out-hugo:hugo --quiet --source '$hug' --destination '$out-hugo'" \
    "one:$out-one:'$bin/aula' --root '$src' build --no-pdf --variant urban --out '$out-one'" \
    "nine:$out-nine:'$bin/aula' --root '$src' build --no-pdf --out '$out-nine'"
  read -r th m < "$work/hugo"
  row "hugo, 3 languages ($size)" "$out-hugo" "$th" "$m"
  read -r t1 m < "$work/one"
  row "aula, 1 variant x 3 languages ($size)" "$out-one" "$t1" "$m"
  read -r t m < "$work/nine"
  row "aula, 9 editions ($size)" "$out-nine" "$t" "$m"
  printf '%-36s %s\n' "aula / Hugo, 1 variant ($size)" "$(awk -v a="$t1" -v h="$th" 'BEGIN {printf "%.2fx", a / h}')"
  if [ "$size" -le "$pdf_max" ]; then
    cache="$work/out/.site.aula-cache"
    BEFORE="rm -rf '$cache'" turns "cold:$out:'$bin/aula' --root '$src' build --out '$out'"
    read -r t m < "$work/cold"
    row "aula, 9 editions + PDFs, cold ($size)" "$out" "$t" "$m"
    turns "warm:$out:'$bin/aula' --root '$src' build --out '$out'"
    read -r t m < "$work/warm"
    row "aula, 9 editions + PDFs, warm ($size)" "$out" "$t" "$m"
  fi
done
