/* mt-call.h: one SIP call and its state machine
 *
 *   outgoing:  NEW -> CALLING -> (RINGING) -> ACTIVE <-> HELD -> ENDED
 *   incoming:  NEW -> INCOMING -> ACTIVE <-> HELD -> ENDED
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mt-enums.h"
#include "mt-media-session.h"
#include "mt-tls.h"

G_BEGIN_DECLS

#define MT_TYPE_CALL (mt_call_get_type ())
G_DECLARE_FINAL_TYPE (MtCall, mt_call, MT, CALL, GObject)

const char      *mt_call_get_id          (MtCall *self);
MtCallDirection  mt_call_get_direction   (MtCall *self);
MtCallState      mt_call_get_state       (MtCall *self);
MtEndReason      mt_call_get_end_reason  (MtCall *self);
/* sip:bob@example.org */
const char      *mt_call_get_remote_uri  (MtCall *self);
/* display name from the From/To header, or NULL */
const char      *mt_call_get_remote_name (MtCall *self);
/* TRUE when the remote identity can be trusted: we called it, or the call
 * came through our account's server; FALSE for a caller who reached us
 * directly (the From is whatever the caller wrote) */
gboolean         mt_call_get_caller_verified (MtCall *self);
/* TRUE when the dialog's signalling runs over TLS (sips:, transport=tls, or
 * an INVITE that came over TLS): only then are SDES keys put in SDP */
gboolean         mt_call_get_signalling_secure (MtCall *self);
/* TRUE when video was negotiated (or offered, before an answer) */
gboolean         mt_call_get_has_video   (MtCall *self);
/* seconds since the call became active (how long it lasted, once ended); 0 before */
guint            mt_call_get_duration    (MtCall *self);
/* the status line of the final SIP response, e.g. "486 Busy Here", or NULL */
const char      *mt_call_get_end_status  (MtCall *self);
MtMediaSession  *mt_call_get_media_session (MtCall *self);

/* An incoming call: answer (200 + SDP answer) or decline (603) */
void             mt_call_answer  (MtCall *self);
void             mt_call_decline (MtCall *self);
/* Hold (re-INVITE with a=sendonly) and resume (a=sendrecv); the state goes
 * HELD and back to ACTIVE when the peer answers */
void             mt_call_set_hold (MtCall *self, gboolean hold);
gboolean         mt_call_get_hold (MtCall *self);
/* Ends the call whatever its state: CANCEL, BYE, or decline */
void             mt_call_hangup  (MtCall *self);

/* What we send; the "mic-muted" and "camera-off" properties */
void             mt_call_set_mic_muted   (MtCall *self, gboolean muted);
gboolean         mt_call_get_mic_muted   (MtCall *self);
void             mt_call_set_camera_off  (MtCall *self, gboolean off);
gboolean         mt_call_get_camera_off  (MtCall *self);
/* A sentence for a person: what the media layer left out (no camera) or
 * failed at, or NULL; the "warning" property */
const char      *mt_call_get_warning     (MtCall *self);
/* For the GUI: video sinks it owns the other end of (NULL: the configured
 * sink / no self view); before the call connects */
void             mt_call_set_video_sinks (MtCall     *self,
                                          GstElement *remote,
                                          GstElement *self_view);
/* when the call was made or came in, unix seconds */
gint64           mt_call_get_start_time  (MtCall *self);
/* TRUE once the call became active (answered by someone) */
gboolean         mt_call_get_answered    (MtCall *self);
/* the signalling protocol: "sip" or "h323" */
const char      *mt_call_get_protocol    (MtCall *self);
/* Send DTMF digits (0-9 * # A-D) to the peer of an active or held call:
 * RFC 4733 telephone-event when the peer takes it, else SIP INFO; on other
 * protocols the way they carry keys (H.245 user input). Queued one after
 * the other. The "dtmf" signal (digit, incoming, method: "rfc4733", "info",
 * or the protocol's name) reports each one sent and each one received.
 * FALSE when the call is not up or `digits` holds something else. */
gboolean         mt_call_send_dtmf       (MtCall *self, const char *digits);

/* Blind transfer (RFC 3515): ask the peer to call `target` (a SIP URI);
 * the call ends with reason "transferred" once the peer's new call is
 * answered. FALSE when the call is not up or a transfer is under way. The
 * "transfer" signal (target) says the peer transfers us. */
gboolean         mt_call_transfer        (MtCall *self, const char *target);
/* Attended transfer (RFC 3891, RFC 5589): ask the peer of this call to call
 * the far end of `consultation` (another call of ours that is up) in our
 * place, its call replacing our consultation; both of ours end
 * "transferred" once it is done. FALSE when either call is not up or a
 * transfer is under way. A call that an incoming one replaces ends
 * "replaced". */
gboolean         mt_call_transfer_attended (MtCall *self, MtCall *consultation);
/* TRUE from a transfer's REFER until its outcome: the call ends
 * "transferred", or this goes FALSE with the call still up (the peer refused
 * the REFER or the new call failed). The "transferring" property. */
gboolean         mt_call_get_transferring  (MtCall *self);

/* The address the call's media used went away (a network change): the
 * call looks for a new path (ICE restart) and stays up meanwhile; it ends
 * with reason network-error when no network returns within 30 s. The
 * "reconnecting" property; "network-notice" is a sentence to show then
 * ("Reconnecting…", translated) and NULL otherwise. */
gboolean         mt_call_get_reconnecting   (MtCall *self);
const char      *mt_call_get_network_notice (MtCall *self);

/* a call ended tls-failed: what was wrong with the certificate */
MtTlsProblem     mt_call_get_tls_problem (MtCall *self);

/* An incoming call: refuse it as busy (486; H.323: declined); the call
 * ends with reason "busy". For "do not disturb". */
void             mt_call_reject_busy     (MtCall *self);

/* The media statistics of each stream now (the last ones once the call
 * ended); all zero without media. Either pointer may be NULL. */
void             mt_call_get_stats       (MtCall        *self,
                                          MtStreamStats *audio,
                                          MtStreamStats *video);


G_END_DECLS
