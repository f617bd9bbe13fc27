#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contacts edited and deleted through the UI (the row's menu, the dialog, the
confirmation), kept across a restart; an incoming call's notification: its
default action (ActionInvoked "default", as GLib's freedesktop backend
expects) shows the incoming-call view, whose Decline button declines."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Atspi, UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402


def contacts_file(env):
    path = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient", "contacts.ini")
    with open(path) as f:
        return f.read()


def add_contact(app, name, address):
    app.click("Add Contact")
    app.wait_window("New Contact")
    app.type_into("New Contact", name)
    app.key("New Contact", "Tab")
    app.type_into("New Contact", address)
    app.click("Save")
    wait_for(lambda: app.window("New Contact") is None, 10, "the dialog to close")
    app.wait_find(name, "label")


def main():
    with UiTest("contacts") as t:
        env = t.env
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        add_contact(app, "Carol Peer", "sip:carol@example.org")
        add_contact(app, "Dave Peer", "sip:dave@example.org")

        # edit: the row's menu, then the dialog
        app.click("More for Carol Peer")
        app.click("Edit", "menu item")
        dialog = app.wait_window("Edit Contact")
        app.fill("Edit Contact", "Name", "Carol Smith", root=dialog)
        app.fill("Edit Contact", "SIP addresses", "carol@example.net, sip:carol@example.org",
                 root=dialog)
        app.click("Save", root=dialog)
        wait_for(lambda: app.window("Edit Contact") is None, 10, "the dialog to close")
        app.wait_find("Carol Smith", "label")
        wait_for(lambda: app.find("Carol Peer", "label") is None, 5, "the old name gone")
        saved = contacts_file(env)
        check("Carol Smith" in saved and "Carol Peer" not in saved,
              "the renamed contact was not saved under its new name", saved)
        check("sip:carol@example.net" in saved,
              "the typed address carol@example.net was not saved as a sip: URI", saved)

        # delete: the row's menu, then the confirmation
        app.click("More for Dave Peer")
        app.click("Delete", "menu item")
        app.click("Delete", "push button")
        wait_for(lambda: app.find("Dave Peer", "label") is None, 10, "Dave removed")
        saved = contacts_file(env)
        check("Dave Peer" not in saved and "Carol Smith" in saved,
              "the deleted contact is still saved, or the other one was lost", saved)
        screenshot("contacts-edited.png", app.raise_window("MTAVIPClient"))

        app.quit_cleanly()
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        app.wait_find("Carol Smith", "label")
        check(app.find("Dave Peer", "label") is None, "a deleted contact came back")

        # the notification's default action shows the incoming-call view
        seen = env.notifyd.events
        peer = t.keep(CliPhone(account=None, name="caller",
                               extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port]).start())
        ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                              any(a[0].startswith("app.answer::") for a in e["actions"]),
                              20, "the incoming-call notification")
        keys = dict(ev["actions"])
        check("default" in keys, "the incoming-call notification has no default action",
              ev["actions"])
        call_id = [k for k in keys if k.startswith("app.answer::")][0].split("::", 1)[1]
        peer.wait_call("ringing", 10)
        call = app.call_state(lambda c: c["id"] == call_id, 10, "the incoming call")
        check(call["state"] == "incoming" and not call["window-visible"],
              "the incoming call is not just ringing with its view hidden", call)
        env.notifyd.invoke(ev["id"], "default")
        app.call_state(lambda c: c["id"] == call_id and c["window-visible"], 10,
                       "the incoming-call view shown")
        view = app.wait_window(ev["summary"])
        for name in ("Answer", "Decline"):
            ext = app.wait_find(name, "push button", root=view).get_extents(Atspi.CoordType.WINDOW)
            check(ext.width > 0 and ext.height > 0, "%s is not on screen" % name)
        check("Incoming video call" in app.labels(),
              "the incoming-call view does not say \"Incoming video call\"", app.labels())
        screenshot("incoming-view.png", app.raise_window(ev["summary"]))
        check(app.state()["calls"][call_id]["state"] == "incoming", "showing the view answered")
        app.click("Decline", root=view)
        end = peer.wait_call("ended", 15)
        check(end["reason"] == "declined", "Decline in the view did not decline the call", end)


if __name__ == "__main__":
    main()
