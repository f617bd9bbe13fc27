#!/usr/bin/python3
"""Call waiting in the app (issue 12, item 2).

The app talks to a CLI peer (alice); a second CLI peer (carol) calls: a
notification with Answer and Decline comes up instead of a busy signal;
Answer takes carol's call and holds alice's (alice's phone reports the
hold); while it rings, the sound server plays the soft call-waiting tone
(a stream named "Call waiting"), not the ringtone; Resume in alice's call
window switches back (carol is held now); hanging up each window ends each
call."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_do_not_disturb import playing  # noqa: E402
from test_hold import press, udp_port_taken  # noqa: E402


def window_of(app, peer, user=None):
    """Its title: the address we called, or the caller's (a CLI calls as mtavip)"""
    title = "%s@127.0.0.1:%d" % (user or peer.name, peer.listen_port)
    return wait_for(lambda: app.window(title), 20, "the call window of %s" % peer.name)


def last_state(peer):
    states = peer.call_states()
    return states[-1] if states else None


def call_waiting(t, app):
    env = t.env
    with t.scope(CliPhone(account=None, name="alice", video=False,
                          extra=["--auto-answer"]).start()) as alice:
        wait_for(lambda: udp_port_taken(alice.listen_port), 10, "alice listening")
        app.activate("call", "sip:alice@127.0.0.1:%d" % alice.listen_port)
        alice.wait_call("active", 20)
        alice_win = window_of(app, alice)

        seen = list(env.notifyd.events)
        with t.scope(CliPhone(account=None, name="carol", video=False,
                              extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port]).start()) as carol:
            ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                                  any(a[0].startswith("app.answer::") for a in e["actions"]),
                                  20, "the second call's notification")
            keys = dict((label, key) for key, label in ev["actions"])
            check("Answer" in keys and "Decline" in keys, "the notification offers Answer and Decline",
                  ev["actions"])
            wait_for(lambda: last_state(carol) == "ringing", 10, "the second call ringing")
            # the soft call-waiting tone, not the ringtone, over the conversation
            names = wait_for(lambda: (lambda n: n if "Call waiting" in n else None)(playing(env)),
                             10, "the call-waiting tone playing")
            check("Incoming call" not in names, "no ringtone during a call", names)
            env.notifyd.invoke(ev["id"], keys["Answer"])
            carol.wait_call("active", 15)
            wait_for(lambda: "Call waiting" not in playing(env), 10, "the waiting tone to stop")
            # answering the second held the first
            alice.wait_call("held", 15)
            app.call_state(lambda c: c["state"] == "held" and c["direction"] == "outgoing", 10,
                           "alice's call held in the app")
            carol_win = window_of(app, carol, "mtavip")

            # switch: Resume in alice's window holds carol
            press(app.wait_find("Resume", "push button", 10, root=alice_win))
            wait_for(lambda: last_state(carol) == "held", 15, "carol held")
            wait_for(lambda: last_state(alice) == "active", 15, "alice back")
            screenshot("call-waiting.png")

            # hang up either: carol's (held) first, then alice's
            press(app.wait_find("Hang up", "push button", 10, root=carol_win))
            check(carol.wait_call("ended", 15)["reason"] == "remote-hangup", "carol's call ended")
            check(last_state(alice) == "active", "alice's call goes on", alice.call_states())
        press(app.wait_find("Hang up", "push button", 10, root=alice_win))
        check(alice.wait_call("ended", 15)["reason"] == "remote-hangup", "alice's call ended")
        check(alice.call_states() == ["incoming", "active", "held", "active", "ended"],
              "alice was held once and taken back", alice.call_states())


def main():
    with UiTest("call-waiting") as t:
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        call_waiting(t, app)


if __name__ == "__main__":
    main()
