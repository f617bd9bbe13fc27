/* test-sdp-crypto.c: SRTP keying in SDP: a=crypto (RFC 4568),
 * a=fingerprint (RFC 8122), a=setup (RFC 4145), and offer/answer with the
 * encryption policies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-codecs.h"
#include "mt-sdp.h"
#include "mt-sdp-crypto.h"

#include <string.h>

#define FP_A "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:4C:0C:B4:EF:72:D0:F7:C0:65:C7:B2"
#define FP_B "sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00"
/* RFC 4568 section 10 example key (30 bytes) */
#define KEY_80 "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static char *
crlf (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

static MtSdpSession *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wire = crlf (text);
  MtSdpSession *session = mt_sdp_parse (wire, strlen (wire), &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static MtSdpStream *
stream_at (const MtSdpSession *session, guint i)
{
  g_assert_cmpuint (i, <, session->streams->len);
  return g_ptr_array_index (session->streams, i);
}

static void
test_crypto_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpCrypto) c = mt_sdp_crypto_parse ("1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80 "|2^20", &error);
  g_autoptr (MtSdpCrypto) mki = mt_sdp_crypto_parse ("2 AES_CM_128_HMAC_SHA1_32 inline:" KEY_80 "|2^20|1:4", NULL);
  g_autoptr (MtSdpCrypto) unknown = mt_sdp_crypto_parse ("3 F8_128_HMAC_SHA1_80 inline:" KEY_80, NULL);
  g_autoptr (MtSdpCrypto) param = mt_sdp_crypto_parse ("4 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80 " UNENCRYPTED_SRTP", NULL);
  g_autoptr (MtSdpCrypto) short_key = mt_sdp_crypto_parse ("5 AES_CM_128_HMAC_SHA1_80 inline:AAAA", NULL);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (c->tag, ==, 1);
  g_assert_cmpint (c->suite, ==, MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
  g_assert_cmpuint (c->key_len, ==, 30);
  g_assert_true (c->usable);
  text = mt_sdp_crypto_to_string (c);
  g_assert_cmpstr (text, ==, "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80);

  g_assert_nonnull (mki);
  g_assert_false (mki->usable);          /* an MKI: not ours */
  g_assert_nonnull (unknown);
  g_assert_cmpint (unknown->suite, ==, MT_SRTP_SUITE_UNKNOWN);
  g_assert_false (unknown->usable);
  g_assert_nonnull (param);
  g_assert_false (param->usable);        /* a session parameter we do not know */
  g_assert_nonnull (short_key);
  g_assert_false (short_key->usable);    /* 3 bytes for a 30-byte suite */
}

static void
test_crypto_malformed (void)
{
  const char *bad[] = {
    "", "1", "1 AES_CM_128_HMAC_SHA1_80", "x AES_CM_128_HMAC_SHA1_80 inline:" KEY_80,
    "1000000000 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80,
    "1 AES_CM_128_HMAC_SHA1_80 uri:http://example.org/key",
    "1 AES_CM_128_HMAC_SHA1_80 inline:",
    "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80 "|x",
    "1 AES_CM_128_HMAC_SHA1_80 inline:@@@@",
    "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80 "|1|2|3",
    "-1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_80,
    /* an empty key-params word (two blanks): found by fuzz-sdp, a NULL read */
    "1 AES_CM_128_HMAC_SHA1_80  inline:" KEY_80,
    "1 AES_CM_128_HMAC_SHA1_80 ;inline:" KEY_80,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MtSdpCrypto) c = mt_sdp_crypto_parse (bad[i], &error);

      g_assert_null (c);
      g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID);
    }
}

static void
test_suites (void)
{
  g_assert_cmpuint (mt_srtp_suite_key_length (MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80), ==, 30);
  g_assert_cmpuint (mt_srtp_suite_key_length (MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32), ==, 30);
  g_assert_cmpuint (mt_srtp_suite_key_length (MT_SRTP_SUITE_AEAD_AES_128_GCM), ==, 28);
  g_assert_cmpint (mt_srtp_suite_from_string ("AEAD_AES_128_GCM"), ==, MT_SRTP_SUITE_AEAD_AES_128_GCM);
  /* suite names are case-sensitive (RFC 4568 9.2) */
  g_assert_cmpint (mt_srtp_suite_from_string ("aes_cm_128_hmac_sha1_80"), ==, MT_SRTP_SUITE_UNKNOWN);
}

static void
test_fingerprint (void)
{
  g_autofree char *lower = mt_sdp_fingerprint_parse (
    "SHA-256 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab:3a:4c:0c:b4:ef:72:d0:f7:c0:65:c7:b2");

  g_assert_cmpstr (lower, ==, FP_A);
  g_assert_null (mt_sdp_fingerprint_parse ("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB"));
  g_assert_null (mt_sdp_fingerprint_parse ("sha-256 4A:AD"));
  g_assert_null (mt_sdp_fingerprint_parse ("sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:4C:0C:B4:EF:72:D0:F7:C0:65:C7:ZZ"));
  g_assert_null (mt_sdp_fingerprint_parse ("sha-256 4AAD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:4C:0C:B4:EF:72:D0:F7:C0:65:C7:B2:00"));
  g_assert_null (mt_sdp_fingerprint_parse ("sha-256"));
  g_assert_null (mt_sdp_fingerprint_parse (""));
}

static void
test_setup (void)
{
  g_assert_cmpint (mt_sdp_setup_from_string ("actpass"), ==, MT_SDP_SETUP_ACTPASS);
  g_assert_cmpint (mt_sdp_setup_from_string ("ACTIVE"), ==, MT_SDP_SETUP_ACTIVE);
  g_assert_cmpint (mt_sdp_setup_from_string ("passive"), ==, MT_SDP_SETUP_PASSIVE);
  g_assert_cmpint (mt_sdp_setup_from_string ("holdconn"), ==, MT_SDP_SETUP_HOLDCONN);
  g_assert_cmpint (mt_sdp_setup_from_string ("sideways"), ==, MT_SDP_SETUP_NONE);
}

/* baresip-style: fingerprint at session level, setup per stream */
static void
test_parse_session_level (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
    "a=fingerprint:sha-256 " "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3A:4C:0C:B4:EF:72:D0:F7:C0:65:C7:B2\n"
    "m=audio 4000 UDP/TLS/RTP/SAVP 0\na=setup:actpass\n"
    "m=video 4002 UDP/TLS/RTP/SAVP 96\na=rtpmap:96 VP8/90000\n"
    "a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" KEY_80 "\na=crypto:bad\n");
  MtSdpStream *audio = stream_at (s, 0), *video = stream_at (s, 1);

  g_assert_cmpstr (audio->fingerprint, ==, FP_A);
  g_assert_cmpint (audio->setup, ==, MT_SDP_SETUP_ACTPASS);
  g_assert_cmpstr (video->fingerprint, ==, FP_A);
  g_assert_cmpint (video->setup, ==, MT_SDP_SETUP_NONE);
  g_assert_cmpuint (video->crypto->len, ==, 1);   /* the malformed line is left out */
  g_assert_cmpuint (((MtSdpCrypto *) g_ptr_array_index (video->crypto, 0))->tag, ==, 7);
  g_assert_cmpint (mt_sdp_proto_security (audio->proto), ==, 2);
  g_assert_cmpint (mt_sdp_proto_security ("RTP/SAVPF"), ==, 1);
  g_assert_cmpint (mt_sdp_proto_security ("RTP/AVP"), ==, 0);
  g_assert_cmpint (mt_sdp_proto_security ("udptl"), ==, -1);
}

static MtSdpLocal *
local_new (const char *address, guint port, MtEncryption policy, const char *fingerprint, gboolean sdes,
           guint8 key_byte)
{
  MtSdpLocal *local = mt_sdp_local_new ();
  guint8 key[30];

  local->address = g_strdup (address);
  local->audio_port = port;
  local->audio_rtcp_port = port + 1;
  g_ptr_array_add (local->audio_codecs, mt_sdp_codec_new ("PCMU", 0, 8000, 1, NULL));
  local->encryption = policy;
  local->fingerprint = g_strdup (fingerprint);
  local->sdes = sdes;
  memset (key, key_byte, sizeof key);
  g_ptr_array_add (local->audio_crypto, mt_sdp_crypto_new (1, MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, key, 30));
  g_ptr_array_add (local->audio_crypto, mt_sdp_crypto_new (2, MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, key, 30));
  g_ptr_array_add (local->audio_crypto, mt_sdp_crypto_new (3, MT_SRTP_SUITE_AEAD_AES_128_GCM, key, 28));
  return local;
}

/* text round trip, as the peer would see it */
static MtSdpSession *
over_the_wire (const MtSdpSession *session)
{
  g_autofree char *text = mt_sdp_session_to_string (session);
  g_autoptr (GError) error = NULL;
  MtSdpSession *parsed = mt_sdp_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return parsed;
}

static MtSdpNegotiated *
first (GPtrArray *negotiated)
{
  g_assert_nonnull (negotiated);
  return g_ptr_array_index (negotiated, 0);
}

static void
test_offer_answer_dtls (void)
{
  g_autoptr (MtSdpLocal) a = local_new ("192.0.2.1", 4000, MT_ENCRYPTION_OPTIONAL, FP_A, FALSE, 1);
  g_autoptr (MtSdpLocal) b = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_OPTIONAL, FP_B, FALSE, 2);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (a, 1);
  g_autoptr (MtSdpSession) offer_rx = over_the_wire (offer);
  g_autoptr (MtSdpSession) answer = NULL, answer_rx = NULL;
  g_autoptr (GPtrArray) na = NULL, nb = NULL;
  g_autofree char *text = mt_sdp_session_to_string (offer);

  /* optional: best effort, a plain phone still answers RTP/AVP */
  g_assert_nonnull (strstr (text, "m=audio 4000 RTP/AVP 0\r\n"));
  g_assert_nonnull (strstr (text, "a=fingerprint:" FP_A "\r\n"));
  g_assert_nonnull (strstr (text, "a=setup:actpass\r\n"));
  g_assert_null (strstr (text, "a=crypto"));   /* no SDES without TLS */

  answer = mt_sdp_build_answer (offer_rx, b, 2, NULL);
  g_assert_nonnull (answer);
  g_assert_cmpint (stream_at (answer, 0)->setup, ==, MT_SDP_SETUP_ACTIVE);
  answer_rx = over_the_wire (answer);
  na = mt_sdp_negotiate (offer, answer_rx, TRUE, NULL);
  nb = mt_sdp_negotiate (answer, offer_rx, FALSE, NULL);
  g_assert_cmpint (first (na)->srtp, ==, MT_SRTP_DTLS);
  g_assert_cmpint (first (nb)->srtp, ==, MT_SRTP_DTLS);
  g_assert_cmpstr (first (na)->remote_fingerprint, ==, FP_B);
  g_assert_cmpstr (first (nb)->remote_fingerprint, ==, FP_A);
  /* the answerer is active: the DTLS client */
  g_assert_false (first (na)->dtls_client);
  g_assert_true (first (nb)->dtls_client);
}

static void
test_offer_answer_sdes (void)
{
  g_autoptr (MtSdpLocal) a = local_new ("192.0.2.1", 4000, MT_ENCRYPTION_MANDATORY, NULL, TRUE, 1);
  g_autoptr (MtSdpLocal) b = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_OPTIONAL, FP_B, TRUE, 2);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (a, 1);
  g_autoptr (MtSdpSession) offer_rx = over_the_wire (offer);
  g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (offer_rx, b, 2, NULL);
  g_autoptr (MtSdpSession) answer_rx = over_the_wire (answer);
  g_autoptr (GPtrArray) na = mt_sdp_negotiate (offer, answer_rx, TRUE, NULL);
  g_autoptr (GPtrArray) nb = mt_sdp_negotiate (answer, offer_rx, FALSE, NULL);
  MtSdpStream *answered = stream_at (answer, 0);

  g_assert_cmpstr (stream_at (offer, 0)->proto, ==, "RTP/SAVP");
  g_assert_cmpuint (stream_at (offer, 0)->crypto->len, ==, 3);
  g_assert_cmpstr (answered->proto, ==, "RTP/SAVP");
  g_assert_cmpuint (answered->crypto->len, ==, 1);
  g_assert_cmpuint (((MtSdpCrypto *) g_ptr_array_index (answered->crypto, 0))->tag, ==, 1);
  g_assert_cmpint (first (na)->srtp, ==, MT_SRTP_SDES);
  g_assert_cmpint (first (nb)->srtp, ==, MT_SRTP_SDES);
  /* each side sends with its own key and receives with the other's */
  g_assert_cmpuint (first (na)->send_crypto->key[0], ==, 1);
  g_assert_cmpuint (first (na)->recv_crypto->key[0], ==, 2);
  g_assert_cmpuint (first (nb)->send_crypto->key[0], ==, 2);
  g_assert_cmpuint (first (nb)->recv_crypto->key[0], ==, 1);
  g_assert_cmpint (first (nb)->recv_crypto->suite, ==, MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
}

/* the offerer's preference: a GCM-first offer gets GCM */
static void
test_sdes_suite_choice (void)
{
  g_autoptr (MtSdpLocal) b = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_OPTIONAL, NULL, TRUE, 2);
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
    "m=audio 4000 RTP/SAVP 0\n"
    "a=crypto:9 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==\n"
    "a=crypto:8 AES_CM_128_HMAC_SHA1_32 inline:" KEY_80 "\n");
  g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (offer, b, 2, NULL);
  g_autoptr (GPtrArray) nb = mt_sdp_negotiate (answer, offer, FALSE, NULL);

  g_assert_cmpint (first (nb)->srtp, ==, MT_SRTP_SDES);
  g_assert_cmpint (first (nb)->send_crypto->suite, ==, MT_SRTP_SUITE_AEAD_AES_128_GCM);
  g_assert_cmpuint (first (nb)->send_crypto->tag, ==, 9);
  g_assert_cmpuint (first (nb)->send_crypto->key_len, ==, 28);
  g_assert_cmpuint (first (nb)->recv_crypto->key[27], ==, 27);
}

static const char plain_offer[] =
  "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n";

static void
test_policies (void)
{
  g_autoptr (MtSdpSession) plain = parse_ok (plain_offer);
  g_autoptr (MtSdpSession) savp = parse_ok (
    "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
    "m=audio 4000 UDP/TLS/RTP/SAVP 0\na=fingerprint:" FP_A "\na=setup:actpass\n");
  g_autoptr (MtSdpLocal) mandatory = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_MANDATORY, FP_B, FALSE, 2);
  g_autoptr (MtSdpLocal) none = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_NONE, FP_B, FALSE, 2);
  g_autoptr (MtSdpLocal) optional = local_new ("192.0.2.2", 5000, MT_ENCRYPTION_OPTIONAL, FP_B, FALSE, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) refused = mt_sdp_build_answer (plain, mandatory, 2, &error);
  g_autoptr (MtSdpSession) plain_answer = mt_sdp_build_answer (plain, optional, 2, NULL);
  g_autoptr (MtSdpSession) offer_none = mt_sdp_build_offer (none, 3);
  g_autoptr (GError) none_error = NULL;
  g_autoptr (MtSdpSession) none_savp = mt_sdp_build_answer (savp, none, 2, &none_error);
  g_autofree char *text = mt_sdp_session_to_string (offer_none);

  /* mandatory refuses a plain offer */
  g_assert_null (refused);
  g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED);
  /* optional takes it, plain */
  g_assert_nonnull (plain_answer);
  g_assert_null (stream_at (plain_answer, 0)->fingerprint);
  /* none offers nothing secure and cannot take a secure-only offer */
  g_assert_null (strstr (text, "fingerprint"));
  g_assert_null (none_savp);
  g_assert_error (none_error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC);
}

/* our mandatory offer, answered plain: no call */
static void
test_mandatory_plain_answer (void)
{
  g_autoptr (MtSdpLocal) a = local_new ("192.0.2.1", 4000, MT_ENCRYPTION_MANDATORY, FP_A, FALSE, 1);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (a, 1);
  g_autoptr (MtSdpSession) answer = parse_ok (
    "v=0\no=- 2 2 IN IP4 192.0.2.2\ns=-\nc=IN IP4 192.0.2.2\nt=0 0\nm=audio 5000 UDP/TLS/RTP/SAVP 0\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) n = mt_sdp_negotiate (offer, answer, TRUE, &error);

  g_assert_cmpstr (stream_at (offer, 0)->proto, ==, "UDP/TLS/RTP/SAVP");
  g_assert_null (n);
  g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdp-crypto/crypto/parse", test_crypto_parse);
  g_test_add_func ("/sdp-crypto/crypto/malformed", test_crypto_malformed);
  g_test_add_func ("/sdp-crypto/crypto/suites", test_suites);
  g_test_add_func ("/sdp-crypto/fingerprint", test_fingerprint);
  g_test_add_func ("/sdp-crypto/setup", test_setup);
  g_test_add_func ("/sdp-crypto/parse/session-level", test_parse_session_level);
  g_test_add_func ("/sdp-crypto/offer-answer/dtls", test_offer_answer_dtls);
  g_test_add_func ("/sdp-crypto/offer-answer/sdes", test_offer_answer_sdes);
  g_test_add_func ("/sdp-crypto/offer-answer/sdes-suite", test_sdes_suite_choice);
  g_test_add_func ("/sdp-crypto/offer-answer/policies", test_policies);
  g_test_add_func ("/sdp-crypto/offer-answer/mandatory-plain-answer", test_mandatory_plain_answer);
  return g_test_run ();
}
