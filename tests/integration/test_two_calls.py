"""Two calls at once (issue 12, item 2): call waiting with --max-calls 2.

bob (--auto-answer --max-calls 2) talks to alice; carol calls: bob's phone
rings instead of answering 486, takes carol's call and holds alice's (alice
sees the hold, stops sending: she answered recvonly); carol hangs up and
bob takes alice back off hold: media both ways again."""

import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402


def phone(name, extra):
    return CliPhone(account=None, video=False, name=name, extra=list(extra))


def uri_of(p):
    return "sip:%s@127.0.0.1:%d" % (p.name, p.listen_port)


def states(p, call_id):
    return [e["state"] for e in p.events if e.get("event") == "call" and e.get("id") == call_id]


def index_of(p, call_id, state, after=0):
    for i, e in enumerate(p.events):
        if i >= after and e.get("event") == "call" and e.get("id") == call_id \
                and e.get("state") == state:
            return i
    raise AssertionError("no %s for call %s: %s" % (state, call_id, p.describe()))


def media(p, lo, hi=None):
    return [e for e in p.events[lo:hi] if e.get("event") == "media"]


class TwoCallsTest(unittest.TestCase):
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

    def test_call_waiting_holds_the_first_and_resumes_it(self):
        bob = self.start(phone("bob", ["--auto-answer", "--max-calls", "2"]))
        alice = self.start(phone("alice", ["--call", uri_of(bob), "--hangup-after", "20",
                                           "--exit-after-call"]), False)
        alice.wait_media(audio_packets=50, video_frames=0, timeout=20)
        carol = self.start(phone("carol", ["--call", uri_of(bob), "--hangup-after", "6",
                                           "--exit-after-call"]), False)
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        self.assertEqual(carol.call_states(), ["calling", "ringing", "active", "ended"],
                         carol.describe())
        carol_media = carol.last_media()["audio"]
        self.assertGreater(carol_media["rx_packets"], 100, carol.describe())
        self.assertGreater(carol_media["decoded"], 100, carol.describe())

        self.assertEqual(alice.wait_exit(timeout=30), 0, alice.describe())
        self.assertEqual(alice.call_states(),
                         ["calling", "ringing", "active", "held", "active", "ended"],
                         alice.describe())
        # bob: the second call rang (no 486), the first was held and taken back
        self.assertEqual(states(bob, "2"), ["incoming", "active", "ended"], bob.describe())
        self.assertEqual(states(bob, "1"), ["incoming", "active", "held", "active", "ended"],
                         bob.describe())

        # alice, held (answering recvonly), sends nothing; after the resume both ways
        held_at = index_of(alice, "1", "held")
        back_at = index_of(alice, "1", "active", held_at)
        while_held = media(alice, held_at, back_at)
        self.assertGreaterEqual(len(while_held), 3, alice.describe())
        sent = [e["audio"]["tx_packets"] for e in while_held[1:]]
        self.assertLessEqual(max(sent) - min(sent), 3, while_held)
        after = media(alice, back_at)
        self.assertGreaterEqual(len(after), 3, alice.describe())
        self.assertGreater(after[-1]["audio"]["tx_packets"] - while_held[-1]["audio"]["tx_packets"],
                           100, after[-1])
        self.assertGreater(after[-1]["audio"]["rx_packets"] - after[0]["audio"]["rx_packets"],
                           80, after)

    def test_third_call_is_busy(self):
        bob = self.start(phone("bob", ["--auto-answer", "--max-calls", "2"]))
        first = self.start(phone("alice", ["--call", uri_of(bob), "--hangup-after", "15",
                                           "--exit-after-call"]), False)
        first.wait_call("active", 15)
        second = self.start(phone("carol", ["--call", uri_of(bob), "--hangup-after", "12",
                                            "--exit-after-call"]), False)
        second.wait_call("active", 15)
        third = self.start(phone("dave", ["--call", uri_of(bob), "--exit-after-call"]), False)
        self.assertEqual(third.wait_exit(timeout=20), 1, third.describe())
        self.assertEqual(third.end_reason(), "busy", third.describe())
        self.assertEqual(first.wait_exit(timeout=30), 0, first.describe())
        self.assertEqual(second.wait_exit(timeout=30), 0, second.describe())

    def test_bad_max_calls(self):
        import subprocess
        r = subprocess.run([cli_path(), "--max-calls", "0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=20)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--max-calls", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
