/* fuzz-uri.c: libFuzzer target for the address normalizer
 *
 * The input is what a person could type in the dial entry, a contact or a
 * link: it goes through mt_sip_uri_normalize() as mt_account_dup_target_uri()
 * calls it (with the account's domain, and without one, as in direct mode),
 * and, when it starts with h323:, through mt_h323_uri_parse(), as
 * mt_application_dup_target_uri() does. The checks:
 *
 * - a refusal always comes with a sentence: an error in MT_SIP_URI_ERROR,
 *   valid UTF-8 (the window shows it), ending with a full stop;
 * - an accepted address is a sip:/sips: URI with a valid host, whose parts
 *   can be read back, and normalizing it again gives the same URI;
 * - an accepted h323: address has a host and a port from 1 to 65535.
 *
 * Built like fuzz-sdp (tests/fuzz/meson.build): fuzz-uri-replay replays
 * corpus-uri/ in the `unit` suite; with clang and -Dfuzzing=true, the
 * libFuzzer binary (tools/mtavip fuzz runs it):
 *
 *   ninja -C _fuzz tests/fuzz/fuzz-uri
 *   _fuzz/tests/fuzz/fuzz-uri -max_len=512 -timeout=5 -max_total_time=60 \
 *     _fuzz/corpus-uri tests/fuzz/corpus-uri
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-h323-endpoint.h"
#include "mt-sip-uri.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_refusal (const GError *error)
{
  if (error == NULL || error->domain != MT_SIP_URI_ERROR ||
      !g_utf8_validate (error->message, -1, NULL) ||
      !g_str_has_suffix (error->message, "."))
    __builtin_trap ();
}

static void
check_accepted (const char *uri, const char *domain)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *transport = NULL;

  if (!g_str_has_prefix (uri, "sip:") && !g_str_has_prefix (uri, "sips:"))
    __builtin_trap ();
  host = mt_sip_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    __builtin_trap ();
  user = mt_sip_uri_get_user (uri);
  if (mt_sip_uri_get_port (uri) > 65535)
    __builtin_trap ();
  transport = mt_sip_uri_get_param (uri, "transport");

  /* a normalized address is a fixed point */
  again = mt_sip_uri_normalize (uri, domain, &error);
  if (again == NULL || strcmp (again, uri) != 0)
    __builtin_trap ();
}

static void
normalize (const char *text, const char *domain)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = mt_sip_uri_normalize (text, domain, &error);

  if (uri == NULL)
    check_refusal (error);
  else if (error != NULL)
    __builtin_trap ();
  else
    check_accepted (uri, domain);
}

static void
parse_h323 (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  guint port = 0;

  if (!mt_h323_uri_parse (text, &user, &host, &port, &error))
    {
      if (error == NULL || host != NULL || user != NULL)
        __builtin_trap ();
      return;
    }
  if (host == NULL || *host == '\0' || port == 0 || port > 65535 ||
      (user != NULL && !g_utf8_validate (user, -1, NULL)))
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* typed text is a C string: it ends at the first NUL */
  g_autofree char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';

  normalize (text, "example.org");
  normalize (text, NULL);
  if (mt_h323_uri_is_h323 (text))
    parse_h323 (text);
  return 0;
}
