/* mt-sdp.h: SDP offer/answer for MTAVIPClient
 *
 * Pure code over Sofia-SIP's SDP parser: no I/O, no GStreamer, no GObject
 * signals. Plain structs with free functions so that RFC 3264/4317 tables
 * become unit tests and the parser edge a fuzz target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-sdp-ice.h"
#include "mt-sdp-crypto.h"

G_BEGIN_DECLS

#define MT_SDP_ERROR (mt_sdp_error_quark ())
GQuark mt_sdp_error_quark (void);

typedef enum {
  MT_SDP_ERROR_PARSE,            /* not SDP at all, or a line the parser refuses */
  MT_SDP_ERROR_INVALID,          /* parses, but breaks a rule (no c=, bad port, ...) */
  MT_SDP_ERROR_NO_COMMON_CODEC,  /* nothing in the offer we can use: answer 488 */
  MT_SDP_ERROR_MISMATCH,         /* answer does not fit our offer (m-line count, codecs) */
  MT_SDP_ERROR_NOT_ENCRYPTED,    /* encryption is mandatory here (or the offer's profile
                                  * is secure-only) and the other side cannot encrypt */
} MtSdpError;

typedef enum {
  MT_SDP_MEDIA_AUDIO,
  MT_SDP_MEDIA_VIDEO,
  MT_SDP_MEDIA_OTHER,            /* e.g. application, text: always declined (port 0) */
} MtSdpMediaKind;

typedef enum {
  MT_SDP_SENDRECV,
  MT_SDP_SENDONLY,
  MT_SDP_RECVONLY,
  MT_SDP_INACTIVE,
} MtSdpDirection;

/* One payload format. Names compare case-insensitively; parsed ones are as
 * the peer wrote them (rtpmap-less static payloads get their RFC 3551 names),
 * negotiated ones as our SDP wrote them. */
typedef struct {
  char  *name;
  guint  pt;          /* payload type number, 0..127 */
  guint  clock_rate;  /* Hz; G722 is 8000 in SDP by RFC 3551 */
  guint  channels;    /* 1 unless stated (opus is 2) */
  char  *fmtp;        /* a=fmtp parameters, or NULL */
  /* rtcp-fb: only meaningful for video */
  gboolean fb_nack;
  gboolean fb_nack_pli;
  gboolean fb_ccm_fir;
} MtSdpCodec;

MtSdpCodec *mt_sdp_codec_new  (const char *name, guint pt, guint clock_rate,
                               guint channels, const char *fmtp);
MtSdpCodec *mt_sdp_codec_copy (const MtSdpCodec *codec);
void        mt_sdp_codec_free (MtSdpCodec *codec);
/* The value of fmtp parameter `key` (case-insensitive), newly allocated, or NULL */
char       *mt_sdp_codec_get_fmtp_param (const MtSdpCodec *codec, const char *key);
/* "packetization-mode" for H264 fmtp, 0 when absent */
guint       mt_sdp_codec_get_h264_packetization_mode (const MtSdpCodec *codec);
/* TRUE when a and b are the same format (name, clock rate, channels and, for
 * H264, the same packetization-mode); payload numbers are not compared */
gboolean    mt_sdp_codec_matches (const MtSdpCodec *a, const MtSdpCodec *b);

/* One m= line. */
typedef struct {
  MtSdpMediaKind kind;
  char          *media;        /* the m= media token as written, e.g. "audio" */
  char          *proto;        /* "RTP/AVP", "RTP/AVPF", ... */
  guint          port;         /* 0: declined / disabled */
  char          *address;      /* c= for this stream (media level, else session level) */
  guint          rtcp_port;    /* a=rtcp port, else port + 1 (0 when port is 0) */
  gboolean       rtcp_mux;     /* a=rtcp-mux present */
  MtSdpDirection direction;    /* a=sendrecv/... (media level, else session, else sendrecv) */
  GPtrArray     *codecs;       /* of MtSdpCodec*, in m= line order (preference order).
                                * For a non-RTP proto (e.g. "udptl") each entry's
                                * name is the m= format token as written, pt 0. */
  char          *rtcp_address; /* address from a=rtcp:PORT IN IP4 ADDR, or NULL */
  MtSdpIce      *ice;          /* ICE credentials and candidates (RFC 8839), NULL: no ICE.
                                * Parsed: only when ufrag and pwd are valid. */
  guint          bandwidth_as;   /* b=AS: kbit/s (RFC 4566), 0: none */
  guint          bandwidth_tias; /* b=TIAS: bit/s without headers (RFC 3890), 0: none */
  GPtrArray     *crypto;       /* of MtSdpCrypto*: a=crypto lines (SDES), in order */
  char          *fingerprint;  /* a=fingerprint (media, else session level), normalised
                                * "sha-256 AB:..."; NULL: none or not sha-256 */
  MtSdpSetup     setup;        /* a=setup (media, else session level) */
} MtSdpStream;

MtSdpStream *mt_sdp_stream_new  (MtSdpMediaKind kind);
void         mt_sdp_stream_free (MtSdpStream *stream);
/* first codec that is not telephone-event, or NULL */
const MtSdpCodec *mt_sdp_stream_get_primary_codec (const MtSdpStream *stream);
/* the telephone-event codec, or NULL */
const MtSdpCodec *mt_sdp_stream_get_dtmf_codec (const MtSdpStream *stream);
/* the rtx format (RFC 4588) whose apt= names payload `apt`, or NULL */
const MtSdpCodec *mt_sdp_stream_get_rtx_codec (const MtSdpStream *stream, guint apt);
/* The sender's limit from b=TIAS (else b=AS less ~5 % for headers), kbit/s; 0: none */
guint             mt_sdp_stream_get_max_kbps (const MtSdpStream *stream);
/* TRUE for "rtx" (RFC 4588): never a stream's primary format */
gboolean          mt_sdp_codec_is_rtx (const MtSdpCodec *codec);
/* apt= of an rtx format, 0 when absent */
guint             mt_sdp_codec_get_rtx_apt (const MtSdpCodec *codec);

/* A whole session description. */
typedef struct {
  char      *origin_user;      /* o= username, "-" by default */
  guint64    session_id;
  guint64    session_version;
  char      *address;          /* o= and session-level c= address (IPv4 or IPv6) */
  char      *session_name;     /* s=, "-" by default */
  GPtrArray *streams;          /* of MtSdpStream*, in m= line order */
} MtSdpSession;

MtSdpSession *mt_sdp_session_new  (void);
void          mt_sdp_session_free (MtSdpSession *session);
MtSdpSession *mt_sdp_session_copy (const MtSdpSession *session);

/* Parse text with Sofia's sdp_parse(). `len` may be (gsize) -1 when text is
 * NUL-terminated; input containing a NUL byte or larger than 256 KiB, or
 * with more than 32 m= lines, is refused. Refuses (MT_SDP_ERROR_PARSE or
 * _INVALID, with a message a person can act on) anything without v=, o=, s=,
 * a usable c= for each non-zero-port stream, or with a port > 65535. Unknown
 * attributes are ignored. rtpmap-less static payloads (0 PCMU, 8 PCMA, 9 G722)
 * get their RFC 3551 names. */
MtSdpSession *mt_sdp_parse (const char *text, gsize len, GError **error);

/* Serialise: v=0, o=, s=, c=, t=0 0, then per stream m=, (c= when it differs),
 * a=rtpmap, a=fmtp, a=rtcp-fb (video), a=rtcp:PORT, a=rtcp-mux (when set),
 * a=<direction>. CRLF line endings. */
char *mt_sdp_session_to_string (const MtSdpSession *session);

/* What this phone can do, used to build offers and answers. */
typedef struct {
  char      *address;          /* our media address, e.g. "127.0.0.1" */
  guint      audio_port;       /* RTP port (RTCP is audio_rtcp_port) */
  guint      audio_rtcp_port;
  guint      video_port;       /* 0: no video offered/accepted */
  guint      video_rtcp_port;
  GPtrArray *audio_codecs;     /* of MtSdpCodec*, preference order, our payload numbers */
  GPtrArray *video_codecs;     /* of MtSdpCodec*, empty/NULL: no video */
  MtSdpDirection audio_direction; /* normally SENDRECV; SENDONLY for hold */
  MtSdpDirection video_direction;
  /* ICE (NULL: plain RTP as before). When set, the ports and address above
   * are the default candidate, offers carry a=rtcp-mux, and answers use ICE
   * and rtcp-mux only when the offer did. */
  MtSdpIce      *audio_ice;
  MtSdpIce      *video_ice;
  /* b=AS/b=TIAS written on offers and answers; 0: no b= line */
  guint          audio_max_kbps;
  guint          video_max_kbps;
  /* SRTP. Offers: NONE plain RTP/AVP; OPTIONAL RTP/AVP with a=fingerprint
   * (when `fingerprint`) and a=crypto (when `sdes`), so that a plain peer
   * still answers; MANDATORY RTP/SAVP with a=crypto (+ a=fingerprint) when
   * `sdes`, else UDP/TLS/RTP/SAVP with a=fingerprint. Answers: DTLS when
   * offered, else SDES when offered and `sdes`, else plain where the offered
   * profile allows it and the policy is not MANDATORY. */
  MtEncryption   encryption;
  gboolean       sdes;         /* the signalling is secure (TLS): keys may go in SDP */
  char          *fingerprint;  /* our DTLS certificate, "sha-256 ..."; NULL: no DTLS */
  GPtrArray     *audio_crypto; /* of MtSdpCrypto*: one fresh key per suite we offer */
  GPtrArray     *video_crypto;
} MtSdpLocal;

/* audio_codecs/video_codecs start empty: the media layer's codec registry
 * fills them (mt_codecs_fill_local()) */
MtSdpLocal *mt_sdp_local_new  (void);
void        mt_sdp_local_free (MtSdpLocal *local);
/* Build an offer: one audio m= line and, when video_port != 0 and there are
 * video codecs, one video m= line. Session id/version from `session_id`. */
MtSdpSession *mt_sdp_build_offer (const MtSdpLocal *local, guint64 session_id);

/* Answer an offer (RFC 3264 section 6). One m= line per offered m= line, in
 * the same order. For each offered audio/video stream we take the first
 * offered codec we also support (offerer's preference), keep the OFFERER's
 * payload numbers, plus telephone-event if both have it; direction is the
 * RFC 3264 complement of the offer's direction intersected with ours; ICE
 * (our local->*_ice) and a=rtcp-mux are answered only when the offer has ICE
 * on that stream; a plain offer gets a plain answer. Declined streams (unknown media, no common
 * codec, a second audio/video stream, port 0 in the offer, or video when
 * local->video_port == 0) are answered with port 0 and the first offered
 * format. Fails with MT_SDP_ERROR_NO_COMMON_CODEC (message names what was
 * offered, e.g. "The caller offered only G729 audio") when no audio AND no
 * video stream could be accepted. */
MtSdpSession *mt_sdp_build_answer (const MtSdpSession *offer,
                                   const MtSdpLocal   *local,
                                   guint64             session_id,
                                   GError            **error);

/* What we negotiated for one stream, ready for the media layer. */
typedef struct {
  MtSdpMediaKind kind;
  gboolean       enabled;        /* FALSE: declined on either side */
  char          *remote_address;
  guint          remote_rtp_port;
  guint          remote_rtcp_port;
  char          *remote_rtcp_address; /* a=rtcp address if given, else remote_address */
  MtSdpDirection direction;      /* from OUR point of view: SENDRECV, SENDONLY... */
  MtSdpCodec    *send_codec;     /* with the payload number the peer expects (peer's SDP) */
  MtSdpCodec    *recv_codec;     /* same format, with the payload number we receive (our SDP) */
  guint          send_dtmf_pt;   /* 0 when no telephone-event */
  guint          recv_dtmf_pt;
  guint          dtmf_clock_rate; /* of telephone-event (RFC 4733), when negotiated */
  /* ICE: both sides offered it on this stream. NULL: plain RTP to remote_* */
  MtSdpIce      *remote_ice;     /* the peer's credentials and candidates */
  gboolean       ice_controlling;/* RFC 8445 6.1.1: the offerer, or the full side facing a lite one */
  gboolean       rtcp_mux;       /* both signalled a=rtcp-mux: RTCP on the RTP component */
  /* RFC 4588 retransmission: both sides listed rtx for the codec. 0: none */
  guint          send_rtx_pt;    /* the peer's number (peer's SDP) */
  guint          recv_rtx_pt;    /* ours */
  guint          remote_max_kbps;/* the peer's b=TIAS/b=AS: cap on what we send; 0: none */
  /* SRTP: NONE, SDES (send_crypto is our key, recv_crypto the peer's, same
   * suite) or DTLS (the peer's certificate must match remote_fingerprint;
   * dtls_client: we are a=setup:active and start the handshake) */
  MtSrtpMode     srtp;
  MtSdpCrypto   *send_crypto;
  MtSdpCrypto   *recv_crypto;
  char          *remote_fingerprint;
  gboolean       dtls_client;
} MtSdpNegotiated;
/* When `enabled` is FALSE, send_codec/recv_codec/remote_* may be NULL/0. */

MtSdpNegotiated *mt_sdp_negotiated_copy (const MtSdpNegotiated *n);
void             mt_sdp_negotiated_free (MtSdpNegotiated *n);

/* Negotiate from our SDP and the peer's SDP (either role: `local_sdp` is the
 * offer we sent and `remote_sdp` the answer, or `remote_sdp` is the offer and
 * `local_sdp` the answer we built). Returns a GPtrArray of MtSdpNegotiated*
 * (element free func set), one per m= line, or NULL with
 * MT_SDP_ERROR_MISMATCH (answer has a different number of m= lines, or picks a
 * codec we did not offer) / MT_SDP_ERROR_NO_COMMON_CODEC (every stream ended
 * up disabled). `is_offerer` says whether local_sdp was the offer. */
GPtrArray *mt_sdp_negotiate (const MtSdpSession *local_sdp,
                             const MtSdpSession *remote_sdp,
                             gboolean            is_offerer,
                             GError            **error);

/* "RTP/AVP" family 0 (plain), 1 RTP/SAVP(F), 2 UDP/TLS/RTP/SAVP(F), -1 not RTP */
int            mt_sdp_proto_security       (const char *proto);

const char    *mt_sdp_direction_to_string   (MtSdpDirection dir);
MtSdpDirection mt_sdp_direction_reverse     (MtSdpDirection dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpCodec, mt_sdp_codec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpStream, mt_sdp_stream_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpSession, mt_sdp_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpLocal, mt_sdp_local_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpNegotiated, mt_sdp_negotiated_free)

G_END_DECLS
