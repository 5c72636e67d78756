#!/usr/bin/env bash
# The search index and memory on a curriculum whose words are like real lessons': the
# generated corpus (aula-corpus) draws its text from about 50 words per language, so every
# word is in every session and the index stays small. This appends to each generated
# session WORDS words (default 250) drawn, with a fixed seed and by frequency, from the
# words of the lessons in ../shared/fixtures (about 6,700 distinct words), then builds the
# nine HTML editions and one variant and prints their peak RSS, an edition's index size and
# its largest chunk (what a query starting with those two letters downloads).
# Usage: bash bench/real-vocabulary.sh [SESSIONS_PER_LANGUAGE]   (default 1000)
# Needs: cargo, python3, and the fixtures beside the repository (../shared/fixtures).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
cargo build --release --locked --quiet --bin aula --bin aula-corpus
bin="$CARGO_TARGET_DIR/release"
fixtures="$(cd .. && pwd)/shared/fixtures"
[ -d "$fixtures" ] || { echo "no fixtures at $fixtures" >&2; exit 1; }
size="${1:-1000}"
base="$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}" )"
work="$(mktemp -d "$base/aula-vocabulary.XXXX")"
trap 'rm -rf "$work"' EXIT
"$bin/aula-corpus" "$work/c" "$size" >/dev/null
python3 - "$fixtures" "$work/c/content" "${WORDS:-250}" <<'EOF'
import collections, glob, os, random, re, sys
fixtures, content, per_session = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = collections.Counter()
for path in sorted(glob.glob(os.path.join(fixtures, "**", "*.md"), recursive=True)):
    text = open(path, encoding="utf-8", errors="replace").read().lower()
    count.update(re.findall(r"[^\W\d_]{2,}", text))
words = sorted(count)
weights = [count[w] for w in words]
rng = random.Random(2)
sessions = 0
for root, _, files in sorted(os.walk(content)):
    for name in sorted(files):
        if name.endswith(".md") and not name.startswith("_"):
            with open(os.path.join(root, name), "a", encoding="utf-8") as f:
                f.write("\n\n" + " ".join(rng.choices(words, weights=weights, k=per_session)) + ".\n")
            sessions += 1
print(f"{len(words)} distinct words from the fixtures; {per_session} appended to each of {sessions} files")
EOF
peak() { # label, then the aula arguments
  local label="$1"; shift
  /usr/bin/time -f "%M %e" -o "$work/t" "$bin/aula" "$@" >/dev/null 2>&1
  read -r kb wall < "$work/t"
  printf '%-40s %6d MiB peak  %6.2f s\n' "$label" $((kb / 1024)) "$wall"
}
peak "$size sessions/language, 9 HTML editions" --root "$work/c" build --no-pdf --out "$work/o9"
peak "$size sessions/language, 1 variant" --root "$work/c" build --no-pdf --variant urban --out "$work/o1"
index="$work/o9/es/urban/search-index"
largest="$(ls -S "$index" | head -1)"
printf 'es/urban index: %s in %d files; largest chunk %s: %d KiB\n' \
  "$(du -sh "$index" | cut -f1)" "$(ls "$index" | wc -l)" "$largest" $(( $(stat -c %s "$index/$largest") / 1024 ))
