# SPDX-License-Identifier: GPL-3.0-or-later
"""SIP on the wire for the hostile suite: our copies of the RFC 4475 torture
messages, and a few raw sockets that send them and read what comes back.

The messages are in rfc4475/NAME.sip as the RFC prints them: lines end in
LF in the file and CRLF on the wire; octets that cannot be printed are
written <hex>07</hex> (the RFC's own notation, section 2.2).
"""

import os
import re
import socket
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RFC4475 = os.path.join(HERE, "rfc4475")

_HEX = re.compile(rb"<hex>([0-9A-Fa-f]*)</hex>")


def load(name):
    with open(os.path.join(RFC4475, name + ".sip"), "rb") as f:
        raw = f.read().replace(b"\n", b"\r\n")
    return _HEX.sub(lambda m: bytes.fromhex(m.group(1).decode()), raw)


def names():
    return sorted(n[:-4] for n in os.listdir(RFC4475) if n.endswith(".sip"))


def status_of(data):
    """The status code of the first response in `data`, or None."""
    m = re.match(rb"SIP/2\.0 (\d{3})", data or b"")
    return int(m.group(1)) if m else None


def split_messages(data):
    """Responses read from a stream: one bytes object each (headers only
    are enough here, bodies are skipped with their Content-Length)."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        m = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)", head)
        n = int(m.group(1)) if m else 0
        out.append(head + sep + rest[:n])
        data = rest[n:]
    return out


class UdpPeer:
    """A UDP socket on 127.0.0.1:port that sends datagrams and collects
    what arrives."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]

    def send(self, data, port):
        self.sock.sendto(data, ("127.0.0.1", port))

    def drain(self):
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recvfrom(65536)
        except (BlockingIOError, OSError):
            pass
        finally:
            self.sock.setblocking(True)

    def recv_all(self, wait):
        """Every datagram that arrives within `wait` seconds."""
        out = []
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65536)
                out.append(data)
            except socket.timeout:
                return out

    def close(self):
        self.sock.close()


def tcp_exchange(data, port, wait, until=None, quiet=None, barrier=None):
    """Send `data` on a new TCP connection; return every response that came
    back within `wait` seconds (or until the far end closed, or `until`
    says so of what came).  When nothing at all came within `quiet`
    seconds, `barrier()` is called and what is there by then is returned."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    got = b""
    try:
        s.sendall(data)
        start = time.monotonic()
        deadline = start + wait
        while True:
            now = time.monotonic()
            if quiet is not None and not got and now >= start + quiet:
                barrier()
                deadline = time.monotonic() + 0.1
                quiet = None
                continue
            end = deadline if quiet is None or got else min(deadline, start + quiet)
            if end - now <= 0:
                break
            s.settimeout(end - now)
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += chunk
            if until and until(split_messages(got)):
                break
    finally:
        s.close()
    return split_messages(got)


class TcpSink:
    """A TCP listener on 127.0.0.1:port that keeps what every connection
    sends (answers our peer routes over TCP, as a Via asks)."""

    def __init__(self, port):
        import threading
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.data = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import threading
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn):
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                with self.lock:
                    self.data += chunk

    def take(self):
        """The messages received since the last take()."""
        with self.lock:
            data, self.data = self.data, b""
        return split_messages(data)

    def close(self):
        self.sock.close()
