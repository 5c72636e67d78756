#!/usr/bin/env bash
# Time from saving a session to the updated page in `aula serve`, on a generated curriculum.
# Usage: bash bench/serve-edit.sh [SESSIONS_PER_LANGUAGE] [EDITS]   (default: 3000 9)
# Each edit is saved with `sed -i` (a new file renamed over the old one, as editors do);
# the page is then fetched every 2 ms until it shows the new text. Prints min, median and
# max in ms for body edits (the session's page) and title edits (its module's page).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
cargo build --release --locked --quiet --bin aula --bin aula-corpus
bin="$CARGO_TARGET_DIR/release"
size="${1:-3000}"
edits="${2:-9}"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "${KEEP_LOG:-}" ] && cp "$work/log" "$KEEP_LOG"; rm -rf "$work"' EXIT

"$bin/aula-corpus" "$work/c" "$size" >/dev/null
( cd "$work/c" && exec "$bin/aula" serve --port 0 >"$work/log" 2>&1 ) &
server=$!
until grep -q "^serving" "$work/log"; do
  kill -0 "$server" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.2
done
base=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/log" | head -1)

module=$(ls "$work/c/content" | grep -v '^_' | sed -n "$(( ($(ls "$work/c/content" | grep -vc '^_') + 1) / 2 ))p")
file=$(ls "$work/c/content/$module"/*.es.md | grep -v _module | sed -n 3p)
mslug=${module#*-}; sslug=$(basename "$file" .es.md); sslug=${sslug#*-}

# time_edit SED_EXPRESSION URL WORD: ms from the save to the page containing WORD
time_edit() {
  local t0 t1
  t0=$(date +%s%N)
  sed -i "$1" "$file"
  until curl -sf "$2" | grep -q "$3"; do sleep 0.002; done
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
summary() { sort -n | awk '{a[NR]=$1} END {printf "min %d  median %d  max %d ms (%d edits)\n", a[1], a[int((NR+1)/2)], a[NR], NR}'; }

echo "aula serve, $size sessions per language, editing content/$module/$(basename "$file")"
for i in $(seq "$edits"); do
  w="palabra$i$RANDOM"
  # the first word after the first heading's paragraph start: a body-only change
  time_edit "0,/^\([A-ZÁÉÍÓÚ][a-zé]*\) [^ ]* /s//\1 $w /" "${base}es/urban/$mslug/$sslug/" "$w"
  sleep 0.3
done | summary | sed 's/^/  body edit → session page: /'
for i in $(seq "$edits"); do
  w="Titulo$i$RANDOM"
  time_edit "0,/^title: .*/s//title: \"$w\"/" "${base}es/urban/$mslug/" "$w"
  sleep 0.3
done | summary | sed 's/^/  title edit → module page: /'
