"""DTMF with baresip through Kamailio (issue 12, item 1): our RFC 4733
telephone-events are what baresip reports, and baresip's reach us."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clirunner import CliPhone  # noqa: E402
from test_interop import InteropCase, started  # noqa: E402


class DtmfBaresipTest(InteropCase):
    def dtmf_events(self, cli, direction):
        return [e for e in cli.events if e.get("event") == "dtmf"
                and e.get("direction") == direction]

    def test_digits_both_ways_rfc4733(self):
        bob = self.bob(record_audio=False)
        sent = "159*#0D"
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri, video=False, name="cli-alice",
                       extra=["--call", self.kam.uri("bob"), "--exit-after-call",
                              "--dtmf", sent, "--dtmf-after", "2", "--hangup-after", "10"])
        self._clis.append(cli)
        started(self, cli)
        cli.wait_call("active", timeout=30)
        bob.wait_for("CALL_ESTABLISHED", timeout=15)

        # baresip reports each key once as it starts
        got = ""
        since = 0
        while len(got) < len(sent):
            e = bob.wait_for("CALL_DTMF_START", since=since, timeout=15)
            since = bob.events.index(e) + 1
            got += e.get("param", "")
        self.assertEqual(got, sent, bob.event_types())
        out = self.dtmf_events(cli, "out")
        self.assertEqual("".join(e["digit"] for e in out), sent, cli.describe())
        self.assertEqual({e["method"] for e in out}, {"rfc4733"}, out)

        # and the other way: baresip's sndcode as RFC 4733 events
        bob.command("sndcode", "7")
        cli.wait_event(lambda e: e.get("event") == "dtmf" and e.get("direction") == "in",
                       timeout=10, what="a digit from baresip")
        inc = self.dtmf_events(cli, "in")
        self.assertEqual([(e["digit"], e["method"]) for e in inc], [("7", "rfc4733")], inc)
        self.assertEqual(cli.wait_exit(timeout=30), 0, cli.describe())


if __name__ == "__main__":
    unittest.main()
