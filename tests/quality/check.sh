#!/usr/bin/env bash
# Quality gates on the built sample curriculum, with tools nobody here wrote:
# determinism (two builds, diff -r), the Nu HTML Checker, an independent link checker that
# resolves #fragments (hyperlink), qpdf/pdffonts/pdftotext on the PDFs, and the browser
# tests (axe-core, 360 px, print, switchers, search) in headless Chromium.
# Usage: bash tests/quality/check.sh   (from the repository; installs what is missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aula-target}"
tools="${AULA_TOOLS:-/var/tmp/aula-tools}"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
command -v pdffonts >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
hyperlink="$(command -v hyperlink || true)"
if [ -z "$hyperlink" ]; then
  [ -x "$tools/bin/hyperlink" ] || cargo install hyperlink --version 0.3.2 --locked --root "$tools" --quiet
  hyperlink="$tools/bin/hyperlink"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --locked --quiet
aula="$CARGO_TARGET_DIR/release/aula"

echo "== determinism: two builds, byte for byte"
"$aula" build --out "$work/a/public"
"$aula" build --out "$work/b/public"
diff -r "$work/a/public" "$work/b/public"
site="$work/a/public"

echo "== Nu HTML Checker"
java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site"
echo "no HTML errors in $(find "$site" -name '*.html' | wc -l) pages"

echo "== html-validate (standard and a11y presets)"
node tests/browser/node_modules/html-validate/bin/html-validate.mjs --config tests/browser/htmlvalidate.json "$site/**/*.html"
echo "html-validate: no errors"

echo "== links and #fragments (hyperlink)"
"$hyperlink" --check-anchors "$site"

echo "== PDFs: qpdf --check, fonts embedded, text extracts as authored"
pdfs=0
while IFS= read -r -d '' pdf; do
  qpdf --check "$pdf" >/dev/null 2>&1 || { echo "qpdf --check failed: $pdf"; qpdf --check "$pdf"; exit 1; }
  if pdffonts "$pdf" 2>/dev/null | tail -n +3 | awk '{ if ($(NF-4) != "yes") bad=1 } END { exit bad }'; then :; else
    echo "a font is not embedded: $pdf"; pdffonts "$pdf"; exit 1
  fi
  pdfs=$((pdfs + 1))
done < <(find "$site" -name '*.pdf' -print0)
grep -q "Sibʼalaj utz kinwil ri nuchak" <(pdftotext "$site/quc/altiplano/emprendimiento/mi-negocio/handout.pdf" -)
grep -q "Xpaqi' rajil ronojel ri jastaq" <(pdftotext "$site/quc/urban/costos-precios/precio/handout.pdf" -)
grep -q "K’o pwaq pa uwi’ ri mexa" <(pdftotext "$site/quc/rural/ahorro-credito/ahorro/guide.pdf" -)
echo "$pdfs PDFs pass qpdf --check with every font embedded; K'iche' text extracts as written"

echo "== browser tests (headless Chromium)"
node tests/browser/run.mjs "$site"

echo "== search on a generated curriculum of 1,000 sessions per edition (file://)"
last="$(bash tests/quality/big-curriculum.sh "$work/big" 1000)"
"$CARGO_TARGET_DIR/release/aula" --root "$work/big" build --no-pdf --variant urban --out "$work/big-site" >/dev/null 2>&1
node tests/browser/scale.mjs "$work/big-site" "$last"
echo "== the same with 250 words of real lessons added to each session (bench/real-words.py)"
python3 bench/real-words.py "$work/big/content" 250
"$CARGO_TARGET_DIR/release/aula" --root "$work/big" build --no-pdf --variant urban --out "$work/big-real" >/dev/null 2>&1
node tests/browser/scale.mjs "$work/big-real" "$last"

echo "== Lighthouse, mobile: accessibility 100, performance at least 95"
node tests/browser/lighthouse.mjs "$site"
