/* test-rate-rtx.c: the rate controller's rules, and RFC 4588 rtx and
 * b=AS/b=TIAS through offer/answer (issue 11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "mt-codecs.h"
#include "mt-rate-control.h"
#include "mt-sdp.h"

static void
test_rate_cut_hold_grow (void)
{
  MtRateControl rc;
  guint target;

  mt_rate_control_init (&rc, 800);
  g_assert_cmpuint (mt_rate_control_update (&rc, 0.0, 790, 20, 1), ==, 800);
  /* 50 % lost: below what arrived */
  target = mt_rate_control_update (&rc, 0.5, 800, 20, 1);
  g_assert_cmpuint (target, <=, 0.9 * 400 + 1);
  /* random loss between 2 and 10 % without a queue: hold */
  g_assert_cmpuint (mt_rate_control_update (&rc, 0.05, target, 25, 1), ==, target);
  /* clean: held under the ceiling until it is forgotten, then 8 %/s */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (mt_rate_control_update (&rc, 0.0, target, 20, 1), <=, 0.95 * 400 + 1);
  target = mt_rate_control_update (&rc, 0.0, 380, 20, 1);
  {
    guint next = mt_rate_control_update (&rc, 0.0, target, 20, 1);

    g_assert_cmpfloat (next, >=, target * 1.07);
    g_assert_cmpfloat (next, <=, target * 1.09);
    target = next;
  }
  /* loss with a queue (RTT 100 ms above the least): down */
  g_assert_cmpuint (mt_rate_control_update (&rc, 0.04, 400, 120, 1), <=, 0.9 * 384 + 1);
  (void) target;
  /* never under the floor, never over the cap */
  for (guint i = 0; i < 20; i++)
    target = mt_rate_control_update (&rc, 0.9, 200, 20, 1);
  g_assert_cmpuint (target, ==, MT_RATE_MIN_KBPS);
  mt_rate_control_set_max (&rc, 300);
  for (guint i = 0; i < 40; i++)
    target = mt_rate_control_update (&rc, 0.0, target, 20, 1);
  g_assert_cmpuint (target, ==, 300);
}

static MtSdpLocal *
local_with (const char *video, gboolean rtx, guint video_kbps)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  local->address = g_strdup ("192.0.2.1");
  local->audio_port = 40000;
  local->video_port = 40002;
  mt_codecs_fill_local (local, "opus", video, NULL);
  if (rtx)
    mt_codecs_add_rtx (local, NULL);
  local->video_max_kbps = video_kbps;
  return local;
}

static GPtrArray *
negotiate (MtSdpLocal *offerer, MtSdpLocal *answerer, gboolean offerer_side, char **answer_text)
{
  g_autoptr(MtSdpSession) offer = mt_sdp_build_offer (offerer, 1);
  g_autofree char *offer_text = mt_sdp_session_to_string (offer);
  g_autoptr(MtSdpSession) parsed_offer = mt_sdp_parse (offer_text, (gsize) -1, NULL);
  g_autoptr(MtSdpSession) answer = mt_sdp_build_answer (parsed_offer, answerer, 2, NULL);
  g_autoptr(MtSdpSession) parsed_answer = NULL;

  g_assert_nonnull (answer);
  *answer_text = mt_sdp_session_to_string (answer);
  parsed_answer = mt_sdp_parse (*answer_text, (gsize) -1, NULL);
  g_assert_nonnull (parsed_answer);
  if (offerer_side)
    return mt_sdp_negotiate (offer, parsed_answer, TRUE, NULL);
  return mt_sdp_negotiate (answer, parsed_offer, FALSE, NULL);
}

static void
test_rtx_both (void)
{
  g_autoptr(MtSdpLocal) a = local_with ("VP8", TRUE, 800);
  g_autoptr(MtSdpLocal) b = local_with ("VP8", TRUE, 300);
  g_autofree char *answer_text = NULL;
  g_autoptr(GPtrArray) n = negotiate (a, b, TRUE, &answer_text);
  MtSdpNegotiated *video = g_ptr_array_index (n, 1);

  g_assert_nonnull (strstr (answer_text, "a=rtpmap:100 rtx/90000\r\na=fmtp:100 apt=96\r\n"));
  g_assert_nonnull (strstr (answer_text, "b=TIAS:300000\r\n"));
  g_assert_cmpstr (video->send_codec->name, ==, "VP8");
  g_assert_cmpuint (video->send_rtx_pt, ==, 100);
  g_assert_cmpuint (video->recv_rtx_pt, ==, 100);
  /* the answerer's b=TIAS caps what the offerer sends */
  g_assert_cmpuint (video->remote_max_kbps, ==, 300);
}

static void
test_rtx_one_side (void)
{
  g_autoptr(MtSdpLocal) a = local_with ("VP8", TRUE, 0);
  g_autoptr(MtSdpLocal) b = local_with ("VP8", FALSE, 0);
  g_autofree char *answer_text = NULL;
  g_autoptr(GPtrArray) n = negotiate (a, b, TRUE, &answer_text);
  g_autoptr(GPtrArray) n2 = NULL;
  g_autofree char *answer_text2 = NULL;
  MtSdpNegotiated *video = g_ptr_array_index (n, 1);

  /* a peer without rtx: the answer has none, nothing is retransmitted */
  g_assert_null (strstr (answer_text, "rtx"));
  g_assert_null (strstr (answer_text, "b=AS"));
  g_assert_cmpuint (video->send_rtx_pt, ==, 0);
  g_assert_cmpuint (video->recv_rtx_pt, ==, 0);
  g_assert_cmpuint (video->remote_max_kbps, ==, 0);

  /* and the other way round: an rtx-less offer gets an rtx-less answer */
  n2 = negotiate (b, a, FALSE, &answer_text2);
  video = g_ptr_array_index (n2, 1);
  g_assert_null (strstr (answer_text2, "rtx"));
  g_assert_cmpuint (video->send_rtx_pt, ==, 0);
}

static void
test_rtx_never_primary (void)
{
  static const char offer[] =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n"
    "m=video 4002 RTP/AVP 120 96\r\nb=AS:500\r\n"
    "a=rtpmap:120 rtx/90000\r\na=fmtp:120 apt=96\r\na=rtpmap:96 VP8/90000\r\n";
  g_autoptr(MtSdpSession) parsed = mt_sdp_parse (offer, (gsize) -1, NULL);
  g_autoptr(MtSdpLocal) b = local_with ("VP8", TRUE, 0);
  g_autoptr(MtSdpSession) answer = NULL;
  g_autoptr(GPtrArray) n = NULL;
  MtSdpStream *video;
  MtSdpNegotiated *nv;

  g_assert_nonnull (parsed);
  video = g_ptr_array_index (parsed->streams, 1);
  g_assert_cmpuint (video->bandwidth_as, ==, 500);
  g_assert_cmpuint (mt_sdp_stream_get_max_kbps (video), ==, 475);
  g_assert_cmpstr (mt_sdp_stream_get_primary_codec (video)->name, ==, "VP8");
  answer = mt_sdp_build_answer (parsed, b, 2, NULL);
  n = mt_sdp_negotiate (answer, parsed, FALSE, NULL);
  nv = g_ptr_array_index (n, 1);
  g_assert_cmpstr (nv->send_codec->name, ==, "VP8");
  g_assert_cmpuint (nv->send_rtx_pt, ==, 120);
  g_assert_cmpuint (nv->recv_rtx_pt, ==, 120);
  g_assert_cmpuint (nv->remote_max_kbps, ==, 475);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quality/rate/cut-hold-grow", test_rate_cut_hold_grow);
  g_test_add_func ("/quality/rtx/both", test_rtx_both);
  g_test_add_func ("/quality/rtx/one-side", test_rtx_one_side);
  g_test_add_func ("/quality/rtx/never-primary", test_rtx_never_primary);
  return g_test_run ();
}
