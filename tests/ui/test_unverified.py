#!/usr/bin/python3
"""A caller who reaches the app directly (not through a server) is not shown
with a saved contact's name even when its From is that contact's address
(anyone can write any From): the notification and the call window show the
raw address, and the window says it is not verified (issue 10)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import App, Environment, check, log, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures import ports  # noqa: E402

CONTACT = "Bob Trusted"


def main():
    env = Environment()
    app = None
    peer = None
    try:
        port = ports.free_port()
        # the caller's From: mtavip-cli without an account says sip:mtavip@HOST:PORT
        claimed = "sip:mtavip@127.0.0.1:%d" % port
        store = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient")
        os.makedirs(store, exist_ok=True)
        with open(os.path.join(store, "contacts.ini"), "w") as f:
            f.write("[bob]\nname=%s\naddresses=%s;\n" % (CONTACT, claimed))
        app = App(env)
        app.wait_window("MTAVIPClient")
        app.wait_find(CONTACT, "label")

        seen = env.notifyd.events
        peer = CliPhone(account=None, name="spoofer", listen_port=port,
                        extra=["--call", "sip:me@127.0.0.1:%d" % env.sip_port]).start()
        ev = env.notifyd.wait(lambda e: e["method"] == "Notify" and e not in seen and
                              any(a[0].startswith("app.answer::") for a in e["actions"]),
                              20, "the incoming-call notification")
        log("Notify", ev["summary"])
        check(CONTACT not in ev["summary"], "the notification named the caller after a contact",
              ev["summary"])
        check("127.0.0.1:%d" % port in ev["summary"], "the notification does not show the raw address",
              ev["summary"])
        keys = dict(ev["actions"])
        env.notifyd.invoke(ev["id"], "default")
        view = app.wait_window(ev["summary"], 10)
        wait_for(lambda: any(l.endswith("(not verified)") for l in app.labels()), 10,
                 "the call window saying the address is not verified (labels %r)" % app.labels())
        check(view.get_name() == ev["summary"], "the call window is not titled with the raw address",
              view.get_name())
        call_id = [k for k in keys if k.startswith("app.decline::")][0].split("::", 1)[1]
        app.activate("decline", call_id)
        peer.wait_call("ended", 10)
        log("PASS")
    except BaseException:
        if app:
            print("labels:", app.labels(), "\n---- app output ----\n" + app.output(), flush=True)
        if peer:
            print(peer.describe(), flush=True)
        raise
    finally:
        if app:
            app.quit()
        if peer:
            peer.stop()
        env.close()


if __name__ == "__main__":
    main()
