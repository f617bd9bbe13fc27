"""The attacker's side for the secure suite: a raw UDP SIP responder.

This is not a peer a user meets (those are Kamailio and baresip): it plays a
registrar that challenges with a realm of its choosing, and can answer from
another address than the one the request went to (a forged response).
"""

import re
import socket
import threading
import time


def header(msg, name):
    m = re.search(r"^%s:[ \t]*(.*?)\r?$" % re.escape(name), msg, re.M | re.I)
    return m.group(1) if m else None


class Challenger:
    """Listens on 127.0.0.1:port; answers every REGISTER with a 401 carrying
    realm @realm, sent from @reply_from (an address on loopback)."""

    def __init__(self, port, realm, reply_from="127.0.0.1"):
        self.port = port
        self.realm = realm
        self.reply_from = reply_from
        self.requests = []
        self._stop = False
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        if reply_from == "127.0.0.1":
            self.out = self.sock
        else:
            self.out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.out.bind((reply_from, port))
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._stop = True
        self.thread.join(2)
        self.sock.close()
        if self.out is not self.sock:
            self.out.close()

    def authorized(self):
        return [r for r in self.requests
                if header(r, "Authorization") or header(r, "Proxy-Authorization")]

    def _run(self):
        n = 0
        while not self._stop:
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            msg = data.decode("utf-8", "replace")
            if not msg.startswith("REGISTER "):
                continue
            self.requests.append(msg)
            n += 1
            vias = re.findall(r"^(?:Via|v):.*?\r?$", msg, re.M | re.I)
            reply = ["SIP/2.0 401 Unauthorized"] + [v.rstrip("\r") for v in vias]
            for h in ("From", "To", "Call-ID", "CSeq"):
                reply.append("%s: %s" % (h, header(msg, h)))
            reply[-3] = reply[-3] + (";tag=hostile" if "tag=" not in reply[-3] else "")
            reply.append('WWW-Authenticate: Digest realm="%s", nonce="n%d%d", qop="auth"'
                         % (self.realm, n, int(time.time())))
            reply.append("Content-Length: 0")
            self.out.sendto(("\r\n".join(reply) + "\r\n\r\n").encode(), addr)


SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=\xff\xfe session\r\nc=IN IP4 %s\r\nt=0 0\r\n"
       "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def invite(target_port, from_port, display=b'"Eve \xff\xfe\xc3"', user=b"eve%ff",
           source="127.0.0.1", extra=b"", branch="z9hG4bKhostile1", sdp_port=40000,
           sdp_host="127.0.0.1"):
    """Send one INVITE over UDP to 127.0.0.1:target_port from source:from_port;
    return the socket (to read responses from)."""
    sdp = (SDP % (sdp_host, sdp_port)).encode("latin-1")
    msg = (b"INVITE sip:mtavip@127.0.0.1:%d SIP/2.0\r\n" % target_port
           + b"Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n" % (source.encode(), from_port, branch.encode())
           + b"Max-Forwards: 70\r\n"
           + b"From: " + display + b" <sip:" + user + b"@%s:%d>;tag=h1\r\n" % (source.encode(), from_port)
           + b"To: <sip:mtavip@127.0.0.1:%d>\r\n" % target_port
           + b"Call-ID: hostile-%s@%s\r\n" % (branch.encode(), source.encode())
           + b"CSeq: 1 INVITE\r\n"
           + b"Contact: <sip:eve@%s:%d>\r\n" % (source.encode(), from_port)
           + extra
           + b"Content-Type: application/sdp\r\n"
           + b"Content-Length: %d\r\n\r\n" % len(sdp) + sdp)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((source, from_port))
    s.settimeout(0.5)
    s.sendto(msg, ("127.0.0.1", target_port))
    return s


def responses(sock, seconds):
    """Status lines received on sock within seconds."""
    out = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            continue
        out.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
    return out
