#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test notification server: org.freedesktop.Notifications on the session bus.

Prints one JSON line per call it receives on stdout:
    {"method": "Notify", "id": 1, "app_name": ..., "summary": ..., "body": ...,
     "actions": [["app.answer::ID", "Answer"], ...], "hints": {"urgency": 2, ...}}
    {"method": "CloseNotification", "id": 1}
and reads commands on stdin:
    invoke ID ACTION_KEY     -> emits ActionInvoked(ID, ACTION_KEY)
    close ID REASON          -> emits NotificationClosed(ID, REASON)
"""

import json
import sys
import threading

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
</node>
"""

PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"


class Server:
    def __init__(self):
        self.next_id = 1
        self.conn = None

    def emit(self, record):
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    def method_call(self, conn, sender, path, iface, method, params, invocation):
        args = params.unpack()
        if method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body", "persistence"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("mt-test-notifyd", "MTMediaDev", "1", "1.2")))
        elif method == "Notify":
            app_name, replaces, icon, summary, body, actions, hints, timeout = args
            nid = replaces or self.next_id
            if not replaces:
                self.next_id += 1
            pairs = [[actions[i], actions[i + 1]] for i in range(0, len(actions) - 1, 2)]
            clean_hints = {}
            for k, v in hints.items():
                clean_hints[k] = v if isinstance(v, (int, str, bool, float)) else str(v)
            self.emit({"method": "Notify", "id": nid, "app_name": app_name, "summary": summary,
                       "body": body, "actions": pairs, "hints": clean_hints, "sender": sender})
            invocation.return_value(GLib.Variant("(u)", (nid,)))
        elif method == "CloseNotification":
            self.emit({"method": "CloseNotification", "id": args[0]})
            invocation.return_value(None)
            self.signal("NotificationClosed", GLib.Variant("(uu)", (args[0], 3)))

    def signal(self, name, value):
        self.conn.emit_signal(None, PATH, IFACE, name, value)

    def command(self, line):
        parts = line.split()
        if len(parts) == 3 and parts[0] == "invoke":
            self.signal("ActionInvoked", GLib.Variant("(us)", (int(parts[1]), parts[2])))
        elif len(parts) == 3 and parts[0] == "close":
            self.signal("NotificationClosed", GLib.Variant("(uu)", (int(parts[1]), int(parts[2]))))
        return False


def main():
    server = Server()
    loop = GLib.MainLoop()
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    server.conn = conn
    conn.register_object(PATH, node.interfaces[0], server.method_call, None, None)

    def acquired(*a):
        server.emit({"method": "ready"})

    def lost(*a):
        sys.stderr.write("notifyd: could not own org.freedesktop.Notifications\n")
        loop.quit()

    Gio.bus_own_name_on_connection(conn, IFACE, Gio.BusNameOwnerFlags.NONE, acquired, lost)

    def reader():
        for line in sys.stdin:
            GLib.idle_add(server.command, line.strip())
        GLib.idle_add(loop.quit)

    threading.Thread(target=reader, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()
