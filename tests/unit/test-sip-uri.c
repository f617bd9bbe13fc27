/* test-sip-uri.c: what a person types becomes a SIP URI, or a sentence
 * saying what to fix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "mt-sip-uri.h"

typedef struct {
  const char *input;
  const char *domain;
  const char *expected;
} Good;

static void
test_accepts (void)
{
  static const Good cases[] = {
    { "bob@example.org", NULL, "sip:bob@example.org" },
    { "sip:bob@example.org", NULL, "sip:bob@example.org" },
    { "  sip:bob@example.org \n", NULL, "sip:bob@example.org" },
    { "sips:bob@example.org", NULL, "sips:bob@example.org" },
    { "192.0.2.4", NULL, "sip:192.0.2.4" },
    { "bob@127.0.0.1:5070;transport=tcp", NULL, "sip:bob@127.0.0.1:5070;transport=tcp" },
    { "bob@[::1]:5070", NULL, "sip:bob@[::1]:5070" },
    { "carol", "example.org", "sip:carol@example.org" },
    { "tel:+49-30-1234 567", "example.org", "sip:+49301234567@example.org;user=phone" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = mt_sip_uri_normalize (cases[i].input, cases[i].domain, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, cases[i].expected);
    }
}

typedef struct {
  const char *input;
  int         code;
  const char *says;   /* a word the sentence must contain */
} Bad;

static void
test_refuses_with_a_sentence (void)
{
  static const Bad cases[] = {
    { "", MT_SIP_URI_ERROR_EMPTY, "address" },
    { "   ", MT_SIP_URI_ERROR_EMPTY, "address" },
    { "bob smith@example.org", MT_SIP_URI_ERROR_SYNTAX, "spaces" },
    { "<sip:bob@example.org>", MT_SIP_URI_ERROR_SYNTAX, "brackets" },
    { "sip:bob@", MT_SIP_URI_ERROR_SYNTAX, "SIP address" },
    { "bob@exa_mple.org", MT_SIP_URI_ERROR_HOST, "host" },
    { "bob@example.org:99999", MT_SIP_URI_ERROR_PORT, "port" },
    { "bob@example.org:12ab", MT_SIP_URI_ERROR_PORT, "port" },
    { "mailto:bob", MT_SIP_URI_ERROR_SCHEME, "mailto" },
    { "tel:+4930123", MT_SIP_URI_ERROR_HOST, "account" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = mt_sip_uri_normalize (cases[i].input, NULL, &error);

      g_test_message ("input “%s”", cases[i].input);
      g_assert_null (uri);
      g_assert_error (error, MT_SIP_URI_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_true (g_str_has_suffix (error->message, "."));
    }
}

static void
test_parts (void)
{
  const char *uri = "sip:alice@127.0.0.1:5070;transport=tcp";
  g_autofree char *user = mt_sip_uri_get_user (uri);
  g_autofree char *host = mt_sip_uri_get_host (uri);
  g_autofree char *transport = mt_sip_uri_get_param (uri, "transport");
  g_autofree char *missing = mt_sip_uri_get_param (uri, "maddr");

  g_assert_cmpstr (user, ==, "alice");
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (mt_sip_uri_get_port (uri), ==, 5070);
  g_assert_cmpstr (transport, ==, "tcp");
  g_assert_null (missing);
  g_assert_cmpuint (mt_sip_uri_get_port ("sip:example.org"), ==, 0);
}

/* found by tests/fuzz/fuzz-uri.c: text that is not UTF-8 (a link, a command
 * line in another encoding) is refused with a sentence the window can show */
static void
test_not_utf8 (void)
{
  static const char *const inputs[] = {
    "\xff\xfe bob", "bob\xe9@example.org", "sip:bob@example.org\x80", "tel:+49\xc3",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = mt_sip_uri_normalize (inputs[i], "example.org", &error);

      g_assert_null (uri);
      g_assert_error (error, MT_SIP_URI_ERROR, MT_SIP_URI_ERROR_SYNTAX);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "\xef\xbf\xbd"));   /* U+FFFD */
    }
}

/* found by tests/fuzz/fuzz-uri.c: Sofia's url_param() read past the end of
 * "transporttranslr" looking for "transport" (ASan: heap-buffer-overflow);
 * our own lookup finds whole names only */
static void
test_params (void)
{
  const char *uri = "sip:bob@192.0.2.4:5070;transporttranslr";
  g_autofree char *normal = mt_sip_uri_normalize ("192.0.2.4:5070;transporttranslr", NULL, NULL);
  g_autofree char *none = mt_sip_uri_get_param (uri, "transport");
  g_autofree char *tcp = mt_sip_uri_get_param ("sip:b@h;LR;Transport=TCP;x=", "transport");
  g_autofree char *lr = mt_sip_uri_get_param ("sip:b@h;LR;Transport=TCP;x=", "lr");
  g_autofree char *x = mt_sip_uri_get_param ("sip:b@h;LR;Transport=TCP;x=", "x");
  g_autofree char *prefix = mt_sip_uri_get_param ("sip:b@h;transport", "trans");
  g_autofree char *longer = mt_sip_uri_get_param ("sip:b@h;tr", "transport");

  g_assert_cmpstr (normal, ==, "sip:192.0.2.4:5070;transporttranslr");
  g_assert_null (none);
  g_assert_cmpstr (tcp, ==, "TCP");
  g_assert_cmpstr (lr, ==, "");
  g_assert_cmpstr (x, ==, "");
  g_assert_null (prefix);
  g_assert_null (longer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip-uri/accepts", test_accepts);
  g_test_add_func ("/sip-uri/refuses-with-a-sentence", test_refuses_with_a_sentence);
  g_test_add_func ("/sip-uri/parts", test_parts);
  g_test_add_func ("/sip-uri/not-utf8", test_not_utf8);
  g_test_add_func ("/sip-uri/params", test_params);
  return g_test_run ();
}
