#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when po/POTFILES.in is out of step with the sources:
#  - a file under src/, ui/ or data/ holds translatable strings but is not listed;
#  - a file listed in POTFILES.in does not exist.
# Translatable means: C/Python/JS gettext calls (_("..."), N_("..."), C_(, NC_(, Q_(,
# ngettext(, g_dngettext(), translatable="yes" in GtkBuilder/XML files, or a file type whose
# strings are translatable by ITS rules (*.desktop.in, *.metainfo.xml.in, *.appdata.xml.in,
# *.gschema.xml with <summary>/<description>).
# Usage: tools/check-potfiles.sh [SOURCE_ROOT]   (default: the directory above this script)
set -eu

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
potfiles="$root/po/POTFILES.in"
[ -f "$potfiles" ] || { echo "check-potfiles: $potfiles not found" >&2; exit 1; }

listed=$(mktemp) found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

# Listed files: drop comments, blank lines and [type: ...] prefixes.
sed -e 's/#.*//' -e 's/^\[[^]]*\][[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" \
  | sort -u > "$listed"

status=0
while IFS= read -r f; do
  if [ ! -f "$root/$f" ]; then
    echo "POTFILES.in names a missing file: $f" >&2
    status=1
  fi
done < "$listed"

# Files that hold translatable strings.
cd "$root"
for dir in src ui data; do
  [ -d "$dir" ] || continue
  find "$dir" -type f \( -name '*.c' -o -name '*.h' -o -name '*.py' -o -name '*.js' -o -name '*.vala' \
       -o -name '*.ui' -o -name '*.xml' -o -name '*.xml.in' -o -name '*.desktop.in' \)
done | sort | while IFS= read -r f; do
  case "$f" in
    *.desktop.in|*.metainfo.xml.in|*.appdata.xml.in)
      echo "$f"; continue ;;
    *.gschema.xml)
      grep -qE '<(summary|description)>' "$f" && echo "$f"; continue ;;
  esac
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|Q_)\([[:space:]]*"|(^|[^A-Za-z0-9_])(C_|NC_|ngettext|g_dngettext|g_dpgettext2)\(' "$f" \
     || grep -q 'translatable="yes"' "$f"; then
    echo "$f"
  fi
done > "$found"

missing=$(comm -23 "$found" "$listed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  status=1
fi

if [ $status -eq 0 ]; then
  echo "POTFILES.in: $(wc -l < "$listed") files listed, all present; all $(wc -l < "$found") files with translatable strings are listed."
fi
exit $status
