#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Transfer from the call window (issue 12, item 3).

1. Blind: alice (a CLI) calls the app, the app answers. "Transfer the call"
   opens the transfer panel: a malformed address gets the main window's
   sentence; dave, who declines, makes "The transfer failed" and alice's
   call goes on; "car" typed suggests the contact Carol, whose phone answers
   after ringing 2.5 s: "Transferring…" meanwhile, then alice's old call
   ends "transferred", her new call to carol has media both ways and the
   app's call ends "transferred".
2. Attended: a new alice calls the app, the app calls carol (alice is held);
   "Transfer to Carol" in alice's window joins them: alice calls carol with
   Replaces (no ringing), carol's call with us ends "replaced", both of the
   app's calls end "transferred"."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import App, UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_hold import press, shows, udp_port_taken  # noqa: E402

ADDRESS = "Address to transfer to"
BAD = "bob smith"
# the sentence the main window's call entry shows for it (mt-sip-uri.c)
BAD_SENTENCE = "“bob smith” contains spaces or brackets; a SIP address looks like bob@example.org."


def uri_of(peer):
    return "sip:%s@127.0.0.1:%d" % (peer.name, peer.listen_port)


def cli(name, extra):
    return CliPhone(account=None, name=name, video=False, extra=list(extra)).start()


def listening(peer):
    wait_for(lambda: udp_port_taken(peer.listen_port), 10, "%s listening" % peer.name)
    return peer


def events(peer, call_id):
    return [e for e in peer.events if e.get("event") == "call" and e.get("id") == call_id]


def wait_state(peer, call_id, state, timeout=20):
    return peer.wait_event(lambda e: e.get("event") == "call" and e.get("id") == call_id and
                           e.get("state") == state, timeout,
                           "%s's call %s %s" % (peer.name, call_id, state))


def media_both_ways(peer, call_id, packets=50):
    return peer.wait_event(lambda e: e.get("event") == "media" and e.get("id") == call_id and
                           (e.get("audio") or {}).get("rx_packets", 0) >= packets and
                           (e.get("audio") or {}).get("tx_packets", 0) >= packets, 20,
                           "%s's call %s with media both ways" % (peer.name, call_id))


def alice_calls(env):
    return cli("alice", ["--call", "sip:me@127.0.0.1:%d" % env.sip_port])


def answer(app, alice):
    """the app answers alice's call: (the app's call id, alice's window, its title)"""
    ours = app.call_state(lambda c: c["state"] == "incoming", 20, "alice's call coming in")
    app.activate("answer", ours["id"])
    wait_state(alice, "1", "active")
    title = "mtavip@127.0.0.1:%d" % alice.listen_port
    win = wait_for(lambda: app.window(title), 20, "alice's call window")
    return ours["id"], win, title


def open_panel(app, win):
    press(app.wait_find("Transfer the call", "push button", 10, root=win))
    return app.wait_find(ADDRESS, "text", 10, root=win)


def blind(t, app, carol):
    env = t.env
    with t.scope(alice_calls(env)) as alice, t.scope(cli("dave", ["--auto-decline"])) as dave:
        our_id, win, title = answer(app, alice)
        # a malformed address: the main window's sentence, nothing sent
        open_panel(app, win)
        app.fill(title, ADDRESS, BAD, root=win)
        press(app.wait_find("Transfer", "push button", 10, root=win))
        wait_for(lambda: shows(app, win, BAD_SENTENCE), 10, "the malformed-address sentence")

        # a phone that declines: the transfer fails, the call goes on
        listening(dave)
        app.fill(title, ADDRESS, uri_of(dave), root=win)
        press(app.wait_find("Transfer", "push button", 10, root=win))
        wait_for(lambda: shows(app, win, "The transfer failed"), 15, "The transfer failed")
        check(wait_state(alice, "2", "ended")["reason"] == "declined", "dave declined alice's call",
              alice.describe())
        check(events(alice, "1")[-1]["state"] == "active", "alice's first call goes on",
              alice.describe())
        app.call_state(lambda c: c["id"] == our_id and c["state"] == "active", 5,
                       "our call still active")

        # the contact Carol suggested; her phone rings 2.5 s: "Transferring…"
        open_panel(app, win)
        entry = app.fill(title, ADDRESS, "car", root=win)
        press(app.wait_find("Carol · " + uri_of(carol), "push button", 10, root=win))
        wait_for(lambda: App.text_of(entry) == uri_of(carol), 5, "the suggestion in the entry")
        press(app.wait_find("Transfer", "push button", 10, root=win))
        wait_for(lambda: shows(app, win, "Transferring…"), 5, "Transferring… while carol rings")
        screenshot("transfer-in-progress.png", app.raise_window(title))
        check(wait_state(alice, "1", "ended")["reason"] == "transferred",
              "alice's old call ended transferred", alice.describe())
        new = wait_state(alice, "3", "active")
        check(new["remote"] == uri_of(carol), "alice's new call goes to carol", new)
        media_both_ways(alice, "3")
        media_both_ways(carol, "1")
        app.call_state(lambda c: c["id"] == our_id and c["state"] == "ended" and
                       c["reason"] == "transferred", 10, "our call ended transferred")
        # the digits typed into the address went nowhere else (the window
        # sends the digits typed elsewhere as DTMF)
        check(not [e for e in alice.events if e.get("event") == "dtmf"],
              "typing the address sent no DTMF", alice.describe())
    # alice hung up as she went
    wait_state(carol, "1", "ended", 10)


def attended(t, app, carol):
    env = t.env
    with t.scope(alice_calls(env)) as alice:
        alice_id, win, title = answer(app, alice)
        # the consultation: the app calls carol, alice waits on hold
        app.activate("call-audio", uri_of(carol))
        wait_state(carol, "2", "active")
        wait_state(alice, "1", "held")
        carol_id = app.call_state(lambda c: c["remote"] == uri_of(carol) and
                                  c["state"] == "active", 10, "our call to carol")["id"]

        press(app.wait_find("Transfer the call", "push button", 10, root=win))
        target = app.wait_find("Transfer to Carol", "push button", 10, root=win)
        screenshot("transfer-panel.png", app.raise_window(title))
        press(target)
        # alice calls carol with Replaces: answered at once, no ringing
        check(wait_state(alice, "1", "ended")["reason"] == "transferred",
              "alice's old call ended transferred", alice.describe())
        new = wait_state(alice, "2", "active")
        check(new["remote"] == uri_of(carol), "alice's new call goes to carol", new)
        check("ringing" not in [e["state"] for e in events(alice, "2")], "no ringing",
              alice.describe())
        check(wait_state(carol, "2", "ended")["reason"] == "replaced",
              "carol's call with us replaced", carol.describe())
        media_both_ways(alice, "2")
        media_both_ways(carol, "3")
        for cid in (alice_id, carol_id):
            app.call_state(lambda c: c["id"] == cid and c["state"] == "ended" and
                           c["reason"] == "transferred", 10, "our call %s ended transferred" % cid)


def main():
    with UiTest("transfer") as t:
        # carol: a contact, ringing 2.5 s before her phone answers
        carol = CliPhone(account=None, name="carol", video=False,
                         extra=["--auto-answer", "--answer-after", "2500"])
        store = os.path.join(t.env.env["XDG_DATA_HOME"], "mtavipclient")
        os.makedirs(store, exist_ok=True)
        with open(os.path.join(store, "contacts.ini"), "w") as f:
            f.write("[carol]\nname=Carol\naddresses=%s;\n" % uri_of(carol))
        with t.scope(carol.start()):
            app = t.start_app()
            app.wait_window("MTAVIPClient")
            listening(carol)
            blind(t, app, carol)
            attended(t, app, carol)


if __name__ == "__main__":
    main()
