/* mt-sdp.c: SDP offer/answer for MTAVIPClient
 *
 * Parsing goes through Sofia-SIP's sdp_parse(); everything after that
 * (validation, offer/answer decisions, serialisation) is our own code.
 *
 * Note on Sofia 1.12.11 (Debian 12): its parser only knows "RTP/AVP" and
 * "RTP/SAVP" as RTP profiles. For those it turns the format list into
 * m_rtpmaps and swallows a=rtpmap/a=fmtp; for any other profile (RTP/AVPF,
 * UDP/TLS/RTP/SAVPF, ...) formats stay in m_format and a=rtpmap/a=fmtp stay
 * ordinary attributes. We read both shapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mt-sdp"

#include "mt-sdp.h"
#include "mt-text.h"

#include <string.h>
#include <sofia-sip/sdp.h>
#include <sofia-sip/su_alloc.h>

#define MAX_SDP_SIZE     (256 * 1024)
#define MAX_STREAMS      32
#define MAX_PORT         65535
#define MAX_PT           127
#define DTMF_NAME        "telephone-event"

G_DEFINE_QUARK (mt-sdp-error-quark, mt_sdp_error)

/* ------------------------------------------------------------------------
 * Codecs
 */

static gboolean
codec_is_dtmf (const MtSdpCodec *codec)
{
  return codec->name != NULL && g_ascii_strcasecmp (codec->name, DTMF_NAME) == 0;
}

gboolean
mt_sdp_codec_is_rtx (const MtSdpCodec *codec)
{
  g_return_val_if_fail (codec != NULL, FALSE);
  return codec->name != NULL && g_ascii_strcasecmp (codec->name, "rtx") == 0;
}

MtSdpCodec *
mt_sdp_codec_new (const char *name,
                  guint       pt,
                  guint       clock_rate,
                  guint       channels,
                  const char *fmtp)
{
  MtSdpCodec *codec;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (pt <= MAX_PT, NULL);

  codec = g_new0 (MtSdpCodec, 1);
  codec->name = g_strdup (name);
  codec->pt = pt;
  codec->clock_rate = clock_rate;
  codec->channels = channels > 0 ? channels : 1;
  codec->fmtp = (fmtp != NULL && *fmtp != '\0') ? g_strdup (fmtp) : NULL;

  return codec;
}

MtSdpCodec *
mt_sdp_codec_copy (const MtSdpCodec *codec)
{
  MtSdpCodec *copy;

  g_return_val_if_fail (codec != NULL, NULL);

  copy = g_new0 (MtSdpCodec, 1);
  *copy = *codec;
  copy->name = g_strdup (codec->name);
  copy->fmtp = g_strdup (codec->fmtp);

  return copy;
}

void
mt_sdp_codec_free (MtSdpCodec *codec)
{
  if (codec == NULL)
    return;

  g_free (codec->name);
  g_free (codec->fmtp);
  g_free (codec);
}

/* Looks up `key` in an fmtp string such as "a=1; b=2" (case-insensitive
 * key). Returns the value as a newly allocated string, or NULL. */
static char *
fmtp_get_param (const char *fmtp,
                const char *key)
{
  g_auto (GStrv) params = NULL;

  if (fmtp == NULL)
    return NULL;

  params = g_strsplit (fmtp, ";", -1);
  for (guint i = 0; params[i] != NULL; i++) {
    char *param = g_strstrip (params[i]);
    char *eq = strchr (param, '=');

    if (eq == NULL)
      continue;
    *eq = '\0';
    if (g_ascii_strcasecmp (g_strstrip (param), key) == 0)
      return g_strdup (g_strstrip (eq + 1));
  }

  return NULL;
}

guint
mt_sdp_codec_get_h264_packetization_mode (const MtSdpCodec *codec)
{
  g_autofree char *value = NULL;
  guint64 mode = 0;

  g_return_val_if_fail (codec != NULL, 0);

  value = fmtp_get_param (codec->fmtp, "packetization-mode");
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &mode, NULL))
    return 0;

  return (guint) mode;
}

char *
mt_sdp_codec_get_fmtp_param (const MtSdpCodec *codec,
                             const char       *key)
{
  g_return_val_if_fail (codec != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return fmtp_get_param (codec->fmtp, key);
}

guint
mt_sdp_codec_get_rtx_apt (const MtSdpCodec *codec)
{
  g_autofree char *value = NULL;
  guint64 apt = 0;

  g_return_val_if_fail (codec != NULL, 0);

  value = fmtp_get_param (codec->fmtp, "apt");
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, MAX_PT, &apt, NULL))
    return 0;
  return (guint) apt;
}

gboolean
mt_sdp_codec_matches (const MtSdpCodec *a,
                      const MtSdpCodec *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->name == NULL || b->name == NULL || *a->name == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (a->name, b->name) != 0)
    return FALSE;
  /* RFC 4566 6: an rtpmap has a clock rate; a format without one (an
   * unnamed dynamic payload type) is nothing we can send or receive */
  if (a->clock_rate == 0 || a->clock_rate != b->clock_rate || a->channels != b->channels)
    return FALSE;
  if (g_ascii_strcasecmp (a->name, "H264") == 0)
    return mt_sdp_codec_get_h264_packetization_mode (a) ==
           mt_sdp_codec_get_h264_packetization_mode (b);

  return TRUE;
}

/* ------------------------------------------------------------------------
 * Streams and sessions
 */

static const char *
media_kind_to_string (MtSdpMediaKind kind)
{
  switch (kind) {
  case MT_SDP_MEDIA_AUDIO:
    return "audio";
  case MT_SDP_MEDIA_VIDEO:
    return "video";
  case MT_SDP_MEDIA_OTHER:
  default:
    return "application";
  }
}

MtSdpStream *
mt_sdp_stream_new (MtSdpMediaKind kind)
{
  MtSdpStream *stream = g_new0 (MtSdpStream, 1);

  stream->kind = kind;
  stream->media = g_strdup (media_kind_to_string (kind));
  stream->proto = g_strdup ("RTP/AVP");
  stream->direction = MT_SDP_SENDRECV;
  stream->codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_codec_free);
  stream->crypto = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_crypto_free);

  return stream;
}

void
mt_sdp_stream_free (MtSdpStream *stream)
{
  if (stream == NULL)
    return;

  g_free (stream->media);
  g_free (stream->proto);
  g_free (stream->address);
  g_free (stream->rtcp_address);
  g_clear_pointer (&stream->ice, mt_sdp_ice_free);
  g_clear_pointer (&stream->codecs, g_ptr_array_unref);
  g_clear_pointer (&stream->crypto, g_ptr_array_unref);
  g_free (stream->fingerprint);
  g_free (stream);
}

static void
copy_crypto_lines (GPtrArray *to, const GPtrArray *from)
{
  for (guint i = 0; from != NULL && i < from->len; i++)
    g_ptr_array_add (to, mt_sdp_crypto_copy (g_ptr_array_index (from, i)));
}

static MtSdpStream *
stream_copy (const MtSdpStream *stream)
{
  MtSdpStream *copy = mt_sdp_stream_new (stream->kind);

  g_free (copy->media);
  g_free (copy->proto);
  copy->media = g_strdup (stream->media);
  copy->proto = g_strdup (stream->proto);
  copy->port = stream->port;
  copy->address = g_strdup (stream->address);
  copy->rtcp_port = stream->rtcp_port;
  copy->rtcp_address = g_strdup (stream->rtcp_address);
  copy->rtcp_mux = stream->rtcp_mux;
  copy->ice = stream->ice ? mt_sdp_ice_copy (stream->ice) : NULL;
  copy->direction = stream->direction;
  copy->bandwidth_as = stream->bandwidth_as;
  copy->bandwidth_tias = stream->bandwidth_tias;
  for (guint i = 0; stream->codecs != NULL && i < stream->codecs->len; i++)
    g_ptr_array_add (copy->codecs, mt_sdp_codec_copy (g_ptr_array_index (stream->codecs, i)));
  copy_crypto_lines (copy->crypto, stream->crypto);
  copy->fingerprint = g_strdup (stream->fingerprint);
  copy->setup = stream->setup;

  return copy;
}

const MtSdpCodec *
mt_sdp_stream_get_primary_codec (const MtSdpStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  for (guint i = 0; stream->codecs != NULL && i < stream->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (stream->codecs, i);

    if (!codec_is_dtmf (codec) && !mt_sdp_codec_is_rtx (codec))
      return codec;
  }

  return NULL;
}

const MtSdpCodec *
mt_sdp_stream_get_rtx_codec (const MtSdpStream *stream,
                             guint              apt)
{
  g_return_val_if_fail (stream != NULL, NULL);

  for (guint i = 0; stream->codecs != NULL && i < stream->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (stream->codecs, i);

    if (mt_sdp_codec_is_rtx (codec) && mt_sdp_codec_get_rtx_apt (codec) == apt)
      return codec;
  }

  return NULL;
}

guint
mt_sdp_stream_get_max_kbps (const MtSdpStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  if (stream->bandwidth_tias != 0)
    return MAX (stream->bandwidth_tias / 1000, 1);
  if (stream->bandwidth_as != 0)
    return MAX (stream->bandwidth_as * 95 / 100, 1);
  return 0;
}

const MtSdpCodec *
mt_sdp_stream_get_dtmf_codec (const MtSdpStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  for (guint i = 0; stream->codecs != NULL && i < stream->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (stream->codecs, i);

    if (codec_is_dtmf (codec))
      return codec;
  }

  return NULL;
}

MtSdpSession *
mt_sdp_session_new (void)
{
  MtSdpSession *session = g_new0 (MtSdpSession, 1);

  session->origin_user = g_strdup ("-");
  session->session_name = g_strdup ("-");
  session->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_stream_free);

  return session;
}

void
mt_sdp_session_free (MtSdpSession *session)
{
  if (session == NULL)
    return;

  g_free (session->origin_user);
  g_free (session->address);
  g_free (session->session_name);
  g_clear_pointer (&session->streams, g_ptr_array_unref);
  g_free (session);
}

MtSdpSession *
mt_sdp_session_copy (const MtSdpSession *session)
{
  MtSdpSession *copy;

  g_return_val_if_fail (session != NULL, NULL);

  copy = mt_sdp_session_new ();
  g_free (copy->origin_user);
  g_free (copy->session_name);
  copy->origin_user = g_strdup (session->origin_user);
  copy->session_id = session->session_id;
  copy->session_version = session->session_version;
  copy->address = g_strdup (session->address);
  copy->session_name = g_strdup (session->session_name);
  for (guint i = 0; session->streams != NULL && i < session->streams->len; i++)
    g_ptr_array_add (copy->streams, stream_copy (g_ptr_array_index (session->streams, i)));

  return copy;
}

/* ------------------------------------------------------------------------
 * Directions
 */

#define DIR_SEND 1u
#define DIR_RECV 2u

static guint
direction_to_bits (MtSdpDirection dir)
{
  switch (dir) {
  case MT_SDP_SENDONLY:
    return DIR_SEND;
  case MT_SDP_RECVONLY:
    return DIR_RECV;
  case MT_SDP_INACTIVE:
    return 0;
  case MT_SDP_SENDRECV:
  default:
    return DIR_SEND | DIR_RECV;
  }
}

static MtSdpDirection
direction_from_bits (guint bits)
{
  switch (bits & (DIR_SEND | DIR_RECV)) {
  case DIR_SEND:
    return MT_SDP_SENDONLY;
  case DIR_RECV:
    return MT_SDP_RECVONLY;
  case 0:
    return MT_SDP_INACTIVE;
  default:
    return MT_SDP_SENDRECV;
  }
}

const char *
mt_sdp_direction_to_string (MtSdpDirection dir)
{
  switch (dir) {
  case MT_SDP_SENDONLY:
    return "sendonly";
  case MT_SDP_RECVONLY:
    return "recvonly";
  case MT_SDP_INACTIVE:
    return "inactive";
  case MT_SDP_SENDRECV:
  default:
    return "sendrecv";
  }
}

MtSdpDirection
mt_sdp_direction_reverse (MtSdpDirection dir)
{
  switch (dir) {
  case MT_SDP_SENDONLY:
    return MT_SDP_RECVONLY;
  case MT_SDP_RECVONLY:
    return MT_SDP_SENDONLY;
  case MT_SDP_INACTIVE:
    return MT_SDP_INACTIVE;
  case MT_SDP_SENDRECV:
  default:
    return MT_SDP_SENDRECV;
  }
}

/* What we may do given what the peer said (from the peer's point of view)
 * and what we want (from ours). */
static MtSdpDirection
direction_intersect_peer (MtSdpDirection ours,
                          MtSdpDirection peers)
{
  return direction_from_bits (direction_to_bits (ours) &
                              direction_to_bits (mt_sdp_direction_reverse (peers)));
}

/* ------------------------------------------------------------------------
 * Parsing: from Sofia's tree to ours
 */

static gboolean
proto_is_rtp (const char *proto)
{
  return proto != NULL &&
         (g_str_has_prefix (proto, "RTP/") || strstr (proto, "/RTP/") != NULL);
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out,
            const char **end)
{
  guint64 value = 0;
  const char *p = text;

  if (p == NULL || !g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++) {
    value = value * 10 + (guint64) (*p - '0');
    if (value > max)
      return FALSE;
  }
  *out = value;
  if (end != NULL)
    *end = p;
  return TRUE;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static gboolean
is_token_char (char c)
{
  /* c != 0: strchr() would find the terminator */
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-!#$%&'*+.^_`{|}~", c) != NULL);
}

/* Fill name/clock rate/channels from an rtpmap (or the RFC 3551 table).
 * Names stay as the peer wrote them (they compare case-insensitively; what
 * we negotiate carries our own spelling), but two formats have rules of
 * their own that matching depends on. */
static void
codec_set_format (MtSdpCodec     *codec,
                  MtSdpMediaKind  kind,
                  const char     *encoding,
                  guint64         rate,
                  const char     *params)
{
  guint64 channels = 1;

  g_free (codec->name);
  codec->name = g_strdup (encoding);
  codec->clock_rate = rate <= G_MAXUINT ? (guint) rate : 0;

  if (kind == MT_SDP_MEDIA_AUDIO && params != NULL && *params != '\0' &&
      !parse_uint (params, 255, &channels, NULL))
    channels = 1;
  codec->channels = channels > 0 ? (guint) channels : 1;

  /* RFC 7587: opus is always written as opus/48000/2 */
  if (g_ascii_strcasecmp (encoding, "opus") == 0)
    codec->channels = 2;
  /* RFC 3551: G722 is 8000 in SDP; some peers write its real 16000 */
  if (g_ascii_strcasecmp (encoding, "G722") == 0 && rate == 16000)
    codec->clock_rate = 8000;
}

static MtSdpCodec *
codec_for_pt (MtSdpMediaKind kind,
              guint          pt)
{
  const sdp_rtpmap_t *well_known = sdp_rtpmap_well_known[pt];
  MtSdpCodec *codec = g_new0 (MtSdpCodec, 1);

  codec->pt = pt;
  codec->channels = 1;
  if (well_known != NULL && well_known->rm_encoding != NULL)
    codec_set_format (codec, kind, well_known->rm_encoding, well_known->rm_rate,
                      well_known->rm_params);
  else
    codec->name = g_strdup ("");

  return codec;
}

static MtSdpCodec *
find_codec_by_pt (GPtrArray *codecs,
                  guint      pt)
{
  for (guint i = 0; i < codecs->len; i++) {
    MtSdpCodec *codec = g_ptr_array_index (codecs, i);

    if (codec->pt == pt)
      return codec;
  }
  return NULL;
}

static gboolean
refuse_rtpmap_rate (MtSdpStream  *stream,
                     guint         pt,
                     const char   *encoding,
                     guint         index,
                     GError      **error)
{
  g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
               "Media stream %u (%s) maps payload type %u to %s without a valid clock rate.",
               index, stream->media, pt, encoding);
  return FALSE;
}

/* Format list parsed by Sofia (RTP/AVP, RTP/SAVP). Sofia refuses an rtpmap
 * with no clock rate at all; one of 0 is refused here (RFC 4566 6). */
static gboolean
codecs_from_rtpmaps (MtSdpStream        *stream,
                     const sdp_rtpmap_t *rm,
                     guint               index,
                     GError            **error)
{
  for (; rm != NULL; rm = rm->rm_next) {
    MtSdpCodec *codec;

    if (rm->rm_encoding != NULL && *rm->rm_encoding != '\0' && rm->rm_rate == 0)
      return refuse_rtpmap_rate (stream, rm->rm_pt, rm->rm_encoding, index, error);
    codec = codec_for_pt (stream->kind, rm->rm_pt);
    if (rm->rm_encoding != NULL && *rm->rm_encoding != '\0')
      codec_set_format (codec, stream->kind, rm->rm_encoding, rm->rm_rate, rm->rm_params);
    if (rm->rm_fmtp != NULL && *rm->rm_fmtp != '\0')
      codec->fmtp = g_strdup (rm->rm_fmtp);
    g_ptr_array_add (stream->codecs, codec);
  }
  return TRUE;
}

/* Format list Sofia left as text: RTP payload numbers for other RTP
 * profiles, free tokens for non-RTP protocols. */
static gboolean
codecs_from_format_list (MtSdpStream      *stream,
                         const sdp_list_t *list,
                         guint             index,
                         GError          **error)
{
  gboolean rtp = proto_is_rtp (stream->proto);

  for (; list != NULL; list = list->l_next) {
    const char *text = list->l_text != NULL ? list->l_text : "";
    guint64 pt = 0;
    const char *end = NULL;

    if (!rtp) {
      MtSdpCodec *codec = g_new0 (MtSdpCodec, 1);

      codec->name = g_strdup (text);
      codec->channels = 1;
      g_ptr_array_add (stream->codecs, codec);
      continue;
    }
    if (!parse_uint (text, MAX_PT, &pt, &end) || *end != '\0') {
      g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                   "Media stream %u (%s) lists an invalid RTP payload type.",
                   index, stream->media);
      return FALSE;
    }
    g_ptr_array_add (stream->codecs, codec_for_pt (stream->kind, (guint) pt));
  }

  return TRUE;
}

/* a=rtpmap:PT name/rate[/params], for profiles Sofia does not parse. One
 * that cannot be read, a clock rate of 0 or none included (RFC 4566 6), is
 * ignored: the format keeps its RFC 3551 name and rate, or stays unnamed. */
static void
apply_rtpmap_attribute (MtSdpStream *stream,
                        const char  *value)
{
  g_autofree char *encoding = NULL;
  MtSdpCodec *codec;
  const char *p, *name_start;
  guint64 pt, rate;

  if (!parse_uint (skip_space (value), MAX_PT, &pt, &p))
    return;
  codec = find_codec_by_pt (stream->codecs, (guint) pt);
  if (codec == NULL)
    return;

  name_start = p = skip_space (p);
  while (is_token_char (*p))
    p++;
  if (p == name_start || *p != '/')
    return;
  encoding = g_strndup (name_start, (gsize) (p - name_start));
  if (!parse_uint (p + 1, G_MAXUINT, &rate, &p) || rate == 0)
    return;

  codec_set_format (codec, stream->kind, encoding, rate, *p == '/' ? p + 1 : NULL);
}

/* a=fmtp:PT params, for profiles Sofia does not parse */
static void
apply_fmtp_attribute (MtSdpStream *stream,
                      const char  *value)
{
  MtSdpCodec *codec;
  const char *p;
  guint64 pt;

  if (!parse_uint (skip_space (value), MAX_PT, &pt, &p))
    return;
  codec = find_codec_by_pt (stream->codecs, (guint) pt);
  if (codec == NULL)
    return;

  p = skip_space (p);
  g_free (codec->fmtp);
  codec->fmtp = *p != '\0' ? g_strdup (p) : NULL;
}

static void
codec_apply_feedback (MtSdpCodec  *codec,
                      const char  *type,
                      const char  *subtype)
{
  if (g_ascii_strcasecmp (type, "nack") == 0 && subtype == NULL)
    codec->fb_nack = TRUE;
  else if (g_ascii_strcasecmp (type, "nack") == 0 && g_ascii_strcasecmp (subtype, "pli") == 0)
    codec->fb_nack_pli = TRUE;
  else if (g_ascii_strcasecmp (type, "ccm") == 0 && subtype != NULL &&
           g_ascii_strcasecmp (subtype, "fir") == 0)
    codec->fb_ccm_fir = TRUE;
}

/* a=rtcp-fb:PT|* type [subtype] */
static void
apply_rtcp_fb_attribute (MtSdpStream *stream,
                         const char  *value)
{
  g_auto (GStrv) words = NULL;
  const char *target, *type, *subtype;
  guint64 pt = 0;
  gboolean any;
  guint n = 0;

  words = g_strsplit_set (value, " \t", 8);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      words[n++] = words[i];
    else
      g_free (words[i]);
  words[n] = NULL;

  if (n < 2)
    return;
  target = words[0];
  type = words[1];
  subtype = n > 2 ? words[2] : NULL;
  any = g_str_equal (target, "*");
  if (!any && !parse_uint (target, MAX_PT, &pt, NULL))
    return;

  for (guint i = 0; i < stream->codecs->len; i++) {
    MtSdpCodec *codec = g_ptr_array_index (stream->codecs, i);

    if (any || codec->pt == pt)
      codec_apply_feedback (codec, type, subtype);
  }
}

/* a=rtcp:PORT [IN IP4 ADDR] (RFC 3605) */
static gboolean
apply_rtcp_attribute (MtSdpStream *stream,
                      const char  *value,
                      guint        index,
                      GError     **error)
{
  g_auto (GStrv) words = NULL;
  const char *p;
  guint64 port;

  if (!parse_uint (skip_space (value), G_MAXUINT32, &port, &p))
    return TRUE;   /* unreadable: fall back to port + 1 */
  if (port == 0 || port > MAX_PORT) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                 "Media stream %u (%s) has an invalid RTCP port number (%" G_GUINT64_FORMAT ").",
                 index, stream->media, port);
    return FALSE;
  }
  stream->rtcp_port = (guint) port;

  words = g_strsplit_set (skip_space (p), " \t", 4);
  if (g_strv_length (words) >= 3 && g_ascii_strcasecmp (words[0], "IN") == 0 && *words[2] != '\0') {
    g_free (stream->rtcp_address);
    stream->rtcp_address = g_strdup (words[2]);
  }

  return TRUE;
}

/* a=crypto, a=fingerprint, a=setup: a malformed one is left out (a stream
 * without usable keys is answered plain or declined, never a parse error) */
static void
apply_security_attribute (MtSdpStream *stream,
                          const char  *name,
                          const char  *value)
{
  if (g_ascii_strcasecmp (name, "crypto") == 0) {
    MtSdpCrypto *crypto = stream->crypto->len < 32 ? mt_sdp_crypto_parse (value, NULL) : NULL;

    if (crypto != NULL)
      g_ptr_array_add (stream->crypto, crypto);
  } else if (g_ascii_strcasecmp (name, "fingerprint") == 0) {
    if (stream->fingerprint == NULL)
      stream->fingerprint = mt_sdp_fingerprint_parse (value);
  } else if (g_ascii_strcasecmp (name, "setup") == 0) {
    stream->setup = mt_sdp_setup_from_string (value);
  }
}

static gboolean
apply_media_attributes (MtSdpStream           *stream,
                        const sdp_attribute_t *a,
                        guint                  index,
                        GError               **error)
{
  for (; a != NULL; a = a->a_next) {
    const char *name = a->a_name, *value = a->a_value;

    if (name == NULL)
      continue;
    if (g_ascii_strcasecmp (name, "rtcp-mux") == 0)
      stream->rtcp_mux = TRUE;
    if (mt_sdp_ice_apply_attribute (&stream->ice, name, value))
      continue;
    if (value == NULL)
      continue;

    if (g_ascii_strcasecmp (name, "rtcp") == 0) {
      if (!apply_rtcp_attribute (stream, value, index, error))
        return FALSE;
    } else if (g_ascii_strcasecmp (name, "rtcp-fb") == 0) {
      apply_rtcp_fb_attribute (stream, value);
    } else if (g_ascii_strcasecmp (name, "rtpmap") == 0 && proto_is_rtp (stream->proto)) {
      apply_rtpmap_attribute (stream, value);
    } else if (g_ascii_strcasecmp (name, "fmtp") == 0 && proto_is_rtp (stream->proto)) {
      apply_fmtp_attribute (stream, value);
    } else {
      apply_security_attribute (stream, name, value);
    }
  }

  return TRUE;
}

static MtSdpMediaKind
media_kind_from_sofia (const sdp_media_t *m)
{
  switch (m->m_type) {
  case sdp_media_audio:
    return MT_SDP_MEDIA_AUDIO;
  case sdp_media_video:
    return MT_SDP_MEDIA_VIDEO;
  default:
    return MT_SDP_MEDIA_OTHER;
  }
}

static MtSdpDirection
direction_from_sofia (unsigned mode)
{
  guint bits = 0;

  if (mode & sdp_sendonly)
    bits |= DIR_SEND;
  if (mode & sdp_recvonly)
    bits |= DIR_RECV;
  return direction_from_bits (bits);
}

static const char *
connection_address (const sdp_connection_t *c)
{
  if (c == NULL || c->c_address == NULL || *c->c_address == '\0')
    return NULL;
  return c->c_address;
}

static gboolean
stream_read_codecs (MtSdpStream       *stream,
                    const sdp_media_t *m,
                    guint              index,
                    GError           **error)
{
  if (m->m_rtpmaps != NULL && sdp_media_has_rtp (m)) {
    if (!codecs_from_rtpmaps (stream, m->m_rtpmaps, index, error))
      return FALSE;
  } else if (!codecs_from_format_list (stream, m->m_format, index, error))
    return FALSE;

  if (stream->codecs->len == 0) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                 "Media stream %u (%s) lists no formats.", index, stream->media);
    return FALSE;
  }

  return TRUE;
}

static MtSdpStream *
stream_from_sofia (const sdp_session_t *sdp,
                   const sdp_media_t   *m,
                   guint                index,
                   GError             **error)
{
  g_autoptr (MtSdpStream) stream = mt_sdp_stream_new (media_kind_from_sofia (m));
  const char *address;

  g_free (stream->media);
  g_free (stream->proto);
  stream->media = g_strdup (m->m_type_name != NULL ? m->m_type_name : "unknown");
  stream->proto = g_strdup (m->m_proto_name != NULL ? m->m_proto_name : "");

  if (m->m_port > MAX_PORT) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                 "Media stream %u (%s) has an invalid port number (%lu).",
                 index, stream->media, m->m_port);
    return NULL;
  }
  stream->port = (guint) m->m_port;
  stream->direction = stream->port != 0 ? direction_from_sofia (m->m_mode) : MT_SDP_INACTIVE;

  address = connection_address (m->m_connections);
  if (address == NULL)
    address = connection_address (sdp->sdp_connection);
  if (address == NULL && stream->port != 0) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                 "Media stream %u (%s) has no connection address (c= line).",
                 index, stream->media);
    return NULL;
  }
  stream->address = g_strdup (address);

  if (!stream_read_codecs (stream, m, index, error) ||
      !apply_media_attributes (stream, m->m_attributes, index, error))
    return NULL;

  if (stream->port == 0)
    stream->rtcp_port = 0;
  else if (stream->rtcp_port == 0)
    stream->rtcp_port = stream->port < MAX_PORT ? stream->port + 1 : 0;

  return g_steal_pointer (&stream);
}

/* Session-level ICE attributes (ice-lite, and ufrag/pwd/options when a
 * stream has none of its own) go down to the streams; a stream whose
 * credentials are missing or malformed is not an ICE stream. */
static MtSdpIce *
session_ice_from_sofia (const sdp_session_t *sdp)
{
  MtSdpIce *ice = NULL;

  for (const sdp_attribute_t *a = sdp->sdp_attributes; a != NULL; a = a->a_next)
    if (a->a_name != NULL && g_ascii_strcasecmp (a->a_name, "candidate") != 0)
      mt_sdp_ice_apply_attribute (&ice, a->a_name, a->a_value);
  return ice;
}

static void
stream_inherit_ice (MtSdpStream *stream, const MtSdpIce *session_ice)
{
  MtSdpIce *ice = stream->ice;

  if (session_ice != NULL && (ice != NULL || session_ice->ufrag != NULL))
    {
      if (ice == NULL)
        ice = stream->ice = mt_sdp_ice_new ();
      if (ice->ufrag == NULL)
        ice->ufrag = g_strdup (session_ice->ufrag);
      if (ice->pwd == NULL)
        ice->pwd = g_strdup (session_ice->pwd);
      if (ice->options == NULL)
        ice->options = g_strdup (session_ice->options);
      ice->lite |= session_ice->lite;
    }
  if (stream->ice != NULL && (!mt_sdp_ice_is_valid (stream->ice) || stream->port == 0))
    {
      g_debug ("media stream %s: no usable ICE credentials, plain RTP", stream->media);
      g_clear_pointer (&stream->ice, mt_sdp_ice_free);
    }
}

/* RFC 8122 5: a=fingerprint (and a=setup) may be session-level */
static MtSdpStream *
session_security_from_sofia (const sdp_session_t *sdp)
{
  MtSdpStream *holder = mt_sdp_stream_new (MT_SDP_MEDIA_OTHER);

  for (const sdp_attribute_t *a = sdp->sdp_attributes; a != NULL; a = a->a_next)
    if (a->a_name != NULL && a->a_value != NULL &&
        g_ascii_strcasecmp (a->a_name, "crypto") != 0)
      apply_security_attribute (holder, a->a_name, a->a_value);
  return holder;
}

static MtSdpSession *
session_from_sofia (const sdp_session_t *sdp,
                    GError             **error)
{
  g_autoptr (MtSdpIce) session_ice = NULL;
  g_autoptr (MtSdpStream) session_security = NULL;
  g_autoptr (MtSdpSession) session = mt_sdp_session_new ();
  const char *address;
  guint index = 0;

  if (sdp->sdp_origin == NULL) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                         "The session description has no origin (o= line).");
    return NULL;
  }
  if (sdp->sdp_subject == NULL) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                         "The session description has no session name (s= line).");
    return NULL;
  }

  g_free (session->origin_user);
  g_free (session->session_name);
  session->origin_user = g_strdup (sdp->sdp_origin->o_username != NULL ?
                                   sdp->sdp_origin->o_username : "-");
  session->session_id = sdp->sdp_origin->o_id;
  session->session_version = sdp->sdp_origin->o_version;
  session->session_name = g_strdup (sdp->sdp_subject);

  address = connection_address (sdp->sdp_connection);
  if (address == NULL)
    address = connection_address (sdp->sdp_origin->o_address);
  session->address = g_strdup (address);
  session_ice = session_ice_from_sofia (sdp);
  session_security = session_security_from_sofia (sdp);

  for (const sdp_media_t *m = sdp->sdp_media; m != NULL; m = m->m_next) {
    MtSdpStream *stream;

    if (++index > MAX_STREAMS) {
      g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                   "The session description has more than %u media streams.", MAX_STREAMS);
      return NULL;
    }
    stream = stream_from_sofia (sdp, m, index, error);
    if (stream == NULL)
      return NULL;
    stream_inherit_ice (stream, session_ice);
    if (stream->fingerprint == NULL)
      stream->fingerprint = g_strdup (session_security->fingerprint);
    if (stream->setup == MT_SDP_SETUP_NONE)
      stream->setup = session_security->setup;
    g_ptr_array_add (session->streams, stream);
  }

  return g_steal_pointer (&session);
}

static gboolean
chars_in_set (const char *word,
              const char *extra)
{
  for (const char *p = word; *p != '\0'; p++)
    if (!is_token_char (*p) && (extra == NULL || strchr (extra, *p) == NULL))
      return FALSE;
  return TRUE;
}

static gboolean
is_port_word (const char *word)
{
  const char *p = word;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '/' && g_ascii_isdigit (p[1]))
    for (p++; g_ascii_isdigit (*p); p++)
      ;
  return *p == '\0';
}

/* proto = token *("/" token) (RFC 4566): no empty part, so "/" alone or
 * "/RTP/AVP" are refused here rather than written back in a form that no
 * longer parses (found by fuzz-sdp's round-trip check) */
static gboolean
is_proto_word (const char *word)
{
  if (!chars_in_set (word, "/"))
    return FALSE;
  return word[0] != '/' && !g_str_has_suffix (word, "/") && strstr (word, "//") == NULL;
}

/* Rewrite one m= line as "m=" + single-space separated words, refusing
 * characters RFC 4566 does not allow there. See sanitize_media_lines(). */
static gboolean
append_media_line (GString    *out,
                   const char *line,
                   gsize       len,
                   guint       index,
                   GError    **error)
{
  g_autofree char *copy = g_strndup (line, len);
  g_auto (GStrv) words = g_strsplit_set (copy, " \t", -1);
  guint n = 0;

  g_string_append (out, "m=");
  for (guint i = 0; words[i] != NULL; i++) {
    const char *word = words[i];
    gboolean ok;

    if (*word == '\0')
      continue;
    if (n == 0)
      ok = chars_in_set (word, NULL);         /* media */
    else if (n == 1)
      ok = is_port_word (word);               /* port[/count] */
    else if (n == 2)
      ok = is_proto_word (word);              /* proto */
    else
      ok = chars_in_set (word, NULL);         /* fmt */
    if (!ok) {
      g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                   "Media line %u of the session description is malformed.", index);
      return FALSE;
    }
    g_string_append_printf (out, n == 0 ? "%s" : " %s", word);
    n++;
  }

  return TRUE;
}

/* Sofia-SIP 1.12.11 (Debian 12) loops forever, allocating as it goes, on an
 * m= line of a non-RTP protocol whose format list has a non-token character
 * ("m=image 0 udptl /x") or ends in a tab; later Sofia releases fixed this.
 * So m= lines are handed over in canonical form. Lines are cut at CR or LF
 * and leading blanks skipped exactly as Sofia does; other lines are kept. */
static char *
sanitize_media_lines (const char *text,
                      gsize       len,
                      GError    **error)
{
  GString *out = g_string_sized_new (len + 16);
  const char *end = text + len;
  guint n_media = 0;

  for (const char *p = text; p < end;) {
    const char *eol = p, *start = p;

    while (eol < end && *eol != '\r' && *eol != '\n')
      eol++;
    while (start < eol && (*start == ' ' || *start == '\t'))
      start++;

    if (eol - start >= 2 && start[0] == 'm' && start[1] == '=') {
      if (!append_media_line (out, start + 2, (gsize) (eol - start - 2), ++n_media, error)) {
        g_string_free (out, TRUE);
        return NULL;
      }
    } else {
      g_string_append_len (out, p, eol - p);
    }
    for (p = eol; p < end && (*p == '\r' || *p == '\n'); p++)
      g_string_append_c (out, *p);
  }

  return g_string_free (out, FALSE);
}

static gboolean
check_raw_text (const char *text,
                gsize       len,
                GError    **error)
{
  if (len == 0) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                         "The session description is empty.");
    return FALSE;
  }
  if (len > MAX_SDP_SIZE) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                 "The session description is too large (%" G_GSIZE_FORMAT " bytes).", len);
    return FALSE;
  }
  if (memchr (text, '\0', len) != NULL) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                         "The session description contains a NUL byte.");
    return FALSE;
  }
  return TRUE;
}

/* b=AS (kbit/s) and b=TIAS (bit/s, RFC 3890) of each m= section, from the
 * text: the Sofia-SIP here numbers its bandwidth types unlike its header
 * (b=TIAS comes back as the header's "AS"). Absurd values are ignored. */
static void
read_bandwidths (const char   *text,
                 MtSdpSession *session)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  int index = -1;

  for (guint i = 0; lines[i] != NULL; i++) {
    const char *line = g_strstrip (lines[i]);
    MtSdpStream *stream;
    guint64 value;
    const char *p;

    if (g_str_has_prefix (line, "m="))
      index++;
    if (index < 0 || (guint) index >= session->streams->len || !g_str_has_prefix (line, "b="))
      continue;
    stream = g_ptr_array_index (session->streams, index);
    p = strchr (line, ':');
    if (p == NULL || !parse_uint (p + 1, G_MAXUINT / 2, &value, NULL) || value == 0)
      continue;
    if (g_ascii_strncasecmp (line + 2, "TIAS:", 5) == 0)
      stream->bandwidth_tias = (guint) value;
    else if (g_ascii_strncasecmp (line + 2, "AS:", 3) == 0)
      stream->bandwidth_as = (guint) value;
  }
}

MtSdpSession *
mt_sdp_parse (const char *text,
              gsize       len,
              GError    **error)
{
  MtSdpSession *session = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *clean = NULL;
  sdp_parser_t *parser;
  sdp_session_t *sdp;
  su_home_t *home;

  g_return_val_if_fail (text != NULL || len == 0 || len == (gsize) -1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    len = 0;
  else if (len == (gsize) -1)
    len = strlen (text);
  if (!check_raw_text (text, len, error))
    return NULL;
  valid = mt_text_from_network (text, (gssize) len, TRUE);
  clean = sanitize_media_lines (valid, strlen (valid), error);
  if (clean == NULL)
    return NULL;

  home = su_home_new (sizeof (su_home_t));
  if (home == NULL) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                         "Out of memory while parsing the session description.");
    return NULL;
  }

  /* Lenient parsing (real peers are sloppy); we check c= ourselves so that
   * a missing one is reported as MT_SDP_ERROR_INVALID. */
  parser = sdp_parse (home, clean, (issize_t) strlen (clean), sdp_f_c_missing);
  sdp = sdp_session (parser);
  if (sdp == NULL) {
    const char *why = sdp_parsing_error (parser);

    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE,
                 "The session description could not be parsed (%s).",
                 why != NULL ? why : "unknown error");
  } else {
    session = session_from_sofia (sdp, error);
  }
  if (session != NULL)
    read_bandwidths (clean, session);

  sdp_parser_free (parser);
  su_home_unref (home);

  return session;
}

/* ------------------------------------------------------------------------
 * Serialisation
 */

static const char *
address_type (const char *address)
{
  return address != NULL && strchr (address, ':') != NULL ? "IP6" : "IP4";
}

static void
append_codec_attributes (GString           *out,
                         const MtSdpStream *stream,
                         const MtSdpCodec  *codec)
{
  if (codec->name != NULL && *codec->name != '\0' && codec->clock_rate != 0) {
    g_string_append_printf (out, "a=rtpmap:%u %s/%u", codec->pt, codec->name, codec->clock_rate);
    if (stream->kind == MT_SDP_MEDIA_AUDIO && codec->channels > 1)
      g_string_append_printf (out, "/%u", codec->channels);
    g_string_append (out, "\r\n");
  }
  if (codec->fmtp != NULL)
    g_string_append_printf (out, "a=fmtp:%u %s\r\n", codec->pt, codec->fmtp);
  if (stream->kind != MT_SDP_MEDIA_VIDEO)
    return;
  if (codec->fb_nack)
    g_string_append_printf (out, "a=rtcp-fb:%u nack\r\n", codec->pt);
  if (codec->fb_nack_pli)
    g_string_append_printf (out, "a=rtcp-fb:%u nack pli\r\n", codec->pt);
  if (codec->fb_ccm_fir)
    g_string_append_printf (out, "a=rtcp-fb:%u ccm fir\r\n", codec->pt);
}

static void
append_security (GString           *out,
                 const MtSdpStream *stream)
{
  for (guint i = 0; stream->crypto != NULL && i < stream->crypto->len; i++) {
    g_autofree char *line = mt_sdp_crypto_to_string (g_ptr_array_index (stream->crypto, i));

    g_string_append_printf (out, "a=crypto:%s\r\n", line);
  }
  if (stream->fingerprint != NULL)
    g_string_append_printf (out, "a=fingerprint:%s\r\n", stream->fingerprint);
  if (stream->setup != MT_SDP_SETUP_NONE)
    g_string_append_printf (out, "a=setup:%s\r\n", mt_sdp_setup_to_string (stream->setup));
}

static void
append_stream (GString            *out,
               const MtSdpSession *session,
               const MtSdpStream  *stream)
{
  gboolean rtp = proto_is_rtp (stream->proto);

  g_string_append_printf (out, "m=%s %u %s",
                          stream->media != NULL ? stream->media : media_kind_to_string (stream->kind),
                          stream->port,
                          stream->proto != NULL ? stream->proto : "RTP/AVP");
  for (guint i = 0; stream->codecs != NULL && i < stream->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (stream->codecs, i);

    if (rtp || codec->name == NULL || *codec->name == '\0')
      g_string_append_printf (out, " %u", codec->pt);
    else
      g_string_append_printf (out, " %s", codec->name);
  }
  g_string_append (out, "\r\n");

  /* A declined stream is just its m= line */
  if (stream->port == 0)
    return;

  if (stream->address != NULL && g_strcmp0 (stream->address, session->address) != 0)
    g_string_append_printf (out, "c=IN %s %s\r\n", address_type (stream->address), stream->address);
  if (stream->bandwidth_as != 0)
    g_string_append_printf (out, "b=AS:%u\r\n", stream->bandwidth_as);
  if (stream->bandwidth_tias != 0)
    g_string_append_printf (out, "b=TIAS:%u\r\n", stream->bandwidth_tias);

  for (guint i = 0; rtp && stream->codecs != NULL && i < stream->codecs->len; i++)
    append_codec_attributes (out, stream, g_ptr_array_index (stream->codecs, i));

  if (stream->rtcp_port != 0) {
    g_string_append_printf (out, "a=rtcp:%u", stream->rtcp_port);
    if (stream->rtcp_address != NULL)
      g_string_append_printf (out, " IN %s %s", address_type (stream->rtcp_address),
                              stream->rtcp_address);
    g_string_append (out, "\r\n");
  }
  if (stream->rtcp_mux)
    g_string_append (out, "a=rtcp-mux\r\n");
  if (stream->ice != NULL)
    mt_sdp_ice_append (stream->ice, out);
  append_security (out, stream);
  g_string_append_printf (out, "a=%s\r\n", mt_sdp_direction_to_string (stream->direction));
}

static gboolean
session_is_ice_lite (const MtSdpSession *session)
{
  for (guint i = 0; session->streams != NULL && i < session->streams->len; i++)
    {
      const MtSdpStream *stream = g_ptr_array_index (session->streams, i);

      if (stream->ice != NULL && stream->ice->lite)
        return TRUE;
    }
  return FALSE;
}

char *
mt_sdp_session_to_string (const MtSdpSession *session)
{
  GString *out;
  const char *address;

  g_return_val_if_fail (session != NULL, NULL);

  address = session->address != NULL ? session->address : "0.0.0.0";
  out = g_string_new ("v=0\r\n");
  g_string_append_printf (out, "o=%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s %s\r\n",
                          session->origin_user != NULL && *session->origin_user != '\0' ?
                            session->origin_user : "-",
                          session->session_id, session->session_version,
                          address_type (address), address);
  g_string_append_printf (out, "s=%s\r\n",
                          session->session_name != NULL && *session->session_name != '\0' ?
                            session->session_name : "-");
  g_string_append_printf (out, "c=IN %s %s\r\n", address_type (address), address);
  g_string_append (out, "t=0 0\r\n");
  if (session_is_ice_lite (session))
    g_string_append (out, "a=ice-lite\r\n");

  for (guint i = 0; session->streams != NULL && i < session->streams->len; i++)
    append_stream (out, session, g_ptr_array_index (session->streams, i));

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------
 * Local capabilities
 */

MtSdpLocal *
mt_sdp_local_new (void)
{
  MtSdpLocal *local = g_new0 (MtSdpLocal, 1);

  local->audio_codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_codec_free);
  local->video_codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_codec_free);
  local->audio_direction = MT_SDP_SENDRECV;
  local->video_direction = MT_SDP_SENDRECV;
  local->encryption = MT_ENCRYPTION_NONE;
  local->audio_crypto = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_crypto_free);
  local->video_crypto = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_crypto_free);

  return local;
}

void
mt_sdp_local_free (MtSdpLocal *local)
{
  if (local == NULL)
    return;

  g_free (local->address);
  g_clear_pointer (&local->audio_ice, mt_sdp_ice_free);
  g_clear_pointer (&local->video_ice, mt_sdp_ice_free);
  g_clear_pointer (&local->audio_codecs, g_ptr_array_unref);
  g_clear_pointer (&local->video_codecs, g_ptr_array_unref);
  g_clear_pointer (&local->audio_crypto, g_ptr_array_unref);
  g_clear_pointer (&local->video_crypto, g_ptr_array_unref);
  g_free (local->fingerprint);
  g_free (local);
}

/* ------------------------------------------------------------------------
 * Offer
 */

static MtSdpSession *
session_for_local (const MtSdpLocal *local,
                   guint64           session_id)
{
  MtSdpSession *session = mt_sdp_session_new ();

  session->session_id = session_id;
  session->session_version = session_id;
  session->address = g_strdup (local->address);

  return session;
}

/* Our sending limit: b=TIAS is the codec's rate (RFC 3890), b=AS adds
 * room for IP/UDP/RTP headers (~5 % at video packet sizes, more for audio) */
static void
stream_set_bandwidth (MtSdpStream *stream,
                      guint        max_kbps)
{
  if (max_kbps == 0)
    return;
  stream->bandwidth_tias = max_kbps * 1000;
  stream->bandwidth_as = stream->kind == MT_SDP_MEDIA_VIDEO ? max_kbps + max_kbps / 20 + 1
                                                            : max_kbps + 16;
}

static void
offer_security (MtSdpStream      *stream,
                const MtSdpLocal *local,
                GPtrArray        *keys)
{
  gboolean sdes = local->sdes && keys != NULL && keys->len > 0;
  gboolean dtls = local->fingerprint != NULL;

  if (local->encryption == MT_ENCRYPTION_NONE || !(sdes || dtls))
    return;
  if (sdes)
    copy_crypto_lines (stream->crypto, keys);
  if (dtls)
    {
      stream->fingerprint = g_strdup (local->fingerprint);
      stream->setup = MT_SDP_SETUP_ACTPASS;
    }
  if (local->encryption == MT_ENCRYPTION_MANDATORY)
    {
      g_free (stream->proto);
      stream->proto = g_strdup (sdes ? "RTP/SAVP" : "UDP/TLS/RTP/SAVP");
    }
}

static MtSdpStream *
offer_stream (MtSdpMediaKind   kind,
              const MtSdpLocal *local,
              guint            port,
              guint            rtcp_port,
              GPtrArray       *codecs,
              MtSdpDirection   direction,
              const MtSdpIce  *ice)
{
  MtSdpStream *stream = mt_sdp_stream_new (kind);

  stream->port = port;
  stream->rtcp_port = rtcp_port != 0 ? rtcp_port : port + 1;
  stream->address = g_strdup (local->address);
  stream->direction = direction;
  stream_set_bandwidth (stream, kind == MT_SDP_MEDIA_VIDEO ? local->video_max_kbps
                                                           : local->audio_max_kbps);
  for (guint i = 0; i < codecs->len; i++)
    g_ptr_array_add (stream->codecs, mt_sdp_codec_copy (g_ptr_array_index (codecs, i)));
  if (ice != NULL)
    {
      stream->ice = mt_sdp_ice_copy (ice);
      stream->rtcp_mux = TRUE;
    }
  offer_security (stream, local, kind == MT_SDP_MEDIA_VIDEO ? local->video_crypto
                                                            : local->audio_crypto);

  return stream;
}

static gboolean
local_has_audio (const MtSdpLocal *local)
{
  return local->audio_port != 0 && local->audio_codecs != NULL &&
         mt_sdp_stream_get_primary_codec (&(MtSdpStream) { .codecs = local->audio_codecs }) != NULL;
}

static gboolean
local_has_video (const MtSdpLocal *local)
{
  return local->video_port != 0 && local->video_codecs != NULL && local->video_codecs->len > 0;
}

MtSdpSession *
mt_sdp_build_offer (const MtSdpLocal *local,
                    guint64           session_id)
{
  MtSdpSession *session;

  g_return_val_if_fail (local != NULL, NULL);
  g_return_val_if_fail (local->address != NULL, NULL);
  g_return_val_if_fail (local->audio_port <= MAX_PORT && local->video_port <= MAX_PORT, NULL);

  session = session_for_local (local, session_id);
  if (local_has_audio (local))
    g_ptr_array_add (session->streams,
                     offer_stream (MT_SDP_MEDIA_AUDIO, local, local->audio_port,
                                   local->audio_rtcp_port, local->audio_codecs,
                                   local->audio_direction, local->audio_ice));
  if (local_has_video (local))
    g_ptr_array_add (session->streams,
                     offer_stream (MT_SDP_MEDIA_VIDEO, local, local->video_port,
                                   local->video_rtcp_port, local->video_codecs,
                                   local->video_direction, local->video_ice));

  return session;
}

/* ------------------------------------------------------------------------
 * Answer
 */

static const MtSdpCodec *
find_matching_codec (GPtrArray        *codecs,
                     const MtSdpCodec *wanted)
{
  for (guint i = 0; codecs != NULL && i < codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (codecs, i);

    if (mt_sdp_codec_matches (codec, wanted))
      return codec;
  }
  return NULL;
}

/* The offered codec to use (offerer's preference, offerer's numbers, our
 * spelling of the name), with rtcp-fb narrowed to what we do too. */
static MtSdpCodec *
pick_codec (const MtSdpStream *offered,
            GPtrArray         *ours,
            gboolean           dtmf)
{
  for (guint i = 0; i < offered->codecs->len; i++) {
    const MtSdpCodec *theirs = g_ptr_array_index (offered->codecs, i);
    const MtSdpCodec *mine;
    MtSdpCodec *picked;

    if (codec_is_dtmf (theirs) != dtmf || mt_sdp_codec_is_rtx (theirs))
      continue;
    mine = find_matching_codec (ours, theirs);
    if (mine == NULL)
      continue;

    picked = mt_sdp_codec_copy (theirs);
    g_free (picked->name);
    picked->name = g_strdup (mine->name);   /* our spelling */
    picked->fb_nack = theirs->fb_nack && mine->fb_nack;
    picked->fb_nack_pli = theirs->fb_nack_pli && mine->fb_nack_pli;
    picked->fb_ccm_fir = theirs->fb_ccm_fir && mine->fb_ccm_fir;
    return picked;
  }
  return NULL;
}

/* RFC 4733 section 7.1.1: telephone-event at the clock rate of the audio
 * codec we picked. We send and receive events at any rate, so when we do
 * telephone-event at all, any offered rate will do; the audio codec's rate
 * first, then 8000 (what most phones send with any codec). */
static MtSdpCodec *
pick_dtmf_codec (const MtSdpStream *offered,
                 GPtrArray         *ours,
                 guint              audio_clock_rate)
{
  const guint rates[] = { audio_clock_rate, 8000 };
  gboolean we_do_dtmf = FALSE;

  for (guint i = 0; ours != NULL && i < ours->len; i++)
    we_do_dtmf |= codec_is_dtmf (g_ptr_array_index (ours, i));
  if (!we_do_dtmf)
    return NULL;

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++) {
    for (guint i = 0; i < offered->codecs->len; i++) {
      const MtSdpCodec *theirs = g_ptr_array_index (offered->codecs, i);
      MtSdpCodec *picked;

      if (!codec_is_dtmf (theirs) || theirs->clock_rate != rates[r])
        continue;
      picked = mt_sdp_codec_copy (theirs);
      g_free (picked->name);
      picked->name = g_strdup (DTMF_NAME);   /* our spelling */
      return picked;
    }
  }
  return NULL;
}

/* RFC 4588: the offered rtx format for the codec we picked (payload
 * `apt`), when we do rtx too */
static MtSdpCodec *
pick_rtx_codec (const MtSdpStream *offered,
                GPtrArray         *ours,
                guint              apt)
{
  const MtSdpCodec *theirs = mt_sdp_stream_get_rtx_codec (offered, apt);
  gboolean we_do_rtx = FALSE;
  MtSdpCodec *picked;

  for (guint i = 0; ours != NULL && i < ours->len; i++)
    we_do_rtx |= mt_sdp_codec_is_rtx (g_ptr_array_index (ours, i));
  if (!we_do_rtx || theirs == NULL || theirs->clock_rate == 0)
    return NULL;
  picked = mt_sdp_codec_copy (theirs);
  g_free (picked->name);
  picked->name = g_strdup ("rtx");
  picked->fb_nack = picked->fb_nack_pli = picked->fb_ccm_fir = FALSE;
  return picked;
}

static gboolean
proto_is_plain_rtp (const char *proto)
{
  return proto != NULL &&
         (g_ascii_strcasecmp (proto, "RTP/AVP") == 0 || g_ascii_strcasecmp (proto, "RTP/AVPF") == 0);
}

static MtSdpStream *
declined_stream (const MtSdpStream *offered,
                 const MtSdpLocal  *local)
{
  MtSdpStream *stream = mt_sdp_stream_new (offered->kind);

  g_free (stream->media);
  g_free (stream->proto);
  stream->media = g_strdup (offered->media);
  stream->proto = g_strdup (offered->proto);
  stream->address = g_strdup (local->address);
  stream->direction = MT_SDP_INACTIVE;
  if (offered->codecs->len > 0)
    g_ptr_array_add (stream->codecs, mt_sdp_codec_copy (g_ptr_array_index (offered->codecs, 0)));

  return stream;
}

int
mt_sdp_proto_security (const char *proto)
{
  static const char *const protos[][2] = {
    { "RTP/AVP", "RTP/AVPF" },
    { "RTP/SAVP", "RTP/SAVPF" },
    { "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF" },
  };

  for (guint i = 0; proto != NULL && i < G_N_ELEMENTS (protos); i++)
    if (g_ascii_strcasecmp (proto, protos[i][0]) == 0 ||
        g_ascii_strcasecmp (proto, protos[i][1]) == 0)
      return (int) i;
  return -1;
}

static const MtSdpCrypto *
key_for_suite (const GPtrArray *keys, MtSrtpSuite suite)
{
  for (guint i = 0; keys != NULL && i < keys->len; i++) {
    const MtSdpCrypto *key = g_ptr_array_index (keys, i);

    if (key->suite == suite && key->usable)
      return key;
  }
  return NULL;
}

/* RFC 5763 5: the answerer is active (starts the DTLS handshake) unless the
 * offerer wants to be; an offer without a=setup is active (RFC 4145 4) */
static MtSdpSetup
answer_setup (MtSdpSetup offered)
{
  return offered == MT_SDP_SETUP_ACTIVE || offered == MT_SDP_SETUP_NONE
         ? MT_SDP_SETUP_PASSIVE : MT_SDP_SETUP_ACTIVE;
}

/* SDES: the first offered line (offerer's preference) whose suite we have,
 * answered with the offer's tag and our own key */
static gboolean
answer_sdes (MtSdpStream       *stream,
             const MtSdpStream *offered,
             const GPtrArray   *keys)
{
  for (guint i = 0; i < offered->crypto->len; i++) {
    const MtSdpCrypto *line = g_ptr_array_index (offered->crypto, i);
    const MtSdpCrypto *ours = line->usable ? key_for_suite (keys, line->suite) : NULL;

    if (ours != NULL) {
      g_ptr_array_add (stream->crypto,
                       mt_sdp_crypto_new (line->tag, ours->suite, ours->key, ours->key_len));
      return TRUE;
    }
  }
  return FALSE;
}

/* FALSE: the stream must be declined; *not_encrypted when only because our
 * policy wants encryption the offer does not give */
static gboolean
answer_security (MtSdpStream       *stream,
                 const MtSdpStream *offered,
                 const MtSdpLocal  *local,
                 gboolean          *not_encrypted)
{
  int family = mt_sdp_proto_security (offered->proto);
  const GPtrArray *keys = offered->kind == MT_SDP_MEDIA_VIDEO ? local->video_crypto
                                                              : local->audio_crypto;

  if (local->encryption != MT_ENCRYPTION_NONE) {
    if (offered->fingerprint != NULL && local->fingerprint != NULL &&
        offered->setup != MT_SDP_SETUP_HOLDCONN) {
      stream->fingerprint = g_strdup (local->fingerprint);
      stream->setup = answer_setup (offered->setup);
      return TRUE;
    }
    if (local->sdes && family <= 1 && answer_sdes (stream, offered, keys))
      return TRUE;
  }
  if (local->encryption == MT_ENCRYPTION_MANDATORY)
    *not_encrypted = TRUE;
  return family == 0 && local->encryption != MT_ENCRYPTION_MANDATORY;
}

/* NULL when we cannot take this stream. */
static MtSdpStream *
accept_stream (const MtSdpStream *offered,
               const MtSdpLocal  *local,
               gboolean          *not_encrypted)
{
  gboolean video = offered->kind == MT_SDP_MEDIA_VIDEO;
  GPtrArray *ours = video ? local->video_codecs : local->audio_codecs;
  MtSdpDirection our_dir = video ? local->video_direction : local->audio_direction;
  guint port = video ? local->video_port : local->audio_port;
  guint rtcp_port = video ? local->video_rtcp_port : local->audio_rtcp_port;
  const MtSdpIce *our_ice = video ? local->video_ice : local->audio_ice;
  MtSdpCodec *codec;
  MtSdpStream *stream;

  if (offered->port == 0 || mt_sdp_proto_security (offered->proto) < 0)
    return NULL;
  if (video ? !local_has_video (local) : !local_has_audio (local))
    return NULL;
  codec = pick_codec (offered, ours, FALSE);
  if (codec == NULL)
    return NULL;

  stream = declined_stream (offered, local);
  g_ptr_array_set_size (stream->codecs, 0);
  g_ptr_array_add (stream->codecs, codec);
  if (!video && (codec = pick_dtmf_codec (offered, ours, codec->clock_rate)) != NULL)
    g_ptr_array_add (stream->codecs, codec);
  else if (video && (codec = pick_rtx_codec (offered, ours, codec->pt)) != NULL)
    g_ptr_array_add (stream->codecs, codec);
  stream_set_bandwidth (stream, video ? local->video_max_kbps : local->audio_max_kbps);

  if (!answer_security (stream, offered, local, not_encrypted)) {
    mt_sdp_stream_free (stream);
    return NULL;
  }
  stream->port = port;
  stream->rtcp_port = rtcp_port != 0 ? rtcp_port : port + 1;
  stream->direction = direction_intersect_peer (our_dir, offered->direction);
  /* ICE and rtcp-mux only when both do ICE; a plain peer gets plain RTP */
  if (offered->ice != NULL && our_ice != NULL)
    {
      stream->ice = mt_sdp_ice_copy (our_ice);
      stream->rtcp_mux = offered->rtcp_mux;
    }

  return stream;
}

static void
describe_offered (GString           *what,
                  const MtSdpStream *offered)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (guint i = 0; i < offered->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (offered->codecs, i);

    if (codec_is_dtmf (codec))
      continue;
    if (names->len > 0)
      g_string_append (names, ", ");
    if (codec->name != NULL && *codec->name != '\0')
      g_string_append (names, codec->name);
    else
      g_string_append_printf (names, "payload type %u", codec->pt);
  }
  if (names->len == 0)
    return;

  if (what->len > 0)
    g_string_append (what, " and ");
  g_string_append_printf (what, "%s %s", names->str, offered->media);
  if (!proto_is_plain_rtp (offered->proto))
    g_string_append_printf (what, " over %s", offered->proto);
}

static void
set_no_common_codec_error (const MtSdpSession *offer,
                           GError            **error)
{
  g_autoptr (GString) what = g_string_new (NULL);

  for (guint i = 0; i < offer->streams->len; i++) {
    const MtSdpStream *offered = g_ptr_array_index (offer->streams, i);

    if (offered->port != 0 && offered->kind != MT_SDP_MEDIA_OTHER)
      describe_offered (what, offered);
  }

  if (what->len == 0)
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC,
                         "The caller offered no audio or video stream this phone can use.");
  else
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC,
                 "The caller offered only %s, which this phone cannot use.", what->str);
}

MtSdpSession *
mt_sdp_build_answer (const MtSdpSession *offer,
                     const MtSdpLocal   *local,
                     guint64             session_id,
                     GError            **error)
{
  g_autoptr (MtSdpSession) answer = NULL;
  gboolean have_audio = FALSE, have_video = FALSE, not_encrypted = FALSE;

  g_return_val_if_fail (offer != NULL, NULL);
  g_return_val_if_fail (local != NULL, NULL);
  g_return_val_if_fail (local->address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  answer = session_for_local (local, session_id);
  for (guint i = 0; offer->streams != NULL && i < offer->streams->len; i++) {
    const MtSdpStream *offered = g_ptr_array_index (offer->streams, i);
    gboolean *have = offered->kind == MT_SDP_MEDIA_VIDEO ? &have_video : &have_audio;
    MtSdpStream *stream = NULL;

    if (offered->kind != MT_SDP_MEDIA_OTHER && !*have)
      stream = accept_stream (offered, local, &not_encrypted);
    if (stream != NULL)
      *have = TRUE;
    else
      stream = declined_stream (offered, local);
    g_ptr_array_add (answer->streams, stream);
  }

  if (!have_audio && !have_video && not_encrypted) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED,
                         "The other phone does not support encrypted calls.");
    return NULL;
  }
  if (!have_audio && !have_video) {
    set_no_common_codec_error (offer, error);
    return NULL;
  }

  return g_steal_pointer (&answer);
}

/* ------------------------------------------------------------------------
 * Negotiation
 */

MtSdpNegotiated *
mt_sdp_negotiated_copy (const MtSdpNegotiated *n)
{
  MtSdpNegotiated *copy;

  g_return_val_if_fail (n != NULL, NULL);

  copy = g_memdup2 (n, sizeof *n);
  copy->remote_address = g_strdup (n->remote_address);
  copy->remote_rtcp_address = g_strdup (n->remote_rtcp_address);
  copy->send_codec = n->send_codec != NULL ? mt_sdp_codec_copy (n->send_codec) : NULL;
  copy->recv_codec = n->recv_codec != NULL ? mt_sdp_codec_copy (n->recv_codec) : NULL;
  copy->remote_ice = n->remote_ice != NULL ? mt_sdp_ice_copy (n->remote_ice) : NULL;
  copy->send_crypto = n->send_crypto != NULL ? mt_sdp_crypto_copy (n->send_crypto) : NULL;
  copy->recv_crypto = n->recv_crypto != NULL ? mt_sdp_crypto_copy (n->recv_crypto) : NULL;
  copy->remote_fingerprint = g_strdup (n->remote_fingerprint);

  return copy;
}

void
mt_sdp_negotiated_free (MtSdpNegotiated *n)
{
  if (n == NULL)
    return;

  g_free (n->remote_address);
  g_free (n->remote_rtcp_address);
  mt_sdp_codec_free (n->send_codec);
  mt_sdp_codec_free (n->recv_codec);
  mt_sdp_ice_free (n->remote_ice);
  mt_sdp_crypto_free (n->send_crypto);
  mt_sdp_crypto_free (n->recv_crypto);
  g_free (n->remote_fingerprint);
  g_free (n);
}

/* The answer's choice: its first non-DTMF codec that was offered. *offer_codec
 * and *answer_codec point into the streams. FALSE (with error) when the answer
 * only has codecs that were never offered. */
static gboolean
match_answer_codec (const MtSdpStream  *offered,
                    const MtSdpStream  *answered,
                    gboolean            dtmf,
                    const MtSdpCodec  **offer_codec,
                    const MtSdpCodec  **answer_codec,
                    guint               index,
                    GError            **error)
{
  const MtSdpCodec *first_unknown = NULL;

  *offer_codec = *answer_codec = NULL;
  for (guint i = 0; i < answered->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (answered->codecs, i);
    const MtSdpCodec *match;

    if (codec_is_dtmf (codec) != dtmf || mt_sdp_codec_is_rtx (codec))
      continue;
    match = find_matching_codec (offered->codecs, codec);
    if (match != NULL) {
      *offer_codec = match;
      *answer_codec = codec;
      return TRUE;
    }
    if (first_unknown == NULL)
      first_unknown = codec;
  }

  if (first_unknown != NULL && !dtmf) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_MISMATCH,
                 "The answer picked %s (payload type %u) for media stream %u, which was not offered.",
                 first_unknown->name != NULL && *first_unknown->name != '\0' ?
                   first_unknown->name : "an unnamed format",
                 first_unknown->pt, index);
    return FALSE;
  }
  return TRUE;
}

/* Several telephone-events in both (8000 and 48000, say): the one at the
 * audio codec's clock rate (RFC 4733 7.1.1), if the answer has it */
static void
match_dtmf_at_rate (const MtSdpStream  *offered,
                    const MtSdpStream  *answered,
                    guint               clock_rate,
                    const MtSdpCodec  **offer_codec,
                    const MtSdpCodec  **answer_codec)
{
  for (guint i = 0; i < answered->codecs->len; i++) {
    const MtSdpCodec *codec = g_ptr_array_index (answered->codecs, i);
    const MtSdpCodec *match;

    if (!codec_is_dtmf (codec) || codec->clock_rate != clock_rate)
      continue;
    match = find_matching_codec (offered->codecs, codec);
    if (match != NULL) {
      *offer_codec = match;
      *answer_codec = codec;
      return;
    }
  }
}

/* RTCP goes to the RTP port only when both sides signalled a=rtcp-mux
 * (RFC 5761); our answers do only with ICE. */
static void
negotiated_set_remote (MtSdpNegotiated    *n,
                       const MtSdpSession *remote_sdp,
                       const MtSdpStream  *remote,
                       const MtSdpStream  *local,
                       gboolean            is_offerer)
{
  const char *address = remote->address != NULL ? remote->address : remote_sdp->address;
  gboolean mux = remote->rtcp_mux && local->rtcp_mux;

  n->remote_address = g_strdup (address);
  n->remote_rtp_port = remote->port;
  n->remote_rtcp_port = mux ? remote->port :
                        remote->rtcp_port != 0 ? remote->rtcp_port : remote->port + 1;
  n->remote_rtcp_address = g_strdup (remote->rtcp_address != NULL ? remote->rtcp_address : address);
  n->rtcp_mux = mux;
  if (remote->ice != NULL && local->ice != NULL)
    {
      n->remote_ice = mt_sdp_ice_copy (remote->ice);
      /* RFC 8445 6.1.1: the full agent facing a lite one controls; else the offerer */
      n->ice_controlling = remote->ice->lite ? TRUE : local->ice->lite ? FALSE : is_offerer;
    }
}

/* Retransmission only when the offer and the answer both list rtx for the
 * chosen codec (RFC 4588 section 8.6) */
static void
negotiated_set_rtx (MtSdpNegotiated   *n,
                    const MtSdpStream *offered,
                    const MtSdpStream *answered,
                    const MtSdpCodec  *oc,
                    const MtSdpCodec  *ac,
                    gboolean           is_offerer)
{
  const MtSdpCodec *ortx = mt_sdp_stream_get_rtx_codec (offered, oc->pt);
  const MtSdpCodec *artx = mt_sdp_stream_get_rtx_codec (answered, ac->pt);

  if (offered->kind != MT_SDP_MEDIA_VIDEO || ortx == NULL || artx == NULL)
    return;
  n->send_rtx_pt = is_offerer ? artx->pt : ortx->pt;
  n->recv_rtx_pt = is_offerer ? ortx->pt : artx->pt;
}

static const MtSdpCrypto *
crypto_with_tag (const GPtrArray *lines, guint tag)
{
  for (guint i = 0; lines != NULL && i < lines->len; i++) {
    const MtSdpCrypto *line = g_ptr_array_index (lines, i);

    if (line->tag == tag)
      return line;
  }
  return NULL;
}

/* SDES: the answer's line (its first usable one) and the offer's line with
 * the same tag and suite */
static gboolean
negotiate_sdes (MtSdpNegotiated   *n,
                const MtSdpStream *offered,
                const MtSdpStream *answered,
                gboolean           is_offerer)
{
  const MtSdpCrypto *answer_line = NULL, *offer_line;

  for (guint i = 0; i < answered->crypto->len && answer_line == NULL; i++)
    if (((MtSdpCrypto *) g_ptr_array_index (answered->crypto, i))->usable)
      answer_line = g_ptr_array_index (answered->crypto, i);
  if (answer_line == NULL)
    return FALSE;
  offer_line = crypto_with_tag (offered->crypto, answer_line->tag);
  if (offer_line == NULL || !offer_line->usable || offer_line->suite != answer_line->suite)
    return FALSE;
  n->srtp = MT_SRTP_SDES;
  n->send_crypto = mt_sdp_crypto_copy (is_offerer ? offer_line : answer_line);
  n->recv_crypto = mt_sdp_crypto_copy (is_offerer ? answer_line : offer_line);
  return TRUE;
}

/* DTLS when both gave a fingerprint, else SDES when both gave keys that
 * match; a secure-only profile (RTP/SAVP, UDP/TLS/RTP/SAVP) that ends up
 * with neither fails: the media would go in clear */
static gboolean
negotiate_security (MtSdpNegotiated   *n,
                    const MtSdpStream *offered,
                    const MtSdpStream *answered,
                    gboolean           is_offerer,
                    guint              index,
                    GError           **error)
{
  const MtSdpStream *remote = is_offerer ? answered : offered;
  const MtSdpStream *local = is_offerer ? offered : answered;

  if (local->fingerprint != NULL && remote->fingerprint != NULL) {
    n->srtp = MT_SRTP_DTLS;
    n->remote_fingerprint = g_strdup (remote->fingerprint);
    /* the active side is the DTLS client */
    n->dtls_client = is_offerer ? answered->setup == MT_SDP_SETUP_PASSIVE
                                : answered->setup == MT_SDP_SETUP_ACTIVE;
    return TRUE;
  }
  if (local->crypto->len > 0 && remote->crypto->len > 0 &&
      negotiate_sdes (n, offered, answered, is_offerer))
    return TRUE;
  if (mt_sdp_proto_security (offered->proto) > 0) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED,
                 "Media stream %u was to be encrypted, but no keys were agreed: "
                 "the other phone does not support encrypted calls.", index);
    return FALSE;
  }
  return TRUE;
}

static MtSdpNegotiated *
negotiate_stream (const MtSdpStream  *offered,
                  const MtSdpStream  *answered,
                  const MtSdpSession *remote_sdp,
                  gboolean            is_offerer,
                  guint               index,
                  GError            **error)
{
  g_autoptr (MtSdpNegotiated) n = g_new0 (MtSdpNegotiated, 1);
  const MtSdpStream *local = is_offerer ? offered : answered;
  const MtSdpStream *remote = is_offerer ? answered : offered;
  const MtSdpCodec *oc, *ac, *odtmf, *adtmf;

  n->kind = offered->kind;
  n->direction = MT_SDP_INACTIVE;

  if (g_ascii_strcasecmp (offered->media, answered->media) != 0) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_MISMATCH,
                 "Media stream %u is %s in the offer but %s in the answer.",
                 index, offered->media, answered->media);
    return NULL;
  }
  if (offered->kind == MT_SDP_MEDIA_OTHER || offered->port == 0 || answered->port == 0)
    return g_steal_pointer (&n);

  if (!match_answer_codec (offered, answered, FALSE, &oc, &ac, index, error) ||
      !match_answer_codec (offered, answered, TRUE, &odtmf, &adtmf, index, error))
    return NULL;
  if (oc != NULL && odtmf != NULL && odtmf->clock_rate != oc->clock_rate)
    match_dtmf_at_rate (offered, answered, oc->clock_rate, &odtmf, &adtmf);
  if (oc == NULL || (remote->address == NULL && remote_sdp->address == NULL))
    return g_steal_pointer (&n);

  n->enabled = TRUE;
  n->send_codec = mt_sdp_codec_copy (is_offerer ? ac : oc);
  n->recv_codec = mt_sdp_codec_copy (is_offerer ? oc : ac);
  /* the name as our SDP spells it, whatever case the peer used */
  g_free (n->send_codec->name);
  n->send_codec->name = g_strdup (n->recv_codec->name);
  if (odtmf != NULL) {
    n->send_dtmf_pt = is_offerer ? adtmf->pt : odtmf->pt;
    n->recv_dtmf_pt = is_offerer ? odtmf->pt : adtmf->pt;
    n->dtmf_clock_rate = odtmf->clock_rate;
  }
  n->direction = direction_intersect_peer (local->direction, remote->direction);
  negotiated_set_remote (n, remote_sdp, remote, local, is_offerer);
  negotiated_set_rtx (n, offered, answered, oc, ac, is_offerer);
  n->remote_max_kbps = mt_sdp_stream_get_max_kbps (remote);
  if (!negotiate_security (n, offered, answered, is_offerer, index, error))
    return NULL;

  return g_steal_pointer (&n);
}

GPtrArray *
mt_sdp_negotiate (const MtSdpSession *local_sdp,
                  const MtSdpSession *remote_sdp,
                  gboolean            is_offerer,
                  GError            **error)
{
  g_autoptr (GPtrArray) result = NULL;
  const MtSdpSession *offer, *answer;
  gboolean any_enabled = FALSE;

  g_return_val_if_fail (local_sdp != NULL && local_sdp->streams != NULL, NULL);
  g_return_val_if_fail (remote_sdp != NULL && remote_sdp->streams != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  offer = is_offerer ? local_sdp : remote_sdp;
  answer = is_offerer ? remote_sdp : local_sdp;
  if (answer->streams->len != offer->streams->len) {
    g_set_error (error, MT_SDP_ERROR, MT_SDP_ERROR_MISMATCH,
                 "The answer has %u media streams but the offer had %u.",
                 answer->streams->len, offer->streams->len);
    return NULL;
  }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_negotiated_free);
  for (guint i = 0; i < offer->streams->len; i++) {
    MtSdpNegotiated *n = negotiate_stream (g_ptr_array_index (offer->streams, i),
                                           g_ptr_array_index (answer->streams, i),
                                           remote_sdp, is_offerer, i + 1, error);

    if (n == NULL)
      return NULL;
    any_enabled |= n->enabled;
    g_ptr_array_add (result, n);
  }

  if (!any_enabled) {
    g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC,
                         "No audio or video stream could be agreed on.");
    return NULL;
  }

  return g_steal_pointer (&result);
}
