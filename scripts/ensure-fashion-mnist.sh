#!/usr/bin/env bash
# Installs Debian's dataset-fashion-mnist (into /usr/share/datasets/fashion-mnist) when it is missing.
# Used by ./test -Pslow and .ci/run; needs root (or sudo) and apt.
set -euo pipefail
dir=/usr/share/datasets/fashion-mnist
[ -f "$dir/train-images-idx3-ubyte.gz" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "backprop: Fashion-MNIST is missing from $dir and there is no apt-get to install it" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "backprop: installing dataset-fashion-mnist (Debian package)..." >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null
