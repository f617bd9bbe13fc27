#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A SIP account set up through the preferences window, the way a user does it
(address, password, registrar, transport typed and picked with pointer and
keyboard): the password goes to a real Secret Service (gnome-keyring on the
private bus) and nowhere else; the app registers with Kamailio (the status
line says so, Kamailio's location table has alice over TCP); after a restart
it registers again with the password read back from the keyring; a wrong
password ends in a "failed" status with the reason, without retrying."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, files_containing, log, screenshot, wait_for  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402

ACCOUNT = "sip:alice@127.0.0.1"
PASSWORD = "alice-secret"
WRONG = "not-alice-secret"
AUTH_FAILED = "The server refused the user name or password."


def open_preferences(app):
    app.raise_window("MTAVIPClient")
    app.key("MTAVIPClient", "ctrl+comma")
    return app.wait_window("Preferences", 10)


def close_preferences(app, prefs):
    node = app.wait_find("Close", "push button", root=prefs)
    check(node.get_action_iface().do_action(0), "pressing Close in the preferences did nothing")
    wait_for(lambda: app.window("Preferences") is None, 10, "the preferences to close")


def status(app):
    return [l for l in app.labels()
            if l.startswith(("Registered as", "Registering", "Registration failed", "Offline",
                             "No account"))]


def wait_status(app, prefix, timeout=20):
    return wait_for(lambda: [l for l in status(app) if l.startswith(prefix)], timeout,
                    "the account status %r (now %r)" % (prefix, status(app)))[0]


def register_count(kam):
    return kam.log_text().count("REQ REGISTER ")


def main():
    with UiTest("account", keyring=True) as t:
        env = t.env
        kam = t.keep(Kamailio().start())
        t.report("kamailio", lambda: kam.log_tail(40))
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        wait_status(app, "No account")

        # 1. the account, typed into the preferences window
        prefs = open_preferences(app)
        app.fill("Preferences", "Address, such as alice@example.org", "alice@127.0.0.1", root=prefs)
        app.fill("Preferences", "Password", PASSWORD, root=prefs)
        app.fill("Preferences", "Registrar or proxy (optional)", kam.proxy_uri, root=prefs)
        app.click_on("Preferences", app.wait_find("Transport", "combo box", root=prefs))
        subprocess.run(["xdotool", "key", "Down", "Return"], check=True, timeout=10)
        wait_for(lambda: app.find("TCP", "label", root=prefs) and
                 not app.find("UDP", "label", root=prefs), 5, "TCP picked in the transport row")
        screenshot("preferences.png", app.raise_window("Preferences"))
        close_preferences(app, prefs)

        text = wait_status(app, "Registered as")
        check(text == "Registered as " + ACCOUNT,
              "the status line does not say the app is registered as " + ACCOUNT, text)
        contacts = kam.wait_registered("alice", timeout=10)
        log("registered", text, contacts)
        regs = kam.registrations()
        check(any("transport=tcp" in c for c in regs["alice"]),
              "alice registered, but not over TCP as picked in the preferences", regs)

        # 2. the password is in the Secret Service, and in no file of ours in plain text
        check(env.keyring.lookup(account=ACCOUNT) == PASSWORD, "the password is not in the keyring")
        roots = [env.dir] + [os.environ[k] for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                                       "XDG_CACHE_HOME", "XDG_RUNTIME_DIR")
                             if os.environ.get(k)]
        leaks = files_containing(PASSWORD, roots)
        check(not leaks, "the password is in plain text in %s" % leaks)
        keyfile = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
        with open(keyfile) as f:
            settings = f.read()
        check("account-uri='%s'" % ACCOUNT in settings and "transport='tcp'" in settings,
              "the settings do not hold the account and TCP transport typed in", settings)
        check(os.path.exists(os.path.join(env.env["XDG_DATA_HOME"], "keyrings", "login.keyring")),
              "the keyring kept no login.keyring file in XDG_DATA_HOME")

        # 3. after a restart: registered again, with the password from the keyring
        app.quit_cleanly()
        wait_for(lambda: "alice" not in kam.registrations(), 10, "alice un-registered on quit")
        before = register_count(kam)
        app = t.start_app()
        app.wait_window("MTAVIPClient")
        text = wait_status(app, "Registered as")
        kam.wait_registered("alice", timeout=10)
        check(register_count(kam) > before, "no new REGISTER after the restart")
        log("registered again after restart", text)

        # 4. a wrong password: a clear failure with the reason, and no retry loop
        prefs = open_preferences(app)
        app.fill("Preferences", "Password", WRONG, root=prefs)
        close_preferences(app, prefs)
        text = wait_status(app, "Registration failed")
        check(text == "Registration failed: " + AUTH_FAILED,
              "a wrong password does not show the authentication failure reason", text)
        check(env.keyring.lookup(account=ACCOUNT) == WRONG,
              "the changed password was not saved in the keyring")
        count = register_count(kam)
        time.sleep(6)
        check(register_count(kam) == count,
              "REGISTER retried: %d -> %d" % (count, register_count(kam)))
        check(status(app) == [text], "the status line changed after the failure", status(app))
        screenshot("registration-failed.png", app.raise_window("MTAVIPClient"))


if __name__ == "__main__":
    main()
