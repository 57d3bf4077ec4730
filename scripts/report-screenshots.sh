#!/usr/bin/env bash
# Renders the report screenshots in docs/images (shown in the README): a classification (iris), a regression
# (examples/data/houses.csv) and a 2-D classifier with its decision map (spirals), each trained by ./backprop in a
# scratch directory and photographed whole by headless Chromium (Debian's chromium; scripts/ensure-chromium.sh).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
"$root/scripts/ensure-chromium.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples" "$work/examples"
cd "$work"
"$root/backprop" train --data builtin:iris --report classification.html --quiet >/dev/null
"$root/backprop" train --data examples/data/houses.csv --target price --ignore id --report regression.html --quiet >/dev/null
"$root/backprop" train --data builtin:spirals --layers 32,32 --epochs 60 --lr 0.01 --report 2d.html --quiet >/dev/null
for name in classification regression 2d; do
  # The page's own height, measured by the browser, so that the picture is the whole report and nothing more.
  sed 's|</body>|<script>document.body.setAttribute("data-height", document.documentElement.scrollHeight)</script></body>|' \
    "$name.html" > "probe-$name.html"
  height=$(chromium --headless --no-sandbox --disable-gpu --window-size=1200,800 --dump-dom "file://$work/probe-$name.html" 2>/dev/null \
    | sed -n 's/.*data-height="\([0-9]*\)".*/\1/p' | head -1)
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1200,${height:-3000}" \
    --screenshot="$root/docs/images/report-$name.png" "file://$work/$name.html" >/dev/null 2>&1
  echo "docs/images/report-$name.png: 1200 x ${height:-3000}"
done
