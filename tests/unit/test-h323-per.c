/* test-h323-per.c: aligned PER encodings, derived by hand from X.691
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "mt-per.h"

static void
assert_bytes (MtPerWriter *w, const char *hex)
{
  g_autoptr(GBytes) bytes = mt_per_writer_finish (w);
  g_autoptr(GString) got = g_string_new (NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (got, "%02x", data[i]);
  g_assert_cmpstr (got->str, ==, hex);
}

static void
reader_for (MtPerReader *r, GBytes **keep, MtPerWriter *w)
{
  gsize len;
  const guint8 *data;

  *keep = mt_per_writer_finish (w);
  data = g_bytes_get_data (*keep, &len);
  mt_per_reader_init (r, data, len);
}

static void
test_whole_numbers (void)
{
  MtPerWriter w;
  MtPerReader r;
  g_autoptr(GBytes) keep = NULL;

  mt_per_writer_init (&w);
  /* 10.5.7.1: range 8 -> a 3-bit field, no alignment */
  mt_per_put_constrained (&w, 5, 0, 7);
  assert_bytes (&w, "a0");
  /* range 256 -> one aligned octet after a leading bit */
  mt_per_put_bool (&w, TRUE);
  mt_per_put_constrained (&w, 0x5a, 0, 255);
  assert_bytes (&w, "805a");
  /* range 64K -> two aligned octets */
  mt_per_put_constrained (&w, 0x1234 + 1, 1, 65535);
  assert_bytes (&w, "1234");
  /* range 2^32 -> length 1..4 in 2 bits (3 -> "10"), then 3 octets */
  mt_per_put_constrained (&w, 0x10000, 0, G_MAXUINT32);
  assert_bytes (&w, "80010000");
  /* range 1 -> nothing at all: the empty encoding is one zero octet */
  mt_per_put_constrained (&w, 7, 7, 7);
  assert_bytes (&w, "00");
  /* 10.7 semi-constrained, 10.8 unconstrained */
  mt_per_put_semi (&w, 300, 0);
  assert_bytes (&w, "02012c");
  mt_per_put_unconstrained (&w, -1);
  mt_per_put_unconstrained (&w, 128);
  assert_bytes (&w, "01ff020080");
  /* 10.6 normally small: 5 -> 0 000101 */
  mt_per_put_small (&w, 5);
  assert_bytes (&w, "0a");

  /* back again */
  mt_per_put_constrained (&w, 5, 0, 7);
  mt_per_put_bool (&w, TRUE);
  mt_per_put_constrained (&w, 0x5a, 0, 255);
  mt_per_put_constrained (&w, 0x10000, 0, G_MAXUINT32);
  mt_per_put_semi (&w, 300, 0);
  mt_per_put_unconstrained (&w, -129);
  mt_per_put_small (&w, 70);
  reader_for (&r, &keep, &w);
  g_assert_cmpuint (mt_per_get_constrained (&r, 0, 7), ==, 5);
  g_assert_true (mt_per_get_bool (&r));
  g_assert_cmpuint (mt_per_get_constrained (&r, 0, 255), ==, 0x5a);
  g_assert_cmpuint (mt_per_get_constrained (&r, 0, G_MAXUINT32), ==, 0x10000);
  g_assert_cmpuint (mt_per_get_semi (&r, 0), ==, 300);
  g_assert_cmpint (mt_per_get_unconstrained (&r), ==, -129);
  g_assert_cmpuint (mt_per_get_small (&r), ==, 70);
  g_assert_false (mt_per_reader_failed (&r));
  mt_per_writer_clear (&w);
}

static void
test_lengths_and_choices (void)
{
  MtPerWriter w;
  MtPerReader r;
  g_autoptr(GBytes) keep = NULL;
  gboolean present[2] = { TRUE, FALSE };
  gboolean got[4];

  mt_per_writer_init (&w);
  /* 10.9.3.7: 200 -> 10 000000 11001000 */
  mt_per_put_length (&w, 200);
  assert_bytes (&w, "80c8");
  /* root alternative 2 of 3, extensible: 0 10 */
  mt_per_put_choice (&w, 2, 3, TRUE);
  assert_bytes (&w, "40");
  /* extension alternative 1: 1 0 000001 */
  mt_per_put_choice (&w, 4, 3, TRUE);
  assert_bytes (&w, "81");
  /* 18.8: two additions, first present: 0 000001 1 0 */
  mt_per_put_ext_bitmap (&w, present, 2);
  assert_bytes (&w, "0300");

  mt_per_put_choice (&w, 4, 3, TRUE);
  mt_per_put_ext_bitmap (&w, present, 2);
  mt_per_put_length (&w, 300);
  reader_for (&r, &keep, &w);
  g_assert_cmpuint (mt_per_get_choice (&r, 3, TRUE), ==, 4);
  g_assert_cmpuint (mt_per_get_ext_bitmap (&r, got, 4), ==, 2);
  g_assert_true (got[0]);
  g_assert_false (got[1]);
  g_assert_false (got[3]);
  g_assert_cmpuint (mt_per_get_length (&r), ==, 300);
  g_assert_false (mt_per_reader_failed (&r));
  mt_per_writer_clear (&w);
}

static void
test_strings (void)
{
  static const guint32 h225_v4[] = { 0, 0, 8, 2250, 0, 4 };
  const guint8 guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  const guint8 ip[4] = { 127, 0, 0, 1 };
  MtPerWriter w;
  MtPerReader r;
  g_autoptr(GBytes) keep = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *name = NULL;
  g_autofree guint8 *octets = NULL;
  guint32 arcs[16];
  gsize len;

  mt_per_writer_init (&w);
  /* OID {0 0 8 2250 0 4}: 0*40+0, 8, 2250 = 0x91 0x4a, 0, 4 */
  mt_per_put_oid (&w, h225_v4, G_N_ELEMENTS (h225_v4));
  assert_bytes (&w, "060008914a0004");
  /* dialledDigits "123": length-1 in 7 bits, align, 4-bit indices into
   * "#*,0123456789" */
  mt_per_put_ia5 (&w, "123", 1, 128, "0123456789#*,");
  assert_bytes (&w, "044560");
  /* h323-ID "ab": length-1 in one octet (range 256), 16-bit characters */
  mt_per_put_bmp (&w, "ab", 1, 256);
  assert_bytes (&w, "0100610062");
  /* SIZE(4) after one bit: aligned, no length */
  mt_per_put_bool (&w, TRUE);
  mt_per_put_octets (&w, ip, 4, 4, 4);
  assert_bytes (&w, "807f000001");
  /* unconstrained IA5: 8 bits a character */
  mt_per_put_ia5 (&w, "en", 0, G_MAXSIZE, NULL);
  assert_bytes (&w, "02656e");

  mt_per_put_oid (&w, h225_v4, G_N_ELEMENTS (h225_v4));
  mt_per_put_bool (&w, FALSE);
  mt_per_put_ia5 (&w, "#5*", 1, 128, "0123456789#*,");
  mt_per_put_bmp (&w, "Zoë 中", 1, 256);
  mt_per_put_octets (&w, guid, 16, 16, 16);
  reader_for (&r, &keep, &w);
  g_assert_cmpuint (mt_per_get_oid (&r, arcs, G_N_ELEMENTS (arcs)), ==, 6);
  g_assert_cmpuint (arcs[3], ==, 2250);
  g_assert_cmpuint (arcs[5], ==, 4);
  g_assert_false (mt_per_get_bool (&r));
  digits = mt_per_get_ia5 (&r, 1, 128, "0123456789#*,");
  g_assert_cmpstr (digits, ==, "#5*");
  name = mt_per_get_bmp (&r, 1, 256);
  g_assert_cmpstr (name, ==, "Zoë 中");
  octets = mt_per_get_octets (&r, 16, 16, &len);
  g_assert_cmpuint (len, ==, 16);
  g_assert_cmpmem (octets, len, guid, 16);
  g_assert_false (mt_per_reader_failed (&r));
  mt_per_writer_clear (&w);
}

static void
test_open_type (void)
{
  MtPerWriter w, inner;
  MtPerReader r, in;
  g_autoptr(GBytes) keep = NULL;

  mt_per_writer_init (&w);
  mt_per_writer_init (&inner);
  mt_per_put_bool (&w, TRUE);
  mt_per_put_constrained (&inner, 3, 0, 3);
  mt_per_put_open (&w, &inner);
  /* 1 bit, align, length 1, the inner "11" padded */
  assert_bytes (&w, "8001c0");

  mt_per_put_open (&w, &inner);  /* empty: one zero octet */
  mt_per_put_constrained (&inner, 2, 0, 3);
  mt_per_put_open (&w, &inner);
  mt_per_put_open (&w, &inner);
  mt_per_put_bool (&w, TRUE);
  reader_for (&r, &keep, &w);
  g_assert_true (mt_per_get_open (&r, &in));
  g_assert_cmpuint (in.len, ==, 1);
  g_assert_true (mt_per_get_open (&r, &in));
  g_assert_cmpuint (mt_per_get_constrained (&in, 0, 3), ==, 2);
  mt_per_skip_open (&r);
  g_assert_true (mt_per_get_bool (&r));
  g_assert_false (mt_per_reader_failed (&r));
  mt_per_writer_clear (&w);
  mt_per_writer_clear (&inner);
}

static void
test_bad_input (void)
{
  static const guint8 long_len[] = { 0x80, 0x10 };      /* 16 octets promised, none there */
  static const guint8 fragmented[] = { 0xc1 };
  static const guint8 bad_digit[] = { 0x00, 0xf0 };     /* index 15 of 13 */
  static const guint8 oid_cut[] = { 0x02, 0x00, 0x91 };
  MtPerReader r;
  guint32 arcs[8];
  gsize len;

  mt_per_reader_init (&r, long_len, sizeof long_len);
  g_assert_null (mt_per_get_octets (&r, 0, G_MAXSIZE, &len));
  g_assert_true (mt_per_reader_failed (&r));
  /* sticky: later reads give 0 */
  g_assert_cmpuint (mt_per_get_bits (&r, 1), ==, 0);

  mt_per_reader_init (&r, fragmented, sizeof fragmented);
  mt_per_get_length (&r);
  g_assert_true (mt_per_reader_failed (&r));

  mt_per_reader_init (&r, bad_digit, sizeof bad_digit);
  g_assert_null (mt_per_get_ia5 (&r, 1, 128, "0123456789#*,"));
  g_assert_true (mt_per_reader_failed (&r));

  mt_per_reader_init (&r, oid_cut, sizeof oid_cut);
  g_assert_cmpuint (mt_per_get_oid (&r, arcs, 8), ==, 0);
  g_assert_true (mt_per_reader_failed (&r));

  mt_per_reader_init (&r, NULL, 0);
  mt_per_get_constrained (&r, 0, 7);
  g_assert_true (mt_per_reader_failed (&r));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/h323/per/whole-numbers", test_whole_numbers);
  g_test_add_func ("/h323/per/lengths-choices", test_lengths_and_choices);
  g_test_add_func ("/h323/per/strings", test_strings);
  g_test_add_func ("/h323/per/open-type", test_open_type);
  g_test_add_func ("/h323/per/bad-input", test_bad_input);
  return g_test_run ();
}
