#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks a translation for completeness against the *current* sources:
#  1. regenerates the template from po/POTFILES.in (same keywords as meson's glib preset),
#  2. merges the po file into it (in a temporary copy; the po file is not touched),
#  3. runs `msgfmt --check --statistics` and fails on any error, untranslated or fuzzy entry.
# So a new or changed string in the sources fails this check until the po file is updated
# (`ninja -C BUILDDIR mtavipclient-update-po`, then translate).
# Usage: tools/check-po.sh [SOURCE_ROOT] [LANG]   (defaults: directory above this script, zh_CN)
set -eu

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
lang=${2:-zh_CN}
po="$root/po/$lang.po"
[ -f "$po" ] || { echo "check-po: $po not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Plain msgfmt --check on the committed file first: syntax, format strings, header.
msgfmt --check --statistics -o /dev/null "$po" 2> "$tmp/own.txt" || { cat "$tmp/own.txt" >&2; exit 1; }

( cd "$root" && xgettext --package-name=mtavipclient --files-from=po/POTFILES.in \
    --directory="$root" --output="$tmp/current.pot" --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format )

msgmerge --quiet --output-file="$tmp/merged.po" "$po" "$tmp/current.pot"
msgfmt --check --statistics -o /dev/null "$tmp/merged.po" 2> "$tmp/stats.txt" || { cat "$tmp/stats.txt" >&2; exit 1; }
stats=$(cat "$tmp/stats.txt")
echo "$lang (merged with the current sources): $stats"

fail=0
case "$stats" in
  *fuzzy*|*untranslated*) fail=1 ;;
esac
case "$stats" in
  *" translated message"*) ;;
  *) echo "check-po: no translated messages at all" >&2; fail=1 ;;
esac
if [ $fail -ne 0 ]; then
  echo "Untranslated or fuzzy entries in $lang.po (against the current sources):" >&2
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A3 '^#:' >&2 || true
  msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -A3 '^#:' >&2 || true
  exit 1
fi
