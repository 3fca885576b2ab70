#!/usr/bin/env bash
# The browser the console's tests drive: Debian's chromium and chromium-driver (Selenium finds the driver on the
# PATH). Idempotent; needs root or sudo the first time.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "browser: chromium and chromedriver already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
APT=($SUDO apt-get -q -y -o DPkg::Lock::Timeout=900)
apt-cache show chromium-driver >/dev/null 2>&1 || "${APT[@]}" update >/dev/null
DEBIAN_FRONTEND=noninteractive "${APT[@]}" install --no-install-recommends chromium chromium-driver >/dev/null
echo "browser: installed $(chromium --version 2>/dev/null || echo chromium)"
