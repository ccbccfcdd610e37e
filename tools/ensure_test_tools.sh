#!/usr/bin/env bash
# The browser tests and the PDFs use Debian's chromium (never a browser a test tool downloads
# itself), and the print edition needs a font with Japanese glyphs (the book quotes Japanese
# copies of its sources): Debian's fonts-noto-cjk. The Nu Html Checker (vnu-jar, from npm) runs
# on Java: Debian's default-jre-headless.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=ja family)" ]; then
  need+=(fonts-noto-cjk)
fi
[ ${#need[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${need[*]} for the browser tests and the PDFs…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "The browser tests, the HTML checker and the PDFs need: ${need[*]}." >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install ${need[*]}) or set CHROMIUM=/path/to/chromium." >&2
exit 1
