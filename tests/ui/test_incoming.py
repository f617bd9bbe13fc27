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

from harness import App, Environment, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402


def incoming_notification(env, after, cli):
    """The Notify the app sent for this peer's call: (notification id, call id)."""
    def match(ev):
        return (ev["method"] == "Notify" and ev not in after and
                any(a[0].startswith("app.answer::") for a in ev["actions"]))
    ev = env.notifyd.wait(match, 20, "an incoming-call notification")
    log("Notify", ev)
    keys = dict((label, key) for key, label in ev["actions"])
    assert "Answer" in keys and "Decline" in keys, ev["actions"]
    call_id = keys["Answer"].split("::", 1)[1]
    assert keys["Decline"] == "app.decline::" + call_id, keys
    assert ev["hints"].get("urgency") == 2, ev["hints"]   # G_NOTIFICATION_PRIORITY_URGENT
    assert "127.0.0.1" in ev["summary"] or cli.name in ev["summary"], ev["summary"]
    return ev["id"], call_id, keys


def peer(env, name, extra=()):
    return CliPhone(account=None, name=name,
                    extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port] + list(extra)).start()


def main():
    env = Environment()
    app = None
    peers = []
    try:
        app = App(env)
        app.wait_window("MTAVIPClient")

        # 1. answer from the notification
        seen = env.notifyd.events
        a = peer(env, "answer", ["--hangup-after", "15"])
        peers.append(a)
        nid, call_id, keys = incoming_notification(env, seen, a)
        a.wait_call("ringing", 10)
        assert wait_for(lambda: app.state()["ringing"], 5, "the ringtone")
        env.notifyd.invoke(nid, keys["Answer"])
        a.wait_call("active", 15)
        media = a.wait_media(audio_packets=50, video_frames=10, timeout=30)
        log("peer media", media)
        c = app.call_state(lambda c: c["state"] == "active" and c["direction"] == "incoming" and
                           c["remote-frames-shown"] > 3, 20, "the answered call showing video")
        log("app call", c)
        env.notifyd.wait(lambda e: e["method"] == "CloseNotification" and e["id"] == nid, 10,
                         "the incoming-call notification withdrawn on answer")
        assert not app.state()["ringing"], "the ringtone stops on answer"
        end = a.wait_call("ended", 20)
        assert end["reason"] == "local-hangup", end
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "remote-hangup", 15,
                       "the app's call to end by the peer")

        # 2. decline from the notification
        seen = env.notifyd.events
        b = peer(env, "decline")
        peers.append(b)
        nid, call_id, keys = incoming_notification(env, seen, b)
        env.notifyd.invoke(nid, keys["Decline"])
        end = b.wait_call("ended", 15)
        assert end["reason"] == "declined", end
        env.notifyd.wait(lambda e: e["method"] == "CloseNotification" and e["id"] == nid, 10,
                         "the notification withdrawn on decline")

        # 3. the caller gives up: notification withdrawn, missed call recorded
        seen = env.notifyd.events
        c3 = peer(env, "cancel")
        peers.append(c3)
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
        assert any(label == "Call back" and key.startswith("app.call") and
                   "sip:%s" % c3.name not in key and "127.0.0.1:%d" % c3.listen_port in key
                   for key, label in missed["actions"]), missed
        app.call_state(lambda c: c["state"] == "ended" and c["id"] == call_id, 10, "missed call ended")
        assert not app.state()["ringing"], "the ringtone stops when the caller cancels"

        # 4. the history survives a restart
        assert app.quit() == 0, app.output()
        app = App(env)
        app.wait_window("MTAVIPClient")
        labels = wait_for(lambda: [l for l in app.labels() if " · " in l], 10, "history rows")
        log("history", labels)
        assert any(l.startswith("Missed · ") for l in labels), labels
        assert sum(1 for l in labels if l.startswith("Incoming · ")) >= 2, labels
        log("PASS")
    except BaseException:
        try:
            screenshot("failure-incoming.png")
        except Exception:
            pass
        if app:
            print("---- app output ----\n" + app.output(), flush=True)
        for p in peers:
            print(p.describe(), flush=True)
        print("notifications:", env.notifyd.events, flush=True)
        raise
    finally:
        if app:
            app.quit()
        for p in peers:
            p.stop()
        env.close()


if __name__ == "__main__":
    main()
