#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Do not disturb (issue 12, item 2).

A call that comes in while the app is idle rings with the ringtone: the
sound server plays a stream named "Incoming call". With "Do not disturb"
switched on (app.do-not-disturb, the main menu's toggle, kept in GSettings)
the next caller gets 486 busy at once: no notification, no ringtone, and the
history has a missed call marked "Do not disturb"."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_incoming import incoming_notification, peer  # noqa: E402


def playing(env):
    """media.name of each stream the sound server plays now"""
    out = env.pulse.pactl_run("list", "sink-inputs")
    return re.findall(r'media\.name = "([^"]*)"', out)


def missed_dnd_row(app):
    return [label for label in app.labels() if label.startswith("Missed") and
            label.endswith("Do not disturb")]


def main():
    with UiTest("do-not-disturb") as t:
        env = t.env
        app = t.start_app()
        app.wait_window("MTAVIPClient")

        # idle: the ring
        seen = env.notifyd.events
        with t.scope(peer(env, "ring")) as ring:
            nid, call_id, keys = incoming_notification(env, seen, ring)
            # the stream is named once its first buffer carries the title
            wait_for(lambda: playing(env) == ["Incoming call"], 10,
                     "the ringtone playing (streams: %s)" % playing(env))
            env.notifyd.invoke(nid, keys["Decline"])
            check(ring.wait_call("ended", 15)["reason"] == "declined", "the caller was declined")
        wait_for(lambda: not playing(env), 10, "the ringtone to stop")

        # do not disturb: busy, silent, in the history
        app.activate("do-not-disturb")
        seen = env.notifyd.events
        with t.scope(peer(env, "dnd")) as caller:
            end = caller.wait_call("ended", 20)
            check(end["reason"] == "busy", "the caller got busy", end)
            # no 180 first: it never rang
            check(caller.call_states() == ["calling", "ended"],
                  "the caller was not refused at once", caller.call_states())
        check(not playing(env), "no sound while the call was refused", playing(env))
        app.activate("show-history")
        row = wait_for(lambda: missed_dnd_row(app), 15, "a missed call marked Do not disturb")
        log("history row", row)
        news = [e for e in env.notifyd.events if e not in seen and e["method"] == "Notify"]
        check(not news, "no notification for a call refused by Do not disturb", news)
        check(not app.state()["ringing"], "no ringtone")


if __name__ == "__main__":
    main()
