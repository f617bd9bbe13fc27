#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault suite, the GTK app (issue 14): one real app through a real Kamailio,
under Xvfb with a private session bus (tests/ui/run-ui-test.sh), a Secret
Service, a notification server and mtavip-cli peers; two app runs share the
setup:

run 1 (a private "system" bus with a fake logind; registration lifetime 1 h):
  - suspend/resume: PrepareForSleep(true) then (false) makes the app send a
    fresh REGISTER at once, though its registration had not expired;
  - a contact added, one call answered and ended (history saved), then the app
    SIGKILLed in the middle of a second call: contacts.ini and history.ini
    parse and hold what they held before, no temporary file is left.
run 2 (no system bus at all: the app logs that and goes on; registration
lifetime 6 s through the MTAVIP_TEST_REGISTER_EXPIRES test hook):
  - no stale registration: Kamailio holds one binding for alice (the new
    REGISTER replaced the killed run's, still valid for an hour: same
    +sip.instance), an incoming call rings at once (notification), is
    answered, media flows both ways;
  - registrar restarted: the window's status row says the registration failed
    and when it tries again while Kamailio is down, and "Registered as" again
    within 30 s of Kamailio coming back;
  - disk full: $XDG_DATA_HOME/mtavipclient is a small tmpfs (a private mount
    namespace of this test), filled; the next call's history save fails: the
    window says "The call history could not be saved: the disk is full.", the
    app quits cleanly and history.ini is what was saved before.

Needs root (mount namespace, tmpfs), MTAVIP_APP, MTAVIP_CLI (meson sets them).
"""

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "ui"))

# a private mount namespace for the tmpfs: re-run this file inside one
if os.environ.get("MTAVIP_FAULTS_MOUNT_NS") != "1":
    if os.geteuid() != 0:
        sys.exit("test_app_faults needs root: it mounts a small tmpfs in a mount namespace "
                 "of its own to fill the disk")
    os.environ["MTAVIP_FAULTS_MOUNT_NS"] = "1"
    os.execvp("unshare", ["unshare", "--mount", "--propagation", "private",
                          sys.executable, os.path.abspath(__file__)] + sys.argv[1:])

from gi.repository import Gio, GLib  # noqa: E402

from harness import APP_ID, UiTest, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402

ACCOUNT = "sip:alice@127.0.0.1"
DISK_FULL = "The call history could not be saved: the disk is full."
LOGIN1 = "org.freedesktop.login1"


# ---- a private "system" bus and a fake logind on it --------------------------------------

class SystemBus:
    """A second dbus-daemon, the app's DBUS_SYSTEM_BUS_ADDRESS."""

    name = "system-bus"

    def __init__(self, directory):
        self.address = "unix:path=" + os.path.join(directory, "system_bus_socket")
        self.proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                                      "--address=" + self.address, "--print-address=1"],
                                     stdout=subprocess.PIPE, text=True)
        check(self.proc.stdout.readline().startswith("unix:"),
              "the private system bus did not start")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class FakeLogind:
    """Owns org.freedesktop.login1 on that bus and emits Manager.PrepareForSleep."""

    name = "fake-logind"

    def __init__(self, address):
        flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                 Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
        self.conn = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
        reply = self.conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "RequestName",
                                    GLib.Variant("(su)", (LOGIN1, 4)), GLib.VariantType("(u)"),
                                    Gio.DBusCallFlags.NONE, 5000, None)
        check(reply.unpack()[0] == 1, "the fake logind could not own " + LOGIN1)

    def prepare_for_sleep(self, going_to_sleep):
        log("logind: PrepareForSleep(%s)" % going_to_sleep)
        self.conn.emit_signal(None, "/org/freedesktop/login1", LOGIN1 + ".Manager",
                              "PrepareForSleep", GLib.Variant("(b)", (going_to_sleep,)))
        self.conn.flush_sync(None)

    def stop(self):
        self.conn.close_sync(None)


# ---- a tmpfs for the app's data directory ---------------------------------------------

class SmallDisk:
    """A 256 KiB tmpfs on PATH (this process's own mount namespace)."""

    name = "tmpfs"

    def __init__(self, path):
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", path],
                       check=True, timeout=10)
        self.path = path
        self.filler = os.path.join(path, "filler")

    def fill(self):
        """Write until the disk is full."""
        st = os.statvfs(self.path)
        log("tmpfs: %d of %d blocks free, %d inodes free; %s" % (
            st.f_bavail, st.f_blocks, st.f_favail,
            [(n, os.path.getsize(os.path.join(self.path, n))) for n in os.listdir(self.path)]))
        with open(self.filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
                    f.flush()
            except OSError as e:
                check(e.errno == 28, "filling the tmpfs failed otherwise than ENOSPC", e)
        st = os.statvfs(self.path)
        log("tmpfs full: %d blocks free" % st.f_bavail)

    def stop(self):
        subprocess.run(["umount", "-l", self.path], timeout=10)


# ---- helpers ------------------------------------------------------------------------

def start_app(t, extra_env):
    """t.start_app(), and if the app never shows up (a loaded machine), SIGKILL
    the process it started: a stray app would keep the test's buses open."""
    before = set(_app_children())
    try:
        return t.start_app(extra_env=extra_env)
    except BaseException:
        for pid in set(_app_children()) - before:
            log("killing the app that did not come up, pid", pid)
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
        raise


def _app_children():
    """Our own child processes running the app binary."""
    binary = os.path.realpath(os.environ.get("MTAVIP_APP", ""))
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid == os.getpid() and os.path.realpath("/proc/%s/exe" % entry) == binary:
                yield int(entry)
        except (OSError, ValueError, IndexError):
            continue


def configure_account(env, kam):
    """The account as the preferences window leaves it: settings + keyring."""
    settings = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
    with open(settings) as f:
        lines = [l for l in f if not l.startswith("listen-address=")]
    # as with the default (empty) listen address: a new port for every run,
    # so the killed run's binding points to a port nobody listens on
    lines.append("listen-address='127.0.0.1:0'\n")
    lines.append("account-uri='%s'\nregistrar='%s'\ntransport='udp'\n" % (ACCOUNT, kam.proxy_uri))
    with open(settings, "w") as f:
        f.writelines(lines)
    r = subprocess.run(["secret-tool", "store", "--label", "SIP password for " + ACCOUNT,
                        "xdg:schema", APP_ID + ".Account", "account", ACCOUNT],
                       input=kam.users["alice"], text=True, env=env.env, capture_output=True,
                       timeout=15)
    check(r.returncode == 0, "secret-tool could not store the password", r.stderr)


def labels(app):
    """Every label's text in the app's windows (a child gone meanwhile is skipped)."""
    out = []
    stack = app.windows()
    while stack:
        node = stack.pop()
        if node is None:
            continue
        try:
            if node.get_role_name() == "label":
                out.append(node.get_name())
            stack.extend(node.get_child_at_index(i) for i in range(node.get_child_count()))
        except GLib.Error:
            pass
    return out


def status(app):
    return [l for l in labels(app)
            if l.startswith(("Registered as", "Registering", "Registration failed", "Offline",
                             "No account"))]


def wait_status(app, prefix, timeout=20):
    return wait_for(lambda: [l for l in status(app) if l.startswith(prefix)], timeout,
                    "the account status %r (now %r)" % (prefix, status(app)), 0.3)[0]


def register_count(kam):
    return kam.log_text().count("REQ REGISTER ")


def read_keyfile(path):
    """The groups and keys of a keyfile, as GLib parses it (fails the test if it does not)."""
    kf = GLib.KeyFile()
    try:
        kf.load_from_file(path, GLib.KeyFileFlags.NONE)
    except GLib.Error as e:
        check(False, "%s does not parse after the fault: %s" % (path, e.message))
    groups = kf.get_groups()[0]
    return {g: {k: kf.get_value(g, k) for k in kf.get_keys(g)[0]} for g in groups}


def store_files(store):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(store, "*"))
                  if os.path.basename(p) != "filler")


def add_contact(app, name, address):
    app.click("Add Contact")
    app.wait_window("New Contact")
    app.type_into("New Contact", name)
    app.key("New Contact", "Tab")
    app.type_into("New Contact", address)
    app.click("Save")
    wait_for(lambda: app.window("New Contact") is None, 10, "the dialog to close")


def bob_calls(t, kam, name, video=False, extra=()):
    return t.keep(CliPhone(account=kam.uri("bob"), password=kam.users["bob"],
                           registrar=kam.proxy_uri, name=name, video=video,
                           extra=["--call", kam.uri("alice")] + list(extra)).start())


def incoming_notification(env, seen, timeout=10):
    ev = env.notifyd.wait(lambda e: (e["method"] == "Notify" and e not in seen and
                                     any(a[0].startswith("app.answer::") for a in e["actions"])),
                          timeout, "an incoming-call notification")
    return ev["id"], dict((label, key) for key, label in ev["actions"])


def answer_call(t, kam, name, video=False, extra=()):
    """bob calls alice through Kamailio; the app rings (notification) and the
    notification's Answer answers. Returns the peer."""
    seen = t.env.notifyd.events
    peer = bob_calls(t, kam, name, video, extra)
    nid, keys = incoming_notification(t.env, seen, 20)
    took = time.monotonic() - peer.wait_call("calling", 5)["_time"]
    log("%s rings in the app %.1f s after it called" % (name, took))
    t.env.notifyd.invoke(nid, keys["Answer"])
    peer.wait_call("active", 15)
    return peer, took


# ---- the cases ------------------------------------------------------------------------

def registrar_restart(app, kam):
    """Kamailio down while registered: failure and retry in the status row;
    registered again within 30 s of it coming back."""
    wait_status(app, "Registered as")
    kam.stop()
    down = wait_status(app, "Registration failed", 20)
    check("Trying again in" in down, "the status row does not say when it tries again", down)
    log("while Kamailio is down:", down)
    time.sleep(1)
    check(status(app)[0].startswith("Registration failed"),
          "the status row no longer shows the failure while Kamailio is down", status(app))
    kam.start()
    up = time.monotonic()
    wait_status(app, "Registered as", 30)
    log("registered again %.1f s after Kamailio came back" % (time.monotonic() - up))
    kam.wait_registered("alice", 5)


def killed_mid_call(t, app, kam, store):
    """A call saved, then SIGKILL in the middle of the next call."""
    peer, _ = answer_call(t, kam, "bob-1", extra=["--hangup-after", "1", "--exit-after-call"])
    check(peer.wait_exit(20) == 0, "the first call did not end cleanly", peer.describe())
    app.call_state(lambda c: c["state"] == "ended", 10, "the first call ended in the app")
    history = os.path.join(store, "history.ini")
    wait_for(lambda: os.path.exists(history), 10, "history.ini written after the first call")

    before = {n: read_keyfile(os.path.join(store, n)) for n in ("contacts.ini", "history.ini")}
    check(len(before["history.ini"]) == 1, "history.ini does not hold the one call",
          before["history.ini"])
    peer, _ = answer_call(t, kam, "bob-2")
    app.call_state(lambda c: c["state"] == "active", 10, "the second call active in the app")
    log("SIGKILL to the app mid-call")
    os.kill(app.pid, signal.SIGKILL)
    app.proc.wait(10)
    t.app = None
    app.log.close()
    peer.stop()

    after = {n: read_keyfile(os.path.join(store, n)) for n in ("contacts.ini", "history.ini")}
    check(after == before, "the files changed or lost data when the app was killed",
          before, after)
    check(any(g.get("name") == "Carol Peer" for g in after["contacts.ini"].values()),
          "contacts.ini lost the contact", after["contacts.ini"])
    files = store_files(store)
    check(files == ["contacts.ini", "history.ini"], "a half-written file is left", files)
    return after["history.ini"]


def no_stale_binding(t, app, kam):
    """After the restart: one binding for alice, and a call rings and connects."""
    wait_status(app, "Registered as", 20)
    contacts = kam.wait_registered("alice", 5)
    check(len(contacts) == 1, "the killed run's binding is still at the registrar "
          "beside the new one: calls fork to a dead address", contacts)
    peer, took = answer_call(t, kam, "bob-3", video=True)
    check(took < 5, "the call took %.1f s to ring in the restarted app" % took)
    media = peer.wait_media(audio_packets=50, video_frames=10, timeout=20)
    log("peer media", media.get("audio"))
    app.call_state(lambda c: c["state"] == "active" and c["remote-frames-shown"] > 3, 15,
                   "the answered call showing the caller's video in the app")
    peer.interrupt()   # hangs up
    peer.wait_call("ended", 20)
    app.call_state(lambda c: c["state"] == "ended", 10, "the call ended in the app")


def suspend_resume(app, kam, logind):
    """PrepareForSleep(false): a fresh REGISTER at once, though not expired."""
    details = kam.registration_details()["alice"][0]
    check(int(details.get("Expires", "0")) > 600, "the registration was about to expire anyway",
          details)
    before = register_count(kam)
    logind.prepare_for_sleep(True)
    time.sleep(0.5)
    check(register_count(kam) == before, "a REGISTER went out on PrepareForSleep(true)")
    logind.prepare_for_sleep(False)
    resumed = time.monotonic()
    wait_for(lambda: register_count(kam) > before, 3,
             "a REGISTER after the resume (%d before)" % before, 0.1)
    log("REGISTER %.2f s after the resume signal" % (time.monotonic() - resumed))
    wait_status(app, "Registered as", 10)
    check(len(kam.registrations()["alice"]) == 1, "the resume left two bindings",
          kam.registrations())


def disk_full(t, app, kam, disk, store):
    """A full disk at the next history save: a sentence, nothing lost."""
    history = os.path.join(store, "history.ini")
    before = read_keyfile(history)
    with open(history, "rb") as f:
        before_bytes = f.read()
    disk.fill()
    seen = t.env.notifyd.events
    peer = bob_calls(t, kam, "bob-4", extra=["--exit-after-call"])
    nid, keys = incoming_notification(t.env, seen)
    t.env.notifyd.invoke(nid, keys["Decline"])
    check(peer.wait_exit(15) is not None, "the declined caller did not end")
    text = wait_for(lambda: [l for l in labels(app) if "could not be saved" in l], 10,
                    "the sentence about the history in the window")[0]
    check(text == DISK_FULL, "the window does not say the disk is full", text)
    log("window says:", text)
    check(app.alive(), "the app died on a full disk")
    app.quit_cleanly()
    t.app = None
    with open(history, "rb") as f:
        check(f.read() == before_bytes, "history.ini changed on a full disk")
    check(read_keyfile(history) == before, "history.ini lost calls on a full disk")
    files = store_files(store)
    check(files == ["contacts.ini", "history.ini"], "a half-written file is left", files)


def main():
    with UiTest("app-faults", keyring=True) as t:
        env = t.env
        store = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient")
        disk = t.keep(SmallDisk(store))
        kam = t.keep(Kamailio().start())
        t.report("kamailio", lambda: kam.log_tail(60))
        configure_account(env, kam)
        for user in ("alice", "bob"):
            check(user in kam.users, "the Kamailio fixture has no %s" % user)

        # run 1: a system bus with logind; the default registration lifetime (1 h)
        started = time.monotonic()
        sysbus = t.keep(SystemBus(tempfile.mkdtemp(dir=env.dir)))
        logind = t.keep(FakeLogind(sysbus.address))
        app = start_app(t, {"DBUS_SYSTEM_BUS_ADDRESS": sysbus.address})
        app.wait_window("MTAVIPClient")
        add_contact(app, "Carol Peer", "sip:carol@example.org")
        wait_for(lambda: "Carol Peer" in open(os.path.join(store, "contacts.ini")).read(), 10,
                 "the contact saved")
        wait_status(app, "Registered as")
        suspend_resume(app, kam, logind)
        killed_mid_call(t, app, kam, store)
        log("run 1 took %.1f s" % (time.monotonic() - started))

        # run 2: no system bus at all; a 6 s registration lifetime (a test hook)
        started = time.monotonic()
        app = start_app(t, {
            "DBUS_SYSTEM_BUS_ADDRESS": "unix:path=" + os.path.join(env.dir, "no-such-bus"),
            "MTAVIP_TEST_REGISTER_EXPIRES": "6"})
        app.wait_window("MTAVIPClient")
        no_stale_binding(t, app, kam)
        check("no system bus" in app.output(), "the app did not say it has no system bus",
              app.output())
        registrar_restart(app, kam)
        disk_full(t, app, kam, disk, store)
        log("run 2 took %.1f s" % (time.monotonic() - started))


if __name__ == "__main__":
    main()
