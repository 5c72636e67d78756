#!/usr/bin/env bash
# Peak memory of a build (RSS, from /usr/bin/time): all nine HTML editions of aula-corpus
# curricula at 300, 1,000 and 3,000 sessions per language, and one variant with its PDFs
# (cold cache) at 30 and 100. Output is written to a tmpfs when /dev/shm exists. With
# WORDS=N, each session is also given N words like real lessons' (bench/real-words.py).
# Usage: bash bench/memory.sh   (HTML_SIZES="300 3000" PDF_SIZES="30" WORDS=250 to choose;
# PDF_VARIANT="" builds all nine editions with their PDFs: PDF_SIZES=1000 PDF_VARIANT="",
# the issue's bound, takes about seven minutes on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
cargo build --release --locked --quiet --bin aula --bin aula-corpus
bin="$CARGO_TARGET_DIR/release"
base="$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}" )"
work="$(mktemp -d "$base/aula-memory.XXXX")"
trap 'rm -rf "$work"' EXIT
peak() { # label, then the aula arguments
  local label="$1"; shift
  /usr/bin/time -f "%M %e %U" -o "$work/t" "$bin/aula" "$@" >/dev/null 2>&1
  read -r kb wall user < "$work/t"
  printf '%-44s %6d MiB peak  %6.2f s wall  %6.2f s user\n' "$label" $((kb / 1024)) "$wall" "$user"
}
corpus() { # folder, sessions per language
  "$bin/aula-corpus" "$1" "$2" >/dev/null
  [ -z "${WORDS:-}" ] || python3 bench/real-words.py "$1/content" "$WORDS" >/dev/null
}
for n in ${HTML_SIZES:-300 1000 3000}; do
  corpus "$work/c$n" "$n"
  peak "$n sessions/language, 9 HTML editions" --root "$work/c$n" build --no-pdf --out "$work/o$n"
  rm -rf "$work/c$n" "$work/o$n" "$work"/.o"$n".*
done
variant="${PDF_VARIANT-urban}"
if [ -n "$variant" ]; then what="1 variant"; only=(--variant "$variant"); else what="9 editions"; only=(); fi
for n in ${PDF_SIZES:-30 100}; do
  corpus "$work/p$n" "$n"
  peak "$n sessions/language, $what with PDFs" --root "$work/p$n" build "${only[@]}" --out "$work/q$n"
  rm -rf "$work/p$n" "$work/q$n" "$work"/.q"$n".*
done
