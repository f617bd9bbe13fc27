/* mt-sdp-crypto.h: SRTP keying in SDP
 *
 * SDES (RFC 4568 a=crypto) and DTLS-SRTP (RFC 5763/8122 a=fingerprint,
 * RFC 4145 a=setup). Pure code: parse, check, serialise. Keys come from
 * the caller (the media layer draws them from a CSPRNG).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a call's media is protected, and what a person chose */
typedef enum {
  MT_SRTP_NONE,
  MT_SRTP_SDES,
  MT_SRTP_DTLS,
} MtSrtpMode;

typedef enum {
  MT_ENCRYPTION_NONE,       /* offer plain; answer plain, refuse secure-only offers */
  MT_ENCRYPTION_OPTIONAL,   /* offer SRTP best effort, accept plain */
  MT_ENCRYPTION_MANDATORY,  /* offer SRTP only, refuse plain */
} MtEncryption;

/* "sdes", "dtls", or NULL for MT_SRTP_NONE */
const char *mt_srtp_mode_to_string (MtSrtpMode mode);
const char *mt_encryption_to_string (MtEncryption policy);
gboolean    mt_encryption_from_string (const char *text, MtEncryption *policy);

typedef enum {
  MT_SRTP_SUITE_UNKNOWN,
  MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
  MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
  MT_SRTP_SUITE_AEAD_AES_128_GCM,        /* RFC 7714 */
} MtSrtpSuite;

const char *mt_srtp_suite_to_string   (MtSrtpSuite suite);
MtSrtpSuite mt_srtp_suite_from_string (const char *name);
/* master key + salt length in bytes: 30, or 28 for AEAD_AES_128_GCM */
gsize       mt_srtp_suite_key_length  (MtSrtpSuite suite);

/* One a=crypto line (RFC 4568 section 9.1). Only the first inline key is
 * kept; lifetime and MKI are parsed and checked, not used: a line with an
 * MKI or a session parameter we do not know is unusable. */
typedef struct {
  guint       tag;        /* 1..999999999 */
  MtSrtpSuite suite;      /* UNKNOWN: a suite we cannot use (line kept for its tag) */
  guint8     *key;        /* master key || master salt */
  gsize       key_len;
  gboolean    usable;     /* known suite, right key length, no MKI, no unknown params */
} MtSdpCrypto;

MtSdpCrypto *mt_sdp_crypto_new   (guint tag, MtSrtpSuite suite, const guint8 *key, gsize key_len);
MtSdpCrypto *mt_sdp_crypto_copy  (const MtSdpCrypto *crypto);
void         mt_sdp_crypto_free  (MtSdpCrypto *crypto);
/* `value` is what follows "a=crypto:"; NULL (with error) when the line is
 * not a crypto attribute at all (no tag, no suite, no inline key) */
MtSdpCrypto *mt_sdp_crypto_parse (const char *value, GError **error);
/* "1 AES_CM_128_HMAC_SHA1_80 inline:BASE64" (no "a=crypto:") */
char        *mt_sdp_crypto_to_string (const MtSdpCrypto *crypto);

/* a=setup (RFC 4145) */
typedef enum {
  MT_SDP_SETUP_NONE,     /* absent */
  MT_SDP_SETUP_ACTPASS,
  MT_SDP_SETUP_ACTIVE,
  MT_SDP_SETUP_PASSIVE,
  MT_SDP_SETUP_HOLDCONN,
} MtSdpSetup;

const char *mt_sdp_setup_to_string   (MtSdpSetup setup);
MtSdpSetup  mt_sdp_setup_from_string (const char *value);

/* a=fingerprint (RFC 8122): "sha-256 AB:CD:...". Returns the normalised
 * fingerprint (hash name lower case, hex upper case) when the hash is
 * sha-256 and there are exactly 32 well-formed bytes, else NULL. */
char       *mt_sdp_fingerprint_parse  (const char *value);
/* "sha-256 AB:CD:..." from 32 bytes of digest */
char       *mt_sdp_fingerprint_format (const guint8 *digest, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpCrypto, mt_sdp_crypto_free)

G_END_DECLS
