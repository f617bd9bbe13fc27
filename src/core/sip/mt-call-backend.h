/* mt-call-backend.h: MtCall driven by another signalling protocol
 *
 * SIP calls are driven by nua (mt-call-private.h). Any other protocol (H.323
 * in src/core/h323) makes its calls with a backend: a table of what the
 * public actions do on the wire, and functions to move the call's state
 * machine. The call keeps one state, one end reason, its media session and
 * its properties, whatever drives it; the app and the CLI see no difference
 * beyond mt_call_get_protocol().
 *
 * The backend's data is borrowed: the backend detaches it
 * (mt_call_backend_detach()) before it goes away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mt-call.h"

G_BEGIN_DECLS

typedef struct {
  const char *protocol;                                   /* "h323" */
  /* each is called only in the state it makes sense in (as for SIP); the
   * backend ends the call itself (mt_call_backend_set_state ENDED) */
  void (*answer)   (MtCall *call, gpointer data);         /* INCOMING */
  void (*decline)  (MtCall *call, gpointer data);         /* INCOMING */
  void (*hangup)   (MtCall *call, gpointer data);         /* any state but ENDED */
  /* may be NULL: hold is not offered */
  void (*set_hold) (MtCall *call, gboolean hold, gpointer data);
  /* may be NULL: DTMF is not offered; ACTIVE or HELD only */
  gboolean (*send_dtmf) (MtCall *call, const char *digits, gpointer data);
} MtCallBackend;

MtCall  *mt_call_new_for_backend   (const MtCallBackend *backend,
                                    gpointer             data,
                                    const char          *id,
                                    MtCallDirection      direction,
                                    const char          *remote_uri,
                                    const char          *remote_name,
                                    MtMediaSession      *media);
/* Moves the state machine (the one place, as for SIP: notifies once,
 * stops media when ENDED). `end_status`: what the peer said, e.g.
 * "Q.931 cause 17", or NULL. */
void     mt_call_backend_set_state (MtCall      *self,
                                    MtCallState  state,
                                    MtEndReason  reason,
                                    const char  *end_status);
void     mt_call_backend_set_has_video (MtCall *self, gboolean has_video);
/* the local hold flag ("hold" property) once the backend did it */
void     mt_call_backend_set_hold  (MtCall *self, gboolean hold);
/* the peer pressed a key: emits "dtmf" (digit, TRUE, the protocol's name) */
void     mt_call_backend_dtmf_received (MtCall *self, char digit);
/* forget the backend's data: actions do nothing from now on */
void     mt_call_backend_detach    (MtCall *self);

G_END_DECLS
