#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hold and resume from the call window.

1. The app calls a `mtavip-cli --auto-answer` peer; the Hold button clicked
   through the accessibility tree puts the call on hold: the peer reports
   "held" and, answering recvonly, stops sending while our audio still reaches
   it; the window says "On hold", shows the initials instead of the video and
   the button becomes "Resume".  Resume: both back to "active", media both ways.
2. A peer that calls the app (answered through the notification) holds it
   with --hold-after: the window says "The other person put the call on hold"
   and our own Hold button stays a Hold button; the peer's resume clears it."""

import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Atspi, UiTest, check, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402

OUR_HOLD = "On hold"
THEIR_HOLD = "The other person put the call on hold"


def call_window(app):
    """The call window and its Hang up button."""
    def find():
        for w in app.windows():
            try:
                hangup = w is not None and w.get_name() != "MTAVIPClient" and \
                    app.find("Hang up", "push button", root=w)
                if hangup:
                    return w, hangup
            except Exception:
                continue
        return None
    return wait_for(find, 20, "the call window")


def hold_button(app, window, name):
    return app.wait_find(name, "push button", 10, root=window)


def press(node):
    """Click an accessible found already (one tree walk fewer than App.click)."""
    log("click", node.get_name())
    check(Atspi.Action.do_action(node, 0), "clicking %r did nothing" % node.get_name())


def shows(app, window, text):
    return app.find(text, "label", root=window) is not None


def media_after(peer, index):
    return [e for e in peer.events[index:] if e.get("event") == "media"]


def call_event_index(peer, state, after=0):
    for i, e in enumerate(peer.events):
        if i >= after and e.get("event") == "call" and e.get("state") == state:
            return i
    return None


def wait_media_count(peer, index, n, timeout=20):
    return wait_for(lambda: len(media_after(peer, index)) >= n and media_after(peer, index), timeout,
                    "%d media events from %s" % (n, peer.name))


def udp_port_taken(port):
    """The CLI prints nothing until a call: it listens once its port is bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def pixel(png, x, y):
    out = subprocess.run(["/usr/bin/convert", png, "-format", "%%[pixel:p{%d,%d}]" % (x, y), "info:"],
                         check=True, capture_output=True, text=True).stdout.strip()
    nums = out[out.index("(") + 1:out.index(")")].split(",")
    return tuple(int(float(n)) for n in nums[:3])


def video_drawn(app, title, name):
    """GTK 4.8 tells AT-SPI nothing about which stack page shows: look at the
    window.  The peer sends SMPTE bars (640x480 in the 800x600 window): the
    first bar, yellow, is at x=171; the avatar page leaves it dark."""
    shot = screenshot(name, app.raise_window(title))
    r, g, b = pixel(shot, 171, 250)
    log(name, "pixel", (r, g, b))
    return r > 140 and g > 140 and b < 90


def our_hold(t, app):
    with t.scope(CliPhone(account=None, name="held",
                          extra=["--auto-answer", "--video-source",
                                 "videotestsrc pattern=smpte is-live=true"]).start()) as peer:
        wait_for(lambda: udp_port_taken(peer.listen_port), 10, "the peer listening")
        app.activate("call", "sip:bob@127.0.0.1:%d" % peer.listen_port)
        peer.wait_call("active", 20)
        win, hangup = call_window(app)
        title = win.get_name()
        log("call window", title)
        peer.wait_media(audio_packets=50, video_frames=20, timeout=30)
        app.call_state(lambda c: c["state"] == "active" and c["remote-frames-shown"] > 10, 20,
                       "remote video in the call window")
        wait_for(lambda: video_drawn(app, title, "hold-before.png"), 10,
                 "the remote video drawn while active")
        button = hold_button(app, win, "Hold")
        check(button.get_state_set().contains(Atspi.StateType.SENSITIVE),
              "the Hold button is greyed out during an active call")
        check(not button.get_state_set().contains(Atspi.StateType.PRESSED),
              "the Hold button shows pressed before anything was held")

        # hold
        press(button)
        peer.wait_call("held", 10)
        app.call_state(lambda c: c["state"] == "held", 10, "the app's call held")
        held_at = call_event_index(peer, "held")
        wait_for(lambda: shows(app, win, OUR_HOLD), 10, "the %r text" % OUR_HOLD)
        button = hold_button(app, win, "Resume")
        check(button.get_state_set().contains(Atspi.StateType.PRESSED),
              "the Resume button does not show pressed while on hold")
        held = wait_media_count(peer, held_at, 4, 20)
        log("peer media while held", held)
        # the peer answered recvonly: it sends nothing (a packet or so in flight)
        sent = [e["audio"]["tx_packets"] for e in held[1:]]
        check(max(sent) - min(sent) <= 3, "the held peer kept sending", sent)
        got = [e["audio"]["rx_packets"] for e in held]
        check(got[-1] - got[0] > 40, "our audio stopped reaching the peer", got)
        check(peer.call_states()[-1] == "held", "the peer left the held state",
              peer.call_states())
        check(not video_drawn(app, title, "hold-call-window.png"),
              "the call window shows the video, not the initials, while on hold")

        # resume
        press(button)
        resumed_at = wait_for(lambda: call_event_index(peer, "active", held_at), 10,
                              "the peer back to active")
        app.call_state(lambda c: c["state"] == "active", 10, "the app's call active again")
        button = hold_button(app, win, "Hold")
        check(not button.get_state_set().contains(Atspi.StateType.PRESSED),
              "the Hold button still shows pressed after the resume")
        wait_for(lambda: not shows(app, win, OUR_HOLD), 5, "the hold text gone")
        after = wait_media_count(peer, resumed_at, 4, 20)
        log("peer media after resume", after)
        check(after[-1]["audio"]["tx_packets"] - held[-1]["audio"]["tx_packets"] > 100,
              "the peer does not send again after the resume", after[-1])
        check(after[-1]["audio"]["rx_packets"] - after[0]["audio"]["rx_packets"] > 40,
              "our audio does not reach the peer after the resume", after)
        check(after[-1]["video"]["frames_decoded"] > held[-1]["video"]["frames_decoded"],
              "our video does not reach the peer after the resume", after[-1])
        wait_for(lambda: video_drawn(app, title, "hold-resumed.png"), 15,
                 "the video back after the resume", 1)

        press(hangup)
        end = peer.wait_call("ended", 15)
        check(end["reason"] == "remote-hangup",
              "Hang up in the call window did not end the call for the peer as a hang-up", end)
        app.call_state(lambda c: c["state"] == "ended", 15, "the app's call ended")
        wait_for(lambda: app.window(title) is None, 10, "the call window to close")
        check(peer.call_states() == ["incoming", "active", "held", "active", "ended"],
              "the peer did not go through answer, hold, resume, hang-up", peer.call_states())


def their_hold(t, app):
    env = t.env
    seen = env.notifyd.events
    with t.scope(CliPhone(account=None, name="holder",
                          extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port,
                                 "--hold-after", "3", "--resume-after", "5",
                                 "--hangup-after", "14", "--video-source",
                                 "videotestsrc pattern=smpte is-live=true"]).start()) as peer:
        ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                              any(a[0].startswith("app.answer::") for a in e["actions"]),
                              20, "the incoming-call notification")
        keys = dict((label, key) for key, label in ev["actions"])
        env.notifyd.invoke(ev["id"], keys["Answer"])
        peer.wait_call("active", 15)
        win, _ = call_window(app)
        title = win.get_name()
        peer.wait_call("held", 15)
        app.call_state(lambda c: c["state"] == "held" and c["direction"] == "incoming", 10,
                       "the app's call held by the peer")
        wait_for(lambda: shows(app, win, THEIR_HOLD), 10, "the %r text" % THEIR_HOLD)
        check(not shows(app, win, OUR_HOLD), "the window says we held the call; the peer did")
        # we did not hold: the button still offers Hold, not pressed
        button = hold_button(app, win, "Hold")
        states = button.get_state_set()
        check(states.contains(Atspi.StateType.SENSITIVE),
              "the Hold button is greyed out while the peer holds")
        check(not states.contains(Atspi.StateType.PRESSED) and
              not states.contains(Atspi.StateType.CHECKED),
              "our Hold button shows on, but only the peer held")
        check(not video_drawn(app, title, "hold-by-peer-call-window.png"),
              "the call window shows the video, not the initials, while the peer holds")

        # the peer resumes (--resume-after)
        app.call_state(lambda c: c["state"] == "active" and c["direction"] == "incoming", 15,
                       "the app's call active after the peer's resume")
        wait_for(lambda: not shows(app, win, THEIR_HOLD), 5, "the hold text gone")
        end = peer.wait_call("ended", 20)
        check(end["reason"] == "local-hangup", "the peer's hang-up did not end the call", end)
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "remote-hangup", 15,
                       "the app's call ended by the peer")
        check(peer.call_states() == ["calling", "ringing", "active", "held", "active", "ended"],
              "the peer did not go through ringing, answer, hold, resume, hang-up",
              peer.call_states())


def main():
    with UiTest("hold") as t:
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        our_hold(t, app)
        their_hold(t, app)


if __name__ == "__main__":
    main()
