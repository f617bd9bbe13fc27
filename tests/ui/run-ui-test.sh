#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one UI test under a private X server (Xvfb) and a private session bus.
# Everything the bus activates (a11y registry, portals, keyring) gets a
# temporary HOME and XDG_* directories too.
# Usage: run-ui-test.sh TEST.py
set -eu
for tool in xvfb-run dbus-run-session xwd xdotool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed" >&2; exit 77; }
done
tmp=$(mktemp -d)
mkdir -p "$tmp/home" "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
status=0
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- /usr/bin/python3 "$@" || status=$?
fusermount -u "$tmp/runtime/doc" 2>/dev/null || true
rm -rf "$tmp" 2>/dev/null || true
exit $status
