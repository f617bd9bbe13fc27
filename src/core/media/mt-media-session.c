/* mt-media-session.c: one GStreamer pipeline per call
 *
 * send  SRC -> convert -> encoder -> payloader -> rtpbin -> udpsink (our socket)
 * recv  udpsrc (same socket) -> rtpbin (jitter buffer) -> depay -> decoder -> SINK
 *
 * The RTP and RTCP sockets are bound here, before the SDP is written, and
 * shared by udpsrc and udpsink so that we send from the port we advertise
 * (symmetric RTP).
 *
 * Threads: the public functions, the bus watch and the tick run on the main
 * context. GStreamer's streaming threads run the pad probes (atomic counters
 * only), rtpbin's "request-pt-map" and "pad-added" (which builds the decoder
 * chain there, at once, so that the first H.264 SPS/PPS/IDR is not lost while
 * waiting for the main loop). Those read stream->neg, self->config, the
 * pipeline and the GUI's video sink, which the main context changes only
 * while there is no pipeline (stop() takes it to NULL, joining the streaming
 * threads, before anything is cleared); what they write is atomic or under
 * recv_lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <gst/rtp/rtp.h>
#include <gst/video/video.h>

#include "mt-codecs.h"
#include "mt-dtmf.h"
#include "mt-ice-session.h"
#include "mt-media-secure.h"
#include "mt-media-session.h"
#include "mt-media-tuning.h"
#include "mt-rate-control.h"

typedef struct {
  guint            id;           /* rtpbin session: 0 audio, 1 video */
  MtSdpMediaKind   kind;
  GSocket         *rtp_sock;
  GSocket         *rtcp_sock;
  guint            rtp_port;
  guint            rtcp_port;
  MtSdpNegotiated *neg;          /* copy of what was agreed, NULL before start */
  gint             rx_packets;   /* atomic */
  gint             rx_bytes;     /* atomic */
  gint             tx_packets;   /* atomic */
  gint             tx_bytes;     /* atomic */
  gint             decoded;      /* atomic */
  gint             width;        /* atomic */
  gint             height;       /* atomic */
  gint             last_rx;      /* main thread: rx_packets at the last tick */
  gint             rx_rtcp;      /* atomic: RTCP packets received */
  gint             rx_rtcp_bytes; /* atomic: follows rx_rtcp (count_packets_cb) */
  gint             tx_blocked;   /* atomic: nothing came back, we send nothing */
  guint            undecodable_ticks; /* main thread */
  /* under MtMediaSession.recv_lock (written by "pad-added") */
  GstPad          *decoder_pad;  /* sink pad of the first decoder chain */
  gboolean         sink_used;    /* the custom video sink went to a decoder */
  /* loss recovery and rate (issue 11; the section of that name) */
  GstElement      *jitterbuffer; /* under recv_lock: the first one (NACK counts) */
  GstElement      *rtx_send;     /* main context: rtpbin's aux elements, or NULL */
  GstElement      *rtx_receive;
  GstElement      *encoder;      /* main context: "enc" of the send chain */
  const MtCodecChain *send_chain;
  gint             enc_frames;   /* atomic: frames out of the encoder */
  gint             keyframes_sent;      /* atomic */
  gint             key_requests_in;     /* atomic: PLI/FIR received */
  gint             keyframes_requested; /* atomic: our requests */
  gint             key_request_pending; /* atomic: a request reached the encoder */
  gint             keyframes_answered;  /* atomic: keyframes that followed one */
  gint             last_key_ms;         /* atomic: last request let through */
  gint             last_decoded_ms;     /* atomic */
  gint             longest_freeze_ms;   /* atomic */
  gint             media_ssrc;          /* atomic: the SSRC we send with */
  gint             rr_fraction;         /* atomic: last report's fraction lost, /256 */
  gint             rr_serial;           /* atomic: reports about media_ssrc */
  gint             rr_lost;             /* atomic: its cumulative number lost */
  gint             rr_ext_seq;          /* atomic: its extended highest sequence number */
  gint             remb_kbps;           /* atomic: the peer's REMB, 0: none */
  gint             rtx_blocked;         /* atomic: congested, NACKs not answered */
  /* main context */
  gint             rr_seen;
  gint             rr_seen_lost, rr_seen_ext;
  double           rr_age_s;
  gint64           last_tick_us;
  guint            last_tx, last_rx_bytes, last_frames, last_decoded;
  double           tx_kbps, rx_kbps, fps_sent, fps_decoded, rtt_ms, loss_reported;
  MtRateControl    rate;
  gboolean         rate_on;
  guint            rate_max_kbps;
  guint            current_kbps;
} MtStream;

struct _MtMediaSession
{
  GObject         parent_instance;

  MtMediaConfig  *config;
  char           *media_address;
  char           *warning;
  MtStream       *audio;
  MtStream       *video;        /* NULL: no video */
  MtIceSession   *ice;          /* NULL: plain RTP on our own sockets */
  MtIceSession   *renewed_ice;  /* after a network change: offered, not yet answered */
  char           *bind_address;
  GstElement     *pipeline;
  GstElement     *rtpbin;
  GstElement     *remote_video_sink;
  GstElement     *self_view_sink;
  guint           bus_watch;
  guint           tick_id;
  guint           silent_ticks;
  guint           running_ticks; /* seconds since the pipeline started */
  guint           jitter_ms;    /* the adaptive jitter buffer's latency now */
  gboolean        mic_muted;
  gboolean        camera_off;
  gboolean        have_final;   /* the pipeline is gone: report these */
  gboolean        released;     /* mt_media_session_release(): no restart */
  MtStreamStats   final_audio;
  MtStreamStats   final_video;
  GMutex          recv_lock;    /* MtStream.decoder_pad and .sink_used, echo_probe_used */
  GstElement     *echo_probe;   /* webrtcechoprobe before the speaker, or NULL */
  gboolean        echo_probe_used;
  MtDtmfSender   *dtmf_sender;  /* while a pipeline sends audio that takes events */
  GPtrArray      *audio_keys;   /* SDES keys we offer/answer with (MtSdpCrypto*), per call */
  GPtrArray      *video_keys;
};

G_DEFINE_FINAL_TYPE (MtMediaSession, mt_media_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (mt-media-error-quark, mt_media_error)

enum {
  PROP_0,
  PROP_MIC_MUTED,
  PROP_CAMERA_OFF,
  PROP_WARNING,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_MEDIA_TIMEOUT,
  SIGNAL_ERROR,
  SIGNAL_DTMF,
  SIGNAL_ENCRYPTION_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- codecs (the table is in mt-codecs.c) ----------------------------- */

static gboolean
element_exists (const char *factory_name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (factory_name);

  return factory != NULL;
}

/* ---- sockets --------------------------------------------------------- */

static GSocket *
bind_udp (GInetAddress *addr, guint port, GError **error)
{
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) sa = NULL;

  sock = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_DATAGRAM,
                       G_SOCKET_PROTOCOL_UDP, error);
  if (sock == NULL)
    return NULL;
  sa = g_inet_socket_address_new (addr, port);
  if (!g_socket_bind (sock, sa, FALSE, error))
    return NULL;
  return g_steal_pointer (&sock);
}

static gboolean
stream_bind (MtStream *stream, const char *bind_address, GError **error)
{
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (bind_address);

  if (addr == NULL)
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_SOCKET,
                   _("“%s” is not an IP address to send media from"), bind_address);
      return FALSE;
    }

  for (guint attempt = 0; attempt < 200; attempt++)
    {
      guint port = 2 * g_random_int_range (10000, 30000);
      g_autoptr(GSocket) rtp = bind_udp (addr, port, NULL);
      g_autoptr(GSocket) rtcp = rtp ? bind_udp (addr, port + 1, NULL) : NULL;

      if (rtp == NULL || rtcp == NULL)
        continue;
      stream->rtp_sock = g_steal_pointer (&rtp);
      stream->rtcp_sock = g_steal_pointer (&rtcp);
      stream->rtp_port = port;
      stream->rtcp_port = port + 1;
      return TRUE;
    }

  g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_SOCKET,
               _("No free UDP port pair for media on %s"), bind_address);
  return FALSE;
}

static MtStream *
stream_new (guint id, MtSdpMediaKind kind)
{
  MtStream *stream = g_new0 (MtStream, 1);

  stream->id = id;
  stream->kind = kind;
  return stream;
}

static void
stream_close_sockets (MtStream *stream)
{
  if (stream == NULL)
    return;
  if (stream->rtp_sock)
    g_socket_close (stream->rtp_sock, NULL);
  if (stream->rtcp_sock)
    g_socket_close (stream->rtcp_sock, NULL);
  g_clear_object (&stream->rtp_sock);
  g_clear_object (&stream->rtcp_sock);
}

static void
stream_free (MtStream *stream)
{
  if (stream == NULL)
    return;
  stream_close_sockets (stream);
  g_clear_pointer (&stream->neg, mt_sdp_negotiated_free);
  g_clear_object (&stream->decoder_pad);
  g_free (stream);
}

/* ---- element descriptions ---------------------------------------------- */

/* V4L2 devices live in /dev; MTAVIP_DEVICE_DIR points elsewhere, so that
 * tests can show a machine without a camera. */
static gboolean
have_camera (void)
{
  const char *dev = g_getenv ("MTAVIP_DEVICE_DIR");
  g_autoptr(GDir) dir = g_dir_open (dev ? dev : "/dev", 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "video"))
      return TRUE;
  return FALSE;
}

static char *
source_description (const char *setting, MtSdpMediaKind kind)
{
  gboolean audio = kind == MT_SDP_MEDIA_AUDIO;

  if (setting == NULL || g_str_equal (setting, "auto"))
    return g_strdup (audio ? "autoaudiosrc" : "v4l2src");
  if (g_str_equal (setting, "test"))
    return g_strdup (audio ? "audiotestsrc is-live=true wave=sine freq=440 volume=0.2 "
                             "samplesperbuffer=960 ! capsfilter caps=audio/x-raw,rate=48000"
                           : "videotestsrc is-live=true pattern=ball");
  /* 20 ms buffers, as a sound card gives: not 1024-sample bursts */
  if (g_str_equal (setting, "fake"))
    return g_strdup (audio ? "audiotestsrc is-live=true wave=silence "
                             "samplesperbuffer=960 ! capsfilter caps=audio/x-raw,rate=48000"
                           : "videotestsrc is-live=true pattern=black");
  /* A file (filesrc ! decodebin, uridecodebin) is not a live source: without
   * a clock it would be read as fast as it decodes and sent in bursts the
   * far end's jitter buffer throws away. A live source passes straight on. */
  return g_strdup_printf ("%s ! clocksync", setting);
}

static char *
sink_description (const char *setting, MtSdpMediaKind kind)
{
  gboolean audio = kind == MT_SDP_MEDIA_AUDIO;

  if (setting == NULL || g_str_equal (setting, "auto"))
    return g_strdup (audio ? "autoaudiosink" : "autovideosink");
  if (g_str_equal (setting, "test") || g_str_equal (setting, "fake"))
    return g_strdup ("fakesink sync=false async=false");
  return g_strdup (setting);
}

/* GStreamer's parse errors in our domain, with their message. As with
 * gst_parse_launch(), a bin may come back together with a (recoverable) error. */
static GstElement *
make_bin (const char *description, GError **error)
{
  g_autoptr(GError) parse_error = NULL;
  GstElement *bin;

  bin = gst_parse_bin_from_description_full (description, TRUE, NULL,
                                             GST_PARSE_FLAG_NO_SINGLE_ELEMENT_BINS, &parse_error);
  if (parse_error != NULL)
    g_set_error_literal (error, MT_MEDIA_ERROR,
                         g_error_matches (parse_error, GST_PARSE_ERROR,
                                          GST_PARSE_ERROR_NO_SUCH_ELEMENT)
                         ? MT_MEDIA_ERROR_ELEMENT_MISSING : MT_MEDIA_ERROR_PIPELINE,
                         parse_error->message);
  return bin;
}

/* A source bin has no input. gst_parse ghosts every pad unlinked when it
 * parses, and that includes the sink pad an element such as decodebin will
 * link to later ("filesrc ! decodebin ! videoconvert"): ghosted, it counts
 * as linked and decodebin's delayed link fails, so nothing is sent. */
static void
drop_sink_ghost_pads (GstElement *bin)
{
  GList *pads = g_list_copy_deep (GST_ELEMENT (bin)->sinkpads, (GCopyFunc) gst_object_ref, NULL);

  for (GList *l = pads; l != NULL; l = l->next)
    gst_element_remove_pad (bin, GST_PAD (l->data));
  g_list_free_full (pads, gst_object_unref);
}

static GstCaps *
rtp_caps_for (MtSdpMediaKind kind, const MtSdpCodec *codec)
{
  const MtCodec *info = mt_codecs_lookup (codec->name);
  const char *encoding = info ? info->encoding_name : codec->name;
  GstCaps *caps;

  caps = gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, kind == MT_SDP_MEDIA_AUDIO ? "audio" : "video",
                              "clock-rate", G_TYPE_INT, (int) codec->clock_rate,
                              "encoding-name", G_TYPE_STRING, encoding,
                              "payload", G_TYPE_INT, (int) codec->pt,
                              NULL);
  if (info && info->channels > 1)
    {
      g_autofree char *channels = g_strdup_printf ("%u", info->channels);

      gst_caps_set_simple (caps, "encoding-params", G_TYPE_STRING, channels, NULL);
    }
  return caps;
}

/* ---- probes (streaming threads: atomics only) -------------------------- */

static GstPadProbeReturn
count_packets_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gint *counter = user_data;   /* packets; bytes follow it */
  gint *bytes = counter + 1;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    {
      g_atomic_int_inc (counter);
      g_atomic_int_add (bytes, (gint) gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info)));
    }
  else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    {
      GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

      g_atomic_int_add (counter, (gint) gst_buffer_list_length (list));
      g_atomic_int_add (bytes, (gint) gst_buffer_list_calculate_size (list));
    }
  return GST_PAD_PROBE_OK;
}

static void
add_count_probe (GstElement *element, const char *pad_name, gint *counter)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     count_packets_cb, counter, NULL);
}

/* ---- loss recovery and rate (issue 11) -----------------------------------
 *
 * Retransmission (RFC 4588) when both sides listed rtx: rtpbin's aux sender
 * (rtprtxsend keeps recent packets and answers generic NACKs) and aux
 * receiver (rtprtxreceive puts retransmitted packets back in their
 * stream), and the jitter buffer asks for what is missing. PLI/FIR from the
 * peer reach our encoder as force-key-unit events (rtpbin does that); a
 * probe lets at most one through per MT_KEYFRAME_INTERVAL_MS. Receiver
 * reports about our video drive the encoder's rate (mt-rate-control.h). */

#define MT_KEYFRAME_INTERVAL_MS 500
#define MT_KEYFRAME_CONGESTED_INTERVAL_MS 2000

static MtStream *stream_for_session (MtMediaSession *self, guint id);
#define MT_RTCP_INTERVAL_NS (1 * GST_SECOND)
#define MT_RTCP_RTX_INTERVAL_NS (200 * GST_MSECOND)
/* A retransmission arrives one round trip after the loss is seen: with
 * rtx, the video jitter buffer holds at least two round trips plus 60 ms,
 * room for a second request when a NACK or its answer is lost too (200 ms
 * before the first RTT), at most 400 ms */
#define MT_RTX_LATENCY_START_MS 200
#define MT_RTX_LATENCY_MAX_MS 400

static void
quality_stream_reset (MtStream *stream)
{
  if (stream == NULL)
    return;
  g_clear_object (&stream->jitterbuffer);
  g_clear_object (&stream->rtx_send);
  g_clear_object (&stream->rtx_receive);
  g_clear_object (&stream->encoder);
  stream->send_chain = NULL;
  stream->last_tick_us = 0;
  stream->rate_on = FALSE;
  stream->current_kbps = 0;
  stream->tx_kbps = stream->rx_kbps = stream->fps_sent = stream->fps_decoded = 0;
  g_atomic_int_set (&stream->last_key_ms, 0);
  g_atomic_int_set (&stream->last_decoded_ms, 0);
}

static gint
monotonic_ms (void)
{
  return (gint) (g_get_monotonic_time () / 1000);
}

/* streaming thread: a decoded video frame; the longest gap since the last */
static void
note_decoded_frame (MtStream *stream)
{
  gint now = monotonic_ms ();
  gint last = g_atomic_int_get (&stream->last_decoded_ms);

  if (stream->kind != MT_SDP_MEDIA_VIDEO)
    return;
  if (last != 0 && now - last > g_atomic_int_get (&stream->longest_freeze_ms))
    g_atomic_int_set (&stream->longest_freeze_ms, now - last);
  g_atomic_int_set (&stream->last_decoded_ms, now);
}

static GstElement *
make_aux_bin (GstElement *element, guint session)
{
  GstElement *bin = gst_bin_new (NULL);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (element, "sink");
  g_autoptr(GstPad) src = gst_element_get_static_pad (element, "src");
  g_autofree char *sink_name = g_strdup_printf ("sink_%u", session);
  g_autofree char *src_name = g_strdup_printf ("src_%u", session);

  gst_bin_add (GST_BIN (bin), element);
  gst_element_add_pad (bin, gst_ghost_pad_new (sink_name, sink));
  gst_element_add_pad (bin, gst_ghost_pad_new (src_name, src));
  return bin;
}

static GstStructure *
rtx_pt_map (guint pt, guint rtx_pt)
{
  g_autofree char *key = g_strdup_printf ("%u", pt);
  GstStructure *map = gst_structure_new_empty ("application/x-rtp-pt-map");

  gst_structure_set (map, key, G_TYPE_UINT, rtx_pt, NULL);
  return map;
}

/* Streaming thread: while the path is congested (rate control saw more
 * than 10 % loss), retransmissions would only add to the queue that loses
 * them: NACKs are not answered then */
static GstPadProbeReturn
rtx_request_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtStream *stream = user_data;
  const GstStructure *s = gst_event_get_structure (GST_PAD_PROBE_INFO_EVENT (info));

  if (s != NULL && gst_structure_has_name (s, "GstRTPRetransmissionRequest") &&
      g_atomic_int_get (&stream->rtx_blocked))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* rtpbin asks while we request its pads (main context) */
static GstElement *
request_aux_sender_cb (GstElement *rtpbin, guint session, gpointer user_data)
{
  MtStream *stream = stream_for_session (user_data, session);
  g_autoptr(GstStructure) map = NULL;
  GstElement *rtx;

  if (stream == NULL || stream->neg == NULL || stream->neg->send_rtx_pt == 0)
    return NULL;
  rtx = gst_element_factory_make ("rtprtxsend", NULL);
  if (rtx == NULL)
    return NULL;
  map = rtx_pt_map (stream->neg->send_codec->pt, stream->neg->send_rtx_pt);
  /* a second of video at our highest rates */
  g_object_set (rtx, "payload-type-map", map, "max-size-time", 1000, "max-size-packets", 0, NULL);
  {
    g_autoptr(GstPad) src = gst_element_get_static_pad (rtx, "src");

    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, rtx_request_cb, stream, NULL);
  }
  g_clear_object (&stream->rtx_send);
  stream->rtx_send = g_object_ref (rtx);
  return make_aux_bin (rtx, session);
}

static GstElement *
request_aux_receiver_cb (GstElement *rtpbin, guint session, gpointer user_data)
{
  MtStream *stream = stream_for_session (user_data, session);
  g_autoptr(GstStructure) map = NULL;
  GstElement *rtx;

  if (stream == NULL || stream->neg == NULL || stream->neg->recv_rtx_pt == 0)
    return NULL;
  rtx = gst_element_factory_make ("rtprtxreceive", NULL);
  if (rtx == NULL)
    return NULL;
  map = rtx_pt_map (stream->neg->recv_codec->pt, stream->neg->recv_rtx_pt);
  g_object_set (rtx, "payload-type-map", map, NULL);
  g_clear_object (&stream->rtx_receive);
  stream->rtx_receive = g_object_ref (rtx);
  return make_aux_bin (rtx, session);
}

/* streaming thread: one jitter buffer per SSRC; with rtx it sends NACKs */
static void
new_jitterbuffer_cb (GstElement *rtpbin, GstElement *jitterbuffer, guint session, guint ssrc,
                     gpointer user_data)
{
  MtMediaSession *self = user_data;
  MtStream *stream = stream_for_session (self, session);
  g_autoptr(GMutexLocker) locker = NULL;

  if (stream == NULL || stream->neg == NULL || stream->neg->recv_rtx_pt == 0)
    return;
  g_object_set (jitterbuffer, "do-retransmission", TRUE,
                "latency", MAX (self->jitter_ms, MT_RTX_LATENCY_START_MS), NULL);
  locker = g_mutex_locker_new (&self->recv_lock);
  if (stream->jitterbuffer == NULL)
    stream->jitterbuffer = g_object_ref (jitterbuffer);
}

/* rtpbin's session sends PLI/FIR for a decoder's keyframe request only
 * when the payload's caps say the peer takes them (its rtcp-fb) */
static GstCaps *
add_feedback_caps (MtStream *stream, GstCaps *caps)
{
  if (stream->kind != MT_SDP_MEDIA_VIDEO)
    return caps;
  if (stream->neg->send_codec->fb_nack_pli)
    gst_caps_set_simple (caps, "rtcp-fb-nack-pli", G_TYPE_BOOLEAN, TRUE, NULL);
  if (stream->neg->send_codec->fb_ccm_fir)
    gst_caps_set_simple (caps, "rtcp-fb-ccm-fir", G_TYPE_BOOLEAN, TRUE, NULL);
  if (stream->neg->send_codec->fb_nack)
    gst_caps_set_simple (caps, "rtcp-fb-nack", G_TYPE_BOOLEAN, TRUE, NULL);
  return caps;
}

/* the caps rtpbin asks for an rtx payload number, or NULL */
static GstCaps *
rtx_caps_for (MtStream *stream, guint pt)
{
  if (stream->neg->recv_rtx_pt == 0 || pt != stream->neg->recv_rtx_pt)
    return NULL;
  return gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "video",
                              "clock-rate", G_TYPE_INT, (int) stream->neg->recv_codec->clock_rate,
                              "encoding-name", G_TYPE_STRING, "RTX",
                              "payload", G_TYPE_INT, (int) pt,
                              "apt", G_TYPE_UINT, stream->neg->recv_codec->pt,
                              NULL);
}

/* REMB (draft-alvestrand-rmcat-remb): "REMB", SSRC count, 6-bit exponent,
 * 18-bit mantissa in bit/s */
static void
parse_remb (MtStream *stream, GstRTCPPacket *packet)
{
  const guint8 *fci = gst_rtcp_packet_fb_get_fci (packet);
  guint words = gst_rtcp_packet_fb_get_fci_length (packet);
  guint64 bps;

  if (fci == NULL || words < 2 || memcmp (fci, "REMB", 4) != 0)
    return;
  bps = ((guint64) (((fci[5] & 0x3) << 16) | (fci[6] << 8) | fci[7])) << (fci[5] >> 2);
  g_atomic_int_set (&stream->remb_kbps, (gint) MIN (bps / 1000, G_MAXINT));
}

static void
parse_report_blocks (MtStream *stream, GstRTCPPacket *packet)
{
  guint media_ssrc = (guint) g_atomic_int_get (&stream->media_ssrc);

  for (guint i = 0; i < gst_rtcp_packet_get_rb_count (packet); i++)
    {
      guint32 ssrc, ext, jitter, lsr, dlsr;
      guint8 fraction;
      gint32 lost;

      gst_rtcp_packet_get_rb (packet, i, &ssrc, &fraction, &lost, &ext, &jitter, &lsr, &dlsr);
      if (media_ssrc == 0 || ssrc != media_ssrc)
        continue;
      g_atomic_int_set (&stream->rr_fraction, fraction);
      g_atomic_int_set (&stream->rr_lost, lost);
      g_atomic_int_set (&stream->rr_ext_seq, (gint) ext);
      g_atomic_int_inc (&stream->rr_serial);
    }
}

/* streaming thread: every compound RTCP packet on this stream, before
 * rtpbin handles it */
static void
receiving_rtcp_cb (GObject *session, GstBuffer *buffer, gpointer user_data)
{
  MtStream *stream = user_data;
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean more;

  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    return;
  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more;
       more = gst_rtcp_packet_move_to_next (&packet))
    {
      GstRTCPType type = gst_rtcp_packet_get_type (&packet);

      if (type == GST_RTCP_TYPE_SR || type == GST_RTCP_TYPE_RR)
        parse_report_blocks (stream, &packet);
      else if (type == GST_RTCP_TYPE_PSFB)
        {
          GstRTCPFBType fb = gst_rtcp_packet_fb_get_type (&packet);

          if (fb == GST_RTCP_PSFB_TYPE_PLI || fb == GST_RTCP_PSFB_TYPE_FIR)
            g_atomic_int_inc (&stream->key_requests_in);
          else if (fb == GST_RTCP_PSFB_TYPE_AFB)
            parse_remb (stream, &packet);
        }
    }
  gst_rtcp_buffer_unmap (&rtcp);
}

/* After the stream's rtpbin pads exist: RTCP every second on video (RFC
 * 3550 6.2 allows a smaller minimum; rate control reacts per report),
 * immediate feedback (AVPF timing) when we retransmit, and our RTCP parser */
static void
configure_rtp_session (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GObject) session = NULL;

  g_signal_emit_by_name (self->rtpbin, "get-internal-session", stream->id, &session);
  if (session == NULL)
    return;
  if (stream->kind == MT_SDP_MEDIA_VIDEO)
    g_object_set (session, "rtcp-min-interval", (guint64) MT_RTCP_INTERVAL_NS, NULL);
  /* RFC 4585: one early packet (NACK, PLI) per regular interval; a short
   * interval lets NACKs leave while a retransmission can still be in time */
  if (stream->neg->send_rtx_pt != 0 || stream->neg->recv_rtx_pt != 0)
    g_object_set (session, "rtp-profile", GST_RTP_PROFILE_AVPF,
                  "rtcp-min-interval", (guint64) MT_RTCP_RTX_INTERVAL_NS, NULL);
  g_signal_connect (session, "on-receiving-rtcp", G_CALLBACK (receiving_rtcp_cb), stream);

}

/* streaming thread, at the encoder's output: frames and keyframes sent;
 * upstream, the peer's keyframe requests, at most one per interval */
static GstPadProbeReturn
encoder_probe_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtStream *stream = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

      g_atomic_int_inc (&stream->enc_frames);
      if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
        {
          g_atomic_int_inc (&stream->keyframes_sent);
          if (g_atomic_int_compare_and_exchange (&stream->key_request_pending, 1, 0))
            g_atomic_int_inc (&stream->keyframes_answered);
        }
    }
  else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_UPSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      gint now = monotonic_ms ();
      gint last = g_atomic_int_get (&stream->last_key_ms);

      if (!gst_video_event_is_force_key_unit (event))
        return GST_PAD_PROBE_OK;
      /* a keyframe costs several frames: on a congested path, fewer */
      if (last != 0 && now - last < (g_atomic_int_get (&stream->rtx_blocked)
                                     ? MT_KEYFRAME_CONGESTED_INTERVAL_MS : MT_KEYFRAME_INTERVAL_MS))
        return GST_PAD_PROBE_DROP;
      g_atomic_int_set (&stream->last_key_ms, now);
      g_atomic_int_set (&stream->key_request_pending, 1);
    }
  return GST_PAD_PROBE_OK;
}

/* our keyframe requests (the depayloader's and the stuck-decoder tick's) */
static GstPadProbeReturn
key_request_probe_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtStream *stream = user_data;

  if (gst_video_event_is_force_key_unit (GST_PAD_PROBE_INFO_EVENT (info)))
    g_atomic_int_inc (&stream->keyframes_requested);
  return GST_PAD_PROBE_OK;
}

static void
watch_key_requests (MtStream *stream, GstPad *decoder_sink)
{
  if (stream->kind == MT_SDP_MEDIA_VIDEO)
    gst_pad_add_probe (decoder_sink, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, key_request_probe_cb,
                       stream, NULL);
}

static gboolean
fmtp_says (const MtSdpCodec *codec, const char *key)
{
  g_autofree char *value = mt_sdp_codec_get_fmtp_param (codec, key);

  return g_strcmp0 (value, "1") == 0;
}

static guint
encoder_kbps (MtStream *stream)
{
  int value = 0;

  g_object_get (stream->encoder, stream->send_chain->bitrate_property, &value, NULL);
  return (guint) (value / (int) stream->send_chain->bitrate_per_kbps);
}

static void
set_encoder_kbps (MtStream *stream, guint kbps)
{
  if (kbps == stream->current_kbps)
    return;
  g_debug ("stream %u: encoder %u -> %u kbit/s", stream->id, stream->current_kbps, kbps);
  stream->current_kbps = kbps;
  g_object_set (stream->encoder, stream->send_chain->bitrate_property,
                (int) (kbps * stream->send_chain->bitrate_per_kbps), NULL);
}

/* The send chain is built: watch the encoder, cap its rate by the peer's
 * b=TIAS/b=AS, start rate control (video), and Opus FEC/DTX as the peer's
 * fmtp asks (RFC 7587 section 6.1) */
static void
setup_send_quality (MtMediaSession *self, MtStream *stream, const MtCodecChain *codec_chain,
                    GstElement *chain)
{
  g_autoptr(GstPad) pad = NULL;
  guint max;

  stream->encoder = gst_bin_get_by_name (GST_BIN (chain), "enc");
  if (stream->encoder == NULL)
    return;
  stream->send_chain = codec_chain;
  pad = gst_element_get_static_pad (stream->encoder, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
                     encoder_probe_cb, stream, NULL);
  if (codec_chain->fec_property && fmtp_says (stream->neg->send_codec, "useinbandfec"))
    g_object_set (stream->encoder, codec_chain->fec_property, TRUE, NULL);
  if (codec_chain->dtx_property && fmtp_says (stream->neg->send_codec, "usedtx"))
    g_object_set (stream->encoder, codec_chain->dtx_property, TRUE, NULL);
  if (codec_chain->bitrate_property == NULL)
    return;
  stream->current_kbps = encoder_kbps (stream);
  max = stream->current_kbps;
  if (stream->neg->remote_max_kbps != 0)
    max = MIN (max, MAX (stream->neg->remote_max_kbps, stream->kind == MT_SDP_MEDIA_VIDEO
                                                       ? MT_RATE_MIN_KBPS : 6));
  set_encoder_kbps (stream, max);
  if (stream->kind != MT_SDP_MEDIA_VIDEO)
    return;
  mt_rate_control_init (&stream->rate, max);
  stream->rate_max_kbps = max;
  stream->rate_on = TRUE;
}

static void
setup_decoder_quality (GstElement *dec, const MtCodecChain *codec_chain)
{
  if (codec_chain->decoder_fec_property != NULL)
    g_object_set (dec, codec_chain->decoder_fec_property, TRUE, NULL);
}

/* main context: the SSRC we send with (rtpbin's sink caps) */
static void
update_media_ssrc (MtMediaSession *self, MtStream *stream)
{
  g_autofree char *name = g_strdup_printf ("send_rtp_sink_%u", stream->id);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->rtpbin, name);
  g_autoptr(GstCaps) caps = pad ? gst_pad_get_current_caps (pad) : NULL;
  guint ssrc = 0;

  if (caps != NULL && gst_structure_get_uint (gst_caps_get_structure (caps, 0), "ssrc", &ssrc))
    g_atomic_int_set (&stream->media_ssrc, (gint) ssrc);
}

/* main context: the round trip from the peer's last report block */
static double
read_rtt_ms (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GObject) session = NULL;
  GValueArray *sources = NULL;
  double rtt = 0;

  g_signal_emit_by_name (self->rtpbin, "get-internal-session", stream->id, &session);
  if (session == NULL)
    return 0;
  g_object_get (session, "sources", &sources, NULL);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  for (guint i = 0; sources && i < sources->n_values; i++)
    {
      GObject *source = g_value_get_object (g_value_array_get_nth (sources, i));
      g_autoptr(GstStructure) s = NULL;
      gboolean have_rb = FALSE;
      guint round_trip = 0;

      g_object_get (source, "stats", &s, NULL);
      if (s && gst_structure_get_boolean (s, "have-rb", &have_rb) && have_rb &&
          gst_structure_get_uint (s, "rb-round-trip", &round_trip) && round_trip > 0)
        rtt = MAX (rtt, round_trip * 1000.0 / 65536.0);
    }
  if (sources)
    g_value_array_free (sources);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return rtt;
}

/* Random loss on a path that is not full reads as congestion over a few
 * dozen packets: 3 % loss puts more than 10 % into a window of 32 packets
 * about once a minute, and that blocked retransmission and stretched the
 * keyframe interval. A decision waits for MT_LOSS_MIN_PACKETS, or
 * MT_LOSS_MAX_WAIT_S, unless the loss is too heavy to be chance. */
#define MT_LOSS_MIN_PACKETS 60
#define MT_LOSS_MAX_WAIT_S 2.0
#define MT_LOSS_SURE 0.25

static gboolean
loss_window_is_enough (MtStream *stream, gint ext, double loss)
{
  if (stream->rr_seen == 0)
    return TRUE;
  return ext - stream->rr_seen_ext >= MT_LOSS_MIN_PACKETS ||
         stream->rr_age_s >= MT_LOSS_MAX_WAIT_S || loss > MT_LOSS_SURE;
}

/* main context, about once a second: a new report about our video moves
 * the encoder's rate; Opus is told the loss so that its FEC fits it */
static void
control_rate (MtStream *stream, double seconds)
{
  gint serial = g_atomic_int_get (&stream->rr_serial);
  gint lost = g_atomic_int_get (&stream->rr_lost);
  gint ext = g_atomic_int_get (&stream->rr_ext_seq);
  double loss = g_atomic_int_get (&stream->rr_fraction) / 256.0;
  guint remb = (guint) g_atomic_int_get (&stream->remb_kbps);
  guint target;

  stream->rr_age_s += seconds;
  if (serial == stream->rr_seen)
    return;
  /* loss over all reports since the last decision (early RTCP with NACKs
   * carries reports over a few packets only), else the last report's */
  if (stream->rr_seen != 0 && ext - stream->rr_seen_ext > 0)
    loss = CLAMP ((double) (lost - stream->rr_seen_lost) / (ext - stream->rr_seen_ext), 0.0, 1.0);
  if (!loss_window_is_enough (stream, ext, loss))
    return;
  stream->rr_seen = serial;
  stream->rr_seen_lost = lost;
  stream->rr_seen_ext = ext;
  stream->loss_reported = loss;
  if (stream->send_chain->loss_property != NULL)
    g_object_set (stream->encoder, stream->send_chain->loss_property,
                  (int) CLAMP (loss * 100 + 0.5, 0, 30), NULL);
  if (!stream->rate_on)
    return;
  g_atomic_int_set (&stream->rtx_blocked, loss > 0.10);
  mt_rate_control_set_max (&stream->rate, remb != 0 ? MIN (remb, stream->rate_max_kbps)
                                                    : stream->rate_max_kbps);
  target = mt_rate_control_update (&stream->rate, loss, stream->tx_kbps, stream->rtt_ms,
                                   stream->rr_age_s);
  stream->rr_age_s = 0;
  /* small steps would only make the encoder reconfigure */
  if (ABS ((int) target - (int) stream->current_kbps) * 50 >= (int) stream->current_kbps)
    set_encoder_kbps (stream, target);
}

static void
size_rtx_jitterbuffer (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GstElement) jitterbuffer = NULL;
  guint latency = 0, want;

  g_mutex_lock (&self->recv_lock);
  jitterbuffer = stream->jitterbuffer ? g_object_ref (stream->jitterbuffer) : NULL;
  g_mutex_unlock (&self->recv_lock);
  if (jitterbuffer == NULL)
    return;
  want = stream->rtt_ms > 0 ? (guint) (2 * stream->rtt_ms) + 60 : MT_RTX_LATENCY_START_MS;
  want = CLAMP (MAX (want, self->jitter_ms), self->jitter_ms, MT_RTX_LATENCY_MAX_MS);
  g_object_get (jitterbuffer, "latency", &latency, NULL);
  if (ABS ((int) want - (int) latency) > 20)
    g_object_set (jitterbuffer, "latency", want, NULL);
}

static void
quality_tick (MtMediaSession *self, MtStream *stream)
{
  gint64 now = g_get_monotonic_time ();
  guint tx, rx, frames, decoded;
  double seconds;

  if (stream == NULL || stream->neg == NULL || self->rtpbin == NULL)
    return;
  tx = (guint) g_atomic_int_get (&stream->tx_bytes);
  rx = (guint) g_atomic_int_get (&stream->rx_bytes);
  frames = (guint) g_atomic_int_get (&stream->enc_frames);
  decoded = (guint) g_atomic_int_get (&stream->decoded);
  if (stream->last_tick_us != 0 && now > stream->last_tick_us)
    {
      seconds = (now - stream->last_tick_us) / 1e6;
      stream->tx_kbps = 8.0 * (guint) (tx - stream->last_tx) / seconds / 1000;
      stream->rx_kbps = 8.0 * (guint) (rx - stream->last_rx_bytes) / seconds / 1000;
      stream->fps_sent = (guint) (frames - stream->last_frames) / seconds;
      stream->fps_decoded = (guint) (decoded - stream->last_decoded) / seconds;
      if (stream->encoder != NULL)
        control_rate (stream, seconds);
    }
  stream->last_tick_us = now;
  stream->last_tx = tx;
  stream->last_rx_bytes = rx;
  stream->last_frames = frames;
  stream->last_decoded = decoded;
  update_media_ssrc (self, stream);
  stream->rtt_ms = read_rtt_ms (self, stream);
  size_rtx_jitterbuffer (self, stream);
}

static guint64
structure_uint64 (GstStructure *s, const char *field)
{
  guint64 value = 0;

  if (s != NULL)
    gst_structure_get_uint64 (s, field, &value);
  return value;
}

static void
quality_fill_stats (MtMediaSession *self, MtStream *stream, MtStreamStats *out)
{
  g_autoptr(GstElement) jitterbuffer = NULL;
  g_autoptr(GstStructure) jb_stats = NULL;
  guint assoc = 0, rtx_sent = 0;

  out->tx_kbps = stream->tx_kbps;
  out->rx_kbps = stream->rx_kbps;
  out->rtt_ms = stream->rtt_ms;
  out->target_kbps = stream->current_kbps;
  out->loss_reported = stream->loss_reported;
  out->fps_sent = stream->fps_sent;
  out->fps_decoded = stream->fps_decoded;
  out->keyframes_requested = (guint) g_atomic_int_get (&stream->keyframes_requested);
  out->keyframe_requests_received = (guint) g_atomic_int_get (&stream->key_requests_in);
  out->keyframes_sent = (guint) g_atomic_int_get (&stream->keyframes_sent);
  out->keyframes_answered = (guint) g_atomic_int_get (&stream->keyframes_answered);
  out->longest_freeze_ms = (guint) g_atomic_int_get (&stream->longest_freeze_ms);
  out->rtx = stream->neg->send_rtx_pt != 0 && stream->neg->recv_rtx_pt != 0;
  g_mutex_lock (&self->recv_lock);
  jitterbuffer = stream->jitterbuffer ? g_object_ref (stream->jitterbuffer) : NULL;
  g_mutex_unlock (&self->recv_lock);
  if (jitterbuffer != NULL)
    g_object_get (jitterbuffer, "stats", &jb_stats, NULL);
  out->nacks_sent = structure_uint64 (jb_stats, "rtx-count");
  if (stream->rtx_receive != NULL)
    g_object_get (stream->rtx_receive, "num-rtx-assoc-packets", &assoc, NULL);
  if (stream->rtx_send != NULL)
    g_object_get (stream->rtx_send, "num-rtx-packets", &rtx_sent, NULL);
  out->retransmitted = assoc;
  out->rtx_sent = rtx_sent;
}

/* Our SDP: rtx for each video codec, and b=AS/b=TIAS from the configured
 * maxima (video: the codecs' default when not configured) */
#define MT_VIDEO_DEFAULT_KBPS 800

static void
add_quality_local (MtMediaSession *self, MtSdpLocal *local)
{
  if (self->video != NULL)
    mt_codecs_add_rtx (local, element_exists);
  local->audio_max_kbps = self->config->audio_bitrate_kbps;
  local->video_max_kbps = self->config->video_bitrate_kbps ? self->config->video_bitrate_kbps
                                                           : MT_VIDEO_DEFAULT_KBPS;
}

static void
connect_quality_signals (MtMediaSession *self)
{
  g_signal_connect (self->rtpbin, "request-aux-sender", G_CALLBACK (request_aux_sender_cb), self);
  g_signal_connect (self->rtpbin, "request-aux-receiver", G_CALLBACK (request_aux_receiver_cb),
                    self);
  g_signal_connect (self->rtpbin, "new-jitterbuffer", G_CALLBACK (new_jitterbuffer_cb), self);
}

/* ---- reflection guard (issue 10) ---------------------------------------
 *
 * An INVITE whose c= names a third party would make us send media there for
 * the whole call (a reflector for a flood). Ten seconds into the call, a
 * stream from whose address nothing (no RTP, no RTCP) came back stops
 * sending; it sends again as soon as something arrives. */

#define REFLECTION_GUARD_S 10

static GstPadProbeReturn
guard_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtStream *stream = user_data;

  return g_atomic_int_get (&stream->tx_blocked) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static void
add_guard_probe (GstElement *sink, MtStream *stream)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     guard_cb, stream, NULL);
}

static void
guard_reflection (MtMediaSession *self, MtStream *stream)
{
  gboolean heard, blocked;

  if (stream == NULL || stream->neg == NULL || self->running_ticks < REFLECTION_GUARD_S)
    return;
  heard = g_atomic_int_get (&stream->rx_packets) > 0 || g_atomic_int_get (&stream->rx_rtcp) > 0;
  blocked = g_atomic_int_get (&stream->tx_blocked);
  if (!heard && !blocked)
    g_message ("stream %u: nothing came back from %s in %u s: not sending there any more",
               stream->id, stream->neg->remote_address, REFLECTION_GUARD_S);
  else if (heard && blocked)
    g_message ("stream %u: %s answered: sending again", stream->id, stream->neg->remote_address);
  g_atomic_int_set (&stream->tx_blocked, !heard);
}

static GstPadProbeReturn
decoded_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtStream *stream = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    {
      g_atomic_int_inc (&stream->decoded);
      note_decoded_frame (stream);
    }
  else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

      if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS)
        {
          GstCaps *caps;
          GstStructure *s;
          int w = 0, h = 0;

          gst_event_parse_caps (event, &caps);
          s = gst_caps_get_structure (caps, 0);
          if (gst_structure_get_int (s, "width", &w) && gst_structure_get_int (s, "height", &h))
            {
              g_atomic_int_set (&stream->width, w);
              g_atomic_int_set (&stream->height, h);
            }
        }
    }
  return GST_PAD_PROBE_OK;
}

/* ---- echo cancellation --------------------------------------------------- */

/* A microphone (not a test tone, not a file): the default device or one
 * chosen in the preferences */
static gboolean
source_is_microphone (const char *setting)
{
  return setting == NULL || g_str_equal (setting, "auto") ||
         g_str_has_prefix (setting, "pulsesrc") || g_str_has_prefix (setting, "pipewiresrc") ||
         g_str_has_prefix (setting, "alsasrc");
}

static gboolean
wants_echo_cancel (MtMediaSession *self)
{
  return self->config->echo_cancel && source_is_microphone (self->config->audio_source) &&
         element_exists ("webrtcdsp") && element_exists ("webrtcechoprobe");
}

/* Before anything starts: the probe that hears what the speaker plays, for
 * webrtcdsp to find by name. A name of its own per pipeline: probes are
 * looked up process-wide. */
static void
add_echo_probe (MtMediaSession *self)
{
  static gint serial;
  g_autofree char *name = NULL;

  if (!wants_echo_cancel (self))
    return;
  name = g_strdup_printf ("mt-echo-probe-%d", g_atomic_int_add (&serial, 1));
  self->echo_probe = gst_element_factory_make ("webrtcechoprobe", name);
  gst_bin_add (GST_BIN (self->pipeline), self->echo_probe);
}

/* webrtcdsp at the start of the microphone chain: echo cancellation and
 * noise suppression; "" without a probe. Its automatic gain control stays
 * off: in the echo test it raised the residual echo by some 15 dB (from
 * >= 20 dB attenuation to 5-19 dB). High suppression, the extended filter
 * and delay-agnostic mode converge within a few seconds on PulseAudio. */
static char *
echo_dsp_description (MtMediaSession *self)
{
  if (self->echo_probe == NULL)
    return g_strdup ("");
  return g_strdup_printf ("audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000 ! "
                          "webrtcdsp name=dsp probe=%s echo-suppression-level=high "
                          "extended-filter=true delay-agnostic=true gain-control=false ! ",
                          GST_OBJECT_NAME (self->echo_probe));
}

/* Streaming thread: the first audio chain plays through the probe */
static GstElement *
claim_echo_probe (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->recv_lock);

  if (stream->kind != MT_SDP_MEDIA_AUDIO || self->echo_probe == NULL || self->echo_probe_used)
    return NULL;
  self->echo_probe_used = TRUE;
  return self->echo_probe;
}

/* ---- send side ---------------------------------------------------------- */

static char *
send_chain_description (MtMediaSession     *self,
                        MtStream           *stream,
                        const MtCodec      *info,
                        const MtCodecChain *chain)
{
  const MtSdpCodec *codec = stream->neg->send_codec;

  if (stream->kind == MT_SDP_MEDIA_AUDIO)
    {
      g_autofree char *dsp = echo_dsp_description (self);

      return g_strdup_printf ("%saudioconvert ! audioresample ! %s ! volume name=mic mute=%s ! "
                              "queue max-size-time=100000000 leaky=downstream ! %s ! %s pt=%u",
                              dsp, info->raw_caps, self->mic_muted ? "true" : "false",
                              chain->encoder, chain->payloader, codec->pt);
    }

  return g_strdup_printf ("videoconvert ! videoscale ! videorate ! "
                          "video/x-raw,width=%u,height=%u,framerate=%u/1 ! tee name=t ! "
                          "queue max-size-buffers=2 leaky=downstream ! valve name=camera drop=%s ! "
                          "%s ! %s pt=%u",
                          self->config->width, self->config->height, self->config->framerate,
                          self->camera_off ? "true" : "false",
                          chain->encoder, chain->payloader, codec->pt);
}

static gboolean
link_to_rtpbin (GstElement *src, MtMediaSession *self, const char *rtpbin_pad, GError **error)
{
  if (!gst_element_link_pads (src, NULL, self->rtpbin, rtpbin_pad))
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_PIPELINE,
                   "Could not link %s to rtpbin", GST_OBJECT_NAME (src));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_self_view (MtMediaSession *self, GstElement *chain)
{
  g_autoptr(GstElement) tee = gst_bin_get_by_name (GST_BIN (chain), "t");
  GstElement *queue;

  if (self->self_view_sink == NULL || tee == NULL)
    return TRUE;
  queue = gst_element_factory_make ("queue", NULL);
  g_object_set (queue, "max-size-buffers", 2, "leaky", 2, NULL);
  /* the bin takes a reference of its own: the sink is not floating */
  gst_bin_add_many (GST_BIN (self->pipeline), queue, self->self_view_sink, NULL);
  return gst_element_link_many (tee, queue, self->self_view_sink, NULL);
}

/* The configured encoder rate, in the encoder's own unit */
static void
set_bitrate (MtStream *stream, const MtCodecChain *codec_chain, GstElement *chain, guint kbps)
{
  g_autoptr(GstElement) enc = NULL;

  if (kbps == 0 || codec_chain->bitrate_property == NULL)
    return;
  enc = gst_bin_get_by_name (GST_BIN (chain), "enc");
  if (enc == NULL)
    return;
  g_debug ("stream %u: %s at %u kbit/s", stream->id, GST_OBJECT_NAME (enc), kbps);
  g_object_set (enc, codec_chain->bitrate_property, (int) (kbps * codec_chain->bitrate_per_kbps),
                NULL);
}

/* telephone events (RFC 4733) take the place of audio packets */
static void
add_dtmf_sender (MtMediaSession *self, MtStream *stream, GstElement *chain)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (chain, "src");

  g_clear_pointer (&self->dtmf_sender, mt_dtmf_sender_unref);
  self->dtmf_sender = mt_dtmf_sender_new (stream->neg->send_dtmf_pt,
                                          stream->neg->dtmf_clock_rate,
                                          stream->neg->send_codec->clock_rate);
  mt_dtmf_sender_attach (self->dtmf_sender, pad);
}

static gboolean
build_send (MtMediaSession *self, MtStream *stream, GError **error)
{
  const MtCodec *info = mt_codecs_lookup (stream->neg->send_codec->name);
  const MtCodecChain *codec_chain = info ? mt_codec_pick_chain (info, element_exists) : NULL;
  g_autofree char *src_desc = NULL;
  g_autofree char *chain_desc = NULL;
  g_autofree char *pad = NULL;
  GstElement *src, *chain;
  gboolean audio = stream->kind == MT_SDP_MEDIA_AUDIO;

  if (codec_chain == NULL)
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                   _("No encoder for %s"), stream->neg->send_codec->name);
      return FALSE;
    }

  src_desc = source_description (audio ? self->config->audio_source : self->config->video_source,
                                 stream->kind);
  chain_desc = send_chain_description (self, stream, info, codec_chain);
  g_debug ("send %u: %s ! %s", stream->id, src_desc, chain_desc);

  if (!(src = make_bin (src_desc, error)))
    return FALSE;
  drop_sink_ghost_pads (src);
  gst_bin_add (GST_BIN (self->pipeline), src);
  if (!(chain = make_bin (chain_desc, error)))
    return FALSE;
  g_object_set (chain, "name", audio ? "audio-send" : "video-send", NULL);
  gst_bin_add (GST_BIN (self->pipeline), chain);

  if (!gst_element_link (src, chain))
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                           audio ? _("The audio source does not fit the encoder")
                                 : _("The video source does not fit the encoder"));
      return FALSE;
    }
  if (codec_chain->single_nal_property &&
      mt_sdp_codec_get_h264_packetization_mode (stream->neg->send_codec) == 0)
    {
      /* packetization-mode 0: every NAL unit must fit one packet */
      g_autoptr(GstElement) enc = gst_bin_get_by_name (GST_BIN (chain), "enc");

      gst_util_set_object_arg (G_OBJECT (enc), codec_chain->single_nal_property,
                               codec_chain->single_nal_value);
    }
  set_bitrate (stream, codec_chain, chain,
               audio ? self->config->audio_bitrate_kbps : self->config->video_bitrate_kbps);
  setup_send_quality (self, stream, codec_chain, chain);
  if (!audio && !add_self_view (self, chain))
    g_warning ("Could not show the self view");

  pad = g_strdup_printf ("send_rtp_sink_%u", stream->id);
  if (audio && stream->neg->send_dtmf_pt != 0 && stream->neg->dtmf_clock_rate != 0)
    add_dtmf_sender (self, stream, chain);
  return link_to_rtpbin (chain, self, pad, error);
}

static GstElement *
make_udpsink (GSocket *sock, const char *host, guint port)
{
  GstElement *sink = gst_element_factory_make ("udpsink", NULL);

  g_object_set (sink, "socket", sock, "close-socket", FALSE, "host", host, "port", (int) port,
                "sync", FALSE, "async", FALSE, NULL);
  return sink;
}

static GstElement *
make_udpsrc (GSocket *sock, GstCaps *caps)
{
  GstElement *src = gst_element_factory_make ("udpsrc", NULL);

  g_object_set (src, "socket", sock, "close-socket", FALSE, NULL);
  if (caps)
    g_object_set (src, "caps", caps, NULL);
  return src;
}

static gboolean
link_if_present (GstElement *rtpbin, const char *pad_name, GstElement *sink)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (rtpbin, pad_name);

  if (pad == NULL)
    return TRUE;   /* we do not send on this stream */
  return gst_element_link_pads (rtpbin, pad_name, sink, "sink");
}

/* ---- SRTP between rtpbin and the net (mt-media-secure.c) ---------------- */

static gboolean
secure (MtStream *stream)
{
  return stream->neg->srtp != MT_SRTP_NONE;
}

static gboolean
link_pads_if_present (GstElement *from, const char *from_pad, GstElement *to, const char *to_pad)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (from, from_pad);

  if (pad == NULL)
    return TRUE;   /* we do not send on this stream */
  return gst_element_link_pads (from, from_pad, to, to_pad);
}

/* a decoder output this component does not carry: nothing should come out */
static gboolean
link_to_fakesink (MtMediaSession *self, GstElement *element, const char *pad_name)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), sink);
  return gst_element_link_pads (element, pad_name, sink, "sink");
}

static gboolean
link_secure_flow (MtMediaSession *self, MtStream *stream, GstElement *enc, GstElement *dec,
                  gboolean carried, const char *kind)
{
  g_autofree char *send = g_strdup_printf ("send_%s_src_%u", kind, stream->id);
  g_autofree char *recv = g_strdup_printf ("recv_%s_sink_%u", kind, stream->id);
  g_autofree char *enc_pad = g_strdup_printf ("%s_sink_0", kind);
  g_autofree char *dec_pad = g_strdup_printf ("%s_src", kind);

  if (!carried)
    return link_to_fakesink (self, dec, dec_pad);
  return link_pads_if_present (self->rtpbin, send, enc, enc_pad) &&
         gst_element_link_pads (dec, dec_pad, self->rtpbin, recv);
}

/* One transport component (net_out/net_in) carrying RTP, RTCP or both
 * (rtcp-mux), encrypted: rtpbin -> encoder -> net_out, net_in -> decoder
 * -> rtpbin. DTLS: one handshake per component (RFC 5764 4.1). */
static gboolean
link_secure_component (MtMediaSession *self, MtStream *stream, GstElement *net_out,
                       GstElement *net_in, gboolean rtp, gboolean rtcp, GError **error)
{
  static gint connections;
  g_autofree char *id = g_strdup_printf ("mtavip-%d-%d", (int) getpid (),
                                         g_atomic_int_add (&connections, 1));
  GstElement *dec = mt_secure_decoder_new (stream->neg, id, error);
  GstElement *enc = dec ? mt_secure_encoder_new (stream->neg, id, rtp, rtcp, error) : NULL;

  if (enc == NULL)
    {
      if (dec != NULL)
        gst_object_unref (gst_object_ref_sink (dec));
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (self->pipeline), dec, enc, NULL);
  if (!gst_element_link_pads (enc, "src", net_out, "sink") ||
      !gst_element_link_pads (net_in, "src", dec, "sink") ||
      !link_secure_flow (self, stream, enc, dec, rtp, "rtp") ||
      !link_secure_flow (self, stream, enc, dec, rtcp, "rtcp"))
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_PIPELINE,
                   "Could not connect the encryption elements of stream %u", stream->id);
      return FALSE;
    }
  return TRUE;
}

/* The "net" end of a stream: our UDP sockets (plain, symmetric RTP) */
static gboolean
build_net_udp (MtMediaSession *self, MtStream *stream, GError **error)
{
  MtSdpNegotiated *neg = stream->neg;
  g_autoptr(GstCaps) caps = add_feedback_caps (stream, rtp_caps_for (stream->kind, neg->recv_codec));
  g_autofree char *send_rtp = g_strdup_printf ("send_rtp_src_%u", stream->id);
  g_autofree char *send_rtcp = g_strdup_printf ("send_rtcp_src_%u", stream->id);
  g_autofree char *recv_rtp = g_strdup_printf ("recv_rtp_sink_%u", stream->id);
  g_autofree char *recv_rtcp = g_strdup_printf ("recv_rtcp_sink_%u", stream->id);
  GstElement *rtp_out = make_udpsink (stream->rtp_sock, neg->remote_address, neg->remote_rtp_port);
  GstElement *rtcp_out = make_udpsink (stream->rtcp_sock,
                                       neg->remote_rtcp_address ? neg->remote_rtcp_address
                                                                : neg->remote_address,
                                       neg->remote_rtcp_port);
  GstElement *rtp_in = make_udpsrc (stream->rtp_sock, secure (stream) ? NULL : caps);
  g_autoptr(GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  GstElement *rtcp_in = make_udpsrc (stream->rtcp_sock, secure (stream) ? NULL : rtcp_caps);

  gst_bin_add_many (GST_BIN (self->pipeline), rtp_out, rtcp_out, rtp_in, rtcp_in, NULL);
  add_guard_probe (rtp_out, stream);
  add_guard_probe (rtcp_out, stream);
  add_count_probe (rtp_in, "src", &stream->rx_packets);
  add_count_probe (rtp_out, "sink", &stream->tx_packets);
  add_count_probe (rtcp_in, "src", &stream->rx_rtcp);

  if (secure (stream))
    return link_secure_component (self, stream, rtp_out, rtp_in, TRUE, FALSE, error) &&
           link_secure_component (self, stream, rtcp_out, rtcp_in, FALSE, TRUE, error);
  if (!link_if_present (self->rtpbin, send_rtp, rtp_out) ||
      !gst_element_link_pads (self->rtpbin, send_rtcp, rtcp_out, "sink") ||
      !gst_element_link_pads (rtp_in, "src", self->rtpbin, recv_rtp) ||
      !gst_element_link_pads (rtcp_in, "src", self->rtpbin, recv_rtcp))
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_PIPELINE,
                   "Could not connect the network elements of stream %u", stream->id);
      return FALSE;
    }
  return TRUE;
}

/* ---- the "net" end through libnice (MtIceSession) ----------------------- */

/* RFC 5761 section 4: with rtcp-mux, RTCP packet types 192..223 share the
 * RTP port. A tee sends every packet to both rtpbin pads; these probes drop
 * what the pad is not for. */
static GstPadProbeReturn
mux_filter_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  gboolean want_rtcp = GPOINTER_TO_INT (user_data);
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 pt = 0;
  gboolean is_rtcp;

  if (gst_buffer_extract (buffer, 1, &pt, 1) != 1)
    return GST_PAD_PROBE_DROP;
  is_rtcp = pt >= 192 && pt <= 223;
  return is_rtcp == want_rtcp ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

static GstElement *
make_nice_element (MtMediaSession *self, MtStream *stream, const char *factory, guint component)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    return NULL;
  g_object_set (element, "agent", mt_ice_session_get_agent (self->ice),
                "stream", mt_ice_session_get_stream_id (self->ice, stream->id),
                "component", component, NULL);
  if (g_str_equal (factory, "nicesink"))
    g_object_set (element, "sync", FALSE, "async", FALSE, NULL);
  return element;
}

static GstElement *
make_capsfilter (GstCaps *caps)
{
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);

  g_object_set (filter, "caps", caps, NULL);
  return filter;
}

static gboolean
link_filtered_branch (GstElement *tee, GstElement *filter, GstElement *rtpbin,
                      const char *pad_name, gboolean want_rtcp)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (filter, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, mux_filter_cb,
                     GINT_TO_POINTER (want_rtcp), NULL);
  return gst_element_link (tee, filter) && gst_element_link_pads (filter, "src", rtpbin, pad_name);
}

/* rtcp-mux: one component; RTP and RTCP leave through a funnel and arrive
 * split by the probes above */
static gboolean
build_nice_muxed_plain (MtMediaSession *self, MtStream *stream, GstCaps *caps)
{
  g_autofree char *send_rtp = g_strdup_printf ("send_rtp_src_%u", stream->id);
  g_autofree char *send_rtcp = g_strdup_printf ("send_rtcp_src_%u", stream->id);
  g_autofree char *recv_rtp = g_strdup_printf ("recv_rtp_sink_%u", stream->id);
  g_autofree char *recv_rtcp = g_strdup_printf ("recv_rtcp_sink_%u", stream->id);
  g_autoptr(GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  GstElement *out = make_nice_element (self, stream, "nicesink", 1);
  GstElement *in = make_nice_element (self, stream, "nicesrc", 1);
  GstElement *funnel = gst_element_factory_make ("funnel", NULL);
  GstElement *tee = gst_element_factory_make ("tee", NULL);
  GstElement *rtp_filter = make_capsfilter (caps);
  GstElement *rtcp_filter = make_capsfilter (rtcp_caps);
  g_autoptr(GstPad) rtp_pad = gst_element_get_static_pad (self->rtpbin, send_rtp);

  gst_bin_add_many (GST_BIN (self->pipeline), out, in, funnel, tee, rtp_filter, rtcp_filter, NULL);
  add_count_probe (in, "src", &stream->rx_packets);
  add_count_probe (out, "sink", &stream->tx_packets);
  return gst_element_link (funnel, out) &&
         (rtp_pad == NULL || gst_element_link_pads (self->rtpbin, send_rtp, funnel, "sink_%u")) &&
         gst_element_link_pads (self->rtpbin, send_rtcp, funnel, "sink_%u") &&
         gst_element_link (in, tee) &&
         link_filtered_branch (tee, rtp_filter, self->rtpbin, recv_rtp, FALSE) &&
         link_filtered_branch (tee, rtcp_filter, self->rtpbin, recv_rtcp, TRUE);
}

/* encrypted: the decoder splits RTP from RTCP (and DTLS), the encoder
 * merges them */
static gboolean
build_nice_muxed (MtMediaSession *self, MtStream *stream, GstCaps *caps, GError **error)
{
  GstElement *out, *in;

  if (!secure (stream))
    return build_nice_muxed_plain (self, stream, caps);
  out = make_nice_element (self, stream, "nicesink", 1);
  in = make_nice_element (self, stream, "nicesrc", 1);
  gst_bin_add_many (GST_BIN (self->pipeline), out, in, NULL);
  add_count_probe (in, "src", &stream->rx_packets);
  add_count_probe (out, "sink", &stream->tx_packets);
  return link_secure_component (self, stream, out, in, TRUE, TRUE, error);
}

/* two components: RTP on 1, RTCP on 2 */
static gboolean
build_nice_pair (MtMediaSession *self, MtStream *stream, GstCaps *caps, GError **error)
{
  g_autofree char *send_rtp = g_strdup_printf ("send_rtp_src_%u", stream->id);
  g_autofree char *send_rtcp = g_strdup_printf ("send_rtcp_src_%u", stream->id);
  g_autofree char *recv_rtp = g_strdup_printf ("recv_rtp_sink_%u", stream->id);
  g_autofree char *recv_rtcp = g_strdup_printf ("recv_rtcp_sink_%u", stream->id);
  g_autoptr(GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  GstElement *rtp_out = make_nice_element (self, stream, "nicesink", 1);
  GstElement *rtcp_out = make_nice_element (self, stream, "nicesink", 2);
  GstElement *rtp_in = make_nice_element (self, stream, "nicesrc", 1);
  GstElement *rtcp_in = make_nice_element (self, stream, "nicesrc", 2);
  GstElement *rtp_filter = make_capsfilter (caps);
  GstElement *rtcp_filter = make_capsfilter (rtcp_caps);

  gst_bin_add_many (GST_BIN (self->pipeline), rtp_out, rtcp_out, rtp_in, rtcp_in,
                    rtp_filter, rtcp_filter, NULL);
  add_count_probe (rtp_in, "src", &stream->rx_packets);
  add_count_probe (rtp_out, "sink", &stream->tx_packets);
  add_count_probe (rtcp_in, "src", &stream->rx_rtcp);
  if (stream->neg->remote_ice == NULL)
    {
      /* a peer without ICE proved nothing: the reflection guard applies as
       * on our plain sockets (with ICE, consent freshness does this) */
      add_guard_probe (rtp_out, stream);
      add_guard_probe (rtcp_out, stream);
    }
  if (secure (stream))
    {
      gst_bin_remove_many (GST_BIN (self->pipeline), rtp_filter, rtcp_filter, NULL);
      return link_secure_component (self, stream, rtp_out, rtp_in, TRUE, FALSE, error) &&
             link_secure_component (self, stream, rtcp_out, rtcp_in, FALSE, TRUE, error);
    }
  return link_if_present (self->rtpbin, send_rtp, rtp_out) &&
         gst_element_link_pads (self->rtpbin, send_rtcp, rtcp_out, "sink") &&
         gst_element_link (rtp_in, rtp_filter) &&
         gst_element_link_pads (rtp_filter, "src", self->rtpbin, recv_rtp) &&
         gst_element_link (rtcp_in, rtcp_filter) &&
         gst_element_link_pads (rtcp_filter, "src", self->rtpbin, recv_rtcp);
}

static gboolean
build_net_nice (MtMediaSession *self, MtStream *stream, GError **error)
{
  MtSdpNegotiated *neg = stream->neg;
  g_autoptr(GstCaps) caps = add_feedback_caps (stream, rtp_caps_for (stream->kind, neg->recv_codec));
  gboolean mux = neg->remote_ice != NULL && neg->rtcp_mux;
  gboolean ok;

  if (!element_exists ("nicesrc"))
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                           _("GStreamer's nicesrc is missing (gstreamer1.0-nice)"));
      return FALSE;
    }
  if (neg->remote_ice != NULL)
    ok = mt_ice_session_set_remote (self->ice, stream->id, neg->remote_ice,
                                    neg->ice_controlling, neg->rtcp_mux, error);
  else
    ok = mt_ice_session_set_plain_remote (self->ice, stream->id,
                                          neg->remote_address, neg->remote_rtp_port,
                                          neg->remote_rtcp_address ? neg->remote_rtcp_address
                                                                   : neg->remote_address,
                                          neg->remote_rtcp_port, error);
  if (!ok)
    return FALSE;
  if (!(mux ? build_nice_muxed (self, stream, caps, error)
            : build_nice_pair (self, stream, caps, error)))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_PIPELINE,
                   "Could not connect the ICE elements of stream %u", stream->id);
      return FALSE;
    }
  return TRUE;
}

/* The seam where the transport is chosen: plain UDP or an ICE component.
 * (SRTP/DTLS elements go between rtpbin and whatever this builds.) */
static gboolean
build_net (MtMediaSession *self, MtStream *stream, GError **error)
{
  if (self->ice != NULL)
    return build_net_nice (self, stream, error);
  return build_net_udp (self, stream, error);
}

/* ---- receive side ------------------------------------------------------- */

/* Everything from here to the bus section runs on a streaming thread (see
 * the comment at the top). */

static MtStream *
stream_for_session (MtMediaSession *self, guint id)
{
  if (self->audio && self->audio->id == id)
    return self->audio;
  if (self->video && self->video->id == id)
    return self->video;
  return NULL;
}

static GstCaps *
request_pt_map_cb (GstElement *rtpbin, guint session, guint pt, gpointer user_data)
{
  MtMediaSession *self = user_data;
  MtStream *stream = stream_for_session (self, session);
  g_autoptr(MtSdpCodec) dtmf = NULL;

  if (stream == NULL || stream->neg == NULL)
    return NULL;
  if (pt == stream->neg->recv_codec->pt)
    return add_feedback_caps (stream, rtp_caps_for (stream->kind, stream->neg->recv_codec));
  if (stream->neg->recv_dtmf_pt && pt == stream->neg->recv_dtmf_pt)
    {
      dtmf = mt_sdp_codec_new ("telephone-event", pt,
                               stream->neg->dtmf_clock_rate ? stream->neg->dtmf_clock_rate : 8000,
                               1, NULL);
      return rtp_caps_for (stream->kind, dtmf);
    }
  return rtx_caps_for (stream, pt);
}

/* The GUI's video sink goes to the first decoder chain only; a second SSRC
 * gets a fakesink */
static gboolean
claim_video_sink (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->recv_lock);
  gboolean was_used = stream->sink_used;

  stream->sink_used = TRUE;
  return !was_used;
}

static GstElement *
take_sink (MtMediaSession *self, MtStream *stream, GError **error)
{
  g_autofree char *desc = NULL;

  if (stream->kind == MT_SDP_MEDIA_VIDEO && self->remote_video_sink)
    {
      /* not floating: the pipeline takes a reference of its own */
      if (claim_video_sink (self, stream))
        return self->remote_video_sink;
      desc = g_strdup ("fakesink sync=false async=false");
    }
  else
    desc = sink_description (stream->kind == MT_SDP_MEDIA_AUDIO ? self->config->audio_sink
                                                                : self->config->video_sink,
                             stream->kind);
  return make_bin (desc, error);
}

static void
link_discard (MtMediaSession *self, GstPad *pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  gst_pad_link (pad, sinkpad);
}

/* A second SSRC: keep asking the first one for keyframes */
static void
remember_decoder_pad (MtMediaSession *self, MtStream *stream, GstPad *pad)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->recv_lock);

  if (stream->decoder_pad == NULL)
    stream->decoder_pad = g_object_ref (pad);
}

/* decoder chain -> [echo probe] -> sink */
static gboolean
link_to_sink (MtMediaSession *self, MtStream *stream, GstElement *chain, GstElement *sink)
{
  GstElement *probe = claim_echo_probe (self, stream);

  if (probe == NULL)
    return gst_element_link (chain, sink);
  return gst_element_link_many (chain, probe, sink, NULL);
}

static gboolean
link_decoder (MtMediaSession *self, MtStream *stream, GstPad *pad, GError **error)
{
  const MtCodec *info = mt_codecs_lookup (stream->neg->recv_codec->name);
  const MtCodecChain *codec_chain = mt_codec_pick_chain (info, element_exists);
  g_autofree char *desc = NULL;
  g_autoptr(GstElement) dec = NULL;
  g_autoptr(GstPad) dec_src = NULL;
  g_autoptr(GstPad) chain_sink = NULL;
  GstElement *chain, *sink;

  desc = g_strdup_printf (stream->kind == MT_SDP_MEDIA_AUDIO
                          ? "%s ! %s ! audioconvert ! audioresample"
                          : "%s ! %s ! videoconvert",
                          codec_chain->depayloader, codec_chain->decoder);
  if (!(chain = make_bin (desc, error)))
    return FALSE;
  if (!(sink = take_sink (self, stream, error)))
    {
      gst_object_unref (gst_object_ref_sink (chain));
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (self->pipeline), chain, sink, NULL);

  dec = gst_bin_get_by_name (GST_BIN (chain), "dec");
  setup_decoder_quality (dec, codec_chain);
  dec_src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     decoded_cb, stream, NULL);

  if (!link_to_sink (self, stream, chain, sink))
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                           stream->kind == MT_SDP_MEDIA_AUDIO
                           ? _("The audio sink does not accept decoded audio")
                           : _("The video sink does not accept decoded video"));
      return FALSE;
    }
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (chain);
  chain_sink = gst_element_get_static_pad (chain, "sink");
  watch_key_requests (stream, chain_sink);
  remember_decoder_pad (self, stream, chain_sink);
  return gst_pad_link (pad, chain_sink) == GST_PAD_LINK_OK;
}

static void
pad_added_cb (GstElement *rtpbin, GstPad *pad, gpointer user_data)
{
  MtMediaSession *self = user_data;
  g_autoptr(GError) error = NULL;
  guint session, ssrc, pt;
  MtStream *stream;

  if (sscanf (GST_PAD_NAME (pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;

  stream = stream_for_session (self, session);
  if (stream != NULL && stream->neg != NULL && stream->neg->recv_dtmf_pt != 0 &&
      pt == stream->neg->recv_dtmf_pt)
    {
      mt_dtmf_receiver_watch (pad, self->rtpbin);
      link_discard (self, pad);
      return;
    }
  if (stream == NULL || stream->neg == NULL || pt != stream->neg->recv_codec->pt)
    {
      link_discard (self, pad);
      return;
    }
  if (!link_decoder (self, stream, pad, &error))
    {
      g_warning ("Could not decode stream %u: %s", session, error->message);
      link_discard (self, pad);
    }
}

/* ---- bus, timers -------------------------------------------------------- */

static gboolean
bus_cb (GstBus *bus, GstMessage *message, gpointer user_data)
{
  MtMediaSession *self = user_data;
  guint event, duration;

  if (mt_dtmf_parse_message (message, &event, &duration))
    g_signal_emit (self, signals[SIGNAL_DTMF], 0, event, duration);
  if (mt_secure_is_mismatch_message (message))
    g_signal_emit (self, signals[SIGNAL_ENCRYPTION_FAILED], 0);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_debug ("media error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
               error->message, debug ? debug : "");
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
expects_media (MtStream *stream)
{
  return stream && stream->neg && stream->neg->enabled &&
         (stream->neg->direction == MT_SDP_SENDRECV || stream->neg->direction == MT_SDP_RECVONLY);
}

/* Video arrives but nothing decodes: the keyframe (or H.264 SPS/PPS) went
 * missing, e.g. sent before our pipeline ran. Ask the sender for a new one;
 * rtpbin turns this into RTCP PLI/FIR. */
static GstPad *
dup_decoder_pad (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->recv_lock);

  return stream->decoder_pad ? g_object_ref (stream->decoder_pad) : NULL;
}

static void
request_keyframe_if_stuck (MtMediaSession *self, MtStream *stream)
{
  g_autoptr(GstPad) pad = NULL;

  if (stream == NULL || g_atomic_int_get (&stream->rx_packets) == 0 ||
      g_atomic_int_get (&stream->decoded) > 0)
    return;
  if (++stream->undecodable_ticks % 2 != 0)
    return;
  pad = dup_decoder_pad (self, stream);
  if (pad == NULL)
    return;
  g_debug ("stream %u: nothing decodes, asking for a keyframe", stream->id);
  gst_pad_push_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                         TRUE, 0));
}

/* Grow the jitter buffer with the jitter measured on what we receive */
static void
adapt_jitter_buffer (MtMediaSession *self)
{
  MtStreamStats audio, video;
  guint next;

  mt_media_session_get_stats (self, &audio, &video);
  next = mt_media_next_jitter_latency (self->jitter_ms, MAX (audio.jitter_ms, video.jitter_ms), 5,
                                       self->config->jitter_latency_ms,
                                       MAX (MT_JITTER_MAX_MS, self->config->jitter_latency_ms));
  if (next == self->jitter_ms || self->rtpbin == NULL)
    return;
  g_debug ("jitter %.1f/%.1f ms: jitter buffer %u -> %u ms", audio.jitter_ms, video.jitter_ms,
           self->jitter_ms, next);
  self->jitter_ms = next;
  g_object_set (self->rtpbin, "latency", next, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  MtMediaSession *self = user_data;
  MtStream *streams[] = { self->audio, self->video };
  gboolean expecting = FALSE, arrived = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      MtStream *stream = streams[i];
      gint now;

      if (!expects_media (stream))
        continue;
      expecting = TRUE;
      now = g_atomic_int_get (&stream->rx_packets);
      if (now != stream->last_rx)
        arrived = TRUE;
      stream->last_rx = now;
    }

  request_keyframe_if_stuck (self, self->video);
  quality_tick (self, self->audio);
  quality_tick (self, self->video);
  self->running_ticks++;
  guard_reflection (self, self->audio);
  guard_reflection (self, self->video);
  adapt_jitter_buffer (self);
  self->silent_ticks = (expecting && !arrived) ? self->silent_ticks + 1 : 0;
  if (self->config->media_timeout_s > 0 && self->silent_ticks == self->config->media_timeout_s)
    g_signal_emit (self, signals[SIGNAL_MEDIA_TIMEOUT], 0);
  return G_SOURCE_CONTINUE;
}

/* ---- call-sized elements ------------------------------------------------ */

/* Any thread: sound devices (also inside autoaudiosrc/-sink, which make
 * their device when they start) get buffers sized for a conversation */
static void
deep_element_added_cb (GstBin *bin, GstBin *sub_bin, GstElement *element, gpointer user_data)
{
  mt_media_tune_audio_device (element);
}

/* The network sets the pace of a call, not a sound card: with the system
 * clock, the microphone and the speaker are each slaved to it. A device
 * clock (autoaudiosrc's, when it is picked) drifted against the speaker
 * until the speaker dropped everything as late. */
static void
use_system_clock (GstElement *pipeline)
{
  g_autoptr(GstClock) clock = gst_system_clock_obtain ();

  gst_pipeline_use_clock (GST_PIPELINE (pipeline), clock);
}

/* ---- public ------------------------------------------------------------- */

static void
set_warning (MtMediaSession *self, const char *warning)
{
  if (g_strcmp0 (self->warning, warning) == 0)
    return;
  g_free (self->warning);
  self->warning = g_strdup (warning);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WARNING]);
}

MtMediaSession *
mt_media_session_new (const MtMediaConfig *config,
                      const char          *bind_address,
                      const char          *media_address,
                      GError             **error)
{
  g_autoptr(MtMediaSession) self = NULL;
  gboolean want_video;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (bind_address != NULL, NULL);

  self = g_object_new (MT_TYPE_MEDIA_SESSION, NULL);
  self->config = mt_media_config_copy (config);
  self->media_address = g_strdup (media_address ? media_address : bind_address);
  self->bind_address = g_strdup (bind_address);

  want_video = config->video;
  if (want_video && (config->video_source == NULL || g_str_equal (config->video_source, "auto"))
      && !have_camera ())
    {
      want_video = FALSE;
      set_warning (self, _("No camera was found, so this call is audio only."));
    }

  self->audio = stream_new (0, MT_SDP_MEDIA_AUDIO);
  if (want_video)
    self->video = stream_new (1, MT_SDP_MEDIA_VIDEO);
  if (config->ice)
    {
      /* ICE gathers on every interface (RFC 8445 5.1.1.1), not only the
       * one SIP listens on: a network change must find the new address */
      g_free (self->bind_address);
      self->bind_address = g_strdup (strchr (bind_address, ':') ? "::" : "0.0.0.0");
      self->ice = mt_ice_session_new (config, self->bind_address, want_video ? 2 : 1, error);
      return self->ice ? g_steal_pointer (&self) : NULL;
    }
  if (!stream_bind (self->audio, bind_address, error) ||
      (self->video && !stream_bind (self->video, bind_address, error)))
    return NULL;
  return g_steal_pointer (&self);
}

/* With ICE the m=/c= lines carry the default candidates (RFC 8839 4.2.1.2) */
static MtSdpLocal *
dup_local_ice (MtMediaSession *self, MtSdpLocal *local)
{
  g_autofree char *address = NULL;

  MtIceSession *ice = self->renewed_ice ? self->renewed_ice : self->ice;

  local->audio_ice = mt_ice_session_dup_local (ice, 0, &address, &local->audio_port,
                                               &local->audio_rtcp_port);
  if (address != NULL)
    {
      g_free (local->address);
      local->address = g_steal_pointer (&address);
    }
  if (self->video && local->video_codecs && local->video_codecs->len > 0)
    local->video_ice = mt_ice_session_dup_local (ice, 1, NULL, &local->video_port,
                                                 &local->video_rtcp_port);
  return local;
}

/* Policy, our certificate's fingerprint and this call's SDES keys; whether
 * SDES may be used is the signalling's business (MtCall sets local->sdes) */
static void
fill_local_security (MtMediaSession *self, MtSdpLocal *local)
{
  local->encryption = self->config->encryption;
  if (local->encryption == MT_ENCRYPTION_NONE)
    return;
  if (!self->config->no_dtls)
    local->fingerprint = g_strdup (mt_secure_get_fingerprint ());
  if (self->audio_keys == NULL)
    {
      self->audio_keys = mt_secure_new_sdes_keys ();
      self->video_keys = mt_secure_new_sdes_keys ();
    }
  for (guint i = 0; i < self->audio_keys->len; i++)
    g_ptr_array_add (local->audio_crypto, mt_sdp_crypto_copy (g_ptr_array_index (self->audio_keys, i)));
  for (guint i = 0; i < self->video_keys->len; i++)
    g_ptr_array_add (local->video_crypto, mt_sdp_crypto_copy (g_ptr_array_index (self->video_keys, i)));
}

MtSdpLocal *
mt_media_session_dup_local (MtMediaSession *self)
{
  MtSdpLocal *local;

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), NULL);

  local = mt_sdp_local_new ();
  g_free (local->address);
  local->address = g_strdup (self->media_address);
  mt_codecs_fill_local (local, self->config->audio_codecs, self->config->video_codecs,
                        element_exists);
  if (self->config->no_telephone_event)
    mt_dtmf_remove_telephone_event (local->audio_codecs);
  add_quality_local (self, local);
  fill_local_security (self, local);
  if (self->ice)
    return dup_local_ice (self, local);
  local->audio_port = self->audio->rtp_port;
  local->audio_rtcp_port = self->audio->rtcp_port;
  if (self->video && local->video_codecs && local->video_codecs->len > 0)
    {
      local->video_port = self->video->rtp_port;
      local->video_rtcp_port = self->video->rtcp_port;
    }
  return local;
}

const char *
mt_media_session_get_warning (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), NULL);
  return self->warning;
}

void
mt_media_session_set_video_sinks (MtMediaSession *self,
                                  GstElement     *remote_sink,
                                  GstElement     *self_view_sink)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));
  g_return_if_fail (self->pipeline == NULL);

  g_clear_object (&self->remote_video_sink);
  g_clear_object (&self->self_view_sink);
  if (remote_sink)
    self->remote_video_sink = gst_object_ref_sink (remote_sink);
  if (self_view_sink)
    self->self_view_sink = gst_object_ref_sink (self_view_sink);
}

static gboolean
sends (MtSdpDirection dir)
{
  return dir == MT_SDP_SENDRECV || dir == MT_SDP_SENDONLY;
}

static gboolean
start_stream (MtMediaSession *self, MtStream *stream, MtSdpNegotiated *neg, GError **error)
{
  const MtCodec *info;

  if (stream == NULL || neg == NULL || !neg->enabled)
    return TRUE;
  info = mt_codecs_lookup (neg->recv_codec->name);
  if (info == NULL || mt_codec_get_n_chains (info) == 0)
    {
      g_set_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION,
                   _("No decoder for %s"), neg->recv_codec->name);
      return FALSE;
    }
  stream->neg = mt_sdp_negotiated_copy (neg);

  /* the send chain first: requesting send_rtp_sink_N makes send_rtp_src_N */
  if (sends (neg->direction) && !build_send (self, stream, error))
    return FALSE;
  if (!build_net (self, stream, error))
    return FALSE;
  configure_rtp_session (self, stream);
  return TRUE;
}

static MtSdpNegotiated *
find_negotiated (GPtrArray *negotiated, MtSdpMediaKind kind)
{
  for (guint i = 0; i < negotiated->len; i++)
    {
      MtSdpNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->kind == kind && n->enabled)
        return n;
    }
  return NULL;
}

gboolean
mt_media_session_start (MtMediaSession *self, GPtrArray *negotiated, GError **error)
{
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (negotiated != NULL, FALSE);
  g_return_val_if_fail (self->pipeline == NULL, FALSE);
  g_return_val_if_fail (!self->released, FALSE);

  self->pipeline = gst_pipeline_new ("call");
  g_signal_connect (self->pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb), NULL);
  use_system_clock (self->pipeline);
  self->rtpbin = gst_element_factory_make ("rtpbin", "rtpbin");
  if (self->rtpbin == NULL)
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_ELEMENT_MISSING,
                           _("GStreamer's rtpbin is missing (gstreamer1.0-plugins-good)"));
      return FALSE;
    }
  self->jitter_ms = self->config->jitter_latency_ms;
  g_object_set (self->rtpbin, "latency", self->jitter_ms, "drop-on-latency", FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), self->rtpbin);
  g_signal_connect (self->rtpbin, "pad-added", G_CALLBACK (pad_added_cb), self);
  g_signal_connect (self->rtpbin, "request-pt-map", G_CALLBACK (request_pt_map_cb), self);
  connect_quality_signals (self);
  add_echo_probe (self);

  if (!start_stream (self, self->audio, find_negotiated (negotiated, MT_SDP_MEDIA_AUDIO), error) ||
      !start_stream (self, self->video, find_negotiated (negotiated, MT_SDP_MEDIA_VIDEO), error))
    {
      mt_media_session_stop (self);
      return FALSE;
    }

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, bus_cb, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_DEVICE,
                           _("The media pipeline could not start (is a device missing or busy?)"));
      mt_media_session_stop (self);
      return FALSE;
    }
  self->running_ticks = 0;
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  return TRUE;
}

void
mt_media_session_stop (MtMediaSession *self)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->pipeline)
    {
      mt_media_session_get_stats (self, &self->final_audio, &self->final_video);
      self->have_final = TRUE;
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
    }
  g_clear_object (&self->pipeline);
  quality_stream_reset (self->audio);
  quality_stream_reset (self->video);
  g_clear_pointer (&self->dtmf_sender, mt_dtmf_sender_unref);
  self->rtpbin = NULL;
  self->echo_probe = NULL;
  self->echo_probe_used = FALSE;
}

/* A new negotiation in the same call (hold, resume, a peer's re-INVITE):
 * same sockets and counters, a new pipeline for the new directions. */
gboolean
mt_media_session_restart (MtMediaSession *self, GPtrArray *negotiated, GError **error)
{
  MtStream *streams[2];

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (negotiated != NULL, FALSE);
  g_return_val_if_fail (!self->released, FALSE);

  mt_media_session_stop (self);
  self->have_final = FALSE;
  self->silent_ticks = 0;
  if (self->renewed_ice)
    {
      /* the answer to our ICE restart: the new agent takes over */
      g_clear_object (&self->ice);
      self->ice = g_steal_pointer (&self->renewed_ice);
    }
  streams[0] = self->audio;
  streams[1] = self->video;
  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      if (streams[i] == NULL)
        continue;
      g_clear_pointer (&streams[i]->neg, mt_sdp_negotiated_free);
      streams[i]->undecodable_ticks = 0;
      g_mutex_lock (&self->recv_lock);
      g_clear_object (&streams[i]->decoder_pad);
      streams[i]->sink_used = FALSE;
      g_mutex_unlock (&self->recv_lock);
    }
  return mt_media_session_start (self, negotiated, error);
}

gboolean
mt_media_session_is_running (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return self->pipeline != NULL;
}

static void
set_child_property (MtMediaSession *self, const char *bin, const char *child,
                    const char *property, gboolean value)
{
  g_autoptr(GstElement) chain = NULL;
  g_autoptr(GstElement) element = NULL;

  if (self->pipeline == NULL)
    return;
  chain = gst_bin_get_by_name (GST_BIN (self->pipeline), bin);
  if (chain)
    element = gst_bin_get_by_name (GST_BIN (chain), child);
  if (element)
    g_object_set (element, property, value, NULL);
}

void
mt_media_session_set_mic_muted (MtMediaSession *self, gboolean muted)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  muted = !!muted;
  if (self->mic_muted == muted)
    return;
  self->mic_muted = muted;
  set_child_property (self, "audio-send", "mic", "mute", self->mic_muted);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MIC_MUTED]);
}

gboolean
mt_media_session_get_mic_muted (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return self->mic_muted;
}

void
mt_media_session_set_camera_off (MtMediaSession *self, gboolean off)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  off = !!off;
  if (self->camera_off == off)
    return;
  self->camera_off = off;
  set_child_property (self, "video-send", "camera", "drop", self->camera_off);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAMERA_OFF]);
}

gboolean
mt_media_session_get_camera_off (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return self->camera_off;
}

static void
remote_source_stats (MtMediaSession *self, MtStream *stream, MtStreamStats *out)
{
  g_autoptr(GObject) session = NULL;
  GValueArray *sources = NULL;
  guint clock_rate = stream->neg ? stream->neg->recv_codec->clock_rate : 0;

  if (self->rtpbin == NULL)
    return;
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", stream->id, &session);
  if (session == NULL)
    return;
  g_object_get (session, "sources", &sources, NULL);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  for (guint i = 0; sources && i < sources->n_values; i++)
    {
      GObject *source = g_value_get_object (g_value_array_get_nth (sources, i));
      g_autoptr(GstStructure) s = NULL;
      gboolean internal = TRUE;
      int lost = 0;
      guint jitter = 0;

      g_object_get (source, "stats", &s, NULL);
      if (s == NULL || !gst_structure_get_boolean (s, "internal", &internal) || internal)
        continue;
      if (gst_structure_get_int (s, "packets-lost", &lost))
        out->rx_lost += MAX (lost, 0);
      if (gst_structure_get_uint (s, "jitter", &jitter) && clock_rate > 0)
        out->jitter_ms = MAX (out->jitter_ms, 1000.0 * jitter / clock_rate);
    }
  if (sources)
    g_value_array_free (sources);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
fill_stats (MtMediaSession *self, MtStream *stream, MtStreamStats *out)
{
  memset (out, 0, sizeof *out);
  if (stream == NULL || stream->neg == NULL)
    return;
  out->enabled = TRUE;
  g_strlcpy (out->codec, stream->neg->send_codec->name, sizeof out->codec);
  out->tx_packets = (guint) g_atomic_int_get (&stream->tx_packets);
  out->tx_bytes = (guint) g_atomic_int_get (&stream->tx_bytes);
  out->rx_packets = (guint) g_atomic_int_get (&stream->rx_packets);
  out->rx_bytes = (guint) g_atomic_int_get (&stream->rx_bytes);
  out->decoded = (guint) g_atomic_int_get (&stream->decoded);
  out->width = (guint) g_atomic_int_get (&stream->width);
  out->height = (guint) g_atomic_int_get (&stream->height);
  out->echo_cancel = stream->kind == MT_SDP_MEDIA_AUDIO && self->echo_probe != NULL &&
                     sends (stream->neg->direction);
  remote_source_stats (self, stream, out);
  quality_fill_stats (self, stream, out);
  if (stream->neg->srtp != MT_SRTP_NONE)
    g_strlcpy (out->srtp, mt_srtp_mode_to_string (stream->neg->srtp), sizeof out->srtp);
  if (stream->neg->srtp == MT_SRTP_SDES && stream->neg->send_crypto)
    g_strlcpy (out->srtp_suite, mt_srtp_suite_to_string (stream->neg->send_crypto->suite),
               sizeof out->srtp_suite);
  if (self->ice != NULL && mt_ice_session_uses_ice (self->ice, stream->id))
    {
      const char *local = mt_ice_session_get_local_type (self->ice, stream->id);
      const char *remote = mt_ice_session_get_remote_type (self->ice, stream->id);

      g_strlcpy (out->ice_state, mt_ice_session_get_state (self->ice, stream->id),
                 sizeof out->ice_state);
      g_strlcpy (out->ice_local, local ? local : "", sizeof out->ice_local);
      g_strlcpy (out->ice_remote, remote ? remote : "", sizeof out->ice_remote);
    }
}

MtSrtpMode
mt_media_session_get_srtp_mode (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), MT_SRTP_NONE);
  if (self->audio == NULL || self->audio->neg == NULL)
    return MT_SRTP_NONE;
  return self->audio->neg->srtp;
}

void
mt_media_session_get_stats (MtMediaSession *self, MtStreamStats *audio, MtStreamStats *video)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  if (self->pipeline == NULL && self->have_final)
    {
      if (audio)
        *audio = self->final_audio;
      if (video)
        *video = self->final_video;
      return;
    }
  if (audio)
    fill_stats (self, self->audio, audio);
  if (video)
    fill_stats (self, self->video, video);
}

/* ---- GObject ------------------------------------------------------------ */

static void
mt_media_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MtMediaSession *self = MT_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_MIC_MUTED:
      g_value_set_boolean (value, self->mic_muted);
      break;
    case PROP_CAMERA_OFF:
      g_value_set_boolean (value, self->camera_off);
      break;
    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_media_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MtMediaSession *self = MT_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_MIC_MUTED:
      mt_media_session_set_mic_muted (self, g_value_get_boolean (value));
      break;
    case PROP_CAMERA_OFF:
      mt_media_session_set_camera_off (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_media_session_dispose (GObject *object)
{
  MtMediaSession *self = MT_MEDIA_SESSION (object);

  mt_media_session_stop (self);
  g_clear_object (&self->remote_video_sink);
  g_clear_object (&self->self_view_sink);
  g_clear_object (&self->renewed_ice);
  g_clear_object (&self->ice);
  G_OBJECT_CLASS (mt_media_session_parent_class)->dispose (object);
}

static void
mt_media_session_finalize (GObject *object)
{
  MtMediaSession *self = MT_MEDIA_SESSION (object);

  g_clear_pointer (&self->audio, stream_free);
  g_clear_pointer (&self->video, stream_free);
  g_clear_pointer (&self->config, mt_media_config_free);
  g_free (self->media_address);
  g_free (self->bind_address);
  g_free (self->warning);
  g_clear_pointer (&self->audio_keys, g_ptr_array_unref);
  g_clear_pointer (&self->video_keys, g_ptr_array_unref);
  g_mutex_clear (&self->recv_lock);
  G_OBJECT_CLASS (mt_media_session_parent_class)->finalize (object);
}

static void
mt_media_session_class_init (MtMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mt_media_session_dispose;
  object_class->finalize = mt_media_session_finalize;
  object_class->get_property = mt_media_session_get_property;
  object_class->set_property = mt_media_session_set_property;

  props[PROP_MIC_MUTED] =
    g_param_spec_boolean ("mic-muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_CAMERA_OFF] =
    g_param_spec_boolean ("camera-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A sentence for a person when something was left out (no camera), or NULL */
  props[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* No RTP arrived for the configured time on any stream that should receive. */
  signals[SIGNAL_MEDIA_TIMEOUT] =
    g_signal_new ("media-timeout", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A GStreamer error, as a sentence */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* An RFC 4733 event from the peer (0-15: 0-9 * # A-D) and its duration
   * in RTP clock units, once it ended */
  signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /* DTLS-SRTP: the peer's certificate is not the one its SDP named; what
   * it sends is dropped, the call cannot be secure */
  signals[SIGNAL_ENCRYPTION_FAILED] =
    g_signal_new ("encryption-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mt_media_session_init (MtMediaSession *self)
{
  g_mutex_init (&self->recv_lock);
}

/* ---- RFC 4733 events we send -------------------------------------------- */

gboolean
mt_media_session_can_send_dtmf (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return self->dtmf_sender != NULL;
}

void
mt_media_session_send_dtmf (MtMediaSession *self, guint event, guint duration_ms)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  if (self->dtmf_sender != NULL)
    mt_dtmf_sender_send (self->dtmf_sender, event, duration_ms);
}

/**
 * mt_media_session_release:
 *
 * The call is over: stop, and give back what only a running call needs,
 * the sockets and the video sinks, while whoever shows the ended call keeps
 * the session for its final statistics. It cannot start again.
 */
void
mt_media_session_release (MtMediaSession *self)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));

  mt_media_session_stop (self);
  stream_close_sockets (self->audio);
  stream_close_sockets (self->video);
  g_clear_object (&self->remote_video_sink);
  g_clear_object (&self->self_view_sink);
  g_clear_object (&self->renewed_ice);
  self->released = TRUE;
}

/* ---- network changes (ICE restart) ------------------------------------------ */

gboolean
mt_media_session_uses_ice (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return self->ice != NULL && mt_ice_session_uses_ice (self->ice, 0);
}

gboolean
mt_media_session_network_lost (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return mt_media_session_uses_ice (self) && !mt_ice_session_addresses_present (self->ice);
}

gboolean
mt_media_session_network_ready (MtMediaSession *self)
{
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  return mt_ice_session_have_address (self->bind_address);
}

gboolean
mt_media_session_ice_connected (MtMediaSession *self)
{
  MtStream *streams[] = { self->audio, self->video };

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);

  if (self->ice == NULL || self->renewed_ice != NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    if (streams[i] && streams[i]->neg && streams[i]->neg->enabled &&
        mt_ice_session_uses_ice (self->ice, streams[i]->id) &&
        g_strcmp0 (mt_ice_session_get_state (self->ice, streams[i]->id), "connected") != 0)
      return FALSE;
  return TRUE;
}

gboolean
mt_media_session_renew_ice (MtMediaSession *self, GError **error)
{
  g_autoptr(MtMediaConfig) config = NULL;

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (self->ice != NULL, FALSE);

  config = mt_media_config_copy (self->config);
  config->ice_controlling = TRUE;   /* we offer the restart */
  g_clear_object (&self->renewed_ice);
  self->renewed_ice = mt_ice_session_new (config, self->bind_address, self->video ? 2 : 1, error);
  return self->renewed_ice != NULL;
}

void
mt_media_session_drop_renewed_ice (MtMediaSession *self)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));
  g_clear_object (&self->renewed_ice);
}

void
mt_media_session_use_selected_pairs (MtMediaSession *self, MtSdpSession *sdp, gboolean offer)
{
  g_return_if_fail (MT_IS_MEDIA_SESSION (self));
  g_return_if_fail (sdp != NULL);

  if (self->ice == NULL || self->renewed_ice != NULL)
    return;
  for (guint i = 0; i < sdp->streams->len; i++)
    {
      MtSdpStream *stream = g_ptr_array_index (sdp->streams, i);
      MtStream *ours = stream->kind == MT_SDP_MEDIA_AUDIO ? self->audio :
                       stream->kind == MT_SDP_MEDIA_VIDEO ? self->video : NULL;
      g_autofree char *address = NULL;

      if (ours == NULL || stream->ice == NULL || stream->port == 0 ||
          !mt_ice_session_narrow_to_selected (self->ice, ours->id, stream->ice,
                                              offer && mt_ice_session_get_controlling (self->ice),
                                              &address, &stream->port, &stream->rtcp_port))
        continue;
      g_free (stream->address);
      stream->address = g_strdup (address);
      if (stream->kind == MT_SDP_MEDIA_AUDIO)
        {
          g_free (sdp->address);
          sdp->address = g_strdup (address);
        }
    }
}

gboolean
mt_media_session_answer_ice_restart (MtMediaSession *self, const MtSdpSession *offer)
{
  gboolean restarted = FALSE;

  g_return_val_if_fail (MT_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (offer != NULL, FALSE);

  if (self->ice == NULL)
    return FALSE;
  for (guint i = 0; i < offer->streams->len; i++)
    {
      const MtSdpStream *stream = g_ptr_array_index (offer->streams, i);
      MtStream *ours = stream->kind == MT_SDP_MEDIA_AUDIO ? self->audio :
                       stream->kind == MT_SDP_MEDIA_VIDEO ? self->video : NULL;

      if (ours != NULL && stream->ice != NULL && stream->port != 0 &&
          mt_ice_session_is_restart (self->ice, ours->id, stream->ice))
        restarted |= mt_ice_session_restart_stream (self->ice, ours->id);
    }
  return restarted;
}
