/* fuzz-h225.c: libFuzzer target for the H.323 decoders
 *
 * The input is what a peer could send on the H.225.0 TCP connection: TPKT
 * frames, each a Q.931 message with the H.323-UU-PDU in aligned PER. Every
 * frame goes through mt_h225_message_decode(); the fastStart elements of
 * what decodes go through mt_h245_olc_decode() and the callee's Fast
 * Connect choice, as the endpoint does; tunnelled H.245 (h245Control)
 * through mt_h245_message_decode(). What decodes must encode and decode
 * again (the round trip keeps the fields we use). Built like fuzz-sdp
 * (tests/fuzz/meson.build): fuzz-h225-replay replays corpus-h225/ in the
 * `unit` suite; with clang and -Dfuzzing=true, the libFuzzer binary:
 *
 *   ninja -C _fuzz tests/fuzz/fuzz-h225
 *   _fuzz/tests/fuzz/fuzz-h225 -max_len=8192 -timeout=5 -max_total_time=60 \
 *     _fuzz/corpus-h225 tests/fuzz/corpus-h225
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-codecs.h"
#include "mt-h225.h"
#include "mt-h245.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static MtSdpLocal *
make_local (void)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  local->address = g_strdup ("192.0.2.20");
  local->audio_port = 50000;
  local->audio_rtcp_port = 50001;
  local->video_port = 50002;
  local->video_rtcp_port = 50003;
  mt_codecs_fill_local (local, NULL, NULL, NULL);
  return local;
}

static void
check_fast_start (const MtH225Message *m)
{
  g_autoptr(MtSdpLocal) local = NULL;
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(GPtrArray) negotiated = NULL;

  if (m->fast_start == NULL)
    return;
  g_assert_cmpuint (m->fast_start->len, <=, MT_H225_MAX_ELEMENTS);
  for (guint i = 0; i < m->fast_start->len; i++)
    {
      gsize len;
      const guint8 *olc = g_bytes_get_data (g_ptr_array_index (m->fast_start, i), &len);
      MtH245Channel c;

      /* only the capabilities we know are written back (others as nullData) */
      if (mt_h245_olc_decode (olc, len, &c, NULL) && c.cap >= MT_H245_CAP_G711_ULAW)
        {
          g_autoptr(GBytes) again = mt_h245_olc_encode (&c);
          MtH245Channel back;

          g_assert_true (mt_h245_olc_decode (g_bytes_get_data (again, NULL),
                                             g_bytes_get_size (again), &back, NULL));
          g_assert_cmpint (back.cap, ==, c.cap);
          g_assert_cmpuint (back.number, ==, c.number);
        }
    }
  local = make_local ();
  negotiated = mt_fast_start_answer (m->fast_start, local, &answer, NULL);
  if (negotiated)
    g_assert_nonnull (answer);
}

static void
check_message (const guint8 *q931, gsize len)
{
  g_autoptr(MtH225Message) m = mt_h225_message_decode (q931, len, NULL);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(MtH225Message) back = NULL;

  if (m == NULL)
    return;
  if (m->display)
    g_assert_true (g_utf8_validate (m->display, -1, NULL));
  if (m->source_alias)
    g_assert_true (g_utf8_validate (m->source_alias, -1, NULL));
  check_fast_start (m);
  for (guint i = 0; m->h245_control && i < m->h245_control->len; i++)
    {
      gsize len;
      const guint8 *h245 = g_bytes_get_data (g_ptr_array_index (m->h245_control, i), &len);
      MtH245Message msg;

      if (mt_h245_message_decode (h245, len, &msg, NULL))
        mt_h245_message_clear (&msg);
    }
  if (!m->has_uu || (m->fast_start && m->fast_start->len == 0))
    return;
  /* what we understood survives our own encoder and decoder */
  again = mt_h225_message_encode (m);
  back = mt_h225_message_decode (g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL);
  if (m->type != MT_Q931_SETUP && m->type != MT_Q931_CALL_PROCEEDING &&
      m->type != MT_Q931_ALERTING && m->type != MT_Q931_CONNECT &&
      m->type != MT_Q931_RELEASE_COMPLETE && m->type != MT_Q931_FACILITY)
    return;   /* others go out as "empty" bodies */
  g_assert_nonnull (back);
  g_assert_cmpint (back->type, ==, m->type);
  g_assert_cmpmem (back->call_id, 16, m->call_id, 16);
  g_assert_cmpstr (back->source_alias, ==, m->source_alias);
  g_assert_cmpuint (back->fast_start ? back->fast_start->len : 0, ==,
                    m->fast_start ? m->fast_start->len : 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  gsize pos = 0;

  while (pos < size)
    {
      gssize frame = mt_tpkt_frame_length (data + pos, size - pos);

      if (frame <= 0)
        break;
      check_message (data + pos + 4, (gsize) frame - 4);
      pos += (gsize) frame;
    }
  /* the bare PER decoders too: the whole input as one OLC */
  {
    MtH245Channel c;

    mt_h245_olc_decode (data, size, &c, NULL);
  }
  return 0;
}
