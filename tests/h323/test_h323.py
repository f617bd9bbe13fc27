"""H.323 calls between two mtavip-cli phones on loopback (issue 13).

Each phone is `mtavip-cli --json --h323-listen 127.0.0.1:P` with test sources
and fake sinks. Every test that makes a call also captures the H.225.0
signalling with dumpcap and has tshark (an independent decoder) read it back:
the expected Q.931 messages in order, and no malformed packet, no expert
error.

The malformed-input case runs its callee as the ASan+UBSan mtavip-cli of
tests/fixtures/asan.py (built once per source state, shared with the hostile
suite): a memory error or undefined behaviour aborts it, and any sanitizer
report in its stderr (leaks included) fails the test.
"""

import os
import socket
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import asan, ports  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.process import require  # noqa: E402
from clirunner import CliPhone  # noqa: E402

# H.225.0 streams of the fuzz corpus (tests/fuzz/corpus-h225), each sent on a
# connection of its own: a Setup with 10,000 fastStart elements, Setups with
# garbage PER, lying lengths, cut short, an Alerting that carries a Setup
CORPUS_H225 = os.path.join(os.path.dirname(HERE), "fuzz", "corpus-h225")
MALFORMED_STREAMS = ("setup-10000-faststart.bin", "setup-garbage-per.bin",
                     "setup-length-lies.bin", "setup-truncated.bin",
                     "alerting-carrying-setup.bin", "empty-octets-at-end.bin")

Q931_NAMES = {"0x05": "Setup", "0x02": "CallProceeding", "0x01": "Alerting",
              "0x07": "Connect", "0x5a": "ReleaseComplete", "0x62": "Facility"}


class H225Capture(SipCapture):
    """dumpcap on lo for the H.323 signalling ports; tshark decodes them as
    TPKT -> Q.931 -> H.225.0."""

    def __init__(self, h323_ports):
        super().__init__(h323_ports)
        self.h323_ports = list(h323_ports)

    def _tshark(self, *args):
        self.stop()
        # Q.931 over TPKT is found by tshark's TCP heuristics on any port
        argv = [self.tshark, "-r", self.pcap]
        r = subprocess.run(argv + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise AssertionError("tshark failed: %s" % r.stderr.decode("utf-8", "replace"))
        return r.stdout.decode("utf-8", "replace")

    def q931(self):
        """(message name, src port, dst port, cause) in capture order"""
        out = []
        text = self._tshark("-Y", "q931", "-T", "fields", "-E", "occurrence=a",
                            "-e", "q931.message_type", "-e", "tcp.srcport",
                            "-e", "tcp.dstport", "-e", "q931.cause_value")
        for line in text.splitlines():
            cols = line.split("\t")
            for t in cols[0].split(","):
                out.append((Q931_NAMES.get(t, t), int(cols[1]), int(cols[2]), cols[3]))
        return out

    def problems(self):
        """packets tshark calls malformed or flags with an expert error"""
        return self._tshark("-Y", "_ws.malformed || _ws.expert.severity >= error").strip()

    def verbose(self):
        return self._tshark("-V")


def phone(name, extra, h323_port=None, video=True):
    args = list(extra)
    if h323_port:
        args += ["--h323-listen", "127.0.0.1:%d" % h323_port]
    p = CliPhone(account=None, name=name, video=video, extra=args)
    return p


class H323CallTest(unittest.TestCase):
    def setUp(self):
        require("dumpcap", "wireshark-common")
        self.phones = []

    def tearDown(self):
        for p in self.phones:
            p.stop()

    def start_callee(self, name, extra, video=True, binary=None):
        port = ports.free_port(span=1, even=False)
        p = phone(name, extra, h323_port=port, video=video)
        p.h323_port = port
        if binary:
            p.binary = binary
        self.phones.append(p)
        p.start()
        p.wait_event(lambda e: e.get("event") == "h323-listening", 30 if binary else 15,
                     "h323-listening")
        return p

    def start_caller(self, name, target, extra, video=True):
        p = phone(name, list(extra) + ["--call", target], video=video)
        self.phones.append(p)
        p.start()
        return p

    def assert_order(self, msgs, expected):
        names = [m[0] for m in msgs]
        i = 0
        for want in expected:
            while i < len(names) and names[i] != want:
                i += 1
            self.assertLess(i, len(names), "%s not in order in %s" % (expected, names))
            i += 1

    def assert_media_both_ways(self, p, codec="PCMU"):
        p.wait_media(audio_packets=50, video_frames=10, timeout=40)
        m = p.last_media()
        self.assertEqual(m["audio"]["codec"], codec, p.describe())
        self.assertGreater(m["audio"]["decoded"], 20, p.describe())
        self.assertEqual(m["video"]["codec"], "H264", p.describe())
        self.assertGreater(m["video"]["frames_decoded"], 10, p.describe())

    def call(self, hangup_side):
        codecs = ["--audio-codecs", "PCMU,PCMA", "--video-codecs", "H264"]
        b_extra = codecs + ["--auto-answer", "--exit-after-call"]
        a_extra = codecs + ["--exit-after-call"]
        if hangup_side == "caller":
            a_extra += ["--hangup-after", "6"]
        else:
            b_extra += ["--hangup-after", "6"]
        b = self.start_callee("bob", b_extra)
        with H225Capture([b.h323_port]) as cap:
            a = self.start_caller("alice", "h323:bob@127.0.0.1:%d" % b.h323_port, a_extra)
            a.wait_call("ringing", 20)
            b.wait_call("incoming", 20)
            a.wait_call("active", 20)
            b.wait_call("active", 20)
            self.assert_media_both_ways(a)
            self.assert_media_both_ways(b)
            self.assertEqual(a.wait_exit(40), 0, a.describe())
            self.assertEqual(b.wait_exit(40), 0, b.describe())
        first = [e for e in a.events if e.get("event") == "call"][0]
        self.assertEqual(first["protocol"], "h323")
        self.assertEqual(first["remote"], "h323:bob@127.0.0.1:%d" % b.h323_port)
        incoming = [e for e in b.events if e.get("event") == "call"][0]
        self.assertTrue(incoming["remote"].startswith("h323:"), incoming)
        if hangup_side == "caller":
            self.assertEqual(a.end_reason(), "local-hangup")
            self.assertEqual(b.end_reason(), "remote-hangup")
        else:
            self.assertEqual(a.end_reason(), "remote-hangup")
            self.assertEqual(b.end_reason(), "local-hangup")
        msgs = cap.q931()
        self.assert_order(msgs, ["Setup", "CallProceeding", "Alerting", "Connect",
                                 "ReleaseComplete"])
        release = [m for m in msgs if m[0] == "ReleaseComplete"][0]
        self.assertEqual(release[3], "16", msgs)          # normal call clearing
        from_caller = release[2] == b.h323_port
        self.assertEqual(from_caller, hangup_side == "caller", msgs)
        self.assertEqual(cap.problems(), "", "tshark found malformed packets")
        text = cap.verbose()
        for needle in ("fastStart: 4 items", "g711Ulaw64k: 20", "genericVideoCapability",
                       "0.0.8.241.0.0.1", "protocolIdentifier: 0.0.8.2250.0.4",
                       "h323-ID: bob", "h245Tunnelling: True"):
            self.assertTrue(needle in text, "tshark does not show %r" % needle)

    def test_call_hangup_by_caller(self):
        self.call("caller")

    def test_call_hangup_by_callee(self):
        self.call("callee")

    def test_no_fast_start_h245_tunnelled(self):
        """The callee ignores Fast Connect (MTAVIP_H323_FAST_START=0): the call
        still connects, media set up by tunnelled H.245 procedures."""
        codecs = ["--audio-codecs", "PCMU", "--video-codecs", "H264"]
        os.environ["MTAVIP_H323_FAST_START"] = "0"
        try:
            b = self.start_callee("bob", codecs + ["--auto-answer", "--exit-after-call"])
        finally:
            del os.environ["MTAVIP_H323_FAST_START"]
        with H225Capture([b.h323_port]) as cap:
            a = self.start_caller("alice", "h323:bob@127.0.0.1:%d" % b.h323_port,
                                  codecs + ["--exit-after-call", "--hangup-after", "6"])
            a.wait_call("active", 20)
            self.assert_media_both_ways(a)
            self.assert_media_both_ways(b)
            self.assertEqual(a.wait_exit(40), 0, a.describe())
            self.assertEqual(b.wait_exit(40), 0, b.describe())
        self.assertEqual(b.end_reason(), "remote-hangup")
        msgs = cap.q931()
        self.assert_order(msgs, ["Setup", "Alerting", "Connect", "Facility", "ReleaseComplete"])
        self.assertEqual(cap.problems(), "", "tshark found malformed packets")
        h245 = cap._tshark("-Y", "h245", "-T", "fields", "-e", "_ws.col.Info")
        for needle in ("terminalCapabilitySet", "masterSlaveDetermination",
                       "terminalCapabilitySetAck", "masterSlaveDeterminationAck",
                       "openLogicalChannel (g711U)",
                       "openLogicalChannel (genericVideoCapability)", "openLogicalChannelAck"):
            self.assertIn(needle, h245)
        text = cap.verbose()
        self.assertTrue("fastConnectRefused" in text, "no fastConnectRefused")

    def test_dtmf_both_ways(self):
        """Keys go as H.245 UserInputIndication (signal), tunnelled in Facility."""
        b = self.start_callee("bob", ["--auto-answer", "--exit-after-call", "--dtmf", "9#"],
                              video=False)
        with H225Capture([b.h323_port]) as cap:
            a = self.start_caller("alice", "h323:127.0.0.1:%d" % b.h323_port,
                                  ["--exit-after-call", "--hangup-after", "4", "--dtmf", "1*5"],
                                  video=False)
            self.assertEqual(a.wait_exit(30), 0, a.describe())
            self.assertEqual(b.wait_exit(30), 0, b.describe())
        def keys(p, direction):
            return [e["digit"] for e in p.events
                    if e.get("event") == "dtmf" and e.get("direction") == direction]
        got_b = keys(b, "in")
        got_a = keys(a, "in")
        self.assertEqual(keys(a, "out"), ["1", "*", "5"], a.describe())
        self.assertEqual({e.get("method") for e in a.events if e.get("event") == "dtmf"},
                         {"h323"}, a.describe())
        self.assertEqual(got_b, ["1", "*", "5"], b.describe())
        self.assertEqual(got_a, ["9", "#"], a.describe())
        self.assertEqual(cap.problems(), "", "tshark found malformed packets")
        h245 = cap._tshark("-Y", "h245", "-T", "fields", "-e", "h245.signalType")
        keys = [k for k in h245.replace(",", " ").split()]
        self.assertEqual(sorted(keys), sorted(["1", "*", "5", "9", "#"]), h245)

    def test_decline(self):
        b = self.start_callee("bob", ["--auto-decline", "--exit-after-call"], video=False)
        with H225Capture([b.h323_port]) as cap:
            a = self.start_caller("alice", "h323:127.0.0.1:%d" % b.h323_port,
                                  ["--exit-after-call"], video=False)
            self.assertEqual(a.wait_exit(30), 1, a.describe())
            self.assertEqual(b.wait_exit(30), 1, b.describe())
        self.assertEqual(a.end_reason(), "declined", a.describe())
        self.assertEqual(b.end_reason(), "declined", b.describe())
        self.assertNotIn("active", a.call_states())
        msgs = cap.q931()
        self.assert_order(msgs, ["Setup", "Alerting", "ReleaseComplete"])
        self.assertEqual([m[3] for m in msgs if m[0] == "ReleaseComplete"], ["21"])
        self.assertEqual(cap.problems(), "")

    def test_busy(self):
        # the first call must outlive the second's refusal, however slow the
        # machine (ASan builds): no media timeout here
        b = self.start_callee("bob", ["--auto-answer", "--media-timeout", "0"], video=False)
        a = self.start_caller("alice", "h323:127.0.0.1:%d" % b.h323_port,
                              ["--media-timeout", "0"], video=False)
        a.wait_call("active", 20)
        with H225Capture([b.h323_port]) as cap:
            c = self.start_caller("carol", "h323:127.0.0.1:%d" % b.h323_port,
                                  ["--exit-after-call"], video=False)
            self.assertEqual(c.wait_exit(30), 1, c.describe() + b.describe())
        self.assertEqual(c.end_reason(), "busy", c.describe())
        # the first call is untouched
        self.assertEqual(a.call_states()[-1], "active", a.describe())
        msgs = cap.q931()
        self.assertEqual([m[0] for m in msgs], ["Setup", "ReleaseComplete"], msgs)
        self.assertEqual(msgs[1][3], "17")
        self.assertEqual(cap.problems(), "")

    def test_no_common_codec(self):
        b = self.start_callee("bob", ["--auto-answer", "--audio-codecs", "G722"], video=False)
        a = self.start_caller("alice", "h323:127.0.0.1:%d" % b.h323_port,
                              ["--exit-after-call", "--audio-codecs", "PCMU"], video=False)
        self.assertEqual(a.wait_exit(30), 1, a.describe())
        self.assertEqual(a.end_reason(), "no-common-codec", a.describe())

    def test_unreachable(self):
        port = ports.free_port(span=1, even=False)   # nothing listens there
        a = self.start_caller("alice", "h323:127.0.0.1:%d" % port, ["--exit-after-call"],
                              video=False)
        self.assertEqual(a.wait_exit(30), 1, a.describe())
        self.assertEqual(a.end_reason(), "unreachable", a.describe())

    def send_and_wait(self, port, data):
        """`data` on a connection of its own; what comes back until the
        callee closes it (or 1.5 s of silence: an incomplete frame is
        waited for, not answered)."""
        got = b""
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(data)
            s.settimeout(1.5)
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
            except (socket.timeout, ConnectionResetError):
                pass
        return got

    def test_malformed_input(self):
        """Garbage, truncated TPKT, a lying length, bad PER, a Setup with
        10,000 fastStart elements, a flood of idle connections: the callee
        (the ASan+UBSan build) releases or closes, stays up, takes a real
        call afterwards, and exits with no sanitizer report."""
        cli = asan.build_cli()
        with asan.environment():
            b = self.start_callee("bob", ["--auto-answer", "--exit-after-call",
                                          "--audio-codecs", "PCMU"], video=False, binary=cli)
        garbage = [
            b"GET / HTTP/1.0\r\n\r\n",
            b"\x03\x00\x00",                                   # truncated header
            b"\x03\x00\x00\x08\x08\x02\x00\x01",              # shorter than it says
            b"\x03\x00\x00\x10\x08\x02\x00\x01\x05\x7e\x00\x05\x05\xff\xff\xff\xff\xff",
            b"\x03\x00\xff\xff" + b"\x08" * 200,               # 64K promised
        ]
        for name in MALFORMED_STREAMS:
            with open(os.path.join(CORPUS_H225, name), "rb") as f:
                garbage.append(f.read())
        for g in garbage:
            self.send_and_wait(b.h323_port, g)
            if not b.proc.alive():
                asan.assert_clean(self, b.log_path)     # the report says why
                self.fail("the callee died on %r...\n%s" % (g[:24], b.proc.log_tail(80)))
        # a flood of idle connections (more than the endpoint keeps): closed,
        # not kept open, and no crash
        idle = [socket.create_connection(("127.0.0.1", b.h323_port), timeout=5)
                for _ in range(48)]
        closed = 0
        for s in idle:
            s.settimeout(15)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except (socket.timeout, ConnectionResetError):
                pass
            s.close()
        self.assertGreaterEqual(closed, 16, "idle connections were kept open")
        a = self.start_caller("alice", "h323:127.0.0.1:%d" % b.h323_port,
                              ["--exit-after-call", "--hangup-after", "2",
                               "--audio-codecs", "PCMU"], video=False)
        a_status = a.wait_exit(30)
        b_status = b.wait_exit(30)
        asan.assert_clean(self, b.log_path)     # first: a report says why a call failed
        self.assertEqual(a_status, 0, a.describe())
        self.assertEqual(b_status, 0, b.describe())
        self.assertEqual(b.end_reason(), "remote-hangup")


if __name__ == "__main__":
    unittest.main()
