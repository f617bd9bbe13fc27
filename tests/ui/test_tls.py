#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SIP over TLS in the app (issue 10 step 1): an account with transport TLS
and a pinned certificate (tls-fingerprint) whose server presents another one
fails to register with the reason saying so in the status line; the pin is
shown in Preferences read-only, and Forget clears it: then the server's
certificate, for another host name, is refused for that reason."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, screenshot, wait_for  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from fixtures.tlscerts import TestCA  # noqa: E402
from test_account import close_preferences, open_preferences, status, wait_status  # noqa: E402

WRONG_NAME = "The server’s certificate is for a different server name."
NOT_PINNED = "The server’s certificate is not the one trusted for this account."
PIN = "ab" * 32
PIN_SHOWN = ":".join(["AB"] * 32)


def main():
    with UiTest("tls") as t:
        ca = TestCA()
        wrong = ca.server("wrong", names=["wrong.example"])
        tls_port = ports.free_port()
        kam = t.keep(Kamailio(tls=[(tls_port, wrong)]).start())
        t.report("kamailio", lambda: kam.log_tail(40))
        keyfile = os.path.join(t.env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
        with open(keyfile, "a") as f:
            f.write("account-uri='sip:alice@127.0.0.1:%d'\nregistrar='%s'\ntransport='tls'\n"
                    "tls-fingerprint='%s'\n" % (tls_port, kam.tls_proxy_uri(), PIN))

        app = t.start_app()
        app.wait_window("MTAVIPClient")
        text = wait_status(app, "Registration failed", timeout=20)
        check(text == "Registration failed: " + NOT_PINNED,
              "the status line does not say the certificate is not the pinned one", text)
        screenshot("tls-failed.png", app.raise_window("MTAVIPClient"))

        prefs = open_preferences(app)
        app.wait_find("Trusted server certificate", root=prefs)
        check(app.find(PIN_SHOWN, root=prefs) is not None,
              "Preferences do not show the pinned fingerprint", app.labels())
        screenshot("tls-pinned-preferences.png", app.raise_window("Preferences"))
        app.click("Forget", root=prefs)
        wait_for(lambda: "tls-fingerprint='" + PIN not in open(keyfile).read(), 10,
                 "Forget to clear the tls-fingerprint setting")
        wait_for(lambda: app.find(PIN_SHOWN, root=prefs, showing=True) is None, 10,
                 "the fingerprint row to go")
        close_preferences(app, prefs)
        # the account restarted without the pin: the server is still refused, for its name
        wait_for(lambda: "Registration failed: " + WRONG_NAME in status(app), 20,
                 "the status line to say the certificate names another server (now %r)"
                 % (status(app),))
        log("tls-failed shown; pin shown and forgotten")


if __name__ == "__main__":
    main()
