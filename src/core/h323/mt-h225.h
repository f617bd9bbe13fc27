/* mt-h225.h: H.225.0 call signalling messages: TPKT, Q.931, H.323-UU-PDU
 *
 * Plain structs and pure functions, like the SDP module: the messages this
 * endpoint sends and the fields of the peer's it reads. Q.931 (Setup, Call
 * Proceeding, Alerting, Connect, Release Complete, Facility) with Bearer
 * capability, Cause, Display and User-user; in the User-user the
 * H323-UserInformation in aligned PER (H.225.0 version 4 types from the
 * 2009 module): protocolIdentifier, callIdentifier, conferenceID,
 * source/destination aliases and call signal addresses, fastStart,
 * fastConnectRefused, h245Tunnelling, h245Control, the release reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "mt-enums.h"

G_BEGIN_DECLS

#define MT_H225_ERROR (mt_h225_error_quark ())
GQuark mt_h225_error_quark (void);

typedef enum {
  MT_H225_ERROR_TRUNCATED,   /* shorter than its lengths say */
  MT_H225_ERROR_INVALID,     /* not Q.931, or PER that does not decode */
  MT_H225_ERROR_UNSUPPORTED, /* valid, but something we do not take (IPv6 address, ...) */
} MtH225Error;

typedef enum {
  MT_Q931_ALERTING         = 0x01,
  MT_Q931_CALL_PROCEEDING  = 0x02,
  MT_Q931_SETUP            = 0x05,
  MT_Q931_CONNECT          = 0x07,
  MT_Q931_RELEASE_COMPLETE = 0x5a,
  MT_Q931_FACILITY         = 0x62,
  MT_Q931_STATUS           = 0x7d,
} MtQ931Type;

/* Q.931 cause values (Q.850) we send and map */
enum {
  MT_Q931_CAUSE_UNALLOCATED_NUMBER  = 1,
  MT_Q931_CAUSE_NO_ROUTE            = 3,
  MT_Q931_CAUSE_NORMAL_CLEARING     = 16,
  MT_Q931_CAUSE_USER_BUSY           = 17,
  MT_Q931_CAUSE_NO_USER_RESPONDING  = 18,
  MT_Q931_CAUSE_NO_ANSWER           = 19,
  MT_Q931_CAUSE_CALL_REJECTED       = 21,
  MT_Q931_CAUSE_DEST_OUT_OF_ORDER   = 27,
  MT_Q931_CAUSE_NORMAL_UNSPECIFIED  = 31,
  MT_Q931_CAUSE_NETWORK_OUT_OF_ORDER = 38,
  MT_Q931_CAUSE_BEARER_NOT_IMPLEMENTED = 65,
  MT_Q931_CAUSE_INCOMPATIBLE_DEST   = 88,
  MT_Q931_CAUSE_INVALID_MESSAGE     = 95,
  MT_Q931_CAUSE_RECOVERY_ON_TIMER   = 102,
};

/* ReleaseCompleteReason root alternatives we use */
typedef enum {
  MT_H225_REASON_NONE                   = -1,
  MT_H225_REASON_UNREACHABLE_DEST       = 2,
  MT_H225_REASON_DESTINATION_REJECTION  = 3,
  MT_H225_REASON_ADAPTIVE_BUSY          = 9,
  MT_H225_REASON_IN_CONF                = 10,
  MT_H225_REASON_UNDEFINED              = 11,
} MtH225Reason;

typedef struct {
  gboolean set;
  guint8   ip[4];
  guint16  port;
} MtH225Address;

typedef struct {
  MtQ931Type    type;
  guint16       call_reference;     /* 15 bits */
  gboolean      from_destination;   /* the call reference flag */
  guint         cause;              /* Q.931 cause value; 0: no Cause IE */
  char         *display;            /* Display IE (valid UTF-8 once decoded), or NULL */

  /* the H.323-UU-PDU; absent when has_uu is FALSE */
  gboolean      has_uu;
  guint8        call_id[16];
  guint8        conference_id[16];
  char         *source_alias;       /* first usable alias (h323-ID, digits, URL), or NULL */
  char         *dest_alias;
  MtH225Address source_address;     /* sourceCallSignalAddress (Setup) */
  MtH225Address dest_address;       /* destCallSignalAddress (Setup) */
  GPtrArray    *fast_start;         /* of GBytes: encoded OpenLogicalChannels; NULL: absent */
  gboolean      fast_connect_refused;
  gboolean      h245_tunnelling;
  GPtrArray    *h245_control;       /* of GBytes: tunnelled H.245 messages; NULL: absent */
  MtH225Reason  reason;             /* Release Complete reason, or NONE */
  char         *product;            /* the peer's vendor productId, or NULL */
} MtH225Message;

/* at most this many fastStart / h245Control elements are taken */
#define MT_H225_MAX_ELEMENTS 64

MtH225Message *mt_h225_message_new  (MtQ931Type type, guint16 call_reference,
                                     gboolean from_destination);
void           mt_h225_message_free (MtH225Message *m);
/* appends a copy */
void           mt_h225_message_add_fast_start (MtH225Message *m, GBytes *olc);

/* The Q.931 message (without TPKT) */
GBytes        *mt_h225_message_encode (const MtH225Message *m);
MtH225Message *mt_h225_message_decode (const guint8 *data, gsize len, GError **error);

/* RFC 1006: 03 00 LEN-HI LEN-LO, the length counting the 4 header octets */
GBytes        *mt_tpkt_wrap (GBytes *payload);
/* Of the bytes at `data`: the whole frame's length when it is complete, 0
 * when more is needed, -1 when it is not TPKT (version not 3, length < 5) */
gssize         mt_tpkt_frame_length (const guint8 *data, gsize len);

const char    *mt_q931_type_to_string (MtQ931Type type);

/* What a person is told when the peer released with this cause / reason
 * (`answered`: the call was connected, so a normal clearing is a hang-up) */
MtEndReason    mt_h225_end_reason_from (guint cause, MtH225Reason reason,
                                        MtCallDirection direction, gboolean answered);
/* The cause (and reason) we release with when our call ends this way */
guint          mt_h225_cause_for (MtEndReason reason, MtH225Reason *rc_reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtH225Message, mt_h225_message_free)

G_END_DECLS
