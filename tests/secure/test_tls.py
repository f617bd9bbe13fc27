# SPDX-License-Identifier: GPL-3.0-or-later
"""SIP over TLS (issue 10 step 1) against Kamailio's TLS listeners.

One Kamailio with four TLS ports, each with its own certificate from a test
CA made with `openssl` (tests/fixtures/tlscerts.py): a good one (signed by
the test CA, names 127.0.0.1), an expired one, one for another host name and
a self-signed one. The phone trusts the system CAs and, with
`--tls-ca testca.pem`, the test CA; `--tls-trust SHA256` pins a certificate.

A pinned certificate stands in for a trusted issuer only: its dates and
names are still checked, so an expired certificate stays refused when pinned.

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
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.tlscerts import TestCA  # noqa: E402

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
        cls.kam = Kamailio(tls=[(cls.tls_ports[n], cls.certs[n])
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
        # started together: each waits on its own server
        cases = [
            (self.phone("bob"), "unknown-issuer"),              # the test CA is not trusted by default
            (self.phone("alice", "expired", ca), "expired"),
            # pinning answers who vouches for a certificate, not whether it is still valid
            (self.phone("bob", "expired", ca + ["--tls-trust", self.certs["expired"].fingerprint]),
             "expired"),
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
        log = self.kam.log_text()
        for name in ("expired", "wrong"):
            self.assertFalse("REQ REGISTER sip:127.0.0.1:%d;" % self.tls_ports[name] in log,
                             "a REGISTER reached the server with the %s certificate" % name)

    def test_pinned_self_signed_certificate_registers(self):
        pinned = self.phone("carol", "self", ["--tls-trust", self.certs["self"].fingerprint])
        pinned.wait_registration("registered")
        self.kam.wait_registered("carol")

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
        payload = subprocess.run(["tshark", "-r", cap.pcap, "-T", "fields", "-e", "tcp.payload"],
                                 capture_output=True, text=True, timeout=60).stdout
        data = b"".join(bytes.fromhex(h.replace(":", "")) for h in payload.split() if h)
        self.assertGreater(len(data), 2000, "no traffic captured on the TLS port")
        for clear in (b"SIP/2.0", b"INVITE sip:", b"REGISTER sip:", b"m=audio"):
            self.assertNotIn(clear, data, "SIP in clear on the TLS port")
        records = subprocess.run(["tshark", "-r", cap.pcap, "-d", "tcp.port==%d,tls" % tls_port,
                                  "-Y", "tls.app_data", "-T", "fields",
                                  "-e", "frame.number"],
                                 capture_output=True, text=True, timeout=60).stdout.split()
        self.assertGreater(len(records), 8, "no TLS application data on the TLS port")

    def test_call_to_baresip_over_tls(self):
        tls_port = self.tls_ports["good"]
        # baresip's own TLS certificate (Kamailio connects to it, unverified) and
        # the test CA for Kamailio's
        own = os.path.join(self.ca.dir, "baresip-own.pem")
        with open(own, "w") as f:
            f.write(open(self.certs["good"].cert).read() + open(self.certs["good"].key).read())
        bob = Baresip("dave", registrar=self.kam, transport="tls", registrar_port=tls_port,
                      video_codecs=[], extra_config={"sip_certificate": own,
                                                     "sip_cafile": self.ca.cert})
        self.addCleanup(bob.stop)
        bob.start()
        bob.wait_registered()
        alice = self.phone("alice", extra=["--tls-ca", self.ca.cert, "--call",
                                           self.kam.tls_uri("dave"), "--hangup-after", "3",
                                           "--exit-after-call"])
        alice.wait_call("active")
        alice.wait_media(audio_packets=50, video_frames=0)
        bob.wait_media(kinds=["audio"], min_packets=50)
        self.assertEqual(alice.wait_exit(), 0, alice.describe())
        log = self.kam.log_text()
        self.assertIn("REQ INVITE %s from 127.0.0.1:" % self.kam.tls_uri("dave"), log)
        self.assertRegex(log, r"REPLY 200 \w+ for INVITE from 127\.0\.0\.1:\d+/tls",
                         "\n".join(l for l in log.splitlines() if "INVITE" in l))


if __name__ == "__main__":
    unittest.main()
