# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile input (issue 14, item 3): a listening `mtavip-cli --auto-answer`,
built by this suite with AddressSanitizer and UndefinedBehaviorSanitizer,
gets the RFC 4475 torture messages over UDP and TCP, INVITEs with malformed
SDP bodies and a flood of 200 INVITEs in 5 s.  After each message it must
still answer an OPTIONS; each message gets the outcome written in EXPECTED
(a status, or no answer at all where the RFC lets a parser drop it); a
normal call works after all of them; and the phone exits cleanly with no
sanitizer report (memory errors, undefined behaviour and leaks: LSan stays
on, with one suppression for GLib's constructor, see lsan.supp).

Everything runs in a network namespace of the test's own, so the messages'
Via addresses (192.0.2.x, example.com: answered at 127.0.0.1:5060 as RFC
3261 18.2.2 says) land on our socket there and nothing leaves the machine.
Needs root (network namespace), iproute2, meson, ninja.

The sanitized build is the one tests/fixtures/asan.py makes once per
source state in MTAVIP_ASAN_BUILD (meson sets <builddir>/tests/asan), shared
with the h323 suite; only its mtavip-cli target is built.
"""

import ctypes
import os
import random
import re
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "interop"))
sys.path.insert(0, os.path.join(TESTS, "soak"))

import sipwire  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures import asan  # noqa: E402
from fixtures.netns import NetNs  # noqa: E402
from procstat import ProcStat  # noqa: E402

PHONE_PORT = 5070          # inside our namespace: free
VIA_PORT = 5060            # where answers to the torture messages' Via go
RESPONSE_WAIT = 1.5        # seconds to collect answers to one message
# A message nothing comes back for: after QUIET_WAIT, an OPTIONS of ours is
# answered only once the phone's loop has read (and answered or dropped)
# everything sent before it; a provisional answer waits for the final one.
QUIET_WAIT = 0.5
PROBE_TIMEOUT = 10.0

# What the phone does with each RFC 4475 message, (over UDP, over TCP):
# the final status it answers with, or "none": no answer at all.  Sofia's
# transport layer drops a request whose top Via names another transport
# than the one it came on ("Via check: invalid transport") and a message it
# cannot parse ("received garbage"): each message goes over both, so the
# transport its Via names gets the whole way through.  Where no answer can
# reach us (a Via port we do not listen on) the outcome is "none" as well.
# Every one of them: the phone still answers OPTIONS after it.
NONE = "none"
LPC = "488"   # the SDP's "a=rtpmap:31 LPC" has no clock rate: 488 with a Warning
EXPECTED = {
    # 3.1.1 valid messages
    "wsinv": ("481", NONE),        # a To tag: a re-INVITE for no dialog of ours
    "intmeth": (NONE, NONE),       # NULs in a quoted string: Sofia drops it
    "esc01": (LPC, NONE),
    "escnull": ("405", NONE),      # REGISTER: we are no registrar
    "esc02": (NONE, "501"),        # RE%47IST%45R is an unknown method, not REGISTER
    "lwsdisp": ("200", NONE),
    "longreq": (NONE, LPC),
    "dblreq": (NONE, NONE),        # octets after the message: Sofia drops the datagram
    "semiuri": ("200", NONE),
    "transports": ("200", NONE),
    "mpart01": ("405", NONE),      # MESSAGE: not a method of ours
    "unreason": (NONE, NONE),      # responses to nothing we sent
    "noreason": (NONE, NONE),
    # 3.1.2 invalid messages: 400, or dropped
    "badinv01": (NONE, NONE),
    "clerr": ("400", NONE),        # over TCP the phone waits for the rest
    "ncl": ("400", "400"),
    "scalar02": (NONE, "400"),
    "scalarlg": (NONE, NONE),
    "quotbal": (NONE, "400"),      # over UDP its 400 goes to the Via's port 5050
    "ltgtruri": ("400", "400"),
    "lwsruri": (NONE, NONE),
    "lwsstart": (LPC, NONE),       # taken liberally, as the RFC allows
    "trws": (NONE, "200"),         # idem
    "escruri": (LPC, NONE),
    "baddate": (LPC, NONE),
    "regbadct": ("400", "400"),
    "badaspec": ("200", NONE),     # taken liberally
    "baddn": ("400", "400"),
    "badvers": (NONE, "505"),
    "mismatch01": ("400", "400"),
    "mismatch02": ("400", "400"),
    "bigcode": (NONE, NONE),
    # 3.2 transaction layer
    "badbranch": ("200", NONE),
    # 3.3 application layer
    "insuf": ("400", "400"),
    "unkscm": (NONE, "416"),
    "novelsc": (NONE, "416"),
    "unksm2": ("405", NONE),
    "bext01": (NONE, NONE),        # its Via says TLS
    "invut": ("415", NONE),        # not SDP: 415 with Accept: application/sdp
    "regaut01": (NONE, "405"),
    "multi01": ("400", NONE),      # over TCP its Content-Length is 2 octets too long
    "mcl01": ("400", "400"),
    "bcast": (NONE, NONE),
    "zeromf": ("200", NONE),       # Max-Forwards 0 for us: we are the target
    "cparam01": ("405", NONE),
    "cparam02": ("405", NONE),
    "regescrt": ("405", NONE),
    "sdp01": (LPC, NONE),
    # 3.4 backward compatibility
    "inv2543": ("200", "400"),     # UDP: a call (we ACK and BYE it); TCP: no Content-Length
}


# ---- the namespace ---------------------------------------------------------------------

def enter_netns(ns):
    """Move this thread (the main one: the children it starts follow) into `ns`."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open("/var/run/netns/" + ns.name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:      # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns")
    finally:
        os.close(fd)


def stacks(pid):
    """Every thread's stack of a process that hangs (when gdb is there)."""
    import shutil
    if not shutil.which("gdb"):
        return "(no gdb for the stacks)"
    r = subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 30"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return r.stdout.decode("utf-8", "replace")[-12000:]




# ---- raw SIP from our side ---------------------------------------------------------

def header(msg, *names):
    """The first value of a header (any of `names`, compact forms included)."""
    for name in names:
        m = re.search(rb"(?im)^" + re.escape(name.encode()) + rb"[ \t]*:[ \t]*(.*)$", msg)
        if m:
            return m.group(1).strip().decode("utf-8", "replace")
    return None


def branch():
    return "z9hG4bK%016x" % random.getrandbits(64)


def request(method, uri, call_id, cseq, from_, to, via_port, body=b"", ctype=None,
            extra=()):
    lines = ["%s %s SIP/2.0" % (method, uri),
             "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport" % (via_port, branch()),
             "Max-Forwards: 70",
             "From: %s" % from_, "To: %s" % to, "Call-ID: %s" % call_id,
             "CSeq: %d %s" % (cseq, method)] + list(extra)
    if ctype:
        lines.append("Content-Type: %s" % ctype)
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def in_dialog(resp, method, via_port, cseq=None):
    """ACK or BYE for the call a 200 OK to an INVITE set up."""
    contact = header(resp, "Contact", "m") or "<sip:127.0.0.1:%d>" % PHONE_PORT
    uri = re.search(r"<([^>]*)>", contact)
    uri = uri.group(1) if uri else contact.split(";")[0]
    number = int(header(resp, "CSeq").split()[0])
    return request(method, uri, header(resp, "Call-ID", "i"), cseq or number,
                   header(resp, "From", "f"), header(resp, "To", "t"), via_port)


def call_id_of(msg):
    return header(msg, "Call-ID", "i")


class Outcome:
    """What came back for one message of ours: the responses with its
    Call-ID (answers to earlier messages, retransmitted, are not ours)."""

    def __init__(self, sent, responses):
        cid = call_id_of(sent)
        self.responses = [r for r in responses if cid is None or call_id_of(r) == cid]
        self.codes = [sipwire.status_of(r) for r in self.responses]
        finals = [(c, r) for c, r in zip(self.codes, self.responses) if c and c >= 200]
        self.final = finals[0][0] if finals else None
        self.warning = header(finals[0][1], "Warning") if finals else None
        self.invite_finals = [r for c, r in finals
                              if (header(r, "CSeq") or "").endswith("INVITE")]
        self.answered = [r for r in self.invite_finals if sipwire.status_of(r) == 200]

    @property
    def value(self):
        return str(self.final) if self.final else NONE


def ack_for_failure(sent, resp):
    """The ACK of a non-2xx final answer: same Via (branch), To with its tag."""
    first = sent.split(b"\r\n", 1)[0].split(b" ")
    uri = first[1].decode("utf-8", "replace") if len(first) > 2 else "sip:x@127.0.0.1"
    vias = re.findall(rb"(?im)^(?:via|v)[ \t]*:[ \t]*(.*)$", resp)
    number = header(resp, "CSeq").split()[0]
    lines = ["ACK %s SIP/2.0" % uri] + ["Via: %s" % v.decode("utf-8", "replace").strip()
                                        for v in vias[:1]] + \
            ["Max-Forwards: 70", "From: %s" % header(resp, "From", "f"),
             "To: %s" % header(resp, "To", "t"), "Call-ID: %s" % call_id_of(resp),
             "CSeq: %s ACK" % number, "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# ---- the suite -----------------------------------------------------------------------

class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cli_path()   # fails (not skips) without MTAVIP_CLI
        t0 = time.monotonic()
        cls.asan_cli = asan.build_cli()
        print("hostile: ASan+UBSan mtavip-cli ready in %.0f s: %s"
              % (time.monotonic() - t0, cls.asan_cli), flush=True)
        cls.ns = NetNs().start()
        enter_netns(cls.ns)
        cls.peer = sipwire.UdpPeer(VIA_PORT)
        cls.tcp_sink = sipwire.TcpSink(VIA_PORT)
        cls.probe = sipwire.UdpPeer()
        with asan.environment():
            cls.phone = CliPhone(account=None, listen_port=PHONE_PORT, video=False,
                                 name="hostile-phone",
                                 extra=["--auto-answer", "--media-timeout", "20"] +
                                 (["--sip-trace"] if os.environ.get("MTAVIP_HOSTILE_TRACE") else []))
            cls.phone.binary = cls.asan_cli
            cls.phone.start()
        cls.stat = ProcStat(cls.phone.proc.pid)
        cls.results = {}
        cls.check_alive_once()

    @classmethod
    def tearDownClass(cls):
        cls.phone.stop()
        cls.peer.close()
        cls.tcp_sink.close()
        cls.probe.close()
        cls.ns.stop()

    # ---- helpers ---------------------------------------------------------------

    @classmethod
    def check_alive_once(cls):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if cls.options_probe(timeout=1.0):
                return
        raise AssertionError("the phone does not answer OPTIONS:\n" + cls.phone.describe())

    @classmethod
    def options_probe(cls, timeout=PROBE_TIMEOUT):
        """An OPTIONS of ours: True when it is answered 200."""
        cls.probe.drain()
        call_id = "probe.%x@127.0.0.1" % random.getrandbits(48)
        cls.probe.send(request("OPTIONS", "sip:phone@127.0.0.1:%d" % PHONE_PORT, call_id, 1,
                               "<sip:probe@127.0.0.1>;tag=%x" % random.getrandbits(32),
                               "<sip:phone@127.0.0.1>", cls.probe.port), PHONE_PORT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for data in cls.probe.recv_all(min(0.5, deadline - time.monotonic())):
                if call_id.encode() in data and sipwire.status_of(data) == 200:
                    return True
        return False

    def barrier(self):
        """Everything sent before now has been read by the phone."""
        if not self.options_probe():
            self.fail("the phone stopped answering OPTIONS\n" + self.phone.describe())

    def assert_alive(self, what):
        if not self.phone.proc.alive():
            self.fail("the phone died after %s (status %s)\n%s" % (
                what, self.phone.proc.returncode(), self.phone.proc.log_tail(60)))
        if not self.options_probe():
            self.fail("the phone stopped answering OPTIONS after %s\n%s\n%s"
                      % (what, self.phone.describe(), stacks(self.phone.proc.pid)))

    def end_calls(self, sent, outcome, mark):
        """ACK what an INVITE of ours got (a failure: hop by hop; a 200: and
        BYE the call); wait until the phone's calls started since `mark`
        have ended."""
        for resp in outcome.invite_finals:
            if resp in outcome.answered:
                self.peer.send(in_dialog(resp, "ACK", self.peer.port), PHONE_PORT)
                self.peer.send(in_dialog(resp, "BYE", self.peer.port,
                                         int(header(resp, "CSeq").split()[0]) + 1),
                               PHONE_PORT)
            else:
                self.peer.send(ack_for_failure(sent, resp), PHONE_PORT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            calls = {e["id"] for e in self.phone.events[mark:] if e.get("event") == "call"}
            ended = {e["id"] for e in self.phone.events[mark:]
                     if e.get("event") == "call" and e.get("state") == "ended"}
            if calls <= ended:
                return
            time.sleep(0.05)
        self.fail("the phone's calls did not end: %s" % self.phone.describe())

    def send_udp(self, data):
        """Over UDP; an answer may come back over TCP, where a Via says TCP."""
        self.peer.drain()
        self.tcp_sink.take()
        mark = len(self.phone.events)
        self.peer.send(data, PHONE_PORT)
        got = []
        start = time.monotonic()
        while time.monotonic() < start + RESPONSE_WAIT and not Outcome(data, got).final:
            got += self.peer.recv_all(0.05) + self.tcp_sink.take()
            if time.monotonic() > start + QUIET_WAIT and not Outcome(data, got).responses:
                self.barrier()
                break
        outcome = Outcome(data, got + self.peer.recv_all(0.05) + self.tcp_sink.take())
        self.end_calls(data, outcome, mark)
        return outcome

    def send_tcp(self, data):
        """Over TCP; an answer may come back over UDP too, where a Via says UDP."""
        self.peer.drain()
        self.tcp_sink.take()
        mark = len(self.phone.events)
        over_tcp = sipwire.tcp_exchange(data, PHONE_PORT, RESPONSE_WAIT,
                                        until=lambda got: Outcome(data, got).final,
                                        quiet=QUIET_WAIT, barrier=self.barrier)
        outcome = Outcome(data, over_tcp + self.peer.recv_all(0.1) + self.tcp_sink.take())
        self.end_calls(data, outcome, mark)
        return outcome

    # ---- 1. RFC 4475 ----------------------------------------------------------------

    def torture(self, transport, send):
        self.assertEqual(sorted(EXPECTED), sipwire.names(), "every message has an outcome")
        wrong = []
        for name in sipwire.names():
            outcome = send(sipwire.load(name))
            self.results[(transport, name)] = outcome.value
            print("hostile: %s %-10s -> %s %s %s" % (transport, name, outcome.value,
                                                     outcome.codes, outcome.warning or ""),
                  flush=True)
            self.assert_alive("%s over %s" % (name, transport))
            want = EXPECTED[name][0 if transport == "udp" else 1]
            if outcome.value != want:
                wrong.append("%s: %s (expected %s)" % (name, outcome.value, want))
        self.assertEqual(wrong, [], "RFC 4475 over %s" % transport)

    def test_1_rfc4475_udp(self):
        self.torture("udp", self.send_udp)

    def test_2_rfc4475_tcp(self):
        self.torture("tcp", self.send_tcp)


    # ---- 2. malformed SDP --------------------------------------------------------------

    def invite(self, body, ctype="application/sdp", call_id=None, extra=()):
        call_id = call_id or "hostile.%x@127.0.0.1" % random.getrandbits(48)
        return request("INVITE", "sip:phone@127.0.0.1:%d" % PHONE_PORT, call_id, 1,
                       "<sip:hostile@127.0.0.1>;tag=%x" % random.getrandbits(32),
                       "<sip:phone@127.0.0.1>", self.peer.port, body, ctype,
                       ["Contact: <sip:hostile@127.0.0.1:%d>" % self.peer.port] + list(extra))

    def test_3_malformed_sdp(self):
        wrong = []
        for name, body, want in sdp_cases():
            outcome = self.send_udp(self.invite(body))
            print("hostile: sdp %-22s -> %s %s %s" % (name, outcome.value, outcome.codes,
                                                      outcome.warning or ""), flush=True)
            self.assert_alive("the SDP body %s" % name)
            if outcome.value not in want:
                wrong.append("%s: %s (expected %s)" % (name, outcome.value, "/".join(want)))
        self.assertEqual(wrong, [], "malformed SDP")

    # ---- 3. a flood ---------------------------------------------------------------------

    def flood(self, count=200, seconds=5.0):
        """`count` INVITEs in `seconds`, each ACKed as its final answer comes;
        the one call answered is ended with a BYE once the flood is over.
        Returns {status: number of INVITEs}."""
        finals = {}
        answered = []
        sent = {}
        self.peer.drain()
        mark = len(self.phone.events)

        def collect(wait):
            for data in self.peer.recv_all(wait):
                code = sipwire.status_of(data)
                cid = call_id_of(data)
                if not code or code < 200 or cid not in sent or cid in finals:
                    continue
                finals[cid] = code
                if code == 200:
                    answered.append(data)
                    self.peer.send(in_dialog(data, "ACK", self.peer.port), PHONE_PORT)
                else:
                    self.peer.send(ack_for_failure(sent[cid], data), PHONE_PORT)

        start = time.monotonic()
        for i in range(count):
            cid = "flood.%d.%x@127.0.0.1" % (i, random.getrandbits(32))
            sent[cid] = self.invite(sdp_offer(), call_id=cid)
            self.peer.send(sent[cid], PHONE_PORT)
            collect(max(0.0, start + (i + 1) * seconds / count - time.monotonic()))
        deadline = time.monotonic() + 15
        while len(finals) < count and time.monotonic() < deadline:
            collect(0.5)
        for resp in answered:
            self.peer.send(in_dialog(resp, "BYE", self.peer.port,
                                     int(header(resp, "CSeq").split()[0]) + 1), PHONE_PORT)
        self.end_calls(b"", Outcome(b"", []), mark)
        summary = {}
        for code in finals.values():
            summary[code] = summary.get(code, 0) + 1
        summary["unanswered"] = count - len(finals)
        return summary

    def test_4_flood(self):
        idle = self.stat.wait_stable(settle=1.0)
        rounds = []
        for n in range(2):
            summary = self.flood()
            after = self.stat.wait_idle(idle["fds"], idle["threads"] + 2, 20)[0]
            time.sleep(6)   # Sofia's transactions for the 486s linger (timer I, 5 s)
            after = self.stat.sample()
            rounds.append((summary, after))
            print("hostile: flood %d: %s, then %s (idle before: %s)"
                  % (n + 1, summary, after, idle), flush=True)
            self.assert_alive("a flood")
            self.assertEqual(summary.get(200), 1, "one call answered: %r" % summary)
            self.assertEqual(summary.get(486), 199, "the rest busy: %r" % summary)
            self.assertEqual(after["fds"], idle["fds"], "descriptors after a flood")
        growth = rounds[1][1]["rss_kib"] - rounds[0][1]["rss_kib"]
        self.assertLess(growth, 8 * 1024, "the second flood grew the phone by %d KiB" % growth)

    # ---- 4. a normal call after all of it, and a clean exit --------------------------------

    def test_5_normal_call_after(self):
        caller = CliPhone(account=None, video=False, name="hostile-caller",
                          extra=["--call", "sip:phone@127.0.0.1:%d" % PHONE_PORT,
                                 "--hangup-after", "1", "--exit-after-call"]).start()
        try:
            self.assertEqual(caller.wait_exit(timeout=40), 0, caller.describe())
            self.assertEqual(caller.end_reason(), "local-hangup")
            m = caller.last_media()
            self.assertTrue(m and m["audio"]["rx_packets"] > 0 and m["audio"]["tx_packets"] > 0,
                            "audio both ways: %r" % m)
        finally:
            caller.stop()

    def test_6_clean_exit(self):
        self.phone.interrupt()
        self.assertEqual(self.phone.wait_exit(timeout=30), 0, self.phone.describe())
        asan.assert_clean(self, self.phone.log_path)


def sdp_offer(c="127.0.0.1", media=None, session=(), lf="\r\n"):
    lines = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-"] + list(session)
    if c is not None:
        lines.append("c=IN IP4 %s" % c)
    lines.append("t=0 0")
    lines += media if media is not None else ["m=audio 40000 RTP/AVP 0",
                                               "a=rtpmap:0 PCMU/8000"]
    return (lf.join(lines) + lf).encode()


ANSWER = ("200",)
REFUSE = ("488",)


def sdp_cases():
    """(name, body, acceptable outcomes)"""
    pcmu = ["m=audio 40000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000"]
    return [
        ("valid", sdp_offer(), ANSWER),
        ("not-sdp", b"this is not a session description\r\n", REFUSE),
        # no offer (RFC 3261 13.2.1): ours goes in the 200
        ("empty", b"", ANSWER),
        ("version-only", b"v=0\r\n", REFUSE),
        ("no-m-line", sdp_offer(media=[]), REFUSE),
        ("port-zero", sdp_offer(media=["m=audio 0 RTP/AVP 0"]), REFUSE),
        ("port-huge", sdp_offer(media=["m=audio 4294967296 RTP/AVP 0"]), REFUSE),
        ("port-negative", sdp_offer(media=["m=audio -1 RTP/AVP 0"]), REFUSE),
        ("no-formats", sdp_offer(media=["m=audio 40000 RTP/AVP"]), REFUSE),
        ("pt-300", sdp_offer(media=["m=audio 40000 RTP/AVP 300", "a=rtpmap:300 PCMU/8000"]),
         REFUSE),
        ("rtpmap-no-rate", sdp_offer(media=["m=audio 40000 RTP/AVP 96", "a=rtpmap:96 opus"]),
         REFUSE),
        ("rtpmap-zero-rate", sdp_offer(media=["m=audio 40000 RTP/AVP 0", "a=rtpmap:0 PCMU/0"]),
         REFUSE),
        ("avpf-zero-rate", sdp_offer(media=["m=audio 40000 RTP/AVPF 96", "a=rtpmap:96 PCMU/0"]),
         REFUSE),
        ("rtpmap-garbage", sdp_offer(media=["m=audio 40000 RTP/AVP 0 96", "a=rtpmap:96 /////",
                                            "a=rtpmap:abc def"]), REFUSE),
        ("fmtp-garbage", sdp_offer(media=["m=audio 40000 RTP/AVP 96",
                                          "a=rtpmap:96 opus/48000/2",
                                          "a=fmtp:96 ;;;==;stereo=;maxplaybackrate=-5;"
                                          "useinbandfec=99999999999999999999"]), ANSWER),
        ("c-bad-address", sdp_offer(c="999.1.1.1"), ANSWER + REFUSE),   # 200 since main of 13:00
        ("c-hostname", sdp_offer(c="phone.invalid"), ANSWER + REFUSE),
        ("c-ipv6", sdp_offer(c=None, session=["c=IN IP6 ::1"]), ANSWER + REFUSE),
        ("c-missing", sdp_offer(c=None), REFUSE),
        ("c-multicast", sdp_offer(c="224.2.1.1/127"), ANSWER),
        ("rtcp-garbage", sdp_offer(media=pcmu + ["a=rtcp:99999999 IN IP4 x", "a=rtcp:abc",
                                                 "a=rtcp-mux", "a=rtcp-fb:* ;;;"]),
         REFUSE),
        ("duplicate-pts", sdp_offer(media=["m=audio 40000 RTP/AVP 0 0 0 8 8 0"]), ANSWER),
        ("many-m-lines", sdp_offer(media=pcmu * 200), REFUSE),
        ("long-attribute", sdp_offer(media=pcmu + ["a=x-long:" + "y" * 40000]), ANSWER),
        ("nul-bytes", b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=\x00\x00\r\n"
                      b"c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n",
         REFUSE),
        ("invalid-utf8", sdp_offer(session=["i=@"]).replace(b"i=@", b"i=\xff\xfe"),
         ANSWER),
        ("lf-only", sdp_offer(lf="\n"), ANSWER),
        ("video-only-h261", sdp_offer(media=["m=video 40000 RTP/AVP 31",
                                             "a=rtpmap:31 H261/90000"]), REFUSE),
        ("contradicting-directions", sdp_offer(media=pcmu + ["a=sendrecv", "a=inactive",
                                                             "a=sendonly"]), ANSWER),
        ("bandwidth-overflow", sdp_offer(session=["b=AS:99999999999999999999", "b=TIAS:-1"]),
         ANSWER),
        ("t-garbage", sdp_offer().replace(b"t=0 0", b"t=abc def"), REFUSE),
        ("o-missing", sdp_offer().replace(b"o=- 1 1 IN IP4 127.0.0.1\r\n", b""),
         REFUSE),
        ("ice-garbage", sdp_offer(media=pcmu + ["a=ice-ufrag:", "a=ice-pwd:x",
                                                "a=candidate:1 1 UDP abc 999.1.1.1 x typ host",
                                                "a=candidate:::::::::"]), ANSWER),
        ("dtls-garbage", sdp_offer(media=["m=audio 40000 UDP/TLS/RTP/SAVPF 0",
                                          "a=fingerprint:sha-256 ZZ:ZZ", "a=setup:bogus"]),
         REFUSE),
        ("crypto-garbage", sdp_offer(media=["m=audio 40000 RTP/SAVP 0",
                                            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!!",
                                            "a=crypto:x"]), REFUSE),
    ]


if __name__ == "__main__":
    unittest.main()
