# SPDX-License-Identifier: GPL-3.0-or-later
"""Interop suite (issue 3, item 2): mtavip-cli against Kamailio and baresip.

Needs MTAVIP_CLI=<builddir>/src/cli/mtavip-cli.  Without it every test here
FAILS with a message saying so (it never skips silently).

Run: MTAVIP_CLI=build/src/cli/mtavip-cli \
     /usr/bin/python3 -m unittest discover -s tests/interop -p 'test_interop.py' -v
"""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402

TRAPEZOID = ["INVITE", "100", ("180", "183"), "200", "ACK", "BYE", "200"]


def caller_leg(cap, kam, other_ports):
    """Messages between our phone and Kamailio.  Sofia may send a large
    INVITE over TCP from an ephemeral port (RFC 3261 18.1.1), so select by
    Kamailio's port and exclude the legs to the other phones."""
    return [m for m in cap.messages(port=kam.port)
            if not ({m.src_port, m.dst_port} & set(other_ports))]


def started(test, fixture):
    test.addCleanup(fixture.stop)
    fixture.start()
    return fixture


class InteropCase(unittest.TestCase):
    kamailio_args = {"min_expires": 5}

    def setUp(self):
        cli_path()  # AssertionError (a failure, not a skip) when MTAVIP_CLI is unset
        self.kam = started(self, Kamailio(**self.kamailio_args))
        self._clis = []
        self.addCleanup(self._report)

    def _report(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None:
            return
        if any(t is self for t, _ in list(result.failures) + list(result.errors)):
            sys.stderr.write("\n--- Kamailio log tail (%s) ---\n%s\n"
                             % (self.kam.dir, self.kam.log_tail(60)))
            for c in self._clis:
                sys.stderr.write("\n--- %s ---\n" % c.describe())

    def cli(self, user="alice", transport="udp", password=None, extra=(), video=True):
        c = CliPhone(account=self.kam.uri(user),
                     password=self.kam.users[user] if password is None else password,
                     registrar=self.kam.proxy_uri, transport=transport,
                     extra=extra, video=video, name="cli-%s" % user)
        self._clis.append(c)
        return started(self, c)

    def bob(self, **kw):
        kw.setdefault("registrar", self.kam)
        kw.setdefault("record_audio", True)
        b = started(self, Baresip("bob", **kw))
        b.wait_registered()
        return b

    def assert_baresip_heard_us(self, bob):
        dec = bob.decoded_audio()
        self.assertTrue(dec, "baresip wrote no decoded audio")
        path, secs, rms = dec[-1]
        self.assertGreater(secs, 1.0, dec)
        self.assertGreater(rms, 100.0, "baresip decoded silence from us: %s" % (dec,))


class RegisterTest(InteropCase):
    # The registrar caps every registration at 10 s: the CLI must refresh.
    kamailio_args = {"min_expires": 5, "max_expires": 10, "default_expires": 10}

    def register_refresh_unregister(self, transport):
        cap = started(self, SipCapture([self.kam.port]))
        cli = self.cli(transport=transport)
        cli.wait_registration("registered")
        contacts = self.kam.wait_registered("alice")
        self.assertTrue(any(":%d" % cli.listen_port in c for c in contacts), contacts)
        if transport == "tcp":
            self.assertTrue(self.kam.registration_details()["alice"][0]["Socket"]
                            .startswith("tcp:"))
        time.sleep(14)  # beyond the 10 s expiry
        self.assertIn("alice", self.kam.registrations(),
                      "registration expired instead of being refreshed\n" + cli.describe())
        cli.interrupt()
        cli.wait_exit()
        self.kam.wait_unregistered("alice", timeout=5)
        cap.stop()
        regs = cap.messages(port=self.kam.port, method="REGISTER")
        self.assertTrue(all(m.transport == transport for m in regs), cap.summary())
        cap.assert_order(["REGISTER", "401", "REGISTER", "200"], msgs=regs)
        oks = [m for m in regs if m.label == "200"]
        # first registration, at least one refresh, and the un-REGISTER
        self.assertGreaterEqual(len(oks), 3, cap.summary(port=self.kam.port))
        self.assertNotIn("failed", cli.registration_states())

    def test_register_udp(self):
        self.register_refresh_unregister("udp")

    def test_register_tcp(self):
        self.register_refresh_unregister("tcp")

    def test_wrong_password(self):
        cap = started(self, SipCapture([self.kam.port]))
        cli = self.cli(password="not-the-password")
        ev = cli.wait_registration("failed")
        self.assertEqual(ev.get("reason"), "auth-failed", ev)
        time.sleep(6)  # no retry loop
        self.assertEqual(cli.registration_states()[-1], "failed")
        self.assertNotIn("registered", cli.registration_states())
        self.assertNotIn("alice", self.kam.registrations())
        cli.interrupt()
        cli.wait_exit()
        cap.stop()
        sent = [m for m in cap.messages(dst_port=self.kam.port) if m.label == "REGISTER"]
        self.assertEqual(len(sent), 2,
                         "expected one REGISTER and one retry with credentials\n"
                         + cap.summary())


class CallBaresipTest(InteropCase):
    """We (mtavip-cli as alice) call baresip (bob) through Kamailio."""

    def call_bob(self, bob_kw=None, hangup_by="us", video=True, expect_video=True):
        bob = self.bob(**(bob_kw or {}))
        extra = ["--call", self.kam.uri("bob"), "--exit-after-call"]
        if hangup_by == "us":
            extra += ["--hangup-after", "8"]
        cap_ports = [self.kam.port, bob.sip_port]
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri, extra=extra, video=video,
                       name="cli-alice")
        self._clis.append(cli)
        cap = started(self, SipCapture(cap_ports + [cli.listen_port]))
        started(self, cli)
        cli.wait_call("active", timeout=30)
        bob.wait_for("CALL_ESTABLISHED", timeout=15)
        kinds = ["audio", "video"] if expect_video else ["audio"]
        cli.wait_media(video_frames=20 if expect_video else 0, timeout=30)
        bstats = bob.wait_media(kinds=kinds, min_packets=40, timeout=30)
        if hangup_by == "bob":
            bob.hangup()
        rc = cli.wait_exit(timeout=30)
        bob.wait_closed()
        cap.stop()

        states = cli.call_states()
        self.assertEqual(states[0], "calling", states)
        self.assertEqual(states[-1], "ended", states)
        self.assertIn("active", states)
        want = "local-hangup" if hangup_by == "us" else "remote-hangup"
        self.assertEqual(cli.end_reason(), want, cli.describe())
        self.assertEqual(rc, 0, "exit status after a hang-up\n" + cli.describe())

        cap.assert_order(TRAPEZOID, msgs=caller_leg(cap, self.kam, [bob.sip_port]))
        cap.assert_order(["INVITE", ("180", "183"), "200", "ACK", "BYE", "200"],
                         msgs=cap.messages(port=bob.sip_port))
        for m in cap.messages():
            for a in m.sdp_addresses:
                self.assertEqual(a, "127.0.0.1", m)

        media = cli.last_media()
        a = media["audio"]
        self.assertGreater(a["rx_packets"], 50, media)
        self.assertGreater(a["tx_packets"], 50, media)
        self.assertGreater(a["decoded"], 0, media)
        if expect_video:
            v = media["video"]
            self.assertGreater(v["rx_packets"], 0, media)
            self.assertGreater(v["tx_packets"], 0, media)
            self.assertGreater(v["frames_decoded"], 20, media)
            self.assertGreater(bstats["video"]["rx"]["sent"], 20, bstats)
        else:
            self.assertFalse(media.get("video"), media)
            self.assertNotIn("video", bstats)
        self.assertGreater(bstats["audio"]["rx"]["sent"], 20, bstats)
        self.assert_baresip_heard_us(bob)
        return media, bstats, cap

    def test_we_call_and_hang_up_opus_vp8(self):
        media, _, _ = self.call_bob(hangup_by="us")
        self.assertRegex(media["audio"]["codec"], re.compile("opus", re.I))
        self.assertRegex(media["video"]["codec"], re.compile("vp8", re.I))

    def test_we_call_and_baresip_hangs_up(self):
        media, _, _ = self.call_bob(hangup_by="bob")
        self.assertRegex(media["audio"]["codec"], re.compile("opus", re.I))
        self.assertRegex(media["video"]["codec"], re.compile("vp8", re.I))

    def test_baresip_offers_only_h264(self):
        media, _, _ = self.call_bob(bob_kw={"video_codecs": ["H264"]})
        self.assertRegex(media["video"]["codec"], re.compile("h\\.?264", re.I))

    def test_baresip_audio_only(self):
        media, _, _ = self.call_bob(bob_kw={"video_codecs": []}, expect_video=False)
        self.assertRegex(media["audio"]["codec"], re.compile("opus", re.I))

    def test_baresip_offers_only_pcmu(self):
        media, _, _ = self.call_bob(bob_kw={"audio_codecs": ["PCMU"]})
        self.assertRegex(media["audio"]["codec"], re.compile("pcmu", re.I))

    def test_we_cancel_before_answer(self):
        bob = self.bob(answermode="manual")
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri,
                       extra=["--call", self.kam.uri("bob"), "--exit-after-call"],
                       name="cli-alice")
        self._clis.append(cli)
        cap = started(self, SipCapture([self.kam.port, bob.sip_port, cli.listen_port]))
        started(self, cli)
        bob.wait_for("CALL_INCOMING", timeout=20)
        cli.wait_call("ringing", timeout=10)
        cli.interrupt()  # SIGINT while ringing: the CLI cancels and exits
        rc = cli.wait_exit()
        self.assertEqual(cli.end_reason(), "cancelled", cli.describe())
        self.assertNotIn("active", cli.call_states())
        bob.wait_closed()
        cap.stop()
        cap.assert_order(["INVITE", ("180", "183"), "CANCEL", "200", "487", "ACK"],
                         msgs=caller_leg(cap, self.kam, [bob.sip_port]))
        self.assertIn("CANCEL", cap.labels(port=bob.sip_port), cap.summary())
        self.assertIsNotNone(rc)

    def test_baresip_rejects_busy(self):
        bob = self.bob(answermode="manual")
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri,
                       extra=["--call", self.kam.uri("bob"), "--exit-after-call"],
                       name="cli-alice")
        self._clis.append(cli)
        cap = started(self, SipCapture([self.kam.port, bob.sip_port, cli.listen_port]))
        started(self, cli)
        bob.wait_for("CALL_INCOMING", timeout=20)
        bob.hangup()  # baresip rejects a ringing call with 486
        rc = cli.wait_exit()
        self.assertEqual(cli.end_reason(), "busy", cli.describe())
        self.assertNotEqual(rc, 0)
        cap.stop()
        self.assertIn("486", [m.label for m in caller_leg(cap, self.kam, [bob.sip_port])],
                      cap.summary())

    def test_unknown_user(self):
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri,
                       extra=["--call", self.kam.uri("nobody"), "--exit-after-call"],
                       name="cli-alice")
        self._clis.append(cli)
        cap = started(self, SipCapture([self.kam.port, cli.listen_port]))
        started(self, cli)
        rc = cli.wait_exit(timeout=30)
        self.assertEqual(cli.end_reason(), "not-found", cli.describe())
        self.assertNotEqual(rc, 0)
        cap.stop()
        self.assertIn("404", [m.label for m in caller_leg(cap, self.kam, [])],
                      cap.summary())


class BaresipCallsUsTest(InteropCase):
    def test_baresip_calls_us(self):
        bob = self.bob()
        cli = CliPhone(account=self.kam.uri("alice"), password=self.kam.users["alice"],
                       registrar=self.kam.proxy_uri, name="cli-alice",
                       extra=["--auto-answer", "--hangup-after", "8", "--exit-after-call"])
        self._clis.append(cli)
        cap = started(self, SipCapture([self.kam.port, bob.sip_port, cli.listen_port]))
        started(self, cli)
        cli.wait_registration("registered")
        bob.dial(self.kam.uri("alice"))
        inc = cli.wait_call("incoming", timeout=20)
        self.assertEqual(inc.get("direction"), "incoming", inc)
        cli.wait_call("active", timeout=20)
        bob.wait_for("CALL_ESTABLISHED")
        cli.wait_media(timeout=30)
        bstats = bob.wait_media(kinds=["audio", "video"], min_packets=40, timeout=30)
        rc = cli.wait_exit(timeout=30)
        self.assertEqual(cli.end_reason(), "local-hangup", cli.describe())
        self.assertEqual(rc, 0)
        self.assertIn("reset by peer", bob.wait_closed())
        self.kam.wait_unregistered("alice", timeout=10)
        cap.stop()
        states = cli.call_states()
        self.assertEqual(states[0], "incoming", states)
        self.assertEqual(states[-1], "ended", states)
        media = cli.last_media()
        self.assertGreater(media["audio"]["rx_packets"], 50, media)
        self.assertGreater(media["audio"]["decoded"], 0, media)
        self.assertGreater(media["video"]["frames_decoded"], 20, media)
        self.assertGreater(bstats["audio"]["rx"]["sent"], 20, bstats)
        self.assertGreater(bstats["video"]["rx"]["sent"], 20, bstats)
        self.assert_baresip_heard_us(bob)
        # bob -> Kamailio leg (after the 407 round), and Kamailio -> us
        cap.assert_order(TRAPEZOID, msgs=cap.messages(port=bob.sip_port))
        cap.assert_order(["INVITE", ("180", "183"), "200", "ACK", "BYE", "200"],
                         msgs=caller_leg(cap, self.kam, [bob.sip_port]))


if __name__ == "__main__":
    unittest.main()
