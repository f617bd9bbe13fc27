#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A contact added through the UI; its video-call button clicked through the
accessibility tree calls a `mtavip-cli --auto-answer` peer; the call window
shows remote video (frames reach the paintable and are drawn), media flows
both ways; hanging up from the window ends the call on both sides."""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402


def main():
    with UiTest("outgoing") as t:
        env = t.env
        peer = t.keep(CliPhone(account=None, name="peer",
                               extra=["--auto-answer",
                                      "--video-source",
                                      "videotestsrc pattern=smpte is-live=true"]).start())
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        app.wait_find("Echo test", "label")
        wait_for(lambda: any("127.0.0.1:%d" % env.sip_port in l for l in app.labels()), 10,
                 "the address we can be called at")
        shot = screenshot("main-window.png")

        # add a contact the way a user does
        app.click("Add Contact")
        app.wait_window("New Contact")
        app.type_into("New Contact", "Bob Peer")
        app.key("New Contact", "Tab")
        app.type_into("New Contact", "sip:bob@127.0.0.1:%d" % peer.listen_port)
        app.click("Save")
        wait_for(lambda: app.window("New Contact") is None, 10, "the dialog to close")
        app.wait_find("Bob Peer", "label")
        with open(os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient", "contacts.ini")) as f:
            check("Bob Peer" in f.read(), "the new contact Bob Peer was not saved")

        # the row's video-call button
        app.click("Video call Bob Peer")
        peer.wait_call("active", 20)
        call = app.call_state(lambda c: c["state"] == "active" and c["direction"] == "outgoing",
                              20, "the app's call to be active")
        log("app call", call)
        media = peer.wait_media(audio_packets=50, video_frames=30, timeout=30)
        log("peer media", media)
        shown = app.call_state(lambda c: c["remote-frames-shown"] >= 30 and
                               c["self-frames-shown"] > 0 and c["window-visible"], 20,
                               "remote video drawn in the call window")
        log("app frames", shown)
        check(app.window("Bob Peer"), "the call window is not titled with the contact's name")
        call_shot = screenshot("call-window.png", app.raise_window("Bob Peer"))

        app.click("Hang up")
        ended = peer.wait_call("ended", 15)
        check(ended["reason"] == "remote-hangup",
              "Hang up in the call window did not end the call for the peer as a hang-up", ended)
        end = app.call_state(lambda c: c["state"] == "ended", 15, "the app's call to end")
        check(end["reason"] == "local-hangup",
              "the app does not record the call as hung up by us", end)
        log("ended", end)

        dest = os.environ.get("MTAVIP_SCREENSHOT_DIR")
        if dest:
            shutil.copy(shot, os.path.join(dest, "main-window.png"))
            shutil.copy(call_shot, os.path.join(dest, "call-window.png"))


if __name__ == "__main__":
    main()
