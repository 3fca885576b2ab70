#!/usr/bin/env bash
# libjpeg-turbo's TurboJPEG library (Debian's libturbojpeg0, the libjpeg-turbo 2.1.5 that Pillow 9.4 decodes
# with), which the worker's JPEG decoder calls (docs/decisions/0012-native-jpeg-decoding.md). Without it the worker
# falls back to the JDK's decoder; the tests demand it. Idempotent; needs root or sudo the first time.
set -euo pipefail
if [ -e /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 ] || ldconfig -p 2>/dev/null | grep -q 'libturbojpeg\.so\.0 '; then
  echo "jpeg: libturbojpeg0 already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT=($SUDO apt-get -q -y -o DPkg::Lock::Timeout=900)
apt-cache show libturbojpeg0 >/dev/null 2>&1 || "${APT[@]}" update >/dev/null
DEBIAN_FRONTEND=noninteractive "${APT[@]}" install --no-install-recommends libturbojpeg0 >/dev/null
echo "jpeg: installed libturbojpeg0"
