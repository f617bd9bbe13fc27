#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""H.323 in the GTK app (issue 13): the app listens for H.323 calls
(MTAVIP_H323_LISTEN) and peers are `mtavip-cli --h323-listen`.

1. An h323: address typed in the call entry calls an auto-answering peer;
   the call window says H.323; hanging up from the window ends it for the peer.
2. A contact with an h323: address: its video-call button calls another
   auto-answering peer: audio and video decoded both ways, hang up from the
   window, the peer sees the call end.
3. A peer calls the app over H.323: an urgent notification with Answer;
   invoking Answer connects the call with media both ways.
4. The history rows of these calls say H.323, also after a restart.
5. With H.323 off, an h323: address gets a sentence saying so, and no call.
6. Turned on in the preferences, the app takes H.323 calls at once (one is
   declined from the notification)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures import ports  # noqa: E402

ENTRY = "Address to call"
OFF = "H.323 calls are turned off in the settings."


def h323_peer(t, name, extra=()):
    port = ports.free_port(span=1, even=False)
    peer = t.keep(CliPhone(account=None, name=name,
                           extra=["--h323-listen", "127.0.0.1:%d" % port] + list(extra)).start())
    peer.wait_event(lambda e: e.get("event") == "h323-listening", 15, "h323-listening")
    peer.h323_port = port
    return peer


def hang_up_from_window(app, peer, title):
    app.raise_window(title)
    app.click("Hang up", root=app.window(title))
    ended = peer.wait_call("ended", 15)
    check(ended["reason"] == "remote-hangup",
          "Hang up in the call window did not end the H.323 call for the peer as a hang-up",
          ended)
    end = app.call_state(lambda c: c["state"] == "ended" and c["protocol"] == "h323" and
                         c["direction"] == "outgoing" and c["remote"].endswith(
                             ":%d" % peer.h323_port), 15, "the app's H.323 call to end")
    check(end["reason"] == "local-hangup", "the app does not record the call as hung up by us",
          end)


def main():
    with UiTest("h323") as t:
        env = t.env
        app_port = ports.free_port(span=1, even=False)
        extra_env = {"MTAVIP_H323_LISTEN": "127.0.0.1:%d" % app_port}
        app = t.start_app(extra_env=extra_env)
        app.wait_window("MTAVIPClient")
        app.wait_find("Echo test", "label")

        # 1. typed in the call entry (h323:user@host:port), audio only
        bob = h323_peer(t, "bob", ["--auto-answer"])
        address = "h323:bob@127.0.0.1:%d" % bob.h323_port
        app.fill("MTAVIPClient", ENTRY, address)
        app.click("Audio call this address")
        bob.wait_call("active", 20)
        call = app.call_state(lambda c: c["state"] == "active" and c["protocol"] == "h323" and
                              c["direction"] == "outgoing", 20, "the app's H.323 call active")
        log("app call", call)
        check(call["remote"] == address, "the app called another address than typed", call)
        media = bob.wait_media(audio_packets=50, video_frames=0, timeout=30)
        log("bob media", media)
        label = "%s · H.323" % address
        wait_for(lambda: label in app.labels(), 10, "the call window saying H.323")
        hang_up_from_window(app, bob, address)

        # 2. a contact with an h323: address (RFC 3508 h323:host:port), video call
        carol = h323_peer(t, "carol", ["--auto-answer", "--video-source",
                                       "videotestsrc pattern=smpte is-live=true"])
        app.raise_window("MTAVIPClient")
        app.click("Add Contact")
        app.wait_window("New Contact")
        app.type_into("New Contact", "Carol Room")
        app.key("New Contact", "Tab")
        app.type_into("New Contact", "h323:127.0.0.1:%d" % carol.h323_port)
        app.click("Save")
        wait_for(lambda: app.window("New Contact") is None, 10,
                 "the dialog to close (an h323: address accepted)")
        app.wait_find("Carol Room", "label")
        app.click("Video call Carol Room")
        carol.wait_call("active", 20)
        call = app.call_state(lambda c: c["state"] == "active" and c["protocol"] == "h323" and
                              c["remote"].endswith(":%d" % carol.h323_port), 20,
                              "the app's H.323 call to the contact active")
        media = carol.wait_media(audio_packets=50, video_frames=20, timeout=30)
        log("carol media", media)
        shown = app.call_state(lambda c: c["id"] == call["id"] and c["remote-frames-shown"] >= 20
                               and c["window-visible"], 20,
                               "the contact's video drawn in the call window")
        log("app frames", shown)
        check(app.window("Carol Room"), "the call window is not titled with the contact's name")
        screenshot("h323-call-window.png", app.raise_window("Carol Room"))
        hang_up_from_window(app, carol, "Carol Room")

        # 3. a peer calls the app over H.323: answer from the notification
        seen = env.notifyd.events
        dave = t.keep(CliPhone(account=None, name="dave",
                               extra=["--h323-listen", "127.0.0.1:0",
                                      "--call", "h323:me@127.0.0.1:%d" % app_port,
                                      "--hangup-after", "15"]).start())
        ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                              any(a[0].startswith("app.answer::") for a in e["actions"]),
                              20, "an incoming H.323 call notification")
        log("Notify", ev)
        keys = dict((lbl, key) for key, lbl in ev["actions"])
        check("Answer" in keys, "the H.323 call notification has no Answer", ev["actions"])
        call_id = keys["Answer"].split("::", 1)[1]
        check(call_id.startswith("h323-"), "the notification answers another call", keys)
        dave.wait_call("ringing", 10)
        wait_for(lambda: app.state()["ringing"], 5, "the ringtone")
        env.notifyd.invoke(ev["id"], keys["Answer"])
        dave.wait_call("active", 15)
        media = dave.wait_media(audio_packets=50, video_frames=10, timeout=30)
        log("dave media", media)
        c = app.call_state(lambda c: c["id"] == call_id and c["state"] == "active" and
                           c["direction"] == "incoming" and c["protocol"] == "h323" and
                           c["remote-frames-shown"] > 3, 20, "the answered H.323 call with video")
        log("app call", c)
        check(not app.state()["ringing"], "the ringtone still plays after the answer")
        end = dave.wait_call("ended", 25)
        check(end["reason"] == "local-hangup", "the caller's hang-up did not end the call", end)
        app.call_state(lambda c: c["id"] == call_id and c["state"] == "ended" and
                       c["reason"] == "remote-hangup", 15, "the app's H.323 call ended by the peer")

        # 4. the history says H.323, after a restart too (now with H.323 off,
        # its port set for step 6)
        app.quit_cleanly()
        keyfile = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
        with open(keyfile, "a") as f:
            f.write("h323-port=uint32 %d\n" % app_port)
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        rows = wait_for(lambda: [lbl for lbl in app.labels() if lbl.endswith(" · H.323")], 10,
                        "history rows saying H.323")
        log("history", rows)
        check(sum(1 for lbl in rows if lbl.startswith("Outgoing · ")) >= 2 and
              any(lbl.startswith("Incoming · ") for lbl in rows),
              "the history does not show the three H.323 calls as H.323", rows)

        # 5. H.323 off: an h323: address gets a sentence, not a call
        app.fill("MTAVIPClient", ENTRY, "h323:127.0.0.1:%d" % app_port)
        app.click("Audio call this address")
        wait_for(lambda: OFF in app.labels(), 10, "the sentence that H.323 is off")
        check(not app.state()["calls"], "an h323: address placed a call with H.323 off",
              app.state()["calls"])

        # 6. turned on in the preferences: a call comes in; Decline in the notification
        app.raise_window("MTAVIPClient")
        app.key("MTAVIPClient", "ctrl+comma")
        prefs = app.wait_window("Preferences", 10)
        app.click_on("Preferences", app.wait_find("Accept H.323 calls", root=prefs))
        wait_for(lambda: "h323-enabled=true" in open(keyfile).read(), 10,
                 "the switch to turn H.323 on in the settings")
        node = app.wait_find("Close", "push button", root=prefs)
        check(node.get_action_iface().do_action(0), "pressing Close in the preferences did nothing")
        wait_for(lambda: app.window("Preferences") is None, 10, "the preferences to close")
        seen = env.notifyd.events
        erin = t.keep(CliPhone(account=None, name="erin",
                               extra=["--h323-listen", "127.0.0.1:0",
                                      "--call", "h323:me@127.0.0.1:%d" % app_port]).start())
        ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                              any(a[0].startswith("app.decline::") for a in e["actions"]),
                              20, "an incoming H.323 call notification after turning H.323 on")
        keys = dict((lbl, key) for key, lbl in ev["actions"])
        env.notifyd.invoke(ev["id"], keys["Decline"])
        end = erin.wait_call("ended", 15)
        check(end["reason"] == "declined",
              "the notification's Decline did not decline the H.323 call", end)


if __name__ == "__main__":
    main()
