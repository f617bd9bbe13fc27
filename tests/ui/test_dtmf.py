#!/usr/bin/python3
"""Dial pad and DTMF in the call window (issue 12, item 1).

The app calls a `mtavip-cli --auto-answer` peer. The Dial pad button shows
the keys; keys clicked through the accessibility tree and a digit typed on
the keyboard while the call window has the focus reach the peer as RFC 4733
telephone-events (the peer reports them); the digit the peer sends
(--dtmf) is shown in the window as "They pressed 9"."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Atspi, UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_hold import call_window, press, shows, udp_port_taken  # noqa: E402


def received(peer):
    return "".join(e["digit"] for e in peer.events
                   if e.get("event") == "dtmf" and e.get("direction") == "in")


def dial_pad(t, app):
    with t.scope(CliPhone(account=None, name="ivr", video=False,
                          extra=["--auto-answer", "--dtmf", "9", "--dtmf-after", "2"]).start()) as peer:
        wait_for(lambda: udp_port_taken(peer.listen_port), 10, "the peer listening")
        app.activate("call", "sip:ivr@127.0.0.1:%d" % peer.listen_port)
        peer.wait_call("active", 20)
        win, hangup = call_window(app)
        title = win.get_name()

        # the peer's digit is shown
        wait_for(lambda: shows(app, win, "They pressed 9"), 15, "the peer's digit shown")

        pad = app.wait_find("Dial pad", "push button", 10, root=win)
        press(pad)
        wait_for(lambda: pad.get_state_set().contains(Atspi.StateType.PRESSED) or
                 pad.get_state_set().contains(Atspi.StateType.CHECKED), 10, "the Dial pad on")
        time.sleep(0.5)   # the keys slide in (250 ms)
        for key in "12#":
            press(app.wait_find(key, "push button", 10, root=win))
            wait_for(lambda: received(peer).endswith(key), 10, "the peer to get %r" % key)
        # typed while the call window has the focus
        app.key(title, "5")
        wait_for(lambda: received(peer) == "12#5", 10, "the typed 5 at the peer")
        methods = {e["method"] for e in peer.events if e.get("event") == "dtmf"}
        check(methods == {"rfc4733"}, "the digits went as RFC 4733 events", methods)
        # what we sent shows on the pad's display
        check(shows(app, win, "12#5"), "the pad shows the digits sent", app.labels())
        screenshot("dtmf-call-window.png", app.raise_window(title))

        press(hangup)
        check(peer.wait_call("ended", 15)["reason"] == "remote-hangup", "the peer saw our hang-up")
        app.call_state(lambda c: c["state"] == "ended", 15, "the app's call ended")


def main():
    with UiTest("dtmf") as t:
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        dial_pad(t, app)


if __name__ == "__main__":
    main()
