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
  /* rates over the last second or so, and the round trip from RTCP (0: none yet) */
  double   tx_kbps;
  double   rx_kbps;
  double   rtt_ms;
  guint    target_kbps;    /* what the encoder is told now (rate control), 0: fixed */
  double   loss_reported;  /* fraction of our packets the peer last reported lost */
  /* video only: loss recovery (RFC 4585, 4588) */
  double   fps_sent;
  double   fps_decoded;
  guint64  nacks_sent;          /* packets we asked the peer to send again */
  guint64  retransmitted;       /* retransmissions (rtx) received and used */
  guint64  rtx_sent;            /* retransmissions we sent */
  guint64  keyframes_requested; /* PLI/FIR we asked the peer for */
  guint64  keyframe_requests_received; /* PLI/FIR from the peer */
  guint64  keyframes_sent;      /* keyframes out of our encoder */
  guint64  keyframes_answered;  /* of those, the first after a request reached the encoder */
  guint    longest_freeze_ms;   /* longest gap between decoded frames */
  gboolean rtx;                 /* retransmission negotiated */
  char     srtp[8];        /* "sdes", "dtls", or empty: not encrypted */
  char     srtp_suite[24]; /* SDES: the suite agreed ("AES_CM_128_HMAC_SHA1_80", ...), or empty */
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

/* ---- network changes (ICE, RFC 8445 ICE restart) ----
 * TRUE when the call's media goes through ICE (the peer speaks it) */
gboolean    mt_media_session_uses_ice      (MtMediaSession *self);
/* An address the media is sent from left this machine (ICE only) */
gboolean    mt_media_session_network_lost  (MtMediaSession *self);
/* There is an address to gather ICE candidates on again (after a loss) */
gboolean    mt_media_session_network_ready (MtMediaSession *self);
/* Every ICE stream has a working pair (and no restart is pending) */
gboolean    mt_media_session_ice_connected (MtMediaSession *self);
/* A new ICE agent on today's addresses (new candidates, new ufrag/pwd):
 * mt_media_session_dup_local() offers it from now on, and the next
 * mt_media_session_restart() (with the answer) puts it in place of the
 * old one; mt_media_session_drop_renewed_ice() if the offer is refused.
 * Gathering waits for STUN/TURN as at the start of a call. */
gboolean    mt_media_session_renew_ice       (MtMediaSession *self, GError **error);
void        mt_media_session_drop_renewed_ice (MtMediaSession *self);
/* The peer's offer restarts ICE on some stream: restart ours too (new
 * ufrag/pwd in the answer, RFC 8839 4.4.1.1.2). Before dup_local(). */
gboolean    mt_media_session_answer_ice_restart (MtMediaSession     *self,
                                                 const MtSdpSession *offer);
/* A later offer or answer in a call whose ICE completed (RFC 8839
 * 4.4.1.2.2, 4.4.2.2): m=/c= name the selected pairs' local candidates and
 * only those are listed; our offer as the controlling agent adds
 * a=remote-candidates. Streams still checking are left as they are. */
void        mt_media_session_use_selected_pairs (MtMediaSession *self,
                                                 MtSdpSession   *sdp,
                                                 gboolean        offer);

G_END_DECLS
