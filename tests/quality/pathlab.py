# SPDX-License-Identifier: GPL-3.0-or-later
"""Two hosts joined by one link that can lose and delay packets (a
forwarder in a middle namespace, linkdelay.py: this kernel has no netem),
and whose direction a -> b can be narrowed with a `tc tbf` rate limit; on
documentation addresses (RFC 5737), in network namespaces of the test's own.

    198.51.100.1 "a" (qa) <-> (ma) "m": linkdelay.py (mb) <-> (qb) "b" 198.51.100.2

    with PathLab() as lab:
        lab.link(loss=0.03, delay=30, jitter=10)      # both directions
        lab.impair("a", "tbf rate 400kbit burst 16kb latency 100ms")   # a -> b
        lab.ns["a"].wrap(argv)
        lab.clear("a")

Needs root and iproute2.
"""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fixtures.netns import NetNs  # noqa: E402

ADDRESSES = {"a": "198.51.100.1", "b": "198.51.100.2"}


class PathLab:
    def __init__(self):
        tag = "%d-%d" % (os.getpid() % 100000, id(self) % 1000)
        self.ns = {h: NetNs("mtq-%s-%s" % (tag, h)) for h in ("a", "m", "b")}
        self.ifname = {"a": "qa", "b": "qb"}
        self.forwarder = None

    def start(self):
        try:
            for ns in self.ns.values():
                ns.start()
            m = self.ns["m"]
            for h, mid in (("a", "ma"), ("b", "mb")):
                ns = self.ns[h]
                ns.exec(ns.ip, "link", "add", self.ifname[h], "type", "veth", "peer",
                        "name", mid, "netns", m.name)
                ns.exec(ns.ip, "addr", "add", ADDRESSES[h] + "/24", "dev", self.ifname[h])
                ns.exec(ns.ip, "link", "set", self.ifname[h], "up")
                m.exec(m.ip, "link", "set", "dev", mid, "promisc", "on")
                m.exec(m.ip, "link", "set", "dev", mid, "up")
            self.link()
        except Exception:
            self.stop()
            raise
        return self

    def link(self, loss=0.0, delay=0.0, jitter=0.0):
        """(Re)start the forwarder between a and b with these impairments."""
        self._stop_forwarder()
        argv = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "linkdelay.py"), "ma", "mb",
                "--loss", str(loss), "--delay", str(delay), "--jitter", str(jitter)]
        self.forwarder = subprocess.Popen(self.ns["m"].wrap(argv))

    def _stop_forwarder(self):
        if self.forwarder is not None:
            self.forwarder.terminate()
            try:
                self.forwarder.wait(5)
            except subprocess.TimeoutExpired:
                self.forwarder.kill()
                self.forwarder.wait()
            self.forwarder = None

    def wait_listening(self, host, port, timeout=15.0):
        """Until something listens on TCP `port` in `host` (a phone is up)."""
        deadline = time.monotonic() + timeout
        want = ":%04X" % port
        while time.monotonic() < deadline:
            table = self.ns[host].exec("cat", "/proc/net/tcp")
            for line in table.splitlines()[1:]:
                fields = line.split()
                if len(fields) > 3 and fields[1].endswith(want) and fields[3] == "0A":
                    return
            time.sleep(0.1)
        raise AssertionError("nothing listens on %s:%d" % (host, port))

    def tc(self, host, *args):
        ns = self.ns[host]
        return ns.exec("tc", *args)

    def impair(self, host, spec):
        """Replace what leaves `host` towards the other with `spec`
        (e.g. "netem loss 3% delay 30ms 10ms", "tbf rate 400kbit ...")."""
        self.tc(host, "qdisc", "replace", "dev", self.ifname[host], "root", *spec.split())

    def clear(self, host):
        try:
            self.tc(host, "qdisc", "del", "dev", self.ifname[host], "root")
        except Exception:
            pass

    def stop(self):
        self._stop_forwarder()
        for ns in self.ns.values():
            try:
                ns.stop()
            except Exception:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
