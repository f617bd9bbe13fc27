# SPDX-License-Identifier: GPL-3.0-or-later
"""SIP over TLS (issue 10 step 1) against Kamailio's TLS listeners.

One Kamailio with four TLS ports, each with its own certificate from a test
CA made with `openssl` (tests/fixtures/tlscerts.py): a good one (signed by
the test CA, names 127.0.0.1), an expired one, one for another host name and
a self-signed one. The phone trusts the system CAs and, with
`--tls-ca testca.pem`, the test CA; `--tls-trust SHA256` pins a certificate.

A pinned certificate is the user's decision to trust exactly that
certificate: once pinned, an expired, a wrong-name and a self-signed
certificate are each accepted, and any other certificate is refused.

Needs MTAVIP_CLI (meson test --suite secure sets it).
"""

import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.kamailio import USERS, Kamailio  # noqa: E402
from fixtures.tlscerts import TestCA  # noqa: E402
from wire import TONE, TONE_PERIOD, clear_pattern, payloads  # noqa: E402

SENTENCES = {
    "unknown-issuer": "The server’s certificate was not issued by an authority this computer trusts.",
    "expired": "The server’s certificate has expired.",
    "wrong-name": "The server’s certificate is for a different server name.",
    "not-pinned": "The server’s certificate is not the one trusted for this account.",
}
# ~1.5 s on a quiet machine (the 1 s a failed certificate waits for Sofia's
# own connection); a loaded 2-core machine starting several phones is slower
FAIL_WITHIN = 20.0


class TlsCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ca = TestCA()
        cls.certs = {
            "good": cls.ca.server("good"),
            "expired": cls.ca.server("expired", expired=True),
            "wrong": cls.ca.server("wrong", names=["wrong.example"]),
            "self": cls.ca.self_signed("self"),
        }
        cls.tls_ports = {name: ports.free_port() for name in cls.certs}
        # baresip (erin, frank) and us (grace) with SRTP: users of their own
        cls.kam = Kamailio(users=dict(USERS, erin="erin-secret", frank="frank-secret",
                                      grace="grace-secret"),
                           tls=[(cls.tls_ports[n], cls.certs[n])
                                for n in ("good", "expired", "wrong", "self")])
        cls.kam.start()

    @classmethod
    def tearDownClass(cls):
        cls.kam.stop()

    def setUp(self):
        cli_path()
        self.clis = []

    def tearDown(self):
        failed = False
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is not None:
            failed = any(t is self for t, _ in list(result.failures) + list(result.errors))
        for c in self.clis:
            if failed:
                sys.stderr.write("\n--- %s ---\n" % c.describe())
            c.stop()
        if failed:
            sys.stderr.write("\n--- kamailio ---\n%s\n" % self.kam.log_tail(40))

    def phone(self, user, server="good", extra=()):
        port = self.tls_ports[server]
        c = CliPhone(account=self.kam.tls_uri(user, port), password=self.kam.users[user],
                     registrar=self.kam.tls_proxy_uri(port), transport="tls",
                     name="%s-%s-%d" % (user, server, len(self.clis)), video=False,
                     extra=list(extra))
        self.clis.append(c)
        return c.start()

    def assert_tls_failed(self, cli, problem):
        e = cli.wait_registration("failed", timeout=FAIL_WITHIN)
        self.assertEqual(e.get("reason"), "tls-failed", e)
        self.assertEqual(e.get("tls"), problem, e)
        self.assertEqual(e.get("message"), SENTENCES[problem], e)
        self.assertNotIn("retry_in", e, "a certificate a person must fix is not retried")

    def assert_no_sip_in_clear(self, cap, tls_port):
        """the capture (stopped) of `tls_port` holds TLS records and no SIP text"""
        payload = subprocess.run([cap.tshark, "-r", cap.pcap, "-Y", "tcp.port==%d" % tls_port,
                                  "-T", "fields", "-e", "tcp.payload"],
                                 capture_output=True, text=True, timeout=60).stdout
        data = b"".join(bytes.fromhex(h.replace(":", "")) for h in payload.split() if h)
        self.assertGreater(len(data), 2000, "no traffic captured on the TLS port")
        for clear in (b"SIP/2.0", b"INVITE sip:", b"REGISTER sip:", b"m=audio", b"a=crypto"):
            self.assertNotIn(clear, data, "SIP in clear on the TLS port")
        records = subprocess.run([cap.tshark, "-r", cap.pcap, "-d", "tcp.port==%d,tls" % tls_port,
                                  "-Y", "tls.app_data", "-T", "fields",
                                  "-e", "frame.number"],
                                 capture_output=True, text=True, timeout=60).stdout.split()
        self.assertGreater(len(records), 8, "no TLS application data on the TLS port")

    def tls_baresip(self, user, **kwargs):
        """baresip registered over TLS at the good port: its own TLS certificate
        (Kamailio connects to it, unverified) and the test CA for Kamailio's"""
        own = os.path.join(self.ca.dir, "baresip-own.pem")
        with open(own, "w") as f:
            for part in (self.certs["good"].cert, self.certs["good"].key):
                with open(part) as p:
                    f.write(p.read())
        extra = {"sip_certificate": own, "sip_cafile": self.ca.cert}
        extra.update(kwargs.pop("extra_config", {}))
        bob = Baresip(user, registrar=self.kam, transport="tls",
                      registrar_port=self.tls_ports["good"], video_codecs=[],
                      extra_config=extra, **kwargs)
        self.addCleanup(bob.stop)
        bob.start()
        bob.wait_registered()
        return bob


class TlsTest(TlsCase):
    def test_register_over_tls_with_test_ca(self):
        cli = self.phone("alice", extra=["--tls-ca", self.ca.cert])
        cli.wait_registration("registered")
        contacts = self.kam.wait_registered("alice")
        self.assertTrue(any("transport=tls" in c for c in contacts), contacts)
        self.assertIn("REQ REGISTER sip:127.0.0.1:%d;transport=tls from 127.0.0.1:"
                      % self.tls_ports["good"], self.kam.log_text())

    def test_untrusted_certificates_fail_with_their_sentence(self):
        ca = ["--tls-ca", self.ca.cert]
        log_start = len(self.kam.log_text())    # other tests register there once pinned
        # started together: each waits on its own server
        cases = [
            (self.phone("bob"), "unknown-issuer"),              # the test CA is not trusted by default
            (self.phone("alice", "expired", ca), "expired"),
            # a pin for another certificate: refused, as nothing else is trusted
            (self.phone("bob", "expired", ca + ["--tls-trust", self.certs["wrong"].fingerprint]),
             "not-pinned"),
            (self.phone("alice", "wrong", ca), "wrong-name"),
            (self.phone("alice", "self", ca), "unknown-issuer"),
            (self.phone("bob", "self", ["--tls-trust", self.certs["good"].fingerprint]), "not-pinned"),
        ]
        # a call (direct, no account) to a server whose certificate names another host
        direct = CliPhone(account=None, transport="tls", name="direct-%d" % len(self.clis),
                          video=False, extra=["--tls-ca", self.ca.cert, "--exit-after-call", "--call",
                                              "sips:alice@127.0.0.1:%d" % self.tls_ports["wrong"]])
        self.clis.append(direct.start())
        for cli, problem in cases:
            self.assert_tls_failed(cli, problem)
        e = direct.wait_call("ended", timeout=FAIL_WITHIN)
        self.assertEqual((e.get("reason"), e.get("tls"), e.get("message")),
                         ("tls-failed", "wrong-name", SENTENCES["wrong-name"]), e)
        self.assertEqual(direct.wait_exit(), 1)
        # Sofia itself refused these servers: no REGISTER ever went to them
        log = self.kam.log_text()[log_start:]
        for name in ("expired", "wrong"):
            self.assertFalse("REQ REGISTER sip:127.0.0.1:%d;" % self.tls_ports[name] in log,
                             "a REGISTER reached the server with the %s certificate" % name)

    def test_pinned_self_signed_certificate_registers(self):
        pinned = self.phone("carol", "self", ["--tls-trust", self.certs["self"].fingerprint])
        pinned.wait_registration("registered")
        self.kam.wait_registered("carol")

    def test_pinned_expired_and_wrong_name_certificates_register_and_call(self):
        """each refused unpinned (test above); pinned, each registers and a
        call goes from the expired server's account to the wrong-name one's"""
        bob = self.phone("bob", "wrong", ["--tls-trust", self.certs["wrong"].fingerprint,
                                          "--auto-answer"])
        bob.wait_registration("registered")
        alice = self.phone("alice", "expired", ["--tls-trust", self.certs["expired"].fingerprint,
                                                "--call", self.kam.tls_uri("bob"),
                                                "--hangup-after", "2", "--exit-after-call"])
        alice.wait_call("active")
        alice.wait_media(audio_packets=30, video_frames=0)
        bob.wait_media(audio_packets=30, video_frames=0)
        self.assertEqual(alice.wait_exit(), 0, alice.describe())
        log = self.kam.log_text()
        for name in ("expired", "wrong"):
            self.assertIn("REQ REGISTER sip:127.0.0.1:%d;" % self.tls_ports[name], log)
        self.assertIn("REQ INVITE %s from 127.0.0.1:" % self.kam.tls_uri("bob"), log)

    def test_malformed_fingerprint_is_a_usage_error(self):
        r = subprocess.run([cli_path(), "--account", "sips:alice@127.0.0.1", "--tls-trust", "12:34"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("SHA-256", r.stderr)

    def test_call_over_tls_no_sip_in_clear(self):
        tls_port = self.tls_ports["good"]
        with SipCapture([tls_port]) as cap:
            bob = self.phone("bob", extra=["--tls-ca", self.ca.cert, "--auto-answer"])
            bob.wait_registration("registered")
            alice = self.phone("alice", extra=["--tls-ca", self.ca.cert, "--call", self.kam.tls_uri("bob"),
                                               "--hangup-after", "3", "--exit-after-call"])
            alice.wait_call("active")
            alice.wait_media(audio_packets=50, video_frames=0)
            bob.wait_media(audio_packets=50, video_frames=0)
            self.assertEqual(alice.wait_exit(), 0, alice.describe())
            self.assertEqual(alice.end_reason(), "local-hangup")
            bob.wait_call("ended")
        log = self.kam.log_text()
        self.assertIn("REQ INVITE %s from 127.0.0.1:" % self.kam.tls_uri("bob"), log)
        self.assertRegex(log, r"REPLY 200 OK for INVITE from 127\.0\.0\.1:\d+/tls")
        cap.stop()
        self.assert_no_sip_in_clear(cap, tls_port)

    def test_call_to_baresip_over_tls(self):
        bob = self.tls_baresip("dave")
        # baresip reports its RTP counts in RTCP about every 5 s: the call
        # lasts long enough for one report (3 s did not, on a loaded machine)
        alice = self.phone("alice", extra=["--tls-ca", self.ca.cert, "--call",
                                           self.kam.tls_uri("dave"), "--hangup-after", "8",
                                           "--exit-after-call"])
        alice.wait_call("active")
        alice.wait_media(audio_packets=50, video_frames=0)
        bob.wait_media(kinds=["audio"], min_packets=50)
        self.assertEqual(alice.wait_exit(), 0, alice.describe())
        log = self.kam.log_text()
        self.assertIn("REQ INVITE %s from 127.0.0.1:" % self.kam.tls_uri("dave"), log)
        self.assertRegex(log, r"REPLY 200 \w+ for INVITE from 127\.0\.0\.1:\d+/tls",
                         "\n".join(l for l in log.splitlines() if "INVITE" in l))

    def tone_call_with_baresip(self, user, mediaenc, encryption, baresip_calls=False):
        """our phone (TLS account, TONE) and baresip (TLS, PCMU, RTP on a port
        we chose) talk ~4 s: we call it, or it calls us (we answer as
        "grace"); dumpcap records the TLS port and baresip's RTP port.
        Returns (capture, what we sent to baresip's RTP port, our last media
        event, what baresip decoded)"""
        tls_port = self.tls_ports["good"]
        rtp = ports.free_port()                 # baresip's RTP (and RTCP +1)
        bob = self.tls_baresip(user, mediaenc=mediaenc, record_audio=True,
                               audio_codecs=["PCMU"],
                               extra_config={"rtp_ports": "%d-%d" % (rtp, rtp + 1)})
        ours = ["--tls-ca", self.ca.cert, "--hangup-after", "4", "--exit-after-call",
                "--encryption", encryption, "--no-dtls"] + TONE
        with SipCapture([tls_port], extra_filter="udp port %d" % rtp) as cap:
            if baresip_calls:
                us = self.phone("grace", extra=ours + ["--auto-answer"])
                us.wait_registration("registered")
                bob.dial(self.kam.tls_uri("grace", tls_port))
            else:
                # a plain sip: target: the account's TLS makes the call secure
                us = self.phone("alice", extra=ours + ["--call", self.kam.uri(user)])
            us.wait_call("active")
            e = us.wait_media(audio_packets=50, video_frames=0)
            self.assertEqual(us.wait_exit(), 0, us.describe())
            bob.wait_closed()
        cap.stop()
        self.assert_no_sip_in_clear(cap, tls_port)
        sent = payloads(cap, [rtp], field="udp.dstport")[rtp]
        self.assertGreater(len(sent), 50, "no RTP from us to baresip's port %d" % rtp)
        return cap, sent, e, bob.decoded_audio()[-1]

    def assert_sdes_nothing_in_clear(self, sent, media, decoded):
        self.assertEqual(media["audio"]["srtp"], "sdes", media)
        path, secs, rms = decoded               # baresip's recording of our tone
        self.assertGreater(secs, 1.0, (path, secs))
        self.assertGreater(rms, 100.0, "baresip decoded silence from us")
        self.assertEqual(clear_pattern(sent, TONE_PERIOD), [], "our tone in clear RTP")

    def test_sdes_call_to_baresip_nothing_in_clear(self):
        """SDES-SRTP (RFC 4568) with baresip's srtp module, the keys in SDP
        that only TLS carries"""
        cap, sent, media, decoded = self.tone_call_with_baresip("erin", "srtp-mand", "mandatory")
        self.assert_sdes_nothing_in_clear(sent, media, decoded)

    def test_sdes_call_from_baresip_nothing_in_clear(self):
        cap, sent, media, decoded = self.tone_call_with_baresip("frank", "srtp-mand", "mandatory",
                                                                baresip_calls=True)
        self.assert_sdes_nothing_in_clear(sent, media, decoded)

    def test_plain_media_over_tls_shows_the_tone(self):
        """the control: TLS hides SIP, not plain RTP, where the tone is seen"""
        cap, sent, media, decoded = self.tone_call_with_baresip("erin", None, "none")
        self.assertIsNone(media["audio"]["srtp"], media)
        self.assertGreater(len(clear_pattern(sent, TONE_PERIOD)), 0.9 * len(sent))

if __name__ == "__main__":
    unittest.main()
