#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Echo test contact: calling it runs a real SIP call to the built-in echo
service, and our own test pattern (SMPTE colour bars) comes back as the
remote video in the call window."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, screenshot  # noqa: E402

PATTERN = "videotestsrc pattern=smpte is-live=true"


def pixel(png, x, y):
    out = subprocess.run(["/usr/bin/convert", png, "-format", "%%[pixel:p{%d,%d}]" % (x, y), "info:"],
                         check=True, capture_output=True, text=True).stdout.strip()
    # srgb(191,191,0) or srgba(...)
    nums = out[out.index("(") + 1:out.index(")")].split(",")
    return tuple(int(float(n)) for n in nums[:3])


def main():
    with UiTest("echo") as t:
        app = t.start_app(extra_env={"MTAVIP_VIDEO_SOURCE": PATTERN})
        app.wait_window("MTAVIPClient")
        app.click("Video call Echo test")
        call = app.call_state(lambda c: c["state"] == "active" and "echo@" in c["remote"], 20,
                              "the echo call to be active")
        log("echo call", call)
        shown = app.call_state(lambda c: "echo@" in c["remote"] and c["remote-frames-shown"] >= 20,
                               30, "our video coming back")
        log("frames", shown)
        wid = app.raise_window("Echo test")
        shot = screenshot("echo-call.png", wid)
        # SMPTE bars across an 800x600 window showing 640x480 scaled: 7 bars of ~114 px
        yellow, cyan, blue = pixel(shot, 171, 250), pixel(shot, 285, 250), pixel(shot, 742, 250)
        log("bars", yellow, cyan, blue)
        check(yellow[0] > 140 and yellow[1] > 140 and yellow[2] < 90,
              "the echoed video has no yellow bar where SMPTE bars have one", yellow)
        check(cyan[0] < 90 and cyan[1] > 140 and cyan[2] > 140,
              "the echoed video has no cyan bar where SMPTE bars have one", cyan)
        check(blue[0] < 90 and blue[1] < 90 and blue[2] > 140,
              "the echoed video has no blue bar where SMPTE bars have one", blue)
        app.click("Hang up")
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "local-hangup", 15,
                       "the echo call to end")


if __name__ == "__main__":
    main()
