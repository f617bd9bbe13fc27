/* mt-h245.h: the H.245 we need for Fast Connect (H.323 section 8.1.7)
 *
 * OpenLogicalChannel in aligned PER for G.711 µ-law/A-law, G.722 and H.264
 * (H.241 generic capability, packetization mode 0/1 as RTP payload
 * descriptor), with H.225.0 logical channel parameters: session, RTP and
 * RTCP addresses (IPv4), dynamic payload type. And Fast Connect itself:
 * the caller's proposals from our capabilities, the callee's choice, and
 * both sides' result as MtSdpNegotiated for the media session.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-sdp.h"

G_BEGIN_DECLS

#define MT_H245_ERROR (mt_h245_error_quark ())
GQuark mt_h245_error_quark (void);

typedef enum {
  MT_H245_ERROR_INVALID,          /* does not decode */
  MT_H245_ERROR_UNSUPPORTED,      /* decodes, but uses what we do not do */
  MT_H245_ERROR_NO_COMMON_CODEC,  /* nothing proposed that we can use */
} MtH245Error;

typedef enum {
  MT_H245_CAP_NULL,               /* nullData: the reverse-only half of a channel */
  MT_H245_CAP_UNKNOWN,            /* a capability we do not take */
  MT_H245_CAP_G711_ULAW,
  MT_H245_CAP_G711_ALAW,
  MT_H245_CAP_G722,
  MT_H245_CAP_H264,
} MtH245Cap;

#define MT_H245_SESSION_AUDIO 1
#define MT_H245_SESSION_VIDEO 2

typedef struct {
  gboolean set;
  guint8   ip[4];
  guint16  port;
} MtH245Address;

/* One OpenLogicalChannel, flattened. A forward channel carries media from
 * its proposer; a "reverse" one (forward nullData + reverse parameters)
 * carries media to it. The H.225.0 parameters are those of the direction
 * that carries media. */
typedef struct {
  guint16       number;            /* forwardLogicalChannelNumber */
  gboolean      reverse;
  MtH245Cap     cap;
  guint         session_id;
  guint         payload_type;      /* dynamicRTPPayloadType, or the static one */
  guint         packetization;     /* H.264: 0 single NAL, 1 non-interleaved */
  guint         frames;            /* audio: frames (ms) per packet */
  guint         max_bitrate;       /* video: in 100 bit/s */
  MtH245Address media;             /* mediaChannel: RTP */
  MtH245Address control;           /* mediaControlChannel: RTCP */
} MtH245Channel;

GBytes  *mt_h245_olc_encode (const MtH245Channel *channel);
gboolean mt_h245_olc_decode (const guint8 *data, gsize len, MtH245Channel *channel,
                             GError **error);

const char *mt_h245_cap_to_string (MtH245Cap cap);

/* ---- Fast Connect ------------------------------------------------------------ */

/* The caller's proposals (of GBytes, encoded OLCs): for each codec of
 * `local` we can carry, a channel we send on and one we receive on, audio
 * first; RTP/RTCP at local->address. NULL when no codec can be proposed. */
GPtrArray *mt_fast_start_propose (const MtSdpLocal *local, GError **error);

/* The callee: choose from the proposals (the caller's preference order),
 * one audio and one video format each way. *answer: the OLCs to return (of
 * GBytes); the result: an array of MtSdpNegotiated (audio, then video when
 * chosen), or NULL with MT_H245_ERROR_NO_COMMON_CODEC. */
GPtrArray *mt_fast_start_answer (GPtrArray         *proposals,
                                 const MtSdpLocal  *local,
                                 GPtrArray        **answer,
                                 GError           **error);

/* The caller again: what the callee returned (of GBytes) becomes an array
 * of MtSdpNegotiated, or NULL with an error */
GPtrArray *mt_fast_start_accept (GPtrArray        *answer,
                                 const MtSdpLocal *local,
                                 GError          **error);

/* ---- H.245 procedures (tunnelled in H.225.0 when Fast Connect is not used) ---- */

typedef enum {
  MT_H245_MSG_OTHER,              /* decodes, but not one we act on */
  MT_H245_MSG_TCS,                /* TerminalCapabilitySet */
  MT_H245_MSG_TCS_ACK,
  MT_H245_MSG_MSD,                /* MasterSlaveDetermination */
  MT_H245_MSG_MSD_ACK,
  MT_H245_MSG_OLC,                /* OpenLogicalChannel */
  MT_H245_MSG_OLC_ACK,
  MT_H245_MSG_OLC_REJECT,
  MT_H245_MSG_USER_INPUT,         /* UserInputIndication: alphanumeric or signal */
} MtH245MessageType;

typedef struct {
  MtH245MessageType type;
  guint             sequence;        /* TCS, TCS ack */
  GArray           *caps;            /* TCS: of MtH245Channel (cap, session_id,
                                      * packetization): what the sender receives,
                                      * in its order of preference */
  guint             terminal_type;   /* MSD */
  guint32           status_number;   /* MSD, 24 bits */
  gboolean          you_are_master;  /* MSD ack: the decision for its receiver */
  MtH245Channel     channel;         /* OLC; OLC ack (number, session, media,
                                      * control, payload type); reject (number) */
  char              user_input;      /* a DTMF digit: 0-9 * # A-D (! is a flash) */
  gboolean          signal;          /* user input as "signal" (else alphanumeric) */
} MtH245Message;

void     mt_h245_message_clear  (MtH245Message *m);
/* a MultimediaSystemControlMessage */
GBytes  *mt_h245_message_encode (const MtH245Message *m);
gboolean mt_h245_message_decode (const guint8 *data, gsize len, MtH245Message *m,
                                 GError **error);

/* What we receive (for our TCS), of MtH245Channel, audio then video */
GArray          *mt_h245_local_caps      (const MtSdpLocal *local);
/* The channel we open in `session`: the first of the peer's receive
 * capabilities that we can send, with our RTCP address; FALSE: none */
gboolean         mt_h245_choose_transmit (const MtSdpLocal  *local,
                                          GArray            *peer_caps,
                                          guint              session,
                                          guint16            number,
                                          MtH245Channel     *out);
/* Our media parameters as an OLC ack for the peer's channel `olc`; FALSE
 * when we cannot receive its format */
gboolean         mt_h245_accept_channel  (const MtSdpLocal    *local,
                                          const MtH245Channel *olc,
                                          MtH245Channel       *ack);
/* One stream from what was opened: `tx` our channel as the peer acked it
 * (media = where to send), `rx` the peer's channel; either may be NULL */
MtSdpNegotiated *mt_h245_negotiated      (const MtSdpLocal    *local,
                                          const MtH245Channel *tx,
                                          const MtH245Channel *rx);

G_END_DECLS
