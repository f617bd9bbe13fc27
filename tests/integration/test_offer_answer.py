"""Offer/answer and method handling against raw SIP (issue 12, item 4).

A small hand-written UA (rawsip.py) calls `mtavip-cli --auto-answer` and
sends what the phone must handle: an UPDATE carrying an offer (RFC 3311:
the 200 carries the answer), a session timer that makes the phone the
refresher (RFC 4028: its refresh carries its SDP, an offer, so the ACK
needs none), methods it does not implement (MESSAGE, SUBSCRIBE: refused,
not 200'd and dropped; not listed in Allow), REFER outside a dialog (403)
and inside one (followed: 202 and NOTIFYs).
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402
from rawsip import RawUA  # noqa: E402


def sdp_media(body):
    return [line for line in body.split("\r\n") if line.startswith("m=")]


class OfferAnswerTest(unittest.TestCase):
    def setUp(self):
        cli_path()
        self.phone = CliPhone(account=None, video=False, name="bob",
                              extra=["--auto-answer", "--media-timeout", "0"])
        self.addCleanup(self.phone.stop)
        self.phone.start()
        ports.wait_tcp(self.phone.listen_port, proc=self.phone.proc.proc)
        self.ua = RawUA(self.phone.listen_port)
        self.addCleanup(self.ua.close)

    def call(self, headers=None):
        dialog, ok = self.ua.invite(self.ua.offer(), headers=headers)
        self.assertEqual(ok.get("content-type"), "application/sdp", ok)
        self.phone.wait_call("active", 10)
        return dialog

    def hang_up(self, dialog):
        self.assertEqual(self.ua.request("BYE", dialog).status, 200)
        self.assertEqual(self.phone.wait_call("ended", 10)["reason"], "remote-hangup")

    def test_update_with_offer_is_answered(self):
        dialog = self.call()
        resp = self.ua.request("UPDATE", dialog, self.ua.offer(version=2, direction="sendonly"),
                               "application/sdp")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.get("content-type"), "application/sdp", resp)
        self.assertEqual(len(sdp_media(resp.body)), 1, resp.body)
        # the answer to a sendonly offer: recvonly; the call shows held
        self.assertIn("a=recvonly", resp.body)
        self.phone.wait_call("held", 10)
        # an UPDATE without a body (a session refresh) gets a plain 200
        resp = self.ua.request("UPDATE", dialog)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body.strip(), "", resp)
        self.hang_up(dialog)

    def test_session_refresh_carries_our_offer(self):
        # we ask the phone (the UAS) to refresh: after about half of 90 s
        dialog = self.call({"Supported": "timer", "Session-Expires": "90;refresher=uas",
                            "Min-SE": "90"})
        reinvite = self.ua.wait_request("INVITE", timeout=60)
        self.assertEqual(reinvite.get("content-type"), "application/sdp", reinvite)
        self.assertEqual(len(sdp_media(reinvite.body)), 1, reinvite.body)
        # answer it; the ACK needs no SDP then
        self.ua.respond(reinvite, 200, "OK", self.ua.offer(version=2), "application/sdp")
        ack = self.ua.wait_request("ACK")
        self.assertEqual(ack.body.strip(), "", ack)
        self.assertEqual(self.phone.call_states()[-1], "active")
        self.hang_up(dialog)

    def test_unimplemented_methods_refused(self):
        for method, allowed in (("MESSAGE", (405, 501)), ("SUBSCRIBE", (405, 489, 501))):
            resp = self.ua.out_of_dialog(method, "hello" if method == "MESSAGE" else "",
                                         "text/plain" if method == "MESSAGE" else None,
                                         {"Event": "presence"} if method == "SUBSCRIBE" else None)
            self.assertIn(resp.status, allowed, resp)
        resp = self.ua.out_of_dialog("OPTIONS")
        self.assertEqual(resp.status, 200, resp)
        allow = {m.strip() for v in resp.get_all("allow") for m in v.split(",")}
        self.assertTrue({"INVITE", "ACK", "BYE", "CANCEL", "UPDATE", "INFO"} <= allow, allow)
        # NOTIFY: only for our REFERs' progress
        self.assertTrue({"REFER", "NOTIFY"} <= allow, allow)
        self.assertFalse(allow & {"MESSAGE", "SUBSCRIBE", "PUBLISH"}, allow)

    def test_refer_outside_a_dialog_is_forbidden(self):
        resp = self.ua.out_of_dialog("REFER", headers={"Refer-To": "<sip:carol@127.0.0.1:9>"})
        self.assertEqual(resp.status, 403, resp)
        # and the phone is none the worse: it takes a call; a REFER inside
        # it is followed: 202, then NOTIFYs (message/sipfrag) of the new call
        dialog = self.call()
        # the target: a socket that never answers (the new call keeps trying)
        target = "<sip:carol@127.0.0.1:%d>" % self.ua.rtp_port
        resp = self.ua.request("REFER", dialog, headers={"Refer-To": target})
        self.assertEqual(resp.status, 202, resp)
        notify = self.ua.wait_request("NOTIFY")
        self.assertEqual(notify.get("content-type"), "message/sipfrag", notify)
        self.assertTrue(notify.get("event").startswith("refer"), notify)
        self.assertTrue(notify.body.startswith("SIP/2.0 1"), notify.body)
        self.ua.respond(notify, 200, "OK")
        self.phone.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "2",
                              10, "the call to the transfer target")
        self.assertEqual(self.ua.request("BYE", dialog).status, 200)
        ended = self.phone.wait_event(lambda e: e.get("event") == "call" and e.get("id") == "1"
                                      and e.get("state") == "ended", 10, "the first call ended")
        self.assertEqual(ended["reason"], "transferred", ended)


if __name__ == "__main__":
    unittest.main()
