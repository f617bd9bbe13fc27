"""DTMF between two mtavip-cli phones on loopback (issue 12, item 1).

RFC 4733 telephone-event in the audio RTP stream when both sides have it,
checked on the wire (payload type, one marker, duration, three end packets);
SIP INFO (application/dtmf-relay) when the far end offers no
telephone-event. Each phone reports every digit as a JSON line
{"event":"dtmf","id":..,"digit":..,"direction":"in"|"out","method":..}.
"""

import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402

ALL_DIGITS = "0123456789*#ABCD"
# what the phone sends: 160 ms per digit (mt-call.c DTMF_TONE_MS)
TONE_MS = 160


def phone(name, extra=()):
    return CliPhone(account=None, video=False, name=name, extra=list(extra))


def uri_of(p):
    return "sip:%s@127.0.0.1:%d" % (p.name, p.listen_port)


def digits(p, direction, method=None):
    return "".join(e["digit"] for e in p.events
                   if e.get("event") == "dtmf" and e.get("direction") == direction
                   and (method is None or e.get("method") == method))


def audio_port(msg):
    for m in msg.sdp_media:
        found = re.match(r"audio (\d+) ", m)
        if found:
            return int(found.group(1))
    raise AssertionError("no audio m= line in %s" % (msg,))


def telephone_events(pcap, src_port):
    """(marker, timestamp, event, end, duration) of each telephone-event
    packet sent from `src_port`, in capture order."""
    r = subprocess.run(["tshark", "-r", pcap, "-d", "udp.port==%d,rtp" % src_port,
                        "-Y", "udp.srcport==%d && rtpevent" % src_port, "-T", "fields",
                        "-e", "rtp.marker", "-e", "rtp.timestamp", "-e", "rtpevent.event_id",
                        "-e", "rtpevent.end_of_event", "-e", "rtpevent.duration",
                        "-e", "rtp.p_type"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=True)
    out = []
    for line in r.stdout.decode().splitlines():
        marker, ts, event, end, duration, pt = line.split("\t")
        out.append((marker in ("1", "True"), int(ts), int(event), end in ("1", "True"),
                    int(duration), int(pt)))
    return out


class DtmfTest(unittest.TestCase):
    def setUp(self):
        cli_path()
        self.phones = []

    def tearDown(self):
        for p in self.phones:
            p.stop()

    def start(self, p, listener=True):
        self.phones.append(p)
        p.start()
        if listener:
            ports.wait_tcp(p.listen_port, proc=p.proc.proc)
        return p

    def call(self, a_extra, b_extra, capture=False):
        b = self.start(phone("bob", ["--auto-answer", "--exit-after-call"] + b_extra))
        cap = None
        if capture:
            # SIP for the SDP ports, and every UDP packet (RTP) on loopback
            cap = SipCapture([b.listen_port], extra_filter="udp")
            self.addCleanup(cap.stop)
            cap.start()
        # 16 digits at 280 ms each end about 5.5 s into the call: 8 s leaves
        # the last one's three end packets room on a loaded machine (at 6 s
        # the hang-up cut one off)
        a = self.start(phone("alice", ["--exit-after-call", "--call", uri_of(b),
                                       "--hangup-after", "8"] + a_extra), False)
        self.assertEqual(a.wait_exit(timeout=40), 0, a.describe())
        self.assertEqual(b.wait_exit(), 0, b.describe())
        return a, b, cap

    def test_rfc4733_both_ways(self):
        a, b, cap = self.call(["--dtmf", ALL_DIGITS], ["--dtmf", "9#", "--dtmf-after", "2"],
                              capture=True)
        self.assertEqual(digits(a, "out", "rfc4733"), ALL_DIGITS, a.describe())
        self.assertEqual(digits(b, "in", "rfc4733"), ALL_DIGITS, b.describe())
        self.assertEqual(digits(b, "out", "rfc4733"), "9#", b.describe())
        self.assertEqual(digits(a, "in", "rfc4733"), "9#", a.describe())
        for e in a.events + b.events:
            if e.get("event") == "dtmf":
                self.assertEqual(e["id"], "1", e)

        # on the wire: alice's audio port from her INVITE's SDP (other
        # phones may be busy on loopback: only her INVITE to bob counts)
        cap.stop()
        invite = [m for m in cap.messages(dst_port=b.listen_port) if m.label == "INVITE"][0]
        packets = telephone_events(cap.pcap, audio_port(invite))
        events = {}
        for marker, ts, event, end, duration, pt in packets:
            events.setdefault(ts, []).append((marker, event, end, duration, pt))
        self.assertEqual(len(events), len(ALL_DIGITS), packets)
        for (ts, pkts), digit in zip(sorted(events.items()), ALL_DIGITS):
            self.assertEqual({p[1] for p in pkts}, {ALL_DIGITS.index(digit)}, pkts)
            # payload type 100, 48000 Hz: our offer has telephone-event at
            # Opus's rate, the answer agreed (RFC 4733 7.1.1)
            self.assertEqual({p[4] for p in pkts}, {100}, pkts)
            # one marker, on the first packet
            self.assertEqual([p[0] for p in pkts], [True] + [False] * (len(pkts) - 1), pkts)
            # durations grow, then the end three times with the tone's length
            ends = [p for p in pkts if p[2]]
            self.assertEqual(len(ends), 3, pkts)
            self.assertEqual(pkts[-3:], ends, pkts)
            self.assertEqual({p[3] for p in ends}, {TONE_MS * 48}, pkts)
            durations = [p[3] for p in pkts[:-3]]
            self.assertEqual(durations, sorted(durations), pkts)
        # the audio went on around the digits
        self.assertGreater(a.last_media()["audio"]["tx_packets"], 200, a.describe())
        self.assertGreater(b.last_media()["audio"]["decoded"], 100, b.describe())

    def test_info_when_peer_has_no_telephone_event(self):
        a, b, _ = self.call(["--dtmf", "1*D"],
                            ["--no-telephone-event", "--dtmf", "5", "--dtmf-after", "2"])
        self.assertEqual(digits(a, "out", "info"), "1*D", a.describe())
        self.assertEqual(digits(b, "in", "info"), "1*D", b.describe())
        self.assertEqual(digits(b, "out", "info"), "5", b.describe())
        self.assertEqual(digits(a, "in", "info"), "5", a.describe())
        self.assertEqual(digits(a, "out", "rfc4733") + digits(b, "in", "rfc4733"), "")

    def test_bad_dtmf_digits(self):
        for bad in (["--dtmf", "12E"], ["--dtmf", ""], ["--dtmf", "1", "--dtmf-after", "-1"]):
            r = subprocess.run([cli_path(), "--listen", "127.0.0.1:%d" % ports.free_port()] + bad,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertIn("dtmf", r.stderr.decode(), bad)


if __name__ == "__main__":
    unittest.main()
