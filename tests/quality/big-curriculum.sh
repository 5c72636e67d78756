#!/usr/bin/env bash
# Makes a big generated curriculum for the search tests: aula-corpus OUT N, with a rare word
# added to the last module's last session in each language (K'iche' tzʼunubʼ with U+02BC,
# Spanish ñandutí, French l’utilité). Prints that session's path within an edition.
set -euo pipefail
out="$1"; n="$2"
"$CARGO_TARGET_DIR/release/aula-corpus" "$out" "$n" >/dev/null
module="$(ls -d "$out"/content/*/ | sort | tail -1)"
session="$(ls "$module" | grep -E '\.es\.md$' | grep -v '^_' | sort | tail -1)"
stem="${session%.es.md}"
printf '\nXinwil jun tzʼunubʼ pa ri bʼe.\n' >> "$module/$stem.quc.md"
printf '\nEl ñandutí de la abuela.\n' >> "$module/$stem.es.md"
printf '\nNous parlons de l’utilité du cahier.\n' >> "$module/$stem.fr.md"
m="$(basename "$module")"; m="${m#*-}"
echo "$m/${stem#*-}/index.html"
