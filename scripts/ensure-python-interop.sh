#!/usr/bin/env bash
# Installs Debian's python3-onnx (the ONNX checker) and python3-torch (PyTorch) when missing: the slow profile's
# interoperability checks run exported files through both. Used by ./test -Pslow and .ci/run; needs root (or sudo) and apt.
set -euo pipefail
missing=()
/usr/bin/python3 -I -c "import onnx" 2>/dev/null || missing+=(python3-onnx)
/usr/bin/python3 -I -c "import torch" 2>/dev/null || missing+=(python3-torch)
/usr/bin/python3 -I -c "import numpy" 2>/dev/null || missing+=(python3-numpy)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "backprop: ${missing[*]} missing and there is no apt-get to install them" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "backprop: installing ${missing[*]} (Debian packages)..." >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
