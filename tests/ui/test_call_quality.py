#!/usr/bin/python3
"""Live call quality in the call window (issue 12, item 7).

The app video-calls a `mtavip-cli --auto-answer` peer. "Call details" opens
a pane with each stream's codec, bitrate, packet loss, jitter, round trip
and frame rate and a good / fair / poor verdict: the codecs are the ones the
peer reports, the bitrates are not zero and change from second to second,
the video frame rate is not zero."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Atspi, GLib, UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_hold import call_window, press, udp_port_taken  # noqa: E402

BITRATE = re.compile(r"^↑ (\d+) ↓ (\d+) kbit/s$")
FPS = re.compile(r"^(\d+) fps$")


def labels_in(root):
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        try:
            if node.get_role_name() == "label":
                out.append(node.get_name())
            for i in range(node.get_child_count() - 1, -1, -1):
                stack.append(node.get_child_at_index(i))
        except GLib.Error:
            pass
    return out


def bitrates(labels):
    return [tuple(int(x) for x in m.groups()) for m in
            (BITRATE.match(label) for label in labels) if m]


def call_quality(t, app):
    with t.scope(CliPhone(account=None, name="bob", video=True,
                          extra=["--auto-answer"]).start()) as peer:
        wait_for(lambda: udp_port_taken(peer.listen_port), 10, "the peer listening")
        app.activate("call", "sip:bob@127.0.0.1:%d" % peer.listen_port)
        peer.wait_call("active", 20)
        media = peer.wait_media(audio_packets=50, video_frames=10, timeout=20)
        win, hangup = call_window(app)

        details = app.wait_find("Call details", "push button", 10, root=win)
        press(details)
        wait_for(lambda: details.get_state_set().contains(Atspi.StateType.PRESSED) or
                 details.get_state_set().contains(Atspi.StateType.CHECKED), 10, "Call details on")
        pane = app.wait_find("Call quality", "panel", 20, root=win)
        codecs = (media["audio"]["codec"], media["video"]["codec"])
        seen = []

        def complete():
            """one walk of the pane: every measure there, the numbers real"""
            labels = labels_in(pane)
            seen[:] = labels
            rates = bitrates(labels)
            fps = [int(m.group(1)) for m in (FPS.match(label) for label in labels) if m]
            verdict = [label for label in labels if label.split(":")[0] in ("Good", "Fair", "Poor")]
            ok = (all(c in labels for c in codecs) and len(rates) == 2 and
                  all(s > 0 and r > 0 for s, r in rates) and len(fps) == 1 and fps[0] > 0 and
                  len(verdict) == 1 and
                  all(t in labels for t in ("Packet loss", "Jitter", "Round trip", "Frame rate")))
            return (rates, fps, verdict) if ok else None

        # the codecs both sides agreed on, audio and video bitrates both ways
        # and the frame rate, not zero; a verdict
        try:
            first, fps, verdict = wait_for(complete, 20, "the call details (%s, %s)" % codecs, 1)
        except AssertionError:
            print("call details seen:", seen, flush=True)
            raise
        # updated every second: the numbers move
        wait_for(lambda: bitrates(labels_in(pane)) not in ([], first), 10, "the bitrates to update", 1)
        log_line = "call details: %s fps=%s %s" % (first, fps, verdict)
        print(log_line, flush=True)
        screenshot("call-quality.png", app.raise_window(win.get_name()))
        time.sleep(0.2)

        press(hangup)
        check(peer.wait_call("ended", 15)["reason"] == "remote-hangup", "the peer saw our hang-up")


def main():
    with UiTest("call-quality") as t:
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        call_quality(t, app)


if __name__ == "__main__":
    main()
