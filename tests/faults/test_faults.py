# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault suite (issue 14, item 2): a phone that lost its registrar or its
peer comes back on its own.

Real Kamailio (tests/fixtures/kamailio.py) and mtavip-cli on loopback.
Needs MTAVIP_CLI=<builddir>/src/cli/mtavip-cli (meson sets it); without it
every test FAILS with a message saying so.

Run: meson test -C _build --suite faults --print-errorlogs
"""

import os
import signal
import socket
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.netns import NetNs  # noqa: E402
from fixtures.process import wait_until  # noqa: E402


def wait_listening(port, timeout=15.0):
    """Until something has UDP port `port` on 127.0.0.1 bound (a phone that
    started slowly on a loaded machine is not called before it listens)."""
    def bound():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", port))
            return False
        except OSError:
            return True
        finally:
            s.close()
    wait_until(bound, timeout, interval=0.1, what="a phone listening on UDP port %d" % port)


def failures(cli):
    return [e for e in cli.events
            if e.get("event") == "registration" and e.get("state") == "failed"]


class FaultCase(unittest.TestCase):
    def setUp(self):
        cli_path()  # fails (not skips) when MTAVIP_CLI is unset
        self._clis = []
        self._kams = []
        self.addCleanup(self._report)

    def kamailio(self, start=True, **kw):
        kam = Kamailio(**kw)
        self._kams.append(kam)
        self.addCleanup(kam.stop)
        if start:
            kam.start()
        return kam

    def cli(self, kam, user="alice", password=None, extra=(), video=False):
        c = CliPhone(account=kam.uri(user),
                     password=kam.users[user] if password is None else password,
                     registrar=kam.proxy_uri, extra=list(extra), video=video,
                     name="cli-%s" % user)
        self._clis.append(c)
        self.addCleanup(c.stop)
        return c.start()

    def _report(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None:
            return
        if any(t is self for t, _ in list(result.failures) + list(result.errors)):
            for kam in self._kams:
                if kam.dir:
                    sys.stderr.write("\n--- Kamailio log tail (%s) ---\n%s\n"
                                     % (kam.dir, kam.log_tail(40)))
            for c in self._clis:
                sys.stderr.write("\n--- %s ---\n" % c.describe())

    def wait_failed_with_retry(self, cli, after=0, timeout=40.0):
        return cli.wait_event(
            lambda e: (e.get("event") == "registration" and e.get("state") == "failed"
                       and e["_time"] > after),
            timeout, "a failed registration after the registrar went away")

    def wait_registered_after(self, cli, after, timeout):
        return cli.wait_event(
            lambda e: (e.get("event") == "registration" and e.get("state") == "registered"
                       and e["_time"] > after),
            timeout, "registered again")


class RegistrarFaults(FaultCase):
    def test_registrar_restarted_while_registered(self):
        """Kamailio stops while we are registered: the refresh fails, the
        phone keeps trying with back-off, and within 30 s of Kamailio coming
        back it is registered again and takes a call."""
        kam = self.kamailio(min_expires=5)
        alice = self.cli(kam, "alice", extra=["--expires", "10", "--auto-answer"])
        alice.wait_registration("registered")
        kam.wait_registered("alice")

        kam.stop()
        down_at = time.monotonic()
        failed = self.wait_failed_with_retry(alice, after=down_at, timeout=30)
        self.assertEqual(failed.get("reason"), "unreachable", failed)
        self.assertGreater(failed.get("retry_in", 0), 0,
                           "a failed refresh must say when it tries again: %r" % failed)
        time.sleep(8)  # stays down across a few retries
        n_failed = len(failures(alice))
        self.assertGreaterEqual(n_failed, 2, "no retry while the registrar was down")

        up_at = time.monotonic()  # the phone may register before start() returns
        kam.start()  # same port, empty location table
        back = self.wait_registered_after(alice, up_at, timeout=30)
        self.assertLess(back["_time"] - up_at, 30.0)
        kam.wait_registered("alice", timeout=5)

        bob = self.cli(kam, "bob", extra=["--call", kam.uri("alice"), "--hangup-after", "2",
                                          "--exit-after-call"])
        bob.wait_registration("registered")
        alice.wait_call("active", timeout=20)
        self.assertEqual(bob.wait_exit(timeout=30), 0, bob.describe())
        self.assertEqual(bob.end_reason(), "local-hangup")

    def test_registrar_down_at_startup(self):
        """Started while Kamailio is down: retries with growing delays (no
        tight loop), then registers once Kamailio is up."""
        kam = self.kamailio(start=False, min_expires=5)
        alice = self.cli(kam, "alice")
        alice.wait_registration("failed", timeout=15)
        time.sleep(13)
        fails = failures(alice)
        # 2, 4, 8 s (+-20 %) after the first failure: 3 or 4 failures in 13 s
        self.assertGreaterEqual(len(fails), 3, fails)
        self.assertLessEqual(len(fails), 4, "retrying too often: %r" % fails)
        gaps = [b["_time"] - a["_time"] for a, b in zip(fails, fails[1:])]
        for gap, ev in zip(gaps, fails):
            low = ev["retry_in"] * 0.7
            self.assertGreaterEqual(gap, low, "retried after %.1fs, announced %r" % (gap, ev))
        self.assertTrue(all(b > a for a, b in zip(gaps, gaps[1:])),
                        "delays do not grow: %r" % gaps)

        up_at = time.monotonic()  # the phone may register before start() returns
        kam.start()
        self.wait_registered_after(alice, up_at, timeout=30)
        kam.wait_registered("alice", timeout=5)

    def test_retry_after_honoured(self):
        """503 with Retry-After: a short one (7 s) is waited out inside the
        SIP stack, with no REGISTER before it; a long one (40 s) is reported
        as a failure that says when we try again, and no REGISTER is sent
        before then (not the 2 s back-off)."""
        kam = self.kamailio(min_expires=5, maintenance=7)
        alice = self.cli(kam, "alice")
        wait_until(lambda: "maintenance: 503 to sip:alice@" in kam.log_text(), 20,
                   what="a 503 from Kamailio")
        answered_at = time.monotonic()
        kam.set_maintenance(0)
        back = alice.wait_registration("registered", timeout=20)
        waited = back["_time"] - answered_at
        self.assertGreaterEqual(waited, 6.5, "registered after %.1fs: Retry-After: 7 ignored"
                                % waited)
        self.assertEqual(failures(alice), [])
        alice.stop()

        kam.set_maintenance(40)
        bob = self.cli(kam, "bob")
        failed = bob.wait_registration("failed", timeout=15)
        self.assertEqual(failed.get("retry_in"), 40, failed)
        kam.set_maintenance(0)
        time.sleep(6)
        self.assertEqual(bob.registration_states(), ["failed"],
                         "a REGISTER went out before Retry-After: 40 was over")

    def test_wrong_password_not_retried(self):
        """A wrong password is for a person to fix: no retry loop."""
        kam = self.kamailio(min_expires=5)
        alice = self.cli(kam, "alice", password="wrong")
        failed = alice.wait_registration("failed", timeout=15)
        self.assertEqual(failed.get("reason"), "auth-failed", failed)
        self.assertNotIn("retry_in", failed)
        time.sleep(5)
        self.assertEqual(len(failures(alice)), 1, failures(alice))
        self.assertEqual(alice.registration_states(), ["failed"])

    def test_killed_mid_call_and_restarted(self):
        """Our phone is SIGKILLed mid-call (no BYE, no un-REGISTER): the far
        end ends media-timeout; restarted (on another port, as after a
        crash) it registers and takes calls: the stale binding blocks
        nothing."""
        kam = self.kamailio(min_expires=5)
        alice = self.cli(kam, "alice", extra=["--auto-answer"])
        alice.wait_registration("registered")
        bob = self.cli(kam, "bob", extra=["--call", kam.uri("alice"), "--media-timeout", "4",
                                          "--exit-after-call"])
        bob.wait_call("active", timeout=20)
        bob.wait_media(audio_packets=30, video_frames=0, timeout=15)
        alice.proc.kill()
        bob.wait_call("ended", timeout=15)
        self.assertEqual(bob.end_reason(), "media-timeout")

        again = self.cli(kam, "alice", extra=["--auto-answer"])
        again.wait_registration("registered")
        carol = self.cli(kam, "carol", extra=["--call", kam.uri("alice"), "--hangup-after", "2",
                                              "--exit-after-call"])
        again.wait_call("active", timeout=20)
        self.assertEqual(carol.wait_exit(timeout=30), 0, carol.describe())
        self.assertEqual(carol.end_reason(), "local-hangup")


class PeerFaults(FaultCase):
    def test_far_end_frozen(self):
        """The far end stops for 5 s (SIGSTOP) mid-call: the call survives
        (media timeout 8 s) and media flows both ways again after SIGCONT."""
        port = ports.free_port()
        callee = CliPhone(account=None, listen_port=port,
                          extra=["--auto-answer", "--media-timeout", "8"],
                          video=False, name="callee")
        self._clis.append(callee)
        self.addCleanup(callee.stop)
        callee.start()
        wait_listening(port)
        caller = CliPhone(account=None,
                          extra=["--call", "sip:bob@127.0.0.1:%d" % port,
                                 "--media-timeout", "8"],
                          video=False, name="caller")
        self._clis.append(caller)
        self.addCleanup(caller.stop)
        caller.start()
        caller.wait_call("active", timeout=15)
        caller.wait_media(audio_packets=50, video_frames=0, timeout=15)

        callee.proc.signal_group(signal.SIGSTOP)
        try:
            time.sleep(5)
        finally:
            callee.proc.signal_group(signal.SIGCONT)
        resumed_at = time.monotonic()
        before = caller.last_media()["audio"]["rx_packets"]
        caller.wait_event(
            lambda e: (e.get("event") == "media" and e["_time"] > resumed_at + 1
                       and e["audio"]["rx_packets"] > before + 50),
            15, "audio from the far end again after SIGCONT")
        self.assertNotIn("ended", caller.call_states())
        self.assertNotIn("ended", callee.call_states())



class NetworkFaults(FaultCase):
    """Both phones and Kamailio in a network namespace of the test's own;
    the network is cut with iptables DROP (silent, like a dead Wi-Fi)."""

    def setUp(self):
        super().setUp()
        self.ns = NetNs().start()
        self.addCleanup(self.ns.stop)
        self.kam = Kamailio(min_expires=5, netns=self.ns)
        self._kams.append(self.kam)
        self.addCleanup(self.kam.stop)
        self.kam.start()

    def phone(self, user, extra):
        c = CliPhone(account=self.kam.uri(user), password=self.kam.users[user],
                     registrar=self.kam.proxy_uri, extra=["--expires", "10"] + extra,
                     video=False, name="cli-%s" % user, netns=self.ns)
        self._clis.append(c)
        self.addCleanup(c.stop)
        c.start()
        c.wait_registration("registered", timeout=30)
        return c

    def call_up(self, media_timeout):
        mt = ["--media-timeout", str(media_timeout)]
        bob = self.phone("bob", ["--auto-answer"] + mt)
        alice = self.phone("alice", ["--call", self.kam.uri("bob")] + mt)
        alice.wait_call("active", timeout=20)
        alice.wait_media(audio_packets=50, video_frames=0, timeout=20)
        bob.wait_media(audio_packets=50, video_frames=0, timeout=20)
        return alice, bob

    def media_again(self, cli, since):
        before = cli.last_media()["audio"]["rx_packets"]
        return cli.wait_event(
            lambda e: (e.get("event") == "media" and e["_time"] > since + 1
                       and e["audio"]["rx_packets"] > before + 50),
            20, "audio arriving again after the network came back")

    def test_network_drop_5s_mid_call(self):
        """5 s without network: shorter than the media timeout (8 s), so the
        call survives and audio flows both ways again."""
        alice, bob = self.call_up(media_timeout=8)
        self.ns.cut()
        try:
            time.sleep(5)
        finally:
            self.ns.restore()
        back = time.monotonic()
        self.media_again(alice, back)
        self.media_again(bob, back)
        self.assertNotIn("ended", alice.call_states())
        self.assertNotIn("ended", bob.call_states())

    def test_network_drop_longer_than_media_timeout(self):
        """12 s without network: the call ends media-timeout on both sides
        (4 s), the registration lapses at the registrar, and the phone is
        registered again on its own once the network is back: it takes a
        new call."""
        alice, bob = self.call_up(media_timeout=4)
        self.ns.cut()
        try:
            alice.wait_call("ended", timeout=15)
            bob.wait_call("ended", timeout=15)
            self.assertEqual(alice.end_reason(), "media-timeout")
            self.assertEqual(bob.end_reason(), "media-timeout")
            time.sleep(max(0, 12 - 4))
        finally:
            self.ns.restore()
        # Kamailio's binding (10 s) lapsed during the drop; the refresh
        # REGISTER, retransmitted or retried, gets through once the network
        # is back: a new call to bob rings and is answered.
        self.kam.wait_registered("bob", timeout=40)
        carol = CliPhone(account=self.kam.uri("carol"), password=self.kam.users["carol"],
                         registrar=self.kam.proxy_uri, video=False, name="cli-carol",
                         netns=self.ns,
                         extra=["--call", self.kam.uri("bob"), "--hangup-after", "2",
                                "--exit-after-call"])
        self._clis.append(carol)
        self.addCleanup(carol.stop)
        carol.start()
        self.assertEqual(carol.wait_exit(timeout=40), 0, carol.describe())
        self.assertEqual(carol.end_reason(), "local-hangup")
        self.assertEqual(bob.registration_states()[-1], "registered", bob.registration_states())


if __name__ == "__main__":
    unittest.main()
