"""Blind transfer between mtavip-cli phones (issue 12, item 3; RFC 3515).

alice calls bob; bob (--transfer-to carol) REFERs alice to carol: alice's
old call ends "transferred", a new call from alice to carol has media both
ways, bob's call ends "transferred" once carol answered (NOTIFY sipfrag
200). A transfer to a phone that declines leaves the first call as it was.

Attended (RFC 3891, RFC 5589): bob (--consult carol) holds alice, calls
carol, then REFERs alice to carol with Replaces naming his call with carol;
alice's INVITE with Replaces is answered by carol without ringing (and
though carol takes one call at a time), carol BYEs her call with bob
("replaced"), alice and carol talk."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402


def phone(name, extra):
    return CliPhone(account=None, video=False, name=name, extra=list(extra))


def uri_of(p):
    return "sip:%s@127.0.0.1:%d" % (p.name, p.listen_port)


def states(p, call_id):
    return [e["state"] for e in p.events if e.get("event") == "call" and e.get("id") == call_id]


def reason(p, call_id):
    for e in p.events:
        if e.get("event") == "call" and e.get("id") == call_id and e.get("state") == "ended":
            return e.get("reason")
    return None


def last_media(p, call_id):
    m = [e for e in p.events if e.get("event") == "media" and e.get("id") == call_id]
    return m[-1]["audio"] if m else {}


class TransferTest(unittest.TestCase):
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

    def test_blind_transfer(self):
        carol = self.start(phone("carol", ["--auto-answer", "--hangup-after", "8",
                                           "--exit-after-call"]))
        bob = self.start(phone("bob", ["--auto-answer", "--exit-after-call",
                                       "--transfer-to", uri_of(carol), "--transfer-after", "2"]))
        cap = SipCapture([bob.listen_port])
        self.addCleanup(cap.stop)
        cap.start()
        alice = self.start(phone("alice", ["--call", uri_of(bob)]), False)

        self.assertEqual(bob.wait_exit(timeout=30), 0, bob.describe())
        self.assertEqual(bob.end_reason(), "transferred", bob.describe())
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        alice.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "2"
                         and e.get("state") == "ended", 20, "alice's second call ended")
        # alice: the old call ended "transferred", a new one to carol went up
        self.assertEqual(reason(alice, "1"), "transferred", alice.describe())
        self.assertEqual(states(alice, "2"), ["calling", "ringing", "active", "ended"],
                         alice.describe())
        new = [e for e in alice.events if e.get("event") == "call" and e.get("id") == "2"][0]
        self.assertEqual(new["remote"], uri_of(carol), new)
        self.assertEqual(reason(alice, "2"), "remote-hangup", alice.describe())
        # media both ways between alice and carol
        self.assertGreater(last_media(alice, "2").get("rx_packets", 0), 150, alice.describe())
        self.assertGreater(last_media(alice, "2").get("decoded", 0), 150, alice.describe())
        self.assertGreater(carol.last_media()["audio"]["rx_packets"], 150, carol.describe())
        # on the wire: REFER, 202, NOTIFYs (sipfrag), BYE from bob
        cap.stop()
        labels = [m.label for m in cap.messages(port=bob.listen_port)]
        for want in ("REFER", "202", "NOTIFY", "BYE"):
            self.assertIn(want, labels, labels)
        self.assertLess(labels.index("REFER"), labels.index("BYE"), labels)

    def test_attended_transfer(self):
        carol = self.start(phone("carol", ["--auto-answer", "--hangup-after", "5",
                                           "--exit-after-call"]))
        bob = self.start(phone("bob", ["--auto-answer", "--exit-after-call",
                                       "--consult", uri_of(carol), "--consult-after", "1",
                                       "--transfer-after", "1"]))
        cap = SipCapture([carol.listen_port])
        self.addCleanup(cap.stop)
        cap.start()
        alice = self.start(phone("alice", ["--call", uri_of(bob)]), False)

        self.assertEqual(bob.wait_exit(timeout=30), 0, bob.describe())
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        alice.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "2"
                         and e.get("state") == "ended", 20, "alice's second call ended")
        # bob: both his calls handed on
        self.assertEqual(reason(bob, "1"), "transferred", bob.describe())
        self.assertEqual(reason(bob, "2"), "transferred", bob.describe())
        self.assertIn("held", states(bob, "1"), bob.describe())
        # carol: the call with bob replaced by alice's, answered at once
        self.assertEqual(reason(carol, "1"), "replaced", carol.describe())
        self.assertEqual(states(carol, "2"), ["active", "ended"], carol.describe())
        self.assertNotIn("ringing", states(alice, "2"), alice.describe())
        # alice: the old call ended "transferred", the new one has media both ways
        self.assertEqual(reason(alice, "1"), "transferred", alice.describe())
        self.assertEqual(states(alice, "2"), ["calling", "active", "ended"], alice.describe())
        new = [e for e in alice.events if e.get("event") == "call" and e.get("id") == "2"][0]
        self.assertEqual(new["remote"], uri_of(carol), new)
        self.assertGreater(last_media(alice, "2").get("rx_packets", 0), 100, alice.describe())
        self.assertGreater(last_media(alice, "2").get("decoded", 0), 100, alice.describe())
        self.assertGreater(last_media(carol, "2").get("rx_packets", 0), 100, carol.describe())
        # on the wire at carol: bob's INVITE rang; alice's (with Replaces) did
        # not, was answered, and carol's BYE ended bob's call
        cap.stop()
        invites = [m for m in cap.messages(dst_port=carol.listen_port) if m.label == "INVITE"]
        self.assertEqual(len({m.call_id for m in invites}), 2, cap.summary())
        first, second = invites[0].call_id, invites[-1].call_id
        self.assertIn("180", cap.labels(call_id=first), cap.summary())
        self.assertNotIn("180", cap.labels(call_id=second), cap.summary())
        self.assertIn("200", cap.labels(call_id=second), cap.summary())
        byes = [m for m in cap.messages(call_id=first) if m.label == "BYE"]
        self.assertEqual([m.src_port for m in byes][:1], [carol.listen_port], cap.summary())

    def test_replaces_naming_no_call(self):
        # RFC 3891 3: an INVITE whose Replaces names no dialog gets 481
        sys.path.insert(0, HERE)
        from rawsip import RawUA
        carol = self.start(phone("carol", ["--auto-answer"]))
        ua = RawUA(carol.listen_port)
        self.addCleanup(ua.close)
        call_id, tag = "nosuchcall@127.0.0.1", "t1"
        ua._request("INVITE", ua.peer_uri(), "replacing-1", tag, None, 1, ua.offer(),
                    "application/sdp",
                    {"Replaces": "%s;to-tag=a;from-tag=b" % call_id})
        resp = ua.wait_response("replacing-1", 1, "INVITE")
        self.assertEqual(resp.status, 481, resp)
        self.assertEqual([e for e in carol.events if e.get("event") == "call"], [],
                         carol.describe())

    def test_transfer_to_a_phone_that_declines(self):
        carol = self.start(phone("carol", ["--auto-decline"]))
        bob = self.start(phone("bob", ["--auto-answer", "--exit-after-call", "--hangup-after", "8",
                                       "--transfer-to", uri_of(carol), "--transfer-after", "2"]))
        alice = self.start(phone("alice", ["--call", uri_of(bob)]), False)
        self.assertEqual(bob.wait_exit(timeout=30), 0, bob.describe())
        self.assertEqual(bob.end_reason(), "local-hangup", bob.describe())
        alice.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "1"
                         and e.get("state") == "ended", 20, "alice's first call ended")
        self.assertEqual(reason(alice, "2"), "declined", alice.describe())
        self.assertEqual(reason(alice, "1"), "remote-hangup", alice.describe())
        self.assertEqual(states(alice, "1")[-2:], ["active", "ended"], alice.describe())

    def redirecting(self, contact_of):
        """alice calls a raw SIP address that answers every INVITE with 302
        to contact_of(invite); returns (alice, the INVITEs the raw UA saw)"""
        sys.path.insert(0, HERE)
        from rawsip import RawUA
        ua = RawUA(0, user="desk")
        self.addCleanup(ua.close)
        alice = self.start(phone("alice", ["--call", "sip:desk@127.0.0.1:%d" % ua.port,
                                           "--exit-after-call"]), False)
        invites = []
        try:
            while True:
                invite = ua.wait_request("INVITE", timeout=8)
                invites.append(invite)
                ua.respond(invite, 302, "Moved Temporarily", to_tag="r%d" % len(invites),
                           contact=contact_of(invite))
        except AssertionError:
            pass   # no more INVITEs
        return alice, invites

    def test_redirect_followed_once_per_target(self):
        carol = self.start(phone("carol", ["--auto-answer", "--hangup-after", "3",
                                           "--exit-after-call"]))
        alice, invites = self.redirecting(lambda invite: uri_of(carol))
        self.assertEqual(len(invites), 1, invites)
        self.assertEqual(alice.wait_exit(timeout=30), 0, alice.describe())
        self.assertEqual(alice.call_states(), ["calling", "ringing", "active", "ended"],
                         alice.describe())
        self.assertGreater(alice.last_media()["audio"]["decoded"], 50, alice.describe())

    def test_redirect_loop_ends(self):
        # the raw UA sends alice back to itself: nua retries a few times (its
        # retry count, 3), the call never again: the loop ends
        alice, invites = self.redirecting(
            lambda invite: "sip:desk@%s" % invite.first.split()[1].split("@")[-1])
        self.assertEqual(alice.wait_exit(timeout=30), 1, alice.describe())
        self.assertLessEqual(len(invites), 4, invites)
        self.assertEqual(alice.call_states()[-1], "ended", alice.describe())


if __name__ == "__main__":
    unittest.main()
