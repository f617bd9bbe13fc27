/* test-text.c: mt_text_from_network, the UTF-8 door (issue 10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "mt-sdp.h"
#include "mt-text.h"

static void
test_invalid_bytes_repaired (void)
{
  g_autofree char *s = mt_text_from_network ("Eve \xff\xfe\xc3", -1, FALSE);

  g_assert_true (g_utf8_validate (s, -1, NULL));
  g_assert_true (g_str_has_prefix (s, "Eve "));
  g_assert_nonnull (strstr (s, "\xef\xbf\xbd"));   /* U+FFFD */
}

static void
test_controls_become_spaces (void)
{
  g_autofree char *name = mt_text_from_network ("a\nb\x01" "c\x7f", -1, FALSE);
  g_autofree char *lines = mt_text_from_network ("a\r\nb\x01", -1, TRUE);

  g_assert_cmpstr (name, ==, "a b c ");
  g_assert_cmpstr (lines, ==, "a\r\nb ");
}

static void
test_valid_text_unchanged (void)
{
  g_autofree char *s = mt_text_from_network ("Zoë 张三 sip:a@b", -1, FALSE);

  g_assert_cmpstr (s, ==, "Zoë 张三 sip:a@b");
  g_assert_null (mt_text_from_network (NULL, -1, FALSE));
}

static void
test_sdp_strings_valid (void)
{
  const char *offer = "v=0\r\no=\xff\xfe 1 1 IN IP4 127.0.0.1\r\ns=caf\xe9\r\n"
                      "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
  g_autoptr(GError) error = NULL;
  MtSdpSession *session = mt_sdp_parse (offer, (gsize) -1, &error);

  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (session->session_name, -1, NULL));
  g_assert_true (g_utf8_validate (session->origin_user, -1, NULL));
  mt_sdp_session_free (session);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/invalid-bytes-repaired", test_invalid_bytes_repaired);
  g_test_add_func ("/text/controls-become-spaces", test_controls_become_spaces);
  g_test_add_func ("/text/valid-text-unchanged", test_valid_text_unchanged);
  g_test_add_func ("/text/sdp-strings-valid", test_sdp_strings_valid);
  return g_test_run ();
}
