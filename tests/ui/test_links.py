#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Link handling (sip:, tel:): the app comes up with the address in the call
entry, ready to call, and never calls by itself.

1. Not running: `gapplication launch APPID sip:bob@...` D-Bus-activates the
   built app (its service file, as installed) with the link: the window shows
   the address in the entry; the peer at that address (a loopback mtavip-cli)
   gets no INVITE; one click on the call button does call it.
2. Running: `mtavipclient tel:+4930123` hands the link to the running
   instance; with no account the window says an account is needed.
3. With an account (sip:alice@example.org): `mtavipclient tel:+49 30 123`
   puts sip:+4930123@example.org;user=phone in the entry."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import APP_ID, App, UiTest, check, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402

ENTRY = "Address to call"
NEEDS_ACCOUNT = "To call the phone number +4930123, set up a SIP account first."


def entry_text(app):
    return App.text_of(app.wait_find(ENTRY, "text"))


def wait_entry(app, text, timeout=10):
    return wait_for(lambda: entry_text(app) == text, timeout,
                    "the call entry to hold %r (has %r)" % (text, entry_text(app)))


def no_call_to(peer, seconds=4):
    time.sleep(seconds)
    calls = [e for e in peer.events if e.get("event") == "call"]
    check(not calls, "the link placed a call by itself: %s" % calls)


def main():
    with UiTest("links") as t:
        env = t.env
        peer = t.keep(CliPhone(account=None, name="bob", extra=["--auto-decline"]).start())
        # 1. D-Bus activation with the link
        link = "sip:bob@127.0.0.1:%d" % peer.listen_port
        env.enable_activation()
        r = subprocess.run(["gapplication", "launch", APP_ID, link], env=env.env,
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "gapplication launch with the link failed: %s%s"
              % (r.stdout, r.stderr))
        app = t.start_app(activated=True)
        app.wait_window("MTAVIPClient")
        wait_entry(app, link)
        check(App.is_focused(app.find(ENTRY, "text")), "the call entry has no keyboard focus")
        no_call_to(peer)
        screenshot("link-sip.png", app.raise_window("MTAVIPClient"))
        # ... one click away
        app.click("Audio call this address")
        peer.wait_call("incoming", 15)
        app.call_state(lambda c: c["state"] == "ended" and c["reason"] == "declined", 15,
                       "the call to bob to be declined")

        # 2. a tel: link while running, no account: the sentence, no call
        check(app.forward("tel:+4930123") == 0,
              "running the app again with a tel: link failed to hand it over")
        wait_entry(app, "tel:+4930123")
        wait_for(lambda: NEEDS_ACCOUNT in app.labels(), 10, "the sentence that an account is needed")
        app.quit_cleanly()

        # 3. with an account: the number joins the account's domain
        keyfile = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
        with open(keyfile, "a") as f:
            # nothing listens there: registration fails, which does not matter here
            f.write("account-uri='sip:alice@example.org'\nregistrar='sip:127.0.0.1:9'\n")
        app = t.start_app(args=["tel:+49 30 123"])
        app.wait_window("MTAVIPClient")
        wait_entry(app, "sip:+4930123@example.org;user=phone")
        check(NEEDS_ACCOUNT not in app.labels(),
              "with an account the window still says an account is needed")
        calls = app.state()["calls"]
        check(not calls, "the tel: link placed a call by itself", calls)


if __name__ == "__main__":
    main()
