/* mt-codecs.c: the codec registry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include "mt-codecs.h"

#define DTMF_NAME "telephone-event"

/* 20 ms packets: what every SIP phone expects from the narrow-band codecs */
#define PTIME_20MS "mtu=1200 min-ptime=20000000 max-ptime=20000000"

/* Both H264 formats (packetization-mode 1 and 0) use the same elements.
 * x264 with libav; where those are missing (the GNOME Flatpak runtime):
 * OpenH264. */
#define H264_CHAINS                                                                          \
  {                                                                                          \
    { "x264enc name=enc tune=zerolatency speed-preset=ultrafast bitrate=800 key-int-max=60 " \
      "! video/x-h264,profile=constrained-baseline",                                         \
      "rtph264pay config-interval=-1 mtu=1200 aggregate-mode=zero-latency",                  \
      "rtph264depay request-keyframe=true ! h264parse",                                      \
      "avdec_h264 name=dec automatic-request-sync-points=true",                              \
      { "x264enc", "avdec_h264", "rtph264pay", "h264parse" },                                \
      "option-string", "slice-max-size=1100", "bitrate", 1 },                                \
    { "openh264enc name=enc complexity=low rate-control=bitrate bitrate=800000 gop-size=60 " \
      "usage-type=camera ! h264parse",                                                       \
      "rtph264pay config-interval=-1 mtu=1200 aggregate-mode=zero-latency",                  \
      "rtph264depay request-keyframe=true ! h264parse",                                      \
      "openh264dec name=dec",                                                                \
      { "openh264enc", "openh264dec", "rtph264pay", "h264parse" },                           \
      .bitrate_property = "bitrate", .bitrate_per_kbps = 1000 },                             \
  }

static const MtCodec codec_table[] = {
  /* audio, in preference order */
  /* in-band FEC and DTX (RFC 7587 section 6.1): we take both */
  { "opus", MT_SDP_MEDIA_AUDIO, 48000, 2, 111, "useinbandfec=1;usedtx=1", FALSE,
    "OPUS", "audio/x-raw,rate=48000,channels=2",
    { { "opusenc name=enc bitrate=32000 frame-size=20", "rtpopuspay mtu=1200",
        "rtpopusdepay", "opusdec name=dec plc=true",
        { "opusenc", "opusdec", "rtpopuspay", "rtpopusdepay" },
        .bitrate_property = "bitrate", .bitrate_per_kbps = 1000,
        .fec_property = "inband-fec", .dtx_property = "dtx",
        .loss_property = "packet-loss-percentage", .decoder_fec_property = "use-inband-fec" } } },
  { "G722", MT_SDP_MEDIA_AUDIO, 8000, 1, 9, NULL, FALSE,
    "G722", "audio/x-raw,rate=16000,channels=1",
    { { "avenc_g722 name=enc", "rtpg722pay " PTIME_20MS,
        "rtpg722depay", "avdec_g722 name=dec",
        { "avenc_g722", "avdec_g722", "rtpg722pay", "rtpg722depay" } } } },
  { "PCMU", MT_SDP_MEDIA_AUDIO, 8000, 1, 0, NULL, FALSE,
    "PCMU", "audio/x-raw,rate=8000,channels=1",
    { { "mulawenc name=enc", "rtppcmupay " PTIME_20MS,
        "rtppcmudepay", "mulawdec name=dec",
        { "mulawenc", "mulawdec", "rtppcmupay", "rtppcmudepay" } } } },
  { "PCMA", MT_SDP_MEDIA_AUDIO, 8000, 1, 8, NULL, FALSE,
    "PCMA", "audio/x-raw,rate=8000,channels=1",
    { { "alawenc name=enc", "rtppcmapay " PTIME_20MS,
        "rtppcmadepay", "alawdec name=dec",
        { "alawenc", "alawdec", "rtppcmapay", "rtppcmadepay" } } } },
  /* RFC 4733 events: rtpbin maps them, no elements of our own */
  { DTMF_NAME, MT_SDP_MEDIA_AUDIO, 8000, 1, 101, "0-16", FALSE,
    "TELEPHONE-EVENT", NULL, { { NULL } } },
  /* at Opus's rate too (RFC 4733 7.1.1): offered only along with a codec at 48000 */
  { DTMF_NAME, MT_SDP_MEDIA_AUDIO, 48000, 1, 100, "0-16", FALSE,
    "TELEPHONE-EVENT", NULL, { { NULL } } },

  /* video, in preference order */
  { "VP8", MT_SDP_MEDIA_VIDEO, 90000, 1, 96, NULL, TRUE,
    "VP8", NULL,
    { { "vp8enc name=enc deadline=1 cpu-used=16 threads=1 end-usage=cbr target-bitrate=800000 "
        "keyframe-max-dist=60 lag-in-frames=0 error-resilient=default dropframe-threshold=30",
        "rtpvp8pay picture-id-mode=15-bit mtu=1200",
        "rtpvp8depay wait-for-keyframe=true request-keyframe=true", "vp8dec name=dec",
        { "vp8enc", "vp8dec", "rtpvp8pay", "rtpvp8depay" },
        .bitrate_property = "target-bitrate", .bitrate_per_kbps = 1000 } }, 100 },
  { "H264", MT_SDP_MEDIA_VIDEO, 90000, 1, 97, "profile-level-id=42e01f;packetization-mode=1", TRUE,
    "H264", NULL, H264_CHAINS, 102 },
  { "H264", MT_SDP_MEDIA_VIDEO, 90000, 1, 98, "profile-level-id=42e01f;packetization-mode=0", TRUE,
    "H264", NULL, H264_CHAINS, 103 },
};

const MtCodec *
mt_codecs_get_table (gsize *n_codecs)
{
  g_return_val_if_fail (n_codecs != NULL, NULL);

  *n_codecs = G_N_ELEMENTS (codec_table);
  return codec_table;
}

const MtCodec *
mt_codecs_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (codec_table); i++)
    if (g_ascii_strcasecmp (codec_table[i].name, name) == 0)
      return &codec_table[i];
  return NULL;
}

guint
mt_codec_get_n_chains (const MtCodec *codec)
{
  guint n = 0;

  g_return_val_if_fail (codec != NULL, 0);

  while (n < MT_CODEC_MAX_CHAINS && codec->chains[n].encoder != NULL)
    n++;
  return n;
}

gboolean
mt_codec_chain_is_installed (const MtCodecChain *chain,
                             MtElementExistsFunc exists)
{
  g_return_val_if_fail (chain != NULL, FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (chain->need) && chain->need[i]; i++)
    if (!exists (chain->need[i]))
      return FALSE;
  return TRUE;
}

const MtCodecChain *
mt_codec_pick_chain (const MtCodec      *codec,
                     MtElementExistsFunc exists)
{
  guint n;

  g_return_val_if_fail (codec != NULL, NULL);
  g_return_val_if_fail (exists != NULL, NULL);

  n = mt_codec_get_n_chains (codec);
  for (guint i = 0; i < n; i++)
    if (mt_codec_chain_is_installed (&codec->chains[i], exists))
      return &codec->chains[i];
  return n > 0 ? &codec->chains[0] : NULL;
}

gboolean
mt_codec_is_usable (const MtCodec      *codec,
                    MtElementExistsFunc exists)
{
  const MtCodecChain *chain;

  g_return_val_if_fail (codec != NULL, FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);

  chain = mt_codec_pick_chain (codec, exists);
  return chain == NULL || mt_codec_chain_is_installed (chain, exists);
}

MtSdpCodec *
mt_codec_to_sdp (const MtCodec *codec)
{
  MtSdpCodec *sdp;

  g_return_val_if_fail (codec != NULL, NULL);

  sdp = mt_sdp_codec_new (codec->name, codec->pt, codec->clock_rate, codec->channels, codec->fmtp);
  sdp->fb_nack = sdp->fb_nack_pli = sdp->fb_ccm_fir = codec->rtcp_fb;
  return sdp;
}

/* ---- filling local capabilities ---------------------------------------- */

static gboolean
is_dtmf (const MtCodec *codec)
{
  return g_ascii_strcasecmp (codec->name, DTMF_NAME) == 0;
}

static gboolean
has_pt (GPtrArray *codecs, guint pt)
{
  for (guint i = 0; i < codecs->len; i++)
    if (((MtSdpCodec *) g_ptr_array_index (codecs, i))->pt == pt)
      return TRUE;
  return FALSE;
}

/* Every usable row of `kind` named `name` (NULL: any name), DTMF aside */
static void
add_rows (GPtrArray          *codecs,
          MtSdpMediaKind      kind,
          const char         *name,
          MtElementExistsFunc exists)
{
  for (gsize i = 0; i < G_N_ELEMENTS (codec_table); i++)
    {
      const MtCodec *row = &codec_table[i];

      if (row->kind != kind || is_dtmf (row))
        continue;
      if (name != NULL && g_ascii_strcasecmp (row->name, name) != 0)
        continue;
      if (has_pt (codecs, row->pt))
        continue;   /* listed twice in the filter */
      if (exists != NULL && !mt_codec_is_usable (row, exists))
        continue;
      g_ptr_array_add (codecs, mt_codec_to_sdp (row));
    }
}

static void
fill_kind (GPtrArray          *codecs,
           MtSdpMediaKind      kind,
           const char         *filter,
           MtElementExistsFunc exists)
{
  g_auto(GStrv) names = NULL;

  g_ptr_array_set_size (codecs, 0);
  if (filter == NULL || *filter == '\0')
    {
      add_rows (codecs, kind, NULL, exists);
      return;
    }

  names = g_strsplit (filter, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);

      if (*name != '\0')
        add_rows (codecs, kind, name, exists);
    }
}

static gboolean
has_clock_rate (GPtrArray *codecs, guint clock_rate)
{
  for (guint i = 0; i < codecs->len; i++)
    if (((MtSdpCodec *) g_ptr_array_index (codecs, i))->clock_rate == clock_rate)
      return TRUE;
  return FALSE;
}

/* telephone-event rides along with any audio codec, after the codecs: at
 * 8000 (what most phones send whatever the codec) and at the clock rate of
 * each other codec listed (RFC 4733 7.1.1: events at the codec's rate,
 * 48000 with Opus) */
static void
add_dtmf (GPtrArray *codecs)
{
  if (codecs->len == 0)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (codec_table); i++)
    {
      const MtCodec *row = &codec_table[i];

      if (is_dtmf (row) && !has_pt (codecs, row->pt) &&
          (row->clock_rate == 8000 || has_clock_rate (codecs, row->clock_rate)))
        g_ptr_array_add (codecs, mt_codec_to_sdp (row));
    }
}

void
mt_codecs_fill_local (MtSdpLocal         *local,
                      const char         *audio_filter,
                      const char         *video_filter,
                      MtElementExistsFunc exists)
{
  g_return_if_fail (local != NULL);

  if (local->audio_codecs == NULL)
    local->audio_codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_codec_free);
  if (local->video_codecs == NULL)
    local->video_codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_codec_free);

  fill_kind (local->audio_codecs, MT_SDP_MEDIA_AUDIO, audio_filter, exists);
  add_dtmf (local->audio_codecs);
  fill_kind (local->video_codecs, MT_SDP_MEDIA_VIDEO, video_filter, exists);
}

/* ---- retransmission (RFC 4588) ----------------------------------------- */

static const MtCodec *
row_for_pt (guint pt)
{
  for (gsize i = 0; i < G_N_ELEMENTS (codec_table); i++)
    if (codec_table[i].pt == pt)
      return &codec_table[i];
  return NULL;
}

void
mt_codecs_add_rtx (MtSdpLocal         *local,
                   MtElementExistsFunc exists)
{
  guint n;

  g_return_if_fail (local != NULL);

  if (local->video_codecs == NULL)
    return;
  if (exists != NULL && !(exists ("rtprtxsend") && exists ("rtprtxreceive")))
    return;
  n = local->video_codecs->len;
  for (guint i = 0; i < n; i++)
    {
      const MtSdpCodec *codec = g_ptr_array_index (local->video_codecs, i);
      const MtCodec *row = row_for_pt (codec->pt);
      g_autofree char *fmtp = NULL;

      if (row == NULL || row->rtx_pt == 0 || mt_sdp_codec_is_rtx (codec) ||
          has_pt (local->video_codecs, row->rtx_pt))
        continue;
      fmtp = g_strdup_printf ("apt=%u", codec->pt);
      g_ptr_array_add (local->video_codecs,
                       mt_sdp_codec_new ("rtx", row->rtx_pt, codec->clock_rate, 1, fmtp));
    }
}
