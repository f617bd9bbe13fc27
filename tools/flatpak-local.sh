#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build MTAVIPClient as a Flatpak against a *local* runtime assembled from this Debian
# system, install it in a private Flatpak installation, prove the sandbox permissions from
# inside the sandbox, and run it under Xvfb with a screenshot.
#
# Flathub cannot be reached from the project's build machines, so this is how the manifest's
# build steps (meson in the sandbox, install paths, schema compilation, AppStream compose,
# exports) and finish-args (network, X11, PulseAudio, devices, D-Bus) are proven for real.
# On a normal machine use the real manifest with the GNOME runtime: see flatpak/README.md.
#
# Environment:
#   MTAVIP_FLATPAK_DIR    scratch directory (default /var/tmp/mtavip-flatpak); everything
#                         this script makes, including the private Flatpak installation
#                         (FLATPAK_USER_DIR), lives below it. Needs ~4 GB on the same file
#                         system as /usr (the runtime is hard-linked from /usr).
#   MTAVIP_FLATPAK_APP    "real" (default): build the app from this source tree with the
#                         manifest's app module. "placeholder": build a generated stand-in
#                         binary (in the scratch directory, never in src/) together with the
#                         real data/ and po/ files, to prove everything except the app's code
#                         while the app does not build yet.
#   MTAVIP_FLATPAK_REBUILD_RUNTIME=1   rebuild the local runtime even if it is installed.
#   MTAVIP_FLATPAK_RUN_SECONDS         extra seconds to wait for the app's window (default 8).
#   MTAVIP_FLATPAK_RUN_ENV             extra VAR=VALUE words for the first (English) app run.
#   MTAVIP_FLATPAK_CLI                 the caller for the incoming-call check (default
#                                      <repo>/_build/src/cli/mtavip-cli, built with ninja if
#                                      missing; "none" skips the call).
#
# Steps (each prints its duration): runtime -> app -> sandbox checks -> the app run:
# listen-address set with gsettings inside the sandbox, window + screenshot, the address the
# window reports (AT-SPI), an incoming call from mtavip-cli outside the sandbox over
# 127.0.0.1 (rings, ringtone on PulseAudio, answered, RTP both ways, hung up), then a
# LANGUAGE=zh_CN run (screenshot, Chinese labels). Only 127.0.0.1 is ever called.
# Output: $MTAVIP_FLATPAK_DIR/screenshot{,-ringing,-zh_CN}.png, $MTAVIP_FLATPAK_DIR/logs/.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${MTAVIP_FLATPAK_DIR:-/var/tmp/mtavip-flatpak}
APP_MODE=${MTAVIP_FLATPAK_APP:-real}
RUN_SECONDS=${MTAVIP_FLATPAK_RUN_SECONDS:-8}
APP_ID=io.github.MTMediaDev.MTAVIPClient
MANIFEST=$SRC/flatpak/$APP_ID.json
RT_ID=org.debian.MTAVIPLocal.Platform
RT_BRANCH=12
ARCH=$(flatpak --default-arch)
# Modules of the Flathub manifest that this Debian system already provides as packages.
DROP_MODULES=${MTAVIP_FLATPAK_DROP_MODULES:-sofia-sip}

mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
export FLATPAK_USER_DIR=$WORK/flatpak-user
# flatpak run needs a private runtime dir; keep it under the scratch dir too.
export XDG_RUNTIME_DIR=$WORK/xdg-runtime
# flatpak run keeps each app's files in $HOME/.var/app/APPID (its GSettings keyfile,
# contacts, history, caches): a private HOME keeps those in the scratch dir too.
export HOME=$WORK/home
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME
mkdir -p "$FLATPAK_USER_DIR" "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"

step_start=0
step() { step_start=$(date +%s); echo; echo "=== $* ==="; }
step_done() { echo "--- done in $(( $(date +%s) - step_start ))s"; }
die() { echo "flatpak-local: $*" >&2; exit 1; }

for p in flatpak flatpak-builder xvfb-run dbus-run-session xwd xwininfo /usr/bin/python3; do
  command -v "$p" >/dev/null || die "$p is not installed (apt-get install flatpak flatpak-builder xvfb x11-apps x11-utils dbus)"
done
[ -x /usr/bin/convert ] || die "/usr/bin/convert (imagemagick) is not installed"
command -v eu-strip >/dev/null || die "eu-strip is not installed (apt-get install elfutils): flatpak-builder strips binaries with it"
command -v appstream-compose >/dev/null || die "appstream-compose is not installed (apt-get install appstream-util): flatpak-builder 1.2 composes AppStream data with it"

# ---------------------------------------------------------------------------------------
step "1. local runtime $RT_ID//$RT_BRANCH from this system's /usr"
if [ "${MTAVIP_FLATPAK_REBUILD_RUNTIME:-0}" != 1 ] && [ -f "$WORK/runtime.stamp" ] \
   && flatpak --user info "$RT_ID//$RT_BRANCH" >/dev/null 2>&1; then
  echo "already installed ($(cat "$WORK/runtime.stamp")); MTAVIP_FLATPAK_REBUILD_RUNTIME=1 rebuilds it"
else
  rm -f "$WORK/runtime.stamp"
  flatpak --user uninstall -y --noninteractive "$RT_ID//$RT_BRANCH" >/dev/null 2>&1 || true
  rm -rf "$WORK/runtime" "$WORK/runtime-repo"
  mkdir -p "$WORK/runtime"
  RT=$WORK/runtime
  # Hard links: no copy of 3 GB, and nothing under /usr is modified (files are only read).
  [ "$(stat -c %d /usr)" = "$(stat -c %d "$WORK")" ] \
    || die "$WORK must be on the same file system as /usr (hard links); set MTAVIP_FLATPAK_DIR"
  cp -al /usr "$RT/files"
  # Large trees nothing in the app or its build needs.
  for d in local lib/google-cloud-sdk lib/jvm lib/postgresql lib32 lib/llvm-14 \
           share/doc share/man share/info share/fpcsrc share/package-lists share/vim \
           share/gtk-doc share/help share/texlive share/texmf lib/python3/dist-packages/googleapiclient; do
    rm -rf "${RT:?}/files/$d"
  done
  rm -rf "$RT/files/lib/x86_64-linux-gnu/fpc" "$RT/files/lib/x86_64-linux-gnu/libwireshark.so"*
  # Big static archives (nothing here links statically; libc_nonshared.a & co are small),
  # but never the compiler's own (lib/gcc: libgcc.a is 3 MB and every link needs it).
  find "$RT/files/lib" -name '*.a' -size +2M ! -path "$RT/files/lib/gcc/*" -delete
  # Keep only the translations the app is tested in.
  find "$RT/files/share/locale" -mindepth 1 -maxdepth 1 -type d \
       ! -name 'zh_CN' ! -name 'zh' ! -name 'en*' -exec rm -rf {} +
  # The runtime's /etc: what the dynamic linker, fontconfig, Debian's alternatives
  # (/usr/bin/cc -> /etc/alternatives/cc) and name resolution read.
  mkdir -p "$RT/files/etc"
  cp -a /etc/ld.so.conf /etc/ld.so.conf.d /etc/ld.so.cache /etc/fonts /etc/alternatives "$RT/files/etc/"
  for f in protocols services nsswitch.conf gai.conf mime.types; do
    [ -e "/etc/$f" ] && cp -a "/etc/$f" "$RT/files/etc/"
  done
  [ -d /etc/gtk-4.0 ] && cp -a /etc/gtk-4.0 "$RT/files/etc/"
  [ -d /etc/pulse ] && cp -a /etc/pulse "$RT/files/etc/"
  cat > "$RT/metadata" <<EOF
[Runtime]
name=$RT_ID
runtime=$RT_ID/$ARCH/$RT_BRANCH
sdk=$RT_ID/$ARCH/$RT_BRANCH
EOF
  echo "runtime tree: $(du -sh --apparent-size "$RT/files" | cut -f1) (hard links into /usr)"
  echo "exporting to an OSTree repo (a few minutes)..."
  flatpak build-export --runtime --files=files "$WORK/runtime-repo" "$RT" "$RT_BRANCH" \
    > "$LOGS/runtime-export.log" 2>&1 || { tail -20 "$LOGS/runtime-export.log"; die "build-export failed"; }
  flatpak --user remote-add --if-not-exists --no-gpg-verify mtavip-local "$WORK/runtime-repo"
  flatpak --user remote-modify --url="file://$WORK/runtime-repo" mtavip-local
  flatpak --user install -y --noninteractive mtavip-local "$RT_ID//$RT_BRANCH" \
    > "$LOGS/runtime-install.log" 2>&1 || { tail -20 "$LOGS/runtime-install.log"; die "runtime install failed"; }
  # The exported tree is no longer needed once installed.
  rm -rf "$WORK/runtime"
  echo "Debian $(cat /etc/debian_version), built $(date -u +%FT%TZ)" > "$WORK/runtime.stamp"
fi
step_done

# ---------------------------------------------------------------------------------------
step "2. app ($APP_MODE) with flatpak-builder"
mkdir -p "$WORK/manifest"
APP_SRC=$SRC
if [ "$APP_MODE" = placeholder ]; then
  # A stand-in for the app while src/app does not exist yet: the real data/ and po/ files,
  # and a tiny GTK 4 program named mtavipclient that reads the real GSettings schema and
  # the real translation catalogue. It lives only in the scratch directory.
  APP_SRC=$WORK/placeholder-src
  rm -rf "$APP_SRC"; mkdir -p "$APP_SRC"
  cp -a "$SRC/data" "$SRC/po" "$APP_SRC/"
  rm -f "$APP_SRC"/po/*.pot
  cat > "$APP_SRC/meson.build" <<'EOF'
project('mtavipclient', 'c', version: '0.1.0', meson_version: '>= 0.63')
gnome = import('gnome')
i18n = import('i18n')
app_id = 'io.github.MTMediaDev.MTAVIPClient'
gettext_package = 'mtavipclient'
executable('mtavipclient', 'placeholder.c',
  dependencies: dependency('gtk4'),
  c_args: ['-DLOCALEDIR="' + get_option('prefix') / get_option('localedir') + '"'],
  install: true)
subdir('data')
subdir('po')
EOF
  cat > "$APP_SRC/placeholder.c" <<'EOF'
/* Flatpak smoke-test stand-in generated by tools/flatpak-local.sh: NOT the app. */
#include <gtk/gtk.h>
#include <glib/gi18n.h>
#include <locale.h>
static void activate (GtkApplication *app) {
  GSettings *s = g_settings_new ("io.github.MTMediaDev.MTAVIPClient");
  char *size = g_settings_get_string (s, "video-size");
  char *text = g_strdup_printf ("MTAVIPClient Flatpak placeholder\n%s\nvideo-size = %s",
                                _("Make audio and video calls over SIP"), size);
  GtkWidget *w = gtk_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (w), "MTAVIPClient (placeholder)");
  gtk_window_set_default_size (GTK_WINDOW (w), g_settings_get_int (s, "window-width"),
                               g_settings_get_int (s, "window-height"));
  gtk_window_set_child (GTK_WINDOW (w), gtk_label_new (text));
  gtk_window_present (GTK_WINDOW (w));
  g_free (text); g_free (size); g_object_unref (s);
}
int main (int argc, char **argv) {
  setlocale (LC_ALL, "");
  bindtextdomain ("mtavipclient", LOCALEDIR);
  bind_textdomain_codeset ("mtavipclient", "UTF-8");
  textdomain ("mtavipclient");
  GtkApplication *app = gtk_application_new ("io.github.MTMediaDev.MTAVIPClient",
                                             G_APPLICATION_HANDLES_OPEN);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  g_signal_connect (app, "open", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
EOF
elif [ "$APP_MODE" != real ]; then
  die "MTAVIP_FLATPAK_APP must be 'real' or 'placeholder'"
fi

LOCAL_MANIFEST=$WORK/manifest/$APP_ID.json
/usr/bin/python3 - "$MANIFEST" "$LOCAL_MANIFEST" "$RT_ID" "$RT_BRANCH" "$APP_SRC" "$DROP_MODULES" <<'PY'
import json, sys
src, dst, rt, branch, app_src, drop = sys.argv[1:]
drop = set(drop.split())
m = json.load(open(src))
m["runtime"] = rt
m["sdk"] = rt
m["runtime-version"] = branch
kept, dropped = [], []
for mod in m["modules"]:
    name = mod if isinstance(mod, str) else mod.get("name")
    (dropped if name in drop else kept).append(mod)
m["modules"] = kept
app = m["modules"][-1]
import os
for s in app["sources"]:
    if s.get("type") == "dir":
        s["path"] = app_src
        # flatpak-builder's skip takes exact paths, no globs: also skip whatever other
        # build directories and stray outputs people keep at the top of the tree here.
        extra = sorted(e for e in os.listdir(app_src)
                       if (e.startswith("_build") or e.startswith("build") or e.endswith(".flatpak"))
                       and e not in s.get("skip", []))
        s["skip"] = s.get("skip", []) + extra
json.dump(m, open(dst, "w"), indent=4)
print("local manifest: runtime/sdk %s//%s; dropped modules (Debian packages here): %s; kept: %s"
      % (rt, branch, ", ".join(x if isinstance(x, str) else x["name"] for x in dropped) or "none",
         ", ".join(x if isinstance(x, str) else x["name"] for x in kept)))
PY
cd "$WORK"
if ! flatpak-builder --user --disable-rofiles-fuse --force-clean --install \
       --state-dir="$WORK/state" "$WORK/build-dir" "$LOCAL_MANIFEST" \
       > "$LOGS/flatpak-builder.log" 2>&1; then
  tail -40 "$LOGS/flatpak-builder.log"
  if [ "$APP_MODE" = real ]; then
    echo
    echo "flatpak-local: the app module failed (log: $LOGS/flatpak-builder.log)." >&2
    echo "  If the app does not build yet, MTAVIP_FLATPAK_APP=placeholder proves the rest." >&2
  fi
  exit 1
fi
grep -E '^(Starting|Running|Committing|Exporting|Installing|Pruning|Compose|Cleaning)' \
  "$LOGS/flatpak-builder.log" | sed 's/^/  /' | tail -25
flatpak --user info "$APP_ID" | sed 's/^/  /'
step_done

# ---------------------------------------------------------------------------------------
step "3. sandbox checks (from inside: flatpak run --command=sh)"
# Every run starts the app with no files of its own (first-run state).
rm -rf "$HOME/.var/app/$APP_ID"
flatpak --user info --show-permissions "$APP_ID" | sed 's/^/  /'

# A PulseAudio server with a null sink on the private runtime dir, so --socket=pulseaudio
# has something to prove.
PULSE_PID=
if command -v pulseaudio >/dev/null; then
  pulseaudio --daemonize=no --exit-idle-time=-1 --disallow-exit -n \
    --load=module-native-protocol-unix --load="module-null-sink sink_name=mtavip_null" \
    > "$LOGS/pulseaudio.log" 2>&1 &
  PULSE_PID=$!
  for _ in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/pulse/native" ] && break; sleep 0.1; done
fi
cleanup() { [ -n "$PULSE_PID" ] && kill "$PULSE_PID" 2>/dev/null || true; }
trap cleanup EXIT

cat > "$WORK/sandbox-checks.sh" <<'EOF'
fail=0
ok()   { echo "  ok    $*"; }
bad()  { echo "  FAIL  $*"; fail=1; }
info() { echo "  info  $*"; }
APP_ID=io.github.MTMediaDev.MTAVIPClient
[ -x /app/bin/mtavipclient ] && ok "/app/bin/mtavipclient" || bad "/app/bin/mtavipclient missing"
# flatpak-builder 1.2's appstream-compose moves metainfo/APPID.metainfo.xml to
# appdata/APPID.appdata.xml; newer ones keep the metainfo path.
if [ -f /app/share/metainfo/$APP_ID.metainfo.xml ] || [ -f /app/share/appdata/$APP_ID.appdata.xml ]; then
  ok "AppStream metainfo installed"
else
  bad "AppStream metainfo missing from /app/share/metainfo and /app/share/appdata"
fi
[ -f /app/share/app-info/xmls/$APP_ID.xml.gz ] && ok "AppStream catalog composed (app-info/xmls)" \
  || info "no composed AppStream catalog in /app/share/app-info"
for f in applications/$APP_ID.desktop \
         icons/hicolor/scalable/apps/$APP_ID.svg icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg \
         dbus-1/services/$APP_ID.service glib-2.0/schemas/$APP_ID.gschema.xml \
         locale/zh_CN/LC_MESSAGES/mtavipclient.mo; do
  [ -f /app/share/$f ] && ok "/app/share/$f" || bad "/app/share/$f missing"
done
grep -q '^Exec=/app/bin/mtavipclient --gapplication-service' /app/share/dbus-1/services/$APP_ID.service \
  && ok "D-Bus service Exec points into /app" || bad "D-Bus service Exec: $(grep Exec= /app/share/dbus-1/services/$APP_ID.service)"
v=$(gsettings get $APP_ID video-size 2>&1) && [ "$v" = "'640x480'" ] \
  && ok "GSettings schema compiled and found: video-size = $v" || bad "gsettings: $v"
[ -n "${DISPLAY:-}" ] && [ -e /tmp/.X11-unix/X${DISPLAY#:} ] \
  && ok "X11 socket for DISPLAY=$DISPLAY (fallback-x11)" || bad "no X11 socket for DISPLAY=${DISPLAY:-unset}"
nets=$(ls /sys/class/net | tr '\n' ' ')
case "$nets" in *lo*) [ "$(ls /sys/class/net | wc -l)" -gt 1 ] \
  && ok "network shared (interfaces: $nets)" || bad "network not shared (interfaces: $nets)";; esac
[ "$(ls /dev | wc -l)" -gt 20 ] && ok "host /dev visible (--device=all): $(ls -d /dev/video* /dev/dri 2>/dev/null | tr '\n' ' ')" \
  || bad "/dev is the minimal sandbox /dev"
if pactl info >/tmp/pactl.txt 2>&1; then
  ok "PulseAudio reachable: $(grep -E '^(Server Name|Default Sink)' /tmp/pactl.txt | tr '\n' ' ')"
else
  info "PulseAudio not reachable: $(head -1 /tmp/pactl.txt)"
fi
dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.ListNames >/dev/null 2>&1 \
  && ok "session bus reachable (filtered by the D-Bus proxy)" || info "session bus not reachable"
# The element factories the app's pipelines name (src/core/media, src/app/mt-ringtone.c,
# src/core/sip/mt-echo-service.c). Required: core RTP, Opus, PCMU/PCMA, VP8, the sources and
# sinks; optional (a codec is offered only when all its elements exist): G.722 and H.264.
missing=
for e in rtpbin udpsrc udpsink queue valve volume fakesink appsink \
         opusenc opusdec rtpopuspay rtpopusdepay mulawenc mulawdec rtppcmupay rtppcmudepay \
         alawenc alawdec rtppcmapay rtppcmadepay vp8enc vp8dec rtpvp8pay rtpvp8depay \
         v4l2src pulsesrc pulsesink autoaudiosrc autoaudiosink autovideosink \
         audiotestsrc videotestsrc audioconvert audioresample videoconvert videoscale videorate \
         interaudiosrc interaudiosink intervideosrc intervideosink; do
  # (not --exists: without --atleast-version it also demands plugin version >= GStreamer's)
  gst-inspect-1.0 "$e" >/dev/null 2>&1 || missing="$missing $e"
done
[ -z "$missing" ] && ok "GStreamer elements the calls use are all present (41 factories)" || bad "GStreamer elements missing:$missing"
for codec in "G.722:avenc_g722 avdec_g722 rtpg722pay rtpg722depay" \
             "H.264:x264enc avdec_h264 rtph264pay rtph264depay h264parse"; do
  absent=
  for e in ${codec#*:}; do gst-inspect-1.0 "$e" >/dev/null 2>&1 || absent="$absent $e"; done
  [ -z "$absent" ] && info "optional codec ${codec%%:*}: all elements present" \
    || info "optional codec ${codec%%:*}: not offered, missing$absent"
done
exit $fail
EOF
checks_rc=0
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  flatpak run --user --command=sh "$APP_ID" -c "$(cat "$WORK/sandbox-checks.sh")" \
  > "$LOGS/sandbox-checks.log" 2> "$LOGS/sandbox-checks.stderr.log" || checks_rc=$?
cat "$LOGS/sandbox-checks.log"
step_done

# ---------------------------------------------------------------------------------------
step "4. the app in the sandbox under Xvfb: window, listening address, an incoming call, zh_CN"
rm -f "$WORK"/screenshot*.png
CLI=${MTAVIP_FLATPAK_CLI:-$SRC/_build/src/cli/mtavip-cli}
if [ "$APP_MODE" = real ] && [ "$CLI" != none ] && [ ! -x "$CLI" ] \
   && [ "$CLI" = "$SRC/_build/src/cli/mtavip-cli" ] && [ -f "$SRC/_build/build.ninja" ]; then
  echo "  building the caller: ninja -C $SRC/_build src/cli/mtavip-cli"
  ninja -C "$SRC/_build" src/cli/mtavip-cli > "$LOGS/cli-build.log" 2>&1 || true
fi
# The driver runs OUTSIDE the sandbox, inside a private Xvfb + session bus: it starts
# `flatpak run`, reads the app's widgets over AT-SPI and its state over org.gtk.Actions
# (both cross the sandbox through flatpak's D-Bus proxies, as a screen reader's would), and
# calls the app from outside with mtavip-cli over 127.0.0.1 (--share=network).
cat > "$WORK/run-app.py" <<'PY'
import json, os, re, socket, subprocess, sys, time
import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib

WORK, LOGS, APP_ID, MODE, CLI, RUN_SECONDS = sys.argv[1:7]
EXTRA_ENV = sys.argv[7].split()
RUN_SECONDS = float(RUN_SECONDS)
APP_PATH = "/" + APP_ID.replace(".", "/")
failures = []

def ok(msg): print("  ok    " + msg, flush=True)
def info(msg): print("  info  " + msg, flush=True)
def bad(msg):
    print("  FAIL  " + msg, flush=True)
    failures.append(msg)

def wait_for(pred, timeout, interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = pred()
        except Exception:
            v = None
        if v or time.monotonic() > deadline:
            return v
        time.sleep(interval)

def free_port():
    # free for both UDP and TCP (the app listens on both)
    for _ in range(50):
        t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port)); return port
        except OSError:
            pass
        finally:
            t.close(); u.close()
    raise RuntimeError("no free port")

def flatpak(*args, **kw):
    return subprocess.run(["flatpak", "run", "--user"] + list(args), capture_output=True,
                          text=True, timeout=60, **kw)

def shot(path, wid=None):
    xwd = subprocess.run(["xwd", "-silent"] + (["-id", wid] if wid else ["-root"]),
                         capture_output=True, timeout=20).stdout
    subprocess.run(["/usr/bin/convert", "xwd:-", path], input=xwd, check=True, timeout=20)
    sd = subprocess.run(["/usr/bin/convert", path, "-format", "%[fx:standard_deviation]", "info:"],
                        capture_output=True, text=True, timeout=20).stdout.strip()
    return float(sd or 0)

def main_window():
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for line in tree.splitlines():
        m = re.match(r'\s*(0x[0-9a-f]+) "(MTAVIPClient[^"]*)": .*?\s(\d+)x(\d+)\+', line)
        if m and int(m.group(3)) > 1 and int(m.group(4)) > 1:
            return m.group(1), line.strip()
    return None

def app_root():
    d = Atspi.get_desktop(0)
    for i in range(d.get_child_count()):
        c = d.get_child_at_index(i)
        try:
            if c is not None and c.get_name() in ("mtavipclient", APP_ID):
                return c
        except GLib.Error:
            pass
    return None

def labels():
    root = app_root()
    out, stack = [], [root] if root else []
    while stack:
        n = stack.pop()
        try:
            if n.get_role_name() == "label" and n.get_name():
                out.append(n.get_name())
            for i in range(n.get_child_count()):
                stack.append(n.get_child_at_index(i))
        except GLib.Error:
            pass
    return out

BUS = Gio.bus_get_sync(Gio.BusType.SESSION, None)
def state():
    r = BUS.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Describe",
                      GLib.Variant("(s)", ("debug-state",)), GLib.VariantType("((bgav))"),
                      Gio.DBusCallFlags.NONE, 5000, None)
    contact, ringing, calls = r.unpack()[0][2][0]
    return {"contact": contact, "ringing": ringing, "calls": calls}

def activate(action, param=None):
    params = [GLib.Variant("s", param)] if param is not None else []
    BUS.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                  GLib.Variant("(sava{sv})", (action, params, {})), None,
                  Gio.DBusCallFlags.NONE, 5000, None)

def start_app(env_words, log_name):
    # MTAVIP_TEST_HOOKS=1 exposes app.debug-state, which these checks read
    args = (["flatpak", "run", "--user", "--env=MTAVIP_TEST_HOOKS=1"]
            + ["--env=" + kv for kv in env_words] + [APP_ID])
    info("started: " + " ".join(args))
    return subprocess.Popen(args, stdout=open(os.path.join(LOGS, log_name), "w"),
                            stderr=subprocess.STDOUT)

def stop_app(proc):
    try:
        activate("quit")
        proc.wait(10)
        return
    except Exception:
        pass
    subprocess.run(["flatpak", "kill", APP_ID], capture_output=True)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill(); proc.wait()

def window_and_screenshot(png, what):
    t0 = time.monotonic()
    win = wait_for(main_window, RUN_SECONDS + 20)
    if not win:
        bad("%s: no MTAVIPClient window was mapped" % what)
        return False
    wid, line = win
    # drawn, not just mapped: poll the window's own pixels
    sd = wait_for(lambda: (lambda v: v if v > 0.01 else None)(shot(png, wid)), RUN_SECONDS + 10, 0.5)
    sd = shot(png)
    if sd > 0.01:
        ok("%s: window mapped and drawn after %.1fs: %s; screenshot %s (pixel std dev %.3f)"
           % (what, time.monotonic() - t0, line, png, sd))
        return True
    bad("%s: window mapped but the screenshot %s is blank" % (what, png))
    return False

# ---- placeholder: just the window ------------------------------------------------------
if MODE != "real":
    p = start_app(EXTRA_ENV, "app-run.log")
    window_and_screenshot(os.path.join(WORK, "screenshot.png"), "placeholder")
    stop_app(p)
    sys.exit(1 if failures else 0)

# ---- 1. a known listening address through GSettings, set inside the sandbox --------------
port = free_port()
addr = "127.0.0.1:%d" % port
r = flatpak("--command=gsettings", APP_ID, "set", APP_ID, "listen-address", addr)
g = flatpak("--command=gsettings", APP_ID, "get", APP_ID, "listen-address")
kf = os.path.join(os.environ["HOME"], ".var/app", APP_ID, "config/glib-2.0/settings/keyfile")
if r.returncode == 0 and g.stdout.strip() == "'%s'" % addr:
    ok("gsettings set/get inside the sandbox: listen-address = %s (keyfile backend: %s%s)"
       % (g.stdout.strip(), kf, "" if os.path.exists(kf) else " MISSING"))
else:
    bad("gsettings in the sandbox: rc=%d %s %s" % (r.returncode, r.stderr.strip(), g.stdout.strip()))

# ---- 2. English: window, the address it reports, an incoming call ----------------------
app = start_app(["LANG=C.UTF-8", "LANGUAGE="] + EXTRA_ENV, "app-run.log")
window_and_screenshot(os.path.join(WORK, "screenshot.png"), "app")
want = "No account: you can be called directly at sip:mtavip@%s" % addr
ls = wait_for(lambda: (lambda l: l if want in l else None)(labels()), 15) or labels()
json.dump(ls, open(os.path.join(LOGS, "labels-en.json"), "w"), ensure_ascii=False, indent=1)
if want in ls:
    ok("the main window reports its address (AT-SPI label): %r" % want)
else:
    bad("no label %r; labels: %s" % (want, ls[:20]))
st = wait_for(state, 10)
if st and st["contact"] == "sip:mtavip@%s" % addr:
    ok("the app listens at %s (debug-state over org.gtk.Actions)" % st["contact"])
else:
    bad("debug-state: %r" % (st,))

if CLI == "none":
    info("MTAVIP_FLATPAK_CLI=none: the incoming call is not tried")
elif not os.access(CLI, os.X_OK):
    bad("no caller: %s is not built (ninja -C _build, or set MTAVIP_FLATPAK_CLI)" % CLI)
else:
    cport = free_port()
    cli_log = open(os.path.join(LOGS, "cli.jsonl"), "w")
    cmd = [CLI, "--listen", "127.0.0.1:%d" % cport, "--call", "sip:x@%s" % addr, "--no-video",
           "--audio-source", "test", "--audio-sink", "fake", "--json", "--exit-after-call",
           "--hangup-after", "4"]
    info("calling from outside: " + " ".join(cmd))
    cli = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(LOGS, "cli.stderr.log"), "w"),
                           text=True)
    events = []
    import threading
    def reader():
        for line in cli.stdout:
            cli_log.write(line); cli_log.flush()
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    threading.Thread(target=reader, daemon=True).start()
    def cli_state(s):
        return next((e for e in events if e.get("event") == "call" and e.get("state") == s), None)
    e = wait_for(lambda: cli_state("ringing"), 20)
    if e:
        ok("the call reaches the app in the sandbox: the caller sees %s" % json.dumps(e))
    else:
        bad("the caller never saw 'ringing'; its events: %s" % events)
    st = wait_for(lambda: (lambda s: s if s["ringing"] and s["calls"] else None)(state()), 10) or state()
    call_id = next(iter(st["calls"]), None) if st else None
    if st and st["ringing"] and call_id:
        c = st["calls"][call_id]
        ok("the app rings: ringtone playing, call %s %s/%s from %s"
           % (call_id, c.get("direction"), c.get("state"), c.get("remote")))
    else:
        bad("the app does not ring: %r" % (st,))
    # the ringtone is a PulseAudio stream from inside the sandbox (--socket=pulseaudio)
    pl = subprocess.run(["pactl", "list", "sink-inputs"], capture_output=True, text=True).stdout
    bins = re.findall(r'application.process.binary = "([^"]*)"', pl)
    if "mtavipclient" in bins:
        ok("PulseAudio: the ringtone plays through the sandbox's pulse socket "
           "(sink-input from mtavipclient on the host server)")
    else:
        bad("PulseAudio: no sink-input from mtavipclient (sink-inputs: %s)" % bins)
    time.sleep(1)
    sd = shot(os.path.join(WORK, "screenshot-ringing.png"))
    info("screenshot while ringing: %s (pixel std dev %.3f)" % (os.path.join(WORK, "screenshot-ringing.png"), sd))
    # answer through the app's own action; media both ways, the mic through PulseAudio
    if call_id:
        activate("answer", call_id)
        if wait_for(lambda: cli_state("active"), 15):
            ok("answered in the app: the call is active")
        else:
            bad("answer: the caller never saw 'active'")
        media = wait_for(lambda: next((m for m in reversed(events) if m.get("event") == "media"
                                       and m.get("audio", {}).get("rx_packets", 0) > 20), None), 15)
        if media:
            a = media["audio"]
            ok("RTP both ways with the sandboxed app: caller sent %d, received %d audio packets (%s), "
               "decoded %d" % (a["tx_packets"], a["rx_packets"], a["codec"], a["decoded"]))
        else:
            bad("no audio from the app reached the caller: %s"
                % [m for m in events if m.get("event") == "media"][-1:])
        st = state() or {}
        c = (st.get("calls") or {}).get(call_id, {})
        info("app side of the call: %s" % json.dumps({k: v for k, v in c.items()}, default=str)[:400])
    try:
        cli.wait(20)
    except subprocess.TimeoutExpired:
        cli.kill(); cli.wait()
    end = cli_state("ended")
    if end:
        ok("call ended: %s" % json.dumps(end))
    else:
        bad("the caller did not end the call: %s" % events[-3:])
stop_app(app)

# ---- 3. zh_CN -------------------------------------------------------------------------
app = start_app(["LANG=C.UTF-8", "LANGUAGE=zh_CN"], "app-run-zh_CN.log")
window_and_screenshot(os.path.join(WORK, "screenshot-zh_CN.png"), "app with LANGUAGE=zh_CN")
want = "未设置账户：别人可以直接通过 sip:mtavip@%s 呼叫您" % addr
ls = wait_for(lambda: (lambda l: l if want in l else None)(labels()), 15) or labels()
json.dump(ls, open(os.path.join(LOGS, "labels-zh_CN.json"), "w"), ensure_ascii=False, indent=1)
if want in ls:
    han = [l for l in ls if re.search("[\u4e00-\u9fff]", l)]
    ok("zh_CN catalogue used by the app: %r; %d of %d labels in Chinese; the others: %s"
       % (want, len(han), len(ls), sorted(set(ls) - set(han))))
else:
    bad("LANGUAGE=zh_CN: no label %r; labels: %s" % (want, ls[:20]))
stop_app(app)
sys.exit(1 if failures else 0)
PY
run_rc=0
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  /usr/bin/python3 "$WORK/run-app.py" "$WORK" "$LOGS" "$APP_ID" "$APP_MODE" "$CLI" \
  "$RUN_SECONDS" "${MTAVIP_FLATPAK_RUN_ENV:-}" 2> "$LOGS/run-session.log" || run_rc=$?
# GNotification inside a sandbox goes to the notification portal; the portal backend then
# talks to the session's notification server (reported, not required: it depends on the
# host's portal packages).
if [ "$APP_MODE" = real ]; then
  if grep -q "Activating service name='org.freedesktop.Notifications' requested by .*xdg-desktop-portal" \
       "$LOGS/run-session.log"; then
    echo "  info  the incoming-call notification went through the notification portal" \
         "(xdg-desktop-portal -> org.freedesktop.Notifications)"
  else
    echo "  info  no notification reached a notification server through the portal"
  fi
fi
step_done

echo
if [ "$checks_rc" -eq 0 ] && [ "$run_rc" -eq 0 ]; then
  echo "flatpak-local: OK ($APP_MODE app) - logs in $LOGS"
  [ "$APP_MODE" = placeholder ] && echo "flatpak-local: NOTE the app binary was the generated placeholder, not src/."
  exit 0
fi
echo "flatpak-local: FAILED (sandbox checks rc=$checks_rc, run rc=$run_rc) - logs in $LOGS" >&2
exit 1
