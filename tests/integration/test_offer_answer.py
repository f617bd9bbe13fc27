"""Offer/answer and method handling against raw SIP (issue 12, item 4).

A small hand-written UA (rawsip.py) calls `mtavip-cli --auto-answer` and
sends what the phone must handle: an UPDATE carrying an offer (RFC 3311:
the 200 carries the answer), a session timer that makes the phone the
refresher (RFC 4028: its refresh carries its SDP, an offer, so the ACK
needs none), methods it does not implement (MESSAGE, SUBSCRIBE: refused,
not 200'd and dropped; not listed in Allow), REFER outside a dialog (403)
and inside one (followed: 202 and NOTIFYs).

The raw UA as the callee: a 200 that carries an offer (our INVITE had none,
--delayed-offer) gets our answer in the ACK (RFC 3264, RFC 3261 13.2.1); a
183 with SDP plays the far end's early media while the call still rings
(RFC 3960), the 200 makes it active without starting media again.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))

from fixtures import ports  # noqa: E402
from clirunner import CliPhone, cli_path  # noqa: E402
from rawsip import Dialog, RawUA  # noqa: E402
import re  # noqa: E402


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

    def test_invite_without_offer(self):
        """RFC 3261 13.2.1: an INVITE without SDP is answered with our offer
        in the 200; the ACK's answer starts media both ways."""
        dialog, ok = self.ua.invite("", answer=lambda offer: self.ua.offer())
        self.assertEqual(ok.get("content-type"), "application/sdp", ok)
        media = sdp_media(ok.body)
        self.assertEqual(len(media), 1, ok.body)
        self.assertTrue(re.match(r"m=audio \d+ RTP/AVP .*\b0\b", media[0]), media)
        self.phone.wait_call("active", 10)
        self.ua.send_rtp(RawUA.audio_target(ok.body), 2.0)
        self.phone.wait_event(lambda e: e.get("event") == "media" and
                              e["audio"].get("decoded", 0) > 20 and
                              e["audio"].get("tx_packets", 0) > 20, 10, "audio both ways")
        self.hang_up(dialog)

    def test_ack_without_the_answer_ends_the_call(self):
        """Our offer went in the 200 and the ACK brings no answer: a BYE."""
        self.ua.invite("")
        bye = self.ua.wait_request("BYE")
        self.assertIn("488", bye.get("reason", ""), bye)
        self.assertEqual(self.phone.wait_call("ended", 10)["reason"], "no-common-codec",
                         self.phone.describe())

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


class CalleeTest(unittest.TestCase):
    """The phone calls the raw UA (alice -> desk)."""

    def setUp(self):
        cli_path()
        self.ua = RawUA(0, user="desk")
        self.addCleanup(self.ua.close)

    def call_out(self, extra=()):
        self.phone = CliPhone(account=None, video=False, name="alice",
                              extra=["--call", "sip:desk@127.0.0.1:%d" % self.ua.port,
                                     "--media-timeout", "0", "--exit-after-call"] + list(extra))
        self.addCleanup(self.phone.stop)
        self.phone.start()
        return self.ua.wait_request("INVITE", timeout=20)

    def dialog_of(self, invite, tag):
        remote_tag = re.search(r";tag=([^;>\s]+)", invite.get("from")).group(1)
        target = re.search(r"<([^>]+)>", invite.get("contact")).group(1)
        self.ua.peer = invite.source   # in-dialog requests go back to the phone
        return Dialog(invite.get("call-id"), tag, remote_tag, target, 1)

    def hang_up(self, dialog):
        self.assertEqual(self.ua.request("BYE", dialog).status, 200)
        self.assertEqual(self.phone.wait_exit(timeout=20), 0, self.phone.describe())

    def media_before_active(self):
        out = []
        for e in self.phone.events:
            if e.get("event") == "call" and e.get("state") == "active":
                break
            if e.get("event") == "media":
                out.append(e["audio"])
        return out

    def test_offer_in_200_answered_in_ack(self):
        invite = self.call_out(["--delayed-offer"])
        self.assertEqual(invite.body.strip(), "", invite)
        self.assertIsNone(invite.get("content-type"), invite)
        self.ua.respond(invite, 180, "Ringing", to_tag="d1")
        self.ua.respond(invite, 200, "OK", self.ua.offer(), "application/sdp", to_tag="d1")
        ack = self.ua.wait_request("ACK")
        self.assertEqual(ack.get("content-type"), "application/sdp", ack)
        media = sdp_media(ack.body)
        # our answer: one audio stream, PCMU (all we offered in the 200) first
        self.assertEqual(len(media), 1, ack.body)
        self.assertTrue(re.match(r"m=audio \d+ RTP/AVP 0( 101)?$", media[0]), media)
        self.phone.wait_call("active", 10)
        # media flows to where the answer says
        self.ua.send_rtp(RawUA.audio_target(ack.body), 2.0)
        self.phone.wait_event(lambda e: e.get("event") == "media" and
                              e["audio"].get("decoded", 0) > 20, 10, "audio decoded")
        self.hang_up(self.dialog_of(invite, "d1"))
        self.assertEqual(self.phone.call_states(), ["calling", "ringing", "active", "ended"],
                         self.phone.describe())

    def test_early_media_plays_while_ringing(self):
        invite = self.call_out()
        target = RawUA.audio_target(invite.body)
        answer = self.ua.offer()
        self.ua.respond(invite, 183, "Session Progress", answer, "application/sdp", to_tag="e1")
        seq = self.ua.send_rtp(target, 3.0)
        self.assertEqual(self.phone.call_states(), ["calling", "ringing"], self.phone.describe())
        early = self.media_before_active()
        self.assertTrue(early and early[-1].get("rx_packets", 0) > 50, self.phone.describe())
        self.assertGreater(early[-1].get("decoded", 0), 20, self.phone.describe())
        # the 200 repeats the answer: the call goes active, media goes on
        self.ua.respond(invite, 200, "OK", answer, "application/sdp", to_tag="e1")
        ack = self.ua.wait_request("ACK")
        self.assertEqual(ack.body.strip(), "", ack)
        self.phone.wait_call("active", 10)
        self.ua.send_rtp(target, 2.0, start_seq=seq)
        self.phone.wait_event(lambda e: e.get("event") == "media" and
                              e["audio"].get("rx_packets", 0) > seq + 50, 10, "more audio")
        self.hang_up(self.dialog_of(invite, "e1"))
        self.assertEqual(self.phone.call_states(), ["calling", "ringing", "active", "ended"],
                         self.phone.describe())


if __name__ == "__main__":
    unittest.main()
