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

static void
put_data_type (MtPerWriter *w, const MtH245Channel *c, gboolean null_data)
{
  MtPerWriter inner;

  if (null_data)
    {
      mt_per_put_choice (w, 1, 6, TRUE);   /* nullData */
      return;
    }
  switch (c->cap)
    {
    case MT_H245_CAP_H264:
      mt_per_put_choice (w, 2, 6, TRUE);   /* videoData */
      mt_per_put_choice (w, 5, 5, TRUE);   /* genericVideoCapability */
      mt_per_writer_init (&inner);
      put_h264_capability (&inner, c);
      mt_per_put_open (w, &inner);
      mt_per_writer_clear (&inner);
      break;
    case MT_H245_CAP_G711_ALAW:
    case MT_H245_CAP_G711_ULAW:
    case MT_H245_CAP_G722:
      mt_per_put_choice (w, 3, 6, TRUE);   /* audioData */
      mt_per_put_choice (w, c->cap == MT_H245_CAP_G711_ALAW ? 1 :
                            c->cap == MT_H245_CAP_G711_ULAW ? 3 : 5, 14, TRUE);
      mt_per_put_constrained (w, c->frames ? c->frames : AUDIO_FRAMES, 1, 256);
      break;
    case MT_H245_CAP_NULL:
    case MT_H245_CAP_UNKNOWN:
    default:
      mt_per_put_choice (w, 1, 6, TRUE);
      break;
    }
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
get_data_type (MtPerReader *r, MtH245Channel *c)
{
  MtPerReader inner;
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
      if (mt_per_get_choice (r, 5, TRUE) != 5)
        {
          mt_per_fail (r, "unsupported video capability");
          break;
        }
      if (mt_per_get_open (r, &inner))
        {
          get_generic_capability (&inner, c);
          if (inner.failed)
            mt_per_fail (r, inner.error);
        }
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
