#!/usr/bin/python3
"""SIGTERM to the app in the middle of a call (a session logging out, systemd
stopping it, kill): the app hangs up (the peer gets BYE and ends
remote-hangup), un-registers (Kamailio's location table has no alice) and
exits, all within a few seconds (issue 10)."""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import APP_ID, App, Environment, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402

ACCOUNT = "sip:alice@127.0.0.1"


def configure_account(env, kam):
    """The account as the preferences window leaves it: settings + keyring."""
    settings = os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
    with open(settings, "a") as f:
        f.write("account-uri='%s'\nregistrar='%s'\ntransport='udp'\n" % (ACCOUNT, kam.proxy_uri))
    r = subprocess.run(["secret-tool", "store", "--label", "SIP password for " + ACCOUNT,
                        "xdg:schema", APP_ID + ".Account", "account", ACCOUNT],
                       input=kam.users["alice"], text=True, env=env.env, capture_output=True,
                       timeout=15)
    check(r.returncode == 0, "secret-tool could not store the password", r.stderr)
    check(env.keyring.lookup(account=ACCOUNT) == kam.users["alice"],
          "the password is not in the keyring")


def app_leaves_a_call(end, helper=None):
    """The app in a call with bob (auto-answering CLI) through Kamailio;
    end(app, bob, extra) makes it go, where extra is what helper(env)
    started before the app (stopped with .stop() at the end). Then: bob
    gets BYE, alice is un-registered, the app exits 0 within 5 s, no
    critical."""
    env = Environment(keyring=True)
    kam = Kamailio().start()
    extra = helper(env) if helper else None
    app = None
    bob = None
    try:
        configure_account(env, kam)
        bob = CliPhone(account=kam.uri("bob"), password=kam.users["bob"],
                       registrar=kam.proxy_uri, name="bob", video=False,
                       extra=["--auto-answer"]).start()
        bob.wait_registration("registered")
        app = App(env)
        app.wait_window("MTAVIPClient")
        kam.wait_registered("alice", timeout=15)

        app.activate("call-audio", kam.uri("bob"))
        bob.wait_call("active", 20)
        app.call_state(lambda c: c["state"] == "active", 20, "the app's call to be active")

        t0 = end(app, bob, extra)
        ended = bob.wait_call("ended", 5)
        check(ended.get("reason") == "remote-hangup", "the peer did not get a BYE", ended)
        log("peer got BYE after %.1f s" % (time.monotonic() - t0))
        kam.wait_unregistered("alice", timeout=5)
        log("alice un-registered after %.1f s" % (time.monotonic() - t0))
        app.proc.wait(10)
        took = time.monotonic() - t0
        check(took < 5, "the app took %.1f s to exit" % took)
        check(app.proc.returncode == 0, "the app did not exit with 0", app.proc.returncode)
        log("app exited %d after %.1f s" % (app.proc.returncode, took))
        check("CRITICAL" not in app.output(), "the app logged a critical", app.output())
        log("PASS")
    except BaseException:
        if app:
            print("---- app output ----\n" + app.output(), flush=True)
        if bob:
            print(bob.describe(), flush=True)
        print("---- kamailio ----\n" + kam.log_tail(100), flush=True)
        raise
    finally:
        if app:
            app.quit()
        if bob:
            bob.stop()
        if extra:
            extra.stop()
        kam.stop()
        env.close()


def sigterm(app, bob, extra):
    log("call active; SIGTERM to the app")
    t0 = time.monotonic()
    os.kill(app.pid, signal.SIGTERM)
    return t0


def main():
    app_leaves_a_call(sigterm)


if __name__ == "__main__":
    main()
