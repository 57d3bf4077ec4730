#!/usr/bin/env bash
# Installs Debian's chromium (/usr/bin/chromium) when it is missing: the slow tests render the HTML report in it,
# headless, to check that the page loads without errors and draws its charts. Used by ./test -Pslow and .ci/run;
# needs root (or sudo) and apt.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "backprop: /usr/bin/chromium is missing and there is no apt-get to install it" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "backprop: installing chromium (Debian package) for the browser test of the HTML report..." >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
