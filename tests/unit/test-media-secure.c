/* test-media-secure.c: SRTP keys and the DTLS certificate (mt-media-secure.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-media-secure.h"

#include <string.h>

/* one certificate per process; its PEM holds a certificate and a key, and
 * the fingerprint we put in SDP is the one a peer computes from the PEM */
static void
test_certificate (void)
{
  const char *pem = mt_secure_get_certificate_pem ();
  const char *fingerprint = mt_secure_get_fingerprint ();
  g_autofree char *again = NULL;
  g_autofree char *parsed = NULL;

  g_assert_nonnull (pem);
  g_assert_nonnull (strstr (pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (pem, "PRIVATE KEY-----"));
  g_assert_true (g_str_has_prefix (fingerprint, "sha-256 "));
  g_assert_cmpuint (strlen (fingerprint), ==, strlen ("sha-256 ") + 32 * 3 - 1);
  again = mt_secure_fingerprint_of_pem (pem);
  g_assert_cmpstr (again, ==, fingerprint);
  parsed = mt_sdp_fingerprint_parse (fingerprint);
  g_assert_cmpstr (parsed, ==, fingerprint);
  g_assert_true (mt_secure_get_certificate_pem () == pem);   /* made once */
  g_assert_null (mt_secure_fingerprint_of_pem ("not a certificate"));
}

static void
test_sdes_keys (void)
{
  g_autoptr(GPtrArray) a = mt_secure_new_sdes_keys ();
  g_autoptr(GPtrArray) b = mt_secure_new_sdes_keys ();

  g_assert_cmpuint (a->len, ==, 3);
  for (guint i = 0; i < a->len; i++)
    {
      MtSdpCrypto *ka = g_ptr_array_index (a, i), *kb = g_ptr_array_index (b, i);

      g_assert_true (ka->usable);
      g_assert_cmpuint (ka->tag, ==, i + 1);
      g_assert_cmpuint (ka->key_len, ==, mt_srtp_suite_key_length (ka->suite));
      /* fresh keys each time */
      g_assert_true (memcmp (ka->key, kb->key, ka->key_len) != 0);
    }
  g_assert_cmpint (((MtSdpCrypto *) g_ptr_array_index (a, 2))->suite, ==,
                   MT_SRTP_SUITE_AEAD_AES_128_GCM);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media-secure/certificate", test_certificate);
  g_test_add_func ("/media-secure/sdes-keys", test_sdes_keys);
  return g_test_run ();
}
