/* test-h323-h245.c: OpenLogicalChannel encodings and Fast Connect choices,
 * checked against tshark's H.245 dissector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "mt-codecs.h"
#include "mt-h225.h"
#include "mt-h245.h"

static MtSdpLocal *
make_local (const char *address, guint base, const char *audio, const char *video)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  g_free (local->address);
  local->address = g_strdup (address);
  local->audio_port = base;
  local->audio_rtcp_port = base + 1;
  local->video_port = video ? base + 2 : 0;
  local->video_rtcp_port = video ? base + 3 : 0;
  mt_codecs_fill_local (local, audio, video ? video : "", NULL);
  return local;
}

static void
test_olc_round_trip (void)
{
  const MtH245Cap caps[] = { MT_H245_CAP_G711_ULAW, MT_H245_CAP_G711_ALAW, MT_H245_CAP_G722,
                             MT_H245_CAP_H264 };

  for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
    for (guint reverse = 0; reverse < 2; reverse++)
      {
        MtH245Channel c = { 0 }, back;
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GError) error = NULL;
        gsize len;
        const guint8 *data;

        c.number = (guint16) (7 + i);
        c.reverse = reverse;
        c.cap = caps[i];
        c.session_id = caps[i] == MT_H245_CAP_H264 ? 2 : 1;
        c.payload_type = caps[i] == MT_H245_CAP_H264 ? 98 : 0;
        c.packetization = caps[i] == MT_H245_CAP_H264 ? 1 : 0;
        c.media = (MtH245Address) { TRUE, { 192, 168, 1, 2 }, 5004 };
        c.control = (MtH245Address) { TRUE, { 192, 168, 1, 2 }, 5005 };
        bytes = mt_h245_olc_encode (&c);
        data = g_bytes_get_data (bytes, &len);
        g_assert_true (mt_h245_olc_decode (data, len, &back, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (back.number, ==, c.number);
        g_assert_cmpint (back.reverse, ==, c.reverse);
        g_assert_cmpint (back.cap, ==, c.cap);
        g_assert_cmpuint (back.session_id, ==, c.session_id);
        g_assert_true (back.media.set);
        g_assert_cmpuint (back.media.port, ==, 5004);
        g_assert_cmpuint (back.control.port, ==, 5005);
        g_assert_cmpuint (back.media.ip[0], ==, 192);
        if (caps[i] == MT_H245_CAP_H264)
          {
            g_assert_cmpuint (back.payload_type, ==, 98);
            g_assert_cmpuint (back.packetization, ==, 1);
          }
        else
          g_assert_cmpuint (back.frames, ==, 20);
      }
}

static void
test_fast_start (void)
{
  g_autoptr(MtSdpLocal) caller = make_local ("127.0.0.1", 20000, "opus,PCMU,PCMA,G722", "VP8,H264");
  g_autoptr(MtSdpLocal) callee = make_local ("127.0.0.2", 30000, "PCMA,G722", "H264");
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(GPtrArray) callee_result = NULL;
  g_autoptr(GPtrArray) caller_result = NULL;
  g_autoptr(GError) error = NULL;
  MtSdpNegotiated *n;

  proposals = mt_fast_start_propose (caller, &error);
  g_assert_no_error (error);
  /* PCMU, PCMA, G722, H264 mode 1, H264 mode 0: each both ways (opus and VP8
   * have no H.245 form) */
  g_assert_cmpuint (proposals->len, ==, 10);

  callee_result = mt_fast_start_answer (proposals, callee, &answer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (callee_result->len, ==, 2);
  g_assert_cmpuint (answer->len, ==, 4);
  /* the caller's preference among what the callee has */
  n = g_ptr_array_index (callee_result, 0);
  g_assert_cmpint (n->kind, ==, MT_SDP_MEDIA_AUDIO);
  g_assert_cmpstr (n->send_codec->name, ==, "PCMA");
  g_assert_cmpuint (n->send_codec->pt, ==, 8);
  g_assert_cmpstr (n->remote_address, ==, "127.0.0.1");
  g_assert_cmpuint (n->remote_rtp_port, ==, 20000);
  g_assert_cmpuint (n->remote_rtcp_port, ==, 20001);
  g_assert_cmpint (n->direction, ==, MT_SDP_SENDRECV);
  n = g_ptr_array_index (callee_result, 1);
  g_assert_cmpint (n->kind, ==, MT_SDP_MEDIA_VIDEO);
  g_assert_cmpstr (n->send_codec->name, ==, "H264");
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (n->send_codec), ==, 1);
  g_assert_cmpuint (n->send_codec->pt, ==, 97);
  g_assert_cmpuint (n->remote_rtp_port, ==, 20002);

  caller_result = mt_fast_start_accept (answer, caller, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (caller_result->len, ==, 2);
  n = g_ptr_array_index (caller_result, 0);
  g_assert_cmpstr (n->send_codec->name, ==, "PCMA");
  g_assert_cmpstr (n->recv_codec->name, ==, "PCMA");
  g_assert_cmpstr (n->remote_address, ==, "127.0.0.2");
  g_assert_cmpuint (n->remote_rtp_port, ==, 30000);
  g_assert_cmpuint (n->remote_rtcp_port, ==, 30001);
  g_assert_cmpint (n->direction, ==, MT_SDP_SENDRECV);
  n = g_ptr_array_index (caller_result, 1);
  g_assert_cmpstr (n->send_codec->name, ==, "H264");
  g_assert_cmpuint (n->remote_rtp_port, ==, 30002);
  g_assert_cmpuint (n->remote_rtcp_port, ==, 30003);
}

static void
test_no_common_codec (void)
{
  g_autoptr(MtSdpLocal) caller = make_local ("127.0.0.1", 20000, "PCMU", NULL);
  g_autoptr(MtSdpLocal) callee = make_local ("127.0.0.2", 30000, "G722", NULL);
  g_autoptr(MtSdpLocal) opus_only = make_local ("127.0.0.2", 30000, "opus", NULL);
  g_autoptr(GPtrArray) proposals = mt_fast_start_propose (caller, NULL);
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (mt_fast_start_answer (proposals, callee, &answer, &error));
  g_assert_error (error, MT_H245_ERROR, MT_H245_ERROR_NO_COMMON_CODEC);
  g_clear_error (&error);
  g_assert_null (mt_fast_start_propose (opus_only, &error));
  g_assert_error (error, MT_H245_ERROR, MT_H245_ERROR_NO_COMMON_CODEC);
}

static void
test_bad_input (void)
{
  g_autoptr(MtSdpLocal) caller = make_local ("127.0.0.1", 20000, "PCMU", "H264");
  g_autoptr(GPtrArray) proposals = mt_fast_start_propose (caller, NULL);
  GRand *rand = g_rand_new_with_seed (245);

  for (guint p = 0; p < proposals->len; p++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (proposals, p), &len);
      g_autofree guint8 *copy = g_memdup2 (data, len);

      for (gsize cut = 0; cut < len; cut++)
        {
          MtH245Channel c;
          g_autoptr(GError) error = NULL;

          g_assert_false (mt_h245_olc_decode (data, cut, &c, &error));
          g_assert_nonnull (error);
        }
      for (guint i = 0; i < 500; i++)
        {
          MtH245Channel c;

          memcpy (copy, data, len);
          copy[g_rand_int_range (rand, 0, (gint32) len)] ^= (guint8) (1 << g_rand_int_range (rand, 0, 8));
          mt_h245_olc_decode (copy, len, &c, NULL);
        }
    }
  g_rand_free (rand);
}

static void
test_procedures (void)
{
  g_autoptr(MtSdpLocal) a = make_local ("127.0.0.1", 20000, "G722,PCMU", "H264");
  g_autoptr(MtSdpLocal) b = make_local ("127.0.0.2", 30000, "PCMU,PCMA", "H264");
  g_autoptr(GArray) b_caps = mt_h245_local_caps (b);
  MtH245Message tcs = { .type = MT_H245_MSG_TCS, .sequence = 3 }, back;
  MtH245Message msd = { .type = MT_H245_MSG_MSD, .terminal_type = 50, .status_number = 0xabcdef };
  MtH245Message olc = { .type = MT_H245_MSG_OLC }, ack = { .type = MT_H245_MSG_OLC_ACK };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtSdpNegotiated) n = NULL;
  GBytes *bytes;

  /* b's capabilities travel in a TCS */
  tcs.caps = b_caps;
  bytes = mt_h245_message_encode (&tcs);
  g_assert_true (mt_h245_message_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                         &back, &error));
  g_assert_no_error (error);
  g_bytes_unref (bytes);
  g_assert_cmpint (back.type, ==, MT_H245_MSG_TCS);
  g_assert_cmpuint (back.sequence, ==, 3);
  g_assert_cmpuint (back.caps->len, ==, 4);   /* PCMU, PCMA, H264 mode 1 and 0 */
  g_assert_cmpint (g_array_index (back.caps, MtH245Channel, 0).cap, ==, MT_H245_CAP_G711_ULAW);
  g_assert_cmpint (g_array_index (back.caps, MtH245Channel, 2).cap, ==, MT_H245_CAP_H264);

  /* a sends what b receives, in b's order: PCMU, not a's G722 */
  g_assert_true (mt_h245_choose_transmit (a, back.caps, MT_H245_SESSION_AUDIO, 1, &olc.channel));
  g_assert_cmpint (olc.channel.cap, ==, MT_H245_CAP_G711_ULAW);
  g_assert_cmpuint (olc.channel.control.port, ==, 20001);
  mt_h245_message_clear (&back);

  bytes = mt_h245_message_encode (&olc);
  g_assert_true (mt_h245_message_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                         &back, &error));
  g_bytes_unref (bytes);
  g_assert_cmpint (back.type, ==, MT_H245_MSG_OLC);
  g_assert_cmpuint (back.channel.number, ==, 1);
  /* b accepts: its RTP and RTCP */
  g_assert_true (mt_h245_accept_channel (b, &back.channel, &ack.channel));
  g_assert_cmpuint (ack.channel.media.port, ==, 30000);
  bytes = mt_h245_message_encode (&ack);
  mt_h245_message_clear (&back);
  g_assert_true (mt_h245_message_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                         &back, &error));
  g_bytes_unref (bytes);
  g_assert_cmpint (back.type, ==, MT_H245_MSG_OLC_ACK);
  g_assert_cmpuint (back.channel.number, ==, 1);
  g_assert_cmpuint (back.channel.media.port, ==, 30000);
  g_assert_cmpuint (back.channel.control.port, ==, 30001);
  olc.channel.media = back.channel.media;
  olc.channel.control = back.channel.control;
  n = mt_h245_negotiated (a, &olc.channel, NULL);
  g_assert_cmpstr (n->send_codec->name, ==, "PCMU");
  g_assert_cmpuint (n->remote_rtp_port, ==, 30000);
  g_assert_cmpint (n->direction, ==, MT_SDP_SENDONLY);

  bytes = mt_h245_message_encode (&msd);
  g_assert_true (mt_h245_message_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                         &back, &error));
  g_bytes_unref (bytes);
  g_assert_cmpint (back.type, ==, MT_H245_MSG_MSD);
  g_assert_cmpuint (back.status_number, ==, 0xabcdef);
  g_assert_cmpuint (back.terminal_type, ==, 50);
}

static void
test_user_input (void)
{
  for (guint signal = 0; signal < 2; signal++)
    {
      MtH245Message m = { .type = MT_H245_MSG_USER_INPUT, .user_input = '#', .signal = signal };
      MtH245Message back;
      g_autoptr(GBytes) bytes = mt_h245_message_encode (&m);
      g_autoptr(GError) error = NULL;

      g_assert_true (mt_h245_message_decode (g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back.type, ==, MT_H245_MSG_USER_INPUT);
      g_assert_cmpint (back.user_input, ==, '#');
      g_assert_cmpint (back.signal, ==, signal);
    }
}

/* ---- tshark ----------------------------------------------------------------- */

static void
add_packet (GString *text, const MtH225Message *m)
{
  g_autoptr(GBytes) q931 = mt_h225_message_encode (m);
  g_autoptr(GBytes) frame = mt_tpkt_wrap (q931);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  for (gsize i = 0; i < len; i++)
    {
      if (i % 16 == 0)
        g_string_append_printf (text, "%s%06zx", i ? "\n" : "", i);
      g_string_append_printf (text, " %02x", data[i]);
    }
  g_string_append (text, "\n\n");
}

static void
test_tshark (void)
{
  g_autoptr(MtSdpLocal) caller = make_local ("127.0.0.1", 20000, "PCMU,PCMA,G722", "H264");
  g_autoptr(MtSdpLocal) callee = make_local ("127.0.0.2", 30000, "PCMU", "H264");
  g_autoptr(GPtrArray) proposals = mt_fast_start_propose (caller, NULL);
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(GPtrArray) result = mt_fast_start_answer (proposals, callee, &answer, NULL);
  g_autoptr(MtH225Message) setup = mt_h225_message_new (MT_Q931_SETUP, 1, FALSE);
  g_autoptr(MtH225Message) connect = mt_h225_message_new (MT_Q931_CONNECT, 1, TRUE);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *dir = NULL, *txt = NULL, *pcap = NULL, *out = NULL;
  int status = 0;

  if (tshark == NULL || !g_find_program_in_path ("text2pcap"))
    {
      g_test_skip ("tshark or text2pcap is not installed");
      return;
    }
  setup->fast_start = g_ptr_array_ref (proposals);
  connect->fast_start = g_ptr_array_ref (answer);
  add_packet (text, setup);
  add_packet (text, connect);
  dir = g_dir_make_tmp ("h245-XXXXXX", NULL);
  txt = g_build_filename (dir, "in.txt", NULL);
  pcap = g_build_filename (dir, "out.pcap", NULL);
  g_assert_true (g_file_set_contents (txt, text->str, -1, NULL));
  {
    const char *argv[] = { "text2pcap", "-q", "-T", "40000,1720", txt, pcap, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, NULL));
  }
  {
    const char *argv[] = { "tshark", "-r", pcap, "-V", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &out, NULL, &status, NULL));
  }
  g_unlink (txt);
  g_unlink (pcap);
  g_rmdir (dir);
  g_test_message ("%s", out);
  g_assert_null (strstr (out, "Malformed"));
  g_assert_null (strstr (out, "Expert Info (Error"));
  g_assert_null (strstr (out, "Unknown extension"));
  g_assert_nonnull (strstr (out, "g711Ulaw64k: 20"));
  g_assert_nonnull (strstr (out, "g711Alaw64k: 20"));
  g_assert_nonnull (strstr (out, "g722-64k: 20"));
  g_assert_nonnull (strstr (out, "genericVideoCapability"));
  g_assert_nonnull (strstr (out, "0.0.8.241.0.0.1"));
  g_assert_nonnull (strstr (out, "0.0.8.241.0.0.0.1"));
  g_assert_nonnull (strstr (out, "dynamicRTPPayloadType: 97"));
  g_assert_nonnull (strstr (out, "reverseLogicalChannelParameters"));
  g_assert_nonnull (strstr (out, "tsapIdentifier: 20000"));
  g_assert_nonnull (strstr (out, "tsapIdentifier: 30001"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/h323/h245/olc-round-trip", test_olc_round_trip);
  g_test_add_func ("/h323/h245/fast-start", test_fast_start);
  g_test_add_func ("/h323/h245/no-common-codec", test_no_common_codec);
  g_test_add_func ("/h323/h245/bad-input", test_bad_input);
  g_test_add_func ("/h323/h245/procedures", test_procedures);
  g_test_add_func ("/h323/h245/user-input", test_user_input);
  g_test_add_func ("/h323/h245/tshark", test_tshark);
  return g_test_run ();
}
