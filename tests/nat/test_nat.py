# SPDX-License-Identifier: GPL-3.0-or-later
"""NAT suite (issue 9): calls between phones behind two NATs, through a
provider-like Kamailio that fixes SIP for NAT (rport, received, Contact)
and relays no media: ICE (STUN, TURN) has to find the way.

The lab (tests/fixtures/natlab.py) is network namespaces on documentation
addresses only. Each case asserts media both ways: RTP packets counted and
audio decoded on both phones, and what ICE chose.

Needs root, iproute2, iptables, kamailio; coturn for the TURN cases (they
are skipped without it, saying so); MTAVIP_CLI (meson sets it).

Run: meson test -C _build --suite nat --print-errorlogs
"""

import os
import re
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
sys.path.insert(0, os.path.join(TESTS, "interop"))

from clirunner import CliPhone, cli_path  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures.coturn import PASSWORD as TURN_PASSWORD, USER as TURN_USER, Coturn  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.natlab import ADDRESSES, PUBLIC, NatLab  # noqa: E402
from fixtures.process import Managed, make_tempdir, wait_until  # noqa: E402
from fixtures.process import MissingProgram, require  # noqa: E402

STUN_PORT = 3478


def sent_invites(log_path):
    """The SDP bodies of the INVITEs a phone sent, from its --sip-trace."""
    with open(log_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    bodies = []
    for block in re.split(r"^(?=send \d+ bytes |recv \d+ bytes )", text, flags=re.M):
        if not block.startswith("send "):
            continue
        lines = [ln[3:] for ln in block.splitlines()[1:]
                 if ln.startswith("   ") and not ln.startswith("   ---")]
        if lines and lines[0].startswith("INVITE ") and "v=0" in lines:
            bodies.append("\n".join(lines[lines.index("v=0"):]))
    return bodies


class NatCase(unittest.TestCase):
    SYMMETRIC = (False, False)
    TURN = False
    UDP_TIMEOUT = None

    def setUp(self):
        cli_path()  # fails (not skips) when MTAVIP_CLI is unset
        if os.geteuid() != 0:
            self.fail("the NAT lab needs root (network namespaces)")
        self.turnserver = None
        if self.TURN:
            try:
                self.turnserver = require("turnserver", "coturn")
            except MissingProgram as e:
                self.skipTest("%s (tools/deps.txt lists coturn)" % e)
        self.dir = make_tempdir("nat")
        self._clis = []
        self.lab = NatLab(symmetric=self.SYMMETRIC, udp_timeout=self.UDP_TIMEOUT).start()
        self.addCleanup(self.lab.stop)
        self.kam = Kamailio(netns=self.lab.ns["pub"], host=PUBLIC, nat=True)
        self.kam.start()
        self.addCleanup(self.kam.stop)
        self._start_stun_turn()
        self.addCleanup(self._report)

    def _start_stun_turn(self):
        pub = self.lab.ns["pub"]
        if self.turnserver:
            self.server = Coturn(netns=pub, host=PUBLIC, port=STUN_PORT).start()
            self.addCleanup(self.server.stop)
            return
        log = os.path.join(self.dir, "stun.log")
        argv = [sys.executable, "-m", "fixtures.stunserver", PUBLIC, str(STUN_PORT)]
        server = Managed(pub.wrap(argv), log, cwd=TESTS)
        self.addCleanup(server.stop)

        def listening():
            out = pub.exec("ss", "-lnu")
            return ("%s:%d" % (PUBLIC, STUN_PORT)) in out
        wait_until(listening, timeout=10, what="STUN server")
        self.server = server

    def _report(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result is None or (not result.failures and not result.errors):
            return
        for c in self._clis:
            sys.stderr.write("\n--- %s ---\n%s\n" % (c.name, c.describe()))
        sys.stderr.write("\n--- kamailio ---\n%s\n" % self.kam.log_tail(40))
        sys.stderr.write("\n--- stun/turn ---\n%s\n" % self.server.log_tail(20))

    # ------------------------------------------------------------ helpers
    def turn_options(self, transport="udp"):
        path = os.path.join(self.dir, "turn-password")
        with open(path, "w") as f:
            f.write(TURN_PASSWORD + "\n")
        return ["--turn", "%s:%d" % (PUBLIC, STUN_PORT), "--turn-transport", transport,
                "--turn-user", TURN_USER, "--turn-password-file", path]

    def stun_options(self):
        return ["--stun", "%s:%d" % (PUBLIC, STUN_PORT)]

    def phone(self, host, user, extra=(), transport="udp", video=False, listen_host=None):
        c = CliPhone(account=self.kam.uri(user), password=self.kam.users[user],
                     registrar=self.kam.proxy_uri, transport=transport,
                     extra=["--media-timeout", "15"] + list(extra), video=video,
                     name="%s-%s" % (user, host), netns=self.lab.ns[host],
                     listen_host=listen_host or ADDRESSES[host])
        self._clis.append(c)
        self.addCleanup(c.stop)
        return c

    def call(self, caller_host, callee_host, caller_extra=(), callee_extra=(),
             caller_transport="udp", video=False):
        """bob (callee) registers and answers, then alice calls him; both see
        media both ways. Returns (alice, bob)."""
        bob = self.phone(callee_host, "bob", ["--auto-answer"] + list(callee_extra),
                         video=video).start()
        bob.wait_registration("registered", timeout=20)
        alice = self.phone(caller_host, "alice",
                           ["--call", self.kam.uri("bob")] + list(caller_extra),
                           transport=caller_transport, video=video).start()
        alice.wait_call("active", timeout=30)
        bob.wait_call("active", timeout=10)
        frames = 15 if video else 0
        alice.wait_media(audio_packets=40, video_frames=frames, timeout=30)
        bob.wait_media(audio_packets=40, video_frames=frames, timeout=30)
        return alice, bob

    def ice_of(self, phone, stream="audio"):
        media = phone.last_media() or {}
        return (media.get(stream) or {}).get("ice") or {}

    def assert_ice(self, phone, local=None, remote=None, stream="audio"):
        ice = self.ice_of(phone, stream)
        self.assertEqual(ice.get("state"), "connected", phone.describe())
        if local is not None:
            self.assertIn(ice.get("local"), local, phone.describe())
        if remote is not None:
            self.assertIn(ice.get("remote"), remote, phone.describe())
        return ice


class ConeNats(NatCase):
    def test_stun_through_cone_nats(self):
        """Both behind cone-like NATs, STUN only: the private host candidates
        cannot meet, the server-reflexive ones do."""
        alice, bob = self.call("a", "b", self.stun_options(), self.stun_options(), video=True)
        for phone in (alice, bob):
            for stream in ("audio", "video"):
                self.assert_ice(phone, local=("host", "srflx", "prflx"),
                                remote=("srflx", "prflx"), stream=stream)

    def test_reinvite_names_the_selected_pair(self):
        """Once ICE has completed, Alice's hold and resume re-INVITEs put the
        selected pair's local candidate in m=/c= and list only it, and, as
        the controlling agent, the peer's side in a=remote-candidates (RFC
        8839 4.4.1.2.2). Media flows again after the resume."""
        alice, bob = self.call("a", "b", self.stun_options() + ["--sip-trace", "--hold-after", "2",
                                                                "--resume-after", "1"],
                               self.stun_options())
        held = alice.wait_event(lambda e: e.get("event") == "call" and e.get("state") == "held",
                                timeout=10, what="held")
        resumed = alice.wait_event(lambda e: e.get("event") == "call" and e.get("state") == "active"
                                   and e["_time"] > held["_time"], timeout=10, what="resumed")
        offers = [sdp for sdp in sent_invites(alice.log_path) if "a=sendonly" in sdp or
                  ("a=sendrecv" in sdp and "a=remote-candidates" in sdp)]
        self.assertEqual(len(offers), 2, "hold and resume offers\n%s" % alice.proc.log_tail(80))
        for sdp in offers:
            port = int(re.search(r"^m=audio (\d+) ", sdp, re.M).group(1))
            address = re.search(r"^c=IN IP4 (\S+)", sdp, re.M).group(1)
            rtp = [c.split() for c in re.findall(r"^a=candidate:(.*)$", sdp, re.M)
                   if c.split()[1] == "1"]
            self.assertEqual(len(rtp), 1, sdp)
            self.assertEqual((rtp[0][4], int(rtp[0][5])), (address, port), sdp)
            self.assertRegex(sdp, r"a=remote-candidates:1 203\.0\.113\.12 \d+")
        rx = ((alice.last_media() or {}).get("audio") or {}).get("rx_packets", 0)
        alice.wait_event(lambda e: e.get("event") == "media" and e["_time"] > resumed["_time"] and
                         e["audio"]["rx_packets"] >= rx + 40, timeout=10, what="media after resume")
        self.assert_ice(alice)

    def test_one_side_public(self):
        """A phone with a public address calls one behind a NAT."""
        alice, bob = self.call("p", "a", self.stun_options(), self.stun_options())
        self.assert_ice(alice, remote=("srflx", "prflx"))
        self.assert_ice(bob, remote=("host",))

    def test_peer_without_ice(self):
        """A public phone with --no-ice calls one behind a NAT: plain RTP.
        The NATed phone learnt its public address by STUN and put it in m=/c=
        (its default candidate); it sends first, which opens its NAT."""
        alice, bob = self.call("p", "a", ["--no-ice"], self.stun_options())
        self.assertNotIn("ice", alice.last_media()["audio"])
        self.assertNotIn("ice", bob.last_media()["audio"])

    def test_without_stun_no_media_path(self):
        """No STUN, no TURN, two NATs: only private host candidates, and ICE
        says so (failed) instead of sending into the void."""
        bob = self.phone("b", "bob", ["--auto-answer", "--ice"]).start()
        bob.wait_registration("registered", timeout=20)
        alice = self.phone("a", "alice", ["--call", self.kam.uri("bob"), "--ice"]).start()
        alice.wait_call("active", timeout=30)
        alice.wait_event(lambda e: e.get("event") == "media" and
                         ((e.get("audio") or {}).get("ice") or {}).get("state") == "failed",
                         timeout=30, what="ICE failed")
        media = alice.last_media()["audio"]
        self.assertEqual(media["rx_packets"], 0)


class BaresipIce(NatCase):
    """Interop: our phone with ICE behind NAT 1, baresip with its ice, stun
    and turn modules (medianat=ice, a STUN server) behind NAT 2."""

    def baresip(self, user, **kw):
        b = Baresip(user, registrar=self.kam, netns=self.lab.ns["b"], host=ADDRESSES["b"],
                    stun_server="%s:%d" % (PUBLIC, STUN_PORT), video_codecs=[],
                    audio_codecs=["opus/48000/2"], **kw)
        self.addCleanup(self._baresip_report, b)
        b.start()
        self.addCleanup(b.stop)
        return b

    def _baresip_report(self, b):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is not None and (result.failures or result.errors):
            sys.stderr.write("\n--- baresip %s ---\n%s\n" % (b.user, b.log_tail(60)))

    def assert_baresip_media(self, bob):
        """baresip's ICE completed and its own RTCP statistics count RTP
        sent and received."""
        st = bob.wait_media(kinds=["audio"], min_packets=40, timeout=20)["audio"]
        self.assertGreater(st["rx"]["sent"], 40, st)
        log = bob.log_text()
        self.assertIn("ice: audio: connectivity check is complete", log)
        self.assertIn("stream: mnat 'ice' connected", log)
        self.assertEqual(bob.find_events("CALL_CLOSED"), [], bob.log_tail(40))

    def test_calls_baresip_behind_the_other_nat(self):
        """mtavip-cli --stun behind NAT 1 calls baresip behind NAT 2."""
        bob = self.baresip("bob", answermode="auto")
        bob.wait_registered(timeout=20)
        alice = self.phone("a", "alice", ["--call", self.kam.uri("bob")] + self.stun_options())
        alice.start()
        alice.wait_call("active", timeout=30)
        alice.wait_media(audio_packets=40, video_frames=0, timeout=30)
        self.assert_ice(alice, local=("host", "srflx", "prflx"), remote=("srflx", "prflx"))
        self.assert_baresip_media(bob)

    def test_baresip_calls_us(self):
        """baresip behind NAT 2 calls mtavip-cli --stun behind NAT 1."""
        bob = self.phone("a", "bob", ["--auto-answer"] + self.stun_options()).start()
        bob.wait_registration("registered", timeout=20)
        alice = self.baresip("alice")
        alice.wait_registered(timeout=20)
        alice.dial(self.kam.uri("bob"))
        bob.wait_call("active", timeout=30)
        bob.wait_media(audio_packets=40, video_frames=0, timeout=30)
        self.assert_ice(bob, local=("host", "srflx", "prflx"), remote=("srflx", "prflx"))
        self.assert_baresip_media(alice)


class KeepAlive(NatCase):
    """Both NATs forget an idle UDP mapping after 30 s."""
    UDP_TIMEOUT = 30

    def test_incoming_call_minutes_after_registering(self):
        """Bob registers through a NAT that forgets idle mappings after 30 s;
        his keep-alives hold the mapping open, so Alice's call placed 120 s
        later still reaches him, rings and connects."""
        bob = self.phone("b", "bob", ["--auto-answer"] + self.stun_options()).start()
        bob.wait_registration("registered", timeout=20)
        time.sleep(120)
        self.assertTrue(bob.proc.alive(), bob.describe())
        self.assertNotIn("failed", bob.registration_states(), bob.describe())
        alice = self.phone("a", "alice", ["--call", self.kam.uri("bob")] + self.stun_options())
        alice.start()
        bob.wait_call("incoming", timeout=20)
        alice.wait_call("active", timeout=20)
        bob.wait_media(audio_packets=40, video_frames=0, timeout=30)
        alice.wait_media(audio_packets=40, video_frames=0, timeout=30)


class NetworkChange(NatCase):
    """Alice's media address goes away mid-call and another one comes up
    (Wi-Fi to cable): a new address, so a new mapping in her NAT."""

    SIP_ADDRESS = ADDRESSES["a"]      # stays in the first case, goes in the second
    OLD_MEDIA = "198.51.100.4"
    NEW_MEDIA = "198.51.100.5"

    def rx(self, phone):
        return ((phone.last_media() or {}).get("audio") or {}).get("rx_packets", 0)

    def call_from_a(self, before_start=None, **alice_options):
        """Bob registers, Alice calls him over ICE: media both ways.
        `before_start(alice)` runs before Alice's phone starts."""
        bob = self.phone("b", "bob", ["--auto-answer"] + self.stun_options()).start()
        bob.wait_registration("registered", timeout=20)
        alice = self.phone("a", "alice", ["--call", self.kam.uri("bob")] + self.stun_options(),
                           **alice_options)
        if before_start:
            before_start(alice)
        alice.start()
        alice.wait_call("active", timeout=30)
        for phone in (alice, bob):
            phone.wait_media(audio_packets=40, video_frames=0, timeout=30)
            self.assert_ice(phone)
        return alice, bob

    def test_call_survives_a_new_address(self):
        """The address the media leaves from is replaced during the call:
        the phone says it is reconnecting, re-REGISTERs, restarts ICE in a
        re-INVITE (new ufrag/pwd) and media flows both ways again within
        5 s, on the same call."""
        lab = self.lab
        lab.add_address("a", self.OLD_MEDIA)
        alice, bob = self.call_from_a(
            # SIP keeps its address; media can only leave from the one that
            # goes away (nothing but SIP leaves from the SIP address)
            lambda alice: lab.ns["a"].exec(
                lab.ns["a"].iptables, "-A", "OUTPUT", "-s", self.SIP_ADDRESS, "-p", "udp",
                "-m", "udp", "!", "--sport", str(alice.listen_port), "-j", "DROP"))
        registers = self.kam.log_text().count("REQ REGISTER")
        before = {p.name: self.rx(p) for p in (alice, bob)}

        changed = time.monotonic()
        lab.add_address("a", self.NEW_MEDIA)
        lab.remove_address("a", self.OLD_MEDIA)
        self.assert_call_carries_on(alice, bob, changed, before, registers)

    def test_call_survives_losing_its_only_address(self):
        """Alice's only address, the one SIP and media use, goes during the
        call and another one comes (the new network hands out a new
        address): SIP listens on the wildcard address, so its socket
        survives; the re-REGISTER and the re-INVITE restarting ICE leave
        from the new address, and media flows both ways again within 5 s."""
        lab = self.lab
        # the new address takes the place of the old one (else the kernel
        # drops every address of the subnet with its primary one)
        for conf in ("all", "lan"):
            lab.ns["a"].exec("sysctl", "-q", "-w",
                             "net.ipv4.conf.%s.promote_secondaries=1" % conf)
        alice, bob = self.call_from_a(listen_host="0.0.0.0")
        registers = self.kam.log_text().count("REQ REGISTER")
        before = {p.name: self.rx(p) for p in (alice, bob)}
        mapping = self.alice_sip_mappings()

        changed = time.monotonic()
        lab.add_address("a", self.NEW_MEDIA)
        lab.remove_address("a", ADDRESSES["a"])
        self.assert_call_carries_on(alice, bob, changed, before, registers)
        # SIP left from the new address: a new mapping in Alice's NAT
        self.assertTrue(self.alice_sip_mappings() - mapping, self.kam.log_tail(20))

    def test_no_network_for_30_s_ends_the_call(self):
        """Alice's only address goes and no other comes: she reconnects
        for 30 s, then ends the call with reason network-error (not
        media-timeout, which would have said so after 15 s)."""
        alice, _ = self.call_from_a(listen_host="0.0.0.0")
        self.lab.remove_address("a", ADDRESSES["a"])
        lost = alice.wait_event(lambda e: e.get("event") == "network" and e.get("reconnecting"),
                                timeout=5, what="reconnecting")
        ended = alice.wait_event(lambda e: e.get("event") == "call" and e.get("state") == "ended",
                                 timeout=35, what="call ended")
        self.assertEqual(ended.get("reason"), "network-error", alice.describe())
        self.assertGreater(ended["_time"] - lost["_time"], 29.0, alice.describe())

    def alice_sip_mappings(self):
        """The public ports Alice's SIP requests reached Kamailio from."""
        return set(re.findall(r"REQ \w+ .* from %s:(\d+)/udp" % re.escape(ADDRESSES["nat1"]),
                              self.kam.log_text()))

    def assert_call_carries_on(self, alice, bob, changed, before, registers):
        alice.wait_event(lambda e: e.get("event") == "network" and e.get("reconnecting"),
                         timeout=5, what="reconnecting")
        for phone in (alice, bob):
            phone.wait_event(lambda e, p=phone: e.get("event") == "media" and
                             e["_time"] > changed and
                             (e.get("audio") or {}).get("rx_packets", 0) >= before[p.name] + 40,
                             timeout=15, what="media again after the change")
        back = max(next(e["_time"] for e in p.media_events() if e["_time"] > changed and
                        e["audio"]["rx_packets"] >= before[p.name] + 40) for p in (alice, bob))
        self.assertLess(back - changed, 5.0 + 1.0,  # + one media report interval
                        "media came back %.1f s after the change\n%s\n%s"
                        % (back - changed, alice.describe(), bob.describe()))
        alice.wait_event(lambda e: e.get("event") == "network" and e.get("reconnecting") is False,
                         timeout=10, what="reconnected")
        for phone in (alice, bob):
            self.assert_ice(phone)
            calls = {e.get("id") for e in phone.events if e.get("event") == "call"}
            self.assertEqual(calls, {"1"}, phone.describe())
            self.assertNotIn("ended", phone.call_states(), phone.describe())
        # the registrar learnt the new way to Alice
        self.assertGreater(self.kam.log_text().count("REQ REGISTER"), registers,
                           self.kam.log_tail(20))


class SymmetricNats(NatCase):
    SYMMETRIC = (True, True)
    TURN = True

    def test_turn_relay_through_symmetric_nats(self):
        """Both behind symmetric NATs (--random-fully): only the relay works."""
        alice, bob = self.call("a", "b", self.turn_options(), self.turn_options())
        for phone in (alice, bob):
            ice = self.assert_ice(phone)
            self.assertIn("relay", (ice.get("local"), ice.get("remote")), phone.describe())


class UdpBlocked(NatCase):
    TURN = True

    def test_turn_over_tcp_with_udp_blocked(self):
        """Alice's network lets no UDP out: SIP over TCP and media through a
        TURN allocation made over TCP."""
        self.lab.block_udp("nat1")
        alice, bob = self.call("a", "b", self.turn_options("tcp"), self.stun_options(),
                               caller_transport="tcp")
        self.assert_ice(alice, local=("relay",))
        self.assert_ice(bob, remote=("relay",))


if __name__ == "__main__":
    unittest.main()
