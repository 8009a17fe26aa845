#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
#   runtime: a TrueType CJK font for the PDFs (and browser screenshots), poppler-utils (pdftoppm
#            renders the page images of the agreement preview)
#   test:    chromium (browser tests), qpdf, libnss3-tools, zbar-tools, softhsm2
# Usage: scripts/install-system-deps.sh runtime|test
# Without root or apt-get it prints what is missing and exits 0 (tests that need a tool skip
# with a notice), except under CI=true, where a missing tool is an error.
set -euo pipefail
want=${1:-test}
runtime_pkgs=(fonts-arphic-uming fonts-droid-fallback fonts-wqy-microhei poppler-utils)
test_pkgs=(chromium qpdf libnss3-tools zbar-tools softhsm2)
pkgs=("${runtime_pkgs[@]}")
[ "$want" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "NOTICE: missing Debian packages (${missing[*]}); install them as root: apt-get install ${missing[*]}" >&2
if [ "${CI:-}" = true ]; then
  exit 1
fi
