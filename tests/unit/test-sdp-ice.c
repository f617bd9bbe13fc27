/* test-sdp-ice.c: ICE in SDP (RFC 8839): candidates, credentials, offer/answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-codecs.h"
#include "mt-sdp.h"
#include "mt-sdp-ice.h"

#include <string.h>

static char *
crlf (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

static MtSdpSession *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wire = crlf (text);
  MtSdpSession *session = mt_sdp_parse (wire, strlen (wire), &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static MtSdpStream *
stream_at (const MtSdpSession *session, guint i)
{
  g_assert_cmpuint (i, <, session->streams->len);
  return g_ptr_array_index (session->streams, i);
}

static MtSdpCandidate *
candidate_at (const MtSdpIce *ice, guint i)
{
  g_assert_cmpuint (i, <, ice->candidates->len);
  return g_ptr_array_index (ice->candidates, i);
}

static MtSdpCandidate *
make_candidate (guint component, MtSdpCandidateType type, const char *address, guint port)
{
  MtSdpCandidate *c = mt_sdp_candidate_new ();

  c->foundation = g_strdup_printf ("%u", type + 1);
  c->component = component;
  c->transport = g_strdup ("UDP");
  c->priority = 2130706431u - type * 1000000u - component;
  c->address = g_strdup (address);
  c->port = port;
  c->type = type;
  if (type != MT_SDP_CANDIDATE_HOST)
    {
      c->rel_address = g_strdup ("10.0.0.2");
      c->rel_port = port;
    }
  return c;
}

static MtSdpIce *
make_ice (const char *ufrag, const char *address, guint port)
{
  MtSdpIce *ice = mt_sdp_ice_new ();

  ice->ufrag = g_strdup (ufrag);
  ice->pwd = g_strdup ("abcdefghijklmnopqrstuvwx");
  ice->options = g_strdup ("ice2");
  g_ptr_array_add (ice->candidates, make_candidate (1, MT_SDP_CANDIDATE_HOST, "10.0.0.2", port));
  g_ptr_array_add (ice->candidates, make_candidate (2, MT_SDP_CANDIDATE_HOST, "10.0.0.2", port + 1));
  g_ptr_array_add (ice->candidates, make_candidate (1, MT_SDP_CANDIDATE_SRFLX, address, port));
  return ice;
}

static MtSdpLocal *
make_local (const char *address, guint audio_port, guint video_port, const char *ufrag)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  local->address = g_strdup (address);
  local->audio_port = audio_port;
  local->audio_rtcp_port = audio_port + 1;
  local->video_port = video_port;
  local->video_rtcp_port = video_port != 0 ? video_port + 1 : 0;
  mt_codecs_fill_local (local, NULL, NULL, NULL);
  if (ufrag != NULL)
    {
      local->audio_ice = make_ice (ufrag, address, audio_port);
      if (video_port != 0)
        local->video_ice = make_ice (ufrag, address, video_port);
    }
  return local;
}

/* ---- candidates ---------------------------------------------------------- */

static void
test_candidate_host (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpCandidate) c =
    mt_sdp_candidate_parse ("1 1 UDP 2130706431 203.0.113.141 8998 typ host", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (c->foundation, ==, "1");
  g_assert_cmpuint (c->component, ==, 1);
  g_assert_cmpstr (c->transport, ==, "UDP");
  g_assert_cmpuint (c->priority, ==, 2130706431u);
  g_assert_cmpstr (c->address, ==, "203.0.113.141");
  g_assert_cmpuint (c->port, ==, 8998);
  g_assert_cmpint (c->type, ==, MT_SDP_CANDIDATE_HOST);
  g_assert_null (c->rel_address);
  g_assert_null (c->tcp_type);
}

/* RFC 8839 appendix A example, and the shapes libnice, browsers and baresip write */
static void
test_candidate_variants (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpCandidate) srflx =
    mt_sdp_candidate_parse ("candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx "
                            "raddr 203.0.113.141 rport 8998", &error);
  g_autoptr (MtSdpCandidate) relay =
    mt_sdp_candidate_parse ("3 2 udp 16777214 198.51.100.7 49152 typ relay raddr 0.0.0.0 "
                            "rport 0 generation 0 network-id 1", NULL);
  g_autoptr (MtSdpCandidate) tcp =
    mt_sdp_candidate_parse ("4 1 TCP 1015022079 203.0.113.5 9 typ host tcptype ACTIVE", NULL);
  g_autoptr (MtSdpCandidate) tcp0 =
    mt_sdp_candidate_parse ("4 1 TCP 1015022079 203.0.113.5 0 typ host tcptype active", NULL);
  g_autoptr (MtSdpCandidate) v6 =
    mt_sdp_candidate_parse ("a+b/9 1 UDP 2122260223 2001:db8::1 50000 typ host", NULL);
  g_autoptr (MtSdpCandidate) prflx =
    mt_sdp_candidate_parse ("5 1 UDP 1845501695 198.51.100.9 3333 typ PRFLX", NULL);

  g_assert_no_error (error);
  g_assert_cmpint (srflx->type, ==, MT_SDP_CANDIDATE_SRFLX);
  g_assert_cmpstr (srflx->rel_address, ==, "203.0.113.141");
  g_assert_cmpuint (srflx->rel_port, ==, 8998);
  g_assert_nonnull (relay);
  g_assert_cmpstr (relay->transport, ==, "UDP");
  g_assert_cmpuint (relay->component, ==, 2);
  g_assert_cmpint (relay->type, ==, MT_SDP_CANDIDATE_RELAY);
  g_assert_nonnull (tcp);
  g_assert_cmpstr (tcp->tcp_type, ==, "active");
  g_assert_nonnull (tcp0);
  g_assert_nonnull (v6);
  g_assert_cmpstr (v6->foundation, ==, "a+b/9");
  g_assert_cmpstr (v6->address, ==, "2001:db8::1");
  g_assert_nonnull (prflx);
  g_assert_cmpint (prflx->type, ==, MT_SDP_CANDIDATE_PRFLX);
}

static void
test_candidate_malformed (void)
{
  static const char *const bad[] = {
    "",
    "1 1 UDP 2130706431 203.0.113.141 8998 typ",                    /* no type */
    "1 1 UDP 2130706431 203.0.113.141 8998",                        /* no typ */
    "1 1 UDP 2130706431 203.0.113.141 8998 type host",              /* typ misspelt */
    "1 1 UDP 2130706431 203.0.113.141 8998 typ local",              /* unknown type */
    "123456789012345678901234567890123 1 UDP 1 192.0.2.1 1 typ host", /* 33-char foundation */
    "fo-o 1 UDP 1 192.0.2.1 1 typ host",                            /* '-' not an ice-char */
    "1 0 UDP 1 192.0.2.1 1 typ host",                               /* component 0 */
    "1 257 UDP 1 192.0.2.1 1 typ host",                             /* component > 256 */
    "1 x UDP 1 192.0.2.1 1 typ host",
    "1 1 UDP 0 192.0.2.1 1 typ host",                               /* priority 0 */
    "1 1 UDP 2147483648 192.0.2.1 1 typ host",                      /* priority > 2^31-1 */
    "1 1 UDP -5 192.0.2.1 1 typ host",
    "1 1 UDP 12345678901 192.0.2.1 1 typ host",
    "1 1 UDP 1 example.com 1 typ host",                             /* FQDN */
    "1 1 UDP 1 0c8e3c0a-1234.local 1 typ host",                     /* mDNS */
    "1 1 UDP 1 192.0.2.300 1 typ host",
    "1 1 UDP 1 192.0.2.1 65536 typ host",                           /* port */
    "1 1 UDP 1 192.0.2.1 0 typ host",                               /* port 0 over UDP */
    "1 1 UDP 1 192.0.2.1 +1 typ host",
    "1 1 UDP 1 192.0.2.1 1 typ srflx raddr",                        /* raddr without value */
    "1 1 UDP 1 192.0.2.1 1 typ srflx raddr x.y rport 1",
    "1 1 UDP 1 192.0.2.1 1 typ srflx raddr 192.0.2.2 rport 99999",
    "1 1 TCP 1 192.0.2.1 1 typ host tcptype sideways",
    "1 1 UDP 1 192.0.2.1 1 typ host ext\x01 v",
    "1  1 UDP 1 192.0.2.1 1 typ host",                              /* two spaces */
    "1\t1 UDP 1 192.0.2.1 1 typ host",
    " 1 1 UDP 1 192.0.2.1 1 typ host",
    "1 1 UDP 1 192.0.2.1 1 typ host ",
    "1 1 U/DP 1 192.0.2.1 1 typ host",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MtSdpCandidate) c = mt_sdp_candidate_parse (bad[i], &error);

      if (c != NULL)
        g_error ("accepted a malformed candidate: “%s”", bad[i]);
      g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE);
    }
}

static void
test_candidate_round_trip (void)
{
  static const char *const good[] = {
    "1 1 UDP 2130706431 10.0.0.2 5000 typ host",
    "2 1 UDP 1694498815 203.0.113.9 61000 typ srflx raddr 10.0.0.2 rport 5000",
    "3 2 UDP 16777214 198.51.100.2 49999 typ relay raddr 203.0.113.9 rport 61001",
    "4 1 TCP 1015022079 10.0.0.2 9 typ host tcptype active",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (MtSdpCandidate) c = mt_sdp_candidate_parse (good[i], NULL);
      g_autofree char *text = NULL;

      g_assert_nonnull (c);
      text = mt_sdp_candidate_to_string (c);
      g_assert_cmpstr (text, ==, good[i]);
    }
}

/* ---- sessions ------------------------------------------------------------ */

static void
test_parse_session_level_credentials (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 203.0.113.1\n"
    "s=-\n"
    "c=IN IP4 203.0.113.1\n"
    "t=0 0\n"
    "a=ice-lite\n"
    "a=ice-ufrag:8hhY\n"
    "a=ice-pwd:asd88fgpdd777uzjYhagZg\n"
    "a=ice-options:ice2\n"
    "m=audio 45664 RTP/AVP 0\n"
    "a=rtcp-mux\n"
    "a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host\n"
    "a=candidate:this is not a candidate\n"
    "a=candidate:2 1 UDP 1694498815 203.0.113.1 45664 typ srflx raddr 10.0.1.1 rport 8998\n"
    "a=end-of-candidates\n"
    "m=video 45666 RTP/AVP 96\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=ice-ufrag:VIDE\n"
    "a=ice-pwd:0123456789abcdefghijklmnop\n"
    "a=candidate:3 1 UDP 2130706431 203.0.113.1 45666 typ host\n");
  MtSdpStream *audio = stream_at (s, 0), *video = stream_at (s, 1);

  g_assert_nonnull (audio->ice);
  g_assert_true (audio->rtcp_mux);
  g_assert_cmpstr (audio->ice->ufrag, ==, "8hhY");
  g_assert_cmpstr (audio->ice->pwd, ==, "asd88fgpdd777uzjYhagZg");
  g_assert_cmpstr (audio->ice->options, ==, "ice2");
  g_assert_true (audio->ice->lite);
  g_assert_true (audio->ice->end_of_candidates);
  g_assert_cmpuint (audio->ice->candidates->len, ==, 2);   /* the malformed one skipped */
  g_assert_cmpint (candidate_at (audio->ice, 1)->type, ==, MT_SDP_CANDIDATE_SRFLX);
  g_assert_true (mt_sdp_ice_has_default (audio->ice, "203.0.113.1", 45664));
  g_assert_false (mt_sdp_ice_has_default (audio->ice, "203.0.113.1", 45665));

  g_assert_nonnull (video->ice);
  g_assert_cmpstr (video->ice->ufrag, ==, "VIDE");          /* media level wins */
  g_assert_true (video->ice->lite);
  g_assert_false (video->rtcp_mux);
  g_assert_cmpuint (video->ice->candidates->len, ==, 1);
}

/* RFC 8839 5.2: a later offer of the controlling agent names the peer's
 * side of the selected pairs; it survives parse and write */
static void
test_remote_candidates_round_trip (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 2 IN IP4 203.0.113.11\n"
    "s=-\n"
    "c=IN IP4 203.0.113.11\n"
    "t=0 0\n"
    "m=audio 40000 RTP/AVP 0\n"
    "a=ice-ufrag:8hhY\n"
    "a=ice-pwd:asd88fgpdd777uzjYhagZg\n"
    "a=candidate:2 1 UDP 1694498815 203.0.113.11 40000 typ srflx raddr 198.51.100.2 rport 5000\n"
    "a=remote-candidates:1 203.0.113.12 41000 2 203.0.113.12 41001\n");
  g_autofree char *text = NULL;

  g_assert_cmpstr (stream_at (s, 0)->ice->remote_candidates, ==,
                   "1 203.0.113.12 41000 2 203.0.113.12 41001");
  text = mt_sdp_session_to_string (s);
  g_assert_nonnull (strstr (text, "a=remote-candidates:1 203.0.113.12 41000 2 203.0.113.12 41001\r\n"));
}

static void
test_parse_bad_credentials (void)
{
  /* too short a ufrag, missing pwd: plain RTP, not a refused call */
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 192.0.2.1\n"
    "s=-\n"
    "c=IN IP4 192.0.2.1\n"
    "t=0 0\n"
    "m=audio 5000 RTP/AVP 0\n"
    "a=ice-ufrag:abc\n"
    "a=ice-pwd:asd88fgpdd777uzjYhagZg\n"
    "a=candidate:1 1 UDP 2130706431 192.0.2.1 5000 typ host\n"
    "m=audio 5002 RTP/AVP 0\n"
    "a=ice-ufrag:abcd\n"
    "a=candidate:1 1 UDP 2130706431 192.0.2.1 5002 typ host\n"
    "m=audio 5004 RTP/AVP 0\n"
    "a=ice-ufrag:ab-d\n"
    "a=ice-pwd:asd88fgpdd777uzjYhagZg\n"
    "m=audio 5006 RTP/AVP 0\n"
    "a=candidate:1 1 UDP 2130706431 192.0.2.1 5006 typ host\n");

  for (guint i = 0; i < s->streams->len; i++)
    g_assert_null (stream_at (s, i)->ice);
}

static void
test_offer_round_trip (void)
{
  g_autoptr (MtSdpLocal) local = make_local ("203.0.113.10", 40000, 40010, "ufA1");
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (local, 1);
  g_autofree char *text = mt_sdp_session_to_string (offer);
  g_autoptr (MtSdpSession) back = NULL;
  MtSdpStream *audio;

  g_assert_nonnull (strstr (text, "a=ice-ufrag:ufA1\r\n"));
  g_assert_nonnull (strstr (text, "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"));
  g_assert_nonnull (strstr (text, "a=ice-options:ice2\r\n"));
  g_assert_nonnull (strstr (text, "a=rtcp-mux\r\n"));
  g_assert_nonnull (strstr (text, "a=candidate:2 1 UDP 2129706430 203.0.113.10 40000 typ srflx "
                                  "raddr 10.0.0.2 rport 40000\r\n"));
  g_assert_null (strstr (text, "a=ice-lite"));

  back = mt_sdp_parse (text, strlen (text), NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->streams->len, ==, 2);
  audio = stream_at (back, 0);
  g_assert_nonnull (audio->ice);
  g_assert_true (audio->rtcp_mux);
  g_assert_cmpuint (audio->ice->candidates->len, ==, 3);
  g_assert_true (mt_sdp_ice_has_default (audio->ice, audio->address, audio->port));
  g_assert_nonnull (stream_at (back, 1)->ice);
}

static void
test_plain_offer_unchanged (void)
{
  g_autoptr (MtSdpLocal) local = make_local ("192.0.2.10", 40000, 0, NULL);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (local, 1);
  g_autofree char *text = mt_sdp_session_to_string (offer);

  g_assert_null (strstr (text, "ice-"));
  g_assert_null (strstr (text, "candidate"));
  g_assert_null (strstr (text, "rtcp-mux"));
}

/* Both do ICE: the answer carries ours and echoes rtcp-mux; the offerer
 * controls; each side sees the other's candidates. */
static void
test_answer_and_negotiate (void)
{
  g_autoptr (MtSdpLocal) alice = make_local ("203.0.113.10", 40000, 40010, "aliceA");
  g_autoptr (MtSdpLocal) bob = make_local ("198.51.100.20", 50000, 50010, "bobB");
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (alice, 1);
  g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (offer, bob, 2, NULL);
  g_autoptr (GPtrArray) at_alice = NULL;
  g_autoptr (GPtrArray) at_bob = NULL;
  MtSdpNegotiated *a, *b;

  g_assert_nonnull (answer);
  g_assert_nonnull (stream_at (answer, 0)->ice);
  g_assert_cmpstr (stream_at (answer, 0)->ice->ufrag, ==, "bobB");
  g_assert_true (stream_at (answer, 0)->rtcp_mux);

  at_alice = mt_sdp_negotiate (offer, answer, TRUE, NULL);
  at_bob = mt_sdp_negotiate (answer, offer, FALSE, NULL);
  g_assert_nonnull (at_alice);
  g_assert_nonnull (at_bob);
  a = g_ptr_array_index (at_alice, 0);
  b = g_ptr_array_index (at_bob, 0);
  g_assert_true (a->ice_controlling);
  g_assert_false (b->ice_controlling);
  g_assert_true (a->rtcp_mux);
  g_assert_true (b->rtcp_mux);
  g_assert_cmpuint (a->remote_rtcp_port, ==, 50000);
  g_assert_cmpstr (a->remote_ice->ufrag, ==, "bobB");
  g_assert_cmpstr (b->remote_ice->ufrag, ==, "aliceA");
  g_assert_cmpuint (b->remote_ice->candidates->len, ==, 3);
  a = mt_sdp_negotiated_copy (a);
  g_assert_cmpstr (a->remote_ice->pwd, ==, "abcdefghijklmnopqrstuvwx");
  mt_sdp_negotiated_free (a);
}

/* A peer without ICE gets plain RTP as before: no ICE, no mux, either way */
static void
test_plain_peer (void)
{
  g_autoptr (MtSdpLocal) ice = make_local ("203.0.113.10", 40000, 0, "iceA");
  g_autoptr (MtSdpLocal) plain = make_local ("198.51.100.20", 50000, 0, NULL);
  g_autoptr (MtSdpSession) plain_offer = mt_sdp_build_offer (plain, 1);
  g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (plain_offer, ice, 2, NULL);
  g_autoptr (MtSdpSession) ice_offer = mt_sdp_build_offer (ice, 3);
  g_autoptr (MtSdpSession) plain_answer = mt_sdp_build_answer (ice_offer, plain, 4, NULL);
  g_autoptr (GPtrArray) n1 = mt_sdp_negotiate (answer, plain_offer, FALSE, NULL);
  g_autoptr (GPtrArray) n2 = mt_sdp_negotiate (ice_offer, plain_answer, TRUE, NULL);
  MtSdpNegotiated *a = g_ptr_array_index (n1, 0), *b = g_ptr_array_index (n2, 0);

  g_assert_null (stream_at (answer, 0)->ice);
  g_assert_false (stream_at (answer, 0)->rtcp_mux);
  g_assert_null (stream_at (plain_answer, 0)->ice);
  g_assert_null (a->remote_ice);
  g_assert_false (a->rtcp_mux);
  g_assert_cmpuint (a->remote_rtcp_port, ==, 50001);
  g_assert_null (b->remote_ice);
  g_assert_false (b->rtcp_mux);
  g_assert_cmpuint (b->remote_rtp_port, ==, 50000);
}

static void
test_lite_peer_and_restart (void)
{
  g_autoptr (MtSdpLocal) full = make_local ("203.0.113.10", 40000, 0, "full");
  g_autoptr (MtSdpLocal) lite = make_local ("198.51.100.20", 50000, 0, "lite");
  g_autoptr (MtSdpSession) lite_offer = NULL;
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (GPtrArray) n = NULL;
  g_autoptr (MtSdpIce) again = NULL;
  g_autofree char *text = NULL;

  lite->audio_ice->lite = TRUE;
  lite_offer = mt_sdp_build_offer (lite, 1);
  text = mt_sdp_session_to_string (lite_offer);
  g_assert_nonnull (strstr (text, "t=0 0\r\na=ice-lite\r\n"));
  answer = mt_sdp_build_answer (lite_offer, full, 2, NULL);
  n = mt_sdp_negotiate (answer, lite_offer, FALSE, NULL);
  /* we answered, but the peer is lite: we control */
  g_assert_true (((MtSdpNegotiated *) g_ptr_array_index (n, 0))->ice_controlling);

  again = mt_sdp_ice_copy (full->audio_ice);
  g_assert_false (mt_sdp_ice_is_restart (full->audio_ice, again));
  g_free (again->pwd);
  again->pwd = g_strdup ("ZYXWVUTSRQPONMLKJIHGFEDCBA");
  g_assert_true (mt_sdp_ice_is_restart (full->audio_ice, again));
  g_assert_false (mt_sdp_ice_is_restart (NULL, again));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp-ice/candidate/host", test_candidate_host);
  g_test_add_func ("/sdp-ice/candidate/variants", test_candidate_variants);
  g_test_add_func ("/sdp-ice/candidate/malformed", test_candidate_malformed);
  g_test_add_func ("/sdp-ice/candidate/round-trip", test_candidate_round_trip);
  g_test_add_func ("/sdp-ice/parse/session-level", test_parse_session_level_credentials);
  g_test_add_func ("/sdp-ice/parse/bad-credentials", test_parse_bad_credentials);
  g_test_add_func ("/sdp-ice/parse/remote-candidates", test_remote_candidates_round_trip);
  g_test_add_func ("/sdp-ice/offer/round-trip", test_offer_round_trip);
  g_test_add_func ("/sdp-ice/offer/plain-unchanged", test_plain_offer_unchanged);
  g_test_add_func ("/sdp-ice/answer/negotiate", test_answer_and_negotiate);
  g_test_add_func ("/sdp-ice/answer/plain-peer", test_plain_peer);
  g_test_add_func ("/sdp-ice/answer/lite-peer-restart", test_lite_peer_and_restart);

  return g_test_run ();
}
