"""Secure suite, SRTP (issue 10 step 2): DTLS-SRTP and SDES between two of
our phones and with baresip, the encryption policy, and what is on the wire.

The wire checks send PCMU silence (every payload byte 0xFF in clear RTP):
dumpcap on lo records the call, tshark reads the media ports' payloads
back, and no packet may carry that pattern when the call is encrypted (a
plain call, the control, does).

SDES puts keys in the SDP, so the phone offers it only over TLS signalling;
until SIP over TLS is in, these tests use the test-only switch
MTAVIP_TEST_SDES_OVER_PLAIN=1 to try SDES between two CLIs on plain UDP.

Needs MTAVIP_CLI=<builddir>/src/cli/mtavip-cli (meson test --suite secure
sets it).
"""

import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from wire import clear_pattern, media_ports, payloads  # noqa: E402

SILENCE = ["--audio-codecs", "PCMU", "--audio-source", "audiotestsrc wave=silence is-live=true"]
NOT_ENCRYPTED = "The other phone does not support encrypted calls"
KEY_MISMATCH = "The other phone’s encryption key did not match: the call was ended"


def started(test, fixture):
    test.addCleanup(fixture.stop)
    fixture.start()
    return fixture


def dtls_records(cap, port):
    r = subprocess.run([cap.tshark, "-r", cap.pcap, "-d", "udp.port==%d,dtls" % port,
                        "-Y", "udp.port==%d && dtls.handshake.type" % port,
                        "-T", "fields", "-e", "dtls.handshake.type"],
                       capture_output=True, text=True, timeout=60)
    return re.split(r"[\s,]+", r.stdout.strip())


class SrtpCase(unittest.TestCase):
    def setUp(self):
        cli_path()
        self._clis = []
        self.addCleanup(self._report)

    def _report(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None:
            return
        if any(t is self for t, _ in list(result.failures) + list(result.errors)):
            for c in self._clis:
                sys.stderr.write("\n--- %s ---\n" % c.describe())

    def cli(self, extra, video=False, name=None):
        c = CliPhone(account=None, extra=extra, video=video,
                     name=name or "cli-%d" % len(self._clis))
        self._clis.append(c)
        return c

    def start(self, cli, env=None, listener=False):
        saved = {}
        for k, v in (env or {}).items():
            saved[k] = os.environ.get(k)
            os.environ[k] = v
        try:
            started(self, cli)
            if listener:
                # the listener is up when its port answers TCP
                ports.wait_tcp(cli.listen_port, proc=cli.proc.proc)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return cli

    def two_clis(self, a_extra, b_extra, video=False, env=None, seconds=5, capture=True,
                 rtp=True):
        """b auto-answers, a calls b and hangs up after `seconds`; capture
        their SIP, and everything UDP on lo (rtp) for the wire checks"""
        b = self.cli(["--auto-answer", "--exit-after-call"] + b_extra, video=video, name="cli-b")
        a = self.cli(["--call", "sip:b@127.0.0.1:%d" % b.listen_port, "--exit-after-call",
                      "--hangup-after", str(seconds)] + a_extra, video=video, name="cli-a")
        cap = None
        if capture:
            cap = started(self, SipCapture([a.listen_port, b.listen_port],
                                           extra_filter="udp" if rtp else None))
        self.start(b, env, listener=True)
        self.start(a, env)
        return a, b, cap

    def assert_media_both_ways(self, a, b, srtp, video=False, suite=None):
        for c in (a, b):
            c.wait_call("active", timeout=20)
            e = c.wait_media(audio_packets=50, video_frames=10 if video else 0, timeout=30)
            self.assertEqual(e["audio"]["srtp"], srtp, e)
            self.assertEqual(e["audio"].get("srtp_suite"), suite, e)
            if video:
                self.assertEqual(e["video"]["srtp"], srtp, e)
        for c in (a, b):
            self.assertEqual(c.wait_exit(timeout=30), 0, c.describe())


class DtlsBetweenClisTest(SrtpCase):
    def test_dtls_srtp_media_both_ways_and_nothing_in_clear(self):
        a, b, cap = self.two_clis(["--encryption", "optional"] + SILENCE,
                                  ["--encryption", "optional"] + SILENCE, video=True)
        self.assert_media_both_ways(a, b, "dtls", video=True)
        cap.stop()
        offer = [m for m in cap.messages() if m.label == "INVITE"]
        self.assertTrue(offer, cap.summary())
        rtp_ports = media_ports(cap, (a.listen_port, b.listen_port))
        self.assertEqual(len(rtp_ports), 4, rtp_ports)    # audio and video, each side
        sent_by = payloads(cap, rtp_ports)
        for port in rtp_ports:
            sent = sent_by[port]
            self.assertGreater(len(sent), 20, "port %d sent nothing" % port)
            self.assertEqual(clear_pattern(sent), [], "clear RTP from port %d" % port)
        # the handshake is on the wire: ClientHello (1) and ServerHello (2)
        records = dtls_records(cap, rtp_ports[0])
        self.assertIn("1", records, records)
        self.assertIn("2", records, records)

    def test_dtls_srtp_over_ice_with_rtcp_mux(self):
        a, b, cap = self.two_clis(["--encryption", "optional", "--ice"],
                                  ["--encryption", "mandatory", "--ice"], seconds=3,
                                  capture=False)
        self.assert_media_both_ways(a, b, "dtls")
        for c in (a, b):
            audio = c.last_media()["audio"]
            self.assertEqual(audio["ice"]["state"], "connected", audio)

    def test_fingerprint_mismatch_ends_the_call(self):
        """b's SDP names a certificate it does not have (test-only switch):
        a sees another certificate in the handshake, ends the call with BYE
        and says why, within a few seconds instead of at the media timeout"""
        b = self.cli(["--auto-answer", "--exit-after-call", "--encryption", "optional"],
                     name="cli-b")
        a = self.cli(["--call", "sip:b@127.0.0.1:%d" % b.listen_port, "--exit-after-call",
                      "--hangup-after", "20", "--media-timeout", "0",
                      "--encryption", "optional"], name="cli-a")
        self.start(b, {"MTAVIP_TEST_WRONG_DTLS_FINGERPRINT": "1"}, listener=True)
        self.start(a)
        a.wait_call("active", timeout=20)
        e = a.wait_call("ended", timeout=8)
        self.assertEqual((e.get("reason"), e.get("message")), ("encryption-failed", KEY_MISMATCH), e)
        self.assertEqual(b.wait_call("ended", timeout=10).get("reason"), "remote-hangup",
                         b.describe())

    def test_plain_call_shows_the_pattern(self):
        """the control: without encryption the silence is there to be seen"""
        a, b, cap = self.two_clis(["--encryption", "none"] + SILENCE,
                                  ["--encryption", "optional"] + SILENCE, seconds=2)
        self.assert_media_both_ways(a, b, None)
        cap.stop()
        port = media_ports(cap, (a.listen_port, b.listen_port))[0]
        self.assertGreater(len(clear_pattern(payloads(cap, [port])[port])), 20)


class SdesBetweenClisTest(SrtpCase):
    TEST_ONLY = {"MTAVIP_TEST_SDES_OVER_PLAIN": "1"}

    def sdes_call(self, suite, offered=None):
        """a SDES call between two CLIs, each offering only `offered`
        (test-only MTAVIP_TEST_SRTP_SUITES; None: all); the agreed `suite`
        decrypts both ways and nothing is in clear"""
        env = dict(self.TEST_ONLY)
        if offered:
            env["MTAVIP_TEST_SRTP_SUITES"] = offered
        a, b, cap = self.two_clis(["--encryption", "mandatory", "--no-dtls"] + SILENCE,
                                  ["--encryption", "optional"] + SILENCE, env=env,
                                  seconds=3)
        self.assert_media_both_ways(a, b, "sdes", suite=suite)
        cap.stop()
        # the offer and the answer (either is enough when a loaded machine's
        # capture lost one)
        sdp = subprocess.run([cap.tshark, "-r", cap.pcap, "-Y",
                              "sdp && udp.port==%d" % b.listen_port,
                              "-T", "fields", "-e", "sdp.media", "-e", "sdp.media_attr"],
                             capture_output=True, text=True).stdout
        self.assertIn("RTP/SAVP", sdp)
        if offered:
            self.assertEqual(set(re.findall(r"crypto:\d+ (\w+)", sdp)), {offered}, sdp)
        rtp_ports = media_ports(cap, (a.listen_port, b.listen_port))
        sent_by = payloads(cap, rtp_ports)
        for port in rtp_ports:
            sent = sent_by[port]
            self.assertGreater(len(sent), 20, "port %d sent nothing" % port)
            self.assertEqual(clear_pattern(sent), [], "clear RTP from port %d" % port)

    def test_sdes_media_both_ways_and_nothing_in_clear(self):
        self.sdes_call("AES_CM_128_HMAC_SHA1_80")

    def test_sdes_hmac_sha1_32_call(self):
        self.sdes_call("AES_CM_128_HMAC_SHA1_32", offered="AES_CM_128_HMAC_SHA1_32")

    def test_sdes_aead_aes_128_gcm_call(self):
        self.sdes_call("AEAD_AES_128_GCM", offered="AEAD_AES_128_GCM")


class MandatoryTest(SrtpCase):
    def test_mandatory_refuses_a_plain_offer_with_488(self):
        a, b, cap = self.two_clis(["--encryption", "none"], ["--encryption", "mandatory"],
                                  rtp=False)
        a.wait_exit(timeout=20)
        b.wait_exit(timeout=20)
        cap.stop()
        self.assertEqual(b.end_reason(), "not-encrypted", b.describe())
        self.assertIn("488", [m.label for m in cap.messages()], cap.summary())
        warning = subprocess.run([cap.tshark, "-r", cap.pcap, "-Y", "sip.Status-Code==488",
                                  "-T", "fields", "-e", "sip.Warning"],
                                 capture_output=True, text=True).stdout
        self.assertIn(NOT_ENCRYPTED, warning)
        self.assertEqual(a.end_reason(), "no-common-codec", a.describe())

    def test_mandatory_call_to_a_plain_phone_ends_not_encrypted(self):
        """baresip without SRTP refuses our UDP/TLS/RTP/SAVP offer (488)"""
        bob = Baresip("bob", video_codecs=[], audio_codecs=["PCMU"])
        started(self, bob)
        a = self.cli(["--call", bob.contact_uri, "--exit-after-call", "--encryption", "mandatory",
                      "--audio-codecs", "PCMU"])
        self.start(a)
        a.wait_exit(timeout=20)
        self.assertEqual(a.end_reason(), "not-encrypted", a.describe())


class DtlsBaresipTest(SrtpCase):
    """baresip's dtls_srtp module (mediaenc=dtls_srtp), both ways: each side
    decodes the other's audio, baresip checked our fingerprint"""

    def baresip(self):
        bob = Baresip("bob", video_codecs=[], mediaenc="dtls_srtp", record_audio=True)
        return started(self, bob)

    def assert_encrypted_both_ways(self, a, bob):
        a.wait_call("active", timeout=20)
        e = a.wait_media(audio_packets=50, timeout=30)
        self.assertEqual(e["audio"]["srtp"], "dtls", e)
        self.assertEqual(a.wait_exit(timeout=30), 0, a.describe())
        bob.wait_closed()
        log = bob.log_text()
        self.assertIn("verified sha-256 fingerprint OK", log)
        self.assertIn("DTLS-SRTP complete (audio/RTP)", log)
        path, secs, rms = bob.decoded_audio()[-1]
        self.assertGreater(secs, 1.0, (path, secs))
        self.assertGreater(rms, 100.0, "baresip decoded silence from us")

    def test_we_call_baresip_with_dtls(self):
        bob = self.baresip()
        a = self.cli(["--call", bob.contact_uri, "--exit-after-call", "--hangup-after", "4",
                      "--encryption", "mandatory"])
        self.start(a)
        self.assert_encrypted_both_ways(a, bob)

    def test_baresip_calls_us_with_dtls(self):
        bob = self.baresip()
        a = self.cli(["--auto-answer", "--exit-after-call", "--hangup-after", "4",
                      "--encryption", "optional"])
        self.start(a, listener=True)
        bob.dial("sip:alice@127.0.0.1:%d" % a.listen_port)
        self.assert_encrypted_both_ways(a, bob)


if __name__ == "__main__":
    unittest.main()
