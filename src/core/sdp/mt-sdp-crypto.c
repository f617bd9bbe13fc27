/* mt-sdp-crypto.c: SRTP keying in SDP (RFC 4568, RFC 8122, RFC 4145)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sdp"

#include "mt-sdp-crypto.h"
#include "mt-sdp.h"

#include <string.h>

#define MAX_TAG 999999999u
#define SHA256_LEN 32

const char *
mt_srtp_mode_to_string (MtSrtpMode mode)
{
  switch (mode)
    {
    case MT_SRTP_SDES: return "sdes";
    case MT_SRTP_DTLS: return "dtls";
    case MT_SRTP_NONE:
    default:           return NULL;
    }
}

static const char *const encryption_names[] = { "none", "optional", "mandatory" };

const char *
mt_encryption_to_string (MtEncryption policy)
{
  g_return_val_if_fail (policy <= MT_ENCRYPTION_MANDATORY, "optional");
  return encryption_names[policy];
}

gboolean
mt_encryption_from_string (const char *text, MtEncryption *policy)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (encryption_names); i++)
    if (g_ascii_strcasecmp (text, encryption_names[i]) == 0)
      {
        *policy = (MtEncryption) i;
        return TRUE;
      }
  return FALSE;
}

static const struct {
  MtSrtpSuite suite;
  const char *name;
  gsize       key_len;
} suites[] = {
  { MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 30 },
  { MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", 30 },
  { MT_SRTP_SUITE_AEAD_AES_128_GCM,        "AEAD_AES_128_GCM",        28 },
};

const char *
mt_srtp_suite_to_string (MtSrtpSuite suite)
{
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    if (suites[i].suite == suite)
      return suites[i].name;
  return "unknown";
}

MtSrtpSuite
mt_srtp_suite_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (suites); i++)
    if (strcmp (suites[i].name, name) == 0)   /* RFC 4568: case-sensitive */
      return suites[i].suite;
  return MT_SRTP_SUITE_UNKNOWN;
}

gsize
mt_srtp_suite_key_length (MtSrtpSuite suite)
{
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    if (suites[i].suite == suite)
      return suites[i].key_len;
  return 0;
}

MtSdpCrypto *
mt_sdp_crypto_new (guint tag, MtSrtpSuite suite, const guint8 *key, gsize key_len)
{
  MtSdpCrypto *crypto = g_new0 (MtSdpCrypto, 1);

  crypto->tag = tag;
  crypto->suite = suite;
  crypto->key = key_len > 0 ? g_memdup2 (key, key_len) : NULL;
  crypto->key_len = key_len;
  crypto->usable = suite != MT_SRTP_SUITE_UNKNOWN && key_len == mt_srtp_suite_key_length (suite);
  return crypto;
}

MtSdpCrypto *
mt_sdp_crypto_copy (const MtSdpCrypto *crypto)
{
  MtSdpCrypto *copy;

  g_return_val_if_fail (crypto != NULL, NULL);
  copy = mt_sdp_crypto_new (crypto->tag, crypto->suite, crypto->key, crypto->key_len);
  copy->usable = crypto->usable;
  return copy;
}

void
mt_sdp_crypto_free (MtSdpCrypto *crypto)
{
  if (crypto == NULL)
    return;
  if (crypto->key != NULL)
    memset (crypto->key, 0, crypto->key_len);
  g_free (crypto->key);
  g_free (crypto);
}

static gboolean
parse_uint (const char *text, guint max, guint *out)
{
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* lifetime: decimal or 2^N (RFC 4568 9.1); MKI "value:length" */
static gboolean
key_option_is_lifetime (const char *text)
{
  guint n;

  if (g_str_has_prefix (text, "2^"))
    return parse_uint (text + 2, 64, &n);
  return parse_uint (text, G_MAXUINT, &n);
}

/* "inline:KEY[|lifetime][|MKI:len]": TRUE with the key when well-formed;
 * *has_mki tells whether an MKI was given */
static gboolean
parse_inline (const char *key_params, guint8 **key, gsize *key_len, gboolean *has_mki)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (key_params == NULL || g_ascii_strncasecmp (key_params, "inline:", 7) != 0)
    return FALSE;
  parts = g_strsplit (key_params + 7, "|", 0);
  n = g_strv_length (parts);
  if (n == 0 || n > 3 || *parts[0] == '\0' || strlen (parts[0]) > 128)
    return FALSE;
  for (const char *p = parts[0]; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  *has_mki = FALSE;
  for (guint i = 1; i < n; i++)
    {
      if (strchr (parts[i], ':') != NULL)
        *has_mki = TRUE;
      else if (!key_option_is_lifetime (parts[i]))
        return FALSE;
    }
  *key = g_base64_decode (parts[0], key_len);
  return *key != NULL && *key_len > 0;
}

MtSdpCrypto *
mt_sdp_crypto_parse (const char *value, GError **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree guint8 *key = NULL;
  g_auto(GStrv) keys = NULL;
  gsize key_len = 0;
  gboolean has_mki = FALSE;
  MtSdpCrypto *crypto;
  guint tag;

  g_return_val_if_fail (value != NULL, NULL);
  words = g_strsplit_set (value, " \t", 0);
  if (g_strv_length (words) < 3 || !parse_uint (words[0], MAX_TAG, &tag) ||
      *words[1] == '\0')
    {
      g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                   "The crypto attribute \"%s\" is not \"tag suite inline:key\".", value);
      return NULL;
    }
  keys = g_strsplit (words[2], ";", 0);   /* several keys: we use the first */
  if (!parse_inline (keys[0], &key, &key_len, &has_mki))
    {
      g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                   "The crypto attribute with tag %u has no usable inline key.", tag);
      return NULL;
    }
  crypto = mt_sdp_crypto_new (tag, mt_srtp_suite_from_string (words[1]), key, key_len);
  /* session parameters (UNENCRYPTED_SRTP, KDR=...) or an MKI: not ours */
  if (has_mki || g_strv_length (words) > 3)
    crypto->usable = FALSE;
  memset (key, 0, key_len);
  return crypto;
}

char *
mt_sdp_crypto_to_string (const MtSdpCrypto *crypto)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (crypto != NULL && crypto->key != NULL, NULL);
  key = g_base64_encode (crypto->key, crypto->key_len);
  return g_strdup_printf ("%u %s inline:%s", crypto->tag,
                          mt_srtp_suite_to_string (crypto->suite), key);
}

static const char *const setup_names[] = { NULL, "actpass", "active", "passive", "holdconn" };

const char *
mt_sdp_setup_to_string (MtSdpSetup setup)
{
  g_return_val_if_fail (setup <= MT_SDP_SETUP_HOLDCONN, NULL);
  return setup_names[setup];
}

MtSdpSetup
mt_sdp_setup_from_string (const char *value)
{
  for (guint i = 1; value != NULL && i < G_N_ELEMENTS (setup_names); i++)
    if (g_ascii_strcasecmp (value, setup_names[i]) == 0)
      return (MtSdpSetup) i;
  return MT_SDP_SETUP_NONE;
}

char *
mt_sdp_fingerprint_parse (const char *value)
{
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) bytes = NULL;
  guint8 digest[SHA256_LEN];

  if (value == NULL)
    return NULL;
  words = g_strsplit_set (value, " \t", 0);
  if (g_strv_length (words) != 2 || g_ascii_strcasecmp (words[0], "sha-256") != 0)
    return NULL;
  bytes = g_strsplit (words[1], ":", 0);
  if (g_strv_length (bytes) != SHA256_LEN)
    return NULL;
  for (guint i = 0; i < SHA256_LEN; i++)
    {
      int hi, lo;

      if (strlen (bytes[i]) != 2 ||
          (hi = g_ascii_xdigit_value (bytes[i][0])) < 0 ||
          (lo = g_ascii_xdigit_value (bytes[i][1])) < 0)
        return NULL;
      digest[i] = (guint8) (hi << 4 | lo);
    }
  return mt_sdp_fingerprint_format (digest, SHA256_LEN);
}

char *
mt_sdp_fingerprint_format (const guint8 *digest, gsize len)
{
  GString *out;

  g_return_val_if_fail (digest != NULL && len == SHA256_LEN, NULL);
  out = g_string_new ("sha-256 ");
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}
