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

from harness import APP_ID, LineReader, check, log  # noqa: E402
from test_signals import app_leaves_a_call  # noqa: E402

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


def session_ends(app, bob, sm):
    sm.wait("RegisterClient")
    log("call active; the session ends")
    sm.send("query-end")
    answer = sm.wait("EndSessionResponse")
    check(answer["is_ok"], "the app refused to let the session end", answer)
    check(bob.call_states()[-1] == "active", "the call ended on QueryEndSession alone",
          bob.describe())
    t0 = time.monotonic()
    sm.send("end")
    return t0


def main():
    app_leaves_a_call(session_ends, lambda env: SessionManager(env.env))


if __name__ == "__main__":
    main()
