"""Secure suite (issue 10): each defect found by hostile testing, as a test
that failed before its fix, then SIP over TLS and SRTP.

Needs MTAVIP_CLI=<builddir>/src/cli/mtavip-cli (meson test --suite secure
sets it); without it every test FAILS.
"""

import json
import os
import resource
import shutil
import socket
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))
sys.path.insert(0, HERE)

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from hostile import Challenger, invite, responses  # noqa: E402


def started(test, fixture):
    test.addCleanup(fixture.stop)
    fixture.start()
    return fixture


class SecureCase(unittest.TestCase):
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

    def cli(self, account, password, registrar, **kw):
        c = CliPhone(account=account, password=password, registrar=registrar,
                     name="cli-%d" % len(self._clis), video=False, **kw)
        self._clis.append(c)
        return started(self, c)


class PasswordTest(SecureCase):
    def test_password_with_colon_registers(self):
        kam = started(self, Kamailio(users={"alice": "pa:ss:w%rd"}))
        cli = self.cli(kam.uri("alice"), "pa:ss:w%rd", kam.proxy_uri)
        cli.wait_registration("registered")
        self.assertTrue(kam.wait_registered("alice"))


class PasswordFileTest(SecureCase):
    def run_with_password_file(self, mode):
        d = tempfile.mkdtemp(prefix="mtavip-secure-")
        self.addCleanup(shutil.rmtree, d, True)
        pw = os.path.join(d, "password")
        with open(pw, "w") as f:
            f.write("secret")
        os.chmod(pw, mode)
        # an unreachable registrar: the CLI either refuses at once or runs
        try:
            return subprocess.run([cli_path(), "--json", "--listen", "127.0.0.1:%d" % ports.free_port(),
                                   "--account", "sip:alice@127.0.0.1:9", "--password-file", pw],
                                  capture_output=True, text=True, timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def test_password_file_readable_by_others_is_refused(self):
        for mode in (0o644, 0o640, 0o604):
            r = self.run_with_password_file(mode)
            self.assertIsNotNone(r, "a %o password file was used" % mode)
            self.assertEqual(r.returncode, 2, r.stderr)
            lines = [l for l in r.stderr.splitlines() if not l.startswith("su_source")]
            self.assertEqual(len(lines), 1, r.stderr)
            self.assertIn("chmod 600", lines[0])

    def test_private_password_file_is_used(self):
        self.assertIsNone(self.run_with_password_file(0o600), "a 600 password file was refused")


class RawCli:
    """mtavip-cli --json with its stdout kept as bytes (to check the encoding)."""

    def __init__(self, test, *args):
        self.port = ports.free_port()
        self.proc = subprocess.Popen([cli_path(), "--json", "--listen", "127.0.0.1:%d" % self.port,
                                      "--audio-source", "test", "--audio-sink", "fake", "--no-video",
                                      *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        test.addCleanup(self.stop)
        # listening (a fixed second was not enough on a loaded machine)
        ports.wait_tcp(self.port, proc=self.proc, timeout=20)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out, self.err = self.proc.communicate()
        return self.out, self.err


class Utf8Test(SecureCase):
    def test_invalid_utf8_from_gives_valid_json(self):
        cli = RawCli(self)
        sock = invite(cli.port, ports.free_port(), user=b"eve\xff\xc3")
        self.addCleanup(sock.close)
        self.assertTrue(any(r.startswith("SIP/2.0 180") for r in responses(sock, 2)),
                        "the INVITE did not ring")
        out, err = cli.stop()
        self.assertNotIn(b"CRITICAL", err, err.decode("utf-8", "replace"))
        text = out.decode("utf-8")  # strict: raises on invalid UTF-8
        events = [json.loads(l) for l in text.splitlines() if l.strip()]
        calls = [e for e in events if e.get("event") == "call"]
        self.assertTrue(calls, text)
        self.assertIn("eve", calls[0].get("remote") or "", calls[0])
        self.assertIs(calls[0].get("verified"), False, calls[0])


def desktop_fd_limit():
    """The limits of a desktop session: soft 1024, hard as high as allowed."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


class FloodTest(SecureCase):
    def test_call_connects_under_tcp_connection_flood(self):
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        if hard != resource.RLIM_INFINITY and hard < 2400:
            self.fail("the hard fd limit (%d) is too low for this test" % hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(4096, resource.getrlimit(
            resource.RLIMIT_NOFILE)[0]), hard))
        bob_port = ports.free_port()
        bob = subprocess.Popen([cli_path(), "--json", "--listen", "127.0.0.1:%d" % bob_port,
                                "--audio-source", "test", "--audio-sink", "fake", "--no-video",
                                "--auto-answer"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               preexec_fn=desktop_fd_limit)
        self.addCleanup(lambda: (bob.poll() is None and bob.kill(), bob.wait()))
        ports.wait_tcp(bob_port, proc=bob, timeout=20)
        conns = []
        self.addCleanup(lambda: [c.close() for c in conns])
        refused = 0
        for _ in range(1100):
            try:
                conns.append(socket.create_connection(("127.0.0.1", bob_port), timeout=0.5))
            except OSError:
                refused += 1  # the listen backlog is full: the phone stopped accepting
        time.sleep(1)
        caller = RawCli(self, "--call", "sip:bob@127.0.0.1:%d" % bob_port, "--hangup-after", "3")
        try:
            caller.proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        out, err = caller.stop()
        states = [json.loads(l).get("state") for l in out.decode().splitlines()
                  if l.strip() and json.loads(l).get("event") == "call"]
        self.assertIn("active", states, "%d connections not accepted\n%s%s"
                      % (refused, out.decode(), err.decode()[-2000:]))


    def test_longest_idle_connections_closed_first_beyond_the_cap(self):
        """beyond 200 connections opened to the phone, those idle longest
        are closed (after 2 s idle), not only after the 3-minute idle time"""
        port = ports.free_port()
        bob = subprocess.Popen([cli_path(), "--json", "--listen", "127.0.0.1:%d" % port,
                                "--audio-source", "test", "--audio-sink", "fake", "--no-video"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (bob.poll() is None and bob.kill(), bob.wait()))
        ports.wait_tcp(port, proc=bob)
        conns = []
        self.addCleanup(lambda: [c.close() for c in conns])
        for i in range(260):
            conns.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            time.sleep(0.01)                    # each a little younger than the last

        def closed(c):
            c.settimeout(0.05)
            try:
                return c.recv(1) == b""
            except socket.timeout:
                return False
            except OSError:
                return True

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(closed(c) for c in conns[:40]):
            time.sleep(0.5)
        self.assertEqual([i for i, c in enumerate(conns[:40]) if not closed(c)], [],
                         "the oldest idle connections are still open")
        self.assertEqual([i for i, c in enumerate(conns[-150:]) if closed(c)], [],
                         "younger connections were closed within the cap")


class DirectCallTest(SecureCase):
    """With an account, a call rings only when it comes through the
    registrar/proxy; one sent straight to the phone is refused."""

    def test_direct_invite_refused_with_account(self):
        kam = started(self, Kamailio())
        alice = self.cli(kam.uri("alice"), kam.users["alice"], kam.proxy_uri)
        alice.wait_registration("registered")
        sock = invite(alice.listen_port, ports.free_port(), source="127.0.0.2")
        self.addCleanup(sock.close)
        got = responses(sock, 3)
        self.assertTrue(any(r.startswith("SIP/2.0 403") for r in got), got)
        self.assertFalse(any(r.startswith("SIP/2.0 180") for r in got), got)
        self.assertEqual([e for e in alice.events if e.get("event") == "call"], [])

        # through Kamailio it rings, and the caller counts as verified
        bob = self.cli(kam.uri("bob"), kam.users["bob"], kam.proxy_uri,
                       extra=["--call", kam.uri("alice"), "--hangup-after", "2"])
        ev = alice.wait_call("incoming", 20)
        self.assertIs(ev.get("verified"), True, ev)
        bob.wait_call("ringing", 10)

    def test_direct_invite_accepted_when_allowed(self):
        kam = started(self, Kamailio())
        alice = self.cli(kam.uri("alice"), kam.users["alice"], kam.proxy_uri,
                         extra=["--accept-direct-calls"])
        alice.wait_registration("registered")
        # RFC 3325: an asserted identity means something only from our proxy
        sock = invite(alice.listen_port, ports.free_port(), source="127.0.0.2",
                      extra=b'P-Asserted-Identity: "Bob" <sip:bob@127.0.0.1>\r\n')
        self.addCleanup(sock.close)
        got = responses(sock, 3)
        self.assertTrue(any(r.startswith("SIP/2.0 180") for r in got), got)
        ev = alice.wait_call("incoming", 5)
        self.assertIs(ev.get("verified"), False, ev)
        self.assertIn("eve", ev.get("remote"), ev)

    def test_asserted_identity_from_our_proxy_is_the_caller(self):
        """Kamailio asserts the authenticated caller (P-Asserted-Identity,
        replacing any the caller sent): that identity is shown, verified"""
        kam = started(self, Kamailio(assert_identity='"Asserted $au" <sip:$au-asserted@127.0.0.1>'))
        alice = self.cli(kam.uri("alice"), kam.users["alice"], kam.proxy_uri)
        alice.wait_registration("registered")
        self.cli(kam.uri("bob"), kam.users["bob"], kam.proxy_uri,
                 extra=["--call", kam.uri("alice"), "--hangup-after", "2"])
        ev = alice.wait_call("incoming", 20)
        self.assertIs(ev.get("verified"), True, ev)
        self.assertEqual(ev.get("remote"), "sip:bob-asserted@127.0.0.1", ev)


class ReflectorTest(SecureCase):
    def test_no_media_to_a_silent_third_party_after_10s(self):
        """An auto-answering phone called with c= naming a victim that never
        answers: media goes there at first, and stops after 10 s."""
        victim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        victim.bind(("127.0.0.3", 0))
        victim.settimeout(0.2)
        self.addCleanup(victim.close)
        vport = victim.getsockname()[1]
        cli = RawCli(self, "--auto-answer", "--media-timeout", "60")
        t0 = time.monotonic()
        sock = invite(cli.port, ports.free_port(), user=b"eve", display=b'"Eve"',
                      sdp_host="127.0.0.3", sdp_port=vport)
        self.addCleanup(sock.close)
        # times from the first packet: media starts when the call is answered
        early, late, first = 0, 0, None
        # the guard counts 10 s from the (last) start of the media pipeline,
        # which may be some seconds after the first packet: look from 17 s on
        while time.monotonic() - t0 < 30 and (first is None or time.monotonic() - first < 20):
            try:
                victim.recvfrom(65535)
            except socket.timeout:
                continue
            now = time.monotonic()
            first = first or now
            if now - first < 8:
                early += 1
            elif now - first > 17:
                late += 1
        out, err = cli.stop()
        self.assertGreater(early, 20, "no media reached the c= address at first\n"
                           + err.decode()[-1500:])
        self.assertEqual(late, 0, "still sending to a silent address after 10 s\n"
                         + err.decode()[-1500:])


class ChallengeTest(SecureCase):
    """A challenge gets our password only for our server's realm and only
    when it comes from our server (captured at the responder's socket)."""

    def challenged(self, realm, reply_from):
        port = ports.free_port()
        hostile = started(self, Challenger(port, realm, reply_from))
        registrar = "sip:127.0.0.1:%d" % port
        cli = self.cli("sip:alice@127.0.0.1:%d" % port, "secret", registrar)
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline and not hostile.authorized():
            time.sleep(0.2)
        time.sleep(1)
        return hostile, cli

    def test_challenge_from_our_server_is_answered(self):
        # the control: the responder can see an Authorization when one is sent
        hostile, _ = self.challenged("127.0.0.1", "127.0.0.1")
        self.assertTrue(hostile.authorized(), hostile.requests)

    def test_foreign_realm_gets_no_authorization(self):
        hostile, cli = self.challenged("evil.example", "127.0.0.1")
        self.assertTrue(hostile.requests, "no REGISTER arrived\n" + cli.describe())
        self.assertEqual(hostile.authorized(), [])

    def test_challenge_from_third_address_gets_no_authorization(self):
        hostile, cli = self.challenged("127.0.0.1", "127.0.0.2")
        self.assertTrue(hostile.requests, "no REGISTER arrived\n" + cli.describe())
        self.assertEqual(hostile.authorized(), [])


if __name__ == "__main__":
    unittest.main()
