# SPDX-License-Identifier: GPL-3.0-or-later
"""Blind transfer with baresip through Kamailio (issue 12, item 3): baresip
follows our REFER (transferee), and our phone follows baresip's `/transfer`
(baresip the transferor). carol is our CLI in both."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_interop import InteropCase  # noqa: E402


def reason(cli, call_id):
    for e in cli.events:
        if e.get("event") == "call" and e.get("id") == call_id and e.get("state") == "ended":
            return e.get("reason")
    return None


def media(cli, call_id):
    m = [e for e in cli.events if e.get("event") == "media" and e.get("id") == call_id]
    return m[-1]["audio"] if m else {}


class TransferBaresipTest(InteropCase):
    def carol(self):
        carol = self.cli("carol", video=False,
                         extra=["--auto-answer", "--hangup-after", "4", "--exit-after-call"])
        carol.wait_registration("registered")
        return carol

    def test_baresip_transferee(self):
        carol = self.carol()
        alice = self.cli("alice", video=False,
                         extra=["--auto-answer", "--exit-after-call",
                                "--transfer-to", self.kam.uri("carol"), "--transfer-after", "2"])
        alice.wait_registration("registered")
        bob = self.bob(record_audio=False)
        bob.dial(self.kam.uri("alice"))
        # alice REFERs bob to carol; bob calls carol; alice's call ends
        self.assertEqual(alice.wait_exit(timeout=30), 0, alice.describe())
        self.assertEqual(alice.end_reason(), "transferred", alice.describe())
        bob.wait_for("TRANSFER", timeout=10)
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        self.assertEqual(carol.call_states(), ["incoming", "active", "ended"], carol.describe())
        self.assertGreater(carol.last_media()["audio"]["decoded"], 100, carol.describe())
        # the caller carol talked to is bob (baresip), not alice
        first = [e for e in carol.events if e.get("event") == "call"][0]
        self.assertIn("bob", first.get("remote", ""), first)

    def test_baresip_transferor(self):
        carol = self.carol()
        bob = self.bob(record_audio=False)
        alice = self.cli("alice", video=False, extra=["--call", self.kam.uri("bob")])
        alice.wait_call("active", timeout=30)
        bob.wait_for("CALL_ESTABLISHED", timeout=15)
        resp = bob.command("transfer", self.kam.uri("carol"))
        self.assertTrue(resp.get("ok"), resp)
        # alice follows baresip's REFER: her first call ends "transferred",
        # the new one to carol has audio both ways
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        alice.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "2"
                         and e.get("state") == "ended", 20, "alice's call to carol ended")
        self.assertEqual(reason(alice, "1"), "transferred", alice.describe())
        self.assertEqual(reason(alice, "2"), "remote-hangup", alice.describe())
        new = [e for e in alice.events if e.get("event") == "call" and e.get("id") == "2"][0]
        self.assertIn("carol", new["remote"], new)
        self.assertGreater(media(alice, "2").get("decoded", 0), 100, alice.describe())
        self.assertGreater(carol.last_media()["audio"]["decoded"], 100, carol.describe())


if __name__ == "__main__":
    unittest.main()
