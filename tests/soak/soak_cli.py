#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Endurance (issue 14, item 1): one long-running `mtavip-cli --auto-answer`
registered with Kamailio takes N consecutive calls from other mtavip-cli
processes, and what it holds is sampled after each call.

Call shapes, in a fixed cycle of 20 (see CYCLE):
  audio    audio-only, the caller hangs up after 0.5 s
  video    audio + 320x240 VP8, the caller hangs up after 1 s
  remote   audio-only, the long-running phone hangs up (its --hangup-after 4)
  busy     a second caller during a `remote` call: 486, ends `busy`
  cancel   the caller gives up while it rings (SIGINT: CANCEL)
Every tenth caller registers (digest auth) before it calls; the others call
through Kamailio without registering.

After each call the long-running phone must be idle again within 10 s: no
more open file descriptors than before the first call, no more threads than
after the first call (GStreamer's thread pool keeps one).  Every 10 calls,
and at the end, GStreamer's `leaks` tracer lists the objects still alive:
none may be left over.  At the end: no failed call, and resident memory
within --rss-limit-mib (15) of what it was after the first call.

    tests/soak/soak_cli.py --calls 100                 # the short form (suite soak)
    tests/soak/soak_cli.py --calls 1000 --json-out F   # tools/mtavip soak

Needs MTAVIP_CLI (meson sets it; tools/mtavip soak too) and kamailio.
Prints one line per call and a summary; exit status 0 when every check held.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "interop"))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.process import make_tempdir  # noqa: E402
from procstat import GstLeaks, ProcStat  # noqa: E402

CYCLE = ["audio", "audio", "video", "audio", "cancel", "audio", "remote", "audio",
         "video", "audio", "cancel", "audio", "audio", "remote", "audio", "video",
         "audio", "audio"]
# each `remote` call brings a `busy` one: 20 calls per cycle

# the long-running phone hangs up this long after it answered: after the
# callers' own hang-ups (0.5 s, 1 s), and long enough for a `busy` caller to
# start and ring during a `remote` call (2 s was too short at load 16)
CALLEE_HANGUP_S = 4
# how long a caller stays in an answered call: long enough for media both
# ways (25 audio packets in 0.5 s), short enough for 100 calls in ~2 min
AUDIO_CALL_S = "0.5"
VIDEO_CALL_S = "1"
# the long-running phone rings this long before it answers, so that a
# caller can cancel while it rings
RING_MS = 400
IDLE_TIMEOUT_S = 10.0
STEP_TIMEOUT_S = 30.0


def log(*args):
    print(*args, flush=True)


class CallFailed(Exception):
    pass


def start_phone(phone, env=None):
    """CliPhone.start() with extra environment variables for that process."""
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        return phone.start()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Soak:
    def __init__(self, calls, rss_limit_mib, json_out=None, quiet=False):
        self.calls = calls
        self.rss_limit_kib = rss_limit_mib * 1024
        self.json_out = json_out
        self.quiet = quiet
        self.series = []
        self.failures = []
        self.cancel_crossed = 0
        self.dir = make_tempdir("soak")
        # one GStreamer registry for every process (a fresh cache dir per
        # process would rebuild it each time: ~1 s per call)
        os.environ["GST_REGISTRY"] = os.path.join(self.dir, "gst-registry.bin")
        self.kam = None
        self.callee = None
        self.leaks = GstLeaks(self.dir)
        self.caller_ports = [ports.free_port() for _ in range(4)]
        self.previous = {}   # port -> the last CliPhone that used it
        self.callee_ended = 0

    # ---- the long-running phone ----------------------------------------------------

    def start(self):
        self.kam = Kamailio(min_expires=5).start()
        self.callee = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                               registrar=self.kam.proxy_uri, video=True, name="soak-callee",
                               extra=["--auto-answer", "--answer-after", str(RING_MS),
                                      "--hangup-after", str(CALLEE_HANGUP_S)])
        start_phone(self.callee, self.leaks.env())
        self.callee.wait_registration("registered", timeout=30)
        self.stat = ProcStat(self.callee.proc.pid)
        self.idle = self.stat.wait_stable(settle=1.0)
        log("soak: long-running phone pid %d idle: %s" % (self.callee.proc.pid, self.idle))

    def stop(self):
        for p in list(self.previous.values()):
            p.stop()
        if self.callee:
            self.callee.stop()
        if self.kam:
            self.kam.stop()

    def callee_calls_ended(self):
        return [e for e in self.callee.events
                if e.get("event") == "call" and e.get("state") == "ended"]

    def callee_errors(self):
        return [e for e in self.callee.events if e.get("event") == "error"]

    # ---- callers ---------------------------------------------------------------------

    def caller(self, n, video, extra):
        port = self.caller_ports[n % len(self.caller_ports)]
        old = self.previous.pop(port, None)
        if old is not None:
            old.wait_exit(timeout=STEP_TIMEOUT_S)
            old.stop()
            shutil.rmtree(old.dir, ignore_errors=True)
        registered = n % 10 == 9
        user = "bob" if n % 2 else "carol"
        c = CliPhone(account=self.kam.uri(user) if registered else None,
                     password=self.kam.users[user] if registered else None,
                     registrar=self.kam.proxy_uri if registered else None,
                     listen_port=port, video=video, name="caller-%d" % n,
                     extra=["--call", self.kam.uri("alice")] + extra)
        self.previous[port] = c
        return c.start()

    def expect(self, caller, reasons, what):
        end = caller.wait_call("ended", STEP_TIMEOUT_S)
        if end.get("reason") not in reasons:
            raise CallFailed("%s ended %r (wanted %s)" % (what, end.get("reason"), reasons))
        return end

    def callee_end(self, reasons):
        """Wait for the long-running phone's next call to end as expected."""
        want = self.callee_ended + 1
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while len(self.callee_calls_ended()) < want:
            if time.monotonic() > deadline or not self.callee.proc.alive():
                raise CallFailed("the long-running phone's call did not end")
            time.sleep(0.02)
        self.callee_ended = want
        end = self.callee_calls_ended()[want - 1]
        if end.get("reason") not in reasons:
            raise CallFailed("the long-running phone's call ended %r (wanted %s)"
                             % (end.get("reason"), reasons))
        return end.get("reason")

    def media_check(self, caller, video):
        m = caller.last_media()
        if m is None:
            raise CallFailed("no media statistics from the caller")
        if m["audio"]["rx_packets"] == 0 or m["audio"]["tx_packets"] == 0:
            raise CallFailed("no audio both ways: %r" % m["audio"])
        if video and (not m.get("video") or m["video"]["rx_packets"] == 0):
            raise CallFailed("no video received: %r" % m.get("video"))

    # ---- shapes ----------------------------------------------------------------------

    def shape_audio(self, n, video=False):
        c = self.caller(n, video, ["--hangup-after", VIDEO_CALL_S if video else AUDIO_CALL_S,
                                   "--exit-after-call"])
        self.expect(c, ("local-hangup",), "the caller's call")
        self.media_check(c, video)
        self.callee_end(("remote-hangup",))
        return "local-hangup"

    def shape_video(self, n):
        return self.shape_audio(n, video=True)

    def shape_remote(self, n):
        """The long-running phone hangs up; a second caller meets it busy."""
        c = self.caller(n, False, ["--exit-after-call"])
        c.wait_call("active", STEP_TIMEOUT_S)
        b = self.caller(n + 1, False, ["--exit-after-call"])
        busy = self.expect(b, ("busy",), "the second caller's call")
        self.expect(c, ("remote-hangup",), "the caller's call")
        self.media_check(c, False)
        self.callee_end(("local-hangup",))
        return "remote-hangup", busy.get("reason")

    def shape_cancel(self, n):
        c = self.caller(n, False, ["--exit-after-call"])
        c.wait_call("ringing", STEP_TIMEOUT_S)
        c.interrupt()
        end = self.expect(c, ("cancelled", "local-hangup"), "the cancelled call")
        if end["reason"] == "local-hangup":
            # the 200 OK crossed our CANCEL (the phone answers RING_MS after
            # ringing): a call answered and hung up, not a failure
            self.cancel_crossed += 1
            self.callee_end(("remote-hangup",))
        else:
            # "cancelled" here, and the phone's 200 may still have crossed it
            # (it then sees our BYE): counted apart
            if self.callee_end(("cancelled", "remote-hangup")) == "remote-hangup":
                self.cancel_crossed += 1
        return end["reason"]

    # ---- the run ---------------------------------------------------------------------

    def plan(self):
        shapes = []
        i = 0
        while len(shapes) < self.calls:
            s = CYCLE[i % len(CYCLE)]
            shapes.append(s)
            if s == "remote":
                shapes.append("busy")
            i += 1
        return shapes[:self.calls]

    def one(self, n, shape):
        t0 = time.monotonic()
        error = None
        outcome = None
        try:
            outcome = getattr(self, "shape_" + shape)(n)
        except (CallFailed, AssertionError) as e:
            error = str(e).splitlines()[0]
        return outcome, error, time.monotonic() - t0

    def settle(self, n):
        """After call n: back to idle; the sample, or a failure."""
        threads_max = self.idle["threads"] if n == 0 else self.threads_after_first
        if n == 0:
            s = self.stat.wait_stable(settle=2.0, timeout=20.0)
            self.threads_after_first = max(self.idle["threads"], s["threads"])
            threads_max = self.threads_after_first
        s, waited = self.stat.wait_idle(self.idle["fds"], threads_max, IDLE_TIMEOUT_S)
        if waited is None:
            return s, ("not idle %.0f s after the call: %d fds (idle %d), %d threads (idle %d): %s"
                       % (IDLE_TIMEOUT_S, s["fds"], self.idle["fds"], s["threads"], threads_max,
                          self.stat.fd_targets()))
        return s, None

    def run(self):
        shapes = self.plan()
        self.started = time.monotonic()
        n = 0
        while n < len(shapes):
            shape = shapes[n]
            outcome, error, took = self.one(n, shape)
            done = [(n, shape, outcome[0] if isinstance(outcome, tuple) else outcome)]
            if shape == "remote" and n + 1 < len(shapes):
                busy = outcome[1] if isinstance(outcome, tuple) else None
                done.append((n + 1, "busy", busy))
            if not self.callee.proc.alive():
                error = error or "the long-running phone exited"
            sample, idle_error = self.settle(n)
            error = error or idle_error
            if self.callee_errors():
                error = error or "error events: %r" % self.callee_errors()
            gst = None
            last = done[-1][0] == len(shapes) - 1
            if n == 0 or (done[-1][0] + 1) % 10 == 0 or last:
                gst = sum(self.leaks.alive(self.callee.proc.pid).values())
            for k, (i, s, o) in enumerate(done):
                row = dict(sample, call=i + 1, shape=s, outcome=o,
                           seconds=round(took, 2) if k == 0 else 0.0,
                           gst_alive=gst if k == len(done) - 1 else None,
                           error=error, t=round(time.monotonic() - self.started, 1))
                self.series.append(row)
                if error:
                    self.failures.append(row)
                if not self.quiet or error or (i + 1) % 50 == 0 or i == 0:
                    self.print_row(row)
            n += len(done)
            if not self.callee.proc.alive():
                break
        self.elapsed = time.monotonic() - self.started

    @staticmethod
    def print_row(r):
        log("call %4d %-6s %-13s %5.1fs  rss %6.1f MiB  fds %3d  threads %3d  cpu %7.1fs%s%s"
            % (r["call"], r["shape"], r["outcome"] or "-", r["seconds"], r["rss_kib"] / 1024,
               r["fds"], r["threads"], r["cpu_s"],
               "" if r["gst_alive"] is None else "  gst objects alive %d" % r["gst_alive"],
               "  FAILED: " + r["error"] if r["error"] else ""))

    def prove_tracer(self):
        """During a call the leaks tracer must list objects, or 0 means nothing."""
        c = self.caller(len(self.caller_ports) * 1000 + 1, False, ["--exit-after-call"])
        c.wait_call("active", STEP_TIMEOUT_S)
        c.wait_media(audio_packets=10, video_frames=0, timeout=STEP_TIMEOUT_S)
        alive = self.leaks.alive(self.callee.proc.pid)
        self.expect(c, ("remote-hangup",), "the tracer check call")
        self.callee_end(("local-hangup",))
        c.wait_exit(STEP_TIMEOUT_S)
        return alive

    # ---- verdict ---------------------------------------------------------------------

    def verdict(self):
        problems = []
        if len(self.series) < self.calls:
            problems.append("only %d of %d calls ran" % (len(self.series), self.calls))
        if self.failures:
            problems.append("%d failed calls, first: call %d (%s): %s" % (
                len(self.failures), self.failures[0]["call"], self.failures[0]["shape"],
                self.failures[0]["error"]))
        if self.series:
            first = self.series[0]["rss_kib"]
            peak = max(r["rss_kib"] for r in self.series)
            if peak - first > self.rss_limit_kib:
                problems.append("resident memory grew %.1f MiB after the first call (limit %.0f)"
                                % ((peak - first) / 1024, self.rss_limit_kib / 1024))
            gst = [r["gst_alive"] for r in self.series if r["gst_alive"] is not None]
            if any(g > 0 for g in gst):
                problems.append("GStreamer objects left alive after calls: %r" % gst)
        return problems

    def summary(self):
        s = self.series
        out = {
            "calls": len(s),
            "failed": len(self.failures),
            "cancel_crossed_answer": self.cancel_crossed,
            "seconds": round(getattr(self, "elapsed", 0), 1),
            "idle_before": self.idle,
            "threads_idle_after_first": getattr(self, "threads_after_first", None),
            "shapes": {k: sum(1 for r in s if r["shape"] == k) for k in
                       ("audio", "video", "remote", "busy", "cancel")},
        }
        if s:
            out["first"] = {k: s[0][k] for k in ("rss_kib", "fds", "threads", "cpu_s")}
            out["last"] = {k: s[-1][k] for k in ("rss_kib", "fds", "threads", "cpu_s")}
            out["rss_peak_kib"] = max(r["rss_kib"] for r in s)
            out["rss_growth_kib"] = out["rss_peak_kib"] - s[0]["rss_kib"]
            out["gst_alive"] = [r["gst_alive"] for r in s if r["gst_alive"] is not None][-5:]
        return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--rss-limit-mib", type=float, default=15.0)
    ap.add_argument("--json-out", help="write the series and the summary here")
    ap.add_argument("--quiet", action="store_true", help="print every 50th call only")
    args = ap.parse_args(argv)
    cli_path()
    soak = Soak(args.calls, args.rss_limit_mib, args.json_out, args.quiet)
    try:
        soak.start()
        alive = soak.prove_tracer()
        log("soak: during a call the leaks tracer lists %d GStreamer objects (%s)"
            % (sum(alive.values()), ", ".join("%s %d" % kv for kv in alive.most_common(4))))
        if not alive:
            log("soak: FAILED: the leaks tracer lists nothing during a call: it does not work")
            return 1
        soak.callee_ended = len(soak.callee_calls_ended())
        soak.run()
    finally:
        soak.stop()
    summary = soak.summary()
    log("soak: summary " + json.dumps(summary))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"summary": summary, "series": soak.series}, f, indent=1)
    problems = soak.verdict()
    for p in problems:
        log("soak: FAILED: " + p)
    if not problems:
        log("soak: PASS: %d calls in %.0f s" % (len(soak.series), soak.elapsed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
