/* mt-media-secure.c: SRTP for a call's media (SDES keys, DTLS-SRTP)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include "config.h"

#include "mt-media-secure.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>

#include "mt-media-session.h"

/* ---- keys and the certificate ------------------------------------------ */

gboolean
mt_secure_random (guint8 *buffer, gsize len)
{
  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, len) != 0)
    {
      g_critical ("The system's random number generator failed");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  char *pem;
  char *fingerprint;
} Certificate;

static char *
export_pem (gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
  gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = { NULL, 0 };
  char *pem = NULL;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem) == 0 &&
      gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem) == 0)
    pem = g_strdup_printf ("%.*s%.*s", (int) cert_pem.size, cert_pem.data,
                           (int) key_pem.size, key_pem.data);
  gnutls_free (cert_pem.data);
  if (key_pem.data != NULL)
    memset (key_pem.data, 0, key_pem.size);
  gnutls_free (key_pem.data);
  return pem;
}

static char *
fingerprint_of (gnutls_x509_crt_t crt)
{
  guint8 digest[32];
  size_t size = sizeof digest;

  if (gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &size) != 0 ||
      size != sizeof digest)
    return NULL;
  return mt_sdp_fingerprint_format (digest, size);
}

/* Self-signed ECDSA P-256, valid from yesterday for 30 days: WebRTC-style,
 * trusted only through the fingerprint in SDP (RFC 5763 section 5) */
static gboolean
make_certificate (gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
  static const char cn[] = "MTAVIPClient";
  guint8 serial[16];
  time_t now = time (NULL);

  if (!mt_secure_random (serial, sizeof serial))
    return FALSE;
  serial[0] &= 0x7f;
  return gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0) == 0 &&
         gnutls_x509_crt_set_version (crt, 3) == 0 &&
         gnutls_x509_crt_set_serial (crt, serial, sizeof serial) == 0 &&
         gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600) == 0 &&
         gnutls_x509_crt_set_expiration_time (crt, now + 30 * 24 * 3600) == 0 &&
         gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen (cn)) == 0 &&
         gnutls_x509_crt_set_key (crt, key) == 0 &&
         gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0) == 0;
}

static gpointer
certificate_new (gpointer unused)
{
  Certificate *certificate = g_new0 (Certificate, 1);
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t key = NULL;

  if (gnutls_x509_crt_init (&crt) == 0 && gnutls_x509_privkey_init (&key) == 0 &&
      make_certificate (crt, key))
    {
      certificate->pem = export_pem (crt, key);
      certificate->fingerprint = fingerprint_of (crt);
    }
  if (certificate->pem == NULL || certificate->fingerprint == NULL)
    g_warning ("Could not make a certificate for encrypted calls (DTLS-SRTP)");
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return certificate;
}

static const Certificate *
get_certificate (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, certificate_new, NULL);
}

const char *
mt_secure_get_certificate_pem (void)
{
  const Certificate *certificate = get_certificate ();

  return certificate->fingerprint != NULL ? certificate->pem : NULL;
}

/* MTAVIP_TEST_WRONG_DTLS_FINGERPRINT=1 (tests only): our SDP names a
 * certificate we do not have (the last digit of ours changed), as a forged
 * or broken peer would */
static const char *
test_wrong_fingerprint (const char *fingerprint)
{
  static char *wrong = NULL;

  if (g_strcmp0 (g_getenv ("MTAVIP_TEST_WRONG_DTLS_FINGERPRINT"), "1") != 0 || fingerprint == NULL)
    return fingerprint;
  if (g_once_init_enter (&wrong))
    {
      char *copy = g_strdup (fingerprint);
      char *last = copy + strlen (copy) - 1;

      *last = *last == '0' ? '1' : '0';
      g_once_init_leave (&wrong, copy);
    }
  return wrong;
}

const char *
mt_secure_get_fingerprint (void)
{
  const Certificate *certificate = get_certificate ();

  return test_wrong_fingerprint (certificate->pem != NULL ? certificate->fingerprint : NULL);
}

char *
mt_secure_fingerprint_of_pem (const char *pem)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t data;
  char *fingerprint = NULL;

  g_return_val_if_fail (pem != NULL, NULL);
  data.data = (unsigned char *) pem;
  data.size = (unsigned int) strlen (pem);
  if (gnutls_x509_crt_init (&crt) == 0 &&
      gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM) == 0)
    fingerprint = fingerprint_of (crt);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  return fingerprint;
}

/* MTAVIP_TEST_SRTP_SUITES=NAME[,NAME...] (tests only): offer only these
 * suites, so that each can be tried in a call */
static gboolean
test_suite_offered (MtSrtpSuite suite)
{
  const char *env = g_getenv ("MTAVIP_TEST_SRTP_SUITES");
  g_auto(GStrv) names = NULL;

  if (env == NULL || *env == '\0')
    return TRUE;
  names = g_strsplit (env, ",", -1);
  for (guint i = 0; names[i]; i++)
    if (mt_srtp_suite_from_string (g_strstrip (names[i])) == suite)
      return TRUE;
  return FALSE;
}

GPtrArray *
mt_secure_new_sdes_keys (void)
{
  static const MtSrtpSuite suites[] = {
    MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
    MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
    MT_SRTP_SUITE_AEAD_AES_128_GCM,
  };
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_crypto_free);

  for (guint i = 0; i < G_N_ELEMENTS (suites); i++)
    {
      guint8 key[30];
      gsize len = mt_srtp_suite_key_length (suites[i]);

      if (!test_suite_offered (suites[i]))
        continue;
      if (!mt_secure_random (key, len))
        break;
      g_ptr_array_add (keys, mt_sdp_crypto_new (keys->len + 1, suites[i], key, len));
      memset (key, 0, sizeof key);
    }
  return keys;
}

/* ---- SDES: srtpenc / srtpdec ------------------------------------------- */

/* GStreamer's names for a suite's cipher and authentication: RFC 4568
 * 6.2.2: _32 has a 32-bit tag on SRTP but 80 bits on SRTCP; RFC 7714: GCM
 * authenticates itself */
static void
suite_params (MtSrtpSuite suite, const char **cipher, const char **rtp_auth,
              const char **rtcp_auth)
{
  gboolean gcm = suite == MT_SRTP_SUITE_AEAD_AES_128_GCM;

  *cipher = gcm ? "aes-128-gcm" : "aes-128-icm";
  *rtp_auth = gcm ? "null" : suite == MT_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ? "hmac-sha1-32"
                                                                           : "hmac-sha1-80";
  *rtcp_auth = gcm ? "null" : "hmac-sha1-80";
}

static GstBuffer *
key_buffer (const MtSdpCrypto *crypto)
{
  return gst_buffer_new_memdup (crypto->key, crypto->key_len);
}

static gboolean
ghost (GstElement *bin, GstElement *element, const char *pad_name, const char *ghost_name)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, pad_name);

  if (pad == NULL)
    pad = gst_element_request_pad_simple (element, pad_name);
  if (pad == NULL)
    return FALSE;
  return gst_element_add_pad (bin, gst_ghost_pad_new (ghost_name, pad));
}

static GstElement *
sdes_encoder_new (const MtSdpCrypto *crypto, gboolean rtp, gboolean rtcp)
{
  GstElement *bin = gst_bin_new (NULL);
  GstElement *enc = gst_element_factory_make ("srtpenc", NULL);
  GstElement *funnel = gst_element_factory_make ("funnel", NULL);
  g_autoptr(GstBuffer) key = key_buffer (crypto);
  const char *cipher, *rtp_auth, *rtcp_auth;

  if (enc == NULL || funnel == NULL)
    {
      g_clear_object (&enc);
      g_clear_object (&funnel);
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }
  suite_params (crypto->suite, &cipher, &rtp_auth, &rtcp_auth);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-cipher", cipher);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-cipher", cipher);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-auth", rtp_auth);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-auth", rtcp_auth);
  g_object_set (enc, "key", key, NULL);
  gst_bin_add_many (GST_BIN (bin), enc, funnel, NULL);
  if ((rtp && (!ghost (bin, enc, "rtp_sink_0", "rtp_sink_0") ||
               !gst_element_link_pads (enc, "rtp_src_0", funnel, "sink_%u"))) ||
      (rtcp && (!ghost (bin, enc, "rtcp_sink_0", "rtcp_sink_0") ||
                !gst_element_link_pads (enc, "rtcp_src_0", funnel, "sink_%u"))) ||
      !ghost (bin, funnel, "src", "src"))
    {
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }
  return bin;
}

static GstCaps *
request_key_cb (GstElement *dec, guint ssrc, gpointer user_data)
{
  const MtSdpCrypto *crypto = user_data;
  g_autoptr(GstBuffer) key = key_buffer (crypto);
  const char *cipher, *rtp_auth, *rtcp_auth;

  suite_params (crypto->suite, &cipher, &rtp_auth, &rtcp_auth);
  return gst_caps_new_simple ("application/x-srtp",
                              "srtp-key", GST_TYPE_BUFFER, key,
                              "srtp-cipher", G_TYPE_STRING, cipher,
                              "srtp-auth", G_TYPE_STRING, rtp_auth,
                              "srtcp-cipher", G_TYPE_STRING, cipher,
                              "srtcp-auth", G_TYPE_STRING, rtcp_auth,
                              NULL);
}

/* srtpdec sends RTCP that arrives on its RTP pad (rtcp-mux) out of rtcp_src */
static GstElement *
sdes_decoder_new (const MtSdpCrypto *crypto)
{
  GstElement *bin = gst_bin_new (NULL);
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  GstElement *dec = gst_element_factory_make ("srtpdec", NULL);
  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple ("application/x-srtp");

  if (dec == NULL)
    {
      gst_object_unref (gst_object_ref_sink (bin));
      gst_object_unref (gst_object_ref_sink (filter));
      return NULL;
    }
  g_object_set (filter, "caps", caps, NULL);
  g_signal_connect_data (dec, "request-key", G_CALLBACK (request_key_cb),
                         mt_sdp_crypto_copy (crypto), (GClosureNotify) mt_sdp_crypto_free, 0);
  gst_bin_add_many (GST_BIN (bin), filter, dec, NULL);
  if (!gst_element_link_pads (filter, "src", dec, "rtp_sink") ||
      !ghost (bin, filter, "sink", "sink") ||
      !ghost (bin, dec, "rtp_src", "rtp_src") ||
      !ghost (bin, dec, "rtcp_src", "rtcp_src"))
    {
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }
  return bin;
}

/* ---- DTLS-SRTP ----------------------------------------------------------- */

#define MISMATCH_MESSAGE "mt-dtls-fingerprint-mismatch"

/* Any thread (the DTLS handshake's): the certificate the peer showed must be
 * the one its SDP named, or nothing it sends is taken (RFC 5763 section 5) */
static void
peer_pem_cb (GObject *dec, GParamSpec *pspec, gpointer user_data)
{
  const char *expected = user_data;
  g_autofree char *pem = NULL;
  g_autofree char *got = NULL;

  g_object_get (dec, "peer-pem", &pem, NULL);
  if (pem == NULL)
    return;
  got = mt_secure_fingerprint_of_pem (pem);
  if (g_strcmp0 (got, expected) == 0)
    {
      g_debug ("DTLS: the peer's certificate matches its fingerprint");
      g_object_set_data (dec, "mt-verified", GINT_TO_POINTER (1));
      return;
    }
  g_warning ("DTLS: the peer's certificate (%s) is not the one its SDP named (%s)",
             got ? got : "unreadable", expected);
  g_object_set_data (dec, "mt-verified", GINT_TO_POINTER (-1));
  /* the call cannot be secure: its owner ends it (on the main thread) */
  gst_element_post_message (GST_ELEMENT (dec),
                            gst_message_new_element (GST_OBJECT (dec),
                                                     gst_structure_new_empty (MISMATCH_MESSAGE)));
}

gboolean
mt_secure_is_mismatch_message (GstMessage *message)
{
  g_return_val_if_fail (GST_IS_MESSAGE (message), FALSE);
  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT &&
         gst_message_has_name (message, MISMATCH_MESSAGE);
}

/* decrypted media passes only after the peer's certificate was checked */
static GstPadProbeReturn
verified_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GObject *dec = user_data;

  return GPOINTER_TO_INT (g_object_get_data (dec, "mt-verified")) == 1
         ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

static void
add_verified_probe (GstElement *dec, const char *pad_name)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (dec, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     verified_cb, dec, NULL);
}

static GstElement *
dtls_encoder_new (const MtSdpNegotiated *neg, const char *connection_id, GError **error)
{
  GstElement *enc = gst_element_factory_make ("dtlssrtpenc", NULL);

  if (enc == NULL)
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                           "GStreamer's dtlssrtpenc is missing (gstreamer1.0-plugins-bad)");
      return NULL;
    }
  g_object_set (enc, "connection-id", connection_id, "is-client", neg->dtls_client, NULL);
  return enc;
}

static GstElement *
dtls_decoder_new (const MtSdpNegotiated *neg, const char *connection_id, GError **error)
{
  GstElement *dec = gst_element_factory_make ("dtlssrtpdec", NULL);
  const char *pem = mt_secure_get_certificate_pem ();

  if (dec == NULL || pem == NULL)
    {
      g_clear_object (&dec);
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                           "GStreamer's dtlssrtpdec is missing (gstreamer1.0-plugins-bad)");
      return NULL;
    }
  /* the connection is made with the agent of the certificate set before */
  g_object_set (dec, "pem", pem, "connection-id", connection_id, NULL);
  g_signal_connect_data (dec, "notify::peer-pem", G_CALLBACK (peer_pem_cb),
                         g_strdup (neg->remote_fingerprint), (GClosureNotify) g_free, 0);
  add_verified_probe (dec, "rtp_src");
  add_verified_probe (dec, "rtcp_src");
  return dec;
}

/* ---- per component ------------------------------------------------------ */

GstElement *
mt_secure_encoder_new (const MtSdpNegotiated *neg,
                       const char            *connection_id,
                       gboolean               rtp,
                       gboolean               rtcp,
                       GError               **error)
{
  GstElement *enc = NULL;

  g_return_val_if_fail (neg != NULL && neg->srtp != MT_SRTP_NONE, NULL);
  if (neg->srtp == MT_SRTP_DTLS)
    return dtls_encoder_new (neg, connection_id, error);
  if (neg->send_crypto != NULL)
    enc = sdes_encoder_new (neg->send_crypto, rtp, rtcp);
  if (enc == NULL)
    g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                         "GStreamer's srtpenc is missing (gstreamer1.0-plugins-bad)");
  return enc;
}

GstElement *
mt_secure_decoder_new (const MtSdpNegotiated *neg,
                       const char            *connection_id,
                       GError               **error)
{
  GstElement *dec = NULL;

  g_return_val_if_fail (neg != NULL && neg->srtp != MT_SRTP_NONE, NULL);
  if (neg->srtp == MT_SRTP_DTLS)
    return dtls_decoder_new (neg, connection_id, error);
  if (neg->recv_crypto != NULL)
    dec = sdes_decoder_new (neg->recv_crypto);
  if (dec == NULL)
    g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                         "GStreamer's srtpdec is missing (gstreamer1.0-plugins-bad)");
  return dec;
}
