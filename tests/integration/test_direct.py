# SPDX-License-Identifier: GPL-3.0-or-later
"""Two mtavip-cli phones on loopback in direct mode (issue 2).

Each phone is a separate `mtavip-cli --json` process on its own port, with
test sources and fake sinks unless a test says otherwise. The tests wait on
events with generous timeouts; none depends on timing luck.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.pulse import PulseAudio  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402

SMALL_VIDEO = ["--video-size", "320x240"]


def phone(name, port=None, video=True, extra=()):
    return CliPhone(account=None, listen_port=port, video=video, name=name,
                    extra=list(extra) + (SMALL_VIDEO if video else []))


def uri_of(p, transport=None):
    u = "sip:%s@127.0.0.1:%d" % (p.name, p.listen_port)
    return u + (";transport=%s" % transport if transport else "")


class DirectCallTest(unittest.TestCase):
    def setUp(self):
        self.phones = []

    def tearDown(self):
        for p in self.phones:
            p.stop()

    def start(self, p, listener=True):
        self.phones.append(p)
        p.start()
        if listener:
            # the listener is up when its port answers TCP
            ports.wait_tcp(p.listen_port, proc=p.proc.proc)
        return p

    def assert_media_both_ways(self, p, video=True):
        """Media arrived both ways: counts well above zero, not just signalling."""
        p.wait_media(audio_packets=100, video_frames=20 if video else 0, timeout=30)
        m = p.last_media()
        self.assertIn("audio", m)
        self.assertGreater(m["audio"]["decoded"], 50, p.describe())
        if video:
            self.assertIn("video", m, p.describe())
            self.assertGreater(m["video"]["frames_decoded"], 20, p.describe())
            self.assertEqual((m["video"]["width"], m["video"]["height"]), (320, 240))
        else:
            self.assertNotIn("video", m, p.describe())

    def call_and_hang_up(self, hangup_side, transport=None, video=True, a_more=()):
        b_extra = ["--auto-answer", "--exit-after-call"]
        a_extra = ["--exit-after-call"] + list(a_more)
        if hangup_side == "a":
            a_extra += ["--hangup-after", "5"]
        else:
            b_extra += ["--hangup-after", "5"]
        if transport:
            a_extra += ["--transport", transport]
            b_extra += ["--transport", transport]
        b = self.start(phone("bob", video=video, extra=b_extra))
        a = self.start(phone("alice", video=video,
                             extra=a_extra + ["--call", uri_of(b, transport)]), False)

        b.wait_call("incoming")
        a.wait_call("active")
        b.wait_call("active")
        self.assert_media_both_ways(a, video)
        self.assert_media_both_ways(b, video)

        self.assertEqual(a.wait_exit(), 0, a.describe())
        self.assertEqual(b.wait_exit(), 0, b.describe())
        self.assertEqual(a.call_states(), ["calling", "ringing", "active", "ended"], a.describe())
        self.assertEqual(b.call_states(), ["incoming", "active", "ended"], b.describe())
        local, remote = ("local-hangup", "remote-hangup")
        if hangup_side == "b":
            local, remote = remote, local
        self.assertEqual(a.end_reason(), local, a.describe())
        self.assertEqual(b.end_reason(), remote, b.describe())
        return a, b

    def test_call_without_offer_in_the_invite(self):
        """Alice's INVITE carries no SDP (--delayed-offer): Bob's 200 carries
        his offer, her ACK the answer; audio and video both ways."""
        self.call_and_hang_up("a", a_more=["--delayed-offer"])

    def test_call_caller_hangs_up(self):
        a, b = self.call_and_hang_up("a")
        # a final media report comes as the call ends, before the ended event
        self.assertEqual(a.events[-2]["event"], "media")

    def test_call_callee_hangs_up(self):
        self.call_and_hang_up("b")

    def test_audio_only_call(self):
        self.call_and_hang_up("a", video=False)

    def test_call_over_tcp(self):
        self.call_and_hang_up("a", transport="tcp")

    def test_callee_declines(self):
        b = self.start(phone("bob", extra=["--auto-decline", "--exit-after-call"]))
        a = self.start(phone("alice", extra=["--exit-after-call", "--call", uri_of(b)]), False)
        self.assertNotEqual(a.wait_exit(), 0)
        b.wait_exit()
        self.assertEqual(a.end_reason(), "declined", a.describe())
        self.assertEqual(a.call_states(), ["calling", "ringing", "ended"])
        self.assertEqual(b.end_reason(), "declined", b.describe())

    def test_pcmu_call_sends_20ms_packets(self):
        b = self.start(phone("bob", video=False,
                             extra=["--auto-answer", "--exit-after-call", "--audio-codecs", "PCMU"]))
        a = self.start(phone("alice", video=False,
                             extra=["--exit-after-call", "--hangup-after", "4", "--call", uri_of(b)]),
                       False)
        a.wait_media(audio_packets=100, video_frames=0, timeout=30)
        self.assertEqual(a.wait_exit(), 0, a.describe())
        for p in (a, b):
            audio = p.last_media()["audio"]
            self.assertEqual(audio["codec"], "PCMU")
            # 160 samples of 8 kHz a packet + the 12-byte RTP header: 20 ms
            self.assertAlmostEqual(audio["tx_bytes"] / audio["tx_packets"], 172, delta=1)
            self.assertLess(audio["jitter_ms"], 20, p.describe())

    def test_busy_while_in_a_call(self):
        b = self.start(phone("bob", video=False, extra=["--auto-answer"]))
        a = self.start(phone("alice", video=False, extra=["--call", uri_of(b)]), False)
        a.wait_call("active")
        c = self.start(phone("carol", video=False, extra=["--exit-after-call", "--call", uri_of(b)]),
                       False)
        self.assertEqual(c.wait_exit(), 1)
        self.assertEqual(c.end_reason(), "busy", c.describe())
        self.assertEqual(c.events[-1].get("status"), "486 Busy Here", c.describe())
        # the call that was going on is untouched
        self.assertEqual(a.call_states()[-1], "active")

    def test_hold_and_resume(self):
        b = self.start(phone("bob", extra=["--auto-answer", "--exit-after-call"]))
        a = self.start(phone("alice", extra=["--exit-after-call", "--call", uri_of(b),
                                             "--hold-after", "3", "--resume-after", "4",
                                             "--hangup-after", "12"]), False)
        self.assertEqual(a.wait_exit(timeout=40), 0, a.describe())
        self.assertEqual(b.wait_exit(), 0, b.describe())
        self.assertEqual(a.call_states(), ["calling", "ringing", "active", "held", "active", "ended"])
        self.assertEqual(b.call_states(), ["incoming", "active", "held", "active", "ended"])

        def window(p):
            """media events while held and after the resume"""
            calls = [i for i, e in enumerate(p.events) if e.get("event") == "call"]
            held = next(i for i in calls if p.events[i]["state"] == "held")
            resumed = next(i for i in calls if i > held and p.events[i]["state"] == "active")
            media = lambda lo, hi: [e for e in p.events[lo:hi] if e.get("event") == "media"]
            return media(held, resumed), media(resumed, len(p.events))

        # while held, bob (held by alice: a=recvonly) sends nothing; alice keeps sending
        b_held, b_after = window(b)
        self.assertGreaterEqual(len(b_held), 2, b.describe())
        sent = [e["audio"]["tx_packets"] for e in b_held[1:]]
        self.assertLessEqual(max(sent) - min(sent), 3, b.describe())
        got = [e["audio"]["rx_packets"] for e in b_held]
        self.assertGreater(got[-1] - got[0], 40, b.describe())
        # after the resume both ways again, video too
        self.assertGreater(b_after[-1]["audio"]["tx_packets"] - b_held[-1]["audio"]["tx_packets"], 100)
        self.assertGreater(b_after[-1]["video"]["frames_decoded"], b_held[-1]["video"]["frames_decoded"])
        a_held, a_after = window(a)
        self.assertGreater(a_after[-1]["audio"]["rx_packets"] - a_held[-1]["audio"]["rx_packets"], 100)

    def test_sip_trace(self):
        b = self.start(phone("bob", video=False, extra=["--auto-decline", "--exit-after-call"]))
        a = self.start(phone("alice", video=False, extra=["--exit-after-call", "--sip-trace",
                                                           "--call", uri_of(b)]), False)
        a.wait_exit()
        trace = open(a.log_path).read()
        for line in ("INVITE %s SIP/2.0" % uri_of(b), "SIP/2.0 180 Ringing",
                     "SIP/2.0 603 Decline", "Content-Type: application/sdp"):
            self.assertIn(line, trace)
        self.assertNotIn("INVITE sip:", open(b.log_path).read())

    def test_caller_cancels_before_answer(self):
        b = self.start(phone("bob", extra=["--exit-after-call"]))
        a = self.start(phone("alice", extra=["--exit-after-call", "--call", uri_of(b)]), False)
        a.wait_call("ringing")
        b.wait_call("incoming")
        a.interrupt()          # SIGINT while ringing: the phone cancels and exits
        a.wait_exit()
        b.wait_exit()
        self.assertEqual(a.end_reason(), "cancelled", a.describe())
        self.assertEqual(b.end_reason(), "cancelled", b.describe())
        self.assertNotIn("active", b.call_states())

    def test_nobody_listening(self):
        dead_port = ports.free_port()
        started = time.monotonic()
        a = self.start(phone("alice", extra=["--exit-after-call", "--call",
                                             "sip:nobody@127.0.0.1:%d" % dead_port]), False)
        self.assertEqual(a.wait_exit(timeout=45), 1)
        self.assertLess(time.monotonic() - started, 45)
        self.assertIn(a.end_reason(), ("unreachable", "no-answer"), a.describe())

    def test_no_common_codec(self):
        b = self.start(phone("bob", video=False,
                             extra=["--auto-answer", "--exit-after-call", "--audio-codecs", "opus"]))
        with SipCapture([b.listen_port]) as cap:
            a = self.start(phone("alice", video=False,
                                 extra=["--exit-after-call", "--audio-codecs", "PCMA",
                                        "--call", uri_of(b)]), False)
            self.assertEqual(a.wait_exit(), 1)
            b.wait_exit()
        self.assertEqual(a.end_reason(), "no-common-codec", a.describe())
        self.assertEqual(b.end_reason(), "no-common-codec", b.describe())
        cap.assert_order(["INVITE", "488", "ACK"], port=b.listen_port)
        self.assertNotIn("200", cap.labels(port=b.listen_port, method="INVITE"))

    def test_far_end_killed_mid_call(self):
        b = self.start(phone("bob", extra=["--auto-answer"]))
        a = self.start(phone("alice", extra=["--exit-after-call", "--call", uri_of(b)]), False)
        a.wait_call("active")
        self.assert_media_both_ways(a)
        killed = time.monotonic()
        b.proc.signal_group(signal.SIGKILL)
        a.wait_call("ended", timeout=20)
        self.assertLess(time.monotonic() - killed, 15.5, a.describe())
        self.assertEqual(a.end_reason(), "media-timeout", a.describe())
        self.assertEqual(a.wait_exit(), 1)


class OpenH264Test(unittest.TestCase):
    """Without x264 and libav (as in the GNOME Flatpak runtime) H.264 goes
    through OpenH264."""

    def test_h264_call_through_openh264(self):
        import glob
        plugins = tempfile.mkdtemp(prefix="mtavip-gst-")
        system = os.path.dirname(glob.glob("/usr/lib/*/gstreamer-1.0/libgstcoreelements.so")[0])
        for path in glob.glob(os.path.join(system, "*.so")):
            if os.path.basename(path) not in ("libgstx264.so", "libgstlibav.so"):
                os.symlink(path, os.path.join(plugins, os.path.basename(path)))
        saved = dict(os.environ)
        os.environ["GST_PLUGIN_SYSTEM_PATH_1_0"] = plugins
        os.environ["GST_REGISTRY_1_0"] = os.path.join(plugins, "registry.bin")
        try:
            b = phone("bob", extra=["--auto-answer", "--exit-after-call", "--video-codecs", "H264"])
            b.start()
            ports.wait_tcp(b.listen_port, proc=b.proc.proc)
            a = phone("alice", extra=["--exit-after-call", "--hangup-after", "4",
                                      "--video-codecs", "H264", "--call", uri_of(b)])
            a.start()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        try:
            for p in (a, b):
                p.wait_media(audio_packets=50, video_frames=20, timeout=30)
                self.assertEqual(p.last_media()["video"]["codec"], "H264")
            self.assertEqual(a.wait_exit(), 0, a.describe())
        finally:
            a.stop()
            b.stop()


class NoCameraTest(unittest.TestCase):
    """A machine without a camera: `auto` video gives an audio call and says so."""

    def test_missing_camera_gives_audio_only_call(self):
        saved = dict(os.environ)
        os.environ["MTAVIP_DEVICE_DIR"] = tempfile.mkdtemp(prefix="mtavip-nodev-")
        try:
            b = phone("bob", extra=["--auto-answer", "--exit-after-call"])
            b.start()
            ports.wait_tcp(b.listen_port, proc=b.proc.proc)
            a = CliPhone(account=None, name="alice", video=True,
                         extra=["--video-source", "auto", "--video-sink", "fake",
                                "--exit-after-call", "--hangup-after", "3", "--call", uri_of(b)])
            a.start()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        try:
            warning = a.wait_event(lambda e: e.get("event") == "warning", 15, "warning")
            self.assertIn("camera", warning["message"])
            a.wait_call("active")
            self.assertEqual(a.wait_exit(), 0, a.describe())
            self.assertNotIn("video", a.last_media(), a.describe())
            self.assertFalse([e for e in a.events if e.get("event") == "call"][-1]["video"])
        finally:
            a.stop()
            b.stop()


class FileSourceTest(unittest.TestCase):
    """A GStreamer bin description with decodebin/uridecodebin as the video
    source (issue 11, item 6): its pad appears only once the file is typed,
    and the call must still send that video."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="mtavip-clip-")
        cls.clip = os.path.join(cls.dir, "clip.webm")
        subprocess.run(["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=300", "pattern=ball",
                        "!", "video/x-raw,width=320,height=240,framerate=30/1",
                        "!", "vp8enc", "deadline=1", "!", "webmmux",
                        "!", "filesink", "location=" + cls.clip], check=True, timeout=60)

    def call_with_source(self, source):
        b = phone("bob", extra=["--auto-answer", "--exit-after-call"])
        b.start()
        try:
            ports.wait_tcp(b.listen_port, proc=b.proc.proc)
            a = phone("alice", extra=["--video-source", source, "--exit-after-call",
                                      "--hangup-after", "4", "--call", uri_of(b)])
            a.start()
            try:
                b.wait_media(audio_packets=50, video_frames=20, timeout=30)
                self.assertEqual(a.wait_exit(), 0, a.describe())
                self.assertGreater(a.last_media()["video"]["tx_packets"], 50, a.describe())
                self.assertGreater(b.last_media()["video"]["frames_decoded"], 20, b.describe())
            finally:
                a.stop()
        finally:
            b.stop()

    def test_decodebin_source(self):
        self.call_with_source("filesrc location=%s ! decodebin ! videoconvert" % self.clip)

    def test_uridecodebin_source(self):
        self.call_with_source("uridecodebin uri=file://%s ! videoconvert" % self.clip)


class EchoTest(unittest.TestCase):
    """--echo-test calls the built-in echo service: our own media comes back."""

    def test_echo_service_returns_our_media(self):
        a = phone("alice", extra=["--echo-test", "--exit-after-call", "--hangup-after", "5"])
        a.start()
        try:
            a.wait_call("active")
            a.wait_media(audio_packets=100, video_frames=20, timeout=30)
            self.assertEqual(a.wait_exit(), 0, a.describe())
            self.assertEqual(a.end_reason(), "local-hangup")
            self.assertTrue(a.events[0]["remote"].startswith("sip:echo@127.0.0.1:"))
        finally:
            a.stop()


class RealAudioTest(unittest.TestCase):
    """`auto` audio through a PulseAudio daemon with a null sink."""

    def test_auto_audio_through_pulseaudio(self):
        with PulseAudio() as pa:
            saved = dict(os.environ)
            os.environ.update(pa.env())
            try:
                b = phone("bob", video=False, extra=["--auto-answer", "--exit-after-call",
                                                     "--audio-source", "auto",
                                                     "--audio-sink", "auto"])
                b.start()
                ports.wait_tcp(b.listen_port, proc=b.proc.proc)
                a = phone("alice", video=False, extra=["--exit-after-call", "--hangup-after", "5",
                                                       "--call", uri_of(b)])
                a.start()
            finally:
                os.environ.clear()
                os.environ.update(saved)
            try:
                b.wait_call("active")
                # bob plays alice's tone into the null sink: audible there
                b.wait_media(audio_packets=100, video_frames=0, timeout=30)
                rms = pa.monitor_rms(seconds=1.0)
                self.assertGreater(rms, 100, "nothing audible reached the null sink")
                self.assertEqual(a.wait_exit(), 0, a.describe())
                self.assertEqual(b.wait_exit(), 0, b.describe())
                self.assertEqual(b.end_reason(), "remote-hangup")
            finally:
                a.stop()
                b.stop()


class BadArgumentsTest(unittest.TestCase):
    def run_cli(self, *args, env=None):
        return subprocess.run([cli_path(), *args], capture_output=True, text=True,
                              timeout=30, env=env)

    def assert_usage_error(self, result, words):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = [l for l in result.stderr.splitlines() if not l.startswith("su_source")]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(words, lines[0])

    def test_malformed_uri(self):
        r = self.run_cli("--listen", "127.0.0.1:%d" % ports.free_port(), "--call", "sip:bob@")
        self.assert_usage_error(r, "--call")

    def test_unreadable_password_file(self):
        r = self.run_cli("--listen", "127.0.0.1:%d" % ports.free_port(),
                         "--account", "sip:alice@127.0.0.1", "--password-file", "/nonexistent/pw")
        self.assert_usage_error(r, "password file")

    def test_port_in_use(self):
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        try:
            r = self.run_cli("--listen", "127.0.0.1:%d" % port)
        finally:
            s.close()
        self.assert_usage_error(r, "in use")

    def test_bad_transport(self):
        r = self.run_cli("--transport", "carrier-pigeon")
        self.assert_usage_error(r, "udp, tcp or tls")


if __name__ == "__main__":
    unittest.main(verbosity=2)
