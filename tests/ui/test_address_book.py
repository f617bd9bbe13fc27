#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop address book (issue 12, item 6).

Without Evolution Data Server on the session bus (a bus of ours with nothing
to activate): our own contacts only, no dialog, a debug message.

With it (evolution-source-registry and evolution-addressbook-factory started
here on the test's private bus, in the test's XDG directories): a card with a
SIP address written through EDS (its Python bindings, as GNOME Contacts would)
appears in the app's list while it runs, marked "from Contacts" and without
Edit/Delete; a card without one does not; its call button calls a mtavip-cli
peer that answers, with media; removed in EDS, it leaves the list; it is never
written to our own contacts file. EDS that cannot start fails the test."""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import App, Gio, GLib, UiTest, bus_name_pid, check, log, screenshot, wait_for  # noqa: E402
from clirunner import CliPhone  # noqa: E402

import gi  # noqa: E402
gi.require_version("EDataServer", "1.2")
gi.require_version("EBook", "1.2")
gi.require_version("EBookContacts", "1.2")
from gi.repository import EBook, EBookContacts, EDataServer  # noqa: E402

LIBEXEC = "/usr/libexec"
SERVICES = (("evolution-source-registry", "org.gnome.evolution.dataserver.Sources5"),
            ("evolution-addressbook-factory", "org.gnome.evolution.dataserver.AddressBook10"))
NO_EDS = "No desktop address book (Evolution Data Server)"

# a session bus with no services to activate (no EDS), for the app alone
BARE_BUS = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class Processes:
    """Our own processes, each in its own process group, stopped by id."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log_dir = log_dir
        self.procs = []

    def start(self, argv, stdout=None):
        path = os.path.join(self.log_dir, "%s.log" % os.path.basename(argv[0]))
        with open(path, "w") as out:
            proc = subprocess.Popen(argv, env=self.env, stdout=stdout or out, stderr=out,
                                    start_new_session=True)
        self.procs.append((proc, path))
        return proc

    def describe(self):
        text = []
        for proc, path in self.procs:
            with open(path) as f:
                text.append("%s (pid %d, exit %r):\n%s" % (path, proc.pid, proc.poll(),
                                                            f.read()[-3000:]))
        return "\n".join(text)

    def stop(self):
        for proc, _ in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)   # the factory's backend subprocess too
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def start_eds(t):
    """The registry and the address-book factory on the test's bus; fails the
    test if they do not come up."""
    # its own settings in memory, not in the app's keyfile
    eds = t.keep(Processes("evolution-data-server", dict(t.env.env, GSETTINGS_BACKEND="memory"),
                           t.env.dir))
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    for program, name in SERVICES:
        path = os.path.join(LIBEXEC, program)
        check(os.access(path, os.X_OK), "%s is not installed (Debian package "
              "evolution-data-server)" % path)
        proc = eds.start([path])
        wait_for(lambda: check(proc.poll() is None, "%s exited" % program) and
                 bus_name_pid(bus, name) == proc.pid, 20, "%s to own %s" % (program, name))
    log("EDS up:", eds.procs and [p.pid for p, _ in eds.procs])
    return eds


def open_system_book():
    registry = EDataServer.SourceRegistry.new_sync(None)
    source = registry.ref_builtin_address_book()
    check(source is not None, "EDS has no built-in address book")
    # 0xffffffff: do not wait for "connected" (a local book never says it)
    return EBook.BookClient.connect_sync(source, 0xFFFFFFFF, None)


def add_card(book, vcard):
    contact = EBookContacts.Contact.new_from_vcard(vcard)
    ok, uid = book.add_contact_sync(contact, EBookContacts.BookOperationFlags.NONE, None)
    check(ok and uid, "EDS did not store the card", vcard)
    return uid


def without_eds(t):
    """The app on a session bus of its own where nothing can be activated
    (accessibility still through the test's a11y bus)."""
    env = t.env
    with open(os.path.join(env.dir, "bare-bus.conf"), "w") as f:
        f.write(BARE_BUS % env.dir)
    bus = t.keep(Processes("bare-bus", env.env, env.dir))
    daemon = bus.start(["dbus-daemon", "--nofork", "--print-address=1",
                        "--config-file=%s" % os.path.join(env.dir, "bare-bus.conf")],
                       stdout=subprocess.PIPE)
    address = daemon.stdout.readline().decode().strip()
    check(address, "the bare dbus-daemon printed no address", bus.describe())
    main_bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    a11y = main_bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                              None, GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 5000,
                              None).unpack()[0]
    app = App(env, extra_env={"DBUS_SESSION_BUS_ADDRESS": address, "AT_SPI_BUS_ADDRESS": a11y,
                              "G_MESSAGES_DEBUG": "mt-address-book"})
    t.app = app
    app.wait_window("MTAVIPClient")
    app.wait_find("Olga Own", "label")
    wait_for(lambda: NO_EDS in app.output(), 15, "the debug message saying there is no EDS")
    time.sleep(0.5)   # a dialog would have come with the message
    names = [w.get_name() for w in app.windows() if w is not None]
    check(names == ["MTAVIPClient"], "a window other than the main one opened without EDS", names)
    check(not any("from Contacts" in label for label in app.labels()),
          "a contact from the desktop is listed though there is no EDS", app.labels())
    # not on the test's bus: app.quit() ends it with SIGTERM, which quits cleanly
    app.quit_cleanly()
    t.app = None
    bus.stop()


def main():
    with UiTest("address_book") as t:
        env = t.env
        own = os.path.join(env.env["XDG_DATA_HOME"], "mtavipclient")
        os.makedirs(own, exist_ok=True)
        with open(os.path.join(own, "contacts.ini"), "w") as f:
            f.write("[own-1]\nname=Olga Own\naddresses=sip:olga@example.org;\n")

        started = time.monotonic()
        without_eds(t)
        log("without EDS: %.1f s" % (time.monotonic() - started))

        eds = start_eds(t)
        t.report("evolution-data-server", eds.describe)
        book = open_system_book()
        peer = t.keep(CliPhone(account=None, name="alice", video=False,
                               extra=["--auto-answer"]).start())
        app = t.start_app(extra_env={"G_MESSAGES_DEBUG": "mt-address-book"})
        app.wait_window("MTAVIPClient")
        app.wait_find("Olga Own", "label")

        # written while the app runs: it appears (the view is live)
        alice = add_card(book, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alice Desk\r\n"
                               "IMPP;X-SERVICE-TYPE=SIP:sip:alice@127.0.0.1:%d\r\n"
                               "END:VCARD\r\n" % peer.listen_port)
        add_card(book, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan NoSip\r\nTEL:+4930123\r\n"
                       "END:VCARD\r\n")
        app.wait_find("Alice Desk", "label", timeout=20)
        check("sip:alice@127.0.0.1:%d · from Contacts" % peer.listen_port in app.labels(),
              "the desktop contact is not marked as from Contacts", app.labels())
        check(app.find("Dan NoSip", "label") is None,
              "a desktop contact without a SIP address is listed")
        check(app.find("More for Alice Desk", "toggle button") is None and
              app.find("More for Alice Desk", "push button") is None,
              "a desktop contact offers Edit/Delete (it is read-only here)")
        screenshot("address-book.png", app.raise_window("MTAVIPClient"))

        # its call button calls the CLI peer, which answers; media both ways
        app.click("Audio call Alice Desk")
        peer.wait_call("active", 20)
        app.call_state(lambda c: c["state"] == "active" and c["direction"] == "outgoing", 20,
                       "the app's call to Alice Desk to be active")
        media = peer.wait_media(audio_packets=50, timeout=30)
        log("peer media", media)
        app.click("Hang up")
        ended = peer.wait_call("ended", 15)
        check(ended["reason"] == "remote-hangup", "the call did not end as a hang-up", ended)

        # removed in EDS: it leaves the list
        ok = book.remove_contact_by_uid_sync(alice, EBookContacts.BookOperationFlags.NONE, None)
        check(ok, "EDS did not remove the card")
        marked = "sip:alice@127.0.0.1:%d · from Contacts" % peer.listen_port
        wait_for(lambda: marked not in app.labels(), 20, "Alice Desk to leave the list")
        check(app.find("Audio call Alice Desk", "push button") is None,
              "the removed desktop contact can still be called from the list")
        app.quit_cleanly()
        with open(os.path.join(own, "contacts.ini")) as f:
            saved = f.read()
        check("Alice" not in saved and "Dan" not in saved,
              "a desktop contact was written to our own contacts file", saved)
        log("total: %.1f s" % (time.monotonic() - started))


if __name__ == "__main__":
    main()
