/* mt-media-session.h: one GStreamer pipeline per call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "mt-media-config.h"
#include "mt-sdp.h"

G_BEGIN_DECLS

typedef struct {
  gboolean enabled;
  char     codec[32];
  guint64  tx_packets;
  guint64  tx_bytes;
  guint64  rx_packets;
  guint64  rx_bytes;
  gint64   rx_lost;
  double   jitter_ms;
  guint64  decoded;       /* audio buffers or video frames out of the decoder */
  guint    width;         /* video only */
  guint    height;
  gboolean echo_cancel;   /* audio only: the microphone goes through webrtcdsp */
  /* ICE: empty strings without ICE (a plain peer shows state "plain") */
  char     ice_state[16];  /* "checking", "connected", "failed", ... */
  char     ice_local[8];   /* selected pair: "host", "srflx", "relay" */
  char     ice_remote[8];  /* "host", "srflx", "prflx", "relay" */
  char     srtp[8];        /* "sdes", "dtls", or empty: not encrypted */
} MtStreamStats;

#define MT_MEDIA_ERROR (mt_media_error_quark ())
GQuark mt_media_error_quark (void);

typedef enum {
  MT_MEDIA_ERROR_SOCKET,          /* no address or port to send media from */
  MT_MEDIA_ERROR_DEVICE,          /* a source or sink would not start (missing, busy) */
  MT_MEDIA_ERROR_ELEMENT_MISSING, /* a GStreamer element is not installed */
  MT_MEDIA_ERROR_PIPELINE,        /* elements would not build or link */
  MT_MEDIA_ERROR_NEGOTIATION,     /* what was agreed cannot be sent or received here */
} MtMediaError;

/* Properties: "mic-muted" and "camera-off" (read-write booleans, also
 * before start), "warning" (read-only string: a sentence for a person when
 * something was left out, e.g. no camera; NULL when all is well). */
#define MT_TYPE_MEDIA_SESSION (mt_media_session_get_type ())
G_DECLARE_FINAL_TYPE (MtMediaSession, mt_media_session, MT, MEDIA_SESSION, GObject)

/* Reserves RTP/RTCP ports on `bind_address` ("127.0.0.1", "0.0.0.0", ...).
 * `media_address` is what goes into SDP. Fails when no port can be had. */
MtMediaSession *mt_media_session_new (const MtMediaConfig *config,
                                      const char          *bind_address,
                                      const char          *media_address,
                                      GError             **error);

/* What we can do, for SDP: ports, codecs from the registry (mt-codecs.h;
 * only those whose GStreamer elements exist, filtered by the config),
 * directions. Video is absent when the config says so or there is no camera
 * (then "warning" says so). */
MtSdpLocal *mt_media_session_dup_local (MtMediaSession *self);
const char *mt_media_session_get_warning (MtMediaSession *self);

/* For the GUI: sinks it owns the other end of; call before _start().
 * NULL keeps the configured sink / no self view. */
void        mt_media_session_set_video_sinks (MtMediaSession *self,
                                              GstElement     *remote_sink,
                                              GstElement     *self_view_sink);

/* Build and start the pipeline for what was negotiated (array of
 * MtSdpNegotiated*, see mt_sdp_negotiate()). */
gboolean    mt_media_session_start (MtMediaSession *self,
                                    GPtrArray      *negotiated,
                                    GError        **error);
void        mt_media_session_stop  (MtMediaSession *self);
/* Same sockets, new directions/codecs (hold, resume, re-INVITE) */
gboolean    mt_media_session_restart (MtMediaSession *self,
                                      GPtrArray      *negotiated,
                                      GError        **error);
gboolean    mt_media_session_is_running (MtMediaSession *self);
/* The call ended: stop, close the sockets, drop the sinks; stats stay */
void        mt_media_session_release (MtMediaSession *self);

void        mt_media_session_set_mic_muted   (MtMediaSession *self, gboolean muted);
gboolean    mt_media_session_get_mic_muted   (MtMediaSession *self);
void        mt_media_session_set_camera_off  (MtMediaSession *self, gboolean off);
gboolean    mt_media_session_get_camera_off  (MtMediaSession *self);

/* How the audio stream is encrypted now (MT_SRTP_NONE before start); no
 * pipeline query, cheap enough for a window to ask every second */
MtSrtpMode  mt_media_session_get_srtp_mode (MtMediaSession *self);

void        mt_media_session_get_stats (MtMediaSession *self,
                                        MtStreamStats  *audio,
                                        MtStreamStats  *video);

/* RFC 4733 telephone events: TRUE when the peer takes them (negotiated, and
 * we send audio now); queue event `event` (0-15) lasting `duration_ms` */
gboolean    mt_media_session_can_send_dtmf (MtMediaSession *self);
void        mt_media_session_send_dtmf     (MtMediaSession *self,
                                            guint           event,
                                            guint           duration_ms);

G_END_DECLS
