/* mt-codecs.h: the codec registry, one table row per format we can offer
 *
 * Each row says what goes into SDP (name, clock rate, channels, our payload
 * number, fmtp, rtcp-fb) and how GStreamer sends and receives it (encoder and
 * payloader, depayloader and decoder), with fallback chains for machines that
 * lack the preferred elements. Adding a codec is one row here plus tests.
 *
 * Plain data and GLib only: whether an element is installed is asked through
 * an MtElementExistsFunc, so SDP tests and the fuzz target link this without
 * GStreamer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-sdp.h"

G_BEGIN_DECLS

#define MT_CODEC_MAX_CHAINS 2

/* One way of sending and receiving a format with GStreamer. Each field is a
 * gst-launch fragment; the encoder element is named "enc", the decoder "dec". */
typedef struct {
  const char *encoder;
  const char *payloader;      /* gets " pt=N" appended */
  const char *depayloader;
  const char *decoder;
  const char *need[4];        /* element factories that must all exist */
  /* for H264 packetization-mode 0 (every NAL unit fits one packet): a
   * property of "enc" and its value, or NULL */
  const char *single_nal_property;
  const char *single_nal_value;
  /* the encoder's rate property and how many of its units make a kbit/s
   * (1000 for bit/s, 1 for kbit/s); NULL for fixed-rate codecs */
  const char *bitrate_property;
  guint       bitrate_per_kbps;
  /* Opus (RFC 7587): encoder properties set when the peer's fmtp asks for
   * in-band FEC (useinbandfec=1) or DTX (usedtx=1), the encoder's expected
   * loss in percent (FEC is only sent for loss it expects), and the
   * decoder's FEC property; NULL for codecs without these */
  const char *fec_property;
  const char *dtx_property;
  const char *loss_property;
  const char *decoder_fec_property;
} MtCodecChain;

typedef struct {
  const char     *name;          /* canonical SDP encoding name */
  MtSdpMediaKind  kind;
  guint           clock_rate;    /* as written in SDP (G722: 8000) */
  guint           channels;
  guint           pt;            /* our payload number */
  const char     *fmtp;          /* our a=fmtp, or NULL */
  gboolean        rtcp_fb;       /* nack, nack pli, ccm fir */
  const char     *encoding_name; /* encoding-name in GStreamer's RTP caps */
  const char     *raw_caps;      /* caps in front of the encoder, or NULL */
  MtCodecChain    chains[MT_CODEC_MAX_CHAINS]; /* preferred first; none: handled by rtpbin */
  guint           rtx_pt;        /* video: our payload number for its rtx (RFC 4588); 0: none */
} MtCodec;

/* TRUE when a GStreamer element factory of that name is installed */
typedef gboolean (*MtElementExistsFunc) (const char *factory_name);

/* The whole table, in preference order per media kind */
const MtCodec      *mt_codecs_get_table (gsize *n_codecs);
/* The first row with this name (case-insensitive), or NULL */
const MtCodec      *mt_codecs_lookup    (const char *name);

/* Number of element chains of a row (0 for telephone-event) */
guint               mt_codec_get_n_chains (const MtCodec *codec);
/* TRUE when every element of `chain` exists */
gboolean            mt_codec_chain_is_installed (const MtCodecChain *chain,
                                                 MtElementExistsFunc exists);
/* The first chain whose elements all exist; when none does, the first chain
 * (building it names what is missing); NULL for rows without chains */
const MtCodecChain *mt_codec_pick_chain (const MtCodec      *codec,
                                         MtElementExistsFunc exists);
/* TRUE when the row needs no elements or one of its chains is installed */
gboolean            mt_codec_is_usable  (const MtCodec      *codec,
                                         MtElementExistsFunc exists);
/* The row as an SDP codec with our payload number, fmtp and rtcp-fb */
MtSdpCodec         *mt_codec_to_sdp     (const MtCodec *codec);

/* Fill local->audio_codecs/video_codecs (replacing what is there) from the
 * table, in table order. Names in `audio_filter`/`video_filter`
 * (comma-separated, case-insensitive, e.g. "opus,PCMU"; NULL or "" = all)
 * restrict and reorder the set; telephone-event is kept whenever any audio
 * codec is. With `exists`, rows none of whose chains is installed are left
 * out; NULL takes every row. */
void                mt_codecs_fill_local (MtSdpLocal         *local,
                                          const char         *audio_filter,
                                          const char         *video_filter,
                                          MtElementExistsFunc exists);

/* RFC 4588: after `local`'s video codecs, an "rtx" format (apt=PT) for each
 * one whose row has an rtx payload number, when `exists` finds GStreamer's
 * rtprtxsend and rtprtxreceive (NULL: always) */
void                mt_codecs_add_rtx   (MtSdpLocal         *local,
                                         MtElementExistsFunc exists);

G_END_DECLS
