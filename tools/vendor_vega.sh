#!/usr/bin/env bash
# Regenerate _static/vega-offline.js from the npm registry (rerun when altair is upgraded).
# The VEGA_DEBUG shim tells altair's chart script the libraries are already loaded, so no CDN is asked.
set -euo pipefail
cd "$(dirname "$0")/.."
VEGA=6.3.0 VL=6.4.1 VE=7.3.0
PY=${PYTHON:-.venv/bin/python}
read -r AV AVL AVE < <("$PY" -c "from altair.vegalite.v6.display import *; print(VEGA_VERSION, VEGALITE_VERSION, VEGAEMBED_VERSION)")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "vega@$VEGA" "vega-lite@$VL" "vega-embed@$VE" >/dev/null \
  && for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done)
{
  echo "/* vega $VEGA, vega-lite $VL, vega-embed $VE from npm; see tools/vendor_vega.sh */"
  echo "var VEGA_DEBUG = (typeof VEGA_DEBUG == 'undefined') ? {} : VEGA_DEBUG;"
  echo "VEGA_DEBUG.vega_version = '$AV'; VEGA_DEBUG.vegalite_version = '$AVL'; VEGA_DEBUG.vegaembed_version = '$AVE';"
  for p in "vega-$VEGA/package/build/vega.min.js" "vega-lite-$VL/package/build/vega-lite.min.js" \
           "vega-embed-$VE/package/build/vega-embed.min.js"; do
    grep -v '^//# sourceMappingURL=' "$tmp/$p"; echo ";"
  done
} > _static/vega-offline.js
echo "wrote _static/vega-offline.js ($(wc -c < _static/vega-offline.js) bytes)"
