#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A machine without a camera: a video call to the Echo test becomes an audio
call, and the call window says why instead of showing a black picture."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, log, screenshot, wait_for  # noqa: E402

NOTICE = "No camera was found, so this call is audio only."


def main():
    no_devices = tempfile.mkdtemp(prefix="mtavip-nodev-")
    with UiTest("no-camera") as t:
        app = t.start_app(extra_env={"MTAVIP_VIDEO_SOURCE": "auto",
                                     "MTAVIP_DEVICE_DIR": no_devices})
        app.wait_window("MTAVIPClient")
        app.click("Video call Echo test")
        call = app.call_state(lambda c: c["state"] == "active" and "echo@" in c["remote"], 20,
                              "the echo call to be active")
        log("echo call", call)
        wait_for(lambda: NOTICE in app.labels(), 10, "the no-camera notice in the call window")
        wid = app.raise_window("Echo test")
        screenshot("no-camera-call-window.png", wid)
        app.click("Hang up")
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "local-hangup", 15,
                       "the call to end")


if __name__ == "__main__":
    main()
