# SPDX-License-Identifier: GPL-3.0-or-later
"""Minimal runner for `mtavip-cli --json` used by the interop suite.

This follows the public interface in issue 2 section 6 only (options and
JSON lines).  tests/fixtures/cli.py (written separately) is the general
wrapper; this file keeps the interop suite self-contained.

    cli = CliPhone(account="sip:alice@127.0.0.1:5060", password="...",
                   listen_port=P, extra=["--call", uri, "--hangup-after", "4"])
    cli.start()
    cli.wait_event(lambda e: e["event"] == "call" and e["state"] == "active")
    cli.wait_exit()
"""

import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fixtures import ports  # noqa: E402
from fixtures.process import Managed, make_tempdir  # noqa: E402


class CliMissing(AssertionError):
    pass


def cli_path():
    """Path of mtavip-cli from MTAVIP_CLI; an AssertionError if unset or bad
    (the interop tests must fail, not skip, when the CLI is not there)."""
    path = os.environ.get("MTAVIP_CLI")
    if not path:
        raise CliMissing("MTAVIP_CLI is not set: build the project and run with "
                         "MTAVIP_CLI=<builddir>/src/cli/mtavip-cli (meson test --suite "
                         "interop sets it)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise CliMissing("MTAVIP_CLI=%s is not an executable file" % path)
    return path


class CliPhone:
    def __init__(self, account, password=None, listen_port=None, registrar=None,
                 transport="udp", extra=(), video=True, name="cli", netns=None,
                 listen_host="127.0.0.1"):
        self.binary = cli_path()
        self.account = account
        self.password = password
        self.listen_port = listen_port or ports.free_port()
        self.registrar = registrar
        self.transport = transport
        self.extra = list(extra)
        self.video = video
        self.name = name
        self.netns = netns
        self.listen_host = listen_host
        self.events = []
        self._cond = threading.Condition()
        self._eof = False
        self.proc = None
        self.dir = None

    def argv(self):
        a = [self.binary, "--json", "--listen", "%s:%d" % (self.listen_host, self.listen_port),
             "--transport", self.transport,
             "--audio-source", "test", "--audio-sink", "fake"]
        if self.account:
            a += ["--account", self.account]
        if self.password is not None:
            pw = os.path.join(self.dir, "password")
            # private, or the CLI refuses it (like ssh)
            fd = os.open(pw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(self.password)
            a += ["--password-file", pw]
        if self.registrar:
            a += ["--registrar", self.registrar]
        if self.video:
            # small video keeps two encoders per call cheap on a 2-core CI machine
            a += ["--video-source", "test", "--video-sink", "fake", "--video-size", "320x240"]
        else:
            a += ["--no-video"]
        return a + self.extra

    def start(self):
        self.dir = make_tempdir(self.name)
        self.log_path = os.path.join(self.dir, "stderr.log")
        env = dict(os.environ)
        env.pop("MTAVIP_PASSWORD", None)
        env["HOME"] = self.dir
        env["XDG_CONFIG_HOME"] = os.path.join(self.dir, "config")
        env["XDG_DATA_HOME"] = os.path.join(self.dir, "data")
        env["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
        self.cmdline = self.argv()
        if self.netns is not None:
            self.cmdline = self.netns.wrap(self.cmdline)
        self.proc = Managed(self.cmdline, self.log_path, env=env, capture_stdout=True)
        self._stdout_copy = open(os.path.join(self.dir, "stdout.jsonl"), "w")
        t = threading.Thread(target=self._read, daemon=True, name="cli-%s" % self.name)
        t.start()
        return self

    def _read(self):
        for raw in self.proc.proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            try:
                self._stdout_copy.write(line + "\n")
                self._stdout_copy.flush()
            except ValueError:
                pass
            if not line:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                ev = {"event": "unparsed", "line": line}
            ev["_time"] = time.monotonic()
            with self._cond:
                self.events.append(ev)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def stop(self):
        if self.proc is not None:
            self.proc.stop()
        copy = getattr(self, "_stdout_copy", None)
        if copy is not None:
            time.sleep(0.1)  # let the reader thread see EOF
            try:
                copy.close()
            except (OSError, ValueError):
                pass

    def interrupt(self):
        """SIGINT: the CLI hangs up / cancels, un-REGISTERs and exits."""
        self.proc.signal_group(signal.SIGINT)

    def describe(self):
        return ("%s: %s\nevents: %s\nstderr tail:\n%s" % (
            self.name, " ".join(self.cmdline),
            [{k: v for k, v in e.items() if k != "_time"} for e in self.events[-15:]],
            self.proc.log_tail(30) if self.proc else ""))

    def wait_event(self, predicate, timeout=20.0, what="event"):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for e in self.events:
                    if predicate(e):
                        return e
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    raise AssertionError("no %s within %.0fs\n%s" % (what, timeout,
                                                                     self.describe()))
                self._cond.wait(min(left, 0.5))

    def wait_registration(self, state, timeout=20.0):
        return self.wait_event(lambda e: e.get("event") == "registration"
                               and e.get("state") == state, timeout,
                               "registration %s" % state)

    def wait_call(self, state, timeout=20.0):
        return self.wait_event(lambda e: e.get("event") == "call"
                               and e.get("state") == state, timeout, "call %s" % state)

    def call_states(self):
        return [e["state"] for e in self.events if e.get("event") == "call"]

    def registration_states(self):
        return [e["state"] for e in self.events if e.get("event") == "registration"]

    def media_events(self):
        return [e for e in self.events if e.get("event") == "media"]

    def last_media(self):
        m = self.media_events()
        return m[-1] if m else None

    def wait_media(self, audio_packets=50, video_frames=20, timeout=20.0):
        """Wait for a media event showing packets both ways (and decoded
        audio/video frames) for the streams expected."""
        def ok(e):
            if e.get("event") != "media":
                return False
            a = e.get("audio") or {}
            if not (a.get("rx_packets", 0) >= audio_packets
                    and a.get("tx_packets", 0) >= audio_packets
                    and a.get("decoded", 0) > 0):
                return False
            if self.video and video_frames:
                v = e.get("video") or {}
                if not (v.get("rx_packets", 0) > 0 and v.get("tx_packets", 0) > 0
                        and v.get("frames_decoded", 0) >= video_frames):
                    return False
            return True
        return self.wait_event(ok, timeout, "media both ways")

    def wait_exit(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while self.proc.alive():
            if time.monotonic() > deadline:
                raise AssertionError("mtavip-cli did not exit within %.0fs\n%s"
                                     % (timeout, self.describe()))
            time.sleep(0.1)
        with self._cond:
            while not self._eof and time.monotonic() < deadline + 5:
                self._cond.wait(0.5)
        return self.proc.returncode()

    def end_reason(self):
        for e in reversed(self.events):
            if e.get("event") == "call" and e.get("state") == "ended":
                return e.get("reason")
        return None
