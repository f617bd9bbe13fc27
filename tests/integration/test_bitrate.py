# SPDX-License-Identifier: GPL-3.0-or-later
"""Settable encoder rates (issue 11): --audio-bitrate and --video-bitrate
reach the encoders, measured in the bytes sent (echo test, so one phone)."""

import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from clirunner import CliPhone  # noqa: E402

# a moving picture with detail: fills a high rate, fits a low one
PICTURE = "videotestsrc is-live=true pattern=smpte horizontal-speed=8"


def kbps(phone, kind, seconds=3.0):
    """Send rate of `kind` over `seconds`, from the JSON media counters."""
    first = phone.last_media()[kind]["tx_bytes"]
    time.sleep(seconds)
    last = phone.last_media()[kind]["tx_bytes"]
    return 8 * (last - first) / seconds / 1000


class BitrateTest(unittest.TestCase):
    def rates(self, extra):
        a = CliPhone(account=None, video=True, name="alice",
                     extra=["--echo-test", "--exit-after-call", "--hangup-after", "8",
                            "--video-source", PICTURE] + extra)
        a.start()
        try:
            a.wait_call("active")
            a.wait_media(audio_packets=50, video_frames=10, timeout=30)
            rates = kbps(a, "audio"), kbps(a, "video")
            self.assertEqual(a.wait_exit(), 0, a.describe())
        finally:
            a.stop()
        return rates

    def test_rates_reach_the_encoders(self):
        low_audio, low_video = self.rates(["--audio-bitrate", "12", "--video-bitrate", "150"])
        high_audio, high_video = self.rates(["--audio-bitrate", "96", "--video-bitrate", "1200"])
        # RTP/UDP headers aside, Opus keeps to its rate
        self.assertLess(low_audio, 24, "audio at %.0f kbit/s" % low_audio)
        self.assertGreater(high_audio, 2.5 * low_audio, "audio %.0f vs %.0f kbit/s" % (high_audio, low_audio))
        self.assertLess(low_video, 450, "video at %.0f kbit/s" % low_video)
        self.assertGreater(high_video, 2 * low_video,
                           "video %.0f vs %.0f kbit/s" % (high_video, low_video))

    def test_bad_rates_refused(self):
        import subprocess
        from clirunner import cli_path
        r = subprocess.run([cli_path(), "--audio-bitrate", "2"], capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--audio-bitrate", r.stderr)


if __name__ == "__main__":
    unittest.main()
