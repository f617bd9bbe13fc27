# SPDX-License-Identifier: GPL-3.0-or-later
"""Two hosts joined by one link whose two directions can be impaired with
`tc` (netem loss and delay, a tbf rate limit), on documentation addresses
(RFC 5737) in network namespaces of the test's own.

    198.51.100.1  host "a"  (veth qa)  <---->  (veth qb)  host "b"  198.51.100.2

    with PathLab() as lab:
        lab.impair("a", "netem loss 3% delay 30ms 10ms")   # a -> b
        lab.ns["a"].wrap(argv)
        lab.clear("a")

Needs root and iproute2.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fixtures.netns import NetNs  # noqa: E402

ADDRESSES = {"a": "198.51.100.1", "b": "198.51.100.2"}


class PathLab:
    def __init__(self):
        tag = "%d-%d" % (os.getpid() % 100000, id(self) % 1000)
        self.ns = {h: NetNs("mtq-%s-%s" % (tag, h)) for h in ADDRESSES}
        self.ifname = {"a": "qa", "b": "qb"}

    def start(self):
        try:
            for ns in self.ns.values():
                ns.start()
            a, b = self.ns["a"], self.ns["b"]
            a.exec(a.ip, "link", "add", "qa", "type", "veth", "peer", "name", "qb",
                   "netns", b.name)
            for h in ("a", "b"):
                ns = self.ns[h]
                ns.exec(ns.ip, "addr", "add", ADDRESSES[h] + "/24", "dev", self.ifname[h])
                ns.exec(ns.ip, "link", "set", self.ifname[h], "up")
        except Exception:
            self.stop()
            raise
        return self

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
