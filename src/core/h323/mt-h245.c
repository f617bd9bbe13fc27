/* mt-h245.c: OpenLogicalChannel and Fast Connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-h323"

#include <string.h>
#include <arpa/inet.h>

#include "mt-h245.h"
#include "mt-per.h"

G_DEFINE_QUARK (mt-h245-error-quark, mt_h245_error)

/* H.241: {itu-t recommendation h 241 specificVideoCodecCapabilities h264 generic-capabilities} */
static const guint32 h264_cap_oid[] = { 0, 0, 8, 241, 0, 0, 1 };
/* H.241 RTP payload descriptors: ... h264 iPpacketization(0) single NAL(0) / non-interleaved(1) */
static const guint32 h264_packetization_oid[] = { 0, 0, 8, 241, 0, 0, 0 };
#define H241_PROFILE          41
#define H241_LEVEL            42
#define H241_PROFILE_BASELINE 64
#define H241_LEVEL_3_1        71
#define AUDIO_FRAMES          20
#define VIDEO_MAX_BITRATE     8000    /* 800 kbit/s in 100 bit/s */
#define MAX_GENERIC_DEPTH     4
#define MAX_LIST              64

/* ---- encoding --------------------------------------------------------------- */

static void
put_address (MtPerWriter *w, const MtH245Address *a)
{
  mt_per_put_choice (w, 0, 2, TRUE);       /* unicastAddress */
  mt_per_put_choice (w, 0, 5, TRUE);       /* iPAddress */
  mt_per_put_bool (w, FALSE);
  mt_per_put_octets (w, a->ip, 4, 4, 4);
  mt_per_put_constrained (w, a->port, 0, 65535);
}

static void
put_generic_parameter (MtPerWriter *w, guint id, guint value_kind, guint value)
{
  mt_per_put_bool (w, FALSE);              /* no extensions */
  mt_per_put_bool (w, FALSE);              /* no supersedes */
  mt_per_put_choice (w, 0, 4, TRUE);       /* standard */
  mt_per_put_constrained (w, id, 0, 127);
  mt_per_put_choice (w, value_kind, 8, TRUE);
  if (value_kind == 1)                     /* booleanArray */
    mt_per_put_constrained (w, value, 0, 255);
  else                                     /* unsignedMin / unsignedMax */
    mt_per_put_constrained (w, value, 0, 65535);
}

static void
put_h264_capability (MtPerWriter *w, const MtH245Channel *c)
{
  mt_per_put_bool (w, FALSE);
  /* maxBitRate, collapsing, nonCollapsing, nonCollapsingRaw, transport */
  mt_per_put_bits (w, 0x18, 5);
  mt_per_put_choice (w, 0, 4, TRUE);       /* standard */
  mt_per_put_oid (w, h264_cap_oid, G_N_ELEMENTS (h264_cap_oid));
  mt_per_put_constrained (w, c->max_bitrate ? c->max_bitrate : VIDEO_MAX_BITRATE, 0, G_MAXUINT32);
  mt_per_put_length (w, 2);
  put_generic_parameter (w, H241_PROFILE, 1, H241_PROFILE_BASELINE);
  put_generic_parameter (w, H241_LEVEL, 2, H241_LEVEL_3_1);
}

/* AudioCapability or VideoCapability (a CHOICE of either), no DataType around */
static void
put_media_capability (MtPerWriter *w, const MtH245Channel *c)
{
  MtPerWriter inner;

  if (c->cap == MT_H245_CAP_H264)
    {
      mt_per_put_choice (w, 5, 5, TRUE);   /* genericVideoCapability */
      mt_per_writer_init (&inner);
      put_h264_capability (&inner, c);
      mt_per_put_open (w, &inner);
      mt_per_writer_clear (&inner);
      return;
    }
  mt_per_put_choice (w, c->cap == MT_H245_CAP_G711_ALAW ? 1 :
                        c->cap == MT_H245_CAP_G711_ULAW ? 3 : 5, 14, TRUE);
  mt_per_put_constrained (w, c->frames ? c->frames : AUDIO_FRAMES, 1, 256);
}

static gboolean
is_media_cap (MtH245Cap cap)
{
  return cap == MT_H245_CAP_G711_ULAW || cap == MT_H245_CAP_G711_ALAW ||
         cap == MT_H245_CAP_G722 || cap == MT_H245_CAP_H264;
}

static void
put_data_type (MtPerWriter *w, const MtH245Channel *c, gboolean null_data)
{
  if (null_data || !is_media_cap (c->cap))
    {
      mt_per_put_choice (w, 1, 6, TRUE);   /* nullData */
      return;
    }
  mt_per_put_choice (w, c->cap == MT_H245_CAP_H264 ? 2 : 3, 6, TRUE); /* videoData, audioData */
  put_media_capability (w, c);
}

/* H2250LogicalChannelParameters; `full`: with addresses and payload type */
static void
put_h2250 (MtPerWriter *w, const MtH245Channel *c, gboolean full)
{
  gboolean h264 = full && c->cap == MT_H245_CAP_H264;
  gboolean has_media = full && c->media.set;
  gboolean has_control = full && c->control.set;
  gboolean dynamic = full && c->payload_type >= 96 && c->payload_type <= 127;

  mt_per_put_bool (w, FALSE);
  /* nonStandard, associatedSessionID, mediaChannel, mediaGuaranteedDelivery,
   * mediaControlChannel, mediaControlGuaranteedDelivery, silenceSuppression,
   * destination, dynamicRTPPayloadType, mediaPacketization */
  mt_per_put_bits (w, 0, 2);
  mt_per_put_bool (w, has_media);
  mt_per_put_bool (w, FALSE);
  mt_per_put_bool (w, has_control);
  mt_per_put_bits (w, 0, 3);
  mt_per_put_bool (w, dynamic);
  mt_per_put_bool (w, h264);
  mt_per_put_constrained (w, c->session_id, 0, 255);
  if (has_media)
    put_address (w, &c->media);
  if (has_control)
    put_address (w, &c->control);
  if (dynamic)
    mt_per_put_constrained (w, c->payload_type, 96, 127);
  if (h264)
    {
      MtPerWriter inner;
      guint32 oid[G_N_ELEMENTS (h264_packetization_oid) + 1];

      memcpy (oid, h264_packetization_oid, sizeof h264_packetization_oid);
      oid[G_N_ELEMENTS (h264_packetization_oid)] = c->packetization ? 1 : 0;
      mt_per_put_choice (w, 1, 1, TRUE);   /* rtpPayloadType */
      mt_per_writer_init (&inner);
      mt_per_put_bool (&inner, FALSE);
      mt_per_put_bool (&inner, TRUE);      /* payloadType */
      mt_per_put_choice (&inner, 2, 3, TRUE); /* oid */
      mt_per_put_oid (&inner, oid, G_N_ELEMENTS (oid));
      mt_per_put_constrained (&inner, c->payload_type, 0, 127);
      mt_per_put_open (w, &inner);
      mt_per_writer_clear (&inner);
    }
}

static void
put_h2250_open (MtPerWriter *w, const MtH245Channel *c, gboolean full)
{
  MtPerWriter inner;

  mt_per_writer_init (&inner);
  put_h2250 (&inner, c, full);
  mt_per_put_open (w, &inner);
  mt_per_writer_clear (&inner);
}

GBytes *
mt_h245_olc_encode (const MtH245Channel *c)
{
  MtPerWriter w;
  GBytes *out;

  g_return_val_if_fail (c != NULL, NULL);

  mt_per_writer_init (&w);
  mt_per_put_bool (&w, FALSE);                    /* no extensions */
  mt_per_put_bool (&w, c->reverse);               /* reverseLogicalChannelParameters */
  mt_per_put_constrained (&w, c->number, 1, 65535);
  /* forwardLogicalChannelParameters */
  mt_per_put_bool (&w, FALSE);
  mt_per_put_bool (&w, FALSE);                    /* portNumber */
  put_data_type (&w, c, c->reverse);
  mt_per_put_choice (&w, 3, 3, TRUE);             /* h2250LogicalChannelParameters */
  put_h2250_open (&w, c, !c->reverse);
  if (c->reverse)
    {
      mt_per_put_bool (&w, FALSE);
      mt_per_put_bool (&w, TRUE);                 /* multiplexParameters */
      put_data_type (&w, c, FALSE);
      mt_per_put_choice (&w, 2, 2, TRUE);         /* h2250LogicalChannelParameters */
      put_h2250_open (&w, c, TRUE);
    }
  out = mt_per_writer_finish (&w);
  mt_per_writer_clear (&w);
  return out;
}

/* ---- decoding --------------------------------------------------------------- */

static void
skip_extensions (MtPerReader *r, gboolean ext)
{
  gboolean present[64];
  guint n;

  if (!ext)
    return;
  n = mt_per_get_ext_bitmap (r, present, 64);
  for (guint i = 0; i < n && !r->failed; i++)
    if (present[i])
      mt_per_skip_open (r);
}

static void
skip_nonstandard (MtPerReader *r)
{
  guint32 arcs[32];
  gsize len;

  if (mt_per_get_choice (r, 2, FALSE) == 0)
    mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));
  else
    {
      mt_per_get_constrained (r, 0, 255);
      mt_per_get_constrained (r, 0, 255);
      mt_per_get_constrained (r, 0, 65535);
    }
  g_free (mt_per_get_octets (r, 0, G_MAXSIZE, &len));
}

static void
get_address (MtPerReader *r, MtH245Address *a)
{
  gsize len;

  memset (a, 0, sizeof *a);
  if (mt_per_get_choice (r, 2, TRUE) != 0)
    {
      mt_per_fail (r, "only unicast addresses are supported");
      return;
    }
  switch (mt_per_get_choice (r, 5, TRUE))
    {
    case 0:
      {
        gboolean ext = mt_per_get_bool (r);
        g_autofree guint8 *ip = mt_per_get_octets (r, 4, 4, &len);

        a->port = (guint16) mt_per_get_constrained (r, 0, 65535);
        skip_extensions (r, ext);
        if (ip && !r->failed)
          {
            memcpy (a->ip, ip, 4);
            a->set = TRUE;
          }
      }
      break;
    case 2:                                         /* iP6Address: read, unusable here */
      {
        gboolean ext = mt_per_get_bool (r);

        g_free (mt_per_get_octets (r, 16, 16, &len));
        mt_per_get_constrained (r, 0, 65535);
        skip_extensions (r, ext);
      }
      break;
    default:
      mt_per_fail (r, "unsupported unicast address");
      break;
    }
}

static gboolean
oid_equal (const guint32 *a, guint n_a, const guint32 *b, guint n_b)
{
  return n_a == n_b && memcmp (a, b, n_a * sizeof *a) == 0;
}

static void get_generic_parameters (MtPerReader *r, MtH245Channel *c, guint depth);

static guint
get_parameter_identifier (MtPerReader *r)
{
  gsize len;
  guint id = G_MAXUINT;

  switch (mt_per_get_choice (r, 4, TRUE))
    {
    case 0: id = (guint) mt_per_get_constrained (r, 0, 127); break;
    case 1: skip_nonstandard (r); break;
    case 2: g_free (mt_per_get_octets (r, 16, 16, &len)); break;
    case 3: g_free (mt_per_get_ia5 (r, 1, 64, NULL)); break;
    default: mt_per_skip_open (r); break;
    }
  return id;
}

static void
get_generic_parameter (MtPerReader *r, MtH245Channel *c, guint depth)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean supersedes = mt_per_get_bool (r);
  gsize len;

  get_parameter_identifier (r);
  switch (mt_per_get_choice (r, 8, TRUE))
    {
    case 0: break;
    case 1: mt_per_get_constrained (r, 0, 255); break;
    case 2:
    case 3: mt_per_get_constrained (r, 0, 65535); break;
    case 4:
    case 5: mt_per_get_constrained (r, 0, G_MAXUINT32); break;
    case 6: g_free (mt_per_get_octets (r, 0, G_MAXSIZE, &len)); break;
    case 7: get_generic_parameters (r, c, depth + 1); break;
    default: mt_per_skip_open (r); break;
    }
  if (supersedes)
    {
      gsize n = mt_per_get_length (r);

      for (gsize i = 0; i < n && !r->failed; i++)
        get_parameter_identifier (r);
    }
  skip_extensions (r, ext);
}

static void
get_generic_parameters (MtPerReader *r, MtH245Channel *c, guint depth)
{
  gsize n = mt_per_get_length (r);

  if (depth > MAX_GENERIC_DEPTH || n > MAX_LIST)
    {
      mt_per_fail (r, "generic parameters nested too deep or too many");
      return;
    }
  for (gsize i = 0; i < n && !r->failed; i++)
    get_generic_parameter (r, c, depth);
}

static void
get_generic_capability (MtPerReader *r, MtH245Channel *c)
{
  gboolean ext = mt_per_get_bool (r);
  guint opt = (guint) mt_per_get_bits (r, 5);
  guint32 arcs[32];
  guint n;
  gsize len;

  c->cap = MT_H245_CAP_UNKNOWN;
  switch (mt_per_get_choice (r, 4, TRUE))
    {
    case 0:
      n = mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));
      if (oid_equal (arcs, n, h264_cap_oid, G_N_ELEMENTS (h264_cap_oid)))
        c->cap = MT_H245_CAP_H264;
      break;
    case 1: skip_nonstandard (r); break;
    case 2: g_free (mt_per_get_octets (r, 16, 16, &len)); break;
    case 3: g_free (mt_per_get_ia5 (r, 1, 64, NULL)); break;
    default: mt_per_skip_open (r); break;
    }
  if (opt & 0x10)
    c->max_bitrate = (guint) mt_per_get_constrained (r, 0, G_MAXUINT32);
  if (opt & 0x08)
    get_generic_parameters (r, c, 0);
  if (opt & 0x04)
    get_generic_parameters (r, c, 0);
  if (opt & 0x02)
    g_free (mt_per_get_octets (r, 0, G_MAXSIZE, &len));
  if (opt & 0x01)
    {
      mt_per_fail (r, "generic capability transport is not supported");
      return;
    }
  skip_extensions (r, ext);
}

static void
get_audio_capability (MtPerReader *r, MtH245Channel *c)
{
  guint index = mt_per_get_choice (r, 14, TRUE);

  c->cap = MT_H245_CAP_UNKNOWN;
  switch (index)
    {
    case 0:
      skip_nonstandard (r);
      break;
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 9: case 10: case 11:
      c->frames = (guint) mt_per_get_constrained (r, 1, 256);
      if (index == 1)
        c->cap = MT_H245_CAP_G711_ALAW;
      else if (index == 3)
        c->cap = MT_H245_CAP_G711_ULAW;
      else if (index == 5)
        c->cap = MT_H245_CAP_G722;
      break;
    case 8:                                          /* g7231 */
      mt_per_get_constrained (r, 1, 256);
      mt_per_get_bool (r);
      break;
    default:
      if (index >= 14)
        mt_per_skip_open (r);
      else
        mt_per_fail (r, "unsupported audio capability");
      break;
    }
}

static void
get_video_capability (MtPerReader *r, MtH245Channel *c)
{
  MtPerReader inner;
  guint index = mt_per_get_choice (r, 5, TRUE);

  c->cap = MT_H245_CAP_UNKNOWN;
  if (index == 5 && mt_per_get_open (r, &inner))
    {
      get_generic_capability (&inner, c);
      if (inner.failed)
        mt_per_fail (r, inner.error);
    }
  else if (index > 5)
    mt_per_skip_open (r);
  else if (index == 0)
    skip_nonstandard (r);
  else
    mt_per_fail (r, "unsupported video capability");
}

static void
get_data_type (MtPerReader *r, MtH245Channel *c)
{
  guint index = mt_per_get_choice (r, 6, TRUE);

  switch (index)
    {
    case 0:
      skip_nonstandard (r);
      c->cap = MT_H245_CAP_UNKNOWN;
      break;
    case 1:
      c->cap = MT_H245_CAP_NULL;
      break;
    case 2:
      get_video_capability (r, c);
      break;
    case 3:
      get_audio_capability (r, c);
      break;
    default:
      if (index >= 6)
        {
          mt_per_skip_open (r);
          c->cap = MT_H245_CAP_UNKNOWN;
        }
      else
        mt_per_fail (r, "unsupported data type");
      break;
    }
}

static void
get_rtp_payload_type (MtPerReader *r, MtH245Channel *c)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_pt = mt_per_get_bool (r);
  guint32 arcs[32];
  guint n;

  switch (mt_per_get_choice (r, 3, TRUE))
    {
    case 0: skip_nonstandard (r); break;
    case 1:
      if (mt_per_get_bool (r))
        mt_per_get_semi (r, 0);
      else
        mt_per_get_constrained (r, 1, 32768);
      break;
    case 2:
      n = mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));
      if (n == G_N_ELEMENTS (h264_packetization_oid) + 1 &&
          memcmp (arcs, h264_packetization_oid, sizeof h264_packetization_oid) == 0)
        c->packetization = arcs[n - 1];
      break;
    default: mt_per_skip_open (r); break;
    }
  if (has_pt)
    {
      guint pt = (guint) mt_per_get_constrained (r, 0, 127);

      if (c->payload_type == 0)
        c->payload_type = pt;
    }
  skip_extensions (r, ext);
}

static void
get_h2250 (MtPerReader *r, MtH245Channel *c)
{
  gboolean ext = mt_per_get_bool (r);
  guint opt = (guint) mt_per_get_bits (r, 10);

  if (opt & 0x200)
    {
      gsize n = mt_per_get_length (r);

      for (gsize i = 0; i < n && i < MAX_LIST && !r->failed; i++)
        skip_nonstandard (r);
      if (n > MAX_LIST)
        mt_per_fail (r, "too many non-standard parameters");
    }
  c->session_id = (guint) mt_per_get_constrained (r, 0, 255);
  if (opt & 0x100)
    mt_per_get_constrained (r, 1, 255);
  if (opt & 0x080)
    get_address (r, &c->media);
  if (opt & 0x040)
    mt_per_get_bool (r);
  if (opt & 0x020)
    get_address (r, &c->control);
  if (opt & 0x010)
    mt_per_get_bool (r);
  if (opt & 0x008)
    mt_per_get_bool (r);
  if (opt & 0x004)
    {
      gboolean label_ext = mt_per_get_bool (r);

      mt_per_get_constrained (r, 0, 192);
      mt_per_get_constrained (r, 0, 192);
      skip_extensions (r, label_ext);
    }
  if (opt & 0x002)
    c->payload_type = (guint) mt_per_get_constrained (r, 96, 127);
  if (opt & 0x001)
    {
      guint index = mt_per_get_choice (r, 1, TRUE);
      MtPerReader inner;

      if (index == 1 && mt_per_get_open (r, &inner))
        {
          get_rtp_payload_type (&inner, c);
          if (inner.failed)
            mt_per_fail (r, inner.error);
        }
      else if (index > 1)
        mt_per_skip_open (r);
    }
  skip_extensions (r, ext);
}

static void
get_h2250_open (MtPerReader *r, MtH245Channel *c)
{
  MtPerReader inner;

  if (!mt_per_get_open (r, &inner))
    return;
  get_h2250 (&inner, c);
  if (inner.failed)
    mt_per_fail (r, inner.error);
}

gboolean
mt_h245_olc_decode (const guint8 *data, gsize len, MtH245Channel *c, GError **error)
{
  MtPerReader r;
  gboolean ext, has_reverse, fwd_ext;
  guint index;
  MtH245Channel forward_half = { 0 };

  g_return_val_if_fail (c != NULL, FALSE);

  memset (c, 0, sizeof *c);
  mt_per_reader_init (&r, data, len);
  ext = mt_per_get_bool (&r);
  has_reverse = mt_per_get_bool (&r);
  c->number = (guint16) mt_per_get_constrained (&r, 1, 65535);
  fwd_ext = mt_per_get_bool (&r);
  if (mt_per_get_bool (&r))
    mt_per_get_constrained (&r, 0, 65535);
  get_data_type (&r, &forward_half);
  index = mt_per_get_choice (&r, 3, TRUE);
  if (index == 3)
    get_h2250_open (&r, &forward_half);
  else if (!r.failed)
    mt_per_fail (&r, "not an H.225.0 logical channel");
  skip_extensions (&r, fwd_ext);
  if (has_reverse)
    {
      gboolean rev_ext = mt_per_get_bool (&r);
      gboolean has_mux = mt_per_get_bool (&r);

      get_data_type (&r, c);
      if (has_mux)
        {
          index = mt_per_get_choice (&r, 2, TRUE);
          if (index == 2)
            get_h2250_open (&r, c);
          else if (!r.failed)
            mt_per_fail (&r, "not an H.225.0 logical channel");
        }
      skip_extensions (&r, rev_ext);
      c->reverse = forward_half.cap == MT_H245_CAP_NULL;
      if (!c->control.set)
        c->control = forward_half.control;
    }
  else
    {
      guint16 number = c->number;

      *c = forward_half;
      c->number = number;
    }
  skip_extensions (&r, ext);
  if (r.failed)
    {
      g_set_error (error, MT_H245_ERROR, MT_H245_ERROR_INVALID,
                   "The logical channel does not decode: %s", r.error);
      return FALSE;
    }
  if (has_reverse && !c->reverse)
    {
      g_set_error_literal (error, MT_H245_ERROR, MT_H245_ERROR_UNSUPPORTED,
                           "Bidirectional logical channels are not supported");
      return FALSE;
    }
  return TRUE;
}

const char *
mt_h245_cap_to_string (MtH245Cap cap)
{
  switch (cap)
    {
    case MT_H245_CAP_NULL: return "nullData";
    case MT_H245_CAP_G711_ULAW: return "PCMU";
    case MT_H245_CAP_G711_ALAW: return "PCMA";
    case MT_H245_CAP_G722: return "G722";
    case MT_H245_CAP_H264: return "H264";
    case MT_H245_CAP_UNKNOWN:
    default: return "unknown";
    }
}

/* ---- Fast Connect -------------------------------------------------------------- */

/* our codec as a capability, or UNKNOWN */
static MtH245Cap
cap_for_codec (const MtSdpCodec *codec, guint *packetization)
{
  *packetization = 0;
  if (g_ascii_strcasecmp (codec->name, "PCMU") == 0)
    return MT_H245_CAP_G711_ULAW;
  if (g_ascii_strcasecmp (codec->name, "PCMA") == 0)
    return MT_H245_CAP_G711_ALAW;
  if (g_ascii_strcasecmp (codec->name, "G722") == 0)
    return MT_H245_CAP_G722;
  if (g_ascii_strcasecmp (codec->name, "H264") == 0)
    {
      *packetization = mt_sdp_codec_get_h264_packetization_mode (codec);
      return MT_H245_CAP_H264;
    }
  return MT_H245_CAP_UNKNOWN;
}

static gboolean
local_ip (const MtSdpLocal *local, guint8 ip[4], GError **error)
{
  if (local->address == NULL || inet_pton (AF_INET, local->address, ip) != 1)
    {
      g_set_error (error, MT_H245_ERROR, MT_H245_ERROR_UNSUPPORTED,
                   "H.323 media needs an IPv4 address, not “%s”",
                   local->address ? local->address : "");
      return FALSE;
    }
  return TRUE;
}

static void
set_address (MtH245Address *a, const guint8 ip[4], guint port)
{
  a->set = TRUE;
  memcpy (a->ip, ip, 4);
  a->port = (guint16) port;
}

static void
propose_codecs (GPtrArray *out, GPtrArray *codecs, guint session, const guint8 ip[4],
                guint rtp_port, guint rtcp_port, guint16 *number)
{
  for (guint i = 0; codecs && i < codecs->len; i++)
    {
      const MtSdpCodec *codec = g_ptr_array_index (codecs, i);
      MtH245Channel c = { 0 };

      c.cap = cap_for_codec (codec, &c.packetization);
      if (c.cap == MT_H245_CAP_UNKNOWN)
        continue;
      c.session_id = session;
      c.payload_type = codec->pt;
      /* the channel we send on: our RTCP, where its receiver reports go */
      c.number = (*number)++;
      set_address (&c.control, ip, rtcp_port);
      g_ptr_array_add (out, mt_h245_olc_encode (&c));
      /* the channel we receive on: our RTP and RTCP */
      c.number = (*number)++;
      c.reverse = TRUE;
      set_address (&c.media, ip, rtp_port);
      g_ptr_array_add (out, mt_h245_olc_encode (&c));
    }
}

GPtrArray *
mt_fast_start_propose (const MtSdpLocal *local, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 ip[4];
  guint16 number = 1;

  g_return_val_if_fail (local != NULL, NULL);

  if (!local_ip (local, ip, error))
    return NULL;
  propose_codecs (out, local->audio_codecs, MT_H245_SESSION_AUDIO, ip,
                  local->audio_port, local->audio_rtcp_port, &number);
  if (local->video_port != 0)
    propose_codecs (out, local->video_codecs, MT_H245_SESSION_VIDEO, ip,
                    local->video_port, local->video_rtcp_port, &number);
  if (out->len == 0)
    {
      g_set_error_literal (error, MT_H245_ERROR, MT_H245_ERROR_NO_COMMON_CODEC,
                           "None of our codecs can be offered over H.323");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* our codec (a copy) for a capability, with payload number `pt` */
static MtSdpCodec *
local_codec_for (const MtSdpLocal *local, const MtH245Channel *c)
{
  GPtrArray *codecs = c->cap == MT_H245_CAP_H264 ? local->video_codecs : local->audio_codecs;

  for (guint i = 0; codecs && i < codecs->len; i++)
    {
      const MtSdpCodec *codec = g_ptr_array_index (codecs, i);
      guint packetization;

      if (cap_for_codec (codec, &packetization) == c->cap &&
          (c->cap != MT_H245_CAP_H264 || packetization == c->packetization))
        return mt_sdp_codec_copy (codec);
    }
  return NULL;
}

static guint
static_pt (MtH245Cap cap)
{
  switch (cap)
    {
    case MT_H245_CAP_G711_ULAW: return 0;
    case MT_H245_CAP_G711_ALAW: return 8;
    case MT_H245_CAP_G722: return 9;
    default: return 0;
    }
}

static guint
channel_pt (const MtH245Channel *c, const MtSdpCodec *codec)
{
  if (c->cap == MT_H245_CAP_H264)
    return c->payload_type >= 96 ? c->payload_type : codec->pt;
  return static_pt (c->cap);
}

static char *
address_string (const MtH245Address *a)
{
  return g_strdup_printf ("%u.%u.%u.%u", a->ip[0], a->ip[1], a->ip[2], a->ip[3]);
}

static MtSdpNegotiated *
negotiated_new (MtSdpMediaKind kind, MtSdpCodec *codec, guint send_pt, guint recv_pt,
                const MtH245Address *rtp, const MtH245Address *rtcp, MtSdpDirection direction)
{
  MtSdpNegotiated *n = g_new0 (MtSdpNegotiated, 1);

  n->kind = kind;
  n->enabled = TRUE;
  n->direction = direction;
  n->remote_address = address_string (rtp->set ? rtp : rtcp);
  n->remote_rtp_port = rtp->set ? rtp->port : 0;
  n->remote_rtcp_address = address_string (rtcp->set ? rtcp : rtp);
  n->remote_rtcp_port = rtcp->set ? rtcp->port : (rtp->set ? rtp->port + 1u : 0);
  n->send_codec = mt_sdp_codec_copy (codec);
  n->send_codec->pt = send_pt;
  n->recv_codec = codec;
  n->recv_codec->pt = recv_pt;
  return n;
}

static gboolean
decode_all (GPtrArray *list, GArray *channels, GError **error)
{
  for (guint i = 0; list && i < list->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (list, i), &len);
      MtH245Channel c;

      if (mt_h245_olc_decode (data, len, &c, &local_error))
        g_array_append_val (channels, c);
      else if (g_error_matches (local_error, MT_H245_ERROR, MT_H245_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* else: a channel we cannot take, like a proposal we do not support */
    }
  return TRUE;
}

/* callee: one session, returns the negotiated stream or NULL */
static MtSdpNegotiated *
answer_session (GArray *channels, const MtSdpLocal *local, guint session, const guint8 ip[4],
                guint rtp_port, guint rtcp_port, GPtrArray *answer)
{
  for (guint i = 0; i < channels->len; i++)
    {
      MtH245Channel *tx = &g_array_index (channels, MtH245Channel, i);
      g_autoptr(MtSdpCodec) codec = NULL;

      if (tx->reverse || tx->session_id != session || !(codec = local_codec_for (local, tx)))
        continue;
      for (guint j = 0; j < channels->len; j++)
        {
          MtH245Channel *rx = &g_array_index (channels, MtH245Channel, j);
          MtH245Channel ours;

          if (!rx->reverse || rx->session_id != session || rx->cap != tx->cap ||
              rx->packetization != tx->packetization || !rx->media.set)
            continue;
          /* the caller sends on tx: to our RTP */
          ours = *tx;
          set_address (&ours.media, ip, rtp_port);
          set_address (&ours.control, ip, rtcp_port);
          g_ptr_array_add (answer, mt_h245_olc_encode (&ours));
          /* we send on rx: to the caller's RTP, our RTCP */
          ours = *rx;
          set_address (&ours.control, ip, rtcp_port);
          g_ptr_array_add (answer, mt_h245_olc_encode (&ours));
          {
            guint send_pt = channel_pt (rx, codec);
            guint recv_pt = channel_pt (tx, codec);

            return negotiated_new (session == MT_H245_SESSION_VIDEO ? MT_SDP_MEDIA_VIDEO
                                                                    : MT_SDP_MEDIA_AUDIO,
                                   g_steal_pointer (&codec), send_pt, recv_pt,
                                   &rx->media, &rx->control, MT_SDP_SENDRECV);
          }
        }
    }
  return NULL;
}

GPtrArray *
mt_fast_start_answer (GPtrArray         *proposals,
                      const MtSdpLocal  *local,
                      GPtrArray        **answer,
                      GError           **error)
{
  g_autoptr(GArray) channels = g_array_new (FALSE, FALSE, sizeof (MtH245Channel));
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) negotiated =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_negotiated_free);
  MtSdpNegotiated *n;
  guint8 ip[4];

  g_return_val_if_fail (local != NULL && answer != NULL, NULL);

  if (!local_ip (local, ip, error) || !decode_all (proposals, channels, error))
    return NULL;
  if ((n = answer_session (channels, local, MT_H245_SESSION_AUDIO, ip, local->audio_port,
                           local->audio_rtcp_port, out)))
    g_ptr_array_add (negotiated, n);
  if (local->video_port != 0 &&
      (n = answer_session (channels, local, MT_H245_SESSION_VIDEO, ip, local->video_port,
                           local->video_rtcp_port, out)))
    g_ptr_array_add (negotiated, n);
  if (negotiated->len == 0)
    {
      g_set_error_literal (error, MT_H245_ERROR, MT_H245_ERROR_NO_COMMON_CODEC,
                           "The caller proposed no codec we can use");
      return NULL;
    }
  *answer = g_steal_pointer (&out);
  return g_steal_pointer (&negotiated);
}

GPtrArray *
mt_fast_start_accept (GPtrArray *answer, const MtSdpLocal *local, GError **error)
{
  g_autoptr(GArray) channels = g_array_new (FALSE, FALSE, sizeof (MtH245Channel));
  g_autoptr(GPtrArray) negotiated =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_negotiated_free);

  g_return_val_if_fail (local != NULL, NULL);

  if (!decode_all (answer, channels, error))
    return NULL;
  for (guint session = MT_H245_SESSION_AUDIO; session <= MT_H245_SESSION_VIDEO; session++)
    {
      MtH245Channel *tx = NULL, *rx = NULL;
      MtSdpCodec *codec;

      for (guint i = 0; i < channels->len; i++)
        {
          MtH245Channel *c = &g_array_index (channels, MtH245Channel, i);

          if (c->session_id != session)
            continue;
          if (!c->reverse && c->media.set && tx == NULL)
            tx = c;
          else if (c->reverse && rx == NULL)
            rx = c;
        }
      if (tx == NULL || !(codec = local_codec_for (local, tx)))
        continue;
      {
        guint send_pt = channel_pt (tx, codec);
        guint recv_pt = rx ? channel_pt (rx, codec) : send_pt;

        g_ptr_array_add (negotiated,
                         negotiated_new (session == MT_H245_SESSION_VIDEO ? MT_SDP_MEDIA_VIDEO
                                                                          : MT_SDP_MEDIA_AUDIO,
                                         codec, send_pt, recv_pt, &tx->media, &tx->control,
                                         rx ? MT_SDP_SENDRECV : MT_SDP_SENDONLY));
      }
    }
  if (negotiated->len == 0)
    {
      g_set_error_literal (error, MT_H245_ERROR, MT_H245_ERROR_NO_COMMON_CODEC,
                           "The called party accepted none of our codecs");
      return NULL;
    }
  return g_steal_pointer (&negotiated);
}

/* ---- H.245 procedures ------------------------------------------------------------ */

#define DTMF_SIGNALS     "0123456789#*ABCD!"
#define DTMF_DURATION_MS 100

/* {itu-t recommendation h 245 version 7} */
static const guint32 h245_oid[] = { 0, 0, 8, 245, 0, 7 };

void
mt_h245_message_clear (MtH245Message *m)
{
  g_clear_pointer (&m->caps, g_array_unref);
  memset (m, 0, sizeof *m);
}

static void
put_tcs (MtPerWriter *w, const MtH245Message *m)
{
  guint n = m->caps ? m->caps->len : 0;
  guint n_audio = 0;

  mt_per_put_bool (w, FALSE);
  mt_per_put_bool (w, FALSE);                  /* multiplexCapability */
  mt_per_put_bool (w, n > 0);                  /* capabilityTable */
  mt_per_put_bool (w, n > 0);                  /* capabilityDescriptors */
  mt_per_put_constrained (w, m->sequence, 0, 255);
  mt_per_put_oid (w, h245_oid, G_N_ELEMENTS (h245_oid));
  if (n == 0)
    return;
  mt_per_put_length_constrained (w, n, 1, 256);
  for (guint i = 0; i < n; i++)
    {
      const MtH245Channel *c = &g_array_index (m->caps, MtH245Channel, i);

      mt_per_put_bool (w, TRUE);               /* capability */
      mt_per_put_constrained (w, i + 1, 1, 65535);
      /* receiveVideoCapability, receiveAudioCapability */
      mt_per_put_choice (w, c->cap == MT_H245_CAP_H264 ? 1 : 4, 12, TRUE);
      put_media_capability (w, c);
      if (c->cap != MT_H245_CAP_H264)
        n_audio++;
    }
  /* one descriptor: one audio format and one video format at a time */
  mt_per_put_length_constrained (w, 1, 1, 256);
  mt_per_put_bool (w, TRUE);                   /* simultaneousCapabilities */
  mt_per_put_constrained (w, 0, 0, 255);
  mt_per_put_length_constrained (w, (n_audio > 0) + (n > n_audio), 1, 256);
  for (guint pass = 0; pass < 2; pass++)
    {
      guint count = pass == 0 ? n_audio : n - n_audio;

      if (count == 0)
        continue;
      mt_per_put_length_constrained (w, count, 1, 256);
      for (guint i = 0; i < n; i++)
        {
          const MtH245Channel *c = &g_array_index (m->caps, MtH245Channel, i);

          if ((c->cap == MT_H245_CAP_H264) == (pass == 1))
            mt_per_put_constrained (w, i + 1, 1, 65535);
        }
    }
}

static void
put_olc_ack (MtPerWriter *w, const MtH245Message *m)
{
  const MtH245Channel *c = &m->channel;
  gboolean present[3] = { FALSE, TRUE, FALSE };
  MtPerWriter inner;

  mt_per_put_bool (w, TRUE);                   /* extensions follow */
  mt_per_put_bool (w, FALSE);                  /* reverseLogicalChannelParameters */
  mt_per_put_constrained (w, c->number, 1, 65535);
  /* separateStack, forwardMultiplexAckParameters, encryptionSync */
  mt_per_put_ext_bitmap (w, present, 3);
  mt_per_writer_init (&inner);
  mt_per_put_choice (&inner, 0, 1, TRUE);      /* h2250LogicalChannelAckParameters */
  mt_per_put_bool (&inner, FALSE);
  /* nonStandard, sessionID, mediaChannel, mediaControlChannel, dynamicRTPPayloadType */
  mt_per_put_bool (&inner, FALSE);
  mt_per_put_bool (&inner, TRUE);
  mt_per_put_bool (&inner, c->media.set);
  mt_per_put_bool (&inner, c->control.set);
  mt_per_put_bool (&inner, FALSE);
  mt_per_put_constrained (&inner, MAX (c->session_id, 1), 1, 255);
  if (c->media.set)
    put_address (&inner, &c->media);
  if (c->control.set)
    put_address (&inner, &c->control);
  mt_per_put_open (w, &inner);
  mt_per_writer_clear (&inner);
}

GBytes *
mt_h245_message_encode (const MtH245Message *m)
{
  MtPerWriter w;
  MtPerWriter inner;
  GBytes *out;

  g_return_val_if_fail (m != NULL, NULL);

  mt_per_writer_init (&w);
  switch (m->type)
    {
    case MT_H245_MSG_TCS:
      mt_per_put_choice (&w, 0, 4, TRUE);      /* request */
      mt_per_put_choice (&w, 2, 11, TRUE);
      put_tcs (&w, m);
      break;
    case MT_H245_MSG_MSD:
      mt_per_put_choice (&w, 0, 4, TRUE);
      mt_per_put_choice (&w, 1, 11, TRUE);
      mt_per_put_bool (&w, FALSE);
      mt_per_put_constrained (&w, m->terminal_type, 0, 255);
      mt_per_put_constrained (&w, m->status_number & 0xffffff, 0, 16777215);
      break;
    case MT_H245_MSG_OLC:
      mt_per_put_choice (&w, 0, 4, TRUE);
      mt_per_put_choice (&w, 3, 11, TRUE);
      {
        g_autoptr(GBytes) olc = mt_h245_olc_encode (&m->channel);

        /* the OLC encoding is octet-aligned at its start: append it whole */
        mt_per_writer_init (&inner);
        g_byte_array_append (inner.bytes, g_bytes_get_data (olc, NULL), g_bytes_get_size (olc));
        mt_per_align (&w);
        g_byte_array_append (w.bytes, inner.bytes->data, inner.bytes->len);
        mt_per_writer_clear (&inner);
      }
      break;
    case MT_H245_MSG_TCS_ACK:
      mt_per_put_choice (&w, 1, 4, TRUE);      /* response */
      mt_per_put_choice (&w, 3, 19, TRUE);
      mt_per_put_bool (&w, FALSE);
      mt_per_put_constrained (&w, m->sequence, 0, 255);
      break;
    case MT_H245_MSG_MSD_ACK:
      mt_per_put_choice (&w, 1, 4, TRUE);
      mt_per_put_choice (&w, 1, 19, TRUE);
      mt_per_put_bool (&w, FALSE);
      mt_per_put_choice (&w, m->you_are_master ? 0 : 1, 2, FALSE);
      break;
    case MT_H245_MSG_OLC_ACK:
      mt_per_put_choice (&w, 1, 4, TRUE);
      mt_per_put_choice (&w, 5, 19, TRUE);
      put_olc_ack (&w, m);
      break;
    case MT_H245_MSG_OLC_REJECT:
      mt_per_put_choice (&w, 1, 4, TRUE);
      mt_per_put_choice (&w, 6, 19, TRUE);
      mt_per_put_bool (&w, FALSE);
      mt_per_put_constrained (&w, m->channel.number, 1, 65535);
      mt_per_put_choice (&w, 2, 6, TRUE);      /* dataTypeNotSupported */
      break;
    case MT_H245_MSG_USER_INPUT:
      mt_per_put_choice (&w, 3, 4, TRUE);      /* indication */
      mt_per_put_choice (&w, 13, 14, TRUE);    /* userInput */
      if (m->signal)
        {
          char digit[2] = { m->user_input, 0 };

          mt_per_put_choice (&w, 3, 2, TRUE);  /* signal */
          mt_per_writer_init (&inner);
          mt_per_put_bool (&inner, FALSE);
          mt_per_put_bits (&inner, 0x2, 2);    /* duration, no rtp */
          mt_per_put_ia5 (&inner, digit, 1, 1, DTMF_SIGNALS);
          mt_per_put_constrained (&inner, DTMF_DURATION_MS, 1, 65535);
          mt_per_put_open (&w, &inner);
          mt_per_writer_clear (&inner);
        }
      else
        {
          mt_per_put_choice (&w, 1, 2, TRUE);  /* alphanumeric: GeneralString */
          mt_per_put_octets (&w, (const guint8 *) &m->user_input, 1, 0, G_MAXSIZE);
        }
      break;
    case MT_H245_MSG_OTHER:
    default:
      g_return_val_if_reached ((mt_per_writer_clear (&w), NULL));
    }
  out = mt_per_writer_finish (&w);
  mt_per_writer_clear (&w);
  return out;
}

/* ---- decoding the procedures' messages ----------------------------------------------- */

static void
get_tcs (MtPerReader *r, MtH245Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_mux = mt_per_get_bool (r);
  gboolean has_table = mt_per_get_bool (r);
  gboolean has_descriptors = mt_per_get_bool (r);
  guint32 arcs[32];

  m->sequence = (guint) mt_per_get_constrained (r, 0, 255);
  mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));
  if (has_mux)
    {
      /* the H.225.0 multiplex capability: its contents do not matter here,
       * but it is not an open type; only its extension form can be skipped */
      guint index = mt_per_get_choice (r, 4, TRUE);

      if (index < 4)
        {
          mt_per_fail (r, "unsupported multiplex capability");
          return;
        }
      mt_per_skip_open (r);
    }
  m->caps = g_array_new (FALSE, TRUE, sizeof (MtH245Channel));
  if (has_table)
    {
      gsize n = mt_per_get_length_constrained (r, 1, 256);

      for (gsize i = 0; i < n && !r->failed; i++)
        {
          gboolean has_cap = mt_per_get_bool (r);
          MtH245Channel c = { 0 };
          guint index;

          c.number = (guint16) mt_per_get_constrained (r, 1, 65535);
          if (!has_cap)
            continue;
          index = mt_per_get_choice (r, 12, TRUE);
          if (index >= 1 && index <= 3)
            get_video_capability (r, &c);
          else if (index >= 4 && index <= 6)
            get_audio_capability (r, &c);
          else if (index >= 12)
            {
              mt_per_skip_open (r);
              continue;
            }
          else
            {
              /* data, encryption: cannot be skipped; what came before is kept */
              break;
            }
          /* transmit-only capabilities say nothing of what the peer receives */
          if (index == 2 || index == 5 || !is_media_cap (c.cap))
            continue;
          c.session_id = c.cap == MT_H245_CAP_H264 ? MT_H245_SESSION_VIDEO : MT_H245_SESSION_AUDIO;
          g_array_append_val (m->caps, c);
        }
    }
  /* capabilityDescriptors and extensions: not needed once the table is read */
  (void) has_descriptors;
  (void) ext;
}

static void
get_olc_ack (MtPerReader *r, MtH245Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_reverse = mt_per_get_bool (r);
  gboolean present[64];
  guint n;

  m->channel.number = (guint16) mt_per_get_constrained (r, 1, 65535);
  if (has_reverse)
    {
      mt_per_fail (r, "bidirectional channel acks are not supported");
      return;
    }
  if (!ext)
    return;
  n = mt_per_get_ext_bitmap (r, present, 64);
  for (guint i = 0; i < n && !r->failed; i++)
    {
      MtPerReader inner;

      if (!present[i])
        continue;
      if (i != 1)
        {
          mt_per_skip_open (r);
          continue;
        }
      if (!mt_per_get_open (r, &inner))
        return;
      if (mt_per_get_choice (&inner, 1, TRUE) == 0)
        {
          gboolean ack_ext = mt_per_get_bool (&inner);
          guint opt = (guint) mt_per_get_bits (&inner, 5);

          if (opt & 0x10)
            {
              gsize count = mt_per_get_length (&inner);

              for (gsize j = 0; j < count && j < MAX_LIST && !inner.failed; j++)
                skip_nonstandard (&inner);
            }
          if (opt & 0x08)
            m->channel.session_id = (guint) mt_per_get_constrained (&inner, 1, 255);
          if (opt & 0x04)
            get_address (&inner, &m->channel.media);
          if (opt & 0x02)
            get_address (&inner, &m->channel.control);
          if (opt & 0x01)
            m->channel.payload_type = (guint) mt_per_get_constrained (&inner, 96, 127);
          skip_extensions (&inner, ack_ext);
        }
      if (inner.failed)
        mt_per_fail (r, inner.error);
    }
}

static gboolean
is_dtmf (char c)
{
  return c != '\0' && strchr (DTMF_SIGNALS, c) != NULL;
}

static void
get_user_input (MtPerReader *r, MtH245Message *m)
{
  guint index = mt_per_get_choice (r, 2, TRUE);
  MtPerReader inner;

  m->type = MT_H245_MSG_OTHER;
  if (index == 1)
    {
      gsize len;
      g_autofree guint8 *text = mt_per_get_octets (r, 0, G_MAXSIZE, &len);

      /* one key a message is what phones send; more are taken as the first */
      if (text && len >= 1 && is_dtmf ((char) text[0]))
        {
          m->type = MT_H245_MSG_USER_INPUT;
          m->user_input = (char) text[0];
        }
    }
  else if (index == 3 && mt_per_get_open (r, &inner))
    {
      gboolean ext = mt_per_get_bool (&inner);
      guint opt = (guint) mt_per_get_bits (&inner, 2);
      g_autofree char *digit = mt_per_get_ia5 (&inner, 1, 1, DTMF_SIGNALS);

      (void) ext;
      (void) opt;                      /* duration, rtp: not needed */
      if (digit && !inner.failed)
        {
          m->type = MT_H245_MSG_USER_INPUT;
          m->user_input = digit[0];
          m->signal = TRUE;
        }
    }
  else if (index == 0)
    skip_nonstandard (r);
  else if (index >= 2)
    mt_per_skip_open (r);
}

gboolean
mt_h245_message_decode (const guint8 *data, gsize len, MtH245Message *m, GError **error)
{
  MtPerReader r;
  guint kind, index;

  g_return_val_if_fail (m != NULL, FALSE);

  memset (m, 0, sizeof *m);
  mt_per_reader_init (&r, data, len);
  kind = mt_per_get_choice (&r, 4, TRUE);
  if (kind == 0)
    {
      index = mt_per_get_choice (&r, 11, TRUE);
      switch (index)
        {
        case 1:
          {
            gboolean ext = mt_per_get_bool (&r);

            m->type = MT_H245_MSG_MSD;
            m->terminal_type = (guint) mt_per_get_constrained (&r, 0, 255);
            m->status_number = (guint32) mt_per_get_constrained (&r, 0, 16777215);
            skip_extensions (&r, ext);
          }
          break;
        case 2:
          m->type = MT_H245_MSG_TCS;
          get_tcs (&r, m);
          break;
        case 3:
          {
            g_autoptr(GError) olc_error = NULL;

            mt_per_skip_align (&r);
            m->type = MT_H245_MSG_OLC;
            if (!r.failed &&
                !mt_h245_olc_decode (r.data + r.pos / 8, r.len - r.pos / 8, &m->channel, &olc_error))
              {
                /* a channel we cannot take is still an OLC: it gets a reject */
                if (g_error_matches (olc_error, MT_H245_ERROR, MT_H245_ERROR_INVALID))
                  mt_per_fail (&r, "bad OpenLogicalChannel");
                m->channel.cap = MT_H245_CAP_UNKNOWN;
                if (len > r.pos / 8 + 1)
                  {
                    MtPerReader n;

                    /* the channel number is still wanted for the reject */
                    mt_per_reader_init (&n, r.data + r.pos / 8, r.len - r.pos / 8);
                    mt_per_get_bool (&n);
                    mt_per_get_bool (&n);
                    m->channel.number = (guint16) mt_per_get_constrained (&n, 1, 65535);
                  }
              }
          }
          break;
        default:
          m->type = MT_H245_MSG_OTHER;
          break;
        }
    }
  else if (kind == 1)
    {
      index = mt_per_get_choice (&r, 19, TRUE);
      switch (index)
        {
        case 1:
          {
            gboolean ext = mt_per_get_bool (&r);

            m->type = MT_H245_MSG_MSD_ACK;
            m->you_are_master = mt_per_get_choice (&r, 2, FALSE) == 0;
            skip_extensions (&r, ext);
          }
          break;
        case 3:
          {
            gboolean ext = mt_per_get_bool (&r);

            m->type = MT_H245_MSG_TCS_ACK;
            m->sequence = (guint) mt_per_get_constrained (&r, 0, 255);
            skip_extensions (&r, ext);
          }
          break;
        case 5:
          m->type = MT_H245_MSG_OLC_ACK;
          get_olc_ack (&r, m);
          break;
        case 6:
          mt_per_get_bool (&r);
          m->type = MT_H245_MSG_OLC_REJECT;
          m->channel.number = (guint16) mt_per_get_constrained (&r, 1, 65535);
          break;
        default:
          m->type = MT_H245_MSG_OTHER;
          break;
        }
    }
  else if (kind == 3 && mt_per_get_choice (&r, 14, TRUE) == 13)
    get_user_input (&r, m);
  else
    m->type = MT_H245_MSG_OTHER;
  if (r.failed)
    {
      g_set_error (error, MT_H245_ERROR, MT_H245_ERROR_INVALID,
                   "The H.245 message does not decode: %s", r.error);
      g_clear_pointer (&m->caps, g_array_unref);
      return FALSE;
    }
  return TRUE;
}

/* ---- choices for the procedures ------------------------------------------------------ */

GArray *
mt_h245_local_caps (const MtSdpLocal *local)
{
  GArray *caps = g_array_new (FALSE, TRUE, sizeof (MtH245Channel));

  g_return_val_if_fail (local != NULL, caps);

  for (guint kind = 0; kind < 2; kind++)
    {
      GPtrArray *codecs = kind == 0 ? local->audio_codecs : local->video_codecs;

      if (kind == 1 && local->video_port == 0)
        break;
      for (guint i = 0; codecs && i < codecs->len; i++)
        {
          MtH245Channel c = { 0 };

          c.cap = cap_for_codec (g_ptr_array_index (codecs, i), &c.packetization);
          if (c.cap == MT_H245_CAP_UNKNOWN)
            continue;
          c.session_id = kind == 0 ? MT_H245_SESSION_AUDIO : MT_H245_SESSION_VIDEO;
          g_array_append_val (caps, c);
        }
    }
  return caps;
}

gboolean
mt_h245_choose_transmit (const MtSdpLocal *local,
                         GArray           *peer_caps,
                         guint             session,
                         guint16           number,
                         MtH245Channel    *out)
{
  guint8 ip[4];

  g_return_val_if_fail (local != NULL && out != NULL, FALSE);

  if (peer_caps == NULL || !local_ip (local, ip, NULL) ||
      (session == MT_H245_SESSION_VIDEO && local->video_port == 0))
    return FALSE;
  for (guint i = 0; i < peer_caps->len; i++)
    {
      const MtH245Channel *c = &g_array_index (peer_caps, MtH245Channel, i);
      g_autoptr(MtSdpCodec) codec = NULL;

      if (c->session_id != session || !(codec = local_codec_for (local, c)))
        continue;
      memset (out, 0, sizeof *out);
      out->number = number;
      out->cap = c->cap;
      out->packetization = c->packetization;
      out->session_id = session;
      out->payload_type = codec->pt;
      set_address (&out->control, ip, session == MT_H245_SESSION_VIDEO ? local->video_rtcp_port
                                                                       : local->audio_rtcp_port);
      return TRUE;
    }
  return FALSE;
}

gboolean
mt_h245_accept_channel (const MtSdpLocal *local, const MtH245Channel *olc, MtH245Channel *ack)
{
  g_autoptr(MtSdpCodec) codec = NULL;
  guint8 ip[4];
  gboolean video;

  g_return_val_if_fail (local != NULL && olc != NULL && ack != NULL, FALSE);

  video = olc->cap == MT_H245_CAP_H264;
  if (olc->reverse || !local_ip (local, ip, NULL) || !(codec = local_codec_for (local, olc)) ||
      (video && local->video_port == 0))
    return FALSE;
  memset (ack, 0, sizeof *ack);
  ack->number = olc->number;
  ack->session_id = olc->session_id ? olc->session_id
                                    : video ? MT_H245_SESSION_VIDEO : MT_H245_SESSION_AUDIO;
  set_address (&ack->media, ip, video ? local->video_port : local->audio_port);
  set_address (&ack->control, ip, video ? local->video_rtcp_port : local->audio_rtcp_port);
  return TRUE;
}

MtSdpNegotiated *
mt_h245_negotiated (const MtSdpLocal *local, const MtH245Channel *tx, const MtH245Channel *rx)
{
  const MtH245Channel *format = tx ? tx : rx;
  static const MtH245Address none = { 0 };
  MtSdpCodec *codec;
  guint send_pt, recv_pt;

  g_return_val_if_fail (local != NULL, NULL);

  if (format == NULL || !(codec = local_codec_for (local, format)))
    return NULL;
  send_pt = tx ? channel_pt (tx, codec) : codec->pt;
  recv_pt = rx ? channel_pt (rx, codec) : send_pt;
  return negotiated_new (format->cap == MT_H245_CAP_H264 ? MT_SDP_MEDIA_VIDEO : MT_SDP_MEDIA_AUDIO,
                         codec, send_pt, recv_pt,
                         tx ? &tx->media : &none,
                         tx && tx->control.set ? &tx->control : rx ? &rx->control : &none,
                         tx && rx ? MT_SDP_SENDRECV : tx ? MT_SDP_SENDONLY : MT_SDP_RECVONLY);
}
