#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two SIP accounts at once (issue 12, item 5).

The app has alice (the first account: the settings a single-account app
already had); bob is added in the Preferences (Other Accounts, Add Account:
address, password, registrar), registers with Kamailio at once, with its
password in the Secret Service. A call out on each account reaches carol
(a CLI) with that account's From: on alice through app.call-on, on bob
picked in the account chooser next to the call entry and dialled from the
main window, and on bob again by default for carol's contact (its account
is bob); dave calls bob during that call: the notification and the call
window say the call came in on bob's account, and answering it holds
carol's call on bob (every account's calls go on hold, not only the first
account's); the history records the account of each call. At the end bob
is removed in the Preferences: he un-registers, alice stays."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gi.repository import Gio, GLib  # noqa: E402
from harness import APP_ID, APP_PATH, UiTest, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from test_account import close_preferences, open_preferences  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402

ALICE = "sip:alice@127.0.0.1"
BOB = "sip:bob@127.0.0.1"


def store_password(env, account, password):
    r = subprocess.run(["secret-tool", "store", "--label", "SIP password for " + account,
                        "xdg:schema", APP_ID + ".Account", "account", account],
                       input=password, text=True, env=env.env, capture_output=True, timeout=15)
    check(r.returncode == 0, "secret-tool could not store the password", r.stderr)


def configure(env, kam):
    """alice as the one account the app always had"""
    settings = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
    with open(settings, "a") as f:
        f.write("account-uri='%s'\nregistrar='%s'\n" % (ALICE, kam.proxy_uri))
    store_password(env, ALICE, kam.users["alice"])


def add_account(app, kam):
    """bob added the way a person does it: Preferences, Other Accounts, Add Account"""
    prefs = open_preferences(app)
    app.click("Add Account", root=prefs)
    editor = app.wait_find("Add Account", "panel", 10, root=prefs)
    app.fill("Preferences", "Address, such as alice@example.org", BOB[4:], root=editor)
    app.fill("Preferences", "Password", kam.users["bob"], root=editor)
    app.fill("Preferences", "Registrar or proxy (optional)", kam.proxy_uri, root=editor)
    app.click("Save", root=editor)
    wait_for(lambda: app.find(BOB[4:], "label", root=prefs), 10,
             "bob's row under Other Accounts")
    close_preferences(app, prefs)


def remove_account(app):
    """bob's row, Remove Account: he un-registers"""
    prefs = open_preferences(app)
    row = wait_for(lambda: app.find(BOB[4:], "label", root=prefs), 10,
                   "bob's row under Other Accounts")
    app.click_on("Preferences", row)
    editor = app.wait_find(BOB, "panel", 10, root=prefs)
    app.click("Remove Account", root=editor)
    wait_for(lambda: not app.find(BOB[4:], "label", root=prefs), 10,
             "bob's row gone from Other Accounts")
    close_preferences(app, prefs)


def add_contact(env, name, address, account):
    """a contact whose calls go out on `account`, as the app stores it"""
    directory = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "contacts.ini"), "w") as f:
        f.write("[c1]\nname=%s\naddresses=%s;\naccount=%s\n" % (name, address, account))


def call_on(app, account, target):
    app.bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                      GLib.Variant("(sava{sv})", ("call-on", [GLib.Variant("(ssb)", (account, target,
                                                                                     False))], {})),
                      None, Gio.DBusCallFlags.NONE, 5000, None)


def dial_from_window(app, carol, account):
    """the way a person does it: pick the account, type the address, call"""
    chooser = app.wait_find("Call from this account", "combo box", 10)
    app.click_on("MTAVIPClient", chooser)
    subprocess.run(["xdotool", "key", "Down", "Return"], check=True, timeout=10)
    wait_for(lambda: app.find(account[4:], "label", root=chooser), 5,
             "%s picked in the account chooser" % account)
    app.fill("MTAVIPClient", "Address to call", carol.account)
    app.click("Audio call this address")


def call_up(app, carol, account, place):
    """place a call on `account`, see carol answer it from that account; its app
    call (found by id: not "every active call" of a state read earlier) and
    where carol's events for it start"""
    index = len(carol.events)
    before = set(app.state()["calls"])
    place(app, carol, account)
    ev = carol.wait_event(lambda e: e in carol.events[index:] and e.get("event") == "call" and
                          e.get("state") == "active", 20, "carol answering the call on " + account)
    check(ev["remote"] == account, "carol sees the call come from " + account, ev)
    call = app.call_state(lambda c: c["id"] not in before and c["state"] == "active", 15,
                          "the app's new call on %s active" % account)
    return call, index


def hang_up(app, carol, account, call, index):
    app.activate("hangup", call["id"])
    carol.wait_event(lambda e: e in carol.events[index:] and e.get("event") == "call" and
                     e.get("state") == "ended", 15, "the call on %s ended" % account)
    app.call_state(lambda c: c["id"] == call["id"] and c["state"] == "ended", 10,
                   "the app's call on %s ended" % account)


def call_out(app, carol, account, place):
    hang_up(app, carol, account, *call_up(app, carol, account, place))


def main():
    with UiTest("accounts", keyring=True) as t:
        env = t.env
        kam = t.keep(Kamailio().start())
        t.report("kamailio", lambda: kam.log_tail(60))
        configure(env, kam)
        carol = t.keep(CliPhone(account=kam.uri("carol"), password=kam.users["carol"],
                                registrar=kam.proxy_uri, name="carol", video=False,
                                extra=["--auto-answer"]).start())
        carol.wait_registration("registered")
        add_contact(env, "Carol", carol.account, BOB)
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        kam.wait_registered("alice", timeout=20)
        add_account(app, kam)
        kam.wait_registered("bob", timeout=20)
        check(env.keyring.lookup(**{"xdg:schema": APP_ID + ".Account", "account": BOB}) ==
              kam.users["bob"], "bob's password is not in the Secret Service")

        # out on each account: the peer sees that account's From
        call_out(app, carol, ALICE, lambda app, carol, account: call_on(app, account, carol.account))
        call_out(app, carol, BOB, dial_from_window)
        # the contact's account by default: carol's contact goes out as bob, and stays up
        carols, index = call_up(app, carol, BOB,
                                lambda app, carol, account: app.activate("call-audio", carol.account))

        # in on the second account: the notification and the window say so; answering
        # it holds carol's call, although that is on bob too, not on the first account
        seen = env.notifyd.events
        with t.scope(CliPhone(account=kam.uri("dave"), password=kam.users["dave"],
                              registrar=kam.proxy_uri, name="dave", video=False,
                              extra=["--call", kam.uri("bob")]).start()) as dave:
            ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                                  any(a[0].startswith("app.answer::") for a in e["actions"]),
                                  20, "the incoming call's notification")
            check(ev["body"] == "Incoming call on bob@127.0.0.1",
                  "the notification says the call came in on bob's account", ev["body"])
            keys = dict((label, key) for key, label in ev["actions"])
            daves = keys["Answer"].split("::", 1)[1]
            # the notification's default action: the incoming call's window
            app.activate("show-call", daves)
            wait_for(lambda: app.find("Incoming call on bob@127.0.0.1", "label"), 10,
                     "the call window saying the account")
            env.notifyd.invoke(ev["id"], keys["Answer"])
            dave.wait_call("active", 15)
            carol.wait_event(lambda e: e in carol.events[index:] and e.get("event") == "call" and
                             e.get("state") == "held", 15,
                             "carol's call on bob held when dave's was answered")
            app.activate("hangup", daves)
            dave.wait_call("ended", 15)
        hang_up(app, carol, BOB, carols, index)

        # the history records the account of each call
        history = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient", "history.ini")
        text = wait_for(lambda: (lambda s: s if s.count("account=") >= 4 else None)(
            open(history).read() if os.path.exists(history) else ""), 10, "four calls in the history")
        check(text.count("account=%s" % ALICE) == 1 and text.count("account=%s" % BOB) == 3,
              "the history records alice once and bob three times", text)

        # bob removed in the Preferences: un-registered, and no more account chooser
        remove_account(app)
        kam.wait_unregistered("bob", timeout=10)
        check("alice" in kam.registrations(), "alice is still registered", kam.registrations())
        wait_for(lambda: not app.find("Call from this account", "combo box"), 10,
                 "the account chooser hidden with one account left")


if __name__ == "__main__":
    main()
