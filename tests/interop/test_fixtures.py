# SPDX-License-Identifier: GPL-3.0-or-later
"""Prove the real-process fixtures against each other (no project code).

Run: /usr/bin/python3 -m unittest discover -s tests/interop -v
"""

import array
import math
import os
import shutil
import subprocess
import sys
import time
import unittest
import wave

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fixtures import ports  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.pulse import PulseAudio  # noqa: E402


def started(test, fixture):
    """Start a fixture and make sure it is stopped even if the test fails."""
    test.addCleanup(fixture.stop)
    fixture.start()
    return fixture


def only_loopback(test, msgs):
    for m in msgs:
        for a in m.sdp_addresses:
            test.assertEqual(a, "127.0.0.1", "SDP offers a non-loopback address: %s" % (m,))


class PortsTest(unittest.TestCase):
    def test_even_distinct_free(self):
        got = ports.free_ports(20)
        self.assertEqual(len(set(got)), 20)
        for p in got:
            self.assertEqual(p % 2, 0)
            self.assertTrue(ports._bindable(p) and ports._bindable(p + 1))
        # blocks do not overlap
        for p in got:
            self.assertNotIn(p + 1, got)


class KamailioBaresipTest(unittest.TestCase):
    def setUp(self):
        self.kam = started(self, Kamailio(min_expires=5))
        self.addCleanup(self._dump_on_failure)

    def _dump_on_failure(self):
        # unittest has no public "did this test fail" hook; print tails when
        # the outcome has errors (py3.11 keeps them in _outcome.result).
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None:
            return
        failed = any(t is self for t, _ in list(result.failures) + list(result.errors))
        if failed:
            sys.stderr.write("\n--- Kamailio log tail (%s) ---\n%s\n"
                             % (self.kam.dir, self.kam.log_tail(80)))

    def phone(self, user, **kw):
        kw.setdefault("registrar", self.kam)
        return started(self, Baresip(user, **kw))

    def test_register_two_and_call_through_proxy(self):
        alice = self.phone("alice")
        bob = self.phone("bob")
        alice.wait_registered()
        bob.wait_registered()
        regs = self.kam.registrations()
        self.assertIn("alice", regs)
        self.assertIn("bob", regs)
        self.assertTrue(any(":%d" % alice.sip_port in c for c in regs["alice"]), regs)
        self.assertTrue(any(":%d" % bob.sip_port in c for c in regs["bob"]), regs)

        cap = started(self, SipCapture([self.kam.port, alice.sip_port, bob.sip_port]))
        alice.dial(self.kam.uri("bob"))
        alice.wait_for("CALL_ESTABLISHED", timeout=15)
        bob.wait_for("CALL_ESTABLISHED", timeout=15)
        sa = alice.wait_media(min_packets=50)
        sb = bob.wait_media(min_packets=50)
        for st in (sa, sb):
            for kind in ("audio", "video"):
                self.assertGreater(st[kind]["rx"]["sent"], 50, st)
        alice.hangup()
        self.assertIn("reset by user", alice.wait_closed())
        self.assertIn("reset by peer", bob.wait_closed())
        cap.stop()

        leg_a = cap.messages(port=alice.sip_port)
        cap.assert_order(["INVITE", "407", "ACK", "INVITE", "100", ("180", "183"), "200",
                          "ACK", "BYE", "200"], msgs=leg_a)
        leg_b = cap.messages(port=bob.sip_port)
        cap.assert_order(["INVITE", ("180", "183"), "200", "ACK", "BYE", "200"], msgs=leg_b)
        only_loopback(self, cap.messages())
        # record-routed: the BYE went through the proxy on both legs
        byes = [m for m in cap.messages() if m.label == "BYE"]
        self.assertEqual(len(byes), 2, cap.summary())

    def test_bob_hangs_up_and_tcp_registration(self):
        alice = self.phone("alice", transport="tcp")
        bob = self.phone("bob")
        alice.wait_registered()
        bob.wait_registered()
        contact = self.kam.registration_details()["alice"][0]
        self.assertTrue(contact["Socket"].startswith("tcp:"), contact)
        self.assertIn("transport=tcp", contact["Address"])
        # Kamailio opens a new TCP connection to alice's listening port
        cap = started(self, SipCapture([self.kam.port, alice.sip_port]))
        bob.dial(self.kam.uri("alice"))
        alice.wait_for("CALL_ESTABLISHED")
        bob.wait_for("CALL_ESTABLISHED")
        alice.wait_media()
        bob.hangup()
        self.assertIn("reset by peer", alice.wait_closed())
        cap.stop()
        tcp_invites = [m for m in cap.messages() if m.label == "INVITE"
                       and m.transport == "tcp"]
        self.assertTrue(tcp_invites, cap.summary())

    def test_wrong_password_does_not_register(self):
        carol = self.phone("carol", password="wrong-password")
        self.assertFalse(carol.wait_registration())
        fail = carol.find_events("REGISTER_FAIL")
        if fail:
            self.assertIn("401", fail[-1]["param"])
        time.sleep(0.5)
        self.assertNotIn("carol", self.kam.registrations())

    def test_unknown_user_gets_404(self):
        alice = self.phone("alice")
        alice.wait_registered()
        cap = started(self, SipCapture([self.kam.port]))
        alice.dial(self.kam.uri("nobody"))
        self.assertIn("404", alice.wait_closed())
        mark = alice.mark()
        alice.dial(self.kam.uri("dave"))  # a known user, but not registered
        self.assertIn("404", alice.wait_closed(since=mark))
        cap.stop()
        self.assertIn("404", cap.labels(port=self.kam.port), cap.summary())

    def test_short_expiry_is_refreshed(self):
        dave = self.phone("dave", regint=10)
        dave.wait_registered()
        det = self.kam.registration_details()["dave"]
        self.assertLessEqual(int(det[0]["Expires"]), 10, det)
        time.sleep(12)
        self.assertIn("dave", self.kam.registrations(),
                      "registration expired instead of being refreshed")
        self.assertGreaterEqual(self.kam.log_text().count("REQ REGISTER"), 4)

    def test_manual_answer_and_busy_reject(self):
        alice = self.phone("alice")
        bob = self.phone("bob", answermode="manual")
        alice.wait_registered()
        bob.wait_registered()
        alice.dial(self.kam.uri("bob"))
        bob.wait_for("CALL_INCOMING")
        alice.wait_for("CALL_RINGING")
        bob.answer()
        alice.wait_for("CALL_ESTABLISHED")
        alice.wait_media()
        alice.hangup()
        bob.wait_closed()
        alice.wait_closed()
        mark_a, mark_b = alice.mark(), bob.mark()
        alice.dial(self.kam.uri("bob"))
        bob.wait_for("CALL_INCOMING", since=mark_b)
        bob.hangup()  # reject a ringing call
        reason = alice.wait_closed(since=mark_a)
        self.assertRegex(reason, r"^4\d\d|^6\d\d", reason)


class DirectCodecTest(unittest.TestCase):
    """baresip to baresip without a proxy, with restricted codecs."""

    def call(self, a_kw, b_kw, kinds):
        a = started(self, Baresip("alice", **a_kw))
        b = started(self, Baresip("bob", **b_kw))
        cap = started(self, SipCapture([a.sip_port, b.sip_port]))
        a.dial(b.contact_uri)
        a.wait_for("CALL_ESTABLISHED")
        b.wait_for("CALL_ESTABLISHED")
        sa = a.wait_media(kinds=kinds, min_packets=20)
        sb = b.wait_media(kinds=kinds, min_packets=20)
        a.hangup()
        a.wait_closed()
        b.wait_closed()
        cap.stop()
        answer = [m for m in cap.messages() if m.label == "200" and m.method == "INVITE"]
        self.assertTrue(answer, cap.summary())
        cap.assert_order(["INVITE", ("180", "183"), "200", "ACK", "BYE", "200"])
        only_loopback(self, cap.messages())
        return sa, sb, answer[0].sdp_media

    def test_pcmu_only_audio_only(self):
        sa, sb, media = self.call({"audio_codecs": ["PCMU"], "video_codecs": []},
                                  {"video_codecs": []}, ["audio"])
        self.assertEqual(len(media), 1, media)
        self.assertRegex(media[0], r"^audio \d+ RTP/AVP 0( 101)?$")
        self.assertNotIn("video", sa)

    def test_h264_only(self):
        sa, sb, media = self.call({"video_codecs": ["H264"]}, {}, ["audio", "video"])
        video = [m for m in media if m.startswith("video")]
        self.assertEqual(len(video), 1, media)
        self.assertGreater(sb["video"]["rx"]["sent"], 20)


class PulseTest(unittest.TestCase):
    def test_null_sink_hears_a_tone(self):
        pa = started(self, PulseAudio())
        self.assertLess(pa.monitor_rms(0.3), 1.0)
        wav = os.path.join(pa.dir, "tone.wav")
        with wave.open(wav, "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(48000)
            w.writeframes(array.array("h", [
                int(8000 * math.sin(2 * math.pi * 440 * i / 48000))
                for i in range(48000 * 3) for _ in (0, 1)]).tobytes())
        paplay = shutil.which("paplay")
        self.assertTrue(paplay, "paplay missing: install pulseaudio-utils")
        p = subprocess.Popen([paplay, wav], env=pa.env())
        self.addCleanup(lambda: p.poll() is None and p.kill())
        deadline = time.monotonic() + 10
        while not pa.sink_inputs() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.1)
        self.assertTrue(pa.sink_inputs(), "paplay never reached the null sink")
        rms = pa.monitor_rms(0.5)
        p.wait(10)
        self.assertGreater(rms, 1000)


if __name__ == "__main__":
    unittest.main()
