#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ICE in the app (issue 9): the TURN server and user set in GSettings, the STUN
server and TURN password typed into the preferences' Network page (a malformed
STUN server first: its sentence shows and it is not saved); the password goes
to the Secret Service. The app then calls a `mtavip-cli --ice` peer on
loopback: the call connects over ICE (the peer's JSON says "connected"), media
flows both ways, and the call window's details show the path of each stream.
On loopback every pair is host-to-host (the server-reflexive address equals
the host one and coturn relays to no loopback peer), so the path is "direct"."""

import collections
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import UiTest, check, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402
from fixtures import ports  # noqa: E402
from fixtures.process import Managed, make_tempdir  # noqa: E402

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TURN_USER = "ice-user"
TURN_PASSWORD = "ice-secret"
STUN_ROW = "STUN server, such as stun.example.org:3478"
MALFORMED = "stun.example.org:99999"


def start_server(port):
    """coturn (STUN and TURN with a static user) when installed, else our STUN fixture."""
    work = make_tempdir("ui-ice")
    log_path = os.path.join(work, "server.log")
    turnserver = shutil.which("turnserver")
    if turnserver:
        argv = [turnserver, "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                "--listening-port", str(port), "--lt-cred-mech", "--fingerprint",
                "--user", "%s:%s" % (TURN_USER, TURN_PASSWORD), "--realm", "mtavip.test",
                "--no-tls", "--no-dtls", "--no-cli", "--log-file", "stdout", "--simple-log", "-v",
                "--pidfile", os.path.join(work, "turnserver.pid")]
    else:
        argv = [sys.executable, "-m", "fixtures.stunserver", "127.0.0.1", str(port)]
    server = Managed(argv, log_path, cwd=TESTS)
    wait_for(lambda: ":%d " % port in subprocess.run(["ss", "-lnu"], capture_output=True,
                                                     text=True).stdout, 10,
             "the STUN/TURN server to listen")
    return server, bool(turnserver)


def keyfile_path(env):
    return os.path.join(env.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")


def call_path(app, window):
    """The call window's label that starts with "Audio: " (the details line under
    the address in the header bar: breadth first, it is near the top)."""
    queue = collections.deque([window])
    while queue:
        node = queue.popleft()
        if node is None:
            continue
        n = node.get_child_count()
        if n == 0 and (node.get_name() or "").startswith("Audio: ") and \
                node.get_role_name() == "label":
            return node.get_name()
        queue.extend(node.get_child_at_index(i) for i in range(n))
    return None


def main():
    with UiTest("ice", keyring=True) as t:
        env = t.env
        port = ports.free_port()
        server, turn = start_server(port)
        t.keep(server)
        t.report("stun/turn server", lambda: server.log_tail(30))
        server_address = "127.0.0.1:%d" % port
        with open(keyfile_path(env), "a") as f:
            # small video keeps the app responsive to AT-SPI on a loaded machine
            f.write("video-size='320x240'\n")
            if turn:
                # the TURN settings through GSettings (the keyfile backend of the test env)
                f.write("turn-server='%s'\nturn-user='%s'\n" % (server_address, TURN_USER))
        peer = t.keep(CliPhone(account=None, name="peer",
                               extra=["--auto-answer", "--ice"]).start())
        app = t.start_app()
        app.wait_window("MTAVIPClient")

        # 1. the Network page: a malformed STUN server gets its sentence ...
        app.raise_window("MTAVIPClient")
        app.key("MTAVIPClient", "ctrl+comma")
        prefs = app.wait_window("Preferences", 10)
        app.click_on("Preferences", app.wait_find("Network", root=prefs))
        app.fill("Preferences", STUN_ROW, MALFORMED, root=prefs)
        sentence = wait_for(lambda: [l for l in app.labels() if l.startswith("“%s” is not a server"
                                                                            % MALFORMED)],
                            5, "the sentence about the malformed STUN server")[0]
        log("sentence:", sentence)
        screenshot("network-page-malformed.png", app.raise_window("Preferences"))
        # ... and the valid one, typed, replaces it
        app.fill("Preferences", STUN_ROW, server_address, root=prefs)
        wait_for(lambda: not [l for l in app.labels() if "is not a server" in l], 5,
                 "the sentence to go once the address is valid")
        if turn:
            app.fill("Preferences", "TURN password", TURN_PASSWORD, root=prefs)
        node = app.wait_find("Close", "push button", root=prefs)
        check(node.get_action_iface().do_action(0), "pressing Close in the preferences did nothing")
        wait_for(lambda: app.window("Preferences") is None, 10, "the preferences to close")
        with open(keyfile_path(env)) as f:
            settings = f.read()
        check("stun-server='%s'" % server_address in settings and MALFORMED not in settings,
              "the STUN server typed in is not what the settings hold", settings)
        if turn:
            key = "%s@%s" % (TURN_USER, server_address)
            wait_for(lambda: env.keyring.lookup(turn=key) == TURN_PASSWORD, 10,
                     "the TURN password in the keyring")

        # 2. a call over ICE, media both ways, the path in the call window
        link = "sip:bob@127.0.0.1:%d" % peer.listen_port
        check(app.forward(link) == 0, "the app did not take the sip: link")
        app.click("Video call this address")
        peer.wait_call("active", 20)
        app.call_state(lambda c: c["state"] == "active", 20, "the app's call to be active")
        media = peer.wait_media(audio_packets=50, video_frames=15, timeout=30)
        ice = {s: (media.get(s) or {}).get("ice") or {} for s in ("audio", "video")}
        log("peer media ice", ice)
        check(all(i.get("state") == "connected" for i in ice.values()),
              "the peer does not see ICE connected on both streams", ice)
        app.call_state(lambda c: c["remote-frames-shown"] >= 10, 20,
                       "the peer's video drawn in the call window")
        log("video drawn")
        window = wait_for(lambda: [w for w in app.windows()
                                   if w is not None and w.get_name() not in ("MTAVIPClient", "")],
                          10, "the call window")[0]
        path = wait_for(lambda: call_path(app, window), 10,
                        "the media path in the call window")
        log("path:", path, "in", window.get_name())
        check(path == "Audio: direct · Video: direct",
              "the call window does not show the direct path of both streams", path)
        # the app quits at the end of the test (which hangs up)
        if turn:
            # not asserted since main's ICE gathers on non-loopback addresses only
            # (coturn here listens on 127.0.0.1): what coturn saw, for the record
            log("coturn sessions:", [l for l in server.log_tail(400).splitlines()
                                     if "ALLOCATE" in l][-4:])


if __name__ == "__main__":
    main()
