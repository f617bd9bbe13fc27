#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop session ends (log out, shut down) in the middle of a call
(issue 10): the app registered with the session manager when it started;
it agrees to QueryEndSession and, on EndSession, hangs up (the peer gets
BYE), un-registers (Kamailio's location table has no alice) and exits 0
within a few seconds. The session manager is a small one of ours
(sessiond.py) on the test's private session bus."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import APP_ID, App, Environment, LineReader, check, log  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures.kamailio import Kamailio  # noqa: E402
from test_signals import configure_account  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class SessionManager:
    def __init__(self, env):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "sessiond.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env)
        self.reader = LineReader(self.proc.stdout, "sessiond")
        self.reader.wait(lambda e: e["method"] == "ready", 10, "sessiond ready")

    def wait(self, method, timeout=10.0):
        """The app's own call of `method` (the a11y bus launcher registers too)"""
        return self.reader.wait(lambda e: e["method"] == method and e.get("app_id") == APP_ID,
                                timeout, method)

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    env = Environment(keyring=True)
    kam = Kamailio().start()
    sm = SessionManager(env.env)
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
        sm.wait("RegisterClient")
        kam.wait_registered("alice", timeout=15)

        app.activate("call-audio", kam.uri("bob"))
        bob.wait_call("active", 20)
        app.call_state(lambda c: c["state"] == "active", 20, "the app's call to be active")
        log("call active; the session ends")

        sm.send("query-end")
        answer = sm.wait("EndSessionResponse")
        check(answer["is_ok"], "the app refused to let the session end", answer)
        check(bob.call_states()[-1] == "active", "the call ended on QueryEndSession alone",
              bob.describe())

        t0 = time.monotonic()
        sm.send("end")
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
        sm.stop()
        kam.stop()
        env.close()


if __name__ == "__main__":
    main()
