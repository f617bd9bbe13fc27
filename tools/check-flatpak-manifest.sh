#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `flatpak-builder --show-manifest` on the Flatpak manifest with warnings fatal.
# flatpak-builder 1.2.x only g_warning()s about what it does not understand (for example
# "Unknown property foo for type BuilderModule") and still exits 0, so this script fails on
# a non-zero exit *or* on any warning/critical line in its output. It also checks that the
# manifest is what we mean to ship: the app id and command, and a sha256 on every archive or
# file source (pinned sources).
# Usage: tools/check-flatpak-manifest.sh [MANIFEST]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
manifest=${1:-$root/flatpak/io.github.MTMediaDev.MTAVIPClient.json}
command -v flatpak-builder >/dev/null || { echo "check-flatpak-manifest: flatpak-builder not installed" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "$manifest" in /*) ;; *) manifest="$PWD/$manifest" ;; esac

# Run in the temporary directory: flatpak-builder leaves a .flatpak-builder/ state
# directory in its working directory.
rc=0
( cd "$tmp" && flatpak-builder --show-manifest "$manifest" ) > "$tmp/out" 2> "$tmp/err" || rc=$?
cat "$tmp/err" >&2
if [ $rc -ne 0 ]; then
  echo "check-flatpak-manifest: flatpak-builder --show-manifest exited with $rc" >&2
  exit 1
fi
if grep -qiE 'warning|critical|error' "$tmp/err" || grep -qiE '^\(flatpak-builder:[0-9]+\)|WARNING \*\*' "$tmp/out"; then
  echo "check-flatpak-manifest: flatpak-builder printed warnings (fatal here):" >&2
  grep -iE 'warning|critical|error' "$tmp/err" "$tmp/out" >&2 || true
  exit 1
fi

/usr/bin/python3 - "$tmp/out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
problems = []
if m.get("id") != "io.github.MTMediaDev.MTAVIPClient":
    problems.append("id is %r" % m.get("id"))
if m.get("command") != "mtavipclient":
    problems.append("command is %r" % m.get("command"))
def walk(mods, path=""):
    for mod in mods:
        if isinstance(mod, str):
            continue
        name = path + mod.get("name", "?")
        for src in mod.get("sources", []):
            if isinstance(src, dict) and src.get("type") in ("archive", "file") and "url" in src \
               and not src.get("sha256"):
                problems.append("module %s: source %s has no sha256" % (name, src.get("url")))
        walk(mod.get("modules", []), name + "/")
walk(m.get("modules", []))
for p in problems:
    print("check-flatpak-manifest: " + p, file=sys.stderr)
if problems:
    sys.exit(1)
print("manifest OK: %s, runtime %s//%s, %d modules, finish-args: %s" % (
    m["id"], m["runtime"], m.get("runtime-version"), len(m.get("modules", [])),
    " ".join(m.get("finish-args", []))))
PY
