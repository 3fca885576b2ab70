#!/usr/bin/env bash
# Real images the tests use that are too large to commit: the Fashion-MNIST test split from Debian's
# dataset-fashion-mnist (MIT licence). Idempotent; needs root or sudo the first time.
set -euo pipefail
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  echo "testdata: fashion-mnist already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT=($SUDO apt-get -q -y -o DPkg::Lock::Timeout=900)
apt-cache show dataset-fashion-mnist >/dev/null 2>&1 || "${APT[@]}" update >/dev/null
DEBIAN_FRONTEND=noninteractive "${APT[@]}" install --no-install-recommends dataset-fashion-mnist >/dev/null
echo "testdata: installed fashion-mnist"
