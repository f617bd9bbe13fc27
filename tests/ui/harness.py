# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the UI tests: a hermetic app under Xvfb + a private D-Bus.

The test runner (run-ui-test.sh) already started Xvfb and `dbus-run-session`.
Here: temp XDG_* dirs, the GSettings keyfile backend in that temp config dir,
a PulseAudio null sink, the test notification server (notifyd.py), the app
itself, AT-SPI access to its widgets, its debug state over org.gtk.Actions,
and screenshots.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "interop"))

import gi  # noqa: E402
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

from fixtures import ports  # noqa: E402
from fixtures.pulse import PulseAudio  # noqa: E402

APP_ID = "io.github.MTMediaDev.MTAVIPClient"
APP_PATH = "/io/github/MTMediaDev/MTAVIPClient"


def log(*args):
    print("[%.1f]" % time.monotonic(), *args, flush=True)


class CheckFailed(AssertionError):
    """A UI test's check failed; the message says what a person would have seen wrong."""


def check(condition, what, *details):
    """Fail the test with `what` (a sentence about the app, not about the code) when
    condition is false; details (values seen) are appended.  Unlike `assert`, this
    is not removed by `python -O`.  Returns condition, so it can wrap a wait_for()."""
    if not condition:
        if details:
            what += " (seen: %s)" % ", ".join(repr(d) for d in details)
        raise CheckFailed(what)
    return condition


def wait_for(pred, timeout=20.0, what="condition", interval=0.2):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out after %.0f s waiting for %s (last: %r)" % (timeout, what, last))


def out_dir():
    d = os.environ.get("MTAVIP_UI_OUTDIR") or os.path.join(os.getcwd(), "ui-test-output")
    os.makedirs(d, exist_ok=True)
    return d


def screenshot(name, window_id=None):
    """The whole screen, or one X window (there is no window manager to stack them)."""
    path = os.path.join(out_dir(), name)
    where = ["-id", window_id] if window_id else ["-root"]
    xwd = subprocess.run(["xwd", "-silent"] + where, check=True, capture_output=True).stdout
    subprocess.run(["/usr/bin/convert", "xwd:-", path], input=xwd, check=True)
    log("screenshot", path)
    return path


def _same_name(actual, wanted):
    """GTK 4.8 names a labelled button "LABEL LABEL" ("_Save Save"): accept that."""
    if actual == wanted:
        return True
    head, _, tail = actual.rpartition(" ")
    return tail == wanted.split(" ")[-1] and head.replace("_", "") == wanted


class LineReader:
    """Collects JSON lines from a pipe in a thread."""

    def __init__(self, stream, name):
        self.events = []
        self.cond = threading.Condition()
        self.name = name
        threading.Thread(target=self._run, args=(stream,), daemon=True).start()

    def _run(self, stream):
        for line in stream:
            line = line.strip()
            if not line:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()

    def wait(self, pred, timeout=20.0, what="event"):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if pred(ev):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("%s: timed out waiting for %s; got %s" %
                                         (self.name, what, self.events[-20:]))
                self.cond.wait(left)


class NotificationServer:
    def __init__(self, env):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "notifyd.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env)
        self.reader = LineReader(self.proc.stdout, "notifyd")
        self.reader.wait(lambda e: e["method"] == "ready", 10, "notifyd ready")

    def wait(self, pred, timeout=20.0, what="notification"):
        return self.reader.wait(pred, timeout, what)

    @property
    def events(self):
        return list(self.reader.events)

    def invoke(self, nid, action):
        self.proc.stdin.write("invoke %d %s\n" % (nid, action))
        self.proc.stdin.flush()

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Keyring:
    """A real Secret Service: gnome-keyring-daemon on the private bus.

    Started with --unlock and an empty line on stdin, so the "login" collection
    is created, unlocked and made the default one without a prompt.  Its files
    go to the environment's XDG_DATA_HOME (keyrings/login.keyring)."""

    NAME = "org.freedesktop.secrets"

    def __init__(self, env):
        daemon = shutil.which("gnome-keyring-daemon")
        check(daemon, "gnome-keyring-daemon is not installed (Debian package gnome-keyring)")
        check(shutil.which("secret-tool"), "secret-tool is not installed (libsecret-tools)")
        self.env = env
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        owner = self._owner_pid()
        check(owner is None, "org.freedesktop.secrets is already owned (pid %s)" % owner)
        self.log_path = os.path.join(env["XDG_CACHE_HOME"], "gnome-keyring.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([daemon, "--unlock", "--components=secrets", "--foreground"],
                                     stdin=subprocess.PIPE, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        self.proc.stdin.write(b"\n")
        self.proc.stdin.close()
        wait_for(lambda: self._owner_pid() == self.proc.pid, 15,
                 "gnome-keyring-daemon to own org.freedesktop.secrets")
        default = wait_for(self._default_collection, 10, "the default collection")
        log("keyring: pid", self.proc.pid, "default collection", default)

    def _owner_pid(self):
        try:
            reply = self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       GLib.Variant("(s)", (self.NAME,)), GLib.VariantType("(u)"),
                                       Gio.DBusCallFlags.NONE, 5000, None)
            return reply.unpack()[0]
        except GLib.Error:
            return None

    def _default_collection(self):
        reply = self.bus.call_sync(self.NAME, "/org/freedesktop/secrets",
                                   "org.freedesktop.Secret.Service", "ReadAlias",
                                   GLib.Variant("(s)", ("default",)), GLib.VariantType("(o)"),
                                   Gio.DBusCallFlags.NONE, 5000, None)
        path = reply.unpack()[0]
        return path if path != "/" else None

    def lookup(self, **attributes):
        """secret-tool lookup ATTR VALUE...: the stored secret, or None."""
        argv = ["secret-tool", "lookup"]
        for k, v in attributes.items():
            argv += [k, v]
        r = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=15)
        return r.stdout if r.returncode == 0 else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def files_containing(needle, roots):
    """Regular files under roots whose bytes contain needle (a str)."""
    data = needle.encode()
    hits = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in filenames:
                path = os.path.join(dirpath, name)
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                try:
                    with open(path, "rb") as f:
                        if data in f.read():
                            hits.append(path)
                except OSError:
                    pass
    return hits


class Environment:
    """Temp XDG dirs + keyfile GSettings + PulseAudio; shared by app restarts.

    keyring=True: a real gnome-keyring Secret Service on the private bus
    (otherwise the bus may activate one that is locked and cannot prompt)."""

    def __init__(self, keyring=False):
        self.dir = tempfile.mkdtemp(prefix="mtavip-ui-")
        self.pulse = PulseAudio()
        self.pulse.start()
        self.sip_port = ports.free_port()
        env = self.pulse.env()
        for name in ("CONFIG", "DATA", "CACHE", "STATE"):
            path = os.path.join(self.dir, name.lower())
            os.makedirs(path, exist_ok=True)
            env["XDG_%s_HOME" % name] = path
        env.update({
            "GSETTINGS_BACKEND": "keyfile",
            "G_DEBUG": "fatal-criticals",
            "GTK_A11Y": "atspi",
            "NO_AT_BRIDGE": "0",
            "MTAVIP_AUDIO_SOURCE": "test",
            "MTAVIP_VIDEO_SOURCE": "test",
            "MTAVIP_AUDIO_SINK": "auto",
            "GDK_BACKEND": "x11",
            "MTAVIP_TEST_HOOKS": "1",   # the app.debug-state action (hidden otherwise)
            "LANG": "C.UTF-8",
        })
        env.pop("MTAVIP_VIDEO_SINK", None)
        self.env = env
        settings = os.path.join(env["XDG_CONFIG_HOME"], "glib-2.0", "settings")
        os.makedirs(settings, exist_ok=True)
        with open(os.path.join(settings, "keyfile"), "w") as f:
            # The app connects to Evolution Data Server (the desktop address
            # book); activated with this environment (enable_activation), EDS
            # writes this key to this same file on its first start, and a
            # test's later edit of the file could be lost to that write.
            # First: tests append the app's keys at the end.
            f.write("[org/gnome/evolution-data-server]\nmigrated=true\n\n")
            f.write("[io/github/MTMediaDev/MTAVIPClient]\nlisten-address='127.0.0.1:%d'\n"
                    "window-width=900\nwindow-height=640\n" % self.sip_port)
        self.keyring = Keyring(env) if keyring else None
        self.notifyd = NotificationServer(env)

    def enable_activation(self):
        """Make the session bus D-Bus-activate the built app (as the installed
        service file does), in this environment: a service file in the bus
        daemon's own $XDG_DATA_HOME/dbus-1/services (run-ui-test.sh set it
        before starting the bus) and our variables as its activation environment."""
        services = os.path.join(os.environ["XDG_DATA_HOME"], "dbus-1", "services")
        os.makedirs(services, exist_ok=True)
        with open(os.path.join(services, APP_ID + ".service"), "w") as f:
            f.write("[D-BUS Service]\nName=%s\nExec=%s --gapplication-service\n"
                    % (APP_ID, app_binary()))
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        for method, args in (("UpdateActivationEnvironment", GLib.Variant("(a{ss})", (self.env,))),
                             ("ReloadConfig", None)):
            bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          method, args, None, Gio.DBusCallFlags.NONE, 5000, None)

    def close(self):
        self.notifyd.stop()
        if self.keyring:
            self.keyring.stop()
        self.pulse.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def app_binary():
    binary = os.environ.get("MTAVIP_APP")
    check(binary and os.access(binary, os.X_OK), "MTAVIP_APP must name the built mtavipclient",
          binary)
    return binary


def bus_name_pid(bus, name):
    try:
        reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                              GLib.Variant("(s)", (name,)), GLib.VariantType("(u)"),
                              Gio.DBusCallFlags.NONE, 5000, None)
        return reply.unpack()[0]
    except GLib.Error:
        return None


class App:
    """The app: started here (args: e.g. a sip: URI), or with activated=True
    the instance that owns the application id on the bus (D-Bus activated)."""

    def __init__(self, environment, extra_env=None, args=(), activated=False):
        env = dict(environment.env)
        env.update(extra_env or {})
        self.env = env
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.root = None
        self.proc = None
        self.log = None
        if activated:
            self.log_path = None
            self.pid = wait_for(lambda: bus_name_pid(self.bus, APP_ID), 30,
                                "the activated app on the bus")
        else:
            self.log_path = os.path.join(environment.dir, "app-%d.log" % time.monotonic_ns())
            self.log = open(self.log_path, "w")
            self.proc = subprocess.Popen([app_binary()] + list(args), env=env, stdout=self.log,
                                         stderr=subprocess.STDOUT)
            self.pid = self.proc.pid
        wait_for(self._find_app, 30, "the app on the accessibility bus")

    def alive(self):
        if self.proc:
            return self.proc.poll() is None
        return bus_name_pid(self.bus, APP_ID) == self.pid

    def forward(self, *args):
        """Run the binary again (a link opened while we run): it hands its
        arguments to this instance and exits; returns its exit status."""
        r = subprocess.run([app_binary()] + list(args), env=self.env, capture_output=True,
                           text=True, timeout=30)
        log("forwarded", args, "->", r.returncode, (r.stdout + r.stderr).strip()[-500:])
        return r.returncode

    def _find_app(self):
        check(self.alive(), "the app exited: %s" % self.output())
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is None:
                continue
            try:
                if child.get_process_id() == self.pid:
                    self.root = child
                    return True
            except GLib.Error:
                continue
        return False

    def output(self):
        if self.log is None:
            return "(D-Bus activated: output went to the bus daemon)"
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()[-6000:]

    # ---- accessibility ---------------------------------------------------------

    def windows(self):
        return [self.root.get_child_at_index(i) for i in range(self.root.get_child_count())]

    def window(self, name):
        for w in self.windows():
            try:
                if w is not None and w.get_name() == name:
                    return w
            except GLib.Error:
                pass
        return None

    def wait_window(self, name, timeout=20.0):
        return wait_for(lambda: self.window(name), timeout, "window %r" % name)

    def find(self, name=None, role=None, root=None, showing=False):
        """Depth-first search for an accessible by name and/or role name."""
        stack = [root] if root else self.windows()
        while stack:
            node = stack.pop()
            if node is None:
                continue
            try:
                ok = ((name is None or _same_name(node.get_name(), name)) and
                      (role is None or node.get_role_name() == role))
                if ok and showing:
                    ok = node.get_state_set().contains(Atspi.StateType.SHOWING)
                if ok:
                    return node
                n = node.get_child_count()
            except GLib.Error:
                continue
            for i in range(n - 1, -1, -1):
                stack.append(node.get_child_at_index(i))
        return None

    def wait_find(self, name=None, role=None, timeout=20.0, root=None):
        return wait_for(lambda: self.find(name, role, root), timeout,
                        "accessible %r (%s)" % (name, role))

    def click(self, name, role="push button", timeout=20.0, root=None):
        node = self.wait_find(name, role, timeout, root)
        if node.get_action_iface() is None or node.get_n_actions() == 0:
            # a GtkMenuButton: the action is on its inner button of the same name
            inner = self.find(name, role, root=node.get_child_at_index(0)) \
                if node.get_child_count() else None
            node = inner or node
        action = node.get_action_iface()
        check(action is not None, "%r cannot be clicked (no action interface)" % name)
        log("click", name)
        check(action.do_action(0), "clicking %r did nothing (do_action failed)" % name)

    @staticmethod
    def text_of(node):
        """The text in an entry (AT-SPI Text interface)."""
        # GTK 4.8 answers GetText(0, -1) with "": ask for the counted length
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))

    @staticmethod
    def is_focused(node):
        return node.get_state_set().contains(Atspi.StateType.FOCUSED)

    def labels(self):
        out = []
        stack = self.windows()
        while stack:
            node = stack.pop()
            if node is None:   # a child that went away while we walked
                continue
            try:
                if node.get_role_name() == "label":
                    out.append(node.get_name())
                for i in range(node.get_child_count()):
                    stack.append(node.get_child_at_index(i))
            except GLib.Error:
                pass
        return out

    # ---- typing (synthesized X input into the focused widget) ---------------------

    def raise_window(self, window_title):
        """There is no window manager under Xvfb: raise and focus by hand."""
        wid = wait_for(lambda: subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "^%s$" % window_title],
            capture_output=True, text=True, timeout=10).stdout.split(), 10,
            "X window %r" % window_title)[-1]
        subprocess.run(["xdotool", "windowraise", wid], check=True, timeout=10)
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
        time.sleep(0.3)
        return wid

    def click_on(self, window_title, node, button=1):
        """A real pointer click in the middle of an accessible's on-screen box."""
        wid = self.raise_window(window_title)
        ext = node.get_extents(Atspi.CoordType.WINDOW)
        check(ext.width > 0 and ext.height > 0,
              "%r is not on screen (%dx%d)" % (node.get_name(), ext.width, ext.height))
        log("click on", node.get_name())
        subprocess.run(["xdotool", "mousemove", "--window", wid, str(ext.x + ext.width // 2),
                        str(ext.y + ext.height // 2), "click", str(button)],
                       check=True, timeout=10)
        time.sleep(0.3)
        return wid

    def fill(self, window_title, name, text, role="text", root=None):
        """Click into a text field (an entry row) by its accessible name, replace its text."""
        node = self.wait_find(name, role, root=root)
        wid = self.click_on(window_title, node)
        subprocess.run(["xdotool", "key", "--window", wid, "ctrl+a", "BackSpace"], check=True,
                       timeout=10)
        if text:
            subprocess.run(["xdotool", "type", "--delay", "20", "--window", wid, text],
                           check=True, timeout=30)
        return node

    def type_into(self, window_title, text):
        wid = self.raise_window(window_title)
        subprocess.run(["xdotool", "type", "--delay", "20", "--window", wid, text],
                       check=True, timeout=30)

    def key(self, window_title, key):
        wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % window_title],
                             capture_output=True, text=True, timeout=10).stdout.split()[-1]
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True, timeout=10)
        subprocess.run(["xdotool", "key", "--window", wid, key], check=True, timeout=10)

    # ---- the app's debug state (org.gtk.Actions, action "debug-state") ---------------

    def state(self):
        reply = self.bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Describe",
                                   GLib.Variant("(s)", ("debug-state",)),
                                   GLib.VariantType("((bgav))"), Gio.DBusCallFlags.NONE,
                                   5000, None)
        enabled, ptype, state = reply.unpack()[0]
        contact, ringing, calls = state[0]
        return {"contact": contact, "ringing": ringing, "calls": calls}

    def call_state(self, pred, timeout=20.0, what="call state"):
        def check():
            for cid, c in self.state()["calls"].items():
                c = dict(c, id=cid)
                if pred(c):
                    return c
            return None
        return wait_for(check, timeout, what, 0.3)

    def activate(self, action, param=None):
        params = [GLib.Variant("s", param)] if param is not None else []
        self.bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                           GLib.Variant("(sava{sv})", (action, params, {})), None,
                           Gio.DBusCallFlags.NONE, 5000, None)

    def quit(self):
        if self.proc is None:
            if self.alive():
                try:
                    self.activate("quit")
                except GLib.Error:
                    pass
                wait_for(lambda: not self.alive(), 15, "the activated app to quit")
            return 0
        if self.proc.poll() is None:
            try:
                self.activate("quit")
            except GLib.Error:
                self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def quit_cleanly(self):
        """quit(), and fail the test unless the app exited with status 0."""
        status = self.quit()
        check(status == 0, "the app did not quit cleanly (exit status %r)" % status)


class UiTest:
    """One UI test's environment, app and helpers, with the one failure and teardown
    path every test shares:

        with UiTest("outgoing") as t:
            peer = t.keep(CliPhone(...).start())     # described on failure, stopped at the end
            app = t.start_app()
            ...

    On a failure (any exception, including Ctrl-C) it saves failure-NAME.png, prints
    the app's labels and output, each kept peer's describe(), every extra report added
    with report() (e.g. a Kamailio log) and the notifications, then re-raises.  Always,
    in reverse order of creation: the app quits, kept things stop, the environment
    closes; every step runs even if an earlier one fails.  "PASS" is logged only when
    the test body and the whole teardown succeeded."""

    def __init__(self, name, keyring=False):
        self.name = name
        self.app = None
        self._kept = []      # (thing, describe, stop), in order of creation
        self._reports = []   # (title, callable returning text)
        self.env = Environment(keyring=keyring)

    def __enter__(self):
        return self

    def start_app(self, **kwargs):
        """A (new) App in this test's environment; the one the teardown quits."""
        self.app = App(self.env, **kwargs)
        return self.app

    def keep(self, thing):
        """thing.stop() at the end; thing.describe(), if it has one, printed on failure."""
        self._kept.append((thing, getattr(thing, "describe", None), thing.stop))
        return thing

    def report(self, title, text_fn):
        """Print "---- title ----" and text_fn() on failure."""
        self._reports.append((title, text_fn))

    @contextlib.contextmanager
    def scope(self, thing):
        """A peer for part of a test: described if that part fails, stopped when it ends."""
        try:
            yield thing
        except BaseException:
            _print_guarded("---- %s ----" % getattr(thing, "name", "peer"), thing.describe)
            raise
        finally:
            thing.stop()

    def _report_failure(self):
        try:
            screenshot("failure-%s.png" % self.name)
        except Exception as e:
            log("no failure screenshot:", e)
        if self.app:
            _print_guarded("labels", self.app.labels)
            _print_guarded("---- app output ----", self.app.output)
        for thing, describe, _ in self._kept:
            if describe:
                _print_guarded("---- %s ----" % getattr(thing, "name", "peer"), describe)
        for title, text_fn in self._reports:
            _print_guarded("---- %s ----" % title, text_fn)
        _print_guarded("notifications", lambda: self.env.notifyd.events)

    def __exit__(self, etype, exc, tb):
        if etype is not None:
            self._report_failure()
        steps = []
        if self.app:
            steps.append(("quit the app", self.app.quit))
        steps += [("stop %s" % getattr(thing, "name", type(thing).__name__), stop)
                  for thing, _, stop in reversed(self._kept)]
        steps.append(("close the environment", self.env.close))
        first_error = None
        for what, step in steps:
            try:
                step()
            except BaseException as e:  # noqa: B902 - every step runs; the first error wins
                log("teardown: could not %s: %r" % (what, e))
                first_error = first_error or e
        if etype is None and first_error is not None:
            raise first_error
        if etype is None:
            log("PASS")
        return False


def _print_guarded(title, fn):
    """Print title and fn()'s result; a failing fn (the app already gone) is noted, not raised."""
    try:
        print(title + ("\n" if title.startswith("----") else ": ") + str(fn()), flush=True)
    except Exception as e:
        print("%s: (unavailable: %r)" % (title, e), flush=True)
