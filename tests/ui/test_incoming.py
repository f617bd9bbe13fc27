#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A mtavip-cli peer calls the app: the notification server gets an urgent
notification with Answer and Decline; ActionInvoked(Answer) connects the call
with media both ways; Decline makes the peer end `declined`; the caller
cancelling withdraws the notification and records a missed call (with a
"Missed call" notification offering "Call back"); the history shows these
calls after the app is restarted."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402


def incoming_notification(env, after, cli):
    """The Notify the app sent for this peer's call: (notification id, call id)."""
    def match(ev):
        return (ev["method"] == "Notify" and ev not in after and
                any(a[0].startswith("app.answer::") for a in ev["actions"]))
    ev = env.notifyd.wait(match, 20, "an incoming-call notification")
    log("Notify", ev)
    keys = dict((label, key) for key, label in ev["actions"])
    check("Answer" in keys and "Decline" in keys,
          "the incoming-call notification lacks an Answer or a Decline button", ev["actions"])
    call_id = keys["Answer"].split("::", 1)[1]
    check(keys["Decline"] == "app.decline::" + call_id,
          "the notification's Decline does not decline the call its Answer answers", keys)
    check(ev["hints"].get("urgency") == 2,   # G_NOTIFICATION_PRIORITY_URGENT
          "the incoming-call notification is not urgent", ev["hints"])
    check("127.0.0.1" in ev["summary"] or cli.name in ev["summary"],
          "the notification does not say who is calling", ev["summary"])
    return ev["id"], call_id, keys


def peer(env, name, extra=()):
    return CliPhone(account=None, name=name,
                    extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port] + list(extra)).start()


def main():
    with UiTest("incoming") as t:
        env = t.env
        app = t.start_app()
        app.wait_window("MTAVIPClient")

        # 1. answer from the notification
        seen = env.notifyd.events
        a = t.keep(peer(env, "answer", ["--hangup-after", "15"]))
        nid, call_id, keys = incoming_notification(env, seen, a)
        a.wait_call("ringing", 10)
        wait_for(lambda: app.state()["ringing"], 5, "the ringtone")
        env.notifyd.invoke(nid, keys["Answer"])
        a.wait_call("active", 15)
        media = a.wait_media(audio_packets=50, video_frames=10, timeout=30)
        log("peer media", media)
        c = app.call_state(lambda c: c["state"] == "active" and c["direction"] == "incoming" and
                           c["remote-frames-shown"] > 3, 20, "the answered call showing video")
        log("app call", c)
        env.notifyd.wait(lambda e: e["method"] == "CloseNotification" and e["id"] == nid, 10,
                         "the incoming-call notification withdrawn on answer")
        check(not app.state()["ringing"], "the ringtone still plays after the answer")
        end = a.wait_call("ended", 20)
        check(end["reason"] == "local-hangup", "the caller's hang-up did not end the call", end)
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "remote-hangup", 15,
                       "the app's call to end by the peer")

        # 2. decline from the notification
        seen = env.notifyd.events
        b = t.keep(peer(env, "decline"))
        nid, call_id, keys = incoming_notification(env, seen, b)
        env.notifyd.invoke(nid, keys["Decline"])
        end = b.wait_call("ended", 15)
        check(end["reason"] == "declined", "the notification's Decline did not decline the call",
              end)
        env.notifyd.wait(lambda e: e["method"] == "CloseNotification" and e["id"] == nid, 10,
                         "the notification withdrawn on decline")

        # 3. the caller gives up: notification withdrawn, missed call recorded
        seen = env.notifyd.events
        c3 = t.keep(peer(env, "cancel"))
        nid, call_id, keys = incoming_notification(env, seen, c3)
        c3.wait_call("ringing", 10)
        time.sleep(1)
        c3.interrupt()
        end = c3.wait_call("ended", 15)
        log("caller ended", end)
        env.notifyd.wait(lambda e: e["method"] == "CloseNotification" and e["id"] == nid, 10,
                         "the notification withdrawn when the caller cancels")
        missed = env.notifyd.wait(lambda e: e["method"] == "Notify" and e["summary"] == "Missed call",
                                  10, "a missed-call notification")
        # GLib prints a target that holds "::" or ":" as app.call('sip:...')
        check(any(label == "Call back" and key.startswith("app.call") and
                  "sip:%s" % c3.name not in key and "127.0.0.1:%d" % c3.listen_port in key
                  for key, label in missed["actions"]),
              "the missed-call notification has no Call back button calling the caller's address",
              missed)
        app.call_state(lambda c: c["state"] == "ended" and c["id"] == call_id, 10, "missed call ended")
        check(not app.state()["ringing"], "the ringtone still plays after the caller cancelled")

        # 4. the history survives a restart
        app.quit_cleanly()
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        labels = wait_for(lambda: [l for l in app.labels() if " · " in l], 10, "history rows")
        log("history", labels)
        check(any(l.startswith("Missed · ") for l in labels),
              "the history lost the missed call after a restart", labels)
        check(sum(1 for l in labels if l.startswith("Incoming · ")) >= 2,
              "the history lost the answered and declined calls after a restart", labels)


if __name__ == "__main__":
    main()
