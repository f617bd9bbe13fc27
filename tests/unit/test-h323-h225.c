/* test-h323-h225.c: Q.931 + H.225.0 messages: our encodings decode back,
 * tshark's own dissector reads them without complaint, bad input is refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "mt-h225.h"

static const guint8 call_id[16] = { 0xca, 0x11, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
static const guint8 conf_id[16] = { 0xc0, 0xff, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xee };

static MtH225Message *
make (MtQ931Type type, gboolean from_destination)
{
  MtH225Message *m = mt_h225_message_new (type, 0x1234, from_destination);

  memcpy (m->call_id, call_id, 16);
  memcpy (m->conference_id, conf_id, 16);
  return m;
}

static MtH225Message *
make_setup (void)
{
  MtH225Message *m = make (MT_Q931_SETUP, FALSE);
  static const guint8 olc1[] = { 1, 2, 3 }, olc2[] = { 4, 5, 6, 7 };
  g_autoptr(GBytes) b1 = g_bytes_new_static (olc1, sizeof olc1);
  g_autoptr(GBytes) b2 = g_bytes_new_static (olc2, sizeof olc2);

  m->display = g_strdup ("Zoë");
  m->source_alias = g_strdup ("alice");
  m->dest_alias = g_strdup ("5551234");
  m->dest_address = (MtH225Address) { TRUE, { 127, 0, 0, 1 }, 1720 };
  m->source_address = (MtH225Address) { TRUE, { 10, 1, 2, 3 }, 40000 };
  mt_h225_message_add_fast_start (m, b1);
  mt_h225_message_add_fast_start (m, b2);
  return m;
}

static MtH225Message *
round_trip (const MtH225Message *m)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = mt_h225_message_encode (m);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  MtH225Message *back = mt_h225_message_decode (data, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->type, ==, m->type);
  g_assert_cmpuint (back->call_reference, ==, m->call_reference);
  g_assert_cmpint (back->from_destination, ==, m->from_destination);
  g_assert_true (back->has_uu);
  g_assert_cmpmem (back->call_id, 16, call_id, 16);
  /* Facility carries no EndpointType */
  g_assert_cmpstr (back->product, ==, m->type == MT_Q931_FACILITY || m->type == MT_Q931_RELEASE_COMPLETE
                                      ? NULL : "MTAVIPClient");
  return back;
}

static void
test_setup (void)
{
  g_autoptr(MtH225Message) m = make_setup ();
  g_autoptr(MtH225Message) back = round_trip (m);
  g_autoptr(GBytes) bytes = mt_h225_message_encode (m);
  const guint8 *data = g_bytes_get_data (bytes, NULL);

  /* Q.931 header: protocol 8, CRV length 2, CRV, Setup; then Bearer capability */
  g_assert_cmpmem (data, 8, ((const guint8[]) { 0x08, 0x02, 0x12, 0x34, 0x05, 0x04, 0x03, 0x88 }), 8);
  g_assert_cmpstr (back->display, ==, "Zoë");
  g_assert_cmpstr (back->source_alias, ==, "alice");
  g_assert_cmpstr (back->dest_alias, ==, "5551234");
  g_assert_cmpmem (back->conference_id, 16, conf_id, 16);
  g_assert_true (back->dest_address.set);
  g_assert_cmpuint (back->dest_address.port, ==, 1720);
  g_assert_true (back->source_address.set);
  g_assert_cmpuint (back->source_address.ip[0], ==, 10);
  g_assert_cmpuint (back->source_address.port, ==, 40000);
  g_assert_nonnull (back->fast_start);
  g_assert_cmpuint (back->fast_start->len, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (back->fast_start, 1)), ==, 4);
  g_assert_false (back->h245_tunnelling);
}

static void
test_replies (void)
{
  const MtQ931Type types[] = { MT_Q931_CALL_PROCEEDING, MT_Q931_ALERTING, MT_Q931_CONNECT,
                               MT_Q931_FACILITY };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(MtH225Message) m = make (types[i], TRUE);
      g_autoptr(MtH225Message) back = NULL;
      static const guint8 olc[] = { 9, 9 };
      g_autoptr(GBytes) b = g_bytes_new_static (olc, sizeof olc);

      if (types[i] == MT_Q931_CONNECT)
        mt_h225_message_add_fast_start (m, b);
      if (types[i] == MT_Q931_ALERTING)
        m->fast_connect_refused = TRUE;
      back = round_trip (m);
      if (types[i] == MT_Q931_CONNECT)
        {
          g_assert_cmpmem (back->conference_id, 16, conf_id, 16);
          g_assert_cmpuint (back->fast_start->len, ==, 1);
        }
      else
        g_assert_null (back->fast_start);
      g_assert_cmpint (back->fast_connect_refused, ==, types[i] == MT_Q931_ALERTING);
    }
}

static void
test_release_complete (void)
{
  g_autoptr(MtH225Message) m = make (MT_Q931_RELEASE_COMPLETE, TRUE);
  g_autoptr(MtH225Message) back = NULL;
  MtH225Reason reason;

  m->cause = mt_h225_cause_for (MT_END_REASON_BUSY, &reason);
  m->reason = reason;
  back = round_trip (m);
  g_assert_cmpuint (back->cause, ==, 17);
  g_assert_cmpint (back->reason, ==, MT_H225_REASON_IN_CONF);
  g_assert_cmpint (mt_h225_end_reason_from (back->cause, back->reason,
                                            MT_CALL_DIRECTION_OUTGOING, FALSE), ==,
                   MT_END_REASON_BUSY);
}

static void
test_reasons (void)
{
  const MtEndReason sent[] = { MT_END_REASON_DECLINED, MT_END_REASON_BUSY,
                               MT_END_REASON_NO_ANSWER, MT_END_REASON_NO_COMMON_CODEC };

  /* what the caller is told is what the callee meant */
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      MtH225Reason reason;
      guint cause = mt_h225_cause_for (sent[i], &reason);

      g_assert_cmpint (mt_h225_end_reason_from (cause, reason, MT_CALL_DIRECTION_OUTGOING, FALSE),
                       ==, sent[i]);
    }
  g_assert_cmpint (mt_h225_end_reason_from (16, MT_H225_REASON_NONE, MT_CALL_DIRECTION_OUTGOING, TRUE),
                   ==, MT_END_REASON_REMOTE_HANGUP);
  g_assert_cmpint (mt_h225_end_reason_from (16, MT_H225_REASON_NONE, MT_CALL_DIRECTION_INCOMING, FALSE),
                   ==, MT_END_REASON_CANCELLED);
  g_assert_cmpint (mt_h225_end_reason_from (1, MT_H225_REASON_NONE, MT_CALL_DIRECTION_OUTGOING, FALSE),
                   ==, MT_END_REASON_NOT_FOUND);
  g_assert_cmpint (mt_h225_end_reason_from (27, MT_H225_REASON_NONE, MT_CALL_DIRECTION_OUTGOING, FALSE),
                   ==, MT_END_REASON_UNREACHABLE);
}

static void
test_tpkt (void)
{
  static const guint8 q931[] = { 8, 2, 0, 1, 0x5a };
  g_autoptr(GBytes) payload = g_bytes_new_static (q931, sizeof q931);
  g_autoptr(GBytes) frame = mt_tpkt_wrap (payload);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);

  g_assert_cmpuint (len, ==, 9);
  g_assert_cmpmem (data, 4, ((const guint8[]) { 3, 0, 0, 9 }), 4);
  g_assert_cmpint (mt_tpkt_frame_length (data, len), ==, 9);
  g_assert_cmpint (mt_tpkt_frame_length (data, 8), ==, 0);
  g_assert_cmpint (mt_tpkt_frame_length (data, 2), ==, 0);
  g_assert_cmpint (mt_tpkt_frame_length ((const guint8 *) "GET / HTTP", 10), ==, -1);
  g_assert_cmpint (mt_tpkt_frame_length ((const guint8[]) { 3, 0, 0, 2 }, 4), ==, -1);
}

static void
test_bad_input (void)
{
  g_autoptr(MtH225Message) m = make_setup ();
  g_autoptr(GBytes) bytes = mt_h225_message_encode (m);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  GRand *rand = g_rand_new_with_seed (13);

  /* every truncation is refused, or (cut between two information elements)
   * decodes as a message without the H.323 part, which the endpoint refuses */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MtH225Message) back = mt_h225_message_decode (data, cut, &error);

      if (back)
        g_assert_false (back->has_uu);
      else
        g_assert_nonnull (error);
    }
  /* flipped bits: refused or decoded, never a crash (ASan in CI says more) */
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(MtH225Message) back = NULL;
      gsize at = 5 + g_rand_int_range (rand, 0, (gint32) len - 5);

      memcpy (copy, data, len);
      copy[at] ^= (guint8) (1 << g_rand_int_range (rand, 0, 8));
      back = mt_h225_message_decode (copy, len, NULL);
    }
  g_rand_free (rand);
}

/* a Setup with 10,000 fastStart elements: refused, quickly */
static void
test_huge_fast_start (void)
{
  g_autoptr(MtH225Message) m = make (MT_Q931_SETUP, FALSE);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  /* empty elements: one length octet each, so 10,000 fit without fragmentation */
  g_autoptr(GBytes) tiny = g_bytes_new_static ("", 0);
  const guint8 *data;
  gsize len;

  for (guint i = 0; i < 10000; i++)
    mt_h225_message_add_fast_start (m, tiny);
  bytes = mt_h225_message_encode (m);
  data = g_bytes_get_data (bytes, &len);
  g_assert_null (mt_h225_message_decode (data, len, &error));
  g_assert_error (error, MT_H225_ERROR, MT_H225_ERROR_INVALID);
}

/* ---- tshark: an independent decoder ----------------------------------------- */

static void
add_packet (GString *text, GBytes *q931)
{
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

static char *
dissect (GString *text)
{
  g_autofree char *dir = g_dir_make_tmp ("h225-XXXXXX", NULL);
  g_autofree char *txt = g_build_filename (dir, "in.txt", NULL);
  g_autofree char *pcap = g_build_filename (dir, "out.pcap", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *text2pcap[] = { "text2pcap", "-q", "-T", "40000,1720", txt, pcap, NULL };
  const char *tshark[] = { "tshark", "-r", pcap, "-V", "-o", "q931.reassembly:FALSE", NULL };

  g_assert_true (g_file_set_contents (txt, text->str, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) text2pcap, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) tshark, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
  g_unlink (txt);
  g_unlink (pcap);
  g_rmdir (dir);
  return g_steal_pointer (&out);
}

static void
test_tshark (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *out = NULL;
  g_autofree char *prog = g_find_program_in_path ("tshark");
  g_autofree char *prog2 = g_find_program_in_path ("text2pcap");
  const MtQ931Type replies[] = { MT_Q931_CALL_PROCEEDING, MT_Q931_ALERTING, MT_Q931_CONNECT,
                                 MT_Q931_RELEASE_COMPLETE };

  if (prog == NULL || prog2 == NULL)
    {
      g_test_skip ("tshark or text2pcap is not installed");
      return;
    }
  {
    g_autoptr(MtH225Message) setup = make_setup ();
    g_autoptr(GBytes) bytes = NULL;

    /* fastStart holds H.245: tshark would dissect our dummies as malformed */
    g_clear_pointer (&setup->fast_start, g_ptr_array_unref);
    bytes = mt_h225_message_encode (setup);
    add_packet (text, bytes);
  }
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(MtH225Message) m = make (replies[i], TRUE);
      g_autoptr(GBytes) bytes = NULL;

      if (replies[i] == MT_Q931_RELEASE_COMPLETE)
        {
          m->cause = 21;
          m->reason = MT_H225_REASON_DESTINATION_REJECTION;
        }
      bytes = mt_h225_message_encode (m);
      add_packet (text, bytes);
    }
  out = dissect (text);
  g_test_message ("%s", out);
  g_assert_null (strstr (out, "Malformed"));
  g_assert_null (strstr (out, "Expert Info (Error"));
  g_assert_null (strstr (out, "Unknown extension"));
  g_assert_nonnull (strstr (out, "h323-message-body: setup (0)"));
  g_assert_nonnull (strstr (out, "h323-ID: alice"));
  g_assert_nonnull (strstr (out, "dialledDigits: 5551234"));
  g_assert_nonnull (strstr (out, "ip: 127.0.0.1"));
  g_assert_nonnull (strstr (out, "protocolIdentifier: 0.0.8.2250.0.4"));
  g_assert_nonnull (strstr (out, "productId: MTAVIPClient"));
  g_assert_nonnull (strstr (out, "guid: ca110203-0405-0607-0809-0a0b0c0d0e0f"));
  g_assert_nonnull (strstr (out, "h323-message-body: callProceeding (1)"));
  g_assert_nonnull (strstr (out, "h323-message-body: alerting (3)"));
  g_assert_nonnull (strstr (out, "h323-message-body: connect (2)"));
  g_assert_nonnull (strstr (out, "h323-message-body: releaseComplete (5)"));
  g_assert_nonnull (strstr (out, "destinationRejection"));
  g_assert_nonnull (strstr (out, "Call rejected"));
  g_assert_nonnull (strstr (out, "h245Tunnelling: False"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/h323/h225/setup", test_setup);
  g_test_add_func ("/h323/h225/replies", test_replies);
  g_test_add_func ("/h323/h225/release-complete", test_release_complete);
  g_test_add_func ("/h323/h225/reasons", test_reasons);
  g_test_add_func ("/h323/h225/tpkt", test_tpkt);
  g_test_add_func ("/h323/h225/bad-input", test_bad_input);
  g_test_add_func ("/h323/h225/huge-fast-start", test_huge_fast_start);
  g_test_add_func ("/h323/h225/tshark", test_tshark);
  return g_test_run ();
}
