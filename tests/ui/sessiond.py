#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test session manager: org.gnome.SessionManager on the session bus, as
much of it as an application uses (GtkApplication with register-session).

Prints one JSON line per call it receives on stdout:
    {"method": "ready"}
    {"method": "RegisterClient", "app_id": ..., "path": "/org/gnome/SessionManager/ClientN"}
    {"method": "EndSessionResponse", "app_id": ..., "is_ok": true, "reason": ""}
    {"method": "UnregisterClient", "app_id": ..., "path": ...}
(the accessibility bus launcher registers too) and reads commands on stdin,
sent to every registered client, each on its own object path:
    query-end   -> QueryEndSession(0)
    end         -> EndSession(0)
    stop        -> Stop()
"""

import json
import sys
import threading

from gi.repository import Gio, GLib

NAME = "org.gnome.SessionManager"
PATH = "/org/gnome/SessionManager"
CLIENT_IFACE = NAME + ".ClientPrivate"

XML = """
<node>
  <interface name="org.gnome.SessionManager">
    <method name="RegisterClient">
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="o" direction="out"/>
    </method>
    <method name="UnregisterClient"><arg type="o" direction="in"/></method>
    <method name="IsInhibited"><arg type="u" direction="in"/><arg type="b" direction="out"/></method>
  </interface>
</node>
"""

CLIENT_XML = """
<node>
  <interface name="org.gnome.SessionManager.ClientPrivate">
    <method name="EndSessionResponse">
      <arg type="b" direction="in"/><arg type="s" direction="in"/>
    </method>
    <signal name="Stop"/>
    <signal name="QueryEndSession"><arg type="u"/></signal>
    <signal name="EndSession"><arg type="u"/></signal>
    <signal name="CancelEndSession"/>
  </interface>
</node>
"""


class SessionManager:
    def __init__(self, conn):
        self.conn = conn
        self.clients = {}   # object path -> (unique bus name, app id)
        self.client_iface = Gio.DBusNodeInfo.new_for_xml(CLIENT_XML).interfaces[0]

    @staticmethod
    def emit(record):
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    def manager_call(self, conn, sender, path, iface, method, params, invocation):
        args = params.unpack()
        if method == "RegisterClient":
            path = "%s/Client%d" % (PATH, len(self.clients) + 1)
            self.clients[path] = (sender, args[0])
            conn.register_object(path, self.client_iface, self.client_call, None, None)
            self.emit({"method": method, "app_id": args[0], "path": path})
            invocation.return_value(GLib.Variant("(o)", (path,)))
        elif method == "UnregisterClient":
            self.emit({"method": method, "app_id": self.clients.get(args[0], (None, None))[1],
                       "path": args[0]})
            invocation.return_value(None)
        elif method == "IsInhibited":
            invocation.return_value(GLib.Variant("(b)", (False,)))

    def client_call(self, conn, sender, path, iface, method, params, invocation):
        if method == "EndSessionResponse":
            is_ok, reason = params.unpack()
            self.emit({"method": method, "app_id": self.clients.get(path, (None, None))[1],
                       "is_ok": is_ok, "reason": reason})
            invocation.return_value(None)

    def signal(self, name, value=None):
        for path, (sender, _) in self.clients.items():
            self.conn.emit_signal(sender, path, CLIENT_IFACE, name, value)

    def command(self, line):
        if line == "query-end":
            self.signal("QueryEndSession", GLib.Variant("(u)", (0,)))
        elif line == "end":
            self.signal("EndSession", GLib.Variant("(u)", (0,)))
        elif line == "stop":
            self.signal("Stop")
        return False


def main():
    loop = GLib.MainLoop()
    conn = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    sm = SessionManager(conn)
    conn.register_object(PATH, Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0],
                         sm.manager_call, None, None)

    def acquired(*a):
        sm.emit({"method": "ready"})

    def lost(*a):
        sys.stderr.write("sessiond: could not own %s\n" % NAME)
        loop.quit()

    Gio.bus_own_name_on_connection(conn, NAME, Gio.BusNameOwnerFlags.NONE, acquired, lost)

    def reader():
        for line in sys.stdin:
            GLib.idle_add(sm.command, line.strip())
        GLib.idle_add(loop.quit)

    threading.Thread(target=reader, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()
