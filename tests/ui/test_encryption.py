#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app encrypts calls when the other phone can (the default policy,
"optional"): a peer offering DTLS-SRTP gets an encrypted call, and the call
window shows a closed lock whose name says how; a peer without encryption
still gets through, and the window shows an open lock (issue 10)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_incoming import incoming_notification  # noqa: E402

ENCRYPTED = "This call is encrypted (SRTP, keys agreed with DTLS)"
PLAIN = "This call is not encrypted"


def call_in(t, app, name, encryption, lock):
    env = t.env
    seen = env.notifyd.events
    peer = t.keep(CliPhone(account=None, name=name, video=False,
                           extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port,
                                  "--hangup-after", "4", "--encryption", encryption]).start())
    nid, call_id, keys = incoming_notification(env, seen, peer)
    env.notifyd.invoke(nid, keys["Answer"])
    peer.wait_call("active", 15)
    media = peer.wait_media(audio_packets=50, video_frames=0, timeout=30)
    log("peer media", media)
    app.wait_find(lock, "image", timeout=10)
    peer.wait_call("ended", 20)
    return media


def main():
    with UiTest("encryption") as t:
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        media = call_in(t, app, "dtls", "optional", ENCRYPTED)
        check(media["audio"]["srtp"] == "dtls", "the call was not encrypted with DTLS-SRTP", media)
        media = call_in(t, app, "plain", "none", PLAIN)
        check(media["audio"]["srtp"] is None, "a plain peer got an encrypted call?", media)
        log("PASS")


if __name__ == "__main__":
    main()
