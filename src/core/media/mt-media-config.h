/* mt-media-config.h: what a call's media uses (sources, sinks, codecs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-sdp-crypto.h"

G_BEGIN_DECLS

typedef struct {
  /* each "auto", "test", "fake", or a gst-launch bin description */
  char     *audio_source;
  char     *video_source;
  char     *audio_sink;
  char     *video_sink;
  gboolean  video;              /* offer/accept video at all */
  char     *audio_codecs;       /* filter, e.g. "opus,PCMU"; NULL: all */
  char     *video_codecs;       /* filter, e.g. "VP8"; NULL: all */
  guint     jitter_latency_ms;  /* rtpbin latency at the start; grows with jitter */
  guint     width;
  guint     height;
  guint     framerate;
  guint     media_timeout_s;    /* no RTP for this long ends the call */
  guint     audio_bitrate_kbps; /* encoder rate; 0: the codec's default */
  guint     video_bitrate_kbps;
  gboolean  echo_cancel;        /* echo cancellation, noise suppression and gain
                                 * control on a microphone (not on test sources) */
  gboolean  no_telephone_event; /* leave RFC 4733 events out of our SDP: DTMF as SIP INFO */
  /* ICE (MtIceSession): off keeps plain RTP on our own UDP sockets */
  gboolean  ice;
  gboolean  ice_controlling;    /* we send the offer (RFC 8445 6.1.1) */
  char     *stun_server;        /* host or IP, NULL: none (we never contact a third party unasked) */
  guint     stun_port;          /* 0: 3478 */
  char     *turn_server;        /* NULL: no relay */
  guint     turn_port;          /* 0: 3478 */
  gboolean  turn_tcp;           /* TURN over TCP instead of UDP */
  char     *turn_user;
  char     *turn_password;
  /* SRTP policy (mt-sdp.h MtSdpLocal says what each offers and accepts);
   * NONE unless the CLI or the account says otherwise */
  MtEncryption encryption;
  gboolean     no_dtls;         /* SRTP keys only through SDES (no a=fingerprint) */
} MtMediaConfig;

MtMediaConfig *mt_media_config_new  (void);
MtMediaConfig *mt_media_config_copy (const MtMediaConfig *config);
void           mt_media_config_free (MtMediaConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtMediaConfig, mt_media_config_free)

G_END_DECLS
