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
/* TRUE when video was negotiated (or offered, before an answer) */
gboolean         mt_call_get_has_video   (MtCall *self);
/* seconds since the call became active; 0 before */
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

G_END_DECLS
