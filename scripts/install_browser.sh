#!/bin/sh
# Install the headless browser the report test drives (Debian's chromium + chromium-driver).
# Does nothing when /usr/bin/chromium and chromedriver are already there; needs root (or sudo)
# and the Debian package index. Never fails the build: the test skips with a message instead.
set -u

if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "install_browser: not root and no passwordless sudo; the browser test will skip" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no apt-get (not Debian/Ubuntu); the browser test will skip" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && \
         $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver; }; then
    echo "install_browser: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
    echo "install_browser: apt-get could not install chromium; the browser test will skip" >&2
fi
exit 0
