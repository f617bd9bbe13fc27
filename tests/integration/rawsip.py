"""A tiny SIP user agent over UDP for protocol tests: it writes requests
by hand and reads what comes back, so a test can send what a well-behaved
phone would not (an UPDATE with an offer, a stray REFER, MESSAGE, ...).

    ua = RawUA(peer_port)
    dialog = ua.invite(sdp=ua.offer(), headers={...})   # 100/180/200, ACKed
    resp = ua.request("UPDATE", dialog, body=ua.offer(), content_type="application/sdp")
    req = ua.wait_request("INVITE")                      # the peer's re-INVITE
"""

import random
import re
import socket
import struct
import time


def _token():
    return "%x" % random.getrandbits(48)


class Message:
    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                k, v = self.headers[-1]
                self.headers[-1] = (k, v + " " + line.strip())
                continue
            k, _, v = line.partition(":")
            self.headers.append((k.strip().lower(), v.strip()))
        self.is_request = not self.first.startswith("SIP/2.0")
        if self.is_request:
            self.method = self.first.split(" ")[0]
            self.status = None
        else:
            self.status = int(self.first.split(" ")[1])
            self.method = self.get("cseq").split()[-1]

    COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
               "c": "content-type", "l": "content-length", "x": "session-expires",
               "k": "supported"}

    def get_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if self.COMPACT.get(k, k) == name]

    def get(self, name, default=None):
        values = self.get_all(name)
        return values[0] if values else default

    def __repr__(self):
        return "<%s %s>" % (self.first, dict(self.headers))


class Dialog:
    def __init__(self, call_id, local_tag, remote_tag, remote_target, cseq):
        self.call_id = call_id
        self.local_tag = local_tag
        self.remote_tag = remote_tag
        self.remote_target = remote_target
        self.cseq = cseq


class RawUA:
    def __init__(self, peer_port, peer_host="127.0.0.1", user="raw"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.peer = (peer_host, peer_port)
        self.user = user
        self.inbox = []
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]

    def close(self):
        self.sock.close()
        self.rtp.close()

    # ---- SDP --------------------------------------------------------------------
    def offer(self, version=1, direction="sendrecv"):
        return ("v=0\r\no=- 4242 %d IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                "t=0 0\r\nm=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=%s\r\n"
                % (version, self.rtp_port, direction))

    @staticmethod
    def audio_target(body):
        """(address, port) of the first m=audio in an SDP body"""
        address = re.search(r"^c=IN IP4 (\S+)", body, re.M).group(1)
        port = int(re.search(r"^m=audio (\d+) ", body, re.M).group(1))
        return address, port

    def send_rtp(self, target, seconds, pt=0, start_seq=0):
        """PCMU silence, 20 ms a packet, for `seconds`; returns the next seq"""
        ssrc, seq = 0x5eed1234, start_seq
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            header = struct.pack("!BBHII", 0x80, pt | (0x80 if seq == 0 else 0),
                                 seq & 0xffff, (seq * 160) & 0xffffffff, ssrc)
            self.rtp.sendto(header + b"\xff" * 160, target)
            seq += 1
            time.sleep(0.02)
        return seq

    # ---- wire -------------------------------------------------------------------
    def send(self, text, to=None):
        self.sock.sendto(text.encode(), to or self.peer)

    def _receive(self, timeout):
        self.sock.settimeout(max(timeout, 0.01))
        try:
            data, addr = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        m = Message(data)
        m.source = addr
        return m

    def wait(self, pred, timeout=10.0, what="message"):
        deadline = time.monotonic() + timeout
        while True:
            for m in self.inbox:
                if pred(m):
                    self.inbox.remove(m)
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s within %.0f s; got %s" % (what, timeout, self.inbox))
            m = self._receive(left)
            if m is not None:
                self.inbox.append(m)

    def wait_response(self, call_id, cseq, method, final=True, timeout=10.0):
        def ok(m):
            return (not m.is_request and m.get("call-id") == call_id and
                    m.get("cseq") == "%d %s" % (cseq, method) and
                    (m.status >= 200 or not final))
        return self.wait(ok, timeout, "response to %s" % method)

    def wait_request(self, method, timeout=10.0):
        return self.wait(lambda m: m.is_request and m.method == method, timeout, method)

    def _request(self, method, uri, call_id, from_tag, to_tag, cseq, body="",
                 content_type=None, headers=None, cseq_method=None):
        branch = "z9hG4bK" + _token()
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/UDP 127.0.0.1:%d;rport;branch=%s" % (self.port, branch),
                 "Max-Forwards: 70",
                 "From: <sip:%s@127.0.0.1:%d>;tag=%s" % (self.user, self.port, from_tag),
                 "To: <%s>%s" % (uri if to_tag is None else self.peer_uri(),
                                 ";tag=%s" % to_tag if to_tag else ""),
                 "Call-ID: %s" % call_id,
                 "CSeq: %d %s" % (cseq, cseq_method or method),
                 "Contact: <sip:%s@127.0.0.1:%d>" % (self.user, self.port)]
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        if content_type:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body.encode()))
        self.send("\r\n".join(lines) + "\r\n\r\n" + body)

    def peer_uri(self):
        return "sip:peer@%s:%d" % self.peer

    # ---- transactions --------------------------------------------------------------
    def out_of_dialog(self, method, body="", content_type=None, headers=None, timeout=10.0):
        call_id, tag = _token(), _token()
        self._request(method, self.peer_uri(), call_id, tag, None, 1, body, content_type, headers)
        return self.wait_response(call_id, 1, method, timeout=timeout)

    def invite(self, sdp, headers=None, timeout=20.0, answer=None):
        """INVITE with `sdp` (or with no body when it is empty: then the
        ACK carries answer(the 200's offer), if `answer` is given); returns
        (dialog, 200 response) once ACKed."""
        call_id, tag = _token(), _token()
        self._request("INVITE", self.peer_uri(), call_id, tag, None, 1, sdp,
                      "application/sdp" if sdp else None, headers)
        ok = self.wait_response(call_id, 1, "INVITE", timeout=timeout)
        if ok.status != 200:
            raise AssertionError("the INVITE was not answered 200: %r" % ok)
        to_tag = re.search(r";tag=([^;>\s]+)", ok.get("to")).group(1)
        target = re.search(r"<([^>]+)>", ok.get("contact")).group(1)
        dialog = Dialog(call_id, tag, to_tag, target, 1)
        body = answer(ok.body) if answer else ""
        self.ack(dialog, 1, body, "application/sdp" if body else None)
        return dialog, ok

    def ack(self, dialog, cseq, body="", content_type=None):
        self._request("ACK", dialog.remote_target, dialog.call_id, dialog.local_tag,
                      dialog.remote_tag, cseq, body, content_type)

    def request(self, method, dialog, body="", content_type=None, headers=None, timeout=10.0):
        dialog.cseq += 1
        self._request(method, dialog.remote_target, dialog.call_id, dialog.local_tag,
                      dialog.remote_tag, dialog.cseq, body, content_type, headers)
        return self.wait_response(dialog.call_id, dialog.cseq, method, timeout=timeout)

    def respond(self, request, status, phrase, body="", content_type=None, to_tag=None,
                contact=None):
        lines = ["SIP/2.0 %d %s" % (status, phrase)]
        for name in ("via", "from", "to", "call-id", "cseq"):
            for v in request.get_all(name):
                if name == "to" and to_tag and ";tag=" not in v:
                    v += ";tag=" + to_tag
                lines.append("%s: %s" % (name.title(), v))
        lines.append("Contact: <%s>" % (contact or "sip:%s@127.0.0.1:%d" % (self.user, self.port)))
        if content_type:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body.encode()))
        self.send("\r\n".join(lines) + "\r\n\r\n" + body, request.source)
