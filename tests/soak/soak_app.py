#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Endurance of the GTK app (issue 14, item 1): the app, under Xvfb, makes
and takes N calls driven through its actions (app.call, app.call-audio,
app.answer, app.decline, app.hangup: what its buttons and notifications
do), with mtavip-cli peers on loopback; after each call its resident memory,
open descriptors, threads and GStreamer objects alive are sampled.

Call shapes, in a cycle of 8 (see CYCLE):
  out-audio   app.call-audio to a long-running --auto-answer peer; the app
              hangs up after 1 s
  out-video   app.call (video) to that peer; the peer hangs up (its
              --hangup-after 3)
  in-audio    a peer calls; app.answer; the peer hangs up after 1 s
  in-video    a peer calls with video; app.answer; the app hangs up after 1 s
  in-decline  a peer calls; app.decline: it ends `declined`
  in-cancel   a peer calls and gives up while it rings: a missed call
Each call opens (or, declined, may open) a call window that closes itself
3 s after the end, and the app forgets the call 10 s after its end; the
next call does not wait for either.

The first cycle creates what the app keeps for good (ringtone pipeline,
notification proxies, GStreamer's thread pool): its highest descriptor and
thread counts are the idle counts every later call must come back to within
15 s.  At the end (all call windows closed, the calls forgotten): no failed
call, no more descriptors open than before the first call, resident memory
within --rss-limit-mib (15) of its value after the first cycle, and no more
GStreamer objects alive than after the first cycle.

Run by run-ui-test.sh (Xvfb, private session bus):
    tests/ui/run-ui-test.sh tests/soak/soak_app.py --calls 50
Needs MTAVIP_APP, MTAVIP_CLI, GSETTINGS_SCHEMA_DIR (meson sets them).
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TESTS, "ui"))

from harness import App, Environment, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.process import make_tempdir  # noqa: E402
from procstat import GstLeaks, ProcStat  # noqa: E402

CYCLE = ["out-audio", "in-audio", "out-video", "in-decline", "in-video", "in-cancel",
         "in-audio", "out-audio"]
PEER_HANGUP_S = 3
STEP_S = 30.0
IDLE_TIMEOUT_S = 15.0


class CallFailed(Exception):
    pass


class AppSoak:
    def __init__(self, calls, rss_limit_mib):
        self.calls = calls
        self.rss_limit_kib = rss_limit_mib * 1024
        self.dir = make_tempdir("soak-app")
        os.environ["GST_REGISTRY"] = os.path.join(self.dir, "gst-registry.bin")
        self.leaks = GstLeaks(self.dir)
        self.series = []
        self.failures = []
        self.seen = set()
        self.caller_ports = [ports.free_port() for _ in range(4)]
        self.callers = {}
        self.env = self.app = self.peer = None

    # ---- setup -----------------------------------------------------------------

    def start(self):
        self.env = Environment()
        self.peer = CliPhone(account=None, name="soak-peer",
                             extra=["--auto-answer", "--hangup-after", str(PEER_HANGUP_S)]).start()
        self.app = App(self.env, extra_env=self.leaks.env())
        self.app.wait_window("MTAVIPClient")
        wait_for(lambda: self.app.state()["contact"], 20, "the app listening for calls")
        self.stat = ProcStat(self.app.pid)
        self.before = self.stat.wait_stable(settle=2.0)
        log("soak-app: app pid %d before any call: %s" % (self.app.pid, self.before))

    def stop(self):
        for c in self.callers.values():
            c.stop()
        if self.app:
            self.app.quit()
        if self.peer:
            self.peer.stop()
        if self.env:
            self.env.close()

    @property
    def our_uri(self):
        return "sip:me@127.0.0.1:%d" % self.env.sip_port

    @property
    def peer_uri(self):
        return "sip:peer@127.0.0.1:%d" % self.peer.listen_port

    # ---- the app's calls, read through its debug state -----------------------------

    def new_call(self, direction, state=None):
        def find():
            for cid, c in self.app.state()["calls"].items():
                if cid not in self.seen and c["direction"] == direction and \
                        (state is None or c["state"] == state):
                    return dict(c, id=cid)
            return None
        c = wait_for(find, STEP_S, "a new %s call in the app" % direction, 0.1)
        self.seen.add(c["id"])
        return c

    def app_call(self, cid, pred, what):
        def check():
            c = self.app.state()["calls"].get(cid)
            return dict(c, id=cid) if c is not None and pred(c) else None
        return wait_for(check, STEP_S, what, 0.1)

    def app_ended(self, cid, reasons):
        c = self.app_call(cid, lambda c: c["state"] == "ended", "the app's call %s to end" % cid)
        if c["reason"] not in reasons:
            raise CallFailed("the app's call ended %r (wanted %s)" % (c["reason"], reasons))

    def caller(self, n, video, extra):
        port = self.caller_ports[n % len(self.caller_ports)]
        old = self.callers.pop(port, None)
        if old is not None:
            old.wait_exit(STEP_S)
            old.stop()
        c = CliPhone(account=None, listen_port=port, video=video, name="caller-%d" % n,
                     extra=["--call", self.our_uri, "--exit-after-call"] + extra)
        self.callers[port] = c
        return c.start()

    def peer_ended(self, before, reasons):
        ends = lambda: [e for e in self.peer.events[before:]   # noqa: E731
                        if e.get("event") == "call" and e.get("state") == "ended"]
        end = wait_for(ends, STEP_S, "the peer's call to end", 0.1)[0]
        if end["reason"] not in reasons:
            raise CallFailed("the peer's call ended %r (wanted %s)" % (end["reason"], reasons))

    @staticmethod
    def caller_ended(c, reasons):
        end = c.wait_call("ended", STEP_S)
        if end["reason"] not in reasons:
            raise CallFailed("the caller's call ended %r (wanted %s)" % (end["reason"], reasons))

    # ---- shapes ----------------------------------------------------------------------

    def shape_out(self, video):
        mark = len(self.peer.events)
        self.app.activate("call" if video else "call-audio", self.peer_uri)
        c = self.new_call("outgoing")
        self.app_call(c["id"], lambda c: c["state"] == "active", "the app's call to be answered")
        if video:
            self.app_call(c["id"], lambda c: c["remote-frames-received"] > 0,
                          "video from the peer in the app")
            self.peer_ended(mark, ("local-hangup",))
            self.app_ended(c["id"], ("remote-hangup",))
        else:
            time.sleep(1)
            self.app.activate("hangup", c["id"])
            self.app_ended(c["id"], ("local-hangup",))
            self.peer_ended(mark, ("remote-hangup",))

    def shape_out_audio(self, n):
        self.shape_out(False)

    def shape_out_video(self, n):
        self.shape_out(True)

    def incoming(self, n, video, extra):
        c = self.caller(n, video, extra)
        call = self.new_call("incoming", "incoming")
        c.wait_call("ringing", STEP_S)
        return c, call

    def shape_in_audio(self, n):
        c, call = self.incoming(n, False, ["--hangup-after", "1"])
        self.app.activate("answer", call["id"])
        self.caller_ended(c, ("local-hangup",))
        self.app_ended(call["id"], ("remote-hangup",))
        m = c.last_media()
        if not m or m["audio"]["rx_packets"] == 0:
            raise CallFailed("no audio from the app: %r" % m)

    def shape_in_video(self, n):
        c, call = self.incoming(n, True, [])
        self.app.activate("answer", call["id"])
        self.app_call(call["id"], lambda c: c["state"] == "active" and
                      c["remote-frames-received"] > 0, "video from the caller in the app")
        self.app.activate("hangup", call["id"])
        self.caller_ended(c, ("remote-hangup",))
        self.app_ended(call["id"], ("local-hangup",))

    def shape_in_decline(self, n):
        c, call = self.incoming(n, False, [])
        self.app.activate("decline", call["id"])
        self.caller_ended(c, ("declined",))
        self.app_ended(call["id"], ("declined",))

    def shape_in_cancel(self, n):
        c, call = self.incoming(n, False, [])
        c.interrupt()
        self.caller_ended(c, ("cancelled",))
        self.app_ended(call["id"], ("cancelled",))

    # ---- the run ---------------------------------------------------------------------

    def run(self):
        self.started = time.monotonic()
        self.idle = None
        for n in range(self.calls):
            shape = CYCLE[n % len(CYCLE)]
            t0 = time.monotonic()
            error = None
            try:
                getattr(self, "shape_" + shape.replace("-", "_"))(n)
            except (CallFailed, AssertionError) as e:
                error = str(e).splitlines()[0]
            took = time.monotonic() - t0
            if not self.app.alive():
                error = error or "the app exited"
            first_cycle = n < len(CYCLE)
            if first_cycle:
                s = self.stat.wait_stable(settle=1.0, timeout=10.0)
                if n == len(CYCLE) - 1:
                    self.idle = self.first_cycle_idle(s)
            else:
                s, waited = self.stat.wait_idle(self.idle["fds"], self.idle["threads"],
                                                IDLE_TIMEOUT_S)
                if waited is None:
                    error = error or ("not idle %.0f s after the call: %d fds (idle %d), "
                                      "%d threads (idle %d)" % (IDLE_TIMEOUT_S, s["fds"],
                                                                self.idle["fds"], s["threads"],
                                                                self.idle["threads"]))
            row = dict(s, call=n + 1, shape=shape, seconds=round(took, 2), error=error,
                       t=round(time.monotonic() - self.started, 1))
            self.series.append(row)
            if error:
                self.failures.append(row)
            log("call %3d %-10s %5.1fs  rss %6.1f MiB  fds %3d  threads %3d  cpu %6.1fs%s"
                % (row["call"], shape, took, s["rss_kib"] / 1024, s["fds"], s["threads"],
                   s["cpu_s"], "  FAILED: " + error if error else ""))
            if not self.app.alive():
                break
        self.elapsed = time.monotonic() - self.started

    def first_cycle_idle(self, last):
        rows = self.series + [dict(last)]
        idle = {"fds": max([self.before["fds"]] + [r["fds"] for r in rows]),
                "threads": max([self.before["threads"]] + [r["threads"] for r in rows])}
        self.windows_closed()
        idle["rss_kib"] = self.stat.rss_kib()
        idle["gst_alive"] = sum(self.leaks.alive(self.app.pid).values())
        log("soak-app: idle after the first cycle: %s" % idle)
        return idle

    def windows_closed(self):
        """Every call window closed, and the app forgot the calls (10 s after
        their end: FORGET_AFTER_END_S in mt-application.c)."""
        wait_for(lambda: len([w for w in self.app.windows() if w is not None]) <= 1, 20,
                 "every call window to close", 0.3)
        wait_for(lambda: not self.app.state()["calls"], 20, "the app to forget ended calls", 0.5)
        time.sleep(0.5)

    def verdict(self):
        problems = []
        if len(self.series) < self.calls:
            problems.append("only %d of %d calls ran" % (len(self.series), self.calls))
        if self.failures:
            f = self.failures[0]
            problems.append("%d failed calls, first: call %d (%s): %s"
                            % (len(self.failures), f["call"], f["shape"], f["error"]))
        if self.idle is None:
            return problems
        self.windows_closed()
        self.final = self.stat.wait_idle(self.idle["fds"], self.idle["threads"], IDLE_TIMEOUT_S)[0]
        self.final["gst_alive"] = sum(self.leaks.alive(self.app.pid).values())
        log("soak-app: at the end, every call window closed: %s" % self.final)
        growth = self.final["rss_kib"] - self.idle["rss_kib"]
        if growth > self.rss_limit_kib:
            problems.append("resident memory grew %.1f MiB after the first cycle (limit %.0f)"
                            % (growth / 1024, self.rss_limit_kib / 1024))
        if self.final["fds"] > self.before["fds"]:
            problems.append("%d descriptors open at the end, %d before the first call"
                            % (self.final["fds"], self.before["fds"]))
        if self.final["gst_alive"] > self.idle["gst_alive"]:
            problems.append("GStreamer objects alive: %d after the first cycle, %d at the end"
                            % (self.idle["gst_alive"], self.final["gst_alive"]))
        return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--rss-limit-mib", type=float, default=15.0)
    ap.add_argument("--json-out")
    args = ap.parse_args(argv)
    soak = AppSoak(args.calls, args.rss_limit_mib)
    problems = ["did not start"]
    try:
        soak.start()
        soak.run()
        problems = soak.verdict()
    except BaseException:
        if soak.app:
            print("---- app output ----\n" + soak.app.output(), flush=True)
        raise
    finally:
        summary = {"calls": len(soak.series), "failed": len(soak.failures),
                   "seconds": round(getattr(soak, "elapsed", 0), 1),
                   "before": getattr(soak, "before", None), "idle": getattr(soak, "idle", None),
                   "end": getattr(soak, "final", None)}
        log("soak-app: summary " + json.dumps(summary))
        if args.json_out:
            with open(args.json_out, "w") as f:
                json.dump({"summary": summary, "series": soak.series}, f, indent=1)
        soak.stop()
    for p in problems:
        log("soak-app: FAILED: " + p)
    if problems and soak.app:
        print("---- app output ----\n" + soak.app.output(), flush=True)
    if not problems:
        log("soak-app: PASS: %d calls in %.0f s" % (len(soak.series), soak.elapsed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
