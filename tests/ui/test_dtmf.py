#!/usr/bin/python3
"""Dial pad and DTMF in the call window (issue 12, item 1).

The app calls a `mtavip-cli --auto-answer` peer. The Dial pad button shows
the keys; keys clicked through the accessibility tree and a digit typed on
the keyboard while the call window has the focus reach the peer as RFC 4733
telephone-events (the peer reports them); the digit the peer sends
(--dtmf) is shown in the window as "They pressed 9"."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import App, Atspi, Environment, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_hold import call_window, press, shows, udp_port_taken  # noqa: E402


def received(peer):
    return "".join(e["digit"] for e in peer.events
                   if e.get("event") == "dtmf" and e.get("direction") == "in")


def dial_pad(env, app):
    peer = CliPhone(account=None, name="ivr", video=False,
                    extra=["--auto-answer", "--dtmf", "9", "--dtmf-after", "2"]).start()
    try:
        wait_for(lambda: udp_port_taken(peer.listen_port), 10, "the peer listening")
        app.activate("call", "sip:ivr@127.0.0.1:%d" % peer.listen_port)
        peer.wait_call("active", 20)
        win, hangup = call_window(app)
        title = win.get_name()

        # the peer's digit is shown
        wait_for(lambda: shows(app, win, "They pressed 9"), 15, "the peer's digit shown")

        pad = app.wait_find("Dial pad", "push button", 10, root=win)
        press(pad)
        for key in "12#":
            press(app.wait_find(key, "push button", 10, root=win))
            wait_for(lambda: received(peer).endswith(key), 10, "the peer to get %r" % key)
        # typed while the call window has the focus
        app.key(title, "5")
        wait_for(lambda: received(peer) == "12#5", 10, "the typed 5 at the peer")
        methods = {e["method"] for e in peer.events if e.get("event") == "dtmf"}
        assert methods == {"rfc4733"}, methods
        # what we sent shows on the pad's display
        assert shows(app, win, "12#5"), app.labels()
        screenshot("dtmf-call-window.png", app.raise_window(title))

        press(hangup)
        assert peer.wait_call("ended", 15)["reason"] == "remote-hangup"
        app.call_state(lambda c: c["state"] == "ended", 15, "the app's call ended")
    except BaseException:
        print(peer.describe(), flush=True)
        raise
    finally:
        peer.stop()


def main():
    env = Environment()
    app = None
    try:
        app = App(env)
        app.wait_window("MTAVIPClient")
        dial_pad(env, app)
        log("PASS")
    except BaseException:
        try:
            screenshot("failure-dtmf.png")
        except Exception:
            pass
        if app:
            print("labels:", app.labels(), flush=True)
            print("---- app output ----\n" + app.output(), flush=True)
        raise
    finally:
        if app:
            app.quit()
        env.close()


if __name__ == "__main__":
    main()
